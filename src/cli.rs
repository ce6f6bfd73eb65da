//! Command line: `portfolio-desk [--db PATH] [--lang zh-TW|en] [COMMAND]`.
//! Help text comes from the string files, so `--lang en --help` is English.
//! Exit codes: 0 ok, 1 error (one line), 2 bad usage (clap's).

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io::IsTerminal;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Arg, ArgAction, ArgGroup, ArgMatches, Command};

use crate::app::App;
use crate::domain::calendar::{
    CheckRules, Event, Finding, Grades, MIN_CONFIRM_DAYS, Severity, TermInfo, check,
};
use crate::domain::checklist::{Checklist, Finding as ChecklistFinding, Item};
use crate::domain::delegation::{Actor, Subject, World, coverage, resolve};
use crate::domain::preset;
use crate::domain::receipt::{CapKind, Student, thousands};
use crate::domain::roc::{
    DateRange, DateStyle, Term, academic_year_of, format_roc, parse_date, parse_range, parse_term,
};
use crate::i18n::{self, Lang, Localized, tr, trf};
use crate::io::calendar_csv::{EventFile, read_events};
use crate::io::calendar_export::{Format, Publish, export};
use crate::io::checklist_export::{self, ChecklistPublish};
use crate::io::receipt_csv::{parse_receipts, parse_students};
use crate::io::receipt_export::{
    DiscFormat, DiscPublish, NoticeFormat, NoticePublish, export_discrepancies, export_notices,
    has_address,
};
use crate::io::text::TextEncoding;
use crate::store::{EventRec, Store};
use crate::ui::calendar_text;
use crate::ui::checklist_text;
use crate::ui::dates;
use crate::ui::theme::Theme;

/// A failure to report as one line and exit 1.
pub struct Failure(pub String);

impl<E: Localized> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure(e.message())
    }
}

/// `--lang` as given on the command line (before clap, so help is localized),
/// else `PORTFOLIO_DESK_LANG`, else zh-TW.
fn pre_scan_lang(args: &[OsString]) -> Lang {
    let mut it = args.iter().map(|a| a.to_string_lossy().to_string());
    while let Some(a) = it.next() {
        if a == "--lang" {
            if let Some(v) = it.next().and_then(|v| Lang::parse(&v)) {
                return v;
            }
        } else if let Some(v) = a.strip_prefix("--lang=").and_then(Lang::parse) {
            return v;
        }
    }
    std::env::var("PORTFOLIO_DESK_LANG")
        .ok()
        .and_then(|v| Lang::parse(&v))
        .unwrap_or_default()
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::parse(s).ok_or_else(|| trf("cli.bad_lang", &[("lang", s.to_string())]))
}

/// The value of a `--dates` option: the global date style, or the window
/// of `receipts window` (the same option id, so that clap does not give that
/// command the global one too).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DatesArg {
    Style(DateStyle),
    Range(DateRange),
}

fn parse_dates(s: &str) -> Result<DatesArg, String> {
    dates::parse_style(s)
        .map(DatesArg::Style)
        .ok_or_else(|| trf("io.bad_dates", &[("dates", s.to_string())]))
}

fn parse_window(s: &str) -> Result<DatesArg, String> {
    parse_range(s).map(DatesArg::Range).map_err(|e| {
        trf(
            "rcio.bad_window",
            &[("input", s.to_string()), ("reason", e.message())],
        )
    })
}

fn parse_notice_format(s: &str) -> Result<NoticeFormat, String> {
    NoticeFormat::parse(s)
        .ok_or_else(|| trf("rcio.bad_notice_format", &[("format", s.to_string())]))
}

fn parse_disc_format(s: &str) -> Result<DiscFormat, String> {
    DiscFormat::parse(s).ok_or_else(|| trf("rcio.bad_disc_format", &[("format", s.to_string())]))
}

fn parse_term_arg(s: &str) -> Result<Term, String> {
    parse_term(s).map_err(|e| e.message())
}

fn parse_format(s: &str) -> Result<Format, String> {
    Format::parse(s).ok_or_else(|| trf("io.bad_format", &[("format", s.to_string())]))
}

fn parse_encoding(s: &str) -> Result<TextEncoding, String> {
    TextEncoding::parse(s).ok_or_else(|| trf("io.bad_encoding", &[("encoding", s.to_string())]))
}

pub fn command() -> Command {
    let db = Arg::new("db")
        .long("db")
        .value_name("PATH")
        .value_parser(clap::value_parser!(PathBuf))
        .global(true)
        .help(tr("cli.db_help"));
    Command::new("portfolio-desk")
        .version(env!("CARGO_PKG_VERSION"))
        .about(tr("cli.about"))
        .long_about(tr("cli.long_about"))
        .after_help(tr("cli.after_help"))
        .disable_help_subcommand(true)
        .arg(db)
        .arg(
            Arg::new("lang")
                .long("lang")
                .value_name("zh-TW|en")
                .value_parser(parse_lang)
                .global(true)
                .help(tr("cli.lang_help")),
        )
        .arg(
            Arg::new("dates")
                .long("dates")
                .value_name("roc|gregorian")
                .value_parser(parse_dates)
                .global(true)
                .help(tr("cli.dates_help")),
        )
        .subcommand(
            Command::new("init").about(tr("cli.init_about")).arg(
                Arg::new("preset")
                    .long("preset")
                    .value_name("NAME")
                    .required(true)
                    .help(tr("cli.preset_help")),
            ),
        )
        .subcommand(Command::new("presets").about(tr("cli.presets_about")))
        .subcommand(
            Command::new("who")
                .about(tr("cli.who_about"))
                .arg(
                    Arg::new("position")
                        .long("position")
                        .value_name("POSITION")
                        .required(true)
                        .help(tr("cli.position_help")),
                )
                .arg(date_arg()),
        )
        .subcommand(
            Command::new("check")
                .about(tr("cli.check_about"))
                .subcommand_required(true)
                .subcommand(
                    Command::new("delegates")
                        .about(tr("cli.check_delegates_about"))
                        .arg(date_arg()),
                )
                .subcommand(
                    Command::new("calendar")
                        .about(tr("cli.check_calendar_about"))
                        .arg(term_arg("cli.check_term_help"))
                        .arg(
                            Arg::new("file")
                                .long("file")
                                .value_name("FILE")
                                .value_parser(clap::value_parser!(PathBuf))
                                .help(tr("cli.check_file_help")),
                        )
                        .arg(encoding_arg()),
                )
                .subcommand(
                    Command::new("checklists")
                        .about(tr("cli.check_checklists_about"))
                        .arg(year_arg("cli.check_year_help")),
                )
                .subcommand(
                    Command::new("receipts")
                        .about(tr("rcio.check_receipts_about"))
                        .arg(
                            Arg::new("no-deem")
                                .long("no-deem")
                                .action(ArgAction::SetTrue)
                                .help(tr("rcio.no_deem_help")),
                        ),
                ),
        )
        .subcommand(
            Command::new("import")
                .about(tr("rcio.import_about"))
                .subcommand_required(true)
                .subcommand(
                    Command::new("calendar")
                        .about(tr("cli.import_calendar_about"))
                        .arg(
                            Arg::new("file")
                                .value_name("FILE")
                                .required(true)
                                .value_parser(clap::value_parser!(PathBuf))
                                .help(tr("cli.file_help")),
                        )
                        .arg(term_arg("cli.import_term_help"))
                        .arg(encoding_arg())
                        .arg(good_rows_only_arg()),
                )
                .subcommand(
                    Command::new("receipts")
                        .about(tr("rcio.import_receipts_about"))
                        .arg(file_arg("rcio.receipts_file_help"))
                        .arg(term_arg("rcio.receipts_term_help"))
                        .arg(encoding_arg())
                        .arg(good_rows_only_arg()),
                )
                .subcommand(
                    Command::new("students")
                        .about(tr("rcio.import_students_about"))
                        .arg(file_arg("rcio.students_file_help"))
                        .arg(encoding_arg())
                        .arg(good_rows_only_arg()),
                ),
        )
        .subcommand(
            Command::new("export")
                .about(tr("rcio.export_about"))
                .subcommand_required(true)
                .subcommand(
                    Command::new("calendar")
                        .about(tr("cli.export_calendar_about"))
                        .arg(term_arg("cli.term_help"))
                        .arg(
                            Arg::new("format")
                                .long("format")
                                .value_name("html|md|ics|csv")
                                .value_parser(parse_format)
                                .help(tr("cli.format_help")),
                        )
                        .arg(
                            Arg::new("out")
                                .long("out")
                                .value_name("FILE")
                                .value_parser(clap::value_parser!(PathBuf))
                                .help(tr("cli.out_help")),
                        ),
                )
                .subcommand(
                    Command::new("checklist")
                        .about(tr("cli.export_checklist_about"))
                        .arg(year_arg("cli.year_help"))
                        .arg(
                            Arg::new("group")
                                .long("group")
                                .value_name("GRADES")
                                .help(tr("cli.group_help")),
                        )
                        .arg(
                            Arg::new("format")
                                .long("format")
                                .value_name("html|md|csv")
                                .value_parser(parse_format)
                                .help(tr("cli.checklist_format_help")),
                        )
                        .arg(out_arg()),
                )
                .subcommand(
                    Command::new("notices")
                        .about(tr("rcio.export_notices_about"))
                        .arg(term_arg("rcio.notices_term_help").required(true))
                        .arg(
                            Arg::new("format")
                                .long("format")
                                .value_name("csv|html|emails")
                                .value_parser(parse_notice_format)
                                .help(tr("rcio.notices_format_help")),
                        )
                        .arg(out_arg()),
                )
                .subcommand(
                    Command::new("discrepancies")
                        .about(tr("rcio.export_disc_about"))
                        .arg(term_arg("rcio.disc_term_help"))
                        .arg(
                            Arg::new("format")
                                .long("format")
                                .value_name("csv|md")
                                .value_parser(parse_disc_format)
                                .help(tr("rcio.disc_format_help")),
                        )
                        .arg(out_arg()),
                ),
        )
        .subcommand(
            Command::new("receipts")
                .about(tr("rcio.receipts_about"))
                .subcommand_required(true)
                .subcommand(
                    Command::new("deem")
                        .about(tr("rcio.deem_about"))
                        .arg(term_arg("rcio.term_required_help").required(true)),
                )
                .subcommand(
                    Command::new("undo-deem")
                        .about(tr("rcio.undo_deem_about"))
                        .arg(term_arg("rcio.term_required_help").required(true)),
                )
                .subcommand(
                    Command::new("window")
                        .about(tr("rcio.window_about"))
                        .arg(term_arg("rcio.term_required_help").required(true))
                        .arg(
                            Arg::new("dates")
                                .long("dates")
                                .value_name("RANGE")
                                .value_parser(parse_window)
                                .help(tr("rcio.window_dates_help")),
                        )
                        .arg(
                            Arg::new("clear")
                                .long("clear")
                                .action(ArgAction::SetTrue)
                                .help(tr("rcio.window_clear_help")),
                        )
                        .group(
                            ArgGroup::new("window")
                                .args(["dates", "clear"])
                                .required(true),
                        ),
                ),
        )
        .subcommand(
            Command::new("calendar")
                .about(tr("cli.calendar_about"))
                .subcommand_required(true)
                .subcommand(
                    Command::new("copy")
                        .about(tr("cli.calendar_copy_about"))
                        .arg(
                            Arg::new("from")
                                .long("from")
                                .value_name("TERM")
                                .required(true)
                                .value_parser(parse_term_arg)
                                .help(tr("cli.from_help")),
                        ),
                ),
        )
        .subcommand(
            Command::new("demo").about(tr("cli.demo_about")).arg(
                Arg::new("reset")
                    .long("reset")
                    .action(ArgAction::SetTrue)
                    .help(tr("cli.reset_help")),
            ),
        )
}

fn term_arg(help: &'static str) -> Arg {
    Arg::new("term")
        .long("term")
        .value_name("TERM")
        .value_parser(parse_term_arg)
        .help(tr(help))
}

fn file_arg(help: &'static str) -> Arg {
    Arg::new("file")
        .value_name("FILE")
        .required(true)
        .value_parser(clap::value_parser!(PathBuf))
        .help(tr(help))
}

fn out_arg() -> Arg {
    Arg::new("out")
        .long("out")
        .value_name("FILE")
        .value_parser(clap::value_parser!(PathBuf))
        .help(tr("cli.out_help"))
}

fn good_rows_only_arg() -> Arg {
    Arg::new("good-rows-only")
        .long("good-rows-only")
        .action(ArgAction::SetTrue)
        .help(tr("cli.good_rows_only_help"))
}

fn year_arg(help: &'static str) -> Arg {
    Arg::new("year")
        .long("year")
        .value_name("YEAR")
        .value_parser(clap::value_parser!(i32))
        .help(tr(help))
}

fn encoding_arg() -> Arg {
    Arg::new("encoding")
        .long("encoding")
        .value_name("utf-8|big5")
        .value_parser(parse_encoding)
        .help(tr("cli.encoding_help"))
}

fn date_arg() -> Arg {
    Arg::new("date")
        .long("date")
        .value_name("DATE")
        .help(tr("cli.date_help"))
}

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

fn who(m: &ArgMatches, sub: &ArgMatches) -> Result<(), Failure> {
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

fn check_delegates(m: &ArgMatches, sub: &ArgMatches) -> Result<(), Failure> {
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

// ---------------------------------------------------------------- calendar

/// `--dates`, else `PORTFOLIO_DESK_DATES`, else ROC.
fn date_style(m: &ArgMatches) -> DateStyle {
    let given = match m.get_one::<DatesArg>("dates") {
        Some(DatesArg::Style(s)) => Some(*s),
        _ => None,
    };
    given
        .or_else(|| {
            std::env::var("PORTFOLIO_DESK_DATES")
                .ok()
                .and_then(|v| dates::parse_style(&v))
        })
        .unwrap_or_default()
}

fn read_file(path: &std::path::Path) -> Result<Vec<u8>, Failure> {
    std::fs::read(path).map_err(|e| {
        Failure(trf(
            "io.cannot_read",
            &[
                ("path", path.display().to_string()),
                ("reason", e.to_string()),
            ],
        ))
    })
}

/// Writes bytes to stdout; a closed pipe ends quietly with exit 1 (as `say`).
/// Writes an export to `out`, or to standard output when there is none;
/// returns the path written so the caller can say so.
fn write_out<P: AsRef<std::path::Path>>(
    out: Option<P>,
    bytes: &[u8],
) -> Result<Option<P>, Failure> {
    let Some(path) = out else {
        emit(bytes);
        return Ok(None);
    };
    std::fs::write(path.as_ref(), bytes).map_err(|e| {
        Failure(trf(
            "io.cannot_write",
            &[
                ("path", path.as_ref().display().to_string()),
                ("reason", e.to_string()),
            ],
        ))
    })?;
    Ok(Some(path))
}

fn emit(bytes: &[u8]) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if out.write_all(bytes).and_then(|_| out.flush()).is_err() {
        std::process::exit(1);
    }
}

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

fn import_calendar(m: &ArgMatches, sub: &ArgMatches) -> Result<(), Failure> {
    let path = sub.get_one::<PathBuf>("file").cloned().unwrap_or_default();
    let term = sub.get_one::<Term>("term").copied();
    let encoding = sub.get_one::<TextEncoding>("encoding").copied();
    let good_rows_only = sub.get_flag("good-rows-only");
    let mut store = open_existing(m)?;
    let bytes = read_file(&path)?;
    let file = read_events(&bytes, encoding, term)?;
    say_file(&path, &file);
    for b in &file.bad {
        say(&b.message());
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

fn export_calendar(m: &ArgMatches, sub: &ArgMatches) -> Result<(), Failure> {
    let today = today()?;
    let term = match sub.get_one::<Term>("term") {
        Some(t) => *t,
        None => Term::containing(today),
    };
    let out = sub.get_one::<PathBuf>("out");
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
        },
    );
    if let Some(path) = write_out(out, &bytes)? {
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

fn check_calendar(m: &ArgMatches, sub: &ArgMatches) -> Result<(), Failure> {
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

fn calendar_copy(m: &ArgMatches, sub: &ArgMatches) -> Result<(), Failure> {
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

// --------------------------------------------------------------- checklists

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

fn export_checklist(m: &ArgMatches, sub: &ArgMatches) -> Result<(), Failure> {
    let today = today()?;
    let year = sub
        .get_one::<i32>("year")
        .copied()
        .unwrap_or_else(|| academic_year_of(today));
    let out = sub.get_one::<PathBuf>("out");
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
    if let Some(path) = write_out(out, &bytes)? {
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

fn check_checklists(m: &ArgMatches, sub: &ArgMatches) -> Result<(), Failure> {
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

// ---------------------------------------------------------------- receipts

/// Writes a line to stderr (bad rows, progress notes, messages beside an
/// export written to stdout).
fn warn(line: &str) {
    use std::io::Write;
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{line}");
}

/// Writes a line where it does not mix with an export: stdout when the
/// export went to a file, else stderr.
fn note(line: &str, export_on_stdout: bool) {
    if export_on_stdout {
        warn(line);
    } else {
        say(line);
    }
}

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

fn import_receipts(m: &ArgMatches, sub: &ArgMatches) -> Result<(), Failure> {
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
    let result = store.import_receipts(&file.lines, &mut progress);
    if tty {
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K");
        let _ = err.flush();
    }
    let out = result?;
    if bad > 0 {
        say(&trf("io.import_skipped", &[("bad", thousands(bad))]));
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

fn import_students(m: &ArgMatches, sub: &ArgMatches) -> Result<(), Failure> {
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
fn require_receipt_term(store: &Store, term: Term) -> Result<(), Failure> {
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

fn export_notices_cmd(m: &ArgMatches, sub: &ArgMatches) -> Result<(), Failure> {
    let today = today()?;
    let Some(term) = sub.get_one::<Term>("term").copied() else {
        return Ok(());
    };
    let out = sub.get_one::<PathBuf>("out");
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
    let written = write_out(out, &bytes)?;
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

fn export_discrepancies_cmd(m: &ArgMatches, sub: &ArgMatches) -> Result<(), Failure> {
    let today = today()?;
    let term = sub.get_one::<Term>("term").copied();
    let out = sub.get_one::<PathBuf>("out");
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
    if let Some(path) = write_out(out, &bytes)? {
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

fn check_receipts(m: &ArgMatches, sub: &ArgMatches) -> Result<(), Failure> {
    let today = today()?;
    let deem = !sub.get_flag("no-deem");
    let mut store = open_existing(m)?;
    if store.receipt_terms()?.is_empty() {
        say(tr("rcio.check_none"));
        return Ok(());
    }
    let report = store.check_receipts(today, deem)?;
    for (t, n) in &report.deemed {
        say(&trf(
            "rcio.check_deemed",
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

fn receipts_deem(m: &ArgMatches, sub: &ArgMatches) -> Result<(), Failure> {
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

fn receipts_undo_deem(m: &ArgMatches, sub: &ArgMatches) -> Result<(), Failure> {
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

fn receipts_window(m: &ArgMatches, sub: &ArgMatches) -> Result<(), Failure> {
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

/// Opens a database that must already hold a school (commands that read).
fn open_existing(m: &ArgMatches) -> Result<Store, Failure> {
    let path = db_path(m, "school.db")?;
    if !path.exists() {
        return Err(Failure(trf(
            "cli.no_such_db",
            &[("path", path.display().to_string())],
        )));
    }
    let store = Store::open(&path)?;
    store.require_school()?;
    Ok(store)
}

/// Writes a line to stdout. A closed pipe (`| head`) ends the output
/// quietly instead of panicking; the exit code (1) says it was cut short.
fn say(line: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if writeln!(out, "{line}").is_err() {
        std::process::exit(1);
    }
}

/// Today's date: `PORTFOLIO_DESK_TODAY` (ROC or ISO) for tests and demos,
/// else the local date.
pub fn today() -> Result<NaiveDate, Failure> {
    match std::env::var("PORTFOLIO_DESK_TODAY") {
        Ok(s) if !s.trim().is_empty() => Ok(parse_date(&s)?),
        _ => Ok(chrono::Local::now().date_naive()),
    }
}

fn data_dir() -> Result<PathBuf, Failure> {
    directories::ProjectDirs::from("tw", "portfolio-desk", "portfolio-desk")
        .map(|d| d.data_dir().to_path_buf())
        .ok_or_else(|| Failure(tr("cli.no_data_dir").into()))
}

fn db_path(m: &ArgMatches, file: &str) -> Result<PathBuf, Failure> {
    match m.get_one::<PathBuf>("db") {
        Some(p) => Ok(p.clone()),
        None => Ok(data_dir()?.join(file)),
    }
}

pub fn main() -> i32 {
    let args: Vec<OsString> = std::env::args_os().collect();
    run(args)
}

pub fn run(args: Vec<OsString>) -> i32 {
    i18n::set_lang(pre_scan_lang(&args));
    let matches = match command().try_get_matches_from(args) {
        Ok(m) => m,
        Err(e) => {
            let _ = e.print();
            return e.exit_code();
        }
    };
    if let Some(l) = matches.get_one::<Lang>("lang") {
        i18n::set_lang(*l);
    }
    dates::set_style(date_style(&matches));
    match dispatch(&matches) {
        Ok(()) => 0,
        Err(Failure(msg)) => {
            eprintln!("portfolio-desk: {msg}");
            1
        }
    }
}

fn dispatch(m: &ArgMatches) -> Result<(), Failure> {
    match m.subcommand() {
        Some(("presets", _)) => {
            for p in preset::all() {
                say(&trf(
                    "cli.preset_line",
                    &[
                        ("key", format!("{:<9}", p.key)),
                        ("name", p.school_name.clone()),
                        ("short", p.short_name.clone()),
                        (
                            "seats",
                            trf("cli.seats", &[("n", p.seat_count().to_string())]),
                        ),
                    ],
                ));
            }
            Ok(())
        }
        Some(("who", sub)) => who(m, sub),
        Some(("check", sub)) => match sub.subcommand() {
            Some(("delegates", c)) => check_delegates(m, c),
            Some(("calendar", c)) => check_calendar(m, c),
            Some(("checklists", c)) => check_checklists(m, c),
            Some(("receipts", c)) => check_receipts(m, c),
            _ => Ok(()),
        },
        Some(("import", sub)) => match sub.subcommand() {
            Some(("calendar", c)) => import_calendar(m, c),
            Some(("receipts", c)) => import_receipts(m, c),
            Some(("students", c)) => import_students(m, c),
            _ => Ok(()),
        },
        Some(("export", sub)) => match sub.subcommand() {
            Some(("calendar", c)) => export_calendar(m, c),
            Some(("checklist", c)) => export_checklist(m, c),
            Some(("notices", c)) => export_notices_cmd(m, c),
            Some(("discrepancies", c)) => export_discrepancies_cmd(m, c),
            _ => Ok(()),
        },
        Some(("receipts", sub)) => match sub.subcommand() {
            Some(("deem", c)) => receipts_deem(m, c),
            Some(("undo-deem", c)) => receipts_undo_deem(m, c),
            Some(("window", c)) => receipts_window(m, c),
            _ => Ok(()),
        },
        Some(("calendar", sub)) => match sub.subcommand() {
            Some(("copy", c)) => calendar_copy(m, c),
            _ => Ok(()),
        },
        Some(("init", sub)) => {
            let name = sub.get_one::<String>("preset").cloned().unwrap_or_default();
            let Some(p) = preset::by_key(&name.trim().to_ascii_lowercase()) else {
                return Err(Failure(trf(
                    "cli.unknown_preset",
                    &[
                        ("name", name),
                        ("known", preset::keys().join(tr("list.sep"))),
                    ],
                )));
            };
            // Check everything before the file is created.
            let year = academic_year_of(today()?);
            let path = db_path(m, "school.db")?;
            let mut store = Store::open(&path)?;
            let school = store.init_school(&p, year)?;
            say(&trf(
                "cli.initialised",
                &[("name", school.name), ("path", path.display().to_string())],
            ));
            Ok(())
        }
        Some(("demo", sub)) => {
            let path = db_path(m, "demo.db")?;
            let today = today()?;
            if path.exists() {
                Store::open(&path)?;
            }
            need_terminal()?;
            if sub.get_flag("reset") {
                for suffix in ["", "-wal", "-shm"] {
                    let mut p = path.clone().into_os_string();
                    p.push(suffix);
                    let _ = std::fs::remove_file(PathBuf::from(p));
                }
            }
            let mut store = Store::open(&path)?;
            if store.school()?.is_none() {
                crate::demo::seed(&mut store, today)?;
            }
            tui(store, today)
        }
        _ => {
            let today = today()?;
            let path = db_path(m, "school.db")?;
            // An existing file is checked first (its problem is more useful
            // to hear); a missing one is only created with a terminal.
            if path.exists() {
                Store::open(&path)?;
            }
            need_terminal()?;
            let store = Store::open(&path)?;
            tui(store, today)
        }
    }
}

/// The full-screen interface needs a terminal; checked before any file is
/// created or filled.
fn need_terminal() -> Result<(), Failure> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(Failure(tr("cli.not_a_terminal").into()));
    }
    Ok(())
}

fn tui(store: Store, today: NaiveDate) -> Result<(), Failure> {
    let _ = color_eyre::install();
    let mut app = App::new(store, today, Theme::from_env());
    crate::app::run(&mut app)
        .map_err(|e| Failure(trf("cli.terminal_error", &[("detail", e.to_string())])))
}
