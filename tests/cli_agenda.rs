//! `portfolio-desk agenda` and `minutes` (src/cli/agenda.rs) as a real
//! process on the demo school with two meetings: the next planned one
//! printed by default with live reports, the held one with its frozen
//! reports and decisions, missing meetings refused with exit 1 quoting N,
//! and printing never writing the database.

mod common;

use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveTime};
use common::cli::run;
use portfolio_desk::domain::meeting::{
    AttendEntry, AttendStatus, DecisionDraft, ItemDraft, MeetingDraft, MeetingKind, MeetingStatus,
    Section,
};
use portfolio_desk::store::Store;
use tempfile::TempDir;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn draft(date: NaiveDate) -> MeetingDraft {
    MeetingDraft {
        date,
        starts_at: NaiveTime::from_hms_opt(15, 10, 0).unwrap(),
        ends_at: Some(NaiveTime::from_hms_opt(17, 0, 0).unwrap()),
        place: "行政大樓會議室".into(),
        kind: MeetingKind::Regular,
        chair_id: None,
        recorder_id: None,
    }
}

/// The demo school (2026-11-25) with meeting 1 (115.09.29) held, minutes
/// and an open decision, and meeting 2 (115.12.15) planned with a motion.
/// Meeting 1's report bodies are frozen as 「凍結的報告」; meeting 2's stored
/// bodies say 「舊的報告」 (a print must regenerate them).
fn school() -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let mut s = Store::open(&db).unwrap();
    s.set_user("secretary");
    let today = d(2026, 11, 25);
    portfolio_desk::demo::seed(&mut s, today).unwrap();
    let m1 = s.plan_meeting(&draft(d(2026, 9, 29))).unwrap();
    let items = s.agenda_items(m1.id).unwrap();
    let report = items.iter().find(|i| i.section == Section::Report).unwrap();
    s.set_report_bodies(m1.id, &[(report.id, "凍結的報告".into())])
        .unwrap();
    let motion = s
        .add_agenda_item(
            m1.id,
            &ItemDraft {
                section: Section::Motion,
                title: "訂定本學期作業期程，提請討論。".into(),
                proposer: "教務處".into(),
                body: "依補充規定辦理。".into(),
                proposal: "通過後公告。".into(),
                topic: None,
            },
        )
        .unwrap();
    let members = s.committee_members(115).unwrap();
    let entries: Vec<AttendEntry> = members
        .iter()
        .map(|(id, _, _)| AttendEntry {
            staff_id: *id,
            status: Some(AttendStatus::Present),
            proxy_id: None,
        })
        .collect();
    s.set_attendance(m1.id, &entries).unwrap();
    let m1 = s.meeting(m1.id).unwrap();
    s.set_meeting_status(m1.id, m1.meta.version, MeetingStatus::Held, today)
        .unwrap();
    let motion = s.agenda_item(motion.id).unwrap();
    s.record_decision(
        motion.id,
        motion.meta.version,
        &DecisionDraft {
            decision: "照案通過，公告於學校網站。".into(),
            owner: "教務處".into(),
            due_on: Some(d(2026, 12, 31)),
        },
    )
    .unwrap();

    let m2 = s.plan_meeting(&draft(d(2026, 12, 15))).unwrap();
    let items = s.agenda_items(m2.id).unwrap();
    let bodies: Vec<(i64, String)> = items
        .iter()
        .filter(|i| i.section == Section::Report && i.topic.is_some())
        .map(|i| (i.id, "舊的報告".to_string()))
        .collect();
    s.set_report_bodies(m2.id, &bodies).unwrap();
    s.add_agenda_item(
        m2.id,
        &ItemDraft {
            section: Section::Motion,
            title: "學習歷程檔案優良作品獎勵，提請討論。".into(),
            proposer: "輔導處".into(),
            body: "鼓勵學生。".into(),
            proposal: "每班推薦 2 名。".into(),
            topic: None,
        },
    )
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
    assert!(out.contains("115.12.15 15:10~17:00"), "{out}");
    assert!(out.contains("### 一、各項工作作業期程及分工權責"), "{out}");
    // Live, not the stored bodies.
    assert!(!out.contains("舊的報告"), "{out}");
    assert!(out.contains("執行檢核表已完成"), "{out}");
    assert!(out.contains("收訖確認"), "{out}");
    // Meeting 1's open decision is carried to 前次會議決議執行情形.
    let prev = out.find("貳、前次會議決議執行情形").unwrap();
    let motions = out.find("參、討論事項").unwrap();
    assert!(out[prev..motions].contains("訂定本學期作業期程"), "{out}");
    assert!(
        out[prev..motions].contains("照案通過，公告於學校網站。"),
        "{out}"
    );
    assert!(
        out[motions..].contains("案由一：學習歷程檔案優良作品獎勵"),
        "{out}"
    );
    // Printing wrote nothing.
    assert_eq!(bodies_of(&db, 2), before);
}

#[test]
fn a_held_meeting_prints_the_reports_frozen_when_it_was_held() {
    let (dir, db) = school();
    let r = run(
        dir.path(),
        &db,
        &["agenda", "--meeting", "1", "--format", "txt"],
    );
    r.code(0);
    assert!(r.stdout.contains("凍結的報告"), "{}", r.stdout);
    assert!(!r.stdout.contains("執行檢核表已完成"), "{}", r.stdout);
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
        html.contains("<dt>決議：</dt><dd>照案通過，公告於學校網站。</dd>"),
        "{html}"
    );
    assert!(html.contains("<td>出席</td>"), "{html}");
    assert!(html.contains("115.12.31"));
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
    let db = dir.path().join("demo.db");
    {
        let mut s = Store::open(&db).unwrap();
        s.set_user("secretary");
        portfolio_desk::demo::seed(&mut s, d(2026, 11, 25)).unwrap();
    }
    let p = dir.path();
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
    assert!(
        bodies_of(&db, 1).iter().all(|b| b.is_empty()),
        "{:?}",
        bodies_of(&db, 1)
    );
    run(p, &db, &["meetings", "held", "1"]).code(0);
    let frozen = bodies_of(&db, 1);
    assert!(
        frozen.iter().any(|b| b.contains("執行檢核表已完成")),
        "{frozen:?}"
    );
    // The items without a live report stay for the secretary to write.
    assert!(frozen.iter().any(|b| b.is_empty()), "{frozen:?}");
    let r = run(p, &db, &["minutes", "--meeting", "1", "--format", "md"]);
    r.code(0);
    assert!(r.stdout.contains("執行檢核表已完成"), "{}", r.stdout);
}
