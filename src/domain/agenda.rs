//! The agenda builder (議程): the preset's standing report items, the short
//! factual reports generated under them from live data, and the document one
//! printed agenda or set of minutes is made from.
//!
//! Pure: the store gathers [`AgendaFacts`] with SQL aggregates, the exporter
//! in `io::agenda_export` prints an [`AgendaDoc`]. Report texts come from the
//! string files (`agenda.toml`) in the current UI language; dates in the
//! chosen [`DateStyle`].

use chrono::NaiveDate;

use crate::domain::calendar::TrainingRule;
pub use crate::domain::meeting::Section;
use crate::domain::preset::{self, AgendaTopic, Preset};
use crate::domain::receipt::Category;
use crate::domain::roc::{DateStyle, Term, format_date};
use crate::i18n::{tr, trf};

/// How many rows a report names at most ("top rows"); the store asks for
/// this many.
pub const TOP: usize = 5;

// ---------------------------------------------------------------------------
// Standing items
// ---------------------------------------------------------------------------

/// One standing report item of the agenda, with the live reports that go
/// under it (none: the secretary reports by hand).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StandingItem {
    pub title: String,
    pub topics: Vec<AgendaTopic>,
}

/// The preset's standing items in the regulation's order: the items its text
/// lists (靜心's six `standing_agenda`), else the duties its committee clause
/// names (`committee_duties`). A preset stored by an older version (without
/// the agenda fields) takes them from the embedded preset of the same key.
pub fn standing_items(p: &Preset) -> Vec<StandingItem> {
    let embedded;
    let src = if p.agenda_topics.is_empty() && p.committee_duties.is_empty() {
        match preset::by_key(&p.key) {
            Some(e) => {
                embedded = e;
                &embedded
            }
            None => p,
        }
    } else {
        p
    };
    let titles = if src.standing_agenda.is_empty() {
        &src.committee_duties
    } else {
        &src.standing_agenda
    };
    titles
        .iter()
        .map(|t| StandingItem {
            title: t.clone(),
            topics: src.agenda_topics.get(t).cloned().unwrap_or_default(),
        })
        .collect()
}

/// The code of one topic as an agenda item stores it (`agenda_item.topic`,
/// see `domain::meeting::topic`); People is two: roster and delegates.
fn topic_codes(t: AgendaTopic) -> &'static [&'static str] {
    match t {
        AgendaTopic::Schedule => &["schedule"],
        AgendaTopic::Checklists => &["checklist"],
        AgendaTopic::Receipts => &["receipts"],
        AgendaTopic::People => &["roster", "delegates"],
        AgendaTopic::Trainings => &["trainings"],
        AgendaTopic::Decisions => &["decisions"],
    }
}

/// The stored key of a standing item's topics: codes joined by commas
/// (`schedule,roster,delegates`); `None` when it has no live report.
pub fn topic_key(topics: &[AgendaTopic]) -> Option<String> {
    let codes: Vec<&str> = topics
        .iter()
        .flat_map(|t| topic_codes(*t))
        .copied()
        .collect();
    (!codes.is_empty()).then(|| codes.join(","))
}

/// The topics of a stored key, in order, each once (unknown codes are
/// left out: an item whose topic this version does not know keeps its body).
pub fn parse_topics(key: &str) -> Vec<AgendaTopic> {
    let mut out = Vec::new();
    for code in key.split(',').map(str::trim) {
        let t = match code {
            "schedule" => AgendaTopic::Schedule,
            "checklist" | "checklists" => AgendaTopic::Checklists,
            "receipts" => AgendaTopic::Receipts,
            "roster" | "delegates" | "people" => AgendaTopic::People,
            "trainings" => AgendaTopic::Trainings,
            "decisions" => AgendaTopic::Decisions,
            _ => continue,
        };
        if !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Facts
// ---------------------------------------------------------------------------

/// A calendar window named in a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WindowRow {
    pub title: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// A checklist item or decision named in a report: what, who, by when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueRow {
    pub title: String,
    pub units: Vec<String>,
    pub due: Option<NaiveDate>,
}

/// Open discrepancies of one unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitCount {
    pub unit: String,
    pub open: usize,
    pub overdue: usize,
}

/// The receipt round of one term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptFacts {
    pub term: Term,
    pub students: usize,
    pub confirmed: usize,
    pub deemed: usize,
    pub disputed: usize,
    pub unconfirmed: usize,
    /// Last day of the confirmation window, if one is set.
    pub window_end: Option<NaiveDate>,
    pub open: usize,
    pub overdue: usize,
    /// Most open first.
    pub by_unit: Vec<UnitCount>,
    /// Open discrepancies per category, most first.
    pub by_category: Vec<(Category, usize)>,
}

/// The committee roster of the academic year.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RosterFacts {
    pub year: i32,
    pub seats: usize,
    /// Titles of the seats no active member holds.
    pub vacant: Vec<String>,
    /// (seat title, name) of members who have left the school.
    pub left: Vec<(String, String)>,
}

/// A required training with too few sessions on the calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainingGap {
    pub name: String,
    pub units: Vec<String>,
    pub per_semester: bool,
    pub need: u32,
    pub have: u32,
}

/// Everything the live reports say, gathered by the store
/// (`Store::agenda_facts`): counts and the top rows only.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AgendaFacts {
    /// The day the reports are made.
    pub today: NaiveDate,
    /// The end of the look-ahead: the next meeting (or the term's end).
    pub until: NaiveDate,
    pub year: i32,
    /// Windows open at some point from `today` to `until`, not done.
    pub windows_ahead: usize,
    pub windows_ahead_top: Vec<WindowRow>,
    /// Windows of the academic year past their last day and not done.
    pub windows_overdue: usize,
    pub windows_overdue_top: Vec<WindowRow>,
    /// Checklist items of the year that apply, and those done.
    pub checklist_total: usize,
    pub checklist_done: usize,
    pub checklist_overdue: usize,
    /// Overdue items per unit, most first.
    pub checklist_overdue_by_unit: Vec<(String, usize)>,
    /// The longest overdue items.
    pub checklist_overdue_top: Vec<DueRow>,
    pub receipts: Option<ReceiptFacts>,
    pub roster: Option<RosterFacts>,
    /// Positions no one can act for today.
    pub no_one_can_act: Vec<String>,
    /// Teachers with items to certify and no substitute today.
    pub no_cert_substitute: Vec<String>,
    pub trainings_missing: Vec<TrainingGap>,
    /// Decisions of earlier meetings not yet done.
    pub open_decisions: usize,
    pub open_decisions_overdue: usize,
    pub open_decisions_top: Vec<DueRow>,
}

/// The required trainings not scheduled enough: `rules` from the preset,
/// `scheduled` the training windows of the academic year as (term, title,
/// units). Per-semester rules are judged for `term`, yearly ones for the
/// year.
pub fn training_gaps(
    rules: &[TrainingRule],
    scheduled: &[(Term, String, Vec<String>)],
    term: Term,
) -> Vec<TrainingGap> {
    rules
        .iter()
        .filter_map(|r| {
            let have = scheduled
                .iter()
                .filter(|(t, title, units)| {
                    (if r.per_semester {
                        *t == term
                    } else {
                        t.year == term.year
                    }) && r.matches(title, units)
                })
                .count() as u32;
            (have < r.count).then(|| TrainingGap {
                name: r.name.clone(),
                units: r.units.clone(),
                per_semester: r.per_semester,
                need: r.count,
                have,
            })
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Reports
// ---------------------------------------------------------------------------

/// Names joined with the list separator; "… and N more" when `total` is
/// larger than what is named.
fn listing(names: &[String], total: usize) -> String {
    let mut s = names.join(tr("agenda.sep"));
    if total > names.len() {
        s.push_str(&trf(
            "agenda.more",
            &[("n", (total - names.len()).to_string())],
        ));
    }
    s
}

/// One counted line: the string `key` filled with `args`, the count `n`
/// and `list`, the top rows (`row` of each) with "and N more".
fn counted<T>(
    key: &str,
    total: usize,
    top: &[T],
    row: impl Fn(&T) -> String,
    args: &[(&str, String)],
) -> String {
    let names: Vec<String> = top.iter().map(row).collect();
    let mut all = args.to_vec();
    all.push(("n", total.to_string()));
    all.push(("list", listing(&names, total)));
    trf(key, &all)
}

fn window_row(w: &WindowRow, style: DateStyle) -> String {
    trf(
        "agenda.window_row",
        &[
            ("title", w.title.clone()),
            ("end", format_date(w.end, style)),
        ],
    )
}

fn due_row(r: &DueRow, style: DateStyle) -> String {
    let who = r.units.join(tr("agenda.sep"));
    match (who.is_empty(), r.due) {
        (false, Some(d)) => trf(
            "agenda.due_row_both",
            &[
                ("title", r.title.clone()),
                ("who", who),
                ("due", format_date(d, style)),
            ],
        ),
        (true, Some(d)) => trf(
            "agenda.due_row_due",
            &[("title", r.title.clone()), ("due", format_date(d, style))],
        ),
        (false, None) => trf(
            "agenda.due_row_who",
            &[("title", r.title.clone()), ("who", who)],
        ),
        (true, None) => r.title.clone(),
    }
}

/// The report under one topic: a few short lines with counts and the top
/// rows, e.g. 「至 115.12.15 前進行中或將開始的作業期程 4 項：…」.
pub fn report(topic: AgendaTopic, f: &AgendaFacts, style: DateStyle) -> String {
    let mut lines: Vec<String> = Vec::new();
    match topic {
        AgendaTopic::Schedule => {
            let until = format_date(f.until, style);
            if f.windows_ahead == 0 {
                lines.push(trf("agenda.ahead_none", &[("until", until)]));
            } else {
                lines.push(counted(
                    "agenda.ahead",
                    f.windows_ahead,
                    &f.windows_ahead_top,
                    |w| window_row(w, style),
                    &[("until", until)],
                ));
            }
            if f.windows_overdue == 0 {
                lines.push(tr("agenda.late_none").to_string());
            } else {
                lines.push(counted(
                    "agenda.late",
                    f.windows_overdue,
                    &f.windows_overdue_top,
                    |w| window_row(w, style),
                    &[],
                ));
            }
        }
        AgendaTopic::Checklists => {
            if f.checklist_total == 0 {
                lines.push(trf("agenda.ck_none", &[("year", f.year.to_string())]));
            } else {
                lines.push(trf(
                    "agenda.ck_progress",
                    &[
                        ("year", f.year.to_string()),
                        ("done", f.checklist_done.to_string()),
                        ("total", f.checklist_total.to_string()),
                    ],
                ));
                if f.checklist_overdue == 0 {
                    lines.push(tr("agenda.ck_late_none").to_string());
                } else {
                    let units: Vec<String> = f
                        .checklist_overdue_by_unit
                        .iter()
                        .map(|(u, n)| {
                            trf(
                                "agenda.unit_n",
                                &[("unit", u.clone()), ("n", n.to_string())],
                            )
                        })
                        .collect();
                    lines.push(counted(
                        "agenda.ck_late",
                        f.checklist_overdue,
                        &f.checklist_overdue_top,
                        |r| due_row(r, style),
                        &[("units", units.join(tr("agenda.sep")))],
                    ));
                }
            }
        }
        AgendaTopic::Receipts => match &f.receipts {
            None => lines.push(tr("agenda.rc_none").to_string()),
            Some(r) => {
                let window = match r.window_end {
                    Some(d) => trf("agenda.rc_window", &[("end", format_date(d, style))]),
                    None => tr("agenda.rc_no_window").to_string(),
                };
                lines.push(trf(
                    "agenda.rc_progress",
                    &[
                        ("term", r.term.to_string()),
                        ("students", r.students.to_string()),
                        ("confirmed", r.confirmed.to_string()),
                        ("deemed", r.deemed.to_string()),
                        ("disputed", r.disputed.to_string()),
                        ("unconfirmed", r.unconfirmed.to_string()),
                        ("window", window),
                    ],
                ));
                if r.open == 0 {
                    lines.push(tr("agenda.disc_none").to_string());
                } else {
                    let units: Vec<String> = r
                        .by_unit
                        .iter()
                        .map(|u| {
                            if u.overdue > 0 {
                                trf(
                                    "agenda.unit_n_late",
                                    &[
                                        ("unit", u.unit.clone()),
                                        ("n", u.open.to_string()),
                                        ("late", u.overdue.to_string()),
                                    ],
                                )
                            } else {
                                trf(
                                    "agenda.unit_n",
                                    &[("unit", u.unit.clone()), ("n", u.open.to_string())],
                                )
                            }
                        })
                        .collect();
                    let cats: Vec<String> = r
                        .by_category
                        .iter()
                        .map(|(c, n)| {
                            trf(
                                "agenda.unit_n",
                                &[
                                    ("unit", tr(c.label_key()).to_string()),
                                    ("n", n.to_string()),
                                ],
                            )
                        })
                        .collect();
                    lines.push(trf(
                        "agenda.disc",
                        &[
                            ("open", r.open.to_string()),
                            ("late", r.overdue.to_string()),
                            ("units", units.join(tr("agenda.sep"))),
                            ("cats", cats.join(tr("agenda.sep"))),
                        ],
                    ));
                }
            }
        },
        AgendaTopic::People => {
            match &f.roster {
                None => lines.push(trf("agenda.roster_none", &[("year", f.year.to_string())])),
                Some(r) => {
                    if r.vacant.is_empty() {
                        lines.push(trf(
                            "agenda.roster_full",
                            &[("year", r.year.to_string()), ("seats", r.seats.to_string())],
                        ));
                    } else {
                        lines.push(trf(
                            "agenda.roster_vacant",
                            &[
                                ("year", r.year.to_string()),
                                ("seats", r.seats.to_string()),
                                ("n", r.vacant.len().to_string()),
                                ("list", r.vacant.join(tr("agenda.sep"))),
                            ],
                        ));
                    }
                    if !r.left.is_empty() {
                        let names: Vec<String> = r
                            .left
                            .iter()
                            .map(|(seat, name)| {
                                trf(
                                    "agenda.left_row",
                                    &[("seat", seat.clone()), ("name", name.clone())],
                                )
                            })
                            .collect();
                        lines.push(trf(
                            "agenda.roster_left",
                            &[("list", names.join(tr("agenda.sep")))],
                        ));
                    }
                }
            }
            if f.no_one_can_act.is_empty() && f.no_cert_substitute.is_empty() {
                lines.push(tr("agenda.cover_ok").to_string());
            }
            if !f.no_one_can_act.is_empty() {
                let top = &f.no_one_can_act[..f.no_one_can_act.len().min(TOP)];
                lines.push(counted(
                    "agenda.no_one",
                    f.no_one_can_act.len(),
                    top,
                    String::clone,
                    &[],
                ));
            }
            if !f.no_cert_substitute.is_empty() {
                let top = &f.no_cert_substitute[..f.no_cert_substitute.len().min(TOP)];
                lines.push(counted(
                    "agenda.no_cert",
                    f.no_cert_substitute.len(),
                    top,
                    String::clone,
                    &[],
                ));
            }
        }
        AgendaTopic::Trainings => {
            if f.trainings_missing.is_empty() {
                lines.push(tr("agenda.train_ok").to_string());
            } else {
                let rows: Vec<String> = f
                    .trainings_missing
                    .iter()
                    .map(|g| {
                        trf(
                            if g.per_semester {
                                "agenda.train_row_term"
                            } else {
                                "agenda.train_row_year"
                            },
                            &[
                                ("name", g.name.clone()),
                                ("units", g.units.join(tr("agenda.sep"))),
                                ("need", g.need.to_string()),
                                ("have", g.have.to_string()),
                            ],
                        )
                    })
                    .collect();
                lines.push(trf(
                    "agenda.train_missing",
                    &[
                        ("n", f.trainings_missing.len().to_string()),
                        ("list", rows.join(tr("agenda.sep"))),
                    ],
                ));
            }
        }
        AgendaTopic::Decisions => {
            if f.open_decisions == 0 {
                lines.push(tr("agenda.dec_none").to_string());
            } else {
                lines.push(counted(
                    "agenda.dec_open",
                    f.open_decisions,
                    &f.open_decisions_top,
                    |r| due_row(r, style),
                    &[("late", f.open_decisions_overdue.to_string())],
                ));
            }
        }
    }
    lines.join("\n")
}

/// The reports of several topics, one after another (the body of a
/// standing item). Empty when the item has no live report.
pub fn reports(topics: &[AgendaTopic], f: &AgendaFacts, style: DateStyle) -> String {
    topics
        .iter()
        .map(|t| report(*t, f, style))
        .collect::<Vec<_>>()
        .join("\n")
}

// ---------------------------------------------------------------------------
// The printed document
// ---------------------------------------------------------------------------

/// Agenda (議程, before the meeting) or minutes (會議紀錄, after).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    Agenda,
    Minutes,
}

/// One person on the attendance list (簽到表).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttendRow {
    /// The seat (職稱), e.g. 註冊組長.
    pub seat: String,
    /// The member's name; empty for a vacant seat.
    pub name: String,
    /// As recorded (出席 / 請假 / 代理出席…), for the minutes; `None` on an
    /// agenda (the sheet is signed at the meeting).
    pub status: Option<String>,
}

/// One item of the agenda as the store holds it (plain data).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ItemInput {
    pub title: String,
    /// Report text or 說明, line by line.
    pub body: String,
    /// 提案單位 (a unit or a person).
    pub proposer: String,
    /// 擬辦.
    pub proposal: String,
    /// 決議 (minutes).
    pub decision: String,
    /// Owner unit of the decision.
    pub owner: String,
    pub due: Option<NaiveDate>,
    pub done: bool,
}

/// One printed item: its number within the section and its fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocItem {
    /// 一、 二、 … (the section's own numbering).
    pub number: usize,
    pub item: ItemInput,
}

/// One printed section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocSection {
    pub section: Section,
    /// 壹、 貳、 … in the printed order.
    pub number: usize,
    pub items: Vec<DocItem>,
}

/// The meeting's header data.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DocHeader {
    pub school_name: String,
    pub committee_name: String,
    pub year: i32,
    /// 第 N 次.
    pub number: u32,
    pub date: NaiveDate,
    /// As entered, e.g. 15:10.
    pub time: String,
    pub place: String,
    pub chair: String,
    /// How the chair was found when the convener cannot act (校長 → 教務主任
    /// …), as `who` shows it; empty when the convener chairs.
    pub chair_path: String,
    pub recorder: String,
}

/// Everything one printed agenda or set of minutes needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaDoc {
    pub kind: DocKind,
    pub header: DocHeader,
    pub attendance: Vec<AttendRow>,
    pub sections: Vec<DocSection>,
    pub style: DateStyle,
}

impl AgendaDoc {
    /// Builds the document from plain data: the items of each section in
    /// their order (missing sections print empty, 臨時動議 always prints).
    pub fn build(
        kind: DocKind,
        header: DocHeader,
        attendance: Vec<AttendRow>,
        items: Vec<(Section, ItemInput)>,
        style: DateStyle,
    ) -> AgendaDoc {
        let sections = Section::ALL
            .iter()
            .enumerate()
            .map(|(n, &sec)| DocSection {
                section: sec,
                number: n + 1,
                items: items
                    .iter()
                    .filter(|(s, _)| *s == sec)
                    .enumerate()
                    .map(|(k, (_, i))| DocItem {
                        number: k + 1,
                        item: i.clone(),
                    })
                    .collect(),
            })
            .collect();
        AgendaDoc {
            kind,
            header,
            attendance,
            sections,
            style,
        }
    }

    /// 「學生學習歷程檔案工作小組 115 學年度第 2 次會議」(+ 紀錄 for minutes).
    pub fn title(&self) -> String {
        let h = &self.header;
        trf(
            match self.kind {
                DocKind::Agenda => "agenda.doc_title",
                DocKind::Minutes => "agenda.doc_title_minutes",
            },
            &[
                ("committee", h.committee_name.clone()),
                ("year", h.year.to_string()),
                ("n", h.number.to_string()),
            ],
        )
    }

    /// The header lines: (label, value), in print order.
    pub fn header_lines(&self) -> Vec<(String, String)> {
        let h = &self.header;
        let mut when = format_date(h.date, self.style);
        if !h.time.trim().is_empty() {
            when.push(' ');
            when.push_str(h.time.trim());
        }
        let mut chair = h.chair.clone();
        if !h.chair_path.trim().is_empty() {
            chair.push_str(&trf(
                "agenda.chair_path",
                &[("path", h.chair_path.trim().to_string())],
            ));
        }
        let blank = |s: &str| {
            if s.trim().is_empty() {
                tr("agenda.unset").to_string()
            } else {
                s.trim().to_string()
            }
        };
        vec![
            (tr("agenda.h_when").to_string(), when),
            (tr("agenda.h_place").to_string(), blank(&h.place)),
            (tr("agenda.h_chair").to_string(), blank(&chair)),
            (tr("agenda.h_recorder").to_string(), blank(&h.recorder)),
        ]
    }

    /// The labelled fields of an item, in print order (empty ones left
    /// out): 提案單位, 說明, 擬辦, and on minutes 決議, 執行單位, 期限.
    pub fn fields(&self, sec: Section, i: &ItemInput) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut push = |key: &str, v: String| {
            if !v.trim().is_empty() {
                out.push((tr(key).to_string(), v.trim().to_string()));
            }
        };
        match sec {
            Section::Motion | Section::Extempore => {
                push("agenda.f_proposer", i.proposer.clone());
                push("agenda.f_body", i.body.clone());
                push("agenda.f_proposal", i.proposal.clone());
            }
            Section::Report => push("agenda.f_report", i.body.clone()),
            Section::Previous => {
                push("agenda.f_carried", i.body.clone());
                push("agenda.f_owner", i.owner.clone());
                push(
                    "agenda.f_due",
                    i.due
                        .map(|d| format_date(d, self.style))
                        .unwrap_or_default(),
                );
                push(
                    "agenda.f_state",
                    tr(if i.done {
                        "agenda.done"
                    } else {
                        "agenda.not_done"
                    })
                    .to_string(),
                );
            }
        }
        if self.kind == DocKind::Minutes {
            push("agenda.f_decision", i.decision.clone());
            if sec != Section::Previous {
                push("agenda.f_owner", i.owner.clone());
                push(
                    "agenda.f_due",
                    i.due
                        .map(|d| format_date(d, self.style))
                        .unwrap_or_default(),
                );
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::CheckRules;
    use crate::i18n::{Lang, set_lang};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn t(year: i32, semester: u8) -> Term {
        Term { year, semester }
    }

    #[test]
    fn jingxin_has_its_six_items_in_the_regulations_order() {
        let p = preset::by_key("jingxin").unwrap();
        let items = standing_items(&p);
        let titles: Vec<&str> = items.iter().map(|i| i.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "各項工作作業期程及分工權責",
                "學生學習歷程檔案資料建置之方式",
                "學習歷程學校平臺運作及管理",
                "學生訓練、教師研習、親師說明會等",
                "成效評核及獎勵",
                "其他推動及宣導事項",
            ]
        );
        assert_eq!(
            items[0].topics,
            [AgendaTopic::Schedule, AgendaTopic::People]
        );
        assert!(items[4].topics.is_empty());
    }

    #[test]
    fn the_other_presets_take_their_committee_duties() {
        for key in ["fengshan", "taitung", "yuren"] {
            let p = preset::by_key(key).unwrap();
            let items = standing_items(&p);
            assert_eq!(items.len(), 6, "{key}");
            assert_eq!(items[0].title, "學生學習歷程檔案建置之方式");
            assert_eq!(items[2].topics, [AgendaTopic::Schedule], "{key}");
            assert_eq!(items[4].topics, [AgendaTopic::Trainings], "{key}");
        }
    }

    #[test]
    fn a_preset_stored_without_agenda_fields_falls_back_to_the_embedded_one() {
        let mut p = preset::by_key("taitung").unwrap();
        p.committee_duties.clear();
        p.agenda_topics.clear();
        assert_eq!(
            standing_items(&p),
            standing_items(&preset::by_key("taitung").unwrap())
        );
    }

    #[test]
    fn topic_keys_go_and_come_back() {
        for p in preset::all() {
            for i in standing_items(&p) {
                match topic_key(&i.topics) {
                    Some(k) => assert_eq!(parse_topics(&k), i.topics, "{k}"),
                    None => assert!(i.topics.is_empty()),
                }
            }
        }
        assert_eq!(parse_topics("delegates, roster"), [AgendaTopic::People]);
        assert_eq!(parse_topics("later,schedule"), [AgendaTopic::Schedule]);
    }

    fn facts() -> AgendaFacts {
        AgendaFacts {
            today: d(2026, 12, 4),
            until: d(2026, 12, 15),
            year: 115,
            windows_ahead: 7,
            windows_ahead_top: vec![
                WindowRow {
                    title: "學生勾選課程學習成果".into(),
                    start: d(2026, 12, 1),
                    end: d(2026, 12, 10),
                },
                WindowRow {
                    title: "教師認證".into(),
                    start: d(2026, 12, 2),
                    end: d(2026, 12, 12),
                },
            ],
            windows_overdue: 2,
            windows_overdue_top: vec![WindowRow {
                title: "學生上傳課程學習成果".into(),
                start: d(2026, 11, 1),
                end: d(2026, 11, 20),
            }],
            checklist_total: 40,
            checklist_done: 31,
            checklist_overdue: 3,
            checklist_overdue_by_unit: vec![("註冊組".into(), 2), ("訓育組".into(), 1)],
            checklist_overdue_top: vec![DueRow {
                title: "核對幹部紀錄".into(),
                units: vec!["訓育組".into()],
                due: Some(d(2026, 11, 30)),
            }],
            receipts: Some(ReceiptFacts {
                term: t(115, 1),
                students: 1200,
                confirmed: 900,
                deemed: 0,
                disputed: 12,
                unconfirmed: 288,
                window_end: Some(d(2026, 12, 20)),
                open: 14,
                overdue: 3,
                by_unit: vec![
                    UnitCount {
                        unit: "註冊組".into(),
                        open: 10,
                        overdue: 3,
                    },
                    UnitCount {
                        unit: "訓育組".into(),
                        open: 4,
                        overdue: 0,
                    },
                ],
                by_category: vec![(Category::CourseOutcomes, 9), (Category::Cadre, 5)],
            }),
            roster: Some(RosterFacts {
                year: 115,
                seats: 13,
                vacant: vec!["家長代表".into()],
                left: vec![("訓育組長".into(), "王小明".into())],
            }),
            no_one_can_act: vec!["註冊組長".into()],
            no_cert_substitute: vec![],
            trainings_missing: vec![TrainingGap {
                name: "系統操作訓練".into(),
                units: vec!["圖資組".into()],
                per_semester: false,
                need: 1,
                have: 0,
            }],
            open_decisions: 1,
            open_decisions_overdue: 0,
            open_decisions_top: vec![DueRow {
                title: "修訂作業期程".into(),
                units: vec!["教務處".into()],
                due: Some(d(2026, 12, 31)),
            }],
        }
    }

    #[test]
    fn the_schedule_report_counts_and_names_the_top_rows() {
        set_lang(Lang::ZhTw);
        let r = report(AgendaTopic::Schedule, &facts(), DateStyle::Roc);
        assert_eq!(
            r,
            "至 115.12.15 前進行中或將開始的作業期程 7 項：學生勾選課程學習成果（115.12.10 截止）、教師認證（115.12.12 截止）等另 5 項。\n\
             逾期未完成的作業期程 2 項：學生上傳課程學習成果（115.11.20 截止）等另 1 項。"
        );
    }

    #[test]
    fn each_topic_reports_its_counts() {
        set_lang(Lang::ZhTw);
        let f = facts();
        let ck = report(AgendaTopic::Checklists, &f, DateStyle::Roc);
        assert!(ck.contains("31/40"), "{ck}");
        assert!(ck.contains("逾期未完成 3 項"), "{ck}");
        assert!(ck.contains("註冊組 2"), "{ck}");
        let rc = report(AgendaTopic::Receipts, &f, DateStyle::Roc);
        assert!(rc.contains("1200"), "{rc}");
        assert!(rc.contains("註冊組 10（逾期 3）"), "{rc}");
        assert!(rc.contains("課程學習成果 9"), "{rc}");
        let pe = report(AgendaTopic::People, &f, DateStyle::Roc);
        assert!(pe.contains("家長代表"), "{pe}");
        assert!(pe.contains("王小明"), "{pe}");
        assert!(pe.contains("註冊組長"), "{pe}");
        let tr_ = report(AgendaTopic::Trainings, &f, DateStyle::Roc);
        assert!(tr_.contains("系統操作訓練"), "{tr_}");
        let de = report(AgendaTopic::Decisions, &f, DateStyle::Roc);
        assert!(de.contains("修訂作業期程（教務處，115.12.31 前）"), "{de}");
    }

    #[test]
    fn nothing_to_report_says_so_in_both_languages() {
        let empty = AgendaFacts {
            until: d(2026, 12, 15),
            year: 115,
            ..Default::default()
        };
        for lang in [Lang::ZhTw, Lang::En] {
            set_lang(lang);
            for topic in [
                AgendaTopic::Schedule,
                AgendaTopic::Checklists,
                AgendaTopic::Receipts,
                AgendaTopic::People,
                AgendaTopic::Trainings,
                AgendaTopic::Decisions,
            ] {
                let r = report(topic, &empty, DateStyle::Roc);
                assert!(!r.trim().is_empty(), "{topic:?}");
                assert!(!r.contains("agenda."), "{topic:?}: missing key in {r}");
            }
        }
        set_lang(Lang::ZhTw);
    }

    #[test]
    fn training_gaps_count_per_term_or_per_year() {
        let rules = CheckRules::from_preset(&preset::by_key("jingxin").unwrap()).trainings;
        let none = training_gaps(&rules, &[], t(115, 1));
        assert_eq!(none.len(), rules.len());
        let scheduled = vec![(
            t(115, 2),
            "系統操作訓練".to_string(),
            vec!["圖資組".to_string()],
        )];
        let gaps = training_gaps(&rules, &scheduled, t(115, 1));
        assert!(!gaps.iter().any(|g| g.name == "系統操作訓練"), "{gaps:?}");
        let gaps = training_gaps(&rules, &scheduled, t(116, 1));
        assert!(gaps.iter().any(|g| g.name == "系統操作訓練"), "{gaps:?}");
    }

    #[test]
    fn the_document_numbers_sections_and_items_and_keeps_empty_extempore() {
        set_lang(Lang::ZhTw);
        let header = DocHeader {
            committee_name: "學生學習歷程檔案工作小組".into(),
            year: 115,
            number: 2,
            date: d(2026, 12, 15),
            chair: "陳校長".into(),
            ..Default::default()
        };
        let items = vec![
            (
                Section::Motion,
                ItemInput {
                    title: "B".into(),
                    ..Default::default()
                },
            ),
            (
                Section::Report,
                ItemInput {
                    title: "A".into(),
                    ..Default::default()
                },
            ),
            (
                Section::Motion,
                ItemInput {
                    title: "C".into(),
                    proposer: "教務處".into(),
                    ..Default::default()
                },
            ),
        ];
        let doc = AgendaDoc::build(DocKind::Agenda, header, vec![], items, DateStyle::Roc);
        assert_eq!(
            doc.title(),
            "學生學習歷程檔案工作小組 115 學年度第 2 次會議"
        );
        assert_eq!(doc.sections.len(), 4);
        assert_eq!(doc.sections[3].section, Section::Extempore);
        assert!(doc.sections[3].items.is_empty());
        let motions = &doc.sections[2].items;
        assert_eq!(
            motions
                .iter()
                .map(|i| (i.number, i.item.title.as_str()))
                .collect::<Vec<_>>(),
            [(1, "B"), (2, "C")]
        );
        let fields = doc.fields(Section::Motion, &motions[1].item);
        assert_eq!(fields, [("提案單位".to_string(), "教務處".to_string())]);
        assert_eq!(doc.header_lines()[2].1, "陳校長");
    }

    #[test]
    fn minutes_show_decisions_owner_and_due_and_the_chair_path() {
        set_lang(Lang::ZhTw);
        let header = DocHeader {
            committee_name: "工作小組".into(),
            year: 115,
            number: 1,
            date: d(2026, 9, 29),
            time: "15:10".into(),
            chair: "林主任".into(),
            chair_path: "校長（請假）→ 教務主任".into(),
            ..Default::default()
        };
        let item = ItemInput {
            title: "修訂期程".into(),
            decision: "照案通過".into(),
            owner: "教務處".into(),
            due: Some(d(2026, 10, 31)),
            ..Default::default()
        };
        let doc = AgendaDoc::build(
            DocKind::Minutes,
            header,
            vec![],
            vec![(Section::Motion, item.clone())],
            DateStyle::Roc,
        );
        assert!(doc.title().ends_with("紀錄"), "{}", doc.title());
        let f = doc.fields(Section::Motion, &item);
        assert!(
            f.contains(&("決議".to_string(), "照案通過".to_string())),
            "{f:?}"
        );
        assert!(
            f.contains(&("期限".to_string(), "115.10.31".to_string())),
            "{f:?}"
        );
        let h = doc.header_lines();
        assert_eq!(h[0].1, "115.09.29 15:10");
        assert_eq!(h[2].1, "林主任（代理：校長（請假）→ 教務主任）");
        assert_eq!(h[1].1, "（未定）");
    }
}
