//! End to end: the real binary in a pseudo-terminal (portable-pty) at 80x24,
//! its output fed into a terminal emulator (vt100) so the tests read the
//! screen a person would see, and type the keys a person would type.
//!
//! Every test has its own temporary database, a fixed clock
//! (`PORTFOLIO_DESK_TODAY=2026-11-25`, ROC 115.11.25, academic year 115) and
//! a fixed user. Waits poll the screen every 20 ms and return as soon as the
//! text shows; their generous timeouts only matter when something is wrong,
//! and then the panic shows the whole screen.

use std::ffi::OsString;
use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};
use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_portfolio-desk");
const TODAY: &str = "2026-11-25";

const ENTER: &str = "\r";
const TAB: &str = "\t";
const DOWN: &str = "\x1b[B";
const CTRL_S: &str = "\x13";
const CTRL_Q: &str = "\x11";

/// How long to wait for something that should show at once.
const WAIT: Duration = Duration::from_secs(10);

// ---------------------------------------------------------------- harness

/// The app running in a pseudo-terminal.
struct Tui {
    parser: Arc<Mutex<vt100::Parser>>,
    /// `None` once the terminal has been hung up.
    writer: Option<Box<dyn Write + Send>>,
    master: Option<Box<dyn MasterPty + Send>>,
    child: Box<dyn Child + Send + Sync>,
    /// Asks the reader thread to stop after its next read.
    stop_reading: Arc<AtomicBool>,
    reader: JoinHandle<()>,
    label: String,
}

fn nz(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n).expect("non-zero terminal size")
}

fn pty_size(rows: u16, cols: u16) -> PtySize {
    PtySize {
        rows,
        cols,
        pixel_width: 0,
        pixel_height: 0,
    }
}

impl Tui {
    /// Starts `portfolio-desk ARGS... --db DB` at 80x24 in `dir`.
    fn start(dir: &Path, db: &Path, args: &[&str]) -> Tui {
        let pair = native_pty_system()
            .openpty(pty_size(24, 80))
            .expect("open a pseudo-terminal");
        let mut cmd = CommandBuilder::new(BIN);
        let mut argv: Vec<OsString> = args.iter().map(OsString::from).collect();
        argv.push("--db".into());
        argv.push(db.as_os_str().to_owned());
        cmd.args(&argv);
        cmd.cwd(dir);
        cmd.env("TERM", "xterm-256color");
        cmd.env("PORTFOLIO_DESK_TODAY", TODAY);
        cmd.env_remove("PORTFOLIO_DESK_LANG");
        cmd.env_remove("NO_COLOR");
        let child = pair.slave.spawn_command(cmd).expect("start portfolio-desk");
        // Only the child keeps the terminal's slave side open.
        drop(pair.slave);

        let parser = Arc::new(Mutex::new(vt100::Parser::new(nz(24), nz(80), 0)));
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let sink = Arc::clone(&parser);
        let stop_reading = Arc::new(AtomicBool::new(false));
        let stop = Arc::clone(&stop_reading);
        let reader = thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while !stop.load(Ordering::SeqCst) {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => sink.lock().unwrap().process(&buf[..n]),
                }
            }
        });
        let writer = pair.master.take_writer().expect("pty writer");
        Tui {
            parser,
            writer: Some(writer),
            master: Some(pair.master),
            child,
            stop_reading,
            reader,
            label: format!("portfolio-desk {}", args.join(" ")),
        }
    }

    /// Types `keys` (raw bytes: text, `\r`, escape sequences...).
    fn send(&mut self, keys: &str) {
        let w = self.writer.as_mut().expect("the terminal is still there");
        w.write_all(keys.as_bytes()).expect("write to the pty");
        w.flush().expect("flush the pty");
    }

    /// Esc on its own, then a pause so the next key is not read as Alt+key.
    fn esc(&mut self) {
        self.send("\x1b");
        thread::sleep(Duration::from_millis(120));
    }

    fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Polls the screen until `ok` holds; panics with the screen after `timeout`.
    fn wait_until(&self, what: &str, timeout: Duration, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if ok(&s) {
                return s;
            }
            if start.elapsed() > timeout {
                panic!(
                    "{}: timed out after {:?} waiting for {what}\n----- screen -----\n{s}\n------------------",
                    self.label, timeout
                );
            }
            thread::sleep(Duration::from_millis(20));
        }
    }

    fn wait_for(&self, text: &str) -> String {
        self.wait_for_within(text, WAIT)
    }

    fn wait_for_within(&self, text: &str, timeout: Duration) -> String {
        self.wait_until(&format!("{text:?}"), timeout, |s| s.contains(text))
    }

    fn wait_for_all(&self, texts: &[&str]) -> String {
        self.wait_until(&format!("all of {texts:?}"), WAIT, |s| {
            texts.iter().all(|t| s.contains(t))
        })
    }

    fn wait_gone(&self, text: &str) -> String {
        self.wait_until(&format!("{text:?} to go away"), WAIT, |s| !s.contains(text))
    }

    /// Waits until the table row whose first cell starts with `first`
    /// contains `text`; returns that row.
    fn wait_row(&self, first: &str, text: &str) -> String {
        let s = self.wait_until(&format!("row {first:?} to contain {text:?}"), WAIT, |s| {
            row_of(s, first).is_some_and(|r| r.contains(text))
        });
        row_of(&s, first).unwrap()
    }

    fn resize(&mut self, rows: u16, cols: u16) {
        self.parser
            .lock()
            .unwrap()
            .screen_mut()
            .set_size(nz(rows), nz(cols));
        self.master
            .as_ref()
            .expect("the terminal is still there")
            .resize(pty_size(rows, cols))
            .expect("resize the pty");
    }

    /// Closes the terminal under the program, as when an SSH connection
    /// drops or a terminal window is closed: every file descriptor of the
    /// pty's master side goes away, so the program's terminal hangs up.
    fn hang_up(&mut self) {
        // The reader thread holds a copy of the master; let it finish after
        // one more read, which a resize (and so a redraw) provides.
        self.stop_reading.store(true, Ordering::SeqCst);
        self.resize(24, 79);
        let start = Instant::now();
        while !self.reader.is_finished() {
            assert!(
                start.elapsed() < WAIT,
                "{}: the reader thread did not stop",
                self.label
            );
            thread::sleep(Duration::from_millis(20));
        }
        // (Dropping the writer types a newline and Ctrl-D first; harmless.)
        self.writer = None;
        self.master = None;
    }

    /// Sends the program a signal with kill(1): "TERM", "KILL"...
    fn signal(&mut self, sig: &str) {
        let pid = self.child.process_id().expect("child pid");
        let sent = std::process::Command::new("kill")
            .args([format!("-{sig}"), pid.to_string()])
            .status()
            .expect("run kill");
        assert!(sent.success(), "kill -{sig} {pid}");
    }

    fn is_running(&mut self) -> bool {
        self.child.try_wait().expect("try_wait").is_none()
    }

    /// Waits for the program to end by itself.
    fn wait_exit(&mut self) -> ExitStatus {
        self.wait_exit_within(WAIT, "")
    }

    fn wait_exit_within(&mut self, timeout: Duration, why: &str) -> ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return status;
            }
            if start.elapsed() > timeout {
                panic!(
                    "{}: still running after {timeout:?}{why}\n----- screen -----\n{}",
                    self.label,
                    self.screen()
                );
            }
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// `q`, and the program ends with status 0.
    /// `q`, and the program ends with status 0, having given the terminal
    /// back: main screen, cursor visible.
    fn quit(mut self) {
        self.send("q");
        let status = self.wait_exit();
        assert!(
            status.success(),
            "{}: exit status {status:?}\n{}",
            self.label,
            self.screen()
        );
        self.expect_terminal_restored();
    }

    fn expect_terminal_restored(&self) {
        let start = Instant::now();
        loop {
            let (alternate, hidden) = {
                let p = self.parser.lock().unwrap();
                (p.screen().alternate_screen(), p.screen().hide_cursor())
            };
            if !alternate && !hidden {
                return;
            }
            assert!(
                start.elapsed() < WAIT,
                "{}: terminal not restored after exit (alternate screen {alternate}, cursor hidden {hidden})",
                self.label
            );
            thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn row_of(screen: &str, first: &str) -> Option<String> {
    screen
        .lines()
        .find(|l| l.trim_start_matches('│').starts_with(first))
        .map(str::to_string)
}

/// A temporary directory and a database path inside it.
fn scratch() -> (TempDir, PathBuf) {
    let dir = TempDir::new().expect("temp dir");
    let db = dir.path().join("x.db");
    (dir, db)
}

/// `portfolio-desk init --preset jingxin --db DB`, which must succeed.
fn init_jingxin(dir: &Path, db: &Path) {
    let out = std::process::Command::new(BIN)
        .current_dir(dir)
        .env("PORTFOLIO_DESK_TODAY", TODAY)
        .env_remove("PORTFOLIO_DESK_LANG")
        .args(["init", "--preset", "jingxin", "--db"])
        .arg(db)
        .output()
        .expect("run init");
    assert!(
        out.status.success(),
        "init failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

const TABS: &str = " 1 首頁 2 期程 3 工作小組 ";
const DEMO_COUNT: &str = "12/13　缺額 1：家長代表";
const FULL_COUNT: &str = "13/13　席位已滿";

/// Opens the demo (or any school) and goes to the committee seats.
fn open_roster(dir: &Path, db: &Path, args: &[&str], count: &str) -> Tui {
    let mut t = Tui::start(dir, db, args);
    t.wait_for(TABS);
    t.send("3");
    t.wait_for_all(&["工作小組　115 學年度", count]);
    t
}

// ---------------------------------------------------------------- tests

/// Fill the vacant parent seat of the demo committee, quit, and find the
/// member still there after starting again.
#[test]
fn assigning_a_seat_is_saved_across_restarts() {
    let (dir, db) = scratch();
    let mut t = Tui::start(dir.path(), &db, &["demo"]);
    t.wait_for_all(&[TABS, "靜心高中"]);
    t.send("3");
    t.wait_for_all(&["工作小組　115 學年度", DEMO_COUNT]);
    t.wait_row("家長代表", "（出缺）");
    t.wait_row("校長", "林淑貞");

    // The 12th seat: arrows and j both move down.
    t.send(&DOWN.repeat(5));
    t.send(&"j".repeat(6));
    t.send(ENTER);
    // Active staff are offered.
    t.wait_for_all(&["指派 115 學年度「家長代表」", "楊凱翔"]);

    // Typing narrows the list; the parent representative who left last
    // summer is not offered.
    t.send("蕭碧霞");
    t.wait_for("沒有符合「蕭碧霞」的項目");
    t.send("\x7f\x7f\x7f");
    t.wait_until("the search to be empty again", WAIT, |s| {
        !s.contains("蕭碧霞")
    });
    t.send("楊");
    t.wait_until("the picker to narrow to 楊凱翔", WAIT, |s| {
        s.contains("搜尋： 楊") && !s.contains("林淑貞")
    });
    t.send(ENTER);
    t.wait_for_all(&["已指派 楊凱翔 擔任「家長代表」", FULL_COUNT]);
    t.wait_gone("指派 115 學年度");
    t.wait_row("家長代表", "楊凱翔");
    t.quit();

    // The demo reopens the same school; it does not seed it again.
    let t = open_roster(dir.path(), &db, &["demo"], FULL_COUNT);
    t.wait_row("家長代表", "楊凱翔");
    t.wait_row("學生代表", "江承恩");
    t.quit();

    // And it is an ordinary school file.
    let t = open_roster(dir.path(), &db, &[], FULL_COUNT);
    t.wait_row("家長代表", "楊凱翔");
    t.quit();
}

/// The seat filter narrows the seats; Enter keeps it; `a` assigns the first
/// offered person; `d` asks first (default No) and `y` vacates.
#[test]
fn filter_assign_and_vacate_a_seat() {
    let (dir, db) = scratch();
    let mut t = open_roster(dir.path(), &db, &["demo"], DEMO_COUNT);

    t.send("/");
    t.send("家長");
    t.wait_until("the filter to leave only 家長代表", WAIT, |s| {
        s.contains("/家長") && row_of(s, "家長代表").is_some() && row_of(s, "校長").is_none()
    });
    t.send(ENTER);
    t.send("a");
    t.wait_for("指派 115 學年度「家長代表」");
    // Whoever the picker offers first: the message names them.
    t.send(ENTER);
    let s = t.wait_for_all(&["擔任「家長代表」", FULL_COUNT]);
    let first = s
        .lines()
        .find_map(|l| l.trim().strip_prefix("已指派 "))
        .and_then(|l| l.strip_suffix(" 擔任「家長代表」"))
        .unwrap_or_else(|| panic!("no 已指派 message\n{s}"))
        .to_string();
    assert!(
        !first.is_empty() && !first.contains(' '),
        "one name: {first:?}"
    );
    t.wait_row("家長代表", &first);

    // Clear the filter, go to the top (校長) and vacate it.
    t.esc();
    t.wait_until("all seats to show again", WAIT, |s| {
        row_of(s, "校長").is_some()
    });
    t.send("g");
    t.send("d");
    t.wait_for("將 林淑貞 從 115 學年度「校長」移除，席位改為出缺？");
    t.send(ENTER); // default is No
    t.wait_gone("席位改為出缺？");
    assert!(t.screen().contains(FULL_COUNT), "{}", t.screen());
    t.wait_row("校長", "林淑貞");

    t.send("d");
    t.wait_for("席位改為出缺？");
    t.send("y");
    t.wait_for_all(&["「校長」已改為出缺", "12/13　缺額 1：校長"]);
    t.wait_row("校長", "（出缺）");

    // Vacating an empty seat does nothing harmful.
    t.send("d");
    t.wait_for("「校長」已經是出缺狀態");
    assert!(
        !t.screen().contains("席位改為出缺？"),
        "no confirm for an empty seat\n{}",
        t.screen()
    );
    assert!(t.screen().contains("12/13　缺額 1：校長"), "{}", t.screen());
    t.quit();
}

/// A person added through the form is in the directory after a restart.
#[test]
fn a_new_staff_member_is_saved_across_restarts() {
    let (dir, db) = scratch();
    init_jingxin(dir.path(), &db);
    let mut t = open_roster(dir.path(), &db, &[], "0/13");
    t.send("v");
    t.wait_for_all(&["人員名冊", "名冊是空的"]);
    t.send("n");
    t.wait_for_all(&[
        "新增人員",
        "姓名",
        "職稱",
        "電子郵件",
        "電話",
        "狀態",
        "離職日期",
        "備註",
    ]);
    t.send("測試老師");
    t.send(TAB);
    t.send("教師");
    t.send(CTRL_S);
    t.wait_for("已儲存：測試老師");
    t.wait_gone("新增人員");
    t.wait_row("測試老師", "教師");
    // A new person is active.
    t.wait_row("測試老師", "在職");
    t.wait_for("在職 1 人");
    t.quit();

    let mut t = open_roster(dir.path(), &db, &[], "0/13");
    t.send("v");
    t.wait_for("人員名冊");
    t.wait_row("測試老師", "教師");
    t.wait_row("測試老師", "在職");

    // The new person can now take a seat.
    t.send("v");
    t.wait_for("工作小組　115 學年度");
    t.send(ENTER);
    t.wait_for("指派 115 學年度「校長」");
    t.send(ENTER);
    t.wait_for_all(&["已指派 測試老師 擔任「校長」", "1/13"]);
    t.wait_row("校長", "測試老師");
    t.quit();
}

/// Invalid input is refused with its message, inside the form, and nothing
/// typed is lost.
#[test]
fn the_staff_form_refuses_bad_input_and_keeps_what_was_typed() {
    let (dir, db) = scratch();
    init_jingxin(dir.path(), &db);
    let mut t = open_roster(dir.path(), &db, &[], "0/13");
    t.send("v");
    t.wait_for("名冊是空的");

    // No name.
    t.send("n");
    t.wait_for("新增人員");
    t.send(CTRL_S);
    let s = t.wait_for("請填寫姓名");
    assert!(s.contains("新增人員"), "the form stays open\n{s}");

    // A bad e-mail address; Enter saves too.
    t.send("測試老師");
    t.send(TAB);
    t.send(TAB);
    t.send("abc");
    t.send(ENTER);
    let s = t.wait_for("「abc」不是有效的電子郵件地址");
    assert!(s.contains("新增人員"), "the form stays open\n{s}");
    assert!(s.contains("測試老師"), "the typed name is still there\n{s}");
    assert!(s.contains("名冊是空的"), "nothing was saved\n{s}");

    // Fix it and save.
    t.send("\x7f\x7f\x7f");
    t.send("t@example.tw");
    t.send(CTRL_S);
    t.wait_for("已儲存：測試老師");
    t.wait_row("測試老師", "t@example.tw");
    t.quit();
}

/// Ctrl-Q with unsaved input asks first; `n` keeps the form, `y` quits
/// without saving.
#[test]
fn quitting_with_an_unsaved_form_asks_first() {
    let (dir, db) = scratch();
    init_jingxin(dir.path(), &db);
    let mut t = open_roster(dir.path(), &db, &[], "0/13");
    t.send("v");
    t.wait_for("名冊是空的");
    t.send("n");
    t.wait_for("新增人員");
    t.send("王小明");
    t.wait_for("王小明");

    t.send(CTRL_Q);
    t.wait_for("表單尚未儲存，確定要離開嗎？");
    t.send("n");
    t.wait_gone("表單尚未儲存");
    // The form is back as it was.
    t.wait_for_all(&["新增人員", "王小明"]);
    assert!(t.is_running());

    // Esc on a form with input asks before throwing it away.
    t.esc();
    t.wait_for("放棄這份表單輸入的內容嗎？");
    t.send("n");
    t.wait_gone("放棄這份表單");
    t.wait_for_all(&["新增人員", "王小明"]);

    t.send(CTRL_Q);
    t.wait_for("表單尚未儲存，確定要離開嗎？");
    t.send("y");
    let status = t.wait_exit();
    assert!(status.success(), "exit status {status:?}");
    t.expect_terminal_restored();
    drop(t);

    let mut t = open_roster(dir.path(), &db, &[], "0/13");
    t.send("v");
    t.wait_for("名冊是空的");
    assert!(!t.screen().contains("王小明"));

    // An untouched form does not ask: Ctrl-Q quits at once.
    t.send("n");
    t.wait_for("新增人員");
    t.send(CTRL_Q);
    let status = t.wait_exit();
    assert!(status.success(), "exit status {status:?}");
}

/// Two people on the same file: what one does shows on the other's screen
/// without a key press.
#[test]
fn another_process_sees_changes_without_a_key_press() {
    let (dir, db) = scratch();
    // A creates the demo school.
    let a = open_roster(dir.path(), &db, &["demo"], DEMO_COUNT);
    let mut b = open_roster(dir.path(), &db, &[], DEMO_COUNT);

    // B fills the parent seat.
    b.send("G");
    b.send("k");
    b.send(ENTER);
    b.wait_for("指派 115 學年度「家長代表」");
    b.send("楊");
    b.wait_until("the picker to narrow", WAIT, |s| s.contains("搜尋： 楊"));
    b.send(ENTER);
    b.wait_for(FULL_COUNT);

    let start = Instant::now();
    a.wait_for_within(FULL_COUNT, Duration::from_secs(5));
    let took = start.elapsed();
    a.wait_row("家長代表", "楊凱翔");
    assert!(
        took < Duration::from_secs(3),
        "A saw the change only after {took:?}"
    );

    // B vacates the principal's seat.
    b.send("g");
    b.send("d");
    b.wait_for("席位改為出缺？");
    b.send("y");
    b.wait_for("12/13　缺額 1：校長");
    a.wait_for_within("12/13　缺額 1：校長", Duration::from_secs(5));
    a.wait_row("校長", "（出缺）");

    a.quit();
    b.quit();
}

/// A tiny terminal gets a message instead of a broken layout; growing it
/// back brings the app back.
#[test]
fn a_tiny_terminal_shows_a_message_and_recovers() {
    let (dir, db) = scratch();
    init_jingxin(dir.path(), &db);
    let mut t = open_roster(dir.path(), &db, &[], "0/13　缺額 13");

    t.resize(5, 20);
    t.wait_for("終端機視窗太小");
    thread::sleep(Duration::from_millis(200));
    assert!(t.is_running(), "still running at 20x5");

    // A key typed while small is swallowed: what it did could not be seen.
    t.send("1");
    thread::sleep(Duration::from_millis(300));
    t.resize(24, 80);
    t.wait_gone("終端機視窗太小");
    let s = t.wait_for_all(&[TABS, "工作小組　115 學年度", "0/13　缺額 13"]);
    assert!(
        !s.contains("┌ 首頁 "),
        "the 1 typed while small acted:\n{s}"
    );
    // Once large again keys act.
    t.send("1");
    t.wait_for_all(&[TABS, "┌ 首頁 "]);
    t.send("3");
    t.wait_for_all(&["工作小組　115 學年度", "0/13　缺額 13"]);

    // Just under the minimum on one side only.
    t.resize(24, 59);
    t.wait_for("終端機視窗太小");
    t.resize(15, 80);
    t.wait_until("the message at 80x15", WAIT, |s| {
        s.contains("終端機視窗太小") && s.contains("80x15")
    });
    t.resize(24, 80);
    t.wait_for("工作小組　115 學年度");
    t.wait_gone("終端機視窗太小");
    t.quit();
}

/// `--lang en` runs the whole interface in English.
#[test]
fn the_interface_speaks_english_with_lang_en() {
    let (dir, db) = scratch();
    let mut t = Tui::start(dir.path(), &db, &["--lang", "en", "demo"]);
    t.wait_for_all(&[" 1 Home ", " 3 Committee ", "115.11.25"]);
    t.send("3");
    let s = t.wait_for_all(&["academic year 115", "12/13", "家長代表"]);
    assert!(!s.contains("工作小組"), "no Chinese UI text\n{s}");
    assert!(
        !s.contains("（出缺）"),
        "vacant seats are marked in English\n{s}"
    );
    t.send("v");
    t.wait_for("Staff directory");
    t.quit();
}

/// SIGTERM (a shutdown, `kill`) ends the program and gives the terminal back.
#[test]
fn sigterm_ends_the_program_cleanly() {
    let (dir, db) = scratch();
    init_jingxin(dir.path(), &db);
    let mut t = open_roster(dir.path(), &db, &[], "0/13");
    let pid = t.child.process_id().expect("child pid");
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .expect("run kill");
    assert!(killed.success());
    t.wait_exit();
    t.expect_terminal_restored();
}

/// When the terminal goes away (SSH connection dropped, window closed) the
/// program ends instead of staying behind with the database open.
#[test]
fn the_program_ends_when_its_terminal_goes_away() {
    let (dir, db) = scratch();
    init_jingxin(dir.path(), &db);
    let mut t = open_roster(dir.path(), &db, &[], "0/13");
    t.hang_up();
    t.wait_exit_within(
        Duration::from_secs(5),
        " with its terminal closed (it got SIGHUP and reads EOF from the terminal)",
    );
}

#[test]
fn a_form_half_filled_when_the_terminal_goes_away_comes_back() {
    let (dir, db) = scratch();
    init_jingxin(dir.path(), &db);
    let mut t = open_roster(dir.path(), &db, &[], "0/13");
    t.send("v");
    t.wait_for("人員名冊");
    t.send("n");
    t.wait_for("新增人員");
    t.send("斷線老師");
    t.send(TAB);
    t.send("註冊組長");
    t.wait_for("註冊組長");
    t.hang_up();
    t.wait_exit_within(Duration::from_secs(5), " after the SSH drop");
    drop(t);

    // The same user starts again: the form is back, and saves.
    let mut t = Tui::start(dir.path(), &db, &[]);
    t.wait_for_all(&[
        "已還原上次連線中斷時尚未儲存的表單",
        "新增人員",
        "斷線老師",
        "註冊組長",
    ]);
    t.send(CTRL_S);
    t.wait_for("已儲存：斷線老師");
    t.send("v");
    t.wait_for("人員名冊");
    t.wait_row("斷線老師", "註冊組長");
    t.quit();
}

/// On a 鳳山 school (its preset has a delegate table), the delegates screen
/// shows who acts for 註冊組長; recording the holder's leave over today
/// hands the position to 設備組長's holder, on the screen at once.
#[test]
fn an_absence_hands_the_position_to_its_delegate() {
    let (dir, db) = scratch();
    let out = std::process::Command::new(BIN)
        .current_dir(dir.path())
        .env("PORTFOLIO_DESK_TODAY", TODAY)
        .env_remove("PORTFOLIO_DESK_LANG")
        .args(["init", "--preset", "fengshan", "--db"])
        .arg(&db)
        .output()
        .expect("run init");
    assert!(
        out.status.success(),
        "init failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    {
        let mut store = portfolio_desk::store::Store::open(&db).expect("open the database");
        for (name, position) in [
            ("張志明", "校長"),
            ("陳淑芬", "教務主任"),
            ("林建宏", "教學組長"),
            ("王小明", "註冊組長"),
            ("李大華", "設備組長"),
        ] {
            let d = portfolio_desk::domain::committee::StaffDraft {
                name: name.into(),
                positions: vec![position.into()],
                ..Default::default()
            };
            store.add_staff(&d).expect("add staff");
        }
    }
    let mut t = Tui::start(dir.path(), &db, &[]);
    t.wait_for(" 4 代理 ");
    t.send("4");
    t.wait_for("代理　115.11.25（今天）");
    assert!(!t.wait_row("註冊組長", "王小明").contains("李大華"));
    t.send("/註冊組長");
    t.send(ENTER);
    t.wait_for("「註冊組長」代理順位");
    t.send("a");
    // The selected position's holder is filled in; the cursor is on the period.
    t.wait_for_all(&["登記請假／出缺", "王小明"]);
    t.send("115.11.20~12.05");
    t.send(TAB);
    t.send(TAB);
    t.send("病假");
    t.send(CTRL_S);
    t.wait_for("已登記：王小明 115.11.20~12.05");
    t.wait_gone("登記請假／出缺");
    let row = t.wait_row("註冊組長", "李大華");
    assert!(row.contains("代理中"), "{row}");
    t.wait_for("註冊組長（王小明）請假至 115.12.05（病假） → 設備組長（李大華）代理");
    t.quit();
}

/// The calendar screen (2) of a fresh demo: a window added through the form
/// (n, typed fields, Ctrl-S) shows in the agenda view (v).
#[test]
fn a_calendar_window_added_through_the_form_shows_in_the_agenda() {
    const BACKSPACE: &str = "\x7f";
    let (dir, db) = scratch();
    let mut t = Tui::start(dir.path(), &db, &["demo"]);
    t.wait_for(TABS);
    t.send("2");
    t.wait_for_all(&["期程　115-1 學期　月曆", "115 年 11 月", "115.11.25（三）"]);
    t.send("n");
    t.wait_for_all(&["新增期程", "學期", "階段", "日期", "準備對象"]);
    // The cursor is on the title.
    t.send("端對端測試期程");
    t.send(TAB);
    // The phase starts as 其他.
    t.send(&BACKSPACE.repeat(2));
    t.send("上傳");
    t.send(TAB);
    t.send("12");
    t.send(TAB);
    t.send("註冊組");
    t.send(TAB);
    // The dates start as the cursor's day, 115.11.25.
    t.send(&BACKSPACE.repeat(9));
    t.send("115.12.02~12.03");
    t.wait_for("115.12.02~12.03");
    t.send(CTRL_S);
    t.wait_for("已新增：端對端測試期程 115.12.02~03（115-1 學期）");
    t.wait_gone("新增期程");
    t.send("v");
    t.wait_for("期程　115-1 學期　待辦清單");
    let row = t.wait_row("115.12.02~03", "端對端測試期程");
    assert!(row.contains("上傳"), "{row}");
    assert!(row.contains("7 天後"), "{row}");
    t.quit();
}

/// The checklist screen (5) of a fresh demo: `x` ticks the selected item
/// (the third row, in progress) and the tally and the section gauge follow.
#[test]
fn ticking_a_checklist_item_moves_the_tally_and_the_gauge() {
    let (dir, db) = scratch();
    let mut t = Tui::start(dir.path(), &db, &["demo"]);
    t.wait_for(TABS);
    t.send("5");
    t.wait_for_all(&[
        "檢核　115 學年度　十、十一年級（1/2）",
        "已完成 12/22（55%）",
        "行政規劃          2/3",
    ]);
    t.send("jj");
    t.send("x");
    t.wait_for_all(&[
        "已完成 13/22（59%）",
        "行政規劃          3/3",
        "「校務系統及學習歷程資料同步及維護」：已完成",
    ]);
    let s = t.screen();
    let row = s
        .lines()
        .find(|l| l.contains("校務系統及學習歷程資料同步及維護"))
        .unwrap_or_default();
    assert!(
        row.contains("已完成") && row.contains("116.08.31"),
        "{row}\n{s}"
    );
    t.quit();
}

/// A viewer (the login running the app holds no role: the demo school was
/// made through the library by another login) presses `x` on a checklist
/// item: the refusal shows, naming the role that may and who holds it, and
/// nothing changes; the status bar says who the viewer is.
#[test]
fn a_viewer_pressing_x_on_a_checklist_item_sees_the_refusal() {
    let (dir, db) = scratch();
    {
        let mut store = portfolio_desk::store::Store::open(&db).expect("open the database");
        store.set_user("boss");
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        portfolio_desk::demo::seed(&mut store, today).expect("demo data");
    }
    let mut t = Tui::start(dir.path(), &db, &[]);
    t.wait_for(TABS);
    t.send("5");
    let s = t.wait_for_all(&["已完成 12/22（55%）", "行政規劃          2/3"]);
    assert!(s.contains("·檢視"), "{s}");
    t.send("jj");
    t.send("x");
    let s = t.wait_for_all(&["（檢視）不能編輯檢核表：需要「承辦」權限"]);
    assert!(s.contains("已完成 12/22（55%）"), "{s}");
    t.quit();
}

/// The receipts screen (6) of a school without receipts: a CSV written to
/// the working directory is imported through the `I` form, the students
/// show, `n` logs a discrepancy (routed to its unit by 靜心's regulation),
/// and it reads back in the discrepancy list.
#[test]
fn a_receipt_csv_imported_on_screen_and_a_discrepancy_logged() {
    let (dir, db) = scratch();
    init_jingxin(dir.path(), &db);
    std::fs::write(
        dir.path().join("receipts.csv"),
        "學號,姓名,班級,座號,類別,項目,件數\n\
         1140001,王小明,201,1,基本資料,學籍資料,1\n\
         1140001,王小明,201,1,修課紀錄,國語文,1\n\
         1140001,王小明,201,1,幹部經歷,班長,1\n\
         1140002,林怡君,201,2,基本資料,學籍資料,1\n\
         1140002,林怡君,201,2,多元表現,志工服務,2\n",
    )
    .expect("write the CSV");
    let mut t = Tui::start(dir.path(), &db, &[]);
    t.wait_for(TABS);
    t.send("6");
    t.wait_for_all(&["還沒有收訖明細。", "import receipts"]);
    t.send("I");
    t.wait_for_all(&["匯入收訖明細 CSV", "115-1"]);
    t.send("receipts.csv");
    t.wait_for("receipts.csv");
    t.send(ENTER);
    t.wait_for_all(&[
        "已匯入 115-1：新增 5 項、新學生 2 位。",
        "收訖/疑義　115-1 學期　學生",
        "已確認 0 / 2",
        "匯入完成",
    ]);
    // The outcome box takes every key until closed.
    t.esc();
    t.wait_gone("匯入完成");
    let row = t.wait_row("1140001", "王小明");
    assert!(row.contains("未確認"), "{row}");
    // The cursor is on 王小明: log that his cadre record is wrong.
    t.send("n");
    t.wait_for("登錄疑義：王小明（1140001）");
    t.send("幹部經歷");
    t.send(TAB);
    t.send(TAB);
    t.send(TAB);
    t.send("班長一學期未列入");
    t.wait_for("班長一學期未列入");
    t.send(ENTER);
    t.wait_for("已登錄疑義 #1（王小明）：幹部經歷依規定分派給 訓育組。");
    t.wait_row("1140001", "有疑義");
    t.send("v");
    t.wait_for("收訖/疑義　115-1 學期　疑義");
    let row = t.wait_row("#1 ", "王小明");
    assert!(row.contains("訓育組") && row.contains("已提報"), "{row}");
    t.wait_for("學生說：班長一學期未列入");
    t.quit();
}

const RESTORED: &str = "已還原上次連線中斷時尚未儲存的表單";

/// The staff form of the roster, opened on a fresh 靜心 school.
fn open_staff_form(dir: &Path, db: &Path) -> Tui {
    let mut t = open_roster(dir, db, &[], "0/13");
    t.send("v");
    t.wait_for("人員名冊");
    t.send("n");
    t.wait_for("新增人員");
    t
}

/// SIGTERM with a form half filled: status 143 (128 + 15), the terminal
/// given back, the form back on the next start. That restored form survives
/// being cut again before any key (SIGKILL, then an SSH drop), and goes only
/// when discarded.
#[test]
fn a_draft_survives_sigterm_and_more_drops_before_any_key() {
    let (dir, db) = scratch();
    init_jingxin(dir.path(), &db);
    let mut t = open_staff_form(dir.path(), &db);
    t.send("斷線老師");
    t.send(TAB);
    t.send("註冊組長");
    t.wait_for("註冊組長");
    t.signal("TERM");
    let status = t.wait_exit();
    assert_eq!(status.exit_code(), 143, "{status:?}");
    t.expect_terminal_restored();
    drop(t);

    let back = [RESTORED, "新增人員", "斷線老師", "註冊組長"];
    // Started again: the form is back. Killed outright before any key.
    let mut t = Tui::start(dir.path(), &db, &[]);
    t.wait_for_all(&back);
    t.signal("KILL");
    t.wait_exit();
    drop(t);

    // Still there; this time the terminal goes away before any key.
    let mut t = Tui::start(dir.path(), &db, &[]);
    t.wait_for_all(&back);
    t.hang_up();
    t.wait_exit_within(Duration::from_secs(5), " after the SSH drop");
    drop(t);

    // Still there. Discarding it (Esc, yes) is what removes it.
    let mut t = Tui::start(dir.path(), &db, &[]);
    t.wait_for_all(&back);
    t.esc();
    t.wait_for("放棄這份表單輸入的內容嗎？");
    t.send("y");
    t.wait_gone("新增人員");
    t.quit();
    let t = open_roster(dir.path(), &db, &[], "0/13");
    thread::sleep(Duration::from_millis(300));
    let s = t.screen();
    assert!(!s.contains(RESTORED) && !s.contains("斷線老師"), "{s}");
}

/// A bracketed paste (what a terminal sends for a mouse or Ctrl-Shift-V
/// paste) goes into the focused field and is kept like typing when the
/// session is cut.
#[test]
fn a_pasted_field_is_kept_when_the_session_is_cut() {
    let (dir, db) = scratch();
    init_jingxin(dir.path(), &db);
    let mut t = open_staff_form(dir.path(), &db);
    t.send("\x1b[200~貼上老師\x1b[201~");
    t.wait_for("貼上老師");
    t.signal("TERM");
    let status = t.wait_exit();
    assert_eq!(status.exit_code(), 143, "{status:?}");
    drop(t);
    let mut t = Tui::start(dir.path(), &db, &[]);
    t.wait_for_all(&[RESTORED, "新增人員", "貼上老師"]);
    t.send(TAB);
    t.send("註冊組長");
    t.send(CTRL_S);
    t.wait_for("已儲存：貼上老師");
    t.quit();
}

/// Two sessions of one OS user, each with a form open: both cut, and the
/// next two starts get one form each, not one form twice or one lost.
#[test]
fn two_sessions_of_one_user_each_get_their_form_back() {
    let (dir, db) = scratch();
    init_jingxin(dir.path(), &db);
    let mut one = open_staff_form(dir.path(), &db);
    one.send("甲老師");
    one.wait_for("甲老師");
    let mut two = open_staff_form(dir.path(), &db);
    two.send("乙老師");
    two.wait_for("乙老師");
    one.signal("TERM");
    assert_eq!(one.wait_exit().exit_code(), 143);
    two.signal("HUP");
    assert_eq!(two.wait_exit().exit_code(), 129);
    drop((one, two));

    let a = Tui::start(dir.path(), &db, &[]);
    let first = a.wait_until("a restored form", WAIT, |s| {
        s.contains(RESTORED) && (s.contains("甲老師") || s.contains("乙老師"))
    });
    let other = if first.contains("甲老師") {
        "乙老師"
    } else {
        "甲老師"
    };
    // While the first runs, the second start gets the other form.
    let b = Tui::start(dir.path(), &db, &[]);
    b.wait_for_all(&[RESTORED, other]);
}

/// Issue 14: the secretary plans a meeting on the meetings view (screen 3,
/// `m`), adds a motion to its agenda, quits, and prints the agenda with the
/// CLI: the meeting and the motion are there, with the live reports.
#[test]
fn a_meeting_planned_with_a_motion_on_screen_prints_as_an_agenda() {
    const BACKSPACE: &str = "\x7f";
    let (dir, db) = scratch();
    let mut t = Tui::start(dir.path(), &db, &["demo"]);
    t.wait_for_all(&[TABS, "靜心高中"]);
    t.send("3");
    t.wait_for("工作小組　115 學年度");
    t.send("m");
    t.wait_for("115 學年度工作小組會議");
    t.send("n");
    t.wait_for("籌備 115 學年度工作小組會議");
    // The date (today's, 115.11.25) replaced; the place filled in.
    t.send(&BACKSPACE.repeat(12));
    t.send("115.12.22");
    t.send(TAB);
    t.send(TAB);
    t.send(TAB);
    t.send("第二會議室");
    t.send(ENTER);
    t.wait_for("已籌備第 3 次會議（115.12.22）");
    t.wait_for("第3次 115.12.22");
    // Into its agenda, a new motion.
    t.send(ENTER);
    t.send("n");
    t.wait_for("新增討論事項");
    t.send("訂定寒假作業期程");
    t.send(TAB);
    t.send("教務處");
    t.send(ENTER);
    t.wait_for("已新增：訂定寒假作業期程");
    t.quit();

    let out = std::process::Command::new(BIN)
        .current_dir(dir.path())
        .env("PORTFOLIO_DESK_TODAY", TODAY)
        .env("PORTFOLIO_DESK_USER", "tester")
        .env_remove("PORTFOLIO_DESK_LANG")
        .args(["agenda", "--meeting", "3", "--format", "md", "--db"])
        .arg(&db)
        .output()
        .expect("run agenda");
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(md.contains("115 學年度第 3 次會議"), "{md}");
    assert!(md.contains("**地點**：第二會議室"), "{md}");
    assert!(md.contains("### 案由一：訂定寒假作業期程"), "{md}");
    assert!(md.contains("- **提案單位**：教務處"), "{md}");
    assert!(md.contains("執行檢核表已完成"), "live reports: {md}");
}
