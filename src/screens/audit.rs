//! 異動紀錄 (screen 7): every change with when, who, what in words and the
//! fields it changed. The list is a window of rows paged from SQL by id
//! (keyset): moving past either end of the window loads the next page, so
//! a log of 200,000 rows costs the same as one of 200. Filters: person,
//! date range, kind of record (the `f` form) and text (`/`). `Enter` goes
//! to the record's screen.

use std::cell::Cell;

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Ctx, Intent, Popup, PopupResult, Screen, View};
use crate::domain::audit::{Kind, tables_for};
use crate::domain::roc::{DateRange, parse_range};
use crate::i18n::{Localized, tr, trf};
use crate::store::{AuditFilter, AuditRow, Store};
use crate::ui::audit_text::{Described, Names, describe};
use crate::ui::dates;
use crate::ui::filter::Filter;
use crate::ui::form::{Field, Form};
use crate::ui::keys::{Action, NAV};
use crate::ui::table::scroll_offset;
use crate::ui::text::{pad, truncate, width};

/// Rows fetched per query.
const PAGE: usize = 60;
/// The most rows kept around the cursor.
const KEEP: usize = 3 * PAGE;
/// Changed fields shown for the selected row.
const DETAIL_LINES: usize = 5;

#[derive(Default)]
pub struct Audit {
    has_school: bool,
    /// The window of the log on hand, newest first.
    rows: Vec<(AuditRow, Described)>,
    sel: usize,
    offset: Cell<usize>,
    page: Cell<usize>,
    /// The window starts at the newest row / ends at the oldest under the filter.
    at_newest: bool,
    at_oldest: bool,
    who: Option<String>,
    range: Option<DateRange>,
    kind: Option<String>,
    text: Filter,
    /// The text filter changed: load again (in `after_text`).
    text_changed: bool,
    error: Option<String>,
    /// What the filter form last had, to give it back as typed.
    form_values: [String; 3],
}

impl Audit {
    pub fn new() -> Audit {
        Audit {
            at_newest: true,
            ..Audit::default()
        }
    }

    fn filter(&self) -> AuditFilter {
        AuditFilter {
            since: self.range.map(|r| r.start),
            until: self.range.map(|r| r.end),
            who: self.who.clone(),
            tables: self
                .kind
                .as_deref()
                .and_then(tables_for)
                .unwrap_or_default(),
            text: self.text.text.clone(),
        }
    }

    fn described(
        store: &Store,
        rows: Vec<AuditRow>,
        names: &mut Names,
    ) -> Vec<(AuditRow, Described)> {
        rows.into_iter()
            .map(|a| {
                let d = describe(store, &a, names, DETAIL_LINES);
                (a, d)
            })
            .collect()
    }

    /// Loads the newest page under the filter, the cursor on the first row.
    fn load_newest(&mut self, store: &Store) {
        self.load_from(store, None);
    }

    /// Loads the page starting below `before` (None: the newest).
    fn load_from(&mut self, store: &Store, before: Option<i64>) {
        let mut names = Names::default();
        match store.audit_page(&self.filter(), before, PAGE) {
            Ok(rows) => {
                self.at_oldest = rows.len() < PAGE;
                self.at_newest = before.is_none();
                self.rows = Self::described(store, rows, &mut names);
                self.error = None;
            }
            Err(e) => {
                self.rows.clear();
                self.error = Some(e.message());
            }
        }
        self.sel = 0;
        self.offset.set(0);
    }

    /// One row down, fetching the next older page at the window's end.
    fn down(&mut self, store: &Store) {
        if self.sel + 1 < self.rows.len() {
            self.sel += 1;
            return;
        }
        if self.at_oldest {
            return;
        }
        let Some(last) = self.rows.last().map(|r| r.0.id) else {
            return;
        };
        let mut names = Names::default();
        if let Ok(more) = store.audit_page(&self.filter(), Some(last), PAGE) {
            self.at_oldest = more.len() < PAGE;
            if more.is_empty() {
                return;
            }
            self.rows.extend(Self::described(store, more, &mut names));
            self.sel += 1;
            if self.rows.len() > KEEP {
                let drop = self.rows.len() - KEEP;
                self.rows.drain(..drop);
                self.sel -= drop;
                self.offset.set(self.offset.get().saturating_sub(drop));
                self.at_newest = false;
            }
        }
    }

    /// One row up, fetching the next newer page at the window's start.
    fn up(&mut self, store: &Store) {
        if self.sel > 0 {
            self.sel -= 1;
            return;
        }
        if self.at_newest {
            return;
        }
        let Some(first) = self.rows.first().map(|r| r.0.id) else {
            return;
        };
        let mut names = Names::default();
        if let Ok(more) = store.audit_page_newer(&self.filter(), first, PAGE) {
            self.at_newest = more.len() < PAGE;
            if more.is_empty() {
                return;
            }
            let n = more.len();
            let mut rows = Self::described(store, more, &mut names);
            rows.append(&mut self.rows);
            self.rows = rows;
            self.sel = n - 1;
            self.offset.set(self.offset.get() + n);
            if self.rows.len() > KEEP {
                self.rows.truncate(KEEP);
                self.at_oldest = false;
            }
        }
    }

    fn bottom(&mut self, store: &Store) {
        let mut names = Names::default();
        if let Ok(rows) = store.audit_page_oldest(&self.filter(), PAGE) {
            self.at_newest = rows.len() < PAGE;
            self.at_oldest = true;
            self.rows = Self::described(store, rows, &mut names);
            self.sel = self.rows.len().saturating_sub(1);
        }
    }

    fn filter_form(&self) -> Form {
        Form::new(
            tr("audit.form_title").into(),
            vec![
                Field::new("audit.form_who", &self.form_values[0]).with_hint("audit.form_who_hint"),
                Field::new("audit.form_dates", &self.form_values[1])
                    .with_hint("audit.form_dates_hint"),
                Field::new("audit.form_kind", &self.form_values[2])
                    .with_hint("audit.form_kind_hint"),
            ],
        )
    }

    /// "人員 registry · 日期 115.11.01–115.11.30 · 種類 疑義…".
    fn filter_summary(&self) -> String {
        let mut parts = Vec::new();
        if let Some(w) = &self.who {
            parts.push(trf("audit.filter_who", &[("who", w.clone())]));
        }
        if let Some(r) = &self.range {
            parts.push(trf("audit.filter_dates", &[("range", dates::range(r))]));
        }
        if let Some(k) = &self.kind {
            let words = Kind::parse(k)
                .map(|k| tr(k.label_key()).to_string())
                .unwrap_or_else(|| crate::domain::audit::record_word(k));
            parts.push(trf("audit.filter_kind", &[("kind", words)]));
        }
        if self.text.is_active() {
            parts.push(trf(
                "audit.filter_text",
                &[("text", self.text.text.clone())],
            ));
        }
        if parts.is_empty() {
            tr("audit.filter_none").to_string()
        } else {
            trf(
                "audit.filters",
                &[("filters", parts.join(tr("audit.filter_sep")))],
            )
        }
    }

    fn any_filter(&self) -> bool {
        self.who.is_some() || self.range.is_some() || self.kind.is_some() || self.text.is_active()
    }

    /// The row under the cursor.
    pub fn selected(&self) -> Option<&Described> {
        self.rows.get(self.sel).map(|r| &r.1)
    }
}

impl Screen for Audit {
    fn title(&self) -> &'static str {
        "audit.tab"
    }

    fn commands(&self) -> Vec<Action> {
        let mut v = Vec::new();
        if !self.rows.is_empty() {
            v.push(Action::AuGo);
        }
        v.extend([Action::AuFilterForm, Action::Filter]);
        if self.any_filter() {
            v.push(Action::ClearFilter);
        }
        v.extend(NAV);
        v
    }

    fn captures_text(&self) -> bool {
        self.text.editing
    }

    fn on_text(&mut self, ev: KeyEvent) {
        // Loaded again in `after_text`, which has the store.
        self.text_changed |= self.text.handle_key(ev);
    }

    fn after_text(&mut self, store: &Store) {
        if std::mem::take(&mut self.text_changed) {
            self.load_newest(store);
        }
    }

    fn on_action(&mut self, action: Action, ctx: &mut Ctx) -> Option<Popup> {
        let page = self.page.get().max(1);
        match action {
            Action::Up => self.up(ctx.store),
            Action::Down => self.down(ctx.store),
            Action::PageUp => {
                for _ in 0..page {
                    self.up(ctx.store);
                }
            }
            Action::PageDown => {
                for _ in 0..page {
                    self.down(ctx.store);
                }
            }
            Action::Top => self.load_newest(ctx.store),
            Action::Bottom => self.bottom(ctx.store),
            Action::Filter => self.text.start(),
            Action::ClearFilter => {
                self.text.clear();
                self.who = None;
                self.range = None;
                self.kind = None;
                self.form_values = Default::default();
                self.load_newest(ctx.store);
            }
            Action::AuFilterForm => {
                return Some(Popup::Form(self.filter_form(), Intent::AuditFilter));
            }
            Action::AuGo => {
                let d = self.selected()?;
                match d.kind.screen() {
                    Some(n) if d.exists => {
                        ctx.goto = Some(n);
                    }
                    Some(_) => ctx.info(trf("audit.gone", &[("record", d.record.clone())])),
                    None => ctx.info(trf("audit.no_screen", &[("record", d.record.clone())])),
                }
            }
            _ => {}
        }
        None
    }

    fn on_popup(&mut self, result: PopupResult, ctx: &mut Ctx) -> Option<Popup> {
        let PopupResult::Submitted(mut form, Intent::AuditFilter) = result else {
            return None;
        };
        form.clear_errors();
        let who = form.value(0).trim().to_string();
        let dates_in = form.value(1).trim().to_string();
        let kind = form.value(2).trim().to_string();
        let mut bad = false;
        let range = if dates_in.is_empty() {
            None
        } else {
            match parse_range(&dates_in) {
                Ok(r) => Some(r),
                Err(e) => {
                    form.set_error(
                        1,
                        trf(
                            "audit.bad_date",
                            &[("input", dates_in.clone()), ("reason", e.message())],
                        ),
                    );
                    bad = true;
                    None
                }
            }
        };
        if !kind.is_empty() && tables_for(&kind).is_none() {
            form.set_error(2, trf("audit.bad_kind", &[("input", kind.clone())]));
            bad = true;
        }
        if bad {
            return Some(Popup::Form(form, Intent::AuditFilter));
        }
        self.form_values = [who.clone(), dates_in, kind.clone()];
        self.who = (!who.is_empty()).then_some(who);
        self.range = range;
        self.kind = (!kind.is_empty()).then_some(kind.to_ascii_lowercase());
        self.load_newest(ctx.store);
        None
    }

    fn reload(&mut self, store: &Store, _today: NaiveDate) {
        self.has_school = store.school().ok().flatten().is_some();
        // Where the window was: from the top again when it showed the
        // newest rows (new changes appear), else the same rows.
        let keep = self.sel;
        if self.at_newest || self.rows.is_empty() {
            self.load_newest(store);
        } else {
            let first = self.rows[0].0.id;
            self.load_from(store, Some(first + 1));
            self.at_newest = false;
        }
        self.sel = keep.min(self.rows.len().saturating_sub(1));
    }

    fn draw(&self, f: &mut Frame, area: Rect, v: &View) {
        let t = v.theme;
        let Some(inner) = crate::ui::screen_frame(f, area, tr("audit.title"), t, self.has_school)
        else {
            return;
        };
        let w = inner.width as usize;
        let text_rows = u16::from(self.text.editing);
        let [head, body, detail, foot] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(3),
            Constraint::Length(DETAIL_LINES as u16 + 2),
            Constraint::Length(text_rows),
        ])
        .areas(inner);
        let head_line = match &self.error {
            Some(e) => Line::styled(truncate(e, w), t.error()),
            None => Line::styled(truncate(&self.filter_summary(), w), t.dim()),
        };
        f.render_widget(Paragraph::new(head_line), head);

        // The list: when, who, what.
        let rows_h = body.height.saturating_sub(1) as usize;
        self.page.set(rows_h.max(1));
        let when_w = 16usize;
        let who_w = if w >= 100 { 22 } else { 14 };
        let what_w = w.saturating_sub(when_w + who_w + 2);
        let mut lines = vec![Line::styled(
            format!(
                "{} {} {}",
                pad(tr("audit.col_when"), when_w),
                pad(tr("audit.col_who"), who_w),
                truncate(tr("audit.col_what"), what_w)
            ),
            t.header(),
        )];
        if self.rows.is_empty() && self.error.is_none() {
            lines.push(Line::styled(truncate(tr("audit.empty"), w), t.dim()));
        }
        let off = scroll_offset(self.sel, self.offset.get(), rows_h);
        self.offset.set(off);
        for i in off..(off + rows_h).min(self.rows.len()) {
            let d = &self.rows[i].1;
            let when = pad(&truncate(&d.when, when_w), when_w);
            let style = if i == self.sel {
                t.selected()
            } else {
                t.base()
            };
            let who = pad(&truncate(&d.who(), who_w), who_w);
            let what_style = if d.exists { t.base() } else { t.dim() };
            let what = pad(&truncate(&d.what, what_w), what_w);
            lines.push(Line::from(vec![
                Span::styled(when, style),
                Span::raw(" "),
                Span::raw(who),
                Span::raw(" "),
                Span::styled(what, what_style),
            ]));
        }
        f.render_widget(Paragraph::new(lines), body);

        // The selected row in full: who, the record, the fields changed.
        let mut dl = vec![Line::styled("─".repeat(w), t.border())];
        if let Some(d) = self.selected() {
            dl.push(Line::styled(
                truncate(
                    &trf(
                        "audit.detail_head",
                        &[
                            ("when", d.when.clone()),
                            ("who", d.who()),
                            ("what", d.what.clone()),
                        ],
                    ),
                    w,
                ),
                t.title(),
            ));
            if d.changes.is_empty() {
                dl.push(Line::styled(truncate(tr("audit.detail_none"), w), t.dim()));
            }
            for c in d.changes.iter().take(DETAIL_LINES) {
                dl.push(Line::from(truncate(&format!("  {c}"), w)));
            }
        }
        f.render_widget(Paragraph::new(dl), detail);
        if self.text.editing {
            let text = format!("/{}▏", self.text.text);
            let shown = if width(&text) > w {
                truncate(&text, w)
            } else {
                text
            };
            f.render_widget(Paragraph::new(Line::styled(shown, t.key())), foot);
        }
    }
}
