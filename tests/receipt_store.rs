//! Receipts, confirmations and discrepancies in the store (issue 5), on a temp file.

use chrono::NaiveDate;
use portfolio_desk::domain::calendar::{Event, Grades, Phase};
use portfolio_desk::domain::preset;
use portfolio_desk::domain::receipt::{
    Category, Confirm, DStatus, Discrepancy, Kind, LineIn, Student, StudentStatus, Via,
};
use portfolio_desk::domain::roc::{DateRange, Term, parse_date, parse_range};
use portfolio_desk::store::{Store, StoreError};

fn school(key: &str) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("s.db")).unwrap();
    s.set_user("registry");
    s.init_school(&preset::by_key(key).unwrap(), 111).unwrap();
    (dir, s)
}

fn d(s: &str) -> NaiveDate {
    parse_date(s).unwrap()
}

fn t(s: &str) -> Term {
    s.parse().unwrap()
}

fn line(no: &str, cat: Category, item: &str, count: u32) -> LineIn {
    LineIn {
        term: t("111-1"),
        student_no: no.into(),
        name: format!("學生{no}").into(),
        class: "201".into(),
        seat: Some(no[no.len() - 1..].parse().unwrap_or(1).max(1)),
        category: cat,
        item: item.into(),
        count,
        extra: "".into(),
    }
}

fn file() -> Vec<LineIn> {
    vec![
        line("110001", Category::Basic, "學籍資料", 1),
        line("110001", Category::CourseOutcomes, "數學", 2),
        line("110001", Category::Diverse, "志工服務", 1),
        line("110001", Category::Diverse, "志工服務", 1),
        line("110002", Category::CourseOutcomes, "國文", 1),
    ]
}

fn no_progress() -> impl FnMut(usize, usize) {
    |_, _| {}
}

#[test]
fn import_adds_students_and_the_same_file_again_adds_nothing() {
    let (_d, mut s) = school("fengshan");
    let out = s.import_receipts(&file(), &mut no_progress()).unwrap();
    assert_eq!(out.added, 5);
    assert_eq!(out.students_added, 2);
    assert_eq!(out.terms, vec![t("111-1")]);
    let st = s.student_by_no("110001").unwrap().unwrap().student;
    assert_eq!(st.name, "學生110001");
    assert_eq!(st.grade, Some(11));
    let again = s.import_receipts(&file(), &mut no_progress()).unwrap();
    assert!(again.no_change(), "{again:?}");
    assert_eq!(again.unchanged, 5);
    let rows = s.receipt_overview(t("111-1")).unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].counts[Category::Diverse.index()], 2);
    assert_eq!(rows[0].lines, 4);
    assert_eq!(rows[0].confirm, Confirm::Unconfirmed);
}

#[test]
fn a_corrected_file_replaces_only_what_it_covers() {
    let (_d, mut s) = school("fengshan");
    s.import_receipts(&file(), &mut no_progress()).unwrap();
    // 110001's diverse list now has one entry; outcomes count changed;
    // basic data and 110002 are not in the file and stay.
    let fixed = vec![
        line("110001", Category::CourseOutcomes, "數學", 3),
        line("110001", Category::Diverse, "志工服務", 1),
        line("110003", Category::Cadre, "班長", 1),
    ];
    let out = s.import_receipts(&fixed, &mut no_progress()).unwrap();
    assert_eq!(
        (out.added, out.removed, out.changed, out.unchanged),
        (1, 1, 1, 1)
    );
    assert_eq!(out.students_added, 1);
    let a = s.student_by_no("110001").unwrap().unwrap().student;
    let lines = s.receipt_lines(t("111-1"), a.id).unwrap();
    let got: Vec<(Category, &str, u32)> = lines
        .iter()
        .map(|l| (l.category, l.item.as_str(), l.count))
        .collect();
    assert_eq!(
        got,
        vec![
            (Category::Basic, "學籍資料", 1),
            (Category::CourseOutcomes, "數學", 3),
            (Category::Diverse, "志工服務", 1),
        ]
    );
    assert_eq!(s.receipt_overview(t("111-1")).unwrap().len(), 3);
}

fn student_id(s: &Store, no: &str) -> i64 {
    s.student_by_no(no).unwrap().unwrap().student.id
}

fn report(s: &mut Store, no: &str, cat: Category, on: &str) -> i64 {
    let sid = student_id(s, no);
    s.log_discrepancy(&Discrepancy {
        id: 0,
        term: t("111-1"),
        student_id: sid,
        category: cat,
        line_id: None,
        kind: Kind::Missing,
        detail: "少一件".into(),
        reported_on: d(on),
        via: Via::Platform,
        unit: String::new(),
        status: DStatus::Reported,
        resolution: String::new(),
    })
    .unwrap()
}

#[test]
fn workflow_routes_records_each_step_and_loops_until_the_student_confirms() {
    let (_d, mut s) = school("taitung");
    s.import_receipts(&file(), &mut no_progress()).unwrap();
    let id = report(&mut s, "110001", Category::Diverse, "111.10.24");
    let rec = s.discrepancy(id).unwrap();
    assert_eq!(
        rec.d.unit, "訓育組",
        "臺東 routes diverse performance to 訓育組"
    );
    let other = report(&mut s, "110002", Category::CourseOutcomes, "111.10.24");
    assert_eq!(s.discrepancy(other).unwrap().d.unit, "註冊組");
    let row = |s: &Store, no: &str| {
        s.receipt_overview(t("111-1"))
            .unwrap()
            .into_iter()
            .find(|r| r.student.student_no == no)
            .unwrap()
    };
    assert_eq!(row(&s, "110001").confirm, Confirm::Disputed);
    // Closing straight away is refused, and so is confirming while unanswered.
    let v = rec.meta.version;
    match s.advance_discrepancy(id, v, DStatus::Closed, "") {
        Err(StoreError::Refused { key, .. }) => assert_eq!(key, "receipt.err_close_unresolved"),
        other => panic!("{other:?}"),
    }
    match s.confirm_receipt(t("111-1"), student_id(&s, "110001")) {
        Err(StoreError::Refused { key, .. }) => assert_eq!(key, "receipt.err_confirm_waiting"),
        other => panic!("{other:?}"),
    }
    s.grant_role("clerk2", portfolio_desk::domain::access::Role::Clerk)
        .unwrap();
    s.set_user("clerk2");
    s.advance_discrepancy(id, v, DStatus::Investigating, "")
        .unwrap();
    let v = s.discrepancy(id).unwrap().meta.version;
    // A rejection needs a reason.
    assert!(
        s.advance_discrepancy(id, v, DStatus::Rejected, " ")
            .is_err()
    );
    s.advance_discrepancy(id, v, DStatus::Rejected, "平臺資料與上傳一致")
        .unwrap();
    // The student is asked to check again.
    assert_eq!(row(&s, "110001").confirm, Confirm::Unconfirmed);
    // A stale version is refused naming who changed it.
    match s.advance_discrepancy(id, v, DStatus::Closed, "") {
        Err(StoreError::Stale { by, .. }) => assert_eq!(by, "clerk2"),
        other => panic!("{other:?}"),
    }
    // The student disagrees again: back to reported, then corrected.
    let v = s.discrepancy(id).unwrap().meta.version;
    s.advance_discrepancy(id, v, DStatus::Reported, "仍缺一件")
        .unwrap();
    assert_eq!(row(&s, "110001").confirm, Confirm::Disputed);
    let v = s.discrepancy(id).unwrap().meta.version;
    s.advance_discrepancy(id, v, DStatus::Investigating, "")
        .unwrap();
    let v = s.discrepancy(id).unwrap().meta.version;
    s.advance_discrepancy(id, v, DStatus::Corrected, "補上傳志工服務證明")
        .unwrap();
    // Confirming closes the answered discrepancy.
    s.confirm_receipt(t("111-1"), student_id(&s, "110001"))
        .unwrap();
    assert_eq!(row(&s, "110001").confirm, Confirm::Confirmed);
    let done = s.discrepancy(id).unwrap();
    assert_eq!(done.d.status, DStatus::Closed);
    assert_eq!(done.d.resolution, "補上傳志工服務證明");
    let steps: Vec<(DStatus, String)> = s
        .discrepancy_steps(id)
        .unwrap()
        .into_iter()
        .map(|x| (x.status, x.by))
        .collect();
    assert_eq!(
        steps,
        vec![
            (DStatus::Reported, "registry".into()),
            (DStatus::Investigating, "clerk2".into()),
            (DStatus::Rejected, "clerk2".into()),
            (DStatus::Reported, "clerk2".into()),
            (DStatus::Investigating, "clerk2".into()),
            (DStatus::Corrected, "clerk2".into()),
            (DStatus::Closed, "clerk2".into()),
        ]
    );
}

#[test]
fn corrected_lines_are_marked_for_resubmission() {
    let (_d, mut s) = school("fengshan");
    s.import_receipts(&file(), &mut no_progress()).unwrap();
    let sid = student_id(&s, "110002");
    let line = s.receipt_lines(t("111-1"), sid).unwrap()[0].clone();
    assert!(!line.resubmit);
    let id = s
        .log_discrepancy(&Discrepancy {
            id: 0,
            term: t("111-1"),
            student_id: sid,
            category: line.category,
            line_id: Some(line.id),
            kind: Kind::WrongName,
            detail: "課程名稱應為國語文".into(),
            reported_on: d("111.10.24"),
            via: Via::Paper,
            unit: String::new(),
            status: DStatus::Reported,
            resolution: String::new(),
        })
        .unwrap();
    for (to, note) in [
        (DStatus::Investigating, ""),
        (DStatus::Corrected, "更正課程名稱"),
    ] {
        let v = s.discrepancy(id).unwrap().meta.version;
        s.advance_discrepancy(id, v, to, note).unwrap();
    }
    assert!(s.receipt_lines(t("111-1"), sid).unwrap()[0].resubmit);
    // A line of another student is refused.
    let other = student_id(&s, "110001");
    let mut d2 = s.discrepancy(id).unwrap().d;
    d2.student_id = other;
    assert!(s.log_discrepancy(&d2).is_err());
}

fn window(s: &mut Store, dates: &str) {
    s.add_event(&Event {
        id: 0,
        term: t("111-1"),
        title: "十一、十二年級上網確認收訖明細".into(),
        phase: Phase::ReceiptConfirm,
        grades: Grades::of(&[11, 12]),
        units: vec!["註冊組".into()],
        span: parse_range(dates).unwrap(),
        national: false,
        prepares_for: None,
        notes: String::new(),
        done_on: None,
    })
    .unwrap();
}

#[test]
fn deemed_confirmation_after_the_window_under_fengshans_rule() {
    let (_d, mut s) = school("fengshan");
    s.import_receipts(&file(), &mut no_progress()).unwrap();
    s.import_receipts(
        &[line("110003", Category::Basic, "學籍資料", 1)],
        &mut no_progress(),
    )
    .unwrap();
    // No window yet.
    match s.deem_confirmed(t("111-1"), d("111.11.01")) {
        Err(StoreError::Refused { key, .. }) => assert_eq!(key, "receipt.err_deem_no_window"),
        other => panic!("{other:?}"),
    }
    window(&mut s, "111.10.21-111.10.28");
    let w = s.confirm_window(t("111-1")).unwrap().unwrap();
    assert_eq!(w.span.end, d("111.10.28"));
    match s.deem_confirmed(t("111-1"), d("111.10.28")) {
        Err(StoreError::Refused { key, args }) => {
            assert_eq!(key, "receipt.err_deem_open");
            assert!(args.iter().any(|(k, v)| *k == "end" && v == "111.10.28"));
        }
        other => panic!("{other:?}"),
    }
    // 110001 confirmed, 110002 has an open discrepancy, 110003 said nothing.
    s.confirm_receipt(t("111-1"), student_id(&s, "110001"))
        .unwrap();
    report(&mut s, "110002", Category::CourseOutcomes, "111.10.27");
    let out = s.deem_confirmed(t("111-1"), d("111.10.29")).unwrap();
    assert_eq!((out.deemed, out.kept_open), (1, 1));
    let p = s.confirm_progress(t("111-1")).unwrap();
    assert_eq!((p.total, p.confirmed, p.deemed, p.disputed), (3, 1, 1, 1));
    assert_eq!(p.done(), 2);
    let audit = s.recent_audit(50).unwrap();
    assert!(audit.iter().any(|a| {
        a.tbl == "receipt_confirm"
            && a.after_json
                .as_deref()
                .is_some_and(|j| j.contains("\"deemed\"") && j.contains("\"deem\""))
    }));
    // Undo: the school's creator gives up the director's role and may
    // not; a staff record holding 教務主任 does not make anyone director;
    // the login granted the role may.
    s.grant_role("admin2", portfolio_desk::domain::access::Role::Admin)
        .unwrap();
    s.revoke_role("registry", portfolio_desk::domain::access::Role::Director)
        .unwrap();
    match s.undo_deemed(t("111-1")) {
        Err(StoreError::Refused { key, .. }) => assert_eq!(key, "access.refused"),
        other => panic!("{other:?}"),
    }
    let dir = s
        .add_staff(&portfolio_desk::domain::committee::StaffDraft {
            name: "林主任".into(),
            positions: vec!["教務主任".into()],
            email: "lin@school.tw".into(),
            ..Default::default()
        })
        .unwrap();
    let _ = dir;
    s.set_user("lin");
    assert!(
        s.undo_deemed(t("111-1")).is_err(),
        "a position is not a role"
    );
    s.set_user("registry");
    s.grant_role("lin", portfolio_desk::domain::access::Role::Director)
        .unwrap();
    s.set_user("lin");
    assert_eq!(s.undo_deemed(t("111-1")).unwrap(), 1);
    assert_eq!(s.confirm_progress(t("111-1")).unwrap().deemed, 0);
}

#[test]
fn no_deeming_where_the_regulation_is_silent() {
    let (_d, mut s) = school("jingxin");
    s.import_receipts(&file(), &mut no_progress()).unwrap();
    window(&mut s, "111.10.21-111.10.28");
    match s.deem_confirmed(t("111-1"), d("111.11.01")) {
        Err(StoreError::Refused { key, .. }) => assert_eq!(key, "receipt.err_deem_no_rule"),
        other => panic!("{other:?}"),
    }
    // A window set by hand wins over the calendar's.
    s.set_confirm_window(
        t("111-1"),
        Some(DateRange {
            start: d("111.11.01"),
            end: d("111.11.05"),
        }),
    )
    .unwrap();
    assert_eq!(
        s.confirm_window(t("111-1")).unwrap().unwrap().span.end,
        d("111.11.05")
    );
    s.set_confirm_window(t("111-1"), None).unwrap();
    assert_eq!(
        s.confirm_window(t("111-1")).unwrap().unwrap().span.end,
        d("111.10.28")
    );
}

#[test]
fn check_reports_overdue_unconfirmed_caps_and_who_would_be_deemed() {
    let (_d, mut s) = school("fengshan");
    let mut lines = file();
    for i in 0..7 {
        lines.push(line(
            "110002",
            Category::CourseOutcomes,
            &format!("科目{i}"),
            1,
        ));
    }
    s.import_receipts(&lines, &mut no_progress()).unwrap();
    window(&mut s, "111.10.21-111.10.28");
    report(&mut s, "110001", Category::Basic, "111.10.24");
    let r = s.check_receipts(d("111.10.28")).unwrap();
    assert_eq!(r.overdue.len(), 1, "due 10.27, today 10.28");
    assert_eq!(r.overdue[0].1, d("111.10.27"));
    assert!(r.unconfirmed.is_empty(), "window still open");
    assert_eq!(r.caps.len(), 1);
    assert_eq!(r.caps[0].1.student_no, "110002");
    assert_eq!((r.caps[0].0.count, r.caps[0].0.max), (8, 6));
    assert!(r.deemable.is_empty(), "window still open");
    // After the window: the check counts who would be deemed, deems nobody.
    let r = s.check_receipts(d("111.10.29")).unwrap();
    assert_eq!(r.deemable, vec![(t("111-1"), 1)]);
    assert_eq!(r.unconfirmed.len(), 2, "{:?}", r.unconfirmed);
    assert_eq!(s.confirm_progress(t("111-1")).unwrap().deemed, 0);
    // Deeming is `deem_confirmed`; then 110001 is left, disputed with an
    // open discrepancy.
    s.deem_confirmed(t("111-1"), d("111.10.29")).unwrap();
    let r = s.check_receipts(d("111.10.29")).unwrap();
    assert!(r.deemable.is_empty());
    assert_eq!(r.unconfirmed.len(), 1);
    assert_eq!(r.unconfirmed[0].2.student_no, "110001");
}

#[test]
fn students_edit_import_and_leavers() {
    let (_d, mut s) = school("fengshan");
    let id = s
        .add_student(&Student {
            student_no: "109001".into(),
            name: "王小明".into(),
            class: "301".into(),
            seat: Some(1),
            grade: Some(12),
            status: StudentStatus::Left,
            address: "高雄市鳳山區".into(),
            postal_code: "830".into(),
            email: "ming@example.tw".into(),
            ..Default::default()
        })
        .unwrap();
    let dup = Student {
        student_no: "109001".into(),
        ..Default::default()
    };
    match s.add_student(&dup) {
        Err(StoreError::Refused { key, args }) => {
            assert_eq!(key, "receipt.err_student_no_taken");
            assert!(args.contains(&("name", "王小明".to_string())));
        }
        other => panic!("{other:?}"),
    }
    let bad = Student {
        student_no: "109002".into(),
        email: "not-an-address".into(),
        ..Default::default()
    };
    assert!(matches!(
        s.add_student(&bad),
        Err(StoreError::Refused {
            key: "receipt.err_bad_email",
            ..
        })
    ));
    let out = s
        .import_students(&[
            Student {
                student_no: "109001".into(),
                name: String::new(),
                email: "new@example.tw".into(),
                status: StudentStatus::Left,
                ..Default::default()
            },
            Student {
                student_no: "110009".into(),
                name: "陳小華".into(),
                ..Default::default()
            },
        ])
        .unwrap();
    assert_eq!((out.added, out.updated, out.unchanged), (1, 1, 0));
    let ming = s.student(id).unwrap();
    assert_eq!(ming.student.name, "王小明", "blank keeps what is stored");
    assert_eq!(ming.student.email, "new@example.tw");
    s.import_receipts(
        &[
            line("109001", Category::Basic, "學籍資料", 1),
            line("110009", Category::Basic, "學籍資料", 1),
        ],
        &mut no_progress(),
    )
    .unwrap();
    let n = s.leaver_notices(t("111-1")).unwrap();
    assert_eq!(n.len(), 1);
    assert_eq!(n[0].student.student_no, "109001");
    s.confirm_receipt(t("111-1"), id).unwrap();
    assert!(s.leaver_notices(t("111-1")).unwrap().is_empty());
}

#[test]
fn an_import_is_all_or_nothing() {
    let (_d, mut s) = school("fengshan");
    // A line with a term the database cannot hold fails the whole import.
    let mut lines = file();
    let mut bad = line("110004", Category::Basic, "x", 1);
    bad.term = Term {
        year: 999,
        semester: 1,
    };
    lines.push(bad);
    assert!(s.import_receipts(&lines, &mut no_progress()).is_err());
    assert!(s.student_by_no("110001").unwrap().is_none());
    assert!(s.receipt_terms().unwrap().is_empty());
}

#[test]
fn a_file_of_two_terms_merges_each_against_what_is_stored() {
    let (_d, mut s) = school("fengshan");
    // 111-2 is recorded before 111-1, so its row id is the smaller.
    let mut later = line("110001", Category::Diverse, "志工服務", 1);
    later.term = t("111-2");
    s.import_receipts(&[later.clone()], &mut no_progress())
        .unwrap();
    let mut both = file();
    both.push(later.clone());
    let mut second = later.clone();
    second.item = "社團活動".into();
    both.insert(0, second);
    let out = s.import_receipts(&both, &mut no_progress()).unwrap();
    assert_eq!((out.added, out.unchanged, out.removed), (6, 1, 0));
    let again = s.import_receipts(&both, &mut no_progress()).unwrap();
    assert!(again.no_change(), "{again:?}");
    assert_eq!(again.unchanged, 7);
    // The same file in another order matches line for line, duplicates included.
    let mut shuffled = both.clone();
    shuffled.reverse();
    let again = s.import_receipts(&shuffled, &mut no_progress()).unwrap();
    assert!(again.no_change(), "{again:?}");
    // One of the two equal diverse lines goes: one removed, the rest kept.
    let fewer: Vec<LineIn> = both
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 4)
        .map(|(_, l)| l.clone())
        .collect();
    assert_eq!(&*both[4].item, "志工服務");
    let out = s.import_receipts(&fewer, &mut no_progress()).unwrap();
    assert_eq!((out.added, out.removed, out.changed), (0, 1, 0));
    let sid = student_id(&s, "110001");
    assert_eq!(s.receipt_lines(t("111-1"), sid).unwrap().len(), 3);
    assert_eq!(s.receipt_lines(t("111-2"), sid).unwrap().len(), 2);
}

/// The dashboard's (and the agenda's) overdue count in SQL agrees with
/// `Discrepancy::overdue` for reports on every day around a fixing window
/// that ends inside, before and after their three days, month ends included.
#[test]
fn the_overdue_count_in_sql_follows_the_domain_rule_around_a_fix_window() {
    let (_d, mut s) = school("taitung");
    s.import_receipts(&file(), &mut no_progress()).unwrap();
    for fix_end in [None, Some("111.10.31"), Some("111.11.02")] {
        if let Some(end) = fix_end {
            let start = d("111.10.20");
            s.add_event(&Event {
                id: 0,
                term: t("111-1"),
                title: format!("疑義處理 {end}"),
                phase: Phase::Fix,
                grades: Grades::ALL,
                units: vec![],
                span: DateRange::new(start, d(end)).unwrap(),
                national: false,
                prepares_for: None,
                notes: String::new(),
                done_on: None,
            })
            .unwrap();
        }
        let before: Vec<i64> = s
            .discrepancies(Some(t("111-1")))
            .unwrap()
            .iter()
            .map(|x| x.d.id)
            .collect();
        if before.is_empty() {
            for day in 25..=31 {
                report(&mut s, "110001", Category::Basic, &format!("111.10.{day}"));
            }
            for day in 1..=4 {
                report(&mut s, "110002", Category::Basic, &format!("111.11.0{day}"));
            }
        }
        let fix = s.fix_window_end(t("111-1")).unwrap();
        for today in [
            "111.10.27",
            "111.10.31",
            "111.11.01",
            "111.11.02",
            "111.11.03",
            "111.11.05",
            "111.11.08",
        ] {
            let today = d(today);
            let expected = s
                .discrepancies(Some(t("111-1")))
                .unwrap()
                .iter()
                .filter(|x| x.d.overdue(fix, today))
                .count();
            let got = s.discrepancy_summary(t("111-1"), today).unwrap().overdue;
            assert_eq!(got, expected, "fix {fix:?}, today {today}");
        }
    }
}
