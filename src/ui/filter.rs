//! The `/` filter line of a list: typing narrows the list at once, Enter
//! keeps the filter and returns to the list, Esc clears it.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub text: String,
    pub editing: bool,
}

impl Filter {
    pub fn start(&mut self) {
        self.editing = true;
    }

    pub fn clear(&mut self) {
        self.text.clear();
        self.editing = false;
    }

    pub fn is_active(&self) -> bool {
        !self.text.is_empty()
    }

    /// Returns true when the text changed.
    pub fn handle_key(&mut self, ev: KeyEvent) -> bool {
        match ev.code {
            KeyCode::Esc => {
                let changed = !self.text.is_empty();
                self.clear();
                changed
            }
            KeyCode::Enter | KeyCode::Down | KeyCode::Up | KeyCode::Tab => {
                self.editing = false;
                false
            }
            KeyCode::Backspace => self.text.pop().is_some(),
            KeyCode::Char('u') if ev.modifiers.contains(KeyModifiers::CONTROL) => {
                let changed = !self.text.is_empty();
                self.text.clear();
                changed
            }
            KeyCode::Char(c) if !ev.modifiers.contains(KeyModifiers::CONTROL) => {
                self.text.push(c);
                true
            }
            _ => false,
        }
    }

    /// Case-insensitive match of the filter against any of `fields`.
    pub fn matches(&self, fields: &[&str]) -> bool {
        if self.text.is_empty() {
            return true;
        }
        let q = self.text.to_lowercase();
        fields.iter().any(|f| f.to_lowercase().contains(&q))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_enter_and_escape() {
        let mut f = Filter::default();
        f.start();
        assert!(f.handle_key(KeyEvent::new(KeyCode::Char('註'), KeyModifiers::NONE)));
        assert!(f.matches(&["王", "註冊組長"]));
        assert!(!f.matches(&["教學組長"]));
        f.handle_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
        assert!(!f.editing && f.is_active());
        f.handle_key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
        assert!(!f.is_active());
    }
}
