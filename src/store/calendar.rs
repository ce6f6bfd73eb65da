//! Terms and the events (dated windows) of their calendars.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Row, params};
use serde_json::json;

use super::{DateCol, Result, Store, StoreError, Writer, stored_date, stored_date_opt};
use crate::domain::calendar::{
    Event, EventProblem, Grades, Phase, Shifted, TermInfo, copy_forward,
};
use crate::domain::committee::RowMeta;
use crate::domain::roc::{DateRange, Term};

/// A term as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct TermRec {
    pub id: i64,
    pub info: TermInfo,
    pub meta: RowMeta,
}

/// An event as stored; `event.id` is the row id.
#[derive(Debug, Clone, PartialEq)]
pub struct EventRec {
    pub event: Event,
    /// Stable identifier for published calendars (ICS UID).
    pub uid: String,
    pub meta: RowMeta,
}

/// What an import or a copy added.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportOutcome {
    pub added: usize,
    /// Rows identical to an event already there (same term, title, phase, dates).
    pub already_there: usize,
    /// Terms created because an event named them.
    pub new_terms: Vec<Term>,
}

/// What copying a term forward did.
#[derive(Debug, Clone, PartialEq)]
pub struct CopyOutcome {
    pub to: Term,
    pub shifted: Vec<Shifted>,
}

/// A date column of `event` (row id in column 0 of `EVENT_COLS`).
const fn event_col(column: &'static str) -> DateCol {
    DateCol {
        table: "event",
        column,
        id_at: 0,
    }
}

/// A date column of `term` (row id in column 0).
const fn term_col(column: &'static str) -> DateCol {
    DateCol {
        table: "term",
        column,
        id_at: 0,
    }
}

const EVENT_COLS: &str =
    "e.id, t.year, t.semester, e.title, e.phase, e.grades, e.units, e.starts_on,
    e.ends_on, e.national, e.prepares_for, e.notes, e.done_on, e.uid, e.version, e.updated_at,
    e.updated_by";

fn event_from_row(r: &Row<'_>) -> rusqlite::Result<EventRec> {
    let units: String = r.get(6)?;
    let start = stored_date(r, 7, event_col("starts_on"))?;
    let end = stored_date(r, 8, event_col("ends_on"))?;
    Ok(EventRec {
        event: Event {
            id: r.get(0)?,
            term: Term {
                year: r.get(1)?,
                semester: r.get::<_, i64>(2)? as u8,
            },
            title: r.get(3)?,
            phase: Phase::parse(&r.get::<_, String>(4)?).unwrap_or(Phase::Other),
            grades: Grades::from_bits(r.get::<_, i64>(5)? as u8),
            units: serde_json::from_str(&units).unwrap_or_default(),
            span: DateRange { start, end },
            national: r.get::<_, i64>(9)? != 0,
            prepares_for: r.get(10)?,
            notes: r.get(11)?,
            done_on: stored_date_opt(r, 12, event_col("done_on"))?,
        },
        uid: r.get(13)?,
        meta: RowMeta {
            version: r.get(14)?,
            updated_at: r.get(15)?,
            updated_by: r.get(16)?,
        },
    })
}

fn event_json(e: &Event) -> serde_json::Value {
    json!({
        "term": e.term.to_string(), "title": e.title, "phase": e.phase.code(),
        "grades": e.grades.code(), "units": e.units, "starts_on": e.span.start.to_string(),
        "ends_on": e.span.end.to_string(), "national": e.national,
        "prepares_for": e.prepares_for, "notes": e.notes,
        "done_on": e.done_on.map(|d| d.to_string()),
    })
}

fn refused(p: EventProblem) -> StoreError {
    StoreError::Refused {
        key: p.message_key(),
        args: p.args(),
    }
}

/// A fresh identifier for a published calendar entry.
fn new_uid(w: &Writer<'_>, term: Term) -> String {
    use std::hash::{Hash, Hasher};
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (nanos, &w.user, &w.at, std::process::id()).hash(&mut h);
    let seq: i64 =
        w.tx.query_row("SELECT coalesce(max(id), 0) + 1 FROM event", [], |r| {
            r.get(0)
        })
        .unwrap_or(0);
    format!("{}-{}-{:016x}@portfolio-desk", term, seq, h.finish())
}

impl Writer<'_> {
    /// The term's row id, creating the term with its semester span if needed.
    pub(super) fn term_id(&self, term: Term, created: &mut Vec<Term>) -> Result<i64> {
        let found: Option<i64> = self
            .tx
            .query_row(
                "SELECT id FROM term WHERE year = ?1 AND semester = ?2",
                params![term.year, term.semester],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(id) = found {
            return Ok(id);
        }
        let span = term.span();
        self.tx.execute(
            "INSERT INTO term (year, semester, starts_on, ends_on, updated_at, updated_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                term.year,
                term.semester,
                span.start.to_string(),
                span.end.to_string(),
                self.at,
                self.user
            ],
        )?;
        let id = self.tx.last_insert_rowid();
        self.audit(
            "term",
            id,
            "insert",
            None::<&()>,
            Some(&json!({ "term": term.to_string() })),
        )?;
        created.push(term);
        Ok(id)
    }

    /// Refuses what the schema would refuse, in words.
    fn validate_event(&self, e: &Event, own_id: i64) -> Result<()> {
        if e.title.trim().is_empty() {
            return Err(refused(EventProblem::EmptyTitle));
        }
        if let Some(target) = e.prepares_for {
            let row: Option<(i64, i64, i64)> = self
                .tx
                .query_row(
                    "SELECT e.national, t.year, t.semester FROM event e JOIN term t ON t.id = e.term_id
                     WHERE e.id = ?1",
                    [target],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            let ok = matches!(row, Some((1, y, s)) if y == e.term.year as i64 && s == e.term.semester as i64);
            if target == own_id || !ok {
                return Err(refused(EventProblem::BadPreparesFor));
            }
        }
        Ok(())
    }

    fn insert_event(&self, e: &Event, created: &mut Vec<Term>) -> Result<i64> {
        self.validate_event(e, 0)?;
        let term_id = self.term_id(e.term, created)?;
        let uid = new_uid(self, e.term);
        self.tx.execute(
            "INSERT INTO event (term_id, uid, title, phase, grades, units, starts_on, ends_on,
                 national, prepares_for, notes, done_on, updated_at, updated_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            params![
                term_id,
                uid,
                e.title.trim(),
                e.phase.code(),
                e.grades.bits() as i64,
                serde_json::to_string(&e.units).unwrap_or_else(|_| "[]".into()),
                e.span.start.to_string(),
                e.span.end.to_string(),
                e.national as i64,
                e.prepares_for,
                e.notes,
                e.done_on.map(|d| d.to_string()),
                self.at,
                self.user
            ],
        )?;
        let id = self.tx.last_insert_rowid();
        self.audit("event", id, "insert", None::<&()>, Some(&event_json(e)))?;
        Ok(id)
    }

    fn load_event(&self, id: i64) -> Result<EventRec> {
        self.tx
            .query_row(
                &format!("SELECT {EVENT_COLS} FROM event e JOIN term t ON t.id = e.term_id WHERE e.id = ?1"),
                [id],
                event_from_row,
            )
            .optional()?
            .ok_or(StoreError::NotFound {
                what: "what.event",
                id,
            })
    }
}

impl Store {
    pub fn terms(&self) -> Result<Vec<TermRec>> {
        let mut st = self.conn.prepare_cached(
            "SELECT id, year, semester, starts_on, ends_on, closing_on, version, updated_at, updated_by
             FROM term ORDER BY year, semester",
        )?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
                stored_date(r, 3, term_col("starts_on"))?,
                stored_date(r, 4, term_col("ends_on"))?,
                stored_date_opt(r, 5, term_col("closing_on"))?,
                RowMeta {
                    version: r.get(6)?,
                    updated_at: r.get(7)?,
                    updated_by: r.get(8)?,
                },
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, year, semester, start, end, closing, meta) = row?;
            out.push(TermRec {
                id,
                info: TermInfo {
                    term: Term {
                        year: year as i32,
                        semester: semester as u8,
                    },
                    span: DateRange { start, end },
                    closing,
                },
                meta,
            });
        }
        Ok(out)
    }

    /// Creates the term (semester span) if it is not there yet.
    pub fn ensure_term(&mut self, term: Term) -> Result<i64> {
        self.write(|w| w.term_id(term, &mut Vec::new()))
    }

    /// Saves a term's span and closing ceremony (creating the term when
    /// `expected` is `None` and it does not exist).
    pub fn save_term(&mut self, info: &TermInfo, expected: Option<i64>) -> Result<()> {
        self.write(|w| {
            let id = w.term_id(info.term, &mut Vec::new())?;
            if let Some(v) = expected {
                w.check_version("term", id, v)?;
            }
            w.tx.execute(
                "UPDATE term SET starts_on = ?2, ends_on = ?3, closing_on = ?4,
                     version = version + 1, updated_at = ?5, updated_by = ?6 WHERE id = ?1",
                params![
                    id,
                    info.span.start.to_string(),
                    info.span.end.to_string(),
                    info.closing.map(|d| d.to_string()),
                    w.at,
                    w.user
                ],
            )?;
            let after = json!({
                "term": info.term.to_string(), "starts_on": info.span.start.to_string(),
                "ends_on": info.span.end.to_string(),
                "closing_on": info.closing.map(|d| d.to_string()),
            });
            w.audit("term", id, "update", None::<&()>, Some(&after))
        })
    }

    /// Every event, by start date.
    pub fn events(&self) -> Result<Vec<EventRec>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {EVENT_COLS} FROM event e JOIN term t ON t.id = e.term_id
             ORDER BY e.starts_on, e.ends_on, e.id"
        ))?;
        let rows = st.query_map([], event_from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    pub fn event(&self, id: i64) -> Result<EventRec> {
        self.conn
            .query_row(
                &format!("SELECT {EVENT_COLS} FROM event e JOIN term t ON t.id = e.term_id WHERE e.id = ?1"),
                [id],
                event_from_row,
            )
            .optional()?
            .ok_or(StoreError::NotFound {
                what: "what.event",
                id,
            })
    }

    /// Terms and events as the calendar check wants them.
    pub fn calendar(&self) -> Result<(Vec<TermInfo>, Vec<Event>)> {
        Ok((
            self.terms()?.into_iter().map(|t| t.info).collect(),
            self.events()?.into_iter().map(|e| e.event).collect(),
        ))
    }

    /// Adds an event (its term is created if needed); returns its id.
    pub fn add_event(&mut self, e: &Event) -> Result<i64> {
        self.write(|w| w.insert_event(e, &mut Vec::new()))
    }

    /// Saves an event. A meeting's window is refused, naming the meeting:
    /// it moves with its meeting (the meetings view), never on its own.
    pub fn update_event(&mut self, id: i64, expected: i64, e: &Event) -> Result<()> {
        self.write(|w| {
            w.check_version("event", id, expected)?;
            super::meeting::event_owned_by_meeting(&w.tx, id)?;
            w.validate_event(e, id)?;
            let before = w.load_event(id)?;
            let term_id = w.term_id(e.term, &mut Vec::new())?;
            w.tx.execute(
                "UPDATE event SET term_id = ?2, title = ?3, phase = ?4, grades = ?5, units = ?6,
                     starts_on = ?7, ends_on = ?8, national = ?9, prepares_for = ?10, notes = ?11,
                     done_on = ?12, version = version + 1, updated_at = ?13, updated_by = ?14
                 WHERE id = ?1",
                params![
                    id,
                    term_id,
                    e.title.trim(),
                    e.phase.code(),
                    e.grades.bits() as i64,
                    serde_json::to_string(&e.units).unwrap_or_else(|_| "[]".into()),
                    e.span.start.to_string(),
                    e.span.end.to_string(),
                    e.national as i64,
                    e.prepares_for,
                    e.notes,
                    e.done_on.map(|d| d.to_string()),
                    w.at,
                    w.user
                ],
            )?;
            if !e.national {
                // Windows that prepared for it no longer point at a national deadline.
                w.tx.execute(
                    "UPDATE event SET prepares_for = NULL, version = version + 1,
                         updated_at = ?2, updated_by = ?3 WHERE prepares_for = ?1",
                    params![id, w.at, w.user],
                )?;
            }
            w.audit(
                "event",
                id,
                "update",
                Some(&event_json(&before.event)),
                Some(&event_json(e)),
            )
        })
    }

    /// Marks the window done today (`Some`) or not done (`None`).
    pub fn set_event_done(
        &mut self,
        id: i64,
        expected: i64,
        done: Option<NaiveDate>,
    ) -> Result<()> {
        self.write(|w| {
            w.check_version("event", id, expected)?;
            w.tx.execute(
                "UPDATE event SET done_on = ?2, version = version + 1, updated_at = ?3,
                     updated_by = ?4 WHERE id = ?1",
                params![id, done.map(|d| d.to_string()), w.at, w.user],
            )?;
            w.audit(
                "event",
                id,
                "update",
                None::<&()>,
                Some(&json!({ "done_on": done.map(|d| d.to_string()) })),
            )
        })
    }

    /// Who marked the window done and when, from the audit trail: the
    /// newest row that changed its done date (None when that row took it
    /// away, or no row did: an imported window).
    pub fn event_done_stamp(&self, id: i64) -> Result<Option<(String, String)>> {
        let mut st = self.conn.prepare_cached(
            "SELECT os_user, at, before_json, after_json FROM audit
             WHERE tbl = 'event' AND row_id = ?1 ORDER BY id DESC",
        )?;
        let rows = st.query_map([id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })?;
        let done_of = |j: &Option<String>| -> Option<serde_json::Value> {
            let v: serde_json::Value = serde_json::from_str(j.as_deref()?).ok()?;
            v.get("done_on").cloned()
        };
        for row in rows {
            let (by, at, before, after) = row?;
            let Some(after) = done_of(&after) else {
                continue;
            };
            if done_of(&before).as_ref() == Some(&after) {
                continue;
            }
            return Ok(after.is_string().then_some((by, at)));
        }
        Ok(None)
    }

    /// Deletes an event; a meeting's window is refused (cancel the meeting).
    pub fn delete_event(&mut self, id: i64, expected: i64) -> Result<()> {
        self.write(|w| {
            w.check_version("event", id, expected)?;
            super::meeting::event_owned_by_meeting(&w.tx, id)?;
            let before = w.load_event(id)?;
            w.tx.execute("DELETE FROM event WHERE id = ?1", [id])?;
            w.audit(
                "event",
                id,
                "delete",
                Some(&event_json(&before.event)),
                None::<&()>,
            )
        })
    }

    /// Adds many events in one transaction: all or nothing. An event equal
    /// to one already there (term, title, phase, dates) is counted, not added.
    /// `links` are (index into `events`, title of the national deadline in
    /// the same term it prepares for); an unknown title is refused, naming it.
    pub fn import_events(
        &mut self,
        events: &[Event],
        links: &[(usize, String)],
    ) -> Result<ImportOutcome> {
        self.write(|w| {
            let mut out = ImportOutcome::default();
            let mut ids: Vec<Option<i64>> = Vec::with_capacity(events.len());
            for e in events {
                let same: i64 = w.tx.query_row(
                    "SELECT count(*) FROM event e JOIN term t ON t.id = e.term_id
                     WHERE t.year = ?1 AND t.semester = ?2 AND e.title = ?3 AND e.phase = ?4
                       AND e.starts_on = ?5 AND e.ends_on = ?6",
                    params![
                        e.term.year,
                        e.term.semester,
                        e.title.trim(),
                        e.phase.code(),
                        e.span.start.to_string(),
                        e.span.end.to_string()
                    ],
                    |r| r.get(0),
                )?;
                if same > 0 {
                    out.already_there += 1;
                    ids.push(None);
                    continue;
                }
                ids.push(Some(w.insert_event(e, &mut out.new_terms)?));
                out.added += 1;
            }
            for (i, title) in links {
                let (Some(e), Some(Some(id))) = (events.get(*i), ids.get(*i)) else {
                    continue;
                };
                let target: Option<i64> =
                    w.tx.query_row(
                        "SELECT e.id FROM event e JOIN term t ON t.id = e.term_id
                         WHERE t.year = ?1 AND t.semester = ?2 AND e.national = 1 AND e.title = ?3
                         ORDER BY e.id LIMIT 1",
                        params![e.term.year, e.term.semester, title.trim()],
                        |r| r.get(0),
                    )
                    .optional()?;
                let Some(target) = target.filter(|t| t != id) else {
                    return Err(StoreError::Refused {
                        key: "calendar.err_link_unknown",
                        args: vec![
                            ("title", e.title.clone()),
                            ("target", title.clone()),
                            ("term", e.term.to_string()),
                        ],
                    });
                };
                w.tx.execute(
                    "UPDATE event SET prepares_for = ?2 WHERE id = ?1",
                    params![id, target],
                )?;
            }
            Ok(out)
        })
        .inspect(|o| {
            tracing::info!(
                user = %self.user,
                "calendar events imported: {} rows, {} added, {} already there",
                events.len(), o.added, o.already_there
            )
        })
    }

    /// Copies every event of `from` to the same semester of the next
    /// academic year, dates one year later. Refused when that term already
    /// has events (copying twice would duplicate them).
    pub fn copy_term_forward(&mut self, from: Term) -> Result<CopyOutcome> {
        let to = Term {
            year: from.year + 1,
            semester: from.semester,
        };
        let source: Vec<Event> = self
            .events()?
            .into_iter()
            .map(|e| e.event)
            .filter(|e| e.term == from)
            .filter(|e| !matches!(self.meeting_for_event(e.id), Ok(Some(_))))
            .collect();
        let closing = self
            .terms()?
            .into_iter()
            .find(|t| t.info.term == from)
            .and_then(|t| t.info.closing);
        self.write(|w| {
            let existing: i64 = w.tx.query_row(
                "SELECT count(*) FROM event e JOIN term t ON t.id = e.term_id
                 WHERE t.year = ?1 AND t.semester = ?2",
                params![to.year, to.semester],
                |r| r.get(0),
            )?;
            if source.is_empty() {
                return Err(StoreError::Refused {
                    key: "calendar.err_copy_empty",
                    args: vec![("term", from.to_string())],
                });
            }
            if existing > 0 {
                return Err(StoreError::Refused {
                    key: "calendar.err_copy_exists",
                    args: vec![("term", to.to_string()), ("count", existing.to_string())],
                });
            }
            let shifted = copy_forward(&source);
            let mut ids = std::collections::HashMap::new();
            // National windows first, so preparation links can point at the copies.
            let mut order: Vec<usize> = (0..shifted.len()).collect();
            order.sort_by_key(|&i| !shifted[i].event.national);
            for i in order {
                let mut e = shifted[i].event.clone();
                e.prepares_for = e.prepares_for.and_then(|p| ids.get(&p).copied());
                let id = w.insert_event(&e, &mut Vec::new())?;
                ids.insert(source[i].id, id);
            }
            if let Some(c) = closing {
                let c = crate::domain::calendar::plus_years(c, 1);
                w.tx.execute(
                    "UPDATE term SET closing_on = ?3 WHERE year = ?1 AND semester = ?2",
                    params![to.year, to.semester, c.to_string()],
                )?;
            }
            Ok(CopyOutcome { to, shifted })
        })
    }
}
