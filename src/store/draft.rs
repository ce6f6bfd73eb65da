//! Unsaved form input, one draft per running session (not per OS user: two
//! sessions of one user each keep their own). A draft lives until its form
//! is saved or discarded; when its session ends without either (an SSH drop,
//! SIGTERM, a kill) it waits, orphaned, for the user's next start to adopt
//! it. Not school data, so not audited.

use rusqlite::{OptionalExtension, params};

use super::{Result, Store};

/// A kept form: whose session it belongs to and what it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftRec {
    pub session_id: String,
    pub os_user: String,
    pub screen: i64,
    pub form_json: String,
    pub updated_at: String,
}

impl Store {
    /// Keeps `json` as the draft of `session` (this user) on `screen`,
    /// replacing whatever that session kept before. On a read-only file
    /// there is nowhere to keep it: nothing happens.
    pub fn save_draft(&mut self, session: &str, screen: i64, json: &str) -> Result<()> {
        if self.is_read_only() {
            return Ok(());
        }
        let (at, user) = (self.now(), self.user.clone());
        let tx = self.conn.transaction()?;
        tx.execute(
            "DELETE FROM session_draft WHERE session_id = ?1 AND os_user = ?2 AND screen <> ?3",
            params![session, user, screen],
        )?;
        tx.execute(
            "INSERT INTO session_draft (session_id, os_user, screen, form_json, updated_at, updated_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?2)
             ON CONFLICT (session_id, os_user, screen) DO UPDATE SET
               form_json = excluded.form_json, version = version + 1,
               updated_at = excluded.updated_at",
            params![session, user, screen, json, at],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Removes the draft of `session` (its form was saved or discarded).
    /// Other sessions' drafts stay. Returns true when there was one.
    pub fn discard_draft(&mut self, session: &str) -> Result<bool> {
        if self.is_read_only() {
            return Ok(false);
        }
        let n = self.conn.execute(
            "DELETE FROM session_draft WHERE session_id = ?1 AND os_user = ?2",
            params![session, self.user],
        )?;
        Ok(n > 0)
    }

    /// The draft `session` keeps, if any.
    pub fn draft_of(&self, session: &str) -> Result<Option<DraftRec>> {
        Ok(self
            .conn
            .query_row(
                "SELECT session_id, os_user, screen, form_json, updated_at FROM session_draft
                 WHERE session_id = ?1 AND os_user = ?2 ORDER BY updated_at DESC, id DESC LIMIT 1",
                params![session, self.user],
                draft_rec,
            )
            .optional()?)
    }

    /// Every draft of this OS user, newest first.
    pub fn drafts(&self) -> Result<Vec<DraftRec>> {
        let mut st = self.conn.prepare(
            "SELECT session_id, os_user, screen, form_json, updated_at FROM session_draft
             WHERE os_user = ?1 ORDER BY updated_at DESC, id DESC",
        )?;
        let rows = st.query_map([&self.user], draft_rec)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Takes over the newest draft of this OS user whose session is no
    /// longer running (`alive` says which are), re-keying it to `session`:
    /// the row is not deleted, so it survives another drop before any key.
    /// Returns the adopted draft.
    pub fn adopt_draft(
        &mut self,
        session: &str,
        alive: impl Fn(&str) -> bool,
    ) -> Result<Option<DraftRec>> {
        // On a read-only file a draft could not be re-keyed or removed once
        // restored, so none is offered.
        if self.is_read_only() {
            return Ok(None);
        }
        if let Some(own) = self.draft_of(session)? {
            return Ok(Some(own));
        }
        let Some(orphan) = self
            .drafts()?
            .into_iter()
            .find(|d| d.session_id != session && !alive(&d.session_id))
        else {
            return Ok(None);
        };
        let tx = self.conn.transaction()?;
        // Another start may have adopted it a moment ago: then nothing moves.
        let n = tx.execute(
            "UPDATE session_draft SET session_id = ?1, version = version + 1
             WHERE session_id = ?2 AND os_user = ?3 AND screen = ?4",
            params![session, orphan.session_id, self.user, orphan.screen],
        )?;
        tx.commit()?;
        if n == 0 {
            return Ok(None);
        }
        Ok(Some(DraftRec {
            session_id: session.to_string(),
            ..orphan
        }))
    }
}

fn draft_rec(r: &rusqlite::Row) -> rusqlite::Result<DraftRec> {
    Ok(DraftRec {
        session_id: r.get(0)?,
        os_user: r.get(1)?,
        screen: r.get(2)?,
        form_json: r.get(3)?,
        updated_at: r.get(4)?,
    })
}
