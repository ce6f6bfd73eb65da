//! Issue 12, part 5 (imports): identical rows of a receipt file reported
//! with both line numbers and imported once, the growth gate, the archive of
//! what an import replaced and undoing it, and a property test that row
//! order and duplication do not change what is stored.

use std::collections::BTreeSet;

use portfolio_desk::domain::preset;
use portfolio_desk::domain::receipt::{Category, DStatus, Discrepancy, Kind, Line, Via};
use portfolio_desk::domain::roc::{Term, parse_date};
use portfolio_desk::i18n::{self, Lang, Localized};
use portfolio_desk::io::receipt_csv::parse_receipts;
use portfolio_desk::store::{GROWTH_REFUSED, ImportOptions, Store, StoreError};
use proptest::prelude::*;

fn t(s: &str) -> Term {
    s.parse().unwrap()
}

fn school() -> Store {
    let mut s = Store::open_in_memory().unwrap();
    s.set_user("registry");
    s.init_school(&preset::by_key("fengshan").unwrap(), 111)
        .unwrap();
    s
}

fn no_progress() -> impl FnMut(usize, usize) {
    |_, _| {}
}

const HEADER: &str = "學號,姓名,班級,座號,類別,項目,件數,學期\n";

/// Four distinct lines of 111-1 (two alike items told apart by their count).
const ROWS: [&str; 4] = [
    "110001,王小明,201,1,基本資料,學籍資料,1,111-1",
    "110001,王小明,201,1,多元表現,志工服務,1,111-1",
    "110001,王小明,201,1,多元表現,志工服務,2,111-1",
    "110002,李小華,201,2,課程學習成果,數學,2,111-1",
];

fn csv(rows: &[&str]) -> String {
    let mut s = HEADER.to_string();
    for r in rows {
        s += r;
        s.push('\n');
    }
    s
}

fn import_csv(s: &mut Store, text: &str, allow_growth: bool) -> Result<usize, StoreError> {
    let file = parse_receipts(text.as_bytes(), None, None).unwrap();
    assert!(file.bad.is_empty(), "{:?}", file.bad);
    s.import_receipts_with(
        &file.lines,
        ImportOptions {
            allow_growth,
            ..Default::default()
        },
        &mut no_progress(),
    )
    .map(|o| o.added)
}

fn student_id(s: &Store, no: &str) -> i64 {
    s.student_by_no(no).unwrap().unwrap().student.id
}

/// Every stored line of a term, as (student number, category, item,
/// ordinal, count, extra).
fn stored(s: &Store, term: Term) -> BTreeSet<(String, Category, String, u32, u32, String)> {
    let mut out = BTreeSet::new();
    for st in s.students().unwrap() {
        for l in s.receipt_lines(term, st.student.id).unwrap() {
            out.insert((
                st.student.student_no.clone(),
                l.category,
                l.item,
                l.ordinal,
                l.count,
                l.extra,
            ));
        }
    }
    out
}

/// Every stored line of a term with its id and marks.
fn full(s: &Store, term: Term) -> Vec<Line> {
    let mut out = Vec::new();
    for st in s.students().unwrap() {
        out.extend(s.receipt_lines(term, st.student.id).unwrap());
    }
    out.sort_by_key(|l| l.id);
    out
}

// ------------------------------------------------------------- duplicates

/// Imports a CSV as the CLI does; the identical rows as pairs of line numbers.
fn merged_lines(s: &mut Store, text: &str) -> (usize, Vec<(usize, usize)>) {
    let file = parse_receipts(text.as_bytes(), None, None).unwrap();
    assert!(file.bad.is_empty(), "{:?}", file.bad);
    let out = s
        .import_receipts_with(
            &file.lines,
            ImportOptions {
                allow_growth: true,
                ..Default::default()
            },
            &mut no_progress(),
        )
        .unwrap();
    let pairs = out
        .duplicates
        .iter()
        .map(|&(a, b)| (file.line_numbers[a], file.line_numbers[b]))
        .collect();
    (out.added, pairs)
}

#[test]
fn a_doubled_file_reports_each_pair_of_lines_and_imports_once() {
    // Lines 2-5, then the same four again on lines 6-9.
    let mut rows = ROWS.to_vec();
    rows.extend(ROWS);
    let mut s = school();
    let (added, pairs) = merged_lines(&mut s, &csv(&rows));
    assert_eq!(added, 4);
    assert_eq!(pairs, vec![(2, 6), (3, 7), (4, 8), (5, 9)]);
    assert_eq!(stored(&s, t("111-1")).len(), 4);
    // The single file again changes nothing and merges nothing.
    let single = parse_receipts(csv(&ROWS).as_bytes(), None, None).unwrap();
    let again = s
        .import_receipts_with(&single.lines, ImportOptions::default(), &mut no_progress())
        .unwrap();
    assert!(again.no_change(), "{again:?}");
    assert!(again.duplicates.is_empty());
    // Doubled over what is stored: still nothing new (the growth gate does
    // not see the repeats).
    let file = parse_receipts(csv(&rows).as_bytes(), None, None).unwrap();
    let again = s
        .import_receipts_with(&file.lines, ImportOptions::default(), &mut no_progress())
        .unwrap();
    assert!(again.no_change(), "{again:?}");
    assert_eq!(again.duplicates.len(), 4);
}

#[test]
fn lines_given_directly_may_keep_two_alike_performances() {
    // The demo and other callers of `import_receipts` keep identical lines
    // apart (two performances named alike).
    let file = parse_receipts(csv(&[ROWS[1], ROWS[1]]).as_bytes(), None, None).unwrap();
    let mut s = school();
    let out = s.import_receipts(&file.lines, &mut no_progress()).unwrap();
    assert_eq!(out.added, 2);
    assert!(out.duplicates.is_empty());
}

#[test]
fn only_rows_the_same_in_every_stored_field_are_merged() {
    let rows = [
        ROWS[1],
        // Another count, another term, another student: all distinct.
        "110001,王小明,201,1,多元表現,志工服務,3,111-1",
        "110001,王小明,201,1,多元表現,志工服務,1,111-2",
        "110003,張三,201,3,多元表現,志工服務,1,111-1",
        // The same line written with another name and seat: the same line
        // (name and seat are the student's, not the line's).
        "110001,王大明,201,9,多元表現,志工服務,1,111-1",
        // The category written another way: the same line.
        "110001,王小明,201,1,多元,志工服務,1,111-1",
    ];
    let mut s = school();
    let (added, pairs) = merged_lines(&mut s, &csv(&rows));
    assert_eq!(pairs, vec![(2, 6), (2, 7)]);
    assert_eq!(added, 4);
    // Unknown columns are part of the line: a different one is a different line.
    let text = "學號,類別,項目,件數,學期,備註\n\
                110001,多元表現,志工服務,1,111-1,上學期\n\
                110001,多元表現,志工服務,1,111-1,下學期\n\
                110001,多元表現,志工服務,1,111-1,上學期\n";
    let mut s = school();
    let (added, pairs) = merged_lines(&mut s, text);
    assert_eq!(pairs, vec![(2, 4)]);
    assert_eq!(added, 2);
}

#[test]
fn the_pair_message_quotes_both_line_numbers_with_separators() {
    i18n::set_lang(Lang::ZhTw);
    let pair = portfolio_desk::i18n::trf(
        "imports.dup_pair",
        &[("first", "12".into()), ("line", "120,012".into())],
    );
    assert_eq!(pair, "第 12 行與第 120,012 行相同");
}

// ------------------------------------------------------------ growth gate

#[test]
fn a_term_growing_by_more_than_half_is_refused_unless_allowed() {
    let mut s = school();
    import_csv(&mut s, &csv(&ROWS), false).unwrap();
    let before = full(&s, t("111-1"));
    let imports_before = s.receipt_imports(t("111-1")).unwrap();
    // Three new lines to four stored (+75 %), one of them a new student.
    let mut rows = ROWS.to_vec();
    rows.extend([
        "110002,李小華,201,2,課程學習成果,國文,1,111-1",
        "110002,李小華,201,2,幹部經歷,班長,1,111-1",
        "110009,新同學,201,9,基本資料,學籍資料,1,111-1",
    ]);
    let err = import_csv(&mut s, &csv(&rows), false).unwrap_err();
    let StoreError::Refused { key, args } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(*key, GROWTH_REFUSED);
    assert_eq!(
        args,
        &vec![
            ("term", "111-1".to_string()),
            ("existing", "4".to_string()),
            ("added", "3".to_string()),
            ("percent", "75".to_string()),
        ]
    );
    i18n::set_lang(Lang::ZhTw);
    let msg = err.message();
    assert!(
        msg.contains("已有 4 筆") && msg.contains("新增 3 筆"),
        "{msg}"
    );
    assert!(msg.contains("--allow-growth"), "{msg}");
    // Nothing written: not the lines, not the new student, no import row.
    assert_eq!(full(&s, t("111-1")), before);
    assert!(s.student_by_no("110009").unwrap().is_none());
    assert_eq!(s.receipt_imports(t("111-1")).unwrap(), imports_before);
    // Allowed: imported.
    assert_eq!(import_csv(&mut s, &csv(&rows), true).unwrap(), 3);
    assert_eq!(full(&s, t("111-1")).len(), 7);
}

#[test]
fn half_as_many_new_lines_or_a_new_term_pass_the_gate() {
    let mut s = school();
    // A term without lines takes any number.
    assert_eq!(import_csv(&mut s, &csv(&ROWS), false).unwrap(), 4);
    // Two new lines to four stored: exactly half, allowed.
    let mut rows = ROWS.to_vec();
    rows.extend([
        "110002,李小華,201,2,課程學習成果,國文,1,111-1",
        "110002,李小華,201,2,幹部經歷,班長,1,111-1",
    ]);
    assert_eq!(import_csv(&mut s, &csv(&rows), false).unwrap(), 2);
}

// ------------------------------------------------------- archive and undo

#[test]
fn undo_restores_the_replaced_lines_exactly_and_removes_the_added() {
    let mut s = school();
    s.set_fixed_now("2026-11-20T08:00:00+08:00");
    import_csv(&mut s, &csv(&ROWS), false).unwrap();
    let first = full(&s, t("111-1"));
    // Corrected: 110002's count 2 → 5, the diverse count-2 line gone, a
    // cadre line added.
    let corrected = csv(&[
        ROWS[0],
        ROWS[1],
        "110001,王小明,201,1,幹部經歷,班長,1,111-1",
        "110002,李小華,201,2,課程學習成果,數學,5,111-1",
    ]);
    s.grant_role("counsel", portfolio_desk::domain::access::Role::Clerk)
        .unwrap();
    s.set_user("counsel");
    s.set_fixed_now("2026-11-21T10:00:00+08:00");
    import_csv(&mut s, &corrected, false).unwrap();
    let list = s.receipt_imports(t("111-1")).unwrap();
    assert_eq!(list.len(), 2);
    let newest = &list[0];
    assert_eq!(
        (
            newest.added,
            newest.removed,
            newest.changed,
            newest.unchanged
        ),
        (1, 1, 1, 2)
    );
    assert_eq!(newest.user, "counsel");
    assert_eq!(newest.at, "2026-11-21T10:00:00+08:00");
    assert_eq!(newest.undone, None);
    // What it replaced, with the old counts.
    let archived = s.import_archive(newest.id).unwrap();
    let seen: Vec<(bool, &str, &str, u32, Option<u32>)> = archived
        .iter()
        .map(|a| {
            (
                a.removed,
                a.student_no.as_str(),
                a.item.as_str(),
                a.old_count,
                a.new_count,
            )
        })
        .collect();
    assert_eq!(
        seen,
        vec![
            (true, "110001", "志工服務", 2, None),
            (false, "110002", "數學", 2, Some(5)),
        ]
    );

    s.set_user("registry");
    s.set_fixed_now("2026-11-22T09:00:00+08:00");
    let undone = s.undo_last_import(t("111-1")).unwrap();
    assert_eq!(undone.id, newest.id);
    assert_eq!(
        undone.undone,
        Some(("2026-11-22T09:00:00+08:00".into(), "registry".into()))
    );
    // The lines are the first import's again: same ids, counts, ordinals.
    assert_eq!(full(&s, t("111-1")), first);
    // And the same rows to the last stamp: the first file changes nothing.
    let file = parse_receipts(csv(&ROWS).as_bytes(), None, None).unwrap();
    let again = s.import_receipts(&file.lines, &mut no_progress()).unwrap();
    assert!(again.no_change(), "{again:?}");
    // The audit says who undid what.
    let audit = s.audit_for("receipt_import", newest.id).unwrap();
    assert_eq!(audit.len(), 1, "{audit:?}");
    assert_eq!(audit[0].action, "update");
    assert_eq!(audit[0].os_user, "registry");
    let after: serde_json::Value =
        serde_json::from_str(audit[0].after_json.as_deref().unwrap()).unwrap();
    assert_eq!(after["undone"], true);
    assert_eq!(after["deleted"], 1);
    assert_eq!(after["restored_changed"], 1);
    assert_eq!(after["restored_removed"], 1);
    // The listing marks it undone.
    let list = s.receipt_imports(t("111-1")).unwrap();
    assert!(list[0].undone.is_some());
    // Undo again: the first import goes too; then there is nothing left.
    s.undo_last_import(t("111-1")).unwrap();
    assert!(full(&s, t("111-1")).is_empty());
    let err = s.undo_last_import(t("111-1")).unwrap_err();
    assert!(
        matches!(&err, StoreError::Refused { key, .. } if *key == "imports.err_nothing_to_undo"),
        "{err:?}"
    );
}

#[test]
fn undo_is_refused_when_a_line_it_touched_changed_afterwards() {
    let mut s = school();
    import_csv(&mut s, &csv(&ROWS), false).unwrap();
    let corrected = csv(&[
        ROWS[0],
        ROWS[1],
        ROWS[2],
        "110002,李小華,201,2,課程學習成果,數學,5,111-1",
    ]);
    import_csv(&mut s, &corrected, false).unwrap();
    // A discrepancy on the changed line is corrected: the line is marked
    // for re-submission (its version moves on).
    let sid = student_id(&s, "110002");
    let line = s.receipt_lines(t("111-1"), sid).unwrap()[0].clone();
    let id = s
        .log_discrepancy(&Discrepancy {
            id: 0,
            term: t("111-1"),
            student_id: sid,
            category: Category::CourseOutcomes,
            line_id: Some(line.id),
            kind: Kind::WrongCount,
            detail: "件數不對".into(),
            reported_on: parse_date("115.11.22").unwrap(),
            via: Via::Paper,
            unit: String::new(),
            status: DStatus::Reported,
            resolution: String::new(),
        })
        .unwrap();
    let v = s.discrepancy(id).unwrap().meta.version;
    s.advance_discrepancy(id, v, DStatus::Investigating, "")
        .unwrap();
    let v = s.discrepancy(id).unwrap().meta.version;
    s.advance_discrepancy(id, v, DStatus::Corrected, "重新上傳")
        .unwrap();
    let before = full(&s, t("111-1"));
    let err = s.undo_last_import(t("111-1")).unwrap_err();
    let StoreError::Refused { key, args } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(*key, "imports.err_undo_touched");
    assert!(args.contains(&("no", "110002".to_string())), "{args:?}");
    assert!(args.contains(&("item", "數學".to_string())), "{args:?}");
    assert_eq!(full(&s, t("111-1")), before);
    assert!(s.receipt_imports(t("111-1")).unwrap()[0].undone.is_none());
}

// ----------------------------------------------------------------- property

fn row_strategy() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec!["110001", "110002", "110003"]),
        prop::sample::select(vec!["基本資料", "多元表現", "課程學習成果"]),
        prop::sample::select(vec!["志工服務", "數學", "社團"]),
        0u32..3,
        prop::sample::select(vec!["111-1", "111-2"]),
        prop::sample::select(vec!["", "甲"]),
    )
        .prop_map(|(no, cat, item, count, term, note)| {
            format!("{no},學生{no},201,1,{cat},{item},{count},{term},{note}")
        })
}

fn file_strategy() -> impl Strategy<Value = (Vec<String>, Vec<String>)> {
    prop::collection::vec(row_strategy(), 1..14).prop_flat_map(|rows| {
        let n = rows.len();
        // Any duplication (each row 1-3 times), then any order.
        let times = prop::collection::vec(1usize..4, n);
        (Just(rows), times).prop_flat_map(|(rows, times)| {
            let mut copies = Vec::new();
            for (r, k) in rows.iter().zip(times) {
                for _ in 0..k {
                    copies.push(r.clone());
                }
            }
            (Just(rows), Just(copies).prop_shuffle())
        })
    })
}

fn with_header(rows: &[String]) -> String {
    let mut s = "學號,姓名,班級,座號,類別,項目,件數,學期,備註\n".to_string();
    for r in rows {
        s += r;
        s.push('\n');
    }
    s
}

fn import_text(s: &mut Store, text: &str) -> portfolio_desk::store::ReceiptImport {
    let file = parse_receipts(text.as_bytes(), None, None).unwrap();
    assert!(file.bad.is_empty(), "{:?}", file.bad);
    let opts = ImportOptions {
        allow_growth: true,
        ..Default::default()
    };
    s.import_receipts_with(&file.lines, opts, &mut no_progress())
        .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn row_order_and_duplication_do_not_change_the_stored_lines(
        (rows, shuffled) in file_strategy()
    ) {
        let mut a = school();
        import_text(&mut a, &with_header(&rows));
        let mut b = school();
        import_text(&mut b, &with_header(&shuffled));
        for term in [t("111-1"), t("111-2")] {
            prop_assert_eq!(stored(&a, term), stored(&b, term));
        }
        // The shuffled, duplicated file over the original changes nothing.
        let again = import_text(&mut a, &with_header(&shuffled));
        prop_assert!(again.no_change(), "{:?}", again);
    }
}

/// The property's premise: the generated lines do reach the store (a test
/// that compares two empty stores would prove nothing).
#[test]
fn the_generated_lines_are_stored() {
    let rows: Vec<String> = vec![
        "110001,學生110001,201,1,多元表現,志工服務,1,111-1,".into(),
        "110001,學生110001,201,1,多元表現,志工服務,2,111-1,".into(),
        "110002,學生110002,201,1,多元表現,志工服務,1,111-2,甲".into(),
    ];
    let mut s = school();
    import_text(&mut s, &with_header(&rows));
    assert_eq!(stored(&s, t("111-1")).len(), 2);
    assert_eq!(stored(&s, t("111-2")).len(), 1);
}

/// The backups the store made beside `db`.
fn backups_of(db: &std::path::Path) -> Vec<String> {
    let dir = db.parent().unwrap().join("backups");
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".db"))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn an_import_that_replaces_a_terms_lines_is_preceded_by_a_backup() {
    let dir = tempfile::TempDir::new().unwrap();
    let db = dir.path().join("school.db");
    let mut s = Store::open(&db).unwrap();
    s.set_user("registry");
    s.init_school(&preset::by_key("fengshan").unwrap(), 111)
        .unwrap();
    // A new term: nothing is replaced, no backup.
    import_csv(&mut s, &csv(&ROWS), false).unwrap();
    assert_eq!(backups_of(&db), Vec::<String>::new());
    let before = stored(&s, t("111-1"));
    // The corrected file for the same term (a count changes): the file as
    // it was is kept.
    let corrected = "110001,王小明,201,1,基本資料,學籍資料,2,111-1";
    import_csv(&mut s, &csv(&[corrected, ROWS[1], ROWS[2], ROWS[3]]), false).unwrap();
    let after = backups_of(&db);
    assert_eq!(after.len(), 1, "{after:?}");
    assert!(after[0].ends_with("-before-import.db"), "{after:?}");
    // The backup holds the four lines from before the correction.
    let copy = dir.path().join("backups").join(&after[0]);
    let old = Store::open(&copy).unwrap();
    assert_eq!(stored(&old, t("111-1")), before);
    assert_ne!(stored(&s, t("111-1")), before);
}
