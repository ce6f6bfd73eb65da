//! Reading the audit log (異動紀錄): pages by id (keyset, newest first)
//! under filters, what each record is called today, and whether it still
//! exists. Only reads: the log is written by `Writer::audit`.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params_from_iter, types::Value};

use super::{AuditRow, Result, Store};
use crate::domain::receipt::Category;
use crate::i18n::tr;

/// What the audit screen and `portfolio-desk audit` narrow the log to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// From this day on (local time as stamped).
    pub since: Option<NaiveDate>,
    /// Up to and including this day.
    pub until: Option<NaiveDate>,
    /// One OS login, exactly.
    pub who: Option<String>,
    /// Only these tables (empty: all).
    pub tables: Vec<&'static str>,
    /// Text anywhere in what was written (values, names), the login or
    /// the table's code name; case-insensitive for ASCII.
    pub text: String,
}

impl AuditFilter {
    pub fn is_empty(&self) -> bool {
        *self == AuditFilter::default()
    }

    /// The WHERE clause (without the id bound) and its parameters.
    fn clause(&self) -> (String, Vec<Value>) {
        let mut w: Vec<String> = Vec::new();
        let mut p: Vec<Value> = Vec::new();
        if let Some(d) = self.since {
            p.push(Value::Text(d.to_string()));
            w.push(format!("at >= ?{}", p.len()));
        }
        if let Some(d) = self.until {
            let next = d.succ_opt().unwrap_or(d);
            p.push(Value::Text(next.to_string()));
            w.push(format!("at < ?{}", p.len()));
        }
        if let Some(u) = &self.who {
            p.push(Value::Text(u.clone()));
            w.push(format!("os_user = ?{}", p.len()));
        }
        if !self.tables.is_empty() {
            let mut marks = Vec::new();
            for t in &self.tables {
                p.push(Value::Text(t.to_string()));
                marks.push(format!("?{}", p.len()));
            }
            w.push(format!("tbl IN ({})", marks.join(", ")));
        }
        let text = self.text.trim();
        if !text.is_empty() {
            p.push(Value::Text(text.to_lowercase()));
            let n = p.len();
            w.push(format!(
                "(instr(lower(coalesce(after_json, '')), ?{n}) > 0
                  OR instr(lower(coalesce(before_json, '')), ?{n}) > 0
                  OR instr(lower(os_user), ?{n}) > 0 OR instr(tbl, ?{n}) > 0)"
            ));
        }
        let clause = if w.is_empty() {
            "1".to_string()
        } else {
            w.join(" AND ")
        };
        (clause, p)
    }
}

/// What a record is called today and whether it still exists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordNow {
    pub exists: bool,
    /// Its name in words ("周語彤 修課紀錄", a window's title); None when
    /// gone or nameless.
    pub name: Option<String>,
}

const COLS: &str = "id, at, os_user, tbl, row_id, action, before_json, after_json";

fn row_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<AuditRow> {
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
}

/// The tables a record can be looked up in (names are never taken from input).
const LOOKUP: [&str; 17] = [
    "term",
    "event",
    "receipt_window",
    "staff",
    "committee",
    "seat",
    "delegate_table",
    "delegate",
    "absence",
    "checklist",
    "checklist_item",
    "checklist_template",
    "student",
    "receipt_import",
    "receipt_confirm",
    "discrepancy",
    "school",
];

impl Store {
    /// Up to `limit` audit rows under `f`, newest first, older than
    /// `before_id` (None: from the newest). Keyset paging on the primary
    /// key: a page costs the same anywhere in the log.
    pub fn audit_page(
        &self,
        f: &AuditFilter,
        before_id: Option<i64>,
        limit: usize,
    ) -> Result<Vec<AuditRow>> {
        let (clause, mut p) = f.clause();
        p.push(Value::Integer(before_id.unwrap_or(i64::MAX)));
        let n = p.len();
        p.push(Value::Integer(limit as i64));
        let sql = format!(
            "SELECT {COLS} FROM audit WHERE {clause} AND id < ?{n} ORDER BY id DESC LIMIT ?{}",
            n + 1
        );
        let mut st = self.conn.prepare_cached(&sql)?;
        let rows = st.query_map(params_from_iter(p), row_of)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Up to `limit` rows under `f` newer than `after_id`, returned newest
    /// first (the page just above a row, for scrolling up).
    pub fn audit_page_newer(
        &self,
        f: &AuditFilter,
        after_id: i64,
        limit: usize,
    ) -> Result<Vec<AuditRow>> {
        let (clause, mut p) = f.clause();
        p.push(Value::Integer(after_id));
        let n = p.len();
        p.push(Value::Integer(limit as i64));
        let sql = format!(
            "SELECT {COLS} FROM audit WHERE {clause} AND id > ?{n} ORDER BY id ASC LIMIT ?{}",
            n + 1
        );
        let mut st = self.conn.prepare_cached(&sql)?;
        let rows = st.query_map(params_from_iter(p), row_of)?;
        let mut out = rows.collect::<rusqlite::Result<Vec<_>>>()?;
        out.reverse();
        Ok(out)
    }

    /// The oldest page under `f` (End), newest first.
    pub fn audit_page_oldest(&self, f: &AuditFilter, limit: usize) -> Result<Vec<AuditRow>> {
        self.audit_page_newer(f, i64::MIN, limit)
    }

    /// The logins that appear in the log, in order.
    pub fn audit_logins(&self) -> Result<Vec<String>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT DISTINCT os_user FROM audit ORDER BY os_user")?;
        let rows = st.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The staff name of an OS login, for the audit's "who". Today the
    /// link is the directory's name or e-mail prefix (`find_me`); the
    /// roles work links logins to staff explicitly, and this is the one
    /// function to change for it.
    pub fn staff_name_for_login(&self, login: &str) -> Option<String> {
        let staff = self.list_staff().ok()?;
        crate::domain::committee::find_me(&staff, login).map(|s| s.name.clone())
    }

    /// Whether the record of an audit row still exists, and its name today.
    pub fn record_now(&self, tbl: &str, row_id: i64) -> Result<RecordNow> {
        let Some(tbl) = LOOKUP.iter().find(|t| **t == tbl) else {
            return Ok(RecordNow::default());
        };
        let sql = match *tbl {
            "discrepancy" => {
                "SELECT s.name || ' ' || d.category FROM discrepancy d
                 JOIN student s ON s.id = d.student_id WHERE d.id = ?1"
            }
            "student" => "SELECT student_no || ' ' || name FROM student WHERE id = ?1",
            "receipt_confirm" => {
                "SELECT s.name || ' ' || t.year || '-' || t.semester FROM receipt_confirm c
                 JOIN student s ON s.id = c.student_id JOIN term t ON t.id = c.term_id
                 WHERE c.id = ?1"
            }
            "receipt_import" => {
                "SELECT t.year || '-' || t.semester FROM receipt_import x
                 JOIN term t ON t.id = x.term_id WHERE x.id = ?1"
            }
            "receipt_window" => {
                "SELECT t.year || '-' || t.semester FROM receipt_window x
                 JOIN term t ON t.id = x.term_id WHERE x.id = ?1"
            }
            "term" => "SELECT year || '-' || semester FROM term WHERE id = ?1",
            "event" => "SELECT title FROM event WHERE id = ?1",
            "checklist" => "SELECT title FROM checklist WHERE id = ?1",
            "checklist_item" => "SELECT title FROM checklist_item WHERE id = ?1",
            "staff" => "SELECT name FROM staff WHERE id = ?1",
            "seat" => {
                "SELECT s.title || coalesce(' ' || p.name, '') FROM seat s
                 LEFT JOIN staff p ON p.id = s.staff_id WHERE s.id = ?1"
            }
            "committee" => "SELECT academic_year FROM committee WHERE id = ?1",
            "delegate_table" => {
                "SELECT coalesce(d.position, p.name) FROM delegate_table d
                 LEFT JOIN staff p ON p.id = d.teacher_id WHERE d.id = ?1"
            }
            "delegate" => {
                "SELECT coalesce(t.position, tp.name) || ' ' || d.rank || ' '
                     || coalesce(d.position, p.name)
                 FROM delegate d JOIN delegate_table t ON t.id = d.table_id
                 LEFT JOIN staff tp ON tp.id = t.teacher_id
                 LEFT JOIN staff p ON p.id = d.staff_id WHERE d.id = ?1"
            }
            "absence" => {
                "SELECT p.name FROM absence a JOIN staff p ON p.id = a.staff_id WHERE a.id = ?1"
            }
            "checklist_template" => "SELECT name FROM checklist_template WHERE id = ?1",
            _ => "SELECT name FROM school WHERE id = ?1",
        };
        let found: Option<Option<String>> = self
            .conn
            .prepare_cached(sql)?
            .query_row([row_id], |r| {
                use rusqlite::types::ValueRef;
                Ok(match r.get_ref(0)? {
                    ValueRef::Text(t) => Some(String::from_utf8_lossy(t).into_owned()),
                    ValueRef::Integer(i) => Some(i.to_string()),
                    _ => None,
                })
            })
            .optional()?;
        Ok(match found {
            None => RecordNow::default(),
            Some(name) => RecordNow {
                exists: true,
                name: name.map(|n| words_of_codes(tbl, &n)),
            },
        })
    }
}

/// A discrepancy's category code in words ("周語彤 course_records" →
/// "周語彤 修課紀錄").
fn words_of_codes(tbl: &str, name: &str) -> String {
    if tbl != "discrepancy" {
        return name.to_string();
    }
    match name.rsplit_once(' ') {
        Some((who, code)) => match Category::parse(code) {
            Some(c) => format!("{who} {}", tr(c.label_key())),
            None => name.to_string(),
        },
        None => name.to_string(),
    }
}
