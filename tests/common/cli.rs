//! The binary run as a real process with a fixed clock (CLI tests); it acts
//! as the real OS login running the tests (see `real_login`).

use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;

pub const BIN: &str = env!("CARGO_BIN_EXE_portfolio-desk");

pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code,
            Some(code),
            "exit code\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.stdout,
            self.stderr
        );
        self
    }
}

/// The binary with a fixed clock, in `dir`, with `--db`.
pub fn run(dir: &Path, db: &Path, args: &[&str]) -> Run {
    let out = Command::new(BIN)
        .current_dir(dir)
        .env("PORTFOLIO_DESK_TODAY", "2026-11-25")
        .env_remove("PORTFOLIO_DESK_LANG")
        .env_remove("PORTFOLIO_DESK_DATES")
        .timeout(Duration::from_secs(30))
        .args(args)
        .arg("--db")
        .arg(db)
        .output()
        .unwrap();
    Run {
        code: out.status.code(),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// The OS login the binary acts as (the real user running the tests).
pub fn real_login() -> String {
    let out = std::process::Command::new("id")
        .arg("-un")
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}
