//! `users [list|grant LOGIN ROLE|revoke LOGIN ROLE|link LOGIN STAFF]`, and
//! closing (結案) and reopening a receipt round or a year's checklists.
//! Every change here is checked against the acting login's roles by the
//! store, in the transaction that writes.

use clap::{Arg, ArgMatches, Command};

use crate::domain::access::Role;
use crate::domain::roc::Term;
use crate::i18n::{tr, trf};
use crate::store::{Store, login_exists, role_list, short_time, unknown_login_warning};

use super::{Failure, open_existing, say, term_arg, warn, year_arg};

fn login_arg() -> Arg {
    Arg::new("login")
        .value_name("LOGIN")
        .required(true)
        .help(tr("access.cli_login_help"))
}

fn role_arg() -> Arg {
    Arg::new("role")
        .value_name("ROLE")
        .required(true)
        .help(tr("access.cli_role_help"))
}

/// The `users` command.
pub(super) fn users_command() -> Command {
    Command::new("users")
        .about(tr("access.cli_users_about"))
        .subcommand(Command::new("list").about(tr("access.cli_list_about")))
        .subcommand(
            Command::new("grant")
                .about(tr("access.cli_grant_about"))
                .arg(login_arg())
                .arg(role_arg()),
        )
        .subcommand(
            Command::new("revoke")
                .about(tr("access.cli_revoke_about"))
                .arg(login_arg())
                .arg(role_arg()),
        )
        .subcommand(
            Command::new("link")
                .about(tr("access.cli_link_about"))
                .arg(login_arg())
                .arg(
                    Arg::new("staff")
                        .value_name("STAFF")
                        .required(true)
                        .help(tr("access.cli_staff_help")),
                ),
        )
}

/// `receipts close|reopen --term T`.
pub(super) fn round_commands() -> [Command; 2] {
    [
        Command::new("close")
            .about(tr("access.cli_close_round_about"))
            .arg(term_arg("rcio.term_required_help").required(true)),
        Command::new("reopen")
            .about(tr("access.cli_reopen_round_about"))
            .arg(term_arg("rcio.term_required_help").required(true)),
    ]
}

/// `checklist close|reopen --year Y`.
pub(super) fn checklist_command() -> Command {
    Command::new("checklist")
        .about(tr("access.cli_checklist_about"))
        .subcommand_required(true)
        .subcommand(
            Command::new("close")
                .about(tr("access.cli_close_checklist_about"))
                .arg(year_arg("access.cli_year_help").required(true)),
        )
        .subcommand(
            Command::new("reopen")
                .about(tr("access.cli_reopen_checklist_about"))
                .arg(year_arg("access.cli_year_help").required(true)),
        )
}

fn parse_role(s: &str) -> Result<Role, Failure> {
    Role::parse(s).ok_or_else(|| Failure(crate::store::unknown_role(s).to_string()))
}

pub(super) fn users(m: &ArgMatches, sub: &ArgMatches) -> Result<(), Failure> {
    match sub.subcommand() {
        Some(("grant", c)) => grant(m, c),
        Some(("revoke", c)) => revoke(m, c),
        Some(("link", c)) => link(m, c),
        _ => list(m),
    }
}

fn arg<'a>(c: &'a ArgMatches, id: &str) -> &'a str {
    c.get_one::<String>(id).map(String::as_str).unwrap_or("")
}

/// One line per login: login, roles, linked staff (tab-separated).
fn list(m: &ArgMatches) -> Result<(), Failure> {
    let store = open_existing(m)?;
    let logins = store.logins()?;
    say(tr("access.list_head"));
    if logins.is_empty() {
        say(tr("access.list_none"));
    }
    for l in logins {
        let staff = match &l.staff {
            Some((id, name)) => format!("{name} (#{id})"),
            None => tr("access.unlinked").to_string(),
        };
        say(&format!("{}\t{}\t{}", l.login, role_list(&l.roles), staff));
    }
    Ok(())
}

fn grant(m: &ArgMatches, c: &ArgMatches) -> Result<(), Failure> {
    let login = arg(c, "login").trim().to_string();
    let role = parse_role(arg(c, "role"))?;
    let mut store = open_existing(m)?;
    let added = store.grant_role(&login, role)?;
    if !login.is_empty() && !login_exists(&login) {
        warn(&unknown_login_warning(&login));
    }
    let args = [
        ("login", login.clone()),
        ("role", tr(role.label_key()).to_string()),
    ];
    say(&trf(
        if added {
            "access.granted"
        } else {
            "access.already"
        },
        &args,
    ));
    Ok(())
}

fn revoke(m: &ArgMatches, c: &ArgMatches) -> Result<(), Failure> {
    let login = arg(c, "login").trim().to_string();
    let role = parse_role(arg(c, "role"))?;
    let mut store = open_existing(m)?;
    let removed = store.revoke_role(&login, role)?;
    let args = [("login", login), ("role", tr(role.label_key()).to_string())];
    say(&trf(
        if removed {
            "access.revoked"
        } else {
            "access.not_held"
        },
        &args,
    ));
    Ok(())
}

/// STAFF: a staff number (`12` or `#12`) or a full name found once.
fn find_staff(store: &Store, input: &str) -> Result<(i64, String), Failure> {
    let t = input.trim();
    let staff = store.list_staff()?;
    if let Ok(id) = t.trim_start_matches('#').parse::<i64>()
        && let Some(s) = staff.iter().find(|s| s.id == id)
    {
        return Ok((s.id, s.name.clone()));
    }
    let named: Vec<_> = staff.iter().filter(|s| s.name.trim() == t).collect();
    match named.as_slice() {
        [one] => Ok((one.id, one.name.clone())),
        [] => Err(Failure(trf(
            "access.err_no_staff",
            &[("input", input.to_string())],
        ))),
        many => Err(Failure(trf(
            "access.err_many_staff",
            &[("input", input.to_string()), ("n", many.len().to_string())],
        ))),
    }
}

fn link(m: &ArgMatches, c: &ArgMatches) -> Result<(), Failure> {
    let login = arg(c, "login").trim().to_string();
    let mut store = open_existing(m)?;
    let (id, name) = find_staff(&store, arg(c, "staff"))?;
    store.link_login(&login, id)?;
    if !login.is_empty() && !login_exists(&login) {
        warn(&unknown_login_warning(&login));
    }
    say(&trf(
        "access.linked",
        &[("login", login), ("name", name), ("id", id.to_string())],
    ));
    Ok(())
}

fn term_of(sub: &ArgMatches) -> Option<Term> {
    sub.get_one::<Term>("term").copied()
}

pub(super) fn receipts_close(m: &ArgMatches, sub: &ArgMatches) -> Result<(), Failure> {
    let Some(term) = term_of(sub) else {
        return Ok(());
    };
    let mut store = open_existing(m)?;
    super::receipts::require_receipt_term(&store, term)?;
    store.close_round(term)?;
    say(&trf("access.closed_round", &[("term", term.to_string())]));
    Ok(())
}

pub(super) fn receipts_reopen(m: &ArgMatches, sub: &ArgMatches) -> Result<(), Failure> {
    let Some(term) = term_of(sub) else {
        return Ok(());
    };
    let mut store = open_existing(m)?;
    let c = store.reopen_round(term)?;
    say(&trf(
        "access.reopened_round",
        &[
            ("term", term.to_string()),
            ("by", c.closed_by),
            ("at", short_time(&c.closed_at)),
        ],
    ));
    Ok(())
}

pub(super) fn checklist(m: &ArgMatches, sub: &ArgMatches) -> Result<(), Failure> {
    let Some((which, c)) = sub.subcommand() else {
        return Ok(());
    };
    let Some(year) = c.get_one::<i32>("year").copied() else {
        return Ok(());
    };
    let mut store = open_existing(m)?;
    if which == "close" {
        store.close_checklist_year(year)?;
        say(&trf(
            "access.closed_checklist",
            &[("year", year.to_string())],
        ));
    } else {
        let c = store.reopen_checklist_year(year)?;
        say(&trf(
            "access.reopened_checklist",
            &[
                ("year", year.to_string()),
                ("by", c.closed_by),
                ("at", short_time(&c.closed_at)),
            ],
        ));
    }
    Ok(())
}
