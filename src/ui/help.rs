//! The `?` overlay: every key of the current screen, from the key table.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::keys::{Action, keys_label, row};
use super::text::{pad, width, wrap};
use super::theme::Theme;
use crate::i18n::tr;

pub struct Help {
    /// (keys, description) rows.
    pub rows: Vec<(String, String)>,
    pub title: String,
    pub scroll: usize,
}

impl Help {
    pub fn new(screen_title: &str, actions: &[Action]) -> Help {
        let mut rows: Vec<(String, String)> = Vec::new();
        for &a in actions {
            if let Some(r) = row(a) {
                let entry = (keys_label(a), tr(r.help).to_string());
                if !rows.contains(&entry) {
                    rows.push(entry);
                }
            }
        }
        Help {
            rows,
            title: crate::i18n::trf("help.title", &[("screen", screen_title.to_string())]),
            scroll: 0,
        }
    }

    /// Any key other than scrolling closes the overlay. Returns true to close.
    pub fn handle_key(&mut self, ev: KeyEvent) -> bool {
        match ev.code {
            KeyCode::Down | KeyCode::Char('j') => {
                self.scroll = (self.scroll + 1).min(self.rows.len().saturating_sub(1));
                false
            }
            KeyCode::Up | KeyCode::Char('k') => {
                self.scroll = self.scroll.saturating_sub(1);
                false
            }
            _ => true,
        }
    }

    pub fn draw(&self, f: &mut Frame, area: Rect, theme: &Theme) {
        let key_w = self.rows.iter().map(|(k, _)| width(k)).max().unwrap_or(0);
        let desc_w = self.rows.iter().map(|(_, d)| width(d)).max().unwrap_or(0);
        let w = ((key_w + desc_w + 6) as u16).max(30).min(area.width);
        let desc_col = (w as usize).saturating_sub(key_w + 4).max(1);
        let body: usize = self.rows.iter().map(|(_, d)| wrap(d, desc_col).len()).sum();
        let h = ((body + 3).min(u16::MAX as usize) as u16).min(area.height);
        let inner = super::popup_frame(
            f,
            area,
            w,
            h,
            &self.title,
            theme.popup_border(),
            theme.title(),
        );
        let iw = inner.width as usize;
        let close = wrap(tr("help.close"), iw);
        let body_h = (inner.height as usize).saturating_sub(close.len());
        // A description wider than its column goes on under itself, the
        // key column left blank; the scroll moves by whole rows.
        let desc_w = iw.saturating_sub(key_w + 2).max(1);
        let mut lines: Vec<Line> = self
            .rows
            .iter()
            .skip(self.scroll)
            .flat_map(|(k, d)| {
                wrap(d, desc_w)
                    .into_iter()
                    .enumerate()
                    .map(move |(i, part)| {
                        let key = if i == 0 { k.as_str() } else { "" };
                        Line::from(vec![
                            Span::styled(pad(key, key_w), theme.key()),
                            Span::raw("  "),
                            Span::raw(part),
                        ])
                    })
            })
            .take(body_h)
            .collect();
        while lines.len() < body_h {
            lines.push(Line::from(""));
        }
        lines.extend(close.into_iter().map(|l| Line::styled(l, theme.dim())));
        f.render_widget(Paragraph::new(lines), inner);
    }
}
