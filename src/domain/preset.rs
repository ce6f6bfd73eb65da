//! School presets: one school's supplementary regulation (補充規定) as data.
//!
//! Each preset is a TOML file under `assets/presets/`, embedded at compile time. A preset
//! carries only what its school's text says: where a regulation is silent the field is
//! `None` or an empty `Vec`. Strings in the data (titles, clauses, units) are quoted from
//! the regulation in Traditional Chinese; they are school data, not UI strings.
//!
//! National rules that every school shares (e.g. the yearly selection caps of 6 course
//! outcomes and 10 diverse performances) are *not* copied into a preset whose text does not
//! state them; [`Preset::effective_caps`] fills them in and marks them [`CapSource::National`].

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

/// National cap: course outcomes (課程學習成果) a student selects for submission per year.
pub const NATIONAL_COURSE_OUTCOMES_SELECTED_PER_YEAR: u32 = 6;
/// National cap: diverse performances (多元表現) a student selects for submission per year.
pub const NATIONAL_DIVERSE_PERFORMANCES_SELECTED_PER_YEAR: u32 = 10;

/// The embedded presets, in their canonical order: (key, TOML source).
const SOURCES: [(&str, &str); 4] = [
    (
        "fengshan",
        include_str!("../../assets/presets/fengshan.toml"),
    ),
    ("taitung", include_str!("../../assets/presets/taitung.toml")),
    ("yuren", include_str!("../../assets/presets/yuren.toml")),
    ("jingxin", include_str!("../../assets/presets/jingxin.toml")),
];

static PRESETS: LazyLock<Vec<Preset>> = LazyLock::new(|| {
    SOURCES
        .iter()
        .map(|(key, src)| {
            Preset::from_toml(src).unwrap_or_else(|e| {
                panic!("embedded preset assets/presets/{key}.toml does not parse: {e}")
            })
        })
        .collect()
});

/// One school's supplementary regulation as data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Preset {
    /// Stable ASCII key, e.g. `jingxin`.
    pub key: String,
    /// Full school name, e.g. 臺北市私立靜心高級中學.
    pub school_name: String,
    /// Short name, e.g. 靜心高中.
    pub short_name: String,
    pub regulation: RegulationInfo,
    /// The committee's name as written, e.g. 學生學習歷程檔案工作小組.
    pub committee_name: String,
    /// The clause on the committee's meetings and remit, quoted.
    #[serde(default)]
    pub committee_clause: Option<String>,
    /// One entry per seat, in the regulation's order; the count equals the stated total.
    pub seats: Vec<SeatSpec>,
    /// "每學期至少召開一次" → `Some(1)`.
    #[serde(default)]
    pub meetings_per_semester: Option<u32>,
    /// Items the committee decides, as the text lists them (靜心 三、(一)…(六)).
    #[serde(default)]
    pub standing_agenda: Vec<String>,
    /// Where the text lists no agenda items, the matters its committee clause says the
    /// committee decides and runs (方式、人員、期程及內容 … 訓練、研習、說明、成效評核及獎勵),
    /// in the clause's order, each quoted: the agenda's standing report items.
    #[serde(default)]
    pub committee_duties: Vec<String>,
    /// Which live report the agenda builder puts under each standing item
    /// (a `standing_agenda` or `committee_duties` entry → its topics).
    #[serde(default)]
    pub agenda_topics: std::collections::BTreeMap<String, Vec<AgendaTopic>>,
    /// Who sets the delegate list (代理人名單), e.g. 工作小組 or 人事室.
    #[serde(default)]
    pub delegate_source: Option<String>,
    /// The clause on delegates, quoted.
    #[serde(default)]
    pub delegate_clause: Option<String>,
    /// The delegate table: per position, its delegates in rank order (rank 1 first).
    #[serde(default)]
    pub delegates: Vec<DelegateRule>,
    /// Substitute arrangement when a teacher cannot certify course outcomes.
    #[serde(default)]
    pub teacher_certification: Option<CertificationSubstitute>,
    /// Rule on keeping a departing teacher's account (減緩原帳號消滅時間), quoted.
    #[serde(default)]
    pub departing_teacher_account: Option<String>,
    pub caps: Caps,
    /// Days before the national deadline by which internal checks/uploads finish.
    #[serde(default)]
    pub lead_days: Option<u32>,
    /// The clause `lead_days` comes from, quoted.
    #[serde(default)]
    pub lead_clause: Option<String>,
    /// Who sets/publishes the school's internal schedule.
    #[serde(default)]
    pub schedule: Option<ScheduleRule>,
    #[serde(default)]
    pub retention: Option<Retention>,
    #[serde(default)]
    pub trainings: Vec<TrainingDuty>,
    pub confirmation: Confirmation,
    /// Which unit answers a receipt discrepancy, by category code (`diverse`
    /// → `訓育組`); categories not named go to the default (registry for
    /// basic data, course records and outcomes; student affairs for cadre
    /// records and diverse performance).
    #[serde(default)]
    pub routing: std::collections::BTreeMap<String, String>,
    /// How students who left are notified to confirm the receipt detail.
    #[serde(default)]
    pub leaver_notice: Vec<NoticeMethod>,
    /// Who sends that notice.
    #[serde(default)]
    pub leaver_notice_by: Vec<String>,
    /// The clause on notifying leavers, quoted.
    #[serde(default)]
    pub leaver_notice_clause: Option<String>,
    /// Division of work: the regulation's own clauses and its appended tables.
    #[serde(default)]
    pub division: Vec<DivisionTable>,
    /// Rule for repeating / returning / transferring students (學籍異動), quoted.
    #[serde(default)]
    pub status_change_rule: Option<String>,
    /// Evaluation and awards (成效評核及獎勵), quoted.
    #[serde(default)]
    pub evaluation: Option<String>,
    /// Other contingency measures (疫情、重大事故), each quoted.
    #[serde(default)]
    pub contingency: Vec<String>,
}

/// Title and adoption/amendment history of a regulation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegulationInfo {
    pub title: String,
    /// Adoption/amendment lines as in the text, oldest first.
    pub history: Vec<String>,
    /// The text it was read from, in the repository
    /// (`assets/regulations/…`); see [`super::regulation`].
    #[serde(default)]
    pub source: Option<String>,
    /// How the regulation takes effect and is amended, quoted.
    #[serde(default)]
    pub enactment: Option<String>,
}

/// One committee seat.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeatSpec {
    pub title: String,
    pub kind: SeatKind,
    #[serde(default)]
    pub role: SeatRole,
    /// How the text names this seat when `title` differs, e.g. 各年級級導師 for 高一級導師.
    #[serde(default)]
    pub as_written: Option<String>,
}

/// Whether a seat is held by position or filled by a representative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SeatKind {
    /// By position (校長, 註冊組長, 級導師…).
    ExOfficio,
    /// A 代表 seat (教師代表, 家長代表, 學生代表…).
    Representative,
}

/// A seat's role in the committee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SeatRole {
    /// 召集人.
    Convener,
    /// 執行秘書.
    Secretary,
    #[default]
    Member,
}

/// A live report the agenda builder can generate under a standing item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgendaTopic {
    /// Calendar windows up to the next meeting, and the overdue ones.
    Schedule,
    /// Checklist progress and overdue items by unit.
    Checklists,
    /// The receipt round: confirmation progress, open / overdue discrepancies.
    Receipts,
    /// Roster vacancies and members who left; positions no one can act for
    /// and teachers without a certification substitute.
    People,
    /// Trainings the regulation requires that are not scheduled yet.
    Trainings,
    /// Decisions of earlier meetings not yet done (前次會議決議執行情形).
    Decisions,
}

/// The delegates of one position, in rank order (rank 1 first).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DelegateRule {
    pub position: String,
    pub delegates: Vec<String>,
}

/// Substitute arrangement for a teacher who cannot certify course outcomes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertificationSubstitute {
    /// Who sets the substitutes, e.g. 工作小組.
    #[serde(default)]
    pub set_by: Option<String>,
    /// How the substitute's rank is decided, if stated (臺東: 以會議或簽呈方式處理).
    #[serde(default)]
    pub method: Option<String>,
    pub clause: String,
}

/// Upload and selection caps a school's text states.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Caps {
    #[serde(default)]
    pub course_outcomes_uploaded_per_semester: Option<Cap>,
    #[serde(default)]
    pub course_outcomes_selected_per_year: Option<Cap>,
    #[serde(default)]
    pub diverse_performances_uploaded_per_year: Option<Cap>,
    #[serde(default)]
    pub diverse_performances_selected_per_year: Option<Cap>,
}

impl Caps {
    /// The four caps, stated or not, in a fixed order.
    pub fn each(&self) -> [&Option<Cap>; 4] {
        [
            &self.course_outcomes_uploaded_per_semester,
            &self.course_outcomes_selected_per_year,
            &self.diverse_performances_uploaded_per_year,
            &self.diverse_performances_selected_per_year,
        ]
    }
}

/// One cap ("至多 N 件").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cap {
    pub max: u32,
    #[serde(default)]
    pub source: CapSource,
    /// The clause, quoted (always set when `source` is `school`).
    #[serde(default)]
    pub clause: Option<String>,
    /// What does not count towards the cap, quoted.
    #[serde(default)]
    pub exclusions: Option<String>,
}

/// Where a cap comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CapSource {
    /// Stated in the school's own regulation.
    #[default]
    School,
    /// National rule, filled in by [`Preset::effective_caps`].
    National,
}

/// Who sets and publishes the school's internal schedule (作業期程).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleRule {
    pub set_by: Vec<String>,
    #[serde(default)]
    pub frequency: Option<Frequency>,
    /// Where it is published, e.g. 學校網站.
    #[serde(default)]
    pub published_on: Option<String>,
    /// Each task window must also carry a self-check time (自我檢核時間).
    #[serde(default)]
    pub self_check: bool,
    pub clause: String,
}

/// How long records are kept and what happens when the period ends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Retention {
    pub subject: RetentionSubject,
    pub years: u32,
    /// The starting point, only where the text names one (育仁: 申請入大專校院).
    #[serde(default)]
    pub counted_from: Option<String>,
    /// The records are sealed (封存) during the period.
    #[serde(default)]
    pub sealed_during: bool,
    pub on_expiry: RetentionAction,
    pub clause: String,
}

/// Whose records a retention rule covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RetentionSubject {
    /// 已畢業學生.
    Graduates,
    /// 離校生.
    Leavers,
    /// Every student (學生個人之所有資料).
    Students,
}

/// What the text says happens when the retention period ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RetentionAction {
    /// 達保存年限後，始得刪除.
    MayDelete,
    /// 予以封存.
    Seal,
}

/// A training / workshop / briefing the school holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrainingDuty {
    /// As written: 學生訓練, 教師研習, 親師說明, 宣導說明…
    pub name: String,
    pub audiences: Vec<Audience>,
    pub frequency: Frequency,
    /// Sessions per period, where the text gives a number.
    #[serde(default)]
    pub count: Option<u32>,
    /// The text says 至少 (at least) for `count`.
    #[serde(default)]
    pub count_is_minimum: bool,
    /// False only where the text says 得 (may) and neither 至少 nor 應.
    pub required: bool,
    pub units: Vec<String>,
    /// What it may be combined with (得結合…), quoted.
    #[serde(default)]
    pub combined_with: Option<String>,
    /// What it covers, quoted.
    #[serde(default)]
    pub content: Option<String>,
    pub clause: String,
}

/// Who a training is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    Students,
    Teachers,
    Parents,
    Staff,
}

/// How often.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    PerSemester,
    PerAcademicYear,
}

/// The receipt-confirmation rules.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Confirmation {
    /// A student who neither confirms nor objects within the window is deemed to have confirmed.
    #[serde(default)]
    pub silence_means_confirmed: bool,
    /// The silence rule, quoted.
    #[serde(default)]
    pub rule: Option<String>,
    /// How the confirmation window is set/published, quoted.
    #[serde(default)]
    pub window: Option<String>,
    /// Who works a discrepancy, quoted.
    #[serde(default)]
    pub discrepancy: Option<String>,
}

/// How leavers are notified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeMethod {
    /// 紙本郵寄.
    PaperMail,
    /// 電子郵件.
    Email,
}

/// One division-of-work table: a clause of the regulation or an appended table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DivisionTable {
    /// Where it comes from: a clause number (四) or 附錄/附件.
    pub source: String,
    /// The appended table's title as written.
    #[serde(default)]
    pub title: Option<String>,
    /// The table's own adoption/amendment lines.
    #[serde(default)]
    pub history: Vec<String>,
    pub rows: Vec<DutyRow>,
}

/// One line of a division-of-work table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DutyRow {
    /// The category label as written (基本資料, 修課紀錄…), if any.
    #[serde(default)]
    pub area: Option<String>,
    /// The sub-item label as written, if any.
    #[serde(default)]
    pub item: Option<String>,
    /// Responsible units or people, as written.
    pub units: Vec<String>,
    /// The task, quoted.
    pub task: String,
}

impl Preset {
    /// Parses a preset from TOML (the embedded ones, or a school's own file read by the caller).
    pub fn from_toml(src: &str) -> Result<Self, toml::de::Error> {
        toml::from_str(src)
    }

    pub fn seat_count(&self) -> usize {
        self.seats.len()
    }

    pub fn convener(&self) -> Option<&SeatSpec> {
        self.seats.iter().find(|s| s.role == SeatRole::Convener)
    }

    pub fn secretary(&self) -> Option<&SeatSpec> {
        self.seats.iter().find(|s| s.role == SeatRole::Secretary)
    }

    /// The delegates of `position` in rank order, if the table lists it.
    pub fn delegates_of(&self, position: &str) -> Option<&[String]> {
        self.delegates
            .iter()
            .find(|d| d.position == position)
            .map(|d| d.delegates.as_slice())
    }

    /// The school's caps, with the national yearly selection caps filled in where the
    /// school's text is silent (marked [`CapSource::National`]).
    pub fn effective_caps(&self) -> Caps {
        let national = |max| Cap {
            max,
            source: CapSource::National,
            clause: None,
            exclusions: None,
        };
        let mut caps = self.caps.clone();
        caps.course_outcomes_selected_per_year
            .get_or_insert_with(|| national(NATIONAL_COURSE_OUTCOMES_SELECTED_PER_YEAR));
        caps.diverse_performances_selected_per_year
            .get_or_insert_with(|| national(NATIONAL_DIVERSE_PERFORMANCES_SELECTED_PER_YEAR));
        caps
    }
}

/// The four embedded presets, in order fengshan, taitung, yuren, jingxin.
pub fn all() -> Vec<Preset> {
    PRESETS.clone()
}

/// The embedded preset with this key.
pub fn by_key(key: &str) -> Option<Preset> {
    PRESETS.iter().find(|p| p.key == key).cloned()
}

/// The keys of the embedded presets, in order.
pub fn keys() -> Vec<&'static str> {
    SOURCES.iter().map(|(key, _)| *key).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(key: &str) -> &'static str {
        crate::domain::regulation::text(key)
            .unwrap_or_else(|| panic!("no regulation text for {key}"))
    }

    /// Text with all whitespace removed, and the table header that 臺東's page break
    /// repeats in the middle of a cell removed, so quotes that wrap across lines match.
    fn squash(s: &str) -> String {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .replace("項目負責單位工作內容", "")
    }

    fn assert_quoted(text: &str, what: &str, quote: &str) {
        assert!(!quote.trim().is_empty(), "{what}: empty quote");
        assert!(
            squash(text).contains(&squash(quote)),
            "{what}: {quote:?} is not in the regulation text"
        );
    }

    fn preset(key: &str) -> Preset {
        by_key(key).unwrap_or_else(|| panic!("preset {key} missing"))
    }

    fn seat_titles(p: &Preset) -> Vec<&str> {
        p.seats.iter().map(|s| s.title.as_str()).collect()
    }

    /// Every quoted string of a preset, with a label, for the verbatim check.
    fn quotes(p: &Preset) -> Vec<(String, String)> {
        let mut q: Vec<(String, String)> = Vec::new();
        let mut push = |what: &str, s: &str| q.push((what.to_string(), s.to_string()));
        push("school_name", &p.school_name);
        push("title", &p.regulation.title);
        p.regulation.history.iter().for_each(|h| push("history", h));
        p.regulation
            .enactment
            .iter()
            .for_each(|s| push("enactment", s));
        push("committee_name", &p.committee_name);
        p.committee_clause
            .iter()
            .for_each(|s| push("committee_clause", s));
        for seat in &p.seats {
            push("seat", seat.as_written.as_deref().unwrap_or(&seat.title));
        }
        p.standing_agenda
            .iter()
            .for_each(|s| push("standing_agenda", s));
        p.committee_duties
            .iter()
            .for_each(|s| push("committee_duties", s));
        p.delegate_source
            .iter()
            .for_each(|s| push("delegate_source", s));
        p.delegate_clause
            .iter()
            .for_each(|s| push("delegate_clause", s));
        for rule in &p.delegates {
            push("delegate position", &rule.position);
            rule.delegates.iter().for_each(|d| push("delegate", d));
        }
        if let Some(tc) = &p.teacher_certification {
            tc.set_by
                .iter()
                .for_each(|s| push("certification set_by", s));
            tc.method
                .iter()
                .for_each(|s| push("certification method", s));
            push("certification clause", &tc.clause);
        }
        p.departing_teacher_account
            .iter()
            .for_each(|s| push("departing_teacher_account", s));
        for cap in p.caps.each().into_iter().flatten() {
            push(
                "cap clause",
                cap.clause.as_deref().expect("school cap has a clause"),
            );
            cap.exclusions
                .iter()
                .for_each(|s| push("cap exclusions", s));
        }
        p.lead_clause.iter().for_each(|s| push("lead_clause", s));
        if let Some(s) = &p.schedule {
            s.set_by.iter().for_each(|u| push("schedule set_by", u));
            s.published_on
                .iter()
                .for_each(|u| push("schedule published_on", u));
            push("schedule clause", &s.clause);
        }
        if let Some(r) = &p.retention {
            r.counted_from
                .iter()
                .for_each(|s| push("retention counted_from", s));
            push("retention clause", &r.clause);
        }
        for t in &p.trainings {
            push("training name", &t.name);
            t.units.iter().for_each(|u| push("training unit", u));
            t.combined_with
                .iter()
                .for_each(|s| push("training combined_with", s));
            t.content.iter().for_each(|s| push("training content", s));
            push("training clause", &t.clause);
        }
        let c = &p.confirmation;
        c.rule.iter().for_each(|s| push("confirmation rule", s));
        c.window.iter().for_each(|s| push("confirmation window", s));
        c.discrepancy
            .iter()
            .for_each(|s| push("confirmation discrepancy", s));
        p.leaver_notice_by
            .iter()
            .for_each(|s| push("leaver_notice_by", s));
        p.leaver_notice_clause
            .iter()
            .for_each(|s| push("leaver_notice_clause", s));
        for table in &p.division {
            table.title.iter().for_each(|s| push("division title", s));
            table
                .history
                .iter()
                .for_each(|s| push("division history", s));
            for row in &table.rows {
                row.area.iter().for_each(|s| push("division area", s));
                row.item.iter().for_each(|s| push("division item", s));
                row.units.iter().for_each(|s| push("division unit", s));
                push("division task", &row.task);
            }
        }
        p.status_change_rule
            .iter()
            .for_each(|s| push("status_change_rule", s));
        p.evaluation.iter().for_each(|s| push("evaluation", s));
        p.contingency.iter().for_each(|s| push("contingency", s));
        q
    }

    #[test]
    fn all_four_parse_in_order() {
        let all = all();
        let got: Vec<&str> = all.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(got, ["fengshan", "taitung", "yuren", "jingxin"]);
        assert_eq!(keys(), ["fengshan", "taitung", "yuren", "jingxin"]);
        // Each file's `key` matches the name it is embedded under.
        for (key, src) in SOURCES {
            let p = Preset::from_toml(src).unwrap_or_else(|e| panic!("{key}.toml: {e}"));
            assert_eq!(p.key, key);
        }
    }

    #[test]
    fn by_key_finds_each_and_rejects_unknown() {
        for key in keys() {
            assert_eq!(by_key(key).map(|p| p.key), Some(key.to_string()));
        }
        assert!(by_key("nope").is_none());
        assert!(by_key("").is_none());
    }

    #[test]
    fn unknown_field_is_rejected() {
        // A misspelt key in a preset file is an error, not silently dropped data.
        let src = format!("lead_dayz = 7\n{}", SOURCES[0].1);
        let err = Preset::from_toml(&src).expect_err("unknown key must be rejected");
        assert!(err.to_string().contains("lead_dayz"), "{err}");
    }

    #[test]
    fn seat_counts_and_officers() {
        let expected = [
            ("fengshan", 19),
            ("taitung", 17),
            ("yuren", 9),
            ("jingxin", 13),
        ];
        for (key, count) in expected {
            let p = preset(key);
            assert_eq!(p.seat_count(), count, "{key}");
            let conveners: Vec<_> = p
                .seats
                .iter()
                .filter(|s| s.role == SeatRole::Convener)
                .collect();
            let secretaries: Vec<_> = p
                .seats
                .iter()
                .filter(|s| s.role == SeatRole::Secretary)
                .collect();
            assert_eq!(conveners.len(), 1, "{key}: one convener");
            assert_eq!(secretaries.len(), 1, "{key}: one secretary");
            assert_eq!(
                p.convener().map(|s| s.title.as_str()),
                Some("校長"),
                "{key}"
            );
            assert_eq!(
                p.secretary().map(|s| s.title.as_str()),
                Some("教務主任"),
                "{key}"
            );
            assert_eq!(p.meetings_per_semester, Some(1), "{key}");
        }
    }

    #[test]
    fn seat_kind_follows_the_title() {
        // 代表 seats are representatives; every other seat is held by position.
        for p in all() {
            for seat in &p.seats {
                let expected = if seat.title.contains("代表") {
                    SeatKind::Representative
                } else {
                    SeatKind::ExOfficio
                };
                assert_eq!(seat.kind, expected, "{}: {}", p.key, seat.title);
            }
        }
    }

    #[test]
    fn every_quote_is_verbatim_in_its_regulation() {
        for p in all() {
            let text = text_of(&p.key);
            for (what, quote) in quotes(&p) {
                assert_quoted(text, &format!("{}: {what}", p.key), &quote);
            }
        }
    }

    #[test]
    fn committee_duties_come_from_the_committee_clause_in_its_order() {
        for p in all() {
            if !p.standing_agenda.is_empty() {
                // The text lists its own items; nothing is derived from the clause.
                assert!(p.committee_duties.is_empty(), "{}", p.key);
                continue;
            }
            assert!(!p.committee_duties.is_empty(), "{}: no duties", p.key);
            let clause = squash(p.committee_clause.as_deref().unwrap_or_default());
            let mut from = 0;
            for d in &p.committee_duties {
                let at = clause[from..].find(&squash(d)).unwrap_or_else(|| {
                    panic!("{}: {d:?} not in the clause after byte {from}", p.key)
                });
                from += at + squash(d).len();
            }
        }
    }

    #[test]
    fn every_standing_item_has_its_topics_and_no_topic_names_another_item() {
        for p in all() {
            let items: Vec<&String> = p
                .standing_agenda
                .iter()
                .chain(&p.committee_duties)
                .collect();
            for i in &items {
                assert!(
                    p.agenda_topics.contains_key(*i),
                    "{}: {i:?} has no topics",
                    p.key
                );
            }
            for k in p.agenda_topics.keys() {
                assert!(
                    items.contains(&k),
                    "{}: topics for {k:?}, no such item",
                    p.key
                );
            }
        }
    }

    #[test]
    fn every_clause_has_no_stray_whitespace_at_the_ends() {
        for p in all() {
            for (what, quote) in quotes(&p) {
                assert_eq!(quote.trim(), quote, "{}: {what}", p.key);
            }
        }
    }

    #[test]
    fn fengshan_matches_its_regulation() {
        let p = preset("fengshan");
        let text = text_of("fengshan");
        assert_eq!(p.school_name, "國立鳳山高級商工職業學校");
        assert!(text.contains("合計 19 人組成"));
        assert_eq!(p.seat_count(), 19);
        assert!(text.contains("校長擔任召集人，教務主任為執行秘書"));
        assert!(text.contains("每學期至少召開一次會議"));
        assert_eq!(
            seat_titles(&p),
            [
                "校長",
                "教務主任",
                "學務主任",
                "輔導主任",
                "實習主任",
                "進修部主任",
                "教學組長",
                "註冊組長",
                "設備組長",
                "訓育組長",
                "活動組長",
                "生輔組長",
                "進修部註冊組長",
                "進修部學務組長",
                "課程諮詢教師代表",
                "導師代表",
                "教師代表",
                "家長代表",
                "學生代表",
            ]
        );
        assert_eq!(
            p.regulation.history.last().map(String::as_str),
            Some("111.8.29 校務會議通過")
        );

        // The appendix (附件) lists 15 職稱/代理人 lines; each is one row here, in order.
        assert_eq!(p.delegates.len(), 15);
        for rule in &p.delegates {
            assert_eq!(rule.delegates.len(), 1, "{}", rule.position);
            let line = format!("{} {}", rule.position, rule.delegates[0]);
            assert!(text.contains(&line), "appendix line {line:?}");
        }
        let d = |pos: &str| p.delegates_of(pos).map(|v| v[0].as_str());
        assert_eq!(d("校長"), Some("教務主任"));
        // The cycles are kept as written.
        assert_eq!(d("教學組長"), Some("註冊組長"));
        assert_eq!(d("註冊組長"), Some("設備組長"));
        assert_eq!(d("設備組長"), Some("教學組長"));
        assert_eq!(d("訓育組長"), Some("活動組長"));
        assert_eq!(d("活動組長"), Some("生輔組長"));
        assert_eq!(d("生輔組長"), Some("訓育組長"));
        assert_eq!(d("輔導主任"), Some("實習主任"));
        assert_eq!(d("實習主任"), Some("輔導主任"));
        assert_eq!(d("課程諮詢教師代表"), Some("課程諮詢教師"));
        assert_eq!(p.delegate_source.as_deref(), Some("工作小組"));

        let caps = &p.caps;
        assert_eq!(
            caps.course_outcomes_selected_per_year
                .as_ref()
                .map(|c| c.max),
            Some(6)
        );
        assert_eq!(
            caps.diverse_performances_selected_per_year
                .as_ref()
                .map(|c| c.max),
            Some(10)
        );
        assert!(caps.course_outcomes_uploaded_per_semester.is_none());
        assert!(caps.diverse_performances_uploaded_per_year.is_none());

        assert_eq!(p.lead_days, None);
        assert_eq!(p.retention, None);
        assert!(p.standing_agenda.is_empty());

        assert!(p.confirmation.silence_means_confirmed);
        assert!(
            p.confirmation
                .rule
                .as_deref()
                .is_some_and(|r| r.contains("視為已確認"))
        );
        assert_eq!(
            p.leaver_notice,
            [NoticeMethod::PaperMail, NoticeMethod::Email]
        );
        assert!(text.contains("紙本郵寄或電子郵件"));
        assert_eq!(p.leaver_notice_by, ["教務處", "進修部"]);

        // 六、(一) 得 … 辦理一次 / (二) 至少 / (三) 得結合 … 至少.
        assert_eq!(p.trainings.len(), 3);
        let [students, teachers, parents] = &p.trainings[..] else {
            unreachable!()
        };
        assert_eq!(students.name, "學生訓練");
        assert!(!students.required);
        assert_eq!(students.frequency, Frequency::PerSemester);
        assert_eq!(
            (students.count, students.count_is_minimum),
            (Some(1), false)
        );
        assert_eq!(students.units, ["輔導室"]);
        assert_eq!(teachers.name, "教師研習");
        assert!(teachers.required);
        assert_eq!(teachers.frequency, Frequency::PerAcademicYear);
        assert_eq!((teachers.count, teachers.count_is_minimum), (Some(1), true));
        assert_eq!(teachers.units, ["教務處"]);
        assert_eq!(parents.name, "親師說明");
        assert!(parents.required);
        assert_eq!(parents.units, ["學務處"]);
        assert_eq!(parents.combined_with.as_deref(), Some("學校親師活動"));

        let tc = p.teacher_certification.as_ref().expect("八、(二)2");
        assert_eq!(tc.set_by.as_deref(), Some("工作小組"));
        assert!(p.departing_teacher_account.is_some());
    }

    #[test]
    fn taitung_matches_its_regulation() {
        let p = preset("taitung");
        let text = text_of("taitung");
        assert_eq!(p.school_name, "國立臺東高級中學");
        assert!(text.contains("合計 17 人組成"));
        assert_eq!(p.seat_count(), 17);
        // 各年級級導師 = one grade lead per grade, three seats.
        assert!(text.contains("各年級級導師"));
        let grade_leads: Vec<&str> = p
            .seats
            .iter()
            .filter(|s| s.as_written.as_deref() == Some("各年級級導師"))
            .map(|s| s.title.as_str())
            .collect();
        assert_eq!(grade_leads, ["高一級導師", "高二級導師", "高三級導師"]);
        assert!(p.seats.iter().any(|s| s.title == "課程諮詢教師召集人"));
        assert_eq!(p.regulation.history.len(), 8);

        // 代理人代理順位:學習歷程協行教師→註冊組長→註冊組幹事
        let chain = "學習歷程協行教師→註冊組長→註冊組幹事";
        assert!(text.contains(chain));
        assert_eq!(p.delegates.len(), 1);
        let rule = &p.delegates[0];
        let written: Vec<&str> = std::iter::once(rule.position.as_str())
            .chain(rule.delegates.iter().map(String::as_str))
            .collect();
        assert_eq!(written.join("→"), chain);
        assert_eq!(p.delegate_source.as_deref(), Some("工作小組"));

        let tc = p.teacher_certification.as_ref().expect("六、(二)1");
        assert_eq!(tc.method.as_deref(), Some("以會議或簽呈方式處理"));
        assert_eq!(tc.set_by.as_deref(), Some("工作小組"));
        assert!(p.departing_teacher_account.is_some());

        assert!(text.contains("一週前完成檢核"));
        assert_eq!(p.lead_days, Some(7));

        let r = p.retention.as_ref().expect("五、(二)4");
        assert!(text.contains("封存 5 年"));
        assert_eq!(r.years, 5);
        assert_eq!(r.subject, RetentionSubject::Graduates);
        assert!(r.sealed_during);
        assert_eq!(r.on_expiry, RetentionAction::MayDelete);
        assert_eq!(r.counted_from, None);

        let caps = &p.caps;
        assert!(text.contains("至多十件"));
        assert_eq!(
            caps.course_outcomes_uploaded_per_semester
                .as_ref()
                .map(|c| c.max),
            Some(10)
        );
        assert_eq!(
            caps.course_outcomes_selected_per_year
                .as_ref()
                .map(|c| c.max),
            Some(6)
        );
        assert_eq!(
            caps.diverse_performances_selected_per_year
                .as_ref()
                .map(|c| c.max),
            Some(10)
        );
        assert!(caps.diverse_performances_uploaded_per_year.is_none());

        assert!(!p.confirmation.silence_means_confirmed);
        assert_eq!(p.leaver_notice, [NoticeMethod::PaperMail]);
        assert!(text.contains("紙本郵寄方式"));
        assert!(p.standing_agenda.is_empty());

        // 分工內容表: its own history and the rows of the appendix.
        let table = p
            .division
            .iter()
            .find(|t| t.title.is_some())
            .expect("分工內容表");
        assert_eq!(table.history.len(), 4);
        assert!(
            table
                .rows
                .iter()
                .any(|r| r.units == ["技術服務組"] && r.task.contains("資料備份"))
        );
        assert!(p.trainings.iter().all(|t| t.required));
        assert!(
            p.trainings
                .iter()
                .any(|t| t.name == "教師研習" && t.frequency == Frequency::PerAcademicYear)
        );
    }

    #[test]
    fn yuren_matches_its_regulation() {
        let p = preset("yuren");
        let text = text_of("yuren");
        assert_eq!(p.school_name, "臺東縣私立育仁高級中學");
        assert!(text.contains("共9人"));
        assert_eq!(p.seat_count(), 9);
        assert_eq!(
            seat_titles(&p),
            [
                "校長",
                "教務主任",
                "學務主任",
                "家長代表",
                "學生代表",
                "註冊組長",
                "訓育組長",
                "輔導組長",
                "高中級導師",
            ]
        );
        assert!(text.contains("召集人：由校長擔任"));
        assert!(text.contains("執行秘書：由教務主任擔任"));

        // Silent on delegates, teacher certification, confirmation and leavers.
        assert!(p.delegates.is_empty());
        assert_eq!(p.delegate_source, None);
        assert_eq!(p.teacher_certification, None);
        assert!(!p.confirmation.silence_means_confirmed);
        assert!(p.leaver_notice.is_empty());
        assert!(p.standing_agenda.is_empty());

        assert!(text.contains("二週前完成"));
        assert_eq!(p.lead_days, Some(14));

        let r = p.retention.as_ref().expect("肆、四");
        assert!(text.contains("申請入大專校院起五年後"));
        assert_eq!(r.years, 5);
        assert_eq!(r.counted_from.as_deref(), Some("申請入大專校院"));
        assert_eq!(r.on_expiry, RetentionAction::Seal);

        let caps = &p.caps;
        assert!(text.contains("每學期至多三"));
        assert_eq!(
            caps.course_outcomes_uploaded_per_semester
                .as_ref()
                .map(|c| c.max),
            Some(3)
        );
        assert_eq!(
            caps.diverse_performances_uploaded_per_year
                .as_ref()
                .map(|c| c.max),
            Some(10)
        );
        assert!(
            caps.diverse_performances_uploaded_per_year
                .as_ref()
                .is_some_and(|c| c.exclusions.is_some())
        );
        // The selection caps are not in 育仁's text: only the national rule supplies them.
        assert!(caps.course_outcomes_selected_per_year.is_none());
        assert!(caps.diverse_performances_selected_per_year.is_none());
        let eff = p.effective_caps();
        let sel = eff.course_outcomes_selected_per_year.expect("national");
        assert_eq!((sel.max, sel.source), (6, CapSource::National));

        // 陸: 學生訓練 得 (optional); 教師研習 每學期至少; 親師說明 每學期得結合…至少.
        let by_name = |n: &str| p.trainings.iter().find(|t| t.name == n).expect(n);
        assert!(!by_name("學生訓練").required);
        let teachers = by_name("教師研習");
        assert!(teachers.required && teachers.count_is_minimum);
        assert_eq!(teachers.frequency, Frequency::PerSemester);
        assert_eq!(by_name("親師說明").units, ["輔導處"]);
    }

    #[test]
    fn jingxin_matches_its_regulation() {
        let p = preset("jingxin");
        let text = text_of("jingxin");
        assert_eq!(p.school_name, "臺北市私立靜心高級中學");
        assert!(text.contains("合計 13 人組成"));
        assert_eq!(p.seat_count(), 13);
        assert!(text.contains("每學期應至少召開一次"));

        let agenda = [
            "(一)各項工作作業期程及分工權責。",
            "(二)學生學習歷程檔案資料建置之方式。",
            "(三)學習歷程學校平臺運作及管理。",
            "(四)學生訓練、教師研習、親師說明會等。",
            "(五)成效評核及獎勵。",
            "(六)其他推動及宣導事項。",
        ];
        assert_eq!(p.standing_agenda.len(), 6);
        for (item, line) in p.standing_agenda.iter().zip(agenda) {
            assert!(text.contains(line), "{line}");
            assert!(line.contains(item.as_str()), "{item} in {line}");
        }

        // No delegate table: the personnel office keeps the list.
        assert!(p.delegates.is_empty());
        assert_eq!(p.delegate_source.as_deref(), Some("人事室"));
        assert!(text.contains("人事室訂定代理人名單"));

        let r = p.retention.as_ref().expect("八");
        assert!(text.contains("保存1年"));
        assert_eq!(r.years, 1);
        assert_eq!(r.subject, RetentionSubject::Leavers);
        assert_eq!(r.on_expiry, RetentionAction::MayDelete);

        assert_eq!(p.lead_days, None);
        let caps = &p.caps;
        assert_eq!(
            caps.course_outcomes_selected_per_year
                .as_ref()
                .map(|c| c.max),
            Some(6)
        );
        assert_eq!(
            caps.diverse_performances_selected_per_year
                .as_ref()
                .map(|c| c.max),
            Some(10)
        );
        // "每學期其上傳件數依學校規定": no number in the text.
        assert!(caps.course_outcomes_uploaded_per_semester.is_none());
        assert!(caps.diverse_performances_uploaded_per_year.is_none());

        assert!(!p.confirmation.silence_means_confirmed);
        assert!(p.leaver_notice.is_empty());
        let schedule = p.schedule.as_ref().expect("四");
        assert!(schedule.self_check);
        assert_eq!(schedule.set_by, ["教務處"]);

        assert!(p.trainings.iter().all(|t| t.required && t.count_is_minimum));
        assert!(
            p.trainings
                .iter()
                .all(|t| t.frequency == Frequency::PerAcademicYear && t.count == Some(1))
        );
    }

    #[test]
    fn silent_fields_stay_empty() {
        // Only 鳳山 has the silence rule; only 鳳山 and 臺東 say how leavers are told.
        for p in all() {
            let silence = p.key == "fengshan";
            assert_eq!(p.confirmation.silence_means_confirmed, silence, "{}", p.key);
            assert_eq!(p.confirmation.rule.is_some(), silence, "{}", p.key);
            assert_eq!(
                p.leaver_notice.is_empty(),
                !matches!(p.key.as_str(), "fengshan" | "taitung"),
                "{}",
                p.key
            );
        }
    }

    #[test]
    fn effective_caps_keep_school_values() {
        for p in all() {
            let eff = p.effective_caps();
            for (school, eff) in [
                (
                    &p.caps.course_outcomes_selected_per_year,
                    &eff.course_outcomes_selected_per_year,
                ),
                (
                    &p.caps.diverse_performances_selected_per_year,
                    &eff.diverse_performances_selected_per_year,
                ),
            ] {
                match school {
                    Some(cap) => assert_eq!(eff.as_ref(), Some(cap)),
                    None => assert_eq!(eff.as_ref().map(|c| c.source), Some(CapSource::National)),
                }
            }
            assert_eq!(
                eff.course_outcomes_uploaded_per_semester,
                p.caps.course_outcomes_uploaded_per_semester
            );
        }
    }

    #[test]
    fn serde_json_round_trip() {
        for p in all() {
            let json = serde_json::to_string(&p).expect("serialize");
            let back: Preset = serde_json::from_str(&json).expect("deserialize");
            assert_eq!(back, p, "{}", p.key);
        }
    }
}
