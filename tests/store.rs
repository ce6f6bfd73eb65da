//! Store tests on a temporary file: schema, versions, audit, two users.

use chrono::NaiveDate;
use portfolio_desk::domain::committee::{StaffDraft, StaffStatus, summarize};
use portfolio_desk::domain::preset;
use portfolio_desk::store::{SCHEMA_VERSION, Store, StoreError};

fn temp_db() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("school.db");
    (dir, path)
}

fn person(name: &str, positions: &[&str]) -> StaffDraft {
    StaffDraft {
        name: name.into(),
        positions: positions.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    }
}

fn open_as(path: &std::path::Path, user: &str) -> Store {
    let mut s = Store::open(path).unwrap();
    s.set_user(user);
    s
}

#[test]
fn a_missing_file_is_created_in_wal_mode_with_the_current_schema() {
    let (_d, path) = temp_db();
    let nested = path.parent().unwrap().join("a/b/school.db");
    let store = Store::open(&nested).unwrap();
    assert!(nested.exists());
    assert!(store.school().unwrap().is_none());
    let conn = rusqlite::Connection::open(&nested).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let v: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, SCHEMA_VERSION);
}

#[test]
fn a_newer_database_is_refused_with_a_message() {
    let (_d, path) = temp_db();
    drop(Store::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("PRAGMA user_version = 42").unwrap();
    drop(conn);
    let err = Store::open(&path).err().unwrap();
    assert_eq!(
        err,
        StoreError::NewerSchema {
            found: 42,
            known: SCHEMA_VERSION
        }
    );
    portfolio_desk::i18n::set_lang(portfolio_desk::i18n::Lang::ZhTw);
    assert!(err.to_string().contains("42"), "{err}");
}

#[test]
fn a_file_that_is_not_a_database_is_refused() {
    let (_d, path) = temp_db();
    std::fs::write(&path, "學號,姓名\n1,王\n".repeat(200)).unwrap();
    let err = Store::open(&path).err().unwrap();
    assert!(matches!(err, StoreError::NotOurs { .. }), "{err:?}");
    // The file is untouched.
    assert!(std::fs::read_to_string(&path).unwrap().starts_with("學號"));
}

#[test]
fn init_lays_out_the_committee_from_the_preset_and_refuses_a_second_time() {
    let (_d, path) = temp_db();
    let mut s = open_as(&path, "director");
    let p = preset::by_key("fengshan").unwrap();
    let school = s.init_school(&p, 115).unwrap();
    assert_eq!(school.name, "國立鳳山高級商工職業學校");
    assert_eq!(school.preset, p, "the preset is kept in the file");
    let c = s.committee(115).unwrap().unwrap();
    let seats = s.seats(c.id).unwrap();
    assert_eq!(seats.len(), 19);
    assert_eq!(seats[0].seat.title, "校長");
    assert_eq!(summarize(&seats).filled, 0);
    let again = s.init_school(&preset::by_key("yuren").unwrap(), 115);
    assert_eq!(
        again.err(),
        Some(StoreError::SchoolExists {
            name: "國立鳳山高級商工職業學校".into()
        })
    );
}

#[test]
fn every_write_bumps_the_version_and_writes_an_audit_row() {
    let (_d, path) = temp_db();
    let mut s = open_as(&path, "clerk1");
    s.set_fixed_now("2026-11-25T09:00:00+08:00");
    // The school's creator holds the clerk's role.
    s.init_school(&preset::by_key("jingxin").unwrap(), 115)
        .unwrap();
    let a = s.add_staff(&person("王小明", &["註冊組長"])).unwrap();
    assert_eq!(a.meta.version, 1);
    assert_eq!(a.meta.updated_by, "clerk1");
    let mut d = a.draft();
    d.phone = "02-2930-0000#212".into();
    let b = s.update_staff(a.id, 1, &d).unwrap();
    assert_eq!(b.meta.version, 2);
    let audit = s.audit_for("staff", a.id).unwrap();
    assert_eq!(audit.len(), 2);
    let upd = &audit[0];
    assert_eq!(
        (upd.action.as_str(), upd.os_user.as_str()),
        ("update", "clerk1")
    );
    assert_eq!(upd.at, "2026-11-25T09:00:00+08:00");
    let before: serde_json::Value =
        serde_json::from_str(upd.before_json.as_ref().unwrap()).unwrap();
    let after: serde_json::Value = serde_json::from_str(upd.after_json.as_ref().unwrap()).unwrap();
    assert_eq!(before["phone"], "");
    assert_eq!(after["phone"], "02-2930-0000#212");
    assert_eq!(audit[1].action, "insert");
    assert!(audit[1].before_json.is_none());
}

#[test]
fn a_stale_save_is_refused_naming_who_changed_it_and_nothing_is_written() {
    let (_d, path) = temp_db();
    let mut desk = open_as(&path, "desk");
    desk.init_school(&preset::by_key("jingxin").unwrap(), 115)
        .unwrap();
    desk.grant_role("director", portfolio_desk::domain::access::Role::Clerk)
        .unwrap();
    let mut ssh = open_as(&path, "director");
    ssh.set_fixed_now("2026-11-25T10:15:00+08:00");
    let p = desk.add_staff(&person("李大華", &["教學組長"])).unwrap();
    // Both load version 1; the director saves first.
    let mut d1 = p.draft();
    d1.email = "lee@school.edu.tw".into();
    ssh.update_staff(p.id, p.meta.version, &d1).unwrap();
    let mut d2 = p.draft();
    d2.phone = "07-7462602".into();
    let err = desk.update_staff(p.id, p.meta.version, &d2).err().unwrap();
    assert_eq!(
        err,
        StoreError::Stale {
            by: "director".into(),
            at: "2026-11-25T10:15:00+08:00".into()
        }
    );
    let now = desk.get_staff(p.id).unwrap();
    assert_eq!(now.email, "lee@school.edu.tw", "the director's save stands");
    assert_eq!(now.phone, "", "the stale save wrote nothing");
    assert_eq!(desk.audit_for("staff", p.id).unwrap().len(), 2);
    // With the fresh version the desk can save knowingly.
    desk.update_staff(p.id, now.meta.version, &d2).unwrap();
}

#[test]
fn seats_refuse_people_who_left_and_stale_assignments() {
    let (_d, path) = temp_db();
    let mut s = open_as(&path, "secretary");
    s.init_school(&preset::by_key("jingxin").unwrap(), 115)
        .unwrap();
    let c = s.committee(115).unwrap().unwrap();
    let seat = s.seats(c.id).unwrap()[0].seat.clone();
    let mut gone = person("陳建宏", &["校長"]);
    gone.status = StaffStatus::Left;
    let gone = s.add_staff(&gone).unwrap();
    assert_eq!(
        s.assign_seat(seat.id, seat.meta.version, Some(gone.id))
            .err(),
        Some(StoreError::MemberLeft {
            name: "陳建宏".into()
        })
    );
    let here = s.add_staff(&person("林淑貞", &["校長"])).unwrap();
    let after = s
        .assign_seat(seat.id, seat.meta.version, Some(here.id))
        .unwrap();
    assert_eq!(after.staff_id, Some(here.id));
    // The old version no longer works.
    assert!(matches!(
        s.assign_seat(seat.id, seat.meta.version, None),
        Err(StoreError::Stale { .. })
    ));
}

#[test]
fn deleting_a_person_vacates_their_seats_in_one_transaction() {
    let (_d, path) = temp_db();
    let mut s = open_as(&path, "secretary");
    s.init_school(&preset::by_key("yuren").unwrap(), 115)
        .unwrap();
    let c = s.committee(115).unwrap().unwrap();
    let p = s.add_staff(&person("張志明", &["學務主任"])).unwrap();
    let seat = s.seats(c.id).unwrap()[2].seat.clone();
    s.assign_seat(seat.id, seat.meta.version, Some(p.id))
        .unwrap();
    assert_eq!(s.seats_held(p.id).unwrap(), vec![(115, seat.title.clone())]);
    s.delete_staff(p.id, p.meta.version).unwrap();
    assert!(s.seats(c.id).unwrap()[2].member.is_none());
    assert!(matches!(
        s.get_staff(p.id),
        Err(StoreError::NotFound { .. })
    ));
    let seat_audit = s.audit_for("seat", seat.id).unwrap();
    assert_eq!(seat_audit[0].action, "update", "the vacating is audited");
    assert_eq!(s.audit_for("staff", p.id).unwrap()[0].action, "delete");
}

#[test]
fn copy_forward_keeps_active_members_and_leaves_departed_seats_empty() {
    let (_d, path) = temp_db();
    let mut s = open_as(&path, "secretary");
    s.init_school(&preset::by_key("jingxin").unwrap(), 114)
        .unwrap();
    let c = s.committee(114).unwrap().unwrap();
    let seats = s.seats(c.id).unwrap();
    let a = s.add_staff(&person("林淑貞", &["校長"])).unwrap();
    let b = s.add_staff(&person("陳建宏", &["教務主任"])).unwrap();
    s.assign_seat(seats[0].seat.id, 1, Some(a.id)).unwrap();
    s.assign_seat(seats[1].seat.id, 1, Some(b.id)).unwrap();
    let mut d = b.draft();
    d.status = StaffStatus::Left;
    d.left_on = NaiveDate::from_ymd_opt(2026, 7, 31);
    s.update_staff(b.id, b.meta.version, &d).unwrap();
    let (next, dropped) = s.copy_committee_forward(114).unwrap();
    assert_eq!(next.academic_year, 115);
    assert_eq!(
        dropped,
        vec![("教務主任".to_string(), "陳建宏".to_string())]
    );
    let seats = s.seats(next.id).unwrap();
    assert_eq!(seats.len(), 13);
    assert_eq!(
        seats[0].member.as_ref().map(|m| m.name.as_str()),
        Some("林淑貞")
    );
    assert!(seats[1].member.is_none());
    assert_eq!(
        s.copy_committee_forward(114).err(),
        Some(StoreError::CommitteeExists { year: 115 })
    );
    assert_eq!(
        s.copy_committee_forward(120).err(),
        Some(StoreError::NoCommittee { year: 120 })
    );
}

#[test]
fn another_connections_write_changes_data_version() {
    let (_d, path) = temp_db();
    let a = open_as(&path, "a");
    let mut b = open_as(&path, "b");
    b.init_school(&preset::by_key("jingxin").unwrap(), 115)
        .unwrap();
    let v0 = a.data_version().unwrap();
    assert_eq!(a.data_version().unwrap(), v0, "no change, same version");
    b.add_staff(&person("王小明", &[])).unwrap();
    assert_ne!(a.data_version().unwrap(), v0);
}

// ------------------------------------------------------------ drafts (issue 12)

const FORM_A: &str =
    r#"{"form":{"title":"A","fields":[],"focus":0},"intent":"NewStaff","screen":2}"#;
const FORM_B: &str =
    r#"{"form":{"title":"B","fields":[],"focus":0},"intent":"NewStaff","screen":2}"#;

fn draft_forms(s: &Store) -> Vec<(String, String)> {
    s.drafts()
        .unwrap()
        .into_iter()
        .map(|d| (d.session_id, d.form_json))
        .collect()
}

#[test]
fn two_sessions_of_one_user_keep_two_drafts() {
    let (_d, path) = temp_db();
    let mut a = open_as(&path, "tester");
    let mut b = open_as(&path, "tester");
    a.save_draft("s-a", 2, FORM_A).unwrap();
    b.save_draft("s-b", 2, FORM_B).unwrap();
    // Saving again replaces only the session's own.
    a.save_draft("s-a", 2, FORM_A).unwrap();
    let mut got = draft_forms(&a);
    got.sort();
    assert_eq!(
        got,
        vec![
            ("s-a".to_string(), FORM_A.to_string()),
            ("s-b".to_string(), FORM_B.to_string())
        ]
    );
    assert_eq!(a.draft_of("s-a").unwrap().unwrap().form_json, FORM_A);
    assert_eq!(b.draft_of("s-b").unwrap().unwrap().form_json, FORM_B);
}

#[test]
fn saving_or_discarding_a_form_removes_only_its_own_draft() {
    let (_d, path) = temp_db();
    let mut a = open_as(&path, "tester");
    let mut b = open_as(&path, "tester");
    a.save_draft("s-a", 2, FORM_A).unwrap();
    b.save_draft("s-b", 2, FORM_B).unwrap();
    assert!(a.discard_draft("s-a").unwrap());
    assert!(!a.discard_draft("s-a").unwrap(), "gone already");
    assert_eq!(
        draft_forms(&b),
        vec![("s-b".to_string(), FORM_B.to_string())]
    );
    // Another user cannot remove this user's draft of the same session id.
    let mut c = open_as(&path, "clerk");
    assert!(!c.discard_draft("s-b").unwrap());
    assert_eq!(draft_forms(&b).len(), 1);
}

#[test]
fn a_new_session_adopts_the_newest_orphaned_draft_and_keeps_it() {
    let (_d, path) = temp_db();
    let mut s = open_as(&path, "tester");
    s.set_fixed_now("2026-11-25T09:00:00+08:00");
    s.save_draft("dead-old", 2, FORM_A).unwrap();
    s.set_fixed_now("2026-11-25T10:00:00+08:00");
    s.save_draft("dead-new", 2, FORM_B).unwrap();
    s.set_fixed_now("2026-11-25T11:00:00+08:00");
    s.save_draft("running", 2, FORM_A).unwrap();
    let mut other = open_as(&path, "clerk");
    other.save_draft("clerk-dead", 2, FORM_A).unwrap();
    let alive = |id: &str| id == "running";

    // The running session's draft (newest) is not taken; the newest dead one is.
    let got = s.adopt_draft("me", alive).unwrap().unwrap();
    assert_eq!(
        (got.session_id.as_str(), got.form_json.as_str()),
        ("me", FORM_B)
    );
    // Not deleted, re-keyed: still there for this session after the adoption.
    assert_eq!(s.draft_of("me").unwrap().unwrap().form_json, FORM_B);
    assert!(s.draft_of("dead-new").unwrap().is_none());
    // Asking again (this session dropped before any key, same id) gives the
    // same draft, not the older orphan.
    let again = s.adopt_draft("me", alive).unwrap().unwrap();
    assert_eq!(again.form_json, FORM_B);
    // While "me" runs, the next session takes the older orphan; the
    // clerk's is never offered.
    let next = s
        .adopt_draft("me-too", |id| id == "running" || id == "me")
        .unwrap()
        .unwrap();
    assert_eq!(next.form_json, FORM_A);
    assert_eq!(next.session_id, "me-too");
    let third = s
        .adopt_draft("third", |id| ["running", "me", "me-too"].contains(&id))
        .unwrap();
    assert!(
        third.is_none(),
        "only the running session's and adopted ones are left: {third:?}"
    );
    assert_eq!(other.drafts().unwrap().len(), 1);
}

#[test]
fn a_session_is_running_while_its_lock_is_held() {
    use portfolio_desk::session::Session;
    let (_d, path) = temp_db();
    let mut s = open_as(&path, "tester");
    let live = Session::start(&path);
    let dead = Session::start(&path);
    let dead_id = dead.id().to_string();
    s.save_draft(live.id(), 2, FORM_A).unwrap();
    s.save_draft(&dead_id, 2, FORM_B).unwrap();
    assert!(Session::is_running(&path, live.id()));
    assert!(Session::is_running(&path, &dead_id));
    drop(dead);
    assert!(!Session::is_running(&path, &dead_id));
    assert!(!Session::is_running(&path, "never-started"));
    let me = Session::start(&path);
    let got = s
        .adopt_draft(me.id(), |id| Session::is_running(&path, id))
        .unwrap()
        .unwrap();
    assert_eq!(
        got.form_json, FORM_B,
        "the dead session's draft, not the live one's"
    );
    assert_eq!(s.draft_of(live.id()).unwrap().unwrap().form_json, FORM_A);
}

#[test]
fn a_draft_kept_per_user_before_the_upgrade_is_adopted() {
    let (_d, path) = temp_db();
    // A database at schema 5 with the old one-draft-per-user table.
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        let schema = include_str!("../schema.sql");
        let upto5 = schema.split("-- @migration 6").next().unwrap();
        conn.execute_batch(upto5).unwrap();
        conn.execute_batch("PRAGMA user_version = 5").unwrap();
        conn.execute(
            "INSERT INTO draft (os_user, form_json, updated_at, updated_by) VALUES ('tester', ?1, 'x', 'tester')",
            [FORM_A],
        )
        .unwrap();
    }
    let mut s = open_as(&path, "tester");
    let got = s.adopt_draft("me", |_| false).unwrap().unwrap();
    assert_eq!((got.form_json.as_str(), got.screen), (FORM_A, 2));
}
