//! The users view of the staff directory (screen 3, `A` from the
//! directory; `A` again leaves it): every login with its roles and the staff record it is linked
//! to. Administrators only; anyone else sees who can. Grants are changed
//! with `portfolio-desk users …`.
//!
//! Also here: which role an edit key needs, so that a viewer's key is
//! answered with the refusal before a form opens (the store checks again
//! when it writes).

use std::cell::Cell;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::View;
use crate::domain::access::{self, Role};
use crate::i18n::{Localized, tr, trf};
use crate::store::{LoginRec, Store, role_list};
use crate::ui::keys::Action;
use crate::ui::table::{self, Cell as TCell, Column};
use crate::ui::text::truncate;

const COLS: [Column; 3] = [
    Column {
        header: "access.col_login",
        min: 10,
        max: 20,
        priority: 0,
    },
    Column {
        header: "access.col_roles",
        min: 12,
        max: 30,
        priority: 0,
    },
    Column {
        header: "access.col_staff",
        min: 10,
        max: 24,
        priority: 1,
    },
];

pub struct UsersView {
    me: String,
    rows: Vec<LoginRec>,
    /// Set when the acting login may not see the list: the message.
    refused: Option<String>,
    sel: usize,
    offset: Cell<usize>,
    page: Cell<usize>,
}

impl UsersView {
    pub fn load(store: &Store) -> UsersView {
        let mut v = UsersView {
            me: store.user().to_string(),
            rows: Vec::new(),
            refused: None,
            sel: 0,
            offset: Cell::new(0),
            page: Cell::new(10),
        };
        v.reload(store);
        v
    }

    pub fn reload(&mut self, store: &Store) {
        self.me = store.user().to_string();
        let admin = store
            .my_roles()
            .map(|r| r.contains(&Role::Admin))
            .unwrap_or(false);
        if !admin {
            let holders: Vec<String> = store
                .logins()
                .unwrap_or_default()
                .into_iter()
                .filter(|l| l.roles.contains(&Role::Admin))
                .map(|l| match l.staff {
                    Some((_, name)) => format!("{name}({})", l.login),
                    None => l.login,
                })
                .collect();
            self.rows.clear();
            self.refused = Some(trf(
                "access.view_only_admin",
                &[("holders", holders.join(tr("list.sep")))],
            ));
            return;
        }
        self.refused = None;
        match store.logins() {
            Ok(rows) => self.rows = rows,
            Err(e) => self.refused = Some(e.message()),
        }
        self.sel = self.sel.min(self.rows.len().saturating_sub(1));
    }

    pub fn commands(&self) -> Vec<Action> {
        let mut v = vec![Action::UsersView];
        v.extend(crate::ui::keys::NAV);
        v
    }

    /// Moves the selection; true when the action was the view's.
    pub fn on_action(&mut self, action: Action) -> bool {
        let last = self.rows.len().saturating_sub(1);
        let page = self.page.get().max(1);
        self.sel = match action {
            Action::Up => self.sel.saturating_sub(1),
            Action::Down => (self.sel + 1).min(last),
            Action::PageUp => self.sel.saturating_sub(page),
            Action::PageDown => (self.sel + page).min(last),
            Action::Top => 0,
            Action::Bottom => last,
            _ => return false,
        };
        true
    }

    pub fn draw(&self, f: &mut Frame, area: Rect, v: &View) {
        let t = v.theme;
        // Framed and titled as every screen is.
        let Some(area) = crate::ui::screen_frame(f, area, tr("access.view_title"), t, true) else {
            return;
        };
        let w = area.width as usize;
        let [head, body] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
        let count = if self.refused.is_some() {
            String::new()
        } else {
            trf("access.view_count", &[("n", self.rows.len().to_string())])
        };
        f.render_widget(
            Paragraph::new(Line::styled(truncate(&count, w), t.dim())),
            head,
        );
        if let Some(msg) = &self.refused {
            f.render_widget(Paragraph::new(crate::ui::wrapped(msg, w, t.warn())), body);
            return;
        }
        if self.rows.is_empty() {
            f.render_widget(
                Paragraph::new(Line::styled(tr("access.view_empty"), t.dim())),
                body,
            );
            return;
        }
        let body_rows = body.height.saturating_sub(1) as usize;
        self.page.set(body_rows.max(1));
        let off = table::scroll_offset(self.sel, self.offset.get(), body_rows);
        self.offset.set(off);
        let row = |r: usize| -> Vec<TCell> {
            let l = &self.rows[r];
            let login = if l.login == self.me {
                format!("{}{}", l.login, tr("access.you"))
            } else {
                l.login.clone()
            };
            let staff = match &l.staff {
                Some((id, name)) => format!("{name} #{id}"),
                None => tr("access.unlinked").to_string(),
            };
            vec![
                (login, t.base()),
                (role_list(&l.roles), t.base()),
                (staff, t.dim()),
            ]
        };
        table::draw(
            f,
            body,
            t,
            &COLS,
            self.rows.len(),
            Some(self.sel),
            off,
            &row,
        );
    }
}

/// The change an edit key makes, for the check before a form opens; None
/// for keys that only read (moving, filters, views, exports).
pub fn permission_of(action: Action) -> Option<access::Action> {
    use access::Action as P;
    Some(match action {
        Action::New | Action::Edit | Action::Delete => P::EditStaff,
        Action::Assign | Action::Vacate | Action::CopyForward => P::EditCommittee,
        Action::AddDelegate
        | Action::AddCertTable
        | Action::RemoveDelegate
        | Action::RankUp
        | Action::RankDown
        | Action::AddAbsence
        | Action::RemoveAbsence => P::EditDelegates,
        Action::CalNew
        | Action::CalEdit
        | Action::CalDelete
        | Action::CalDuplicate
        | Action::CalDone
        | Action::CalTermSettings
        | Action::CalCopyTerm
        | Action::CalImport
        | Action::CalImportGood => P::EditCalendar,
        Action::CkDone
        | Action::CkStatus
        | Action::CkEdit
        | Action::CkNew
        | Action::CkDelete
        | Action::CkLink
        | Action::CkCopy
        | Action::CkSaveTemplate
        | Action::CkFromTemplate => P::EditChecklist,
        Action::CkLock => P::CloseChecklist,
        Action::RcInvestigate
        | Action::RcCorrect
        | Action::RcReject
        | Action::RcCloseDisc
        | Action::RcReopen
        | Action::RcRoute
        | Action::RcLog => P::EditDiscrepancies,
        Action::RcConfirm | Action::RcUnconfirm | Action::RcDeem | Action::RcWindow => {
            P::EditConfirmations
        }
        Action::RcEditStudent | Action::RcAddStudent => P::EditStudents,
        Action::RcImport | Action::RcImportGood => P::ImportReceipts,
        Action::RcUndoDeem => P::UndoDeem,
        Action::RcLock => P::CloseRound,
        Action::MtPlan
        | Action::MtEdit
        | Action::MtCancel
        | Action::MtStatus
        | Action::MtNewItem
        | Action::MtEditItem
        | Action::MtDeleteItem
        | Action::MtItemUp
        | Action::MtItemDown
        | Action::MtDone
        | Action::MtAttend
        | Action::MtRegenerate => P::EditMeetings,
        _ => return None,
    })
}

/// "wang·教務主任" (more roles: "wang·管理者+2"), for the status bar.
pub fn whoami(store: &Store) -> String {
    let short = |r: Role| {
        tr(match r {
            Role::Admin => "access.short_admin",
            Role::Director => "access.short_director",
            Role::Clerk => "access.short_clerk",
            Role::Viewer => "access.short_viewer",
        })
    };
    let roles = store.my_roles().unwrap_or_default();
    let role = match roles.as_slice() {
        [] => short(Role::Viewer).to_string(),
        [one] => short(*one).to_string(),
        [first, rest @ ..] => format!("{}+{}", short(*first), rest.len()),
    };
    format!("{}·{role}", store.user())
}
