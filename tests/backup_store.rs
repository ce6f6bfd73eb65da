//! Backups, retention and restore on temporary files (issue 12).

use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use portfolio_desk::domain::committee::StaffDraft;
use portfolio_desk::store::backup::{self as bk, daily_backup, inspect_file, list_backups};
use portfolio_desk::store::{SCHEMA_VERSION, Store, StoreError};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
}

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
}

/// A demo school in a temporary directory.
fn demo_db() -> (tempfile::TempDir, PathBuf, Store) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("school.db");
    let mut s = Store::open(&path).unwrap();
    portfolio_desk::demo::seed(&mut s, today()).unwrap();
    // The other writer of these tests is a clerk.
    s.grant_role("writer", portfolio_desk::domain::access::Role::Clerk)
        .unwrap();
    (dir, path, s)
}

fn person(name: &str) -> StaffDraft {
    StaffDraft {
        name: name.into(),
        ..Default::default()
    }
}

fn count(conn: &rusqlite::Connection, table: &str) -> i64 {
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

fn refused_key(r: Result<impl std::fmt::Debug, StoreError>) -> &'static str {
    match r {
        Err(StoreError::Refused { key, .. }) => key,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn a_backup_taken_while_another_connection_writes_is_sound_and_consistent() {
    let (dir, path, store) = demo_db();
    let before = store.contents().unwrap();
    let n = |c: &bk::Contents, t: &str| c.counts.iter().find(|(x, _)| x == t).unwrap().1;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let path = path.clone();
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut other = Store::open(&path).unwrap();
            other.set_user("writer");
            let mut written = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) || written < 20 {
                other.add_staff(&person(&format!("W{written}"))).unwrap();
                written += 1;
            }
            written
        })
    };
    // Wait until the writer is under way, then copy several times.
    while store.contents().unwrap().counts == before.counts {
        std::thread::yield_now();
    }
    let mut copies = Vec::new();
    for i in 0..5 {
        let out = dir.path().join(format!("copy{i}.db"));
        let report = store.backup_to(&out).unwrap();
        assert!(report.is_sound(), "{:?}", report.integrity);
        copies.push(out);
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let written = writer.join().unwrap();
    assert!(written >= 20);
    let mut seen = Vec::new();
    for out in &copies {
        let c = rusqlite::Connection::open(out).unwrap();
        // Every write adds one staff row and one audit row in one
        // transaction: a consistent snapshot has as many of each.
        let staff = count(&c, "staff") - n(&before, "staff");
        let audit = count(&c, "audit") - n(&before, "audit");
        assert_eq!(staff, audit, "{out:?} is not one snapshot");
        assert!((0..=written as i64).contains(&staff));
        seen.push(staff);
        let mode: String = c
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "delete", "a backup is one self-contained file");
    }
    assert!(
        seen.iter().any(|&s| s > 0),
        "the copies were taken while the writer wrote: {seen:?}"
    );
}

#[test]
fn an_explicit_backup_refuses_the_database_itself_and_an_existing_file() {
    let (dir, path, store) = demo_db();
    assert_eq!(refused_key(store.backup_to(&path)), "backup.out_is_db");
    let same_via_dots = dir.path().join(".").join("school.db");
    assert_eq!(
        refused_key(store.backup_to(&same_via_dots)),
        "backup.out_is_db"
    );
    let existing = dir.path().join("notes.db");
    std::fs::write(&existing, b"keep me").unwrap();
    assert_eq!(refused_key(store.backup_to(&existing)), "backup.out_exists");
    assert_eq!(std::fs::read(&existing).unwrap(), b"keep me");
    let missing_dir = dir.path().join("no/such/dir/copy.db");
    assert_eq!(
        refused_key(store.backup_to(&missing_dir)),
        "backup.cannot_write"
    );
}

#[test]
fn automatic_backups_are_named_by_time_and_reason_beside_the_file() {
    let (dir, path, store) = demo_db();
    let p = store
        .auto_backup_at("before-restore", at("2026-11-25 08:05:09"))
        .unwrap();
    assert_eq!(
        p,
        dir.path()
            .join("backups")
            .join("school-20261125-080509-before-restore.db")
    );
    // The same second again gets the next free second, never overwrites.
    let q = store
        .auto_backup_at("before-restore", at("2026-11-25 08:05:09"))
        .unwrap();
    assert!(q.ends_with("school-20261125-080510-before-restore.db"));
    let list = list_backups(&path);
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].path, q, "newest first");
    assert_eq!(list[1].reason, "before-restore");
    assert!(list[1].size > 0);
    assert!(inspect_file(&p).is_ok(), "a backup is a sound copy of ours");
}

#[test]
fn retention_keeps_7_days_and_4_weeks_and_never_explicit_copies() {
    let (dir, path, store) = demo_db();
    let backups = dir.path().join("backups");
    std::fs::create_dir_all(&backups).unwrap();
    // Files that are not this database's automatic backups.
    let explicit = backups.join("before-the-audit.db");
    store.backup_to(&explicit).unwrap();
    let other_db = backups.join("demo-20260101-080000-daily.db");
    std::fs::write(&other_db, b"another database's backup").unwrap();
    // A daily backup every day for 60 days up to today, and a backup before
    // a restore two days ago.
    let first = today() - chrono::Duration::days(59);
    for i in 0..60 {
        let day = first + chrono::Duration::days(i);
        store
            .auto_backup_at("daily", day.and_hms_opt(7, 30, 0).unwrap())
            .unwrap();
    }
    let restore_day = today() - chrono::Duration::days(2);
    store
        .auto_backup_at("before-restore", restore_day.and_hms_opt(15, 0, 0).unwrap())
        .unwrap();
    let list = list_backups(&path);
    let days: Vec<NaiveDate> = list.iter().map(|b| b.at.date()).collect();
    // The newest 7 days, with everything made on them.
    let newest7: Vec<NaiveDate> = (0..7)
        .map(|i| today() - chrono::Duration::days(i))
        .collect();
    for d in &newest7 {
        assert!(days.contains(d), "{d} kept");
    }
    assert!(
        list.iter()
            .any(|b| b.reason == "before-restore" && b.at.date() == restore_day)
    );
    // Then one a week for 4 weeks: the newest of each ISO week.
    let older: Vec<NaiveDate> = days
        .iter()
        .copied()
        .filter(|d| !newest7.contains(d))
        .collect();
    assert_eq!(older.len(), 4, "{older:?}");
    let oldest_kept_day = *newest7.last().unwrap();
    let mut weeks: Vec<u32> = older.iter().map(|d| d.iso_week().week()).collect();
    weeks.dedup();
    assert_eq!(weeks.len(), 4, "one per week: {older:?}");
    for d in &older {
        assert!(*d < oldest_kept_day);
        // The newest day of its week that had a backup (Sunday, or the day
        // before the kept days began).
        let next = *d + chrono::Duration::days(1);
        assert!(
            next.iso_week() != d.iso_week() || newest7.contains(&next),
            "{d} is not the newest of its week"
        );
    }
    assert_eq!(list.len(), 7 + 1 + 4);
    assert!(explicit.exists(), "explicit copies are never pruned");
    assert!(
        other_db.exists(),
        "other databases' backups are not touched"
    );
}

#[test]
fn retention_counts_follow_the_settings() {
    let list: Vec<bk::AutoBackup> = (0..30)
        .map(|i| bk::AutoBackup {
            path: PathBuf::from(format!("b{i}")),
            at: (today() - chrono::Duration::days(i))
                .and_hms_opt(8, 0, 0)
                .unwrap(),
            reason: "daily".into(),
            size: 1,
        })
        .collect();
    assert_eq!(bk::to_prune(&list, 7, 4).len(), 30 - 11);
    assert_eq!(bk::to_prune(&list, 2, 0).len(), 28);
    assert_eq!(bk::to_prune(&list, 30, 4).len(), 0);
    // What is pruned is always the oldest.
    assert!(bk::to_prune(&list, 7, 4).contains(&PathBuf::from("b29")));
    assert!(!bk::to_prune(&list, 7, 4).contains(&PathBuf::from("b0")));
}

#[test]
fn the_daily_backup_is_made_once_a_day_and_not_while_another_makes_it() {
    let (_dir, path, store) = demo_db();
    drop(store);
    let morning = at("2026-11-25 07:00:00");
    // Another instance holds the lock: this one makes nothing.
    let lock_path = bk::backups_dir(&path).join(".daily.lock");
    std::fs::create_dir_all(bk::backups_dir(&path)).unwrap();
    let held = std::fs::File::create(&lock_path).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::io::AsRawFd;
        // SAFETY: flock on a file this test owns.
        assert_eq!(
            unsafe { libc::flock(held.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) },
            0
        );
        assert_eq!(daily_backup(&path, morning).unwrap(), None);
        assert!(list_backups(&path).is_empty());
    }
    drop(held);
    let made = daily_backup(&path, morning)
        .unwrap()
        .expect("first start of the day");
    assert!(made.ends_with("school-20261125-070000-daily.db"));
    assert_eq!(
        daily_backup(&path, at("2026-11-25 13:00:00")).unwrap(),
        None
    );
    assert_eq!(list_backups(&path).len(), 1);
    assert!(
        daily_backup(&path, at("2026-11-26 07:00:00"))
            .unwrap()
            .is_some()
    );
    assert_eq!(list_backups(&path).len(), 2);
}

/// A copy of the school with `edit` applied to it with plain SQL.
fn altered_copy(store: &Store, dir: &Path, name: &str, edit: &str) -> PathBuf {
    let out = dir.join(name);
    store.backup_to(&out).unwrap();
    rusqlite::Connection::open(&out)
        .unwrap()
        .execute_batch(edit)
        .unwrap();
    out
}

/// Overwrites bytes in the middle of the file's pages (not the header).
fn corrupt(path: &Path) {
    let mut bytes = std::fs::read(path).unwrap();
    let page = 4096;
    assert!(bytes.len() > 8 * page);
    for p in 2..bytes.len() / page {
        for b in &mut bytes[p * page + 8..p * page + 64] {
            *b = 0xA5;
        }
    }
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn restore_refuses_foreign_newer_and_corrupt_files_and_changes_nothing() {
    let (dir, path, mut store) = demo_db();
    let before = store.contents().unwrap();

    let foreign = dir.path().join("foreign.db");
    rusqlite::Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1); PRAGMA user_version = 3;")
        .unwrap();
    let other_app = altered_copy(
        &store,
        dir.path(),
        "other-app.db",
        "PRAGMA application_id = 42;",
    );
    let newer = altered_copy(
        &store,
        dir.path(),
        "newer.db",
        &format!("PRAGMA user_version = {};", SCHEMA_VERSION + 1),
    );
    let damaged = dir.path().join("damaged.db");
    store.backup_to(&damaged).unwrap();
    corrupt(&damaged);
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "not a database at all, just some text ".repeat(200)).unwrap();

    for (file, key) in [
        (&foreign, "backup.refuse_foreign"),
        (&other_app, "backup.refuse_foreign"),
        (&newer, "backup.refuse_newer"),
        (&damaged, "backup.refuse_corrupt"),
        (&text, "backup.refuse_not_sqlite"),
        (&dir.path().join("missing.db"), "backup.no_such_file"),
        (&path, "backup.restore_self"),
    ] {
        let r = store.restore_from(file);
        match &r {
            Err(StoreError::Refused { key: k, args }) => {
                assert_eq!(*k, key, "{file:?}");
                let quoted = args.iter().any(|(n, v)| {
                    *n == "path" && v.contains(&*file.file_name().unwrap().to_string_lossy())
                });
                assert!(quoted, "the message quotes the path: {args:?}");
            }
            other => panic!("{file:?}: {other:?}"),
        }
    }
    assert_eq!(store.contents().unwrap(), before);
    assert!(
        list_backups(&path).is_empty(),
        "no backup made for a refused file"
    );
    drop(store);
    // The WAL is folded back on close: the file is as it was.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
    drop(conn);
    let after = Store::open(&path).unwrap().contents().unwrap();
    assert_eq!(after, before);
}

#[test]
fn restore_puts_the_copy_back_keeps_the_replaced_data_and_other_connections_see_it() {
    let (dir, path, mut store) = demo_db();
    let copy = dir.path().join("monday.db");
    store.backup_to(&copy).unwrap();
    let monday = store.contents().unwrap();
    store.add_staff(&person("後來加入的人")).unwrap();
    store.add_staff(&person("又一位")).unwrap();
    let tuesday = store.contents().unwrap();
    assert_ne!(monday.counts, tuesday.counts);

    let other = Store::open(&path).unwrap();
    assert_eq!(other.contents().unwrap(), tuesday);

    let saved = store.restore_from(&copy).unwrap();
    assert_eq!(store.contents().unwrap(), monday);
    assert_eq!(
        other.contents().unwrap(),
        monday,
        "another open connection sees it"
    );
    // The replaced data is kept as an automatic backup.
    let list = list_backups(&path);
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].path, saved);
    assert_eq!(list[0].reason, "before-restore");
    assert_eq!(inspect_file(&saved).unwrap(), tuesday);
    // The restored database is still ours and writable.
    store.add_staff(&person("還原後")).unwrap();
    drop(other);
    drop(store);
    let again = Store::open(&path).unwrap();
    assert!(
        again
            .contents()
            .unwrap()
            .counts
            .iter()
            .any(|(t, n)| t == "staff"
                && *n == monday.counts.iter().find(|(t, _)| t == "staff").unwrap().1 + 1)
    );
}

/// A copy is written whole under a hidden `.partial` name and only then
/// given a backup's name: a copy cut short (the app quit mid-way) is never
/// listed, never counts as today's backup, and is cleared once stale.
#[test]
fn a_copy_cut_short_is_never_taken_for_a_backup() {
    let (dir, path, store) = demo_db();
    let backups = bk::backups_dir(&path);
    std::fs::create_dir_all(&backups).unwrap();
    // What a killed daily backup leaves behind: an empty file and a
    // half-written one, both under temporary names.
    let stale = backups.join(".school-20261125-080000-daily.db.999-0.partial");
    let fresh = backups.join(".school-20261125-080001-daily.db.998-0.partial");
    std::fs::write(&stale, b"").unwrap();
    std::fs::write(&fresh, b"SQLite format 3\0half").unwrap();
    let old = std::process::Command::new("touch")
        .args(["-d", "1 hour ago"])
        .arg(&stale)
        .status()
        .is_ok_and(|s| s.success());
    assert!(list_backups(&path).is_empty(), "a partial copy was listed");
    assert!(bk::newest_backup(&path).is_none());
    // The next backup is made (the partial ones are not today's backup),
    // leaves no partial copy of its own, and clears the stale one only.
    let made = daily_backup(&path, at("2026-11-25 09:00:00")).unwrap();
    assert!(made.is_some(), "a partial copy counted as today's backup");
    let names: Vec<String> = std::fs::read_dir(&backups)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names.iter().filter(|n| n.ends_with(".partial")).count(),
        if old { 1 } else { 2 },
        "{names:?}"
    );
    assert!(
        fresh.exists(),
        "a copy another process may be writing was removed"
    );
    assert_eq!(stale.exists(), !old, "the stale partial copy stays");
    let listed = list_backups(&path);
    assert_eq!(listed.len(), 1, "{listed:?}");
    let copy = Store::open(&listed[0].path).unwrap();
    assert_eq!(
        copy.list_staff().unwrap().len(),
        store.list_staff().unwrap().len()
    );
    drop(dir);
}
