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

/// Characters that must not start a line (closing marks and CJK
/// punctuation): they stay with the text before them.
const NO_LINE_START: &str = "」』）》〉】〕〗〙〛｝］，。、；：？！…‥・〜～ー〞〟’”·,.;:?!)]}%";

/// Breaks `text` into lines of at most `w` cells (CJK is two cells).
///
/// One wrapper for every screen: line breaks follow Unicode's line-breaking
/// rules (UAX #14, through `textwrap`), so English words and dates such as
/// 115.11.20~12.05 stay whole unless one alone is wider than the line, and
/// closing marks such as 」，。！ never start a line. Newlines in `text`
/// start new lines. Linear in the length of `text`; a width of 0 counts as
/// 1, and a character wider than the line gets a line of its own.
pub fn wrap(text: &str, w: usize) -> Vec<String> {
    use textwrap::{Options, WordSeparator, WordSplitter, WrapAlgorithm};
    let w = w.max(1);
    let opts = Options::new(w)
        .word_separator(WordSeparator::UnicodeBreakProperties)
        .word_splitter(WordSplitter::NoHyphenation)
        .wrap_algorithm(WrapAlgorithm::FirstFit)
        .break_words(true);
    let mut out: Vec<String> = textwrap::wrap(text, &opts)
        .into_iter()
        .map(|l| l.into_owned())
        .collect();
    keep_marks_off_line_starts(&mut out, w);
    out
}

/// A word cut for being wider than the line can leave a closing mark at a
/// line's start: the character before it comes down with it when that
/// still fits, else the mark goes up when that fits.
fn keep_marks_off_line_starts(lines: &mut [String], w: usize) {
    for i in 1..lines.len() {
        let Some(first) = lines[i].chars().next() else {
            continue;
        };
        if !NO_LINE_START.contains(first) {
            continue;
        }
        let (prev, rest) = lines.split_at_mut(i);
        let (prev, cur) = (&mut prev[i - 1], &mut rest[0]);
        let Some(last) = prev.chars().next_back() else {
            continue;
        };
        let lw = last.width().unwrap_or(0);
        if prev.chars().count() > 1 && width(cur) + lw <= w {
            prev.pop();
            cur.insert(0, last);
        } else if width(prev) + first.width().unwrap_or(0) <= w {
            cur.remove(0);
            prev.push(first);
        }
    }
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

    const MARKS: &[char] = &[
        '」', '』', '，', '。', '！', '、', '；', '：', '？', '）', '》',
    ];

    fn check(text: &str, w: usize) -> Vec<String> {
        let lines = wrap(text, w);
        for (i, l) in lines.iter().enumerate() {
            assert!(width(l) <= w.max(2), "{w}: {l:?} in {lines:?}");
            if i > 0 {
                assert!(!l.starts_with(MARKS), "{w}: {l:?} in {lines:?}");
            }
        }
        lines
    }

    #[test]
    fn chinese_punctuation_never_starts_a_line() {
        let text = "請填「基本資料」、「修課紀錄」。收訖確認「高二收訖確認」只有 2 天，少於 3 天！是否繼續？（請確認）《辦法》：第三條；";
        // From 6 cells on: a character and the two marks after it fit a line.
        for w in 6..40 {
            let lines = check(text, w);
            let joined: String = lines.concat().chars().filter(|c| *c != ' ').collect();
            let want: String = text.chars().filter(|c| *c != ' ').collect();
            assert_eq!(joined, want, "{w}");
        }
        assert_eq!(wrap("一二三四五。", 10), vec!["一二三四", "五。"]);
        assert_eq!(
            wrap("請填「基本資料」、「修課紀錄」。", 16),
            vec!["請填「基本資", "料」、「修課紀", "錄」。"]
        );
    }

    #[test]
    fn english_words_stay_whole_unless_longer_than_the_line() {
        assert_eq!(
            wrap("The receipt window closes on Friday", 12),
            vec!["The receipt", "window", "closes on", "Friday"]
        );
        let lines = check("a supercalifragilistic word", 8);
        assert_eq!(lines, vec!["a", "supercal", "ifragili", "stic", "word"]);
    }

    #[test]
    fn dates_and_mixed_text_stay_whole() {
        assert_eq!(
            wrap("檢查結果 abc 115.02.09~17？", 20),
            vec!["檢查結果 abc", "115.02.09~17？"]
        );
        let lines = check("收訖確認 115.11.20~12.05 只有 2 天，少於 3 天。", 20);
        assert!(
            lines.iter().any(|l| l.contains("115.11.20~12.05")),
            "{lines:?}"
        );
        let lines = check(
            "Import 3 rows from 高二 receipts.csv into 115-1, please",
            14,
        );
        assert!(
            lines.iter().any(|l| l.contains("receipts.csv")),
            "{lines:?}"
        );
    }

    #[test]
    fn an_exact_width_line_is_one_line() {
        assert_eq!(wrap("課程學習成果", 12), vec!["課程學習成果"]);
        assert_eq!(wrap("exactly 12 c", 12), vec!["exactly 12 c"]);
        assert_eq!(wrap("課程學習成果。", 14), vec!["課程學習成果。"]);
        assert_eq!(wrap("", 10), vec![""]);
        assert_eq!(wrap("a\nb", 10), vec!["a", "b"]);
    }

    #[test]
    fn tiny_widths_neither_panic_nor_loop() {
        for w in 0..=2 {
            for text in [
                "「基本資料」，。！",
                "abc def",
                "115.11.20~12.05",
                "。。。",
                " ",
                "a「」",
            ] {
                let lines = wrap(text, w);
                assert!(
                    lines.len() <= text.chars().count() + 1,
                    "{w} {text:?} {lines:?}"
                );
                for l in &lines {
                    assert!(width(l) <= 2, "{w} {text:?} {lines:?}");
                }
            }
        }
    }

    #[test]
    fn long_text_wraps_in_linear_time() {
        let text = "課程學習成果「收訖」，abc 115.11.20~12.05。".repeat(20_000);
        let start = std::time::Instant::now();
        let lines = wrap(&text, 30);
        assert!(lines.len() > 10_000);
        assert!(start.elapsed() < std::time::Duration::from_secs(20));
    }
}
