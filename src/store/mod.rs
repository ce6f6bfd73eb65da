//! SQLite store. The only place with SQL. Opens the file in WAL mode with a
//! busy timeout and foreign keys on; every write runs in one transaction that
//! checks the row's version, bumps it and writes an audit row.

mod access;
mod agenda_facts;
mod audit;
pub mod backup;
mod calendar;
mod checklist;
mod committee;
mod delegation;
mod draft;
mod meeting;
mod migrate;
mod receipt;
pub mod retention;
mod school;
pub(crate) mod staff;

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDate;
use rusqlite::{Connection, OpenFlags, OptionalExtension, Row, Transaction, params};
use serde::Serialize;

use crate::i18n::Localized;

pub use access::{
    ClosureRec, GrantRec, LoginRec, login_exists, role_list, role_names, unknown_login_warning,
    unknown_role,
};
pub use audit::{AuditFilter, RecordNow};
pub use backup::{AutoBackup, BackupReport, Contents, Examination};
pub use calendar::{CopyOutcome, EventRec, ImportOutcome, TermRec};
pub use checklist::{ChecklistRec, ChecklistReport, ItemRec, TemplateRec};
pub use delegation::{AbsenceRec, DelegateTableRec};
pub use draft::DraftRec;
pub use meeting::{ChairInfo, MeetingOverview, MeetingRow};
pub use migrate::{APPLICATION_ID, SCHEMA_VERSION, create_old_schema};
pub use receipt::{
    ArchivedLine, DeemOutcome, DiscRec, DiscSummary, GROWTH_REFUSED, ImportOptions, ImportRec,
    Notice, Progress, ReceiptImport, ReceiptReport, StudentImport, StudentRec, StudentRow,
    deem_refused,
};
pub use retention::{RecordCounts, RetentionApplied};
pub use school::School;

/// What can go wrong in the store, in terms a user can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// Someone saved this row after it was loaded here.
    Stale { by: String, at: String },
    /// The row is gone (deleted by someone else, or never existed).
    NotFound { what: &'static str, id: i64 },
    /// Another process held the write lock longer than the busy timeout.
    Busy,
    /// The file was written by a newer portfolio-desk.
    NewerSchema { found: i64, known: i64 },
    /// The file is not a portfolio-desk database (or not SQLite at all).
    NotOurs { path: String },
    /// The file cannot be opened or created.
    Open { path: String, reason: String },
    /// This database has no school yet (run `init`).
    NoSchool,
    /// `init` on a database that already holds a school.
    SchoolExists { name: String },
    /// The academic year already has a committee.
    CommitteeExists { year: i32 },
    /// There is no committee for that academic year.
    NoCommittee { year: i32 },
    /// The member to assign has left the school.
    MemberLeft { name: String },
    /// A rule of the domain refused the change (the key and values say why,
    /// in the UI language); nothing was saved.
    Refused {
        key: &'static str,
        args: Vec<(&'static str, String)>,
    },
    /// Anything else the database said; the detail goes to the log line only.
    Db { detail: String },
    /// The file is open read-only (no write permission): nothing is saved.
    ReadOnly { path: String },
    /// A read-only file with an older schema: someone who can write it must
    /// open it once so it is brought up to date.
    ReadOnlyOld {
        path: String,
        found: i64,
        known: i64,
    },
    /// The file exists but cannot be read (permissions).
    Unreadable { path: String },
    /// A date in the file is not a date (written by another program, or
    /// disk damage: the schema's CHECK constraints refuse it otherwise).
    /// Names the table, the row id, the column and the value as stored.
    BadStoredDate {
        table: &'static str,
        row_id: i64,
        column: &'static str,
        value: String,
    },
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}
impl std::error::Error for StoreError {}

impl Localized for StoreError {
    fn message_key(&self) -> &'static str {
        match self {
            StoreError::Stale { .. } => "store.stale",
            StoreError::NotFound { .. } => "store.not_found",
            StoreError::Busy => "store.busy",
            StoreError::NewerSchema { .. } => "store.newer_schema",
            StoreError::NotOurs { .. } => "store.not_ours",
            StoreError::Open { .. } => "store.open",
            StoreError::NoSchool => "store.no_school",
            StoreError::SchoolExists { .. } => "store.school_exists",
            StoreError::CommitteeExists { .. } => "store.committee_exists",
            StoreError::NoCommittee { .. } => "store.no_committee",
            StoreError::MemberLeft { .. } => "store.member_left",
            StoreError::Refused { key, .. } => key,
            StoreError::Db { .. } => "store.db",
            StoreError::ReadOnly { .. } => "opening.read_only",
            StoreError::ReadOnlyOld { .. } => "opening.read_only_old",
            StoreError::Unreadable { .. } => "opening.unreadable",
            StoreError::BadStoredDate { .. } => "storedate.bad_date",
        }
    }
    fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            StoreError::Stale { by, at } => vec![("by", by.clone()), ("at", short_time(at))],
            StoreError::NotFound { what, id } => {
                vec![
                    ("what", crate::i18n::tr(what).to_string()),
                    ("id", id.to_string()),
                ]
            }
            StoreError::NewerSchema { found, known } => {
                vec![("found", found.to_string()), ("known", known.to_string())]
            }
            StoreError::NotOurs { path }
            | StoreError::ReadOnly { path }
            | StoreError::Unreadable { path } => vec![("path", path.clone())],
            StoreError::ReadOnlyOld { path, found, known } => vec![
                ("path", path.clone()),
                ("found", found.to_string()),
                ("known", known.to_string()),
            ],
            StoreError::Open { path, reason } => {
                vec![("path", path.clone()), ("reason", reason.clone())]
            }
            StoreError::SchoolExists { name } => vec![("name", name.clone())],
            StoreError::CommitteeExists { year } | StoreError::NoCommittee { year } => {
                vec![("year", year.to_string())]
            }
            StoreError::MemberLeft { name } => vec![("name", name.clone())],
            StoreError::Db { detail } => vec![("detail", detail.clone())],
            StoreError::Refused { args, .. } => args.clone(),
            StoreError::BadStoredDate {
                table,
                row_id,
                column,
                value,
            } => vec![
                ("table", table.to_string()),
                ("row", row_id.to_string()),
                ("column", column.to_string()),
                ("value", value.clone()),
            ],
            StoreError::Busy | StoreError::NoSchool => vec![],
        }
    }
}

/// `path` with "-wal" or "-shm" appended (SQLite's files beside a database).
fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// A path written for an SQLite `file:` URI (%, ?, # escaped).
fn uri_path(path: &Path) -> String {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = String::new();
    for c in abs.to_string_lossy().chars() {
        match c {
            '%' => out.push_str("%25"),
            '?' => out.push_str("%3f"),
            '#' => out.push_str("%23"),
            _ => out.push(c),
        }
    }
    out
}

/// Another connection holds a lock this one needs.
fn is_busy(e: &rusqlite::Error) -> bool {
    use rusqlite::ErrorCode;
    matches!(e, rusqlite::Error::SqliteFailure(f, _)
        if matches!(f.code, ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked))
}

/// The OS (or SQLite) said the file cannot be written.
fn is_no_write(e: &rusqlite::Error) -> bool {
    use rusqlite::ErrorCode;
    match e {
        rusqlite::Error::SqliteFailure(f, _) => matches!(
            f.code,
            ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied
        ),
        _ => false,
    }
}

/// "2026-11-25T09:30:12+08:00" → "2026-11-25 09:30".
pub fn short_time(ts: &str) -> String {
    let s: String = ts.chars().take(16).collect();
    s.replace('T', " ")
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        // A store error carried through a row mapper (see `stored_date`).
        if let rusqlite::Error::FromSqlConversionFailure(_, _, inner) = &e
            && let Some(err) = inner.downcast_ref::<StoreError>()
        {
            return err.clone();
        }
        if let rusqlite::Error::SqliteFailure(f, _) = &e
            && matches!(f.code, ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
        {
            return StoreError::Busy;
        }
        StoreError::Db {
            detail: e.to_string(),
        }
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// Where a date column is in a query's rows: its table and column names
/// (for the message) and the index of the row id among the selected columns.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DateCol {
    pub table: &'static str,
    pub column: &'static str,
    pub id_at: usize,
}

/// Column `idx` of `r`, a date stored as ISO-8601 text, read through
/// rusqlite's chrono support. Anything else (text that is not a date, a
/// number, NULL in a column that must hold a date) is
/// [`StoreError::BadStoredDate`] naming the table, row, column and value,
/// carried in rusqlite's error so row mappers can return it; `?` on a
/// query's result turns it back (see `From<rusqlite::Error>`).
pub(crate) fn stored_date(r: &Row<'_>, idx: usize, at: DateCol) -> rusqlite::Result<NaiveDate> {
    r.get::<_, NaiveDate>(idx)
        .map_err(|e| bad_date(r, idx, at, e))
}

/// Like [`stored_date`] for a column that may be NULL (no date).
pub(crate) fn stored_date_opt(
    r: &Row<'_>,
    idx: usize,
    at: DateCol,
) -> rusqlite::Result<Option<NaiveDate>> {
    r.get::<_, Option<NaiveDate>>(idx)
        .map_err(|e| bad_date(r, idx, at, e))
}

/// Every date column of the schema: (table, column, may be NULL).
pub(crate) const DATE_COLUMNS: [(&str, &str, bool); 21] = [
    ("staff", "left_on", true),
    ("delegate", "valid_from", true),
    ("delegate", "valid_to", true),
    ("absence", "starts_on", false),
    ("absence", "ends_on", false),
    ("term", "starts_on", false),
    ("term", "ends_on", false),
    ("term", "closing_on", true),
    ("event", "starts_on", false),
    ("event", "ends_on", false),
    ("event", "done_on", true),
    ("checklist_item", "done_on", true),
    ("receipt_window", "starts_on", false),
    ("receipt_window", "ends_on", false),
    ("discrepancy", "reported_on", false),
    ("meeting", "held_on", false),
    ("agenda_item", "due_on", true),
    ("agenda_item", "done_on", true),
    ("student", "left_on", true),
    ("student", "applied_on", true),
    ("student", "sealed_on", true),
];

/// The longest stored value quoted in a message, in characters.
const SHOWN_VALUE_MAX: usize = 40;

fn bad_date(r: &Row<'_>, idx: usize, at: DateCol, e: rusqlite::Error) -> rusqlite::Error {
    use rusqlite::types::{Type, ValueRef};
    if !matches!(
        e,
        rusqlite::Error::FromSqlConversionFailure(..) | rusqlite::Error::InvalidColumnType(..)
    ) {
        return e;
    }
    let value = match r.get_ref(idx) {
        Ok(ValueRef::Null) => "NULL".to_string(),
        Ok(ValueRef::Integer(i)) => i.to_string(),
        Ok(ValueRef::Real(f)) => f.to_string(),
        Ok(ValueRef::Text(t)) => String::from_utf8_lossy(t).into_owned(),
        Ok(ValueRef::Blob(b)) => format!(
            "x'{}'",
            b.iter().map(|x| format!("{x:02x}")).collect::<String>()
        ),
        Err(_) => String::new(),
    };
    let row_id = r.get::<_, i64>(at.id_at).unwrap_or(0);
    let err = StoreError::BadStoredDate {
        table: at.table,
        row_id,
        column: at.column,
        value: shown_value(&value),
    };
    tracing::error!(
        table = at.table,
        row_id,
        column = at.column,
        "unreadable date in the database: {value:?}"
    );
    rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, Box::new(err))
}

/// A stored value fit for one line of a message: control characters
/// escaped, long values cut.
pub(crate) fn shown_value(v: &str) -> String {
    let mut out = String::new();
    for (n, c) in v.chars().enumerate() {
        if n == SHOWN_VALUE_MAX {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// One open database file.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    user: String,
    fixed_now: Option<String>,
    read_only: bool,
}

/// The acting login: the name of the process's real user id (over SSH, the
/// account the person logged in with). Nothing in the environment or the
/// arguments changes it; a uid with no name in the password database is
/// shown as `uid<N>`.
pub fn os_user() -> String {
    // SAFETY: getuid cannot fail.
    let uid = unsafe { libc::getuid() };
    let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
    let mut buf = vec![0 as libc::c_char; 16 * 1024];
    let mut out: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: every pointer is to a live local of the right size; `out`
    // is either null or points at `pwd`, whose strings live in `buf`.
    let rc = unsafe { libc::getpwuid_r(uid, &mut pwd, buf.as_mut_ptr(), buf.len(), &mut out) };
    if rc == 0 && !out.is_null() && !pwd.pw_name.is_null() {
        // SAFETY: pw_name is a NUL-terminated string inside `buf`.
        let name = unsafe { std::ffi::CStr::from_ptr(pwd.pw_name) };
        let name = name.to_string_lossy().trim().to_string();
        if !name.is_empty() {
            return name;
        }
    }
    format!("uid{uid}")
}

impl Store {
    /// Opens (creating if missing) the database at `path` and brings its
    /// schema up to date.
    ///
    /// An existing file is first looked at through a read-only connection:
    /// a file from a newer version, another program's file or a file that is
    /// not SQLite is refused before anything in it (or beside it) changes. A
    /// file this user cannot write opens read-only (see [`Store::is_read_only`]).
    pub fn open(path: &Path) -> Result<Store> {
        let shown = || path.display().to_string();
        let open_err = |e: &dyn std::fmt::Display| StoreError::Open {
            path: shown(),
            reason: e.to_string(),
        };
        if path.exists() {
            let probe = Self::probe(path)?;
            if Self::lacks_write_permission(path) {
                return Self::open_read_only(path, probe);
            }
            let conn = Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .map_err(|e| {
                if is_no_write(&e) {
                    StoreError::ReadOnly { path: shown() }
                } else {
                    open_err(&e)
                }
            });
            let conn = match conn {
                Ok(c) => c,
                Err(StoreError::ReadOnly { .. }) => return Self::open_read_only(path, probe),
                Err(e) => return Err(e),
            };
            // SQLite falls back to reading only when the OS refuses writes.
            if conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false) {
                drop(conn);
                return Self::open_read_only(path, probe);
            }
            let store = Self::with_conn(conn, path, false);
            match store.configure() {
                Ok(()) => {}
                // The file is writable but its directory is not (no room
                // for the journal): read-only as well.
                Err(StoreError::ReadOnly { .. }) => {
                    drop(store);
                    return Self::open_read_only(path, probe);
                }
                Err(e) => return Err(e),
            }
            migrate::migrate(&store.conn, path)?;
            return Ok(store);
        }
        if let Some(dir) = path.parent()
            && !dir.as_os_str().is_empty()
            && !dir.exists()
        {
            std::fs::create_dir_all(dir).map_err(|e| open_err(&e))?;
        }
        let conn = Connection::open(path).map_err(|e| open_err(&e))?;
        let store = Self::with_conn(conn, path, false);
        store.configure()?;
        migrate::migrate(&store.conn, path)?;
        Ok(store)
    }

    /// An in-memory database (tests and snapshots).
    pub fn open_in_memory() -> Result<Store> {
        let conn = Connection::open_in_memory()?;
        let store = Self::with_conn(conn, Path::new(":memory:"), false);
        store.configure()?;
        migrate::migrate(&store.conn, Path::new(":memory:"))?;
        Ok(store)
    }

    fn with_conn(conn: Connection, path: &Path, read_only: bool) -> Store {
        Store {
            conn,
            path: path.to_path_buf(),
            user: os_user(),
            fixed_now: None,
            read_only,
        }
    }

    /// Looks at an existing file without changing it or leaving anything
    /// beside it: the first 100 bytes must be an SQLite header; then a
    /// read-only connection reads its ids and tables (see `migrate::probe`).
    fn probe(path: &Path) -> Result<migrate::Probe> {
        // A file read as immutable while another opener is writing its
        // pages back (a checkpoint) can look broken for a moment: before
        // calling it someone else's, look again.
        let mut tries = 0;
        loop {
            let (out, immutable) = Self::probe_once(path);
            match out {
                Err(StoreError::NotOurs { .. }) if immutable && tries < 3 => {
                    tries += 1;
                    std::thread::sleep(Duration::from_millis(20));
                }
                other => return other,
            }
        }
    }

    /// One look; also says whether the file was read as immutable.
    fn probe_once(path: &Path) -> (Result<migrate::Probe>, bool) {
        let mut immutable = false;
        let out = Self::probe_into(path, &mut immutable);
        (out, immutable)
    }

    fn probe_into(path: &Path, immutable_used: &mut bool) -> Result<migrate::Probe> {
        let shown = || path.display().to_string();
        if path.is_dir() {
            return Err(StoreError::NotOurs { path: shown() });
        }
        let mut head = Vec::with_capacity(100);
        {
            use std::io::Read;
            let file = std::fs::File::open(path).map_err(|e| match e.kind() {
                std::io::ErrorKind::PermissionDenied => StoreError::Unreadable { path: shown() },
                _ => StoreError::Open {
                    path: shown(),
                    reason: e.to_string(),
                },
            })?;
            file.take(100)
                .read_to_end(&mut head)
                .map_err(|_| StoreError::Unreadable { path: shown() })?;
        }
        if head.is_empty() {
            // An empty file is an empty database to SQLite: a new one.
            return Ok(migrate::Probe {
                version: 0,
                application_id: 0,
            });
        }
        if head.len() < 100 || !head.starts_with(b"SQLite format 3\0") {
            return Err(StoreError::NotOurs { path: shown() });
        }
        // A WAL-mode file (header byte 18 = 2) opened read-only makes SQLite
        // create -wal and -shm files that stay behind. With no -wal there is
        // nothing beyond the main file to read: read it as immutable.
        let wal_mode = head[18] == 2;
        let immutable = wal_mode && !sidecar(path, "-wal").exists();
        *immutable_used = immutable;
        let conn = Self::connect_read_only(path, immutable)?;
        match migrate::probe(&conn, path) {
            // A writer may have started meanwhile: read again, with locks.
            Err(_) if immutable && sidecar(path, "-wal").exists() => {
                drop(conn);
                migrate::probe(&Self::connect_read_only(path, false)?, path)
            }
            other => other,
        }
    }

    /// A connection that cannot change the file (nor create it).
    /// `immutable`: no locks, no -wal/-shm (the file must not be changing).
    fn connect_read_only(path: &Path, immutable: bool) -> Result<Connection> {
        let unreadable = |_| StoreError::Unreadable {
            path: path.display().to_string(),
        };
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = if immutable {
            Connection::open_with_flags(
                format!("file:{}?immutable=1", uri_path(path)),
                flags | OpenFlags::SQLITE_OPEN_URI,
            )
        } else {
            Connection::open_with_flags(path, flags)
        }
        .map_err(unreadable)?;
        conn.busy_timeout(Duration::from_secs(5))?;
        Ok(conn)
    }

    /// The permission bits say nobody may write the file. (Checked even for
    /// root, who could write anyway: the owner meant it to stay as it is.)
    fn lacks_write_permission(path: &Path) -> bool {
        std::fs::metadata(path)
            .map(|m| m.permissions().readonly())
            .unwrap_or(false)
    }

    /// Opens a file that cannot be written: reads work, writes are refused
    /// with [`StoreError::ReadOnly`]. A file whose schema is older than this
    /// program's cannot be brought up to date, so it is refused.
    fn open_read_only(path: &Path, probe: migrate::Probe) -> Result<Store> {
        if probe.version < SCHEMA_VERSION {
            return Err(StoreError::ReadOnlyOld {
                path: path.display().to_string(),
                found: probe.version,
                known: SCHEMA_VERSION,
            });
        }
        // Read-only connections leave -wal/-shm files behind, owned by this
        // user, which could keep the owner from writing: when the owner is
        // not working on the file (no -wal) it is read as immutable, the
        // way it was when opened.
        let mut head = [0u8; 19];
        let wal_mode = std::fs::File::open(path)
            .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
            .is_ok()
            && head[18] == 2;
        let immutable = wal_mode && !sidecar(path, "-wal").exists();
        let conn = Self::connect_read_only(path, immutable)?;
        conn.execute_batch("PRAGMA foreign_keys = ON;")?;
        // Check the file again through this connection (it may have been
        // replaced since the probe).
        migrate::probe(&conn, path)?;
        Ok(Self::with_conn(conn, path, true))
    }

    /// True when the file was opened read-only: every write is refused.
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// Refuses a write on a read-only file.
    fn check_writable(&self) -> Result<()> {
        if self.read_only {
            return Err(StoreError::ReadOnly {
                path: self.path.display().to_string(),
            });
        }
        Ok(())
    }

    fn configure(&self) -> Result<()> {
        let path = self.path.display().to_string();
        let fail = |e: rusqlite::Error| {
            if is_no_write(&e) {
                StoreError::ReadOnly { path: path.clone() }
            } else {
                StoreError::NotOurs { path: path.clone() }
            }
        };
        self.conn
            .busy_timeout(Duration::from_secs(5))
            .map_err(fail)?;
        // journal_mode answers with a row; a non-database file fails here.
        // Two openers switching one file at once: SQLite answers "busy"
        // at once (no waiting, to avoid a deadlock), so wait here.
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        loop {
            match self
                .conn
                .query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))
            {
                Ok(()) => break,
                Err(e) if is_busy(&e) && std::time::Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(10));
                }
                Err(e) if is_busy(&e) => return Err(StoreError::Busy),
                Err(e) => return Err(fail(e)),
            }
        }
        self.conn
            .execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;")
            .map_err(fail)?;
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn user(&self) -> &str {
        &self.user
    }

    /// Acts as another login. For tests and library callers only: the
    /// binary never calls it with anything but [`os_user`], and no argument,
    /// flag or environment variable reaches it.
    pub fn set_user(&mut self, user: &str) {
        self.user = user.to_string();
    }

    /// Freezes the clock used for updated_at and audit times (snapshots).
    pub fn set_fixed_now(&mut self, now: &str) {
        self.fixed_now = Some(now.to_string());
    }

    pub fn now(&self) -> String {
        match &self.fixed_now {
            Some(n) => n.clone(),
            None => chrono::Local::now()
                .format("%Y-%m-%dT%H:%M:%S%:z")
                .to_string(),
        }
    }

    /// Changes whenever another connection commits to the file; the event
    /// loop polls it to notice other users' writes.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// Runs `f` in one IMMEDIATE transaction (takes the write lock up front,
    /// so two writers queue instead of failing halfway).
    /// `action` names the kind of change: the acting login's roles are
    /// checked against it inside the transaction, before `f` runs.
    fn write<T>(
        &mut self,
        action: crate::domain::access::Action,
        f: impl FnOnce(&mut Writer<'_>) -> Result<T>,
    ) -> Result<T> {
        self.check_writable()?;
        let at = self.now();
        let user = self.user.clone();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut w = Writer {
            tx,
            at,
            user: user.clone(),
        };
        let out = w.require(action).and_then(|()| f(&mut w)).and_then(|out| {
            w.tx.commit()?;
            Ok(out)
        });
        // Every refused or failed write leaves a line in the log.
        out.inspect_err(|e| {
            tracing::warn!(
                user = %user,
                db = %self.path.display(),
                key = e.message_key(),
                "write refused: {e:?}"
            );
        })
    }

    /// The newest audit rows, newest first.
    pub fn recent_audit(&self, limit: usize) -> Result<Vec<AuditRow>> {
        let mut st = self.conn.prepare_cached(
            "SELECT id, at, os_user, tbl, row_id, action, before_json, after_json
             FROM audit ORDER BY id DESC LIMIT ?1",
        )?;
        let rows = st.query_map([limit as i64], |r| {
            Ok(AuditRow {
                id: r.get(0)?,
                at: r.get(1)?,
                os_user: r.get(2)?,
                tbl: r.get(3)?,
                row_id: r.get(4)?,
                action: r.get(5)?,
                before_json: r.get(6)?,
                after_json: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    pub fn audit_for(&self, tbl: &str, row_id: i64) -> Result<Vec<AuditRow>> {
        Ok(self
            .recent_audit(usize::MAX >> 1)?
            .into_iter()
            .filter(|a| a.tbl == tbl && a.row_id == row_id)
            .collect())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    pub id: i64,
    pub at: String,
    pub os_user: String,
    pub tbl: String,
    pub row_id: i64,
    pub action: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
}

/// A write transaction with the time and user stamped on every row it touches.
pub(crate) struct Writer<'c> {
    tx: Transaction<'c>,
    at: String,
    user: String,
}

impl Writer<'_> {
    fn audit<B: Serialize, A: Serialize>(
        &self,
        tbl: &str,
        row_id: i64,
        action: &str,
        before: Option<&B>,
        after: Option<&A>,
    ) -> Result<()> {
        let to_json = |v: &dyn erased::Ser| v.json();
        self.tx.execute(
            "INSERT INTO audit (at, os_user, tbl, row_id, action, before_json, after_json)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                self.at,
                self.user,
                tbl,
                row_id,
                action,
                before.map(|b| to_json(b)),
                after.map(|a| to_json(a)),
            ],
        )?;
        Ok(())
    }

    /// Checks that row `id` of `tbl` still has `expected` as its version.
    /// Returns the stale error naming who changed it and when.
    fn check_version(&self, tbl: &'static str, id: i64, expected: i64) -> Result<()> {
        let row: Option<(i64, String, String)> = self
            .tx
            .query_row(
                &format!("SELECT version, updated_by, updated_at FROM {tbl} WHERE id = ?1"),
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        match row {
            None => Err(StoreError::NotFound {
                what: what_of(tbl),
                id,
            }),
            Some((v, by, at)) if v != expected => Err(StoreError::Stale { by, at }),
            Some(_) => Ok(()),
        }
    }
}

/// The i18n key naming a table's records, for messages.
fn what_of(tbl: &str) -> &'static str {
    match tbl {
        "staff" => "what.staff",
        "committee" => "what.committee",
        "seat" => "what.seat",
        "delegate" => "what.delegate",
        "absence" => "what.absence",
        "event" => "what.event",
        "term" => "what.term",
        "checklist" => "what.checklist",
        "checklist_item" => "what.checklist_item",
        "student" => "what.student",
        "discrepancy" => "what.discrepancy",
        "receipt_line" => "what.receipt_line",
        "meeting" => "what.meeting",
        "agenda_item" => "what.agenda_item",
        "role_grant" => "access.what_role_grant",
        "staff_login" => "access.what_staff_login",
        "closure" => "access.what_closure",
        _ => "what.school",
    }
}

mod erased {
    pub trait Ser {
        fn json(&self) -> String;
    }
    impl<T: serde::Serialize> Ser for T {
        fn json(&self) -> String {
            serde_json::to_string(self).unwrap_or_else(|_| "null".into())
        }
    }
}
