//! `portfolio-desk agenda` and `portfolio-desk minutes`: print a meeting's
//! agenda (default: the next planned meeting) or its minutes, as HTML, Markdown
//! or plain text, to stdout or `--out FILE` (the `io::out_file` rules).
//! Printing never writes the database: a planned meeting's reports are
//! generated from live data for the print; a held meeting prints the
//! reports frozen when it was marked held.

use std::path::PathBuf;

use clap::{Arg, ArgMatches, Command};

use crate::agenda_refresh::agenda_doc;
use crate::domain::agenda::DocKind;
use crate::domain::meeting::{Meeting, MeetingStatus};
use crate::domain::roc::academic_year_of;
use crate::i18n::{tr, trf};
use crate::io::agenda_export::{AgendaFormat, export};
use crate::store::Store;
use crate::ui::dates;

use super::{Failure, check_out, open_existing, out_arg, say, today, write_out, year_arg};

fn parse_agenda_format(s: &str) -> Result<AgendaFormat, String> {
    AgendaFormat::parse(s).ok_or_else(|| trf("agenda.bad_format", &[("format", s.to_string())]))
}

fn meeting_arg(required: bool) -> Arg {
    Arg::new("meeting")
        .long("meeting")
        .value_name("N")
        .required(required)
        .value_parser(clap::value_parser!(u32))
        .help(tr("agenda.meeting_help"))
}

fn format_arg() -> Arg {
    Arg::new("format")
        .long("format")
        .value_name("html|md|txt")
        .value_parser(parse_agenda_format)
        .help(tr("agenda.format_help"))
}

/// `agenda [--meeting N] [--year Y] [--format html|md|txt] [--out FILE]`.
pub(super) fn agenda_command() -> Command {
    Command::new("agenda")
        .about(tr("agenda.cli_about"))
        .arg(meeting_arg(false))
        .arg(year_arg("agenda.year_help"))
        .arg(format_arg())
        .arg(out_arg())
}

/// `minutes --meeting N [--year Y] [--format html|md|txt] [--out FILE]`.
pub(super) fn minutes_command() -> Command {
    Command::new("minutes")
        .about(tr("agenda.cli_minutes_about"))
        .arg(meeting_arg(true))
        .arg(year_arg("agenda.year_help"))
        .arg(format_arg())
        .arg(out_arg())
}

/// The format asked for, else the one `--out`'s extension names, else
/// Markdown (on stdout) / HTML (to a file without a known extension).
fn format_of(sub: &ArgMatches, out: Option<&PathBuf>) -> AgendaFormat {
    if let Some(f) = sub.get_one::<AgendaFormat>("format") {
        return *f;
    }
    match out {
        Some(p) => p
            .extension()
            .and_then(|e| AgendaFormat::parse(&e.to_string_lossy()))
            .unwrap_or(AgendaFormat::Html),
        None => AgendaFormat::Markdown,
    }
}

/// Meeting N of the year (`--year`, else the academic year of today).
fn numbered(store: &Store, n: u32, year: i32) -> Result<Meeting, Failure> {
    store.meeting_by_number(year, n)?.ok_or_else(|| {
        let known: Vec<String> = store
            .meetings(Some(year))
            .unwrap_or_default()
            .iter()
            .map(|m| m.number.to_string())
            .collect();
        let key = if known.is_empty() {
            "agenda.no_meeting_n_none"
        } else {
            "agenda.no_meeting_n"
        };
        Failure(trf(
            key,
            &[
                ("n", n.to_string()),
                ("year", year.to_string()),
                ("known", known.join(tr("agenda.sep"))),
            ],
        ))
    })
}

fn print(m: &ArgMatches, sub: &ArgMatches, kind: DocKind) -> Result<(), Failure> {
    let today = today()?;
    let out = sub.get_one::<PathBuf>("out");
    let db = check_out(m, out)?;
    let format = format_of(sub, out);
    let store = open_existing(m)?;
    let year = sub
        .get_one::<i32>("year")
        .copied()
        .unwrap_or_else(|| academic_year_of(today));
    let meeting = match sub.get_one::<u32>("meeting") {
        Some(&n) => numbered(&store, n, year)?,
        None => store.next_planned_meeting(today)?.ok_or_else(|| {
            Failure(trf(
                "agenda.no_next_meeting",
                &[("today", dates::day(today))],
            ))
        })?,
    };
    if kind == DocKind::Minutes && meeting.status == MeetingStatus::Planned {
        return Err(Failure(trf(
            "agenda.minutes_not_held",
            &[
                ("n", meeting.number.to_string()),
                ("year", meeting.year.to_string()),
            ],
        )));
    }
    let doc = agenda_doc(&store, meeting.id, kind, today, dates::style())?;
    let bytes = export(format, &doc);
    if let Some(path) = write_out(&db, out, &bytes)? {
        say(&trf(
            match kind {
                DocKind::Agenda => "agenda.printed",
                DocKind::Minutes => "agenda.printed_minutes",
            },
            &[("title", doc.title()), ("path", path.display().to_string())],
        ));
    }
    Ok(())
}

pub(super) fn agenda(m: &ArgMatches, sub: &ArgMatches) -> Result<(), Failure> {
    print(m, sub, DocKind::Agenda)
}

pub(super) fn minutes(m: &ArgMatches, sub: &ArgMatches) -> Result<(), Failure> {
    print(m, sub, DocKind::Minutes)
}
