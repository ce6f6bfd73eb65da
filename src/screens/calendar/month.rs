//! The month view: ratatui's calendar widget (`Monthly` with a
//! `CalendarEventStore`) with the days that have windows underlined and bold,
//! today in brackets, the cursor day reversed; beside it the cursor day's
//! windows (of every term: days are days) and the marked one in full.

use chrono::{Datelike, Duration, NaiveDate};
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::calendar::{CalendarEventStore, Monthly};
use ratatui::widgets::{Paragraph, Widget};

use super::{
    Calendar, Focus, day_with_weekday, grades_text, phase_text, standing, standing_style,
    standing_text, title_in_term, units_text,
};
use crate::domain::roc::{DateStyle, ROC_OFFSET};
use crate::i18n::{tr, trf};
use crate::store::EventRec;
use crate::ui::dates;
use crate::ui::table::scroll_offset;
use crate::ui::text::{pad, truncate, width};
use crate::ui::theme::Theme;

/// The calendar widget's width: seven days of a gutter and two digits, and
/// one more cell for today's closing bracket.
const GRID_W: u16 = 22;

fn to_time(d: NaiveDate) -> Option<time::Date> {
    let month = time::Month::try_from(d.month() as u8).ok()?;
    time::Date::from_calendar_date(d.year(), month, d.day() as u8).ok()
}

pub(crate) fn month_key(m: u32) -> &'static str {
    const KEYS: [&str; 12] = [
        "calscreen.month_1",
        "calscreen.month_2",
        "calscreen.month_3",
        "calscreen.month_4",
        "calscreen.month_5",
        "calscreen.month_6",
        "calscreen.month_7",
        "calscreen.month_8",
        "calscreen.month_9",
        "calscreen.month_10",
        "calscreen.month_11",
        "calscreen.month_12",
    ];
    KEYS[(m.clamp(1, 12) - 1) as usize]
}

/// "115 年 11 月" (or the Gregorian year when dates are shown so).
fn month_title(d: NaiveDate) -> String {
    let year = match dates::style() {
        DateStyle::Roc => d.year() - ROC_OFFSET,
        DateStyle::Gregorian => d.year(),
    };
    trf(
        "calscreen.month_title",
        &[
            ("year", year.to_string()),
            ("month", tr(month_key(d.month())).to_string()),
        ],
    )
}

/// The style marking a day with windows (overdue ones in the error colour);
/// bold and underlined so it survives NO_COLOR.
pub(crate) fn event_day_style(t: &Theme, overdue: bool) -> Style {
    let base = if overdue { t.error() } else { t.warn() };
    base.add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
}

pub(super) fn draw(cal: &Calendar, f: &mut Frame, area: Rect, t: &Theme) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let grid_w = GRID_W.min(area.width);
    let left = Rect::new(area.x, area.y, grid_w, area.height);
    let gap = 2u16.min(area.width - grid_w);
    let right = Rect::new(
        area.x + grid_w + gap,
        area.y,
        area.width - grid_w - gap,
        area.height,
    );
    draw_grid(cal, f, left, t);
    draw_day(cal, f, right, t);
}

fn draw_grid(cal: &Calendar, f: &mut Frame, area: Rect, t: &Theme) {
    let w = area.width as usize;
    let mut y = area.y;
    let bottom = area.y + area.height;
    let line = |f: &mut Frame, y: u16, l: Line| {
        if y < bottom {
            f.render_widget(Paragraph::new(l), Rect::new(area.x, y, area.width, 1));
        }
    };
    line(
        f,
        y,
        Line::styled(truncate(&month_title(cal.day), w), t.title()).centered(),
    );
    y += 1;
    line(
        f,
        y,
        Line::styled(truncate(tr("calscreen.weekday_header"), w), t.header()),
    );
    y += 1;

    // The weeks (Sunday first, as the widget draws them) of the cursor's month.
    let first = cal.day.with_day(1).unwrap_or(cal.day);
    let lead = first.weekday().num_days_from_sunday() as i64;
    let days_in_month = super::last_day_of_month(first.year(), first.month()) as i64;
    let weeks = ((lead + days_in_month + 6) / 7) as u16;
    let start = first - Duration::days(lead);
    let mut store = CalendarEventStore::default();
    for k in 0..i64::from(weeks) * 7 {
        let d = start + Duration::days(k);
        let mut style = Style::new();
        let mut any = false;
        let mut late = false;
        for e in &cal.vis_events {
            if e.span.contains(d) {
                any = true;
                late |= e.overdue(cal.today);
            }
        }
        if any {
            style = event_day_style(t, late);
        }
        if d == cal.today {
            style = style.patch(t.key());
        }
        if d == cal.day {
            style = style.patch(t.selected());
        }
        if style != Style::new()
            && let Some(td) = to_time(d)
        {
            store.add(td, style);
        }
    }
    let Some(display) = to_time(cal.day) else {
        return;
    };
    // Drawn into a buffer of its own, then copied: the widget writes every
    // week even below its area, and this keeps it inside ours.
    let mut scratch = Buffer::empty(Rect::new(0, 0, GRID_W, weeks));
    Monthly::new(display, store)
        .show_surrounding(t.dim())
        .default_style(t.base())
        .render(Rect::new(0, 0, GRID_W - 1, weeks), &mut scratch);
    let idx = (cal.today - start).num_days();
    if (0..i64::from(weeks) * 7).contains(&idx) {
        let (row, col) = ((idx / 7) as u16, (idx % 7) as u16);
        for (x, s) in [(col * 3, "["), (col * 3 + 3, "]")] {
            if let Some(cell) = scratch.cell_mut((x, row)) {
                cell.set_symbol(s).set_style(t.key());
            }
        }
    }
    let buf = f.buffer_mut();
    for row in 0..weeks {
        let ty = y + row;
        if ty >= bottom {
            break;
        }
        for x in 0..GRID_W.min(area.width) {
            if let (Some(src), Some(dst)) = (
                scratch.cell((x, row)).cloned(),
                buf.cell_mut((area.x + x, ty)),
            ) {
                *dst = src;
            }
        }
    }
    y += weeks + 1;

    // The legend.
    let sample = Line::from(vec![
        Span::styled("15", event_day_style(t, false)),
        Span::raw(" "),
        Span::styled(
            truncate(tr("calscreen.legend_events"), w.saturating_sub(3)),
            t.dim(),
        ),
    ]);
    let today = Line::from(vec![
        Span::styled("[", t.key()),
        Span::styled(format!("{:2}", cal.today.day()), t.key()),
        Span::styled("]", t.key()),
        Span::raw(" "),
        Span::styled(
            truncate(tr("calscreen.legend_today"), w.saturating_sub(5)),
            t.dim(),
        ),
    ]);
    line(f, y, today);
    line(f, y + 1, sample);
}

/// The marked window in full, one fact a line.
pub(crate) fn detail_lines(
    cal: &Calendar,
    rec: &EventRec,
    t: &Theme,
    w: usize,
) -> Vec<Line<'static>> {
    let e = &rec.event;
    let st = standing(e, cal.today);
    let mut out = vec![Line::styled(
        truncate(&title_in_term(e, cal.today, cal.term), w),
        t.title(),
    )];
    out.push(Line::from(vec![
        Span::raw(truncate(
            &trf(
                "calscreen.d_dates",
                &[
                    ("dates", dates::range(&e.span)),
                    ("days", e.span.days().to_string()),
                ],
            ),
            w,
        )),
        Span::raw("  "),
        Span::styled(standing_text(st), standing_style(st, t)),
    ]));
    out.push(Line::raw(truncate(
        &trf(
            "calscreen.d_phase",
            &[
                ("phase", phase_text(e).to_string()),
                ("grades", grades_text(e.grades)),
            ],
        ),
        w,
    )));
    if !e.units.is_empty() {
        out.push(Line::raw(truncate(
            &trf("calscreen.d_units", &[("units", units_text(e))]),
            w,
        )));
    }
    if e.national {
        out.push(Line::styled(
            truncate(tr("calscreen.d_national"), w),
            t.warn(),
        ));
    }
    if let Some(target) = e.prepares_for.and_then(|id| cal.rec(id)) {
        out.push(Line::raw(truncate(
            &trf(
                "calscreen.d_prepares",
                &[
                    ("title", target.event.title.clone()),
                    ("dates", dates::range(&target.event.span)),
                ],
            ),
            w,
        )));
    }
    if let Some(d) = e.done_on {
        out.push(Line::styled(
            truncate(&trf("calscreen.d_done", &[("date", dates::day(d))]), w),
            t.ok(),
        ));
    }
    if !e.notes.trim().is_empty() {
        out.push(Line::styled(
            truncate(&trf("calscreen.d_notes", &[("notes", e.notes.clone())]), w),
            t.dim(),
        ));
    }
    out
}

/// One window as a line of a list: marker, title, dates, standing.
fn list_line(
    cal: &Calendar,
    e: &crate::domain::calendar::Event,
    marker: &'static str,
    widths: (usize, usize, usize),
    t: &Theme,
) -> Vec<Span<'static>> {
    let (title_w, dates_w, st_w) = widths;
    let st = standing(e, cal.today);
    let title_style = if e.overdue(cal.today) {
        t.error()
    } else if e.done_on.is_some() {
        t.dim()
    } else {
        t.base()
    };
    let mut spans = vec![
        Span::styled(marker, t.key()),
        Span::styled(
            pad(&title_in_term(e, cal.today, cal.term), title_w),
            title_style,
        ),
        Span::raw("  "),
    ];
    if dates_w > 0 {
        spans.push(Span::styled(pad(&dates::range(&e.span), dates_w), t.base()));
        spans.push(Span::raw("  "));
    }
    spans.push(Span::styled(
        pad(&standing_text(st), st_w),
        standing_style(st, t),
    ));
    spans
}

/// Column widths for a list of windows in `w` cells (title, dates, standing;
/// no dates column when it would leave the title too little).
fn list_widths(
    cal: &Calendar,
    events: &[&crate::domain::calendar::Event],
    w: usize,
) -> (usize, usize, usize) {
    let dates_w = events
        .iter()
        .map(|e| width(&dates::range(&e.span)))
        .max()
        .unwrap_or(0);
    let st_w = events
        .iter()
        .map(|e| width(&standing_text(standing(e, cal.today))))
        .max()
        .unwrap_or(0);
    let title_w = w.saturating_sub(2 + dates_w + 2 + st_w + 2);
    if title_w < 14 {
        // Narrow: the title matters more than the dates (the details and the
        // grid show them).
        return (w.saturating_sub(2 + st_w + 2).max(4), 0, st_w);
    }
    (title_w, dates_w, st_w)
}

fn draw_day(cal: &Calendar, f: &mut Frame, area: Rect, t: &Theme) {
    if area.width < 4 || area.height == 0 {
        return;
    }
    let w = area.width as usize;
    let h = area.height as usize;
    let list = cal.day_events();
    let head = if list.is_empty() {
        day_with_weekday(cal.day)
    } else {
        trf(
            "calscreen.day_head",
            &[
                ("day", day_with_weekday(cal.day)),
                ("n", list.len().to_string()),
            ],
        )
    };
    let mut lines = vec![Line::styled(truncate(&head, w), t.title())];
    if list.is_empty() {
        let msg = if cal.filter.is_active() {
            tr("calscreen.day_none_filtered")
        } else {
            tr("calscreen.day_none")
        };
        lines.push(Line::styled(truncate(msg, w), t.dim()));
    } else {
        let detail = cal
            .selected()
            .map(|r| detail_lines(cal, r, t, w))
            .unwrap_or_default();
        // The list gets what the details leave, at least three rows.
        let room = h.saturating_sub(2 + detail.len()).max(3.min(list.len()));
        let rows = list.len().min(room).min(h.saturating_sub(1));
        let off = scroll_offset(cal.day_sel, 0, rows);
        let events: Vec<&crate::domain::calendar::Event> =
            list.iter().map(|&i| &cal.vis_events[i]).collect();
        let widths = list_widths(cal, &events, w);
        for (n, e) in events.iter().enumerate().skip(off).take(rows) {
            let is_marked = n == cal.day_sel;
            let marker = if is_marked { "› " } else { "  " };
            let mut spans = list_line(cal, e, marker, widths, t);
            if is_marked && cal.focus == Focus::Day {
                for s in &mut spans {
                    s.style = s.style.patch(t.selected());
                }
            }
            // Wider than the area only when it is tiny: the paragraph clips.
            lines.push(Line::from(spans));
        }
        if lines.len() + 1 < h && !detail.is_empty() {
            lines.push(Line::raw(""));
            for d in detail {
                if lines.len() >= h {
                    break;
                }
                lines.push(d);
            }
        }
    }
    // The rest of the month's windows (or, when it has none, the next
    // ones), while there is room.
    let first = cal.day.with_day(1).unwrap_or(cal.day);
    let last = first
        .with_day(super::last_day_of_month(first.year(), first.month()))
        .unwrap_or(first);
    let mut others: Vec<&crate::domain::calendar::Event> = cal
        .vis_events
        .iter()
        .filter(|e| e.span.start <= last && e.span.end >= first && !e.span.contains(cal.day))
        .collect();
    let month = tr(month_key(cal.day.month())).to_string();
    let mut heading = trf("calscreen.month_others", &[("month", month.clone())]);
    if others.is_empty() {
        others = cal
            .vis_events
            .iter()
            .filter(|e| e.span.start > last)
            .take(5)
            .collect();
        heading = trf("calscreen.month_next", &[("month", month)]);
    }
    if !others.is_empty() && lines.len() + 3 <= h {
        lines.push(Line::raw(""));
        lines.push(Line::styled(truncate(&heading, w), t.header()));
        let widths = list_widths(cal, &others, w);
        let room = h - lines.len();
        for (n, e) in others.iter().enumerate() {
            if n + 1 == room && others.len() > room {
                lines.push(Line::styled(
                    truncate(
                        &trf(
                            "calscreen.month_more",
                            &[("n", (others.len() - n).to_string())],
                        ),
                        w,
                    ),
                    t.dim(),
                ));
                break;
            }
            lines.push(Line::from(list_line(cal, e, "  ", widths, t)));
        }
    }
    f.render_widget(Paragraph::new(lines), area);
}
