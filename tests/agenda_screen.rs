//! The agenda builder on the meetings view (screen 3, `m`): `g` regenerates
//! the planned meeting's reports from live data, `E` prints the selected
//! meeting's agenda or minutes to a file (snapshots of the form at 80x24,
//! zh-TW and en), and marking a meeting held freezes fresh reports.

use std::path::Path;

use portfolio_desk::app::App;
use portfolio_desk::domain::meeting::Section;
use portfolio_desk::i18n::{Lang, set_lang};
use portfolio_desk::store::Store;
use portfolio_desk::ui::theme::Theme;
use ratatui::crossterm::event::KeyCode;
use tempfile::TempDir;

mod common;
use common::{key, screen, snap, today, typed};

/// The demo school in a file, with the planned meeting's stored reports
/// made stale; the meetings view open on it.
fn app(dir: &Path, lang: Lang) -> App {
    set_lang(lang);
    let db = dir.join("school.db");
    let mut s = Store::open(&db).unwrap();
    s.set_user("secretary");
    s.set_fixed_now("2026-11-25T09:30:00+08:00");
    portfolio_desk::demo::seed(&mut s, today()).unwrap();
    let m = s.meeting_by_number(115, 2).unwrap().unwrap();
    let stale: Vec<(i64, String)> = s
        .agenda_items(m.id)
        .unwrap()
        .iter()
        .filter(|i| i.section == Section::Report && i.topic.is_some())
        .map(|i| (i.id, "舊的報告".to_string()))
        .collect();
    s.set_report_bodies(m.id, &stale).unwrap();
    let mut app = App::new(s, today(), Theme { color: false });
    key(&mut app, KeyCode::Char('3'));
    key(&mut app, KeyCode::Char('m'));
    app
}

fn bodies(db: &Path, number: u32) -> Vec<String> {
    let s = Store::open(db).unwrap();
    let m = s.meeting_by_number(115, number).unwrap().unwrap();
    s.agenda_items(m.id)
        .unwrap()
        .into_iter()
        .filter(|i| i.section == Section::Report && i.topic.is_some())
        .map(|i| i.body)
        .collect()
}

fn flat(app: &App) -> String {
    screen(app, 200, 40)
        .lines()
        .map(|l| l.trim_matches(|c: char| c == '"' || c == '│' || c == ' '))
        .collect()
}

#[test]
fn g_regenerates_the_planned_meetings_reports() {
    let dir = TempDir::new().unwrap();
    let mut app = app(dir.path(), Lang::ZhTw);
    let db = dir.path().join("school.db");
    assert!(bodies(&db, 2).iter().all(|b| b == "舊的報告"));
    // `?` lists both keys of the agenda builder.
    key(&mut app, KeyCode::Char('?'));
    let help = flat(&app);
    assert!(help.contains("重新產生本次會議的報告事項"), "{help}");
    assert!(help.contains("存成 HTML、Markdown 或"), "{help}");
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::F(5));
    assert!(
        flat(&app).contains("第 2 次會議的報告事項已依目前資料重新產生"),
        "{}",
        flat(&app)
    );
    let now = bodies(&db, 2);
    assert!(now.iter().all(|b| b != "舊的報告"), "{now:?}");
    assert!(
        now.iter().any(|b| b.contains("執行檢核表已完成")),
        "{now:?}"
    );
}

#[test]
fn g_on_a_held_meeting_changes_nothing_and_says_why() {
    let dir = TempDir::new().unwrap();
    let mut app = app(dir.path(), Lang::ZhTw);
    let db = dir.path().join("school.db");
    let before = bodies(&db, 1);
    key(&mut app, KeyCode::Up); // meeting 1, held
    key(&mut app, KeyCode::F(5));
    // `g` is not offered on a held meeting: it is the list's "top" key there.
    assert_eq!(bodies(&db, 1), before);
}

#[test]
fn export_form_zh() {
    let dir = TempDir::new().unwrap();
    let mut app = app(dir.path(), Lang::ZhTw);
    key(&mut app, KeyCode::Char('E'));
    insta::assert_snapshot!(snap(&app));
}

#[test]
fn export_form_en() {
    let dir = TempDir::new().unwrap();
    let mut app = app(dir.path(), Lang::En);
    key(&mut app, KeyCode::Char('E'));
    let s = snap(&app);
    set_lang(Lang::ZhTw);
    insta::assert_snapshot!(s);
}

#[test]
fn e_prints_the_agenda_to_the_file_named() {
    let dir = TempDir::new().unwrap();
    let mut app = app(dir.path(), Lang::ZhTw);
    let out = dir.path().join("議程.txt");
    key(&mut app, KeyCode::Char('E'));
    for _ in 0..8 {
        key(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "txt");
    key(&mut app, KeyCode::Tab);
    for _ in 0..40 {
        key(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, out.to_str().unwrap());
    key(&mut app, KeyCode::Enter);
    let text = std::fs::read_to_string(&out).expect("the agenda was written");
    assert!(text.contains("115 學年度第 2 次會議"), "{text}");
    assert!(text.contains("壹、報告事項"), "{text}");
    assert!(!text.contains("舊的報告"), "printed live: {text}");
    assert!(flat(&app).contains("議程.txt"), "{}", flat(&app));
    // The database is refused, quoting it.
    key(&mut app, KeyCode::Char('E'));
    key(&mut app, KeyCode::Tab);
    for _ in 0..40 {
        key(&mut app, KeyCode::Backspace);
    }
    let db = dir.path().join("school.db");
    typed(&mut app, db.to_str().unwrap());
    key(&mut app, KeyCode::Enter);
    assert!(flat(&app).contains("school.db"), "{}", flat(&app));
    Store::open(&db)
        .unwrap()
        .meeting_by_number(115, 2)
        .unwrap()
        .unwrap();
}
