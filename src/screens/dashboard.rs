//! 首頁: the school, today and the current term, and what needs attention —
//! all from the database (no placeholder numbers).

use chrono::{Datelike, NaiveDate};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::{Ctx, Intent, Nav, Popup, PopupResult, Screen, View};
use crate::domain::calendar::{Event, Phase, days_until, upcoming};
use crate::domain::checklist::{Item, Tally, by_unit, tally};
use crate::domain::committee::{RosterSummary, summarize};
use crate::domain::delegation::{Finding, coverage};
use crate::domain::preset;
use crate::domain::receipt::{ConfirmWindow, thousands};
use crate::domain::roc::{DateStyle, Term, academic_year_of, format_range, format_roc};
use crate::i18n::{Localized, tr, trf};
use crate::store::backup::{STALE_DAYS, newest_backup};
use crate::store::{AuditRow, DiscSummary, Progress, Store, short_time};
use crate::ui::dates;
use crate::ui::keys::Action;
use crate::ui::picker::{PickItem, Picker};
use crate::ui::text::truncate;

#[derive(Default)]
pub struct Dashboard {
    has_school: bool,
    year: i32,
    roster: Option<RosterSummary>,
    staff_active: usize,
    staff_left: usize,
    recent: Vec<(AuditRow, usize)>,
    /// Positions of this year's committee no one can act for today.
    no_one: Vec<String>,
    /// Teachers away with uncertified items and no one to certify (messages).
    cert_gaps: Vec<String>,
    /// Absences starting within the next 7 days: (name, span text, reason).
    starting: Vec<(String, String, String)>,
    /// Calendar windows overdue (ended, not done) and open within 14 days.
    overdue: Vec<Event>,
    soon: Vec<Event>,
    /// Committee meetings on this term's calendar.
    meetings: Vec<NaiveDate>,
    /// Those that are meetings of the committee: (date, "第 1 次…（籌備中）").
    meeting_labels: Vec<(NaiveDate, String)>,
    /// What `check meetings` finds for this year (messages).
    meeting_findings: Vec<String>,
    /// Open decisions not yet past due: (count, earliest due).
    open_decisions: (usize, Option<NaiveDate>),
    /// Enter was pressed: the app shows the meetings view.
    nav: Option<Nav>,
    /// This year's checklists: (title, tally), items overdue, open items by unit.
    checklists: Vec<(String, Tally)>,
    checklist_overdue: usize,
    open_by_unit: Vec<(String, usize)>,
    /// The receipts round of now: its term, confirmation progress and
    /// window, and its open discrepancies.
    receipts: Option<(Term, Progress, Option<ConfirmWindow>, DiscSummary)>,
    /// No backup of the file, or the newest older than 2 days (None for a
    /// database in memory, which has no file).
    backup_warning: Option<String>,
    error: Option<String>,
}

impl Dashboard {
    pub fn new() -> Dashboard {
        Dashboard::default()
    }
}

fn weekday(d: NaiveDate) -> &'static str {
    tr(match d.weekday().num_days_from_monday() {
        0 => "weekday.mon",
        1 => "weekday.tue",
        2 => "weekday.wed",
        3 => "weekday.thu",
        4 => "weekday.fri",
        5 => "weekday.sat",
        _ => "weekday.sun",
    })
}

const RECENT_LINES: usize = 6;
/// The dashboard lists calendar windows open within this many days.
const CALENDAR_DAYS: i64 = 14;
/// At most this many calendar lines (overdue first), then "N more".
const CALENDAR_LINES: usize = 5;

/// "2026-11-25T09:30:00+08:00" → "115.11.25 09:30" (dates are ROC on screen).
fn roc_time(ts: &str) -> String {
    let short = short_time(ts);
    match short.split_once(' ').and_then(|(d, t)| {
        NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .ok()
            .map(|d| (d, t))
    }) {
        Some((d, t)) => format!("{} {t}", format_roc(d)),
        None => short,
    }
}

/// Collapses runs of the same change (same time, user, table and action —
/// e.g. the 17 seats laid out with a committee) into one line with a count.
fn group_audit(rows: Vec<AuditRow>, max: usize) -> Vec<(AuditRow, usize)> {
    let mut out: Vec<(AuditRow, usize)> = Vec::new();
    for a in rows {
        if let Some((last, n)) = out.last_mut()
            && last.at == a.at
            && last.os_user == a.os_user
            && last.tbl == a.tbl
            && last.action == a.action
        {
            *n += 1;
            continue;
        }
        if out.len() == max {
            break;
        }
        out.push((a, 1));
    }
    out
}

/// "新增 教職員 王小明" from an audit row.
fn describe(a: &AuditRow) -> String {
    let json = a
        .after_json
        .as_deref()
        .or(a.before_json.as_deref())
        .unwrap_or("{}");
    let v: serde_json::Value = serde_json::from_str(json).unwrap_or_default();
    let name = v
        .get("name")
        .or_else(|| v.get("title"))
        .or_else(|| v.get("position"))
        .and_then(|x| x.as_str())
        .map(str::to_string)
        .or_else(|| v.get("academic_year").map(|y| y.to_string()))
        .unwrap_or_else(|| format!("#{}", a.row_id));
    format!(
        "{} {} {}",
        tr(match a.action.as_str() {
            "insert" => "audit.insert",
            "delete" => "audit.delete",
            _ => "audit.update",
        }),
        tr(match a.tbl.as_str() {
            "staff" => "what.staff",
            "seat" => "what.seat",
            "committee" => "what.committee",
            "delegate" => "what.delegate",
            "delegate_table" => "what.delegate_table",
            "absence" => "what.absence",
            _ => "what.school",
        }),
        name
    )
}

/// The warning about backups: none yet, or the newest older than
/// [`STALE_DAYS`] days before today. Nothing for a database in memory.
fn backup_warning(db: &std::path::Path, today: NaiveDate) -> Option<String> {
    if db == std::path::Path::new(":memory:") {
        return None;
    }
    match newest_backup(db) {
        None => Some(tr("backup.dash_none").to_string()),
        Some(b) => {
            let days = (today - b.at.date()).num_days();
            (days > STALE_DAYS).then(|| {
                trf(
                    "backup.dash_stale",
                    &[
                        ("days", days.to_string()),
                        ("date", dates::day(b.at.date())),
                    ],
                )
            })
        }
    }
}

impl Dashboard {
    /// The receipts round: "收訖確認 115-1：已確認 279 / 320…" and the open
    /// discrepancies by unit with the overdue count.
    fn receipt_lines(&self, lines: &mut Vec<Line<'static>>, v: &View, w: usize) {
        let t = v.theme;
        let Some((term, p, window, disc)) = &self.receipts else {
            return;
        };
        let window_text = match window {
            None => tr("dash.rc_no_window").to_string(),
            Some(win) if win.closed(v.today) => trf(
                "dash.rc_window_closed",
                &[("dates", dates::range(&win.span))],
            ),
            Some(win) => trf("dash.rc_window_open", &[("dates", dates::range(&win.span))]),
        };
        let text = trf(
            "dash.rc_progress",
            &[
                ("term", term.to_string()),
                ("done", thousands(p.done())),
                ("total", thousands(p.total)),
                (
                    "deemed",
                    if p.deemed > 0 {
                        trf("dash.rc_deemed", &[("n", thousands(p.deemed))])
                    } else {
                        String::new()
                    },
                ),
                ("disputed", thousands(p.disputed)),
                ("window", window_text),
            ],
        );
        let late_round = window.is_some_and(|win| win.closed(v.today)) && p.done() < p.total;
        let style = if late_round { t.warn() } else { t.base() };
        lines.push(Line::styled(truncate(&format!("• {text}"), w), style));
        if disc.open > 0 {
            let units = disc
                .open_by_unit
                .iter()
                .take(4)
                .map(|(u, n)| format!("{u} {n}"))
                .collect::<Vec<_>>()
                .join(tr("list.sep"));
            let text = trf(
                "dash.rc_open",
                &[
                    ("open", thousands(disc.open)),
                    ("overdue", thousands(disc.overdue)),
                    ("units", units),
                ],
            );
            let (mark, style) = if disc.overdue > 0 {
                ("！", t.warn())
            } else {
                ("  ", t.base())
            };
            lines.push(Line::styled(truncate(&format!("{mark}{text}"), w), style));
        }
    }

    /// The calendar section: overdue windows first, then the next 14 days.
    fn calendar_lines(&self, lines: &mut Vec<Line<'static>>, v: &View, w: usize) {
        let t = v.theme;
        lines.push(Line::styled(
            trf(
                "dash.cal_heading",
                &[
                    ("soon", self.soon.len().to_string()),
                    ("late", self.overdue.len().to_string()),
                ],
            ),
            t.header(),
        ));
        if self.soon.is_empty() && self.overdue.is_empty() {
            lines.push(Line::styled(tr("dash.cal_none"), t.dim()));
            return;
        }
        let all: Vec<(&Event, bool)> = self
            .overdue
            .iter()
            .map(|e| (e, true))
            .chain(self.soon.iter().map(|e| (e, false)))
            .collect();
        let shown = if all.len() > CALENDAR_LINES {
            CALENDAR_LINES - 1
        } else {
            all.len()
        };
        for (e, late) in &all[..shown] {
            let n = days_until(&e.span, v.today);
            let when = if *late {
                trf("dash.cal_overdue", &[("days", (-n).to_string())])
            } else if n == 0 {
                trf("dash.cal_open", &[("date", dates::day(e.span.end))])
            } else {
                trf("dash.cal_in", &[("days", n.to_string())])
            };
            // The mark keeps overdue lines apart without colour (NO_COLOR).
            let mark = if *late { "！" } else { "• " };
            let text = format!("{mark}{}  {}  {}", when, dates::range(&e.span), e.title);
            let style = if *late { t.warn() } else { t.base() };
            lines.push(Line::styled(truncate(&text, w), style));
        }
        if shown < all.len() {
            lines.push(Line::styled(
                trf("dash.cal_more", &[("n", (all.len() - shown).to_string())]),
                t.dim(),
            ));
        }
    }
}

impl Screen for Dashboard {
    fn title(&self) -> &'static str {
        "tab.dashboard"
    }

    fn commands(&self) -> Vec<Action> {
        if self.has_school {
            vec![Action::DashMeetings]
        } else {
            vec![Action::InitSchool]
        }
    }

    fn take_nav(&mut self) -> Option<Nav> {
        self.nav.take()
    }

    fn on_action(&mut self, action: Action, _ctx: &mut Ctx) -> Option<Popup> {
        match action {
            Action::DashMeetings => {
                self.nav = Some(Nav::Meetings);
                None
            }
            Action::InitSchool if !self.has_school => {
                let items = preset::all()
                    .into_iter()
                    .enumerate()
                    .map(|(i, p)| PickItem {
                        id: i as i64,
                        label: p.key.clone(),
                        detail: p.school_name.clone(),
                    })
                    .collect();
                Some(Popup::Picker(
                    Picker::new(tr("dash.pick_preset").into(), items),
                    Intent::InitSchool,
                ))
            }
            _ => None,
        }
    }

    fn on_popup(&mut self, result: PopupResult, ctx: &mut Ctx) -> Option<Popup> {
        if let PopupResult::Picked(i, Intent::InitSchool) = result {
            let p = preset::all().into_iter().nth(i as usize)?;
            match ctx.store.init_school(&p, academic_year_of(ctx.today)) {
                Ok(s) => ctx.info(trf("dash.created", &[("name", s.name)])),
                Err(e) => ctx.store_error(&e),
            }
            ctx.changed = true;
        }
        None
    }

    fn reload(&mut self, store: &Store, today: NaiveDate) {
        let mut d = Dashboard {
            year: academic_year_of(today),
            ..Default::default()
        };
        let load = |d: &mut Dashboard| -> crate::store::Result<()> {
            d.has_school = store.school()?.is_some();
            if let Some(c) = store.committee(d.year)? {
                d.roster = Some(summarize(&store.seats(c.id)?));
            }
            (d.staff_active, d.staff_left) = store.staff_counts()?;
            d.recent = group_audit(store.recent_audit(300)?, RECENT_LINES);
            let world = store.world()?;
            let seats = store.office_positions(d.year)?;
            let teachers = store.teachers_with_uncertified()?;
            for f in coverage(&world, today, &seats, &teachers) {
                match &f {
                    Finding::NoOneCanAct { position, .. } => d.no_one.push(position.clone()),
                    Finding::NoCertificationSubstitute { teacher, .. } => d
                        .cert_gaps
                        .push(trf("dash.cert_gap", &[("teacher", teacher.name.clone())])),
                    _ => {}
                }
            }
            let events: Vec<Event> = store.events()?.into_iter().map(|e| e.event).collect();
            let (late, soon) = upcoming(&events, today, CALENDAR_DAYS);
            d.overdue = late.into_iter().map(|i| events[i].clone()).collect();
            d.soon = soon.into_iter().map(|i| events[i].clone()).collect();
            let term = Term::containing(today);
            d.meetings = events
                .iter()
                .filter(|e| e.term == term && e.phase == Phase::Meeting)
                .map(|e| e.span.start)
                .collect();
            for m in store.meetings(Some(d.year))? {
                if m.term == term {
                    let label = trf(
                        "mtscreen.dash_meeting",
                        &[
                            ("number", m.number.to_string()),
                            ("date", dates::day(m.date)),
                            ("status", tr(m.status.key()).to_string()),
                        ],
                    );
                    d.meeting_labels.push((m.date, label));
                }
            }
            d.meeting_findings = store
                .meeting_findings(d.year, today)?
                .iter()
                .map(|f| trf(f.message_key(), &f.args()))
                .collect();
            let open: Vec<_> = store
                .open_decisions()?
                .into_iter()
                .filter(|o| !o.overdue(today))
                .collect();
            d.open_decisions = (open.len(), open.iter().filter_map(|o| o.item.due_on).min());
            let end_of = |id: i64| events.iter().find(|e| e.id == id).map(|e| e.span.end);
            let mut year_items = Vec::new();
            for c in store
                .checklists()?
                .into_iter()
                .filter(|c| c.list.year == d.year)
            {
                let items: Vec<Item> = store
                    .checklist_items(c.list.id)?
                    .into_iter()
                    .map(|r| r.item)
                    .collect();
                let refs: Vec<&Item> = items.iter().collect();
                d.checklists.push((c.list.title.clone(), tally(&refs)));
                year_items.extend(items);
            }
            d.checklist_overdue = year_items
                .iter()
                .filter(|i| i.overdue(i.due(i.event_id.and_then(end_of)), today))
                .count();
            let refs: Vec<&Item> = year_items.iter().collect();
            d.open_by_unit = by_unit(&refs)
                .into_iter()
                .filter(|(_, t)| t.open() > 0)
                .take(4)
                .map(|(u, t)| (u, t.open()))
                .collect();
            if let Some(term) = store.current_receipt_term(today)? {
                d.receipts = Some((
                    term,
                    store.confirm_progress(term)?,
                    store.confirm_window(term)?,
                    store.discrepancy_summary(term, today)?,
                ));
            }
            let week = today + chrono::Duration::days(7);
            for a in store.absences()? {
                let a = a.absence;
                if a.span.start >= today && a.span.start <= week {
                    let name = world
                        .person(a.staff_id)
                        .map(|p| p.name.clone())
                        .unwrap_or_default();
                    d.starting
                        .push((name, format_range(&a.span, DateStyle::Roc), a.reason));
                }
            }
            Ok(())
        };
        if let Err(e) = load(&mut d) {
            d.error = Some(e.message());
        }
        d.backup_warning = backup_warning(store.path(), today);
        *self = d;
    }

    fn draw(&self, f: &mut Frame, area: Rect, v: &View) {
        let t = v.theme;
        let w = area.width.saturating_sub(2) as usize;
        let mut lines: Vec<Line> = Vec::new();
        let today = trf(
            "dash.today",
            &[
                ("date", format_roc(v.today)),
                ("weekday", weekday(v.today).to_string()),
            ],
        );
        let Some(school) = v.school else {
            lines.push(Line::from(today));
            lines.push(Line::from(""));
            lines.push(Line::styled(tr("dash.no_school"), t.warn()));
            lines.push(Line::from(tr("dash.no_school_hint")));
            let block = Block::default()
                .borders(Borders::ALL)
                .border_style(t.border());
            let inner_w = block.inner(area).width as usize;
            f.render_widget(
                Paragraph::new(crate::ui::wrap_lines(&lines, inner_w)).block(block),
                area,
            );
            return;
        };
        lines.push(Line::from(vec![
            Span::styled(truncate(&school.name, w.saturating_sub(24)), t.title()),
            Span::raw("  "),
            Span::raw(today),
        ]));
        lines.push(Line::styled(
            truncate(
                &trf(
                    "dash.regulation",
                    &[
                        ("title", school.preset.regulation.title.clone()),
                        ("key", school.preset_key.clone()),
                    ],
                ),
                w,
            ),
            t.dim(),
        ));
        let term = Term::containing(v.today);
        lines.push(Line::from(trf(
            "dash.term",
            &[
                ("term", term.to_string()),
                ("span", format_range(&term.span(), DateStyle::Roc)),
            ],
        )));
        lines.push(Line::from(""));
        lines.push(Line::styled(tr("dash.attention"), t.header()));
        if let Some(text) = &self.backup_warning {
            lines.push(Line::styled(truncate(&format!("！{text}"), w), t.warn()));
        }
        match &self.roster {
            None => lines.push(Line::styled(
                truncate(
                    &format!(
                        "• {}",
                        trf("dash.no_committee", &[("year", self.year.to_string())])
                    ),
                    w,
                ),
                t.warn(),
            )),
            Some(r) => {
                let count = format!("{}/{}", r.filled, r.total);
                if r.vacant() == 0 {
                    lines.push(Line::styled(
                        truncate(
                            &format!(
                                "• {}",
                                trf(
                                    "dash.committee_full",
                                    &[("year", self.year.to_string()), ("count", count)]
                                )
                            ),
                            w,
                        ),
                        t.ok(),
                    ));
                } else {
                    lines.push(Line::styled(
                        truncate(
                            &format!(
                                "• {}",
                                trf(
                                    "dash.committee_vacant",
                                    &[
                                        ("year", self.year.to_string()),
                                        ("count", count),
                                        ("n", r.vacant().to_string()),
                                        ("seats", r.vacancies.join(tr("list.sep"))),
                                    ]
                                )
                            ),
                            w,
                        ),
                        t.warn(),
                    ));
                }
                for (seat, name) in &r.departed {
                    lines.push(Line::styled(
                        truncate(
                            &format!(
                                "• {}",
                                trf(
                                    "dash.departed",
                                    &[("seat", seat.clone()), ("name", name.clone())]
                                )
                            ),
                            w,
                        ),
                        t.warn(),
                    ));
                }
                for (name, n) in &r.multi_seat {
                    lines.push(Line::from(truncate(
                        &format!(
                            "• {}",
                            trf(
                                "dash.multi_seat",
                                &[("name", name.clone()), ("n", n.to_string())]
                            )
                        ),
                        w,
                    )));
                }
            }
        }
        if let Some(n) = school.preset.meetings_per_semester {
            let args = [
                ("n", n.to_string()),
                (
                    "dates",
                    self.meetings
                        .iter()
                        .map(|d| {
                            self.meeting_labels
                                .iter()
                                .find(|(at, _)| at == d)
                                .map(|(_, l)| l.clone())
                                .unwrap_or_else(|| dates::day(*d))
                        })
                        .collect::<Vec<_>>()
                        .join(tr("list.sep")),
                ),
            ];
            if self.meetings.len() < n as usize {
                lines.push(Line::styled(
                    truncate(&format!("• {}", trf("dash.meetings_missing", &args)), w),
                    t.warn(),
                ));
            } else {
                lines.push(Line::from(truncate(
                    &format!("• {}", trf("dash.meetings_planned", &args)),
                    w,
                )));
            }
        }
        for text in &self.meeting_findings {
            lines.push(Line::styled(truncate(&format!("• {text}"), w), t.warn()));
        }
        if let (n @ 1.., due) = self.open_decisions {
            let text = match due {
                Some(d) => trf(
                    "mtscreen.dash_open_due",
                    &[("n", n.to_string()), ("due", dates::day(d))],
                ),
                None => trf("mtscreen.dash_open", &[("n", n.to_string())]),
            };
            lines.push(Line::from(truncate(&format!("• {text}"), w)));
        }
        if !self.no_one.is_empty() {
            let text = trf(
                "dash.no_one_acts",
                &[
                    ("n", self.no_one.len().to_string()),
                    ("positions", self.no_one.join(tr("list.sep"))),
                ],
            );
            lines.push(Line::styled(truncate(&format!("• {text}"), w), t.warn()));
        }
        for gap in &self.cert_gaps {
            lines.push(Line::styled(truncate(&format!("• {gap}"), w), t.warn()));
        }
        for (name, span, reason) in &self.starting {
            let text = trf(
                "dash.absence_starting",
                &[
                    ("name", name.clone()),
                    ("span", span.clone()),
                    ("reason", reason.clone()),
                ],
            );
            lines.push(Line::from(truncate(&format!("• {text}"), w)));
        }
        if !self.checklists.is_empty() {
            let lists = self
                .checklists
                .iter()
                .map(|(title, t)| format!("{title} {}/{}", t.done, t.total))
                .collect::<Vec<_>>()
                .join(tr("list.sep"));
            let text = trf(
                "dash.checklists",
                &[
                    ("year", self.year.to_string()),
                    ("lists", lists),
                    ("overdue", self.checklist_overdue.to_string()),
                ],
            );
            let style = if self.checklist_overdue > 0 {
                t.warn()
            } else {
                t.base()
            };
            lines.push(Line::styled(truncate(&format!("• {text}"), w), style));
            if !self.open_by_unit.is_empty() {
                let units = self
                    .open_by_unit
                    .iter()
                    .map(|(u, n)| format!("{u} {n}"))
                    .collect::<Vec<_>>()
                    .join(tr("list.sep"));
                lines.push(Line::from(truncate(
                    &format!("  {}", trf("dash.checklist_units", &[("units", units)])),
                    w,
                )));
            }
        }
        self.receipt_lines(&mut lines, v, w);
        lines.push(Line::from(truncate(
            &format!(
                "• {}",
                trf(
                    "dash.staff",
                    &[
                        ("active", self.staff_active.to_string()),
                        ("left", self.staff_left.to_string())
                    ]
                )
            ),
            w,
        )));
        if let Some(e) = &self.error {
            lines.push(Line::styled(truncate(e, w), t.error()));
        }
        lines.push(Line::from(""));
        self.calendar_lines(&mut lines, v, w);
        // Recent changes get what is left of the screen (a blank line and
        // the heading first); without room for one change they are left out.
        let room = (area.height as usize)
            .saturating_sub(2)
            .saturating_sub(lines.len() + 2);
        if room > 0 {
            lines.push(Line::from(""));
            lines.push(Line::styled(tr("dash.recent"), t.header()));
        }
        if self.recent.is_empty() && room > 0 {
            lines.push(Line::styled(tr("dash.recent_none"), t.dim()));
        }
        for (a, n) in self.recent.iter().take(room) {
            let what = if *n > 1 {
                trf(
                    "dash.recent_more",
                    &[("what", describe(a)), ("total", n.to_string())],
                )
            } else {
                describe(a)
            };
            let text = format!(
                "{}  {:<10} {}",
                roc_time(&a.at),
                truncate(&a.os_user, 10),
                what
            );
            lines.push(Line::from(truncate(&text, w)));
        }
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(t.border())
            .title(Span::styled(
                format!(" {} ", tr("tab.dashboard")),
                t.title(),
            ));
        f.render_widget(Paragraph::new(lines).block(block), area);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, at: &str, tbl: &str) -> AuditRow {
        AuditRow {
            id,
            at: at.into(),
            os_user: "u".into(),
            tbl: tbl.into(),
            row_id: id,
            action: "insert".into(),
            before_json: None,
            after_json: None,
        }
    }

    #[test]
    fn runs_of_the_same_change_collapse_into_one_line() {
        let rows = vec![
            row(5, "t2", "seat"),
            row(4, "t2", "seat"),
            row(3, "t2", "seat"),
            row(2, "t1", "seat"),
            row(1, "t1", "staff"),
        ];
        let g = group_audit(rows, 2);
        assert_eq!(
            g.iter().map(|(a, n)| (a.id, *n)).collect::<Vec<_>>(),
            vec![(5, 3), (2, 1)]
        );
    }
}
