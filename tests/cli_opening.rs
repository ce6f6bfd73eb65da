//! Opening a file from the command line (issue 12, part 6): on a file the
//! user cannot write, the commands that only read work and a write is
//! refused with one line; nothing in the directory changes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

mod common;
use common::cli::run;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/calendar")
        .join(name)
}

fn snapshot_dir(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn set_readonly(path: &Path, ro: bool) {
    let mut p = std::fs::metadata(path).unwrap().permissions();
    p.set_readonly(ro);
    std::fs::set_permissions(path, p).unwrap();
}

/// A 靜心 school with the 111-2 calendar, its file then made read-only
/// (`chmod 444`), in a directory of its own (`db/`) so the snapshot holds
/// only the database and what SQLite might leave beside it.
fn read_only_school() -> (TempDir, PathBuf) {
    let dir = TempDir::new().unwrap();
    std::fs::create_dir(dir.path().join("db")).unwrap();
    let db = dir.path().join("db/school.db");
    run(dir.path(), &db, &["init", "--preset", "jingxin"]).code(0);
    let file = fixture("jingxin-111-2.csv");
    run(
        dir.path(),
        &db,
        &["import", "calendar", file.to_str().unwrap()],
    )
    .code(0);
    set_readonly(&db, true);
    (dir, db)
}

#[test]
fn reading_commands_work_on_a_read_only_file_and_change_nothing() {
    let (dir, db) = read_only_school();
    let commands: [&[&str]; 3] = [
        &["check", "calendar"],
        &["export", "calendar", "--term", "111-2", "--format", "md"],
        &["who", "--position", "校長"],
    ];
    // What they say on the writable file…
    set_readonly(&db, false);
    let writable: Vec<_> = commands
        .iter()
        .map(|args| {
            let r = run(dir.path(), &db, args);
            (r.code, r.stdout, r.stderr)
        })
        .collect();
    set_readonly(&db, true);
    let before = snapshot_dir(db.parent().unwrap());
    // …they say the same on the read-only one.
    for (args, want) in commands.iter().zip(&writable) {
        let r = run(dir.path(), &db, args);
        assert_eq!(&(r.code, r.stdout, r.stderr), want, "{args:?}");
    }
    assert!(writable[1].1.contains("111-2"), "{}", writable[1].1);
    assert_eq!(writable[1].0, Some(0));
    // (Nobody holds the position in a fresh school: it says so.)
    assert!(writable[2].2.contains("校長"), "{}", writable[2].2);
    assert_eq!(snapshot_dir(db.parent().unwrap()), before);
}

#[test]
fn an_import_into_a_read_only_file_is_refused_with_one_line() {
    let (dir, db) = read_only_school();
    let before = snapshot_dir(db.parent().unwrap());
    let file = fixture("jingxin-111-2.csv");
    let r = run(
        dir.path(),
        &db,
        &[
            "import",
            "calendar",
            file.to_str().unwrap(),
            "--term",
            "112-1",
        ],
    );
    r.code(1);
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{}", r.stderr);
    assert!(lines[0].contains("唯讀"), "{}", r.stderr);
    assert!(lines[0].contains(db.to_str().unwrap()), "{}", r.stderr);

    let en = run(
        dir.path(),
        &db,
        &["--lang", "en", "import", "calendar", file.to_str().unwrap()],
    );
    en.code(1);
    assert_eq!(en.stderr.lines().count(), 1, "{}", en.stderr);
    assert!(en.stderr.contains("read-only"), "{}", en.stderr);

    assert_eq!(snapshot_dir(db.parent().unwrap()), before);
}

#[test]
fn a_read_only_file_of_an_older_schema_is_refused_with_one_line() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("school.db");
    portfolio_desk::store::create_old_schema(&db, 1).unwrap();
    set_readonly(&db, true);
    let before = std::fs::read(&db).unwrap();
    let r = run(dir.path(), &db, &["check", "calendar"]);
    r.code(1);
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    assert!(r.stderr.contains("寫入權限"), "{}", r.stderr);
    assert_eq!(std::fs::read(&db).unwrap(), before);
}
