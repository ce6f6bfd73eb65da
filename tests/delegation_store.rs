//! Delegate tables and absences in the store (issue 4), on a temp file.

use chrono::NaiveDate;
use portfolio_desk::domain::delegation::{
    Absence, AbsenceKind, Actor, Subject, coverage, find_cycles, resolve,
};
use portfolio_desk::domain::preset;
use portfolio_desk::domain::roc::DateRange;
use portfolio_desk::store::{Store, StoreError};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn school(key: &str) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("s.db")).unwrap();
    s.set_user("registry");
    s.init_school(&preset::by_key(key).unwrap(), 111).unwrap();
    (dir, s)
}

fn pos(p: &str) -> Subject {
    Subject::Position(p.into())
}

#[test]
fn init_loads_the_presets_delegate_table_with_its_four_cycles() {
    let (_d, s) = school("fengshan");
    let tables = s.delegate_tables().unwrap();
    assert_eq!(tables.len(), 15);
    assert_eq!(tables[0].table.subject, pos("校長"));
    assert_eq!(
        tables[0].table.delegates[0].actor,
        Actor::Position("教務主任".into())
    );
    let world = s.world().unwrap();
    let cycles = find_cycles(&world.tables).cycles;
    assert_eq!(cycles.len(), 4, "{cycles:?}");
    let taitung = school("taitung").1.delegate_tables().unwrap();
    assert_eq!(taitung[0].table.delegates.len(), 2, "the rank chain");
}

#[test]
fn an_absence_changes_who_acts() {
    let (_d, mut s) = school("fengshan");
    let reg = s
        .add_staff(&portfolio_desk::domain::committee::StaffDraft {
            name: "王小明".into(),
            positions: vec!["註冊組長".into()],
            ..Default::default()
        })
        .unwrap();
    let equip = s
        .add_staff(&portfolio_desk::domain::committee::StaffDraft {
            name: "李大華".into(),
            positions: vec!["設備組長".into()],
            ..Default::default()
        })
        .unwrap();
    let day = d(2023, 2, 20);
    let r = resolve(&s.world().unwrap(), &pos("註冊組長"), day);
    assert_eq!(r.acting().map(|a| a.person.id), Some(reg.id));
    s.add_absence(&Absence {
        staff_id: reg.id,
        span: DateRange {
            start: d(2023, 2, 1),
            end: d(2023, 3, 1),
        },
        kind: AbsenceKind::Leave,
        reason: "產假".into(),
    })
    .unwrap();
    let r = resolve(&s.world().unwrap(), &pos("註冊組長"), day);
    assert_eq!(r.acting().map(|a| a.person.id), Some(equip.id));
    // The day after the leave, the holder acts again.
    let r = resolve(&s.world().unwrap(), &pos("註冊組長"), d(2023, 3, 2));
    assert_eq!(r.acting().map(|a| a.person.id), Some(reg.id));
    let audit = s.audit_for("absence", 1).unwrap();
    assert_eq!(audit.len(), 1);
}

#[test]
fn bad_delegates_are_refused_and_nothing_is_saved() {
    let (_d, mut s) = school("fengshan");
    let before = s.delegate_tables().unwrap();
    let err = s
        .add_delegate(&pos("註冊組長"), Actor::Position("註冊組長".into()), None)
        .err()
        .unwrap();
    assert!(
        matches!(
            err,
            StoreError::Refused {
                key: "delegation.table_self_delegate",
                ..
            }
        ),
        "{err:?}"
    );
    let err = s
        .add_delegate(&pos("註冊組長"), Actor::Position("設備組長".into()), None)
        .err()
        .unwrap();
    assert!(
        matches!(
            err,
            StoreError::Refused {
                key: "delegation.table_duplicate_actor",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(s.delegate_tables().unwrap(), before);
}

#[test]
fn delegates_can_be_added_reordered_and_removed() {
    let (_d, mut s) = school("taitung");
    s.add_delegate(
        &pos("學習歷程協行教師"),
        Actor::Position("教務主任".into()),
        None,
    )
    .unwrap();
    let t = &s.delegate_tables().unwrap()[0];
    let names: Vec<_> = t
        .table
        .delegates
        .iter()
        .map(|d| (d.rank, d.actor.clone()))
        .collect();
    assert_eq!(
        names,
        vec![
            (1, Actor::Position("註冊組長".into())),
            (2, Actor::Position("註冊組幹事".into())),
            (3, Actor::Position("教務主任".into())),
        ]
    );
    // Move 教務主任 up to rank 2.
    let (id, v) = t.rows[2];
    s.move_delegate(id, v, true).unwrap();
    let t = &s.delegate_tables().unwrap()[0];
    assert_eq!(
        t.table.delegates[1].actor,
        Actor::Position("教務主任".into())
    );
    // A stale move is refused.
    assert!(matches!(
        s.move_delegate(id, v, true),
        Err(StoreError::Stale { .. })
    ));
    // Remove rank 1: the others close up to 1 and 2.
    let (id1, v1) = t.rows[0];
    s.remove_delegate(id1, v1).unwrap();
    let t = &s.delegate_tables().unwrap()[0];
    assert_eq!(
        t.table.delegates.iter().map(|d| d.rank).collect::<Vec<_>>(),
        vec![1, 2]
    );
    assert_eq!(
        t.table.delegates[0].actor,
        Actor::Position("教務主任".into())
    );
}

#[test]
fn coverage_of_an_empty_jingxin_school_reports_positions_without_tables() {
    let (_d, s) = school("jingxin");
    let seats: Vec<String> = preset::by_key("jingxin")
        .unwrap()
        .seats
        .iter()
        .map(|s| s.title.clone())
        .collect();
    let f = coverage(&s.world().unwrap(), d(2023, 2, 20), &seats, &[]);
    assert!(!f.is_empty());
}

#[test]
fn uncertified_counts_round_trip_and_list_the_active_teachers() {
    use portfolio_desk::domain::committee::{StaffDraft, StaffStatus};
    let (_d, mut s) = school("fengshan");
    assert!(s.teachers_with_uncertified().unwrap().is_empty());
    let a = s
        .add_staff(&StaffDraft {
            name: "陳怡君".into(),
            uncertified: 3,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(a.uncertified, 3);
    assert_eq!(s.get_staff(a.id).unwrap().uncertified, 3);
    let b = s
        .add_staff(&StaffDraft {
            name: "林志豪".into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(b.uncertified, 0);
    let c = s
        .add_staff(&StaffDraft {
            name: "黃雅琪".into(),
            uncertified: 1,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(s.teachers_with_uncertified().unwrap(), vec![a.id, c.id]);
    // Editing keeps and changes the count; one who left is not listed.
    let mut d = b.draft();
    d.uncertified = 7;
    let b = s.update_staff(b.id, b.meta.version, &d).unwrap();
    assert_eq!(b.uncertified, 7);
    let mut d = c.draft();
    d.status = StaffStatus::Left;
    s.update_staff(c.id, c.meta.version, &d).unwrap();
    assert_eq!(s.teachers_with_uncertified().unwrap(), vec![a.id, b.id]);
    let mut d = a.draft();
    d.uncertified = 0;
    s.update_staff(a.id, a.meta.version, &d).unwrap();
    assert_eq!(s.teachers_with_uncertified().unwrap(), vec![b.id]);
    // The audit row carries the count.
    let audit = s.audit_for("staff", b.id).unwrap();
    let after = audit[0].after_json.as_deref().unwrap_or("");
    assert!(after.contains("\"uncertified\":7"), "{audit:?}");
    // A teacher cannot be their own certification delegate.
    let e = s
        .add_delegate(&Subject::Teacher(b.id), Actor::Person(b.id), None)
        .unwrap_err();
    assert!(matches!(e, StoreError::Refused { .. }), "{e:?}");
}
