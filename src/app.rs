//! The application: screens, the popup stack, the status bar, and the
//! synchronous event loop. Popups see keys first (gitui's event pump), then
//! the current screen's actions, then the global ones.

use std::cell::Cell;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::time::Duration;

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::crossterm::event::{self, Event, KeyEvent, KeyEventKind};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::i18n::{Localized, tr, trf};
use crate::screens::{
    Ctx, Flash, Intent, Popup, PopupResult, Screen, View, calendar::Calendar,
    checklists::Checklists, dashboard::Dashboard, delegates::Delegates, receipts::Receipts,
    roster::Roster,
};
use crate::session::Session;
use crate::store::{School, Store};
use crate::ui::backend::Lean;
use crate::ui::confirm::{Confirm, ConfirmEvent};
use crate::ui::form::{Form, FormDraft, FormEvent};
use crate::ui::help::Help;
use crate::ui::keys::{self, Action};
use crate::ui::picker::PickerEvent;
use crate::ui::text::{truncate, width};
use crate::ui::theme::Theme;

/// Below this the app shows a message instead of its screens.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

/// Where a long action reports its progress: (label, done, total).
pub type ProgressSink = Box<dyn FnMut(&str, usize, usize)>;

pub struct App {
    pub store: Store,
    pub today: NaiveDate,
    pub theme: Theme,
    school: Option<School>,
    screens: Vec<Box<dyn Screen>>,
    current: usize,
    popups: Vec<Popup>,
    flash: Option<Flash>,
    quit: bool,
    data_version: i64,
    /// Progress of long actions (an import); a no-op until `run` sets one
    /// that draws on the terminal.
    progress: ProgressSink,
    /// Something was drawn outside ratatui (the progress gauge): the next
    /// frame repaints the whole terminal.
    repaint: bool,
    /// The last frame showed the "too small" message instead of the
    /// screens: keys other than quit and help are swallowed then (what
    /// they would do cannot be seen).
    too_small: Cell<bool>,
    /// This running session: its draft is keyed by it.
    session: Session,
    /// The draft as last written to the database for this session (`None`:
    /// no row).
    draft_kept: Option<String>,
    /// The open form changed since `draft_kept`: write it when idle.
    draft_pending: bool,
}

/// How `run` ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// The user quit.
    Quit,
    /// SIGTERM or SIGHUP (the number): the caller exits with 128 + it.
    Signal(i32),
}

impl App {
    pub fn new(store: Store, today: NaiveDate, theme: Theme) -> App {
        let screens: Vec<Box<dyn Screen>> = vec![
            Box::new(Dashboard::new()),
            Box::new(Calendar::new(today)),
            Box::new(Roster::new(today)),
            Box::new(Delegates::new(today)),
            Box::new(Checklists::new(today)),
            Box::new(Receipts::new(today)),
        ];
        let store_path = store.path().to_path_buf();
        let mut app = App {
            store,
            today,
            theme,
            school: None,
            screens,
            current: 0,
            popups: Vec::new(),
            flash: None,
            quit: false,
            data_version: 0,
            progress: Box::new(|_, _, _| {}),
            repaint: false,
            too_small: Cell::new(false),
            session: Session::start(&store_path),
            draft_kept: None,
            draft_pending: false,
        };
        app.reload_all();
        app.restore_draft();
        app
    }

    /// The id this session's draft is kept under.
    pub fn session_id(&self) -> &str {
        self.session.id()
    }

    /// Keeps the open form's input in the database as this session's draft
    /// (when idle, and when the session is being cut: SSH drop, SIGTERM);
    /// with no unsaved form, removes the session's draft. Returns true when
    /// there was input to keep and it was kept (never on a read-only file).
    pub fn save_draft(&mut self) -> bool {
        self.draft_pending = false;
        match self.draft_json() {
            Some(_) if self.store.is_read_only() => false,
            Some(json) => {
                match self
                    .store
                    .save_draft(self.session.id(), self.current as i64, &json)
                {
                    Ok(()) => {
                        self.draft_kept = Some(json);
                        true
                    }
                    Err(e) => {
                        tracing::error!(session = self.session.id(), "draft not kept: {e:?}");
                        false
                    }
                }
            }
            None => {
                self.discard_draft();
                false
            }
        }
    }

    /// Removes this session's draft (its form was saved or discarded, or
    /// the user quit knowing the input would be lost).
    pub fn discard_draft(&mut self) {
        self.draft_pending = false;
        if self.draft_kept.take().is_some()
            && let Err(e) = self.store.discard_draft(self.session.id())
        {
            tracing::error!(session = self.session.id(), "draft not removed: {e:?}");
        }
    }

    /// Writes the draft if the form changed since it was last kept (the
    /// event loop calls this when no input came for a while).
    pub fn flush_draft(&mut self) {
        if self.draft_pending {
            self.save_draft();
        }
    }

    /// After input: a form saved or discarded takes its draft with it at
    /// once; changed input is written when idle (`flush_draft`).
    fn sync_draft(&mut self) {
        match self.draft_json() {
            None => self.discard_draft(),
            Some(json) => self.draft_pending = self.draft_kept.as_ref() != Some(&json),
        }
    }

    /// The (screen, JSON) a dropped session would keep now.
    pub fn pending_draft(&self) -> Option<(i64, String)> {
        self.draft_json().map(|j| (self.current as i64, j))
    }

    /// The open form's input as JSON, if a form has unsaved input.
    pub fn draft_json(&self) -> Option<String> {
        let (form, intent) = self.popups.iter().rev().find_map(|p| match p {
            Popup::Form(f, i) if f.is_dirty() => Some((f, i)),
            _ => None,
        })?;
        let json =
            serde_json::json!({ "form": form.draft(), "intent": intent, "screen": self.current });
        Some(json.to_string())
    }

    /// Reopens a form kept by `save_draft` in a session that is no longer
    /// running (the newest such draft of this OS user), with a message
    /// saying so. The draft becomes this session's and stays in the
    /// database until the form is saved or discarded.
    fn restore_draft(&mut self) {
        let db = self.store.path().to_path_buf();
        let adopted = self
            .store
            .adopt_draft(self.session.id(), |id| Session::is_running(&db, id));
        let draft = match adopted {
            Ok(Some(d)) => d,
            Ok(None) => return,
            Err(e) => {
                tracing::error!("draft not restored: {e:?}");
                return;
            }
        };
        tracing::info!(
            session = self.session.id(),
            user = %draft.os_user,
            "draft restored"
        );
        let json = draft.form_json;
        self.draft_kept = Some(json.clone());
        let v: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
        let form = serde_json::from_value::<FormDraft>(v["form"].clone());
        let intent = serde_json::from_value::<Intent>(v["intent"].clone());
        if let (Ok(form), Ok(intent)) = (form, intent) {
            let screen = v["screen"].as_u64().unwrap_or(0) as usize;
            if screen < self.screens.len() {
                self.switch(screen);
            }
            self.popups
                .push(Popup::Form(Form::from_draft(form), intent));
            self.flash = Some(Flash::Info(tr("app.draft_restored").into()));
        }
    }

    /// Sets where long actions report their progress.
    pub fn set_progress(&mut self, sink: ProgressSink) {
        self.progress = sink;
    }

    /// True once after something was drawn outside ratatui: the caller
    /// clears the terminal so the next frame repaints everything.
    pub fn take_repaint(&mut self) -> bool {
        std::mem::take(&mut self.repaint)
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }

    pub fn current_screen(&self) -> usize {
        self.current
    }

    /// Tells the app the terminal's size (the loop, on a resize; `draw`
    /// also records it).
    pub fn set_size(&self, w: u16, h: u16) {
        self.too_small.set(w < MIN_WIDTH || h < MIN_HEIGHT);
    }

    /// True while the "too small" message is shown instead of the screens.
    pub fn is_too_small(&self) -> bool {
        self.too_small.get()
    }

    pub fn flash(&self) -> Option<&Flash> {
        self.flash.as_ref()
    }

    /// Reloads the school and the current screen. The others load when
    /// switched to (`switch` reloads): loading every screen here cost the
    /// start-up each one's queries twice (the staff list three times).
    fn reload_all(&mut self) {
        self.school = match self.store.school() {
            Ok(s) => s,
            Err(e) => {
                self.flash = Some(Flash::Error(e.message()));
                None
            }
        };
        self.screens[self.current].reload(&self.store, self.today);
        self.data_version = self.store.data_version().unwrap_or(self.data_version);
    }

    /// Reloads what is on screen after something outside the data changed
    /// (the daily backup finished: the dashboard's backup line).
    pub fn backups_changed(&mut self) {
        self.reload_all();
    }

    /// Called when no key came for a while: notices other users' writes.
    /// Returns true when the screen must be redrawn.
    pub fn tick(&mut self) -> bool {
        match self.store.data_version() {
            Ok(v) if v != self.data_version => {
                self.reload_all();
                true
            }
            _ => false,
        }
    }

    /// The actions of the current screen followed by the global ones (only
    /// help and quit while the screen shows a box of its own: a key the box
    /// does not handle goes nowhere).
    pub fn commands(&self) -> Vec<Action> {
        let mut v = self.screens[self.current].commands();
        if self.screens[self.current].modal() {
            v.extend([Action::Help, Action::Quit]);
        } else {
            v.extend_from_slice(keys::GLOBAL);
        }
        v
    }

    fn form_is_dirty(&self) -> bool {
        self.popups
            .iter()
            .any(|p| matches!(p, Popup::Form(f, _) if f.is_dirty()))
    }

    fn ask_quit(&mut self) {
        if matches!(self.popups.last(), Some(Popup::Confirm(_, Intent::Quit))) {
            return;
        }
        if self.form_is_dirty() {
            self.popups.push(Popup::Confirm(
                Confirm::new(tr("confirm.title").into(), tr("confirm.quit_dirty").into()),
                Intent::Quit,
            ));
        } else {
            self.quit = true;
        }
    }

    /// A bracketed paste: inserted into the focused form field, and input
    /// like typed input (dirty, kept in the draft, undone by Ctrl-Z).
    pub fn handle_paste(&mut self, text: &str) {
        if let Some(Popup::Form(form, _)) = self.popups.last_mut() {
            self.flash = None;
            form.paste(text);
            self.sync_draft();
        }
    }

    pub fn handle_key(&mut self, ev: KeyEvent) {
        self.key(ev);
        self.sync_draft();
    }

    fn key(&mut self, ev: KeyEvent) {
        if ev.kind != KeyEventKind::Press {
            return;
        }
        self.flash = None;
        // Ctrl-C / Ctrl-Q quit from anywhere, asking if a form has input.
        if keys::lookup(&ev, &[Action::Quit]).is_some()
            && ev
                .modifiers
                .contains(ratatui::crossterm::event::KeyModifiers::CONTROL)
        {
            self.ask_quit();
            return;
        }
        if self.too_small.get() {
            self.too_small_key(ev);
            return;
        }
        if let Some(popup) = self.popups.pop() {
            self.popup_key(popup, ev);
            return;
        }
        if self.screens[self.current].captures_text() {
            self.screens[self.current].on_text(ev);
            self.screens[self.current].after_text(&self.store);
            return;
        }
        let Some(action) = keys::lookup(&ev, &self.commands()) else {
            return;
        };
        match action {
            Action::Quit => self.ask_quit(),
            Action::Help => {
                let title = tr(self.screens[self.current].title());
                self.popups
                    .push(Popup::Help(Help::new(title, &self.commands())));
            }
            Action::NextScreen => self.switch((self.current + 1) % self.screens.len()),
            Action::PrevScreen => {
                self.switch((self.current + self.screens.len() - 1) % self.screens.len())
            }
            Action::GoScreen(n) => {
                if (n as usize) < self.screens.len() {
                    self.switch(n as usize);
                }
            }
            other => self.with_screen(|screen, ctx| screen.on_action(other, ctx)),
        }
    }

    /// A key while the "too small" message hides the screens: only quit
    /// and help act (and the help box or the quit question they opened);
    /// anything else is swallowed, since what it did could not be seen.
    fn too_small_key(&mut self, ev: KeyEvent) {
        match self.popups.last() {
            Some(Popup::Help(_)) | Some(Popup::Confirm(_, Intent::Quit)) => {
                if let Some(popup) = self.popups.pop() {
                    self.popup_key(popup, ev);
                }
                return;
            }
            _ => {}
        }
        match keys::lookup(&ev, &[Action::Help, Action::Quit]) {
            Some(Action::Quit) => self.ask_quit(),
            Some(Action::Help) => {
                let title = tr(self.screens[self.current].title());
                self.popups
                    .push(Popup::Help(Help::new(title, &self.commands())));
            }
            _ => {}
        }
    }

    /// Lets the current screen act with a context; pushes the popup it
    /// returns and reloads if it wrote.
    fn with_screen(&mut self, f: impl FnOnce(&mut dyn Screen, &mut Ctx) -> Option<Popup>) {
        let mut reported = false;
        let (popup, changed) = {
            let sink = &mut self.progress;
            let mut progress = |label: &str, done: usize, total: usize| {
                reported = true;
                sink(label, done, total);
            };
            let mut ctx = Ctx {
                store: &mut self.store,
                today: self.today,
                school: self.school.as_ref(),
                flash: &mut self.flash,
                changed: false,
                progress: &mut progress,
            };
            let popup = f(self.screens[self.current].as_mut(), &mut ctx);
            (popup, ctx.changed)
        };
        self.repaint |= reported;
        if let Some(Flash::Error(msg)) = &self.flash {
            tracing::warn!(
                user = self.store.user(),
                screen = self.current,
                "refused: {msg}"
            );
        }
        if let Some(p) = popup {
            self.popups.push(p);
        }
        if changed {
            self.reload_all();
        }
        if let Some(nav) = self.screens[self.current].take_nav() {
            self.go(nav);
        }
    }

    /// Shows the screen that has `nav` (the dashboard's meeting line opens
    /// the meetings view).
    fn go(&mut self, nav: crate::screens::Nav) {
        for i in 0..self.screens.len() {
            if self.screens[i].navigate(nav, &self.store, self.today) {
                self.current = i;
                return;
            }
        }
    }

    fn switch(&mut self, to: usize) {
        self.current = to;
        self.screens[to].reload(&self.store, self.today);
    }

    /// Gives the key to the top popup (already popped off the stack); puts it
    /// back unless it finished.
    fn popup_key(&mut self, popup: Popup, ev: KeyEvent) {
        let result = match popup {
            Popup::Help(mut h) => {
                if !h.handle_key(ev) {
                    self.popups.push(Popup::Help(h));
                }
                None
            }
            Popup::Confirm(mut c, intent) => match c.handle_key(ev) {
                ConfirmEvent::Continue => {
                    self.popups.push(Popup::Confirm(c, intent));
                    None
                }
                ConfirmEvent::No => None,
                ConfirmEvent::Yes => match intent {
                    Intent::Quit => {
                        self.quit = true;
                        None
                    }
                    Intent::DiscardForm => {
                        self.popups.pop();
                        None
                    }
                    other => Some(PopupResult::Confirmed(other)),
                },
            },
            Popup::Form(mut form, intent) => match form.handle_key(ev) {
                FormEvent::Continue => {
                    self.popups.push(Popup::Form(form, intent));
                    None
                }
                FormEvent::Cancel => {
                    let dirty = form.is_dirty();
                    self.popups.push(Popup::Form(form, intent));
                    if dirty {
                        self.popups.push(Popup::Confirm(
                            Confirm::new(tr("confirm.title").into(), tr("confirm.discard").into()),
                            Intent::DiscardForm,
                        ));
                    } else {
                        self.popups.pop();
                    }
                    None
                }
                FormEvent::Submit => Some(PopupResult::Submitted(form, intent)),
            },
            Popup::Picker(mut p, intent) => match p.handle_key(ev) {
                PickerEvent::Continue => {
                    self.popups.push(Popup::Picker(p, intent));
                    None
                }
                PickerEvent::Cancel => None,
                PickerEvent::Picked(id) => Some(PopupResult::Picked(id, intent)),
            },
        };
        if let Some(r) = result {
            self.with_screen(|screen, ctx| screen.on_popup(r, ctx));
        }
    }

    pub fn draw(&self, f: &mut Frame) {
        let area = f.area();
        self.set_size(area.width, area.height);
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            self.draw_too_small(f, area);
            return;
        }
        // A file opened read-only says so on a line of its own, always.
        let banner_rows = u16::from(self.store.is_read_only());
        let [banner, tabs, body, flash, status] = Layout::vertical([
            Constraint::Length(banner_rows),
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .areas(area);
        self.draw_read_only(f, banner);
        self.draw_tabs(f, tabs);
        let view = View {
            theme: &self.theme,
            today: self.today,
            school: self.school.as_ref(),
        };
        self.screens[self.current].draw(f, body, &view);
        self.draw_flash(f, flash);
        self.draw_status(f, status);
        for p in &self.popups {
            match p {
                Popup::Help(h) => h.draw(f, body, &self.theme),
                Popup::Confirm(c, _) => c.draw(f, body, &self.theme),
                Popup::Form(form, _) => form.draw(f, body, &self.theme),
                Popup::Picker(p, _) => p.draw(f, body, &self.theme),
            }
        }
    }

    fn draw_too_small(&self, f: &mut Frame, area: Rect) {
        // A wide (CJK) character cannot be wrapped into fewer than 4 cells
        // without ratatui writing past the buffer; leave such a sliver blank.
        if area.width < 4 {
            return;
        }
        let msg = trf(
            "app.too_small",
            &[
                ("w", area.width.to_string()),
                ("h", area.height.to_string()),
                ("min_w", MIN_WIDTH.to_string()),
                ("min_h", MIN_HEIGHT.to_string()),
            ],
        );
        let msg = format!("{msg}\n{}", tr("guard.too_small_keys"));
        let p = Paragraph::new(crate::ui::wrapped(
            &msg,
            area.width as usize,
            ratatui::style::Style::new(),
        ));
        f.render_widget(p, area);
    }

    fn draw_tabs(&self, f: &mut Frame, area: Rect) {
        let mut spans = Vec::new();
        for (i, s) in self.screens.iter().enumerate() {
            let label = format!(" {} {} ", i + 1, tr(s.title()));
            let style = if i == self.current {
                self.theme.tab_active()
            } else {
                self.theme.base()
            };
            spans.push(Span::styled(label, style));
            spans.push(Span::raw(" "));
        }
        let used: usize = spans.iter().map(|s| width(&s.content)).sum();
        let name = self
            .school
            .as_ref()
            .map(|s| s.short_name.clone())
            .unwrap_or_default();
        let room = (area.width as usize).saturating_sub(used + 1);
        // A name cut down to a mark says nothing: leave it out then.
        let name = if width(&name) <= room || room >= 6 {
            truncate(&name, room)
        } else {
            String::new()
        };
        let gap = room.saturating_sub(width(&name));
        spans.push(Span::raw(" ".repeat(gap)));
        spans.push(Span::styled(name, self.theme.title()));
        f.render_widget(Paragraph::new(Line::from(spans)), area);
    }

    /// "唯讀：<path>（無法寫入，變更不會儲存）" while the file is read-only.
    fn draw_read_only(&self, f: &mut Frame, area: Rect) {
        if area.height == 0 {
            return;
        }
        let banner = |path: String| trf("opening.banner", &[("path", path)]);
        let mut text = banner(self.store.path().display().to_string());
        // Too long for the line: the file's name is enough to recognise it.
        if width(&text) > area.width as usize
            && let Some(name) = self.store.path().file_name()
        {
            text = banner(name.to_string_lossy().into_owned());
        }
        f.render_widget(
            Paragraph::new(Line::styled(
                truncate(&text, area.width as usize),
                self.theme.warn(),
            )),
            area,
        );
    }

    fn draw_flash(&self, f: &mut Frame, area: Rect) {
        let (text, style) = match &self.flash {
            Some(Flash::Info(t)) => (t.as_str(), self.theme.ok()),
            Some(Flash::Error(t)) => (t.as_str(), self.theme.error()),
            None => return,
        };
        f.render_widget(
            Paragraph::new(Line::styled(truncate(text, area.width as usize), style)),
            area,
        );
    }

    /// The status bar: the keys of the current screen, from the key table,
    /// as many as fit; `?` always shows.
    fn draw_status(&self, f: &mut Frame, area: Rect) {
        let cmds: Vec<Action> = if let Some(top) = self.popups.last() {
            let key = match top {
                Popup::Form(..) => "form.keys",
                Popup::Confirm(..) => "confirm.keys",
                Popup::Picker(..) => "picker.keys",
                Popup::Help(..) => "help.close",
            };
            f.render_widget(
                Paragraph::new(Line::styled(
                    truncate(tr(key), area.width as usize),
                    self.theme.dim(),
                )),
                area,
            );
            return;
        } else if self.screens[self.current].captures_text() {
            f.render_widget(
                Paragraph::new(Line::styled(
                    truncate(tr("filter.keys"), area.width as usize),
                    self.theme.dim(),
                )),
                area,
            );
            return;
        } else {
            self.screens[self.current]
                .commands()
                .into_iter()
                .filter(|a| !keys::NAV.contains(a))
                .collect()
        };
        let tail = [Action::Help, Action::Quit];
        let piece = |a: Action| -> Vec<Span<'static>> {
            let label = keys::row(a).map(|r| tr(r.label)).unwrap_or("");
            vec![
                Span::styled(keys::first_key_label(a), self.theme.key()),
                Span::raw(format!(" {label}  ")),
            ]
        };
        let tail_spans: Vec<Span> = tail.iter().flat_map(|&a| piece(a)).collect();
        let tail_w: usize = tail_spans.iter().map(|s| width(&s.content)).sum();
        let mut spans = Vec::new();
        let mut used = 0;
        for a in cmds {
            let p = piece(a);
            let w: usize = p.iter().map(|s| width(&s.content)).sum();
            if used + w + tail_w > area.width as usize {
                break;
            }
            used += w;
            spans.extend(p);
        }
        spans.extend(tail_spans);
        f.render_widget(Paragraph::new(Line::from(spans)), area);
    }
}

/// "匯入收訖明細 [=========           ]  45%  54,000 / 120,000", cut to
/// `w` cells (ASCII bars: narrow in every terminal).
pub fn progress_line(label: &str, done: usize, total: usize, w: usize) -> String {
    use crate::domain::receipt::thousands;
    let done = done.min(total);
    let percent = (done * 100).checked_div(total).unwrap_or(100);
    let counts = format!(
        "{:>3}%  {} / {}",
        percent,
        thousands(done),
        thousands(total)
    );
    let bar_w = w.saturating_sub(width(label) + width(&counts) + 5).min(40);
    let filled = (done * bar_w).checked_div(total).unwrap_or(bar_w);
    let line = if bar_w >= 5 {
        format!(
            "{label} [{}{}] {counts}",
            "=".repeat(filled),
            " ".repeat(bar_w - filled)
        )
    } else {
        format!("{label} {counts}")
    };
    truncate(&line, w)
}

/// The progress sink of the terminal: one line at the bottom, drawn with
/// crossterm directly while a long action runs (the loop cannot draw then);
/// the app repaints the whole screen after the action.
fn draw_progress(label: &str, done: usize, total: usize) {
    use ratatui::crossterm::{cursor, queue, style, terminal};
    use std::io::Write;
    let (cols, rows) = terminal::size().unwrap_or((80, 24));
    if cols == 0 || rows == 0 {
        return;
    }
    let line = progress_line(label, done, total, cols.saturating_sub(1) as usize);
    let mut out = std::io::stdout().lock();
    let _ = queue!(
        out,
        cursor::MoveTo(0, rows - 1),
        terminal::Clear(terminal::ClearType::CurrentLine),
        style::SetAttribute(style::Attribute::Reverse),
        style::Print(line),
        style::SetAttribute(style::Attribute::Reset)
    );
    let _ = out.flush();
}

/// Restores the terminal however the loop ends (atuin's drop guard).
struct TerminalGuard;

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        let _ = ratatui::crossterm::execute!(
            std::io::stdout(),
            ratatui::crossterm::event::DisableBracketedPaste
        );
        ratatui::restore();
    }
}

/// How long the loop may take to notice a stop signal before the watcher
/// ends the process itself.
const STOP_GRACE: Duration = Duration::from_millis(1500);

/// What the signal watcher needs to keep a draft without the loop.
struct Keeper {
    db: std::path::PathBuf,
    user: String,
    session: String,
    /// The (screen, JSON) of the open form's input, updated after each event.
    draft: Arc<std::sync::Mutex<Option<(i64, String)>>>,
}

/// Watches for SIGTERM/SIGHUP and puts the signal's number in `stop`. The
/// loop notices within one poll timeout and ends cleanly. But when the
/// terminal itself is gone (an SSH drop), crossterm 0.29 spins inside `poll`
/// on end-of-file and never returns (crossterm-rs/crossterm#793), so after a
/// grace period the watcher keeps the unsaved form through its own
/// connection, restores the terminal and exits with 128 + the signal.
fn watch_signals(
    stop: Arc<AtomicI32>,
    done: Arc<AtomicBool>,
    keeper: Keeper,
) -> std::io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP])?;
    std::thread::spawn(move || {
        let Some(sig) = signals.forever().next() else {
            return;
        };
        stop.store(sig, Ordering::SeqCst);
        let start = std::time::Instant::now();
        while start.elapsed() < STOP_GRACE {
            if done.load(Ordering::SeqCst) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let pending = keeper.draft.lock().ok().and_then(|mut d| d.take());
        if let Some((screen, json)) = pending
            && let Ok(mut store) = Store::open(&keeper.db)
        {
            store.set_user(&keeper.user);
            if let Err(e) = store.save_draft(&keeper.session, screen, &json) {
                tracing::error!(session = keeper.session, "draft not kept: {e:?}");
            }
        }
        tracing::info!(
            session = keeper.session,
            "signal {sig}: the loop did not stop (terminal gone); draft kept, exiting"
        );
        ratatui::restore();
        std::process::exit(128 + sig);
    });
    Ok(())
}

/// Runs the TUI until the user quits or the process gets SIGTERM/SIGHUP.
/// On a signal the draft is kept and the terminal restored before this
/// returns `Ended::Signal`; the caller exits with 128 + the signal.
pub fn run(app: &mut App) -> std::io::Result<Ended> {
    let stop = Arc::new(AtomicI32::new(0));
    let done = Arc::new(AtomicBool::new(false));
    let draft = Arc::new(std::sync::Mutex::new(app.pending_draft()));
    watch_signals(
        Arc::clone(&stop),
        Arc::clone(&done),
        Keeper {
            db: app.store.path().to_path_buf(),
            user: app.store.user().to_string(),
            session: app.session_id().to_string(),
            draft: Arc::clone(&draft),
        },
    )?;
    // ratatui::init chains a panic hook that restores the terminal (and
    // sets up raw mode and the alternate screen); the app draws through
    // `Lean`, which writes fewer bytes for Chinese text.
    drop(ratatui::init());
    let mut terminal = ratatui::Terminal::new(Lean::new(ratatui::backend::CrosstermBackend::new(
        std::io::stdout(),
    )))?;
    app.set_progress(Box::new(draw_progress));
    let guard = TerminalGuard;
    let _ = ratatui::crossterm::execute!(
        std::io::stdout(),
        ratatui::crossterm::event::EnableBracketedPaste
    );
    let result = event_loop(app, &mut terminal, &stop, &draft);
    // Anything but a normal quit (a stop signal, the terminal failing) keeps
    // the unsaved form before the process goes; a quit (confirmed when a
    // form had input) removes this session's draft.
    if result.is_err() || !app.should_quit() {
        app.save_draft();
    } else {
        app.discard_draft();
    }
    drop(guard);
    done.store(true, Ordering::SeqCst);
    if let Err(e) = &result {
        tracing::error!("terminal failed: {e}");
    }
    result?;
    match stop.load(Ordering::SeqCst) {
        0 => Ok(Ended::Quit),
        sig => {
            tracing::info!(
                session = app.session_id(),
                "signal {sig}: draft kept, exiting"
            );
            Ok(Ended::Signal(sig))
        }
    }
}

/// The terminal the app draws on.
type AppTerminal = ratatui::Terminal<Lean<ratatui::backend::CrosstermBackend<std::io::Stdout>>>;

fn event_loop(
    app: &mut App,
    terminal: &mut AppTerminal,
    stop: &AtomicI32,
    draft: &std::sync::Mutex<Option<(i64, String)>>,
) -> std::io::Result<()> {
    let mut dirty = true;
    let mut daily: Option<
        std::thread::JoinHandle<crate::store::Result<Option<std::path::PathBuf>>>,
    > = None;
    let mut daily_started = false;
    while !app.should_quit() && stop.load(Ordering::Relaxed) == 0 {
        if app.take_repaint() {
            // Terminal::clear would ask the terminal where its cursor is (a
            // round trip over SSH, and no answer from some): clear the
            // screen and forget the last frame, so the next one is whole.
            ratatui::crossterm::execute!(
                std::io::stdout(),
                ratatui::crossterm::terminal::Clear(ratatui::crossterm::terminal::ClearType::All)
            )?;
            terminal.swap_buffers();
            dirty = true;
        }
        if dirty {
            let _ = ratatui::crossterm::execute!(
                std::io::stdout(),
                ratatui::crossterm::terminal::BeginSynchronizedUpdate
            );
            terminal.draw(|f| app.draw(f))?;
            let _ = ratatui::crossterm::execute!(
                std::io::stdout(),
                ratatui::crossterm::terminal::EndSynchronizedUpdate
            );
            dirty = false;
            // The first start of the day backs the file up, after the first
            // frame and on its own thread and connection (never delaying it).
            // A read-only file is not ours to back up (its owner's sessions do).
            if !daily_started && !app.store.is_read_only() {
                daily_started = true;
                let db = app.store.path().to_path_buf();
                daily = Some(std::thread::spawn(move || {
                    crate::store::backup::daily_backup(&db, chrono::Local::now().naive_local())
                }));
            }
        }
        if daily.as_ref().is_some_and(|h| h.is_finished())
            && let Some(h) = daily.take()
        {
            match h.join() {
                Ok(Ok(Some(path))) => {
                    tracing::info!(backup = %path.display(), "daily backup written");
                    app.backups_changed();
                    dirty = true;
                }
                Ok(Ok(None)) => {}
                Ok(Err(e)) => tracing::error!("daily backup failed: {e:?}"),
                Err(_) => tracing::error!("daily backup thread panicked"),
            }
        }
        // The timeout only serves to notice other users' writes and signals.
        if event::poll(Duration::from_millis(500))? {
            match event::read()? {
                Event::Key(k) if k.kind == KeyEventKind::Press => {
                    app.handle_key(k);
                    dirty = true;
                }
                Event::Paste(text) => {
                    app.handle_paste(&text);
                    dirty = true;
                }
                Event::Resize(w, h) => {
                    app.set_size(w, h);
                    dirty = true;
                }
                _ => {}
            }
            // Typed and pasted input alike: what a drop would keep.
            if let Ok(mut d) = draft.lock() {
                *d = app.pending_draft();
            }
        } else {
            // Idle: the changed form goes to the database (a kill -9 or a
            // power cut then loses at most the last half second).
            app.flush_draft();
            if app.tick() {
                dirty = true;
            }
        }
    }
    Ok(())
}
