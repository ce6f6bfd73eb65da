//! `backup`, `backups`, `restore` and `doctor` run as a real process on a
//! school made with `init --preset taitung`.

use std::path::{Path, PathBuf};

use portfolio_desk::domain::committee::StaffDraft;
use portfolio_desk::store::Store;
use portfolio_desk::store::backup::list_backups;
use tempfile::TempDir;

mod common;
use common::cli::{Run, run};

/// A temporary directory with a school database in `data/`.
fn school() -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("data").join("school.db");
    run(dir.path(), &db, &["init", "--preset", "taitung"]).code(0);
    (dir, db)
}

fn en(dir: &Path, db: &Path, args: &[&str]) -> Run {
    let mut a = vec!["--lang", "en"];
    a.extend_from_slice(args);
    run(dir, db, &a)
}

/// Exit 1 with one line on stderr (no panic); returns that line.
fn error_line(r: &Run) -> String {
    r.code(1);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line on stderr: {:?}", r.stderr);
    assert!(lines[0].starts_with("portfolio-desk: "));
    lines[0].to_string()
}

fn staff_count(db: &Path) -> i64 {
    let c = Store::open(db).unwrap().contents().unwrap();
    c.counts.iter().find(|(t, _)| t == "staff").unwrap().1
}

fn add_staff(db: &Path, name: &str) {
    Store::open(db)
        .unwrap()
        .add_staff(&StaffDraft {
            name: name.into(),
            ..Default::default()
        })
        .unwrap();
}

#[test]
fn backup_writes_a_checked_copy_and_refuses_to_overwrite() {
    let (dir, db) = school();
    let out = dir.path().join("copy.db");
    let r = en(dir.path(), &db, &["backup", "--out", out.to_str().unwrap()]);
    r.code(0);
    assert!(r.stdout.contains("Backup written:"), "{}", r.stdout);
    assert!(r.stdout.contains("copy.db"));
    assert!(r.stdout.contains("KB"), "the size: {}", r.stdout);
    assert!(
        r.stdout
            .lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>() == ["seat", "17"]),
        "row counts per table: {}",
        r.stdout
    );
    assert!(r.stdout.contains("Integrity check of the copy: ok"));
    let size = std::fs::metadata(&out).unwrap().len();

    // Again to the same file: refused, the copy untouched.
    let line = error_line(&en(
        dir.path(),
        &db,
        &["backup", "--out", out.to_str().unwrap()],
    ));
    assert!(
        line.contains("copy.db") && line.contains("already exists"),
        "{line}"
    );
    assert_eq!(std::fs::metadata(&out).unwrap().len(), size);
    // The database itself.
    let line = error_line(&en(
        dir.path(),
        &db,
        &["backup", "--out", db.to_str().unwrap()],
    ));
    assert!(line.contains("the open database itself"), "{line}");

    // Without --out: into backups/ beside the database (in Chinese).
    let r = run(dir.path(), &db, &["backup"]);
    r.code(0);
    assert!(r.stdout.contains("已寫入備份"), "{}", r.stdout);
    let list = list_backups(&db);
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].reason, "manual");
    assert!(
        list[0]
            .path
            .starts_with(dir.path().join("data").join("backups"))
    );
}

#[test]
fn backups_lists_them_with_age_and_size() {
    let (dir, db) = school();
    let r = en(dir.path(), &db, &["backups"]);
    r.code(0);
    assert!(
        r.stdout.contains("No automatic backups yet"),
        "{}",
        r.stdout
    );
    en(dir.path(), &db, &["backup"]).code(0);
    let r = en(dir.path(), &db, &["backups"]);
    r.code(0);
    let name = list_backups(&db)[0]
        .path
        .file_name()
        .unwrap()
        .to_string_lossy()
        .to_string();
    let line = r
        .stdout
        .lines()
        .find(|l| l.contains(&name))
        .unwrap_or_else(|| panic!("{name} listed: {}", r.stdout));
    assert!(line.contains("min ago") && line.contains("KB"), "{line}");
    assert!(r.stdout.contains("newest 7 days"), "{}", r.stdout);
}

#[test]
fn restore_with_yes_puts_the_copy_back_and_keeps_the_replaced_data() {
    let (dir, db) = school();
    let copy = dir.path().join("monday.db");
    en(
        dir.path(),
        &db,
        &["backup", "--out", copy.to_str().unwrap()],
    )
    .code(0);
    let monday = staff_count(&db);
    add_staff(&db, "王小明");
    add_staff(&db, "李小華");
    assert_eq!(staff_count(&db), monday + 2);

    let r = en(
        dir.path(),
        &db,
        &["restore", copy.to_str().unwrap(), "--yes"],
    );
    r.code(0);
    // What the file holds beside the current data, then what was done.
    let row = r
        .stdout
        .lines()
        .find(|l| l.trim_start().starts_with("staff "))
        .unwrap_or_else(|| panic!("{}", r.stdout));
    assert_eq!(
        row.split_whitespace().collect::<Vec<_>>(),
        ["staff", &(monday + 2).to_string(), &monday.to_string()]
    );
    assert!(r.stdout.contains("Last change:"), "{}", r.stdout);
    assert!(r.stdout.contains("Restored from"), "{}", r.stdout);
    assert_eq!(staff_count(&db), monday);
    let list = list_backups(&db);
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].reason, "before-restore");
    assert!(
        r.stdout
            .contains(&*list[0].path.file_name().unwrap().to_string_lossy())
    );
    let kept = Store::open(&list[0].path).unwrap().contents().unwrap();
    assert_eq!(
        kept.counts.iter().find(|(t, _)| t == "staff").unwrap().1,
        monday + 2
    );
}

#[test]
fn restore_without_a_terminal_needs_yes_and_changes_nothing() {
    let (dir, db) = school();
    let copy = dir.path().join("monday.db");
    en(
        dir.path(),
        &db,
        &["backup", "--out", copy.to_str().unwrap()],
    )
    .code(0);
    add_staff(&db, "王小明");
    let r = en(dir.path(), &db, &["restore", copy.to_str().unwrap()]);
    let line = error_line(&r);
    assert!(
        line.contains("--yes") && line.contains("monday.db"),
        "{line}"
    );
    assert_eq!(r.stdout, "");
    assert_eq!(staff_count(&db), 1);
    assert!(list_backups(&db).is_empty(), "no backup made, nothing done");
}

#[test]
fn restore_refuses_a_foreign_file_quoting_it() {
    let (dir, db) = school();
    let foreign = dir.path().join("gradebook.db");
    rusqlite::Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE grades (x); PRAGMA user_version = 2;")
        .unwrap();
    let line = error_line(&en(
        dir.path(),
        &db,
        &["restore", foreign.to_str().unwrap(), "--yes"],
    ));
    assert!(
        line.contains("gradebook.db") && line.contains("not a portfolio-desk database"),
        "{line}"
    );
    assert!(list_backups(&db).is_empty());
    // The database itself.
    let line = error_line(&en(
        dir.path(),
        &db,
        &["restore", db.to_str().unwrap(), "--yes"],
    ));
    assert!(line.contains("the open database itself"), "{line}");
    assert!(list_backups(&db).is_empty());
}

#[cfg(unix)]
fn chmod(p: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// The shared set-up of the README: group rw files, a setgid group
/// directory, a fresh backup.
#[cfg(unix)]
fn shared_setup() -> (TempDir, PathBuf) {
    let (dir, db) = school();
    en(dir.path(), &db, &["backup"]).code(0);
    let data = db.parent().unwrap();
    chmod(data, 0o2770);
    chmod(&data.join("backups"), 0o2770);
    for e in std::fs::read_dir(data).unwrap() {
        let p = e.unwrap().path();
        if p.is_file() {
            chmod(&p, 0o660);
        }
    }
    (dir, db)
}

#[cfg(unix)]
#[test]
fn doctor_on_a_healthy_shared_setup_says_ok_to_everything() {
    let (dir, db) = shared_setup();
    let r = en(dir.path(), &db, &["doctor"]);
    r.code(0);
    for what in [
        "integrity check: ok",
        "schema version",
        "journal mode wal",
        "the group can read and write",
        "new files get the group",
        "newest backup",
        "free space on",
        "log file: ",
    ] {
        let line = r
            .stdout
            .lines()
            .find(|l| l.contains(what))
            .unwrap_or_else(|| panic!("{what}: {}", r.stdout));
        assert!(line.starts_with("ok "), "{line}");
    }
    assert!(!r.stdout.contains("PROBLEM"), "{}", r.stdout);
    assert!(r.stdout.contains("everything is in order"));
    let log = r.stdout.lines().find(|l| l.contains("log file: ")).unwrap();
    let log = log.split("log file: ").nth(1).unwrap().trim();
    assert!(
        log.contains("portfolio-desk.log.") && Path::new(log).is_file(),
        "doctor names the log that exists: {log}"
    );
}

#[cfg(unix)]
#[test]
fn doctor_finds_a_file_the_group_cannot_write_and_prints_the_fix() {
    let (dir, db) = shared_setup();
    chmod(&db, 0o640);
    let before = std::fs::read(&db).unwrap();
    let r = en(dir.path(), &db, &["doctor"]);
    let line = error_line(&r);
    assert!(line.contains("1 problems"), "{line}");
    let problem = r
        .stdout
        .lines()
        .find(|l| l.starts_with("PROBLEM"))
        .unwrap_or_else(|| panic!("{}", r.stdout));
    assert!(
        problem.contains("school.db: mode 0640") && problem.contains("cannot read and write"),
        "{problem}"
    );
    assert!(r.stdout.contains("To fix:"));
    assert!(
        r.stdout.contains("chmod g+rw ") && r.stdout.contains("school.db*"),
        "{}",
        r.stdout
    );
    assert_eq!(std::fs::read(&db).unwrap(), before, "doctor only reads");

    // A directory without set-group-id, and no backup at all.
    chmod(&db, 0o660);
    let data = db.parent().unwrap();
    chmod(data, 0o770);
    for b in list_backups(&db) {
        std::fs::remove_file(b.path).unwrap();
    }
    let r = en(dir.path(), &db, &["doctor"]);
    let line = error_line(&r);
    assert!(line.contains("2 problems"), "{line}\n{}", r.stdout);
    assert!(r.stdout.contains("chmod g+rwxs "), "{}", r.stdout);
    assert!(r.stdout.contains("no backup yet"), "{}", r.stdout);
    assert!(r.stdout.contains("backup"), "{}", r.stdout);
}

#[test]
fn doctor_without_a_database_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("none.db");
    let line = error_line(&en(dir.path(), &db, &["doctor"]));
    assert!(line.contains("none.db"), "{line}");
    assert!(!db.exists(), "doctor creates nothing");
}

/// Another program's SQLite file is what opening refuses: doctor says so,
/// with the fix, and leaves it as it was.
#[test]
fn doctor_names_another_programs_database_as_not_ours() {
    let dir = tempfile::TempDir::new().unwrap();
    let db = dir.path().join("other.db");
    {
        let c = rusqlite::Connection::open(&db).unwrap();
        c.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
            .unwrap();
    }
    let before = std::fs::read(&db).unwrap();
    let r = en(dir.path(), &db, &["doctor"]);
    error_line(&r);
    let problem = r
        .stdout
        .lines()
        .find(|l| l.contains("is not a portfolio-desk database"))
        .unwrap_or_else(|| panic!("{}", r.stdout));
    assert!(problem.starts_with("PROBLEM"), "{problem}");
    assert!(
        r.stdout
            .contains("check that --db names the school database"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("upgraded"), "{}", r.stdout);
    assert_eq!(std::fs::read(&db).unwrap(), before, "doctor only reads");
}
