//! The application: screens, the popup stack, the status bar, and the
//! synchronous event loop. Popups see keys first (gitui's event pump), then
//! the current screen's actions, then the global ones.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
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
        };
        app.reload_all();
        app.restore_draft();
        app
    }

    /// Keeps the open form's input in the database (the session is being
    /// cut: SSH drop, SIGTERM). Returns true when there was one to keep.
    pub fn save_draft(&mut self) -> bool {
        match self.draft_json() {
            Some(json) => self.store.save_draft(&json).is_ok(),
            None => false,
        }
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

    /// Reopens a form kept by `save_draft`, with a message saying so.
    fn restore_draft(&mut self) {
        let Ok(Some(json)) = self.store.take_draft() else {
            return;
        };
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

    /// The actions of the current screen followed by the global ones.
    pub fn commands(&self) -> Vec<Action> {
        let mut v = self.screens[self.current].commands();
        v.extend_from_slice(keys::GLOBAL);
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

    pub fn handle_paste(&mut self, text: &str) {
        if let Some(Popup::Form(form, _)) = self.popups.last_mut() {
            form.paste(text);
        }
    }

    pub fn handle_key(&mut self, ev: KeyEvent) {
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
        if let Some(p) = popup {
            self.popups.push(p);
        }
        if changed {
            self.reload_all();
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
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            self.draw_too_small(f, area);
            return;
        }
        let [tabs, body, flash, status] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .areas(area);
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
        let p = Paragraph::new(msg).wrap(ratatui::widgets::Wrap { trim: true });
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

/// Watches for SIGTERM/SIGHUP. The loop notices `stop` within one poll
/// timeout and ends cleanly. But when the terminal itself is gone (an SSH
/// drop), crossterm 0.29 spins inside `poll` on end-of-file and never
/// returns (crossterm-rs/crossterm#793), so after a grace period the watcher
/// keeps the unsaved form through its own connection and ends the process.
fn watch_signals(
    stop: Arc<AtomicBool>,
    done: Arc<AtomicBool>,
    draft: Arc<std::sync::Mutex<Option<String>>>,
    db: std::path::PathBuf,
    user: String,
) -> std::io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP])?;
    std::thread::spawn(move || {
        if signals.forever().next().is_none() {
            return;
        }
        stop.store(true, Ordering::SeqCst);
        let start = std::time::Instant::now();
        while start.elapsed() < STOP_GRACE {
            if done.load(Ordering::SeqCst) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let pending = draft.lock().ok().and_then(|mut d| d.take());
        if let Some(json) = pending
            && let Ok(mut store) = Store::open(&db)
        {
            store.set_user(&user);
            let _ = store.save_draft(&json);
        }
        ratatui::restore();
        std::process::exit(129);
    });
    Ok(())
}

/// Runs the TUI until the user quits or the process gets SIGTERM/SIGHUP.
pub fn run(app: &mut App) -> std::io::Result<()> {
    let stop = Arc::new(AtomicBool::new(false));
    let done = Arc::new(AtomicBool::new(false));
    let draft = Arc::new(std::sync::Mutex::new(None::<String>));
    watch_signals(
        Arc::clone(&stop),
        Arc::clone(&done),
        Arc::clone(&draft),
        app.store.path().to_path_buf(),
        app.store.user().to_string(),
    )?;
    // ratatui::init chains a panic hook that restores the terminal (and
    // sets up raw mode and the alternate screen); the app draws through
    // `Lean`, which writes fewer bytes for Chinese text.
    drop(ratatui::init());
    let mut terminal = ratatui::Terminal::new(Lean::new(ratatui::backend::CrosstermBackend::new(
        std::io::stdout(),
    )))?;
    app.set_progress(Box::new(draw_progress));
    let _guard = TerminalGuard;
    let _ = ratatui::crossterm::execute!(
        std::io::stdout(),
        ratatui::crossterm::event::EnableBracketedPaste
    );
    let result = event_loop(app, &mut terminal, &stop, &draft);
    // Anything but a normal quit (a stop signal, the terminal failing) keeps
    // the unsaved form before the process goes.
    if result.is_err() || !app.should_quit() {
        app.save_draft();
    }
    done.store(true, Ordering::SeqCst);
    result
}

/// The terminal the app draws on.
type AppTerminal = ratatui::Terminal<Lean<ratatui::backend::CrosstermBackend<std::io::Stdout>>>;

fn event_loop(
    app: &mut App,
    terminal: &mut AppTerminal,
    stop: &AtomicBool,
    draft: &std::sync::Mutex<Option<String>>,
) -> std::io::Result<()> {
    let mut dirty = true;
    let mut daily: Option<
        std::thread::JoinHandle<crate::store::Result<Option<std::path::PathBuf>>>,
    > = None;
    let mut daily_started = false;
    while !app.should_quit() && !stop.load(Ordering::Relaxed) {
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
            if !daily_started {
                daily_started = true;
                let db = app.store.path().to_path_buf();
                daily = Some(std::thread::spawn(move || {
                    crate::store::backup::daily_backup(&db, chrono::Local::now().naive_local())
                }));
            }
        }
        if daily.as_ref().is_some_and(|h| h.is_finished())
            && let Some(h) = daily.take()
            && let Ok(Ok(Some(_))) = h.join()
        {
            app.backups_changed();
            dirty = true;
        }
        // The timeout only serves to notice other users' writes and signals.
        if event::poll(Duration::from_millis(500))? {
            match event::read()? {
                Event::Key(k) if k.kind == KeyEventKind::Press => {
                    app.handle_key(k);
                    if let Ok(mut d) = draft.lock() {
                        *d = app.draft_json();
                    }
                    dirty = true;
                }
                Event::Paste(text) => {
                    app.handle_paste(&text);
                    dirty = true;
                }
                Event::Resize(..) => dirty = true,
                _ => {}
            }
        } else if app.tick() {
            dirty = true;
        }
    }
    Ok(())
}
