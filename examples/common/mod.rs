//! What both benchmarks share: a terminal that counts the bytes it would
//! write, percentiles and the process's peak memory.
#![allow(dead_code)] // each benchmark uses its own subset

use std::cell::Cell;
use std::io::Write;
use std::rc::Rc;
use std::time::Duration;

use portfolio_desk::ui::backend::Lean;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};

/// A writer that only counts what would reach the terminal.
#[derive(Clone, Default)]
pub struct Counter(pub Rc<Cell<usize>>);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.set(self.0.get() + buf.len());
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

pub fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// VmHWM: the most memory the process has held.
pub fn peak_rss_kb() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    s.lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
}

/// An 80x24 terminal drawing into `counter` through the backend the app
/// uses (crossterm, wrapped so wide characters need no cursor moves).
pub fn terminal(counter: &Counter) -> Terminal<Lean<CrosstermBackend<Counter>>> {
    Terminal::with_options(
        Lean::new(CrosstermBackend::new(counter.clone())),
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, 80, 24)),
        },
    )
    .expect("terminal")
}
