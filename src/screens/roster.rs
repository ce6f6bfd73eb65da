//! 工作小組: the committee of an academic year with its seats from the
//! regulation, the seat count against it, and the staff directory.
//! `v` switches between the seats and the directory.

use std::cell::Cell;

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::meetings::MeetingsView;
use super::{Ctx, Intent, Nav, Popup, PopupResult, Screen, View};
use crate::domain::committee::{
    FieldError, RosterSummary, SeatKind, SeatRole, SeatView, Staff, StaffDraft, StaffField,
    StaffProblem, parse_positions, parse_status, parse_uncertified, seat_fit, summarize,
};
use crate::domain::roc::{academic_year_of, format_roc, parse_date};
use crate::i18n::{Localized, tr, trf};
use crate::store::{Store, StoreError};
use crate::ui::confirm::Confirm;
use crate::ui::filter::Filter;
use crate::ui::form::{Field, Form};
use crate::ui::keys::Action;
use crate::ui::picker::{PickItem, Picker};
use crate::ui::table::{self, Cell as TCell, Column};
use crate::ui::text::truncate;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Seats,
    Directory,
}

pub struct Roster {
    pub year: i32,
    pub pane: Pane,
    has_school: bool,
    committee_id: Option<i64>,
    seats: Vec<SeatView>,
    summary: RosterSummary,
    staff: Vec<Staff>,
    seat_filter: Filter,
    staff_filter: Filter,
    seat_sel: usize,
    staff_sel: usize,
    seat_offset: Cell<usize>,
    staff_offset: Cell<usize>,
    page: Cell<usize>,
    error: Option<String>,
    /// Lower-cased text each row is searched in, and the rows that match.
    seat_hay: Vec<String>,
    staff_hay: Vec<String>,
    seat_vis: Vec<usize>,
    staff_vis: Vec<usize>,
    /// The meetings view (`m`), shown instead of the seats while open.
    meetings: Option<MeetingsView>,
}

/// The lower-cased text a row is searched in.
fn search_key(fields: &[&str]) -> String {
    fields.join("\u{1}").to_lowercase()
}

fn matching(hay: &[String], filter: &Filter) -> Vec<usize> {
    let q = filter.text.to_lowercase();
    (0..hay.len())
        .filter(|&i| q.is_empty() || hay[i].contains(&q))
        .collect()
}

// Fields of the staff form, in order.
const F_NAME: usize = 0;
const F_POSITIONS: usize = 1;
const F_EMAIL: usize = 2;
const F_PHONE: usize = 3;
const F_STATUS: usize = 4;
const F_LEFT_ON: usize = 5;
const F_UNCERTIFIED: usize = 6;
const F_NOTE: usize = 7;

const SEAT_COLS: [Column; 5] = [
    Column {
        header: "roster.col_seat",
        min: 12,
        max: 16,
        priority: 0,
    },
    Column {
        header: "roster.col_role",
        min: 8,
        max: 10,
        priority: 1,
    },
    Column {
        header: "roster.col_member",
        min: 10,
        max: 18,
        priority: 0,
    },
    Column {
        header: "roster.col_positions",
        min: 14,
        max: 26,
        priority: 2,
    },
    Column {
        header: "roster.col_contact",
        min: 14,
        max: 30,
        priority: 3,
    },
];

const STAFF_COLS: [Column; 6] = [
    Column {
        header: "roster.col_name",
        min: 10,
        max: 14,
        priority: 0,
    },
    Column {
        header: "roster.col_positions",
        min: 14,
        max: 24,
        priority: 0,
    },
    Column {
        header: "roster.col_status",
        min: 6,
        max: 16,
        priority: 1,
    },
    Column {
        header: "roster.col_phone",
        min: 12,
        max: 18,
        priority: 3,
    },
    Column {
        header: "roster.col_email",
        min: 14,
        max: 28,
        priority: 4,
    },
    Column {
        header: "roster.col_seats",
        min: 10,
        max: 20,
        priority: 2,
    },
];

impl Roster {
    pub fn new(today: NaiveDate) -> Roster {
        Roster {
            year: academic_year_of(today),
            pane: Pane::Seats,
            has_school: false,
            committee_id: None,
            seats: Vec::new(),
            summary: RosterSummary::default(),
            staff: Vec::new(),
            seat_filter: Filter::default(),
            staff_filter: Filter::default(),
            seat_sel: 0,
            staff_sel: 0,
            seat_offset: Cell::new(0),
            staff_offset: Cell::new(0),
            page: Cell::new(10),
            error: None,
            seat_hay: Vec::new(),
            staff_hay: Vec::new(),
            seat_vis: Vec::new(),
            staff_vis: Vec::new(),
            meetings: None,
        }
    }

    /// Opens the meetings view of the roster's year, on the meeting
    /// nearest to `today`.
    pub fn open_meetings(&mut self, store: &Store, today: NaiveDate) {
        let mut v = MeetingsView::new(today);
        v.year = self.year;
        v.open(store, today);
        self.meetings = Some(v);
    }

    fn filter(&self) -> &Filter {
        match self.pane {
            Pane::Seats => &self.seat_filter,
            Pane::Directory => &self.staff_filter,
        }
    }
    fn filter_mut(&mut self) -> &mut Filter {
        match self.pane {
            Pane::Seats => &mut self.seat_filter,
            Pane::Directory => &mut self.staff_filter,
        }
    }

    /// Recomputes which rows the filters let through. Called when the data
    /// or a filter changes, never while drawing: typing stays fast on a
    /// large directory.
    fn refilter(&mut self) {
        self.seat_hay = self
            .seats
            .iter()
            .map(|s| {
                let name = s.member.as_ref().map(|m| m.name.as_str()).unwrap_or("");
                search_key(&[&s.seat.title, name, role_label(s.seat.role, s.seat.kind)])
            })
            .collect();
        self.staff_hay = self
            .staff
            .iter()
            .map(|s| search_key(&[&s.name, &s.positions_text(), &s.email, &s.phone]))
            .collect();
        self.seat_vis = matching(&self.seat_hay, &self.seat_filter);
        self.staff_vis = matching(&self.staff_hay, &self.staff_filter);
    }

    /// Indices of the seats the filter lets through.
    fn visible_seats(&self) -> &[usize] {
        &self.seat_vis
    }

    fn visible_staff(&self) -> &[usize] {
        &self.staff_vis
    }

    fn selected_seat(&self) -> Option<&SeatView> {
        self.visible_seats()
            .get(self.seat_sel)
            .map(|&i| &self.seats[i])
    }

    fn selected_staff(&self) -> Option<&Staff> {
        self.visible_staff()
            .get(self.staff_sel)
            .map(|&i| &self.staff[i])
    }

    fn len(&self) -> usize {
        match self.pane {
            Pane::Seats => self.visible_seats().len(),
            Pane::Directory => self.visible_staff().len(),
        }
    }

    fn sel_mut(&mut self) -> &mut usize {
        match self.pane {
            Pane::Seats => &mut self.seat_sel,
            Pane::Directory => &mut self.staff_sel,
        }
    }

    fn clamp(&mut self) {
        let n = self.len();
        let s = self.sel_mut();
        *s = (*s).min(n.saturating_sub(1));
    }

    fn move_sel(&mut self, delta: isize) {
        let n = self.len();
        let s = self.sel_mut();
        let target = (*s as isize + delta).clamp(0, n.saturating_sub(1) as isize);
        *s = target as usize;
    }

    fn staff_form(&self, title: String, s: Option<&Staff>) -> Form {
        let d = s.map(Staff::draft).unwrap_or_default();
        let status = match d.status {
            crate::domain::committee::StaffStatus::Active => tr("staff.active"),
            crate::domain::committee::StaffStatus::Left => tr("staff.left"),
        };
        Form::new(
            title,
            vec![
                Field::new("staff.name", &d.name).with_hint("staff.name_hint"),
                Field::new("staff.positions", &d.positions.join("、"))
                    .with_hint("staff.positions_hint"),
                Field::new("staff.email", &d.email).with_hint("staff.email_hint"),
                Field::new("staff.phone", &d.phone).with_hint("staff.phone_hint"),
                Field::new("staff.status", status).with_hint("staff.status_hint"),
                Field::new(
                    "staff.left_on",
                    &d.left_on.map(format_roc).unwrap_or_default(),
                )
                .with_hint("staff.left_on_hint"),
                Field::new("staff.uncertified", &d.uncertified.to_string())
                    .with_hint("staff.uncertified_hint"),
                Field::new("staff.note", &d.note),
            ],
        )
    }

    /// Reads the staff form; on problems puts the messages on the form.
    fn read_staff_form(form: &mut Form) -> Option<StaffDraft> {
        form.clear_errors();
        let mut ok = true;
        let status = match parse_status(&form.value(F_STATUS)) {
            Ok(s) => s,
            Err(p) => {
                form.set_error(F_STATUS, problem_message(&p));
                ok = false;
                Default::default()
            }
        };
        let left_text = form.value(F_LEFT_ON);
        let left_on = if left_text.trim().is_empty() {
            None
        } else {
            match parse_date(&left_text) {
                Ok(d) => Some(d),
                Err(e) => {
                    form.set_error(F_LEFT_ON, e.message());
                    ok = false;
                    None
                }
            }
        };
        let uncertified = match parse_uncertified(&form.value(F_UNCERTIFIED)) {
            Ok(n) => n,
            Err(p) => {
                form.set_error(F_UNCERTIFIED, problem_message(&p));
                ok = false;
                0
            }
        };
        let draft = StaffDraft {
            name: form.value(F_NAME),
            positions: parse_positions(&form.value(F_POSITIONS)),
            email: form.value(F_EMAIL),
            phone: form.value(F_PHONE),
            status,
            left_on,
            note: form.value(F_NOTE),
            uncertified,
        };
        match draft.validated() {
            Ok(d) if ok => Some(d),
            Ok(_) => None,
            Err(errs) => {
                for FieldError { field, problem } in errs {
                    form.set_error(field_index(field), problem_message(&problem));
                }
                None
            }
        }
    }

    fn assign_picker(&self, seat: &SeatView) -> Popup {
        let mut people: Vec<&Staff> = self.staff.iter().filter(|s| s.is_active()).collect();
        // Best fits first; among equals, people without a seat this year
        // first; then the directory's order.
        let held = |id: i64| -> Vec<&str> {
            self.seats
                .iter()
                .filter(|v| v.seat.staff_id == Some(id))
                .map(|v| v.seat.title.as_str())
                .collect()
        };
        people.sort_by_key(|s| {
            (
                std::cmp::Reverse(seat_fit(&seat.seat.title, &s.positions)),
                !held(s.id).is_empty(),
            )
        });
        let items = people
            .into_iter()
            .map(|s| {
                let seats = held(s.id);
                let detail = if seats.is_empty() {
                    s.positions_text()
                } else {
                    trf(
                        "roster.pick_detail_seated",
                        &[
                            ("positions", s.positions_text()),
                            ("seats", seats.join(tr("list.sep"))),
                        ],
                    )
                };
                PickItem {
                    id: s.id,
                    label: s.name.clone(),
                    detail,
                }
            })
            .collect();
        Popup::Picker(
            Picker::new(
                trf(
                    "roster.assign_title",
                    &[
                        ("seat", seat.seat.title.clone()),
                        ("year", self.year.to_string()),
                    ],
                ),
                items,
            ),
            Intent::AssignSeat {
                seat_id: seat.seat.id,
                version: seat.seat.meta.version,
            },
        )
    }

    fn after_write(&mut self, ctx: &mut Ctx, r: Result<String, StoreError>) {
        match r {
            Ok(msg) => ctx.info(msg),
            Err(e) => ctx.store_error(&e),
        }
        ctx.changed = true;
    }
}

fn field_index(f: StaffField) -> usize {
    match f {
        StaffField::Name => F_NAME,
        StaffField::Positions => F_POSITIONS,
        StaffField::Email => F_EMAIL,
        StaffField::Phone => F_PHONE,
        StaffField::Status => F_STATUS,
        StaffField::LeftOn => F_LEFT_ON,
        StaffField::Uncertified => F_UNCERTIFIED,
        StaffField::Note => F_NOTE,
    }
}

fn problem_message(p: &StaffProblem) -> String {
    match p {
        StaffProblem::NameEmpty => tr("staff.err_name_empty").into(),
        StaffProblem::NameTooLong { max } => {
            trf("staff.err_name_long", &[("max", max.to_string())])
        }
        StaffProblem::PositionTooLong { position, max } => trf(
            "staff.err_position_long",
            &[("position", position.clone()), ("max", max.to_string())],
        ),
        StaffProblem::EmailInvalid { email } => trf("staff.err_email", &[("email", email.clone())]),
        StaffProblem::PhoneInvalid { phone } => trf("staff.err_phone", &[("phone", phone.clone())]),
        StaffProblem::StatusUnknown { status } => {
            trf("staff.err_status", &[("status", status.clone())])
        }
        StaffProblem::LeftOnWithoutLeft => tr("staff.err_left_on").into(),
        StaffProblem::UncertifiedInvalid { input } => {
            trf("staff.err_uncertified", &[("input", input.clone())])
        }
    }
}

fn role_label(role: SeatRole, kind: SeatKind) -> &'static str {
    tr(match (role, kind) {
        (SeatRole::Convener, _) => "roster.role_convener",
        (SeatRole::Secretary, _) => "roster.role_secretary",
        (SeatRole::Member, SeatKind::ExOfficio) => "roster.role_ex_officio",
        (SeatRole::Member, SeatKind::Representative) => "roster.role_representative",
    })
}

impl Screen for Roster {
    fn title(&self) -> &'static str {
        "tab.roster"
    }

    fn commands(&self) -> Vec<Action> {
        if !self.has_school {
            return vec![];
        }
        if let Some(m) = &self.meetings {
            return m.commands();
        }
        let nav = crate::ui::keys::NAV;
        let mut v = Vec::new();
        match self.pane {
            Pane::Seats => {
                if self.committee_id.is_some() {
                    v.extend([Action::Assign, Action::Vacate]);
                } else {
                    v.push(Action::New);
                }
                v.push(Action::OpenMeetings);
                v.extend([Action::ToggleView, Action::PrevYear, Action::NextYear]);
                if self.committee_id.is_some() {
                    v.push(Action::CopyForward);
                }
            }
            Pane::Directory => {
                v.push(Action::New);
                if !self.visible_staff().is_empty() {
                    v.extend([Action::Edit, Action::Delete]);
                }
                v.push(Action::ToggleView);
            }
        }
        v.push(Action::Filter);
        if self.filter().is_active() {
            v.push(Action::ClearFilter);
        }
        v.extend(nav);
        v
    }

    fn captures_text(&self) -> bool {
        self.meetings.is_none() && self.filter().editing
    }

    fn navigate(&mut self, nav: Nav, store: &Store, today: NaiveDate) -> bool {
        match nav {
            Nav::Meetings => {
                self.reload(store, today);
                self.open_meetings(store, today);
                true
            }
        }
    }

    fn on_text(&mut self, ev: KeyEvent) {
        if self.filter_mut().handle_key(ev) {
            *self.sel_mut() = 0;
            self.seat_vis = matching(&self.seat_hay, &self.seat_filter);
            self.staff_vis = matching(&self.staff_hay, &self.staff_filter);
        }
        self.clamp();
    }

    fn on_action(&mut self, action: Action, ctx: &mut Ctx) -> Option<Popup> {
        if let Some(m) = &mut self.meetings {
            let popup = m.on_action(action, ctx);
            if m.closed {
                self.meetings = None;
            }
            return popup;
        }
        let page = self.page.get() as isize;
        match action {
            Action::OpenMeetings => self.open_meetings(ctx.store, ctx.today),
            Action::Up => self.move_sel(-1),
            Action::Down => self.move_sel(1),
            Action::PageUp => self.move_sel(-page),
            Action::PageDown => self.move_sel(page),
            Action::Top => *self.sel_mut() = 0,
            Action::Bottom => *self.sel_mut() = self.len().saturating_sub(1),
            Action::Filter => self.filter_mut().start(),
            Action::ClearFilter => {
                self.filter_mut().clear();
                self.refilter();
                self.clamp();
            }
            Action::ToggleView => {
                self.pane = match self.pane {
                    Pane::Seats => Pane::Directory,
                    Pane::Directory => Pane::Seats,
                };
            }
            Action::PrevYear => {
                self.year = (self.year - 1).max(1);
                self.seat_sel = 0;
                self.reload(ctx.store, ctx.today);
            }
            Action::NextYear => {
                self.year = (self.year + 1).min(300);
                self.seat_sel = 0;
                self.reload(ctx.store, ctx.today);
            }
            Action::New if self.pane == Pane::Seats && self.committee_id.is_none() => {
                let seats = ctx.school.map(|s| s.preset.seats.len()).unwrap_or(0);
                return Some(Popup::Confirm(
                    Confirm::new(
                        tr("roster.create_title").into(),
                        trf(
                            "roster.create_confirm",
                            &[("year", self.year.to_string()), ("n", seats.to_string())],
                        ),
                    ),
                    Intent::CreateCommittee { year: self.year },
                ));
            }
            Action::New if self.pane == Pane::Directory => {
                return Some(Popup::Form(
                    self.staff_form(tr("staff.new_title").into(), None),
                    Intent::NewStaff,
                ));
            }
            Action::Edit => {
                let s = self.selected_staff()?;
                let form = self.staff_form(
                    trf("staff.edit_title", &[("name", s.name.clone())]),
                    Some(s),
                );
                return Some(Popup::Form(
                    form,
                    Intent::EditStaff {
                        id: s.id,
                        version: s.meta.version,
                    },
                ));
            }
            Action::Delete => {
                let s = self.selected_staff()?;
                let held = ctx.store.seats_held(s.id).unwrap_or_default();
                let msg = if held.is_empty() {
                    trf("staff.delete_confirm", &[("name", s.name.clone())])
                } else {
                    let seats: Vec<String> = held
                        .iter()
                        .map(|(y, t)| {
                            trf(
                                "roster.seat_in_year",
                                &[("year", y.to_string()), ("seat", t.clone())],
                            )
                        })
                        .collect();
                    trf(
                        "staff.delete_confirm_seats",
                        &[
                            ("name", s.name.clone()),
                            ("seats", seats.join(tr("list.sep"))),
                        ],
                    )
                };
                return Some(Popup::Confirm(
                    Confirm::new(tr("staff.delete_title").into(), msg),
                    Intent::DeleteStaff {
                        id: s.id,
                        version: s.meta.version,
                    },
                ));
            }
            Action::Assign => {
                let seat = self.selected_seat()?.clone();
                if !self.staff.iter().any(Staff::is_active) {
                    ctx.error(tr("roster.no_staff").into());
                    return None;
                }
                return Some(self.assign_picker(&seat));
            }
            Action::Vacate => {
                let seat = self.selected_seat()?;
                let Some(m) = &seat.member else {
                    ctx.info(trf(
                        "roster.already_vacant",
                        &[("seat", seat.seat.title.clone())],
                    ));
                    return None;
                };
                return Some(Popup::Confirm(
                    Confirm::new(
                        tr("roster.vacate_title").into(),
                        trf(
                            "roster.vacate_confirm",
                            &[
                                ("name", m.name.clone()),
                                ("seat", seat.seat.title.clone()),
                                ("year", self.year.to_string()),
                            ],
                        ),
                    ),
                    Intent::VacateSeat {
                        seat_id: seat.seat.id,
                        version: seat.seat.meta.version,
                    },
                ));
            }
            Action::CopyForward => {
                self.committee_id?;
                let filled = self.summary.filled;
                return Some(Popup::Confirm(
                    Confirm::new(
                        tr("roster.copy_title").into(),
                        trf(
                            "roster.copy_confirm",
                            &[
                                ("year", self.year.to_string()),
                                ("next", (self.year + 1).to_string()),
                                ("n", self.summary.total.to_string()),
                                ("filled", filled.to_string()),
                            ],
                        ),
                    ),
                    Intent::CopyForward { year: self.year },
                ));
            }
            _ => {}
        }
        None
    }

    fn on_popup(&mut self, result: PopupResult, ctx: &mut Ctx) -> Option<Popup> {
        if let Some(m) = &mut self.meetings {
            return m.on_popup(result, ctx);
        }
        match result {
            PopupResult::Submitted(mut form, intent) => {
                let Some(draft) = Self::read_staff_form(&mut form) else {
                    // Show the messages next to the fields; nothing typed is lost.
                    return Some(Popup::Form(form, intent));
                };
                let r = match intent {
                    Intent::NewStaff => ctx.store.add_staff(&draft),
                    Intent::EditStaff { id, version } => {
                        ctx.store.update_staff(id, version, &draft)
                    }
                    _ => return None,
                };
                match r {
                    Ok(s) => {
                        ctx.info(trf("staff.saved", &[("name", s.name.clone())]));
                        ctx.changed = true;
                        if let Some(i) = self.staff.iter().position(|x| x.id == s.id) {
                            self.staff_sel = i;
                        }
                        None
                    }
                    Err(StoreError::Stale { by, at }) => {
                        // Keep what was typed; a second save overwrites knowingly.
                        let current = match intent {
                            Intent::EditStaff { id, .. } => ctx.store.get_staff(id).ok(),
                            _ => None,
                        };
                        form.error = Some(trf(
                            "staff.stale",
                            &[("by", by), ("at", crate::store::short_time(&at))],
                        ));
                        ctx.changed = true;
                        match current {
                            Some(c) => Some(Popup::Form(
                                form,
                                Intent::EditStaff {
                                    id: c.id,
                                    version: c.meta.version,
                                },
                            )),
                            None => Some(Popup::Form(form, Intent::NewStaff)),
                        }
                    }
                    Err(e) => {
                        form.error = Some(e.message());
                        ctx.changed = true;
                        Some(Popup::Form(form, intent))
                    }
                }
            }
            PopupResult::Confirmed(Intent::DeleteStaff { id, version }) => {
                let name = self
                    .staff
                    .iter()
                    .find(|s| s.id == id)
                    .map(|s| s.name.clone())
                    .unwrap_or_default();
                let r = ctx
                    .store
                    .delete_staff(id, version)
                    .map(|_| trf("staff.deleted", &[("name", name)]));
                self.after_write(ctx, r);
                None
            }
            PopupResult::Confirmed(Intent::VacateSeat { seat_id, version }) => {
                let r = ctx
                    .store
                    .assign_seat(seat_id, version, None)
                    .map(|s| trf("roster.vacated", &[("seat", s.title)]));
                self.after_write(ctx, r);
                None
            }
            PopupResult::Picked(staff_id, Intent::AssignSeat { seat_id, version }) => {
                let name = self
                    .staff
                    .iter()
                    .find(|s| s.id == staff_id)
                    .map(|s| s.name.clone())
                    .unwrap_or_default();
                let r = ctx
                    .store
                    .assign_seat(seat_id, version, Some(staff_id))
                    .map(|s| trf("roster.assigned", &[("name", name), ("seat", s.title)]));
                self.after_write(ctx, r);
                None
            }
            PopupResult::Confirmed(Intent::CreateCommittee { year }) => {
                let seats = ctx
                    .school
                    .map(|s| s.preset.seats.clone())
                    .unwrap_or_default();
                let r = ctx
                    .store
                    .create_committee(year, &seats)
                    .map(|_| trf("roster.created", &[("year", year.to_string())]));
                self.after_write(ctx, r);
                None
            }
            PopupResult::Confirmed(Intent::CopyForward { year }) => {
                let r = ctx.store.copy_committee_forward(year).map(|(c, dropped)| {
                    self.year = c.academic_year;
                    if dropped.is_empty() {
                        trf("roster.copied", &[("year", c.academic_year.to_string())])
                    } else {
                        let seats: Vec<String> = dropped
                            .iter()
                            .map(|(seat, name)| {
                                trf(
                                    "roster.dropped_item",
                                    &[("seat", seat.clone()), ("name", name.clone())],
                                )
                            })
                            .collect();
                        trf(
                            "roster.copied_dropped",
                            &[
                                ("year", c.academic_year.to_string()),
                                ("seats", seats.join(tr("list.sep"))),
                            ],
                        )
                    }
                });
                self.after_write(ctx, r);
                None
            }
            _ => None,
        }
    }

    fn reload(&mut self, store: &Store, today: NaiveDate) {
        self.error = None;
        let r = (|| -> crate::store::Result<()> {
            self.has_school = store.school()?.is_some();
            let c = store.committee(self.year)?;
            self.committee_id = c.as_ref().map(|c| c.id);
            self.seats = match &c {
                Some(c) => store.seats(c.id)?,
                None => Vec::new(),
            };
            self.summary = summarize(&self.seats);
            self.staff = store.list_staff()?;
            Ok(())
        })();
        if let Err(e) = r {
            self.error = Some(e.message());
        }
        self.refilter();
        self.clamp();
        if let Some(m) = &mut self.meetings {
            m.reload(store, today);
        }
    }

    fn draw(&self, f: &mut Frame, area: Rect, v: &View) {
        if let Some(m) = &self.meetings {
            return m.draw(f, area, v);
        }
        let t = v.theme;
        let pane_title = match self.pane {
            Pane::Seats => trf("roster.title_seats", &[("year", self.year.to_string())]),
            Pane::Directory => tr("roster.title_directory").to_string(),
        };
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(t.border())
            .title(Span::styled(format!(" {pane_title} "), t.title()));
        let inner = block.inner(area);
        f.render_widget(block, area);
        let w = inner.width as usize;
        if !self.has_school {
            f.render_widget(
                Paragraph::new(crate::ui::wrap_lines(
                    &[
                        Line::styled(tr("dash.no_school"), t.warn()),
                        Line::from(tr("dash.no_school_hint")),
                    ],
                    w,
                )),
                inner,
            );
            return;
        }
        let filter_rows = u16::from(self.filter().editing || self.filter().is_active());
        let [head, body, foot] = Layout::vertical([
            Constraint::Length(if self.pane == Pane::Seats { 2 } else { 1 }),
            Constraint::Min(1),
            Constraint::Length(filter_rows),
        ])
        .areas(inner);
        let mut head_lines = Vec::new();
        match self.pane {
            Pane::Seats => {
                let s = &self.summary;
                let count = if self.committee_id.is_none() {
                    Line::styled(
                        truncate(&trf("roster.none", &[("year", self.year.to_string())]), w),
                        t.warn(),
                    )
                } else if s.vacant() == 0 {
                    Line::styled(
                        truncate(
                            &trf(
                                "roster.count_full",
                                &[
                                    ("filled", s.filled.to_string()),
                                    ("total", s.total.to_string()),
                                ],
                            ),
                            w,
                        ),
                        t.ok(),
                    )
                } else {
                    Line::styled(
                        truncate(
                            &trf(
                                "roster.count_vacant",
                                &[
                                    ("filled", s.filled.to_string()),
                                    ("total", s.total.to_string()),
                                    ("n", s.vacant().to_string()),
                                    ("seats", s.vacancies.join(tr("list.sep"))),
                                ],
                            ),
                            w,
                        ),
                        t.warn(),
                    )
                };
                head_lines.push(count);
                let note = if let Some((seat, name)) = s.departed.first() {
                    Line::styled(
                        truncate(
                            &trf(
                                "roster.departed",
                                &[("seat", seat.clone()), ("name", name.clone())],
                            ),
                            w,
                        ),
                        t.warn(),
                    )
                } else if let Some(reg) = v.school.map(|s| s.preset.seats.len()) {
                    if self.committee_id.is_some() && reg != s.total {
                        Line::styled(
                            truncate(
                                &trf(
                                    "roster.seat_mismatch",
                                    &[("n", s.total.to_string()), ("reg", reg.to_string())],
                                ),
                                w,
                            ),
                            t.warn(),
                        )
                    } else {
                        Line::styled(
                            truncate(
                                &trf("roster.regulation_count", &[("reg", reg.to_string())]),
                                w,
                            ),
                            t.dim(),
                        )
                    }
                } else {
                    Line::from("")
                };
                head_lines.push(note);
            }
            Pane::Directory => {
                let active = self.staff.iter().filter(|s| s.is_active()).count();
                head_lines.push(Line::styled(
                    truncate(
                        &trf(
                            "roster.directory_count",
                            &[
                                ("active", active.to_string()),
                                ("left", (self.staff.len() - active).to_string()),
                                ("year", self.year.to_string()),
                            ],
                        ),
                        w,
                    ),
                    t.dim(),
                ));
            }
        }
        if let Some(e) = &self.error {
            head_lines = vec![Line::styled(truncate(e, w), t.error())];
        }
        f.render_widget(Paragraph::new(head_lines), head);

        let body_rows = body.height.saturating_sub(1) as usize;
        self.page.set(body_rows.max(1));
        match self.pane {
            Pane::Seats => {
                let vis = self.visible_seats();
                let off = table::scroll_offset(self.seat_sel, self.seat_offset.get(), body_rows);
                self.seat_offset.set(off);
                let row = |r: usize| -> Vec<TCell> {
                    let sv = &self.seats[vis[r]];
                    let role_style = match sv.seat.role {
                        SeatRole::Convener | SeatRole::Secretary => t.key(),
                        SeatRole::Member => t.base(),
                    };
                    let (member, mstyle, positions, contact) = match &sv.member {
                        None => (
                            tr("roster.vacant").to_string(),
                            t.warn(),
                            String::new(),
                            String::new(),
                        ),
                        Some(m) => {
                            let contact = [m.phone.as_str(), m.email.as_str()]
                                .iter()
                                .filter(|x| !x.is_empty())
                                .cloned()
                                .collect::<Vec<_>>()
                                .join(" ");
                            if m.is_active() {
                                (m.name.clone(), t.base(), m.positions_text(), contact)
                            } else {
                                (
                                    format!("{}{}", m.name, tr("roster.left_mark")),
                                    t.warn(),
                                    m.positions_text(),
                                    contact,
                                )
                            }
                        }
                    };
                    vec![
                        (sv.seat.title.clone(), t.base()),
                        (
                            role_label(sv.seat.role, sv.seat.kind).to_string(),
                            role_style,
                        ),
                        (member, mstyle),
                        (positions, t.dim()),
                        (contact, t.dim()),
                    ]
                };
                if self.committee_id.is_none() {
                    f.render_widget(
                        Paragraph::new(Line::styled(tr("roster.none_hint"), t.dim())),
                        body,
                    );
                } else {
                    table::draw(
                        f,
                        body,
                        t,
                        &SEAT_COLS,
                        vis.len(),
                        Some(self.seat_sel),
                        off,
                        &row,
                    );
                }
            }
            Pane::Directory => {
                let vis = self.visible_staff();
                let off = table::scroll_offset(self.staff_sel, self.staff_offset.get(), body_rows);
                self.staff_offset.set(off);
                let row = |r: usize| -> Vec<TCell> {
                    let s = &self.staff[vis[r]];
                    let seats: Vec<&str> = self
                        .seats
                        .iter()
                        .filter(|sv| sv.seat.staff_id == Some(s.id))
                        .map(|sv| sv.seat.title.as_str())
                        .collect();
                    let status = if s.is_active() {
                        (tr("staff.active").to_string(), t.ok())
                    } else {
                        let when = s.left_on.map(format_roc).unwrap_or_default();
                        (
                            format!("{} {when}", tr("staff.left")).trim().to_string(),
                            t.warn(),
                        )
                    };
                    vec![
                        (s.name.clone(), t.base()),
                        (s.positions_text(), t.base()),
                        status,
                        (s.phone.clone(), t.dim()),
                        (s.email.clone(), t.dim()),
                        (seats.join(tr("list.sep")), t.base()),
                    ]
                };
                if vis.is_empty() {
                    let msg = if self.staff.is_empty() {
                        tr("roster.directory_empty").to_string()
                    } else {
                        trf(
                            "roster.filter_none",
                            &[("query", self.staff_filter.text.clone())],
                        )
                    };
                    f.render_widget(Paragraph::new(Line::styled(msg, t.dim())), body);
                } else {
                    table::draw(
                        f,
                        body,
                        t,
                        &STAFF_COLS,
                        vis.len(),
                        Some(self.staff_sel),
                        off,
                        &row,
                    );
                }
            }
        }
        if filter_rows > 0 {
            let fl = self.filter();
            let cursor = if fl.editing { "▏" } else { "" };
            let text = format!("/{}{cursor}", fl.text);
            f.render_widget(
                Paragraph::new(Line::styled(truncate(&text, w), t.key())),
                foot,
            );
        }
    }
}
