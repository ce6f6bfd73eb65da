//! 工作小組會議: the meetings view of the roster screen (`m` there). The
//! year's meetings on the left; on the right the selected meeting — date,
//! chair (the convener, or who acts for the convener that day), recorder,
//! the attendance count — and its agenda (or, with `v`, its attendance).
//! `Enter` moves into the agenda, `Esc` back to the list and to the roster.
//!
//! `g` regenerates a planned meeting's reports from live data and `E`
//! prints its agenda or minutes (`super::agenda_print`).

use std::cell::Cell;

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Ctx, Intent, Popup, PopupResult, View};
use crate::domain::meeting::{
    AgendaItem, AttendEntry, AttendStatus, AttendanceRow, DecisionDraft, ItemDraft, Meeting,
    MeetingDraft, MeetingKind, MeetingStatus, Section, format_time, parse_time, quorum,
};
use crate::domain::roc::{academic_year_of, parse_date};
use crate::i18n::{Localized, tr, trf};
use crate::store::{MeetingOverview, Store, StoreError};
use crate::ui::confirm::Confirm;
use crate::ui::dates;
use crate::ui::form::{Field, Form};
use crate::ui::keys::Action;
use crate::ui::picker::{PickItem, Picker};
use crate::ui::table::scroll_offset;
use crate::ui::text::{pad, truncate, width};

/// Where the keys go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    List,
    Agenda,
    Attendance,
}

/// Form fields of a meeting.
const MF_DATE: usize = 0;
const MF_TIME: usize = 1;
const MF_END: usize = 2;
const MF_PLACE: usize = 3;
const MF_KIND: usize = 4;

/// Form fields of an item's text.
const IF_TITLE: usize = 0;
const IF_PROPOSER: usize = 1;
const IF_BODY: usize = 2;
const IF_PROPOSAL: usize = 3;

/// Form fields of a decision.
const DF_DECISION: usize = 0;
const DF_OWNER: usize = 1;
const DF_DUE: usize = 2;

/// One line of the agenda pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Row {
    Header(Section),
    Item(usize),
}

pub struct MeetingsView {
    pub year: i32,
    pub focus: Focus,
    /// Set by `Esc` on the list: the roster closes the view.
    pub closed: bool,
    overview: MeetingOverview,
    sel: usize,
    items: Vec<AgendaItem>,
    rows: Vec<Row>,
    item_sel: usize,
    attendance: Vec<AttendanceRow>,
    att_sel: usize,
    /// "林淑貞" or "黃美玲（代理 校長：…）".
    chair: String,
    recorder: String,
    error: Option<String>,
    list_offset: Cell<usize>,
    agenda_offset: Cell<usize>,
    att_offset: Cell<usize>,
}

impl MeetingsView {
    pub fn new(today: NaiveDate) -> MeetingsView {
        MeetingsView {
            year: academic_year_of(today),
            focus: Focus::List,
            closed: false,
            overview: MeetingOverview::default(),
            sel: 0,
            items: Vec::new(),
            rows: Vec::new(),
            item_sel: 0,
            attendance: Vec::new(),
            att_sel: 0,
            chair: String::new(),
            recorder: String::new(),
            error: None,
            list_offset: Cell::new(0),
            agenda_offset: Cell::new(0),
            att_offset: Cell::new(0),
        }
    }

    /// Loads the year and selects the meeting nearest to `today`: the
    /// next one, else the last.
    pub fn open(&mut self, store: &Store, today: NaiveDate) {
        self.error = None;
        let r = (|| -> crate::store::Result<()> {
            self.overview = store.meeting_overview(self.year)?;
            let ms = &self.overview.meetings;
            self.sel = ms
                .iter()
                .position(|r| r.meeting.date >= today)
                .unwrap_or(ms.len().saturating_sub(1));
            self.load_detail(store)
        })();
        if let Err(e) = r {
            self.error = Some(e.message());
        }
    }

    fn meeting(&self) -> Option<&Meeting> {
        self.overview.meetings.get(self.sel).map(|r| &r.meeting)
    }

    fn item(&self) -> Option<&AgendaItem> {
        self.items.get(self.item_sel)
    }

    fn item_row(&self) -> usize {
        self.rows
            .iter()
            .position(|r| *r == Row::Item(self.item_sel))
            .unwrap_or(0)
    }

    /// Loads the selected meeting's agenda, attendance, chair and recorder.
    fn load_detail(&mut self, store: &Store) -> crate::store::Result<()> {
        self.items.clear();
        self.rows.clear();
        self.attendance.clear();
        self.chair.clear();
        self.recorder.clear();
        let Some(m) = self.meeting().cloned() else {
            return Ok(());
        };
        self.items = store.agenda_items(m.id)?;
        let mut last = None;
        for (i, it) in self.items.iter().enumerate() {
            if last != Some(it.section) {
                self.rows.push(Row::Header(it.section));
                last = Some(it.section);
            }
            self.rows.push(Row::Item(i));
        }
        self.attendance = store.attendance(m.id)?;
        let chair = store.meeting_chair(&m)?;
        self.chair = match (&chair.name, &chair.resolution) {
            (None, _) => tr("mtscreen.chair_none").to_string(),
            (Some(n), Some(r)) if r.acting().and_then(|a| a.rank()).is_some() => trf(
                "mtscreen.chair_acting",
                &[
                    ("name", n.clone()),
                    ("convener", chair.convener.clone().unwrap_or_default()),
                ],
            ),
            (Some(n), _) => n.clone(),
        };
        self.recorder = m
            .recorder_id
            .map(|id| store.staff_name(id))
            .unwrap_or_default();
        self.item_sel = self.item_sel.min(self.items.len().saturating_sub(1));
        self.att_sel = self.att_sel.min(self.attendance.len().saturating_sub(1));
        Ok(())
    }

    pub fn reload(&mut self, store: &Store, _today: NaiveDate) {
        self.error = None;
        let keep = self.meeting().map(|m| m.id);
        let r = (|| -> crate::store::Result<()> {
            self.overview = store.meeting_overview(self.year)?;
            if let Some(id) = keep
                && let Some(i) = self
                    .overview
                    .meetings
                    .iter()
                    .position(|r| r.meeting.id == id)
            {
                self.sel = i;
            }
            self.sel = self.sel.min(self.overview.meetings.len().saturating_sub(1));
            self.load_detail(store)
        })();
        if let Err(e) = r {
            self.error = Some(e.message());
        }
        if self.meeting().is_none() {
            self.focus = Focus::List;
        }
    }

    pub fn commands(&self) -> Vec<Action> {
        let mut v = Vec::new();
        let m = self.meeting();
        let planned = m.is_some_and(|m| m.status == MeetingStatus::Planned);
        match self.focus {
            Focus::List => {
                if m.is_some() {
                    v.push(Action::MtOpen);
                }
                v.push(Action::MtPlan);
                if planned {
                    v.extend([Action::MtEdit, Action::MtCancel]);
                }
                if m.is_some_and(|m| m.status != MeetingStatus::Confirmed) {
                    v.push(Action::MtStatus);
                }
                if m.is_some() {
                    v.push(Action::MtView);
                }
                if planned {
                    v.push(Action::MtRegenerate);
                }
                if m.is_some() {
                    v.push(Action::MtExport);
                }
                v.extend([Action::MtPrevYear, Action::MtNextYear, Action::MtBack]);
            }
            Focus::Agenda => {
                let status = m.map(|m| m.status);
                if status != Some(MeetingStatus::Confirmed) {
                    if !self.items.is_empty() {
                        v.push(Action::MtEditItem);
                    }
                    v.push(Action::MtNewItem);
                }
                if planned && !self.items.is_empty() {
                    v.extend([Action::MtDeleteItem, Action::MtItemUp, Action::MtItemDown]);
                }
                if self
                    .item()
                    .is_some_and(|i| !i.decision.is_empty() || i.carried_from.is_some())
                {
                    v.push(Action::MtDone);
                }
                if planned {
                    v.push(Action::MtRegenerate);
                }
                v.extend([Action::MtExport, Action::MtView, Action::MtBack]);
            }
            Focus::Attendance => {
                if !self.attendance.is_empty()
                    && m.is_some_and(|m| m.status != MeetingStatus::Confirmed)
                {
                    v.push(Action::MtAttend);
                }
                v.extend([Action::MtView, Action::MtBack]);
            }
        }
        v.extend(crate::ui::keys::NAV);
        v
    }

    fn move_sel(&mut self, delta: isize, store: &Store) {
        let clampto = |cur: usize, n: usize| -> usize {
            (cur as isize + delta).clamp(0, n.saturating_sub(1) as isize) as usize
        };
        match self.focus {
            Focus::List => {
                let before = self.sel;
                self.sel = clampto(self.sel, self.overview.meetings.len());
                if before != self.sel {
                    self.item_sel = 0;
                    self.att_sel = 0;
                    if let Err(e) = self.load_detail(store) {
                        self.error = Some(e.message());
                    }
                }
            }
            Focus::Agenda => self.item_sel = clampto(self.item_sel, self.items.len()),
            Focus::Attendance => self.att_sel = clampto(self.att_sel, self.attendance.len()),
        }
    }

    fn meeting_form(&self, title: String, m: Option<&Meeting>, today: NaiveDate) -> Form {
        let date = m.map(|m| m.date).unwrap_or(today);
        let kind = m.map(|m| m.kind).unwrap_or_default();
        Form::new(
            title,
            vec![
                Field::new("mtscreen.f_date", &dates::day(date)).with_hint("mtscreen.f_date_hint"),
                Field::new(
                    "mtscreen.f_time",
                    &m.map(|m| format_time(m.starts_at))
                        .unwrap_or_else(|| "14:00".into()),
                )
                .with_hint("mtscreen.f_time_hint"),
                Field::new(
                    "mtscreen.f_end",
                    &m.and_then(|m| m.ends_at)
                        .map(format_time)
                        .unwrap_or_default(),
                ),
                Field::new(
                    "mtscreen.f_place",
                    &m.map(|m| m.place.clone()).unwrap_or_default(),
                ),
                Field::new("mtscreen.f_kind", tr(kind.key())).with_hint("mtscreen.f_kind_hint"),
            ],
        )
    }

    /// Reads the meeting form; problems go next to their fields.
    fn read_meeting_form(form: &mut Form, base: Option<&Meeting>) -> Option<MeetingDraft> {
        form.clear_errors();
        let mut ok = true;
        let date = match parse_date(&form.value(MF_DATE)) {
            Ok(d) => Some(d),
            Err(e) => {
                form.set_error(MF_DATE, e.message());
                ok = false;
                None
            }
        };
        let mut time = |i: usize, required: bool| {
            let v = form.value(i);
            if v.trim().is_empty() && !required {
                return None;
            }
            match parse_time(&v) {
                Ok(t) => Some(t),
                Err(p) => {
                    form.set_error(i, trf(p.message_key(), &p.args()));
                    ok = false;
                    None
                }
            }
        };
        let starts = time(MF_TIME, true);
        let ends = time(MF_END, false);
        let kind_text = form.value(MF_KIND);
        let kind = if kind_text.trim().is_empty() {
            Some(MeetingKind::Regular)
        } else {
            MeetingKind::parse(&kind_text)
                .or_else(|| {
                    [MeetingKind::Regular, MeetingKind::Extra]
                        .into_iter()
                        .find(|k| tr(k.key()) == kind_text.trim())
                })
                .or_else(|| {
                    form.set_error(
                        MF_KIND,
                        trf("meeting.err_bad_kind", &[("input", kind_text.clone())]),
                    );
                    None
                })
        };
        if !ok {
            return None;
        }
        Some(MeetingDraft {
            date: date?,
            starts_at: starts?,
            ends_at: ends,
            place: form.value(MF_PLACE).trim().to_string(),
            kind: kind?,
            chair_id: base.and_then(|m| m.chair_id),
            recorder_id: base.and_then(|m| m.recorder_id),
        })
    }

    fn item_form(title: String, d: &ItemDraft) -> Form {
        Form::new(
            title,
            vec![
                Field::new("mtscreen.f_title", &d.title),
                Field::new("mtscreen.f_proposer", &d.proposer),
                Field::new("mtscreen.f_body", &d.body),
                Field::new("mtscreen.f_proposal", &d.proposal),
            ],
        )
    }

    fn decision_form(title: String, i: &AgendaItem) -> Form {
        Form::new(
            title,
            vec![
                Field::new("mtscreen.f_decision", &i.decision),
                Field::new("mtscreen.f_owner", &i.owner),
                Field::new(
                    "mtscreen.f_due",
                    &i.due_on.map(dates::day).unwrap_or_default(),
                )
                .with_hint("mtscreen.f_due_hint"),
            ],
        )
    }

    pub fn on_action(&mut self, action: Action, ctx: &mut Ctx) -> Option<Popup> {
        let page = 10;
        match action {
            Action::Up => self.move_sel(-1, ctx.store),
            Action::Down => self.move_sel(1, ctx.store),
            Action::PageUp => self.move_sel(-page, ctx.store),
            Action::PageDown => self.move_sel(page, ctx.store),
            Action::Top => self.move_sel(isize::MIN / 2, ctx.store),
            Action::Bottom => self.move_sel(isize::MAX / 2, ctx.store),
            Action::MtBack => match self.focus {
                Focus::List => self.closed = true,
                _ => self.focus = Focus::List,
            },
            Action::MtOpen => {
                self.meeting()?;
                self.focus = Focus::Agenda;
            }
            Action::MtRegenerate => {
                let m = self.meeting()?.clone();
                super::agenda_print::regenerate(&m, ctx);
                self.reload(ctx.store, ctx.today);
            }
            Action::MtExport => return Some(super::agenda_print::export_form(self.meeting()?)),
            Action::MtView => {
                self.meeting()?;
                self.focus = match self.focus {
                    Focus::Attendance => Focus::Agenda,
                    _ => Focus::Attendance,
                };
            }
            Action::MtPrevYear | Action::MtNextYear => {
                let step = if action == Action::MtPrevYear { -1 } else { 1 };
                self.year = (self.year + step).clamp(1, 300);
                self.sel = 0;
                self.reload(ctx.store, ctx.today);
            }
            Action::MtPlan => {
                let title = trf("mtscreen.plan_title", &[("year", self.year.to_string())]);
                return Some(Popup::Form(
                    self.meeting_form(title, None, ctx.today),
                    Intent::MtPlan,
                ));
            }
            Action::MtEdit => {
                let m = self.meeting()?;
                let title = trf("mtscreen.edit_title", &[("number", m.number.to_string())]);
                return Some(Popup::Form(
                    self.meeting_form(title, Some(m), ctx.today),
                    Intent::MtEditMeeting {
                        id: m.id,
                        version: m.meta.version,
                    },
                ));
            }
            Action::MtCancel => {
                let m = self.meeting()?;
                return Some(Popup::Confirm(
                    Confirm::new(
                        tr("mtscreen.cancel_title").into(),
                        trf(
                            "mtscreen.cancel_confirm",
                            &[
                                ("number", m.number.to_string()),
                                ("date", dates::day(m.date)),
                                ("items", self.items.len().to_string()),
                            ],
                        ),
                    ),
                    Intent::MtCancel {
                        id: m.id,
                        version: m.meta.version,
                    },
                ));
            }
            Action::MtStatus => {
                let m = self.meeting()?;
                let to = match m.status {
                    MeetingStatus::Planned => MeetingStatus::Held,
                    _ => MeetingStatus::Confirmed,
                };
                let key = if to == MeetingStatus::Held {
                    "mtscreen.held_confirm"
                } else {
                    "mtscreen.confirm_confirm"
                };
                return Some(Popup::Confirm(
                    Confirm::new(
                        tr(to.key()).into(),
                        trf(
                            key,
                            &[
                                ("number", m.number.to_string()),
                                ("date", dates::day(m.date)),
                            ],
                        ),
                    ),
                    Intent::MtStatus {
                        id: m.id,
                        version: m.meta.version,
                        to,
                    },
                ));
            }
            Action::MtNewItem => {
                let m = self.meeting()?;
                let section = if m.status == MeetingStatus::Planned {
                    Section::Motion
                } else {
                    Section::Extempore
                };
                let title = trf(
                    "mtscreen.new_item_title",
                    &[("section", tr(section.key()).to_string())],
                );
                return Some(Popup::Form(
                    Self::item_form(title, &ItemDraft::default()),
                    Intent::MtNewItem {
                        meeting_id: m.id,
                        section,
                    },
                ));
            }
            Action::MtEditItem => {
                let m = self.meeting()?;
                let i = self.item()?;
                // Before the meeting: the item's text; after: its decision.
                if m.status == MeetingStatus::Planned {
                    return Some(Popup::Form(
                        Self::item_form(
                            trf("mtscreen.edit_item_title", &[("title", i.title.clone())]),
                            &i.draft(),
                        ),
                        Intent::MtEditItem {
                            id: i.id,
                            version: i.meta.version,
                        },
                    ));
                }
                return Some(Popup::Form(
                    Self::decision_form(
                        trf("mtscreen.decision_title", &[("title", i.title.clone())]),
                        i,
                    ),
                    Intent::MtDecision {
                        id: i.id,
                        version: i.meta.version,
                    },
                ));
            }
            Action::MtDeleteItem => {
                let i = self.item()?;
                return Some(Popup::Confirm(
                    Confirm::new(
                        tr("mtscreen.delete_item_title").into(),
                        trf(
                            "mtscreen.delete_item_confirm",
                            &[("title", i.title.clone())],
                        ),
                    ),
                    Intent::MtDeleteItem {
                        id: i.id,
                        version: i.meta.version,
                    },
                ));
            }
            Action::MtItemUp | Action::MtItemDown => {
                let i = self.item()?.clone();
                let up = action == Action::MtItemUp;
                match ctx.store.move_agenda_item(i.id, i.meta.version, up) {
                    Ok(true) => {
                        self.item_sel = if up {
                            self.item_sel.saturating_sub(1)
                        } else {
                            self.item_sel + 1
                        };
                        ctx.changed = true;
                    }
                    Ok(false) => {}
                    Err(e) => {
                        ctx.store_error(&e);
                        ctx.changed = true;
                    }
                }
            }
            Action::MtDone => {
                let i = self.item()?.clone();
                let done = if i.done_on.is_some() {
                    None
                } else {
                    Some(ctx.today)
                };
                match ctx.store.set_decision_done(i.id, i.meta.version, done) {
                    Ok(saved) => ctx.info(match done {
                        Some(d) => trf(
                            "mtcli.done",
                            &[("title", saved.title), ("date", dates::day(d))],
                        ),
                        None => trf("mtscreen.undone", &[("title", saved.title)]),
                    }),
                    Err(e) => ctx.store_error(&e),
                }
                ctx.changed = true;
            }
            Action::MtAttend => {
                let m = self.meeting()?;
                let r = self.attendance.get(self.att_sel)?;
                let items = [
                    AttendStatus::Present,
                    AttendStatus::Excused,
                    AttendStatus::Proxy,
                ]
                .iter()
                .enumerate()
                .map(|(n, s)| PickItem {
                    id: n as i64 + 1,
                    label: tr(s.key()).to_string(),
                    detail: String::new(),
                })
                .chain(std::iter::once(PickItem {
                    id: 0,
                    label: tr("meeting.attend_none").to_string(),
                    detail: String::new(),
                }))
                .collect();
                return Some(Popup::Picker(
                    Picker::new(
                        trf("mtscreen.attend_title", &[("name", r.name.clone())]),
                        items,
                    ),
                    Intent::MtAttend {
                        meeting_id: m.id,
                        staff_id: r.staff_id,
                    },
                ));
            }
            _ => {}
        }
        None
    }

    fn done_writing(ctx: &mut Ctx, r: Result<String, StoreError>) {
        match r {
            Ok(msg) => ctx.info(msg),
            Err(e) => ctx.store_error(&e),
        }
        ctx.changed = true;
    }

    /// A form refused by the store comes back with the message on it (a
    /// stale save names who saved and when); nothing typed is lost.
    fn back_to_form(ctx: &mut Ctx, mut form: Form, intent: Intent, e: StoreError) -> Option<Popup> {
        form.error = Some(e.message());
        ctx.changed = true;
        Some(Popup::Form(form, intent))
    }

    pub fn on_popup(&mut self, result: PopupResult, ctx: &mut Ctx) -> Option<Popup> {
        match result {
            PopupResult::Submitted(mut form, intent) => match intent {
                Intent::MtPlan => {
                    let d = Self::read_meeting_form(&mut form, None)?;
                    match ctx.store.plan_meeting(&d) {
                        Ok(m) => {
                            self.year = m.year;
                            ctx.info(trf(
                                "mtscreen.planned",
                                &[
                                    ("number", m.number.to_string()),
                                    ("date", dates::day(m.date)),
                                ],
                            ));
                            ctx.changed = true;
                            self.reload(ctx.store, ctx.today);
                            if let Some(i) = self
                                .overview
                                .meetings
                                .iter()
                                .position(|r| r.meeting.id == m.id)
                            {
                                self.sel = i;
                            }
                            None
                        }
                        Err(e) => Self::back_to_form(ctx, form, intent, e),
                    }
                }
                Intent::MtEditMeeting { id, version } => {
                    let base = self.overview.meetings.iter().find(|r| r.meeting.id == id);
                    let d = Self::read_meeting_form(&mut form, base.map(|r| &r.meeting));
                    let Some(d) = d else {
                        return Some(Popup::Form(form, intent));
                    };
                    match ctx.store.update_meeting(id, version, &d) {
                        Ok(m) => {
                            Self::done_writing(
                                ctx,
                                Ok(trf(
                                    "mtscreen.moved",
                                    &[
                                        ("number", m.number.to_string()),
                                        ("date", dates::day(m.date)),
                                    ],
                                )),
                            );
                            None
                        }
                        Err(e) => Self::back_to_form(ctx, form, intent, e),
                    }
                }
                Intent::MtNewItem {
                    meeting_id,
                    section,
                } => {
                    let d = ItemDraft {
                        section,
                        title: form.value(IF_TITLE),
                        topic: None,
                        body: form.value(IF_BODY),
                        proposer: form.value(IF_PROPOSER),
                        proposal: form.value(IF_PROPOSAL),
                    };
                    match ctx.store.add_agenda_item(meeting_id, &d) {
                        Ok(it) => {
                            Self::done_writing(
                                ctx,
                                Ok(trf("mtscreen.item_added", &[("title", it.title.clone())])),
                            );
                            self.reload(ctx.store, ctx.today);
                            if let Some(i) = self.items.iter().position(|x| x.id == it.id) {
                                self.item_sel = i;
                            }
                            None
                        }
                        Err(e) => Self::back_to_form(ctx, form, intent, e),
                    }
                }
                Intent::MtEditItem { id, version } => {
                    let section = self
                        .items
                        .iter()
                        .find(|i| i.id == id)
                        .map(|i| i.section)
                        .unwrap_or_default();
                    let topic = self
                        .items
                        .iter()
                        .find(|i| i.id == id)
                        .and_then(|i| i.topic.clone());
                    let d = ItemDraft {
                        section,
                        title: form.value(IF_TITLE),
                        topic,
                        body: form.value(IF_BODY),
                        proposer: form.value(IF_PROPOSER),
                        proposal: form.value(IF_PROPOSAL),
                    };
                    match ctx.store.update_agenda_item(id, version, &d) {
                        Ok(it) => {
                            Self::done_writing(
                                ctx,
                                Ok(trf("mtscreen.item_saved", &[("title", it.title)])),
                            );
                            None
                        }
                        Err(e) => Self::back_to_form(ctx, form, intent, e),
                    }
                }
                Intent::MtDecision { id, version } => {
                    form.clear_errors();
                    let due_text = form.value(DF_DUE);
                    let due_on = if due_text.trim().is_empty() {
                        None
                    } else {
                        match parse_date(&due_text) {
                            Ok(d) => Some(d),
                            Err(e) => {
                                form.set_error(DF_DUE, e.message());
                                return Some(Popup::Form(form, intent));
                            }
                        }
                    };
                    let d = DecisionDraft {
                        decision: form.value(DF_DECISION),
                        owner: form.value(DF_OWNER),
                        due_on,
                    };
                    match ctx.store.record_decision(id, version, &d) {
                        Ok(it) => {
                            Self::done_writing(
                                ctx,
                                Ok(trf("mtscreen.decision_saved", &[("title", it.title)])),
                            );
                            None
                        }
                        Err(e) => Self::back_to_form(ctx, form, intent, e),
                    }
                }
                Intent::MtExport { id } => {
                    let m = ctx.store.meeting(id).ok()?;
                    super::agenda_print::export_file(form, &m, ctx)
                }
                _ => None,
            },
            PopupResult::Confirmed(Intent::MtCancel { id, version }) => {
                let number = self
                    .meeting()
                    .map(|m| m.number.to_string())
                    .unwrap_or_default();
                let r = ctx
                    .store
                    .cancel_meeting(id, version)
                    .map(|_| trf("mtcli.cancelled", &[("number", number)]));
                Self::done_writing(ctx, r);
                None
            }
            PopupResult::Confirmed(Intent::MtExportReplace { id, format, path }) => {
                if let Ok(m) = ctx.store.meeting(id)
                    && let Some(format) = crate::io::agenda_export::AgendaFormat::parse(&format)
                    && let Err(msg) = super::agenda_print::write(&m, format, &path, ctx)
                {
                    ctx.error(msg);
                }
                None
            }
            PopupResult::Confirmed(Intent::MtStatus { id, version, to }) => {
                // Held: the reports the committee saw that day, regenerated
                // from live data, then frozen by the transition.
                let fresh = if to == MeetingStatus::Held {
                    crate::agenda_refresh::refresh_reports(ctx.store, id, ctx.today).map(|_| ())
                } else {
                    Ok(())
                };
                let r = fresh
                    .and_then(|_| ctx.store.set_meeting_status(id, version, to, ctx.today))
                    .map(|m| {
                        let key = if to == MeetingStatus::Held {
                            "mtcli.held"
                        } else {
                            "mtcli.confirmed"
                        };
                        trf(key, &[("number", m.number.to_string())])
                    });
                Self::done_writing(ctx, r);
                None
            }
            PopupResult::Confirmed(Intent::MtDeleteItem { id, version }) => {
                let title = self
                    .items
                    .iter()
                    .find(|i| i.id == id)
                    .map(|i| i.title.clone())
                    .unwrap_or_default();
                let r = ctx
                    .store
                    .delete_agenda_item(id, version)
                    .map(|_| trf("mtscreen.item_deleted", &[("title", title)]));
                Self::done_writing(ctx, r);
                None
            }
            PopupResult::Picked(
                n,
                Intent::MtAttend {
                    meeting_id,
                    staff_id,
                },
            ) => {
                let status = match n {
                    1 => Some(AttendStatus::Present),
                    2 => Some(AttendStatus::Excused),
                    3 => {
                        // Who attends for them: anyone in the directory.
                        let people: Vec<PickItem> = ctx
                            .store
                            .list_staff()
                            .unwrap_or_default()
                            .into_iter()
                            .filter(|s| s.is_active() && s.id != staff_id)
                            .map(|s| PickItem {
                                id: s.id,
                                label: s.name.clone(),
                                detail: s.positions_text(),
                            })
                            .collect();
                        return Some(Popup::Picker(
                            Picker::new(tr("mtscreen.proxy_title").into(), people),
                            Intent::MtProxy {
                                meeting_id,
                                staff_id,
                            },
                        ));
                    }
                    _ => None,
                };
                self.save_attendance(ctx, meeting_id, staff_id, status, None);
                None
            }
            PopupResult::Picked(
                proxy,
                Intent::MtProxy {
                    meeting_id,
                    staff_id,
                },
            ) => {
                self.save_attendance(
                    ctx,
                    meeting_id,
                    staff_id,
                    Some(AttendStatus::Proxy),
                    Some(proxy),
                );
                None
            }
            _ => None,
        }
    }

    fn save_attendance(
        &mut self,
        ctx: &mut Ctx,
        meeting_id: i64,
        staff_id: i64,
        status: Option<AttendStatus>,
        proxy_id: Option<i64>,
    ) {
        let entry = AttendEntry {
            staff_id,
            status,
            proxy_id,
        };
        let r = ctx
            .store
            .set_attendance(meeting_id, &[entry])
            .and_then(|_| ctx.store.attendance(meeting_id))
            .map(|rows| quorum_text(&rows));
        Self::done_writing(ctx, r);
    }

    pub fn draw(&self, f: &mut Frame, area: Rect, v: &View) {
        let t = v.theme;
        let title = trf("mtscreen.title", &[("year", self.year.to_string())]);
        let Some(inner) = crate::ui::screen_frame(f, area, &title, t, v.school.is_some()) else {
            return;
        };
        if let Some(e) = &self.error {
            f.render_widget(
                Paragraph::new(crate::ui::wrapped(e, inner.width as usize, t.error())),
                inner,
            );
            return;
        }
        let left_w = if inner.width >= 60 {
            26
        } else {
            inner.width / 3
        };
        let [left, sep, right] = Layout::horizontal([
            Constraint::Length(left_w),
            Constraint::Length(1),
            Constraint::Min(1),
        ])
        .areas(inner);
        self.draw_list(f, left, v);
        let bar: Vec<Line> = (0..sep.height)
            .map(|_| Line::styled("│", t.border()))
            .collect();
        f.render_widget(Paragraph::new(bar), sep);
        self.draw_detail(f, right, v);
    }

    fn draw_list(&self, f: &mut Frame, area: Rect, v: &View) {
        let t = v.theme;
        let w = area.width as usize;
        let ms = &self.overview.meetings;
        if ms.is_empty() {
            let text = trf("mtscreen.none", &[("year", self.year.to_string())]);
            f.render_widget(Paragraph::new(crate::ui::wrapped(&text, w, t.dim())), area);
            return;
        }
        let h = area.height as usize;
        let off = scroll_offset(self.sel, self.list_offset.get(), h);
        self.list_offset.set(off);
        let lines: Vec<Line> = ms
            .iter()
            .enumerate()
            .skip(off)
            .take(h)
            .map(|(i, r)| {
                let m = &r.meeting;
                let text = trf(
                    "mtscreen.list_row",
                    &[
                        ("number", m.number.to_string()),
                        ("date", dates::day(m.date)),
                        ("status", tr(m.status.key()).to_string()),
                    ],
                );
                let style = match m.status {
                    MeetingStatus::Planned => t.base(),
                    MeetingStatus::Held if r.decided == 0 => t.warn(),
                    _ => t.dim(),
                };
                let style = if i == self.sel {
                    if self.focus == Focus::List {
                        style.patch(t.selected())
                    } else {
                        style.patch(
                            ratatui::style::Style::new()
                                .add_modifier(ratatui::style::Modifier::BOLD),
                        )
                    }
                } else {
                    style
                };
                Line::styled(pad(&truncate(&text, w), w), style)
            })
            .collect();
        f.render_widget(Paragraph::new(lines), area);
    }

    fn draw_detail(&self, f: &mut Frame, area: Rect, v: &View) {
        let t = v.theme;
        let w = area.width as usize;
        let Some(m) = self.meeting() else {
            f.render_widget(
                Paragraph::new(crate::ui::wrapped(tr("mtscreen.hint_plan"), w, t.dim())),
                area,
            );
            return;
        };
        let time = match m.ends_at {
            Some(e) => format!("{}–{}", format_time(m.starts_at), format_time(e)),
            None => format_time(m.starts_at),
        };
        let mut head = vec![
            Line::styled(
                truncate(
                    &trf(
                        "mtscreen.when",
                        &[
                            ("date", dates::day(m.date)),
                            ("time", time),
                            ("place", m.place.clone()),
                        ],
                    ),
                    w,
                ),
                t.title(),
            ),
            Line::from(truncate(
                &trf(
                    "mtscreen.people",
                    &[
                        ("kind", tr(m.kind.key()).to_string()),
                        ("status", tr(m.status.key()).to_string()),
                        ("chair", self.chair.clone()),
                        ("recorder", self.recorder.clone()),
                    ],
                ),
                w,
            )),
            Line::from(truncate(&quorum_text(&self.attendance), w)),
        ];
        let tabs = match self.focus {
            Focus::Attendance => vec![
                Span::styled(tr("mtscreen.tab_agenda"), t.dim()),
                Span::raw("  "),
                Span::styled(tr("mtscreen.tab_attendance"), t.header()),
            ],
            _ => vec![
                Span::styled(tr("mtscreen.tab_agenda"), t.header()),
                Span::raw("  "),
                Span::styled(tr("mtscreen.tab_attendance"), t.dim()),
            ],
        };
        head.push(Line::from(tabs));
        let head_h = head.len() as u16;
        let [top, body] =
            Layout::vertical([Constraint::Length(head_h), Constraint::Min(0)]).areas(area);
        f.render_widget(Paragraph::new(head), top);
        match self.focus {
            Focus::Attendance => self.draw_attendance(f, body, v),
            _ => self.draw_agenda(f, body, v),
        }
    }

    fn draw_agenda(&self, f: &mut Frame, area: Rect, v: &View) {
        let t = v.theme;
        let w = area.width as usize;
        if self.items.is_empty() {
            f.render_widget(
                Paragraph::new(crate::ui::wrapped(tr("mtscreen.agenda_empty"), w, t.dim())),
                area,
            );
            return;
        }
        // The selected item's text below the list, when it has any.
        let detail = self
            .item()
            .filter(|_| self.focus == Focus::Agenda)
            .map(item_detail)
            .filter(|s| !s.is_empty())
            .map(|s| crate::ui::wrapped(&s, w, t.dim()))
            .unwrap_or_default();
        let detail_h = (detail.len() as u16).min(area.height / 3);
        let [list, below] =
            Layout::vertical([Constraint::Min(1), Constraint::Length(detail_h)]).areas(area);
        let h = list.height as usize;
        let sel_row = self.item_row();
        let off = scroll_offset(sel_row, self.agenda_offset.get(), h);
        self.agenda_offset.set(off);
        let mut numbers = std::collections::HashMap::new();
        let mut n_in_section = 0;
        let mut last = None;
        for (i, it) in self.items.iter().enumerate() {
            if last != Some(it.section) {
                n_in_section = 0;
                last = Some(it.section);
            }
            n_in_section += 1;
            numbers.insert(i, n_in_section);
        }
        let lines: Vec<Line> = self
            .rows
            .iter()
            .enumerate()
            .skip(off)
            .take(h)
            .map(|(r, row)| match row {
                Row::Header(s) => Line::styled(truncate(tr(s.key()), w), t.header()),
                Row::Item(i) => {
                    let it = &self.items[*i];
                    let mark = item_mark(it);
                    let text = format!(" {}. {}", numbers.get(i).copied().unwrap_or(0), it.title);
                    let mark_w = width(&mark);
                    let body = truncate(&text, w.saturating_sub(mark_w + 1));
                    let line = format!("{} {}", pad(&body, w.saturating_sub(mark_w + 1)), mark);
                    let style = if it.done_on.is_some() {
                        t.dim()
                    } else if it.is_open() && it.due_on.is_some_and(|d| d < v.today) {
                        t.warn()
                    } else {
                        t.base()
                    };
                    let style = if r == sel_row && self.focus == Focus::Agenda {
                        style.patch(t.selected())
                    } else {
                        style
                    };
                    Line::styled(line, style)
                }
            })
            .collect();
        f.render_widget(Paragraph::new(lines), list);
        if detail_h > 0 {
            f.render_widget(Paragraph::new(detail), below);
        }
    }

    fn draw_attendance(&self, f: &mut Frame, area: Rect, v: &View) {
        let t = v.theme;
        let w = area.width as usize;
        if self.attendance.is_empty() {
            f.render_widget(
                Paragraph::new(crate::ui::wrapped(tr("mtscreen.no_members"), w, t.dim())),
                area,
            );
            return;
        }
        let h = area.height as usize;
        let off = scroll_offset(self.att_sel, self.att_offset.get(), h);
        self.att_offset.set(off);
        let lines: Vec<Line> = self
            .attendance
            .iter()
            .enumerate()
            .skip(off)
            .take(h)
            .map(|(i, r)| {
                let status = match (r.status, &r.proxy_name) {
                    (Some(AttendStatus::Proxy), Some(p)) => {
                        trf("mtscreen.proxy_by", &[("name", p.clone())])
                    }
                    (Some(s), _) => tr(s.key()).to_string(),
                    (None, _) => tr("meeting.attend_none").to_string(),
                };
                let name = pad(&truncate(&r.name, 10), 10);
                let seats = r.seats.join(tr("list.sep"));
                let status_w = width(&status);
                let seats_w = w.saturating_sub(10 + 2 + status_w + 1);
                let line = format!(
                    "{name} {} {status}",
                    pad(&truncate(&seats, seats_w), seats_w)
                );
                let style = match r.status {
                    None => t.dim(),
                    Some(AttendStatus::Excused) => t.warn(),
                    _ => t.base(),
                };
                let style = if i == self.att_sel && self.focus == Focus::Attendance {
                    style.patch(t.selected())
                } else {
                    style
                };
                Line::styled(truncate(&line, w), style)
            })
            .collect();
        f.render_widget(Paragraph::new(lines), area);
    }
}

/// "出席 9 / 12（親自 8、代理 1、請假 2、未登記 1）".
fn quorum_text(rows: &[AttendanceRow]) -> String {
    let q = quorum(rows);
    trf(
        "meeting.quorum_detail",
        &[
            ("attending", q.attending().to_string()),
            ("members", q.members.to_string()),
            ("present", q.present.to_string()),
            ("proxy", q.proxy.to_string()),
            ("excused", q.excused.to_string()),
            ("unrecorded", q.unrecorded.to_string()),
        ],
    )
}

/// The mark after an item: its decision's state.
fn item_mark(i: &AgendaItem) -> String {
    if let Some(d) = i.done_on {
        return trf("mtscreen.mark_done", &[("date", dates::day(d))]);
    }
    if i.is_open() || (i.section == Section::Previous && i.carried_from.is_some()) {
        return match i.due_on {
            Some(d) => trf("mtscreen.mark_due", &[("date", dates::day(d))]),
            None => tr("mtscreen.mark_open").to_string(),
        };
    }
    if !i.decision.is_empty() {
        return tr("mtscreen.mark_decided").to_string();
    }
    String::new()
}

/// The selected item's text: proposer, explanation or report, proposal,
/// decision with owner.
fn item_detail(i: &AgendaItem) -> String {
    let mut parts = Vec::new();
    if !i.proposer.is_empty() {
        parts.push(trf("mtscreen.d_proposer", &[("text", i.proposer.clone())]));
    }
    if !i.body.is_empty() {
        let key = if i.section == Section::Previous {
            "mtscreen.d_previous"
        } else {
            "mtscreen.d_body"
        };
        parts.push(trf(key, &[("text", i.body.clone())]));
    }
    if !i.proposal.is_empty() {
        parts.push(trf("mtscreen.d_proposal", &[("text", i.proposal.clone())]));
    }
    if !i.decision.is_empty() {
        parts.push(trf("mtscreen.d_decision", &[("text", i.decision.clone())]));
    }
    if !i.owner.is_empty() {
        parts.push(trf("mtscreen.d_owner", &[("text", i.owner.clone())]));
    }
    parts.join("　")
}
