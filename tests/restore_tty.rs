//! `restore` on a terminal asks y/N: the real binary in a pseudo-terminal,
//! answering no (nothing changes) and then yes (the copy is put back).

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use portfolio_desk::domain::committee::StaffDraft;
use portfolio_desk::store::Store;
use portfolio_desk::store::backup::list_backups;

const BIN: &str = env!("CARGO_BIN_EXE_portfolio-desk");

/// Runs `portfolio-desk --lang en restore FILE --db DB` on a terminal,
/// types `answer` once the question shows, and returns (exit ok, output).
fn restore_answering(dir: &Path, db: &Path, file: &Path, answer: &str) -> (bool, String) {
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 40,
            cols: 200,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(BIN);
    cmd.args(["--lang", "en", "restore"]);
    cmd.arg(file.as_os_str());
    cmd.arg("--db");
    cmd.arg(db.as_os_str());
    cmd.cwd(dir);
    cmd.env("PORTFOLIO_DESK_TODAY", "2026-11-25");
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    let out = Arc::new(Mutex::new(String::new()));
    let mut reader = pair.master.try_clone_reader().unwrap();
    let sink = Arc::clone(&out);
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    });
    let wait_for = |what: &str| {
        let start = Instant::now();
        while !out.lock().unwrap().contains(what) {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "waiting for {what:?}:\n{}",
                out.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    };
    wait_for("[y/N]");
    let mut w = pair.master.take_writer().unwrap();
    w.write_all(answer.as_bytes()).unwrap();
    w.flush().unwrap();
    let status = child.wait().unwrap();
    wait_for(if answer.starts_with('y') {
        "Restored from"
    } else {
        "Nothing changed."
    });
    let text = out.lock().unwrap().clone();
    (status.success(), text)
}

fn staff(db: &Path) -> i64 {
    let c = Store::open(db).unwrap().contents().unwrap();
    c.counts.iter().find(|(t, _)| t == "staff").unwrap().1
}

#[test]
fn restore_on_a_terminal_asks_and_only_yes_restores() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("school.db");
    let copy = dir.path().join("monday.db");
    {
        let mut s = Store::open(&db).unwrap();
        portfolio_desk::demo::seed(
            &mut s,
            chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
        )
        .unwrap();
        s.backup_to(&copy).unwrap();
        s.add_staff(&StaffDraft {
            name: "王小明".into(),
            ..Default::default()
        })
        .unwrap();
    }
    let before = staff(&db);

    let (ok, text) = restore_answering(dir.path(), &db, &copy, "n\r");
    assert!(ok, "{text}");
    assert!(text.contains("current") && text.contains("file"), "{text}");
    assert_eq!(staff(&db), before, "no: nothing changed");
    assert!(list_backups(&db).is_empty());

    let (ok, text) = restore_answering(dir.path(), &db, &copy, "y\r");
    assert!(ok, "{text}");
    assert_eq!(staff(&db), before - 1, "yes: the copy is back");
    assert_eq!(list_backups(&db).len(), 1, "the replaced data is kept");
}
