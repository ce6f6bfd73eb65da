//! The calendar screen (期程) at 80x24 on a fixed clock (115.11.25, term
//! 115-1) and fixed data: a 臺東高中 school (lead time 7 days) with nine
//! windows around today — one open, one ending today, two overdue (one of
//! them a receipt confirmation of only two days), one done, upcoming ones
//! and a national deadline with its preparation. Keys go through
//! `App::handle_key`, as in the real terminal.

mod common;
use common::{ctrl, key, screen, snap, store, today, typed};
use portfolio_desk::app::App;
use portfolio_desk::domain::calendar::{Event, Grades, Phase};
use portfolio_desk::domain::preset;
use portfolio_desk::domain::roc::{Term, parse_date, parse_range};
use portfolio_desk::i18n::{Lang, set_lang};
use portfolio_desk::store::Store;
use portfolio_desk::ui::theme::Theme;
use ratatui::crossterm::event::KeyCode;

const T: Term = Term {
    year: 115,
    semester: 1,
};

fn ev(title: &str, phase: Phase, grades: &[u8], units: &[&str], dates: &str) -> Event {
    Event {
        id: 0,
        term: T,
        title: title.into(),
        phase,
        grades: Grades::of(grades),
        units: units.iter().map(|u| u.to_string()).collect(),
        span: parse_range(dates).unwrap(),
        national: false,
        prepares_for: None,
        notes: String::new(),
        done_on: None,
    }
}

fn fixture() -> Store {
    fixture_in(store())
}

/// The fixture's windows written through `s` (in memory, or a file).
fn fixture_in(mut s: Store) -> Store {
    s.init_school(&preset::by_key("taitung").unwrap(), 115)
        .unwrap();
    let add = |s: &mut Store, e: Event| s.add_event(&e).unwrap();
    add(
        &mut s,
        ev(
            "高三課程學習成果上傳",
            Phase::Upload,
            &[12],
            &["註冊組", "教學組"],
            "115.11.16~12.04",
        ),
    );
    add(
        &mut s,
        ev(
            "教師認證課程學習成果",
            Phase::Certify,
            &[],
            &["教學組"],
            "115.12.07~12.18",
        ),
    );
    add(
        &mut s,
        ev(
            "高三學生勾選提交資料",
            Phase::Select,
            &[12],
            &["註冊組"],
            "115.12.21~12.25",
        ),
    );
    let mut national = ev(
        "學校提交中央資料庫",
        Phase::SchoolSubmit,
        &[12],
        &["註冊組"],
        "116.01.05~01.12",
    );
    national.national = true;
    let nid = add(&mut s, national);
    let mut prep = ev(
        "提交前校內檢核",
        Phase::SelfCheck,
        &[12],
        &["註冊組", "資訊組"],
        "115.12.28~12.31",
    );
    prep.prepares_for = Some(nid);
    add(&mut s, prep);
    add(
        &mut s,
        ev(
            "幹部經歷登錄",
            Phase::Other,
            &[10, 11],
            &["訓育組"],
            "115.11.02~11.13",
        ),
    );
    add(
        &mut s,
        ev(
            "高二收訖確認",
            Phase::ReceiptConfirm,
            &[11],
            &["註冊組"],
            "115.11.18~11.19",
        ),
    );
    let mut meeting = ev(
        "第一次工作小組會議",
        Phase::Meeting,
        &[],
        &["教務處"],
        "115.10.14",
    );
    meeting.done_on = Some(parse_date("115.10.14").unwrap());
    add(&mut s, meeting);
    let mut talk = ev(
        "高一學習歷程說明會",
        Phase::Training,
        &[10],
        &["輔導室"],
        "115.11.25",
    );
    talk.notes = "第 6 節，禮堂".into();
    add(&mut s, talk);
    s
}

fn app(lang: Lang) -> App {
    set_lang(lang);
    let mut app = App::new(fixture(), today(), Theme { color: false });
    key(&mut app, KeyCode::Char('2'));
    app
}

/// The screen's line that starts (inside the border) with `first`.
fn row<'a>(s: &'a str, first: &str) -> &'a str {
    s.lines()
        .find(|l| {
            l.trim_start_matches(['│', '"', ' ', '›'])
                .starts_with(first)
        })
        .unwrap_or_else(|| panic!("no row {first:?} in\n{s}"))
}

fn has_row(s: &str, first: &str) -> bool {
    s.lines().any(|l| {
        l.trim_start_matches(['│', '"', ' ', '›'])
            .starts_with(first)
    })
}

fn titles(store: &Store) -> Vec<String> {
    store
        .events()
        .unwrap()
        .into_iter()
        .map(|r| r.event.title)
        .collect()
}

/// Goes to the agenda and selects the window whose title starts with
/// `title` (by filtering on it, then clearing the filter).
fn agenda_select(app: &mut App, title: &str) {
    key(app, KeyCode::Char('v'));
    key(app, KeyCode::Char('/'));
    typed(app, title);
    key(app, KeyCode::Enter);
    // With one row left it is selected; clearing the filter keeps it.
    key(app, KeyCode::Esc);
}

#[test]
fn month_view_zh() {
    let app = app(Lang::ZhTw);
    let s = snap(&app);
    assert!(s.contains("期程　115-1 學期　月曆"), "{s}");
    assert!(s.contains("115 年 11 月"), "{s}");
    assert!(s.contains("[25]"), "today is bracketed\n{s}");
    // The selected day starts at today and lists its two windows.
    assert!(s.contains("115.11.25（三）　2 筆期程"), "{s}");
    assert!(s.contains("› 高三課程學習成果上傳"), "{s}");
    assert!(s.contains("高一學習歷程說明會"), "{s}");
    assert!(s.contains("今天截止"), "{s}");
    // The marked window in full, and the month's other windows.
    assert!(s.contains("期間 115.11.16~12.04（19 天）"), "{s}");
    assert!(s.contains("11 月的其他期程"), "{s}");
    assert!(s.contains("！幹部經歷登錄"), "{s}");
    assert!(s.contains("！未登錄休業式"), "{s}");
    insta::assert_snapshot!(s);
}

/// The fixture and two windows of the next term (115-2): one that has been
/// open since 115.10.01 (as in the demo) and one starting in December.
fn app_with_next_term() -> App {
    set_lang(Lang::ZhTw);
    let mut s = fixture();
    let next = Term {
        year: 115,
        semester: 2,
    };
    for (title, dates) in [
        ("高三下學期課程規劃", "115.10.01~12.31"),
        ("高一選課說明", "115.12.14~12.18"),
    ] {
        let mut e = ev(title, Phase::Other, &[], &["教務處"], dates);
        e.term = next;
        s.add_event(&e).unwrap();
    }
    let mut app = App::new(s, today(), Theme { color: false });
    key(&mut app, KeyCode::Char('2'));
    app
}

/// Days are days: the month and the agenda list every term's windows (the
/// other term's tagged with it), and the keys act on the one marked; the
/// header's counts, the timeline and export stay the shown term's.
#[test]
fn another_terms_windows_show_in_the_month_and_the_agenda() {
    let mut app = app_with_next_term();
    let s = snap(&app);
    assert!(s.contains("期程　115-1 學期　月曆"), "{s}");
    assert!(s.contains("115.11.25（三）　3 筆期程"), "{s}");
    assert!(s.contains("［115-2］高三下學期課程規劃"), "{s}");
    assert!(!s.contains("這天沒有期程"), "{s}");
    // The counts are 115-1's, and say so.
    assert!(s.contains("115-1 共 9 筆"), "{s}");
    insta::assert_snapshot!("month_other_term", s);
    // x on it marks that window done, not a 115-1 one.
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(s.contains("› ［115-2］高三下學期"), "{s}");
    key(&mut app, KeyCode::Char('x'));
    let mut done: Vec<String> = app
        .store
        .events()
        .unwrap()
        .into_iter()
        .filter(|r| r.event.done_on.is_some())
        .map(|r| r.event.title)
        .collect();
    done.sort();
    assert_eq!(done, vec!["第一次工作小組會議", "高三下學期課程規劃"]);
    // The agenda has the December window of 115-2, tagged.
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('v'));
    let s = snap(&app);
    assert!(
        row(&s, "115.12.14~18").contains("［115-2］高一選課說明"),
        "{s}"
    );
    assert!(s.contains("期程　115-1 學期　待辦清單"), "{s}");
    insta::assert_snapshot!("agenda_other_term", s);
    // Editing it keeps the shown term.
    key(&mut app, KeyCode::Esc);
    agenda_select_here(&mut app, "高一選課");
    key(&mut app, KeyCode::Char('e'));
    let s = snap(&app);
    assert!(s.contains("編輯期程：高一選課說明"), "{s}");
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::End);
    typed(&mut app, "會");
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(s.contains("已儲存：高一選課說明會"), "{s}");
    assert!(s.contains("期程　115-1 學期　待辦清單"), "{s}");
    assert!(row(&s, "115.12.14~18").contains("高一選課說明會"), "{s}");
    // The timeline is 115-1's only.
    key(&mut app, KeyCode::Char('v'));
    let s = snap(&app);
    assert!(!s.contains("高一選課說明"), "{s}");
    assert!(!s.contains("高三下學期課程規劃"), "{s}");
    // Export writes the shown term's windows.
    key(&mut app, KeyCode::Char('E'));
    assert!(snap(&app).contains("匯出 115-1 學期期程（9 筆）"));
}

/// In the agenda already: selects the window whose title starts with
/// `title` (filter, then clear the filter).
fn agenda_select_here(app: &mut App, title: &str) {
    key(app, KeyCode::Char('/'));
    typed(app, title);
    key(app, KeyCode::Enter);
    key(app, KeyCode::Esc);
}

#[test]
fn moving_the_cursor_lists_that_days_windows() {
    let mut app = app(Lang::ZhTw);
    // Twelve days on: 115.12.07, the certification window.
    for _ in 0..5 {
        key(&mut app, KeyCode::Right);
    }
    key(&mut app, KeyCode::Char('j'));
    let s = snap(&app);
    assert!(s.contains("115 年 12 月"), "{s}");
    assert!(s.contains("115.12.07（一）　1 筆期程"), "{s}");
    assert!(s.contains("› 教師認證課程學習成果"), "{s}");
    // A day with nothing, then a month back with PgUp, then today with t.
    key(&mut app, KeyCode::Char('l'));
    key(&mut app, KeyCode::Char('l'));
    key(&mut app, KeyCode::Char('l'));
    key(&mut app, KeyCode::Char('l'));
    key(&mut app, KeyCode::Char('l'));
    key(&mut app, KeyCode::Char('l'));
    key(&mut app, KeyCode::Char('l'));
    key(&mut app, KeyCode::Char('l'));
    key(&mut app, KeyCode::Char('l'));
    key(&mut app, KeyCode::Char('l'));
    key(&mut app, KeyCode::Char('l'));
    key(&mut app, KeyCode::Char('l'));
    key(&mut app, KeyCode::Char('l'));
    key(&mut app, KeyCode::Char('l'));
    let s = snap(&app);
    assert!(s.contains("115.12.21（一）"), "{s}");
    key(&mut app, KeyCode::Char('h'));
    let s = snap(&app);
    assert!(s.contains("115.12.20（日）"), "{s}");
    assert!(s.contains("這天沒有期程"), "{s}");
    key(&mut app, KeyCode::PageUp);
    assert!(snap(&app).contains("115.11.20（五）"));
    key(&mut app, KeyCode::Char('k'));
    assert!(snap(&app).contains("115.11.13（五）"));
    key(&mut app, KeyCode::Char('t'));
    let s = snap(&app);
    assert!(s.contains("115.11.25（三）　2 筆期程"), "{s}");
    // Enter moves into the day's list; ↓ marks the second window; Esc back.
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Down);
    let s = snap(&app);
    assert!(s.contains("› 高一學習歷程說明會"), "{s}");
    assert!(s.contains("備註 第 6 節，禮堂"), "{s}");
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Right);
    assert!(snap(&app).contains("115.11.26（四）"));
}

#[test]
fn agenda_view_zh() {
    let mut app = app(Lang::ZhTw);
    key(&mut app, KeyCode::Char('v'));
    let s = snap(&app);
    assert!(s.contains("期程　115-1 學期　待辦清單"), "{s}");
    assert!(s.contains("115.11.23 週（本週）"), "{s}");
    assert!(s.contains("116.01.04 週"), "{s}");
    assert!(row(&s, "115.11.16~12.04").contains("進行中"), "{s}");
    assert!(row(&s, "115.11.25").contains("今天截止"), "{s}");
    assert!(row(&s, "115.12.07~18").contains("12 天後"), "{s}");
    assert!(row(&s, "115.12.07~18").contains("全部年級"), "{s}");
    // Overdue last, under their heading, marked with text.
    assert!(s.contains("！逾期未完成 2 筆"), "{s}");
    assert!(row(&s, "115.11.02~13").contains("！幹部經歷登錄"), "{s}");
    assert!(row(&s, "115.11.02~13").contains("逾期 12 天"), "{s}");
    // The done meeting is past: not in the agenda.
    assert!(!s.contains("第一次工作小組會議"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn agenda_view_en() {
    let mut app = app(Lang::En);
    key(&mut app, KeyCode::Char('v'));
    let s = snap(&app);
    assert!(s.contains("Calendar  term 115-1  Agenda"), "{s}");
    assert!(s.contains("Week of 115.11.23 (this week)"), "{s}");
    assert!(row(&s, "115.11.02~13").contains("12 days late"), "{s}");
    assert!(row(&s, "115.12.07~18").contains("in 12 days"), "{s}");
    assert!(s.contains("! Overdue, not done: 2"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn timeline_view_zh() {
    let mut app = app(Lang::ZhTw);
    key(&mut app, KeyCode::Char('v'));
    key(&mut app, KeyCode::Char('v'));
    let s = snap(&app);
    assert!(s.contains("期程　115-1 學期　時間軸"), "{s}");
    for m in ["8 月", "9 月", "10 月", "11 月", "12 月", "1 月"] {
        assert!(s.contains(m), "{m}\n{s}");
    }
    assert!(s.contains("今天 115.11.25"), "{s}");
    // One row per window, in start order, each with a bar.
    assert!(row(&s, "第一次工作小組會議").contains('▓'), "done: {s}");
    assert!(row(&s, "高三課程學習成果上傳").contains('█'), "{s}");
    assert!(row(&s, "！幹部經歷登錄").contains('█'), "{s}");
    assert!(row(&s, "學校提交中央資料庫").contains('█'), "{s}");
    // Today's line crosses the rows that are not open today.
    assert!(row(&s, "教師認證課程學習成果").contains('│'), "{s}");
    // The selected (first upcoming) window is marked; what its row does
    // not show is on the last line.
    assert!(s.contains("│›高三課程學習成果上傳"), "{s}");
    assert!(s.contains("│115.11.16~12.04  上傳  12 "), "{s}");
    insta::assert_snapshot!(s);
    // ↓ selects the next window; its line follows.
    key(&mut app, KeyCode::Down);
    let s = snap(&app);
    assert!(s.contains("│›！高二收訖確認"), "{s}");
    assert!(s.contains("│ 高三課程學習成果上傳"), "{s}");
    assert!(s.contains("│115.11.18~19  收訖確認  11 "), "{s}");
}

#[test]
fn the_check_lists_findings_and_jumps_to_the_window() {
    let mut app = app(Lang::ZhTw);
    key(&mut app, KeyCode::Char('c'));
    let s = snap(&app);
    assert!(s.contains("期程檢查　115-1 學期"), "{s}");
    // Errors first.
    assert!(s.contains("期程檢查：1 個錯誤、4 個提醒。"), "{s}");
    let first = s
        .lines()
        .position(|l| l.contains("錯誤 收訖確認「高二收訖確認」115.11.18~19 只有 2 天"));
    let second = s
        .lines()
        .position(|l| l.contains("提醒 115-1 學期沒有登錄休業式日期"));
    assert!(first.is_some() && first < second, "{s}");
    // The selected finding in full, with why.
    assert!(
        s.contains("原因：國教署規定：學生確認收訖明細的期間至少 3 天"),
        "{s}"
    );
    insta::assert_snapshot!(s);
    // ↓ shows the next one's reason.
    key(&mut app, KeyCode::Down);
    let s = snap(&app);
    assert!(s.contains("原因：上傳截止日須在休業式後至少兩週"), "{s}");
    // Enter on the receipt-confirmation finding: its window is selected.
    key(&mut app, KeyCode::Up);
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(!s.contains("期程檢查　"), "{s}");
    assert!(s.contains("115.11.18（三）　2 筆期程"), "{s}");
    assert!(s.contains("› ！高二收訖確認"), "{s}");
    // Enter on the closing-ceremony finding opens the term settings.
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('c'));
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    assert!(snap(&app).contains("115-1 學期設定"));
}

#[test]
fn an_impossible_date_is_refused_in_the_form_and_nothing_is_saved() {
    let mut app = app(Lang::ZhTw);
    let before = titles(&app.store);
    key(&mut app, KeyCode::Char('n'));
    let s = snap(&app);
    assert!(s.contains("新增期程"), "{s}");
    // The cursor is on the title; the term and the cursor's day are filled in.
    typed(&mut app, "高三補傳");
    key(&mut app, KeyCode::Tab);
    // The phase starts as 其他 (other).
    key(&mut app, KeyCode::Backspace);
    key(&mut app, KeyCode::Backspace);
    typed(&mut app, "上傳");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "12");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    for _ in 0..12 {
        key(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "115.02.30");
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(s.contains("新增期程"), "the form stays open\n{s}");
    assert!(s.contains("115.02.30"), "the message quotes the input\n{s}");
    assert!(s.contains("高三補傳"), "what was typed is kept\n{s}");
    insta::assert_snapshot!(s);
    assert_eq!(titles(&app.store), before, "nothing was saved");
    // A phase and a grade that cannot be read are refused too, with theirs
    // (the cursor is on the dates, the field with the problem).
    key(&mut app, KeyCode::Up);
    key(&mut app, KeyCode::Up);
    key(&mut app, KeyCode::End);
    typed(&mut app, ",13");
    // The phase is a picker: what it cannot take is not typed in.
    key(&mut app, KeyCode::Up);
    typed(&mut app, "x");
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(s.contains("年級「13」看不懂"), "{s}");
    assert!(s.contains("< 上傳 >"), "{s}");
    assert!(!s.contains("作業階段「"), "{s}");
    assert_eq!(titles(&app.store), before, "nothing was saved");
}

#[test]
fn a_window_added_through_the_form_shows_in_the_agenda() {
    let mut app = app(Lang::ZhTw);
    key(&mut app, KeyCode::Char('v'));
    key(&mut app, KeyCode::Char('n'));
    typed(&mut app, "高三多元表現補登");
    key(&mut app, KeyCode::Tab);
    // The phase is a picker: typing finds the value.
    typed(&mut app, "上");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "高三");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "註冊組、輔導室");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "115.12.01~12.04");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "學校提交中央資料庫");
    ctrl(&mut app, 's');
    let s = snap(&app);
    assert!(
        s.contains("已新增：高三多元表現補登 115.12.01~04（115-1 學期）"),
        "{s}"
    );
    let r = row(&s, "115.12.01~04");
    assert!(r.contains("高三多元表現補登"), "{s}");
    assert!(r.contains("上傳"), "{s}");
    assert!(r.contains("6 天後"), "{s}");
    assert!(r.contains("註冊組…"), "{s}");
    // It is selected: the last line shows what it prepares for.
    assert!(
        s.contains("│準備：「學校提交中央資料庫」116.01.05~12"),
        "{s}"
    );
    let saved = app
        .store
        .events()
        .unwrap()
        .into_iter()
        .find(|r| r.event.title == "高三多元表現補登")
        .unwrap()
        .event;
    assert_eq!(saved.grades.list(), vec![12]);
    assert_eq!(saved.units, vec!["註冊組", "輔導室"]);
    assert!(saved.prepares_for.is_some());
}

#[test]
fn edit_and_duplicate_prefill_the_form() {
    let mut app = app(Lang::ZhTw);
    key(&mut app, KeyCode::Char('e'));
    let s = snap(&app);
    assert!(s.contains("編輯期程：高三課程學習成果上傳"), "{s}");
    assert!(s.contains("115.11.16~12.04"), "{s}");
    assert!(s.contains("註冊組、教學組"), "{s}");
    insta::assert_snapshot!("edit_form", s);
    // Change the title, save: the month marks it.
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::End);
    typed(&mut app, "（第一梯次）");
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(
        s.contains("已儲存：高三課程學習成果上傳（第一梯次）"),
        "{s}"
    );
    assert!(s.contains("› 高三課程學習成果上傳（第"), "{s}");
    assert!(
        s.contains("│高三課程學習成果上傳（第一梯次）")
            || s.contains("   高三課程學習成果上傳（第一梯次）"),
        "{s}"
    );
    // y: a new window from the selected one, the cursor on its dates.
    key(&mut app, KeyCode::Char('y'));
    let s = snap(&app);
    assert!(
        s.contains("複製期程：高三課程學習成果上傳（第一梯次）"),
        "{s}"
    );
    for _ in 0..20 {
        key(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "115.12.07~12.11");
    key(&mut app, KeyCode::Enter);
    let n = titles(&app.store)
        .iter()
        .filter(|t| *t == "高三課程學習成果上傳（第一梯次）")
        .count();
    assert_eq!(n, 2);
}

#[test]
fn filter_by_grade_phase_and_unit() {
    let mut app = app(Lang::ZhTw);
    key(&mut app, KeyCode::Char('v'));
    // A grade: its windows and the all-grade ones, not grade 12's.
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "10");
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    // (The done meeting concerns every grade too; past and done, it is
    // counted but not in the agenda.)
    assert!(s.contains("顯示 4/9 筆"), "{s}");
    assert!(s.contains("高一學習歷程說明會"), "{s}");
    assert!(s.contains("幹部經歷登錄"), "{s}");
    assert!(s.contains("教師認證課程學習成果"), "all grades\n{s}");
    assert!(!s.contains("高三課程學習成果上傳"), "{s}");
    assert!(s.contains("/10"), "the filter shows\n{s}");
    insta::assert_snapshot!("filter_grade", s);
    // A phase, by its name.
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "認證");
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(s.contains("顯示 1/9 筆"), "{s}");
    assert!(s.contains("教師認證課程學習成果"), "{s}");
    // A unit and a grade together: both must match.
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "註冊組 11");
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(s.contains("顯示 1/9 筆"), "{s}");
    assert!(s.contains("高二收訖確認"), "{s}");
    // The filter applies to the month and the timeline too.
    key(&mut app, KeyCode::Char('v'));
    let s = snap(&app);
    assert!(has_row(&s, "！高二收訖確認"), "{s}");
    assert!(!has_row(&s, "高三課程學習成果上傳"), "{s}");
    // The month goes to the selected window's day.
    key(&mut app, KeyCode::Char('v'));
    let s = snap(&app);
    assert!(s.contains("115.11.18（三）　1 筆期程"), "{s}");
    assert!(s.contains("› ！高二收訖確認"), "{s}");
    key(&mut app, KeyCode::Char('t'));
    let s = snap(&app);
    assert!(s.contains("115.11.25（三）"), "{s}");
    assert!(s.contains("這天沒有符合篩選的期程"), "{s}");
    // Nothing matches: said so.
    key(&mut app, KeyCode::Char('v'));
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "沒有這種");
    let s = snap(&app);
    assert!(s.contains("沒有符合「沒有這種」的期程"), "{s}");
}

#[test]
fn delete_asks_naming_the_window_and_defaults_to_no() {
    let mut app = app(Lang::ZhTw);
    agenda_select(&mut app, "教師認證");
    key(&mut app, KeyCode::Char('d'));
    let s = snap(&app);
    assert!(s.contains("刪除期程"), "{s}");
    // The confirm names the window (the dialog wraps the line).
    assert!(
        s.contains("確定要刪除期程「教師認證課程學習成果」（115.12.07~18，115-1"),
        "{s}"
    );
    insta::assert_snapshot!("delete_confirm", s);
    key(&mut app, KeyCode::Enter);
    assert!(titles(&app.store).contains(&"教師認證課程學習成果".to_string()));
    key(&mut app, KeyCode::Char('d'));
    key(&mut app, KeyCode::Char('y'));
    let s = snap(&app);
    assert!(s.contains("已刪除：教師認證課程學習成果"), "{s}");
    assert!(!has_row(&s, "115.12.07~18"), "{s}");
    assert!(!titles(&app.store).contains(&"教師認證課程學習成果".to_string()));
}

#[test]
fn done_toggles_and_the_overdue_mark_goes() {
    let mut app = app(Lang::ZhTw);
    agenda_select(&mut app, "幹部經歷");
    key(&mut app, KeyCode::Char('x'));
    let s = snap(&app);
    assert!(s.contains("已標記完成：幹部經歷登錄"), "{s}");
    // Past and done: out of the agenda; one overdue left.
    assert!(!has_row(&s, "115.11.02~13"), "{s}");
    assert!(s.contains("！逾期未完成 1 筆"), "{s}");
    assert!(s.contains("逾期 1"), "{s}");
    // On the timeline it is there, done; x again undoes it.
    key(&mut app, KeyCode::Char('v'));
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "幹部");
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(row(&s, "幹部經歷登錄").contains('▓'), "{s}");
    assert!(s.contains("已完成"), "{s}");
    // Undoing a recorded done asks first, naming who and when; No keeps it.
    key(&mut app, KeyCode::Char('x'));
    let s = snap(&app);
    assert!(s.contains("取消已完成？"), "{s}");
    assert!(s.contains("已由 registry 於 2026-11-25 09:30"), "{s}");
    key(&mut app, KeyCode::Char('n'));
    assert!(!snap(&app).contains("已取消完成標記"));
    key(&mut app, KeyCode::Char('x'));
    key(&mut app, KeyCode::Char('y'));
    let s = snap(&app);
    assert!(s.contains("已取消完成標記：幹部經歷登錄"), "{s}");
    assert!(row(&s, "！幹部經歷登錄").contains('█'), "{s}");
    let rec = app
        .store
        .events()
        .unwrap()
        .into_iter()
        .find(|r| r.event.title == "幹部經歷登錄")
        .unwrap();
    assert_eq!(rec.event.done_on, None);
}

#[test]
fn term_settings_record_the_closing_ceremony() {
    let mut app = app(Lang::ZhTw);
    key(&mut app, KeyCode::Char('s'));
    let s = snap(&app);
    assert!(s.contains("115-1 學期設定"), "{s}");
    assert!(s.contains("115.08.01~116.01.31"), "{s}");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "116.01.32");
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(s.contains("116.01.32"), "refused, quoted\n{s}");
    for _ in 0..9 {
        key(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "116.01.20");
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(
        s.contains("已儲存 115-1 學期：115.08.01~116.01.31，休業式 116.01.20"),
        "{s}"
    );
    assert!(s.contains("休業式 116.01.20"), "{s}");
    assert!(!s.contains("未登錄休業式"), "{s}");
    // The check now measures the upload deadline against it.
    key(&mut app, KeyCode::Char('c'));
    let s = snap(&app);
    assert!(!s.contains("沒有登錄休業式日期"), "{s}");
}

#[test]
fn switching_terms_and_copying_forward() {
    let mut app = app(Lang::ZhTw);
    key(&mut app, KeyCode::Char(']'));
    assert!(snap(&app).contains("沒有更晚的學期"));
    // C: confirm (default No), then y.
    key(&mut app, KeyCode::Char('C'));
    let s = snap(&app);
    assert!(s.contains("把 115-1 學期的 9 筆期程複製為 116-1"), "{s}");
    key(&mut app, KeyCode::Char('y'));
    let s = snap(&app);
    assert!(s.contains("已複製 115-1 → 116-1"), "{s}");
    assert!(s.contains("共 9 筆複製到 116-1"), "{s}");
    // 115.12.07 is a Monday; 116.12.07 a Tuesday.
    assert!(
        s.contains("！教師認證課程學習成果　116.12.07~18（週一 → 週二"),
        "{s}"
    );
    insta::assert_snapshot!("copy_report", s);
    key(&mut app, KeyCode::Esc);
    let s = snap(&app);
    assert!(s.contains("期程　116-1 學期"), "{s}");
    assert!(
        s.contains("已複製 9 筆期程到 116-1 學期") || s.contains("共 9 筆"),
        "{s}"
    );
    // [ and ] go between the terms that exist.
    key(&mut app, KeyCode::Char('['));
    assert!(snap(&app).contains("期程　115-1 學期"));
    key(&mut app, KeyCode::Char(']'));
    assert!(snap(&app).contains("期程　116-1 學期"));
    // Copying again is refused: 116-1 has windows.
    key(&mut app, KeyCode::Char('['));
    key(&mut app, KeyCode::Char('C'));
    key(&mut app, KeyCode::Char('y'));
    let s = snap(&app);
    assert!(s.contains("116-1 學期已有 9 筆期程"), "{s}");
}

#[test]
fn importing_a_csv_with_bad_rows_asks_before_importing_the_good_ones() {
    let dir = tempfile::TempDir::new().unwrap();
    let path = dir.path().join("cal.csv");
    std::fs::write(
        &path,
        "學期,日期,作業內容,作業階段,年級,負責單位\n\
         115-2,116.03.02~03.13,高三課程學習成果上傳,上傳,12,註冊組\n\
         115-2,116.02.30,壞日期,上傳,12,註冊組\n\
         115-2,116.04.01~04.10,教師認證,認證,,教學組\n",
    )
    .unwrap();
    let mut app = app(Lang::ZhTw);
    key(&mut app, KeyCode::Char('I'));
    let s = snap(&app);
    assert!(s.contains("匯入期程 CSV"), "{s}");
    typed(&mut app, path.to_str().unwrap());
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(s.contains("有 1 列有問題，2 列正確"), "{s}");
    assert!(s.contains("第 3 行"), "{s}");
    assert!(s.contains("116.02.30"), "{s}");
    assert!(s.contains("只匯入其餘 2 筆正確的資料？"), "{s}");
    // Nothing imported yet.
    assert!(!titles(&app.store).contains(&"教師認證".to_string()));
    // Esc cancels; nothing imported.
    key(&mut app, KeyCode::Esc);
    assert!(!titles(&app.store).contains(&"教師認證".to_string()));
    // Again, and y imports the good rows.
    key(&mut app, KeyCode::Char('I'));
    typed(&mut app, path.to_str().unwrap());
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('y'));
    let s = snap(&app);
    assert!(s.contains("已匯入 2 筆"), "{s}");
    assert!(s.contains("新增學期 115-2"), "{s}");
    // The screen shows the term the file was about.
    assert!(s.contains("期程　115-2 學期"), "{s}");
    assert!(titles(&app.store).contains(&"教師認證".to_string()));
    assert!(!titles(&app.store).contains(&"壞日期".to_string()));
    // The outcome stays in a box: another `y` (the screen's "duplicate")
    // or `2` does nothing under it.
    assert!(s.contains("匯入完成"), "{s}");
    key(&mut app, KeyCode::Char('y'));
    key(&mut app, KeyCode::Char('3'));
    let s = snap(&app);
    assert!(s.contains("匯入完成") && !s.contains("複製期程"), "{s}");
    assert_eq!(app.current_screen(), 1);
    key(&mut app, KeyCode::Esc);
    assert!(!snap(&app).contains("匯入完成"));
    // A missing file is said in the form, which stays.
    key(&mut app, KeyCode::Char('I'));
    typed(&mut app, "/nonexistent/x.csv");
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(s.contains("找不到檔案「/nonexistent/x.csv」"), "{s}");
}

#[test]
fn exporting_writes_the_file_and_says_where() {
    let dir = tempfile::TempDir::new().unwrap();
    let mut app = app(Lang::ZhTw);
    key(&mut app, KeyCode::Char('E'));
    let s = snap(&app);
    assert!(s.contains("匯出 115-1 學期期程（9 筆）"), "{s}");
    assert!(s.contains("./期程-115-1.html"), "{s}");
    insta::assert_snapshot!("export_form", s);
    for _ in 0..4 {
        key(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "md");
    key(&mut app, KeyCode::Tab);
    for _ in 0..20 {
        key(&mut app, KeyCode::Backspace);
    }
    let out = dir.path().join("cal.md");
    typed(&mut app, out.to_str().unwrap());
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(s.contains("已匯出 115-1 學期 9 筆期程"), "{s}");
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("高三課程學習成果上傳"), "{text}");
    // A bad format is refused in the form.
    key(&mut app, KeyCode::Char('E'));
    for _ in 0..4 {
        key(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "pdf");
    key(&mut app, KeyCode::Enter);
    assert!(snap(&app).contains("不認得的格式「pdf」"));
}

#[test]
fn exporting_an_ics_of_a_term_without_windows_is_refused_in_the_form() {
    set_lang(Lang::ZhTw);
    let mut store = fixture();
    for r in store.events().unwrap() {
        if r.event.term.to_string() == "115-1" {
            store.delete_event(r.event.id, r.meta.version).unwrap();
        }
    }
    let dir = tempfile::TempDir::new().unwrap();
    let mut app = App::new(store, today(), Theme { color: false });
    key(&mut app, KeyCode::Char('2'));
    key(&mut app, KeyCode::Char('E'));
    for _ in 0..4 {
        key(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "ics");
    key(&mut app, KeyCode::Tab);
    for _ in 0..20 {
        key(&mut app, KeyCode::Backspace);
    }
    let out = dir.path().join("cal.ics");
    typed(&mut app, out.to_str().unwrap());
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(
        s.contains("115-1 學期沒有期程：ICS 檔至少要有一個事件，無法匯出。"),
        "{s}"
    );
    assert!(!out.exists(), "no file written");
    assert!(
        s.contains("匯出 115-1 學期期程（0 筆）"),
        "the form stays: {s}"
    );
}

#[test]
fn exporting_an_ics_while_the_filter_hides_every_window_says_so() {
    let dir = tempfile::TempDir::new().unwrap();
    let mut app = app(Lang::ZhTw);
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "沒有這種期程");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('E'));
    for _ in 0..4 {
        key(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "ics");
    key(&mut app, KeyCode::Tab);
    for _ in 0..20 {
        key(&mut app, KeyCode::Backspace);
    }
    let out = dir.path().join("cal.ics");
    typed(&mut app, out.to_str().unwrap());
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(s.contains("篩選「沒有這種期程」下 115-1 學期"), "{s}");
    assert!(!out.exists(), "no file written");
}

#[test]
fn help_lists_the_calendar_keys() {
    let mut app = app(Lang::ZhTw);
    key(&mut app, KeyCode::Char('?'));
    let s = snap(&app);
    assert!(s.contains("切換月曆、待辦清單、時間軸"), "{s}");
    assert!(s.contains("期程檢查"), "{s}");
}

#[test]
fn no_panic_at_any_size() {
    let sizes = [
        (1, 1),
        (20, 5),
        (59, 16),
        (60, 16),
        (61, 17),
        (70, 18),
        (80, 24),
        (120, 40),
        (200, 60),
    ];
    let mut app = app(Lang::ZhTw);
    for view in 0..3 {
        for &(w, h) in &sizes {
            screen(&app, w, h);
        }
        if view == 0 {
            key(&mut app, KeyCode::Enter);
            for &(w, h) in &sizes {
                screen(&app, w, h);
            }
            key(&mut app, KeyCode::Esc);
        }
        key(&mut app, KeyCode::Char('v'));
    }
    key(&mut app, KeyCode::Char('c'));
    for &(w, h) in &sizes {
        screen(&app, w, h);
    }
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('n'));
    for &(w, h) in &sizes {
        screen(&app, w, h);
    }
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('C'));
    key(&mut app, KeyCode::Char('y'));
    for &(w, h) in &sizes {
        screen(&app, w, h);
    }
    // An empty term, in every view.
    key(&mut app, KeyCode::Esc);
    for _ in 0..3 {
        key(&mut app, KeyCode::Char('v'));
        for &(w, h) in &sizes {
            screen(&app, w, h);
        }
    }
}

/// A database without a school: the screen says so and offers nothing.
#[test]
fn without_a_school() {
    set_lang(Lang::ZhTw);
    let mut app = App::new(store(), today(), Theme { color: false });
    key(&mut app, KeyCode::Char('2'));
    let s = snap(&app);
    assert!(s.contains("這個資料庫尚未建立學校"), "{s}");
    key(&mut app, KeyCode::Char('n'));
    assert!(!snap(&app).contains("新增期程"));
}

/// A writer that only counts what would reach the terminal.
#[derive(Clone, Default)]
struct Counter(std::rc::Rc<std::cell::Cell<usize>>);

impl std::io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.set(self.0.get() + buf.len());
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Bytes written to the real crossterm backend at 80x24 for each of `keys`,
/// after the previous frame.
fn bytes_for_keys(app: &mut App, keys: &[KeyCode]) -> Vec<usize> {
    use ratatui::backend::CrosstermBackend;
    use ratatui::layout::Rect;
    use ratatui::{Terminal, TerminalOptions, Viewport};
    let counter = Counter::default();
    let mut term = Terminal::with_options(
        CrosstermBackend::new(counter.clone()),
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, 80, 24)),
        },
    )
    .unwrap();
    term.draw(|f| app.draw(f)).unwrap();
    let mut out = Vec::new();
    for &code in keys {
        let before = counter.0.get();
        key(app, code);
        term.draw(|f| app.draw(f)).unwrap();
        out.push(counter.0.get() - before);
    }
    out
}

fn bytes_for(app: &mut App, code: KeyCode) -> Vec<usize> {
    bytes_for_keys(app, &[code; 4])
}

/// Down through every row of the page and back up.
fn down_and_up(n: usize) -> Vec<KeyCode> {
    let mut keys = vec![KeyCode::Down; n];
    keys.extend(vec![KeyCode::Up; n]);
    keys
}

/// Over SSH every byte counts (DESIGN: at most 300 bytes for a cursor move
/// in a list): a move within the page rewrites the selection marks and the
/// short last line, not the rows (a full 80x24 frame of this screen is
/// about 3,000 bytes).
#[test]
fn a_cursor_move_repaints_little() {
    let mut app = app(Lang::ZhTw);
    // Between days without windows: only the cursor and the day's heading.
    key(&mut app, KeyCode::Right);
    for b in bytes_for(&mut app, KeyCode::Right) {
        assert!(b < 200, "month move: {b} bytes");
    }
    // Agenda: eight windows, all on the page.
    key(&mut app, KeyCode::Char('v'));
    key(&mut app, KeyCode::Char('g'));
    let agenda = bytes_for_keys(&mut app, &down_and_up(7));
    assert!(agenda.iter().all(|&b| b <= 300), "agenda moves: {agenda:?}");
    // Timeline: nine windows.
    key(&mut app, KeyCode::Char('v'));
    key(&mut app, KeyCode::Char('g'));
    let timeline = bytes_for_keys(&mut app, &down_and_up(8));
    assert!(
        timeline.iter().all(|&b| b <= 300),
        "timeline moves: {timeline:?}"
    );
    // With another term's windows (tagged, so cut titles) in the agenda:
    // nine of its ten windows on the page.
    let mut app = app_with_next_term();
    key(&mut app, KeyCode::Char('v'));
    key(&mut app, KeyCode::Char('g'));
    let agenda = bytes_for_keys(&mut app, &down_and_up(8));
    assert!(agenda.iter().all(|&b| b <= 300), "agenda moves: {agenda:?}");
}

/// Someone else saved the window while the form was open: the save is
/// refused, saying who and when; what was typed stays, and a second save
/// overwrites knowingly.
#[test]
fn a_stale_edit_keeps_the_input_and_says_who_changed_it() {
    let mut app = app(Lang::ZhTw);
    key(&mut app, KeyCode::Char('e'));
    key(&mut app, KeyCode::Down);
    // End keeps the selected title to add to it.
    key(&mut app, KeyCode::End);
    typed(&mut app, "（改）");
    // Meanwhile, another user marks it done.
    let rec = app
        .store
        .events()
        .unwrap()
        .into_iter()
        .find(|r| r.event.title == "高三課程學習成果上傳")
        .unwrap();
    app.store
        .grant_role(
            "student_affairs",
            portfolio_desk::domain::access::Role::Clerk,
        )
        .unwrap();
    app.store.set_user("student_affairs");
    app.store
        .set_event_done(rec.event.id, rec.meta.version, Some(today()))
        .unwrap();
    app.store.set_user("registry");
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(s.contains("這筆資料已由 student_affairs 於"), "{s}");
    assert!(s.contains("高三課程學習成果上傳（改）"), "{s}");
    assert!(titles(&app.store).contains(&"高三課程學習成果上傳".to_string()));
    ctrl(&mut app, 's');
    let s = snap(&app);
    assert!(s.contains("已儲存：高三課程學習成果上傳（改）"), "{s}");
    assert!(titles(&app.store).contains(&"高三課程學習成果上傳（改）".to_string()));
}

#[test]
fn x_on_a_window_changed_meanwhile_is_refused_naming_who() {
    set_lang(Lang::ZhTw);
    let dir = tempfile::TempDir::new().unwrap();
    let path = dir.path().join("school.db");
    let mut a = Store::open(&path).unwrap();
    a.set_user("registry");
    a.set_fixed_now("2026-11-25T09:30:00+08:00");
    let mut a = fixture_in(a);
    a.grant_role("tseng.wy", portfolio_desk::domain::access::Role::Clerk)
        .unwrap();
    let mut b = Store::open(&path).unwrap();
    b.set_user("tseng.wy");
    b.set_fixed_now("2026-11-25T10:05:00+08:00");
    let mut app = App::new(a, today(), Theme { color: false });
    key(&mut app, KeyCode::Char('2'));
    agenda_select(&mut app, "幹部經歷");
    let find = |s: &Store| {
        s.events()
            .unwrap()
            .into_iter()
            .find(|r| r.event.title == "幹部經歷登錄")
            .unwrap()
    };
    // A colleague marks it done; this screen has not refreshed.
    let rec = find(&b);
    b.set_event_done(rec.event.id, rec.meta.version, Some(today()))
        .unwrap();
    let theirs = find(&b);
    let audit = app.store.recent_audit(1000).unwrap().len();
    key(&mut app, KeyCode::Char('x'));
    let s = snap(&app);
    assert!(
        s.contains("這筆資料已由 tseng.wy 於 2026-11-25 10:05 修改，畫面已重新載入"),
        "{s}"
    );
    assert_eq!(find(&app.store), theirs, "nothing changed");
    assert_eq!(app.store.recent_audit(1000).unwrap().len(), audit);
    // Reloaded, it is done (out of the agenda; on the timeline): x now
    // asks, naming the colleague.
    key(&mut app, KeyCode::Char('v'));
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "幹部");
    key(&mut app, KeyCode::Enter);
    assert!(row(&snap(&app), "幹部經歷登錄").contains('▓'));
    key(&mut app, KeyCode::Char('x'));
    let s = snap(&app);
    assert!(s.contains("取消已完成？"), "{s}");
    assert!(s.contains("已由 tseng.wy 於 2026-11-25 10:05"), "{s}");
    key(&mut app, KeyCode::Esc);
    assert_eq!(find(&app.store), theirs);
}
