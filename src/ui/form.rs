//! A form of single-line text fields (ratatui-textarea, which handles CJK and
//! undo): Tab/Shift-Tab or ↑/↓ move between fields, Enter or Ctrl-S saves,
//! Esc cancels, Ctrl-Z undoes, Ctrl-U clears the field. A field's value is
//! selected when the field gets the focus, so typing replaces it (→/End keep
//! it to edit). A field with a fixed set of values is a picker: ←/→ cycle
//! through them and typing picks the first that contains what was typed.
//! Validation messages sit under their field, wrapped and whole. A field not
//! being edited shows the start of a long value.

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
    /// The values a picker field can take (empty: free text).
    pub choices: Vec<String>,
    /// What was typed into a picker field to find a value.
    query: String,
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
            choices: Vec::new(),
            query: String::new(),
        }
    }
    /// Makes the field a picker among `choices` (labels as shown and saved).
    pub fn with_choices<S: Into<String>>(mut self, choices: impl IntoIterator<Item = S>) -> Field {
        self.choices = choices.into_iter().map(Into::into).collect();
        self
    }
    pub fn is_picker(&self) -> bool {
        !self.choices.is_empty()
    }
    /// Replaces the whole value (one undo step).
    pub fn set_text(&mut self, v: &str) {
        self.input.select_all();
        if v.is_empty() {
            self.input.cut();
        } else {
            self.input.insert_str(v);
        }
        self.input.cancel_selection();
    }
    /// Picker: the value `step` places after (or before) the current one.
    fn cycle(&mut self, step: isize) {
        let n = self.choices.len() as isize;
        if n == 0 {
            return;
        }
        let v = self.value();
        let next = match self.choices.iter().position(|c| *c == v) {
            Some(i) => (i as isize + step).rem_euclid(n),
            None if step > 0 => 0,
            None => n - 1,
        };
        let c = self.choices[next as usize].clone();
        self.set_text(&c);
        self.query.clear();
    }
    /// Picker: typing finds the first value containing what was typed (a
    /// fresh search when nothing does).
    fn search(&mut self, c: char) {
        // A value starting with what was typed, else (for Chinese, where a
        // word's later character is as telling) one containing it.
        let find = |q: &str, choices: &[String]| {
            let q = q.to_lowercase();
            choices
                .iter()
                .find(|x| x.to_lowercase().starts_with(&q))
                .or_else(|| {
                    (!q.is_ascii())
                        .then(|| choices.iter().find(|x| x.to_lowercase().contains(&q)))
                        .flatten()
                })
                .cloned()
        };
        self.query.push(c);
        let hit = find(&self.query, &self.choices).or_else(|| {
            self.query = c.to_string();
            find(&self.query, &self.choices)
        });
        match hit {
            Some(v) => self.set_text(&v),
            None => self.query.clear(),
        }
    }
    /// The field gets the focus: its value is selected, so that typing
    /// replaces it.
    fn focused(&mut self) {
        self.query.clear();
        self.input.cancel_selection();
        if !self.is_picker() && !self.value().is_empty() {
            self.input.select_all();
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
        let mut form = Form {
            title,
            fields,
            focus: 0,
            error: None,
        };
        form.focus_to(0);
        form
    }

    /// Moves the focus to field `i` (its value selected).
    pub fn focus_to(&mut self, i: usize) {
        if let Some(f) = self.fields.get_mut(self.focus) {
            f.input.cancel_selection();
        }
        self.focus = i.min(self.fields.len().saturating_sub(1));
        if let Some(f) = self.fields.get_mut(self.focus) {
            f.focused();
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
        let mut form = Form {
            title: d.title,
            fields,
            focus: 0,
            error: None,
        };
        form.focus_to(focus);
        form
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
        if let Some(first) = self.fields.iter().position(|f| f.error.is_some())
            && first != self.focus
        {
            self.focus_to(first);
        }
    }

    pub fn handle_key(&mut self, ev: KeyEvent) -> FormEvent {
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        match ev.code {
            KeyCode::Esc => return FormEvent::Cancel,
            KeyCode::Enter => return FormEvent::Submit,
            KeyCode::Char('s') if ctrl => return FormEvent::Submit,
            KeyCode::Tab | KeyCode::Down => {
                self.focus_to((self.focus + 1) % self.fields.len().max(1));
                return FormEvent::Continue;
            }
            KeyCode::BackTab | KeyCode::Up => {
                let n = self.fields.len().max(1);
                self.focus_to((self.focus + n - 1) % n);
                return FormEvent::Continue;
            }
            _ => {}
        }
        let alt = ev.modifiers.contains(KeyModifiers::ALT);
        if let Some(f) = self.fields.get_mut(self.focus) {
            if f.is_picker() {
                match ev.code {
                    KeyCode::Left => f.cycle(-1),
                    KeyCode::Right | KeyCode::Char(' ') if !ctrl => f.cycle(1),
                    KeyCode::Char('z') if ctrl => {
                        f.input.undo();
                    }
                    KeyCode::Char(c) if !ctrl && !alt => f.search(c),
                    _ => {}
                }
                f.error = None;
                return FormEvent::Continue;
            }
            let shift = ev.modifiers.contains(KeyModifiers::SHIFT);
            if f.input.is_selecting() && !shift && !ctrl {
                // The selected value kept: → / End to its end, ← / Home to
                // its start.
                let to = match ev.code {
                    KeyCode::Right | KeyCode::End => Some(ratatui_textarea::CursorMove::End),
                    KeyCode::Left | KeyCode::Home => Some(ratatui_textarea::CursorMove::Head),
                    _ => None,
                };
                if let Some(to) = to {
                    f.input.cancel_selection();
                    f.input.move_cursor(to);
                    return FormEvent::Continue;
                }
            }
            match ev.code {
                KeyCode::Char('u') if ctrl => {
                    f.input.select_all();
                    f.input.cut();
                }
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
            if f.is_picker() {
                return;
            }
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
        // Room for the longest hint, so the box keeps its size as the
        // focus moves.
        let hints = self
            .fields
            .iter()
            .map(|f| self.hint_lines(f, iw).len())
            .max()
            .unwrap_or(0)
            .max(1);
        (self.fields.len() + errs + hints + 1 + 2 + form_err).min(u16::MAX as usize) as u16
    }

    /// A field's hint wrapped to `iw` cells: a picker says how to pick
    /// first; examples are from the current academic year.
    fn hint_lines(&self, f: &Field, iw: usize) -> Vec<String> {
        let mut text = f.hint.map(crate::i18n::tr_ex).unwrap_or_default();
        if f.is_picker() {
            let how = tr("first.picker_hint");
            text = if text.is_empty() {
                how.to_string()
            } else {
                format!("{how}{}{text}", tr("first.hint_sep"))
            };
        }
        if text.is_empty() {
            return Vec::new();
        }
        wrap(&text, iw.max(1))
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
            if field.is_picker() {
                let text = format!("< {} >", field.value());
                let style = if focused {
                    theme.selected()
                } else {
                    theme
                        .base()
                        .add_modifier(ratatui::style::Modifier::UNDERLINED)
                };
                f.render_widget(
                    Paragraph::new(Span::styled(
                        truncate(&text, input_area.width as usize),
                        style,
                    )),
                    input_area,
                );
            } else {
                draw_input(f, field, focused, input_area, theme);
            }
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
        // Hint of the focused field (wrapped, whole), then the keys.
        let hint = self
            .fields
            .get(self.focus)
            .map(|f| self.hint_lines(f, inner.width as usize))
            .unwrap_or_default();
        let hint_top = bottom.saturating_sub(1 + hint.len() as u16).max(y);
        for (k, l) in hint.into_iter().enumerate() {
            let row = hint_top + k as u16;
            if row + 1 >= bottom {
                break;
            }
            f.render_widget(
                Paragraph::new(Line::styled(l, theme.dim())),
                Rect::new(inner.x, row, inner.width, 1),
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

/// A text field's input: its value underlined; the focused one with its
/// cursor (and its selection, reversed); one not being edited shows the
/// start of a long value.
fn draw_input(f: &mut Frame, field: &Field, focused: bool, area: Rect, theme: &Theme) {
    let underlined = theme
        .base()
        .add_modifier(ratatui::style::Modifier::UNDERLINED);
    if !focused {
        let v = field.value();
        f.render_widget(
            Paragraph::new(Span::styled(truncate(&v, area.width as usize), underlined)),
            area,
        );
        return;
    }
    let mut ta = field.input.clone();
    ta.set_style(underlined);
    ta.set_cursor_style(theme.selected());
    ta.set_selection_style(theme.selected());
    f.render_widget(&ta, area);
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
        form.handle_key(key(KeyCode::End));
        form.handle_key(key(KeyCode::Char('y')));
        assert_eq!(form.value(0), "xy");
        assert!(form.fields[0].error.is_none());
        form.handle_key(KeyEvent::new(KeyCode::Char('z'), KeyModifiers::CONTROL));
        assert_eq!(form.value(0), "x");
    }

    #[test]
    fn typing_replaces_a_prefilled_value_and_end_keeps_it() {
        let mut form = Form::new(
            "t".into(),
            vec![Field::new("a", "115.12.03"), Field::new("b", "舊值")],
        );
        // The first field's value is selected: typing replaces it.
        for c in "115.12.20~116.01.05".chars() {
            form.handle_key(key(KeyCode::Char(c)));
        }
        assert_eq!(form.value(0), "115.12.20~116.01.05");
        // Tab selects the next one; → keeps it to edit at its end.
        form.handle_key(key(KeyCode::Tab));
        form.handle_key(key(KeyCode::Right));
        form.handle_key(key(KeyCode::Char('2')));
        assert_eq!(form.value(1), "舊值2");
        // Back to the first: End keeps it too.
        form.handle_key(key(KeyCode::BackTab));
        form.handle_key(key(KeyCode::End));
        form.handle_key(key(KeyCode::Char('!')));
        assert_eq!(form.value(0), "115.12.20~116.01.05!");
        // A paste into a freshly focused field replaces it as well.
        form.handle_key(key(KeyCode::Tab));
        form.paste("新");
        assert_eq!(form.value(1), "新");
    }

    #[test]
    fn ctrl_u_clears_the_field_and_ctrl_z_brings_it_back() {
        let mut form = Form::new("t".into(), vec![Field::new("a", "王小明")]);
        form.handle_key(key(KeyCode::End));
        form.handle_key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
        assert_eq!(form.value(0), "");
        form.handle_key(key(KeyCode::Char('李')));
        assert_eq!(form.value(0), "李");
        form.handle_key(KeyEvent::new(KeyCode::Char('z'), KeyModifiers::CONTROL));
        form.handle_key(KeyEvent::new(KeyCode::Char('z'), KeyModifiers::CONTROL));
        assert_eq!(form.value(0), "王小明");
    }

    #[test]
    fn a_picker_cycles_and_searches_and_never_takes_free_text() {
        let phases = ["上傳", "認證", "勾選", "學校提交", "其他"];
        let mut form = Form::new(
            "t".into(),
            vec![Field::new("a", "上傳").with_choices(phases)],
        );
        form.handle_key(key(KeyCode::Right));
        assert_eq!(form.value(0), "認證");
        form.handle_key(key(KeyCode::Left));
        form.handle_key(key(KeyCode::Left));
        assert_eq!(form.value(0), "其他", "wraps around");
        // Typing finds the first value containing what was typed.
        form.handle_key(key(KeyCode::Char('提')));
        assert_eq!(form.value(0), "學校提交");
        form.handle_key(key(KeyCode::Char('x')));
        assert_eq!(form.value(0), "學校提交", "no match: the value stays");
        form.paste("其他上傳");
        assert_eq!(form.value(0), "學校提交");
        assert!(phases.contains(&form.value(0).as_str()));
        let en = ["Upload", "Certify", "Select"];
        let mut form = Form::new("t".into(), vec![Field::new("a", "Upload").with_choices(en)]);
        form.handle_key(key(KeyCode::Char('s')));
        assert_eq!(form.value(0), "Select");
        let rows = rows(&form, 80, 24).join("\n");
        assert!(rows.contains("< Select >"), "{rows}");
    }

    #[test]
    fn a_long_value_shows_its_start_when_not_being_edited() {
        let long = "一二三四五六七八九十".repeat(8);
        let form = Form::new(
            "t".into(),
            vec![Field::new("a", ""), Field::new("b", &long)],
        );
        let rows = rows(&form, 60, 24).join("\n");
        assert!(rows.contains("一二三四五六七八"), "{rows}");
    }

    #[test]
    fn a_long_hint_wraps_and_is_shown_whole() {
        let form = Form::new(
            "t".into(),
            vec![Field::new("a", "").with_hint("ckscreen.h_windows")],
        );
        let want: String = crate::i18n::tr_ex("ckscreen.h_windows")
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let text: String = rows(&form, 40, 24)
            .concat()
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '│')
            .collect();
        assert!(text.contains(&want), "{want} in {text}");
        let y = crate::domain::roc::example_year();
        assert!(
            want.contains(&y.to_string()),
            "examples from this year: {want}"
        );
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
