//! Committee meetings: the meeting (and the calendar window that is it),
//! attendance, agenda items and their decisions.

use chrono::{NaiveDate, NaiveTime};
use rusqlite::{OptionalExtension, Row, params};
use serde_json::json;

use super::{DateCol, Result, Store, StoreError, Writer, stored_date, stored_date_opt};
use crate::domain::committee::RowMeta;
use crate::domain::delegation::{Resolution, Subject, resolve};
use crate::domain::meeting::{
    AgendaItem, AttendEntry, AttendStatus, AttendanceRow, DecisionDraft, ItemDraft, Meeting,
    MeetingDraft, MeetingFact, MeetingFinding, MeetingKind, MeetingProblem, MeetingStatus,
    OpenDecision, Section, check_meetings, format_time, parse_time, standing_titles, transition,
    validate_attendance, validate_decision, validate_draft,
};
use crate::domain::preset::SeatRole;
use crate::domain::roc::{Term, format_roc};

/// A meeting with counts for the list, from SQL aggregates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingRow {
    pub meeting: Meeting,
    /// Agenda items.
    pub items: usize,
    /// Items with a decision recorded.
    pub decided: usize,
    /// Follow-ups of this meeting not done yet.
    pub open: usize,
    /// Members present or represented.
    pub attending: usize,
}

/// The meetings view's data for one academic year.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MeetingOverview {
    pub year: i32,
    pub meetings: Vec<MeetingRow>,
    /// Committee members of the year (distinct people in seats).
    pub members: usize,
}

/// Who chairs a meeting and how that was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChairInfo {
    /// The person, when someone chairs.
    pub name: Option<String>,
    /// Set by hand on the meeting (no resolution).
    pub set_by_hand: bool,
    /// The convener seat's title (召集人: 校長).
    pub convener: Option<String>,
    /// Who acts for the convener on the date, with the path, when not set by hand.
    pub resolution: Option<Resolution>,
}

fn refused(p: MeetingProblem) -> StoreError {
    StoreError::Refused {
        key: p.message_key(),
        args: p.args(),
    }
}

const MEETING_COLS: &str = "m.id, m.year, t.year, t.semester, m.number, m.held_on, m.starts_at,
    m.ends_at, m.place, m.kind, m.chair_id, m.recorder_id, m.status, m.event_id, m.version,
    m.updated_at, m.updated_by";

const MEETING_FROM: &str = "meeting m JOIN term t ON t.id = m.term_id";

fn time_of(s: &str) -> NaiveTime {
    parse_time(s).unwrap_or(NaiveTime::MIN)
}

fn meeting_from_row(r: &Row<'_>) -> rusqlite::Result<Meeting> {
    let col = DateCol {
        table: "meeting",
        column: "held_on",
        id_at: 0,
    };
    Ok(Meeting {
        id: r.get(0)?,
        year: r.get(1)?,
        term: Term {
            year: r.get(2)?,
            semester: r.get::<_, i64>(3)? as u8,
        },
        number: r.get::<_, i64>(4)? as u32,
        date: stored_date(r, 5, col)?,
        starts_at: time_of(&r.get::<_, String>(6)?),
        ends_at: r.get::<_, Option<String>>(7)?.map(|s| time_of(&s)),
        place: r.get(8)?,
        kind: MeetingKind::parse(&r.get::<_, String>(9)?).unwrap_or_default(),
        chair_id: r.get(10)?,
        recorder_id: r.get(11)?,
        status: MeetingStatus::parse(&r.get::<_, String>(12)?).unwrap_or_default(),
        event_id: r.get(13)?,
        meta: RowMeta {
            version: r.get(14)?,
            updated_at: r.get(15)?,
            updated_by: r.get(16)?,
        },
    })
}

const ITEM_COLS: &str = "id, meeting_id, section, position, title, topic, body, proposer,
    proposal, decision, owner, due_on, done_on, carried_from, version, updated_at, updated_by";

/// `ITEM_COLS` of the table named `a`.
const ITEM_COLS_A: &str = "a.id, a.meeting_id, a.section, a.position, a.title, a.topic, a.body,
    a.proposer, a.proposal, a.decision, a.owner, a.due_on, a.done_on, a.carried_from, a.version,
    a.updated_at, a.updated_by";

/// Sections in the order they are printed.
const SECTION_ORDER: &str =
    "CASE section WHEN 'report' THEN 1 WHEN 'previous' THEN 2 WHEN 'motion' THEN 3 ELSE 4 END";

fn item_from_row(r: &Row<'_>) -> rusqlite::Result<AgendaItem> {
    let col = |column| DateCol {
        table: "agenda_item",
        column,
        id_at: 0,
    };
    Ok(AgendaItem {
        id: r.get(0)?,
        meeting_id: r.get(1)?,
        section: Section::parse(&r.get::<_, String>(2)?).unwrap_or_default(),
        position: r.get(3)?,
        title: r.get(4)?,
        topic: r.get(5)?,
        body: r.get(6)?,
        proposer: r.get(7)?,
        proposal: r.get(8)?,
        decision: r.get(9)?,
        owner: r.get(10)?,
        due_on: stored_date_opt(r, 11, col("due_on"))?,
        done_on: stored_date_opt(r, 12, col("done_on"))?,
        carried_from: r.get(13)?,
        meta: RowMeta {
            version: r.get(14)?,
            updated_at: r.get(15)?,
            updated_by: r.get(16)?,
        },
    })
}

fn meeting_json(m: &Meeting) -> serde_json::Value {
    json!({
        "year": m.year, "term": m.term.to_string(), "number": m.number,
        "held_on": m.date.to_string(), "starts_at": format_time(m.starts_at),
        "ends_at": m.ends_at.map(format_time), "place": m.place, "kind": m.kind.code(),
        "chair_id": m.chair_id, "recorder_id": m.recorder_id, "status": m.status.code(),
        "event_id": m.event_id,
    })
}

fn get_meeting(conn: &rusqlite::Connection, id: i64) -> Result<Meeting> {
    conn.query_row(
        &format!("SELECT {MEETING_COLS} FROM {MEETING_FROM} WHERE m.id = ?1"),
        [id],
        meeting_from_row,
    )
    .optional()?
    .ok_or(StoreError::NotFound {
        what: "what.meeting",
        id,
    })
}

fn get_item(conn: &rusqlite::Connection, id: i64) -> Result<AgendaItem> {
    conn.query_row(
        &format!("SELECT {ITEM_COLS} FROM agenda_item WHERE id = ?1"),
        [id],
        item_from_row,
    )
    .optional()?
    .ok_or(StoreError::NotFound {
        what: "what.agenda_item",
        id,
    })
}

/// Recorded terms with their spans.
fn term_spans(conn: &rusqlite::Connection) -> Result<Vec<(Term, NaiveDate, NaiveDate, i64)>> {
    let mut st = conn.prepare_cached(
        "SELECT id, year, semester, starts_on, ends_on FROM term ORDER BY year, semester",
    )?;
    let col = |column| DateCol {
        table: "term",
        column,
        id_at: 0,
    };
    let rows = st.query_map([], |r| {
        Ok((
            Term {
                year: r.get(1)?,
                semester: r.get::<_, i64>(2)? as u8,
            },
            stored_date(r, 3, col("starts_on"))?,
            stored_date(r, 4, col("ends_on"))?,
            r.get::<_, i64>(0)?,
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The members of a year's committee: (staff id, name, seat titles), in
/// seat order, each person once.
fn members_of(conn: &rusqlite::Connection, year: i32) -> Result<Vec<(i64, String, Vec<String>)>> {
    let mut st = conn.prepare_cached(
        "SELECT s.staff_id, p.name, s.title FROM seat s
         JOIN committee c ON c.id = s.committee_id JOIN staff p ON p.id = s.staff_id
         WHERE c.academic_year = ?1 ORDER BY s.ordinal",
    )?;
    let rows = st.query_map([year], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    let mut out: Vec<(i64, String, Vec<String>)> = Vec::new();
    for row in rows {
        let (id, name, title) = row?;
        match out.iter_mut().find(|(i, _, _)| *i == id) {
            Some(m) => m.2.push(title),
            None => out.push((id, name, vec![title])),
        }
    }
    Ok(out)
}

fn staff_name(conn: &rusqlite::Connection, id: i64) -> String {
    conn.query_row("SELECT name FROM staff WHERE id = ?1", [id], |r| r.get(0))
        .unwrap_or_else(|_| format!("#{id}"))
}

/// The staff in the seat of `role` of a year's committee.
fn seat_holder(conn: &rusqlite::Connection, year: i32, role: SeatRole) -> Result<Option<i64>> {
    let role = match role {
        SeatRole::Convener => "convener",
        SeatRole::Secretary => "secretary",
        SeatRole::Member => "member",
    };
    Ok(conn
        .query_row(
            "SELECT s.staff_id FROM seat s JOIN committee c ON c.id = s.committee_id
             WHERE c.academic_year = ?1 AND s.role = ?2 AND s.staff_id IS NOT NULL
             ORDER BY s.ordinal LIMIT 1",
            params![year, role],
            |r| r.get(0),
        )
        .optional()?)
}

fn date_text(d: Option<NaiveDate>) -> Option<String> {
    d.map(|d| d.to_string())
}

impl Writer<'_> {
    fn meeting_not_planned(m: &Meeting) -> StoreError {
        refused(MeetingProblem::NotPlanned {
            number: m.number,
            status: m.status,
        })
    }

    /// The calendar window's title and notes for a meeting.
    fn event_text(&self, m: &Meeting) -> Result<(String, String)> {
        let committee: Option<String> = self
            .tx
            .query_row(
                "SELECT json_extract(preset_json, '$.committee_name') FROM school WHERE id = 1",
                [],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        let title = crate::i18n::trf(
            "meeting.event_title",
            &[
                ("committee", committee.unwrap_or_default()),
                ("year", m.year.to_string()),
                ("number", m.number.to_string()),
            ],
        );
        let time = match m.ends_at {
            Some(e) => format!("{}–{}", format_time(m.starts_at), format_time(e)),
            None => format_time(m.starts_at),
        };
        let notes = [time, m.place.clone()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        Ok((title.trim().to_string(), notes))
    }

    /// Creates or updates the meeting's calendar window (phase `meeting`).
    fn sync_event(&self, m: &Meeting, term_id: i64) -> Result<i64> {
        let (title, notes) = self.event_text(m)?;
        let day = m.date.to_string();
        if let Some(eid) = m.event_id {
            let exists: bool =
                self.tx
                    .query_row("SELECT count(*) FROM event WHERE id = ?1", [eid], |r| {
                        r.get::<_, i64>(0)
                    })?
                    > 0;
            if exists {
                self.tx.execute(
                    "UPDATE event SET term_id = ?2, title = ?3, starts_on = ?4, ends_on = ?4,
                         notes = ?5, version = version + 1, updated_at = ?6, updated_by = ?7
                     WHERE id = ?1",
                    params![eid, term_id, title, day, notes, self.at, self.user],
                )?;
                let after = json!({ "title": title, "starts_on": day, "ends_on": day, "notes": notes, "meeting": m.id });
                self.audit("event", eid, "update", None::<&()>, Some(&after))?;
                return Ok(eid);
            }
        }
        let uid = format!(
            "meeting-{}-{}-{}@portfolio-desk",
            m.year,
            m.number,
            self.at.replace([':', '+', '-'], "")
        );
        self.tx.execute(
            "INSERT INTO event (term_id, uid, title, phase, starts_on, ends_on, notes,
                 updated_at, updated_by)
             VALUES (?1, ?2, ?3, 'meeting', ?4, ?4, ?5, ?6, ?7)",
            params![term_id, uid, title, day, notes, self.at, self.user],
        )?;
        let eid = self.tx.last_insert_rowid();
        let after = json!({ "title": title, "phase": "meeting", "starts_on": day, "ends_on": day, "notes": notes });
        self.audit("event", eid, "insert", None::<&()>, Some(&after))?;
        Ok(eid)
    }

    fn next_position(&self, meeting_id: i64, section: Section) -> Result<i64> {
        Ok(self.tx.query_row(
            "SELECT coalesce(max(position), 0) + 1 FROM agenda_item
             WHERE meeting_id = ?1 AND section = ?2",
            params![meeting_id, section.code()],
            |r| r.get(0),
        )?)
    }

    fn insert_agenda_row(
        &self,
        meeting_id: i64,
        d: &ItemDraft,
        decision: &DecisionDraft,
        carried_from: Option<i64>,
    ) -> Result<i64> {
        if d.title.trim().is_empty() {
            return Err(refused(MeetingProblem::EmptyTitle));
        }
        let position = self.next_position(meeting_id, d.section)?;
        self.tx.execute(
            "INSERT INTO agenda_item (meeting_id, section, position, title, topic, body, proposer,
                 proposal, decision, owner, due_on, carried_from, updated_at, updated_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            params![
                meeting_id,
                d.section.code(),
                position,
                d.title.trim(),
                d.topic,
                d.body,
                d.proposer.trim(),
                d.proposal,
                decision.decision,
                decision.owner.trim(),
                date_text(decision.due_on),
                carried_from,
                self.at,
                self.user
            ],
        )?;
        let id = self.tx.last_insert_rowid();
        let after = get_item(&self.tx, id)?;
        self.audit("agenda_item", id, "insert", None::<&()>, Some(&after))?;
        Ok(id)
    }

    /// Adds to a planned meeting a `previous` item for every open decision
    /// of meetings held before it that it does not carry yet.
    fn carry_into(&self, m: &Meeting) -> Result<usize> {
        if m.status != MeetingStatus::Planned {
            return Ok(0);
        }
        let mut st = self.tx.prepare_cached(&format!(
            "SELECT {ITEM_COLS} FROM agenda_item a WHERE a.section <> 'previous'
               AND a.decision <> '' AND (a.owner <> '' OR a.due_on IS NOT NULL)
               AND a.done_on IS NULL
               AND a.meeting_id IN (SELECT id FROM meeting WHERE status <> 'planned'
                                    AND held_on < ?2)
               AND NOT EXISTS (SELECT 1 FROM agenda_item c
                               WHERE c.meeting_id = ?1 AND c.carried_from = a.id)
             ORDER BY (SELECT held_on FROM meeting WHERE id = a.meeting_id), a.id"
        ))?;
        let originals = st
            .query_map(params![m.id, m.date.to_string()], item_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        drop(st);
        for o in &originals {
            let draft = ItemDraft {
                section: Section::Previous,
                title: o.title.clone(),
                topic: None,
                body: o.decision.clone(),
                proposer: String::new(),
                proposal: String::new(),
            };
            let decision = DecisionDraft {
                decision: String::new(),
                owner: o.owner.clone(),
                due_on: o.due_on,
            };
            self.insert_agenda_row(m.id, &draft, &decision, Some(o.id))?;
        }
        Ok(originals.len())
    }

    /// Carries open decisions into every planned meeting.
    fn carry_all(&self) -> Result<()> {
        let mut st = self.tx.prepare_cached(&format!(
            "SELECT {MEETING_COLS} FROM {MEETING_FROM} WHERE m.status = 'planned'"
        ))?;
        let planned = st
            .query_map([], meeting_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        drop(st);
        for m in &planned {
            self.carry_into(m)?;
        }
        Ok(())
    }

    fn update_meeting_row(&self, id: i64, m: &MeetingDraft, term_id: i64) -> Result<()> {
        self.tx.execute(
            "UPDATE meeting SET term_id = ?2, held_on = ?3, starts_at = ?4, ends_at = ?5,
                 place = ?6, kind = ?7, chair_id = ?8, recorder_id = ?9,
                 version = version + 1, updated_at = ?10, updated_by = ?11
             WHERE id = ?1",
            params![
                id,
                term_id,
                m.date.to_string(),
                format_time(m.starts_at),
                m.ends_at.map(format_time),
                m.place.trim(),
                m.kind.code(),
                m.chair_id,
                m.recorder_id,
                self.at,
                self.user
            ],
        )?;
        Ok(())
    }

    /// The item and its meeting; refused when the meeting's state does not
    /// allow editing the item's content.
    fn editable_item(&self, id: i64, expected: i64) -> Result<(AgendaItem, Meeting)> {
        self.check_version("agenda_item", id, expected)?;
        let item = get_item(&self.tx, id)?;
        let m = get_meeting(&self.tx, item.meeting_id)?;
        let ok = match m.status {
            MeetingStatus::Planned => true,
            MeetingStatus::Held => item.section == Section::Extempore,
            MeetingStatus::Confirmed => false,
        };
        if !ok {
            return Err(Self::meeting_not_planned(&m));
        }
        Ok((item, m))
    }

    /// Renumbers a section's positions 1, 2, 3… in their current order.
    fn renumber_agenda(&self, meeting_id: i64, section: Section) -> Result<()> {
        let ids: Vec<i64> = {
            let mut st = self.tx.prepare_cached(
                "SELECT id FROM agenda_item WHERE meeting_id = ?1 AND section = ?2
                 ORDER BY position, id",
            )?;
            st.query_map(params![meeting_id, section.code()], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?
        };
        for (i, id) in ids.iter().enumerate() {
            self.tx.execute(
                "UPDATE agenda_item SET position = ?2 WHERE id = ?1 AND position <> ?2",
                params![id, i as i64 + 1],
            )?;
        }
        Ok(())
    }
}

impl Store {
    /// Meetings of an academic year (every year with None), by date.
    pub fn meetings(&self, year: Option<i32>) -> Result<Vec<Meeting>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {MEETING_COLS} FROM {MEETING_FROM}
             WHERE ?1 IS NULL OR m.year = ?1 ORDER BY m.held_on, m.starts_at, m.id"
        ))?;
        let rows = st.query_map([year], meeting_from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    pub fn meeting(&self, id: i64) -> Result<Meeting> {
        get_meeting(&self.conn, id)
    }

    /// 第 `number` 次 of academic year `year`.
    pub fn meeting_by_number(&self, year: i32, number: u32) -> Result<Option<Meeting>> {
        Ok(self
            .conn
            .query_row(
                &format!(
                    "SELECT {MEETING_COLS} FROM {MEETING_FROM} WHERE m.year = ?1 AND m.number = ?2"
                ),
                params![year, number],
                meeting_from_row,
            )
            .optional()?)
    }

    /// The meeting whose calendar window is `event_id`.
    pub fn meeting_for_event(&self, event_id: i64) -> Result<Option<Meeting>> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {MEETING_COLS} FROM {MEETING_FROM} WHERE m.event_id = ?1"),
                [event_id],
                meeting_from_row,
            )
            .optional()?)
    }

    /// The first planned meeting on or after `today` (the next agenda).
    pub fn next_planned_meeting(&self, today: NaiveDate) -> Result<Option<Meeting>> {
        Ok(self
            .conn
            .query_row(
                &format!(
                    "SELECT {MEETING_COLS} FROM {MEETING_FROM}
                     WHERE m.status = 'planned' AND m.held_on >= ?1
                     ORDER BY m.held_on, m.starts_at LIMIT 1"
                ),
                [today.to_string()],
                meeting_from_row,
            )
            .optional()?)
    }

    /// The meetings of a year with their counts (SQL aggregates only).
    pub fn meeting_overview(&self, year: i32) -> Result<MeetingOverview> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {MEETING_COLS},
                 (SELECT count(*) FROM agenda_item a WHERE a.meeting_id = m.id),
                 (SELECT count(*) FROM agenda_item a WHERE a.meeting_id = m.id AND a.decision <> ''),
                 (SELECT count(*) FROM agenda_item a WHERE a.meeting_id = m.id
                      AND a.section <> 'previous' AND a.decision <> ''
                      AND (a.owner <> '' OR a.due_on IS NOT NULL) AND a.done_on IS NULL),
                 (SELECT count(*) FROM attendance x WHERE x.meeting_id = m.id
                      AND x.status IN ('present', 'proxy'))
             FROM {MEETING_FROM} WHERE m.year = ?1 ORDER BY m.held_on, m.starts_at, m.id"
        ))?;
        let rows = st.query_map([year], |r| {
            Ok(MeetingRow {
                meeting: meeting_from_row(r)?,
                items: r.get::<_, i64>(17)? as usize,
                decided: r.get::<_, i64>(18)? as usize,
                open: r.get::<_, i64>(19)? as usize,
                attending: r.get::<_, i64>(20)? as usize,
            })
        })?;
        let meetings = rows.collect::<rusqlite::Result<Vec<_>>>()?;
        let members: i64 = self.conn.query_row(
            "SELECT count(DISTINCT s.staff_id) FROM seat s JOIN committee c ON c.id = s.committee_id
             WHERE c.academic_year = ?1 AND s.staff_id IS NOT NULL",
            [year],
            |r| r.get(0),
        )?;
        Ok(MeetingOverview {
            year,
            meetings,
            members: members as usize,
        })
    }

    /// Plans a meeting: checks the date against the recorded terms, numbers
    /// it in its academic year, creates its calendar window, the standing
    /// report items of the school's regulation, and a `previous` item for
    /// every open decision. The recorder defaults to the executive secretary.
    pub fn plan_meeting(&mut self, draft: &MeetingDraft) -> Result<Meeting> {
        let standing = match self.school()? {
            Some(s) => standing_titles(&s.preset),
            None => Vec::new(),
        };
        self.plan_meeting_with(draft, &standing)
    }

    /// [`Store::plan_meeting`] with the standing report items given: (title, topic).
    pub fn plan_meeting_with(
        &mut self,
        draft: &MeetingDraft,
        standing: &[(String, Option<String>)],
    ) -> Result<Meeting> {
        self.write(|w| {
            let spans = term_spans(&w.tx)?;
            let plain: Vec<_> = spans.iter().map(|(t, s, e, _)| (*t, *s, *e)).collect();
            let term = validate_draft(draft, &plain).map_err(refused)?;
            let term_id = spans
                .iter()
                .find(|(t, ..)| *t == term)
                .map(|x| x.3)
                .unwrap_or_default();
            let year = term.year;
            let number: i64 = w.tx.query_row(
                "SELECT coalesce(max(number), 0) + 1 FROM meeting WHERE year = ?1",
                [year],
                |r| r.get(0),
            )?;
            let recorder = match draft.recorder_id {
                Some(id) => Some(id),
                None => seat_holder(&w.tx, year, SeatRole::Secretary)?,
            };
            w.tx.execute(
                "INSERT INTO meeting (year, term_id, number, held_on, starts_at, ends_at, place,
                     kind, chair_id, recorder_id, updated_at, updated_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                params![
                    year,
                    term_id,
                    number,
                    draft.date.to_string(),
                    format_time(draft.starts_at),
                    draft.ends_at.map(format_time),
                    draft.place.trim(),
                    draft.kind.code(),
                    draft.chair_id,
                    recorder,
                    w.at,
                    w.user
                ],
            )?;
            let id = w.tx.last_insert_rowid();
            let mut m = get_meeting(&w.tx, id)?;
            // A meeting window already on the calendar that day (an
            // imported schedule's 工作小組會議) becomes this meeting's.
            m.event_id =
                w.tx.query_row(
                    "SELECT e.id FROM event e WHERE e.term_id = ?1 AND e.phase = 'meeting'
                       AND e.starts_on = ?2
                       AND NOT EXISTS (SELECT 1 FROM meeting x WHERE x.event_id = e.id)
                     ORDER BY e.id LIMIT 1",
                    params![term_id, draft.date.to_string()],
                    |r| r.get(0),
                )
                .optional()?;
            let eid = w.sync_event(&m, term_id)?;
            w.tx.execute(
                "UPDATE meeting SET event_id = ?2 WHERE id = ?1",
                params![id, eid],
            )?;
            let m = get_meeting(&w.tx, id)?;
            w.audit(
                "meeting",
                id,
                "insert",
                None::<&()>,
                Some(&meeting_json(&m)),
            )?;
            for (title, topic) in standing {
                let d = ItemDraft {
                    section: Section::Report,
                    title: title.clone(),
                    topic: topic.clone(),
                    ..ItemDraft::default()
                };
                w.insert_agenda_row(id, &d, &DecisionDraft::default(), None)?;
            }
            w.carry_into(&m)?;
            Ok(m)
        })
    }

    /// Changes a planned meeting (date, time, place, kind, chair, recorder);
    /// its calendar window moves with it. Moving to another academic year
    /// is refused (numbers count per year): cancel and plan anew.
    pub fn update_meeting(
        &mut self,
        id: i64,
        expected: i64,
        draft: &MeetingDraft,
    ) -> Result<Meeting> {
        self.write(|w| {
            w.check_version("meeting", id, expected)?;
            let before = get_meeting(&w.tx, id)?;
            if before.status != MeetingStatus::Planned {
                return Err(Writer::meeting_not_planned(&before));
            }
            let spans = term_spans(&w.tx)?;
            let plain: Vec<_> = spans.iter().map(|(t, s, e, _)| (*t, *s, *e)).collect();
            let term = validate_draft(draft, &plain).map_err(refused)?;
            if term.year != before.year {
                return Err(refused(MeetingProblem::OtherYear {
                    date: draft.date,
                    year: before.year,
                }));
            }
            let term_id = spans
                .iter()
                .find(|(t, ..)| *t == term)
                .map(|x| x.3)
                .unwrap_or_default();
            w.update_meeting_row(id, draft, term_id)?;
            let m = get_meeting(&w.tx, id)?;
            let eid = w.sync_event(&m, term_id)?;
            if m.event_id != Some(eid) {
                w.tx.execute(
                    "UPDATE meeting SET event_id = ?2 WHERE id = ?1",
                    params![id, eid],
                )?;
            }
            let m = get_meeting(&w.tx, id)?;
            w.audit(
                "meeting",
                id,
                "update",
                Some(&meeting_json(&before)),
                Some(&meeting_json(&m)),
            )?;
            // Decisions made before the new date may now be carried.
            w.carry_into(&m)?;
            Ok(m)
        })
    }

    /// Cancels a planned meeting: the meeting, its agenda and attendance and
    /// its calendar window are deleted together (the audit keeps them).
    pub fn cancel_meeting(&mut self, id: i64, expected: i64) -> Result<()> {
        self.write(|w| {
            w.check_version("meeting", id, expected)?;
            let m = get_meeting(&w.tx, id)?;
            if m.status != MeetingStatus::Planned {
                return Err(Writer::meeting_not_planned(&m));
            }
            w.tx.execute("DELETE FROM meeting WHERE id = ?1", [id])?;
            w.audit(
                "meeting",
                id,
                "delete",
                Some(&meeting_json(&m)),
                None::<&()>,
            )?;
            if let Some(eid) = m.event_id {
                w.tx.execute("DELETE FROM event WHERE id = ?1", [eid])?;
                w.audit(
                    "event",
                    eid,
                    "delete",
                    Some(&json!({ "meeting": id })),
                    None::<&()>,
                )?;
            }
            Ok(())
        })
    }

    /// Marks a meeting held, its minutes confirmed, or one step back.
    /// Reports are frozen once held; open decisions are carried onward.
    pub fn set_meeting_status(
        &mut self,
        id: i64,
        expected: i64,
        to: MeetingStatus,
        today: NaiveDate,
    ) -> Result<Meeting> {
        self.write(|w| {
            w.check_version("meeting", id, expected)?;
            let before = get_meeting(&w.tx, id)?;
            transition(&before, to, today).map_err(refused)?;
            w.tx.execute(
                "UPDATE meeting SET status = ?2, version = version + 1, updated_at = ?3,
                     updated_by = ?4 WHERE id = ?1",
                params![id, to.code(), w.at, w.user],
            )?;
            let m = get_meeting(&w.tx, id)?;
            w.audit(
                "meeting",
                id,
                "update",
                Some(&json!({ "status": before.status.code() })),
                Some(&json!({ "status": to.code() })),
            )?;
            w.carry_all()?;
            Ok(m)
        })
    }

    /// Who chairs: the person set on the meeting, else who acts for the
    /// convener on the meeting's date (the delegate tables), with the path.
    pub fn meeting_chair(&self, m: &Meeting) -> Result<ChairInfo> {
        let convener: Option<String> = self
            .conn
            .query_row(
                "SELECT s.title FROM seat s JOIN committee c ON c.id = s.committee_id
                 WHERE c.academic_year = ?1 AND s.role = 'convener' ORDER BY s.ordinal LIMIT 1",
                [m.year],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(id) = m.chair_id {
            return Ok(ChairInfo {
                name: Some(staff_name(&self.conn, id)),
                set_by_hand: true,
                convener,
                resolution: None,
            });
        }
        let Some(title) = convener.clone() else {
            return Ok(ChairInfo {
                name: None,
                set_by_hand: false,
                convener,
                resolution: None,
            });
        };
        let world = self.world()?;
        let r = resolve(&world, &Subject::Position(title), m.date);
        let mut name = r.acting().map(|a| a.person.name.clone());
        if name.is_none() && r.path.len() <= 1 {
            // No one holds the position by title: the convener seat's member.
            if let Some(id) = seat_holder(&self.conn, m.year, SeatRole::Convener)?
                && world.is_available(id, m.date)
            {
                name = Some(staff_name(&self.conn, id));
            }
        }
        Ok(ChairInfo {
            name,
            set_by_hand: false,
            convener,
            resolution: Some(r),
        })
    }

    /// The recorder's name.
    pub fn staff_name(&self, id: i64) -> String {
        staff_name(&self.conn, id)
    }

    /// The members of a year's committee: (staff id, name, seat titles).
    pub fn committee_members(&self, year: i32) -> Result<Vec<(i64, String, Vec<String>)>> {
        members_of(&self.conn, year)
    }

    /// Every member of the meeting's committee with their attendance.
    pub fn attendance(&self, meeting_id: i64) -> Result<Vec<AttendanceRow>> {
        let m = self.meeting(meeting_id)?;
        let members = members_of(&self.conn, m.year)?;
        let mut st = self.conn.prepare_cached(
            "SELECT a.staff_id, a.status, a.proxy_id, p.name, a.version FROM attendance a
             LEFT JOIN staff p ON p.id = a.proxy_id WHERE a.meeting_id = ?1",
        )?;
        let recs = st
            .query_map([meeting_id], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<i64>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, i64>(4)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(members
            .into_iter()
            .map(|(id, name, seats)| {
                let rec = recs.iter().find(|r| r.0 == id);
                AttendanceRow {
                    staff_id: id,
                    name,
                    seats,
                    status: rec.and_then(|r| AttendStatus::parse(&r.1)),
                    proxy_id: rec.and_then(|r| r.2),
                    proxy_name: rec.and_then(|r| r.3.clone()),
                    version: rec.map(|r| r.4).unwrap_or(0),
                }
            })
            .collect())
    }

    /// Records attendance. Everyone named must be on the meeting's year's
    /// committee (the refusal names all who are not); nothing is saved then.
    pub fn set_attendance(&mut self, meeting_id: i64, entries: &[AttendEntry]) -> Result<()> {
        self.write(|w| {
            let m = get_meeting(&w.tx, meeting_id)?;
            if m.status == MeetingStatus::Confirmed {
                return Err(Writer::meeting_not_planned(&m));
            }
            let members: Vec<(i64, String)> = members_of(&w.tx, m.year)?
                .into_iter()
                .map(|(id, n, _)| (id, n))
                .collect();
            let names = |id: i64| staff_name(&w.tx, id);
            validate_attendance(entries, &members, &names, m.year).map_err(refused)?;
            for e in entries {
                let before: Option<(i64, String)> =
                    w.tx.query_row(
                        "SELECT id, status FROM attendance WHERE meeting_id = ?1 AND staff_id = ?2",
                        params![meeting_id, e.staff_id],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .optional()?;
                let after = json!({
                    "meeting": meeting_id, "staff_id": e.staff_id,
                    "status": e.status.map(|s| s.code()), "proxy_id": e.proxy_id,
                });
                match (before, e.status) {
                    (Some((aid, old)), None) => {
                        w.tx.execute("DELETE FROM attendance WHERE id = ?1", [aid])?;
                        w.audit(
                            "attendance",
                            aid,
                            "delete",
                            Some(&json!({ "status": old })),
                            None::<&()>,
                        )?;
                    }
                    (Some((aid, old)), Some(s)) => {
                        w.tx.execute(
                            "UPDATE attendance SET status = ?2, proxy_id = ?3,
                                 version = version + 1, updated_at = ?4, updated_by = ?5
                             WHERE id = ?1",
                            params![aid, s.code(), e.proxy_id, w.at, w.user],
                        )?;
                        w.audit(
                            "attendance",
                            aid,
                            "update",
                            Some(&json!({ "status": old })),
                            Some(&after),
                        )?;
                    }
                    (None, Some(s)) => {
                        w.tx.execute(
                            "INSERT INTO attendance (meeting_id, staff_id, status, proxy_id,
                                 updated_at, updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                            params![meeting_id, e.staff_id, s.code(), e.proxy_id, w.at, w.user],
                        )?;
                        let aid = w.tx.last_insert_rowid();
                        w.audit("attendance", aid, "insert", None::<&()>, Some(&after))?;
                    }
                    (None, None) => {}
                }
            }
            Ok(())
        })
    }

    /// The agenda of a meeting: sections in printed order, items by position.
    pub fn agenda_items(&self, meeting_id: i64) -> Result<Vec<AgendaItem>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {ITEM_COLS} FROM agenda_item WHERE meeting_id = ?1
             ORDER BY {SECTION_ORDER}, position, id"
        ))?;
        let rows = st.query_map([meeting_id], item_from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    pub fn agenda_item(&self, id: i64) -> Result<AgendaItem> {
        get_item(&self.conn, id)
    }

    /// Adds an item at the end of its section. A planned meeting takes any
    /// section but `previous` (carried, not written); a held meeting only
    /// 臨時動議; a confirmed one nothing.
    pub fn add_agenda_item(&mut self, meeting_id: i64, d: &ItemDraft) -> Result<AgendaItem> {
        self.write(|w| {
            let m = get_meeting(&w.tx, meeting_id)?;
            if d.section == Section::Previous {
                return Err(refused(MeetingProblem::SectionNotEditable {
                    section: d.section,
                }));
            }
            let ok = match m.status {
                MeetingStatus::Planned => true,
                MeetingStatus::Held => d.section == Section::Extempore,
                MeetingStatus::Confirmed => false,
            };
            if !ok {
                return Err(Writer::meeting_not_planned(&m));
            }
            let id = w.insert_agenda_row(meeting_id, d, &DecisionDraft::default(), None)?;
            get_item(&w.tx, id)
        })
    }

    /// Saves an item's text. `expected` is the version as loaded: a save
    /// over someone else's is refused, naming them and when.
    pub fn update_agenda_item(
        &mut self,
        id: i64,
        expected: i64,
        d: &ItemDraft,
    ) -> Result<AgendaItem> {
        self.write(|w| {
            let (before, _m) = w.editable_item(id, expected)?;
            if d.title.trim().is_empty() {
                return Err(refused(MeetingProblem::EmptyTitle));
            }
            if d.section != before.section {
                return Err(refused(MeetingProblem::SectionNotEditable {
                    section: before.section,
                }));
            }
            w.tx.execute(
                "UPDATE agenda_item SET title = ?2, body = ?3, proposer = ?4, proposal = ?5,
                     version = version + 1, updated_at = ?6, updated_by = ?7 WHERE id = ?1",
                params![
                    id,
                    d.title.trim(),
                    d.body,
                    d.proposer.trim(),
                    d.proposal,
                    w.at,
                    w.user
                ],
            )?;
            let after = get_item(&w.tx, id)?;
            w.audit("agenda_item", id, "update", Some(&before), Some(&after))?;
            Ok(after)
        })
    }

    /// Removes an item; the section closes up.
    pub fn delete_agenda_item(&mut self, id: i64, expected: i64) -> Result<()> {
        self.write(|w| {
            let (before, _m) = w.editable_item(id, expected)?;
            w.tx.execute("DELETE FROM agenda_item WHERE id = ?1", [id])?;
            w.audit("agenda_item", id, "delete", Some(&before), None::<&()>)?;
            w.renumber_agenda(before.meeting_id, before.section)
        })
    }

    /// Swaps an item with its neighbour above (`up`) or below in its
    /// section; at either end nothing moves (Ok(false)).
    pub fn move_agenda_item(&mut self, id: i64, expected: i64, up: bool) -> Result<bool> {
        self.write(|w| {
            let (item, _m) = w.editable_item(id, expected)?;
            w.renumber_agenda(item.meeting_id, item.section)?;
            let item = get_item(&w.tx, id)?;
            let target = if up {
                item.position - 1
            } else {
                item.position + 1
            };
            let other: Option<i64> =
                w.tx.query_row(
                    "SELECT id FROM agenda_item WHERE meeting_id = ?1 AND section = ?2
                     AND position = ?3",
                    params![item.meeting_id, item.section.code(), target],
                    |r| r.get(0),
                )
                .optional()?;
            let Some(other) = other else {
                return Ok(false);
            };
            for (row, pos) in [(id, target), (other, item.position)] {
                w.tx.execute(
                    "UPDATE agenda_item SET position = ?2, version = version + 1,
                         updated_at = ?3, updated_by = ?4 WHERE id = ?1",
                    params![row, pos, w.at, w.user],
                )?;
                w.audit(
                    "agenda_item",
                    row,
                    "update",
                    None::<&()>,
                    Some(&json!({ "position": pos })),
                )?;
            }
            Ok(true)
        })
    }

    /// Records the decision (決議) of an item of a held meeting, with its
    /// owner unit and due date (a due date before the meeting is refused,
    /// quoted). A follow-up is carried to later planned meetings.
    pub fn record_decision(
        &mut self,
        id: i64,
        expected: i64,
        d: &DecisionDraft,
    ) -> Result<AgendaItem> {
        self.write(|w| {
            w.check_version("agenda_item", id, expected)?;
            let before = get_item(&w.tx, id)?;
            let m = get_meeting(&w.tx, before.meeting_id)?;
            if m.status == MeetingStatus::Confirmed {
                return Err(Writer::meeting_not_planned(&m));
            }
            validate_decision(d, &m).map_err(refused)?;
            w.tx.execute(
                "UPDATE agenda_item SET decision = ?2, owner = ?3, due_on = ?4,
                     version = version + 1, updated_at = ?5, updated_by = ?6 WHERE id = ?1",
                params![
                    id,
                    d.decision.trim(),
                    d.owner.trim(),
                    date_text(d.due_on),
                    w.at,
                    w.user
                ],
            )?;
            // Copies already carried to planned meetings follow the change.
            w.tx.execute(
                "UPDATE agenda_item SET body = ?2, owner = ?3, due_on = ?4,
                     version = version + 1, updated_at = ?5, updated_by = ?6
                 WHERE carried_from = ?1 AND meeting_id IN
                     (SELECT id FROM meeting WHERE status = 'planned')",
                params![
                    id,
                    d.decision.trim(),
                    d.owner.trim(),
                    date_text(d.due_on),
                    w.at,
                    w.user
                ],
            )?;
            let after = get_item(&w.tx, id)?;
            w.audit("agenda_item", id, "update", Some(&before), Some(&after))?;
            w.carry_all()?;
            Ok(after)
        })
    }

    /// Marks a decision done on `done` (None: not done again). On a carried
    /// (`previous`) item this marks the decision it follows, and every copy.
    pub fn set_decision_done(
        &mut self,
        id: i64,
        expected: i64,
        done: Option<NaiveDate>,
    ) -> Result<AgendaItem> {
        self.write(|w| {
            w.check_version("agenda_item", id, expected)?;
            let item = get_item(&w.tx, id)?;
            let origin = match item.carried_from {
                Some(o) => get_item(&w.tx, o)?,
                None => item.clone(),
            };
            if origin.decision.trim().is_empty() {
                return Err(refused(MeetingProblem::NoDecision {
                    title: origin.title.clone(),
                }));
            }
            let m = get_meeting(&w.tx, origin.meeting_id)?;
            if let Some(d) = done
                && d < m.date
            {
                return Err(refused(MeetingProblem::DoneBeforeMeeting {
                    done: d,
                    date: m.date,
                }));
            }
            w.tx.execute(
                "UPDATE agenda_item SET done_on = ?2, version = version + 1, updated_at = ?3,
                     updated_by = ?4 WHERE id = ?1 OR carried_from = ?1",
                params![origin.id, date_text(done), w.at, w.user],
            )?;
            w.audit(
                "agenda_item",
                origin.id,
                "update",
                Some(&json!({ "done_on": date_text(origin.done_on) })),
                Some(&json!({ "done_on": date_text(done) })),
            )?;
            if done.is_none() {
                w.carry_all()?;
            }
            get_item(&w.tx, id)
        })
    }

    /// Replaces the bodies of generated report items (for the agenda
    /// builder). Refused once the meeting is held: the reports are frozen
    /// then. Items of other meetings are refused as not found.
    pub fn set_report_bodies(&mut self, meeting_id: i64, bodies: &[(i64, String)]) -> Result<()> {
        self.write(|w| {
            let m = get_meeting(&w.tx, meeting_id)?;
            if m.status != MeetingStatus::Planned {
                return Err(Writer::meeting_not_planned(&m));
            }
            for (id, body) in bodies {
                let changed = w.tx.execute(
                    "UPDATE agenda_item SET body = ?3, version = version + 1, updated_at = ?4,
                         updated_by = ?5 WHERE id = ?1 AND meeting_id = ?2 AND body <> ?3",
                    params![id, meeting_id, body, w.at, w.user],
                )?;
                let exists: i64 = w.tx.query_row(
                    "SELECT count(*) FROM agenda_item WHERE id = ?1 AND meeting_id = ?2",
                    params![id, meeting_id],
                    |r| r.get(0),
                )?;
                if exists == 0 {
                    return Err(StoreError::NotFound {
                        what: "what.agenda_item",
                        id: *id,
                    });
                }
                if changed > 0 {
                    w.audit(
                        "agenda_item",
                        *id,
                        "update",
                        None::<&()>,
                        Some(&json!({ "body": body })),
                    )?;
                }
            }
            Ok(())
        })
    }

    /// Follow-ups not done, of held or confirmed meetings, oldest first.
    pub fn open_decisions(&self) -> Result<Vec<OpenDecision>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {ITEM_COLS_A}, m.year, m.number, m.held_on FROM agenda_item a
             JOIN meeting m ON m.id = a.meeting_id
             WHERE a.section <> 'previous' AND a.decision <> ''
               AND (a.owner <> '' OR a.due_on IS NOT NULL) AND a.done_on IS NULL
               AND m.status <> 'planned'
             ORDER BY m.held_on, a.id"
        ))?;
        let col = DateCol {
            table: "meeting",
            column: "held_on",
            id_at: 0,
        };
        let rows = st.query_map([], |r| {
            Ok(OpenDecision {
                item: item_from_row(r)?,
                meeting_year: r.get(17)?,
                meeting_number: r.get::<_, i64>(18)? as u32,
                meeting_date: stored_date(r, 19, col)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// What `check meetings` finds for an academic year (its recorded
    /// terms, its meetings, every open decision).
    pub fn meeting_findings(&self, year: i32, today: NaiveDate) -> Result<Vec<MeetingFinding>> {
        let terms: Vec<(Term, NaiveDate, NaiveDate)> = term_spans(&self.conn)?
            .into_iter()
            .filter(|(t, ..)| t.year == year)
            .map(|(t, s, e, _)| (t, s, e))
            .collect();
        let facts: Vec<MeetingFact> = self
            .meeting_overview(year)?
            .meetings
            .into_iter()
            .map(|r| MeetingFact {
                number: r.meeting.number,
                year: r.meeting.year,
                term: r.meeting.term,
                date: r.meeting.date,
                status: r.meeting.status,
                decided: r.decided,
            })
            .collect();
        let open: Vec<OpenDecision> = self.open_decisions()?;
        Ok(check_meetings(&terms, &facts, &open, today))
    }
}

/// The refusal for editing a meeting's calendar window on the calendar
/// screen (the meeting owns it): names the meeting.
pub(super) fn event_owned_by_meeting(conn: &rusqlite::Connection, event_id: i64) -> Result<()> {
    let owner: Option<(i32, i64, String)> = conn
        .query_row(
            "SELECT year, number, held_on FROM meeting WHERE event_id = ?1",
            [event_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    match owner {
        None => Ok(()),
        Some((year, number, date)) => Err(StoreError::Refused {
            key: "meeting.err_event_is_meeting",
            args: vec![
                ("year", year.to_string()),
                ("number", number.to_string()),
                (
                    "date",
                    NaiveDate::parse_from_str(&date, "%Y-%m-%d")
                        .map(format_roc)
                        .unwrap_or(date),
                ),
            ],
        }),
    }
}
