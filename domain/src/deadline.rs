//! A case's deadlines: generated from its playbook and the events recorded on
//! its timeline, recomputed whenever an event date is corrected (the same
//! events always give the same deadlines), and judged on a given day.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

use crate::access::Role;
use crate::calendar::{Calendar, CalendarError};
use crate::field_error::FieldErrors;
use crate::playbook::{Event, Playbook, StepUnit};
use crate::uk_time;

/// An event on the case's timeline, as it stands after any correction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedEvent {
    pub kind: Event,
    pub on: NaiveDate,
    /// The exact time, for steps counted in hours.
    #[serde(default)]
    pub at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    pub step_key: String,
    pub name: String,
    pub owner: Role,
    pub statutory: bool,
    pub source: String,
    pub due: NaiveDate,
    /// For steps counted in hours: the exact moment, UTC.
    pub due_at: Option<DateTime<Utc>>,
    pub done_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineStatus {
    /// Done on or before the (extended) due date.
    Met,
    /// Done after it.
    Late,
    /// Not done and the due date has passed.
    Overdue,
    /// Not done, due today or on the next working day (amber).
    DueSoon,
    /// Not done, due later (green).
    OnTrack,
}

impl DeadlineStatus {
    pub const ALL: [DeadlineStatus; 5] =
        [DeadlineStatus::Met, DeadlineStatus::Late, DeadlineStatus::Overdue, DeadlineStatus::DueSoon, DeadlineStatus::OnTrack];

    pub fn label(self) -> &'static str {
        match self {
            DeadlineStatus::Met => "Done on time",
            DeadlineStatus::Late => "Done late",
            DeadlineStatus::Overdue => "Overdue",
            DeadlineStatus::DueSoon => "Due soon",
            DeadlineStatus::OnTrack => "On track",
        }
    }
}

/// A new due date with the reason for it. The original due date is kept for
/// reporting (rapid reviews on time, LCSPRs within 6 months).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    pub due: NaiveDate,
    pub reason: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ExtensionInput {
    pub due: Option<String>,
    pub reason: Option<String>,
    pub version: Option<u32>,
}

impl ExtensionInput {
    /// An extension of a deadline currently due on `current_due`.
    pub fn parse(&self, current_due: NaiveDate) -> Result<(Extension, u32), FieldErrors> {
        let mut e = FieldErrors::default();
        let due = match crate::date_input::parse_iso_date(self.due.as_deref().unwrap_or("")) {
            Ok(due) if due <= current_due => {
                e.push("due", "The new due date must be after the current one");
                None
            }
            Ok(due) => Some(due),
            Err(problem) => {
                e.push("due", problem.message("new due date"));
                None
            }
        };
        let reason = self.reason.as_deref().unwrap_or("").trim().to_string();
        if reason.chars().count() < 5 {
            e.push("reason", "Give the reason for the extension, for example that agency information is pending");
        } else if reason.chars().count() > 1000 {
            e.push("reason", "The reason must be 1000 characters or fewer");
        }
        if self.version.is_none() {
            e.push("version", "Send the version of the deadline you are extending");
        }
        match (due, self.version) {
            (Some(due), Some(version)) if e.is_empty() => Ok((Extension { due, reason }, version)),
            _ => Err(e),
        }
    }
}

fn first(events: &[RecordedEvent], kind: Event) -> Option<&RecordedEvent> {
    events.iter().filter(|e| e.kind == kind).min_by_key(|e| (e.on, e.at))
}

/// The deadlines of every step whose anchor event has been recorded. A step
/// is done by the first event that completes it on or after its anchor.
pub fn deadlines(playbook: &Playbook, calendar: &Calendar, events: &[RecordedEvent]) -> Result<Vec<Deadline>, CalendarError> {
    let mut out = Vec::new();
    for step in &playbook.steps {
        let Some(anchor) = first(events, step.anchor) else { continue };
        let (due, due_at) = match step.unit.calendar_unit() {
            Some(unit) => (calendar.due(anchor.on, step.offset, unit)?, None),
            None => {
                // Hours are exact: from the recorded time, or from the start of the day in the UK.
                let start = anchor.at.unwrap_or_else(|| uk_time::from_uk(anchor.on.and_time(NaiveTime::MIN)));
                let due_at = uk_time::hours_after(start, step.offset);
                (uk_time::uk_date(due_at), Some(due_at))
            }
        };
        let counted_from = if step.unit == StepUnit::WorkingDaysBefore { NaiveDate::MIN } else { anchor.on };
        let done_on = events.iter().filter(|e| e.kind == step.done_by && e.on >= counted_from).map(|e| e.on).min();
        out.push(Deadline {
            step_key: step.key.clone(),
            name: step.name.clone(),
            owner: step.owner,
            statutory: step.statutory,
            source: step.source.clone(),
            due,
            due_at,
            done_on,
        });
    }
    out.sort_by(|a, b| (a.due, &a.step_key).cmp(&(b.due, &b.step_key)));
    Ok(out)
}

/// The status of a deadline on `today`, judged against its extension if it has one.
pub fn status(deadline: &Deadline, extension: Option<&Extension>, today: NaiveDate, calendar: &Calendar) -> Result<DeadlineStatus, CalendarError> {
    let due = extension.map_or(deadline.due, |x| x.due);
    Ok(match deadline.done_on {
        Some(done) if done <= due => DeadlineStatus::Met,
        Some(_) => DeadlineStatus::Late,
        None if today > due => DeadlineStatus::Overdue,
        // Today counts as the first of the two working days when it is one.
        None if due <= calendar.day_number(today, 2)? => DeadlineStatus::DueSoon,
        None => DeadlineStatus::OnTrack,
    })
}

/// Working days left until the (extended) due date: 0 on the day, negative when overdue.
pub fn working_days_left(deadline: &Deadline, extension: Option<&Extension>, today: NaiveDate, calendar: &Calendar) -> Result<i64, CalendarError> {
    calendar.working_days_between(today, extension.map_or(deadline.due, |x| x.due))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }
    fn ev(kind: Event, on: NaiveDate) -> RecordedEvent {
        RecordedEvent { kind, on, at: None }
    }
    fn cal() -> &'static Calendar {
        Calendar::england_and_wales()
    }
    fn find<'a>(list: &'a [Deadline], key: &str) -> &'a Deadline {
        list.iter().find(|d| d.step_key == key).unwrap()
    }

    #[test]
    fn deadlines_follow_recorded_events() {
        let krscp = Playbook::preset("krscp").unwrap();
        let events = vec![ev(Event::Aware, d(2026, 12, 24)), ev(Event::ReferralReceived, d(2026, 12, 24))];
        let list = deadlines(&krscp, cal(), &events).unwrap();
        assert_eq!(find(&list, "notify_panel").due, d(2027, 1, 5));
        assert!(list.iter().all(|dl| dl.step_key != "submit_rapid_review"), "not until the notification is sent");

        let mut events = events;
        events.push(ev(Event::Notified, d(2027, 1, 4)));
        let list = deadlines(&krscp, cal(), &events).unwrap();
        assert_eq!(find(&list, "notify_panel").done_on, Some(d(2027, 1, 4)));
        assert_eq!(find(&list, "submit_rapid_review").due, d(2027, 1, 25));
        assert_eq!(find(&list, "rapid_review_meeting").due, d(2027, 1, 18));
    }

    #[test]
    fn correcting_an_anchor_moves_its_deadlines() {
        let national = Playbook::preset("national").unwrap();
        let before = deadlines(&national, cal(), &[ev(Event::Aware, d(2026, 12, 24))]).unwrap();
        let after = deadlines(&national, cal(), &[ev(Event::Aware, d(2026, 12, 22))]).unwrap();
        assert_eq!(find(&before, "notify_panel").due, d(2027, 1, 5));
        assert_eq!(find(&after, "notify_panel").due, d(2026, 12, 31));
    }

    #[test]
    fn publication_steps_count_months_and_working_days_before() {
        let national = Playbook::preset("national").unwrap();
        let list = deadlines(&national, cal(), &[ev(Event::ReviewDecided, d(2026, 8, 31)), ev(Event::PublicationPlanned, d(2027, 2, 26))]).unwrap();
        assert_eq!(find(&list, "publish_lcspr").due, d(2027, 2, 28));
        assert_eq!(find(&list, "report_to_panel").due, d(2027, 2, 17));
    }

    #[test]
    fn hours_are_exact_and_shown_in_uk_time() {
        let kirklees = Playbook::preset("kirklees").unwrap();
        let at = uk_time::from_uk(d(2026, 10, 23).and_hms_opt(10, 0, 0).unwrap());
        let list = deadlines(&kirklees, cal(), &[RecordedEvent { kind: Event::InformationRequested, on: d(2026, 10, 23), at: Some(at) }]).unwrap();
        let returned = find(&list, "information_returned");
        assert_eq!(uk_time::format_uk(returned.due_at.unwrap()), "Sunday 25 October 2026, 09:00 GMT");
        assert_eq!(returned.due, d(2026, 10, 25));
    }

    #[test]
    fn statuses_on_a_given_day() {
        let deadline = Deadline {
            step_key: "notify_panel".into(),
            name: "Notify".into(),
            owner: Role::PartnershipTeam,
            statutory: true,
            source: "s16C".into(),
            due: d(2027, 1, 5),
            due_at: None,
            done_on: None,
        };
        let s = |today| status(&deadline, None, today, cal()).unwrap();
        assert_eq!(s(d(2026, 12, 24)), DeadlineStatus::OnTrack);
        // Thursday 31 December: the two working days are the 31st and Monday 4 January.
        assert_eq!(s(d(2026, 12, 31)), DeadlineStatus::OnTrack);
        // New Year's Day is not a working day: the next two are Monday 4 and Tuesday 5 January.
        assert_eq!(s(d(2027, 1, 1)), DeadlineStatus::DueSoon);
        assert_eq!(s(d(2027, 1, 4)), DeadlineStatus::DueSoon);
        assert_eq!(s(d(2027, 1, 5)), DeadlineStatus::DueSoon);
        assert_eq!(s(d(2027, 1, 6)), DeadlineStatus::Overdue);
        let done = |on| status(&Deadline { done_on: Some(on), ..deadline.clone() }, None, d(2027, 2, 1), cal()).unwrap();
        assert_eq!(done(d(2027, 1, 5)), DeadlineStatus::Met);
        assert_eq!(done(d(2027, 1, 6)), DeadlineStatus::Late);
        assert_eq!(working_days_left(&deadline, None, d(2026, 12, 24), cal()).unwrap(), 5);
    }

    #[test]
    fn an_extension_moves_the_judgement_but_keeps_the_original_date() {
        let deadline = Deadline {
            step_key: "submit_rapid_review".into(),
            name: "Submit".into(),
            owner: Role::PartnershipTeam,
            statutory: true,
            source: "WT".into(),
            due: d(2027, 1, 25),
            due_at: None,
            done_on: Some(d(2027, 1, 28)),
        };
        let (extension, version) = ExtensionInput { due: Some("2027-02-01".into()), reason: Some("Police information pending".into()), version: Some(2) }.parse(deadline.due).unwrap();
        assert_eq!(version, 2);
        assert_eq!(status(&deadline, Some(&extension), d(2027, 2, 2), cal()).unwrap(), DeadlineStatus::Met);
        assert_eq!(status(&deadline, None, d(2027, 2, 2), cal()).unwrap(), DeadlineStatus::Late);
        assert_eq!(deadline.due, d(2027, 1, 25), "the original date is kept");
        let e = ExtensionInput { due: Some("2027-01-20".into()), reason: Some("".into()), version: None }.parse(deadline.due).unwrap_err();
        let named: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(named, vec!["due", "reason", "version"]);
    }

    proptest! {
        #[test]
        fn every_deadline_has_exactly_one_status(offset in 0u32..2000, today_offset in 0u32..2000, done in proptest::option::of(0u32..2000)) {
            let base = d(2020, 1, 1);
            let deadline = Deadline {
                step_key: "k".into(), name: "n".into(), owner: Role::PartnershipTeam, statutory: true, source: "s".into(),
                due: base + chrono::Days::new(offset as u64), due_at: None,
                done_on: done.map(|x| base + chrono::Days::new(x as u64)),
            };
            let today = base + chrono::Days::new(today_offset as u64);
            let s = status(&deadline, None, today, cal()).unwrap();
            match deadline.done_on {
                Some(done) => prop_assert_eq!(s, if done <= deadline.due { DeadlineStatus::Met } else { DeadlineStatus::Late }),
                None if today > deadline.due => prop_assert_eq!(s, DeadlineStatus::Overdue),
                None => prop_assert!(matches!(s, DeadlineStatus::DueSoon | DeadlineStatus::OnTrack)),
            }
        }
    }
}
