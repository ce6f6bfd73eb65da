//! ROC (民國) dates, date ranges and school terms.
//!
//! Pure domain logic: no I/O and no user-facing text. A parse failure is a
//! [`DateError`] that keeps the exact original input and a [`DateErrorKind`]
//! saying what is wrong; the UI turns it into a sentence with
//! [`DateError::message_key`] (`date.err_*`) and [`DateError::args`], looked up
//! in `assets/i18n/<lang>/date.toml`.
//!
//! # Accepted grammar
//!
//! Before parsing, surrounding whitespace is trimmed and full-width forms are
//! folded to ASCII: `０`–`９` → digits, `．` → `.`, `／` → `/`, `－` → `-`,
//! `～` / `〜` → `~`, ideographic space → space.
//!
//! ```text
//! year   = 1–3 digits   ROC year 1..=300        (民國 1 = 1912 … 民國 300 = 2211)
//!        | 4 digits     Gregorian year 1912..=2211 (the same span)
//! sep    = "." | "/" | "-"    one kind per date; "-" only with a 4-digit year
//!
//! date   = year sep month sep day [sep]     112.04.11  112.4.11  112/04/11  2023-04-11
//! month  = year sep month [sep]             111.10  111.10.  (the whole month)
//!
//! range  = date                             a one-day range
//!        | month                            the whole month
//!        | date  rsep date-end
//!        | month rsep month-end
//! rsep   = "~" | "至"                       spaces allowed around it
//!        | "-"                              only when the dates use "." or "/"
//!                                           (110.09.-111.02., 112.02-112.03)
//! date-end, read relative to the start:
//!        day                                112.02.11~28         same year and month
//!        month sep day                      112.04.10~05.02      same year
//!        year sep month sep day             111.12.25~112.01.05
//! month-end:
//!        month                              111.09~12            same year
//!        year sep month [sep]               110.09.-111.02.
//!
//! term   = roc-year "-" semester            111-1, 111-2 (semester is 1 or 2)
//! ```
//!
//! Decisions:
//! * ROC dates written with dashes (`112-04-11`) are refused
//!   ([`DateErrorKind::RocWithDashes`]): in school documents a `-` between ROC
//!   parts means "to" (`112.02-112.03`), so `112-04-11` is ambiguous. A
//!   4-digit (Gregorian) year may use dashes: `2023-04-11`.
//! * Both ends of a range have the same precision (both days or both months);
//!   anything else is [`DateErrorKind::MixedPrecision`].
//! * A relative end never rolls over into the next year: `112.12.25~01.05` is
//!   backwards; write `112.12.25~113.01.05`.
//!
//! # Academic calendar
//!
//! The academic year (學年度) runs 1 August – 31 July and is named by the ROC
//! year in which it starts. Semester 1 is 1 Aug – 31 Jan, semester 2 is
//! 1 Feb – 31 Jul: 111-1 = 2022-08-01..=2023-01-31, 111-2 = 2023-02-01..=2023-07-31.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};

/// Gregorian year = ROC year + `ROC_OFFSET`.
pub const ROC_OFFSET: i32 = 1911;
/// Smallest ROC year accepted by the parsers.
pub const MIN_ROC_YEAR: i32 = 1;
/// Largest ROC year accepted by the parsers.
pub const MAX_ROC_YEAR: i32 = 300;
/// Smallest Gregorian year accepted by the parsers (ROC 1).
pub const MIN_GREGORIAN_YEAR: i32 = MIN_ROC_YEAR + ROC_OFFSET;
/// Largest Gregorian year accepted by the parsers (ROC 300).
pub const MAX_GREGORIAN_YEAR: i32 = MAX_ROC_YEAR + ROC_OFFSET;

/// How dates are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum DateStyle {
    /// `112.04.11`
    #[default]
    Roc,
    /// `2023-04-11`
    Gregorian,
}

/// Whether a range was written with days or with whole months.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Precision {
    Day,
    Month,
}

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

/// Why an input was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateErrorKind {
    /// Nothing but whitespace.
    Empty,
    /// A character that has no place in a date (a letter, `#`, …).
    UnexpectedChar { ch: char },
    /// Two separators in a row: `112..08.01`.
    DoubledSeparator,
    /// The pieces do not form any accepted shape (stray or leading
    /// separators, too many or too few numbers, mixed separators, a missing
    /// end after `~`, several `~`).
    Malformed,
    /// An ROC date written with dashes, `112-04-11` (ambiguous, see module docs).
    RocWithDashes,
    /// A single date was expected but only year and month were given.
    MissingDay,
    /// One end of a range has a day and the other only a month.
    MixedPrecision,
    /// Year outside `min..=max` (ROC 1..=300 for 1–3 digit years, Gregorian
    /// 1912..=2211 otherwise). `year` is the number as written (may be negative).
    YearOutOfRange { year: i64, min: i32, max: i32 },
    /// Month outside 1..=12.
    MonthOutOfRange { month: u32 },
    /// The day does not exist in that month (includes day 0).
    /// `year` is the Gregorian year; [`DateError::args`] shows it as ROC.
    DayOutOfRange {
        year: i32,
        month: u32,
        day: u32,
        max_day: u32,
    },
    /// The end comes before the start. With [`Precision::Month`] only the
    /// year and month of `start` and `end` are meaningful.
    Backwards {
        start: NaiveDate,
        end: NaiveDate,
        precision: Precision,
    },
    /// Not of the form `111-1`.
    BadTerm,
    /// Semester other than 1 or 2.
    BadSemester { semester: u32 },
}

/// A refused input: the exact original text and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError {
    pub input: String,
    pub kind: DateErrorKind,
}

impl DateError {
    pub fn new(input: &str, kind: DateErrorKind) -> Self {
        DateError {
            input: input.to_string(),
            kind,
        }
    }

    /// The i18n key of the message, e.g. `"date.err_impossible_day"`.
    pub fn message_key(&self) -> &'static str {
        match self.kind {
            DateErrorKind::Empty => "date.err_empty",
            DateErrorKind::UnexpectedChar { .. } => "date.err_unexpected_char",
            DateErrorKind::DoubledSeparator => "date.err_doubled_separator",
            DateErrorKind::Malformed => "date.err_malformed",
            DateErrorKind::RocWithDashes => "date.err_roc_dashes",
            DateErrorKind::MissingDay => "date.err_missing_day",
            DateErrorKind::MixedPrecision => "date.err_mixed_precision",
            DateErrorKind::YearOutOfRange { .. } => "date.err_year_range",
            DateErrorKind::MonthOutOfRange { .. } => "date.err_month_range",
            DateErrorKind::DayOutOfRange { .. } => "date.err_impossible_day",
            DateErrorKind::Backwards { .. } => "date.err_backwards",
            DateErrorKind::BadTerm => "date.err_bad_term",
            DateErrorKind::BadSemester { .. } => "date.err_bad_semester",
        }
    }

    /// Placeholder values for the message. Always starts with `("input", …)`.
    /// Years are ROC years and dates are ROC-formatted (`112.04.11`, or
    /// `111.09` for month ranges).
    pub fn args(&self) -> Vec<(&'static str, String)> {
        let mut args = vec![("input", self.input.clone())];
        match &self.kind {
            DateErrorKind::Empty
            | DateErrorKind::DoubledSeparator
            | DateErrorKind::Malformed
            | DateErrorKind::RocWithDashes
            | DateErrorKind::MissingDay
            | DateErrorKind::MixedPrecision
            | DateErrorKind::BadTerm => {}
            DateErrorKind::UnexpectedChar { ch } => args.push(("ch", ch.to_string())),
            DateErrorKind::YearOutOfRange { year, min, max } => {
                args.push(("year", year.to_string()));
                args.push(("min", min.to_string()));
                args.push(("max", max.to_string()));
            }
            DateErrorKind::MonthOutOfRange { month } => args.push(("month", month.to_string())),
            DateErrorKind::DayOutOfRange {
                year,
                month,
                day,
                max_day,
            } => {
                args.push(("year", (year - ROC_OFFSET).to_string()));
                args.push(("month", month.to_string()));
                args.push(("day", day.to_string()));
                args.push(("max_day", max_day.to_string()));
            }
            DateErrorKind::Backwards {
                start,
                end,
                precision,
            } => {
                args.push(("start", format_with_precision(*start, *precision)));
                args.push(("end", format_with_precision(*end, *precision)));
            }
            DateErrorKind::BadSemester { semester } => {
                args.push(("semester", semester.to_string()));
            }
        }
        args
    }
}

/// Plain English, for logs. The UI uses `message_key` and `args` instead.
impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let input = &self.input;
        match &self.kind {
            DateErrorKind::Empty => write!(f, "empty date input"),
            DateErrorKind::UnexpectedChar { ch } => {
                write!(f, "{input:?}: unexpected character {ch:?}")
            }
            DateErrorKind::DoubledSeparator => write!(f, "{input:?}: doubled separator"),
            DateErrorKind::Malformed => write!(f, "{input:?}: not a recognised date format"),
            DateErrorKind::RocWithDashes => {
                write!(f, "{input:?}: ROC dates must use '.' or '/', not '-'")
            }
            DateErrorKind::MissingDay => write!(f, "{input:?}: a day is required"),
            DateErrorKind::MixedPrecision => {
                write!(f, "{input:?}: one end has a day, the other only a month")
            }
            DateErrorKind::YearOutOfRange { year, min, max } => {
                write!(f, "{input:?}: year {year} is outside {min}..={max}")
            }
            DateErrorKind::MonthOutOfRange { month } => {
                write!(f, "{input:?}: month {month} does not exist")
            }
            DateErrorKind::DayOutOfRange {
                year,
                month,
                day,
                max_day,
            } => write!(
                f,
                "{input:?}: {year}-{month:02} has no day {day} (only 1..={max_day})"
            ),
            DateErrorKind::Backwards {
                start,
                end,
                precision,
            } => write!(
                f,
                "{input:?}: range runs backwards ({} is after {})",
                format_with_precision(*start, *precision),
                format_with_precision(*end, *precision)
            ),
            DateErrorKind::BadTerm => write!(f, "{input:?}: not a term like 111-1"),
            DateErrorKind::BadSemester { semester } => {
                write!(f, "{input:?}: semester {semester} is not 1 or 2")
            }
        }
    }
}

impl std::error::Error for DateError {}

// ---------------------------------------------------------------------------
// Years and formatting
// ---------------------------------------------------------------------------

/// ROC year of a date (Gregorian year − 1911; zero or negative before 1912).
pub fn roc_year(d: NaiveDate) -> i32 {
    d.year() - ROC_OFFSET
}

/// The academic year that examples in messages use (`{ey}`), set once at
/// start from today; 0 until then (then the clock's year is used).
static EXAMPLE_YEAR: std::sync::atomic::AtomicI32 = std::sync::atomic::AtomicI32::new(0);

/// Makes messages' examples use the academic year of `today`.
pub fn set_example_year(today: NaiveDate) {
    EXAMPLE_YEAR.store(
        academic_year_of(today),
        std::sync::atomic::Ordering::Relaxed,
    );
}

/// The academic year of today, for examples in messages and hints.
pub fn example_year() -> i32 {
    match EXAMPLE_YEAR.load(std::sync::atomic::Ordering::Relaxed) {
        0 => academic_year_of(chrono::Local::now().date_naive()),
        y => y,
    }
}

/// Placeholders for examples from the current academic year: `{ey}` (its
/// ROC year, e.g. 115), `{ey1}` (the next one, for its spring dates) and
/// `{gy}` (the Gregorian year of its autumn, e.g. 2026).
pub fn example_args() -> Vec<(&'static str, String)> {
    let y = example_year();
    vec![
        ("ey", y.to_string()),
        ("ey1", (y + 1).to_string()),
        ("gy", (y + ROC_OFFSET).to_string()),
    ]
}

/// ROC academic year (學年度) containing `d`; it starts on 1 August.
pub fn academic_year_of(d: NaiveDate) -> i32 {
    if d.month() >= 8 {
        roc_year(d)
    } else {
        roc_year(d) - 1
    }
}

/// `112.04.11`: year unpadded, month and day two digits.
/// Dates before 1912 give a year ≤ 0, which the parsers refuse.
pub fn format_roc(d: NaiveDate) -> String {
    format!("{}.{:02}.{:02}", roc_year(d), d.month(), d.day())
}

/// ROC year and month only: `111.09`.
pub fn format_roc_month(d: NaiveDate) -> String {
    format!("{}.{:02}", roc_year(d), d.month())
}

/// `112.04.11` or `2023-04-11`.
pub fn format_date(d: NaiveDate, style: DateStyle) -> String {
    match style {
        DateStyle::Roc => format_roc(d),
        DateStyle::Gregorian => format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()),
    }
}

fn format_with_precision(d: NaiveDate, precision: Precision) -> String {
    match precision {
        Precision::Day => format_roc(d),
        Precision::Month => format_roc_month(d),
    }
}

// ---------------------------------------------------------------------------
// Ranges
// ---------------------------------------------------------------------------

/// An inclusive range of days: `start..=end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct DateRange {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl DateRange {
    /// Refuses `end < start` with [`DateErrorKind::Backwards`]; the error's
    /// `input` is the range written out as `start~end` in ROC form.
    pub fn new(start: NaiveDate, end: NaiveDate) -> Result<Self, DateError> {
        if end < start {
            let input = format!("{}~{}", format_roc(start), format_roc(end));
            let kind = DateErrorKind::Backwards {
                start,
                end,
                precision: Precision::Day,
            };
            return Err(DateError::new(&input, kind));
        }
        Ok(DateRange { start, end })
    }

    /// The one-day range `d..=d`.
    pub fn single(d: NaiveDate) -> Self {
        DateRange { start: d, end: d }
    }

    pub fn contains(&self, d: NaiveDate) -> bool {
        self.start <= d && d <= self.end
    }

    /// Number of days, counting both ends (a one-day range has 1).
    pub fn days(&self) -> i64 {
        self.end.signed_duration_since(self.start).num_days() + 1
    }
}

/// Shortest form that [`parse_range`] reads back to the same range.
///
/// ROC: `112.04.11` (one day), `112.02.11~28` (same month),
/// `112.04.10~05.02` (same year), `111.12.25~112.01.05`.
/// Gregorian: `2023-04-11` or always-full `2023-04-10~2023-05-02`.
pub fn format_range(r: &DateRange, style: DateStyle) -> String {
    let (start, end) = (r.start, r.end);
    if start == end {
        return format_date(start, style);
    }
    match style {
        DateStyle::Gregorian => format!(
            "{}~{}",
            format_date(start, DateStyle::Gregorian),
            format_date(end, DateStyle::Gregorian)
        ),
        DateStyle::Roc if start.year() != end.year() => {
            format!("{}~{}", format_roc(start), format_roc(end))
        }
        DateStyle::Roc if start.month() != end.month() => {
            format!("{}~{:02}.{:02}", format_roc(start), end.month(), end.day())
        }
        DateStyle::Roc => format!("{}~{:02}", format_roc(start), end.day()),
    }
}

// ---------------------------------------------------------------------------
// Terms
// ---------------------------------------------------------------------------

/// A semester: ROC academic year plus semester 1 (Aug–Jan) or 2 (Feb–Jul).
/// Displayed and parsed as `111-1`. Ordered chronologically.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct Term {
    pub year: i32,
    pub semester: u8,
}

impl Term {
    /// Checks semester (1 or 2) and year (ROC 1..=300).
    pub fn new(year: i32, semester: u8) -> Result<Self, DateError> {
        parse_term(&format!("{year}-{semester}"))
    }

    /// The days of this semester. 111-1 = 2022-08-01..=2023-01-31,
    /// 111-2 = 2023-02-01..=2023-07-31. A semester other than 1 is treated as 2.
    pub fn span(&self) -> DateRange {
        let first_year = self.year.saturating_add(ROC_OFFSET);
        let second_year = first_year.saturating_add(1);
        if self.semester == 1 {
            DateRange {
                start: ymd(first_year, 8, 1),
                end: ymd(second_year, 1, 31),
            }
        } else {
            DateRange {
                start: ymd(second_year, 2, 1),
                end: ymd(second_year, 7, 31),
            }
        }
    }

    /// The semester that `d` falls in.
    pub fn containing(d: NaiveDate) -> Term {
        let semester = if d.month() >= 8 || d.month() == 1 {
            1
        } else {
            2
        };
        Term {
            year: academic_year_of(d),
            semester,
        }
    }

    /// 111-1 → 111-2 → 112-1.
    pub fn next(&self) -> Term {
        if self.semester == 1 {
            Term {
                year: self.year,
                semester: 2,
            }
        } else {
            Term {
                year: self.year.saturating_add(1),
                semester: 1,
            }
        }
    }

    /// 112-1 → 111-2 → 111-1.
    pub fn prev(&self) -> Term {
        if self.semester == 1 {
            Term {
                year: self.year.saturating_sub(1),
                semester: 2,
            }
        } else {
            Term {
                year: self.year,
                semester: 1,
            }
        }
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.year, self.semester)
    }
}

impl FromStr for Term {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_term(s)
    }
}

/// "上傳 110-2 課程學習成果" → "上傳 114-2 課程學習成果": every ROC year
/// (a run of exactly three digits from 100 to 199) moved by `years`.
pub fn shift_roc_years(text: &str, years: i32) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let run: String = chars[start..i].iter().collect();
            match run.parse::<i32>() {
                Ok(y) if run.len() == 3 && (100..200).contains(&y) => {
                    out.push_str(&(y + years).to_string())
                }
                _ => out.push_str(&run),
            }
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Parsing: public entry points
// ---------------------------------------------------------------------------

/// One calendar day: `112.04.11`, `112/4/11`, `2023-04-11`, …
pub fn parse_date(input: &str) -> Result<NaiveDate, DateError> {
    parse_date_text(&normalize(input)).map_err(|kind| DateError::new(input, kind))
}

/// A range, a single day or a whole month (see the grammar at the top).
pub fn parse_range(input: &str) -> Result<DateRange, DateError> {
    parse_range_text(&normalize(input)).map_err(|kind| DateError::new(input, kind))
}

/// A term such as `111-1`.
pub fn parse_term(input: &str) -> Result<Term, DateError> {
    parse_term_text(&normalize(input)).map_err(|kind| DateError::new(input, kind))
}

// ---------------------------------------------------------------------------
// Parsing: internals
// ---------------------------------------------------------------------------

/// A run of digits as written: its value (saturating) and how many digits.
#[derive(Debug, Clone, Copy)]
struct Num {
    value: u32,
    digits: usize,
}

/// The start of a range, before the end is known.
enum Anchor {
    Day(NaiveDate),
    Month { year: i32, month: u32 },
}

/// Trims and folds full-width characters to ASCII.
fn normalize(input: &str) -> String {
    input
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => {
                char::from_u32(u32::from(c) - u32::from('０') + u32::from('0')).unwrap_or(c)
            }
            '．' => '.',
            '／' => '/',
            '－' => '-',
            '～' | '〜' => '~',
            '\u{3000}' => ' ',
            other => other,
        })
        .collect()
}

fn parse_date_text(text: &str) -> Result<NaiveDate, DateErrorKind> {
    if text.is_empty() {
        return Err(DateErrorKind::Empty);
    }
    let nums = split_numbers(text, false)?;
    match anchor(&nums)? {
        Anchor::Day(d) => Ok(d),
        Anchor::Month { .. } => Err(DateErrorKind::MissingDay),
    }
}

fn parse_range_text(text: &str) -> Result<DateRange, DateErrorKind> {
    if text.is_empty() {
        return Err(DateErrorKind::Empty);
    }
    let (start_text, end_text) = split_range(text)?;
    let start_nums = split_numbers(start_text, false)?;
    let start = anchor(&start_nums)?;

    let Some(end_text) = end_text else {
        return Ok(match start {
            Anchor::Day(d) => DateRange::single(d),
            Anchor::Month { year, month } => DateRange {
                start: ymd(year, month, 1),
                end: last_of_month(year, month),
            },
        });
    };

    // A Gregorian start lets the end use dashes too (`2023-04-10~05-02`).
    let start_is_gregorian = start_nums.first().is_some_and(|n| n.digits >= 4);
    let end_nums = split_numbers(end_text, start_is_gregorian)?;

    match start {
        Anchor::Day(start) => {
            let end = day_end(start, &end_nums)?;
            if end < start {
                return Err(DateErrorKind::Backwards {
                    start,
                    end,
                    precision: Precision::Day,
                });
            }
            Ok(DateRange { start, end })
        }
        Anchor::Month { year, month } => {
            let (end_year, end_month) = month_end(year, &end_nums)?;
            let start = ymd(year, month, 1);
            let end_first = ymd(end_year, end_month, 1);
            if end_first < start {
                return Err(DateErrorKind::Backwards {
                    start,
                    end: end_first,
                    precision: Precision::Month,
                });
            }
            Ok(DateRange {
                start,
                end: last_of_month(end_year, end_month),
            })
        }
    }
}

/// Splits at the range separator, if any. Returns trimmed halves.
fn split_range(text: &str) -> Result<(&str, Option<&str>), DateErrorKind> {
    let tildes: Vec<(usize, char)> = text
        .char_indices()
        .filter(|&(_, c)| c == '~' || c == '至')
        .collect();
    match tildes.as_slice() {
        [] => {}
        [(at, c)] => {
            let start = text[..*at].trim();
            let end = text[at + c.len_utf8()..].trim();
            return Ok((start, Some(end)));
        }
        _ => return Err(DateErrorKind::Malformed),
    }

    // No `~`: a `-` separates the ends only when the dates use `.` or `/`.
    // A leading `-` is a minus sign, not a separator.
    if !text.contains(['.', '/']) {
        return Ok((text, None));
    }
    let dashes: Vec<usize> = text
        .char_indices()
        .filter(|&(i, c)| c == '-' && i > 0)
        .map(|(i, _)| i)
        .collect();
    match dashes.as_slice() {
        [] => Ok((text, None)),
        [at] => Ok((text[..*at].trim(), Some(text[at + 1..].trim()))),
        _ => Err(DateErrorKind::Malformed),
    }
}

/// Reads one side of a range (or a lone date) into its 1 to 3 numbers,
/// checking the separators. `allow_dash` permits `-` even without a 4-digit
/// first number.
fn split_numbers(text: &str, allow_dash: bool) -> Result<Vec<Num>, DateErrorKind> {
    // `-5.01.01`: a negative year.
    if let Some(rest) = text.strip_prefix('-')
        && rest.starts_with(|c: char| c.is_ascii_digit())
    {
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let n = number(&digits);
        return Err(year_out_of_range(-i64::from(n.value), n.digits));
    }

    let mut nums: Vec<Num> = Vec::new();
    let mut current: Option<Num> = None;
    let mut separator: Option<char> = None;

    for c in text.chars() {
        if let Some(digit) = c.to_digit(10) {
            let n = current.unwrap_or(Num {
                value: 0,
                digits: 0,
            });
            current = Some(Num {
                value: n.value.saturating_mul(10).saturating_add(digit),
                digits: n.digits + 1,
            });
        } else if matches!(c, '.' | '/' | '-') {
            match current.take() {
                Some(n) => nums.push(n),
                None if nums.is_empty() => return Err(DateErrorKind::Malformed),
                None => return Err(DateErrorKind::DoubledSeparator),
            }
            let gregorian = nums.first().is_some_and(|n| n.digits >= 4);
            if c == '-' && !allow_dash && !gregorian {
                return Err(DateErrorKind::RocWithDashes);
            }
            if separator.is_some_and(|s| s != c) {
                return Err(DateErrorKind::Malformed);
            }
            separator = Some(c);
        } else if c.is_whitespace() {
            return Err(DateErrorKind::Malformed);
        } else {
            return Err(DateErrorKind::UnexpectedChar { ch: c });
        }
    }
    if let Some(n) = current {
        nums.push(n);
    }
    if nums.is_empty() || nums.len() > 3 {
        return Err(DateErrorKind::Malformed);
    }
    Ok(nums)
}

/// Interprets the start of a range: year.month or year.month.day.
fn anchor(nums: &[Num]) -> Result<Anchor, DateErrorKind> {
    match nums {
        [year, month] => {
            let year = resolve_year(*year)?;
            check_month(month.value)?;
            Ok(Anchor::Month {
                year,
                month: month.value,
            })
        }
        [year, month, day] => Ok(Anchor::Day(make_date(
            resolve_year(*year)?,
            month.value,
            day.value,
        )?)),
        _ => Err(DateErrorKind::Malformed),
    }
}

/// Interprets the end of a day range relative to its start.
fn day_end(start: NaiveDate, nums: &[Num]) -> Result<NaiveDate, DateErrorKind> {
    match nums {
        [day] => make_date(start.year(), start.month(), day.value),
        // `111.08.01~111.09.`: a year and month, not month and day.
        [first, _] if first.digits >= 3 => Err(DateErrorKind::MixedPrecision),
        [month, day] => make_date(start.year(), month.value, day.value),
        [year, month, day] => make_date(resolve_year(*year)?, month.value, day.value),
        _ => Err(DateErrorKind::Malformed),
    }
}

/// Interprets the end of a month range; returns (Gregorian year, month).
fn month_end(start_year: i32, nums: &[Num]) -> Result<(i32, u32), DateErrorKind> {
    match nums {
        [month] => {
            check_month(month.value)?;
            Ok((start_year, month.value))
        }
        [year, month] => {
            let year = resolve_year(*year)?;
            check_month(month.value)?;
            Ok((year, month.value))
        }
        [_, _, _] => Err(DateErrorKind::MixedPrecision),
        _ => Err(DateErrorKind::Malformed),
    }
}

fn parse_term_text(text: &str) -> Result<Term, DateErrorKind> {
    if text.is_empty() {
        return Err(DateErrorKind::Empty);
    }
    let Some((year_text, semester_text)) = text.split_once('-') else {
        return Err(DateErrorKind::BadTerm);
    };
    let (year_text, semester_text) = (year_text.trim(), semester_text.trim());
    if !is_digits(year_text) || !is_digits(semester_text) {
        return Err(DateErrorKind::BadTerm);
    }
    let year = number(year_text);
    let semester = number(semester_text).value;
    let roc_years = i64::from(MIN_ROC_YEAR)..=i64::from(MAX_ROC_YEAR);
    if year.digits > 3 || !roc_years.contains(&i64::from(year.value)) {
        return Err(DateErrorKind::YearOutOfRange {
            year: i64::from(year.value),
            min: MIN_ROC_YEAR,
            max: MAX_ROC_YEAR,
        });
    }
    match (i32::try_from(year.value), u8::try_from(semester)) {
        (Ok(year), Ok(semester @ (1 | 2))) => Ok(Term { year, semester }),
        _ => Err(DateErrorKind::BadSemester { semester }),
    }
}

fn is_digits(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_ascii_digit())
}

/// Value of an all-ASCII-digit string (saturating; other characters ignored).
fn number(digits: &str) -> Num {
    digits.chars().filter_map(|c| c.to_digit(10)).fold(
        Num {
            value: 0,
            digits: 0,
        },
        |n, d| Num {
            value: n.value.saturating_mul(10).saturating_add(d),
            digits: n.digits + 1,
        },
    )
}

/// 1–3 digits: ROC year; 4 or more: Gregorian. Returns the Gregorian year.
fn resolve_year(n: Num) -> Result<i32, DateErrorKind> {
    let value = i64::from(n.value);
    let (min, max, offset) = if n.digits <= 3 {
        (MIN_ROC_YEAR, MAX_ROC_YEAR, ROC_OFFSET)
    } else {
        (MIN_GREGORIAN_YEAR, MAX_GREGORIAN_YEAR, 0)
    };
    match i32::try_from(value) {
        Ok(year) if (min..=max).contains(&year) && n.digits <= 4 => Ok(year + offset),
        _ => Err(year_out_of_range(value, n.digits)),
    }
}

fn year_out_of_range(year: i64, digits: usize) -> DateErrorKind {
    if digits <= 3 {
        DateErrorKind::YearOutOfRange {
            year,
            min: MIN_ROC_YEAR,
            max: MAX_ROC_YEAR,
        }
    } else {
        DateErrorKind::YearOutOfRange {
            year,
            min: MIN_GREGORIAN_YEAR,
            max: MAX_GREGORIAN_YEAR,
        }
    }
}

fn check_month(month: u32) -> Result<(), DateErrorKind> {
    if (1..=12).contains(&month) {
        Ok(())
    } else {
        Err(DateErrorKind::MonthOutOfRange { month })
    }
}

/// Validates and builds a date from a Gregorian year, month and day.
fn make_date(year: i32, month: u32, day: u32) -> Result<NaiveDate, DateErrorKind> {
    check_month(month)?;
    let max_day = days_in_month(year, month);
    if day == 0 || day > max_day {
        return Err(DateErrorKind::DayOutOfRange {
            year,
            month,
            day,
            max_day,
        });
    }
    NaiveDate::from_ymd_opt(year, month, day).ok_or(DateErrorKind::Malformed)
}

fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Days in a month of a Gregorian year (0 for an invalid month).
fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

fn last_of_month(year: i32, month: u32) -> NaiveDate {
    ymd(year, month, days_in_month(year, month))
}

/// Builds a date from values that are already valid. Never panics: anything
/// chrono cannot represent clamps to `NaiveDate::MIN` / `NaiveDate::MAX`.
fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or(if year < 0 {
        NaiveDate::MIN
    } else {
        NaiveDate::MAX
    })
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Days;
    use proptest::prelude::*;
    use std::collections::{BTreeMap, BTreeSet};

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
    }

    fn range(a: NaiveDate, b: NaiveDate) -> DateRange {
        DateRange { start: a, end: b }
    }

    /// Parses a date that must fail; checks the input is kept verbatim.
    fn date_err(input: &str) -> DateErrorKind {
        let err = parse_date(input).expect_err(input);
        assert_eq!(err.input, input);
        assert_eq!(err.args()[0], ("input", input.to_string()));
        err.kind
    }

    fn range_err(input: &str) -> DateErrorKind {
        let err = parse_range(input).expect_err(input);
        assert_eq!(err.input, input);
        assert_eq!(err.args()[0], ("input", input.to_string()));
        err.kind
    }

    fn term_err(input: &str) -> DateErrorKind {
        let err = parse_term(input).expect_err(input);
        assert_eq!(err.input, input);
        assert_eq!(err.args()[0], ("input", input.to_string()));
        err.kind
    }

    // --- dates ------------------------------------------------------------

    #[test]
    fn valid_dates() {
        let cases = [
            ("112.04.11", date(2023, 4, 11)),
            ("112.4.11", date(2023, 4, 11)),
            ("112/04/11", date(2023, 4, 11)),
            ("2023-04-11", date(2023, 4, 11)),
            ("2023/04/11", date(2023, 4, 11)),
            ("2023.04.11", date(2023, 4, 11)),
            ("113/02/29", date(2024, 2, 29)),
            ("  112.04.11\t", date(2023, 4, 11)),
            ("112.04.11.", date(2023, 4, 11)),
            ("１１２．０４．１１", date(2023, 4, 11)),
            ("１１２／４／１１", date(2023, 4, 11)),
            ("1.01.01", date(1912, 1, 1)),
            ("300.12.31", date(2211, 12, 31)),
            ("099.01.01", date(2010, 1, 1)),
        ];
        for (input, expected) in cases {
            assert_eq!(parse_date(input), Ok(expected), "{input}");
        }
    }

    #[test]
    fn impossible_days() {
        assert_eq!(
            date_err("112.02.31"),
            DateErrorKind::DayOutOfRange {
                year: 2023,
                month: 2,
                day: 31,
                max_day: 28
            }
        );
        assert_eq!(
            date_err("112/02/29"),
            DateErrorKind::DayOutOfRange {
                year: 2023,
                month: 2,
                day: 29,
                max_day: 28
            }
        );
        assert_eq!(
            date_err("112.04.00"),
            DateErrorKind::DayOutOfRange {
                year: 2023,
                month: 4,
                day: 0,
                max_day: 30
            }
        );
        assert_eq!(
            date_err("2023-04-31"),
            DateErrorKind::DayOutOfRange {
                year: 2023,
                month: 4,
                day: 31,
                max_day: 30
            }
        );
        // Gregorian century rule: 2100 is not a leap year (ROC 189).
        assert!(matches!(
            date_err("189.02.29"),
            DateErrorKind::DayOutOfRange { max_day: 28, .. }
        ));
    }

    #[test]
    fn impossible_day_args_use_roc_year() {
        let err = parse_date("112.02.31").expect_err("impossible");
        assert_eq!(err.message_key(), "date.err_impossible_day");
        assert_eq!(
            err.args(),
            vec![
                ("input", "112.02.31".to_string()),
                ("year", "112".to_string()),
                ("month", "2".to_string()),
                ("day", "31".to_string()),
                ("max_day", "28".to_string()),
            ]
        );
    }

    #[test]
    fn refused_dates() {
        assert_eq!(
            date_err("112.13.01"),
            DateErrorKind::MonthOutOfRange { month: 13 }
        );
        assert_eq!(
            date_err("112.00.01"),
            DateErrorKind::MonthOutOfRange { month: 0 }
        );
        assert_eq!(date_err(""), DateErrorKind::Empty);
        assert_eq!(date_err("   "), DateErrorKind::Empty);
        assert_eq!(date_err("abc"), DateErrorKind::UnexpectedChar { ch: 'a' });
        assert_eq!(
            date_err("112.O4.11"),
            DateErrorKind::UnexpectedChar { ch: 'O' }
        );
        assert_eq!(date_err("112-04-11"), DateErrorKind::RocWithDashes);
        assert_eq!(date_err("112..04.11"), DateErrorKind::DoubledSeparator);
        assert_eq!(date_err("112.04/11"), DateErrorKind::Malformed);
        assert_eq!(date_err(".112.04.11"), DateErrorKind::Malformed);
        assert_eq!(date_err("112.04.11.5"), DateErrorKind::Malformed);
        assert_eq!(date_err("112"), DateErrorKind::Malformed);
        assert_eq!(date_err("112. 04.11"), DateErrorKind::Malformed);
        assert_eq!(date_err("111.10."), DateErrorKind::MissingDay);
        assert_eq!(date_err("111.10"), DateErrorKind::MissingDay);
        assert_eq!(
            date_err("112.04.10~11"),
            DateErrorKind::UnexpectedChar { ch: '~' }
        );
    }

    #[test]
    fn refused_years() {
        let roc = |year| DateErrorKind::YearOutOfRange {
            year,
            min: 1,
            max: 300,
        };
        let gregorian = |year| DateErrorKind::YearOutOfRange {
            year,
            min: 1912,
            max: 2211,
        };
        assert_eq!(date_err("0.01.01"), roc(0));
        assert_eq!(date_err("000.01.01"), roc(0));
        assert_eq!(date_err("-1.01.01"), roc(-1));
        assert_eq!(date_err("301.01.01"), roc(301));
        assert_eq!(date_err("999.01.01"), roc(999));
        assert_eq!(date_err("1800-01-01"), gregorian(1800));
        assert_eq!(date_err("1911-12-31"), gregorian(1911));
        assert_eq!(date_err("2212-01-01"), gregorian(2212));
        assert_eq!(date_err("0112.04.11"), gregorian(112));
        assert_eq!(date_err("99999.01.01"), gregorian(99999));
        assert_eq!(date_err("-2023-01-01"), gregorian(-2023));
        assert!(matches!(
            date_err("99999999999999999999.01.01"),
            DateErrorKind::YearOutOfRange { .. }
        ));
    }

    #[test]
    fn formatting() {
        let d = date(2023, 4, 11);
        assert_eq!(format_roc(d), "112.04.11");
        assert_eq!(format_date(d, DateStyle::Roc), "112.04.11");
        assert_eq!(format_date(d, DateStyle::Gregorian), "2023-04-11");
        assert_eq!(format_roc(date(1923, 1, 5)), "12.01.05");
        assert_eq!(format_roc_month(d), "112.04");
        assert_eq!(DateStyle::default(), DateStyle::Roc);
        assert_eq!(roc_year(d), 112);
    }

    // --- ranges -----------------------------------------------------------

    #[test]
    fn valid_ranges() {
        let cases = [
            ("112.02.11~28", date(2023, 2, 11), date(2023, 2, 28)),
            ("112.04.10~05.02", date(2023, 4, 10), date(2023, 5, 2)),
            ("111.12.25~112.01.05", date(2022, 12, 25), date(2023, 1, 5)),
            ("2023-04-10~2023-05-02", date(2023, 4, 10), date(2023, 5, 2)),
            ("2023-04-10~05-02", date(2023, 4, 10), date(2023, 5, 2)),
            ("2023.04.10-2023.05.02", date(2023, 4, 10), date(2023, 5, 2)),
            (
                "111.08.01 至 111.08.15",
                date(2022, 8, 1),
                date(2022, 8, 15),
            ),
            ("111.08.01至15", date(2022, 8, 1), date(2022, 8, 15)),
            ("112.03.1~10", date(2023, 3, 1), date(2023, 3, 10)),
            ("112.1.01~27", date(2023, 1, 1), date(2023, 1, 27)),
            ("111.9.01~30", date(2022, 9, 1), date(2022, 9, 30)),
            ("112.04.10 ~ 05.02", date(2023, 4, 10), date(2023, 5, 2)),
            ("112.04.10－112.05.02", date(2023, 4, 10), date(2023, 5, 2)),
            (
                "１１２．０４．１０～０５．０２",
                date(2023, 4, 10),
                date(2023, 5, 2),
            ),
            ("112/04/10-112/05/02", date(2023, 4, 10), date(2023, 5, 2)),
            ("113.02.01~29", date(2024, 2, 1), date(2024, 2, 29)),
            ("112.04.11~11", date(2023, 4, 11), date(2023, 4, 11)),
            // single day
            ("112.04.11", date(2023, 4, 11), date(2023, 4, 11)),
            ("2023-04-11", date(2023, 4, 11), date(2023, 4, 11)),
            // whole months
            ("111.10.", date(2022, 10, 1), date(2022, 10, 31)),
            ("111.10", date(2022, 10, 1), date(2022, 10, 31)),
            ("113.02", date(2024, 2, 1), date(2024, 2, 29)),
            ("2023-02", date(2023, 2, 1), date(2023, 2, 28)),
            ("110.09.-111.02.", date(2021, 9, 1), date(2022, 2, 28)),
            ("112.02-112.03", date(2023, 2, 1), date(2023, 3, 31)),
            ("111.09~12", date(2022, 9, 1), date(2022, 12, 31)),
            ("111.09.~112.01.", date(2022, 9, 1), date(2023, 1, 31)),
            ("111.09 至 111.09", date(2022, 9, 1), date(2022, 9, 30)),
        ];
        for (input, start, end) in cases {
            assert_eq!(parse_range(input), Ok(range(start, end)), "{input}");
        }
    }

    #[test]
    fn seed_typos_in_ranges() {
        assert_eq!(
            range_err("112.02.11~31"),
            DateErrorKind::DayOutOfRange {
                year: 2023,
                month: 2,
                day: 31,
                max_day: 28
            }
        );
        assert_eq!(range_err("112..08.01~10"), DateErrorKind::DoubledSeparator);
        assert_eq!(range_err("111.02-.112.08."), DateErrorKind::Malformed);
        assert_eq!(
            range_err("112.04.10~112.03.01"),
            DateErrorKind::Backwards {
                start: date(2023, 4, 10),
                end: date(2023, 3, 1),
                precision: Precision::Day
            }
        );
        assert_eq!(
            range_err("111.09.-111.01."),
            DateErrorKind::Backwards {
                start: date(2022, 9, 1),
                end: date(2022, 1, 1),
                precision: Precision::Month
            }
        );
    }

    #[test]
    fn backwards_args_name_both_ends() {
        let err = parse_range("111.09.-111.01.").expect_err("backwards");
        assert_eq!(err.message_key(), "date.err_backwards");
        assert_eq!(
            err.args(),
            vec![
                ("input", "111.09.-111.01.".to_string()),
                ("start", "111.09".to_string()),
                ("end", "111.01".to_string()),
            ]
        );
        let err = parse_range("112.04.10~112.03.01").expect_err("backwards");
        assert_eq!(
            err.args(),
            vec![
                ("input", "112.04.10~112.03.01".to_string()),
                ("start", "112.04.10".to_string()),
                ("end", "112.03.01".to_string()),
            ]
        );
    }

    #[test]
    fn refused_ranges() {
        assert_eq!(range_err(""), DateErrorKind::Empty);
        assert_eq!(range_err("112.04.10~"), DateErrorKind::Malformed);
        assert_eq!(range_err("~112.04.10"), DateErrorKind::Malformed);
        assert_eq!(range_err("112.04.10-"), DateErrorKind::Malformed);
        assert_eq!(range_err("112.01~112.02~112.03"), DateErrorKind::Malformed);
        assert_eq!(range_err("112.01-112.02-112.03"), DateErrorKind::Malformed);
        assert_eq!(range_err("112~113"), DateErrorKind::Malformed);
        assert_eq!(
            range_err("111.08.01~111.09."),
            DateErrorKind::MixedPrecision
        );
        assert_eq!(range_err("111.08~111.09.01"), DateErrorKind::MixedPrecision);
        assert_eq!(
            range_err("112-04-10~112-05-02"),
            DateErrorKind::RocWithDashes
        );
        assert_eq!(range_err("112-04-11"), DateErrorKind::RocWithDashes);
        assert_eq!(
            range_err("111.13."),
            DateErrorKind::MonthOutOfRange { month: 13 }
        );
        assert_eq!(
            range_err("111.09~13"),
            DateErrorKind::MonthOutOfRange { month: 13 }
        );
        assert_eq!(
            range_err("112.04.10~13.01"),
            DateErrorKind::MonthOutOfRange { month: 13 }
        );
        assert_eq!(
            range_err("112.12.25~01.05"),
            DateErrorKind::Backwards {
                start: date(2023, 12, 25),
                end: date(2023, 1, 5),
                precision: Precision::Day
            }
        );
        assert_eq!(
            range_err("112.04.10~abc"),
            DateErrorKind::UnexpectedChar { ch: 'a' }
        );
    }

    #[test]
    fn compact_range_formats() {
        let cases = [
            (date(2023, 2, 11), date(2023, 2, 28), "112.02.11~28"),
            (date(2023, 4, 10), date(2023, 5, 2), "112.04.10~05.02"),
            (date(2022, 12, 25), date(2023, 1, 5), "111.12.25~112.01.05"),
            (date(2023, 4, 11), date(2023, 4, 11), "112.04.11"),
        ];
        for (start, end, text) in cases {
            let r = range(start, end);
            assert_eq!(format_range(&r, DateStyle::Roc), text);
            assert_eq!(parse_range(text), Ok(r));
        }
        let r = range(date(2023, 4, 10), date(2023, 5, 2));
        assert_eq!(
            format_range(&r, DateStyle::Gregorian),
            "2023-04-10~2023-05-02"
        );
        let one = DateRange::single(date(2023, 4, 11));
        assert_eq!(format_range(&one, DateStyle::Gregorian), "2023-04-11");
    }

    #[test]
    fn range_methods() {
        let r = DateRange::new(date(2023, 2, 11), date(2023, 2, 28)).expect("forwards");
        assert_eq!(r.days(), 18);
        assert!(r.contains(date(2023, 2, 11)));
        assert!(r.contains(date(2023, 2, 28)));
        assert!(!r.contains(date(2023, 2, 10)));
        assert!(!r.contains(date(2023, 3, 1)));
        assert_eq!(DateRange::single(date(2023, 2, 11)).days(), 1);

        let err = DateRange::new(date(2023, 4, 10), date(2023, 3, 1)).expect_err("backwards");
        assert_eq!(err.input, "112.04.10~112.03.01");
        assert!(matches!(err.kind, DateErrorKind::Backwards { .. }));
    }

    // --- terms ------------------------------------------------------------

    #[test]
    fn terms() {
        let t1 = Term {
            year: 111,
            semester: 1,
        };
        let t2 = Term {
            year: 111,
            semester: 2,
        };
        assert_eq!(parse_term("111-1"), Ok(t1));
        assert_eq!(parse_term("111-2"), Ok(t2));
        assert_eq!(parse_term(" 111-1 "), Ok(t1));
        assert_eq!(parse_term("１１１－１"), Ok(t1));
        assert_eq!("111-2".parse::<Term>(), Ok(t2));
        assert_eq!(Term::new(111, 1), Ok(t1));
        assert!(Term::new(111, 3).is_err());
        assert_eq!(t1.to_string(), "111-1");

        assert_eq!(t1.span(), range(date(2022, 8, 1), date(2023, 1, 31)));
        assert_eq!(t2.span(), range(date(2023, 2, 1), date(2023, 7, 31)));
        assert_eq!(
            format_range(&t1.span(), DateStyle::Roc),
            "111.08.01~112.01.31"
        );

        assert_eq!(Term::containing(date(2022, 8, 1)), t1);
        assert_eq!(Term::containing(date(2023, 1, 31)), t1);
        assert_eq!(Term::containing(date(2023, 2, 1)), t2);
        assert_eq!(Term::containing(date(2023, 7, 31)), t2);
        assert_eq!(
            Term::containing(date(2022, 7, 31)),
            Term {
                year: 110,
                semester: 2
            }
        );
        assert_eq!(t1.next(), t2);
        assert_eq!(
            t2.next(),
            Term {
                year: 112,
                semester: 1
            }
        );
        assert_eq!(
            t1.prev(),
            Term {
                year: 110,
                semester: 2
            }
        );
        assert!(t1 < t2 && t2 < t2.next());

        assert_eq!(academic_year_of(date(2023, 7, 31)), 111);
        assert_eq!(academic_year_of(date(2023, 8, 1)), 112);
    }

    #[test]
    fn refused_terms() {
        assert_eq!(
            term_err("111-3"),
            DateErrorKind::BadSemester { semester: 3 }
        );
        assert_eq!(
            term_err("111-0"),
            DateErrorKind::BadSemester { semester: 0 }
        );
        assert_eq!(
            term_err("111-300"),
            DateErrorKind::BadSemester { semester: 300 }
        );
        assert_eq!(term_err("111"), DateErrorKind::BadTerm);
        assert_eq!(term_err("abc"), DateErrorKind::BadTerm);
        assert_eq!(term_err("111-"), DateErrorKind::BadTerm);
        assert_eq!(term_err("-1"), DateErrorKind::BadTerm);
        assert_eq!(term_err("111-1-1"), DateErrorKind::BadTerm);
        assert_eq!(term_err("111.1"), DateErrorKind::BadTerm);
        assert_eq!(term_err(""), DateErrorKind::Empty);
        assert_eq!(
            term_err("0-1"),
            DateErrorKind::YearOutOfRange {
                year: 0,
                min: 1,
                max: 300
            }
        );
        assert_eq!(
            term_err("2022-1"),
            DateErrorKind::YearOutOfRange {
                year: 2022,
                min: 1,
                max: 300
            }
        );
    }

    #[test]
    fn extreme_terms_do_not_panic() {
        for year in [i32::MIN, -1, 0, i32::MAX] {
            for semester in [0, 1, 2, 3, u8::MAX] {
                let t = Term { year, semester };
                let _ = (t.span(), t.next(), t.prev(), t.to_string());
            }
        }
        let _ = Term::containing(NaiveDate::MAX).span();
        let _ = Term::containing(NaiveDate::MIN).span();
    }

    // --- messages ---------------------------------------------------------

    const ZH_TW: &str = include_str!("../../assets/i18n/zh-TW/date.toml");
    const EN: &str = include_str!("../../assets/i18n/en/date.toml");

    /// Reads a file holding one `[date]` table of `key = "string"` lines.
    fn read_table(text: &str, file: &str) -> BTreeMap<String, String> {
        let mut table = BTreeMap::new();
        let mut headers = 0;
        for line in text.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if line.starts_with('[') {
                assert_eq!(line, "[date]", "{file}: unexpected table");
                headers += 1;
                continue;
            }
            assert_eq!(headers, 1, "{file}: key before [date]: {line}");
            let (key, value) = line.split_once('=').expect("key = \"value\"");
            let value = value.trim();
            assert!(
                value.len() >= 2 && value.starts_with('"') && value.ends_with('"'),
                "{file}: not a basic string: {line}"
            );
            let old = table.insert(key.trim().to_string(), unescape(&value[1..value.len() - 1]));
            assert!(old.is_none(), "{file}: duplicate key {key}");
        }
        table
    }

    fn unescape(s: &str) -> String {
        let mut out = String::new();
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('"') => out.push('"'),
                    Some('\\') => out.push('\\'),
                    other => panic!("unsupported escape \\{other:?} in {s}"),
                }
            } else {
                assert_ne!(c, '"', "unescaped quote in {s}");
                out.push(c);
            }
        }
        out
    }

    fn placeholders(s: &str) -> Vec<String> {
        let mut names = Vec::new();
        let mut rest = s;
        while let Some(open) = rest.find('{') {
            let after = &rest[open + 1..];
            let close = after.find('}').expect("unclosed placeholder");
            names.push(after[..close].to_string());
            rest = &after[close + 1..];
        }
        names
    }

    /// One error of every kind. The match below has no wildcard, so adding a
    /// variant fails to compile until it is handled here too.
    fn one_error_of_each_kind() -> Vec<DateError> {
        let errors = vec![
            parse_date("").expect_err("empty"),
            parse_date("abc").expect_err("char"),
            parse_date("112..04.11").expect_err("doubled"),
            parse_range("111.02-.112.08.").expect_err("malformed"),
            parse_date("112-04-11").expect_err("dashes"),
            parse_date("111.10.").expect_err("missing day"),
            parse_range("111.08.01~111.09.").expect_err("mixed"),
            parse_date("0.01.01").expect_err("year"),
            parse_date("112.13.01").expect_err("month"),
            parse_date("112.02.31").expect_err("day"),
            parse_range("111.09.-111.01.").expect_err("backwards"),
            parse_term("111").expect_err("term"),
            parse_term("111-3").expect_err("semester"),
        ];
        let mut seen = BTreeSet::new();
        for e in &errors {
            let index = match e.kind {
                DateErrorKind::Empty => 0,
                DateErrorKind::UnexpectedChar { .. } => 1,
                DateErrorKind::DoubledSeparator => 2,
                DateErrorKind::Malformed => 3,
                DateErrorKind::RocWithDashes => 4,
                DateErrorKind::MissingDay => 5,
                DateErrorKind::MixedPrecision => 6,
                DateErrorKind::YearOutOfRange { .. } => 7,
                DateErrorKind::MonthOutOfRange { .. } => 8,
                DateErrorKind::DayOutOfRange { .. } => 9,
                DateErrorKind::Backwards { .. } => 10,
                DateErrorKind::BadTerm => 11,
                DateErrorKind::BadSemester { .. } => 12,
            };
            seen.insert(index);
        }
        assert_eq!(seen.len(), 13, "one sample per kind");
        errors
    }

    #[test]
    fn every_message_key_exists_with_known_placeholders() {
        let zh = read_table(ZH_TW, "zh-TW/date.toml");
        let en = read_table(EN, "en/date.toml");
        let errors = one_error_of_each_kind();
        let used: BTreeSet<String> = errors
            .iter()
            .map(|e| e.message_key().trim_start_matches("date.").to_string())
            .collect();
        assert_eq!(used.len(), errors.len(), "message keys are distinct");
        assert_eq!(
            zh.keys().cloned().collect::<BTreeSet<_>>(),
            used,
            "zh-TW keys"
        );
        assert_eq!(en.keys().cloned().collect::<BTreeSet<_>>(), used, "en keys");

        for e in &errors {
            let key = e.message_key().trim_start_matches("date.");
            let mut args: BTreeSet<&str> = e.args().iter().map(|(name, _)| *name).collect();
            // Examples from the current academic year (filled by `trf`).
            args.extend(example_args().iter().map(|(name, _)| *name));
            for (file, table) in [("zh-TW", &zh), ("en", &en)] {
                let text = &table[key];
                for name in placeholders(text) {
                    assert!(
                        args.contains(name.as_str()),
                        "{file} {key}: unknown {{{name}}}"
                    );
                }
                if e.kind != DateErrorKind::Empty {
                    assert!(
                        text.contains("{input}"),
                        "{file} {key} must quote the input"
                    );
                }
            }
        }
    }

    #[test]
    fn display_mentions_input() {
        for e in one_error_of_each_kind() {
            let text = e.to_string();
            assert!(!text.is_empty());
            if e.kind != DateErrorKind::Empty {
                assert!(text.contains(&e.input), "{text}");
            }
        }
    }

    // --- properties -------------------------------------------------------

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        let first = date(1912, 1, 1);
        let last = date(2200, 12, 31);
        let span = u64::try_from(last.signed_duration_since(first).num_days()).unwrap_or(0);
        (0..=span).prop_map(move |k| first + Days::new(k))
    }

    fn any_term() -> impl Strategy<Value = Term> {
        (1..=300i32, 1..=2u8).prop_map(|(year, semester)| Term { year, semester })
    }

    proptest! {
        #[test]
        fn date_round_trips(d in any_date()) {
            prop_assert_eq!(parse_date(&format_roc(d)), Ok(d));
            prop_assert_eq!(parse_date(&format_date(d, DateStyle::Gregorian)), Ok(d));
        }

        #[test]
        fn range_round_trips(a in any_date(), b in any_date()) {
            let r = range(a.min(b), a.max(b));
            for style in [DateStyle::Roc, DateStyle::Gregorian] {
                prop_assert_eq!(parse_range(&format_range(&r, style)), Ok(r));
            }
        }

        #[test]
        fn term_contains_its_dates(d in any_date()) {
            let t = Term::containing(d);
            prop_assert!(t.span().contains(d));
            prop_assert_eq!(t.year, academic_year_of(d));
        }

        #[test]
        fn term_next_prev(t in any_term()) {
            prop_assert_eq!(t.next().prev(), t);
            prop_assert_eq!(t.prev().next(), t);
            prop_assert!(t < t.next());
            // Semesters tile the calendar with no gap or overlap.
            prop_assert_eq!(t.span().end + Days::new(1), t.next().span().start);
        }

        #[test]
        fn term_string_round_trips(t in any_term()) {
            prop_assert_eq!(parse_term(&t.to_string()), Ok(t));
        }

        #[test]
        fn parsers_never_panic(s in "\\PC*") {
            let _ = (parse_date(&s), parse_range(&s), parse_term(&s));
        }

        #[test]
        fn parsers_never_panic_on_date_like_text(
            s in "[0-9０-９.．/／~～至 \\-－]{0,24}"
        ) {
            for result in [parse_date(&s).err(), parse_range(&s).err(), parse_term(&s).err()]
                .into_iter()
                .flatten()
            {
                prop_assert_eq!(&result.input, &s);
                prop_assert!(result.message_key().starts_with("date.err_"));
            }
        }
    }
}
