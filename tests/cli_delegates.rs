//! `portfolio-desk who` and `portfolio-desk check delegates` (issue 4).

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::NaiveDate;
use portfolio_desk::domain::committee::StaffDraft;
use portfolio_desk::domain::delegation::{Absence, AbsenceKind};
use portfolio_desk::domain::roc::DateRange;
use portfolio_desk::store::Store;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_portfolio-desk"));
    c.env("PORTFOLIO_DESK_TODAY", "2026-11-25")
        .env_remove("PORTFOLIO_DESK_LANG");
    c
}

fn run(args: &[&str], db: &Path) -> (i32, String, String) {
    let out = bin().args(args).arg("--db").arg(db).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn init(dir: &Path, preset: &str) -> PathBuf {
    let db = dir.join(format!("{preset}.db"));
    let (code, _, err) = run(&["init", "--preset", preset], &db);
    assert_eq!(code, 0, "{err}");
    db
}

/// 鳳山 with a 註冊組長 on leave 115.11.01~115.12.15 and a 設備組長 at work.
fn fengshan_with_leave(dir: &Path) -> PathBuf {
    let db = init(dir, "fengshan");
    let mut s = Store::open(&db).unwrap();
    let add = |s: &mut Store, name: &str, pos: &str| {
        s.add_staff(&StaffDraft {
            name: name.into(),
            positions: vec![pos.into()],
            ..Default::default()
        })
        .unwrap()
    };
    let reg = add(&mut s, "王小明", "註冊組長");
    add(&mut s, "李大華", "設備組長");
    s.add_absence(&Absence {
        staff_id: reg.id,
        span: DateRange {
            start: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
            end: NaiveDate::from_ymd_opt(2026, 12, 15).unwrap(),
        },
        kind: AbsenceKind::Leave,
        reason: "產假".into(),
    })
    .unwrap();
    db
}

#[test]
fn who_names_the_acting_person_and_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let db = fengshan_with_leave(dir.path());
    let (code, out, err) = run(&["who", "--position", "註冊組長"], &db);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("115.11.25「註冊組長」由 李大華 執行（「註冊組長」的第 1 順位代理人）"),
        "{out}"
    );
    assert!(
        out.contains("註冊組長（王小明）請假至 115.12.15（產假） → 設備組長（李大華）代理"),
        "{out}"
    );
    // After the leave the holder acts again.
    let (code, out, _) = run(
        &["who", "--position", "註冊組長", "--date", "115.12.16"],
        &db,
    );
    assert_eq!(code, 0);
    assert!(out.contains("由 王小明 執行（本人）"), "{out}");
    // English.
    let (_, out, _) = run(&["--lang", "en", "who", "--position", "註冊組長"], &db);
    assert!(
        out.contains("李大華 acts (delegate 1 of 註冊組長)"),
        "{out}"
    );
}

#[test]
fn who_refuses_unknown_positions_and_bad_dates_and_says_when_no_one_can_act() {
    let dir = tempfile::tempdir().unwrap();
    let db = fengshan_with_leave(dir.path());
    let (code, _, err) = run(&["who", "--position", "註冊組"], &db);
    assert_eq!(code, 1);
    assert!(
        err.starts_with("portfolio-desk: 找不到職稱「註冊組」"),
        "{err}"
    );
    assert!(err.contains("註冊組長"), "lists the known positions: {err}");
    let (code, _, err) = run(
        &["who", "--position", "註冊組長", "--date", "112.02.31"],
        &db,
    );
    assert_eq!(code, 1);
    assert!(err.contains("「112.02.31」"), "{err}");
    // 學務主任 and its whole chain (訓育→活動→生輔→訓育) are vacant: no one.
    let (code, out, err) = run(&["who", "--position", "學務主任"], &db);
    assert_eq!(code, 1);
    assert!(err.contains("「學務主任」無人可執行"), "{err}");
    assert!(out.contains("形成循環"), "{out}");
    let (code, _, err) = run(&["who"], &db);
    assert_eq!(code, 2, "--position is required: {err}");
    let (code, _, err) = run(
        &["who", "--position", "校長"],
        &dir.path().join("missing.db"),
    );
    assert_eq!(code, 1);
    assert!(err.contains("missing.db"), "{err}");
    assert!(
        !dir.path().join("missing.db").exists(),
        "who creates no file"
    );
}

#[test]
fn check_delegates_exits_1_on_findings_and_0_when_clean() {
    let dir = tempfile::tempdir().unwrap();
    let db = fengshan_with_leave(dir.path());
    let (code, out, err) = run(&["check", "delegates"], &db);
    assert_eq!(code, 1, "{out}");
    assert!(err.contains("發現"), "{err}");
    for cycle in [
        "教學組長→註冊組長→設備組長→教學組長",
        "訓育組長→活動組長→生輔組長→訓育組長",
        "輔導主任→實習主任→輔導主任",
        "進修部註冊組長→進修部學務組長→進修部註冊組長",
    ] {
        assert_eq!(out.matches(cycle).count(), 1, "{cycle} once:\n{out}");
    }
    // A year with no committee and a school with no tables: nothing to find.
    let db = init(dir.path(), "jingxin");
    let (code, out, _) = run(&["check", "delegates", "--date", "100.03.01"], &db);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("沒有發現問題"), "{out}");
}

/// The coverage report of a freshly created school, for each preset.
#[test]
fn coverage_report_golden_for_each_preset() {
    let dir = tempfile::tempdir().unwrap();
    for preset in ["fengshan", "taitung", "yuren", "jingxin"] {
        let db = init(dir.path(), preset);
        let (code, out, err) = run(&["check", "delegates"], &db);
        assert_eq!(code, 1, "{preset}: a new school has no one to act");
        insta::assert_snapshot!(format!("coverage_{preset}"), format!("{out}---\n{err}"));
    }
}

/// A teacher with uncertified course outcomes, on leave on the date, needs a
/// certification delegate table (鳳山 八、(二)2).
#[test]
fn check_delegates_names_a_teacher_on_leave_with_no_certification_substitute() {
    use portfolio_desk::domain::delegation::{Actor, Subject};
    let dir = tempfile::tempdir().unwrap();
    let db = init(dir.path(), "fengshan");
    let mut s = Store::open(&db).unwrap();
    let teacher = s
        .add_staff(&StaffDraft {
            name: "陳怡君".into(),
            positions: vec!["國文教師".into()],
            uncertified: 3,
            ..Default::default()
        })
        .unwrap();
    let other = s
        .add_staff(&StaffDraft {
            name: "林志豪".into(),
            positions: vec!["國文教師".into()],
            ..Default::default()
        })
        .unwrap();
    s.add_absence(&Absence {
        staff_id: teacher.id,
        span: DateRange {
            start: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
            end: NaiveDate::from_ymd_opt(2026, 12, 15).unwrap(),
        },
        kind: AbsenceKind::Leave,
        reason: "產假".into(),
    })
    .unwrap();
    let message = "115.11.25 陳怡君 老師尚有未認證的課程學習成果，本人不在，且沒有認證代理人。";
    let (code, out, err) = run(&["check", "delegates"], &db);
    assert_eq!(code, 1, "{out}\n{err}");
    assert!(out.contains(message), "{out}");
    // After the leave there is nothing to say about her.
    let (_, out, _) = run(&["check", "delegates", "--date", "115.12.16"], &db);
    assert!(!out.contains("陳怡君"), "{out}");

    s.add_delegate(&Subject::Teacher(teacher.id), Actor::Person(other.id), None)
        .unwrap();
    let (_, out, _) = run(&["check", "delegates"], &db);
    assert!(!out.contains("陳怡君 老師"), "{out}");
}
