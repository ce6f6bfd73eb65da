//! The term calendar: terms, dated windows (events) and the calendar check.
//!
//! Pure rules, no I/O. The check ([`check`]) looks at every term and event
//! and returns [`Finding`]s; each names the rule it comes from, the events it
//! is about and the values that explain it. The UI and the CLI turn a finding
//! into a sentence with [`Finding::message_key`] / [`Finding::why_key`] and
//! [`Finding::args`] (`assets/i18n/<lang>/calendar.toml`).
//!
//! # Decisions
//!
//! * An event belongs to the term whose schedule it is published in (靜心's
//!   111-2 schedule lists the grade-12 fifth-semester uploads). Work of a term
//!   runs on after the semester ends (uploads at least two weeks after the
//!   closing ceremony, certification, submission), so an event is "outside its
//!   term" only when it starts before the term or ends more than
//!   [`WORK_AFTER_TERM_DAYS`] after it.
//! * A date that lies in another academic year than its term, and fits the
//!   term when its year is moved by one, is reported as a year typo
//!   (靜心 111-1: `111.02.09~111.02.17` for 112).
//! * Phase order compares an event with the window of the preceding phase it
//!   follows: among the same term's windows of that phase whose grades meet
//!   it, the one that started last on or before it (or, when all start later,
//!   the first one it runs into; a window over before the phase begins belongs
//!   to another cycle). Starting before that window ends is an error; starting
//!   on its last day is a warning.
//! * The closing-ceremony rule compares an upload deadline with the latest
//!   recorded closing ceremony (休業式) on or before it. Grade 12's second
//!   semester is exempt.
//! * A window with no grades concerns every grade.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::domain::preset::{Frequency, Preset};
use crate::domain::regulation;
use crate::domain::roc::{DateRange, DateStyle, Term, academic_year_of, format_date, format_range};

/// Days after a term's last day that its own work may still run.
pub const WORK_AFTER_TERM_DAYS: i64 = 62;
/// National rule: the students' receipt-confirmation window lasts at least 3 days.
pub const MIN_CONFIRM_DAYS: i64 = 3;
/// National rule: the upload deadline is at least 14 days after the closing ceremony.
pub const MIN_UPLOAD_AFTER_CLOSING_DAYS: i64 = 14;

// ---------------------------------------------------------------------------
// Phases and grades
// ---------------------------------------------------------------------------

/// 作業階段: what kind of window an event is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Students upload course outcomes / diverse performances (上傳).
    Upload,
    /// Teachers certify course outcomes (認證).
    Certify,
    /// Students select what is submitted (勾選).
    Select,
    /// The school submits (學校提交).
    SchoolSubmit,
    /// Students confirm the receipt detail (收訖確認).
    ReceiptConfirm,
    /// Discrepancies are fixed (疑義處理).
    Fix,
    /// Submission to the central database (提交中央資料庫).
    CentralSubmit,
    /// 自我檢核.
    SelfCheck,
    /// Training, workshop, briefing (研習/訓練/宣導).
    Training,
    /// Committee meeting (工作小組會議).
    Meeting,
    Other,
}

impl Phase {
    pub const ALL: [Phase; 11] = [
        Phase::Upload,
        Phase::Certify,
        Phase::Select,
        Phase::SchoolSubmit,
        Phase::ReceiptConfirm,
        Phase::Fix,
        Phase::CentralSubmit,
        Phase::SelfCheck,
        Phase::Training,
        Phase::Meeting,
        Phase::Other,
    ];

    /// Stable code used in the database, CSV and the CLI.
    pub fn code(self) -> &'static str {
        match self {
            Phase::Upload => "upload",
            Phase::Certify => "certify",
            Phase::Select => "select",
            Phase::SchoolSubmit => "school_submit",
            Phase::ReceiptConfirm => "receipt_confirm",
            Phase::Fix => "fix",
            Phase::CentralSubmit => "central_submit",
            Phase::SelfCheck => "self_check",
            Phase::Training => "training",
            Phase::Meeting => "meeting",
            Phase::Other => "other",
        }
    }

    /// i18n key of the phase's name (`phase.upload`).
    pub fn label_key(self) -> &'static str {
        match self {
            Phase::Upload => "phase.upload",
            Phase::Certify => "phase.certify",
            Phase::Select => "phase.select",
            Phase::SchoolSubmit => "phase.school_submit",
            Phase::ReceiptConfirm => "phase.receipt_confirm",
            Phase::Fix => "phase.fix",
            Phase::CentralSubmit => "phase.central_submit",
            Phase::SelfCheck => "phase.self_check",
            Phase::Training => "phase.training",
            Phase::Meeting => "phase.meeting",
            Phase::Other => "phase.other",
        }
    }

    /// Reads a code (`school_submit`) or one of the names schools write
    /// (`學校提交`, `上傳`, `收訖確認`…). Case and spaces do not matter.
    pub fn parse(s: &str) -> Option<Phase> {
        let t: String = s
            .trim()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_lowercase()
            .replace('-', "_");
        if let Some(p) = Phase::ALL.iter().find(|p| p.code() == t) {
            return Some(*p);
        }
        let alias: &[(&str, Phase)] = &[
            ("上傳", Phase::Upload),
            ("學生上傳", Phase::Upload),
            ("認證", Phase::Certify),
            ("教師認證", Phase::Certify),
            ("勾選", Phase::Select),
            ("學生勾選", Phase::Select),
            ("學校提交", Phase::SchoolSubmit),
            ("提交", Phase::SchoolSubmit),
            ("收訖確認", Phase::ReceiptConfirm),
            ("確認收訖", Phase::ReceiptConfirm),
            ("收訖明細確認", Phase::ReceiptConfirm),
            ("疑義處理", Phase::Fix),
            ("疑義修正", Phase::Fix),
            ("修正", Phase::Fix),
            ("提交中央", Phase::CentralSubmit),
            ("提交中央資料庫", Phase::CentralSubmit),
            ("中央提交", Phase::CentralSubmit),
            ("自我檢核", Phase::SelfCheck),
            ("檢核", Phase::SelfCheck),
            ("訓練", Phase::Training),
            ("研習", Phase::Training),
            ("宣導", Phase::Training),
            ("教育訓練", Phase::Training),
            ("會議", Phase::Meeting),
            ("工作小組會議", Phase::Meeting),
            ("其他", Phase::Other),
            ("upload", Phase::Upload),
            ("certification", Phase::Certify),
            ("selection", Phase::Select),
            ("submission", Phase::SchoolSubmit),
            ("receipt", Phase::ReceiptConfirm),
            ("confirmation", Phase::ReceiptConfirm),
            ("fixing", Phase::Fix),
            ("central", Phase::CentralSubmit),
            ("selfcheck", Phase::SelfCheck),
            ("meeting", Phase::Meeting),
        ];
        alias.iter().find(|(a, _)| *a == t).map(|(_, p)| *p)
    }

    /// The phase whose window this one must follow (upload → certify →
    /// select → school submit → receipt confirm → central submit).
    pub fn follows(self) -> Option<Phase> {
        match self {
            Phase::Certify => Some(Phase::Upload),
            Phase::Select => Some(Phase::Certify),
            Phase::SchoolSubmit => Some(Phase::Select),
            Phase::ReceiptConfirm => Some(Phase::SchoolSubmit),
            Phase::CentralSubmit => Some(Phase::ReceiptConfirm),
            _ => None,
        }
    }
}

/// The grades (10, 11, 12) a window concerns. Empty means every grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Grades(u8);

impl Grades {
    pub const ALL: Grades = Grades(0b111);
    pub const NONE: Grades = Grades(0);

    pub fn from_bits(bits: u8) -> Grades {
        Grades(bits & 0b111)
    }
    pub fn bits(self) -> u8 {
        self.0
    }
    pub fn of(list: &[u8]) -> Grades {
        let mut g = Grades(0);
        for &n in list {
            g = g.with(n);
        }
        g
    }
    pub fn with(self, grade: u8) -> Grades {
        match grade {
            10..=12 => Grades(self.0 | (1 << (grade - 10))),
            _ => self,
        }
    }
    pub fn contains(self, grade: u8) -> bool {
        (10..=12).contains(&grade) && self.0 & (1 << (grade - 10)) != 0
    }
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
    /// The grades, empty meaning all.
    pub fn effective(self) -> Grades {
        if self.0 == 0 { Grades::ALL } else { self }
    }
    /// True when the two windows concern at least one grade in common.
    pub fn meets(self, other: Grades) -> bool {
        self.effective().0 & other.effective().0 != 0
    }
    pub fn list(self) -> Vec<u8> {
        (10..=12).filter(|g| self.contains(*g)).collect()
    }
    /// `10,11,12`; empty for "every grade".
    pub fn code(self) -> String {
        self.list()
            .iter()
            .map(|g| g.to_string())
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Reads `10,11`, `10、11、12`, `10 12`, `高一 高二`, `十二年級`, `全`
    /// or `all`. Returns the first piece it cannot read.
    pub fn parse(s: &str) -> Result<Grades, String> {
        let t = s.trim();
        if t.is_empty() || matches!(t, "全" | "全部" | "全年級" | "all" | "ALL" | "All") {
            return Ok(Grades::NONE);
        }
        let mut g = Grades(0);
        for piece in t
            .split([',', '、', '，', ' ', '/', ';', '　'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            let p = piece.trim_end_matches("年級").trim_end_matches('級');
            let n = match p {
                "10" | "１０" | "十" | "高一" | "一" => 10,
                "11" | "１１" | "十一" | "高二" | "二" => 11,
                "12" | "１２" | "十二" | "高三" | "三" => 12,
                _ => return Err(piece.to_string()),
            };
            g = g.with(n);
        }
        Ok(g)
    }
}

// ---------------------------------------------------------------------------
// Terms and events
// ---------------------------------------------------------------------------

/// A term as the school records it: its span (by default the semester) and
/// its closing ceremony (休業式), which the upload-deadline rule needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermInfo {
    pub term: Term,
    pub span: DateRange,
    pub closing: Option<NaiveDate>,
}

impl TermInfo {
    pub fn new(term: Term) -> TermInfo {
        TermInfo {
            term,
            span: term.span(),
            closing: None,
        }
    }
}

/// A dated window on a term's calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// 0 for an event not stored yet.
    pub id: i64,
    pub term: Term,
    pub title: String,
    pub phase: Phase,
    pub grades: Grades,
    /// Responsible units: positions or offices (註冊組, 教務處…).
    pub units: Vec<String>,
    pub span: DateRange,
    /// A deadline set nationally (central database, K-12 Administration).
    pub national: bool,
    /// The national window this internal one prepares for.
    pub prepares_for: Option<i64>,
    pub notes: String,
    /// When it was marked done (the window's work finished).
    pub done_on: Option<NaiveDate>,
}

impl Event {
    /// Past its last day and not marked done.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.done_on.is_none() && self.span.end < today
    }
}

/// What a user types into the event form / a CSV row, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventProblem {
    EmptyTitle,
    /// A grade the text names that is not 10, 11 or 12.
    BadGrade(String),
    BadPhase(String),
    /// The event prepares for itself, or for an event that is not national.
    BadPreparesFor,
}

impl EventProblem {
    pub fn message_key(&self) -> &'static str {
        match self {
            EventProblem::EmptyTitle => "calendar.err_empty_title",
            EventProblem::BadGrade(_) => "calendar.err_bad_grade",
            EventProblem::BadPhase(_) => "calendar.err_bad_phase",
            EventProblem::BadPreparesFor => "calendar.err_bad_prepares",
        }
    }
    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            EventProblem::BadGrade(s) | EventProblem::BadPhase(s) => vec![("input", s.clone())],
            _ => vec![],
        }
    }
}

/// Splits a units cell: `教務處註冊組、學務處訓育組`, `註冊組, 教學組`.
pub fn parse_units(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for u in s
        .split([',', '、', '，', ';', '；', '/', '\n'])
        .map(str::trim)
        .filter(|u| !u.is_empty())
    {
        if !out.iter().any(|o| o == u) {
            out.push(u.to_string());
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Copy forward
// ---------------------------------------------------------------------------

/// `d` one year later; 29 February becomes 28 February.
pub fn plus_years(d: NaiveDate, years: i32) -> NaiveDate {
    let y = d.year() + years;
    NaiveDate::from_ymd_opt(y, d.month(), d.day())
        .or_else(|| NaiveDate::from_ymd_opt(y, d.month(), 28))
        .unwrap_or(d)
}

/// An event copied to the next academic year, and how its weekdays moved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shifted {
    pub event: Event,
    /// The original's start weekday and the copy's (they differ by one or two
    /// days a year, so a Monday window may now start on a Tuesday).
    pub from_weekday: Weekday,
    pub to_weekday: Weekday,
    /// The copy starts or ends on a Saturday or Sunday.
    pub weekend: bool,
}

/// Copies `events` of one term to the same semester of the next academic
/// year: dates moved by one year, `prepares_for` left for the caller to remap,
/// done marks cleared.
pub fn copy_forward(events: &[Event]) -> Vec<Shifted> {
    events
        .iter()
        .map(|e| {
            let start = plus_years(e.span.start, 1);
            let end = plus_years(e.span.end, 1).max(start);
            let mut copy = e.clone();
            copy.id = 0;
            copy.term = Term {
                year: e.term.year + 1,
                semester: e.term.semester,
            };
            copy.span = DateRange { start, end };
            copy.done_on = None;
            let weekend = |d: NaiveDate| matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
            Shifted {
                from_weekday: e.span.start.weekday(),
                to_weekday: start.weekday(),
                weekend: weekend(start) || weekend(end),
                event: copy,
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Agenda
// ---------------------------------------------------------------------------

/// One line of the agenda view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AgendaRow {
    /// The week starting on this Monday.
    Week(NaiveDate),
    /// The overdue section's heading.
    OverdueHeading,
    /// An event (index into the slice given to [`agenda`]).
    Event(usize),
}

/// Upcoming first, grouped by week (an ongoing window sits in this week);
/// then the overdue windows (ended, not done). Past windows marked done are
/// left out.
pub fn agenda(events: &[Event], today: NaiveDate) -> Vec<AgendaRow> {
    let monday = |d: NaiveDate| d - Duration::days(d.weekday().num_days_from_monday() as i64);
    let this_week = monday(today);
    let mut upcoming: Vec<(NaiveDate, NaiveDate, usize)> = Vec::new();
    let mut overdue: Vec<(NaiveDate, usize)> = Vec::new();
    for (i, e) in events.iter().enumerate() {
        if e.span.end >= today {
            let week = monday(e.span.start).max(this_week);
            upcoming.push((week, e.span.start, i));
        } else if e.done_on.is_none() {
            overdue.push((e.span.end, i));
        }
    }
    upcoming.sort();
    overdue.sort_by(|a, b| b.cmp(a));
    let mut rows = Vec::new();
    let mut last = None;
    for (week, _, i) in upcoming {
        if last != Some(week) {
            rows.push(AgendaRow::Week(week));
            last = Some(week);
        }
        rows.push(AgendaRow::Event(i));
    }
    if !overdue.is_empty() {
        rows.push(AgendaRow::OverdueHeading);
        rows.extend(overdue.into_iter().map(|(_, i)| AgendaRow::Event(i)));
    }
    rows
}

/// Days from `today` to the window: 0 when it is open today, negative when
/// it has ended (days since its end), positive until it starts.
pub fn days_until(span: &DateRange, today: NaiveDate) -> i64 {
    if span.contains(today) {
        0
    } else if span.start > today {
        (span.start - today).num_days()
    } else {
        -(today - span.end).num_days()
    }
}

/// Windows open on `day`, in start order (indices into `events`).
pub fn on_day(events: &[Event], day: NaiveDate) -> Vec<usize> {
    let mut v: Vec<usize> = (0..events.len())
        .filter(|&i| events[i].span.contains(day))
        .collect();
    v.sort_by_key(|&i| (events[i].span.start, events[i].id));
    v
}

/// Windows open at some point between `today` and `today + days`, plus the
/// overdue ones (indices, overdue first, then by start).
pub fn upcoming(events: &[Event], today: NaiveDate, days: i64) -> (Vec<usize>, Vec<usize>) {
    let horizon = today + Duration::days(days);
    let mut soon: Vec<usize> = (0..events.len())
        .filter(|&i| {
            let s = &events[i].span;
            s.end >= today && s.start <= horizon && events[i].done_on.is_none()
        })
        .collect();
    soon.sort_by_key(|&i| (events[i].span.start, events[i].span.end));
    let mut late: Vec<usize> = (0..events.len())
        .filter(|&i| events[i].overdue(today))
        .collect();
    late.sort_by_key(|&i| std::cmp::Reverse(events[i].span.end));
    (late, soon)
}

// ---------------------------------------------------------------------------
// The calendar check
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

/// Which rule a finding comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// A date in another academic year that fits the term when its year is
    /// moved by one.
    YearTypo,
    /// Starts before its term, or ends long after it.
    OutsideTerm,
    /// Starts before the window of the preceding phase ends.
    PhaseOrder,
    /// Starts on the last day of the preceding phase's window.
    PhaseSameDay,
    /// Certification ends before the upload deadline.
    CertifyBeforeUploadEnds,
    /// Internal deadline less than the preset's lead days before the national one.
    LeadTime,
    /// Receipt confirmation window shorter than 3 days.
    ConfirmTooShort,
    /// Upload deadline less than 14 days after the closing ceremony.
    UploadAfterClosing,
    /// Upload windows exist but the term has no closing ceremony recorded.
    NoClosingDate,
    /// Two windows of the same phase and grades overlap.
    Overlap,
    /// A national deadline with no internal window preparing for it.
    NoPreparation,
    /// `prepares_for` points at an event that is not a national deadline of
    /// the same term.
    BadPreparation,
    /// Fewer committee meetings in the term than the regulation asks.
    MissingMeeting,
    /// A required training has too few sessions in its period.
    MissingTraining,
}

impl Rule {
    pub fn code(self) -> &'static str {
        match self {
            Rule::YearTypo => "year_typo",
            Rule::OutsideTerm => "outside_term",
            Rule::PhaseOrder => "phase_order",
            Rule::PhaseSameDay => "phase_same_day",
            Rule::CertifyBeforeUploadEnds => "certify_before_upload_ends",
            Rule::LeadTime => "lead_time",
            Rule::ConfirmTooShort => "confirm_too_short",
            Rule::UploadAfterClosing => "upload_after_closing",
            Rule::NoClosingDate => "no_closing_date",
            Rule::Overlap => "overlap",
            Rule::NoPreparation => "no_preparation",
            Rule::BadPreparation => "bad_preparation",
            Rule::MissingMeeting => "missing_meeting",
            Rule::MissingTraining => "missing_training",
        }
    }
}

/// One thing the check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    pub rule: Rule,
    pub term: Term,
    /// The event the finding is about (id), if any.
    pub event: Option<i64>,
    /// A second event it concerns (the preceding phase's window, the national
    /// deadline, the overlapping window).
    pub other: Option<i64>,
    /// Values for the message (`title`, `dates`, …), already formatted.
    pub args: Vec<(&'static str, String)>,
}

impl Finding {
    /// i18n key of what is wrong.
    pub fn message_key(&self) -> String {
        format!("calcheck.{}", self.rule.code())
    }
    /// i18n key of why it matters (the rule and where it comes from).
    pub fn why_key(&self) -> String {
        format!("calcheck.{}_why", self.rule.code())
    }
}

/// What the check needs from the school's preset.
#[derive(Debug, Clone, Default)]
pub struct CheckRules {
    pub lead_days: Option<u32>,
    pub meetings_per_semester: Option<u32>,
    /// Required trainings: (name, units, per semester?, sessions).
    pub trainings: Vec<TrainingRule>,
    /// How the findings write dates.
    pub style: DateStyle,
    /// The articles of the school's regulation the lead days and the
    /// meeting rule come from (`三、`), for the findings to cite.
    pub lead_article: Option<String>,
    pub meeting_article: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct TrainingRule {
    pub name: String,
    pub units: Vec<String>,
    pub per_semester: bool,
    pub count: u32,
    /// The article of the regulation that asks for it.
    pub article: Option<String>,
}

impl TrainingRule {
    /// A training window (its title and units) counts for this rule: the
    /// title names the training, or a unit that runs it is responsible.
    pub fn matches(&self, title: &str, units: &[String]) -> bool {
        title.contains(&self.name)
            || units
                .iter()
                .any(|u| self.units.iter().any(|r| unit_matches(u, r)))
    }
}

impl CheckRules {
    pub fn from_preset(p: &Preset) -> CheckRules {
        CheckRules {
            lead_days: p.lead_days,
            meetings_per_semester: p.meetings_per_semester,
            trainings: p
                .trainings
                .iter()
                .filter(|t| t.required)
                .map(|t| TrainingRule {
                    name: t.name.clone(),
                    units: t.units.clone(),
                    per_semester: t.frequency == Frequency::PerSemester,
                    count: t.count.unwrap_or(1),
                    article: regulation::article_label(p, &t.clause),
                })
                .collect(),
            style: DateStyle::Roc,
            lead_article: p
                .lead_clause
                .as_deref()
                .and_then(|c| regulation::article_label(p, c)),
            meeting_article: p
                .committee_clause
                .as_deref()
                .and_then(|c| regulation::article_label(p, c)),
        }
    }

    /// The same rules, writing dates in `style`.
    pub fn with_style(mut self, style: DateStyle) -> CheckRules {
        self.style = style;
        self
    }
}

struct Ctx<'a> {
    style: DateStyle,
    events: &'a [Event],
    by_id: HashMap<i64, &'a Event>,
    out: Vec<Finding>,
}

impl Ctx<'_> {
    fn range(&self, r: &DateRange) -> String {
        format_range(r, self.style)
    }
    fn day(&self, d: NaiveDate) -> String {
        format_date(d, self.style)
    }
    fn push(
        &mut self,
        severity: Severity,
        rule: Rule,
        e: &Event,
        other: Option<&Event>,
        mut args: Vec<(&'static str, String)>,
    ) {
        args.insert(0, ("title", e.title.clone()));
        args.insert(1, ("dates", self.range(&e.span)));
        if let Some(o) = other {
            args.push(("other", o.title.clone()));
            args.push(("other_dates", self.range(&o.span)));
        }
        self.out.push(Finding {
            severity,
            rule,
            term: e.term,
            event: Some(e.id),
            other: other.map(|o| o.id),
            args,
        });
    }
}

/// Runs every rule over the school's calendar. Findings come sorted: by
/// term, then errors before warnings, then by the event's start date.
pub fn check(terms: &[TermInfo], events: &[Event], rules: &CheckRules) -> Vec<Finding> {
    let mut cx = Ctx {
        style: rules.style,
        events,
        by_id: events.iter().map(|e| (e.id, e)).collect(),
        out: Vec::new(),
    };
    let term_info: HashMap<Term, TermInfo> = terms
        .iter()
        .map(|t| (t.term, t.clone()))
        .chain(
            events
                .iter()
                .map(|e| (e.term, TermInfo::new(e.term)))
                .filter(|(t, _)| !terms.iter().any(|x| x.term == *t)),
        )
        .collect();
    let closings: BTreeSet<NaiveDate> = terms.iter().filter_map(|t| t.closing).collect();
    let closing_term: HashMap<NaiveDate, Term> = terms
        .iter()
        .filter_map(|t| t.closing.map(|c| (c, t.term)))
        .collect();

    for e in events {
        let info = &term_info[&e.term];
        rule_term_span(&mut cx, e, info);
        rule_phase_order(&mut cx, e);
        if e.phase == Phase::ReceiptConfirm && e.span.days() < MIN_CONFIRM_DAYS {
            cx.push(
                Severity::Error,
                Rule::ConfirmTooShort,
                e,
                None,
                vec![
                    ("days", e.span.days().to_string()),
                    ("min", MIN_CONFIRM_DAYS.to_string()),
                ],
            );
        }
        if e.phase == Phase::Upload {
            rule_upload_closing(&mut cx, e, &closings, &closing_term);
        }
        rule_preparation(&mut cx, e, rules);
    }
    rule_overlaps(&mut cx);
    rule_no_closing(&mut cx, &term_info);
    rule_meetings_trainings(&mut cx, &term_info, rules);

    let start_of = |f: &Finding| {
        f.event
            .and_then(|id| cx.by_id.get(&id).map(|e| e.span.start))
            .unwrap_or(NaiveDate::MAX)
    };
    let mut out = std::mem::take(&mut cx.out);
    out.sort_by(|a, b| {
        (a.term, a.severity, start_of(a), a.event, a.rule).cmp(&(
            b.term,
            b.severity,
            start_of(b),
            b.event,
            b.rule,
        ))
    });
    out
}

fn rule_term_span(cx: &mut Ctx, e: &Event, info: &TermInfo) {
    let window = DateRange {
        start: info.span.start,
        end: info.span.end + Duration::days(WORK_AFTER_TERM_DAYS),
    };
    // A window may start before the term (uploads in January for the
    // second semester's schedule) as long as it reaches into it.
    let fits = |r: &DateRange| r.end >= window.start && r.end <= window.end;
    if fits(&e.span) {
        return;
    }
    for years in [1, -1] {
        let moved = DateRange {
            start: plus_years(e.span.start, years),
            end: plus_years(e.span.end, years),
        };
        let wrong_year = academic_year_of(e.span.start) != e.term.year
            || academic_year_of(e.span.end) != e.term.year
                && academic_year_of(e.span.end) != e.term.year + 1;
        if wrong_year && fits(&moved) {
            cx.push(
                Severity::Error,
                Rule::YearTypo,
                e,
                None,
                vec![("term", e.term.to_string()), ("suggest", cx.range(&moved))],
            );
            return;
        }
    }
    cx.push(
        Severity::Warning,
        Rule::OutsideTerm,
        e,
        None,
        vec![
            ("term", e.term.to_string()),
            ("span", cx.range(&info.span)),
            ("grace", WORK_AFTER_TERM_DAYS.to_string()),
        ],
    );
}

/// The window of phase `p` that `e` follows (see the module docs).
fn preceding<'a>(events: &'a [Event], e: &Event, p: Phase) -> Option<&'a Event> {
    let candidates: Vec<&Event> = events
        .iter()
        .filter(|o| o.id != e.id && o.phase == p && o.term == e.term && o.grades.meets(e.grades))
        .collect();
    candidates
        .iter()
        .filter(|o| o.span.start <= e.span.start)
        .max_by_key(|o| (o.span.start, o.span.end))
        // When every window of that phase starts later, only one that `e`
        // runs into counts: a window over before the phase begins belongs to
        // another cycle (basic data submitted in October, outcomes selected
        // in February).
        .or_else(|| {
            candidates
                .iter()
                .filter(|o| o.span.start <= e.span.end)
                .min_by_key(|o| (o.span.start, o.span.end))
        })
        .copied()
}

fn rule_phase_order(cx: &mut Ctx, e: &Event) {
    let Some(p) = e.phase.follows() else { return };
    let Some(prev) = preceding(cx.events, e, p) else {
        return;
    };
    let phase_args = vec![
        ("phase", e.phase.label_key().to_string()),
        ("prev_phase", p.label_key().to_string()),
        ("prev_end", cx.day(prev.span.end)),
    ];
    if e.span.start < prev.span.end {
        cx.push(Severity::Error, Rule::PhaseOrder, e, Some(prev), phase_args);
    } else if e.span.start == prev.span.end {
        cx.push(
            Severity::Warning,
            Rule::PhaseSameDay,
            e,
            Some(prev),
            phase_args,
        );
    }
    if e.phase == Phase::Certify && e.span.end < prev.span.end {
        cx.push(
            Severity::Error,
            Rule::CertifyBeforeUploadEnds,
            e,
            Some(prev),
            vec![("prev_end", cx.day(prev.span.end))],
        );
    }
}

fn rule_upload_closing(
    cx: &mut Ctx,
    e: &Event,
    closings: &BTreeSet<NaiveDate>,
    closing_term: &HashMap<NaiveDate, Term>,
) {
    let deadline = e.span.end;
    let Some(&closing) = closings.range(..=deadline).next_back() else {
        return;
    };
    let term = closing_term[&closing];
    let grade12_only = e.grades.effective() == Grades::of(&[12]);
    if grade12_only && term.semester == 2 {
        return;
    }
    let gap = (deadline - closing).num_days();
    if gap < MIN_UPLOAD_AFTER_CLOSING_DAYS {
        cx.push(
            Severity::Error,
            Rule::UploadAfterClosing,
            e,
            None,
            vec![
                ("closing", cx.day(closing)),
                ("closing_term", term.to_string()),
                ("gap", gap.to_string()),
                ("min", MIN_UPLOAD_AFTER_CLOSING_DAYS.to_string()),
            ],
        );
    }
}

fn rule_preparation(cx: &mut Ctx, e: &Event, rules: &CheckRules) {
    if let Some(target_id) = e.prepares_for {
        let target = cx.by_id.get(&target_id).copied();
        match target {
            Some(n) if n.national && n.term == e.term && n.id != e.id => {
                if let Some(lead) = rules.lead_days {
                    let gap = (n.span.end - e.span.end).num_days();
                    if gap < lead as i64 {
                        cx.push(
                            Severity::Error,
                            Rule::LeadTime,
                            e,
                            Some(n),
                            with_article(
                                vec![
                                    ("lead", lead.to_string()),
                                    ("gap", gap.to_string()),
                                    ("national_end", cx.day(n.span.end)),
                                ],
                                &rules.lead_article,
                            ),
                        );
                    }
                }
            }
            other => {
                cx.push(Severity::Warning, Rule::BadPreparation, e, other, vec![]);
            }
        }
    }
    if e.national
        && !cx
            .events
            .iter()
            .any(|o| o.prepares_for == Some(e.id) && o.id != e.id)
    {
        let lead = rules
            .lead_days
            .map(|d| d.to_string())
            .unwrap_or_else(|| "-".into());
        cx.push(
            Severity::Warning,
            Rule::NoPreparation,
            e,
            None,
            with_article(vec![("lead", lead)], &rules.lead_article),
        );
    }
}

fn rule_overlaps(cx: &mut Ctx) {
    let mut groups: BTreeMap<(Term, Phase), Vec<&Event>> = BTreeMap::new();
    for e in cx.events {
        if matches!(e.phase, Phase::Other | Phase::Meeting | Phase::Training) {
            continue;
        }
        groups.entry((e.term, e.phase)).or_default().push(e);
    }
    let mut found = Vec::new();
    for list in groups.values() {
        for (i, a) in list.iter().enumerate() {
            for b in &list[i + 1..] {
                let overlap = a.span.start <= b.span.end && b.span.start <= a.span.end;
                if overlap && a.grades.meets(b.grades) {
                    let (first, second) = if (a.span.start, a.id) <= (b.span.start, b.id) {
                        (*a, *b)
                    } else {
                        (*b, *a)
                    };
                    let both = Grades::from_bits(
                        first.grades.effective().bits() & second.grades.effective().bits(),
                    );
                    found.push((second, first, both));
                }
            }
        }
    }
    for (e, other, both) in found {
        cx.push(
            Severity::Warning,
            Rule::Overlap,
            e,
            Some(other),
            vec![
                ("phase", e.phase.label_key().to_string()),
                ("grades", both.code()),
            ],
        );
    }
}

fn rule_no_closing(cx: &mut Ctx, terms: &HashMap<Term, TermInfo>) {
    let mut seen = BTreeSet::new();
    for e in cx.events {
        let info = &terms[&e.term];
        if e.phase == Phase::Upload && info.closing.is_none() && seen.insert(e.term) {
            cx.out.push(Finding {
                severity: Severity::Warning,
                rule: Rule::NoClosingDate,
                term: e.term,
                event: None,
                other: None,
                args: vec![("term", e.term.to_string())],
            });
        }
    }
}

fn rule_meetings_trainings(cx: &mut Ctx, terms: &HashMap<Term, TermInfo>, rules: &CheckRules) {
    let mut term_list: Vec<Term> = terms.keys().copied().collect();
    term_list.sort();
    // Only terms that have a calendar at all are judged.
    term_list.retain(|t| cx.events.iter().any(|e| e.term == *t));
    if let Some(n) = rules.meetings_per_semester {
        for t in &term_list {
            let count = cx
                .events
                .iter()
                .filter(|e| e.term == *t && e.phase == Phase::Meeting)
                .count() as u32;
            if count < n {
                cx.out.push(Finding {
                    severity: Severity::Warning,
                    rule: Rule::MissingMeeting,
                    term: *t,
                    event: None,
                    other: None,
                    args: with_article(
                        vec![
                            ("term", t.to_string()),
                            ("count", count.to_string()),
                            ("min", n.to_string()),
                        ],
                        &rules.meeting_article,
                    ),
                });
            }
        }
    }
    for rule in &rules.trainings {
        let matches = |e: &Event| e.phase == Phase::Training && rule.matches(&e.title, &e.units);
        if rule.per_semester {
            for t in &term_list {
                let count = cx
                    .events
                    .iter()
                    .filter(|e| e.term == *t && matches(e))
                    .count() as u32;
                if count < rule.count {
                    cx.out
                        .push(training_finding(*t, &t.to_string(), rule, count));
                }
            }
        } else {
            let years: BTreeSet<i32> = term_list.iter().map(|t| t.year).collect();
            for y in years {
                let count = cx
                    .events
                    .iter()
                    .filter(|e| e.term.year == y && matches(e))
                    .count() as u32;
                if count < rule.count {
                    // Reported on the year's last term that has a calendar.
                    let t = *term_list
                        .iter()
                        .rev()
                        .find(|t| t.year == y)
                        .unwrap_or(&Term {
                            year: y,
                            semester: 1,
                        });
                    cx.out
                        .push(training_finding(t, &y.to_string(), rule, count));
                }
            }
        }
    }
}

/// `教務處註冊組` is the unit `註冊組`; `實研組` matches `實研組`.
pub fn unit_matches(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim(), b.trim());
    !a.is_empty() && !b.is_empty() && (a == b || a.ends_with(b) || b.ends_with(a))
}

/// Adds the regulation's article (`article` = `三、`) to a finding's values,
/// when the rule comes from a numbered article of the school's regulation.
fn with_article(
    mut args: Vec<(&'static str, String)>,
    article: &Option<String>,
) -> Vec<(&'static str, String)> {
    if let Some(a) = article {
        args.push(("article", a.clone()));
    }
    args
}

fn training_finding(t: Term, period: &str, rule: &TrainingRule, count: u32) -> Finding {
    Finding {
        severity: Severity::Warning,
        rule: Rule::MissingTraining,
        term: t,
        event: None,
        other: None,
        args: with_article(
            vec![
                ("name", rule.name.clone()),
                ("units", rule.units.join("、")),
                ("period", period.to_string()),
                ("count", count.to_string()),
                ("min", rule.count.to_string()),
                (
                    "per",
                    if rule.per_semester {
                        "semester"
                    } else {
                        "year"
                    }
                    .to_string(),
                ),
            ],
            &rule.article,
        ),
    }
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::roc::{parse_date, parse_range, parse_term};

    fn ev(id: i64, term: &str, phase: Phase, grades: &[u8], dates: &str) -> Event {
        Event {
            id,
            term: parse_term(term).unwrap(),
            title: format!("e{id}"),
            phase,
            grades: Grades::of(grades),
            units: vec![],
            span: parse_range(dates).unwrap(),
            national: false,
            prepares_for: None,
            notes: String::new(),
            done_on: None,
        }
    }

    fn info(term: &str, closing: Option<&str>) -> TermInfo {
        let mut t = TermInfo::new(parse_term(term).unwrap());
        t.closing = closing.map(|c| parse_date(c).unwrap());
        t
    }

    fn rules_of(findings: &[Finding]) -> Vec<(Rule, Option<i64>)> {
        findings.iter().map(|f| (f.rule, f.event)).collect()
    }

    /// The findings' rules, leaving out "no closing date" (tested on its own).
    fn run(events: &[Event]) -> Vec<(Rule, Option<i64>)> {
        let mut f = rules_of(&check(&[], events, &CheckRules::default()));
        f.retain(|(r, _)| *r != Rule::NoClosingDate);
        f
    }

    fn has(findings: &[(Rule, Option<i64>)], rule: Rule, id: i64) -> bool {
        findings.contains(&(rule, Some(id)))
    }

    fn arg<'a>(f: &'a Finding, name: &str) -> &'a str {
        f.args
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or_else(|| panic!("no arg {name} in {f:?}"))
    }

    #[test]
    fn phase_parse_reads_codes_and_school_words() {
        assert_eq!(Phase::parse("school_submit"), Some(Phase::SchoolSubmit));
        assert_eq!(Phase::parse(" 收訖確認 "), Some(Phase::ReceiptConfirm));
        assert_eq!(Phase::parse("提交中央"), Some(Phase::CentralSubmit));
        assert_eq!(Phase::parse("Central-Submit"), Some(Phase::CentralSubmit));
        assert_eq!(Phase::parse("上船"), None);
        for p in Phase::ALL {
            assert_eq!(Phase::parse(p.code()), Some(p));
        }
    }

    #[test]
    fn grades_parse_numbers_words_and_all() {
        assert_eq!(Grades::parse("10,11").unwrap().list(), vec![10, 11]);
        assert_eq!(Grades::parse("10、11、12").unwrap(), Grades::ALL);
        assert_eq!(Grades::parse("高三").unwrap().list(), vec![12]);
        assert_eq!(Grades::parse("十二年級").unwrap().list(), vec![12]);
        assert!(Grades::parse("").unwrap().is_empty());
        assert!(Grades::parse("全").unwrap().is_empty());
        assert_eq!(Grades::parse("10, 13"), Err("13".to_string()));
        // Empty means every grade.
        assert!(Grades::NONE.meets(Grades::of(&[12])));
        assert!(!Grades::of(&[10, 11]).meets(Grades::of(&[12])));
    }

    #[test]
    fn units_split_on_school_separators() {
        assert_eq!(
            parse_units("教務處註冊組、學務處訓育組, 註冊組；教務處註冊組"),
            vec!["教務處註冊組", "學務處訓育組", "註冊組"]
        );
        assert!(unit_matches("教務處註冊組", "註冊組"));
        assert!(!unit_matches("教學組", "註冊組"));
    }

    // ---- term span and year typos

    #[test]
    fn year_typo_is_found_and_a_right_year_is_not() {
        // 靜心 111-1: 各處室自我檢核 111.02.09~111.02.17 (for 112).
        let bad = ev(1, "111-1", Phase::SelfCheck, &[], "111.02.09~111.02.17");
        let good = ev(2, "111-1", Phase::SelfCheck, &[], "112.02.09~112.02.17");
        let f = check(&[], &[bad, good], &CheckRules::default());
        assert_eq!(rules_of(&f), vec![(Rule::YearTypo, Some(1))]);
        assert_eq!(f[0].severity, Severity::Error);
        assert_eq!(arg(&f[0], "suggest"), "112.02.09~17");
    }

    #[test]
    fn outside_term_is_a_warning_and_work_after_the_term_is_fine() {
        // 靜心 111-2 lists a 111-1 task (111.09.16).
        let early = ev(1, "111-2", Phase::Other, &[], "111.09.16");
        let after = ev(2, "111-1", Phase::Upload, &[], "112.01.01~112.02.13");
        let late = ev(3, "111-1", Phase::Other, &[], "112.06.01");
        // Starts before the term but reaches into it (靜心 111-2's uploads).
        let reaching = ev(4, "111-2", Phase::Other, &[], "112.01.01~112.02.13");
        let terms = [info("111-1", Some("112.01.19"))];
        let f = check(
            &terms,
            &[early, after, late, reaching],
            &CheckRules::default(),
        );
        assert_eq!(
            rules_of(&f),
            vec![(Rule::OutsideTerm, Some(3)), (Rule::OutsideTerm, Some(1))]
        );
        assert!(f.iter().all(|x| x.severity == Severity::Warning));
    }

    // ---- phase order

    #[test]
    fn certification_before_upload_ends_is_an_error() {
        let up = ev(1, "111-1", Phase::Upload, &[11, 12], "111.08.01~08.15");
        let cert = ev(2, "111-1", Phase::Certify, &[11, 12], "111.08.01~08.15");
        let f = run(&[up.clone(), cert]);
        assert!(has(&f, Rule::PhaseOrder, 2), "{f:?}");
        let ok = ev(3, "111-1", Phase::Certify, &[11, 12], "111.08.16~08.20");
        assert_eq!(run(&[up, ok]), vec![]);
    }

    #[test]
    fn starting_on_the_last_day_is_a_warning() {
        let up = ev(1, "111-2", Phase::Upload, &[12], "112.01.01~04.07");
        let cert = ev(2, "111-2", Phase::Certify, &[12], "112.04.07~04.10");
        let f = check(
            &[info("111-2", Some("112.06.30"))],
            &[up, cert],
            &CheckRules::default(),
        );
        assert_eq!(rules_of(&f), vec![(Rule::PhaseSameDay, Some(2))]);
        assert_eq!(f[0].severity, Severity::Warning);
        assert_eq!(f[0].other, Some(1));
    }

    #[test]
    fn each_phase_follows_its_predecessor() {
        let pairs = [
            (Phase::Certify, Phase::Select),
            (Phase::Select, Phase::SchoolSubmit),
            (Phase::SchoolSubmit, Phase::ReceiptConfirm),
            (Phase::ReceiptConfirm, Phase::CentralSubmit),
        ];
        for (before, after) in pairs {
            let a = ev(1, "111-1", before, &[11], "111.10.01~10.10");
            let late = ev(2, "111-1", after, &[11], "111.10.05~10.20");
            assert!(
                has(&run(&[a.clone(), late]), Rule::PhaseOrder, 2),
                "{after:?} after {before:?}"
            );
            let fine = ev(2, "111-1", after, &[11], "111.10.11~10.20");
            assert_eq!(run(&[a, fine]), vec![], "{after:?} after {before:?}");
        }
    }

    #[test]
    fn order_is_only_compared_for_the_same_term_and_grades() {
        let up = ev(1, "111-1", Phase::Upload, &[10, 11], "112.01.01~02.13");
        let other_grade = ev(2, "111-1", Phase::Certify, &[12], "112.01.05~01.10");
        let other_term = ev(3, "111-2", Phase::Certify, &[10], "112.02.01~02.10");
        assert_eq!(run(&[up, other_grade, other_term]), vec![]);
    }

    #[test]
    fn a_later_upload_window_does_not_confuse_the_order() {
        // 靜心 111-2, grade 12: fifth-semester upload, certification, then
        // the sixth-semester upload in May.
        let up5 = ev(1, "111-2", Phase::Upload, &[12], "112.01.01~04.06");
        let cert = ev(2, "111-2", Phase::Certify, &[12], "112.04.07~04.10");
        let up6 = ev(3, "111-2", Phase::Upload, &[12], "112.05.04~05.10");
        assert_eq!(run(&[up5, cert, up6]), vec![]);
    }

    #[test]
    fn a_phase_running_into_a_later_predecessor_is_found() {
        let cert = ev(1, "111-1", Phase::Certify, &[10], "111.09.01~09.15");
        let up = ev(2, "111-1", Phase::Upload, &[10], "111.09.10~09.20");
        assert!(has(&run(&[cert, up]), Rule::PhaseOrder, 1));
        // Over before the upload starts: another cycle, not compared.
        let earlier = ev(1, "111-1", Phase::Certify, &[10], "111.09.01~09.05");
        let up = ev(2, "111-1", Phase::Upload, &[10], "111.09.10~09.20");
        assert_eq!(run(&[earlier, up]), vec![]);
    }

    #[test]
    fn central_submission_before_confirmation_closes() {
        // 靜心 111-1: confirmation 111.10.21~28, central submission 10.25~28.
        let confirm = ev(
            1,
            "111-1",
            Phase::ReceiptConfirm,
            &[11, 12],
            "111.10.21~10.28",
        );
        let central = ev(
            2,
            "111-1",
            Phase::CentralSubmit,
            &[11, 12],
            "111.10.25~10.28",
        );
        let f = check(&[], &[confirm, central], &CheckRules::default());
        assert_eq!(rules_of(&f), vec![(Rule::PhaseOrder, Some(2))]);
        assert_eq!(arg(&f[0], "prev_end"), "111.10.28");
    }

    #[test]
    fn certification_ending_before_the_upload_deadline() {
        let up = ev(1, "111-1", Phase::Upload, &[10], "112.01.01~02.10");
        let cert = ev(2, "111-1", Phase::Certify, &[10], "112.01.20~02.05");
        let f = run(&[up.clone(), cert]);
        assert!(has(&f, Rule::CertifyBeforeUploadEnds, 2), "{f:?}");
        let ok = ev(2, "111-1", Phase::Certify, &[10], "112.02.11~02.20");
        assert!(!has(&run(&[up, ok]), Rule::CertifyBeforeUploadEnds, 2));
    }

    // ---- national rules

    #[test]
    fn confirmation_window_of_two_days_is_too_short() {
        let short = ev(1, "111-1", Phase::ReceiptConfirm, &[], "111.10.21~10.22");
        let ok = ev(2, "111-1", Phase::ReceiptConfirm, &[], "112.01.10~01.12");
        let f = check(&[], &[short, ok], &CheckRules::default());
        assert_eq!(rules_of(&f), vec![(Rule::ConfirmTooShort, Some(1))]);
        assert_eq!(arg(&f[0], "days"), "2");
    }

    #[test]
    fn upload_deadline_two_weeks_after_the_closing_ceremony() {
        let terms = [
            info("111-1", Some("112.01.19")),
            info("111-2", Some("112.06.30")),
        ];
        let soon = ev(1, "111-1", Phase::Upload, &[10, 11], "112.01.01~01.25");
        let ok = ev(2, "111-1", Phase::Upload, &[10, 11], "112.02.03~02.03");
        let f = check(&terms, &[soon, ok], &CheckRules::default());
        assert_eq!(rules_of(&f), vec![(Rule::UploadAfterClosing, Some(1))]);
        assert_eq!(arg(&f[0], "gap"), "6");
        assert_eq!(arg(&f[0], "closing_term"), "111-1");
    }

    #[test]
    fn grade_12_second_semester_is_exempt_from_the_closing_rule() {
        let terms = [info("111-2", Some("112.06.02"))];
        let g12 = ev(1, "111-2", Phase::Upload, &[12], "112.06.03~06.05");
        assert_eq!(
            rules_of(&check(&terms, &[g12], &CheckRules::default())),
            vec![]
        );
        let g11 = ev(2, "111-2", Phase::Upload, &[11], "112.06.03~06.05");
        assert_eq!(
            rules_of(&check(&terms, &[g11], &CheckRules::default())),
            vec![(Rule::UploadAfterClosing, Some(2))]
        );
    }

    #[test]
    fn upload_without_a_closing_date_is_reported_once_per_term() {
        let a = ev(1, "111-1", Phase::Upload, &[10], "112.01.01~02.13");
        let b = ev(2, "111-1", Phase::Upload, &[12], "112.01.01~02.13");
        let f = check(&[], &[a.clone(), b], &CheckRules::default());
        assert_eq!(rules_of(&f), vec![(Rule::NoClosingDate, None)]);
        let f = check(
            &[info("111-1", Some("112.01.19"))],
            &[a],
            &CheckRules::default(),
        );
        assert_eq!(f, vec![]);
    }

    // ---- lead time and preparation

    fn national(id: i64, dates: &str) -> Event {
        let mut e = ev(id, "111-1", Phase::CentralSubmit, &[], dates);
        e.national = true;
        e
    }

    fn prep(id: i64, dates: &str, target: i64) -> Event {
        let mut e = ev(id, "111-1", Phase::SelfCheck, &[], dates);
        e.prepares_for = Some(target);
        e
    }

    #[test]
    fn internal_deadline_needs_the_schools_lead_days() {
        let rules = CheckRules {
            lead_days: Some(7), // 臺東
            ..CheckRules::default()
        };
        let n = national(1, "111.10.25~10.28");
        let late = prep(2, "111.10.15~10.24", 1);
        let f = check(&[], &[n.clone(), late], &rules);
        assert_eq!(rules_of(&f), vec![(Rule::LeadTime, Some(2))]);
        assert_eq!(arg(&f[0], "gap"), "4");
        assert_eq!(arg(&f[0], "lead"), "7");
        let ok = prep(2, "111.10.10~10.21", 1);
        assert_eq!(rules_of(&check(&[], &[n.clone(), ok], &rules)), vec![]);
        // 育仁: 14 days.
        let yuren = CheckRules {
            lead_days: Some(14),
            ..CheckRules::default()
        };
        let f = check(&[], &[n, prep(2, "111.10.10~10.21", 1)], &yuren);
        assert_eq!(rules_of(&f), vec![(Rule::LeadTime, Some(2))]);
    }

    #[test]
    fn national_deadline_without_preparation_is_a_warning() {
        let n = national(1, "111.10.25~10.28");
        let f = check(&[], std::slice::from_ref(&n), &CheckRules::default());
        assert_eq!(rules_of(&f), vec![(Rule::NoPreparation, Some(1))]);
        assert_eq!(f[0].severity, Severity::Warning);
        let f = check(
            &[],
            &[n, prep(2, "111.10.01~10.10", 1)],
            &CheckRules::default(),
        );
        assert_eq!(f, vec![]);
    }

    #[test]
    fn preparing_for_an_internal_window_is_flagged() {
        let internal = ev(1, "111-1", Phase::Other, &[], "111.10.25");
        let f = run(&[internal, prep(2, "111.10.01~10.10", 1)]);
        assert_eq!(f, vec![(Rule::BadPreparation, Some(2))]);
    }

    // ---- overlaps, meetings, trainings

    #[test]
    fn overlapping_windows_of_one_phase_and_grade() {
        let a = ev(
            1,
            "111-1",
            Phase::SchoolSubmit,
            &[10, 11],
            "111.10.01~10.15",
        );
        let b = ev(2, "111-1", Phase::SchoolSubmit, &[11], "111.10.10~10.20");
        let f = check(&[], &[a.clone(), b], &CheckRules::default());
        assert_eq!(rules_of(&f), vec![(Rule::Overlap, Some(2))]);
        assert_eq!(arg(&f[0], "grades"), "11");
        let other_grade = ev(2, "111-1", Phase::SchoolSubmit, &[12], "111.10.10~10.20");
        let after = ev(3, "111-1", Phase::SchoolSubmit, &[10], "111.10.16~10.20");
        assert_eq!(run(&[a, other_grade, after]), vec![]);
    }

    #[test]
    fn a_missing_meeting_cites_the_schools_article() {
        let p = crate::domain::preset::by_key("jingxin").unwrap();
        let rules = CheckRules::from_preset(&p);
        assert_eq!(rules.meeting_article.as_deref(), Some("三、"));
        let e = ev(1, "111-1", Phase::Other, &[], "111.09.01");
        let f = check(&[], &[e], &rules);
        let meeting = f.iter().find(|f| f.rule == Rule::MissingMeeting).unwrap();
        assert_eq!(arg(meeting, "article"), "三、");
        // 臺東's lead days come from 五、.
        let t = CheckRules::from_preset(&crate::domain::preset::by_key("taitung").unwrap());
        assert!(
            t.lead_article.is_some(),
            "taitung lead clause has an article"
        );
    }

    #[test]
    fn a_term_without_a_committee_meeting() {
        let rules = CheckRules {
            meetings_per_semester: Some(1),
            ..CheckRules::default()
        };
        let e = ev(1, "111-1", Phase::Other, &[], "111.09.01");
        let f = check(&[], std::slice::from_ref(&e), &rules);
        assert_eq!(rules_of(&f), vec![(Rule::MissingMeeting, None)]);
        let m = ev(2, "111-1", Phase::Meeting, &[], "111.09.29");
        assert_eq!(check(&[], &[e, m], &rules), vec![]);
    }

    #[test]
    fn required_trainings_per_year_match_by_unit_or_name() {
        let rules = CheckRules {
            trainings: vec![TrainingRule {
                name: "系統操作訓練".into(),
                units: vec!["圖資組".into()],
                per_semester: false,
                count: 1,
                article: None,
            }],
            ..CheckRules::default()
        };
        let e = ev(1, "111-1", Phase::Other, &[], "111.09.01");
        let f = check(&[], std::slice::from_ref(&e), &rules);
        assert_eq!(rules_of(&f), vec![(Rule::MissingTraining, None)]);
        assert_eq!(arg(&f[0], "period"), "111");
        let mut t = ev(2, "111-2", Phase::Training, &[], "112.03.01");
        t.units = vec!["教務處圖資組".into()];
        assert_eq!(check(&[], &[e.clone(), t], &rules), vec![]);
        let mut by_name = ev(3, "111-1", Phase::Training, &[], "111.09.02");
        by_name.title = "學生系統操作訓練".into();
        assert_eq!(check(&[], &[e, by_name], &rules), vec![]);
    }

    #[test]
    fn trainings_per_semester_are_counted_per_term() {
        let rules = CheckRules {
            trainings: vec![TrainingRule {
                name: "教師研習".into(),
                units: vec!["教學組".into()],
                per_semester: true,
                count: 2,
                article: None,
            }],
            ..CheckRules::default()
        };
        let mut one = ev(1, "111-1", Phase::Training, &[], "111.09.01");
        one.units = vec!["教學組".into()];
        let f = check(&[], std::slice::from_ref(&one), &rules);
        assert_eq!(rules_of(&f), vec![(Rule::MissingTraining, None)]);
        assert_eq!(arg(&f[0], "count"), "1");
        let mut two = one.clone();
        two.id = 2;
        assert_eq!(check(&[], &[one, two], &rules), vec![]);
    }

    #[test]
    fn findings_come_sorted_by_term_severity_and_date() {
        let events = [
            ev(1, "111-2", Phase::ReceiptConfirm, &[], "112.04.17~04.18"),
            ev(2, "111-1", Phase::Other, &[], "112.06.01"),
            ev(3, "111-1", Phase::ReceiptConfirm, &[], "111.10.21~10.22"),
        ];
        let f = run(&events);
        assert_eq!(
            f,
            vec![
                (Rule::ConfirmTooShort, Some(3)),
                (Rule::OutsideTerm, Some(2)),
                (Rule::ConfirmTooShort, Some(1)),
            ]
        );
    }

    // ---- agenda, copy forward

    #[test]
    fn agenda_groups_upcoming_by_week_then_overdue() {
        let today = parse_date("115.11.25").unwrap(); // a Wednesday
        let mut done = ev(1, "115-1", Phase::Other, &[], "115.11.01");
        done.done_on = Some(today);
        let events = [
            done,
            ev(2, "115-1", Phase::Upload, &[], "115.11.20~11.30"), // ongoing
            ev(3, "115-1", Phase::Other, &[], "115.12.08"),        // two weeks on
            ev(4, "115-1", Phase::Other, &[], "115.11.10"),        // overdue
            ev(5, "115-1", Phase::Other, &[], "115.11.27"),        // this week
        ];
        let rows = agenda(&events, today);
        let monday = |s: &str| AgendaRow::Week(parse_date(s).unwrap());
        assert_eq!(
            rows,
            vec![
                monday("115.11.23"),
                AgendaRow::Event(1),
                AgendaRow::Event(4),
                monday("115.12.07"),
                AgendaRow::Event(2),
                AgendaRow::OverdueHeading,
                AgendaRow::Event(3),
            ]
        );
        assert_eq!(days_until(&events[1].span, today), 0);
        assert_eq!(days_until(&events[2].span, today), 13);
        assert_eq!(days_until(&events[3].span, today), -15);
    }

    #[test]
    fn upcoming_lists_the_next_days_and_the_overdue() {
        let today = parse_date("115.11.25").unwrap();
        let events = [
            ev(1, "115-1", Phase::Other, &[], "115.12.09"), // day 14: in
            ev(2, "115-1", Phase::Other, &[], "115.12.10"), // day 15: out
            ev(3, "115-1", Phase::Other, &[], "115.11.24"), // overdue
            ev(4, "115-1", Phase::Other, &[], "115.11.01~11.30"),
        ];
        let (late, soon) = upcoming(&events, today, 14);
        assert_eq!(late, vec![2]);
        assert_eq!(soon, vec![3, 0]);
        assert_eq!(on_day(&events, today), vec![3]);
    }

    #[test]
    fn copy_forward_moves_a_year_and_reports_weekday_drift() {
        let mut e = ev(7, "111-2", Phase::Upload, &[12], "112.04.07~04.10"); // Fri–Mon
        e.done_on = Some(parse_date("112.04.10").unwrap());
        let out = copy_forward(&[e]);
        let c = &out[0];
        assert_eq!(c.event.term.to_string(), "112-2");
        assert_eq!(c.event.span, parse_range("113.04.07~04.10").unwrap());
        assert_eq!(c.event.id, 0);
        assert_eq!(c.event.done_on, None);
        assert_eq!((c.from_weekday, c.to_weekday), (Weekday::Fri, Weekday::Sun));
        assert!(c.weekend);
        // 29 February has no twin next year.
        assert_eq!(
            plus_years(parse_date("113.02.29").unwrap(), 1),
            parse_date("114.02.28").unwrap()
        );
    }
}
