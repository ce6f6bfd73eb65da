//! A backend wrapper that writes fewer bytes for wide (CJK) text.
//!
//! ratatui's diff leaves out the cell a wide character covers, so the
//! crossterm backend sees the next cell two columns on and moves the cursor
//! there explicitly: every changed Chinese character costs a cursor move
//! (`ESC[r;cH`, ~8 bytes) besides its 3 bytes. The terminal's cursor is
//! already there after printing a wide character (every terminal draws East
//! Asian Wide and Fullwidth characters two columns wide), so this wrapper
//! hands the backend an empty cell in between: the cells are then
//! contiguous and no move is written. Over SSH a screen of Chinese text
//! costs about a third of the bytes.

use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};

use super::text::width;

pub struct Lean<B: Backend>(pub B);

impl<B: Backend> Lean<B> {
    pub fn new(inner: B) -> Lean<B> {
        Lean(inner)
    }
}

impl<B: Backend> Backend for Lean<B> {
    type Error = B::Error;

    fn draw<'a, I>(&mut self, content: I) -> Result<(), Self::Error>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let cells: Vec<(u16, u16, &Cell)> = content.collect();
        // An empty cell (same style: no colour change) after each wide
        // character whose next changed cell is right after it.
        let mut pads: Vec<(usize, Cell)> = Vec::new();
        for (i, &(x, y, cell)) in cells.iter().enumerate() {
            let next_after = matches!(
                cells.get(i + 1),
                Some(&(nx, ny, _)) if ny == y && Some(nx) == x.checked_add(2)
            );
            if next_after && width(cell.symbol()) == 2 {
                let mut pad = cell.clone();
                pad.set_symbol("");
                pads.push((i, pad));
            }
        }
        if pads.is_empty() {
            return self.0.draw(cells.into_iter());
        }
        let mut out: Vec<(u16, u16, &Cell)> = Vec::with_capacity(cells.len() + pads.len());
        let mut p = pads.iter().peekable();
        for (i, &(x, y, cell)) in cells.iter().enumerate() {
            out.push((x, y, cell));
            if let Some((_, pad)) = p.next_if(|(at, _)| *at == i) {
                out.push((x + 1, y, pad));
            }
        }
        self.0.draw(out.into_iter())
    }

    fn append_lines(&mut self, n: u16) -> Result<(), Self::Error> {
        self.0.append_lines(n)
    }

    fn hide_cursor(&mut self) -> Result<(), Self::Error> {
        self.0.hide_cursor()
    }

    fn show_cursor(&mut self) -> Result<(), Self::Error> {
        self.0.show_cursor()
    }

    fn get_cursor_position(&mut self) -> Result<Position, Self::Error> {
        self.0.get_cursor_position()
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> Result<(), Self::Error> {
        self.0.set_cursor_position(position)
    }

    fn clear(&mut self) -> Result<(), Self::Error> {
        self.0.clear()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> Result<(), Self::Error> {
        self.0.clear_region(clear_type)
    }

    fn size(&self) -> Result<Size, Self::Error> {
        self.0.size()
    }

    fn window_size(&mut self) -> Result<WindowSize, Self::Error> {
        self.0.window_size()
    }

    fn flush(&mut self) -> Result<(), Self::Error> {
        self.0.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::backend::CrosstermBackend;
    use ratatui::layout::Rect;
    use ratatui::text::Line;
    use ratatui::widgets::Paragraph;
    use ratatui::{Terminal, TerminalOptions, Viewport};

    fn bytes_of(lean: bool, a: &str, b: &str) -> Vec<u8> {
        fn run<B: Backend>(t: &mut Terminal<B>, a: &str, b: &str) {
            t.draw(|f| f.render_widget(Paragraph::new(Line::from(a.to_string())), f.area()))
                .unwrap();
            t.draw(|f| f.render_widget(Paragraph::new(Line::from(b.to_string())), f.area()))
                .unwrap();
        }
        let opts = || TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, 20, 1)),
        };
        let mut out = Vec::new();
        if lean {
            let mut t =
                Terminal::with_options(Lean::new(CrosstermBackend::new(&mut out)), opts()).unwrap();
            run(&mut t, a, b);
        } else {
            let mut t = Terminal::with_options(CrosstermBackend::new(&mut out), opts()).unwrap();
            run(&mut t, a, b);
        }
        out
    }

    #[test]
    fn wide_text_needs_no_cursor_moves_and_reads_the_same() {
        let plain = bytes_of(false, "", "王小明 林怡君");
        let lean = bytes_of(true, "", "王小明 林怡君");
        assert!(lean.len() < plain.len(), "{} < {}", lean.len(), plain.len());
        let moves = |b: &[u8]| String::from_utf8_lossy(b).matches('H').count();
        // One move to each run of text (the blank between is unchanged).
        assert_eq!(moves(&lean), 2, "{}", String::from_utf8_lossy(&lean));
        assert_eq!(moves(&plain), 6, "{}", String::from_utf8_lossy(&plain));
        // Both draw the same screen in a terminal emulator.
        let screen = |b: &[u8]| {
            let mut p = vt100::Parser::new(
                std::num::NonZero::new(1).unwrap(),
                std::num::NonZero::new(20).unwrap(),
                0,
            );
            p.process(b);
            p.screen().contents()
        };
        assert_eq!(screen(&lean), screen(&plain));
        assert_eq!(screen(&lean).trim_end(), "王小明 林怡君");
        // A change in the middle of wide text.
        let plain = bytes_of(false, "王小明 林怡君", "王大明 林怡君x");
        let lean = bytes_of(true, "王小明 林怡君", "王大明 林怡君x");
        assert_eq!(screen(&lean), screen(&plain));
    }
}
