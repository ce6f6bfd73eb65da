//! `export checklist` and `check checklists`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::ArgMatches;

use crate::domain::calendar::Grades;
use crate::domain::checklist::{Checklist, Finding as ChecklistFinding, Item};
use crate::domain::roc::academic_year_of;
use crate::i18n::{tr, trf};
use crate::io::calendar_export::Format;
use crate::io::checklist_export::{self, ChecklistPublish};
use crate::ui::checklist_text;
use crate::ui::dates;

use super::{Failure, check_out, open_existing, say, today, write_out};

/// `--format`, else the `--out` file's extension, else HTML.
fn output_format(sub: &ArgMatches, out: Option<&PathBuf>) -> Format {
    sub.get_one::<Format>("format")
        .copied()
        .or_else(|| {
            out.and_then(|p| p.extension())
                .and_then(|e| Format::parse(&e.to_string_lossy()))
        })
        .unwrap_or(Format::Html)
}

/// "There are no checklists for academic year 117; years there are: 115, 116".
fn unknown_checklist_year(all: &[Checklist], year: i32) -> Failure {
    let mut years: Vec<i32> = all.iter().map(|c| c.year).collect();
    years.sort();
    years.dedup();
    let mut known: Vec<String> = years.iter().map(|y| y.to_string()).collect();
    if known.is_empty() {
        known.push(tr("cli.none").to_string());
    }
    Failure(trf(
        "io.ck_unknown_year",
        &[
            ("year", year.to_string()),
            ("known", known.join(tr("list.sep"))),
        ],
    ))
}

/// The year's lists of the grade group: the list of exactly that group, else
/// those that include any of its grades (`--group 10` finds 十、十一年級).
fn lists_of_group(of_year: &[Checklist], group: Grades) -> Vec<Checklist> {
    let exact: Vec<Checklist> = of_year
        .iter()
        .filter(|c| c.group == group)
        .cloned()
        .collect();
    if !exact.is_empty() {
        return exact;
    }
    of_year
        .iter()
        .filter(|c| group.list().iter().any(|g| c.group.contains(*g)))
        .cloned()
        .collect()
}

pub(super) fn export_checklist(m: &ArgMatches, sub: &ArgMatches) -> Result<(), Failure> {
    let today = today()?;
    let year = sub
        .get_one::<i32>("year")
        .copied()
        .unwrap_or_else(|| academic_year_of(today));
    let out = sub.get_one::<PathBuf>("out");
    let db = check_out(m, out)?;
    let format = output_format(sub, out);
    if !checklist_export::supports(format) {
        return Err(Failure(tr("io.ck_no_ics").to_string()));
    }
    let group = match sub.get_one::<String>("group") {
        Some(g) => Some(
            Grades::parse(g)
                .map_err(|_| Failure(trf("io.ck_bad_group", &[("group", g.clone())])))?,
        ),
        None => None,
    };
    let store = open_existing(m)?;
    let school = store.require_school()?;
    let all: Vec<Checklist> = store.checklists()?.into_iter().map(|c| c.list).collect();
    let of_year: Vec<Checklist> = all.iter().filter(|c| c.year == year).cloned().collect();
    if of_year.is_empty() {
        return Err(unknown_checklist_year(&all, year));
    }
    let chosen = match group.filter(|g| !g.is_empty()) {
        None => of_year,
        Some(g) => {
            let v = lists_of_group(&of_year, g);
            if v.is_empty() {
                let known: Vec<String> = of_year
                    .iter()
                    .map(|c| {
                        trf(
                            "io.ck_group_known",
                            &[("group", c.group.code()), ("title", c.title.clone())],
                        )
                    })
                    .collect();
                return Err(Failure(trf(
                    "io.ck_unknown_group",
                    &[
                        ("year", year.to_string()),
                        ("group", g.code()),
                        ("known", known.join(tr("list.sep"))),
                    ],
                )));
            }
            v
        }
    };
    let mut lists: Vec<(Checklist, Vec<Item>)> = Vec::new();
    for c in chosen {
        let items = store
            .checklist_items(c.id)?
            .into_iter()
            .map(|r| r.item)
            .collect();
        lists.push((c, items));
    }
    let linked_end: BTreeMap<i64, NaiveDate> = if lists
        .iter()
        .any(|(_, items)| items.iter().any(|i| i.event_id.is_some()))
    {
        store
            .events()?
            .into_iter()
            .map(|e| (e.event.id, e.event.span.end))
            .collect()
    } else {
        BTreeMap::new()
    };
    let bytes = checklist_export::export(
        format,
        &ChecklistPublish {
            school_name: &school.name,
            year,
            lists: &lists,
            style: dates::style(),
            generated_on: today,
            linked_end: &linked_end,
        },
    );
    if let Some(path) = write_out(&db, out, &bytes)? {
        say(&trf(
            "io.ck_exported",
            &[
                ("year", year.to_string()),
                ("lists", lists.len().to_string()),
                (
                    "n",
                    lists
                        .iter()
                        .map(|(_, i)| i.len())
                        .sum::<usize>()
                        .to_string(),
                ),
                ("path", path.display().to_string()),
                ("format", format.extension().to_string()),
            ],
        ));
    }
    Ok(())
}

pub(super) fn check_checklists(m: &ArgMatches, sub: &ArgMatches) -> Result<(), Failure> {
    let today = today()?;
    let year = sub.get_one::<i32>("year").copied();
    let store = open_existing(m)?;
    let all: Vec<Checklist> = store.checklists()?.into_iter().map(|c| c.list).collect();
    if all.is_empty() {
        say(tr("io.ck_check_none"));
        return Ok(());
    }
    if let Some(y) = year
        && !all.iter().any(|c| c.year == y)
    {
        return Err(unknown_checklist_year(&all, y));
    }
    let report = store.check_checklists(year, today)?;
    let list_of = |f: &ChecklistFinding| -> Option<i64> {
        let id = f.item()?;
        report
            .items
            .iter()
            .find(|i| i.id == id)
            .map(|i| i.checklist_id)
    };
    let line = |f: &ChecklistFinding| {
        say(&trf(
            "io.ck_check_line",
            &[(
                "message",
                checklist_text::message(f, &report.items, &report.lists),
            )],
        ));
    };
    for c in &report.lists {
        let mine: Vec<&ChecklistFinding> = report
            .findings
            .iter()
            .filter(|f| list_of(f) == Some(c.id))
            .collect();
        if mine.is_empty() {
            continue;
        }
        say(&trf(
            "io.ck_check_list",
            &[
                ("year", c.year.to_string()),
                ("title", c.title.clone()),
                ("n", mine.len().to_string()),
            ],
        ));
        for f in mine {
            line(f);
        }
    }
    let rest: Vec<&ChecklistFinding> = report
        .findings
        .iter()
        .filter(|f| list_of(f).is_none())
        .collect();
    if !rest.is_empty() {
        say(&trf("io.ck_check_units", &[("n", rest.len().to_string())]));
        for f in rest {
            line(f);
        }
    }
    if report.findings.is_empty() {
        say(&trf(
            "io.ck_check_ok",
            &[
                ("lists", report.lists.len().to_string()),
                ("items", report.items.len().to_string()),
            ],
        ));
        return Ok(());
    }
    let count = |pick: fn(&ChecklistFinding) -> bool| {
        report
            .findings
            .iter()
            .filter(|f| pick(f))
            .count()
            .to_string()
    };
    Err(Failure(trf(
        "io.ck_check_summary",
        &[
            ("n", report.findings.len().to_string()),
            (
                "overdue",
                count(|f| matches!(f, ChecklistFinding::Overdue { .. })),
            ),
            (
                "no_unit",
                count(|f| matches!(f, ChecklistFinding::NoUnit { .. })),
            ),
            (
                "moved",
                count(|f| matches!(f, ChecklistFinding::WindowMoved { .. })),
            ),
            (
                "unheld",
                count(|f| matches!(f, ChecklistFinding::UnitUnheld { .. })),
            ),
            (
                "bad_date",
                count(|f| matches!(f, ChecklistFinding::BadDate { .. })),
            ),
        ],
    )))
}
