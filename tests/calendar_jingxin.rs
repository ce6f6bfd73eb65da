//! 靜心高中's two real term schedules (111-1, 111-2) and its checklists'
//! submission windows, transcribed as they are written (typos included),
//! and the findings the calendar check must produce on them.

use portfolio_desk::domain::calendar::{CheckRules, Finding, Rule, Severity, TermInfo, check};
use portfolio_desk::domain::preset;
use portfolio_desk::domain::roc::{parse_date, parse_term};
use portfolio_desk::i18n::Localized;
use portfolio_desk::io::calendar_csv::read_events;

const S111_1: &str = include_str!("../assets/demo/jingxin-111-1.csv");
const S111_2: &str = include_str!("../assets/demo/jingxin-111-2.csv");
const SUBMISSIONS: &str = include_str!("../assets/demo/jingxin-111-checklist-submissions.csv");

fn terms() -> Vec<TermInfo> {
    [("111-1", "112.01.19"), ("111-2", "112.06.30")]
        .iter()
        .map(|(t, c)| {
            let mut i = TermInfo::new(parse_term(t).unwrap());
            i.closing = Some(parse_date(c).unwrap());
            i
        })
        .collect()
}

/// Both schedules as events with ids 1, 2, … in file order.
fn events() -> Vec<portfolio_desk::domain::calendar::Event> {
    let mut out = Vec::new();
    for src in [S111_1, S111_2] {
        let file = read_events(src.as_bytes(), None, None).expect("fixture reads");
        assert!(file.bad.is_empty(), "fixture rows are all valid");
        for (_, mut e) in file.events {
            e.id = out.len() as i64 + 1;
            out.push(e);
        }
    }
    out
}

/// (term, severity, rule, title of the event or "-")
fn summary(
    findings: &[Finding],
    events: &[portfolio_desk::domain::calendar::Event],
) -> Vec<(String, Severity, Rule, String)> {
    findings
        .iter()
        .map(|f| {
            let title = f
                .event
                .and_then(|id| events.iter().find(|e| e.id == id))
                .map(|e| e.title.clone())
                .unwrap_or_else(|| "-".into());
            (f.term.to_string(), f.severity, f.rule, title)
        })
        .collect()
}

#[test]
fn the_two_schedules_transcribe_completely() {
    let ev = events();
    let count = |t: &str| ev.iter().filter(|e| e.term.to_string() == t).count();
    assert_eq!(count("111-1"), 18);
    assert_eq!(count("111-2"), 13);
    let central: Vec<_> = ev.iter().filter(|e| e.national).collect();
    assert_eq!(
        central.len(),
        3,
        "three submissions to the central database"
    );
}

#[test]
fn the_check_finds_the_real_problems_of_jingxins_schedules() {
    let ev = events();
    let rules = CheckRules::from_preset(&preset::by_key("jingxin").unwrap());
    let found = summary(&check(&terms(), &ev, &rules), &ev);
    use Rule::*;
    use Severity::*;
    let s = |t: &str, sev, r, title: &str| (t.to_string(), sev, r, title.to_string());
    // By term, errors first, then by date (term-wide findings last).
    let expected = vec![
        // 111.02.09~111.02.17 in a 111-1 schedule: the year should be 112.
        s("111-1", Error, YearTypo, "各處室自我檢核"),
        // 111-1: teachers certify 110-2 outcomes in the same window as the upload.
        s(
            "111-1",
            Error,
            PhaseOrder,
            "教師進行 110-2 課程學習成果認證",
        ),
        // Central submission starts 10.25 while students confirm until 10.28.
        s("111-1", Error, PhaseOrder, "提交上述資料至中央資料庫"),
        s("111-1", Warning, Overlap, "十一、十二年級上傳 110 多元表現"),
        s(
            "111-1",
            Warning,
            PhaseSameDay,
            "十一、十二年級上網確認收訖明細",
        ),
        s("111-1", Warning, NoPreparation, "提交上述資料至中央資料庫"),
        s(
            "111-1",
            Warning,
            PhaseSameDay,
            "教師進行 111-1 課程學習成果認證",
        ),
        // 111-2: two 111-1 items left in the 111-2 schedule.
        s(
            "111-2",
            Warning,
            OutsideTerm,
            "提交 111 學年度第 1 學期「預檢_修課紀錄名冊」，進行【開課預檢】",
        ),
        s(
            "111-2",
            Warning,
            OutsideTerm,
            "各處室完成基本資料、修課紀錄、課程代碼之內容檢核；課諮師協助引導學生上傳",
        ),
        s(
            "111-2",
            Warning,
            PhaseSameDay,
            "十二年級任課老師完成 111-1 學習成果認證",
        ),
        s(
            "111-2",
            Warning,
            NoPreparation,
            "提交十二年級 111-1（第五學期）資料至中央資料庫",
        ),
        s(
            "111-2",
            Warning,
            NoPreparation,
            "提交十二年級 111-2（第六學期）資料至中央資料庫",
        ),
        // The 111-2 schedule has no committee meeting.
        s("111-2", Warning, MissingMeeting, "-"),
    ];
    assert_eq!(found, expected);
}

#[test]
fn the_year_typo_suggests_112() {
    let ev = events();
    let f = check(&terms(), &ev, &CheckRules::default());
    let typo = f.iter().find(|f| f.rule == Rule::YearTypo).unwrap();
    let suggest = &typo.args.iter().find(|(k, _)| *k == "suggest").unwrap().1;
    assert_eq!(suggest, "112.02.09~17");
}

#[test]
fn the_checklists_impossible_dates_are_bad_rows_with_their_lines() {
    let file = read_events(SUBMISSIONS.as_bytes(), None, None).expect("reads");
    let bad: Vec<(usize, String)> = file.bad.iter().map(|b| (b.line, b.message())).collect();
    let lines: Vec<usize> = bad.iter().map(|(l, _)| *l).collect();
    assert_eq!(lines, vec![7, 9, 10], "{bad:#?}");
    assert!(bad[0].1.contains("112..08.01~10"), "{}", bad[0].1);
    assert!(bad[1].1.contains("110"), "{}", bad[1].1);
    assert!(bad[2].1.contains("112.02.11~31"), "{}", bad[2].1);
    assert_eq!(file.events.len(), 7);
}
