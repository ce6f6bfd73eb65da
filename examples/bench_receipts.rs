//! The receipts benchmark on a generated large school (DESIGN.md's budget):
//! 4,000 students, 120,000 receipt lines, 20,000 discrepancies.
//! Run: `cargo run --release --example bench_receipts`.
//!
//! What it measures:
//! - import of the 120,000-line receipt CSV (read, decode, parse, one
//!   transaction into a fresh database), in UTF-8 and in Big5 (budget ≤ 1 s),
//!   beside `sqlite3 .import` of the same UTF-8 file into a bare table;
//! - re-importing the same file (nothing changes) and a corrected file;
//! - key press to frame while typing a filter on the discrepancy list of
//!   screen 6 (budget ≤ 4 ms p99), and bytes per cursor move;
//! - peak memory (VmHWM) of an import and of the app on the large school,
//!   each in its own process (budget ≤ 40 MB).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use portfolio_desk::app::App;
use portfolio_desk::demo::receipts::{Rng, discrepancies, lines_of, students};
use portfolio_desk::domain::calendar::{Event, Grades, Phase};
use portfolio_desk::domain::preset;
use portfolio_desk::domain::receipt::{Category, LineIn};
use portfolio_desk::domain::roc::{DateRange, Term};
use portfolio_desk::io::receipt_csv::parse_receipts;
use portfolio_desk::io::text::{TextEncoding, encode};
use portfolio_desk::store::{ImportOptions, Store};
use portfolio_desk::ui::theme::Theme;
use ratatui::crossterm::event::KeyCode;

mod common;
use common::{Counter, key, peak_rss_kb, percentile, terminal};

const STUDENTS: usize = 4000;
const LINES_EACH: usize = 30;
const DISCREPANCIES: usize = 20_000;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
}

fn term() -> Term {
    "115-1".parse().unwrap()
}

/// The large school's receipt lines, as the central database's file would
/// have them (Chinese headers, one line per item).
fn generate() -> (Vec<LineIn>, String) {
    let mut rng = Rng::new(2026);
    let list = students(STUDENTS, &[10, 11, 12], term().year, 40, &mut rng);
    let mut lines = Vec::with_capacity(STUDENTS * LINES_EACH);
    for (i, s) in list.iter().enumerate() {
        let mut mine = lines_of(s, term(), LINES_EACH, i % 211 == 3, &mut rng);
        // A central export tells a student's alike items apart (identical
        // rows of a file are merged as a pasted-twice file's): number the
        // repeats so that the file keeps its 120,000 distinct lines.
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
    let mut csv = String::with_capacity(lines.len() * 60);
    csv.push_str("學期,學號,姓名,班級,座號,資料類別,項目名稱,件數\n");
    for l in &lines {
        csv.push_str(&format!(
            "{},{},{},{},{},{},{},{}\n",
            l.term,
            l.student_no,
            l.name,
            l.class,
            l.seat.map(|s| s.to_string()).unwrap_or_default(),
            category_name(l.category),
            l.item,
            l.count
        ));
    }
    (lines, csv)
}

fn category_name(c: Category) -> &'static str {
    match c {
        Category::Basic => "基本資料",
        Category::CourseRecords => "修課紀錄",
        Category::CourseOutcomes => "課程學習成果",
        Category::Diverse => "多元表現",
        Category::Cadre => "幹部經歷",
    }
}

fn fresh_db(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    for ext in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", path.display()));
    }
    let mut s = Store::open(&path).unwrap();
    s.init_school(&preset::by_key("fengshan").unwrap(), 115)
        .unwrap();
    path
}

/// Read, decode, parse and import `file` into the database at `db`.
fn import(db: &Path, file: &Path) -> (Duration, usize) {
    let t = Instant::now();
    let bytes = std::fs::read(file).unwrap();
    let parsed = parse_receipts(&bytes, None, None).unwrap();
    assert!(parsed.bad.is_empty(), "generated file has bad rows");
    drop(bytes);
    let mut s = Store::open(db).unwrap();
    // As the CLI imports a file: identical rows merged (none here).
    let opts = ImportOptions {
        allow_growth: true,
        ..Default::default()
    };
    let out = s
        .import_receipts_with(&parsed.lines, opts, &mut |_, _| {})
        .unwrap();
    assert!(
        out.duplicates.is_empty(),
        "generated file has identical rows"
    );
    (t.elapsed(), out.added + out.changed)
}

fn sqlite3_import(dir: &Path, file: &Path) -> Option<Duration> {
    let db = dir.join("sqlite3.db");
    let _ = std::fs::remove_file(&db);
    let t = Instant::now();
    let status = Command::new("sqlite3")
        .arg(&db)
        .arg("-cmd")
        .arg(".mode csv")
        .arg(format!(".import {} receipt", file.display()))
        .status()
        .ok()?;
    status.success().then(|| t.elapsed())
}

fn child(mode: &str, args: &[String]) -> String {
    let out = Command::new(std::env::current_exe().unwrap())
        .arg("--child")
        .arg(mode)
        .args(args)
        .output()
        .expect("child");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--child") {
        run_child(&args[i + 1], &args[i + 2..]);
        return;
    }
    let dir = std::env::temp_dir().join(format!("portfolio-desk-rc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();

    let t = Instant::now();
    let (lines, csv) = generate();
    let utf8 = dir.join("receipts-utf8.csv");
    let big5 = dir.join("receipts-big5.csv");
    std::fs::write(&utf8, csv.as_bytes()).unwrap();
    std::fs::write(&big5, encode(&csv, TextEncoding::Big5)).unwrap();
    println!(
        "generated: {STUDENTS} students, {} receipt lines ({:.1} MB UTF-8, {:.1} MB Big5) in {:.1?} ({})",
        lines.len(),
        csv.len() as f64 / 1e6,
        std::fs::metadata(&big5).unwrap().len() as f64 / 1e6,
        t.elapsed(),
        dir.display()
    );
    drop(csv);

    // 1. Imports into a fresh database, 3 runs each.
    let mut rows = Vec::new();
    for (label, file) in [("UTF-8", &utf8), ("Big5", &big5)] {
        let mut times = Vec::new();
        for run in 0..3 {
            let db = fresh_db(&dir, &format!("import-{label}-{run}.db"));
            let (d, n) = import(&db, file);
            assert_eq!(n, lines.len());
            times.push(d);
        }
        times.sort();
        rows.push((format!("import 120k lines, {label} (3 runs)"), times));
    }
    let mut sq = Vec::new();
    for _ in 0..3 {
        if let Some(d) = sqlite3_import(&dir, &utf8) {
            sq.push(d);
        }
    }
    sq.sort();
    // Re-import (nothing changes) and a corrected file into the same database.
    let db = fresh_db(&dir, "large.db");
    import(&db, &utf8);
    let (again, changed) = import(&db, &utf8);
    assert_eq!(changed, 0);
    let mut fixed = lines.clone();
    for l in fixed.iter_mut().step_by(50) {
        l.count += 1;
    }
    let t = Instant::now();
    let out = Store::open(&db)
        .unwrap()
        .import_receipts(&fixed, &mut |_, _| {})
        .unwrap();
    let corrected = t.elapsed();
    // 2. The large school's discrepancies and a confirmation window.
    let mut s = Store::open(&db).unwrap();
    s.add_event(&Event {
        id: 0,
        term: term(),
        title: "receipt confirmation".into(),
        phase: Phase::ReceiptConfirm,
        grades: Grades::of(&[10, 11, 12]),
        units: vec![],
        span: DateRange::new(
            NaiveDate::from_ymd_opt(2026, 10, 21).unwrap(),
            NaiveDate::from_ymd_opt(2026, 10, 28).unwrap(),
        )
        .unwrap(),
        national: false,
        prepares_for: None,
        notes: String::new(),
        done_on: None,
    })
    .unwrap();
    let mut about = Vec::new();
    for r in s.receipt_overview(term()).unwrap().iter().step_by(1) {
        for l in s
            .receipt_lines(term(), r.student.id)
            .unwrap()
            .iter()
            .step_by(6)
        {
            about.push((r.student.id, l.id, l.category, l.item.clone()));
        }
    }
    let mut rng = Rng::new(99);
    let found = discrepancies(
        DISCREPANCIES,
        term(),
        &about,
        NaiveDate::from_ymd_opt(2026, 10, 21).unwrap(),
        36,
        &mut rng,
    );
    let t = Instant::now();
    s.log_discrepancies(&found).unwrap();
    let logged = t.elapsed();
    let t = Instant::now();
    let report = s.check_receipts(today()).unwrap();
    let check = t.elapsed();
    drop(s);

    // 3. The app on the large school, and memory, each in its own process.
    let screen = child("screen", &[db.display().to_string()]);
    let import_peak = child(
        "import",
        &[utf8.display().to_string(), dir.display().to_string()],
    );

    println!();
    println!("{:<46} {:>10} {:>10}  budget", "measure", "p50", "max");
    for (label, times) in &rows {
        println!(
            "{:<46} {:>10.0?} {:>10.0?}  ≤ 1 s",
            label,
            percentile(times, 0.5),
            percentile(times, 1.0)
        );
    }
    if sq.is_empty() {
        println!(
            "{:<46} {:>10}",
            "sqlite3 .import, same UTF-8 file", "(no sqlite3)"
        );
    } else {
        println!(
            "{:<46} {:>10.0?} {:>10.0?}  (bare table, no checks)",
            "sqlite3 .import, same UTF-8 file (3 runs)",
            percentile(&sq, 0.5),
            percentile(&sq, 1.0)
        );
    }
    println!(
        "{:<46} {:>10.0?} {:>10}",
        "re-import, same file (nothing changes)", again, ""
    );
    println!(
        "{:<46} {:>10.0?} {:>10}  ({} changed)",
        "import a corrected file (in memory lines)", corrected, "", out.changed
    );
    println!(
        "{:<46} {:>10.0?}",
        "log 20,000 discrepancies (one transaction)", logged
    );
    println!(
        "{:<46} {:>10.0?} {:>10}  ≤ 200 ms ({} overdue, {} over a cap)",
        "check receipts",
        check,
        "",
        report.overdue.len(),
        report.caps.len()
    );
    for line in screen.lines().chain(import_peak.lines()) {
        println!("{line}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

fn run_child(mode: &str, args: &[String]) {
    match mode {
        "gen" => {
            let (_, csv) = generate();
            std::fs::write(&args[0], csv.as_bytes()).unwrap();
        }
        "import" => {
            let file = PathBuf::from(&args[0]);
            let db = fresh_db(Path::new(&args[1]), "peak.db");
            let before = peak_rss_kb().unwrap_or(0);
            let bytes = std::fs::read(&file).unwrap();
            let parsed = parse_receipts(&bytes, None, None).unwrap();
            drop(bytes);
            let after_parse = peak_rss_kb().unwrap_or(0);
            drop(parsed);
            let (d, _) = import(&db, &file);
            println!(
                "{:<46} {:>10} {:>10}  ≤ 40 MB (took {d:.0?}; {:.1} MB at start, {:.1} MB after parsing)",
                "peak memory, import 120k lines (VmHWM)",
                "",
                format!("{:.1} MB", peak_rss_kb().unwrap_or(0) as f64 / 1024.0),
                before as f64 / 1024.0,
                after_parse as f64 / 1024.0
            );
        }
        "screen" => {
            let db = PathBuf::from(&args[0]);
            let t = Instant::now();
            let counter = Counter::default();
            let mut app = App::new(Store::open(&db).unwrap(), today(), Theme::from_env());
            let mut term = terminal(&counter);
            term.draw(|f| app.draw(f)).unwrap();
            let first = t.elapsed();
            let t = Instant::now();
            app.handle_key(key(KeyCode::Char('6')));
            term.draw(|f| app.draw(f)).unwrap();
            let open6 = t.elapsed();
            // Student list: cursor moves within the page.
            let mut moves = Vec::new();
            let mut bytes = Vec::new();
            for i in 0..400 {
                let k = if i % 16 < 8 {
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
            // The discrepancy list, and typing a filter on it.
            app.handle_key(key(KeyCode::Char('v')));
            term.draw(|f| app.draw(f)).unwrap();
            app.handle_key(key(KeyCode::Char('/')));
            term.draw(|f| app.draw(f)).unwrap();
            let mut typing = Vec::new();
            for _ in 0..30 {
                for word in ["註冊組", "逾期", "多元", "1150"] {
                    for c in word.chars() {
                        let t = Instant::now();
                        app.handle_key(key(KeyCode::Char(c)));
                        term.draw(|f| app.draw(f)).unwrap();
                        typing.push(t.elapsed());
                    }
                    for _ in word.chars() {
                        let t = Instant::now();
                        app.handle_key(key(KeyCode::Backspace));
                        term.draw(|f| app.draw(f)).unwrap();
                        typing.push(t.elapsed());
                    }
                }
            }
            typing.sort();
            println!(
                "{:<46} {:>10.2?} {:>10}  ≤ 30 ms",
                "open the large school to the first frame", first, ""
            );
            println!(
                "{:<46} {:>10.2?} {:>10}  (loads 4,000 students)",
                "switch to screen 6, key to frame", open6, ""
            );
            println!(
                "{:<46} {:>10.2?} {:>10.2?}  ≤ 4 ms p99",
                "student list cursor move, key to frame",
                percentile(&moves, 0.5),
                percentile(&moves, 0.99)
            );
            println!(
                "{:<46} {:>10} {:>10}  ≤ 300",
                "bytes per student list move in the page",
                bytes[bytes.len() / 2],
                bytes[bytes.len() - 1]
            );
            println!(
                "{:<46} {:>10.2?} {:>10.2?}  ≤ 4 ms p99 ({} keys)",
                "discrepancy filter typing, key to frame",
                percentile(&typing, 0.5),
                percentile(&typing, 0.99),
                typing.len()
            );
            println!(
                "{:<46} {:>10} {:>10}  ≤ 40 MB",
                "peak memory, app on the large school (VmHWM)",
                "",
                format!("{:.1} MB", peak_rss_kb().unwrap_or(0) as f64 / 1024.0)
            );
        }
        _ => {}
    }
}
