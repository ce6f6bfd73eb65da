//! `Store::agenda_facts` (src/store/agenda_facts.rs) on a temporary file: the
//! SQL aggregates agree with the domain rules applied to every row, windows
//! ahead / overdue count what they should, and the roster, coverage and
//! training facts name what the demo school lacks.

mod common;

use chrono::NaiveDate;
use portfolio_desk::domain::agenda::AgendaFacts;
use portfolio_desk::domain::calendar::{Event, Grades, Phase, upcoming};
use portfolio_desk::domain::checklist::{by_unit, tally};
use portfolio_desk::domain::delegation::{Finding, coverage};
use portfolio_desk::domain::preset;
use portfolio_desk::domain::roc::{DateRange, Term, academic_year_of};
use portfolio_desk::store::Store;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn temp_store(dir: &tempfile::TempDir) -> Store {
    let mut s = Store::open(&dir.path().join("school.db")).unwrap();
    s.set_user("secretary");
    s.set_fixed_now("2026-11-25T09:30:00+08:00");
    s
}

fn demo(dir: &tempfile::TempDir) -> Store {
    let mut s = temp_store(dir);
    portfolio_desk::demo::seed(&mut s, common::today()).unwrap();
    s
}

fn facts(s: &Store, until: NaiveDate) -> AgendaFacts {
    let today = common::today();
    let t = Term::containing(today);
    s.agenda_facts(t.year, t.semester, today, until).unwrap()
}

#[test]
fn schedule_counts_agree_with_the_calendar_rules_over_every_row() {
    let dir = tempfile::tempdir().unwrap();
    let s = demo(&dir);
    let today = common::today();
    let until = d(2026, 12, 31);
    let f = facts(&s, until);
    let events: Vec<Event> = s.events().unwrap().into_iter().map(|e| e.event).collect();
    let year = academic_year_of(today);
    let ahead = events
        .iter()
        .filter(|e| {
            e.phase != Phase::Meeting
                && e.done_on.is_none()
                && e.span.end >= today
                && e.span.start <= until
        })
        .count();
    let late = events
        .iter()
        .filter(|e| e.phase != Phase::Meeting && e.term.year == year && e.overdue(today))
        .count();
    assert!(ahead > 0 && late > 0, "the demo has both ({ahead}, {late})");
    assert_eq!(f.windows_ahead, ahead);
    assert_eq!(f.windows_overdue, late);
    assert_eq!(f.windows_ahead_top.len(), ahead.min(5));
    // The dashboard's rule gives the same overdue windows for this year.
    let (late_idx, _) = upcoming(&events, today, 0);
    let dash: usize = late_idx
        .iter()
        .filter(|&&i| events[i].phase != Phase::Meeting && events[i].term.year == year)
        .count();
    assert_eq!(dash, late);
    // Top rows: the longest overdue first.
    let ends: Vec<NaiveDate> = f.windows_overdue_top.iter().map(|w| w.end).collect();
    let mut sorted = ends.clone();
    sorted.sort();
    assert_eq!(ends, sorted);
}

#[test]
fn checklist_and_receipt_counts_agree_with_the_dashboards_rules() {
    let dir = tempfile::tempdir().unwrap();
    let s = demo(&dir);
    let today = common::today();
    let f = facts(&s, d(2026, 12, 31));
    let year = academic_year_of(today);
    let items: Vec<_> = s
        .checklist_items_of_year(year)
        .unwrap()
        .into_iter()
        .map(|r| r.item)
        .collect();
    let refs: Vec<_> = items.iter().collect();
    let t = tally(&refs);
    assert_eq!((f.checklist_done, f.checklist_total), (t.done, t.total));
    let end_of = |id: i64| s.event(id).ok().map(|e| e.event.span.end);
    let late: Vec<_> = items
        .iter()
        .filter(|i| i.overdue(i.due(i.event_id.and_then(end_of)), today))
        .collect();
    assert!(!late.is_empty(), "the demo has late checklist items");
    assert_eq!(f.checklist_overdue, late.len());
    let by: usize = f.checklist_overdue_by_unit.iter().map(|(_, n)| n).sum();
    let expected: usize = by_unit(&late).iter().map(|(_, t)| t.total).sum();
    assert_eq!(by, expected);

    let term = s.current_receipt_term(today).unwrap().unwrap();
    let r = f.receipts.expect("the demo has receipts");
    assert_eq!(r.term, term);
    let p = s.confirm_progress(term).unwrap();
    assert_eq!(
        (r.students, r.confirmed, r.disputed),
        (p.total, p.confirmed, p.disputed)
    );
    let all = s.discrepancies(Some(term)).unwrap();
    let open = all.iter().filter(|d| d.d.status.is_open()).count();
    assert_eq!(r.open, open);
    let by_cat: usize = r.by_category.iter().map(|(_, n)| n).sum();
    assert_eq!(by_cat, open);
    let fix_end = s.fix_window_end(term).unwrap();
    let overdue = all.iter().filter(|d| d.d.overdue(fix_end, today)).count();
    assert_eq!(r.overdue, overdue);
}

#[test]
fn people_facts_name_the_vacant_seats_and_who_left() {
    let dir = tempfile::tempdir().unwrap();
    let s = demo(&dir);
    let f = facts(&s, d(2026, 12, 31));
    let roster = f.roster.expect("the demo has this year's committee");
    assert_eq!(roster.seats, 13);
    // The parent's child graduated over the summer: that seat is empty.
    assert!(
        roster.vacant.contains(&"家長代表".to_string()),
        "{roster:?}"
    );
    // Who can act for whom: the same findings the delegation rules give.
    let today = common::today();
    let findings = coverage(
        &s.world().unwrap(),
        today,
        &s.office_positions(academic_year_of(today)).unwrap(),
        &s.teachers_with_uncertified().unwrap(),
    );
    let no_one = findings
        .iter()
        .filter(|x| matches!(x, Finding::NoOneCanAct { .. }))
        .count();
    assert_eq!(f.no_one_can_act.len(), no_one);
}

#[test]
fn a_school_with_no_data_reports_nothing_and_every_required_training_missing() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = temp_store(&dir);
    let p = preset::by_key("jingxin").unwrap();
    s.init_school(&p, 115).unwrap();
    let f = facts(&s, d(2026, 12, 31));
    assert_eq!(f.windows_ahead + f.windows_overdue + f.checklist_total, 0);
    assert!(f.receipts.is_none());
    let required = p.trainings.iter().filter(|t| t.required).count();
    assert_eq!(f.trainings_missing.len(), required);
}

#[test]
fn windows_done_meetings_and_other_years_are_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = temp_store(&dir);
    s.init_school(&preset::by_key("jingxin").unwrap(), 115)
        .unwrap();
    let term = Term {
        year: 115,
        semester: 1,
    };
    let ev = |title: &str, phase: Phase, a: NaiveDate, b: NaiveDate| Event {
        id: 0,
        term,
        title: title.into(),
        phase,
        grades: Grades::ALL,
        units: vec!["註冊組".into()],
        span: DateRange::new(a, b).unwrap(),
        national: false,
        prepares_for: None,
        notes: String::new(),
        done_on: None,
    };
    s.add_event(&ev("上傳", Phase::Upload, d(2026, 11, 1), d(2026, 11, 20)))
        .unwrap();
    s.add_event(&ev("認證", Phase::Certify, d(2026, 11, 21), d(2026, 12, 5)))
        .unwrap();
    s.add_event(&ev("勾選", Phase::Select, d(2027, 1, 5), d(2027, 1, 10)))
        .unwrap();
    s.add_event(&ev("會議", Phase::Meeting, d(2026, 12, 1), d(2026, 12, 1)))
        .unwrap();
    let mut done = ev("訓練", Phase::Training, d(2026, 11, 1), d(2026, 11, 2));
    done.done_on = Some(d(2026, 11, 2));
    s.add_event(&done).unwrap();
    let f = facts(&s, d(2026, 12, 15));
    assert_eq!(f.windows_ahead, 1, "{:?}", f.windows_ahead_top);
    assert_eq!(f.windows_ahead_top[0].title, "認證");
    assert_eq!(f.windows_overdue, 1);
    assert_eq!(f.windows_overdue_top[0].title, "上傳");
    // The training on the calendar counts towards the rule that it matches.
    assert!(
        f.trainings_missing.iter().all(|g| g.name != "訓練"),
        "{:?}",
        f.trainings_missing
    );
}
