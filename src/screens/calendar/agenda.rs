//! The agenda view: every term's windows (another term's tagged with it)
//! from `domain::calendar::agenda` — upcoming first, grouped by week, then
//! the overdue ones (marked with text and colour). Only the visible rows are
//! built; columns drop by priority on narrow terminals. The selection marks
//! the dates column only, and the last line adds, briefly, what the
//! selected row lacks (national deadline, what it prepares for, notes): a
//! move then rewrites few cells.

use chrono::{Datelike, Duration};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{
    Calendar, grades_short, phase_text, standing, standing_style, standing_text, title_in_term,
    units_text,
};
use crate::domain::calendar::AgendaRow;
use crate::i18n::{tr, trf};
use crate::ui::dates;
use crate::ui::table::{Column, layout, scroll_offset};
use crate::ui::text::{pad, truncate, width};
use crate::ui::theme::Theme;

/// The last line's cells at most (DESIGN: a cursor move writes at most
/// 300 bytes).
const FOOTER_W: usize = 40;

const COLS: [Column; 6] = [
    Column {
        header: "calscreen.col_dates",
        min: 19,
        max: 19,
        priority: 0,
    },
    Column {
        header: "calscreen.col_title",
        min: 14,
        max: 32,
        priority: 0,
    },
    Column {
        header: "calscreen.col_phase",
        min: 8,
        max: 14,
        priority: 1,
    },
    Column {
        header: "calscreen.col_grades",
        min: 8,
        max: 8,
        priority: 2,
    },
    Column {
        header: "calscreen.col_units",
        min: 8,
        max: 20,
        priority: 3,
    },
    Column {
        header: "calscreen.col_status",
        min: 10,
        max: 12,
        priority: 0,
    },
];

pub(super) fn draw(cal: &Calendar, f: &mut Frame, area: Rect, t: &Theme) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let w = area.width as usize;
    if cal.agenda_rows.is_empty() {
        let msg = if cal.filter.is_active() {
            trf(
                "calscreen.filter_none",
                &[("query", cal.filter.text.clone())],
            )
        } else if cal.vis_events.is_empty() {
            tr("calscreen.term_empty").to_string()
        } else {
            tr("calscreen.agenda_all_done").to_string()
        };
        f.render_widget(
            Paragraph::new(Line::styled(truncate(&msg, w), t.dim())),
            area,
        );
        return;
    }
    // Header, rows, and a line with the selected window in full.
    let footer = u16::from(area.height >= 6);
    let body_h = area.height.saturating_sub(1 + footer) as usize;
    cal.page.set(body_h.max(1));
    // Dates and status are as wide as their longest text here, so the
    // title gets the rest (ranges in one month are shorter).
    let mut cols = COLS;
    let (mut dates_w, mut st_w) = (width(tr(COLS[0].header)), width(tr(COLS[5].header)));
    for row in &cal.agenda_rows {
        if let AgendaRow::Event(i) = row {
            let e = &cal.vis_events[*i];
            dates_w = dates_w.max(width(&dates::range(&e.span)));
            st_w = st_w.max(width(&standing_text(standing(e, cal.today))));
        }
    }
    cols[0].min = dates_w.min(24) as u16;
    cols[0].max = cols[0].min;
    cols[5].min = st_w.min(16) as u16;
    cols[5].max = cols[5].min;
    let mut lay = layout(&cols, area.width);
    // What no column wants goes to the title.
    let used: usize =
        lay.iter().map(|&(_, cw)| cw as usize).sum::<usize>() + lay.len().saturating_sub(1);
    if let Some(title) = lay.iter_mut().find(|(i, _)| *i == 1) {
        title.1 += w.saturating_sub(used) as u16;
    }
    let sel_row = cal.agenda_rows.iter().position(|r| match r {
        AgendaRow::Event(i) => Some(cal.vis_events[*i].id) == cal.sel,
        _ => false,
    });
    let mut off = scroll_offset(sel_row.unwrap_or(0), cal.agenda_offset.get(), body_h.max(1));
    // Keep the selected window's week heading on screen with it.
    if let Some(r) = sel_row
        && r > 0
        && r == off
        && !matches!(cal.agenda_rows[r - 1], AgendaRow::Event(_))
    {
        off = r - 1;
    }
    cal.agenda_offset.set(off);

    let mut lines = Vec::with_capacity(area.height as usize);
    let header: Vec<Span> = lay
        .iter()
        .enumerate()
        .flat_map(|(n, &(i, cw))| {
            [
                Span::raw(if n > 0 { " " } else { "" }),
                Span::styled(pad(tr(cols[i].header), cw as usize), t.header()),
            ]
        })
        .collect();
    lines.push(Line::from(header));
    let this_week = cal.today - Duration::days(cal.today.weekday().num_days_from_monday() as i64);
    for (r, row) in cal.agenda_rows.iter().enumerate().skip(off).take(body_h) {
        match row {
            AgendaRow::Week(monday) => {
                let key = if *monday == this_week {
                    "calscreen.week_this"
                } else {
                    "calscreen.week"
                };
                let text = format!("{} ", trf(key, &[("date", dates::day(*monday))]));
                let rule = "─".repeat(w.saturating_sub(width(&text) + 2));
                lines.push(Line::from(vec![
                    Span::styled("─ ", t.dim()),
                    Span::styled(truncate(&text, w.saturating_sub(2)), t.title()),
                    Span::styled(rule, t.dim()),
                ]));
            }
            AgendaRow::OverdueHeading => {
                let late = cal
                    .vis_events
                    .iter()
                    .filter(|e| e.overdue(cal.today))
                    .count();
                let text = format!(
                    "{} ",
                    trf("calscreen.overdue_heading", &[("n", late.to_string())])
                );
                let rule = "─".repeat(w.saturating_sub(width(&text) + 2));
                lines.push(Line::from(vec![
                    Span::styled("─ ", t.dim()),
                    Span::styled(truncate(&text, w.saturating_sub(2)), t.error()),
                    Span::styled(rule, t.dim()),
                ]));
            }
            AgendaRow::Event(i) => {
                let e = &cal.vis_events[*i];
                let st = standing(e, cal.today);
                let late = e.overdue(cal.today);
                let text_style = if late {
                    t.error()
                } else if e.done_on.is_some() {
                    t.dim()
                } else {
                    t.base()
                };
                let cells = [
                    (dates::range(&e.span), text_style),
                    (title_in_term(e, cal.today, cal.term), text_style),
                    (phase_text(e).to_string(), t.base()),
                    (grades_short(e.grades), t.base()),
                    (units_text(e), t.dim()),
                    (standing_text(st), standing_style(st, t)),
                ];
                let selected = sel_row == Some(r);
                let mut spans = Vec::with_capacity(lay.len() * 2);
                for (n, &(ci, cw)) in lay.iter().enumerate() {
                    if n > 0 {
                        spans.push(Span::raw(" "));
                    }
                    let (text, style) = &cells[ci];
                    // The selection marks the first column (few bytes over SSH).
                    let style = if selected && n == 0 {
                        style.patch(t.selected())
                    } else {
                        *style
                    };
                    spans.push(Span::styled(pad(text, cw as usize), style));
                }
                lines.push(Line::from(spans));
            }
        }
    }
    while lines.len() < 1 + body_h {
        lines.push(Line::raw(""));
    }
    if footer > 0
        && let Some(rec) = cal.selected()
    {
        // What the row does not show (the month view has everything), in a
        // few cells: the line changes with every move, each changed cell is
        // sent over SSH, and a CJK one costs about ten bytes.
        let e = &rec.event;
        let mut parts = Vec::new();
        if e.national {
            parts.push(tr("calscreen.d_national").to_string());
        }
        if let Some(target) = e.prepares_for.and_then(|id| cal.rec(id)) {
            parts.push(trf(
                "calscreen.d_prepares",
                &[
                    ("title", target.event.title.clone()),
                    ("dates", dates::range(&target.event.span)),
                ],
            ));
        }
        if !e.notes.trim().is_empty() {
            parts.push(e.notes.trim().to_string());
        }
        lines.push(Line::styled(
            truncate(&parts.join("  "), w.min(FOOTER_W)),
            t.dim(),
        ));
    }
    f.render_widget(Paragraph::new(lines), area);
}
