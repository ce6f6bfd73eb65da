//! Terms and calendar events in the store (issue 3), on a temp file.

use portfolio_desk::domain::calendar::{Event, Grades, Phase, TermInfo};
use portfolio_desk::domain::preset;
use portfolio_desk::domain::roc::{parse_date, parse_range, parse_term};
use portfolio_desk::store::{Store, StoreError};

fn school() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("s.db")).unwrap();
    s.set_user("registry");
    s.init_school(&preset::by_key("taitung").unwrap(), 115)
        .unwrap();
    (dir, s)
}

fn ev(term: &str, title: &str, phase: Phase, dates: &str) -> Event {
    Event {
        id: 0,
        term: parse_term(term).unwrap(),
        title: title.into(),
        phase,
        grades: Grades::of(&[10, 11]),
        units: vec!["註冊組".into(), "教學組".into()],
        span: parse_range(dates).unwrap(),
        national: false,
        prepares_for: None,
        notes: "備註".into(),
        done_on: None,
    }
}

fn refused_key(e: StoreError) -> &'static str {
    match e {
        StoreError::Refused { key, .. } => key,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn an_event_round_trips_and_creates_its_term() {
    let (_d, mut s) = school();
    let e = ev(
        "115-1",
        "上傳課程學習成果",
        Phase::Upload,
        "116.01.01~02.13",
    );
    let id = s.add_event(&e).unwrap();
    let got = s.event(id).unwrap();
    assert_eq!(got.event, Event { id, ..e });
    assert!(got.uid.ends_with("@portfolio-desk"), "{}", got.uid);
    let terms = s.terms().unwrap();
    assert_eq!(terms.len(), 1);
    assert_eq!(terms[0].info, TermInfo::new(parse_term("115-1").unwrap()));
    let audit = s.audit_for("event", id).unwrap();
    assert_eq!(audit.len(), 1);
    assert!(
        audit[0]
            .after_json
            .as_deref()
            .unwrap()
            .contains("上傳課程學習成果")
    );
}

#[test]
fn a_stale_edit_is_refused_naming_who_changed_it() {
    let (_d, mut s) = school();
    let id = s
        .add_event(&ev("115-1", "勾選", Phase::Select, "116.02.20~02.25"))
        .unwrap();
    let v = s.event(id).unwrap().meta.version;
    let mut changed = s.event(id).unwrap().event;
    changed.title = "學生勾選".into();
    s.grant_role("clerk2", portfolio_desk::domain::access::Role::Clerk)
        .unwrap();
    s.set_user("clerk2");
    s.update_event(id, v, &changed).unwrap();
    s.set_user("registry");
    changed.title = "舊的".into();
    match s.update_event(id, v, &changed) {
        Err(StoreError::Stale { by, .. }) => assert_eq!(by, "clerk2"),
        other => panic!("{other:?}"),
    }
    assert_eq!(s.event(id).unwrap().event.title, "學生勾選");
    // Edits keep the published identifier.
    let uid = s.event(id).unwrap().uid;
    let v = s.event(id).unwrap().meta.version;
    changed.title = "再改".into();
    s.update_event(id, v, &changed).unwrap();
    assert_eq!(s.event(id).unwrap().uid, uid);
}

#[test]
fn blank_titles_and_bad_preparation_links_are_refused() {
    let (_d, mut s) = school();
    let blank = ev("115-1", "  ", Phase::Other, "115.12.01");
    assert_eq!(
        refused_key(s.add_event(&blank).unwrap_err()),
        "calendar.err_empty_title"
    );
    let internal = s
        .add_event(&ev("115-1", "校內", Phase::Other, "115.12.01"))
        .unwrap();
    let mut prep = ev("115-1", "檢核", Phase::SelfCheck, "115.11.20");
    prep.prepares_for = Some(internal);
    assert_eq!(
        refused_key(s.add_event(&prep).unwrap_err()),
        "calendar.err_bad_prepares"
    );
    assert_eq!(s.events().unwrap().len(), 1, "nothing saved");
}

#[test]
fn making_a_deadline_internal_unlinks_its_preparation() {
    let (_d, mut s) = school();
    let mut n = ev("115-1", "提交中央", Phase::CentralSubmit, "115.12.20~12.25");
    n.national = true;
    let nid = s.add_event(&n).unwrap();
    let mut prep = ev("115-1", "各單位檢核", Phase::SelfCheck, "115.12.01~12.10");
    prep.prepares_for = Some(nid);
    let pid = s.add_event(&prep).unwrap();
    assert_eq!(s.event(pid).unwrap().event.prepares_for, Some(nid));
    let v = s.event(nid).unwrap().meta.version;
    n.national = false;
    s.update_event(nid, v, &n).unwrap();
    assert_eq!(s.event(pid).unwrap().event.prepares_for, None);
}

#[test]
fn done_and_delete_are_versioned_and_audited() {
    let (_d, mut s) = school();
    let id = s
        .add_event(&ev("115-1", "會議", Phase::Meeting, "115.09.29"))
        .unwrap();
    let v = s.event(id).unwrap().meta.version;
    let day = parse_date("115.09.29").unwrap();
    s.set_event_done(id, v, Some(day)).unwrap();
    assert_eq!(s.event(id).unwrap().event.done_on, Some(day));
    assert!(matches!(
        s.delete_event(id, v),
        Err(StoreError::Stale { .. })
    ));
    s.delete_event(id, v + 1).unwrap();
    assert!(matches!(s.event(id), Err(StoreError::NotFound { .. })));
    let actions: Vec<String> = s
        .audit_for("event", id)
        .unwrap()
        .into_iter()
        .map(|a| a.action)
        .collect();
    assert_eq!(actions, vec!["delete", "update", "insert"]);
}

#[test]
fn import_is_all_or_nothing_and_does_not_duplicate() {
    let (_d, mut s) = school();
    let mut n = ev(
        "115-2",
        "提交中央資料庫",
        Phase::CentralSubmit,
        "116.04.20~04.25",
    );
    n.national = true;
    let batch = vec![
        ev("115-2", "上傳", Phase::Upload, "116.02.01~02.13"),
        ev("115-2", "自我檢核", Phase::SelfCheck, "116.04.01~04.10"),
        n,
    ];
    let links = vec![(1, "提交中央資料庫".to_string())];
    let out = s.import_events(&batch, &links).unwrap();
    assert_eq!((out.added, out.already_there), (3, 0));
    assert_eq!(out.new_terms, vec![parse_term("115-2").unwrap()]);
    let events = s.events().unwrap();
    let national = events.iter().find(|e| e.event.national).unwrap().event.id;
    let check = events.iter().find(|e| e.event.title == "自我檢核").unwrap();
    assert_eq!(check.event.prepares_for, Some(national));

    let again = s.import_events(&batch, &links).unwrap();
    assert_eq!((again.added, again.already_there), (0, 3));
    assert_eq!(s.events().unwrap().len(), 3);

    // A link to an unknown title refuses the whole batch.
    let more = vec![
        ev("115-2", "新期程", Phase::Other, "116.03.01"),
        ev("115-2", "另一個", Phase::SelfCheck, "116.03.02"),
    ];
    let err = s
        .import_events(&more, &[(1, "不存在的期限".to_string())])
        .unwrap_err();
    assert_eq!(refused_key(err), "calendar.err_link_unknown");
    assert_eq!(s.events().unwrap().len(), 3, "nothing of the batch saved");
}

#[test]
fn copy_forward_shifts_a_year_keeps_links_and_refuses_twice() {
    let (_d, mut s) = school();
    let mut info = TermInfo::new(parse_term("115-1").unwrap());
    info.closing = Some(parse_date("116.01.20").unwrap());
    s.save_term(&info, None).unwrap();
    let mut n = ev("115-1", "提交中央", Phase::CentralSubmit, "115.10.25~10.28");
    n.national = true;
    let nid = s.add_event(&n).unwrap();
    let mut prep = ev("115-1", "檢核", Phase::SelfCheck, "115.10.10~10.15");
    prep.prepares_for = Some(nid);
    s.add_event(&prep).unwrap();

    let out = s.copy_term_forward(parse_term("115-1").unwrap()).unwrap();
    assert_eq!(out.to.to_string(), "116-1");
    assert_eq!(out.shifted.len(), 2);
    let copies: Vec<_> = s
        .events()
        .unwrap()
        .into_iter()
        .filter(|e| e.event.term.year == 116)
        .collect();
    let cn = copies.iter().find(|e| e.event.national).unwrap();
    let cp = copies.iter().find(|e| !e.event.national).unwrap();
    assert_eq!(cn.event.span, parse_range("116.10.25~10.28").unwrap());
    assert_eq!(cp.event.prepares_for, Some(cn.event.id));
    let t116 = s
        .terms()
        .unwrap()
        .into_iter()
        .find(|t| t.info.term.year == 116)
        .unwrap();
    assert_eq!(t116.info.closing, Some(parse_date("117.01.20").unwrap()));

    let err = s
        .copy_term_forward(parse_term("115-1").unwrap())
        .unwrap_err();
    assert_eq!(refused_key(err), "calendar.err_copy_exists");
    let err = s
        .copy_term_forward(parse_term("113-2").unwrap())
        .unwrap_err();
    assert_eq!(refused_key(err), "calendar.err_copy_empty");
}

#[test]
fn term_settings_are_versioned() {
    let (_d, mut s) = school();
    s.ensure_term(parse_term("115-1").unwrap()).unwrap();
    let rec = s.terms().unwrap().remove(0);
    let mut info = rec.info.clone();
    info.closing = Some(parse_date("116.01.20").unwrap());
    s.save_term(&info, Some(rec.meta.version)).unwrap();
    assert!(matches!(
        s.save_term(&info, Some(rec.meta.version)),
        Err(StoreError::Stale { .. })
    ));
    assert_eq!(s.terms().unwrap()[0].info.closing, info.closing);
}
