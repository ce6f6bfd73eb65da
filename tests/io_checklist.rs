//! Publishing checklists (src/io/checklist_export.rs): golden HTML, Markdown
//! and CSV of a small fixed checklist, escaping, the CSV's BOM and CRLF, and
//! the sections' Chinese numbering.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use portfolio_desk::domain::calendar::Grades;
use portfolio_desk::domain::checklist::{Checklist, Item, Status, Window};
use portfolio_desk::domain::roc::DateStyle;
use portfolio_desk::i18n::{self, Lang};
use portfolio_desk::io::calendar_export::Format;
use portfolio_desk::io::checklist_export::{
    ChecklistPublish, export, numeral, sections, supports, window_text,
};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn w(text: &str, semester: Option<u8>, label: Option<&str>) -> Window {
    Window {
        text: text.into(),
        semester,
        label: label.map(|l| l.to_string()),
    }
}

fn item(id: i64, list: i64, section: &str, title: &str, units: &[&str]) -> Item {
    Item {
        id,
        checklist_id: list,
        position: id,
        section: section.into(),
        title: title.into(),
        units: units.iter().map(|u| u.to_string()).collect(),
        windows: Vec::new(),
        event_id: None,
        status: Status::NotStarted,
        done_on: None,
        done_by: None,
        note: String::new(),
    }
}

/// Two lists of academic year 115, as of 115.11.25: done, in progress and
/// overdue, not applicable with a note, a window linked to the calendar, an
/// unreadable window, and text that needs escaping.
type Lists = Vec<(Checklist, Vec<Item>)>;

fn sample() -> (Lists, BTreeMap<i64, NaiveDate>) {
    let lower = Checklist {
        id: 1,
        year: 115,
        group: Grades::of(&[10, 11]),
        title: "十、十一年級".into(),
    };
    let mut a1 = item(1, 1, "行政規劃", "校務會議通過修訂補充規定", &["教務處"]);
    a1.windows = vec![w("115.10.", None, None)];
    a1.status = Status::Done;
    a1.done_on = Some(d(2026, 10, 15));
    a1.done_by = Some("registry".into());
    let mut a2 = item(
        2,
        1,
        "行政規劃",
        "補充規定上網公告 <b>A|B</b> & \"C\"",
        &["教務處"],
    );
    a2.windows = vec![w("115.10.", None, None)];
    a2.status = Status::InProgress;
    a2.note = "待校長核定\n第二行 | 有直線".into();
    let mut b1 = item(
        3,
        1,
        "課程計畫",
        "課程代碼匯入校務行政系統",
        &["教務處教學組"],
    );
    b1.windows = vec![w("115.09.15", None, None)];
    b1.status = Status::NotApplicable;
    b1.note = "由十二年級檢核表一併辦理".into();
    let mut c1 = item(
        4,
        1,
        "學校提交",
        "提交學生基本資料",
        &["教務處註冊組", "學務處生輔組", "訓育組"],
    );
    c1.windows = vec![
        w("115.10.01~15", Some(1), Some("115-1")),
        w("116.02.11~28", Some(2), Some("115-2")),
    ];
    c1.event_id = Some(7);
    c1.status = Status::InProgress;
    let mut c2 = item(
        5,
        1,
        "學校提交",
        "學生勾選學習成果",
        &["教務處教學組", "註冊組"],
    );
    c2.windows = vec![
        w("116.02.07~11", Some(1), Some("115-1")),
        w("116..08.01~10", Some(2), Some("115-2")),
    ];
    let upper = Checklist {
        id: 2,
        year: 115,
        group: Grades::of(&[12]),
        title: "十二年級".into(),
    };
    let mut u1 = item(6, 2, "學校提交", "學校提交多元表現", &["教務處註冊組"]);
    u1.windows = vec![w("115.10.01~15", Some(1), None)];
    u1.status = Status::Done;
    u1.done_on = Some(d(2026, 10, 14));
    u1.done_by = Some("registry".into());
    // Items come in any order; the export sorts them by position.
    let lists = vec![(lower, vec![c2, a1, b1, a2, c1]), (upper, vec![u1])];
    // Item 4 follows calendar window 7, which ends 115.11.20 (so it is late).
    let linked = [(7, d(2026, 11, 20))].into_iter().collect();
    (lists, linked)
}

fn text(format: Format, style: DateStyle) -> String {
    let (lists, linked) = sample();
    let p = ChecklistPublish {
        school_name: "臺北市私立靜心高級中學",
        year: 115,
        lists: &lists,
        style,
        generated_on: d(2026, 11, 25),
        linked_end: &linked,
    };
    let bytes = export(format, &p);
    String::from_utf8(bytes).unwrap()
}

/// CR and the BOM shown, so the golden files keep them visible.
fn visible(s: &str) -> String {
    s.replace('\u{feff}', "<BOM>").replace("\r\n", "<CRLF>\n")
}

#[test]
fn html_golden() {
    i18n::set_lang(Lang::ZhTw);
    insta::assert_snapshot!(text(Format::Html, DateStyle::Roc));
}

#[test]
fn markdown_golden() {
    i18n::set_lang(Lang::ZhTw);
    insta::assert_snapshot!(text(Format::Markdown, DateStyle::Roc));
}

#[test]
fn csv_golden() {
    i18n::set_lang(Lang::ZhTw);
    insta::assert_snapshot!(visible(&text(Format::Csv, DateStyle::Roc)));
}

#[test]
fn markdown_english_gregorian_golden() {
    i18n::set_lang(Lang::En);
    let s = text(Format::Markdown, DateStyle::Gregorian);
    i18n::set_lang(Lang::ZhTw);
    insta::assert_snapshot!(s);
}

#[test]
fn the_printed_table_reproduces_jingxins_layout() {
    i18n::set_lang(Lang::ZhTw);
    let h = text(Format::Html, DateStyle::Roc);
    assert!(h.contains(
        "<h1>臺北市私立靜心高級中學 115 學年度學生學習歷程工作執行檢核表（十、十一年級）</h1>"
    ));
    assert!(
        h.contains("<tr><th>工作項目</th><th>負責單位</th><th>完成日期</th><th>執行情形</th></tr>")
    );
    // Sections in the order they first appear, numbered in Chinese; items
    // numbered within their section.
    let heads: Vec<usize> = ["一、行政規劃", "二、課程計畫", "三、學校提交"]
        .iter()
        .map(|s| h.find(&format!("<th colspan=\"4\">{s}</th>")).unwrap())
        .collect();
    assert!(heads.windows(2).all(|p| p[0] < p[1]), "{heads:?}");
    assert!(h.contains("<td>1.校務會議通過修訂補充規定</td>"));
    assert!(h.contains("<td>1.提交學生基本資料</td>"));
    assert!(h.contains("<td>2.學生勾選學習成果</td>"));
    // Windows one per line with their semester mark and label, then the
    // calendar window the item follows.
    assert!(h.contains(
        "<td class=\"when\">115.10.01~15（上）115-1<br>116.02.11~28（下）115-2<br>依期程至 115.11.20</td>"
    ));
    // Status, done date and who; the late one marked.
    assert!(h.contains("<td>已完成 115.10.15 registry</td>"));
    assert!(h.contains("<span class=\"late\">進行中（逾期：應於 115.11.20 完成）</span>"));
    assert!(h.contains("不適用<div class=\"note\">由十二年級檢核表一併辦理</div>"));
    // Print-ready and self-contained.
    assert!(h.contains("@page { size: A4"));
    assert!(!h.contains("<link") && !h.contains("<script"));
    assert!(h.contains("<html lang=\"zh-TW\">"));
}

#[test]
fn html_escapes_markup_quotes_and_ampersands() {
    i18n::set_lang(Lang::ZhTw);
    let h = text(Format::Html, DateStyle::Roc);
    assert!(h.contains("<td>2.補充規定上網公告 &lt;b&gt;A|B&lt;/b&gt; &amp; &quot;C&quot;</td>"));
    assert!(!h.contains("<b>A"));
    assert!(h.contains("<div class=\"note\">待校長核定<br>第二行 | 有直線</div>"));
}

#[test]
fn markdown_escapes_pipes_and_joins_windows_with_br() {
    i18n::set_lang(Lang::ZhTw);
    let m = text(Format::Markdown, DateStyle::Roc);
    assert!(m.contains(
        "| 2.補充規定上網公告 &lt;b&gt;A\\|B&lt;/b&gt; & \"C\" | 教務處 | 115.10. | 進行中（逾期：應於 115.10.31 完成）<br>待校長核定<br>第二行 \\| 有直線 |"
    ), "{m}");
    assert!(
        m.contains("| 115.10.01~15（上）115-1<br>116.02.11~28（下）115-2<br>依期程至 115.11.20 |")
    );
    assert!(m.contains("| **三、學校提交** | | | |"));
    // Every table row has exactly four cells (unescaped pipes = 5).
    for line in m.lines().filter(|l| l.starts_with('|')) {
        let pipes = line.replace("\\|", "").matches('|').count();
        assert_eq!(pipes, 5, "{line}");
    }
}

#[test]
fn csv_has_a_bom_crlf_and_a_header_in_the_ui_language() {
    i18n::set_lang(Lang::ZhTw);
    let (lists, linked) = sample();
    let p = ChecklistPublish {
        school_name: "S",
        year: 115,
        lists: &lists,
        style: DateStyle::Roc,
        generated_on: d(2026, 11, 25),
        linked_end: &linked,
    };
    let bytes = export(Format::Csv, &p);
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let s = std::str::from_utf8(&bytes[3..]).unwrap();
    assert!(s.ends_with("\r\n"));
    assert_eq!(
        s.matches('\n').count(),
        s.matches("\r\n").count(),
        "no bare LF (a multi-line note becomes one line)"
    );
    assert_eq!(s.matches("\r\n").count(), 7, "header + 6 items");
    assert!(s.starts_with(
        "學年度,年級組,類別,項次,工作項目,負責單位,完成日期,狀態,完成日,完成者,備註\r\n"
    ));
    // Read back: 11 columns, the section and the number within it.
    let mut r = csv::ReaderBuilder::new().from_reader(s.as_bytes());
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    assert!(rows.iter().all(|r| r.len() == 11));
    let c2 = &rows[4];
    assert_eq!(&c2[0], "115");
    assert_eq!(&c2[1], "10,11");
    assert_eq!(&c2[2], "學校提交");
    assert_eq!(&c2[3], "2");
    assert_eq!(&c2[6], "116.02.07~11（上）115-1；116..08.01~10（下）115-2");
    assert_eq!(&rows[5][1], "12");
    i18n::set_lang(Lang::En);
    let en = String::from_utf8(export(Format::Csv, &p)).unwrap();
    i18n::set_lang(Lang::ZhTw);
    assert!(en.starts_with("\u{feff}Academic year,Grade group,Section,No.,Work item,"));
}

#[test]
fn sections_are_numbered_in_chinese_past_ten() {
    i18n::set_lang(Lang::ZhTw);
    assert_eq!(numeral(1), "一");
    assert_eq!(numeral(10), "十");
    assert_eq!(numeral(11), "十一");
    assert_eq!(numeral(20), "二十");
    assert_eq!(numeral(23), "二十三");
    let list = Checklist {
        id: 1,
        year: 115,
        group: Grades::of(&[12]),
        title: "十二年級".into(),
    };
    let items: Vec<Item> = (1..=12)
        .map(|n| item(n, 1, &format!("S{n}"), "x", &["註冊組"]))
        .collect();
    let lists = vec![(list, items)];
    let linked = BTreeMap::new();
    let p = ChecklistPublish {
        school_name: "S",
        year: 115,
        lists: &lists,
        style: DateStyle::Roc,
        generated_on: d(2026, 11, 25),
        linked_end: &linked,
    };
    let m = String::from_utf8(export(Format::Markdown, &p)).unwrap();
    for h in [
        "**一、S1**",
        "**九、S9**",
        "**十、S10**",
        "**十一、S11**",
        "**十二、S12**",
    ] {
        assert!(m.contains(h), "{h} in {m}");
    }
    // English numbers sections in Roman numerals.
    i18n::set_lang(Lang::En);
    let m = String::from_utf8(export(Format::Markdown, &p)).unwrap();
    i18n::set_lang(Lang::ZhTw);
    assert!(m.contains("**XI. S11**"), "{m}");
}

#[test]
fn windows_and_sections_as_written() {
    i18n::set_lang(Lang::ZhTw);
    assert_eq!(
        window_text(&w("111.10.01~15", Some(1), Some("111-1"))),
        "111.10.01~15（上）111-1"
    );
    assert_eq!(
        window_text(&w("112..08.01~10", Some(2), None)),
        "112..08.01~10（下）"
    );
    assert_eq!(window_text(&w("111.10.", None, None)), "111.10.");
    let (lists, _) = sample();
    let s = sections(&lists[0].1);
    let names: Vec<(&str, usize)> = s.iter().map(|(n, v)| (n.as_str(), v.len())).collect();
    assert_eq!(
        names,
        vec![("行政規劃", 2), ("課程計畫", 1), ("學校提交", 2)]
    );
    assert_eq!(s[0].1[0].title, "校務會議通過修訂補充規定", "by position");
}

#[test]
fn no_lists_and_an_empty_list_say_so() {
    i18n::set_lang(Lang::ZhTw);
    let linked = BTreeMap::new();
    let p = ChecklistPublish {
        school_name: "S",
        year: 115,
        lists: &[],
        style: DateStyle::Roc,
        generated_on: d(2026, 11, 25),
        linked_end: &linked,
    };
    let h = String::from_utf8(export(Format::Html, &p)).unwrap();
    assert!(h.contains("（這個學年度沒有檢核表）"));
    let lists = vec![(
        Checklist {
            id: 1,
            year: 115,
            group: Grades::of(&[12]),
            title: "十二年級".into(),
        },
        Vec::new(),
    )];
    let p = ChecklistPublish { lists: &lists, ..p };
    let m = String::from_utf8(export(Format::Markdown, &p)).unwrap();
    assert!(m.contains("| （這份檢核表沒有項目） | | | |"), "{m}");
    assert!(m.contains("已完成 0 / 0 項"), "{m}");
}

#[test]
fn ics_is_not_offered_for_checklists() {
    assert!(!supports(Format::Ics));
    assert!(supports(Format::Html) && supports(Format::Markdown) && supports(Format::Csv));
}
