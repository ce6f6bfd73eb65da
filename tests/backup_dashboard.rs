//! The dashboard's "what needs attention" warns when the file has no backup
//! or its newest is older than 2 days (issue 12). A file store, so that
//! there is a `backups/` directory to look at; fixed clock 115.11.25.

mod common;
use chrono::NaiveDate;
use common::{snap, today};
use portfolio_desk::app::App;
use portfolio_desk::i18n::{Lang, set_lang};
use portfolio_desk::store::Store;
use portfolio_desk::ui::theme::Theme;

/// The demo school in a temporary file, with automatic backups made on
/// the given days (none when empty).
fn app_with_backups(lang: Lang, days: &[NaiveDate]) -> (tempfile::TempDir, App) {
    set_lang(lang);
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("school.db")).unwrap();
    s.set_user("registry");
    s.set_fixed_now("2026-11-25T09:30:00+08:00");
    portfolio_desk::demo::seed(&mut s, today()).unwrap();
    for d in days {
        s.auto_backup_at("daily", d.and_hms_opt(7, 45, 0).unwrap())
            .unwrap();
    }
    (dir, App::new(s, today(), Theme { color: false }))
}

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

#[test]
fn a_stale_backup_is_the_first_thing_that_needs_attention() {
    let (_d, app) = app_with_backups(Lang::ZhTw, &[day(11, 18), day(11, 20)]);
    let s = snap(&app);
    assert!(s.contains("最新備份已是 5 天前（115.11.20）"), "{s}");
    insta::assert_snapshot!("dashboard_stale_backup", s);
}

#[test]
fn no_backup_at_all_is_a_warning_too() {
    let (_d, app) = app_with_backups(Lang::En, &[]);
    let s = snap(&app);
    assert!(s.contains("No backup of this file yet"), "{s}");
}

#[test]
fn a_backup_from_two_days_ago_or_newer_is_not_mentioned() {
    for newest in [day(11, 23), day(11, 25)] {
        let (_d, app) = app_with_backups(Lang::En, &[day(11, 1), newest]);
        let s = snap(&app);
        assert!(!s.contains("backup"), "{newest}: {s}");
        // The rest of the attention list is as it always is.
        assert!(s.contains("12/13"), "{s}");
    }
}
