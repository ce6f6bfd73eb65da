//! The calendar screen's export (`E`) never destroys data (issue 12, part
//! 3): the open database, its companions and directories are refused in the
//! form, quoting the path; an existing file is replaced only after a
//! question that defaults to No.

use std::path::Path;

use portfolio_desk::app::App;
use portfolio_desk::i18n::{Lang, set_lang};
use portfolio_desk::store::Store;
use portfolio_desk::ui::theme::Theme;
use ratatui::crossterm::event::KeyCode;
use tempfile::TempDir;

mod common;
use common::{key, screen, today, typed};

/// The demo school in a file (the screen must know the database's path),
/// on the calendar screen.
fn app(dir: &Path) -> App {
    set_lang(Lang::ZhTw);
    let mut s = Store::open(&dir.join("school.db")).unwrap();
    s.set_user("registry");
    s.set_fixed_now("2026-11-25T09:30:00+08:00");
    portfolio_desk::demo::seed(&mut s, today()).unwrap();
    let mut app = App::new(s, today(), Theme { color: false });
    key(&mut app, KeyCode::Char('2'));
    app
}

/// `E`, the format, the path, Enter.
fn export(app: &mut App, format: &str, path: &str) {
    key(app, KeyCode::Char('E'));
    for _ in 0..8 {
        key(app, KeyCode::Backspace);
    }
    typed(app, format);
    key(app, KeyCode::Tab);
    for _ in 0..60 {
        key(app, KeyCode::Backspace);
    }
    typed(app, path);
    key(app, KeyCode::Enter);
}

/// The screen's text, wide enough for a message with a long path.
fn flat(app: &App) -> String {
    screen(app, 200, 40)
        .lines()
        .map(|l| l.trim_matches(|c: char| c == '"' || c == '│' || c == ' '))
        .collect()
}

#[test]
fn the_database_and_directories_are_refused_in_the_form() {
    let dir = TempDir::new().unwrap();
    let mut app = app(dir.path());
    let db = dir.path().join("school.db");
    let before = std::fs::read(&db).unwrap();
    let db_str = db.to_str().unwrap().to_string();
    export(&mut app, "csv", &db_str);
    let s = flat(&app);
    assert!(s.contains("不能匯出到正在使用的資料庫"), "{s}");
    // The form stays open with the path as typed.
    assert!(s.contains("school.db"), "{s}");
    assert!(!s.contains("已匯出"), "{s}");
    assert_eq!(std::fs::read(&db).unwrap(), before);

    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('y'));
    export(&mut app, "csv", &format!("{db_str}-wal"));
    assert!(flat(&app).contains("附屬檔"), "{}", flat(&app));

    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('y'));
    export(&mut app, "csv", dir.path().to_str().unwrap());
    assert!(flat(&app).contains("不能匯出到資料夾"), "{}", flat(&app));
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

#[test]
fn an_existing_file_is_replaced_only_after_yes() {
    let dir = TempDir::new().unwrap();
    let mut app = app(dir.path());
    let out = dir.path().join("old.md");
    std::fs::write(&out, "old notes\n").unwrap();
    let path = out.to_str().unwrap().to_string();

    // The question names the file; Enter takes the default, No.
    export(&mut app, "md", &path);
    let s = flat(&app);
    assert!(s.contains("取代檔案？"), "{s}");
    assert!(s.contains("old.md」已經存在"), "{s}");
    key(&mut app, KeyCode::Enter);
    assert!(!flat(&app).contains("取代檔案？"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "old notes\n");

    // n keeps it too.
    export(&mut app, "md", &path);
    key(&mut app, KeyCode::Char('n'));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "old notes\n");

    // y replaces it, and says so.
    export(&mut app, "md", &path);
    key(&mut app, KeyCode::Char('y'));
    let s = flat(&app);
    assert!(s.contains("已匯出 115-1 學期"), "{s}");
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with("# "), "{text}");
    assert!(!text.contains("old notes"));

    // A new file is written without a question.
    let new = dir.path().join("new.md");
    export(&mut app, "md", new.to_str().unwrap());
    assert!(!flat(&app).contains("取代檔案？"));
    assert!(new.exists());
    // No temporary file is left beside them.
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| !n.starts_with("school.db"))
        .collect();
    names.sort();
    assert_eq!(names, ["new.md", "old.md"]);
}
