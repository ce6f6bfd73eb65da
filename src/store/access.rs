//! Roles granted to OS logins, the staff ↔ login links, and the locks
//! (結案) of receipt rounds and checklist years.
//!
//! Every write names its [`Action`]; [`Writer::require`] checks it against
//! the acting login's grants inside the write transaction, so a grant
//! revoked by someone else a moment ago is already in force.

use rusqlite::{OptionalExtension, params};

use super::{Result, Store, StoreError, Writer};
use crate::domain::access::{Action, FOUNDER_ROLES, Role, any_allows, roles_allowing};
use crate::domain::roc::Term;
use crate::i18n::{tr, trf};

/// One grant: `login` holds `role`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantRec {
    pub id: i64,
    pub login: String,
    pub role: Role,
    pub updated_at: String,
    pub updated_by: String,
}

/// A login as the users view and `users list` show it: its roles, the
/// staff record it is linked to, and whether the machine knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginRec {
    pub login: String,
    pub roles: Vec<Role>,
    pub staff: Option<(i64, String)>,
}

/// A closed round or checklist year: who closed it and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosureRec {
    pub id: i64,
    pub kind: &'static str,
    pub key: String,
    pub closed_at: String,
    pub closed_by: String,
}

const ROUND: &str = "round";
const CHECKLIST: &str = "checklist";

fn role_of(code: &str) -> Role {
    Role::ALL
        .into_iter()
        .find(|r| r.code() == code)
        .unwrap_or(Role::Viewer)
}

/// The roles of `login` through `conn` (a connection or the transaction).
fn roles_in(conn: &rusqlite::Connection, login: &str) -> Result<Vec<Role>> {
    let mut st = conn.prepare_cached("SELECT role FROM role_grant WHERE login = ?1")?;
    let mut roles: Vec<Role> = st
        .query_map([login], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .iter()
        .map(|c| role_of(c))
        .collect();
    roles.sort();
    roles.dedup();
    Ok(roles)
}

/// "王主任(wang)" for a linked login, "wang" otherwise.
fn shown_login(conn: &rusqlite::Connection, login: &str) -> Result<String> {
    let name: Option<String> = conn
        .query_row(
            "SELECT s.name FROM staff_login l JOIN staff s ON s.id = l.staff_id WHERE l.login = ?1",
            [login],
            |r| r.get(0),
        )
        .optional()?;
    Ok(match name {
        Some(n) => format!("{n}({login})"),
        None => login.to_string(),
    })
}

/// The names of `roles`, joined for a message; a login with none is a viewer.
pub fn role_names(roles: &[Role]) -> String {
    if roles.is_empty() {
        return tr(Role::Viewer.label_key()).to_string();
    }
    roles
        .iter()
        .map(|r| tr(r.label_key()))
        .collect::<Vec<_>>()
        .join(tr("access.or"))
}

/// The names of `roles` as a list ("管理者、承辦"); none: a viewer.
pub fn role_list(roles: &[Role]) -> String {
    if roles.is_empty() {
        return tr(Role::Viewer.label_key()).to_string();
    }
    roles
        .iter()
        .map(|r| tr(r.label_key()))
        .collect::<Vec<_>>()
        .join(tr("list.sep"))
}

/// The refusal of `action` to `login`, naming the role(s) that would allow
/// it and who holds them.
fn refusal(conn: &rusqlite::Connection, login: &str, action: Action) -> Result<StoreError> {
    let needed = roles_allowing(action);
    let mut holders = Vec::new();
    {
        let mut st = conn.prepare_cached(
            "SELECT DISTINCT login FROM role_grant WHERE role = ?1 ORDER BY login",
        )?;
        for r in &needed {
            let logins = st
                .query_map([r.code()], |row| row.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            for l in logins {
                let shown = shown_login(conn, &l)?;
                if !holders.contains(&shown) {
                    holders.push(shown);
                }
            }
        }
    }
    let holders = if holders.is_empty() {
        tr("access.nobody").to_string()
    } else {
        trf("access.held_by", &[("who", holders.join(tr("list.sep")))])
    };
    let mine = roles_in(conn, login)?;
    Ok(StoreError::Refused {
        key: "access.refused",
        args: vec![
            ("user", login.to_string()),
            ("mine", role_list(&mine)),
            ("action", tr(action.label_key()).to_string()),
            ("need", role_names(&needed)),
            ("holders", holders),
        ],
    })
}

impl Writer<'_> {
    /// Refuses `action` unless the acting login holds a role allowing it.
    /// Runs inside the write transaction (before anything is written).
    pub(crate) fn require(&self, action: Action) -> Result<()> {
        let roles = roles_in(&self.tx, &self.user)?;
        if any_allows(&roles, action) {
            return Ok(());
        }
        Err(refusal(&self.tx, &self.user, action)?)
    }

    /// Grants the founder's roles to the acting login (the school's creator).
    pub(crate) fn grant_founder(&self) -> Result<()> {
        for r in FOUNDER_ROLES {
            self.insert_grant(&self.user.clone(), r)?;
        }
        Ok(())
    }

    fn insert_grant(&self, login: &str, role: Role) -> Result<Option<i64>> {
        let n = self.tx.execute(
            "INSERT OR IGNORE INTO role_grant (login, role, updated_at, updated_by)
             VALUES (?1, ?2, ?3, ?4)",
            params![login, role.code(), self.at, self.user],
        )?;
        if n == 0 {
            return Ok(None);
        }
        let id = self.tx.last_insert_rowid();
        self.audit(
            "role_grant",
            id,
            "insert",
            None::<&()>,
            Some(&serde_json::json!({"login": login, "role": role.code()})),
        )?;
        Ok(Some(id))
    }

    fn closure(&self, kind: &'static str, key: &str) -> Result<Option<ClosureRec>> {
        closure_in(&self.tx, kind, key)
    }

    fn refuse_closed(&self, c: ClosureRec, what_key: &'static str) -> StoreError {
        let by = shown_login(&self.tx, &c.closed_by).unwrap_or(c.closed_by.clone());
        StoreError::Refused {
            key: what_key,
            args: vec![
                ("key", c.key),
                ("by", by),
                ("at", super::short_time(&c.closed_at)),
            ],
        }
    }

    /// Refuses a change to the receipt round of `term` once it is closed.
    pub(crate) fn check_round_open(&self, term: Term) -> Result<()> {
        match self.closure(ROUND, &term.to_string())? {
            Some(c) => Err(self.refuse_closed(c, "access.round_closed")),
            None => Ok(()),
        }
    }

    /// Refuses a change to the checklists of academic year `year` once closed.
    pub(crate) fn check_checklist_open(&self, year: i32) -> Result<()> {
        match self.closure(CHECKLIST, &year.to_string())? {
            Some(c) => Err(self.refuse_closed(c, "access.checklist_closed")),
            None => Ok(()),
        }
    }

    /// The term of a term id, for the lock check of writes that know the id.
    pub(crate) fn check_round_open_id(&self, term_id: i64) -> Result<()> {
        let t: Option<(i32, u8)> = self
            .tx
            .query_row(
                "SELECT year, semester FROM term WHERE id = ?1",
                [term_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        match t {
            Some((year, semester)) => self.check_round_open(Term { year, semester }),
            None => Ok(()),
        }
    }

    /// The academic year of a checklist, for the lock check.
    pub(crate) fn check_checklist_open_id(&self, checklist_id: i64) -> Result<()> {
        let y: Option<i32> = self
            .tx
            .query_row(
                "SELECT year FROM checklist WHERE id = ?1",
                [checklist_id],
                |r| r.get(0),
            )
            .optional()?;
        match y {
            Some(y) => self.check_checklist_open(y),
            None => Ok(()),
        }
    }

    /// The lock check for a checklist item.
    pub(crate) fn check_item_open(&self, item_id: i64) -> Result<()> {
        let c: Option<i64> = self
            .tx
            .query_row(
                "SELECT checklist_id FROM checklist_item WHERE id = ?1",
                [item_id],
                |r| r.get(0),
            )
            .optional()?;
        match c {
            Some(c) => self.check_checklist_open_id(c),
            None => Ok(()),
        }
    }

    fn close(&self, kind: &'static str, key: &str, closed_key: &'static str) -> Result<()> {
        if let Some(c) = self.closure(kind, key)? {
            return Err(self.refuse_closed(c, closed_key));
        }
        self.tx.execute(
            "INSERT INTO closure (kind, key, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4)",
            params![kind, key, self.at, self.user],
        )?;
        let id = self.tx.last_insert_rowid();
        self.audit(
            "closure",
            id,
            "insert",
            None::<&()>,
            Some(&serde_json::json!({"kind": kind, "key": key})),
        )
    }

    fn reopen(&self, kind: &'static str, key: &str, open_key: &'static str) -> Result<ClosureRec> {
        let Some(c) = self.closure(kind, key)? else {
            return Err(StoreError::Refused {
                key: open_key,
                args: vec![("key", key.to_string())],
            });
        };
        self.tx
            .execute("DELETE FROM closure WHERE id = ?1", [c.id])?;
        self.audit(
            "closure",
            c.id,
            "delete",
            Some(&serde_json::json!({
                "kind": kind, "key": key, "closed_at": c.closed_at, "closed_by": c.closed_by,
            })),
            None::<&()>,
        )?;
        Ok(c)
    }
}

fn closure_in(
    conn: &rusqlite::Connection,
    kind: &'static str,
    key: &str,
) -> Result<Option<ClosureRec>> {
    Ok(conn
        .query_row(
            "SELECT id, key, updated_at, updated_by FROM closure WHERE kind = ?1 AND key = ?2",
            params![kind, key],
            |r| {
                Ok(ClosureRec {
                    id: r.get(0)?,
                    kind,
                    key: r.get(1)?,
                    closed_at: r.get(2)?,
                    closed_by: r.get(3)?,
                })
            },
        )
        .optional()?)
}

/// Whether the machine has an account named `login` (a grant to an unknown
/// login is allowed, with a warning: the account may be made later).
pub fn login_exists(login: &str) -> bool {
    let Ok(c) = std::ffi::CString::new(login) else {
        return false;
    };
    let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
    let mut buf = vec![0 as libc::c_char; 16 * 1024];
    let mut out: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: every pointer is to a live local of the right size; the
    // result points into `pwd`/`buf`, which outlive this call's use of it.
    let rc =
        unsafe { libc::getpwnam_r(c.as_ptr(), &mut pwd, buf.as_mut_ptr(), buf.len(), &mut out) };
    rc == 0 && !out.is_null()
}

impl Store {
    /// The roles of the acting login (empty: a viewer).
    pub fn my_roles(&self) -> Result<Vec<Role>> {
        roles_in(&self.conn, &self.user)
    }

    /// The roles of `login` (empty: a viewer).
    pub fn roles_of(&self, login: &str) -> Result<Vec<Role>> {
        roles_in(&self.conn, login)
    }

    /// Checks `action` for the acting login before a form opens (the write
    /// checks again in its transaction): the refusal, or Ok.
    pub fn may(&self, action: Action) -> Result<()> {
        self.check_writable()?;
        let roles = roles_in(&self.conn, &self.user)?;
        if any_allows(&roles, action) {
            return Ok(());
        }
        Err(refusal(&self.conn, &self.user, action)?)
    }

    /// Every grant, by login then role.
    pub fn grants(&self) -> Result<Vec<GrantRec>> {
        let mut st = self.conn.prepare_cached(
            "SELECT id, login, role, updated_at, updated_by FROM role_grant ORDER BY login, id",
        )?;
        let rows = st.query_map([], |r| {
            Ok(GrantRec {
                id: r.get(0)?,
                login: r.get(1)?,
                role: role_of(&r.get::<_, String>(2)?),
                updated_at: r.get(3)?,
                updated_by: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Every login that holds a role or is linked to a staff record.
    pub fn logins(&self) -> Result<Vec<LoginRec>> {
        let mut st = self.conn.prepare_cached(
            "SELECT login FROM role_grant UNION SELECT login FROM staff_login ORDER BY 1",
        )?;
        let logins = st
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut out = Vec::with_capacity(logins.len());
        for login in logins {
            out.push(LoginRec {
                roles: roles_in(&self.conn, &login)?,
                staff: self.staff_of_login(&login)?,
                login,
            });
        }
        Ok(out)
    }

    /// The staff record (id, name) linked to `login`.
    pub fn staff_of_login(&self, login: &str) -> Result<Option<(i64, String)>> {
        Ok(self
            .conn
            .query_row(
                "SELECT s.id, s.name FROM staff_login l JOIN staff s ON s.id = l.staff_id
                 WHERE l.login = ?1",
                [login],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    /// The active staff record linked to the acting login (see
    /// [`Store::link_login`]); names and e-mail addresses are not matched.
    pub fn my_staff(&self) -> Result<Option<crate::domain::committee::Staff>> {
        match self.staff_of_login(&self.user)? {
            Some((id, _)) => {
                let s = self.get_staff(id)?;
                Ok(s.is_active().then_some(s))
            }
            None => Ok(None),
        }
    }

    /// The logins linked to staff record `staff_id`.
    pub fn logins_of_staff(&self, staff_id: i64) -> Result<Vec<String>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT login FROM staff_login WHERE staff_id = ?1 ORDER BY login")?;
        let rows = st.query_map([staff_id], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Grants `role` to `login` (administrators). Returns false when the
    /// login already held it. A login unknown to this machine is allowed
    /// (the caller warns, see [`login_exists`]).
    pub fn grant_role(&mut self, login: &str, role: Role) -> Result<bool> {
        let login = login.trim().to_string();
        if login.is_empty() {
            return Err(StoreError::Refused {
                key: "access.err_login_empty",
                args: vec![],
            });
        }
        self.write(Action::Roles, |w| {
            Ok(w.insert_grant(&login, role)?.is_some())
        })
    }

    /// Revokes `role` from `login` (administrators). The last administrator
    /// cannot be revoked. Returns false when the login did not hold it.
    pub fn revoke_role(&mut self, login: &str, role: Role) -> Result<bool> {
        let login = login.trim().to_string();
        self.write(Action::Roles, |w| {
            let id: Option<i64> =
                w.tx.query_row(
                    "SELECT id FROM role_grant WHERE login = ?1 AND role = ?2",
                    params![login, role.code()],
                    |r| r.get(0),
                )
                .optional()?;
            let Some(id) = id else {
                return Ok(false);
            };
            if role == Role::Admin {
                let admins: i64 = w.tx.query_row(
                    "SELECT count(DISTINCT login) FROM role_grant WHERE role = 'admin'",
                    [],
                    |r| r.get(0),
                )?;
                if admins <= 1 {
                    return Err(StoreError::Refused {
                        key: "access.err_last_admin",
                        args: vec![("login", login.clone())],
                    });
                }
            }
            w.tx.execute("DELETE FROM role_grant WHERE id = ?1", [id])?;
            w.audit(
                "role_grant",
                id,
                "delete",
                Some(&serde_json::json!({"login": login, "role": role.code()})),
                None::<&()>,
            )?;
            Ok(true)
        })
    }

    /// Links `login` to staff record `staff_id` (administrators); a login
    /// linked elsewhere moves.
    pub fn link_login(&mut self, login: &str, staff_id: i64) -> Result<()> {
        let login = login.trim().to_string();
        if login.is_empty() {
            return Err(StoreError::Refused {
                key: "access.err_login_empty",
                args: vec![],
            });
        }
        self.write(Action::Roles, |w| {
            let exists: Option<String> =
                w.tx.query_row("SELECT name FROM staff WHERE id = ?1", [staff_id], |r| {
                    r.get(0)
                })
                .optional()?;
            if exists.is_none() {
                return Err(StoreError::NotFound {
                    what: "what.staff",
                    id: staff_id,
                });
            }
            let before: Option<(i64, i64)> =
                w.tx.query_row(
                    "SELECT id, staff_id FROM staff_login WHERE login = ?1",
                    [&login],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            match before {
                Some((_, s)) if s == staff_id => Ok(()),
                Some((id, s)) => {
                    w.tx.execute(
                        "UPDATE staff_login SET staff_id = ?2, version = version + 1,
                         updated_at = ?3, updated_by = ?4 WHERE id = ?1",
                        params![id, staff_id, w.at, w.user],
                    )?;
                    w.audit(
                        "staff_login",
                        id,
                        "update",
                        Some(&serde_json::json!({"login": login, "staff_id": s})),
                        Some(&serde_json::json!({"login": login, "staff_id": staff_id})),
                    )
                }
                None => {
                    w.tx.execute(
                        "INSERT INTO staff_login (login, staff_id, updated_at, updated_by)
                         VALUES (?1, ?2, ?3, ?4)",
                        params![login, staff_id, w.at, w.user],
                    )?;
                    let id = w.tx.last_insert_rowid();
                    w.audit(
                        "staff_login",
                        id,
                        "insert",
                        None::<&()>,
                        Some(&serde_json::json!({"login": login, "staff_id": staff_id})),
                    )
                }
            }
        })
    }

    /// The closure of `term`'s receipt round, if closed.
    pub fn round_closure(&self, term: Term) -> Result<Option<ClosureRec>> {
        closure_in(&self.conn, ROUND, &term.to_string())
    }

    /// The closure of academic year `year`'s checklists, if closed.
    pub fn checklist_closure(&self, year: i32) -> Result<Option<ClosureRec>> {
        closure_in(&self.conn, CHECKLIST, &year.to_string())
    }

    /// The academic years whose checklists are closed.
    pub fn closed_checklist_years(&self) -> Result<Vec<i32>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT key FROM closure WHERE kind = 'checklist' ORDER BY key")?;
        let keys = st
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(keys.iter().filter_map(|k| k.parse().ok()).collect())
    }

    /// Closes (結案) the receipt round of `term` (the director).
    pub fn close_round(&mut self, term: Term) -> Result<()> {
        self.write(Action::CloseRound, |w| {
            w.close(ROUND, &term.to_string(), "access.round_closed")
        })
    }

    /// Reopens the closed receipt round of `term` (the director).
    pub fn reopen_round(&mut self, term: Term) -> Result<ClosureRec> {
        self.write(Action::ReopenRound, |w| {
            w.reopen(ROUND, &term.to_string(), "access.round_not_closed")
        })
    }

    /// Closes the checklists of academic year `year` (the director).
    pub fn close_checklist_year(&mut self, year: i32) -> Result<()> {
        self.write(Action::CloseChecklist, |w| {
            w.close(CHECKLIST, &year.to_string(), "access.checklist_closed")
        })
    }

    /// Reopens the checklists of academic year `year` (the director).
    pub fn reopen_checklist_year(&mut self, year: i32) -> Result<ClosureRec> {
        self.write(Action::ReopenChecklist, |w| {
            w.reopen(CHECKLIST, &year.to_string(), "access.checklist_not_closed")
        })
    }
}

/// The refusal of a role name that is not one of the four (quoted back).
pub fn unknown_role(input: &str) -> StoreError {
    StoreError::Refused {
        key: "access.err_role",
        args: vec![("input", input.to_string())],
    }
}

/// The warning for a grant to a login this machine does not know.
pub fn unknown_login_warning(login: &str) -> String {
    trf("access.warn_no_such_login", &[("login", login.to_string())])
}
