//! Drawing: the header (term, confirmation window, progress), the
//! virtualized student or discrepancy table, the pane under it (the
//! student's receipt lines, the discrepancy's detail and steps, or bar
//! charts of the open discrepancies by unit and category), the filter line,
//! the import report and the empty states. Text is measured by display
//! width and cut with `⋯` (narrow in every terminal, unlike `…`).

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, Block, Borders, Paragraph};
use unicode_width::UnicodeWidthChar;

use super::{DiscSort, ListView, Pane, Receipts, Report, StudentSort};
use crate::domain::receipt::{Category, Confirm, DStatus, StudentStatus, WindowSource, thousands};
use crate::i18n::{tr, trf};
use crate::screens::View;
use crate::store::short_time;
use crate::ui::dates;
use crate::ui::keys;
use crate::ui::table::{self, Cell, Column, scroll_offset};
use crate::ui::text::{pad, width};
use crate::ui::theme::Theme;
use crate::ui::wrapped;

/// Rows of the pane under the list (its top border and the content).
const PANE_ROWS: u16 = 7;
/// The pane shows only when the inside of the screen has this many rows.
const PANE_MIN_INNER: u16 = 16;
/// Cells a receipt line takes in the lines pane, at least.
const LINE_CELL: u16 = 25;

const COLS_ST: [Column; 12] = [
    Column {
        header: "rcscreen.col_no",
        min: 7,
        max: 10,
        priority: 0,
    },
    Column {
        header: "rcscreen.col_name",
        min: 6,
        max: 10,
        priority: 0,
    },
    Column {
        header: "rcscreen.col_class",
        min: 4,
        max: 6,
        priority: 1,
    },
    Column {
        header: "rcscreen.col_seat",
        min: 4,
        max: 4,
        priority: 4,
    },
    Column {
        header: "receipt.cat_basic_short",
        min: 3,
        max: 3,
        priority: 3,
    },
    Column {
        header: "receipt.cat_course_records_short",
        min: 3,
        max: 3,
        priority: 3,
    },
    Column {
        header: "receipt.cat_course_outcomes_short",
        min: 3,
        max: 3,
        priority: 3,
    },
    Column {
        header: "receipt.cat_diverse_short",
        min: 3,
        max: 3,
        priority: 3,
    },
    Column {
        header: "receipt.cat_cadre_short",
        min: 3,
        max: 3,
        priority: 3,
    },
    Column {
        header: "rcscreen.col_confirm",
        min: 9,
        max: 10,
        priority: 0,
    },
    Column {
        header: "rcscreen.col_open",
        min: 4,
        max: 6,
        priority: 1,
    },
    Column {
        header: "rcscreen.col_leaver",
        min: 4,
        max: 6,
        priority: 2,
    },
];

const COLS_D: [Column; 9] = [
    Column {
        header: "rcscreen.col_id",
        min: 5,
        max: 6,
        priority: 0,
    },
    Column {
        header: "rcscreen.col_student",
        min: 14,
        max: 16,
        priority: 0,
    },
    Column {
        header: "rcscreen.col_class",
        min: 4,
        max: 6,
        priority: 2,
    },
    Column {
        header: "rcscreen.col_category",
        min: 4,
        max: 12,
        priority: 3,
    },
    Column {
        header: "rcscreen.col_kind",
        min: 8,
        max: 14,
        priority: 1,
    },
    Column {
        header: "rcscreen.col_unit",
        min: 6,
        max: 10,
        priority: 1,
    },
    Column {
        header: "rcscreen.col_status",
        min: 8,
        max: 8,
        priority: 0,
    },
    Column {
        header: "rcscreen.col_due",
        min: 12,
        max: 12,
        priority: 0,
    },
    Column {
        header: "rcscreen.col_reported",
        min: 10,
        max: 10,
        priority: 4,
    },
];

pub(super) fn confirm_short_key(c: Confirm) -> &'static str {
    match c {
        Confirm::Unconfirmed => "rcscreen.cf_unconfirmed",
        Confirm::Confirmed => "rcscreen.cf_confirmed",
        Confirm::Disputed => "rcscreen.cf_disputed",
        Confirm::Deemed => "rcscreen.cf_deemed",
    }
}

pub(super) fn status_short_key(s: DStatus) -> &'static str {
    match s {
        DStatus::Reported => "rcscreen.ds_reported",
        DStatus::Investigating => "rcscreen.ds_investigating",
        DStatus::Corrected => "rcscreen.ds_corrected",
        DStatus::Rejected => "rcscreen.ds_rejected",
        DStatus::Closed => "rcscreen.ds_closed",
    }
}

pub(super) fn leaver_short_key(s: StudentStatus) -> &'static str {
    match s {
        StudentStatus::Enrolled => "rcscreen.lv_enrolled",
        StudentStatus::Graduated => "rcscreen.lv_graduated",
        StudentStatus::Left => "rcscreen.lv_left",
        StudentStatus::Transferred => "rcscreen.lv_transferred",
        StudentStatus::Reenrolled => "rcscreen.lv_reenrolled",
    }
}

pub(super) fn student_sort_key(s: StudentSort) -> &'static str {
    match s {
        StudentSort::ClassSeat => "rcscreen.sort_class",
        StudentSort::OpenFirst => "rcscreen.sort_open",
        StudentSort::UnconfirmedFirst => "rcscreen.sort_unconfirmed",
    }
}

pub(super) fn disc_sort_key(s: DiscSort) -> &'static str {
    match s {
        DiscSort::Due => "rcscreen.sort_due",
        DiscSort::Reported => "rcscreen.sort_reported",
        DiscSort::ClassSeat => "rcscreen.sort_class",
    }
}

/// Cuts `s` to at most `w` cells, marking a cut with `⋯`.
pub(super) fn clip(s: &str, w: usize) -> String {
    if width(s) <= w {
        return s.to_string();
    }
    if w == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if used + cw > w - 1 {
            break;
        }
        out.push(c);
        used += cw;
    }
    out.push('\u{22ef}');
    out
}

/// Keeps the spans that fit in `w` cells (the last one cut).
fn fit(spans: Vec<Span<'static>>, w: usize) -> Line<'static> {
    let mut used = 0;
    let mut out = Vec::new();
    for s in spans {
        let sw = width(&s.content);
        if used + sw > w {
            out.push(Span::styled(clip(&s.content, w - used), s.style));
            break;
        }
        used += sw;
        out.push(s);
    }
    Line::from(out)
}

/// Widths of the columns shown at `total` cells (0: dropped).
fn widths(cols: &[Column], total: u16) -> Vec<usize> {
    let mut w = vec![0; cols.len()];
    for (i, cw) in table::layout(cols, total) {
        w[i] = cw as usize;
    }
    w
}

/// "115.11.25 09:30" from a stored time stamp (the date in the chosen style).
fn stamp(at: &str) -> String {
    match at
        .get(..10)
        .and_then(|d| d.parse::<chrono::NaiveDate>().ok())
    {
        Some(d) => format!("{} {}", dates::day(d), at.get(11..16).unwrap_or("")),
        None => short_time(at),
    }
}

fn right(s: &str, w: usize) -> String {
    let s = clip(s, w);
    format!("{}{s}", " ".repeat(w.saturating_sub(width(&s))))
}

impl Receipts {
    fn title_bar(&self) -> String {
        match self.term {
            Some(term) => trf(
                "rcscreen.title_bar",
                &[
                    ("term", term.to_string()),
                    (
                        "view",
                        tr(match self.view {
                            ListView::Students => "rcscreen.view_students",
                            ListView::Discrepancies => "rcscreen.view_discs",
                        })
                        .to_string(),
                    ),
                ],
            ),
            None => tr("rcscreen.title_bar_empty").to_string(),
        }
    }

    fn window_line(&self, t: &Theme, w: usize) -> Line<'static> {
        if let Some(e) = &self.error {
            return Line::styled(clip(e, w), t.error());
        }
        let Some(win) = self.window else {
            return Line::styled(clip(tr("rcscreen.window_unset"), w), t.warn());
        };
        let source = tr(match win.source {
            WindowSource::Manual => "rcscreen.window_manual",
            WindowSource::Calendar(_) => "rcscreen.window_calendar",
        });
        let head = trf(
            "rcscreen.window_line",
            &[
                ("range", dates::range(&win.span)),
                ("source", source.to_string()),
            ],
        );
        let (state, style) = if self.today < win.span.start {
            (
                trf(
                    "rcscreen.window_before",
                    &[("days", (win.span.start - self.today).num_days().to_string())],
                ),
                t.dim(),
            )
        } else if win.span.contains(self.today) {
            (
                trf(
                    "rcscreen.window_open",
                    &[
                        ("end", dates::day(win.span.end)),
                        (
                            "left",
                            ((win.span.end - self.today).num_days() + 1).to_string(),
                        ),
                    ],
                ),
                t.ok(),
            )
        } else if self.silence_rule {
            (tr("rcscreen.window_closed_deem").to_string(), t.warn())
        } else {
            (tr("rcscreen.window_closed").to_string(), t.dim())
        };
        fit(
            vec![
                Span::styled(head, t.base()),
                Span::raw(tr("rcscreen.gap")),
                Span::styled(state, style),
            ],
            w,
        )
    }

    fn progress_line(&self, t: &Theme, w: usize) -> Line<'static> {
        let p = self.progress;
        let mut spans = vec![Span::styled(
            trf(
                "rcscreen.progress_line",
                &[
                    ("confirmed", thousands(p.confirmed)),
                    ("total", thousands(p.total)),
                    ("deemed", thousands(p.deemed)),
                    ("disputed", thousands(p.disputed)),
                ],
            ),
            t.title(),
        )];
        spans.push(Span::raw(tr("rcscreen.gap")));
        spans.push(Span::styled(
            trf("rcscreen.open_count", &[("n", thousands(self.open_total))]),
            if self.open_total > 0 {
                t.warn()
            } else {
                t.dim()
            },
        ));
        spans.push(Span::raw(tr("rcscreen.gap")));
        spans.push(Span::styled(
            trf(
                "rcscreen.overdue_count",
                &[
                    ("mark", tr("rcscreen.mark_overdue").to_string()),
                    ("n", thousands(self.overdue_total)),
                ],
            ),
            if self.overdue_total > 0 {
                t.error()
            } else {
                t.dim()
            },
        ));
        let (shown, n, sort_default, sort_key) = match self.view {
            ListView::Students => (
                self.st_rows.len(),
                self.students.len(),
                self.st_sort == StudentSort::ClassSeat,
                student_sort_key(self.st_sort),
            ),
            ListView::Discrepancies => (
                self.d_rows.len(),
                self.discs.len(),
                self.d_sort == DiscSort::Due,
                disc_sort_key(self.d_sort),
            ),
        };
        let mut state = Vec::new();
        if self.filter().is_active() {
            state.push(trf(
                "rcscreen.shown",
                &[("shown", thousands(shown)), ("n", thousands(n))],
            ));
        }
        if !sort_default {
            state.push(tr(sort_key).to_string());
        }
        if !state.is_empty() {
            spans.push(Span::raw(tr("rcscreen.gap")));
            spans.push(Span::styled(state.join(tr("rcscreen.gap")), t.key()));
        }
        fit(spans, w)
    }

    // ------------------------------------------------------------ students

    fn student_cells(&self, r: usize, t: &Theme, w: &[usize]) -> Vec<Cell> {
        let Some(row) = self.st_rows.get(r).and_then(|&i| self.students.get(i)) else {
            return Vec::new();
        };
        let s = &row.student;
        let c = |i: usize, text: &str, style: Style| -> Cell { (clip(text, w[i]), style) };
        let mut out = vec![
            c(0, &s.student_no, t.base()),
            c(1, &s.name, t.base()),
            c(2, &s.class, t.dim()),
            (
                right(&s.seat.map(|x| x.to_string()).unwrap_or_default(), w[3]),
                t.dim(),
            ),
        ];
        for cat in Category::ALL {
            let n = row.counts[cat.index()];
            out.push((
                right(&n.to_string(), w[4 + cat.index()]),
                if n == 0 { t.dim() } else { t.base() },
            ));
        }
        let cstyle = match row.confirm {
            Confirm::Confirmed => t.ok(),
            Confirm::Deemed => t.ok(),
            Confirm::Disputed => t.warn(),
            Confirm::Unconfirmed => t.base(),
        };
        out.push(c(9, tr(confirm_short_key(row.confirm)), cstyle));
        let open = if row.discrepancies == 0 {
            String::new()
        } else {
            trf(
                "rcscreen.open_of",
                &[
                    ("open", row.open.to_string()),
                    ("n", row.discrepancies.to_string()),
                ],
            )
        };
        out.push((
            right(&open, w[10]),
            if row.open > 0 { t.warn() } else { t.dim() },
        ));
        let leaver = if s.status.is_leaver() {
            tr(leaver_short_key(s.status))
        } else {
            ""
        };
        out.push(c(11, leaver, t.warn()));
        out
    }

    fn disc_cells(&self, r: usize, t: &Theme, w: &[usize]) -> Vec<Cell> {
        let Some(&i) = self.d_rows.get(r) else {
            return Vec::new();
        };
        let (d, info) = (&self.discs[i], &self.d_info[i]);
        let x = &d.d;
        let text = if x.status.is_open() {
            t.base()
        } else {
            t.dim()
        };
        let c = |i: usize, s: &str, style: Style| -> Cell { (clip(s, w[i]), style) };
        // Full names when every one fits, else all short (基 修 成 多 幹).
        let full = Category::ALL
            .iter()
            .all(|c| width(tr(c.label_key())) <= w[3]);
        let cat = if full {
            tr(x.category.label_key())
        } else {
            tr(x.category.short_key())
        };
        let status_style = match x.status {
            DStatus::Reported | DStatus::Investigating => {
                if info.overdue {
                    t.error()
                } else {
                    t.warn()
                }
            }
            DStatus::Corrected => t.key(),
            DStatus::Rejected | DStatus::Closed => t.dim(),
        };
        let (mark, due_style) = if info.overdue {
            (tr("rcscreen.mark_overdue"), t.error())
        } else {
            (tr("rcscreen.mark_none"), text)
        };
        vec![
            c(0, &format!("#{}", x.id), text),
            c(1, &format!("{} {}", d.student_no, d.name), text),
            c(2, &d.class, t.dim()),
            c(3, cat, text),
            c(4, tr(x.kind.label_key()), text),
            c(5, &x.unit, text),
            c(6, tr(status_short_key(x.status)), status_style),
            c(7, &format!("{mark}{}", dates::day(info.due)), due_style),
            c(8, &dates::day(x.reported_on), t.dim()),
        ]
    }

    fn draw_list(&self, f: &mut Frame, area: Rect, t: &Theme) {
        if area.height == 0 || area.width == 0 {
            return;
        }
        let (rows, total, sel, offset, cols): (usize, usize, usize, _, &[Column]) = match self.view
        {
            ListView::Students => (
                self.st_rows.len(),
                self.students.len(),
                self.st_sel,
                &self.st_offset,
                &COLS_ST,
            ),
            ListView::Discrepancies => (
                self.d_rows.len(),
                self.discs.len(),
                self.d_sel,
                &self.d_offset,
                &COLS_D,
            ),
        };
        if rows == 0 {
            let msg = if total > 0 {
                trf(
                    "rcscreen.filter_none",
                    &[("query", self.filter().text.clone())],
                )
            } else if self.view == ListView::Discrepancies {
                tr("rcscreen.no_discs").to_string()
            } else {
                tr("rcscreen.no_students").to_string()
            };
            f.render_widget(
                Paragraph::new(wrapped(&msg, area.width as usize, t.dim())),
                area,
            );
            return;
        }
        let body = area.height.saturating_sub(1) as usize;
        let off = scroll_offset(sel, offset.get(), body);
        offset.set(off);
        self.page.set(body.max(1));
        let w = widths(cols, area.width);
        // The list's selection stays marked while the cursor is in the lines.
        match self.view {
            ListView::Students => table::draw(f, area, t, cols, rows, Some(sel), off, &|r| {
                self.student_cells(r, t, &w)
            }),
            ListView::Discrepancies => table::draw(f, area, t, cols, rows, Some(sel), off, &|r| {
                self.disc_cells(r, t, &w)
            }),
        }
    }

    // ------------------------------------------------------------ panes

    fn pane_block(&self, f: &mut Frame, area: Rect, t: &Theme, title: &str) -> Rect {
        let block = Block::default()
            .borders(Borders::TOP)
            .border_style(t.border())
            .title(Span::styled(
                format!(" {} ", clip(title, (area.width as usize).saturating_sub(4))),
                t.title(),
            ));
        let inner = block.inner(area);
        f.render_widget(block, area);
        inner
    }

    fn draw_lines_pane(&self, f: &mut Frame, area: Rect, t: &Theme) {
        let title = if self.in_lines {
            trf(
                "rcscreen.pane_lines_focus",
                &[("n", self.lines.len().to_string())],
            )
        } else {
            trf(
                "rcscreen.pane_lines",
                &[("n", self.lines.len().to_string())],
            )
        };
        let inner = self.pane_block(f, area, t, &title);
        if inner.height == 0 || inner.width < 4 {
            return;
        }
        if self.selected_student().is_none() {
            return;
        }
        if self.lines.is_empty() {
            f.render_widget(
                Paragraph::new(Line::styled(
                    clip(tr("rcscreen.no_lines"), inner.width as usize),
                    t.dim(),
                )),
                inner,
            );
            return;
        }
        let ncol = (inner.width / LINE_CELL).max(1) as usize;
        let gap = 1usize;
        let cw = (inner.width as usize + gap) / ncol - gap;
        let rows = inner.height as usize;
        let sel_row = self.line_sel / ncol;
        let off = scroll_offset(sel_row, self.line_offset.get(), rows);
        self.line_offset.set(off);
        let total_rows = self.lines.len().div_ceil(ncol);
        let mut out: Vec<Line> = Vec::with_capacity(rows);
        for row in off..(off + rows).min(total_rows) {
            let mut spans = Vec::new();
            for col in 0..ncol {
                let i = row * ncol + col;
                let Some(l) = self.lines.get(i) else {
                    break;
                };
                if col > 0 {
                    spans.push(Span::raw(" ".repeat(gap)));
                }
                let mark = if l.resubmit {
                    tr("rcscreen.mark_resubmit")
                } else {
                    tr("rcscreen.mark_none")
                };
                let count = format!("{:>3}", l.count);
                let room = cw.saturating_sub(width(&count) + width(mark));
                let text = format!(
                    "{}{}{}",
                    pad(
                        &clip(&format!("{} {}", tr(l.category.short_key()), l.item), room),
                        room
                    ),
                    count,
                    mark
                );
                let style = if self.in_lines && i == self.line_sel {
                    t.selected()
                } else if l.resubmit {
                    t.warn()
                } else {
                    t.base()
                };
                spans.push(Span::styled(text, style));
            }
            out.push(Line::from(spans));
        }
        f.render_widget(Paragraph::new(out), inner);
    }

    fn draw_disc_pane(&self, f: &mut Frame, area: Rect, t: &Theme) {
        let next: Vec<String> = self
            .next_steps()
            .into_iter()
            .map(|a| {
                format!(
                    "{} {}",
                    keys::first_key_label(a),
                    keys::row(a).map(|r| tr(r.label)).unwrap_or("")
                )
            })
            .collect();
        let next = if next.is_empty() {
            tr("rcscreen.next_none").to_string()
        } else {
            next.join(tr("list.sep"))
        };
        let inner = self.pane_block(f, area, t, &trf("rcscreen.pane_detail", &[("next", next)]));
        if inner.height == 0 || inner.width < 4 {
            return;
        }
        let (Some(d), Some(info)) = (self.selected_disc(), self.selected_disc_info()) else {
            return;
        };
        let w = inner.width as usize;
        let x = &d.d;
        let seat = info.seat.map(|s| s.to_string()).unwrap_or_default();
        let mut head = trf(
            "rcscreen.detail_head",
            &[
                ("id", x.id.to_string()),
                ("no", d.student_no.clone()),
                ("name", d.name.clone()),
                ("class", d.class.clone()),
                ("seat", seat),
                ("category", tr(x.category.label_key()).to_string()),
                ("kind", tr(x.kind.label_key()).to_string()),
            ],
        );
        if let Some(item) = &d.item {
            head += &trf("rcscreen.detail_item", &[("item", item.clone())]);
        }
        let mut lines = vec![Line::styled(clip(&head, w), t.title())];
        let said = if x.detail.trim().is_empty() {
            tr("rcscreen.detail_none").to_string()
        } else {
            x.detail.clone()
        };
        lines.push(Line::from(clip(
            &trf("rcscreen.detail_said", &[("text", said)]),
            w,
        )));
        let due = if info.overdue {
            trf(
                "rcscreen.detail_due_overdue",
                &[
                    ("due", dates::day(info.due)),
                    ("mark", tr("rcscreen.mark_overdue").to_string()),
                ],
            )
        } else {
            trf("rcscreen.detail_due", &[("due", dates::day(info.due))])
        };
        lines.push(fit(
            vec![
                Span::raw(trf(
                    "rcscreen.detail_route",
                    &[
                        ("reported", dates::day(x.reported_on)),
                        ("via", tr(x.via.label_key()).to_string()),
                        ("unit", x.unit.clone()),
                        ("status", tr(x.status.label_key()).to_string()),
                    ],
                )),
                Span::raw(tr("rcscreen.gap")),
                Span::styled(due, if info.overdue { t.error() } else { t.dim() }),
            ],
            w,
        ));
        if !x.resolution.trim().is_empty() {
            lines.push(Line::styled(
                clip(
                    &trf(
                        "rcscreen.detail_resolution",
                        &[("text", x.resolution.clone())],
                    ),
                    w,
                ),
                t.key(),
            ));
        }
        // The latest steps that fit, oldest of them first.
        let room = (inner.height as usize).saturating_sub(lines.len());
        let skip = self.steps.len().saturating_sub(room);
        for s in self.steps.iter().skip(skip) {
            let text = trf(
                "rcscreen.detail_step",
                &[
                    ("at", stamp(&s.at)),
                    ("by", s.by.clone()),
                    ("status", tr(s.status.label_key()).to_string()),
                    ("note", s.note.clone()),
                ],
            );
            lines.push(Line::styled(clip(text.trim_end(), w), t.dim()));
        }
        f.render_widget(Paragraph::new(lines), inner);
    }

    fn draw_chart_pane(&self, f: &mut Frame, area: Rect, t: &Theme) {
        let inner = self.pane_block(f, area, t, tr("rcscreen.pane_chart"));
        if inner.height == 0 || inner.width < 10 {
            return;
        }
        if self.open_total == 0 {
            f.render_widget(
                Paragraph::new(Line::styled(
                    clip(tr("rcscreen.chart_none"), inner.width as usize),
                    t.dim(),
                )),
                inner,
            );
            return;
        }
        let [left, _, right_area] = Layout::horizontal([
            Constraint::Fill(1),
            Constraint::Length(2),
            Constraint::Fill(1),
        ])
        .areas(inner);
        bars(f, left, t, &self.open_by_unit, 6, "rcscreen.more_units");
        let cats: Vec<(String, usize)> = Category::ALL
            .iter()
            .map(|c| (tr(c.short_key()).to_string(), self.open_by_cat[c.index()]))
            .collect();
        bars(f, right_area, t, &cats, 4, "rcscreen.more_units");
    }

    // ------------------------------------------------------------ the rest

    fn draw_filter(&self, f: &mut Frame, area: Rect, t: &Theme) {
        if area.height == 0 {
            return;
        }
        let filter = self.filter();
        let cursor = if filter.editing { "_" } else { "" };
        let text = clip(&format!("/{}{cursor}", filter.text), area.width as usize);
        let hint = if filter.editing {
            tr(match self.view {
                ListView::Students => "rcscreen.filter_hint_students",
                ListView::Discrepancies => "rcscreen.filter_hint_discs",
            })
        } else {
            ""
        };
        let room = (area.width as usize).saturating_sub(width(&text) + 2);
        f.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(text, t.key()),
                Span::raw("  "),
                Span::styled(clip(hint, room), t.dim()),
            ])),
            area,
        );
    }

    fn draw_empty(&self, f: &mut Frame, area: Rect, t: &Theme) {
        let term = crate::domain::roc::Term::containing(self.today).to_string();
        let w = area.width as usize;
        let mut lines = Vec::new();
        if let Some(e) = &self.error {
            lines.extend(wrapped(e, w, t.error()));
        }
        for (text, style) in [
            (tr("rcscreen.empty").to_string(), t.warn()),
            (String::new(), Style::new()),
            (tr("rcscreen.empty_import").to_string(), Style::new()),
            (trf("rcscreen.empty_cli", &[("term", term)]), t.key()),
            (String::new(), Style::new()),
            (tr("rcscreen.empty_headers").to_string(), t.dim()),
        ] {
            lines.extend(wrapped(&text, w, style));
        }
        f.render_widget(Paragraph::new(lines), area);
    }
}

/// A bar chart of (label, count), as many bars as fit; the top line says
/// how many did not.
fn bars(f: &mut Frame, area: Rect, t: &Theme, rows: &[(String, usize)], bw: u16, more_key: &str) {
    if rows.is_empty() || area.width < bw || area.height < 3 {
        return;
    }
    let fit_n = ((area.width + 1) / (bw + 1)) as usize;
    let shown = &rows[..rows.len().min(fit_n.max(1))];
    let max = shown.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let list: Vec<Bar> = shown
        .iter()
        .map(|(label, n)| {
            Bar::default()
                .label(Line::from(clip(label, bw as usize)))
                .value(*n as u64)
                .text_value(n.to_string())
                .style(if *n > 0 { t.warn() } else { t.dim() })
                .value_style(t.selected())
        })
        .collect();
    let chart = BarChart::vertical(list)
        .direction(Direction::Vertical)
        .bar_width(bw)
        .bar_gap(1)
        .max(max as u64)
        .label_style(t.base());
    f.render_widget(chart, area);
    if shown.len() < rows.len() {
        let more = trf(more_key, &[("n", (rows.len() - shown.len()).to_string())]);
        let w = (width(&more) as u16).min(area.width);
        f.render_widget(
            Paragraph::new(Span::styled(more, t.dim())),
            Rect::new(area.x + area.width - w, area.y, w, 1),
        );
    }
}

fn draw_report(r: &Report, f: &mut Frame, area: Rect, t: &Theme) {
    crate::ui::draw_report(
        f,
        area,
        &r.title,
        &r.lines,
        r.question.as_deref(),
        r.scroll,
        t,
    );
}

pub(super) fn draw(s: &Receipts, f: &mut Frame, area: Rect, v: &View) {
    let t = v.theme;
    let Some(inner) = crate::ui::screen_frame(f, area, &s.title_bar(), t, s.has_school) else {
        return;
    };
    if s.term.is_none() {
        s.draw_empty(f, inner, t);
    } else {
        let filter = s.filter();
        let filter_rows = u16::from(filter.editing || filter.is_active());
        let pane_rows = if inner.height >= PANE_MIN_INNER {
            PANE_ROWS
        } else {
            0
        };
        let [head1, head2, body, pane, foot] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Min(0),
            Constraint::Length(pane_rows),
            Constraint::Length(filter_rows),
        ])
        .areas(inner);
        let w = inner.width as usize;
        f.render_widget(Paragraph::new(s.window_line(t, w)), head1);
        f.render_widget(Paragraph::new(s.progress_line(t, w)), head2);
        s.draw_list(f, body, t);
        s.pane_shown.set(pane.height > 0);
        if pane.height > 0 {
            match (s.pane, s.view) {
                (Pane::Chart, _) => s.draw_chart_pane(f, pane, t),
                (Pane::Detail, ListView::Students) => s.draw_lines_pane(f, pane, t),
                (Pane::Detail, ListView::Discrepancies) => s.draw_disc_pane(f, pane, t),
            }
        }
        s.draw_filter(f, foot, t);
    }
    if let Some(r) = &s.report {
        draw_report(r, f, area, t);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clip_marks_the_cut_and_fits() {
        assert_eq!(clip("課程學習成果", 7), "課程學\u{22ef}");
        assert_eq!(width(&clip("課程學習成果", 7)), 7);
        assert_eq!(clip("abc", 3), "abc");
        assert_eq!(clip("abc", 0), "");
    }
}
