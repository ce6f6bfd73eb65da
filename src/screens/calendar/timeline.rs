//! The timeline of the whole term: a title column and, across the weeks of
//! the term (and the work that runs past it), one bar per window. Month
//! labels and week ticks above; today is a vertical line. The selected row
//! is marked in a narrow column before the title (a move rewrites two
//! cells, not two titles) and its dates, phase, grades and standing are on
//! the last line.

use chrono::{Datelike, Duration, NaiveDate};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::month::month_key;
use super::{
    Calendar, Standing, grades_text, phase_text, standing, standing_style, standing_text,
    timeline_span, title_text,
};
use crate::domain::roc::DateRange;
use crate::i18n::{tr, trf};
use crate::ui::dates;
use crate::ui::table::scroll_offset;
use crate::ui::text::{pad, truncate, width};
use crate::ui::theme::Theme;

/// The column that marks the selected row.
const MARK_W: usize = 1;

/// Maps days to the bar's columns.
struct Scale {
    range: DateRange,
    cols: usize,
}

impl Scale {
    fn col(&self, d: NaiveDate) -> usize {
        let days = self.range.days().max(1);
        let k = (d - self.range.start).num_days().clamp(0, days - 1);
        ((k * self.cols as i64) / days) as usize
    }
    fn contains(&self, d: NaiveDate) -> bool {
        self.range.contains(d)
    }
}

pub(super) fn draw(cal: &Calendar, f: &mut Frame, area: Rect, t: &Theme) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let w = area.width as usize;
    // The shown term's windows only (the month and the agenda show every
    // term's).
    let events: Vec<&crate::domain::calendar::Event> = cal.term_events().collect();
    if events.is_empty() {
        let msg = if cal.filter.is_active() {
            trf(
                "calscreen.filter_none",
                &[("query", cal.filter.text.clone())],
            )
        } else {
            tr("calscreen.term_empty").to_string()
        };
        f.render_widget(
            Paragraph::new(Line::styled(truncate(&msg, w), t.dim())),
            area,
        );
        return;
    }
    // The mark column, the title, a gap, the bars.
    let mark_w = MARK_W.min(w);
    let title_w = 20.min((w / 3).saturating_sub(mark_w));
    let bar_w = w.saturating_sub(mark_w + title_w + 1).max(1);
    let scale = Scale {
        range: timeline_span(&cal.term_info(), events.iter().copied()),
        cols: bar_w,
    };
    let today_col = scale.contains(cal.today).then(|| scale.col(cal.today));
    let footer = u16::from(area.height >= 6);
    let body_h = area.height.saturating_sub(2 + footer) as usize;
    cal.page.set(body_h.max(1));

    let mut lines = Vec::with_capacity(area.height as usize);
    // Month labels where each month starts.
    let mut label_line: Vec<Span> = vec![Span::raw(" ".repeat(mark_w + title_w + 1))];
    {
        let mut used = 0usize;
        let mut text = String::new();
        let mut d = scale.range.start.with_day(1).unwrap_or(scale.range.start);
        while d <= scale.range.end {
            let c = if d < scale.range.start {
                0
            } else {
                scale.col(d)
            };
            let label = tr(month_key(d.month()));
            if c >= used && c + width(label) <= bar_w {
                text.push_str(&" ".repeat(c - used));
                text.push_str(label);
                used = c + width(label) + 1;
                text.push(' ');
            }
            d = next_month(d);
        }
        label_line.push(Span::styled(truncate(&text, bar_w), t.title()));
    }
    lines.push(Line::from(label_line));
    // The ruler: a tick at each Monday, today marked.
    let mut ruler: Vec<char> = vec!['─'; bar_w];
    let mut d = scale.range.start;
    let mut last_tick: Option<usize> = None;
    while d <= scale.range.end {
        let c = scale.col(d);
        // Ticks that would touch the previous one are left out (a narrow
        // terminal has about a cell a week).
        if d.weekday() == chrono::Weekday::Mon && last_tick.is_none_or(|l| c > l + 1) {
            ruler[c] = '┬';
            last_tick = Some(c);
        }
        d += Duration::days(1);
    }
    let mut ruler_spans = vec![Span::styled(
        pad(
            &trf(
                "calscreen.timeline_today",
                &[("date", dates::day(cal.today))],
            ),
            mark_w + title_w,
        ),
        t.dim(),
    )];
    ruler_spans.push(Span::raw(" "));
    match today_col {
        Some(tc) => {
            let before: String = ruler[..tc].iter().collect();
            let after: String = ruler[tc + 1..].iter().collect();
            ruler_spans.push(Span::styled(before, t.dim()));
            ruler_spans.push(Span::styled("┃", t.key()));
            ruler_spans.push(Span::styled(after, t.dim()));
        }
        None => ruler_spans.push(Span::styled(ruler.iter().collect::<String>(), t.dim())),
    }
    lines.push(Line::from(ruler_spans));

    let sel_idx = events
        .iter()
        .position(|e| Some(e.id) == cal.sel)
        .unwrap_or(0);
    let off = scroll_offset(sel_idx, cal.timeline_offset.get(), body_h.max(1));
    cal.timeline_offset.set(off);
    for (n, e) in events.iter().enumerate().skip(off).take(body_h) {
        let st = standing(e, cal.today);
        let title_style = match st {
            Standing::Overdue(_) => t.error(),
            Standing::Done => t.dim(),
            _ => t.base(),
        };
        // Reversed and bold: the mark survives NO_COLOR.
        let mark = if n == sel_idx {
            Span::styled(pad("›", mark_w), t.selected())
        } else {
            Span::raw(" ".repeat(mark_w))
        };
        let mut spans = vec![
            mark,
            Span::styled(pad(&title_text(e, cal.today), title_w), title_style),
            Span::raw(" "),
        ];
        spans.extend(bar(&scale, e.span, st, today_col, t));
        lines.push(Line::from(spans));
    }
    while lines.len() < 2 + body_h {
        lines.push(Line::raw(""));
    }
    if footer > 0
        && let Some(e) = events.get(sel_idx)
    {
        // What the row lacks (its title is on it; the month view has it in
        // full): a move then rewrites few cells.
        let st = standing(e, cal.today);
        let text = [
            dates::range(&e.span),
            phase_text(e).to_string(),
            grades_text(e.grades),
        ]
        .join("  ");
        let st_text = standing_text(st);
        let room = w.saturating_sub(width(&st_text) + 2);
        lines.push(Line::from(vec![
            Span::styled(pad(&truncate(&text, room), room), t.dim()),
            Span::raw("  "),
            Span::styled(st_text, standing_style(st, t)),
        ]));
    }
    f.render_widget(Paragraph::new(lines), area);
}

fn next_month(d: NaiveDate) -> NaiveDate {
    let (y, m) = if d.month() == 12 {
        (d.year() + 1, 1)
    } else {
        (d.year(), d.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(d + Duration::days(31))
}

/// One window's bar: `█` across its days (`▓` once done), `<`/`>` where it
/// runs past the timeline, today's line in the empty cells.
fn bar(
    scale: &Scale,
    span: DateRange,
    st: Standing,
    today_col: Option<usize>,
    t: &Theme,
) -> Vec<Span<'static>> {
    let cols = scale.cols;
    let in_range = span.end >= scale.range.start && span.start <= scale.range.end;
    let (c0, c1) = if in_range {
        (
            scale.col(span.start.max(scale.range.start)),
            scale.col(span.end.min(scale.range.end)),
        )
    } else {
        (usize::MAX, 0)
    };
    let fill = if st == Standing::Done { '▓' } else { '█' };
    let bar_style = match st {
        Standing::Done => t.dim(),
        _ => standing_style(st, t),
    };
    let mut cells: Vec<(char, Style)> = vec![(' ', t.base()); cols];
    if let Some(tc) = today_col {
        cells[tc] = ('│', t.key());
    }
    if in_range {
        for cell in cells.iter_mut().take(c1 + 1).skip(c0) {
            *cell = (fill, bar_style);
        }
        if span.start < scale.range.start {
            cells[0] = ('<', bar_style);
        }
        if span.end > scale.range.end {
            cells[cols - 1] = ('>', bar_style);
        }
    } else if span.end < scale.range.start {
        cells[0] = ('<', bar_style);
    } else {
        cells[cols - 1] = ('>', bar_style);
    }
    // Runs of one style become one span.
    let mut out: Vec<Span<'static>> = Vec::new();
    let mut run = String::new();
    let mut style = cells[0].1;
    for (c, s) in cells {
        if s != style && !run.is_empty() {
            out.push(Span::styled(std::mem::take(&mut run), style));
        }
        style = s;
        run.push(c);
    }
    if !run.is_empty() {
        out.push(Span::styled(run, style));
    }
    out
}
