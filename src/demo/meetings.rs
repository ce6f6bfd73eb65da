//! The demo's committee meetings: the first meeting of the term, held on
//! the calendar's meeting day (靜心's real 工作小組會議 of late September),
//! with attendance, minutes and one decision still open; and the term's
//! next meeting, planned two weeks ahead with the standing reports, the
//! open decision carried forward and two motions.

use chrono::{Days, NaiveDate, NaiveTime};

use crate::domain::calendar::Phase;
use crate::domain::meeting::{
    AttendEntry, AttendStatus, DecisionDraft, ItemDraft, MeetingDraft, MeetingKind, MeetingStatus,
    Section,
};
use crate::domain::roc::{Term, academic_year_of};
use crate::store::{Result, Store, StoreError};

fn at(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN)
}

/// A refusal (the date falls outside the recorded terms, say) skips that
/// meeting; anything else is an error.
fn skip_refused<T>(r: Result<T>) -> Result<Option<T>> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(StoreError::Refused { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

pub fn seed(store: &mut Store, today: NaiveDate) -> Result<()> {
    let term = Term::containing(today);
    let span = term.span();
    // The held meeting: the calendar's meeting window of this term when it
    // is past, else a week ago (if still in the term).
    let calendar_day = store
        .events()?
        .into_iter()
        .map(|e| e.event)
        .find(|e| e.term == term && e.phase == Phase::Meeting && e.span.start < today)
        .map(|e| e.span.start);
    let held_day = calendar_day.or_else(|| {
        today
            .checked_sub_days(Days::new(7))
            .filter(|d| *d >= span.start)
    });
    if let Some(day) = held_day {
        seed_held(store, day, today)?;
    }
    let next_day = today.checked_add_days(Days::new(14)).unwrap_or(today);
    if academic_year_of(next_day) == academic_year_of(today) {
        seed_planned(store, next_day, today)?;
    }
    Ok(())
}

fn seed_held(store: &mut Store, day: NaiveDate, today: NaiveDate) -> Result<()> {
    let draft = MeetingDraft {
        date: day,
        starts_at: at(12, 10),
        ends_at: Some(at(13, 0)),
        place: "行政大樓第一會議室".into(),
        kind: MeetingKind::Regular,
        chair_id: None,
        recorder_id: None,
    };
    let Some(m) = skip_refused(store.plan_meeting(&draft))? else {
        return Ok(());
    };
    let motions = [
        (
            "擬訂本學期學生學習歷程檔案作業日程",
            "教務處",
            "依國教署期程訂定校內各項上傳、認證、勾選期限。",
            "如附件日程表，通過後公告周知。",
        ),
        (
            "辦理高一學生學習歷程檔案說明會",
            "輔導處",
            "高一新生尚未熟悉平臺操作。",
            "於班會時間分班辦理，並請導師協助。",
        ),
    ];
    for (title, proposer, body, proposal) in motions {
        store.add_agenda_item(
            m.id,
            &ItemDraft {
                section: Section::Motion,
                title: title.into(),
                topic: None,
                body: body.into(),
                proposer: proposer.into(),
                proposal: proposal.into(),
            },
        )?;
    }
    // Attendance: everyone present but one excused and one represented.
    let rows = store.attendance(m.id)?;
    let proxy = store
        .list_staff()?
        .into_iter()
        .find(|s| s.is_active() && s.positions.iter().any(|p| p == "生輔組長"))
        .map(|s| s.id);
    let entries: Vec<AttendEntry> = rows
        .iter()
        .enumerate()
        .map(|(n, r)| {
            let (status, proxy_id) = match n {
                4 => (AttendStatus::Excused, None),
                7 if proxy.is_some_and(|p| p != r.staff_id) => (AttendStatus::Proxy, proxy),
                _ => (AttendStatus::Present, None),
            };
            AttendEntry {
                staff_id: r.staff_id,
                status: Some(status),
                proxy_id,
            }
        })
        .collect();
    store.set_attendance(m.id, &entries)?;
    // The reports the committee saw, frozen when the meeting is held.
    crate::agenda_refresh::refresh_reports(store, m.id, today)?;
    let m = store.meeting(m.id)?;
    let m = store.set_meeting_status(m.id, m.meta.version, MeetingStatus::Held, today)?;
    // Minutes: the reports noted, the schedule adopted and done, the
    // information session decided and still open (due two weeks on).
    let due_done = day.checked_add_days(Days::new(7)).unwrap_or(day);
    let due_open = day.checked_add_days(Days::new(21)).unwrap_or(day);
    for item in store.agenda_items(m.id)? {
        let decision = match (item.section, item.title.as_str()) {
            (Section::Report, _) => DecisionDraft {
                decision: "洽悉。".into(),
                ..Default::default()
            },
            (Section::Motion, t) if t.contains("日程") => DecisionDraft {
                decision: "照案通過，由教務處公告。".into(),
                owner: "教務處".into(),
                due_on: Some(due_done),
            },
            (Section::Motion, _) => DecisionDraft {
                decision: "修正通過：說明會改於彈性學習時間辦理。".into(),
                owner: "輔導處".into(),
                due_on: Some(due_open),
            },
            _ => continue,
        };
        let saved = store.record_decision(item.id, item.meta.version, &decision)?;
        if decision.owner == "教務處" && due_done <= today {
            store.set_decision_done(saved.id, saved.meta.version, Some(due_done))?;
        }
    }
    if today > day.checked_add_days(Days::new(14)).unwrap_or(day) {
        let m = store.meeting(m.id)?;
        store.set_meeting_status(m.id, m.meta.version, MeetingStatus::Confirmed, today)?;
    }
    Ok(())
}

fn seed_planned(store: &mut Store, day: NaiveDate, today: NaiveDate) -> Result<()> {
    let draft = MeetingDraft {
        date: day,
        starts_at: at(12, 10),
        ends_at: Some(at(13, 0)),
        place: "行政大樓第一會議室".into(),
        kind: MeetingKind::Regular,
        chair_id: None,
        recorder_id: None,
    };
    let Some(m) = skip_refused(store.plan_meeting(&draft))? else {
        return Ok(());
    };
    let motions = [
        (
            "修正本校學生學習歷程檔案作業補充規定",
            "教務處",
            "配合國教署作業要點修正，調整收訖確認期間與代理人名單。",
            "修正條文對照表如附件，通過後提校務會議。",
        ),
        (
            "學習歷程檔案推動績優人員敘獎",
            "教務處",
            "依補充規定成效評核及獎勵辦理。",
            "名單如附件，依本校教職員獎勵標準敘獎。",
        ),
    ];
    for (title, proposer, body, proposal) in motions {
        store.add_agenda_item(
            m.id,
            &ItemDraft {
                section: Section::Motion,
                title: title.into(),
                topic: None,
                body: body.into(),
                proposer: proposer.into(),
                proposal: proposal.into(),
            },
        )?;
    }
    // The live reports as of the day the demo is made (`g` regenerates them).
    crate::agenda_refresh::refresh_reports(store, m.id, today)?;
    Ok(())
}
