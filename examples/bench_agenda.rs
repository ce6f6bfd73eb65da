//! The agenda benchmark on a generated large school (DESIGN.md's budget,
//! issue 14): the demo school (staff, committees, delegates, calendar,
//! checklists) with 4,000 students, 120,000 receipt lines and 20,000
//! discrepancies in the current term, five years of calendars at 60
//! windows a term, a held meeting with decisions and the next meeting
//! planned with two motions.
//!
//! Run: `cargo build --release --bins --example bench_agenda &&
//! target/release/examples/bench_agenda`.
//!
//! What it measures:
//! - `portfolio-desk agenda --out FILE` for the next meeting as a process
//!   (start, open, live reports, HTML, write; budget < 150 ms), when the
//!   release binary is there;
//! - the same in-process: open the file, build the document, render HTML;
//! - `Store::agenda_facts` alone (the SQL aggregates);
//! - `Store::meeting_overview` (what the meetings view loads; budget < 50 ms).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::{NaiveDate, NaiveTime};
use portfolio_desk::agenda_refresh::agenda_doc;
use portfolio_desk::demo::receipts::{Rng, discrepancies, lines_of, students};
use portfolio_desk::domain::agenda::DocKind;
use portfolio_desk::domain::calendar::{Event, Grades, Phase};
use portfolio_desk::domain::meeting::{
    DecisionDraft, ItemDraft, MeetingDraft, MeetingKind, MeetingStatus, Section,
};
use portfolio_desk::domain::roc::{DateRange, DateStyle, Term};
use portfolio_desk::io::agenda_export::{AgendaFormat, export};
use portfolio_desk::store::{ImportOptions, Store};

mod common;
use common::percentile;

const STUDENTS: usize = 4000;
const LINES_EACH: usize = 30;
const DISCREPANCIES: usize = 20_000;
const RUNS: usize = 15;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn today() -> NaiveDate {
    d(2026, 11, 25)
}

fn term() -> Term {
    Term {
        year: 115,
        semester: 1,
    }
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

fn motion(title: &str) -> ItemDraft {
    ItemDraft {
        section: Section::Motion,
        title: title.into(),
        topic: None,
        body: "說明".into(),
        proposer: "教務處".into(),
        proposal: "擬辦".into(),
    }
}

fn build(path: &Path) {
    let t = Instant::now();
    let mut s = Store::open(path).unwrap();
    s.set_user("secretary");
    portfolio_desk::demo::seed(&mut s, today()).unwrap();
    // Five academic years of calendars, 60 windows a term.
    for year in 111..=115 {
        for semester in [1, 2] {
            let tm = Term { year, semester };
            s.ensure_term(tm).unwrap();
            let span = tm.span();
            for i in 0..60i64 {
                let start = span.start + chrono::Duration::days((i * 3) % 170);
                let end = start + chrono::Duration::days(2 + i % 9);
                s.add_event(&Event {
                    id: 0,
                    term: tm,
                    title: format!("作業期程 {year}-{semester} #{i}"),
                    phase: Phase::ALL[(i as usize) % 8],
                    grades: Grades::of(&[10 + (i % 3) as u8]),
                    units: vec!["註冊組".into()],
                    span: DateRange::new(start, end).unwrap(),
                    national: false,
                    prepares_for: None,
                    notes: String::new(),
                    done_on: (end < today() && i % 4 != 0).then_some(end),
                })
                .unwrap();
            }
        }
    }
    // The large receipt round.
    let mut rng = Rng::new(2026);
    let list = students(STUDENTS, &[10, 11, 12], term().year, 40, &mut rng);
    let mut lines = Vec::with_capacity(STUDENTS * LINES_EACH);
    for (i, st) in list.iter().enumerate() {
        let mut mine = lines_of(st, term(), LINES_EACH, i % 211 == 3, &mut rng);
        let mut seen = std::collections::HashMap::new();
        for l in &mut mine {
            let n = seen.entry((l.category, l.item.clone())).or_insert(0u32);
            *n += 1;
            if *n > 1 {
                l.item = format!("{} {n}", l.item).into();
            }
        }
        lines.extend(mine);
    }
    let opts = ImportOptions {
        allow_growth: true,
        ..Default::default()
    };
    let out = s
        .import_receipts_with(&lines, opts, &mut |_, _| {})
        .unwrap();
    let mut about = Vec::new();
    for r in s.receipt_overview(term()).unwrap() {
        for l in s
            .receipt_lines(term(), r.student.id)
            .unwrap()
            .iter()
            .step_by(6)
        {
            about.push((r.student.id, l.id, l.category, l.item.clone()));
        }
    }
    let found = discrepancies(DISCREPANCIES, term(), &about, d(2026, 10, 21), 36, &mut rng);
    s.log_discrepancies(&found).unwrap();
    // Meeting 1 held with a decision; meeting 2 planned with two motions.
    let m1 = s.plan_meeting(&draft(d(2026, 9, 29))).unwrap();
    let it = s.add_agenda_item(m1.id, &motion("修訂作業期程")).unwrap();
    let m1 = s.meeting(m1.id).unwrap();
    s.set_meeting_status(m1.id, m1.meta.version, MeetingStatus::Held, today())
        .unwrap();
    let it = s.agenda_item(it.id).unwrap();
    s.record_decision(
        it.id,
        it.meta.version,
        &DecisionDraft {
            decision: "照案通過".into(),
            owner: "教務處".into(),
            due_on: Some(d(2026, 12, 31)),
        },
    )
    .unwrap();
    let m2 = s.plan_meeting(&draft(d(2026, 12, 15))).unwrap();
    s.add_agenda_item(m2.id, &motion("訂定下學期作業期程"))
        .unwrap();
    s.add_agenda_item(m2.id, &motion("優良作品獎勵")).unwrap();
    println!(
        "built the large school in {:.1?}: {} receipt lines added, {} discrepancies, {} windows",
        t.elapsed(),
        out.added,
        DISCREPANCIES,
        s.events().unwrap().len()
    );
}

fn timed(mut f: impl FnMut()) -> Vec<Duration> {
    f(); // warm the file cache once
    let mut v: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    v.sort();
    v
}

fn row(label: &str, v: &[Duration], budget: &str) {
    println!(
        "{label:<52} {:>9.1?} {:>9.1?}  {budget}",
        percentile(v, 0.5),
        percentile(v, 1.0)
    );
}

fn main() {
    let dir = std::env::temp_dir().join(format!("portfolio-desk-ag-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("large.db");
    build(&db);

    println!();
    println!("{:<52} {:>9} {:>9}  budget", "measure", "p50", "max");
    let bin: PathBuf = std::env::current_exe()
        .unwrap()
        .parent()
        .and_then(Path::parent)
        .map(|p| p.join("portfolio-desk"))
        .unwrap();
    let out = dir.join("agenda.html");
    if bin.exists() {
        let v = timed(|| {
            let st = Command::new(&bin)
                .env("PORTFOLIO_DESK_TODAY", "2026-11-25")
                .args(["agenda", "--db"])
                .arg(&db)
                .arg("--out")
                .arg(&out)
                .output()
                .unwrap();
            assert!(
                st.status.success(),
                "{}",
                String::from_utf8_lossy(&st.stderr)
            );
        });
        row(
            "`agenda --out FILE` for the next meeting (process)",
            &v,
            "< 150 ms",
        );
    } else {
        println!("(no {}: build it with --bins)", bin.display());
    }
    let v = timed(|| {
        let s = Store::open(&db).unwrap();
        let m = s.next_planned_meeting(today()).unwrap().unwrap();
        let doc = agenda_doc(&s, m.id, DocKind::Agenda, today(), DateStyle::Roc).unwrap();
        assert!(!export(AgendaFormat::Html, &doc).is_empty());
    });
    row(
        "open + build + render the agenda (in process)",
        &v,
        "< 150 ms",
    );
    let s = Store::open(&db).unwrap();
    let v = timed(|| {
        let f = s.agenda_facts(115, 1, today(), d(2027, 1, 31)).unwrap();
        assert!(f.receipts.is_some());
    });
    row("Store::agenda_facts (the SQL aggregates)", &v, "");
    // Where the facts' time goes.
    for (label, f) in [
        (
            "  current_receipt_term",
            &(|s: &Store| {
                s.current_receipt_term(today()).unwrap();
            }) as &dyn Fn(&Store),
        ),
        ("  confirm_progress", &|s: &Store| {
            s.confirm_progress(term()).unwrap();
        }),
        ("  discrepancy_summary", &|s: &Store| {
            s.discrepancy_summary(term(), today()).unwrap();
        }),
        ("  world (delegation)", &|s: &Store| {
            s.world().unwrap();
        }),
        ("  events (all rows, for comparison)", &|s: &Store| {
            s.events().unwrap();
        }),
    ] {
        let v = timed(|| f(&s));
        row(label, &v, "");
    }
    let v = timed(|| {
        s.meeting_overview(115).unwrap();
    });
    row(
        "Store::meeting_overview (the meetings view's load)",
        &v,
        "< 50 ms",
    );
    let _ = std::fs::remove_dir_all(&dir);
}
