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

    /// The text filter, when it has one.
    fn text(&self) -> Option<String> {
        let t = self.text.trim();
        (!t.is_empty()).then(|| t.to_lowercase())
    }

    /// The WHERE clause (without the id bound) and its parameters. The
    /// text is looked for row by row (`instr`), or, with `indexed`, in the
    /// trigram index (three characters or more).
    fn clause(&self, indexed: bool) -> (String, Vec<Value>) {
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
        if let Some(text) = self.text() {
            let n = p.len() + 1;
            if indexed {
                // One phrase: the text as typed, quotes doubled.
                p.push(Value::Text(format!("\"{}\"", text.replace('"', "\"\""))));
                w.push(format!(
                    "id IN (SELECT rowid FROM audit_text WHERE audit_text MATCH ?{n})"
                ));
            } else {
                p.push(Value::Text(text));
                w.push(format!(
                    "(instr(lower(coalesce(after_json, '')), ?{n}) > 0
                      OR instr(lower(coalesce(before_json, '')), ?{n}) > 0
                      OR instr(lower(os_user), ?{n}) > 0 OR instr(tbl, ?{n}) > 0)"
                ));
            }
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

/// Rows looked at one by one for a text before the index is asked.
const SCAN: i64 = 2000;

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
const LOOKUP: [&str; 20] = [
    "term",
    "event",
    "receipt_window",
    "staff",
    "committee",
    "seat",
    "meeting",
    "attendance",
    "agenda_item",
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
        let before = before_id.unwrap_or(i64::MAX);
        self.audit_query(f, true, before, limit)
    }

    /// Up to `limit` rows under `f` newer than `after_id`, returned newest
    /// first (the page just above a row, for scrolling up).
    pub fn audit_page_newer(
        &self,
        f: &AuditFilter,
        after_id: i64,
        limit: usize,
    ) -> Result<Vec<AuditRow>> {
        let mut out = self.audit_query(f, false, after_id, limit)?;
        out.reverse();
        Ok(out)
    }

    /// The oldest page under `f` (End), newest first.
    pub fn audit_page_oldest(&self, f: &AuditFilter, limit: usize) -> Result<Vec<AuditRow>> {
        self.audit_page_newer(f, i64::MIN, limit)
    }

    /// Rows beyond `from` (below it when `down`), in that direction. A
    /// text of three characters or more is first looked for in the next
    /// [`SCAN`] rows one by one (quick when it is common), then, when
    /// that does not fill the page, through the trigram index (quick when
    /// it is rare); a shorter text is looked for row by row.
    fn audit_query(
        &self,
        f: &AuditFilter,
        down: bool,
        from: i64,
        limit: usize,
    ) -> Result<Vec<AuditRow>> {
        let long_text = f.text().is_some_and(|t| t.chars().count() >= 3);
        if !long_text {
            return self.audit_select(f, false, down, from, None, limit);
        }
        let edge = if down {
            let top: i64 =
                self.conn
                    .query_row("SELECT coalesce(max(id), 0) + 1 FROM audit", [], |r| {
                        r.get(0)
                    })?;
            from.min(top).saturating_sub(SCAN)
        } else {
            from.max(0).saturating_add(SCAN)
        };
        let near = self.audit_select(f, false, down, from, Some(edge), limit)?;
        if near.len() >= limit {
            return Ok(near);
        }
        self.audit_select(f, true, down, from, None, limit)
    }

    fn audit_select(
        &self,
        f: &AuditFilter,
        indexed: bool,
        down: bool,
        from: i64,
        edge: Option<i64>,
        limit: usize,
    ) -> Result<Vec<AuditRow>> {
        let (clause, mut p) = f.clause(indexed);
        let (cmp, edge_cmp, order) = if down {
            ("<", ">=", "DESC")
        } else {
            (">", "<=", "ASC")
        };
        p.push(Value::Integer(from));
        let mut sql = format!(
            "SELECT {COLS} FROM audit WHERE {clause} AND id {cmp} ?{}",
            p.len()
        );
        if let Some(e) = edge {
            p.push(Value::Integer(e));
            sql.push_str(&format!(" AND id {edge_cmp} ?{}", p.len()));
        }
        p.push(Value::Integer(limit as i64));
        sql.push_str(&format!(" ORDER BY id {order} LIMIT ?{}", p.len()));
        let mut st = self.conn.prepare_cached(&sql)?;
        let rows = st.query_map(params_from_iter(p), row_of)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The logins that appear in the log, in order.
    pub fn audit_logins(&self) -> Result<Vec<String>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT DISTINCT os_user FROM audit ORDER BY os_user")?;
        let rows = st.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The staff name of an OS login, for the audit's "who": the explicit
    /// link an administrator sets (`users link`), never a name match.
    pub fn staff_name_for_login(&self, login: &str) -> Option<String> {
        self.staff_of_login(login)
            .ok()
            .flatten()
            .map(|(_, name)| name)
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
            "meeting" => "SELECT year || '-' || number FROM meeting WHERE id = ?1",
            "agenda_item" => "SELECT title FROM agenda_item WHERE id = ?1",
            "attendance" => {
                "SELECT p.name FROM attendance a JOIN staff p ON p.id = a.staff_id WHERE a.id = ?1"
            }
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
