//! `export checklist` and `check checklists`, run as a real process against
//! the demo school (靜心's two checklists for academic year 115, built with
//! `demo::seed`) and against a fresh `init --preset jingxin` school.

use std::path::PathBuf;

use assert_cmd::Command;
use chrono::NaiveDate;
use tempfile::TempDir;

mod common;
use common::cli::{BIN, run};

/// A temporary directory with the demo school as of 2026-11-25 (115.11.25).
fn demo() -> (TempDir, PathBuf) {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("demo.db");
    let mut s = portfolio_desk::store::Store::open(&db).unwrap();
    s.set_user("registry");
    portfolio_desk::demo::seed(&mut s, NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()).unwrap();
    drop(s);
    (dir, db)
}

/// A temporary directory with a fresh 靜心 school (no checklists).
fn fresh() -> (TempDir, PathBuf) {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("school.db");
    run(dir.path(), &db, &["init", "--preset", "jingxin"]).code(0);
    (dir, db)
}

fn bom_text(bytes: &[u8]) -> String {
    let rest = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .expect("the CSV starts with a UTF-8 BOM");
    String::from_utf8(rest.to_vec()).unwrap()
}

// ------------------------------------------------------------------ check

#[test]
fn the_check_on_the_demo_finds_overdue_items_and_the_unreadable_date() {
    let (dir, db) = demo();
    let r = run(dir.path(), &db, &["check", "checklists"]);
    r.code(1);
    let out = &r.stdout;
    // Grouped under each checklist's name.
    assert!(out.contains("115 學年度 十、十一年級："), "{out}");
    assert!(out.contains("115 學年度 十二年級："), "{out}");
    // An overdue item: the demo leaves some items that fell due in progress.
    assert!(out.contains("已逾期：應於"), "{out}");
    assert!(out.contains("目前進行中"), "{out}");
    // 靜心's typo, moved from 111 to 115 with the rest: 112..08.01~10 → 116..08.01~10.
    assert!(
        out.contains("「學生勾選學習成果」（115 十、十一年級）的完成日期「116..08.01~10」看不懂"),
        "{out}"
    );
    // The summary counts each kind, on stderr with the exit code.
    assert!(r.stderr.contains("檢核表檢查："), "{}", r.stderr);
    assert!(r.stderr.contains("看不懂的日期"), "{}", r.stderr);
    let bad_dates = out.matches("看不懂，無法判斷是否逾期").count();
    assert!(
        r.stderr.contains(&format!("看不懂的日期 {bad_dates}）")),
        "{bad_dates} bad dates printed; {}",
        r.stderr
    );
    let overdue = out.matches("已逾期").count();
    assert!(overdue >= 1);
    assert!(
        r.stderr.contains(&format!("逾期 {overdue}、")),
        "{overdue} overdue printed; {}",
        r.stderr
    );
}

#[test]
fn the_check_speaks_english_with_lang_en() {
    let (dir, db) = demo();
    let r = run(dir.path(), &db, &["--lang", "en", "check", "checklists"]);
    r.code(1);
    assert!(
        r.stdout.contains("Academic year 115, 十、十一年級:"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("is overdue: due 115."), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("the date \"116..08.01~10\" cannot be read"),
        "{}",
        r.stdout
    );
    assert!(
        r.stderr.contains("Checklist check:") && r.stderr.contains("unreadable dates"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("檢核表檢查"), "{}", r.stderr);
}

#[test]
fn the_check_of_one_year_and_of_an_unknown_year() {
    let (dir, db) = demo();
    run(dir.path(), &db, &["check", "checklists", "--year", "115"]).code(1);
    let r = run(dir.path(), &db, &["check", "checklists", "--year", "117"]);
    r.code(1);
    assert!(
        r.stderr
            .contains("沒有 117 學年度的檢核表；已有的學年度：115"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_school_without_checklists_checks_clean() {
    let (dir, db) = fresh();
    let r = run(dir.path(), &db, &["check", "checklists"]);
    r.code(0);
    assert!(r.stdout.contains("還沒有任何檢核表"), "{}", r.stdout);
    let r = run(dir.path(), &db, &["--lang", "en", "check", "checklists"]);
    r.code(0);
    assert!(r.stdout.contains("no checklists yet"), "{}", r.stdout);
}

#[test]
fn a_missing_database_is_refused() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("none.db");
    let r = run(dir.path(), &db, &["check", "checklists"]);
    r.code(1);
    assert!(r.stderr.contains("找不到資料庫"), "{}", r.stderr);
    assert!(!db.exists());
}

// ----------------------------------------------------------------- export

#[test]
fn html_to_stdout_has_both_lists_of_the_current_year() {
    let (dir, db) = demo();
    let r = run(
        dir.path(),
        &db,
        &["export", "checklist", "--format", "html"],
    );
    r.code(0);
    let h = &r.stdout;
    assert!(h.starts_with("<!DOCTYPE html>"), "{h}");
    assert!(h.contains(
        "<h1>臺北市私立靜心高級中學 115 學年度學生學習歷程工作執行檢核表（十、十一年級）</h1>"
    ));
    assert!(h.contains(
        "<h1>臺北市私立靜心高級中學 115 學年度學生學習歷程工作執行檢核表（十二年級）</h1>"
    ));
    assert!(h.contains("<th colspan=\"4\">五、學校提交</th>"), "{h}");
    assert!(h.contains("115.10.01~15（上）115-1<br>116.02.11~28（下）115-2"));
    assert!(h.contains("已完成 "), "done items show their status");
    assert!(
        h.contains("不適用"),
        "the twelfth-grade list has an item not applicable"
    );
    assert_eq!(h.matches("<tr><td>").count(), 44, "22 items in each list");
}

#[test]
fn each_format_to_a_file_named_by_its_extension() {
    let (dir, db) = demo();
    for (name, check) in [
        ("list.html", "<!DOCTYPE html>"),
        ("list.md", "# 臺北市私立靜心高級中學 115 學年度"),
        ("list.csv", "學年度,年級組,類別,項次,工作項目"),
    ] {
        let out = dir.path().join(name);
        let r = run(
            dir.path(),
            &db,
            &["export", "checklist", "--out", out.to_str().unwrap()],
        );
        r.code(0);
        assert!(
            r.stdout
                .contains("已把 115 學年度的 2 份檢核表（44 個項目）匯出到"),
            "{}",
            r.stdout
        );
        let bytes = std::fs::read(&out).unwrap();
        let text = if name.ends_with(".csv") {
            bom_text(&bytes)
        } else {
            String::from_utf8(bytes).unwrap()
        };
        assert!(text.starts_with(check), "{name}: {text}");
    }
}

#[test]
fn markdown_and_csv_to_stdout() {
    let (dir, db) = demo();
    let r = run(
        dir.path(),
        &db,
        &["export", "checklist", "--year", "115", "--format", "md"],
    );
    r.code(0);
    assert!(
        r.stdout
            .contains("| 工作項目 | 負責單位 | 完成日期 | 執行情形 |")
    );
    assert!(r.stdout.contains("| **一、行政規劃** | | | |"));
    assert!(
        r.stdout
            .contains("115.10.01~15（上）115-1<br>116.02.11~28（下）115-2")
    );
    let out = Command::new(BIN)
        .env("PORTFOLIO_DESK_TODAY", "2026-11-25")
        .env_remove("PORTFOLIO_DESK_LANG")
        .args(["export", "checklist", "--format", "csv", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = bom_text(&out.stdout);
    assert!(text.ends_with("\r\n"));
    // Header plus 44 rows, every line CRLF.
    assert_eq!(text.matches("\r\n").count(), 45, "{text}");
    assert_eq!(text.matches('\n').count(), 45);
    assert!(
        text.starts_with(
            "學年度,年級組,類別,項次,工作項目,負責單位,完成日期,狀態,完成日,完成者,備註\r\n"
        ),
        "{text}"
    );
    assert!(text.contains("\r\n115,\"10,11\",行政規劃,1,校務會議通過修訂補充規定,教務處,"));
}

#[test]
fn group_12_exports_only_the_twelfth_grade_list() {
    let (dir, db) = demo();
    for group in ["12", "十二年級"] {
        let r = run(
            dir.path(),
            &db,
            &["export", "checklist", "--group", group, "--format", "md"],
        );
        r.code(0);
        assert!(r.stdout.contains("（十二年級）"), "{}", r.stdout);
        assert!(!r.stdout.contains("（十、十一年級）"), "{}", r.stdout);
        assert_eq!(r.stdout.matches("\n# ").count() + 1, 1, "one list");
    }
    let r = run(
        dir.path(),
        &db,
        &["export", "checklist", "--group", "10,11", "--format", "csv"],
    );
    r.code(0);
    assert!(!r.stdout.contains("\r\n115,12,"), "{}", r.stdout);
    assert!(r.stdout.contains("\r\n115,\"10,11\","), "{}", r.stdout);
}

#[test]
fn unknown_year_group_and_ics_are_refused_saying_what_there_is() {
    let (dir, db) = demo();
    let r = run(dir.path(), &db, &["export", "checklist", "--year", "114"]);
    r.code(1);
    assert!(
        r.stderr
            .contains("沒有 114 學年度的檢核表；已有的學年度：115"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.is_empty());
    let r = run(
        dir.path(),
        &db,
        &["--lang", "en", "export", "checklist", "--year", "114"],
    );
    r.code(1);
    assert!(
        r.stderr
            .contains("no checklists for academic year 114; years there are: 115"),
        "{}",
        r.stderr
    );
    let r = run(dir.path(), &db, &["export", "checklist", "--group", "13"]);
    r.code(1);
    assert!(r.stderr.contains("看不懂年級組「13」"), "{}", r.stderr);
    let r = run(dir.path(), &db, &["export", "checklist", "--format", "ics"]);
    r.code(1);
    assert!(r.stderr.contains("不能匯出為 ICS"), "{}", r.stderr);
    let out = dir.path().join("list.ics");
    let r = run(
        dir.path(),
        &db,
        &["export", "checklist", "--out", out.to_str().unwrap()],
    );
    r.code(1);
    assert!(r.stderr.contains("不能匯出為 ICS"), "{}", r.stderr);
    assert!(!out.exists(), "nothing written");
}

#[test]
fn a_fresh_school_has_no_checklist_to_export() {
    let (dir, db) = fresh();
    let r = run(dir.path(), &db, &["export", "checklist"]);
    r.code(1);
    assert!(
        r.stderr
            .contains("沒有 115 學年度的檢核表；已有的學年度：（無）"),
        "{}",
        r.stderr
    );
}

#[test]
fn help_names_the_new_commands_in_both_languages() {
    let (dir, db) = fresh();
    let r = run(dir.path(), &db, &["export", "--help"]);
    r.code(0);
    assert!(r.stdout.contains("checklist"), "{}", r.stdout);
    assert!(r.stdout.contains("工作執行檢核表"), "{}", r.stdout);
    let r = run(
        dir.path(),
        &db,
        &["--lang", "en", "check", "checklists", "--help"],
    );
    r.code(0);
    assert!(r.stdout.contains("--year"), "{}", r.stdout);
    assert!(r.stdout.contains("overdue items"), "{}", r.stdout);
}
