//! Delegate tables and absences.

use crate::domain::access::Action;
use rusqlite::{OptionalExtension, params};
use serde_json::json;

use super::{DateCol, Result, Store, StoreError, Writer, stored_date, stored_date_opt};
use crate::domain::committee::{RowMeta, StaffStatus};
use crate::domain::delegation::{
    Absence, AbsenceKind, Actor, Delegate, DelegateTable, Person, Subject, World,
    tables_from_preset, validate_table,
};
use crate::domain::preset::DelegateRule;
use crate::domain::roc::DateRange;

/// A delegate table as stored: the domain table plus row ids and versions.
#[derive(Debug, Clone, PartialEq)]
pub struct DelegateTableRec {
    pub id: i64,
    pub table: DelegateTable,
    /// (delegate row id, version), in the same order as `table.delegates`.
    pub rows: Vec<(i64, i64)>,
    pub meta: RowMeta,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AbsenceRec {
    pub id: i64,
    pub absence: Absence,
    pub meta: RowMeta,
}

/// A date column of `absence` (row id in column 0).
const fn absence_col(column: &'static str) -> DateCol {
    DateCol {
        table: "absence",
        column,
        id_at: 0,
    }
}

/// A date column of `delegate` (row id in column 6 of `load_tables`).
const fn delegate_col(column: &'static str) -> DateCol {
    DateCol {
        table: "delegate",
        column,
        id_at: 6,
    }
}

fn kind_str(k: AbsenceKind) -> &'static str {
    match k {
        AbsenceKind::Leave => "leave",
        AbsenceKind::Vacancy => "vacancy",
        AbsenceKind::Departed => "departed",
    }
}

fn kind_from(s: &str) -> AbsenceKind {
    match s {
        "vacancy" => AbsenceKind::Vacancy,
        "departed" => AbsenceKind::Departed,
        _ => AbsenceKind::Leave,
    }
}

fn actor_json(a: &Actor) -> serde_json::Value {
    match a {
        Actor::Position(p) => json!({ "position": p }),
        Actor::Person(id) => json!({ "staff_id": id }),
    }
}

fn subject_json(s: &Subject) -> serde_json::Value {
    match s {
        Subject::Position(p) => json!({ "position": p }),
        Subject::Teacher(id) => json!({ "teacher_id": id }),
    }
}

impl From<crate::domain::delegation::TableProblem> for StoreError {
    fn from(p: crate::domain::delegation::TableProblem) -> Self {
        StoreError::Refused {
            key: p.message_key(),
            args: p.args(),
        }
    }
}

impl Store {
    /// Every delegate table, positions in the order they were entered, with
    /// their delegates by rank.
    pub fn delegate_tables(&self) -> Result<Vec<DelegateTableRec>> {
        load_tables(&self.conn)
    }

    pub fn absences(&self) -> Result<Vec<AbsenceRec>> {
        let mut st = self.conn.prepare_cached(
            "SELECT id, staff_id, starts_on, ends_on, kind, reason, version, updated_at, updated_by
             FROM absence ORDER BY starts_on, id",
        )?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                stored_date(r, 2, absence_col("starts_on"))?,
                stored_date(r, 3, absence_col("ends_on"))?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                RowMeta {
                    version: r.get(6)?,
                    updated_at: r.get(7)?,
                    updated_by: r.get(8)?,
                },
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, staff_id, start, end, kind, reason, meta) = row?;
            out.push(AbsenceRec {
                id,
                absence: Absence {
                    staff_id,
                    span: DateRange { start, end },
                    kind: kind_from(&kind),
                    reason,
                },
                meta,
            });
        }
        Ok(out)
    }

    /// Everything delegation needs: people, tables, absences.
    pub fn world(&self) -> Result<World> {
        let people = self
            .list_staff()?
            .into_iter()
            .map(|s| Person {
                id: s.id,
                name: s.name,
                positions: s.positions,
                active: s.status == StaffStatus::Active,
                left_on: s.left_on,
            })
            .collect();
        Ok(World {
            people,
            tables: self
                .delegate_tables()?
                .into_iter()
                .map(|t| t.table)
                .collect(),
            absences: self.absences()?.into_iter().map(|a| a.absence).collect(),
        })
    }

    /// Appends a delegate to a subject's table (creating the table). Refused,
    /// with nothing saved, if the result is not a valid table (the subject
    /// itself, or someone already in it).
    pub fn add_delegate(
        &mut self,
        subject: &Subject,
        actor: Actor,
        valid: Option<DateRange>,
    ) -> Result<()> {
        let mut tables = self.delegate_tables()?;
        let existing = tables.iter_mut().find(|t| &t.table.subject == subject);
        let mut candidate = existing
            .map(|t| t.table.clone())
            .unwrap_or_else(|| DelegateTable {
                subject: subject.clone(),
                delegates: Vec::new(),
            });
        let rank = candidate
            .delegates
            .iter()
            .map(|d| d.rank)
            .max()
            .unwrap_or(0)
            + 1;
        candidate.delegates.push(Delegate {
            rank,
            actor: actor.clone(),
            valid,
        });
        validate_table(&candidate)?;
        self.write(Action::EditDelegates, |w| {
            let table_id = w.table_id_for(subject)?;
            w.insert_delegate(table_id, rank, &actor, valid)
        })
    }

    /// Swaps a delegate with its neighbour above (`up`) or below.
    pub fn move_delegate(&mut self, delegate_id: i64, expected: i64, up: bool) -> Result<()> {
        self.write(Action::EditDelegates, |w| {
            w.check_version("delegate", delegate_id, expected)?;
            let (table_id, rank): (i64, i64) = w.tx.query_row(
                "SELECT table_id, rank FROM delegate WHERE id = ?1",
                [delegate_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            let other: Option<(i64, i64)> = w
                .tx
                .query_row(
                    if up {
                        "SELECT id, rank FROM delegate WHERE table_id = ?1 AND rank < ?2 ORDER BY rank DESC LIMIT 1"
                    } else {
                        "SELECT id, rank FROM delegate WHERE table_id = ?1 AND rank > ?2 ORDER BY rank LIMIT 1"
                    },
                    params![table_id, rank],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let Some((other_id, other_rank)) = other else {
                return Ok(());
            };
            let parking: i64 = w.tx.query_row(
                "SELECT max(rank) + 1 FROM delegate WHERE table_id = ?1",
                [table_id],
                |r| r.get(0),
            )?;
            w.set_rank(delegate_id, parking)?;
            w.set_rank(other_id, rank)?;
            w.set_rank(delegate_id, other_rank)?;
            Ok(())
        })
    }

    /// Removes a delegate; the ranks below close up.
    pub fn remove_delegate(&mut self, delegate_id: i64, expected: i64) -> Result<()> {
        self.write(Action::EditDelegates, |w| {
            w.check_version("delegate", delegate_id, expected)?;
            let (table_id, rank): (i64, i64) = w.tx.query_row(
                "SELECT table_id, rank FROM delegate WHERE id = ?1",
                [delegate_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            w.tx.execute("DELETE FROM delegate WHERE id = ?1", [delegate_id])?;
            w.audit(
                "delegate",
                delegate_id,
                "delete",
                Some(&json!({ "table_id": table_id, "rank": rank })),
                None::<&()>,
            )?;
            let below: Vec<(i64, i64)> = {
                let mut st = w.tx.prepare(
                    "SELECT id, rank FROM delegate WHERE table_id = ?1 AND rank > ?2 ORDER BY rank",
                )?;
                st.query_map(params![table_id, rank], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<rusqlite::Result<_>>()?
            };
            for (id, r) in below {
                w.set_rank(id, r - 1)?;
            }
            Ok(())
        })
    }

    /// Records an absence. (A `DateRange` cannot run backwards: the parser
    /// refuses that with a message before this is called.)
    pub fn add_absence(&mut self, a: &Absence) -> Result<i64> {
        self.write(Action::EditDelegates, |w| {
            crate::store::staff::get(&w.tx, a.staff_id)?;
            w.tx.execute(
                "INSERT INTO absence (staff_id, starts_on, ends_on, kind, reason, updated_at, updated_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    a.staff_id,
                    a.span.start.to_string(),
                    a.span.end.to_string(),
                    kind_str(a.kind),
                    a.reason,
                    w.at,
                    w.user
                ],
            )?;
            let id = w.tx.last_insert_rowid();
            let after = json!({
                "staff_id": a.staff_id, "starts_on": a.span.start.to_string(),
                "ends_on": a.span.end.to_string(), "kind": kind_str(a.kind), "reason": a.reason,
            });
            w.audit("absence", id, "insert", None::<&()>, Some(&after))?;
            Ok(id)
        })
    }

    pub fn remove_absence(&mut self, id: i64, expected: i64) -> Result<()> {
        self.write(Action::EditDelegates, |w| {
            w.check_version("absence", id, expected)?;
            w.tx.execute("DELETE FROM absence WHERE id = ?1", [id])?;
            w.audit(
                "absence",
                id,
                "delete",
                Some(&json!({ "id": id })),
                None::<&()>,
            )
        })
    }
}

fn load_tables(conn: &rusqlite::Connection) -> Result<Vec<DelegateTableRec>> {
    let mut st = conn.prepare_cached(
        "SELECT t.id, t.position, t.teacher_id, t.version, t.updated_at, t.updated_by,
                d.id, d.rank, d.position, d.staff_id, d.valid_from, d.valid_to, d.version
         FROM delegate_table t LEFT JOIN delegate d ON d.table_id = t.id
         ORDER BY t.id, d.rank",
    )?;
    let mut out: Vec<DelegateTableRec> = Vec::new();
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        if out.last().map(|t| t.id) != Some(id) {
            let subject = match (r.get::<_, Option<String>>(1)?, r.get::<_, Option<i64>>(2)?) {
                (Some(p), _) => Subject::Position(p),
                (None, Some(t)) => Subject::Teacher(t),
                (None, None) => continue,
            };
            out.push(DelegateTableRec {
                id,
                table: DelegateTable {
                    subject,
                    delegates: Vec::new(),
                },
                rows: Vec::new(),
                meta: RowMeta {
                    version: r.get(3)?,
                    updated_at: r.get(4)?,
                    updated_by: r.get(5)?,
                },
            });
        }
        let Some(did) = r.get::<_, Option<i64>>(6)? else {
            continue;
        };
        let actor = match (r.get::<_, Option<String>>(8)?, r.get::<_, Option<i64>>(9)?) {
            (Some(p), _) => Actor::Position(p),
            (None, Some(s)) => Actor::Person(s),
            (None, None) => continue,
        };
        let valid = match (
            stored_date_opt(r, 10, delegate_col("valid_from"))?,
            stored_date_opt(r, 11, delegate_col("valid_to"))?,
        ) {
            (Some(start), Some(end)) => Some(DateRange { start, end }),
            _ => None,
        };
        let t = out.last_mut().expect("pushed above");
        t.table.delegates.push(Delegate {
            rank: r.get::<_, i64>(7)? as u32,
            actor,
            valid,
        });
        t.rows.push((did, r.get(12)?));
    }
    Ok(out)
}

impl Writer<'_> {
    fn table_id_for(&self, subject: &Subject) -> Result<i64> {
        let found: Option<i64> = match subject {
            Subject::Position(p) => self
                .tx
                .query_row(
                    "SELECT id FROM delegate_table WHERE position = ?1",
                    [p],
                    |r| r.get(0),
                )
                .optional()?,
            Subject::Teacher(t) => self
                .tx
                .query_row(
                    "SELECT id FROM delegate_table WHERE teacher_id = ?1",
                    [t],
                    |r| r.get(0),
                )
                .optional()?,
        };
        if let Some(id) = found {
            return Ok(id);
        }
        let (p, t) = match subject {
            Subject::Position(p) => (Some(p.clone()), None),
            Subject::Teacher(t) => (None, Some(*t)),
        };
        self.tx.execute(
            "INSERT INTO delegate_table (position, teacher_id, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4)",
            params![p, t, self.at, self.user],
        )?;
        let id = self.tx.last_insert_rowid();
        self.audit(
            "delegate_table",
            id,
            "insert",
            None::<&()>,
            Some(&subject_json(subject)),
        )?;
        Ok(id)
    }

    fn insert_delegate(
        &self,
        table_id: i64,
        rank: u32,
        actor: &Actor,
        valid: Option<DateRange>,
    ) -> Result<()> {
        let (p, s) = match actor {
            Actor::Position(p) => (Some(p.clone()), None),
            Actor::Person(id) => (None, Some(*id)),
        };
        self.tx.execute(
            "INSERT INTO delegate (table_id, rank, position, staff_id, valid_from, valid_to, updated_at, updated_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                table_id,
                rank,
                p,
                s,
                valid.map(|v| v.start.to_string()),
                valid.map(|v| v.end.to_string()),
                self.at,
                self.user
            ],
        )?;
        let id = self.tx.last_insert_rowid();
        let mut after = actor_json(actor);
        after["table_id"] = json!(table_id);
        after["rank"] = json!(rank);
        self.audit("delegate", id, "insert", None::<&()>, Some(&after))
    }

    fn set_rank(&self, id: i64, rank: i64) -> Result<()> {
        let before: i64 =
            self.tx
                .query_row("SELECT rank FROM delegate WHERE id = ?1", [id], |r| {
                    r.get(0)
                })?;
        self.tx.execute(
            "UPDATE delegate SET rank = ?1, version = version + 1, updated_at = ?2, updated_by = ?3 WHERE id = ?4",
            params![rank, self.at, self.user, id],
        )?;
        self.audit(
            "delegate",
            id,
            "update",
            Some(&json!({ "rank": before })),
            Some(&json!({ "rank": rank })),
        )
    }

    /// Lays out the preset's delegate table (at `init`).
    pub(super) fn load_preset_delegates(&self, rules: &[DelegateRule]) -> Result<()> {
        for t in tables_from_preset(rules) {
            let id = self.table_id_for(&t.subject)?;
            for d in &t.delegates {
                self.insert_delegate(id, d.rank, &d.actor, d.valid)?;
            }
        }
        Ok(())
    }
}
