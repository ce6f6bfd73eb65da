//! `portfolio-desk retention [--apply] [--archive-dir DIR]`,
//! `retention dates --student NO [--left D] [--applied D]` and
//! `check retention`: the school's retention rule over its students.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::ArgMatches;

use crate::domain::receipt::thousands;
use crate::domain::retention::{Facts, Review, Rule, Step, review, rule_of};
use crate::domain::roc::parse_date;
use crate::i18n::{Localized, tr, trf};
use crate::store::{RecordCounts, Store};
use crate::ui::dates;

use super::{Failure, db_path, open_existing, say, today, warn};

/// Students listed by name before "N more".
const LISTED: usize = 20;

/// The rule's line: "保存年限（regulation words）".
fn say_rule(rule: &Rule) {
    say(&trf("retention.rule", &[("clause", rule.clause.clone())]));
}

fn counts_text(c: &RecordCounts) -> String {
    trf(
        "retention.counts",
        &[
            ("students", thousands(c.students)),
            ("lines", thousands(c.receipt_lines)),
            ("discrepancies", thousands(c.discrepancies)),
            ("confirmations", thousands(c.confirmations)),
            ("archived", thousands(c.archived_lines)),
        ],
    )
}

/// The rule, the review of today and the students by id; None (after
/// saying so) when the regulation has no rule.
fn load(store: &Store, today: NaiveDate) -> Result<Option<(Rule, Review, Vec<Facts>)>, Failure> {
    let school = store.require_school()?;
    let Some(rule) = rule_of(&school.preset) else {
        say(&trf(
            "retention.no_rule",
            &[("school", school.name.clone())],
        ));
        return Ok(None);
    };
    let facts = store.retention_facts()?;
    let rv = review(&rule, &facts, today);
    Ok(Some((rule, rv, facts)))
}

/// Lists what is due, with the counts of each step; returns the plan.
fn report(
    store: &Store,
    rule: &Rule,
    rv: &Review,
    facts: &[Facts],
    today: NaiveDate,
) -> Result<Vec<(i64, Step)>, Failure> {
    say_rule(rule);
    let by_id = |id: i64| facts.iter().find(|f| f.student_id == id);
    if rv.due.is_empty() {
        say(&trf(
            "retention.nothing_due",
            &[("date", dates::day(today))],
        ));
    }
    for step in [Step::Seal, Step::Delete] {
        let ids: Vec<i64> = rv
            .due
            .iter()
            .filter(|d| d.step == step)
            .map(|d| d.student_id)
            .collect();
        if ids.is_empty() {
            continue;
        }
        let c = store.retention_counts(&ids)?;
        say(&trf(
            "retention.due_head",
            &[
                ("step", tr(step.label_key()).to_string()),
                ("counts", counts_text(&c)),
            ],
        ));
        for d in rv.due.iter().filter(|d| d.step == step).take(LISTED) {
            let Some(f) = by_id(d.student_id) else {
                continue;
            };
            say(&trf(
                "retention.due_line",
                &[
                    ("no", f.student_no.clone()),
                    ("name", f.name.clone()),
                    ("status", tr(f.status.label_key()).to_string()),
                    ("from", dates::day(d.from)),
                    ("due", dates::day(d.due)),
                ],
            ));
        }
        if ids.len() > LISTED {
            say(&trf(
                "retention.more",
                &[("n", thousands(ids.len() - LISTED))],
            ));
        }
    }
    if !rv.lacking.is_empty() {
        let nos: Vec<String> = rv
            .lacking
            .iter()
            .filter_map(|id| by_id(*id))
            .take(LISTED)
            .map(|f| f.student_no.clone())
            .collect();
        say(&trf(
            "retention.lacking",
            &[
                ("n", thousands(rv.lacking.len())),
                ("students", nos.join(tr("list.sep"))),
            ],
        ));
    }
    match rv.next {
        Some(d) => say(&trf("retention.next", &[("date", dates::day(d))])),
        None => say(tr("retention.next_none")),
    }
    Ok(rv.due.iter().map(|d| (d.student_id, d.step)).collect())
}

pub(super) fn retention(m: &ArgMatches, sub: &ArgMatches) -> Result<(), Failure> {
    if let Some(("dates", c)) = sub.subcommand() {
        return set_dates(m, c);
    }
    let today = today()?;
    let mut store = open_existing(m)?;
    let Some((rule, rv, facts)) = load(&store, today)? else {
        return Ok(());
    };
    let plan = report(&store, &rule, &rv, &facts, today)?;
    if !sub.get_flag("apply") {
        if !plan.is_empty() {
            say(tr("retention.dry_run"));
        }
        return Ok(());
    }
    if plan.is_empty() {
        return Ok(());
    }
    let dir = match sub.get_one::<PathBuf>("archive-dir") {
        Some(d) => d.clone(),
        None => {
            let db = db_path(m, "school.db")?;
            let parent = db.parent().map(|p| p.to_path_buf()).unwrap_or_default();
            let parent = if parent.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                parent
            };
            parent.join("retention")
        }
    };
    let done = store.apply_retention(&plan, &dir, today, &rule.clause)?;
    say(&trf(
        "retention.applied",
        &[
            ("sealed", thousands(done.sealed.students)),
            ("deleted", thousands(done.deleted.students)),
            ("dir", done.dir.display().to_string()),
            ("sha", done.sha256.clone()),
        ],
    ));
    Ok(())
}

fn set_dates(m: &ArgMatches, sub: &ArgMatches) -> Result<(), Failure> {
    let date = |name: &str| -> Result<Option<NaiveDate>, Failure> {
        match sub.get_one::<String>(name).map(|s| s.trim()) {
            None | Some("") => Ok(None),
            Some(s) => parse_date(s).map(Some).map_err(|e| {
                Failure(trf(
                    "retention.bad_date",
                    &[("input", s.to_string()), ("reason", e.message())],
                ))
            }),
        }
    };
    let left = date("left")?;
    let applied = date("applied")?;
    let no = sub
        .get_one::<String>("student")
        .cloned()
        .unwrap_or_default();
    let mut store = open_existing(m)?;
    store.set_student_dates(&no, left, applied)?;
    let none = || tr("audit.none").to_string();
    say(&trf(
        "retention.dates_set",
        &[
            ("no", no.trim().to_string()),
            ("left", left.map(dates::day).unwrap_or_else(none)),
            ("applied", applied.map(dates::day).unwrap_or_else(none)),
        ],
    ));
    Ok(())
}

/// `check retention`: read-only; exit 1 when records are past their period.
pub(super) fn check_retention(m: &ArgMatches, _sub: &ArgMatches) -> Result<(), Failure> {
    let today = today()?;
    let store = open_existing(m)?;
    let Some((rule, rv, facts)) = load(&store, today)? else {
        return Ok(());
    };
    let plan = report(&store, &rule, &rv, &facts, today)?;
    if plan.is_empty() {
        return Ok(());
    }
    warn(tr("retention.check_hint"));
    Err(Failure(trf(
        "retention.check_summary",
        &[
            ("seal", thousands(rv.count(Step::Seal))),
            ("delete", thousands(rv.count(Step::Delete))),
        ],
    )))
}
