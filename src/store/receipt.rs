//! Students, receipt lines, confirmations and discrepancies.
//!
//! Built for a large school: the import is one transaction with prepared
//! statements and an in-memory diff against the term's stored lines; the
//! screens read aggregates (one row per student) and the discrepancy list
//! once per reload, never per key.

use crate::domain::access::Action;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Row, params};
use serde_json::json;

use super::{DateCol, Result, Store, StoreError, Writer, stored_date};
use crate::domain::calendar::Phase;
use crate::domain::committee::RowMeta;
use crate::domain::receipt::{
    CapExcess, Category, CategoryCounts, Confirm, ConfirmWindow, DStatus, DeemRefusal, Discrepancy,
    Kind, Line, LineIn, ReceiptCaps, Routing, Step, Student, StudentStatus, Via, cap_excess,
    confirm_after, confirm_window, deemable, grade_of_class, growth_suspicious, may_deem, step,
    thousands,
};
use crate::domain::roc::{DateRange, Term, format_roc};

#[derive(Debug, Clone, PartialEq)]
pub struct StudentRec {
    pub student: Student,
    pub meta: RowMeta,
}

/// What an import of students did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StudentImport {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// What a receipt import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReceiptImport {
    /// The terms the file covered.
    pub terms: Vec<Term>,
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
    pub unchanged: usize,
    /// Students created from receipt lines (not in the student list before).
    pub students_added: usize,
    /// The `receipt_import` rows written (one per term that changed).
    pub imports: Vec<i64>,
    /// Lines identical to an earlier one (same term, student, category,
    /// item, count and extra), imported once: (index of the first in the
    /// given lines, index of the repeat), by the repeat's index.
    pub duplicates: Vec<(usize, usize)>,
}

/// How to import receipt lines.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// Import even when a term that has lines would grow by more than half.
    pub allow_growth: bool,
    /// Keep identical lines as separate lines (two performances named
    /// alike, the demo's data) instead of merging them as a file pasted
    /// twice.
    pub keep_identical: bool,
}

/// The refusal's key when a term would grow by more than half; its values:
/// `term`, `existing`, `added`, `percent`.
pub const GROWTH_REFUSED: &str = "imports.err_growth";

/// One import of a term that changed something.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRec {
    pub id: i64,
    pub term: Term,
    pub at: String,
    pub user: String,
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
    pub unchanged: usize,
    /// When and by whom it was undone.
    pub undone: Option<(String, String)>,
}

/// A line an import changed or removed, with its old count (and the
/// current one of a changed line that is still there).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchivedLine {
    pub removed: bool,
    pub line_id: i64,
    pub student_no: String,
    pub category: Category,
    pub item: String,
    pub ordinal: u32,
    pub old_count: u32,
    pub new_count: Option<u32>,
}

impl ReceiptImport {
    /// Nothing in the database changed (the same file again).
    pub fn no_change(&self) -> bool {
        self.added == 0 && self.removed == 0 && self.changed == 0 && self.students_added == 0
    }
}

/// One student's row on the receipts screen for a term.
#[derive(Debug, Clone, PartialEq)]
pub struct StudentRow {
    pub student: Student,
    /// Items received per category (sum of counts).
    pub counts: CategoryCounts,
    pub lines: u32,
    pub confirm: Confirm,
    /// Version of the confirmation row (0 when there is none yet).
    pub confirm_version: i64,
    /// Discrepancies not closed.
    pub open: u32,
    pub discrepancies: u32,
}

/// Confirmation progress of a term.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    pub total: usize,
    pub confirmed: usize,
    pub deemed: usize,
    pub disputed: usize,
    pub unconfirmed: usize,
}

impl Progress {
    /// Confirmed by the student or deemed.
    pub fn done(&self) -> usize {
        self.confirmed + self.deemed
    }
}

/// A discrepancy with its row stamp and who it is about.
#[derive(Debug, Clone, PartialEq)]
pub struct DiscRec {
    pub d: Discrepancy,
    pub meta: RowMeta,
    pub student_no: String,
    pub name: String,
    pub class: String,
    /// The item of the receipt line it is about, if any.
    pub item: Option<String>,
}

/// Open discrepancies of a term at a glance.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DiscSummary {
    pub open: usize,
    pub overdue: usize,
    pub open_by_unit: Vec<(String, usize)>,
    /// Past their due day, per unit, in the order of `open_by_unit`.
    pub overdue_by_unit: Vec<usize>,
}

/// What deeming did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeemOutcome {
    pub deemed: usize,
    /// Students left alone because a discrepancy is still open.
    pub kept_open: usize,
}

/// `check receipts`: what needs attention.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReceiptReport {
    /// Open discrepancies past their due day, with the due day.
    pub overdue: Vec<(DiscRec, NaiveDate)>,
    /// Students still unconfirmed or disputed after their term's window closed.
    pub unconfirmed: Vec<(Term, NaiveDate, Student, Confirm)>,
    /// Students over a cap.
    pub caps: Vec<(CapExcess, Student)>,
    /// Students `receipts deem` would deem confirmed now, per term (the
    /// check itself deems nobody).
    pub deemable: Vec<(Term, usize)>,
}

impl ReceiptReport {
    pub fn is_clean(&self) -> bool {
        self.overdue.is_empty() && self.unconfirmed.is_empty() && self.caps.is_empty()
    }
}

/// A leaver to notify.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub student: Student,
    pub confirm: Confirm,
    pub lines: u32,
}

const STUDENT_COLS: &str = "id, student_no, name, class, seat, grade, status, postal_code, address, email, version, updated_at, updated_by";

fn student_from_row(r: &Row<'_>) -> rusqlite::Result<StudentRec> {
    Ok(StudentRec {
        student: Student {
            id: r.get(0)?,
            student_no: r.get(1)?,
            name: r.get(2)?,
            class: r.get(3)?,
            seat: r.get::<_, Option<i64>>(4)?.map(|v| v as u32),
            grade: r.get::<_, Option<i64>>(5)?.map(|v| v as u8),
            status: StudentStatus::parse(&r.get::<_, String>(6)?)
                .unwrap_or(StudentStatus::Enrolled),
            postal_code: r.get(7)?,
            address: r.get(8)?,
            email: r.get(9)?,
        },
        meta: RowMeta {
            version: r.get(10)?,
            updated_at: r.get(11)?,
            updated_by: r.get(12)?,
        },
    })
}

fn student_json(s: &Student) -> serde_json::Value {
    json!({
        "student_no": s.student_no, "name": s.name, "class": s.class, "seat": s.seat,
        "grade": s.grade, "status": s.status.code(), "postal_code": s.postal_code,
        "address": s.address, "email": s.email,
    })
}

fn refused_student(p: crate::domain::receipt::StudentProblem) -> StoreError {
    StoreError::Refused {
        key: p.message_key(),
        args: p.args(),
    }
}

const DISC_COLS: &str = "d.id, t.year, t.semester, d.student_id, d.category, d.line_id, d.kind,
    d.detail, d.reported_on, d.via, d.unit, d.status, d.resolution, d.version, d.updated_at,
    d.updated_by, s.student_no, s.name, s.class, l.item";
const DISC_FROM: &str = "discrepancy d JOIN term t ON t.id = d.term_id
    JOIN student s ON s.id = d.student_id LEFT JOIN receipt_line l ON l.id = d.line_id";

fn disc_from_row(r: &Row<'_>) -> rusqlite::Result<DiscRec> {
    let reported_on = stored_date(
        r,
        8,
        DateCol {
            table: "discrepancy",
            column: "reported_on",
            id_at: 0,
        },
    )?;
    Ok(DiscRec {
        d: Discrepancy {
            id: r.get(0)?,
            term: Term {
                year: r.get(1)?,
                semester: r.get::<_, i64>(2)? as u8,
            },
            student_id: r.get(3)?,
            category: Category::parse(&r.get::<_, String>(4)?).unwrap_or(Category::Basic),
            line_id: r.get(5)?,
            kind: Kind::parse(&r.get::<_, String>(6)?).unwrap_or(Kind::Other),
            detail: r.get(7)?,
            reported_on,
            via: Via::parse(&r.get::<_, String>(9)?).unwrap_or(Via::Platform),
            unit: r.get(10)?,
            status: DStatus::parse(&r.get::<_, String>(11)?).unwrap_or(DStatus::Reported),
            resolution: r.get(12)?,
        },
        meta: RowMeta {
            version: r.get(13)?,
            updated_at: r.get(14)?,
            updated_by: r.get(15)?,
        },
        student_no: r.get(16)?,
        name: r.get(17)?,
        class: r.get(18)?,
        item: r.get(19)?,
    })
}

fn disc_json(d: &Discrepancy) -> serde_json::Value {
    json!({
        "term": d.term.to_string(), "student_id": d.student_id, "category": d.category.code(),
        "line_id": d.line_id, "kind": d.kind.code(), "detail": d.detail,
        "reported_on": d.reported_on.to_string(), "via": d.via.code(), "unit": d.unit,
        "status": d.status.code(), "resolution": d.resolution,
    })
}

/// A date column of `table` whose row id is the first selected column.
const fn date_col(table: &'static str, column: &'static str) -> DateCol {
    DateCol {
        table,
        column,
        id_at: 0,
    }
}

impl Writer<'_> {
    /// The lock check of the round a discrepancy belongs to.
    fn check_disc_open(&self, id: i64) -> Result<()> {
        let tid: Option<i64> = self
            .tx
            .query_row("SELECT term_id FROM discrepancy WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?;
        match tid {
            Some(t) => self.check_round_open_id(t),
            None => Ok(()),
        }
    }

    fn insert_disc(&self, d: &Discrepancy, routing: &Routing) -> Result<i64> {
        self.check_round_open(d.term)?;
        let unit = if d.unit.trim().is_empty() {
            routing.unit(d.category).to_string()
        } else {
            d.unit.trim().to_string()
        };
        let exists: Option<i64> = self
            .tx
            .query_row(
                "SELECT id FROM student WHERE id = ?1",
                [d.student_id],
                |r| r.get(0),
            )
            .optional()?;
        if exists.is_none() {
            return Err(StoreError::NotFound {
                what: "what.student",
                id: d.student_id,
            });
        }
        let tid = self.term_id(d.term, &mut Vec::new())?;
        if let Some(line) = d.line_id {
            let owner: Option<(i64, i64)> = self
                .tx
                .query_row(
                    "SELECT term_id, student_id FROM receipt_line WHERE id = ?1",
                    [line],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            if owner != Some((tid, d.student_id)) {
                return Err(StoreError::NotFound {
                    what: "what.receipt_line",
                    id: line,
                });
            }
        }
        self.tx.execute(
            "INSERT INTO discrepancy (term_id, student_id, category, line_id, kind, detail,
                 reported_on, via, unit, status, resolution, updated_at, updated_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'reported', '', ?10, ?11)",
            params![
                tid,
                d.student_id,
                d.category.code(),
                d.line_id,
                d.kind.code(),
                d.detail.trim(),
                d.reported_on.to_string(),
                d.via.code(),
                unit,
                self.at,
                self.user
            ],
        )?;
        let id = self.tx.last_insert_rowid();
        let mut stored = d.clone();
        stored.unit = unit;
        stored.status = DStatus::Reported;
        self.audit(
            "discrepancy",
            id,
            "insert",
            None::<&()>,
            Some(&disc_json(&stored)),
        )?;
        self.add_step(id, DStatus::Reported, &d.detail)?;
        let (cid, state) = self.confirm_row(tid, d.student_id)?;
        self.set_confirm_state(cid, state, Confirm::Disputed, "dispute")?;
        Ok(id)
    }

    fn insert_student(&self, s: &Student) -> Result<i64> {
        self.tx.execute(
            "INSERT INTO student (student_no, name, class, seat, grade, status, postal_code,
                 address, email, updated_at, updated_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                s.student_no.trim(),
                s.name.trim(),
                s.class.trim(),
                s.seat,
                s.grade,
                s.status.code(),
                s.postal_code.trim(),
                s.address.trim(),
                s.email.trim(),
                self.at,
                self.user
            ],
        )?;
        let id = self.tx.last_insert_rowid();
        self.audit("student", id, "insert", None::<&()>, Some(&student_json(s)))?;
        Ok(id)
    }

    fn student_no_taken(&self, no: &str, own: i64) -> Result<()> {
        let other: Option<String> = self
            .tx
            .query_row(
                "SELECT name FROM student WHERE student_no = ?1 AND id <> ?2",
                params![no.trim(), own],
                |r| r.get(0),
            )
            .optional()?;
        match other {
            Some(name) => Err(StoreError::Refused {
                key: "receipt.err_student_no_taken",
                args: vec![("no", no.trim().to_string()), ("name", name)],
            }),
            None => Ok(()),
        }
    }

    /// The confirmation row's state and version, creating it (unconfirmed).
    fn confirm_row(&self, term_id: i64, student_id: i64) -> Result<(i64, Confirm)> {
        self.tx.execute(
            "INSERT OR IGNORE INTO receipt_confirm (term_id, student_id, updated_at, updated_by)
             VALUES (?1, ?2, ?3, ?4)",
            params![term_id, student_id, self.at, self.user],
        )?;
        let (id, state): (i64, String) = self.tx.query_row(
            "SELECT id, state FROM receipt_confirm WHERE term_id = ?1 AND student_id = ?2",
            params![term_id, student_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok((id, Confirm::parse(&state).unwrap_or(Confirm::Unconfirmed)))
    }

    /// The student's confirmation row still has version `seen` (0: none
    /// yet); else the stale error naming who changed it and when.
    fn check_confirm_version(
        &self,
        term_id: i64,
        student_id: i64,
        seen: Option<i64>,
    ) -> Result<()> {
        let Some(seen) = seen else {
            return Ok(());
        };
        let row: Option<(i64, String, String)> = self
            .tx
            .query_row(
                "SELECT version, updated_by, updated_at FROM receipt_confirm
                 WHERE term_id = ?1 AND student_id = ?2",
                params![term_id, student_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        match row {
            Some((v, by, at)) if v != seen => Err(StoreError::Stale { by, at }),
            _ => Ok(()),
        }
    }

    fn set_confirm_state(&self, id: i64, from: Confirm, to: Confirm, why: &str) -> Result<()> {
        if from == to {
            return Ok(());
        }
        self.tx.execute(
            "UPDATE receipt_confirm SET state = ?2, version = version + 1, updated_at = ?3,
                 updated_by = ?4 WHERE id = ?1",
            params![id, to.code(), self.at, self.user],
        )?;
        self.audit(
            "receipt_confirm",
            id,
            "update",
            Some(&json!({ "state": from.code() })),
            Some(&json!({ "state": to.code(), "by": why })),
        )
    }

    fn existing_term_id(&self, term: Term) -> Result<Option<i64>> {
        Ok(self
            .tx
            .query_row(
                "SELECT id FROM term WHERE year = ?1 AND semester = ?2",
                params![term.year, term.semester],
                |r| r.get(0),
            )
            .optional()?)
    }

    fn add_step(&self, disc_id: i64, status: DStatus, note: &str) -> Result<()> {
        self.tx.execute(
            "INSERT INTO discrepancy_step (discrepancy_id, status, note, updated_at, updated_by)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![disc_id, status.code(), note.trim(), self.at, self.user],
        )?;
        Ok(())
    }

    fn load_disc(&self, id: i64) -> Result<DiscRec> {
        self.tx
            .query_row(
                &format!("SELECT {DISC_COLS} FROM {DISC_FROM} WHERE d.id = ?1"),
                [id],
                disc_from_row,
            )
            .optional()?
            .ok_or(StoreError::NotFound {
                what: "what.discrepancy",
                id,
            })
    }

    /// Moves a discrepancy one step; updates the student's confirmation and
    /// the line's re-submission mark. `expected` None skips the version check
    /// (bulk steps inside one transaction that already checked).
    fn step_disc(&self, id: i64, expected: Option<i64>, to: DStatus, note: &str) -> Result<()> {
        self.check_disc_open(id)?;
        if let Some(v) = expected {
            self.check_version("discrepancy", id, v)?;
        }
        let before = self.load_disc(id)?;
        if let Err(p) = step(before.d.status, to, note) {
            let mut args: Vec<(&'static str, String)> = p
                .args()
                .into_iter()
                .map(|(k, v)| (k, crate::i18n::tr(v).to_string()))
                .collect();
            args.push(("id", id.to_string()));
            return Err(StoreError::Refused {
                key: p.message_key(),
                args,
            });
        }
        let resolution = match to {
            DStatus::Corrected | DStatus::Rejected => note.trim().to_string(),
            DStatus::Reported => String::new(),
            _ => before.d.resolution.clone(),
        };
        self.tx.execute(
            "UPDATE discrepancy SET status = ?2, resolution = ?3, version = version + 1,
                 updated_at = ?4, updated_by = ?5 WHERE id = ?1",
            params![id, to.code(), resolution, self.at, self.user],
        )?;
        let mut after = before.d.clone();
        after.status = to;
        after.resolution = resolution;
        self.audit(
            "discrepancy",
            id,
            "update",
            Some(&disc_json(&before.d)),
            Some(&disc_json(&after)),
        )?;
        self.add_step(id, to, note)?;
        if to == DStatus::Corrected
            && let Some(line) = before.d.line_id
        {
            self.tx.execute(
                "UPDATE receipt_line SET resubmit = 1, version = version + 1, updated_at = ?2,
                     updated_by = ?3 WHERE id = ?1",
                params![line, self.at, self.user],
            )?;
        }
        let term_id = self
            .existing_term_id(before.d.term)?
            .ok_or(StoreError::NotFound {
                what: "what.term",
                id: 0,
            })?;
        let (cid, state) = self.confirm_row(term_id, before.d.student_id)?;
        // Another discrepancy still awaiting an answer keeps the student disputed.
        let others_open: i64 = self.tx.query_row(
            "SELECT count(*) FROM discrepancy WHERE term_id = ?1 AND student_id = ?2 AND id <> ?3
               AND status IN ('reported', 'investigating')",
            params![term_id, before.d.student_id, id],
            |r| r.get(0),
        )?;
        let next = if others_open > 0 {
            Confirm::Disputed
        } else {
            confirm_after(to, state)
        };
        self.set_confirm_state(cid, state, next, "step")
    }
}

impl Store {
    // ---------------------------------------------------------------- students

    /// Every student, by class, seat and number.
    pub fn students(&self) -> Result<Vec<StudentRec>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {STUDENT_COLS} FROM student ORDER BY class, seat, student_no"
        ))?;
        let rows = st.query_map([], student_from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    pub fn student(&self, id: i64) -> Result<StudentRec> {
        self.conn
            .query_row(
                &format!("SELECT {STUDENT_COLS} FROM student WHERE id = ?1"),
                [id],
                student_from_row,
            )
            .optional()?
            .ok_or(StoreError::NotFound {
                what: "what.student",
                id,
            })
    }

    pub fn student_by_no(&self, no: &str) -> Result<Option<StudentRec>> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {STUDENT_COLS} FROM student WHERE student_no = ?1"),
                [no.trim()],
                student_from_row,
            )
            .optional()?)
    }

    pub fn add_student(&mut self, s: &Student) -> Result<i64> {
        s.validate().map_err(refused_student)?;
        self.write(Action::EditStudents, |w| {
            w.student_no_taken(&s.student_no, 0)?;
            w.insert_student(s)
        })
    }

    pub fn update_student(&mut self, id: i64, expected: i64, s: &Student) -> Result<()> {
        s.validate().map_err(refused_student)?;
        self.write(Action::EditStudents, |w| {
            w.check_version("student", id, expected)?;
            w.student_no_taken(&s.student_no, id)?;
            let before = w.tx.query_row(
                &format!("SELECT {STUDENT_COLS} FROM student WHERE id = ?1"),
                [id],
                student_from_row,
            )?;
            w.tx.execute(
                "UPDATE student SET student_no = ?2, name = ?3, class = ?4, seat = ?5, grade = ?6,
                     status = ?7, postal_code = ?8, address = ?9, email = ?10,
                     version = version + 1, updated_at = ?11, updated_by = ?12
                 WHERE id = ?1",
                params![
                    id,
                    s.student_no.trim(),
                    s.name.trim(),
                    s.class.trim(),
                    s.seat,
                    s.grade,
                    s.status.code(),
                    s.postal_code.trim(),
                    s.address.trim(),
                    s.email.trim(),
                    w.at,
                    w.user
                ],
            )?;
            w.audit(
                "student",
                id,
                "update",
                Some(&student_json(&before.student)),
                Some(&student_json(s)),
            )
        })
    }

    /// Adds or updates students by number, in one transaction. A field left
    /// blank in the file keeps what is stored.
    pub fn import_students(&mut self, list: &[Student]) -> Result<StudentImport> {
        for s in list {
            s.validate().map_err(refused_student)?;
        }
        self.write(Action::EditStudents, |w| {
            let mut out = StudentImport::default();
            for s in list {
                let found =
                    w.tx.query_row(
                        &format!("SELECT {STUDENT_COLS} FROM student WHERE student_no = ?1"),
                        [s.student_no.trim()],
                        student_from_row,
                    )
                    .optional()?;
                let Some(old) = found else {
                    w.insert_student(s)?;
                    out.added += 1;
                    continue;
                };
                let keep = |new: &str, old: &str| {
                    if new.trim().is_empty() {
                        old.to_string()
                    } else {
                        new.trim().to_string()
                    }
                };
                let o = &old.student;
                let merged = Student {
                    id: o.id,
                    student_no: o.student_no.clone(),
                    name: keep(&s.name, &o.name),
                    class: keep(&s.class, &o.class),
                    seat: s.seat.or(o.seat),
                    grade: s.grade.or(o.grade),
                    status: s.status,
                    postal_code: keep(&s.postal_code, &o.postal_code),
                    address: keep(&s.address, &o.address),
                    email: keep(&s.email, &o.email),
                };
                if &merged == o {
                    out.unchanged += 1;
                    continue;
                }
                w.tx.execute(
                    "UPDATE student SET name = ?2, class = ?3, seat = ?4, grade = ?5, status = ?6,
                         postal_code = ?7, address = ?8, email = ?9, version = version + 1,
                         updated_at = ?10, updated_by = ?11
                     WHERE id = ?1",
                    params![
                        o.id,
                        merged.name,
                        merged.class,
                        merged.seat,
                        merged.grade,
                        merged.status.code(),
                        merged.postal_code,
                        merged.address,
                        merged.email,
                        w.at,
                        w.user
                    ],
                )?;
                w.audit(
                    "student",
                    o.id,
                    "update",
                    Some(&student_json(o)),
                    Some(&student_json(&merged)),
                )?;
                out.updated += 1;
            }
            Ok(out)
        })
        .inspect(|o| {
            tracing::info!(
                user = %self.user,
                "students imported: {} added, {} updated, {} unchanged",
                o.added, o.updated, o.unchanged
            )
        })
    }

    // ---------------------------------------------------------------- receipts

    /// Imports receipt lines in one transaction, a term growing by more
    /// than half allowed and identical lines kept apart (the demo, built
    /// lines; a file from the CLI or the screen goes through
    /// [`Store::import_receipts_with`], which merges and asks).
    pub fn import_receipts(
        &mut self,
        lines: &[LineIn],
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<ReceiptImport> {
        self.import_receipts_with(
            lines,
            ImportOptions {
                allow_growth: true,
                keep_identical: true,
            },
            progress,
        )
    }

    /// Imports receipt lines in one transaction. For each term in `lines`,
    /// the stored lines of the (student, category) pairs the file covers are
    /// replaced by the file's: lines it no longer has are removed, changed
    /// counts or extra fields updated, new ones added; the same file again
    /// changes nothing, whatever its row order. Lines identical to an
    /// earlier one are imported once and listed in `duplicates` (unless
    /// `opts.keep_identical`). Students not yet listed are added from the
    /// lines. Unless `opts.allow_growth`, a term that has lines and would
    /// get more than half as many new ones is refused ([`GROWTH_REFUSED`],
    /// nothing written). Each term that changed gets a `receipt_import` row;
    /// the old rows of the lines it changed or removed are archived.
    /// `progress(done, total)` is called as lines are written.
    /// Whether any of `terms` holds receipt lines already.
    fn any_term_has_lines(&self, terms: &BTreeSet<Term>) -> Result<bool> {
        let mut st = self.conn.prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM receipt_line l JOIN term t ON t.id = l.term_id
             WHERE t.year = ?1 AND t.semester = ?2)",
        )?;
        for t in terms {
            if st.query_row(params![t.year, t.semester], |r| r.get::<_, bool>(0))? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    pub fn import_receipts_with(
        &mut self,
        lines: &[LineIn],
        opts: ImportOptions,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<ReceiptImport> {
        let total = lines.len();
        progress(0, total);
        // A file for a term that already has lines replaces some of them:
        // the file as it was goes to backups/ first (not for a file that
        // only adds a new term, and not in memory).
        let terms: BTreeSet<Term> = lines.iter().map(|l| l.term).collect();
        if self.path() != std::path::Path::new(":memory:")
            && !self.is_read_only()
            && self.any_term_has_lines(&terms)?
        {
            let backup = self.auto_backup("before-import")?;
            tracing::info!(backup = %backup.display(), "backup before a replacing import");
        }
        self.write(Action::ImportReceipts, |w| {
            for t in &terms {
                w.check_round_open(*t)?;
            }
            let mut out = ReceiptImport::default();
            // Students by number.
            let mut by_no: HashMap<String, i64> = HashMap::new();
            {
                let mut st = w.tx.prepare("SELECT student_no, id FROM student")?;
                let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get(1)?)))?;
                for r in rows {
                    let (no, id) = r?;
                    by_no.insert(no, id);
                }
            }
            // Terms.
            let mut term_ids: BTreeMap<Term, i64> = BTreeMap::new();
            let mut created = Vec::new();
            for l in lines {
                if let std::collections::btree_map::Entry::Vacant(e) = term_ids.entry(l.term) {
                    e.insert(w.term_id(l.term, &mut created)?);
                }
            }
            out.terms = term_ids.keys().copied().collect();
            // Students the lines name that are not listed yet.
            for l in lines {
                let no = l.student_no.trim();
                if by_no.contains_key(no) {
                    continue;
                }
                let s = Student {
                    student_no: no.to_string(),
                    name: l.name.trim().to_string(),
                    class: l.class.trim().to_string(),
                    seat: l.seat,
                    grade: grade_of_class(&l.class),
                    ..Default::default()
                };
                let id = w.insert_student(&s)?;
                by_no.insert(no.to_string(), id);
                out.students_added += 1;
            }
            // The file's lines sorted by (term, student, category, item,
            // count, extra, file order): lines with the same item are
            // numbered by count and extra, so the file's row order does not
            // matter, and the stored lines are merged in one ordered scan per
            // term, without holding them in memory.
            let ids: Vec<(i64, i64)> = lines
                .iter()
                .map(|l| (term_ids[&l.term], by_no[l.student_no.trim()]))
                .collect();
            let sort_key = |i: usize| {
                let l = &lines[i];
                (
                    ids[i].0,
                    ids[i].1,
                    l.category.code(),
                    l.item.trim(),
                    l.count,
                    &*l.extra,
                    i,
                )
            };
            let mut order: Vec<u32> = (0..lines.len() as u32).collect();
            order.sort_unstable_by(|&a, &b| sort_key(a as usize).cmp(&sort_key(b as usize)));
            let mut ords: Vec<u32> = vec![1; lines.len()];
            let mut covered: HashSet<(i64, i64, Category)> = HashSet::new();
            let mut confirm_pairs: Vec<(i64, i64)> = Vec::new();
            // Identical lines (same term, student, category, item, count
            // and extra) are side by side, the earliest first: unless kept,
            // the later ones are dropped from `order` (in place, no copy).
            let mut kept = 0usize;
            for k in 0..order.len() {
                let i = order[k] as usize;
                let (t, s, c, it, n, x, _) = sort_key(i);
                let prev = kept.checked_sub(1).map(|p| order[p] as usize);
                match prev.map(|j| (j, sort_key(j))) {
                    Some((j, (pt, ps, pc, pit, pn, px, _))) if (pt, ps) == (t, s) => {
                        if (pc, pit) == (c, it) {
                            if !opts.keep_identical && (pn, px) == (n, x) {
                                out.duplicates.push((j, i));
                                continue;
                            }
                            ords[i] = ords[j] + 1;
                        }
                    }
                    _ => confirm_pairs.push((t, s)),
                }
                covered.insert((t, s, lines[i].category));
                order[kept] = i as u32;
                kept += 1;
            }
            order.truncate(kept);
            // The first of a run is the earliest line: report in file order.
            out.duplicates.sort_unstable_by_key(|d| d.1);
            let mut inserts: Vec<u32> = Vec::new();
            let mut updates: Vec<(i64, u32)> = Vec::new();
            let mut deletes: Vec<(i64, i64)> = Vec::new();
            // Per term: (term id, term, stored lines, added, removed, changed, unchanged).
            let mut diffs: Vec<(i64, Term, usize, usize, usize, usize, usize)> = Vec::new();
            let mut next = 0usize;
            let mut tids: Vec<(i64, Term)> = term_ids.iter().map(|(t, id)| (*id, *t)).collect();
            tids.sort_unstable();
            for (tid, term) in tids {
                // This term's lines are one run of `order`.
                let start = next;
                while next < order.len() && ids[order[next] as usize].0 == tid {
                    next += 1;
                }
                let mine = &order[start..next];
                let counts_before = (inserts.len(), updates.len(), deletes.len(), out.unchanged);
                let mut stored = 0usize;
                let mut at = 0usize;
                let mut st = w.tx.prepare_cached(
                    "SELECT id, student_id, category, item, ordinal, count, extra
                     FROM receipt_line WHERE term_id = ?1
                     ORDER BY student_id, category, item, ordinal",
                )?;
                let mut rows = st.query([tid])?;
                while let Some(r) = rows.next()? {
                    stored += 1;
                    let id: i64 = r.get(0)?;
                    let sid: i64 = r.get(1)?;
                    let cat: String = r.get(2)?;
                    let item: String = r.get(3)?;
                    let ord = r.get::<_, i64>(4)? as u32;
                    let stored_key = (sid, cat.as_str(), item.as_str(), ord);
                    // File lines before this stored one are new; a stored
                    // line the file does not have is removed if the file
                    // covers its student and category.
                    let gone = loop {
                        let Some(&i) = mine.get(at) else {
                            break true;
                        };
                        let i = i as usize;
                        let l = &lines[i];
                        let file_key = (ids[i].1, l.category.code(), l.item.trim(), ords[i]);
                        match file_key.cmp(&stored_key) {
                            std::cmp::Ordering::Less => {
                                inserts.push(i as u32);
                                at += 1;
                            }
                            std::cmp::Ordering::Equal => {
                                let count = r.get::<_, i64>(5)? as u32;
                                let extra: String = r.get(6)?;
                                if count == l.count && *extra == *l.extra {
                                    out.unchanged += 1;
                                } else {
                                    updates.push((id, i as u32));
                                }
                                at += 1;
                                break false;
                            }
                            std::cmp::Ordering::Greater => break true,
                        }
                    };
                    if gone
                        && Category::parse(&cat)
                            .is_some_and(|c| covered.contains(&(tid, sid, c)))
                    {
                        deletes.push((id, tid));
                    }
                }
                inserts.extend(mine[at..].iter().copied());
                diffs.push((
                    tid,
                    term,
                    stored,
                    inserts.len() - counts_before.0,
                    deletes.len() - counts_before.2,
                    updates.len() - counts_before.1,
                    out.unchanged - counts_before.3,
                ));
            }
            // A term that has lines and would get more than half as many
            // new ones: most likely a doubled or wrong file.
            if !opts.allow_growth
                && let Some(&(_, term, stored, added, ..)) = diffs
                    .iter()
                    .find(|d| growth_suspicious(d.2, d.3))
            {
                return Err(StoreError::Refused {
                    key: GROWTH_REFUSED,
                    args: vec![
                        ("term", term.to_string()),
                        ("existing", thousands(stored)),
                        ("added", thousands(added)),
                        ("percent", (added * 100 / stored.max(1)).to_string()),
                    ],
                });
            }
            // One import row per term that changes.
            let mut import_of: Vec<(i64, i64)> = Vec::new();
            {
                let mut imp = w.tx.prepare_cached(
                    "INSERT INTO receipt_import (term_id, at, os_user, added, removed, changed,
                         unchanged, updated_at, updated_by)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?2, ?3)",
                )?;
                for &(tid, _, _, added, removed, changed, unchanged) in &diffs {
                    if added + removed + changed == 0 {
                        continue;
                    }
                    imp.execute(params![
                        tid,
                        w.at,
                        w.user,
                        added as i64,
                        removed as i64,
                        changed as i64,
                        unchanged as i64
                    ])?;
                    import_of.push((tid, w.tx.last_insert_rowid()));
                }
            }
            let import_id = |tid: i64| {
                import_of
                    .iter()
                    .find(|(t, _)| *t == tid)
                    .map(|(_, id)| *id)
            };
            out.imports = import_of.iter().map(|(_, id)| *id).collect();
            {
                let mut ins = w.tx.prepare_cached(
                    "INSERT INTO receipt_line (term_id, student_id, category, item, ordinal,
                         count, extra, updated_at, updated_by, import_id)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                )?;
                inserts.sort_unstable();
                let mut last: (i64, Option<i64>) = (0, None);
                for (k, &i) in inserts.iter().enumerate() {
                    let i = i as usize;
                    let l = &lines[i];
                    if last.0 != ids[i].0 {
                        last = (ids[i].0, import_id(ids[i].0));
                    }
                    ins.execute(params![
                        ids[i].0,
                        ids[i].1,
                        l.category.code(),
                        l.item.trim(),
                        ords[i],
                        l.count,
                        l.extra,
                        w.at,
                        w.user,
                        last.1
                    ])?;
                    if k % 4096 == 4095 {
                        progress(k + 1, total);
                    }
                }
                out.added = inserts.len();
                let mut archive = w.tx.prepare_cached(
                    "INSERT INTO receipt_line_archive (import_id, action, line_id, term_id,
                         student_id, category, item, ordinal, count, extra, resubmit, version,
                         updated_at, updated_by, line_import_id, new_count, new_extra)
                     SELECT ?1, ?2, id, term_id, student_id, category, item, ordinal, count,
                         extra, resubmit, version, updated_at, updated_by, import_id, ?4, ?5
                     FROM receipt_line WHERE id = ?3",
                )?;
                let mut upd = w.tx.prepare_cached(
                    "UPDATE receipt_line SET count = ?2, extra = ?3, version = version + 1,
                         updated_at = ?4, updated_by = ?5 WHERE id = ?1",
                )?;
                for &(id, i) in &updates {
                    let l = &lines[i as usize];
                    // The new values too: a later import or undo changes
                    // the line, the archive keeps what this one did.
                    archive.execute(params![
                        import_id(ids[i as usize].0),
                        "changed",
                        id,
                        l.count,
                        l.extra
                    ])?;
                    upd.execute(params![id, l.count, l.extra, w.at, w.user])?;
                }
                out.changed = updates.len();
                let mut del = w
                    .tx
                    .prepare_cached("DELETE FROM receipt_line WHERE id = ?1")?;
                for &(id, tid) in &deletes {
                    archive.execute(params![
                        import_id(tid),
                        "removed",
                        id,
                        None::<i64>,
                        None::<String>
                    ])?;
                    del.execute([id])?;
                }
                out.removed = deletes.len();
                let mut conf = w.tx.prepare_cached(
                    "INSERT OR IGNORE INTO receipt_confirm (term_id, student_id, updated_at, updated_by)
                     VALUES (?1, ?2, ?3, ?4)",
                )?;
                for (tid, sid) in &confirm_pairs {
                    conf.execute(params![tid, sid, w.at, w.user])?;
                }
            }
            if !out.no_change() {
                w.audit(
                    "receipt_line",
                    0,
                    "insert",
                    None::<&()>,
                    Some(&json!({
                        "terms": out.terms.iter().map(|t| t.to_string()).collect::<Vec<_>>(),
                        "added": out.added, "removed": out.removed, "changed": out.changed,
                        "students_added": out.students_added,
                        "merged": out.duplicates.len(), "imports": out.imports,
                    })),
                )?;
            }
            progress(total, total);
            Ok(out)
        })
        .inspect(|o| {
            tracing::info!(
                user = %self.user,
                "receipts imported: {} lines, {} added, {} removed, {} changed, {} unchanged",
                total, o.added, o.removed, o.changed, o.unchanged
            )
        })
    }

    /// The imports of a term that changed something, newest first.
    pub fn receipt_imports(&self, term: Term) -> Result<Vec<ImportRec>> {
        let Some(tid) = self.term_row_id(term)? else {
            return Ok(Vec::new());
        };
        let mut st = self.conn.prepare_cached(
            "SELECT id, at, os_user, added, removed, changed, unchanged, undone_at, undone_by
             FROM receipt_import WHERE term_id = ?1 ORDER BY id DESC",
        )?;
        let rows = st.query_map([tid], |r| {
            let undone_at: Option<String> = r.get(7)?;
            let undone_by: Option<String> = r.get(8)?;
            Ok(ImportRec {
                id: r.get(0)?,
                term,
                at: r.get(1)?,
                user: r.get(2)?,
                added: r.get::<_, i64>(3)? as usize,
                removed: r.get::<_, i64>(4)? as usize,
                changed: r.get::<_, i64>(5)? as usize,
                unchanged: r.get::<_, i64>(6)? as usize,
                undone: undone_at.map(|at| (at, undone_by.unwrap_or_default())),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The old rows an import archived (changed and removed lines), by
    /// student, category and item.
    pub fn import_archive(&self, import_id: i64) -> Result<Vec<ArchivedLine>> {
        let mut st = self.conn.prepare_cached(
            "SELECT a.action, a.line_id, s.student_no, a.category, a.item, a.ordinal, a.count,
                 CASE WHEN a.action = 'changed' THEN coalesce(a.new_count, l.count) END
             FROM receipt_line_archive a JOIN student s ON s.id = a.student_id
             LEFT JOIN receipt_line l ON l.id = a.line_id AND a.action = 'changed'
             WHERE a.import_id = ?1 ORDER BY s.student_no, a.category, a.item, a.ordinal",
        )?;
        let rows = st.query_map([import_id], |r| {
            Ok(ArchivedLine {
                removed: r.get::<_, String>(0)? == "removed",
                line_id: r.get(1)?,
                student_no: r.get(2)?,
                category: Category::parse(&r.get::<_, String>(3)?).unwrap_or(Category::Basic),
                item: r.get(4)?,
                ordinal: r.get::<_, i64>(5)? as u32,
                old_count: r.get::<_, i64>(6)? as u32,
                new_count: r.get::<_, Option<i64>>(7)?.map(|n| n as u32),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Undoes the newest import of `term` not undone yet, in one
    /// transaction: the lines it added are deleted, the lines it changed or
    /// removed get their archived rows back (same id, values, version and
    /// stamp). Refused, nothing written, when there is none or when a line
    /// it touched was changed afterwards (a discrepancy's correction, or a
    /// line added in its place). Students it added stay.
    pub fn undo_last_import(&mut self, term: Term) -> Result<ImportRec> {
        let Some(rec) = self
            .receipt_imports(term)?
            .into_iter()
            .find(|r| r.undone.is_none())
        else {
            return Err(StoreError::Refused {
                key: "imports.err_nothing_to_undo",
                args: vec![("term", term.to_string())],
            });
        };
        let id = rec.id;
        let tid = self.term_row_id(term)?.unwrap_or_default();
        let out = self.write(Action::ImportReceipts, |w| {
            w.check_round_open(term)?;
            let touched = |no: String, item: String, by: String, at: String| StoreError::Refused {
                key: "imports.err_undo_touched",
                args: vec![
                    ("term", term.to_string()),
                    ("at", rec.at.clone()),
                    ("no", no),
                    ("item", item),
                    ("by", by),
                    ("when", at),
                ],
            };
            // Another process may have imported or undone since the list
            // was read: the newest import in effect must still be this one.
            let newest: Option<(i64, String, String)> =
                w.tx.query_row(
                    "SELECT id, updated_by, updated_at FROM receipt_import
                     WHERE term_id = ?1 AND (undone_at IS NULL OR id = ?2)
                     ORDER BY id DESC LIMIT 1",
                    params![tid, id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            let undone_meanwhile: bool = w.tx.query_row(
                "SELECT undone_at IS NOT NULL FROM receipt_import WHERE id = ?1",
                [id],
                |r| r.get(0),
            )?;
            if let Some((newest_id, by, at)) = newest
                && (newest_id != id || undone_meanwhile)
            {
                return Err(StoreError::Stale { by, at });
            }
            // Lines it added, changed since.
            let later: Option<(String, String, String, String)> =
                w.tx.query_row(
                    "SELECT s.student_no, l.item, l.updated_by, l.updated_at
                     FROM receipt_line l JOIN student s ON s.id = l.student_id
                     WHERE l.term_id = ?1 AND l.import_id = ?2 AND l.version <> 1 LIMIT 1",
                    params![tid, id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .optional()?;
            // Lines it changed, changed again or gone since.
            let later = match later {
                Some(x) => Some(x),
                None => {
                    w.tx.query_row(
                        "SELECT s.student_no, a.item, coalesce(l.updated_by, ''),
                             coalesce(l.updated_at, '')
                         FROM receipt_line_archive a JOIN student s ON s.id = a.student_id
                         LEFT JOIN receipt_line l ON l.id = a.line_id
                         WHERE a.import_id = ?1 AND a.action = 'changed'
                           AND (l.id IS NULL OR l.version <> a.version + 1) LIMIT 1",
                        [id],
                        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                    )
                    .optional()?
                }
            };
            // Lines it removed, with a line in their place since.
            let later = match later {
                Some(x) => Some(x),
                None => {
                    w.tx.query_row(
                        "SELECT s.student_no, a.item, l.updated_by, l.updated_at
                         FROM receipt_line_archive a JOIN student s ON s.id = a.student_id
                         JOIN receipt_line l ON l.term_id = a.term_id
                             AND l.student_id = a.student_id AND l.category = a.category
                             AND l.item = a.item AND l.ordinal = a.ordinal
                         WHERE a.import_id = ?1 AND a.action = 'removed' LIMIT 1",
                        [id],
                        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                    )
                    .optional()?
                }
            };
            if let Some((no, item, by, at)) = later {
                return Err(touched(no, item, by, at));
            }
            let deleted = w.tx.execute(
                "DELETE FROM receipt_line WHERE term_id = ?1 AND import_id = ?2",
                params![tid, id],
            )?;
            let restored = w.tx.execute(
                "UPDATE receipt_line SET (count, extra, resubmit, version, updated_at,
                     updated_by) = (SELECT a.count, a.extra, a.resubmit, a.version,
                     a.updated_at, a.updated_by FROM receipt_line_archive a
                     WHERE a.import_id = ?1 AND a.action = 'changed'
                       AND a.line_id = receipt_line.id)
                 WHERE id IN (SELECT line_id FROM receipt_line_archive
                     WHERE import_id = ?1 AND action = 'changed')",
                [id],
            )?;
            let back = w.tx.execute(
                "INSERT INTO receipt_line (id, term_id, student_id, category, item, ordinal,
                     count, extra, resubmit, version, updated_at, updated_by, import_id)
                 SELECT CASE WHEN EXISTS (SELECT 1 FROM receipt_line x WHERE x.id = a.line_id)
                         THEN NULL ELSE a.line_id END,
                     a.term_id, a.student_id, a.category, a.item, a.ordinal, a.count, a.extra,
                     a.resubmit, a.version, a.updated_at, a.updated_by, a.line_import_id
                 FROM receipt_line_archive a WHERE a.import_id = ?1 AND a.action = 'removed'
                 ORDER BY a.id",
                [id],
            )?;
            w.tx.execute(
                "UPDATE receipt_import SET undone_at = ?2, undone_by = ?3, version = version + 1,
                     updated_at = ?2, updated_by = ?3 WHERE id = ?1",
                params![id, w.at, w.user],
            )?;
            // The audit's actions are insert, update and delete: an undo is
            // the import row's update to "undone", with what it put back.
            w.audit(
                "receipt_import",
                id,
                "update",
                Some(&json!({
                    "term": term.to_string(), "at": rec.at, "by": rec.user,
                    "added": rec.added, "removed": rec.removed, "changed": rec.changed,
                    "undone": false,
                })),
                Some(&json!({
                    "undone": true, "deleted": deleted, "restored_changed": restored,
                    "restored_removed": back,
                })),
            )?;
            Ok((w.at.clone(), w.user.clone()))
        })?;
        Ok(ImportRec {
            undone: Some(out),
            ..rec
        })
    }

    /// Terms that have receipt lines, newest first.
    pub fn receipt_terms(&self) -> Result<Vec<Term>> {
        let mut st = self.conn.prepare_cached(
            "SELECT t.year, t.semester FROM term t
             WHERE EXISTS (SELECT 1 FROM receipt_confirm c WHERE c.term_id = t.id)
                OR EXISTS (SELECT 1 FROM discrepancy d WHERE d.term_id = t.id)
             ORDER BY t.year DESC, t.semester DESC",
        )?;
        let rows = st.query_map([], |r| {
            Ok(Term {
                year: r.get(0)?,
                semester: r.get::<_, i64>(1)? as u8,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn term_row_id(&self, term: Term) -> Result<Option<i64>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM term WHERE year = ?1 AND semester = ?2",
                params![term.year, term.semester],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// A student's receipt lines of a term, by category and item.
    pub fn receipt_lines(&self, term: Term, student_id: i64) -> Result<Vec<Line>> {
        let Some(tid) = self.term_row_id(term)? else {
            return Ok(Vec::new());
        };
        let mut st = self.conn.prepare_cached(
            "SELECT id, student_id, category, item, ordinal, count, extra, resubmit
             FROM receipt_line WHERE term_id = ?1 AND student_id = ?2
             ORDER BY CASE category WHEN 'basic' THEN 0 WHEN 'course_records' THEN 1
                 WHEN 'course_outcomes' THEN 2 WHEN 'diverse' THEN 3 ELSE 4 END, id",
        )?;
        let rows = st.query_map(params![tid, student_id], |r| {
            Ok(Line {
                id: r.get(0)?,
                term,
                student_id: r.get(1)?,
                category: Category::parse(&r.get::<_, String>(2)?).unwrap_or(Category::Basic),
                item: r.get(3)?,
                ordinal: r.get::<_, i64>(4)? as u32,
                count: r.get::<_, i64>(5)? as u32,
                extra: r.get(6)?,
                resubmit: r.get::<_, i64>(7)? != 0,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// One row per student with receipts (or a confirmation row) in the term:
    /// counts per category, confirmation and discrepancy counts. Ordered by
    /// class, seat and number.
    pub fn receipt_overview(&self, term: Term) -> Result<Vec<StudentRow>> {
        let Some(tid) = self.term_row_id(term)? else {
            return Ok(Vec::new());
        };
        let mut counts: HashMap<i64, (CategoryCounts, u32)> = HashMap::new();
        {
            let mut st = self.conn.prepare_cached(
                "SELECT student_id, category, sum(count), count(*) FROM receipt_line
                 WHERE term_id = ?1 GROUP BY student_id, category",
            )?;
            let rows = st.query_map([tid], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, i64>(3)?,
                ))
            })?;
            for r in rows {
                let (sid, cat, sum, n) = r?;
                let e = counts.entry(sid).or_default();
                if let Some(c) = Category::parse(&cat) {
                    e.0[c.index()] = sum as u32;
                }
                e.1 += n as u32;
            }
        }
        let mut discs: HashMap<i64, (u32, u32)> = HashMap::new();
        {
            let mut st = self.conn.prepare_cached(
                "SELECT student_id, sum(status <> 'closed' AND status <> 'rejected'), count(*)
                 FROM discrepancy WHERE term_id = ?1 GROUP BY student_id",
            )?;
            let rows = st.query_map([tid], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, i64>(2)?,
                ))
            })?;
            for r in rows {
                let (sid, open, n) = r?;
                discs.insert(sid, (open as u32, n as u32));
            }
        }
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {}, c.state, c.version FROM receipt_confirm c JOIN student s ON s.id = c.student_id
             WHERE c.term_id = ?1 ORDER BY s.class, s.seat, s.student_no",
            STUDENT_COLS
                .split(", ")
                .map(|c| format!("s.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        ))?;
        let rows = st.query_map([tid], |r| {
            let rec = student_from_row(r)?;
            let state: String = r.get(13)?;
            let version: i64 = r.get(14)?;
            Ok((rec.student, state, version))
        })?;
        let mut out = Vec::new();
        for r in rows {
            let (student, state, version) = r?;
            let (c, n) = counts.get(&student.id).copied().unwrap_or_default();
            let (open, total) = discs.get(&student.id).copied().unwrap_or_default();
            out.push(StudentRow {
                student,
                counts: c,
                lines: n,
                confirm: Confirm::parse(&state).unwrap_or(Confirm::Unconfirmed),
                confirm_version: version,
                open,
                discrepancies: total,
            });
        }
        Ok(out)
    }

    /// How many of the term's students have confirmed, been deemed, disputed.
    pub fn confirm_progress(&self, term: Term) -> Result<Progress> {
        let Some(tid) = self.term_row_id(term)? else {
            return Ok(Progress::default());
        };
        let mut p = Progress::default();
        let mut st = self.conn.prepare_cached(
            "SELECT state, count(*) FROM receipt_confirm WHERE term_id = ?1 GROUP BY state",
        )?;
        let rows = st.query_map([tid], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as usize))
        })?;
        for r in rows {
            let (state, n) = r?;
            p.total += n;
            match Confirm::parse(&state) {
                Some(Confirm::Confirmed) => p.confirmed += n,
                Some(Confirm::Deemed) => p.deemed += n,
                Some(Confirm::Disputed) => p.disputed += n,
                _ => p.unconfirmed += n,
            }
        }
        Ok(p)
    }

    // ---------------------------------------------------------------- window

    /// The term's confirmation window: set by hand, else the calendar's.
    pub fn confirm_window(&self, term: Term) -> Result<Option<ConfirmWindow>> {
        let manual: Option<DateRange> = self
            .conn
            .query_row(
                "SELECT w.id, w.starts_on, w.ends_on FROM receipt_window w
                 JOIN term t ON t.id = w.term_id
                 WHERE t.year = ?1 AND t.semester = ?2",
                params![term.year, term.semester],
                |r| {
                    Ok(DateRange {
                        start: stored_date(r, 1, date_col("receipt_window", "starts_on"))?,
                        end: stored_date(r, 2, date_col("receipt_window", "ends_on"))?,
                    })
                },
            )
            .optional()?;
        let cal = self.phase_windows(term, Phase::ReceiptConfirm)?;
        Ok(confirm_window(manual, &cal))
    }

    fn phase_windows(&self, term: Term, phase: Phase) -> Result<Vec<(i64, DateRange)>> {
        let mut st = self.conn.prepare_cached(
            "SELECT e.id, e.starts_on, e.ends_on FROM event e JOIN term t ON t.id = e.term_id
             WHERE t.year = ?1 AND t.semester = ?2 AND e.phase = ?3 ORDER BY e.starts_on",
        )?;
        let rows = st.query_map(params![term.year, term.semester, phase.code()], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                DateRange {
                    start: stored_date(r, 1, date_col("event", "starts_on"))?,
                    end: stored_date(r, 2, date_col("event", "ends_on"))?,
                },
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The last day of the term's fixing window(s) on the calendar.
    pub fn fix_window_end(&self, term: Term) -> Result<Option<NaiveDate>> {
        Ok(self
            .phase_windows(term, Phase::Fix)?
            .iter()
            .map(|(_, r)| r.end)
            .max())
    }

    /// Sets (Some) or clears (None: back to the calendar's) the term's
    /// confirmation window by hand.
    pub fn set_confirm_window(&mut self, term: Term, span: Option<DateRange>) -> Result<()> {
        self.write(Action::EditConfirmations, |w| {
            w.check_round_open(term)?;
            let tid = w.term_id(term, &mut Vec::new())?;
            let before: Option<(i64, String, String)> = w
                .tx
                .query_row(
                    "SELECT id, starts_on, ends_on FROM receipt_window WHERE term_id = ?1",
                    [tid],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            let before_json = before
                .as_ref()
                .map(|(_, a, b)| json!({ "starts_on": a, "ends_on": b }));
            match (span, before) {
                (None, None) => Ok(()),
                (None, Some((id, _, _))) => {
                    w.tx.execute("DELETE FROM receipt_window WHERE id = ?1", [id])?;
                    w.audit("receipt_window", id, "delete", before_json.as_ref(), None::<&()>)
                }
                (Some(r), found) => {
                    w.tx.execute(
                        "INSERT INTO receipt_window (term_id, starts_on, ends_on, updated_at, updated_by)
                         VALUES (?1, ?2, ?3, ?4, ?5)
                         ON CONFLICT (term_id) DO UPDATE SET starts_on = excluded.starts_on,
                             ends_on = excluded.ends_on, version = version + 1,
                             updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                        params![tid, r.start.to_string(), r.end.to_string(), w.at, w.user],
                    )?;
                    let id = found.map(|f| f.0).unwrap_or_else(|| w.tx.last_insert_rowid());
                    w.audit(
                        "receipt_window",
                        id,
                        "update",
                        before_json.as_ref(),
                        Some(&json!({ "starts_on": r.start.to_string(), "ends_on": r.end.to_string() })),
                    )
                }
            }
        })
    }

    // ---------------------------------------------------------------- confirmation

    /// The student confirms the term's receipt. Refused while a discrepancy
    /// still awaits the school's answer; answered ones (corrected or
    /// rejected) are closed by the confirmation — the loop ends here.
    pub fn confirm_receipt(&mut self, term: Term, student_id: i64) -> Result<()> {
        self.confirm_receipt_seen(term, student_id, None)
    }

    /// [`Store::confirm_receipt`] with the confirmation's version the user
    /// saw (`StudentRow::confirm_version`, 0 when there was no row): a
    /// colleague's change in between is refused, naming them.
    pub fn confirm_receipt_seen(
        &mut self,
        term: Term,
        student_id: i64,
        seen: Option<i64>,
    ) -> Result<()> {
        self.write(Action::EditConfirmations, |w| {
            w.check_round_open(term)?;
            let tid = w.term_id(term, &mut Vec::new())?;
            w.check_confirm_version(tid, student_id, seen)?;
            let waiting: i64 = w.tx.query_row(
                "SELECT count(*) FROM discrepancy WHERE term_id = ?1 AND student_id = ?2
                   AND status IN ('reported', 'investigating')",
                params![tid, student_id],
                |r| r.get(0),
            )?;
            if waiting > 0 {
                let name: String = w.tx.query_row(
                    "SELECT name || ' ' || student_no FROM student WHERE id = ?1",
                    [student_id],
                    |r| r.get(0),
                )?;
                return Err(StoreError::Refused {
                    key: "receipt.err_confirm_waiting",
                    args: vec![("student", name), ("n", waiting.to_string())],
                });
            }
            let answered: Vec<i64> = {
                let mut st = w.tx.prepare(
                    "SELECT id FROM discrepancy WHERE term_id = ?1 AND student_id = ?2
                       AND status IN ('corrected', 'rejected') ORDER BY id",
                )?;
                st.query_map(params![tid, student_id], |r| r.get(0))?
                    .collect::<rusqlite::Result<Vec<_>>>()?
            };
            for id in answered {
                w.step_disc(id, None, DStatus::Closed, "")?;
            }
            let (cid, state) = w.confirm_row(tid, student_id)?;
            w.set_confirm_state(cid, state, Confirm::Confirmed, "confirm")
        })
    }

    /// Takes back a confirmation (entered for the wrong student).
    pub fn unconfirm_receipt(&mut self, term: Term, student_id: i64) -> Result<()> {
        self.unconfirm_receipt_seen(term, student_id, None)
    }

    /// [`Store::unconfirm_receipt`] with the version the user saw.
    pub fn unconfirm_receipt_seen(
        &mut self,
        term: Term,
        student_id: i64,
        seen: Option<i64>,
    ) -> Result<()> {
        self.write(Action::EditConfirmations, |w| {
            w.check_round_open(term)?;
            let tid = w.term_id(term, &mut Vec::new())?;
            w.check_confirm_version(tid, student_id, seen)?;
            let (cid, state) = w.confirm_row(tid, student_id)?;
            if state == Confirm::Confirmed {
                w.set_confirm_state(cid, state, Confirm::Unconfirmed, "unconfirm")?;
            }
            Ok(())
        })
    }

    /// Who last changed the student's confirmation of the term, and when
    /// (None when nobody has).
    pub fn confirm_stamp(&self, term: Term, student_id: i64) -> Result<Option<(String, String)>> {
        Ok(self
            .conn
            .query_row(
                "SELECT c.updated_by, c.updated_at FROM receipt_confirm c
                   JOIN term t ON t.id = c.term_id
                 WHERE t.year = ?1 AND t.semester = ?2 AND c.student_id = ?3",
                params![term.year, term.semester, student_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    /// Deems every student of the term with nothing open confirmed, once the
    /// window has closed and if the preset says silence means confirmed.
    /// Each student gets an audit row.
    pub fn deem_confirmed(&mut self, term: Term, today: NaiveDate) -> Result<DeemOutcome> {
        let school = self.require_school()?;
        let window = self.confirm_window(term)?;
        if let Err(r) = may_deem(
            school.preset.confirmation.silence_means_confirmed,
            window.as_ref(),
            today,
        ) {
            return Err(deem_refused(r, term, &school.short_name));
        }
        self.write(Action::EditConfirmations, |w| {
            w.check_round_open(term)?;
            let Some(tid) = w.existing_term_id(term)? else {
                return Ok(DeemOutcome::default());
            };
            let rows: Vec<(i64, String, i64)> = {
                let mut st = w.tx.prepare(
                    "SELECT c.id, c.state,
                        (SELECT count(*) FROM discrepancy d WHERE d.term_id = c.term_id
                           AND d.student_id = c.student_id
                           AND d.status IN ('reported', 'investigating', 'corrected'))
                     FROM receipt_confirm c WHERE c.term_id = ?1 AND c.state IN ('unconfirmed', 'disputed')",
                )?;
                st.query_map([tid], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                    .collect::<rusqlite::Result<Vec<_>>>()?
            };
            let mut out = DeemOutcome::default();
            for (cid, state, open) in rows {
                let state = Confirm::parse(&state).unwrap_or(Confirm::Unconfirmed);
                if deemable(state, open > 0) {
                    w.set_confirm_state(cid, state, Confirm::Deemed, "deem")?;
                    out.deemed += 1;
                } else {
                    out.kept_open += 1;
                }
            }
            Ok(out)
        })
    }

    /// Reverses deeming for the term (the director: `Action::UndoDeem`): deemed students go
    /// back to disputed (if they raised something) or unconfirmed.
    pub fn undo_deemed(&mut self, term: Term) -> Result<usize> {
        self.write(Action::UndoDeem, |w| {
            w.check_round_open(term)?;
            let Some(tid) = w.existing_term_id(term)? else {
                return Ok(0);
            };
            let rows: Vec<(i64, i64)> = {
                let mut st = w.tx.prepare(
                    "SELECT c.id, (SELECT count(*) FROM discrepancy d WHERE d.term_id = c.term_id
                                     AND d.student_id = c.student_id)
                     FROM receipt_confirm c WHERE c.term_id = ?1 AND c.state = 'deemed'",
                )?;
                st.query_map([tid], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<rusqlite::Result<Vec<_>>>()?
            };
            for (cid, discs) in &rows {
                let to = if *discs > 0 {
                    Confirm::Disputed
                } else {
                    Confirm::Unconfirmed
                };
                w.set_confirm_state(*cid, Confirm::Deemed, to, "undo_deem")?;
            }
            Ok(rows.len())
        })
    }

    // ---------------------------------------------------------------- discrepancies

    /// The unit routing of the school's preset.
    pub fn routing(&self) -> Result<Routing> {
        let school = self.require_school()?;
        let mut preset = school.preset;
        if preset.routing.is_empty()
            && let Some(embedded) = crate::domain::preset::by_key(&school.preset_key)
        {
            preset.routing = embedded.routing;
        }
        Ok(Routing::from_preset(&preset))
    }

    /// Every discrepancy (of one term, or all), newest report first.
    pub fn discrepancies(&self, term: Option<Term>) -> Result<Vec<DiscRec>> {
        let (filter, args): (&str, Vec<i64>) = match term {
            Some(t) => (
                "WHERE t.year = ?1 AND t.semester = ?2",
                vec![t.year as i64, t.semester as i64],
            ),
            None => ("", vec![]),
        };
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {DISC_COLS} FROM {DISC_FROM} {filter} ORDER BY d.reported_on DESC, d.id DESC"
        ))?;
        let rows = st.query_map(rusqlite::params_from_iter(args), disc_from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    pub fn discrepancy(&self, id: i64) -> Result<DiscRec> {
        self.conn
            .query_row(
                &format!("SELECT {DISC_COLS} FROM {DISC_FROM} WHERE d.id = ?1"),
                [id],
                disc_from_row,
            )
            .optional()?
            .ok_or(StoreError::NotFound {
                what: "what.discrepancy",
                id,
            })
    }

    /// Every step of a discrepancy, oldest first (the first is the report).
    pub fn discrepancy_steps(&self, id: i64) -> Result<Vec<Step>> {
        let mut st = self.conn.prepare_cached(
            "SELECT status, note, updated_at, updated_by FROM discrepancy_step
             WHERE discrepancy_id = ?1 ORDER BY id",
        )?;
        let rows = st.query_map([id], |r| {
            Ok(Step {
                status: DStatus::parse(&r.get::<_, String>(0)?).unwrap_or(DStatus::Reported),
                note: r.get(1)?,
                at: r.get(2)?,
                by: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Logs a discrepancy (status reported). An empty unit is routed by
    /// category. The student's receipt becomes disputed.
    pub fn log_discrepancy(&mut self, d: &Discrepancy) -> Result<i64> {
        let routing = self.routing()?;
        self.write(Action::EditDiscrepancies, |w| w.insert_disc(d, &routing))
    }

    /// Logs many discrepancies in one transaction (all or nothing).
    pub fn log_discrepancies(&mut self, list: &[Discrepancy]) -> Result<Vec<i64>> {
        let routing = self.routing()?;
        self.write(Action::EditDiscrepancies, |w| {
            list.iter().map(|d| w.insert_disc(d, &routing)).collect()
        })
    }

    /// One workflow step (see [`crate::domain::receipt::step`]); `note` is the
    /// correction or the reason where the step needs one.
    pub fn advance_discrepancy(
        &mut self,
        id: i64,
        expected: i64,
        to: DStatus,
        note: &str,
    ) -> Result<()> {
        self.write(Action::EditDiscrepancies, |w| {
            w.step_disc(id, Some(expected), to, note)
        })
    }

    /// Re-routes a discrepancy to another unit.
    pub fn route_discrepancy(&mut self, id: i64, expected: i64, unit: &str) -> Result<()> {
        if unit.trim().is_empty() {
            return Err(StoreError::Refused {
                key: "receipt.err_no_unit",
                args: vec![],
            });
        }
        self.write(Action::EditDiscrepancies, |w| {
            w.check_disc_open(id)?;
            w.check_version("discrepancy", id, expected)?;
            let before = w.load_disc(id)?;
            w.tx.execute(
                "UPDATE discrepancy SET unit = ?2, version = version + 1, updated_at = ?3,
                     updated_by = ?4 WHERE id = ?1",
                params![id, unit.trim(), w.at, w.user],
            )?;
            w.audit(
                "discrepancy",
                id,
                "update",
                Some(&json!({ "unit": before.d.unit })),
                Some(&json!({ "unit": unit.trim() })),
            )
        })
    }

    /// The term a user means by "now": the one whose confirmation window
    /// contains today, else the newest term with receipts.
    pub fn current_receipt_term(&self, today: NaiveDate) -> Result<Option<Term>> {
        let terms = self.receipt_terms()?;
        for &t in &terms {
            if let Some(w) = self.confirm_window(t)?
                && w.span.contains(today)
            {
                return Ok(Some(t));
            }
        }
        Ok(terms.first().copied())
    }

    /// Discrepancies of a term not closed, per unit (most first), and how
    /// many await an answer past their due day — counted in SQL, for the
    /// dashboard (the same rule as [`Discrepancy::overdue`]).
    pub fn discrepancy_summary(&self, term: Term, today: NaiveDate) -> Result<DiscSummary> {
        let mut out = DiscSummary::default();
        let Some(tid) = self.term_row_id(term)? else {
            return Ok(out);
        };
        let fix_end = self.fix_window_end(term)?;
        let fix = fix_end.map(|d| d.to_string());
        // Due: the fix window's end when it falls within the three days
        // after the report, else the third day. Written as comparisons of
        // ISO dates against today − 3 and fix − 3 (computed once, not per
        // row): `fix < reported + 3` ⇔ `reported > fix − 3`, and
        // `today > reported + 3` ⇔ `reported < today − 3`.
        let mut st = self.conn.prepare_cached(
            "SELECT unit, count(*),
                    sum(status IN ('reported', 'investigating') AND
                        CASE WHEN ?3 IS NOT NULL AND ?3 >= reported_on AND reported_on > ?5
                             THEN ?2 > ?3 ELSE reported_on < ?4 END)
             FROM discrepancy WHERE term_id = ?1 AND status NOT IN ('closed', 'rejected')
             GROUP BY unit ORDER BY count(*) DESC, unit",
        )?;
        let minus3 = |d: NaiveDate| (d - chrono::Duration::days(3)).to_string();
        let fix3 = fix_end.map(minus3);
        let rows = st.query_map(
            params![tid, today.to_string(), fix, minus3(today), fix3],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)? as usize,
                    r.get::<_, i64>(2)? as usize,
                ))
            },
        )?;
        for r in rows {
            let (unit, n, late) = r?;
            out.open += n;
            out.overdue += late;
            out.open_by_unit.push((unit, n));
            out.overdue_by_unit.push(late);
        }
        Ok(out)
    }

    // ---------------------------------------------------------------- reports

    /// Leavers with an unconfirmed (or disputed) receipt in the term.
    pub fn leaver_notices(&self, term: Term) -> Result<Vec<Notice>> {
        Ok(self
            .receipt_overview(term)?
            .into_iter()
            .filter(|r| r.student.status.is_leaver() && !r.confirm.is_done())
            .map(|r| Notice {
                student: r.student,
                confirm: r.confirm,
                lines: r.lines,
            })
            .collect())
    }

    /// Everything `check receipts` reports. A check never writes (it takes
    /// `&self`): where the preset's rule allows deeming (window closed) it
    /// counts the students `receipts deem` would deem, and leaves them be.
    pub fn check_receipts(&self, today: NaiveDate) -> Result<ReceiptReport> {
        let school = self.require_school()?;
        let mut report = ReceiptReport::default();
        let terms = self.receipt_terms()?;
        let silence = school.preset.confirmation.silence_means_confirmed;
        for &t in &terms {
            let fix_end = self.fix_window_end(t)?;
            for d in self.discrepancies(Some(t))? {
                if d.d.overdue(fix_end, today) {
                    let due = d.d.due(fix_end);
                    report.overdue.push((d, due));
                }
            }
            let window = self.confirm_window(t)?;
            if let Some(w) = &window
                && w.closed(today)
            {
                let rows = self.receipt_overview(t)?;
                if may_deem(silence, window.as_ref(), today).is_ok() {
                    let n = rows
                        .iter()
                        .filter(|r| deemable(r.confirm, r.open > 0))
                        .count();
                    if n > 0 {
                        report.deemable.push((t, n));
                    }
                }
                for r in rows {
                    if !r.confirm.is_done() {
                        report
                            .unconfirmed
                            .push((t, w.span.end, r.student, r.confirm));
                    }
                }
            }
        }
        report.overdue.sort_by_key(|(d, due)| (*due, d.d.id));
        // Caps: course outcomes and diverse performances per student and term.
        let caps = ReceiptCaps::from_preset(&school.preset);
        let counts: Vec<(i64, Term, u32, u32)> = {
            let mut st = self.conn.prepare_cached(
                "SELECT l.student_id, t.year, t.semester,
                        sum(CASE WHEN l.category = 'course_outcomes' THEN l.count ELSE 0 END),
                        sum(CASE WHEN l.category = 'diverse' THEN l.count ELSE 0 END)
                 FROM receipt_line l JOIN term t ON t.id = l.term_id
                 WHERE l.category IN ('course_outcomes', 'diverse')
                 GROUP BY l.student_id, l.term_id ORDER BY l.student_id, t.year, t.semester",
            )?;
            st.query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    Term {
                        year: r.get(1)?,
                        semester: r.get::<_, i64>(2)? as u8,
                    },
                    r.get::<_, i64>(3)? as u32,
                    r.get::<_, i64>(4)? as u32,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?
        };
        let excess = cap_excess(&counts, caps);
        if !excess.is_empty() {
            let students: HashMap<i64, Student> = self
                .students()?
                .into_iter()
                .map(|s| (s.student.id, s.student))
                .collect();
            for e in excess {
                if let Some(s) = students.get(&e.student_id) {
                    report.caps.push((e, s.clone()));
                }
            }
        }
        Ok(report)
    }

    /// One student's row of [`Store::receipt_overview`] (None when the
    /// student has none in the term): after a write about one student the
    /// receipts screen reads this instead of the whole term again.
    pub fn receipt_row(&self, term: Term, student_id: i64) -> Result<Option<StudentRow>> {
        let Some(tid) = self.term_row_id(term)? else {
            return Ok(None);
        };
        let mut counts: CategoryCounts = [0; 5];
        let mut lines = 0u32;
        {
            let mut st = self.conn.prepare_cached(
                "SELECT category, sum(count), count(*) FROM receipt_line
                 WHERE term_id = ?1 AND student_id = ?2 GROUP BY category",
            )?;
            let rows = st.query_map(params![tid, student_id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, i64>(2)?,
                ))
            })?;
            for r in rows {
                let (cat, sum, n) = r?;
                if let Some(c) = Category::parse(&cat) {
                    counts[c.index()] = sum as u32;
                }
                lines += n as u32;
            }
        }
        let (open, total): (i64, i64) = self.conn.query_row(
            "SELECT coalesce(sum(status <> 'closed' AND status <> 'rejected'), 0), count(*)
             FROM discrepancy WHERE term_id = ?1 AND student_id = ?2",
            params![tid, student_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let cols = STUDENT_COLS
            .split(", ")
            .map(|c| format!("s.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let found = self
            .conn
            .query_row(
                &format!(
                    "SELECT {cols}, c.state, c.version FROM receipt_confirm c
                     JOIN student s ON s.id = c.student_id
                     WHERE c.term_id = ?1 AND c.student_id = ?2"
                ),
                params![tid, student_id],
                |r| {
                    let rec = student_from_row(r)?;
                    Ok((rec.student, r.get::<_, String>(13)?, r.get::<_, i64>(14)?))
                },
            )
            .optional()?;
        Ok(found.map(|(student, state, version)| StudentRow {
            student,
            counts,
            lines,
            confirm: Confirm::parse(&state).unwrap_or(Confirm::Unconfirmed),
            confirm_version: version,
            open: open as u32,
            discrepancies: total as u32,
        }))
    }
}

/// The refusal of deeming, in words.
pub fn deem_refused(r: DeemRefusal, term: Term, school: &str) -> StoreError {
    match r {
        DeemRefusal::NoRule => StoreError::Refused {
            key: "receipt.err_deem_no_rule",
            args: vec![("school", school.to_string())],
        },
        DeemRefusal::NoWindow => StoreError::Refused {
            key: "receipt.err_deem_no_window",
            args: vec![("term", term.to_string())],
        },
        DeemRefusal::StillOpen(end) => StoreError::Refused {
            key: "receipt.err_deem_open",
            args: vec![("term", term.to_string()), ("end", format_roc(end))],
        },
    }
}
