//! `who` and `check delegates`: who acts for a position on a date.

use chrono::NaiveDate;
use clap::ArgMatches;

use crate::domain::delegation::{Actor, Subject, World, coverage, resolve};
use crate::domain::roc::{academic_year_of, format_roc, parse_date};
use crate::i18n::{tr, trf};
use crate::store::Store;

use super::{Failure, open_existing, say, today};

/// `--date` if given (ROC or ISO), else today.
fn date_or_today(sub: &ArgMatches) -> Result<NaiveDate, Failure> {
    match sub.get_one::<String>("date") {
        Some(s) => Ok(parse_date(s)?),
        None => today(),
    }
}

/// Positions the school knows: delegate tables, staff positions, this
/// year's committee seats.
fn known_positions(store: &Store, world: &World, year: i32) -> Result<Vec<String>, Failure> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |p: &str| {
        if !out.iter().any(|q| q == p) {
            out.push(p.to_string());
        }
    };
    for t in &world.tables {
        if let Subject::Position(p) = &t.subject {
            add(p);
        }
        for d in &t.delegates {
            if let Actor::Position(p) = &d.actor {
                add(p);
            }
        }
    }
    for p in &world.people {
        for pos in &p.positions {
            add(pos);
        }
    }
    if let Some(c) = store.committee(year)? {
        for s in store.seats(c.id)? {
            add(&s.seat.title);
        }
    }
    Ok(out)
}

pub(super) fn who(m: &ArgMatches, sub: &ArgMatches) -> Result<(), Failure> {
    let position = sub
        .get_one::<String>("position")
        .cloned()
        .unwrap_or_default();
    let position = position.trim().to_string();
    let date = date_or_today(sub)?;
    let store = open_existing(m)?;
    let world = store.world()?;
    let known = known_positions(&store, &world, academic_year_of(date))?;
    if !known.contains(&position) {
        let mut list: Vec<String> = known.into_iter().take(24).collect();
        if list.is_empty() {
            list.push(tr("cli.none").to_string());
        }
        return Err(Failure(trf(
            "cli.unknown_position",
            &[("position", position), ("known", list.join(tr("list.sep")))],
        )));
    }
    let r = resolve(&world, &Subject::Position(position.clone()), date);
    let path = crate::ui::delegation_text::path_text(&r);
    match r.acting() {
        Some(a) => {
            let how = match (a.rank(), &a.via) {
                (Some(rank), Some(via)) => trf(
                    "cli.who_via",
                    &[
                        ("rank", rank.to_string()),
                        ("table", subject_label(&world, &via.table)),
                    ],
                ),
                _ => tr("cli.who_self").to_string(),
            };
            say(&trf(
                "cli.who_acts",
                &[
                    ("date", format_roc(date)),
                    ("position", position),
                    ("name", a.person.name.clone()),
                    ("how", how),
                ],
            ));
            say(&trf("cli.who_path", &[("path", path)]));
            Ok(())
        }
        None => {
            say(&trf("cli.who_path", &[("path", path)]));
            Err(Failure(trf(
                "cli.who_no_one",
                &[("date", format_roc(date)), ("position", position)],
            )))
        }
    }
}

fn subject_label(world: &World, s: &Subject) -> String {
    match s {
        Subject::Position(p) => p.clone(),
        Subject::Teacher(id) => world
            .person(*id)
            .map(|p| p.name.clone())
            .unwrap_or_else(|| format!("#{id}")),
    }
}

pub(super) fn check_delegates(m: &ArgMatches, sub: &ArgMatches) -> Result<(), Failure> {
    let date = date_or_today(sub)?;
    let store = open_existing(m)?;
    let world = store.world()?;
    let seats = store.office_positions(academic_year_of(date))?;
    let findings = coverage(&world, date, &seats, &store.teachers_with_uncertified()?);
    if findings.is_empty() {
        say(&trf("cli.check_ok", &[("date", format_roc(date))]));
        return Ok(());
    }
    for f in &findings {
        say(&trf(f.message_key(), &f.args()));
    }
    Err(Failure(trf(
        "cli.check_found",
        &[
            ("n", findings.len().to_string()),
            ("date", format_roc(date)),
        ],
    )))
}
