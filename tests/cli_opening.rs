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

/// Every file in `dir` with its bytes, but the app's own log
/// (`portfolio-desk.log.*`, which every run may append to).
fn snapshot_dir(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter(|e| {
            !e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with("portfolio-desk.log")
        })
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

/// Another user's file (`rw-r--r--`, owned by root) opened by `nobody`:
/// SQLite itself can only read it. Runs only where the tests run as root
/// with `setpriv` (as in the project's container); elsewhere it says so and
/// checks nothing.
#[test]
fn another_users_file_opens_read_only_for_someone_without_write_permission() {
    let uid = std::process::Command::new("id").arg("-u").output();
    let is_root = uid.is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    let has_setpriv = std::process::Command::new("setpriv")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !is_root || !has_setpriv {
        eprintln!("skipped: needs root and setpriv to act as another user");
        return;
    }
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new().unwrap();
    // A shared folder everyone may write in (the worst case: a reader could
    // leave -wal/-shm files there that the owner then cannot write).
    let shared = dir.path().join("shared");
    std::fs::create_dir(&shared).unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o1777)).unwrap();
    let db = shared.join("school.db");
    run(dir.path(), &db, &["init", "--preset", "jingxin"]).code(0);
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let before = snapshot_dir(&shared);

    let as_nobody = |args: &[&str]| {
        let out = std::process::Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(common::cli::BIN)
            .args(args)
            .arg("--db")
            .arg(&db)
            .current_dir(&shared)
            .env("PORTFOLIO_DESK_TODAY", "2026-11-25")
            .env("HOME", &shared)
            .env_remove("PORTFOLIO_DESK_LANG")
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, out, err) = as_nobody(&["check", "calendar"]);
    assert_eq!(code, Some(0), "{out}{err}");
    // The file to import, where the other user can read it (the checkout
    // may be in a private folder).
    let file = dir.path().join("jingxin-111-2.csv");
    std::fs::copy(fixture("jingxin-111-2.csv"), &file).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (code, _, err) = as_nobody(&["import", "calendar", file.to_str().unwrap()]);
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("唯讀"), "{err}");
    assert!(!err.contains("不是 portfolio-desk"), "{err}");
    assert_eq!(snapshot_dir(&shared), before, "the reader left something");
}
