//! Reading CSV: the one machinery every CSV import (calendar, receipts,
//! students) reads its file with.
//!
//! * the text: UTF-8 with or without BOM (borrowed, a large file is not
//!   copied) or Big5/CP950 ([`crate::io::text::decode`]), see [`text_of`];
//! * the delimiter: `,`, or `;` / tab when the first few non-blank lines
//!   (title rows above the header included) have more of those;
//! * the header: among the first [`HEADER_SEARCH`] non-blank records, the
//!   one the import ranks best ([`Table::header_rank`]; title rows above it
//!   are skipped);
//! * header names matched through aliases ([`Aliases`]) after
//!   [`normalize_header`] (case, spaces, full-width forms, `_ - . :`, a BOM,
//!   a bracketed unit at the end);
//! * every record passed on with its physical line (title rows, blank lines
//!   and every line of a quoted multi-line cell count), blank records left
//!   out; the problems of a row are [`BadRow`]s.
//!
//! Each import keeps its own column meanings and row validation (its
//! [`Table`]); only the reading and locating is here. Built for 120,000
//! lines: one reused `StringRecord`, line numbers counted incrementally from
//! byte offsets, no copy of the text beyond the decoding of a Big5 file.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::Hash;

use crate::i18n::{Localized, tr, trf};
use crate::io::text::{DecodeError, TextEncoding, decode};

/// The UTF-8 byte order mark (read here, written by `csv_out` and `text`).
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// How many of the first non-blank records may be title rows above the
/// header (they also decide the delimiter).
pub const HEADER_SEARCH: usize = 5;

// ---------------------------------------------------------------------------
// Text and delimiter
// ---------------------------------------------------------------------------

/// The text of the file: UTF-8 borrowed as it is (a large file is not
/// copied), anything else decoded by [`decode`] (same detection and errors).
pub fn text_of(
    bytes: &[u8],
    forced: Option<TextEncoding>,
) -> Result<(Cow<'_, str>, TextEncoding), DecodeError> {
    if matches!(
        forced,
        None | Some(TextEncoding::Utf8 | TextEncoding::Utf8Bom)
    ) {
        let (rest, encoding) = match bytes.strip_prefix(BOM) {
            Some(rest) => (rest, TextEncoding::Utf8Bom),
            None => (bytes, TextEncoding::Utf8),
        };
        if let Ok(text) = std::str::from_utf8(rest) {
            return Ok((Cow::Borrowed(text), encoding));
        }
    }
    let (text, encoding) = decode(bytes, forced)?;
    Ok((Cow::Owned(text), encoding))
}

/// The delimiter: `,` unless the first few non-blank lines (a title row may
/// stand above the header) have more `;` or tabs.
pub fn sniff_delimiter(text: &str) -> u8 {
    let (mut comma, mut semi, mut tab) = (0, 0, 0);
    for l in text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(HEADER_SEARCH)
    {
        for b in l.bytes() {
            match b {
                b',' => comma += 1,
                b';' => semi += 1,
                b'\t' => tab += 1,
                _ => {}
            }
        }
    }
    if tab > comma && tab >= semi {
        b'\t'
    } else if semi > comma {
        b';'
    } else {
        b','
    }
}

// ---------------------------------------------------------------------------
// Header names
// ---------------------------------------------------------------------------

/// Full-width ASCII forms (`Ａ`, `１`, `＿`, `（`) as their half-width
/// characters, the ideographic space as a space.
pub fn half_width_char(c: char) -> char {
    match c {
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(u32::from(c) - 0xfee0).unwrap_or(c),
        '\u{3000}' => ' ',
        other => other,
    }
}

/// Lower case, half-width, without whitespace, `_`, `-`, `.`, `:`, a BOM,
/// and without a bracketed remark at the end (`件數(件)` → `件數`).
pub fn normalize_header(s: &str) -> String {
    let t: String = s
        .chars()
        .filter(|c| *c != '\u{feff}')
        .map(half_width_char)
        .collect();
    strip_bracket_suffix(t.trim())
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '_' | '-' | '.' | ':'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// `件數(件)` → `件數`; a header that is only a bracket stays.
fn strip_bracket_suffix(t: &str) -> &str {
    if !t.ends_with(')') {
        return t;
    }
    match t.rfind('(') {
        Some(i) if !t[..i].trim().is_empty() => t[..i].trim_end(),
        _ => t,
    }
}

/// A header cell as shown back to the user: trimmed, without a BOM.
pub fn header_text(h: &str) -> &str {
    h.trim().trim_start_matches('\u{feff}').trim()
}

/// The columns of an import by their normalised header names.
#[derive(Debug, Clone)]
pub struct Aliases<F> {
    map: HashMap<String, F>,
}

impl<F: Copy + Eq + Hash> Aliases<F> {
    /// From each column's canonical name and its aliases; the first column
    /// to claim a name keeps it.
    pub fn new<'a>(columns: impl IntoIterator<Item = (F, &'a str, &'a [String])>) -> Self {
        let mut map = HashMap::new();
        for (f, code, aliases) in columns {
            map.insert(normalize_header(code), f);
            for a in aliases {
                map.entry(normalize_header(a)).or_insert(f);
            }
        }
        Aliases { map }
    }

    /// The column a header names, if any.
    pub fn of(&self, header: &str) -> Option<F> {
        self.map.get(&normalize_header(header)).copied()
    }
}

/// "學號（學號、學生學號、student_no…）": a column's name and the headers
/// accepted for it.
pub fn name_with_aliases(name: &str, aliases: &[String]) -> String {
    let mut names: Vec<&str> = Vec::new();
    for a in aliases {
        if !names.contains(&a.as_str()) {
            names.push(a);
        }
    }
    trf(
        "io.column_aliases",
        &[
            ("name", name.to_string()),
            ("aliases", names.join(tr("list.sep"))),
        ],
    )
}

/// The headers a file has, quoted, for a message (「無」 when none).
pub fn found_text(found: &[String]) -> String {
    if found.iter().all(|f| f.trim().is_empty()) {
        return tr("io.nothing").to_string();
    }
    found
        .iter()
        .filter(|f| !f.trim().is_empty())
        .map(|f| trf("io.quoted", &[("text", f.clone())]))
        .collect::<Vec<_>>()
        .join(tr("list.sep"))
}

// ---------------------------------------------------------------------------
// Bad rows
// ---------------------------------------------------------------------------

/// One problem of one row: the physical line, the reason (an i18n key and
/// its values, which quote the cell) and, in `args`, the `column` as headed
/// in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRow {
    pub line: usize,
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
}

impl BadRow {
    /// The reason alone, without the line.
    pub fn reason(&self) -> String {
        trf(self.key, &self.args)
    }
    /// The column the problem is in, as headed in the file.
    pub fn column(&self) -> Option<&str> {
        self.args
            .iter()
            .find(|(k, _)| *k == "column")
            .map(|(_, v)| v.as_str())
    }
    /// A row whose cells do not fit the header: too few to reach the last
    /// named column (`needed`), or filled cells beyond the header's `width`.
    pub fn width(
        cells: &csv::StringRecord,
        needed: usize,
        width: usize,
        line: usize,
    ) -> Option<BadRow> {
        let extra_filled =
            cells.len() > width && cells.iter().skip(width).any(|c| !c.trim().is_empty());
        if cells.len() >= needed && !extra_filled {
            return None;
        }
        let found = if extra_filled {
            cells.len()
        } else {
            cells.len().min(width)
        };
        Some(BadRow {
            line,
            key: "io.bad_cells",
            args: vec![
                ("found", found.to_string()),
                ("expected", width.to_string()),
            ],
        })
    }
}

/// Number of distinct lines among the problems.
pub fn distinct_lines(bad: &[BadRow]) -> usize {
    let mut lines: Vec<usize> = bad.iter().map(|b| b.line).collect();
    lines.sort_unstable();
    lines.dedup();
    lines.len()
}

impl Localized for BadRow {
    fn message_key(&self) -> &'static str {
        self.key
    }
    fn args(&self) -> Vec<(&'static str, String)> {
        self.args.clone()
    }
    /// "第 5 行「日期」欄：…" — the line, the column and the reason.
    fn message(&self) -> String {
        match self.column() {
            Some(c) => trf(
                "io.bad_row_in",
                &[
                    ("line", self.line.to_string()),
                    ("column", c.to_string()),
                    ("reason", self.reason()),
                ],
            ),
            None => trf(
                "io.bad_row",
                &[("line", self.line.to_string()), ("reason", self.reason())],
            ),
        }
    }
}

// ---------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------

/// Why the records of a file cannot be read (each import turns it into its
/// own error, keeping its messages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CsvError {
    /// Nothing but blank lines.
    Empty,
    /// The CSV itself cannot be parsed.
    Unreadable { line: usize, detail: String },
}

/// The usual rank of a header candidate: 2 when it has every required
/// column, 1 when it names at least two known columns, else 0.
pub fn rank(complete: bool, known: usize) -> u8 {
    if complete { 2 } else { u8::from(known >= 2) }
}

/// What an import does with the records of its file.
pub trait Table {
    type Error: From<CsvError>;
    /// How well a record serves as the header: the first record of the
    /// highest rank among the first [`HEADER_SEARCH`] is taken (see
    /// [`rank`]).
    fn header_rank(&self, cells: &csv::StringRecord) -> u8;
    /// The header, on its physical line; refuse the file here.
    fn header(&mut self, line: usize, cells: &csv::StringRecord) -> Result<(), Self::Error>;
    /// A non-blank record below the header, on its physical line.
    fn row(&mut self, line: usize, cells: &csv::StringRecord);
}

/// What [`read_table`] found besides the rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Read {
    /// The line of the header (1 unless title rows stand above it).
    pub header_line: usize,
    /// Data rows passed on (blank ones not counted).
    pub rows: usize,
}

/// Physical line numbers of increasing byte offsets, counted as it goes.
struct Lines<'a> {
    text: &'a [u8],
    at: usize,
    line: usize,
}

impl Lines<'_> {
    /// The line (from 1) of the record starting at `at` (never before the
    /// previous one asked); line breaks in front of it are skipped.
    fn of(&mut self, at: usize) -> usize {
        let mut at = at.min(self.text.len());
        while at < self.text.len() && matches!(self.text[at], b'\r' | b'\n') {
            at += 1;
        }
        if at > self.at {
            self.line += self.text[self.at..at]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            self.at = at;
        }
        self.line
    }
}

/// Reads the records of `text` into `table`: finds the delimiter and the
/// header, then passes every non-blank record below it on with its line.
/// At most [`HEADER_SEARCH`] records are held at once.
pub fn read_table<T: Table>(text: &str, table: &mut T) -> Result<Read, T::Error> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(sniff_delimiter(text))
        .from_reader(text.as_bytes());
    let mut lines = Lines {
        text: text.as_bytes(),
        at: 0,
        line: 1,
    };
    let mut head: Vec<(usize, csv::StringRecord)> = Vec::new();
    let mut read: Option<Read> = None;
    let mut rec = csv::StringRecord::new();

    // Decides the header from the records kept so far; passes the records
    // after it on as rows.
    fn settle<T: Table>(
        head: &mut Vec<(usize, csv::StringRecord)>,
        table: &mut T,
    ) -> Result<Read, T::Error> {
        let ranks: Vec<u8> = head.iter().map(|(_, r)| table.header_rank(r)).collect();
        let best = ranks.iter().copied().max().unwrap_or(0);
        let at = ranks.iter().position(|r| *r == best).unwrap_or(0);
        let header_line = head[at].0;
        table.header(header_line, &head[at].1)?;
        let mut read = Read {
            header_line,
            rows: 0,
        };
        for (line, r) in head.drain(..).skip(at + 1) {
            read.rows += 1;
            table.row(line, &r);
        }
        Ok(read)
    }

    loop {
        let before = reader.position().byte() as usize;
        match reader.read_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {
                let at = rec.position().map(|p| p.byte() as usize).unwrap_or(before);
                let line = lines.of(at);
                if rec.iter().all(|c| c.trim().is_empty()) {
                    continue;
                }
                match &mut read {
                    Some(r) => {
                        r.rows += 1;
                        table.row(line, &rec);
                    }
                    None => {
                        head.push((line, rec.clone()));
                        if head.len() >= HEADER_SEARCH {
                            read = Some(settle(&mut head, table)?);
                        }
                    }
                }
            }
            Err(e) => {
                let at = e.position().map(|p| p.byte() as usize).unwrap_or(before);
                return Err(CsvError::Unreadable {
                    line: lines.of(at),
                    detail: e.to_string(),
                }
                .into());
            }
        }
    }
    match read {
        Some(r) => Ok(r),
        None if head.is_empty() => Err(CsvError::Empty.into()),
        None => settle(&mut head, table),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Collects what `read_table` passes on; a header is a record naming
    /// `a` and `b`.
    #[derive(Default)]
    struct Collect {
        header: Vec<String>,
        rows: Vec<(usize, Vec<String>)>,
    }

    impl Table for Collect {
        type Error = CsvError;
        fn header_rank(&self, cells: &csv::StringRecord) -> u8 {
            let names: Vec<String> = cells.iter().map(normalize_header).collect();
            u8::from(names.iter().any(|n| n == "a")) + u8::from(names.iter().any(|n| n == "b"))
        }
        fn header(&mut self, _: usize, cells: &csv::StringRecord) -> Result<(), CsvError> {
            self.header = cells.iter().map(str::to_string).collect();
            Ok(())
        }
        fn row(&mut self, line: usize, cells: &csv::StringRecord) {
            self.rows
                .push((line, cells.iter().map(str::to_string).collect()));
        }
    }

    fn read(text: &str) -> (Result<Read, CsvError>, Collect) {
        let mut c = Collect::default();
        (read_table(text, &mut c), c)
    }

    #[test]
    fn the_delimiter_is_sniffed_over_the_first_lines() {
        assert_eq!(sniff_delimiter("a,b\n1,2\n"), b',');
        assert_eq!(sniff_delimiter("a;b;c\n1;2;3\n"), b';');
        assert_eq!(sniff_delimiter("a\tb\n1\t2\n"), b'\t');
        // A title row without any delimiter above a `;` header.
        assert_eq!(
            sniff_delimiter("\n114 學年度行事曆\na;b;c\n1;2,5;3\n"),
            b';'
        );
        // A title with a comma does not outvote the table below it.
        assert_eq!(sniff_delimiter("Title, draft\na;b;c\n1;2;3\n"), b';');
        // Only the first lines count.
        let late = format!("{}x;y;z;w\n", "a,b\n".repeat(HEADER_SEARCH));
        assert_eq!(sniff_delimiter(&late), b',');
    }

    #[test]
    fn headers_normalise_case_spaces_widths_brackets_and_bom() {
        assert_eq!(normalize_header(" Student_No "), "studentno");
        assert_eq!(normalize_header("STUDENT-NO"), "studentno");
        assert_eq!(normalize_header("Seat No."), "seatno");
        assert_eq!(normalize_header("學\u{3000}號"), "學號");
        assert_eq!(normalize_header("\u{feff}學號"), "學號");
        assert_eq!(normalize_header("件數(件)"), "件數");
        assert_eq!(normalize_header("件數（件）"), "件數");
        // Full-width letters, digits and underscore.
        assert_eq!(normalize_header("ＳＴＵＤＥＮＴ＿ＮＯ"), "studentno");
        assert_eq!(normalize_header("欄１"), "欄1");
        // Only a bracket: kept.
        assert_eq!(strip_bracket_suffix("(x)"), "(x)");
        assert_eq!(normalize_header("（備註）"), "(備註)");
    }

    #[test]
    fn aliases_find_columns_and_the_first_claim_wins() {
        let one = vec!["學號".to_string(), "Student No".to_string()];
        let two = vec!["學號".to_string(), "姓名".to_string()];
        let a = Aliases::new([
            (1, "student_no", one.as_slice()),
            (2, "name", two.as_slice()),
        ]);
        assert_eq!(a.of(" STUDENT_NO "), Some(1));
        assert_eq!(a.of("student no"), Some(1));
        assert_eq!(a.of("學 號"), Some(1));
        assert_eq!(a.of("姓名"), Some(2));
        assert_eq!(a.of("地址"), None);
    }

    #[test]
    fn utf8_is_borrowed_and_big5_decoded() {
        let (t, e) = text_of(b"a,b\n", None).unwrap();
        assert!(matches!(t, Cow::Borrowed("a,b\n")));
        assert_eq!(e, TextEncoding::Utf8);
        let mut bom = BOM.to_vec();
        bom.extend_from_slice("學號\n".as_bytes());
        let (t, e) = text_of(&bom, None).unwrap();
        assert_eq!((t.as_ref(), e), ("學號\n", TextEncoding::Utf8Bom));
        let big5 = crate::io::text::encode("學號,姓名\n", TextEncoding::Big5);
        let (t, e) = text_of(&big5, None).unwrap();
        assert_eq!((t.as_ref(), e), ("學號,姓名\n", TextEncoding::Big5));
        assert!(text_of(&big5, Some(TextEncoding::Utf8)).is_err());
    }

    #[test]
    fn title_rows_are_skipped_and_lines_are_physical() {
        let text = "114 學年度\r\n\r\nnote;x\r\nA;B;c\r\n1;2;3\r\n\r\n\"multi\nline\";5;6\r\n7;8;9";
        let (r, c) = read(text);
        assert_eq!(
            r.unwrap(),
            Read {
                header_line: 4,
                rows: 3
            }
        );
        assert_eq!(c.header, ["A", "B", "c"]);
        let lines: Vec<usize> = c.rows.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [5, 7, 9]);
        assert_eq!(c.rows[1].1[0], "multi\nline");
    }

    #[test]
    fn a_header_below_the_search_is_not_found() {
        let text = format!("{}a,b\n1,2\n", "title\n".repeat(HEADER_SEARCH));
        let (r, c) = read(&text);
        // No record ranks: the first is the header.
        assert_eq!(r.unwrap().header_line, 1);
        assert_eq!(c.header, ["title"]);
    }

    #[test]
    fn the_best_ranked_record_is_the_header() {
        let (r, c) = read("a,x\na,b\n1,2\n");
        assert_eq!(r.unwrap().header_line, 2);
        assert_eq!(c.rows, [(3, vec!["1".to_string(), "2".to_string()])]);
    }

    #[test]
    fn ranks() {
        assert_eq!(rank(true, 1), 2);
        assert_eq!(rank(false, 2), 1);
        assert_eq!(rank(false, 1), 0);
    }

    #[test]
    fn blank_files_are_empty_and_an_open_quote_runs_to_the_end() {
        assert_eq!(read("\n \r\n,,\n").0, Err(CsvError::Empty));
        // Text is already valid UTF-8 and records may differ in width, so
        // the csv crate refuses nothing: an unclosed quote takes the rest.
        let (r, c) = read("a,b\n1,2\n\"open,3\n4,5\n");
        assert_eq!(r.unwrap().rows, 2);
        assert_eq!(c.rows[1], (3, vec!["open,3\n4,5\n".to_string()]));
    }

    #[test]
    fn row_width_problems() {
        let rec = csv::StringRecord::from(vec!["1", "2"]);
        assert_eq!(BadRow::width(&rec, 2, 3, 4), None);
        assert_eq!(BadRow::width(&rec, 3, 3, 4).unwrap().args[0].1, "2");
        let long = csv::StringRecord::from(vec!["1", "2", "", "x"]);
        let b = BadRow::width(&long, 2, 3, 7).unwrap();
        assert_eq!((b.line, b.args[0].1.as_str()), (7, "4"));
        let blank_tail = csv::StringRecord::from(vec!["1", "2", "", " "]);
        assert_eq!(BadRow::width(&blank_tail, 2, 3, 7), None);
    }
}
