//! Publishing an academic year's submission checklists (學習歷程工作執行檢核表)
//! as the school prints them: print-ready HTML, Markdown and CSV (UTF-8 with
//! BOM and CRLF for Excel). ICS does not apply: a checklist is a table of
//! work items, not calendar events; the command line refuses it.
//!
//! The layout follows 靜心高中's printed table: one table per grade group,
//! columns 工作項目 / 負責單位 / 完成日期 / 執行情形, rows grouped by section
//! under a numbered heading row (一、行政規劃), items numbered 1. 2. … within
//! their section. 完成日期 keeps each window's text as written, with its
//! semester mark and term label, one per line.
//!
//! Pure: the caller picks the lists and writes the bytes. Text comes from the
//! string files in the UI language; dates in the chosen style.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::domain::checklist::{Checklist, Item, Status, Window, tally};
use crate::domain::roc::{DateStyle, format_date};
use crate::i18n::{self, tr, trf};
use crate::io::calendar_export::{Format, html_escape, md_cell};
use crate::io::csv_out::{Sheet, ours, text};

/// One academic year's checklists to publish.
pub struct ChecklistPublish<'a> {
    pub school_name: &'a str,
    pub year: i32,
    /// The lists with their items (sorted here by position).
    pub lists: &'a [(Checklist, Vec<Item>)],
    pub style: DateStyle,
    /// The day the file is made ("made on" line; what counts as overdue).
    pub generated_on: NaiveDate,
    /// Linked calendar windows: event id → last day (an item's due date
    /// follows its linked window).
    pub linked_end: &'a BTreeMap<i64, NaiveDate>,
}

/// Whether a format can carry a checklist (everything but ICS).
pub fn supports(format: Format) -> bool {
    !matches!(format, Format::Ics)
}

/// The publication in the format, as bytes to write. ICS (which a checklist
/// cannot be) gives the Markdown text; the command line refuses it before.
pub fn export(format: Format, p: &ChecklistPublish) -> Vec<u8> {
    match format {
        Format::Html => html(p).into_bytes(),
        Format::Markdown | Format::Ics => markdown(p).into_bytes(),
        Format::Csv => csv(p),
    }
}

// ---------------------------------------------------------------------------
// Shared pieces
// ---------------------------------------------------------------------------

/// A section number as the UI language writes it: 一, 二, … 十, 十一, 二十一
/// in Chinese (from `io.ck_digits`), I, II, … in English (when the digits
/// string is empty). Arabic beyond what the system covers.
pub fn numeral(n: usize) -> String {
    let digits: Vec<char> = tr("io.ck_digits").chars().collect();
    if digits.len() >= 11 {
        if n == 0 || n >= 100 {
            return n.to_string();
        }
        let (tens, ones) = (n / 10, n % 10);
        let mut s = String::new();
        if tens > 1 {
            s.push(digits[tens]);
        }
        if tens >= 1 {
            s.push(digits[10]);
        }
        if ones > 0 {
            s.push(digits[ones]);
        }
        s
    } else {
        roman(n)
    }
}

fn roman(mut n: usize) -> String {
    if n == 0 || n >= 4000 {
        return n.to_string();
    }
    const TABLE: [(usize, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    for (v, r) in TABLE {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

/// A window as the table writes it: `115.10.01~15（上）115-1`.
pub fn window_text(w: &Window) -> String {
    let mut s = w.text.trim().to_string();
    match w.semester {
        Some(1) => s.push_str(tr("io.ck_sem_1")),
        Some(2) => s.push_str(tr("io.ck_sem_2")),
        _ => {}
    }
    if let Some(l) = w.label.as_deref().map(str::trim).filter(|l| !l.is_empty()) {
        s.push_str(&trf("io.ck_label", &[("label", l.to_string())]));
    }
    s
}

/// A list's items grouped by section in the order the sections first
/// appear, each section's items in position order.
pub fn sections(items: &[Item]) -> Vec<(String, Vec<&Item>)> {
    let mut sorted: Vec<&Item> = items.iter().collect();
    sorted.sort_by_key(|i| (i.position, i.id));
    let mut out: Vec<(String, Vec<&Item>)> = Vec::new();
    for i in sorted {
        let name = i.section.trim();
        match out.iter_mut().find(|(s, _)| s == name) {
            Some((_, v)) => v.push(i),
            None => out.push((name.to_string(), vec![i])),
        }
    }
    out
}

impl ChecklistPublish<'_> {
    fn day(&self, d: NaiveDate) -> String {
        format_date(d, self.style)
    }

    fn linked(&self, i: &Item) -> Option<NaiveDate> {
        i.event_id.and_then(|e| self.linked_end.get(&e)).copied()
    }

    fn due(&self, i: &Item) -> Option<NaiveDate> {
        i.due(self.linked(i))
    }

    fn overdue(&self, i: &Item) -> bool {
        i.overdue(self.due(i), self.generated_on)
    }

    /// "{school} 115 學年度學生學習歷程工作執行檢核表（十二年級）".
    fn title(&self, c: &Checklist) -> String {
        trf(
            "io.ck_title",
            &[
                ("school", self.school_name.to_string()),
                ("year", c.year.to_string()),
                ("list", c.title.clone()),
            ],
        )
    }

    /// The document's title (several lists in one file).
    fn doc_title(&self) -> String {
        trf(
            "io.ck_doc_title",
            &[
                ("school", self.school_name.to_string()),
                ("year", self.year.to_string()),
            ],
        )
    }

    /// "已完成 10 / 21 項（不適用的不計）；逾期 2 項；製表日期 115.11.25".
    fn subtitle(&self, items: &[Item]) -> String {
        let refs: Vec<&Item> = items.iter().collect();
        let t = tally(&refs);
        let mut parts = vec![trf(
            "io.ck_progress",
            &[("done", t.done.to_string()), ("total", t.total.to_string())],
        )];
        let late = items.iter().filter(|i| self.overdue(i)).count();
        if late > 0 {
            parts.push(trf("io.ck_overdue_count", &[("n", late.to_string())]));
        }
        parts.push(trf(
            "io.export_made",
            &[("date", self.day(self.generated_on))],
        ));
        parts.join(tr("io.part_sep"))
    }

    /// The 完成日期 lines: each window, then the linked calendar window's
    /// last day when the item follows one.
    fn when_lines(&self, i: &Item) -> Vec<String> {
        let mut v: Vec<String> = i.windows.iter().map(window_text).collect();
        if let Some(end) = self.linked(i) {
            v.push(trf("io.ck_linked", &[("date", self.day(end))]));
        }
        v
    }

    /// The 執行情形 lines: "已完成 115.10.15 registry" (or the status and,
    /// when late, since when), then the note.
    fn status_lines(&self, i: &Item) -> Vec<String> {
        let mut first = vec![status_label(i.status).to_string()];
        if let Some(d) = i.done_on {
            first.push(self.day(d));
        }
        if let Some(who) = i
            .done_by
            .as_deref()
            .map(str::trim)
            .filter(|w| !w.is_empty())
        {
            first.push(who.to_string());
        }
        let mut line = first.join(" ");
        if self.overdue(i)
            && let Some(due) = self.due(i)
        {
            line.push_str(&trf("io.ck_overdue", &[("due", self.day(due))]));
        }
        let mut v = vec![line];
        let note = i.note.trim();
        if !note.is_empty() {
            v.extend(note.lines().map(|l| l.to_string()));
        }
        v
    }
}

fn status_label(s: Status) -> &'static str {
    tr(s.label_key())
}

fn section_heading(n: usize, name: &str) -> String {
    let name = if name.is_empty() {
        tr("io.ck_no_section").to_string()
    } else {
        name.to_string()
    };
    trf("io.ck_section", &[("n", numeral(n)), ("section", name)])
}

fn item_title(n: usize, i: &Item) -> String {
    trf(
        "io.ck_item",
        &[("n", n.to_string()), ("title", i.title.trim().to_string())],
    )
}

const HEADS: [&str; 4] = [
    "io.ck_head_item",
    "io.ck_head_units",
    "io.ck_head_when",
    "io.ck_head_status",
];

// ---------------------------------------------------------------------------
// HTML
// ---------------------------------------------------------------------------

const CSS: &str = "\
body { font-family: \"Noto Sans TC\", \"Microsoft JhengHei\", \"PingFang TC\", sans-serif; margin: 2em; color: #000; }
h1 { font-size: 1.3em; text-align: center; margin: 0 0 0.3em; }
p.meta { text-align: center; margin: 0 0 1em; font-size: 0.9em; }
table { width: 100%; border-collapse: collapse; font-size: 0.95em; margin-bottom: 2em; }
th, td { border: 1px solid #000; padding: 0.35em 0.5em; vertical-align: top; text-align: left; }
thead th { background: #e8e8e8; text-align: center; }
tr.section th { background: #f4f4f4; }
col.item { width: 38%; } col.units { width: 20%; } col.when { width: 22%; } col.status { width: 20%; }
td.when { white-space: nowrap; }
.late { font-weight: bold; }
.note { font-size: 0.85em; color: #333; }
tr { page-break-inside: avoid; break-inside: avoid; }
thead { display: table-header-group; }
section.list + section.list { break-before: page; page-break-before: always; }
@page { size: A4; margin: 15mm; }
@media print {
  body { margin: 0; }
  thead th, tr.section th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
";

fn escaped_lines(v: &[String]) -> String {
    v.iter()
        .map(|l| html_escape(l))
        .collect::<Vec<_>>()
        .join("<br>")
}

fn html(p: &ChecklistPublish) -> String {
    let mut s = String::new();
    s.push_str("<!DOCTYPE html>\n");
    s.push_str(&format!("<html lang=\"{}\">\n", i18n::lang().code()));
    s.push_str("<head>\n<meta charset=\"utf-8\">\n");
    s.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    s.push_str(&format!(
        "<title>{}</title>\n<style>\n{CSS}</style>\n",
        html_escape(&p.doc_title())
    ));
    s.push_str("</head>\n<body>\n");
    if p.lists.is_empty() {
        s.push_str(&format!("<h1>{}</h1>\n", html_escape(&p.doc_title())));
        s.push_str(&format!(
            "<p class=\"meta\">{}</p>\n",
            html_escape(tr("io.ck_no_lists"))
        ));
    }
    for (c, items) in p.lists {
        s.push_str("<section class=\"list\">\n");
        s.push_str(&format!("<h1>{}</h1>\n", html_escape(&p.title(c))));
        s.push_str(&format!(
            "<p class=\"meta\">{}</p>\n",
            html_escape(&p.subtitle(items))
        ));
        s.push_str("<table>\n<colgroup><col class=\"item\"><col class=\"units\"><col class=\"when\"><col class=\"status\"></colgroup>\n<thead>\n<tr>");
        for k in HEADS {
            s.push_str(&format!("<th>{}</th>", html_escape(tr(k))));
        }
        s.push_str("</tr>\n</thead>\n<tbody>\n");
        if items.is_empty() {
            s.push_str(&format!(
                "<tr><td colspan=\"4\">{}</td></tr>\n",
                html_escape(tr("io.ck_empty"))
            ));
        }
        for (n, (name, rows)) in sections(items).iter().enumerate() {
            s.push_str(&format!(
                "<tr class=\"section\"><th colspan=\"4\">{}</th></tr>\n",
                html_escape(&section_heading(n + 1, name))
            ));
            for (k, i) in rows.iter().enumerate() {
                let mut status = p.status_lines(i);
                let first = status.remove(0);
                let first = if p.overdue(i) {
                    format!("<span class=\"late\">{}</span>", html_escape(&first))
                } else {
                    html_escape(&first)
                };
                let notes = if status.is_empty() {
                    String::new()
                } else {
                    format!("<div class=\"note\">{}</div>", escaped_lines(&status))
                };
                s.push_str(&format!(
                    "<tr><td>{}</td><td>{}</td><td class=\"when\">{}</td><td>{first}{notes}</td></tr>\n",
                    html_escape(&item_title(k + 1, i)),
                    escaped_lines(&i.units),
                    escaped_lines(&p.when_lines(i)),
                ));
            }
        }
        s.push_str("</tbody>\n</table>\n</section>\n");
    }
    s.push_str("</body>\n</html>\n");
    s
}

// ---------------------------------------------------------------------------
// Markdown
// ---------------------------------------------------------------------------

fn markdown(p: &ChecklistPublish) -> String {
    let mut s = String::new();
    if p.lists.is_empty() {
        s.push_str(&format!(
            "# {}\n\n{}\n",
            md_cell(&p.doc_title()),
            md_cell(tr("io.ck_no_lists"))
        ));
    }
    for (n, (c, items)) in p.lists.iter().enumerate() {
        if n > 0 {
            s.push('\n');
        }
        s.push_str(&format!(
            "# {}\n\n{}\n\n",
            md_cell(&p.title(c)),
            md_cell(&p.subtitle(items))
        ));
        let heads: Vec<String> = HEADS.iter().map(|k| md_cell(tr(k))).collect();
        s.push_str(&format!("| {} |\n", heads.join(" | ")));
        s.push_str("| --- | --- | --- | --- |\n");
        if items.is_empty() {
            s.push_str(&format!("| {} | | | |\n", md_cell(tr("io.ck_empty"))));
        }
        for (k, (name, rows)) in sections(items).iter().enumerate() {
            s.push_str(&format!(
                "| **{}** | | | |\n",
                md_cell(&section_heading(k + 1, name))
            ));
            for (j, i) in rows.iter().enumerate() {
                s.push_str(&format!(
                    "| {} | {} | {} | {} |\n",
                    md_cell(&item_title(j + 1, i)),
                    md_cell(&i.units.join("\n")),
                    md_cell(&p.when_lines(i).join("\n")),
                    md_cell(&p.status_lines(i).join("\n")),
                ));
            }
        }
    }
    s
}

// ---------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------

/// The header keys of an exported CSV, in order.
pub const CSV_HEADS: [&str; 11] = [
    "io.ck_col_year",
    "io.ck_col_group",
    "io.ck_col_section",
    "io.ck_col_no",
    "io.ck_col_title",
    "io.ck_col_units",
    "io.ck_col_windows",
    "io.ck_col_status",
    "io.ck_col_done_on",
    "io.ck_col_done_by",
    "io.ck_col_note",
];

fn csv(p: &ChecklistPublish) -> Vec<u8> {
    let mut sheet = Sheet::new();
    let header: Vec<&str> = CSV_HEADS.iter().map(|k| tr(k)).collect();
    sheet.header(&header);
    for (c, items) in p.lists {
        for (name, rows) in sections(items) {
            for (k, i) in rows.iter().enumerate() {
                sheet.row(&[
                    ours(c.year.to_string()),
                    ours(c.group.code()),
                    text(name.as_str()),
                    ours((k + 1).to_string()),
                    text(i.title.trim()),
                    text(i.units.join(tr("list.sep"))),
                    text(p.when_lines(i).join(tr("io.part_sep"))),
                    ours(status_label(i.status)),
                    ours(i.done_on.map(|d| p.day(d)).unwrap_or_default()),
                    text(i.done_by.as_deref().unwrap_or_default()),
                    text(
                        i.note
                            .trim()
                            .replace("\r\n", "\n")
                            .replace('\n', tr("io.part_sep")),
                    ),
                ]);
            }
        }
    }
    sheet.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, set_lang};

    #[test]
    fn numerals_in_both_languages() {
        set_lang(Lang::ZhTw);
        let got: Vec<String> = [1, 2, 5, 10, 11, 19, 20, 21, 99, 100]
            .iter()
            .map(|n| numeral(*n))
            .collect();
        assert_eq!(
            got,
            vec![
                "一",
                "二",
                "五",
                "十",
                "十一",
                "十九",
                "二十",
                "二十一",
                "九十九",
                "100"
            ]
        );
        set_lang(Lang::En);
        assert_eq!(numeral(4), "IV");
        assert_eq!(numeral(14), "XIV");
        set_lang(Lang::ZhTw);
    }

    #[test]
    fn ics_is_not_a_checklist_format() {
        assert!(!supports(Format::Ics));
        assert!(supports(Format::Html) && supports(Format::Markdown) && supports(Format::Csv));
    }
}
