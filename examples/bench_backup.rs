//! The backup benchmark (issue 12): a backup of the large school against
//! `sqlite3 school.db ".backup copy.db"` on the same file, side by side.
//! Run: `cargo run --release --example bench_backup [-- RUNS]` (default 7).
//!
//! The large school is the one of `bench_receipts` (the demo generator:
//! 4,000 students, 120,000 receipt lines, 20,000 discrepancies). Each run
//! times, alternating which goes first, opening the file and copying it with
//! `Store::copy_to` (the backup API in one step, as `portfolio-desk backup`)
//! and the `sqlite3` command line doing `.backup`; the report gives the
//! median of the paired runs and their ratio (budget: under 2×). The copy
//! with its integrity check and row counts (`Store::backup_to`, all that
//! `backup --out` does) is timed too, for reference.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use portfolio_desk::demo::receipts::{Rng, discrepancies, lines_of, students};
use portfolio_desk::domain::preset;
use portfolio_desk::domain::roc::Term;
use portfolio_desk::store::Store;

mod common;
use common::percentile;

const STUDENTS: usize = 4000;
const LINES_EACH: usize = 30;
const DISCREPANCIES: usize = 20_000;
const SQLITE3: &str = "/usr/bin/sqlite3";

fn term() -> Term {
    "115-1".parse().unwrap()
}

/// The large school of `bench_receipts` in `dir/school.db`.
fn large_school(dir: &Path) -> PathBuf {
    let path = dir.join("school.db");
    let mut s = Store::open(&path).unwrap();
    s.init_school(&preset::by_key("fengshan").unwrap(), 115)
        .unwrap();
    let mut rng = Rng::new(2026);
    let list = students(STUDENTS, &[10, 11, 12], term().year, 40, &mut rng);
    let mut lines = Vec::with_capacity(STUDENTS * LINES_EACH);
    for (i, st) in list.iter().enumerate() {
        lines.extend(lines_of(st, term(), LINES_EACH, i % 211 == 3, &mut rng));
    }
    s.import_receipts(&lines, &mut |_, _| {}).unwrap();
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
    let found = discrepancies(
        DISCREPANCIES,
        term(),
        &about,
        NaiveDate::from_ymd_opt(2026, 10, 21).unwrap(),
        36,
        &mut Rng::new(99),
    );
    s.log_discrepancies(&found).unwrap();
    path
}

fn ours(db: &Path, out: &Path) -> Duration {
    let t = Instant::now();
    let s = Store::open(db).unwrap();
    s.copy_to(out).unwrap();
    drop(s);
    t.elapsed()
}

fn ours_checked(db: &Path, out: &Path) -> Duration {
    let t = Instant::now();
    let s = Store::open(db).unwrap();
    let report = s.backup_to(out).unwrap();
    assert!(report.is_sound());
    drop(s);
    t.elapsed()
}

fn sqlite3(db: &Path, out: &Path) -> Duration {
    let t = Instant::now();
    let status = Command::new(SQLITE3)
        .arg(db)
        .arg(format!(".backup '{}'", out.display()))
        .status()
        .expect("run /usr/bin/sqlite3");
    assert!(status.success());
    t.elapsed()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    percentile(&v, 0.5)
}

fn main() {
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(7)
        .max(5);
    let dir = std::env::temp_dir().join(format!("portfolio-desk-bk-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let t = Instant::now();
    let db = large_school(&dir);
    let size = std::fs::metadata(&db).unwrap().len();
    println!(
        "large school: {STUDENTS} students, {} receipt lines, {DISCREPANCIES} discrepancies, {:.1} MB, built in {:.1?} ({})",
        STUDENTS * LINES_EACH,
        size as f64 / 1e6,
        t.elapsed(),
        dir.display()
    );
    let copy = dir.join("copy.db");
    let fresh = |p: &Path| {
        let _ = std::fs::remove_file(p);
    };
    // One warm-up of each (page cache).
    fresh(&copy);
    ours(&db, &copy);
    fresh(&copy);
    sqlite3(&db, &copy);

    let (mut a, mut b, mut c) = (Vec::new(), Vec::new(), Vec::new());
    for run in 0..runs {
        let mut pair = |first_ours: bool| {
            fresh(&copy);
            if first_ours {
                a.push(ours(&db, &copy));
            } else {
                b.push(sqlite3(&db, &copy));
            }
        };
        pair(run % 2 == 0);
        pair(run % 2 != 0);
        fresh(&copy);
        c.push(ours_checked(&db, &copy));
    }
    fresh(&copy);
    let (ma, mb, mc) = (median(a), median(b), median(c));
    println!();
    println!(
        "{:<58} {:>10}",
        format!("measure (median of {runs} paired runs)"),
        "time"
    );
    println!(
        "{:<58} {:>10.1?}",
        "portfolio-desk backup: open + copy (backup API, one step)", ma
    );
    println!(
        "{:<58} {:>10.1?}",
        "sqlite3 school.db \".backup copy.db\" (process)", mb
    );
    println!(
        "{:<58} {:>10.1?}",
        "portfolio-desk backup --out: copy + integrity_check + counts", mc
    );
    let ratio = ma.as_secs_f64() / mb.as_secs_f64();
    println!();
    println!(
        "ratio copy / sqlite3 .backup: {ratio:.2}x  (budget < 2x: {})",
        if ratio < 2.0 { "met" } else { "MISSED" }
    );
    let _ = std::fs::remove_dir_all(&dir);
}
