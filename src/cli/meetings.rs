//! `meetings …` (plan, move, cancel, attend, motion, decide, done, held,
//! confirm, list, show) and `check meetings`.

use chrono::NaiveDate;
use clap::{Arg, ArgMatches, Command};

use crate::domain::meeting::{
    AgendaItem, AttendEntry, AttendStatus, DecisionDraft, ItemDraft, Meeting, MeetingDraft,
    MeetingKind, MeetingStatus, Section, format_time, parse_time, quorum,
};
use crate::domain::roc::{academic_year_of, parse_date};
use crate::i18n::{tr, trf};
use crate::store::Store;
use crate::ui::dates;

use super::{Failure, open_existing, say, today};

fn year_arg() -> Arg {
    Arg::new("year")
        .long("year")
        .value_name("YEAR")
        .value_parser(clap::value_parser!(i32))
        .global(true)
        .help(tr("mtcli.year_help"))
}

fn number_arg() -> Arg {
    Arg::new("number")
        .value_name("N")
        .required(true)
        .value_parser(clap::value_parser!(u32))
        .help(tr("mtcli.number_help"))
}

fn item_arg() -> Arg {
    Arg::new("item")
        .value_name("ITEM")
        .required(true)
        .value_parser(clap::value_parser!(usize))
        .help(tr("mtcli.item_help"))
}

fn opt(name: &'static str, value: &'static str, help: &'static str) -> Arg {
    Arg::new(name).long(name).value_name(value).help(tr(help))
}

/// The `meetings` command and its subcommands.
pub(super) fn command() -> Command {
    Command::new("meetings")
        .about(tr("mtcli.about"))
        .subcommand_required(true)
        .arg(year_arg())
        .subcommand(Command::new("list").about(tr("mtcli.list_about")))
        .subcommand(
            Command::new("show")
                .about(tr("mtcli.show_about"))
                .arg(number_arg()),
        )
        .subcommand(
            Command::new("plan")
                .about(tr("mtcli.plan_about"))
                .arg(opt("date", "DATE", "mtcli.date_help").required(true))
                .arg(opt("time", "HH:MM", "mtcli.time_help").required(true))
                .arg(opt("end", "HH:MM", "mtcli.end_help"))
                .arg(opt("place", "PLACE", "mtcli.place_help").required(true))
                .arg(opt("kind", tr("mtcli.kind_value"), "mtcli.kind_help"))
                .arg(opt("recorder", "NAME", "mtcli.recorder_help"))
                .arg(opt("chair", "NAME", "mtcli.chair_help")),
        )
        .subcommand(
            Command::new("move")
                .about(tr("mtcli.move_about"))
                .arg(number_arg())
                .arg(opt("date", "DATE", "mtcli.date_help").required(true))
                .arg(opt("time", "HH:MM", "mtcli.time_help"))
                .arg(opt("end", "HH:MM", "mtcli.end_help"))
                .arg(opt("place", "PLACE", "mtcli.place_help")),
        )
        .subcommand(
            Command::new("cancel")
                .about(tr("mtcli.cancel_about"))
                .arg(number_arg()),
        )
        .subcommand(
            Command::new("attend")
                .about(tr("mtcli.attend_about"))
                .arg(number_arg())
                .arg(
                    Arg::new("name")
                        .value_name("NAME")
                        .required(true)
                        .help(tr("mtcli.name_help")),
                )
                .arg(
                    Arg::new("status")
                        .value_name(tr("mtcli.status_value"))
                        .required(true)
                        .help(tr("mtcli.status_help")),
                )
                .arg(opt("by", "NAME", "mtcli.by_help")),
        )
        .subcommand(
            Command::new("motion")
                .about(tr("mtcli.motion_about"))
                .arg(number_arg())
                .arg(opt("title", "TEXT", "mtcli.title_help").required(true))
                .arg(opt("proposer", "UNIT", "mtcli.proposer_help"))
                .arg(opt("explain", "TEXT", "mtcli.explain_help"))
                .arg(opt("propose", "TEXT", "mtcli.propose_help")),
        )
        .subcommand(
            Command::new("decide")
                .about(tr("mtcli.decide_about"))
                .arg(number_arg())
                .arg(item_arg())
                .arg(opt("decision", "TEXT", "mtcli.decision_help").required(true))
                .arg(opt("owner", "UNIT", "mtcli.owner_help"))
                .arg(opt("due", "DATE", "mtcli.due_help")),
        )
        .subcommand(
            Command::new("done")
                .about(tr("mtcli.done_about"))
                .arg(number_arg())
                .arg(item_arg())
                .arg(opt("date", "DATE", "mtcli.done_date_help")),
        )
        .subcommand(
            Command::new("held")
                .about(tr("mtcli.held_about"))
                .arg(number_arg()),
        )
        .subcommand(
            Command::new("confirm")
                .about(tr("mtcli.confirm_about"))
                .arg(number_arg()),
        )
}

/// `check meetings`.
pub(super) fn check_command() -> Command {
    Command::new("meetings").about(tr("mtcli.check_about")).arg(
        Arg::new("year")
            .long("year")
            .value_name("YEAR")
            .value_parser(clap::value_parser!(i32))
            .help(tr("mtcli.year_help")),
    )
}

pub(super) fn dispatch(m: &ArgMatches, sub: &ArgMatches) -> Result<(), Failure> {
    let today = today()?;
    let year = sub
        .subcommand()
        .and_then(|(_, c)| c.get_one::<i32>("year").copied())
        .or_else(|| sub.get_one::<i32>("year").copied())
        .unwrap_or_else(|| academic_year_of(today));
    let mut store = open_existing(m)?;
    match sub.subcommand() {
        Some(("list", _)) => list(&store, year),
        Some(("show", c)) => show(&store, year, c),
        Some(("plan", c)) => plan(&mut store, c),
        Some(("move", c)) => move_meeting(&mut store, year, c),
        Some(("cancel", c)) => cancel(&mut store, year, c),
        Some(("attend", c)) => attend(&mut store, year, c),
        Some(("motion", c)) => motion(&mut store, year, c),
        Some(("decide", c)) => decide(&mut store, year, c),
        Some(("done", c)) => done(&mut store, year, c, today),
        Some(("held", c)) => status(&mut store, year, c, MeetingStatus::Held, today),
        Some(("confirm", c)) => status(&mut store, year, c, MeetingStatus::Confirmed, today),
        _ => Ok(()),
    }
}

fn text(c: &ArgMatches, name: &str) -> Option<String> {
    c.get_one::<String>(name).map(|s| s.trim().to_string())
}

fn date_of(c: &ArgMatches, name: &str) -> Result<Option<NaiveDate>, Failure> {
    match text(c, name) {
        Some(s) => Ok(Some(parse_date(&s)?)),
        None => Ok(None),
    }
}

fn time_of(c: &ArgMatches, name: &str) -> Result<Option<chrono::NaiveTime>, Failure> {
    match text(c, name) {
        Some(s) => parse_time(&s)
            .map(Some)
            .map_err(|p| Failure(trf(p.message_key(), &p.args()))),
        None => Ok(None),
    }
}

/// The person of that name (active first).
fn person(store: &Store, name: &str) -> Result<i64, Failure> {
    let mut all = store.list_staff()?;
    all.retain(|s| s.name.trim() == name.trim());
    all.first().map(|s| s.id).ok_or_else(|| {
        Failure(trf(
            "meeting.err_unknown_person",
            &[("name", name.to_string())],
        ))
    })
}

fn meeting(store: &Store, year: i32, c: &ArgMatches) -> Result<Meeting, Failure> {
    let number = c.get_one::<u32>("number").copied().unwrap_or(0);
    store.meeting_by_number(year, number)?.ok_or_else(|| {
        Failure(trf(
            "meeting.err_no_meeting",
            &[("year", year.to_string()), ("number", number.to_string())],
        ))
    })
}

/// Agenda item `ITEM` as `show` numbers them (1 = first printed).
fn item(store: &Store, m: &Meeting, c: &ArgMatches) -> Result<AgendaItem, Failure> {
    let n = c.get_one::<usize>("item").copied().unwrap_or(0);
    let items = store.agenda_items(m.id)?;
    n.checked_sub(1)
        .and_then(|i| items.get(i).cloned())
        .ok_or_else(|| {
            Failure(trf(
                "meeting.err_no_item",
                &[("number", m.number.to_string()), ("item", n.to_string())],
            ))
        })
}

fn when(m: &Meeting) -> (String, String) {
    let time = match m.ends_at {
        Some(e) => format!("{}–{}", format_time(m.starts_at), format_time(e)),
        None => format_time(m.starts_at),
    };
    (dates::day(m.date), time)
}

fn list(store: &Store, year: i32) -> Result<(), Failure> {
    let o = store.meeting_overview(year)?;
    if o.meetings.is_empty() {
        say(&trf("mtcli.list_none", &[("year", year.to_string())]));
        return Ok(());
    }
    say(&trf("mtcli.list_header", &[("year", year.to_string())]));
    for r in &o.meetings {
        let (date, time) = when(&r.meeting);
        say(&trf(
            "mtcli.list_row",
            &[
                ("number", r.meeting.number.to_string()),
                ("date", date),
                ("time", time),
                ("place", r.meeting.place.clone()),
                ("kind", tr(r.meeting.kind.key()).to_string()),
                ("status", tr(r.meeting.status.key()).to_string()),
                ("items", r.items.to_string()),
                ("decided", r.decided.to_string()),
                ("open", r.open.to_string()),
            ],
        ));
    }
    Ok(())
}

fn show(store: &Store, year: i32, c: &ArgMatches) -> Result<(), Failure> {
    let m = meeting(store, year, c)?;
    let (date, time) = when(&m);
    say(&trf(
        "mtcli.show_header",
        &[
            ("year", m.year.to_string()),
            ("number", m.number.to_string()),
            ("date", date),
            ("time", time),
            ("place", m.place.clone()),
            ("kind", tr(m.kind.key()).to_string()),
            ("status", tr(m.status.key()).to_string()),
        ],
    ));
    let chair = store.meeting_chair(&m)?;
    match &chair.name {
        Some(n) => say(&trf("mtcli.chair", &[("name", n.clone())])),
        None => say(tr("mtcli.chair_none")),
    }
    if let Some(r) = &chair.resolution {
        say(&trf(
            "mtcli.chair_path",
            &[("path", crate::ui::delegation_text::path_text(r))],
        ));
    }
    if let Some(id) = m.recorder_id {
        say(&trf("mtcli.recorder", &[("name", store.staff_name(id))]));
    }
    let rows = store.attendance(m.id)?;
    say(&quorum_line(&rows));
    for (n, i) in store.agenda_items(m.id)?.iter().enumerate() {
        say(&trf(
            "mtcli.item_row",
            &[
                ("n", (n + 1).to_string()),
                ("section", tr(i.section.key()).to_string()),
                ("title", i.title.clone()),
            ],
        ));
        if !i.decision.is_empty() || i.section == Section::Previous {
            say(&decision_line(i));
        }
    }
    Ok(())
}

/// "出席 3 / 13（親自 2、代理 1、請假 0、未登記 10）".
pub fn quorum_line(rows: &[crate::domain::meeting::AttendanceRow]) -> String {
    let q = quorum(rows);
    trf(
        "meeting.quorum_detail",
        &[
            ("attending", q.attending().to_string()),
            ("members", q.members.to_string()),
            ("present", q.present.to_string()),
            ("proxy", q.proxy.to_string()),
            ("excused", q.excused.to_string()),
            ("unrecorded", q.unrecorded.to_string()),
        ],
    )
}

fn decision_line(i: &AgendaItem) -> String {
    let decision = if i.section == Section::Previous && i.decision.is_empty() {
        i.body.clone()
    } else {
        i.decision.clone()
    };
    let part = |key: &str, name: &'static str, v: String| {
        if v.is_empty() {
            String::new()
        } else {
            trf(key, &[(name, v)])
        }
    };
    trf(
        "mtcli.decision_row",
        &[
            ("decision", decision),
            ("owner", part("mtcli.owner_part", "owner", i.owner.clone())),
            (
                "due",
                part(
                    "mtcli.due_part",
                    "due",
                    i.due_on.map(dates::day).unwrap_or_default(),
                ),
            ),
            (
                "done",
                part(
                    "mtcli.done_part",
                    "done",
                    i.done_on.map(dates::day).unwrap_or_default(),
                ),
            ),
        ],
    )
}

fn plan(store: &mut Store, c: &ArgMatches) -> Result<(), Failure> {
    let date = date_of(c, "date")?.unwrap_or_default();
    let starts_at = time_of(c, "time")?.unwrap_or_default();
    let kind = match text(c, "kind") {
        Some(k) => MeetingKind::parse(&k)
            .ok_or_else(|| Failure(trf("meeting.err_bad_kind", &[("input", k)])))?,
        None => MeetingKind::Regular,
    };
    let recorder_id = text(c, "recorder").map(|n| person(store, &n)).transpose()?;
    let chair_id = text(c, "chair").map(|n| person(store, &n)).transpose()?;
    let draft = MeetingDraft {
        date,
        starts_at,
        ends_at: time_of(c, "end")?,
        place: text(c, "place").unwrap_or_default(),
        kind,
        chair_id,
        recorder_id,
    };
    let m = store.plan_meeting(&draft)?;
    let (date, time) = when(&m);
    say(&trf(
        "mtcli.planned",
        &[
            ("year", m.year.to_string()),
            ("number", m.number.to_string()),
            ("date", date),
            ("time", time),
            ("place", m.place.clone()),
            ("items", store.agenda_items(m.id)?.len().to_string()),
        ],
    ));
    Ok(())
}

fn move_meeting(store: &mut Store, year: i32, c: &ArgMatches) -> Result<(), Failure> {
    let m = meeting(store, year, c)?;
    let mut d = m.draft();
    d.date = date_of(c, "date")?.unwrap_or(d.date);
    if let Some(t) = time_of(c, "time")? {
        d.starts_at = t;
    }
    if let Some(t) = time_of(c, "end")? {
        d.ends_at = Some(t);
    }
    if let Some(p) = text(c, "place") {
        d.place = p;
    }
    let m = store.update_meeting(m.id, m.meta.version, &d)?;
    let (date, time) = when(&m);
    say(&trf(
        "mtcli.moved",
        &[
            ("number", m.number.to_string()),
            ("date", date),
            ("time", time),
            ("place", m.place.clone()),
        ],
    ));
    Ok(())
}

fn cancel(store: &mut Store, year: i32, c: &ArgMatches) -> Result<(), Failure> {
    let m = meeting(store, year, c)?;
    store.cancel_meeting(m.id, m.meta.version)?;
    say(&trf("mtcli.cancelled", &[("number", m.number.to_string())]));
    Ok(())
}

fn attend(store: &mut Store, year: i32, c: &ArgMatches) -> Result<(), Failure> {
    let m = meeting(store, year, c)?;
    let name = text(c, "name").unwrap_or_default();
    let raw = text(c, "status").unwrap_or_default();
    let status = AttendStatus::parse(&raw)
        .ok_or_else(|| Failure(trf("meeting.err_bad_attend", &[("input", raw.clone())])))?;
    let staff_id = person(store, &name)?;
    let proxy_id = text(c, "by").map(|n| person(store, &n)).transpose()?;
    store.set_attendance(
        m.id,
        &[AttendEntry {
            staff_id,
            status: Some(status),
            proxy_id,
        }],
    )?;
    let rows = store.attendance(m.id)?;
    say(&trf(
        "mtcli.attended",
        &[
            ("number", m.number.to_string()),
            ("name", name),
            ("status", tr(status.key()).to_string()),
            ("quorum", quorum_line(&rows)),
        ],
    ));
    Ok(())
}

fn motion(store: &mut Store, year: i32, c: &ArgMatches) -> Result<(), Failure> {
    let m = meeting(store, year, c)?;
    let section = if m.status == MeetingStatus::Planned {
        Section::Motion
    } else {
        Section::Extempore
    };
    let d = ItemDraft {
        section,
        title: text(c, "title").unwrap_or_default(),
        topic: None,
        body: text(c, "explain").unwrap_or_default(),
        proposer: text(c, "proposer").unwrap_or_default(),
        proposal: text(c, "propose").unwrap_or_default(),
    };
    let added = store.add_agenda_item(m.id, &d)?;
    let n = store
        .agenda_items(m.id)?
        .iter()
        .position(|i| i.id == added.id)
        .map(|p| p + 1)
        .unwrap_or(0);
    say(&trf(
        "mtcli.motion_added",
        &[
            ("number", m.number.to_string()),
            ("item", n.to_string()),
            ("title", added.title),
        ],
    ));
    Ok(())
}

fn decide(store: &mut Store, year: i32, c: &ArgMatches) -> Result<(), Failure> {
    let m = meeting(store, year, c)?;
    let i = item(store, &m, c)?;
    let d = DecisionDraft {
        decision: text(c, "decision").unwrap_or_default(),
        owner: text(c, "owner").unwrap_or_default(),
        due_on: date_of(c, "due")?,
    };
    let saved = store.record_decision(i.id, i.meta.version, &d)?;
    say(&trf(
        "mtcli.decided",
        &[
            ("number", m.number.to_string()),
            (
                "item",
                c.get_one::<usize>("item").copied().unwrap_or(0).to_string(),
            ),
            ("decision", saved.decision),
        ],
    ));
    Ok(())
}

fn done(store: &mut Store, year: i32, c: &ArgMatches, today: NaiveDate) -> Result<(), Failure> {
    let m = meeting(store, year, c)?;
    let i = item(store, &m, c)?;
    let on = date_of(c, "date")?.unwrap_or(today);
    let saved = store.set_decision_done(i.id, i.meta.version, Some(on))?;
    say(&trf(
        "mtcli.done",
        &[("title", saved.title), ("date", dates::day(on))],
    ));
    Ok(())
}

fn status(
    store: &mut Store,
    year: i32,
    c: &ArgMatches,
    to: MeetingStatus,
    today: NaiveDate,
) -> Result<(), Failure> {
    let m = meeting(store, year, c)?;
    if to == MeetingStatus::Held {
        // The reports the committee saw that day, regenerated from live data
        // and then frozen by the transition.
        crate::agenda_refresh::refresh_reports(store, m.id, today)?;
    }
    store.set_meeting_status(m.id, m.meta.version, to, today)?;
    let key = if to == MeetingStatus::Held {
        "mtcli.held"
    } else {
        "mtcli.confirmed"
    };
    say(&trf(key, &[("number", m.number.to_string())]));
    Ok(())
}

/// `check meetings [--year Y]`: read-only; exit 1 when something is found.
pub(super) fn check_meetings(m: &ArgMatches, sub: &ArgMatches) -> Result<(), Failure> {
    let today = today()?;
    let year = sub
        .get_one::<i32>("year")
        .copied()
        .unwrap_or_else(|| academic_year_of(today));
    let store = open_existing(m)?;
    let findings = store.meeting_findings(year, today)?;
    if findings.is_empty() {
        say(&trf("mtcli.check_ok", &[("year", year.to_string())]));
        return Ok(());
    }
    for f in &findings {
        say(&trf(f.message_key(), &f.args()));
    }
    Err(Failure(trf(
        "mtcli.check_found",
        &[
            ("year", year.to_string()),
            ("n", findings.len().to_string()),
        ],
    )))
}
