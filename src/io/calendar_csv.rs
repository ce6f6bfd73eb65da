//! Calendar events from CSV: a school's term schedule as a spreadsheet.
//!
//! Columns are found by their header, in Chinese or English, ignoring case,
//! spaces, full-width forms, `_` and `-` (aliases in
//! `assets/import/calendar_headers.toml`); the file is read by
//! [`crate::io::csv_in`] (encoding, delimiter, title rows above the header).
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
pub use crate::io::csv_in::BadRow;
use crate::io::csv_in::{
    self, CsvError, distinct_lines, found_text, header_text, name_with_aliases,
    normalize_header as normalize, text_of,
};
use crate::io::csv_out::unguard;
use crate::io::text::{DecodeError, TextEncoding};

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
        HEADER_MAP.of(header)
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

static HEADER_MAP: LazyLock<csv_in::Aliases<Column>> =
    LazyLock::new(|| csv_in::Aliases::new(Column::ALL.iter().map(|&c| (c, c.code(), c.aliases()))));

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
        distinct_lines(&self.bad)
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

impl From<CsvError> for FileError {
    fn from(e: CsvError) -> Self {
        match e {
            CsvError::Empty => FileError::Empty,
            CsvError::Unreadable { line, detail } => FileError::Unreadable { line, detail },
        }
    }
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
    name_with_aliases(tr(c.label_key()), c.aliases())
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
                let found = found_text(found);
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
    fn from_header(cells: &csv::StringRecord) -> (Layout, Vec<String>) {
        let mut at = HashMap::new();
        let mut unknown = Vec::new();
        for (i, h) in cells.iter().enumerate() {
            let h = header_text(h);
            if h.is_empty() {
                continue;
            }
            match Column::of_header(h) {
                Some(c) if !at.contains_key(&c) => {
                    at.insert(c, i);
                }
                _ => unknown.push(h.to_string()),
            }
        }
        (
            Layout {
                at,
                width: cells.len(),
                names: cells.iter().map(|h| header_text(h).to_string()).collect(),
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

/// A calendar file read through [`csv_in::read_table`].
struct Reading {
    default_term: Option<Term>,
    layout: Option<Layout>,
    out: EventFile,
}

impl csv_in::Table for Reading {
    type Error = FileError;

    fn header_rank(&self, cells: &csv::StringRecord) -> u8 {
        let (l, _) = Layout::from_header(cells);
        csv_in::rank(l.missing(self.default_term.is_none()).is_empty(), l.known())
    }

    fn header(&mut self, line: usize, cells: &csv::StringRecord) -> Result<(), FileError> {
        let need_term = self.default_term.is_none();
        let (layout, unknown_headers) = Layout::from_header(cells);
        let missing = layout.missing(need_term);
        if !missing.is_empty() {
            return Err(FileError::MissingColumns {
                missing,
                need_term,
                found: layout.names,
                line,
            });
        }
        self.out.header_line = line;
        self.out.unknown_headers = unknown_headers;
        self.layout = Some(layout);
        Ok(())
    }

    fn row(&mut self, line: usize, cells: &csv::StringRecord) {
        let Some(layout) = &self.layout else {
            return;
        };
        let out = &mut self.out;
        match read_row(layout, line, cells, self.default_term) {
            Ok((event, link)) => {
                if let Some(target) = link {
                    out.links.push((out.events.len(), target));
                }
                out.events.push((line, event));
            }
            Err(mut problems) => out.bad.append(&mut problems),
        }
    }
}

/// Reads a calendar CSV. `default_term` fills the term of rows that have
/// none (and makes the term column optional).
pub fn read_events(
    bytes: &[u8],
    forced: Option<TextEncoding>,
    default_term: Option<Term>,
) -> Result<EventFile, FileError> {
    let (text, encoding) = text_of(bytes, forced)?;
    let mut reading = Reading {
        default_term,
        layout: None,
        out: EventFile {
            encoding,
            header_line: 0,
            events: Vec::new(),
            links: Vec::new(),
            bad: Vec::new(),
            unknown_headers: Vec::new(),
        },
    };
    csv_in::read_table(&text, &mut reading)?;
    Ok(reading.out)
}

/// One data row: the event and the title it prepares for, or every
/// problem found (the first of each cell).
fn read_row(
    layout: &Layout,
    line: usize,
    cells: &csv::StringRecord,
    default_term: Option<Term>,
) -> Result<(Event, Option<String>), Vec<BadRow>> {
    if let Some(b) = BadRow::width(cells, layout.width, layout.width, line) {
        return Err(vec![b]);
    }
    // The `'` an export put before a formula-like cell is taken off again.
    let cell = |c: Column| -> Option<&str> {
        layout
            .at
            .get(&c)
            .map(|&i| unguard(cells.get(i).unwrap_or("").trim()))
    };
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
