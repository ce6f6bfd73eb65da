//! The event form (new, edit, duplicate) and the term settings form: built
//! from a window, read back into one with every problem shown under its
//! field. Nothing is saved until every field reads.

use chrono::NaiveDate;

use super::{Calendar, Pane};
use crate::domain::calendar::{Event, EventProblem, Grades, Phase, TermInfo, parse_units};
use crate::domain::roc::{Term, parse_date, parse_range, parse_term};
use crate::i18n::{Localized, tr, trf};
use crate::screens::{Ctx, Intent, Popup};
use crate::store::StoreError;
use crate::ui::dates;
use crate::ui::form::{Field, Form};

// Fields of the event form, in order.
pub(super) const F_TERM: usize = 0;
pub(super) const F_TITLE: usize = 1;
pub(super) const F_PHASE: usize = 2;
pub(super) const F_GRADES: usize = 3;
pub(super) const F_UNITS: usize = 4;
pub(super) const F_DATES: usize = 5;
pub(super) const F_NATIONAL: usize = 6;
pub(super) const F_PREPARES: usize = 7;
pub(super) const F_NOTES: usize = 8;

// Fields of the term form.
const T_SPAN: usize = 0;
const T_CLOSING: usize = 1;

/// A phase typed as a code (`upload`), a name schools write (`上傳`) or the
/// name the screen shows in either language.
pub(crate) fn parse_phase(s: &str) -> Option<Phase> {
    if let Some(p) = crate::io::calendar_csv::parse_phase(s) {
        return Some(p);
    }
    let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let t = t.to_lowercase();
    Phase::ALL.into_iter().find(|p| {
        let label: String = tr(p.label_key())
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        label.to_lowercase() == t
    })
}

/// y/n in either language (as the CSV import reads it), or the word the
/// form shows; blank is no.
fn parse_yes_no(s: &str) -> Option<bool> {
    crate::io::calendar_csv::parse_yes_no(s).or_else(|| {
        let t = s.trim().to_lowercase();
        if t == tr("calscreen.yes").to_lowercase() {
            Some(true)
        } else if t == tr("calscreen.no").to_lowercase() {
            Some(false)
        } else {
            None
        }
    })
}

fn yes_no(b: bool) -> &'static str {
    tr(if b { "calscreen.yes" } else { "calscreen.no" })
}

impl Calendar {
    fn event_form(&self, title: String, e: &Event) -> Form {
        let prepares = e
            .prepares_for
            .and_then(|id| self.rec(id))
            .map(|r| r.event.title.clone())
            .unwrap_or_default();
        let grades = if e.grades.is_empty() {
            String::new()
        } else {
            e.grades.code()
        };
        let dates_text = if e.title.is_empty() && e.id == 0 && self.pane != Pane::Month {
            String::new()
        } else {
            dates::range(&e.span)
        };
        Form::new(
            title,
            vec![
                Field::new("calscreen.f_term", &e.term.to_string()).with_hint("calscreen.h_term"),
                Field::new("calscreen.f_title", &e.title).with_hint("calscreen.h_title"),
                Field::new("calscreen.f_phase", tr(e.phase.label_key()))
                    .with_hint("calscreen.h_phase")
                    .with_choices(Phase::ALL.iter().map(|p| tr(p.label_key()))),
                Field::new("calscreen.f_grades", &grades).with_hint("calscreen.h_grades"),
                Field::new("calscreen.f_units", &e.units.join(tr("list.sep")))
                    .with_hint("calscreen.h_units"),
                Field::new("calscreen.f_dates", &dates_text).with_hint("calscreen.h_dates"),
                Field::new("calscreen.f_national", yes_no(e.national))
                    .with_hint("calscreen.h_national")
                    .with_choices([yes_no(false), yes_no(true)]),
                Field::new("calscreen.f_prepares", &prepares).with_hint("calscreen.h_prepares"),
                Field::new("calscreen.f_notes", &e.notes),
            ],
        )
    }

    /// A blank window on the cursor day, of the shown term (or, in the month
    /// view, which shows every term, of the term the day falls in).
    fn blank_event(&self) -> Event {
        let term = if self.pane != Pane::Month || self.term_info().span.contains(self.day) {
            self.term
        } else {
            self.terms
                .iter()
                .find(|t| t.info.span.contains(self.day))
                .map(|t| t.info.term)
                .unwrap_or_else(|| Term::containing(self.day))
        };
        Event {
            id: 0,
            term,
            title: String::new(),
            phase: Phase::Other,
            grades: Grades::NONE,
            units: Vec::new(),
            span: crate::domain::roc::DateRange::single(self.day),
            national: false,
            prepares_for: None,
            notes: String::new(),
            done_on: None,
        }
    }

    pub(super) fn new_form(&self) -> Popup {
        let mut form = self.event_form(tr("calscreen.new_title").into(), &self.blank_event());
        form.focus = F_TITLE;
        Popup::Form(form, Intent::CalNewEvent)
    }

    pub(super) fn edit_form(&self) -> Option<Popup> {
        let rec = self.selected()?;
        let form = self.event_form(
            trf(
                "calscreen.edit_title",
                &[("title", rec.event.title.clone())],
            ),
            &rec.event,
        );
        Some(Popup::Form(
            form,
            Intent::CalEditEvent {
                id: rec.event.id,
                version: rec.meta.version,
            },
        ))
    }

    pub(super) fn duplicate_form(&self) -> Option<Popup> {
        let rec = self.selected()?;
        let mut e = rec.event.clone();
        e.id = 0;
        e.done_on = None;
        let mut form = self.event_form(
            trf("calscreen.dup_title", &[("title", rec.event.title.clone())]),
            &e,
        );
        // A copy is usually for other dates or grades.
        form.focus = F_DATES;
        Some(Popup::Form(form, Intent::CalNewEvent))
    }

    /// Reads the event form; on problems puts the messages under the fields
    /// and returns None.
    pub(super) fn read_event_form(&self, form: &mut Form, own_id: i64) -> Option<Event> {
        form.clear_errors();
        let mut ok = true;
        let term_text = form.value(F_TERM);
        let term = if term_text.trim().is_empty() {
            Some(self.term)
        } else {
            match parse_term(&term_text) {
                Ok(t) => Some(t),
                Err(e) => {
                    form.set_error(F_TERM, e.message());
                    None
                }
            }
        };
        let title = form.value(F_TITLE).trim().to_string();
        if title.is_empty() {
            let p = EventProblem::EmptyTitle;
            form.set_error(F_TITLE, trf(p.message_key(), &p.args()));
            ok = false;
        }
        let phase_text = form.value(F_PHASE);
        let phase = if phase_text.trim().is_empty() {
            Some(Phase::Other)
        } else {
            parse_phase(&phase_text)
        };
        if phase.is_none() {
            let p = EventProblem::BadPhase(phase_text.trim().to_string());
            form.set_error(F_PHASE, trf(p.message_key(), &p.args()));
        }
        let grades = match Grades::parse(&form.value(F_GRADES)) {
            Ok(g) => Some(g),
            Err(bad) => {
                let p = EventProblem::BadGrade(bad);
                form.set_error(F_GRADES, trf(p.message_key(), &p.args()));
                None
            }
        };
        let units = parse_units(&form.value(F_UNITS));
        let dates_text = form.value(F_DATES);
        let span = if dates_text.trim().is_empty() {
            form.set_error(F_DATES, crate::i18n::tr_ex("calscreen.err_dates_empty"));
            None
        } else {
            match parse_range(&dates_text) {
                Ok(r) => Some(r),
                Err(e) => {
                    form.set_error(F_DATES, e.message());
                    None
                }
            }
        };
        let national_text = form.value(F_NATIONAL);
        let national = parse_yes_no(&national_text);
        if national.is_none() {
            form.set_error(
                F_NATIONAL,
                trf(
                    "calscreen.err_yes_no",
                    &[("input", national_text.trim().to_string())],
                ),
            );
        }
        let prepares_text = form.value(F_PREPARES).trim().to_string();
        let prepares_for = match (prepares_text.is_empty(), term) {
            (true, _) => Some(None),
            (false, Some(term)) => {
                let candidates: Vec<&Event> = self
                    .all
                    .iter()
                    .map(|r| &r.event)
                    .filter(|e| e.term == term && e.national && e.id != own_id)
                    .collect();
                match candidates.iter().find(|e| e.title == prepares_text) {
                    Some(e) => Some(Some(e.id)),
                    None => {
                        let choices = if candidates.is_empty() {
                            tr("calscreen.no_national").to_string()
                        } else {
                            candidates
                                .iter()
                                .take(3)
                                .map(|e| e.title.clone())
                                .collect::<Vec<_>>()
                                .join(tr("list.sep"))
                        };
                        form.set_error(
                            F_PREPARES,
                            trf(
                                "calscreen.err_prepares",
                                &[
                                    ("input", prepares_text.clone()),
                                    ("term", term.to_string()),
                                    ("choices", choices),
                                ],
                            ),
                        );
                        None
                    }
                }
            }
            // The term is wrong: its message says so.
            (false, None) => None,
        };
        match (ok, term, phase, grades, span, national, prepares_for) {
            (true, Some(term), Some(phase), Some(grades), Some(span), Some(national), Some(p)) => {
                Some(Event {
                    id: own_id,
                    term,
                    title,
                    phase,
                    grades,
                    units,
                    span,
                    national,
                    prepares_for: p,
                    notes: form.value(F_NOTES).trim().to_string(),
                    done_on: None,
                })
            }
            _ => None,
        }
    }

    /// After a save: show the window where it now is. The month and the
    /// agenda show every term; the timeline only the shown one.
    fn focus_saved(&mut self, e: &Event, id: i64) {
        if self.pane == Pane::Timeline {
            self.term = e.term;
        }
        self.sel = Some(id);
        if !e.span.contains(self.day) {
            self.day = if e.span.contains(self.today) {
                self.today
            } else {
                e.span.start
            };
        }
        self.day_sel = 0;
        self.want_day_sel = Some(id);
    }

    pub(super) fn save_new(&mut self, mut form: Form, ctx: &mut Ctx) -> Option<Popup> {
        let Some(e) = self.read_event_form(&mut form, 0) else {
            return Some(Popup::Form(form, Intent::CalNewEvent));
        };
        match ctx.store.add_event(&e) {
            Ok(id) => {
                ctx.info(trf(
                    "calscreen.added",
                    &[
                        ("title", e.title.clone()),
                        ("dates", dates::range(&e.span)),
                        ("term", e.term.to_string()),
                    ],
                ));
                self.focus_saved(&e, id);
                ctx.changed = true;
                None
            }
            Err(err) => {
                form.error = Some(err.message());
                ctx.changed = true;
                Some(Popup::Form(form, Intent::CalNewEvent))
            }
        }
    }

    pub(super) fn save_edit(
        &mut self,
        mut form: Form,
        id: i64,
        version: i64,
        ctx: &mut Ctx,
    ) -> Option<Popup> {
        let Some(mut e) = self.read_event_form(&mut form, id) else {
            return Some(Popup::Form(form, Intent::CalEditEvent { id, version }));
        };
        e.done_on = self.rec(id).and_then(|r| r.event.done_on);
        match ctx.store.update_event(id, version, &e) {
            Ok(()) => {
                ctx.info(trf("calscreen.saved", &[("title", e.title.clone())]));
                self.focus_saved(&e, id);
                ctx.changed = true;
                None
            }
            Err(StoreError::Stale { by, at }) => {
                // Keep what was typed; a second save overwrites knowingly.
                form.error = Some(trf(
                    "calscreen.stale",
                    &[("by", by), ("at", crate::store::short_time(&at))],
                ));
                ctx.changed = true;
                match ctx.store.event(id) {
                    Ok(cur) => Some(Popup::Form(
                        form,
                        Intent::CalEditEvent {
                            id,
                            version: cur.meta.version,
                        },
                    )),
                    // Deleted meanwhile: saving makes it a new window.
                    Err(_) => Some(Popup::Form(form, Intent::CalNewEvent)),
                }
            }
            Err(err) => {
                form.error = Some(err.message());
                ctx.changed = true;
                Some(Popup::Form(form, Intent::CalEditEvent { id, version }))
            }
        }
    }

    pub(super) fn term_form(&self) -> Popup {
        let info = self.term_info();
        let version = self.term_rec(self.term).map(|t| t.meta.version);
        let form = Form::new(
            trf("calscreen.term_title", &[("term", self.term.to_string())]),
            vec![
                Field::new("calscreen.f_span", &dates::range(&info.span))
                    .with_hint("calscreen.h_span"),
                Field::new(
                    "calscreen.f_closing",
                    &info.closing.map(dates::day).unwrap_or_default(),
                )
                .with_hint("calscreen.h_closing"),
            ],
        );
        Popup::Form(
            form,
            Intent::CalTermSettings {
                term: self.term,
                version,
            },
        )
    }

    pub(super) fn save_term(
        &mut self,
        mut form: Form,
        term: Term,
        version: Option<i64>,
        ctx: &mut Ctx,
    ) -> Option<Popup> {
        form.clear_errors();
        let span_text = form.value(T_SPAN);
        let span = if span_text.trim().is_empty() {
            Some(term.span())
        } else {
            match parse_range(&span_text) {
                Ok(r) => Some(r),
                Err(e) => {
                    form.set_error(T_SPAN, e.message());
                    None
                }
            }
        };
        let closing_text = form.value(T_CLOSING);
        let closing: Option<Option<NaiveDate>> = if closing_text.trim().is_empty() {
            Some(None)
        } else {
            match parse_date(&closing_text) {
                Ok(d) => Some(Some(d)),
                Err(e) => {
                    form.set_error(T_CLOSING, e.message());
                    None
                }
            }
        };
        let (Some(span), Some(closing)) = (span, closing) else {
            return Some(Popup::Form(form, Intent::CalTermSettings { term, version }));
        };
        let info = TermInfo {
            term,
            span,
            closing,
        };
        match ctx.store.save_term(&info, version) {
            Ok(()) => {
                let closing = closing
                    .map(dates::day)
                    .unwrap_or_else(|| tr("calscreen.closing_none").into());
                ctx.info(trf(
                    "calscreen.term_saved",
                    &[
                        ("term", term.to_string()),
                        ("span", dates::range(&span)),
                        ("closing", closing),
                    ],
                ));
                ctx.changed = true;
                None
            }
            Err(StoreError::Stale { by, at }) => {
                form.error = Some(trf(
                    "calscreen.stale",
                    &[("by", by), ("at", crate::store::short_time(&at))],
                ));
                ctx.changed = true;
                let current = ctx
                    .store
                    .terms()
                    .ok()
                    .and_then(|ts| ts.into_iter().find(|t| t.info.term == term))
                    .map(|t| t.meta.version);
                Some(Popup::Form(
                    form,
                    Intent::CalTermSettings {
                        term,
                        version: current,
                    },
                ))
            }
            Err(e) => {
                form.error = Some(e.message());
                ctx.changed = true;
                Some(Popup::Form(form, Intent::CalTermSettings { term, version }))
            }
        }
    }
}
