//! `--ascii`: no East Asian ambiguous-width character (…, •, —, ·, box
//! drawing, arrows) reaches the terminal on any screen, popup or help, in
//! either language. Its own test binary: ASCII mode is process-wide.

mod common;
use common::{key, store, today};
use portfolio_desk::app::App;
use portfolio_desk::i18n::{Lang, set_lang};
use portfolio_desk::ui::glyphs;
use portfolio_desk::ui::text::width;
use portfolio_desk::ui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;

fn demo_app(lang: Lang) -> App {
    set_lang(lang);
    let mut s = store();
    portfolio_desk::demo::seed(&mut s, today()).unwrap();
    App::new(s, today(), Theme { color: false })
}

/// The screen as text, and the ambiguous cells found (x, y, symbol).
fn render(app: &App, w: u16, h: u16) -> (String, Vec<(u16, u16, String)>) {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| app.draw(f)).unwrap();
    let buf = t.backend().buffer();
    let mut bad = Vec::new();
    let mut rows = Vec::new();
    for y in 0..h {
        let mut row = String::new();
        let mut x = 0;
        while x < w {
            let sym = buf[(x, y)].symbol();
            if glyphs::needs_stand_in(sym) {
                bad.push((x, y, sym.to_string()));
            }
            row.push_str(sym);
            x += width(sym).max(1) as u16;
        }
        rows.push(row.trim_end().to_string());
    }
    (rows.join("\n"), bad)
}

const PATHS: &[&[KeyCode]] = &[
    &[],
    &[KeyCode::Char('?')],
    &[KeyCode::Char('2')],
    &[KeyCode::Char('2'), KeyCode::Char('v')],
    &[KeyCode::Char('2'), KeyCode::Char('v'), KeyCode::Char('v')],
    &[KeyCode::Char('2'), KeyCode::Char('n')],
    &[KeyCode::Char('2'), KeyCode::Char('c')],
    &[KeyCode::Char('3')],
    &[KeyCode::Char('3'), KeyCode::Char('v')],
    &[KeyCode::Char('4')],
    &[KeyCode::Char('4'), KeyCode::Enter],
    &[KeyCode::Char('5')],
    &[KeyCode::Char('5'), KeyCode::Char('?')],
    &[KeyCode::Char('6')],
    &[KeyCode::Char('6'), KeyCode::Char('v')],
    &[KeyCode::Char('6'), KeyCode::Char('n')],
];

#[test]
fn ascii_mode_leaves_no_ambiguous_width_character_anywhere() {
    // Without it the screens do use them (else this test could not fail).
    glyphs::set_ascii(false);
    let app = demo_app(Lang::ZhTw);
    assert!(!render(&app, 80, 24).1.is_empty());
    glyphs::set_ascii(true);
    for lang in [Lang::ZhTw, Lang::En] {
        for path in PATHS {
            let mut app = demo_app(lang);
            for k in *path {
                key(&mut app, *k);
            }
            for (w, h) in [(80, 24), (60, 16), (120, 40)] {
                let (text, bad) = render(&app, w, h);
                assert!(bad.is_empty(), "{lang:?} {path:?} {w}x{h}: {bad:?}\n{text}");
            }
        }
    }
    // Too small a terminal too.
    let app = demo_app(Lang::ZhTw);
    assert!(render(&app, 40, 10).1.is_empty());
    // What it looks like (one test: the mode is process-wide).
    let app = demo_app(Lang::ZhTw);
    insta::assert_snapshot!("ascii_home_zh", render(&app, 80, 24).0);
    let mut app = demo_app(Lang::En);
    key(&mut app, KeyCode::Char('2'));
    insta::assert_snapshot!("ascii_calendar_en", render(&app, 80, 24).0);
}
