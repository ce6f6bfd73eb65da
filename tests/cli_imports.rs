//! Issue 12, part 5 (imports) on the command line: identical rows reported
//! with both line numbers and merged, `--allow-growth`, and
//! `receipts imports|undo-import`, run as a real process.

use std::path::{Path, PathBuf};

use portfolio_desk::domain::roc::Term;
use portfolio_desk::store::Store;
use tempfile::TempDir;

mod common;
use common::cli::{Run, run};

fn school() -> (TempDir, PathBuf) {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("school.db");
    run(dir.path(), &db, &["init", "--preset", "fengshan"]).code(0);
    (dir, db)
}

fn t(s: &str) -> Term {
    s.parse().unwrap()
}

const HEADER: &str = "學號,姓名,班級,座號,類別,項目,件數,學期\n";

/// One row of 115-1.
fn row(k: usize, item: &str, count: u32) -> String {
    format!(
        "1130{k:02},學生{k},301,{},修課紀錄,{item},{count},115-1\n",
        k % 40 + 1
    )
}

fn import(dir: &Path, db: &Path, text: &str, more: &[&str]) -> Run {
    let f = dir.join("receipts.csv");
    std::fs::write(&f, text).unwrap();
    let mut args = vec!["import", "receipts", f.to_str().unwrap()];
    args.extend_from_slice(more);
    run(dir, db, &args)
}

fn lines_of(db: &Path) -> usize {
    let st = Store::open(db).unwrap();
    st.receipt_overview(t("115-1"))
        .unwrap()
        .iter()
        .map(|r| r.lines as usize)
        .sum()
}

#[test]
fn a_doubled_file_lists_the_first_ten_pairs_and_imports_once() {
    let (dir, db) = school();
    // 15 rows, then the same 15 again: lines 2-16 and 17-31.
    let mut once = String::new();
    for k in 0..15 {
        once += &row(k, "國語文", 1);
    }
    let text = format!("{HEADER}{once}{once}");
    let r = import(dir.path(), &db, &text, &[]);
    r.code(0);
    assert!(
        r.stdout
            .contains("檔案中有 15 列與前面的列完全相同（同學期、學號、類別、項目、件數與其他欄位），各只匯入一次："),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("第 2 行與第 17 行相同\n"), "{}", r.stdout);
    assert!(
        r.stdout.contains("第 11 行與第 26 行相同\n"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("第 12 行與第 27 行相同"), "{}", r.stdout);
    assert!(
        r.stdout.contains("……另有 5 列相同，未逐一列出。"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("合併相同的列 15 筆（只匯入一次）。"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("新增 15 筆"), "{}", r.stdout);
    assert_eq!(lines_of(&db), 15);
}

#[test]
fn growth_over_half_needs_allow_growth_and_nothing_is_written_without() {
    let (dir, db) = school();
    let mut first = HEADER.to_string();
    for k in 0..10 {
        first += &row(k, "國語文", 1);
    }
    import(dir.path(), &db, &first, &[]).code(0);
    // Another ten lines (other items of the same students): +100 %.
    let mut grown = first.clone();
    for k in 0..10 {
        grown += &row(k, "英語文", 1);
    }
    let r = import(dir.path(), &db, &grown, &[]);
    r.code(1);
    let err: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(
        err,
        vec![
            "portfolio-desk: 115-1 學期已有 10 筆收訖明細，這次匯入會新增 10 筆（+100%），可能是重複貼上或選錯的檔案；未寫入任何資料。確定要匯入請加上 --allow-growth。"
        ],
        "{}",
        r.stderr
    );
    assert_eq!(lines_of(&db), 10);
    let r = import(dir.path(), &db, &grown, &["--allow-growth"]);
    r.code(0);
    assert!(r.stdout.contains("新增 10 筆"), "{}", r.stdout);
    assert_eq!(lines_of(&db), 20);
}

#[test]
fn imports_are_listed_and_the_newest_undone() {
    let (dir, db) = school();
    let mut first = HEADER.to_string();
    for k in 0..4 {
        first += &row(k, "國語文", 1);
    }
    import(dir.path(), &db, &first, &[]).code(0);
    // Corrected: 113000's count 1 → 3, 113003's line gone, one added.
    let corrected = format!(
        "{HEADER}{}{}{}{}{}",
        row(0, "國語文", 3),
        row(1, "國語文", 1),
        row(2, "國語文", 1),
        row(3, "英語文", 1),
        row(1, "數學", 1),
    );
    // 113003's 國語文 is replaced by 英語文: the file covers its course records.
    import(dir.path(), &db, &corrected, &[]).code(0);
    assert_eq!(lines_of(&db), 5);

    let r = run(dir.path(), &db, &["receipts", "imports", "--term", "115-1"]);
    r.code(0);
    let out: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(out.len(), 4, "{}", r.stdout);
    assert!(
        out[0].starts_with("#2　")
            && out[0].ends_with(&format!(
                "{}　新增 2、移除 1、更改 1、不變 2",
                common::cli::real_login()
            )),
        "{}",
        r.stdout
    );
    assert_eq!(out[1], "　　更改 113000 修課紀錄「國語文」：1 件 → 3 件");
    assert_eq!(out[2], "　　移除 113003 修課紀錄「國語文」：原為 1 件");
    assert!(
        out[3].starts_with("#1　") && out[3].ends_with("新增 4、移除 0、更改 0、不變 0"),
        "{}",
        r.stdout
    );

    let r = run(
        dir.path(),
        &db,
        &["receipts", "undo-import", "--term", "115-1"],
    );
    r.code(0);
    assert!(
        r.stdout.contains("已復原 115-1 學期")
            && r.stdout
                .contains("刪除其新增的 2 筆，還原其更改的 1 筆與移除的 1 筆"),
        "{}",
        r.stdout
    );
    let st = Store::open(&db).unwrap();
    let rows = st.receipt_overview(t("115-1")).unwrap();
    let counts: Vec<(String, u32, u32)> = rows
        .iter()
        .map(|r| (r.student.student_no.clone(), r.lines, r.counts.iter().sum()))
        .collect();
    assert_eq!(
        counts,
        vec![
            ("113000".to_string(), 1, 1),
            ("113001".to_string(), 1, 1),
            ("113002".to_string(), 1, 1),
            ("113003".to_string(), 1, 1),
        ]
    );
    drop(st);
    let r = run(dir.path(), &db, &["receipts", "imports", "--term", "115-1"]);
    let out: Vec<&str> = r.stdout.lines().collect();
    assert!(out[0].contains("（已於 "), "{}", r.stdout);
    // Undone: only the old count is sure.
    assert_eq!(out[1], "　　更改 113000 修課紀錄「國語文」：原為 1 件");
    // Undo the first too, then nothing is left to undo: exit 1, one line.
    run(
        dir.path(),
        &db,
        &["receipts", "undo-import", "--term", "115-1"],
    )
    .code(0);
    let r = run(
        dir.path(),
        &db,
        &["receipts", "undo-import", "--term", "115-1"],
    );
    r.code(1);
    assert_eq!(
        r.stderr.trim(),
        "portfolio-desk: 115-1 學期沒有可以復原的匯入。"
    );
    // In English too.
    let r = run(
        dir.path(),
        &db,
        &["--lang", "en", "receipts", "undo-import", "--term", "115-1"],
    );
    r.code(1);
    assert_eq!(
        r.stderr.trim(),
        "portfolio-desk: Term 115-1 has no import to undo."
    );
}
