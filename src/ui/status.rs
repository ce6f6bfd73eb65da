//! The status bar, laid out from the key table: the screen's main verbs
//! (`keys::MAIN`) first and always, then its other verbs as many as fit in
//! the screen's order, then `q` quit, and last `? 說明` — or `? 更多` when
//! anything was left out. A right-aligned segment of a given width (e.g. the
//! signed-in person) can be reserved: the keys never run into it.

use ratatui::text::{Line, Span};

use super::keys::{self, Action};
use super::text::width;
use super::theme::Theme;
use crate::i18n::tr;

/// What the status bar shows for `cmds` (a screen's commands) in `w` cells:
/// the actions in order, and whether some were left out (then the bar ends
/// with `? 更多`, else with `? 說明`).
pub fn layout(cmds: &[Action], w: usize) -> (Vec<Action>, bool) {
    let verbs: Vec<Action> = cmds
        .iter()
        .copied()
        .filter(|a| !keys::NAV.contains(a) && !keys::GLOBAL.contains(a))
        .filter(|a| !matches!(a, Action::GoScreen(_)))
        .collect();
    let mut dedup: Vec<Action> = Vec::new();
    for a in verbs {
        if !dedup.contains(&a) {
            dedup.push(a);
        }
    }
    let (main, mut rest): (Vec<Action>, Vec<Action>) =
        dedup.into_iter().partition(|a| keys::is_main(*a));
    rest.push(Action::Quit);
    let all: Vec<Action> = main.iter().chain(rest.iter()).copied().collect();
    let total: usize = all.iter().map(|a| piece_width(*a)).sum();
    if total + tail_width(false) <= w {
        return (all, false);
    }
    let mut shown = main;
    let mut used: usize = shown.iter().map(|a| piece_width(*a)).sum();
    let room = w.saturating_sub(tail_width(true));
    for a in rest {
        let pw = piece_width(a);
        if used + pw > room {
            break;
        }
        used += pw;
        shown.push(a);
    }
    (shown, true)
}

/// The cells the main verbs of `cmds` and the closing `? 更多` take: what
/// the bar needs before anything else may be drawn beside it.
pub fn main_width(cmds: &[Action]) -> usize {
    let mut seen: Vec<Action> = Vec::new();
    for a in cmds.iter().copied().filter(|a| keys::is_main(*a)) {
        if !seen.contains(&a) {
            seen.push(a);
        }
    }
    seen.iter().map(|a| piece_width(*a)).sum::<usize>() + tail_width(true)
}

/// "n 新增  ": the first key, the label, two spaces.
fn piece(a: Action) -> (String, String) {
    let label = keys::row(a).map(|r| tr(r.label)).unwrap_or("");
    (keys::first_key_label(a), format!(" {label}  "))
}

fn piece_width(a: Action) -> usize {
    let (k, l) = piece(a);
    width(&k) + width(&l)
}

/// "? 說明" or "? 更多".
fn tail(more: bool) -> (String, String) {
    let label = if more {
        tr("first.more")
    } else {
        keys::row(Action::Help).map(|r| tr(r.label)).unwrap_or("")
    };
    (keys::first_key_label(Action::Help), format!(" {label}"))
}

fn tail_width(more: bool) -> usize {
    let (k, l) = tail(more);
    width(&k) + width(&l)
}

/// The status bar's keys for `cmds` in `w` cells, `reserve` of them kept
/// free at the right for a segment the caller draws there.
pub fn line(cmds: &[Action], w: usize, reserve: usize, theme: &Theme) -> Line<'static> {
    let (shown, more) = layout(cmds, w.saturating_sub(reserve));
    let mut spans = Vec::new();
    for a in shown {
        let (k, l) = piece(a);
        spans.push(Span::styled(k, theme.key()));
        spans.push(Span::raw(l));
    }
    let (k, l) = tail(more);
    spans.push(Span::styled(k, theme.key()));
    spans.push(Span::raw(l));
    Line::from(spans)
}

/// The text of [`line`] (for tests).
pub fn text(cmds: &[Action], w: usize) -> String {
    let l = line(cmds, w, 0, &Theme { color: false });
    l.spans.iter().map(|s| s.content.as_ref()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, set_lang};

    #[test]
    fn main_verbs_first_and_more_when_cut() {
        for lang in [Lang::ZhTw, Lang::En] {
            set_lang(lang);
            let cmds = [
                Action::CalNew,
                Action::CalEdit,
                Action::CalPrevTerm,
                Action::CalNextTerm,
                Action::CalTermSettings,
                Action::CalCopyTerm,
                Action::CalImport,
                Action::CalExport,
                Action::Up,
            ];
            for w in 60..=200 {
                let (shown, more) = layout(&cmds, w);
                let t = text(&cmds, w);
                assert!(width(&t) <= w, "{w}: {t}");
                assert!(shown.contains(&Action::CalImport), "{w}: {t}");
                assert!(!shown.contains(&Action::Up));
                // Eight verbs and quit.
                assert_eq!(more, shown.len() < 9, "{w}: {t}");
                let ends = if more {
                    tr("first.more")
                } else {
                    tr("keys.help")
                };
                assert!(t.ends_with(&format!("? {ends}")), "{w}: {t}");
            }
            // Wide enough: everything, quit included, and no "more".
            let (shown, more) = layout(&cmds, 300);
            assert!(!more);
            assert_eq!(shown.last(), Some(&Action::Quit));
        }
        set_lang(Lang::ZhTw);
    }

    #[test]
    fn a_reserved_segment_is_left_free() {
        set_lang(Lang::En);
        let cmds = [Action::CalNew, Action::CalEdit, Action::CalExport];
        let full = text(&cmds, 200);
        let l = line(&cmds, 60, 30, &Theme { color: false });
        let t: String = l.spans.iter().map(|s| s.content.as_ref()).collect();
        assert!(width(&t) <= 30, "{t}");
        assert!(t.contains("n New") && t.ends_with("? More"), "{t} / {full}");
        set_lang(Lang::ZhTw);
    }
}
