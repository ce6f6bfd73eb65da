//! The `?` overlay: every key of the current screen, from the key table,
//! grouped by what the keys do (the global keys last), each pair in its
//! natural order (previous before next). The text wraps to any width and
//! scrolls by line with ↑↓/j/k, by page with PgUp/PgDn, to either end with
//! Home/End; any other key closes it.

use std::cell::Cell;

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::keys::{self, Action, keys_label, row};
use super::text::{pad, width, wrap};
use super::theme::Theme;
use crate::i18n::tr;

/// What a key does, for grouping in the help (in this order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Group {
    /// Changing data: new, edit, done, delete…
    Act,
    /// What is shown: views, filters, sort, panes, other years and terms.
    Show,
    /// Files and copies: import, export, templates, copy forward.
    Files,
    /// Moving the cursor.
    Move,
    /// Keys every screen has.
    Global,
}

impl Group {
    fn title_key(self) -> &'static str {
        match self {
            Group::Act => "first.help_act",
            Group::Show => "first.help_show",
            Group::Files => "first.help_files",
            Group::Move => "first.help_move",
            Group::Global => "first.help_global",
        }
    }
}

pub fn group(a: Action) -> Group {
    use Action::*;
    if keys::GLOBAL.contains(&a) || matches!(a, GoScreen(_)) {
        return Group::Global;
    }
    match a {
        Up | Down | PageUp | PageDown | Top | Bottom | CalDayPrev | CalDayNext | CalWeekPrev
        | CalWeekNext | CalMonthPrev | CalMonthNext | CalToday | CalOpenDay | CalLeaveDay
        | EditRanks | LeaveRanks | RcLines | RcLeaveLines | RcGoStudent | CalJump => Group::Move,
        ToggleView | Filter | ClearFilter | PrevYear | NextYear | DelegatesView | AsOf
        | AsOfToday | CalView | CalCheck | CalFilter | CalPrevTerm | CalNextTerm | CkPrevYear
        | CkNextYear | CkPrevList | CkNextList | CkFilter | CkSort | CkMine | CkPane
        | RcPrevTerm | RcNextTerm | RcView | RcFilter | RcSort | RcPane | CalClose
        | RcCloseReport => Group::Show,
        CopyForward | CalCopyTerm | CalImport | CalExport | CalImportGood | CkCopy
        | CkSaveTemplate | CkFromTemplate | RcImport | RcImportGood => Group::Files,
        _ => Group::Act,
    }
}

/// Pairs shown previous-first, whatever order the screen lists them in.
const PAIRS: &[(Action, Action)] = &[
    (Action::Up, Action::Down),
    (Action::PageUp, Action::PageDown),
    (Action::Top, Action::Bottom),
    (Action::PrevYear, Action::NextYear),
    (Action::CalPrevTerm, Action::CalNextTerm),
    (Action::CalDayPrev, Action::CalDayNext),
    (Action::CalWeekPrev, Action::CalWeekNext),
    (Action::CalMonthPrev, Action::CalMonthNext),
    (Action::CkPrevList, Action::CkNextList),
    (Action::CkPrevYear, Action::CkNextYear),
    (Action::RcPrevTerm, Action::RcNextTerm),
    (Action::RankUp, Action::RankDown),
    (Action::PrevScreen, Action::NextScreen),
    (Action::CalOpenDay, Action::CalLeaveDay),
    (Action::EditRanks, Action::LeaveRanks),
    (Action::RcLines, Action::RcLeaveLines),
    (Action::RcConfirm, Action::RcUnconfirm),
    (Action::RcDeem, Action::RcUndoDeem),
    (Action::Filter, Action::ClearFilter),
];

/// `actions` grouped ([`Group`] order, global last), the screen's order
/// kept within a group except that a pair's second follows its first.
pub fn ordered(actions: &[Action]) -> Vec<(Group, Vec<Action>)> {
    let mut seen: Vec<Action> = Vec::new();
    for &a in actions {
        if !seen.contains(&a) {
            seen.push(a);
        }
    }
    let mut out: Vec<(Group, Vec<Action>)> = Vec::new();
    let mut groups: Vec<Group> = seen.iter().map(|a| group(*a)).collect();
    groups.sort();
    groups.dedup();
    for g in groups {
        let mut list: Vec<Action> = Vec::new();
        for &a in seen.iter().filter(|a| group(**a) == g) {
            if list.contains(&a) {
                continue;
            }
            // The second of a pair waits for its first when both are here.
            if let Some(&(first, _)) = PAIRS.iter().find(|(_, b)| *b == a)
                && seen.contains(&first)
                && group(first) == g
                && !list.contains(&first)
            {
                list.push(first);
            }
            list.push(a);
            if let Some(&(_, second)) = PAIRS.iter().find(|(f, _)| *f == a)
                && seen.contains(&second)
                && group(second) == g
                && !list.contains(&second)
            {
                list.push(second);
            }
        }
        out.push((g, list));
    }
    out
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelpRow {
    Heading(String),
    /// (keys, description)
    Key(String, String),
}

pub struct Help {
    pub rows: Vec<HelpRow>,
    pub title: String,
    /// First line shown.
    pub scroll: usize,
    /// Lines of text and lines shown at the last draw (for paging and
    /// clamping the scroll).
    view: Cell<(usize, usize)>,
}

impl Help {
    pub fn new(screen_title: &str, actions: &[Action]) -> Help {
        let mut rows: Vec<HelpRow> = Vec::new();
        for (g, list) in ordered(actions) {
            let mut entries: Vec<HelpRow> = Vec::new();
            for a in list {
                if let Some(r) = row(a) {
                    let entry = HelpRow::Key(keys_label(a), tr(r.help).to_string());
                    if !entries.contains(&entry) && !rows.contains(&entry) {
                        entries.push(entry);
                    }
                }
            }
            if !entries.is_empty() {
                rows.push(HelpRow::Heading(tr(g.title_key()).to_string()));
                rows.extend(entries);
            }
        }
        Help {
            rows,
            title: crate::i18n::trf("help.title", &[("screen", screen_title.to_string())]),
            scroll: 0,
            view: Cell::new((usize::MAX, 1)),
        }
    }

    fn max_scroll(&self) -> usize {
        let (lines, shown) = self.view.get();
        lines.saturating_sub(shown)
    }

    /// Scrolling keys scroll; any other key closes. Returns true to close.
    pub fn handle_key(&mut self, ev: KeyEvent) -> bool {
        let page = self.view.get().1.max(1);
        let max = self.max_scroll();
        self.scroll = match ev.code {
            KeyCode::Down | KeyCode::Char('j') => self.scroll + 1,
            KeyCode::Up | KeyCode::Char('k') => self.scroll.saturating_sub(1),
            KeyCode::PageDown | KeyCode::Char(' ') => self.scroll + page,
            KeyCode::PageUp => self.scroll.saturating_sub(page),
            KeyCode::Home | KeyCode::Char('g') => 0,
            KeyCode::End | KeyCode::Char('G') => max,
            _ => return true,
        }
        .min(max);
        false
    }

    fn key_width(&self) -> usize {
        self.rows
            .iter()
            .map(|r| match r {
                HelpRow::Key(k, _) => width(k),
                HelpRow::Heading(_) => 0,
            })
            .max()
            .unwrap_or(0)
    }

    /// The help's lines at inner width `iw`: headings, and each key with
    /// its description wrapped beside it (the key column left blank under
    /// it); a key column too wide for `iw` puts the description below.
    pub fn lines(&self, iw: usize, theme: &Theme) -> Vec<Line<'static>> {
        let iw = iw.max(1);
        let key_w = self.key_width().min(iw / 3);
        let desc_w = iw.saturating_sub(key_w + 2).max(1);
        let mut out = Vec::new();
        for (i, r) in self.rows.iter().enumerate() {
            match r {
                HelpRow::Heading(h) => {
                    if i > 0 {
                        out.push(Line::from(""));
                    }
                    for l in wrap(h, iw) {
                        out.push(Line::styled(l, theme.header()));
                    }
                }
                HelpRow::Key(k, d) => {
                    // Keys wider than their column go on lines of their own.
                    let mut key = if width(k) > key_w {
                        for l in wrap(k, iw) {
                            out.push(Line::styled(l, theme.key()));
                        }
                        String::new()
                    } else {
                        k.clone()
                    };
                    for part in wrap(d, desc_w) {
                        out.push(Line::from(vec![
                            Span::styled(pad(&key, key_w), theme.key()),
                            Span::raw("  "),
                            Span::raw(part),
                        ]));
                        key.clear();
                    }
                }
            }
        }
        out
    }

    pub fn draw(&self, f: &mut Frame, area: Rect, theme: &Theme) {
        let key_w = self.key_width();
        let desc_w = self
            .rows
            .iter()
            .map(|r| match r {
                HelpRow::Key(_, d) => width(d),
                HelpRow::Heading(h) => width(h),
            })
            .max()
            .unwrap_or(0);
        let w = ((key_w + desc_w + 6) as u16).clamp(30, 78).min(area.width);
        let iw = w.saturating_sub(2) as usize;
        let body = self.lines(iw, theme);
        let close = wrap(tr("help.close"), iw.max(1));
        let h = ((body.len() + close.len() + 2).min(u16::MAX as usize) as u16).min(area.height);
        let inner = super::popup_frame(
            f,
            area,
            w,
            h,
            &self.title,
            theme.popup_border(),
            theme.title(),
        );
        if inner.width == 0 || inner.height == 0 {
            return;
        }
        let body_h = (inner.height as usize).saturating_sub(close.len()).max(1);
        self.view.set((body.len(), body_h));
        let scroll = self.scroll.min(body.len().saturating_sub(body_h));
        let mut lines: Vec<Line> = body.into_iter().skip(scroll).take(body_h).collect();
        while lines.len() < body_h {
            lines.push(Line::from(""));
        }
        lines.extend(close.into_iter().map(|l| Line::styled(l, theme.dim())));
        lines.truncate(inner.height as usize);
        f.render_widget(Paragraph::new(lines), inner);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyModifiers;

    fn k(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    fn rows_text(h: &Help, w: u16, ht: u16) -> Vec<String> {
        use ratatui::{Terminal, backend::TestBackend};
        let mut term = Terminal::new(TestBackend::new(w, ht)).unwrap();
        term.draw(|f| h.draw(f, f.area(), &Theme { color: false }))
            .unwrap();
        let buf = term.backend().buffer();
        (0..ht)
            .map(|y| {
                let mut row = String::new();
                let mut x = 0;
                while x < w {
                    let sym = buf[(x, y)].symbol();
                    row.push_str(sym);
                    x += width(sym).max(1) as u16;
                }
                row
            })
            .collect()
    }

    fn many() -> Vec<Action> {
        let mut v = vec![
            Action::CkDone,
            Action::CkNextList,
            Action::CkNextYear,
            Action::CkNew,
            Action::CkFilter,
            Action::CkPrevList,
            Action::CkPrevYear,
            Action::CkCopy,
            Action::CkSaveTemplate,
            Action::CkFromTemplate,
        ];
        v.extend(keys::NAV);
        v.extend_from_slice(keys::GLOBAL);
        v
    }

    #[test]
    fn groups_in_order_global_last_and_pairs_previous_first() {
        let g = ordered(&many());
        let groups: Vec<Group> = g.iter().map(|(g, _)| *g).collect();
        assert_eq!(
            groups,
            vec![
                Group::Act,
                Group::Show,
                Group::Files,
                Group::Move,
                Group::Global
            ]
        );
        let show = &g[1].1;
        let at = |a| show.iter().position(|x| *x == a).unwrap();
        assert!(
            at(Action::CkPrevList) + 1 == at(Action::CkNextList),
            "{show:?}"
        );
        assert!(
            at(Action::CkPrevYear) + 1 == at(Action::CkNextYear),
            "{show:?}"
        );
        assert!(g[4].1.contains(&Action::Quit));
        // The help rows: a heading per group, "{" before "}".
        let h = Help::new("t", &many());
        let keys: Vec<&str> = h
            .rows
            .iter()
            .filter_map(|r| match r {
                HelpRow::Key(k, _) => Some(k.as_str()),
                _ => None,
            })
            .collect();
        let pos = |k: &str| keys.iter().position(|x| *x == k).unwrap();
        assert!(pos("{") < pos("}"), "{keys:?}");
        assert!(pos("q/Ctrl-Q/Ctrl-C") > pos("}"), "{keys:?}");
        let headings = h
            .rows
            .iter()
            .filter(|r| matches!(r, HelpRow::Heading(_)))
            .count();
        assert_eq!(headings, 5);
    }

    #[test]
    fn wraps_at_any_width_and_loses_nothing() {
        crate::i18n::set_lang(crate::i18n::Lang::ZhTw);
        let h = Help::new("檢核表", &many());
        for w in [30u16, 40, 60, 80, 120] {
            let rows = rows_text(&h, w, 200);
            let text: String = rows
                .concat()
                .chars()
                .filter(|c| !c.is_whitespace() && *c != '│')
                .collect();
            for r in &h.rows {
                if let HelpRow::Key(_, d) = r {
                    let d: String = d.chars().filter(|c| !c.is_whitespace()).collect();
                    assert!(text.contains(&d), "w={w}: {d} cut\n{}", rows.join("\n"));
                }
            }
            assert!(rows.iter().all(|r| width(r) <= w as usize));
        }
    }

    #[test]
    fn scrolls_by_line_page_and_to_either_end() {
        crate::i18n::set_lang(crate::i18n::Lang::En);
        let mut h = Help::new("Checklists", &many());
        let first = rows_text(&h, 60, 12);
        let total = h.lines(58, &Theme { color: false }).len();
        assert!(total > 12, "needs scrolling to test it");
        assert!(!h.handle_key(k(KeyCode::PageDown)));
        let page = h.scroll;
        assert!(page > 1);
        assert_ne!(rows_text(&h, 60, 12), first);
        assert!(!h.handle_key(k(KeyCode::Char('j'))));
        assert_eq!(h.scroll, page + 1);
        assert!(!h.handle_key(k(KeyCode::Char('k'))));
        assert!(!h.handle_key(k(KeyCode::PageUp)));
        assert_eq!(h.scroll, 0);
        assert!(!h.handle_key(k(KeyCode::End)));
        let end = rows_text(&h, 60, 12).join("\n");
        assert!(end.contains("Quit"), "{end}");
        // Past the end stays at the end.
        let at_end = h.scroll;
        h.handle_key(k(KeyCode::PageDown));
        assert_eq!(h.scroll, at_end);
        assert!(!h.handle_key(k(KeyCode::Home)));
        assert_eq!(h.scroll, 0);
        assert!(h.handle_key(k(KeyCode::Esc)), "Esc closes");
        crate::i18n::set_lang(crate::i18n::Lang::ZhTw);
    }
}
