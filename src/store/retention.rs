//! Retention (保存年限/封存): the students' dates the rules count from, what
//! a dry run counts, and the apply — a verified archive of exactly what
//! will be removed (an SQLite file, a manifest with SHA-256 checksums),
//! then the removal in the same transaction, audited. If the archive
//! cannot be written or does not verify, nothing is removed.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params, types::Value};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::{DateCol, Result, Store, StoreError, stored_date_opt};
use crate::domain::access::Action;
use crate::domain::receipt::StudentStatus;
use crate::domain::retention::{Facts, Step};

/// How much of a student's records a step touches (what a dry run counts).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RecordCounts {
    pub students: usize,
    pub receipt_lines: usize,
    pub discrepancies: usize,
    pub confirmations: usize,
    /// Old values of the students' lines kept by imports.
    pub archived_lines: usize,
}

/// What `apply_retention` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetentionApplied {
    /// The archive directory (the SQLite file, the manifest and the sums).
    pub dir: PathBuf,
    pub sealed: RecordCounts,
    pub deleted: RecordCounts,
    /// SHA-256 of the archive's database file, as in the manifest.
    pub sha256: String,
}

/// The tables whose rows go into the archive, each with the condition
/// that picks the rows of the students in `?1` (a JSON array of ids).
const IN_IDS: &str = "IN (SELECT value FROM json_each(?1))";
const ARCHIVED: [(&str, &str); 6] = [
    ("student", "id"),
    ("receipt_line", "student_id"),
    ("receipt_confirm", "student_id"),
    ("discrepancy", "student_id"),
    (
        "discrepancy_step",
        "discrepancy_id IN (SELECT id FROM discrepancy WHERE student_id",
    ),
    ("receipt_line_archive", "student_id"),
];

/// The SELECT of a table's rows of the students in `?1`.
fn rows_of(tbl: &str, col: &str) -> String {
    let close = if col.contains("SELECT") { ")" } else { "" };
    format!("SELECT * FROM {tbl} WHERE {col} {IN_IDS}{close}")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 of a file's bytes.
pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    let bytes = std::fs::read(path)?;
    Ok(hex(&Sha256::digest(&bytes)))
}

fn archive_refused(path: &Path, reason: impl std::fmt::Display) -> StoreError {
    StoreError::Refused {
        key: "retention.err_archive",
        args: vec![
            ("path", path.display().to_string()),
            ("reason", reason.to_string()),
        ],
    }
}

impl Store {
    /// Every student with what the retention rules need.
    pub fn retention_facts(&self) -> Result<Vec<Facts>> {
        let mut st = self.conn.prepare_cached(
            "SELECT id, student_no, name, status, left_on, applied_on, sealed_on
             FROM student ORDER BY student_no",
        )?;
        let col = |column| DateCol {
            table: "student",
            column,
            id_at: 0,
        };
        let rows = st.query_map([], |r| {
            Ok(Facts {
                student_id: r.get(0)?,
                student_no: r.get(1)?,
                name: r.get(2)?,
                status: StudentStatus::parse(&r.get::<_, String>(3)?)
                    .unwrap_or(StudentStatus::Enrolled),
                left_on: stored_date_opt(r, 4, col("left_on"))?,
                applied_on: stored_date_opt(r, 5, col("applied_on"))?,
                sealed_on: stored_date_opt(r, 6, col("sealed_on"))?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// How many records of the students `ids` there are.
    pub fn retention_counts(&self, ids: &[i64]) -> Result<RecordCounts> {
        if ids.is_empty() {
            return Ok(RecordCounts::default());
        }
        let list = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
        let count = |sql: &str| -> Result<usize> {
            let n: i64 = self
                .conn
                .prepare_cached(sql)?
                .query_row([&list], |r| r.get(0))?;
            Ok(n as usize)
        };
        Ok(RecordCounts {
            students: ids.len(),
            receipt_lines: count(
                "SELECT count(*) FROM receipt_line WHERE student_id IN (SELECT value FROM json_each(?1))",
            )?,
            discrepancies: count(
                "SELECT count(*) FROM discrepancy WHERE student_id IN (SELECT value FROM json_each(?1))",
            )?,
            confirmations: count(
                "SELECT count(*) FROM receipt_confirm WHERE student_id IN (SELECT value FROM json_each(?1))",
            )?,
            archived_lines: count(
                "SELECT count(*) FROM receipt_line_archive WHERE student_id IN (SELECT value FROM json_each(?1))",
            )?,
        })
    }

    /// Records the dates a student's retention counts from (the day they
    /// graduated or left; the college application). A date left None is
    /// cleared. Audited.
    pub fn set_student_dates(
        &mut self,
        student_no: &str,
        left_on: Option<NaiveDate>,
        applied_on: Option<NaiveDate>,
    ) -> Result<()> {
        let no = student_no.trim().to_string();
        self.write(Action::EditStudents, |w| {
            let before: Option<(i64, Option<String>, Option<String>)> =
                w.tx.query_row(
                    "SELECT id, left_on, applied_on FROM student WHERE student_no = ?1",
                    [&no],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            let Some((id, old_left, old_applied)) = before else {
                return Err(StoreError::Refused {
                    key: "retention.err_no_student",
                    args: vec![("no", no.clone())],
                });
            };
            let left = left_on.map(|d| d.to_string());
            let applied = applied_on.map(|d| d.to_string());
            w.tx.execute(
                "UPDATE student SET left_on = ?2, applied_on = ?3, version = version + 1,
                     updated_at = ?4, updated_by = ?5 WHERE id = ?1",
                params![id, left, applied, w.at, w.user],
            )?;
            w.audit(
                "student",
                id,
                "update",
                Some(&json!({ "left_on": old_left, "applied_on": old_applied })),
                Some(&json!({ "left_on": left, "applied_on": applied })),
            )
        })
    }

    /// Seals and deletes as planned (`plan`: student id and step), in one
    /// transaction: first the rows that will leave the file are written to
    /// a new archive under `dir` (an SQLite file `archive.db`, a
    /// `manifest.json` naming each table's row count and the file's
    /// SHA-256, and `SHA256SUMS`), read back and checked; only then are
    /// they removed, and one audit row says what and where. The write lock
    /// is held throughout, so the archive holds exactly what was removed.
    /// Refused, nothing removed, when the archive cannot be written or does
    /// not verify.
    pub fn apply_retention(
        &mut self,
        plan: &[(i64, Step)],
        dir: &Path,
        today: NaiveDate,
        clause: &str,
    ) -> Result<RetentionApplied> {
        let seal: Vec<i64> = plan
            .iter()
            .filter(|(_, s)| *s == Step::Seal)
            .map(|(id, _)| *id)
            .collect();
        let delete: Vec<i64> = plan
            .iter()
            .filter(|(_, s)| *s == Step::Delete)
            .map(|(id, _)| *id)
            .collect();
        let sealed = self.retention_counts(&seal)?;
        let deleted = self.retention_counts(&delete)?;
        let stamp = self.now().replace([':', '+'], "").replace('T', "-");
        let target = dir.join(format!("retention-{}", &stamp[..stamp.len().min(17)]));
        let all: Vec<i64> = plan.iter().map(|(id, _)| *id).collect();
        let list = serde_json::to_string(&all).unwrap_or_else(|_| "[]".into());
        let seal_list = serde_json::to_string(&seal).unwrap_or_else(|_| "[]".into());
        let delete_list = serde_json::to_string(&delete).unwrap_or_else(|_| "[]".into());
        let existed = target.exists();
        // Removing records past their period: the administrator's.
        let out = self.write(Action::RetentionPurge, |w| {
            // 1. The archive, from inside the transaction.
            let counts = write_archive(&w.tx, &target, &list)?;
            let sha = sha256_file(&target.join("archive.db"))
                .map_err(|e| archive_refused(&target, e))?;
            let numbers: Vec<String> = {
                let mut st = w.tx.prepare(
                    "SELECT student_no FROM student WHERE id IN (SELECT value FROM json_each(?1))
                     ORDER BY student_no",
                )?;
                let rows = st.query_map([&list], |r| r.get(0))?;
                rows.collect::<rusqlite::Result<Vec<_>>>()?
            };
            let manifest = json!({
                "made_by": "portfolio-desk",
                "at": w.at, "by": w.user, "rule": clause,
                "sealed": seal.len(), "deleted": delete.len(),
                "students": numbers,
                "files": [{ "name": "archive.db", "sha256": sha }],
                "tables": counts.iter().map(|(t, n)| json!({ "table": t, "rows": n })).collect::<Vec<_>>(),
            });
            let manifest_text = serde_json::to_string_pretty(&manifest).unwrap_or_default();
            write_synced(&target.join("manifest.json"), manifest_text.as_bytes())
                .map_err(|e| archive_refused(&target, e))?;
            let sums = format!(
                "{sha}  archive.db\n{}  manifest.json\n",
                hex(&Sha256::digest(manifest_text.as_bytes()))
            );
            write_synced(&target.join("SHA256SUMS"), sums.as_bytes())
                .map_err(|e| archive_refused(&target, e))?;
            // 2. Read it back.
            verify_archive(&target).map_err(|reason| archive_refused(&target, reason))?;
            // 3. Remove, in the same transaction.
            w.tx.execute(
                "DELETE FROM receipt_line_archive WHERE student_id IN (SELECT value FROM json_each(?1))",
                [&list],
            )?;
            for tbl in ["receipt_line", "receipt_confirm", "discrepancy"] {
                w.tx.execute(
                    &format!(
                        "DELETE FROM {tbl} WHERE student_id IN (SELECT value FROM json_each(?1))"
                    ),
                    [&seal_list],
                )?;
            }
            w.tx.execute(
                "UPDATE student SET sealed_on = ?2, address = '', postal_code = '', email = '',
                     version = version + 1, updated_at = ?3, updated_by = ?4
                 WHERE id IN (SELECT value FROM json_each(?1))",
                params![seal_list, today.to_string(), w.at, w.user],
            )?;
            w.tx.execute(
                "DELETE FROM student WHERE id IN (SELECT value FROM json_each(?1))",
                [&delete_list],
            )?;
            w.audit(
                "retention",
                0,
                "delete",
                Some(&json!({
                    "sealed": seal.len(), "deleted": delete.len(),
                    "receipt_lines": sealed.receipt_lines + deleted.receipt_lines,
                    "discrepancies": sealed.discrepancies + deleted.discrepancies,
                })),
                Some(&json!({ "archive": target.display().to_string(), "sha256": sha })),
            )?;
            Ok(RetentionApplied {
                dir: target.clone(),
                sealed,
                deleted,
                sha256: sha,
            })
        });
        // Refused: what was written of an archive that is not one goes.
        if out.is_err() && !existed && target.is_dir() {
            let _ = std::fs::remove_dir_all(&target);
        }
        out
    }
}

fn write_synced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Copies the students' rows of every archived table into a new SQLite
/// file `archive.db` under `target` (created; it must not exist). Returns
/// each table's row count.
fn write_archive(
    tx: &rusqlite::Transaction<'_>,
    target: &Path,
    ids_json: &str,
) -> Result<Vec<(&'static str, usize)>> {
    std::fs::create_dir_all(target.parent().unwrap_or(Path::new(".")))
        .and_then(|_| std::fs::create_dir(target))
        .map_err(|e| archive_refused(target, e))?;
    let file = target.join("archive.db");
    let out = Connection::open(&file).map_err(|e| archive_refused(&file, e))?;
    let fail = |e: rusqlite::Error| archive_refused(&file, e);
    out.execute_batch("PRAGMA journal_mode = DELETE; BEGIN;")
        .map_err(fail)?;
    let mut counts = Vec::new();
    for (tbl, col) in ARCHIVED {
        let mut st = tx.prepare(&rows_of(tbl, col))?;
        let names: Vec<String> = st.column_names().map(|c| c.to_string()).collect();
        out.execute(
            &format!(
                "CREATE TABLE {tbl} ({})",
                names
                    .iter()
                    .map(|n| format!("\"{n}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            [],
        )
        .map_err(fail)?;
        let marks = (1..=names.len())
            .map(|i| format!("?{i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let mut ins = out
            .prepare(&format!("INSERT INTO {tbl} VALUES ({marks})"))
            .map_err(fail)?;
        let mut rows = st.query([ids_json])?;
        let mut n = 0;
        while let Some(r) = rows.next()? {
            let vals: Vec<Value> = (0..names.len())
                .map(|i| r.get::<_, Value>(i))
                .collect::<rusqlite::Result<_>>()?;
            ins.execute(rusqlite::params_from_iter(vals))
                .map_err(fail)?;
            n += 1;
        }
        counts.push((tbl, n));
    }
    out.execute_batch("COMMIT;").map_err(fail)?;
    out.close().map_err(|(_, e)| fail(e))?;
    std::fs::File::open(&file)
        .and_then(|f| f.sync_all())
        .map_err(|e| archive_refused(&file, e))?;
    Ok(counts)
}

/// Reads an archive back: the sums file, the manifest's checksum, the
/// file's integrity and each table's row count. The reason on failure.
pub fn verify_archive(dir: &Path) -> std::result::Result<(), String> {
    let manifest_text =
        std::fs::read_to_string(dir.join("manifest.json")).map_err(|e| e.to_string())?;
    let manifest: serde_json::Value =
        serde_json::from_str(&manifest_text).map_err(|e| e.to_string())?;
    let sums = std::fs::read_to_string(dir.join("SHA256SUMS")).map_err(|e| e.to_string())?;
    for line in sums.lines().filter(|l| !l.trim().is_empty()) {
        let (sum, name) = line
            .split_once("  ")
            .ok_or_else(|| format!("SHA256SUMS: {line}"))?;
        let got = sha256_file(&dir.join(name)).map_err(|e| format!("{name}: {e}"))?;
        if got != sum {
            return Err(format!("{name}: sha256 {got} ≠ {sum}"));
        }
    }
    let db = dir.join("archive.db");
    let want = manifest["files"][0]["sha256"].as_str().unwrap_or_default();
    let got = sha256_file(&db).map_err(|e| e.to_string())?;
    if got != want {
        return Err(format!("archive.db: sha256 {got} ≠ {want}"));
    }
    let conn = Connection::open_with_flags(&db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| e.to_string())?;
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| e.to_string())?;
    if ok != "ok" {
        return Err(format!("archive.db: {ok}"));
    }
    for t in manifest["tables"].as_array().into_iter().flatten() {
        let tbl = t["table"].as_str().unwrap_or_default();
        if !ARCHIVED.iter().any(|(a, _)| *a == tbl) {
            return Err(format!("manifest: {tbl}"));
        }
        let n: i64 = conn
            .query_row(&format!("SELECT count(*) FROM {tbl}"), [], |r| r.get(0))
            .map_err(|e| e.to_string())?;
        if n != t["rows"].as_i64().unwrap_or(-1) {
            return Err(format!("{tbl}: {n} rows ≠ {}", t["rows"]));
        }
    }
    Ok(())
}
