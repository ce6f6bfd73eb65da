//! An audit row as the audit screen, `portfolio-desk audit` and the
//! dashboard's 最近異動 show it: when, who (login and staff name), what
//! (the record in words) and the fields that changed. The one wording for
//! all three.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::domain::audit::{self, FieldChange, Kind};
use crate::domain::receipt::thousands;
use crate::i18n::{tr, trf};
use crate::store::{AuditRow, Store, short_time};
use crate::ui::dates;

/// One audit row in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Described {
    pub id: i64,
    /// "115.11.25 09:30".
    pub when: String,
    pub login: String,
    /// The staff name of the login, when the directory links one.
    pub staff: Option<String>,
    /// "新增 疑義 #35 周語彤 修課紀錄".
    pub what: String,
    /// "疑義 #35 周語彤 修課紀錄".
    pub record: String,
    pub action: String,
    pub changes: Vec<String>,
    /// The record still exists (Enter can go to it).
    pub exists: bool,
    pub kind: Kind,
}

impl Described {
    /// "registry（王小明）" or the login alone.
    pub fn who(&self) -> String {
        match &self.staff {
            Some(n) => trf(
                "audit.who_named",
                &[("login", self.login.clone()), ("name", n.clone())],
            ),
            None => self.login.clone(),
        }
    }
}

/// "2026-11-25T09:30:12+08:00" → "115.11.25 09:30" (the date as set).
pub fn when(ts: &str) -> String {
    let short = short_time(ts);
    match short.split_once(' ').and_then(|(d, t)| {
        NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .ok()
            .map(|d| (d, t))
    }) {
        Some((d, t)) => format!("{} {t}", dates::day(d)),
        None => short,
    }
}

/// Caches what is looked up per login while describing many rows.
#[derive(Default)]
pub struct Names {
    staff: HashMap<String, Option<String>>,
}

impl Names {
    pub fn staff(&mut self, store: &Store, login: &str) -> Option<String> {
        self.staff
            .entry(login.to_string())
            .or_insert_with(|| store.staff_name_for_login(login))
            .clone()
    }
}

/// An audit row in words. `lines`: at most this many changed fields or
/// import lines are listed (then "N more"); 0 lists none.
pub fn describe(store: &Store, a: &AuditRow, names: &mut Names, lines: usize) -> Described {
    let now = store.record_now(&a.tbl, a.row_id).unwrap_or_default();
    let before = a.before_json.as_deref();
    let after = a.after_json.as_deref();
    let record = audit::record_label(&a.tbl, a.row_id, before, after, now.name.as_deref());
    let what = format!("{} {}", audit::action_word(&a.action), record);
    let mut changes: Vec<String> = Vec::new();
    let imports = audit::import_ids(&a.tbl, after);
    if lines == 0 {
        // The one-line uses (the dashboard) need no fields.
    } else if imports.is_empty() {
        let resolve = |field: &str, v: &serde_json::Value| -> Option<String> {
            let id = v.as_i64()?;
            match field {
                "staff_id" | "teacher_id" => store.get_staff(id).ok().map(|s| s.name),
                _ => None,
            }
        };
        let all: Vec<FieldChange> = audit::changes_with(before, after, &resolve);
        changes.extend(all.iter().take(lines).map(FieldChange::line));
        if all.len() > lines {
            changes.push(trf("audit.more", &[("n", thousands(all.len() - lines))]));
        }
    } else {
        // A receipt import: its summary, then each changed or removed
        // line's old and new values from the import's archive.
        changes.extend(audit::changes(None, after).iter().map(FieldChange::line));
        let mut archived = Vec::new();
        for id in imports {
            archived.extend(store.import_archive(id).unwrap_or_default());
        }
        for l in archived.iter().take(lines) {
            let args = vec![
                ("no", l.student_no.clone()),
                ("category", tr(l.category.label_key()).to_string()),
                ("item", l.item.clone()),
                ("old", l.old_count.to_string()),
                (
                    "new",
                    l.new_count
                        .map(|n| n.to_string())
                        .unwrap_or_else(|| tr("audit.none").to_string()),
                ),
            ];
            changes.push(trf(
                if l.removed {
                    "audit.line_removed"
                } else {
                    "audit.line_changed"
                },
                &args,
            ));
        }
        if archived.len() > lines {
            changes.push(trf(
                "audit.more",
                &[("n", thousands(archived.len() - lines))],
            ));
        }
    }
    Described {
        id: a.id,
        when: when(&a.at),
        login: a.os_user.clone(),
        staff: names.staff(store, &a.os_user),
        what,
        record,
        action: audit::action_word(&a.action).to_string(),
        changes,
        exists: now.exists,
        kind: Kind::of(&a.tbl),
    }
}
