//! Measures the audit screen and the retention dry run (issue 13) on a
//! large school: 4,000 students (graduates of eight years among them, with
//! their graduation and application dates), 120,000 receipt lines and
//! 200,000 audit rows. Run:
//! `cargo run --release --example bench_audit [-- --rows N --keep PATH]`.
//!
//! - key press to frame on screen 7, moving within a page, moving across
//!   pages (each 60 rows a new query), PageDown, and filter typing (`/`),
//!   through the real crossterm backend at 80x24 (budget ≤ 4 ms);
//! - the retention dry run as `portfolio-desk retention` computes it: the
//!   students' dates, the rule, the counts of what would be sealed or
//!   deleted (budget ≤ 300 ms).
//!
//! `--keep PATH` leaves the generated file there (to look at it with
//! `portfolio-desk --db PATH`, or to time `portfolio-desk retention`).

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use portfolio_desk::app::App;
use portfolio_desk::demo::receipts::{Rng, lines_of, students};
use portfolio_desk::domain::preset;
use portfolio_desk::domain::receipt::StudentStatus;
use portfolio_desk::domain::retention::{review, rule_of};
use portfolio_desk::domain::roc::Term;
use portfolio_desk::store::Store;
use portfolio_desk::ui::theme::Theme;
use ratatui::crossterm::event::KeyCode;

mod common;
use common::{Counter, key, peak_rss_kb, percentile, terminal};

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn line(label: &str, mut v: Vec<Duration>, budget: &str) {
    v.sort();
    println!(
        "{label:<46} p50 {:>8.2?}  p99 {:>8.2?}  max {:>8.2?}  (budget {budget})",
        percentile(&v, 0.5),
        percentile(&v, 0.99),
        v[v.len() - 1]
    );
}

fn main() {
    let rows: usize = arg("--rows")
        .and_then(|s| s.parse().ok())
        .unwrap_or(200_000);
    let dir = tempfile::tempdir().unwrap();
    let path = arg("--keep")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| dir.path().join("large.db"));
    let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let t = Instant::now();
    {
        let mut s = Store::open(&path).unwrap();
        s.set_user("registry");
        s.init_school(&preset::by_key("taitung").unwrap(), 115)
            .unwrap();
        let mut rng = Rng::new(11);
        // 3,000 at school and 1,000 graduates of 108 to 115.
        let mut list = students(3000, &[10, 11, 12], 115, 35, &mut rng);
        let mut grads = Vec::new();
        for year in 108..116 {
            let mut g = students(125, &[12], year, 35, &mut rng);
            for s in &mut g {
                s.status = StudentStatus::Graduated;
                s.student_no = format!("G{year}{}", s.student_no);
            }
            grads.extend(g);
        }
        list.extend(grads.iter().cloned());
        s.import_students(&list).unwrap();
        let term = Term::new(115, 1).unwrap();
        let mut lines = Vec::new();
        for st in &list {
            lines.extend(lines_of(st, term, 30, false, &mut rng));
        }
        s.import_receipts(&lines, &mut |_, _| {}).unwrap();
        for g in &grads {
            let year: i32 = g.student_no[1..4].parse().unwrap();
            let ad = year + 1911;
            s.set_student_dates(
                &g.student_no,
                NaiveDate::from_ymd_opt(ad + 1, 6, 30),
                NaiveDate::from_ymd_opt(ad + 1, 3, 15),
            )
            .unwrap();
        }
    }
    // The audit log: 200,000 rows of the kinds the app writes, by five
    // people over two years (written directly: the app would take days).
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        let have: i64 = c
            .query_row("SELECT count(*) FROM audit", [], |r| r.get(0))
            .unwrap();
        let tx = c.unchecked_transaction().unwrap();
        {
            let mut ins = tx
                .prepare(
                    "INSERT INTO audit (at, os_user, tbl, row_id, action, before_json, after_json)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )
                .unwrap();
            let users = ["registry", "director", "affairs", "secretary", "clerk2"];
            let start = NaiveDate::from_ymd_opt(2024, 12, 1).unwrap();
            let n = rows.saturating_sub(have as usize);
            for i in 0..n {
                let day = start + chrono::Duration::days((i * 730 / n.max(1)) as i64);
                let at = format!("{day}T{:02}:{:02}:00+08:00", 8 + i % 9, i % 60);
                let (tbl, before, after) = match i % 4 {
                    0 => (
                        "receipt_confirm",
                        r#"{"state":"unconfirmed"}"#.to_string(),
                        r#"{"state":"confirmed","by":"confirm"}"#.to_string(),
                    ),
                    1 => (
                        "event",
                        format!(
                            r#"{{"title":"學生上傳課程學習成果 {i}","starts_on":"2026-02-11","phase":"upload"}}"#
                        ),
                        format!(
                            r#"{{"title":"學生上傳課程學習成果 {i}","starts_on":"2026-02-12","phase":"upload"}}"#
                        ),
                    ),
                    2 => (
                        "student",
                        r#"{"left_on":null}"#.to_string(),
                        r#"{"left_on":"2026-06-30"}"#.to_string(),
                    ),
                    _ => (
                        "staff",
                        r#"{"name":"陳淑貞","phone":""}"#.to_string(),
                        format!(r#"{{"name":"陳淑貞","phone":"{i}"}}"#),
                    ),
                };
                ins.execute(rusqlite::params![
                    at,
                    users[i % users.len()],
                    tbl,
                    (i % 4000 + 1) as i64,
                    "update",
                    before,
                    after
                ])
                .unwrap();
            }
        }
        tx.commit().unwrap();
    }
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!(
        "built in {:.1?}: {} audit rows, {:.1} MB, {}",
        t.elapsed(),
        rows,
        size as f64 / 1e6,
        path.display()
    );

    // The audit screen.
    let counter = Counter::default();
    let mut app = App::new(Store::open(&path).unwrap(), today, Theme::from_env());
    let mut term = terminal(&counter);
    term.draw(|f| app.draw(f)).unwrap();
    let t = Instant::now();
    app.handle_key(key(KeyCode::Char('7')));
    term.draw(|f| app.draw(f)).unwrap();
    println!(
        "first switch to screen 7: {:.2?} (budget ≤ 50 ms)",
        t.elapsed()
    );
    let mut within = Vec::new();
    let mut bytes = Vec::new();
    for i in 0..1000 {
        let k = if i % 20 < 10 {
            KeyCode::Down
        } else {
            KeyCode::Up
        };
        let b = counter.0.get();
        let t = Instant::now();
        app.handle_key(key(k));
        term.draw(|f| app.draw(f)).unwrap();
        within.push(t.elapsed());
        bytes.push(counter.0.get() - b);
    }
    line("cursor move within a page, key to frame", within, "≤ 4 ms");
    bytes.sort();
    println!(
        "bytes per cursor move (the detail pane follows): p50 {} max {}",
        bytes[bytes.len() / 2],
        bytes[bytes.len() - 1]
    );
    let mut across = Vec::new();
    for _ in 0..3000 {
        let t = Instant::now();
        app.handle_key(key(KeyCode::Down));
        term.draw(|f| app.draw(f)).unwrap();
        across.push(t.elapsed());
    }
    line("3,000 moves down (a page query every 60)", across, "≤ 4 ms");
    let mut pages = Vec::new();
    for _ in 0..200 {
        let t = Instant::now();
        app.handle_key(key(KeyCode::PageDown));
        term.draw(|f| app.draw(f)).unwrap();
        pages.push(t.elapsed());
    }
    line("PageDown", pages, "≤ 4 ms");
    let t = Instant::now();
    app.handle_key(key(KeyCode::Char('G')));
    term.draw(|f| app.draw(f)).unwrap();
    println!("End (the oldest page): {:.2?}", t.elapsed());
    app.handle_key(key(KeyCode::Char('g')));
    app.handle_key(key(KeyCode::Char('/')));
    let mut typing = Vec::new();
    for text in ["director", "陳淑貞", "上傳 1999"] {
        for c in text.chars() {
            let t = Instant::now();
            app.handle_key(key(KeyCode::Char(c)));
            term.draw(|f| app.draw(f)).unwrap();
            typing.push(t.elapsed());
        }
        for _ in text.chars() {
            let t = Instant::now();
            app.handle_key(key(KeyCode::Backspace));
            term.draw(|f| app.draw(f)).unwrap();
            typing.push(t.elapsed());
        }
    }
    line("filter typing (/), key to frame", typing, "≤ 4 ms");

    // The retention dry run, as the command computes it.
    let store = Store::open(&path).unwrap();
    let mut runs = Vec::new();
    let mut due = 0;
    for _ in 0..10 {
        let t = Instant::now();
        let school = store.require_school().unwrap();
        let rule = rule_of(&school.preset).unwrap();
        let facts = store.retention_facts().unwrap();
        let rv = review(&rule, &facts, today);
        for step in [
            portfolio_desk::domain::retention::Step::Seal,
            portfolio_desk::domain::retention::Step::Delete,
        ] {
            let ids: Vec<i64> = rv
                .due
                .iter()
                .filter(|d| d.step == step)
                .map(|d| d.student_id)
                .collect();
            store.retention_counts(&ids).unwrap();
        }
        due = rv.due.len();
        runs.push(t.elapsed());
    }
    line(
        &format!("retention dry run ({due} students due)"),
        runs,
        "≤ 300 ms",
    );
    if let Some(kb) = peak_rss_kb() {
        println!("peak memory: {:.1} MB (budget ≤ 40 MB)", kb as f64 / 1024.0);
    }
}
