//! Look at a screen as a user would: runs portfolio-desk in a private
//! pseudo-terminal of a fixed size, types keys, and prints the screen.
//!
//! ```sh
//! cargo run --example shot -- [-s COLSxROWS] [-d SECONDS] [-a] STEP... -- ARGS...
//! cargo run --example shot -- -k "2 v" -- demo --db /tmp/look.db
//! cargo run --example shot -- -s 40x12 -k "5 j" -- demo --db /tmp/look.db
//! ```
//!
//! Steps, applied in order after the program has started:
//! - `-k "KEYS"` key names, space separated: `j`, `Enter`, `Tab`, `BTab`,
//!   `Escape`, `Up`, `Down`, `Left`, `Right`, `PageUp`, `PageDown`, `Home`,
//!   `End`, `Space`, `BSpace`, `F1`, `C-s` (Ctrl+S); any other word is typed
//!   as it is;
//! - `-t "TEXT"` text typed as it is (`-t "115.11.20"`);
//! - `-w SECONDS` wait.
//!
//! Options: `-s` terminal size (default 80x24, an SSH session's usual size),
//! `-d` the pause after start and after each step (default 0.4 s), `-a` print
//! the screen after every step, not only at the end.
//!
//! ARGS are portfolio-desk's own arguments: the example runs the app itself
//! (this same executable, started again in the terminal), so nothing but
//! `cargo` is needed. The exit status is the app's when it has quit by the
//! end, else 0; 2 on bad usage.

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

/// Set in the child: run the app instead of the harness.
const CHILD: &str = "PORTFOLIO_DESK_SHOT_CHILD";

enum Step {
    Keys(String),
    Text(String),
    Wait(f64),
}

struct Opts {
    cols: u16,
    rows: u16,
    delay: f64,
    every: bool,
    steps: Vec<Step>,
    args: Vec<String>,
}

fn usage(msg: &str) -> ! {
    eprintln!("shot: {msg} (see the top of examples/shot.rs)");
    std::process::exit(2);
}

fn parse_size(s: &str) -> (u16, u16) {
    let (c, r) = s
        .split_once('x')
        .unwrap_or_else(|| usage(&format!("size '{s}' is not COLSxROWS")));
    match (c.parse::<u16>(), r.parse::<u16>()) {
        (Ok(c), Ok(r)) if c > 0 && r > 0 => (c, r),
        _ => usage(&format!("size '{s}' is not COLSxROWS")),
    }
}

fn parse_secs(s: &str) -> f64 {
    s.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v >= 0.0)
        .unwrap_or_else(|| usage(&format!("'{s}' is not a number of seconds")))
}

fn parse_args() -> Opts {
    let mut o = Opts {
        cols: 80,
        rows: 24,
        delay: 0.4,
        every: false,
        steps: Vec::new(),
        args: Vec::new(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || {
            it.next()
                .unwrap_or_else(|| usage(&format!("'{a}' needs a value")))
        };
        match a.as_str() {
            "-s" => (o.cols, o.rows) = parse_size(&value()),
            "-d" => o.delay = parse_secs(&value()),
            "-a" => o.every = true,
            "-k" => o.steps.push(Step::Keys(value())),
            "-t" => o.steps.push(Step::Text(value())),
            "-w" => o.steps.push(Step::Wait(parse_secs(&value()))),
            "--" => {
                o.args = it.collect();
                break;
            }
            other => usage(&format!("unknown argument '{other}'")),
        }
    }
    o
}

/// The bytes a terminal sends for a key name.
fn key_bytes(name: &str) -> Vec<u8> {
    let named: Option<&[u8]> = match name {
        "Enter" => Some(b"\r"),
        "Tab" => Some(b"\t"),
        "BTab" => Some(b"\x1b[Z"),
        "Escape" | "Esc" => Some(b"\x1b"),
        "Up" => Some(b"\x1b[A"),
        "Down" => Some(b"\x1b[B"),
        "Right" => Some(b"\x1b[C"),
        "Left" => Some(b"\x1b[D"),
        "PageUp" | "PPage" => Some(b"\x1b[5~"),
        "PageDown" | "NPage" => Some(b"\x1b[6~"),
        "Home" => Some(b"\x1b[H"),
        "End" => Some(b"\x1b[F"),
        "Space" => Some(b" "),
        "BSpace" => Some(b"\x7f"),
        "F1" => Some(b"\x1bOP"),
        _ => None,
    };
    if let Some(b) = named {
        return b.to_vec();
    }
    if let Some(c) = name.strip_prefix("C-").filter(|c| c.len() == 1) {
        let ch = c.as_bytes()[0].to_ascii_lowercase();
        if ch.is_ascii_lowercase() {
            return vec![ch - b'a' + 1];
        }
    }
    name.as_bytes().to_vec()
}

fn nz(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n).unwrap_or(NonZeroU16::MIN)
}

fn screen(parser: &Mutex<vt100::Parser>) -> String {
    let p = parser.lock().unwrap_or_else(|e| e.into_inner());
    p.screen().contents()
}

fn main() {
    if std::env::var_os(CHILD).is_some() {
        std::process::exit(portfolio_desk::cli::main());
    }
    let o = parse_args();
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: o.rows,
            cols: o.cols,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap_or_else(|e| usage(&format!("cannot open a pseudo-terminal: {e}")));
    let exe = std::env::current_exe().unwrap_or_else(|e| usage(&format!("{e}")));
    let mut cmd = CommandBuilder::new(exe);
    cmd.args(&o.args);
    cmd.env(CHILD, "1");
    cmd.env("TERM", "xterm-256color");
    if let Ok(dir) = std::env::current_dir() {
        cmd.cwd(dir);
    }
    let mut child = pair
        .slave
        .spawn_command(cmd)
        .unwrap_or_else(|e| usage(&format!("cannot start the app: {e}")));
    drop(pair.slave);
    let parser = Arc::new(Mutex::new(vt100::Parser::new(nz(o.rows), nz(o.cols), 0)));
    let mut reader = pair
        .master
        .try_clone_reader()
        .unwrap_or_else(|e| usage(&format!("{e}")));
    let sink = Arc::clone(&parser);
    thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock()
                .unwrap_or_else(|e| e.into_inner())
                .process(&buf[..n]);
        }
    });
    let mut writer = pair
        .master
        .take_writer()
        .unwrap_or_else(|e| usage(&format!("{e}")));
    let pause = || thread::sleep(Duration::from_secs_f64(o.delay));
    pause();
    for (i, step) in o.steps.iter().enumerate() {
        let label = match step {
            Step::Keys(keys) => {
                for k in keys.split_whitespace() {
                    let _ = writer.write_all(&key_bytes(k));
                    let _ = writer.flush();
                    // Esc alone must not be read as Alt+next key.
                    if k == "Escape" || k == "Esc" {
                        thread::sleep(Duration::from_millis(100));
                    }
                }
                format!("-k {keys:?}")
            }
            Step::Text(t) => {
                let _ = writer.write_all(t.as_bytes());
                let _ = writer.flush();
                format!("-t {t:?}")
            }
            Step::Wait(s) => {
                thread::sleep(Duration::from_secs_f64(*s));
                format!("-w {s}")
            }
        };
        pause();
        if o.every && i + 1 < o.steps.len() {
            println!("----- after {label} -----");
            println!("{}", screen(&parser));
        }
    }
    if o.every {
        println!("----- end -----");
    }
    println!("{}", screen(&parser));
    let code = match child.try_wait() {
        Ok(Some(status)) => status.exit_code() as i32,
        _ => {
            let _ = child.kill();
            0
        }
    };
    std::process::exit(code);
}
