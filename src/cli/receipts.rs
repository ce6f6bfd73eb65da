//! Receipts and discrepancies: `import receipts|students`,
//! `export notices|discrepancies`, `check receipts`,
//! `receipts deem|undo-deem|window|undo-import|imports`.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::ArgMatches;

use crate::domain::calendar::MIN_CONFIRM_DAYS;
use crate::domain::receipt::{CapKind, Student, thousands};
use crate::domain::roc::Term;
use crate::i18n::{Localized, tr, trf};
use crate::io::receipt_csv::{parse_receipts, parse_students};
use crate::io::receipt_export::{
    DiscFormat, DiscPublish, NoticeFormat, NoticePublish, export_discrepancies, export_notices,
    has_address,
};
use crate::io::text::TextEncoding;
use crate::store::{ImportOptions, Store};
use crate::ui::dates;

use super::{
    DatesArg, Failure, check_out, note, open_existing, read_file, say, today, warn, write_out,
};

/// "「a」、「b」".
fn quoted_list(items: &[String]) -> String {
    items
        .iter()
        .map(|h| trf("io.quoted", &[("text", h.clone())]))
        .collect::<Vec<_>>()
        .join(tr("list.sep"))
}

/// "110001 王小明".
fn student_ref(s: &Student) -> String {
    trf(
        "rcio.student_ref",
        &[
            ("no", s.student_no.trim().to_string()),
            ("name", s.name.trim().to_string()),
        ],
    )
    .trim()
    .to_string()
}

/// What was read from a receipt or student file: encoding, rows, header line.
fn say_read(
    path: &std::path::Path,
    encoding: TextEncoding,
    rows: usize,
    good: usize,
    bad: usize,
    header_line: usize,
) {
    say(&trf(
        "io.file_read",
        &[
            ("file", path.display().to_string()),
            ("encoding", encoding.name().to_string()),
            ("rows", thousands(rows)),
            ("good", thousands(good)),
            ("bad", thousands(bad)),
        ],
    ));
    if header_line > 1 {
        say(&trf("io.header_line", &[("line", header_line.to_string())]));
    }
}

/// Lists every bad row on stderr; refuses (nothing written) when there are
/// some and the good rows were not asked for, or when nothing is good.
fn bad_rows_gate(
    bad: &[crate::io::BadRow],
    bad_lines: usize,
    good: usize,
    good_rows_only: bool,
    path: &std::path::Path,
) -> Result<(), Failure> {
    for b in bad {
        warn(&b.message());
    }
    if bad_lines > 0 && !good_rows_only {
        return Err(Failure(trf(
            "io.import_refused",
            &[("bad", thousands(bad_lines)), ("good", thousands(good))],
        )));
    }
    if good == 0 {
        return Err(Failure(trf(
            "io.no_rows",
            &[("file", path.display().to_string())],
        )));
    }
    Ok(())
}

pub(super) fn import_receipts(m: &ArgMatches, sub: &ArgMatches) -> Result<(), Failure> {
    use std::io::Write;
    let path = sub.get_one::<PathBuf>("file").cloned().unwrap_or_default();
    let term = sub.get_one::<Term>("term").copied();
    let encoding = sub.get_one::<TextEncoding>("encoding").copied();
    let good_rows_only = sub.get_flag("good-rows-only");
    let mut store = open_existing(m)?;
    let bytes = read_file(&path)?;
    let file = parse_receipts(&bytes, encoding, term)?;
    // The lines are parsed: the file's bytes need not stay for the import.
    drop(bytes);
    let bad = file.bad_lines();
    say_read(
        &path,
        file.encoding,
        file.rows,
        file.lines.len(),
        bad,
        file.header_line,
    );
    if !file.unknown_headers.is_empty() {
        say(&trf(
            "rcio.unknown_headers_kept",
            &[("headers", quoted_list(&file.unknown_headers))],
        ));
    }
    bad_rows_gate(&file.bad, bad, file.lines.len(), good_rows_only, &path)?;
    let opts = ImportOptions {
        allow_growth: sub.get_flag("allow-growth"),
        ..Default::default()
    };

    // A progress line on a terminal only: "\r匯入中 45%　54,000/120,000".
    let tty = std::io::stderr().is_terminal();
    let mut shown = usize::MAX;
    let mut progress = |done: usize, total: usize| {
        if !tty || total == 0 {
            return;
        }
        let percent = done * 100 / total;
        if percent == shown {
            return;
        }
        shown = percent;
        let mut err = std::io::stderr().lock();
        let _ = write!(
            err,
            "\r{}",
            trf(
                "rcio.progress",
                &[
                    ("percent", percent.to_string()),
                    ("done", thousands(done)),
                    ("total", thousands(total)),
                ],
            )
        );
        let _ = err.flush();
    };
    let result = store.import_receipts_with(&file.lines, opts, &mut progress);
    if tty {
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K");
        let _ = err.flush();
    }
    let out = result?;
    if bad > 0 {
        say(&trf("io.import_skipped", &[("bad", thousands(bad))]));
    }
    say_duplicates(&out.duplicates, &file.line_numbers);
    if !out.duplicates.is_empty() {
        say(&trf(
            "imports.merged",
            &[("n", thousands(out.duplicates.len()))],
        ));
    }
    let terms: Vec<String> = out.terms.iter().map(|t| t.to_string()).collect();
    say(&trf(
        "rcio.imported_terms",
        &[("terms", terms.join(tr("list.sep")))],
    ));
    if out.no_change() {
        say(&trf(
            "rcio.nothing_changed",
            &[("unchanged", thousands(out.unchanged))],
        ));
    } else {
        say(&trf(
            "rcio.imported",
            &[
                ("added", thousands(out.added)),
                ("removed", thousands(out.removed)),
                ("changed", thousands(out.changed)),
                ("unchanged", thousands(out.unchanged)),
                ("students", thousands(out.students_added)),
            ],
        ));
    }
    Ok(())
}

/// How many identical rows to list one by one; the rest are counted.
const DUPLICATES_LISTED: usize = 10;

/// Identical rows of a receipt file, with both line numbers: the first ten,
/// then how many more. `duplicates` holds indices into the file's lines.
fn say_duplicates(duplicates: &[(usize, usize)], line_numbers: &[usize]) {
    if duplicates.is_empty() {
        return;
    }
    say(&trf(
        "imports.dup_summary",
        &[("n", thousands(duplicates.len()))],
    ));
    for (first, line) in duplicates.iter().take(DUPLICATES_LISTED) {
        say(&trf(
            "imports.dup_pair",
            &[
                ("first", thousands(line_numbers[*first])),
                ("line", thousands(line_numbers[*line])),
            ],
        ));
    }
    if duplicates.len() > DUPLICATES_LISTED {
        say(&trf(
            "imports.dup_more",
            &[("n", thousands(duplicates.len() - DUPLICATES_LISTED))],
        ));
    }
}

/// `receipts undo-import --term T`: undoes the term's newest import.
pub(super) fn receipts_undo_import(m: &ArgMatches, sub: &ArgMatches) -> Result<(), Failure> {
    let Some(term) = sub.get_one::<Term>("term").copied() else {
        return Ok(());
    };
    let mut store = open_existing(m)?;
    let rec = store.undo_last_import(term)?;
    say(&trf(
        "imports.undone",
        &[
            ("term", term.to_string()),
            ("at", rec.at.clone()),
            ("user", rec.user.clone()),
            ("added", thousands(rec.added)),
            ("changed", thousands(rec.changed)),
            ("removed", thousands(rec.removed)),
        ],
    ));
    Ok(())
}

/// `receipts imports --term T`: the term's imports, newest first, each
/// with its counts and the first lines it changed or removed (old counts,
/// and the new one for the newest import in effect).
pub(super) fn receipts_imports(m: &ArgMatches, sub: &ArgMatches) -> Result<(), Failure> {
    let Some(term) = sub.get_one::<Term>("term").copied() else {
        return Ok(());
    };
    let store = open_existing(m)?;
    let list = store.receipt_imports(term)?;
    if list.is_empty() {
        say(&trf("imports.imports_none", &[("term", term.to_string())]));
        return Ok(());
    }
    // The lines' current counts are what the newest import in effect set;
    // for the others only the old count is sure.
    let current = list.iter().find(|r| r.undone.is_none()).map(|r| r.id);
    for rec in &list {
        let undone = match &rec.undone {
            Some((at, user)) => trf(
                "imports.undone_mark",
                &[("at", at.clone()), ("user", user.clone())],
            ),
            None => String::new(),
        };
        say(&trf(
            "imports.imports_row",
            &[
                ("id", rec.id.to_string()),
                ("at", rec.at.clone()),
                ("user", rec.user.clone()),
                ("added", thousands(rec.added)),
                ("removed", thousands(rec.removed)),
                ("changed", thousands(rec.changed)),
                ("unchanged", thousands(rec.unchanged)),
                ("undone", undone),
            ],
        ));
        let archived = store.import_archive(rec.id)?;
        for a in archived.iter().take(DUPLICATES_LISTED) {
            let mut args = vec![
                ("no", a.student_no.clone()),
                ("category", tr(a.category.label_key()).to_string()),
                ("item", a.item.clone()),
                ("old", a.old_count.to_string()),
            ];
            let new_count = a.new_count.filter(|_| current == Some(rec.id));
            let key = match (a.removed, new_count) {
                (true, _) => "imports.removed_line",
                (false, Some(n)) => {
                    args.push(("new", n.to_string()));
                    "imports.changed_line"
                }
                (false, None) => "imports.changed_line_gone",
            };
            say(&trf(key, &args));
        }
        if archived.len() > DUPLICATES_LISTED {
            say(&trf(
                "imports.lines_more",
                &[("n", thousands(archived.len() - DUPLICATES_LISTED))],
            ));
        }
    }
    Ok(())
}

pub(super) fn import_students(m: &ArgMatches, sub: &ArgMatches) -> Result<(), Failure> {
    let path = sub.get_one::<PathBuf>("file").cloned().unwrap_or_default();
    let encoding = sub.get_one::<TextEncoding>("encoding").copied();
    let good_rows_only = sub.get_flag("good-rows-only");
    let mut store = open_existing(m)?;
    let bytes = read_file(&path)?;
    let file = parse_students(&bytes, encoding)?;
    let bad = file.bad_lines();
    say_read(
        &path,
        file.encoding,
        file.rows,
        file.students.len(),
        bad,
        file.header_line,
    );
    if !file.unknown_headers.is_empty() {
        say(&trf(
            "io.unknown_headers",
            &[("headers", quoted_list(&file.unknown_headers))],
        ));
    }
    bad_rows_gate(&file.bad, bad, file.students.len(), good_rows_only, &path)?;
    // A blank status keeps what is stored (the file says nothing about it).
    let mut list = file.students.clone();
    if !file.blank_status.is_empty() {
        let stored: std::collections::HashMap<String, crate::domain::receipt::StudentStatus> =
            store
                .students()?
                .into_iter()
                .map(|r| (r.student.student_no.clone(), r.student.status))
                .collect();
        for &i in &file.blank_status {
            if let Some(st) = stored.get(list[i].student_no.trim()) {
                list[i].status = *st;
            }
        }
    }
    let out = store.import_students(&list)?;
    if bad > 0 {
        say(&trf("io.import_skipped", &[("bad", thousands(bad))]));
    }
    say(&trf(
        "rcio.students_imported",
        &[
            ("added", thousands(out.added)),
            ("updated", thousands(out.updated)),
            ("unchanged", thousands(out.unchanged)),
        ],
    ));
    Ok(())
}

/// Refuses a term with no receipt detail (nor discrepancies), naming those
/// that have some.
pub(super) fn require_receipt_term(store: &Store, term: Term) -> Result<(), Failure> {
    let terms = store.receipt_terms()?;
    if terms.contains(&term) {
        return Ok(());
    }
    let mut known: Vec<String> = terms.iter().rev().map(|t| t.to_string()).collect();
    if known.is_empty() {
        known.push(tr("cli.none").to_string());
    }
    Err(Failure(trf(
        "rcio.unknown_term",
        &[
            ("term", term.to_string()),
            ("known", known.join(tr("list.sep"))),
        ],
    )))
}

pub(super) fn export_notices_cmd(m: &ArgMatches, sub: &ArgMatches) -> Result<(), Failure> {
    let today = today()?;
    let Some(term) = sub.get_one::<Term>("term").copied() else {
        return Ok(());
    };
    let out = sub.get_one::<PathBuf>("out");
    let db = check_out(m, out)?;
    let format = sub
        .get_one::<NoticeFormat>("format")
        .copied()
        .or_else(|| {
            out.and_then(|p| p.extension())
                .and_then(|e| NoticeFormat::parse(&e.to_string_lossy()))
        })
        .unwrap_or(NoticeFormat::Html);
    let store = open_existing(m)?;
    let school = store.require_school()?;
    require_receipt_term(&store, term)?;
    let notices = store.leaver_notices(term)?;
    let window = store.confirm_window(term)?.map(|w| w.span);
    let bytes = export_notices(
        format,
        &NoticePublish {
            school_name: &school.name,
            term,
            notices: &notices,
            window,
            methods: &school.preset.leaver_notice,
            units: &school.preset.leaver_notice_by,
            silence_means_confirmed: school.preset.confirmation.silence_means_confirmed,
            style: dates::style(),
            generated_on: today,
        },
    );
    let written = write_out(&db, out, &bytes)?;
    let on_stdout = written.is_none();
    if let Some(path) = written {
        say(&trf(
            "rcio.notices_exported",
            &[
                ("term", term.to_string()),
                ("n", notices.len().to_string()),
                ("path", path.display().to_string()),
                ("format", format.code().to_string()),
            ],
        ));
    }
    if notices.is_empty() {
        note(
            &trf("rcio.notices_none", &[("term", term.to_string())]),
            on_stdout,
        );
        return Ok(());
    }
    let (key, left_out): (&str, Vec<String>) = match format {
        NoticeFormat::Emails => (
            "rcio.notices_no_email",
            notices
                .iter()
                .filter(|n| n.student.email.trim().is_empty())
                .map(|n| student_ref(&n.student))
                .collect(),
        ),
        _ => (
            "rcio.notices_no_address",
            notices
                .iter()
                .filter(|n| !has_address(&n.student))
                .map(|n| student_ref(&n.student))
                .collect(),
        ),
    };
    if !left_out.is_empty() {
        note(
            &trf(
                key,
                &[
                    ("n", left_out.len().to_string()),
                    ("list", left_out.join(tr("list.sep"))),
                ],
            ),
            on_stdout,
        );
    }
    Ok(())
}

pub(super) fn export_discrepancies_cmd(m: &ArgMatches, sub: &ArgMatches) -> Result<(), Failure> {
    let today = today()?;
    let term = sub.get_one::<Term>("term").copied();
    let out = sub.get_one::<PathBuf>("out");
    let db = check_out(m, out)?;
    let format = sub
        .get_one::<DiscFormat>("format")
        .copied()
        .or_else(|| {
            out.and_then(|p| p.extension())
                .and_then(|e| DiscFormat::parse(&e.to_string_lossy()))
        })
        .unwrap_or(DiscFormat::Markdown);
    let store = open_existing(m)?;
    let school = store.require_school()?;
    if let Some(t) = term {
        require_receipt_term(&store, t)?;
    }
    let items = store.discrepancies(term)?;
    let mut fix_end: BTreeMap<Term, NaiveDate> = BTreeMap::new();
    for r in &items {
        if !fix_end.contains_key(&r.d.term)
            && let Some(end) = store.fix_window_end(r.d.term)?
        {
            fix_end.insert(r.d.term, end);
        }
    }
    let units = store.routing()?.units();
    let bytes = export_discrepancies(
        format,
        &DiscPublish {
            school_name: &school.name,
            term,
            items: &items,
            fix_end: &fix_end,
            units: &units,
            style: dates::style(),
            today,
        },
    );
    if let Some(path) = write_out(&db, out, &bytes)? {
        say(&trf(
            "rcio.disc_exported",
            &[
                ("n", items.len().to_string()),
                ("path", path.display().to_string()),
                ("format", format.extension().to_string()),
            ],
        ));
    }
    Ok(())
}

/// A term's students unconfirmed after its window: the term, the window's
/// last day, the students.
type UnconfirmedGroup<'a> = (
    Term,
    NaiveDate,
    Vec<(&'a Student, crate::domain::receipt::Confirm)>,
);

/// How many unconfirmed students `check receipts` lists per term.
const UNCONFIRMED_SHOWN: usize = 20;

pub(super) fn check_receipts(m: &ArgMatches, sub: &ArgMatches) -> Result<(), Failure> {
    let today = today()?;
    // `--no-deem` is still accepted (hidden) so old scripts run: a check
    // never deems now, `receipts deem` does.
    let _ = sub.get_flag("no-deem");
    let store = open_existing(m)?;
    if store.receipt_terms()?.is_empty() {
        say(tr("rcio.check_none"));
        return Ok(());
    }
    let report = store.check_receipts(today)?;
    for (t, n) in &report.deemable {
        say(&trf(
            "guard.check_would_deem",
            &[("term", t.to_string()), ("n", thousands(*n))],
        ));
    }
    if !report.overdue.is_empty() {
        say(&trf(
            "rcio.check_overdue_head",
            &[("n", thousands(report.overdue.len()))],
        ));
        for (r, due) in &report.overdue {
            say(&trf(
                "rcio.check_overdue_line",
                &[
                    ("id", r.d.id.to_string()),
                    ("term", r.d.term.to_string()),
                    (
                        "student",
                        trf(
                            "rcio.student_ref",
                            &[
                                ("no", r.student_no.trim().to_string()),
                                ("name", r.name.trim().to_string()),
                            ],
                        ),
                    ),
                    ("category", tr(r.d.category.label_key()).to_string()),
                    ("unit", r.d.unit.clone()),
                    ("due", dates::day(*due)),
                ],
            ));
        }
    }
    // Unconfirmed students, grouped per term in the report's order.
    let mut groups: Vec<UnconfirmedGroup> = Vec::new();
    for (t, end, s, c) in &report.unconfirmed {
        match groups.iter_mut().find(|g| g.0 == *t) {
            Some(g) => g.2.push((s, *c)),
            None => groups.push((*t, *end, vec![(s, *c)])),
        }
    }
    for (t, end, list) in &groups {
        say(&trf(
            "rcio.check_unconfirmed_head",
            &[
                ("term", t.to_string()),
                ("end", dates::day(*end)),
                ("n", thousands(list.len())),
            ],
        ));
        for (s, c) in list.iter().take(UNCONFIRMED_SHOWN) {
            say(&trf(
                "rcio.check_unconfirmed_line",
                &[
                    ("student", student_ref(s)),
                    ("class", s.class.trim().to_string()),
                    ("state", tr(c.label_key()).to_string()),
                ],
            ));
        }
        if list.len() > UNCONFIRMED_SHOWN {
            say(&trf(
                "rcio.check_more",
                &[("n", thousands(list.len() - UNCONFIRMED_SHOWN))],
            ));
        }
    }
    if !report.caps.is_empty() {
        say(&trf(
            "rcio.check_caps_head",
            &[("n", thousands(report.caps.len()))],
        ));
        for (e, s) in &report.caps {
            let period = match e.cap {
                CapKind::OutcomesPerSemester => {
                    trf("rcio.cap_period_term", &[("term", e.term.to_string())])
                }
                _ => trf("rcio.cap_period_year", &[("year", e.term.year.to_string())]),
            };
            say(&trf(
                "rcio.check_caps_line",
                &[
                    ("student", student_ref(s)),
                    ("cap", tr(e.cap.label_key()).to_string()),
                    ("count", e.count.to_string()),
                    ("max", e.max.to_string()),
                    ("period", period),
                ],
            ));
        }
    }
    if report.is_clean() {
        say(tr("rcio.check_ok"));
        return Ok(());
    }
    Err(Failure(trf(
        "rcio.check_summary",
        &[
            ("overdue", thousands(report.overdue.len())),
            ("unconfirmed", thousands(report.unconfirmed.len())),
            ("caps", thousands(report.caps.len())),
        ],
    )))
}

pub(super) fn receipts_deem(m: &ArgMatches, sub: &ArgMatches) -> Result<(), Failure> {
    let today = today()?;
    let Some(term) = sub.get_one::<Term>("term").copied() else {
        return Ok(());
    };
    let mut store = open_existing(m)?;
    require_receipt_term(&store, term)?;
    let out = store.deem_confirmed(term, today)?;
    say(&trf(
        "rcio.deemed",
        &[
            ("term", term.to_string()),
            ("n", thousands(out.deemed)),
            ("kept", thousands(out.kept_open)),
        ],
    ));
    Ok(())
}

pub(super) fn receipts_undo_deem(m: &ArgMatches, sub: &ArgMatches) -> Result<(), Failure> {
    let Some(term) = sub.get_one::<Term>("term").copied() else {
        return Ok(());
    };
    let mut store = open_existing(m)?;
    require_receipt_term(&store, term)?;
    let n = store.undo_deemed(term)?;
    say(&trf(
        "rcio.undeemed",
        &[("term", term.to_string()), ("n", thousands(n))],
    ));
    Ok(())
}

pub(super) fn receipts_window(m: &ArgMatches, sub: &ArgMatches) -> Result<(), Failure> {
    let Some(term) = sub.get_one::<Term>("term").copied() else {
        return Ok(());
    };
    let span = match sub.get_one::<DatesArg>("dates") {
        Some(DatesArg::Range(r)) if !sub.get_flag("clear") => Some(*r),
        _ => None,
    };
    let mut store = open_existing(m)?;
    store.set_confirm_window(term, span)?;
    match span {
        Some(r) => {
            say(&trf(
                "rcio.window_set",
                &[
                    ("term", term.to_string()),
                    ("range", dates::range(&r)),
                    ("days", r.days().to_string()),
                ],
            ));
            if r.days() < MIN_CONFIRM_DAYS {
                warn(&trf(
                    "rcio.window_short",
                    &[
                        ("days", r.days().to_string()),
                        ("min", MIN_CONFIRM_DAYS.to_string()),
                    ],
                ));
            }
        }
        None => {
            say(&trf("rcio.window_cleared", &[("term", term.to_string())]));
            match store.confirm_window(term)? {
                Some(w) => say(&trf("rcio.window_now", &[("range", dates::range(&w.span))])),
                None => say(&trf("rcio.window_none", &[("term", term.to_string())])),
            }
        }
    }
    Ok(())
}
