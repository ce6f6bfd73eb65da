//! The regulations' retention periods (保存年限/封存), as rules over the
//! students' dates. Pure: the store hands in each student's status and
//! dates, and gets back what is due and when.
//!
//! - 靜心 (八、): leavers' (離校生: left or transferred) records are kept 1
//!   year from the day they left; then they may be deleted.
//! - 臺東 (五、(二)4): graduates' records are sealed (封存) for 5 years from
//!   graduation; then they may be deleted.
//! - 育仁 (肆、四): five years after the student applied to college, all of
//!   the student's records are sealed.
//! - 鳳山: the regulation sets no period (no rule).
//!
//! Sealing takes a student's records out of the working file into the
//! verified archive, keeping the student's number, name and the sealing
//! date (so the school knows where the records are); deleting removes the
//! student altogether (after the same archive).

use chrono::{Datelike, NaiveDate};

use crate::domain::preset::{Preset, RetentionAction, RetentionSubject};
use crate::domain::receipt::StudentStatus;

/// What a rule does to a student's records when due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    /// 封存: records archived and taken out of the file; the student stays
    /// as a sealed entry.
    Seal,
    /// 刪除: the student and every record of theirs removed (archived first).
    Delete,
}

impl Step {
    pub fn code(self) -> &'static str {
        match self {
            Step::Seal => "seal",
            Step::Delete => "delete",
        }
    }
    pub fn label_key(self) -> &'static str {
        match self {
            Step::Seal => "retention.step_seal",
            Step::Delete => "retention.step_delete",
        }
    }
}

/// Which date of a student a period counts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountFrom {
    /// The day the student graduated or left (`student.left_on`).
    LeftOn,
    /// The college application (`student.applied_on`).
    AppliedOn,
}

/// A school's retention rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub subject: RetentionSubject,
    pub years: u32,
    pub from: CountFrom,
    /// Sealed during the period (臺東): sealed as soon as the period starts.
    pub sealed_during: bool,
    /// At the end of the period.
    pub at_end: Step,
    /// The regulation's words.
    pub clause: String,
}

/// The rule a preset's regulation sets (None: the text is silent, 鳳山).
pub fn rule_of(p: &Preset) -> Option<Rule> {
    let r = p.retention.as_ref()?;
    let from = if r.counted_from.is_some() {
        CountFrom::AppliedOn
    } else {
        CountFrom::LeftOn
    };
    Some(Rule {
        subject: r.subject,
        years: r.years,
        from,
        sealed_during: r.sealed_during,
        at_end: match r.on_expiry {
            RetentionAction::MayDelete => Step::Delete,
            RetentionAction::Seal => Step::Seal,
        },
        clause: r.clause.clone(),
    })
}

/// What the rule needs to know of one student.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub student_id: i64,
    pub student_no: String,
    pub name: String,
    pub status: StudentStatus,
    pub left_on: Option<NaiveDate>,
    pub applied_on: Option<NaiveDate>,
    /// Already sealed (then only a later delete can be due).
    pub sealed_on: Option<NaiveDate>,
}

/// A step due for a student, and since when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub student_id: i64,
    pub step: Step,
    /// The date the period counts from.
    pub from: NaiveDate,
    /// The day the step falls due.
    pub due: NaiveDate,
}

/// `d` plus `years` years (29 February → 28 February).
pub fn add_years(d: NaiveDate, years: u32) -> NaiveDate {
    let y = d.year() + years as i32;
    NaiveDate::from_ymd_opt(y, d.month(), d.day())
        .or_else(|| NaiveDate::from_ymd_opt(y, d.month(), d.day() - 1))
        .unwrap_or(d)
}

impl Rule {
    /// The i18n key of the rule in a few words ("離校生 1 年後得刪除"),
    /// with `{years}`.
    pub fn summary_key(&self) -> &'static str {
        match (self.from, self.subject, self.sealed_during, self.at_end) {
            (CountFrom::AppliedOn, _, _, Step::Seal) => "retention.sum_applied_seal",
            (CountFrom::AppliedOn, _, _, Step::Delete) => "retention.sum_applied_delete",
            (_, RetentionSubject::Leavers, _, Step::Delete) => "retention.sum_leavers_delete",
            (_, RetentionSubject::Leavers, _, Step::Seal) => "retention.sum_leavers_seal",
            (_, _, true, Step::Delete) => "retention.sum_graduates_sealed_delete",
            (_, _, _, Step::Delete) => "retention.sum_graduates_delete",
            (_, _, _, Step::Seal) => "retention.sum_graduates_seal",
        }
    }

    /// True when the rule covers a student of this status.
    pub fn covers(&self, status: StudentStatus) -> bool {
        match self.subject {
            RetentionSubject::Graduates => status == StudentStatus::Graduated,
            RetentionSubject::Leavers => {
                matches!(status, StudentStatus::Left | StudentStatus::Transferred)
            }
            RetentionSubject::Students => true,
        }
    }

    fn start(&self, f: &Facts) -> Option<NaiveDate> {
        match self.from {
            CountFrom::LeftOn => f.left_on,
            CountFrom::AppliedOn => f.applied_on,
        }
    }

    /// Covered by the rule but without the date it counts from: the rule
    /// cannot say anything about this student (reported, never guessed).
    pub fn lacks_date(&self, f: &Facts) -> bool {
        // An application date is only expected of graduates (a student
        // at school may not have applied yet).
        self.covers(f.status)
            && self.start(f).is_none()
            && f.sealed_on.is_none()
            && (self.from == CountFrom::LeftOn || f.status == StudentStatus::Graduated)
    }

    /// The steps of this student, in order, with their dates (whether due
    /// or not): sealing at the start when sealed during the period, then
    /// the step at the end. A step already taken is left out.
    pub fn steps(&self, f: &Facts) -> Vec<Due> {
        if !self.covers(f.status) {
            return Vec::new();
        }
        let Some(from) = self.start(f) else {
            return Vec::new();
        };
        let end = add_years(from, self.years);
        let mut out = Vec::new();
        if self.sealed_during && f.sealed_on.is_none() && self.at_end != Step::Seal {
            out.push(Due {
                student_id: f.student_id,
                step: Step::Seal,
                from,
                due: from,
            });
        }
        if !(self.at_end == Step::Seal && f.sealed_on.is_some()) {
            out.push(Due {
                student_id: f.student_id,
                step: self.at_end,
                from,
                due: end,
            });
        }
        out
    }

    /// What is due for this student on `today`: the furthest step whose
    /// date has come (a delete that is due makes an earlier seal moot).
    pub fn due(&self, f: &Facts, today: NaiveDate) -> Option<Due> {
        self.steps(f).into_iter().rfind(|d| d.due <= today)
    }

    /// The next date something falls due after `today` among `students`.
    pub fn next_due(&self, students: &[Facts], today: NaiveDate) -> Option<NaiveDate> {
        students
            .iter()
            .flat_map(|f| self.steps(f))
            .map(|d| d.due)
            .filter(|d| *d > today)
            .min()
    }
}

/// What the rule says of a whole school on `today`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Review {
    /// Due now, by student number.
    pub due: Vec<Due>,
    /// Students the rule covers that lack the date it counts from.
    pub lacking: Vec<i64>,
    /// The next date after today something falls due.
    pub next: Option<NaiveDate>,
}

impl Review {
    pub fn count(&self, step: Step) -> usize {
        self.due.iter().filter(|d| d.step == step).count()
    }
}

pub fn review(rule: &Rule, students: &[Facts], today: NaiveDate) -> Review {
    Review {
        due: students.iter().filter_map(|f| rule.due(f, today)).collect(),
        lacking: students
            .iter()
            .filter(|f| rule.lacks_date(f))
            .map(|f| f.student_id)
            .collect(),
        next: rule.next_due(students, today),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::preset;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn facts(id: i64, status: StudentStatus, left: Option<&str>, applied: Option<&str>) -> Facts {
        Facts {
            student_id: id,
            student_no: format!("s{id}"),
            name: format!("n{id}"),
            status,
            left_on: left.map(d),
            applied_on: applied.map(d),
            sealed_on: None,
        }
    }

    fn rule(key: &str) -> Option<Rule> {
        rule_of(&preset::by_key(key).expect("preset"))
    }

    #[test]
    fn jingxin_deletes_leavers_a_year_after_they_left_and_nobody_else() {
        let r = rule("jingxin").expect("八、");
        assert_eq!(r.years, 1);
        let today = d("2026-11-25");
        let s = [
            facts(1, StudentStatus::Left, Some("2025-11-24"), None),
            facts(2, StudentStatus::Transferred, Some("2025-11-25"), None),
            facts(3, StudentStatus::Left, Some("2025-11-26"), None),
            facts(4, StudentStatus::Graduated, Some("2020-06-30"), None),
            facts(5, StudentStatus::Enrolled, None, None),
            facts(6, StudentStatus::Left, None, None),
        ];
        let rv = review(&r, &s, today);
        let ids: Vec<(i64, Step)> = rv.due.iter().map(|x| (x.student_id, x.step)).collect();
        assert_eq!(ids, vec![(1, Step::Delete), (2, Step::Delete)]);
        assert_eq!(rv.lacking, vec![6]);
        assert_eq!(rv.next, Some(d("2026-11-26")));
    }

    #[test]
    fn taitung_seals_graduates_at_once_and_deletes_after_five_years() {
        let r = rule("taitung").expect("五、(二)4");
        let today = d("2026-11-25");
        let mut sealed = facts(3, StudentStatus::Graduated, Some("2024-06-30"), None);
        sealed.sealed_on = Some(d("2024-07-01"));
        let s = [
            facts(1, StudentStatus::Graduated, Some("2021-06-30"), None),
            facts(2, StudentStatus::Graduated, Some("2026-06-30"), None),
            sealed,
            facts(4, StudentStatus::Left, Some("2020-01-01"), None),
        ];
        let rv = review(&r, &s, today);
        let ids: Vec<(i64, Step)> = rv.due.iter().map(|x| (x.student_id, x.step)).collect();
        assert_eq!(ids, vec![(1, Step::Delete), (2, Step::Seal)]);
        assert_eq!(rv.due[0].due, d("2026-06-30"));
        // Next: the sealed one's delete in 2029.
        assert_eq!(rv.next, Some(d("2029-06-30")));
    }

    #[test]
    fn yuren_seals_five_years_after_the_college_application() {
        let r = rule("yuren").expect("肆、四");
        assert_eq!(r.from, CountFrom::AppliedOn);
        let today = d("2026-11-25");
        let mut done = facts(3, StudentStatus::Graduated, None, Some("2019-03-01"));
        done.sealed_on = Some(d("2024-03-02"));
        let s = [
            facts(
                1,
                StudentStatus::Graduated,
                Some("2021-06-30"),
                Some("2021-03-15"),
            ),
            facts(2, StudentStatus::Enrolled, None, Some("2026-03-15")),
            done,
            facts(4, StudentStatus::Enrolled, None, None),
            facts(5, StudentStatus::Graduated, Some("2020-06-30"), None),
        ];
        let rv = review(&r, &s, today);
        let ids: Vec<(i64, Step)> = rv.due.iter().map(|x| (x.student_id, x.step)).collect();
        assert_eq!(ids, vec![(1, Step::Seal)]);
        assert_eq!(rv.next, Some(d("2031-03-15")));
        // A graduate without the application date is reported; a student
        // at school who has not applied is not.
        assert_eq!(rv.lacking, vec![5]);
    }

    #[test]
    fn fengshan_has_no_rule() {
        assert_eq!(rule("fengshan"), None);
    }

    #[test]
    fn years_are_added_on_the_calendar() {
        assert_eq!(add_years(d("2024-02-29"), 1), d("2025-02-28"));
        assert_eq!(add_years(d("2021-06-30"), 5), d("2026-06-30"));
    }
}
