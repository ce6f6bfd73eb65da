//! The staff directory.

use crate::domain::access::Action;
use rusqlite::{OptionalExtension, Row, params};

use super::{DateCol, Result, Store, StoreError, Writer, stored_date_opt};
use crate::domain::committee::{RowMeta, Staff, StaffDraft, StaffStatus};

const COLS: &str = "id, name, positions, email, phone, status, left_on, note, version, updated_at, updated_by, uncertified";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Staff> {
    let positions: String = r.get(2)?;
    Ok(Staff {
        id: r.get(0)?,
        name: r.get(1)?,
        positions: serde_json::from_str(&positions).unwrap_or_default(),
        email: r.get(3)?,
        phone: r.get(4)?,
        status: StaffStatus::from_db(&r.get::<_, String>(5)?),
        left_on: stored_date_opt(
            r,
            6,
            DateCol {
                table: "staff",
                column: "left_on",
                id_at: 0,
            },
        )?,
        note: r.get(7)?,
        uncertified: u32::try_from(r.get::<_, i64>(11)?).unwrap_or(0),
        meta: RowMeta {
            version: r.get(8)?,
            updated_at: r.get(9)?,
            updated_by: r.get(10)?,
        },
    })
}

fn positions_json(d: &StaffDraft) -> String {
    serde_json::to_string(&d.positions).unwrap_or_else(|_| "[]".into())
}

impl Store {
    /// Everyone in the directory: active first, then in the order entered
    /// (byte order of Chinese names means nothing to a reader).
    pub fn list_staff(&self) -> Result<Vec<Staff>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {COLS} FROM staff ORDER BY status = 'left', id"
        ))?;
        let rows = st.query_map([], from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// (active, left) head counts, without loading the directory.
    pub fn staff_counts(&self) -> Result<(usize, usize)> {
        let (active, left): (i64, i64) = self.conn.query_row(
            "SELECT coalesce(sum(status = 'active'), 0), coalesce(sum(status = 'left'), 0) FROM staff",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok((active as usize, left as usize))
    }

    /// Active people with course-outcome items still to certify, whose
    /// absence needs a certification delegate table.
    pub fn teachers_with_uncertified(&self) -> Result<Vec<i64>> {
        let mut st = self.conn.prepare_cached(
            "SELECT id FROM staff WHERE status = 'active' AND uncertified > 0 ORDER BY id",
        )?;
        let rows = st.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<Vec<i64>>>()?)
    }

    pub fn get_staff(&self, id: i64) -> Result<Staff> {
        get(&self.conn, id)
    }

    /// Adds a person; the draft must already be validated.
    pub fn add_staff(&mut self, d: &StaffDraft) -> Result<Staff> {
        let id = self.write(Action::EditStaff, |w| {
            w.tx.execute(
                "INSERT INTO staff (name, positions, email, phone, status, left_on, note, updated_at, updated_by, uncertified)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![
                    d.name,
                    positions_json(d),
                    d.email,
                    d.phone,
                    d.status.as_str(),
                    d.left_on.map(|x| x.to_string()),
                    d.note,
                    w.at,
                    w.user,
                    d.uncertified
                ],
            )?;
            let id = w.tx.last_insert_rowid();
            let after = get(&w.tx, id)?;
            w.audit("staff", id, "insert", None::<&()>, Some(&after))?;
            Ok(id)
        })?;
        self.get_staff(id)
    }

    /// Saves an edit made on version `expected` of the row.
    pub fn update_staff(&mut self, id: i64, expected: i64, d: &StaffDraft) -> Result<Staff> {
        self.write(Action::EditStaff, |w| {
            w.check_version("staff", id, expected)?;
            let before = get(&w.tx, id)?;
            w.tx.execute(
                "UPDATE staff SET name = ?1, positions = ?2, email = ?3, phone = ?4, status = ?5,
                   left_on = ?6, note = ?7, version = version + 1, updated_at = ?8, updated_by = ?9,
                   uncertified = ?11
                 WHERE id = ?10",
                params![
                    d.name,
                    positions_json(d),
                    d.email,
                    d.phone,
                    d.status.as_str(),
                    d.left_on.map(|x| x.to_string()),
                    d.note,
                    w.at,
                    w.user,
                    id,
                    d.uncertified
                ],
            )?;
            let after = get(&w.tx, id)?;
            w.audit("staff", id, "update", Some(&before), Some(&after))?;
            Ok(())
        })?;
        self.get_staff(id)
    }

    /// Removes a person from the directory. Seats they held become vacant
    /// (each such change is audited too).
    pub fn delete_staff(&mut self, id: i64, expected: i64) -> Result<()> {
        self.write(Action::EditStaff, |w| {
            w.check_version("staff", id, expected)?;
            let before = get(&w.tx, id)?;
            let seats = w.seats_of_staff(id)?;
            for seat_id in seats {
                w.set_seat_member(seat_id, None)?;
            }
            w.tx.execute("DELETE FROM staff WHERE id = ?1", [id])?;
            w.audit("staff", id, "delete", Some(&before), None::<&()>)?;
            Ok(())
        })
    }
}

pub(crate) fn get(conn: &rusqlite::Connection, id: i64) -> Result<Staff> {
    conn.query_row(
        &format!("SELECT {COLS} FROM staff WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()?
    .ok_or(StoreError::NotFound {
        what: "what.staff",
        id,
    })
}

impl Writer<'_> {
    fn seats_of_staff(&self, staff_id: i64) -> Result<Vec<i64>> {
        let mut st = self
            .tx
            .prepare_cached("SELECT id FROM seat WHERE staff_id = ?1 ORDER BY id")?;
        let rows = st.query_map([staff_id], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<Vec<i64>>>()?)
    }
}
