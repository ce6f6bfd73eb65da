//! Submission checklists (學習歷程工作執行檢核表): per academic year and grade
//! group, items owned by units, with planned windows per semester and a
//! status. Pure rules: templates, due dates, progress, units, the check.
//!
//! # Decisions
//!
//! * A window keeps the text of the 完成日期 column as written (`111.10.`,
//!   `112.02.11~28`, even `112..08.01~10`) and the range read from it when it
//!   reads; a text that does not read is kept and reported by the check.
//! * An item's due date is its linked calendar window's last day when it has
//!   one (so it follows the calendar), else the last day of its latest window.
//!   An item is done once for the year (the printed table has one 執行情形
//!   column); it is overdue when it is neither done nor not applicable and its
//!   due date has passed.
//! * Progress counts done items against all items except those marked not
//!   applicable.
//! * A unit is written as the table writes it (`教務處註冊組`); for counting
//!   and for matching people it is reduced to its working unit (`註冊組`), and
//!   a unit is held by the positions [`unit_positions`] names (`註冊組` → 註冊組長).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::calendar::Grades;
use crate::domain::roc::{DateRange, parse_range, shift_roc_years};

// ---------------------------------------------------------------------------
// Status
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    NotStarted,
    InProgress,
    Done,
    NotApplicable,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::NotStarted,
        Status::InProgress,
        Status::Done,
        Status::NotApplicable,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Status::NotStarted => "not_started",
            Status::InProgress => "in_progress",
            Status::Done => "done",
            Status::NotApplicable => "not_applicable",
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Status::NotStarted => "checklist.status_not_started",
            Status::InProgress => "checklist.status_in_progress",
            Status::Done => "checklist.status_done",
            Status::NotApplicable => "checklist.status_not_applicable",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        let t = s.trim().to_lowercase().replace(['-', ' '], "_");
        Status::ALL
            .iter()
            .copied()
            .find(|st| st.code() == t)
            .or(match t.as_str() {
                "未開始" | "todo" => Some(Status::NotStarted),
                "進行中" | "doing" => Some(Status::InProgress),
                "已完成" | "完成" => Some(Status::Done),
                "不適用" | "na" | "n/a" => Some(Status::NotApplicable),
                _ => None,
            })
    }

    /// `s` cycles: not started → in progress → done → not applicable → …
    pub fn next(self) -> Status {
        match self {
            Status::NotStarted => Status::InProgress,
            Status::InProgress => Status::Done,
            Status::Done => Status::NotApplicable,
            Status::NotApplicable => Status::NotStarted,
        }
    }

    /// Still to do (counts as open, can be overdue).
    pub fn is_open(self) -> bool {
        matches!(self, Status::NotStarted | Status::InProgress)
    }
}

// ---------------------------------------------------------------------------
// Items and checklists
// ---------------------------------------------------------------------------

/// A planned date or window as the table writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    /// The text as written: `111.10.`, `112.02.11~28`, `110.09.-111.02.`.
    pub text: String,
    /// 上 = 1, 下 = 2; absent when the table gives none.
    #[serde(default)]
    pub semester: Option<u8>,
    /// The term label written after it (`111-1`, `110-2`, `110`), if any.
    #[serde(default)]
    pub label: Option<String>,
}

impl Window {
    /// The range the text stands for, when it reads.
    pub fn span(&self) -> Option<DateRange> {
        parse_range(&self.text).ok()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checklist {
    pub id: i64,
    pub year: i32,
    /// The grade group (十、十一年級 = 10,11; 十二年級 = 12).
    pub group: Grades,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub id: i64,
    pub checklist_id: i64,
    /// Order within the checklist (1, 2, …).
    pub position: i64,
    /// 行政規劃, 課程計畫, 教育訓練, 學習歷程登錄/上傳, 學校提交…
    pub section: String,
    pub title: String,
    pub units: Vec<String>,
    pub windows: Vec<Window>,
    /// The calendar window the due date follows.
    pub event_id: Option<i64>,
    pub status: Status,
    pub done_on: Option<NaiveDate>,
    pub done_by: Option<String>,
    pub note: String,
}

impl Item {
    /// The first day of its earliest window that reads.
    pub fn opens(&self) -> Option<NaiveDate> {
        self.windows
            .iter()
            .filter_map(|w| w.span())
            .map(|r| r.start)
            .min()
    }

    /// Due date: the linked calendar window's last day (`linked_end`), else
    /// the last day of its latest window.
    pub fn due(&self, linked_end: Option<NaiveDate>) -> Option<NaiveDate> {
        linked_end.or_else(|| {
            self.windows
                .iter()
                .filter_map(|w| w.span())
                .map(|r| r.end)
                .max()
        })
    }

    pub fn overdue(&self, due: Option<NaiveDate>, today: NaiveDate) -> bool {
        self.status.is_open() && due.is_some_and(|d| d < today)
    }

    /// Open, not yet due, and due within `lead_days` (the unit must finish
    /// its check that many days before the national deadline).
    pub fn within_lead(
        &self,
        due: Option<NaiveDate>,
        today: NaiveDate,
        lead_days: Option<u32>,
    ) -> bool {
        match (due, lead_days) {
            (Some(d), Some(lead)) => {
                self.status.is_open() && d >= today && (d - today).num_days() <= lead as i64
            }
            _ => false,
        }
    }
}

// ---------------------------------------------------------------------------
// Units
// ---------------------------------------------------------------------------

/// Offices whose name prefixes a working unit: 教務處註冊組 → 註冊組.
const OFFICE_PREFIXES: [&str; 6] = ["教務處", "學務處", "輔導處", "總務處", "圖書館", "實習處"];

/// The working unit a written unit stands for: `教務處註冊組` → `註冊組`,
/// `教務處` → `教務處`.
pub fn unit_key(unit: &str) -> String {
    let u = unit.trim();
    for p in OFFICE_PREFIXES {
        if let Some(rest) = u.strip_prefix(p)
            && !rest.trim().is_empty()
        {
            return rest.trim().to_string();
        }
    }
    u.to_string()
}

/// The positions that hold a unit: `註冊組` → 註冊組長; `教務處` → 教務主任;
/// `輔導中心` → 輔導主任; `高中教師` → 教師; `高中班導` / `各班導師` → 導師;
/// `課程諮詢教師` → 課程諮詢教師.
pub fn unit_positions(unit: &str) -> Vec<String> {
    let u = unit_key(unit);
    if u.contains("諮詢教師") {
        return vec!["課程諮詢教師".into()];
    }
    if u.ends_with("班導") || u.ends_with("導師") {
        return vec!["導師".into()];
    }
    if u.ends_with("教師") || u.ends_with("老師") {
        return vec!["教師".into()];
    }
    if let Some(base) = u.strip_suffix('組') {
        return vec![format!("{base}組長")];
    }
    for (suffix, head) in [("處", "主任"), ("室", "主任"), ("中心", "主任")] {
        if let Some(base) = u.strip_suffix(suffix) {
            // 輔導中心 → 輔導主任; 教務處 → 教務主任; 人事室 → 人事主任.
            return vec![format!("{base}{head}"), format!("{u}{head}")];
        }
    }
    vec![u]
}

/// Whether someone with `position` holds `unit` (a teacher position such as
/// 國文教師 holds 教師).
pub fn holds(position: &str, unit: &str) -> bool {
    let p = position.trim();
    unit_positions(unit).iter().any(|want| {
        p == want
            || (want == "教師" && p.ends_with("教師"))
            || (want == "導師" && p.ends_with("導師"))
    })
}

// ---------------------------------------------------------------------------
// Progress
// ---------------------------------------------------------------------------

/// Done against all items that apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tally {
    pub done: usize,
    pub total: usize,
}

impl Tally {
    fn add(&mut self, s: Status) {
        if s != Status::NotApplicable {
            self.total += 1;
        }
        if s == Status::Done {
            self.done += 1;
        }
    }
    pub fn open(&self) -> usize {
        self.total - self.done
    }
    /// 0.0 … 1.0 (1.0 when nothing applies).
    pub fn ratio(&self) -> f64 {
        if self.total == 0 {
            1.0
        } else {
            self.done as f64 / self.total as f64
        }
    }
}

pub fn tally(items: &[&Item]) -> Tally {
    let mut t = Tally::default();
    for i in items {
        t.add(i.status);
    }
    t
}

/// Per section, in the order the sections first appear.
pub fn by_section(items: &[&Item]) -> Vec<(String, Tally)> {
    let mut out: Vec<(String, Tally)> = Vec::new();
    for i in items {
        match out.iter_mut().find(|(s, _)| *s == i.section) {
            Some((_, t)) => t.add(i.status),
            None => {
                let mut t = Tally::default();
                t.add(i.status);
                out.push((i.section.clone(), t));
            }
        }
    }
    out
}

/// Per working unit (an item with three units counts for each), most open
/// items first, then by name.
pub fn by_unit(items: &[&Item]) -> Vec<(String, Tally)> {
    let mut map: BTreeMap<String, Tally> = BTreeMap::new();
    for i in items {
        let mut seen = Vec::new();
        for u in &i.units {
            let k = unit_key(u);
            if seen.contains(&k) {
                continue;
            }
            map.entry(k.clone()).or_default().add(i.status);
            seen.push(k);
        }
    }
    let mut v: Vec<(String, Tally)> = map.into_iter().collect();
    v.sort_by(|a, b| b.1.open().cmp(&a.1.open()).then(a.0.cmp(&b.0)));
    v
}

// ---------------------------------------------------------------------------
// Templates
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    pub key: String,
    /// The academic year its dates are written for.
    pub year: i32,
    pub name: String,
    #[serde(default)]
    pub source: String,
    pub lists: Vec<TemplateList>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateList {
    /// `10,11` or `12`.
    pub group: String,
    pub title: String,
    pub items: Vec<TemplateItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateItem {
    pub section: String,
    pub title: String,
    #[serde(default)]
    pub units: Vec<String>,
    #[serde(default)]
    pub windows: Vec<Window>,
}

/// 靜心高中's two checklists (十、十一年級 and 十二年級), as written.
pub const JINGXIN_TEMPLATE: &str = include_str!("../../assets/templates/jingxin-checklists.toml");

impl Template {
    pub fn from_toml(src: &str) -> Result<Template, String> {
        toml::from_str(src).map_err(|e| e.to_string())
    }

    /// The embedded templates.
    pub fn builtin() -> Vec<Template> {
        [JINGXIN_TEMPLATE]
            .iter()
            .filter_map(|s| Template::from_toml(s).ok())
            .collect()
    }

    pub fn to_toml(&self) -> String {
        toml::to_string(self).unwrap_or_default()
    }

    /// The checklists for academic year `year`: every ROC year in the dates
    /// and labels moved by `year - self.year`, statuses fresh.
    pub fn instantiate(&self, year: i32) -> Vec<(Checklist, Vec<Item>)> {
        let shift = year - self.year;
        self.lists
            .iter()
            .map(|l| {
                let list = Checklist {
                    id: 0,
                    year,
                    group: Grades::parse(&l.group).unwrap_or(Grades::NONE),
                    title: l.title.clone(),
                };
                let items = l
                    .items
                    .iter()
                    .enumerate()
                    .map(|(n, it)| Item {
                        id: 0,
                        checklist_id: 0,
                        position: n as i64 + 1,
                        section: it.section.clone(),
                        title: it.title.clone(),
                        units: it.units.clone(),
                        windows: it.windows.iter().map(|w| shift_window(w, shift)).collect(),
                        event_id: None,
                        status: Status::NotStarted,
                        done_on: None,
                        done_by: None,
                        note: String::new(),
                    })
                    .collect();
                (list, items)
            })
            .collect()
    }

    /// A template from stored checklists (save as template).
    pub fn from_checklists(
        key: &str,
        name: &str,
        year: i32,
        lists: &[(Checklist, Vec<Item>)],
    ) -> Template {
        Template {
            key: key.to_string(),
            year,
            name: name.to_string(),
            source: String::new(),
            lists: lists
                .iter()
                .map(|(c, items)| TemplateList {
                    group: c.group.code(),
                    title: c.title.clone(),
                    items: items
                        .iter()
                        .map(|i| TemplateItem {
                            section: i.section.clone(),
                            title: i.title.clone(),
                            units: i.units.clone(),
                            windows: i.windows.clone(),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// A window moved by `years` (its text and label rewritten).
pub fn shift_window(w: &Window, years: i32) -> Window {
    Window {
        text: shift_roc_years(&w.text, years),
        semester: w.semester,
        label: w.label.as_ref().map(|l| shift_roc_years(l, years)),
    }
}

// ---------------------------------------------------------------------------
// The check
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    Overdue {
        item: i64,
        due: NaiveDate,
    },
    NoUnit {
        item: i64,
    },
    /// The linked calendar window changed (on `changed`) after the item was done.
    WindowMoved {
        item: i64,
        done: NaiveDate,
        changed: NaiveDate,
    },
    /// Items name this unit but no active staff member holds its position.
    UnitUnheld {
        unit: String,
        items: usize,
        positions: Vec<String>,
    },
    /// A window's text is not a date or range.
    BadDate {
        item: i64,
        text: String,
    },
}

impl Finding {
    pub fn item(&self) -> Option<i64> {
        match self {
            Finding::Overdue { item, .. }
            | Finding::NoUnit { item }
            | Finding::WindowMoved { item, .. }
            | Finding::BadDate { item, .. } => Some(*item),
            Finding::UnitUnheld { .. } => None,
        }
    }
}

/// What the check needs about the rest of the school.
pub struct CheckInput<'a> {
    pub items: &'a [Item],
    /// Linked calendar windows: id → (last day, day it was last changed).
    pub events: &'a BTreeMap<i64, (NaiveDate, NaiveDate)>,
    /// Positions of every active staff member.
    pub positions: &'a [String],
    pub today: NaiveDate,
}

pub fn check(input: &CheckInput) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut unit_items: BTreeMap<String, usize> = BTreeMap::new();
    for i in input.items {
        let linked = i.event_id.and_then(|e| input.events.get(&e)).copied();
        let due = i.due(linked.map(|l| l.0));
        if i.overdue(due, input.today)
            && let Some(d) = due
        {
            out.push(Finding::Overdue { item: i.id, due: d });
        }
        if i.units.iter().all(|u| u.trim().is_empty()) {
            out.push(Finding::NoUnit { item: i.id });
        }
        if let (Some(done), Some((_, changed))) = (i.done_on, linked)
            && i.status == Status::Done
            && changed > done
        {
            out.push(Finding::WindowMoved {
                item: i.id,
                done,
                changed,
            });
        }
        for w in &i.windows {
            if w.span().is_none() {
                out.push(Finding::BadDate {
                    item: i.id,
                    text: w.text.clone(),
                });
            }
        }
        let mut seen = Vec::new();
        for u in &i.units {
            let k = unit_key(u);
            if !k.is_empty() && !seen.contains(&k) {
                *unit_items.entry(k.clone()).or_default() += 1;
                seen.push(k);
            }
        }
    }
    for (unit, n) in unit_items {
        if !input.positions.iter().any(|p| holds(p, &unit)) {
            out.push(Finding::UnitUnheld {
                positions: unit_positions(&unit),
                unit,
                items: n,
            });
        }
    }
    out
}

/// Units a school knows: those its templates, checklists and regulation
/// name, and those its staff's positions hold (註冊組長 → 註冊組), by
/// working unit, sorted.
pub fn known_units<'a>(
    written: impl IntoIterator<Item = &'a String>,
    positions: &[String],
) -> Vec<String> {
    let mut out: Vec<String> = written.into_iter().map(|u| unit_key(u)).collect();
    for p in positions {
        let p = p.trim();
        if let Some(base) = p.strip_suffix("組長") {
            out.push(format!("{base}組"));
        }
    }
    out.retain(|u| !u.is_empty());
    out.sort();
    out.dedup();
    out
}

/// The first unit in `units` the school does not know (see [`known_units`]);
/// a unit held by a staff position counts as known.
pub fn unknown_unit<'a>(
    units: &'a [String],
    known: &[String],
    positions: &[String],
) -> Option<&'a String> {
    units.iter().find(|u| {
        let k = unit_key(u);
        !known.contains(&k) && !positions.iter().any(|p| holds(p, u))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::roc::parse_date;

    const JINGXIN_TEXT: &str = include_str!("../../assets/regulations/jingxin-senior-high.txt");

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    fn item(id: i64, status: Status, units: &[&str], windows: &[&str]) -> Item {
        Item {
            id,
            checklist_id: 1,
            position: id,
            section: "學校提交".into(),
            title: format!("項目{id}"),
            units: units.iter().map(|u| u.to_string()).collect(),
            windows: windows
                .iter()
                .map(|t| Window {
                    text: t.to_string(),
                    semester: None,
                    label: None,
                })
                .collect(),
            event_id: None,
            status,
            done_on: None,
            done_by: None,
            note: String::new(),
        }
    }

    /// The regulation text with all white space removed (the PDF extraction
    /// breaks lines inside cells).
    fn squeezed(s: &str) -> String {
        s.chars().filter(|c| !c.is_whitespace()).collect()
    }

    #[test]
    fn the_template_reproduces_jingxins_two_checklists_item_by_item() {
        let t = Template::from_toml(JINGXIN_TEMPLATE).unwrap();
        assert_eq!(t.year, 111);
        let titles: Vec<&str> = t.lists.iter().map(|l| l.title.as_str()).collect();
        assert_eq!(titles, vec!["十、十一年級", "十二年級"]);
        let text = squeezed(JINGXIN_TEXT);
        for (n, list) in t.lists.iter().enumerate() {
            assert_eq!(list.items.len(), 22, "{}", list.title);
            let sections: Vec<&str> = list.items.iter().map(|i| i.section.as_str()).collect();
            let count = |s: &str| sections.iter().filter(|x| **x == s).count();
            assert_eq!(
                [
                    count("行政規劃"),
                    count("課程計畫"),
                    count("教育訓練"),
                    count("學習歷程登錄/上傳"),
                    count("學校提交")
                ],
                [3, 3, 4, 6, 6]
            );
            // Each table's rows appear in the regulation's text, in order:
            // the title, its units, then its dates as written.
            let table_start = text
                .match_indices("學生學習歷程工作執行檢核表")
                .nth(n)
                .map(|(i, _)| i)
                .unwrap();
            let mut at = table_start;
            for it in &list.items {
                let title = squeezed(&it.title);
                let found = text[at..]
                    .find(&title)
                    .unwrap_or_else(|| panic!("{} not after {at} in {}", it.title, list.title));
                at += found + title.len();
                for w in &it.windows {
                    let want = squeezed(&w.text);
                    let f = text[at..].find(&want).unwrap_or_else(|| {
                        panic!("date {} of {} not found in order", w.text, it.title)
                    });
                    at += f + want.len();
                }
            }
        }
        // Their typos are kept as written.
        let all: Vec<&str> = t
            .lists
            .iter()
            .flat_map(|l| {
                l.items
                    .iter()
                    .flat_map(|i| i.windows.iter().map(|w| w.text.as_str()))
            })
            .collect();
        for typo in ["112..08.01~10", "112.02.11~31", "111.02-.112.08."] {
            assert!(all.contains(&typo), "{typo}");
        }
    }

    #[test]
    fn instantiating_moves_every_roc_year() {
        let t = Template::from_toml(JINGXIN_TEMPLATE).unwrap();
        let lists = t.instantiate(115);
        assert_eq!(lists[0].0.year, 115);
        assert_eq!(lists[0].0.group, Grades::of(&[10, 11]));
        assert_eq!(lists[1].0.group, Grades::of(&[12]));
        let submit = lists[0]
            .1
            .iter()
            .find(|i| i.title == "提交學生基本資料")
            .unwrap();
        assert_eq!(submit.windows[0].text, "115.10.01~15");
        assert_eq!(submit.windows[0].label.as_deref(), Some("115-1"));
        assert_eq!(submit.windows[1].semester, Some(2));
        assert!(lists[0].1.iter().all(|i| i.status == Status::NotStarted));
        let typo = lists[0]
            .1
            .iter()
            .find(|i| i.title == "學生勾選學習成果")
            .unwrap();
        assert_eq!(typo.windows[1].text, "116..08.01~10");
        assert!(typo.windows[1].span().is_none());
    }

    #[test]
    fn status_cycles_and_knows_what_is_open() {
        let mut s = Status::NotStarted;
        let mut seen = vec![s];
        for _ in 0..4 {
            s = s.next();
            seen.push(s);
        }
        assert_eq!(
            seen,
            vec![
                Status::NotStarted,
                Status::InProgress,
                Status::Done,
                Status::NotApplicable,
                Status::NotStarted
            ]
        );
        assert!(
            Status::InProgress.is_open()
                && !Status::Done.is_open()
                && !Status::NotApplicable.is_open()
        );
        assert_eq!(Status::parse("已完成"), Some(Status::Done));
        assert_eq!(Status::parse("not-applicable"), Some(Status::NotApplicable));
        assert_eq!(Status::parse("done?"), None);
    }

    #[test]
    fn due_follows_the_linked_window_else_the_latest_window() {
        let i = item(
            1,
            Status::InProgress,
            &["註冊組"],
            &["115.10.01~15", "116.02.11~28", "116..08.01~10"],
        );
        assert_eq!(i.opens(), Some(d("115.10.01")));
        assert_eq!(i.due(None), Some(d("116.02.28")));
        assert_eq!(i.due(Some(d("115.12.01"))), Some(d("115.12.01")));
        assert!(i.overdue(i.due(None), d("116.03.01")));
        assert!(!i.overdue(i.due(None), d("116.02.28")));
        let done = Item {
            status: Status::Done,
            ..i.clone()
        };
        assert!(!done.overdue(done.due(None), d("116.03.01")));
        // Lead time: due within the school's lead days.
        assert!(i.within_lead(i.due(None), d("116.02.21"), Some(7)));
        assert!(!i.within_lead(i.due(None), d("116.02.20"), Some(7)));
        assert!(!i.within_lead(i.due(None), d("116.02.21"), None));
        assert!(
            !i.within_lead(i.due(None), d("116.03.01"), Some(7)),
            "past due is overdue, not lead"
        );
    }

    #[test]
    fn progress_counts_done_against_what_applies() {
        let items = [
            item(1, Status::Done, &["教務處註冊組", "訓育組"], &[]),
            item(2, Status::InProgress, &["註冊組"], &[]),
            item(3, Status::NotApplicable, &["註冊組"], &[]),
            item(4, Status::NotStarted, &["圖資組"], &[]),
        ];
        let refs: Vec<&Item> = items.iter().collect();
        let t = tally(&refs);
        assert_eq!((t.done, t.total, t.open()), (1, 3, 2));
        assert!((t.ratio() - 1.0 / 3.0).abs() < 1e-9);
        assert_eq!(Tally::default().ratio(), 1.0);
        let units = by_unit(&refs);
        assert_eq!(
            units,
            vec![
                ("圖資組".to_string(), Tally { done: 0, total: 1 }),
                ("註冊組".to_string(), Tally { done: 1, total: 2 }),
                ("訓育組".to_string(), Tally { done: 1, total: 1 }),
            ]
        );
        let mut other = item(5, Status::Done, &["實研組"], &[]);
        other.section = "教育訓練".into();
        let mut refs = refs;
        refs.push(&other);
        let sections = by_section(&refs);
        assert_eq!(
            sections[0],
            ("學校提交".to_string(), Tally { done: 1, total: 3 })
        );
        assert_eq!(
            sections[1],
            ("教育訓練".to_string(), Tally { done: 1, total: 1 })
        );
    }

    #[test]
    fn units_map_to_the_positions_that_hold_them() {
        assert_eq!(unit_key("教務處註冊組"), "註冊組");
        assert_eq!(unit_key("教務處"), "教務處");
        assert_eq!(unit_positions("學務處訓育組"), vec!["訓育組長"]);
        assert!(unit_positions("教務處").contains(&"教務主任".to_string()));
        assert!(unit_positions("輔導中心").contains(&"輔導主任".to_string()));
        assert!(holds("國文教師", "高中教師"));
        assert!(holds("導師", "高中班導"));
        assert!(holds("課程諮詢教師", "課程諮詢教師"));
        assert!(!holds("註冊組幹事", "註冊組"));
        let positions = vec!["註冊組長".to_string(), "國文教師".to_string()];
        let known = known_units(&["教務處教學組".to_string()], &positions);
        assert_eq!(known, vec!["教學組", "註冊組"]);
        let typed = vec!["註冊組".to_string(), "註冊祖".to_string()];
        assert_eq!(unknown_unit(&typed, &known, &positions), Some(&typed[1]));
        let fine = vec!["高中教師".to_string(), "教務處註冊組".to_string()];
        assert_eq!(unknown_unit(&fine, &known, &positions), None);
    }

    #[test]
    fn the_check_finds_each_kind_of_problem() {
        let today = d("115.11.25");
        let mut overdue = item(1, Status::InProgress, &["註冊組"], &["115.10.01~15"]);
        overdue.title = "逾期".into();
        let on_time = item(2, Status::NotStarted, &["註冊組"], &["115.12.01~15"]);
        let no_unit = item(3, Status::NotStarted, &[" "], &["115.12.01"]);
        let mut moved = item(4, Status::Done, &["註冊組"], &[]);
        moved.event_id = Some(9);
        moved.done_on = Some(d("115.10.10"));
        let mut kept = item(5, Status::Done, &["註冊組"], &[]);
        kept.event_id = Some(8);
        kept.done_on = Some(d("115.10.10"));
        let bad = item(6, Status::NotStarted, &["圖資組"], &["116..08.01~10"]);
        let items = [overdue, on_time, no_unit, moved, kept, bad];
        let events: BTreeMap<i64, (NaiveDate, NaiveDate)> = [
            (9, (d("115.12.20"), d("115.11.01"))),
            (8, (d("115.12.20"), d("115.10.01"))),
        ]
        .into_iter()
        .collect();
        let positions = vec!["註冊組長".to_string()];
        let f = check(&CheckInput {
            items: &items,
            events: &events,
            positions: &positions,
            today,
        });
        assert_eq!(
            f,
            vec![
                Finding::Overdue {
                    item: 1,
                    due: d("115.10.15")
                },
                Finding::NoUnit { item: 3 },
                Finding::WindowMoved {
                    item: 4,
                    done: d("115.10.10"),
                    changed: d("115.11.01")
                },
                Finding::BadDate {
                    item: 6,
                    text: "116..08.01~10".into()
                },
                Finding::UnitUnheld {
                    unit: "圖資組".into(),
                    items: 1,
                    positions: vec!["圖資組長".into()]
                },
            ]
        );
    }
}
