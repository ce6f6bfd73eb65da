//! The item form (new, edit) and the save-as-template form. Every problem
//! shows under its field and nothing is saved until all fields read; a done
//! date before the item's window opened is saved only when submitted again.

use chrono::NaiveDate;

use super::Checklists;
use crate::domain::calendar::parse_units;
use crate::domain::checklist::{Item, Status, Window, known_units, unit_key, unknown_unit};
use crate::domain::roc::{parse_date, parse_range};
use crate::i18n::{Localized, tr, trf};
use crate::screens::{Ctx, Intent, Popup};
use crate::store::StoreError;
use crate::ui::dates;
use crate::ui::form::{Field, Form};

const F_SECTION: usize = 0;
const F_TITLE: usize = 1;
const F_UNITS: usize = 2;
const F_WINDOWS: usize = 3;
const F_EVENT: usize = 4;
const F_STATUS: usize = 5;
const F_DONE: usize = 6;
const F_NOTE: usize = 7;

/// How many known units an unknown-unit message lists.
const KNOWN_SHOWN: usize = 8;

fn semester_text(s: Option<u8>) -> &'static str {
    match s {
        Some(1) => tr("ckscreen.sem_1"),
        Some(2) => tr("ckscreen.sem_2"),
        _ => "",
    }
}

/// `115.10.01~15 上 115-1`.
pub(crate) fn window_text(w: &Window) -> String {
    let mut parts = vec![w.text.clone()];
    let s = semester_text(w.semester);
    if !s.is_empty() {
        parts.push(s.to_string());
    }
    if let Some(l) = &w.label {
        parts.push(l.clone());
    }
    parts.join(" ")
}

pub(crate) fn windows_text(ws: &[Window]) -> String {
    ws.iter()
        .map(window_text)
        .collect::<Vec<_>>()
        .join(tr("ckscreen.window_sep"))
}

/// A semester word: 上/下, 1/2, S1/S2 (the words of either language).
fn parse_semester(t: &str) -> Option<u8> {
    let t = t.trim().to_lowercase();
    let is = |key: &str| tr(key).split('|').any(|w| w.to_lowercase() == t);
    if is("ckscreen.sem_words_1") || t == tr("ckscreen.sem_1").to_lowercase() {
        Some(1)
    } else if is("ckscreen.sem_words_2") || t == tr("ckscreen.sem_2").to_lowercase() {
        Some(2)
    } else {
        None
    }
}

/// Windows separated by `;`: the date text, then an optional semester and
/// label. A text that was already stored is kept even when it does not read
/// (the check reports it); a new one must read.
fn parse_windows(s: &str, old: &[Window]) -> Result<Vec<Window>, String> {
    let mut out = Vec::new();
    for part in s
        .split([';', '；'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let mut tokens = part.split_whitespace();
        let text = tokens.next().unwrap_or_default().to_string();
        let mut semester = None;
        let mut label = Vec::new();
        for t in tokens {
            match parse_semester(t) {
                Some(x) if semester.is_none() && label.is_empty() => semester = Some(x),
                _ => label.push(t.to_string()),
            }
        }
        if !old.iter().any(|w| w.text == text)
            && let Err(e) = parse_range(&text)
        {
            return Err(e.message());
        }
        out.push(Window {
            text,
            semester,
            label: (!label.is_empty()).then(|| label.join(" ")),
        });
    }
    Ok(out)
}

fn parse_status(s: &str) -> Option<Status> {
    let t = s.trim();
    if t.is_empty() {
        return Some(Status::NotStarted);
    }
    Status::parse(t).or_else(|| {
        Status::ALL
            .iter()
            .copied()
            .find(|st| tr(st.label_key()).to_lowercase() == t.to_lowercase())
    })
}

/// Known units, those most like `typed` first.
fn suggest(known: &[String], typed: &str) -> Vec<String> {
    let mut v: Vec<(usize, &String)> = known
        .iter()
        .map(|k| (k.chars().filter(|c| typed.contains(*c)).count(), k))
        .collect();
    v.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    v.into_iter().map(|(_, k)| k.clone()).collect()
}

impl Checklists {
    fn item_form(&self, title: String, item: &Item) -> Form {
        let event = item
            .event_id
            .and_then(|e| self.events.get(&e))
            .map(|e| e.title.clone())
            .unwrap_or_default();
        Form::new(
            title,
            vec![
                Field::new("ckscreen.f_section", &item.section).with_hint("ckscreen.h_section"),
                Field::new("ckscreen.f_title", &item.title),
                Field::new("ckscreen.f_units", &item.units.join(tr("list.sep")))
                    .with_hint("ckscreen.h_units"),
                Field::new("ckscreen.f_windows", &windows_text(&item.windows))
                    .with_hint("ckscreen.h_windows"),
                Field::new("ckscreen.f_event", &event).with_hint("ckscreen.h_event"),
                Field::new("ckscreen.f_status", tr(item.status.label_key()))
                    .with_hint("ckscreen.h_status")
                    .with_choices(
                        crate::domain::checklist::Status::ALL
                            .iter()
                            .map(|x| tr(x.label_key())),
                    ),
                Field::new(
                    "ckscreen.f_done",
                    &item.done_on.map(dates::day).unwrap_or_default(),
                )
                .with_hint("ckscreen.h_done"),
                Field::new("ckscreen.f_note", &item.note),
            ],
        )
    }

    pub(super) fn edit_form(&self) -> Option<Popup> {
        let rec = self.selected()?;
        let form = self.item_form(
            trf("ckscreen.edit_title", &[("title", rec.item.title.clone())]),
            &rec.item,
        );
        Some(Popup::Form(
            form,
            Intent::CkEditItem {
                id: rec.item.id,
                version: rec.meta.version,
                early: None,
            },
        ))
    }

    pub(super) fn new_form(&self) -> Option<Popup> {
        let c = self.current()?;
        let item = Item {
            id: 0,
            checklist_id: c.list.id,
            position: 0,
            section: self
                .selected()
                .map(|r| r.item.section.clone())
                .unwrap_or_default(),
            title: String::new(),
            units: Vec::new(),
            windows: Vec::new(),
            event_id: None,
            status: Status::NotStarted,
            done_on: None,
            done_by: None,
            note: String::new(),
        };
        let mut form = self.item_form(
            trf("ckscreen.new_title", &[("list", c.list.title.clone())]),
            &item,
        );
        form.focus = F_TITLE;
        Some(Popup::Form(
            form,
            Intent::CkNewItem {
                checklist_id: c.list.id,
                early: None,
            },
        ))
    }

    /// Units the school knows: its templates', its checklists', its staff's.
    fn known(&self, ctx: &Ctx) -> (Vec<String>, Vec<String>) {
        let positions: Vec<String> = ctx
            .store
            .list_staff()
            .unwrap_or_default()
            .into_iter()
            .filter(|s| s.is_active())
            .flat_map(|s| s.positions)
            .collect();
        let mut written: Vec<String> = self
            .templates
            .iter()
            .flat_map(|t| t.lists.iter())
            .flat_map(|l| l.items.iter())
            .flat_map(|i| i.units.iter().cloned())
            .collect();
        for c in &self.lists {
            if let Ok(items) = ctx.store.checklist_items(c.list.id) {
                written.extend(items.into_iter().flat_map(|r| r.item.units));
            }
        }
        (known_units(&written, &positions), positions)
    }

    /// Reads the form into an item (on problems: messages under the fields,
    /// None). `old` is the stored item (or a blank one for a new item).
    fn read_form(&self, form: &mut Form, old: &Item, ctx: &Ctx) -> Option<Item> {
        form.clear_errors();
        let mut ok = true;
        let title = form.value(F_TITLE).trim().to_string();
        if title.is_empty() {
            form.set_error(F_TITLE, tr("checklist.err_empty_title").into());
            ok = false;
        }
        let units = parse_units(&form.value(F_UNITS));
        if !units.is_empty() {
            let (known, positions) = self.known(ctx);
            if let Some(bad) = unknown_unit(&units, &known, &positions) {
                let shown = suggest(&known, &unit_key(bad));
                let mut list = shown
                    .iter()
                    .take(KNOWN_SHOWN)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(tr("list.sep"));
                if shown.len() > KNOWN_SHOWN {
                    list = trf(
                        "ckscreen.and_more",
                        &[
                            ("list", list),
                            ("n", (shown.len() - KNOWN_SHOWN).to_string()),
                        ],
                    );
                }
                form.set_error(
                    F_UNITS,
                    trf(
                        "checklist.err_unknown_unit",
                        &[("unit", bad.clone()), ("known", list)],
                    ),
                );
                ok = false;
            }
        }
        let windows = match parse_windows(&form.value(F_WINDOWS), &old.windows) {
            Ok(w) => Some(w),
            Err(msg) => {
                form.set_error(F_WINDOWS, msg);
                None
            }
        };
        let event_text = form.value(F_EVENT).trim().to_string();
        let event_id = if event_text.is_empty() {
            Some(None)
        } else {
            let of_year: Vec<(&i64, &super::EventInfo)> = self
                .events
                .iter()
                .filter(|(_, e)| e.year == self.year)
                .collect();
            let exact = of_year.iter().find(|(_, e)| e.title == event_text);
            let partial: Vec<_> = of_year
                .iter()
                .filter(|(_, e)| e.title.contains(&event_text))
                .collect();
            match (exact, partial.as_slice()) {
                (Some((id, _)), _) => Some(Some(**id)),
                (None, [(id, _)]) => Some(Some(**id)),
                _ => {
                    let choices = if partial.is_empty() {
                        tr("ckscreen.no_events").to_string()
                    } else {
                        partial
                            .iter()
                            .take(3)
                            .map(|(_, e)| e.title.clone())
                            .collect::<Vec<_>>()
                            .join(tr("list.sep"))
                    };
                    form.set_error(
                        F_EVENT,
                        trf(
                            "ckscreen.err_event",
                            &[
                                ("input", event_text.clone()),
                                ("year", self.year.to_string()),
                                ("choices", choices),
                            ],
                        ),
                    );
                    None
                }
            }
        };
        let status_text = form.value(F_STATUS);
        let status = parse_status(&status_text);
        if status.is_none() {
            form.set_error(
                F_STATUS,
                trf(
                    "ckscreen.err_status",
                    &[
                        ("input", status_text.trim().to_string()),
                        (
                            "choices",
                            Status::ALL
                                .iter()
                                .map(|s| tr(s.label_key()))
                                .collect::<Vec<_>>()
                                .join(tr("list.sep")),
                        ),
                    ],
                ),
            );
        }
        let done_text = form.value(F_DONE).trim().to_string();
        let done: Option<Option<NaiveDate>> = if done_text.is_empty() {
            Some(None)
        } else {
            match parse_date(&done_text) {
                Ok(d) => Some(Some(d)),
                Err(e) => {
                    form.set_error(F_DONE, e.message());
                    None
                }
            }
        };
        if let (Some(s), Some(Some(_))) = (status, done)
            && s != Status::Done
        {
            form.set_error(F_DONE, tr("ckscreen.err_done_not_done").into());
            ok = false;
        }
        let (true, Some(windows), Some(event_id), Some(status), Some(done)) =
            (ok, windows, event_id, status, done)
        else {
            return None;
        };
        let user = ctx.store.user().to_string();
        let (done_on, done_by) = if status == Status::Done {
            let on = done.or(old.done_on).unwrap_or(ctx.today);
            let by = if old.status == Status::Done && old.done_on == Some(on) {
                old.done_by.clone().or(Some(user))
            } else {
                Some(user)
            };
            (Some(on), by)
        } else {
            (None, None)
        };
        Some(Item {
            section: form.value(F_SECTION).trim().to_string(),
            title,
            units,
            windows,
            event_id,
            status,
            done_on,
            done_by,
            note: form.value(F_NOTE).trim().to_string(),
            ..old.clone()
        })
    }

    pub(super) fn save_item(
        &mut self,
        mut form: Form,
        intent: Intent,
        ctx: &mut Ctx,
    ) -> Option<Popup> {
        let (id, version, early, checklist_id) = match &intent {
            Intent::CkEditItem { id, version, early } => (*id, *version, early.clone(), None),
            Intent::CkNewItem {
                checklist_id,
                early,
            } => (0, 0, early.clone(), Some(*checklist_id)),
            _ => return None,
        };
        let old = match checklist_id {
            Some(c) => Item {
                id: 0,
                checklist_id: c,
                position: 0,
                section: String::new(),
                title: String::new(),
                units: Vec::new(),
                windows: Vec::new(),
                event_id: None,
                status: Status::NotStarted,
                done_on: None,
                done_by: None,
                note: String::new(),
            },
            None => match ctx.store.checklist_item(id) {
                Ok(r) => r.item,
                Err(e) => {
                    form.error = Some(e.message());
                    return Some(Popup::Form(form, intent));
                }
            },
        };
        let Some(item) = self.read_form(&mut form, &old, ctx) else {
            return Some(Popup::Form(form, intent));
        };
        // A typed done date before the item's window opened: ask once.
        if let (Some(done), Some(opens)) = (item.done_on, item.opens())
            && done < opens
            && item.done_on != old.done_on
            && early.as_deref() != Some(done.to_string().as_str())
        {
            form.error = Some(trf(
                "ckscreen.early_confirm",
                &[("done", dates::day(done)), ("opens", dates::day(opens))],
            ));
            let early = Some(done.to_string());
            let intent = match intent {
                Intent::CkEditItem { id, version, .. } => Intent::CkEditItem { id, version, early },
                Intent::CkNewItem { checklist_id, .. } => Intent::CkNewItem {
                    checklist_id,
                    early,
                },
                other => other,
            };
            return Some(Popup::Form(form, intent));
        }
        let r = match checklist_id {
            Some(c) => ctx.store.add_checklist_item(c, &item),
            None => ctx
                .store
                .update_checklist_item(id, version, &item)
                .map(|_| id),
        };
        ctx.changed = true;
        match r {
            Ok(saved) => {
                ctx.info(trf(
                    if checklist_id.is_some() {
                        "ckscreen.added"
                    } else {
                        "ckscreen.saved"
                    },
                    &[("title", item.title.clone())],
                ));
                self.want = Some(saved);
                None
            }
            Err(StoreError::Stale { by, at }) => {
                // Keep what was typed; saving again overwrites knowingly.
                form.error = Some(trf(
                    "ckscreen.stale",
                    &[("by", by), ("at", crate::store::short_time(&at))],
                ));
                match ctx.store.checklist_item(id) {
                    Ok(cur) => Some(Popup::Form(
                        form,
                        Intent::CkEditItem {
                            id,
                            version: cur.meta.version,
                            early,
                        },
                    )),
                    Err(_) => Some(Popup::Form(
                        form,
                        Intent::CkNewItem {
                            checklist_id: old.checklist_id,
                            early,
                        },
                    )),
                }
            }
            Err(e) => {
                form.error = Some(e.message());
                Some(Popup::Form(form, intent))
            }
        }
    }

    pub(super) fn template_form(&self, ctx: &mut Ctx) -> Option<Popup> {
        if self.year_lists().is_empty() {
            ctx.error(trf(
                "ckscreen.nothing_to_save",
                &[("year", self.year.to_string())],
            ));
            return None;
        }
        let school = ctx.school.map(|s| s.short_name.clone()).unwrap_or_default();
        let name = trf(
            "ckscreen.template_default",
            &[("school", school), ("year", self.year.to_string())],
        );
        Some(Popup::Form(
            Form::new(
                trf(
                    "ckscreen.save_template_title",
                    &[("year", self.year.to_string())],
                ),
                vec![
                    Field::new("ckscreen.f_template_name", name.trim())
                        .with_hint("ckscreen.h_template_name"),
                ],
            ),
            Intent::CkSaveTemplate { year: self.year },
        ))
    }

    pub(super) fn save_template(
        &mut self,
        mut form: Form,
        year: i32,
        ctx: &mut Ctx,
    ) -> Option<Popup> {
        form.clear_errors();
        let name = form.value(0).trim().to_string();
        match ctx.store.save_checklist_template(&name, year) {
            Ok(_) => {
                ctx.info(trf(
                    "ckscreen.template_saved",
                    &[("name", name), ("year", year.to_string())],
                ));
                ctx.changed = true;
                None
            }
            Err(e) => {
                form.set_error(0, e.message());
                Some(Popup::Form(form, Intent::CkSaveTemplate { year }))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_read_back_with_semester_and_label() {
        let w = parse_windows("115.10.01~15 上 115-1; 116.02.11~28 2", &[]).unwrap();
        assert_eq!(w.len(), 2);
        assert_eq!(w[0].semester, Some(1));
        assert_eq!(w[0].label.as_deref(), Some("115-1"));
        assert_eq!(w[1].semester, Some(2));
        assert!(parse_windows("115.02.31", &[]).is_err());
        let old = vec![Window {
            text: "116..08.01~10".into(),
            semester: None,
            label: None,
        }];
        assert!(parse_windows("116..08.01~10", &old).is_ok());
    }
}
