//! The status bar at every width from 60 to 120, on every screen, in both
//! languages: the screen's main verbs (`keys::MAIN`) are always there, and
//! the bar ends with `? 更多` / `? More` whenever a verb was left out.

mod common;
use common::{key, store, today};
use portfolio_desk::app::App;
use portfolio_desk::i18n::{Lang, set_lang, tr};
use portfolio_desk::ui::keys::{self, Action};
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

/// The last row of the screen as text (a wide character's second cell
/// skipped).
fn status_row(app: &App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| app.draw(f)).unwrap();
    let buf = t.backend().buffer();
    let mut row = String::new();
    let mut x = 0;
    while x < w {
        let sym = buf[(x, h - 1)].symbol();
        row.push_str(sym);
        x += width(sym).max(1) as u16;
    }
    let mut row = row.trim_end().to_string();
    // Who is acting ("registry·管理者+2") sits at the right, after a gap:
    // the keys are what comes before it.
    // (At narrow widths it gives way to the main verbs.)
    if let Some(at) = row.rfind(' ')
        && (row[at..].contains('·') || row[at..].ends_with('…'))
    {
        row.truncate(at);
    } else {
        assert!(w < 100, "who is acting is shown at {w} columns: {row:?}");
    }
    row.trim_end().to_string()
}

fn piece(a: Action) -> String {
    let r = keys::row(a).unwrap();
    format!("{} {}", keys::first_key_label(a), tr(r.label))
}

/// Screens and states reached by keys from the demo school.
const STATES: &[(&str, &[KeyCode])] = &[
    ("home", &[]),
    ("calendar month", &[KeyCode::Char('2')]),
    ("calendar agenda", &[KeyCode::Char('2'), KeyCode::Char('v')]),
    ("roster seats", &[KeyCode::Char('3')]),
    ("roster staff", &[KeyCode::Char('3'), KeyCode::Char('v')]),
    ("delegates", &[KeyCode::Char('4')]),
    ("delegates ranks", &[KeyCode::Char('4'), KeyCode::Enter]),
    (
        "delegates absences",
        &[KeyCode::Char('4'), KeyCode::Char('v')],
    ),
    ("checklists", &[KeyCode::Char('5')]),
    ("receipts students", &[KeyCode::Char('6')]),
    (
        "receipts discrepancies",
        &[KeyCode::Char('6'), KeyCode::Char('v')],
    ),
];

#[test]
fn main_verbs_always_show_and_more_says_when_some_are_left_out() {
    for lang in [Lang::ZhTw, Lang::En] {
        let more = format!("? {}", tr_in(lang, "first.more"));
        let help = format!("? {}", tr_in(lang, "keys.help"));
        for (name, path) in STATES {
            let mut app = demo_app(lang);
            for k in *path {
                key(&mut app, *k);
            }
            let cmds = app.commands();
            let verbs: Vec<Action> = cmds
                .iter()
                .copied()
                .filter(|a| !keys::NAV.contains(a) && !keys::GLOBAL.contains(a))
                .collect();
            let main: Vec<Action> = verbs
                .iter()
                .copied()
                .filter(|a| keys::is_main(*a))
                .collect();
            assert!(!main.is_empty() || *name == "home", "{name}: no main verb");
            let mut cut_somewhere = false;
            for w in 60..=120u16 {
                let row = status_row(&app, w, 24);
                for &a in &main {
                    assert!(
                        row.contains(&piece(a)),
                        "{lang:?} {name} w={w}: {a:?} missing in {row:?}"
                    );
                }
                // Main verbs come before every other verb.
                let last_main = main.iter().filter_map(|a| row.find(&piece(*a))).max();
                for &a in verbs.iter().filter(|a| !keys::is_main(**a)) {
                    if let (Some(at), Some(m)) = (row.find(&piece(a)), last_main) {
                        assert!(
                            at > m,
                            "{lang:?} {name} w={w}: {a:?} before a main verb: {row:?}"
                        );
                    }
                }
                let left_out = verbs
                    .iter()
                    .chain(std::iter::once(&Action::Quit))
                    .any(|a| !row.contains(&piece(*a)));
                if left_out {
                    cut_somewhere = true;
                    assert!(row.ends_with(&more), "{lang:?} {name} w={w}: {row:?}");
                } else {
                    assert!(row.ends_with(&help), "{lang:?} {name} w={w}: {row:?}");
                }
            }
            if verbs.len() > 6 {
                assert!(
                    cut_somewhere,
                    "{lang:?} {name}: never cut? (test cannot fail)"
                );
            }
        }
    }
}

fn tr_in(lang: Lang, k: &str) -> String {
    set_lang(lang);
    tr(k).to_string()
}
