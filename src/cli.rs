//! Command line: `portfolio-desk [--db PATH] [--lang zh-TW|en] [COMMAND]`.
//! Help text comes from the string files, so `--lang en --help` is English.
//! Exit codes: 0 ok, 1 error (one line), 2 bad usage (clap's).

use std::ffi::OsString;
use std::io::IsTerminal;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Arg, ArgAction, ArgMatches, Command};

use crate::app::App;
use crate::domain::delegation::{Actor, Subject, World, coverage, resolve};
use crate::domain::preset;
use crate::domain::roc::{academic_year_of, format_roc, parse_date};
use crate::i18n::{self, Lang, Localized, tr, trf};
use crate::store::Store;
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
