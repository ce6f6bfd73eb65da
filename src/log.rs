//! The log file: `portfolio-desk.log.<YYYY-MM-DD>` (UTC date) in the data
//! directory beside the default database, or beside the `--db` file. Rolled
//! daily, the newest `KEEP` kept. Errors, imports, migrations, refused writes
//! and backups go there through `tracing::{info, warn, error}!`, from any
//! layer; nothing is ever written to the terminal (the TUI owns it). Before
//! `init` (or when the directory cannot be written) the macros do nothing.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The start of every log file's name; the date follows.
pub const FILE_PREFIX: &str = "portfolio-desk.log";

/// How many daily files are kept.
pub const KEEP: usize = 7;

static DIR: OnceLock<PathBuf> = OnceLock::new();

/// Sends `tracing` events to the daily log file in `dir` (created if
/// missing). The first call wins; false if the log cannot be written.
pub fn init(dir: &Path) -> bool {
    if DIR.get().is_some() {
        return false;
    }
    if std::fs::create_dir_all(dir).is_err() {
        return false;
    }
    let Ok(appender) = tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix(FILE_PREFIX)
        .max_log_files(KEEP)
        .build(dir)
    else {
        return false;
    };
    // The blocking writer: a line is on disk before the next statement, so
    // an exit through `std::process::exit` (a signal) loses nothing.
    let subscriber = tracing_subscriber::fmt()
        .with_writer(appender)
        .with_ansi(false)
        .with_target(false)
        .with_max_level(tracing::Level::INFO)
        .finish();
    if tracing::subscriber::set_global_default(subscriber).is_err() {
        return false;
    }
    let _ = DIR.set(dir.to_path_buf());
    true
}

/// Where the log goes for a database at `db` (`None`: the default database
/// in `data_dir`): the database's directory.
pub fn dir_for(db: Option<&Path>, data_dir: Option<&Path>) -> Option<PathBuf> {
    match db {
        Some(p) => match p.parent() {
            Some(d) if !d.as_os_str().is_empty() => Some(d.to_path_buf()),
            _ => Some(PathBuf::from(".")),
        },
        None => data_dir.map(Path::to_path_buf),
    }
}

/// The directory of the log, once `init` succeeded.
pub fn dir() -> Option<&'static Path> {
    DIR.get().map(PathBuf::as_path)
}

/// The file being written today (for `doctor` and error messages), once
/// `init` succeeded.
pub fn path() -> Option<PathBuf> {
    dir().map(|d| d.join(file_name(chrono::Utc::now().date_naive())))
}

/// The log file name of a (UTC) day.
pub fn file_name(day: chrono::NaiveDate) -> String {
    format!("{FILE_PREFIX}.{}", day.format("%Y-%m-%d"))
}
