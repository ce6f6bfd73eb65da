//! ASCII mode (`--ascii`, `PORTFOLIO_DESK_ASCII=1`) for terminals that draw
//! East Asian *ambiguous*-width characters two cells wide (PuTTY/PieTTY with
//! "treat ambiguous characters as wide", some CJK locales): borders, bullets,
//! ellipses, arrows and marks such as …, •, —, ·, ─, │, ┌, ›, ← would
//! break the alignment there.
//!
//! Chosen once at start-up. The one place that applies it is
//! [`asciify`], run on every finished frame (`App::draw`): each cell holding
//! a character whose width differs between narrow and wide terminals gets a
//! one-cell ASCII stand-in, so no screen, popup or message can slip one
//! through, whichever code drew it.

use std::sync::atomic::{AtomicBool, Ordering};

use ratatui::buffer::Buffer;
use unicode_width::UnicodeWidthStr;

static ASCII: AtomicBool = AtomicBool::new(false);

/// Turns ASCII mode on or off (at start-up).
pub fn set_ascii(on: bool) {
    ASCII.store(on, Ordering::Relaxed);
}

pub fn ascii() -> bool {
    ASCII.load(Ordering::Relaxed)
}

/// Whether `s` is drawn with a different width where ambiguous characters
/// are wide.
pub fn is_ambiguous(s: &str) -> bool {
    UnicodeWidthStr::width(s) != UnicodeWidthStr::width_cjk(s)
}

/// Whether ASCII mode replaces `s`: ambiguous-width characters, and the
/// angle quotes ‹ › that some of those terminals draw wide too.
pub fn needs_stand_in(s: &str) -> bool {
    is_ambiguous(s) || s.contains(['‹', '›'])
}

/// The ASCII stand-in of one ambiguous-width character.
pub fn ascii_for(c: char) -> char {
    match c {
        '─' | '━' | '—' | '–' | '‒' | '―' | '╌' | '┄' | '┈' | '‐' => '-',
        '═' => '=',
        '│' | '┃' | '║' | '╎' | '┆' | '┊' => '|',
        '┌' | '┐' | '└' | '┘' | '├' | '┤' | '┬' | '┴' | '┼' | '╭' | '╮' | '╯' | '╰' | '╔' | '╗'
        | '╚' | '╝' | '╠' | '╣' | '╦' | '╩' | '╬' | '┏' | '┓' | '┗' | '┛' => {
            '+'
        }
        '…' | '‥' => '~',
        '•' | '●' | '○' | '◎' | '◆' | '◇' | '■' | '□' | '★' | '☆' | '※' | '◉' => {
            '*'
        }
        '·' | '・' | '∙' => '.',
        '›' | '→' | '▶' | '►' | '⇒' | '»' => '>',
        '‹' | '←' | '◀' | '◄' | '⇐' | '«' => '<',
        '↑' | '▲' | '△' => '^',
        '↓' | '▼' | '▽' => 'v',
        '↔' | '⇄' | '⇔' => '=',
        '×' => 'x',
        '÷' => '/',
        '±' => '+',
        '°' => 'o',
        '“' | '”' | '″' => '"',
        '‘' | '’' | '′' => '\'',
        '§' => 'S',
        '█' | '▓' | '▒' | '░' | '▌' | '▐' | '▄' | '▀' => '#',
        _ => '?',
    }
}

/// `s` with every ambiguous-width character replaced by its stand-in.
pub fn ascii_str(s: &str) -> String {
    s.chars()
        .map(|c| {
            let mut b = [0u8; 4];
            if needs_stand_in(c.encode_utf8(&mut b)) {
                ascii_for(c)
            } else {
                c
            }
        })
        .collect()
}

/// In ASCII mode, replaces every ambiguous-width cell of `buf`.
pub fn asciify(buf: &mut Buffer) {
    if !ascii() {
        return;
    }
    for cell in buf.content.iter_mut() {
        let sym = cell.symbol();
        if !sym.is_ascii() && needs_stand_in(sym) {
            let s = ascii_str(sym);
            cell.set_symbol(&s);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stand_in_is_ascii_and_chinese_stays() {
        for c in "…•—·─│┌┐└┘├┤┬┴┼═║╭╮╯╰›‹←→↑↓▶×°".chars()
        {
            let mut b = [0u8; 4];
            assert!(needs_stand_in(c.encode_utf8(&mut b)), "{c} is replaced");
            assert!(ascii_for(c).is_ascii());
            assert_ne!(ascii_for(c), '?', "{c} has a proper stand-in");
        }
        assert_eq!(ascii_str("課程諮…「收訖」，"), "課程諮~「收訖」，");
        assert_eq!(ascii_str("┌─┐"), "+-+");
    }
}
