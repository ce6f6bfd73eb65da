//! The command line's own words in the UI language (help, errors, `help
//! COMMAND`), shell completions, the environment variables shown in `--help`
//! and read as options, and bad import rows on stderr.

mod common;
use std::time::Duration;

use assert_cmd::Command;
use common::cli::BIN;
use tempfile::TempDir;

struct Out {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn go(dir: &std::path::Path, envs: &[(&str, &str)], args: &[&str]) -> Out {
    let mut c = Command::new(BIN);
    c.current_dir(dir)
        .env("PORTFOLIO_DESK_TODAY", "2026-11-25")
        .env("PORTFOLIO_DESK_USER", "tester")
        .env_remove("PORTFOLIO_DESK_LANG")
        .env_remove("PORTFOLIO_DESK_DATES")
        .env_remove("PORTFOLIO_DESK_DB")
        .timeout(Duration::from_secs(30))
        .args(args);
    for (k, v) in envs {
        c.env(k, v);
    }
    let o = c.output().unwrap();
    Out {
        code: o.status.code(),
        stdout: String::from_utf8(o.stdout).unwrap(),
        stderr: String::from_utf8(o.stderr).unwrap(),
    }
}

/// English words clap writes on its own; none may show in Chinese output.
const CLAP_ENGLISH: &[&str] = &[
    "Usage:",
    "Options:",
    "Commands:",
    "Arguments:",
    "Print help",
    "Print version",
    "error:",
    "[OPTIONS]",
    "For more information",
    "tip:",
    "[env:",
];

fn no_clap_english(text: &str) {
    for w in CLAP_ENGLISH {
        assert!(!text.contains(w), "{w:?} in:\n{text}");
    }
}

#[test]
fn help_is_in_chinese_everywhere_and_english_with_lang_en() {
    let dir = TempDir::new().unwrap();
    let top = go(dir.path(), &[], &["--help"]);
    assert_eq!(top.code, Some(0));
    no_clap_english(&top.stdout);
    for want in [
        "用法：portfolio-desk [選項] [命令]",
        "命令：",
        "選項：",
        "顯示說明",
        "顯示版本",
        "help",
    ] {
        assert!(top.stdout.contains(want), "{want}:\n{}", top.stdout);
    }
    for args in [
        &["import", "receipts", "--help"][..],
        &["check", "calendar", "-h"],
        &["export", "notices", "--help"],
        &["help", "import", "receipts"],
        &["help"],
        &["completions", "--help"],
    ] {
        let o = go(dir.path(), &[], args);
        assert_eq!(o.code, Some(0), "{args:?}: {}", o.stderr);
        no_clap_english(&o.stdout);
        assert!(o.stdout.contains("用法："), "{args:?}:\n{}", o.stdout);
    }
    let en = go(
        dir.path(),
        &[],
        &["--lang", "en", "import", "receipts", "--help"],
    );
    assert!(
        en.stdout
            .contains("Usage: portfolio-desk import receipts [OPTIONS] <FILE>"),
        "{}",
        en.stdout
    );
    assert!(en.stdout.contains("Print help"), "{}", en.stdout);
    let en = go(dir.path(), &[("PORTFOLIO_DESK_LANG", "en")], &["help"]);
    assert!(
        en.stdout.contains("Commands:") && en.stdout.contains("completions"),
        "{}",
        en.stdout
    );
}

#[test]
fn help_command_shows_a_commands_help_like_dash_dash_help() {
    let dir = TempDir::new().unwrap();
    let a = go(dir.path(), &[], &["help", "check", "calendar"]);
    let b = go(dir.path(), &[], &["check", "calendar", "--help"]);
    assert_eq!(a.code, Some(0));
    assert_eq!(a.stdout, b.stdout);
    assert!(a.stdout.contains("--file"), "{}", a.stdout);
    let bad = go(dir.path(), &[], &["help", "nope"]);
    assert_eq!(bad.code, Some(1));
    assert!(bad.stderr.contains("「nope」"), "{}", bad.stderr);
}

#[test]
fn usage_errors_are_in_the_ui_language_with_exit_2() {
    let dir = TempDir::new().unwrap();
    let o = go(dir.path(), &[], &["hepl"]);
    assert_eq!(o.code, Some(2));
    no_clap_english(&o.stderr);
    assert!(
        o.stderr.starts_with("錯誤：無法辨識的命令「hepl」"),
        "{}",
        o.stderr
    );
    assert!(o.stderr.contains("「help」"), "suggests help: {}", o.stderr);
    let o = go(dir.path(), &[], &["who"]);
    assert_eq!(o.code, Some(2));
    no_clap_english(&o.stderr);
    assert!(
        o.stderr.contains("缺少必要的參數：--position"),
        "{}",
        o.stderr
    );
    let o = go(dir.path(), &[], &["--bogus"]);
    assert_eq!(o.code, Some(2));
    assert!(o.stderr.contains("「--bogus」"), "{}", o.stderr);
    let o = go(dir.path(), &[], &["--lang", "en", "who"]);
    assert!(
        o.stderr
            .starts_with("error: missing required arguments: --position"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains("Usage: portfolio-desk who"),
        "{}",
        o.stderr
    );
}

#[test]
fn completions_for_bash_zsh_and_fish() {
    let dir = TempDir::new().unwrap();
    for (shell, mark) in [
        ("bash", "complete -F _portfolio__desk"),
        ("zsh", "#compdef portfolio-desk"),
        ("fish", "complete -c portfolio-desk"),
    ] {
        let o = go(dir.path(), &[], &["completions", shell]);
        assert_eq!(o.code, Some(0), "{shell}: {}", o.stderr);
        assert!(
            o.stdout.contains(mark),
            "{shell}: {}",
            &o.stdout[..o.stdout.len().min(400)]
        );
        assert!(
            o.stdout.contains("receipts"),
            "{shell} knows the subcommands"
        );
    }
    let o = go(dir.path(), &[], &["completions", "tcsh"]);
    assert_eq!(o.code, Some(2));
    assert!(o.stderr.contains("「tcsh」"), "{}", o.stderr);
}

#[test]
fn environment_variables_are_shown_in_help_and_read() {
    let dir = TempDir::new().unwrap();
    let help = go(dir.path(), &[], &["--help"]).stdout;
    for v in [
        "PORTFOLIO_DESK_DB",
        "PORTFOLIO_DESK_LANG",
        "PORTFOLIO_DESK_DATES",
        "PORTFOLIO_DESK_ASCII",
        "--ascii",
    ] {
        assert!(help.contains(v), "{v} not in --help:\n{help}");
    }
    let db = dir.path().join("env.db");
    let db_s = db.to_str().unwrap();
    let o = go(
        dir.path(),
        &[("PORTFOLIO_DESK_DB", db_s)],
        &["init", "--preset", "fengshan"],
    );
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    assert!(db.exists(), "PORTFOLIO_DESK_DB names the database");
    // --db wins over the variable.
    let other = dir.path().join("other.db");
    let o = go(
        dir.path(),
        &[("PORTFOLIO_DESK_DB", db_s)],
        &[
            "--db",
            other.to_str().unwrap(),
            "init",
            "--preset",
            "taitung",
        ],
    );
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    assert!(other.exists());
    // Language and date style from the environment, the flag winning.
    let who = ["who", "--position", "註冊組長", "--date", "2026-11-25"];
    let zh = go(dir.path(), &[("PORTFOLIO_DESK_DB", db_s)], &who);
    let en = go(
        dir.path(),
        &[("PORTFOLIO_DESK_DB", db_s), ("PORTFOLIO_DESK_LANG", "en")],
        &who,
    );
    assert_ne!(zh.stdout + &zh.stderr, en.stdout.clone() + &en.stderr);
    let en_help = go(dir.path(), &[("PORTFOLIO_DESK_LANG", "en")], &["--help"]).stdout;
    assert!(en_help.contains("Usage:"), "{en_help}");
    let flag_wins = go(
        dir.path(),
        &[("PORTFOLIO_DESK_LANG", "en")],
        &["--lang", "zh-TW", "--help"],
    )
    .stdout;
    assert!(flag_wins.contains("用法："), "{flag_wins}");
    // A value the option would refuse is ignored, as before.
    let o = go(
        dir.path(),
        &[("PORTFOLIO_DESK_LANG", "klingon")],
        &["--help"],
    );
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    assert!(o.stdout.contains("用法："));
    let o = go(
        dir.path(),
        &[("PORTFOLIO_DESK_DATES", "mayan")],
        &["--help"],
    );
    assert_eq!(o.code, Some(0), "{}", o.stderr);
}

#[test]
fn every_import_lists_bad_rows_on_stderr_only() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("s.db");
    let db_s = db.to_str().unwrap();
    let env = [("PORTFOLIO_DESK_DB", db_s)];
    assert_eq!(
        go(dir.path(), &env, &["init", "--preset", "jingxin"]).code,
        Some(0)
    );
    let write = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p.to_str().unwrap().to_string()
    };
    let cal = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/calendar/bad-rows.csv"),
    )
    .unwrap();
    let cal = write("cal.csv", &cal);
    let rc = write(
        "rc.csv",
        "學號,姓名,班級,座號,類別,項目,件數,學期\n113001,王小明,301,1,課程學習成果,數學專題,2,115-1\n113005,黃,302,5,基本資料,,二,115-1\n",
    );
    let st = write("st.csv", "學號,電子郵件\n113002,nobody\n113010,a@b.tw\n");
    for (what, file) in [("calendar", &cal), ("receipts", &rc), ("students", &st)] {
        for more in [&[][..], &["--good-rows-only"]] {
            let mut args = vec!["import", what, file.as_str()];
            args.extend_from_slice(more);
            let o = go(dir.path(), &env, &args);
            // Each bad row ("第 N 行…") is on stderr and not on stdout.
            let bad: Vec<&str> = o.stderr.lines().filter(|l| l.starts_with("第 ")).collect();
            assert!(
                !bad.is_empty(),
                "{what} {more:?}: stderr {:?} stdout {:?}",
                o.stderr,
                o.stdout
            );
            for l in bad {
                assert!(!o.stdout.contains(l), "{what}: {l:?} on stdout too");
            }
            assert!(
                !o.stdout.lines().any(|l| l.starts_with("第 ")),
                "{what}: {}",
                o.stdout
            );
        }
    }
}
