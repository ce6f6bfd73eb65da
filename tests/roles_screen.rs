//! Roles on screen (issue 13): the users view of the staff directory, the
//! status bar saying who acts and as what, edit keys refused up front for a
//! viewer, and `L` closing and reopening a checklist year.

mod common;

use common::{key, snap, store, today};
use portfolio_desk::app::App;
use portfolio_desk::i18n::{Lang, set_lang};
use portfolio_desk::store::Store;
use portfolio_desk::ui::theme::Theme;
use ratatui::crossterm::event::KeyCode;

/// The demo school made by `registry` (its administrator), acting as `login`.
fn demo_as(login: &str) -> App {
    let mut s = store();
    portfolio_desk::demo::seed(&mut s, today()).unwrap();
    s.set_user(login);
    App::new(s, today(), Theme { color: false })
}

fn users_view(app: &mut App) -> String {
    key(app, KeyCode::Char('3'));
    key(app, KeyCode::Char('v'));
    key(app, KeyCode::Char('A'));
    snap(app)
}

#[test]
fn the_users_view_lists_logins_roles_and_staff_for_an_administrator() {
    set_lang(Lang::ZhTw);
    let mut app = demo_as("registry");
    let s = users_view(&mut app);
    insta::assert_snapshot!("users_view_zh", s);
    assert!(s.contains("registry（你）"), "{s}");
    assert!(s.contains("管理者、教務主任、承辦"), "{s}");
    assert!(s.contains("黃美玲 #"), "{s}");
    assert!(s.contains("registry·管理者+2"), "{s}");
    // `A` again: back to the directory.
    key(&mut app, KeyCode::Char('A'));
    let s = snap(&app);
    assert!(!s.contains("使用者與權限") && s.contains("人員名冊"), "{s}");
}

#[test]
fn the_users_view_in_english() {
    set_lang(Lang::En);
    let mut app = demo_as("registry");
    let s = users_view(&mut app);
    set_lang(Lang::ZhTw);
    insta::assert_snapshot!("users_view_en", s);
    assert!(s.contains("Administrator, Director, Clerk"), "{s}");
}

#[test]
fn others_see_who_administers_instead_of_the_list() {
    set_lang(Lang::ZhTw);
    let mut app = demo_as("huang.ml");
    let s = users_view(&mut app);
    insta::assert_snapshot!("users_view_not_admin", s);
    assert!(s.contains("只有管理者能看使用者與權限"), "{s}");
    assert!(s.contains("huang.ml·教務主任"), "{s}");
    assert!(!s.contains("wu.yt"), "{s}");
}

#[test]
fn the_status_bar_names_the_login_and_role() {
    set_lang(Lang::ZhTw);
    let mut app = demo_as("wu.yt");
    key(&mut app, KeyCode::Char('5'));
    let s = snap(&app);
    insta::assert_snapshot!("status_clerk_zh", s);
    assert!(s.lines().last().unwrap().contains("wu.yt·承辦"), "{s}");
    set_lang(Lang::En);
    let mut app = demo_as("someone");
    key(&mut app, KeyCode::Char('6'));
    let s = snap(&app);
    set_lang(Lang::ZhTw);
    insta::assert_snapshot!("status_viewer_en", s);
    assert!(s.lines().last().unwrap().contains("someone·viewer"), "{s}");
}

/// Every edit key of screens 3–6 is refused for a viewer before any form
/// opens, with the message naming the role; the file does not change.
#[test]
fn a_viewers_edit_keys_are_refused_on_every_screen() {
    set_lang(Lang::ZhTw);
    let mut app = demo_as("guest");
    let v0 = app.store.recent_audit(1).unwrap();
    for (screen, keys) in [
        ('2', "nexd"),
        ('3', "adcn"),
        ('4', "nNad"),
        ('5', "xsendlCTNL"),
        ('6', "yYnNeDUwIL"),
    ] {
        key(&mut app, KeyCode::Char(screen));
        let mut refused = 0;
        for k in keys.chars() {
            key(&mut app, KeyCode::Char(k));
            let s = snap(&app);
            // Nothing opened: no form, no question.
            assert!(
                !s.contains("Ctrl-S 儲存") && !s.contains("y 確定"),
                "{k}: {s}"
            );
            if s.contains("「guest」（檢視）不能") {
                refused += 1;
            }
        }
        assert!(refused >= 2, "screen {screen}: {refused} refusals");
    }
    assert_eq!(app.store.recent_audit(1).unwrap(), v0);
}

#[test]
fn the_director_closes_a_checklist_year_with_l_and_a_clerk_is_then_refused() {
    set_lang(Lang::ZhTw);
    let tmp = tempfile::TempDir::new().unwrap();
    let path = tmp.path().join("school.db");
    {
        let mut s = Store::open(&path).unwrap();
        s.set_user("registry");
        portfolio_desk::demo::seed(&mut s, today()).unwrap();
    }
    let mut dir = Store::open(&path).unwrap();
    dir.set_user("huang.ml");
    dir.set_fixed_now("2026-11-25T09:30:00+08:00");
    let mut app = App::new(dir, today(), Theme { color: false });
    key(&mut app, KeyCode::Char('5'));
    key(&mut app, KeyCode::Char('L'));
    let s = snap(&app);
    assert!(s.contains("將 115 學年度的檢核表結案？"), "{s}");
    key(&mut app, KeyCode::Char('y'));
    let s = snap(&app);
    assert!(s.contains("115 學年度的檢核表已結案"), "{s}");
    insta::assert_snapshot!("checklist_closed_zh", s);
    let mut clerk = Store::open(&path).unwrap();
    clerk.set_user("wu.yt");
    let mut capp = App::new(clerk, today(), Theme { color: false });
    key(&mut capp, KeyCode::Char('5'));
    // The third item is in progress: `x` would mark it done.
    key(&mut capp, KeyCode::Char('j'));
    key(&mut capp, KeyCode::Char('j'));
    key(&mut capp, KeyCode::Char('x'));
    let s = snap(&capp);
    assert!(
        s.contains("已由 黃美玲(huang.ml) 於 2026-11-25 09:30 結案"),
        "{s}"
    );
    // Reopened by the director: the clerk's `x` goes through.
    key(&mut app, KeyCode::Char('L'));
    assert!(snap(&app).contains("解除 115 學年度檢核表的結案"));
    key(&mut app, KeyCode::Char('y'));
    key(&mut capp, KeyCode::Char('x'));
    let s = snap(&capp);
    assert!(s.contains("：已完成"), "{s}");
}
