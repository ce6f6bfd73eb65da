//! The audit log in words (異動紀錄): which kind of record a table holds,
//! the record named as a person would ("疑義 #35 周語彤 修課紀錄"), and the
//! fields an update changed, before → after, with field names in words and
//! dates in ROC form. Pure: the store hands in the row's JSON and what it
//! knows of the record today (its current name), nothing is read here.

use chrono::NaiveDate;
use serde_json::Value;

use crate::domain::roc::format_roc;
use crate::i18n::{tr, trf};

/// A kind of record, as the audit screen's and the CLI's `--kind` filter
/// take it. Each kind is the tables of one screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Terms, calendar windows, confirmation windows (screen 2).
    Calendar,
    /// Staff, committees, seats (screen 3).
    Staff,
    /// Delegate tables, delegates, absences (screen 4).
    Delegate,
    /// Checklists, items, templates (screen 5).
    Checklist,
    /// Students, receipt lines and imports, confirmations, discrepancies (screen 6).
    Receipt,
    /// The school itself, and anything else.
    School,
}

pub const KINDS: [Kind; 6] = [
    Kind::Calendar,
    Kind::Staff,
    Kind::Delegate,
    Kind::Checklist,
    Kind::Receipt,
    Kind::School,
];

/// Every table the store audits, by kind.
const TABLES: [(&str, Kind); 26] = [
    ("term", Kind::Calendar),
    ("event", Kind::Calendar),
    ("receipt_window", Kind::Calendar),
    ("staff", Kind::Staff),
    ("committee", Kind::Staff),
    ("seat", Kind::Staff),
    ("meeting", Kind::Staff),
    ("attendance", Kind::Staff),
    ("agenda_item", Kind::Staff),
    ("staff_login", Kind::Staff),
    ("delegate_table", Kind::Delegate),
    ("delegate", Kind::Delegate),
    ("absence", Kind::Delegate),
    ("checklist", Kind::Checklist),
    ("checklist_item", Kind::Checklist),
    ("checklist_template", Kind::Checklist),
    ("student", Kind::Receipt),
    ("receipt_line", Kind::Receipt),
    ("receipt_import", Kind::Receipt),
    ("receipt_confirm", Kind::Receipt),
    ("discrepancy", Kind::Receipt),
    ("discrepancy_step", Kind::Receipt),
    ("school", Kind::School),
    ("retention", Kind::School),
    ("role_grant", Kind::School),
    ("closure", Kind::School),
];

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::Calendar => "calendar",
            Kind::Staff => "staff",
            Kind::Delegate => "delegate",
            Kind::Checklist => "checklist",
            Kind::Receipt => "receipt",
            Kind::School => "school",
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Kind::Calendar => "audit.kind_calendar",
            Kind::Staff => "audit.kind_staff",
            Kind::Delegate => "audit.kind_delegate",
            Kind::Checklist => "audit.kind_checklist",
            Kind::Receipt => "audit.kind_receipt",
            Kind::School => "audit.kind_school",
        }
    }

    /// A kind by its code name (`calendar`, `receipt`…).
    pub fn parse(s: &str) -> Option<Kind> {
        let s = s.trim().to_ascii_lowercase();
        KINDS.into_iter().find(|k| k.code() == s)
    }

    /// The tables of this kind.
    pub fn tables(self) -> Vec<&'static str> {
        TABLES
            .iter()
            .filter(|(_, k)| *k == self)
            .map(|(t, _)| *t)
            .collect()
    }

    /// The kind of a table's records (unknown tables are the school's).
    pub fn of(tbl: &str) -> Kind {
        TABLES
            .iter()
            .find(|(t, _)| *t == tbl)
            .map(|(_, k)| *k)
            .unwrap_or(Kind::School)
    }

    /// The screen (0-based, as the number keys less one) that shows this
    /// kind's records; None for the school.
    pub fn screen(self) -> Option<usize> {
        match self {
            Kind::Calendar => Some(1),
            Kind::Staff => Some(2),
            Kind::Delegate => Some(3),
            Kind::Checklist => Some(4),
            Kind::Receipt => Some(5),
            Kind::School => None,
        }
    }
}

/// What `--kind` / the kind filter accept: a kind's code, or one table's
/// name (`discrepancy`). None when it is neither.
pub fn tables_for(input: &str) -> Option<Vec<&'static str>> {
    if let Some(k) = Kind::parse(input) {
        return Some(k.tables());
    }
    let s = input.trim().to_ascii_lowercase();
    TABLES.iter().find(|(t, _)| *t == s).map(|(t, _)| vec![*t])
}

/// "新增" / "修改" / "刪除".
pub fn action_word(action: &str) -> &'static str {
    tr(match action {
        "insert" => "audit.insert",
        "delete" => "audit.delete",
        _ => "audit.update",
    })
}

/// The name of a table's records in an audit line: "疑義", "期程"…
pub fn record_word(tbl: &str) -> String {
    let key = format!("audit.rec_{tbl}");
    let s = tr(&key);
    if s == key {
        tbl.to_string()
    } else {
        s.to_string()
    }
}

fn parse(json: Option<&str>) -> Value {
    json.and_then(|j| serde_json::from_str(j).ok())
        .unwrap_or(Value::Null)
}

fn text_of(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The words naming a record from what its audit row holds (when the store
/// knows nothing better: the record is gone).
fn name_from_json(tbl: &str, v: &Value) -> Option<String> {
    match tbl {
        "discrepancy" => v
            .get("category")
            .and_then(|c| c.as_str())
            .map(|c| value_words("category", c)),
        "term" => text_of(v, "term"),
        "committee" => text_of(v, "academic_year")
            .or_else(|| text_of(v, "year"))
            .map(|y| trf("audit.year", &[("year", y)])),
        "receipt_import" => text_of(v, "term"),
        "meeting" => text_of(v, "number").map(|n| trf("audit.meeting_no", &[("n", n)])),
        "role_grant" | "staff_login" => text_of(v, "login"),
        "receipt_line" => v.get("terms").and_then(|t| t.as_array()).map(|a| {
            a.iter()
                .filter_map(|x| x.as_str())
                .collect::<Vec<_>>()
                .join(tr("list.sep"))
        }),
        _ => text_of(v, "name")
            .or_else(|| text_of(v, "title"))
            .or_else(|| text_of(v, "position")),
    }
}

/// The record in words: "疑義 #35 周語彤 修課紀錄", "期程 #12 學生上傳課程學習成果".
/// `current` is what the store reads of the record today (None when it is
/// gone or has nothing to say); else the row's own JSON names it.
pub fn record_label(
    tbl: &str,
    row_id: i64,
    before: Option<&str>,
    after: Option<&str>,
    current: Option<&str>,
) -> String {
    let word = record_word(tbl);
    // A whole import is one row with id 0: no "#0".
    let id = if row_id > 0 {
        format!(" #{row_id}")
    } else {
        String::new()
    };
    let name = current
        .map(str::to_string)
        .filter(|s| !s.trim().is_empty())
        .or_else(|| name_from_json(tbl, &parse(after)))
        .or_else(|| name_from_json(tbl, &parse(before)));
    match name {
        Some(n) => format!("{word}{id} {n}"),
        None => format!("{word}{id}"),
    }
}

/// "新增 疑義 #35 周語彤 修課紀錄".
pub fn describe(
    tbl: &str,
    row_id: i64,
    action: &str,
    before: Option<&str>,
    after: Option<&str>,
    current: Option<&str>,
) -> String {
    format!(
        "{} {}",
        action_word(action),
        record_label(tbl, row_id, before, after, current)
    )
}

/// A field's name in words ("開始日期"); the code name when there is none.
pub fn field_words(field: &str) -> String {
    let key = format!("audit.field_{field}");
    let s = tr(&key);
    if s == key {
        field.to_string()
    } else {
        s.to_string()
    }
}

/// A coded value in words where the field holds a code (a category, a
/// phase, a status); else the value as written.
fn value_words(field: &str, code: &str) -> String {
    use crate::domain::{calendar::Phase, receipt};
    let key = match field {
        "category" => receipt::Category::parse(code).map(|c| c.label_key()),
        "phase" => Phase::parse(code).map(|p| p.label_key()),
        "state" => receipt::Confirm::parse(code).map(|c| c.label_key()),
        "via" => receipt::Via::parse(code).map(|c| c.label_key()),
        _ => None,
    };
    match key {
        Some(k) => tr(k).to_string(),
        None if matches!(field, "status" | "kind" | "role" | "action" | "by") => {
            let key = format!("audit.value_{code}");
            let s = tr(&key);
            if s == key {
                code.to_string()
            } else {
                s.to_string()
            }
        }
        None => code.to_string(),
    }
}

/// One value as a person reads it: dates in ROC form, lists joined, codes
/// in words, nothing as "—".
pub fn value_text(field: &str, v: &Value) -> String {
    match v {
        Value::Null => tr("audit.none").to_string(),
        Value::Bool(b) => tr(if *b { "audit.yes" } else { "audit.no" }).to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) if s.is_empty() => tr("audit.none").to_string(),
        Value::String(s) => match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            Ok(d) => format_roc(d),
            Err(_) => value_words(field, s),
        },
        Value::Array(a) if a.is_empty() => tr("audit.none").to_string(),
        Value::Array(a) => a
            .iter()
            .map(|x| value_text(field, x))
            .collect::<Vec<_>>()
            .join(tr("list.sep")),
        Value::Object(_) => v.to_string(),
    }
}

/// One field of a change: its name in words and the value before and after
/// (None: the record had no such value on that side — a new or deleted one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

impl FieldChange {
    /// "開始日期：115.02.11 → 115.02.12".
    pub fn line(&self) -> String {
        let none = tr("audit.none");
        match (&self.before, &self.after) {
            (Some(b), Some(a)) => trf(
                "audit.change",
                &[
                    ("field", self.field.clone()),
                    ("before", b.clone()),
                    ("after", a.clone()),
                ],
            ),
            (None, Some(a)) => trf(
                "audit.value",
                &[("field", self.field.clone()), ("value", a.clone())],
            ),
            (Some(b), None) => trf(
                "audit.value",
                &[("field", self.field.clone()), ("value", b.clone())],
            ),
            (None, None) => trf(
                "audit.value",
                &[("field", self.field.clone()), ("value", none.to_string())],
            ),
        }
    }
}

/// The fields that changed: for an update each field whose value differs
/// (a field only the "after" side names is shown as set); for an insert
/// the values given; for a delete the values it had. Fields come in the
/// order of their code names (the JSON as parsed keeps no other).
pub fn changes(before: Option<&str>, after: Option<&str>) -> Vec<FieldChange> {
    changes_with(before, after, &|_, _| None)
}

/// Bookkeeping every row carries: not a change anyone made.
const SKIPPED: [&str; 5] = ["id", "meta", "version", "updated_at", "updated_by"];

/// [`changes`], with `resolve` naming what an id field points at (a
/// staff id → the person's name), where the caller knows.
pub fn changes_with(
    before: Option<&str>,
    after: Option<&str>,
    resolve: &dyn Fn(&str, &Value) -> Option<String>,
) -> Vec<FieldChange> {
    let strip = |mut v: Value| {
        if let Value::Object(o) = &mut v {
            o.retain(|k, _| !SKIPPED.contains(&k.as_str()));
        }
        v
    };
    let b = strip(parse(before));
    let a = strip(parse(after));
    let value_text = |k: &str, v: &Value| resolve(k, v).unwrap_or_else(|| value_text(k, v));
    let mut out = Vec::new();
    match (&b, &a) {
        (Value::Object(bo), Value::Object(ao)) => {
            for (k, av) in ao {
                match bo.get(k) {
                    Some(bv) if bv == av => {}
                    Some(bv) => out.push(FieldChange {
                        field: field_words(k),
                        before: Some(value_text(k, bv)),
                        after: Some(value_text(k, av)),
                    }),
                    None => out.push(FieldChange {
                        field: field_words(k),
                        before: None,
                        after: Some(value_text(k, av)),
                    }),
                }
            }
            for (k, bv) in bo {
                if !ao.contains_key(k) {
                    out.push(FieldChange {
                        field: field_words(k),
                        before: Some(value_text(k, bv)),
                        after: None,
                    });
                }
            }
        }
        (Value::Null, Value::Object(ao)) => {
            for (k, av) in ao {
                if is_blank(av) {
                    continue;
                }
                out.push(FieldChange {
                    field: field_words(k),
                    before: None,
                    after: Some(value_text(k, av)),
                });
            }
        }
        (Value::Object(bo), Value::Null) => {
            for (k, bv) in bo {
                if is_blank(bv) {
                    continue;
                }
                out.push(FieldChange {
                    field: field_words(k),
                    before: Some(value_text(k, bv)),
                    after: None,
                });
            }
        }
        _ => {}
    }
    out
}

fn is_blank(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

/// The import ids a receipt import's summary row names (`"imports":[…]`),
/// so that its archived lines can be shown.
pub fn import_ids(tbl: &str, after: Option<&str>) -> Vec<i64> {
    if tbl != "receipt_line" {
        return Vec::new();
    }
    parse(after)
        .get("imports")
        .and_then(|v| v.as_array())
        .map(|a| a.iter().filter_map(|x| x.as_i64()).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, set_lang};

    #[test]
    fn a_discrepancy_is_named_in_words_with_its_student_and_category() {
        set_lang(Lang::ZhTw);
        let after = r#"{"student_id":7,"category":"course_records","status":"reported"}"#;
        assert_eq!(
            record_label(
                "discrepancy",
                35,
                None,
                Some(after),
                Some("周語彤 修課紀錄")
            ),
            "疑義 #35 周語彤 修課紀錄"
        );
        // Gone from the database: the row's own JSON still says the category.
        assert_eq!(
            record_label("discrepancy", 35, Some(after), None, None),
            "疑義 #35 修課紀錄"
        );
        set_lang(Lang::En);
        assert_eq!(
            record_label(
                "discrepancy",
                35,
                None,
                Some(after),
                Some("周語彤 course records")
            ),
            "discrepancy #35 周語彤 course records"
        );
    }

    #[test]
    fn a_calendar_window_is_a_schedule_entry_not_the_school() {
        set_lang(Lang::ZhTw);
        let ev = r#"{"term":"115-2","title":"學生上傳課程學習成果","phase":"upload"}"#;
        assert_eq!(
            describe("event", 12, "insert", None, Some(ev), None),
            "新增 期程 #12 學生上傳課程學習成果"
        );
        assert_eq!(
            describe("term", 3, "insert", None, Some(r#"{"term":"115-1"}"#), None),
            "新增 學期 #3 115-1"
        );
        assert_eq!(Kind::of("event"), Kind::Calendar);
        assert_eq!(Kind::of("event").screen(), Some(1));
    }

    #[test]
    fn an_update_lists_only_the_changed_fields_in_words_with_roc_dates() {
        set_lang(Lang::ZhTw);
        let b =
            r#"{"title":"上傳","starts_on":"2026-02-11","ends_on":"2026-02-20","phase":"upload"}"#;
        let a =
            r#"{"title":"上傳","starts_on":"2026-02-12","ends_on":"2026-02-20","phase":"certify"}"#;
        let c = changes(Some(b), Some(a));
        let lines: Vec<String> = c.iter().map(FieldChange::line).collect();
        assert_eq!(
            lines,
            vec![
                "作業階段：上傳 → 認證".to_string(),
                "開始日期：115.02.11 → 115.02.12".to_string(),
            ]
        );
        set_lang(Lang::En);
        let lines: Vec<String> = changes(Some(b), Some(a))
            .iter()
            .map(FieldChange::line)
            .collect();
        assert_eq!(lines[1], "start: 115.02.11 → 115.02.12");
    }

    #[test]
    fn inserts_and_deletes_list_the_values_and_skip_blanks() {
        set_lang(Lang::ZhTw);
        let c = changes(
            None,
            Some(r#"{"name":"王小明","email":"","positions":["註冊組長","教師"]}"#),
        );
        let lines: Vec<String> = c.iter().map(FieldChange::line).collect();
        assert_eq!(lines, vec!["姓名：王小明", "職稱：註冊組長、教師"]);
        // Bookkeeping is no change anyone made.
        let c = changes(
            Some(r#"{"name":"王","meta":{"version":1},"version":1}"#),
            Some(r#"{"name":"李","meta":{"version":2},"version":2}"#),
        );
        assert_eq!(c.len(), 1);
        let c = changes(Some(r#"{"done_on":"2026-11-25"}"#), None);
        assert_eq!(c[0].line(), "完成日期：115.11.25");
    }

    #[test]
    fn kinds_and_tables_are_accepted_by_code_name() {
        assert_eq!(
            tables_for("delegate"),
            Some(vec!["delegate_table", "delegate", "absence"])
        );
        assert_eq!(tables_for("discrepancy"), Some(vec!["discrepancy"]));
        assert_eq!(tables_for("nonsense"), None);
        assert_eq!(
            import_ids("receipt_line", Some(r#"{"imports":[4,5]}"#)),
            vec![4, 5]
        );
    }
}
