//! The log file beside the database: imports, migrations and refused writes
//! leave a line there, and nothing of it reaches the terminal.

use std::path::{Path, PathBuf};

mod common;
use common::cli::run;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/calendar")
        .join(name)
}

/// Everything in the log files of `dir`.
fn log_text(dir: &Path) -> String {
    let mut text = String::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let name = e.file_name().to_string_lossy().to_string();
        if name.starts_with(portfolio_desk::log::FILE_PREFIX) {
            text.push_str(&std::fs::read_to_string(e.path()).unwrap());
        }
    }
    text
}

#[test]
fn the_log_gets_a_line_for_an_import_and_a_refused_write() {
    let dir = tempfile::TempDir::new().unwrap();
    let db = dir.path().join("school.db");
    assert_eq!(log_text(dir.path()), "", "no log before the first run");

    run(dir.path(), &db, &["init", "--preset", "jingxin"]).code(0);
    let text = log_text(dir.path());
    assert!(text.contains("schema migrated to version"), "{text}");

    let file = fixture("jingxin-111-2.csv");
    let r = run(
        dir.path(),
        &db,
        &["import", "calendar", file.to_str().unwrap()],
    );
    r.code(0);
    assert_eq!(r.stderr, "", "the log does not go to the terminal");
    assert!(!r.stdout.contains("INFO"), "{}", r.stdout);
    let text = log_text(dir.path());
    let line = text
        .lines()
        .find(|l| l.contains("calendar events imported"))
        .unwrap_or_else(|| panic!("no import line in the log:\n{text}"));
    assert!(
        line.contains("INFO")
            && line.contains("7 rows, 7 added")
            && line.contains(&common::cli::real_login()),
        "{line}"
    );

    // A second school in the same file is refused: one line on stderr as
    // always, and the refusal in the log.
    let r = run(dir.path(), &db, &["init", "--preset", "jingxin"]);
    r.code(1);
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    let text = log_text(dir.path());
    let msg = r.stderr.trim().trim_start_matches("portfolio-desk: ");
    let line = text
        .lines()
        .find(|l| l.contains(msg))
        .unwrap_or_else(|| panic!("the log does not name the refusal ({msg}):\n{text}"));
    assert!(line.contains("ERROR") && line.contains("init"), "{line}");
}

#[test]
fn the_log_path_is_beside_the_database() {
    let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
    assert_eq!(
        portfolio_desk::log::file_name(day),
        "portfolio-desk.log.2026-12-03"
    );
    assert_eq!(
        portfolio_desk::log::dir_for(Some(Path::new("/srv/school/school.db")), None),
        Some(PathBuf::from("/srv/school"))
    );
    assert_eq!(
        portfolio_desk::log::dir_for(None, Some(Path::new("/home/u/.local/share/pd"))),
        Some(PathBuf::from("/home/u/.local/share/pd"))
    );
}

/// A crash says so in one message naming the log file, with no backtrace
/// unless RUST_BACKTRACE asks; the panic is in the log too. (This test runs
/// itself again as a child process that starts the command line and panics.)
#[test]
fn a_panic_names_the_log_and_shows_no_backtrace() {
    const CHILD: &str = "PORTFOLIO_DESK_TEST_PANIC_DB";
    if let Ok(db) = std::env::var(CHILD) {
        let code = portfolio_desk::cli::run(
            ["portfolio-desk", "presets", "--db", &db]
                .iter()
                .map(std::ffi::OsString::from)
                .collect(),
        );
        assert_eq!(code, 0);
        panic!("boom for the test");
    }
    let dir = tempfile::TempDir::new().unwrap();
    let db = dir.path().join("school.db");
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "a_panic_names_the_log_and_shows_no_backtrace",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD, &db)
        .env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LIB_BACKTRACE")
        .env_remove("PORTFOLIO_DESK_LANG")
        .output()
        .unwrap();
    assert!(!out.status.success(), "the child panicked");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("boom for the test"), "{err}");
    let today = portfolio_desk::log::file_name(chrono::Utc::now().date_naive());
    assert!(err.contains(&today), "names the log file {today}:\n{err}");
    assert!(
        !err.contains("stack backtrace") && !err.contains("BACKTRACE"),
        "{err}"
    );
    let text = log_text(dir.path());
    assert!(
        text.lines()
            .any(|l| l.contains("ERROR") && l.contains("boom for the test")),
        "{text}"
    );
}
