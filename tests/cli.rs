//! The command line, run as a real process: exit codes (0 ok, 1 error as one
//! line on stderr, 2 usage), messages in both languages, and that nothing is
//! written where it must not be.
//!
//! Every run gets its own temporary directory and `--db` inside it, a fixed
//! clock (`PORTFOLIO_DESK_TODAY=2026-11-25`, ROC 115.11.25) and a fixed user.

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_portfolio-desk");

const SCHOOLS: [(&str, &str, u32); 4] = [
    ("fengshan", "國立鳳山高級商工職業學校", 19),
    ("taitung", "國立臺東高級中學", 17),
    ("yuren", "臺東縣私立育仁高級中學", 9),
    ("jingxin", "臺北市私立靜心高級中學", 13),
];

/// The binary with a fixed clock and user, run inside `dir`, never hanging.
fn cmd(dir: &Path) -> Command {
    let mut c = Command::new(BIN);
    c.current_dir(dir)
        .env("PORTFOLIO_DESK_TODAY", "2026-11-25")
        .env_remove("PORTFOLIO_DESK_LANG")
        .timeout(Duration::from_secs(20));
    c
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(c: &mut Command) -> Run {
    let out = c.output().expect("run portfolio-desk");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

impl Run {
    fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code,
            Some(code),
            "exit code\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    /// An error run: exit 1, nothing on stdout, exactly one line on stderr
    /// starting with `portfolio-desk: `, and no panic. Returns that line.
    fn one_line_error(&self) -> &str {
        self.expect_code(1);
        assert_eq!(self.stdout, "", "an error prints nothing on stdout");
        assert!(
            !self.stderr.contains("panicked") && !self.stderr.contains("RUST_BACKTRACE"),
            "panic: {}",
            self.stderr
        );
        let lines: Vec<&str> = self.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "one line on stderr, got {:?}", self.stderr);
        assert!(
            lines[0].starts_with("portfolio-desk: "),
            "stderr line starts with the program name: {:?}",
            lines[0]
        );
        assert!(
            lines[0].len() > "portfolio-desk: ".len() + 5,
            "the message says something: {:?}",
            lines[0]
        );
        lines[0]
    }
}

fn has_cjk(s: &str) -> bool {
    s.chars()
        .any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{3000}'..='\u{303F}').contains(&c))
}

fn db(dir: &TempDir, name: &str) -> PathBuf {
    dir.path().join(name)
}

// ---------------------------------------------------------------- presets

#[test]
fn presets_lists_the_four_schools_with_seat_counts() {
    let dir = TempDir::new().unwrap();
    let r = run(cmd(dir.path()).arg("presets"));
    r.expect_code(0);
    assert_eq!(r.stderr, "");
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 4, "four presets: {:?}", r.stdout);
    for (line, (key, name, seats)) in lines.iter().zip(SCHOOLS) {
        assert!(line.starts_with(key), "{line:?} starts with {key}");
        assert!(line.contains(name), "{line:?} names {name}");
        assert!(
            line.contains(&format!("{seats} 席")),
            "{line:?} has {seats} 席"
        );
    }
}

#[test]
fn presets_in_english_counts_seats_in_english() {
    let dir = TempDir::new().unwrap();
    let r = run(cmd(dir.path()).args(["--lang", "en", "presets"]));
    r.expect_code(0);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 4, "four presets: {:?}", r.stdout);
    for (line, (key, name, seats)) in lines.iter().zip(SCHOOLS) {
        assert!(line.starts_with(key), "{line:?} starts with {key}");
        // School names are proper names: they stay Chinese.
        assert!(line.contains(name), "{line:?} names {name}");
        assert!(
            line.contains(&format!("{seats} seats")),
            "{line:?} has {seats} seats"
        );
        assert!(!line.contains(" 席"), "{line:?} is not half Chinese");
    }
    // `--lang` also works after the subcommand and from the environment.
    let after = run(cmd(dir.path()).args(["presets", "--lang", "en"]));
    after.expect_code(0);
    assert_eq!(after.stdout, r.stdout);
    let env = run(cmd(dir.path())
        .env("PORTFOLIO_DESK_LANG", "en")
        .arg("presets"));
    env.expect_code(0);
    assert_eq!(env.stdout, r.stdout);
}

// ---------------------------------------------------------------- rules

#[test]
fn rules_text_prints_the_regulation_from_the_repository() {
    let dir = TempDir::new().unwrap();
    for (key, file) in [
        ("jingxin", "jingxin-senior-high.txt"),
        ("fengshan", "fengshan-vocational.txt"),
        ("taitung", "taitung-senior-high.txt"),
        ("yuren", "yuren-senior-high.txt"),
    ] {
        let r = run(cmd(dir.path()).args(["rules", "--preset", key, "--text"]));
        r.expect_code(0);
        assert_eq!(r.stderr, "");
        let on_disk = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("assets/regulations")
                .join(file),
        )
        .unwrap();
        let trimmed: Vec<&str> = on_disk.lines().map(str::trim_end).collect();
        assert_eq!(r.stdout.lines().collect::<Vec<_>>(), trimmed, "{key}");
    }
    let r = run(cmd(dir.path()).args(["rules", "--preset", "jingxin", "--text"]));
    let title = r.stdout.lines().find(|l| !l.trim().is_empty()).unwrap();
    assert_eq!(
        title.trim(),
        "臺北市私立靜心高級中學建置學生學習歷程檔案作業補充規定"
    );
}

#[test]
fn rules_lists_each_rule_with_its_article_in_the_texts_order() {
    let dir = TempDir::new().unwrap();
    let r = run(cmd(dir.path()).args(["rules", "--preset", "jingxin"]));
    r.expect_code(0);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "臺北市私立靜心高級中學建置學生學習歷程檔案作業補充規定"
    );
    assert!(
        lines[1].contains("assets/regulations/jingxin-senior-high.txt"),
        "{}",
        lines[1]
    );
    assert!(
        lines[3].starts_with("三、　工作小組與會議：「工作小組每學期應至少召開一次會議"),
        "{}",
        lines[3]
    );
    assert!(
        r.stdout.contains(
            "八、　保存年限：「離校生之學習歷程檔案資料，保存1年；達保存年限後，始得刪除。」"
        ),
        "{}",
        r.stdout
    );
    // A clause two rules quote is listed once, with both.
    assert!(
        r.stdout.contains("七、　代理人、教師認證代理："),
        "{}",
        r.stdout
    );
    let articles: Vec<&str> = lines[3..]
        .iter()
        .map(|l| l.split('　').next().unwrap())
        .collect();
    let first = |a: &str| articles.iter().position(|x| x.starts_with(a)).unwrap();
    assert!(first("三、") < first("八、") && first("八、") < first("十二、"));
    // 育仁 numbers its articles under chapters.
    let y = run(cmd(dir.path()).args(["rules", "--preset", "yuren"]));
    assert!(y.stdout.contains("肆、四、　保存年限"), "{}", y.stdout);
    // In English, the kinds are English and the quotes stay as written.
    let en = run(cmd(dir.path()).args(["--lang", "en", "rules", "--preset", "jingxin"]));
    en.expect_code(0);
    assert!(
        en.stdout
            .contains("八、  Retention: \"離校生之學習歷程檔案資料"),
        "{}",
        en.stdout
    );
}

#[test]
fn rules_without_a_preset_uses_the_databases_school() {
    let dir = TempDir::new().unwrap();
    let path = db(&dir, "s.db");
    run(cmd(dir.path())
        .args(["init", "--preset", "yuren", "--db"])
        .arg(&path))
    .expect_code(0);
    let r = run(cmd(dir.path()).args(["rules", "--db"]).arg(&path));
    r.expect_code(0);
    assert!(
        r.stdout.starts_with("臺東縣私立育仁高級中學建置"),
        "{}",
        r.stdout
    );
    // No database and no preset: one line naming the missing file.
    let missing = db(&dir, "none.db");
    let e = run(cmd(dir.path()).args(["rules", "--db"]).arg(&missing));
    assert!(e.one_line_error().contains("none.db"));
    assert!(!missing.exists(), "rules does not create a database");
}

#[test]
fn a_calendar_finding_from_the_schools_rules_cites_its_article() {
    let dir = TempDir::new().unwrap();
    let path = db(&dir, "s.db");
    run(cmd(dir.path())
        .args(["init", "--preset", "taitung", "--db"])
        .arg(&path))
    .expect_code(0);
    let csv = dir.path().join("c.csv");
    std::fs::write(
        &csv,
        "學期,作業內容,日期,階段\n115-1,上傳,115.10.01~10.05,上傳\n",
    )
    .unwrap();
    run(cmd(dir.path())
        .args(["import", "calendar"])
        .arg(&csv)
        .arg("--db")
        .arg(&path))
    .expect_code(0);
    let r = run(cmd(dir.path())
        .args(["check", "calendar", "--term", "115-1", "--db"])
        .arg(&path));
    r.expect_code(1);
    assert!(
        r.stdout
            .contains("工作小組每學期至少開會 1 次。（見補充規定 三、）"),
        "{}",
        r.stdout
    );
}

#[test]
fn rules_with_an_unknown_preset_quotes_it() {
    let dir = TempDir::new().unwrap();
    let r = run(cmd(dir.path()).args(["rules", "--preset", "jingxn", "--text"]));
    let line = r.one_line_error();
    assert!(
        line.contains("「jingxn」") && line.contains("jingxin"),
        "{line}"
    );
}

// ---------------------------------------------------------------- init

#[test]
fn init_creates_the_school_database() {
    let dir = TempDir::new().unwrap();
    let path = db(&dir, "x.db");
    let r = run(cmd(dir.path())
        .args(["init", "--preset", "jingxin", "--db"])
        .arg(&path));
    r.expect_code(0);
    assert_eq!(r.stderr, "");
    assert_eq!(r.stdout.lines().count(), 1, "one line: {:?}", r.stdout);
    assert!(r.stdout.contains("臺北市私立靜心高級中學"), "{}", r.stdout);
    assert!(
        r.stdout.contains(&path.display().to_string()),
        "names the path: {}",
        r.stdout
    );
    let meta = std::fs::metadata(&path).expect("the database file exists");
    assert!(meta.len() > 0, "the database file is not empty");
}

#[test]
fn init_creates_missing_parent_directories() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("a").join("b").join("school.db");
    let r = run(cmd(dir.path())
        .args(["init", "--preset", "yuren", "--db"])
        .arg(&path));
    r.expect_code(0);
    assert!(r.stdout.contains("臺東縣私立育仁高級中學"), "{}", r.stdout);
    assert!(path.is_file());
}

#[test]
fn init_twice_refuses_and_keeps_the_first_school() {
    let dir = TempDir::new().unwrap();
    let path = db(&dir, "x.db");
    run(cmd(dir.path())
        .args(["init", "--preset", "jingxin", "--db"])
        .arg(&path))
    .expect_code(0);
    let before = std::fs::read(&path).unwrap();

    // Same preset again.
    let again = run(cmd(dir.path())
        .args(["init", "--preset", "jingxin", "--db"])
        .arg(&path));
    let line = again.one_line_error();
    assert!(
        line.contains("臺北市私立靜心高級中學"),
        "names the existing school: {line}"
    );

    // Another preset on the same file: still refused, and it names the school
    // that is there, not the one asked for.
    let other = run(cmd(dir.path())
        .args(["init", "--preset", "fengshan", "--db"])
        .arg(&path));
    let line = other.one_line_error();
    assert!(
        line.contains("臺北市私立靜心高級中學"),
        "names the existing school: {line}"
    );
    assert!(
        !line.contains("鳳山"),
        "does not claim to have made Fengshan: {line}"
    );

    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the database was not touched"
    );

    let en = run(cmd(dir.path())
        .args(["--lang", "en", "init", "--preset", "taitung", "--db"])
        .arg(&path));
    let line = en.one_line_error();
    assert!(line.contains("臺北市私立靜心高級中學"), "{line}");
}

#[test]
fn init_with_an_unknown_preset_lists_the_known_ones() {
    let dir = TempDir::new().unwrap();
    let path = db(&dir, "y.db");
    let r = run(cmd(dir.path())
        .args(["init", "--preset", "nope", "--db"])
        .arg(&path));
    let line = r.one_line_error();
    assert!(line.contains("「nope」"), "quotes the name: {line}");
    for (key, _, _) in SCHOOLS {
        assert!(line.contains(key), "lists {key}: {line}");
    }
    assert!(!path.exists(), "no database file for a failed init");

    let en = run(cmd(dir.path())
        .args(["--lang", "en", "init", "--preset", "nope", "--db"])
        .arg(&path));
    let line = en.one_line_error();
    assert!(
        line.contains("\"nope\""),
        "quotes the name in English: {line}"
    );
    assert!(!line.contains("「"), "English quotes: {line}");
    for (key, _, _) in SCHOOLS {
        assert!(line.contains(key), "lists {key}: {line}");
    }
    assert!(!path.exists());
}

#[test]
fn init_needs_a_preset() {
    let dir = TempDir::new().unwrap();
    let path = db(&dir, "x.db");
    let r = run(cmd(dir.path()).arg("init").arg("--db").arg(&path));
    r.expect_code(2);
    assert!(
        r.stderr.contains("--preset"),
        "usage names --preset: {}",
        r.stderr
    );
    assert!(!path.exists());
}

#[test]
fn init_on_a_directory_fails_with_one_line() {
    let dir = TempDir::new().unwrap();
    let sub = dir.path().join("folder");
    std::fs::create_dir(&sub).unwrap();
    let r = run(cmd(dir.path())
        .args(["init", "--preset", "jingxin", "--db"])
        .arg(&sub));
    let line = r.one_line_error();
    assert!(
        line.contains(&format!("「{}」", sub.display())),
        "quotes the path: {line}"
    );
}

// ---------------------------------------------------------------- usage

#[test]
fn unknown_subcommands_and_flags_are_usage_errors() {
    let dir = TempDir::new().unwrap();
    let path = db(&dir, "x.db");
    let r = run(cmd(dir.path()).arg("frobnicate").arg("--db").arg(&path));
    r.expect_code(2);
    assert!(r.stderr.contains("frobnicate"), "{}", r.stderr);
    assert_eq!(r.stdout, "");

    let r = run(cmd(dir.path()).arg("--frobnicate").arg("--db").arg(&path));
    r.expect_code(2);
    assert!(r.stderr.contains("--frobnicate"), "{}", r.stderr);

    let r = run(cmd(dir.path()).args(["presets", "--reset"]));
    r.expect_code(2);
    assert!(r.stderr.contains("--reset"), "{}", r.stderr);

    assert!(!path.exists(), "a usage error creates no database");
}

#[test]
fn an_unknown_language_is_a_usage_error_that_quotes_it() {
    let dir = TempDir::new().unwrap();
    let r = run(cmd(dir.path()).args(["--lang", "xx", "presets"]));
    r.expect_code(2);
    assert!(r.stderr.contains("xx"), "quotes xx: {}", r.stderr);
    assert!(
        r.stderr.contains("--lang"),
        "names the option: {}",
        r.stderr
    );
    assert_eq!(r.stdout, "");
}

#[test]
fn help_is_chinese_by_default_and_english_with_lang_en() {
    let dir = TempDir::new().unwrap();
    let zh = run(cmd(dir.path()).arg("--help"));
    zh.expect_code(0);
    for word in ["init", "presets", "demo", "--db", "--lang"] {
        assert!(
            zh.stdout.contains(word),
            "help mentions {word}:\n{}",
            zh.stdout
        );
    }
    assert!(
        zh.stdout.contains("範本"),
        "zh-TW help is Chinese:\n{}",
        zh.stdout
    );
    assert!(
        zh.stdout.contains("範例"),
        "zh-TW help has the examples:\n{}",
        zh.stdout
    );

    let en = run(cmd(dir.path()).args(["--lang", "en", "--help"]));
    en.expect_code(0);
    for word in ["init", "presets", "demo", "--db", "--lang", "preset"] {
        assert!(
            en.stdout.contains(word),
            "help mentions {word}:\n{}",
            en.stdout
        );
    }
    assert!(
        !has_cjk(&en.stdout),
        "English help has no Chinese left in it:\n{}",
        en.stdout
    );

    // Subcommand help is localized too.
    let sub = run(cmd(dir.path()).args(["init", "--help"]));
    sub.expect_code(0);
    assert!(sub.stdout.contains("--preset"), "{}", sub.stdout);
    assert!(has_cjk(&sub.stdout), "{}", sub.stdout);
    let sub_en = run(cmd(dir.path()).args(["--lang", "en", "init", "--help"]));
    sub_en.expect_code(0);
    assert!(sub_en.stdout.contains("--preset"), "{}", sub_en.stdout);
    assert!(!has_cjk(&sub_en.stdout), "{}", sub_en.stdout);
}

#[test]
fn version_prints_the_package_version() {
    let dir = TempDir::new().unwrap();
    let r = run(cmd(dir.path()).arg("--version"));
    r.expect_code(0);
    assert!(r.stdout.contains(env!("CARGO_PKG_VERSION")), "{}", r.stdout);
}

// ---------------------------------------------------------------- the TUI without a terminal

#[test]
fn the_tui_refuses_to_start_without_a_terminal() {
    let dir = TempDir::new().unwrap();
    let path = db(&dir, "x.db");
    run(cmd(dir.path())
        .args(["init", "--preset", "jingxin", "--db"])
        .arg(&path))
    .expect_code(0);

    // assert_cmd pipes stdout and gives an empty stdin: not a terminal.
    let r = run(cmd(dir.path()).arg("--db").arg(&path));
    let line = r.one_line_error();
    assert!(line.contains("終端機"), "says a terminal is needed: {line}");

    let en = run(cmd(dir.path()).args(["--lang", "en", "--db"]).arg(&path));
    let line = en.one_line_error();
    assert!(
        line.contains("terminal"),
        "says a terminal is needed: {line}"
    );

    let demo = run(cmd(dir.path())
        .args(["demo", "--db"])
        .arg(db(&dir, "demo.db")));
    let line = demo.one_line_error();
    assert!(line.contains("終端機"), "{line}");
}

#[test]
fn a_file_that_is_not_a_database_is_refused_and_left_alone() {
    let dir = TempDir::new().unwrap();
    let path = db(&dir, "notes.db");
    let text = "這不是資料庫 — just some notes about the committee meeting.\n".repeat(100);
    std::fs::write(&path, &text).unwrap();
    let quoted = format!("「{}」", path.display());

    let r = run(cmd(dir.path()).arg("--db").arg(&path));
    let line = r.one_line_error();
    assert!(line.contains(&quoted), "quotes the path: {line}");

    let r = run(cmd(dir.path())
        .args(["init", "--preset", "jingxin", "--db"])
        .arg(&path));
    let line = r.one_line_error();
    assert!(line.contains(&quoted), "quotes the path: {line}");

    let r = run(cmd(dir.path()).args(["demo", "--db"]).arg(&path));
    let line = r.one_line_error();
    assert!(line.contains(&quoted), "quotes the path: {line}");

    let en = run(cmd(dir.path()).args(["--lang", "en", "--db"]).arg(&path));
    let line = en.one_line_error();
    assert!(
        line.contains(&format!("\"{}\"", path.display())),
        "quotes the path in English: {line}"
    );

    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        text,
        "the file was not changed"
    );
}

#[test]
fn a_short_text_file_is_not_a_database_either() {
    let dir = TempDir::new().unwrap();
    let path = db(&dir, "small.db");
    std::fs::write(&path, "hello\n").unwrap();
    let r = run(cmd(dir.path())
        .args(["init", "--preset", "jingxin", "--db"])
        .arg(&path));
    let line = r.one_line_error();
    assert!(line.contains(&format!("「{}」", path.display())), "{line}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "hello\n");
}

#[test]
fn an_impossible_today_is_reported_with_the_date_quoted() {
    let dir = TempDir::new().unwrap();
    let path = db(&dir, "x.db");
    let r = run(cmd(dir.path())
        .env("PORTFOLIO_DESK_TODAY", "112.02.31")
        .args(["init", "--preset", "jingxin", "--db"])
        .arg(&path));
    let line = r.one_line_error();
    assert!(line.contains("「112.02.31」"), "quotes the date: {line}");

    let en = run(cmd(dir.path())
        .env("PORTFOLIO_DESK_TODAY", "112.02.31")
        .args(["--lang", "en", "init", "--preset", "jingxin", "--db"])
        .arg(&path));
    let line = en.one_line_error();
    assert!(line.contains("\"112.02.31\""), "quotes the date: {line}");

    // A good date afterwards works.
    let ok = run(cmd(dir.path())
        .args(["init", "--preset", "jingxin", "--db"])
        .arg(&path));
    ok.expect_code(0);
}
