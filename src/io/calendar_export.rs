//! Publishing a term's calendar: print-ready HTML, Markdown, ICS (Google
//! Calendar / Outlook) and CSV (UTF-8 with BOM for Excel, readable back by
//! [`crate::io::calendar_csv::read_events`]).
//!
//! Pure: the caller picks the term's events and writes the bytes. Text comes
//! from the string files in the UI language; dates in the chosen style.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};

use crate::domain::calendar::{Event, Grades, TermInfo};
use crate::domain::committee::RowMeta;
use crate::domain::roc::{DateRange, DateStyle, Term, format_date, format_range};
use crate::i18n::{self, Localized, tr, trf};
use crate::io::calendar_csv::Column;
use crate::io::csv_out::{Cell, Sheet, ours, text};
use crate::store::EventRec;

/// What to publish as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Html,
    Markdown,
    Ics,
    Csv,
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Html, Format::Markdown, Format::Ics, Format::Csv];

    /// `html`/`htm`, `md`/`markdown`, `ics`/`ical`, `csv` (case does not matter).
    pub fn parse(s: &str) -> Option<Format> {
        match s
            .trim()
            .trim_start_matches('.')
            .to_ascii_lowercase()
            .as_str()
        {
            "html" | "htm" => Some(Format::Html),
            "md" | "markdown" => Some(Format::Markdown),
            "ics" | "ical" | "icalendar" => Some(Format::Ics),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }

    /// The file name extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Markdown => "md",
            Format::Ics => "ics",
            Format::Csv => "csv",
        }
    }
}

/// A term's calendar to publish.
pub struct Publish<'a> {
    pub school_name: &'a str,
    pub term: &'a TermInfo,
    /// The term's events (the caller filters); sorted here by start date.
    pub events: &'a [EventRec],
    pub style: DateStyle,
    /// The day the file is made ("made on" lines).
    pub generated_on: NaiveDate,
    /// The moment the file is made (ICS DTSTAMP); the caller's clock, so
    /// tests and golden files can fix it.
    pub generated_at: DateTime<Utc>,
}

impl Publish<'_> {
    fn sorted(&self) -> Vec<&EventRec> {
        let mut v: Vec<&EventRec> = self.events.iter().collect();
        v.sort_by_key(|r| (r.event.span.start, r.event.span.end, r.event.id));
        v
    }

    fn range(&self, r: &DateRange) -> String {
        format_range(r, self.style)
    }

    fn day(&self, d: NaiveDate) -> String {
        format_date(d, self.style)
    }

    /// "臺北市私立靜心高級中學 111 學年度第 2 學期學習歷程檔案作業日程表".
    fn title(&self) -> String {
        trf(
            "io.export_title",
            &[
                ("school", self.school_name.to_string()),
                ("term", term_name(self.term)),
            ],
        )
    }

    /// "學期 112.02.01~07.31；休業式 112.06.30；製表 115.11.25".
    fn subtitle(&self) -> String {
        let mut parts = vec![trf(
            "io.export_span",
            &[("span", self.range(&self.term.span))],
        )];
        if let Some(c) = self.term.closing {
            parts.push(trf("io.export_closing", &[("date", self.day(c))]));
        }
        parts.push(trf(
            "io.export_made",
            &[("date", self.day(self.generated_on))],
        ));
        parts.join(tr("io.part_sep"))
    }

    /// The title of the national window an event prepares for.
    fn target_title(&self, e: &Event) -> Option<&str> {
        let id = e.prepares_for?;
        self.events
            .iter()
            .find(|r| r.event.id == id)
            .map(|r| r.event.title.as_str())
    }
}

/// "111 學年度第 2 學期".
pub fn term_name(t: &TermInfo) -> String {
    trf(
        "io.term_name",
        &[
            ("year", t.term.year.to_string()),
            ("semester", t.term.semester.to_string()),
        ],
    )
}

fn grades_text(g: Grades) -> String {
    if g.is_empty() {
        tr("calendar.grades_all").to_string()
    } else {
        trf(
            "io.grades",
            &[(
                "list",
                g.list()
                    .iter()
                    .map(|n| n.to_string())
                    .collect::<Vec<_>>()
                    .join(tr("list.sep")),
            )],
        )
    }
}

fn units_text(e: &Event) -> String {
    e.units.join(tr("list.sep"))
}

/// "全國期限" / "校內" and the preparation link and notes, for the last column.
fn remark_parts(p: &Publish, e: &Event) -> Vec<String> {
    let mut v = vec![
        if e.national {
            tr("calendar.national")
        } else {
            tr("calendar.internal")
        }
        .to_string(),
    ];
    if let Some(t) = p.target_title(e) {
        v.push(trf("io.prepares_for", &[("title", t.to_string())]));
    }
    if !e.notes.trim().is_empty() {
        v.push(e.notes.trim().to_string());
    }
    v
}

/// Why a publication cannot be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// An ICS file needs at least one event (RFC 5545 §3.4: a VCALENDAR
    /// holds one or more components); the term has no windows to publish.
    IcsNoWindows { term: Term },
}

impl Localized for Refused {
    fn message_key(&self) -> &'static str {
        match self {
            Refused::IcsNoWindows { .. } => "ics.no_windows",
        }
    }

    fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            Refused::IcsNoWindows { term } => vec![("term", term.to_string())],
        }
    }
}

/// Whether `format` can publish `n_events` windows of `term`: an ICS file
/// of none is refused, the other formats say the term is empty.
pub fn check(format: Format, term: Term, n_events: usize) -> Result<(), Refused> {
    if format == Format::Ics && n_events == 0 {
        return Err(Refused::IcsNoWindows { term });
    }
    Ok(())
}

/// The publication in the format, as bytes to write.
pub fn export(format: Format, p: &Publish) -> Result<Vec<u8>, Refused> {
    check(format, p.term.term, p.events.len())?;
    Ok(match format {
        Format::Html => html(p).into_bytes(),
        Format::Markdown => markdown(p).into_bytes(),
        Format::Ics => ics(p).into_bytes(),
        Format::Csv => csv(p),
    })
}

// ---------------------------------------------------------------------------
// HTML
// ---------------------------------------------------------------------------

/// `&`, `<`, `>`, `"`, `'` escaped.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Escaped, with line breaks kept.
fn html_lines(s: &str) -> String {
    s.lines().map(html_escape).collect::<Vec<_>>().join("<br>")
}

const CSS: &str = "\
body { font-family: \"Noto Sans TC\", \"Microsoft JhengHei\", \"PingFang TC\", sans-serif; margin: 2em; color: #000; }
h1 { font-size: 1.4em; text-align: center; margin: 0 0 0.3em; }
p.meta { text-align: center; margin: 0 0 1em; font-size: 0.9em; }
table { width: 100%; border-collapse: collapse; font-size: 0.95em; }
th, td { border: 1px solid #000; padding: 0.35em 0.5em; vertical-align: top; text-align: left; }
th { background: #e8e8e8; }
td.when { white-space: nowrap; }
tr.national td { background: #f4f4f4; }
.sub { font-size: 0.85em; color: #333; }
.mark { font-weight: bold; }
tr { page-break-inside: avoid; break-inside: avoid; }
thead { display: table-header-group; }
@page { size: A4; margin: 15mm; }
@media print {
  body { margin: 0; }
  th, tr.national td { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
";

fn html(p: &Publish) -> String {
    let title = html_escape(&p.title());
    let mut s = String::new();
    s.push_str("<!DOCTYPE html>\n");
    s.push_str(&format!("<html lang=\"{}\">\n", i18n::lang().code()));
    s.push_str("<head>\n<meta charset=\"utf-8\">\n");
    s.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    s.push_str(&format!("<title>{title}</title>\n<style>\n{CSS}</style>\n"));
    s.push_str("</head>\n<body>\n");
    s.push_str(&format!("<h1>{title}</h1>\n"));
    s.push_str(&format!(
        "<p class=\"meta\">{}</p>\n",
        html_escape(&p.subtitle())
    ));
    s.push_str("<table>\n<thead>\n<tr>");
    for k in [
        "io.head_when",
        "io.head_what",
        "io.head_units",
        "io.head_notes",
    ] {
        s.push_str(&format!("<th>{}</th>", html_escape(tr(k))));
    }
    s.push_str("</tr>\n</thead>\n<tbody>\n");
    let events = p.sorted();
    if events.is_empty() {
        s.push_str(&format!(
            "<tr><td colspan=\"4\">{}</td></tr>\n",
            html_escape(tr("io.export_empty"))
        ));
    }
    for r in events {
        let e = &r.event;
        let class = if e.national {
            " class=\"national\""
        } else {
            ""
        };
        let sub = format!(
            "{}{}{}",
            tr(e.phase.label_key()),
            tr("io.part_sep"),
            grades_text(e.grades)
        );
        let mut remarks = remark_parts(p, e);
        let mark = remarks.remove(0);
        let mut notes = format!("<span class=\"mark\">{}</span>", html_escape(&mark));
        for r in remarks {
            notes.push_str("<br>");
            notes.push_str(&html_lines(&r));
        }
        s.push_str(&format!(
            "<tr{class}><td class=\"when\">{}</td><td>{}<div class=\"sub\">{}</div></td><td>{}</td><td>{}</td></tr>\n",
            html_escape(&p.range(&e.span)),
            html_lines(&e.title),
            html_escape(&sub),
            e.units.iter().map(|u| html_escape(u)).collect::<Vec<_>>().join("<br>"),
            notes,
        ));
    }
    s.push_str("</tbody>\n</table>\n</body>\n</html>\n");
    s
}

// ---------------------------------------------------------------------------
// Markdown
// ---------------------------------------------------------------------------

/// A table cell: `\`, `|`, `<`, `>` escaped, line breaks as `<br>`.
pub fn md_cell(s: &str) -> String {
    s.trim()
        .replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace("\r\n", "\n")
        .replace('\n', "<br>")
}

fn markdown(p: &Publish) -> String {
    let mut s = format!(
        "# {}\n\n{}\n\n",
        md_cell(&p.title()),
        md_cell(&p.subtitle())
    );
    let heads: Vec<String> = [
        "io.head_when",
        "io.head_what",
        "io.head_units",
        "io.head_notes",
    ]
    .iter()
    .map(|k| md_cell(tr(k)))
    .collect();
    s.push_str(&format!("| {} |\n", heads.join(" | ")));
    s.push_str("| --- | --- | --- | --- |\n");
    let events = p.sorted();
    if events.is_empty() {
        s.push_str(&format!("| {} | | | |\n", md_cell(tr("io.export_empty"))));
    }
    for r in events {
        let e = &r.event;
        let what = trf(
            "io.what_with_phase",
            &[
                ("title", e.title.clone()),
                ("phase", tr(e.phase.label_key()).to_string()),
                ("grades", grades_text(e.grades)),
            ],
        );
        s.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            md_cell(&p.range(&e.span)),
            md_cell(&what),
            md_cell(&units_text(e)),
            md_cell(&remark_parts(p, e).join(tr("io.part_sep"))),
        ));
    }
    s
}

// ---------------------------------------------------------------------------
// ICS (RFC 5545)
// ---------------------------------------------------------------------------

/// TEXT value escaping: `\`, `;`, `,` and line breaks.
pub fn ics_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            _ => out.push(c),
        }
    }
    out
}

/// One content line, folded at 75 octets on character boundaries (each
/// continuation starts with a space), ending in CRLF.
pub fn ics_fold(line: &str) -> String {
    const MAX: usize = 75;
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3 + 2);
    let mut used = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if used + n > MAX {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += n;
    }
    out.push_str("\r\n");
    out
}

fn ics_date(d: NaiveDate) -> String {
    format!("{:04}{:02}{:02}", d.year(), d.month(), d.day())
}

/// A UTC DATE-TIME value: `YYYYMMDDTHHMMSSZ`.
pub fn ics_utc(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// When a row last changed, from its `updated_at` (RFC 3339 with an offset,
/// as the store writes it). A time without an offset is taken as Taipei
/// time (UTC+8); a bare date as its midnight there. None if unreadable.
pub fn changed_at(meta: &RowMeta) -> Option<DateTime<Utc>> {
    let s = meta.updated_at.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    let taipei = chrono::FixedOffset::east_opt(8 * 3600)?;
    let naive = ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
        .or_else(|| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
        })?;
    taipei
        .from_local_datetime(&naive)
        .single()
        .map(|t| t.with_timezone(&Utc))
}

/// The SEQUENCE of a row: its version less one (a new row, version 1, is 0),
/// so every saved change makes calendar programs take the new copy.
pub fn ics_sequence(meta: &RowMeta) -> i64 {
    (meta.version - 1).max(0)
}

fn ics(p: &Publish) -> String {
    let mut lines: Vec<String> = vec![
        "BEGIN:VCALENDAR".into(),
        "VERSION:2.0".into(),
        format!(
            "PRODID:-//portfolio-desk//Term calendar//{}",
            i18n::lang().code().to_ascii_uppercase()
        ),
        "CALSCALE:GREGORIAN".into(),
        format!("X-WR-CALNAME:{}", ics_escape(&p.title())),
        "X-WR-TIMEZONE:Asia/Taipei".into(),
    ];
    // No METHOD: a plain published file, not an iTIP message (RFC 5546
    // would then require an ORGANIZER).
    let stamp = ics_utc(p.generated_at);
    for r in p.sorted() {
        let e = &r.event;
        let mut desc = vec![
            trf(
                "io.ics_phase",
                &[("phase", tr(e.phase.label_key()).to_string())],
            ),
            trf("io.ics_grades", &[("grades", grades_text(e.grades))]),
        ];
        if !e.units.is_empty() {
            desc.push(trf("io.ics_units", &[("units", units_text(e))]));
        }
        desc.push(remark_parts(p, e).join(tr("io.part_sep")));
        lines.push("BEGIN:VEVENT".into());
        lines.push(format!("UID:{}", ics_escape(&r.uid)));
        lines.push(format!("DTSTAMP:{stamp}"));
        lines.push(format!("SEQUENCE:{}", ics_sequence(&r.meta)));
        // An unreadable change time falls back to the moment of export.
        let changed = changed_at(&r.meta).unwrap_or(p.generated_at);
        lines.push(format!("LAST-MODIFIED:{}", ics_utc(changed)));
        lines.push(format!("DTSTART;VALUE=DATE:{}", ics_date(e.span.start)));
        lines.push(format!(
            "DTEND;VALUE=DATE:{}",
            ics_date(e.span.end + Duration::days(1))
        ));
        lines.push(format!("SUMMARY:{}", ics_escape(&e.title)));
        lines.push(format!("DESCRIPTION:{}", ics_escape(&desc.join("\n"))));
        lines.push(format!(
            "CATEGORIES:{}",
            ics_escape(tr(e.phase.label_key()))
        ));
        lines.push("TRANSP:TRANSPARENT".into());
        lines.push("END:VEVENT".into());
    }
    lines.push("END:VCALENDAR".into());
    lines.iter().map(|l| ics_fold(l)).collect()
}

// ---------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------

/// The columns an exported CSV has, in order.
pub const CSV_COLUMNS: [Column; 10] = [
    Column::Term,
    Column::Start,
    Column::End,
    Column::Title,
    Column::Phase,
    Column::Grades,
    Column::Units,
    Column::National,
    Column::PreparesFor,
    Column::Notes,
];

fn csv(p: &Publish) -> Vec<u8> {
    let mut sheet = Sheet::new();
    let header: Vec<&str> = CSV_COLUMNS.iter().map(|c| tr(c.label_key())).collect();
    sheet.header(&header);
    for r in p.sorted() {
        let e = &r.event;
        let row: Vec<Cell> = CSV_COLUMNS
            .iter()
            .map(|c| match c {
                Column::Term => ours(e.term.to_string()),
                Column::Start => ours(p.day(e.span.start)),
                Column::End => ours(p.day(e.span.end)),
                Column::Title => text(e.title.as_str()),
                Column::Phase => ours(tr(e.phase.label_key())),
                Column::Grades => ours(e.grades.code()),
                Column::Units => text(units_text(e)),
                Column::National => ours(tr(if e.national { "io.yes" } else { "io.no" })),
                Column::PreparesFor => text(p.target_title(e).unwrap_or("")),
                Column::Notes => text(e.notes.as_str()),
                Column::Dates => ours(p.range(&e.span)),
            })
            .collect();
        sheet.row(&row);
    }
    sheet.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_keeps_lines_short_and_rejoins() {
        let line = format!("SUMMARY:{}", "學".repeat(60));
        let folded = ics_fold(&line);
        for l in folded.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets", l.len());
        }
        assert_eq!(folded.replace("\r\n ", "").trim_end(), line);
    }

    #[test]
    fn folding_never_splits_a_character_at_any_offset() {
        // 0..4 ASCII octets ahead of 3- and 4-octet characters put the fold
        // point inside a character at every offset.
        for lead in 0..4 {
            let line = format!("SUMMARY:{}{}", "a".repeat(lead), "學𠀋".repeat(40));
            let folded = ics_fold(&line);
            for l in folded.as_bytes().split(|&b| b == b'\n') {
                let l = l.strip_suffix(b"\r").unwrap_or(l);
                assert!(l.len() <= 75, "{} octets", l.len());
                assert!(std::str::from_utf8(l).is_ok(), "{lead}: {l:?}");
            }
            assert_eq!(folded.replace("\r\n ", "").trim_end(), line);
        }
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(ics_escape("a\\b;c,d\r\ne\nf"), "a\\\\b\\;c\\,d\\ne\\nf");
    }

    fn meta(version: i64, updated_at: &str) -> RowMeta {
        RowMeta {
            version,
            updated_at: updated_at.into(),
            updated_by: String::new(),
        }
    }

    #[test]
    fn sequence_is_the_version_less_one() {
        assert_eq!(ics_sequence(&meta(1, "")), 0);
        assert_eq!(ics_sequence(&meta(4, "")), 3);
        assert_eq!(ics_sequence(&meta(0, "")), 0, "never negative");
    }

    #[test]
    fn change_times_are_read_as_utc() {
        let at = |s: &str| changed_at(&meta(1, s)).map(ics_utc);
        assert_eq!(
            at("2026-11-25T09:30:05+08:00").as_deref(),
            Some("20261125T013005Z")
        );
        assert_eq!(
            at("2026-11-25T01:30:05Z").as_deref(),
            Some("20261125T013005Z")
        );
        // Without an offset: Taipei time. A bare date: its midnight there.
        assert_eq!(
            at("2026-11-25 09:30:05").as_deref(),
            Some("20261125T013005Z")
        );
        assert_eq!(at("2026-11-25").as_deref(), Some("20261124T160000Z"));
        assert_eq!(at("yesterday"), None);
        assert_eq!(at(""), None);
    }

    #[test]
    fn formats_parse() {
        for f in Format::ALL {
            assert_eq!(Format::parse(f.extension()), Some(f));
        }
        assert_eq!(Format::parse("Markdown"), Some(Format::Markdown));
        assert_eq!(Format::parse("pdf"), None);
    }
}
