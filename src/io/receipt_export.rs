//! Exports of the receipt detail's follow-up: notices to leavers (離校學生
//! 收訖明細確認通知) and the discrepancy list (疑義處理清單).
//!
//! * Notices, for the leavers of a term who have not confirmed
//!   ([`crate::store::Store::leaver_notices`]): a mail-merge CSV (UTF-8 with
//!   BOM and CRLF for Excel/Word), print-ready HTML letters (one a page; a
//!   student without a postal address gets no letter but is listed at the
//!   end, so nobody is skipped silently), or the e-mail recipients, one
//!   `Name <address>` a line.
//! * Discrepancies ([`crate::store::Store::discrepancies`]): CSV (UTF-8 with
//!   BOM) with every field, or Markdown with one table per responsible unit
//!   for printing. The due day is [`Discrepancy::due`] with the term's
//!   fixing window; overdue is judged on the day given.
//!
//! Pure: the caller reads the store and writes the bytes. Text comes from
//! the string files in the UI language; dates in the chosen style.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::domain::preset::NoticeMethod;
use crate::domain::receipt::{Discrepancy, Student};
use crate::domain::roc::{DateRange, DateStyle, Term, format_date, format_range};
use crate::i18n::{self, tr, trf};
use crate::io::calendar_export::{html_escape, md_cell};
use crate::io::csv_out::{Sheet, ours, text};
use crate::io::receipt_csv::Field;
use crate::store::{DiscRec, Notice};

/// "111 學年度第 1 學期".
pub fn term_name(t: Term) -> String {
    trf(
        "io.term_name",
        &[
            ("year", t.year.to_string()),
            ("semester", t.semester.to_string()),
        ],
    )
}

/// Line breaks of a cell as the separator of parts (CSV cells stay one line).
fn one_line(s: &str) -> String {
    s.trim()
        .replace("\r\n", "\n")
        .split('\n')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(tr("io.part_sep"))
}

// ---------------------------------------------------------------------------
// Notices to leavers
// ---------------------------------------------------------------------------

/// How the notices are exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeFormat {
    /// Mail-merge data for Word/Excel.
    Csv,
    /// Print-ready letters.
    Html,
    /// E-mail recipients, one `Name <address>` a line.
    Emails,
}

impl NoticeFormat {
    pub const ALL: [NoticeFormat; 3] =
        [NoticeFormat::Csv, NoticeFormat::Html, NoticeFormat::Emails];

    /// `csv`, `html`/`htm`, `emails`/`email`/`mail`/`txt` (case does not matter).
    pub fn parse(s: &str) -> Option<NoticeFormat> {
        match s
            .trim()
            .trim_start_matches('.')
            .to_ascii_lowercase()
            .as_str()
        {
            "csv" => Some(NoticeFormat::Csv),
            "html" | "htm" => Some(NoticeFormat::Html),
            "emails" | "email" | "e-mail" | "e-mails" | "mail" | "txt" => {
                Some(NoticeFormat::Emails)
            }
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            NoticeFormat::Csv => "csv",
            NoticeFormat::Html => "html",
            NoticeFormat::Emails => "emails",
        }
    }

    /// The file name extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            NoticeFormat::Csv => "csv",
            NoticeFormat::Html => "html",
            NoticeFormat::Emails => "txt",
        }
    }
}

/// A term's notices to leavers.
pub struct NoticePublish<'a> {
    /// The school's full name.
    pub school_name: &'a str,
    pub term: Term,
    /// The leavers to notify, in the order to print.
    pub notices: &'a [Notice],
    /// The students' confirmation window, if the term has one.
    pub window: Option<DateRange>,
    /// How the school sends the notice (the preset's `leaver_notice`; empty:
    /// paper mail).
    pub methods: &'a [NoticeMethod],
    /// Who sends it (the preset's `leaver_notice_by`; empty: the academic
    /// affairs office, `rcio.notice_default_unit`).
    pub units: &'a [String],
    /// Silence within the window means confirmed (said in the letter).
    pub silence_means_confirmed: bool,
    pub style: DateStyle,
    /// The letters' date.
    pub generated_on: NaiveDate,
}

/// Whether a student has a postal address to send a letter to.
pub fn has_address(s: &Student) -> bool {
    !s.address.trim().is_empty()
}

/// `Name <address>` for a student with an e-mail; the name quoted where
/// it has characters an address header reserves.
pub fn recipient(s: &Student) -> Option<String> {
    let email = s.email.trim();
    if email.is_empty() {
        return None;
    }
    let name = s.name.trim();
    if name.is_empty() {
        return Some(format!("<{email}>"));
    }
    let special = name.chars().any(|c| {
        matches!(
            c,
            ',' | ';' | '<' | '>' | '@' | '(' | ')' | '[' | ']' | ':' | '\\' | '\x22' | '.'
        )
    });
    if special {
        let quoted = name.replace('\\', "\\\\").replace('\x22', "\\\x22");
        Some(format!("\x22{quoted}\x22 <{email}>"))
    } else {
        Some(format!("{name} <{email}>"))
    }
}

impl NoticePublish<'_> {
    fn day(&self, d: NaiveDate) -> String {
        format_date(d, self.style)
    }

    fn window_text(&self) -> String {
        self.window
            .map(|w| format_range(&w, self.style))
            .unwrap_or_default()
    }

    /// "教務處、進修部".
    fn units_text(&self) -> String {
        let units: Vec<&str> = self
            .units
            .iter()
            .map(|u| u.trim())
            .filter(|u| !u.is_empty())
            .collect();
        if units.is_empty() {
            tr("rcio.notice_default_unit").to_string()
        } else {
            units.join(tr("list.sep"))
        }
    }

    /// "紙本郵寄、電子郵件".
    fn methods_text(&self) -> String {
        let mut methods: Vec<&str> = self
            .methods
            .iter()
            .map(|m| match m {
                NoticeMethod::PaperMail => tr("rcio.method_paper_mail"),
                NoticeMethod::Email => tr("rcio.method_email"),
            })
            .collect();
        if methods.is_empty() {
            methods.push(tr("rcio.method_paper_mail"));
        }
        methods.join(tr("list.sep"))
    }

    fn title(&self) -> String {
        trf(
            "rcio.notice_title",
            &[("school", self.school_name.to_string())],
        )
    }

    fn doc_title(&self) -> String {
        trf(
            "rcio.notice_doc_title",
            &[
                ("school", self.school_name.to_string()),
                ("term", term_name(self.term)),
            ],
        )
    }
}

/// The notices in the format, as bytes to write.
pub fn export_notices(format: NoticeFormat, p: &NoticePublish) -> Vec<u8> {
    match format {
        NoticeFormat::Csv => notices_csv(p),
        NoticeFormat::Html => notices_html(p).into_bytes(),
        NoticeFormat::Emails => notices_emails(p).into_bytes(),
    }
}

/// The header keys of the notices CSV, in order.
pub const NOTICE_CSV_HEADS: [&str; 11] = [
    "rcio.col_student_no",
    "rcio.col_name",
    "rcio.col_class",
    "rcio.col_seat",
    "rcio.col_status",
    "rcio.col_postal_code",
    "rcio.col_address",
    "rcio.col_email",
    "rcio.col_term",
    "rcio.col_confirm",
    "rcio.col_window",
];

fn notices_csv(p: &NoticePublish) -> Vec<u8> {
    let mut sheet = Sheet::new();
    let header: Vec<&str> = NOTICE_CSV_HEADS.iter().map(|k| tr(k)).collect();
    sheet.header(&header);
    let window = p.window_text();
    for n in p.notices {
        let s = &n.student;
        sheet.row(&[
            text(s.student_no.trim()),
            text(s.name.trim()),
            text(s.class.trim()),
            ours(s.seat.map(|x| x.to_string()).unwrap_or_default()),
            ours(tr(s.status.label_key())),
            text(s.postal_code.trim()),
            text(one_line(&s.address)),
            text(s.email.trim()),
            ours(p.term.to_string()),
            ours(tr(n.confirm.label_key())),
            ours(window.as_str()),
        ]);
    }
    sheet.finish()
}

fn notices_emails(p: &NoticePublish) -> String {
    let mut s = String::new();
    for n in p.notices {
        if let Some(r) = recipient(&n.student) {
            s.push_str(&r);
            s.push('\n');
        }
    }
    s
}

const NOTICE_CSS: &str = "\
body { font-family: \"Noto Serif TC\", \"Noto Sans TC\", \"Microsoft JhengHei\", \"PingFang TC\", serif; margin: 2em; color: #000; line-height: 1.7; }
section.letter { page-break-after: always; break-after: page; }
.address { margin: 0 0 2.5em; font-size: 1.05em; }
.address .to { font-size: 1.2em; margin-top: 0.3em; }
h1 { font-size: 1.3em; text-align: center; margin: 0 0 1em; }
.student { font-size: 0.9em; color: #333; }
ol { margin: 0.3em 0 0.8em; }
.sign { text-align: right; margin-top: 2.5em; }
table { width: 100%; border-collapse: collapse; font-size: 0.95em; }
th, td { border: 1px solid #000; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
th { background: #e8e8e8; }
@page { size: A4; margin: 20mm; }
@media print {
  body { margin: 0; }
  th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
";

fn html_lines(s: &str) -> String {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(html_escape)
        .collect::<Vec<_>>()
        .join("<br>")
}

fn letter(p: &NoticePublish, n: &Notice, s: &mut String) {
    let st = &n.student;
    let name = st.name.trim();
    let e = |t: &str| html_escape(t);
    s.push_str("<section class=\"letter\">\n<div class=\"address\">\n");
    let post = st.postal_code.trim();
    if !post.is_empty() {
        s.push_str(&format!("<div>{}</div>\n", e(post)));
    }
    s.push_str(&format!("<div>{}</div>\n", html_lines(&st.address)));
    s.push_str(&format!(
        "<div class=\"to\">{}</div>\n</div>\n",
        e(&trf("rcio.notice_to", &[("name", name.to_string())]))
    ));
    s.push_str(&format!("<h1>{}</h1>\n", e(&p.title())));
    s.push_str(&format!(
        "<p class=\"student\">{}</p>\n",
        e(&trf(
            "rcio.notice_student",
            &[
                ("no", st.student_no.trim().to_string()),
                ("class", st.class.trim().to_string()),
                ("seat", st.seat.map(|x| x.to_string()).unwrap_or_default(),),
                ("status", tr(st.status.label_key()).to_string()),
            ],
        ))
    ));
    s.push_str(&format!(
        "<p>{}</p>\n",
        e(&trf("rcio.notice_greeting", &[("name", name.to_string())]))
    ));
    s.push_str(&format!(
        "<p>{}</p>\n",
        e(&trf(
            "rcio.notice_body",
            &[("term", term_name(p.term)), ("lines", n.lines.to_string()),],
        ))
    ));
    let window = match p.window {
        Some(_) => trf("rcio.notice_window", &[("window", p.window_text())]),
        None => tr("rcio.notice_no_window").to_string(),
    };
    s.push_str(&format!("<p><strong>{}</strong></p>\n", e(&window)));
    s.push_str(&format!("<p>{}</p>\n<ol>\n", e(tr("rcio.notice_how"))));
    s.push_str(&format!(
        "<li>{}</li>\n",
        e(&trf(
            "rcio.notice_way_platform",
            &[("school", p.school_name.to_string())]
        ))
    ));
    s.push_str(&format!(
        "<li>{}</li>\n</ol>\n",
        e(&trf("rcio.notice_way_reply", &[("units", p.units_text())]))
    ));
    if p.silence_means_confirmed {
        s.push_str(&format!("<p>{}</p>\n", e(tr("rcio.notice_silence"))));
    }
    s.push_str(&format!(
        "<p>{}</p>\n",
        e(&trf(
            "rcio.notice_sent_by",
            &[("methods", p.methods_text())]
        ))
    ));
    s.push_str(&format!(
        "<p class=\"sign\">{}<br>{}</p>\n</section>\n",
        e(&trf(
            "rcio.notice_sign",
            &[
                ("school", p.school_name.to_string()),
                ("units", p.units_text()),
            ],
        )),
        e(&p.day(p.generated_on)),
    ));
}

fn notices_html(p: &NoticePublish) -> String {
    let title = html_escape(&p.doc_title());
    let mut s = String::new();
    s.push_str("<!DOCTYPE html>\n");
    s.push_str(&format!("<html lang=\"{}\">\n", i18n::lang().code()));
    s.push_str("<head>\n<meta charset=\"utf-8\">\n");
    s.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    s.push_str(&format!(
        "<title>{title}</title>\n<style>\n{NOTICE_CSS}</style>\n"
    ));
    s.push_str("</head>\n<body>\n");
    if p.notices.is_empty() {
        s.push_str(&format!("<h1>{title}</h1>\n"));
        s.push_str(&format!(
            "<p>{}</p>\n",
            html_escape(&trf("rcio.notice_none", &[("term", p.term.to_string())]))
        ));
    }
    for n in p.notices.iter().filter(|n| has_address(&n.student)) {
        letter(p, n, &mut s);
    }
    let missing: Vec<&Notice> = p
        .notices
        .iter()
        .filter(|n| !has_address(&n.student))
        .collect();
    if !missing.is_empty() {
        s.push_str("<section class=\"no-address\">\n");
        s.push_str(&format!(
            "<h1>{}</h1>\n<p>{}</p>\n",
            html_escape(&trf(
                "rcio.notice_no_address_title",
                &[("n", missing.len().to_string())]
            )),
            html_escape(tr("rcio.notice_no_address_note"))
        ));
        s.push_str("<table>\n<thead>\n<tr>");
        for f in [
            Field::StudentNo,
            Field::Name,
            Field::Class,
            Field::Seat,
            Field::Status,
            Field::Email,
        ] {
            s.push_str(&format!("<th>{}</th>", html_escape(tr(f.label_key()))));
        }
        s.push_str("</tr>\n</thead>\n<tbody>\n");
        for n in missing {
            let st = &n.student;
            s.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                html_escape(st.student_no.trim()),
                html_escape(st.name.trim()),
                html_escape(st.class.trim()),
                st.seat.map(|x| x.to_string()).unwrap_or_default(),
                html_escape(tr(st.status.label_key())),
                html_escape(st.email.trim()),
            ));
        }
        s.push_str("</tbody>\n</table>\n</section>\n");
    }
    s.push_str("</body>\n</html>\n");
    s
}

// ---------------------------------------------------------------------------
// Discrepancies
// ---------------------------------------------------------------------------

/// How the discrepancy list is exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiscFormat {
    Csv,
    Markdown,
}

impl DiscFormat {
    pub const ALL: [DiscFormat; 2] = [DiscFormat::Csv, DiscFormat::Markdown];

    /// `csv`, `md`/`markdown` (case does not matter).
    pub fn parse(s: &str) -> Option<DiscFormat> {
        match s
            .trim()
            .trim_start_matches('.')
            .to_ascii_lowercase()
            .as_str()
        {
            "csv" => Some(DiscFormat::Csv),
            "md" | "markdown" => Some(DiscFormat::Markdown),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            DiscFormat::Csv => "csv",
            DiscFormat::Markdown => "md",
        }
    }
}

/// Discrepancies to publish.
pub struct DiscPublish<'a> {
    pub school_name: &'a str,
    /// The term listed, or None for every term.
    pub term: Option<Term>,
    pub items: &'a [DiscRec],
    /// Each term's last day of fixing on the calendar (shortens the due day).
    pub fix_end: &'a BTreeMap<Term, NaiveDate>,
    /// The units in the order to list them (the routing's); others follow
    /// by name.
    pub units: &'a [String],
    pub style: DateStyle,
    /// The day the file is made, which judges "overdue".
    pub today: NaiveDate,
}

impl DiscPublish<'_> {
    fn day(&self, d: NaiveDate) -> String {
        format_date(d, self.style)
    }

    fn due(&self, d: &Discrepancy) -> NaiveDate {
        d.due(self.fix_end.get(&d.term).copied())
    }

    fn overdue(&self, d: &Discrepancy) -> bool {
        d.overdue(self.fix_end.get(&d.term).copied(), self.today)
    }

    fn title(&self) -> String {
        match self.term {
            Some(t) => trf(
                "rcio.disc_title_term",
                &[
                    ("school", self.school_name.to_string()),
                    ("term", term_name(t)),
                ],
            ),
            None => trf(
                "rcio.disc_title",
                &[("school", self.school_name.to_string())],
            ),
        }
    }

    /// "共 5 件，處理中 3 件，逾期 1 件；製表日期 115.11.25".
    fn summary(&self, items: &[&DiscRec]) -> String {
        trf(
            "rcio.disc_summary",
            &[
                ("n", items.len().to_string()),
                (
                    "open",
                    items
                        .iter()
                        .filter(|r| r.d.status.is_open())
                        .count()
                        .to_string(),
                ),
                (
                    "overdue",
                    items
                        .iter()
                        .filter(|r| self.overdue(&r.d))
                        .count()
                        .to_string(),
                ),
                ("date", self.day(self.today)),
            ],
        )
    }

    /// In term and id order.
    fn sorted(&self) -> Vec<&DiscRec> {
        let mut v: Vec<&DiscRec> = self.items.iter().collect();
        v.sort_by_key(|r| (r.d.term, r.d.id));
        v
    }

    /// Per unit (routing order, then by name), each by due day and id.
    fn by_unit(&self) -> Vec<(String, Vec<&DiscRec>)> {
        let mut groups: BTreeMap<String, Vec<&DiscRec>> = BTreeMap::new();
        for r in self.items {
            groups
                .entry(r.d.unit.trim().to_string())
                .or_default()
                .push(r);
        }
        let mut out: Vec<(String, Vec<&DiscRec>)> = Vec::new();
        for u in self.units {
            if let Some(v) = groups.remove(u.trim()) {
                out.push((u.trim().to_string(), v));
            }
        }
        out.extend(groups);
        for (_, v) in &mut out {
            v.sort_by_key(|r| (self.due(&r.d), r.d.id));
        }
        out
    }
}

/// The list in the format, as bytes to write.
pub fn export_discrepancies(format: DiscFormat, p: &DiscPublish) -> Vec<u8> {
    match format {
        DiscFormat::Csv => disc_csv(p),
        DiscFormat::Markdown => disc_markdown(p).into_bytes(),
    }
}

/// The header keys of the discrepancies CSV, in order.
pub const DISC_CSV_HEADS: [&str; 16] = [
    "rcio.dcol_id",
    "rcio.col_term",
    "rcio.col_student_no",
    "rcio.col_name",
    "rcio.col_class",
    "rcio.col_category",
    "rcio.dcol_kind",
    "rcio.col_item",
    "rcio.dcol_detail",
    "rcio.dcol_reported",
    "rcio.dcol_via",
    "rcio.dcol_unit",
    "rcio.dcol_status",
    "rcio.dcol_resolution",
    "rcio.dcol_due",
    "rcio.dcol_overdue",
];

fn disc_csv(p: &DiscPublish) -> Vec<u8> {
    let mut sheet = Sheet::new();
    let header: Vec<&str> = DISC_CSV_HEADS.iter().map(|k| tr(k)).collect();
    sheet.header(&header);
    for r in p.sorted() {
        let d = &r.d;
        sheet.row(&[
            ours(d.id.to_string()),
            ours(d.term.to_string()),
            text(r.student_no.trim()),
            text(r.name.trim()),
            text(r.class.trim()),
            ours(tr(d.category.label_key())),
            ours(tr(d.kind.label_key())),
            text(r.item.as_deref().unwrap_or("").trim()),
            text(one_line(&d.detail)),
            ours(p.day(d.reported_on)),
            ours(tr(d.via.label_key())),
            text(d.unit.trim()),
            ours(tr(d.status.label_key())),
            text(one_line(&d.resolution)),
            ours(p.day(p.due(d))),
            ours(tr(if p.overdue(d) { "io.yes" } else { "io.no" })),
        ]);
    }
    sheet.finish()
}

const MD_HEADS: [&str; 7] = [
    "rcio.dcol_id",
    "rcio.dcol_student",
    "rcio.col_category",
    "rcio.dcol_what",
    "rcio.dcol_reported",
    "rcio.dcol_status",
    "rcio.dcol_due",
];

fn disc_markdown(p: &DiscPublish) -> String {
    let all: Vec<&DiscRec> = p.items.iter().collect();
    let mut s = format!(
        "# {}\n\n{}\n",
        md_cell(&p.title()),
        md_cell(&p.summary(&all))
    );
    if p.items.is_empty() {
        s.push_str(&format!("\n{}\n", md_cell(tr("rcio.disc_none"))));
        return s;
    }
    let heads: Vec<String> = MD_HEADS.iter().map(|k| md_cell(tr(k))).collect();
    for (unit, rows) in p.by_unit() {
        let overdue = rows.iter().filter(|r| p.overdue(&r.d)).count();
        s.push_str(&format!(
            "\n## {}\n\n",
            md_cell(&trf(
                "rcio.disc_unit",
                &[
                    ("unit", unit.clone()),
                    ("n", rows.len().to_string()),
                    ("overdue", overdue.to_string()),
                ],
            ))
        ));
        s.push_str(&format!("| {} |\n", heads.join(" | ")));
        s.push_str(&format!("|{}\n", " --- |".repeat(heads.len())));
        for r in rows {
            let d = &r.d;
            let mut student = trf(
                "rcio.disc_student",
                &[
                    ("no", r.student_no.trim().to_string()),
                    ("name", r.name.trim().to_string()),
                    ("class", r.class.trim().to_string()),
                ],
            );
            if p.term.is_none() {
                student = format!("{student}\n{}", d.term);
            }
            let mut what = tr(d.kind.label_key()).to_string();
            if let Some(item) = r.item.as_deref().map(str::trim).filter(|i| !i.is_empty()) {
                what = trf(
                    "rcio.disc_kind_item",
                    &[("kind", what), ("item", item.to_string())],
                );
            }
            if !d.detail.trim().is_empty() {
                what = format!("{what}\n{}", d.detail.trim());
            }
            let mut status = tr(d.status.label_key()).to_string();
            if !d.resolution.trim().is_empty() {
                status = format!("{status}\n{}", d.resolution.trim());
            }
            let mut due = p.day(p.due(d));
            if p.overdue(d) {
                due = format!("**{}**", trf("rcio.disc_overdue", &[("due", due)]));
            }
            s.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} | {} |\n",
                d.id,
                md_cell(&student),
                md_cell(tr(d.category.label_key())),
                md_cell(&what),
                md_cell(&trf(
                    "rcio.disc_reported",
                    &[
                        ("date", p.day(d.reported_on)),
                        ("via", tr(d.via.label_key()).to_string()),
                    ],
                )),
                md_cell(&status),
                due,
            ));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_parse() {
        for f in NoticeFormat::ALL {
            assert_eq!(NoticeFormat::parse(f.code()), Some(f));
            assert_eq!(NoticeFormat::parse(f.extension()), Some(f));
        }
        assert_eq!(NoticeFormat::parse("PDF"), None);
        for f in DiscFormat::ALL {
            assert_eq!(DiscFormat::parse(f.extension()), Some(f));
        }
        assert_eq!(DiscFormat::parse("html"), None);
    }

    #[test]
    fn recipients_quote_names_with_specials() {
        let mut s = Student {
            name: "Chen, A.".into(),
            email: "a@b.tw".into(),
            ..Default::default()
        };
        assert_eq!(recipient(&s).unwrap(), "\"Chen, A.\" <a@b.tw>");
        s.name = "Wang".into();
        assert_eq!(recipient(&s).unwrap(), "Wang <a@b.tw>");
        s.email = " ".into();
        assert_eq!(recipient(&s), None);
    }
}
