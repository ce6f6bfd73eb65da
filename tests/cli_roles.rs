//! Roles from the command line (issue 13), run as a real process. The
//! process acts as the real OS login running the tests; a database whose
//! school another login created (through the library) makes that login a
//! viewer, so every mutation must be refused with nothing written.

use std::path::{Path, PathBuf};

use portfolio_desk::domain::access::Role;
use portfolio_desk::store::Store;
use tempfile::TempDir;

mod common;
use common::cli::run;

/// The real login, as the system says it.
fn real_login() -> String {
    let out = std::process::Command::new("id")
        .arg("-un")
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// The demo school, created through the library by `boss`: the login
/// running the binary holds no role in it.
fn others_db() -> (TempDir, PathBuf) {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("school.db");
    let mut s = Store::open(&db).unwrap();
    s.set_user("boss");
    portfolio_desk::demo::seed(&mut s, common::today()).unwrap();
    assert!(s.roles_of(&real_login()).unwrap().is_empty());
    (dir, db)
}

/// Every row of every table, as text.
fn dump(path: &Path) -> String {
    let conn = rusqlite::Connection::open(path).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut out = String::new();
    for t in tables {
        let mut st = conn.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
        let n = st.column_count();
        let mut rows = st.query([]).unwrap();
        while let Some(r) = rows.next().unwrap() {
            out.push_str(&t);
            for i in 0..n {
                let v: rusqlite::types::Value = r.get(i).unwrap();
                out.push_str(&format!("|{v:?}"));
            }
            out.push('\n');
        }
    }
    out
}

#[test]
fn every_cli_mutation_by_a_viewer_is_refused_and_writes_nothing() {
    let (dir, db) = others_db();
    let d = dir.path();
    // Files the mutations would read.
    let students = d.join("students.csv");
    std::fs::write(&students, "學號,姓名,班級,座號\n999001,新同學,301,40\n").unwrap();
    let receipts = d.join("receipts.csv");
    std::fs::write(
        &receipts,
        "學號,姓名,班級,座號,類別,項目,件數,學期,上傳日期\n999001,新同學,301,40,多元表現,志工服務,1,115-1,\n",
    )
    .unwrap();
    let calendar =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/calendar/jingxin-111-2.csv");
    let backup = d.join("copy.db");
    Store::open(&db).unwrap().backup_to(&backup).unwrap();
    let before = dump(&db);
    let p = |x: &Path| x.to_str().unwrap().to_string();
    // (arguments, refused for the role: the message names the needed role)
    let cases: Vec<(Vec<String>, Option<&str>)> = vec![
        (
            vec!["import".into(), "students".into(), p(&students)],
            Some("承辦"),
        ),
        (
            vec!["import".into(), "receipts".into(), p(&receipts)],
            Some("承辦"),
        ),
        (
            vec!["import".into(), "calendar".into(), p(&calendar)],
            Some("承辦"),
        ),
        (
            vec![
                "receipts".into(),
                "deem".into(),
                "--term".into(),
                "115-1".into(),
            ],
            None,
        ),
        (
            vec![
                "receipts".into(),
                "undo-deem".into(),
                "--term".into(),
                "115-1".into(),
            ],
            Some("教務主任"),
        ),
        (
            vec![
                "receipts".into(),
                "window".into(),
                "--term".into(),
                "115-1".into(),
                "--clear".into(),
            ],
            Some("承辦"),
        ),
        (
            vec![
                "receipts".into(),
                "undo-import".into(),
                "--term".into(),
                "115-1".into(),
            ],
            None,
        ),
        (
            vec![
                "receipts".into(),
                "close".into(),
                "--term".into(),
                "115-1".into(),
            ],
            Some("教務主任"),
        ),
        (
            vec![
                "receipts".into(),
                "reopen".into(),
                "--term".into(),
                "115-1".into(),
            ],
            Some("教務主任"),
        ),
        (
            vec![
                "checklist".into(),
                "close".into(),
                "--year".into(),
                "115".into(),
            ],
            Some("教務主任"),
        ),
        (
            vec![
                "checklist".into(),
                "reopen".into(),
                "--year".into(),
                "115".into(),
            ],
            Some("教務主任"),
        ),
        (
            vec![
                "calendar".into(),
                "copy".into(),
                "--from".into(),
                "115-1".into(),
            ],
            Some("承辦"),
        ),
        (
            vec!["users".into(), "grant".into(), real_login(), "admin".into()],
            Some("管理者"),
        ),
        (
            vec![
                "users".into(),
                "revoke".into(),
                "boss".into(),
                "admin".into(),
            ],
            Some("管理者"),
        ),
        (
            vec!["users".into(), "link".into(), real_login(), "1".into()],
            Some("管理者"),
        ),
        (
            vec!["restore".into(), p(&backup), "--yes".into()],
            Some("管理者"),
        ),
        // Not role refusals, but mutations all the same: the file already
        // has a school; demo needs a terminal.
        (
            vec!["init".into(), "--preset".into(), "jingxin".into()],
            None,
        ),
        (vec!["demo".into()], None),
    ];
    for (args, need) in &cases {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        let r = run(d, &db, &a);
        assert_ne!(r.code, Some(0), "{a:?} was not refused\n{}", r.stdout);
        if let Some(role) = need {
            assert!(
                r.stderr.contains(&format!("需要「{role}」權限")),
                "{a:?}: {}",
                r.stderr
            );
            assert!(r.stderr.contains("檢視"), "{a:?}: {}", r.stderr);
        }
        assert_eq!(dump(&db), before, "{a:?} changed the database");
    }
}

#[test]
fn the_environment_and_arguments_do_not_change_who_acts() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("school.db");
    let out = assert_cmd::Command::new(common::cli::BIN)
        .current_dir(dir.path())
        .env("PORTFOLIO_DESK_TODAY", "2026-11-25")
        .env("PORTFOLIO_DESK_USER", "王主任")
        .env("USER", "wang")
        .env("LOGNAME", "wang")
        .args(["init", "--preset", "taitung", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    // A flag that would name someone else is not an option at all.
    let r = run(dir.path(), &db, &["users", "list", "--user", "wang"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    let me = real_login();
    let s = Store::open(&db).unwrap();
    let audit = s.recent_audit(1000).unwrap();
    assert!(!audit.is_empty());
    assert!(audit.iter().all(|a| a.os_user == me), "{audit:?}");
    assert_eq!(
        s.roles_of(&me).unwrap(),
        vec![Role::Admin, Role::Director, Role::Clerk]
    );
    assert!(s.roles_of("wang").unwrap().is_empty());
    assert!(s.roles_of("王主任").unwrap().is_empty());
}

#[test]
fn an_administrator_grants_links_and_revokes_but_never_the_last_administrator() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("school.db");
    let d = dir.path();
    run(d, &db, &["init", "--preset", "jingxin"]).code(0);
    let me = real_login();
    let r = run(d, &db, &["users", "grant", "no.such.login.x", "承辦"]);
    r.code(0);
    assert!(
        r.stdout.contains("已授予「no.such.login.x」承辦權限"),
        "{}",
        r.stdout
    );
    assert!(
        r.stderr.contains("這臺電腦沒有「no.such.login.x」"),
        "{}",
        r.stderr
    );
    // An existing account: no warning.
    let r = run(d, &db, &["users", "grant", &me, "clerk"]);
    r.code(0);
    assert!(r.stdout.contains("原本就有"), "{}", r.stdout);
    assert_eq!(r.stderr, "");
    let r = run(d, &db, &["users", "grant", "x", "boss"]);
    r.code(1);
    assert!(r.stderr.contains("「boss」不是角色"), "{}", r.stderr);
    let r = run(d, &db, &["users", "revoke", &me, "管理者"]);
    r.code(1);
    assert!(r.stderr.contains("最後一位管理者"), "{}", r.stderr);
    // Link to a staff record by name.
    let mut s = Store::open(&db).unwrap();
    let staff = s
        .add_staff(&portfolio_desk::domain::committee::StaffDraft {
            name: "王主任".into(),
            ..Default::default()
        })
        .unwrap();
    drop(s);
    let r = run(d, &db, &["users", "link", "no.such.login.x", "王主任"]);
    r.code(0);
    assert!(r.stdout.contains(&format!("#{}", staff.id)), "{}", r.stdout);
    let r = run(d, &db, &["users", "link", "no.such.login.x", "沒這人"]);
    r.code(1);
    assert!(r.stderr.contains("「沒這人」"), "{}", r.stderr);
    let r = run(d, &db, &["--lang", "en", "users", "list"]);
    r.code(0);
    assert!(
        r.stdout.contains("no.such.login.x\tClerk\t王主任 (#"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains(&format!("{me}\tAdministrator, Director, Clerk")),
        "{}",
        r.stdout
    );
    let r = run(d, &db, &["users", "revoke", "no.such.login.x", "clerk"]);
    r.code(0);
    assert!(r.stdout.contains("已撤銷"), "{}", r.stdout);
}

#[test]
fn the_director_closes_and_reopens_a_checklist_year_from_the_command_line() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("school.db");
    let d = dir.path();
    run(d, &db, &["init", "--preset", "jingxin"]).code(0);
    let r = run(d, &db, &["checklist", "close", "--year", "115"]);
    r.code(0);
    let r = run(d, &db, &["checklist", "close", "--year", "115"]);
    r.code(1);
    assert!(r.stderr.contains("已由"), "{}", r.stderr);
    let r = run(d, &db, &["checklist", "reopen", "--year", "115"]);
    r.code(0);
    assert!(r.stdout.contains("解除結案"), "{}", r.stdout);
    let r = run(d, &db, &["checklist", "reopen", "--year", "115"]);
    r.code(1);
    assert!(r.stderr.contains("沒有結案"), "{}", r.stderr);
}
