//! clap's own words in the UI language, for the whole command tree at once
//! (`localize`): the help template ("用法："), the headings ("命令" /
//! "選項" / "引數"), `-h/--help` and `-V/--version`, the `help [COMMAND]`
//! subcommand, and parse errors rendered from their kind and context
//! (`render_error`). A subcommand added anywhere in `command()` is covered
//! without any edit here.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command};

use crate::i18n::{tr, trf};

/// Applies the UI language to `cmd` and every subcommand under it.
pub fn localize(cmd: Command) -> Command {
    localize_one(cmd, true)
}

fn localize_one(cmd: Command, root: bool) -> Command {
    let template = format!(
        "{{before-help}}{{about-with-newline}}\n{}{{usage}}\n\n{{all-args}}{{after-help}}",
        tr("first.cli_usage")
    );
    let mut cmd = cmd;
    if root {
        cmd = cmd
            .disable_version_flag(true)
            .arg(
                Arg::new("version")
                    .short('V')
                    .long("version")
                    .action(ArgAction::Version)
                    .help(tr("first.cli_version_flag")),
            )
            .subcommand(
                Command::new("help").about(tr("first.cli_help_about")).arg(
                    Arg::new("command")
                        .value_name(tr("first.cli_command_value"))
                        .num_args(0..)
                        .help(tr("first.cli_help_command")),
                ),
            );
    }
    cmd = cmd
        .help_template(template)
        .subcommand_help_heading(tr("first.cli_commands"))
        .subcommand_value_name(tr("first.cli_command_value"))
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help(tr("first.cli_help_flag")),
        )
        .mut_args(|a| {
            if a.get_help_heading().is_some() {
                return a;
            }
            let heading = if a.is_positional() {
                tr("first.cli_arguments")
            } else {
                tr("first.cli_options")
            };
            a.help_heading(heading)
        });
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in subs {
        cmd = cmd.mut_subcommand(name, |s| localize_one(s, false));
    }
    cmd
}

/// `portfolio-desk help [COMMAND…]`: the help of the named (sub)command, or
/// of the program. An unknown name is an error naming it.
pub fn help_for(mut cmd: Command, path: &[String]) -> Result<String, String> {
    cmd.build();
    let mut at = &mut cmd;
    for name in path {
        match at.find_subcommand_mut(name) {
            Some(s) => at = s,
            None => {
                return Err(trf(
                    "first.cli_no_such_command",
                    &[("command", name.clone())],
                ));
            }
        }
    }
    // As `--help` does: the long form when there is anything long to show.
    let long =
        at.get_long_about().is_some() || at.get_arguments().any(|a| a.get_long_help().is_some());
    let text = if long {
        at.render_long_help()
    } else {
        at.render_help()
    };
    Ok(finish(&text.to_string()))
}

/// What clap still writes itself, in the UI language: the options
/// placeholder of a usage line and the ASCII colon after a heading.
pub fn finish(text: &str) -> String {
    let mut out = text.replace("[OPTIONS]", tr("first.cli_options_usage"));
    if crate::i18n::lang() == crate::i18n::Lang::ZhTw {
        for k in [
            "first.cli_commands",
            "first.cli_arguments",
            "first.cli_options",
        ] {
            out = out.replace(&format!("{}:\n", tr(k)), &format!("{}：\n", tr(k)));
        }
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

fn ctx(e: &clap::Error, kind: ContextKind) -> String {
    match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(tr("list.sep")),
        Some(ContextValue::StyledStr(s)) => s.to_string(),
        Some(ContextValue::StyledStrs(v)) => v
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .join(tr("list.sep")),
        Some(ContextValue::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// A parse error in the UI language: "錯誤：…", a suggestion when clap has
/// one, the usage line, and where to read more. Help and version output
/// are not errors and are returned as clap wrote them.
pub fn render_error(e: &clap::Error) -> String {
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        return finish(&e.render().to_string());
    }
    let arg = ctx(e, ContextKind::InvalidArg);
    let value = ctx(e, ContextKind::InvalidValue);
    let sub = ctx(e, ContextKind::InvalidSubcommand);
    let msg = match e.kind() {
        ErrorKind::UnknownArgument => trf("first.cli_err_unknown_arg", &[("arg", arg)]),
        ErrorKind::InvalidSubcommand => trf("first.cli_err_unknown_command", &[("command", sub)]),
        ErrorKind::InvalidValue => trf(
            "first.cli_err_invalid_value",
            &[("arg", arg), ("value", value)],
        ),
        ErrorKind::ValueValidation => {
            // Our value parsers' messages are already localized.
            let why = std::error::Error::source(e)
                .map(|s| s.to_string())
                .unwrap_or_default();
            trf(
                "first.cli_err_validation",
                &[("arg", arg), ("value", value), ("reason", why)],
            )
        }
        ErrorKind::MissingRequiredArgument => trf("first.cli_err_missing", &[("args", arg)]),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            tr("first.cli_err_missing_command").to_string()
        }
        ErrorKind::ArgumentConflict => trf(
            "first.cli_err_conflict",
            &[("arg", arg), ("other", ctx(e, ContextKind::PriorArg))],
        ),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            trf("first.cli_err_values", &[("arg", arg), ("value", value)])
        }
        ErrorKind::NoEquals => trf("first.cli_err_no_equals", &[("arg", arg)]),
        ErrorKind::InvalidUtf8 => tr("first.cli_err_utf8").to_string(),
        _ => tr("first.cli_err_other").to_string(),
    };
    let mut out = format!("{}{msg}\n", tr("first.cli_error"));
    let suggested = ctx(e, ContextKind::SuggestedSubcommand);
    let suggested = if suggested.is_empty() {
        ctx(e, ContextKind::SuggestedArg)
    } else {
        suggested
    };
    if !suggested.is_empty() {
        out.push_str(&format!(
            "\n  {}\n",
            trf("first.cli_err_suggest", &[("it", suggested)])
        ));
    }
    let usage = ctx(e, ContextKind::Usage);
    let usage = usage.trim();
    if !usage.is_empty() {
        let usage = usage.strip_prefix("Usage:").unwrap_or(usage).trim();
        out.push_str(&format!("\n{}{usage}\n", tr("first.cli_usage")));
    }
    out.push('\n');
    out.push_str(tr("first.cli_err_more"));
    finish(&out)
}
