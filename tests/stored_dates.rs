//! Dates read from the store (issue 18): a date the file holds that is not a
//! date is an error naming the table, row, column and value — never a silent
//! 0001-01-01, a missing date or a dropped row.
//!
//! The schema's CHECK constraints refuse such a value, so each test writes
//! it the way another program could: a raw connection to the temp file with
//! `PRAGMA ignore_check_constraints = ON`.

mod common;

use std::path::Path;

use common::{key, screen, today};
use portfolio_desk::app::App;
use portfolio_desk::domain::calendar::{Event, Grades, Phase};
use portfolio_desk::domain::checklist::{Status, Template};
use portfolio_desk::domain::committee::{StaffDraft, StaffStatus};
use portfolio_desk::domain::delegation::{Absence, AbsenceKind};
use portfolio_desk::domain::preset;
use portfolio_desk::domain::receipt::{Category, DStatus, Discrepancy, Kind, LineIn, Via};
use portfolio_desk::domain::roc::{Term, parse_date, parse_range};
use portfolio_desk::i18n::{Lang, Localized, set_lang};
use portfolio_desk::store::{Store, StoreError};
use portfolio_desk::ui::theme::Theme;
use ratatui::crossterm::event::KeyCode;

fn school(key: &str, year: i32) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("s.db")).unwrap();
    s.set_user("registry");
    s.init_school(&preset::by_key(key).unwrap(), year).unwrap();
    (dir, s)
}

/// Runs `sql` on the file through a connection of its own, as another
/// program would, with the CHECK constraints off.
fn corrupt(path: &Path, sql: &str) {
    let c = rusqlite::Connection::open(path).unwrap();
    c.execute_batch("PRAGMA ignore_check_constraints = ON;")
        .unwrap();
    let changed = c.execute(sql, []).unwrap();
    assert_eq!(changed, 1, "{sql} changed {changed} rows");
}

/// The same write with the CHECK constraints on is refused: the bypass
/// above is what makes the bad value possible.
fn refused_by_the_schema(path: &Path, sql: &str) {
    let c = rusqlite::Connection::open(path).unwrap();
    let err = c.execute(sql, []).unwrap_err();
    assert!(err.to_string().contains("CHECK"), "{err}");
}

/// Asserts `r` is the bad-date error for that place and value, and that the
/// message names them in both languages.
#[track_caller]
fn assert_bad<T: std::fmt::Debug>(
    r: Result<T, StoreError>,
    table: &str,
    row_id: i64,
    column: &str,
    value: &str,
) {
    let e = r.expect_err("a bad stored date must be an error");
    match &e {
        StoreError::BadStoredDate {
            table: t,
            row_id: id,
            column: c,
            value: v,
        } => assert_eq!((*t, *id, *c, v.as_str()), (table, row_id, column, value)),
        other => panic!("expected BadStoredDate, got {other:?}"),
    }
    set_lang(Lang::ZhTw);
    let zh = e.message();
    assert!(
        zh.contains(&format!(
            "資料庫中 {table} #{row_id} 的 {column} 日期「{value}」無法讀取"
        )),
        "{zh}"
    );
    assert!(zh.contains("portfolio-desk doctor"), "{zh}");
    set_lang(Lang::En);
    let en = e.message();
    assert!(
        en.contains(&format!("{column} date \"{value}\" of {table} #{row_id}")),
        "{en}"
    );
    set_lang(Lang::ZhTw);
}

fn term(s: &str) -> Term {
    s.parse().unwrap()
}

fn event(t: &str, title: &str, dates: &str) -> Event {
    Event {
        id: 0,
        term: term(t),
        title: title.into(),
        phase: Phase::ReceiptConfirm,
        grades: Grades::of(&[11, 12]),
        units: vec!["註冊組".into()],
        span: parse_range(dates).unwrap(),
        national: false,
        prepares_for: None,
        notes: String::new(),
        done_on: None,
    }
}

fn line(no: &str) -> LineIn {
    LineIn {
        term: term("111-1"),
        student_no: no.into(),
        name: format!("學生{no}").into(),
        class: "201".into(),
        seat: Some(1),
        category: Category::Basic,
        item: "學籍資料".into(),
        count: 1,
        extra: "".into(),
    }
}

#[test]
fn a_discrepancys_bad_reported_on_is_an_error_not_0001_01_01() {
    let (dir, mut s) = school("fengshan", 111);
    s.import_receipts(&[line("110001"), line("110002")], &mut |_, _| {})
        .unwrap();
    let mut ids = Vec::new();
    for no in ["110001", "110002"] {
        let sid = s.student_by_no(no).unwrap().unwrap().student.id;
        ids.push(
            s.log_discrepancy(&Discrepancy {
                id: 0,
                term: term("111-1"),
                student_id: sid,
                category: Category::Basic,
                line_id: None,
                kind: Kind::Missing,
                detail: "少一件".into(),
                reported_on: parse_date("111.10.03").unwrap(),
                via: Via::Platform,
                unit: String::new(),
                status: DStatus::Reported,
                resolution: String::new(),
            })
            .unwrap(),
        );
    }
    let read = s.discrepancies(Some(term("111-1"))).unwrap();
    assert_eq!(read.len(), 2);
    assert!(
        read.iter()
            .all(|d| d.d.reported_on == parse_date("111.10.03").unwrap())
    );

    let db = dir.path().join("s.db");
    let bad = format!(
        "UPDATE discrepancy SET reported_on = '2023-02-31' WHERE id = {}",
        ids[1]
    );
    refused_by_the_schema(&db, &bad);
    corrupt(&db, &bad);
    assert_bad(
        s.discrepancies(Some(term("111-1"))),
        "discrepancy",
        ids[1],
        "reported_on",
        "2023-02-31",
    );
    assert_bad(
        s.discrepancies(None),
        "discrepancy",
        ids[1],
        "reported_on",
        "2023-02-31",
    );
}

#[test]
fn an_events_bad_dates_are_errors_naming_the_event() {
    let (dir, mut s) = school("taitung", 115);
    let keep = s
        .add_event(&event("115-1", "確認收訖", "115.11.01-115.11.10"))
        .unwrap();
    let id = s
        .add_event(&event("115-1", "補登", "115.11.15-115.11.20"))
        .unwrap();
    assert_eq!(s.events().unwrap().len(), 2);
    let db = dir.path().join("s.db");

    let bad = format!("UPDATE event SET starts_on = '2023-02-31' WHERE id = {id}");
    refused_by_the_schema(&db, &bad);
    corrupt(&db, &bad);
    // Every way of reading it says so; before, the row was silently dropped.
    assert_bad(s.events(), "event", id, "starts_on", "2023-02-31");
    assert_bad(s.event(id), "event", id, "starts_on", "2023-02-31");
    assert_bad(s.calendar(), "event", id, "starts_on", "2023-02-31");
    assert_bad(
        s.confirm_window(term("115-1")),
        "event",
        id,
        "starts_on",
        "2023-02-31",
    );
    // The sound event still reads.
    assert_eq!(s.event(keep).unwrap().event.title, "確認收訖");

    // A number where the end date should be.
    corrupt(
        &db,
        &format!("UPDATE event SET starts_on = '2026-11-15', ends_on = 20261120 WHERE id = {id}"),
    );
    assert_bad(s.event(id), "event", id, "ends_on", "20261120");

    // A done date that is not a date is not "not done".
    corrupt(
        &db,
        &format!("UPDATE event SET ends_on = '2026-11-20', done_on = '115.11.20' WHERE id = {id}"),
    );
    assert_bad(s.event(id), "event", id, "done_on", "115.11.20");

    // Repaired, it reads again.
    corrupt(
        &db,
        &format!("UPDATE event SET done_on = '2026-11-20' WHERE id = {id}"),
    );
    assert_eq!(
        s.event(id).unwrap().event.done_on,
        Some(parse_date("115.11.20").unwrap())
    );
}

#[test]
fn a_checklist_items_bad_done_date_is_an_error_not_none() {
    let (dir, mut s) = school("jingxin", 115);
    let ids = s
        .create_checklists(&Template::builtin().remove(0), 115)
        .unwrap();
    let first = s.checklist_items(ids[0]).unwrap().remove(0);
    s.set_item_status(
        first.item.id,
        first.meta.version,
        Status::Done,
        parse_date("115.11.25").unwrap(),
    )
    .unwrap();
    let id = first.item.id;
    assert_eq!(
        s.checklist_item(id).unwrap().item.done_on,
        Some(parse_date("115.11.25").unwrap())
    );
    let db = dir.path().join("s.db");
    let bad = format!("UPDATE checklist_item SET done_on = '2026-02-30' WHERE id = {id}");
    refused_by_the_schema(&db, &bad);
    corrupt(&db, &bad);
    assert_bad(
        s.checklist_item(id),
        "checklist_item",
        id,
        "done_on",
        "2026-02-30",
    );
    assert_bad(
        s.checklist_items(ids[0]),
        "checklist_item",
        id,
        "done_on",
        "2026-02-30",
    );
    assert_bad(
        s.check_checklists(Some(115), today()),
        "checklist_item",
        id,
        "done_on",
        "2026-02-30",
    );
    // The other list of the year is not touched by it.
    assert!(!s.checklist_items(ids[1]).unwrap().is_empty());
}

#[test]
fn terms_staff_absences_and_confirmation_windows_name_their_bad_dates() {
    let (dir, mut s) = school("fengshan", 115);
    let db = dir.path().join("s.db");
    let staff = s
        .add_staff(&StaffDraft {
            name: "王老師".into(),
            status: StaffStatus::Active,
            ..Default::default()
        })
        .unwrap();
    let absence = s
        .add_absence(&Absence {
            staff_id: staff.id,
            span: parse_range("115.11.01-115.11.05").unwrap(),
            kind: AbsenceKind::Leave,
            reason: "產假".into(),
        })
        .unwrap();
    s.set_confirm_window(
        term("115-1"),
        Some(parse_range("115.11.01-115.11.10").unwrap()),
    )
    .unwrap();
    let term_id: i64 = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT id FROM term WHERE year = 115 AND semester = 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let window_id: i64 = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT id FROM receipt_window WHERE term_id = ?1",
            [term_id],
            |r| r.get(0),
        )
        .unwrap();
    // All sound first.
    assert!(s.list_staff().is_ok());
    assert_eq!(s.absences().unwrap().len(), 1);
    assert!(s.confirm_window(term("115-1")).unwrap().is_some());
    assert!(s.terms().unwrap().iter().any(|t| t.id == term_id));

    corrupt(
        &db,
        &format!(
            "UPDATE staff SET left_on = 'someday' WHERE id = {}",
            staff.id
        ),
    );
    assert_bad(s.list_staff(), "staff", staff.id, "left_on", "someday");

    corrupt(
        &db,
        &format!("UPDATE absence SET ends_on = '2026-02-30' WHERE id = {absence}"),
    );
    assert_bad(s.absences(), "absence", absence, "ends_on", "2026-02-30");

    corrupt(
        &db,
        &format!("UPDATE receipt_window SET starts_on = '' WHERE id = {window_id}"),
    );
    assert_bad(
        s.confirm_window(term("115-1")),
        "receipt_window",
        window_id,
        "starts_on",
        "",
    );

    corrupt(
        &db,
        &format!("UPDATE term SET closing_on = '2027-01-20x' WHERE id = {term_id}"),
    );
    assert_bad(s.terms(), "term", term_id, "closing_on", "2027-01-20x");
}

#[test]
fn text_the_schemas_check_lets_through_is_still_caught_on_reading() {
    // CHECK (date(x) = x) is NULL, so it passes, for text that date() cannot
    // read at all: another program can store it without any bypass.
    let (dir, mut s) = school("taitung", 115);
    let id = s
        .add_event(&event("115-1", "確認收訖", "115.11.01-115.11.10"))
        .unwrap();
    let c = rusqlite::Connection::open(dir.path().join("s.db")).unwrap();
    c.execute(
        &format!("UPDATE event SET done_on = '2026-13-01' WHERE id = {id}"),
        [],
    )
    .expect("the schema now refuses this value: write it with corrupt()");
    assert_bad(s.event(id), "event", id, "done_on", "2026-13-01");
}

#[test]
fn a_long_or_multiline_bad_value_is_shown_on_one_short_line() {
    let (dir, mut s) = school("taitung", 115);
    let id = s
        .add_event(&event("115-1", "確認收訖", "115.11.01-115.11.10"))
        .unwrap();
    corrupt(
        &dir.path().join("s.db"),
        &format!(
            "UPDATE event SET starts_on = '2026-11-01' || char(10) || replace(hex(zeroblob(30)), '00', 'xx') WHERE id = {id}"
        ),
    );
    let e = s.event(id).unwrap_err();
    let StoreError::BadStoredDate { value, .. } = &e else {
        panic!("{e:?}");
    };
    assert_eq!(value, &format!("2026-11-01\\n{}…", "x".repeat(29)));
    assert!(!e.message().contains('\n'), "{}", e.message());
}

#[test]
fn the_calendar_screen_shows_the_error_instead_of_panicking() {
    set_lang(Lang::ZhTw);
    let (dir, mut s) = school("taitung", 115);
    s.set_fixed_now("2026-11-25T09:30:00+08:00");
    let id = s
        .add_event(&event("115-1", "確認收訖", "115.11.01-115.11.30"))
        .unwrap();
    corrupt(
        &dir.path().join("s.db"),
        &format!("UPDATE event SET ends_on = '2026-11-31' WHERE id = {id}"),
    );
    let mut app = App::new(s, today(), Theme { color: false });
    key(&mut app, KeyCode::Char('2'));
    let shown = screen(&app, 200, 30);
    assert!(shown.contains(&format!("event #{id}")), "{shown}");
    assert!(shown.contains("2026-11-31"), "{shown}");
}

#[test]
fn doctor_names_each_unreadable_date_and_the_cli_says_so_without_panicking() {
    let (dir, mut s) = school("taitung", 115);
    let sound = s
        .add_event(&event("115-1", "確認收訖", "115.11.01-115.11.10"))
        .unwrap();
    let id = s
        .add_event(&event("115-1", "補登", "115.11.15-115.11.20"))
        .unwrap();
    drop(s);
    let db = dir.path().join("s.db");
    let en = |args: &[&str]| {
        let mut a = vec!["--lang", "en"];
        a.extend_from_slice(args);
        common::cli::run(dir.path(), &db, &a)
    };
    let before = en(&["doctor"]);
    assert!(
        !before.stdout.contains("cannot be read"),
        "{}",
        before.stdout
    );

    // One value integrity_check sees (a CHECK failure), one it cannot
    // (date() gives NULL, so the CHECK passes).
    corrupt(
        &db,
        &format!("UPDATE event SET starts_on = '2026-11-31' WHERE id = {id}"),
    );
    corrupt(
        &db,
        &format!("UPDATE event SET done_on = 'done' WHERE id = {sound}"),
    );
    let r = en(&["doctor"]);
    let problems: Vec<&str> = r
        .stdout
        .lines()
        .filter(|l| l.starts_with("PROBLEM") && l.contains("cannot be read"))
        .collect();
    assert_eq!(problems.len(), 2, "{}", r.stdout);
    assert!(
        problems[0].contains(&format!("starts_on date \"2026-11-31\" of event #{id}")),
        "{problems:?}"
    );
    assert!(
        problems[1].contains(&format!("done_on date \"done\" of event #{sound}")),
        "{problems:?}"
    );

    // A command that reads events fails with the message, not a panic.
    let r = en(&["check", "calendar"]);
    assert_eq!(r.code, Some(1), "{}\n{}", r.stdout, r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    assert!(
        r.stderr.contains("\"2026-11-31\" of event #") || r.stderr.contains("\"done\" of event #"),
        "{}",
        r.stderr
    );
}
