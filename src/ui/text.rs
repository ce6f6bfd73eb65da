//! Display-width helpers: CJK characters take two cells. Never use `.len()`
//! or `.chars().count()` to lay out text.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Cuts `s` to at most `max` cells, ending with `…` when something was cut.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// Pads `s` with spaces to exactly `w` cells (truncating first if needed).
pub fn pad(s: &str, w: usize) -> String {
    let t = truncate(s, w);
    let n = w.saturating_sub(width(&t));
    format!("{t}{}", " ".repeat(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_counts_two_cells() {
        assert_eq!(width("註冊組長"), 8);
        assert_eq!(width("ab註"), 4);
    }

    #[test]
    fn truncate_never_exceeds_and_marks_the_cut() {
        assert_eq!(truncate("課程諮詢教師代表", 7), "課程諮…");
        assert_eq!(width(&truncate("課程諮詢教師代表", 7)), 7);
        assert_eq!(truncate("abc", 3), "abc");
        assert_eq!(truncate("abcd", 0), "");
        assert_eq!(pad("註冊", 6), "註冊  ");
        assert_eq!(width(&pad("課程諮詢教師", 5)), 5);
    }
}
