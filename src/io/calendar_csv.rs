//! Calendar events from CSV: a school's term schedule as a spreadsheet.
//!
//! Columns are found by their header, in Chinese or English, ignoring case,
//! spaces, `_` and `-` (aliases in `assets/import/calendar_headers.toml`).
//! Every row is read; a row with a problem becomes a [`BadRow`] that names
//! its physical line in the file (the header is line 1, a quoted cell over
//! several lines counts all of them) and quotes the cell. The caller decides
//! what to do with a file that has bad rows (the CLI imports nothing unless
//! asked to import the good rows).

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Deserialize;

use crate::domain::calendar::{Event, Grades, Phase, parse_units};
use crate::domain::roc::{DateRange, Term, parse_date, parse_range, parse_term};
use crate::i18n::{Localized, tr, trf};
use crate::io::csv_out::unguard;
use crate::io::text::{DecodeError, TextEncoding, decode};

/// A column of the calendar CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Term,
    Dates,
    Start,
    End,
    Title,
    Phase,
    Grades,
    Units,
    National,
    PreparesFor,
    Notes,
}

impl Column {
    pub const ALL: [Column; 11] = [
        Column::Term,
        Column::Dates,
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

    /// The canonical (English) name, as in the aliases file.
    pub fn code(self) -> &'static str {
        match self {
            Column::Term => "term",
            Column::Dates => "dates",
            Column::Start => "start",
            Column::End => "end",
            Column::Title => "title",
            Column::Phase => "phase",
            Column::Grades => "grades",
            Column::Units => "units",
            Column::National => "national",
            Column::PreparesFor => "prepares_for",
            Column::Notes => "notes",
        }
    }

    /// i18n key of the column's name (also the header an export writes).
    pub fn label_key(self) -> &'static str {
        match self {
            Column::Term => "io.col_term",
            Column::Dates => "io.col_dates",
            Column::Start => "io.col_start",
            Column::End => "io.col_end",
            Column::Title => "io.col_title",
            Column::Phase => "io.col_phase",
            Column::Grades => "io.col_grades",
            Column::Units => "io.col_units",
            Column::National => "io.col_national",
            Column::PreparesFor => "io.col_prepares_for",
            Column::Notes => "io.col_notes",
        }
    }

    /// The headers accepted for this column.
    pub fn aliases(self) -> &'static [String] {
        ALIASES
            .columns
            .get(self.code())
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The column a header names, if any.
    pub fn of_header(header: &str) -> Option<Column> {
        HEADER_MAP.get(&normalize(header)).copied()
    }
}

#[derive(Deserialize)]
struct Aliases {
    columns: HashMap<String, Vec<String>>,
    values: Values,
    phases: HashMap<String, Vec<String>>,
}

#[derive(Deserialize)]
struct Values {
    yes: Vec<String>,
    no: Vec<String>,
}

const ALIASES_TOML: &str = include_str!("../../assets/import/calendar_headers.toml");

static ALIASES: LazyLock<Aliases> = LazyLock::new(|| {
    toml::from_str(ALIASES_TOML).expect("embedded calendar_headers.toml parses (tested)")
});

static HEADER_MAP: LazyLock<HashMap<String, Column>> = LazyLock::new(|| {
    let mut m = HashMap::new();
    for c in Column::ALL {
        m.insert(normalize(c.code()), c);
        for a in c.aliases() {
            m.entry(normalize(a)).or_insert(c);
        }
    }
    m
});

static PHASE_MAP: LazyLock<HashMap<String, Phase>> = LazyLock::new(|| {
    let mut m = HashMap::new();
    for p in Phase::ALL {
        if let Some(names) = ALIASES.phases.get(p.code()) {
            for n in names {
                m.insert(normalize(n), p);
            }
        }
    }
    m
});

/// Lower case, without whitespace (also full-width), `_`, `-`, `.`, `:`.
fn normalize(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '_' | '-' | '.' | ':' | '\u{feff}'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// A phase by its code, a name [`Phase::parse`] knows, or one of the extra
/// names in the aliases file (the labels the app shows).
pub fn parse_phase(s: &str) -> Option<Phase> {
    Phase::parse(s).or_else(|| PHASE_MAP.get(&normalize(s)).copied())
}

/// `Y`, `yes`, `1`, `true` (and their Chinese) → true; blank, `N`, `no`… →
/// false; anything else → None.
pub fn parse_yes_no(s: &str) -> Option<bool> {
    let t = normalize(s);
    if t.is_empty() {
        return Some(false);
    }
    if ALIASES.values.yes.iter().any(|y| normalize(y) == t) {
        Some(true)
    } else if ALIASES.values.no.iter().any(|n| normalize(n) == t) {
        Some(false)
    } else {
        None
    }
}

/// What a calendar CSV holds.
#[derive(Debug, Clone, PartialEq)]
pub struct EventFile {
    pub encoding: TextEncoding,
    /// The line the header was found on (1 unless title rows stand above it).
    pub header_line: usize,
    /// Good rows: (physical line, event). `Event.id` is 0.
    pub events: Vec<(usize, Event)>,
    /// (index into `events`, title of the national window it prepares for).
    pub links: Vec<(usize, String)>,
    /// Rows with a problem, one entry per problem cell, in line order.
    pub bad: Vec<BadRow>,
    /// Headers that name no known column (their cells are not imported).
    pub unknown_headers: Vec<String>,
}

impl EventFile {
    /// The good events without their line numbers.
    pub fn event_list(&self) -> Vec<Event> {
        self.events.iter().map(|(_, e)| e.clone()).collect()
    }

    /// Number of distinct lines with a problem.
    pub fn bad_lines(&self) -> usize {
        let mut lines: Vec<usize> = self.bad.iter().map(|b| b.line).collect();
        lines.dedup();
        lines.len()
    }
}

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

/// Why a whole file cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileError {
    /// Not text in any encoding tried.
    Decode(DecodeError),
    /// Nothing but blank lines.
    Empty,
    /// Required columns are missing: which, and the headers the file has.
    MissingColumns {
        missing: Vec<Column>,
        /// `start`/`end` or `dates` is enough for the dates; a term column
        /// is not needed when a default term is given.
        need_term: bool,
        found: Vec<String>,
        line: usize,
    },
    /// The CSV itself cannot be parsed.
    Unreadable { line: usize, detail: String },
}

impl From<DecodeError> for FileError {
    fn from(e: DecodeError) -> Self {
        FileError::Decode(e)
    }
}

impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}
impl std::error::Error for FileError {}

/// "學期（學期、學年期、term）".
fn column_with_aliases(c: Column) -> String {
    let mut names: Vec<&str> = Vec::new();
    for a in c.aliases() {
        if !names.contains(&a.as_str()) {
            names.push(a);
        }
    }
    trf(
        "io.column_aliases",
        &[
            ("name", tr(c.label_key()).to_string()),
            ("aliases", names.join(tr("list.sep"))),
        ],
    )
}

/// Every required column with its accepted names.
pub fn expected_columns(need_term: bool) -> String {
    let mut parts = Vec::new();
    if need_term {
        parts.push(column_with_aliases(Column::Term));
    }
    parts.push(trf(
        "io.dates_or_start_end",
        &[
            ("dates", column_with_aliases(Column::Dates)),
            ("start", column_with_aliases(Column::Start)),
            ("end", column_with_aliases(Column::End)),
        ],
    ));
    parts.push(column_with_aliases(Column::Title));
    parts.push(column_with_aliases(Column::Phase));
    parts.join(tr("io.part_sep"))
}

impl Localized for FileError {
    fn message_key(&self) -> &'static str {
        match self {
            FileError::Decode(e) => e.message_key(),
            FileError::Empty => "io.file_empty",
            FileError::MissingColumns { .. } => "io.missing_columns",
            FileError::Unreadable { .. } => "io.file_unreadable",
        }
    }
    fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            FileError::Decode(e) => e.args(),
            FileError::Empty => vec![],
            FileError::MissingColumns {
                missing,
                need_term,
                found,
                line,
            } => {
                let missing: Vec<&str> = missing.iter().map(|c| tr(c.label_key())).collect();
                let found = if found.iter().all(|f| f.trim().is_empty()) {
                    tr("io.nothing").to_string()
                } else {
                    found
                        .iter()
                        .filter(|f| !f.trim().is_empty())
                        .map(|f| trf("io.quoted", &[("text", f.clone())]))
                        .collect::<Vec<_>>()
                        .join(tr("list.sep"))
                };
                vec![
                    ("missing", missing.join(tr("list.sep"))),
                    ("expected", expected_columns(*need_term)),
                    ("found", found),
                    ("line", line.to_string()),
                ]
            }
            FileError::Unreadable { line, detail } => {
                vec![("line", line.to_string()), ("detail", detail.clone())]
            }
        }
    }
}

/// The column layout found in the header.
struct Layout {
    /// Column → index of the cell.
    at: HashMap<Column, usize>,
    width: usize,
    /// Header as written, per cell index.
    names: Vec<String>,
}

impl Layout {
    fn from_header(cells: &[String]) -> (Layout, Vec<String>) {
        let mut at = HashMap::new();
        let mut unknown = Vec::new();
        for (i, h) in cells.iter().enumerate() {
            if h.trim().is_empty() {
                continue;
            }
            match Column::of_header(h) {
                Some(c) if !at.contains_key(&c) => {
                    at.insert(c, i);
                }
                _ => unknown.push(h.trim().to_string()),
            }
        }
        (
            Layout {
                at,
                width: cells.len(),
                names: cells.iter().map(|h| h.trim().to_string()).collect(),
            },
            unknown,
        )
    }

    fn known(&self) -> usize {
        self.at.len()
    }

    fn missing(&self, need_term: bool) -> Vec<Column> {
        let mut m = Vec::new();
        if need_term && !self.at.contains_key(&Column::Term) {
            m.push(Column::Term);
        }
        if !self.at.contains_key(&Column::Dates) && !self.at.contains_key(&Column::Start) {
            m.push(Column::Dates);
        }
        for c in [Column::Title, Column::Phase] {
            if !self.at.contains_key(&c) {
                m.push(c);
            }
        }
        m
    }
}

/// The delimiter of the first line: `,` unless it has more `;` or tabs.
fn sniff_delimiter(text: &str) -> u8 {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let count = |c: char| first.chars().filter(|x| *x == c).count();
    let (comma, semi, tab) = (count(','), count(';'), count('\t'));
    if tab > comma && tab >= semi {
        b'\t'
    } else if semi > comma {
        b';'
    } else {
        b','
    }
}

/// Physical line numbers of byte offsets in a text.
struct LineIndex<'a> {
    text: &'a [u8],
    /// Byte offsets where lines start.
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    fn new(text: &'a str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        starts.extend(
            bytes
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex {
            text: bytes,
            starts,
        }
    }

    /// The line (from 1) of the record starting at `at`: line breaks in
    /// front of it (the end of the previous line, blank lines) are skipped.
    fn line_of(&self, at: usize) -> usize {
        let mut at = at.min(self.text.len());
        while at < self.text.len() && matches!(self.text[at], b'\r' | b'\n') {
            at += 1;
        }
        self.starts.partition_point(|&s| s <= at)
    }
}

/// How many of the first records may be title lines above the header.
const HEADER_SEARCH: usize = 5;

/// Reads a calendar CSV. `default_term` fills the term of rows that have
/// none (and makes the term column optional).
pub fn read_events(
    bytes: &[u8],
    forced: Option<TextEncoding>,
    default_term: Option<Term>,
) -> Result<EventFile, FileError> {
    let (text, encoding) = decode(bytes, forced)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(sniff_delimiter(&text))
        .from_reader(text.as_bytes());

    // Records with their physical line, blank ones left out. The line is
    // counted from the record's byte offset (the csv crate's own line
    // count drifts after blank lines and with CRLF).
    let lines = LineIndex::new(&text);
    let mut records: Vec<(usize, Vec<String>)> = Vec::new();
    let mut rec = csv::StringRecord::new();
    loop {
        let at = reader.position().byte() as usize;
        match reader.read_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {
                let at = rec.position().map(|p| p.byte() as usize).unwrap_or(at);
                let cells: Vec<String> = rec.iter().map(str::to_string).collect();
                if cells.iter().all(|c| c.trim().is_empty()) {
                    continue;
                }
                records.push((lines.line_of(at), cells));
            }
            Err(e) => {
                let at = e.position().map(|p| p.byte() as usize).unwrap_or(at);
                return Err(FileError::Unreadable {
                    line: lines.line_of(at),
                    detail: e.to_string(),
                });
            }
        }
    }
    if records.is_empty() {
        return Err(FileError::Empty);
    }

    // The header: the first record naming at least two columns among the
    // first few (a title line may stand above the table), else the first.
    let need_term = default_term.is_none();
    let header_at = records
        .iter()
        .take(HEADER_SEARCH)
        .position(|(_, cells)| Layout::from_header(cells).0.known() >= 2)
        .unwrap_or(0);
    let (header_line, header_cells) = records[header_at].clone();
    let (layout, unknown_headers) = Layout::from_header(&header_cells);
    let missing = layout.missing(need_term);
    if !missing.is_empty() {
        return Err(FileError::MissingColumns {
            missing,
            need_term,
            found: header_cells.iter().map(|h| h.trim().to_string()).collect(),
            line: header_line,
        });
    }

    let mut out = EventFile {
        encoding,
        header_line,
        events: Vec::new(),
        links: Vec::new(),
        bad: Vec::new(),
        unknown_headers,
    };
    for (line, cells) in records.into_iter().skip(header_at + 1) {
        match read_row(&layout, line, &cells, default_term) {
            Ok((event, link)) => {
                if let Some(target) = link {
                    out.links.push((out.events.len(), target));
                }
                out.events.push((line, event));
            }
            Err(mut problems) => out.bad.append(&mut problems),
        }
    }
    Ok(out)
}

/// One data row: the event and the title it prepares for, or every
/// problem found (the first of each cell).
fn read_row(
    layout: &Layout,
    line: usize,
    cells: &[String],
    default_term: Option<Term>,
) -> Result<(Event, Option<String>), Vec<BadRow>> {
    let extra_filled = cells
        .iter()
        .skip(layout.width)
        .any(|c| !c.trim().is_empty());
    if cells.len() < layout.width || extra_filled {
        let found = if extra_filled {
            cells.len()
        } else {
            cells.len().min(layout.width)
        };
        return Err(vec![BadRow {
            line,
            key: "io.bad_cells",
            args: vec![
                ("found", found.to_string()),
                ("expected", layout.width.to_string()),
            ],
        }]);
    }
    // The `'` an export put before a formula-like cell is taken off again.
    let cell = |c: Column| -> Option<&str> { layout.at.get(&c).map(|&i| unguard(cells[i].trim())) };
    let mut problems: Vec<BadRow> = Vec::new();
    let mut bad = |c: Column, key: &'static str, mut args: Vec<(&'static str, String)>| {
        let name = layout
            .at
            .get(&c)
            .map(|&i| layout.names[i].clone())
            .unwrap_or_else(|| tr(c.label_key()).to_string());
        args.push(("column", name));
        problems.push(BadRow { line, key, args });
    };

    let term = match cell(Column::Term).filter(|t| !t.is_empty()) {
        Some(t) => match parse_term(t) {
            Ok(term) => Some(term),
            Err(e) => {
                bad(Column::Term, e.message_key(), e.args());
                None
            }
        },
        None => match default_term {
            Some(t) => Some(t),
            None => {
                bad(Column::Term, "io.bad_no_term", vec![]);
                None
            }
        },
    };

    let span = read_span(&cell, &mut bad);

    let title = cell(Column::Title).unwrap_or("").to_string();
    if title.is_empty() {
        bad(Column::Title, "calendar.err_empty_title", vec![]);
    }

    let phase_text = cell(Column::Phase).unwrap_or("");
    let phase = parse_phase(phase_text);
    if phase.is_none() {
        if phase_text.is_empty() {
            bad(Column::Phase, "io.bad_no_phase", vec![]);
        } else {
            bad(
                Column::Phase,
                "calendar.err_bad_phase",
                vec![("input", phase_text.to_string())],
            );
        }
    }

    let grades = match Grades::parse(cell(Column::Grades).unwrap_or("")) {
        Ok(g) => Some(g),
        Err(piece) => {
            bad(
                Column::Grades,
                "calendar.err_bad_grade",
                vec![("input", piece)],
            );
            None
        }
    };

    let national_text = cell(Column::National).unwrap_or("");
    let national = parse_yes_no(national_text);
    if national.is_none() {
        bad(
            Column::National,
            "io.bad_national",
            vec![("input", national_text.to_string())],
        );
    }

    let units = parse_units(cell(Column::Units).unwrap_or(""));
    let notes = cell(Column::Notes).unwrap_or("").to_string();
    let link = cell(Column::PreparesFor)
        .filter(|t| !t.is_empty())
        .map(str::to_string);

    match (term, span, phase, grades, national) {
        (Some(term), Some(span), Some(phase), Some(grades), Some(national))
            if problems.is_empty() =>
        {
            Ok((
                Event {
                    id: 0,
                    term,
                    title,
                    phase,
                    grades,
                    units,
                    span,
                    national,
                    prepares_for: None,
                    notes,
                    done_on: None,
                },
                link,
            ))
        }
        _ => Err(problems),
    }
}

/// The dates: the `dates` cell when it has text, else `start` (+ `end`).
fn read_span<'a>(
    cell: &dyn Fn(Column) -> Option<&'a str>,
    bad: &mut dyn FnMut(Column, &'static str, Vec<(&'static str, String)>),
) -> Option<DateRange> {
    let dates = cell(Column::Dates).filter(|d| !d.is_empty());
    let start = cell(Column::Start).filter(|d| !d.is_empty());
    if let Some(d) = dates.or(if start.is_none() {
        cell(Column::Dates)
    } else {
        None
    }) {
        return match parse_range(d) {
            Ok(r) => Some(r),
            Err(e) => {
                bad(Column::Dates, e.message_key(), e.args());
                None
            }
        };
    }
    let Some(start) = start else {
        // No dates column, and a blank start.
        bad(
            Column::Start,
            "date.err_empty",
            vec![("input", String::new())],
        );
        return None;
    };
    let s = match parse_date(start) {
        Ok(d) => Some(d),
        Err(e) => {
            bad(Column::Start, e.message_key(), e.args());
            None
        }
    };
    let e = match cell(Column::End).filter(|d| !d.is_empty()) {
        None => s,
        Some(end) => match parse_date(end) {
            Ok(d) => Some(d),
            Err(e) => {
                bad(Column::End, e.message_key(), e.args());
                None
            }
        },
    };
    let (s, e) = (s?, e?);
    match DateRange::new(s, e) {
        Ok(r) => Some(r),
        Err(err) => {
            bad(Column::End, err.message_key(), err.args());
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_aliases_file_parses_and_names_known_columns_and_phases() {
        assert_eq!(ALIASES.columns.len(), Column::ALL.len());
        for c in Column::ALL {
            assert!(!c.aliases().is_empty(), "{}", c.code());
        }
        for k in ALIASES.phases.keys() {
            assert!(Phase::ALL.iter().any(|p| p.code() == k), "{k}");
        }
        // One header never names two columns.
        let mut seen: HashMap<String, &str> = HashMap::new();
        for (c, names) in &ALIASES.columns {
            for n in names {
                if let Some(other) = seen.insert(normalize(n), c) {
                    panic!("{n} names both {other} and {c}");
                }
            }
        }
    }

    #[test]
    fn headers_match_loosely() {
        assert_eq!(
            Column::of_header(" Prepares_For "),
            Some(Column::PreparesFor)
        );
        assert_eq!(Column::of_header("START DATE"), Some(Column::Start));
        assert_eq!(Column::of_header("時 間"), Some(Column::Dates));
        assert_eq!(Column::of_header("聯絡人"), None);
    }

    #[test]
    fn every_phase_label_reads_back_in_both_languages() {
        for lang in [crate::i18n::Lang::ZhTw, crate::i18n::Lang::En] {
            crate::i18n::set_lang(lang);
            for p in Phase::ALL {
                assert_eq!(parse_phase(tr(p.label_key())), Some(p), "{lang:?} {p:?}");
                assert_eq!(parse_phase(p.code()), Some(p));
            }
            assert_eq!(parse_yes_no(tr("io.yes")), Some(true));
            assert_eq!(parse_yes_no(tr("io.no")), Some(false));
            for c in Column::ALL {
                assert_eq!(
                    Column::of_header(tr(c.label_key())),
                    Some(c),
                    "{lang:?} {c:?}"
                );
            }
        }
        crate::i18n::set_lang(crate::i18n::Lang::ZhTw);
    }
}
