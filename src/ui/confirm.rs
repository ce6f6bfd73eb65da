//! Yes/No dialog for destructive actions. It names the record, defaults to
//! No, and its keys are far apart (y / n, not neighbours — calcurse #495).

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::text::{width, wrap};
use super::theme::Theme;
use crate::i18n::tr;

pub struct Confirm {
    pub title: String,
    pub message: String,
    pub yes_selected: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfirmEvent {
    Continue,
    Yes,
    No,
}

impl Confirm {
    pub fn new(title: String, message: String) -> Confirm {
        Confirm {
            title,
            message,
            yes_selected: false,
        }
    }

    pub fn handle_key(&mut self, ev: KeyEvent) -> ConfirmEvent {
        match ev.code {
            KeyCode::Char('y') | KeyCode::Char('Y') => ConfirmEvent::Yes,
            KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Esc | KeyCode::Char('q') => {
                ConfirmEvent::No
            }
            KeyCode::Left
            | KeyCode::Right
            | KeyCode::Tab
            | KeyCode::BackTab
            | KeyCode::Char('h')
            | KeyCode::Char('l') => {
                self.yes_selected = !self.yes_selected;
                ConfirmEvent::Continue
            }
            KeyCode::Enter => {
                if self.yes_selected {
                    ConfirmEvent::Yes
                } else {
                    ConfirmEvent::No
                }
            }
            _ => ConfirmEvent::Continue,
        }
    }

    pub fn draw(&self, f: &mut Frame, area: Rect, theme: &Theme) {
        let w = (width(&self.message) as u16 + 6)
            .clamp(36, 64)
            .min(area.width);
        let text_w = w.saturating_sub(4).max(1) as usize;
        let message = wrap(&self.message, text_w);
        let h = (message.len().min(u16::MAX as usize - 5) as u16 + 5).min(area.height);
        let inner = super::popup_frame(f, area, w, h, &self.title, theme.warn(), theme.warn());
        let yes = format!(" {} ", tr("confirm.yes"));
        let no = format!(" {} ", tr("confirm.no"));
        let (ys, ns) = if self.yes_selected {
            (theme.selected(), theme.base())
        } else {
            (theme.base(), theme.selected())
        };
        let buttons = Line::from(vec![
            Span::styled(yes, ys),
            Span::raw("    "),
            Span::styled(no, ns),
        ])
        .centered();
        let mut body: Vec<Line> = message.into_iter().map(Line::from).collect();
        body.extend([Line::from(""), buttons]);
        let inner = Rect::new(
            inner.x + 1,
            inner.y,
            inner.width.saturating_sub(2),
            inner.height,
        );
        f.render_widget(Paragraph::new(body), inner);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyModifiers;

    fn key(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    #[test]
    fn defaults_to_no() {
        let mut c = Confirm::new("t".into(), "m".into());
        assert_eq!(c.handle_key(key(KeyCode::Enter)), ConfirmEvent::No);
        let mut c = Confirm::new("t".into(), "m".into());
        assert_eq!(c.handle_key(key(KeyCode::Right)), ConfirmEvent::Continue);
        assert_eq!(c.handle_key(key(KeyCode::Enter)), ConfirmEvent::Yes);
        assert_eq!(
            Confirm::new("t".into(), "m".into()).handle_key(key(KeyCode::Char('y'))),
            ConfirmEvent::Yes
        );
        assert_eq!(
            Confirm::new("t".into(), "m".into()).handle_key(key(KeyCode::Esc)),
            ConfirmEvent::No
        );
        assert_eq!(
            Confirm::new("t".into(), "m".into()).handle_key(key(KeyCode::Char('x'))),
            ConfirmEvent::Continue
        );
    }
}
