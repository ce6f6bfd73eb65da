//! Students, receipt lines and discrepancies, generated deterministically:
//! a few hundred for the demo school, and (same generator) the large
//! school of the benchmark (4,000 students, 120,000 lines, 20,000
//! discrepancies).

use chrono::{Days, NaiveDate};

use crate::domain::receipt::{
    Category, DStatus, Discrepancy, Kind, LineIn, Student, StudentStatus, Via,
};
use crate::domain::roc::Term;
use crate::store::{Result, Store};

/// A small deterministic generator (SplitMix64): the same seed gives the
/// same school on every machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// 0..n (0 when n is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }
    pub fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[self.below(list.len())]
    }
}

const SURNAMES: &[&str] = &[
    "陳", "林", "黃", "張", "李", "王", "吳", "劉", "蔡", "楊", "許", "鄭", "謝", "郭", "洪", "曾",
    "邱", "廖", "賴", "周", "徐", "蘇", "葉", "莊", "呂", "江", "何", "蕭", "羅", "高",
];
const GIVEN: &[&str] = &[
    "冠宇", "宥廷", "品妍", "承恩", "子晴", "柏翰", "詠晴", "宇翔", "思妤", "家豪", "語彤", "俊傑",
    "雨萱", "彥廷", "芷瑄", "睿恩", "可欣", "宸宇", "昀蓁", "浩然", "以晴", "立行", "佳穎", "博文",
    "心妤", "子謙", "亮均", "欣妍", "宗翰", "芸熙",
];
const COURSES: &[&str] = &[
    "國語文",
    "英語文",
    "數學A",
    "數學B",
    "歷史",
    "地理",
    "公民與社會",
    "物理",
    "化學",
    "生物",
    "地球科學",
    "音樂",
    "美術",
    "藝術生活",
    "生命教育",
    "生涯規劃",
    "家政",
    "生活科技",
    "資訊科技",
    "健康與護理",
    "體育",
    "全民國防教育",
    "第二外國語文",
    "英語聽講",
    "探究與實作",
    "專題閱讀",
];
const OUTCOME_TITLES: &[&str] = &[
    "專題報告",
    "實驗紀錄",
    "閱讀心得",
    "小論文",
    "作品集",
    "口頭報告",
    "田野調查",
    "程式作品",
];
const DIVERSE: &[&str] = &[
    "志工服務",
    "社團活動",
    "彈性學習時間",
    "團體活動時間",
    "校內競賽",
    "校外競賽",
    "檢定證照",
    "營隊參與",
    "自主學習計畫",
    "職場學習",
    "國際交流",
    "作品成果",
];
const CADRE: &[&str] = &[
    "班長",
    "副班長",
    "學藝股長",
    "衛生股長",
    "康樂股長",
    "社長",
    "糾察隊",
];
const STREETS: &[&str] = &[
    "高雄市鳳山區光復路二段",
    "高雄市鳳山區中山西路",
    "高雄市三民區建工路",
    "臺東縣臺東市中華路一段",
    "臺北市中正區重慶南路一段",
    "新北市板橋區文化路一段",
    "臺中市西區民權路",
    "屏東縣屏東市自由路",
];
const POSTAL: &[&str] = &["830", "830", "807", "950", "100", "220", "403", "900"];

/// `n` students of grades 10–12 (or only those in `grades`), 30 to 40 a
/// class, numbered by entry year; `year` is the academic year they are in.
pub fn students(
    n: usize,
    grades: &[u8],
    year: i32,
    per_class: usize,
    rng: &mut Rng,
) -> Vec<Student> {
    let mut out = Vec::with_capacity(n);
    let per_grade = n.div_ceil(grades.len().max(1));
    for &grade in grades {
        let entry = year - i32::from(grade - 10);
        for k in 0..per_grade {
            if out.len() >= n {
                break;
            }
            let class_no = k / per_class + 1;
            let seat = (k % per_class + 1) as u32;
            let no = format!("{entry}{:04}", k + 1);
            let name = format!("{}{}", rng.pick(SURNAMES), rng.pick(GIVEN));
            let street = rng.below(STREETS.len());
            out.push(Student {
                id: 0,
                student_no: no.clone(),
                name,
                class: format!("{}{:02}", grade - 9, class_no),
                seat: Some(seat),
                grade: Some(grade),
                status: StudentStatus::Enrolled,
                postal_code: POSTAL[street].to_string(),
                address: format!("{}{}號", STREETS[street], 10 + rng.below(290)),
                email: format!("s{no}@stu.example.edu.tw"),
            });
        }
    }
    out
}

/// `size` receipt lines of one student for a term: one line of basic data,
/// a few cadre records, up to 6 course outcomes and 10 diverse performances
/// (`over_cap` adds one outcome too many), the rest course records.
pub fn lines_of(
    s: &Student,
    term: Term,
    size: usize,
    over_cap: bool,
    rng: &mut Rng,
) -> Vec<LineIn> {
    let mut out = Vec::with_capacity(size);
    let mut push = |cat: Category, item: String, count: u32| {
        out.push(LineIn {
            term,
            student_no: s.student_no.as_str().into(),
            name: s.name.as_str().into(),
            class: s.class.as_str().into(),
            seat: s.seat,
            category: cat,
            item: item.into(),
            count,
            extra: "".into(),
        })
    };
    push(Category::Basic, "學籍資料".to_string(), 1);
    let mut left = size.saturating_sub(1);
    let cadre = rng.below(3).min(left);
    for _ in 0..cadre {
        push(Category::Cadre, rng.pick(CADRE).to_string(), 1);
    }
    left -= cadre;
    let outcomes = (rng.below(7) + usize::from(over_cap)).min(left);
    for _ in 0..outcomes {
        push(
            Category::CourseOutcomes,
            format!("{} {}", rng.pick(COURSES), rng.pick(OUTCOME_TITLES)),
            1,
        );
    }
    left -= outcomes;
    let diverse = rng.below(11).min(left / 2);
    for _ in 0..diverse {
        push(Category::Diverse, rng.pick(DIVERSE).to_string(), 1);
    }
    left -= diverse;
    for i in 0..left {
        push(
            Category::CourseRecords,
            COURSES[(i + rng.below(3)) % COURSES.len()].to_string(),
            1,
        );
    }
    out
}

/// What the student says, by kind and category.
fn detail(kind: Kind, cat: Category, item: Option<&str>, rng: &mut Rng) -> String {
    let item = item.unwrap_or("");
    match (kind, cat) {
        (Kind::Missing, Category::Diverse) => {
            format!("少了「{}」一件，平臺上有上傳", rng.pick(DIVERSE))
        }
        (Kind::Missing, Category::CourseOutcomes) => {
            format!(
                "勾選的「{} {}」沒有出現",
                rng.pick(COURSES),
                rng.pick(OUTCOME_TITLES)
            )
        }
        (Kind::Missing, Category::Cadre) => format!("擔任{}一學期未列入", rng.pick(CADRE)),
        (Kind::Missing, _) => "缺少一筆資料".to_string(),
        (Kind::WrongCount, _) => format!("「{item}」件數不對，應為 {} 件", 2 + rng.below(2)),
        (Kind::WrongName, Category::CourseRecords) => {
            format!("「{item}」應為「{}」", rng.pick(COURSES))
        }
        (Kind::WrongName, Category::Basic) => "姓名有錯字".to_string(),
        (Kind::WrongName, _) => format!("「{item}」名稱有誤"),
        (Kind::Other, _) => "成績與成績單不一致，請協助確認".to_string(),
    }
}

/// Discrepancies for the receipt lines of a term: `n` of them, about
/// students picked by the generator, reported on days from `from` over
/// `days` days. Student ids and line ids come from the store (`lines` as
/// (student id, line id, category, item)).
pub fn discrepancies(
    n: usize,
    term: Term,
    lines: &[(i64, i64, Category, String)],
    from: NaiveDate,
    days: u64,
    rng: &mut Rng,
) -> Vec<Discrepancy> {
    let mut out = Vec::with_capacity(n);
    if lines.is_empty() {
        return out;
    }
    for _ in 0..n {
        let (sid, lid, cat, item) = &lines[rng.below(lines.len())];
        let kind = match rng.below(10) {
            0..=3 => Kind::Missing,
            4..=5 => Kind::WrongCount,
            6..=8 => Kind::WrongName,
            _ => Kind::Other,
        };
        let with_line = kind != Kind::Missing;
        let reported_on = from
            .checked_add_days(Days::new(rng.below(days.max(1) as usize) as u64))
            .unwrap_or(from);
        out.push(Discrepancy {
            id: 0,
            term,
            student_id: *sid,
            category: *cat,
            line_id: with_line.then_some(*lid),
            kind,
            detail: detail(kind, *cat, Some(item), rng),
            reported_on,
            via: match rng.below(10) {
                0..=6 => Via::Platform,
                7 => Via::Paper,
                8 => Via::Email,
                _ => Via::InPerson,
            },
            unit: String::new(),
            status: DStatus::Reported,
            resolution: String::new(),
        });
    }
    out
}

/// The demo school's receipts: this term's round (the school submitted in
/// October; students confirmed in the calendar's window), for 11th and 12th
/// graders and last year's graduates, with a realistic spread of answers.
pub fn seed(store: &mut Store, today: NaiveDate, term: Term) -> Result<()> {
    let mut rng = Rng::new(0x5EED_2026);
    let year = term.year;
    let mut list = students(300, &[11, 12], year, 30, &mut rng);
    // Last year's graduates: their second-semester course records go up in
    // this round and they confirm from home.
    let mut grads = students(20, &[12], year - 1, 30, &mut rng);
    for g in &mut grads {
        g.status = StudentStatus::Graduated;
        g.class = format!("畢{}", g.class);
    }
    // A few who left during the year.
    for (i, status) in [
        (17, StudentStatus::Left),
        (95, StudentStatus::Transferred),
        (188, StudentStatus::Left),
        (243, StudentStatus::Transferred),
    ] {
        list[i].status = status;
    }
    // One leaver without a postal address on file, one without e-mail.
    list[95].address.clear();
    list[95].postal_code.clear();
    list[188].email.clear();
    list.extend(grads);
    store.import_students(&list)?;
    // The dates retention counts from (issue 13): when each leaver left
    // (two of them more than a year ago: past 靜心's period), and the
    // graduates' graduation and college application.
    for (i, days_ago) in [(17, 500u64), (95, 40), (188, 420), (243, 90)] {
        let left = today.checked_sub_days(chrono::Days::new(days_ago));
        store.set_student_dates(&list[i].student_no, left, None)?;
    }
    let ad = year + 1911;
    let graduated = NaiveDate::from_ymd_opt(ad, 6, 30);
    let applied = NaiveDate::from_ymd_opt(ad, 3, 15);
    for g in list.iter().filter(|s| s.status == StudentStatus::Graduated) {
        store.set_student_dates(&g.student_no, graduated, applied)?;
    }
    let mut lines = Vec::new();
    for (i, s) in list.iter().enumerate() {
        let size = if s.status == StudentStatus::Graduated {
            8
        } else {
            14 + rng.below(10)
        };
        lines.extend(lines_of(s, term, size, i % 97 == 5, &mut rng));
    }
    store.import_receipts(&lines, &mut |_, _| {})?;

    let window = store.confirm_window(term)?;
    let (opens, closes) = match window {
        Some(w) => (w.span.start, w.span.end),
        None => (today, today),
    };
    // Who raised something: about one student in ten.
    let rows = store.receipt_overview(term)?;
    let mut about = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        if i % 9 == 4 || (r.student.status.is_leaver() && i % 3 == 0) {
            for l in store.receipt_lines(term, r.student.id)? {
                about.push((r.student.id, l.id, l.category, l.item));
            }
        }
    }
    let days = (closes - opens).num_days().max(0) as u64 + 1;
    let mut found = discrepancies(36, term, &about, opens, days, &mut rng);
    // Leavers' answers come later, by paper and e-mail.
    for (k, d) in found.iter_mut().enumerate().skip(32) {
        d.reported_on = today
            .checked_sub_days(Days::new(k as u64 - 32))
            .unwrap_or(today);
        d.via = if k % 2 == 0 { Via::Paper } else { Via::Email };
    }
    // One discrepancy per student and line is enough for a demo.
    found.sort_by_key(|d| (d.student_id, d.line_id));
    found.dedup_by_key(|d| (d.student_id, d.line_id));
    let ids = store.log_discrepancies(&found)?;
    let clerks = ["liu.jh", "tseng.wy", "tsai.yc"];
    let me = store.user().to_string();
    // The clerks who work the discrepancies below hold the clerk's role.
    for c in clerks {
        store.grant_role(c, crate::domain::access::Role::Clerk)?;
    }
    for (k, id) in ids.iter().enumerate() {
        let rec = store.discrepancy(*id)?;
        let reported = rec.d.reported_on;
        // Recent reports are still waiting; older ones were worked.
        let plan: &[(DStatus, &str)] =
            if reported >= today.checked_sub_days(Days::new(3)).unwrap_or(today) {
                if k % 2 == 0 {
                    &[]
                } else {
                    &[(DStatus::Investigating, "")]
                }
            } else {
                match k % 10 {
                    0 => &[(DStatus::Investigating, "")],
                    1 => &[
                        (DStatus::Investigating, ""),
                        (DStatus::Corrected, "已更正並列入重新提交"),
                    ],
                    2 => &[(DStatus::Rejected, "查核上傳紀錄，資料與學生勾選一致")],
                    3..=6 => &[
                        (DStatus::Investigating, ""),
                        (DStatus::Corrected, "已請任課教師補認證並重新提交"),
                    ],
                    _ => &[
                        (DStatus::Investigating, ""),
                        (DStatus::Rejected, "學生未於期限內勾選該項目"),
                    ],
                }
            };
        store.set_user(clerks[k % clerks.len()]);
        for (to, note) in plan {
            let v = store.discrepancy(*id)?.meta.version;
            store.advance_discrepancy(*id, v, *to, note)?;
        }
    }
    store.set_user(&me);
    // Most students confirmed in the window; of those whose discrepancy was
    // answered, most checked again and confirmed (closing it).
    let mut statuses: std::collections::HashMap<i64, Vec<DStatus>> = Default::default();
    for d in store.discrepancies(Some(term))? {
        statuses.entry(d.d.student_id).or_default().push(d.d.status);
    }
    let rows = store.receipt_overview(term)?;
    for (i, r) in rows.iter().enumerate() {
        let confirm = match statuses.get(&r.student.id) {
            None => !(i % 13 == 7 || (r.student.status.is_leaver() && i % 2 == 1)),
            Some(list) => !list.iter().any(|s| s.awaits_answer()) && i % 4 != 0,
        };
        if confirm {
            store.confirm_receipt(term, r.student.id)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::receipt::Confirm;

    #[test]
    fn the_generator_is_deterministic_and_sized() {
        let a = students(4000, &[10, 11, 12], 115, 40, &mut Rng::new(7));
        let b = students(4000, &[10, 11, 12], 115, 40, &mut Rng::new(7));
        assert_eq!(a, b);
        assert_eq!(a.len(), 4000);
        let mut nos: Vec<&str> = a.iter().map(|s| s.student_no.as_str()).collect();
        nos.sort();
        nos.dedup();
        assert_eq!(nos.len(), 4000, "student numbers are unique");
        let mut rng = Rng::new(1);
        let term: Term = "115-1".parse().unwrap();
        let lines: usize = a
            .iter()
            .map(|s| lines_of(s, term, 30, false, &mut rng).len())
            .sum();
        assert_eq!(lines, 120_000);
    }

    #[test]
    fn demo_receipts_have_a_realistic_spread() {
        let mut store = Store::open_in_memory().unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        crate::demo::seed(&mut store, today).unwrap();
        let term: Term = "115-1".parse().unwrap();
        let rows = store.receipt_overview(term).unwrap();
        assert_eq!(rows.len(), 320);
        let p = store.confirm_progress(term).unwrap();
        assert!(p.confirmed > 250 && p.confirmed < 300, "{p:?}");
        assert!(p.unconfirmed > 5 && p.disputed > 2, "{p:?}");
        let discs = store.discrepancies(Some(term)).unwrap();
        assert!(discs.len() >= 25, "{}", discs.len());
        for s in DStatus::ALL {
            assert!(discs.iter().any(|d| d.d.status == s), "some are {s:?}");
        }
        let fix = store.fix_window_end(term).unwrap();
        assert!(
            discs.iter().any(|d| d.d.overdue(fix, today)),
            "some are overdue"
        );
        assert!(
            discs
                .iter()
                .any(|d| d.d.status.awaits_answer() && !d.d.overdue(fix, today))
        );
        // Units follow 靜心's routing.
        assert!(
            discs.iter().any(|d| d.d.unit == "訓育組")
                || discs.iter().all(|d| d.d.category != Category::Cadre)
        );
        let notices = store.leaver_notices(term).unwrap();
        assert!(
            !notices.is_empty() && notices.len() < 20,
            "{}",
            notices.len()
        );
        assert!(notices.iter().all(|n| n.confirm != Confirm::Confirmed));
        // The dashboard's SQL count agrees with the domain's rule.
        let sum = store.discrepancy_summary(term, today).unwrap();
        let late = discs.iter().filter(|d| d.d.overdue(fix, today)).count();
        assert_eq!(sum.overdue, late);
        assert_eq!(
            sum.open,
            discs.iter().filter(|d| d.d.status.is_open()).count()
        );
        assert_eq!(store.current_receipt_term(today).unwrap(), Some(term));
        let report = store.check_receipts(today).unwrap();
        assert!(!report.caps.is_empty(), "a student over the outcome cap");
    }
}
