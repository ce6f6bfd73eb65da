//! Command line: `portfolio-desk [--db PATH] [--lang zh-TW|en] [COMMAND]`.
//! Help text comes from the string files, so `--lang en --help` is English.
//! Exit codes: 0 ok, 1 error (one line), 2 bad usage (clap's).

mod agenda;
mod audit;
mod backup;
mod calendar;
mod checklist;
mod delegates;
mod localize;
mod meetings;
mod receipts;
mod retention;
mod rules;
mod school;
mod users;

use std::ffi::OsString;
use std::io::IsTerminal;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Arg, ArgAction, ArgGroup, ArgMatches, Command};

use crate::app::{App, Ended};
use crate::domain::roc::{DateRange, DateStyle, Term, parse_date, parse_range, parse_term};
use crate::i18n::{self, Lang, Localized, tr, trf};
use crate::io::calendar_export::Format;
use crate::io::out_file;
use crate::io::receipt_export::{DiscFormat, NoticeFormat};
use crate::io::text::TextEncoding;
use crate::store::Store;
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

/// The whole command line, in the UI language (`localize` covers every
/// subcommand, including ones added to `base_command`).
pub fn command() -> Command {
    localize::localize(base_command().subcommand(completions_command()))
}

/// "… (環境變數 NAME)": an option's help naming the variable it falls back to.
fn with_env(help: &str, name: &str) -> String {
    format!(
        "{help}{}",
        trf("first.env_note", &[("name", name.to_string())])
    )
}

/// Whether the variable `name` is unset or holds a value `ok` accepts: a
/// bad value is ignored (as before clap read it), not an error.
fn env_usable(name: &str, ok: impl Fn(&str) -> bool) -> bool {
    match std::env::var(name) {
        Ok(v) => v.trim().is_empty() || ok(&v),
        Err(std::env::VarError::NotPresent) => true,
        Err(_) => false,
    }
}

/// An option that falls back to the environment variable `name` (clap's
/// `env`), named in its help; left off when the variable holds a value the
/// option would refuse, which is then ignored as it always was.
fn env_arg(arg: Arg, name: &'static str, ok: impl Fn(&str) -> bool) -> Arg {
    if env_usable(name, ok) {
        arg.env(name).hide_env(true)
    } else {
        arg
    }
}

fn completions_command() -> Command {
    Command::new("completions")
        .about(tr("first.completions_about"))
        .arg(
            Arg::new("shell")
                .value_name("bash|zsh|fish")
                .required(true)
                .value_parser(parse_shell)
                .help(tr("first.completions_shell_help")),
        )
}

fn parse_shell(s: &str) -> Result<clap_complete::Shell, String> {
    match s {
        "bash" => Ok(clap_complete::Shell::Bash),
        "zsh" => Ok(clap_complete::Shell::Zsh),
        "fish" => Ok(clap_complete::Shell::Fish),
        _ => Err(trf("first.bad_shell", &[("shell", s.to_string())])),
    }
}

fn base_command() -> Command {
    let db = env_arg(
        Arg::new("db")
            .long("db")
            .value_name("PATH")
            .value_parser(clap::value_parser!(PathBuf))
            .global(true)
            .help(with_env(tr("cli.db_help"), "PORTFOLIO_DESK_DB")),
        "PORTFOLIO_DESK_DB",
        |_| true,
    );
    Command::new("portfolio-desk")
        .version(env!("CARGO_PKG_VERSION"))
        .about(tr("cli.about"))
        .long_about(tr("cli.long_about"))
        .after_help(tr("cli.after_help"))
        .disable_help_subcommand(true)
        .arg(db)
        .arg(env_arg(
            Arg::new("lang")
                .long("lang")
                .value_name("zh-TW|en")
                .value_parser(parse_lang)
                .global(true)
                .help(with_env(tr("cli.lang_help"), "PORTFOLIO_DESK_LANG")),
            "PORTFOLIO_DESK_LANG",
            |v| Lang::parse(v).is_some(),
        ))
        .arg(env_arg(
            Arg::new("dates")
                .long("dates")
                .value_name("roc|gregorian")
                .value_parser(parse_dates)
                .global(true)
                .help(with_env(tr("cli.dates_help"), "PORTFOLIO_DESK_DATES")),
            "PORTFOLIO_DESK_DATES",
            |v| dates::parse_style(v).is_some(),
        ))
        .arg(env_arg(
            Arg::new("ascii")
                .long("ascii")
                .action(ArgAction::SetTrue)
                .value_parser(clap::builder::BoolishValueParser::new())
                .global(true)
                .help(with_env(tr("first.ascii_help"), "PORTFOLIO_DESK_ASCII")),
            "PORTFOLIO_DESK_ASCII",
            |v| {
                clap::builder::TypedValueParser::parse_ref(
                    &clap::builder::BoolishValueParser::new(),
                    &Command::new("x"),
                    None,
                    std::ffi::OsStr::new(v),
                )
                .is_ok()
            },
        ))
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
            Command::new("rules")
                .about(tr("rules.about"))
                .arg(
                    Arg::new("preset")
                        .long("preset")
                        .value_name("NAME")
                        .help(tr("rules.preset_help")),
                )
                .arg(
                    Arg::new("text")
                        .long("text")
                        .action(ArgAction::SetTrue)
                        .help(tr("rules.text_help")),
                ),
        )
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
                .subcommand(meetings::check_command())
                .subcommand(Command::new("retention").about(tr("retention.check_about")))
                .subcommand(
                    Command::new("receipts")
                        .about(tr("rcio.check_receipts_about"))
                        .arg(
                            Arg::new("no-deem")
                                .long("no-deem")
                                .action(ArgAction::SetTrue)
                                .hide(true)
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
                        .arg(good_rows_only_arg())
                        .arg(
                            Arg::new("allow-growth")
                                .long("allow-growth")
                                .action(ArgAction::SetTrue)
                                .help(tr("imports.allow_growth_help")),
                        ),
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
                .subcommands(users::round_commands())
                .subcommand(
                    Command::new("undo-import")
                        .about(tr("imports.undo_import_about"))
                        .arg(term_arg("rcio.term_required_help").required(true)),
                )
                .subcommand(
                    Command::new("imports")
                        .about(tr("imports.imports_about"))
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
        .subcommand(meetings::command())
        .subcommand(users::users_command())
        .subcommand(users::checklist_command())
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
        .subcommand(agenda::agenda_command())
        .subcommand(agenda::minutes_command())
        .subcommand(
            Command::new("backup").about(tr("backup.backup_about")).arg(
                Arg::new("out")
                    .long("out")
                    .value_name("FILE")
                    .value_parser(clap::value_parser!(PathBuf))
                    .help(tr("backup.out_help")),
            ),
        )
        .subcommand(Command::new("backups").about(tr("backup.backups_about")))
        .subcommand(
            Command::new("restore")
                .about(tr("backup.restore_about"))
                .arg(file_arg("backup.file_help"))
                .arg(
                    Arg::new("yes")
                        .long("yes")
                        .action(ArgAction::SetTrue)
                        .help(tr("backup.yes_help")),
                ),
        )
        .subcommand(Command::new("doctor").about(tr("backup.doctor_about")))
        .subcommand(
            Command::new("audit")
                .about(tr("audit.about"))
                .arg(
                    Arg::new("since")
                        .long("since")
                        .value_name("DATE")
                        .help(tr("audit.since_help")),
                )
                .arg(
                    Arg::new("until")
                        .long("until")
                        .value_name("DATE")
                        .help(tr("audit.until_help")),
                )
                .arg(
                    Arg::new("who")
                        .long("who")
                        .value_name("LOGIN")
                        .help(tr("audit.who_help")),
                )
                .arg(
                    Arg::new("kind")
                        .long("kind")
                        .value_name("KIND")
                        .help(tr("audit.kind_help")),
                )
                .arg(
                    Arg::new("text")
                        .long("text")
                        .value_name("TEXT")
                        .help(tr("audit.text_help")),
                )
                .arg(
                    Arg::new("format")
                        .long("format")
                        .value_name("csv|md")
                        .value_parser(["csv", "md"])
                        .default_value("csv")
                        .help(tr("audit.format_help")),
                )
                .arg(out_arg()),
        )
        .subcommand(
            Command::new("retention")
                .about(tr("retention.about"))
                .args_conflicts_with_subcommands(true)
                .arg(
                    Arg::new("apply")
                        .long("apply")
                        .action(ArgAction::SetTrue)
                        .help(tr("retention.apply_help")),
                )
                .arg(
                    Arg::new("archive-dir")
                        .long("archive-dir")
                        .value_name("DIR")
                        .value_parser(clap::value_parser!(PathBuf))
                        .help(tr("retention.archive_dir_help")),
                )
                .subcommand(
                    Command::new("dates")
                        .about(tr("retention.dates_about"))
                        .arg(
                            Arg::new("student")
                                .long("student")
                                .value_name("NO")
                                .required(true)
                                .help(tr("retention.student_help")),
                        )
                        .arg(
                            Arg::new("left")
                                .long("left")
                                .value_name("DATE")
                                .help(tr("retention.left_help")),
                        )
                        .arg(
                            Arg::new("applied")
                                .long("applied")
                                .value_name("DATE")
                                .help(tr("retention.applied_help")),
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

/// Writes an export to `out`, or to standard output when there is none;
/// returns the path written so the caller can say so. A file is never the
/// database (`db`, its companions, another SQLite file) nor a directory,
/// and replaces an old one whole or not at all (`io::out_file`).
fn write_out<P: AsRef<std::path::Path>>(
    db: &std::path::Path,
    out: Option<P>,
    bytes: &[u8],
) -> Result<Option<P>, Failure> {
    let Some(path) = out else {
        emit(bytes);
        return Ok(None);
    };
    out_file::write(path.as_ref(), Some(db), bytes)?;
    Ok(Some(path))
}

/// Refuses an `--out` that an export must not write, before any work;
/// returns the database's path for `write_out`.
fn check_out(m: &ArgMatches, out: Option<&PathBuf>) -> Result<PathBuf, Failure> {
    let db = db_path(m, "school.db")?;
    if let Some(path) = out {
        out_file::check(path, Some(&db))?;
    }
    Ok(db)
}

/// Writes bytes to stdout; a closed pipe ends quietly with exit 1 (as `say`).
fn emit(bytes: &[u8]) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if out.write_all(bytes).and_then(|_| out.flush()).is_err() {
        std::process::exit(1);
    }
}

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

/// The moment of now, in UTC: `PORTFOLIO_DESK_NOW` (RFC 3339, e.g.
/// `2026-11-25T09:30:00+08:00`) for tests and demos, else the clock.
pub fn now_utc() -> Result<chrono::DateTime<chrono::Utc>, Failure> {
    match std::env::var("PORTFOLIO_DESK_NOW") {
        Ok(s) if !s.trim().is_empty() => chrono::DateTime::parse_from_rfc3339(s.trim())
            .map(|t| t.with_timezone(&chrono::Utc))
            .map_err(|_| Failure(trf("ics.bad_now", &[("input", s.trim().to_string())]))),
        _ => Ok(chrono::Utc::now()),
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
    if let Ok(t) = today() {
        crate::domain::roc::set_example_year(t);
    }
    let matches = match command().try_get_matches_from(args) {
        Ok(m) => m,
        Err(e) => {
            use std::io::Write;
            let text = localize::render_error(&e);
            let _ = if e.use_stderr() {
                std::io::stderr().lock().write_all(text.as_bytes())
            } else {
                std::io::stdout().lock().write_all(text.as_bytes())
            };
            return e.exit_code();
        }
    };
    if let Some(l) = matches.get_one::<Lang>("lang") {
        i18n::set_lang(*l);
    }
    dates::set_style(date_style(&matches));
    crate::ui::glyphs::set_ascii(matches.get_flag("ascii"));
    start_log(&matches);
    install_reports();
    match dispatch(&matches) {
        Ok(()) => 0,
        Err(Failure(msg)) => {
            tracing::error!(
                user = %crate::store::os_user(),
                command = matches.subcommand_name().unwrap_or("tui"),
                "{msg}"
            );
            eprintln!("portfolio-desk: {msg}");
            1
        }
    }
}

/// Starts the log (`crate::log`) beside the database before anything else
/// happens, so that every layer can `tracing::info!`. Nothing goes to the
/// terminal: a log that cannot be written is no log.
fn start_log(m: &ArgMatches) {
    let db = m.get_one::<PathBuf>("db").map(PathBuf::as_path);
    let data = if db.is_none() { data_dir().ok() } else { None };
    if let Some(dir) = crate::log::dir_for(db, data.as_deref())
        && crate::log::init(&dir)
    {
        tracing::info!(
            version = env!("CARGO_PKG_VERSION"),
            user = %crate::store::os_user(),
            pid = std::process::id(),
            command = m.subcommand_name().unwrap_or("tui"),
            "start"
        );
    }
}

/// color-eyre's panic report: the message and where the log is, and a
/// backtrace only when `RUST_BACKTRACE` asks for one. The panic also goes to
/// the log.
fn install_reports() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let log = match crate::log::path() {
            Some(p) => trf("drafts.see_log", &[("path", p.display().to_string())]),
            None => tr("drafts.no_log").to_string(),
        };
        // Only the panic hook: nothing here makes an eyre `Report`.
        let (panic_hook, _) = color_eyre::config::HookBuilder::default()
            .display_env_section(false)
            .panic_section(log)
            .into_hooks();
        let report = panic_hook.into_panic_hook();
        std::panic::set_hook(Box::new(move |info| {
            let at = info.location().map(|l| l.to_string()).unwrap_or_default();
            let what = info.payload_as_str().unwrap_or("?").replace('\n', " ");
            tracing::error!("panic at {at}: {what}");
            report(info);
        }));
    });
}

fn dispatch(m: &ArgMatches) -> Result<(), Failure> {
    match m.subcommand() {
        Some(("presets", _)) => school::presets(),
        Some(("help", sub)) => {
            let path: Vec<String> = sub
                .get_many::<String>("command")
                .map(|v| v.cloned().collect())
                .unwrap_or_default();
            let text = localize::help_for(command(), &path).map_err(Failure)?;
            emit(text.as_bytes());
            Ok(())
        }
        Some(("completions", sub)) => {
            if let Some(shell) = sub.get_one::<clap_complete::Shell>("shell") {
                let mut out = Vec::new();
                clap_complete::generate(*shell, &mut command(), "portfolio-desk", &mut out);
                emit(&out);
            }
            Ok(())
        }
        Some(("rules", sub)) => rules::rules(m, sub),
        Some(("who", sub)) => delegates::who(m, sub),
        Some(("check", sub)) => match sub.subcommand() {
            Some(("delegates", c)) => delegates::check_delegates(m, c),
            Some(("calendar", c)) => calendar::check_calendar(m, c),
            Some(("checklists", c)) => checklist::check_checklists(m, c),
            Some(("receipts", c)) => receipts::check_receipts(m, c),
            Some(("meetings", c)) => meetings::check_meetings(m, c),
            Some(("retention", c)) => retention::check_retention(m, c),
            _ => Ok(()),
        },
        Some(("import", sub)) => match sub.subcommand() {
            Some(("calendar", c)) => calendar::import_calendar(m, c),
            Some(("receipts", c)) => receipts::import_receipts(m, c),
            Some(("students", c)) => receipts::import_students(m, c),
            _ => Ok(()),
        },
        Some(("export", sub)) => match sub.subcommand() {
            Some(("calendar", c)) => calendar::export_calendar(m, c),
            Some(("checklist", c)) => checklist::export_checklist(m, c),
            Some(("notices", c)) => receipts::export_notices_cmd(m, c),
            Some(("discrepancies", c)) => receipts::export_discrepancies_cmd(m, c),
            _ => Ok(()),
        },
        Some(("receipts", sub)) => match sub.subcommand() {
            Some(("deem", c)) => receipts::receipts_deem(m, c),
            Some(("undo-deem", c)) => receipts::receipts_undo_deem(m, c),
            Some(("window", c)) => receipts::receipts_window(m, c),
            Some(("undo-import", c)) => receipts::receipts_undo_import(m, c),
            Some(("close", c)) => users::receipts_close(m, c),
            Some(("reopen", c)) => users::receipts_reopen(m, c),
            Some(("imports", c)) => receipts::receipts_imports(m, c),
            _ => Ok(()),
        },
        Some(("calendar", sub)) => match sub.subcommand() {
            Some(("copy", c)) => calendar::calendar_copy(m, c),
            _ => Ok(()),
        },
        Some(("agenda", sub)) => agenda::agenda(m, sub),
        Some(("minutes", sub)) => agenda::minutes(m, sub),
        Some(("meetings", sub)) => meetings::dispatch(m, sub),
        Some(("users", sub)) => users::users(m, sub),
        Some(("checklist", sub)) => users::checklist(m, sub),
        Some(("backup", sub)) => backup::backup(m, sub),
        Some(("backups", _)) => backup::backups(m),
        Some(("restore", sub)) => backup::restore(m, sub),
        Some(("doctor", _)) => backup::doctor(m),
        Some(("audit", sub)) => audit::audit(m, sub),
        Some(("retention", sub)) => retention::retention(m, sub),
        Some(("init", sub)) => school::init(m, sub),
        Some(("demo", sub)) => school::demo(m, sub),
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
    let mut app = App::new(store, today, Theme::from_env());
    let ended = crate::app::run(&mut app)
        .map_err(|e| Failure(trf("cli.terminal_error", &[("detail", e.to_string())])))?;
    match ended {
        Ended::Quit => Ok(()),
        // The terminal is restored and the draft kept: the status says
        // which signal ended the program (143 for SIGTERM, 129 for SIGHUP).
        Ended::Signal(sig) => {
            drop(app);
            std::process::exit(128 + sig)
        }
    }
}
