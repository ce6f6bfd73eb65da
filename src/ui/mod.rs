//! Shared widgets: key table, theme, table, form, confirm, help, picker,
//! filter line, and the text-width helpers they all use.
pub mod confirm;
pub mod filter;
pub mod form;
pub mod help;
pub mod keys;
pub mod picker;
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
    let title = text::truncate(title, rect.width.saturating_sub(4) as usize);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(border)
        .title(Span::styled(format!(" {title} "), title_style));
    let inner = block.inner(rect);
    f.render_widget(block, rect);
    inner
}
