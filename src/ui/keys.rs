//! The one key table. Each row carries an action, its keys, a short label for
//! the status bar and a description for the `?` help. Screens say which
//! actions are available now (`Screen::commands`); the status bar, the help
//! overlay and key dispatch are all derived from that list and this table.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::i18n::tr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Quit,
    Help,
    NextScreen,
    PrevScreen,
    /// Jump to screen n (0-based); bound to the digit keys.
    GoScreen(u8),
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Filter,
    ClearFilter,
    New,
    Edit,
    Delete,
    /// Put someone in the selected seat.
    Assign,
    /// Empty the selected seat.
    Vacate,
    /// Switch the roster between seats and the staff directory.
    ToggleView,
    /// Staff directory: open or leave the users view (logins and roles).
    UsersView,
    PrevYear,
    NextYear,
    /// Copy the committee to the next academic year.
    CopyForward,
    /// Create the school from a preset (empty database).
    InitSchool,
    /// Delegates: switch between positions and absences.
    DelegatesView,
    /// Delegates: show everything as of another date.
    AsOf,
    /// Delegates: back to today.
    AsOfToday,
    /// Delegates: move into the selected position's rank list.
    EditRanks,
    /// Delegates: back from the rank list to the positions.
    LeaveRanks,
    AddDelegate,
    /// Delegates: start a teacher's certification delegate table.
    AddCertTable,
    RemoveDelegate,
    /// Delegates: the selected delegate one rank up.
    RankUp,
    /// Delegates: the selected delegate one rank down.
    RankDown,
    AddAbsence,
    RemoveAbsence,
    /// Calendar: month → agenda → timeline.
    CalView,
    CalNew,
    CalEdit,
    CalDelete,
    /// Calendar: a new window prefilled from the selected one.
    CalDuplicate,
    /// Calendar: mark the selected window done / not done.
    CalDone,
    /// Calendar: the calendar check (findings pane).
    CalCheck,
    /// Calendar: the term's span and closing ceremony.
    CalTermSettings,
    CalPrevTerm,
    CalNextTerm,
    /// Calendar: copy the term's windows to the next academic year.
    CalCopyTerm,
    CalImport,
    CalExport,
    CalFilter,
    /// Month view: the cursor one day back / forward, a week up / down,
    /// a month back / forward, to today.
    CalDayPrev,
    CalDayNext,
    CalWeekPrev,
    CalWeekNext,
    CalMonthPrev,
    CalMonthNext,
    CalToday,
    /// Month view: into the selected day's list of windows, and back.
    CalOpenDay,
    CalLeaveDay,
    /// Check pane: go to the finding's window.
    CalJump,
    /// Close the check pane or a report.
    CalClose,
    /// Import report: import the good rows only.
    CalImportGood,
    /// Checklists: the academic year before / after.
    CkPrevYear,
    CkNextYear,
    /// Checklists: the year's previous / next checklist (grade group).
    CkPrevList,
    CkNextList,
    /// Checklists: tick the selected item done / not done.
    CkDone,
    /// Checklists: cycle the selected item's status.
    CkStatus,
    CkEdit,
    CkNew,
    CkDelete,
    CkFilter,
    /// Checklists: by due date / in table order.
    CkSort,
    /// Checklists: only the items of the signed-in user's units.
    CkMine,
    /// Checklists: the progress pane shows gauges / the bar chart.
    CkPane,
    /// Checklists: link the selected item to a calendar window.
    CkLink,
    /// Checklists: copy this checklist to the next academic year.
    CkCopy,
    /// Checklists: save the year's checklists as a template.
    CkSaveTemplate,
    /// Checklists: create the year's checklists from a template.
    CkFromTemplate,
    /// Checklists: close (結案) the year's checklists, or reopen them.
    CkLock,
    /// Receipts: the term before / after (among terms with receipts).
    RcPrevTerm,
    RcNextTerm,
    /// Receipts: students ⇄ discrepancies.
    RcView,
    RcFilter,
    /// Receipts: cycle the sort order of the shown list.
    RcSort,
    /// Receipts: the lower pane shows the detail ⇄ the bar chart.
    RcPane,
    /// Receipts: into the selected student's receipt lines, and back.
    RcLines,
    RcLeaveLines,
    /// Receipts: discrepancy workflow steps.
    RcInvestigate,
    RcCorrect,
    RcReject,
    RcCloseDisc,
    RcReopen,
    /// Receipts: re-route the discrepancy to another unit.
    RcRoute,
    /// Receipts: from a discrepancy to its student in the students view.
    RcGoStudent,
    /// Receipts: log a discrepancy for the selected student.
    RcLog,
    /// Receipts: the student confirmed / take the confirmation back.
    RcConfirm,
    RcUnconfirm,
    RcEditStudent,
    RcAddStudent,
    /// Receipts: deem the term's silent students confirmed; undo it.
    RcDeem,
    RcUndoDeem,
    /// Receipts: set or clear the confirmation window by hand.
    RcWindow,
    RcImport,
    /// Receipts: close (結案) the term's round, or reopen it.
    RcLock,
    /// Receipts import report: import the good rows only; close.
    RcImportGood,
    RcCloseReport,
    /// Roster: open the committee's meetings view.
    OpenMeetings,
    /// Dashboard: open the meetings view (the meeting line).
    DashMeetings,
    /// Meetings: back (from the agenda to the list; from the list to the roster).
    MtBack,
    /// Meetings: from the list into the selected meeting's agenda.
    MtOpen,
    /// Meetings: plan / edit / cancel a meeting.
    MtPlan,
    MtEdit,
    MtCancel,
    /// Meetings: the next status (held, minutes confirmed).
    MtStatus,
    MtPrevYear,
    MtNextYear,
    /// Meetings: agenda items.
    MtNewItem,
    MtEditItem,
    MtDeleteItem,
    MtItemUp,
    MtItemDown,
    /// Meetings: a decision done / not done.
    MtDone,
    /// Meetings: agenda ⇄ attendance.
    MtView,
    /// Meetings: record the selected member's attendance.
    MtAttend,
    /// Audit: go to the selected change's record on its screen.
    AuGo,
    /// Audit: the filter form (person, date range, kind of record).
    AuFilterForm,
    /// Meetings: regenerate a planned meeting's reports from live data.
    MtRegenerate,
    /// Meetings: print the agenda (planned) or minutes (held) to a file.
    MtExport,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Ctrl(char),
    Code(KeyCode),
    /// Any of 1…9.
    Digit,
}

impl Key {
    fn matches(self, ev: &KeyEvent) -> bool {
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        let alt = ev.modifiers.contains(KeyModifiers::ALT);
        if alt {
            return false;
        }
        match (self, ev.code) {
            (Key::Char(c), KeyCode::Char(x)) => !ctrl && x == c,
            (Key::Ctrl(c), KeyCode::Char(x)) => ctrl && x.eq_ignore_ascii_case(&c),
            (Key::Code(KeyCode::BackTab), KeyCode::BackTab) => true,
            (Key::Code(k), code) => !ctrl && k == code,
            (Key::Digit, KeyCode::Char(x)) => !ctrl && ('1'..='9').contains(&x),
            _ => false,
        }
    }

    pub fn label(self) -> String {
        match self {
            Key::Char(' ') => tr("key.space").to_string(),
            Key::Char(c) => c.to_string(),
            Key::Ctrl(c) => format!("Ctrl-{}", c.to_ascii_uppercase()),
            Key::Digit => "1…9".to_string(),
            Key::Code(code) => match code {
                KeyCode::Up => "↑".into(),
                KeyCode::Down => "↓".into(),
                KeyCode::Left => "←".into(),
                KeyCode::Right => "→".into(),
                KeyCode::Enter => "Enter".into(),
                KeyCode::Esc => "Esc".into(),
                KeyCode::Tab => "Tab".into(),
                KeyCode::BackTab => "Shift-Tab".into(),
                KeyCode::PageUp => "PgUp".into(),
                KeyCode::PageDown => "PgDn".into(),
                KeyCode::Home => "Home".into(),
                KeyCode::End => "End".into(),
                KeyCode::Delete => "Del".into(),
                KeyCode::F(n) => format!("F{n}"),
                other => format!("{other:?}"),
            },
        }
    }
}

pub struct KeyRow {
    pub action: Action,
    pub keys: &'static [Key],
    /// i18n key of the short status-bar label.
    pub label: &'static str,
    /// i18n key of the help description.
    pub help: &'static str,
}

use Key::{Char as C, Code, Ctrl};

#[rustfmt::skip]
pub const TABLE: &[KeyRow] = &[
    KeyRow { action: Action::Up, keys: &[Code(KeyCode::Up), C('k')], label: "keys.up", help: "help.up" },
    KeyRow { action: Action::Down, keys: &[Code(KeyCode::Down), C('j')], label: "keys.down", help: "help.down" },
    KeyRow { action: Action::PageUp, keys: &[Code(KeyCode::PageUp), Ctrl('b')], label: "keys.page_up", help: "help.page_up" },
    KeyRow { action: Action::PageDown, keys: &[Code(KeyCode::PageDown), Ctrl('f')], label: "keys.page_down", help: "help.page_down" },
    KeyRow { action: Action::Top, keys: &[Code(KeyCode::Home), C('g')], label: "keys.top", help: "help.top" },
    KeyRow { action: Action::Bottom, keys: &[Code(KeyCode::End), C('G')], label: "keys.bottom", help: "help.bottom" },
    KeyRow { action: Action::Assign, keys: &[Code(KeyCode::Enter), C('a')], label: "keys.assign", help: "help.assign" },
    KeyRow { action: Action::Edit, keys: &[Code(KeyCode::Enter), C('e')], label: "keys.edit", help: "help.edit" },
    KeyRow { action: Action::New, keys: &[C('n')], label: "keys.new", help: "help.new" },
    KeyRow { action: Action::Delete, keys: &[C('d'), Code(KeyCode::Delete)], label: "keys.delete", help: "help.delete" },
    KeyRow { action: Action::Vacate, keys: &[C('d'), Code(KeyCode::Delete)], label: "keys.vacate", help: "help.vacate" },
    KeyRow { action: Action::ToggleView, keys: &[C('v')], label: "keys.toggle_view", help: "help.toggle_view" },
    KeyRow { action: Action::UsersView, keys: &[C('A')], label: "access.key_users", help: "access.help_users" },
    KeyRow { action: Action::PrevYear, keys: &[C('['), Code(KeyCode::Left)], label: "keys.prev_year", help: "help.prev_year" },
    KeyRow { action: Action::NextYear, keys: &[C(']'), Code(KeyCode::Right)], label: "keys.next_year", help: "help.next_year" },
    KeyRow { action: Action::CopyForward, keys: &[C('c')], label: "keys.copy_forward", help: "help.copy_forward" },
    KeyRow { action: Action::InitSchool, keys: &[C('i')], label: "keys.init_school", help: "help.init_school" },
    KeyRow { action: Action::EditRanks, keys: &[Code(KeyCode::Enter)], label: "delegates.key_edit_ranks", help: "delegates.help_edit_ranks" },
    KeyRow { action: Action::LeaveRanks, keys: &[Code(KeyCode::Esc)], label: "delegates.key_leave_ranks", help: "delegates.help_leave_ranks" },
    KeyRow { action: Action::AddDelegate, keys: &[C('n')], label: "delegates.key_add_delegate", help: "delegates.help_add_delegate" },
    KeyRow { action: Action::AddCertTable, keys: &[C('N')], label: "delegates.key_add_cert_table", help: "delegates.help_add_cert_table" },
    KeyRow { action: Action::RemoveDelegate, keys: &[C('d'), Code(KeyCode::Delete)], label: "delegates.key_remove_delegate", help: "delegates.help_remove_delegate" },
    KeyRow { action: Action::RankUp, keys: &[C('K'), C('+')], label: "delegates.key_rank_up", help: "delegates.help_rank_up" },
    KeyRow { action: Action::RankDown, keys: &[C('J'), C('-')], label: "delegates.key_rank_down", help: "delegates.help_rank_down" },
    KeyRow { action: Action::AddAbsence, keys: &[C('a')], label: "delegates.key_add_absence", help: "delegates.help_add_absence" },
    KeyRow { action: Action::RemoveAbsence, keys: &[C('d'), Code(KeyCode::Delete)], label: "delegates.key_remove_absence", help: "delegates.help_remove_absence" },
    KeyRow { action: Action::DelegatesView, keys: &[C('v')], label: "delegates.key_view", help: "delegates.help_view" },
    KeyRow { action: Action::AsOf, keys: &[C('t'), C(':')], label: "delegates.key_as_of", help: "delegates.help_as_of" },
    KeyRow { action: Action::AsOfToday, keys: &[C('T')], label: "delegates.key_as_of_today", help: "delegates.help_as_of_today" },
    KeyRow { action: Action::Filter, keys: &[C('/')], label: "keys.filter", help: "help.filter" },
    KeyRow { action: Action::ClearFilter, keys: &[Code(KeyCode::Esc)], label: "keys.clear_filter", help: "help.clear_filter" },
    KeyRow { action: Action::NextScreen, keys: &[Code(KeyCode::Tab)], label: "keys.next_screen", help: "help.next_screen" },
    KeyRow { action: Action::PrevScreen, keys: &[Code(KeyCode::BackTab)], label: "keys.prev_screen", help: "help.prev_screen" },
    KeyRow { action: Action::GoScreen(0), keys: &[Key::Digit], label: "keys.go_screen", help: "help.go_screen" },
    KeyRow { action: Action::Help, keys: &[C('?'), Code(KeyCode::F(1))], label: "keys.help", help: "help.help" },
    KeyRow { action: Action::Quit, keys: &[C('q'), Ctrl('q'), Ctrl('c')], label: "keys.quit", help: "help.quit" },
    KeyRow { action: Action::CalOpenDay, keys: &[Code(KeyCode::Enter)], label: "calscreen.key_open_day", help: "calscreen.help_open_day" },
    KeyRow { action: Action::CalLeaveDay, keys: &[Code(KeyCode::Esc)], label: "calscreen.key_leave_day", help: "calscreen.help_leave_day" },
    KeyRow { action: Action::CalJump, keys: &[Code(KeyCode::Enter)], label: "calscreen.key_jump", help: "calscreen.help_jump" },
    KeyRow { action: Action::CalImportGood, keys: &[C('y')], label: "calscreen.key_import_good", help: "calscreen.help_import_good" },
    KeyRow { action: Action::CalClose, keys: &[Code(KeyCode::Esc), C('n')], label: "calscreen.key_close", help: "calscreen.help_close" },
    KeyRow { action: Action::CalNew, keys: &[C('n')], label: "calscreen.key_new", help: "calscreen.help_new" },
    KeyRow { action: Action::CalEdit, keys: &[C('e'), Code(KeyCode::Enter)], label: "calscreen.key_edit", help: "calscreen.help_edit" },
    KeyRow { action: Action::CalDone, keys: &[C('x')], label: "calscreen.key_done", help: "calscreen.help_done" },
    KeyRow { action: Action::CalDelete, keys: &[C('d'), Code(KeyCode::Delete)], label: "calscreen.key_delete", help: "calscreen.help_delete" },
    KeyRow { action: Action::CalDuplicate, keys: &[C('y')], label: "calscreen.key_duplicate", help: "calscreen.help_duplicate" },
    KeyRow { action: Action::CalView, keys: &[C('v')], label: "calscreen.key_view", help: "calscreen.help_view" },
    KeyRow { action: Action::CalCheck, keys: &[C('c')], label: "calscreen.key_check", help: "calscreen.help_check" },
    KeyRow { action: Action::CalFilter, keys: &[C('/')], label: "calscreen.key_filter", help: "calscreen.help_filter" },
    KeyRow { action: Action::CalPrevTerm, keys: &[C('[')], label: "calscreen.key_prev_term", help: "calscreen.help_prev_term" },
    KeyRow { action: Action::CalNextTerm, keys: &[C(']')], label: "calscreen.key_next_term", help: "calscreen.help_next_term" },
    KeyRow { action: Action::CalTermSettings, keys: &[C('s')], label: "calscreen.key_term", help: "calscreen.help_term" },
    KeyRow { action: Action::CalCopyTerm, keys: &[C('C')], label: "calscreen.key_copy_term", help: "calscreen.help_copy_term" },
    KeyRow { action: Action::CalImport, keys: &[C('I')], label: "calscreen.key_import", help: "calscreen.help_import" },
    KeyRow { action: Action::CalExport, keys: &[C('E')], label: "calscreen.key_export", help: "calscreen.help_export" },
    KeyRow { action: Action::CalToday, keys: &[C('t'), Code(KeyCode::Home)], label: "calscreen.key_today", help: "calscreen.help_today" },
    KeyRow { action: Action::CalDayPrev, keys: &[Code(KeyCode::Left), C('h')], label: "calscreen.key_day_prev", help: "calscreen.help_day_prev" },
    KeyRow { action: Action::CalDayNext, keys: &[Code(KeyCode::Right), C('l')], label: "calscreen.key_day_next", help: "calscreen.help_day_next" },
    KeyRow { action: Action::CalWeekPrev, keys: &[Code(KeyCode::Up), C('k')], label: "calscreen.key_week_prev", help: "calscreen.help_week_prev" },
    KeyRow { action: Action::CalWeekNext, keys: &[Code(KeyCode::Down), C('j')], label: "calscreen.key_week_next", help: "calscreen.help_week_next" },
    KeyRow { action: Action::CalMonthPrev, keys: &[Code(KeyCode::PageUp), Ctrl('b')], label: "calscreen.key_month_prev", help: "calscreen.help_month_prev" },
    KeyRow { action: Action::CalMonthNext, keys: &[Code(KeyCode::PageDown), Ctrl('f')], label: "calscreen.key_month_next", help: "calscreen.help_month_next" },
    KeyRow { action: Action::CkDone, keys: &[C('x'), C(' ')], label: "ckscreen.key_done", help: "ckscreen.help_done" },
    KeyRow { action: Action::CkStatus, keys: &[C('s')], label: "ckscreen.key_status", help: "ckscreen.help_status" },
    KeyRow { action: Action::CkEdit, keys: &[C('e'), Code(KeyCode::Enter)], label: "ckscreen.key_edit", help: "ckscreen.help_edit" },
    KeyRow { action: Action::CkNew, keys: &[C('n')], label: "ckscreen.key_new", help: "ckscreen.help_new" },
    KeyRow { action: Action::CkDelete, keys: &[C('d'), Code(KeyCode::Delete)], label: "ckscreen.key_delete", help: "ckscreen.help_delete" },
    KeyRow { action: Action::CkFilter, keys: &[C('/')], label: "ckscreen.key_filter", help: "ckscreen.help_filter" },
    KeyRow { action: Action::CkSort, keys: &[C('o')], label: "ckscreen.key_sort", help: "ckscreen.help_sort" },
    KeyRow { action: Action::CkMine, keys: &[C('m')], label: "ckscreen.key_mine", help: "ckscreen.help_mine" },
    KeyRow { action: Action::CkPane, keys: &[C('v')], label: "ckscreen.key_pane", help: "ckscreen.help_pane" },
    KeyRow { action: Action::CkLink, keys: &[C('l')], label: "ckscreen.key_link", help: "ckscreen.help_link" },
    KeyRow { action: Action::CkPrevList, keys: &[C('{')], label: "ckscreen.key_prev_list", help: "ckscreen.help_prev_list" },
    KeyRow { action: Action::CkNextList, keys: &[C('}')], label: "ckscreen.key_next_list", help: "ckscreen.help_next_list" },
    KeyRow { action: Action::CkPrevYear, keys: &[C('['), Code(KeyCode::Left)], label: "ckscreen.key_prev_year", help: "ckscreen.help_prev_year" },
    KeyRow { action: Action::CkNextYear, keys: &[C(']'), Code(KeyCode::Right)], label: "ckscreen.key_next_year", help: "ckscreen.help_next_year" },
    KeyRow { action: Action::CkCopy, keys: &[C('C')], label: "ckscreen.key_copy", help: "ckscreen.help_copy" },
    KeyRow { action: Action::CkSaveTemplate, keys: &[C('T')], label: "ckscreen.key_save_template", help: "ckscreen.help_save_template" },
    KeyRow { action: Action::CkFromTemplate, keys: &[C('N')], label: "ckscreen.key_from_template", help: "ckscreen.help_from_template" },
    KeyRow { action: Action::CkLock, keys: &[C('L')], label: "access.key_lock", help: "access.help_ck_lock" },
    KeyRow { action: Action::RcImportGood, keys: &[C('y')], label: "rcscreen.key_import_good", help: "rcscreen.help_import_good" },
    KeyRow { action: Action::RcCloseReport, keys: &[Code(KeyCode::Esc), C('n')], label: "rcscreen.key_close_report", help: "rcscreen.help_close_report" },
    KeyRow { action: Action::RcLeaveLines, keys: &[Code(KeyCode::Esc), Code(KeyCode::Left), C('h')], label: "rcscreen.key_leave_lines", help: "rcscreen.help_leave_lines" },
    KeyRow { action: Action::RcLines, keys: &[Code(KeyCode::Right), C('l')], label: "rcscreen.key_lines", help: "rcscreen.help_lines" },
    KeyRow { action: Action::RcConfirm, keys: &[C('y')], label: "rcscreen.key_confirm", help: "rcscreen.help_confirm" },
    KeyRow { action: Action::RcUnconfirm, keys: &[C('Y')], label: "rcscreen.key_unconfirm", help: "rcscreen.help_unconfirm" },
    KeyRow { action: Action::RcLog, keys: &[C('n')], label: "rcscreen.key_log", help: "rcscreen.help_log" },
    KeyRow { action: Action::RcEditStudent, keys: &[C('e'), Code(KeyCode::Enter)], label: "rcscreen.key_edit_student", help: "rcscreen.help_edit_student" },
    KeyRow { action: Action::RcAddStudent, keys: &[C('N')], label: "rcscreen.key_add_student", help: "rcscreen.help_add_student" },
    KeyRow { action: Action::RcInvestigate, keys: &[C('s')], label: "rcscreen.key_investigate", help: "rcscreen.help_investigate" },
    KeyRow { action: Action::RcCorrect, keys: &[C('c')], label: "rcscreen.key_correct", help: "rcscreen.help_correct" },
    KeyRow { action: Action::RcReject, keys: &[C('r')], label: "rcscreen.key_reject", help: "rcscreen.help_reject" },
    KeyRow { action: Action::RcCloseDisc, keys: &[C('x')], label: "rcscreen.key_close_disc", help: "rcscreen.help_close_disc" },
    KeyRow { action: Action::RcReopen, keys: &[C('R')], label: "rcscreen.key_reopen", help: "rcscreen.help_reopen" },
    KeyRow { action: Action::RcRoute, keys: &[C('u')], label: "rcscreen.key_route", help: "rcscreen.help_route" },
    KeyRow { action: Action::RcGoStudent, keys: &[Code(KeyCode::Enter)], label: "rcscreen.key_go_student", help: "rcscreen.help_go_student" },
    KeyRow { action: Action::RcView, keys: &[C('v')], label: "rcscreen.key_view", help: "rcscreen.help_view" },
    KeyRow { action: Action::RcFilter, keys: &[C('/')], label: "rcscreen.key_filter", help: "rcscreen.help_filter" },
    KeyRow { action: Action::RcSort, keys: &[C('o')], label: "rcscreen.key_sort", help: "rcscreen.help_sort" },
    KeyRow { action: Action::RcPane, keys: &[C('b')], label: "rcscreen.key_pane", help: "rcscreen.help_pane" },
    KeyRow { action: Action::RcPrevTerm, keys: &[C('[')], label: "rcscreen.key_prev_term", help: "rcscreen.help_prev_term" },
    KeyRow { action: Action::RcNextTerm, keys: &[C(']')], label: "rcscreen.key_next_term", help: "rcscreen.help_next_term" },
    KeyRow { action: Action::RcDeem, keys: &[C('D')], label: "rcscreen.key_deem", help: "rcscreen.help_deem" },
    KeyRow { action: Action::RcUndoDeem, keys: &[C('U')], label: "rcscreen.key_undo_deem", help: "rcscreen.help_undo_deem" },
    KeyRow { action: Action::RcWindow, keys: &[C('w')], label: "rcscreen.key_window", help: "rcscreen.help_window" },
    KeyRow { action: Action::RcImport, keys: &[C('I')], label: "rcscreen.key_import", help: "rcscreen.help_import" },
    KeyRow { action: Action::OpenMeetings, keys: &[C('m')], label: "mtscreen.key_open_meetings", help: "mtscreen.help_open_meetings" },
    KeyRow { action: Action::DashMeetings, keys: &[Code(KeyCode::Enter)], label: "mtscreen.key_dash_meetings", help: "mtscreen.help_dash_meetings" },
    KeyRow { action: Action::MtBack, keys: &[Code(KeyCode::Esc)], label: "mtscreen.key_back", help: "mtscreen.help_back" },
    KeyRow { action: Action::MtOpen, keys: &[Code(KeyCode::Enter), Code(KeyCode::Right), C('l')], label: "mtscreen.key_open", help: "mtscreen.help_open" },
    KeyRow { action: Action::MtPlan, keys: &[C('n')], label: "mtscreen.key_plan", help: "mtscreen.help_plan" },
    KeyRow { action: Action::MtEdit, keys: &[C('e')], label: "mtscreen.key_edit", help: "mtscreen.help_edit" },
    KeyRow { action: Action::MtCancel, keys: &[C('d'), Code(KeyCode::Delete)], label: "mtscreen.key_cancel", help: "mtscreen.help_cancel" },
    KeyRow { action: Action::MtStatus, keys: &[C('s')], label: "mtscreen.key_status", help: "mtscreen.help_status" },
    KeyRow { action: Action::MtPrevYear, keys: &[C('[')], label: "mtscreen.key_prev_year", help: "mtscreen.help_prev_year" },
    KeyRow { action: Action::MtNextYear, keys: &[C(']')], label: "mtscreen.key_next_year", help: "mtscreen.help_next_year" },
    KeyRow { action: Action::MtNewItem, keys: &[C('n')], label: "mtscreen.key_new_item", help: "mtscreen.help_new_item" },
    KeyRow { action: Action::MtEditItem, keys: &[Code(KeyCode::Enter), C('e')], label: "mtscreen.key_edit_item", help: "mtscreen.help_edit_item" },
    KeyRow { action: Action::MtDeleteItem, keys: &[C('d'), Code(KeyCode::Delete)], label: "mtscreen.key_delete_item", help: "mtscreen.help_delete_item" },
    KeyRow { action: Action::MtItemUp, keys: &[C('K')], label: "mtscreen.key_item_up", help: "mtscreen.help_item_up" },
    KeyRow { action: Action::MtItemDown, keys: &[C('J')], label: "mtscreen.key_item_down", help: "mtscreen.help_item_down" },
    KeyRow { action: Action::MtDone, keys: &[C('x')], label: "mtscreen.key_done", help: "mtscreen.help_done" },
    KeyRow { action: Action::MtView, keys: &[C('v')], label: "mtscreen.key_view", help: "mtscreen.help_view" },
    KeyRow { action: Action::MtAttend, keys: &[Code(KeyCode::Enter), C('e')], label: "mtscreen.key_attend", help: "mtscreen.help_attend" },
    KeyRow { action: Action::RcLock, keys: &[C('L')], label: "access.key_lock", help: "access.help_rc_lock" },
    KeyRow { action: Action::AuGo, keys: &[Code(KeyCode::Enter)], label: "audit.key_go", help: "audit.help_go" },
    KeyRow { action: Action::AuFilterForm, keys: &[C('f')], label: "audit.key_filter_form", help: "audit.help_filter_form" },
    KeyRow { action: Action::MtRegenerate, keys: &[Code(KeyCode::F(5))], label: "agenda.key_regen", help: "agenda.help_regen" },
    KeyRow { action: Action::MtExport, keys: &[C('E')], label: "agenda.key_export", help: "agenda.help_export" },
];

/// Each screen's main verbs, marked once here: the status bar shows those a
/// screen offers first and always (`ui::status`), the others as many as fit.
#[rustfmt::skip]
pub const MAIN: &[Action] = &[
    // Home
    Action::InitSchool,
    // Roster
    Action::Assign, Action::Vacate, Action::New, Action::Edit, Action::ToggleView,
    // Delegates
    Action::EditRanks, Action::LeaveRanks, Action::AddAbsence,
    Action::RemoveAbsence, Action::DelegatesView,
    // Calendar
    Action::CalOpenDay, Action::CalLeaveDay, Action::CalNew, Action::CalEdit, Action::CalDone,
    Action::CalView, Action::CalImport, Action::CalJump, Action::CalClose, Action::CalImportGood,
    // Checklists
    Action::CkDone, Action::CkEdit, Action::CkNew, Action::CkNextList,
    // Receipts
    Action::RcConfirm, Action::RcLog, Action::RcView, Action::RcImport,
    Action::RcLeaveLines, Action::RcInvestigate, Action::RcImportGood,
    Action::RcCloseReport,
];

/// Whether `a` is one of a screen's main verbs (see [`MAIN`]).
pub fn is_main(a: Action) -> bool {
    MAIN.contains(&a)
}

/// Moving in a list: every list screen has these; the status bar leaves
/// them out (the help lists them).
pub const NAV: [Action; 6] = [
    Action::Up,
    Action::Down,
    Action::PageUp,
    Action::PageDown,
    Action::Top,
    Action::Bottom,
];

/// Actions every screen has, after its own.
pub const GLOBAL: &[Action] = &[
    Action::NextScreen,
    Action::PrevScreen,
    Action::GoScreen(0),
    Action::Help,
    Action::Quit,
];

fn same_family(a: Action, b: Action) -> bool {
    matches!((a, b), (Action::GoScreen(_), Action::GoScreen(_))) || a == b
}

pub fn row(action: Action) -> Option<&'static KeyRow> {
    TABLE.iter().find(|r| same_family(r.action, action))
}

/// The action `ev` means among the `available` ones (first match wins, so a
/// screen lists its actions before the global ones).
pub fn lookup(ev: &KeyEvent, available: &[Action]) -> Option<Action> {
    for &a in available {
        let Some(r) = row(a) else { continue };
        if let Some(k) = r.keys.iter().find(|k| k.matches(ev)) {
            if *k == Key::Digit
                && let KeyCode::Char(c) = ev.code
            {
                return Some(Action::GoScreen(c as u8 - b'1'));
            }
            return Some(a);
        }
    }
    None
}

/// "↑/k" — the keys of an action, for the status bar and help.
pub fn keys_label(action: Action) -> String {
    row(action)
        .map(|r| {
            r.keys
                .iter()
                .map(|k| k.label())
                .collect::<Vec<_>>()
                .join("/")
        })
        .unwrap_or_default()
}

/// The first key only, for the narrow status bar.
pub fn first_key_label(action: Action) -> String {
    row(action)
        .and_then(|r| r.keys.first())
        .map(|k| k.label())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn every_action_in_use_has_a_row() {
        for a in [
            Action::Quit,
            Action::Help,
            Action::NextScreen,
            Action::PrevScreen,
            Action::GoScreen(3),
            Action::Up,
            Action::Down,
            Action::PageUp,
            Action::PageDown,
            Action::Top,
            Action::Bottom,
            Action::Filter,
            Action::ClearFilter,
            Action::New,
            Action::Edit,
            Action::Delete,
            Action::Assign,
            Action::Vacate,
            Action::ToggleView,
            Action::UsersView,
            Action::PrevYear,
            Action::NextYear,
            Action::CopyForward,
            Action::InitSchool,
            Action::DelegatesView,
            Action::AsOf,
            Action::AsOfToday,
            Action::EditRanks,
            Action::LeaveRanks,
            Action::AddDelegate,
            Action::AddCertTable,
            Action::RemoveDelegate,
            Action::RankUp,
            Action::RankDown,
            Action::AddAbsence,
            Action::RemoveAbsence,
            Action::CalView,
            Action::CalNew,
            Action::CalEdit,
            Action::CalDelete,
            Action::CalDuplicate,
            Action::CalDone,
            Action::CalCheck,
            Action::CalTermSettings,
            Action::CalPrevTerm,
            Action::CalNextTerm,
            Action::CalCopyTerm,
            Action::CalImport,
            Action::CalExport,
            Action::CalFilter,
            Action::CalDayPrev,
            Action::CalDayNext,
            Action::CalWeekPrev,
            Action::CalWeekNext,
            Action::CalMonthPrev,
            Action::CalMonthNext,
            Action::CalToday,
            Action::CalOpenDay,
            Action::CalLeaveDay,
            Action::CalJump,
            Action::CalClose,
            Action::CalImportGood,
            Action::CkPrevYear,
            Action::CkNextYear,
            Action::CkPrevList,
            Action::CkNextList,
            Action::CkDone,
            Action::CkStatus,
            Action::CkEdit,
            Action::CkNew,
            Action::CkDelete,
            Action::CkFilter,
            Action::CkSort,
            Action::CkMine,
            Action::CkPane,
            Action::CkLink,
            Action::CkCopy,
            Action::CkSaveTemplate,
            Action::CkFromTemplate,
            Action::CkLock,
            Action::RcPrevTerm,
            Action::RcNextTerm,
            Action::RcView,
            Action::RcFilter,
            Action::RcSort,
            Action::RcPane,
            Action::RcLines,
            Action::RcLeaveLines,
            Action::RcInvestigate,
            Action::RcCorrect,
            Action::RcReject,
            Action::RcCloseDisc,
            Action::RcReopen,
            Action::RcRoute,
            Action::RcGoStudent,
            Action::RcLog,
            Action::RcConfirm,
            Action::RcUnconfirm,
            Action::RcEditStudent,
            Action::RcAddStudent,
            Action::RcDeem,
            Action::RcUndoDeem,
            Action::RcWindow,
            Action::RcImport,
            Action::RcLock,
            Action::RcImportGood,
            Action::RcCloseReport,
            Action::AuGo,
            Action::AuFilterForm,
        ] {
            assert!(row(a).is_some(), "{a:?} has no key row");
        }
    }

    #[test]
    fn lookup_respects_what_is_available() {
        let avail = [Action::Vacate, Action::Down, Action::Quit];
        assert_eq!(
            lookup(&ev(KeyCode::Char('d')), &avail),
            Some(Action::Vacate)
        );
        assert_eq!(lookup(&ev(KeyCode::Char('j')), &avail), Some(Action::Down));
        assert_eq!(lookup(&ev(KeyCode::Char('n')), &avail), None);
        let avail = [Action::Delete];
        assert_eq!(lookup(&ev(KeyCode::Delete), &avail), Some(Action::Delete));
    }

    #[test]
    fn digits_jump_to_screens_and_ctrl_is_distinct() {
        assert_eq!(
            lookup(&ev(KeyCode::Char('2')), GLOBAL),
            Some(Action::GoScreen(1))
        );
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(
            lookup(&ctrl_c, &[Action::CopyForward, Action::Quit]),
            Some(Action::Quit)
        );
        assert_eq!(
            lookup(
                &ev(KeyCode::Char('c')),
                &[Action::CopyForward, Action::Quit]
            ),
            Some(Action::CopyForward)
        );
    }

    /// A screen's keys are looked up before the global ones: none may take
    /// a digit, Tab, `?` or `q` from the receipts screen.
    #[test]
    fn receipt_keys_leave_the_global_keys_alone() {
        let rc: Vec<&KeyRow> = TABLE
            .iter()
            .filter(|r| format!("{:?}", r.action).starts_with("Rc"))
            .collect();
        assert_eq!(rc.len(), 27);
        let mut probes: Vec<KeyEvent> = ('!'..='~').map(|c| ev(KeyCode::Char(c))).collect();
        probes.extend([ev(KeyCode::Tab), ev(KeyCode::BackTab), ev(KeyCode::F(1))]);
        for p in probes {
            let global = lookup(&p, GLOBAL);
            let mine = rc.iter().find(|r| r.keys.iter().any(|k| k.matches(&p)));
            if let (Some(g), Some(r)) = (global, mine) {
                panic!("{:?} is {g:?} everywhere and {:?} here", p.code, r.action);
            }
        }
    }

    #[test]
    fn keys_label_lists_all_keys() {
        assert_eq!(keys_label(Action::Up), "↑/k");
        assert_eq!(keys_label(Action::GoScreen(0)), "1…9");
    }
}
