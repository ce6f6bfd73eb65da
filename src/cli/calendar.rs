//! `import calendar`, `export calendar`, `check calendar`, `calendar copy`.

use std::path::PathBuf;

use clap::ArgMatches;

use crate::domain::calendar::{CheckRules, Event, Finding, Severity, TermInfo, check};
use crate::domain::roc::Term;
use crate::i18n::{Localized, tr, trf};
use crate::io::calendar_csv::{EventFile, read_events};
use crate::io::calendar_export::{Format, Publish, export};
use crate::io::text::TextEncoding;
use crate::store::{EventRec, Store};
use crate::ui::calendar_text;
use crate::ui::dates;

use super::{
    Failure, check_out, db_path, now_utc, open_existing, read_file, say, today, warn, write_out,
};

/// What was read from a calendar file, its header line and unknown columns.
fn say_file(path: &std::path::Path, f: &EventFile) {
    say(&trf(
        "io.file_read",
        &[
            ("file", path.display().to_string()),
            ("encoding", f.encoding.name().to_string()),
            ("rows", (f.events.len() + f.bad_lines()).to_string()),
            ("good", f.events.len().to_string()),
            ("bad", f.bad_lines().to_string()),
        ],
    ));
    if f.header_line > 1 {
        say(&trf(
            "io.header_line",
            &[("line", f.header_line.to_string())],
        ));
    }
    if !f.unknown_headers.is_empty() {
        let quoted: Vec<String> = f
            .unknown_headers
            .iter()
            .map(|h| trf("io.quoted", &[("text", h.clone())]))
            .collect();
        say(&trf(
            "io.unknown_headers",
            &[("headers", quoted.join(tr("list.sep")))],
        ));
    }
}

/// The terms the store knows (term rows and terms of events), in order.
fn known_terms(store: &Store) -> Result<Vec<Term>, Failure> {
    let mut terms: Vec<Term> = store.terms()?.into_iter().map(|t| t.info.term).collect();
    terms.extend(store.events()?.into_iter().map(|e| e.event.term));
    terms.sort();
    terms.dedup();
    Ok(terms)
}

fn unknown_term(store: &Store, term: Term) -> Result<Failure, Failure> {
    let mut known: Vec<String> = known_terms(store)?.iter().map(|t| t.to_string()).collect();
    if known.is_empty() {
        known.push(tr("cli.none").to_string());
    }
    Ok(Failure(trf(
        "io.unknown_term",
        &[
            ("term", term.to_string()),
            ("known", known.join(tr("list.sep"))),
        ],
    )))
}

pub(super) fn import_calendar(m: &ArgMatches, sub: &ArgMatches) -> Result<(), Failure> {
    let path = sub.get_one::<PathBuf>("file").cloned().unwrap_or_default();
    let term = sub.get_one::<Term>("term").copied();
    let encoding = sub.get_one::<TextEncoding>("encoding").copied();
    let good_rows_only = sub.get_flag("good-rows-only");
    let mut store = open_existing(m)?;
    let bytes = read_file(&path)?;
    let file = read_events(&bytes, encoding, term)?;
    say_file(&path, &file);
    for b in &file.bad {
        warn(&b.message());
    }
    let bad = file.bad_lines();
    if bad > 0 && !good_rows_only {
        return Err(Failure(trf(
            "io.import_refused",
            &[
                ("bad", bad.to_string()),
                ("good", file.events.len().to_string()),
            ],
        )));
    }
    if file.events.is_empty() {
        return Err(Failure(trf(
            "io.no_rows",
            &[("file", path.display().to_string())],
        )));
    }
    let outcome = store.import_events(&file.event_list(), &file.links)?;
    if bad > 0 {
        say(&trf("io.import_skipped", &[("bad", bad.to_string())]));
    }
    say(&trf(
        "io.import_done",
        &[
            ("added", outcome.added.to_string()),
            ("already", outcome.already_there.to_string()),
        ],
    ));
    if !outcome.new_terms.is_empty() {
        let terms: Vec<String> = outcome.new_terms.iter().map(|t| t.to_string()).collect();
        say(&trf(
            "io.import_new_terms",
            &[("terms", terms.join(tr("list.sep")))],
        ));
    }
    Ok(())
}

pub(super) fn export_calendar(m: &ArgMatches, sub: &ArgMatches) -> Result<(), Failure> {
    let today = today()?;
    let now = now_utc()?;
    let term = match sub.get_one::<Term>("term") {
        Some(t) => *t,
        None => Term::containing(today),
    };
    let out = sub.get_one::<PathBuf>("out");
    let db = check_out(m, out)?;
    let format = sub
        .get_one::<Format>("format")
        .copied()
        .or_else(|| {
            out.and_then(|p| p.extension())
                .and_then(|e| Format::parse(&e.to_string_lossy()))
        })
        .unwrap_or(Format::Html);
    let store = open_existing(m)?;
    let school = store.require_school()?;
    let events: Vec<EventRec> = store
        .events()?
        .into_iter()
        .filter(|r| r.event.term == term)
        .collect();
    let info = match store.terms()?.into_iter().find(|t| t.info.term == term) {
        Some(t) => t.info,
        None if !events.is_empty() => TermInfo::new(term),
        None => return Err(unknown_term(&store, term)?),
    };
    let bytes = export(
        format,
        &Publish {
            school_name: &school.name,
            term: &info,
            events: &events,
            style: dates::style(),
            generated_on: today,
            generated_at: now,
        },
    )?;
    if let Some(path) = write_out(&db, out, &bytes)? {
        say(&trf(
            "io.exported",
            &[
                ("term", term.to_string()),
                ("n", events.len().to_string()),
                ("path", path.display().to_string()),
                ("format", format.extension().to_string()),
            ],
        ));
    }
    Ok(())
}

/// A finding as printed: severity, term, (line,) message; then why.
fn say_finding(f: &Finding, line: Option<usize>) {
    let mut args = vec![
        ("severity", calendar_text::severity(f.severity).to_string()),
        ("term", f.term.to_string()),
        ("message", calendar_text::message(f)),
    ];
    let key = match line {
        Some(l) => {
            args.push(("line", l.to_string()));
            "io.check_line_at"
        }
        None => "io.check_line",
    };
    say(&trf(key, &args));
    say(&format!(
        "    {}",
        trf("calendar.check_why", &[("why", calendar_text::why(f))])
    ));
}

pub(super) fn check_calendar(m: &ArgMatches, sub: &ArgMatches) -> Result<(), Failure> {
    let term = sub.get_one::<Term>("term").copied();
    let (findings, bad_rows, lines) = match sub.get_one::<PathBuf>("file") {
        Some(path) => {
            let encoding = sub.get_one::<TextEncoding>("encoding").copied();
            let db = db_path(m, "school.db")?;
            let school = if db.exists() {
                Store::open(&db)?.school()?
            } else {
                None
            };
            let rules = match &school {
                Some(s) => CheckRules::from_preset(&s.preset).with_style(crate::ui::dates::style()),
                None => {
                    say(tr("io.check_no_school"));
                    CheckRules::default().with_style(crate::ui::dates::style())
                }
            };
            let bytes = read_file(path)?;
            let file = read_events(&bytes, encoding, term)?;
            say_file(path, &file);
            let events = file_events(&file);
            let findings = check(&[], &events, &rules);
            let lines: Vec<usize> = file.events.iter().map(|(l, _)| *l).collect();
            (findings, file.bad, lines)
        }
        None => {
            let store = open_existing(m)?;
            let school = store.require_school()?;
            if let Some(t) = term
                && !known_terms(&store)?.contains(&t)
            {
                return Err(unknown_term(&store, t)?);
            }
            let (terms, events) = store.calendar()?;
            let rules =
                CheckRules::from_preset(&school.preset).with_style(crate::ui::dates::style());
            let findings = check(&terms, &events, &rules);
            (findings, Vec::new(), Vec::new())
        }
    };
    let findings: Vec<Finding> = findings
        .into_iter()
        .filter(|f| term.is_none_or(|t| f.term == t))
        .collect();
    for b in &bad_rows {
        say(&trf(
            "io.check_bad_row",
            &[
                (
                    "severity",
                    calendar_text::severity(Severity::Error).to_string(),
                ),
                ("message", b.message()),
            ],
        ));
    }
    for f in &findings {
        // With --file, event ids are positions in the file (1-based).
        let line = f
            .event
            .filter(|_| !lines.is_empty())
            .and_then(|id| lines.get((id - 1) as usize).copied());
        say_finding(f, line);
    }
    let errors = bad_rows.len()
        + findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count();
    let warnings = findings.len() + bad_rows.len() - errors;
    if errors + warnings == 0 {
        say(&calendar_text::summary(&[]));
        return Ok(());
    }
    Err(Failure(trf(
        "calendar.check_summary",
        &[
            ("errors", errors.to_string()),
            ("warnings", warnings.to_string()),
        ],
    )))
}

/// A file's good rows as events to check: ids are their positions (from 1)
/// and "prepares for" points at the national window of that title in the
/// same term (or at nothing, which the check reports).
fn file_events(file: &EventFile) -> Vec<Event> {
    let mut events: Vec<Event> = file
        .events
        .iter()
        .enumerate()
        .map(|(i, (_, e))| Event {
            id: i as i64 + 1,
            ..e.clone()
        })
        .collect();
    for (i, title) in &file.links {
        let Some(src) = events.get(*i) else { continue };
        let target = events
            .iter()
            .find(|o| {
                o.id != src.id && o.national && o.term == src.term && o.title.trim() == title.trim()
            })
            .map(|o| o.id)
            .unwrap_or(-1);
        events[*i].prepares_for = Some(target);
    }
    events
}

fn weekday_name(w: chrono::Weekday) -> &'static str {
    use chrono::Weekday::*;
    tr(match w {
        Mon => "weekday.mon",
        Tue => "weekday.tue",
        Wed => "weekday.wed",
        Thu => "weekday.thu",
        Fri => "weekday.fri",
        Sat => "weekday.sat",
        Sun => "weekday.sun",
    })
}

pub(super) fn calendar_copy(m: &ArgMatches, sub: &ArgMatches) -> Result<(), Failure> {
    let Some(from) = sub.get_one::<Term>("from").copied() else {
        return Ok(());
    };
    let mut store = open_existing(m)?;
    let originals: Vec<Event> = store
        .events()?
        .into_iter()
        .map(|r| r.event)
        .filter(|e| e.term == from)
        .collect();
    let outcome = store.copy_term_forward(from)?;
    say(&trf(
        "io.copy_done",
        &[
            ("from", from.to_string()),
            ("to", outcome.to.to_string()),
            ("n", outcome.shifted.len().to_string()),
        ],
    ));
    for (i, s) in outcome.shifted.iter().enumerate() {
        let old = originals
            .get(i)
            .map(|e| dates::range(&e.span))
            .unwrap_or_default();
        let mut drift = if s.from_weekday == s.to_weekday {
            trf(
                "io.copy_same_day",
                &[("day", weekday_name(s.to_weekday).to_string())],
            )
        } else {
            trf(
                "io.copy_drift",
                &[
                    ("from", weekday_name(s.from_weekday).to_string()),
                    ("to", weekday_name(s.to_weekday).to_string()),
                ],
            )
        };
        if s.weekend {
            drift.push_str(tr("io.copy_weekend"));
        }
        say(&trf(
            "io.copy_line",
            &[
                ("dates", dates::range(&s.event.span)),
                ("title", s.event.title.clone()),
                ("old", old),
                ("drift", drift),
            ],
        ));
    }
    let weekend = outcome.shifted.iter().filter(|s| s.weekend).count();
    if weekend > 0 {
        say(&trf("io.copy_weekend_count", &[("n", weekend.to_string())]));
    }
    Ok(())
}
