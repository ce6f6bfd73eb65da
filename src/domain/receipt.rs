//! Receipt detail (收訖明細) and discrepancies (疑義): students, what the
//! central database says it received per student and category, the
//! students' confirmation window, and the discrepancy workflow. Pure rules.
//!
//! # Decisions
//!
//! * A receipt line is identified by term, student, category, item name and
//!   its ordinal among lines with the same four (a student may have two
//!   diverse performances named alike). Re-importing the same file therefore
//!   matches every line and adds nothing; a corrected file replaces the lines
//!   of the (student, category) pairs it covers.
//! * Lines with the same four are numbered by count, then the other columns,
//!   so a file's row order does not matter. Two rows of a file alike in all
//!   that a line keeps (term, student, category, item, count, other columns)
//!   cannot be told from a row pasted twice: an import of a file keeps them
//!   once and reports both line numbers (alike performances stay two lines
//!   when anything tells them apart).
//! * An import adding more than [`MAX_GROWTH_PERCENT`] % new lines to a term
//!   that has lines is most likely a doubled or wrong file: it is asked
//!   about (screen) or needs `--allow-growth` (CLI).
//! * Confirmation per student and term: unconfirmed → confirmed, or disputed
//!   once a discrepancy is logged. When the window has closed, a student whose
//!   discrepancies are all answered (rejected or closed) and who has not
//!   confirmed becomes deemed confirmed (視為已確認), if the school's preset
//!   says silence means confirmed (鳳山商工; the national rule says so too,
//!   but a school decides whether to record it).
//! * Workflow: reported → investigating → corrected (resubmitted) or
//!   rejected (with a reason) → closed. Closing needs a resolution first; a
//!   corrected or rejected discrepancy may be reopened (the student still
//!   disagrees), which starts the loop again. "Open" means the school still
//!   owes work: reported, investigating, or corrected (not yet resubmitted
//!   and re-checked). Rejected means the data was right and the student is
//!   asked to check again.
//! * A discrepancy is due 3 days after it is reported (national rule for the
//!   school's investigation) unless the calendar's fixing window ends sooner;
//!   it is overdue while the school has not answered (reported or
//!   investigating) after its due day.
//! * A leaver is a student who has left, transferred out or graduated: they
//!   cannot confirm on the school's platform and are notified by mail.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::domain::preset::Preset;
use crate::domain::roc::{DateRange, Term};

/// National rule: the school investigates a discrepancy within 3 days.
pub const INVESTIGATION_DAYS: u64 = 3;

// ---------------------------------------------------------------------------
// Category
// ---------------------------------------------------------------------------

/// 資料類別.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// 基本資料 (學籍資料).
    Basic,
    /// 修課紀錄 (courses and grades).
    CourseRecords,
    /// 課程學習成果.
    CourseOutcomes,
    /// 多元表現.
    Diverse,
    /// 幹部經歷.
    Cadre,
}

impl Category {
    pub const ALL: [Category; 5] = [
        Category::Basic,
        Category::CourseRecords,
        Category::CourseOutcomes,
        Category::Diverse,
        Category::Cadre,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Category::Basic => "basic",
            Category::CourseRecords => "course_records",
            Category::CourseOutcomes => "course_outcomes",
            Category::Diverse => "diverse",
            Category::Cadre => "cadre",
        }
    }

    /// i18n key of the full name (`receipt.cat_basic`).
    pub fn label_key(self) -> &'static str {
        match self {
            Category::Basic => "receipt.cat_basic",
            Category::CourseRecords => "receipt.cat_course_records",
            Category::CourseOutcomes => "receipt.cat_course_outcomes",
            Category::Diverse => "receipt.cat_diverse",
            Category::Cadre => "receipt.cat_cadre",
        }
    }

    /// i18n key of a one-cell-pair abbreviation (基, 修, 成, 多, 幹).
    pub fn short_key(self) -> &'static str {
        match self {
            Category::Basic => "receipt.cat_basic_short",
            Category::CourseRecords => "receipt.cat_course_records_short",
            Category::CourseOutcomes => "receipt.cat_course_outcomes_short",
            Category::Diverse => "receipt.cat_diverse_short",
            Category::Cadre => "receipt.cat_cadre_short",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }

    /// Reads a category as the central database, a school or a user writes
    /// it: the code, the English name, or the Chinese name with its common
    /// variants (學籍資料, 修課記錄, 學業成績, 校內幹部經歷…). Spaces and case
    /// are ignored.
    pub fn parse(s: &str) -> Option<Category> {
        let t: String = s
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '\u{3000}')
            .collect::<String>()
            .to_lowercase();
        let t = t.as_str();
        Some(match t {
            "basic" | "basic_data" | "basicdata" | "基本資料" | "學籍資料" | "學生基本資料"
            | "學籍" | "基本" | "基" => Category::Basic,
            "course_records" | "courserecords" | "course_record" | "courses" | "修課紀錄"
            | "修課記錄" | "學生修課紀錄" | "修課" | "學業成績" | "修" => {
                Category::CourseRecords
            }
            "course_outcomes" | "courseoutcomes" | "course_outcome" | "outcomes"
            | "課程學習成果" | "學習成果" | "課程成果" | "成果" | "成" => {
                Category::CourseOutcomes
            }
            "diverse"
            | "diverse_performance"
            | "diverse_performances"
            | "diverseperformance"
            | "多元表現"
            | "多元表現成果"
            | "多元"
            | "多" => Category::Diverse,
            "cadre" | "cadre_record" | "cadre_records" | "cadres" | "幹部經歷" | "校內幹部經歷"
            | "幹部" | "幹" => Category::Cadre,
            _ => return None,
        })
    }
}

// ---------------------------------------------------------------------------
// Students
// ---------------------------------------------------------------------------

/// 學籍狀態.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StudentStatus {
    /// 在學.
    #[default]
    Enrolled,
    /// 畢業.
    Graduated,
    /// 離校 (休學, 退學…).
    Left,
    /// 轉出.
    Transferred,
    /// 復學.
    Reenrolled,
}

impl StudentStatus {
    pub const ALL: [StudentStatus; 5] = [
        StudentStatus::Enrolled,
        StudentStatus::Graduated,
        StudentStatus::Left,
        StudentStatus::Transferred,
        StudentStatus::Reenrolled,
    ];

    pub fn code(self) -> &'static str {
        match self {
            StudentStatus::Enrolled => "enrolled",
            StudentStatus::Graduated => "graduated",
            StudentStatus::Left => "left",
            StudentStatus::Transferred => "transferred",
            StudentStatus::Reenrolled => "reenrolled",
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            StudentStatus::Enrolled => "receipt.st_enrolled",
            StudentStatus::Graduated => "receipt.st_graduated",
            StudentStatus::Left => "receipt.st_left",
            StudentStatus::Transferred => "receipt.st_transferred",
            StudentStatus::Reenrolled => "receipt.st_reenrolled",
        }
    }

    pub fn parse(s: &str) -> Option<StudentStatus> {
        let t = s.trim().to_lowercase();
        Some(match t.as_str() {
            "" | "enrolled" | "在學" | "在校" | "在籍" => StudentStatus::Enrolled,
            "graduated" | "畢業" | "已畢業" => StudentStatus::Graduated,
            "left" | "離校" | "休學" | "退學" | "輟學" => StudentStatus::Left,
            "transferred" | "轉出" | "轉學" | "轉學出" => StudentStatus::Transferred,
            "reenrolled" | "re-enrolled" | "復學" => StudentStatus::Reenrolled,
            _ => return None,
        })
    }

    /// No longer at school: notified by mail to confirm the receipt.
    pub fn is_leaver(self) -> bool {
        matches!(
            self,
            StudentStatus::Graduated | StudentStatus::Left | StudentStatus::Transferred
        )
    }
}

/// A student as recorded (0 id for one not stored yet).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Student {
    pub id: i64,
    pub student_no: String,
    pub name: String,
    pub class: String,
    pub seat: Option<u32>,
    /// 10, 11 or 12 (None: not known, e.g. added from a receipt line).
    pub grade: Option<u8>,
    pub status: StudentStatus,
    pub postal_code: String,
    pub address: String,
    pub email: String,
}

/// What is wrong with a student as typed or imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StudentProblem {
    NoNumber,
    BadGrade(String),
    BadSeat(String),
    BadStatus(String),
    BadEmail(String),
}

impl StudentProblem {
    pub fn message_key(&self) -> &'static str {
        match self {
            StudentProblem::NoNumber => "receipt.err_no_student_no",
            StudentProblem::BadGrade(_) => "receipt.err_bad_grade",
            StudentProblem::BadSeat(_) => "receipt.err_bad_seat",
            StudentProblem::BadStatus(_) => "receipt.err_bad_status",
            StudentProblem::BadEmail(_) => "receipt.err_bad_email",
        }
    }
    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            StudentProblem::NoNumber => vec![],
            StudentProblem::BadGrade(s)
            | StudentProblem::BadSeat(s)
            | StudentProblem::BadStatus(s)
            | StudentProblem::BadEmail(s) => vec![("input", s.clone())],
        }
    }
}

/// Reads a grade as written: 10/11/12, 高一/高二/高三, 一/二/三年級 (1–3).
pub fn parse_grade(s: &str) -> Result<Option<u8>, StudentProblem> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let g = match t {
        "10" | "1" | "高一" | "一年級" | "十年級" => 10,
        "11" | "2" | "高二" | "二年級" | "十一年級" => 11,
        "12" | "3" | "高三" | "三年級" | "十二年級" => 12,
        _ => return Err(StudentProblem::BadGrade(t.to_string())),
    };
    Ok(Some(g))
}

/// Reads a seat number (座號): 1–99, blank for none.
pub fn parse_seat(s: &str) -> Result<Option<u32>, StudentProblem> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    match t.parse::<u32>() {
        Ok(n) if (1..=99).contains(&n) => Ok(Some(n)),
        _ => Err(StudentProblem::BadSeat(t.to_string())),
    }
}

/// The grade a class name implies where it starts with a digit (`301` → 12,
/// `高二甲` → 11); None when it does not say.
pub fn grade_of_class(class: &str) -> Option<u8> {
    let t = class.trim();
    if let Some(rest) = t.strip_prefix('高') {
        return match rest.chars().next()? {
            '一' => Some(10),
            '二' => Some(11),
            '三' => Some(12),
            _ => None,
        };
    }
    match t.chars().next()? {
        '1' if t.chars().count() == 3 => Some(10),
        '2' if t.chars().count() == 3 => Some(11),
        '3' if t.chars().count() == 3 => Some(12),
        _ => None,
    }
}

impl Student {
    /// Checks what a form or a file gave.
    pub fn validate(&self) -> Result<(), StudentProblem> {
        if self.student_no.trim().is_empty() {
            return Err(StudentProblem::NoNumber);
        }
        let e = self.email.trim();
        if !crate::domain::committee::email_ok(e) {
            return Err(StudentProblem::BadEmail(e.to_string()));
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// Receipt lines
// ---------------------------------------------------------------------------

/// One line of the receipt detail as read from a file (before storing).
/// Text fields are boxed `str` (16 bytes, not 24): a large school's file
/// has 120,000 of these in memory at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIn {
    pub term: Term,
    pub student_no: Box<str>,
    /// The student's name and class: a new student is added from the first
    /// line that names them (the importer leaves them empty on a student's
    /// later lines to keep a large file small).
    pub name: Box<str>,
    pub class: Box<str>,
    pub seat: Option<u32>,
    pub category: Category,
    pub item: Box<str>,
    pub count: u32,
    /// Unknown columns as a JSON object (empty when there were none).
    pub extra: Box<str>,
}

/// A stored receipt line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub id: i64,
    pub term: Term,
    pub student_id: i64,
    pub category: Category,
    pub item: String,
    pub ordinal: u32,
    pub count: u32,
    pub extra: String,
    /// Marked for re-submission after a discrepancy found it wrong.
    pub resubmit: bool,
}

/// Counts per category (index = [`Category::index`]).
pub type CategoryCounts = [u32; 5];

// ---------------------------------------------------------------------------
// Confirmation
// ---------------------------------------------------------------------------

/// A student's receipt for a term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Confirm {
    Unconfirmed,
    Confirmed,
    Disputed,
    /// 視為已確認: nothing raised when the window closed.
    Deemed,
}

impl Confirm {
    pub const ALL: [Confirm; 4] = [
        Confirm::Unconfirmed,
        Confirm::Confirmed,
        Confirm::Disputed,
        Confirm::Deemed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Confirm::Unconfirmed => "unconfirmed",
            Confirm::Confirmed => "confirmed",
            Confirm::Disputed => "disputed",
            Confirm::Deemed => "deemed",
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Confirm::Unconfirmed => "receipt.cf_unconfirmed",
            Confirm::Confirmed => "receipt.cf_confirmed",
            Confirm::Disputed => "receipt.cf_disputed",
            Confirm::Deemed => "receipt.cf_deemed",
        }
    }

    pub fn parse(s: &str) -> Option<Confirm> {
        Confirm::ALL.into_iter().find(|c| c.code() == s.trim())
    }

    /// Confirmed, by the student or by the rule.
    pub fn is_done(self) -> bool {
        matches!(self, Confirm::Confirmed | Confirm::Deemed)
    }
}

/// Where a term's confirmation window comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowSource {
    /// The calendar's receipt-confirmation window (event id).
    Calendar(i64),
    /// Set by hand on the receipts screen or the CLI.
    Manual,
}

/// The students' confirmation window of a term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConfirmWindow {
    pub span: DateRange,
    pub source: WindowSource,
}

impl ConfirmWindow {
    pub fn closed(&self, today: NaiveDate) -> bool {
        today > self.span.end
    }
}

/// The window to use: the one set by hand, else the union of the term's
/// receipt-confirmation windows on the calendar (grades may differ).
pub fn confirm_window(
    manual: Option<DateRange>,
    calendar: &[(i64, DateRange)],
) -> Option<ConfirmWindow> {
    if let Some(span) = manual {
        return Some(ConfirmWindow {
            span,
            source: WindowSource::Manual,
        });
    }
    let first = calendar.iter().min_by_key(|(_, r)| r.start)?;
    let start = first.1.start;
    let end = calendar.iter().map(|(_, r)| r.end).max()?;
    Some(ConfirmWindow {
        span: DateRange { start, end },
        source: WindowSource::Calendar(first.0),
    })
}

/// Whether a student becomes deemed confirmed now.
pub fn deemable(state: Confirm, has_open: bool) -> bool {
    matches!(state, Confirm::Unconfirmed | Confirm::Disputed) && !has_open
}

/// Why deeming cannot run (the screen and CLI say so, quoting the dates).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeemRefusal {
    /// The preset does not say silence means confirmed.
    NoRule,
    /// The term has no confirmation window (calendar or by hand).
    NoWindow,
    /// The window has not closed yet.
    StillOpen(NaiveDate),
}

/// The rule for deeming: the preset says so and the window has closed.
pub fn may_deem(
    silence_means_confirmed: bool,
    window: Option<&ConfirmWindow>,
    today: NaiveDate,
) -> Result<(), DeemRefusal> {
    if !silence_means_confirmed {
        return Err(DeemRefusal::NoRule);
    }
    let w = window.ok_or(DeemRefusal::NoWindow)?;
    if !w.closed(today) {
        return Err(DeemRefusal::StillOpen(w.span.end));
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Discrepancies
// ---------------------------------------------------------------------------

/// What the student says is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// An item is missing.
    Missing,
    /// The count is wrong.
    WrongCount,
    /// Wrong course, title or name.
    WrongName,
    Other,
}

impl Kind {
    pub const ALL: [Kind; 4] = [
        Kind::Missing,
        Kind::WrongCount,
        Kind::WrongName,
        Kind::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Kind::Missing => "missing",
            Kind::WrongCount => "wrong_count",
            Kind::WrongName => "wrong_name",
            Kind::Other => "other",
        }
    }
    pub fn label_key(self) -> &'static str {
        match self {
            Kind::Missing => "receipt.kind_missing",
            Kind::WrongCount => "receipt.kind_wrong_count",
            Kind::WrongName => "receipt.kind_wrong_name",
            Kind::Other => "receipt.kind_other",
        }
    }
    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == s.trim())
    }
}

/// How the student reported it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Via {
    /// On the school's platform.
    Platform,
    /// A paper form.
    Paper,
    Email,
    /// In person at the office.
    InPerson,
    Phone,
}

impl Via {
    pub const ALL: [Via; 5] = [
        Via::Platform,
        Via::Paper,
        Via::Email,
        Via::InPerson,
        Via::Phone,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Via::Platform => "platform",
            Via::Paper => "paper",
            Via::Email => "email",
            Via::InPerson => "in_person",
            Via::Phone => "phone",
        }
    }
    pub fn label_key(self) -> &'static str {
        match self {
            Via::Platform => "receipt.via_platform",
            Via::Paper => "receipt.via_paper",
            Via::Email => "receipt.via_email",
            Via::InPerson => "receipt.via_in_person",
            Via::Phone => "receipt.via_phone",
        }
    }
    pub fn parse(s: &str) -> Option<Via> {
        Via::ALL.into_iter().find(|v| v.code() == s.trim())
    }
}

/// Where a discrepancy is in its workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DStatus {
    Reported,
    Investigating,
    /// The data was wrong: corrected and marked for re-submission.
    Corrected,
    /// The data was right (reason recorded): the student checks again.
    Rejected,
    Closed,
}

impl DStatus {
    pub const ALL: [DStatus; 5] = [
        DStatus::Reported,
        DStatus::Investigating,
        DStatus::Corrected,
        DStatus::Rejected,
        DStatus::Closed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DStatus::Reported => "reported",
            DStatus::Investigating => "investigating",
            DStatus::Corrected => "corrected",
            DStatus::Rejected => "rejected",
            DStatus::Closed => "closed",
        }
    }
    pub fn label_key(self) -> &'static str {
        match self {
            DStatus::Reported => "receipt.ds_reported",
            DStatus::Investigating => "receipt.ds_investigating",
            DStatus::Corrected => "receipt.ds_corrected",
            DStatus::Rejected => "receipt.ds_rejected",
            DStatus::Closed => "receipt.ds_closed",
        }
    }
    pub fn parse(s: &str) -> Option<DStatus> {
        DStatus::ALL.into_iter().find(|d| d.code() == s.trim())
    }

    /// The school still owes work on it.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            DStatus::Reported | DStatus::Investigating | DStatus::Corrected
        )
    }

    /// The school has not answered yet (what the 3-day rule measures).
    pub fn awaits_answer(self) -> bool {
        matches!(self, DStatus::Reported | DStatus::Investigating)
    }

    /// Where it may go from here.
    pub fn next(self) -> &'static [DStatus] {
        match self {
            DStatus::Reported => &[DStatus::Investigating, DStatus::Rejected],
            DStatus::Investigating => &[DStatus::Corrected, DStatus::Rejected],
            DStatus::Corrected => &[DStatus::Closed, DStatus::Reported],
            DStatus::Rejected => &[DStatus::Closed, DStatus::Reported],
            DStatus::Closed => &[],
        }
    }
}

/// Why a workflow step is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepProblem {
    /// Not a step from here (closing without a resolution, reopening a closed one…).
    NotAllowed { from: DStatus, to: DStatus },
    /// Rejecting needs the reason (why the data was right).
    NoReason,
    /// Marking corrected needs what was corrected.
    NoCorrection,
}

impl StepProblem {
    pub fn message_key(&self) -> &'static str {
        match self {
            StepProblem::NotAllowed { to, .. } if *to == DStatus::Closed => {
                "receipt.err_close_unresolved"
            }
            StepProblem::NotAllowed { .. } => "receipt.err_step",
            StepProblem::NoReason => "receipt.err_no_reason",
            StepProblem::NoCorrection => "receipt.err_no_correction",
        }
    }
    /// Arguments as i18n keys (`from`, `to` are status label keys).
    pub fn args(&self) -> Vec<(&'static str, &'static str)> {
        match self {
            StepProblem::NotAllowed { from, to } => {
                vec![("from", from.label_key()), ("to", to.label_key())]
            }
            _ => vec![],
        }
    }
}

/// Checks a workflow step and the note it needs.
pub fn step(from: DStatus, to: DStatus, note: &str) -> Result<(), StepProblem> {
    if !from.next().contains(&to) {
        return Err(StepProblem::NotAllowed { from, to });
    }
    match to {
        DStatus::Rejected if note.trim().is_empty() => Err(StepProblem::NoReason),
        DStatus::Corrected if note.trim().is_empty() => Err(StepProblem::NoCorrection),
        _ => Ok(()),
    }
}

/// The student's confirmation after a workflow step: logging or reopening
/// makes it disputed; an answer (corrected or rejected) asks the student to
/// check again; closing leaves it to the student's confirmation (the store
/// confirms when the student does).
pub fn confirm_after(to: DStatus, current: Confirm) -> Confirm {
    match to {
        DStatus::Reported | DStatus::Investigating => Confirm::Disputed,
        DStatus::Corrected | DStatus::Rejected => Confirm::Unconfirmed,
        DStatus::Closed => current,
    }
}

/// A discrepancy (0 id for one not stored yet).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Discrepancy {
    pub id: i64,
    pub term: Term,
    pub student_id: i64,
    pub category: Category,
    /// The receipt line it is about, if one.
    pub line_id: Option<i64>,
    pub kind: Kind,
    /// What the student says, in their words.
    pub detail: String,
    pub reported_on: NaiveDate,
    pub via: Via,
    /// The responsible submitting unit.
    pub unit: String,
    pub status: DStatus,
    /// The last answer: what was corrected, or why the data was right.
    pub resolution: String,
}

impl Discrepancy {
    /// Due day: 3 days after the report, or the fixing window's end if sooner
    /// (a window that ended before the report does not count).
    pub fn due(&self, fix_end: Option<NaiveDate>) -> NaiveDate {
        due_date(self.reported_on, fix_end)
    }

    pub fn overdue(&self, fix_end: Option<NaiveDate>, today: NaiveDate) -> bool {
        self.status.awaits_answer() && today > self.due(fix_end)
    }
}

pub fn due_date(reported_on: NaiveDate, fix_end: Option<NaiveDate>) -> NaiveDate {
    let national = reported_on
        .checked_add_days(Days::new(INVESTIGATION_DAYS))
        .unwrap_or(reported_on);
    match fix_end {
        Some(end) if end >= reported_on && end < national => end,
        _ => national,
    }
}

/// One step of a discrepancy's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub status: DStatus,
    pub note: String,
    pub at: String,
    pub by: String,
}

// ---------------------------------------------------------------------------
// Routing
// ---------------------------------------------------------------------------

/// The default routing: registry (註冊組) for basic data, course records and
/// outcomes; student affairs (學務處) for cadre records and diverse performance.
pub const REGISTRY: &str = "註冊組";
pub const STUDENT_AFFAIRS: &str = "學務處";
/// Who may undo deeming when the preset names no secretary seat.
pub const DIRECTOR: &str = "教務主任";

/// Which unit answers a discrepancy of each category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Routing(BTreeMap<Category, String>);

impl Default for Routing {
    fn default() -> Self {
        let mut m = BTreeMap::new();
        for c in Category::ALL {
            let unit = match c {
                Category::Basic | Category::CourseRecords | Category::CourseOutcomes => REGISTRY,
                Category::Diverse | Category::Cadre => STUDENT_AFFAIRS,
            };
            m.insert(c, unit.to_string());
        }
        Routing(m)
    }
}

impl Routing {
    /// The default with the preset's `routing` table over it (category code
    /// → unit); unknown categories in the preset are ignored.
    pub fn from_preset(p: &Preset) -> Routing {
        let mut r = Routing::default();
        for (code, unit) in &p.routing {
            if let Some(c) = Category::parse(code)
                && !unit.trim().is_empty()
            {
                r.0.insert(c, unit.trim().to_string());
            }
        }
        r
    }

    pub fn unit(&self, c: Category) -> &str {
        self.0.get(&c).map(String::as_str).unwrap_or(REGISTRY)
    }

    /// The distinct units, in category order.
    pub fn units(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for c in Category::ALL {
            let u = self.unit(c).to_string();
            if !out.contains(&u) {
                out.push(u);
            }
        }
        out
    }
}

// ---------------------------------------------------------------------------
// Caps
// ---------------------------------------------------------------------------

/// Which cap a count is over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CapKind {
    OutcomesPerSemester,
    OutcomesPerYear,
    DiversePerYear,
}

impl CapKind {
    pub fn label_key(self) -> &'static str {
        match self {
            CapKind::OutcomesPerSemester => "receipt.cap_outcomes_semester",
            CapKind::OutcomesPerYear => "receipt.cap_outcomes_year",
            CapKind::DiversePerYear => "receipt.cap_diverse_year",
        }
    }
}

/// The caps receipts are checked against: the yearly selection caps (6 and
/// 10 nationally, or the school's), and a per-semester course-outcome cap
/// where the school sets one (育仁 3). What was received cannot exceed what
/// was allowed to be uploaded, so an upload cap per semester applies too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReceiptCaps {
    pub outcomes_per_semester: Option<u32>,
    pub outcomes_per_year: u32,
    pub diverse_per_year: u32,
}

impl ReceiptCaps {
    pub fn from_preset(p: &Preset) -> ReceiptCaps {
        let caps = p.effective_caps();
        ReceiptCaps {
            outcomes_per_semester: caps.course_outcomes_uploaded_per_semester.map(|c| c.max),
            outcomes_per_year: caps
                .course_outcomes_selected_per_year
                .map(|c| c.max)
                .unwrap_or(crate::domain::preset::NATIONAL_COURSE_OUTCOMES_SELECTED_PER_YEAR),
            diverse_per_year: caps
                .diverse_performances_selected_per_year
                .map(|c| c.max)
                .unwrap_or(crate::domain::preset::NATIONAL_DIVERSE_PERFORMANCES_SELECTED_PER_YEAR),
        }
    }
}

/// A student over a cap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapExcess {
    pub student_id: i64,
    pub cap: CapKind,
    /// The term (per-semester cap) or the first term of the year.
    pub term: Term,
    pub count: u32,
    pub max: u32,
}

/// Students over a cap, given per-term course-outcome and diverse counts
/// (student, term, outcomes, diverse), sorted by student then term.
pub fn cap_excess(counts: &[(i64, Term, u32, u32)], caps: ReceiptCaps) -> Vec<CapExcess> {
    let mut out = Vec::new();
    let mut year: BTreeMap<(i64, i32), (u32, u32)> = BTreeMap::new();
    for &(sid, term, outcomes, diverse) in counts {
        if let Some(max) = caps.outcomes_per_semester
            && outcomes > max
        {
            out.push(CapExcess {
                student_id: sid,
                cap: CapKind::OutcomesPerSemester,
                term,
                count: outcomes,
                max,
            });
        }
        let e = year.entry((sid, term.year)).or_default();
        e.0 += outcomes;
        e.1 += diverse;
    }
    for ((sid, y), (outcomes, diverse)) in year {
        let term = Term {
            year: y,
            semester: 1,
        };
        if outcomes > caps.outcomes_per_year {
            out.push(CapExcess {
                student_id: sid,
                cap: CapKind::OutcomesPerYear,
                term,
                count: outcomes,
                max: caps.outcomes_per_year,
            });
        }
        if diverse > caps.diverse_per_year {
            out.push(CapExcess {
                student_id: sid,
                cap: CapKind::DiversePerYear,
                term,
                count: diverse,
                max: caps.diverse_per_year,
            });
        }
    }
    out.sort_by_key(|e| (e.student_id, e.term, e.cap as u8));
    out
}

/// An import may add at most this share of a term's stored lines without
/// asking (a doubled or wrong file adds about as many as there are).
pub const MAX_GROWTH_PERCENT: usize = 50;

/// A term that has `existing` lines would get `added` new ones: more than
/// [`MAX_GROWTH_PERCENT`] of them is suspicious. A term with no lines yet
/// may get any number.
pub fn growth_suspicious(existing: usize, added: usize) -> bool {
    existing > 0 && added * 100 > existing * MAX_GROWTH_PERCENT
}

/// "3,812": thousands separated by commas.
pub fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }
    fn t(s: &str) -> Term {
        s.parse().unwrap()
    }

    #[test]
    fn categories_read_as_schools_write_them() {
        assert_eq!(Category::parse("基本資料"), Some(Category::Basic));
        assert_eq!(Category::parse(" 修課記錄 "), Some(Category::CourseRecords));
        assert_eq!(
            Category::parse("課程學習成果"),
            Some(Category::CourseOutcomes)
        );
        assert_eq!(
            Category::parse("Diverse Performance"),
            Some(Category::Diverse)
        );
        assert_eq!(
            Category::parse("diverse_performance"),
            Some(Category::Diverse)
        );
        assert_eq!(Category::parse("校內幹部經歷"), Some(Category::Cadre));
        assert_eq!(Category::parse("獎懲紀錄"), None);
        for c in Category::ALL {
            assert_eq!(Category::parse(c.code()), Some(c));
        }
    }

    #[test]
    fn statuses_and_leavers() {
        assert_eq!(StudentStatus::parse("休學"), Some(StudentStatus::Left));
        assert_eq!(StudentStatus::parse(""), Some(StudentStatus::Enrolled));
        assert_eq!(StudentStatus::parse("gone"), None);
        assert!(StudentStatus::Transferred.is_leaver());
        assert!(StudentStatus::Graduated.is_leaver());
        assert!(!StudentStatus::Reenrolled.is_leaver());
        assert!(!StudentStatus::Enrolled.is_leaver());
    }

    #[test]
    fn grades_seats_and_classes() {
        assert_eq!(parse_grade("高二"), Ok(Some(11)));
        assert_eq!(parse_grade(""), Ok(None));
        assert_eq!(
            parse_grade("13"),
            Err(StudentProblem::BadGrade("13".into()))
        );
        assert_eq!(parse_seat("07"), Ok(Some(7)));
        assert_eq!(parse_seat("0"), Err(StudentProblem::BadSeat("0".into())));
        assert_eq!(grade_of_class("301"), Some(12));
        assert_eq!(grade_of_class("高一甲"), Some(10));
        assert_eq!(grade_of_class("忠班"), None);
    }

    #[test]
    fn student_needs_a_number_and_a_plausible_email() {
        let mut s = Student {
            student_no: "  ".into(),
            ..Default::default()
        };
        assert_eq!(s.validate(), Err(StudentProblem::NoNumber));
        s.student_no = "110001".into();
        s.email = "nobody".into();
        assert_eq!(s.validate(), Err(StudentProblem::BadEmail("nobody".into())));
        s.email = "a@b.tw".into();
        assert_eq!(s.validate(), Ok(()));
    }

    #[test]
    fn workflow_cannot_skip_to_closed_without_a_resolution() {
        use DStatus::*;
        assert!(matches!(
            step(Reported, Closed, "x"),
            Err(StepProblem::NotAllowed { .. })
        ));
        assert!(matches!(
            step(Investigating, Closed, "x"),
            Err(StepProblem::NotAllowed { .. })
        ));
        assert_eq!(
            StepProblem::NotAllowed {
                from: Reported,
                to: Closed
            }
            .message_key(),
            "receipt.err_close_unresolved"
        );
        assert_eq!(step(Reported, Investigating, ""), Ok(()));
        assert_eq!(
            step(Investigating, Corrected, ""),
            Err(StepProblem::NoCorrection)
        );
        assert_eq!(step(Investigating, Corrected, "補登成果 2 件"), Ok(()));
        assert_eq!(
            step(Investigating, Rejected, " "),
            Err(StepProblem::NoReason)
        );
        assert_eq!(step(Reported, Rejected, "資料無誤"), Ok(()));
        assert_eq!(step(Corrected, Closed, ""), Ok(()));
        assert_eq!(step(Rejected, Closed, ""), Ok(()));
        // The student still disagrees: the loop starts again.
        assert_eq!(step(Rejected, Reported, ""), Ok(()));
        assert_eq!(step(Corrected, Reported, ""), Ok(()));
        // Closed is final; no going back to investigating from an answer.
        assert!(step(Closed, Reported, "").is_err());
        assert!(step(Corrected, Investigating, "").is_err());
        assert!(step(Reported, Corrected, "x").is_err());
    }

    #[test]
    fn open_and_awaiting() {
        assert!(DStatus::Corrected.is_open());
        assert!(!DStatus::Corrected.awaits_answer());
        assert!(!DStatus::Rejected.is_open());
        assert!(!DStatus::Closed.is_open());
        assert!(DStatus::Reported.awaits_answer());
    }

    #[test]
    fn the_student_is_asked_again_after_an_answer() {
        assert_eq!(
            confirm_after(DStatus::Reported, Confirm::Unconfirmed),
            Confirm::Disputed
        );
        assert_eq!(
            confirm_after(DStatus::Rejected, Confirm::Disputed),
            Confirm::Unconfirmed
        );
        assert_eq!(
            confirm_after(DStatus::Corrected, Confirm::Disputed),
            Confirm::Unconfirmed
        );
        assert_eq!(
            confirm_after(DStatus::Closed, Confirm::Confirmed),
            Confirm::Confirmed
        );
    }

    #[test]
    fn due_three_days_after_unless_the_fix_window_ends_sooner() {
        let rep = d("2022-10-24");
        assert_eq!(due_date(rep, None), d("2022-10-27"));
        assert_eq!(due_date(rep, Some(d("2022-10-25"))), d("2022-10-25"));
        assert_eq!(due_date(rep, Some(d("2022-10-30"))), d("2022-10-27"));
        // A window that closed before the report does not shorten it.
        assert_eq!(due_date(rep, Some(d("2022-10-20"))), d("2022-10-27"));
        let mut x = Discrepancy {
            id: 1,
            term: t("111-1"),
            student_id: 1,
            category: Category::Diverse,
            line_id: None,
            kind: Kind::Missing,
            detail: String::new(),
            reported_on: rep,
            via: Via::Platform,
            unit: REGISTRY.into(),
            status: DStatus::Reported,
            resolution: String::new(),
        };
        assert!(!x.overdue(None, d("2022-10-27")));
        assert!(x.overdue(None, d("2022-10-28")));
        x.status = DStatus::Corrected;
        assert!(!x.overdue(None, d("2022-10-28")));
    }

    #[test]
    fn window_from_calendar_or_by_hand() {
        let r = |a: &str, b: &str| DateRange {
            start: d(a),
            end: d(b),
        };
        assert_eq!(confirm_window(None, &[]), None);
        let w = confirm_window(
            None,
            &[
                (7, r("2022-10-21", "2022-10-28")),
                (9, r("2022-10-24", "2022-10-30")),
            ],
        )
        .unwrap();
        assert_eq!(w.span, r("2022-10-21", "2022-10-30"));
        assert_eq!(w.source, WindowSource::Calendar(7));
        let m = confirm_window(
            Some(r("2022-11-01", "2022-11-03")),
            &[(7, r("2022-10-21", "2022-10-28"))],
        )
        .unwrap();
        assert_eq!(m.source, WindowSource::Manual);
        assert!(!m.closed(d("2022-11-03")));
        assert!(m.closed(d("2022-11-04")));
    }

    #[test]
    fn deemed_confirmation_rule() {
        let w = ConfirmWindow {
            span: DateRange {
                start: d("2022-10-21"),
                end: d("2022-10-28"),
            },
            source: WindowSource::Manual,
        };
        assert_eq!(
            may_deem(false, Some(&w), d("2022-11-01")),
            Err(DeemRefusal::NoRule)
        );
        assert_eq!(
            may_deem(true, None, d("2022-11-01")),
            Err(DeemRefusal::NoWindow)
        );
        assert_eq!(
            may_deem(true, Some(&w), d("2022-10-28")),
            Err(DeemRefusal::StillOpen(d("2022-10-28")))
        );
        assert_eq!(may_deem(true, Some(&w), d("2022-10-29")), Ok(()));
        assert!(deemable(Confirm::Unconfirmed, false));
        assert!(deemable(Confirm::Disputed, false));
        assert!(!deemable(Confirm::Disputed, true));
        assert!(!deemable(Confirm::Unconfirmed, true));
        assert!(!deemable(Confirm::Confirmed, false));
        assert!(!deemable(Confirm::Deemed, false));
    }

    #[test]
    fn routing_defaults_and_preset_override() {
        let r = Routing::default();
        assert_eq!(r.unit(Category::Basic), REGISTRY);
        assert_eq!(r.unit(Category::Cadre), STUDENT_AFFAIRS);
        let mut p = crate::domain::preset::by_key("yuren").unwrap();
        p.routing.insert("diverse".into(), "訓育組".into());
        p.routing.insert("nonsense".into(), "X".into());
        let r = Routing::from_preset(&p);
        assert_eq!(r.unit(Category::Diverse), "訓育組");
        assert_eq!(
            r.units(),
            vec![
                REGISTRY.to_string(),
                "訓育組".into(),
                STUDENT_AFFAIRS.into()
            ]
        );
    }

    #[test]
    fn caps_per_semester_and_per_year() {
        let caps = ReceiptCaps {
            outcomes_per_semester: Some(3),
            outcomes_per_year: 6,
            diverse_per_year: 10,
        };
        let counts = [
            (1, t("111-1"), 4, 6),
            (1, t("111-2"), 3, 5),
            (2, t("111-1"), 3, 10),
            (2, t("112-1"), 3, 1),
        ];
        let ex = cap_excess(&counts, caps);
        let kinds: Vec<(i64, CapKind, u32)> =
            ex.iter().map(|e| (e.student_id, e.cap, e.count)).collect();
        assert_eq!(
            kinds,
            vec![
                (1, CapKind::OutcomesPerSemester, 4),
                (1, CapKind::OutcomesPerYear, 7),
                (1, CapKind::DiversePerYear, 11),
            ]
        );
        let yuren = crate::domain::preset::by_key("yuren").unwrap();
        let c = ReceiptCaps::from_preset(&yuren);
        assert_eq!(c.outcomes_per_year, 6);
        assert_eq!(c.diverse_per_year, 10);
    }

    #[test]
    fn growth_over_half_of_a_term_with_lines_is_suspicious() {
        assert!(!growth_suspicious(0, 120_000));
        assert!(!growth_suspicious(100, 50));
        assert!(growth_suspicious(100, 51));
        assert!(growth_suspicious(120_000, 120_000));
        assert!(!growth_suspicious(1, 0));
    }

    #[test]
    fn thousands_separator() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(3812), "3,812");
        assert_eq!(thousands(120000), "120,000");
    }
}
