//! Submission checklists, their items and saved templates.

use crate::domain::access::Action;
use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Row, params};
use serde_json::json;

use super::{DateCol, Result, Store, StoreError, Writer, stored_date_opt};
use crate::domain::calendar::Grades;
use std::collections::BTreeMap;

use crate::domain::checklist::{
    CheckInput, Checklist, Finding, Item, Status, Template, check, shift_window,
};
use crate::domain::committee::RowMeta;

#[derive(Debug, Clone, PartialEq)]
pub struct ChecklistRec {
    pub list: Checklist,
    pub meta: RowMeta,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ItemRec {
    pub item: Item,
    pub meta: RowMeta,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TemplateRec {
    pub id: i64,
    pub template: Template,
    pub meta: RowMeta,
}

pub(super) const ITEM_COLS: &str =
    "id, checklist_id, position, section, title, units, windows, event_id,
    status, done_on, done_by, note, version, updated_at, updated_by";

pub(super) fn item_from_row(r: &Row<'_>) -> rusqlite::Result<ItemRec> {
    let units: String = r.get(5)?;
    let windows: String = r.get(6)?;
    Ok(ItemRec {
        item: Item {
            id: r.get(0)?,
            checklist_id: r.get(1)?,
            position: r.get(2)?,
            section: r.get(3)?,
            title: r.get(4)?,
            units: serde_json::from_str(&units).unwrap_or_default(),
            windows: serde_json::from_str(&windows).unwrap_or_default(),
            event_id: r.get(7)?,
            status: Status::parse(&r.get::<_, String>(8)?).unwrap_or(Status::NotStarted),
            done_on: stored_date_opt(
                r,
                9,
                DateCol {
                    table: "checklist_item",
                    column: "done_on",
                    id_at: 0,
                },
            )?,
            done_by: r.get(10)?,
            note: r.get(11)?,
        },
        meta: RowMeta {
            version: r.get(12)?,
            updated_at: r.get(13)?,
            updated_by: r.get(14)?,
        },
    })
}

fn item_json(i: &Item) -> serde_json::Value {
    json!({
        "title": i.title, "section": i.section, "units": i.units, "windows": i.windows,
        "event_id": i.event_id, "status": i.status.code(),
        "done_on": i.done_on.map(|d| d.to_string()), "done_by": i.done_by, "note": i.note,
    })
}

impl Writer<'_> {
    fn insert_checklist(&self, c: &Checklist) -> Result<i64> {
        let exists: Option<i64> = self
            .tx
            .query_row(
                "SELECT id FROM checklist WHERE year = ?1 AND grades = ?2",
                params![c.year, c.group.bits() as i64],
                |r| r.get(0),
            )
            .optional()?;
        if exists.is_some() {
            return Err(StoreError::Refused {
                key: "checklist.err_exists",
                args: vec![("year", c.year.to_string()), ("title", c.title.clone())],
            });
        }
        self.tx.execute(
            "INSERT INTO checklist (year, grades, title, updated_at, updated_by)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![c.year, c.group.bits() as i64, c.title, self.at, self.user],
        )?;
        let id = self.tx.last_insert_rowid();
        self.audit(
            "checklist",
            id,
            "insert",
            None::<&()>,
            Some(&json!({ "year": c.year, "title": c.title })),
        )?;
        Ok(id)
    }

    fn insert_item(&self, checklist_id: i64, i: &Item) -> Result<i64> {
        if i.title.trim().is_empty() {
            return Err(StoreError::Refused {
                key: "checklist.err_empty_title",
                args: vec![],
            });
        }
        self.tx.execute(
            "INSERT INTO checklist_item (checklist_id, position, section, title, units, windows,
                 event_id, status, done_on, done_by, note, updated_at, updated_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            params![
                checklist_id,
                i.position,
                i.section,
                i.title.trim(),
                serde_json::to_string(&i.units).unwrap_or_else(|_| "[]".into()),
                serde_json::to_string(&i.windows).unwrap_or_else(|_| "[]".into()),
                i.event_id,
                i.status.code(),
                i.done_on.map(|d| d.to_string()),
                i.done_by,
                i.note,
                self.at,
                self.user
            ],
        )?;
        let id = self.tx.last_insert_rowid();
        self.audit(
            "checklist_item",
            id,
            "insert",
            None::<&()>,
            Some(&item_json(i)),
        )?;
        Ok(id)
    }

    fn load_item(&self, id: i64) -> Result<ItemRec> {
        self.tx
            .query_row(
                &format!("SELECT {ITEM_COLS} FROM checklist_item WHERE id = ?1"),
                [id],
                item_from_row,
            )
            .optional()?
            .ok_or(StoreError::NotFound {
                what: "what.checklist_item",
                id,
            })
    }
}

/// The checklist check's result with what it refers to.
#[derive(Debug, Clone, PartialEq)]
pub struct ChecklistReport {
    pub findings: Vec<Finding>,
    pub items: Vec<Item>,
    pub lists: Vec<Checklist>,
}

impl Store {
    /// Runs the checklist check over `year`'s checklists (every year when
    /// `None`) against the calendar and the staff directory.
    pub fn check_checklists(&self, year: Option<i32>, today: NaiveDate) -> Result<ChecklistReport> {
        let lists: Vec<Checklist> = self
            .checklists()?
            .into_iter()
            .map(|c| c.list)
            .filter(|c| year.is_none_or(|y| c.year == y))
            .collect();
        let mut items = Vec::new();
        for c in &lists {
            items.extend(self.checklist_items(c.id)?.into_iter().map(|r| r.item));
        }
        let events: BTreeMap<i64, (NaiveDate, NaiveDate)> = self
            .events()?
            .into_iter()
            .map(|e| {
                let changed = NaiveDate::parse_from_str(
                    e.meta.updated_at.get(..10).unwrap_or(""),
                    "%Y-%m-%d",
                )
                .unwrap_or(e.event.span.end);
                (e.event.id, (e.event.span.end, changed))
            })
            .collect();
        let positions: Vec<String> = self
            .list_staff()?
            .into_iter()
            .filter(|s| s.is_active())
            .flat_map(|s| s.positions)
            .collect();
        let findings = check(&CheckInput {
            items: &items,
            events: &events,
            positions: &positions,
            today,
        });
        Ok(ChecklistReport {
            findings,
            items,
            lists,
        })
    }

    /// Every checklist, by year then grade group.
    pub fn checklists(&self) -> Result<Vec<ChecklistRec>> {
        let mut st = self.conn.prepare_cached(
            "SELECT id, year, grades, title, version, updated_at, updated_by FROM checklist
             ORDER BY year, grades",
        )?;
        let rows = st.query_map([], |r| {
            Ok(ChecklistRec {
                list: Checklist {
                    id: r.get(0)?,
                    year: r.get(1)?,
                    group: Grades::from_bits(r.get::<_, i64>(2)? as u8),
                    title: r.get(3)?,
                },
                meta: RowMeta {
                    version: r.get(4)?,
                    updated_at: r.get(5)?,
                    updated_by: r.get(6)?,
                },
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The items of one checklist, in order.
    pub fn checklist_items(&self, checklist_id: i64) -> Result<Vec<ItemRec>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {ITEM_COLS} FROM checklist_item WHERE checklist_id = ?1 ORDER BY position, id"
        ))?;
        let rows = st.query_map([checklist_id], item_from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Every item of every checklist of academic year `year`.
    pub fn checklist_items_of_year(&self, year: i32) -> Result<Vec<ItemRec>> {
        let mut out = Vec::new();
        for c in self.checklists()? {
            if c.list.year == year {
                out.extend(self.checklist_items(c.list.id)?);
            }
        }
        Ok(out)
    }

    pub fn checklist_item(&self, id: i64) -> Result<ItemRec> {
        self.conn
            .query_row(
                &format!("SELECT {ITEM_COLS} FROM checklist_item WHERE id = ?1"),
                [id],
                item_from_row,
            )
            .optional()?
            .ok_or(StoreError::NotFound {
                what: "what.checklist_item",
                id,
            })
    }

    /// Creates the template's checklists for `year` in one transaction;
    /// refused (nothing created) when the year already has one of them.
    pub fn create_checklists(&mut self, template: &Template, year: i32) -> Result<Vec<i64>> {
        let lists = template.instantiate(year);
        self.write(Action::EditChecklist, |w| {
            w.check_checklist_open(year)?;
            let mut ids = Vec::new();
            for (c, items) in &lists {
                let id = w.insert_checklist(c)?;
                for i in items {
                    w.insert_item(id, i)?;
                }
                ids.push(id);
            }
            Ok(ids)
        })
    }

    /// Adds an item at the end of its checklist.
    pub fn add_checklist_item(&mut self, checklist_id: i64, item: &Item) -> Result<i64> {
        self.write(Action::EditChecklist, |w| {
            w.check_checklist_open_id(checklist_id)?;
            let next: i64 = w.tx.query_row(
                "SELECT coalesce(max(position), 0) + 1 FROM checklist_item WHERE checklist_id = ?1",
                [checklist_id],
                |r| r.get(0),
            )?;
            let mut i = item.clone();
            i.position = next;
            w.insert_item(checklist_id, &i)
        })
    }

    /// Saves everything about an item but its place (section, title, units,
    /// windows, link, status, done date/by, note).
    pub fn update_checklist_item(&mut self, id: i64, expected: i64, item: &Item) -> Result<()> {
        self.write(Action::EditChecklist, |w| {
            w.check_item_open(id)?;
            w.check_version("checklist_item", id, expected)?;
            if item.title.trim().is_empty() {
                return Err(StoreError::Refused {
                    key: "checklist.err_empty_title",
                    args: vec![],
                });
            }
            let before = w.load_item(id)?;
            w.tx.execute(
                "UPDATE checklist_item SET section = ?2, title = ?3, units = ?4, windows = ?5,
                     event_id = ?6, status = ?7, done_on = ?8, done_by = ?9, note = ?10,
                     version = version + 1, updated_at = ?11, updated_by = ?12
                 WHERE id = ?1",
                params![
                    id,
                    item.section,
                    item.title.trim(),
                    serde_json::to_string(&item.units).unwrap_or_else(|_| "[]".into()),
                    serde_json::to_string(&item.windows).unwrap_or_else(|_| "[]".into()),
                    item.event_id,
                    item.status.code(),
                    item.done_on.map(|d| d.to_string()),
                    item.done_by,
                    item.note,
                    w.at,
                    w.user
                ],
            )?;
            w.audit(
                "checklist_item",
                id,
                "update",
                Some(&item_json(&before.item)),
                Some(&item_json(item)),
            )
        })
    }

    /// Sets the status; `Done` records `today` and the OS user, anything
    /// else clears them.
    pub fn set_item_status(
        &mut self,
        id: i64,
        expected: i64,
        status: Status,
        today: NaiveDate,
    ) -> Result<()> {
        let user = self.user().to_string();
        let mut item = self.checklist_item(id)?.item;
        item.status = status;
        if status == Status::Done {
            item.done_on = Some(today);
            item.done_by = Some(user);
        } else {
            item.done_on = None;
            item.done_by = None;
        }
        self.update_checklist_item(id, expected, &item)
    }

    pub fn delete_checklist_item(&mut self, id: i64, expected: i64) -> Result<()> {
        self.write(Action::EditChecklist, |w| {
            w.check_item_open(id)?;
            w.check_version("checklist_item", id, expected)?;
            let before = w.load_item(id)?;
            w.tx.execute("DELETE FROM checklist_item WHERE id = ?1", [id])?;
            w.audit(
                "checklist_item",
                id,
                "delete",
                Some(&item_json(&before.item)),
                None::<&()>,
            )
        })
    }

    /// Copies a checklist to the next academic year: dates one year later,
    /// statuses fresh, calendar links dropped. Refused when that year has it.
    pub fn copy_checklist_forward(&mut self, checklist_id: i64) -> Result<i64> {
        let src = self
            .checklists()?
            .into_iter()
            .find(|c| c.list.id == checklist_id)
            .ok_or(StoreError::NotFound {
                what: "what.checklist",
                id: checklist_id,
            })?;
        let items = self.checklist_items(checklist_id)?;
        self.write(Action::EditChecklist, |w| {
            let mut c = src.list.clone();
            c.year += 1;
            w.check_checklist_open(c.year)?;
            let id = w.insert_checklist(&c)?;
            for rec in &items {
                let mut i = rec.item.clone();
                i.windows = i.windows.iter().map(|x| shift_window(x, 1)).collect();
                i.status = Status::NotStarted;
                i.done_on = None;
                i.done_by = None;
                i.event_id = None;
                w.insert_item(id, &i)?;
            }
            Ok(id)
        })
    }

    /// Saves the checklists of `year` as a named template.
    pub fn save_checklist_template(&mut self, name: &str, year: i32) -> Result<i64> {
        let mut lists = Vec::new();
        for c in self.checklists()? {
            if c.list.year == year {
                let items = self
                    .checklist_items(c.list.id)?
                    .into_iter()
                    .map(|r| r.item)
                    .collect();
                lists.push((c.list, items));
            }
        }
        let t = Template::from_checklists(name, name, year, &lists);
        self.write(Action::EditChecklist, |w| {
            let exists: Option<i64> =
                w.tx.query_row(
                    "SELECT id FROM checklist_template WHERE name = ?1",
                    [name.trim()],
                    |r| r.get(0),
                )
                .optional()?;
            if exists.is_some() || name.trim().is_empty() {
                return Err(StoreError::Refused {
                    key: "checklist.err_template_name",
                    args: vec![("name", name.to_string())],
                });
            }
            w.tx.execute(
                "INSERT INTO checklist_template (name, body, updated_at, updated_by)
                 VALUES (?1, ?2, ?3, ?4)",
                params![name.trim(), t.to_toml(), w.at, w.user],
            )?;
            let id = w.tx.last_insert_rowid();
            w.audit(
                "checklist_template",
                id,
                "insert",
                None::<&()>,
                Some(&json!({ "name": name, "year": year })),
            )?;
            Ok(id)
        })
    }

    /// The built-in templates, then the saved ones.
    pub fn checklist_templates(&self) -> Result<Vec<Template>> {
        let mut out = Template::builtin();
        let mut st = self
            .conn
            .prepare_cached("SELECT body FROM checklist_template ORDER BY id")?;
        let rows = st.query_map([], |r| r.get::<_, String>(0))?;
        for body in rows {
            if let Ok(t) = Template::from_toml(&body?) {
                out.push(t);
            }
        }
        Ok(out)
    }
}
