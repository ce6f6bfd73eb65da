//! The receipt detail (收訖明細) and the student list (學生名冊) from CSV.
//!
//! The central database publishes no layout for the receipt file, so columns
//! are found by their header, in Chinese or English, ignoring case, spaces
//! (also full-width), `_`, `-`, `.`, `:` and a bracketed unit or remark at
//! the end (`件數(件)`); the names are in `assets/import/receipt_headers.toml`.
//! The header may stand below a few title rows. The file is read by
//! [`crate::io::csv_in`], as every CSV import is: UTF-8 (with or without
//! BOM) or Big5/CP950, the delimiter `,`, or `;` / tab when the first few
//! lines have more of those, header names normalised (also full-width).
//!
//! Every row is read; a row with a problem becomes one [`BadRow`] per problem
//! cell, naming its physical line in the file (title rows above the header
//! and every line of a quoted multi-line cell count) and quoting the cell.
//! Blank rows are skipped. The caller decides what to do with a file that
//! has bad rows (the CLI imports nothing unless asked to import the good
//! rows).
//!
//! # Cells (receipts)
//!
//! * student number and category are required; a missing count column means
//!   one item per line, a missing item column an empty item name.
//! * category: what [`Category::parse`] reads (基本資料, 修課記錄, diverse…).
//! * count: a whole number 0–[`MAX_COUNT`], spaces and full-width digits
//!   allowed, with or without a unit after it (`2件`, units listed in the
//!   headers file); a blank cell counts 1. `二`, `-1`, `1.5` are refused.
//! * term: `111-1` and what [`parse_term`] reads, also `1111`, `111上`,
//!   `111下學期`, `111學年度第1學期`; a row's own term wins over the default
//!   term given by the caller; without either the row is bad.
//! * seat: 1–99 or blank.
//! * columns the file has beyond the known ones are kept: the row's
//!   non-blank cells of them become [`LineIn::extra`], a compact JSON object
//!   in header order (`""` when there are none, so a re-import compares
//!   equal).
//!
//! Built for a large school (120,000 lines): one reused `StringRecord` and
//! line numbers counted incrementally ([`crate::io::csv_in`]), column
//! positions in an array, category and term cells cached by their text.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Deserialize;

use crate::domain::committee::email_ok;
use crate::domain::receipt::{
    Category, LineIn, Student, StudentStatus, grade_of_class, parse_grade, parse_seat,
};
use crate::domain::roc::{Term, parse_term};
use crate::i18n::{Localized, tr, trf};
pub use crate::io::csv_in::normalize_header;
use crate::io::csv_in::{
    self, Aliases, BadRow, CsvError, distinct_lines, found_text, half_width_char, header_text,
    name_with_aliases, text_of,
};
use crate::io::text::{DecodeError, TextEncoding};

/// The largest count a receipt line may have (more is a mistake: a student
/// number typed into the count column, say).
pub const MAX_COUNT: u32 = 999;

// ---------------------------------------------------------------------------
// Columns
// ---------------------------------------------------------------------------

/// A column of a receipt or student file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    StudentNo,
    Name,
    Class,
    Seat,
    Category,
    Item,
    Count,
    Term,
    Grade,
    Status,
    PostalCode,
    Address,
    Email,
}

const FIELD_COUNT: usize = 13;

impl Field {
    /// The columns of a receipt file.
    pub const RECEIPT: [Field; 8] = [
        Field::StudentNo,
        Field::Name,
        Field::Class,
        Field::Seat,
        Field::Category,
        Field::Item,
        Field::Count,
        Field::Term,
    ];

    /// The columns of a student file.
    pub const STUDENT: [Field; 9] = [
        Field::StudentNo,
        Field::Name,
        Field::Class,
        Field::Seat,
        Field::Grade,
        Field::Status,
        Field::PostalCode,
        Field::Address,
        Field::Email,
    ];

    /// The canonical name, as in the headers file.
    pub fn code(self) -> &'static str {
        match self {
            Field::StudentNo => "student_no",
            Field::Name => "name",
            Field::Class => "class",
            Field::Seat => "seat_no",
            Field::Category => "category",
            Field::Item => "item",
            Field::Count => "count",
            Field::Term => "term",
            Field::Grade => "grade",
            Field::Status => "status",
            Field::PostalCode => "postal_code",
            Field::Address => "address",
            Field::Email => "email",
        }
    }

    /// i18n key of the column's name (also the header the exports write).
    pub fn label_key(self) -> &'static str {
        match self {
            Field::StudentNo => "rcio.col_student_no",
            Field::Name => "rcio.col_name",
            Field::Class => "rcio.col_class",
            Field::Seat => "rcio.col_seat",
            Field::Category => "rcio.col_category",
            Field::Item => "rcio.col_item",
            Field::Count => "rcio.col_count",
            Field::Term => "rcio.col_term",
            Field::Grade => "rcio.col_grade",
            Field::Status => "rcio.col_status",
            Field::PostalCode => "rcio.col_postal_code",
            Field::Address => "rcio.col_address",
            Field::Email => "rcio.col_email",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Which kind of file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileKind {
    Receipts,
    Students,
}

impl FileKind {
    /// The columns this kind of file may have.
    pub fn fields(self) -> &'static [Field] {
        match self {
            FileKind::Receipts => &Field::RECEIPT,
            FileKind::Students => &Field::STUDENT,
        }
    }

    /// The columns it must have (the term aside: see [`parse_receipts`]).
    pub fn required(self) -> &'static [Field] {
        match self {
            FileKind::Receipts => &[Field::StudentNo, Field::Category],
            FileKind::Students => &[Field::StudentNo],
        }
    }

    /// The headers accepted for a column.
    pub fn aliases(self, f: Field) -> &'static [String] {
        let table = match self {
            FileKind::Receipts => &HEADERS.receipts,
            FileKind::Students => &HEADERS.students,
        };
        table.get(f.code()).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The column a header names in this kind of file, if any.
    pub fn field_of(self, header: &str) -> Option<Field> {
        let map = match self {
            FileKind::Receipts => &RECEIPT_MAP,
            FileKind::Students => &STUDENT_MAP,
        };
        map.of(header)
    }
}

#[derive(Deserialize)]
struct Headers {
    receipts: HashMap<String, Vec<String>>,
    students: HashMap<String, Vec<String>>,
    values: Values,
}

#[derive(Deserialize)]
struct Values {
    count_units: Vec<String>,
    year_words: Vec<String>,
    first_semester: Vec<String>,
    second_semester: Vec<String>,
}

const HEADERS_TOML: &str = include_str!("../../assets/import/receipt_headers.toml");

static HEADERS: LazyLock<Headers> = LazyLock::new(|| {
    toml::from_str(HEADERS_TOML).expect("embedded receipt_headers.toml parses (tested)")
});

fn header_map(kind: FileKind) -> Aliases<Field> {
    Aliases::new(
        kind.fields()
            .iter()
            .map(|&f| (f, f.code(), kind.aliases(f))),
    )
}

static RECEIPT_MAP: LazyLock<Aliases<Field>> = LazyLock::new(|| header_map(FileKind::Receipts));
static STUDENT_MAP: LazyLock<Aliases<Field>> = LazyLock::new(|| header_map(FileKind::Students));

// ---------------------------------------------------------------------------
// Cell values
// ---------------------------------------------------------------------------

/// Half-width (full-width digits and `－` as ASCII), without spaces.
fn half_width(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(half_width_char)
        .collect()
}

/// A count as written: `2`, ` 2 `, `２`, `2件`; blank counts 1. None for
/// anything else (`二`, `-1`, `1.5`, more than [`MAX_COUNT`]).
pub fn parse_count(s: &str) -> Option<u32> {
    let t = s.trim();
    if t.is_empty() {
        return Some(1);
    }
    if t.bytes().all(|b| b.is_ascii_digit()) {
        return t.parse::<u32>().ok().filter(|n| *n <= MAX_COUNT);
    }
    let t = half_width(t);
    let digits = HEADERS
        .values
        .count_units
        .iter()
        .find_map(|u| t.strip_suffix(u.as_str()))
        .unwrap_or(&t);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse::<u32>().ok().filter(|n| *n <= MAX_COUNT)
}

/// A term as a receipt file writes it: `111-1` (and what [`parse_term`]
/// reads), `1111`, `111上`, `111下學期`, `111學年度第1學期`.
pub fn parse_term_cell(s: &str) -> Option<Term> {
    if let Ok(t) = parse_term(s) {
        return Some(t);
    }
    let t = half_width(s);
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, rest) = t.split_at(split);
    if num.is_empty() {
        return None;
    }
    let (year, semester): (&str, u8) = if rest.is_empty() {
        // 1111: three digits of year and one of semester.
        if num.len() != 4 {
            return None;
        }
        (&num[..3], num[3..].parse().ok()?)
    } else {
        let v = &HEADERS.values;
        let rest = v
            .year_words
            .iter()
            .find_map(|w| rest.strip_prefix(w.as_str()))
            .unwrap_or(rest);
        let semester = if v.first_semester.iter().any(|w| w == rest) {
            1
        } else if v.second_semester.iter().any(|w| w == rest) {
            2
        } else {
            return None;
        };
        (num, semester)
    };
    Term::new(year.parse().ok()?, semester).ok()
}

/// The category names a file may use, for the message of an unknown one.
pub fn accepted_categories() -> String {
    let names: Vec<String> = Category::ALL
        .iter()
        .map(|c| trf("io.quoted", &[("text", tr(c.label_key()).to_string())]))
        .collect();
    names.join(tr("list.sep"))
}

/// A JSON string literal (with its quotes) appended to `out`.
fn push_json_str(out: &mut String, s: &str) {
    out.push('\x22');
    for c in s.chars() {
        match c {
            '\x22' => {
                out.push('\\');
                out.push('\x22');
            }
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('\x22');
}

// ---------------------------------------------------------------------------
// What a file holds
// ---------------------------------------------------------------------------

/// What a receipt CSV holds.
#[derive(Debug, Clone, PartialEq)]
pub struct ReceiptFile {
    pub encoding: TextEncoding,
    /// The line the header was found on (1 unless title rows stand above it).
    pub header_line: usize,
    /// The good lines, in file order.
    pub lines: Vec<LineIn>,
    /// The physical line of each good line (same index as `lines`).
    pub line_numbers: Vec<usize>,
    /// Problems, one per problem cell, in line order.
    pub bad: Vec<BadRow>,
    /// Headers that name no known column: their cells are kept in
    /// [`LineIn::extra`].
    pub unknown_headers: Vec<String>,
    /// Data rows read (blank rows not counted).
    pub rows: usize,
}

impl ReceiptFile {
    /// Number of distinct lines with a problem.
    pub fn bad_lines(&self) -> usize {
        distinct_lines(&self.bad)
    }
}

/// What a student CSV holds.
#[derive(Debug, Clone, PartialEq)]
pub struct StudentFile {
    pub encoding: TextEncoding,
    pub header_line: usize,
    /// The good rows, in file order (`id` 0). A blank grade is taken from
    /// the class where it says (`301` → 12).
    pub students: Vec<Student>,
    /// The physical line of each student (same index as `students`).
    pub line_numbers: Vec<usize>,
    /// Indexes into `students` whose status was blank or had no column: the
    /// status read is "enrolled", and an importer should keep a stored
    /// student's status instead.
    pub blank_status: Vec<usize>,
    pub bad: Vec<BadRow>,
    /// Headers that name no known column (their cells are not imported).
    pub unknown_headers: Vec<String>,
    /// Data rows read (blank rows not counted).
    pub rows: usize,
}

impl StudentFile {
    /// Number of distinct lines with a problem.
    pub fn bad_lines(&self) -> usize {
        distinct_lines(&self.bad)
    }
}

// ---------------------------------------------------------------------------
// Errors of the whole file
// ---------------------------------------------------------------------------

/// Why a whole receipt or student file cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReceiptFileError {
    /// Not text in any encoding tried.
    Decode(DecodeError),
    /// Nothing but blank lines.
    Empty,
    /// Required columns are missing: which, and the headers the file has.
    MissingColumns {
        kind: FileKind,
        missing: Vec<Field>,
        found: Vec<String>,
        line: usize,
    },
    /// The CSV itself cannot be parsed.
    Unreadable { line: usize, detail: String },
    /// No term column, and no default term given.
    NoTerm { found: Vec<String>, line: usize },
}

impl From<CsvError> for ReceiptFileError {
    fn from(e: CsvError) -> Self {
        match e {
            CsvError::Empty => ReceiptFileError::Empty,
            CsvError::Unreadable { line, detail } => ReceiptFileError::Unreadable { line, detail },
        }
    }
}

impl From<DecodeError> for ReceiptFileError {
    fn from(e: DecodeError) -> Self {
        ReceiptFileError::Decode(e)
    }
}

impl std::fmt::Display for ReceiptFileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}
impl std::error::Error for ReceiptFileError {}

/// "學號（學號、學生學號、student_no…）".
fn field_with_aliases(kind: FileKind, f: Field) -> String {
    name_with_aliases(tr(f.label_key()), kind.aliases(f))
}

impl Localized for ReceiptFileError {
    fn message_key(&self) -> &'static str {
        match self {
            ReceiptFileError::Decode(e) => e.message_key(),
            ReceiptFileError::Empty => "io.file_empty",
            ReceiptFileError::MissingColumns { .. } => "io.missing_columns",
            ReceiptFileError::Unreadable { .. } => "io.file_unreadable",
            ReceiptFileError::NoTerm { .. } => "rcio.no_term",
        }
    }
    fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            ReceiptFileError::Decode(e) => e.args(),
            ReceiptFileError::Empty => vec![],
            ReceiptFileError::MissingColumns {
                kind,
                missing,
                found,
                line,
            } => {
                let names: Vec<&str> = missing.iter().map(|c| tr(c.label_key())).collect();
                let mut expected: Vec<Field> = kind.required().to_vec();
                for m in missing {
                    if !expected.contains(m) {
                        expected.push(*m);
                    }
                }
                let expected: Vec<String> = expected
                    .iter()
                    .map(|f| field_with_aliases(*kind, *f))
                    .collect();
                vec![
                    ("missing", names.join(tr("list.sep"))),
                    ("expected", expected.join(tr("io.part_sep"))),
                    ("found", found_text(found)),
                    ("line", line.to_string()),
                ]
            }
            ReceiptFileError::Unreadable { line, detail } => {
                vec![("line", line.to_string()), ("detail", detail.clone())]
            }
            ReceiptFileError::NoTerm { found, line } => vec![
                (
                    "column",
                    field_with_aliases(FileKind::Receipts, Field::Term),
                ),
                ("found", found_text(found)),
                ("line", line.to_string()),
            ],
        }
    }
}

// ---------------------------------------------------------------------------
// Reading the table
// ---------------------------------------------------------------------------

/// The column layout found in the header.
struct Layout {
    /// Field → index of its cell.
    at: [Option<usize>; FIELD_COUNT],
    /// Header as written, per cell index.
    names: Vec<String>,
    /// Cells the header has.
    width: usize,
    /// Cells a row needs to reach the last named column.
    needed: usize,
    /// Columns with a header naming no field: (index, header as a JSON string).
    unknown: Vec<(usize, String)>,
    unknown_names: Vec<String>,
}

impl Layout {
    fn from_header(kind: FileKind, cells: &csv::StringRecord) -> Layout {
        let mut at = [None; FIELD_COUNT];
        let mut names = Vec::with_capacity(cells.len());
        let mut unknown = Vec::new();
        let mut unknown_names: Vec<String> = Vec::new();
        let mut needed = 0;
        for (i, h) in cells.iter().enumerate() {
            let h = header_text(h);
            names.push(h.to_string());
            if h.is_empty() {
                continue;
            }
            needed = i + 1;
            match kind.field_of(h) {
                Some(f) if at[f.index()].is_none() => at[f.index()] = Some(i),
                _ => {
                    // The same header twice: the second gets a number.
                    let mut key = h.to_string();
                    let mut n = 1;
                    while unknown_names.contains(&key) {
                        n += 1;
                        key = format!("{h} ({n})");
                    }
                    let mut json = String::with_capacity(key.len() + 2);
                    push_json_str(&mut json, &key);
                    unknown.push((i, json));
                    unknown_names.push(key);
                }
            }
        }
        Layout {
            at,
            names,
            width: cells.len(),
            needed,
            unknown,
            unknown_names,
        }
    }

    fn has(&self, f: Field) -> bool {
        self.at[f.index()].is_some()
    }

    fn known(&self) -> usize {
        self.at.iter().filter(|a| a.is_some()).count()
    }

    /// The trimmed cell of a field, if the file has the column.
    fn get<'r>(&self, rec: &'r csv::StringRecord, f: Field) -> Option<&'r str> {
        self.at[f.index()].map(|i| rec.get(i).unwrap_or("").trim())
    }

    /// The trimmed cell of a field, blank when there is no such column.
    fn cell<'r>(&self, rec: &'r csv::StringRecord, f: Field) -> &'r str {
        self.get(rec, f).unwrap_or("")
    }

    /// The column's header as written, or its name when the file has none.
    fn column_name(&self, f: Field) -> String {
        match self.at[f.index()] {
            Some(i) => self.names[i].clone(),
            None => tr(f.label_key()).to_string(),
        }
    }

    /// A row's width problem: too few cells to reach the named columns, or
    /// filled cells beyond the header.
    fn width_problem(&self, rec: &csv::StringRecord, line: usize) -> Option<BadRow> {
        BadRow::width(rec, self.needed, self.width, line)
    }

    /// The row's unknown cells as a compact JSON object in header order,
    /// blank cells left out; `""` when all are blank.
    fn extra(&self, rec: &csv::StringRecord) -> String {
        let mut out = String::new();
        for (i, key) in &self.unknown {
            let v = rec.get(*i).unwrap_or("").trim();
            if v.is_empty() {
                continue;
            }
            out.push(if out.is_empty() { '{' } else { ',' });
            out.push_str(key);
            out.push(':');
            push_json_str(&mut out, v);
        }
        if !out.is_empty() {
            out.push('}');
        }
        out
    }
}

/// Consumer of the rows of a receipt or student table.
trait Sink {
    /// The header is known; refuse the file here (a missing term).
    fn start(&mut self, layout: &Layout, line: usize) -> Result<(), ReceiptFileError>;
    fn row(&mut self, layout: &Layout, line: usize, rec: &csv::StringRecord);
}

/// A receipt or student file read through [`csv_in::read_table`]: the
/// layout of its header, then the rows to the sink.
struct Reading<'s> {
    kind: FileKind,
    layout: Option<Layout>,
    unknown_headers: Vec<String>,
    sink: &'s mut dyn Sink,
}

impl csv_in::Table for Reading<'_> {
    type Error = ReceiptFileError;

    fn header_rank(&self, cells: &csv::StringRecord) -> u8 {
        let l = Layout::from_header(self.kind, cells);
        csv_in::rank(self.kind.required().iter().all(|f| l.has(*f)), l.known())
    }

    fn header(&mut self, line: usize, cells: &csv::StringRecord) -> Result<(), ReceiptFileError> {
        let kind = self.kind;
        let l = Layout::from_header(kind, cells);
        let mut missing: Vec<Field> = kind
            .required()
            .iter()
            .copied()
            .filter(|f| !l.has(*f))
            .collect();
        if let Err(e) = self.sink.start(&l, line) {
            if missing.is_empty() {
                return Err(e);
            }
            missing.push(Field::Term);
        }
        if !missing.is_empty() {
            return Err(ReceiptFileError::MissingColumns {
                kind,
                missing,
                found: l.names,
                line,
            });
        }
        self.unknown_headers = l.unknown_names.clone();
        self.layout = Some(l);
        Ok(())
    }

    fn row(&mut self, line: usize, cells: &csv::StringRecord) {
        if let Some(l) = &self.layout {
            self.sink.row(l, line, cells);
        }
    }
}

/// What [`read_table`] found besides the rows.
struct Table {
    header_line: usize,
    unknown_headers: Vec<String>,
    rows: usize,
}

fn read_table(text: &str, kind: FileKind, sink: &mut dyn Sink) -> Result<Table, ReceiptFileError> {
    let mut reading = Reading {
        kind,
        layout: None,
        unknown_headers: Vec::new(),
        sink,
    };
    let read = csv_in::read_table(text, &mut reading)?;
    Ok(Table {
        header_line: read.header_line,
        unknown_headers: reading.unknown_headers,
        rows: read.rows,
    })
}

/// One problem of a row, in the column as headed in the file.
fn bad(
    out: &mut Vec<BadRow>,
    layout: &Layout,
    line: usize,
    f: Field,
    key: &'static str,
    mut args: Vec<(&'static str, String)>,
) {
    args.push(("column", layout.column_name(f)));
    out.push(BadRow { line, key, args });
}

// ---------------------------------------------------------------------------
// Receipts
// ---------------------------------------------------------------------------

struct ReceiptSink {
    default_term: Option<Term>,
    lines: Vec<LineIn>,
    line_numbers: Vec<usize>,
    bad: Vec<BadRow>,
    /// Cell text → category (a file uses a handful of names).
    categories: Vec<(String, Option<Category>)>,
    /// Cell text → term.
    terms: Vec<(String, Option<Term>)>,
    accepted: Option<String>,
    /// Student numbers whose name and class a line already carries: later
    /// lines of the same student leave them empty (the store reads them from
    /// a student's first line only), which keeps a 120,000-line file small.
    named: std::collections::HashSet<String>,
}

/// Looks `s` up in a small cache, reading and keeping it when new.
fn cached<T: Copy>(cache: &mut Vec<(String, T)>, s: &str, read: impl Fn(&str) -> T) -> T {
    if let Some((_, v)) = cache.iter().find(|(k, _)| k == s) {
        return *v;
    }
    let v = read(s);
    if cache.len() < 32 {
        cache.push((s.to_string(), v));
    }
    v
}

impl Sink for ReceiptSink {
    fn start(&mut self, layout: &Layout, line: usize) -> Result<(), ReceiptFileError> {
        if self.default_term.is_none() && !layout.has(Field::Term) {
            return Err(ReceiptFileError::NoTerm {
                found: layout.names.clone(),
                line,
            });
        }
        Ok(())
    }

    fn row(&mut self, l: &Layout, line: usize, rec: &csv::StringRecord) {
        if let Some(b) = l.width_problem(rec, line) {
            self.bad.push(b);
            return;
        }
        let before = self.bad.len();
        let student_no = l.cell(rec, Field::StudentNo);
        if student_no.is_empty() {
            bad(
                &mut self.bad,
                l,
                line,
                Field::StudentNo,
                "receipt.err_no_student_no",
                vec![],
            );
        }
        let cat_text = l.cell(rec, Field::Category);
        let category = if cat_text.is_empty() {
            let accepted = self.accepted();
            bad(
                &mut self.bad,
                l,
                line,
                Field::Category,
                "rcio.bad_no_category",
                vec![("accepted", accepted)],
            );
            None
        } else {
            let c = cached(&mut self.categories, cat_text, Category::parse);
            if c.is_none() {
                let accepted = self.accepted();
                bad(
                    &mut self.bad,
                    l,
                    line,
                    Field::Category,
                    "rcio.bad_category",
                    vec![("input", cat_text.to_string()), ("accepted", accepted)],
                );
            }
            c
        };
        let count_text = l.cell(rec, Field::Count);
        let count = parse_count(count_text);
        if count.is_none() {
            bad(
                &mut self.bad,
                l,
                line,
                Field::Count,
                "rcio.bad_count",
                vec![
                    ("input", count_text.to_string()),
                    ("max", MAX_COUNT.to_string()),
                ],
            );
        }
        let term_text = l.cell(rec, Field::Term);
        let term = if term_text.is_empty() {
            if self.default_term.is_none() {
                bad(
                    &mut self.bad,
                    l,
                    line,
                    Field::Term,
                    "io.bad_no_term",
                    vec![],
                );
            }
            self.default_term
        } else {
            let t = cached(&mut self.terms, term_text, parse_term_cell);
            if t.is_none() {
                bad(
                    &mut self.bad,
                    l,
                    line,
                    Field::Term,
                    "rcio.bad_term",
                    vec![("input", term_text.to_string())],
                );
            }
            t
        };
        let seat = match parse_seat(l.cell(rec, Field::Seat)) {
            Ok(s) => s,
            Err(p) => {
                bad(
                    &mut self.bad,
                    l,
                    line,
                    Field::Seat,
                    p.message_key(),
                    p.args(),
                );
                None
            }
        };
        if self.bad.len() > before {
            return;
        }
        let (Some(category), Some(count), Some(term)) = (category, count, term) else {
            return;
        };
        let item = l.cell(rec, Field::Item);
        let first = !self.named.contains(student_no);
        if first {
            self.named.insert(student_no.to_string());
        }
        let once = |f: Field| -> Box<str> {
            if first {
                l.cell(rec, f).into()
            } else {
                "".into()
            }
        };
        self.lines.push(LineIn {
            term,
            student_no: student_no.into(),
            name: once(Field::Name),
            class: once(Field::Class),
            seat,
            category,
            item: item.into(),
            count,
            extra: l.extra(rec).into(),
        });
        self.line_numbers.push(line);
    }
}

impl ReceiptSink {
    fn accepted(&mut self) -> String {
        self.accepted
            .get_or_insert_with(accepted_categories)
            .clone()
    }
}

/// Reads a receipt-detail CSV. `default_term` is the term of rows without
/// one (and makes the term column optional); a row's own term wins.
pub fn parse_receipts(
    bytes: &[u8],
    forced: Option<TextEncoding>,
    default_term: Option<Term>,
) -> Result<ReceiptFile, ReceiptFileError> {
    let (text, encoding) = text_of(bytes, forced)?;
    // At most one record a line: reserve once for a large file.
    let guess = text.bytes().filter(|b| *b == b'\n').count() + 1;
    let mut sink = ReceiptSink {
        default_term,
        lines: Vec::with_capacity(guess),
        line_numbers: Vec::with_capacity(guess),
        bad: Vec::new(),
        categories: Vec::new(),
        terms: Vec::new(),
        accepted: None,
        named: Default::default(),
    };
    let table = read_table(&text, FileKind::Receipts, &mut sink)?;
    Ok(ReceiptFile {
        encoding,
        header_line: table.header_line,
        lines: sink.lines,
        line_numbers: sink.line_numbers,
        bad: sink.bad,
        unknown_headers: table.unknown_headers,
        rows: table.rows,
    })
}

// ---------------------------------------------------------------------------
// Students
// ---------------------------------------------------------------------------

struct StudentSink {
    students: Vec<Student>,
    line_numbers: Vec<usize>,
    blank_status: Vec<usize>,
    bad: Vec<BadRow>,
    /// Student number → the line it was first on.
    seen: HashMap<String, usize>,
}

impl Sink for StudentSink {
    fn start(&mut self, _: &Layout, _: usize) -> Result<(), ReceiptFileError> {
        Ok(())
    }

    fn row(&mut self, l: &Layout, line: usize, rec: &csv::StringRecord) {
        if let Some(b) = l.width_problem(rec, line) {
            self.bad.push(b);
            return;
        }
        let before = self.bad.len();
        let no = l.cell(rec, Field::StudentNo);
        if no.is_empty() {
            bad(
                &mut self.bad,
                l,
                line,
                Field::StudentNo,
                "receipt.err_no_student_no",
                vec![],
            );
        } else if let Some(first) = self.seen.get(no) {
            bad(
                &mut self.bad,
                l,
                line,
                Field::StudentNo,
                "rcio.bad_duplicate",
                vec![("no", no.to_string()), ("first", first.to_string())],
            );
        } else {
            self.seen.insert(no.to_string(), line);
        }
        let class = l.cell(rec, Field::Class);
        let seat = parse_seat(l.cell(rec, Field::Seat)).unwrap_or_else(|p| {
            bad(
                &mut self.bad,
                l,
                line,
                Field::Seat,
                p.message_key(),
                p.args(),
            );
            None
        });
        let grade = parse_grade(l.cell(rec, Field::Grade)).unwrap_or_else(|p| {
            bad(
                &mut self.bad,
                l,
                line,
                Field::Grade,
                p.message_key(),
                p.args(),
            );
            None
        });
        let status_text = l.cell(rec, Field::Status);
        let status = StudentStatus::parse(status_text).unwrap_or_else(|| {
            bad(
                &mut self.bad,
                l,
                line,
                Field::Status,
                "receipt.err_bad_status",
                vec![("input", status_text.to_string())],
            );
            StudentStatus::Enrolled
        });
        let email = l.cell(rec, Field::Email);
        if !email_ok(email) {
            bad(
                &mut self.bad,
                l,
                line,
                Field::Email,
                "receipt.err_bad_email",
                vec![("input", email.to_string())],
            );
        }
        if self.bad.len() > before {
            return;
        }
        if status_text.is_empty() {
            self.blank_status.push(self.students.len());
        }
        self.students.push(Student {
            id: 0,
            student_no: no.to_string(),
            name: l.cell(rec, Field::Name).to_string(),
            class: class.to_string(),
            seat,
            grade: grade.or_else(|| grade_of_class(class)),
            status,
            postal_code: l.cell(rec, Field::PostalCode).to_string(),
            address: l.cell(rec, Field::Address).to_string(),
            email: email.to_string(),
        });
        self.line_numbers.push(line);
    }
}

/// Reads a student list (學生名冊): number, name, class, seat, grade,
/// status, postal code, address, e-mail. Only the number is required; a
/// number twice is a bad row (the second).
pub fn parse_students(
    bytes: &[u8],
    forced: Option<TextEncoding>,
) -> Result<StudentFile, ReceiptFileError> {
    let (text, encoding) = text_of(bytes, forced)?;
    let mut sink = StudentSink {
        students: Vec::new(),
        line_numbers: Vec::new(),
        blank_status: Vec::new(),
        bad: Vec::new(),
        seen: HashMap::new(),
    };
    let table = read_table(&text, FileKind::Students, &mut sink)?;
    Ok(StudentFile {
        encoding,
        header_line: table.header_line,
        students: sink.students,
        line_numbers: sink.line_numbers,
        blank_status: sink.blank_status,
        bad: sink.bad,
        unknown_headers: table.unknown_headers,
        rows: table.rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_headers_file_parses_and_no_header_names_two_columns() {
        for kind in [FileKind::Receipts, FileKind::Students] {
            let table = match kind {
                FileKind::Receipts => &HEADERS.receipts,
                FileKind::Students => &HEADERS.students,
            };
            assert_eq!(table.len(), kind.fields().len(), "{kind:?}");
            for f in kind.fields() {
                assert!(!kind.aliases(*f).is_empty(), "{kind:?} {}", f.code());
            }
            let mut seen: HashMap<String, &str> = HashMap::new();
            for (c, names) in table {
                assert!(
                    kind.fields().iter().any(|f| f.code() == c),
                    "{kind:?}: {c} is no column"
                );
                for n in names {
                    if let Some(other) = seen.insert(normalize_header(n), c)
                        && other != c
                    {
                        panic!("{kind:?}: {n} names both {other} and {c}");
                    }
                }
            }
        }
    }

    /// The normalisation itself is tested in `csv_in`; here the aliases.
    #[test]
    fn headers_match_loosely() {
        let r = FileKind::Receipts;
        assert_eq!(r.field_of(" Student_No "), Some(Field::StudentNo));
        assert_eq!(r.field_of("STUDENT-NO"), Some(Field::StudentNo));
        assert_eq!(r.field_of("件數(件)"), Some(Field::Count));
        assert_eq!(r.field_of("Seat No."), Some(Field::Seat));
        assert_eq!(r.field_of("地址"), None);
        assert_eq!(FileKind::Students.field_of("地址"), Some(Field::Address));
        assert_eq!(FileKind::Students.field_of("類別"), None);
    }

    #[test]
    fn every_label_reads_back_in_both_languages() {
        for lang in [crate::i18n::Lang::ZhTw, crate::i18n::Lang::En] {
            crate::i18n::set_lang(lang);
            for kind in [FileKind::Receipts, FileKind::Students] {
                for f in kind.fields() {
                    assert_eq!(
                        kind.field_of(tr(f.label_key())),
                        Some(*f),
                        "{lang:?} {kind:?} {f:?}"
                    );
                }
            }
        }
        crate::i18n::set_lang(crate::i18n::Lang::ZhTw);
    }

    #[test]
    fn counts() {
        assert_eq!(parse_count("2"), Some(2));
        assert_eq!(parse_count(" 2 "), Some(2));
        assert_eq!(parse_count(""), Some(1));
        assert_eq!(parse_count("0"), Some(0));
        assert_eq!(parse_count("\u{ff12}"), Some(2));
        assert_eq!(parse_count("2\u{4ef6}"), Some(2));
        assert_eq!(parse_count("2 \u{4ef6}"), Some(2));
        assert_eq!(parse_count("\u{4e8c}"), None);
        assert_eq!(parse_count("-1"), None);
        assert_eq!(parse_count("1.5"), None);
        assert_eq!(parse_count("1000"), None);
        assert_eq!(parse_count("\u{4ef6}"), None);
    }

    #[test]
    fn terms() {
        let t = |y, s| {
            Some(Term {
                year: y,
                semester: s,
            })
        };
        assert_eq!(parse_term_cell("111-1"), t(111, 1));
        assert_eq!(parse_term_cell(" 111-2 "), t(111, 2));
        assert_eq!(parse_term_cell("1112"), t(111, 2));
        assert_eq!(parse_term_cell("111\u{4e0a}"), t(111, 1));
        assert_eq!(parse_term_cell("111\u{4e0b}\u{5b78}\u{671f}"), t(111, 2));
        assert_eq!(
            parse_term_cell("111\u{5b78}\u{5e74}\u{5ea6}\u{7b2c}1\u{5b78}\u{671f}"),
            t(111, 1)
        );
        assert_eq!(
            parse_term_cell("\u{ff11}\u{ff11}\u{ff11}-\u{ff11}"),
            t(111, 1)
        );
        assert_eq!(parse_term_cell("111-3"), None);
        assert_eq!(parse_term_cell("1113"), None);
        assert_eq!(parse_term_cell("111"), None);
        assert_eq!(parse_term_cell("11111"), None);
        assert_eq!(parse_term_cell("abc"), None);
        assert_eq!(parse_term_cell("111\u{4e2d}"), None);
    }

    #[test]
    fn json_strings_are_escaped() {
        let mut s = String::new();
        push_json_str(&mut s, "a\"b\\c\nd\u{1}");
        assert_eq!(s, r#""a\"b\\c\nd\u0001""#);
        let v: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v, "a\"b\\c\nd\u{1}");
    }
}
