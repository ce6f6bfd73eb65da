//! A form of single-line text fields (ratatui-textarea, which handles CJK and
//! undo): Tab/Shift-Tab or ↑/↓ move between fields, Enter or Ctrl-S saves,
//! Esc cancels, Ctrl-Z undoes. Validation messages sit under their field.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui_textarea::TextArea;

use super::text::{pad, truncate, width, wrap};
use super::theme::Theme;
use crate::i18n::tr;

pub struct Field {
    /// i18n key of the label.
    pub label: &'static str,
    /// i18n key of a hint shown when the field is focused, if any.
    pub hint: Option<&'static str>,
    pub input: TextArea<'static>,
    pub initial: String,
    pub error: Option<String>,
}

impl Field {
    pub fn new(label: &'static str, value: &str) -> Field {
        let mut input = TextArea::new(vec![value.to_string()]);
        input.move_cursor(ratatui_textarea::CursorMove::End);
        input.set_cursor_line_style(Style::new());
        Field {
            label,
            hint: None,
            input,
            initial: value.to_string(),
            error: None,
        }
    }
    pub fn with_hint(mut self, hint: &'static str) -> Field {
        self.hint = Some(hint);
        self
    }
    pub fn value(&self) -> String {
        self.input.lines().join(" ")
    }
}

/// A form's content as saved when a session is cut.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FormDraft {
    pub title: String,
    /// (label key, hint key, value) per field.
    pub fields: Vec<(String, Option<String>, String)>,
    pub focus: usize,
}

/// Label and hint keys are static strings in code; a restored draft's come
/// from the database, so they are kept for the rest of the run.
fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormEvent {
    /// The key was used (typing, moving); nothing to do.
    Continue,
    /// Esc: the caller decides whether to ask about unsaved input.
    Cancel,
    Submit,
}

pub struct Form {
    /// Already translated title, e.g. "編輯教職員：王小明".
    pub title: String,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// A message about the whole form (e.g. "changed by X at T").
    pub error: Option<String>,
}

impl Form {
    pub fn new(title: String, fields: Vec<Field>) -> Form {
        Form {
            title,
            fields,
            focus: 0,
            error: None,
        }
    }

    pub fn value(&self, i: usize) -> String {
        self.fields.get(i).map(Field::value).unwrap_or_default()
    }

    pub fn draft(&self) -> FormDraft {
        FormDraft {
            title: self.title.clone(),
            fields: self
                .fields
                .iter()
                .map(|f| (f.label.to_string(), f.hint.map(str::to_string), f.value()))
                .collect(),
            focus: self.focus,
        }
    }

    /// Rebuilds a form from a draft; every field counts as changed.
    pub fn from_draft(d: FormDraft) -> Form {
        let fields = d
            .fields
            .into_iter()
            .map(|(label, hint, value)| {
                let mut f = Field::new(leak(label), &value);
                f.hint = hint.map(leak);
                f.initial = String::new();
                f
            })
            .collect::<Vec<_>>();
        let focus = d.focus.min(fields.len().saturating_sub(1));
        Form {
            title: d.title,
            fields,
            focus,
            error: None,
        }
    }

    pub fn is_dirty(&self) -> bool {
        self.fields.iter().any(|f| f.value() != f.initial)
    }

    pub fn clear_errors(&mut self) {
        self.error = None;
        for f in &mut self.fields {
            f.error = None;
        }
    }

    /// Shows `msg` under field `i` and moves the cursor to the first field
    /// with an error.
    pub fn set_error(&mut self, i: usize, msg: String) {
        if let Some(f) = self.fields.get_mut(i) {
            f.error = Some(msg);
        }
        if let Some(first) = self.fields.iter().position(|f| f.error.is_some()) {
            self.focus = first;
        }
    }

    pub fn handle_key(&mut self, ev: KeyEvent) -> FormEvent {
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        match ev.code {
            KeyCode::Esc => return FormEvent::Cancel,
            KeyCode::Enter => return FormEvent::Submit,
            KeyCode::Char('s') if ctrl => return FormEvent::Submit,
            KeyCode::Tab | KeyCode::Down => {
                self.focus = (self.focus + 1) % self.fields.len().max(1);
                return FormEvent::Continue;
            }
            KeyCode::BackTab | KeyCode::Up => {
                let n = self.fields.len().max(1);
                self.focus = (self.focus + n - 1) % n;
                return FormEvent::Continue;
            }
            _ => {}
        }
        if let Some(f) = self.fields.get_mut(self.focus) {
            match ev.code {
                KeyCode::Char('z') if ctrl => {
                    f.input.undo();
                }
                KeyCode::Char('y') if ctrl => {
                    f.input.redo();
                }
                // Single-line fields: no newlines, even from a paste.
                KeyCode::Char('m') | KeyCode::Char('j') if ctrl => {}
                _ => {
                    f.input.input(ev);
                }
            }
            f.error = None;
        }
        FormEvent::Continue
    }

    /// Inserts pasted text into the focused field (newlines become spaces).
    pub fn paste(&mut self, text: &str) {
        if let Some(f) = self.fields.get_mut(self.focus) {
            f.input.insert_str(text.replace(['\r', '\n'], " "));
            f.error = None;
        }
    }

    /// Rows the form needs inside `iw` cells: border, one per field, the
    /// lines of each message (wrapped, shown whole), hint, keys.
    pub fn height(&self, iw: usize) -> u16 {
        let label_w = self.label_width(iw);
        let errs: usize = self
            .fields
            .iter()
            .filter_map(|f| f.error.as_deref())
            .map(|e| self.field_error_lines(e, label_w, iw).len())
            .sum();
        let form_err = self.error.as_deref().map_or(0, |e| wrap(e, iw).len());
        (self.fields.len() + errs + 2 + 2 + form_err).min(u16::MAX as usize) as u16
    }

    /// Width of the label column inside `iw` cells.
    fn label_width(&self, iw: usize) -> usize {
        self.fields
            .iter()
            .map(|f| width(tr(f.label)))
            .max()
            .unwrap_or(0)
            .min(iw / 3)
    }

    /// A field's message under its input: the mark, then the message
    /// wrapped to the input's column (under the label column when that
    /// leaves too little room).
    fn field_error_lines(&self, e: &str, label_w: usize, iw: usize) -> Vec<String> {
        let mark = tr("form.error_mark");
        let mut indent = label_w + 2;
        if iw.saturating_sub(indent + width(mark) + 1) < 16 {
            indent = 0;
        }
        let lead = width(mark) + 1;
        let text_w = iw.saturating_sub(indent + lead).max(1);
        wrap(e, text_w)
            .into_iter()
            .enumerate()
            .map(|(i, l)| {
                let head = if i == 0 {
                    format!("{mark} ")
                } else {
                    " ".repeat(lead)
                };
                format!("{}{head}{l}", " ".repeat(indent))
            })
            .collect()
    }

    pub fn draw(&self, f: &mut Frame, area: Rect, theme: &Theme) {
        let w = area.width.min(72);
        let h = self.height(w.saturating_sub(2) as usize).min(area.height);
        let inner = super::popup_frame(
            f,
            area,
            w,
            h,
            &self.title,
            theme.popup_border(),
            theme.title(),
        );
        if inner.height == 0 || inner.width < 4 {
            return;
        }
        let label_w = self.label_width(inner.width as usize);
        let mut y = inner.y;
        let bottom = inner.y + inner.height;
        if let Some(e) = &self.error {
            for l in wrap(e, inner.width as usize) {
                if y >= bottom {
                    break;
                }
                let line = Line::styled(l, theme.error());
                f.render_widget(Paragraph::new(line), Rect::new(inner.x, y, inner.width, 1));
                y += 1;
            }
        }
        for (i, field) in self.fields.iter().enumerate() {
            if y >= bottom {
                break;
            }
            let focused = i == self.focus;
            let label_style = if focused { theme.key() } else { theme.base() };
            let marker = if focused { "›" } else { " " };
            let label = format!("{marker}{} ", pad(tr(field.label), label_w));
            let lw = width(&label) as u16;
            f.render_widget(
                Paragraph::new(Span::styled(label, label_style)),
                Rect::new(inner.x, y, lw.min(inner.width), 1),
            );
            let input_area = Rect::new(
                inner.x + lw.min(inner.width),
                y,
                inner.width.saturating_sub(lw),
                1,
            );
            let mut ta = field.input.clone();
            ta.set_style(
                theme
                    .base()
                    .add_modifier(ratatui::style::Modifier::UNDERLINED),
            );
            if focused {
                ta.set_cursor_style(theme.selected());
            } else {
                ta.set_cursor_style(
                    theme
                        .base()
                        .add_modifier(ratatui::style::Modifier::UNDERLINED),
                );
            }
            f.render_widget(&ta, input_area);
            y += 1;
            if let Some(e) = &field.error {
                for l in self.field_error_lines(e, label_w, inner.width as usize) {
                    if y >= bottom {
                        break;
                    }
                    f.render_widget(
                        Paragraph::new(Line::styled(l, theme.error())),
                        Rect::new(inner.x, y, inner.width, 1),
                    );
                    y += 1;
                }
            }
        }
        // Hint of the focused field, then the keys.
        let hint = self
            .fields
            .get(self.focus)
            .and_then(|f| f.hint)
            .map(tr)
            .unwrap_or("");
        if bottom >= 2 && y < bottom - 1 {
            f.render_widget(
                Paragraph::new(Line::styled(
                    truncate(hint, inner.width as usize),
                    theme.dim(),
                )),
                Rect::new(inner.x, bottom - 2, inner.width, 1),
            );
        }
        if y < bottom {
            f.render_widget(
                Paragraph::new(Line::styled(
                    truncate(tr("form.keys"), inner.width as usize),
                    theme.dim(),
                )),
                Rect::new(inner.x, bottom - 1, inner.width, 1),
            );
        }
    }
}

/// A `w`x`h` rectangle centred in `area` (clamped to it).
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    #[test]
    fn typing_tab_and_submit() {
        let mut form = Form::new("t".into(), vec![Field::new("a", ""), Field::new("b", "舊")]);
        assert!(!form.is_dirty());
        for c in "王小明".chars() {
            assert_eq!(form.handle_key(key(KeyCode::Char(c))), FormEvent::Continue);
        }
        assert_eq!(form.value(0), "王小明");
        assert!(form.is_dirty());
        form.handle_key(key(KeyCode::Tab));
        assert_eq!(form.focus, 1);
        form.handle_key(key(KeyCode::Backspace));
        assert_eq!(form.value(1), "");
        form.handle_key(key(KeyCode::BackTab));
        assert_eq!(form.focus, 0);
        assert_eq!(form.handle_key(key(KeyCode::Enter)), FormEvent::Submit);
        let ctrl_s = KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL);
        assert_eq!(form.handle_key(ctrl_s), FormEvent::Submit);
        assert_eq!(form.handle_key(key(KeyCode::Esc)), FormEvent::Cancel);
    }

    #[test]
    fn ctrl_z_undoes_and_errors_clear_on_typing() {
        let mut form = Form::new("t".into(), vec![Field::new("a", "x")]);
        form.set_error(0, "bad".into());
        form.handle_key(key(KeyCode::Char('y')));
        assert_eq!(form.value(0), "xy");
        assert!(form.fields[0].error.is_none());
        form.handle_key(KeyEvent::new(KeyCode::Char('z'), KeyModifiers::CONTROL));
        assert_eq!(form.value(0), "x");
    }

    #[test]
    fn paste_keeps_one_line() {
        let mut form = Form::new("t".into(), vec![Field::new("a", "")]);
        form.paste("a\nb");
        assert_eq!(form.value(0), "a b");
    }

    /// The screen's rows as text (the cell after a wide character skipped).
    fn rows(form: &Form, w: u16, h: u16) -> Vec<String> {
        use ratatui::{Terminal, backend::TestBackend};
        let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
        let theme = Theme { color: false };
        term.draw(|f| form.draw(f, f.area(), &theme)).unwrap();
        let buf = term.backend().buffer();
        (0..h)
            .map(|y| {
                let mut row = String::new();
                let mut x = 0;
                while x < w {
                    let sym = buf[(x, y)].symbol();
                    row.push_str(sym);
                    x += width(sym).max(1) as u16;
                }
                row
            })
            .collect()
    }

    #[test]
    fn a_long_field_error_wraps_and_is_shown_whole() {
        let msg = "日期「115.11.20~12.05」與「高二收訖確認」的確認期間重疊，請改為不重疊的日期，或先刪除另一個期程後再儲存。Dates overlap another window.";
        let mut form = Form::new("t".into(), vec![Field::new("a", "x"), Field::new("b", "")]);
        form.set_error(0, msg.into());
        let rows = rows(&form, 80, 24);
        let mark = tr("form.error_mark");
        let at = rows
            .iter()
            .position(|r| r.contains(mark))
            .expect("the message");
        let lines: Vec<String> = rows[at..]
            .iter()
            .map(|r| r.trim().trim_matches('│'))
            // Message lines are indented under the label column.
            .take_while(|r| r.starts_with("   "))
            .map(|r| r.trim().to_string())
            .collect();
        let shown: String = lines.concat().replace(mark, "").replace(' ', "");
        assert_eq!(shown, msg.replace(' ', ""), "{rows:#?}");
        assert!(lines.len() >= 2, "{lines:?}");
        for l in &lines[1..] {
            assert!(!l.starts_with(['」', '，', '。', '！']), "{lines:?}");
        }
        // The form grew by the message's lines: the second field is still shown.
        assert!(rows.iter().any(|r| r.contains(" b ")), "{rows:#?}");
    }

    #[test]
    fn centered_never_exceeds_area() {
        let r = centered(Rect::new(0, 0, 10, 5), 72, 20);
        assert_eq!(r, Rect::new(0, 0, 10, 5));
    }
}
