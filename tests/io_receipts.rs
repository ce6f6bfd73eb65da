//! Receipt-detail and student-list import (src/io/receipt_csv.rs): every
//! encoding, header aliases, extra fields, each bad-row reason on its exact
//! physical line, default term vs the term column; and the exports
//! (src/io/receipt_export.rs) as golden files from a fixed store.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use portfolio_desk::domain::calendar::{Event, Grades, Phase};
use portfolio_desk::domain::preset;
use portfolio_desk::domain::receipt::{
    Category, DStatus, Discrepancy, Kind, LineIn, Student, StudentStatus, Via,
};
use portfolio_desk::domain::roc::{DateRange, DateStyle, Term, parse_date, parse_range};
use portfolio_desk::i18n::{self, Lang, Localized};
use portfolio_desk::io::receipt_csv::{
    Field, FileKind, ReceiptFileError, parse_receipts, parse_students,
};
use portfolio_desk::io::receipt_export::{
    DiscFormat, DiscPublish, NoticeFormat, NoticePublish, export_discrepancies, export_notices,
};
use portfolio_desk::io::text::{TextEncoding, encode};
use portfolio_desk::store::Store;

mod common;

fn t(s: &str) -> Term {
    s.parse().unwrap()
}

fn d(s: &str) -> NaiveDate {
    parse_date(s).unwrap()
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/receipts/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// The bad rows as (line, column, reason) for compact assertions.
fn problems(bad: &[portfolio_desk::io::BadRow]) -> Vec<(usize, String, String)> {
    bad.iter()
        .map(|b| (b.line, b.column().unwrap_or("").to_string(), b.reason()))
        .collect()
}

const GOOD: &str = "學號,姓名,班級,座號,類別,項目,件數,學期\n\
110001,王小明,201,1,基本資料,學籍資料,1,111-1\n\
110001,王小明,201,1,課程學習成果,數學,2,111-1\n\
110002,李小華,201,2,多元表現,志工服務,1,111-1\n";

// ------------------------------------------------------------- encodings

#[test]
fn utf8_utf8_bom_and_big5_read_the_same() {
    i18n::set_lang(Lang::ZhTw);
    let plain = parse_receipts(GOOD.as_bytes(), None, None).unwrap();
    assert_eq!(plain.encoding, TextEncoding::Utf8);
    assert_eq!(plain.lines.len(), 3);
    assert_eq!(plain.rows, 3);
    assert_eq!(plain.line_numbers, vec![2, 3, 4]);

    let bom = encode(GOOD, TextEncoding::Utf8Bom);
    let with_bom = parse_receipts(&bom, None, None).unwrap();
    assert_eq!(with_bom.encoding, TextEncoding::Utf8Bom);
    assert_eq!(with_bom.lines, plain.lines);
    assert!(
        with_bom.unknown_headers.is_empty(),
        "the BOM is not a header"
    );

    let big5 = encode(GOOD, TextEncoding::Big5);
    assert!(std::str::from_utf8(&big5).is_err(), "really not UTF-8");
    let b = parse_receipts(&big5, None, None).unwrap();
    assert_eq!(b.encoding, TextEncoding::Big5);
    assert_eq!(b.lines, plain.lines);
    let forced = parse_receipts(&big5, Some(TextEncoding::Big5), None).unwrap();
    assert_eq!(forced.lines, plain.lines);

    // Big5 forced onto UTF-8 is refused, naming the encoding.
    let e = parse_receipts(&big5, Some(TextEncoding::Utf8), None).unwrap_err();
    assert!(matches!(e, ReceiptFileError::Decode(_)), "{e:?}");
    assert!(e.message().contains("UTF-8"), "{}", e.message());
}

#[test]
fn a_real_big5_file_with_a_title_row() {
    let f = parse_receipts(&fixture("big5-111-1.csv"), None, None).unwrap();
    assert_eq!(f.encoding, TextEncoding::Big5);
    assert_eq!(f.header_line, 2);
    assert_eq!(f.bad, vec![]);
    assert_eq!(f.lines.len(), 6);
    assert_eq!(f.line_numbers, vec![3, 4, 5, 6, 7, 8]);
    assert_eq!(f.unknown_headers, vec!["上傳日期".to_string()]);
    // The student's name and class ride on their first line only.
    assert_eq!((&*f.lines[0].name, &*f.lines[0].class), ("王小明", "201"));
    let l = &f.lines[1];
    assert_eq!(
        (
            l.term,
            &*l.student_no,
            &*l.name,
            &*l.class,
            l.seat,
            l.category,
            &*l.item,
            l.count
        ),
        (
            t("111-1"),
            "110001",
            "",
            "",
            Some(1),
            Category::CourseOutcomes,
            "數學專題報告",
            2
        )
    );
    assert_eq!(&*l.extra, r#"{"上傳日期":"111/10/05"}"#);
    assert_eq!(&*f.lines[2].extra, "", "a blank extra cell keeps no field");
    assert_eq!(f.lines[3].category, Category::CourseRecords);
    assert_eq!(f.lines[4].category, Category::Cadre);
}

// ------------------------------------------------------------- headers

#[test]
fn chinese_english_and_loosely_written_headers() {
    let chinese = "學生學號,學生姓名,班級名稱,座號,資料類別,項目名稱,數量,學年期\n\
                   110001,王小明,201,1,多元表現,志工,3,111-2\n";
    let english = "Student No.,Name,Class,Seat,Category,Item,Count,Term\n\
                   110001,王小明,201,1,diverse,志工,3,111-2\n";
    let loose = "STUDENT_NO , n a m e,CLASS,Seat-No,data category,ITEM NAME,件數(件),學\u{3000}期\n\
                 110001,王小明,201,1,Diverse Performance,志工,3件,111-2\n";
    let a = parse_receipts(chinese.as_bytes(), None, None).unwrap();
    let b = parse_receipts(english.as_bytes(), None, None).unwrap();
    let c = parse_receipts(loose.as_bytes(), None, None).unwrap();
    for f in [&a, &b, &c] {
        assert_eq!(f.bad, vec![], "{f:?}");
        assert!(f.unknown_headers.is_empty(), "{:?}", f.unknown_headers);
    }
    assert_eq!(a.lines, b.lines);
    assert_eq!(a.lines, c.lines);
    assert_eq!(a.lines[0].count, 3);
    assert_eq!(a.lines[0].category, Category::Diverse);
    assert_eq!(a.lines[0].term, t("111-2"));
}

#[test]
fn count_and_item_columns_may_be_missing() {
    let f = parse_receipts(
        "學號,類別\n110001,基本資料\n".as_bytes(),
        None,
        Some(t("111-1")),
    )
    .unwrap();
    assert_eq!(f.lines[0].count, 1);
    assert_eq!(&*f.lines[0].item, "");
    assert_eq!(&*f.lines[0].name, "");
    assert_eq!(f.lines[0].seat, None);
}

#[test]
fn semicolon_and_tab_separated_files() {
    for sep in [";", "\t"] {
        // With a title row above the header, and a comma inside an item.
        let text = format!(
            "收訖明細\n{}",
            GOOD.replace(',', sep).replace("數學", "數學,物理")
        );
        let f = parse_receipts(text.as_bytes(), None, None).unwrap();
        assert_eq!(f.lines.len(), 3, "{sep:?}");
        assert_eq!(f.bad, vec![]);
        assert_eq!(f.header_line, 2);
        assert_eq!(&*f.lines[1].item, "數學,物理");
    }
}

#[test]
fn unknown_headers_are_kept_as_extra_fields_in_header_order() {
    let text = "備註,學號,類別,件數,學期,上傳日期,備註,說明\n\
                補件,110001,基本資料,1,111-1,111/10/03,第二個,\"有\"\"引號\"\"\n與換行\"\n\
                ,110002,基本資料,1,111-1,,,\n";
    let f = parse_receipts(text.as_bytes(), None, None).unwrap();
    assert_eq!(f.bad, vec![]);
    assert_eq!(
        f.unknown_headers,
        vec!["備註", "上傳日期", "備註 (2)", "說明"]
    );
    let extra: &str = &f.lines[0].extra;
    assert_eq!(
        extra,
        r#"{"備註":"補件","上傳日期":"111/10/03","備註 (2)":"第二個","說明":"有\"引號\"\n與換行"}"#
    );
    let v: serde_json::Value = serde_json::from_str(extra).unwrap();
    assert_eq!(v["說明"], "有\"引號\"\n與換行");
    // A row whose unknown cells are all blank keeps nothing.
    assert_eq!(&*f.lines[1].extra, "");
    // The same file again gives the same extra text (a re-import compares equal).
    let again = parse_receipts(text.as_bytes(), None, None).unwrap();
    assert_eq!(again.lines, f.lines);
    // A file without unknown columns has no extra at all.
    let plain = parse_receipts(GOOD.as_bytes(), None, None).unwrap();
    assert!(plain.lines.iter().all(|l| l.extra.is_empty()));
}

// ------------------------------------------------------------- bad rows

#[test]
fn every_bad_row_reason_on_its_physical_line() {
    i18n::set_lang(Lang::ZhTw);
    // Line 1 is a title, line 2 the header; line 4-5 is one row with a
    // quoted line break, so the rows after it are one line further down.
    let text = "111學年度第1學期 收訖明細\r\n\
        學號,姓名,班級,座號,類別,項目,件數,學期\r\n\
        110001,王小明,201,1,基本資料,學籍資料,1,111-1\r\n\
        110002,李小華,201,2,多元表現,\"志工\r\n服務\",1,111-1\r\n\
        ,無學號,201,3,基本資料,,1,111-1\r\n\
        110004,甲,201,4,獎懲紀錄,,1,111-1\r\n\
        \r\n\
        110005,乙,201,5,基本資料,,二,111-1\r\n\
        110006,丙,201,6,基本資料,,-1,111-1\r\n\
        110007,丁,201,7,基本資料,,1.5,111-1\r\n\
        110008,戊,201,8,基本資料,,1,111-3\r\n\
        110009,己,201,0,基本資料,,1,111-1\r\n\
        110010,庚,201,10,基本資料,,1,\r\n\
        110011,辛,201,11,,,1,111-1\r\n\
        110012,壬,201,12,基本資料,多,出,一格,111-1\r\n\
        110013,癸,201,13,課程學習成果,物理,2件,1111\r\n";
    let f = parse_receipts(text.as_bytes(), None, None).unwrap();
    assert_eq!(f.header_line, 2);
    assert_eq!(f.line_numbers, vec![3, 4, 17]);
    assert_eq!(f.rows, 13);
    let p = problems(&f.bad);
    let lines: Vec<usize> = p.iter().map(|x| x.0).collect();
    assert_eq!(lines, vec![6, 7, 9, 10, 11, 12, 13, 14, 15, 16]);
    assert_eq!(f.bad_lines(), 10);
    assert_eq!(f.rows, f.lines.len() + f.bad_lines());

    let expect = [
        (6, "學號", "缺少學號。"),
        (7, "類別", "「獎懲紀錄」不是資料類別"),
        (9, "件數", "件數「二」看不懂"),
        (10, "件數", "件數「-1」看不懂"),
        (11, "件數", "件數「1.5」看不懂"),
        (12, "學期", "「111-3」不是學期"),
        (13, "座號", "座號「0」不是 1 到 99 的數字"),
        (14, "學期", "沒有學期"),
        (15, "類別", "沒有資料類別"),
        (16, "", "這一列有 9 格，標題列有 8 格"),
    ];
    for ((line, column, reason), got) in expect.iter().zip(&p) {
        assert_eq!(got.0, *line);
        assert_eq!(got.1, *column, "line {line}");
        assert!(got.2.contains(reason), "line {line}: {}", got.2);
    }
    // The unknown category lists the accepted names.
    assert!(
        p[1].2
            .contains("「基本資料」、「修課紀錄」、「課程學習成果」、「多元表現」、「幹部經歷」"),
        "{}",
        p[1].2
    );
    // The whole message names the line and the column.
    assert_eq!(
        f.bad[2].message(),
        "第 9 行「件數」欄：件數「二」看不懂：請填 0 到 999 的整數（例如 2 或 2件）；空白表示 1 件。"
    );
    // 2件 and 1111 are fine.
    let last = f.lines.last().unwrap();
    assert_eq!((last.count, last.term), (2, t("111-1")));
}

#[test]
fn a_row_with_several_problems_lists_each_cell() {
    let text = "學號,類別,件數,學期,座號\n,雜項,x,abc,100\n";
    let f = parse_receipts(text.as_bytes(), None, None).unwrap();
    let cols: Vec<String> = problems(&f.bad).into_iter().map(|p| p.1).collect();
    assert_eq!(cols, vec!["學號", "類別", "件數", "學期", "座號"]);
    assert_eq!(f.bad_lines(), 1);
    assert!(f.lines.is_empty());
}

#[test]
fn english_bad_rows_read_in_english() {
    i18n::set_lang(Lang::En);
    let text = "student_no,category,count,term\n110001,nonsense,2,111-1\n";
    let f = parse_receipts(text.as_bytes(), None, None).unwrap();
    assert_eq!(
        f.bad[0].message(),
        "Line 2, column \"category\": \"nonsense\" is not a category: write \"Basic data\", \"Course records\", \"Course outcomes\", \"Diverse performance\", \"Cadre records\"."
    );
    i18n::set_lang(Lang::ZhTw);
}

// ------------------------------------------------------------- terms

#[test]
fn the_rows_term_wins_over_the_default() {
    let text = "學號,類別,學期\n110001,基本資料,111-2\n110002,基本資料,\n110003,基本資料,112上\n";
    let f = parse_receipts(text.as_bytes(), None, Some(t("111-1"))).unwrap();
    let terms: Vec<Term> = f.lines.iter().map(|l| l.term).collect();
    assert_eq!(terms, vec![t("111-2"), t("111-1"), t("112-1")]);
    // Without a default, the blank one is a bad row.
    let f = parse_receipts(text.as_bytes(), None, None).unwrap();
    assert_eq!(f.lines.len(), 2);
    assert_eq!(f.bad.len(), 1);
    assert_eq!(f.bad[0].line, 3);
    assert_eq!(f.bad[0].key, "io.bad_no_term");
}

#[test]
fn no_term_column_needs_a_default_term() {
    i18n::set_lang(Lang::ZhTw);
    let text = "學號,類別,件數\n110001,基本資料,1\n";
    let e = parse_receipts(text.as_bytes(), None, None).unwrap_err();
    assert!(
        matches!(e, ReceiptFileError::NoTerm { line: 1, .. }),
        "{e:?}"
    );
    let m = e.message();
    assert!(m.contains("--term"), "{m}");
    assert!(m.contains("學年期"), "accepted names: {m}");
    assert!(m.contains("「學號」、「類別」、「件數」"), "found: {m}");
    let f = parse_receipts(text.as_bytes(), None, Some(t("111-1"))).unwrap();
    assert_eq!(f.lines[0].term, t("111-1"));
}

// ------------------------------------------------------------- whole-file errors

#[test]
fn missing_columns_are_named_with_their_accepted_headers() {
    i18n::set_lang(Lang::ZhTw);
    let e = parse_receipts("姓名,班級,項目\n王小明,201,數學\n".as_bytes(), None, None).unwrap_err();
    match &e {
        ReceiptFileError::MissingColumns { missing, found, .. } => {
            assert_eq!(
                missing,
                &vec![Field::StudentNo, Field::Category, Field::Term]
            );
            assert_eq!(found, &vec!["姓名", "班級", "項目"]);
        }
        other => panic!("{other:?}"),
    }
    let m = e.message();
    assert!(m.contains("缺少必要欄位：學號、類別、學期"), "{m}");
    assert!(m.contains("學號（student_no、"), "{m}");
    assert!(m.contains("資料類別"), "{m}");
    assert!(
        m.contains("檔案中的標題：「姓名」、「班級」、「項目」"),
        "{m}"
    );
}

#[test]
fn empty_and_unreadable_files() {
    assert_eq!(
        parse_receipts(b"\n\n  \n", None, None).unwrap_err(),
        ReceiptFileError::Empty
    );
    assert_eq!(
        parse_students(b"", None).unwrap_err(),
        ReceiptFileError::Empty
    );
    let e = parse_receipts(b"\xFF\xFE\xFA\x00", None, None).unwrap_err();
    assert!(matches!(e, ReceiptFileError::Decode(_)));
}

// ------------------------------------------------------------- students

#[test]
fn students_with_aliases_statuses_and_problems() {
    i18n::set_lang(Lang::ZhTw);
    let text = "學生名冊\n\
        學號,學生姓名,班級,座號,年級,學籍狀態,郵遞區號,通訊地址,Email,家長\n\
        110001,王小明,301,1,,畢業,830,高雄市鳳山區文衡路51號,ming@example.tw,王父\n\
        110002,李小華,301,2,高三,,830,\"高雄市鳳山區\n光復路一段\",,\n\
        110003,陳,301,3,13,休學,,,not-an-email,\n\
        110001,重複,301,4,,,,,,\n\
        110005,林,302,5,,轉學,,,lin@example.tw,\n";
    let f = parse_students(text.as_bytes(), None).unwrap();
    assert_eq!(f.header_line, 2);
    assert_eq!(f.unknown_headers, vec!["家長"]);
    assert_eq!(f.rows, 5);
    assert_eq!(f.line_numbers, vec![3, 4, 8]);
    let nos: Vec<&str> = f.students.iter().map(|s| s.student_no.as_str()).collect();
    assert_eq!(nos, vec!["110001", "110002", "110005"]);
    let a = &f.students[0];
    assert_eq!(a.status, StudentStatus::Graduated);
    assert_eq!(a.grade, Some(12), "from the class");
    assert_eq!(a.email, "ming@example.tw");
    assert_eq!(a.postal_code, "830");
    assert_eq!(f.students[1].address, "高雄市鳳山區\n光復路一段");
    assert_eq!(f.students[2].status, StudentStatus::Transferred);
    assert_eq!(f.blank_status, vec![1]);
    let p = problems(&f.bad);
    let got: Vec<(usize, &str)> = p.iter().map(|x| (x.0, x.1.as_str())).collect();
    assert_eq!(got, vec![(6, "年級"), (6, "Email"), (7, "學號")]);
    assert!(p[0].2.contains("年級「13」"), "{}", p[0].2);
    assert!(p[1].2.contains("not-an-email"), "{}", p[1].2);
    assert_eq!(p[2].2, "學號 110001 在第 3 行已經出現過。");
    assert_eq!(f.bad_lines(), 2);
}

#[test]
fn a_big5_semicolon_student_list_with_a_title_row() {
    // The student list goes through the same reader: Big5, `;`, a title
    // row without delimiters, full-width header letters.
    let text = "111 學年度 學生名冊\r\n\
        學號;姓名;班級;ＥＭＡＩＬ\r\n\
        110001;王小明;301;ming@example.tw\r\n\
        \r\n\
        110002;李小華;301;not-an-email\r\n";
    let f = parse_students(&encode(text, TextEncoding::Big5), None).unwrap();
    assert_eq!(f.encoding, TextEncoding::Big5);
    assert_eq!(f.header_line, 2);
    assert_eq!(f.unknown_headers, Vec::<String>::new());
    assert_eq!(f.line_numbers, vec![3]);
    assert_eq!(f.students[0].name, "王小明");
    assert_eq!(f.students[0].email, "ming@example.tw");
    let p = problems(&f.bad);
    assert_eq!((p[0].0, p[0].1.as_str()), (5, "ＥＭＡＩＬ"));
}

#[test]
fn a_student_file_needs_a_number_column() {
    let e = parse_students("姓名,班級\n王,201\n".as_bytes(), None).unwrap_err();
    assert!(
        matches!(&e, ReceiptFileError::MissingColumns { kind: FileKind::Students, missing, .. } if missing == &vec![Field::StudentNo]),
        "{e:?}"
    );
}

#[test]
fn the_notices_csv_reads_back_as_a_student_list() {
    let (store, _) = fixed_store();
    let p = notice_publish(&store);
    let bytes = export_notices(NoticeFormat::Csv, &p.publish());
    let f = parse_students(&bytes, None).unwrap();
    assert_eq!(f.bad, vec![]);
    let expected: Vec<Student> = p
        .notices
        .iter()
        .map(|n| Student {
            id: 0,
            ..n.student.clone()
        })
        .collect();
    assert_eq!(f.students.len(), expected.len());
    for (got, want) in f.students.iter().zip(&expected) {
        assert_eq!(got.student_no, want.student_no);
        assert_eq!(got.name, want.name);
        assert_eq!(got.status, want.status);
        assert_eq!(got.email, want.email);
        assert_eq!(got.postal_code, want.postal_code);
    }
    assert_eq!(f.unknown_headers, vec!["學期", "確認狀態", "確認期間"]);
}

// ------------------------------------------------------------- exports

fn line(no: &str, name: &str, class: &str, cat: Category, item: &str, count: u32) -> LineIn {
    LineIn {
        term: t("115-1"),
        student_no: no.into(),
        name: name.into(),
        class: class.into(),
        seat: Some(no[no.len() - 2..].parse().unwrap()),
        category: cat,
        item: item.into(),
        count,
        extra: "".into(),
    }
}

/// 鳳山商工 (paper mail and e-mail to leavers, silence means confirmed) on
/// 115.11.25, term 115-1: a window 115.11.10~17, a fixing window ending
/// 115.11.19, three leavers (one without an address), discrepancies in
/// several units and states.
fn fixed_store() -> (Store, Vec<i64>) {
    let mut s = common::store();
    s.init_school(&preset::by_key("fengshan").unwrap(), 115)
        .unwrap();
    let lines = vec![
        line(
            "113001",
            "王小明",
            "301",
            Category::CourseOutcomes,
            "數學專題",
            2,
        ),
        line("113001", "王小明", "301", Category::Diverse, "志工服務", 1),
        line("113002", "李小華", "301", Category::Cadre, "班長", 1),
        line("113003", "陳美玲", "302", Category::Basic, "學籍資料", 1),
        line(
            "113004",
            "林志明",
            "302",
            Category::CourseRecords,
            "國語文",
            1,
        ),
        line(
            "113005",
            "Amy <O'Neil>",
            "303",
            Category::Basic,
            "學籍資料",
            1,
        ),
    ];
    s.import_receipts(&lines, &mut |_, _| {}).unwrap();
    let students = vec![
        Student {
            student_no: "113002".into(),
            status: StudentStatus::Graduated,
            postal_code: "830".into(),
            address: "高雄市鳳山區文衡路51號".into(),
            email: "hua@example.tw".into(),
            ..Default::default()
        },
        Student {
            student_no: "113004".into(),
            status: StudentStatus::Transferred,
            ..Default::default()
        },
        Student {
            student_no: "113005".into(),
            status: StudentStatus::Left,
            postal_code: "806".into(),
            address: "高雄市前鎮區 & 中山二路 <2> 號".into(),
            email: "amy@example.tw".into(),
            ..Default::default()
        },
    ];
    s.import_students(&students).unwrap();
    s.set_confirm_window(t("115-1"), Some(parse_range("115.11.10~17").unwrap()))
        .unwrap();
    s.add_event(&Event {
        id: 0,
        term: t("115-1"),
        title: "疑義處理".into(),
        phase: Phase::Fix,
        grades: Grades::ALL,
        units: vec!["註冊組".into()],
        span: parse_range("115.11.18~19").unwrap(),
        national: false,
        prepares_for: None,
        notes: String::new(),
        done_on: None,
    })
    .unwrap();
    let sid = |s: &Store, no: &str| s.student_by_no(no).unwrap().unwrap().student.id;
    let mut ids = Vec::new();
    let reports = [
        (
            "113001",
            Category::Diverse,
            Kind::Missing,
            "少了一件志工服務",
            "115.11.12",
            Via::Platform,
        ),
        (
            "113001",
            Category::CourseOutcomes,
            Kind::WrongCount,
            "應為 3 件",
            "115.11.18",
            Via::Paper,
        ),
        (
            "113003",
            Category::Basic,
            Kind::WrongName,
            "姓名有誤 | 請更正",
            "115.11.20",
            Via::Email,
        ),
        (
            "113002",
            Category::Cadre,
            Kind::Other,
            "",
            "115.11.24",
            Via::InPerson,
        ),
    ];
    for (no, cat, kind, detail, on, via) in reports {
        let id = s
            .log_discrepancy(&Discrepancy {
                id: 0,
                term: t("115-1"),
                student_id: sid(&s, no),
                category: cat,
                line_id: None,
                kind,
                detail: detail.into(),
                reported_on: d(on),
                via,
                unit: String::new(),
                status: DStatus::Reported,
                resolution: String::new(),
            })
            .unwrap();
        ids.push(id);
    }
    // The second was answered: the data was right.
    let v = s.discrepancy(ids[1]).unwrap().meta.version;
    s.advance_discrepancy(ids[1], v, DStatus::Rejected, "上傳紀錄只有 2 件")
        .unwrap();
    (s, ids)
}

struct NoticeData {
    school: String,
    notices: Vec<portfolio_desk::store::Notice>,
    window: Option<DateRange>,
    preset: preset::Preset,
}

impl NoticeData {
    fn publish(&self) -> NoticePublish<'_> {
        NoticePublish {
            school_name: &self.school,
            term: t("115-1"),
            notices: &self.notices,
            window: self.window,
            methods: &self.preset.leaver_notice,
            units: &self.preset.leaver_notice_by,
            silence_means_confirmed: self.preset.confirmation.silence_means_confirmed,
            style: DateStyle::Roc,
            generated_on: common::today(),
        }
    }
}

fn notice_publish(s: &Store) -> NoticeData {
    let school = s.require_school().unwrap();
    NoticeData {
        school: school.name.clone(),
        notices: s.leaver_notices(t("115-1")).unwrap(),
        window: s.confirm_window(t("115-1")).unwrap().map(|w| w.span),
        preset: school.preset,
    }
}

fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap()
}

/// The BOM and CRs shown, so the golden files keep every byte visible.
fn visible(s: &str) -> String {
    s.replace('\u{feff}', "<BOM>").replace('\r', "<CR>")
}

#[test]
fn notices_golden() {
    i18n::set_lang(Lang::ZhTw);
    let (s, _) = fixed_store();
    let data = notice_publish(&s);
    let names: Vec<&str> = data
        .notices
        .iter()
        .map(|n| n.student.student_no.as_str())
        .collect();
    assert_eq!(
        names,
        vec!["113002", "113004", "113005"],
        "leavers, by class"
    );
    let p = data.publish();
    let html = text(export_notices(NoticeFormat::Html, &p));
    // One letter per leaver with an address; the one without is listed.
    assert_eq!(html.matches("<section class=\"letter\">").count(), 2);
    assert!(html.contains("page-break-after: always"));
    assert!(html.contains("Amy &lt;O&#39;Neil&gt;"), "escaped");
    assert!(!html.contains("<O'Neil>"));
    assert!(html.contains("教務處、進修部"));
    assert!(html.contains("紙本郵寄、電子郵件"));
    assert!(html.contains("115.11.10~17"));
    assert!(html.contains("視為已確認"));
    let tail = &html[html.find("no-address").unwrap()..];
    assert!(tail.contains("113004"), "{tail}");
    insta::assert_snapshot!("notices_html", html);
    insta::assert_snapshot!(
        "notices_csv",
        visible(&text(export_notices(NoticeFormat::Csv, &p)))
    );
    let emails = text(export_notices(NoticeFormat::Emails, &p));
    assert_eq!(
        emails,
        "李小華 <hua@example.tw>\n\"Amy <O'Neil>\" <amy@example.tw>\n"
    );
}

#[test]
fn notices_for_a_school_without_rules_and_without_a_window() {
    i18n::set_lang(Lang::En);
    let (s, _) = fixed_store();
    let data = notice_publish(&s);
    let mut p = data.publish();
    p.methods = &[];
    p.units = &[];
    p.silence_means_confirmed = false;
    p.window = None;
    p.style = DateStyle::Gregorian;
    let html = text(export_notices(NoticeFormat::Html, &p));
    assert!(html.contains("Office of Academic Affairs"), "default unit");
    assert!(html.contains("sent by paper mail."), "default method");
    assert!(!html.contains("deemed"), "no silence rule");
    assert!(html.contains("as soon as you receive"), "no window");
    assert!(html.contains("2026-11-25"), "Gregorian date");
    let none = NoticePublish {
        notices: &[],
        ..data.publish()
    };
    let html = text(export_notices(NoticeFormat::Html, &none));
    assert!(html.contains("No leavers to notify in 115-1."), "{html}");
    i18n::set_lang(Lang::ZhTw);
}

fn disc_publish(
    s: &Store,
    term: Option<Term>,
) -> (
    String,
    Vec<portfolio_desk::store::DiscRec>,
    BTreeMap<Term, NaiveDate>,
    Vec<String>,
) {
    let school = s.require_school().unwrap();
    let items = s.discrepancies(term).unwrap();
    let mut fix = BTreeMap::new();
    if let Some(e) = s.fix_window_end(t("115-1")).unwrap() {
        fix.insert(t("115-1"), e);
    }
    (school.name, items, fix, s.routing().unwrap().units())
}

#[test]
fn discrepancies_golden() {
    i18n::set_lang(Lang::ZhTw);
    let (s, ids) = fixed_store();
    let (school, items, fix, units) = disc_publish(&s, Some(t("115-1")));
    assert_eq!(fix[&t("115-1")], d("115.11.19"));
    let p = DiscPublish {
        school_name: &school,
        term: Some(t("115-1")),
        items: &items,
        fix_end: &fix,
        units: &units,
        style: DateStyle::Roc,
        today: common::today(),
    };
    let csv = text(export_discrepancies(DiscFormat::Csv, &p));
    // Due: 3 days after the report, or the fixing window's end if sooner.
    let row = |id: i64| {
        csv.lines()
            .find(|l| l.starts_with(&format!("{id},")))
            .unwrap()
            .to_string()
    };
    assert!(row(ids[0]).ends_with(",115.11.15,是"), "{}", row(ids[0]));
    assert!(
        row(ids[1]).ends_with(",115.11.19,否"),
        "answered: not overdue"
    );
    assert!(row(ids[2]).ends_with(",115.11.23,是"), "{}", row(ids[2]));
    assert!(row(ids[3]).ends_with(",115.11.27,否"), "{}", row(ids[3]));
    insta::assert_snapshot!("discrepancies_csv", visible(&csv));
    let md = text(export_discrepancies(DiscFormat::Markdown, &p));
    // One table per unit: 鳳山 routes cadre records to 訓育組.
    let heads: Vec<&str> = md.lines().filter(|l| l.starts_with("## ")).collect();
    assert_eq!(
        heads,
        vec![
            "## 註冊組（2 件，逾期 1 件）",
            "## 學務處（1 件，逾期 1 件）",
            "## 訓育組（1 件，逾期 0 件）"
        ]
    );
    assert!(md.contains("姓名有誤 \\| 請更正"), "pipes escaped");
    insta::assert_snapshot!("discrepancies_md", md);
}

#[test]
fn discrepancies_of_every_term_in_english() {
    i18n::set_lang(Lang::En);
    let (s, _) = fixed_store();
    let (school, items, fix, units) = disc_publish(&s, None);
    let p = DiscPublish {
        school_name: &school,
        term: None,
        items: &items,
        fix_end: &fix,
        units: &units,
        style: DateStyle::Gregorian,
        today: common::today(),
    };
    let md = text(export_discrepancies(DiscFormat::Markdown, &p));
    assert!(md.starts_with("# "), "{md}");
    assert!(md.contains("receipt discrepancies\n"), "{md}");
    assert!(
        md.contains("4 in all, 3 not closed, 2 overdue; made on 2026-11-25"),
        "{md}"
    );
    assert!(md.contains("**2026-11-15 overdue**"), "{md}");
    let empty = DiscPublish { items: &[], ..p };
    let md = text(export_discrepancies(DiscFormat::Markdown, &empty));
    assert!(md.contains("(no discrepancies)"), "{md}");
    let csv = text(export_discrepancies(DiscFormat::Csv, &empty));
    assert_eq!(csv.lines().count(), 1, "the header only");
    assert!(csv.starts_with("\u{feff}No.,Term,Student no.,"), "{csv}");
    i18n::set_lang(Lang::ZhTw);
}
