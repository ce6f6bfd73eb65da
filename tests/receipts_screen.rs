//! The receipts screen (收訖/疑義) at 80x24 on a fixed clock (115.11.25)
//! over fixed data built through the store: 鳳山商工 (whose regulation says
//! silence in the window means confirmed), twelve students of 115-1 with
//! receipt lines (two of them also in 114-2), the calendar's confirmation
//! window 115.11.20~27, and five discrepancies in different statuses. Keys
//! go through `App::handle_key`, as in the real terminal.

mod common;
use std::cell::RefCell;
use std::rc::Rc;

use chrono::NaiveDate;
use common::{key, screen, snap, store, today, typed};
use portfolio_desk::app::App;
use portfolio_desk::domain::calendar::{Event, Grades, Phase};
use portfolio_desk::domain::preset;
use portfolio_desk::domain::receipt::{
    Category, Confirm, DStatus, Discrepancy, Kind, LineIn, Student, StudentStatus, Via,
};
use portfolio_desk::domain::roc::{Term, parse_date, parse_range};
use portfolio_desk::i18n::{Lang, set_lang};
use portfolio_desk::store::{DiscRec, Store};
use portfolio_desk::ui::theme::Theme;
use ratatui::crossterm::event::KeyCode;

fn t(s: &str) -> Term {
    s.parse().unwrap()
}

fn d(s: &str) -> NaiveDate {
    parse_date(s).unwrap()
}

/// (number, name, class, seat, status).
const STUDENTS: [(&str, &str, &str, u32, StudentStatus); 12] = [
    ("1140001", "王小明", "201", 1, StudentStatus::Enrolled),
    ("1140002", "林怡君", "201", 2, StudentStatus::Enrolled),
    ("1140003", "陳冠宇", "201", 3, StudentStatus::Enrolled),
    ("1140004", "張雅婷", "201", 4, StudentStatus::Enrolled),
    ("1140005", "李承恩", "201", 5, StudentStatus::Transferred),
    ("1140006", "黃詠晴", "202", 1, StudentStatus::Enrolled),
    ("1140007", "吳柏翰", "202", 2, StudentStatus::Enrolled),
    ("1140008", "劉思妤", "202", 3, StudentStatus::Enrolled),
    ("1130001", "蔡宇翔", "301", 1, StudentStatus::Enrolled),
    ("1130002", "楊語彤", "301", 2, StudentStatus::Enrolled),
    ("1130003", "許家豪", "301", 3, StudentStatus::Enrolled),
    ("1130004", "鄭芷瑄", "301", 4, StudentStatus::Graduated),
];

fn line(term: &str, no: &str, cat: Category, item: &str, count: u32) -> LineIn {
    LineIn {
        term: t(term),
        student_no: no.into(),
        name: "".into(),
        class: "".into(),
        seat: None,
        category: cat,
        item: item.into(),
        count,
        extra: "".into(),
    }
}

fn lines_of(term: &str, k: usize, no: &str) -> Vec<LineIn> {
    let courses = ["國語文", "英語文", "數學A", "歷史", "物理", "化學"];
    let mut v = vec![line(term, no, Category::Basic, "學籍資料", 1)];
    for i in 0..3 + k % 3 {
        v.push(line(
            term,
            no,
            Category::CourseRecords,
            courses[(i + k) % 6],
            1,
        ));
    }
    for i in 0..1 + k % 2 {
        v.push(line(
            term,
            no,
            Category::CourseOutcomes,
            &format!("{} 專題報告", courses[(i + k + 1) % 6]),
            1,
        ));
    }
    for i in 0..k % 4 {
        let items = ["志工服務", "社團活動", "校內競賽"];
        v.push(line(
            term,
            no,
            Category::Diverse,
            items[i % 3],
            1 + (k % 2) as u32,
        ));
    }
    if k.is_multiple_of(3) {
        v.push(line(term, no, Category::Cadre, "班長", 1));
    }
    v
}

fn sid(s: &Store, no: &str) -> i64 {
    s.student_by_no(no).unwrap().unwrap().student.id
}

fn log(s: &mut Store, no: &str, cat: Category, kind: Kind, on: &str, item: Option<&str>) -> i64 {
    let student_id = sid(s, no);
    let line_id = item.map(|it| {
        s.receipt_lines(t("115-1"), student_id)
            .unwrap()
            .into_iter()
            .find(|l| l.item == it)
            .unwrap()
            .id
    });
    s.log_discrepancy(&Discrepancy {
        id: 0,
        term: t("115-1"),
        student_id,
        category: cat,
        line_id,
        kind,
        detail: "少一件".into(),
        reported_on: d(on),
        via: Via::Platform,
        unit: String::new(),
        status: DStatus::Reported,
        resolution: String::new(),
    })
    .unwrap()
}

fn step(s: &mut Store, id: i64, to: DStatus, note: &str) {
    let v = s.discrepancy(id).unwrap().meta.version;
    s.advance_discrepancy(id, v, to, note).unwrap();
}

/// The fixed school (see the module comment).
fn fixture() -> Store {
    fixture_in(store())
}

/// The fixture's data written through `s` (in memory, or a file).
fn fixture_in(mut s: Store) -> Store {
    s.init_school(&preset::by_key("fengshan").unwrap(), 115)
        .unwrap();
    s.add_event(&Event {
        id: 0,
        term: t("115-1"),
        title: "高二、高三上網確認收訖明細".into(),
        phase: Phase::ReceiptConfirm,
        grades: Grades::of(&[11, 12]),
        units: vec!["註冊組".into()],
        span: parse_range("115.11.20~27").unwrap(),
        national: false,
        prepares_for: None,
        notes: String::new(),
        done_on: None,
    })
    .unwrap();
    let list: Vec<Student> = STUDENTS
        .iter()
        .map(|(no, name, class, seat, status)| Student {
            student_no: (*no).into(),
            name: (*name).into(),
            class: (*class).into(),
            seat: Some(*seat),
            grade: None,
            status: *status,
            ..Default::default()
        })
        .collect();
    s.import_students(&list).unwrap();
    let mut lines = Vec::new();
    for (k, (no, ..)) in STUDENTS.iter().enumerate() {
        lines.extend(lines_of("115-1", k, no));
    }
    for (k, (no, ..)) in STUDENTS.iter().enumerate().skip(8).take(2) {
        lines.extend(lines_of("114-2", k, no));
    }
    s.import_receipts(&lines, &mut |_, _| {}).unwrap();
    // #1 reported 11.20: due 11.23, overdue today.
    log(
        &mut s,
        "1140001",
        Category::Diverse,
        Kind::Missing,
        "115.11.20",
        None,
    );
    // #2 investigating, due 11.27.
    let two = log(
        &mut s,
        "1140002",
        Category::CourseOutcomes,
        Kind::WrongCount,
        "115.11.24",
        Some("數學A 專題報告"),
    );
    // The registry's colleagues hold the clerk's role.
    s.grant_role("tseng.wy", portfolio_desk::domain::access::Role::Clerk)
        .unwrap();
    s.grant_role("wu.yt", portfolio_desk::domain::access::Role::Clerk)
        .unwrap();
    s.set_user("tseng.wy");
    step(&mut s, two, DStatus::Investigating, "");
    // #3 corrected.
    let three = log(
        &mut s,
        "1140003",
        Category::CourseRecords,
        Kind::WrongName,
        "115.11.21",
        Some("歷史"),
    );
    step(&mut s, three, DStatus::Investigating, "");
    step(
        &mut s,
        three,
        DStatus::Corrected,
        "更正課程名稱為歷史（二）",
    );
    // #4 rejected (cadre: 訓育組).
    let four = log(
        &mut s,
        "1140004",
        Category::Cadre,
        Kind::Missing,
        "115.11.18",
        None,
    );
    step(&mut s, four, DStatus::Rejected, "查無擔任幹部紀錄");
    // #5 closed.
    let five = log(
        &mut s,
        "1140006",
        Category::Basic,
        Kind::WrongName,
        "115.11.19",
        Some("學籍資料"),
    );
    step(&mut s, five, DStatus::Investigating, "");
    step(&mut s, five, DStatus::Corrected, "更正姓名用字");
    step(&mut s, five, DStatus::Closed, "");
    s.set_user("registry");
    for no in ["1140007", "1130001", "1130002"] {
        let id = sid(&s, no);
        s.confirm_receipt(t("115-1"), id).unwrap();
    }
    s
}

fn open(s: Store, lang: Lang) -> App {
    set_lang(lang);
    let mut app = App::new(s, today(), Theme { color: false });
    key(&mut app, KeyCode::Char('6'));
    app
}

fn app() -> App {
    open(fixture(), Lang::ZhTw)
}

fn disc(app: &App, id: i64) -> DiscRec {
    app.store.discrepancy(id).unwrap()
}

fn confirm_of(app: &App, no: &str) -> Confirm {
    app.store
        .receipt_overview(t("115-1"))
        .unwrap()
        .into_iter()
        .find(|r| r.student.student_no == no)
        .unwrap()
        .confirm
}

/// The screen line whose text contains `text`.
fn line_with(s: &str, text: &str) -> String {
    s.lines()
        .find(|l| l.contains(text))
        .unwrap_or_else(|| panic!("no line with {text}:\n{s}"))
        .to_string()
}

/// Rows of the discrepancy table: "│#12 " (the detail pane has "#12　").
fn disc_rows(s: &str) -> usize {
    s.lines()
        .filter_map(|l| l.trim_start_matches('"').strip_prefix("│#"))
        .filter(|rest| {
            let digits = rest.chars().take_while(char::is_ascii_digit).count();
            digits > 0 && rest[digits..].starts_with(' ')
        })
        .count()
}

/// Moves the cursor to the student row whose number is `no`.
fn select_student(app: &mut App, no: &str) {
    key(app, KeyCode::Home);
    for _ in 0..STUDENTS.len() {
        if selected_row(app).contains(no) {
            return;
        }
        key(app, KeyCode::Down);
    }
    panic!("no student {no}");
}

/// The selected table row: the one whose first cell is drawn reversed.
fn selected_row(app: &App) -> String {
    use ratatui::style::Modifier;
    let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    term.draw(|f| app.draw(f)).unwrap();
    let buf = term.backend().buffer().clone();
    for y in 0..buf.area.height {
        let cell = &buf[(1, y)];
        if y > 1 && cell.modifier.contains(Modifier::REVERSED) {
            let mut row = String::new();
            for x in 0..buf.area.width {
                row.push_str(buf[(x, y)].symbol());
            }
            return row;
        }
    }
    String::new()
}

// ---------------------------------------------------------------- snapshots

#[test]
fn the_students_at_80x24_in_chinese() {
    let app = app();
    let s = snap(&app);
    assert!(s.contains("收訖/疑義　115-1 學期　學生"), "{s}");
    assert!(
        s.contains("確認期間 115.11.20~27（依期程）　開放中，到 115.11.27（還有 3 天）"),
        "{s}"
    );
    assert!(
        s.contains("已確認 3 / 12，視為已確認 0，有疑義 2　未結疑義 3　！逾期 1"),
        "{s}"
    );
    // One narrow column per category, the leaver marks, 1 open of 1.
    assert!(line_with(&s, "學號").contains("基  修  成  多  幹"), "{s}");
    assert!(line_with(&s, "李承恩").contains("轉出"), "{s}");
    assert!(line_with(&s, "王小明").contains("1/1"), "{s}");
    // The first student's lines below.
    assert!(s.contains("收訖明細 6 項"), "{s}");
    assert!(s.contains("基 學籍資料"), "{s}");
    insta::assert_snapshot!("students_zh", s);
}

#[test]
fn the_discrepancies_at_80x24_in_chinese() {
    let mut app = app();
    key(&mut app, KeyCode::Char('v'));
    let s = snap(&app);
    assert!(s.contains("收訖/疑義　115-1 學期　疑義"), "{s}");
    // By due date: the overdue one first, marked.
    let first = line_with(&s, "#1 ");
    assert!(first.contains("！115.11.23"), "{first}");
    assert!(first.contains("學務處"), "diverse goes to 學務處: {first}");
    assert!(line_with(&s, "#4 ").contains("訓育組"), "{s}");
    // The selected one's detail and steps.
    assert!(s.contains("學生說：少一件"), "{s}");
    assert!(s.contains("已逾期"), "{s}");
    insta::assert_snapshot!("discrepancies_zh", s);
}

#[test]
fn the_bar_chart_of_open_discrepancies() {
    let mut app = app();
    key(&mut app, KeyCode::Char('v'));
    key(&mut app, KeyCode::Char('b'));
    let s = snap(&app);
    assert!(s.contains("未結疑義：各單位（左）、各類別（右）"), "{s}");
    assert!(s.contains("│註冊組 學務處"), "{s}");
    insta::assert_snapshot!("chart_zh", s);
}

#[test]
fn the_students_in_english() {
    let app = open(fixture(), Lang::En);
    let s = snap(&app);
    set_lang(Lang::ZhTw);
    assert!(s.contains("Receipts  115-1  students"), "{s}");
    assert!(
        s.contains("Confirmed 3 / 12, deemed 0, disputed 2  open 3  ！overdue 1"),
        "{s}"
    );
    assert!(line_with(&s, "李承恩").contains("out"), "{s}");
    insta::assert_snapshot!("students_en", s);
}

// ---------------------------------------------------------------- keys

#[test]
fn the_filter_narrows_the_discrepancies_and_selects_the_overdue() {
    let mut app = app();
    key(&mut app, KeyCode::Char('v'));
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "註冊組");
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(s.contains("顯示 3/5"), "{s}");
    assert!(!s.contains("#1 ") && !s.contains("#4 "), "{s}");
    assert!(
        s.contains("#2 ") && s.contains("#3 ") && s.contains("#5 "),
        "{s}"
    );
    key(&mut app, KeyCode::Esc);
    assert!(snap(&app).contains("#1 "));

    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "逾期");
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(s.contains("顯示 1/5"), "{s}");
    assert_eq!(disc_rows(&s), 1, "{s}");
    assert!(s.contains("#1 "), "{s}");
    key(&mut app, KeyCode::Esc);

    // A student name and a status word together.
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "林怡君 查核中");
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(s.contains("顯示 1/5") && s.contains("#2 "), "{s}");
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "不存在的字");
    let s = snap(&app);
    assert!(s.contains("沒有符合「不存在的字」的資料"), "{s}");
}

#[test]
fn the_filter_on_students_selects_leavers() {
    let mut app = app();
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "離校");
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(s.contains("顯示 2/12"), "{s}");
    assert!(s.contains("李承恩") && s.contains("鄭芷瑄"), "{s}");
    // The lines pane follows the selection the filter moved.
    let id = sid(&app.store, "1140005");
    let n = app.store.receipt_lines(t("115-1"), id).unwrap().len();
    assert!(s.contains(&format!("收訖明細 {n} 項")), "{s}");
}

#[test]
fn the_workflow_moves_a_discrepancy_to_closed() {
    let mut app = app();
    key(&mut app, KeyCode::Char('v'));
    assert!(selected_row(&app).contains("#1 "));
    // Closing too early is refused, with the reason.
    key(&mut app, KeyCode::Char('x'));
    let s = snap(&app);
    assert!(
        s.contains("疑義 #1 目前「已提報」，要先更正或說明資料無誤，才能結案。"),
        "{s}"
    );
    assert_eq!(disc(&app, 1).d.status, DStatus::Reported);
    key(&mut app, KeyCode::Char('s'));
    assert_eq!(disc(&app, 1).d.status, DStatus::Investigating);
    assert!(snap(&app).contains("疑義 #1（王小明）：查核中"));
    // Corrected asks what was corrected; a blank note is refused.
    key(&mut app, KeyCode::Char('c'));
    let s = snap(&app);
    assert!(s.contains("標記已更正：疑義 #1（王小明）"), "{s}");
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(s.contains("標記已更正時請寫明更正了什麼"), "{s}");
    assert_eq!(disc(&app, 1).d.status, DStatus::Investigating);
    typed(&mut app, "補登志工服務");
    key(&mut app, KeyCode::Enter);
    let rec = disc(&app, 1);
    assert_eq!(rec.d.status, DStatus::Corrected);
    assert_eq!(rec.d.resolution, "補登志工服務");
    // The selection followed it (sorted after the unanswered ones).
    assert!(selected_row(&app).contains("#1 "), "{}", snap(&app));
    let s = snap(&app);
    assert!(s.contains("處理結果：補登志工服務"), "{s}");
    key(&mut app, KeyCode::Char('x'));
    assert_eq!(disc(&app, 1).d.status, DStatus::Closed);
    let steps: Vec<DStatus> = app
        .store
        .discrepancy_steps(1)
        .unwrap()
        .into_iter()
        .map(|s| s.status)
        .collect();
    assert_eq!(
        steps,
        vec![
            DStatus::Reported,
            DStatus::Investigating,
            DStatus::Corrected,
            DStatus::Closed
        ]
    );
    // Nothing follows a closed one.
    key(&mut app, KeyCode::Char('s'));
    assert!(snap(&app).contains("疑義 #1 目前「已結案」，不能直接改為「查核中」。"));
}

#[test]
fn reject_needs_a_reason_and_reopen_starts_again() {
    let mut app = app();
    key(&mut app, KeyCode::Char('v'));
    key(&mut app, KeyCode::Char('r'));
    typed(&mut app, "  ");
    key(&mut app, KeyCode::Enter);
    assert!(snap(&app).contains("說明資料無誤時請寫明理由"));
    typed(&mut app, "平臺資料與上傳一致");
    key(&mut app, KeyCode::Enter);
    assert_eq!(disc(&app, 1).d.status, DStatus::Rejected);
    assert!(selected_row(&app).contains("#1 "));
    key(&mut app, KeyCode::Char('R'));
    assert_eq!(disc(&app, 1).d.status, DStatus::Reported);
}

#[test]
fn rerouting_picks_another_unit() {
    let mut app = app();
    key(&mut app, KeyCode::Char('v'));
    key(&mut app, KeyCode::Char('u'));
    let s = snap(&app);
    assert!(s.contains("改派負責單位：疑義 #1（王小明）"), "{s}");
    typed(&mut app, "訓育");
    key(&mut app, KeyCode::Enter);
    assert_eq!(disc(&app, 1).d.unit, "訓育組");
    assert!(snap(&app).contains("疑義 #1（王小明）改由 訓育組 處理。"));
}

#[test]
fn n_logs_a_discrepancy_routed_by_category() {
    let mut app = app();
    select_student(&mut app, "1140008");
    key(&mut app, KeyCode::Char('n'));
    let s = snap(&app);
    assert!(s.contains("登錄疑義：劉思妤（1140008）　115-1"), "{s}");
    // The category is a picker: a word it does not hold is not typed in,
    // and none picked is refused; nothing is saved.
    typed(&mut app, "獎懲");
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(s.contains("請填類別"), "{s}");
    assert!(!s.contains("獎懲"), "{s}");
    assert_eq!(app.store.discrepancies(None).unwrap().len(), 5);
    for _ in 0..2 {
        key(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "幹");
    // Detail.
    for _ in 0..3 {
        key(&mut app, KeyCode::Tab);
    }
    typed(&mut app, "擔任班長一學期未列入");
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(
        s.contains("已登錄疑義 #6（劉思妤）：幹部經歷依規定分派給 訓育組。"),
        "{s}"
    );
    let rec = disc(&app, 6);
    assert_eq!(rec.d.unit, "訓育組");
    assert_eq!(rec.d.category, Category::Cadre);
    assert_eq!(rec.d.reported_on, today());
    assert_eq!(rec.d.detail, "擔任班長一學期未列入");
    assert_eq!(confirm_of(&app, "1140008"), Confirm::Disputed);
}

#[test]
fn n_on_a_receipt_line_takes_its_category_and_item() {
    let mut app = app();
    select_student(&mut app, "1140008");
    key(&mut app, KeyCode::Right);
    // Basic data, then the course records.
    key(&mut app, KeyCode::Down);
    let s = snap(&app);
    assert!(s.contains("↑↓ 選項目"), "{s}");
    key(&mut app, KeyCode::Char('n'));
    let s = snap(&app);
    assert!(line_with(&s, "類別").contains("修課紀錄"), "{s}");
    let item = app
        .store
        .receipt_lines(t("115-1"), sid(&app.store, "1140008"))
        .unwrap()[1]
        .item
        .clone();
    assert!(line_with(&s, "明細項目").contains(&item), "{s}");
    // An impossible date is refused, quoting it.
    for _ in 0..1 {
        key(&mut app, KeyCode::Tab);
    }
    for _ in 0..12 {
        key(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "115.02.31");
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(s.contains("115.02.31"), "{s}");
    assert_eq!(app.store.discrepancies(None).unwrap().len(), 5);
    for _ in 0..9 {
        key(&mut app, KeyCode::Backspace);
    }
    key(&mut app, KeyCode::Enter);
    let rec = disc(&app, 6);
    assert_eq!(rec.d.category, Category::CourseRecords);
    assert_eq!(rec.item.as_deref(), Some(item.as_str()));
    assert_eq!(rec.d.unit, "註冊組");
}

#[test]
fn y_confirms_and_capital_y_takes_it_back() {
    let mut app = app();
    select_student(&mut app, "1140008");
    key(&mut app, KeyCode::Char('y'));
    assert_eq!(confirm_of(&app, "1140008"), Confirm::Confirmed);
    let s = snap(&app);
    assert!(
        s.contains("劉思妤（1140008）已確認 115-1 的收訖明細。"),
        "{s}"
    );
    assert!(s.contains("已確認 4 / 12"), "{s}");
    // `Y` undoes a recorded confirmation: it asks first, naming who
    // recorded it and when; No (the default) keeps it.
    key(&mut app, KeyCode::Char('Y'));
    let s = snap(&app);
    assert!(s.contains("撤回確認？"), "{s}");
    assert!(s.contains("收訖確認由 registry 於 2026-11-25"), "{s}");
    assert!(s.contains("09:30 登錄。要撤回這個確認嗎？"), "{s}");
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('Y'));
    key(&mut app, KeyCode::Enter);
    assert_eq!(confirm_of(&app, "1140008"), Confirm::Confirmed);
    key(&mut app, KeyCode::Char('Y'));
    key(&mut app, KeyCode::Char('y'));
    assert_eq!(confirm_of(&app, "1140008"), Confirm::Unconfirmed);
    // A student whose discrepancy awaits an answer cannot confirm yet.
    select_student(&mut app, "1140001");
    key(&mut app, KeyCode::Char('y'));
    let s = snap(&app);
    assert!(s.contains("還有 1 件疑義等待學校回覆"), "{s}");
    assert_eq!(confirm_of(&app, "1140001"), Confirm::Disputed);
}

#[test]
fn deeming_is_refused_while_the_window_is_open_and_works_after() {
    let mut app = app();
    key(&mut app, KeyCode::Char('D'));
    let s = snap(&app);
    assert!(
        s.contains("115-1 的確認期間到 115.11.27 才結束，結束後才能視為已確認。"),
        "{s}"
    );
    // Three days later.
    app.today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
    key(&mut app, KeyCode::Char('5'));
    key(&mut app, KeyCode::Char('6'));
    let s = snap(&app);
    assert!(s.contains("已結束：未回覆者可視為已確認（D）"), "{s}");
    key(&mut app, KeyCode::Char('D'));
    let s = snap(&app);
    // 12 students: 3 confirmed; 1140001, 1140002 and 1140003 (corrected,
    // to resubmit) still have one open; the other 6 are deemed (1140004's
    // was rejected, 1140006's closed).
    assert!(s.contains("要把 6"), "{s}");
    assert!(s.contains("另有 3"), "{s}");
    // No is the default.
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.store.confirm_progress(t("115-1")).unwrap().deemed, 0);
    key(&mut app, KeyCode::Char('D'));
    key(&mut app, KeyCode::Char('y'));
    let p = app.store.confirm_progress(t("115-1")).unwrap();
    assert_eq!(p.deemed, 6);
    let s = snap(&app);
    assert!(s.contains("115-1：已將 6 位學生視為已確認"), "{s}");
    assert!(s.contains("視為已確認 6"), "{s}");
    // Only the director may undo it: the registry gives the role up.
    app.store
        .revoke_role("registry", portfolio_desk::domain::access::Role::Director)
        .unwrap();
    key(&mut app, KeyCode::Char('U'));
    let s = snap(&app);
    assert!(
        s.contains("不能撤銷「視為已確認」：需要「教務主任」權限"),
        "{s}"
    );
    assert_eq!(app.store.confirm_progress(t("115-1")).unwrap().deemed, 6);
}

#[test]
fn the_window_can_be_set_by_hand_and_cleared() {
    let mut app = app();
    key(&mut app, KeyCode::Char('w'));
    let s = snap(&app);
    assert!(
        s.contains("115-1 收訖確認期間（目前 115.11.20~27，依期程）"),
        "{s}"
    );
    typed(&mut app, "115.12.01~02");
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(s.contains("確認期間「115.12.01~02」只有 2 天"), "{s}");
    for _ in 0..2 {
        key(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "05");
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(
        s.contains("確認期間 115.12.01~05（自訂）　6 天後開始"),
        "{s}"
    );
    key(&mut app, KeyCode::Char('w'));
    for _ in 0..12 {
        key(&mut app, KeyCode::Backspace);
    }
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(s.contains("115-1 的確認期間已改回依期程。"), "{s}");
    assert!(s.contains("確認期間 115.11.20~27（依期程）"), "{s}");
}

#[test]
fn a_stale_step_names_who_changed_it_and_keeps_the_note() {
    let mut app = app();
    key(&mut app, KeyCode::Char('v'));
    key(&mut app, KeyCode::Down);
    assert!(selected_row(&app).contains("#2 "), "{}", snap(&app));
    key(&mut app, KeyCode::Char('r'));
    // Someone else re-routes #2 while the form is open.
    let v = disc(&app, 2).meta.version;
    app.store.set_user("wu.yt");
    app.store.route_discrepancy(2, v, "教學組").unwrap();
    app.store.set_user("registry");
    typed(&mut app, "件數與上傳紀錄相符");
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(
        s.contains("這筆資料已由 wu.yt 於 2026-11-25 09:30 修改。"),
        "{s}"
    );
    assert!(s.contains("件數與上傳紀錄相符"), "{s}");
    assert_eq!(disc(&app, 2).d.status, DStatus::Investigating);
    // Enter again sends it knowingly.
    key(&mut app, KeyCode::Enter);
    let rec = disc(&app, 2);
    assert_eq!(rec.d.status, DStatus::Rejected);
    assert_eq!(rec.d.unit, "教學組");
}

#[test]
fn a_stale_key_step_is_refused_naming_who() {
    let mut app = app();
    key(&mut app, KeyCode::Char('v'));
    let v = disc(&app, 1).meta.version;
    app.store.set_user("wu.yt");
    app.store.route_discrepancy(1, v, "教學組").unwrap();
    app.store.set_user("registry");
    key(&mut app, KeyCode::Char('s'));
    let s = snap(&app);
    assert!(
        s.contains("這筆資料已由 wu.yt 於 2026-11-25 09:30 修改"),
        "{s}"
    );
    assert_eq!(disc(&app, 1).d.status, DStatus::Reported);
    // The screen reloaded: the next try goes through.
    key(&mut app, KeyCode::Char('s'));
    assert_eq!(disc(&app, 1).d.status, DStatus::Investigating);
}

#[test]
fn editing_a_student_quotes_bad_input_and_saves_good_input() {
    let mut app = app();
    select_student(&mut app, "1140008");
    key(&mut app, KeyCode::Char('e'));
    let s = snap(&app);
    assert!(s.contains("編輯學生：劉思妤（1140008）"), "{s}");
    // Seat.
    for _ in 0..3 {
        key(&mut app, KeyCode::Tab);
    }
    key(&mut app, KeyCode::Backspace);
    typed(&mut app, "100");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    for _ in 0..4 {
        key(&mut app, KeyCode::Backspace);
    }
    // The status is a picker: a word it does not hold is not typed in.
    typed(&mut app, "休假");
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(s.contains("座號「100」不是 1 到 99 的數字。"), "{s}");
    assert!(s.contains("< 在學 >"), "{s}");
    assert!(!s.contains("休假"), "{s}");
    // Fix both.
    for _ in 0..3 {
        key(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "9");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    for _ in 0..2 {
        key(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "離校");
    key(&mut app, KeyCode::Enter);
    let st = app.store.student_by_no("1140008").unwrap().unwrap().student;
    assert_eq!(st.seat, Some(9));
    assert_eq!(st.status, StudentStatus::Left);
    let s = snap(&app);
    assert!(s.contains("已儲存：劉思妤（1140008）"), "{s}");
    assert!(line_with(&s, "劉思妤").contains("離校"), "{s}");
}

#[test]
fn switching_terms() {
    let mut app = app();
    key(&mut app, KeyCode::Char('['));
    let s = snap(&app);
    assert!(s.contains("收訖/疑義　114-2 學期　學生"), "{s}");
    assert!(s.contains("已確認 0 / 2"), "{s}");
    assert!(s.contains("確認期間未設定"), "{s}");
    key(&mut app, KeyCode::Char('['));
    assert!(snap(&app).contains("沒有更早的學期有收訖明細。"));
    key(&mut app, KeyCode::Char(']'));
    assert!(snap(&app).contains("收訖/疑義　115-1 學期"));
    key(&mut app, KeyCode::Char(']'));
    assert!(snap(&app).contains("沒有更新的學期有收訖明細。"));
}

#[test]
fn sorting_cycles_and_says_so() {
    let mut app = app();
    key(&mut app, KeyCode::Char('o'));
    let s = snap(&app);
    assert!(s.contains("排序：未結疑義多者在前"), "{s}");
    assert!(selected_row(&app).contains("1140001") || selected_row(&app).contains("1140002"));
    key(&mut app, KeyCode::Char('v'));
    key(&mut app, KeyCode::Char('o'));
    let s = snap(&app);
    assert!(s.contains("排序：依提報日"), "{s}");
    // Newest report first: #2 (11.24).
    key(&mut app, KeyCode::Home);
    assert!(selected_row(&app).contains("#2 "), "{s}");
}

#[test]
fn empty_states_say_what_to_do() {
    set_lang(Lang::ZhTw);
    let mut app = App::new(store(), today(), Theme { color: false });
    key(&mut app, KeyCode::Char('6'));
    assert!(snap(&app).contains("這個資料庫尚未建立學校"));
    let mut s = store();
    s.init_school(&preset::by_key("fengshan").unwrap(), 115)
        .unwrap();
    let mut app = open(s, Lang::ZhTw);
    let s = snap(&app);
    assert!(s.contains("還沒有收訖明細。"), "{s}");
    assert!(
        s.contains("portfolio-desk import receipts 檔案.csv --term 115-1"),
        "{s}"
    );
    assert!(s.contains("I 匯入"), "{s}");
    key(&mut app, KeyCode::Char('I'));
    assert!(snap(&app).contains("匯入收訖明細 CSV"));
}

#[test]
fn importing_a_file_with_bad_rows_asks_first_and_the_same_file_again_changes_nothing() {
    let dir = tempfile::TempDir::new().unwrap();
    let path = dir.path().join("receipts.csv");
    std::fs::write(
        &path,
        "學號,姓名,班級,座號,類別,項目,件數\n\
         1150001,周新生,101,1,基本資料,學籍資料,1\n\
         1150001,周新生,101,1,多元表現,志工服務,2\n\
         1150002,何同學,101,2,獎懲紀錄,嘉獎,1\n\
         1150002,何同學,101,2,修課紀錄,國語文,x\n\
         1150003,江同學,101,3,修課紀錄,英語文,1\n",
    )
    .unwrap();
    let mut app = app();
    key(&mut app, KeyCode::Char('I'));
    typed(&mut app, path.to_str().unwrap());
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(s.contains("有 2 列有問題，3 列正確"), "{s}");
    assert!(s.contains("第 4 行"), "{s}");
    assert!(s.contains("只匯入其餘 3 筆正確的資料？"), "{s}");
    assert!(app.store.student_by_no("1150001").unwrap().is_none());
    // Esc: nothing imported.
    key(&mut app, KeyCode::Esc);
    assert!(app.store.student_by_no("1150001").unwrap().is_none());
    key(&mut app, KeyCode::Char('I'));
    typed(&mut app, path.to_str().unwrap());
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('y'));
    let s = snap(&app);
    assert!(
        s.contains("已匯入 115-1：新增 3 項、新學生 2 位。略過有問題的 2 列。"),
        "{s}"
    );
    assert!(s.contains("已確認 3 / 14"), "{s}");
    // The outcome stays in a box until closed.
    assert!(s.contains("匯入完成"), "{s}");
    key(&mut app, KeyCode::Esc);
    // The good rows again: nothing changes.
    let good = dir.path().join("good.csv");
    std::fs::write(
        &good,
        "學號,姓名,班級,座號,類別,項目,件數\n\
         1150001,周新生,101,1,基本資料,學籍資料,1\n\
         1150001,周新生,101,1,多元表現,志工服務,2\n\
         1150003,江同學,101,3,修課紀錄,英語文,1\n",
    )
    .unwrap();
    key(&mut app, KeyCode::Char('I'));
    typed(&mut app, good.to_str().unwrap());
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(s.contains("115-1 沒有任何變更（3 項與資料庫相同）"), "{s}");
    key(&mut app, KeyCode::Esc);
    // A missing file is said in the form, which stays with the input.
    key(&mut app, KeyCode::Char('I'));
    typed(&mut app, "/nonexistent/x.csv");
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(s.contains("找不到檔案「/nonexistent/x.csv」"), "{s}");
}

#[test]
fn a_large_import_reports_its_progress() {
    let dir = tempfile::TempDir::new().unwrap();
    let path = dir.path().join("big.csv");
    let mut csv = String::from("學號,姓名,班級,座號,類別,項目,件數\n");
    for k in 0..500 {
        for i in 0..20 {
            csv += &format!(
                "116{k:04},學生{k},1{:02},{},修課紀錄,科目{i},1\n",
                k / 40 + 1,
                k % 40 + 1
            );
        }
    }
    std::fs::write(&path, csv).unwrap();
    let calls: Rc<RefCell<Vec<(String, usize, usize)>>> = Rc::default();
    let mut app = app();
    let sink = Rc::clone(&calls);
    app.set_progress(Box::new(move |label, done, total| {
        sink.borrow_mut().push((label.to_string(), done, total));
    }));
    key(&mut app, KeyCode::Char('I'));
    typed(&mut app, path.to_str().unwrap());
    assert!(
        calls.borrow().is_empty(),
        "nothing reported before the import"
    );
    key(&mut app, KeyCode::Enter);
    // 10,000 new lines to a term of 100 (issue 12): asked first, then yes.
    assert!(snap(&app).contains("收訖明細將大幅增加"));
    key(&mut app, KeyCode::Char('y'));
    let calls = calls.borrow();
    let import: Vec<(usize, usize)> = calls
        .iter()
        .filter(|(l, ..)| l == "匯入收訖明細")
        .map(|(_, d, t)| (*d, *t))
        .collect();
    assert_eq!(
        import,
        vec![
            // The attempt that stopped to ask wrote nothing.
            (0, 10_000),
            (0, 10_000),
            (4096, 10_000),
            (8192, 10_000),
            (10_000, 10_000)
        ]
    );
    assert!(calls.iter().any(|(l, ..)| l == "讀取檔案"), "{calls:?}");
    // The app repaints the whole terminal after drawing outside ratatui.
    assert!(app.take_repaint());
    assert!(!app.take_repaint());
    assert!(snap(&app).contains("新增 10,000 項、新學生 500 位"));
}

#[test]
fn the_progress_line_fits_and_counts() {
    use portfolio_desk::app::progress_line;
    use portfolio_desk::ui::text::width;
    let l = progress_line("匯入收訖明細", 54_000, 120_000, 80);
    assert!(l.contains(" 45%  54,000 / 120,000"), "{l}");
    assert!(l.contains("[=================="), "{l}");
    assert!(width(&l) <= 80);
    for w in [0, 1, 5, 20, 40, 200] {
        assert!(width(&progress_line("匯入收訖明細", 1, 3, w)) <= w);
    }
    assert!(progress_line("x", 0, 0, 40).contains("100%"));
}

#[test]
fn no_panic_at_any_size() {
    let mut app = app();
    let steps: [&[KeyCode]; 7] = [
        &[],
        &[KeyCode::Right],
        &[KeyCode::Esc, KeyCode::Char('v')],
        &[KeyCode::Char('b')],
        &[KeyCode::Char('/'), KeyCode::Char('x')],
        &[KeyCode::Esc, KeyCode::Char('b'), KeyCode::Char('n')],
        &[KeyCode::Esc, KeyCode::Char('v'), KeyCode::Char('e')],
    ];
    for keys in steps {
        for &k in keys {
            key(&mut app, k);
        }
        for w in [1u16, 2, 3, 5, 10, 30, 59, 60, 61, 79, 80, 100, 120, 200] {
            for h in [1u16, 2, 5, 10, 15, 16, 17, 20, 24, 40, 60] {
                let _ = screen(&app, w, h);
            }
        }
    }
    // The import report over the screen.
    let dir = tempfile::TempDir::new().unwrap();
    let path = dir.path().join("bad.csv");
    std::fs::write(
        &path,
        "學號,類別,項目\n1150001,獎懲,嘉獎\n1150002,基本資料,學籍資料\n",
    )
    .unwrap();
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('I'));
    typed(&mut app, path.to_str().unwrap());
    key(&mut app, KeyCode::Enter);
    assert!(snap(&app).contains("只匯入其餘 1 筆正確的資料？"));
    for w in [1u16, 2, 3, 5, 10, 30, 59, 60, 61, 79, 80, 100, 120, 200] {
        for h in [1u16, 2, 5, 10, 15, 16, 17, 20, 24, 40, 60] {
            let _ = screen(&app, w, h);
        }
    }
    // Wide: the report date column shows.
    let mut app = self::app();
    key(&mut app, KeyCode::Char('v'));
    let s = screen(&app, 200, 60);
    assert!(s.contains("提報日"), "{s}");
}

#[derive(Clone, Default)]
struct Counter(Rc<std::cell::Cell<usize>>);

impl std::io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.set(self.0.get() + buf.len());
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Bytes written for each of 8 moves down and 8 up, after `setup`.
fn cursor_bytes(setup: &[char]) -> Vec<usize> {
    use ratatui::backend::CrosstermBackend;
    use ratatui::layout::Rect;
    use ratatui::{Terminal, TerminalOptions, Viewport};
    let mut app = app();
    for &c in setup {
        key(&mut app, KeyCode::Char(c));
    }
    let counter = Counter::default();
    // The backend the app draws through.
    let mut term = Terminal::with_options(
        portfolio_desk::ui::backend::Lean::new(CrosstermBackend::new(counter.clone())),
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, 80, 24)),
        },
    )
    .unwrap();
    term.draw(|f| app.draw(f)).unwrap();
    let mut keys = vec![KeyCode::Down; 8];
    keys.extend(vec![KeyCode::Up; 8]);
    keys.into_iter()
        .map(|code| {
            let before = counter.0.get();
            key(&mut app, code);
            term.draw(|f| app.draw(f)).unwrap();
            counter.0.get() - before
        })
        .collect()
}

/// DESIGN: at most 300 bytes for a cursor move in a list. With the chart
/// pane (which does not follow the cursor) that holds for both lists.
#[test]
fn a_cursor_move_repaints_little() {
    for setup in [&['b'][..], &['v', 'b'][..]] {
        for (n, bytes) in cursor_bytes(setup).into_iter().enumerate() {
            assert!(bytes <= 300, "{setup:?} move {n}: {bytes} bytes");
        }
    }
}

/// With the detail pane the pane follows the cursor (another student's
/// receipt lines, another discrepancy's detail and steps): a move costs the
/// pane's changed Chinese text, about 300–600 bytes through the app's
/// backend; the list itself still repaints only its first column (whole
/// rows would add ~250 bytes a row).
#[test]
fn a_cursor_move_with_the_detail_pane_repaints_the_pane_only() {
    for (setup, limit) in [(&[][..], 500), (&['v'][..], 650)] {
        let bytes = cursor_bytes(setup);
        let max = *bytes.iter().max().unwrap();
        assert!(max <= limit, "{setup:?}: {bytes:?}");
    }
}

/// The confirmation states of the term's students, by number.
fn confirm_states(app: &App) -> Vec<(String, Confirm)> {
    app.store
        .receipt_overview(t("115-1"))
        .unwrap()
        .into_iter()
        .map(|r| (r.student.student_no, r.confirm))
        .collect()
}

#[test]
fn y_after_a_clean_import_confirms_no_student() {
    let dir = tempfile::TempDir::new().unwrap();
    let path = dir.path().join("clean.csv");
    std::fs::write(
        &path,
        "學號,姓名,班級,座號,類別,項目,件數\n\
         1150001,周新生,101,1,基本資料,學籍資料,1\n\
         1150002,何同學,101,2,多元表現,志工服務,1\n",
    )
    .unwrap();
    let mut app = app();
    let before = confirm_states(&app);
    key(&mut app, KeyCode::Char('I'));
    typed(&mut app, path.to_str().unwrap());
    key(&mut app, KeyCode::Enter);
    let after_import = confirm_states(&app);
    let audit_import = app.store.recent_audit(usize::MAX >> 1).unwrap().len();
    assert_eq!(after_import.len(), before.len() + 2, "{}", snap(&app));
    let s = snap(&app);
    assert!(s.contains("匯入完成"), "{s}");
    assert!(s.contains("新增 2 項、新學生 2 位"), "{s}");
    // `y` (and the screen's other keys) by habit: the box takes them.
    for c in ['y', 'Y', 'D', 'x', '2', 'j', 'y'] {
        key(&mut app, KeyCode::Char(c));
    }
    assert_eq!(
        confirm_states(&app),
        after_import,
        "a student was confirmed"
    );
    assert_eq!(
        app.store.recent_audit(usize::MAX >> 1).unwrap().len(),
        audit_import,
        "a key on the import box wrote"
    );
    assert_eq!(
        app.current_screen(),
        5,
        "`2` switched screens under the box"
    );
    let s = snap(&app);
    assert!(s.contains("匯入完成"), "the box is still open:\n{s}");
    // Closed, `y` is the list's "confirmed" again: the test can tell.
    key(&mut app, KeyCode::Esc);
    assert!(!snap(&app).contains("匯入完成"));
    // (the last student, who has nothing open)
    key(&mut app, KeyCode::Char('G'));
    key(&mut app, KeyCode::Char('y'));
    assert_ne!(confirm_states(&app), after_import, "{}", snap(&app));
}

#[test]
fn y_and_capital_y_on_a_student_changed_meanwhile_are_refused_naming_who() {
    set_lang(Lang::ZhTw);
    let dir = tempfile::TempDir::new().unwrap();
    let path = dir.path().join("school.db");
    let mut a = Store::open(&path).unwrap();
    a.set_user("registry");
    a.set_fixed_now("2026-11-25T09:30:00+08:00");
    let a = fixture_in(a);
    let mut b = Store::open(&path).unwrap();
    b.set_user("wu.yt");
    b.set_fixed_now("2026-11-25T10:05:00+08:00");
    let mut app = App::new(a, today(), Theme { color: false });
    key(&mut app, KeyCode::Char('6'));
    select_student(&mut app, "1140008");
    let id = app
        .store
        .student_by_no("1140008")
        .unwrap()
        .unwrap()
        .student
        .id;
    // A colleague confirms, then takes it back: this screen still shows
    // the first state (unconfirmed, no row) and has not refreshed.
    b.confirm_receipt(t("115-1"), id).unwrap();
    b.unconfirm_receipt(t("115-1"), id).unwrap();
    let audit = app.store.recent_audit(1000).unwrap().len();
    key(&mut app, KeyCode::Char('y'));
    let s = snap(&app);
    assert!(
        s.contains("這筆資料已由 wu.yt 於 2026-11-25 10:05 修改，畫面已重新載入"),
        "{s}"
    );
    assert_eq!(confirm_of(&app, "1140008"), Confirm::Unconfirmed);
    assert_eq!(app.store.recent_audit(1000).unwrap().len(), audit);
    // Reloaded: now `y` goes through.
    key(&mut app, KeyCode::Char('y'));
    assert_eq!(confirm_of(&app, "1140008"), Confirm::Confirmed);
    // `Y` asked; meanwhile the colleague takes it back and confirms again.
    key(&mut app, KeyCode::Char('Y'));
    assert!(snap(&app).contains("撤回確認？"));
    b.unconfirm_receipt(t("115-1"), id).unwrap();
    b.confirm_receipt(t("115-1"), id).unwrap();
    let audit = app.store.recent_audit(1000).unwrap().len();
    key(&mut app, KeyCode::Char('y'));
    let s = snap(&app);
    assert!(
        s.contains("這筆資料已由 wu.yt 於 2026-11-25 10:05 修改"),
        "{s}"
    );
    assert_eq!(confirm_of(&app, "1140008"), Confirm::Confirmed);
    assert_eq!(app.store.recent_audit(1000).unwrap().len(), audit);
}

// ------------------------------------------------------------- issue 12: imports

/// Lines of 115-1 stored now.
fn lines_115_1(app: &App) -> u32 {
    app.store
        .receipt_overview(t("115-1"))
        .unwrap()
        .iter()
        .map(|r| r.lines)
        .sum()
}

#[test]
fn an_import_growing_a_term_by_more_than_half_asks_and_no_writes_nothing() {
    let mut app = app();
    let before = lines_115_1(&app);
    assert!(before > 20, "{before}");
    let imports = app.store.receipt_imports(t("115-1")).unwrap();
    // As many new lines as the term has: +100 %.
    let dir = tempfile::TempDir::new().unwrap();
    let path = dir.path().join("other.csv");
    let mut csv = String::from("學號,姓名,班級,座號,類別,項目,件數\n");
    for k in 0..before {
        csv += &format!("1169{k:03},新生{k},105,{},修課紀錄,國語文,1\n", k % 40 + 1);
    }
    std::fs::write(&path, csv).unwrap();
    key(&mut app, KeyCode::Char('I'));
    typed(&mut app, path.to_str().unwrap());
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(s.contains("收訖明細將大幅增加"), "{s}");
    insta::assert_snapshot!("import_growth_confirm_zh", s);
    // Enter on the default (No): nothing written.
    key(&mut app, KeyCode::Enter);
    assert_eq!(lines_115_1(&app), before);
    assert!(app.store.student_by_no("1169000").unwrap().is_none());
    assert_eq!(app.store.receipt_imports(t("115-1")).unwrap(), imports);
    let s = snap(&app);
    assert!(!s.contains("收訖明細將大幅增加"), "{s}");
    // Again, and yes: imported.
    key(&mut app, KeyCode::Char('I'));
    typed(&mut app, path.to_str().unwrap());
    key(&mut app, KeyCode::Enter);
    assert!(snap(&app).contains("收訖明細將大幅增加"));
    key(&mut app, KeyCode::Char('y'));
    assert_eq!(lines_115_1(&app), 2 * before);
    assert_eq!(
        app.store.receipt_imports(t("115-1")).unwrap().len(),
        imports.len() + 1
    );
    let s = snap(&app);
    assert!(
        s.contains(&format!("已匯入 115-1：新增 {before} 項")),
        "{s}"
    );
}

#[test]
fn identical_rows_are_listed_with_both_lines_and_imported_once() {
    let mut app = app();
    let before = lines_115_1(&app);
    let dir = tempfile::TempDir::new().unwrap();
    let path = dir.path().join("twice.csv");
    let once = "1150001,周新生,101,1,基本資料,學籍資料,1\n\
                1150001,周新生,101,1,多元表現,志工服務,2\n";
    std::fs::write(
        &path,
        format!("學號,姓名,班級,座號,類別,項目,件數\n{once}{once}"),
    )
    .unwrap();
    key(&mut app, KeyCode::Char('I'));
    typed(&mut app, path.to_str().unwrap());
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(s.contains("相同的列"), "{s}");
    assert!(s.contains("第 2 行與第 4 行相同"), "{s}");
    assert!(s.contains("第 3 行與第 5 行相同"), "{s}");
    assert!(s.contains("合併相同的列 2 筆"), "{s}");
    assert_eq!(lines_115_1(&app), before + 2);
}

#[test]
fn help_wraps_long_descriptions_at_80x24() {
    let mut app = app();
    key(&mut app, KeyCode::Char('?'));
    let s = snap(&app);
    // The filter's description is wider than the box: it goes on under
    // itself, whole, and no line of it starts with a closing mark.
    let body: Vec<&str> = s.lines().collect();
    let at = body
        .iter()
        .position(|l| l.contains("輸入文字篩選"))
        .unwrap_or_else(|| panic!("{s}"));
    assert!(body[at + 1].contains("類別"), "{s}");
    for l in &body {
        let desc = l.split("  ").filter(|p| !p.trim().is_empty()).nth(1);
        if let Some(d) = desc {
            assert!(
                !d.trim_start().starts_with(['」', '，', '。', '）', '；']),
                "{l}"
            );
        }
    }
    assert!(!s.contains('…'), "nothing is cut:\n{s}");
    insta::assert_snapshot!(s);
}
