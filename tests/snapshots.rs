//! Screens at 80x24 with a fixed clock and fixed data (the demo school as of
//! 2026-11-25, audit times frozen). Keys go through `App::handle_key`, the
//! same path as the real terminal.

mod common;
use common::{ctrl, key, screen, snap, store, today, typed};
use portfolio_desk::app::App;
use portfolio_desk::i18n::{Lang, set_lang};
use portfolio_desk::store::Store;
use portfolio_desk::ui::theme::Theme;
use ratatui::crossterm::event::KeyCode;

fn demo_app(lang: Lang) -> App {
    set_lang(lang);
    let mut s = store();
    portfolio_desk::demo::seed(&mut s, today()).unwrap();
    App::new(s, today(), Theme { color: false })
}

fn empty_app(lang: Lang) -> App {
    set_lang(lang);
    App::new(store(), today(), Theme { color: false })
}

#[test]
fn dashboard_zh() {
    let app = demo_app(Lang::ZhTw);
    let s = snap(&app);
    assert!(s.contains("12/13，缺額 1：家長代表"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn dashboard_en() {
    let app = demo_app(Lang::En);
    insta::assert_snapshot!(snap(&app));
}

#[test]
fn dashboard_of_an_empty_database_offers_presets() {
    let mut app = empty_app(Lang::ZhTw);
    insta::assert_snapshot!("dashboard_empty", snap(&app));
    key(&mut app, KeyCode::Char('i'));
    insta::assert_snapshot!("preset_picker", snap(&app));
    typed(&mut app, "taitung");
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(s.contains("已建立學校：國立臺東高級中學"), "{s}");
    assert!(s.contains("0/17"), "{s}");
}

#[test]
fn roster_seats_zh() {
    let mut app = demo_app(Lang::ZhTw);
    key(&mut app, KeyCode::Char('3'));
    insta::assert_snapshot!(snap(&app));
}

#[test]
fn roster_seats_en() {
    let mut app = demo_app(Lang::En);
    key(&mut app, KeyCode::Char('3'));
    insta::assert_snapshot!(snap(&app));
}

#[test]
fn roster_directory_zh() {
    let mut app = demo_app(Lang::ZhTw);
    key(&mut app, KeyCode::Char('3'));
    key(&mut app, KeyCode::Char('v'));
    insta::assert_snapshot!(snap(&app));
}

#[test]
fn roster_last_year_shows_departed_members() {
    let mut app = demo_app(Lang::ZhTw);
    key(&mut app, KeyCode::Char('3'));
    key(&mut app, KeyCode::Char('['));
    let s = snap(&app);
    assert!(s.contains("114 學年度"), "{s}");
    assert!(s.contains("陳建宏（已離職）"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn roster_year_without_committee() {
    let mut app = demo_app(Lang::ZhTw);
    key(&mut app, KeyCode::Char('3'));
    key(&mut app, KeyCode::Char(']'));
    insta::assert_snapshot!(snap(&app));
}

#[test]
fn help_overlay_zh() {
    let mut app = demo_app(Lang::ZhTw);
    key(&mut app, KeyCode::Char('3'));
    key(&mut app, KeyCode::Char('?'));
    let s = snap(&app);
    // Every key of the screen is listed (the last ones one line down:
    // the box scrolls).
    key(&mut app, KeyCode::Down);
    let scrolled = format!("{s}{}", snap(&app));
    key(&mut app, KeyCode::Up);
    for k in [
        "Enter/a",
        "m",
        "d/Del",
        "v",
        "c",
        "[",
        "]",
        "/",
        "?/F1",
        "q/Ctrl-Q/Ctrl-C",
    ] {
        assert!(scrolled.contains(k), "help lacks {k}:\n{scrolled}");
    }
    insta::assert_snapshot!(s);
    key(&mut app, KeyCode::Char('x'));
    assert!(!snap(&app).contains("按鍵說明"), "any key closes the help");
}

#[test]
fn help_overlay_en() {
    let mut app = demo_app(Lang::En);
    key(&mut app, KeyCode::Char('?'));
    insta::assert_snapshot!(snap(&app));
}

#[test]
fn assign_picker_and_assignment() {
    let mut app = demo_app(Lang::ZhTw);
    key(&mut app, KeyCode::Char('3'));
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "家長");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    insta::assert_snapshot!("assign_picker", snap(&app));
    typed(&mut app, "歐陽");
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(s.contains("已指派 歐陽靜 擔任「家長代表」"), "{s}");
    assert!(s.contains("13/13"), "{s}");
}

#[test]
fn vacate_confirm_defaults_to_no() {
    let mut app = demo_app(Lang::ZhTw);
    key(&mut app, KeyCode::Char('3'));
    key(&mut app, KeyCode::Char('d'));
    let s = snap(&app);
    assert!(s.contains("將 林淑貞 從 115 學年度「校長」移除"), "{s}");
    insta::assert_snapshot!("vacate_confirm", s);
    key(&mut app, KeyCode::Enter);
    assert!(
        snap(&app).contains("12/13"),
        "Enter on the default (No) changes nothing"
    );
    key(&mut app, KeyCode::Char('d'));
    key(&mut app, KeyCode::Char('y'));
    let s = snap(&app);
    assert!(s.contains("11/13"), "{s}");
    assert!(s.contains("缺額 2：校長、家長代表"), "{s}");
}

#[test]
fn staff_form_validates_inline_and_keeps_input() {
    let mut app = demo_app(Lang::ZhTw);
    key(&mut app, KeyCode::Char('3'));
    key(&mut app, KeyCode::Char('v'));
    key(&mut app, KeyCode::Char('n'));
    insta::assert_snapshot!("staff_form_new", snap(&app));
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "教師");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "abc");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::BackTab);
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "112.02.31");
    ctrl(&mut app, 's');
    let s = snap(&app);
    assert!(s.contains("請填寫姓名"), "{s}");
    assert!(s.contains("「abc」不是有效的電子郵件地址"), "{s}");
    assert!(s.contains("112.02.31"), "{s}");
    insta::assert_snapshot!("staff_form_errors", s);
}

#[test]
fn staff_form_en() {
    let mut app = demo_app(Lang::En);
    key(&mut app, KeyCode::Char('3'));
    key(&mut app, KeyCode::Char('v'));
    key(&mut app, KeyCode::Enter);
    insta::assert_snapshot!(snap(&app));
}

#[test]
fn quitting_with_a_dirty_form_asks_first() {
    let mut app = demo_app(Lang::ZhTw);
    key(&mut app, KeyCode::Char('3'));
    key(&mut app, KeyCode::Char('v'));
    key(&mut app, KeyCode::Char('n'));
    typed(&mut app, "王");
    ctrl(&mut app, 'q');
    assert!(!app.should_quit());
    let s = snap(&app);
    assert!(s.contains("表單尚未儲存"), "{s}");
    key(&mut app, KeyCode::Char('n'));
    assert!(!app.should_quit());
    assert!(snap(&app).contains("新增人員"), "the form is still there");
    ctrl(&mut app, 'q');
    key(&mut app, KeyCode::Char('y'));
    assert!(app.should_quit());
}

#[test]
fn q_quits_at_once_without_a_form() {
    let mut app = demo_app(Lang::ZhTw);
    key(&mut app, KeyCode::Char('q'));
    assert!(app.should_quit());
}

#[test]
fn too_small_terminal_shows_a_message() {
    let app = demo_app(Lang::ZhTw);
    insta::assert_snapshot!("too_small", screen(&app, 40, 10));
}

#[test]
fn no_size_panics_on_any_screen_or_popup() {
    let mut app = demo_app(Lang::ZhTw);
    let sizes = [
        (1, 1),
        (2, 1),
        (1, 30),
        (2, 30),
        (3, 24),
        (59, 15),
        (60, 16),
        (61, 17),
        (70, 20),
        (80, 24),
        (100, 40),
        (200, 60),
    ];
    let check = |app: &App| {
        for (w, h) in sizes {
            screen(app, w, h);
        }
    };
    check(&app);
    key(&mut app, KeyCode::Char('3'));
    check(&app);
    key(&mut app, KeyCode::Enter);
    check(&app);
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('v'));
    check(&app);
    key(&mut app, KeyCode::Char('e'));
    check(&app);
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('d'));
    check(&app);
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('?'));
    check(&app);
}

#[test]
fn narrow_terminal_drops_low_priority_columns() {
    let mut app = demo_app(Lang::ZhTw);
    key(&mut app, KeyCode::Char('3'));
    let wide = screen(&app, 120, 24);
    let narrow = screen(&app, 60, 16);
    assert!(wide.contains("聯絡方式"), "{wide}");
    assert!(!narrow.contains("聯絡方式"), "{narrow}");
    assert!(narrow.contains("成員"), "{narrow}");
}

#[test]
fn a_form_cut_off_by_a_dropped_session_comes_back_for_the_same_user() {
    set_lang(Lang::ZhTw);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let mut s = Store::open(&path).unwrap();
    s.set_user("director");
    portfolio_desk::demo::seed(&mut s, today()).unwrap();
    let mut app = App::new(s, today(), Theme { color: false });
    key(&mut app, KeyCode::Char('3'));
    key(&mut app, KeyCode::Char('v'));
    key(&mut app, KeyCode::Char('n'));
    typed(&mut app, "周芷若");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "家長代表");
    assert!(app.save_draft(), "a dirty form is kept");
    drop(app);
    // Another user starting first does not get it.
    let mut other = Store::open(&path).unwrap();
    other.set_user("clerk");
    let app2 = App::new(other, today(), Theme { color: false });
    assert!(!snap(&app2).contains("周芷若"));
    let mut s = Store::open(&path).unwrap();
    s.set_user("director");
    let mut app = App::new(s, today(), Theme { color: false });
    let screen_text = snap(&app);
    assert!(
        screen_text.contains("已還原上次連線中斷時尚未儲存的表單"),
        "{screen_text}"
    );
    assert!(
        screen_text.contains("周芷若") && screen_text.contains("家長代表"),
        "{screen_text}"
    );
    ctrl(&mut app, 's');
    assert!(snap(&app).contains("已儲存：周芷若"));
    // Taken once: the next start has no form.
    let mut s = Store::open(&path).unwrap();
    s.set_user("director");
    let app = App::new(s, today(), Theme { color: false });
    assert!(!snap(&app).contains("已還原"));
}

/// A bracketed paste into a form field is input like typing: the form is
/// dirty, the draft holds it, Ctrl-Z takes it back, and a dropped session
/// brings it back.
#[test]
fn a_paste_into_a_form_field_is_kept_in_the_draft() {
    set_lang(Lang::ZhTw);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let mut s = Store::open(&path).unwrap();
    s.set_user("director");
    portfolio_desk::demo::seed(&mut s, today()).unwrap();
    let mut app = App::new(s, today(), Theme { color: false });
    key(&mut app, KeyCode::Char('3'));
    key(&mut app, KeyCode::Char('v'));
    key(&mut app, KeyCode::Char('n'));
    assert!(
        app.draft_json().is_none(),
        "an untouched form keeps nothing"
    );
    app.handle_paste("貼上\n老師");
    let json = app.draft_json().expect("the pasted form has unsaved input");
    assert!(json.contains("貼上 老師"), "{json}");
    assert!(snap(&app).contains("貼上 老師"));
    ctrl(&mut app, 'z');
    assert!(app.draft_json().is_none(), "Ctrl-Z undid the paste");
    app.handle_paste("貼上老師");
    // Idle: the loop writes the draft; the session then drops.
    app.flush_draft();
    drop(app);
    let mut s = Store::open(&path).unwrap();
    s.set_user("director");
    let app = App::new(s, today(), Theme { color: false });
    let text = snap(&app);
    assert!(
        text.contains("已還原上次連線中斷時尚未儲存的表單") && text.contains("貼上老師"),
        "{text}"
    );
}

/// Quitting (confirmed) and saving remove the session's draft; a second
/// session of the same user keeps its own meanwhile.
#[test]
fn two_sessions_of_one_user_each_keep_their_form() {
    set_lang(Lang::ZhTw);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let mut s = Store::open(&path).unwrap();
    s.set_user("director");
    portfolio_desk::demo::seed(&mut s, today()).unwrap();
    let open = || {
        let mut s = Store::open(&path).unwrap();
        s.set_user("director");
        App::new(s, today(), Theme { color: false })
    };
    let mut one = open();
    let mut two = open();
    for (app, name) in [(&mut one, "甲老師"), (&mut two, "乙老師")] {
        key(app, KeyCode::Char('3'));
        key(app, KeyCode::Char('v'));
        key(app, KeyCode::Char('n'));
        typed(app, name);
        app.flush_draft();
    }
    // Both are running: a third session adopts neither.
    let three = open();
    assert!(!snap(&three).contains("已還原"));
    drop(three);
    // The first one saves its form: its draft goes, the second's stays.
    key(&mut one, KeyCode::Tab);
    typed(&mut one, "註冊組長");
    ctrl(&mut one, 's');
    assert!(snap(&one).contains("已儲存：甲老師"), "{}", snap(&one));
    let mut s = Store::open(&path).unwrap();
    s.set_user("director");
    let kept = s.drafts().unwrap();
    assert!(
        kept.len() == 1
            && kept[0].form_json.contains("乙老師")
            && kept[0].session_id == two.session_id(),
        "{kept:?}"
    );
    drop(two);
    let back = open();
    let text = snap(&back);
    assert!(text.contains("已還原") && text.contains("乙老師"), "{text}");
}
