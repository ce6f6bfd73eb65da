//! Helpers shared by the screen tests: a fixed clock, an in-memory store
//! with frozen audit times, keys fed through `App::handle_key` (the same
//! path as the real terminal), and the screen rendered as text.
#![allow(dead_code)] // each test file uses its own subset

pub mod cli;

use chrono::NaiveDate;
use portfolio_desk::app::App;
use portfolio_desk::store::Store;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// 2026-11-25 = 115.11.25, academic year 115, term 115-1.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
}

pub fn store() -> Store {
    let mut s = Store::open_in_memory().unwrap();
    s.set_user("registry");
    s.set_fixed_now("2026-11-25T09:30:00+08:00");
    s
}

pub fn key(app: &mut App, code: KeyCode) {
    app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
}

pub fn ctrl(app: &mut App, c: char) {
    app.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
}

pub fn typed(app: &mut App, s: &str) {
    for c in s.chars() {
        key(app, KeyCode::Char(c));
    }
}

pub fn screen(app: &App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| app.draw(f)).unwrap();
    t.backend().to_string()
}

pub fn snap(app: &App) -> String {
    screen(app, 80, 24)
}
