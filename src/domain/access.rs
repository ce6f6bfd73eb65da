//! Who may do what: the four roles of issue 13 and the permission table.
//!
//! A person acts as their OS login (see `store::os_user`); an administrator
//! grants roles to logins (many per login). A login with no grant is a
//! viewer: it reads and exports, and every change it tries is refused with
//! the role that would allow it. The table is flat (no role includes
//! another): the login that creates a school is given all three working
//! roles so that one person can run a new school alone.

/// A role granted to an OS login.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// 管理者: roles, restore, retention purge, school settings.
    Admin,
    /// 教務主任: undo deeming, close and reopen a round or checklist,
    /// approve retention.
    Director,
    /// 承辦: everyday edits on every screen.
    Clerk,
    /// 檢視: reads and exports only.
    Viewer,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::Director, Role::Clerk, Role::Viewer];

    /// The code stored in the database (`role_grant.role`).
    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Director => "director",
            Role::Clerk => "clerk",
            Role::Viewer => "viewer",
        }
    }

    /// The i18n key of the role's name.
    pub fn label_key(self) -> &'static str {
        match self {
            Role::Admin => "access.role_admin",
            Role::Director => "access.role_director",
            Role::Clerk => "access.role_clerk",
            Role::Viewer => "access.role_viewer",
        }
    }

    /// A role from its code, or its name in Chinese or English
    /// (`admin`, `管理者`, `Administrator`, …).
    pub fn parse(s: &str) -> Option<Role> {
        let t = s.trim();
        let lower = t.to_lowercase();
        match lower.as_str() {
            "admin" | "administrator" | "管理者" | "管理員" => Some(Role::Admin),
            "director" | "academic director" | "教務主任" | "主任" => Some(Role::Director),
            "clerk" | "承辦" | "承辦人" => Some(Role::Clerk),
            "viewer" | "檢視" | "檢視者" => Some(Role::Viewer),
            _ => None,
        }
    }
}

/// Every kind of change the app makes. Each write names one; the store
/// checks it against the acting login's roles in the transaction that writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// `init`, `demo`: creating the school of an empty file (allowed to
    /// anyone while the file has no school; its creator becomes the first
    /// administrator).
    CreateSchool,
    /// The school row and its regulation preset.
    SchoolSettings,
    /// Granting and revoking roles, linking logins to staff.
    Roles,
    /// Restoring a backup over the database.
    Restore,
    /// Removing records past their retention period.
    RetentionPurge,
    /// Approving a retention purge.
    RetentionApprove,
    /// Undoing a term's deeming (the director only).
    UndoDeem,
    /// Closing (結案) a term's receipt round.
    CloseRound,
    /// Reopening a closed receipt round (臺東's 解鎖功能設定).
    ReopenRound,
    /// Closing a year's checklists.
    CloseChecklist,
    /// Reopening a closed checklist year.
    ReopenChecklist,
    /// Screen 3: the staff directory.
    EditStaff,
    /// Screen 3: committees and seats.
    EditCommittee,
    /// Screen 4: delegates and absences.
    EditDelegates,
    /// Screen 2: terms and calendar windows.
    EditCalendar,
    /// Screen 5: checklists, items and templates.
    EditChecklist,
    /// Screen 6: the student list.
    EditStudents,
    /// Screen 6: importing (and undoing an import of) receipt lines.
    ImportReceipts,
    /// Screen 6: confirmations, the confirmation window and deeming.
    EditConfirmations,
    /// Screen 6: logging and working discrepancies.
    EditDiscrepancies,
    /// Screen 3's meetings view: meetings, attendance, agenda items and
    /// decisions.
    EditMeetings,
}

impl Action {
    pub const ALL: [Action; 21] = [
        Action::CreateSchool,
        Action::SchoolSettings,
        Action::Roles,
        Action::Restore,
        Action::RetentionPurge,
        Action::RetentionApprove,
        Action::UndoDeem,
        Action::CloseRound,
        Action::ReopenRound,
        Action::CloseChecklist,
        Action::ReopenChecklist,
        Action::EditStaff,
        Action::EditCommittee,
        Action::EditDelegates,
        Action::EditCalendar,
        Action::EditChecklist,
        Action::EditStudents,
        Action::ImportReceipts,
        Action::EditConfirmations,
        Action::EditDiscrepancies,
        Action::EditMeetings,
    ];

    /// The i18n key naming the action ("undo deeming"), for refusals.
    pub fn label_key(self) -> &'static str {
        match self {
            Action::CreateSchool => "access.act_create_school",
            Action::SchoolSettings => "access.act_school_settings",
            Action::Roles => "access.act_roles",
            Action::Restore => "access.act_restore",
            Action::RetentionPurge => "access.act_retention_purge",
            Action::RetentionApprove => "access.act_retention_approve",
            Action::UndoDeem => "access.act_undo_deem",
            Action::CloseRound => "access.act_close_round",
            Action::ReopenRound => "access.act_reopen_round",
            Action::CloseChecklist => "access.act_close_checklist",
            Action::ReopenChecklist => "access.act_reopen_checklist",
            Action::EditStaff => "access.act_edit_staff",
            Action::EditCommittee => "access.act_edit_committee",
            Action::EditDelegates => "access.act_edit_delegates",
            Action::EditCalendar => "access.act_edit_calendar",
            Action::EditChecklist => "access.act_edit_checklist",
            Action::EditStudents => "access.act_edit_students",
            Action::ImportReceipts => "access.act_import_receipts",
            Action::EditConfirmations => "access.act_edit_confirmations",
            Action::EditDiscrepancies => "access.act_edit_discrepancies",
            Action::EditMeetings => "access.act_edit_meetings",
        }
    }
}

/// Whether `role` may do `action`.
pub fn allowed(role: Role, action: Action) -> bool {
    use Action as A;
    match role {
        Role::Admin => matches!(
            action,
            A::CreateSchool | A::SchoolSettings | A::Roles | A::Restore | A::RetentionPurge
        ),
        Role::Director => matches!(
            action,
            A::CreateSchool
                | A::UndoDeem
                | A::CloseRound
                | A::ReopenRound
                | A::CloseChecklist
                | A::ReopenChecklist
                | A::RetentionApprove
        ),
        Role::Clerk => matches!(
            action,
            A::CreateSchool
                | A::EditStaff
                | A::EditCommittee
                | A::EditDelegates
                | A::EditCalendar
                | A::EditChecklist
                | A::EditStudents
                | A::ImportReceipts
                | A::EditConfirmations
                | A::EditDiscrepancies
                | A::EditMeetings
        ),
        Role::Viewer => matches!(action, A::CreateSchool),
    }
}

/// The roles that allow `action`, in the order of [`Role::ALL`].
pub fn roles_allowing(action: Action) -> Vec<Role> {
    Role::ALL
        .into_iter()
        .filter(|&r| allowed(r, action))
        .collect()
}

/// Whether any of `roles` allows `action`. No roles at all: a viewer.
pub fn any_allows(roles: &[Role], action: Action) -> bool {
    if roles.is_empty() {
        return allowed(Role::Viewer, action);
    }
    roles.iter().any(|&r| allowed(r, action))
}

/// The roles given to the login that creates a school: all three working
/// roles, so that one person can run a new school alone (an administrator
/// revokes what others take over).
pub const FOUNDER_ROLES: [Role; 3] = [Role::Admin, Role::Director, Role::Clerk];

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole table, written out: (action, admin, director, clerk, viewer).
    const TABLE: [(Action, bool, bool, bool, bool); 21] = [
        (Action::CreateSchool, true, true, true, true),
        (Action::SchoolSettings, true, false, false, false),
        (Action::Roles, true, false, false, false),
        (Action::Restore, true, false, false, false),
        (Action::RetentionPurge, true, false, false, false),
        (Action::RetentionApprove, false, true, false, false),
        (Action::UndoDeem, false, true, false, false),
        (Action::CloseRound, false, true, false, false),
        (Action::ReopenRound, false, true, false, false),
        (Action::CloseChecklist, false, true, false, false),
        (Action::ReopenChecklist, false, true, false, false),
        (Action::EditStaff, false, false, true, false),
        (Action::EditCommittee, false, false, true, false),
        (Action::EditDelegates, false, false, true, false),
        (Action::EditCalendar, false, false, true, false),
        (Action::EditChecklist, false, false, true, false),
        (Action::EditStudents, false, false, true, false),
        (Action::ImportReceipts, false, false, true, false),
        (Action::EditConfirmations, false, false, true, false),
        (Action::EditDiscrepancies, false, false, true, false),
        (Action::EditMeetings, false, false, true, false),
    ];

    #[test]
    fn every_action_and_role_is_in_the_table() {
        assert_eq!(TABLE.len(), Action::ALL.len());
        for (i, a) in Action::ALL.into_iter().enumerate() {
            let (ta, admin, director, clerk, viewer) = TABLE[i];
            assert_eq!(ta, a, "table row {i} out of order");
            for (role, want) in [
                (Role::Admin, admin),
                (Role::Director, director),
                (Role::Clerk, clerk),
                (Role::Viewer, viewer),
            ] {
                assert_eq!(allowed(role, a), want, "{role:?} × {a:?}");
            }
        }
    }

    #[test]
    fn a_viewer_changes_nothing_but_may_create_an_empty_files_school() {
        for a in Action::ALL {
            assert_eq!(allowed(Role::Viewer, a), a == Action::CreateSchool, "{a:?}");
        }
        assert!(!any_allows(&[], Action::EditStaff));
        assert!(any_allows(&[], Action::CreateSchool));
    }

    #[test]
    fn every_change_but_creating_a_school_needs_a_working_role() {
        for a in Action::ALL {
            let roles = roles_allowing(a);
            assert!(!roles.is_empty(), "{a:?}");
            if a != Action::CreateSchool {
                assert!(!roles.contains(&Role::Viewer), "{a:?}");
            }
        }
        assert_eq!(roles_allowing(Action::UndoDeem), vec![Role::Director]);
        assert_eq!(roles_allowing(Action::Roles), vec![Role::Admin]);
        assert_eq!(roles_allowing(Action::EditChecklist), vec![Role::Clerk]);
    }

    #[test]
    fn the_founder_can_do_every_change() {
        for a in Action::ALL {
            assert!(any_allows(&FOUNDER_ROLES, a), "{a:?}");
        }
    }

    #[test]
    fn roles_parse_from_codes_and_both_languages() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.code()), Some(r));
        }
        assert_eq!(Role::parse("教務主任"), Some(Role::Director));
        assert_eq!(Role::parse("管理者"), Some(Role::Admin));
        assert_eq!(Role::parse("承辦"), Some(Role::Clerk));
        assert_eq!(Role::parse("檢視"), Some(Role::Viewer));
        assert_eq!(Role::parse(" Administrator "), Some(Role::Admin));
        assert_eq!(Role::parse("boss"), None);
        assert_eq!(Role::parse(""), None);
    }
}
