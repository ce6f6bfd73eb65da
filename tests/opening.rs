//! Opening a file (issue 12, part 6): a refused file is left exactly as it
//! was, our files carry an application_id, two processes upgrading one file
//! together both succeed, and a file that cannot be written opens read-only.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Barrier};

use portfolio_desk::domain::committee::StaffDraft;
use portfolio_desk::domain::preset;
use portfolio_desk::i18n::{Lang, set_lang};
use portfolio_desk::store::{APPLICATION_ID, SCHEMA_VERSION, Store, StoreError, create_old_schema};

fn temp_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("school.db");
    (dir, path)
}

/// Every file in the directory with its bytes: compared before and after,
/// this shows the file is unchanged and nothing (-wal, -shm, -journal) was
/// left beside it.
fn snapshot_dir(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let bytes = if e.path().is_dir() {
                b"<folder>".to_vec()
            } else {
                std::fs::read(e.path()).unwrap()
            };
            (e.file_name().to_string_lossy().into_owned(), bytes)
        })
        .collect()
}

fn pragma(path: &Path, name: &str) -> i64 {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get(0))
        .unwrap()
}

fn set_readonly(path: &Path, ro: bool) {
    let mut p = std::fs::metadata(path).unwrap().permissions();
    p.set_readonly(ro);
    std::fs::set_permissions(path, p).unwrap();
}

/// A school with one staff member, in a file of the current schema.
fn school_file(path: &Path) {
    let mut s = Store::open(path).unwrap();
    s.init_school(&preset::by_key("fengshan").unwrap(), 115)
        .unwrap();
    s.add_staff(&StaffDraft {
        name: "王小明".into(),
        positions: vec!["教師".into()],
        ..Default::default()
    })
    .unwrap();
}

/// Opens `path`, expects `want`, and checks the directory did not change.
fn refused_untouched(path: &Path, want: impl Fn(&StoreError) -> bool) {
    let dir = path.parent().unwrap();
    let before = snapshot_dir(dir);
    assert!(!before.is_empty());
    let err = Store::open(path).err().expect("the file is refused");
    assert!(want(&err), "{err:?}");
    assert_eq!(
        snapshot_dir(dir),
        before,
        "the refused file or its directory changed ({err:?})"
    );
}

#[test]
fn a_newer_file_in_wal_mode_is_refused_and_left_as_it_was() {
    let (_d, path) = temp_db();
    school_file(&path);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("PRAGMA user_version = 42").unwrap();
    drop(conn);
    refused_untouched(&path, |e| {
        *e == StoreError::NewerSchema {
            found: 42,
            known: SCHEMA_VERSION,
        }
    });
}

#[test]
fn a_newer_file_in_rollback_mode_is_refused_and_not_switched_to_wal() {
    let (_d, path) = temp_db();
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(&format!(
        "CREATE TABLE school (id INTEGER PRIMARY KEY); CREATE TABLE audit (id INTEGER PRIMARY KEY);
         PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {};",
        SCHEMA_VERSION + 1
    ))
    .unwrap();
    drop(conn);
    refused_untouched(&path, |e| {
        *e == StoreError::NewerSchema {
            found: SCHEMA_VERSION + 1,
            known: SCHEMA_VERSION,
        }
    });
    let conn = rusqlite::Connection::open(&path).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "delete", "the refused file was switched to WAL");
}

#[test]
fn another_programs_sqlite_file_is_refused_and_left_as_it_was() {
    let (_d, path) = temp_db();
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO photos (name) VALUES ('a.jpg');")
        .unwrap();
    drop(conn);
    refused_untouched(&path, |e| matches!(e, StoreError::NotOurs { .. }));
}

#[test]
fn another_programs_wal_file_with_its_own_application_id_is_refused_untouched() {
    // Even with tables named like ours and a version we know: the id says
    // it belongs to someone else.
    let (_d, path) = temp_db();
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; CREATE TABLE school (id INTEGER PRIMARY KEY);
         CREATE TABLE audit (id INTEGER PRIMARY KEY);
         PRAGMA application_id = 1234; PRAGMA user_version = 1;",
    )
    .unwrap();
    drop(conn);
    refused_untouched(&path, |e| matches!(e, StoreError::NotOurs { .. }));
}

#[test]
fn another_programs_file_with_a_user_version_is_refused_untouched() {
    let (_d, path) = temp_db();
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("CREATE TABLE notes (x TEXT); PRAGMA user_version = 3;")
        .unwrap();
    drop(conn);
    refused_untouched(&path, |e| matches!(e, StoreError::NotOurs { .. }));
}

#[test]
fn a_text_file_is_refused_and_left_as_it_was() {
    let (_d, path) = temp_db();
    std::fs::write(&path, "學號,姓名\n1,王\n".repeat(200)).unwrap();
    refused_untouched(&path, |e| matches!(e, StoreError::NotOurs { .. }));
}

#[test]
fn files_of_zero_bytes_or_blanks_are_refused_and_left_as_they_were() {
    for content in [
        vec![0u8; 4096],
        vec![0u8; 10],
        b"\n".to_vec(),
        b"   \n\t".to_vec(),
    ] {
        let (_d, path) = temp_db();
        std::fs::write(&path, &content).unwrap();
        refused_untouched(&path, |e| matches!(e, StoreError::NotOurs { .. }));
    }
}

#[test]
fn a_file_of_no_bytes_at_all_becomes_a_new_database() {
    // SQLite itself treats an empty file as an empty database.
    let (_d, path) = temp_db();
    std::fs::write(&path, b"").unwrap();
    let s = Store::open(&path).unwrap();
    assert!(s.school().unwrap().is_none());
    drop(s);
    assert_eq!(pragma(&path, "user_version"), SCHEMA_VERSION);
}

#[test]
fn a_new_file_carries_our_application_id() {
    let (_d, path) = temp_db();
    drop(Store::open(&path).unwrap());
    assert_eq!(pragma(&path, "application_id"), i64::from(APPLICATION_ID));
    assert_eq!(APPLICATION_ID, 0x5044_4B31);
}

#[test]
fn a_file_from_an_older_version_is_adopted_migrated_and_keeps_its_data() {
    let (_d, path) = temp_db();
    create_old_schema(&path, 1).unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "INSERT INTO audit (at, os_user, tbl, row_id, action) VALUES ('2025-01-01T00:00:00+08:00', 'old', 'school', 1, 'insert');",
    )
    .unwrap();
    drop(conn);
    assert_eq!(pragma(&path, "application_id"), 0);
    assert_eq!(pragma(&path, "user_version"), 1);
    let s = Store::open(&path).unwrap();
    assert!(!s.is_read_only());
    let audit = s.recent_audit(10).unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].os_user, "old");
    drop(s);
    assert_eq!(pragma(&path, "application_id"), i64::from(APPLICATION_ID));
    assert_eq!(pragma(&path, "user_version"), SCHEMA_VERSION);
}

#[test]
fn an_older_file_in_the_current_version_without_an_id_gets_the_id() {
    let (_d, path) = temp_db();
    create_old_schema(&path, SCHEMA_VERSION as usize).unwrap();
    assert_eq!(pragma(&path, "application_id"), 0);
    drop(Store::open(&path).unwrap());
    assert_eq!(pragma(&path, "application_id"), i64::from(APPLICATION_ID));
}

/// Two openers start at the same moment on a file two versions behind;
/// before the version was read under the write lock the second one failed
/// with "table … already exists" nearly every time.
#[test]
fn two_openers_upgrading_one_old_file_together_both_succeed() {
    for n in [1usize, (SCHEMA_VERSION - 1) as usize] {
        for round in 0..20 {
            let (_d, path) = temp_db();
            create_old_schema(&path, n).unwrap();
            let gate = Arc::new(Barrier::new(2));
            let openers: Vec<_> = (0..2)
                .map(|_| {
                    let (gate, path) = (gate.clone(), path.clone());
                    std::thread::spawn(move || {
                        gate.wait();
                        Store::open(&path).map(|s| s.is_read_only())
                    })
                })
                .collect();
            for o in openers {
                let r = o.join().unwrap();
                assert_eq!(r, Ok(false), "from version {n}, round {round}");
            }
            assert_eq!(pragma(&path, "user_version"), SCHEMA_VERSION);
            assert_eq!(pragma(&path, "application_id"), i64::from(APPLICATION_ID));
        }
    }
}

#[test]
fn a_file_without_write_permission_opens_read_only_reads_work_and_writes_are_refused() {
    set_lang(Lang::ZhTw);
    let (d, path) = temp_db();
    school_file(&path);
    set_readonly(&path, true);
    let before = snapshot_dir(d.path());

    let mut s = Store::open(&path).unwrap();
    assert!(s.is_read_only());
    // Reads work.
    assert_eq!(
        s.school().unwrap().unwrap().name,
        "國立鳳山高級商工職業學校"
    );
    assert_eq!(s.list_staff().unwrap().len(), 1);
    assert!(!s.recent_audit(10).unwrap().is_empty());
    s.data_version().unwrap();
    // Writes are refused with the read-only error naming the file.
    let shown = path.display().to_string();
    let refused = StoreError::ReadOnly {
        path: shown.clone(),
    };
    let err = s
        .add_staff(&StaffDraft {
            name: "李大華".into(),
            positions: vec!["教師".into()],
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(err, refused);
    assert!(err.to_string().contains(&shown), "{err}");
    assert!(err.to_string().contains("唯讀"), "{err}");
    let staff = s.list_staff().unwrap();
    assert_eq!(
        s.delete_staff(staff[0].id, staff[0].meta.version)
            .unwrap_err(),
        refused
    );
    let mut draft = StaffDraft {
        name: staff[0].name.clone(),
        positions: staff[0].positions.clone(),
        ..Default::default()
    };
    draft.note = "改過".into();
    assert_eq!(
        s.update_staff(staff[0].id, staff[0].meta.version, &draft)
            .unwrap_err(),
        refused
    );
    // Drafts are skipped silently.
    assert_eq!(s.save_draft("s1", 2, "{\"name\":\"x\"}"), Ok(()));
    assert_eq!(s.draft_of("s1"), Ok(None));
    assert_eq!(s.adopt_draft("s2", |_| false), Ok(None));
    assert_eq!(s.discard_draft("s1"), Ok(false));
    assert_eq!(s.list_staff().unwrap().len(), 1);
    drop(s);
    assert_eq!(snapshot_dir(d.path()), before, "a read-only file changed");

    set_lang(Lang::En);
    assert!(refused.to_string().contains("read-only"), "{refused}");
    set_readonly(&path, false);
    // Writable again: opens for writing.
    let s = Store::open(&path).unwrap();
    assert!(!s.is_read_only());
}

#[test]
fn a_read_only_file_that_needs_an_upgrade_is_refused_untouched() {
    let (_d, path) = temp_db();
    create_old_schema(&path, 2).unwrap();
    set_readonly(&path, true);
    refused_untouched(&path, |e| {
        *e == StoreError::ReadOnlyOld {
            path: path.display().to_string(),
            found: 2,
            known: SCHEMA_VERSION,
        }
    });
    set_lang(Lang::ZhTw);
    let msg = Store::open(&path).err().unwrap().to_string();
    assert!(msg.contains("寫入權限"), "{msg}");
    set_readonly(&path, false);
}

#[test]
fn a_read_only_new_file_of_no_bytes_is_refused_rather_than_set_up() {
    let (_d, path) = temp_db();
    std::fs::write(&path, b"").unwrap();
    set_readonly(&path, true);
    refused_untouched(&path, |e| {
        matches!(e, StoreError::ReadOnlyOld { found: 0, .. })
    });
    set_readonly(&path, false);
}

#[test]
fn a_reader_sees_the_owners_later_saves_while_the_owner_has_the_file_open() {
    // The owner's session (a -wal file present) is read with locks, so the
    // reader sees the owner's later saves.
    let (d, path) = temp_db();
    school_file(&path);
    let mut owner = Store::open(&path).unwrap();
    let wal_before: Vec<String> = snapshot_dir(d.path()).into_keys().collect();
    assert!(
        wal_before.iter().any(|f| f.ends_with("-wal")),
        "{wal_before:?}"
    );
    set_readonly(&path, true);
    let reader = Store::open(&path).unwrap();
    assert!(reader.is_read_only());
    assert_eq!(reader.list_staff().unwrap().len(), 1);
    // The owner still writes (root ignores the bits; a real owner would
    // have kept the write bit for himself).
    set_readonly(&path, false);
    owner
        .add_staff(&StaffDraft {
            name: "李大華".into(),
            positions: vec!["教師".into()],
            ..Default::default()
        })
        .unwrap();
    assert_eq!(reader.list_staff().unwrap().len(), 2);
}

#[test]
fn a_folder_is_refused_as_not_a_database() {
    let (d, _) = temp_db();
    let folder = d.path().join("school.db");
    std::fs::create_dir(&folder).unwrap();
    let before = snapshot_dir(d.path());
    assert_eq!(
        Store::open(&folder).err(),
        Some(StoreError::NotOurs {
            path: folder.display().to_string()
        })
    );
    assert_eq!(snapshot_dir(d.path()), before);
}
