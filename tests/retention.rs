//! Retention (issue 13, point 4) on fixtures of 靜心, 臺東, 育仁 and 鳳山:
//! the dry run lists what the school's rule makes due and changes nothing;
//! `check retention` exits 1 on findings; `--apply` writes an archive whose
//! checksums verify and that holds exactly what left the file, and touches
//! nothing else; an archive that cannot be written stops it before anything
//! is removed.

mod common;
use portfolio_desk::domain::access::Role;
use std::path::Path;

use chrono::NaiveDate;
use common::cli::run;
use portfolio_desk::demo::receipts::{Rng, lines_of, students};
use portfolio_desk::domain::preset;
use portfolio_desk::domain::receipt::{Category, DStatus, Discrepancy, Kind, StudentStatus, Via};
use portfolio_desk::domain::roc::Term;
use portfolio_desk::store::Store;
use portfolio_desk::store::retention::{sha256_file, verify_archive};
use rusqlite::Connection;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A school of `preset` with 8 students of term 115-1, each with receipt
/// lines, student 0 with a discrepancy; `dates` gives some of them a
/// status and the dates retention counts from: (index, status, left, applied).
fn school(
    dir: &Path,
    preset_key: &str,
    dates: &[(usize, StudentStatus, Option<&str>, Option<&str>)],
) -> std::path::PathBuf {
    let db = dir.join("school.db");
    let mut s = Store::open(&db).unwrap();
    s.set_user("registry");
    s.set_fixed_now("2026-11-25T09:30:00+08:00");
    s.init_school(&preset::by_key(preset_key).unwrap(), 115)
        .unwrap();
    // The CLI runs as the real login: the school's administrator and clerk.
    for role in [Role::Admin, Role::Clerk] {
        s.grant_role(&common::cli::real_login(), role).unwrap();
    }
    let mut rng = Rng::new(7);
    let mut list = students(8, &[12], 115, 30, &mut rng);
    for (i, status, _, _) in dates {
        list[*i].status = *status;
    }
    s.import_students(&list).unwrap();
    let term = Term::new(115, 1).unwrap();
    let mut lines = Vec::new();
    for st in &list {
        lines.extend(lines_of(st, term, 5, false, &mut rng));
    }
    s.import_receipts(&lines, &mut |_, _| {}).unwrap();
    for (i, _, left, applied) in dates {
        s.set_student_dates(&list[*i].student_no, left.map(d), applied.map(d))
            .unwrap();
    }
    let first = s
        .students()
        .unwrap()
        .into_iter()
        .find(|r| r.student.student_no == list[0].student_no)
        .unwrap();
    s.log_discrepancy(&Discrepancy {
        id: 0,
        term,
        student_id: first.student.id,
        category: Category::CourseRecords,
        line_id: None,
        kind: Kind::Missing,
        detail: "少一門課".into(),
        reported_on: d("2026-10-22"),
        via: Via::Paper,
        unit: String::new(),
        status: DStatus::Reported,
        resolution: String::new(),
    })
    .unwrap();
    db
}

fn count(db: &Path, sql: &str) -> i64 {
    Connection::open(db)
        .unwrap()
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

/// Every row of every table but the audit log, as text.
fn rows(db: &Path, skip_students: &[&str]) -> Vec<String> {
    let c = Connection::open(db).unwrap();
    let mut out = Vec::new();
    for t in [
        "student",
        "receipt_line",
        "receipt_confirm",
        "discrepancy",
        "discrepancy_step",
        "term",
        "school",
        "staff",
    ] {
        let mut st = c
            .prepare(&format!("SELECT * FROM {t} ORDER BY rowid"))
            .unwrap();
        let n = st.column_count();
        let names: Vec<String> = st.column_names().map(|s| s.to_string()).collect();
        let sid = names.iter().position(|c| c == "student_id");
        let mut q = st.query([]).unwrap();
        while let Some(r) = q.next().unwrap() {
            let cells: Vec<String> = (0..n)
                .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                .collect();
            let student = match (t, sid) {
                ("student", _) => r.get::<_, String>(1).unwrap(),
                (_, Some(i)) => c
                    .query_row(
                        "SELECT student_no FROM student WHERE id = ?1",
                        [r.get::<_, i64>(i).unwrap()],
                        |x| x.get(0),
                    )
                    .unwrap_or_default(),
                _ => String::new(),
            };
            if skip_students.contains(&student.as_str()) || (t == "discrepancy_step") {
                continue;
            }
            out.push(format!("{t}: {}", cells.join("|")));
        }
    }
    out
}

fn student_no(db: &Path, i: usize) -> String {
    Connection::open(db)
        .unwrap()
        .query_row(
            "SELECT student_no FROM student ORDER BY student_no LIMIT 1 OFFSET ?1",
            [i as i64],
            |r| r.get(0),
        )
        .unwrap()
}

#[test]
fn jingxin_dry_run_lists_leavers_past_a_year_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = school(
        dir.path(),
        "jingxin",
        &[
            (1, StudentStatus::Left, Some("2025-11-20"), None),
            (2, StudentStatus::Transferred, Some("2026-03-01"), None),
            (3, StudentStatus::Graduated, Some("2020-06-30"), None),
            (4, StudentStatus::Left, None, None),
        ],
    );
    let before = std::fs::read(&db).unwrap();
    let out = run(dir.path(), &db, &["retention"]);
    out.code(0);
    let no1 = student_no(&db, 1);
    assert!(
        out.stdout.contains("離校生之學習歷程檔案資料，保存1年"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("應刪除：1 名學生（收訖明細 5 筆"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains(&format!("{no1} ")), "{}", out.stdout);
    assert!(out.stdout.contains("115.11.20 到期"), "{}", out.stdout);
    // The transferred student is due 116.03.01; the graduate is no leaver.
    assert!(
        out.stdout.contains("下一個到期日：116.03.01"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("有 1 名學生缺少起算日期"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("這是試算"), "{}", out.stdout);
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "a dry run writes nothing"
    );

    let check = run(dir.path(), &db, &["check", "retention"]);
    check.code(1);
    assert!(
        check.stderr.contains("0 名學生應封存、1 名學生應刪除"),
        "{}",
        check.stderr
    );
    assert_eq!(std::fs::read(&db).unwrap(), before, "check only reads");

    let en = run(dir.path(), &db, &["--lang", "en", "retention"]);
    assert!(en.stdout.contains("To delete: 1 students"), "{}", en.stdout);
}

#[test]
fn apply_archives_exactly_what_it_removes_verifies_it_and_touches_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let db = school(
        dir.path(),
        "jingxin",
        &[
            (0, StudentStatus::Left, Some("2025-01-10"), None),
            (1, StudentStatus::Left, Some("2025-11-20"), None),
            (2, StudentStatus::Transferred, Some("2026-03-01"), None),
        ],
    );
    let gone = [student_no(&db, 0), student_no(&db, 1)];
    let gone_refs: Vec<&str> = gone.iter().map(String::as_str).collect();
    let others_before = rows(&db, &gone_refs);
    let lines_before = count(&db, "SELECT count(*) FROM receipt_line");
    let audit_before = count(&db, "SELECT count(*) FROM audit");
    let arch = dir.path().join("arch");
    let out = run(
        dir.path(),
        &db,
        &[
            "retention",
            "--apply",
            "--archive-dir",
            arch.to_str().unwrap(),
        ],
    );
    out.code(0);
    assert!(
        out.stdout.contains("已封存 0 名、刪除 2 名學生的紀錄"),
        "{}",
        out.stdout
    );

    // The archive: one directory, its sums and manifest verify.
    let made: Vec<_> = std::fs::read_dir(&arch)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(made.len(), 1);
    let a = &made[0];
    verify_archive(a).unwrap();
    let sums = std::fs::read_to_string(a.join("SHA256SUMS")).unwrap();
    let sha = sha256_file(&a.join("archive.db")).unwrap();
    assert!(sums.starts_with(&format!("{sha}  archive.db\n")), "{sums}");
    assert!(out.stdout.contains(&sha), "{}", out.stdout);
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(a.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["students"], serde_json::json!(gone));
    // Exactly what was removed: the two students, their 10 lines, the
    // discrepancy of student 0 and its step.
    let ar = a.join("archive.db");
    assert_eq!(count(&ar, "SELECT count(*) FROM student"), 2);
    assert_eq!(count(&ar, "SELECT count(*) FROM receipt_line"), 10);
    assert_eq!(count(&ar, "SELECT count(*) FROM discrepancy"), 1);
    assert_eq!(count(&ar, "SELECT count(*) FROM discrepancy_step"), 1);
    assert_eq!(
        count(&db, "SELECT count(*) FROM receipt_line"),
        lines_before - 10
    );
    assert_eq!(count(&db, "SELECT count(*) FROM discrepancy"), 0);
    // Nothing else changed; one audit row says what and where.
    assert_eq!(rows(&db, &gone_refs), others_before);
    assert_eq!(count(&db, "SELECT count(*) FROM audit"), audit_before + 1);
    let audit = run(
        dir.path(),
        &db,
        &["audit", "--kind", "school", "--format", "md"],
    );
    assert!(audit.stdout.contains("保存年限處理"), "{}", audit.stdout);
    assert!(audit.stdout.contains(&sha), "{}", audit.stdout);

    // A tampered archive no longer verifies.
    let mut bytes = std::fs::read(&ar).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&ar, bytes).unwrap();
    assert!(verify_archive(a).unwrap_err().contains("sha256"));
}

#[test]
fn an_archive_that_cannot_be_written_stops_the_apply_before_anything_is_removed() {
    let dir = tempfile::tempdir().unwrap();
    let db = school(
        dir.path(),
        "jingxin",
        &[(1, StudentStatus::Left, Some("2025-01-10"), None)],
    );
    let before = rows(&db, &[]);
    // A file where the directory should be: no one, not even root, can
    // create a directory under it.
    let blocker = dir.path().join("not-a-dir");
    std::fs::write(&blocker, "x").unwrap();
    let target = blocker.join("archive");
    let out = run(
        dir.path(),
        &db,
        &[
            "retention",
            "--apply",
            "--archive-dir",
            target.to_str().unwrap(),
        ],
    );
    out.code(1);
    assert!(out.stderr.contains("無法寫入封存檔"), "{}", out.stderr);
    assert!(
        out.stderr.contains(target.to_str().unwrap()),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("沒有封存或刪除任何資料"),
        "{}",
        out.stderr
    );
    assert_eq!(rows(&db, &[]), before);
    assert!(!target.exists());
}

#[test]
fn taitung_seals_graduates_and_deletes_them_after_five_years() {
    let dir = tempfile::tempdir().unwrap();
    let db = school(
        dir.path(),
        "taitung",
        &[
            (1, StudentStatus::Graduated, Some("2021-06-30"), None),
            (2, StudentStatus::Graduated, Some("2026-06-30"), None),
            (3, StudentStatus::Left, Some("2019-06-30"), None),
        ],
    );
    let out = run(dir.path(), &db, &["retention"]);
    out.code(0);
    assert!(out.stdout.contains("封存 5 年"), "{}", out.stdout);
    assert!(out.stdout.contains("應封存：1 名學生"), "{}", out.stdout);
    assert!(out.stdout.contains("應刪除：1 名學生"), "{}", out.stdout);
    assert!(
        out.stdout.contains("下一個到期日：120.06.30"),
        "{}",
        out.stdout
    );
    let sealed = student_no(&db, 2);
    let deleted = student_no(&db, 1);
    let leaver = student_no(&db, 3);
    let arch = dir.path().join("arch");
    run(
        dir.path(),
        &db,
        &[
            "retention",
            "--apply",
            "--archive-dir",
            arch.to_str().unwrap(),
        ],
    )
    .code(0);
    // The sealed graduate stays as an entry with the sealing date and no
    // records or address; the one past five years is gone.
    let c = Connection::open(&db).unwrap();
    let (sealed_on, address): (Option<String>, String) = c
        .query_row(
            "SELECT sealed_on, address FROM student WHERE student_no = ?1",
            [&sealed],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(sealed_on.as_deref(), Some("2026-11-25"));
    assert_eq!(address, "");
    assert_eq!(
        count(
            &db,
            &format!(
                "SELECT count(*) FROM receipt_line l JOIN student s ON s.id = l.student_id WHERE s.student_no = '{sealed}'"
            )
        ),
        0
    );
    assert_eq!(
        count(
            &db,
            &format!("SELECT count(*) FROM student WHERE student_no = '{deleted}'")
        ),
        0
    );
    // The leaver is not a graduate: untouched.
    assert_eq!(
        count(
            &db,
            &format!(
                "SELECT count(*) FROM student WHERE student_no = '{leaver}' AND sealed_on IS NULL"
            )
        ),
        1
    );
    // Once sealed, only the delete in 2031 is left to come.
    let again = run(dir.path(), &db, &["check", "retention"]);
    again.code(0);
    assert!(
        again.stdout.contains("下一個到期日：120.06.30"),
        "{}",
        again.stdout
    );
}

#[test]
fn yuren_seals_five_years_after_the_college_application() {
    let dir = tempfile::tempdir().unwrap();
    let db = school(
        dir.path(),
        "yuren",
        &[
            (
                1,
                StudentStatus::Graduated,
                Some("2021-06-30"),
                Some("2021-03-15"),
            ),
            (
                2,
                StudentStatus::Graduated,
                Some("2026-06-30"),
                Some("2026-03-15"),
            ),
        ],
    );
    let out = run(dir.path(), &db, &["retention"]);
    out.code(0);
    assert!(
        out.stdout.contains("申請入大專校院起五年後"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("應封存：1 名學生"), "{}", out.stdout);
    assert!(!out.stdout.contains("應刪除"), "{}", out.stdout);
    assert!(
        out.stdout.contains("110.03.15 起算，115.03.15 到期"),
        "{}",
        out.stdout
    );
    run(dir.path(), &db, &["check", "retention"]).code(1);
}

#[test]
fn fengshan_has_no_retention_rule_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let db = school(
        dir.path(),
        "fengshan",
        &[(1, StudentStatus::Graduated, Some("2010-06-30"), None)],
    );
    let out = run(dir.path(), &db, &["retention", "--apply"]);
    out.code(0);
    assert!(out.stdout.contains("沒有訂定保存年限"), "{}", out.stdout);
    let out = run(dir.path(), &db, &["--lang", "en", "check", "retention"]);
    out.code(0);
    assert!(
        out.stdout
            .contains("no retention rule in this school's regulation"),
        "{}",
        out.stdout
    );
    assert!(!dir.path().join("retention").exists());
}

#[test]
fn student_dates_are_set_by_number_and_bad_dates_quoted_back() {
    let dir = tempfile::tempdir().unwrap();
    let db = school(dir.path(), "jingxin", &[]);
    let no = student_no(&db, 3);
    let out = run(
        dir.path(),
        &db,
        &[
            "retention",
            "dates",
            "--student",
            &no,
            "--left",
            "115.02.30",
        ],
    );
    out.code(1);
    assert!(out.stderr.contains("「115.02.30」"), "{}", out.stderr);
    let out = run(
        dir.path(),
        &db,
        &["retention", "dates", "--student", &no, "--left", "115.7.31"],
    );
    out.code(0);
    assert!(out.stdout.contains("離校日期 115.07.31"), "{}", out.stdout);
    let out = run(
        dir.path(),
        &db,
        &[
            "retention",
            "dates",
            "--student",
            "999",
            "--left",
            "115.7.31",
        ],
    );
    out.code(1);
    assert!(out.stderr.contains("「999」"), "{}", out.stderr);
}
