//! 檢核: the submission checklists (執行檢核表) of an academic year, one
//! grade group at a time. The item table (status with marks for overdue and
//! for due within the school's lead time, title, section, units, due date;
//! more columns on wider terminals) sits above a progress pane: gauges per
//! section and per working unit, or (`v`) a bar chart of open items by
//! unit. `x` ticks an item done (today, by the OS user), `s` cycles its
//! status, `e` edits, `n` adds, `d` deletes, `/` filters (unit, section,
//! status, title words; 逾期/overdue selects the overdue), `o` sorts by due
//! date, `m` shows only the signed-in user's units. `[`/`]` change the
//! year, `{`/`}` the checklist; `C` copies the checklist forward a year,
//! `T` saves the year as a template, `N` creates the year from one. The
//! rules live in `domain::checklist`.

mod draw;
mod form;

use std::cell::Cell;
use std::collections::BTreeMap;

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;

use super::{Ctx, Intent, Popup, PopupResult, Screen, View};
use crate::domain::checklist::{
    Item, Status, Tally, Template, by_section, by_unit, holds, tally, unit_key,
};
use crate::domain::roc::academic_year_of;
use crate::i18n::{Localized, tr, trf};
use crate::store::{ChecklistRec, ItemRec, Store, StoreError};
use crate::ui::confirm::Confirm;
use crate::ui::filter::Filter;
use crate::ui::keys::{Action, NAV};
use crate::ui::picker::{PickItem, Picker};

/// What the progress pane shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    /// Gauges per section and per unit.
    Gauges,
    /// A bar chart of open items by unit.
    Chart,
}

/// What the screen knows about an item beyond the item itself.
#[derive(Debug, Clone)]
pub(crate) struct RowInfo {
    pub due: Option<NaiveDate>,
    pub overdue: bool,
    /// Due within the school's lead days.
    pub lead: bool,
    /// Lower-cased text the filter searches.
    pub hay: String,
}

/// The signed-in user's staff record, for "my items".
#[derive(Debug, Clone)]
pub(crate) struct Me {
    pub name: String,
    pub positions: Vec<String>,
}

/// A calendar window an item can follow.
#[derive(Debug, Clone)]
pub(crate) struct EventInfo {
    pub title: String,
    pub end: NaiveDate,
    pub year: i32,
    pub dates: String,
}

pub struct Checklists {
    today: NaiveDate,
    has_school: bool,
    lead_days: Option<u32>,
    /// Academic years whose checklists are closed (結案).
    closed_years: Vec<i32>,
    /// Every checklist (all years).
    lists: Vec<ChecklistRec>,
    /// The academic year shown.
    pub year: i32,
    /// The checklist shown (id), if the year has one.
    pub list_id: Option<i64>,
    items: Vec<ItemRec>,
    info: Vec<RowInfo>,
    events: BTreeMap<i64, EventInfo>,
    /// Indices into `items` of the rows shown, in the shown order.
    rows: Vec<usize>,
    /// Index into `rows`.
    sel: usize,
    filter: Filter,
    pub sort_due: bool,
    mine: Option<Me>,
    pub pane: Pane,
    overall: Tally,
    sections: Vec<(String, Tally)>,
    units: Vec<(String, Tally)>,
    templates: Vec<Template>,
    /// The item to select after the next reload (just saved).
    want: Option<i64>,
    error: Option<String>,
    offset: Cell<usize>,
    page: Cell<usize>,
}

impl Checklists {
    pub fn new(today: NaiveDate) -> Checklists {
        Checklists {
            today,
            has_school: false,
            lead_days: None,
            closed_years: Vec::new(),
            lists: Vec::new(),
            year: academic_year_of(today),
            list_id: None,
            items: Vec::new(),
            info: Vec::new(),
            events: BTreeMap::new(),
            rows: Vec::new(),
            sel: 0,
            filter: Filter::default(),
            sort_due: false,
            mine: None,
            pane: Pane::Gauges,
            overall: Tally::default(),
            sections: Vec::new(),
            units: Vec::new(),
            templates: Vec::new(),
            want: None,
            error: None,
            offset: Cell::new(0),
            page: Cell::new(10),
        }
    }

    // ------------------------------------------------------------ data

    /// The checklists of the shown year.
    fn year_lists(&self) -> Vec<&ChecklistRec> {
        self.lists
            .iter()
            .filter(|c| c.list.year == self.year)
            .collect()
    }

    pub(crate) fn current(&self) -> Option<&ChecklistRec> {
        let id = self.list_id?;
        self.lists.iter().find(|c| c.list.id == id)
    }

    /// The selected item.
    pub(crate) fn selected(&self) -> Option<&ItemRec> {
        self.rows.get(self.sel).and_then(|&i| self.items.get(i))
    }

    fn selected_id(&self) -> Option<i64> {
        self.selected().map(|r| r.item.id)
    }

    fn linked_end(&self, item: &Item) -> Option<NaiveDate> {
        item.event_id
            .and_then(|e| self.events.get(&e))
            .map(|e| e.end)
    }

    /// Reads the shown checklist's items and what follows from them.
    fn load_items(&mut self, store: &Store) {
        // Keep the shown checklist when it is still this year's.
        let keep = self.want.take().or_else(|| self.selected_id());
        self.rows.clear();
        let ids: Vec<i64> = self.year_lists().iter().map(|c| c.list.id).collect();
        if !self.list_id.is_some_and(|id| ids.contains(&id)) {
            self.list_id = ids.first().copied();
        }
        self.items = match self.list_id {
            Some(id) => match store.checklist_items(id) {
                Ok(v) => v,
                Err(e) => {
                    self.error = Some(e.message());
                    Vec::new()
                }
            },
            None => Vec::new(),
        };
        self.recompute();
        if let Some(id) = keep {
            self.select_id(id);
        }
    }

    /// Due dates, marks, search text and progress of the loaded items.
    fn recompute(&mut self) {
        let (today, lead) = (self.today, self.lead_days);
        self.info = self
            .items
            .iter()
            .map(|r| {
                let i = &r.item;
                let due = i.due(self.linked_end(i));
                let overdue = i.overdue(due, today);
                RowInfo {
                    due,
                    overdue,
                    lead: !overdue && i.within_lead(due, today, lead),
                    hay: haystack(i),
                }
            })
            .collect();
        let refs: Vec<&Item> = self.items.iter().map(|r| &r.item).collect();
        self.overall = tally(&refs);
        self.sections = by_section(&refs);
        self.units = by_unit(&refs);
        self.refilter();
    }

    /// The rows the filter and "my items" let through, in the shown order.
    fn refilter(&mut self) {
        let keep = self.selected_id();
        let words: Vec<String> = self
            .filter
            .text
            .to_lowercase()
            .split_whitespace()
            .map(str::to_string)
            .collect();
        let mut rows: Vec<usize> = (0..self.items.len())
            .filter(|&i| self.mine_holds(&self.items[i].item))
            .filter(|&i| {
                words
                    .iter()
                    .all(|w| word_matches(w, &self.items[i].item, &self.info[i]))
            })
            .collect();
        if self.sort_due {
            // Undated last; the table order breaks ties.
            rows.sort_by_key(|&i| (self.info[i].due.is_none(), self.info[i].due));
        }
        self.rows = rows;
        self.sel = keep
            .and_then(|id| self.rows.iter().position(|&i| self.items[i].item.id == id))
            .unwrap_or_else(|| self.sel.min(self.rows.len().saturating_sub(1)));
    }

    fn mine_holds(&self, item: &Item) -> bool {
        match &self.mine {
            None => true,
            Some(me) => item
                .units
                .iter()
                .any(|u| me.positions.iter().any(|p| holds(p, u))),
        }
    }

    fn select_id(&mut self, id: i64) {
        if let Some(p) = self.rows.iter().position(|&i| self.items[i].item.id == id) {
            self.sel = p;
        }
    }

    fn move_sel(&mut self, delta: isize) {
        let n = self.rows.len();
        self.sel = (self.sel as isize + delta).clamp(0, n.saturating_sub(1) as isize) as usize;
    }

    /// Years one can go to: those with checklists and this one, one beyond
    /// either end (to start a new year from a template).
    fn year_bounds(&self) -> (i32, i32) {
        let this = academic_year_of(self.today);
        let lo = self.lists.iter().map(|c| c.list.year).min().unwrap_or(this);
        let hi = self.lists.iter().map(|c| c.list.year).max().unwrap_or(this);
        (
            lo.min(this).min(self.year) - 1,
            hi.max(this).max(self.year) + 1,
        )
    }

    fn switch_year(&mut self, year: i32, store: &Store) {
        self.year = year;
        self.list_id = None;
        self.sel = 0;
        self.offset.set(0);
        self.load_items(store);
    }

    fn switch_list(&mut self, delta: isize, ctx: &mut Ctx) {
        let ids: Vec<i64> = self.year_lists().iter().map(|c| c.list.id).collect();
        if ids.len() < 2 {
            ctx.info(trf(
                "ckscreen.only_list",
                &[("year", self.year.to_string())],
            ));
            return;
        }
        let at = self
            .list_id
            .and_then(|id| ids.iter().position(|&x| x == id))
            .unwrap_or(0) as isize;
        let n = ids.len() as isize;
        self.list_id = Some(ids[(at + delta).rem_euclid(n) as usize]);
        self.sel = 0;
        self.offset.set(0);
        self.load_items(ctx.store);
    }

    // ------------------------------------------------------------ writes

    fn after_write(&mut self, ctx: &mut Ctx, r: Result<String, StoreError>) {
        match r {
            Ok(msg) => ctx.info(msg),
            Err(e) => ctx.store_error(&e),
        }
        ctx.changed = true;
    }

    /// `x`: done today by the OS user; again: back to in progress (or not
    /// started when its window has not opened) — after asking, since that
    /// undoes what someone recorded.
    fn toggle_done(&mut self, ctx: &mut Ctx) -> Option<Popup> {
        let rec = self.selected()?;
        let status = if rec.item.status == Status::Done {
            if rec.item.opens().is_some_and(|o| o <= ctx.today) {
                Status::InProgress
            } else {
                Status::NotStarted
            }
        } else {
            Status::Done
        };
        self.set_status(status, ctx)
    }

    /// `s`: the next status (from done, after asking).
    fn cycle_status(&mut self, ctx: &mut Ctx) -> Option<Popup> {
        let status = self.selected()?.item.status.next();
        self.set_status(status, ctx)
    }

    /// Moves the selected item to `status` with the version the screen
    /// shows (a colleague's change in between is refused, naming them).
    /// Taking an item out of done first asks, naming who marked it and when.
    fn set_status(&mut self, status: Status, ctx: &mut Ctx) -> Option<Popup> {
        let rec = self.selected()?;
        let (id, version) = (rec.item.id, rec.meta.version);
        if rec.item.status == Status::Done && status != Status::Done {
            return Some(undo_done_confirm(rec, status));
        }
        self.write_status(id, version, status, ctx);
        None
    }

    fn write_status(&mut self, id: i64, version: i64, status: Status, ctx: &mut Ctx) {
        let title = self
            .items
            .iter()
            .find(|r| r.item.id == id)
            .map(|r| r.item.title.clone())
            .unwrap_or_default();
        let r = ctx
            .store
            .set_item_status(id, version, status, ctx.today)
            .map(|_| status_message(&title, status));
        self.after_write(ctx, r);
    }

    fn toggle_mine(&mut self, ctx: &mut Ctx) {
        if self.mine.is_some() {
            self.mine = None;
            self.refilter();
            return;
        }
        let user = ctx.store.user().to_string();
        // The staff record an administrator linked to this login.
        let me = match ctx.store.my_staff() {
            Ok(s) => s,
            Err(e) => {
                ctx.store_error(&e);
                return;
            }
        };
        match me {
            Some(s) => {
                let units: Vec<String> = self
                    .units
                    .iter()
                    .map(|(u, _)| u.clone())
                    .filter(|u| s.positions.iter().any(|p| holds(p, u)))
                    .collect();
                let units_text = if units.is_empty() {
                    tr("ckscreen.mine_no_units").to_string()
                } else {
                    units.join(tr("list.sep"))
                };
                ctx.info(trf(
                    "ckscreen.mine_on",
                    &[
                        ("name", s.name.clone()),
                        ("positions", s.positions.join(tr("list.sep"))),
                        ("units", units_text),
                    ],
                ));
                self.mine = Some(Me {
                    name: s.name.clone(),
                    positions: s.positions.clone(),
                });
                self.sel = 0;
                self.refilter();
            }
            None => ctx.error(trf("ckscreen.mine_nobody", &[("user", user)])),
        }
    }

    fn delete_confirm(&self) -> Option<Popup> {
        let rec = self.selected()?;
        let list = self
            .current()
            .map(|c| c.list.title.clone())
            .unwrap_or_default();
        Some(Popup::Confirm(
            Confirm::new(
                tr("ckscreen.delete_title").into(),
                trf(
                    "ckscreen.delete_confirm",
                    &[("title", rec.item.title.clone()), ("list", list)],
                ),
            ),
            Intent::CkDeleteItem {
                id: rec.item.id,
                version: rec.meta.version,
            },
        ))
    }

    /// `L`: close the year's checklists, or reopen them when closed.
    fn lock_confirm(&self, store: &Store) -> Option<Popup> {
        let year = self.year;
        let (text, close) = match store.checklist_closure(year).ok().flatten() {
            Some(c) => (
                trf(
                    "access.confirm_reopen_checklist",
                    &[
                        ("year", year.to_string()),
                        ("by", c.closed_by),
                        ("at", crate::store::short_time(&c.closed_at)),
                    ],
                ),
                false,
            ),
            None => (
                trf(
                    "access.confirm_close_checklist",
                    &[("year", year.to_string())],
                ),
                true,
            ),
        };
        Some(Popup::Confirm(
            Confirm::new(tr("access.key_lock").into(), text),
            Intent::CkLock { year, close },
        ))
    }

    fn lock(&mut self, year: i32, close: bool, ctx: &mut Ctx) {
        let r = if close {
            ctx.store
                .close_checklist_year(year)
                .map(|()| trf("access.closed_checklist", &[("year", year.to_string())]))
        } else {
            ctx.store.reopen_checklist_year(year).map(|c| {
                trf(
                    "access.reopened_checklist",
                    &[
                        ("year", year.to_string()),
                        ("by", c.closed_by),
                        ("at", crate::store::short_time(&c.closed_at)),
                    ],
                )
            })
        };
        self.after_write(ctx, r);
    }

    fn copy_confirm(&self) -> Option<Popup> {
        let c = self.current()?;
        Some(Popup::Confirm(
            Confirm::new(
                tr("ckscreen.copy_title").into(),
                trf(
                    "ckscreen.copy_confirm",
                    &[
                        ("title", c.list.title.clone()),
                        ("year", c.list.year.to_string()),
                        ("next", (c.list.year + 1).to_string()),
                        ("n", self.items.len().to_string()),
                    ],
                ),
            ),
            Intent::CkCopyList {
                checklist_id: c.list.id,
            },
        ))
    }

    fn template_picker(&self) -> Popup {
        let items = self
            .templates
            .iter()
            .enumerate()
            .map(|(n, t)| PickItem {
                id: n as i64,
                label: t.name.clone(),
                detail: trf(
                    "ckscreen.template_detail",
                    &[
                        ("year", t.year.to_string()),
                        (
                            "lists",
                            t.lists
                                .iter()
                                .map(|l| l.title.clone())
                                .collect::<Vec<_>>()
                                .join(tr("list.sep")),
                        ),
                    ],
                ),
            })
            .collect();
        Popup::Picker(
            Picker::new(
                trf(
                    "ckscreen.from_template_title",
                    &[("year", self.year.to_string())],
                ),
                items,
            ),
            Intent::CkFromTemplate { year: self.year },
        )
    }

    fn link_picker(&self) -> Option<Popup> {
        let rec = self.selected()?;
        let mut items = vec![PickItem {
            id: 0,
            label: tr("ckscreen.link_none").into(),
            detail: String::new(),
        }];
        let mut evs: Vec<(&i64, &EventInfo)> = self
            .events
            .iter()
            .filter(|(_, e)| e.year == self.year)
            .collect();
        evs.sort_by_key(|(_, e)| e.end);
        items.extend(evs.into_iter().map(|(id, e)| PickItem {
            id: *id,
            label: e.title.clone(),
            detail: e.dates.clone(),
        }));
        let mut p = Picker::new(
            trf("ckscreen.link_title", &[("title", rec.item.title.clone())]),
            items,
        );
        if let Some(cur) = rec.item.event_id {
            p.selected = p.items.iter().position(|i| i.id == cur).unwrap_or(0);
        }
        Some(Popup::Picker(
            p,
            Intent::CkLinkEvent {
                id: rec.item.id,
                version: rec.meta.version,
            },
        ))
    }

    fn link(&mut self, id: i64, version: i64, event: i64, ctx: &mut Ctx) {
        let r = (|| -> Result<String, StoreError> {
            let mut item = ctx.store.checklist_item(id)?.item;
            item.event_id = (event != 0).then_some(event);
            ctx.store.update_checklist_item(id, version, &item)?;
            Ok(match self.events.get(&event) {
                Some(e) if event != 0 => trf(
                    "ckscreen.linked",
                    &[
                        ("title", item.title.clone()),
                        ("event", e.title.clone()),
                        ("due", crate::ui::dates::day(e.end)),
                    ],
                ),
                _ => trf("ckscreen.unlinked", &[("title", item.title.clone())]),
            })
        })();
        self.after_write(ctx, r);
    }

    fn copy_list(&mut self, checklist_id: i64, ctx: &mut Ctx) {
        match ctx.store.copy_checklist_forward(checklist_id) {
            Ok(new_id) => {
                let title = self
                    .current()
                    .map(|c| c.list.title.clone())
                    .unwrap_or_default();
                self.year += 1;
                self.list_id = Some(new_id);
                self.sel = 0;
                self.filter.clear();
                ctx.info(trf(
                    "ckscreen.copied",
                    &[("title", title), ("year", self.year.to_string())],
                ));
            }
            Err(e) => ctx.store_error(&e),
        }
        ctx.changed = true;
    }

    fn create_from_template(&mut self, year: i32, idx: i64, ctx: &mut Ctx) {
        let Some(t) = self.templates.get(idx as usize).cloned() else {
            return;
        };
        match ctx.store.create_checklists(&t, year) {
            Ok(ids) => {
                self.year = year;
                self.list_id = ids.first().copied();
                self.sel = 0;
                ctx.info(trf(
                    "ckscreen.created",
                    &[
                        ("n", ids.len().to_string()),
                        ("year", year.to_string()),
                        ("name", t.name.clone()),
                    ],
                ));
            }
            Err(e) => ctx.store_error(&e),
        }
        ctx.changed = true;
    }
}

/// "「…」已由 王老師 於 115.11.20 標記完成。要改回「進行中」嗎？" (default No).
fn undo_done_confirm(rec: &ItemRec, to: Status) -> Popup {
    let msg = trf(
        "guard.undo_done_item",
        &[
            ("title", rec.item.title.clone()),
            (
                "by",
                rec.item
                    .done_by
                    .clone()
                    .unwrap_or_else(|| tr("guard.someone").to_string()),
            ),
            (
                "on",
                rec.item
                    .done_on
                    .map(crate::ui::dates::day)
                    .unwrap_or_else(|| tr("guard.unknown_date").to_string()),
            ),
            ("status", tr(to.label_key()).to_string()),
        ],
    );
    Popup::Confirm(
        Confirm::new(tr("guard.undo_done_title").into(), msg),
        Intent::CkUndoDone {
            id: rec.item.id,
            version: rec.meta.version,
            to,
        },
    )
}

fn status_message(title: &str, status: Status) -> String {
    trf(
        "ckscreen.status_set",
        &[
            ("title", title.to_string()),
            ("status", tr(status.label_key()).to_string()),
        ],
    )
}

fn haystack(i: &Item) -> String {
    let units: Vec<String> = i.units.iter().map(|u| unit_key(u)).collect();
    [
        i.title.as_str(),
        i.section.as_str(),
        &i.units.join(" "),
        &units.join(" "),
        tr(i.status.label_key()),
        i.status.code(),
        &i.note,
    ]
    .join("\u{1}")
    .to_lowercase()
}

/// One filter word: an "overdue" / "due soon" word selects those items, a
/// status name its status, anything else text in the item.
fn word_matches(word: &str, item: &Item, info: &RowInfo) -> bool {
    let is = |key: &str| tr(key).split('|').any(|w| w.trim().to_lowercase() == word);
    if is("ckscreen.word_overdue") {
        return info.overdue;
    }
    if is("ckscreen.word_lead") {
        return info.lead;
    }
    if is("ckscreen.word_open") {
        return item.status.is_open();
    }
    if let Some(s) = Status::ALL
        .iter()
        .find(|s| tr(s.label_key()).to_lowercase() == word || s.code() == word)
    {
        return item.status == *s;
    }
    info.hay.contains(word)
}

impl Screen for Checklists {
    fn title(&self) -> &'static str {
        "ckscreen.title"
    }

    fn commands(&self) -> Vec<Action> {
        if !self.has_school {
            return vec![];
        }
        if self.list_id.is_none() {
            return vec![
                Action::CkFromTemplate,
                Action::CkPrevYear,
                Action::CkNextYear,
            ];
        }
        let mut v = Vec::new();
        let has_sel = self.selected().is_some();
        if has_sel {
            v.extend([Action::CkDone, Action::CkStatus, Action::CkEdit]);
        }
        v.extend([
            Action::CkFilter,
            Action::CkMine,
            Action::CkSort,
            Action::CkPane,
            Action::CkNextList,
            Action::CkNextYear,
            Action::CkNew,
        ]);
        if self.filter.is_active() {
            v.push(Action::ClearFilter);
        }
        if has_sel {
            v.extend([Action::CkDelete, Action::CkLink]);
        }
        v.extend([
            Action::CkPrevList,
            Action::CkPrevYear,
            Action::CkCopy,
            Action::CkSaveTemplate,
            Action::CkFromTemplate,
            Action::CkLock,
        ]);
        v.extend(NAV);
        v
    }

    fn captures_text(&self) -> bool {
        self.filter.editing
    }

    fn on_text(&mut self, ev: KeyEvent) {
        if self.filter.handle_key(ev) {
            self.sel = 0;
            self.offset.set(0);
            self.refilter();
        }
    }

    fn on_action(&mut self, action: Action, ctx: &mut Ctx) -> Option<Popup> {
        let page = self.page.get().max(1) as isize;
        match action {
            Action::Up => self.move_sel(-1),
            Action::Down => self.move_sel(1),
            Action::PageUp => self.move_sel(-page),
            Action::PageDown => self.move_sel(page),
            Action::Top => self.move_sel(isize::MIN / 2),
            Action::Bottom => self.move_sel(isize::MAX / 2),
            Action::CkDone => return self.toggle_done(ctx),
            Action::CkStatus => return self.cycle_status(ctx),
            Action::CkEdit => return self.edit_form(),
            Action::CkNew => return self.new_form(),
            Action::CkDelete => return self.delete_confirm(),
            Action::CkFilter => self.filter.start(),
            Action::ClearFilter => {
                self.filter.clear();
                self.refilter();
            }
            Action::CkSort => {
                self.sort_due = !self.sort_due;
                self.refilter();
                ctx.info(
                    tr(if self.sort_due {
                        "ckscreen.sorted_due"
                    } else {
                        "ckscreen.sorted_table"
                    })
                    .into(),
                );
            }
            Action::CkMine => self.toggle_mine(ctx),
            Action::CkPane => {
                self.pane = match self.pane {
                    Pane::Gauges => Pane::Chart,
                    Pane::Chart => Pane::Gauges,
                }
            }
            Action::CkLink => return self.link_picker(),
            Action::CkPrevList => self.switch_list(-1, ctx),
            Action::CkNextList => self.switch_list(1, ctx),
            Action::CkPrevYear | Action::CkNextYear => {
                let (lo, hi) = self.year_bounds();
                let to = if action == Action::CkPrevYear {
                    self.year - 1
                } else {
                    self.year + 1
                };
                if (lo..=hi).contains(&to) {
                    self.switch_year(to, ctx.store);
                } else {
                    ctx.info(trf("ckscreen.no_more_years", &[("year", to.to_string())]));
                }
            }
            Action::CkCopy => return self.copy_confirm(),
            Action::CkLock => return self.lock_confirm(ctx.store),
            Action::CkSaveTemplate => return self.template_form(ctx),
            Action::CkFromTemplate => {
                if self.templates.is_empty() {
                    ctx.error(tr("ckscreen.no_templates").into());
                    return None;
                }
                if !self.year_lists().is_empty() {
                    ctx.error(trf(
                        "ckscreen.year_has_lists",
                        &[("year", self.year.to_string())],
                    ));
                    return None;
                }
                return Some(self.template_picker());
            }
            _ => {}
        }
        None
    }

    fn on_popup(&mut self, result: PopupResult, ctx: &mut Ctx) -> Option<Popup> {
        match result {
            PopupResult::Submitted(form, intent @ Intent::CkNewItem { .. })
            | PopupResult::Submitted(form, intent @ Intent::CkEditItem { .. }) => {
                self.save_item(form, intent, ctx)
            }
            PopupResult::Submitted(form, Intent::CkSaveTemplate { year }) => {
                self.save_template(form, year, ctx)
            }
            PopupResult::Confirmed(Intent::CkDeleteItem { id, version }) => {
                let title = self
                    .items
                    .iter()
                    .find(|r| r.item.id == id)
                    .map(|r| r.item.title.clone())
                    .unwrap_or_default();
                let r = ctx
                    .store
                    .delete_checklist_item(id, version)
                    .map(|_| trf("ckscreen.deleted", &[("title", title)]));
                self.after_write(ctx, r);
                None
            }
            PopupResult::Confirmed(Intent::CkUndoDone { id, version, to }) => {
                self.write_status(id, version, to, ctx);
                None
            }
            PopupResult::Confirmed(Intent::CkLock { year, close }) => {
                self.lock(year, close, ctx);
                None
            }
            PopupResult::Confirmed(Intent::CkCopyList { checklist_id }) => {
                self.copy_list(checklist_id, ctx);
                None
            }
            PopupResult::Picked(idx, Intent::CkFromTemplate { year }) => {
                self.create_from_template(year, idx, ctx);
                None
            }
            PopupResult::Picked(event, Intent::CkLinkEvent { id, version }) => {
                self.link(id, version, event, ctx);
                None
            }
            _ => None,
        }
    }

    fn reload(&mut self, store: &Store, today: NaiveDate) {
        self.today = today;
        self.error = None;
        let r = (|| -> crate::store::Result<()> {
            let school = store.school()?;
            self.has_school = school.is_some();
            self.lead_days = school.as_ref().and_then(|s| s.preset.lead_days);
            self.closed_years = store.closed_checklist_years()?;
            self.lists = store.checklists()?;
            self.templates = store.checklist_templates()?;
            self.events = store
                .events()?
                .into_iter()
                .map(|r| {
                    let e = r.event;
                    (
                        e.id,
                        EventInfo {
                            title: e.title.clone(),
                            end: e.span.end,
                            year: e.term.year,
                            dates: crate::ui::dates::range(&e.span),
                        },
                    )
                })
                .collect();
            Ok(())
        })();
        if let Err(e) = r {
            self.error = Some(e.message());
        }
        self.load_items(store);
    }

    fn draw(&self, f: &mut Frame, area: Rect, v: &View) {
        draw::draw(self, f, area, v);
    }
}
