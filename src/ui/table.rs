//! A virtualized table whose columns drop by priority on narrow terminals
//! (after bottom's data_table columns). Only the visible rows are built.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::text::pad;
use super::theme::Theme;

#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// i18n key of the header.
    pub header: &'static str,
    /// Cells it needs to be shown at all.
    pub min: u16,
    /// Cells it would like; extra space is shared up to this.
    pub max: u16,
    /// Lower numbers are kept longer; 0 never drops.
    pub priority: u8,
}

/// Which columns fit in `width`, and how wide each is (index, width).
pub fn layout(cols: &[Column], total: u16) -> Vec<(usize, u16)> {
    let gap = 1u16;
    let mut keep: Vec<usize> = (0..cols.len()).collect();
    let need = |keep: &[usize]| -> u16 {
        keep.iter().map(|&i| cols[i].min).sum::<u16>() + gap * keep.len().saturating_sub(1) as u16
    };
    while need(&keep) > total && keep.len() > 1 {
        // Drop the least important (highest priority number; later first).
        let (pos, _) = keep
            .iter()
            .enumerate()
            .max_by_key(|(p, i)| (cols[**i].priority, *p))
            .expect("non-empty");
        if cols[keep[pos]].priority == 0 {
            break;
        }
        keep.remove(pos);
    }
    let mut widths: Vec<u16> = keep.iter().map(|&i| cols[i].min).collect();
    let mut spare = total.saturating_sub(need(&keep));
    // Spare cells go to the most important columns first, each up to its max.
    let mut order: Vec<usize> = (0..keep.len()).collect();
    order.sort_by_key(|&n| (cols[keep[n]].priority, n));
    for n in order {
        let grow = (cols[keep[n]].max.saturating_sub(widths[n])).min(spare);
        widths[n] += grow;
        spare -= grow;
    }
    keep.into_iter().zip(widths).collect()
}

/// The first row to show so that `selected` is visible in `height` rows.
pub fn scroll_offset(selected: usize, current: usize, height: usize) -> usize {
    if height == 0 {
        return 0;
    }
    if selected < current {
        selected
    } else if selected >= current + height {
        selected + 1 - height
    } else {
        current
    }
}

/// One cell: text and its style.
pub type Cell = (String, Style);

/// Draws header + the visible slice of rows. `row_at(i)` builds row i only
/// when it is on screen.
#[allow(clippy::too_many_arguments)]
pub fn draw(
    f: &mut Frame,
    area: Rect,
    theme: &Theme,
    cols: &[Column],
    len: usize,
    selected: Option<usize>,
    offset: usize,
    row_at: &dyn Fn(usize) -> Vec<Cell>,
) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let lay = layout(cols, area.width);
    let mut lines = Vec::with_capacity(area.height as usize);
    let header: Vec<Span> = lay
        .iter()
        .enumerate()
        .flat_map(|(n, &(i, w))| {
            let sep = if n > 0 { " " } else { "" };
            [
                Span::raw(sep),
                Span::styled(
                    pad(crate::i18n::tr(cols[i].header), w as usize),
                    theme.header(),
                ),
            ]
        })
        .collect();
    lines.push(Line::from(header));
    let body = area.height.saturating_sub(1) as usize;
    for r in offset..(offset + body).min(len) {
        let cells = row_at(r);
        let is_sel = selected == Some(r);
        let mut spans = Vec::new();
        for (n, &(i, w)) in lay.iter().enumerate() {
            if n > 0 {
                spans.push(Span::raw(" "));
            }
            let (text, style) = cells.get(i).cloned().unwrap_or_default();
            // The selection marks the first column only: a cursor move then
            // rewrites two short cells, not two whole rows (bytes over SSH).
            let style = if is_sel && n == 0 {
                style.patch(theme.selected())
            } else {
                style
            };
            spans.push(Span::styled(pad(&text, w as usize), style));
        }
        let used: usize =
            lay.iter().map(|&(_, w)| w as usize).sum::<usize>() + lay.len().saturating_sub(1);
        spans.push(Span::raw(
            " ".repeat((area.width as usize).saturating_sub(used)),
        ));
        lines.push(Line::from(spans));
    }
    f.render_widget(Paragraph::new(lines), area);
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLS: [Column; 3] = [
        Column {
            header: "a",
            min: 10,
            max: 20,
            priority: 0,
        },
        Column {
            header: "b",
            min: 10,
            max: 10,
            priority: 2,
        },
        Column {
            header: "c",
            min: 10,
            max: 30,
            priority: 1,
        },
    ];

    #[test]
    fn columns_drop_by_priority_and_share_space() {
        assert_eq!(
            layout(&COLS, 80).iter().map(|c| c.0).collect::<Vec<_>>(),
            vec![0, 1, 2]
        );
        // 32 cells: all three need 32 exactly.
        assert_eq!(layout(&COLS, 32), vec![(0, 10), (1, 10), (2, 10)]);
        // 25 cells: b (priority 2) goes first.
        assert_eq!(
            layout(&COLS, 25).iter().map(|c| c.0).collect::<Vec<_>>(),
            vec![0, 2]
        );
        // 15 cells: only the must-keep column stays.
        assert_eq!(layout(&COLS, 15), vec![(0, 15)]);
        // never panics on tiny widths
        assert_eq!(layout(&COLS, 1).len(), 1);
    }

    #[test]
    fn scrolling_keeps_the_selection_visible() {
        assert_eq!(scroll_offset(0, 0, 10), 0);
        assert_eq!(scroll_offset(12, 0, 10), 3);
        assert_eq!(scroll_offset(2, 3, 10), 2);
        assert_eq!(scroll_offset(5, 3, 10), 3);
        assert_eq!(scroll_offset(5, 3, 0), 0);
    }
}
