//! Measures portfolio-desk against DESIGN.md's budget on a generated large
//! school. Run: `cargo run --release --example bench [-- --people N]`.
//!
//! What it measures (the real App, drawing through the real crossterm
//! backend into a byte counter at 80x24):
//! - open an existing file to the first full frame (budget ≤ 30 ms);
//! - key press to frame on the staff directory, moving and filtering
//!   (budget ≤ 4 ms p99);
//! - bytes written to the terminal for one cursor move (budget ≤ 300);
//! - the calendar check over five years of calendars (budget ≤ 200 ms), a
//!   cursor move on the calendar screen and its bytes in the agenda and the
//!   timeline;
//! - peak memory (budget ≤ 40 MB).

use std::time::Instant;

use chrono::NaiveDate;
use portfolio_desk::app::App;
use portfolio_desk::domain::calendar::{CheckRules, Event, Grades, Phase, check};
use portfolio_desk::domain::committee::StaffDraft;
use portfolio_desk::domain::meeting::{
    DecisionDraft, ItemDraft, MeetingDraft, MeetingKind, MeetingStatus, Section,
};
use portfolio_desk::domain::roc::{DateRange, Term};
use portfolio_desk::store::Store;
use portfolio_desk::ui::theme::Theme;
use ratatui::crossterm::event::KeyCode;

mod common;
use common::{Counter, key, peak_rss_kb, percentile, terminal};

const SURNAMES: &[&str] = &[
    "陳", "林", "黃", "張", "李", "王", "吳", "劉", "蔡", "楊", "許", "鄭", "謝", "郭", "洪",
    "歐陽", "范姜",
];
const GIVEN: &[&str] = &[
    "淑貞", "建宏", "美玲", "志明", "佩珊", "大衛", "雅婷", "家豪", "宜君", "凱翔", "雅雯", "宇軒",
];
const POSITIONS: &[&str] = &[
    "導師",
    "國文教師",
    "數學教師",
    "英文教師",
    "課程諮詢教師",
    "註冊組幹事",
    "輔導教師",
    "體育教師",
];

/// `per_term` windows in each term of `years`, spread over the semester,
/// cycling through the phases and grades.
fn generated_calendar(years: std::ops::RangeInclusive<i32>, per_term: usize) -> Vec<Event> {
    let mut out = Vec::new();
    for year in years {
        for semester in [1, 2] {
            let term = Term { year, semester };
            let span = term.span();
            for i in 0..per_term {
                let start = span.start + chrono::Duration::days((i as i64 * 3) % 170);
                let end = start + chrono::Duration::days(2 + (i as i64 % 9));
                out.push(Event {
                    id: 0,
                    term,
                    title: format!(
                        "{} {}-{} #{i}",
                        POSITIONS[i % POSITIONS.len()],
                        year,
                        semester
                    ),
                    phase: Phase::ALL[i % Phase::ALL.len()],
                    grades: Grades::from_bits((i % 8) as u8),
                    units: vec!["註冊組".into()],
                    span: DateRange { start, end },
                    national: i % 15 == 0,
                    prepares_for: None,
                    notes: String::new(),
                    done_on: None,
                });
            }
        }
    }
    out
}

fn main() {
    let people: usize = std::env::args()
        .skip_while(|a| a != "--people")
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(3000);
    let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let dir = std::env::temp_dir().join(format!("portfolio-desk-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("large.db");

    // The large school: the demo plus `people` more staff, and five years of
    // committees.
    let t = Instant::now();
    {
        let mut s = Store::open(&path).unwrap();
        portfolio_desk::demo::seed(&mut s, today).unwrap();
        for i in 0..people {
            let d = StaffDraft {
                name: format!(
                    "{}{}{}",
                    SURNAMES[i % SURNAMES.len()],
                    GIVEN[i / SURNAMES.len() % GIVEN.len()],
                    i
                ),
                positions: vec![POSITIONS[i % POSITIONS.len()].to_string()],
                email: format!("t{i}@school.example.edu.tw"),
                phone: format!("02-2930-0000#{}", 1000 + i),
                ..Default::default()
            };
            s.add_staff(&d).unwrap();
        }
        for year in (110..=113).rev() {
            let seats = s.require_school().unwrap().preset.seats;
            s.create_committee(year, &seats).unwrap();
        }
        // Five academic years of calendars, 60 windows a term.
        s.import_events(&generated_calendar(111..=115, 60), &[])
            .unwrap();
        // Four earlier years of committee meetings: three a year, held,
        // each with a motion decided.
        for year in 111..=114 {
            for (m, d) in [(9, 20), (12, 10), (3, 15)] {
                let y = if m >= 8 { year + 1911 } else { year + 1912 };
                let draft = MeetingDraft {
                    date: NaiveDate::from_ymd_opt(y, m, d).unwrap(),
                    starts_at: chrono::NaiveTime::from_hms_opt(12, 10, 0).unwrap(),
                    ends_at: None,
                    place: "會議室".into(),
                    kind: MeetingKind::Regular,
                    chair_id: None,
                    recorder_id: None,
                };
                let meeting = s.plan_meeting(&draft).unwrap();
                let motion = s
                    .add_agenda_item(
                        meeting.id,
                        &ItemDraft {
                            section: Section::Motion,
                            title: format!("{year} 學年度提案 {m}"),
                            ..Default::default()
                        },
                    )
                    .unwrap();
                s.set_meeting_status(meeting.id, meeting.meta.version, MeetingStatus::Held, today)
                    .unwrap();
                s.record_decision(
                    motion.id,
                    motion.meta.version,
                    &DecisionDraft {
                        decision: "照案通過".into(),
                        owner: "教務處".into(),
                        due_on: None,
                    },
                )
                .unwrap();
            }
        }
    }
    println!(
        "generated: {} staff, 6 committees, 600+ calendar windows in {:.1?} ({})",
        people + 25,
        t.elapsed(),
        path.display()
    );

    // 1. Open to first frame.
    let mut starts = Vec::new();
    for _ in 0..20 {
        let counter = Counter::default();
        let t = Instant::now();
        let store = Store::open(&path).unwrap();
        let app = App::new(store, today, Theme::from_env());
        let mut term = terminal(&counter);
        term.draw(|f| app.draw(f)).unwrap();
        starts.push(t.elapsed());
    }
    starts.sort();

    // 2. Key to frame on the directory, and bytes per cursor move.
    let counter = Counter::default();
    let mut app = App::new(Store::open(&path).unwrap(), today, Theme::from_env());
    let mut term = terminal(&counter);
    for k in [KeyCode::Char('3'), KeyCode::Char('v')] {
        app.handle_key(key(k));
        term.draw(|f| app.draw(f)).unwrap();
    }
    // Within the visible page (down 15, up 15, …): no scrolling.
    let mut moves = Vec::new();
    let mut bytes = Vec::new();
    for i in 0..2000 {
        let k = if i % 30 < 15 {
            KeyCode::Down
        } else {
            KeyCode::Up
        };
        let before = counter.0.get();
        let t = Instant::now();
        app.handle_key(key(k));
        term.draw(|f| app.draw(f)).unwrap();
        moves.push(t.elapsed());
        bytes.push(counter.0.get() - before);
    }
    moves.sort();
    bytes.sort();
    // Past the bottom of the page: every move scrolls the list by a row.
    let mut scroll_bytes = Vec::new();
    for _ in 0..20 {
        app.handle_key(key(KeyCode::Down));
        term.draw(|f| app.draw(f)).unwrap();
    }
    for _ in 0..200 {
        let before = counter.0.get();
        app.handle_key(key(KeyCode::Down));
        term.draw(|f| app.draw(f)).unwrap();
        scroll_bytes.push(counter.0.get() - before);
    }
    scroll_bytes.sort();

    // 3. Filter typing on the directory.
    let mut typing = Vec::new();
    app.handle_key(key(KeyCode::Char('/')));
    term.draw(|f| app.draw(f)).unwrap();
    for round in 0..50 {
        for c in ["陳", "淑", "1"].iter().flat_map(|s| s.chars()) {
            let t = Instant::now();
            app.handle_key(key(KeyCode::Char(c)));
            term.draw(|f| app.draw(f)).unwrap();
            typing.push(t.elapsed());
        }
        for _ in 0..3 {
            let t = Instant::now();
            app.handle_key(key(KeyCode::Backspace));
            term.draw(|f| app.draw(f)).unwrap();
            typing.push(t.elapsed());
        }
        let _ = round;
    }
    typing.sort();

    // 4. The calendar check over every term, and moving on the calendar.
    let mut checks = Vec::new();
    let store = Store::open(&path).unwrap();
    let rules = CheckRules::from_preset(&store.require_school().unwrap().preset);
    let mut findings = 0;
    for _ in 0..20 {
        let t = Instant::now();
        let (terms, events) = store.calendar().unwrap();
        findings = check(&terms, &events, &rules).len();
        checks.push(t.elapsed());
    }
    checks.sort();
    let counter = Counter::default();
    let mut app = App::new(Store::open(&path).unwrap(), today, Theme::from_env());
    let mut term = terminal(&counter);
    app.handle_key(key(KeyCode::Char('2')));
    term.draw(|f| app.draw(f)).unwrap();
    let mut cal_moves = Vec::new();
    for i in 0..1000 {
        let k = if i % 20 < 10 {
            KeyCode::Down
        } else {
            KeyCode::Up
        };
        let t = Instant::now();
        app.handle_key(key(k));
        term.draw(|f| app.draw(f)).unwrap();
        cal_moves.push(t.elapsed());
    }
    cal_moves.sort();
    // Bytes per move within the page of the agenda (every term's windows)
    // and of the timeline (the shown term's).
    let mut cal_bytes = Vec::new();
    for view in 0..2 {
        app.handle_key(key(KeyCode::Char('v')));
        app.handle_key(key(KeyCode::Char('g')));
        term.draw(|f| app.draw(f)).unwrap();
        let mut bytes = Vec::new();
        for i in 0..200 {
            let k = if i % 16 < 8 {
                KeyCode::Down
            } else {
                KeyCode::Up
            };
            let before = counter.0.get();
            app.handle_key(key(k));
            term.draw(|f| app.draw(f)).unwrap();
            bytes.push(counter.0.get() - before);
        }
        bytes.sort();
        cal_bytes.push((if view == 0 { "agenda" } else { "timeline" }, bytes));
    }

    // 5. Opening the meetings view (3, then m), key to frame.
    let counter = Counter::default();
    let mut app = App::new(Store::open(&path).unwrap(), today, Theme::from_env());
    let mut term = terminal(&counter);
    app.handle_key(key(KeyCode::Char('3')));
    term.draw(|f| app.draw(f)).unwrap();
    let mut meetings_open = Vec::new();
    for _ in 0..50 {
        let t = Instant::now();
        app.handle_key(key(KeyCode::Char('m')));
        term.draw(|f| app.draw(f)).unwrap();
        meetings_open.push(t.elapsed());
        app.handle_key(key(KeyCode::Esc));
        term.draw(|f| app.draw(f)).unwrap();
    }
    meetings_open.sort();

    let peak = peak_rss_kb();
    println!();
    println!("{:<44} {:>10} {:>10}  budget", "measure", "p50", "p99/max");
    println!(
        "{:<44} {:>10.2?} {:>10.2?}  ≤ 30 ms",
        "open file to first full frame (20 runs)",
        percentile(&starts, 0.5),
        percentile(&starts, 0.99)
    );
    println!(
        "{:<44} {:>10.2?} {:>10.2?}  ≤ 4 ms p99",
        "cursor move, key to frame (2000 keys)",
        percentile(&moves, 0.5),
        percentile(&moves, 0.99)
    );
    println!(
        "{:<44} {:>10.2?} {:>10.2?}  ≤ 4 ms p99",
        "filter typing, key to frame (300 keys)",
        percentile(&typing, 0.5),
        percentile(&typing, 0.99)
    );
    println!(
        "{:<44} {:>10} {:>10}  ≤ 300",
        "bytes per cursor move within the page",
        bytes[bytes.len() / 2],
        bytes[bytes.len() - 1]
    );
    println!(
        "{:<44} {:>10} {:>10}  (whole list repaints)",
        "bytes per cursor move that scrolls",
        scroll_bytes[scroll_bytes.len() / 2],
        scroll_bytes[scroll_bytes.len() - 1]
    );
    println!(
        "{:<44} {:>10.2?} {:>10.2?}  ≤ 200 ms ({findings} findings)",
        "calendar check, load + all terms (20 runs)",
        percentile(&checks, 0.5),
        percentile(&checks, 0.99)
    );
    println!(
        "{:<44} {:>10.2?} {:>10.2?}  ≤ 4 ms p99",
        "calendar cursor move, key to frame (1000)",
        percentile(&cal_moves, 0.5),
        percentile(&cal_moves, 0.99)
    );
    for (view, bytes) in &cal_bytes {
        println!(
            "{:<44} {:>10} {:>10}  ≤ 300",
            format!("bytes per calendar {view} move in the page"),
            bytes[bytes.len() / 2],
            bytes[bytes.len() - 1]
        );
    }
    println!(
        "{:<44} {:>10.2?} {:>10.2?}  ≤ 50 ms",
        "open the meetings view, key to frame (50)",
        percentile(&meetings_open, 0.5),
        percentile(&meetings_open, 0.99)
    );
    if let Some(kb) = peak {
        println!(
            "{:<44} {:>10} {:>10}  ≤ 40 MB",
            "peak memory (VmHWM)",
            "",
            format!("{:.1} MB", kb as f64 / 1024.0)
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
