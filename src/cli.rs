//! Command line: `portfolio-desk [--db PATH] [--lang zh-TW|en] [COMMAND]`.
//! Help text comes from the string files, so `--lang en --help` is English.
//! Exit codes: 0 ok, 1 error (one line), 2 bad usage (clap's).

use std::ffi::OsString;
use std::io::IsTerminal;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Arg, ArgAction, ArgMatches, Command};

use crate::app::App;
use crate::domain::preset;
use crate::domain::roc::{academic_year_of, parse_date};
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
            Command::new("demo").about(tr("cli.demo_about")).arg(
                Arg::new("reset")
                    .long("reset")
                    .action(ArgAction::SetTrue)
                    .help(tr("cli.reset_help")),
            ),
        )
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
                println!(
                    "{:<9} {}（{}）  {}",
                    p.key,
                    p.school_name,
                    p.short_name,
                    trf("cli.seats", &[("n", p.seat_count().to_string())])
                );
            }
            Ok(())
        }
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
            println!(
                "{}",
                trf(
                    "cli.initialised",
                    &[("name", school.name), ("path", path.display().to_string())]
                )
            );
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
