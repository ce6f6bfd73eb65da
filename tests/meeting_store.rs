//! Committee meetings in the store (issue 14), on a temp file: the meeting
//! and its calendar window, attendance, agenda items, decisions carried
//! forward, and two people saving the same item.

use chrono::{NaiveDate, NaiveTime};
use portfolio_desk::domain::calendar::Phase;
use portfolio_desk::domain::committee::StaffDraft;
use portfolio_desk::domain::meeting::{
    AttendEntry, AttendStatus, DecisionDraft, ItemDraft, MeetingDraft, MeetingKind, MeetingStatus,
    Section, quorum,
};
use portfolio_desk::domain::preset;
use portfolio_desk::domain::roc::Term;
use portfolio_desk::store::{Store, StoreError};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn t(h: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, 0, 0).unwrap()
}

struct School {
    _dir: tempfile::TempDir,
    s: Store,
    /// Staff ids: principal (convener), dean (secretary), registrar, outsider.
    principal: i64,
    dean: i64,
    registrar: i64,
    outsider: i64,
}

/// 靜心, committee of 115 with three members, terms 115-1 and 115-2.
fn school() -> School {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("s.db")).unwrap();
    s.set_user("secretary");
    s.init_school(&preset::by_key("jingxin").unwrap(), 115)
        .unwrap();
    s.ensure_term(Term {
        year: 115,
        semester: 1,
    })
    .unwrap();
    s.ensure_term(Term {
        year: 115,
        semester: 2,
    })
    .unwrap();
    let mut person = |name: &str, pos: &str| {
        s.add_staff(&StaffDraft {
            name: name.into(),
            positions: vec![pos.into()],
            ..Default::default()
        })
        .unwrap()
        .id
    };
    let principal = person("王校長", "校長");
    let dean = person("李教務", "教務主任");
    let registrar = person("陳註冊", "註冊組長");
    let outsider = person("林老師", "教師");
    let c = s.committee(115).unwrap().unwrap();
    for v in s.seats(c.id).unwrap() {
        let who = match v.seat.title.as_str() {
            "校長" => principal,
            "教務主任" => dean,
            "註冊組長" => registrar,
            _ => continue,
        };
        s.assign_seat(v.seat.id, v.seat.meta.version, Some(who))
            .unwrap();
    }
    School {
        _dir: dir,
        s,
        principal,
        dean,
        registrar,
        outsider,
    }
}

fn draft(date: NaiveDate) -> MeetingDraft {
    MeetingDraft {
        date,
        starts_at: t(14),
        ends_at: Some(t(16)),
        place: "第一會議室".into(),
        kind: MeetingKind::Regular,
        chair_id: None,
        recorder_id: None,
    }
}

fn refused_key(e: &StoreError) -> &'static str {
    match e {
        StoreError::Refused { key, .. } => key,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn arg(e: &StoreError, name: &str) -> String {
    match e {
        StoreError::Refused { args, .. } => args
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn meeting_events(s: &Store) -> Vec<portfolio_desk::store::EventRec> {
    s.events()
        .unwrap()
        .into_iter()
        .filter(|e| e.event.phase == Phase::Meeting)
        .collect()
}

#[test]
fn planning_creates_the_calendar_window_standing_items_and_recorder() {
    let mut sc = school();
    let m = sc.s.plan_meeting(&draft(d(2026, 9, 29))).unwrap();
    assert_eq!((m.year, m.number), (115, 1));
    assert_eq!(
        m.term,
        Term {
            year: 115,
            semester: 1
        }
    );
    assert_eq!(
        m.recorder_id,
        Some(sc.dean),
        "the executive secretary records"
    );
    let events = meeting_events(&sc.s);
    assert_eq!(events.len(), 1);
    assert_eq!(Some(events[0].event.id), m.event_id);
    assert_eq!(events[0].event.span.start, d(2026, 9, 29));
    assert!(
        events[0].event.title.contains('1'),
        "{}",
        events[0].event.title
    );
    let items = sc.s.agenda_items(m.id).unwrap();
    let p = preset::by_key("jingxin").unwrap();
    assert_eq!(items.len(), 6);
    assert!(items.iter().all(|i| i.section == Section::Report));
    assert_eq!(items[0].title, p.standing_agenda[0]);
    assert_eq!(items[5].title, p.standing_agenda[5]);
    // The second meeting of the year is number 2.
    let m2 = sc.s.plan_meeting(&draft(d(2027, 3, 2))).unwrap();
    assert_eq!((m2.number, m2.term.semester), (2, 2));
    // The chair is resolved: the principal holds 校長.
    let chair = sc.s.meeting_chair(&m).unwrap();
    assert_eq!(chair.name.as_deref(), Some("王校長"));
    assert!(chair.resolution.is_some());
    let _ = sc.principal;
}

#[test]
fn moving_and_cancelling_a_meeting_moves_and_removes_its_window() {
    let mut sc = school();
    let m = sc.s.plan_meeting(&draft(d(2026, 9, 29))).unwrap();
    let moved =
        sc.s.update_meeting(
            m.id,
            m.meta.version,
            &MeetingDraft {
                date: d(2026, 10, 6),
                ..m.draft()
            },
        )
        .unwrap();
    let events = meeting_events(&sc.s);
    assert_eq!(events.len(), 1, "one record, not two");
    assert_eq!(events[0].event.span.start, d(2026, 10, 6));
    assert_eq!(Some(events[0].event.id), moved.event_id);
    // Moving into the next academic year is refused, quoting the date.
    let err =
        sc.s.update_meeting(
            m.id,
            moved.meta.version,
            &MeetingDraft {
                date: d(2027, 8, 10),
                ..m.draft()
            },
        )
        .unwrap_err();
    assert!(
        matches!(
            refused_key(&err),
            "meeting.err_other_year" | "meeting.err_outside_terms"
        ),
        "{err:?}"
    );
    sc.s.cancel_meeting(m.id, moved.meta.version).unwrap();
    assert!(meeting_events(&sc.s).is_empty());
    assert!(sc.s.meetings(Some(115)).unwrap().is_empty());
    assert!(sc.s.agenda_items(m.id).unwrap().is_empty());
}

#[test]
fn the_window_of_a_meeting_cannot_be_edited_on_the_calendar() {
    let mut sc = school();
    let m = sc.s.plan_meeting(&draft(d(2026, 9, 29))).unwrap();
    let ev = sc.s.event(m.event_id.unwrap()).unwrap();
    let mut changed = ev.event.clone();
    changed.span.start = d(2026, 9, 30);
    changed.span.end = d(2026, 9, 30);
    let err =
        sc.s.update_event(ev.event.id, ev.meta.version, &changed)
            .unwrap_err();
    assert_eq!(refused_key(&err), "meeting.err_event_is_meeting");
    assert_eq!(arg(&err, "number"), "1");
    assert_eq!(arg(&err, "date"), "115.09.29");
    let err = sc.s.delete_event(ev.event.id, ev.meta.version).unwrap_err();
    assert_eq!(refused_key(&err), "meeting.err_event_is_meeting");
    assert_eq!(
        sc.s.event(ev.event.id).unwrap().event.span.start,
        d(2026, 9, 29)
    );
    // Copying the term forward does not copy the meeting as a bare window.
    let out = sc.s.copy_term_forward(Term {
        year: 115,
        semester: 1,
    });
    if let Ok(o) = out {
        assert!(o.shifted.iter().all(|s| s.event.phase != Phase::Meeting));
    }
}

#[test]
fn a_meeting_outside_every_recorded_term_is_refused_quoting_the_date() {
    let mut sc = school();
    let before = sc.s.events().unwrap().len();
    let err = sc.s.plan_meeting(&draft(d(2027, 9, 1))).unwrap_err();
    assert_eq!(refused_key(&err), "meeting.err_outside_terms");
    assert_eq!(arg(&err, "date"), "116.09.01");
    assert!(sc.s.meetings(None).unwrap().is_empty());
    assert_eq!(sc.s.events().unwrap().len(), before, "nothing written");
}

#[test]
fn attendance_refuses_people_not_on_the_committee_naming_them() {
    let mut sc = school();
    let m = sc.s.plan_meeting(&draft(d(2026, 9, 29))).unwrap();
    let entry = |id, status, proxy| AttendEntry {
        staff_id: id,
        status: Some(status),
        proxy_id: proxy,
    };
    let err =
        sc.s.set_attendance(
            m.id,
            &[
                entry(sc.principal, AttendStatus::Present, None),
                entry(sc.outsider, AttendStatus::Present, None),
            ],
        )
        .unwrap_err();
    assert_eq!(refused_key(&err), "meeting.err_not_members");
    assert_eq!(arg(&err, "names"), "林老師");
    assert_eq!(arg(&err, "year"), "115");
    let rows = sc.s.attendance(m.id).unwrap();
    assert!(rows.iter().all(|r| r.status.is_none()), "nothing saved");
    sc.s.set_attendance(
        m.id,
        &[
            entry(sc.principal, AttendStatus::Present, None),
            entry(sc.dean, AttendStatus::Present, None),
            entry(sc.registrar, AttendStatus::Proxy, Some(sc.outsider)),
        ],
    )
    .unwrap();
    let rows = sc.s.attendance(m.id).unwrap();
    assert_eq!(rows.len(), 3);
    let q = quorum(&rows);
    assert_eq!((q.attending(), q.members, q.proxy), (3, 3, 1));
    let reg = rows.iter().find(|r| r.staff_id == sc.registrar).unwrap();
    assert_eq!(reg.proxy_name.as_deref(), Some("林老師"));
    let overview = sc.s.meeting_overview(115).unwrap();
    assert_eq!(overview.members, 3);
    assert_eq!(overview.meetings[0].attending, 3);
}

/// Plans, holds and records one follow-up decision on a motion.
fn held_meeting_with_decision(sc: &mut School) -> (i64, i64) {
    let m = sc.s.plan_meeting(&draft(d(2026, 9, 29))).unwrap();
    let motion =
        sc.s.add_agenda_item(
            m.id,
            &ItemDraft {
                section: Section::Motion,
                title: "訂定本學期校內上傳期程".into(),
                proposer: "教務處".into(),
                ..ItemDraft::default()
            },
        )
        .unwrap();
    let m =
        sc.s.set_meeting_status(m.id, m.meta.version, MeetingStatus::Held, d(2026, 10, 1))
            .unwrap();
    let item =
        sc.s.record_decision(
            motion.id,
            motion.meta.version,
            &DecisionDraft {
                decision: "照案通過".into(),
                owner: "註冊組".into(),
                due_on: Some(d(2026, 10, 30)),
            },
        )
        .unwrap();
    (m.id, item.id)
}

#[test]
fn open_decisions_are_carried_to_the_next_meeting_until_done() {
    let mut sc = school();
    let (_m1, decided) = held_meeting_with_decision(&mut sc);
    assert_eq!(sc.s.open_decisions().unwrap().len(), 1);
    let m2 = sc.s.plan_meeting(&draft(d(2026, 12, 1))).unwrap();
    let prev: Vec<_> =
        sc.s.agenda_items(m2.id)
            .unwrap()
            .into_iter()
            .filter(|i| i.section == Section::Previous)
            .collect();
    assert_eq!(prev.len(), 1);
    assert_eq!(prev[0].carried_from, Some(decided));
    assert_eq!(prev[0].body, "照案通過");
    assert_eq!(prev[0].owner, "註冊組");
    // Marked done (on the carried copy): the decision itself is done.
    sc.s.set_decision_done(prev[0].id, prev[0].meta.version, Some(d(2026, 10, 20)))
        .unwrap();
    assert_eq!(
        sc.s.agenda_item(decided).unwrap().done_on,
        Some(d(2026, 10, 20))
    );
    assert!(sc.s.open_decisions().unwrap().is_empty());
    // A third meeting does not carry it any more.
    let m3 = sc.s.plan_meeting(&draft(d(2027, 3, 2))).unwrap();
    assert!(
        sc.s.agenda_items(m3.id)
            .unwrap()
            .iter()
            .all(|i| i.section != Section::Previous)
    );
}

#[test]
fn a_decision_recorded_after_the_next_meeting_is_planned_is_carried_too() {
    let mut sc = school();
    let m1 = sc.s.plan_meeting(&draft(d(2026, 9, 29))).unwrap();
    let m2 = sc.s.plan_meeting(&draft(d(2026, 12, 1))).unwrap();
    let m1 =
        sc.s.set_meeting_status(m1.id, m1.meta.version, MeetingStatus::Held, d(2026, 10, 1))
            .unwrap();
    let first = sc.s.agenda_items(m1.id).unwrap()[0].clone();
    sc.s.record_decision(
        first.id,
        first.meta.version,
        &DecisionDraft {
            decision: "期程表修正後公告".into(),
            owner: "教務處".into(),
            due_on: None,
        },
    )
    .unwrap();
    let prev =
        sc.s.agenda_items(m2.id)
            .unwrap()
            .into_iter()
            .filter(|i| i.section == Section::Previous)
            .count();
    assert_eq!(prev, 1);
}

#[test]
fn a_decision_due_before_the_meeting_is_refused_quoting_both_dates() {
    let mut sc = school();
    let (_m, decided) = held_meeting_with_decision(&mut sc);
    let item = sc.s.agenda_item(decided).unwrap();
    let err =
        sc.s.record_decision(
            item.id,
            item.meta.version,
            &DecisionDraft {
                decision: "照案通過".into(),
                owner: "註冊組".into(),
                due_on: Some(d(2026, 9, 28)),
            },
        )
        .unwrap_err();
    assert_eq!(refused_key(&err), "meeting.err_due_before");
    assert_eq!(arg(&err, "due"), "115.09.28");
    assert_eq!(arg(&err, "date"), "115.09.29");
    assert_eq!(
        sc.s.agenda_item(decided).unwrap().due_on,
        Some(d(2026, 10, 30))
    );
}

#[test]
fn the_second_save_of_the_same_item_is_refused_naming_who_and_when() {
    let sc = school();
    let path = sc.s.path().to_path_buf();
    let mut a = sc.s;
    let m = a.plan_meeting(&draft(d(2026, 9, 29))).unwrap();
    let item = a.agenda_items(m.id).unwrap()[0].clone();
    let mut b = Store::open(&path).unwrap();
    b.set_user("dean");
    b.set_fixed_now("2026-09-20T10:15:00+08:00");
    let mut text = item.draft();
    text.body = "本學期期程已公告。".into();
    b.update_agenda_item(item.id, item.meta.version, &text)
        .unwrap();
    text.body = "另一版本".into();
    let err = a
        .update_agenda_item(item.id, item.meta.version, &text)
        .unwrap_err();
    assert_eq!(
        err,
        StoreError::Stale {
            by: "dean".into(),
            at: "2026-09-20T10:15:00+08:00".into()
        }
    );
    assert_eq!(a.agenda_item(item.id).unwrap().body, "本學期期程已公告。");
}

#[test]
fn items_reorder_within_their_section_and_reports_freeze_when_held() {
    let mut sc = school();
    let m = sc.s.plan_meeting(&draft(d(2026, 9, 29))).unwrap();
    let items = sc.s.agenda_items(m.id).unwrap();
    assert!(
        sc.s.move_agenda_item(items[1].id, items[1].meta.version, true)
            .unwrap()
    );
    let after = sc.s.agenda_items(m.id).unwrap();
    assert_eq!(after[0].id, items[1].id);
    assert_eq!(after[1].id, items[0].id);
    // The first cannot go further up.
    let top = &after[0];
    assert!(
        !sc.s
            .move_agenda_item(top.id, top.meta.version, true)
            .unwrap()
    );
    // Reports are written while planned...
    sc.s.set_report_bodies(m.id, &[(after[0].id, "一、期程如附件。".into())])
        .unwrap();
    assert_eq!(
        sc.s.agenda_item(after[0].id).unwrap().body,
        "一、期程如附件。"
    );
    // ...and frozen once the meeting is held.
    let m = sc.s.meeting(m.id).unwrap();
    sc.s.set_meeting_status(m.id, m.meta.version, MeetingStatus::Held, d(2026, 9, 29))
        .unwrap();
    let err =
        sc.s.set_report_bodies(m.id, &[(after[0].id, "改寫".into())])
            .unwrap_err();
    assert_eq!(refused_key(&err), "meeting.err_not_planned");
    assert_eq!(
        sc.s.agenda_item(after[0].id).unwrap().body,
        "一、期程如附件。"
    );
    // A held meeting still takes extempore motions, not new reports.
    let extra = ItemDraft {
        section: Section::Extempore,
        title: "臨時動議一".into(),
        ..ItemDraft::default()
    };
    sc.s.add_agenda_item(m.id, &extra).unwrap();
    let report = ItemDraft {
        section: Section::Report,
        ..extra
    };
    assert_eq!(
        refused_key(&sc.s.add_agenda_item(m.id, &report).unwrap_err()),
        "meeting.err_not_planned"
    );
}

#[test]
fn a_meeting_cannot_be_marked_held_before_its_day() {
    let mut sc = school();
    let m = sc.s.plan_meeting(&draft(d(2026, 9, 29))).unwrap();
    let err =
        sc.s.set_meeting_status(m.id, m.meta.version, MeetingStatus::Held, d(2026, 9, 28))
            .unwrap_err();
    assert_eq!(refused_key(&err), "meeting.err_not_yet");
    assert_eq!(sc.s.meeting(m.id).unwrap().status, MeetingStatus::Planned);
}

#[test]
fn check_meetings_counts_real_meetings_and_past_due_decisions() {
    let mut sc = school();
    // Before any meeting, half-way through 115-1.
    let f = sc.s.meeting_findings(115, d(2026, 11, 25)).unwrap();
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].message_key(), "meeting.find_none_planned");
    held_meeting_with_decision(&mut sc);
    // Due 2026-10-30, held 2026-09-29 and not confirmed.
    let f = sc.s.meeting_findings(115, d(2026, 11, 25)).unwrap();
    let keys: Vec<_> = f.iter().map(|f| f.message_key()).collect();
    assert_eq!(
        keys,
        vec!["meeting.find_no_minutes", "meeting.find_past_due"]
    );
}
