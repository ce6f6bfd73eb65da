//! The demo school: a realistic 靜心高中 (jingxin preset) with a staff
//! directory, last year's full committee and this year's, copied forward,
//! with the changes a real year brings (a director left, a parent's child
//! graduated). Dates are placed around `today`.

use chrono::{Days, NaiveDate};

use crate::domain::committee::{StaffDraft, StaffStatus};
use crate::domain::preset;
use crate::domain::roc::{Term, academic_year_of, shift_roc_years};
use crate::store::{Result, Store, StoreError};

pub mod meetings;
pub mod receipts;

/// (name, positions, phone extension, e-mail local part)
const PEOPLE: &[(&str, &str, &str, &str)] = &[
    ("林淑貞", "校長", "100", "principal"),
    ("陳建宏", "教務主任", "201", "chen.jh"),
    ("黃美玲", "教務主任、實研組長", "202", "huang.ml"),
    ("張志明", "學務主任", "301", "chang.cm"),
    ("李佩珊", "輔導主任", "401", "lee.ps"),
    ("王大衛", "國際教育中心主任", "501", "wang.dw"),
    ("吳雅婷", "教學組長", "211", "wu.yt"),
    ("劉家豪", "註冊組長", "212", "liu.jh"),
    ("蔡宜君", "訓育組長", "311", "tsai.yc"),
    ("楊凱翔", "生輔組長", "312", "yang.kh"),
    ("許雅雯", "輔導教師", "411", "hsu.yw"),
    ("鄭宇軒", "課程諮詢教師、公民教師", "412", "cheng.yh"),
    ("謝淑芬", "導師、國文教師", "601", "hsieh.sf"),
    ("郭俊傑", "實研組長", "213", "kuo.cc"),
    ("洪詩涵", "圖資組長", "214", "hung.sh"),
    ("曾文彥", "註冊組幹事", "215", "tseng.wy"),
    ("周怡君", "人事主任", "701", "chou.yc"),
    ("游明哲", "導師、數學教師", "602", "yu.mc"),
    ("賴玟妤", "英文教師", "603", "lai.wy"),
    ("瓦旦·達利", "體育教師", "604", "watan.dali"),
    ("范姜志遠", "歷史教師、課程諮詢教師", "605", "fanchiang.cy"),
    ("歐陽靜", "地理教師", "606", "ouyang.c"),
    ("蕭碧霞", "家長代表", "", ""),
    ("潘冠宇", "學生代表", "", ""),
    ("江承恩", "學生代表", "", ""),
];

/// Last year's committee: seat title → member name.
const LAST_YEAR: &[(&str, &str)] = &[
    ("校長", "林淑貞"),
    ("教務主任", "陳建宏"),
    ("學務主任", "張志明"),
    ("輔導主任", "李佩珊"),
    ("國際教育中心主任", "王大衛"),
    ("教學組長", "吳雅婷"),
    ("註冊組長", "劉家豪"),
    ("訓育組長", "蔡宜君"),
    ("輔導教師", "許雅雯"),
    ("課程諮詢教師代表", "鄭宇軒"),
    ("高中導師代表", "謝淑芬"),
    ("家長代表", "蕭碧霞"),
    ("學生代表", "潘冠宇"),
];

fn draft(name: &str, positions: &str, ext: &str, mail: &str) -> StaffDraft {
    StaffDraft {
        name: name.to_string(),
        positions: crate::domain::committee::parse_positions(positions),
        email: if mail.is_empty() {
            String::new()
        } else {
            format!("{mail}@jingxin.example.edu.tw")
        },
        phone: if ext.is_empty() {
            String::new()
        } else {
            format!("02-2930-0000#{ext}")
        },
        status: StaffStatus::Active,
        left_on: None,
        note: String::new(),
        uncertified: 0,
    }
}

/// Fills an empty database with the demo school.
pub fn seed(store: &mut Store, today: NaiveDate) -> Result<()> {
    let p = preset::by_key("jingxin").ok_or(StoreError::NoSchool)?;
    let this_year = academic_year_of(today);
    let last_year = this_year - 1;
    store.init_school(&p, last_year)?;
    let mut ids = Vec::new();
    for (name, pos, ext, mail) in PEOPLE {
        ids.push((*name, store.add_staff(&draft(name, pos, ext, mail))?));
    }
    let id_of = |name: &str| ids.iter().find(|(n, _)| *n == name).map(|(_, s)| s.id);
    let last = store
        .committee(last_year)?
        .ok_or(StoreError::NoCommittee { year: last_year })?;
    for v in store.seats(last.id)? {
        if let Some((_, who)) = LAST_YEAR.iter().find(|(t, _)| *t == v.seat.title)
            && let Some(id) = id_of(who)
        {
            store.assign_seat(v.seat.id, v.seat.meta.version, Some(id))?;
        }
    }
    // Over the summer: the director retired, the parent's child and the
    // student representative graduated.
    let summer_end = Term {
        year: last_year,
        semester: 2,
    }
    .span()
    .end;
    let graduation = summer_end
        .checked_sub_days(Days::new(31))
        .unwrap_or(summer_end);
    for (name, left_on, note) in [
        ("陳建宏", summer_end, "退休"),
        ("蕭碧霞", summer_end, "子女已畢業，家長會改選"),
        ("潘冠宇", graduation, "畢業"),
    ] {
        if let Some(id) = id_of(name) {
            let s = store.get_staff(id)?;
            let mut d = s.draft();
            d.status = StaffStatus::Left;
            d.left_on = Some(left_on);
            d.note = note.to_string();
            store.update_staff(id, s.meta.version, &d)?;
        }
    }
    let (now, _) = store.copy_committee_forward(last_year)?;
    for v in store.seats(now.id)? {
        let who = match v.seat.title.as_str() {
            "教務主任" => "黃美玲",
            "學生代表" => "江承恩",
            _ => continue,
        };
        if let Some(id) = id_of(who) {
            store.assign_seat(v.seat.id, v.seat.meta.version, Some(id))?;
        }
    }
    seed_delegation(store, today, &ids)?;
    seed_calendar(store, today)?;
    seed_checklists(store, today)?;
    receipts::seed(store, today, Term::containing(today))?;
    meetings::seed(store, today)?;
    Ok(())
}

/// 靜心's two checklists for this academic year, worked as a real office
/// would have by `today`: what fell due is mostly done (by its owner, on its
/// due date), a few items are late, current ones are in progress, and the
/// twelfth-grade list's course-code import is marked not applicable (the
/// tenth/eleventh-grade list covers it).
fn seed_checklists(store: &mut Store, today: NaiveDate) -> Result<()> {
    use crate::domain::checklist::{Status, Template};
    let Some(template) = Template::builtin().into_iter().next() else {
        return Ok(());
    };
    let year = academic_year_of(today);
    let ids = store.create_checklists(&template, year)?;
    for (n, list_id) in ids.iter().enumerate() {
        for (k, rec) in store.checklist_items(*list_id)?.into_iter().enumerate() {
            let mut item = rec.item.clone();
            let due = item.due(None);
            let opens = item.opens();
            if n == 1 && item.title == "課程代碼匯入校務行政系統" {
                item.status = Status::NotApplicable;
                item.note = "由十、十一年級檢核表一併辦理".into();
            } else if due.is_some_and(|d| d < today) {
                if (k + n) % 6 == 4 {
                    item.status = Status::InProgress;
                } else {
                    item.status = Status::Done;
                    item.done_on = due;
                    item.done_by = Some("registry".into());
                }
            } else if opens.is_some_and(|o| o <= today) {
                item.status = Status::InProgress;
            } else {
                continue;
            }
            store.update_checklist_item(item.id, rec.meta.version, &item)?;
        }
    }
    Ok(())
}

/// 靜心's real 111-1 and 111-2 schedules (transcribed with their typos).
pub const JINGXIN_111_1: &str = include_str!("../../assets/demo/jingxin-111-1.csv");
pub const JINGXIN_111_2: &str = include_str!("../../assets/demo/jingxin-111-2.csv");

/// The academic year of the original schedules.
const SCHEDULE_YEAR: i32 = 111;

/// The closing ceremonies (休業式) of 111-1 and 111-2, moved with the rest.
const CLOSINGS: [(u8, &str); 2] = [(1, "112.01.19"), (2, "112.06.30")];

/// The demo's calendar is 靜心's 111-1 and 111-2 schedules moved by whole
/// years into this academic year, typos and all, so the calendar check has
/// the original's real problems to find. Windows that ended before today
/// are done, except the discrepancy fixing and the windows dated before
/// their term began (the stray 111-1 item in the 111-2 schedule and the
/// year typo), which show as overdue.
fn seed_calendar(store: &mut Store, today: NaiveDate) -> Result<()> {
    use crate::domain::calendar::{TermInfo, plus_years};
    use crate::domain::roc::parse_date;
    let years = academic_year_of(today) - SCHEDULE_YEAR;
    let mut events = Vec::new();
    let mut links = Vec::new();
    for src in [JINGXIN_111_1, JINGXIN_111_2] {
        let file =
            crate::io::calendar_csv::read_events(src.as_bytes(), None, None).map_err(|e| {
                StoreError::Db {
                    detail: format!("demo calendar: {e:?}"),
                }
            })?;
        let base = events.len();
        links.extend(file.links.into_iter().map(|(i, t)| (base + i, t)));
        for (_, mut e) in file.events {
            e.title = shift_roc_years(&e.title, years);
            e.notes = shift_roc_years(&e.notes, years);
            e.term.year += years;
            e.span.start = plus_years(e.span.start, years);
            e.span.end = plus_years(e.span.end, years);
            let keep_open =
                e.phase == crate::domain::calendar::Phase::Fix || e.span.end < e.term.span().start;
            if e.span.end < today && !keep_open {
                e.done_on = Some(e.span.end);
            }
            events.push(e);
        }
    }
    for (semester, closing) in CLOSINGS {
        let term = Term {
            year: SCHEDULE_YEAR + years,
            semester,
        };
        let mut info = TermInfo::new(term);
        info.closing = parse_date(closing).ok().map(|d| plus_years(d, years));
        store.save_term(&info, None)?;
    }
    store.import_events(&events, &links)?;
    Ok(())
}

/// 靜心's delegate list comes from the personnel office (人事室); the demo
/// has a typical one, with the registrar on leave this week and a teacher's
/// leave starting in a few days.
fn seed_delegation(
    store: &mut Store,
    today: NaiveDate,
    ids: &[(&str, crate::domain::committee::Staff)],
) -> Result<()> {
    use crate::domain::delegation::{Absence, AbsenceKind, Actor, Subject};
    use crate::domain::roc::DateRange;
    let table: &[(&str, &[&str])] = &[
        ("校長", &["教務主任", "學務主任"]),
        ("教務主任", &["教學組長", "註冊組長"]),
        ("學務主任", &["訓育組長", "生輔組長"]),
        ("輔導主任", &["輔導教師"]),
        ("教學組長", &["實研組長", "註冊組長"]),
        ("註冊組長", &["註冊組幹事", "教學組長"]),
        ("訓育組長", &["生輔組長"]),
        ("生輔組長", &["訓育組長"]),
        ("圖資組長", &["教學組長"]),
    ];
    for (position, delegates) in table {
        for d in *delegates {
            store.add_delegate(
                &Subject::Position(position.to_string()),
                Actor::Position(d.to_string()),
                None,
            )?;
        }
    }
    let id_of = |name: &str| ids.iter().find(|(n, _)| *n == name).map(|(_, s)| s.id);
    let day = |offset: i64| {
        today
            .checked_add_signed(chrono::Duration::days(offset))
            .unwrap_or(today)
    };
    for (name, from, to, kind, reason) in [
        ("劉家豪", -3, 18, AbsenceKind::Leave, "陪產假"),
        ("洪詩涵", 3, 5, AbsenceKind::Leave, "研習"),
        ("賴玟妤", -1, 10, AbsenceKind::Leave, "病假"),
        ("范姜志遠", -2, 60, AbsenceKind::Leave, "育嬰留職停薪"),
    ] {
        if let Some(staff_id) = id_of(name) {
            store.add_absence(&Absence {
                staff_id,
                span: DateRange {
                    start: day(from),
                    end: day(to),
                },
                kind,
                reason: reason.to_string(),
            })?;
        }
    }
    // Teachers with course outcomes still to certify (counted from the
    // school platform): one has a substitute (教學組長), one does not yet.
    for (name, uncertified) in [("賴玟妤", 5), ("范姜志遠", 3)] {
        if let Some(id) = id_of(name) {
            let s = store.get_staff(id)?;
            let mut d = s.draft();
            d.uncertified = uncertified;
            store.update_staff(id, s.meta.version, &d)?;
        }
    }
    if let Some(id) = id_of("賴玟妤") {
        store.add_delegate(
            &Subject::Teacher(id),
            Actor::Position("教學組長".to_string()),
            None,
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::committee::summarize;

    #[test]
    fn demo_has_this_years_committee_with_one_vacancy() {
        let mut store = Store::open_in_memory().unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        seed(&mut store, today).unwrap();
        let c = store.committee(115).unwrap().expect("115 committee");
        let s = summarize(&store.seats(c.id).unwrap());
        assert_eq!((s.filled, s.total), (12, 13));
        assert_eq!(s.vacancies, vec!["家長代表"]);
        let last = store.committee(114).unwrap().expect("114 committee");
        let s = summarize(&store.seats(last.id).unwrap());
        // Last year's members who left now show as departed.
        assert_eq!(s.departed.len(), 3);
        assert_eq!(store.school().unwrap().unwrap().preset_key, "jingxin");
    }

    #[test]
    fn demo_checklists_are_jingxins_two_tables_with_a_mix_of_statuses() {
        use crate::domain::checklist::{Status, tally};
        let mut store = Store::open_in_memory().unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        seed(&mut store, today).unwrap();
        let lists = store.checklists().unwrap();
        assert_eq!(lists.len(), 2);
        assert!(lists.iter().all(|c| c.list.year == 115));
        let items: Vec<_> = store
            .checklist_items_of_year(115)
            .unwrap()
            .into_iter()
            .map(|r| r.item)
            .collect();
        assert_eq!(items.len(), 44);
        let refs: Vec<_> = items.iter().collect();
        let t = tally(&refs);
        assert!(t.done > 5 && t.done < t.total, "{t:?}");
        for s in Status::ALL {
            assert!(items.iter().any(|i| i.status == s), "some item is {s:?}");
        }
        let overdue = items
            .iter()
            .filter(|i| i.overdue(i.due(None), today))
            .count();
        assert!(overdue >= 2, "a few late items: {overdue}");
    }

    #[test]
    fn demo_calendar_is_jingxins_schedules_moved_to_this_year() {
        let mut store = Store::open_in_memory().unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        seed(&mut store, today).unwrap();
        let events = store.events().unwrap();
        // The two schedules, and the next committee meeting (the held one
        // is the schedule's own meeting window).
        assert_eq!(events.len(), 18 + 13 + 1);
        let terms: Vec<String> = store
            .terms()
            .unwrap()
            .iter()
            .map(|t| t.info.term.to_string())
            .collect();
        assert_eq!(terms, vec!["115-1", "115-2"]);
        // The original's year typo moved along: 111.02.09 → 115.02.09.
        let typo = events
            .iter()
            .find(|e| e.event.title == "各處室自我檢核")
            .unwrap();
        assert_eq!(
            crate::domain::roc::format_range(&typo.event.span, crate::domain::roc::DateStyle::Roc),
            "115.02.09~17"
        );
        let overdue: Vec<&str> = events
            .iter()
            .filter(|e| e.event.overdue(today))
            .map(|e| e.event.title.as_str())
            .collect();
        // The discrepancy fixing, the stray 111-1 item and the year typo.
        assert_eq!(overdue.len(), 3, "{overdue:?}");
        // Year labels in the titles moved too.
        assert!(
            events
                .iter()
                .any(|e| e.event.title == "十一、十二年級上傳 114-2 課程學習成果")
        );
        assert_eq!(
            shift_roc_years("111.9..29 至多 6 件 2023", 4),
            "115.9..29 至多 6 件 2023"
        );
    }
}
