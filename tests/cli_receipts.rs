//! `import receipts|students`, `export notices|discrepancies`, `check
//! receipts` and `receipts deem|undo-deem|window`, run as a real process
//! against a school made with `init --preset fengshan` (silence in the
//! window means confirmed; leavers are told by paper mail and e-mail), on
//! 115.11.25.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use portfolio_desk::domain::committee::StaffDraft;
use portfolio_desk::domain::receipt::{Category, DStatus, Discrepancy, Kind, Via};
use portfolio_desk::domain::roc::{Term, parse_date};
use portfolio_desk::store::Store;
use tempfile::TempDir;

mod common;
use common::cli::{Run, run};

/// A temporary directory with a 鳳山 school database.
fn school() -> (TempDir, PathBuf) {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("school.db");
    run(dir.path(), &db, &["init", "--preset", "fengshan"]).code(0);
    (dir, db)
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn t(s: &str) -> Term {
    s.parse().unwrap()
}

fn d(s: &str) -> NaiveDate {
    parse_date(s).unwrap()
}

/// Term 115-1: three students, one line of each of them per category.
const RECEIPTS: &str = "\u{feff}學號,姓名,班級,座號,類別,項目,件數,學期,上傳日期\r\n\
113001,王小明,301,1,課程學習成果,數學專題,2,115-1,115.10.01\r\n\
113001,王小明,301,1,多元表現,志工服務,1,115-1,\r\n\
113002,李小華,301,2,幹部經歷,班長,1,115-1,\r\n\
113002,李小華,301,2,課程學習成果,物理實驗,1,115-1,\r\n\
113003,陳美玲,302,3,基本資料,學籍資料,1,115-1,\r\n";

/// The same, corrected: 113001's outcomes count changed, the diverse line
/// replaced by another, 113004 added.
const CORRECTED: &str = "學號,姓名,班級,座號,類別,項目,件數,學期,上傳日期\n\
113001,王小明,301,1,課程學習成果,數學專題,3,115-1,115.10.01\n\
113001,王小明,301,1,多元表現,社團成果,1,115-1,\n\
113002,李小華,301,2,幹部經歷,班長,1,115-1,\n\
113002,李小華,301,2,課程學習成果,物理實驗,1,115-1,\n\
113003,陳美玲,302,3,基本資料,學籍資料,1,115-1,\n\
113004,林志明,302,4,修課紀錄,國語文,1,115-1,\n";

/// Line 1 title, 2 header, 3 good, 4-5 good (a quoted line break), 6 and 8 bad.
const WITH_BAD_ROWS: &str = "115學年度第1學期 收訖明細\n\
學號,姓名,班級,座號,類別,項目,件數,學期\n\
113001,王小明,301,1,課程學習成果,數學專題,2,115-1\n\
113002,李小華,301,2,多元表現,\"志工\n服務\",1,115-1\n\
113003,陳美玲,302,3,獎懲紀錄,,1,115-1\n\
113004,林志明,302,4,基本資料,,1,115-1\n\
113005,黃,302,5,基本資料,,二,115-1\n";

const STUDENTS: &str = "學號,姓名,班級,座號,學籍狀態,郵遞區號,地址,電子郵件\n\
113002,李小華,301,2,畢業,830,高雄市鳳山區文衡路51號,hua@example.tw\n\
113003,陳美玲,302,3,轉出,,,mei@example.tw\n\
113009,新同學,303,9,在學,,,\n";

fn import(dir: &Path, db: &Path, text: &str, more: &[&str]) -> Run {
    let f = write(dir, "receipts.csv", text);
    let mut args = vec!["import", "receipts", s(&f)];
    args.extend_from_slice(more);
    run(dir, db, &args)
}

/// A school with the receipts and the student list imported.
fn with_receipts() -> (TempDir, PathBuf) {
    let (dir, db) = school();
    import(dir.path(), &db, RECEIPTS, &[]).code(0);
    let f = write(dir.path(), "students.csv", STUDENTS);
    run(dir.path(), &db, &["import", "students", s(&f)]).code(0);
    (dir, db)
}

/// The database through the library, acting (like the binary) as the real
/// login, which created the school with `init`.
fn open(db: &Path) -> Store {
    Store::open(db).unwrap()
}

fn report(st: &mut Store, no: &str, cat: Category, on: &str) -> i64 {
    let sid = st.student_by_no(no).unwrap().unwrap().student.id;
    st.log_discrepancy(&Discrepancy {
        id: 0,
        term: t("115-1"),
        student_id: sid,
        category: cat,
        line_id: None,
        kind: Kind::Missing,
        detail: "少一件".into(),
        reported_on: d(on),
        via: Via::Paper,
        unit: String::new(),
        status: DStatus::Reported,
        resolution: String::new(),
    })
    .unwrap()
}

// ----------------------------------------------------------------- import

#[test]
fn a_file_with_bad_rows_is_refused_then_its_good_rows_imported() {
    let (dir, db) = school();
    let r = import(dir.path(), &db, WITH_BAD_ROWS, &[]);
    r.code(1);
    assert!(
        r.stdout
            .contains("UTF-8，5 列資料（3 列可匯入，2 列有問題）"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("標題列在第 2 行"), "{}", r.stdout);
    assert!(
        r.stderr
            .contains("第 6 行「類別」欄：「獎懲紀錄」不是資料類別"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("第 8 行「件數」欄：件數「二」看不懂"),
        "{}",
        r.stderr
    );
    for good in [3, 4, 5, 7] {
        assert!(
            !r.stderr.contains(&format!("第 {good} 行")),
            "good line {good}: {}",
            r.stderr
        );
    }
    assert!(r.stderr.contains("沒有匯入任何資料"), "{}", r.stderr);
    assert!(r.stderr.contains("--good-rows-only"), "{}", r.stderr);
    assert!(!r.stderr.contains('\r'), "no progress line off a terminal");
    // Nothing was written.
    let c = run(dir.path(), &db, &["check", "receipts"]);
    c.code(0);
    assert!(c.stdout.contains("還沒有任何收訖明細"), "{}", c.stdout);

    let r = import(dir.path(), &db, WITH_BAD_ROWS, &["--good-rows-only"]);
    r.code(0);
    assert!(r.stdout.contains("已略過 2 列有問題的資料"), "{}", r.stdout);
    assert!(r.stdout.contains("學期：115-1"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("收訖明細：新增 3 筆、移除 0 筆、更改 0 筆、不變 0 筆；新增學生 3 人。"),
        "{}",
        r.stdout
    );
    // The bad rows are still listed.
    assert_eq!(r.stderr.lines().count(), 2, "{}", r.stderr);
}

#[test]
fn the_same_file_twice_changes_nothing_and_a_corrected_file_is_counted() {
    let (dir, db) = school();
    let r = import(dir.path(), &db, RECEIPTS, &[]);
    r.code(0);
    assert!(r.stdout.contains("UTF-8 (BOM)，5 列資料"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("其他欄位（保留為附加資料）：「上傳日期」"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("新增 5 筆、移除 0 筆、更改 0 筆、不變 0 筆；新增學生 3 人"),
        "{}",
        r.stdout
    );
    assert_eq!(r.stderr, "");

    let again = import(dir.path(), &db, RECEIPTS, &[]);
    again.code(0);
    assert!(
        again
            .stdout
            .contains("沒有任何變更：資料庫中已是這份檔案的內容（5 筆收訖明細）。"),
        "{}",
        again.stdout
    );

    let fixed = import(dir.path(), &db, CORRECTED, &[]);
    fixed.code(0);
    assert!(
        fixed
            .stdout
            .contains("新增 2 筆、移除 1 筆、更改 1 筆、不變 3 筆；新增學生 1 人。"),
        "{}",
        fixed.stdout
    );
}

#[test]
fn a_big5_file_and_the_term_option() {
    let (dir, db) = school();
    let f = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/receipts/big5-111-1.csv");
    let r = run(dir.path(), &db, &["import", "receipts", s(&f)]);
    r.code(0);
    assert!(r.stdout.contains("Big5/CP950，6 列資料"), "{}", r.stdout);
    assert!(r.stdout.contains("學期：111-1"), "{}", r.stdout);
    // Forcing UTF-8 on it fails, naming the encoding.
    let r = run(
        dir.path(),
        &db,
        &["import", "receipts", s(&f), "--encoding", "utf-8"],
    );
    r.code(1);
    assert!(r.stderr.contains("UTF-8"), "{}", r.stderr);

    // No term column: --term gives it; without it the file is refused.
    let text = "學號,類別,件數\n120001,基本資料,1\n";
    let r = import(dir.path(), &db, text, &[]);
    r.code(1);
    assert!(r.stderr.contains("--term"), "{}", r.stderr);
    let r = import(dir.path(), &db, text, &["--term", "112-2"]);
    r.code(0);
    assert!(r.stdout.contains("學期：112-2"), "{}", r.stdout);
}

#[test]
fn students_are_added_then_updated() {
    let (dir, db) = school();
    import(dir.path(), &db, RECEIPTS, &[]).code(0);
    let f = write(dir.path(), "students.csv", STUDENTS);
    let r = run(dir.path(), &db, &["import", "students", s(&f)]);
    r.code(0);
    assert!(
        r.stdout
            .contains("學生名冊：新增 1 人、更新 2 人、不變 0 人。"),
        "{}",
        r.stdout
    );
    let again = run(dir.path(), &db, &["import", "students", s(&f)]);
    again.code(0);
    assert!(
        again.stdout.contains("新增 0 人、更新 0 人、不變 3 人"),
        "{}",
        again.stdout
    );
    // A file without a status column keeps the graduates graduated.
    let f = write(
        dir.path(),
        "emails.csv",
        "學號,Email\n113002,new@example.tw\n",
    );
    let r = run(dir.path(), &db, &["import", "students", s(&f)]);
    r.code(0);
    let st = open(&db).student_by_no("113002").unwrap().unwrap().student;
    assert_eq!(st.email, "new@example.tw");
    assert_eq!(
        st.status,
        portfolio_desk::domain::receipt::StudentStatus::Graduated
    );
    // Bad rows refuse the file.
    let f = write(
        dir.path(),
        "bad.csv",
        "學號,電子郵件\n113002,nobody\n,\n113010,a@b.tw\n",
    );
    let r = run(dir.path(), &db, &["import", "students", s(&f)]);
    r.code(1);
    assert!(
        r.stderr
            .contains("第 2 行「電子郵件」欄：電子郵件「nobody」格式不對"),
        "{}",
        r.stderr
    );
}

// ----------------------------------------------------------------- exports

#[test]
fn notices_as_csv_html_and_emails() {
    let (dir, db) = with_receipts();
    let out = dir.path().join("notices.csv");
    let r = run(
        dir.path(),
        &db,
        &[
            "export",
            "notices",
            "--term",
            "115-1",
            "--format",
            "csv",
            "--out",
            s(&out),
        ],
    );
    r.code(0);
    assert!(
        r.stdout
            .contains("已把 115-1 學期 2 位離校學生的確認通知匯出到"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("其中 1 位沒有郵寄地址"), "{}", r.stdout);
    assert!(r.stdout.contains("113003 陳美玲"), "{}", r.stdout);
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "BOM for Excel");
    let text = String::from_utf8(bytes).unwrap();
    assert!(
        text.starts_with(
            "\u{feff}學號,姓名,班級,座號,學籍狀態,郵遞區號,地址,電子郵件,學期,確認狀態,確認期間\r\n"
        ),
        "{text}"
    );
    assert!(text.contains("113002,李小華,301,2,畢業,830,"), "{text}");

    // HTML to stdout: the note goes to stderr.
    let r = run(
        dir.path(),
        &db,
        &["export", "notices", "--term", "115-1", "--format", "html"],
    );
    r.code(0);
    assert!(r.stdout.starts_with("<!DOCTYPE html>"), "{}", r.stdout);
    assert_eq!(r.stdout.matches("<section class=\"letter\">").count(), 1);
    assert!(r.stdout.contains("沒有郵寄地址的學生（1 人）"));
    assert!(r.stdout.contains("教務處、進修部"));
    assert!(r.stderr.contains("其中 1 位沒有郵寄地址"), "{}", r.stderr);

    let r = run(
        dir.path(),
        &db,
        &["export", "notices", "--term", "115-1", "--format", "emails"],
    );
    r.code(0);
    assert_eq!(
        r.stdout,
        "李小華 <hua@example.tw>\n陳美玲 <mei@example.tw>\n"
    );
    assert_eq!(r.stderr, "");

    // The format follows the --out extension.
    let out = dir.path().join("letters.html");
    run(
        dir.path(),
        &db,
        &["export", "notices", "--term", "115-1", "--out", s(&out)],
    )
    .code(0);
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .starts_with("<!DOCTYPE html>")
    );
}

#[test]
fn discrepancies_as_csv_and_markdown() {
    let (dir, db) = with_receipts();
    {
        let mut st = open(&db);
        report(&mut st, "113001", Category::Diverse, "115.11.12");
        report(&mut st, "113002", Category::Cadre, "115.11.24");
    }
    let r = run(
        dir.path(),
        &db,
        &["export", "discrepancies", "--format", "csv"],
    );
    r.code(0);
    assert!(r.stdout.starts_with("\u{feff}編號,學期,學號,姓名,班級,類別,種類,項目,內容,提報日期,提報方式,負責單位,狀態,處理說明,期限,逾期\r\n"), "{}", r.stdout);
    assert!(
        r.stdout.contains(",學務處,已提報,,115.11.15,是\r\n"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains(",訓育組,已提報,,115.11.27,否\r\n"),
        "{}",
        r.stdout
    );
    let out = dir.path().join("d.md");
    let r = run(
        dir.path(),
        &db,
        &[
            "--dates",
            "gregorian",
            "export",
            "discrepancies",
            "--term",
            "115-1",
            "--out",
            s(&out),
        ],
    );
    r.code(0);
    assert!(r.stdout.contains("已把 2 件疑義匯出到"), "{}", r.stdout);
    let md = std::fs::read_to_string(&out).unwrap();
    assert!(md.contains("## 學務處（1 件，逾期 1 件）"), "{md}");
    assert!(md.contains("**2026-11-15 逾期**"), "{md}");
}

// ----------------------------------------------------------------- check and deeming

#[test]
fn check_receipts_reports_who_would_be_deemed_and_sets_the_exit_code() {
    let (dir, db) = with_receipts();
    // No window yet: nothing to report.
    let r = run(dir.path(), &db, &["check", "receipts"]);
    r.code(0);
    assert!(
        r.stdout.contains("收訖檢查：沒有逾期的疑義"),
        "{}",
        r.stdout
    );

    let w = run(
        dir.path(),
        &db,
        &[
            "receipts",
            "window",
            "--term",
            "115-1",
            "--dates",
            "115.11.10-115.11.17",
        ],
    );
    w.code(0);
    assert!(
        w.stdout
            .contains("115-1 的收訖確認期間已設為 115.11.10~17（8 天）。"),
        "{}",
        w.stdout
    );
    {
        let mut st = open(&db);
        report(&mut st, "113001", Category::Diverse, "115.11.12");
    }
    // A check never deems: all three are unconfirmed (one disputed) after
    // the window, and it says how many `receipts deem` would deem.
    let before = std::fs::read(&db).unwrap();
    let r = run(dir.path(), &db, &["check", "receipts"]);
    r.code(1);
    assert_eq!(std::fs::read(&db).unwrap(), before, "check receipts wrote");
    assert!(r.stdout.contains("逾期未回覆的疑義：1 件"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("113001 王小明　多元表現　學務處　期限 115.11.15"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains(
            "115-1：確認期間已結束，2 位學生可依補充規定視為已確認（檢查不會寫入）。\
             要視為已確認請執行：portfolio-desk receipts deem --term 115-1"
        ),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("115-1：確認期間到 115.11.17 已結束，仍有 3 位學生未確認"),
        "{}",
        r.stdout
    );
    assert!(
        r.stderr
            .contains("逾期疑義 1 件、確認期間結束後未確認 3 人、超過上限 0 項"),
        "{}",
        r.stderr
    );
    // `--no-deem` is still accepted (old scripts), hidden, and the same.
    let old = run(dir.path(), &db, &["check", "receipts", "--no-deem"]);
    old.code(1);
    assert_eq!(old.stdout, r.stdout);
    let help = run(dir.path(), &db, &["check", "receipts", "--help"]);
    assert!(!help.stdout.contains("--no-deem"), "{}", help.stdout);
    // Deeming is `receipts deem` (鳳山's rule): it leaves only the disputed
    // student, and the check then has no one left to deem.
    run(dir.path(), &db, &["receipts", "deem", "--term", "115-1"]).code(0);
    let r = run(
        dir.path(),
        &db,
        &["--dates", "gregorian", "check", "receipts"],
    );
    r.code(1);
    assert!(!r.stdout.contains("receipts deem"), "{}", r.stdout);
    assert!(r.stdout.contains("期限 2026-11-15"), "{}", r.stdout);
    assert!(r.stdout.contains("仍有 1 位學生未確認"), "{}", r.stdout);
    assert!(
        r.stdout.contains("113001 王小明　301　有疑義"),
        "{}",
        r.stdout
    );
    // English.
    let r = run(dir.path(), &db, &["--lang", "en", "check", "receipts"]);
    r.code(1);
    assert!(
        r.stdout.contains("Discrepancies past due: 1"),
        "{}",
        r.stdout
    );
    assert!(
        r.stderr.contains("Receipt check: 1 discrepancies past due"),
        "{}",
        r.stderr
    );
}

#[test]
fn caps_over_the_yearly_limits_are_reported() {
    let (dir, db) = school();
    let mut text = String::from("學號,姓名,類別,項目,件數,學期\n");
    for i in 0..4 {
        text.push_str(&format!("113001,王小明,課程學習成果,成果{i},2,115-1\n"));
    }
    import(dir.path(), &db, &text, &[]).code(0);
    let r = run(dir.path(), &db, &["check", "receipts"]);
    r.code(1);
    assert!(r.stdout.contains("超過上限：1 項"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("113001 王小明　課程學習成果每學年上限　8/6（115 學年度）"),
        "{}",
        r.stdout
    );
}

#[test]
fn deem_undo_and_the_window_commands() {
    let (dir, db) = with_receipts();
    // No window: deeming is refused with the store's message.
    let r = run(dir.path(), &db, &["receipts", "deem", "--term", "115-1"]);
    r.code(1);
    assert!(r.stderr.contains("115-1 沒有收訖確認期間"), "{}", r.stderr);
    // A window still open.
    run(
        dir.path(),
        &db,
        &[
            "receipts",
            "window",
            "--term",
            "115-1",
            "--dates",
            "115.11.20~12.05",
        ],
    )
    .code(0);
    let r = run(dir.path(), &db, &["receipts", "deem", "--term", "115-1"]);
    r.code(1);
    assert!(
        r.stderr.contains("115-1 的確認期間到 115.12.05 才結束"),
        "{}",
        r.stderr
    );
    // A short window is set, with a warning.
    let r = run(
        dir.path(),
        &db,
        &[
            "receipts",
            "window",
            "--term",
            "115-1",
            "--dates",
            "115.11.10~11",
        ],
    );
    r.code(0);
    assert!(
        r.stderr.contains("確認期間只有 2 天，全國規定至少 3 天"),
        "{}",
        r.stderr
    );
    let r = run(dir.path(), &db, &["receipts", "deem", "--term", "115-1"]);
    r.code(0);
    assert!(
        r.stdout
            .contains("115-1：3 位學生視為已確認；0 位仍有待處理的疑義，維持原狀。"),
        "{}",
        r.stdout
    );
    // Only the academic director may undo it: the school's creator gives
    // the role up, and is refused; a staff record named like the login
    // holding 教務主任 does not make anyone the director.
    let me = common::cli::real_login();
    run(dir.path(), &db, &["users", "revoke", &me, "director"]).code(0);
    {
        let mut st = open(&db);
        st.add_staff(&StaffDraft {
            name: me.clone(),
            positions: vec!["教務主任".into()],
            ..Default::default()
        })
        .unwrap();
    }
    let r = run(
        dir.path(),
        &db,
        &["receipts", "undo-deem", "--term", "115-1"],
    );
    r.code(1);
    assert!(
        r.stderr.contains(&format!(
            "「{me}」（管理者、承辦）不能撤銷「視為已確認」：需要「教務主任」權限；目前無人擔任。"
        )),
        "{}",
        r.stderr
    );
    run(dir.path(), &db, &["users", "grant", &me, "教務主任"]).code(0);
    let r = run(
        dir.path(),
        &db,
        &["receipts", "undo-deem", "--term", "115-1"],
    );
    r.code(0);
    assert!(
        r.stdout
            .contains("115-1：已撤銷 3 位學生的「視為已確認」。"),
        "{}",
        r.stdout
    );
    // Clearing the window goes back to the calendar's (there is none).
    let r = run(
        dir.path(),
        &db,
        &["receipts", "window", "--term", "115-1", "--clear"],
    );
    r.code(0);
    assert!(
        r.stdout.contains("115-1 的自訂確認期間已清除。"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("期程中沒有 115-1 的收訖確認期間"),
        "{}",
        r.stdout
    );
}

// ----------------------------------------------------------------- bad input

#[test]
fn bad_input_is_quoted() {
    let (dir, db) = with_receipts();
    let r = run(
        dir.path(),
        &db,
        &["export", "notices", "--term", "115-3", "--format", "csv"],
    );
    r.code(2);
    assert!(r.stderr.contains("115-3"), "{}", r.stderr);

    let r = run(
        dir.path(),
        &db,
        &["export", "notices", "--term", "115-1", "--format", "pdf"],
    );
    r.code(2);
    assert!(
        r.stderr
            .contains("不認得的格式「pdf」：離校通知請用 csv、html 或 emails。"),
        "{}",
        r.stderr
    );
    let r = run(
        dir.path(),
        &db,
        &["export", "discrepancies", "--format", "html"],
    );
    r.code(2);
    assert!(r.stderr.contains("「html」"), "{}", r.stderr);

    let r = run(dir.path(), &db, &["import", "receipts", "nowhere.csv"]);
    r.code(1);
    assert!(r.stderr.contains("無法讀取「nowhere.csv」"), "{}", r.stderr);

    let f = write(dir.path(), "r.csv", RECEIPTS);
    let r = run(
        dir.path(),
        &db,
        &["import", "receipts", s(&f), "--encoding", "latin1"],
    );
    r.code(2);
    assert!(r.stderr.contains("「latin1」"), "{}", r.stderr);
    let r = run(
        dir.path(),
        &db,
        &["import", "receipts", s(&f), "--term", "abc"],
    );
    r.code(2);
    assert!(r.stderr.contains("「abc」"), "{}", r.stderr);

    // A term without receipts names those there are.
    let r = run(
        dir.path(),
        &db,
        &["export", "notices", "--term", "114-2", "--format", "csv"],
    );
    r.code(1);
    assert!(
        r.stderr
            .contains("沒有 114-2 學期的收訖明細；已有的學期：115-1"),
        "{}",
        r.stderr
    );
    let r = run(dir.path(), &db, &["receipts", "deem", "--term", "114-2"]);
    r.code(1);
    assert!(r.stderr.contains("114-2"), "{}", r.stderr);

    // A window that is not a date range, and one reversed.
    let r = run(
        dir.path(),
        &db,
        &[
            "receipts",
            "window",
            "--term",
            "115-1",
            "--dates",
            "115.02.31~03.02",
        ],
    );
    r.code(2);
    assert!(r.stderr.contains("「115.02.31~03.02」"), "{}", r.stderr);
    let r = run(dir.path(), &db, &["receipts", "window", "--term", "115-1"]);
    r.code(2);
    assert!(r.stderr.contains("--clear"), "{}", r.stderr);
}

#[test]
fn english_import_summary() {
    let (dir, db) = school();
    let r = import(dir.path(), &db, RECEIPTS, &["--lang", "en"]);
    r.code(0);
    assert!(
        r.stdout.contains(
            "Receipt lines: 5 added, 0 removed, 0 changed, 0 unchanged; 3 students added."
        ),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("Other columns (kept as extra fields): \"上傳日期\""),
        "{}",
        r.stdout
    );
    let r = import(dir.path(), &db, RECEIPTS, &["--lang", "en"]);
    assert!(r.stdout.contains("Nothing changed"), "{}", r.stdout);
    let help = run(
        dir.path(),
        &db,
        &["--lang", "en", "import", "receipts", "--help"],
    );
    help.code(0);
    assert!(help.stdout.contains("--good-rows-only"), "{}", help.stdout);
    assert!(help.stdout.contains("receipt detail"), "{}", help.stdout);
}

#[test]
fn a_long_unconfirmed_list_is_cut_after_twenty() {
    let (dir, db) = school();
    let mut text = String::from("學號,姓名,班級,類別,學期\n");
    for i in 1..=25 {
        text.push_str(&format!("1130{i:02},生{i},301,基本資料,115-1\n"));
    }
    import(dir.path(), &db, &text, &[]).code(0);
    run(
        dir.path(),
        &db,
        &[
            "receipts",
            "window",
            "--term",
            "115-1",
            "--dates",
            "115.11.10~17",
        ],
    )
    .code(0);
    let r = run(dir.path(), &db, &["check", "receipts", "--no-deem"]);
    r.code(1);
    assert!(r.stdout.contains("仍有 25 位學生未確認"), "{}", r.stdout);
    assert_eq!(r.stdout.matches("　未確認").count(), 20, "{}", r.stdout);
    assert!(r.stdout.contains("113020 生20"), "{}", r.stdout);
    assert!(!r.stdout.contains("113021 生21"), "{}", r.stdout);
    assert!(r.stdout.contains("…以及另外 5 位"), "{}", r.stdout);
}
