//! Committees (one per academic year) and their seats.

use crate::domain::access::Action;
use rusqlite::{OptionalExtension, Row, params};

use super::{Result, Store, StoreError, Writer, staff};
use crate::domain::committee::{Committee, RowMeta, Seat, SeatView};
use crate::domain::preset::{SeatKind, SeatRole, SeatSpec};

fn kind_str(k: SeatKind) -> &'static str {
    match k {
        SeatKind::ExOfficio => "ex_officio",
        SeatKind::Representative => "representative",
    }
}
fn kind_from(s: &str) -> SeatKind {
    if s == "representative" {
        SeatKind::Representative
    } else {
        SeatKind::ExOfficio
    }
}
fn role_str(r: SeatRole) -> &'static str {
    match r {
        SeatRole::Convener => "convener",
        SeatRole::Secretary => "secretary",
        SeatRole::Member => "member",
    }
}
fn role_from(s: &str) -> SeatRole {
    match s {
        "convener" => SeatRole::Convener,
        "secretary" => SeatRole::Secretary,
        _ => SeatRole::Member,
    }
}

const SEAT_COLS: &str =
    "id, committee_id, ordinal, title, kind, role, staff_id, version, updated_at, updated_by";

fn seat_from_row(r: &Row<'_>) -> rusqlite::Result<Seat> {
    Ok(Seat {
        id: r.get(0)?,
        committee_id: r.get(1)?,
        ordinal: r.get(2)?,
        title: r.get(3)?,
        kind: kind_from(&r.get::<_, String>(4)?),
        role: role_from(&r.get::<_, String>(5)?),
        staff_id: r.get(6)?,
        meta: RowMeta {
            version: r.get(7)?,
            updated_at: r.get(8)?,
            updated_by: r.get(9)?,
        },
    })
}

fn committee_from_row(r: &Row<'_>) -> rusqlite::Result<Committee> {
    Ok(Committee {
        id: r.get(0)?,
        academic_year: r.get(1)?,
        note: r.get(2)?,
        meta: RowMeta {
            version: r.get(3)?,
            updated_at: r.get(4)?,
            updated_by: r.get(5)?,
        },
    })
}

fn get_seat(conn: &rusqlite::Connection, id: i64) -> Result<Seat> {
    conn.query_row(
        &format!("SELECT {SEAT_COLS} FROM seat WHERE id = ?1"),
        [id],
        seat_from_row,
    )
    .optional()?
    .ok_or(StoreError::NotFound {
        what: "what.seat",
        id,
    })
}

fn committee_of_year(conn: &rusqlite::Connection, year: i32) -> Result<Option<Committee>> {
    Ok(conn
        .query_row(
            "SELECT id, academic_year, note, version, updated_at, updated_by
             FROM committee WHERE academic_year = ?1",
            [year],
            committee_from_row,
        )
        .optional()?)
}

impl Store {
    /// Academic years that have a committee, oldest first.
    pub fn committee_years(&self) -> Result<Vec<i32>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT academic_year FROM committee ORDER BY academic_year")?;
        let rows = st.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<Vec<i32>>>()?)
    }

    pub fn committee(&self, year: i32) -> Result<Option<Committee>> {
        committee_of_year(&self.conn, year)
    }

    /// The seats of a committee in the regulation's order, with members.
    pub fn seats(&self, committee_id: i64) -> Result<Vec<SeatView>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {SEAT_COLS} FROM seat WHERE committee_id = ?1 ORDER BY ordinal"
        ))?;
        let seats = st
            .query_map([committee_id], seat_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        seats
            .into_iter()
            .map(|seat| {
                let member = match seat.staff_id {
                    Some(id) => Some(staff::get(&self.conn, id)?),
                    None => None,
                };
                Ok(SeatView { seat, member })
            })
            .collect()
    }

    /// Titles of the ex-officio seats of a year's committee: the positions
    /// that must always have someone able to act (representatives such as
    /// 家長代表 are people, not positions).
    pub fn office_positions(&self, year: i32) -> Result<Vec<String>> {
        let Some(c) = self.committee(year)? else {
            return Ok(Vec::new());
        };
        Ok(self
            .seats(c.id)?
            .into_iter()
            .filter(|v| v.seat.kind == SeatKind::ExOfficio)
            .map(|v| v.seat.title)
            .collect())
    }

    /// Seats (academic year, seat title) a person holds, newest year first —
    /// named in the confirm dialog before they are removed.
    pub fn seats_held(&self, staff_id: i64) -> Result<Vec<(i32, String)>> {
        let mut st = self.conn.prepare_cached(
            "SELECT c.academic_year, s.title FROM seat s JOIN committee c ON c.id = s.committee_id
             WHERE s.staff_id = ?1 ORDER BY c.academic_year DESC, s.ordinal",
        )?;
        let rows = st.query_map([staff_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Lays out the committee of `year` from the regulation's seats, all vacant.
    pub fn create_committee(&mut self, year: i32, seats: &[SeatSpec]) -> Result<Committee> {
        self.write(Action::EditCommittee, |w| w.create_committee(year, seats))
    }

    /// Puts `staff_id` in the seat (or empties it with None). `expected` is the
    /// seat's version as loaded.
    pub fn assign_seat(
        &mut self,
        seat_id: i64,
        expected: i64,
        staff_id: Option<i64>,
    ) -> Result<Seat> {
        self.write(Action::EditCommittee, |w| {
            w.check_version("seat", seat_id, expected)?;
            if let Some(id) = staff_id {
                let p = staff::get(&w.tx, id)?;
                if !p.is_active() {
                    return Err(StoreError::MemberLeft { name: p.name });
                }
            }
            w.set_seat_member(seat_id, staff_id)
        })
    }

    /// Copies the committee of `year` to `year + 1`: the same seats and the
    /// same members, except members who have left, whose seats stay vacant.
    /// Returns the new committee and the (seat, member) pairs left vacant.
    pub fn copy_committee_forward(
        &mut self,
        year: i32,
    ) -> Result<(Committee, Vec<(String, String)>)> {
        let from = self
            .committee(year)?
            .ok_or(StoreError::NoCommittee { year })?;
        let seats = self.seats(from.id)?;
        self.write(Action::EditCommittee, |w| {
            let next = w.create_committee_bare(year + 1)?;
            let mut dropped = Vec::new();
            for v in &seats {
                let member = match &v.member {
                    Some(m) if m.is_active() => Some(m.id),
                    Some(m) => {
                        dropped.push((v.seat.title.clone(), m.name.clone()));
                        None
                    }
                    None => None,
                };
                w.insert_seat(
                    next.id,
                    v.seat.ordinal,
                    &v.seat.title,
                    v.seat.kind,
                    v.seat.role,
                    member,
                )?;
            }
            Ok((next, dropped))
        })
    }
}

impl Writer<'_> {
    fn create_committee_bare(&self, year: i32) -> Result<Committee> {
        if committee_of_year(&self.tx, year)?.is_some() {
            return Err(StoreError::CommitteeExists { year });
        }
        self.tx.execute(
            "INSERT INTO committee (academic_year, updated_at, updated_by) VALUES (?1, ?2, ?3)",
            params![year, self.at, self.user],
        )?;
        let c = committee_of_year(&self.tx, year)?.ok_or(StoreError::NoCommittee { year })?;
        self.audit("committee", c.id, "insert", None::<&()>, Some(&c))?;
        Ok(c)
    }

    pub(super) fn create_committee(&self, year: i32, seats: &[SeatSpec]) -> Result<Committee> {
        let c = self.create_committee_bare(year)?;
        for (i, s) in seats.iter().enumerate() {
            self.insert_seat(c.id, i as i64 + 1, &s.title, s.kind, s.role, None)?;
        }
        Ok(c)
    }

    fn insert_seat(
        &self,
        committee_id: i64,
        ordinal: i64,
        title: &str,
        kind: SeatKind,
        role: SeatRole,
        staff_id: Option<i64>,
    ) -> Result<()> {
        self.tx.execute(
            "INSERT INTO seat (committee_id, ordinal, title, kind, role, staff_id, updated_at, updated_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                committee_id,
                ordinal,
                title,
                kind_str(kind),
                role_str(role),
                staff_id,
                self.at,
                self.user
            ],
        )?;
        let id = self.tx.last_insert_rowid();
        let after = get_seat(&self.tx, id)?;
        self.audit("seat", id, "insert", None::<&()>, Some(&after))
    }

    pub(super) fn set_seat_member(&self, seat_id: i64, staff_id: Option<i64>) -> Result<Seat> {
        let before = get_seat(&self.tx, seat_id)?;
        self.tx.execute(
            "UPDATE seat SET staff_id = ?1, version = version + 1, updated_at = ?2, updated_by = ?3
             WHERE id = ?4",
            params![staff_id, self.at, self.user, seat_id],
        )?;
        let after = get_seat(&self.tx, seat_id)?;
        self.audit("seat", seat_id, "update", Some(&before), Some(&after))?;
        Ok(after)
    }
}
