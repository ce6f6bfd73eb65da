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

pub(super) fn migrate(conn: &Connection, path: &Path) -> Result<()> {
    let found: i64 = conn
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
    if found == 0 && has_foreign_tables(conn)? {
        return Err(StoreError::NotOurs {
            path: path.display().to_string(),
        });
    }
    // An older file is copied to backups/ before it is changed.
    if found > 0 && found < SCHEMA_VERSION && path != Path::new(":memory:") {
        super::backup::auto_backup_conn(
            conn,
            path,
            "before-migration",
            chrono::Local::now().naive_local(),
        )?;
    }
    for (i, (_, sql)) in migrations().iter().enumerate().skip(found as usize) {
        let version = i as i64 + 1;
        // One transaction per step: a crash leaves the previous version.
        conn.execute_batch(&format!(
            "BEGIN IMMEDIATE;\n{sql}\nPRAGMA user_version = {version};\nCOMMIT;"
        ))
        .inspect_err(|_| {
            let _ = conn.execute_batch("ROLLBACK");
        })?;
    }
    Ok(())
}

/// A version-0 file that already has tables is someone else's database.
fn has_foreign_tables(conn: &Connection) -> Result<bool> {
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        [],
        |r| r.get(0),
    )?;
    Ok(n > 0)
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
            .prepare("SELECT name FROM sqlite_schema WHERE type='table' AND name <> 'audit'")
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
