//! Every `check …` command only reads: run on a demo database (and on a
//! school whose regulation lets silence count as confirmed, with the window
//! closed — where `check receipts` used to deem), each leaves the file's
//! bytes and every table's rows as they were, and the audit trail as long.

mod common;
use std::path::Path;

use common::cli::run;
use portfolio_desk::domain::preset;
use portfolio_desk::domain::roc::{Term, parse_date, parse_range};
use portfolio_desk::store::Store;

fn today() -> chrono::NaiveDate {
    parse_date("115.11.25").unwrap()
}

/// Every table's rows, in rowid order, as text (the whole content, so any
/// write shows), and the audit row count.
fn content(db: &Path) -> (i64, Vec<String>) {
    let c = rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .unwrap();
    let tables: Vec<String> = c
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let mut out = Vec::new();
    for t in &tables {
        let mut st = c.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
        let n = st.column_count();
        let rows = st
            .query_map([], |r| {
                let cells: Vec<String> = (0..n)
                    .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                    .collect();
                Ok(format!("{t}: {}", cells.join(" | ")))
            })
            .unwrap();
        for row in rows {
            out.push(row.unwrap());
        }
    }
    let audit: i64 = c
        .query_row("SELECT count(*) FROM audit", [], |r| r.get(0))
        .unwrap();
    (audit, out)
}

/// The subcommands `check --help` lists (so a new check is not missed).
fn check_commands(dir: &Path, db: &Path) -> Vec<String> {
    let help = run(dir, db, &["--lang", "en", "check", "--help"]);
    help.code(0);
    help.stdout
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|w| *w != "help")
        .map(str::to_string)
        .collect()
}

fn runs_leave_the_file_alone(dir: &Path, db: &Path, runs: &[Vec<&str>]) {
    let bytes = std::fs::read(db).unwrap();
    let before = content(db);
    assert!(before.0 > 0, "the fixture has audit rows");
    for args in runs {
        let r = run(dir, db, args);
        assert!(
            matches!(r.code, Some(0) | Some(1)),
            "{args:?} ran: {:?}\n{}\n{}",
            r.code,
            r.stdout,
            r.stderr
        );
        assert_eq!(content(db), before, "{args:?} changed the data");
        assert_eq!(std::fs::read(db).unwrap(), bytes, "{args:?} wrote the file");
    }
}

fn every_check(file: &str) -> Vec<Vec<&str>> {
    vec![
        vec!["check", "delegates"],
        vec!["check", "delegates", "--date", "115.12.01"],
        vec!["check", "calendar"],
        vec!["check", "calendar", "--term", "115-1"],
        vec!["check", "calendar", "--file", file],
        vec!["check", "checklists"],
        vec!["check", "checklists", "--year", "115"],
        vec!["check", "meetings"],
        vec!["check", "meetings", "--year", "114"],
        vec!["check", "receipts"],
        vec!["check", "receipts", "--no-deem"],
        vec!["--lang", "en", "check", "receipts"],
    ]
}

fn covered(runs: &[Vec<&str>]) -> Vec<String> {
    let mut v: Vec<String> = runs
        .iter()
        .filter_map(|a| a.iter().skip_while(|w| **w != "check").nth(1))
        .map(|s| s.to_string())
        .collect();
    v.sort();
    v.dedup();
    v
}

fn a_calendar_file(dir: &Path) -> String {
    let p = dir.join("cal.csv");
    std::fs::write(
        &p,
        "學期,名稱,階段,年級,負責單位,日期\n115-1,幹部經歷登錄,學生上傳,10-12,訓育組,115.11.02~13\n",
    )
    .unwrap();
    p.display().to_string()
}

#[test]
fn no_check_writes_on_the_demo_school() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    {
        let mut s = Store::open(&db).unwrap();
        s.set_user("registry");
        portfolio_desk::demo::seed(&mut s, today()).unwrap();
        // The window over: unconfirmed students to report.
        s.set_confirm_window(
            Term::containing(today()),
            Some(parse_range("115.11.10~17").unwrap()),
        )
        .unwrap();
    }
    let file = a_calendar_file(dir.path());
    let runs = every_check(&file);
    let mut listed = check_commands(dir.path(), &db);
    listed.sort();
    assert_eq!(covered(&runs), listed, "every check command is run here");
    runs_leave_the_file_alone(dir.path(), &db, &runs);
}

#[test]
fn no_check_writes_where_silence_counts_as_confirmed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("fengshan.db");
    let term = Term::containing(today());
    {
        let mut s = Store::open(&db).unwrap();
        s.set_user("registry");
        s.init_school(&preset::by_key("fengshan").unwrap(), 115)
            .unwrap();
        portfolio_desk::demo::receipts::seed(&mut s, today(), term).unwrap();
        s.set_confirm_window(term, Some(parse_range("115.11.10~17").unwrap()))
            .unwrap();
    }
    // There are students `receipts deem` would deem: the check says so…
    let r = run(dir.path(), &db, &["check", "receipts"]);
    assert!(
        r.stdout
            .contains("portfolio-desk receipts deem --term 115-1"),
        "{}",
        r.stdout
    );
    // …and neither it nor any other check deems them.
    let file = a_calendar_file(dir.path());
    runs_leave_the_file_alone(dir.path(), &db, &every_check(&file));
    let s = Store::open(&db).unwrap();
    assert_eq!(s.confirm_progress(term).unwrap().deemed, 0);
    // The test can tell: `receipts deem` does write.
    let before = content(&db);
    run(dir.path(), &db, &["receipts", "deem", "--term", "115-1"]).code(0);
    assert_ne!(content(&db), before);
}
