//! Printing a meeting's agenda (會議議程) or minutes (會議紀錄): print-ready
//! HTML on A4, Markdown, and plain text laid out by display width (CJK is
//! two cells).
//!
//! The layout is the one Taiwanese schools print: the school's name, the
//! title 「學生學習歷程檔案工作小組 115 學年度第 2 次會議」, time, place,
//! chair and recorder; the attendance list (簽到表) with a blank signature
//! column on an agenda, the recorded attendance on minutes; then the
//! sections 壹、報告事項 貳、前次會議決議執行情形 參、討論事項 肆、臨時動議, items
//! numbered 一、二、… (motions 案由一：…) with their labelled fields.
//!
//! Pure: the caller builds the [`AgendaDoc`] and writes the bytes.

use crate::domain::agenda::{AgendaDoc, DocKind, DocSection};
use crate::domain::meeting::Section;
use crate::i18n::{self, tr, trf};
use crate::io::calendar_export::{html_escape, md_cell};
use crate::io::checklist_export::numeral;
use crate::ui::text::{pad, width, wrap};

/// The formats an agenda prints in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AgendaFormat {
    Html,
    Markdown,
    Text,
}

impl AgendaFormat {
    /// `html`/`htm`, `md`/`markdown`, `txt`/`text` (case does not matter).
    pub fn parse(s: &str) -> Option<AgendaFormat> {
        match s
            .trim()
            .trim_start_matches('.')
            .to_ascii_lowercase()
            .as_str()
        {
            "html" | "htm" => Some(AgendaFormat::Html),
            "md" | "markdown" => Some(AgendaFormat::Markdown),
            "txt" | "text" => Some(AgendaFormat::Text),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            AgendaFormat::Html => "html",
            AgendaFormat::Markdown => "md",
            AgendaFormat::Text => "txt",
        }
    }
}

/// The document in the format, as bytes to write.
pub fn export(format: AgendaFormat, doc: &AgendaDoc) -> Vec<u8> {
    match format {
        AgendaFormat::Html => html(doc),
        AgendaFormat::Markdown => markdown(doc),
        AgendaFormat::Text => text(doc),
    }
    .into_bytes()
}

// ---------------------------------------------------------------------------
// Shared pieces
// ---------------------------------------------------------------------------

/// 壹、貳、… in Chinese (`agenda.big_digits`), I, II, … where that is empty.
fn big_numeral(n: usize) -> String {
    let digits: Vec<char> = tr("agenda.big_digits").chars().collect();
    match digits.get(n.wrapping_sub(1)) {
        Some(c) if n >= 1 => c.to_string(),
        _ => numeral(n),
    }
}

fn section_heading(s: &DocSection) -> String {
    trf(
        "agenda.sec_heading",
        &[
            ("n", big_numeral(s.number)),
            ("section", tr(s.section.key()).to_string()),
        ],
    )
}

fn item_heading(sec: Section, n: usize, title: &str) -> String {
    let key = if sec == Section::Motion || sec == Section::Extempore {
        "agenda.motion_heading"
    } else {
        "agenda.item_heading"
    };
    trf(
        key,
        &[("n", numeral(n)), ("title", title.trim().to_string())],
    )
}

fn kind_label(doc: &AgendaDoc) -> &'static str {
    tr(match doc.kind {
        DocKind::Agenda => "agenda.kind_agenda",
        DocKind::Minutes => "agenda.kind_minutes",
    })
}

/// The attendance table's columns: 編號 職稱 姓名, then 簽名 on an agenda,
/// 出席情形 on minutes.
fn attendance_heads(doc: &AgendaDoc) -> [&'static str; 4] {
    [
        tr("agenda.col_no"),
        tr("agenda.col_seat"),
        tr("agenda.col_name"),
        match doc.kind {
            DocKind::Agenda => tr("agenda.col_sign"),
            DocKind::Minutes => tr("agenda.col_status"),
        },
    ]
}

fn attendance_title(doc: &AgendaDoc) -> String {
    match doc.kind {
        DocKind::Agenda => trf(
            "agenda.attendance_sign",
            &[
                ("attendance", tr("agenda.h_attendance").to_string()),
                ("sheet", tr("agenda.sign_sheet").to_string()),
            ],
        ),
        DocKind::Minutes => tr("agenda.h_attendance").to_string(),
    }
}

/// What an empty section says: nothing on an agenda's 臨時動議 (room is
/// left to write in at the meeting), （無） elsewhere.
fn empty_text(doc: &AgendaDoc, sec: &DocSection) -> Option<&'static str> {
    (sec.section != Section::Extempore || doc.kind == DocKind::Minutes)
        .then(|| tr("agenda.sec_empty"))
}

fn name_or_vacant(name: &str) -> String {
    if name.trim().is_empty() {
        tr("agenda.vacant").to_string()
    } else {
        name.trim().to_string()
    }
}

// ---------------------------------------------------------------------------
// HTML
// ---------------------------------------------------------------------------

const CSS: &str = "\
body { font-family: \"Noto Sans TC\", \"Microsoft JhengHei\", \"PingFang TC\", sans-serif; margin: 2em; color: #000; line-height: 1.5; }
h1 { font-size: 1.3em; text-align: center; margin: 0; }
h2 { font-size: 1.2em; text-align: center; margin: 0.2em 0 0.8em; }
p.kind { text-align: center; margin: 0 0 1em; font-size: 0.95em; }
table.meta { margin: 0 auto 1em; border-collapse: collapse; }
table.meta th { text-align: right; padding: 0.1em 0.6em 0.1em 0; font-weight: bold; white-space: nowrap; }
table.meta td { padding: 0.1em 0; }
h3 { font-size: 1.1em; margin: 1.2em 0 0.4em; break-after: avoid; page-break-after: avoid; }
table.attendance { width: 100%; border-collapse: collapse; font-size: 0.95em; }
table.attendance th, table.attendance td { border: 1px solid #000; padding: 0.35em 0.5em; text-align: left; vertical-align: middle; }
table.attendance thead th { background: #e8e8e8; text-align: center; }
table.attendance td.no { text-align: center; width: 3em; }
table.attendance td.sign { width: 35%; height: 2.2em; }
table.attendance tr { break-inside: avoid; page-break-inside: avoid; }
thead { display: table-header-group; }
section.part { margin-top: 1em; }
div.item { margin: 0 0 0.8em 1em; break-inside: avoid; page-break-inside: avoid; }
div.item h4 { font-size: 1em; margin: 0.4em 0 0.2em; }
dl.fields { margin: 0 0 0 1.5em; }
dl.fields dt { font-weight: bold; float: left; clear: left; margin-right: 0.3em; }
dl.fields dd { margin: 0 0 0.2em 5.5em; }
p.empty { margin: 0 0 0 1em; color: #333; }
div.blank { margin: 0 0 0 1em; height: 8em; border-bottom: 1px dashed #999; }
div.signs { margin-top: 3em; display: flex; justify-content: space-between; break-inside: avoid; page-break-inside: avoid; }
div.signs span { display: inline-block; min-width: 14em; border-top: 1px solid #000; padding-top: 0.2em; text-align: center; }
@page { size: A4; margin: 18mm 15mm; }
@media print {
  body { margin: 0; }
  table.attendance thead th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
";

/// Escaped, with line breaks kept.
fn html_lines(s: &str) -> String {
    s.lines().map(html_escape).collect::<Vec<_>>().join("<br>")
}

fn html(doc: &AgendaDoc) -> String {
    let h = &doc.header;
    let title = doc.title();
    let mut s = String::new();
    s.push_str("<!DOCTYPE html>\n");
    s.push_str(&format!("<html lang=\"{}\">\n", i18n::lang().code()));
    s.push_str("<head>\n<meta charset=\"utf-8\">\n");
    s.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    s.push_str(&format!(
        "<title>{}</title>\n<style>\n{CSS}</style>\n",
        html_escape(&title)
    ));
    s.push_str("</head>\n<body>\n");
    s.push_str(&format!("<h1>{}</h1>\n", html_escape(&h.school_name)));
    s.push_str(&format!("<h2>{}</h2>\n", html_escape(&title)));
    s.push_str(&format!(
        "<p class=\"kind\">{}</p>\n",
        html_escape(kind_label(doc))
    ));
    s.push_str("<table class=\"meta\">\n");
    for (label, value) in doc.header_lines() {
        s.push_str(&format!(
            "<tr><th>{}</th><td>{}</td></tr>\n",
            html_escape(&label),
            html_escape(&value)
        ));
    }
    s.push_str("</table>\n");

    s.push_str("<section class=\"attendance\">\n");
    s.push_str(&format!(
        "<h3>{}</h3>\n",
        html_escape(&attendance_title(doc))
    ));
    s.push_str("<table class=\"attendance\">\n<thead>\n<tr>");
    for head in attendance_heads(doc) {
        s.push_str(&format!("<th>{}</th>", html_escape(head)));
    }
    s.push_str("</tr>\n</thead>\n<tbody>\n");
    if doc.attendance.is_empty() {
        s.push_str(&format!(
            "<tr><td colspan=\"4\">{}</td></tr>\n",
            html_escape(tr("agenda.no_attendance"))
        ));
    }
    for (n, a) in doc.attendance.iter().enumerate() {
        let last = match &a.status {
            Some(st) => format!("<td>{}</td>", html_escape(st)),
            None => "<td class=\"sign\"></td>".to_string(),
        };
        s.push_str(&format!(
            "<tr><td class=\"no\">{}</td><td>{}</td><td>{}</td>{last}</tr>\n",
            n + 1,
            html_escape(&a.seat),
            html_escape(&name_or_vacant(&a.name)),
        ));
    }
    s.push_str("</tbody>\n</table>\n</section>\n");

    for sec in &doc.sections {
        s.push_str("<section class=\"part\">\n");
        s.push_str(&format!(
            "<h3>{}</h3>\n",
            html_escape(&section_heading(sec))
        ));
        if sec.items.is_empty() {
            match empty_text(doc, sec) {
                Some(t) => s.push_str(&format!("<p class=\"empty\">{}</p>\n", html_escape(t))),
                None => s.push_str("<div class=\"blank\"></div>\n"),
            }
        }
        for it in &sec.items {
            s.push_str("<div class=\"item\">\n");
            s.push_str(&format!(
                "<h4>{}</h4>\n",
                html_escape(&item_heading(sec.section, it.number, &it.item.title))
            ));
            let fields = doc.fields(sec.section, &it.item);
            if !fields.is_empty() {
                s.push_str("<dl class=\"fields\">\n");
                for (label, value) in fields {
                    s.push_str(&format!(
                        "<dt>{}</dt><dd>{}</dd>\n",
                        html_escape(&trf("agenda.label", &[("label", label)])),
                        html_lines(&value)
                    ));
                }
                s.push_str("</dl>\n");
            }
            s.push_str("</div>\n");
        }
        s.push_str("</section>\n");
    }
    if doc.kind == DocKind::Minutes {
        s.push_str(&format!(
            "<p>{}</p>\n<div class=\"signs\"><span>{}</span><span>{}</span></div>\n",
            html_escape(tr("agenda.adjourn")),
            html_escape(tr("agenda.chair_sign")),
            html_escape(tr("agenda.recorder_sign")),
        ));
    }
    s.push_str("</body>\n</html>\n");
    s
}

// ---------------------------------------------------------------------------
// Markdown
// ---------------------------------------------------------------------------

/// A paragraph line: what a line could start with to mean Markdown (#, -,
/// >, 1.) is escaped, and `<` `>` as in a cell.
fn md_text(s: &str) -> String {
    let t = md_cell(s).replace("<br>", "  \n");
    match t.chars().next() {
        Some('#' | '-' | '+' | '*' | '>' | '=') => format!("\\{t}"),
        _ => t,
    }
}

fn markdown(doc: &AgendaDoc) -> String {
    let h = &doc.header;
    let mut s = format!(
        "# {}\n\n## {}\n\n{}\n\n",
        md_text(&h.school_name),
        md_text(&doc.title()),
        md_text(kind_label(doc))
    );
    for (label, value) in doc.header_lines() {
        s.push_str(&format!(
            "- **{}**{}\n",
            md_cell(&label),
            md_cell(&trf("agenda.label_value", &[("value", value)]))
        ));
    }
    s.push_str(&format!("\n### {}\n\n", md_text(&attendance_title(doc))));
    let heads: Vec<String> = attendance_heads(doc).iter().map(|x| md_cell(x)).collect();
    s.push_str(&format!(
        "| {} |\n| --- | --- | --- | --- |\n",
        heads.join(" | ")
    ));
    if doc.attendance.is_empty() {
        s.push_str(&format!(
            "| | {} | | |\n",
            md_cell(tr("agenda.no_attendance"))
        ));
    }
    for (n, a) in doc.attendance.iter().enumerate() {
        s.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            n + 1,
            md_cell(&a.seat),
            md_cell(&name_or_vacant(&a.name)),
            md_cell(a.status.as_deref().unwrap_or(""))
        ));
    }
    for sec in &doc.sections {
        s.push_str(&format!("\n## {}\n\n", md_text(&section_heading(sec))));
        if sec.items.is_empty()
            && let Some(t) = empty_text(doc, sec)
        {
            s.push_str(&format!("{}\n", md_text(t)));
        }
        for (k, it) in sec.items.iter().enumerate() {
            if k > 0 {
                s.push('\n');
            }
            s.push_str(&format!(
                "### {}\n",
                md_text(&item_heading(sec.section, it.number, &it.item.title))
            ));
            let fields = doc.fields(sec.section, &it.item);
            if !fields.is_empty() {
                s.push('\n');
            }
            for (label, value) in fields {
                let mut lines = value.lines();
                let first = lines.next().unwrap_or_default();
                s.push_str(&format!(
                    "- **{}**{}\n",
                    md_cell(&label),
                    md_cell(&trf("agenda.label_value", &[("value", first.to_string())]))
                ));
                for l in lines {
                    // A backslash at the end is a hard line break.
                    s.insert(s.len() - 1, '\\');
                    s.push_str(&format!("  {}\n", md_text(l)));
                }
            }
        }
    }
    if doc.kind == DocKind::Minutes {
        let sign = |k: &str| md_text(&trf("agenda.label", &[("label", tr(k).to_string())]));
        s.push_str(&format!(
            "\n{}\n\n{}\n\n{}\n",
            md_text(tr("agenda.adjourn")),
            sign("agenda.chair_sign"),
            sign("agenda.recorder_sign")
        ));
    }
    s
}

// ---------------------------------------------------------------------------
// Plain text
// ---------------------------------------------------------------------------

/// The printed line width, in cells.
const TEXT_WIDTH: usize = 72;

fn centred(s: &str) -> String {
    let w = width(s);
    if w >= TEXT_WIDTH {
        return s.to_string();
    }
    format!("{}{s}", " ".repeat((TEXT_WIDTH - w) / 2))
}

/// `label：value` wrapped to the line with a hanging indent under the value.
fn labelled(out: &mut String, indent: usize, label: &str, value: &str) {
    let head = trf("agenda.label", &[("label", label.to_string())]);
    let lead = indent + width(&head);
    let room = TEXT_WIDTH.saturating_sub(lead).max(16);
    let mut first = true;
    for para in value.lines() {
        for line in wrap(para, room) {
            if first {
                out.push_str(&format!("{}{head}{line}\n", " ".repeat(indent)));
                first = false;
            } else {
                out.push_str(&format!("{}{line}\n", " ".repeat(lead)));
            }
        }
    }
    if first {
        out.push_str(&format!("{}{head}\n", " ".repeat(indent)));
    }
}

fn text(doc: &AgendaDoc) -> String {
    let h = &doc.header;
    let mut s = String::new();
    s.push_str(&centred(&h.school_name));
    s.push('\n');
    for l in wrap(&doc.title(), TEXT_WIDTH) {
        s.push_str(&centred(&l));
        s.push('\n');
    }
    s.push_str(&centred(kind_label(doc)));
    s.push_str("\n\n");
    for (label, value) in doc.header_lines() {
        labelled(&mut s, 0, &label, &value);
    }
    s.push('\n');
    s.push_str(&attendance_title(doc));
    s.push('\n');
    let heads = attendance_heads(doc);
    let no_w = width(heads[0])
        .max(width(&doc.attendance.len().to_string()))
        .max(2);
    let seat_w = doc
        .attendance
        .iter()
        .map(|a| width(&a.seat))
        .chain([width(heads[1])])
        .max()
        .unwrap_or(8)
        .min(24);
    let name_w = doc
        .attendance
        .iter()
        .map(|a| width(&name_or_vacant(&a.name)))
        .chain([width(heads[2])])
        .max()
        .unwrap_or(8)
        .min(16);
    s.push_str(
        format!(
            "{}  {}  {}  {}",
            pad(heads[0], no_w),
            pad(heads[1], seat_w),
            pad(heads[2], name_w),
            heads[3]
        )
        .trim_end(),
    );
    s.push('\n');
    if doc.attendance.is_empty() {
        s.push_str(tr("agenda.no_attendance"));
        s.push('\n');
    }
    for (n, a) in doc.attendance.iter().enumerate() {
        let last = match &a.status {
            Some(st) => st.clone(),
            None => "_".repeat(20),
        };
        s.push_str(&format!(
            "{}  {}  {}  {last}\n",
            pad(&(n + 1).to_string(), no_w),
            pad(&a.seat, seat_w),
            pad(&name_or_vacant(&a.name), name_w),
        ));
    }
    for sec in &doc.sections {
        s.push('\n');
        s.push_str(&section_heading(sec));
        s.push('\n');
        if sec.items.is_empty() {
            match empty_text(doc, sec) {
                Some(t) => s.push_str(&format!("  {t}\n")),
                None => s.push_str("\n\n\n"),
            }
        }
        for it in &sec.items {
            for (k, l) in wrap(
                &item_heading(sec.section, it.number, &it.item.title),
                TEXT_WIDTH - 2,
            )
            .into_iter()
            .enumerate()
            {
                s.push_str(if k == 0 { "  " } else { "    " });
                s.push_str(&l);
                s.push('\n');
            }
            for (label, value) in doc.fields(sec.section, &it.item) {
                labelled(&mut s, 4, &label, &value);
            }
        }
    }
    if doc.kind == DocKind::Minutes {
        let sign = |k: &str| trf("agenda.label", &[("label", tr(k).to_string())]);
        s.push_str(&format!(
            "\n{}\n\n{}____________________    {}____________________\n",
            tr("agenda.adjourn"),
            sign("agenda.chair_sign"),
            sign("agenda.recorder_sign")
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_parse_by_name_and_extension() {
        assert_eq!(AgendaFormat::parse("HTML"), Some(AgendaFormat::Html));
        assert_eq!(AgendaFormat::parse(".md"), Some(AgendaFormat::Markdown));
        assert_eq!(AgendaFormat::parse("txt"), Some(AgendaFormat::Text));
        assert_eq!(AgendaFormat::parse("ics"), None);
        assert_eq!(AgendaFormat::Text.extension(), "txt");
    }

    #[test]
    fn big_numerals_follow_the_language() {
        i18n::set_lang(i18n::Lang::ZhTw);
        assert_eq!(big_numeral(1), "壹");
        assert_eq!(big_numeral(4), "肆");
        i18n::set_lang(i18n::Lang::En);
        assert_eq!(big_numeral(4), "IV");
        i18n::set_lang(i18n::Lang::ZhTw);
    }
}
