//! SQLite store. The only place with SQL. Opens the file in WAL mode with a
//! busy timeout and foreign keys on; every write runs in one transaction that
//! checks the row's version, bumps it and writes an audit row.

mod calendar;
mod checklist;
mod committee;
mod delegation;
mod draft;
mod migrate;
mod receipt;
mod school;
pub(crate) mod staff;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::Serialize;

use crate::i18n::Localized;

pub use calendar::{CopyOutcome, EventRec, ImportOutcome, TermRec};
pub use checklist::{ChecklistRec, ChecklistReport, ItemRec, TemplateRec};
pub use delegation::{AbsenceRec, DelegateTableRec};
pub use migrate::SCHEMA_VERSION;
pub use receipt::{
    ArchivedLine, DeemOutcome, DiscRec, DiscSummary, GROWTH_REFUSED, ImportOptions, ImportRec,
    Notice, Progress, ReceiptImport, ReceiptReport, StudentImport, StudentRec, StudentRow,
    deem_refused,
};
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
            StoreError::NotOurs { path } => vec![("path", path.clone())],
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
            StoreError::Busy | StoreError::NoSchool => vec![],
        }
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

/// One open database file.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    user: String,
    fixed_now: Option<String>,
}

/// The OS user name, for audit rows and "changed by". `PORTFOLIO_DESK_USER`
/// overrides it (tests, and shared logins).
pub fn os_user() -> String {
    if let Ok(v) = std::env::var("PORTFOLIO_DESK_USER")
        && !v.trim().is_empty()
    {
        return v.trim().to_string();
    }
    match whoami::fallible::username() {
        Ok(u) if !u.trim().is_empty() => u,
        _ => std::env::var("USER").unwrap_or_else(|_| "unknown".to_string()),
    }
}

impl Store {
    /// Opens (creating if missing) the database at `path` and brings its
    /// schema up to date. Refuses a file from a newer version.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent()
            && !dir.as_os_str().is_empty()
            && !dir.exists()
        {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::Open {
                path: path.display().to_string(),
                reason: e.to_string(),
            })?;
        }
        let conn = Connection::open(path).map_err(|e| StoreError::Open {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        let store = Store {
            conn,
            path: path.to_path_buf(),
            user: os_user(),
            fixed_now: None,
        };
        store.configure()?;
        migrate::migrate(&store.conn, path)?;
        Ok(store)
    }

    /// An in-memory database (tests and snapshots).
    pub fn open_in_memory() -> Result<Store> {
        let conn = Connection::open_in_memory()?;
        let store = Store {
            conn,
            path: PathBuf::from(":memory:"),
            user: os_user(),
            fixed_now: None,
        };
        store.configure()?;
        migrate::migrate(&store.conn, Path::new(":memory:"))?;
        Ok(store)
    }

    fn configure(&self) -> Result<()> {
        let not_ours = |_| StoreError::NotOurs {
            path: self.path.display().to_string(),
        };
        self.conn
            .busy_timeout(Duration::from_secs(5))
            .map_err(not_ours)?;
        // journal_mode answers with a row; a non-database file fails here.
        self.conn
            .query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))
            .map_err(not_ours)?;
        self.conn
            .execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;")
            .map_err(not_ours)?;
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn user(&self) -> &str {
        &self.user
    }

    /// Acts as another user (tests; two people on one file).
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
    fn write<T>(&mut self, f: impl FnOnce(&mut Writer<'_>) -> Result<T>) -> Result<T> {
        let at = self.now();
        let user = self.user.clone();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut w = Writer { tx, at, user };
        let out = f(&mut w)?;
        w.tx.commit()?;
        Ok(out)
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
