//! Calendar CSV import and calendar publishing (src/io): encodings, header
//! aliases, bad rows with their exact line numbers, and the four export
//! formats (golden files, ICS structure, CSV round trip).

use chrono::{DateTime, NaiveDate, Utc};
use portfolio_desk::domain::calendar::{Event, Grades, Phase, TermInfo};
use portfolio_desk::domain::committee::RowMeta;
use portfolio_desk::domain::roc::{DateRange, DateStyle, Term};
use portfolio_desk::i18n::{self, Lang, Localized};
use portfolio_desk::io::calendar_csv::{FileError, read_events};
use portfolio_desk::io::calendar_export::{Format, Publish, Refused, export};
use portfolio_desk::io::text::{TextEncoding, decode};
use portfolio_desk::store::{EventRec, Store};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/calendar/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn term(s: &str) -> Term {
    s.parse().unwrap()
}

fn big5(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::BIG5.encode(text);
    assert!(!unmappable, "the test text fits Big5");
    bytes.into_owned()
}

// ------------------------------------------------------------- encodings

#[test]
fn utf8_without_bom_is_read_as_utf8() {
    let (text, enc) = decode("學期,日期\n".as_bytes(), None).unwrap();
    assert_eq!(enc, TextEncoding::Utf8);
    assert_eq!(text, "學期,日期\n");
}

#[test]
fn utf8_with_bom_is_read_and_the_bom_dropped() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice("學期,日期\n".as_bytes());
    let (text, enc) = decode(&bytes, None).unwrap();
    assert_eq!(enc, TextEncoding::Utf8Bom);
    assert_eq!(text, "學期,日期\n");
    // Forcing UTF-8 on a BOM file also works, and says it had a BOM.
    assert_eq!(
        decode(&bytes, Some(TextEncoding::Utf8)).unwrap().1,
        TextEncoding::Utf8Bom
    );
}

#[test]
fn big5_is_detected_and_decoded() {
    let text = "學期,日期,作業內容,作業階段\r\n111-2,112.02.11~28,上傳課程學習成果,上傳\r\n";
    let bytes = big5(text);
    assert!(std::str::from_utf8(&bytes).is_err(), "really not UTF-8");
    let (got, enc) = decode(&bytes, None).unwrap();
    assert_eq!(enc, TextEncoding::Big5);
    assert_eq!(got, text);
    assert_eq!(
        decode(&bytes, Some(TextEncoding::Big5)).unwrap().0,
        text,
        "forced Big5"
    );
}

#[test]
fn a_big5_calendar_reads_like_its_utf8_original() {
    let utf8 = fixture("jingxin-111-2.csv");
    let text = String::from_utf8(utf8.clone()).unwrap();
    let a = read_events(&utf8, None, None).unwrap();
    let b = read_events(&big5(&text), None, None).unwrap();
    assert_eq!(a.encoding, TextEncoding::Utf8);
    assert_eq!(b.encoding, TextEncoding::Big5);
    assert_eq!(a.events, b.events);
    assert_eq!(a.links, b.links);
    assert_eq!(a.events.len(), 7);
}

#[test]
fn undecodable_bytes_are_refused_with_the_offset_and_the_flag_to_use() {
    i18n::set_lang(Lang::En);
    // Valid ASCII, then bytes that are neither UTF-8 nor Big5.
    let bytes = b"term,dates\n111-2,\x80\xFF\xFF\n";
    let err = decode(bytes, None).unwrap_err();
    assert_eq!(err.attempts.len(), 2, "tried UTF-8, then Big5");
    assert_eq!(err.attempts[0].encoding, TextEncoding::Utf8);
    assert_eq!(err.attempts[0].offset, 17);
    assert_eq!(err.attempts[0].line, 2);
    assert_eq!(err.attempts[1].encoding, TextEncoding::Big5);
    let msg = err.message();
    assert!(msg.contains("UTF-8") && msg.contains("Big5"), "{msg}");
    assert!(msg.contains("offset 17") && msg.contains("0x80"), "{msg}");
    assert!(msg.contains("--encoding"), "{msg}");
    // The CSV reader refuses the file the same way.
    let e = read_events(bytes, None, None).unwrap_err();
    assert!(matches!(e, FileError::Decode(_)), "{e:?}");
    i18n::set_lang(Lang::ZhTw);
}

#[test]
fn forcing_utf8_on_a_big5_file_is_refused() {
    i18n::set_lang(Lang::ZhTw);
    let bytes = big5("學期,日期\n");
    let err = decode(&bytes, Some(TextEncoding::Utf8)).unwrap_err();
    assert_eq!(err.attempts.len(), 1);
    assert_eq!(err.attempts[0].offset, 0);
    let msg = err.message();
    assert!(msg.contains("UTF-8") && msg.contains("--encoding"), "{msg}");
}

// --------------------------------------------------------------- headers

#[test]
fn chinese_header_aliases_and_a_title_line_above_the_table() {
    let csv = "臺北市私立靜心高級中學 111 學年度第二學期 作業日程表,,,,,,,\n\
               學年期,期 間,工作項目,階段,年級,負責人員,全國,準備對象,說明\n\
               111-2,112.03.13~17,學校提交,學校提交,\"10,11\",註冊組,是,,\n\
               111-2,112.03.06~10,自我檢核,自我檢核,全,\"教務處、學務處\",否,學校提交,備註文字\n";
    let f = read_events(csv.as_bytes(), None, None).unwrap();
    assert_eq!(f.header_line, 2);
    assert!(f.bad.is_empty(), "{:?}", f.bad);
    assert!(f.unknown_headers.is_empty(), "{:?}", f.unknown_headers);
    let (line, e) = &f.events[0];
    assert_eq!(*line, 3);
    assert_eq!(e.term, term("111-2"));
    assert_eq!(e.phase, Phase::SchoolSubmit);
    assert_eq!(e.grades, Grades::of(&[10, 11]));
    assert!(e.national);
    assert_eq!(
        e.span,
        DateRange::new(d(2023, 3, 13), d(2023, 3, 17)).unwrap()
    );
    let (_, e) = &f.events[1];
    assert_eq!(e.units, vec!["教務處", "學務處"]);
    assert_eq!(e.notes, "備註文字");
    assert_eq!(e.grades, Grades::NONE);
    assert_eq!(e.id, 0);
    assert_eq!(f.links, vec![(1, "學校提交".to_string())]);
}

#[test]
fn a_semicolon_file_with_a_title_row_above_the_header_imports() {
    // Excel in a European locale writes `;`; the title row has no `;` at
    // all, so only a look past the first line finds the delimiter.
    let csv = "114 學年度第一學期 學習歷程作業日程\r\n\
               \r\n\
               學期;日期;工作項目;階段;年級;全國\r\n\
               114-1;114.10.01~03;上傳課程學習成果;上傳;10,11;否\r\n\
               114-1;114.13.01;自我檢核;自我檢核;;\r\n";
    let f = read_events(csv.as_bytes(), None, None).unwrap();
    assert_eq!(f.header_line, 3);
    assert_eq!(f.events.len(), 1, "{:?}", f.bad);
    let (line, e) = &f.events[0];
    assert_eq!(*line, 4);
    assert_eq!(e.title, "上傳課程學習成果");
    assert_eq!(e.phase, Phase::Upload);
    assert_eq!(e.grades, Grades::of(&[10, 11]));
    assert_eq!(
        e.span,
        DateRange::new(d(2025, 10, 1), d(2025, 10, 3)).unwrap()
    );
    // The bad date is reported on its physical line, quoting the cell.
    assert_eq!(f.bad.len(), 1, "{:?}", f.bad);
    assert_eq!(f.bad[0].line, 5);
    assert_eq!(f.bad[0].column(), Some("日期"));
    assert!(
        f.bad[0].reason().contains("114.13.01"),
        "{}",
        f.bad[0].reason()
    );
}

#[test]
fn a_big5_semicolon_file_with_a_title_row_reads_like_its_utf8_original() {
    let csv = "臺北市私立靜心高級中學 行事曆\r\n\
               學年期;期間;工作項目;階段;負責單位\r\n\
               111-2;112.03.13~17;學校提交;學校提交;註冊組\r\n";
    let f = read_events(&big5(csv), None, None).unwrap();
    assert_eq!(f.encoding, TextEncoding::Big5);
    assert_eq!(f.header_line, 2);
    assert!(f.bad.is_empty(), "{:?}", f.bad);
    let utf8 = read_events(csv.as_bytes(), None, None).unwrap();
    assert_eq!(f.events, utf8.events);
    assert_eq!(f.events[0].0, 3);
    assert_eq!(f.events[0].1.units, vec!["註冊組"]);
}

#[test]
fn english_headers_in_odd_case_and_spacing_with_start_and_end() {
    let f = read_events(&fixture("english.csv"), None, None).unwrap();
    assert!(f.bad.is_empty(), "{:?}", f.bad);
    assert_eq!(f.unknown_headers, vec!["Contact"]);
    let events: Vec<&Event> = f.events.iter().map(|(_, e)| e).collect();
    assert_eq!(events.len(), 3);
    assert_eq!(events[0].title, "School submits");
    assert_eq!(events[0].phase, Phase::SchoolSubmit);
    assert!(events[0].national);
    assert_eq!(events[0].units, vec!["Registry"]);
    assert_eq!(
        events[1].span,
        DateRange::new(d(2022, 10, 21), d(2022, 10, 28)).unwrap()
    );
    assert_eq!(events[1].phase, Phase::ReceiptConfirm, "English label");
    assert!(!events[1].national);
    // A blank end is a one-day window.
    assert_eq!(events[2].span, DateRange::single(d(2022, 10, 14)));
    assert_eq!(f.links, vec![(2, "School submits".to_string())]);
    // CRLF line endings count like LF.
    assert_eq!(
        f.events.iter().map(|(l, _)| *l).collect::<Vec<_>>(),
        [2, 3, 4]
    );
}

#[test]
fn missing_required_columns_lists_what_is_expected_and_what_was_found() {
    i18n::set_lang(Lang::ZhTw);
    let csv = "日期,項目說明,負責單位\n112.03.13,學校提交,註冊組\n";
    let err = read_events(csv.as_bytes(), None, None).unwrap_err();
    let FileError::MissingColumns { missing, found, .. } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(found, &vec!["日期", "項目說明", "負責單位"]);
    assert_eq!(missing.len(), 3, "term, title, phase: {missing:?}");
    let msg = err.message();
    for needle in [
        // what is missing
        "缺少必要欄位：學期、作業內容、作業階段",
        // each required column with its accepted names
        "學期（term、semester、學期、學年期",
        "日期（dates、date",
        "開始（start",
        "作業內容（title",
        "相關作業內容",
        "作業階段（phase、stage、作業階段、階段）",
        // what was found
        "「日期」、「項目說明」、「負責單位」",
    ] {
        assert!(msg.contains(needle), "{needle} in {msg}");
    }
    // With a default term the term column is not required.
    let err = read_events(csv.as_bytes(), None, Some(term("111-2"))).unwrap_err();
    assert!(
        !err.message().contains("缺少必要欄位：學期"),
        "{}",
        err.message()
    );

    i18n::set_lang(Lang::En);
    let msg = err.message();
    assert!(
        msg.contains("lacks required columns: Title, Phase"),
        "{msg}"
    );
    assert!(msg.contains("\"項目說明\""), "{msg}");
    i18n::set_lang(Lang::ZhTw);
}

#[test]
fn an_empty_file_is_refused() {
    assert_eq!(
        read_events(b"\n\n \n", None, None).unwrap_err(),
        FileError::Empty
    );
    assert_eq!(
        read_events(b"\xEF\xBB\xBF", None, None).unwrap_err(),
        FileError::Empty
    );
}

#[test]
fn a_default_term_fills_rows_without_one() {
    let csv = "日期,作業內容,作業階段\n112.03.13~17,學校提交,學校提交\n";
    let f = read_events(csv.as_bytes(), None, Some(term("111-2"))).unwrap();
    assert_eq!(f.events[0].1.term, term("111-2"));
    // A term written in the row wins over the default.
    let csv = "學期,日期,作業內容,作業階段\n111-1,112.01.13,a,上傳\n,112.03.13,b,上傳\n";
    let f = read_events(csv.as_bytes(), None, Some(term("111-2"))).unwrap();
    assert_eq!(f.events[0].1.term, term("111-1"));
    assert_eq!(f.events[1].1.term, term("111-2"));
}

// -------------------------------------------------------------- bad rows

#[test]
fn every_bad_row_is_reported_with_its_physical_line_and_reason() {
    i18n::set_lang(Lang::ZhTw);
    let f = read_events(&fixture("bad-rows.csv"), None, None).unwrap();
    let got: Vec<(usize, &str)> = f.bad.iter().map(|b| (b.line, b.key)).collect();
    assert_eq!(
        got,
        vec![
            (3, "date.err_impossible_day"),
            (4, "date.err_doubled_separator"),
            // lines 5–7: one record with quoted multi-line cells (good)
            (8, "calendar.err_bad_phase"),
            (9, "calendar.err_bad_grade"),
            (10, "calendar.err_empty_title"),
            (11, "date.err_backwards"),
            (12, "date.err_bad_term"),
            (13, "io.bad_cells"),
        ]
    );
    let good: Vec<usize> = f.events.iter().map(|(l, _)| *l).collect();
    assert_eq!(good, vec![2, 5, 15], "the blank line 14 is skipped");
    assert_eq!(f.events[1].1.title, "學校提交\n（含多元表現）");
    assert_eq!(f.events[1].1.notes, "第一行\n第二行");

    let msgs: Vec<String> = f.bad.iter().map(|b| b.message()).collect();
    let expect = [
        "第 3 行「日期」欄：「112.02.11~31」不是存在的日期：民國 112 年 2 月沒有 31 日",
        "第 4 行「日期」欄：「112..08.01~10」的分隔符號重複了",
        "第 8 行「作業階段」欄：作業階段「收訖」看不懂",
        "第 9 行「年級」欄：年級「13」看不懂",
        "第 10 行「作業內容」欄：請填寫作業內容",
        "第 11 行「日期」欄：「112.05.10~04.02」的起訖顛倒了",
        "第 12 行「學期」欄：「1112」不是有效的學期",
        "第 13 行：這一列有 6 格，標題列有 7 格",
    ];
    for (m, e) in msgs.iter().zip(expect) {
        assert!(m.starts_with(e), "{m}\n  should start with {e}");
    }
    assert_eq!(f.bad_lines(), 8);
}

#[test]
fn a_row_with_several_problems_reports_each_cell() {
    i18n::set_lang(Lang::En);
    let csv = "term,dates,title,phase,grades,national\n111-2,112.02.30,,uploading,9,maybe\n";
    let f = read_events(csv.as_bytes(), None, None).unwrap();
    let keys: Vec<(&str, Option<&str>)> = f.bad.iter().map(|b| (b.key, b.column())).collect();
    assert_eq!(
        keys,
        vec![
            ("date.err_impossible_day", Some("dates")),
            ("calendar.err_empty_title", Some("title")),
            ("calendar.err_bad_phase", Some("phase")),
            ("calendar.err_bad_grade", Some("grades")),
            ("io.bad_national", Some("national")),
        ]
    );
    assert!(f.bad.iter().all(|b| b.line == 2));
    assert_eq!(f.bad_lines(), 1);
    let m = f.bad[4].message();
    assert!(
        m.starts_with("Line 2, column \"national\": \"maybe\""),
        "{m}"
    );
    i18n::set_lang(Lang::ZhTw);
}

#[test]
fn start_and_end_problems_name_their_column() {
    let csv = "學期,開始,結束,作業內容,作業階段\n\
               111-2,112.03.10,112.03.01,反了,上傳\n\
               111-2,112.13.01,,月份錯,上傳\n\
               111-2,,112.03.01,沒開始,上傳\n";
    let f = read_events(csv.as_bytes(), None, None).unwrap();
    let got: Vec<(usize, &str, Option<&str>)> =
        f.bad.iter().map(|b| (b.line, b.key, b.column())).collect();
    assert_eq!(
        got,
        vec![
            (2, "date.err_backwards", Some("結束")),
            (3, "date.err_month_range", Some("開始")),
            (4, "date.err_empty", Some("開始")),
        ]
    );
}

// ---------------------------------------------------------------- export

fn rec(id: i64, e: Event) -> EventRec {
    EventRec {
        uid: format!("111-2-{id}-00000000000000{id:02}@portfolio-desk"),
        event: Event { id, ..e },
        // Saved id % 3 times after being added, last on 2026-11-0{id} at
        // 10:15 Taipei time (02:15 UTC).
        meta: RowMeta {
            version: 1 + id % 3,
            updated_at: format!("2026-11-{id:02}T10:15:00+08:00"),
            updated_by: "教務處".into(),
        },
    }
}

fn ev(title: &str, phase: Phase, start: NaiveDate, end: NaiveDate) -> Event {
    Event {
        id: 0,
        term: term("111-2"),
        title: title.into(),
        phase,
        grades: Grades::of(&[10, 11]),
        units: vec!["註冊組".into()],
        span: DateRange::new(start, end).unwrap(),
        national: false,
        prepares_for: None,
        notes: String::new(),
        done_on: None,
    }
}

/// A small fixed term: given out of order, with a national deadline, a
/// window preparing for it, and text that needs escaping everywhere.
fn sample() -> (TermInfo, Vec<EventRec>) {
    let info = TermInfo {
        term: term("111-2"),
        span: term("111-2").span(),
        closing: Some(d(2023, 6, 30)),
    };
    let mut submit = ev(
        "學校提交 111 學年度第 1 學期「基本資料」與「修課紀錄」、110 學年度「課程學習成果」與「多元表現」",
        Phase::SchoolSubmit,
        d(2023, 3, 13),
        d(2023, 3, 17),
    );
    submit.national = true;
    submit.notes = "國教署期限; 逾期不受理, 請提早".into();
    let mut check = ev(
        "各處室自我檢核",
        Phase::SelfCheck,
        d(2023, 3, 6),
        d(2023, 3, 10),
    );
    check.units = vec!["教務處".into(), "學務處".into()];
    check.grades = Grades::NONE;
    check.prepares_for = Some(3);
    let mut upload = ev(
        "上傳 111-1 課程學習成果 <至少 1 件> & 多元表現",
        Phase::Upload,
        d(2023, 2, 11),
        d(2023, 2, 28),
    );
    upload.notes = "A|B 兩班\n第二行: 逗號, 分號; 反斜線\\".into();
    let mut confirm = ev(
        "學生確認收訖明細",
        Phase::ReceiptConfirm,
        d(2023, 3, 20),
        d(2023, 3, 24),
    );
    confirm.grades = Grades::of(&[12]);
    let mut meeting = ev(
        "工作小組會議",
        Phase::Meeting,
        d(2023, 4, 12),
        d(2023, 4, 12),
    );
    meeting.grades = Grades::NONE;
    meeting.units = vec!["教務處".into()];
    (
        info,
        vec![
            rec(5, meeting),
            rec(3, submit),
            rec(1, upload),
            rec(2, check),
            rec(4, confirm),
        ],
    )
}

fn publish<'a>(info: &'a TermInfo, events: &'a [EventRec], style: DateStyle) -> Publish<'a> {
    Publish {
        school_name: "臺北市私立靜心高級中學",
        term: info,
        events,
        style,
        generated_on: d(2026, 11, 25),
        generated_at: moment(),
    }
}

/// The moment of export the tests fix: 2026-11-25 09:30 Taipei time.
fn moment() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-25T09:30:00+08:00")
        .unwrap()
        .with_timezone(&Utc)
}

fn text(format: Format, style: DateStyle) -> String {
    let (info, events) = sample();
    String::from_utf8(export(format, &publish(&info, &events, style)).unwrap()).unwrap()
}

/// CRLF shown as `␍` before the newline and the BOM as `<BOM>`, so the
/// golden file keeps every byte visible.
fn visible(s: &str) -> String {
    s.replace('\u{feff}', "<BOM>").replace("\r\n", "␍\n")
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
fn ics_golden() {
    i18n::set_lang(Lang::ZhTw);
    insta::assert_snapshot!(visible(&text(Format::Ics, DateStyle::Roc)));
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
fn html_is_self_contained_escaped_and_in_the_ui_language() {
    i18n::set_lang(Lang::ZhTw);
    let h = text(Format::Html, DateStyle::Roc);
    assert!(h.starts_with("<!DOCTYPE html>\n<html lang=\"zh-TW\">"));
    assert!(h.contains(
        "<title>臺北市私立靜心高級中學 111 學年度第 2 學期 學習歷程檔案作業日程表</title>"
    ));
    assert!(h.contains("@media print") && h.contains("size: A4"));
    assert!(h.contains("border: 1px solid"));
    assert!(!h.contains("<link") && !h.contains("<script") && !h.contains("src="));
    assert!(h.contains("&lt;至少 1 件&gt; &amp; 多元表現"), "escaped");
    assert!(!h.contains("<至少"));
    for head in ["時間", "相關作業內容", "負責單位", "備註"] {
        assert!(h.contains(&format!("<th>{head}</th>")), "{head}");
    }
    // Sorted by start date: the upload (112.02.11) before the meeting.
    let up = h.find("112.02.11~28").unwrap();
    let meet = h.find("112.04.12").unwrap();
    assert!(up < meet);
    i18n::set_lang(Lang::En);
    let h = text(Format::Html, DateStyle::Gregorian);
    i18n::set_lang(Lang::ZhTw);
    assert!(h.contains("<html lang=\"en\">"));
    assert!(h.contains("2023-02-11~2023-02-28"));
}

#[test]
fn markdown_escapes_pipes_and_line_breaks() {
    i18n::set_lang(Lang::ZhTw);
    let md = text(Format::Markdown, DateStyle::Roc);
    assert!(md.contains("A\\|B 兩班<br>第二行"), "{md}");
    for line in md.lines().filter(|l| l.starts_with("| ")) {
        let unescaped = line.replace("\\|", "");
        assert_eq!(unescaped.matches('|').count(), 5, "{line}");
    }
}

// ------------------------------------------------------------------- ICS

/// Unfolds content lines (RFC 5545 3.1).
fn unfold(ics: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for l in ics.split("\r\n") {
        if let Some(rest) = l.strip_prefix(' ') {
            out.last_mut().unwrap().push_str(rest);
        } else if !l.is_empty() {
            out.push(l.to_string());
        }
    }
    out
}

#[test]
fn ics_lines_are_crlf_folded_at_75_octets_and_rejoin() {
    i18n::set_lang(Lang::ZhTw);
    let ics = text(Format::Ics, DateStyle::Roc);
    assert!(ics.ends_with("END:VCALENDAR\r\n"));
    assert!(!ics.replace("\r\n", "").contains('\n'), "bare LF");
    assert!(!ics.replace("\r\n", "").contains('\r'), "bare CR");
    let mut folded = 0;
    for l in ics.split("\r\n") {
        assert!(l.len() <= 75, "{} octets: {l}", l.len());
        if l.starts_with(' ') {
            folded += 1;
        }
    }
    assert!(folded >= 3, "the long title and descriptions are folded");
    let lines = unfold(&ics);
    let summary = lines
        .iter()
        .find(|l| l.starts_with("SUMMARY:學校提交"))
        .unwrap();
    assert_eq!(
        summary,
        "SUMMARY:學校提交 111 學年度第 1 學期「基本資料」與「修課紀錄」、110 學年度「課程學習成果」與「多元表現」"
    );
}

#[test]
fn ics_has_the_required_properties_and_exclusive_end_dates() {
    i18n::set_lang(Lang::ZhTw);
    let ics = text(Format::Ics, DateStyle::Roc);
    let lines = unfold(&ics);
    assert_eq!(lines[0], "BEGIN:VCALENDAR");
    for p in ["VERSION:2.0", "CALSCALE:GREGORIAN"] {
        assert!(lines.contains(&p.to_string()), "{p}");
    }
    assert!(lines.iter().any(|l| l.starts_with("PRODID:")));
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("X-WR-CALNAME:臺北市私立靜心高級中學"))
    );
    // BEGIN/END balanced and properly nested.
    let mut stack: Vec<&str> = Vec::new();
    for l in &lines {
        if let Some(b) = l.strip_prefix("BEGIN:") {
            stack.push(b);
        } else if let Some(e) = l.strip_prefix("END:") {
            assert_eq!(stack.pop(), Some(e), "END:{e}");
        }
    }
    assert!(stack.is_empty());
    // Each VEVENT has its required properties once.
    let mut events: Vec<Vec<&String>> = Vec::new();
    let mut cur: Option<Vec<&String>> = None;
    for l in &lines {
        if l == "BEGIN:VEVENT" {
            cur = Some(Vec::new());
        } else if l == "END:VEVENT" {
            events.push(cur.take().unwrap());
        } else if let Some(c) = cur.as_mut() {
            c.push(l);
        }
    }
    assert_eq!(events.len(), 5);
    for ev in &events {
        for p in [
            "UID:",
            "DTSTAMP:",
            "DTSTART;VALUE=DATE:",
            "DTEND;VALUE=DATE:",
            "SUMMARY:",
        ] {
            assert_eq!(
                ev.iter().filter(|l| l.starts_with(p)).count(),
                1,
                "{p} in {ev:?}"
            );
        }
        // The moment of export, in UTC: 09:30 Taipei is 01:30Z.
        assert!(ev.contains(&&"DTSTAMP:20261125T013000Z".to_string()));
    }
    // DTEND is the day after the last day: 112.02.11~28 → 20230301;
    // a one-day meeting on 112.04.12 ends 20230413.
    let upload = &events[0];
    assert!(upload.contains(&&"DTSTART;VALUE=DATE:20230211".to_string()));
    assert!(upload.contains(&&"DTEND;VALUE=DATE:20230301".to_string()));
    let meeting = events.last().unwrap();
    assert!(meeting.contains(&&"DTSTART;VALUE=DATE:20230412".to_string()));
    assert!(meeting.contains(&&"DTEND;VALUE=DATE:20230413".to_string()));
    // Text escaping: \ ; , and line breaks.
    let desc = upload
        .iter()
        .find(|l| l.starts_with("DESCRIPTION:"))
        .unwrap();
    assert!(
        desc.contains("A|B 兩班\\n第二行: 逗號\\, 分號\\; 反斜線\\\\"),
        "{desc}"
    );
    assert!(upload.contains(&&"CATEGORIES:上傳".to_string()));
}

#[test]
fn ics_uids_are_the_stored_ones_and_stable_across_exports() {
    i18n::set_lang(Lang::ZhTw);
    let mut store = Store::open_in_memory().unwrap();
    // Its creator (this login) may edit the calendar.
    store
        .init_school(
            &portfolio_desk::domain::preset::by_key("jingxin").unwrap(),
            111,
        )
        .unwrap();
    let file = read_events(&fixture("jingxin-111-2.csv"), None, None).unwrap();
    store
        .import_events(&file.event_list(), &file.links)
        .unwrap();
    let info = TermInfo::new(term("111-2"));
    let uids = |store: &Store| -> (Vec<String>, Vec<String>) {
        let events = store.events().unwrap();
        let ics = String::from_utf8(
            export(Format::Ics, &publish(&info, &events, DateStyle::Roc)).unwrap(),
        )
        .unwrap();
        let mut got: Vec<String> = unfold(&ics)
            .into_iter()
            .filter_map(|l| l.strip_prefix("UID:").map(str::to_string))
            .collect();
        let mut stored: Vec<String> = events.iter().map(|e| e.uid.clone()).collect();
        got.sort();
        stored.sort();
        (got, stored)
    };
    let (first, stored) = uids(&store);
    assert_eq!(first.len(), 7);
    assert_eq!(first, stored);
    let (second, _) = uids(&store);
    assert_eq!(first, second);
}

/// The VEVENTs of an ICS text as read by an independent parser (the
/// `icalendar` crate), with the calendar's own properties.
/// A property as parsed: name, parameters (`K=V;…`), value.
type Prop = (String, String, String);

fn parsed(ics: &str) -> (Vec<(String, String)>, Vec<Vec<Prop>>) {
    let unfolded = icalendar::parser::unfold(ics);
    let cal = icalendar::parser::read_calendar(&unfolded).expect("the ICS parses");
    let props = cal
        .properties
        .iter()
        .map(|p| (p.name.as_str().to_string(), p.val.as_str().to_string()))
        .collect();
    let events = cal
        .components
        .iter()
        .filter(|c| c.name.as_str() == "VEVENT")
        .map(|c| {
            c.properties
                .iter()
                .map(|p| {
                    let params = p
                        .params
                        .iter()
                        .map(|a| {
                            format!(
                                "{}={}",
                                a.key.as_str(),
                                a.val.as_ref().map(|v| v.as_str()).unwrap_or("")
                            )
                        })
                        .collect::<Vec<_>>()
                        .join(";");
                    (
                        p.name.as_str().to_string(),
                        params,
                        p.val.as_str().to_string(),
                    )
                })
                .collect()
        })
        .collect();
    (props, events)
}

fn prop<'a>(ev: &'a [Prop], name: &str) -> Vec<&'a str> {
    ev.iter()
        .filter(|(n, _, _)| n == name)
        .map(|(_, _, v)| v.as_str())
        .collect()
}

/// `YYYYMMDDTHHMMSSZ`.
fn is_utc_stamp(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 16
        && b[8] == b'T'
        && b[15] == b'Z'
        && b[..8].iter().chain(&b[9..15]).all(u8::is_ascii_digit)
}

#[test]
fn ics_reads_with_an_independent_parser_and_every_event_can_be_updated_in_place() {
    i18n::set_lang(Lang::ZhTw);
    let ics = text(Format::Ics, DateStyle::Roc);
    let (props, events) = parsed(&ics);
    let cal = |name: &str| -> Vec<&str> {
        props
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    };
    assert_eq!(cal("VERSION"), ["2.0"]);
    assert_eq!(cal("PRODID").len(), 1);
    // No METHOD: without it no ORGANIZER is needed (RFC 5546).
    assert!(cal("METHOD").is_empty(), "{props:?}");
    assert_eq!(cal("X-WR-TIMEZONE"), ["Asia/Taipei"]);
    assert_eq!(
        cal("X-WR-CALNAME"),
        ["臺北市私立靜心高級中學 111 學年度第 2 學期 學習歷程檔案作業日程表"]
    );
    assert_eq!(events.len(), 5);
    for ev in &events {
        for p in [
            "UID",
            "DTSTAMP",
            "SEQUENCE",
            "LAST-MODIFIED",
            "DTSTART",
            "DTEND",
            "SUMMARY",
        ] {
            assert_eq!(prop(ev, p).len(), 1, "{p} once in {ev:?}");
        }
        assert_eq!(prop(ev, "DTSTAMP"), ["20261125T013000Z"]);
        assert!(is_utc_stamp(prop(ev, "LAST-MODIFIED")[0]), "{ev:?}");
        assert!(prop(ev, "SEQUENCE")[0].parse::<u32>().is_ok(), "{ev:?}");
        for p in ["DTSTART", "DTEND"] {
            let (_, params, v) = ev.iter().find(|(n, _, _)| n == p).unwrap();
            assert_eq!(params, "VALUE=DATE", "{p}");
            assert_eq!(v.len(), 8, "{p}:{v}");
        }
    }
    // SEQUENCE is the version less one, LAST-MODIFIED the row's last change
    // in UTC (10:15 Taipei is 02:15Z). The events are sorted by start date.
    let by_uid = |id: i64| {
        let uid = format!("111-2-{id}-00000000000000{id:02}@portfolio-desk");
        events
            .iter()
            .find(|ev| prop(ev, "UID") == [uid.as_str()])
            .unwrap()
    };
    // id 1: version 2; id 3: version 1 (new); id 5: version 3.
    assert_eq!(prop(by_uid(1), "SEQUENCE"), ["1"]);
    assert_eq!(prop(by_uid(1), "LAST-MODIFIED"), ["20261101T021500Z"]);
    assert_eq!(prop(by_uid(3), "SEQUENCE"), ["0"]);
    assert_eq!(prop(by_uid(3), "LAST-MODIFIED"), ["20261103T021500Z"]);
    assert_eq!(prop(by_uid(5), "SEQUENCE"), ["2"]);
    // Escaped text comes back as written.
    let desc = by_uid(1)
        .iter()
        .find(|(n, _, _)| n == "DESCRIPTION")
        .map(|(_, _, v)| v.clone())
        .unwrap();
    let back = icalendar::parser::ParseString::from(desc.as_str())
        .unescape_text()
        .as_str()
        .to_string();
    assert!(
        back.contains("A|B 兩班\n第二行: 逗號, 分號; 反斜線\\"),
        "{back}"
    );
}

#[test]
fn an_edited_window_exports_with_a_higher_sequence_a_later_last_modified_and_the_same_uid() {
    i18n::set_lang(Lang::ZhTw);
    let mut store = Store::open_in_memory().unwrap();
    // Its creator (this login) may edit the calendar.
    store
        .init_school(
            &portfolio_desk::domain::preset::by_key("jingxin").unwrap(),
            111,
        )
        .unwrap();
    store.set_fixed_now("2026-11-20T09:00:00+08:00");
    let file = read_events(&fixture("jingxin-111-2.csv"), None, None).unwrap();
    store
        .import_events(&file.event_list(), &file.links)
        .unwrap();
    let info = TermInfo::new(term("111-2"));
    let export_of = |store: &Store, id: i64| {
        let events = store.events().unwrap();
        let ics = String::from_utf8(
            export(Format::Ics, &publish(&info, &events, DateStyle::Roc)).unwrap(),
        )
        .unwrap();
        let uid = store.event(id).unwrap().uid;
        let (_, evs) = parsed(&ics);
        let ev = evs
            .into_iter()
            .find(|ev| prop(ev, "UID") == [uid.as_str()])
            .unwrap();
        let one = |p: &str| prop(&ev, p)[0].to_string();
        (
            one("UID"),
            one("SEQUENCE"),
            one("LAST-MODIFIED"),
            one("DTSTART"),
        )
    };
    let rec = store.events().unwrap().remove(0);
    let id = rec.event.id;
    let before = export_of(&store, id);
    assert_eq!(before.1, "0", "a new window");
    assert_eq!(before.2, "20261120T010000Z");
    // The window moves a week later, five days on.
    store.set_fixed_now("2026-11-25T14:00:00+08:00");
    let mut moved = rec.event.clone();
    moved.span = DateRange::new(
        rec.event.span.start + chrono::Duration::days(7),
        rec.event.span.end + chrono::Duration::days(7),
    )
    .unwrap();
    store.update_event(id, rec.meta.version, &moved).unwrap();
    let after = export_of(&store, id);
    assert_eq!(after.0, before.0, "same UID");
    assert_eq!(after.1, "1");
    assert!(after.1.parse::<u32>().unwrap() > before.1.parse::<u32>().unwrap());
    assert_eq!(after.2, "20261125T060000Z");
    assert!(after.2 > before.2, "later LAST-MODIFIED");
    assert_ne!(after.3, before.3, "the new dates");
}

#[test]
fn an_ics_of_a_term_without_windows_is_refused_naming_the_term() {
    let info = TermInfo::new(term("115-1"));
    let p = publish(&info, &[], DateStyle::Roc);
    let err = export(Format::Ics, &p).unwrap_err();
    assert_eq!(
        err,
        Refused::IcsNoWindows {
            term: term("115-1")
        }
    );
    i18n::set_lang(Lang::ZhTw);
    let zh = err.message();
    assert!(zh.contains("115-1") && zh.contains("ICS"), "{zh}");
    assert!(!zh.contains('\n'), "one line");
    i18n::set_lang(Lang::En);
    let en = err.message();
    i18n::set_lang(Lang::ZhTw);
    assert!(en.contains("115-1") && en.contains("no windows"), "{en}");
    // The other formats still say the term is empty.
    for f in [Format::Html, Format::Markdown, Format::Csv] {
        assert!(export(f, &p).is_ok(), "{f:?}");
    }
}

#[test]
fn folding_a_long_chinese_title_never_splits_a_character() {
    i18n::set_lang(Lang::ZhTw);
    let (info, _) = sample();
    // 0 to 3 ASCII characters ahead of the Chinese put the 75-octet limit
    // at every offset inside a 3-octet character; the 4-octet ones too.
    for lead in ["", "a", "ab", "abc"] {
        let title = format!(
            "{lead}{}𠀋𠀋學習歷程，檔案；第\\二行",
            "靜心高中學習歷程檔案".repeat(8)
        );
        let events = vec![rec(
            1,
            ev(&title, Phase::Upload, d(2023, 2, 11), d(2023, 2, 28)),
        )];
        let bytes = export(Format::Ics, &publish(&info, &events, DateStyle::Roc)).unwrap();
        let mut continued = 0;
        for line in bytes.split(|&b| b == b'\n') {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            assert!(line.len() <= 75, "{} octets", line.len());
            assert!(
                std::str::from_utf8(line).is_ok(),
                "a line ends or starts inside a character: {line:?}"
            );
            if line.starts_with(b" ") {
                continued += 1;
            }
        }
        assert!(continued >= 4, "the title is folded");
        let (_, evs) = parsed(&String::from_utf8(bytes).unwrap());
        let summary = prop(&evs[0], "SUMMARY")[0].to_string();
        let back = icalendar::parser::ParseString::from(summary.as_str())
            .unescape_text()
            .as_str()
            .to_string();
        assert_eq!(back, title, "unfolds to the title");
    }
}

// ------------------------------------------------------------------- CSV

#[test]
fn csv_export_has_a_bom_crlf_and_a_header_in_the_ui_language() {
    i18n::set_lang(Lang::ZhTw);
    let (info, events) = sample();
    let bytes = export(Format::Csv, &publish(&info, &events, DateStyle::Roc)).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let s = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(
        s.starts_with("學期,開始,結束,作業內容,作業階段,年級,負責單位,全國期限,準備對象,備註\r\n")
    );
    assert!(s.ends_with("\r\n"));
    i18n::set_lang(Lang::En);
    let bytes = export(Format::Csv, &publish(&info, &events, DateStyle::Roc)).unwrap();
    i18n::set_lang(Lang::ZhTw);
    let s = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(
        s.starts_with("Term,Start,End,Title,Phase,Grades,Units,National,Prepares for,Notes\r\n")
    );
}

#[test]
fn csv_export_reads_back_as_the_same_events() {
    let (info, events) = sample();
    for lang in [Lang::ZhTw, Lang::En] {
        for style in [DateStyle::Roc, DateStyle::Gregorian] {
            i18n::set_lang(lang);
            let bytes = export(Format::Csv, &publish(&info, &events, style)).unwrap();
            let f = read_events(&bytes, None, None).unwrap();
            assert_eq!(f.encoding, TextEncoding::Utf8Bom);
            assert!(f.bad.is_empty(), "{lang:?} {style:?}: {:?}", f.bad);
            assert!(f.unknown_headers.is_empty());
            let mut want: Vec<&EventRec> = events.iter().collect();
            want.sort_by_key(|r| (r.event.span.start, r.event.id));
            assert_eq!(f.events.len(), want.len());
            for ((_, got), w) in f.events.iter().zip(&want) {
                let expected = Event {
                    id: 0,
                    prepares_for: None,
                    done_on: None,
                    ..w.event.clone()
                };
                assert_eq!(got, &expected, "{lang:?} {style:?}");
            }
            // The preparation link comes back as the national window's title.
            let check_at = f
                .events
                .iter()
                .position(|(_, e)| e.title == "各處室自我檢核")
                .unwrap();
            let national = &events.iter().find(|r| r.event.id == 3).unwrap().event;
            assert_eq!(f.links, vec![(check_at, national.title.clone())]);
        }
    }
    i18n::set_lang(Lang::ZhTw);
}

#[test]
fn an_empty_term_exports_a_table_that_says_so() {
    i18n::set_lang(Lang::ZhTw);
    let info = TermInfo::new(term("115-1"));
    let md =
        String::from_utf8(export(Format::Markdown, &publish(&info, &[], DateStyle::Roc)).unwrap())
            .unwrap();
    assert!(md.contains("（本學期尚無作業期程）"), "{md}");
}
