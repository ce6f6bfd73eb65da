//! Exports never destroy data (issue 12, part 3), run as a real process
//! against the demo school: every `export …` command refuses an `--out`
//! that is the database (however it is named), its `-wal`/`-shm`, another
//! SQLite file or a directory; a file is replaced whole, with no temporary
//! file left behind; and every CSV export guards cells a spreadsheet would
//! run as a formula.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use portfolio_desk::domain::receipt::{Category, DStatus, Discrepancy, Kind, StudentStatus, Via};
use portfolio_desk::domain::roc::Term;
use portfolio_desk::store::Store;
use tempfile::TempDir;

mod common;
use common::cli::run;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
}

fn term() -> Term {
    portfolio_desk::domain::roc::parse_term("115-1").unwrap()
}

/// A temporary directory with the demo school (calendar 115-1, checklists
/// of 115, receipts of 115-1) as of 2026-11-25.
fn demo() -> (TempDir, PathBuf) {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("school.db");
    let mut s = Store::open(&db).unwrap();
    s.set_user("registry");
    portfolio_desk::demo::seed(&mut s, today()).unwrap();
    drop(s);
    (dir, db)
}

/// Every export command, to a file given after it (`--out` appended).
const COMMANDS: [&[&str]; 4] = [
    &["export", "calendar", "--term", "115-1", "--format", "csv"],
    &["export", "checklist", "--year", "115", "--format", "csv"],
    &["export", "notices", "--term", "115-1", "--format", "csv"],
    &[
        "export",
        "discrepancies",
        "--term",
        "115-1",
        "--format",
        "csv",
    ],
];

fn export_to(dir: &Path, db: &Path, cmd: &[&str], out: &str) -> common::cli::Run {
    let mut args = cmd.to_vec();
    args.extend_from_slice(&["--out", out]);
    run(dir, db, &args)
}

/// The bytes of a file (the database must come through unchanged).
fn bytes(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap()
}

/// The names in `dir`, sorted (no temporary file may be left there), but
/// the app's own log (`portfolio-desk.log.*`).
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| !n.starts_with("portfolio-desk.log"))
        .collect();
    v.sort();
    v
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

// ----------------------------------------------------------------- refused targets

#[test]
fn every_export_refuses_the_database_its_companions_other_databases_and_directories() {
    let (dir, db) = demo();
    let d = dir.path();
    // Another SQLite database, a symlink to the school's, a directory, and
    // the WAL companions (there or not, they are the database's).
    let other = d.join("other.sqlite");
    Store::open(&other).unwrap();
    let link = d.join("link-to-school.csv");
    std::os::unix::fs::symlink(&db, &link).unwrap();
    std::fs::create_dir(d.join("out")).unwrap();
    let sub = d.join("sub");
    std::fs::create_dir(&sub).unwrap();
    // Held open, the database has its -wal and -shm beside it.
    let held = Store::open(&db).unwrap();
    assert!(d.join("school.db-wal").exists() && d.join("school.db-shm").exists());
    let abs = s(&db).to_string();
    let cases: Vec<(String, &str)> = vec![
        (abs.clone(), "正在使用的資料庫"),
        ("school.db".into(), "正在使用的資料庫"),
        ("./school.db".into(), "正在使用的資料庫"),
        ("sub/../school.db".into(), "正在使用的資料庫"),
        (s(&link).into(), "正在使用的資料庫"),
        (format!("{abs}-wal"), "附屬檔"),
        ("school.db-shm".into(), "附屬檔"),
        ("./school.db-journal".into(), "附屬檔"),
        (s(&other).into(), "SQLite 資料庫"),
        ("out".into(), "資料夾"),
        (format!("{}/", s(&sub)), "資料夾"),
    ];
    let before = bytes(&db);
    let other_before = bytes(&other);
    let listing = names(d);
    for cmd in COMMANDS {
        for (out, why) in &cases {
            let r = export_to(d, &db, cmd, out);
            r.code(1);
            assert_eq!(r.stdout, "", "{cmd:?} {out}");
            assert_eq!(r.stderr.lines().count(), 1, "{cmd:?} {out}: {}", r.stderr);
            assert!(
                r.stderr.contains(&format!("「{out}」")),
                "{cmd:?} {out}: {}",
                r.stderr
            );
            assert!(r.stderr.contains(why), "{cmd:?} {out}: {}", r.stderr);
            assert_eq!(bytes(&db), before, "{cmd:?} {out}: the database changed");
            assert_eq!(bytes(&other), other_before, "{cmd:?} {out}");
        }
    }
    // Nothing was made or left in the directory (no temporary file).
    assert_eq!(names(d), listing);
    drop(held);
    assert!(std::fs::read_dir(d.join("out")).unwrap().next().is_none());
}

#[test]
fn the_refusal_is_one_line_in_either_language() {
    let (dir, db) = demo();
    let r = export_to(dir.path(), &db, COMMANDS[0], "./school.db");
    r.code(1);
    assert_eq!(
        r.stderr,
        format!(
            "portfolio-desk: 不能匯出到正在使用的資料庫，那會蓋掉學校的資料：「./school.db」就是 {}。\n",
            db.display()
        )
    );
    let mut args = COMMANDS[0].to_vec();
    args.extend_from_slice(&["--lang", "en", "--out", "./school.db"]);
    let r = run(dir.path(), &db, &args);
    r.code(1);
    assert_eq!(
        r.stderr,
        format!(
            "portfolio-desk: Cannot export over the open database, that would replace the \
             school's data: \"./school.db\" is {}.\n",
            db.display()
        )
    );
}

// ----------------------------------------------------------------- atomic replace

#[test]
fn an_existing_file_is_replaced_whole_and_no_temporary_file_is_left() {
    let (dir, db) = demo();
    let d = dir.path();
    for (k, cmd) in COMMANDS.iter().enumerate() {
        let out = d.join(format!("export-{k}.csv"));
        std::fs::write(&out, "old text that is longer than nothing\n".repeat(2000)).unwrap();
        let link = d.join(format!("link-{k}.csv"));
        std::os::unix::fs::symlink(&out, &link).unwrap();
        let listing = names(d);
        // Written through the symlink: the file it points to is replaced,
        // the link stays a link.
        let r = export_to(d, &db, cmd, s(&link));
        r.code(0);
        let text = String::from_utf8(bytes(&out)).unwrap();
        assert!(text.starts_with('\u{feff}'), "{cmd:?}: {text}");
        assert!(!text.contains("old text"), "{cmd:?}");
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(names(d), listing, "{cmd:?}: a file was left behind");
        // The same to stdout and to the file: the whole export.
        let r = run(d, &db, cmd);
        r.code(0);
        assert_eq!(r.stdout, text, "{cmd:?}");
    }
}

#[test]
fn a_file_in_a_missing_directory_fails_and_leaves_nothing() {
    let (dir, db) = demo();
    let d = dir.path();
    let listing = names(d);
    for cmd in COMMANDS {
        let r = export_to(d, &db, cmd, "no-such-dir/x.csv");
        r.code(1);
        assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
        assert!(
            r.stderr
                .contains("無法寫入「no-such-dir/x.csv」：所在的資料夾不存在"),
            "{cmd:?}: {}",
            r.stderr
        );
        assert_eq!(names(d), listing, "{cmd:?}");
    }
}

/// A FIFO someone reads and a character device are written to, never
/// replaced by a plain file (nor read first, which would block).
#[cfg(unix)]
#[test]
fn a_pipe_or_a_device_is_written_to_not_replaced() {
    use std::os::unix::fs::FileTypeExt;
    let (dir, db) = demo();
    let d = dir.path();
    let fifo = d.join("pipe");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(&fifo).unwrap())
    };
    let r = export_to(d, &db, COMMANDS[0], s(&fifo));
    r.code(0);
    let got = reader.join().unwrap();
    assert!(
        String::from_utf8_lossy(&got).contains("115-1"),
        "the export came through the pipe"
    );
    assert!(
        std::fs::metadata(&fifo).unwrap().file_type().is_fifo(),
        "the pipe is still a pipe"
    );
    // /dev/null stays a device.
    let r = export_to(d, &db, COMMANDS[0], "/dev/null");
    r.code(0);
    assert!(
        std::fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device(),
        "/dev/null was replaced"
    );
}

// ----------------------------------------------------------------- CSV formula guard

const HYPERLINK: &str = "=HYPERLINK(\"http://evil.example\",\"點我\")";

/// The demo school with formula-like text where people and files put text:
/// a window's title, units and notes; a checklist item's title, owner and
/// note; a leaver's name, address and e-mail; a discrepancy's detail.
fn poisoned() -> (TempDir, PathBuf) {
    let (dir, db) = demo();
    let mut st = Store::open(&db).unwrap();
    st.set_user("registry");
    let ev = st
        .events()
        .unwrap()
        .into_iter()
        .find(|r| r.event.term == term())
        .unwrap();
    let mut e = ev.event.clone();
    e.title = HYPERLINK.into();
    e.units = vec!["-2".into()];
    e.notes = "\t備註".into();
    st.update_event(e.id, ev.meta.version, &e).unwrap();

    let list = st
        .checklists()
        .unwrap()
        .into_iter()
        .find(|c| c.list.year == 115)
        .unwrap();
    let it = st
        .checklist_items(list.list.id)
        .unwrap()
        .into_iter()
        .next()
        .unwrap();
    let mut item = it.item.clone();
    item.title = "+1 上傳".into();
    item.note = "@SUM(A1)".into();
    st.update_checklist_item(item.id, it.meta.version, &item)
        .unwrap();

    let sr = st.students().unwrap().into_iter().next().unwrap();
    let mut stu = sr.student.clone();
    stu.name = "@SUM(1+1)".into();
    stu.status = StudentStatus::Graduated;
    stu.address = "-1+2 高雄市".into();
    stu.email = "=x@example.tw".into();
    st.update_student(stu.id, sr.meta.version, &stu).unwrap();
    st.log_discrepancy(&Discrepancy {
        id: 0,
        term: term(),
        student_id: stu.id,
        category: Category::Diverse,
        line_id: None,
        kind: Kind::Missing,
        detail: "=1+1".into(),
        reported_on: today(),
        via: Via::Paper,
        unit: String::new(),
        status: DStatus::Reported,
        resolution: String::new(),
    })
    .unwrap();
    drop(st);
    (dir, db)
}

/// The cells of a CSV export (BOM dropped).
fn cells(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

fn export_csv(dir: &Path, db: &Path, cmd: &[&str]) -> Vec<Vec<String>> {
    let r = run(dir, db, cmd);
    r.code(0);
    cells(&r.stdout)
}

/// No cell anywhere starts as a formula would.
fn no_formula(rows: &[Vec<String>], what: &str) {
    for row in rows {
        for c in row {
            assert!(
                !c.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{what}: {c:?} in {row:?}"
            );
        }
    }
}

#[test]
fn calendar_csv_guards_titles_units_and_notes_and_reads_back() {
    let (dir, db) = poisoned();
    let rows = export_csv(dir.path(), &db, COMMANDS[0]);
    no_formula(&rows, "calendar");
    let row = rows
        .iter()
        .find(|r| r[3].contains("HYPERLINK"))
        .expect("the window");
    assert_eq!(row[3], format!("'{HYPERLINK}"));
    assert_eq!(row[6], "'-2");
    assert_eq!(row[9], "'\t備註");
    // Dates and the term are ours: written as they are.
    assert_eq!(row[0], "115-1");
    assert!(row[1].starts_with("115."), "{row:?}");

    // The export imported into a new school gives the same text back.
    let out = dir.path().join("cal.csv");
    export_to(dir.path(), &db, COMMANDS[0], s(&out)).code(0);
    let db2 = dir.path().join("second.db");
    run(dir.path(), &db2, &["init", "--preset", "jingxin"]).code(0);
    run(dir.path(), &db2, &["import", "calendar", s(&out)]).code(0);
    let st = Store::open(&db2).unwrap();
    let e = st
        .events()
        .unwrap()
        .into_iter()
        .find(|r| r.event.title.contains("HYPERLINK"))
        .unwrap()
        .event;
    assert_eq!(e.title, HYPERLINK);
    assert_eq!(e.units, vec!["-2".to_string()]);
    assert_eq!(e.notes, "\t備註");
}

#[test]
fn checklist_csv_guards_titles_and_notes() {
    let (dir, db) = poisoned();
    let rows = export_csv(dir.path(), &db, COMMANDS[1]);
    no_formula(&rows, "checklist");
    let row = rows.iter().find(|r| r[4] == "'+1 上傳").expect("the item");
    assert_eq!(row[10], "'@SUM(A1)");
    assert_eq!(row[0], "115");
}

#[test]
fn notices_csv_guards_names_addresses_and_emails() {
    let (dir, db) = poisoned();
    let rows = export_csv(dir.path(), &db, COMMANDS[2]);
    no_formula(&rows, "notices");
    let row = rows
        .iter()
        .find(|r| r[1] == "'@SUM(1+1)")
        .expect("the leaver");
    assert_eq!(row[6], "'-1+2 高雄市");
    assert_eq!(row[7], "'=x@example.tw");
}

#[test]
fn discrepancies_csv_guards_names_and_details() {
    let (dir, db) = poisoned();
    let rows = export_csv(dir.path(), &db, COMMANDS[3]);
    no_formula(&rows, "discrepancies");
    let row = rows.iter().find(|r| r[8] == "'=1+1").expect("the report");
    assert_eq!(row[3], "'@SUM(1+1)");
    // The id is ours: a plain number.
    assert!(row[0].parse::<i64>().is_ok(), "{row:?}");
}

#[test]
fn a_database_opened_through_a_symlink_is_refused_by_either_name() {
    let (dir, db) = demo();
    let d = dir.path();
    let link = d.join("current.db");
    std::os::unix::fs::symlink(&db, &link).unwrap();
    let before = bytes(&db);
    for out in [
        "school.db",
        "./current.db",
        "current.db-wal",
        "school.db-shm",
    ] {
        let mut args = COMMANDS[0].to_vec();
        args.extend_from_slice(&["--out", out]);
        let r = run(d, &link, &args);
        r.code(1);
        assert!(
            r.stderr.contains(&format!("「{out}」")),
            "{out}: {}",
            r.stderr
        );
        assert_eq!(bytes(&db), before, "{out}");
    }
}
