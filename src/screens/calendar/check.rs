//! Boxes the calendar screen draws over itself: the calendar check's
//! findings (severity, message, and the selected one's message and reason
//! in full), and reports (a copy's weekday drift, an import's bad rows).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Calendar, Report};
use crate::domain::calendar::Severity;
use crate::i18n::{tr, trf};
use crate::ui::calendar_text::{message, severity, summary, why};
use crate::ui::popup_frame;
use crate::ui::table::scroll_offset;
use crate::ui::text::{pad, truncate, width, wrap};
use crate::ui::theme::Theme;

pub(super) fn draw_check(cal: &Calendar, sel: usize, f: &mut Frame, area: Rect, t: &Theme) {
    // The whole screen: its frame takes the place of the screen's.
    let inner = popup_frame(
        f,
        area,
        area.width,
        area.height,
        &trf("calscreen.check_title", &[("term", cal.term.to_string())]),
        t.popup_border(),
        t.title(),
    );
    if inner.height == 0 || inner.width < 4 {
        return;
    }
    let iw = inner.width as usize;
    let mut lines = Vec::new();
    let mut head = summary(&cal.findings);
    if cal.other_findings > 0 {
        head += &trf(
            "calscreen.check_other_terms",
            &[("n", cal.other_findings.to_string())],
        );
    }
    let head_style = if cal.findings.is_empty() {
        t.ok()
    } else {
        t.warn()
    };
    lines.push(Line::styled(truncate(&head, iw), head_style));
    // The selected finding in full at the bottom: message, then why.
    let full: Vec<String> = cal
        .findings
        .get(sel)
        .map(|fd| {
            let mut v = wrap(&message(fd), iw);
            v.extend(wrap(&trf("calendar.check_why", &[("why", why(fd))]), iw));
            v
        })
        .unwrap_or_default();
    let total = inner.height as usize;
    let full_h = full.len().min(total.saturating_sub(3) / 2);
    let list_h = total.saturating_sub(1 + full_h + usize::from(full_h > 0));
    cal.page.set(list_h.max(1));
    let off = scroll_offset(sel, cal.check_offset.get(), list_h.max(1));
    cal.check_offset.set(off);
    let sev_w = [Severity::Error, Severity::Warning]
        .iter()
        .map(|s| width(severity(*s)))
        .max()
        .unwrap_or(0);
    for (i, fd) in cal.findings.iter().enumerate().skip(off).take(list_h) {
        let sev_style = match fd.severity {
            Severity::Error => t.error(),
            Severity::Warning => t.warn(),
        };
        let text = truncate(&message(fd), iw.saturating_sub(sev_w + 1));
        let mut spans = vec![
            Span::styled(pad(severity(fd.severity), sev_w), sev_style),
            Span::raw(" "),
            Span::raw(pad(&text, iw.saturating_sub(sev_w + 1))),
        ];
        if i == sel {
            for s in &mut spans {
                s.style = s.style.patch(t.selected());
            }
        }
        lines.push(Line::from(spans));
    }
    if cal.findings.is_empty() {
        lines.push(Line::styled(
            truncate(tr("calscreen.check_nothing"), iw),
            t.dim(),
        ));
    }
    while lines.len() < total.saturating_sub(full_h) {
        lines.push(Line::raw(""));
    }
    if full_h > 0 {
        // A rule between the list and the full text.
        lines.pop();
        lines.push(Line::styled("─".repeat(iw), t.dim()));
        for l in full.into_iter().take(full_h) {
            lines.push(Line::raw(l));
        }
    }
    f.render_widget(Paragraph::new(lines), inner);
}

pub(super) fn draw_report(r: &Report, f: &mut Frame, area: Rect, t: &Theme) {
    let lines: Vec<(String, bool)> = r.lines.iter().map(|l| (l.text.clone(), l.warn)).collect();
    crate::ui::draw_report(
        f,
        area,
        &r.title,
        &lines,
        r.question.as_deref(),
        r.scroll,
        t,
    );
}
