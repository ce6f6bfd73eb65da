//! Shared widgets: key table, theme, table, form, confirm, help, picker,
//! filter line, and the text-width helpers they all use.
pub mod audit_text;
pub mod backend;
pub mod calendar_text;
pub mod checklist_text;
pub mod confirm;
pub mod dates;
pub mod delegation_text;
pub mod filter;
pub mod form;
pub mod glyphs;
pub mod help;
pub mod keys;
pub mod picker;
pub mod status;
pub mod table;
pub mod text;
pub mod theme;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Clear};

/// Clears a `w`x`h` box centred in `area`, draws its border and title, and
/// returns the inside. Every popup is drawn in one of these.
pub fn popup_frame(
    f: &mut Frame,
    area: Rect,
    w: u16,
    h: u16,
    title: &str,
    border: Style,
    title_style: Style,
) -> Rect {
    let rect = form::centered(area, w, h);
    f.render_widget(Clear, rect);
    // A wide (CJK) character just left of the box covers the box's first
    // column, and the terminal diff would skip the border drawn there:
    // blank it so the border shows.
    if rect.x > 0 {
        let buf = f.buffer_mut();
        for y in rect.y..rect.y + rect.height {
            if let Some(cell) = buf.cell_mut((rect.x - 1, y))
                && text::width(cell.symbol()) > 1
            {
                cell.set_symbol(" ");
            }
        }
    }
    let title = text::truncate(title, rect.width.saturating_sub(4) as usize);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(border)
        .title(Span::styled(format!(" {title} "), title_style));
    let inner = block.inner(rect);
    f.render_widget(block, rect);
    inner
}

/// A screen's bordered frame titled `title` (cut to fit). Returns the inside
/// to draw in, or `None` when there is no room or no school yet (then the
/// frame says how to create one).
pub fn screen_frame(
    f: &mut Frame,
    area: Rect,
    title: &str,
    theme: &theme::Theme,
    has_school: bool,
) -> Option<Rect> {
    use ratatui::widgets::Paragraph;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border())
        .title(Span::styled(
            format!(
                " {} ",
                text::truncate(title, (area.width as usize).saturating_sub(4))
            ),
            theme.title(),
        ));
    let inner = block.inner(area);
    f.render_widget(block, area);
    if inner.width == 0 || inner.height == 0 {
        return None;
    }
    if !has_school {
        let iw = inner.width as usize;
        f.render_widget(
            Paragraph::new(
                [
                    wrapped(crate::i18n::tr("dash.no_school"), iw, theme.warn()),
                    wrapped(crate::i18n::tr("dash.no_school_hint"), iw, Style::new()),
                ]
                .concat(),
            ),
            inner,
        );
        return None;
    }
    Some(inner)
}

/// `text` broken by [`text::wrap`] into lines of `w` cells, each styled.
pub fn wrapped(text: &str, w: usize, style: Style) -> Vec<ratatui::text::Line<'static>> {
    text::wrap(text, w)
        .into_iter()
        .map(|l| ratatui::text::Line::styled(l, style))
        .collect()
}

/// Lines of one style each (a message, a hint) wrapped by [`text::wrap`]
/// to width `w`, each keeping its style: what `Paragraph::wrap` would do,
/// with the one wrapper's rules (no closing mark starts a line).
pub fn wrap_lines(
    lines: &[ratatui::text::Line<'_>],
    w: usize,
) -> Vec<ratatui::text::Line<'static>> {
    lines
        .iter()
        .flat_map(|l| {
            let style = l.spans.first().map_or(l.style, |s| l.style.patch(s.style));
            let text: String = l.spans.iter().map(|s| s.content.as_ref()).collect();
            if text.is_empty() {
                vec![ratatui::text::Line::styled(String::new(), style)]
            } else {
                wrapped(&text, w, style)
            }
        })
        .collect()
}

/// A report popup (an import's bad rows, a copy's drift…): `lines` as
/// (text, warn) wrapped to the popup's width and scrolled by `scroll`, and
/// an optional question kept in view below them; text is broken into lines
/// by [`text::wrap`].
#[allow(clippy::too_many_arguments)]
pub fn draw_report(
    f: &mut Frame,
    area: Rect,
    title: &str,
    lines: &[(String, bool)],
    question: Option<&str>,
    scroll: usize,
    t: &theme::Theme,
) {
    use ratatui::text::Line;
    use ratatui::widgets::Paragraph;
    let w = area.width.min(76);
    let iw = w.saturating_sub(2).max(1) as usize;
    let body: Vec<(String, bool)> = lines
        .iter()
        .flat_map(|(s, warn)| text::wrap(s, iw).into_iter().map(move |s| (s, *warn)))
        .collect();
    let question = question.map(|q| text::wrap(q, iw)).unwrap_or_default();
    let want = (body.len() + question.len() + usize::from(!question.is_empty()) + 2) as u16;
    let h = want.clamp(5, area.height.max(1)).min(area.height);
    let inner = popup_frame(f, area, w, h, title, t.warn(), t.title());
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    let total = inner.height as usize;
    let q_h = (question.len() + usize::from(!question.is_empty())).min(total.saturating_sub(1));
    let body_h = total - q_h;
    let scroll = scroll.min(body.len().saturating_sub(body_h));
    let mut out: Vec<Line> = body
        .iter()
        .skip(scroll)
        .take(body_h)
        .map(|(s, warn)| {
            if *warn {
                Line::styled(s.clone(), t.warn())
            } else {
                Line::raw(s.clone())
            }
        })
        .collect();
    while out.len() < body_h {
        out.push(Line::raw(""));
    }
    if q_h > 0 {
        out.push(Line::raw(""));
        for q in question.into_iter().take(q_h - 1) {
            out.push(Line::styled(q, t.key()));
        }
    }
    f.render_widget(Paragraph::new(out), inner);
}

#[cfg(test)]
mod wrap_lines_tests {
    use super::wrap_lines;
    use ratatui::style::{Modifier, Style};
    use ratatui::text::Line;

    #[test]
    fn each_line_keeps_its_style_and_no_closing_mark_starts_a_line() {
        let bold = Style::default().add_modifier(Modifier::BOLD);
        let msg =
            "沒有符合「甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥天地」的項目（Esc 清除篩選）";
        for w in 8..60 {
            let out = wrap_lines(
                &[Line::styled(msg, bold), Line::from(""), Line::from("x")],
                w,
            );
            let texts: Vec<String> = out
                .iter()
                .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
                .collect();
            assert!(
                texts
                    .iter()
                    .all(|t| !t.starts_with(['」', '）', '，', '。'])),
                "width {w}: {texts:?}"
            );
            let squash = |t: &str| t.chars().filter(|c| !c.is_whitespace()).collect::<String>();
            assert_eq!(
                squash(&texts.concat()),
                squash(msg) + "x",
                "width {w}: nothing lost"
            );
            assert_eq!(out[0].style, bold, "width {w}");
            assert_eq!(out.last().unwrap().style, Style::default());
        }
    }
}
