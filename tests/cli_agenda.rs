//! `portfolio-desk agenda` and `minutes` (src/cli/agenda.rs) as a real
//! process on the demo school with two meetings: the next planned one
//! printed by default with live reports, the held one with its frozen
//! reports and decisions, missing meetings refused with exit 1 quoting N,
//! and printing never writing the database.

mod common;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use common::cli::run;
use portfolio_desk::domain::calendar::{Event, Grades, Phase};
use portfolio_desk::domain::meeting::{MeetingStatus, Section};
use portfolio_desk::domain::roc::{DateRange, Term};
use portfolio_desk::store::Store;
use tempfile::TempDir;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// The demo school (2026-11-25): meeting 1 held (its reports frozen, the
/// minutes recorded, 輔導處's decision still open) and meeting 2 planned
/// with two motions. Meeting 2's stored bodies are then set to 「舊的報告」
/// (a print must regenerate them) and a window is made overdue after
/// meeting 1 was held (its frozen reports must not show it).
fn school() -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let mut s = Store::open(&db).unwrap();
    s.set_user("secretary");
    portfolio_desk::demo::seed(&mut s, d(2026, 11, 25)).unwrap();
    let m2 = s.meeting_by_number(115, 2).unwrap().unwrap();
    assert_eq!(m2.status, MeetingStatus::Planned);
    let bodies: Vec<(i64, String)> = s
        .agenda_items(m2.id)
        .unwrap()
        .iter()
        .filter(|i| i.section == Section::Report && i.topic.is_some())
        .map(|i| (i.id, "舊的報告".to_string()))
        .collect();
    s.set_report_bodies(m2.id, &bodies).unwrap();
    s.add_event(&Event {
        id: 0,
        term: Term {
            year: 115,
            semester: 1,
        },
        title: "會後新增的逾期作業".into(),
        phase: Phase::Upload,
        grades: Grades::ALL,
        units: vec!["註冊組".into()],
        span: DateRange::new(d(2026, 11, 2), d(2026, 11, 3)).unwrap(),
        national: false,
        prepares_for: None,
        notes: String::new(),
        done_on: None,
    })
    .unwrap();
    (dir, db)
}

fn bodies_of(db: &Path, number: u32) -> Vec<String> {
    let s = Store::open(db).unwrap();
    let m = s.meeting_by_number(115, number).unwrap().unwrap();
    s.agenda_items(m.id)
        .unwrap()
        .into_iter()
        .filter(|i| i.section == Section::Report)
        .map(|i| i.body)
        .collect()
}

#[test]
fn agenda_prints_the_next_planned_meeting_with_live_reports() {
    let (dir, db) = school();
    let before = bodies_of(&db, 2);
    let r = run(dir.path(), &db, &["agenda"]);
    r.code(0);
    let out = &r.stdout;
    assert!(
        out.contains("## 學生學習歷程檔案資料工作小組 115 學年度第 2 次會議"),
        "{out}"
    );
    assert!(out.contains("115.12.09 12:10~13:00"), "{out}");
    assert!(out.contains("### 一、各項工作作業期程及分工權責"), "{out}");
    // Live, not the stored bodies: the window added after the meeting shows.
    assert!(!out.contains("舊的報告"), "{out}");
    assert!(out.contains("會後新增的逾期作業"), "{out}");
    assert!(out.contains("執行檢核表已完成"), "{out}");
    assert!(out.contains("收訖確認"), "{out}");
    // Meeting 1's open decision is carried to 前次會議決議執行情形.
    let prev = out.find("貳、前次會議決議執行情形").unwrap();
    let motions = out.find("參、討論事項").unwrap();
    assert!(
        out[prev..motions].contains("辦理高一學生學習歷程檔案說明會"),
        "{out}"
    );
    assert!(out[prev..motions].contains("修正通過"), "{out}");
    assert!(
        out[motions..].contains("案由一：修正本校學生學習歷程檔案作業補充規定"),
        "{out}"
    );
    // Printing wrote nothing.
    assert_eq!(bodies_of(&db, 2), before);
}

#[test]
fn a_held_meeting_prints_the_reports_frozen_when_it_was_held() {
    let (dir, db) = school();
    let frozen = bodies_of(&db, 1);
    assert!(
        frozen.iter().any(|b| b.contains("執行檢核表已完成")),
        "{frozen:?}"
    );
    let r = run(
        dir.path(),
        &db,
        &["agenda", "--meeting", "1", "--format", "txt"],
    );
    r.code(0);
    assert!(!r.stdout.contains("會後新增的逾期作業"), "{}", r.stdout);
    assert!(r.stdout.contains("執行檢核表已完成"), "{}", r.stdout);
    assert!(r.stdout.contains("____"), "the sign-in sheet: {}", r.stdout);
}

#[test]
fn minutes_go_to_a_file_with_attendance_and_decisions() {
    let (dir, db) = school();
    let r = run(
        dir.path(),
        &db,
        &["minutes", "--meeting", "1", "--out", "minutes.html"],
    );
    r.code(0);
    assert!(r.stdout.contains("minutes.html"), "{}", r.stdout);
    let html = std::fs::read_to_string(dir.path().join("minutes.html")).unwrap();
    assert!(html.contains("@page { size: A4"));
    assert!(html.contains("會議紀錄"));
    assert!(
        html.contains("<dt>決議：</dt><dd>照案通過，由教務處公告。</dd>"),
        "{html}"
    );
    assert!(html.contains("<td>出席</td>"), "{html}");
    assert!(html.contains("代理出席（"), "{html}");
}

#[test]
fn a_missing_meeting_is_refused_with_exit_1_quoting_n() {
    let (dir, db) = school();
    let r = run(dir.path(), &db, &["agenda", "--meeting", "9"]);
    r.code(1);
    assert!(r.stderr.contains("第 9 次"), "{}", r.stderr);
    assert!(
        r.stderr.contains("1、2"),
        "names the meetings there are: {}",
        r.stderr
    );
    assert!(r.stdout.is_empty());
    let r = run(
        dir.path(),
        &db,
        &["minutes", "--meeting", "7", "--lang", "en"],
    );
    r.code(1);
    assert!(r.stderr.contains("no meeting 7"), "{}", r.stderr);
    // Minutes of a meeting not held yet.
    let r = run(dir.path(), &db, &["minutes", "--meeting", "2"]);
    r.code(1);
    assert!(r.stderr.contains("第 2 次會議尚未開會"), "{}", r.stderr);
    assert!(!dir.path().join("minutes.html").exists());
}

#[test]
fn no_planned_meeting_is_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    run(dir.path(), &db, &["init", "--preset", "taitung"]).code(0);
    let r = run(dir.path(), &db, &["agenda", "--out", "a.html"]);
    r.code(1);
    assert!(
        r.stderr.contains("115.11.25 之後沒有籌備中的會議"),
        "{}",
        r.stderr
    );
    assert!(!dir.path().join("a.html").exists());
    let r = run(dir.path(), &db, &["agenda", "--format", "pdf"]);
    assert_ne!(r.code, Some(0));
    assert!(r.stderr.contains("pdf"), "{}", r.stderr);
}

#[test]
fn the_out_file_rules_apply() {
    let (dir, db) = school();
    let r = run(dir.path(), &db, &["agenda", "--out", db.to_str().unwrap()]);
    r.code(1);
    // The database is still a database.
    Store::open(&db).unwrap();
    let r = run(dir.path(), &db, &["agenda", "--out", "agenda.md"]);
    r.code(0);
    let md = std::fs::read_to_string(dir.path().join("agenda.md")).unwrap();
    assert!(md.starts_with("# 臺北市私立靜心高級中學"), "{md}");
}

#[test]
fn meetings_held_freezes_the_live_reports_that_minutes_then_print() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let p = dir.path();
    run(p, &db, &["init", "--preset", "taitung"]).code(0);
    {
        let mut s = Store::open(&db).unwrap();
        s.ensure_term(Term {
            year: 115,
            semester: 1,
        })
        .unwrap();
    }
    run(
        p,
        &db,
        &[
            "meetings",
            "plan",
            "--date",
            "115.11.20",
            "--time",
            "14:00",
            "--place",
            "會議室",
        ],
    )
    .code(0);
    // Planned: nothing generated is stored yet.
    assert!(bodies_of(&db, 1).iter().all(|b| b.is_empty()));
    run(p, &db, &["meetings", "held", "1"]).code(0);
    let frozen = bodies_of(&db, 1);
    // 臺東's duties: 期程 reports the calendar, 訓練 the trainings missing.
    assert!(
        frozen.iter().any(|b| b.contains("尚未建立執行檢核表")),
        "{frozen:?}"
    );
    assert!(frozen.iter().any(|b| b.contains("學生訓練")), "{frozen:?}");
    // 成效評核及獎勵 has no live report: left for the secretary.
    assert!(frozen.iter().any(|b| b.is_empty()), "{frozen:?}");
    let r = run(p, &db, &["minutes", "--meeting", "1", "--format", "md"]);
    r.code(0);
    assert!(r.stdout.contains("### 二、人員"), "{}", r.stdout);
    assert!(r.stdout.contains("尚未建立執行檢核表"), "{}", r.stdout);
}

/// Every table's rows, as text (any write shows).
fn content(db: &Path) -> Vec<String> {
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
                Ok((0..n)
                    .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                    .collect::<Vec<_>>()
                    .join(" | "))
            })
            .unwrap();
        for row in rows {
            out.push(format!("{t}: {}", row.unwrap()));
        }
    }
    out
}

#[test]
fn printing_never_writes_the_database() {
    let (dir, db) = school();
    let before = content(&db);
    for args in [
        vec!["agenda"],
        vec!["agenda", "--format", "html"],
        vec!["agenda", "--format", "txt", "--lang", "en"],
        vec!["agenda", "--meeting", "1"],
        vec!["minutes", "--meeting", "1", "--format", "txt"],
        vec!["agenda", "--meeting", "9"],
    ] {
        run(dir.path(), &db, &args);
        assert_eq!(content(&db), before, "{args:?} wrote to the database");
    }
}
