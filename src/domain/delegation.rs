//! Delegation (代理): who acts for a position — or for a teacher's course-outcome
//! certification (課程學習成果認證) — on a given date, and what is wrong with the
//! delegate tables (代理人名單).
//!
//! Pure domain logic: no I/O, no SQL and no user-facing text. The caller builds a
//! [`World`] (staff, delegate tables, absences) from the database; [`resolve`]
//! answers "who acts for this subject on this date" with the path it took, and
//! [`coverage`] lists the problems ([`Finding`]s). Every finding, skip reason and
//! table problem carries data plus `message_key()` / `args()` (keys
//! `delegation.*`), like [`crate::domain::roc::DateError`], so the UI phrases it
//! in zh-TW or en. Dates in `args()` are ROC-formatted (`112.03.01`).
//!
//! # Availability
//!
//! A person is *available* on day D when they have not left and are not inside
//! any [`Absence`] span on D. A person has left on D when `left_on <= D`, or when
//! they are inactive and no `left_on` is recorded (`left_on` after D means they
//! still worked on D, whatever `active` says now). For an absence, "until" is the
//! end of the absence containing D, extended through any absences of the same
//! person that follow on without a gap (leave to 02.28 then leave from 03.01
//! reads "until" the later end).
//!
//! A position is *held* by every person whose `positions` contain it, in
//! `World::people` order; a position nobody holds is *vacant*. Departed people
//! who still list the position count as holders (and show as departed).
//!
//! # Resolution ([`resolve`])
//!
//! 1. The subject itself: a position acts through its first available holder
//!    (people order); a teacher acts in person.
//! 2. Otherwise the subject's delegate table, in rank order (ties keep stored
//!    order). An entry whose validity period does not contain D is skipped. A
//!    position entry acts through its first available holder, a person entry if
//!    that person is available.
//! 3. **Breadth-first**: when every direct delegate is unavailable, the
//!    delegates' own tables are tried, level by level: all of rank 1's
//!    delegates, then all of rank 2's, …, and only then the delegates of those.
//!    A school expects every direct delegate to be asked before anyone's
//!    delegate-of-a-delegate ("設備組長 is rank 2 for 註冊組長, so 設備組長
//!    comes before 教學組長's own stand-in").
//! 4. Every actor (position or person) is tried at most once. Meeting it again
//!    records a [`SkipReason::AlreadyTried`] step; it is a *cycle*
//!    (`cycle: true`) when the actor met is the table's owner or one of the
//!    owner's ancestors in the search — the delegation has come back round.
//!    Such steps are never expanded, so resolution always ends.
//!
//! Whose "own table" is followed: a position entry follows the
//! [`Subject::Position`] table of that position. A person entry follows the
//! [`Subject::Teacher`] table of that person only when resolving a teacher
//! (certification substitutes); when resolving a position, person entries are
//! leaves. When the world holds several tables for one subject the first one
//! is used.
//!
//! When nobody can act the reason is, in this order: the subject has no (or an
//! empty) table → [`NoActorReason::NoDelegateTable`]; the search met a cycle →
//! [`NoActorReason::CycleReached`]; otherwise
//! [`NoActorReason::AllUnavailable`].
//!
//! # Cycles ([`find_cycles`])
//!
//! The position graph has an edge P → Q for every entry naming position Q in
//! P's table, whatever the entry's validity period (a cycle is a fault of the
//! table's design, not of one date). Elementary cycles are enumerated with
//! Johnson's algorithm (Tarjan SCCs of the subgraph of positions at or after
//! each start position). Each cycle is reported once, in **canonical
//! rotation: it starts at its position that appears first in the tables'
//! order** (scanning the tables in order, each subject before its entries),
//! which is how the school's own list reads: 鳳山's appendix gives
//! 訓育組長→活動組長→生輔組長→訓育組長 (lexicographic order would have started at
//! 活動組長). Cycles are listed by that start position, then by the table order
//! of the following positions. At most [`MAX_CYCLES`] are listed.
//!
//! # Findings ([`coverage`])
//!
//! Sorted stably, most urgent first: [`Finding::NoOneCanAct`],
//! [`Finding::NoCertificationSubstitute`], [`Finding::DelegateLeft`],
//! [`Finding::DelegateUnknown`], [`Finding::NoDelegate`], [`Finding::Cycle`],
//! [`Finding::CyclesTruncated`]; within a kind, in the positions' table order
//! (then the order of the "positions that matter" list), tables in `World`
//! order and entries in rank order, and teachers in the order passed in.

use std::cmp::Reverse;
use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use crate::domain::preset::DelegateRule;
use crate::domain::roc::{DateRange, DateStyle, format_range, format_roc};

/// Most cycles [`find_cycles`] lists; past it [`Finding::CyclesTruncated`] is reported.
pub const MAX_CYCLES: usize = 200;

// ---------------------------------------------------------------------------
// Model
// ---------------------------------------------------------------------------

/// Who a delegate entry names: a position (職稱, held by whoever holds it) or a
/// named person (staff id).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Actor {
    Position(String),
    Person(i64),
}

impl Actor {
    pub fn position(title: impl Into<String>) -> Self {
        Actor::Position(title.into())
    }

    /// The position's title, for a position entry.
    pub fn as_position(&self) -> Option<&str> {
        match self {
            Actor::Position(p) => Some(p),
            Actor::Person(_) => None,
        }
    }

    /// The title, or `#id` for a person (used where no staff list is at hand).
    fn plain_label(&self) -> String {
        match self {
            Actor::Position(p) => p.clone(),
            Actor::Person(id) => format!("#{id}"),
        }
    }
}

/// What a delegate table is for: a position, or a teacher (staff id) for
/// course-outcome certification (課程學習成果認證).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Subject {
    Position(String),
    Teacher(i64),
}

impl Subject {
    pub fn position(title: impl Into<String>) -> Self {
        Subject::Position(title.into())
    }

    /// The subject as the actor who normally does the work.
    pub fn as_actor(&self) -> Actor {
        match self {
            Subject::Position(p) => Actor::Position(p.clone()),
            Subject::Teacher(id) => Actor::Person(*id),
        }
    }

    pub fn as_position(&self) -> Option<&str> {
        match self {
            Subject::Position(p) => Some(p),
            Subject::Teacher(_) => None,
        }
    }

    fn plain_label(&self) -> String {
        self.as_actor().plain_label()
    }
}

/// One entry of a delegate table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delegate {
    /// 1 = first delegate.
    pub rank: u32,
    pub actor: Actor,
    /// The entry applies only on these days; `None` = always.
    pub valid: Option<DateRange>,
}

impl Delegate {
    pub fn new(rank: u32, actor: Actor) -> Self {
        Delegate {
            rank,
            actor,
            valid: None,
        }
    }

    pub fn valid_during(mut self, range: DateRange) -> Self {
        self.valid = Some(range);
        self
    }

    /// The entry applies on `date` (no validity period, or one containing it).
    pub fn applies_on(&self, date: NaiveDate) -> bool {
        self.valid.is_none_or(|r| r.contains(date))
    }
}

/// The delegates of one subject, ordered by rank.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DelegateTable {
    pub subject: Subject,
    pub delegates: Vec<Delegate>,
}

impl DelegateTable {
    pub fn new(subject: Subject, delegates: Vec<Delegate>) -> Self {
        DelegateTable { subject, delegates }
    }

    /// The entries by rank; equal ranks keep their stored order.
    pub fn in_rank_order(&self) -> Vec<&Delegate> {
        let mut entries: Vec<&Delegate> = self.delegates.iter().collect();
        entries.sort_by_key(|d| d.rank);
        entries
    }
}

/// What kind of absence a span is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AbsenceKind {
    /// 請假 (leave of any kind).
    Leave,
    /// The person's post is vacant for the span (出缺, e.g. between appointments).
    Vacancy,
    /// Away for the span as if departed (e.g. seconded, 借調).
    Departed,
}

/// A person is away on every day of `span`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Absence {
    pub staff_id: i64,
    pub span: DateRange,
    pub kind: AbsenceKind,
    /// As recorded (school data, not a UI string).
    pub reason: String,
}

/// A member of staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub id: i64,
    pub name: String,
    pub positions: Vec<String>,
    pub active: bool,
    pub left_on: Option<NaiveDate>,
}

impl Person {
    pub fn holds(&self, position: &str) -> bool {
        self.positions.iter().any(|p| p == position)
    }

    /// Has left the school on `date`: `left_on <= date`, or inactive with no date.
    pub fn has_left_by(&self, date: NaiveDate) -> bool {
        match self.left_on {
            Some(left) => left <= date,
            None => !self.active,
        }
    }
}

/// A person named in a result: id and name (the name as stored, for messages).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PersonRef {
    pub id: i64,
    pub name: String,
}

impl From<&Person> for PersonRef {
    fn from(p: &Person) -> Self {
        PersonRef {
            id: p.id,
            name: p.name.clone(),
        }
    }
}

/// Everything resolution needs, built by the caller from the database.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct World {
    pub people: Vec<Person>,
    pub tables: Vec<DelegateTable>,
    pub absences: Vec<Absence>,
}

/// Why a person cannot act on a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unavailability {
    /// Inside an absence span; `until` is its end (extended through absences
    /// that follow on without a gap).
    Absent {
        kind: AbsenceKind,
        until: NaiveDate,
        reason: String,
    },
    /// Has left the school (`on` = `left_on`, if recorded).
    Departed { on: Option<NaiveDate> },
}

impl Unavailability {
    pub fn message_key(&self) -> &'static str {
        match self {
            Unavailability::Absent { kind, .. } => match kind {
                AbsenceKind::Leave => "delegation.absent_leave",
                AbsenceKind::Vacancy => "delegation.absent_vacancy",
                AbsenceKind::Departed => "delegation.absent_departed",
            },
            Unavailability::Departed { on: Some(_) } => "delegation.departed",
            Unavailability::Departed { on: None } => "delegation.departed_undated",
        }
    }

    /// `until` and `reason` for an absence, `on` for a dated departure.
    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            Unavailability::Absent { until, reason, .. } => {
                vec![("until", format_roc(*until)), ("reason", reason.clone())]
            }
            Unavailability::Departed { on: Some(on) } => vec![("on", format_roc(*on))],
            Unavailability::Departed { on: None } => vec![],
        }
    }
}

impl World {
    pub fn person(&self, id: i64) -> Option<&Person> {
        self.people.iter().find(|p| p.id == id)
    }

    /// The holders of `position`, in `people` order (empty = vacant).
    pub fn holders(&self, position: &str) -> Vec<&Person> {
        self.people.iter().filter(|p| p.holds(position)).collect()
    }

    /// The first table for `subject`.
    pub fn table_for(&self, subject: &Subject) -> Option<&DelegateTable> {
        self.tables.iter().find(|t| &t.subject == subject)
    }

    /// Why `person` cannot act on `date`, or `None` if they are available.
    pub fn unavailability(&self, person: &Person, date: NaiveDate) -> Option<Unavailability> {
        if person.has_left_by(date) {
            return Some(Unavailability::Departed { on: person.left_on });
        }
        let own = || self.absences.iter().filter(|a| a.staff_id == person.id);
        // Of the absences containing the date, the one ending last (first on ties).
        let current = own()
            .filter(|a| a.span.contains(date))
            .min_by_key(|a| Reverse(a.span.end))?;
        let mut until = current.span.end;
        while let Some(next_day) = until.succ_opt() {
            let Some(end) = own()
                .filter(|a| a.span.start <= next_day && a.span.end > until)
                .map(|a| a.span.end)
                .max()
            else {
                break;
            };
            until = end;
        }
        Some(Unavailability::Absent {
            kind: current.kind,
            until,
            reason: current.reason.clone(),
        })
    }

    /// The person exists and is available on `date`.
    pub fn is_available(&self, id: i64, date: NaiveDate) -> bool {
        self.person(id)
            .is_some_and(|p| self.unavailability(p, date).is_none())
    }

    /// The name of staff `id`, or `#id` when it is not in the staff list.
    fn person_label(&self, id: i64) -> String {
        self.person(id)
            .map_or_else(|| format!("#{id}"), |p| p.name.clone())
    }

    fn actor_label(&self, actor: &Actor) -> String {
        match actor {
            Actor::Position(p) => p.clone(),
            Actor::Person(id) => self.person_label(*id),
        }
    }

    fn subject_label(&self, subject: &Subject) -> String {
        self.actor_label(&subject.as_actor())
    }

    fn person_ref(&self, id: i64) -> PersonRef {
        PersonRef {
            id,
            name: self.person_label(id),
        }
    }
}

/// Delegate tables from a preset's rules: rank = list position + 1, every
/// entry a position, no validity period.
pub fn tables_from_preset(rules: &[DelegateRule]) -> Vec<DelegateTable> {
    rules
        .iter()
        .map(|rule| DelegateTable {
            subject: Subject::Position(rule.position.clone()),
            delegates: rule
                .delegates
                .iter()
                .zip(1u32..)
                .map(|(d, rank)| Delegate::new(rank, Actor::Position(d.clone())))
                .collect(),
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Resolution
// ---------------------------------------------------------------------------

/// Where a tried entry came from: whose table, at which rank.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Via {
    pub table: Subject,
    pub rank: u32,
}

/// A person found unavailable while trying a step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnavailablePerson {
    pub person: PersonRef,
    pub why: Unavailability,
}

/// Why a step did not give someone who acts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    /// Every holder (or the named person) is unavailable; see [`Step::unavailable`].
    Unavailable,
    /// Nobody holds the position.
    Vacant,
    /// The entry names a staff id that is not in [`World::people`].
    UnknownPerson { id: i64 },
    /// The entry's validity period does not contain the date.
    OutsideValidity { valid: DateRange, date: NaiveDate },
    /// Tried earlier in this resolution. `cycle`: the delegation came back to
    /// the table's owner or one of its ancestors in the search.
    AlreadyTried { cycle: bool },
}

impl SkipReason {
    pub fn message_key(&self) -> &'static str {
        match self {
            SkipReason::Unavailable => "delegation.skip_unavailable",
            SkipReason::Vacant => "delegation.skip_vacant",
            SkipReason::UnknownPerson { .. } => "delegation.skip_unknown_person",
            SkipReason::OutsideValidity { .. } => "delegation.skip_outside_validity",
            SkipReason::AlreadyTried { cycle: false } => "delegation.skip_already_tried",
            SkipReason::AlreadyTried { cycle: true } => "delegation.skip_cycle",
        }
    }

    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            SkipReason::UnknownPerson { id } => vec![("id", id.to_string())],
            SkipReason::OutsideValidity { valid, date } => vec![
                ("valid", format_range(valid, DateStyle::Roc)),
                ("date", format_roc(*date)),
            ],
            SkipReason::Unavailable | SkipReason::Vacant | SkipReason::AlreadyTried { .. } => {
                vec![]
            }
        }
    }
}

/// What came of one step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepOutcome {
    Acts(PersonRef),
    Skipped(SkipReason),
}

/// One actor tried (or passed over) during resolution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// 0 = the subject itself, 1 = its direct delegates, 2 = their delegates, …
    pub depth: u32,
    /// The table entry this step comes from; `None` for the subject itself.
    pub via: Option<Via>,
    pub actor: Actor,
    /// The position's title or the person's name (`#id` if unknown).
    pub label: String,
    /// People found unavailable here, in the order tried (before the one who
    /// acts, or all of them when the step is skipped as unavailable).
    pub unavailable: Vec<UnavailablePerson>,
    pub outcome: StepOutcome,
}

impl Step {
    pub fn acts(&self) -> Option<&PersonRef> {
        match &self.outcome {
            StepOutcome::Acts(p) => Some(p),
            StepOutcome::Skipped(_) => None,
        }
    }

    pub fn skip_reason(&self) -> Option<&SkipReason> {
        match &self.outcome {
            StepOutcome::Acts(_) => None,
            StepOutcome::Skipped(r) => Some(r),
        }
    }

    /// The step actually tried someone or something (it is not a pass-over for
    /// an already-tried actor or an entry outside its validity period).
    pub fn is_attempt(&self) -> bool {
        !matches!(
            self.outcome,
            StepOutcome::Skipped(
                SkipReason::AlreadyTried { .. } | SkipReason::OutsideValidity { .. }
            )
        )
    }
}

/// Who acts, and through what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acting {
    pub person: PersonRef,
    /// The subject itself (depth 0) or the entry they act through.
    pub actor: Actor,
    /// The entry's table and rank; `None` when the subject acts itself.
    pub via: Option<Via>,
    pub depth: u32,
}

impl Acting {
    /// Rank of the entry within its table; `None` for the subject itself.
    pub fn rank(&self) -> Option<u32> {
        self.via.as_ref().map(|v| v.rank)
    }
}

/// Why nobody acts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoActorReason {
    /// The subject cannot act and has no delegate table (or an empty one).
    NoDelegateTable,
    /// Every delegate, direct or further down, is unavailable.
    AllUnavailable,
    /// The search came back round to `at` (the first cycle met) and nobody else could act.
    CycleReached { at: Actor },
}

impl NoActorReason {
    pub fn message_key(&self) -> &'static str {
        match self {
            NoActorReason::NoDelegateTable => "delegation.no_one_no_table",
            NoActorReason::AllUnavailable => "delegation.no_one_all_unavailable",
            NoActorReason::CycleReached { .. } => "delegation.no_one_cycle",
        }
    }

    /// `at` for a cycle (a position's title, or `#id` for a person).
    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            NoActorReason::CycleReached { at } => vec![("at", at.plain_label())],
            NoActorReason::NoDelegateTable | NoActorReason::AllUnavailable => vec![],
        }
    }
}

/// The result of a resolution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Acts(Acting),
    NoOne(NoActorReason),
}

/// Who acts for `subject` on `date`, and how that was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolution {
    pub subject: Subject,
    pub date: NaiveDate,
    /// Every step in the order taken; the last one acts when someone does.
    pub path: Vec<Step>,
    pub outcome: Outcome,
}

impl Resolution {
    pub fn acting(&self) -> Option<&Acting> {
        match &self.outcome {
            Outcome::Acts(a) => Some(a),
            Outcome::NoOne(_) => None,
        }
    }

    pub fn no_one_reason(&self) -> Option<&NoActorReason> {
        match &self.outcome {
            Outcome::Acts(_) => None,
            Outcome::NoOne(r) => Some(r),
        }
    }
}

/// Tries one actor: its label, who was unavailable, and the outcome.
fn try_actor(
    world: &World,
    actor: &Actor,
    date: NaiveDate,
) -> (String, Vec<UnavailablePerson>, StepOutcome) {
    let candidates: Vec<&Person> = match actor {
        Actor::Position(p) => {
            let holders = world.holders(p);
            if holders.is_empty() {
                return (p.clone(), vec![], StepOutcome::Skipped(SkipReason::Vacant));
            }
            holders
        }
        Actor::Person(id) => match world.person(*id) {
            Some(person) => vec![person],
            None => {
                let reason = SkipReason::UnknownPerson { id: *id };
                return (format!("#{id}"), vec![], StepOutcome::Skipped(reason));
            }
        },
    };
    let label = world.actor_label(actor);
    let mut unavailable = Vec::new();
    for person in candidates {
        match world.unavailability(person, date) {
            None => return (label, unavailable, StepOutcome::Acts(person.into())),
            Some(why) => unavailable.push(UnavailablePerson {
                person: person.into(),
                why,
            }),
        }
    }
    let outcome = StepOutcome::Skipped(SkipReason::Unavailable);
    (label, unavailable, outcome)
}

/// The table an actor's own delegates come from (see the module docs).
fn own_table_subject(actor: &Actor, teacher_context: bool) -> Option<Subject> {
    match actor {
        Actor::Position(p) => Some(Subject::Position(p.clone())),
        Actor::Person(id) if teacher_context => Some(Subject::Teacher(*id)),
        Actor::Person(_) => None,
    }
}

/// Who acts for `subject` on `date` (breadth-first over delegate tables, each
/// actor tried once; see the module docs).
pub fn resolve(world: &World, subject: &Subject, date: NaiveDate) -> Resolution {
    let teacher_context = matches!(subject, Subject::Teacher(_));
    let root = subject.as_actor();
    let mut path = Vec::new();

    let finish = |path: Vec<Step>, outcome: Outcome| Resolution {
        subject: subject.clone(),
        date,
        path,
        outcome,
    };
    let acting_from = |step: &Step, person: &PersonRef| Acting {
        person: person.clone(),
        actor: step.actor.clone(),
        via: step.via.clone(),
        depth: step.depth,
    };

    let (label, unavailable, outcome) = try_actor(world, &root, date);
    let first = Step {
        depth: 0,
        via: None,
        actor: root.clone(),
        label,
        unavailable,
        outcome,
    };
    if let Some(person) = first.acts() {
        let acting = acting_from(&first, person);
        path.push(first);
        return finish(path, Outcome::Acts(acting));
    }
    path.push(first);

    // Tried actors with the index of the node whose table led to them.
    let mut nodes: Vec<(Actor, Option<usize>)> = vec![(root.clone(), None)];
    let mut seen: HashMap<Actor, usize> = HashMap::from([(root, 0)]);
    let mut frontier = vec![0usize];
    let mut first_cycle: Option<Actor> = None;
    let mut depth = 0u32;

    while !frontier.is_empty() {
        depth += 1;
        let mut next = Vec::new();
        for &owner in &frontier {
            let Some(table_subject) = own_table_subject(&nodes[owner].0, teacher_context) else {
                continue;
            };
            let Some(table) = world.table_for(&table_subject) else {
                continue;
            };
            for entry in table.in_rank_order() {
                let via = Some(Via {
                    table: table_subject.clone(),
                    rank: entry.rank,
                });
                let pass_over = |reason: SkipReason| Step {
                    depth,
                    via: via.clone(),
                    actor: entry.actor.clone(),
                    label: world.actor_label(&entry.actor),
                    unavailable: vec![],
                    outcome: StepOutcome::Skipped(reason),
                };
                if let Some(valid) = entry.valid
                    && !valid.contains(date)
                {
                    path.push(pass_over(SkipReason::OutsideValidity { valid, date }));
                    continue;
                }
                if let Some(&earlier) = seen.get(&entry.actor) {
                    let cycle = is_ancestor_or_self(&nodes, earlier, owner);
                    if cycle && first_cycle.is_none() {
                        first_cycle = Some(entry.actor.clone());
                    }
                    path.push(pass_over(SkipReason::AlreadyTried { cycle }));
                    continue;
                }
                let (label, unavailable, outcome) = try_actor(world, &entry.actor, date);
                let step = Step {
                    depth,
                    via: via.clone(),
                    actor: entry.actor.clone(),
                    label,
                    unavailable,
                    outcome,
                };
                if let Some(person) = step.acts() {
                    let acting = acting_from(&step, person);
                    path.push(step);
                    return finish(path, Outcome::Acts(acting));
                }
                path.push(step);
                seen.insert(entry.actor.clone(), nodes.len());
                next.push(nodes.len());
                nodes.push((entry.actor.clone(), Some(owner)));
            }
        }
        frontier = next;
    }

    let has_table = world
        .table_for(subject)
        .is_some_and(|t| !t.delegates.is_empty());
    let reason = if !has_table {
        NoActorReason::NoDelegateTable
    } else if let Some(at) = first_cycle {
        NoActorReason::CycleReached { at }
    } else {
        NoActorReason::AllUnavailable
    };
    finish(path, Outcome::NoOne(reason))
}

/// `node` is `target` or descends from it in the search tree.
fn is_ancestor_or_self(nodes: &[(Actor, Option<usize>)], target: usize, node: usize) -> bool {
    let mut current = Some(node);
    while let Some(c) = current {
        if c == target {
            return true;
        }
        current = nodes[c].1;
    }
    false
}

// ---------------------------------------------------------------------------
// Cycles
// ---------------------------------------------------------------------------

/// Elementary cycles of the position graph, see [`find_cycles`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CycleReport {
    /// Each cycle once, in canonical rotation, without repeating the first
    /// position at the end: `[教學組長, 註冊組長, 設備組長]`.
    pub cycles: Vec<Vec<String>>,
    /// More than [`MAX_CYCLES`] exist; only the first ones are listed.
    pub truncated: bool,
}

/// Positions in the order they first appear in the tables (each subject
/// before its entries, entries in rank order).
fn table_order(tables: &[DelegateTable]) -> Vec<String> {
    let mut order = Vec::new();
    let mut seen = HashSet::new();
    let mut add = |p: &str| {
        if seen.insert(p.to_string()) {
            order.push(p.to_string());
        }
    };
    for table in tables {
        if let Some(p) = table.subject.as_position() {
            add(p);
        }
        for entry in table.in_rank_order() {
            if let Some(p) = entry.actor.as_position() {
                add(p);
            }
        }
    }
    order
}

/// The elementary cycles of the position graph (P → Q for each entry naming
/// position Q in P's table, any validity period), each once, starting at the
/// position that appears first in the tables. Johnson's algorithm.
pub fn find_cycles(tables: &[DelegateTable]) -> CycleReport {
    let order = table_order(tables);
    let index: HashMap<&str, usize> = order
        .iter()
        .enumerate()
        .map(|(i, p)| (p.as_str(), i))
        .collect();
    let mut adj: Vec<Vec<usize>> = vec![Vec::new(); order.len()];
    for table in tables {
        let Some(from) = table.subject.as_position() else {
            continue;
        };
        let from = index[from];
        for entry in table.in_rank_order() {
            if let Some(to) = entry.actor.as_position() {
                let to = index[to];
                if !adj[from].contains(&to) {
                    adj[from].push(to);
                }
            }
        }
    }
    let (cycles, truncated) = johnson(&adj, MAX_CYCLES);
    CycleReport {
        cycles: cycles
            .into_iter()
            .map(|c| c.into_iter().map(|i| order[i].clone()).collect())
            .collect(),
        truncated,
    }
}

/// Strongly connected components of the subgraph of nodes `>= min`
/// (Tarjan, iterative). Returns each node's component id (`usize::MAX` below `min`).
fn tarjan_scc(adj: &[Vec<usize>], min: usize) -> Vec<usize> {
    const NONE: usize = usize::MAX;
    let n = adj.len();
    let mut index = vec![NONE; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut comp = vec![NONE; n];
    let mut stack = Vec::new();
    let mut next_index = 0;
    let mut next_comp = 0;
    for start in min..n {
        if index[start] != NONE {
            continue;
        }
        // (node, position in its adjacency list)
        let mut call: Vec<(usize, usize)> = vec![(start, 0)];
        index[start] = next_index;
        low[start] = next_index;
        next_index += 1;
        stack.push(start);
        on_stack[start] = true;
        while let Some(&(v, i)) = call.last() {
            if let Some(&w) = adj[v].get(i) {
                let top = call.len() - 1;
                call[top].1 += 1;
                if w < min {
                    continue;
                }
                if index[w] == NONE {
                    index[w] = next_index;
                    low[w] = next_index;
                    next_index += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    call.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
            } else {
                call.pop();
                if let Some(&(parent, _)) = call.last() {
                    low[parent] = low[parent].min(low[v]);
                }
                if low[v] == index[v] {
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        comp[w] = next_comp;
                        if w == v {
                            break;
                        }
                    }
                    next_comp += 1;
                }
            }
        }
    }
    comp
}

struct Johnson<'a> {
    adj: &'a [Vec<usize>],
    in_scope: Vec<bool>,
    blocked: Vec<bool>,
    blocked_by: Vec<Vec<usize>>,
    stack: Vec<usize>,
    cycles: Vec<Vec<usize>>,
    limit: usize,
    truncated: bool,
}

impl Johnson<'_> {
    fn unblock(&mut self, u: usize) {
        let mut work = vec![u];
        while let Some(u) = work.pop() {
            if !self.blocked[u] {
                continue;
            }
            self.blocked[u] = false;
            work.append(&mut self.blocked_by[u]);
        }
    }

    /// Johnson's CIRCUIT(v) for start `s`; true if a cycle through `v` was found.
    fn circuit(&mut self, v: usize, s: usize) -> bool {
        let mut found = false;
        self.stack.push(v);
        self.blocked[v] = true;
        for &w in &self.adj[v] {
            if self.truncated {
                break;
            }
            if !self.in_scope[w] {
                continue;
            }
            if w == s {
                if self.cycles.len() == self.limit {
                    self.truncated = true;
                    break;
                }
                self.cycles.push(self.stack.clone());
                found = true;
            } else if !self.blocked[w] && self.circuit(w, s) {
                found = true;
            }
        }
        if found {
            self.unblock(v);
        } else {
            for &w in &self.adj[v] {
                if self.in_scope[w] && !self.blocked_by[w].contains(&v) {
                    self.blocked_by[w].push(v);
                }
            }
        }
        self.stack.pop();
        found
    }
}

/// All elementary cycles, each starting at its smallest node, in order of that
/// node (Johnson 1975). At most `limit`; the flag says more exist.
fn johnson(adj: &[Vec<usize>], limit: usize) -> (Vec<Vec<usize>>, bool) {
    let n = adj.len();
    let mut state = Johnson {
        adj,
        in_scope: vec![false; n],
        blocked: vec![false; n],
        blocked_by: vec![Vec::new(); n],
        stack: Vec::new(),
        cycles: Vec::new(),
        limit,
        truncated: false,
    };
    for s in 0..n {
        if state.truncated {
            break;
        }
        let comp = tarjan_scc(adj, s);
        let members: Vec<usize> = (s..n).filter(|&v| comp[v] == comp[s]).collect();
        if members.len() == 1 && !adj[s].contains(&s) {
            continue;
        }
        state.in_scope.fill(false);
        for &v in &members {
            state.in_scope[v] = true;
            state.blocked[v] = false;
            state.blocked_by[v].clear();
        }
        state.circuit(s, s);
    }
    (state.cycles, state.truncated)
}

// ---------------------------------------------------------------------------
// Coverage
// ---------------------------------------------------------------------------

/// A coverage problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// Nobody can act for `position` on `date`.
    NoOneCanAct {
        position: String,
        date: NaiveDate,
        reason: NoActorReason,
    },
    /// A teacher with uncertified items is unavailable and no certification
    /// substitute can act.
    NoCertificationSubstitute {
        teacher: PersonRef,
        date: NaiveDate,
        reason: NoActorReason,
    },
    /// An entry names a person who has left (`departed` = that person), or a
    /// position all of whose holders have left (`departed` = those holders).
    DelegateLeft {
        subject: Subject,
        subject_label: String,
        rank: u32,
        delegate: Actor,
        delegate_label: String,
        departed: Vec<PersonRef>,
    },
    /// An entry names a staff id that is not in the staff list.
    DelegateUnknown {
        subject: Subject,
        subject_label: String,
        rank: u32,
        id: i64,
    },
    /// A position that matters has no delegate table, or an empty one.
    NoDelegate { position: String },
    /// A cycle in the position graph, in canonical rotation (see [`find_cycles`]).
    Cycle { positions: Vec<String> },
    /// Only the first `limit` cycles are reported.
    CyclesTruncated { limit: usize },
}

impl Finding {
    /// Sort key: most urgent kind first.
    fn kind_order(&self) -> u8 {
        match self {
            Finding::NoOneCanAct { .. } => 0,
            Finding::NoCertificationSubstitute { .. } => 1,
            Finding::DelegateLeft { .. } => 2,
            Finding::DelegateUnknown { .. } => 3,
            Finding::NoDelegate { .. } => 4,
            Finding::Cycle { .. } => 5,
            Finding::CyclesTruncated { .. } => 6,
        }
    }

    pub fn message_key(&self) -> &'static str {
        match self {
            Finding::NoOneCanAct { reason, .. } => match reason {
                NoActorReason::NoDelegateTable => "delegation.finding_no_one_no_table",
                NoActorReason::AllUnavailable => "delegation.finding_no_one_all_unavailable",
                NoActorReason::CycleReached { .. } => "delegation.finding_no_one_cycle",
            },
            Finding::NoCertificationSubstitute { reason, .. } => match reason {
                NoActorReason::NoDelegateTable => "delegation.finding_no_cert_substitute_no_table",
                NoActorReason::AllUnavailable => {
                    "delegation.finding_no_cert_substitute_all_unavailable"
                }
                NoActorReason::CycleReached { .. } => "delegation.finding_no_cert_substitute_cycle",
            },
            Finding::DelegateLeft { delegate, .. } => match delegate {
                Actor::Person(_) => "delegation.finding_delegate_left_person",
                Actor::Position(_) => "delegation.finding_delegate_left_position",
            },
            Finding::DelegateUnknown { .. } => "delegation.finding_delegate_unknown",
            Finding::NoDelegate { .. } => "delegation.finding_no_delegate",
            Finding::Cycle { .. } => "delegation.finding_cycle",
            Finding::CyclesTruncated { .. } => "delegation.finding_cycles_truncated",
        }
    }

    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            Finding::NoOneCanAct {
                position,
                date,
                reason,
            } => {
                let mut args = vec![("position", position.clone()), ("date", format_roc(*date))];
                args.extend(reason.args());
                args
            }
            Finding::NoCertificationSubstitute {
                teacher,
                date,
                reason,
            } => {
                let mut args = vec![
                    ("teacher", teacher.name.clone()),
                    ("teacher_id", teacher.id.to_string()),
                    ("date", format_roc(*date)),
                ];
                args.extend(reason.args());
                args
            }
            Finding::DelegateLeft {
                subject_label,
                rank,
                delegate_label,
                departed,
                ..
            } => vec![
                ("subject", subject_label.clone()),
                ("rank", rank.to_string()),
                ("delegate", delegate_label.clone()),
                ("count", departed.len().to_string()),
            ],
            Finding::DelegateUnknown {
                subject_label,
                rank,
                id,
                ..
            } => vec![
                ("subject", subject_label.clone()),
                ("rank", rank.to_string()),
                ("id", id.to_string()),
            ],
            Finding::NoDelegate { position } => vec![("position", position.clone())],
            Finding::Cycle { positions } => {
                let mut closed = positions.clone();
                closed.extend(positions.first().cloned());
                vec![
                    ("cycle", closed.join("→")),
                    ("length", positions.len().to_string()),
                ]
            }
            Finding::CyclesTruncated { limit } => vec![("limit", limit.to_string())],
        }
    }
}

/// Coverage problems on `date`.
///
/// The positions checked are every position in a table (as subject or entry),
/// then `positions_that_matter` (e.g. the committee's ex-officio seat titles).
/// `teachers_with_uncertified` are the staff ids of teachers with items still
/// to certify; each one unavailable on `date` with nobody to act through their
/// [`Subject::Teacher`] table gives [`Finding::NoCertificationSubstitute`].
/// Entries whose validity period ended before `date` are history and are not
/// checked for departed delegates. Sorting: see the module docs.
pub fn coverage<S: AsRef<str>>(
    world: &World,
    date: NaiveDate,
    positions_that_matter: &[S],
    teachers_with_uncertified: &[i64],
) -> Vec<Finding> {
    let mut positions = table_order(&world.tables);
    let mut listed: HashSet<String> = positions.iter().cloned().collect();
    for p in positions_that_matter {
        if listed.insert(p.as_ref().to_string()) {
            positions.push(p.as_ref().to_string());
        }
    }

    let mut findings = Vec::new();

    for position in &positions {
        let resolution = resolve(world, &Subject::Position(position.clone()), date);
        if let Outcome::NoOne(reason) = resolution.outcome {
            findings.push(Finding::NoOneCanAct {
                position: position.clone(),
                date,
                reason,
            });
        }
    }

    let mut teachers_seen = HashSet::new();
    for &id in teachers_with_uncertified {
        if !teachers_seen.insert(id) {
            continue;
        }
        let resolution = resolve(world, &Subject::Teacher(id), date);
        if let Outcome::NoOne(reason) = resolution.outcome {
            findings.push(Finding::NoCertificationSubstitute {
                teacher: world.person_ref(id),
                date,
                reason,
            });
        }
    }

    for table in &world.tables {
        for entry in table.in_rank_order() {
            if entry.valid.is_some_and(|r| r.end < date) {
                continue;
            }
            let departed: Vec<PersonRef> = match &entry.actor {
                Actor::Person(id) => match world.person(*id) {
                    None => {
                        findings.push(Finding::DelegateUnknown {
                            subject: table.subject.clone(),
                            subject_label: world.subject_label(&table.subject),
                            rank: entry.rank,
                            id: *id,
                        });
                        continue;
                    }
                    Some(p) if p.has_left_by(date) => vec![p.into()],
                    Some(_) => continue,
                },
                Actor::Position(p) => {
                    let holders = world.holders(p);
                    if holders.is_empty() || !holders.iter().all(|h| h.has_left_by(date)) {
                        continue;
                    }
                    holders.into_iter().map(PersonRef::from).collect()
                }
            };
            findings.push(Finding::DelegateLeft {
                subject: table.subject.clone(),
                subject_label: world.subject_label(&table.subject),
                rank: entry.rank,
                delegate: entry.actor.clone(),
                delegate_label: world.actor_label(&entry.actor),
                departed,
            });
        }
    }

    for position in &positions {
        let has_delegates = world
            .tables
            .iter()
            .any(|t| t.subject.as_position() == Some(position.as_str()) && !t.delegates.is_empty());
        if !has_delegates {
            findings.push(Finding::NoDelegate {
                position: position.clone(),
            });
        }
    }

    let report = find_cycles(&world.tables);
    findings.extend(
        report
            .cycles
            .into_iter()
            .map(|positions| Finding::Cycle { positions }),
    );
    if report.truncated {
        findings.push(Finding::CyclesTruncated { limit: MAX_CYCLES });
    }

    findings.sort_by_key(Finding::kind_order);
    findings
}

// ---------------------------------------------------------------------------
// Table validation
// ---------------------------------------------------------------------------

/// What is wrong with a table being saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TableProblemKind {
    /// An entry names the subject itself.
    SelfDelegate { rank: u32, actor: Actor },
    /// Two entries share a rank.
    DuplicateRank {
        rank: u32,
        first: Actor,
        second: Actor,
    },
    /// The same actor appears twice.
    DuplicateActor {
        actor: Actor,
        first_rank: u32,
        second_rank: u32,
    },
    /// The smallest rank is not 1 (`actor` holds it).
    RanksNotFromOne { first: u32, actor: Actor },
    /// Rank `next` follows rank `after` with a gap (`actor` holds `next`).
    RankGap { after: u32, next: u32, actor: Actor },
}

/// A refused table: its subject and the first problem found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableProblem {
    pub subject: Subject,
    pub kind: TableProblemKind,
}

impl TableProblem {
    pub fn message_key(&self) -> &'static str {
        match self.kind {
            TableProblemKind::SelfDelegate { .. } => "delegation.table_self_delegate",
            TableProblemKind::DuplicateRank { .. } => "delegation.table_duplicate_rank",
            TableProblemKind::DuplicateActor { .. } => "delegation.table_duplicate_actor",
            TableProblemKind::RanksNotFromOne { .. } => "delegation.table_ranks_not_from_one",
            TableProblemKind::RankGap { .. } => "delegation.table_rank_gap",
        }
    }

    /// Always starts with `("subject", …)`. Positions appear by title, people
    /// as `#id` (the table alone has no names).
    pub fn args(&self) -> Vec<(&'static str, String)> {
        let mut args = vec![("subject", self.subject.plain_label())];
        match &self.kind {
            TableProblemKind::SelfDelegate { rank, actor } => {
                args.push(("rank", rank.to_string()));
                args.push(("delegate", actor.plain_label()));
            }
            TableProblemKind::DuplicateRank {
                rank,
                first,
                second,
            } => {
                args.push(("rank", rank.to_string()));
                args.push(("first", first.plain_label()));
                args.push(("second", second.plain_label()));
            }
            TableProblemKind::DuplicateActor {
                actor,
                first_rank,
                second_rank,
            } => {
                args.push(("delegate", actor.plain_label()));
                args.push(("first_rank", first_rank.to_string()));
                args.push(("second_rank", second_rank.to_string()));
            }
            TableProblemKind::RanksNotFromOne { first, actor } => {
                args.push(("first", first.to_string()));
                args.push(("delegate", actor.plain_label()));
            }
            TableProblemKind::RankGap { after, next, actor } => {
                args.push(("after", after.to_string()));
                args.push(("next", next.to_string()));
                args.push(("delegate", actor.plain_label()));
            }
        }
        args
    }
}

/// Refuses a table with an entry naming its subject, a duplicate rank, the
/// same actor twice, or ranks that do not run 1, 2, 3, … without gaps.
/// Entries are checked in stored order (self, then duplicate rank, then
/// duplicate actor), then the ranks. Stored order need not be rank order, and
/// an empty table is valid (coverage reports it).
pub fn validate_table(table: &DelegateTable) -> Result<(), TableProblem> {
    let refuse = |kind| {
        Err(TableProblem {
            subject: table.subject.clone(),
            kind,
        })
    };
    let own = table.subject.as_actor();
    let mut by_rank: HashMap<u32, &Actor> = HashMap::new();
    let mut by_actor: HashMap<&Actor, u32> = HashMap::new();
    for entry in &table.delegates {
        if entry.actor == own {
            return refuse(TableProblemKind::SelfDelegate {
                rank: entry.rank,
                actor: entry.actor.clone(),
            });
        }
        if let Some(first) = by_rank.get(&entry.rank) {
            return refuse(TableProblemKind::DuplicateRank {
                rank: entry.rank,
                first: (*first).clone(),
                second: entry.actor.clone(),
            });
        }
        if let Some(&first_rank) = by_actor.get(&entry.actor) {
            return refuse(TableProblemKind::DuplicateActor {
                actor: entry.actor.clone(),
                first_rank,
                second_rank: entry.rank,
            });
        }
        by_rank.insert(entry.rank, &entry.actor);
        by_actor.insert(&entry.actor, entry.rank);
    }
    let sorted = table.in_rank_order();
    if let Some(first) = sorted.first()
        && first.rank != 1
    {
        return refuse(TableProblemKind::RanksNotFromOne {
            first: first.rank,
            actor: first.actor.clone(),
        });
    }
    for pair in sorted.windows(2) {
        if pair[1].rank != pair[0].rank + 1 {
            return refuse(TableProblemKind::RankGap {
                after: pair[0].rank,
                next: pair[1].rank,
                actor: pair[1].actor.clone(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::preset;
    use crate::domain::roc::{parse_date, parse_range};
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    fn r(s: &str) -> DateRange {
        parse_range(s).unwrap()
    }

    fn pos(p: &str) -> Actor {
        Actor::position(p)
    }

    fn person(id: i64, name: &str, positions: &[&str]) -> Person {
        Person {
            id,
            name: name.to_string(),
            positions: positions.iter().map(|p| p.to_string()).collect(),
            active: true,
            left_on: None,
        }
    }

    /// A table naming positions, ranks 1, 2, …
    fn table(subject: &str, delegates: &[&str]) -> DelegateTable {
        tables_from_preset(&[DelegateRule {
            position: subject.to_string(),
            delegates: delegates.iter().map(|p| p.to_string()).collect(),
        }])
        .remove(0)
    }

    fn leave(staff_id: i64, span: &str) -> Absence {
        Absence {
            staff_id,
            span: r(span),
            kind: AbsenceKind::Leave,
            reason: "事假".to_string(),
        }
    }

    fn fengshan_tables() -> Vec<DelegateTable> {
        tables_from_preset(&preset::by_key("fengshan").unwrap().delegates)
    }

    /// The path as one line: `label (name) key[args] → …`.
    fn render(res: &Resolution) -> String {
        fn with_args(key: &str, args: Vec<(&'static str, String)>) -> String {
            let shown: Vec<String> = args
                .into_iter()
                .filter(|(k, _)| *k != "reason")
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            if shown.is_empty() {
                key.to_string()
            } else {
                format!("{key}[{}]", shown.join(","))
            }
        }
        res.path
            .iter()
            .map(|step| {
                let mut s = step.label.clone();
                for u in &step.unavailable {
                    s += &format!(
                        " ({}) {}",
                        u.person.name,
                        with_args(u.why.message_key(), u.why.args())
                    );
                }
                match &step.outcome {
                    StepOutcome::Acts(p) => s += &format!(" ({}) acts", p.name),
                    StepOutcome::Skipped(SkipReason::Unavailable) => {}
                    StepOutcome::Skipped(reason) => {
                        s += &format!(" {}", with_args(reason.message_key(), reason.args()))
                    }
                }
                s
            })
            .collect::<Vec<_>>()
            .join(" → ")
    }

    fn labels(res: &Resolution) -> Vec<&str> {
        res.path.iter().map(|s| s.label.as_str()).collect()
    }

    fn acting_id(res: &Resolution) -> Option<i64> {
        res.acting().map(|a| a.person.id)
    }

    // --- resolution ---------------------------------------------------------

    #[test]
    fn example_path_reads_as_documented() {
        let world = World {
            people: vec![
                person(1, "王小明", &["註冊組長"]),
                person(2, "李大華", &["設備組長"]),
            ],
            tables: vec![table("註冊組長", &["設備組長"])],
            absences: vec![leave(1, "112.02.01~112.03.01")],
        };
        let res = resolve(&world, &Subject::position("註冊組長"), d("112.02.20"));
        assert_eq!(
            render(&res),
            "註冊組長 (王小明) delegation.absent_leave[until=112.03.01] → 設備組長 (李大華) acts"
        );
        let acting = res.acting().unwrap();
        assert_eq!(acting.person.id, 2);
        assert_eq!(acting.actor, pos("設備組長"));
        assert_eq!(acting.rank(), Some(1));
        assert_eq!(acting.depth, 1);
        assert_eq!(
            acting.via,
            Some(Via {
                table: Subject::position("註冊組長"),
                rank: 1
            })
        );
        // The day after the leave the holder acts again.
        let back = resolve(&world, &Subject::position("註冊組長"), d("112.03.02"));
        assert_eq!(acting_id(&back), Some(1));
        assert_eq!(back.acting().unwrap().rank(), None);
        assert_eq!(back.path.len(), 1);
    }

    #[test]
    fn simple_rank_skip() {
        let world = World {
            people: vec![
                person(1, "甲", &["A"]),
                person(2, "乙", &["B"]),
                person(3, "丙", &["C"]),
            ],
            tables: vec![table("A", &["B", "C"])],
            absences: vec![leave(1, "112.02.01~28"), leave(2, "112.02.20")],
        };
        let res = resolve(&world, &Subject::position("A"), d("112.02.20"));
        assert_eq!(acting_id(&res), Some(3));
        assert_eq!(res.acting().unwrap().rank(), Some(2));
        assert_eq!(labels(&res), ["A", "B", "C"]);
        assert_eq!(res.path[1].skip_reason(), Some(&SkipReason::Unavailable));
        // B is back the next day: rank 1 acts.
        let res = resolve(&world, &Subject::position("A"), d("112.02.21"));
        assert_eq!(acting_id(&res), Some(2));
    }

    #[test]
    fn first_available_holder_acts_in_people_order() {
        let world = World {
            people: vec![
                person(1, "甲", &["導師"]),
                person(2, "乙", &["導師", "訓育組長"]),
            ],
            tables: vec![],
            absences: vec![leave(1, "112.02.20")],
        };
        let res = resolve(&world, &Subject::position("導師"), d("112.02.20"));
        assert_eq!(acting_id(&res), Some(2));
        assert_eq!(res.path.len(), 1);
        assert_eq!(res.path[0].unavailable.len(), 1);
        assert_eq!(res.path[0].unavailable[0].person.id, 1);
        let res = resolve(&world, &Subject::position("導師"), d("112.02.21"));
        assert_eq!(acting_id(&res), Some(1));
    }

    #[test]
    fn nested_delegation_follows_a_delegates_own_table() {
        let world = World {
            people: vec![
                person(1, "甲", &["A"]),
                person(2, "乙", &["B"]),
                person(3, "丙", &["C"]),
                person(4, "丁", &["D"]),
                person(5, "戊", &["E"]),
            ],
            tables: vec![
                table("A", &["B", "C"]),
                table("B", &["D"]),
                table("C", &["E"]),
            ],
            absences: vec![
                leave(1, "112.02.20"),
                leave(2, "112.02.20"),
                leave(3, "112.02.20"),
            ],
        };
        let res = resolve(&world, &Subject::position("A"), d("112.02.20"));
        assert_eq!(acting_id(&res), Some(4));
        let acting = res.acting().unwrap();
        assert_eq!(acting.depth, 2);
        assert_eq!(
            acting.via,
            Some(Via {
                table: Subject::position("B"),
                rank: 1
            })
        );
        assert_eq!(labels(&res), ["A", "B", "C", "D"]);
        assert_eq!(
            res.path.iter().map(|s| s.depth).collect::<Vec<_>>(),
            [0, 1, 1, 2]
        );
    }

    #[test]
    fn breadth_first_every_direct_delegate_before_a_delegates_delegate() {
        // A → [B, C], B → [D]; A and B away, C and D present.
        // Depth-first would give D (B's delegate); breadth-first gives C (A's rank 2).
        let world = World {
            people: vec![
                person(1, "甲", &["A"]),
                person(2, "乙", &["B"]),
                person(3, "丙", &["C"]),
                person(4, "丁", &["D"]),
            ],
            tables: vec![table("A", &["B", "C"]), table("B", &["D"])],
            absences: vec![leave(1, "112.02.20"), leave(2, "112.02.20")],
        };
        let res = resolve(&world, &Subject::position("A"), d("112.02.20"));
        assert_eq!(acting_id(&res), Some(3));
        assert_eq!(labels(&res), ["A", "B", "C"]);
    }

    #[test]
    fn fengshan_cycle_stops_with_reason_cycle() {
        let world = World {
            people: vec![
                person(1, "教學", &["教學組長"]),
                person(2, "註冊", &["註冊組長"]),
                person(3, "設備", &["設備組長"]),
                person(4, "教務", &["教務主任"]),
            ],
            tables: fengshan_tables(),
            absences: (1..=4).map(|id| leave(id, "112.02.01~28")).collect(),
        };
        let res = resolve(&world, &Subject::position("教學組長"), d("112.02.20"));
        assert_eq!(
            res.outcome,
            Outcome::NoOne(NoActorReason::CycleReached {
                at: pos("教學組長")
            })
        );
        assert_eq!(
            labels(&res),
            ["教學組長", "註冊組長", "設備組長", "教學組長"]
        );
        assert_eq!(
            res.path[3].skip_reason(),
            Some(&SkipReason::AlreadyTried { cycle: true })
        );
        assert!(res.path.iter().all(|s| s.acts().is_none()));

        // 教務主任 leads into the same cycle.
        let res = resolve(&world, &Subject::position("教務主任"), d("112.02.20"));
        assert_eq!(
            labels(&res),
            ["教務主任", "教學組長", "註冊組長", "設備組長", "教學組長"]
        );
        assert_eq!(
            res.no_one_reason(),
            Some(&NoActorReason::CycleReached {
                at: pos("教學組長")
            })
        );
        // 校長 (no holder) leads in too.
        let res = resolve(&world, &Subject::position("校長"), d("112.02.20"));
        assert_eq!(res.path[0].skip_reason(), Some(&SkipReason::Vacant));
        assert!(matches!(
            res.no_one_reason(),
            Some(NoActorReason::CycleReached { .. })
        ));
    }

    #[test]
    fn meeting_a_tried_actor_off_the_chain_is_not_a_cycle() {
        // A → [B, C], B → [D], C → [D]: D is met twice, but not in a loop.
        let world = World {
            people: ["A", "B", "C", "D"]
                .iter()
                .zip(1..)
                .map(|(p, id)| person(id, p, &[p]))
                .collect(),
            tables: vec![
                table("A", &["B", "C"]),
                table("B", &["D"]),
                table("C", &["D"]),
            ],
            absences: (1..=4).map(|id| leave(id, "112.02.20")).collect(),
        };
        let res = resolve(&world, &Subject::position("A"), d("112.02.20"));
        assert_eq!(labels(&res), ["A", "B", "C", "D", "D"]);
        assert_eq!(
            res.path[4].skip_reason(),
            Some(&SkipReason::AlreadyTried { cycle: false })
        );
        assert_eq!(res.no_one_reason(), Some(&NoActorReason::AllUnavailable));
    }

    #[test]
    fn all_absent_and_no_table() {
        let world = World {
            people: vec![
                person(1, "甲", &["A"]),
                person(2, "乙", &["B"]),
                person(3, "丙", &["C"]),
            ],
            tables: vec![table("A", &["B", "C"]), table("C", &[])],
            absences: (1..=3).map(|id| leave(id, "112.02.20")).collect(),
        };
        let res = resolve(&world, &Subject::position("A"), d("112.02.20"));
        assert_eq!(res.no_one_reason(), Some(&NoActorReason::AllUnavailable));
        assert_eq!(labels(&res), ["A", "B", "C"]);
        let res = resolve(&world, &Subject::position("B"), d("112.02.20"));
        assert_eq!(res.no_one_reason(), Some(&NoActorReason::NoDelegateTable));
        // An empty table counts as none.
        let res = resolve(&world, &Subject::position("C"), d("112.02.20"));
        assert_eq!(res.no_one_reason(), Some(&NoActorReason::NoDelegateTable));
    }

    #[test]
    fn validity_period_limits_an_entry() {
        let world = World {
            people: vec![
                person(1, "甲", &["A"]),
                person(2, "乙", &["B"]),
                person(3, "丙", &["C"]),
            ],
            tables: vec![DelegateTable::new(
                Subject::position("A"),
                vec![
                    Delegate::new(1, pos("B")).valid_during(r("111.08.01~112.01.31")),
                    Delegate::new(2, pos("C")),
                ],
            )],
            absences: vec![leave(1, "112.01.01~112.02.28")],
        };
        let res = resolve(&world, &Subject::position("A"), d("112.02.20"));
        assert_eq!(acting_id(&res), Some(3));
        assert_eq!(
            res.path[1].skip_reason(),
            Some(&SkipReason::OutsideValidity {
                valid: r("111.08.01~112.01.31"),
                date: d("112.02.20")
            })
        );
        assert!(render(&res).contains(
            "B delegation.skip_outside_validity[valid=111.08.01~112.01.31,date=112.02.20]"
        ));
        let res = resolve(&world, &Subject::position("A"), d("112.01.31"));
        assert_eq!(acting_id(&res), Some(2));
    }

    #[test]
    fn person_named_delegate() {
        let mut world = World {
            people: vec![
                person(1, "甲", &["A"]),
                person(7, "陳老師", &[]),
                person(8, "林老師", &[]),
            ],
            tables: vec![DelegateTable::new(
                Subject::position("A"),
                vec![
                    Delegate::new(1, Actor::Person(7)),
                    Delegate::new(2, Actor::Person(8)),
                ],
            )],
            absences: vec![leave(1, "112.02.20")],
        };
        let res = resolve(&world, &Subject::position("A"), d("112.02.20"));
        let acting = res.acting().unwrap();
        assert_eq!(acting.person.id, 7);
        assert_eq!(acting.actor, Actor::Person(7));
        assert_eq!(res.path[1].label, "陳老師");
        world.absences.push(leave(7, "112.02.20"));
        let res = resolve(&world, &Subject::position("A"), d("112.02.20"));
        assert_eq!(acting_id(&res), Some(8));
        assert_eq!(res.acting().unwrap().rank(), Some(2));
    }

    #[test]
    fn departed_people_are_skipped() {
        let mut left_dated = person(2, "乙", &["B"]);
        left_dated.left_on = Some(d("112.01.31"));
        left_dated.active = false;
        let mut left_undated = person(3, "丙", &["C"]);
        left_undated.active = false;
        let mut leaves_later = person(4, "丁", &["D"]);
        leaves_later.active = false;
        leaves_later.left_on = Some(d("112.03.01"));
        let world = World {
            people: vec![
                person(1, "甲", &["A"]),
                left_dated,
                left_undated,
                leaves_later,
            ],
            tables: vec![table("A", &["B", "C", "D"])],
            absences: vec![leave(1, "112.02.20~112.03.01")],
        };
        let res = resolve(&world, &Subject::position("A"), d("112.02.20"));
        assert_eq!(
            render(&res),
            "A (甲) delegation.absent_leave[until=112.03.01] → B (乙) delegation.departed[on=112.01.31] \
             → C (丙) delegation.departed_undated → D (丁) acts"
        );
        // From 112.03.01 丁 has left too.
        let res = resolve(&world, &Subject::position("A"), d("112.03.01"));
        assert_eq!(res.no_one_reason(), Some(&NoActorReason::AllUnavailable));
        assert_eq!(
            res.path[3].unavailable[0].why,
            Unavailability::Departed {
                on: Some(d("112.03.01"))
            }
        );
    }

    #[test]
    fn vacant_position_is_skipped_and_its_own_delegates_tried() {
        let world = World {
            people: vec![
                person(1, "甲", &["A"]),
                person(3, "丙", &["C"]),
                person(4, "丁", &["D"]),
            ],
            tables: vec![table("A", &["B", "D"]), table("B", &["C"])],
            absences: vec![leave(1, "112.02.20"), leave(4, "112.02.20")],
        };
        let res = resolve(&world, &Subject::position("A"), d("112.02.20"));
        assert_eq!(
            render(&res),
            "A (甲) delegation.absent_leave[until=112.02.20] → B delegation.skip_vacant \
             → D (丁) delegation.absent_leave[until=112.02.20] → C (丙) acts"
        );
        assert_eq!(res.acting().unwrap().depth, 2);
        // A vacant subject with no table: nobody.
        let res = resolve(&world, &Subject::position("Z"), d("112.02.20"));
        assert_eq!(res.path[0].skip_reason(), Some(&SkipReason::Vacant));
        assert_eq!(res.no_one_reason(), Some(&NoActorReason::NoDelegateTable));
    }

    #[test]
    fn unknown_person_entry_is_skipped() {
        let world = World {
            people: vec![person(1, "甲", &["A"]), person(2, "乙", &["B"])],
            tables: vec![DelegateTable::new(
                Subject::position("A"),
                vec![
                    Delegate::new(1, Actor::Person(99)),
                    Delegate::new(2, pos("B")),
                ],
            )],
            absences: vec![leave(1, "112.02.20")],
        };
        let res = resolve(&world, &Subject::position("A"), d("112.02.20"));
        assert_eq!(acting_id(&res), Some(2));
        assert_eq!(res.path[1].label, "#99");
        assert_eq!(
            res.path[1].skip_reason(),
            Some(&SkipReason::UnknownPerson { id: 99 })
        );
    }

    #[test]
    fn absence_until_runs_through_following_absences() {
        let world = World {
            people: vec![person(1, "甲", &["A"])],
            tables: vec![],
            absences: vec![
                leave(1, "112.03.01~31"),
                leave(1, "112.02.01~28"),
                leave(1, "112.04.02~30"),
            ],
        };
        let p = &world.people[0];
        let why = world.unavailability(p, d("112.02.20")).unwrap();
        assert_eq!(why.args()[0], ("until", "112.03.31".to_string()));
        assert!(world.unavailability(p, d("112.04.01")).is_none());
        assert!(world.is_available(1, d("112.04.01")));
        assert!(!world.is_available(1, d("112.04.02")));
        assert!(!world.is_available(2, d("112.04.01")));
    }

    #[test]
    fn taitung_chain() {
        let taitung = preset::by_key("taitung").unwrap();
        let world = World {
            people: vec![
                person(1, "協行", &["學習歷程協行教師"]),
                person(2, "註冊", &["註冊組長"]),
                person(3, "幹事", &["註冊組幹事"]),
            ],
            tables: tables_from_preset(&taitung.delegates),
            absences: vec![leave(1, "112.02.01~112.03.01"), leave(2, "112.02.20")],
        };
        let res = resolve(
            &world,
            &Subject::position("學習歷程協行教師"),
            d("112.02.20"),
        );
        assert_eq!(labels(&res), ["學習歷程協行教師", "註冊組長", "註冊組幹事"]);
        let acting = res.acting().unwrap();
        assert_eq!(acting.person.id, 3);
        assert_eq!(acting.actor, pos("註冊組幹事"));
        assert_eq!(acting.rank(), Some(2));
        // Only the 協行教師 away: rank 1 (註冊組長) acts.
        let res = resolve(
            &world,
            &Subject::position("學習歷程協行教師"),
            d("112.02.21"),
        );
        assert_eq!(acting_id(&res), Some(2));
    }

    #[test]
    fn teacher_certification_substitutes() {
        let world = World {
            people: vec![
                person(10, "任課甲", &["任課教師"]),
                person(11, "任課乙", &["任課教師"]),
                person(12, "任課丙", &["任課教師"]),
                person(2, "教學", &["教學組長"]),
            ],
            tables: vec![
                DelegateTable::new(
                    Subject::Teacher(10),
                    vec![Delegate::new(1, Actor::Person(11))],
                ),
                DelegateTable::new(
                    Subject::Teacher(11),
                    vec![
                        Delegate::new(1, Actor::Person(12)),
                        Delegate::new(2, pos("教學組長")),
                    ],
                ),
                // Person entries in a position's table are leaves: 11's own table is not followed.
                DelegateTable::new(
                    Subject::position("教學組長"),
                    vec![Delegate::new(1, Actor::Person(11))],
                ),
            ],
            absences: vec![
                leave(10, "112.02.20"),
                leave(11, "112.02.20"),
                leave(2, "112.02.20"),
            ],
        };
        let res = resolve(&world, &Subject::Teacher(10), d("112.02.20"));
        assert_eq!(acting_id(&res), Some(12));
        assert_eq!(
            res.acting().unwrap().via,
            Some(Via {
                table: Subject::Teacher(11),
                rank: 1
            })
        );
        assert_eq!(labels(&res), ["任課甲", "任課乙", "任課丙"]);
        let res = resolve(&world, &Subject::position("教學組長"), d("112.02.20"));
        assert_eq!(res.no_one_reason(), Some(&NoActorReason::AllUnavailable));
        assert_eq!(labels(&res), ["教學組長", "任課乙"]);
        // A teacher who is present certifies in person.
        let res = resolve(&world, &Subject::Teacher(12), d("112.02.20"));
        assert_eq!(acting_id(&res), Some(12));
        assert_eq!(res.acting().unwrap().depth, 0);
    }

    // --- cycles -------------------------------------------------------------

    #[test]
    fn fengshan_full_table_has_exactly_the_four_cycles() {
        let tables = fengshan_tables();
        assert_eq!(tables.len(), 15);
        for t in &tables {
            assert_eq!(validate_table(t), Ok(()), "{t:?}");
        }
        let report = find_cycles(&tables);
        assert!(!report.truncated);
        let expected: Vec<Vec<&str>> = vec![
            vec!["教學組長", "註冊組長", "設備組長"],
            vec!["訓育組長", "活動組長", "生輔組長"],
            vec!["輔導主任", "實習主任"],
            vec!["進修部註冊組長", "進修部學務組長"],
        ];
        assert_eq!(report.cycles, expected);

        // Coverage with everyone present: the four cycles once each, and the one
        // position named only as a delegate (課程諮詢教師) has no table.
        let mut people: Vec<Person> = Vec::new();
        for (i, t) in tables.iter().enumerate() {
            let p = t.subject.as_position().unwrap();
            people.push(person(i as i64 + 1, p, &[p]));
        }
        people.push(person(100, "課諮", &["課程諮詢教師"]));
        let world = World {
            people,
            tables,
            absences: vec![],
        };
        let findings = coverage(&world, d("112.02.20"), &[] as &[&str], &[]);
        let rendered: Vec<(&str, String)> = findings
            .iter()
            .map(|f| {
                let text = f
                    .args()
                    .iter()
                    .map(|(_, v)| v.clone())
                    .collect::<Vec<_>>()
                    .join(" ");
                (f.message_key(), text)
            })
            .collect();
        assert_eq!(
            rendered,
            [
                ("delegation.finding_no_delegate", "課程諮詢教師".to_string()),
                (
                    "delegation.finding_cycle",
                    "教學組長→註冊組長→設備組長→教學組長 3".to_string()
                ),
                (
                    "delegation.finding_cycle",
                    "訓育組長→活動組長→生輔組長→訓育組長 3".to_string()
                ),
                (
                    "delegation.finding_cycle",
                    "輔導主任→實習主任→輔導主任 2".to_string()
                ),
                (
                    "delegation.finding_cycle",
                    "進修部註冊組長→進修部學務組長→進修部註冊組長 2".to_string()
                ),
            ]
        );
    }

    #[test]
    fn cycles_start_at_first_position_in_table_order() {
        // Lexicographically 活 < 生 < 訓, but 訓育組長 comes first in the tables.
        let tables = vec![
            table("訓育組長", &["活動組長"]),
            table("活動組長", &["生輔組長"]),
            table("生輔組長", &["訓育組長"]),
        ];
        assert_eq!(
            find_cycles(&tables).cycles,
            [["訓育組長", "活動組長", "生輔組長"]]
        );
        // Listing the tables from 生輔組長 moves the start there.
        let rotated = vec![tables[2].clone(), tables[0].clone(), tables[1].clone()];
        assert_eq!(
            find_cycles(&rotated).cycles,
            [["生輔組長", "訓育組長", "活動組長"]]
        );
    }

    #[test]
    fn overlapping_cycles_and_self_loop_each_once() {
        let tables = vec![
            table("A", &["B"]),
            table("B", &["A", "C"]),
            table("C", &["A", "C"]),
            table("D", &["A"]),
        ];
        let cycles = find_cycles(&tables).cycles;
        let expected: Vec<Vec<&str>> = vec![vec!["A", "B"], vec!["A", "B", "C"], vec!["C"]];
        assert_eq!(cycles, expected);
    }

    #[test]
    fn too_many_cycles_are_truncated() {
        // Complete graph on 7 positions: 1172 elementary cycles of length ≥ 2.
        let names: Vec<String> = (0..7).map(|i| format!("P{i}")).collect();
        let tables: Vec<DelegateTable> = names
            .iter()
            .map(|n| {
                let others: Vec<&str> = names
                    .iter()
                    .filter(|m| *m != n)
                    .map(String::as_str)
                    .collect();
                table(n, &others)
            })
            .collect();
        let report = find_cycles(&tables);
        assert!(report.truncated);
        assert_eq!(report.cycles.len(), MAX_CYCLES);
        let world = World {
            tables,
            ..World::default()
        };
        let findings = coverage(&world, d("112.02.20"), &[] as &[&str], &[]);
        assert_eq!(
            findings.last(),
            Some(&Finding::CyclesTruncated { limit: MAX_CYCLES })
        );
    }

    // --- coverage -----------------------------------------------------------

    #[test]
    fn coverage_reports_each_kind_in_order() {
        let mut gone = person(3, "丙", &["C"]);
        gone.active = false;
        gone.left_on = Some(d("112.01.31"));
        let mut gone_teacher = person(8, "林老師", &[]);
        gone_teacher.active = false;
        let world = World {
            people: vec![
                person(1, "甲", &["A"]),
                person(2, "乙", &["B"]),
                gone,
                person(7, "陳老師", &[]),
                gone_teacher,
                person(9, "黃老師", &[]),
            ],
            tables: vec![
                DelegateTable::new(
                    Subject::position("A"),
                    vec![
                        Delegate::new(1, pos("C")),
                        Delegate::new(2, Actor::Person(8)),
                        Delegate::new(3, Actor::Person(99)),
                        // Ended before the date: history, not checked.
                        Delegate::new(4, pos("C")).valid_during(r("111.08.01~112.01.31")),
                    ],
                ),
                table("B", &["A"]),
                DelegateTable::new(
                    Subject::Teacher(7),
                    vec![Delegate::new(1, Actor::Person(8))],
                ),
            ],
            absences: vec![
                leave(1, "112.02.20"),
                leave(7, "112.02.20"),
                leave(9, "112.02.20"),
            ],
        };
        let findings = coverage(&world, d("112.02.20"), &["A", "校長"], &[7, 9, 2, 7]);
        let keys: Vec<&str> = findings.iter().map(Finding::message_key).collect();
        assert_eq!(
            keys,
            [
                "delegation.finding_no_one_all_unavailable", // A
                "delegation.finding_no_one_no_table",        // C (left, no table)
                "delegation.finding_no_one_no_table",        // 校長 (vacant, no table)
                "delegation.finding_no_cert_substitute_all_unavailable", // 7
                "delegation.finding_no_cert_substitute_no_table", // 9
                "delegation.finding_delegate_left_position", // A rank 1: C
                "delegation.finding_delegate_left_person",   // A rank 2: #8
                "delegation.finding_delegate_left_person",   // teacher 7 rank 1: #8
                "delegation.finding_delegate_unknown",       // A rank 3: #99
                "delegation.finding_no_delegate",            // C
                "delegation.finding_no_delegate",            // 校長
            ]
        );
        assert_eq!(
            findings[0],
            Finding::NoOneCanAct {
                position: "A".into(),
                date: d("112.02.20"),
                reason: NoActorReason::AllUnavailable
            }
        );
        assert_eq!(
            findings[3].args(),
            [
                ("teacher", "陳老師".to_string()),
                ("teacher_id", "7".to_string()),
                ("date", "112.02.20".to_string())
            ]
        );
        assert_eq!(
            findings[5],
            Finding::DelegateLeft {
                subject: Subject::position("A"),
                subject_label: "A".into(),
                rank: 1,
                delegate: pos("C"),
                delegate_label: "C".into(),
                departed: vec![PersonRef {
                    id: 3,
                    name: "丙".into()
                }],
            }
        );
        assert_eq!(
            findings[7].args(),
            [
                ("subject", "陳老師".to_string()),
                ("rank", "1".to_string()),
                ("delegate", "林老師".to_string()),
                ("count", "1".to_string())
            ]
        );
        // B acts through itself (乙 present) although its delegate A cannot.
        assert!(!findings.iter().any(|f| matches!(
            f,
            Finding::NoOneCanAct { position, .. } if position == "B"
        )));
    }

    #[test]
    fn coverage_cycle_reason_for_no_one() {
        let world = World {
            people: vec![person(1, "甲", &["A"]), person(2, "乙", &["B"])],
            tables: vec![table("A", &["B"]), table("B", &["A"])],
            absences: vec![leave(1, "112.02.20"), leave(2, "112.02.20")],
        };
        let findings = coverage(&world, d("112.02.20"), &[] as &[&str], &[]);
        assert_eq!(
            findings,
            [
                Finding::NoOneCanAct {
                    position: "A".into(),
                    date: d("112.02.20"),
                    reason: NoActorReason::CycleReached { at: pos("A") }
                },
                Finding::NoOneCanAct {
                    position: "B".into(),
                    date: d("112.02.20"),
                    reason: NoActorReason::CycleReached { at: pos("B") }
                },
                Finding::Cycle {
                    positions: vec!["A".into(), "B".into()]
                },
            ]
        );
        assert_eq!(findings[0].message_key(), "delegation.finding_no_one_cycle");
        assert_eq!(
            findings[0].args(),
            [
                ("position", "A".to_string()),
                ("date", "112.02.20".to_string()),
                ("at", "A".to_string())
            ]
        );
    }

    // --- validation ---------------------------------------------------------

    fn problem(subject: Subject, delegates: Vec<Delegate>) -> TableProblemKind {
        validate_table(&DelegateTable::new(subject, delegates))
            .unwrap_err()
            .kind
    }

    #[test]
    fn validate_table_refusals() {
        let a = || Subject::position("A");
        assert_eq!(
            validate_table(&DelegateTable::new(
                a(),
                vec![
                    Delegate::new(2, Actor::Person(5)),
                    Delegate::new(1, pos("B"))
                ]
            )),
            Ok(())
        );
        assert_eq!(validate_table(&DelegateTable::new(a(), vec![])), Ok(()));
        assert_eq!(
            problem(
                a(),
                vec![Delegate::new(1, pos("B")), Delegate::new(2, pos("A"))]
            ),
            TableProblemKind::SelfDelegate {
                rank: 2,
                actor: pos("A")
            }
        );
        assert_eq!(
            problem(
                Subject::Teacher(5),
                vec![Delegate::new(1, Actor::Person(5))]
            ),
            TableProblemKind::SelfDelegate {
                rank: 1,
                actor: Actor::Person(5)
            }
        );
        // A teacher's table may name a position with any title, and a
        // position's table may name a person whose id matches nothing special.
        assert_eq!(
            validate_table(&DelegateTable::new(
                Subject::Teacher(5),
                vec![Delegate::new(1, pos("5"))]
            )),
            Ok(())
        );
        assert_eq!(
            problem(
                a(),
                vec![Delegate::new(1, pos("B")), Delegate::new(1, pos("C"))]
            ),
            TableProblemKind::DuplicateRank {
                rank: 1,
                first: pos("B"),
                second: pos("C")
            }
        );
        assert_eq!(
            problem(
                a(),
                vec![
                    Delegate::new(1, Actor::Person(3)),
                    Delegate::new(2, Actor::Person(3))
                ]
            ),
            TableProblemKind::DuplicateActor {
                actor: Actor::Person(3),
                first_rank: 1,
                second_rank: 2
            }
        );
        assert_eq!(
            problem(
                a(),
                vec![Delegate::new(2, pos("B")), Delegate::new(3, pos("C"))]
            ),
            TableProblemKind::RanksNotFromOne {
                first: 2,
                actor: pos("B")
            }
        );
        assert_eq!(
            problem(
                a(),
                vec![Delegate::new(0, pos("B")), Delegate::new(1, pos("C"))]
            ),
            TableProblemKind::RanksNotFromOne {
                first: 0,
                actor: pos("B")
            }
        );
        assert_eq!(
            problem(
                a(),
                vec![Delegate::new(1, pos("B")), Delegate::new(3, pos("C"))]
            ),
            TableProblemKind::RankGap {
                after: 1,
                next: 3,
                actor: pos("C")
            }
        );
        let err = validate_table(&DelegateTable::new(
            a(),
            vec![
                Delegate::new(1, pos("B")),
                Delegate::new(3, Actor::Person(4)),
            ],
        ))
        .unwrap_err();
        assert_eq!(err.message_key(), "delegation.table_rank_gap");
        assert_eq!(
            err.args(),
            [
                ("subject", "A".to_string()),
                ("after", "1".to_string()),
                ("next", "3".to_string()),
                ("delegate", "#4".to_string())
            ]
        );
    }

    #[test]
    fn tables_from_preset_ranks_from_one() {
        let t = table("學習歷程協行教師", &["註冊組長", "註冊組幹事"]);
        assert_eq!(t.subject, Subject::position("學習歷程協行教師"));
        assert_eq!(
            t.delegates,
            [
                Delegate::new(1, pos("註冊組長")),
                Delegate::new(2, pos("註冊組幹事"))
            ]
        );
    }

    #[test]
    fn message_keys_are_namespaced_and_distinct() {
        let date = d("112.02.20");
        let reasons = [
            NoActorReason::NoDelegateTable,
            NoActorReason::AllUnavailable,
            NoActorReason::CycleReached { at: pos("A") },
        ];
        let mut keys: Vec<&str> = Vec::new();
        for reason in &reasons {
            keys.push(reason.message_key());
            keys.push(
                Finding::NoOneCanAct {
                    position: "A".into(),
                    date,
                    reason: reason.clone(),
                }
                .message_key(),
            );
            keys.push(
                Finding::NoCertificationSubstitute {
                    teacher: PersonRef {
                        id: 1,
                        name: "甲".into(),
                    },
                    date,
                    reason: reason.clone(),
                }
                .message_key(),
            );
        }
        for delegate in [pos("B"), Actor::Person(2)] {
            keys.push(
                Finding::DelegateLeft {
                    subject: Subject::position("A"),
                    subject_label: "A".into(),
                    rank: 1,
                    delegate,
                    delegate_label: "B".into(),
                    departed: vec![],
                }
                .message_key(),
            );
        }
        keys.extend([
            Finding::DelegateUnknown {
                subject: Subject::position("A"),
                subject_label: "A".into(),
                rank: 1,
                id: 9,
            }
            .message_key(),
            Finding::NoDelegate {
                position: "A".into(),
            }
            .message_key(),
            Finding::Cycle {
                positions: vec!["A".into()],
            }
            .message_key(),
            Finding::CyclesTruncated { limit: 1 }.message_key(),
        ]);
        for kind in [
            AbsenceKind::Leave,
            AbsenceKind::Vacancy,
            AbsenceKind::Departed,
        ] {
            keys.push(
                Unavailability::Absent {
                    kind,
                    until: date,
                    reason: String::new(),
                }
                .message_key(),
            );
        }
        keys.push(Unavailability::Departed { on: Some(date) }.message_key());
        keys.push(Unavailability::Departed { on: None }.message_key());
        for reason in [
            SkipReason::Unavailable,
            SkipReason::Vacant,
            SkipReason::UnknownPerson { id: 1 },
            SkipReason::OutsideValidity {
                valid: DateRange::single(date),
                date,
            },
            SkipReason::AlreadyTried { cycle: false },
            SkipReason::AlreadyTried { cycle: true },
        ] {
            keys.push(reason.message_key());
        }
        let problems = [
            TableProblemKind::SelfDelegate {
                rank: 1,
                actor: pos("A"),
            },
            TableProblemKind::DuplicateRank {
                rank: 1,
                first: pos("A"),
                second: pos("B"),
            },
            TableProblemKind::DuplicateActor {
                actor: pos("A"),
                first_rank: 1,
                second_rank: 2,
            },
            TableProblemKind::RanksNotFromOne {
                first: 2,
                actor: pos("A"),
            },
            TableProblemKind::RankGap {
                after: 1,
                next: 3,
                actor: pos("A"),
            },
        ];
        for kind in problems {
            keys.push(
                TableProblem {
                    subject: Subject::position("A"),
                    kind,
                }
                .message_key(),
            );
        }
        assert_eq!(keys.len(), 31);
        assert!(keys.iter().all(|k| k.starts_with("delegation.")));
        let distinct: HashSet<&str> = keys.iter().copied().collect();
        assert_eq!(distinct.len(), keys.len(), "{keys:?}");
    }

    // --- property -----------------------------------------------------------

    /// A generated entry: (names a position?, which, rank, validity as (offset, length)).
    type SpecEntry = (bool, usize, u32, Option<(i64, u64)>);

    #[derive(Debug, Clone)]
    struct Spec {
        positions: usize,
        people: Vec<(Vec<usize>, u8)>,
        absences: Vec<(usize, i64, u64, u8)>,
        tables: Vec<(bool, usize, Vec<SpecEntry>)>,
    }

    fn spec() -> impl Strategy<Value = Spec> {
        (1usize..7, 0usize..7).prop_flat_map(|(positions, people)| {
            let person = (prop::collection::vec(0..positions, 0..3), 0u8..6);
            let absence = (0..people.max(1) + 1, -3i64..3, 0u64..4, 0u8..3);
            let entry = (
                any::<bool>(),
                0usize..8,
                0u32..5,
                prop::option::of((-3i64..3, 0u64..4)),
            );
            let table = (
                prop::bool::weighted(0.8),
                0usize..8,
                prop::collection::vec(entry, 0..4),
            );
            (
                prop::collection::vec(person, people),
                prop::collection::vec(absence, 0..6),
                prop::collection::vec(table, 0..10),
            )
                .prop_map(move |(people, absences, tables)| Spec {
                    positions,
                    people,
                    absences,
                    tables,
                })
        })
    }

    fn base() -> NaiveDate {
        d("112.02.20")
    }

    fn around(offset: i64, len: u64) -> DateRange {
        let start = base() + chrono::Duration::days(offset);
        DateRange {
            start,
            end: start + chrono::Days::new(len),
        }
    }

    fn build(spec: &Spec) -> World {
        let title = |i: usize| format!("P{}", i % spec.positions);
        let people = spec
            .people
            .iter()
            .enumerate()
            .map(|(i, (held, status))| Person {
                id: i as i64 + 1,
                name: format!("N{}", i + 1),
                positions: held.iter().map(|&p| title(p)).collect(),
                active: *status != 1,
                left_on: match status {
                    2 => Some(base()),
                    3 => Some(base() + chrono::Days::new(1)),
                    4 => Some(base() - chrono::Days::new(1)),
                    _ => None,
                },
            })
            .collect();
        let kinds = [
            AbsenceKind::Leave,
            AbsenceKind::Vacancy,
            AbsenceKind::Departed,
        ];
        let absences = spec
            .absences
            .iter()
            .map(|&(who, offset, len, kind)| Absence {
                staff_id: who as i64 + 1,
                span: around(offset, len),
                kind: kinds[kind as usize],
                reason: String::new(),
            })
            .collect();
        let tables = spec
            .tables
            .iter()
            .map(|(is_position, which, entries)| DelegateTable {
                subject: if *is_position {
                    Subject::Position(title(*which))
                } else {
                    Subject::Teacher(*which as i64)
                },
                delegates: entries
                    .iter()
                    .map(|&(is_position, which, rank, valid)| Delegate {
                        rank,
                        actor: if is_position {
                            Actor::Position(title(which))
                        } else {
                            Actor::Person(which as i64)
                        },
                        valid: valid.map(|(o, l)| around(o, l)),
                    })
                    .collect(),
            })
            .collect();
        World {
            people,
            tables,
            absences,
        }
    }

    /// Elementary cycles by brute force: simple paths from each start back to
    /// it through larger indices only.
    fn brute_cycles(adj: &[Vec<usize>]) -> Vec<Vec<usize>> {
        fn extend(adj: &[Vec<usize>], path: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
            let s = path[0];
            let v = *path.last().unwrap();
            for &w in &adj[v] {
                if w == s {
                    out.push(path.clone());
                } else if w > s && !path.contains(&w) {
                    path.push(w);
                    extend(adj, path, out);
                    path.pop();
                }
            }
        }
        let mut out = Vec::new();
        for s in 0..adj.len() {
            extend(adj, &mut vec![s], &mut out);
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        #[test]
        fn resolve_terminates_and_never_retries_an_actor(spec in spec()) {
            let world = build(&spec);
            let date = base();
            let entry_count: usize = world.tables.iter().map(|t| t.delegates.len()).sum();
            let mut subjects: Vec<Subject> =
                (0..spec.positions).map(|i| Subject::Position(format!("P{i}"))).collect();
            subjects.extend((0..9).map(Subject::Teacher));
            for subject in &subjects {
                let res = resolve(&world, subject, date);
                prop_assert!(!res.path.is_empty());
                prop_assert_eq!(&res.path[0].actor, &subject.as_actor());
                prop_assert!(res.path[0].via.is_none());
                prop_assert!(res.path.len() <= 1 + entry_count);
                let mut tried: HashSet<&Actor> = HashSet::new();
                let mut last_depth = 0;
                for step in &res.path {
                    prop_assert!(step.depth >= last_depth, "breadth-first order");
                    last_depth = step.depth;
                    match step.skip_reason() {
                        Some(SkipReason::AlreadyTried { .. }) => {
                            prop_assert!(tried.contains(&step.actor), "{:?}", step);
                        }
                        _ if step.is_attempt() => {
                            prop_assert!(tried.insert(&step.actor), "tried twice: {:?}", step.actor);
                        }
                        _ => {}
                    }
                }
                let acting_steps = res.path.iter().filter(|s| s.acts().is_some()).count();
                match &res.outcome {
                    Outcome::Acts(acting) => {
                        prop_assert_eq!(acting_steps, 1);
                        let last = res.path.last().unwrap();
                        prop_assert_eq!(last.acts(), Some(&acting.person));
                        prop_assert_eq!(&acting.actor, &last.actor);
                        prop_assert!(world.is_available(acting.person.id, date));
                    }
                    Outcome::NoOne(_) => prop_assert_eq!(acting_steps, 0),
                }
            }
            let findings = coverage(&world, date, &["P0", "X"], &[1, 2, 3, 50]);
            let mut seen_cycles = HashSet::new();
            for f in &findings {
                if let Finding::Cycle { positions } = f {
                    let distinct: HashSet<&String> = positions.iter().collect();
                    prop_assert_eq!(distinct.len(), positions.len());
                    prop_assert!(seen_cycles.insert(positions.clone()));
                }
            }
            let kinds: Vec<u8> = findings.iter().map(Finding::kind_order).collect();
            prop_assert!(kinds.windows(2).all(|w| w[0] <= w[1]));
        }

        #[test]
        fn johnson_matches_brute_force(
            edges in prop::collection::vec((0usize..6, 0usize..6), 0..16)
        ) {
            let mut adj = vec![Vec::new(); 6];
            for (a, b) in edges {
                if !adj[a].contains(&b) {
                    adj[a].push(b);
                }
            }
            let (mut found, truncated) = johnson(&adj, usize::MAX);
            prop_assert!(!truncated);
            let mut expected = brute_cycles(&adj);
            found.sort();
            expected.sort();
            prop_assert_eq!(found, expected);
        }
    }
}
