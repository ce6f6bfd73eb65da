//! 期程: the term calendar in three views that `v` toggles — a month (the
//! ratatui calendar widget, the selected day's windows beside it), an agenda
//! (upcoming first, by week, overdue last and marked) and a timeline of the
//! whole term (one bar per window across the weeks). Days are days: the
//! month and the agenda show the windows of every term (another term's
//! tagged with it); the timeline, the header's counts, the check and export
//! are the shown term's. `/` filters all three by grade, phase, unit or
//! words of the title. Forms create, edit and duplicate windows; `c` runs
//! the calendar check; `s` sets the term's span and closing ceremony;
//! `[`/`]` switch terms; `C` copies the term to the next year; `I` and `E`
//! import CSV and export. The rules live in `domain::calendar`.

mod agenda;
mod check;
mod form;
mod month;
mod timeline;
mod transfer;

pub(crate) use transfer::expand;

use std::cell::Cell;

use chrono::{Datelike, Duration, NaiveDate};
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Ctx, Intent, Popup, PopupResult, Screen, View};
use crate::domain::calendar::{
    AgendaRow, CheckRules, Event, Finding, Grades, Rule, TermInfo, agenda, check, days_until,
    on_day,
};
use crate::domain::roc::{DateRange, Term};
use crate::i18n::{Localized, tr, trf};
use crate::store::{EventRec, Store, StoreError, TermRec};
use crate::ui::confirm::Confirm;
use crate::ui::dates;
use crate::ui::filter::Filter;
use crate::ui::keys::{Action, NAV};
use crate::ui::text::truncate;
use crate::ui::theme::Theme;

/// The three views `v` cycles through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Month,
    Agenda,
    Timeline,
}

/// In the month view: the cursor is on the grid, or in the day's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Grid,
    Day,
}

/// How a window stands today, for the status column and its style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Standing {
    Done,
    Upcoming(i64),
    Open,
    EndsToday,
    Overdue(i64),
}

pub(crate) fn standing(e: &Event, today: NaiveDate) -> Standing {
    if e.done_on.is_some() {
        return Standing::Done;
    }
    match days_until(&e.span, today) {
        0 if e.span.end == today => Standing::EndsToday,
        0 => Standing::Open,
        n if n > 0 => Standing::Upcoming(n),
        // Ended and not done (done windows were handled above).
        n => Standing::Overdue(-n),
    }
}

pub(crate) fn standing_text(s: Standing) -> String {
    match s {
        Standing::Done => tr("calscreen.st_done").into(),
        Standing::Upcoming(n) => trf("calscreen.st_in_days", &[("n", n.to_string())]),
        Standing::Open => tr("calscreen.st_open").into(),
        Standing::EndsToday => tr("calscreen.st_ends_today").into(),
        Standing::Overdue(n) => trf("calscreen.st_overdue", &[("n", n.to_string())]),
    }
}

pub(crate) fn standing_style(s: Standing, t: &Theme) -> Style {
    match s {
        Standing::Done => t.dim(),
        Standing::Upcoming(_) => t.base(),
        Standing::Open | Standing::EndsToday => t.key(),
        Standing::Overdue(_) => t.error(),
    }
}

/// "10,11" or "全部年級".
pub(crate) fn grades_text(g: Grades) -> String {
    if g.is_empty() {
        tr("calendar.grades_all").into()
    } else {
        g.code()
    }
}

/// The same for a narrow column: "12" or "全部年級" / "all".
pub(crate) fn grades_short(g: Grades) -> String {
    if g.is_empty() {
        tr("calscreen.grades_all_short").into()
    } else {
        g.code()
    }
}

pub(crate) fn units_text(e: &Event) -> String {
    e.units.join(tr("list.sep"))
}

pub(crate) fn phase_text(e: &Event) -> &'static str {
    tr(e.phase.label_key())
}

/// The title as shown in lists: overdue windows carry a mark that survives
/// NO_COLOR.
pub(crate) fn title_text(e: &Event, today: NaiveDate) -> String {
    if e.overdue(today) {
        format!("{}{}", tr("calscreen.overdue_mark"), e.title)
    } else {
        e.title.clone()
    }
}

/// The same in the views that show every term (month, agenda): a window of
/// another term than `shown` carries its term before the title.
pub(crate) fn title_in_term(e: &Event, today: NaiveDate, shown: Term) -> String {
    if e.term == shown {
        return title_text(e, today);
    }
    let title = trf(
        "calscreen.title_other_term",
        &[("term", e.term.to_string()), ("title", e.title.clone())],
    );
    if e.overdue(today) {
        format!("{}{title}", tr("calscreen.overdue_mark"))
    } else {
        title
    }
}

fn weekday_key(w: chrono::Weekday) -> &'static str {
    match w {
        chrono::Weekday::Mon => "weekday.mon",
        chrono::Weekday::Tue => "weekday.tue",
        chrono::Weekday::Wed => "weekday.wed",
        chrono::Weekday::Thu => "weekday.thu",
        chrono::Weekday::Fri => "weekday.fri",
        chrono::Weekday::Sat => "weekday.sat",
        chrono::Weekday::Sun => "weekday.sun",
    }
}

/// "115.11.25（三）".
pub(crate) fn day_with_weekday(d: NaiveDate) -> String {
    trf(
        "calscreen.day_weekday",
        &[
            ("date", dates::day(d)),
            ("weekday", tr(weekday_key(d.weekday())).into()),
        ],
    )
}

/// True when every word of the query matches the window: a grade (10, 11,
/// 12, 高三…) matches the windows that concern it (all-grade ones too); any
/// word matches text in the title, phase, grades, units or notes.
fn matches(e: &Event, hay: &str, query: &str) -> bool {
    query.split_whitespace().all(|word| {
        if hay.contains(word) {
            return true;
        }
        match Grades::parse(word) {
            Ok(g) if !g.is_empty() => e.grades.meets(g),
            _ => false,
        }
    })
}

/// The lower-cased text a window is searched in.
fn haystack(e: &Event) -> String {
    [
        e.title.as_str(),
        phase_text(e),
        e.phase.code(),
        &grades_text(e.grades),
        &e.units.join(" "),
        &e.notes,
    ]
    .join("\u{1}")
    .to_lowercase()
}

/// One line of a report box.
#[derive(Debug, Clone)]
pub(crate) struct ReportLine {
    pub text: String,
    pub warn: bool,
}

/// Events read from a file with bad rows, waiting for "import the good ones".
pub(crate) struct PendingImport {
    pub events: Vec<Event>,
    pub links: Vec<(usize, String)>,
}

/// A box the screen draws over itself: the result of a copy, the bad rows
/// of an import (with its question).
pub(crate) struct Report {
    pub title: String,
    pub lines: Vec<ReportLine>,
    pub question: Option<String>,
    pub scroll: usize,
    pub pending: Option<PendingImport>,
}

pub(crate) enum Overlay {
    /// The calendar check's findings; the index of the selected one.
    Check(usize),
    Report(Report),
}

pub struct Calendar {
    pub pane: Pane,
    pub focus: Focus,
    today: NaiveDate,
    has_school: bool,
    school_name: String,
    rules: CheckRules,
    /// The term shown.
    pub term: Term,
    terms: Vec<TermRec>,
    all: Vec<EventRec>,
    /// Search text of each event in `all`.
    hay: Vec<String>,
    /// Indices into `all` of the events (of every term) the filter lets
    /// through, by start; and the same events, for the domain's functions.
    /// The month and the agenda show these.
    vis: Vec<usize>,
    vis_events: Vec<Event>,
    /// Indices into `vis_events` of the shown term's: the timeline, the
    /// header's counts and export.
    term_vis: Vec<usize>,
    /// The agenda of `vis_events` (event indices into `vis_events`).
    agenda_rows: Vec<AgendaRow>,
    filter: Filter,
    /// The selected window in the agenda and the timeline (event id).
    sel: Option<i64>,
    /// The month view's cursor day and the marked window of that day.
    pub day: NaiveDate,
    day_sel: usize,
    /// The window to mark in the day's list after the next reload.
    want_day_sel: Option<i64>,
    /// The check's findings for the shown term, and how many other terms have.
    findings: Vec<Finding>,
    other_findings: usize,
    overlay: Option<Overlay>,
    error: Option<String>,
    agenda_offset: Cell<usize>,
    timeline_offset: Cell<usize>,
    check_offset: Cell<usize>,
    page: Cell<usize>,
}

impl Calendar {
    pub fn new(today: NaiveDate) -> Calendar {
        Calendar {
            pane: Pane::Month,
            focus: Focus::Grid,
            today,
            has_school: false,
            school_name: String::new(),
            rules: CheckRules::default(),
            term: Term::containing(today),
            terms: Vec::new(),
            all: Vec::new(),
            hay: Vec::new(),
            vis: Vec::new(),
            vis_events: Vec::new(),
            term_vis: Vec::new(),
            agenda_rows: Vec::new(),
            filter: Filter::default(),
            sel: None,
            day: today,
            day_sel: 0,
            want_day_sel: None,
            findings: Vec::new(),
            other_findings: 0,
            overlay: None,
            error: None,
            agenda_offset: Cell::new(0),
            timeline_offset: Cell::new(0),
            check_offset: Cell::new(0),
            page: Cell::new(10),
        }
    }

    // ------------------------------------------------------------ data

    fn term_rec(&self, term: Term) -> Option<&TermRec> {
        self.terms.iter().find(|t| t.info.term == term)
    }

    /// The shown term as recorded (or its semester span when not yet).
    pub(crate) fn term_info(&self) -> TermInfo {
        self.term_rec(self.term)
            .map(|t| t.info.clone())
            .unwrap_or_else(|| TermInfo::new(self.term))
    }

    /// Terms one can switch to: those recorded, today's, the shown one.
    fn term_list(&self) -> Vec<Term> {
        let mut v: Vec<Term> = self.terms.iter().map(|t| t.info.term).collect();
        v.push(Term::containing(self.today));
        v.push(self.term);
        v.sort();
        v.dedup();
        v
    }

    fn count_in_term(&self, term: Term) -> usize {
        self.all.iter().filter(|r| r.event.term == term).count()
    }

    fn refilter(&mut self) {
        let q = self.filter.text.trim().to_lowercase();
        self.vis = (0..self.all.len())
            .filter(|&i| matches(&self.all[i].event, &self.hay[i], &q))
            .collect();
        self.vis_events = self
            .vis
            .iter()
            .map(|&i| self.all[i].event.clone())
            .collect();
        self.term_vis = (0..self.vis_events.len())
            .filter(|&i| self.vis_events[i].term == self.term)
            .collect();
        self.agenda_rows = agenda(&self.vis_events, self.today);
        self.normalize();
    }

    /// The shown term's windows the filter lets through, by start.
    pub(crate) fn term_events(&self) -> impl Iterator<Item = &Event> + '_ {
        self.term_vis.iter().map(|&i| &self.vis_events[i])
    }

    fn term_ids(&self) -> Vec<i64> {
        self.term_events().map(|e| e.id).collect()
    }

    /// Keeps the selections on something that is shown.
    fn normalize(&mut self) {
        let n = self.day_events().len();
        self.day_sel = self.day_sel.min(n.saturating_sub(1));
        if n == 0 {
            self.focus = Focus::Grid;
        }
        let ids = match self.pane {
            Pane::Agenda => self.agenda_ids(),
            Pane::Timeline => self.term_ids(),
            Pane::Month => self.vis_events.iter().map(|e| e.id).collect(),
        };
        if !self.sel.is_some_and(|s| ids.contains(&s)) {
            // The first upcoming window shown, else the first one.
            self.sel = self
                .agenda_ids()
                .into_iter()
                .find(|s| ids.contains(s))
                .or_else(|| ids.first().copied());
        }
    }

    /// Ids of the agenda's event rows, in order.
    fn agenda_ids(&self) -> Vec<i64> {
        self.agenda_rows
            .iter()
            .filter_map(|r| match r {
                AgendaRow::Event(i) => Some(self.vis_events[*i].id),
                _ => None,
            })
            .collect()
    }

    /// The selected day's windows: indices into `vis_events`.
    pub(crate) fn day_events(&self) -> Vec<usize> {
        on_day(&self.vis_events, self.day)
    }

    fn rec(&self, id: i64) -> Option<&EventRec> {
        self.all.iter().find(|r| r.event.id == id)
    }

    /// The window the edit/delete/done keys act on in the current view.
    pub(crate) fn selected(&self) -> Option<&EventRec> {
        match self.pane {
            Pane::Month => {
                let i = *self.day_events().get(self.day_sel)?;
                self.all.get(self.vis[i])
            }
            Pane::Agenda | Pane::Timeline => self.rec(self.sel?),
        }
    }

    // ------------------------------------------------------------ moving

    fn move_sel(&mut self, delta: isize) {
        match (&mut self.overlay, self.pane, self.focus) {
            (Some(Overlay::Check(i)), _, _) => {
                let n = self.findings.len();
                *i = step(*i, delta, n);
            }
            (Some(Overlay::Report(r)), _, _) => {
                let n = r.lines.len();
                r.scroll = step(r.scroll, delta, n);
            }
            (None, Pane::Month, _) => {
                let n = self.day_events().len();
                self.day_sel = step(self.day_sel, delta, n);
            }
            (None, Pane::Agenda, _) => {
                let ids = self.agenda_ids();
                self.sel = move_id(&ids, self.sel, delta);
            }
            (None, Pane::Timeline, _) => {
                let ids = self.term_ids();
                self.sel = move_id(&ids, self.sel, delta);
            }
        }
    }

    fn set_day(&mut self, d: NaiveDate) {
        if d != self.day {
            self.day = d;
            self.day_sel = 0;
            self.focus = Focus::Grid;
        }
    }

    fn move_month(&mut self, months: i32) {
        let m0 = self.day.year() * 12 + self.day.month0() as i32 + months;
        let (y, m) = (m0.div_euclid(12), m0.rem_euclid(12) as u32 + 1);
        let last = last_day_of_month(y, m);
        if let Some(d) = NaiveDate::from_ymd_opt(y, m, self.day.day().min(last)) {
            self.set_day(d);
        }
    }

    /// The month view goes to the selected window's day when it is not on it.
    fn sync_day_to_sel(&mut self) {
        if let Some(e) = self
            .sel
            .and_then(|id| self.rec(id))
            .map(|r| r.event.clone())
            && !e.span.contains(self.day)
        {
            let d = if e.span.contains(self.today) {
                self.today
            } else {
                e.span.start
            };
            self.set_day(d);
        }
        if let Some(id) = self.sel {
            let list = self.day_events();
            if let Some(p) = list.iter().position(|&i| self.vis_events[i].id == id) {
                self.day_sel = p;
            }
        }
    }

    fn switch_term(&mut self, term: Term) {
        self.term = term;
        let span = self.term_info().span;
        let d = if span.contains(self.today) {
            self.today
        } else {
            span.start
        };
        self.set_day(d);
        self.sel = None;
        self.refilter();
    }

    /// Shows window `id`: its term, unfiltered if needed, selected in the
    /// current view.
    fn show_event(&mut self, id: i64) {
        let Some(rec) = self.rec(id).cloned() else {
            return;
        };
        if rec.event.term != self.term {
            self.term = rec.event.term;
        }
        self.refilter();
        if !self.vis_events.iter().any(|e| e.id == id) {
            self.filter.clear();
            self.refilter();
        }
        self.sel = Some(id);
        match self.pane {
            Pane::Month => {
                self.sync_day_to_sel();
                if !self.day_events().is_empty() {
                    self.focus = Focus::Day;
                }
            }
            Pane::Agenda if !self.agenda_ids().contains(&id) => self.pane = Pane::Timeline,
            _ => {}
        }
    }

    // ------------------------------------------------------------ check

    fn run_check(&mut self) {
        let infos: Vec<TermInfo> = self.terms.iter().map(|t| t.info.clone()).collect();
        let events: Vec<Event> = self.all.iter().map(|r| r.event.clone()).collect();
        let mut found = check(&infos, &events, &self.rules);
        // Errors first, then warnings, each in the check's order.
        found.sort_by_key(|f| f.severity);
        let (mine, other): (Vec<Finding>, Vec<Finding>) =
            found.into_iter().partition(|f| f.term == self.term);
        self.findings = mine;
        self.other_findings = other.len();
    }

    fn jump_to_finding(&mut self, ctx: &mut Ctx) -> Option<Popup> {
        let Some(Overlay::Check(i)) = self.overlay else {
            return None;
        };
        let f = self.findings.get(i)?.clone();
        match f.event {
            Some(id) if self.rec(id).is_some() => {
                self.overlay = None;
                self.show_event(id);
                None
            }
            _ if f.rule == Rule::NoClosingDate => {
                self.overlay = None;
                Some(self.term_form())
            }
            _ => {
                ctx.info(tr("calscreen.jump_none").into());
                None
            }
        }
    }

    // ------------------------------------------------------------ writes

    fn after_write(&mut self, ctx: &mut Ctx, r: Result<String, StoreError>) {
        match r {
            Ok(msg) => ctx.info(msg),
            Err(e) => ctx.store_error(&e),
        }
        ctx.changed = true;
    }

    /// `x`: done today; on a done window, asks first (it undoes what
    /// someone recorded), naming who marked it and when.
    fn toggle_done(&mut self, ctx: &mut Ctx) -> Option<Popup> {
        let rec = self.selected()?;
        let (id, version, title) = (rec.event.id, rec.meta.version, rec.event.title.clone());
        let Some(on) = rec.event.done_on else {
            self.write_done(id, version, true, ctx);
            return None;
        };
        let (by, at) = match ctx.store.event_done_stamp(id) {
            Ok(Some((by, at))) => (by, crate::store::short_time(&at)),
            Ok(None) => (tr("guard.someone").to_string(), dates::day(on)),
            Err(e) => {
                ctx.store_error(&e);
                return None;
            }
        };
        Some(Popup::Confirm(
            Confirm::new(
                tr("guard.undo_done_title").into(),
                trf(
                    "guard.undo_window_done",
                    &[("title", title), ("by", by), ("at", at)],
                ),
            ),
            Intent::CalUndoDone { id, version },
        ))
    }

    /// Marks the window done today (or not done) with the version the
    /// screen showed: a colleague's change in between is refused.
    fn write_done(&mut self, id: i64, version: i64, done: bool, ctx: &mut Ctx) {
        let title = self
            .rec(id)
            .map(|r| r.event.title.clone())
            .unwrap_or_default();
        let r = ctx
            .store
            .set_event_done(id, version, done.then_some(ctx.today))
            .map(|_| {
                let key = if done {
                    "calscreen.marked_done"
                } else {
                    "calscreen.marked_undone"
                };
                trf(key, &[("title", title)])
            });
        self.sel = Some(id);
        self.after_write(ctx, r);
    }

    fn delete_confirm(&self) -> Option<Popup> {
        let rec = self.selected()?;
        let msg = trf(
            "calscreen.delete_confirm",
            &[
                ("title", rec.event.title.clone()),
                ("dates", dates::range(&rec.event.span)),
                ("term", rec.event.term.to_string()),
            ],
        );
        Some(Popup::Confirm(
            Confirm::new(tr("calscreen.delete_title").into(), msg),
            Intent::CalDeleteEvent {
                id: rec.event.id,
                version: rec.meta.version,
            },
        ))
    }

    fn copy_confirm(&self, ctx: &mut Ctx) -> Option<Popup> {
        let n = self.count_in_term(self.term);
        if n == 0 {
            ctx.error(trf(
                "calendar.err_copy_empty",
                &[("term", self.term.to_string())],
            ));
            return None;
        }
        let next = Term {
            year: self.term.year + 1,
            semester: self.term.semester,
        };
        Some(Popup::Confirm(
            Confirm::new(
                tr("calscreen.copy_title").into(),
                trf(
                    "calscreen.copy_confirm",
                    &[
                        ("term", self.term.to_string()),
                        ("next", next.to_string()),
                        ("n", n.to_string()),
                    ],
                ),
            ),
            Intent::CalCopyTerm { term: self.term },
        ))
    }

    fn copy_term(&mut self, term: Term, ctx: &mut Ctx) {
        match ctx.store.copy_term_forward(term) {
            Ok(out) => {
                let mut lines = Vec::new();
                let mut moved = 0;
                for s in &out.shifted {
                    let drift = s.from_weekday != s.to_weekday;
                    moved += usize::from(drift);
                    let text = trf(
                        if s.weekend {
                            "calscreen.copy_line_weekend"
                        } else if drift {
                            "calscreen.copy_line_moved"
                        } else {
                            "calscreen.copy_line"
                        },
                        &[
                            ("title", s.event.title.clone()),
                            ("dates", dates::range(&s.event.span)),
                            ("from", tr(weekday_key(s.from_weekday)).into()),
                            ("to", tr(weekday_key(s.to_weekday)).into()),
                        ],
                    );
                    lines.push(ReportLine {
                        text,
                        warn: s.weekend || drift,
                    });
                }
                let weekend = out.shifted.iter().filter(|s| s.weekend).count();
                lines.insert(
                    0,
                    ReportLine {
                        text: trf(
                            "calscreen.copy_summary",
                            &[
                                ("n", out.shifted.len().to_string()),
                                ("to", out.to.to_string()),
                                ("moved", moved.to_string()),
                                ("weekend", weekend.to_string()),
                            ],
                        ),
                        warn: false,
                    },
                );
                self.overlay = Some(Overlay::Report(Report {
                    title: trf(
                        "calscreen.copy_done_title",
                        &[("from", term.to_string()), ("to", out.to.to_string())],
                    ),
                    lines,
                    question: None,
                    scroll: 0,
                    pending: None,
                }));
                self.filter.clear();
                self.switch_term(out.to);
                ctx.info(trf(
                    "calscreen.copied",
                    &[
                        ("n", out.shifted.len().to_string()),
                        ("to", out.to.to_string()),
                    ],
                ));
                ctx.changed = true;
            }
            Err(e) => {
                ctx.store_error(&e);
                ctx.changed = true;
            }
        }
    }

    // ------------------------------------------------------------ drawing

    fn title_bar(&self) -> String {
        let view = match self.pane {
            Pane::Month => tr("calscreen.view_month"),
            Pane::Agenda => tr("calscreen.view_agenda"),
            Pane::Timeline => tr("calscreen.view_timeline"),
        };
        trf(
            "calscreen.title_bar",
            &[("term", self.term.to_string()), ("view", view.into())],
        )
    }

    fn summary_line(&self, t: &Theme, w: usize) -> Line<'static> {
        if let Some(e) = &self.error {
            return Line::styled(truncate(e, w), t.error());
        }
        let info = self.term_info();
        // The counts are the shown term's (the month and the agenda show
        // other terms' windows too): the wording names the term.
        let total = self.count_in_term(self.term);
        let term = self.term.to_string();
        let count = if self.filter.is_active() {
            trf(
                "calscreen.count_filtered",
                &[
                    ("term", term),
                    ("shown", self.term_vis.len().to_string()),
                    ("n", total.to_string()),
                ],
            )
        } else {
            trf(
                "calscreen.count",
                &[("term", term), ("n", total.to_string())],
            )
        };
        let open = self
            .term_events()
            .filter(|e| e.done_on.is_none() && e.span.contains(self.today))
            .count();
        let late = self.term_events().filter(|e| e.overdue(self.today)).count();
        let core = trf(
            "calscreen.summary",
            &[
                ("count", count),
                ("open", open.to_string()),
                ("late", late.to_string()),
            ],
        );
        let (closing, cstyle) = match info.closing {
            Some(d) => (
                trf("calscreen.closing", &[("date", dates::day(d))]),
                t.dim(),
            ),
            None => (tr("calscreen.no_closing").to_string(), t.warn()),
        };
        // The term's span goes first when everything fits.
        let with_span = trf(
            "calscreen.summary_span",
            &[
                ("span", dates::range(&info.span)),
                ("summary", core.clone()),
            ],
        );
        let text = if crate::ui::text::width(&with_span) + 2 + crate::ui::text::width(&closing) <= w
        {
            with_span
        } else {
            core
        };
        let text = truncate(&text, w);
        let room = w.saturating_sub(crate::ui::text::width(&text) + 2);
        let mut spans = vec![Span::styled(
            text,
            if late > 0 { t.warn() } else { t.dim() },
        )];
        if room > 4 {
            spans.push(Span::raw("  "));
            spans.push(Span::styled(truncate(&closing, room), cstyle));
        }
        Line::from(spans)
    }

    fn draw_filter(&self, f: &mut Frame, area: Rect, t: &Theme) {
        if area.height == 0 {
            return;
        }
        let cursor = if self.filter.editing { "▏" } else { "" };
        let text = format!("/{}{cursor}", self.filter.text);
        let hint = if self.filter.editing {
            tr("calscreen.filter_hint")
        } else {
            ""
        };
        let w = area.width as usize;
        let text = truncate(&text, w);
        let room = w.saturating_sub(crate::ui::text::width(&text) + 2);
        f.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(text, t.key()),
                Span::raw("  "),
                Span::styled(truncate(hint, room), t.dim()),
            ])),
            area,
        );
    }
}

fn step(i: usize, delta: isize, n: usize) -> usize {
    (i as isize + delta).clamp(0, n.saturating_sub(1) as isize) as usize
}

fn move_id(ids: &[i64], cur: Option<i64>, delta: isize) -> Option<i64> {
    if ids.is_empty() {
        return None;
    }
    let pos = cur
        .and_then(|c| ids.iter().position(|&i| i == c))
        .unwrap_or(0);
    Some(ids[step(pos, delta, ids.len())])
}

pub(crate) fn last_day_of_month(y: i32, m: u32) -> u32 {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    NaiveDate::from_ymd_opt(ny, nm, 1)
        .and_then(|d| d.pred_opt())
        .map(|d| d.day())
        .unwrap_or(28)
}

/// The days a timeline or a copy report spans: the term, and the work that
/// runs past it.
pub(crate) fn timeline_span<'a>(
    info: &TermInfo,
    events: impl IntoIterator<Item = &'a Event>,
) -> DateRange {
    let grace = crate::domain::calendar::WORK_AFTER_TERM_DAYS;
    let latest = events
        .into_iter()
        .map(|e| e.span.end)
        .max()
        .unwrap_or(info.span.end);
    let end = latest
        .min(info.span.end + Duration::days(grace))
        .max(info.span.end);
    DateRange {
        start: info.span.start,
        end,
    }
}

impl Screen for Calendar {
    fn title(&self) -> &'static str {
        "calscreen.title"
    }

    fn commands(&self) -> Vec<Action> {
        if !self.has_school {
            return vec![];
        }
        let mut v = Vec::new();
        match &self.overlay {
            Some(Overlay::Check(_)) => {
                if !self.findings.is_empty() {
                    v.push(Action::CalJump);
                }
                v.push(Action::CalClose);
                v.extend(NAV);
                return v;
            }
            Some(Overlay::Report(r)) => {
                if r.pending.is_some() {
                    v.push(Action::CalImportGood);
                }
                v.push(Action::CalClose);
                v.extend([Action::Up, Action::Down, Action::PageUp, Action::PageDown]);
                return v;
            }
            None => {}
        }
        let has_sel = self.selected().is_some();
        if (self.pane, self.focus) == (Pane::Month, Focus::Day) {
            v.extend([
                Action::CalEdit,
                Action::CalDone,
                Action::CalDelete,
                Action::CalDuplicate,
                Action::CalNew,
                Action::CalLeaveDay,
            ]);
            v.extend(NAV);
            return v;
        }
        // Most used first: the status bar shows as many as fit.
        if self.pane == Pane::Month && !self.day_events().is_empty() {
            v.push(Action::CalOpenDay);
        }
        v.push(Action::CalNew);
        if has_sel {
            v.extend([Action::CalEdit, Action::CalDone]);
        }
        v.extend([Action::CalView, Action::CalCheck, Action::CalFilter]);
        if self.filter.is_active() {
            v.push(Action::ClearFilter);
        }
        if has_sel {
            v.extend([Action::CalDelete, Action::CalDuplicate]);
        }
        v.extend([
            Action::CalPrevTerm,
            Action::CalNextTerm,
            Action::CalTermSettings,
            Action::CalCopyTerm,
            Action::CalImport,
            Action::CalExport,
        ]);
        if self.pane == Pane::Month {
            v.extend([
                Action::CalDayPrev,
                Action::CalDayNext,
                Action::CalWeekPrev,
                Action::CalWeekNext,
                Action::CalMonthPrev,
                Action::CalMonthNext,
                Action::CalToday,
            ]);
        } else {
            v.extend(NAV);
        }
        v
    }

    fn modal(&self) -> bool {
        self.overlay.is_some()
    }

    fn captures_text(&self) -> bool {
        self.filter.editing
    }

    fn on_text(&mut self, ev: KeyEvent) {
        if self.filter.handle_key(ev) {
            self.day_sel = 0;
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
            Action::CalDayPrev => self.set_day(self.day - Duration::days(1)),
            Action::CalDayNext => self.set_day(self.day + Duration::days(1)),
            Action::CalWeekPrev => self.set_day(self.day - Duration::days(7)),
            Action::CalWeekNext => self.set_day(self.day + Duration::days(7)),
            Action::CalMonthPrev => self.move_month(-1),
            Action::CalMonthNext => self.move_month(1),
            Action::CalToday => self.set_day(ctx.today),
            Action::CalOpenDay if !self.day_events().is_empty() => self.focus = Focus::Day,
            Action::CalLeaveDay => self.focus = Focus::Grid,
            Action::CalView => {
                // The selection follows from one view to the next.
                if self.pane == Pane::Month
                    && let Some(r) = self.selected()
                {
                    self.sel = Some(r.event.id);
                }
                self.pane = match self.pane {
                    Pane::Month => Pane::Agenda,
                    Pane::Agenda => Pane::Timeline,
                    Pane::Timeline => Pane::Month,
                };
                self.focus = Focus::Grid;
                if self.pane == Pane::Month {
                    self.sync_day_to_sel();
                }
                self.normalize();
            }
            Action::CalFilter => self.filter.start(),
            Action::ClearFilter => {
                self.filter.clear();
                self.refilter();
            }
            Action::CalPrevTerm | Action::CalNextTerm => {
                let list = self.term_list();
                let to = if action == Action::CalPrevTerm {
                    list.iter().rev().find(|t| **t < self.term)
                } else {
                    list.iter().find(|t| **t > self.term)
                };
                match to {
                    Some(&t) => self.switch_term(t),
                    None => ctx.info(
                        tr(if action == Action::CalPrevTerm {
                            "calscreen.no_prev_term"
                        } else {
                            "calscreen.no_next_term"
                        })
                        .into(),
                    ),
                }
            }
            Action::CalNew => return Some(self.new_form()),
            Action::CalEdit => return self.edit_form(),
            Action::CalDuplicate => return self.duplicate_form(),
            Action::CalDelete => return self.delete_confirm(),
            Action::CalDone => return self.toggle_done(ctx),
            Action::CalCheck => {
                self.run_check();
                self.check_offset.set(0);
                self.overlay = Some(Overlay::Check(0));
            }
            Action::CalJump => return self.jump_to_finding(ctx),
            Action::CalClose => self.overlay = None,
            Action::CalImportGood => self.import_pending(ctx),
            Action::CalTermSettings => return Some(self.term_form()),
            Action::CalCopyTerm => return self.copy_confirm(ctx),
            Action::CalImport => return Some(self.import_form()),
            Action::CalExport => return Some(self.export_form()),
            _ => {}
        }
        None
    }

    fn on_popup(&mut self, result: PopupResult, ctx: &mut Ctx) -> Option<Popup> {
        match result {
            PopupResult::Submitted(form, Intent::CalNewEvent) => self.save_new(form, ctx),
            PopupResult::Submitted(form, Intent::CalEditEvent { id, version }) => {
                self.save_edit(form, id, version, ctx)
            }
            PopupResult::Confirmed(Intent::CalUndoDone { id, version }) => {
                self.write_done(id, version, false, ctx);
                None
            }
            PopupResult::Confirmed(Intent::CalDeleteEvent { id, version }) => {
                let title = self.rec(id).map(|r| r.event.title.clone());
                let r = ctx
                    .store
                    .delete_event(id, version)
                    .map(|_| trf("calscreen.deleted", &[("title", title.unwrap_or_default())]));
                self.after_write(ctx, r);
                None
            }
            PopupResult::Submitted(form, Intent::CalTermSettings { term, version }) => {
                self.save_term(form, term, version, ctx)
            }
            PopupResult::Confirmed(Intent::CalCopyTerm { term }) => {
                self.copy_term(term, ctx);
                None
            }
            PopupResult::Submitted(form, Intent::CalImport) => self.import_file(form, ctx),
            PopupResult::Submitted(form, Intent::CalExport { term }) => {
                self.export_file(form, term, ctx)
            }
            PopupResult::Confirmed(Intent::CalExportReplace { term, format, path }) => {
                if let Some(format) = crate::io::calendar_export::Format::parse(&format)
                    && let Err(msg) = self.write_export(term, format, &path, ctx)
                {
                    ctx.error(msg);
                }
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
            self.school_name = school.as_ref().map(|s| s.name.clone()).unwrap_or_default();
            self.rules = school
                .as_ref()
                .map(|s| CheckRules::from_preset(&s.preset))
                .unwrap_or_default()
                .with_style(dates::style());
            self.terms = store.terms()?;
            self.all = store.events()?;
            Ok(())
        })();
        if let Err(e) = r {
            self.error = Some(e.message());
        }
        self.hay = self.all.iter().map(|r| haystack(&r.event)).collect();
        self.refilter();
        if let Some(id) = self.want_day_sel.take()
            && let Some(p) = self
                .day_events()
                .iter()
                .position(|&i| self.vis_events[i].id == id)
        {
            self.day_sel = p;
        }
        if matches!(self.overlay, Some(Overlay::Check(_))) {
            self.run_check();
            if let Some(Overlay::Check(i)) = &mut self.overlay {
                *i = (*i).min(self.findings.len().saturating_sub(1));
            }
        }
    }

    fn draw(&self, f: &mut Frame, area: Rect, v: &View) {
        let t = v.theme;
        let Some(inner) = crate::ui::screen_frame(f, area, &self.title_bar(), t, self.has_school)
        else {
            return;
        };
        let filter_rows = u16::from(self.filter.editing || self.filter.is_active());
        let [head, body, foot] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(0),
            Constraint::Length(filter_rows),
        ])
        .areas(inner);
        f.render_widget(
            Paragraph::new(self.summary_line(t, head.width as usize)),
            head,
        );
        match self.pane {
            Pane::Month => month::draw(self, f, body, t),
            Pane::Agenda => agenda::draw(self, f, body, t),
            Pane::Timeline => timeline::draw(self, f, body, t),
        }
        self.draw_filter(f, foot, t);
        match &self.overlay {
            Some(Overlay::Check(sel)) => check::draw_check(self, *sel, f, area, t),
            Some(Overlay::Report(r)) => check::draw_report(r, f, area, t),
            None => {}
        }
    }
}
