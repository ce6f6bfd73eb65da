//! 收訖/疑義: the receipt detail (收訖明細) of a term and the students'
//! discrepancies (疑義). `[`/`]` change the term (those with receipts; by
//! default the one whose confirmation window holds today). The header says
//! the confirmation window (from the calendar or set by hand with `w`) and
//! the progress. Two lists, `v` between them:
//!
//! * students — number, name, class, seat, items received per category
//!   (基 修 成 多 幹), confirmation, open discrepancies, a leaver mark;
//!   below, the selected student's receipt lines (`→` moves into them). `y`
//!   the student confirmed, `Y` takes it back, `n` logs a discrepancy
//!   (routed to a unit by category when none is given), `e` edits the
//!   student, `N` adds one.
//! * discrepancies — number, student, class, category, kind, unit, status,
//!   due day (！ when overdue); below, the selected one's detail and steps,
//!   or (`b`) bar charts of the open ones by unit and by category. `s`
//!   investigating, `c` corrected (what), `r` data was right (why), `x`
//!   close, `R` reopen, `u` re-route, Enter goes to the student.
//!
//! `/` filters either list (words: status, unit, category, class, kind,
//! number, name, text; 逾期/overdue selects the overdue), `o` sorts. `D`
//! deems the silent students confirmed once the window has closed (where the
//! regulation says so), `U` undoes it (the director only), `I` imports a
//! receipt CSV (bad rows listed; "import the good rows only?").
//!
//! Everything shown is loaded in `reload` (after a write, or another user's)
//! into memory with lower-cased search text per row, so a key press only
//! scans memory; the selected student's lines and the selected
//! discrepancy's steps are read when the selection changes.

mod draw;
mod form;
mod import;
mod workflow;

use std::cell::Cell;
use std::collections::HashMap;

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;

use super::{Ctx, Intent, Popup, PopupResult, Screen, View};
use crate::domain::receipt::{
    Category, Confirm, ConfirmWindow, DStatus, Kind, Line, Routing, Step, StudentStatus, Via,
};
use crate::domain::roc::Term;
use crate::i18n::{Localized, tr, trf};
use crate::store::{DiscRec, Progress, Store, StudentRow};
use crate::ui::filter::Filter;
use crate::ui::keys::{Action, NAV};

/// Which list the screen shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListView {
    Students,
    Discrepancies,
}

/// What the pane under the list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    /// The selected student's lines, or the selected discrepancy's detail.
    Detail,
    /// Bar charts of the open discrepancies by unit and by category.
    Chart,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StudentSort {
    ClassSeat,
    OpenFirst,
    UnconfirmedFirst,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiscSort {
    Due,
    Reported,
    ClassSeat,
}

/// What the screen knows about a discrepancy beyond the record.
#[derive(Debug, Clone)]
pub(crate) struct DiscInfo {
    pub due: NaiveDate,
    pub overdue: bool,
    pub seat: Option<u32>,
    /// Lower-cased text the filter searches.
    pub hay: String,
}

/// Lines read from a file with bad rows, waiting for "import the good ones".
pub(crate) struct PendingImport {
    pub lines: Vec<crate::domain::receipt::LineIn>,
    pub bad_lines: usize,
    /// The file's line number of each line (same index as `lines`).
    pub line_numbers: Vec<usize>,
}

/// A box over the screen: an import's bad rows (with its question), or why
/// a file could not be read.
pub(crate) struct Report {
    pub title: String,
    /// (text, warn).
    pub lines: Vec<(String, bool)>,
    pub question: Option<String>,
    pub scroll: usize,
    pub pending: Option<PendingImport>,
}

pub struct Receipts {
    today: NaiveDate,
    has_school: bool,
    school_name: String,
    /// The regulation says silence in the window means confirmed.
    silence_rule: bool,
    /// Terms with receipts, newest first.
    pub terms: Vec<Term>,
    pub term: Option<Term>,
    /// The term to show after the next reload (an import's).
    want_term: Option<Term>,
    window: Option<ConfirmWindow>,
    progress: Progress,
    fix_end: Option<NaiveDate>,
    pub view: ListView,
    pub pane: Pane,
    students: Vec<StudentRow>,
    st_hay: Vec<String>,
    /// Indices into `students` of the rows shown, in the shown order.
    st_rows: Vec<usize>,
    st_sel: usize,
    pub st_sort: StudentSort,
    st_filter: Filter,
    /// The selected student's receipt lines, and whose (term, student id).
    lines: Vec<Line>,
    lines_of: Option<(Term, i64)>,
    /// The cursor is in the lines pane.
    in_lines: bool,
    line_sel: usize,
    discs: Vec<DiscRec>,
    d_info: Vec<DiscInfo>,
    d_rows: Vec<usize>,
    d_sel: usize,
    pub d_sort: DiscSort,
    d_filter: Filter,
    /// The selected discrepancy's steps, and whose (id, version).
    steps: Vec<Step>,
    steps_of: Option<(i64, i64)>,
    open_by_unit: Vec<(String, usize)>,
    open_by_cat: [usize; 5],
    open_total: usize,
    overdue_total: usize,
    routing: Routing,
    /// Units a discrepancy can be routed to (the routing's, then any other
    /// already used).
    units: Vec<String>,
    report: Option<Report>,
    /// Lines waiting for "import anyway?" (a term would grow by more than half).
    growth: Option<PendingImport>,
    /// `marker` when the term was last loaded: `reload` skips reading it
    /// again when nothing changed (switching back to the screen).
    loaded: Option<(i64, i64, NaiveDate)>,
    want_student: Option<i64>,
    want_disc: Option<i64>,
    error: Option<String>,
    st_offset: Cell<usize>,
    d_offset: Cell<usize>,
    line_offset: Cell<usize>,
    page: Cell<usize>,
    /// The pane under the list was drawn last time (the terminal is tall
    /// enough): only then can the cursor move into the lines.
    pane_shown: Cell<bool>,
}

/// The workflow keys and the status each moves a discrepancy to.
const WORKFLOW: [(Action, DStatus); 5] = [
    (Action::RcInvestigate, DStatus::Investigating),
    (Action::RcCorrect, DStatus::Corrected),
    (Action::RcReject, DStatus::Rejected),
    (Action::RcCloseDisc, DStatus::Closed),
    (Action::RcReopen, DStatus::Reported),
];

fn is_word(key: &str, word: &str) -> bool {
    tr(key).split('|').any(|w| w.trim().to_lowercase() == word)
}

fn label_is(key: &str, word: &str) -> bool {
    tr(key).to_lowercase() == word
}

fn student_hay(r: &StudentRow) -> String {
    let s = &r.student;
    [
        s.student_no.as_str(),
        &s.name,
        &s.class,
        &s.seat.map(|x| x.to_string()).unwrap_or_default(),
        tr(r.confirm.label_key()),
        tr(draw::confirm_short_key(r.confirm)),
        r.confirm.code(),
        tr(s.status.label_key()),
        s.status.code(),
        &s.email,
    ]
    .join("\u{1}")
    .to_lowercase()
}

fn disc_hay(d: &DiscRec) -> String {
    let x = &d.d;
    [
        format!("#{}", x.id).as_str(),
        &d.student_no,
        &d.name,
        &d.class,
        tr(x.category.label_key()),
        x.category.code(),
        tr(x.kind.label_key()),
        x.kind.code(),
        &x.unit,
        tr(x.status.label_key()),
        tr(draw::status_short_key(x.status)),
        x.status.code(),
        tr(x.via.label_key()),
        &x.detail,
        &x.resolution,
        d.item.as_deref().unwrap_or(""),
    ]
    .join("\u{1}")
    .to_lowercase()
}

/// One filter word on a student, read once per change of the filter (a
/// key press then only compares): a leaver / open word, a confirmation or a
/// status name selects those; anything else is looked for in the text.
enum StudentWord {
    Leaver,
    Open,
    Confirm(Confirm),
    Status(StudentStatus),
    Text(String),
}

impl StudentWord {
    fn read(word: &str) -> StudentWord {
        if is_word("rcscreen.word_leaver", word) {
            return StudentWord::Leaver;
        }
        if is_word("rcscreen.word_open", word) {
            return StudentWord::Open;
        }
        if let Some(c) = Confirm::ALL.iter().find(|c| {
            label_is(c.label_key(), word)
                || label_is(draw::confirm_short_key(**c), word)
                || c.code() == word
        }) {
            return StudentWord::Confirm(*c);
        }
        if let Some(s) = StudentStatus::ALL
            .iter()
            .find(|s| label_is(s.label_key(), word) || s.code() == word)
        {
            return StudentWord::Status(*s);
        }
        StudentWord::Text(word.to_string())
    }

    fn holds(&self, r: &StudentRow, hay: &str) -> bool {
        match self {
            StudentWord::Leaver => r.student.status.is_leaver(),
            StudentWord::Open => r.open > 0,
            StudentWord::Confirm(c) => r.confirm == *c,
            StudentWord::Status(s) => r.student.status == *s,
            StudentWord::Text(w) => hay.contains(w.as_str()),
        }
    }
}

/// One filter word on a discrepancy: 逾期/overdue, an open word, a status,
/// category or kind name select those; anything else is looked for in the
/// text (student, class, unit, detail…).
enum DiscWord {
    Overdue,
    Open,
    Status(DStatus),
    Category(Category),
    Kind(Kind),
    Text(String),
}

impl DiscWord {
    fn read(word: &str) -> DiscWord {
        if is_word("rcscreen.word_overdue", word) {
            return DiscWord::Overdue;
        }
        if is_word("rcscreen.word_open", word) {
            return DiscWord::Open;
        }
        if let Some(s) = DStatus::ALL.iter().find(|s| {
            label_is(s.label_key(), word)
                || label_is(draw::status_short_key(**s), word)
                || s.code() == word
        }) {
            return DiscWord::Status(*s);
        }
        if let Some(c) = Category::ALL.iter().find(|c| {
            label_is(c.label_key(), word) || label_is(c.short_key(), word) || c.code() == word
        }) {
            return DiscWord::Category(*c);
        }
        if let Some(k) = Kind::ALL
            .iter()
            .find(|k| label_is(k.label_key(), word) || k.code() == word)
        {
            return DiscWord::Kind(*k);
        }
        DiscWord::Text(word.to_string())
    }

    fn holds(&self, d: &DiscRec, info: &DiscInfo) -> bool {
        match self {
            DiscWord::Overdue => info.overdue,
            DiscWord::Open => d.d.status.is_open(),
            DiscWord::Status(s) => d.d.status == *s,
            DiscWord::Category(c) => d.d.category == *c,
            DiscWord::Kind(k) => d.d.kind == *k,
            DiscWord::Text(w) => info.hay.contains(w.as_str()),
        }
    }
}

fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

fn confirm_rank(c: Confirm) -> u8 {
    match c {
        Confirm::Unconfirmed => 0,
        Confirm::Disputed => 1,
        Confirm::Deemed => 2,
        Confirm::Confirmed => 3,
    }
}

fn status_rank(s: DStatus) -> u8 {
    match s {
        DStatus::Reported | DStatus::Investigating => 0,
        DStatus::Corrected => 1,
        DStatus::Rejected => 2,
        DStatus::Closed => 3,
    }
}

impl Receipts {
    pub fn new(today: NaiveDate) -> Receipts {
        Receipts {
            today,
            has_school: false,
            school_name: String::new(),
            silence_rule: false,
            terms: Vec::new(),
            term: None,
            want_term: None,
            window: None,
            progress: Progress::default(),
            fix_end: None,
            view: ListView::Students,
            pane: Pane::Detail,
            students: Vec::new(),
            st_hay: Vec::new(),
            st_rows: Vec::new(),
            st_sel: 0,
            st_sort: StudentSort::ClassSeat,
            st_filter: Filter::default(),
            lines: Vec::new(),
            lines_of: None,
            in_lines: false,
            line_sel: 0,
            discs: Vec::new(),
            d_info: Vec::new(),
            d_rows: Vec::new(),
            d_sel: 0,
            d_sort: DiscSort::Due,
            d_filter: Filter::default(),
            steps: Vec::new(),
            steps_of: None,
            open_by_unit: Vec::new(),
            open_by_cat: [0; 5],
            open_total: 0,
            overdue_total: 0,
            routing: Routing::default(),
            units: Vec::new(),
            report: None,
            growth: None,
            loaded: None,
            want_student: None,
            want_disc: None,
            error: None,
            st_offset: Cell::new(0),
            d_offset: Cell::new(0),
            line_offset: Cell::new(0),
            page: Cell::new(10),
            pane_shown: Cell::new(true),
        }
    }

    // ------------------------------------------------------------ selection

    pub(crate) fn selected_student(&self) -> Option<&StudentRow> {
        self.st_rows
            .get(self.st_sel)
            .and_then(|&i| self.students.get(i))
    }

    pub(crate) fn selected_disc(&self) -> Option<&DiscRec> {
        self.d_rows.get(self.d_sel).and_then(|&i| self.discs.get(i))
    }

    fn selected_disc_info(&self) -> Option<&DiscInfo> {
        self.d_rows
            .get(self.d_sel)
            .and_then(|&i| self.d_info.get(i))
    }

    pub(crate) fn selected_line(&self) -> Option<&Line> {
        if self.in_lines {
            self.lines.get(self.line_sel)
        } else {
            None
        }
    }

    fn filter(&self) -> &Filter {
        match self.view {
            ListView::Students => &self.st_filter,
            ListView::Discrepancies => &self.d_filter,
        }
    }

    fn filter_mut(&mut self) -> &mut Filter {
        match self.view {
            ListView::Students => &mut self.st_filter,
            ListView::Discrepancies => &mut self.d_filter,
        }
    }

    fn move_sel(&mut self, delta: isize) {
        let clamp = |at: usize, n: usize| {
            (at as isize + delta).clamp(0, n.saturating_sub(1) as isize) as usize
        };
        if self.in_lines {
            self.line_sel = clamp(self.line_sel, self.lines.len());
            return;
        }
        match self.view {
            ListView::Students => self.st_sel = clamp(self.st_sel, self.st_rows.len()),
            ListView::Discrepancies => self.d_sel = clamp(self.d_sel, self.d_rows.len()),
        }
    }

    /// Reads what the selection shows under the list, when it changed: the
    /// student's lines or the discrepancy's steps (one indexed query each).
    fn sync_detail(&mut self, store: &Store) {
        if self.pane != Pane::Detail {
            return;
        }
        match self.view {
            ListView::Students => {
                let key = self.term.zip(self.selected_student().map(|r| r.student.id));
                if key == self.lines_of {
                    return;
                }
                self.lines_of = key;
                self.line_sel = 0;
                self.line_offset.set(0);
                self.in_lines = false;
                self.lines = match key {
                    Some((term, id)) => store.receipt_lines(term, id).unwrap_or_else(|e| {
                        self.error = Some(e.message());
                        Vec::new()
                    }),
                    None => Vec::new(),
                };
            }
            ListView::Discrepancies => {
                let key = self.selected_disc().map(|d| (d.d.id, d.meta.version));
                if key == self.steps_of {
                    return;
                }
                self.steps_of = key;
                self.steps = match key {
                    Some((id, _)) => store.discrepancy_steps(id).unwrap_or_else(|e| {
                        self.error = Some(e.message());
                        Vec::new()
                    }),
                    None => Vec::new(),
                };
            }
        }
    }

    // ------------------------------------------------------------ data

    /// Reads the shown term: window, progress, students, discrepancies.
    fn load_term(&mut self, store: &Store) -> crate::store::Result<()> {
        let keep_student = self
            .want_student
            .take()
            .or_else(|| self.selected_student().map(|r| r.student.id));
        let keep_disc = self
            .want_disc
            .take()
            .or_else(|| self.selected_disc().map(|d| d.d.id));
        self.lines_of = None;
        self.steps_of = None;
        self.in_lines = false;
        let Some(term) = self.term else {
            self.window = None;
            self.progress = Progress::default();
            self.fix_end = None;
            self.students.clear();
            self.discs.clear();
            self.recompute();
            return Ok(());
        };
        self.window = store.confirm_window(term)?;
        self.progress = store.confirm_progress(term)?;
        self.fix_end = store.fix_window_end(term)?;
        self.students = store.receipt_overview(term)?;
        self.discs = store.discrepancies(Some(term))?;
        self.recompute();
        if let Some(id) = keep_student
            && let Some(p) = self
                .st_rows
                .iter()
                .position(|&i| self.students[i].student.id == id)
        {
            self.st_sel = p;
        }
        if let Some(id) = keep_disc
            && let Some(p) = self.d_rows.iter().position(|&i| self.discs[i].d.id == id)
        {
            self.d_sel = p;
        }
        Ok(())
    }

    /// Search text, due days, counts by unit and category, then the lists.
    fn recompute(&mut self) {
        self.st_hay = self.students.iter().map(student_hay).collect();
        let seats: HashMap<i64, Option<u32>> = self
            .students
            .iter()
            .map(|r| (r.student.id, r.student.seat))
            .collect();
        self.d_info = self
            .discs
            .iter()
            .map(|d| self.info_of(d, seats.get(&d.d.student_id).copied().flatten()))
            .collect();
        self.recount();
        self.refilter_students();
        self.refilter_discs();
    }

    fn info_of(&self, d: &DiscRec, seat: Option<u32>) -> DiscInfo {
        DiscInfo {
            due: d.d.due(self.fix_end),
            overdue: d.d.overdue(self.fix_end, self.today),
            seat,
            hay: disc_hay(d),
        }
    }

    /// Open discrepancies by unit and category, the overdue, the units.
    fn recount(&mut self) {
        self.open_by_cat = [0; 5];
        let mut by_unit: Vec<(String, usize)> = Vec::new();
        for d in self.discs.iter().filter(|d| d.d.status.is_open()) {
            self.open_by_cat[d.d.category.index()] += 1;
            match by_unit.iter_mut().find(|(u, _)| *u == d.d.unit) {
                Some(e) => e.1 += 1,
                None => by_unit.push((d.d.unit.clone(), 1)),
            }
        }
        by_unit.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        self.open_total = by_unit.iter().map(|(_, n)| n).sum();
        self.overdue_total = self.d_info.iter().filter(|i| i.overdue).count();
        self.open_by_unit = by_unit;
        let mut units = self.routing.units();
        for d in &self.discs {
            if !d.d.unit.trim().is_empty() && !units.contains(&d.d.unit) {
                units.push(d.d.unit.clone());
            }
        }
        self.units = units;
    }

    /// What tells whether the database changed since the screen loaded it:
    /// other connections' commits, the last audit row (every write has
    /// one), and the day.
    fn marker(store: &Store, today: NaiveDate) -> (i64, i64, NaiveDate) {
        let version = store.data_version().unwrap_or(-1);
        let audit = store
            .recent_audit(1)
            .ok()
            .and_then(|v| v.first().map(|a| a.id))
            .unwrap_or(0);
        (version, audit, today)
    }

    /// After a write about one student (a confirmation, a discrepancy's
    /// step, a new discrepancy `new_disc`): reads that student's row and
    /// discrepancies and the progress instead of the whole term (which
    /// takes a large school ~100 ms).
    fn refresh_student(
        &mut self,
        store: &Store,
        sid: i64,
        new_disc: Option<i64>,
    ) -> crate::store::Result<()> {
        let Some(term) = self.term else {
            return Ok(());
        };
        let keep_student = self.selected_student().map(|r| r.student.id);
        let keep_disc = new_disc.or_else(|| self.selected_disc().map(|d| d.d.id));
        if let Some(row) = store.receipt_row(term, sid)?
            && let Some(i) = self.students.iter().position(|r| r.student.id == sid)
        {
            self.st_hay[i] = student_hay(&row);
            self.students[i] = row;
        }
        let seat = self
            .students
            .iter()
            .find(|r| r.student.id == sid)
            .and_then(|r| r.student.seat);
        for j in 0..self.discs.len() {
            if self.discs[j].d.student_id == sid {
                let fresh = store.discrepancy(self.discs[j].d.id)?;
                self.d_info[j] = self.info_of(&fresh, seat);
                self.discs[j] = fresh;
            }
        }
        if let Some(id) = new_disc {
            let rec = store.discrepancy(id)?;
            // The store's order: newest report first, then the newest.
            let key = (rec.d.reported_on, rec.d.id);
            let at = self
                .discs
                .iter()
                .position(|d| (d.d.reported_on, d.d.id) < key)
                .unwrap_or(self.discs.len());
            let info = self.info_of(&rec, seat);
            self.discs.insert(at, rec);
            self.d_info.insert(at, info);
        }
        self.progress = store.confirm_progress(term)?;
        self.recount();
        self.refilter_students_keeping(keep_student);
        self.refilter_discs_keeping(keep_disc);
        self.lines_of = None;
        self.steps_of = None;
        self.loaded = Some(Self::marker(store, self.today));
        Ok(())
    }

    /// After a write about one student: read what changed, or everything
    /// when that fails.
    pub(super) fn after_write(&mut self, ctx: &mut Ctx, sid: i64, new_disc: Option<i64>) {
        if self.refresh_student(ctx.store, sid, new_disc).is_err() {
            ctx.changed = true;
        }
    }

    fn refilter_students(&mut self) {
        self.refilter_students_keeping(self.selected_student().map(|r| r.student.id));
    }

    fn refilter_students_keeping(&mut self, keep: Option<i64>) {
        let words: Vec<StudentWord> = words(&self.st_filter.text)
            .iter()
            .map(|w| StudentWord::read(w))
            .collect();
        let mut rows: Vec<usize> = (0..self.students.len())
            .filter(|&i| {
                words
                    .iter()
                    .all(|w| w.holds(&self.students[i], &self.st_hay[i]))
            })
            .collect();
        match self.st_sort {
            StudentSort::ClassSeat => {}
            StudentSort::OpenFirst => {
                rows.sort_by_key(|&i| std::cmp::Reverse(self.students[i].open));
            }
            StudentSort::UnconfirmedFirst => {
                rows.sort_by_key(|&i| confirm_rank(self.students[i].confirm));
            }
        }
        self.st_rows = rows;
        self.st_sel = keep
            .and_then(|id| {
                self.st_rows
                    .iter()
                    .position(|&i| self.students[i].student.id == id)
            })
            .unwrap_or_else(|| self.st_sel.min(self.st_rows.len().saturating_sub(1)));
    }

    fn refilter_discs(&mut self) {
        self.refilter_discs_keeping(self.selected_disc().map(|d| d.d.id));
    }

    fn refilter_discs_keeping(&mut self, keep: Option<i64>) {
        let words: Vec<DiscWord> = words(&self.d_filter.text)
            .iter()
            .map(|w| DiscWord::read(w))
            .collect();
        let mut rows: Vec<usize> = (0..self.discs.len())
            .filter(|&i| {
                words
                    .iter()
                    .all(|w| w.holds(&self.discs[i], &self.d_info[i]))
            })
            .collect();
        let (discs, info) = (&self.discs, &self.d_info);
        match self.d_sort {
            DiscSort::Due => {
                rows.sort_by_key(|&i| (status_rank(discs[i].d.status), info[i].due, discs[i].d.id))
            }
            // The store's order: newest report first.
            DiscSort::Reported => {}
            DiscSort::ClassSeat => rows.sort_by(|&a, &b| {
                (
                    &discs[a].class,
                    info[a].seat,
                    &discs[a].student_no,
                    discs[a].d.id,
                )
                    .cmp(&(
                        &discs[b].class,
                        info[b].seat,
                        &discs[b].student_no,
                        discs[b].d.id,
                    ))
            }),
        }
        self.d_rows = rows;
        self.d_sel = keep
            .and_then(|id| self.d_rows.iter().position(|&i| self.discs[i].d.id == id))
            .unwrap_or_else(|| self.d_sel.min(self.d_rows.len().saturating_sub(1)));
    }

    fn refilter(&mut self) {
        match self.view {
            ListView::Students => self.refilter_students(),
            ListView::Discrepancies => self.refilter_discs(),
        }
    }

    fn switch_term(&mut self, delta: isize, ctx: &mut Ctx) {
        let Some(cur) = self.term else {
            return;
        };
        // `terms` is newest first: `]` (delta 1) goes to a newer one.
        let at = self.terms.iter().position(|t| *t == cur).unwrap_or(0) as isize;
        let to = at - delta;
        if to < 0 || to >= self.terms.len() as isize {
            ctx.info(
                tr(if delta < 0 {
                    "rcscreen.no_older_term"
                } else {
                    "rcscreen.no_newer_term"
                })
                .into(),
            );
            return;
        }
        self.term = Some(self.terms[to as usize]);
        self.st_sel = 0;
        self.d_sel = 0;
        self.st_offset.set(0);
        self.d_offset.set(0);
        if let Err(e) = self.load_term(ctx.store) {
            ctx.store_error(&e);
        }
    }

    fn cycle_sort(&mut self, ctx: &mut Ctx) {
        let key = match self.view {
            ListView::Students => {
                self.st_sort = match self.st_sort {
                    StudentSort::ClassSeat => StudentSort::OpenFirst,
                    StudentSort::OpenFirst => StudentSort::UnconfirmedFirst,
                    StudentSort::UnconfirmedFirst => StudentSort::ClassSeat,
                };
                draw::student_sort_key(self.st_sort)
            }
            ListView::Discrepancies => {
                self.d_sort = match self.d_sort {
                    DiscSort::Due => DiscSort::Reported,
                    DiscSort::Reported => DiscSort::ClassSeat,
                    DiscSort::ClassSeat => DiscSort::Due,
                };
                draw::disc_sort_key(self.d_sort)
            }
        };
        self.refilter();
        ctx.info(trf("rcscreen.sorted", &[("order", tr(key).to_string())]));
    }

    /// Enter on a discrepancy: its student in the students view.
    fn go_student(&mut self) {
        let Some(id) = self.selected_disc().map(|d| d.d.student_id) else {
            return;
        };
        self.view = ListView::Students;
        if !self
            .st_rows
            .iter()
            .any(|&i| self.students[i].student.id == id)
        {
            self.st_filter.clear();
            self.refilter_students();
        }
        if let Some(p) = self
            .st_rows
            .iter()
            .position(|&i| self.students[i].student.id == id)
        {
            self.st_sel = p;
        }
    }

    fn can_enter_lines(&self) -> bool {
        self.view == ListView::Students
            && self.pane == Pane::Detail
            && self.pane_shown.get()
            && !self.lines.is_empty()
    }

    /// The workflow keys the selected discrepancy can take now.
    pub(crate) fn next_steps(&self) -> Vec<Action> {
        let next = self
            .selected_disc()
            .map(|d| d.d.status.next())
            .unwrap_or(&[]);
        WORKFLOW
            .iter()
            .filter(|(_, s)| next.contains(s))
            .map(|(a, _)| *a)
            .collect()
    }
}

impl Screen for Receipts {
    fn title(&self) -> &'static str {
        "tab.receipts"
    }

    fn commands(&self) -> Vec<Action> {
        if !self.has_school {
            return vec![];
        }
        if let Some(r) = &self.report {
            let mut v = Vec::new();
            if r.pending.is_some() {
                v.push(Action::RcImportGood);
            }
            v.extend([
                Action::RcCloseReport,
                Action::Up,
                Action::Down,
                Action::PageUp,
                Action::PageDown,
            ]);
            return v;
        }
        if self.term.is_none() {
            return vec![Action::RcImport, Action::RcAddStudent];
        }
        let mut v = Vec::new();
        if self.in_lines {
            v.extend([
                Action::RcLog,
                Action::RcLeaveLines,
                Action::RcConfirm,
                Action::RcUnconfirm,
            ]);
            v.extend(NAV);
            return v;
        }
        let filtering = self.filter().is_active();
        match self.view {
            ListView::Students => {
                let has_sel = self.selected_student().is_some();
                if has_sel {
                    v.extend([Action::RcConfirm, Action::RcLog]);
                }
                v.extend([Action::RcView, Action::RcFilter, Action::RcSort]);
                if has_sel && self.can_enter_lines() {
                    v.push(Action::RcLines);
                }
                v.push(Action::RcPane);
                if filtering {
                    v.push(Action::ClearFilter);
                }
                if has_sel {
                    v.extend([Action::RcEditStudent, Action::RcUnconfirm]);
                }
                v.push(Action::RcAddStudent);
            }
            ListView::Discrepancies => {
                // The workflow keys in one fixed order whatever the status
                // (the pane's title says which apply): a cursor move then
                // leaves the status bar alone (bytes over SSH).
                let has_sel = self.selected_disc().is_some();
                if has_sel {
                    v.extend(WORKFLOW.iter().map(|(a, _)| *a));
                }
                v.extend([
                    Action::RcView,
                    Action::RcFilter,
                    Action::RcSort,
                    Action::RcPane,
                ]);
                if filtering {
                    v.push(Action::ClearFilter);
                }
                if has_sel {
                    v.extend([Action::RcRoute, Action::RcGoStudent, Action::RcLog]);
                }
            }
        }
        v.extend([
            Action::RcPrevTerm,
            Action::RcNextTerm,
            Action::RcDeem,
            Action::RcUndoDeem,
            Action::RcWindow,
            Action::RcImport,
            Action::RcLock,
        ]);
        v.extend(NAV);
        v
    }

    fn modal(&self) -> bool {
        self.report.is_some()
    }

    fn captures_text(&self) -> bool {
        self.report.is_none() && self.filter().editing
    }

    fn on_text(&mut self, ev: KeyEvent) {
        if self.filter_mut().handle_key(ev) {
            match self.view {
                ListView::Students => {
                    self.st_sel = 0;
                    self.st_offset.set(0);
                }
                ListView::Discrepancies => {
                    self.d_sel = 0;
                    self.d_offset.set(0);
                }
            }
            self.refilter();
        }
    }

    fn after_text(&mut self, store: &Store) {
        self.sync_detail(store);
    }

    fn on_action(&mut self, action: Action, ctx: &mut Ctx) -> Option<Popup> {
        let popup = self.act(action, ctx);
        self.sync_detail(ctx.store);
        popup
    }

    fn on_popup(&mut self, result: PopupResult, ctx: &mut Ctx) -> Option<Popup> {
        let popup = match result {
            PopupResult::Submitted(form, Intent::RcLog { term, student_id }) => {
                self.save_log(form, term, student_id, ctx)
            }
            PopupResult::Submitted(form, intent @ Intent::RcEditStudent { .. })
            | PopupResult::Submitted(form, intent @ Intent::RcAddStudent) => {
                self.save_student(form, intent, ctx)
            }
            PopupResult::Submitted(form, Intent::RcStep { id, version, to }) => {
                self.save_step(form, id, version, to, ctx)
            }
            PopupResult::Submitted(form, Intent::RcWindow { term }) => {
                self.save_window(form, term, ctx)
            }
            PopupResult::Submitted(form, Intent::RcImport) => self.import_file(form, ctx),
            PopupResult::Picked(n, Intent::RcRoute { id, version }) => {
                self.route(id, version, n, ctx);
                None
            }
            PopupResult::Confirmed(Intent::RcImportGrow) => self.import_grown(ctx),
            PopupResult::Confirmed(Intent::RcDeem { term }) => {
                self.deem(term, ctx);
                None
            }
            PopupResult::Confirmed(Intent::RcUnconfirm {
                term,
                student_id,
                version,
            }) => {
                self.unconfirm(term, student_id, version, ctx);
                None
            }
            PopupResult::Confirmed(Intent::RcLock { term, close }) => {
                self.lock(term, close, ctx);
                None
            }
            PopupResult::Confirmed(Intent::RcUndoDeem { term }) => {
                self.undo_deem(term, ctx);
                None
            }
            _ => None,
        };
        self.sync_detail(ctx.store);
        popup
    }

    fn reload(&mut self, store: &Store, today: NaiveDate) {
        let marker = Self::marker(store, today);
        if self.loaded == Some(marker) && self.want_term.is_none() && self.error.is_none() {
            return;
        }
        self.loaded = Some(marker);
        self.today = today;
        self.error = None;
        let r = (|| -> crate::store::Result<()> {
            let school = store.school()?;
            self.has_school = school.is_some();
            let Some(school) = school else {
                return Ok(());
            };
            self.school_name = school.short_name.clone();
            self.silence_rule = school.preset.confirmation.silence_means_confirmed;
            self.routing = store.routing()?;
            self.terms = store.receipt_terms()?;
            let want = self.want_term.take().or(self.term);
            self.term = match want {
                Some(t) if self.terms.contains(&t) => Some(t),
                _ => store.current_receipt_term(today)?,
            };
            self.load_term(store)
        })();
        if let Err(e) = r {
            self.error = Some(e.message());
        }
        self.sync_detail(store);
    }

    fn draw(&self, f: &mut Frame, area: Rect, v: &View) {
        draw::draw(self, f, area, v);
    }
}

impl Receipts {
    /// The action itself (`on_action` then reads what the new selection shows).
    fn act(&mut self, action: Action, ctx: &mut Ctx) -> Option<Popup> {
        let page = self.page.get().max(1) as isize;
        if self.report.is_some() {
            match action {
                Action::RcImportGood => return self.import_pending(ctx),
                Action::RcCloseReport => self.report = None,
                Action::Up | Action::Down | Action::PageUp | Action::PageDown => {
                    if let Some(r) = &mut self.report {
                        let d: isize = match action {
                            Action::Up => -1,
                            Action::Down => 1,
                            Action::PageUp => -page,
                            _ => page,
                        };
                        r.scroll = (r.scroll as isize + d).max(0) as usize;
                    }
                }
                _ => {}
            }
            return None;
        }
        match action {
            Action::Up => self.move_sel(-1),
            Action::Down => self.move_sel(1),
            Action::PageUp => self.move_sel(-page),
            Action::PageDown => self.move_sel(page),
            Action::Top => self.move_sel(isize::MIN / 2),
            Action::Bottom => self.move_sel(isize::MAX / 2),
            Action::RcView => {
                self.in_lines = false;
                self.view = match self.view {
                    ListView::Students => ListView::Discrepancies,
                    ListView::Discrepancies => ListView::Students,
                };
            }
            Action::RcPane => {
                self.in_lines = false;
                self.pane = match self.pane {
                    Pane::Detail => Pane::Chart,
                    Pane::Chart => Pane::Detail,
                };
            }
            Action::RcLines if self.can_enter_lines() => {
                self.in_lines = true;
            }
            Action::RcLeaveLines => self.in_lines = false,
            Action::RcFilter => self.filter_mut().start(),
            Action::ClearFilter => {
                self.filter_mut().clear();
                self.refilter();
            }
            Action::RcSort => self.cycle_sort(ctx),
            Action::RcPrevTerm => self.switch_term(-1, ctx),
            Action::RcNextTerm => self.switch_term(1, ctx),
            Action::RcGoStudent => self.go_student(),
            Action::RcInvestigate => self.step_now(DStatus::Investigating, ctx),
            Action::RcCloseDisc => self.step_now(DStatus::Closed, ctx),
            Action::RcReopen => self.step_now(DStatus::Reported, ctx),
            Action::RcCorrect => return self.step_form(DStatus::Corrected, ctx),
            Action::RcReject => return self.step_form(DStatus::Rejected, ctx),
            Action::RcRoute => return self.route_picker(),
            Action::RcLog => return self.log_form(),
            Action::RcConfirm => self.confirm_student(ctx),
            Action::RcUnconfirm => return self.unconfirm_student(ctx),
            Action::RcEditStudent => return self.edit_student_form(ctx),
            Action::RcAddStudent => return Some(self.add_student_form()),
            Action::RcDeem => return self.deem_confirm(ctx),
            Action::RcUndoDeem => return self.undo_deem_confirm(ctx),
            Action::RcLock => return self.lock_confirm(ctx),
            Action::RcWindow => return self.window_form(),
            Action::RcImport => return Some(self.import_form()),
            _ => {}
        }
        None
    }
}

/// The labels a user may type for a value: its code and its names in the
/// UI language (full and short).
pub(crate) fn parse_labelled<T: Copy>(
    text: &str,
    all: &[T],
    code: impl Fn(T) -> &'static str,
    keys: impl Fn(T) -> Vec<&'static str>,
) -> Option<T> {
    let t = text.trim().to_lowercase();
    all.iter()
        .copied()
        .find(|&x| code(x) == t || keys(x).iter().any(|k| tr(k).to_lowercase() == t))
}

pub(crate) fn parse_via(text: &str) -> Option<Via> {
    parse_labelled(text, &Via::ALL, Via::code, |v| vec![v.label_key()])
}

pub(crate) fn parse_kind(text: &str) -> Option<Kind> {
    parse_labelled(text, &Kind::ALL, Kind::code, |k| vec![k.label_key()])
}

pub(crate) fn parse_category(text: &str) -> Option<Category> {
    Category::parse(text).or_else(|| {
        parse_labelled(text, &Category::ALL, Category::code, |c| {
            vec![c.label_key(), c.short_key()]
        })
    })
}

pub(crate) fn parse_status(text: &str) -> Option<StudentStatus> {
    if text.trim().is_empty() {
        return Some(StudentStatus::Enrolled);
    }
    StudentStatus::parse(text).or_else(|| {
        parse_labelled(text, &StudentStatus::ALL, StudentStatus::code, |s| {
            vec![s.label_key(), draw::leaver_short_key(s)]
        })
    })
}

/// "基本資料、修課紀錄…": the choices of a field, in the UI language.
pub(crate) fn choices(keys: impl Iterator<Item = &'static str>) -> String {
    keys.map(tr).collect::<Vec<_>>().join(tr("list.sep"))
}
