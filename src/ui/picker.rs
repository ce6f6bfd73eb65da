//! Choose one item from a list, narrowing it by typing (e.g. who takes a
//! seat). ↑/↓ move, Enter picks, Esc closes.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::table::scroll_offset;
use super::text::{pad, truncate, width};
use super::theme::Theme;
use crate::i18n::tr;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickItem {
    pub id: i64,
    pub label: String,
    pub detail: String,
}

pub struct Picker {
    pub title: String,
    pub items: Vec<PickItem>,
    pub query: String,
    pub selected: usize,
    offset: std::cell::Cell<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickerEvent {
    Continue,
    Cancel,
    Picked(i64),
}

impl Picker {
    pub fn new(title: String, items: Vec<PickItem>) -> Picker {
        Picker {
            title,
            items,
            query: String::new(),
            selected: 0,
            offset: std::cell::Cell::new(0),
        }
    }

    pub fn visible(&self) -> Vec<&PickItem> {
        let q = self.query.to_lowercase();
        self.items
            .iter()
            .filter(|i| {
                q.is_empty()
                    || i.label.to_lowercase().contains(&q)
                    || i.detail.to_lowercase().contains(&q)
            })
            .collect()
    }

    pub fn handle_key(&mut self, ev: KeyEvent) -> PickerEvent {
        let n = self.visible().len();
        match ev.code {
            KeyCode::Esc => return PickerEvent::Cancel,
            KeyCode::Enter => {
                return match self.visible().get(self.selected) {
                    Some(i) => PickerEvent::Picked(i.id),
                    None => PickerEvent::Continue,
                };
            }
            KeyCode::Down => self.selected = (self.selected + 1).min(n.saturating_sub(1)),
            KeyCode::Up => self.selected = self.selected.saturating_sub(1),
            KeyCode::PageDown => self.selected = (self.selected + 10).min(n.saturating_sub(1)),
            KeyCode::PageUp => self.selected = self.selected.saturating_sub(10),
            KeyCode::Backspace => {
                self.query.pop();
                self.selected = 0;
            }
            KeyCode::Char('u') if ev.modifiers.contains(KeyModifiers::CONTROL) => {
                self.query.clear();
                self.selected = 0;
            }
            KeyCode::Char(c) if !ev.modifiers.contains(KeyModifiers::CONTROL) => {
                self.query.push(c);
                self.selected = 0;
            }
            _ => {}
        }
        PickerEvent::Continue
    }

    pub fn draw(&self, f: &mut Frame, area: Rect, theme: &Theme) {
        let w = area.width.min(64);
        let h = (self.items.len() as u16 + 4).clamp(7, 18).min(area.height);
        let inner = super::popup_frame(
            f,
            area,
            w,
            h,
            &self.title,
            theme.popup_border(),
            theme.title(),
        );
        if inner.height < 2 {
            return;
        }
        let iw = inner.width as usize;
        let search = format!("{} {}▏", tr("picker.search"), self.query);
        let mut lines = vec![Line::styled(truncate(&search, iw), theme.key())];
        let vis = self.visible();
        let body = inner.height.saturating_sub(2) as usize;
        if vis.is_empty() {
            lines.push(Line::styled(
                truncate(
                    &crate::i18n::trf("picker.none", &[("query", self.query.clone())]),
                    iw,
                ),
                theme.dim(),
            ));
        }
        let offset = scroll_offset(self.selected, self.offset.get(), body);
        self.offset.set(offset);
        let label_w = vis
            .iter()
            .map(|i| width(&i.label))
            .max()
            .unwrap_or(0)
            .min(iw / 2);
        for (n, item) in vis.iter().enumerate().skip(offset).take(body) {
            let text = format!("{}  {}", pad(&item.label, label_w), item.detail);
            let line = Line::from(pad(&text, iw));
            lines.push(if n == self.selected {
                line.style(theme.selected())
            } else {
                line
            });
        }
        while lines.len() < inner.height as usize - 1 {
            lines.push(Line::from(""));
        }
        lines.push(Line::styled(truncate(tr("picker.keys"), iw), theme.dim()));
        f.render_widget(Paragraph::new(lines), inner);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    #[test]
    fn typing_narrows_and_enter_picks() {
        let items = vec![
            PickItem {
                id: 1,
                label: "王小明".into(),
                detail: "註冊組長".into(),
            },
            PickItem {
                id: 2,
                label: "李大華".into(),
                detail: "教學組長".into(),
            },
        ];
        let mut p = Picker::new("t".into(), items);
        p.handle_key(key(KeyCode::Char('教')));
        assert_eq!(p.visible().len(), 1);
        assert_eq!(p.handle_key(key(KeyCode::Enter)), PickerEvent::Picked(2));
        p.handle_key(key(KeyCode::Char('x')));
        assert!(p.visible().is_empty());
        assert_eq!(p.handle_key(key(KeyCode::Enter)), PickerEvent::Continue);
        assert_eq!(p.handle_key(key(KeyCode::Esc)), PickerEvent::Cancel);
    }
}
