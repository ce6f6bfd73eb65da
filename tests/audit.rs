//! The audit log (issue 13, point 3): keyset pages under filters, the
//! `audit` command, the corrected import's old and new values, and the
//! audit screen (snapshots at 80x24, Enter to the record, bad filter dates
//! quoted back).

mod common;
use std::path::{Path, PathBuf};

use common::cli::run;
use common::{key, snap, store, today, typed};
use portfolio_desk::app::App;
use portfolio_desk::demo::receipts::{Rng, lines_of, students};
use portfolio_desk::domain::audit::tables_for;
use portfolio_desk::domain::roc::Term;
use portfolio_desk::i18n::{Lang, set_lang};
use portfolio_desk::store::{AuditFilter, Store};
use portfolio_desk::ui::theme::Theme;
use ratatui::crossterm::event::KeyCode;

fn demo_store() -> Store {
    let mut s = store();
    portfolio_desk::demo::seed(&mut s, today()).unwrap();
    s
}

fn demo_file(dir: &Path) -> PathBuf {
    let db = dir.join("school.db");
    let mut s = Store::open(&db).unwrap();
    s.set_user("registry");
    s.set_fixed_now("2026-11-25T09:30:00+08:00");
    portfolio_desk::demo::seed(&mut s, today()).unwrap();
    db
}

fn all_ids(s: &Store, f: &AuditFilter) -> Vec<i64> {
    let mut out = Vec::new();
    let mut before = None;
    loop {
        let page = s.audit_page(f, before, 7).unwrap();
        let Some(last) = page.last() else { break };
        before = Some(last.id);
        out.extend(page.iter().map(|a| a.id));
    }
    out
}

#[test]
fn keyset_pages_cover_the_log_once_newest_first_both_ways() {
    let s = demo_store();
    let every: Vec<i64> = s
        .recent_audit(1 << 30)
        .unwrap()
        .iter()
        .map(|a| a.id)
        .collect();
    assert!(every.len() > 100, "{}", every.len());
    assert_eq!(all_ids(&s, &AuditFilter::default()), every);
    // Upwards from the oldest page, newest first within each page.
    let f = AuditFilter::default();
    let mut up: Vec<i64> = s
        .audit_page_oldest(&f, 7)
        .unwrap()
        .iter()
        .map(|a| a.id)
        .collect();
    loop {
        let page = s.audit_page_newer(&f, up[0], 7).unwrap();
        if page.is_empty() {
            break;
        }
        let mut ids: Vec<i64> = page.iter().map(|a| a.id).collect();
        ids.extend(up);
        up = ids;
    }
    assert_eq!(up, every);
}

#[test]
fn filters_narrow_by_person_dates_kind_and_text() {
    let mut s = demo_store();
    s.grant_role("director", portfolio_desk::domain::access::Role::Clerk)
        .unwrap();
    s.set_user("director");
    s.set_fixed_now("2026-11-26T08:00:00+08:00");
    let staff = s.list_staff().unwrap();
    let first = &staff[0];
    let mut d = first.draft();
    d.note = "研習講師".into();
    s.update_staff(first.id, first.meta.version, &d).unwrap();

    let who = AuditFilter {
        who: Some("director".into()),
        ..Default::default()
    };
    let rows = s.audit_page(&who, None, 100).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].tbl, "staff");

    let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d);
    let since = AuditFilter {
        since: day(2026, 11, 26),
        ..Default::default()
    };
    assert_eq!(all_ids(&s, &since), vec![rows[0].id]);
    let until = AuditFilter {
        until: day(2026, 11, 25),
        ..Default::default()
    };
    assert!(!all_ids(&s, &until).contains(&rows[0].id));
    assert_eq!(
        all_ids(&s, &until).len() + 1,
        all_ids(&s, &AuditFilter::default()).len()
    );

    let calendar = AuditFilter {
        tables: tables_for("calendar").unwrap(),
        ..Default::default()
    };
    let cal = s.audit_page(&calendar, None, 1000).unwrap();
    assert!(!cal.is_empty());
    assert!(
        cal.iter()
            .all(|a| ["term", "event", "receipt_window"].contains(&a.tbl.as_str()))
    );

    let text = AuditFilter {
        text: "研習講師".into(),
        ..Default::default()
    };
    assert_eq!(all_ids(&s, &text), vec![rows[0].id]);
}

#[test]
fn the_staff_name_of_a_login_comes_from_one_store_function() {
    let mut s = demo_store();
    let staff = s.list_staff().unwrap();
    // The link is the one an administrator set (the demo links its
    // office's logins), never a name or e-mail match.
    let someone = staff
        .iter()
        .find(|x| x.is_active() && !s.logins_of_staff(x.id).unwrap().is_empty())
        .unwrap();
    let login = s.logins_of_staff(someone.id).unwrap()[0].clone();
    assert_eq!(s.staff_name_for_login(&login), Some(someone.name.clone()));
    assert_eq!(s.staff_name_for_login("nobody-here"), None);
    let prefix = someone.email.split('@').next().unwrap_or_default();
    if prefix != login {
        assert_eq!(s.staff_name_for_login(prefix), None, "no e-mail match");
    }
    s.grant_role(&login, portfolio_desk::domain::access::Role::Clerk)
        .unwrap();
    s.set_user(&login);
    let mut d = someone.draft();
    d.phone = "1234".into();
    s.update_staff(someone.id, someone.meta.version, &d)
        .unwrap();
    let mut names = portfolio_desk::ui::audit_text::Names::default();
    let a = &s.recent_audit(1).unwrap()[0];
    set_lang(Lang::ZhTw);
    let text = portfolio_desk::ui::audit_text::describe(&s, a, &mut names, 5);
    assert_eq!(text.who(), format!("{login}（{}）", someone.name));
    assert_eq!(
        text.what,
        format!("修改 人員 #{} {}", someone.id, someone.name)
    );
    assert!(
        text.changes.iter().any(|c| c.starts_with("電話：")),
        "{:?}",
        text.changes
    );
}

#[test]
fn the_audit_command_writes_csv_and_markdown_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_file(dir.path());
    let out = run(
        dir.path(),
        &db,
        &["audit", "--kind", "receipt", "--format", "md"],
    );
    out.code(0);
    assert!(out.stdout.starts_with("# 異動紀錄\n"), "{}", out.stdout);
    assert!(
        out.stdout.contains("| 115.11.25 09:30 | registry |"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("疑義 #"), "{}", out.stdout);
    assert!(
        out.stdout.contains("確認狀態：未確認 → 已確認"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("作業期程"), "kind receipt only");

    let csv = dir.path().join("audit.csv");
    let out = run(
        dir.path(),
        &db,
        &[
            "audit",
            "--who",
            "registry",
            "--since",
            "115.11.25",
            "--until",
            "2026-11-25",
            "--format",
            "csv",
            "--out",
            csv.to_str().unwrap(),
        ],
    );
    out.code(0);
    assert!(out.stdout.contains("筆異動紀錄寫入"), "{}", out.stdout);
    let bytes = std::fs::read(&csv).unwrap();
    assert!(bytes.starts_with("\u{feff}時間,帳號,姓名,動作,紀錄,異動內容\r\n".as_bytes()));

    let none = run(
        dir.path(),
        &db,
        &["audit", "--who", "nobody", "--format", "md"],
    );
    none.code(0);
    assert!(
        none.stdout.contains("沒有符合的異動紀錄。"),
        "{}",
        none.stdout
    );
}

#[test]
fn impossible_dates_reversed_ranges_and_unknown_kinds_are_quoted_back() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_file(dir.path());
    let out = run(dir.path(), &db, &["audit", "--since", "115.02.30"]);
    out.code(1);
    assert!(out.stderr.contains("「115.02.30」"), "{}", out.stderr);
    let out = run(
        dir.path(),
        &db,
        &["audit", "--since", "115.11.25", "--until", "115.11.01"],
    );
    out.code(1);
    assert!(
        out.stderr.contains("「115.11.25」晚於「115.11.01」"),
        "{}",
        out.stderr
    );
    let out = run(
        dir.path(),
        &db,
        &["--lang", "en", "audit", "--kind", "grades"],
    );
    out.code(1);
    assert!(out.stderr.contains("\"grades\""), "{}", out.stderr);
}

#[test]
fn a_corrected_import_keeps_each_changed_line_old_and_new_values() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("school.db");
    let mut s = Store::open(&db).unwrap();
    s.set_fixed_now("2026-11-25T09:30:00+08:00");
    s.init_school(
        &portfolio_desk::domain::preset::by_key("jingxin").unwrap(),
        115,
    )
    .unwrap();
    let mut rng = Rng::new(3);
    let list = students(3, &[12], 115, 30, &mut rng);
    let term = Term::new(115, 1).unwrap();
    let mut lines = Vec::new();
    for st in &list {
        lines.extend(lines_of(st, term, 4, false, &mut rng));
    }
    s.import_receipts(&lines, &mut |_, _| {}).unwrap();
    let old = lines[1].count;
    lines[1].count = old + 5;
    let item = lines[1].item.to_string();
    s.import_receipts(&lines, &mut |_, _| {}).unwrap();
    // A third import changes the line again: the second's values stay.
    lines[1].count = old + 9;
    s.import_receipts(&lines, &mut |_, _| {}).unwrap();
    drop(s);
    let out = run(
        dir.path(),
        &db,
        &["audit", "--kind", "receipt_line", "--format", "md"],
    );
    out.code(0);
    let first = format!("「{item}」件數 {old} → {}", old + 5);
    let second = format!("「{item}」件數 {} → {}", old + 5, old + 9);
    assert!(out.stdout.contains(&first), "{first}\n{}", out.stdout);
    assert!(out.stdout.contains(&second), "{second}\n{}", out.stdout);
}

fn audit_app(lang: Lang) -> App {
    set_lang(lang);
    let mut app = App::new(demo_store(), today(), Theme { color: false });
    key(&mut app, KeyCode::Char('7'));
    app
}

#[test]
fn audit_screen_zh() {
    let app = audit_app(Lang::ZhTw);
    let s = snap(&app);
    assert!(s.contains("異動紀錄"), "{s}");
    // The demo's newest changes are its planned meeting's agenda.
    assert!(s.contains("新增 議程項目 #"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn audit_screen_en() {
    let app = audit_app(Lang::En);
    insta::assert_snapshot!(snap(&app));
}

#[test]
fn the_list_pages_down_past_its_window_and_back() {
    let mut app = audit_app(Lang::ZhTw);
    let top = snap(&app);
    for _ in 0..400 {
        key(&mut app, KeyCode::Down);
    }
    let deep = snap(&app);
    assert_ne!(top, deep);
    key(&mut app, KeyCode::Char('g'));
    assert_eq!(snap(&app), top);
    key(&mut app, KeyCode::Char('G'));
    let bottom = snap(&app);
    assert!(
        bottom.contains("新增 學校 #1 臺北市私立靜心高級中學"),
        "{bottom}"
    );
    for _ in 0..400 {
        key(&mut app, KeyCode::Up);
    }
    assert_ne!(snap(&app), bottom);
}

#[test]
fn enter_goes_to_the_record_screen_or_says_it_is_gone() {
    let mut app = audit_app(Lang::ZhTw);
    // The newest change is an agenda item of the planned meeting: the
    // committee's screen (3).
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(s.contains("┌ 工作小組"), "{s}");

    // A calendar window deleted: its rows say so instead of going.
    let ev = app.store.events().unwrap().remove(0);
    app.store
        .delete_event(ev.event.id, ev.meta.version)
        .unwrap();
    key(&mut app, KeyCode::Char('7'));
    key(&mut app, KeyCode::Char('g'));
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(
        s.contains(&format!(
            "期程 #{} {} 已不存在",
            ev.event.id, ev.event.title
        )),
        "{s}"
    );
}

#[test]
fn filter_form_refuses_an_impossible_date_quoting_it() {
    let mut app = audit_app(Lang::ZhTw);
    key(&mut app, KeyCode::Char('f'));
    key(&mut app, KeyCode::Down);
    typed(&mut app, "115.02.30");
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(s.contains("「115.02.30」"), "{s}");
    // A good range and a kind filter the list.
    for _ in 0..9 {
        key(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "115.11.25");
    key(&mut app, KeyCode::Down);
    typed(&mut app, "calendar");
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(s.contains("種類 期程"), "{s}");
    assert!(!s.contains("收訖確認 #"), "{s}");
    // `/` finds text; Esc clears every filter.
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "nothing-like-this");
    let s = snap(&app);
    assert!(s.contains("沒有符合的異動紀錄"), "{s}");
}

#[test]
fn text_far_back_is_found_through_the_index_and_short_text_row_by_row() {
    let mut s = store();
    s.init_school(
        &portfolio_desk::domain::preset::by_key("jingxin").unwrap(),
        115,
    )
    .unwrap();
    let draft = |name: &str| portfolio_desk::domain::committee::StaffDraft {
        name: name.into(),
        positions: vec![],
        email: String::new(),
        phone: String::new(),
        status: portfolio_desk::domain::committee::StaffStatus::Active,
        left_on: None,
        note: String::new(),
        uncertified: 0,
    };
    let old = s.add_staff(&draft("歐陽老王")).unwrap();
    for i in 0..2500 {
        s.add_staff(&draft(&format!("教師{i}"))).unwrap();
    }
    let find = |text: &str| {
        let f = AuditFilter {
            text: text.into(),
            ..Default::default()
        };
        all_ids(&s, &f)
    };
    let row = s.audit_for("staff", old.id).unwrap()[0].id;
    // Beyond the rows looked at one by one: the trigram index finds it.
    assert_eq!(find("歐陽老王"), vec![row]);
    // Two characters are below a trigram: looked for row by row.
    assert_eq!(find("老王"), vec![row]);
    // Common text fills pages from the rows near the cursor.
    assert_eq!(find("教師24").len(), 111);
    assert_eq!(find("nothing-like-this"), Vec::<i64>::new());
}
