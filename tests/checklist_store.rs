//! Checklists in the store (issue 6), on a temp file.

use chrono::NaiveDate;
use portfolio_desk::domain::checklist::{Finding, Status, Template};
use portfolio_desk::domain::preset;
use portfolio_desk::domain::roc::{parse_date, parse_range, parse_term};
use portfolio_desk::store::{Store, StoreError};

fn school() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("s.db")).unwrap();
    s.set_user("registry");
    s.init_school(&preset::by_key("jingxin").unwrap(), 115)
        .unwrap();
    (dir, s)
}

fn d(s: &str) -> NaiveDate {
    parse_date(s).unwrap()
}

fn jingxin() -> Template {
    Template::builtin().remove(0)
}

#[test]
fn a_template_creates_the_years_two_checklists_once() {
    let (_d, mut s) = school();
    let ids = s.create_checklists(&jingxin(), 115).unwrap();
    assert_eq!(ids.len(), 2);
    let lists = s.checklists().unwrap();
    assert_eq!(lists[0].list.title, "十、十一年級");
    let items = s.checklist_items(ids[0]).unwrap();
    assert_eq!(items.len(), 22);
    assert_eq!(items[0].item.title, "校務會議通過修訂補充規定");
    assert_eq!(items[0].item.windows[0].text, "115.10.");
    // A second time: refused, nothing added.
    match s.create_checklists(&jingxin(), 115) {
        Err(StoreError::Refused { key, .. }) => assert_eq!(key, "checklist.err_exists"),
        other => panic!("{other:?}"),
    }
    assert_eq!(s.checklists().unwrap().len(), 2);
    assert_eq!(s.checklist_items_of_year(115).unwrap().len(), 44);
}

#[test]
fn done_records_who_and_when_and_undoing_clears_it() {
    let (_d, mut s) = school();
    let ids = s.create_checklists(&jingxin(), 115).unwrap();
    let first = s.checklist_items(ids[0]).unwrap().remove(0);
    s.grant_role("clerk", portfolio_desk::domain::access::Role::Clerk)
        .unwrap();
    s.set_user("clerk");
    s.set_item_status(
        first.item.id,
        first.meta.version,
        Status::Done,
        d("115.11.25"),
    )
    .unwrap();
    let now = s.checklist_item(first.item.id).unwrap();
    assert_eq!(now.item.status, Status::Done);
    assert_eq!(now.item.done_on, Some(d("115.11.25")));
    assert_eq!(now.item.done_by.as_deref(), Some("clerk"));
    // The old version is stale now, and says who changed it.
    match s.set_item_status(
        first.item.id,
        first.meta.version,
        Status::InProgress,
        d("115.11.26"),
    ) {
        Err(StoreError::Stale { by, .. }) => assert_eq!(by, "clerk"),
        other => panic!("{other:?}"),
    }
    s.set_item_status(
        first.item.id,
        now.meta.version,
        Status::NotStarted,
        d("115.11.26"),
    )
    .unwrap();
    let undone = s.checklist_item(first.item.id).unwrap().item;
    assert_eq!((undone.done_on, undone.done_by), (None, None));
    let audit = s.audit_for("checklist_item", first.item.id).unwrap();
    assert_eq!(audit.len(), 3, "insert and two updates");
}

#[test]
fn copy_forward_moves_dates_a_year_and_starts_fresh() {
    let (_d, mut s) = school();
    let ids = s.create_checklists(&jingxin(), 115).unwrap();
    let it = s.checklist_items(ids[0]).unwrap().remove(16); // 提交學生基本資料
    s.set_item_status(it.item.id, it.meta.version, Status::Done, d("115.10.15"))
        .unwrap();
    let new_id = s.copy_checklist_forward(ids[0]).unwrap();
    let copied = s.checklist_items(new_id).unwrap();
    assert_eq!(copied.len(), 22);
    let c = &copied[16].item;
    assert_eq!(c.title, "提交學生基本資料");
    assert_eq!(c.windows[0].text, "116.10.01~15");
    assert_eq!(c.windows[0].label.as_deref(), Some("116-1"));
    assert_eq!(c.status, Status::NotStarted);
    assert_eq!(c.done_on, None);
    assert!(matches!(
        s.copy_checklist_forward(ids[0]),
        Err(StoreError::Refused { .. })
    ));
}

#[test]
fn a_saved_template_is_offered_and_recreates_the_lists() {
    let (_d, mut s) = school();
    let ids = s.create_checklists(&jingxin(), 115).unwrap();
    let mut extra = s.checklist_items(ids[1]).unwrap().remove(0).item;
    extra.title = "本校自訂：學習歷程說明會".into();
    extra.windows[0].text = "115.12.".into();
    s.add_checklist_item(ids[1], &extra).unwrap();
    s.save_checklist_template("本校 115", 115).unwrap();
    assert!(
        s.save_checklist_template("本校 115", 115).is_err(),
        "names are unique"
    );
    let templates = s.checklist_templates().unwrap();
    assert_eq!(templates.len(), 2);
    let mine = &templates[1];
    assert_eq!(mine.lists[1].items.len(), 23);
    let lists = mine.instantiate(116);
    assert_eq!(lists[1].1[22].windows[0].text, "116.12.");
}

#[test]
fn the_check_sees_overdue_moved_windows_bad_dates_and_unheld_units() {
    let (_d, mut s) = school();
    let ids = s.create_checklists(&jingxin(), 115).unwrap();
    // Link an item to a calendar window, mark it done, then move the window.
    let mut e = portfolio_desk::domain::calendar::Event {
        id: 0,
        term: parse_term("115-1").unwrap(),
        title: "學校提交".into(),
        phase: portfolio_desk::domain::calendar::Phase::SchoolSubmit,
        grades: Default::default(),
        units: vec![],
        span: parse_range("115.10.01~15").unwrap(),
        national: false,
        prepares_for: None,
        notes: String::new(),
        done_on: None,
    };
    s.set_fixed_now("2026-10-01T09:00:00+08:00");
    let eid = s.add_event(&e).unwrap();
    let rec = s.checklist_items(ids[0]).unwrap().remove(16);
    let mut it = rec.item.clone();
    it.event_id = Some(eid);
    it.status = Status::Done;
    it.done_on = Some(d("115.10.10"));
    s.update_checklist_item(it.id, rec.meta.version, &it)
        .unwrap();
    s.set_fixed_now("2026-10-20T09:00:00+08:00");
    e.span = parse_range("115.10.01~25").unwrap();
    let v = s.event(eid).unwrap().meta.version;
    s.update_event(eid, v, &e).unwrap();

    let report = s.check_checklists(Some(115), d("115.11.25")).unwrap();
    let has = |pred: &dyn Fn(&Finding) -> bool| report.findings.iter().any(pred);
    assert!(has(
        &|f| matches!(f, Finding::WindowMoved { item, .. } if *item == it.id)
    ));
    assert!(has(&|f| matches!(f, Finding::Overdue { .. })));
    assert!(has(
        &|f| matches!(f, Finding::BadDate { text, .. } if text == "116..08.01~10")
    ));
    // No staff at all: every unit is unheld.
    assert!(has(
        &|f| matches!(f, Finding::UnitUnheld { unit, .. } if unit == "註冊組")
    ));
    assert_eq!(report.lists.len(), 2);
}
