//! The full-screen interface on a file that cannot be written: a banner
//! says so on every screen, and a key that would write shows the refusal.

mod common;
use common::{key, screen, snap, store, today};

use portfolio_desk::app::App;
use portfolio_desk::i18n::{Lang, set_lang};
use portfolio_desk::store::Store;
use portfolio_desk::ui::theme::Theme;
use ratatui::crossterm::event::KeyCode;

/// The demo school in a file, made read-only and opened again.
fn read_only_app(dir: &std::path::Path) -> (App, std::path::PathBuf) {
    std::fs::create_dir_all(dir).unwrap();
    let path = dir.join("school.db");
    {
        let mut s = Store::open(&path).unwrap();
        s.set_user("registry");
        s.set_fixed_now("2026-11-25T09:30:00+08:00");
        portfolio_desk::demo::seed(&mut s, today()).unwrap();
    }
    let mut p = std::fs::metadata(&path).unwrap().permissions();
    p.set_readonly(true);
    std::fs::set_permissions(&path, p).unwrap();
    let s = Store::open(&path).unwrap();
    assert!(s.is_read_only());
    (App::new(s, today(), Theme { color: false }), path)
}

#[test]
fn a_read_only_file_shows_a_banner_and_refuses_a_write_key() {
    set_lang(Lang::ZhTw);
    let dir = tempfile::tempdir().unwrap();
    let (mut app, path) = read_only_app(dir.path());
    let before = std::fs::read(&path).unwrap();
    let banner = format!("唯讀：{}（無法寫入，變更不會儲存）", path.display());
    let s = screen(&app, 160, 24);
    assert!(s.lines().next().unwrap().contains(&banner), "{s}");

    // Roster: vacate the principal's seat → refused, nothing changes.
    key(&mut app, KeyCode::Char('3'));
    assert!(snap(&app).contains("12/13"));
    // Refused at the key, before the question is asked.
    key(&mut app, KeyCode::Char('d'));
    let s = screen(&app, 160, 24);
    assert!(s.contains("是唯讀檔案，無法寫入"), "{s}");
    assert!(s.contains("12/13"), "{s}");
    assert!(s.lines().next().unwrap().contains("唯讀："), "{s}");
    drop(app);
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn a_narrow_terminal_names_only_the_file_in_the_banner() {
    set_lang(Lang::En);
    let dir = tempfile::tempdir().unwrap();
    let long = dir
        .path()
        .join("shared-folder-of-the-registry-office/academic-year-115");
    let (app, path) = read_only_app(&long);
    let s = snap(&app);
    assert!(!s.contains(&path.display().to_string()), "{s}");
    let first = s.lines().next().unwrap();
    assert!(
        first.contains("Read-only: school.db (cannot write; changes are not saved)"),
        "{s}"
    );
}

#[test]
fn a_writable_file_has_no_banner() {
    set_lang(Lang::ZhTw);
    let app = App::new(store(), today(), Theme { color: false });
    assert!(!snap(&app).contains("唯讀"));
}
