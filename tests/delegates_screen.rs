//! The delegates screen (代理) at 80x24 on a fixed clock and fixed data: a
//! 鳳山 school (its preset has a delegate table) with five staff and one
//! absence. Keys go through `App::handle_key`, as in the real terminal.

mod common;
use common::{ctrl, key, screen, snap, store, today, typed};
use portfolio_desk::app::App;
use portfolio_desk::domain::committee::StaffDraft;
use portfolio_desk::domain::delegation::{Absence, AbsenceKind};
use portfolio_desk::domain::preset;
use portfolio_desk::domain::roc::parse_range;
use portfolio_desk::i18n::{Lang, set_lang};
use portfolio_desk::store::Store;
use portfolio_desk::ui::theme::Theme;
use ratatui::crossterm::event::KeyCode;

/// 鳳山 with 校長, 教務主任, 教學組長, 註冊組長 (on leave 115.11.20~12.05)
/// and 設備組長.
fn fengshan_app(lang: Lang) -> App {
    set_lang(lang);
    let mut s = store();
    s.init_school(&preset::by_key("fengshan").unwrap(), 115)
        .unwrap();
    let mut ids = Vec::new();
    for (name, pos) in [
        ("張志明", "校長"),
        ("陳淑芬", "教務主任"),
        ("林建宏", "教學組長"),
        ("王小明", "註冊組長"),
        ("李大華", "設備組長"),
    ] {
        let d = StaffDraft {
            name: name.into(),
            positions: vec![pos.into()],
            ..Default::default()
        };
        ids.push(s.add_staff(&d).unwrap().id);
    }
    s.add_absence(&Absence {
        staff_id: ids[3],
        span: parse_range("115.11.20~12.05").unwrap(),
        kind: AbsenceKind::Leave,
        reason: "病假".into(),
    })
    .unwrap();
    let mut app = App::new(s, today(), Theme { color: false });
    key(&mut app, KeyCode::Char('4'));
    app
}

/// The screen's line that starts (inside the border) with `first`.
fn row<'a>(s: &'a str, first: &str) -> &'a str {
    s.lines()
        .find(|l| l.trim_start_matches(['│', '"']).starts_with(first))
        .unwrap_or_else(|| panic!("no row {first:?} in\n{s}"))
}

/// Moves the selection to the position `title` with the filter.
fn select(app: &mut App, title: &str) {
    key(app, KeyCode::Char('/'));
    typed(app, title);
    key(app, KeyCode::Enter);
}

#[test]
fn delegates_today_zh() {
    let app = fengshan_app(Lang::ZhTw);
    let s = snap(&app);
    assert!(s.contains("4 代理"), "{s}");
    assert!(s.contains("115.11.25（今天）"), "{s}");
    assert!(row(&s, "註冊組長").contains("李大華"), "{s}");
    assert!(row(&s, "校長").contains("張志明"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn delegates_today_en() {
    let app = fengshan_app(Lang::En);
    let s = snap(&app);
    assert!(s.contains("(today)"), "{s}");
    assert!(row(&s, "註冊組長").contains("李大華"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn the_rank_list_and_path_of_the_selected_position() {
    let mut app = fengshan_app(Lang::ZhTw);
    select(&mut app, "註冊組長");
    let s = snap(&app);
    assert!(s.contains("「註冊組長」代理順位"), "{s}");
    assert!(s.contains("設備組長（李大華）"), "{s}");
    assert!(
        s.contains("註冊組長（王小明）請假至 115.12.05（病假） → 設備組長（李大華）代理"),
        "{s}"
    );
    insta::assert_snapshot!(s);
}

#[test]
fn as_of_another_date_recomputes_and_today_returns() {
    let mut app = fengshan_app(Lang::ZhTw);
    key(&mut app, KeyCode::Char('t'));
    insta::assert_snapshot!("as_of_form", snap(&app));
    typed(&mut app, "115.12.10");
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(s.contains("指定日期 115.12.10"), "{s}");
    // The leave ended on 115.12.05: the holder acts again.
    assert!(row(&s, "註冊組長").contains("王小明"), "{s}");
    insta::assert_snapshot!("as_of_changed", s);
    key(&mut app, KeyCode::Char('T'));
    let s = snap(&app);
    assert!(s.contains("115.11.25（今天）"), "{s}");
    assert!(row(&s, "註冊組長").contains("李大華"), "{s}");
}

#[test]
fn a_bad_as_of_date_is_refused_in_the_form() {
    let mut app = fengshan_app(Lang::ZhTw);
    key(&mut app, KeyCode::Char('t'));
    typed(&mut app, "115.02.30");
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(s.contains("115.02.30"), "{s}");
    assert!(s.contains("指定日期"), "{s}");
}

#[test]
fn the_absence_pane() {
    let mut app = fengshan_app(Lang::ZhTw);
    key(&mut app, KeyCode::Char('v'));
    let s = snap(&app);
    assert!(row(&s, "王小明").contains("115.11.20~12.05"), "{s}");
    assert!(row(&s, "王小明").contains("進行中"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn a_backwards_absence_is_refused_with_its_input() {
    let mut app = fengshan_app(Lang::ZhTw);
    key(&mut app, KeyCode::Char('v'));
    key(&mut app, KeyCode::Char('a'));
    typed(&mut app, "李大華");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "115.12.10~12.01");
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(s.contains("115.12.10~12.01"), "{s}");
    insta::assert_snapshot!(s);
    // Nothing was saved; Esc, confirm discarding.
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('y'));
    let s = snap(&app);
    assert!(!s.contains("李大華  "), "{s}");
    assert!(s.contains("共 1 筆"), "{s}");
}

#[test]
fn an_unknown_person_and_kind_are_refused() {
    let mut app = fengshan_app(Lang::En);
    key(&mut app, KeyCode::Char('v'));
    key(&mut app, KeyCode::Char('a'));
    typed(&mut app, "Nobody");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "115.02.30");
    key(&mut app, KeyCode::Tab);
    // The kind is a picker: a word it does not know is not typed in.
    typed(&mut app, "holiday");
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(s.contains("\"Nobody\""), "{s}");
    assert!(s.contains("115.02.30"), "{s}");
    assert!(!s.contains("holiday"), "{s}");
    let kind = s
        .lines()
        .find(|l| l.contains("Kind   <"))
        .unwrap_or_default();
    assert!(
        ["< leave >", "< vacancy >", "< departed >"]
            .iter()
            .any(|k| kind.contains(k)),
        "{s}"
    );
    insta::assert_snapshot!(s);
}

#[test]
fn recording_an_absence_changes_who_acts() {
    let mut app = fengshan_app(Lang::ZhTw);
    select(&mut app, "教學組長");
    assert!(row(&snap(&app), "教學組長").contains("林建宏"));
    key(&mut app, KeyCode::Char('a'));
    // The holder of the selected position is filled in.
    typed(&mut app, "115.11.25");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "研習");
    ctrl(&mut app, 's');
    let s = snap(&app);
    assert!(s.contains("已登記：林建宏 115.11.25"), "{s}");
    // 教學組長's delegate is 註冊組長, on leave: breadth-first to 設備組長.
    assert!(row(&s, "教學組長").contains("李大華"), "{s}");
}

#[test]
fn reordering_changes_the_rank_list() {
    let mut app = fengshan_app(Lang::ZhTw);
    select(&mut app, "註冊組長");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('n'));
    typed(&mut app, "教學組長");
    key(&mut app, KeyCode::Enter);
    // No validity period.
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(s.contains("第 2 順位  教學組長（林建宏）"), "{s}");
    // The new delegate is selected; move it up.
    key(&mut app, KeyCode::Char('K'));
    let s = snap(&app);
    assert!(s.contains("第 1 順位  教學組長（林建宏）"), "{s}");
    assert!(s.contains("第 2 順位  設備組長（李大華）"), "{s}");
    // 教學組長 now acts for 註冊組長.
    assert!(row(&s, "註冊組長").contains("林建宏"), "{s}");
    insta::assert_snapshot!(s);
    // Remove it again, confirming (default No).
    key(&mut app, KeyCode::Char('d'));
    let s = snap(&app);
    assert!(s.contains("移除代理人"), "{s}");
    // The question is wrapped to the box (a line may break between two
    // characters of a name, never before the closing marks).
    assert!(s.contains("「教學組長（林建"), "{s}");
    assert!(s.contains("│ 宏）」嗎？"), "{s}");
    key(&mut app, KeyCode::Enter);
    assert!(snap(&app).contains("第 2 順位  設備組長"));
    key(&mut app, KeyCode::Char('d'));
    key(&mut app, KeyCode::Char('y'));
    let s = snap(&app);
    assert!(s.contains("第 1 順位  設備組長（李大華）"), "{s}");
    assert!(!s.contains("教學組長（林建宏）"), "{s}");
}

#[test]
fn a_delegate_already_in_the_table_is_not_offered() {
    let mut app = fengshan_app(Lang::ZhTw);
    select(&mut app, "校長");
    key(&mut app, KeyCode::Char('n'));
    // 教務主任 is already 校長's rank 1: the picker finds nothing for it.
    typed(&mut app, "教務主任");
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(
        !s.contains("教務主任  "),
        "already a delegate, not offered:\n{s}"
    );
}

#[test]
fn no_panic_at_any_size() {
    let mut app = fengshan_app(Lang::ZhTw);
    for (w, h) in [(60, 16), (61, 17), (80, 24), (120, 40), (20, 5), (1, 1)] {
        screen(&app, w, h);
    }
    select(&mut app, "註冊組長");
    key(&mut app, KeyCode::Enter);
    for (w, h) in [(60, 16), (70, 18), (200, 60)] {
        screen(&app, w, h);
    }
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('v'));
    for (w, h) in [(60, 16), (70, 18), (200, 60)] {
        screen(&app, w, h);
    }
}

/// 林建宏 has 3 uncertified items and is on leave: his certification table
/// is listed after the positions; N starts one, and its rank list is edited
/// like a position's.
#[test]
fn a_teachers_certification_table() {
    set_lang(Lang::ZhTw);
    let mut s = store();
    s.init_school(&preset::by_key("fengshan").unwrap(), 115)
        .unwrap();
    let mut ids = Vec::new();
    for (name, pos, n) in [
        ("張志明", "校長", 0),
        ("陳淑芬", "教務主任", 0),
        ("林建宏", "國文教師", 3),
        ("李大華", "設備組長", 0),
    ] {
        let d = StaffDraft {
            name: name.into(),
            positions: vec![pos.into()],
            uncertified: n,
            ..Default::default()
        };
        ids.push(s.add_staff(&d).unwrap().id);
    }
    s.add_absence(&Absence {
        staff_id: ids[2],
        span: parse_range("115.11.20~12.05").unwrap(),
        kind: AbsenceKind::Leave,
        reason: "病假".into(),
    })
    .unwrap();
    let mut app = App::new(s, today(), Theme { color: false });
    key(&mut app, KeyCode::Char('4'));
    let s = snap(&app);
    key(&mut app, KeyCode::End);
    let s_end = snap(&app);
    assert!(
        row(&s_end, "林建宏（成果認證）").contains("！無人執行"),
        "{s}\n{s_end}"
    );
    assert!(s_end.contains("沒有代理人名單"), "{s_end}");
    // N: pick the teacher, then the delegate (陳淑芬 finds 教務主任 first,
    // the position she holds), no period.
    key(&mut app, KeyCode::Char('N'));
    typed(&mut app, "林建宏");
    key(&mut app, KeyCode::Enter);
    let picker = snap(&app);
    assert!(picker.contains("「林建宏（成果認證）」"), "{picker}");
    typed(&mut app, "陳淑芬");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(
        s.contains("「林建宏（成果認證）」代理順位（編輯中）"),
        "{s}"
    );
    assert!(s.contains("第 1 順位  教務主任（陳淑芬）"), "{s}");
    assert!(row(&s, "林建宏（成果認證）").contains("陳淑芬"), "{s}");
    assert!(
        s.contains("今天：林建宏請假至 115.12.05（病假） → 教務主任（陳淑芬）代理"),
        "{s}"
    );
    assert!(row(&s, "林建宏（成果認證）").contains("代理中"), "{s}");
    insta::assert_snapshot!(s);
    // The teacher cannot be their own delegate: not offered.
    key(&mut app, KeyCode::Char('n'));
    typed(&mut app, "林建宏");
    let picker = snap(&app);
    assert!(picker.contains("搜尋： 林建宏"), "{picker}");
    assert!(!picker.contains("林建宏     "), "{picker}");
    assert!(
        !picker.contains("國文教師  林建宏"),
        "his own position: {picker}"
    );
    key(&mut app, KeyCode::Esc);
    // A person as rank 2, then reorder them up.
    key(&mut app, KeyCode::Char('n'));
    typed(&mut app, "李大華");
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(s.contains("第 2 順位  李大華"), "{s}");
    key(&mut app, KeyCode::Char('K'));
    let s = snap(&app);
    assert!(s.contains("第 1 順位  李大華"), "{s}");
    assert!(s.contains("第 2 順位  教務主任（陳淑芬）"), "{s}");
    // And remove them.
    key(&mut app, KeyCode::Char('d'));
    key(&mut app, KeyCode::Char('y'));
    let s = snap(&app);
    assert!(s.contains("第 1 順位  教務主任（陳淑芬）"), "{s}");
    assert!(!s.contains("順位  李大華"), "{s}");
}

/// The coverage report is on the screen too (issue 4 item 4): `v` twice.
#[test]
fn the_check_pane_lists_the_coverage_report() {
    set_lang(Lang::ZhTw);
    let mut s = Store::open_in_memory().unwrap();
    s.set_user("registry");
    s.set_fixed_now("2026-11-25T09:30:00+08:00");
    s.init_school(&preset::by_key("fengshan").unwrap(), 115)
        .unwrap();
    let mut app = App::new(s, today(), Theme { color: false });
    key(&mut app, KeyCode::Char('4'));
    key(&mut app, KeyCode::Char('v'));
    key(&mut app, KeyCode::Char('v'));
    let screen = snap(&app);
    assert!(screen.contains("代理檢查"), "{screen}");
    assert!(screen.contains("個問題"), "{screen}");
    key(&mut app, KeyCode::End);
    let end = snap(&app);
    assert!(end.contains("形成循環"), "the cycles are listed:\n{end}");
    insta::assert_snapshot!("check_pane", end);
    key(&mut app, KeyCode::Char('v'));
    assert!(snap(&app).contains("職務"), "v comes back to the positions");
}
