//! Unsaved form input kept across a dropped session, one per OS user. Not
//! school data, so not audited.

use rusqlite::{OptionalExtension, params};

use super::{Result, Store};

impl Store {
    /// Keeps `json` as this user's draft (replacing an older one).
    /// On a read-only file there is nowhere to keep it: nothing happens.
    pub fn save_draft(&mut self, json: &str) -> Result<()> {
        if self.is_read_only() {
            return Ok(());
        }
        let (at, user) = (self.now(), self.user.clone());
        self.conn.execute(
            "INSERT INTO draft (os_user, form_json, updated_at, updated_by) VALUES (?1, ?2, ?3, ?1)
             ON CONFLICT (os_user) DO UPDATE SET form_json = excluded.form_json,
               version = version + 1, updated_at = excluded.updated_at",
            params![user, json, at],
        )?;
        Ok(())
    }

    /// Removes and returns this user's draft, if any.
    /// On a read-only file a draft could not be removed once restored, so
    /// none is offered.
    pub fn take_draft(&mut self) -> Result<Option<String>> {
        if self.is_read_only() {
            return Ok(None);
        }
        let user = self.user.clone();
        let tx = self.conn.transaction()?;
        let json: Option<String> = tx
            .query_row(
                "SELECT form_json FROM draft WHERE os_user = ?1",
                [&user],
                |r| r.get(0),
            )
            .optional()?;
        tx.execute("DELETE FROM draft WHERE os_user = ?1", [&user])?;
        tx.commit()?;
        Ok(json)
    }
}
