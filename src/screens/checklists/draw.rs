//! Drawing: the title and summary line, the virtualized item table, the
//! progress pane (gauges per section and unit, or the bar chart of open
//! items by unit), the filter line and the empty states.

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, Block, Borders, LineGauge, Paragraph};

use super::{Checklists, Pane};
use crate::domain::checklist::{Status, Tally, unit_key};
use crate::i18n::{tr, trf};
use crate::screens::View;
use crate::ui::dates;
use crate::ui::table::{self, Cell, Column, scroll_offset};
use crate::ui::text::{pad, truncate, width};
use crate::ui::theme::Theme;

/// Rows of the progress pane (its top border and the gauges).
const PANE_ROWS: u16 = 7;
/// The pane shows only when the inside of the screen has this many rows.
const PANE_MIN_INNER: u16 = 16;

const COLS: [Column; 9] = [
    Column {
        header: "ckscreen.col_status",
        min: 8,
        max: 10,
        priority: 0,
    },
    Column {
        header: "ckscreen.col_title",
        min: 24,
        max: 44,
        priority: 0,
    },
    Column {
        header: "ckscreen.col_section",
        min: 8,
        max: 18,
        priority: 3,
    },
    Column {
        header: "ckscreen.col_units",
        min: 10,
        max: 24,
        priority: 2,
    },
    Column {
        header: "ckscreen.col_due",
        min: 9,
        max: 10,
        priority: 1,
    },
    Column {
        header: "ckscreen.col_windows",
        min: 16,
        max: 34,
        priority: 4,
    },
    Column {
        header: "ckscreen.col_done",
        min: 9,
        max: 10,
        priority: 5,
    },
    Column {
        header: "ckscreen.col_done_by",
        min: 8,
        max: 12,
        priority: 6,
    },
    Column {
        header: "ckscreen.col_note",
        min: 8,
        max: 30,
        priority: 7,
    },
];

fn short_status(s: Status) -> &'static str {
    tr(match s {
        Status::NotStarted => "ckscreen.st_not_started",
        Status::InProgress => "ckscreen.st_in_progress",
        Status::Done => "ckscreen.st_done",
        Status::NotApplicable => "ckscreen.st_not_applicable",
    })
}

impl Checklists {
    fn title_bar(&self) -> String {
        let bar = self.title_bar_plain();
        if self.closed_years.contains(&self.year) {
            format!("{bar}　{}", tr("access.closed_mark"))
        } else {
            bar
        }
    }

    fn title_bar_plain(&self) -> String {
        match self.current() {
            Some(c) => {
                let n = self.year_lists().len();
                let at = self
                    .year_lists()
                    .iter()
                    .position(|x| x.list.id == c.list.id)
                    .unwrap_or(0);
                trf(
                    "ckscreen.title_bar",
                    &[
                        ("year", c.list.year.to_string()),
                        ("title", c.list.title.clone()),
                        ("at", (at + 1).to_string()),
                        ("n", n.to_string()),
                    ],
                )
            }
            None => trf(
                "ckscreen.title_bar_empty",
                &[("year", self.year.to_string())],
            ),
        }
    }

    fn summary_line(&self, t: &Theme, w: usize) -> Line<'static> {
        if let Some(e) = &self.error {
            return Line::styled(truncate(e, w), t.error());
        }
        let o = self.overall;
        let overdue = self.info.iter().filter(|i| i.overdue).count();
        let lead = self.info.iter().filter(|i| i.lead).count();
        let mut spans = vec![Span::styled(
            trf(
                "ckscreen.done_tally",
                &[
                    ("done", o.done.to_string()),
                    ("total", o.total.to_string()),
                    ("pct", format!("{:.0}", o.ratio() * 100.0)),
                ],
            ),
            t.title(),
        )];
        spans.push(Span::raw(tr("ckscreen.gap")));
        spans.push(Span::styled(
            trf(
                "ckscreen.overdue_count",
                &[
                    ("mark", tr("ckscreen.mark_overdue").to_string()),
                    ("n", overdue.to_string()),
                ],
            ),
            if overdue > 0 { t.error() } else { t.dim() },
        ));
        if let Some(days) = self.lead_days {
            spans.push(Span::raw(tr("ckscreen.gap")));
            spans.push(Span::styled(
                trf(
                    "ckscreen.lead_count",
                    &[
                        ("mark", tr("ckscreen.mark_lead").to_string()),
                        ("days", days.to_string()),
                        ("n", lead.to_string()),
                    ],
                ),
                if lead > 0 { t.warn() } else { t.dim() },
            ));
        }
        let mut state = Vec::new();
        if self.filter.is_active() || self.mine.is_some() {
            state.push(trf(
                "ckscreen.shown",
                &[
                    ("shown", self.rows.len().to_string()),
                    ("n", self.items.len().to_string()),
                ],
            ));
        }
        if let Some(me) = &self.mine {
            state.push(trf("ckscreen.mine_label", &[("name", me.name.clone())]));
        }
        if self.sort_due {
            state.push(tr("ckscreen.sort_label").to_string());
        }
        if !state.is_empty() {
            spans.push(Span::raw(tr("ckscreen.gap")));
            spans.push(Span::styled(state.join(tr("ckscreen.gap")), t.key()));
        }
        // Cut to the width, span by span.
        let mut used = 0;
        let mut out = Vec::new();
        for s in spans {
            let sw = width(&s.content);
            if used + sw > w {
                out.push(Span::styled(truncate(&s.content, w - used), s.style));
                break;
            }
            used += sw;
            out.push(s);
        }
        Line::from(out)
    }

    fn cells(&self, r: usize, t: &Theme) -> Vec<Cell> {
        let Some(&i) = self.rows.get(r) else {
            return Vec::new();
        };
        let item = &self.items[i].item;
        let info = &self.info[i];
        let (mark, style) = if info.overdue {
            (tr("ckscreen.mark_overdue"), t.error())
        } else if info.lead {
            (tr("ckscreen.mark_lead"), t.warn())
        } else {
            (
                tr("ckscreen.mark_none"),
                match item.status {
                    Status::Done => t.ok(),
                    Status::NotApplicable => t.dim(),
                    _ => t.base(),
                },
            )
        };
        let text_style = if item.status.is_open() {
            t.base()
        } else {
            t.dim()
        };
        let due = match info.due {
            Some(d) => dates::day(d),
            None => item
                .windows
                .iter()
                .find(|w| w.span().is_none())
                .map(|w| format!("{}{}", tr("ckscreen.due_unreadable"), w.text))
                .unwrap_or_default(),
        };
        let units: Vec<String> = item.units.iter().map(|u| unit_key(u)).collect();
        vec![
            (format!("{mark}{}", short_status(item.status)), style),
            (item.title.clone(), text_style),
            (item.section.clone(), t.dim()),
            (units.join(tr("list.sep")), text_style),
            (due, if info.overdue { t.error() } else { text_style }),
            (super::form::windows_text(&item.windows), t.dim()),
            (item.done_on.map(dates::day).unwrap_or_default(), t.dim()),
            (item.done_by.clone().unwrap_or_default(), t.dim()),
            (item.note.clone(), t.dim()),
        ]
    }

    fn draw_table(&self, f: &mut Frame, area: Rect, t: &Theme) {
        if area.height == 0 {
            return;
        }
        if self.rows.is_empty() {
            let msg = if self.items.is_empty() {
                tr("ckscreen.list_empty").to_string()
            } else if self.filter.is_active() {
                trf(
                    "ckscreen.filter_none",
                    &[("query", self.filter.text.clone())],
                )
            } else {
                tr("ckscreen.mine_none").to_string()
            };
            f.render_widget(
                Paragraph::new(crate::ui::wrapped(&msg, area.width as usize, t.dim())),
                area,
            );
            return;
        }
        let body = area.height.saturating_sub(1) as usize;
        let offset = scroll_offset(self.sel, self.offset.get(), body);
        self.offset.set(offset);
        self.page.set(body.max(1));
        table::draw(
            f,
            area,
            t,
            &COLS,
            self.rows.len(),
            Some(self.sel),
            offset,
            &|r| self.cells(r, t),
        );
    }

    fn draw_pane(&self, f: &mut Frame, area: Rect, t: &Theme) {
        let title = match self.pane {
            Pane::Gauges => tr("ckscreen.pane_gauges"),
            Pane::Chart => tr("ckscreen.pane_chart"),
        };
        let block = Block::default()
            .borders(Borders::TOP)
            .border_style(t.border())
            .title(Span::styled(
                format!(
                    " {} ",
                    truncate(title, (area.width as usize).saturating_sub(4))
                ),
                t.title(),
            ));
        let inner = block.inner(area);
        f.render_widget(block, area);
        if inner.height == 0 || inner.width < 10 {
            return;
        }
        match self.pane {
            Pane::Gauges => {
                if inner.width >= 60 {
                    let [l, _, r] = Layout::horizontal([
                        Constraint::Fill(1),
                        Constraint::Length(2),
                        Constraint::Fill(1),
                    ])
                    .areas(inner);
                    gauges(f, l, t, &self.sections, "ckscreen.more_sections");
                    gauges(f, r, t, &self.units, "ckscreen.more_units");
                } else {
                    gauges(f, inner, t, &self.sections, "ckscreen.more_sections");
                }
            }
            Pane::Chart => self.draw_chart(f, inner, t),
        }
    }

    fn draw_chart(&self, f: &mut Frame, area: Rect, t: &Theme) {
        if self.units.is_empty() {
            return;
        }
        let bw: u16 = 6;
        let fit = ((area.width + 1) / (bw + 1)) as usize;
        let shown = &self.units[..self.units.len().min(fit.max(1))];
        let max = shown
            .iter()
            .map(|(_, x)| x.open())
            .max()
            .unwrap_or(0)
            .max(1);
        let bars: Vec<Bar> = shown
            .iter()
            .map(|(u, x)| {
                Bar::default()
                    .label(Line::from(truncate(u, bw as usize)))
                    .value(x.open() as u64)
                    .text_value(x.open().to_string())
                    .style(if x.open() > 0 { t.warn() } else { t.dim() })
                    .value_style(t.selected())
            })
            .collect();
        let chart = BarChart::vertical(bars)
            .direction(Direction::Vertical)
            .bar_width(bw)
            .bar_gap(1)
            .max(max as u64)
            .label_style(t.base());
        f.render_widget(chart, area);
        if shown.len() < self.units.len() {
            // Say how many did not fit, on the top line at the right.
            let more = trf(
                "ckscreen.more_units",
                &[("n", (self.units.len() - shown.len()).to_string())],
            );
            let w = (width(&more) as u16).min(area.width);
            f.render_widget(
                Paragraph::new(Span::styled(more, t.dim())),
                Rect::new(area.x + area.width - w, area.y, w, 1),
            );
        }
    }

    fn draw_filter(&self, f: &mut Frame, area: Rect, t: &Theme) {
        if area.height == 0 {
            return;
        }
        let cursor = if self.filter.editing { "_" } else { "" };
        let text = format!("/{}{cursor}", self.filter.text);
        let hint = if self.filter.editing {
            tr("ckscreen.filter_hint")
        } else {
            ""
        };
        let w = area.width as usize;
        let text = truncate(&text, w);
        let room = w.saturating_sub(width(&text) + 2);
        f.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(text, t.key()),
                Span::raw("  "),
                Span::styled(truncate(hint, room), t.dim()),
            ])),
            area,
        );
    }

    fn draw_empty_year(&self, f: &mut Frame, area: Rect, t: &Theme) {
        let mut lines = vec![
            Line::styled(
                trf("ckscreen.empty_year", &[("year", self.year.to_string())]),
                t.warn(),
            ),
            Line::from(""),
        ];
        if self.templates.is_empty() {
            lines.push(Line::from(tr("ckscreen.no_templates")));
        } else {
            lines.push(Line::from(tr("ckscreen.empty_offer")));
            for tpl in &self.templates {
                lines.push(Line::from(trf(
                    "ckscreen.empty_template",
                    &[
                        ("name", tpl.name.clone()),
                        ("year", tpl.year.to_string()),
                        ("n", tpl.lists.len().to_string()),
                    ],
                )));
            }
        }
        lines.push(Line::from(""));
        lines.push(Line::styled(tr("ckscreen.empty_years"), t.dim()));
        f.render_widget(
            Paragraph::new(crate::ui::wrap_lines(&lines, area.width as usize)),
            area,
        );
    }
}

/// One line gauge per (name, tally): a name, "7/9" and the line. When not
/// all fit, the last line says how many more (`more_key`).
fn gauges(f: &mut Frame, area: Rect, t: &Theme, rows: &[(String, Tally)], more_key: &str) {
    let h = area.height as usize;
    if h == 0 || rows.is_empty() {
        return;
    }
    let (shown, more) = if rows.len() > h {
        (&rows[..h - 1], rows.len() - (h - 1))
    } else {
        (rows, 0)
    };
    let name_w = shown
        .iter()
        .map(|(n, _)| width(n))
        .max()
        .unwrap_or(0)
        .min(area.width as usize / 2);
    let num_w = shown
        .iter()
        .map(|(_, x)| width(&format!("{}/{}", x.done, x.total)))
        .max()
        .unwrap_or(3);
    for (n, (name, x)) in shown.iter().enumerate() {
        let label = format!(
            "{} {:>num_w$}",
            pad(name, name_w),
            format!("{}/{}", x.done, x.total)
        );
        let style: Style = if x.total > 0 && x.done == x.total {
            t.ok()
        } else {
            t.base()
        };
        let g = LineGauge::default()
            .ratio(x.ratio().clamp(0.0, 1.0))
            .label(Span::styled(label, style))
            .filled_symbol("\u{2501}")
            .unfilled_symbol("\u{2500}")
            .filled_style(t.ok())
            .unfilled_style(t.dim());
        f.render_widget(g, Rect::new(area.x, area.y + n as u16, area.width, 1));
    }
    if more > 0 {
        f.render_widget(
            Paragraph::new(Line::styled(
                truncate(
                    &trf(more_key, &[("n", more.to_string())]),
                    area.width as usize,
                ),
                t.dim(),
            )),
            Rect::new(area.x, area.y + area.height - 1, area.width, 1),
        );
    }
}

pub(super) fn draw(s: &Checklists, f: &mut Frame, area: Rect, v: &View) {
    let t = v.theme;
    let Some(inner) = crate::ui::screen_frame(f, area, &s.title_bar(), t, s.has_school) else {
        return;
    };
    if s.list_id.is_none() {
        s.draw_empty_year(f, inner, t);
        return;
    }
    let filter_rows = u16::from(s.filter.editing || s.filter.is_active());
    let pane_rows = if inner.height >= PANE_MIN_INNER {
        PANE_ROWS
    } else {
        0
    };
    let [head, body, pane, foot] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(pane_rows),
        Constraint::Length(filter_rows),
    ])
    .areas(inner);
    f.render_widget(Paragraph::new(s.summary_line(t, head.width as usize)), head);
    s.draw_table(f, body, t);
    if pane.height > 0 {
        s.draw_pane(f, pane, t);
    }
    s.draw_filter(f, foot, t);
}
