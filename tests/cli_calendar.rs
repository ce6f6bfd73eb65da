//! `import calendar`, `export calendar`, `check calendar`, `calendar copy`
//! and the global `--dates`, run as a real process against a school made
//! with `init --preset jingxin`.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

mod common;
use common::cli::{BIN, Run, run};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/calendar")
        .join(name)
}

/// A temporary directory with a 靜心 school database.
fn school() -> (TempDir, PathBuf) {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("school.db");
    run(dir.path(), &db, &["init", "--preset", "jingxin"]).code(0);
    (dir, db)
}

fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn import(dir: &Path, db: &Path, file: &Path, more: &[&str]) -> Run {
    let mut args = vec!["import", "calendar", path_str(file)];
    args.extend_from_slice(more);
    run(dir, db, &args)
}

// ----------------------------------------------------------------- import

#[test]
fn importing_a_good_file_adds_it_once() {
    let (dir, db) = school();
    let file = fixture("jingxin-111-2.csv");
    let r = import(dir.path(), &db, &file, &[]);
    r.code(0);
    assert!(
        r.stdout
            .contains("UTF-8，7 列資料（7 列可匯入，0 列有問題）"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("已新增 7 筆期程，0 筆原本就有。"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("新建立的學期：111-2"), "{}", r.stdout);
    assert_eq!(r.stderr, "");

    let again = import(dir.path(), &db, &file, &[]);
    again.code(0);
    assert!(
        again.stdout.contains("已新增 0 筆期程，7 筆原本就有。"),
        "{}",
        again.stdout
    );
    assert!(!again.stdout.contains("新建立的學期"), "{}", again.stdout);
}

#[test]
fn a_file_with_bad_rows_imports_nothing_and_names_every_line() {
    let (dir, db) = school();
    let r = import(dir.path(), &db, &fixture("bad-rows.csv"), &[]);
    r.code(1);
    for line in [3, 4, 8, 9, 10, 11, 12, 13] {
        assert!(
            r.stderr.contains(&format!("第 {line} 行")),
            "line {line}: {}",
            r.stderr
        );
    }
    assert!(
        r.stderr.contains("「112.02.11~31」不是存在的日期"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("「112..08.01~10」的分隔符號重複了"),
        "{}",
        r.stderr
    );
    for good in [2, 5, 15] {
        assert!(
            !r.stderr.contains(&format!("第 {good} 行")),
            "good line {good} reported: {}",
            r.stderr
        );
    }
    assert!(r.stderr.contains("沒有匯入任何資料"), "{}", r.stderr);
    assert!(r.stderr.contains("--good-rows-only"), "{}", r.stderr);
    // Bad rows on stderr, one line each, then the refusal; none on stdout.
    assert_eq!(r.stderr.lines().count(), 9, "{}", r.stderr);
    assert!(!r.stdout.contains("第 3 行"), "{}", r.stdout);
    // Nothing was imported: exporting the term finds no calendar.
    let e = run(
        dir.path(),
        &db,
        &["export", "calendar", "--term", "111-2", "--format", "md"],
    );
    e.code(1);
    assert!(e.stderr.contains("沒有 111-2 學期的期程"), "{}", e.stderr);
}

#[test]
fn good_rows_only_imports_the_good_rows() {
    let (dir, db) = school();
    let r = import(
        dir.path(),
        &db,
        &fixture("bad-rows.csv"),
        &["--good-rows-only"],
    );
    r.code(0);
    assert!(r.stderr.contains("第 13 行"), "{}", r.stderr);
    assert!(!r.stdout.contains("第 13 行"), "{}", r.stdout);
    assert!(r.stdout.contains("已略過 8 列有問題的資料"), "{}", r.stdout);
    assert!(r.stdout.contains("已新增 3 筆期程"), "{}", r.stdout);
    let md = run(
        dir.path(),
        &db,
        &["export", "calendar", "--term", "111-2", "--format", "md"],
    );
    md.code(0);
    assert!(
        md.stdout.contains("學校提交<br>（含多元表現）"),
        "{}",
        md.stdout
    );
    assert!(md.stdout.contains("工作小組會議"), "{}", md.stdout);
}

#[test]
fn a_big5_file_is_imported() {
    let (dir, db) = school();
    let text = std::fs::read_to_string(fixture("jingxin-111-2.csv")).unwrap();
    let (bytes, _, unmappable) = encoding_rs::BIG5.encode(&text);
    assert!(!unmappable);
    let file = dir.path().join("big5.csv");
    std::fs::write(&file, &bytes).unwrap();
    let r = import(dir.path(), &db, &file, &[]);
    r.code(0);
    assert!(r.stdout.contains("Big5/CP950"), "{}", r.stdout);
    assert!(r.stdout.contains("已新增 7 筆期程"), "{}", r.stdout);
    // The same rows as the UTF-8 original: importing that adds nothing.
    let again = import(dir.path(), &db, &fixture("jingxin-111-2.csv"), &[]);
    assert!(again.stdout.contains("7 筆原本就有"), "{}", again.stdout);
    // Forcing UTF-8 on it is refused with the offset and the flag.
    let forced = import(dir.path(), &db, &file, &["--encoding", "utf-8"]);
    forced.code(1);
    assert!(forced.stderr.contains("位移 0"), "{}", forced.stderr);
    assert!(forced.stderr.contains("--encoding"), "{}", forced.stderr);
}

#[test]
fn unknown_headers_are_reported_in_english_too() {
    let (dir, db) = school();
    let r = import(dir.path(), &db, &fixture("english.csv"), &["--lang", "en"]);
    r.code(0);
    assert!(
        r.stdout
            .contains("Columns not recognised (their cells are not imported): \"Contact\""),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("Added 3 windows; 0 were already there."),
        "{}",
        r.stdout
    );
}

#[test]
fn import_usage_errors_and_missing_files() {
    let (dir, db) = school();
    let r = run(
        dir.path(),
        &db,
        &["import", "calendar", "x.csv", "--encoding", "latin1"],
    );
    r.code(2);
    assert!(r.stderr.contains("latin1"), "{}", r.stderr);
    let r = run(
        dir.path(),
        &db,
        &["import", "calendar", "x.csv", "--term", "111-3"],
    );
    r.code(2);
    assert!(r.stderr.contains("111-3"), "{}", r.stderr);
    let r = run(dir.path(), &db, &["import", "calendar", "missing.csv"]);
    r.code(1);
    assert!(r.stderr.contains("無法讀取「missing.csv」"), "{}", r.stderr);
    assert_eq!(r.stdout, "");
    // A file without the required columns says what it needs.
    let file = dir.path().join("cols.csv");
    std::fs::write(&file, "名稱,時間\nx,112.03.01\n").unwrap();
    let r = import(dir.path(), &db, &file, &[]);
    r.code(1);
    assert!(
        r.stderr.contains("缺少必要欄位：學期、作業內容、作業階段"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("「名稱」、「時間」"), "{}", r.stderr);
}

// ----------------------------------------------------------------- export

fn with_calendar() -> (TempDir, PathBuf) {
    let (dir, db) = school();
    import(dir.path(), &db, &fixture("jingxin-111-2.csv"), &[]).code(0);
    (dir, db)
}

#[test]
fn export_each_format_to_stdout() {
    let (dir, db) = with_calendar();
    let ex = |format: &str| {
        let r = run(
            dir.path(),
            &db,
            &["export", "calendar", "--term", "111-2", "--format", format],
        );
        r.code(0);
        assert_eq!(r.stderr, "");
        r.stdout
    };
    let html = ex("html");
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert!(html.contains("臺北市私立靜心高級中學 111 學年度第 2 學期 學習歷程檔案作業日程表"));
    assert!(html.contains("112.03.13~17"));
    let md = ex("md");
    assert!(md.starts_with("# 臺北市私立靜心高級中學"), "{md}");
    assert!(md.contains("| 112.03.13~17 | 學校提交學習歷程資料（學校提交；10、11 年級） | 註冊組 | 全國期限；國教署訂定 |"), "{md}");
    let ics = ex("ics");
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"));
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 7);
    assert!(ics.contains("DTSTART;VALUE=DATE:20230313\r\nDTEND;VALUE=DATE:20230318\r\n"));
    let csv = ex("csv");
    assert!(csv.starts_with("\u{feff}學期,開始,結束,作業內容"), "{csv}");
    assert!(csv.contains("\r\n111-2,112.03.06,112.03.10,各處室自我檢核,自我檢核,,教務處、學務處,否,學校提交學習歷程資料,\r\n"), "{csv}");
}

/// `export calendar` with the moment of export fixed by `PORTFOLIO_DESK_NOW`.
fn export_at(dir: &Path, db: &Path, now: &str, args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .current_dir(dir)
        .env("PORTFOLIO_DESK_TODAY", "2026-11-25")
        .env("PORTFOLIO_DESK_NOW", now)
        .env_remove("PORTFOLIO_DESK_LANG")
        .env_remove("PORTFOLIO_DESK_DATES")
        .args(["export", "calendar"])
        .args(args)
        .arg("--db")
        .arg(db)
        .output()
        .unwrap()
}

#[test]
fn ics_export_stamps_the_moment_and_each_windows_version_and_change() {
    let (dir, db) = with_calendar();
    let out = export_at(
        dir.path(),
        &db,
        "2026-11-25T09:30:00+08:00",
        &["--term", "111-2", "--format", "ics"],
    );
    assert_eq!(out.status.code(), Some(0));
    let ics = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = ics.split("\r\n").collect();
    assert_eq!(
        lines
            .iter()
            .filter(|l| **l == "DTSTAMP:20261125T013000Z")
            .count(),
        7,
        "{ics}"
    );
    assert_eq!(
        lines.iter().filter(|l| **l == "SEQUENCE:0").count(),
        7,
        "new windows"
    );
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.starts_with("LAST-MODIFIED:") && l.len() == 30 && l.ends_with('Z'))
            .count(),
        7,
        "{ics}"
    );
    assert!(!ics.contains("METHOD:"), "{ics}");
    // A moment that is not RFC 3339 is refused, quoting it.
    let bad = export_at(
        dir.path(),
        &db,
        "明天早上",
        &["--term", "111-2", "--format", "ics"],
    );
    assert_eq!(bad.status.code(), Some(1));
    let err = String::from_utf8(bad.stderr).unwrap();
    assert!(err.contains("PORTFOLIO_DESK_NOW「明天早上」"), "{err}");
    assert!(bad.stdout.is_empty());
}

#[test]
fn ics_export_of_a_term_with_settings_but_no_windows_is_refused_in_one_line() {
    let (dir, db) = with_calendar();
    {
        use portfolio_desk::domain::calendar::TermInfo;
        let mut store = portfolio_desk::store::Store::open(&db).unwrap();
        let mut info = TermInfo::new("115-1".parse().unwrap());
        info.closing = Some(chrono::NaiveDate::from_ymd_opt(2027, 1, 20).unwrap());
        store.save_term(&info, None).unwrap();
    }
    let out = dir.path().join("115-1.ics");
    for args in [
        vec!["export", "calendar", "--term", "115-1", "--format", "ics"],
        vec![
            "export",
            "calendar",
            "--term",
            "115-1",
            "--out",
            path_str(&out),
        ],
    ] {
        let r = run(dir.path(), &db, &args);
        r.code(1);
        assert_eq!(
            r.stderr.trim_end(),
            "portfolio-desk: 115-1 學期沒有期程：ICS 檔至少要有一個事件，無法匯出。",
            "{args:?}"
        );
        assert_eq!(r.stderr.lines().count(), 1);
        assert_eq!(r.stdout, "", "{args:?}");
    }
    assert!(!out.exists(), "no file written");
    // In English too; the other formats still export the empty term.
    let en = run(
        dir.path(),
        &db,
        &[
            "export", "calendar", "--term", "115-1", "--format", "ics", "--lang", "en",
        ],
    );
    en.code(1);
    assert!(
        en.stderr.contains("Term 115-1 has no windows"),
        "{}",
        en.stderr
    );
    run(
        dir.path(),
        &db,
        &["export", "calendar", "--term", "115-1", "--format", "md"],
    )
    .code(0);
}

#[test]
fn export_to_a_file_and_read_it_back() {
    let (dir, db) = with_calendar();
    let out = dir.path().join("111-2.csv");
    // The format comes from the extension.
    let r = run(
        dir.path(),
        &db,
        &[
            "export",
            "calendar",
            "--term",
            "111-2",
            "--out",
            path_str(&out),
        ],
    );
    r.code(0);
    assert!(
        r.stdout.contains("已把 111-2 學期的 7 筆期程匯出到"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("（csv）"), "{}", r.stdout);
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    // Importing the export changes nothing.
    let again = import(dir.path(), &db, &out, &[]);
    again.code(0);
    assert!(
        again.stdout.contains("已新增 0 筆期程，7 筆原本就有。"),
        "{}",
        again.stdout
    );

    let ics = dir.path().join("cal.txt");
    run(
        dir.path(),
        &db,
        &[
            "export",
            "calendar",
            "--term",
            "111-2",
            "--format",
            "ics",
            "--out",
            path_str(&ics),
        ],
    )
    .code(0);
    assert!(
        std::fs::read_to_string(&ics)
            .unwrap()
            .starts_with("BEGIN:VCALENDAR\r\n")
    );
}

#[test]
fn export_of_an_unknown_term_lists_the_terms_there_are() {
    let (dir, db) = with_calendar();
    // Without --term: the term of today (115-1), which has no calendar.
    let r = run(dir.path(), &db, &["export", "calendar", "--format", "md"]);
    r.code(1);
    assert_eq!(r.stdout, "");
    assert!(
        r.stderr
            .contains("沒有 115-1 學期的期程；已有的學期：111-2"),
        "{}",
        r.stderr
    );
    let r = run(
        dir.path(),
        &db,
        &["export", "calendar", "--term", "110-1", "--lang", "en"],
    );
    r.code(1);
    assert!(
        r.stderr
            .contains("There is no calendar for term 110-1; terms there are: 111-2"),
        "{}",
        r.stderr
    );
    let r = run(dir.path(), &db, &["export", "calendar", "--format", "pdf"]);
    r.code(2);
    assert!(r.stderr.contains("pdf"), "{}", r.stderr);
}

#[test]
fn dates_gregorian_changes_the_dates_shown() {
    let (dir, db) = with_calendar();
    let args = ["export", "calendar", "--term", "111-2", "--format", "md"];
    let roc = run(dir.path(), &db, &args);
    assert!(roc.stdout.contains("| 112.03.13~17 |"), "{}", roc.stdout);
    let mut greg_args = args.to_vec();
    greg_args.extend(["--dates", "gregorian"]);
    let greg = run(dir.path(), &db, &greg_args);
    greg.code(0);
    assert!(
        greg.stdout.contains("| 2023-03-13~2023-03-17 |"),
        "{}",
        greg.stdout
    );
    assert!(!greg.stdout.contains("112.03.13"), "{}", greg.stdout);
    // The environment does the same; the flag wins over it.
    let out = Command::new(BIN)
        .env("PORTFOLIO_DESK_TODAY", "2026-11-25")
        .env("PORTFOLIO_DESK_DATES", "gregorian")
        .env_remove("PORTFOLIO_DESK_LANG")
        .args(args)
        .arg("--db")
        .arg(&db)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("| 2023-03-13~2023-03-17 |"));
    let out = Command::new(BIN)
        .env("PORTFOLIO_DESK_TODAY", "2026-11-25")
        .env("PORTFOLIO_DESK_DATES", "gregorian")
        .env_remove("PORTFOLIO_DESK_LANG")
        .args(args)
        .args(["--dates", "roc", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("| 112.03.13~17 |"));
    let bad = run(dir.path(), &db, &["--dates", "julian", "presets"]);
    bad.code(2);
    assert!(bad.stderr.contains("julian"), "{}", bad.stderr);
}

// ------------------------------------------------------------------ check

#[test]
fn check_calendar_finds_a_two_day_confirmation_window() {
    let (dir, db) = school();
    // A database with a school and no calendar: nothing to find.
    let clean = run(dir.path(), &db, &["check", "calendar"]);
    clean.code(0);
    assert!(
        clean.stdout.contains("期程檢查：沒有發現問題。"),
        "{}",
        clean.stdout
    );

    import(dir.path(), &db, &fixture("confirm-short.csv"), &[]).code(0);
    let r = run(dir.path(), &db, &["check", "calendar"]);
    r.code(1);
    assert!(
        r.stdout.contains(
            "錯誤　115-1　收訖確認「學生確認收訖明細」115.10.20~21 只有 2 天，少於 3 天。"
        ),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("    原因：國教署規定：學生確認收訖明細的期間至少 3 天。"),
        "{}",
        r.stdout
    );
    assert!(r.stderr.contains("期程檢查：1 個錯誤"), "{}", r.stderr);

    // Another term, with no calendar there: refused, naming the terms.
    let other = run(dir.path(), &db, &["check", "calendar", "--term", "111-2"]);
    other.code(1);
    assert!(
        other.stderr.contains("已有的學期：115-1"),
        "{}",
        other.stderr
    );
}

#[test]
fn check_calendar_in_english_with_gregorian_dates() {
    let (dir, db) = school();
    import(dir.path(), &db, &fixture("confirm-short.csv"), &[]).code(0);
    let r = run(
        dir.path(),
        &db,
        &["check", "calendar", "--lang", "en", "--dates", "gregorian"],
    );
    r.code(1);
    assert!(
        r.stdout.contains("Error  115-1  Receipt confirmation"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("    Why: National rule"), "{}", r.stdout);
}

#[test]
fn check_calendar_file_reports_bad_rows_then_the_rules() {
    let (dir, db) = school();
    let r = run(
        dir.path(),
        &db,
        &[
            "check",
            "calendar",
            "--file",
            path_str(&fixture("bad-rows.csv")),
        ],
    );
    r.code(1);
    assert!(
        r.stdout
            .contains("錯誤　第 3 行「日期」欄：「112.02.11~31」"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("錯誤　第 13 行"), "{}", r.stdout);
    // The rules ran over the good rows: the upload row's term has no closing ceremony.
    assert!(
        r.stdout.contains("111-2 學期沒有登錄休業式日期"),
        "{}",
        r.stdout
    );
    assert!(r.stderr.contains("期程檢查：8 個錯誤"), "{}", r.stderr);

    let r = run(
        dir.path(),
        &db,
        &[
            "check",
            "calendar",
            "--file",
            path_str(&fixture("confirm-short.csv")),
        ],
    );
    r.code(1);
    assert!(
        r.stdout
            .contains("錯誤　115-1　第 3 行　收訖確認「學生確認收訖明細」115.10.20~21 只有 2 天"),
        "{}",
        r.stdout
    );
    // The file was only checked: the database still has no calendar.
    run(dir.path(), &db, &["check", "calendar"]).code(0);
}

#[test]
fn check_calendar_file_without_a_database_uses_the_national_rules() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("none.db");
    let r = run(
        dir.path(),
        &db,
        &[
            "check",
            "calendar",
            "--file",
            path_str(&fixture("confirm-short.csv")),
        ],
    );
    r.code(1);
    assert!(r.stdout.contains("只依全國共同規則檢查"), "{}", r.stdout);
    assert!(r.stdout.contains("只有 2 天"), "{}", r.stdout);
    assert!(
        !r.stdout.contains("至少要 1 場"),
        "no regulation rules: {}",
        r.stdout
    );
    assert!(!db.exists(), "checking a file creates no database");
}

// ------------------------------------------------------------------- copy

#[test]
fn calendar_copy_lists_new_dates_and_weekday_drift() {
    let (dir, db) = with_calendar();
    let r = run(dir.path(), &db, &["calendar", "copy", "--from", "111-2"]);
    r.code(0);
    assert!(
        r.stdout
            .contains("已把 111-2 學期的 7 筆期程複製到 112-2 學期"),
        "{}",
        r.stdout
    );
    // 112.03.13 (Monday) → 113.03.13 (Wednesday: 2024 is a leap year).
    assert!(
        r.stdout
            .contains("113.03.13~17　學校提交學習歷程資料（原 112.03.13~17）　週一 → 週三"),
        "{}",
        r.stdout
    );
    // 113.03.17 is a Sunday.
    assert!(
        r.stdout
            .contains("週一 → 週三，開始或結束日落在週末，請調整"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("113.04.12　工作小組會議（原 112.04.12）　週三 → 週五"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("筆期程落在週末，請檢查。"),
        "{}",
        r.stdout
    );

    // Copying again would duplicate: refused.
    let again = run(dir.path(), &db, &["calendar", "copy", "--from", "111-2"]);
    again.code(1);
    assert!(
        again.stderr.contains("112-2 學期已有 7 筆期程"),
        "{}",
        again.stderr
    );
    // A term with nothing to copy.
    let empty = run(dir.path(), &db, &["calendar", "copy", "--from", "110-1"]);
    empty.code(1);
    assert!(
        empty.stderr.contains("110-1 學期沒有任何期程可以複製"),
        "{}",
        empty.stderr
    );
    // The copy is there and exports in Gregorian dates on request.
    let md = run(
        dir.path(),
        &db,
        &[
            "export",
            "calendar",
            "--term",
            "112-2",
            "--format",
            "md",
            "--dates",
            "gregorian",
        ],
    );
    md.code(0);
    assert!(
        md.stdout.contains("| 2024-03-13~2024-03-17 |"),
        "{}",
        md.stdout
    );
}

#[test]
fn calendar_copy_in_english() {
    let (dir, db) = with_calendar();
    let r = run(
        dir.path(),
        &db,
        &["calendar", "copy", "--from", "111-2", "--lang", "en"],
    );
    r.code(0);
    assert!(
        r.stdout
            .contains("Copied 7 windows of term 111-2 to term 112-2"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("(was 112.03.13~17)  Mon → Wed, starts or ends on a weekend"),
        "{}",
        r.stdout
    );
}

#[test]
fn help_of_the_new_commands_is_localized() {
    let (dir, db) = school();
    for sub in [
        vec!["import", "calendar", "--help"],
        vec!["export", "calendar", "--help"],
        vec!["check", "calendar", "--help"],
        vec!["calendar", "copy", "--help"],
    ] {
        let zh = run(dir.path(), &db, &sub);
        zh.code(0);
        assert!(zh.stdout.contains("學期"), "{sub:?}: {}", zh.stdout);
        let mut en_args = sub.clone();
        en_args.extend(["--lang", "en"]);
        let en = run(dir.path(), &db, &en_args);
        en.code(0);
        assert!(
            !en.stdout
                .chars()
                .any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)),
            "{sub:?}: {}",
            en.stdout
        );
        assert!(en.stdout.contains("--dates"), "{}", en.stdout);
    }
}
