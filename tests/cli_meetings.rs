//! `meetings …` and `check meetings`, run as a real process (today is
//! 2026-11-25 = 115.11.25) on a 靜心 school with terms 115-1 and 115-2 and
//! three committee members.

use std::path::PathBuf;

use portfolio_desk::domain::committee::StaffDraft;
use portfolio_desk::domain::preset;
use portfolio_desk::domain::roc::Term;
use portfolio_desk::store::Store;
use tempfile::TempDir;

mod common;
use common::cli::run;

fn school() -> (TempDir, PathBuf) {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("school.db");
    let mut s = Store::open(&db).unwrap();
    s.set_user("secretary");
    s.init_school(&preset::by_key("jingxin").unwrap(), 115)
        .unwrap();
    for semester in [1, 2] {
        s.ensure_term(Term {
            year: 115,
            semester,
        })
        .unwrap();
    }
    let mut ids = Vec::new();
    for (name, pos) in [
        ("王校長", "校長"),
        ("李教務", "教務主任"),
        ("陳註冊", "註冊組長"),
        ("林老師", "教師"),
    ] {
        ids.push(
            s.add_staff(&StaffDraft {
                name: name.into(),
                positions: vec![pos.into()],
                ..Default::default()
            })
            .unwrap()
            .id,
        );
    }
    let c = s.committee(115).unwrap().unwrap();
    for v in s.seats(c.id).unwrap() {
        let who = match v.seat.title.as_str() {
            "校長" => ids[0],
            "教務主任" => ids[1],
            "註冊組長" => ids[2],
            _ => continue,
        };
        s.assign_seat(v.seat.id, v.seat.meta.version, Some(who))
            .unwrap();
    }
    // A calendar for 115-1, so that `check calendar` judges the term.
    let span = portfolio_desk::domain::roc::parse_range("115.10.01~10").unwrap();
    s.add_event(&portfolio_desk::domain::calendar::Event {
        id: 0,
        term: Term {
            year: 115,
            semester: 1,
        },
        title: "校內上傳".into(),
        phase: portfolio_desk::domain::calendar::Phase::Upload,
        grades: portfolio_desk::domain::calendar::Grades::from_bits(7),
        units: vec!["註冊組".into()],
        span,
        national: false,
        prepares_for: None,
        notes: String::new(),
        done_on: None,
    })
    .unwrap();
    drop(s);
    (dir, db)
}

#[test]
fn plan_motion_attend_hold_decide_and_show() {
    let (dir, db) = school();
    let d = dir.path();
    let r = run(
        d,
        &db,
        &[
            "meetings",
            "plan",
            "--date",
            "115.09.29",
            "--time",
            "14:00",
            "--end",
            "16:00",
            "--place",
            "第一會議室",
        ],
    );
    r.code(0);
    assert!(r.stdout.contains("第 1 次"), "{}", r.stdout);
    assert!(r.stdout.contains("115.09.29"), "{}", r.stdout);
    let r = run(
        d,
        &db,
        &[
            "meetings",
            "motion",
            "1",
            "--title",
            "訂定校內上傳期程",
            "--proposer",
            "教務處",
        ],
    );
    r.code(0);
    // Six standing reports, then the motion: item 7.
    assert!(r.stdout.contains("第 7 案"), "{}", r.stdout);
    run(d, &db, &["meetings", "attend", "1", "王校長", "出席"]).code(0);
    let r = run(
        d,
        &db,
        &[
            "meetings",
            "attend",
            "1",
            "陳註冊",
            "代理出席",
            "--by",
            "林老師",
        ],
    );
    r.code(0);
    assert!(r.stdout.contains("出席 2 / 3"), "{}", r.stdout);
    // Not on the committee: refused, named.
    let r = run(d, &db, &["meetings", "attend", "1", "林老師", "出席"]);
    r.code(1);
    assert!(r.stderr.contains("林老師"), "{}", r.stderr);
    assert!(r.stderr.contains("115"), "{}", r.stderr);
    // A decision before the meeting is held is refused.
    let r = run(
        d,
        &db,
        &["meetings", "decide", "1", "7", "--decision", "照案通過"],
    );
    r.code(1);
    run(d, &db, &["meetings", "held", "1"]).code(0);
    // Due before the meeting: refused, quoting both dates.
    let r = run(
        d,
        &db,
        &[
            "meetings",
            "decide",
            "1",
            "7",
            "--decision",
            "照案通過",
            "--owner",
            "註冊組",
            "--due",
            "115.09.01",
        ],
    );
    r.code(1);
    assert!(
        r.stderr.contains("115.09.01") && r.stderr.contains("115.09.29"),
        "{}",
        r.stderr
    );
    run(
        d,
        &db,
        &[
            "meetings",
            "decide",
            "1",
            "7",
            "--decision",
            "照案通過",
            "--owner",
            "註冊組",
            "--due",
            "115.10.30",
        ],
    )
    .code(0);
    let r = run(d, &db, &["meetings", "show", "1"]);
    r.code(0);
    assert!(r.stdout.contains("主席：王校長"), "{}", r.stdout);
    assert!(r.stdout.contains("紀錄：李教務"), "{}", r.stdout);
    assert!(
        r.stdout.contains("7. [討論事項] 訂定校內上傳期程"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("決議：照案通過（註冊組）"),
        "{}",
        r.stdout
    );
    let r = run(d, &db, &["--lang", "en", "meetings", "list"]);
    r.code(0);
    assert!(
        r.stdout.contains("no. 1") && r.stdout.contains("held"),
        "{}",
        r.stdout
    );
}

#[test]
fn check_meetings_reports_and_exits_one_then_zero_when_all_is_done() {
    let (dir, db) = school();
    let d = dir.path();
    // 115-1 is more than half over with no meeting.
    let r = run(d, &db, &["check", "meetings"]);
    r.code(1);
    assert!(r.stdout.contains("115-1"), "{}", r.stdout);
    run(
        d,
        &db,
        &[
            "meetings",
            "plan",
            "--date",
            "115.10.06",
            "--time",
            "14:00",
            "--place",
            "會議室",
        ],
    )
    .code(0);
    run(d, &db, &["meetings", "held", "1"]).code(0);
    run(
        d,
        &db,
        &[
            "meetings",
            "decide",
            "1",
            "1",
            "--decision",
            "期程公告",
            "--owner",
            "教務處",
            "--due",
            "115.11.01",
        ],
    )
    .code(0);
    let r = run(d, &db, &["--lang", "en", "check", "meetings"]);
    r.code(1);
    assert!(
        r.stdout.contains("minutes are not confirmed"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("due 115.11.01"), "{}", r.stdout);
    run(d, &db, &["meetings", "confirm", "1"]).code(0);
    run(
        d,
        &db,
        &["meetings", "done", "1", "1", "--date", "115.10.30"],
    )
    .code(0);
    let r = run(d, &db, &["check", "meetings", "--year", "115"]);
    r.code(0);
}

#[test]
fn bad_input_is_refused_quoting_it_and_nothing_is_written() {
    let (dir, db) = school();
    let d = dir.path();
    let r = run(
        d,
        &db,
        &[
            "meetings",
            "plan",
            "--date",
            "116.09.01",
            "--time",
            "14:00",
            "--place",
            "會議室",
        ],
    );
    r.code(1);
    assert!(r.stderr.contains("116.09.01"), "{}", r.stderr);
    let r = run(
        d,
        &db,
        &[
            "meetings",
            "plan",
            "--date",
            "115.09.29",
            "--time",
            "25:00",
            "--place",
            "會議室",
        ],
    );
    r.code(1);
    assert!(r.stderr.contains("25:00"), "{}", r.stderr);
    let r = run(
        d,
        &db,
        &[
            "meetings",
            "plan",
            "--date",
            "115.09.29",
            "--time",
            "14:00",
            "--place",
            "會議室",
            "--kind",
            "緊急",
        ],
    );
    r.code(1);
    assert!(r.stderr.contains("緊急"), "{}", r.stderr);
    let r = run(d, &db, &["meetings", "show", "3"]);
    r.code(1);
    assert!(r.stderr.contains("第 3 次"), "{}", r.stderr);
    let r = run(d, &db, &["meetings", "list"]);
    r.code(0);
    assert!(
        r.stdout.contains("尚無會議"),
        "nothing written: {}",
        r.stdout
    );
}

#[test]
fn moving_and_cancelling_follow_on_the_calendar_check() {
    let (dir, db) = school();
    let d = dir.path();
    run(
        d,
        &db,
        &[
            "meetings",
            "plan",
            "--date",
            "115.12.01",
            "--time",
            "14:00",
            "--place",
            "會議室",
        ],
    )
    .code(0);
    let r = run(d, &db, &["meetings", "move", "1", "--date", "115.12.08"]);
    r.code(0);
    assert!(r.stdout.contains("115.12.08"), "{}", r.stdout);
    let missing = "115-1 學期沒有排定工作小組會議";
    let r = run(d, &db, &["check", "calendar", "--term", "115-1"]);
    assert!(
        !r.stdout.contains(missing),
        "the meeting counts: {}",
        r.stdout
    );
    run(d, &db, &["meetings", "cancel", "1"]).code(0);
    let r = run(d, &db, &["meetings", "list"]);
    assert!(r.stdout.contains("尚無會議"), "{}", r.stdout);
    let r = run(d, &db, &["check", "calendar", "--term", "115-1"]);
    assert!(r.stdout.contains(missing), "cancelled, gone: {}", r.stdout);
}
