//! One module per screen. A screen owns its view state, turns actions into
//! store calls and popups, and draws from data it loaded. No SQL here.

pub mod agenda_print;
pub mod audit;
pub mod calendar;
pub mod checklists;
pub mod dashboard;
pub mod delegates;
pub mod meetings;
pub mod receipts;
pub mod roster;
pub mod users;

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;

use crate::store::{School, Store, StoreError};
use crate::ui::confirm::Confirm;
use crate::ui::form::Form;
use crate::ui::help::Help;
use crate::ui::keys::Action;
use crate::ui::picker::Picker;
use crate::ui::theme::Theme;

/// A one-line message above the status bar until the next key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Flash {
    Info(String),
    Error(String),
}

/// A place one screen can send the user to on another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    /// The committee's meetings view (roster screen).
    Meetings,
}

/// What a popup was opened for; handed back to the screen with the result.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Intent {
    InitSchool,
    NewStaff,
    EditStaff {
        id: i64,
        version: i64,
    },
    DeleteStaff {
        id: i64,
        version: i64,
    },
    AssignSeat {
        seat_id: i64,
        version: i64,
    },
    VacateSeat {
        seat_id: i64,
        version: i64,
    },
    CreateCommittee {
        year: i32,
    },
    CopyForward {
        year: i32,
    },
    /// The delegates screen's "as of" date.
    DelegatesAsOf,
    /// Choose who becomes the next delegate of `position`, or (with
    /// `teacher`) of that teacher's certification table.
    PickDelegate {
        position: String,
        #[serde(default)]
        teacher: Option<i64>,
    },
    /// The validity period of a new delegate of `position` (or of
    /// `teacher`'s certification table): a position or a person (staff id).
    AddDelegate {
        position: String,
        #[serde(default)]
        teacher: Option<i64>,
        actor_position: Option<String>,
        actor_person: Option<i64>,
    },
    /// Choose the teacher whose certification delegate table to start.
    PickCertTeacher,
    RemoveDelegate {
        id: i64,
        version: i64,
    },
    AddAbsence,
    RemoveAbsence {
        id: i64,
        version: i64,
    },
    /// Esc on a form with input: confirm throwing it away.
    DiscardForm,
    /// Quit while a form has input.
    Quit,
    /// Calendar: a new window (also a duplicate).
    CalNewEvent,
    CalEditEvent {
        id: i64,
        version: i64,
    },
    CalDeleteEvent {
        id: i64,
        version: i64,
    },
    /// Calendar: a term's span and closing ceremony (`version` None when
    /// the term is not recorded yet).
    CalTermSettings {
        term: crate::domain::roc::Term,
        version: Option<i64>,
    },
    /// Calendar: copy the term's windows to the next academic year.
    CalCopyTerm {
        term: crate::domain::roc::Term,
    },
    /// Calendar: import a CSV file (path, default term).
    CalImport,
    /// Meetings: print a meeting's agenda or minutes (format, path).
    MtExport {
        id: i64,
    },
    /// Meetings: the print's file exists; replace it (format extension, path).
    MtExportReplace {
        id: i64,
        format: String,
        path: String,
    },
    /// Calendar: export a term (format, path).
    CalExport {
        term: crate::domain::roc::Term,
    },
    /// Calendar: the export's file exists; replace it (format extension, path).
    CalExportReplace {
        term: crate::domain::roc::Term,
        format: String,
        path: String,
    },
    /// Checklists: a new item at the end of the checklist. `early` is the
    /// done date (ISO) the user was warned is before the item's window
    /// opened: saving it again with that date goes through.
    CkNewItem {
        checklist_id: i64,
        #[serde(default)]
        early: Option<String>,
    },
    CkEditItem {
        id: i64,
        version: i64,
        #[serde(default)]
        early: Option<String>,
    },
    CkDeleteItem {
        id: i64,
        version: i64,
    },
    /// Checklists: take an item out of done (someone's recorded action),
    /// with the version the screen showed.
    CkUndoDone {
        id: i64,
        version: i64,
        to: crate::domain::checklist::Status,
    },
    /// Checklists: link an item to a calendar window (picked id; 0 = none).
    CkLinkEvent {
        id: i64,
        version: i64,
    },
    /// Checklists: copy a checklist to the next academic year.
    CkCopyList {
        checklist_id: i64,
    },
    /// Checklists: save the year's checklists as a template (name form).
    CkSaveTemplate {
        year: i32,
    },
    /// Checklists: create the year's checklists from a template (picked index).
    CkFromTemplate {
        year: i32,
    },
    /// Receipts: log a discrepancy for a student of the term.
    RcLog {
        term: crate::domain::roc::Term,
        student_id: i64,
    },
    RcEditStudent {
        id: i64,
        version: i64,
    },
    RcAddStudent,
    /// Receipts: a workflow step that needs a note (corrected: what was
    /// corrected; rejected: why the data was right).
    RcStep {
        id: i64,
        version: i64,
        to: crate::domain::receipt::DStatus,
    },
    /// Receipts: re-route a discrepancy (picked index into the units).
    RcRoute {
        id: i64,
        version: i64,
    },
    /// Receipts: deem the term's silent students confirmed.
    RcDeem {
        term: crate::domain::roc::Term,
    },
    /// Receipts: take back a student's confirmation (`Y`), with the
    /// version the screen showed.
    RcUnconfirm {
        term: crate::domain::roc::Term,
        student_id: i64,
        version: i64,
    },
    /// Calendar: take a window out of done (`x` on a done window), with
    /// the version the screen showed.
    CalUndoDone {
        id: i64,
        version: i64,
    },
    /// Receipts: undo the term's deeming (the director only).
    RcUndoDeem {
        term: crate::domain::roc::Term,
    },
    /// Receipts: the term's confirmation window set by hand (blank clears).
    RcWindow {
        term: crate::domain::roc::Term,
    },
    /// Checklists: close (`close`) or reopen the year's checklists.
    CkLock {
        year: i32,
        close: bool,
    },
    /// Receipts: close (`close`) or reopen the term's receipt round.
    RcLock {
        term: crate::domain::roc::Term,
        close: bool,
    },
    /// Receipts: import a receipt CSV (path, term, encoding).
    RcImport,
    /// Receipts: import the file anyway although a term would grow by more
    /// than half (the lines wait on the screen).
    RcImportGrow,
    /// Meetings: plan a meeting (form).
    MtPlan,
    /// Meetings: change a planned meeting (form).
    MtEditMeeting {
        id: i64,
        version: i64,
    },
    MtCancel {
        id: i64,
        version: i64,
    },
    /// Meetings: move the meeting to `to` (held, confirmed).
    MtStatus {
        id: i64,
        version: i64,
        to: crate::domain::meeting::MeetingStatus,
    },
    /// Meetings: a new agenda item in `section` (form).
    MtNewItem {
        meeting_id: i64,
        section: crate::domain::meeting::Section,
    },
    /// Meetings: an item's text (planned meeting) (form).
    MtEditItem {
        id: i64,
        version: i64,
    },
    /// Meetings: an item's decision, owner and due date (held meeting) (form).
    MtDecision {
        id: i64,
        version: i64,
    },
    MtDeleteItem {
        id: i64,
        version: i64,
    },
    /// Meetings: a member's attendance (picked status).
    MtAttend {
        meeting_id: i64,
        staff_id: i64,
    },
    /// Meetings: who attends for the member (picked person).
    MtProxy {
        meeting_id: i64,
        staff_id: i64,
    },
    /// Audit: the filter form (person, dates, kind).
    AuditFilter,
}

pub enum Popup {
    Help(Help),
    Confirm(Confirm, Intent),
    Form(Form, Intent),
    Picker(Picker, Intent),
}

pub enum PopupResult {
    Confirmed(Intent),
    /// The form comes back so the screen can validate it and, on a problem,
    /// return it with messages (nothing typed is lost).
    Submitted(Form, Intent),
    Picked(i64, Intent),
}

/// What a screen may touch while handling a key.
pub struct Ctx<'a> {
    pub store: &'a mut Store,
    pub today: NaiveDate,
    pub school: Option<&'a School>,
    pub flash: &'a mut Option<Flash>,
    /// Set by whoever wrote to the store, so the app reloads.
    pub changed: bool,
    /// Reports the progress of a long action (label, done, total): the app
    /// shows a gauge on the terminal's last line and repaints afterwards.
    pub progress: &'a mut dyn FnMut(&str, usize, usize),
    /// Set by a screen that sends the user to another screen (0-based),
    /// e.g. the audit screen's Enter on a record.
    pub goto: Option<usize>,
}

impl Ctx<'_> {
    pub fn info(&mut self, msg: String) {
        *self.flash = Some(Flash::Info(msg));
    }
    pub fn error(&mut self, msg: String) {
        *self.flash = Some(Flash::Error(msg));
    }
    /// Shows a store error in the flash line.
    pub fn store_error(&mut self, e: &StoreError) {
        use crate::i18n::Localized;
        self.error(e.message());
    }
}

/// What a screen may read while drawing.
pub struct View<'a> {
    pub theme: &'a Theme,
    pub today: NaiveDate,
    pub school: Option<&'a School>,
}

pub trait Screen {
    /// i18n key of the tab title.
    fn title(&self) -> &'static str;
    /// Actions available now, most used first (feeds keys, status bar, help).
    fn commands(&self) -> Vec<Action>;
    /// True while the screen takes raw keys (its filter line is open).
    fn captures_text(&self) -> bool {
        false
    }
    fn on_text(&mut self, _ev: KeyEvent) {}
    /// True while the screen shows a box of its own over itself (a report,
    /// the calendar check): the box takes every key — those it does not
    /// handle do nothing, and only quit and help of the global keys act.
    fn modal(&self) -> bool {
        false
    }
    /// After a key given to `on_text`: read what the new selection shows
    /// (the filter may have moved it).
    fn after_text(&mut self, _store: &Store) {}
    /// Another screen this one asks the app to show (taken once).
    fn take_nav(&mut self) -> Option<Nav> {
        None
    }
    /// Shows what `nav` names, if this screen has it (true then).
    fn navigate(&mut self, _nav: Nav, _store: &Store, _today: NaiveDate) -> bool {
        false
    }
    fn on_action(&mut self, action: Action, ctx: &mut Ctx) -> Option<Popup>;
    fn on_popup(&mut self, result: PopupResult, ctx: &mut Ctx) -> Option<Popup>;
    /// Re-reads what the screen shows (after a write, or another user's).
    fn reload(&mut self, store: &Store, today: NaiveDate);
    fn draw(&self, f: &mut Frame, area: Rect, view: &View);
}
