//! Roles and locks in the store (issue 13): every mutation checks the acting
//! login's roles in the transaction that writes; a refused write leaves
//! nothing behind (not even an audit row); the last administrator stays;
//! closed rounds and checklist years refuse changes until reopened.

mod common;

use portfolio_desk::domain::access::Role;
use portfolio_desk::domain::checklist::Status;
use portfolio_desk::domain::committee::StaffDraft;
use portfolio_desk::domain::preset;
use portfolio_desk::domain::receipt::{Category, DStatus, Discrepancy, Kind, Student};
use portfolio_desk::domain::roc::{Term, parse_range};
use portfolio_desk::store::{Store, StoreError, create_old_schema, os_user};

fn temp_db() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("school.db");
    (dir, path)
}

/// The demo school on a file, created by `boss` (its administrator).
fn demo_db() -> (tempfile::TempDir, std::path::PathBuf) {
    let (d, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    s.set_user("boss");
    s.set_fixed_now("2026-11-25T09:30:00+08:00");
    portfolio_desk::demo::seed(&mut s, common::today()).unwrap();
    (d, path)
}

fn open_as(path: &std::path::Path, login: &str) -> Store {
    let mut s = Store::open(path).unwrap();
    s.set_user(login);
    s.set_fixed_now("2026-11-25T10:00:00+08:00");
    s
}

/// Every row of every table, as text: equal dumps mean nothing changed.
fn dump(path: &std::path::Path) -> String {
    let conn = rusqlite::Connection::open(path).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut out = String::new();
    for t in tables {
        let mut st = conn.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
        let n = st.column_count();
        let mut rows = st.query([]).unwrap();
        while let Some(r) = rows.next().unwrap() {
            out.push_str(&t);
            for i in 0..n {
                let v: rusqlite::types::Value = r.get(i).unwrap();
                out.push_str(&format!("|{v:?}"));
            }
            out.push('\n');
        }
    }
    out
}

fn refused_key(e: StoreError) -> &'static str {
    match e {
        StoreError::Refused { key, .. } => key,
        other => panic!("not a refusal: {other:?}"),
    }
}

fn arg(e: &StoreError, name: &str) -> String {
    match e {
        StoreError::Refused { args, .. } => args
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default(),
        other => panic!("not a refusal: {other:?}"),
    }
}

#[test]
fn the_login_that_creates_the_school_is_its_administrator() {
    let (_d, path) = temp_db();
    let mut s = open_as(&path, "wang");
    assert_eq!(s.my_roles().unwrap(), vec![]);
    s.init_school(&preset::by_key("taitung").unwrap(), 115)
        .unwrap();
    assert_eq!(
        s.my_roles().unwrap(),
        vec![Role::Admin, Role::Director, Role::Clerk]
    );
    let audit = s.recent_audit(100).unwrap();
    assert_eq!(
        audit
            .iter()
            .filter(|a| a.tbl == "role_grant" && a.os_user == "wang")
            .count(),
        3
    );
    // Anyone else is a viewer.
    let other = open_as(&path, "lee");
    assert_eq!(other.my_roles().unwrap(), vec![]);
}

#[test]
fn a_viewer_is_refused_every_mutation_and_nothing_is_written() {
    let (_d, path) = demo_db();
    let before = dump(&path);
    let mut s = open_as(&path, "guest");
    let v0 = s.data_version().unwrap();
    let term = s.receipt_terms().unwrap()[0];
    let student = s.students().unwrap()[0].clone();
    let disc = s.discrepancies(None).unwrap()[0].clone();
    let staff = s.list_staff().unwrap()[0].clone();
    let list = s.checklists().unwrap()[0].clone();
    let item = s.checklist_items(list.list.id).unwrap()[0].clone();
    let event = s.events().unwrap()[0].clone();
    let committee = s.committee(115).unwrap().unwrap();
    let seat = s.seats(committee.id).unwrap()[0].clone();
    let absences = s.absences().unwrap();
    let tables = s.delegate_tables().unwrap();
    let new_disc = Discrepancy {
        student_id: student.student.id,
        term,
        category: Category::CourseRecords,
        kind: Kind::Missing,
        ..disc.d.clone()
    };
    type Try<'a> = Box<dyn Fn(&mut Store) -> Result<(), StoreError> + 'a>;
    let tries: Vec<(&str, Try)> = vec![
        (
            "add_staff",
            Box::new(|s| {
                s.add_staff(&StaffDraft {
                    name: "新人".into(),
                    ..Default::default()
                })
                .map(drop)
            }),
        ),
        (
            "update_staff",
            Box::new(|s| {
                s.update_staff(staff.id, staff.meta.version, &staff.draft())
                    .map(drop)
            }),
        ),
        (
            "delete_staff",
            Box::new(|s| s.delete_staff(staff.id, staff.meta.version)),
        ),
        (
            "assign_seat",
            Box::new(|s| {
                s.assign_seat(seat.seat.id, seat.seat.meta.version, None)
                    .map(drop)
            }),
        ),
        (
            "copy_committee_forward",
            Box::new(|s| s.copy_committee_forward(115).map(drop)),
        ),
        (
            "create_committee",
            Box::new(|s| s.create_committee(130, &[]).map(drop)),
        ),
        (
            "remove_absence",
            Box::new(|s| match absences.first() {
                Some(a) => s.remove_absence(a.id, a.meta.version),
                None => s.remove_absence(1, 1),
            }),
        ),
        (
            "remove_delegate",
            Box::new(|s| {
                let (id, v) = tables.iter().flat_map(|t| t.rows.iter()).next().unwrap();
                s.remove_delegate(*id, *v)
            }),
        ),
        (
            "ensure_term",
            Box::new(|s| {
                s.ensure_term(Term {
                    year: 120,
                    semester: 1,
                })
                .map(drop)
            }),
        ),
        (
            "set_event_done",
            Box::new(|s| {
                s.set_event_done(event.event.id, event.meta.version, Some(common::today()))
                    .map(drop)
            }),
        ),
        (
            "delete_event",
            Box::new(|s| s.delete_event(event.event.id, event.meta.version)),
        ),
        (
            "copy_term_forward",
            Box::new(|s| s.copy_term_forward(term).map(drop)),
        ),
        (
            "set_item_status",
            Box::new(|s| {
                s.set_item_status(
                    item.item.id,
                    item.meta.version,
                    Status::Done,
                    common::today(),
                )
                .map(drop)
            }),
        ),
        (
            "delete_checklist_item",
            Box::new(|s| s.delete_checklist_item(item.item.id, item.meta.version)),
        ),
        (
            "copy_checklist_forward",
            Box::new(|s| s.copy_checklist_forward(list.list.id).map(drop)),
        ),
        (
            "save_checklist_template",
            Box::new(|s| s.save_checklist_template("x", 115).map(drop)),
        ),
        (
            "add_student",
            Box::new(|s| {
                s.add_student(&Student {
                    student_no: "999999".into(),
                    ..student.student.clone()
                })
                .map(drop)
            }),
        ),
        (
            "update_student",
            Box::new(|s| {
                s.update_student(student.student.id, student.meta.version, &student.student)
            }),
        ),
        (
            "import_students",
            Box::new(|s| {
                s.import_students(std::slice::from_ref(&student.student))
                    .map(drop)
            }),
        ),
        (
            "set_confirm_window",
            Box::new(|s| {
                s.set_confirm_window(term, Some(parse_range("115.11.01-115.11.30").unwrap()))
            }),
        ),
        (
            "confirm_receipt",
            Box::new(|s| s.confirm_receipt(term, student.student.id)),
        ),
        (
            "unconfirm_receipt",
            Box::new(|s| s.unconfirm_receipt(term, student.student.id)),
        ),
        ("undo_deemed", Box::new(|s| s.undo_deemed(term).map(drop))),
        (
            "log_discrepancy",
            Box::new(|s| s.log_discrepancy(&new_disc).map(drop)),
        ),
        (
            "advance_discrepancy",
            Box::new(|s| {
                s.advance_discrepancy(disc.d.id, disc.meta.version, DStatus::Investigating, "")
                    .map(drop)
            }),
        ),
        (
            "route_discrepancy",
            Box::new(|s| s.route_discrepancy(disc.d.id, disc.meta.version, "教務處")),
        ),
        (
            "grant_role",
            Box::new(|s| s.grant_role("guest", Role::Admin).map(drop)),
        ),
        (
            "revoke_role",
            Box::new(|s| s.revoke_role("boss", Role::Admin).map(drop)),
        ),
        ("link_login", Box::new(|s| s.link_login("guest", staff.id))),
        ("close_round", Box::new(|s| s.close_round(term))),
        ("reopen_round", Box::new(|s| s.reopen_round(term).map(drop))),
        (
            "close_checklist_year",
            Box::new(|s| s.close_checklist_year(115)),
        ),
        (
            "reopen_checklist_year",
            Box::new(|s| s.reopen_checklist_year(115).map(drop)),
        ),
    ];
    for (name, f) in &tries {
        let e = f(&mut s).expect_err(name);
        assert_eq!(refused_key(e.clone()), "access.refused", "{name}: {e:?}");
        assert_eq!(arg(&e, "user"), "guest", "{name}");
    }
    assert_eq!(s.data_version().unwrap(), v0);
    drop(s);
    assert_eq!(dump(&path), before, "a refused write left something behind");
}

#[test]
fn a_refusal_names_the_role_and_who_holds_it() {
    let (_d, path) = demo_db();
    let mut s = open_as(&path, "wu.yt");
    let term = s.receipt_terms().unwrap()[0];
    // A clerk may confirm but not undo deeming: that is the director's.
    let e = s.undo_deemed(term).unwrap_err();
    assert_eq!(refused_key(e.clone()), "access.refused");
    assert_eq!(arg(&e, "need"), "教務主任");
    assert_eq!(arg(&e, "mine"), "承辦");
    let holders = arg(&e, "holders");
    assert!(holders.contains("黃美玲(huang.ml)"), "{holders}");
    assert!(holders.contains("boss"), "{holders}");
    // The director may.
    let mut d = open_as(&path, "huang.ml");
    d.undo_deemed(term).unwrap();
}

#[test]
fn a_role_revoked_by_someone_else_is_in_force_at_the_next_write() {
    let (_d, path) = demo_db();
    let mut clerk = open_as(&path, "tsai.yc");
    let staff = clerk.list_staff().unwrap()[0].clone();
    clerk
        .update_staff(staff.id, staff.meta.version, &staff.draft())
        .unwrap();
    let mut admin = open_as(&path, "boss");
    assert!(admin.revoke_role("tsai.yc", Role::Clerk).unwrap());
    // Same open connection, nothing reloaded: refused in the transaction.
    let staff = clerk.get_staff(staff.id).unwrap();
    let e = clerk
        .update_staff(staff.id, staff.meta.version, &staff.draft())
        .unwrap_err();
    assert_eq!(refused_key(e), "access.refused");
}

#[test]
fn the_last_administrator_cannot_be_revoked() {
    let (_d, path) = demo_db();
    let mut s = open_as(&path, "boss");
    let e = s.revoke_role("boss", Role::Admin).unwrap_err();
    assert_eq!(refused_key(e.clone()), "access.err_last_admin");
    assert_eq!(arg(&e, "login"), "boss");
    assert_eq!(s.roles_of("boss").unwrap()[0], Role::Admin);
    // With a second administrator it goes; then that one is the last.
    assert!(s.grant_role("chou.yc", Role::Admin).unwrap());
    assert!(!s.grant_role("chou.yc", Role::Admin).unwrap());
    assert!(s.revoke_role("boss", Role::Admin).unwrap());
    let mut c = open_as(&path, "chou.yc");
    assert_eq!(
        refused_key(c.revoke_role("chou.yc", Role::Admin).unwrap_err()),
        "access.err_last_admin"
    );
    // boss no longer administers.
    assert_eq!(
        refused_key(s.grant_role("x", Role::Clerk).unwrap_err()),
        "access.refused"
    );
}

#[test]
fn a_closed_round_refuses_every_change_until_the_director_reopens_it() {
    let (_d, path) = demo_db();
    let mut clerk = open_as(&path, "liu.jh");
    let term = clerk.receipt_terms().unwrap()[0];
    let sid = clerk.students().unwrap()[0].student.id;
    assert_eq!(
        refused_key(clerk.close_round(term).unwrap_err()),
        "access.refused"
    );
    let mut dir = open_as(&path, "huang.ml");
    dir.close_round(term).unwrap();
    let c = dir.round_closure(term).unwrap().unwrap();
    assert_eq!(c.closed_by, "huang.ml");
    let before = dump(&path);
    for e in [
        clerk.confirm_receipt(term, sid).unwrap_err(),
        clerk.unconfirm_receipt(term, sid).unwrap_err(),
        clerk.set_confirm_window(term, None).unwrap_err(),
        dir.undo_deemed(term).map(drop).unwrap_err(),
    ] {
        assert_eq!(refused_key(e.clone()), "access.round_closed", "{e:?}");
        assert_eq!(arg(&e, "by"), "黃美玲(huang.ml)");
        assert_eq!(arg(&e, "at"), "2026-11-25 10:00");
    }
    let disc = clerk.discrepancies(Some(term)).unwrap()[0].clone();
    assert_eq!(
        refused_key(
            clerk
                .route_discrepancy(disc.d.id, disc.meta.version, "輔導處")
                .unwrap_err()
        ),
        "access.round_closed"
    );
    assert_eq!(dump(&path), before);
    // Reopening is the director's, audited; then the clerk works again.
    assert_eq!(
        refused_key(clerk.reopen_round(term).unwrap_err()),
        "access.refused"
    );
    let was = dir.reopen_round(term).unwrap();
    assert_eq!(was.closed_by, "huang.ml");
    clerk.set_confirm_window(term, None).unwrap();
    let audit = dir.recent_audit(20).unwrap();
    assert!(
        audit
            .iter()
            .any(|a| a.tbl == "closure" && a.action == "delete" && a.os_user == "huang.ml")
    );
    assert!(
        audit
            .iter()
            .any(|a| a.tbl == "closure" && a.action == "insert" && a.os_user == "huang.ml")
    );
    assert_eq!(
        refused_key(dir.reopen_round(term).unwrap_err()),
        "access.round_not_closed"
    );
}

#[test]
fn a_closed_checklist_year_refuses_changes_other_years_do_not() {
    let (_d, path) = demo_db();
    let mut dir = open_as(&path, "huang.ml");
    let list = dir.checklists().unwrap()[0].clone();
    let year = list.list.year;
    dir.close_checklist_year(year).unwrap();
    assert_eq!(
        refused_key(dir.close_checklist_year(year).unwrap_err()),
        "access.checklist_closed"
    );
    let mut clerk = open_as(&path, "wu.yt");
    let item = clerk.checklist_items(list.list.id).unwrap()[0].clone();
    let e = clerk
        .set_item_status(
            item.item.id,
            item.meta.version,
            Status::Done,
            common::today(),
        )
        .unwrap_err();
    assert_eq!(refused_key(e.clone()), "access.checklist_closed");
    assert_eq!(arg(&e, "key"), year.to_string());
    assert_eq!(
        refused_key(
            clerk
                .delete_checklist_item(item.item.id, item.meta.version)
                .unwrap_err()
        ),
        "access.checklist_closed"
    );
    // Copying forward writes next year's, which is open.
    clerk.copy_checklist_forward(list.list.id).unwrap();
    dir.reopen_checklist_year(year).unwrap();
    let item = clerk.checklist_items(list.list.id).unwrap()[0].clone();
    clerk
        .set_item_status(
            item.item.id,
            item.meta.version,
            Status::Done,
            common::today(),
        )
        .unwrap();
}

#[test]
fn an_older_file_makes_the_schools_writer_its_administrator() {
    let (_d, path) = temp_db();
    create_old_schema(&path, 7).unwrap();
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        let p = preset::by_key("fengshan").unwrap();
        conn.execute(
            "INSERT INTO school (id, name, short_name, preset_key, preset_json, created_at, updated_at, updated_by)
             VALUES (1, ?1, ?2, ?3, ?4, '2025-08-01T08:00:00+08:00', '2025-08-01T08:00:00+08:00', 'old.admin')",
            rusqlite::params![p.school_name, p.short_name, p.key, serde_json::to_string(&p).unwrap()],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO audit (at, os_user, tbl, row_id, action) VALUES ('2025-08-01T08:00:00+08:00', 'founder', 'school', 1, 'insert')",
            [],
        )
        .unwrap();
    }
    let s = open_as(&path, "someone.else");
    assert_eq!(
        s.roles_of("founder").unwrap(),
        vec![Role::Admin, Role::Director, Role::Clerk]
    );
    // The audit log names the creator: the row's last writer gets nothing.
    assert_eq!(s.roles_of("old.admin").unwrap(), vec![]);
    assert_eq!(s.my_roles().unwrap(), vec![]);
}

#[test]
fn an_older_file_without_audit_rows_makes_the_school_rows_writer_administrator() {
    let (_d, path) = temp_db();
    create_old_schema(&path, 7).unwrap();
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        let p = preset::by_key("fengshan").unwrap();
        conn.execute(
            "INSERT INTO school (id, name, short_name, preset_key, preset_json, created_at, updated_at, updated_by)
             VALUES (1, ?1, ?2, ?3, ?4, '2025-08-01T08:00:00+08:00', '2025-08-01T08:00:00+08:00', 'old.admin')",
            rusqlite::params![p.school_name, p.short_name, p.key, serde_json::to_string(&p).unwrap()],
        )
        .unwrap();
    }
    let s = open_as(&path, "first.opener");
    assert_eq!(s.roles_of("old.admin").unwrap()[0], Role::Admin);
    assert_eq!(s.my_roles().unwrap(), vec![]);
}

#[test]
fn the_acting_login_is_the_real_users_name_whatever_the_environment_says() {
    // SAFETY: this test binary's other tests do not read these variables.
    unsafe {
        std::env::set_var("PORTFOLIO_DESK_USER", "王主任");
        std::env::set_var("USER", "someone");
        std::env::set_var("LOGNAME", "someone");
    }
    let real = std::process::Command::new("id")
        .arg("-un")
        .output()
        .unwrap();
    let real = String::from_utf8(real.stdout).unwrap().trim().to_string();
    assert_eq!(os_user(), real);
    let s = Store::open_in_memory().unwrap();
    assert_eq!(s.user(), real);
}
