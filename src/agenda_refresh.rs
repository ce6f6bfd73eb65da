//! The agenda builder over the store: regenerating a planned meeting's
//! report bodies from live data, and gathering everything one printed
//! agenda or set of minutes needs. Used by the `agenda` / `minutes`
//! commands, the meetings view (`g` regenerate, `E` export) and the
//! `meetings held` transition (refresh, then freeze).
//!
//! No SQL here: the store's queries (`Store::agenda_facts`, the meeting
//! API) and the pure builder (`domain::agenda`).

use chrono::NaiveDate;

use crate::domain::agenda::{
    AgendaDoc, AgendaFacts, AttendRow, DocHeader, DocKind, DueRow, ItemInput, TOP, parse_topics,
    reports,
};
use crate::domain::meeting::{Meeting, MeetingStatus, Section, format_time};
use crate::domain::roc::DateStyle;
use crate::i18n::{tr, trf};
use crate::store::{Result, Store};

/// The facts the reports of meeting `m` are made from, as of `today`,
/// looking ahead to the planned meeting after it (else its term's end).
pub fn meeting_facts(store: &Store, m: &Meeting, today: NaiveDate) -> Result<AgendaFacts> {
    let after = store
        .meetings(Some(m.year))?
        .into_iter()
        .filter(|x| x.status == MeetingStatus::Planned && x.date > m.date)
        .map(|x| x.date)
        .min();
    let until = after.unwrap_or_else(|| m.term.span().end).max(m.date);
    let mut f = store.agenda_facts(m.term.year, m.term.semester, today, until)?;
    let open: Vec<_> = store
        .open_decisions()?
        .into_iter()
        .filter(|d| d.meeting_date < m.date)
        .collect();
    f.open_decisions = open.len();
    f.open_decisions_overdue = open.iter().filter(|d| d.overdue(today)).count();
    f.open_decisions_top = open
        .into_iter()
        .take(TOP)
        .map(|d| DueRow {
            title: d.item.title,
            units: if d.item.owner.trim().is_empty() {
                Vec::new()
            } else {
                vec![d.item.owner]
            },
            due: d.item.due_on,
        })
        .collect();
    Ok(f)
}

/// The generated bodies of a meeting's report items, from live data:
/// (item id, body), for the items whose topic has a live report.
pub fn live_bodies(
    store: &Store,
    meeting_id: i64,
    today: NaiveDate,
    style: DateStyle,
) -> Result<Vec<(i64, String)>> {
    let m = store.meeting(meeting_id)?;
    let items = store.agenda_items(meeting_id)?;
    let with_topics: Vec<_> = items
        .iter()
        .filter(|i| i.section == Section::Report)
        .filter_map(|i| {
            let topics = parse_topics(i.topic.as_deref()?);
            (!topics.is_empty()).then_some((i.id, topics))
        })
        .collect();
    if with_topics.is_empty() {
        return Ok(Vec::new());
    }
    let f = meeting_facts(store, &m, today)?;
    Ok(with_topics
        .into_iter()
        .map(|(id, topics)| (id, reports(&topics, &f, style)))
        .collect())
}

/// Regenerates the report bodies of a planned meeting and stores them
/// (`Store::set_report_bodies`, one transaction). A held or confirmed
/// meeting keeps the bodies frozen when it was marked held: nothing is
/// written and `Ok(false)` says so. Call it before marking a meeting held
/// so the minutes say what the committee saw that day.
pub fn refresh_reports(store: &mut Store, meeting_id: i64, today: NaiveDate) -> Result<bool> {
    let m = store.meeting(meeting_id)?;
    if m.status != MeetingStatus::Planned {
        return Ok(false);
    }
    // In the user's date style and UI language: what the committee reads.
    let bodies = live_bodies(store, meeting_id, today, crate::ui::dates::style())?;
    store.set_report_bodies(meeting_id, &bodies)?;
    Ok(true)
}

/// Everything one printed agenda or set of minutes needs. For an agenda of
/// a planned meeting the reports are regenerated from live data (not
/// stored: printing never writes); otherwise the stored, frozen bodies.
pub fn agenda_doc(
    store: &Store,
    meeting_id: i64,
    kind: DocKind,
    today: NaiveDate,
    style: DateStyle,
) -> Result<AgendaDoc> {
    let m = store.meeting(meeting_id)?;
    let school = store.require_school()?;
    let chair = store.meeting_chair(&m)?;
    let chair_path = match &chair.resolution {
        Some(r) if r.path.len() > 1 => crate::ui::delegation_text::path_text(r),
        _ => String::new(),
    };
    let mut time = format_time(m.starts_at);
    if let Some(end) = m.ends_at {
        time = trf(
            "agenda.time_span",
            &[("from", time), ("to", format_time(end))],
        );
    }
    let header = DocHeader {
        school_name: school.name.clone(),
        committee_name: school.preset.committee_name.clone(),
        year: m.year,
        number: m.number,
        date: m.date,
        time,
        place: m.place.clone(),
        chair: chair.name.unwrap_or_default(),
        chair_path,
        recorder: m
            .recorder_id
            .map(|id| store.staff_name(id))
            .unwrap_or_default(),
    };
    let attendance = store
        .attendance(meeting_id)?
        .into_iter()
        .map(|a| AttendRow {
            seat: a.seats.join(tr("agenda.sep")),
            name: a.name,
            status: match kind {
                DocKind::Agenda => None,
                DocKind::Minutes => Some(match (a.status, a.proxy_name) {
                    (Some(s), Some(p)) if !p.trim().is_empty() => trf(
                        "agenda.proxy_by",
                        &[("status", tr(s.key()).to_string()), ("name", p)],
                    ),
                    (Some(s), _) => tr(s.key()).to_string(),
                    (None, _) => tr("meeting.attend_none").to_string(),
                }),
            },
        })
        .collect();
    let live = if kind == DocKind::Agenda && m.status == MeetingStatus::Planned {
        live_bodies(store, meeting_id, today, style)?
    } else {
        Vec::new()
    };
    let items = store
        .agenda_items(meeting_id)?
        .into_iter()
        .map(|i| {
            let body = live
                .iter()
                .find(|(id, _)| *id == i.id)
                .map(|(_, b)| b.clone())
                .unwrap_or(i.body);
            (
                i.section,
                ItemInput {
                    title: i.title,
                    body,
                    proposer: i.proposer,
                    proposal: i.proposal,
                    decision: i.decision,
                    owner: i.owner,
                    due: i.due_on,
                    done: i.done_on.is_some(),
                },
            )
        })
        .collect();
    Ok(AgendaDoc::build(kind, header, attendance, items, style))
}
