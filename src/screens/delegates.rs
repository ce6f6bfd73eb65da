//! 代理: who acts for each position today (or on an "as of" date), the
//! selected position's rank list with the path today's resolution took, and
//! the absences. `v` switches between the positions and the absences; Enter
//! moves into the rank list to add, remove and reorder delegates.

use std::cell::Cell;
use std::collections::HashSet;

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::{Ctx, Intent, Popup, PopupResult, Screen, View};
use crate::domain::committee::Staff;
use crate::domain::delegation::{
    Absence, AbsenceKind, Actor, NoActorReason, Resolution, Subject, World, coverage, resolve,
};
use crate::domain::roc::{
    DateStyle, academic_year_of, format_range, format_roc, parse_date, parse_range,
};
use crate::i18n::{Localized, tr, trf};
use crate::store::{AbsenceRec, DelegateTableRec, Store, StoreError};
use crate::ui::confirm::Confirm;
use crate::ui::filter::Filter;
use crate::ui::form::{Field, Form};
use crate::ui::keys::Action;
use crate::ui::picker::{PickItem, Picker};
use crate::ui::table::{self, Cell as TCell, Column};
use crate::ui::text::{pad, truncate, width};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Positions,
    Absences,
    /// The coverage report for the date (issue 4: cycles, positions no one
    /// can act for, delegates who left, teachers without a substitute).
    Check,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Positions,
    /// The cursor is in the selected position's rank list.
    Ranks,
}

/// One position (or a teacher's certification table) as shown: who holds it
/// and who acts on the date.
struct Row {
    subject: Subject,
    /// The position's title, or "王小明（課程成果認證）" for a teacher.
    title: String,
    holders: Vec<String>,
    resolution: Resolution,
}

pub struct Delegates {
    pub pane: Pane,
    pub focus: Focus,
    /// `None`: today.
    pub as_of: Option<NaiveDate>,
    today: NaiveDate,
    has_school: bool,
    world: World,
    tables: Vec<DelegateTableRec>,
    absences: Vec<AbsenceRec>,
    staff: Vec<Staff>,
    rows: Vec<Row>,
    filter: Filter,
    vis: Vec<usize>,
    sel: usize,
    rank_sel: usize,
    abs_sel: usize,
    /// Office positions of the date's committee and teachers with items to
    /// certify: what the coverage report is about.
    office: Vec<String>,
    uncert: Vec<i64>,
    /// The coverage report for the date, as messages.
    findings: Vec<String>,
    chk_sel: usize,
    offset: Cell<usize>,
    abs_offset: Cell<usize>,
    page: Cell<usize>,
    error: Option<String>,
    /// The row to select after the next reload (a table just started).
    want: Option<Subject>,
}

// Fields of the absence form.
const A_PERSON: usize = 0;
const A_RANGE: usize = 1;
const A_KIND: usize = 2;
const A_REASON: usize = 3;

const POS_COLS: [Column; 5] = [
    Column {
        header: "delegates.col_position",
        min: 12,
        max: 18,
        priority: 0,
    },
    Column {
        header: "delegates.col_acting",
        min: 8,
        max: 12,
        priority: 0,
    },
    Column {
        header: "delegates.col_state",
        min: 10,
        max: 10,
        priority: 0,
    },
    Column {
        header: "delegates.col_holder",
        min: 8,
        max: 14,
        priority: 1,
    },
    Column {
        header: "delegates.col_via",
        min: 12,
        max: 30,
        priority: 2,
    },
];

const ABS_COLS: [Column; 6] = [
    Column {
        header: "delegates.col_person",
        min: 8,
        max: 12,
        priority: 0,
    },
    Column {
        header: "delegates.col_span",
        min: 16,
        max: 20,
        priority: 0,
    },
    Column {
        header: "delegates.col_kind",
        min: 8,
        max: 10,
        priority: 0,
    },
    Column {
        header: "delegates.col_now",
        min: 8,
        max: 10,
        priority: 1,
    },
    Column {
        header: "delegates.col_reason",
        min: 8,
        max: 20,
        priority: 2,
    },
    Column {
        header: "delegates.col_positions",
        min: 10,
        max: 20,
        priority: 3,
    },
];

fn kind_label(k: AbsenceKind) -> &'static str {
    tr(match k {
        AbsenceKind::Leave => "delegates.kind_leave",
        AbsenceKind::Vacancy => "delegates.kind_vacancy",
        AbsenceKind::Departed => "delegates.kind_departed",
    })
}

/// Reads a kind typed in the form: the word of either list in the strings
/// (e.g. 請假 / leave / 1).
fn parse_kind(text: &str) -> Option<AbsenceKind> {
    let t = text.trim().to_lowercase();
    if t.is_empty() {
        return Some(AbsenceKind::Leave);
    }
    [
        (AbsenceKind::Leave, "delegates.kind_leave_words"),
        (AbsenceKind::Vacancy, "delegates.kind_vacancy_words"),
        (AbsenceKind::Departed, "delegates.kind_departed_words"),
    ]
    .into_iter()
    .find(|(_, key)| tr(key).split(',').any(|w| w.trim().to_lowercase() == t))
    .map(|(k, _)| k)
}

/// Why no one acts, short enough for a table cell.
fn short_reason(r: &NoActorReason) -> String {
    match r {
        NoActorReason::NoDelegateTable => tr("delegates.reason_no_table").into(),
        NoActorReason::AllUnavailable => tr("delegates.reason_all_away").into(),
        NoActorReason::CycleReached { at } => {
            let at = match at {
                Actor::Position(p) => p.clone(),
                Actor::Person(id) => format!("#{id}"),
            };
            trf("delegates.reason_cycle", &[("at", at)])
        }
    }
}

/// The subject an intent names: a teacher's table, or the position.
fn subject_of(position: &str, teacher: Option<i64>) -> Subject {
    match teacher {
        Some(id) => Subject::Teacher(id),
        None => Subject::Position(position.to_string()),
    }
}

impl Delegates {
    pub fn new(today: NaiveDate) -> Delegates {
        Delegates {
            pane: Pane::Positions,
            focus: Focus::Positions,
            as_of: None,
            today,
            has_school: false,
            world: World::default(),
            tables: Vec::new(),
            absences: Vec::new(),
            staff: Vec::new(),
            rows: Vec::new(),
            filter: Filter::default(),
            vis: Vec::new(),
            sel: 0,
            rank_sel: 0,
            abs_sel: 0,
            office: Vec::new(),
            uncert: Vec::new(),
            findings: Vec::new(),
            chk_sel: 0,
            offset: Cell::new(0),
            abs_offset: Cell::new(0),
            page: Cell::new(10),
            error: None,
            want: None,
        }
    }

    /// The date everything is computed for.
    pub fn date(&self) -> NaiveDate {
        self.as_of.unwrap_or(self.today)
    }

    fn person_name(&self, id: i64) -> String {
        self.world
            .person(id)
            .map(|p| p.name.clone())
            .unwrap_or_else(|| format!("#{id}"))
    }

    /// Recomputes every position's resolution for the date.
    fn recompute(&mut self) {
        let date = self.date();
        for r in &mut self.rows {
            r.resolution = resolve(&self.world, &r.subject, date);
        }
        self.findings = coverage(&self.world, date, &self.office, &self.uncert)
            .iter()
            .map(|f| trf(f.message_key(), &f.args()))
            .collect();
        self.chk_sel = self.chk_sel.min(self.findings.len().saturating_sub(1));
    }

    fn refilter(&mut self) {
        let q = self.filter.text.to_lowercase();
        self.vis = self
            .rows
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                if q.is_empty() {
                    return true;
                }
                let acting = r
                    .resolution
                    .acting()
                    .map(|a| a.person.name.as_str())
                    .unwrap_or("");
                [r.title.as_str(), acting]
                    .iter()
                    .chain(
                        r.holders
                            .iter()
                            .map(String::as_str)
                            .collect::<Vec<_>>()
                            .iter(),
                    )
                    .any(|f| f.to_lowercase().contains(&q))
            })
            .map(|(i, _)| i)
            .collect();
        self.clamp();
    }

    fn clamp(&mut self) {
        self.sel = self.sel.min(self.vis.len().saturating_sub(1));
        self.abs_sel = self.abs_sel.min(self.absences.len().saturating_sub(1));
        let n = self.selected_table().map_or(0, |t| t.rows.len());
        self.rank_sel = self.rank_sel.min(n.saturating_sub(1));
        if n == 0 && self.focus == Focus::Ranks && self.selected_row().is_none() {
            self.focus = Focus::Positions;
        }
    }

    fn selected_row(&self) -> Option<&Row> {
        self.vis.get(self.sel).map(|&i| &self.rows[i])
    }

    fn selected_table(&self) -> Option<&DelegateTableRec> {
        self.table_of(&self.selected_row()?.subject)
    }

    fn table_of(&self, subject: &Subject) -> Option<&DelegateTableRec> {
        self.tables.iter().find(|t| &t.table.subject == subject)
    }

    /// The row's label for a subject: the position, or the teacher's
    /// certification table.
    fn subject_text(&self, subject: &Subject) -> String {
        match subject {
            Subject::Position(p) => p.clone(),
            Subject::Teacher(id) => {
                trf("delegates.teacher_row", &[("name", self.person_name(*id))])
            }
        }
    }

    fn selected_absence(&self) -> Option<&AbsenceRec> {
        self.absences.get(self.abs_sel)
    }

    /// "設備組長（李大華）" for a position, the name for a person.
    fn actor_text(&self, a: &Actor) -> String {
        match a {
            Actor::Position(p) => {
                let names: Vec<String> = self
                    .world
                    .holders(p)
                    .iter()
                    .filter(|h| !h.has_left_by(self.date()))
                    .map(|h| h.name.clone())
                    .collect();
                if names.is_empty() {
                    trf("delegates.position_vacant", &[("position", p.clone())])
                } else {
                    trf(
                        "delegates.position_held",
                        &[
                            ("position", p.clone()),
                            ("names", names.join(tr("list.sep"))),
                        ],
                    )
                }
            }
            Actor::Person(id) => self.person_name(*id),
        }
    }

    /// The path of a resolution as one line:
    /// "註冊組長（王小明）請假至 112.03.01 → 設備組長（李大華）代理".
    fn path_text(&self, res: &Resolution) -> String {
        crate::ui::delegation_text::path_text(res)
    }

    /// "今天：" (or the date) and the path.
    fn path_line(&self, res: &Resolution) -> String {
        let label = if self.as_of.is_some_and(|d| d != self.today) {
            trf("delegates.path_on", &[("date", format_roc(self.date()))])
        } else {
            tr("delegates.path_today").to_string()
        };
        format!("{label}{}", self.path_text(res))
    }

    fn as_of_form(&self) -> Form {
        let value = self.as_of.map(format_roc).unwrap_or_default();
        Form::new(
            tr("delegates.as_of_title").into(),
            vec![Field::new("delegates.as_of_field", &value).with_hint("delegates.as_of_hint")],
        )
    }

    fn absence_form(&self) -> Form {
        // From the positions, the selected position's holder is the likely one.
        let person = if self.pane == Pane::Positions {
            self.selected_row()
                .and_then(|r| r.holders.first().cloned())
                .unwrap_or_default()
        } else {
            String::new()
        };
        let mut form = Form::new(
            tr("delegates.absence_title").into(),
            vec![
                Field::new("delegates.absence_person", &person)
                    .with_hint("delegates.absence_person_hint"),
                Field::new("delegates.absence_range", "").with_hint("delegates.absence_range_hint"),
                Field::new("delegates.absence_kind", kind_label(AbsenceKind::Leave))
                    .with_hint("delegates.absence_kind_hint")
                    .with_choices(
                        [
                            AbsenceKind::Leave,
                            AbsenceKind::Vacancy,
                            AbsenceKind::Departed,
                        ]
                        .map(kind_label),
                    ),
                Field::new("delegates.absence_reason", ""),
            ],
        );
        if !person.is_empty() {
            form.focus = A_RANGE;
        }
        form
    }

    /// Reads the absence form; on problems puts the messages on the form.
    fn read_absence_form(&self, form: &mut Form) -> Option<Absence> {
        form.clear_errors();
        let mut ok = true;
        let name = form.value(A_PERSON).trim().to_string();
        let staff_id = if name.is_empty() {
            form.set_error(A_PERSON, tr("delegates.err_person_empty").into());
            ok = false;
            None
        } else {
            let lower = name.to_lowercase();
            let mut found: Vec<&Staff> = self
                .staff
                .iter()
                .filter(|s| s.name.to_lowercase() == lower)
                .collect();
            if found.is_empty() {
                // A position's title names its one holder.
                found = self
                    .staff
                    .iter()
                    .filter(|s| s.is_active() && s.positions.contains(&name))
                    .collect();
            }
            if found.len() > 1 {
                let active: Vec<&Staff> = found.iter().copied().filter(|s| s.is_active()).collect();
                if active.len() == 1 {
                    found = active;
                }
            }
            match found.as_slice() {
                [one] => Some(one.id),
                [] => {
                    form.set_error(
                        A_PERSON,
                        trf("delegates.err_person_unknown", &[("name", name.clone())]),
                    );
                    ok = false;
                    None
                }
                _ => {
                    form.set_error(
                        A_PERSON,
                        trf("delegates.err_person_ambiguous", &[("name", name.clone())]),
                    );
                    ok = false;
                    None
                }
            }
        };
        let range_text = form.value(A_RANGE);
        let span = if range_text.trim().is_empty() {
            form.set_error(A_RANGE, crate::i18n::tr_ex("delegates.err_range_empty"));
            ok = false;
            None
        } else {
            match parse_range(&range_text) {
                Ok(r) => Some(r),
                Err(e) => {
                    form.set_error(A_RANGE, e.message());
                    ok = false;
                    None
                }
            }
        };
        let kind_text = form.value(A_KIND);
        let kind = match parse_kind(&kind_text) {
            Some(k) => Some(k),
            None => {
                form.set_error(
                    A_KIND,
                    trf(
                        "delegates.err_kind",
                        &[("kind", kind_text.trim().to_string())],
                    ),
                );
                ok = false;
                None
            }
        };
        match (ok, staff_id, span, kind) {
            (true, Some(staff_id), Some(span), Some(kind)) => Some(Absence {
                staff_id,
                span,
                kind,
                reason: form.value(A_REASON).trim().to_string(),
            }),
            _ => None,
        }
    }

    fn add_delegate_picker(&self, subject: &Subject) -> Popup {
        let present: Vec<Actor> = self
            .table_of(subject)
            .map(|t| t.table.delegates.iter().map(|d| d.actor.clone()).collect())
            .unwrap_or_default();
        let label = self.subject_text(subject);
        let teacher = match subject {
            Subject::Teacher(id) => Some(*id),
            Subject::Position(_) => None,
        };
        let mut items = Vec::new();
        for (i, r) in self.rows.iter().enumerate() {
            // Only positions can be delegates; a teacher's table is not one.
            if !matches!(r.subject, Subject::Position(_))
                || r.subject == *subject
                || present.contains(&Actor::Position(r.title.clone()))
            {
                continue;
            }
            // A position only the teacher holds would be the teacher again.
            if let Some(id) = teacher
                && r.holders.len() == 1
                && self
                    .staff
                    .iter()
                    .any(|s| s.id == id && s.is_active() && s.positions.contains(&r.title))
            {
                continue;
            }
            let detail = if r.holders.is_empty() {
                tr("delegates.pick_vacant").to_string()
            } else {
                r.holders.join(tr("list.sep"))
            };
            items.push(PickItem {
                // Positions are negative ids (row index), people their staff id.
                id: -(i as i64) - 1,
                label: r.title.clone(),
                detail,
            });
        }
        for s in self.staff.iter().filter(|s| s.is_active()) {
            if present.contains(&Actor::Person(s.id)) || teacher == Some(s.id) {
                continue;
            }
            items.push(PickItem {
                id: s.id,
                label: s.name.clone(),
                detail: trf(
                    "delegates.pick_person",
                    &[("positions", s.positions_text())],
                ),
            });
        }
        Popup::Picker(
            Picker::new(
                trf("delegates.add_title", &[("position", label.clone())]),
                items,
            ),
            Intent::PickDelegate {
                position: label,
                teacher,
            },
        )
    }

    /// Active staff without a certification table yet, to start one.
    fn cert_teacher_picker(&self) -> Popup {
        let mut people: Vec<&Staff> = self
            .staff
            .iter()
            .filter(|s| s.is_active() && self.table_of(&Subject::Teacher(s.id)).is_none())
            .collect();
        // Those with items still to certify first.
        people.sort_by_key(|s| s.uncertified == 0);
        let items = people
            .into_iter()
            .map(|s| PickItem {
                id: s.id,
                label: s.name.clone(),
                detail: if s.uncertified > 0 {
                    trf(
                        "delegates.pick_teacher_uncertified",
                        &[
                            ("positions", s.positions_text()),
                            ("n", s.uncertified.to_string()),
                        ],
                    )
                } else {
                    s.positions_text()
                },
            })
            .collect();
        Popup::Picker(
            Picker::new(tr("delegates.cert_table_title").into(), items),
            Intent::PickCertTeacher,
        )
    }

    fn after_write(&mut self, ctx: &mut Ctx, r: Result<String, StoreError>) {
        match r {
            Ok(msg) => ctx.info(msg),
            Err(e) => ctx.store_error(&e),
        }
        ctx.changed = true;
    }

    fn move_sel(&mut self, delta: isize) {
        let (n, s) = match (self.pane, self.focus) {
            (Pane::Absences, _) => (self.absences.len(), &mut self.abs_sel),
            (Pane::Check, _) => (self.findings.len(), &mut self.chk_sel),
            (Pane::Positions, Focus::Ranks) => {
                let n = self.selected_table().map_or(0, |t| t.rows.len());
                (n, &mut self.rank_sel)
            }
            (Pane::Positions, Focus::Positions) => (self.vis.len(), &mut self.sel),
        };
        let target = (*s as isize + delta).clamp(0, n.saturating_sub(1) as isize);
        let changed = *s != target as usize;
        *s = target as usize;
        if changed && self.pane == Pane::Positions && self.focus == Focus::Positions {
            self.rank_sel = 0;
        }
    }

    fn set_sel(&mut self, to_end: bool) {
        let n = match (self.pane, self.focus) {
            (Pane::Absences, _) => self.absences.len(),
            (Pane::Check, _) => self.findings.len(),
            (Pane::Positions, Focus::Ranks) => self.selected_table().map_or(0, |t| t.rows.len()),
            (Pane::Positions, Focus::Positions) => self.vis.len(),
        };
        let v = if to_end { n.saturating_sub(1) } else { 0 };
        match (self.pane, self.focus) {
            (Pane::Absences, _) => self.abs_sel = v,
            (Pane::Check, _) => self.chk_sel = v,
            (Pane::Positions, Focus::Ranks) => self.rank_sel = v,
            (Pane::Positions, Focus::Positions) => {
                self.sel = v;
                self.rank_sel = 0;
            }
        }
    }

    fn title_text(&self) -> String {
        let date = format_roc(self.date());
        let pane = match self.pane {
            Pane::Positions => tr("delegates.title_positions"),
            Pane::Absences => tr("delegates.title_absences"),
            Pane::Check => tr("delegates.title_check"),
        };
        if self.as_of.is_some_and(|d| d != self.today) {
            trf(
                "delegates.title_as_of",
                &[("pane", pane.into()), ("date", date)],
            )
        } else {
            trf(
                "delegates.title_today",
                &[("pane", pane.into()), ("date", date)],
            )
        }
    }

    fn draw_positions(&self, f: &mut Frame, area: Rect, v: &View) {
        let t = v.theme;
        let w = area.width as usize;
        let filter_rows = u16::from(self.filter.editing || self.filter.is_active());
        // The detail of the selected position: a rule, its ranks, the path.
        let n_ranks = self.selected_table().map_or(0, |t| t.rows.len());
        let rank_rows = n_ranks.clamp(1, 4) as u16;
        // The path takes the lines it needs, up to three (cut with "…").
        let path_w = self
            .selected_row()
            .map_or(0, |r| width(&self.path_line(&r.resolution)));
        let path_rows = path_w
            .div_ceil((w.max(1)).saturating_sub(2).max(1))
            .clamp(1, 3) as u16;
        let detail_h = 1 + rank_rows + path_rows;
        let show_detail = area.height >= detail_h + filter_rows + 1 + 4;
        let [head, body, detail, foot] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(if show_detail { detail_h } else { 0 }),
            Constraint::Length(filter_rows),
        ])
        .areas(area);

        let count = |teachers: bool| {
            let rows: Vec<&Row> = self
                .rows
                .iter()
                .filter(|r| matches!(r.subject, Subject::Teacher(_)) == teachers)
                .collect();
            let delegated = rows
                .iter()
                .filter(|r| r.resolution.acting().is_some_and(|a| a.depth > 0))
                .count();
            let none = rows
                .iter()
                .filter(|r| r.resolution.acting().is_none())
                .count();
            (rows.len(), delegated, none)
        };
        let (n, delegated, none_pos) = count(false);
        let mut summary = trf(
            "delegates.summary",
            &[
                ("n", n.to_string()),
                ("delegated", delegated.to_string()),
                ("none", none_pos.to_string()),
            ],
        );
        let (n_teachers, _, none_cert) = count(true);
        if n_teachers > 0 {
            summary += &trf(
                "delegates.summary_cert",
                &[
                    ("n", n_teachers.to_string()),
                    ("none", none_cert.to_string()),
                ],
            );
        }
        let no_one = none_pos + none_cert;
        let head_line = if let Some(e) = &self.error {
            Line::styled(truncate(e, w), t.error())
        } else if no_one > 0 {
            Line::styled(truncate(&summary, w), t.warn())
        } else {
            Line::styled(truncate(&summary, w), t.dim())
        };
        f.render_widget(Paragraph::new(head_line), head);

        let body_rows = body.height.saturating_sub(1) as usize;
        self.page.set(body_rows.max(1));
        let off = table::scroll_offset(self.sel, self.offset.get(), body_rows);
        self.offset.set(off);
        let row = |i: usize| -> Vec<TCell> {
            let r = &self.rows[self.vis[i]];
            let holders = if r.holders.is_empty() {
                (tr("delegates.vacant").to_string(), t.dim())
            } else {
                (r.holders.join(tr("list.sep")), t.dim())
            };
            match r.resolution.acting() {
                Some(a) if a.depth == 0 => vec![
                    (r.title.clone(), t.base()),
                    (a.person.name.clone(), t.base()),
                    (tr("delegates.state_self").to_string(), t.dim()),
                    holders,
                    (String::new(), t.dim()),
                ],
                Some(a) => {
                    let via = a
                        .via
                        .as_ref()
                        .map(|via| {
                            let owner = match &via.table {
                                Subject::Position(p) => p.clone(),
                                Subject::Teacher(id) => self.person_name(*id),
                            };
                            let actor = match &a.actor {
                                Actor::Position(p) => p.clone(),
                                Actor::Person(id) => self.person_name(*id),
                            };
                            if a.depth > 1 {
                                trf(
                                    "delegates.via_deep",
                                    &[
                                        ("actor", actor),
                                        ("owner", owner),
                                        ("rank", via.rank.to_string()),
                                    ],
                                )
                            } else {
                                trf(
                                    "delegates.via",
                                    &[("actor", actor), ("rank", via.rank.to_string())],
                                )
                            }
                        })
                        .unwrap_or_default();
                    vec![
                        (r.title.clone(), t.base()),
                        (a.person.name.clone(), t.key()),
                        (tr("delegates.state_delegated").to_string(), t.key()),
                        holders,
                        (via, t.dim()),
                    ]
                }
                None => vec![
                    (r.title.clone(), t.warn()),
                    (tr("delegates.no_one").to_string(), t.warn()),
                    (tr("delegates.state_no_one").to_string(), t.warn()),
                    holders,
                    (
                        r.resolution
                            .no_one_reason()
                            .map(short_reason)
                            .unwrap_or_default(),
                        t.warn(),
                    ),
                ],
            }
        };
        if self.vis.is_empty() {
            let msg = if self.rows.is_empty() {
                tr("delegates.empty").to_string()
            } else {
                trf(
                    "delegates.filter_none",
                    &[("query", self.filter.text.clone())],
                )
            };
            f.render_widget(
                Paragraph::new(Line::styled(truncate(&msg, w), t.dim())),
                body,
            );
        } else {
            let sel = (self.focus == Focus::Positions).then_some(self.sel);
            table::draw(
                f,
                body,
                t,
                &POS_COLS,
                self.vis.len(),
                sel.or(Some(self.sel)),
                off,
                &row,
            );
        }

        if show_detail && let Some(r) = self.selected_row() {
            self.draw_detail(f, detail, v, r, rank_rows as usize);
        }

        if filter_rows > 0 {
            let cursor = if self.filter.editing { "▏" } else { "" };
            let text = format!("/{}{cursor}", self.filter.text);
            f.render_widget(
                Paragraph::new(Line::styled(truncate(&text, w), t.key())),
                foot,
            );
        }
    }

    fn draw_detail(&self, f: &mut Frame, area: Rect, v: &View, r: &Row, rank_rows: usize) {
        let t = v.theme;
        let title = if self.focus == Focus::Ranks {
            trf(
                "delegates.ranks_title_editing",
                &[("position", r.title.clone())],
            )
        } else {
            trf("delegates.ranks_title", &[("position", r.title.clone())])
        };
        let block = Block::default()
            .borders(Borders::TOP)
            .border_style(t.border())
            .title(Span::styled(
                format!(
                    " {} ",
                    truncate(&title, (area.width as usize).saturating_sub(4))
                ),
                if self.focus == Focus::Ranks {
                    t.key()
                } else {
                    t.title()
                },
            ));
        let inner = block.inner(area);
        f.render_widget(block, area);
        let w = inner.width as usize;
        let [ranks, path] =
            Layout::vertical([Constraint::Length(rank_rows as u16), Constraint::Min(0)])
                .areas(inner);
        let mut lines = Vec::new();
        match self.selected_table() {
            Some(tbl) if !tbl.table.delegates.is_empty() => {
                let date = self.date();
                let off = table::scroll_offset(self.rank_sel, 0, rank_rows);
                let texts: Vec<String> = tbl
                    .table
                    .delegates
                    .iter()
                    .map(|d| self.actor_text(&d.actor))
                    .collect();
                let name_w = texts.iter().map(|s| width(s)).max().unwrap_or(0).min(w / 2);
                let ranks_text: Vec<String> = tbl
                    .table
                    .delegates
                    .iter()
                    .map(|d| trf("delegates.rank", &[("rank", d.rank.to_string())]))
                    .collect();
                let rank_w = ranks_text.iter().map(|s| width(s)).max().unwrap_or(0);
                for (n, d) in tbl
                    .table
                    .delegates
                    .iter()
                    .enumerate()
                    .skip(off)
                    .take(rank_rows)
                {
                    let valid = match &d.valid {
                        None => tr("delegates.valid_always").to_string(),
                        Some(range) if range.contains(date) => format_range(range, DateStyle::Roc),
                        Some(range) => trf(
                            "delegates.valid_outside",
                            &[("range", format_range(range, DateStyle::Roc))],
                        ),
                    };
                    let text = format!(
                        "{}  {}  {}",
                        pad(&ranks_text[n], rank_w),
                        pad(&texts[n], name_w),
                        valid
                    );
                    let style = if d.valid.is_some_and(|r| !r.contains(date)) {
                        t.dim()
                    } else {
                        t.base()
                    };
                    let line = Line::styled(pad(&text, w), style);
                    lines.push(if self.focus == Focus::Ranks && n == self.rank_sel {
                        line.style(t.selected())
                    } else {
                        line
                    });
                }
            }
            _ => lines.push(Line::styled(
                truncate(tr("delegates.no_table"), w),
                t.warn(),
            )),
        }
        f.render_widget(Paragraph::new(lines), ranks);
        let style = if r.resolution.acting().is_none() {
            t.warn()
        } else {
            t.base()
        };
        // Wrapping may leave a cell or two free at a line's end.
        let room = (path.width as usize).saturating_sub(2) * path.height as usize;
        let text = truncate(&self.path_line(&r.resolution), room);
        f.render_widget(
            Paragraph::new(crate::ui::wrapped(&text, path.width as usize, style)),
            path,
        );
    }

    /// The coverage report: a count, one finding a line, and the selected
    /// finding in full at the bottom.
    fn draw_check(&self, f: &mut Frame, area: Rect, v: &View) {
        let t = v.theme;
        let w = area.width as usize;
        let [head, body, full] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(2),
        ])
        .areas(area);
        let date = format_roc(self.date());
        let head_line = if self.findings.is_empty() {
            Line::styled(
                truncate(&trf("delegates.check_none", &[("date", date)]), w),
                t.ok(),
            )
        } else {
            Line::styled(
                truncate(
                    &trf(
                        "delegates.check_count",
                        &[("date", date), ("n", self.findings.len().to_string())],
                    ),
                    w,
                ),
                t.warn(),
            )
        };
        f.render_widget(Paragraph::new(head_line), head);
        let rows = body.height as usize;
        // The page ends at the selection once it is past the first page.
        let off = self.chk_sel.saturating_sub(rows.saturating_sub(1));
        let lines: Vec<Line> = self
            .findings
            .iter()
            .enumerate()
            .skip(off)
            .take(rows)
            .map(|(i, m)| {
                let text = truncate(m, w);
                if i == self.chk_sel {
                    Line::styled(text, t.selected())
                } else {
                    Line::from(text)
                }
            })
            .collect();
        f.render_widget(Paragraph::new(lines), body);
        if let Some(m) = self.findings.get(self.chk_sel) {
            f.render_widget(
                Paragraph::new(crate::ui::wrapped(m, full.width as usize, t.dim())),
                full,
            );
        }
    }

    fn draw_absences(&self, f: &mut Frame, area: Rect, v: &View) {
        let t = v.theme;
        let w = area.width as usize;
        let [head, body] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
        let date = self.date();
        let current = self
            .absences
            .iter()
            .filter(|a| a.absence.span.contains(date))
            .count();
        let head_line = if let Some(e) = &self.error {
            Line::styled(truncate(e, w), t.error())
        } else {
            Line::styled(
                truncate(
                    &trf(
                        "delegates.absence_count",
                        &[
                            ("n", self.absences.len().to_string()),
                            ("current", current.to_string()),
                            ("date", format_roc(date)),
                        ],
                    ),
                    w,
                ),
                t.dim(),
            )
        };
        f.render_widget(Paragraph::new(head_line), head);
        if self.absences.is_empty() {
            f.render_widget(
                Paragraph::new(Line::styled(
                    truncate(tr("delegates.absence_empty"), w),
                    t.dim(),
                )),
                body,
            );
            return;
        }
        let body_rows = body.height.saturating_sub(1) as usize;
        self.page.set(body_rows.max(1));
        let off = table::scroll_offset(self.abs_sel, self.abs_offset.get(), body_rows);
        self.abs_offset.set(off);
        let row = |i: usize| -> Vec<TCell> {
            let a = &self.absences[i].absence;
            let person = self.world.person(a.staff_id);
            let name = person
                .map(|p| p.name.clone())
                .unwrap_or_else(|| format!("#{}", a.staff_id));
            let positions = person
                .map(|p| p.positions.join(tr("list.sep")))
                .unwrap_or_default();
            let (now, style) = if a.span.contains(date) {
                (tr("delegates.abs_current"), t.key())
            } else if a.span.end < date {
                (tr("delegates.abs_past"), t.dim())
            } else {
                (tr("delegates.abs_future"), t.base())
            };
            vec![
                (name, style),
                (format_range(&a.span, DateStyle::Roc), style),
                (kind_label(a.kind).to_string(), style),
                (now.to_string(), style),
                (a.reason.clone(), t.dim()),
                (positions, t.dim()),
            ]
        };
        table::draw(
            f,
            body,
            t,
            &ABS_COLS,
            self.absences.len(),
            Some(self.abs_sel),
            off,
            &row,
        );
    }
}

impl Screen for Delegates {
    fn title(&self) -> &'static str {
        "delegates.tab"
    }

    fn commands(&self) -> Vec<Action> {
        if !self.has_school {
            return vec![];
        }
        let nav = crate::ui::keys::NAV;
        let mut v = Vec::new();
        match (self.pane, self.focus) {
            (Pane::Positions, Focus::Positions) => {
                if self.selected_row().is_some() {
                    v.push(Action::EditRanks);
                }
                v.extend([Action::DelegatesView, Action::AsOf]);
                if self.as_of.is_some() {
                    v.push(Action::AsOfToday);
                }
                v.extend([Action::AddAbsence, Action::Filter]);
                if self.filter.is_active() {
                    v.push(Action::ClearFilter);
                }
                if self.selected_row().is_some() {
                    v.push(Action::AddDelegate);
                }
                v.push(Action::AddCertTable);
            }
            (Pane::Positions, Focus::Ranks) => {
                v.push(Action::AddDelegate);
                if self.selected_table().is_some_and(|t| !t.rows.is_empty()) {
                    v.extend([Action::RankUp, Action::RankDown, Action::RemoveDelegate]);
                }
                v.push(Action::LeaveRanks);
            }
            (Pane::Absences, _) => {
                v.push(Action::AddAbsence);
                if !self.absences.is_empty() {
                    v.push(Action::RemoveAbsence);
                }
                v.push(Action::AsOf);
                if self.as_of.is_some() {
                    v.push(Action::AsOfToday);
                }
                v.push(Action::DelegatesView);
            }
            (Pane::Check, _) => {
                v.push(Action::AsOf);
                if self.as_of.is_some() {
                    v.push(Action::AsOfToday);
                }
                v.push(Action::DelegatesView);
            }
        }
        v.extend(nav);
        v
    }

    fn captures_text(&self) -> bool {
        self.pane == Pane::Positions && self.filter.editing
    }

    fn on_text(&mut self, ev: KeyEvent) {
        if self.filter.handle_key(ev) {
            self.sel = 0;
            self.rank_sel = 0;
            self.refilter();
        }
    }

    fn on_action(&mut self, action: Action, ctx: &mut Ctx) -> Option<Popup> {
        let page = self.page.get() as isize;
        match action {
            Action::Up => self.move_sel(-1),
            Action::Down => self.move_sel(1),
            Action::PageUp => self.move_sel(-page),
            Action::PageDown => self.move_sel(page),
            Action::Top => self.set_sel(false),
            Action::Bottom => self.set_sel(true),
            Action::Filter => self.filter.start(),
            Action::ClearFilter => {
                self.filter.clear();
                self.refilter();
            }
            Action::DelegatesView => {
                self.focus = Focus::Positions;
                self.pane = match self.pane {
                    Pane::Positions => Pane::Absences,
                    Pane::Absences => Pane::Check,
                    Pane::Check => Pane::Positions,
                };
            }
            Action::EditRanks => {
                self.selected_row()?;
                self.focus = Focus::Ranks;
                self.rank_sel = 0;
            }
            Action::LeaveRanks => self.focus = Focus::Positions,
            Action::AsOf => {
                return Some(Popup::Form(self.as_of_form(), Intent::DelegatesAsOf));
            }
            Action::AsOfToday => {
                self.as_of = None;
                self.reload(ctx.store, ctx.today);
                ctx.info(trf(
                    "delegates.as_of_set_today",
                    &[("date", format_roc(ctx.today))],
                ));
            }
            Action::AddDelegate => {
                let subject = self.selected_row()?.subject.clone();
                return Some(self.add_delegate_picker(&subject));
            }
            Action::AddCertTable => {
                if !self.staff.iter().any(|s| s.is_active()) {
                    ctx.error(tr("delegates.no_staff").into());
                    return None;
                }
                return Some(self.cert_teacher_picker());
            }
            Action::RankUp | Action::RankDown => {
                let up = action == Action::RankUp;
                let tbl = self.selected_table()?;
                let &(id, version) = tbl.rows.get(self.rank_sel)?;
                let n = tbl.rows.len();
                if (up && self.rank_sel == 0) || (!up && self.rank_sel + 1 >= n) {
                    return None;
                }
                match ctx.store.move_delegate(id, version, up) {
                    Ok(()) => {
                        self.rank_sel = if up {
                            self.rank_sel - 1
                        } else {
                            self.rank_sel + 1
                        };
                        ctx.changed = true;
                    }
                    Err(e) => {
                        ctx.store_error(&e);
                        ctx.changed = true;
                    }
                }
            }
            Action::RemoveDelegate => {
                let position = self.selected_row()?.title.clone();
                let tbl = self.selected_table()?;
                let d = tbl.table.delegates.get(self.rank_sel)?;
                let &(id, version) = tbl.rows.get(self.rank_sel)?;
                let msg = trf(
                    "delegates.remove_delegate_confirm",
                    &[
                        ("position", position),
                        ("rank", d.rank.to_string()),
                        ("delegate", self.actor_text(&d.actor)),
                    ],
                );
                return Some(Popup::Confirm(
                    Confirm::new(tr("delegates.remove_delegate_title").into(), msg),
                    Intent::RemoveDelegate { id, version },
                ));
            }
            Action::AddAbsence => {
                if self.staff.is_empty() {
                    ctx.error(tr("delegates.no_staff").into());
                    return None;
                }
                return Some(Popup::Form(self.absence_form(), Intent::AddAbsence));
            }
            Action::RemoveAbsence => {
                let a = self.selected_absence()?;
                let msg = trf(
                    "delegates.remove_absence_confirm",
                    &[
                        ("name", self.person_name(a.absence.staff_id)),
                        ("span", format_range(&a.absence.span, DateStyle::Roc)),
                        ("kind", kind_label(a.absence.kind).to_string()),
                    ],
                );
                return Some(Popup::Confirm(
                    Confirm::new(tr("delegates.remove_absence_title").into(), msg),
                    Intent::RemoveAbsence {
                        id: a.id,
                        version: a.meta.version,
                    },
                ));
            }
            _ => {}
        }
        None
    }

    fn on_popup(&mut self, result: PopupResult, ctx: &mut Ctx) -> Option<Popup> {
        match result {
            PopupResult::Submitted(mut form, Intent::DelegatesAsOf) => {
                form.clear_errors();
                let text = form.value(0);
                if text.trim().is_empty() {
                    self.as_of = None;
                } else {
                    match parse_date(&text) {
                        Ok(d) => self.as_of = Some(d),
                        Err(e) => {
                            form.set_error(0, e.message());
                            return Some(Popup::Form(form, Intent::DelegatesAsOf));
                        }
                    }
                }
                if self.as_of == Some(ctx.today) {
                    self.as_of = None;
                }
                self.reload(ctx.store, ctx.today);
                ctx.info(trf(
                    "delegates.as_of_set",
                    &[("date", format_roc(self.date()))],
                ));
                None
            }
            PopupResult::Picked(id, Intent::PickCertTeacher) => {
                Some(self.add_delegate_picker(&Subject::Teacher(id)))
            }
            PopupResult::Picked(id, Intent::PickDelegate { position, teacher }) => {
                let (actor_position, actor_person, label) = if id < 0 {
                    let title = self.rows.get((-id - 1) as usize)?.title.clone();
                    (Some(title.clone()), None, title)
                } else {
                    (None, Some(id), self.person_name(id))
                };
                let rank = self
                    .table_of(&subject_of(&position, teacher))
                    .map_or(0, |t| t.table.delegates.len())
                    + 1;
                let form = Form::new(
                    trf(
                        "delegates.valid_title",
                        &[
                            ("position", position.clone()),
                            ("rank", rank.to_string()),
                            ("delegate", label),
                        ],
                    ),
                    vec![Field::new("delegates.valid", "").with_hint("delegates.valid_hint")],
                );
                Some(Popup::Form(
                    form,
                    Intent::AddDelegate {
                        position,
                        teacher,
                        actor_position,
                        actor_person,
                    },
                ))
            }
            PopupResult::Submitted(
                mut form,
                Intent::AddDelegate {
                    position,
                    teacher,
                    actor_position,
                    actor_person,
                },
            ) => {
                form.clear_errors();
                let text = form.value(0);
                let valid = if text.trim().is_empty() {
                    None
                } else {
                    match parse_range(&text) {
                        Ok(r) => Some(r),
                        Err(e) => {
                            form.set_error(0, e.message());
                            return Some(Popup::Form(
                                form,
                                Intent::AddDelegate {
                                    position,
                                    teacher,
                                    actor_position,
                                    actor_person,
                                },
                            ));
                        }
                    }
                };
                let actor = match (&actor_position, actor_person) {
                    (Some(p), _) => Actor::Position(p.clone()),
                    (None, Some(id)) => Actor::Person(id),
                    (None, None) => return None,
                };
                let label = match &actor {
                    Actor::Position(p) => p.clone(),
                    Actor::Person(id) => self.person_name(*id),
                };
                let subject = subject_of(&position, teacher);
                match ctx.store.add_delegate(&subject, actor, valid) {
                    Ok(()) => {
                        self.want = Some(subject);
                        ctx.info(trf(
                            "delegates.added",
                            &[("position", position), ("delegate", label)],
                        ));
                        ctx.changed = true;
                        self.focus = Focus::Ranks;
                        self.rank_sel = usize::MAX;
                        None
                    }
                    Err(e @ StoreError::Refused { .. }) => {
                        // Not something the period can fix: say why and
                        // close the form.
                        ctx.store_error(&e);
                        ctx.changed = true;
                        None
                    }
                    Err(e) => {
                        form.error = Some(e.message());
                        ctx.changed = true;
                        Some(Popup::Form(
                            form,
                            Intent::AddDelegate {
                                position,
                                teacher,
                                actor_position,
                                actor_person,
                            },
                        ))
                    }
                }
            }
            PopupResult::Confirmed(Intent::RemoveDelegate { id, version }) => {
                let r = ctx
                    .store
                    .remove_delegate(id, version)
                    .map(|_| tr("delegates.removed").to_string());
                self.after_write(ctx, r);
                None
            }
            PopupResult::Submitted(mut form, Intent::AddAbsence) => {
                let Some(absence) = self.read_absence_form(&mut form) else {
                    // The messages sit under their fields; nothing typed is lost.
                    return Some(Popup::Form(form, Intent::AddAbsence));
                };
                match ctx.store.add_absence(&absence) {
                    Ok(_) => {
                        ctx.info(trf(
                            "delegates.absence_added",
                            &[
                                ("name", self.person_name(absence.staff_id)),
                                ("span", format_range(&absence.span, DateStyle::Roc)),
                            ],
                        ));
                        ctx.changed = true;
                        None
                    }
                    Err(e) => {
                        form.error = Some(e.message());
                        ctx.changed = true;
                        Some(Popup::Form(form, Intent::AddAbsence))
                    }
                }
            }
            PopupResult::Confirmed(Intent::RemoveAbsence { id, version }) => {
                let r = ctx
                    .store
                    .remove_absence(id, version)
                    .map(|_| tr("delegates.absence_removed").to_string());
                self.after_write(ctx, r);
                None
            }
            _ => None,
        }
    }

    fn reload(&mut self, store: &Store, today: NaiveDate) {
        self.today = today;
        self.error = None;
        let keep = self
            .want
            .take()
            .or_else(|| self.selected_row().map(|r| r.subject.clone()));
        let date = self.date();
        let r = (|| -> crate::store::Result<()> {
            self.has_school = store.school()?.is_some();
            self.world = store.world()?;
            self.tables = store.delegate_tables()?;
            self.absences = store.absences()?;
            self.staff = store.list_staff()?;
            // Positions: table subjects, then the committee's seats of the
            // year, then every position someone holds.
            let mut seen = HashSet::new();
            let mut titles = Vec::new();
            for t in &self.tables {
                if let Subject::Position(p) = &t.table.subject
                    && seen.insert(p.clone())
                {
                    titles.push(p.clone());
                }
            }
            // Office seats only: representatives (家長代表…) are people,
            // not positions someone acts for.
            self.office = store.office_positions(academic_year_of(date))?;
            self.uncert = store.teachers_with_uncertified()?;
            for title in self.office.clone() {
                if seen.insert(title.clone()) {
                    titles.push(title);
                }
            }
            for s in &self.staff {
                for p in &s.positions {
                    if seen.insert(p.clone()) {
                        titles.push(p.clone());
                    }
                }
            }
            self.rows = titles
                .into_iter()
                .map(|title| {
                    let subject = Subject::Position(title.clone());
                    Row {
                        holders: self
                            .world
                            .holders(&title)
                            .iter()
                            .filter(|h| !h.has_left_by(date))
                            .map(|h| h.name.clone())
                            .collect(),
                        resolution: resolve(&self.world, &subject, date),
                        subject,
                        title,
                    }
                })
                .collect();
            // Then the teachers' certification tables: everyone who has one
            // or still has items to certify, in the directory's order.
            let with_table: HashSet<i64> = self
                .tables
                .iter()
                .filter_map(|t| match t.table.subject {
                    Subject::Teacher(id) => Some(id),
                    Subject::Position(_) => None,
                })
                .collect();
            let uncertified: HashSet<i64> =
                store.teachers_with_uncertified()?.into_iter().collect();
            let teachers: Vec<(i64, String)> = self
                .staff
                .iter()
                .filter(|s| with_table.contains(&s.id) || uncertified.contains(&s.id))
                .map(|s| (s.id, s.name.clone()))
                .collect();
            for (id, name) in teachers {
                let subject = Subject::Teacher(id);
                self.rows.push(Row {
                    resolution: resolve(&self.world, &subject, date),
                    title: self.subject_text(&subject),
                    holders: vec![name],
                    subject,
                });
            }
            Ok(())
        })();
        if let Err(e) = r {
            self.error = Some(e.message());
        }
        self.recompute();
        self.refilter();
        if let Some(k) = keep
            && let Some(i) = self.vis.iter().position(|&i| self.rows[i].subject == k)
        {
            self.sel = i;
        }
        self.clamp();
    }

    fn draw(&self, f: &mut Frame, area: Rect, v: &View) {
        let t = v.theme;
        let Some(inner) = crate::ui::screen_frame(f, area, &self.title_text(), t, self.has_school)
        else {
            return;
        };
        match self.pane {
            Pane::Positions => self.draw_positions(f, inner, v),
            Pane::Absences => self.draw_absences(f, inner, v),
            Pane::Check => self.draw_check(f, inner, v),
        }
    }
}
