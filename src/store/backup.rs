//! Copies of the database file: explicit backups (`backup --out`), the
//! automatic ones in `backups/` beside the file (daily, before a restore,
//! before a migration, …) with their retention, restore from a copy, and the
//! read-only examination behind `doctor`.
//!
//! Every copy goes through SQLite's online backup API in one step, so other
//! connections keep reading and writing (WAL) while it runs, and the copy is
//! one consistent snapshot.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, ErrorCode, OpenFlags};

use super::migrate::SCHEMA_VERSION;
use super::{Result, Store, StoreError};

/// `PRAGMA application_id` of a portfolio-desk file ("PDK1"), when set.
pub const APPLICATION_ID: i64 = 0x5044_4B31;
/// Automatic backups kept by default: the newest 7 days with a backup…
pub const DEFAULT_KEEP_DAILY: usize = 7;
/// …and the newest backup of each of the 4 weeks before those.
pub const DEFAULT_KEEP_WEEKLY: usize = 4;
/// A newest backup older than this many days is reported (doctor, dashboard).
pub const STALE_DAYS: i64 = 2;
/// The reason of the backup made on the first start of a day.
pub const DAILY: &str = "daily";
/// How long a copy waits for a writer that holds the file (as the busy timeout).
const BUSY_WAIT: Duration = Duration::from_secs(5);

/// Tables every portfolio-desk file has (a file without them is not ours).
const OUR_TABLES: [&str; 3] = ["school", "staff", "audit"];

fn refused(key: &'static str, args: Vec<(&'static str, String)>) -> StoreError {
    StoreError::Refused { key, args }
}

fn shown(p: &Path) -> String {
    p.display().to_string()
}

/// What `backup --out` made: where, how big, what it holds, and the answer
/// of `PRAGMA integrity_check` on the copy ("ok" when sound).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupReport {
    pub path: PathBuf,
    pub size: u64,
    pub counts: Vec<(String, i64)>,
    pub integrity: Vec<String>,
}

impl BackupReport {
    pub fn is_sound(&self) -> bool {
        self.integrity == ["ok"]
    }
}

/// One automatic backup in `backups/`, from its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutoBackup {
    pub path: PathBuf,
    pub at: NaiveDateTime,
    pub reason: String,
    pub size: u64,
}

/// What a database file holds, for `restore` to show beside the current one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contents {
    pub schema_version: i64,
    pub counts: Vec<(String, i64)>,
    /// The newest time in the change log (None when it is empty).
    pub last_change: Option<String>,
}

/// What `doctor` reads from the file (nothing is written).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Examination {
    pub integrity: Vec<String>,
    pub schema_version: i64,
    pub journal_mode: String,
    /// Stored dates the program cannot read (each a
    /// [`StoreError::BadStoredDate`]), at most [`BAD_DATES_SHOWN`] of them.
    pub bad_dates: Vec<StoreError>,
}

/// How many unreadable dates `doctor` names.
pub const BAD_DATES_SHOWN: usize = 10;

/// Stored dates that are not ISO-8601 dates (text `date()` does not give
/// back unchanged, or a NULL where a date is required). A table or column
/// the file does not have (an older schema) is skipped.
fn bad_dates(conn: &Connection) -> Vec<StoreError> {
    let mut out = Vec::new();
    for (table, column, nullable) in super::DATE_COLUMNS {
        let sql = format!(
            "SELECT id, coalesce(CAST({column} AS TEXT), 'NULL') FROM {table}
             WHERE ({column} IS NULL AND NOT {nullable})
                OR ({column} IS NOT NULL AND date({column}) IS NOT {column})
             ORDER BY id LIMIT {BAD_DATES_SHOWN}"
        );
        let Ok(mut st) = conn.prepare(&sql) else {
            continue;
        };
        let Ok(rows) = st.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
        else {
            continue;
        };
        for (row_id, value) in rows.flatten() {
            out.push(StoreError::BadStoredDate {
                table,
                row_id,
                column,
                value: super::shown_value(&value),
            });
        }
    }
    out.truncate(BAD_DATES_SHOWN);
    out
}

/// The directory of automatic backups: `backups/` beside the database.
pub fn backups_dir(db: &Path) -> PathBuf {
    match db.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.join("backups"),
        _ => PathBuf::from("backups"),
    }
}

fn stem_of(db: &Path) -> String {
    db.file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "school".to_string())
}

/// `<stem>-<YYYYMMDD-HHMMSS>-<reason>.db`.
pub fn auto_backup_name(db: &Path, at: NaiveDateTime, reason: &str) -> String {
    format!("{}-{}-{reason}.db", stem_of(db), at.format("%Y%m%d-%H%M%S"))
}

/// Reads a name written by [`auto_backup_name`] for the database `stem`.
fn parse_name(stem: &str, name: &str) -> Option<(NaiveDateTime, String)> {
    let rest = name.strip_prefix(stem)?.strip_prefix('-')?;
    let rest = rest.strip_suffix(".db")?;
    if rest.len() < 17 || !rest.is_char_boundary(15) {
        return None;
    }
    let (stamp, reason) = rest.split_at(15);
    let reason = reason.strip_prefix('-')?;
    let at = NaiveDateTime::parse_from_str(stamp, "%Y%m%d-%H%M%S").ok()?;
    let valid = !reason.is_empty()
        && reason
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    valid.then(|| (at, reason.to_string()))
}

/// The automatic backups of `db`, newest first. Other files in the
/// directory (explicit copies, other databases' backups) are not listed.
pub fn list_backups(db: &Path) -> Vec<AutoBackup> {
    let stem = stem_of(db);
    let Ok(entries) = std::fs::read_dir(backups_dir(db)) else {
        return Vec::new();
    };
    let mut out: Vec<AutoBackup> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().to_string();
            let (at, reason) = parse_name(&stem, &name)?;
            let meta = e.metadata().ok()?;
            meta.is_file().then(|| AutoBackup {
                path: e.path(),
                at,
                reason,
                size: meta.len(),
            })
        })
        .collect();
    out.sort_by(|a, b| b.at.cmp(&a.at).then_with(|| b.path.cmp(&a.path)));
    out
}

/// The newest automatic backup of `db`, if any.
pub fn newest_backup(db: &Path) -> Option<AutoBackup> {
    list_backups(db).into_iter().next()
}

/// How many automatic backups to keep: `PORTFOLIO_DESK_KEEP_DAILY` (days,
/// at least 1) and `PORTFOLIO_DESK_KEEP_WEEKLY` (weeks, 0 or more), else 7
/// and 4. A value that is not a number is refused, quoting it.
pub fn retention() -> Result<(usize, usize)> {
    retention_from(
        std::env::var("PORTFOLIO_DESK_KEEP_DAILY").ok(),
        std::env::var("PORTFOLIO_DESK_KEEP_WEEKLY").ok(),
    )
}

fn retention_from(daily: Option<String>, weekly: Option<String>) -> Result<(usize, usize)> {
    let read = |var: &'static str, v: Option<String>, default: usize, min: usize| match v {
        Some(v) if !v.trim().is_empty() => match v.trim().parse::<usize>() {
            Ok(n) if n >= min => Ok(n),
            _ => Err(refused(
                "backup.bad_keep",
                vec![("var", var.to_string()), ("value", v)],
            )),
        },
        _ => Ok(default),
    };
    Ok((
        read("PORTFOLIO_DESK_KEEP_DAILY", daily, DEFAULT_KEEP_DAILY, 1)?,
        read("PORTFOLIO_DESK_KEEP_WEEKLY", weekly, DEFAULT_KEEP_WEEKLY, 0)?,
    ))
}

/// Which automatic backups retention removes, from a list newest first:
/// every backup of the newest `keep_daily` days that have one is kept (the
/// daily copy and any made before a restore or a migration that day); of the
/// older ones, the newest of each of the newest `keep_weekly` ISO weeks.
pub fn to_prune(list: &[AutoBackup], keep_daily: usize, keep_weekly: usize) -> Vec<PathBuf> {
    let mut days: Vec<NaiveDate> = Vec::new();
    let mut weeks: Vec<(i32, u32)> = Vec::new();
    let mut out = Vec::new();
    for b in list {
        let day = b.at.date();
        if days.contains(&day) {
            continue;
        }
        if days.len() < keep_daily {
            days.push(day);
            continue;
        }
        let w = day.iso_week();
        let week = (w.year(), w.week());
        if !weeks.contains(&week) && weeks.len() < keep_weekly {
            weeks.push(week);
            continue;
        }
        out.push(b.path.clone());
    }
    out
}

/// Removes the automatic backups of `db` that retention no longer keeps.
pub fn prune(db: &Path, keep_daily: usize, keep_weekly: usize) -> Vec<PathBuf> {
    let gone = to_prune(&list_backups(db), keep_daily, keep_weekly);
    gone.into_iter()
        .filter(|p| std::fs::remove_file(p).is_ok())
        .collect()
}

fn is_code(e: &rusqlite::Error, codes: &[ErrorCode]) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _) if codes.contains(&f.code))
}

/// Copies every page of `src` into `dst` in one step (retrying while a
/// writer holds the file, up to the busy wait).
fn copy_pages(src: &Connection, dst: &mut Connection) -> Result<()> {
    let backup = Backup::new(src, dst)?;
    let started = Instant::now();
    loop {
        match backup.step(-1)? {
            StepResult::Done => return Ok(()),
            StepResult::More => {}
            // Busy or locked: a writer holds the file for a moment.
            _ => {
                if started.elapsed() > BUSY_WAIT {
                    return Err(StoreError::Busy);
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }
}

/// Suffix of a copy being written: it gets its real name only when whole.
const PARTIAL: &str = ".partial";

/// A name beside `dest` for the copy while it is written (hidden, and not a
/// backup name, so no listing ever takes it for one).
fn partial_path(dest: &Path) -> PathBuf {
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let name = dest
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    dest.with_file_name(format!(".{name}.{}-{n}{PARTIAL}", std::process::id()))
}

/// Copies `src` into a new file at `dest`: written whole under a temporary
/// name first, then linked to `dest` (which fails if `dest` exists, so no
/// file is ever overwritten, even in a race). A copy cut short (the
/// process ends mid-way) never bears a backup's name.
fn copy_to_new(src: &Connection, dest: &Path) -> Result<()> {
    if dest.exists() {
        return Err(cannot_write(
            dest,
            std::io::Error::from(std::io::ErrorKind::AlreadyExists),
        ));
    }
    let tmp = write_partial(src, dest)?;
    let linked = std::fs::hard_link(&tmp, dest).map_err(|e| cannot_write(dest, e));
    let _ = std::fs::remove_file(&tmp);
    linked
}

/// The whole copy of `src` in a temporary file beside `dest`.
fn write_partial(src: &Connection, dest: &Path) -> Result<PathBuf> {
    let tmp = partial_path(dest);
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .map_err(|e| cannot_write(dest, e))?;
    fill(src, &tmp)?;
    Ok(tmp)
}

fn cannot_write(dest: &Path, e: std::io::Error) -> StoreError {
    refused(
        "backup.cannot_write",
        vec![("path", shown(dest)), ("reason", e.to_string())],
    )
}

/// Copies `src` into the empty file `dest`; on failure the file is removed.
fn fill(src: &Connection, dest: &Path) -> Result<()> {
    let result = (|| -> Result<()> {
        let mut dst = Connection::open(dest)?;
        copy_pages(src, &mut dst)?;
        // The copy takes the source's WAL flag; a backup is one file.
        dst.query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))?;
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(dest);
    }
    result
}

/// Removes copies left half-written by a process that ended mid-way (older
/// than ten minutes, so a copy another process is writing is left alone).
fn remove_stale_partials(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let old = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > Duration::from_secs(600));
        if name.starts_with('.') && name.ends_with(PARTIAL) && old {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

fn integrity(conn: &Connection) -> Result<Vec<String>> {
    let mut st = conn.prepare("PRAGMA integrity_check")?;
    let rows = st.query_map([], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

fn table_counts(conn: &Connection) -> Result<Vec<(String, i64)>> {
    let names: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_schema
             WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    names
        .into_iter()
        .map(|n| {
            let c: i64 = conn.query_row(
                &format!("SELECT count(*) FROM \"{}\"", n.replace('"', "\"\"")),
                [],
                |r| r.get(0),
            )?;
            Ok((n, c))
        })
        .collect()
}

fn contents_of(conn: &Connection) -> Result<Contents> {
    let schema_version = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let last_change = conn.query_row("SELECT max(at) FROM audit", [], |r| r.get(0))?;
    Ok(Contents {
        schema_version,
        counts: table_counts(conn)?,
        last_change,
    })
}

/// Makes an automatic backup of the database behind `conn` (whose file is
/// `db`) into `backups/`, then applies retention. Used by the store, the
/// migrations and the daily backup thread.
pub(crate) fn auto_backup_conn(
    conn: &Connection,
    db: &Path,
    reason: &str,
    now: NaiveDateTime,
) -> Result<PathBuf> {
    if db == Path::new(":memory:") {
        return Err(refused("backup.in_memory", vec![]));
    }
    let (keep_daily, keep_weekly) = retention()?;
    let dir = backups_dir(db);
    std::fs::create_dir_all(&dir).map_err(|e| {
        refused(
            "backup.cannot_write",
            vec![("path", shown(&dir)), ("reason", e.to_string())],
        )
    })?;
    remove_stale_partials(&dir);
    // The copy is written whole under a temporary name, then linked to its
    // name: a copy cut short is never taken for today's backup. Two backups
    // in the same second (two processes upgrading one file together) get
    // the next free second: linking fails when the name is taken.
    let tmp = write_partial(conn, &dir.join(auto_backup_name(db, now, reason)))?;
    let mut at = now;
    let linked = loop {
        let path = dir.join(auto_backup_name(db, at, reason));
        match std::fs::hard_link(&tmp, &path) {
            Ok(()) => break Ok(path),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                at += chrono::Duration::seconds(1);
            }
            Err(e) => break Err(cannot_write(&path, e)),
        }
    };
    let _ = std::fs::remove_file(&tmp);
    let path = linked?;
    prune(db, keep_daily, keep_weekly);
    Ok(path)
}

fn open_read_only(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(BUSY_WAIT)?;
    Ok(conn)
}

/// The daily backup, on the first start of a day: nothing when today's
/// already exists, or when another instance is making it right now (an
/// exclusive lock on `backups/.daily.lock`). Opens its own connection, so
/// it can run on a thread beside the app.
pub fn daily_backup(db: &Path, now: NaiveDateTime) -> Result<Option<PathBuf>> {
    if !db.is_file() {
        return Ok(None);
    }
    let has_today = |db: &Path| {
        list_backups(db)
            .iter()
            .any(|b| b.reason == DAILY && b.at.date() == now.date())
    };
    if has_today(db) {
        return Ok(None);
    }
    let dir = backups_dir(db);
    std::fs::create_dir_all(&dir).map_err(|e| {
        refused(
            "backup.cannot_write",
            vec![("path", shown(&dir)), ("reason", e.to_string())],
        )
    })?;
    let Some(_lock) = DirLock::try_take(&dir.join(".daily.lock")) else {
        return Ok(None);
    };
    // Checked again under the lock: another instance may just have made it.
    if has_today(db) {
        return Ok(None);
    }
    let conn = open_read_only(db)?;
    auto_backup_conn(&conn, db, DAILY, now).map(Some)
}

/// An exclusive, non-blocking lock on a file, released when dropped (or
/// when the process ends, however it ends).
struct DirLock(#[allow(dead_code)] std::fs::File);

impl DirLock {
    fn try_take(path: &Path) -> Option<DirLock> {
        let f = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)
            .ok()?;
        #[cfg(unix)]
        {
            use std::os::unix::io::AsRawFd;
            // SAFETY: flock on a file descriptor this function owns.
            let rc = unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
            if rc != 0 {
                return None;
            }
        }
        Some(DirLock(f))
    }
}

/// Checks that `path` is a portfolio-desk database this version can use
/// and that it is sound, and says what it holds. Refusals quote the path
/// and the reason; nothing is written.
pub fn inspect_file(path: &Path) -> Result<Contents> {
    let p = shown(path);
    if !path.is_file() {
        return Err(refused("backup.no_such_file", vec![("path", p)]));
    }
    let not_sqlite = || refused("backup.refuse_not_sqlite", vec![("path", shown(path))]);
    let corrupt = || refused("backup.refuse_corrupt", vec![("path", shown(path))]);
    let conn = open_read_only(path).map_err(|_| not_sqlite())?;
    let head = conn.query_row("PRAGMA application_id", [], |r| r.get::<_, i64>(0));
    let app_id = match head {
        Ok(v) => v,
        Err(e) if is_code(&e, &[ErrorCode::DatabaseCorrupt]) => return Err(corrupt()),
        Err(_) => return Err(not_sqlite()),
    };
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|_| not_sqlite())?;
    let foreign = || refused("backup.refuse_foreign", vec![("path", shown(path))]);
    if app_id != 0 && app_id != APPLICATION_ID {
        return Err(foreign());
    }
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table'")
        .and_then(|mut st| {
            st.query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()
        })
        .map_err(|_| corrupt())?;
    if version == 0 || OUR_TABLES.iter().any(|t| !tables.iter().any(|x| x == t)) {
        return Err(foreign());
    }
    if version > SCHEMA_VERSION {
        return Err(refused(
            "backup.refuse_newer",
            vec![
                ("path", p),
                ("found", version.to_string()),
                ("known", SCHEMA_VERSION.to_string()),
            ],
        ));
    }
    match integrity(&conn) {
        Ok(r) if r == ["ok"] => {}
        _ => return Err(corrupt()),
    }
    contents_of(&conn).map_err(|_| corrupt())
}

/// Reads the database file for `doctor`: integrity check, schema version
/// and journal mode; nothing is written.
pub fn examine(path: &Path) -> Result<Examination> {
    // Read-write without create, but query_only: as the last connection it
    // removes the -wal and -shm it made on close (a read-only connection
    // would leave them behind, with whatever mode the file has now).
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .and_then(|c| {
        c.busy_timeout(BUSY_WAIT)?;
        c.execute_batch("PRAGMA query_only = ON")?;
        Ok(c)
    })
    .map_err(|_| StoreError::NotOurs { path: shown(path) })?;
    // The same test of ownership as opening the file: another program's
    // database (or another application id) is not ours to examine. A newer
    // schema is reported by the caller from `schema_version`.
    if let Err(e @ StoreError::NotOurs { .. }) = super::migrate::probe(&conn, path) {
        return Err(e);
    }
    let schema_version = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|_| StoreError::NotOurs { path: shown(path) })?;
    let journal_mode = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
    let integrity = match integrity(&conn) {
        Ok(r) => r,
        Err(_) => vec![String::new()],
    };
    Ok(Examination {
        integrity,
        schema_version,
        journal_mode,
        bad_dates: bad_dates(&conn),
    })
}

/// Whether two paths name the same existing file.
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

impl Store {
    /// Copies the open database to `out` (a new file) while others keep
    /// working, then checks the copy and counts its rows.
    pub fn backup_to(&self, out: &Path) -> Result<BackupReport> {
        self.copy_to(out)?;
        self.check_copy(out)
    }

    /// Only the copy of [`Store::backup_to`] (the benchmark times it apart
    /// from the check). Refuses the database itself and any existing file.
    pub fn copy_to(&self, out: &Path) -> Result<()> {
        if self.path == Path::new(":memory:") {
            return Err(refused("backup.in_memory", vec![]));
        }
        if same_file(out, &self.path) {
            return Err(refused("backup.out_is_db", vec![("path", shown(out))]));
        }
        if out.exists() {
            return Err(refused("backup.out_exists", vec![("path", shown(out))]));
        }
        copy_to_new(&self.conn, out)
    }

    /// `PRAGMA integrity_check`, size and row counts of a copy.
    pub fn check_copy(&self, out: &Path) -> Result<BackupReport> {
        let conn = open_read_only(out)?;
        let integrity = integrity(&conn).unwrap_or_else(|_| vec![String::new()]);
        let counts = table_counts(&conn).unwrap_or_default();
        let size = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
        Ok(BackupReport {
            path: out.to_path_buf(),
            size,
            counts,
            integrity,
        })
    }

    /// An automatic backup into `backups/` beside the file, named
    /// `<stem>-<YYYYMMDD-HHMMSS>-<reason>.db` (reason: lowercase letters,
    /// digits and `-`, e.g. "before-import"), then retention (7 days + 4
    /// weeks by default). Call it before anything that replaces data.
    pub fn auto_backup(&self, reason: &str) -> Result<PathBuf> {
        self.auto_backup_at(reason, chrono::Local::now().naive_local())
    }

    /// [`Store::auto_backup`] at a given time (tests).
    pub fn auto_backup_at(&self, reason: &str, now: NaiveDateTime) -> Result<PathBuf> {
        auto_backup_conn(&self.conn, &self.path, reason, now)
    }

    /// What the open database holds (for `restore` to compare).
    pub fn contents(&self) -> Result<Contents> {
        contents_of(&self.conn)
    }

    /// Replaces the open database with the copy in `file`, after checking
    /// it ([`inspect_file`]) and backing up the current data ("before-restore",
    /// whose path is returned). The pages go in through the backup API, so
    /// other open connections see the restored data. A refused file leaves
    /// the database as it was.
    pub fn restore_from(&mut self, file: &Path) -> Result<PathBuf> {
        if same_file(file, &self.path) {
            return Err(refused("backup.restore_self", vec![("path", shown(file))]));
        }
        // Administrators only, checked before anything is written (the
        // pages go in through the backup API, not a write transaction).
        self.may(crate::domain::access::Action::Restore)?;
        inspect_file(file)?;
        let saved = self.auto_backup("before-restore")?;
        let src = open_read_only(file)?;
        copy_pages(&src, &mut self.conn)?;
        drop(src);
        // A copy from an older version is brought up to date.
        super::migrate::migrate(&self.conn, &self.path)?;
        Ok(saved)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn names_round_trip_and_other_files_are_not_backups() {
        let db = Path::new("/x/school-2.db");
        let name = auto_backup_name(db, at("2026-11-25 08:05:09"), "before-restore");
        assert_eq!(name, "school-2-20261125-080509-before-restore.db");
        assert_eq!(
            parse_name("school-2", &name),
            Some((at("2026-11-25 08:05:09"), "before-restore".to_string()))
        );
        assert_eq!(parse_name("school", &name), None);
        assert_eq!(parse_name("school-2", "school-2-copy.db"), None);
        assert_eq!(parse_name("school-2", "school-2-20261125-080509-.db"), None);
        assert_eq!(
            parse_name("school-2", "school-2-20261125-080509-daily.db-wal"),
            None
        );
    }

    #[test]
    fn retention_settings_are_read_and_bad_ones_refused_quoting_them() {
        assert_eq!(retention_from(None, None), Ok((7, 4)));
        assert_eq!(
            retention_from(Some("10".into()), Some("0".into())),
            Ok((10, 0))
        );
        for (d, w, bad) in [("four", "4", "four"), ("0", "4", "0"), ("7", "-1", "-1")] {
            match retention_from(Some(d.into()), Some(w.into())) {
                Err(StoreError::Refused { key, args }) => {
                    assert_eq!(key, "backup.bad_keep");
                    assert!(args.iter().any(|(_, v)| v == bad), "{args:?}");
                }
                other => panic!("{d} {w}: {other:?}"),
            }
        }
    }
}
