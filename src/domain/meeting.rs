//! Committee meetings (工作小組會議): the meeting, its attendance, its agenda
//! items and their decisions, and the rules `check meetings` applies.
//!
//! Pure: no SQL, no terminal. The store (`src/store/meeting.rs`) keeps the
//! rows; this module decides what is valid, what counts and what is missing.

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use super::committee::RowMeta;
use super::preset::Preset;
use super::roc::{Term, format_roc};

/// Days after a held meeting by which its minutes should be confirmed.
pub const MINUTES_DAYS: i64 = 14;

/// 定期 (regular) or 臨時 (extra).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum MeetingKind {
    #[default]
    Regular,
    Extra,
}

impl MeetingKind {
    pub fn code(self) -> &'static str {
        match self {
            MeetingKind::Regular => "regular",
            MeetingKind::Extra => "extra",
        }
    }
    /// The stored code, or what a user types (定期 / 臨時, regular / extra).
    pub fn parse(s: &str) -> Option<MeetingKind> {
        match s.trim().to_lowercase().as_str() {
            "regular" | "定期" | "定期會議" => Some(MeetingKind::Regular),
            "extra" | "臨時" | "臨時會議" | "special" => Some(MeetingKind::Extra),
            _ => None,
        }
    }
    /// i18n key of its name.
    pub fn key(self) -> &'static str {
        match self {
            MeetingKind::Regular => "meeting.kind_regular",
            MeetingKind::Extra => "meeting.kind_extra",
        }
    }
}

/// 籌備中 → 已開會 → 紀錄已確認.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum MeetingStatus {
    #[default]
    Planned,
    Held,
    Confirmed,
}

impl MeetingStatus {
    pub fn code(self) -> &'static str {
        match self {
            MeetingStatus::Planned => "planned",
            MeetingStatus::Held => "held",
            MeetingStatus::Confirmed => "confirmed",
        }
    }
    pub fn parse(s: &str) -> Option<MeetingStatus> {
        match s {
            "planned" => Some(MeetingStatus::Planned),
            "held" => Some(MeetingStatus::Held),
            "confirmed" => Some(MeetingStatus::Confirmed),
            _ => None,
        }
    }
    pub fn key(self) -> &'static str {
        match self {
            MeetingStatus::Planned => "meeting.status_planned",
            MeetingStatus::Held => "meeting.status_held",
            MeetingStatus::Confirmed => "meeting.status_confirmed",
        }
    }
}

/// 出席 / 請假 / 代理出席.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttendStatus {
    Present,
    Excused,
    Proxy,
}

impl AttendStatus {
    pub fn code(self) -> &'static str {
        match self {
            AttendStatus::Present => "present",
            AttendStatus::Excused => "excused",
            AttendStatus::Proxy => "proxy",
        }
    }
    pub fn parse(s: &str) -> Option<AttendStatus> {
        match s.trim().to_lowercase().as_str() {
            "present" | "出席" => Some(AttendStatus::Present),
            "excused" | "請假" | "absent" => Some(AttendStatus::Excused),
            "proxy" | "代理出席" | "代理" => Some(AttendStatus::Proxy),
            _ => None,
        }
    }
    pub fn key(self) -> &'static str {
        match self {
            AttendStatus::Present => "meeting.attend_present",
            AttendStatus::Excused => "meeting.attend_excused",
            AttendStatus::Proxy => "meeting.attend_proxy",
        }
    }
}

/// The sections of an agenda, in the order they are printed.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    /// 報告事項.
    Report,
    /// 前次會議決議執行情形.
    Previous,
    /// 討論事項 (提案).
    #[default]
    Motion,
    /// 臨時動議.
    Extempore,
}

impl Section {
    pub const ALL: [Section; 4] = [
        Section::Report,
        Section::Previous,
        Section::Motion,
        Section::Extempore,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Section::Report => "report",
            Section::Previous => "previous",
            Section::Motion => "motion",
            Section::Extempore => "extempore",
        }
    }
    pub fn parse(s: &str) -> Option<Section> {
        match s.trim().to_lowercase().as_str() {
            "report" | "報告事項" | "報告" => Some(Section::Report),
            "previous" | "前次會議決議執行情形" | "前次決議" => {
                Some(Section::Previous)
            }
            "motion" | "討論事項" | "提案" => Some(Section::Motion),
            "extempore" | "臨時動議" => Some(Section::Extempore),
            _ => None,
        }
    }
    pub fn key(self) -> &'static str {
        match self {
            Section::Report => "meeting.section_report",
            Section::Previous => "meeting.section_previous",
            Section::Motion => "meeting.section_motion",
            Section::Extempore => "meeting.section_extempore",
        }
    }
}

/// A meeting as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    pub id: i64,
    /// Academic year (the committee's).
    pub year: i32,
    pub term: Term,
    /// 第 N 次, counted per academic year.
    pub number: u32,
    pub date: NaiveDate,
    pub starts_at: NaiveTime,
    pub ends_at: Option<NaiveTime>,
    pub place: String,
    pub kind: MeetingKind,
    /// None: the convener, or who acts for the convener on the date.
    pub chair_id: Option<i64>,
    pub recorder_id: Option<i64>,
    pub status: MeetingStatus,
    /// The calendar window that is this meeting.
    pub event_id: Option<i64>,
    #[serde(flatten)]
    pub meta: RowMeta,
}

/// What a user sets when planning or changing a meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingDraft {
    pub date: NaiveDate,
    pub starts_at: NaiveTime,
    pub ends_at: Option<NaiveTime>,
    pub place: String,
    pub kind: MeetingKind,
    pub chair_id: Option<i64>,
    pub recorder_id: Option<i64>,
}

impl Meeting {
    pub fn draft(&self) -> MeetingDraft {
        MeetingDraft {
            date: self.date,
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            place: self.place.clone(),
            kind: self.kind,
            chair_id: self.chair_id,
            recorder_id: self.recorder_id,
        }
    }
}

/// One committee member and how they attended (None: not recorded yet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttendanceRow {
    pub staff_id: i64,
    pub name: String,
    /// The seat titles this member holds, in the regulation's order.
    pub seats: Vec<String>,
    pub status: Option<AttendStatus>,
    pub proxy_id: Option<i64>,
    pub proxy_name: Option<String>,
    /// The attendance row's version (0 when there is none).
    pub version: i64,
}

/// One attendance entry to save.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttendEntry {
    pub staff_id: i64,
    /// None clears the record.
    pub status: Option<AttendStatus>,
    pub proxy_id: Option<i64>,
}

/// An agenda item as stored, with its decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaItem {
    pub id: i64,
    pub meeting_id: i64,
    pub section: Section,
    /// Order within the section, from 1.
    pub position: i64,
    pub title: String,
    /// Key of a generated report; None for an item written by hand.
    pub topic: Option<String>,
    /// The report text, or the explanation (說明) of a motion.
    pub body: String,
    /// 提案單位 / 提案人.
    pub proposer: String,
    /// 擬辦.
    pub proposal: String,
    /// 決議.
    pub decision: String,
    /// The unit that carries the decision out.
    pub owner: String,
    pub due_on: Option<NaiveDate>,
    pub done_on: Option<NaiveDate>,
    /// For a `previous` item: the item whose decision it follows.
    pub carried_from: Option<i64>,
    #[serde(flatten)]
    pub meta: RowMeta,
}

impl AgendaItem {
    /// A decision someone has to carry out: it names an owner or a due date.
    pub fn is_follow_up(&self) -> bool {
        !self.decision.trim().is_empty() && (!self.owner.trim().is_empty() || self.due_on.is_some())
    }

    /// A follow-up not done yet.
    pub fn is_open(&self) -> bool {
        self.is_follow_up() && self.done_on.is_none()
    }

    pub fn draft(&self) -> ItemDraft {
        ItemDraft {
            section: self.section,
            title: self.title.clone(),
            topic: self.topic.clone(),
            body: self.body.clone(),
            proposer: self.proposer.clone(),
            proposal: self.proposal.clone(),
        }
    }
}

/// What a user writes on an agenda item before the meeting.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ItemDraft {
    pub section: Section,
    pub title: String,
    pub topic: Option<String>,
    pub body: String,
    pub proposer: String,
    pub proposal: String,
}

/// The decision recorded on an item.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DecisionDraft {
    pub decision: String,
    pub owner: String,
    pub due_on: Option<NaiveDate>,
}

/// Why a meeting change is refused; `args` quote the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MeetingProblem {
    /// The date falls in no recorded term.
    OutsideTerms { date: NaiveDate },
    /// Moving a meeting to another academic year (its number counts per year).
    OtherYear { date: NaiveDate, year: i32 },
    /// Ends before it starts.
    EndsBeforeStart { starts: NaiveTime, ends: NaiveTime },
    /// People not on that year's committee.
    NotMembers { names: Vec<String>, year: i32 },
    /// 代理出席 without who attended.
    ProxyMissing { name: String },
    /// Someone who is not 代理出席 with a proxy.
    ProxyUnexpected { name: String },
    /// The proxy is the member themself.
    ProxySelf { name: String },
    /// A decision due before the meeting.
    DueBeforeMeeting { due: NaiveDate, date: NaiveDate },
    /// A follow-up marked done before the meeting that decided it.
    DoneBeforeMeeting { done: NaiveDate, date: NaiveDate },
    /// An item without a title.
    EmptyTitle,
    /// Only a planned meeting can have this done (move, cancel, edit the agenda, regenerate reports).
    NotPlanned { number: u32, status: MeetingStatus },
    /// Marking held before the meeting date.
    NotYet { number: u32, date: NaiveDate },
    /// A status change out of order (confirm a planned meeting).
    BadTransition {
        number: u32,
        from: MeetingStatus,
        to: MeetingStatus,
    },
    /// A decision recorded on a meeting not held yet.
    DecisionBeforeHeld { number: u32 },
    /// An item that has no decision to mark done.
    NoDecision { title: String },
    /// Report items are regenerated, not moved between sections by hand;
    /// `previous` items are carried, not written.
    SectionNotEditable { section: Section },
    /// A time that is not HH:MM.
    BadTime { input: String },
}

impl MeetingProblem {
    pub fn message_key(&self) -> &'static str {
        match self {
            MeetingProblem::OutsideTerms { .. } => "meeting.err_outside_terms",
            MeetingProblem::OtherYear { .. } => "meeting.err_other_year",
            MeetingProblem::EndsBeforeStart { .. } => "meeting.err_ends_before_start",
            MeetingProblem::NotMembers { .. } => "meeting.err_not_members",
            MeetingProblem::ProxyMissing { .. } => "meeting.err_proxy_missing",
            MeetingProblem::ProxyUnexpected { .. } => "meeting.err_proxy_unexpected",
            MeetingProblem::ProxySelf { .. } => "meeting.err_proxy_self",
            MeetingProblem::DueBeforeMeeting { .. } => "meeting.err_due_before",
            MeetingProblem::DoneBeforeMeeting { .. } => "meeting.err_done_before",
            MeetingProblem::EmptyTitle => "meeting.err_empty_title",
            MeetingProblem::NotPlanned { .. } => "meeting.err_not_planned",
            MeetingProblem::NotYet { .. } => "meeting.err_not_yet",
            MeetingProblem::BadTransition { .. } => "meeting.err_transition",
            MeetingProblem::DecisionBeforeHeld { .. } => "meeting.err_decision_before_held",
            MeetingProblem::NoDecision { .. } => "meeting.err_no_decision",
            MeetingProblem::SectionNotEditable { .. } => "meeting.err_section",
            MeetingProblem::BadTime { .. } => "meeting.err_bad_time",
        }
    }

    /// Values for the message; statuses and sections as i18n keys are
    /// resolved by the caller through `args_localized`.
    pub fn args(&self) -> Vec<(&'static str, String)> {
        use crate::i18n::tr;
        match self {
            MeetingProblem::OutsideTerms { date } => vec![("date", format_roc(*date))],
            MeetingProblem::OtherYear { date, year } => {
                vec![("date", format_roc(*date)), ("year", year.to_string())]
            }
            MeetingProblem::EndsBeforeStart { starts, ends } => vec![
                ("starts", starts.format("%H:%M").to_string()),
                ("ends", ends.format("%H:%M").to_string()),
            ],
            MeetingProblem::NotMembers { names, year } => vec![
                ("names", names.join(tr("list.sep"))),
                ("year", year.to_string()),
            ],
            MeetingProblem::ProxyMissing { name }
            | MeetingProblem::ProxyUnexpected { name }
            | MeetingProblem::ProxySelf { name } => vec![("name", name.clone())],
            MeetingProblem::DueBeforeMeeting { due, date } => {
                vec![("due", format_roc(*due)), ("date", format_roc(*date))]
            }
            MeetingProblem::DoneBeforeMeeting { done, date } => {
                vec![("done", format_roc(*done)), ("date", format_roc(*date))]
            }
            MeetingProblem::EmptyTitle => vec![],
            MeetingProblem::NotPlanned { number, status } => vec![
                ("number", number.to_string()),
                ("status", tr(status.key()).to_string()),
            ],
            MeetingProblem::NotYet { number, date } => {
                vec![("number", number.to_string()), ("date", format_roc(*date))]
            }
            MeetingProblem::BadTransition { number, from, to } => vec![
                ("number", number.to_string()),
                ("from", tr(from.key()).to_string()),
                ("to", tr(to.key()).to_string()),
            ],
            MeetingProblem::DecisionBeforeHeld { number } => {
                vec![("number", number.to_string())]
            }
            MeetingProblem::NoDecision { title } => vec![("title", title.clone())],
            MeetingProblem::SectionNotEditable { section } => {
                vec![("section", tr(section.key()).to_string())]
            }
            MeetingProblem::BadTime { input } => vec![("input", input.clone())],
        }
    }
}

/// `09:30`, `9:30`, `0930` → 09:30; anything else is refused, quoted.
pub fn parse_time(input: &str) -> Result<NaiveTime, MeetingProblem> {
    let s = input.trim().replace('：', ":");
    let bad = || MeetingProblem::BadTime {
        input: input.to_string(),
    };
    let (h, m) = if let Some((h, m)) = s.split_once(':') {
        (h.to_string(), m.to_string())
    } else if s.len() == 4 && s.chars().all(|c| c.is_ascii_digit()) {
        (s[..2].to_string(), s[2..].to_string())
    } else {
        return Err(bad());
    };
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return Err(bad());
    }
    let h: u32 = h.parse().map_err(|_| bad())?;
    let m: u32 = m.parse().map_err(|_| bad())?;
    NaiveTime::from_hms_opt(h, m, 0).ok_or_else(bad)
}

/// `09:30`.
pub fn format_time(t: NaiveTime) -> String {
    t.format("%H:%M").to_string()
}

/// The term (among those recorded) whose span holds `date`.
pub fn term_of(terms: &[(Term, NaiveDate, NaiveDate)], date: NaiveDate) -> Option<Term> {
    terms
        .iter()
        .find(|(_, s, e)| *s <= date && date <= *e)
        .map(|(t, _, _)| *t)
}

/// Checks a draft against the recorded terms; returns the term it falls in.
pub fn validate_draft(
    d: &MeetingDraft,
    terms: &[(Term, NaiveDate, NaiveDate)],
) -> Result<Term, MeetingProblem> {
    if let Some(ends) = d.ends_at
        && ends <= d.starts_at
    {
        return Err(MeetingProblem::EndsBeforeStart {
            starts: d.starts_at,
            ends,
        });
    }
    term_of(terms, d.date).ok_or(MeetingProblem::OutsideTerms { date: d.date })
}

/// Checks attendance entries against the year's committee members
/// (id, name); `names` names everyone mentioned (members or not).
/// Everyone not a member is named in one refusal.
pub fn validate_attendance(
    entries: &[AttendEntry],
    members: &[(i64, String)],
    names: &dyn Fn(i64) -> String,
    year: i32,
) -> Result<(), MeetingProblem> {
    let is_member = |id: i64| members.iter().any(|(m, _)| *m == id);
    let mut outsiders: Vec<String> = Vec::new();
    for e in entries {
        if !is_member(e.staff_id) {
            let n = names(e.staff_id);
            if !outsiders.contains(&n) {
                outsiders.push(n);
            }
        }
    }
    if !outsiders.is_empty() {
        return Err(MeetingProblem::NotMembers {
            names: outsiders,
            year,
        });
    }
    for e in entries {
        let name = names(e.staff_id);
        match (e.status, e.proxy_id) {
            (Some(AttendStatus::Proxy), None) => {
                return Err(MeetingProblem::ProxyMissing { name });
            }
            (Some(AttendStatus::Proxy), Some(p)) if p == e.staff_id => {
                return Err(MeetingProblem::ProxySelf { name });
            }
            (Some(AttendStatus::Present | AttendStatus::Excused) | None, Some(_)) => {
                return Err(MeetingProblem::ProxyUnexpected { name });
            }
            _ => {}
        }
    }
    Ok(())
}

/// The attendance count: "出席 9 / 13".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Quorum {
    /// Committee members (distinct people in filled seats).
    pub members: usize,
    pub present: usize,
    /// 代理出席: counted as attending.
    pub proxy: usize,
    pub excused: usize,
    /// Members with nothing recorded.
    pub unrecorded: usize,
}

impl Quorum {
    /// Attending: present in person or by proxy.
    pub fn attending(&self) -> usize {
        self.present + self.proxy
    }
    /// More than half of the members attend.
    pub fn has_majority(&self) -> bool {
        self.members > 0 && self.attending() * 2 > self.members
    }
}

/// Counts the attendance of the year's members.
pub fn quorum(rows: &[AttendanceRow]) -> Quorum {
    let mut q = Quorum {
        members: rows.len(),
        ..Quorum::default()
    };
    for r in rows {
        match r.status {
            Some(AttendStatus::Present) => q.present += 1,
            Some(AttendStatus::Proxy) => q.proxy += 1,
            Some(AttendStatus::Excused) => q.excused += 1,
            None => q.unrecorded += 1,
        }
    }
    q
}

/// Checks a decision against the meeting that makes it.
pub fn validate_decision(d: &DecisionDraft, meeting: &Meeting) -> Result<(), MeetingProblem> {
    if meeting.status == MeetingStatus::Planned {
        return Err(MeetingProblem::DecisionBeforeHeld {
            number: meeting.number,
        });
    }
    if let Some(due) = d.due_on
        && due < meeting.date
    {
        return Err(MeetingProblem::DueBeforeMeeting {
            due,
            date: meeting.date,
        });
    }
    Ok(())
}

/// The next status, checked: planned → held (on or after the date) →
/// confirmed; a status may also go one step back (a mistaken click).
pub fn transition(m: &Meeting, to: MeetingStatus, today: NaiveDate) -> Result<(), MeetingProblem> {
    use MeetingStatus::*;
    let ok = matches!(
        (m.status, to),
        (Planned, Held) | (Held, Confirmed) | (Held, Planned) | (Confirmed, Held)
    );
    if !ok {
        return Err(MeetingProblem::BadTransition {
            number: m.number,
            from: m.status,
            to,
        });
    }
    if to == Held && m.status == Planned && m.date > today {
        return Err(MeetingProblem::NotYet {
            number: m.number,
            date: m.date,
        });
    }
    Ok(())
}

/// Report-topic keys of generated reports (see `src/domain/agenda.rs`).
pub mod topic {
    /// Calendar windows until the next meeting, and overdue ones.
    pub const SCHEDULE: &str = "schedule";
    /// Checklist progress and overdue items by unit.
    pub const CHECKLIST: &str = "checklist";
    /// The receipt round's confirmation progress and discrepancies.
    pub const RECEIPTS: &str = "receipts";
    /// Roster vacancies and members who left.
    pub const ROSTER: &str = "roster";
    /// Positions no one can act for, teachers without a substitute.
    pub const DELEGATES: &str = "delegates";
    /// Required trainings not yet scheduled.
    pub const TRAININGS: &str = "trainings";
}

/// The report items a planned meeting starts with: (title, topic): the
/// preset's standing items in the regulation's order (靜心's six items of
/// 三、, the committee duties of the others), each with the key(s) of its
/// generated report (see [`crate::domain::agenda::standing_items`]).
pub fn standing_titles(preset: &Preset) -> Vec<(String, Option<String>)> {
    crate::domain::agenda::standing_items(preset)
        .into_iter()
        .map(|i| {
            let key = crate::domain::agenda::topic_key(&i.topics);
            (i.title, key)
        })
        .collect()
}

/// A decision not done yet, with the meeting that made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenDecision {
    pub item: AgendaItem,
    pub meeting_year: i32,
    pub meeting_number: u32,
    pub meeting_date: NaiveDate,
}

impl OpenDecision {
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.item.due_on.is_some_and(|d| d < today)
    }
}

/// A meeting as `check meetings` needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingFact {
    pub number: u32,
    pub year: i32,
    pub term: Term,
    pub date: NaiveDate,
    pub status: MeetingStatus,
    /// Items with a decision recorded.
    pub decided: usize,
}

/// What `check meetings` finds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MeetingFinding {
    /// More than half the term is over and no meeting is planned.
    NonePlanned { term: Term, half: NaiveDate },
    /// The term has ended and no meeting was held.
    NoneHeld { term: Term, ended: NaiveDate },
    /// Held more than 14 days ago, minutes not confirmed.
    NoMinutes {
        year: i32,
        number: u32,
        date: NaiveDate,
        decided: usize,
        days: i64,
    },
    /// A decision past its due date and not done.
    PastDue {
        year: i32,
        number: u32,
        title: String,
        owner: String,
        due: NaiveDate,
    },
}

impl MeetingFinding {
    pub fn message_key(&self) -> &'static str {
        match self {
            MeetingFinding::NonePlanned { .. } => "meeting.find_none_planned",
            MeetingFinding::NoneHeld { .. } => "meeting.find_none_held",
            MeetingFinding::NoMinutes { .. } => "meeting.find_no_minutes",
            MeetingFinding::PastDue { .. } => "meeting.find_past_due",
        }
    }
    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            MeetingFinding::NonePlanned { term, half } => {
                vec![("term", term.to_string()), ("half", format_roc(*half))]
            }
            MeetingFinding::NoneHeld { term, ended } => {
                vec![("term", term.to_string()), ("ended", format_roc(*ended))]
            }
            MeetingFinding::NoMinutes {
                year,
                number,
                date,
                decided,
                days,
            } => vec![
                ("year", year.to_string()),
                ("number", number.to_string()),
                ("date", format_roc(*date)),
                ("decided", decided.to_string()),
                ("days", days.to_string()),
            ],
            MeetingFinding::PastDue {
                year,
                number,
                title,
                owner,
                due,
            } => vec![
                ("year", year.to_string()),
                ("number", number.to_string()),
                ("title", title.clone()),
                ("owner", owner.clone()),
                ("due", format_roc(*due)),
            ],
        }
    }
}

/// The compliance rules, over plain data: `terms` are the recorded terms
/// (with their spans) to look at, `meetings` every meeting in them,
/// `open` the open decisions.
pub fn check_meetings(
    terms: &[(Term, NaiveDate, NaiveDate)],
    meetings: &[MeetingFact],
    open: &[OpenDecision],
    today: NaiveDate,
) -> Vec<MeetingFinding> {
    let mut out = Vec::new();
    for (term, start, end) in terms {
        let of_term: Vec<&MeetingFact> = meetings.iter().filter(|m| m.term == *term).collect();
        let half = *start + chrono::Duration::days((*end - *start).num_days() / 2);
        if today > *end {
            if !of_term.iter().any(|m| m.status != MeetingStatus::Planned) {
                out.push(MeetingFinding::NoneHeld {
                    term: *term,
                    ended: *end,
                });
            }
        } else if today > half && of_term.is_empty() {
            out.push(MeetingFinding::NonePlanned { term: *term, half });
        }
    }
    for m in meetings {
        let days = (today - m.date).num_days();
        if m.status == MeetingStatus::Held && days > MINUTES_DAYS {
            out.push(MeetingFinding::NoMinutes {
                year: m.year,
                number: m.number,
                date: m.date,
                decided: m.decided,
                days,
            });
        }
    }
    for d in open {
        if let Some(due) = d.item.due_on
            && due < today
            && d.item.done_on.is_none()
        {
            out.push(MeetingFinding::PastDue {
                year: d.meeting_year,
                number: d.meeting_number,
                title: d.item.title.clone(),
                owner: d.item.owner.clone(),
                due,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }
    fn t(s: &str) -> NaiveTime {
        parse_time(s).unwrap()
    }
    fn term(y: i32, s: u8) -> (Term, NaiveDate, NaiveDate) {
        let t = Term {
            year: y,
            semester: s,
        };
        let span = t.span();
        (t, span.start, span.end)
    }
    fn meeting(number: u32, date: &str, status: MeetingStatus) -> Meeting {
        let date = d(date);
        Meeting {
            id: number as i64,
            year: 115,
            term: Term::containing(date),
            number,
            date,
            starts_at: t("14:00"),
            ends_at: None,
            place: "會議室".into(),
            kind: MeetingKind::Regular,
            chair_id: None,
            recorder_id: None,
            status,
            event_id: None,
            meta: RowMeta::default(),
        }
    }
    fn row(id: i64, status: Option<AttendStatus>) -> AttendanceRow {
        AttendanceRow {
            staff_id: id,
            name: format!("P{id}"),
            seats: vec![],
            status,
            proxy_id: None,
            proxy_name: None,
            version: 0,
        }
    }
    fn item(decision: &str, owner: &str, due: Option<&str>, done: Option<&str>) -> AgendaItem {
        AgendaItem {
            id: 1,
            meeting_id: 1,
            section: Section::Motion,
            position: 1,
            title: "案由".into(),
            topic: None,
            body: String::new(),
            proposer: String::new(),
            proposal: String::new(),
            decision: decision.into(),
            owner: owner.into(),
            due_on: due.map(d),
            done_on: done.map(d),
            carried_from: None,
            meta: RowMeta::default(),
        }
    }

    #[test]
    fn times_are_read_and_bad_ones_quoted() {
        assert_eq!(format_time(t("9:30")), "09:30");
        assert_eq!(format_time(t("1400")), "14:00");
        assert_eq!(format_time(t("14：05")), "14:05");
        for bad in ["25:00", "14:5", "noon", "", "14:60", "123:00"] {
            assert_eq!(
                parse_time(bad),
                Err(MeetingProblem::BadTime { input: bad.into() }),
                "{bad}"
            );
        }
    }

    #[test]
    fn quorum_counts_proxies_as_attending() {
        let rows = vec![
            row(1, Some(AttendStatus::Present)),
            row(2, Some(AttendStatus::Present)),
            row(3, Some(AttendStatus::Proxy)),
            row(4, Some(AttendStatus::Excused)),
            row(5, None),
        ];
        let q = quorum(&rows);
        assert_eq!(
            (q.members, q.present, q.proxy, q.excused, q.unrecorded),
            (5, 2, 1, 1, 1)
        );
        assert_eq!(q.attending(), 3);
        assert!(q.has_majority());
        let q = quorum(&rows[2..]);
        assert_eq!(q.attending(), 1);
        assert!(!q.has_majority());
        assert!(!quorum(&[]).has_majority());
    }

    #[test]
    fn a_date_outside_every_term_is_refused_quoting_it() {
        let terms = vec![term(115, 1)];
        let draft = MeetingDraft {
            date: d("2027-03-02"),
            starts_at: t("14:00"),
            ends_at: None,
            place: String::new(),
            kind: MeetingKind::Regular,
            chair_id: None,
            recorder_id: None,
        };
        let err = validate_draft(&draft, &terms).unwrap_err();
        assert_eq!(
            err,
            MeetingProblem::OutsideTerms {
                date: d("2027-03-02")
            }
        );
        assert_eq!(err.args(), vec![("date", "116.03.02".to_string())]);
        let ok = MeetingDraft {
            date: d("2026-09-29"),
            ..draft.clone()
        };
        assert_eq!(validate_draft(&ok, &terms), Ok(terms[0].0));
        let reversed = MeetingDraft {
            ends_at: Some(t("13:00")),
            ..ok
        };
        assert!(matches!(
            validate_draft(&reversed, &terms),
            Err(MeetingProblem::EndsBeforeStart { .. })
        ));
    }

    #[test]
    fn attendance_refuses_non_members_naming_all_of_them() {
        let members = vec![(1, "王校長".to_string()), (2, "李主任".to_string())];
        let names = |id: i64| match id {
            1 => "王校長".to_string(),
            2 => "李主任".to_string(),
            8 => "陳老師".to_string(),
            _ => "林組長".to_string(),
        };
        let e = |id, status, proxy| AttendEntry {
            staff_id: id,
            status: Some(status),
            proxy_id: proxy,
        };
        let err = validate_attendance(
            &[
                e(1, AttendStatus::Present, None),
                e(8, AttendStatus::Present, None),
                e(9, AttendStatus::Excused, None),
            ],
            &members,
            &names,
            115,
        )
        .unwrap_err();
        assert_eq!(
            err,
            MeetingProblem::NotMembers {
                names: vec!["陳老師".into(), "林組長".into()],
                year: 115
            }
        );
        // A proxy may be anyone (not necessarily a member), but must be named.
        assert_eq!(
            validate_attendance(&[e(2, AttendStatus::Proxy, Some(8))], &members, &names, 115),
            Ok(())
        );
        assert_eq!(
            validate_attendance(&[e(2, AttendStatus::Proxy, None)], &members, &names, 115),
            Err(MeetingProblem::ProxyMissing {
                name: "李主任".into()
            })
        );
        assert_eq!(
            validate_attendance(&[e(2, AttendStatus::Proxy, Some(2))], &members, &names, 115),
            Err(MeetingProblem::ProxySelf {
                name: "李主任".into()
            })
        );
        assert_eq!(
            validate_attendance(
                &[e(2, AttendStatus::Present, Some(1))],
                &members,
                &names,
                115
            ),
            Err(MeetingProblem::ProxyUnexpected {
                name: "李主任".into()
            })
        );
    }

    #[test]
    fn decisions_due_before_the_meeting_or_before_it_is_held_are_refused() {
        let held = meeting(1, "2026-09-29", MeetingStatus::Held);
        let early = DecisionDraft {
            decision: "照案通過".into(),
            owner: "教務處".into(),
            due_on: Some(d("2026-09-28")),
        };
        let err = validate_decision(&early, &held).unwrap_err();
        assert_eq!(
            err.args(),
            vec![
                ("due", "115.09.28".to_string()),
                ("date", "115.09.29".to_string())
            ]
        );
        let same_day = DecisionDraft {
            due_on: Some(d("2026-09-29")),
            ..early.clone()
        };
        assert_eq!(validate_decision(&same_day, &held), Ok(()));
        let planned = meeting(2, "2026-12-01", MeetingStatus::Planned);
        assert_eq!(
            validate_decision(&same_day, &planned),
            Err(MeetingProblem::DecisionBeforeHeld { number: 2 })
        );
    }

    #[test]
    fn status_goes_one_step_at_a_time_and_not_before_the_day() {
        let today = d("2026-10-01");
        let planned = meeting(1, "2026-09-29", MeetingStatus::Planned);
        assert_eq!(transition(&planned, MeetingStatus::Held, today), Ok(()));
        assert!(matches!(
            transition(&planned, MeetingStatus::Confirmed, today),
            Err(MeetingProblem::BadTransition { .. })
        ));
        let future = meeting(2, "2026-10-02", MeetingStatus::Planned);
        assert_eq!(
            transition(&future, MeetingStatus::Held, today),
            Err(MeetingProblem::NotYet {
                number: 2,
                date: d("2026-10-02")
            })
        );
        let held = meeting(1, "2026-09-29", MeetingStatus::Held);
        assert_eq!(transition(&held, MeetingStatus::Confirmed, today), Ok(()));
        assert_eq!(transition(&held, MeetingStatus::Planned, today), Ok(()));
    }

    #[test]
    fn follow_ups_need_a_decision_and_an_owner_or_due_date() {
        assert!(item("照案通過", "教務處", None, None).is_open());
        assert!(item("照案通過", "", Some("2026-10-01"), None).is_open());
        assert!(!item("洽悉", "", None, None).is_follow_up());
        assert!(!item("", "教務處", None, None).is_follow_up());
        let done = item("照案通過", "教務處", None, Some("2026-10-05"));
        assert!(done.is_follow_up() && !done.is_open());
    }

    #[test]
    fn standing_items_of_jingxin_are_its_six_in_order() {
        let p = crate::domain::preset::by_key("jingxin").unwrap();
        let items = standing_titles(&p);
        assert_eq!(items.len(), 6);
        assert_eq!(items[0].0, p.standing_agenda[0]);
        assert_eq!(items[0].1.as_deref(), Some("schedule,roster,delegates"));
        assert_eq!(items[3].1.as_deref(), Some(topic::TRAININGS));
        assert_eq!(items[5].1, None);
        // The others: the duties their committee clause names.
        let taitung = standing_titles(&crate::domain::preset::by_key("taitung").unwrap());
        assert_eq!(taitung.len(), 6);
        assert_eq!(taitung[2].1.as_deref(), Some(topic::SCHEDULE));
    }

    fn fact(number: u32, date: &str, status: MeetingStatus) -> MeetingFact {
        let date = d(date);
        MeetingFact {
            number,
            year: 115,
            term: Term::containing(date),
            date,
            status,
            decided: 0,
        }
    }

    #[test]
    fn check_finds_a_term_half_over_without_a_meeting() {
        let terms = vec![term(115, 1)];
        // 115-1 runs 2026-08-01..2027-01-31; half way is 2026-10-31.
        assert!(check_meetings(&terms, &[], &[], d("2026-10-31")).is_empty());
        let f = check_meetings(&terms, &[], &[], d("2026-11-01"));
        assert_eq!(
            f,
            vec![MeetingFinding::NonePlanned {
                term: terms[0].0,
                half: d("2026-10-31")
            }]
        );
        let planned = [fact(1, "2026-12-01", MeetingStatus::Planned)];
        assert!(check_meetings(&terms, &planned, &[], d("2026-11-01")).is_empty());
    }

    #[test]
    fn check_finds_an_ended_term_with_no_meeting_held() {
        let terms = vec![term(115, 1)];
        let planned = [fact(1, "2026-12-01", MeetingStatus::Planned)];
        let f = check_meetings(&terms, &planned, &[], d("2027-02-01"));
        assert_eq!(
            f,
            vec![MeetingFinding::NoneHeld {
                term: terms[0].0,
                ended: d("2027-01-31")
            }]
        );
        let confirmed = [fact(1, "2026-12-01", MeetingStatus::Confirmed)];
        assert!(check_meetings(&terms, &confirmed, &[], d("2027-02-01")).is_empty());
    }

    #[test]
    fn check_finds_minutes_missing_after_fourteen_days() {
        let held = [fact(1, "2026-09-29", MeetingStatus::Held)];
        assert!(check_meetings(&[], &held, &[], d("2026-10-13")).is_empty());
        let f = check_meetings(&[], &held, &[], d("2026-10-14"));
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].message_key(), "meeting.find_no_minutes");
        let confirmed = [fact(1, "2026-09-29", MeetingStatus::Confirmed)];
        assert!(check_meetings(&[], &confirmed, &[], d("2027-01-01")).is_empty());
    }

    #[test]
    fn check_finds_decisions_past_due() {
        let open = |due: &str, done: Option<&str>| OpenDecision {
            item: item("照案通過", "註冊組", Some(due), done),
            meeting_year: 115,
            meeting_number: 1,
            meeting_date: d("2026-09-29"),
        };
        let today = d("2026-10-20");
        assert!(check_meetings(&[], &[], &[open("2026-10-20", None)], today).is_empty());
        let f = check_meetings(&[], &[], &[open("2026-10-19", None)], today);
        assert_eq!(
            f,
            vec![MeetingFinding::PastDue {
                year: 115,
                number: 1,
                title: "案由".into(),
                owner: "註冊組".into(),
                due: d("2026-10-19")
            }]
        );
        assert!(open("2026-10-19", None).overdue(today));
        assert!(
            check_meetings(&[], &[], &[open("2026-10-19", Some("2026-10-18"))], today).is_empty()
        );
    }
}
