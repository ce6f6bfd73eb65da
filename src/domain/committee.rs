//! The committee roster (工作小組): staff, seats, and the pure rules about
//! them — validation of a staff entry, the seat count against the
//! regulation, and who fits a seat.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use crate::domain::preset::{SeatKind, SeatRole};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum StaffStatus {
    #[default]
    Active,
    Left,
}

impl StaffStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            StaffStatus::Active => "active",
            StaffStatus::Left => "left",
        }
    }
    pub fn from_db(s: &str) -> StaffStatus {
        if s == "left" {
            StaffStatus::Left
        } else {
            StaffStatus::Active
        }
    }
}

/// Bookkeeping every mutable row carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct RowMeta {
    pub version: i64,
    pub updated_at: String,
    pub updated_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Staff {
    pub id: i64,
    pub name: String,
    pub positions: Vec<String>,
    pub email: String,
    pub phone: String,
    pub status: StaffStatus,
    pub left_on: Option<NaiveDate>,
    pub note: String,
    /// Course-outcome items (課程學習成果) this person has yet to certify.
    #[serde(default)]
    pub uncertified: u32,
    #[serde(flatten)]
    pub meta: RowMeta,
}

impl Staff {
    pub fn is_active(&self) -> bool {
        self.status == StaffStatus::Active
    }
    pub fn positions_text(&self) -> String {
        self.positions.join("、")
    }
    pub fn draft(&self) -> StaffDraft {
        StaffDraft {
            name: self.name.clone(),
            positions: self.positions.clone(),
            email: self.email.clone(),
            phone: self.phone.clone(),
            status: self.status,
            left_on: self.left_on,
            note: self.note.clone(),
            uncertified: self.uncertified,
        }
    }
}

/// A staff entry as typed in, before it has an id.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct StaffDraft {
    pub name: String,
    pub positions: Vec<String>,
    pub email: String,
    pub phone: String,
    pub status: StaffStatus,
    pub left_on: Option<NaiveDate>,
    pub note: String,
    /// Course-outcome items this person has yet to certify.
    #[serde(default)]
    pub uncertified: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaffField {
    Name,
    Positions,
    Email,
    Phone,
    Status,
    LeftOn,
    Uncertified,
    Note,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaffProblem {
    NameEmpty,
    NameTooLong {
        max: usize,
    },
    PositionTooLong {
        position: String,
        max: usize,
    },
    EmailInvalid {
        email: String,
    },
    PhoneInvalid {
        phone: String,
    },
    StatusUnknown {
        status: String,
    },
    LeftOnWithoutLeft,
    /// The count of uncertified items is not a whole number ≥ 0.
    UncertifiedInvalid {
        input: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: StaffField,
    pub problem: StaffProblem,
}

pub const NAME_MAX: usize = 40;
pub const POSITION_MAX: usize = 30;

/// Splits a typed list of positions: 、 , ， ; ； / and spaces all separate.
/// Empty parts and repeats are dropped; order is kept.
pub fn parse_positions(input: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in input.split(|c: char| {
        matches!(c, '、' | ',' | '，' | ';' | '；' | '/' | '／') || c.is_whitespace()
    }) {
        let p = part.trim();
        if !p.is_empty() && !out.iter().any(|q| q == p) {
            out.push(p.to_string());
        }
    }
    out
}

/// A plausible e-mail address: one `@`, something on both sides, a dot in the
/// domain, no spaces. Empty is allowed (the field is optional).
pub fn email_ok(email: &str) -> bool {
    if email.is_empty() {
        return true;
    }
    let mut parts = email.split('@');
    let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Phone numbers as schools write them: digits with `-`, spaces, `()`, a
/// leading `+`, and an extension after `#` or `分機`. Empty is allowed.
pub fn phone_ok(phone: &str) -> bool {
    if phone.is_empty() {
        return true;
    }
    let main = phone.split(['#', '＃']).next().unwrap_or("");
    let main = main.split("分機").next().unwrap_or("");
    let digits = main.chars().filter(|c| c.is_ascii_digit()).count();
    let rest_ok = phone.chars().enumerate().all(|(i, c)| {
        c.is_ascii_digit()
            || matches!(c, '-' | ' ' | '(' | ')' | '#' | '＃' | '分' | '機')
            || (c == '+' && i == 0)
    });
    rest_ok && (6..=15).contains(&digits)
}

impl StaffDraft {
    /// Trims every field and checks it. All problems are reported at once so
    /// the form can show each next to its field.
    pub fn validated(mut self) -> Result<StaffDraft, Vec<FieldError>> {
        self.name = self.name.trim().to_string();
        self.email = self.email.trim().to_string();
        self.phone = self.phone.trim().to_string();
        self.note = self.note.trim().to_string();
        let mut errs = Vec::new();
        let mut push = |field, problem| errs.push(FieldError { field, problem });
        if self.name.is_empty() {
            push(StaffField::Name, StaffProblem::NameEmpty);
        } else if self.name.chars().count() > NAME_MAX {
            push(
                StaffField::Name,
                StaffProblem::NameTooLong { max: NAME_MAX },
            );
        }
        if let Some(p) = self
            .positions
            .iter()
            .find(|p| p.chars().count() > POSITION_MAX)
        {
            push(
                StaffField::Positions,
                StaffProblem::PositionTooLong {
                    position: p.clone(),
                    max: POSITION_MAX,
                },
            );
        }
        if !email_ok(&self.email) {
            push(
                StaffField::Email,
                StaffProblem::EmailInvalid {
                    email: self.email.clone(),
                },
            );
        }
        if !phone_ok(&self.phone) {
            push(
                StaffField::Phone,
                StaffProblem::PhoneInvalid {
                    phone: self.phone.clone(),
                },
            );
        }
        if self.left_on.is_some() && self.status != StaffStatus::Left {
            push(StaffField::LeftOn, StaffProblem::LeftOnWithoutLeft);
        }
        if errs.is_empty() { Ok(self) } else { Err(errs) }
    }
}

/// Parses the count of uncertified items typed in the staff form: a whole
/// number ≥ 0 (full-width digits too); empty is 0.
pub fn parse_uncertified(input: &str) -> Result<u32, StaffProblem> {
    let t: String = input
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            c => c,
        })
        .collect();
    if t.is_empty() {
        return Ok(0);
    }
    if !t.chars().all(|c| c.is_ascii_digit()) {
        return Err(StaffProblem::UncertifiedInvalid {
            input: input.trim().to_string(),
        });
    }
    t.parse().map_err(|_| StaffProblem::UncertifiedInvalid {
        input: input.trim().to_string(),
    })
}

/// Parses the status field of the staff form: the words of either language,
/// or nothing (= active).
pub fn parse_status(input: &str) -> Result<StaffStatus, StaffProblem> {
    match input.trim().to_lowercase().as_str() {
        "" | "在職" | "active" | "a" | "1" | "y" => Ok(StaffStatus::Active),
        "離職" | "已離職" | "left" | "l" | "0" | "n" => Ok(StaffStatus::Left),
        _ => Err(StaffProblem::StatusUnknown {
            status: input.trim().to_string(),
        }),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Committee {
    pub id: i64,
    pub academic_year: i32,
    pub note: String,
    #[serde(flatten)]
    pub meta: RowMeta,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seat {
    pub id: i64,
    pub committee_id: i64,
    pub ordinal: i64,
    pub title: String,
    pub kind: SeatKind,
    pub role: SeatRole,
    pub staff_id: Option<i64>,
    #[serde(flatten)]
    pub meta: RowMeta,
}

/// A seat with its member, as the roster shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeatView {
    pub seat: Seat,
    pub member: Option<Staff>,
}

impl SeatView {
    /// A seat counts as filled only by a member who is still active.
    pub fn is_filled(&self) -> bool {
        self.member.as_ref().is_some_and(Staff::is_active)
    }
}

/// The seat count against the regulation: "13/13" or "12/13 — 1 vacancy".
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RosterSummary {
    pub total: usize,
    pub filled: usize,
    /// Titles of the seats that are empty or held by someone who has left.
    pub vacancies: Vec<String>,
    /// (seat title, member name) for members who have left the school.
    pub departed: Vec<(String, String)>,
    /// Members who hold more than one seat: (name, seat count).
    pub multi_seat: Vec<(String, usize)>,
}

impl RosterSummary {
    pub fn vacant(&self) -> usize {
        self.total - self.filled
    }
}

pub fn summarize(seats: &[SeatView]) -> RosterSummary {
    let mut s = RosterSummary {
        total: seats.len(),
        ..Default::default()
    };
    for v in seats {
        if v.is_filled() {
            s.filled += 1;
        } else {
            s.vacancies.push(v.seat.title.clone());
        }
        if let Some(m) = &v.member
            && !m.is_active()
        {
            s.departed.push((v.seat.title.clone(), m.name.clone()));
        }
    }
    let mut counts: Vec<(i64, String, usize)> = Vec::new();
    for m in seats.iter().filter_map(|v| v.member.as_ref()) {
        match counts.iter_mut().find(|(id, _, _)| *id == m.id) {
            Some(c) => c.2 += 1,
            None => counts.push((m.id, m.name.clone(), 1)),
        }
    }
    s.multi_seat = counts
        .into_iter()
        .filter(|(_, _, n)| *n > 1)
        .map(|(_, name, n)| (name, n))
        .collect();
    s
}

/// How well a person fits a seat, for ordering the assignment list:
/// 2 = holds the seat's title as a position, 1 = a position shares the
/// seat's kind word (e.g. 導師 for 高中導師代表), 0 = no relation.
pub fn seat_fit(seat_title: &str, positions: &[String]) -> u8 {
    if positions.iter().any(|p| p == seat_title) {
        return 2;
    }
    let core = seat_title.trim_end_matches("代表");
    if positions
        .iter()
        .any(|p| !p.is_empty() && (core.contains(p.as_str()) || p.contains(core)))
    {
        1
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staff(id: i64, name: &str, status: StaffStatus) -> Staff {
        Staff {
            id,
            name: name.into(),
            positions: vec![],
            email: String::new(),
            phone: String::new(),
            status,
            left_on: None,
            note: String::new(),
            uncertified: 0,
            meta: RowMeta::default(),
        }
    }
    fn seat(ordinal: i64, title: &str) -> Seat {
        Seat {
            id: ordinal,
            committee_id: 1,
            ordinal,
            title: title.into(),
            kind: SeatKind::ExOfficio,
            role: SeatRole::Member,
            staff_id: None,
            meta: RowMeta::default(),
        }
    }

    #[test]
    fn positions_split_on_every_separator() {
        assert_eq!(
            parse_positions("註冊組長、教師, 導師；註冊組長  /課程諮詢教師"),
            vec!["註冊組長", "教師", "導師", "課程諮詢教師"]
        );
        assert!(parse_positions(" 、, ").is_empty());
    }

    #[test]
    fn email_and_phone_rules() {
        assert!(email_ok(""));
        assert!(email_ok("reg@jhsh.tp.edu.tw"));
        assert!(!email_ok("reg@@x.tw"));
        assert!(!email_ok("reg.jhsh.tw"));
        assert!(!email_ok("reg @x.tw"));
        assert!(!email_ok("reg@tw."));
        assert!(phone_ok("02-2932-3118#201"));
        assert!(phone_ok("(02)29323118 分機 201"));
        assert!(phone_ok("+886 2 2932 3118"));
        assert!(!phone_ok("02-29x3"));
        assert!(!phone_ok("123"));
    }

    #[test]
    fn validation_reports_every_field_and_trims() {
        let d = StaffDraft {
            name: "  ".into(),
            email: "nope".into(),
            phone: "abc".into(),
            left_on: NaiveDate::from_ymd_opt(2023, 1, 1),
            ..Default::default()
        };
        let errs = d.validated().unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            vec![
                StaffField::Name,
                StaffField::Email,
                StaffField::Phone,
                StaffField::LeftOn
            ]
        );
        let ok = StaffDraft {
            name: " 王小明 ".into(),
            ..Default::default()
        }
        .validated()
        .unwrap();
        assert_eq!(ok.name, "王小明");
    }

    #[test]
    fn uncertified_counts_are_whole_numbers() {
        assert_eq!(parse_uncertified(""), Ok(0));
        assert_eq!(parse_uncertified(" 3 "), Ok(3));
        assert_eq!(parse_uncertified("１２"), Ok(12));
        for bad in ["-1", "2.5", "三", "3件"] {
            assert_eq!(
                parse_uncertified(bad),
                Err(StaffProblem::UncertifiedInvalid { input: bad.into() })
            );
        }
    }

    #[test]
    fn status_words_in_both_languages() {
        assert_eq!(parse_status("離職"), Ok(StaffStatus::Left));
        assert_eq!(parse_status("Active"), Ok(StaffStatus::Active));
        assert_eq!(parse_status(""), Ok(StaffStatus::Active));
        assert!(matches!(
            parse_status("退休"),
            Err(StaffProblem::StatusUnknown { status }) if status == "退休"
        ));
    }

    #[test]
    fn summary_counts_departed_members_as_vacancies() {
        let seats = vec![
            SeatView {
                seat: seat(1, "校長"),
                member: Some(staff(1, "林校長", StaffStatus::Active)),
            },
            SeatView {
                seat: seat(2, "教務主任"),
                member: Some(staff(2, "陳主任", StaffStatus::Left)),
            },
            SeatView {
                seat: seat(3, "家長代表"),
                member: None,
            },
        ];
        let s = summarize(&seats);
        assert_eq!((s.filled, s.total, s.vacant()), (1, 3, 2));
        assert_eq!(s.vacancies, vec!["教務主任", "家長代表"]);
        assert_eq!(s.departed, vec![("教務主任".into(), "陳主任".into())]);
        assert!(s.multi_seat.is_empty());
    }

    #[test]
    fn summary_flags_one_person_in_two_seats() {
        let p = staff(7, "張老師", StaffStatus::Active);
        let seats = vec![
            SeatView {
                seat: seat(1, "教師代表"),
                member: Some(p.clone()),
            },
            SeatView {
                seat: seat(2, "導師代表"),
                member: Some(p),
            },
        ];
        assert_eq!(summarize(&seats).multi_seat, vec![("張老師".into(), 2)]);
    }

    #[test]
    fn seat_fit_prefers_exact_position() {
        let pos = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(seat_fit("註冊組長", &pos(&["註冊組長", "教師"])), 2);
        assert_eq!(seat_fit("高中導師代表", &pos(&["導師"])), 1);
        assert_eq!(seat_fit("家長代表", &pos(&["教師"])), 0);
    }
}
