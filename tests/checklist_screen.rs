//! The checklist screen (檢核) at 80x24 on a fixed clock (115.11.25) over
//! the demo school: 靜心's two checklists of academic year 115 (22 items
//! each) with a mix of statuses. Keys go through `App::handle_key`, as in
//! the real terminal.

mod common;
use common::{key, screen, snap, store, today, typed};
use portfolio_desk::app::App;
use portfolio_desk::domain::checklist::{Item, Status, Template, Window, unit_key};
use portfolio_desk::domain::preset;
use portfolio_desk::domain::roc::parse_date;
use portfolio_desk::i18n::{Lang, set_lang};
use portfolio_desk::store::{ItemRec, Store};
use portfolio_desk::ui::theme::Theme;
use ratatui::crossterm::event::KeyCode;

fn demo_store(user: &str) -> Store {
    let mut s = store();
    portfolio_desk::demo::seed(&mut s, today()).unwrap();
    s.set_user(user);
    s
}

fn open(s: Store, lang: Lang) -> App {
    set_lang(lang);
    let mut app = App::new(s, today(), Theme { color: false });
    key(&mut app, KeyCode::Char('5'));
    app
}

fn app() -> App {
    open(demo_store("registry"), Lang::ZhTw)
}

/// The items of the first (十、十一年級) checklist of year 115.
fn first_items(app: &App) -> Vec<ItemRec> {
    let id = app
        .store
        .checklists()
        .unwrap()
        .into_iter()
        .find(|c| c.list.year == 115)
        .unwrap()
        .list
        .id;
    app.store.checklist_items(id).unwrap()
}

fn by_title(app: &App, title: &str) -> ItemRec {
    first_items(app)
        .into_iter()
        .find(|r| r.item.title == title)
        .unwrap_or_else(|| panic!("no item {title}"))
}

/// The screen line whose text contains `text`.
fn line_with(s: &str, text: &str) -> String {
    s.lines()
        .find(|l| l.contains(text))
        .unwrap_or_else(|| panic!("no line with {text}:\n{s}"))
        .to_string()
}

/// Clears the focused form field (its value is at most `n` characters).
fn clear_field(app: &mut App, n: usize) {
    key(app, KeyCode::End);
    for _ in 0..n {
        key(app, KeyCode::Backspace);
    }
}

fn tab(app: &mut App, n: usize) {
    for _ in 0..n {
        key(app, KeyCode::Tab);
    }
}

#[test]
fn the_checklist_at_80x24_in_chinese() {
    let app = app();
    let s = snap(&app);
    assert!(s.contains("檢核　115 學年度　十、十一年級（1/2）"), "{s}");
    assert!(s.contains("已完成 12/22（55%）"), "{s}");
    assert!(s.contains("！逾期 2"), "{s}");
    // Gauges per section and per unit.
    assert!(
        line_with(&s, "行政規劃          2/3").contains('\u{2501}'),
        "{s}"
    );
    assert!(line_with(&s, "註冊組   4/12").contains('\u{2500}'), "{s}");
    insta::assert_snapshot!("zh_80x24", s);
}

#[test]
fn the_checklist_at_80x24_in_english_with_the_bar_chart() {
    let mut app = open(demo_store("registry"), Lang::En);
    key(&mut app, KeyCode::Char('v'));
    let s = snap(&app);
    set_lang(Lang::ZhTw);
    assert!(s.contains("Checklists  year 115"), "{s}");
    assert!(s.contains("Done 12/22 (55%)"), "{s}");
    assert!(s.contains("Open items by unit"), "{s}");
    // The unit with the most open items comes first, with its count.
    assert!(
        line_with(&s, "註冊組 訓育組").contains("│註冊組 訓育組"),
        "{s}"
    );
    assert!(s.contains("██8██"), "{s}");
    insta::assert_snapshot!("en_80x24_chart", s);
}

#[test]
fn x_ticks_an_item_and_the_tally_and_gauges_follow() {
    let mut app = app();
    let before = snap(&app);
    assert!(before.contains("已完成 12/22"));
    assert!(before.contains("行政規劃          2/3"));
    // The third row, 校務系統及學習歷程資料同步及維護, is in progress.
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Char('x'));
    let s = snap(&app);
    assert!(s.contains("已完成 13/22（59%）"), "{s}");
    assert!(s.contains("行政規劃          3/3"), "{s}");
    assert!(s.contains("註冊組   5/12"), "{s}");
    let rec = by_title(&app, "校務系統及學習歷程資料同步及維護");
    assert_eq!(rec.item.status, Status::Done);
    assert_eq!(rec.item.done_on, Some(today()));
    assert_eq!(rec.item.done_by.as_deref(), Some("registry"));
    // Again: asks first (it undoes a recorded action), then back to in
    // progress (its window has opened), who/when cleared.
    key(&mut app, KeyCode::Char('x'));
    assert!(snap(&app).contains("取消已完成？"));
    key(&mut app, KeyCode::Char('y'));
    let rec = by_title(&app, "校務系統及學習歷程資料同步及維護");
    assert_eq!(rec.item.status, Status::InProgress);
    assert_eq!(rec.item.done_on, None);
    assert!(snap(&app).contains("已完成 12/22"));
}

#[test]
fn s_cycles_the_status() {
    let mut app = app();
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Down);
    let title = "校務系統及學習歷程資料同步及維護";
    let mut seen = vec![by_title(&app, title).item.status];
    for _ in 0..4 {
        let was_done = by_title(&app, title).item.status == Status::Done;
        key(&mut app, KeyCode::Char('s'));
        // Out of done: asked first.
        assert_eq!(snap(&app).contains("取消已完成？"), was_done);
        if was_done {
            key(&mut app, KeyCode::Char('y'));
        }
        seen.push(by_title(&app, title).item.status);
    }
    assert_eq!(
        seen,
        vec![
            Status::InProgress,
            Status::Done,
            Status::NotApplicable,
            Status::NotStarted,
            Status::InProgress
        ]
    );
    // Not applicable leaves the count: 12 done of 21.
    key(&mut app, KeyCode::Char('s'));
    key(&mut app, KeyCode::Char('s'));
    key(&mut app, KeyCode::Char('y'));
    assert_eq!(by_title(&app, title).item.status, Status::NotApplicable);
    let s = snap(&app);
    assert!(s.contains("已完成 12/21"), "{s}");
    assert!(line_with(&s, title).contains("不適用"), "{s}");
}

#[test]
fn the_filter_selects_a_unit_or_the_overdue() {
    let mut app = app();
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "生輔組");
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    let want = first_items(&app)
        .iter()
        .filter(|r| r.item.units.iter().any(|u| unit_key(u) == "生輔組"))
        .count();
    assert_eq!(want, 2);
    assert!(s.contains(&format!("顯示 {want}/22")), "{s}");
    assert!(!s.contains("校務會議通過修訂補充規定"), "{s}");
    key(&mut app, KeyCode::Esc);
    assert!(snap(&app).contains("校務會議通過修訂補充規定"));

    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "逾期");
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(s.contains("顯示 2/22"), "{s}");
    let rows: Vec<&str> = s.lines().filter(|l| l.starts_with("\"│！")).collect();
    assert_eq!(rows.len(), 2, "{s}");
    assert!(s.contains("選課輔導手冊修訂"), "{s}");
}

#[test]
fn my_items_are_those_of_the_users_units() {
    // 劉家豪 (註冊組長) signs in as liu.jh, his e-mail's local part.
    let mut app = open(demo_store("liu.jh"), Lang::ZhTw);
    key(&mut app, KeyCode::Char('m'));
    let s = snap(&app);
    let mine: Vec<String> = first_items(&app)
        .into_iter()
        .filter(|r| r.item.units.iter().any(|u| unit_key(u) == "註冊組"))
        .map(|r| r.item.title)
        .collect();
    assert!(mine.len() > 3 && mine.len() < 22);
    assert!(s.contains(&format!("顯示 {}/22", mine.len())), "{s}");
    assert!(s.contains("我的項目：劉家豪"), "{s}");
    assert!(s.contains("劉家豪（註冊組長）負責 註冊組"), "{s}");
    // Not his: 課程計畫公告 (教學組).
    assert!(!s.contains("課程計畫公告"), "{s}");
    let rows = s
        .lines()
        .filter(|l| l.contains("115.") || l.contains("116."))
        .count();
    assert_eq!(rows, mine.len().min(10), "{s}");
    key(&mut app, KeyCode::Char('m'));
    assert!(snap(&app).contains("課程計畫公告"));
}

#[test]
fn my_items_says_so_when_no_staff_record_matches() {
    let mut app = app();
    key(&mut app, KeyCode::Char('m'));
    let s = snap(&app);
    assert!(
        s.contains("登入帳號「registry」沒有連結到任何教職員"),
        "{s}"
    );
    assert!(!s.contains("我的項目："), "{s}");
}

#[test]
fn an_unknown_unit_is_quoted_and_nothing_is_saved() {
    let mut app = app();
    let before = by_title(&app, "校務會議通過修訂補充規定");
    key(&mut app, KeyCode::Char('e'));
    tab(&mut app, 2);
    clear_field(&mut app, 10);
    typed(&mut app, "註冊組、註冊祖");
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(s.contains("負責單位「註冊祖」不存在"), "{s}");
    // The known units most like it come first.
    assert!(s.contains("已知的單位有：註冊組"), "{s}");
    let after = by_title(&app, "校務會議通過修訂補充規定");
    assert_eq!(after, before);
    // The form is still open with the input.
    assert!(s.contains("註冊組、註冊祖"), "{s}");
}

#[test]
fn a_done_date_before_the_window_opened_asks_first() {
    let mut app = app();
    // Row 1: 校務會議通過修訂補充規定, window 115.10., done 115.10.31.
    key(&mut app, KeyCode::Char('e'));
    tab(&mut app, 6);
    clear_field(&mut app, 12);
    typed(&mut app, "115.9.1");
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(
        s.contains("完成日 115.09.01 早於此項目的期程開始（115.10.01）"),
        "{s}"
    );
    let rec = by_title(&app, "校務會議通過修訂補充規定");
    assert_eq!(rec.item.done_on, parse_date("115.10.31").ok());
    // Enter again: saved as typed.
    key(&mut app, KeyCode::Enter);
    let rec = by_title(&app, "校務會議通過修訂補充規定");
    assert_eq!(rec.item.done_on, parse_date("115.09.01").ok());
    assert_eq!(rec.item.done_by.as_deref(), Some("registry"));
    assert!(snap(&app).contains("已儲存：校務會議通過修訂補充規定"));
}

#[test]
fn an_edit_of_a_row_changed_meanwhile_keeps_the_input() {
    let mut app = app();
    key(&mut app, KeyCode::Char('e'));
    // Someone else changes the item while the form is open.
    let rec = by_title(&app, "校務會議通過修訂補充規定");
    let mut other = rec.item.clone();
    other.note = "別人的備註".into();
    app.store.set_user("wu.yt");
    app.store
        .update_checklist_item(rec.item.id, rec.meta.version, &other)
        .unwrap();
    app.store.set_user("registry");
    tab(&mut app, 7);
    typed(&mut app, "我的備註");
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(s.contains("這筆資料已由 wu.yt 於"), "{s}");
    assert!(s.contains("我的備註"), "{s}");
    assert_eq!(
        by_title(&app, "校務會議通過修訂補充規定").item.note,
        "別人的備註"
    );
    // Enter again overwrites knowingly.
    key(&mut app, KeyCode::Enter);
    assert_eq!(
        by_title(&app, "校務會議通過修訂補充規定").item.note,
        "我的備註"
    );
}

#[test]
fn delete_asks_and_defaults_to_no() {
    let mut app = app();
    key(&mut app, KeyCode::Char('d'));
    let s = snap(&app);
    assert!(
        s.contains("確定要從「十、十一年級」刪除「校務會議通過修訂補充規定」嗎？"),
        "{s}"
    );
    key(&mut app, KeyCode::Enter);
    assert_eq!(first_items(&app).len(), 22);
    key(&mut app, KeyCode::Char('d'));
    key(&mut app, KeyCode::Char('y'));
    assert_eq!(first_items(&app).len(), 21);
    assert!(snap(&app).contains("已完成 11/21"));
}

#[test]
fn copy_forward_makes_next_years_checklist() {
    let mut app = app();
    key(&mut app, KeyCode::Char('C'));
    let s = snap(&app);
    assert!(s.contains("複製到下一學年度"), "{s}");
    assert!(s.contains("22 個項目"), "{s}");
    key(&mut app, KeyCode::Char('y'));
    let s = snap(&app);
    assert!(s.contains("檢核　116 學年度　十、十一年級（1/1）"), "{s}");
    assert!(s.contains("已完成 0/22（0%）"), "{s}");
    let lists = app.store.checklists().unwrap();
    let new = lists.iter().find(|c| c.list.year == 116).unwrap();
    let items = app.store.checklist_items(new.list.id).unwrap();
    assert_eq!(items.len(), 22);
    let submit = items
        .iter()
        .find(|r| r.item.title == "校務會議通過修訂補充規定")
        .unwrap();
    assert_eq!(submit.item.windows[0].text, "116.10.");
    assert!(items.iter().all(|r| r.item.status == Status::NotStarted));
    // Copying again is refused with the store's message.
    key(&mut app, KeyCode::Char('['));
    key(&mut app, KeyCode::Char('C'));
    key(&mut app, KeyCode::Char('y'));
    assert!(snap(&app).contains("116 學年度已有「十、十一年級」檢核表"));
}

#[test]
fn an_empty_year_offers_the_templates() {
    let mut app = app();
    key(&mut app, KeyCode::Char(']'));
    let s = snap(&app);
    assert!(s.contains("116 學年度還沒有檢核表。"), "{s}");
    assert!(s.contains("按 N 從範本建立"), "{s}");
    assert!(s.contains("靜心高中學習歷程工作執行檢核表"), "{s}");
    key(&mut app, KeyCode::Char('N'));
    assert!(snap(&app).contains("從範本建立 116 學年度檢核表"));
    key(&mut app, KeyCode::Enter);
    let s = snap(&app);
    assert!(s.contains("檢核　116 學年度　十、十一年級（1/2）"), "{s}");
    assert!(
        s.contains("已從範本「靜心高中學習歷程工作執行檢核表」建立 116 學年度的 2 份檢核表。"),
        "{s}"
    );
    // `}` goes to the year's other checklist.
    key(&mut app, KeyCode::Char('}'));
    assert!(snap(&app).contains("檢核　116 學年度　十二年級（2/2）"));
}

#[test]
fn the_year_saves_as_a_template_and_is_offered_again() {
    let mut app = app();
    key(&mut app, KeyCode::Char('T'));
    let s = snap(&app);
    assert!(s.contains("把 115 學年度檢核表存為範本"), "{s}");
    key(&mut app, KeyCode::Enter);
    assert!(snap(&app).contains("已把 115 學年度檢核表存為範本「靜心高中 115 學年度檢核表」"));
    assert_eq!(app.store.checklist_templates().unwrap().len(), 2);
    key(&mut app, KeyCode::Char(']'));
    key(&mut app, KeyCode::Char(']'));
    let s = snap(&app);
    assert!(s.contains("117 學年度還沒有檢核表"), "{s}");
    assert!(
        s.contains("靜心高中 115 學年度檢核表（115 學年度，2 份）"),
        "{s}"
    );
}

#[test]
fn items_due_within_the_lead_time_are_marked() {
    // 臺東高中: internal checks finish 7 days before the national deadline.
    let mut s = store();
    s.init_school(&preset::by_key("taitung").unwrap(), 115)
        .unwrap();
    let t = Template::builtin().remove(0);
    let ids = s.create_checklists(&t, 115).unwrap();
    let soon = Item {
        id: 0,
        checklist_id: ids[0],
        position: 0,
        section: "學校提交".into(),
        title: "提交前校內檢核".into(),
        units: vec!["註冊組".into()],
        windows: vec![Window {
            text: "115.11.20~30".into(),
            semester: Some(1),
            label: None,
        }],
        event_id: None,
        status: Status::InProgress,
        done_on: None,
        done_by: None,
        note: String::new(),
    };
    s.add_checklist_item(ids[0], &soon).unwrap();
    let mut app = open(s, Lang::ZhTw);
    key(&mut app, KeyCode::Char('G'));
    let scr = snap(&app);
    assert!(scr.contains("＊7 天內到期 1"), "{scr}");
    let row = line_with(&scr, "提交前校內檢核");
    assert!(row.starts_with("\"│＊進行中"), "{row}");
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "將到期");
    key(&mut app, KeyCode::Enter);
    assert!(snap(&app).contains("顯示 1/23"));
}

#[test]
fn sort_by_due_date_puts_the_earliest_first() {
    let mut app = app();
    key(&mut app, KeyCode::Char('o'));
    let s = snap(&app);
    assert!(s.contains("依到期日"), "{s}");
    let dues: Vec<String> = s
        .lines()
        .skip(4)
        .take(10)
        .filter_map(|l| {
            let inner = l.split('│').nth(1)?;
            inner.split_whitespace().last().map(str::to_string)
        })
        .filter(|d| d.starts_with("11"))
        .collect();
    let mut sorted = dues.clone();
    sorted.sort();
    assert!(dues.len() >= 5, "{s}");
    assert_eq!(dues, sorted, "{s}");
    key(&mut app, KeyCode::Char('o'));
    assert!(!snap(&app).contains("依到期日"));
}

#[test]
fn no_panic_at_any_size() {
    let mut app = app();
    for step in 0..3 {
        for w in [1u16, 2, 3, 5, 10, 30, 59, 60, 61, 79, 80, 100, 120, 200] {
            for h in [1u16, 2, 5, 10, 15, 16, 17, 20, 24, 40, 60] {
                let _ = screen(&app, w, h);
            }
        }
        match step {
            0 => key(&mut app, KeyCode::Char('v')),
            _ => key(&mut app, KeyCode::Char(']')),
        }
    }
    // Wide: more columns show.
    let mut app = self::app();
    let s = screen(&app, 200, 60);
    assert!(s.contains("完成者"), "{s}");
    key(&mut app, KeyCode::Char('G'));
    let _ = screen(&app, 80, 24);
}

#[derive(Clone, Default)]
struct Counter(std::rc::Rc<std::cell::Cell<usize>>);

impl std::io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.set(self.0.get() + buf.len());
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// DESIGN: at most 300 bytes for a cursor move in a list.
#[test]
fn a_cursor_move_repaints_little() {
    use ratatui::backend::CrosstermBackend;
    use ratatui::layout::Rect;
    use ratatui::{Terminal, TerminalOptions, Viewport};
    let mut app = app();
    let counter = Counter::default();
    let mut term = Terminal::with_options(
        CrosstermBackend::new(counter.clone()),
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, 80, 24)),
        },
    )
    .unwrap();
    term.draw(|f| app.draw(f)).unwrap();
    let mut keys = vec![KeyCode::Down; 8];
    keys.extend(vec![KeyCode::Up; 8]);
    for code in keys {
        let before = counter.0.get();
        key(&mut app, code);
        term.draw(|f| app.draw(f)).unwrap();
        let n = counter.0.get() - before;
        assert!(n <= 300, "{code:?}: {n} bytes");
    }
}

/// Every table's rows as text, and the audit count: what a key may not change.
fn checksum(app: &App) -> (usize, Vec<String>) {
    let audit = app.store.recent_audit(usize::MAX >> 1).unwrap().len();
    let mut all: Vec<String> = app
        .store
        .checklists()
        .unwrap()
        .iter()
        .flat_map(|c| app.store.checklist_items(c.list.id).unwrap())
        .map(|r| format!("{r:?}"))
        .collect();
    all.sort();
    (audit, all)
}

#[test]
fn keys_typed_while_the_terminal_is_too_small_do_nothing() {
    set_lang(Lang::ZhTw);
    let mut app = App::new(demo_store("registry"), today(), Theme { color: false });
    let before = checksum(&app);
    let small = screen(&app, 40, 12);
    assert!(small.contains("終端機視窗太小"), "{small}");
    assert!(app.is_too_small());
    for c in ['5', 'j', 'j', 'x', 's', 'n', 'd', 'y'] {
        key(&mut app, KeyCode::Char(c));
    }
    key(&mut app, KeyCode::Enter);
    assert_eq!(checksum(&app), before, "a key typed while too small wrote");
    assert_eq!(app.current_screen(), 0, "`5` switched screens unseen");
    // Back to a usable size: no popup was opened unseen either.
    let s = snap(&app);
    assert!(!app.is_too_small());
    assert!(s.contains("┌ 首頁 "), "{s}");
    // The same keys at a usable size do act: the test can tell.
    for c in ['5', 'j', 'j', 'x'] {
        key(&mut app, KeyCode::Char(c));
    }
    assert_ne!(checksum(&app), before, "x at 80x24 marks the item");
}

#[test]
fn quit_and_help_still_work_while_the_terminal_is_too_small() {
    set_lang(Lang::ZhTw);
    let mut app = App::new(demo_store("registry"), today(), Theme { color: false });
    screen(&app, 40, 12);
    key(&mut app, KeyCode::Char('?'));
    let s = snap(&app);
    assert!(s.contains("首頁：按鍵說明"), "help opened:\n{s}");
    screen(&app, 40, 12);
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('q'));
    assert!(app.should_quit());
}

/// The demo school in a file, opened twice: the app's handle (registry)
/// and a colleague's (tseng.wy), as two people on one file.
fn two_handles() -> (tempfile::TempDir, App, Store) {
    set_lang(Lang::ZhTw);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("school.db");
    let mut a = Store::open(&path).unwrap();
    a.set_user("registry");
    a.set_fixed_now("2026-11-25T09:30:00+08:00");
    portfolio_desk::demo::seed(&mut a, today()).unwrap();
    let mut b = Store::open(&path).unwrap();
    b.set_user("tseng.wy");
    b.set_fixed_now("2026-11-25T10:05:00+08:00");
    let mut app = App::new(a, today(), Theme { color: false });
    key(&mut app, KeyCode::Char('5'));
    (dir, app, b)
}

const THIRD: &str = "校務系統及學習歷程資料同步及維護";

#[test]
fn x_on_an_item_a_colleague_marked_done_asks_and_names_who() {
    let (_dir, mut app, mut b) = two_handles();
    let rec = by_title(&app, THIRD);
    assert_eq!(rec.item.status, Status::InProgress);
    b.set_item_status(rec.item.id, rec.meta.version, Status::Done, today())
        .unwrap();
    assert!(app.tick(), "the app notices the colleague's write");
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Down);
    assert!(line_with(&snap(&app), THIRD).contains("已完成"));
    let audit = app.store.recent_audit(1000).unwrap().len();
    // x asks, naming who marked it and when; No is the default.
    key(&mut app, KeyCode::Char('x'));
    let s = snap(&app);
    assert!(s.contains("取消已完成？"), "{s}");
    assert!(s.contains("已由 tseng.wy 於"), "{s}");
    assert!(
        s.contains("115.11.25 標記完成。要改回「進行中」嗎？"),
        "{s}"
    );
    key(&mut app, KeyCode::Char('n'));
    key(&mut app, KeyCode::Char('x'));
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('x'));
    key(&mut app, KeyCode::Enter);
    // `s` asks too.
    key(&mut app, KeyCode::Char('s'));
    key(&mut app, KeyCode::Esc);
    let kept = by_title(&app, THIRD);
    assert_eq!(kept.item.status, Status::Done);
    assert_eq!(kept.item.done_by.as_deref(), Some("tseng.wy"));
    assert_eq!(app.store.recent_audit(1000).unwrap().len(), audit);
    // y undoes it.
    key(&mut app, KeyCode::Char('x'));
    key(&mut app, KeyCode::Char('y'));
    let undone = by_title(&app, THIRD);
    assert_eq!(undone.item.status, Status::InProgress);
    assert_eq!(undone.item.done_by, None);
}

#[test]
fn a_toggle_on_a_row_changed_meanwhile_is_refused_naming_who() {
    let (_dir, mut app, mut b) = two_handles();
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Down);
    let rec = by_title(&app, THIRD);
    // The colleague marks it done; this screen has not refreshed yet.
    b.set_item_status(rec.item.id, rec.meta.version, Status::Done, today())
        .unwrap();
    let theirs = by_title(&app, THIRD);
    let audit = app.store.recent_audit(1000).unwrap().len();
    assert!(line_with(&snap(&app), THIRD).contains("進行中"));
    key(&mut app, KeyCode::Char('x'));
    let s = snap(&app);
    assert!(
        s.contains("這筆資料已由 tseng.wy 於 2026-11-25 10:05 修改，畫面已重新載入"),
        "{s}"
    );
    assert_eq!(by_title(&app, THIRD), theirs, "nothing changed");
    assert_eq!(app.store.recent_audit(1000).unwrap().len(), audit);
    // The screen reloaded: it shows the colleague's mark.
    assert!(line_with(&s, THIRD).contains("已完成"), "{s}");

    // The other way: the screen shows done, the colleague takes it back,
    // and the confirmed undo carries the version that was shown.
    let done = by_title(&app, THIRD);
    key(&mut app, KeyCode::Char('x'));
    assert!(snap(&app).contains("取消已完成？"));
    b.set_item_status(
        done.item.id,
        done.meta.version,
        Status::NotApplicable,
        today(),
    )
    .unwrap();
    let theirs = by_title(&app, THIRD);
    key(&mut app, KeyCode::Char('y'));
    assert!(snap(&app).contains("這筆資料已由 tseng.wy"));
    assert_eq!(by_title(&app, THIRD), theirs, "nothing changed");
    assert_eq!(theirs.item.status, Status::NotApplicable);
}
