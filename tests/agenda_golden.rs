//! The printed agenda and minutes (src/domain/agenda.rs built from fixed
//! data, src/io/agenda_export.rs): golden Markdown per preset, golden HTML
//! and plain text, escaping, and the CJK-width layout of the text.

use chrono::NaiveDate;
use portfolio_desk::domain::agenda::{
    AgendaDoc, AgendaFacts, AttendRow, DocHeader, DocKind, DueRow, ItemInput, ReceiptFacts,
    RosterFacts, Section, TrainingGap, UnitCount, WindowRow, reports, standing_items,
};
use portfolio_desk::domain::preset;
use portfolio_desk::domain::receipt::Category;
use portfolio_desk::domain::roc::{DateStyle, Term};
use portfolio_desk::i18n::{self, Lang};
use portfolio_desk::io::agenda_export::{AgendaFormat, export};
use portfolio_desk::ui::text::width;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn facts() -> AgendaFacts {
    AgendaFacts {
        today: d(2026, 11, 25),
        until: d(2026, 12, 15),
        year: 115,
        windows_ahead: 3,
        windows_ahead_top: vec![
            WindowRow {
                title: "教師認證課程學習成果".into(),
                start: d(2026, 11, 21),
                end: d(2026, 12, 5),
            },
            WindowRow {
                title: "學生勾選提交".into(),
                start: d(2026, 12, 6),
                end: d(2026, 12, 12),
            },
            WindowRow {
                title: "學校提交".into(),
                start: d(2026, 12, 13),
                end: d(2026, 12, 14),
            },
        ],
        windows_overdue: 1,
        windows_overdue_top: vec![WindowRow {
            title: "學生上傳課程學習成果".into(),
            start: d(2026, 11, 1),
            end: d(2026, 11, 20),
        }],
        checklist_total: 40,
        checklist_done: 31,
        checklist_overdue: 2,
        checklist_overdue_by_unit: vec![("註冊組".into(), 2)],
        checklist_overdue_top: vec![DueRow {
            title: "核對學籍資料".into(),
            units: vec!["註冊組".into()],
            due: Some(d(2026, 11, 10)),
        }],
        receipts: Some(ReceiptFacts {
            term: Term {
                year: 115,
                semester: 1,
            },
            students: 1200,
            confirmed: 1100,
            deemed: 0,
            disputed: 8,
            unconfirmed: 92,
            window_end: Some(d(2026, 12, 2)),
            open: 8,
            overdue: 1,
            by_unit: vec![UnitCount {
                unit: "註冊組".into(),
                open: 8,
                overdue: 1,
            }],
            by_category: vec![(Category::CourseOutcomes, 8)],
        }),
        roster: Some(RosterFacts {
            year: 115,
            seats: 13,
            vacant: vec!["家長代表".into()],
            left: vec![],
        }),
        no_one_can_act: vec![],
        no_cert_substitute: vec!["游明哲".into()],
        trainings_missing: vec![TrainingGap {
            name: "系統操作訓練".into(),
            units: vec!["圖資組".into()],
            per_semester: false,
            need: 1,
            have: 0,
        }],
        open_decisions: 1,
        open_decisions_overdue: 0,
        open_decisions_top: vec![],
    }
}

fn doc(key: &str, kind: DocKind) -> AgendaDoc {
    let p = preset::by_key(key).unwrap();
    let f = facts();
    let mut items: Vec<(Section, ItemInput)> = standing_items(&p)
        .into_iter()
        .map(|s| {
            (
                Section::Report,
                ItemInput {
                    body: reports(&s.topics, &f, DateStyle::Roc),
                    title: s.title,
                    ..Default::default()
                },
            )
        })
        .collect();
    items.push((
        Section::Previous,
        ItemInput {
            title: "修訂本學期作業期程".into(),
            body: "照案通過，由教務處於 10 月底前公告。".into(),
            owner: "教務處".into(),
            due: Some(d(2026, 10, 31)),
            done: true,
            ..Default::default()
        },
    ));
    items.push((
        Section::Motion,
        ItemInput {
            title: "訂定 115 學年度第 2 學期學習歷程檔案作業期程，提請討論。".into(),
            proposer: "教務處".into(),
            body: "一、依補充規定辦理。\n二、期程草案如附件。".into(),
            proposal: "經會議通過後公告於學校網站。".into(),
            decision: if kind == DocKind::Minutes {
                "照案通過。".into()
            } else {
                String::new()
            },
            owner: if kind == DocKind::Minutes {
                "教務處".into()
            } else {
                String::new()
            },
            due: (kind == DocKind::Minutes).then(|| d(2027, 1, 15)),
            ..Default::default()
        },
    ));
    items.push((
        Section::Motion,
        ItemInput {
            title: "學生學習歷程檔案優良作品獎勵，提請討論。".into(),
            proposer: "輔導處".into(),
            body: "鼓勵學生用心製作。".into(),
            proposal: "每班推薦 2 名。".into(),
            ..Default::default()
        },
    ));
    let header = DocHeader {
        school_name: p.school_name.clone(),
        committee_name: p.committee_name.clone(),
        year: 115,
        number: 2,
        date: d(2026, 12, 15),
        time: "15:10~17:00".into(),
        place: "行政大樓 3 樓會議室".into(),
        chair: "林淑貞".into(),
        chair_path: String::new(),
        recorder: "黃美玲".into(),
    };
    let status = |s: &str| (kind == DocKind::Minutes).then(|| s.to_string());
    let attendance = vec![
        AttendRow {
            seat: "校長".into(),
            name: "林淑貞".into(),
            status: status("出席"),
        },
        AttendRow {
            seat: "教務主任".into(),
            name: "黃美玲".into(),
            status: status("出席"),
        },
        AttendRow {
            seat: "課程諮詢教師代表".into(),
            name: "瓦旦·達利".into(),
            status: status("代理出席（鄭宇軒）"),
        },
    ];
    AgendaDoc::build(kind, header, attendance, items, DateStyle::Roc)
}

fn render(key: &str, kind: DocKind, format: AgendaFormat) -> String {
    String::from_utf8(export(format, &doc(key, kind))).unwrap()
}

#[test]
fn markdown_golden_jingxin() {
    i18n::set_lang(Lang::ZhTw);
    insta::assert_snapshot!(render("jingxin", DocKind::Agenda, AgendaFormat::Markdown));
}

#[test]
fn markdown_golden_fengshan() {
    i18n::set_lang(Lang::ZhTw);
    insta::assert_snapshot!(render("fengshan", DocKind::Agenda, AgendaFormat::Markdown));
}

#[test]
fn markdown_golden_taitung() {
    i18n::set_lang(Lang::ZhTw);
    insta::assert_snapshot!(render("taitung", DocKind::Agenda, AgendaFormat::Markdown));
}

#[test]
fn markdown_golden_yuren() {
    i18n::set_lang(Lang::ZhTw);
    insta::assert_snapshot!(render("yuren", DocKind::Agenda, AgendaFormat::Markdown));
}

#[test]
fn html_golden() {
    i18n::set_lang(Lang::ZhTw);
    insta::assert_snapshot!(render("jingxin", DocKind::Agenda, AgendaFormat::Html));
}

#[test]
fn minutes_markdown_golden() {
    i18n::set_lang(Lang::ZhTw);
    insta::assert_snapshot!(render("jingxin", DocKind::Minutes, AgendaFormat::Markdown));
}

#[test]
fn text_golden() {
    i18n::set_lang(Lang::ZhTw);
    insta::assert_snapshot!(render("jingxin", DocKind::Agenda, AgendaFormat::Text));
}

#[test]
fn english_markdown_golden() {
    i18n::set_lang(Lang::En);
    let s = render("taitung", DocKind::Minutes, AgendaFormat::Markdown);
    i18n::set_lang(Lang::ZhTw);
    insta::assert_snapshot!(s);
}

#[test]
fn the_html_is_a4_with_a_blank_signature_column_and_page_break_rules() {
    i18n::set_lang(Lang::ZhTw);
    let h = render("jingxin", DocKind::Agenda, AgendaFormat::Html);
    assert!(h.contains("@page { size: A4"));
    assert!(h.contains("break-inside: avoid"));
    assert!(h.contains("<h2>學生學習歷程檔案資料工作小組 115 學年度第 2 次會議</h2>"));
    assert!(h.contains("出席人員（簽到表）"));
    // One blank signature cell per attendee.
    assert_eq!(h.matches("<td class=\"sign\"></td>").count(), 3);
    let sections: Vec<usize> = [
        "壹、報告事項",
        "貳、前次會議決議執行情形",
        "參、討論事項",
        "肆、臨時動議",
    ]
    .iter()
    .map(|s| h.find(s).unwrap_or_else(|| panic!("{s} missing")))
    .collect();
    assert!(sections.windows(2).all(|w| w[0] < w[1]), "{sections:?}");
    // Minutes: the recorded attendance instead of blank signatures.
    let m = render("jingxin", DocKind::Minutes, AgendaFormat::Html);
    assert_eq!(m.matches("<td class=\"sign\"></td>").count(), 0);
    assert!(m.contains("代理出席（鄭宇軒）"));
    assert!(m.contains("照案通過。"));
}

#[test]
fn text_in_every_format_is_escaped() {
    i18n::set_lang(Lang::ZhTw);
    let mut doc = doc("jingxin", DocKind::Agenda);
    doc.header.place = "<script>alert(1)</script> & | 會議室".into();
    doc.sections[2].items[0].item.title = "# 標題 <b>粗</b> | 管線".into();
    let h = String::from_utf8(export(AgendaFormat::Html, &doc)).unwrap();
    assert!(!h.contains("<script>alert"));
    assert!(h.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; | 會議室"));
    assert!(h.contains("案由一：# 標題 &lt;b&gt;粗&lt;/b&gt; | 管線"));
    let md = String::from_utf8(export(AgendaFormat::Markdown, &doc)).unwrap();
    assert!(!md.contains("<script>"));
    assert!(md.contains("\\|"));
}

#[test]
fn plain_text_lines_fit_72_cells_and_the_sign_column_lines_up() {
    i18n::set_lang(Lang::ZhTw);
    let t = render("jingxin", DocKind::Agenda, AgendaFormat::Text);
    for l in t.lines() {
        assert!(width(l) <= 72, "{} cells: {l}", width(l));
    }
    // The signature blanks start at the same cell on every attendance row.
    let starts: Vec<usize> = t
        .lines()
        .filter(|l| l.ends_with("____"))
        .map(|l| width(&l[..l.find('_').unwrap()]))
        .collect();
    assert_eq!(starts.len(), 3);
    assert!(starts.windows(2).all(|w| w[0] == w[1]), "{starts:?}");
}
