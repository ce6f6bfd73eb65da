//! Versioned schema migrations tracked with `PRAGMA user_version`.
//! `schema.sql` is the one definition of the tables, in numbered
//! `-- @migration N` sections applied in order.

use std::path::Path;

use rusqlite::Connection;

use super::{Result, StoreError};

pub const SCHEMA_SQL: &str = include_str!("../../schema.sql");

const MARKER: &str = "-- @migration ";

/// The sections of schema.sql: entry i takes the schema from version i to
/// i + 1. (A test checks the markers are numbered 1, 2, 3… in order.)
fn migrations() -> Vec<(i64, &'static str)> {
    SCHEMA_SQL
        .split(MARKER)
        .skip(1)
        .map(|part| {
            let (head, sql) = part.split_once('\n').unwrap_or((part, ""));
            (head.trim().parse().unwrap_or(0), sql)
        })
        .collect()
}

pub const SCHEMA_VERSION: i64 = count_markers(SCHEMA_SQL.as_bytes());

const fn count_markers(s: &[u8]) -> i64 {
    let m = MARKER.as_bytes();
    let (mut i, mut n) = (0, 0);
    while i + m.len() <= s.len() {
        let mut j = 0;
        while j < m.len() && s[i + j] == m[j] {
            j += 1;
        }
        if j == m.len() {
            n += 1;
        }
        i += 1;
    }
    n
}

/// `PRAGMA application_id` of a portfolio-desk file: "PDK1" in ASCII
/// (0x50444B31). Set on every file this program creates or migrates, so
/// another program's SQLite file (with its own id) is told apart.
pub const APPLICATION_ID: i32 = 0x5044_4B31;

/// What a file says about itself, read without changing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Probe {
    pub version: i64,
    pub application_id: i32,
}

/// Looks at an existing file through a read-only connection and decides
/// whether it may be opened: another program's file, a file from a newer
/// portfolio-desk or a file that is not SQLite at all is refused here,
/// before anything (WAL, migrations) could change it.
pub(super) fn probe(conn: &Connection, path: &Path) -> Result<Probe> {
    let not_ours = || StoreError::NotOurs {
        path: path.display().to_string(),
    };
    let read = |sql: &str| -> Result<i64> {
        conn.query_row(sql, [], |r| r.get(0)).map_err(|e| match e {
            rusqlite::Error::SqliteFailure(f, _)
                if matches!(
                    f.code,
                    rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                ) =>
            {
                StoreError::Busy
            }
            rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::CannotOpen => {
                StoreError::Unreadable {
                    path: path.display().to_string(),
                }
            }
            _ => not_ours(),
        })
    };
    let application_id = read("PRAGMA application_id")? as i32;
    let version = read("PRAGMA user_version")?;
    if application_id != 0 && application_id != APPLICATION_ID {
        return Err(not_ours());
    }
    if application_id == 0 {
        // Never stamped: an empty file (new), or one made by an older
        // portfolio-desk (adopted: it has our tables), or someone else's.
        let tables = user_tables(conn).map_err(|_| not_ours())?;
        let ours = tables.iter().any(|t| t == "school") && tables.iter().any(|t| t == "audit");
        if (version == 0 && !tables.is_empty()) || (version > 0 && !ours) {
            return Err(not_ours());
        }
    }
    if version > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            found: version,
            known: SCHEMA_VERSION,
        });
    }
    Ok(Probe {
        version,
        application_id,
    })
}

/// Brings the schema up to date, one step per IMMEDIATE transaction. The
/// version is read again inside each transaction (under the write lock), so
/// a step another process applied meanwhile is skipped, not run twice.
/// Stamps our application_id on the way.
pub(super) fn migrate(conn: &Connection, path: &Path) -> Result<()> {
    // An older file is copied to backups/ before it is changed (read
    // outside the write lock: if another process migrates it meanwhile,
    // the copy is of that version, which is as good).
    let before: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|_| StoreError::NotOurs {
            path: path.display().to_string(),
        })?;
    if before > 0 && before < SCHEMA_VERSION && path != Path::new(":memory:") {
        super::backup::auto_backup_conn(
            conn,
            path,
            "before-migration",
            chrono::Local::now().naive_local(),
        )?;
    }
    loop {
        let tx =
            rusqlite::Transaction::new_unchecked(conn, rusqlite::TransactionBehavior::Immediate)?;
        let found: i64 = tx
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|_| StoreError::NotOurs {
                path: path.display().to_string(),
            })?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::NewerSchema {
                found,
                known: SCHEMA_VERSION,
            });
        }
        if found == 0 && !user_tables(&tx)?.is_empty() {
            return Err(StoreError::NotOurs {
                path: path.display().to_string(),
            });
        }
        let app_id: i32 = tx.query_row("PRAGMA application_id", [], |r| r.get(0))?;
        if app_id != APPLICATION_ID {
            tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        }
        if found == SCHEMA_VERSION {
            tx.commit()?;
            return Ok(());
        }
        let (_, sql) = migrations()[found as usize];
        let version = found + 1;
        // One transaction per step: a crash leaves the previous version.
        let step = tx
            .execute_batch(sql)
            .and_then(|_| tx.pragma_update(None, "user_version", version))
            .and_then(|_| tx.commit());
        if let Err(e) = step {
            tracing::error!(db = %path.display(), version, "migration failed: {e}");
            return Err(e.into());
        }
        tracing::info!(db = %path.display(), version, "schema migrated to version {version}");
    }
}

/// Applies only the first `n` sections of schema.sql to the file at `path`
/// (creating it), without an application_id: a file as an older
/// portfolio-desk left it. For tests of upgrades.
#[doc(hidden)]
pub fn create_old_schema(path: &Path, n: usize) -> Result<()> {
    let conn = Connection::open(path)?;
    for (i, (_, sql)) in migrations().iter().enumerate().take(n) {
        conn.execute_batch(&format!(
            "BEGIN IMMEDIATE;\n{sql}\nPRAGMA user_version = {};\nCOMMIT;",
            i + 1
        ))?;
    }
    Ok(())
}

/// The names of the tables in the file (SQLite's own left out).
fn user_tables(conn: &Connection) -> Result<Vec<String>> {
    let mut st = conn.prepare(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    )?;
    let rows = st.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<Vec<String>>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_database_reaches_current_version_and_tables_are_strict() {
        let conn = Connection::open_in_memory().unwrap();
        migrate(&conn, Path::new(":memory:")).unwrap();
        let v: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION);
        let non_strict: Vec<String> = conn
            .prepare("SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND strict = 0 AND name NOT LIKE 'sqlite_%'")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert!(non_strict.is_empty(), "not STRICT: {non_strict:?}");
        // Running again is a no-op.
        migrate(&conn, Path::new(":memory:")).unwrap();
    }

    #[test]
    fn every_mutable_table_has_version_and_stamp_columns() {
        let conn = Connection::open_in_memory().unwrap();
        migrate(&conn, Path::new(":memory:")).unwrap();
        let tables: Vec<String> = conn
            // The audit log and its text index (FTS5 and its own tables)
            // are only appended to.
            .prepare(
                "SELECT name FROM sqlite_schema WHERE type='table' AND name <> 'audit'
                 AND name NOT LIKE 'audit_text%'",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert!(tables.len() >= 4);
        for t in tables {
            let cols: Vec<String> = conn
                .prepare(&format!("SELECT name FROM pragma_table_info('{t}')"))
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            for c in ["version", "updated_at", "updated_by"] {
                assert!(cols.iter().any(|x| x == c), "{t} lacks {c}");
            }
        }
    }

    #[test]
    fn sections_are_numbered_in_order() {
        let ms = migrations();
        assert_eq!(ms.len() as i64, SCHEMA_VERSION);
        const { assert!(SCHEMA_VERSION >= 1) };
        for (i, (n, sql)) in ms.iter().enumerate() {
            assert_eq!(*n, i as i64 + 1, "section {} is numbered {n}", i + 1);
            assert!(
                sql.contains("CREATE") || sql.contains("ALTER"),
                "section {n} is empty"
            );
        }
    }

    #[test]
    fn an_older_file_is_backed_up_before_it_is_migrated() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            let conn = Connection::open(&path).unwrap();
            let ms = migrations();
            for (i, (_, sql)) in ms.iter().enumerate().take(ms.len() - 1) {
                conn.execute_batch(&format!("{sql}\nPRAGMA user_version = {};", i + 1))
                    .unwrap();
            }
        }
        let conn = Connection::open(&path).unwrap();
        migrate(&conn, &path).unwrap();
        let backups = crate::store::backup::list_backups(&path);
        assert_eq!(backups.len(), 1, "{backups:?}");
        assert_eq!(backups[0].reason, "before-migration");
        let copy = Connection::open(&backups[0].path).unwrap();
        let v: i64 = copy
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(
            v,
            SCHEMA_VERSION - 1,
            "the copy is the file before the change"
        );
        // Up to date: opening again makes no further copy; nor does a new file.
        migrate(&conn, &path).unwrap();
        let fresh = dir.path().join("new.db");
        migrate(&Connection::open(&fresh).unwrap(), &fresh).unwrap();
        assert_eq!(crate::store::backup::list_backups(&path).len(), 1);
        assert!(crate::store::backup::list_backups(&fresh).is_empty());
    }

    #[test]
    fn newer_database_is_refused() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("PRAGMA user_version = 99").unwrap();
        assert_eq!(
            migrate(&conn, Path::new("x.db")),
            Err(StoreError::NewerSchema {
                found: 99,
                known: SCHEMA_VERSION
            })
        );
    }

    #[test]
    fn someone_elses_database_is_refused() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (x)").unwrap();
        assert!(matches!(
            migrate(&conn, Path::new("x.db")),
            Err(StoreError::NotOurs { .. })
        ));
    }
}
