//! The meetings view (`m` on the committee screen) at 80x24 on the demo
//! school as of 2026-11-25: meeting 1 (115.09.29) held with minutes
//! confirmed and one decision open, meeting 2 (115.12.09) planned.

mod common;
use common::{key, snap, store, today, typed};
use portfolio_desk::app::App;
use portfolio_desk::i18n::{Lang, set_lang};
use portfolio_desk::ui::theme::Theme;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn demo_app(lang: Lang) -> App {
    set_lang(lang);
    let mut s = store();
    portfolio_desk::demo::seed(&mut s, today()).unwrap();
    App::new(s, today(), Theme { color: false })
}

fn open_meetings(app: &mut App) {
    key(app, KeyCode::Char('3'));
    key(app, KeyCode::Char('m'));
}

#[test]
fn the_committee_screen_names_the_key_and_opens_the_planned_meeting() {
    let mut app = demo_app(Lang::ZhTw);
    key(&mut app, KeyCode::Char('3'));
    let roster = snap(&app);
    assert!(
        roster.contains("m 會議"),
        "the status bar names the key: {roster}"
    );
    key(&mut app, KeyCode::Char('m'));
    let s = snap(&app);
    assert!(s.contains("115 學年度工作小組會議"), "{s}");
    // The next meeting is selected: its standing items, the decision
    // carried from meeting 1 and the two motions.
    assert!(
        s.contains("籌備中") && s.contains("前次會議決議執行情形"),
        "{s}"
    );
    assert!(s.contains("辦理高一學生學習歷程檔案說明會"), "{s}");
    insta::assert_snapshot!("meetings_planned_zh", s);
}

#[test]
fn the_meetings_view_in_english() {
    let mut app = demo_app(Lang::En);
    open_meetings(&mut app);
    insta::assert_snapshot!("meetings_planned_en", snap(&app));
}

#[test]
fn the_held_meetings_attendance_and_quorum() {
    let mut app = demo_app(Lang::ZhTw);
    open_meetings(&mut app);
    key(&mut app, KeyCode::Char('k'));
    key(&mut app, KeyCode::Char('v'));
    let s = snap(&app);
    assert!(s.contains("出席 11 / 12"), "{s}");
    assert!(s.contains("代理出席（楊凱翔）"), "{s}");
    insta::assert_snapshot!("meetings_attendance_zh", s);
}

#[test]
fn the_held_meetings_decisions_with_the_selected_items_text() {
    let mut app = demo_app(Lang::ZhTw);
    open_meetings(&mut app);
    key(&mut app, KeyCode::Char('k'));
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::End);
    let s = snap(&app);
    assert!(s.contains("期限 115.10.20"), "{s}");
    assert!(s.contains("執行：輔導處"), "{s}");
    insta::assert_snapshot!("meetings_decisions_zh", s);
}

#[test]
fn a_motion_added_and_moved_up_on_the_planned_meeting() {
    let mut app = demo_app(Lang::ZhTw);
    open_meetings(&mut app);
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('n'));
    typed(&mut app, "增設學習歷程協作教師");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "教務處");
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(s.contains("已新增：增設學習歷程協作教師"), "{s}");
    assert!(s.contains(" 3. 增設學習歷程協作教師"), "{s}");
    key(&mut app, KeyCode::Char('K'));
    let s = snap(&app);
    assert!(s.contains(" 2. 增設學習歷程協作教師"), "{s}");
    // Delete asks first; confirmed, it is gone.
    key(&mut app, KeyCode::Char('d'));
    let s = snap(&app);
    assert!(s.contains("刪除「增設學習歷程協作教師」"), "{s}");
    key(&mut app, KeyCode::Char('y'));
    let s = snap(&app);
    assert!(!s.contains(" 2. 增設學習歷程協作教師"), "{s}");
}

#[test]
fn a_date_outside_the_terms_is_refused_in_the_form_quoting_it() {
    let mut app = demo_app(Lang::ZhTw);
    open_meetings(&mut app);
    key(&mut app, KeyCode::Char('n'));
    // Clear the date field and type one in no recorded term.
    for _ in 0..12 {
        app.handle_key(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE));
    }
    typed(&mut app, "117.03.01");
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(s.contains("117.03.01"), "{s}");
    assert!(s.contains("不在任何已登錄的學期內"), "{s}");
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('y'));
    let s = snap(&app);
    assert!(!s.contains("第3次"), "nothing planned: {s}");
}

#[test]
fn enter_on_the_dashboard_opens_the_meetings_and_esc_goes_back() {
    let mut app = demo_app(Lang::ZhTw);
    let dash = snap(&app);
    assert!(dash.contains("115.09.29 紀錄已確認"), "{dash}");
    assert!(dash.contains("Enter 會議"), "{dash}");
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(s.contains("115 學年度工作小組會議"), "{s}");
    assert_eq!(app.current_screen(), 2);
    key(&mut app, KeyCode::Esc);
    let s = snap(&app);
    assert!(s.contains("家長代表"), "back on the seats: {s}");
}

#[test]
fn the_calendar_refuses_to_edit_a_meetings_window_naming_the_meeting() {
    let mut s = store();
    portfolio_desk::demo::seed(&mut s, today()).unwrap();
    let m = s.meeting_by_number(115, 2).unwrap().unwrap();
    let ev = s.event(m.event_id.unwrap()).unwrap();
    let err = s.delete_event(ev.event.id, ev.meta.version).unwrap_err();
    set_lang(Lang::ZhTw);
    let msg = portfolio_desk::i18n::Localized::message(&err);
    assert!(msg.contains("第 2 次工作小組會議"), "{msg}");
    assert!(msg.contains("115.12.09"), "{msg}");
}
