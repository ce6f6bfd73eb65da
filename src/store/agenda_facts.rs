//! What the agenda's live reports say (`domain::agenda::AgendaFacts`), read
//! with SQL aggregates: counts come from COUNT / GROUP BY, named rows from
//! LIMIT queries; nothing loads every receipt line or discrepancy. Read-only.

use chrono::NaiveDate;
use rusqlite::params;

use super::{DateCol, Result, Store, stored_date};
use crate::domain::agenda::{
    AgendaFacts, DueRow, ReceiptFacts, RosterFacts, TOP, UnitCount, WindowRow, training_gaps,
};
use crate::domain::calendar::CheckRules;
use crate::domain::checklist::Item;
use crate::domain::delegation::{Finding, coverage};
use crate::domain::receipt::Category;
use crate::domain::roc::Term;

const EVENT_START: DateCol = DateCol {
    table: "event",
    column: "starts_on",
    id_at: 0,
};
const EVENT_END: DateCol = DateCol {
    table: "event",
    column: "ends_on",
    id_at: 0,
};

impl Store {
    /// The facts the live reports of an agenda are made from, for the
    /// meeting of academic `year`, `semester`, as of `today`, looking ahead
    /// to `until` (the next meeting, or the term's end).
    pub fn agenda_facts(
        &self,
        year: i32,
        semester: u8,
        today: NaiveDate,
        until: NaiveDate,
    ) -> Result<AgendaFacts> {
        let term = Term { year, semester };
        let mut f = AgendaFacts {
            today,
            until,
            year,
            ..Default::default()
        };
        self.facts_schedule(&mut f)?;
        self.facts_checklists(&mut f)?;
        self.facts_receipts(&mut f)?;
        self.facts_people(&mut f)?;
        if let Some(school) = self.school()? {
            let rules = CheckRules::from_preset(&school.preset).trainings;
            let mut st = self.conn.prepare_cached(
                "SELECT t.year, t.semester, e.title, e.units FROM event e JOIN term t ON t.id = e.term_id
                 WHERE t.year = ?1 AND e.phase = 'training'",
            )?;
            let scheduled = st
                .query_map([year], |r| {
                    let units: String = r.get(3)?;
                    Ok((
                        Term {
                            year: r.get(0)?,
                            semester: r.get(1)?,
                        },
                        r.get::<_, String>(2)?,
                        serde_json::from_str::<Vec<String>>(&units).unwrap_or_default(),
                    ))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            f.trainings_missing = training_gaps(&rules, &scheduled, term);
        }
        Ok(f)
    }

    fn window_rows(&self, sql: &str, args: impl rusqlite::Params) -> Result<Vec<WindowRow>> {
        let mut st = self.conn.prepare_cached(sql)?;
        let rows = st.query_map(args, |r| {
            Ok(WindowRow {
                title: r.get(1)?,
                start: stored_date(r, 2, EVENT_START)?,
                end: stored_date(r, 3, EVENT_END)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Windows open between today and `until`, and the year's overdue ones
    /// (meetings themselves left out).
    fn facts_schedule(&self, f: &mut AgendaFacts) -> Result<()> {
        let (today, until) = (f.today.to_string(), f.until.to_string());
        const AHEAD: &str = "FROM event e JOIN term t ON t.id = e.term_id
             WHERE e.done_on IS NULL AND e.phase <> 'meeting' AND e.ends_on >= ?1 AND e.starts_on <= ?2";
        const LATE: &str = "FROM event e JOIN term t ON t.id = e.term_id
             WHERE e.done_on IS NULL AND e.phase <> 'meeting' AND e.ends_on < ?1 AND t.year = ?2";
        f.windows_ahead = self.conn.query_row(
            &format!("SELECT count(*) {AHEAD}"),
            params![today, until],
            |r| r.get::<_, i64>(0),
        )? as usize;
        f.windows_ahead_top = self.window_rows(
            &format!(
                "SELECT e.id, e.title, e.starts_on, e.ends_on {AHEAD}
                 ORDER BY e.ends_on, e.starts_on, e.id LIMIT {TOP}"
            ),
            params![today, until],
        )?;
        f.windows_overdue = self.conn.query_row(
            &format!("SELECT count(*) {LATE}"),
            params![today, f.year],
            |r| r.get::<_, i64>(0),
        )? as usize;
        f.windows_overdue_top = self.window_rows(
            &format!(
                "SELECT e.id, e.title, e.starts_on, e.ends_on {LATE}
                 ORDER BY e.ends_on, e.id LIMIT {TOP}"
            ),
            params![today, f.year],
        )?;
        Ok(())
    }

    /// Progress counted in SQL; the due dates of the year's open items
    /// (their windows are text as the school wrote it) read in Rust.
    fn facts_checklists(&self, f: &mut AgendaFacts) -> Result<()> {
        let (total, done): (i64, i64) = self.conn.query_row(
            "SELECT coalesce(sum(i.status <> 'not_applicable'), 0), coalesce(sum(i.status = 'done'), 0)
             FROM checklist_item i JOIN checklist c ON c.id = i.checklist_id WHERE c.year = ?1",
            [f.year],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        f.checklist_total = total as usize;
        f.checklist_done = done as usize;
        let cols = super::checklist::ITEM_COLS
            .split(',')
            .map(|c| format!("i.{}", c.trim()))
            .collect::<Vec<_>>()
            .join(", ");
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {cols}, e.ends_on FROM checklist_item i
             JOIN checklist c ON c.id = i.checklist_id
             LEFT JOIN event e ON e.id = i.event_id
             WHERE c.year = ?1 AND i.status IN ('not_started', 'in_progress')"
        ))?;
        let rows = st.query_map([f.year], |r| {
            let rec = super::checklist::item_from_row(r)?;
            let linked: Option<NaiveDate> = r.get::<_, Option<NaiveDate>>(15).unwrap_or(None);
            Ok((rec.item, linked))
        })?;
        let mut late: Vec<(NaiveDate, Item)> = Vec::new();
        for row in rows {
            let (item, linked) = row?;
            let due = item.due(linked);
            if item.overdue(due, f.today)
                && let Some(d) = due
            {
                late.push((d, item));
            }
        }
        late.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.id.cmp(&b.1.id)));
        f.checklist_overdue = late.len();
        let mut by_unit: Vec<(String, usize)> = Vec::new();
        for (_, i) in &late {
            let mut seen: Vec<String> = Vec::new();
            for u in &i.units {
                let k = crate::domain::checklist::unit_key(u);
                if seen.contains(&k) {
                    continue;
                }
                match by_unit.iter_mut().find(|(n, _)| *n == k) {
                    Some((_, c)) => *c += 1,
                    None => by_unit.push((k.clone(), 1)),
                }
                seen.push(k);
            }
        }
        by_unit.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        f.checklist_overdue_by_unit = by_unit;
        f.checklist_overdue_top = late
            .into_iter()
            .take(TOP)
            .map(|(d, i)| DueRow {
                title: i.title,
                units: i.units,
                due: Some(d),
            })
            .collect();
        Ok(())
    }

    /// The current receipt round: confirmation progress and open
    /// discrepancies by unit (the dashboard's aggregates) and by category.
    fn facts_receipts(&self, f: &mut AgendaFacts) -> Result<()> {
        let Some(term) = self.current_receipt_term(f.today)? else {
            return Ok(());
        };
        let p = self.confirm_progress(term)?;
        let window = self.confirm_window(term)?;
        let disc = self.discrepancy_summary(term, f.today)?;
        let by_unit: Vec<UnitCount> = disc
            .open_by_unit
            .iter()
            .zip(&disc.overdue_by_unit)
            .map(|((unit, open), late)| UnitCount {
                unit: unit.clone(),
                open: *open,
                overdue: *late,
            })
            .collect();
        let mut st = self.conn.prepare_cached(
            "SELECT category, count(*) FROM discrepancy
             WHERE term_id = (SELECT id FROM term WHERE year = ?1 AND semester = ?2)
               AND status NOT IN ('closed', 'rejected')
             GROUP BY category ORDER BY count(*) DESC, category",
        )?;
        let by_category = st
            .query_map(params![term.year, term.semester], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as usize))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?
            .into_iter()
            .filter_map(|(c, n)| Category::parse(&c).map(|c| (c, n)))
            .collect();
        f.receipts = Some(ReceiptFacts {
            term,
            students: p.total,
            confirmed: p.confirmed,
            deemed: p.deemed,
            disputed: p.disputed,
            unconfirmed: p.unconfirmed,
            window_end: window.map(|w| w.span.end),
            open: disc.open,
            overdue: disc.overdue,
            by_unit: by_unit.into_iter().take(TOP).collect(),
            by_category,
        });
        Ok(())
    }

    /// The roster of the year (vacant seats, members who left) and who can
    /// act for whom today.
    fn facts_people(&self, f: &mut AgendaFacts) -> Result<()> {
        if let Some(c) = self.committee(f.year)? {
            let mut st = self.conn.prepare_cached(
                "SELECT s.title, p.name, p.status FROM seat s LEFT JOIN staff p ON p.id = s.staff_id
                 WHERE s.committee_id = ?1 ORDER BY s.ordinal",
            )?;
            let rows = st
                .query_map([c.id], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, Option<String>>(1)?,
                        r.get::<_, Option<String>>(2)?,
                    ))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let mut roster = RosterFacts {
                year: f.year,
                seats: rows.len(),
                ..Default::default()
            };
            for (seat, name, status) in rows {
                match (name, status.as_deref()) {
                    (Some(name), Some("left")) => {
                        roster.vacant.push(seat.clone());
                        roster.left.push((seat, name));
                    }
                    (Some(_), _) => {}
                    (None, _) => roster.vacant.push(seat),
                }
            }
            f.roster = Some(roster);
        }
        let world = self.world()?;
        let positions = self.office_positions(f.year)?;
        let teachers = self.teachers_with_uncertified()?;
        for finding in coverage(&world, f.today, &positions, &teachers) {
            match finding {
                Finding::NoOneCanAct { position, .. } => f.no_one_can_act.push(position),
                Finding::NoCertificationSubstitute { teacher, .. } => {
                    f.no_cert_substitute.push(teacher.name)
                }
                _ => {}
            }
        }
        Ok(())
    }
}
