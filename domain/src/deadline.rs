//! A case's deadlines: generated from its playbook, the events recorded on
//! its timeline and the route its decisions have set, recomputed whenever an
//! event or a decision is recorded or corrected (the same facts always give
//! the same deadlines), and judged on a given day.
//!
//! Invariants: a step whose route is ruled out, or whose case is closed, is
//! *not applicable* with a reason and is never overdue; a step whose route is
//! not yet known is not shown; a window's early completion is never late.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

use crate::access::Role;
use crate::calendar::{Calendar, CalendarError};
use crate::field_error::FieldErrors;
use crate::playbook::{Applies, Event, Playbook, Step, StepUnit};
use crate::rapid_review::ReviewOption;
use crate::threshold::ThresholdOutcome;
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

/// What the threshold decision settled about the case's route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThresholdRoute {
    pub outcome: ThresholdOutcome,
    pub decided_on: NaiveDate,
    /// The engine's answer: `Some(false)` when no rapid review follows (a looked
    /// after child's death without abuse or neglect, a care leaver's death).
    #[serde(default)]
    pub rapid_review_required: Option<bool>,
    #[serde(default)]
    pub child_died: Option<bool>,
}

/// The rapid review outcome (or the case review group's decision on a referral without notification).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewRoute {
    pub option: ReviewOption,
    pub decided_on: NaiveDate,
}

/// The decisions that choose which steps apply. Both are `None` until made.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Route {
    pub threshold: Option<ThresholdRoute>,
    pub review: Option<ReviewRoute>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    pub step_key: String,
    pub name: String,
    pub owner: Role,
    pub statutory: bool,
    pub source: String,
    /// For a window: the first date on which doing it is not early.
    #[serde(default)]
    pub earliest: Option<NaiveDate>,
    pub due: NaiveDate,
    /// For steps counted in hours: the exact moment, UTC.
    pub due_at: Option<DateTime<Utc>>,
    pub done_on: Option<NaiveDate>,
    /// Why the step no longer applies, when the case's route or closure ruled it out.
    #[serde(default)]
    pub not_applicable: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineStatus {
    /// Done on or before the (extended) due date, and not before a window opened.
    Met,
    /// Done before a window's earliest date: shown, never counted as late.
    Early,
    /// Done after it.
    Late,
    /// Not done and the due date has passed.
    Overdue,
    /// Not done, due today or on the next working day (amber).
    DueSoon,
    /// Not done, due later (green).
    OnTrack,
    /// Ruled out by the case's route or closure, with its reason.
    NotApplicable,
}

impl DeadlineStatus {
    pub const ALL: [DeadlineStatus; 7] = [
        DeadlineStatus::Met,
        DeadlineStatus::Early,
        DeadlineStatus::Late,
        DeadlineStatus::Overdue,
        DeadlineStatus::DueSoon,
        DeadlineStatus::OnTrack,
        DeadlineStatus::NotApplicable,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DeadlineStatus::Met => "met",
            DeadlineStatus::Early => "early",
            DeadlineStatus::Late => "late",
            DeadlineStatus::Overdue => "overdue",
            DeadlineStatus::DueSoon => "due_soon",
            DeadlineStatus::OnTrack => "on_track",
            DeadlineStatus::NotApplicable => "not_applicable",
        }
    }

    pub fn parse(raw: &str) -> Option<DeadlineStatus> {
        DeadlineStatus::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    pub fn label(self) -> &'static str {
        match self {
            DeadlineStatus::Met => "Done on time",
            DeadlineStatus::Early => "Done early",
            DeadlineStatus::Late => "Done late",
            DeadlineStatus::Overdue => "Overdue",
            DeadlineStatus::DueSoon => "Due soon",
            DeadlineStatus::OnTrack => "On track",
            DeadlineStatus::NotApplicable => "Not applicable",
        }
    }

    /// Still to be done: the statuses that turn red and send reminders.
    pub fn is_open(self) -> bool {
        matches!(self, DeadlineStatus::Overdue | DeadlineStatus::DueSoon | DeadlineStatus::OnTrack)
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

fn long_date(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

/// Whether a step applies on the case's route as far as it is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applicability {
    Applies,
    /// The decision that settles it has not been made: the step is not shown yet.
    NotYetKnown,
    NotApplicable(String),
}

/// The decision of the threshold that rules a route out, in words.
fn ruled_out_by(threshold: &ThresholdRoute) -> String {
    format!("{}: decision of {}", threshold.outcome.label(), long_date(threshold.decided_on))
}

pub fn applicability(route_of: Applies, route: &Route, events: &[RecordedEvent]) -> Applicability {
    use Applicability::{NotApplicable, NotYetKnown};
    let notified = first(events, Event::Notified);
    let threshold = route.threshold.as_ref();
    let notifies = |t: &ThresholdRoute| matches!(t.outcome, ThresholdOutcome::Notify | ThresholdOutcome::PlacingAuthorityInvited);
    match route_of {
        Applies::Always => Applicability::Applies,
        // The duty runs from awareness until a decision rules it out; a
        // notification actually sent always keeps it.
        Applies::PanelNotified => match threshold {
            Some(t) if notified.is_none() && !notifies(t) => NotApplicable(ruled_out_by(t)),
            _ => Applicability::Applies,
        },
        Applies::RapidReview => match threshold {
            Some(t) if t.rapid_review_required == Some(false) => {
                NotApplicable(format!("No rapid review is required: decision of {}", long_date(t.decided_on)))
            }
            Some(t) if notified.is_none() && !notifies(t) && t.outcome != ThresholdOutcome::OtherAuthorityNotifies => NotApplicable(ruled_out_by(t)),
            Some(t) if notifies(t) => Applicability::Applies,
            _ if notified.is_some() => Applicability::Applies,
            // Undecided, the rapid review's clocks run alongside the decision
            // (LLR sends requests within 2 working days of the referral).
            None => Applicability::Applies,
            Some(_) => NotYetKnown,
        },
        Applies::ReferralWithoutNotification => match (notified, threshold) {
            (Some(n), _) => NotApplicable(format!("The national panel was notified on {}: the rapid review route applies", long_date(n.on))),
            (None, Some(t)) if t.outcome == ThresholdOutcome::NotNotifiable => Applicability::Applies,
            (None, Some(t)) => NotApplicable(ruled_out_by(t)),
            (None, None) => NotYetKnown,
        },
        Applies::PlacedByAnotherAuthority => match threshold {
            Some(t) if t.outcome == ThresholdOutcome::PlacingAuthorityInvited => Applicability::Applies,
            Some(t) => NotApplicable(format!("No placing authority was invited to notify: decision of {}", long_date(t.decided_on))),
            None => NotYetKnown,
        },
        Applies::ChildDied => match threshold.and_then(|t| t.child_died.map(|died| (died, t))) {
            Some((true, _)) => Applicability::Applies,
            Some((false, t)) => NotApplicable(format!("The child did not die: decision of {}", long_date(t.decided_on))),
            None => NotYetKnown,
        },
        Applies::Lcspr => match route.review {
            Some(r) if r.option == ReviewOption::Lcspr => Applicability::Applies,
            Some(r) => NotApplicable(format!("Rapid review outcome: {} (decision of {})", r.option.label(), long_date(r.decided_on))),
            None if first(events, Event::ReviewDecided).is_some() => Applicability::Applies,
            None => NotYetKnown,
        },
        Applies::Disagreement => match first(events, Event::ThresholdDisputed) {
            Some(_) => Applicability::Applies,
            None => NotYetKnown,
        },
    }
}

/// Events that come before the rapid review's decision: once the outcome is
/// decided, a step still waiting on one of them is moot, not overdue.
fn before_the_outcome(event: Event) -> bool {
    matches!(event, Event::InformationRequested | Event::InformationReturned | Event::MeetingScheduled | Event::PapersSent | Event::MeetingHeld)
}

/// The date N units from an anchor: a date, and the exact moment for hours.
fn count(step: &Step, anchor: &RecordedEvent, n: u32, calendar: &Calendar) -> Result<(NaiveDate, Option<DateTime<Utc>>), CalendarError> {
    Ok(match step.unit.calendar_unit() {
        Some(unit) => (calendar.due(anchor.on, n, unit)?, None),
        None => {
            // Hours are exact: from the recorded time, or from the start of the day in the UK.
            let start = anchor.at.unwrap_or_else(|| uk_time::from_uk(anchor.on.and_time(NaiveTime::MIN)));
            let at = uk_time::hours_after(start, n);
            (uk_time::uk_date(at), Some(at))
        }
    })
}

/// The deadlines of every step whose anchor event has been recorded and
/// whose route applies or has been ruled out. A step is done by the first
/// event that completes it on or after its anchor.
pub fn deadlines(playbook: &Playbook, calendar: &Calendar, events: &[RecordedEvent], route: &Route) -> Result<Vec<Deadline>, CalendarError> {
    let closed = first(events, Event::Closed).map(|e| e.on);
    let outcome_on = route.review.map(|r| r.decided_on).or_else(|| first(events, Event::OutcomeDecided).map(|e| e.on));
    let mut out = Vec::new();
    for step in &playbook.steps {
        let Some(anchor) = first(events, step.anchor) else { continue };
        let mut not_applicable = match applicability(step.applies, route, events) {
            Applicability::NotYetKnown => continue,
            Applicability::Applies => None,
            Applicability::NotApplicable(reason) => Some(reason),
        };
        let (due, due_at) = count(step, anchor, step.offset, calendar)?;
        let earliest = match step.earliest {
            Some(n) => Some(count(step, anchor, n, calendar)?.0),
            None => None,
        };
        let counted_from = if step.unit == StepUnit::WorkingDaysBefore { NaiveDate::MIN } else { anchor.on };
        let done_on = events.iter().filter(|e| e.kind == step.done_by && e.on >= counted_from).map(|e| e.on).min();
        if done_on.is_none() && not_applicable.is_none() {
            if let Some(on) = outcome_on.filter(|_| before_the_outcome(step.done_by) && step.applies == Applies::RapidReview) {
                not_applicable = Some(format!("The rapid review outcome was decided on {}", long_date(on)));
            }
            if let Some(on) = closed {
                not_applicable = Some(format!("Case closed on {}", long_date(on)));
            }
        }
        out.push(Deadline {
            step_key: step.key.clone(),
            name: step.name.clone(),
            owner: step.owner,
            statutory: step.statutory,
            source: step.source.clone(),
            earliest,
            due,
            due_at,
            done_on,
            not_applicable,
        });
    }
    out.sort_by(|a, b| (a.due, &a.step_key).cmp(&(b.due, &b.step_key)));
    Ok(out)
}

/// The status of a deadline on `today`, judged against its extension if it has one.
pub fn status(deadline: &Deadline, extension: Option<&Extension>, today: NaiveDate, calendar: &Calendar) -> Result<DeadlineStatus, CalendarError> {
    let due = extension.map_or(deadline.due, |x| x.due);
    Ok(match deadline.done_on {
        _ if deadline.not_applicable.is_some() => DeadlineStatus::NotApplicable,
        Some(done) if deadline.earliest.is_some_and(|earliest| done < earliest) => DeadlineStatus::Early,
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
    use crate::rapid_review::ReviewOption;

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
        let list = deadlines(&krscp, cal(), &events, &Route::default()).unwrap();
        assert_eq!(find(&list, "notify_panel").due, d(2027, 1, 5));
        assert!(list.iter().all(|dl| dl.step_key != "submit_rapid_review"), "not until the notification is sent");

        let mut events = events;
        events.push(ev(Event::Notified, d(2027, 1, 4)));
        let list = deadlines(&krscp, cal(), &events, &Route::default()).unwrap();
        assert_eq!(find(&list, "notify_panel").done_on, Some(d(2027, 1, 4)));
        assert_eq!(find(&list, "submit_rapid_review").due, d(2027, 1, 25));
        assert_eq!(find(&list, "rapid_review_meeting").due, d(2027, 1, 18));
    }

    #[test]
    fn correcting_an_anchor_moves_its_deadlines() {
        let national = Playbook::preset("national").unwrap();
        let before = deadlines(&national, cal(), &[ev(Event::Aware, d(2026, 12, 24))], &Route::default()).unwrap();
        let after = deadlines(&national, cal(), &[ev(Event::Aware, d(2026, 12, 22))], &Route::default()).unwrap();
        assert_eq!(find(&before, "notify_panel").due, d(2027, 1, 5));
        assert_eq!(find(&after, "notify_panel").due, d(2026, 12, 31));
    }

    #[test]
    fn publication_steps_count_months_and_working_days_before() {
        let national = Playbook::preset("national").unwrap();
        let list = deadlines(&national, cal(), &[ev(Event::ReviewDecided, d(2026, 8, 31)), ev(Event::PublicationPlanned, d(2027, 2, 26))], &Route::default()).unwrap();
        assert_eq!(find(&list, "publish_lcspr").due, d(2027, 2, 28));
        assert_eq!(find(&list, "report_to_panel").due, d(2027, 2, 17));
    }

    #[test]
    fn hours_are_exact_and_shown_in_uk_time() {
        let kirklees = Playbook::preset("kirklees").unwrap();
        let at = uk_time::from_uk(d(2026, 10, 23).and_hms_opt(10, 0, 0).unwrap());
        let list = deadlines(&kirklees, cal(), &[RecordedEvent { kind: Event::InformationRequested, on: d(2026, 10, 23), at: Some(at) }, ev(Event::Notified, d(2026, 10, 22))], &Route::default()).unwrap();
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
            earliest: None,
            due: d(2027, 1, 5),
            due_at: None,
            done_on: None,
            not_applicable: None,
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
            earliest: None,
            due: d(2027, 1, 25),
            due_at: None,
            done_on: Some(d(2027, 1, 28)),
            not_applicable: None,
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

    fn decided(outcome: ThresholdOutcome, on: NaiveDate) -> Route {
        Route { threshold: Some(ThresholdRoute { outcome, decided_on: on, rapid_review_required: Some(outcome == ThresholdOutcome::Notify), child_died: Some(false) }), review: None }
    }

    #[test]
    fn a_decision_not_to_notify_ends_the_duty_with_its_reason() {
        let krscp = Playbook::preset("krscp").unwrap();
        let events = vec![ev(Event::Aware, d(2026, 11, 2)), ev(Event::ReferralReceived, d(2026, 11, 2)), ev(Event::ThresholdDecided, d(2026, 11, 4))];
        let open = deadlines(&krscp, cal(), &events, &Route::default()).unwrap();
        assert_eq!(status(find(&open, "notify_panel"), None, d(2026, 12, 2), cal()).unwrap(), DeadlineStatus::Overdue, "undecided, the duty runs");
        let list = deadlines(&krscp, cal(), &events, &decided(ThresholdOutcome::NotNotifiable, d(2026, 11, 4))).unwrap();
        let notify = find(&list, "notify_panel");
        assert_eq!(notify.not_applicable.as_deref(), Some("Not notifiable: decision of 4 November 2026"));
        assert_eq!(status(notify, None, d(2026, 12, 2), cal()).unwrap(), DeadlineStatus::NotApplicable);
        assert!(list.iter().all(|d| d.step_key != "escalate_disagreement"), "no disagreement, no escalation step");
    }

    #[test]
    fn llr_meets_between_7_and_13_working_days_of_receiving_the_referral() {
        let llr = Playbook::preset("llr").unwrap();
        // Received Monday 2 November 2026: working day 7 is 11 November, 13 is 19 November.
        let base = vec![ev(Event::Aware, d(2026, 11, 2)), ev(Event::ReferralReceived, d(2026, 11, 2)), ev(Event::Notified, d(2026, 11, 5))];
        let route = decided(ThresholdOutcome::Notify, d(2026, 11, 4));
        let held = |on| {
            let mut events = base.clone();
            events.push(ev(Event::MeetingHeld, on));
            let list = deadlines(&llr, cal(), &events, &route).unwrap();
            let meeting = find(&list, "rapid_review_meeting").clone();
            assert_eq!((meeting.earliest, meeting.due), (Some(d(2026, 11, 11)), d(2026, 11, 19)));
            assert_eq!(list.iter().filter(|d| d.step_key.starts_with("rapid_review_meeting")).count(), 1, "one row");
            status(&meeting, None, d(2026, 12, 2), cal()).unwrap()
        };
        assert_eq!(held(d(2026, 11, 12)), DeadlineStatus::Met, "working day 8 is inside the window");
        assert_eq!(held(d(2026, 11, 19)), DeadlineStatus::Met);
        assert_eq!(held(d(2026, 11, 10)), DeadlineStatus::Early);
        assert_eq!(held(d(2026, 11, 20)), DeadlineStatus::Late);
    }

    #[test]
    fn routes_open_and_close_the_steps_that_depend_on_them() {
        let llr = Playbook::preset("llr").unwrap();
        let events = vec![ev(Event::Aware, d(2026, 11, 2)), ev(Event::ReferralReceived, d(2026, 11, 2))];
        let keys = |route: &Route| deadlines(&llr, cal(), &events, route).unwrap().into_iter().map(|d| (d.step_key, d.not_applicable.is_some())).collect::<Vec<_>>();
        let undecided = keys(&Route::default());
        assert!(!undecided.iter().any(|(k, _)| k == "discuss_referral"), "not shown until the route is known: {undecided:?}");
        assert!(undecided.contains(&("rapid_review_meeting".into(), false)), "the rapid review runs alongside the decision");
        let not_notified = keys(&decided(ThresholdOutcome::NotNotifiable, d(2026, 11, 4)));
        assert!(not_notified.contains(&("discuss_referral".into(), false)));
        assert!(not_notified.contains(&("decide_referral".into(), false)));
        assert!(not_notified.contains(&("rapid_review_meeting".into(), true)));
        let notified = keys(&decided(ThresholdOutcome::Notify, d(2026, 11, 4)));
        assert!(notified.contains(&("discuss_referral".into(), true)));
        assert!(notified.contains(&("rapid_review_meeting".into(), false)));

        // Kent: the placing authority's 24 hours run from the decision that invites it, only then.
        let kent = Playbook::preset("kent").unwrap();
        let at = uk_time::from_uk(d(2026, 11, 4).and_hms_opt(15, 0, 0).unwrap());
        let events = vec![ev(Event::Aware, d(2026, 11, 2)), ev(Event::ReferralReceived, d(2026, 11, 2)), RecordedEvent { kind: Event::ThresholdDecided, on: d(2026, 11, 4), at: Some(at) }];
        let invited = deadlines(&kent, cal(), &events, &decided(ThresholdOutcome::PlacingAuthorityInvited, d(2026, 11, 4))).unwrap();
        assert_eq!(uk_time::format_uk(find(&invited, "placing_authority_confirms").due_at.unwrap()), "Thursday 5 November 2026, 15:00 GMT");
        let not_placed = deadlines(&kent, cal(), &events, &decided(ThresholdOutcome::Notify, d(2026, 11, 4))).unwrap();
        assert!(find(&not_placed, "placing_authority_confirms").not_applicable.as_deref().unwrap().starts_with("No placing authority"));
        let undecided = deadlines(&kent, cal(), &events[..2], &Route::default()).unwrap();
        assert!(undecided.iter().all(|d| d.step_key != "placing_authority_confirms"));

        // A looked after child's death without abuse: notified, but no rapid review.
        let route = Route { threshold: Some(ThresholdRoute { outcome: ThresholdOutcome::Notify, decided_on: d(2026, 11, 4), rapid_review_required: Some(false), child_died: Some(true) }), review: None };
        let mut events = events.clone();
        events.push(ev(Event::Notified, d(2026, 11, 5)));
        let list = deadlines(&Playbook::preset("national").unwrap(), cal(), &events, &route).unwrap();
        assert!(find(&list, "submit_rapid_review").not_applicable.as_deref().unwrap().starts_with("No rapid review is required"));
        assert_eq!(find(&list, "notify_panel").done_on, Some(d(2026, 11, 5)));
    }

    #[test]
    fn a_disagreement_is_its_own_step_and_the_outcome_closes_the_meeting() {
        let krscp = Playbook::preset("krscp").unwrap();
        let mut events = vec![ev(Event::Aware, d(2026, 11, 2)), ev(Event::ReferralReceived, d(2026, 11, 2)), ev(Event::ThresholdDisputed, d(2026, 11, 3))];
        let list = deadlines(&krscp, cal(), &events, &Route::default()).unwrap();
        let escalation = find(&list, "escalate_disagreement");
        assert_eq!((escalation.due, escalation.done_on), (d(2026, 11, 10), None));
        events.push(ev(Event::ThresholdDecided, d(2026, 11, 4)));
        let list = deadlines(&krscp, cal(), &events, &decided(ThresholdOutcome::Notify, d(2026, 11, 4))).unwrap();
        assert_eq!(find(&list, "escalate_disagreement").done_on, None, "deciding is not escalating");

        events.extend([ev(Event::Notified, d(2026, 11, 5)), ev(Event::OutcomeDecided, d(2026, 11, 18))]);
        let route = Route { review: Some(ReviewRoute { option: ReviewOption::Lcspr, decided_on: d(2026, 11, 18) }), ..decided(ThresholdOutcome::Notify, d(2026, 11, 4)) };
        let list = deadlines(&krscp, cal(), &events, &route).unwrap();
        assert_eq!(find(&list, "rapid_review_meeting").not_applicable.as_deref(), Some("The rapid review outcome was decided on 18 November 2026"));
        assert_eq!(find(&list, "submit_rapid_review").not_applicable, None, "the submission is still owed");
    }

    #[test]
    fn closing_a_case_closes_every_open_step() {
        let kirklees = Playbook::preset("kirklees").unwrap();
        let events = vec![ev(Event::Aware, d(2026, 11, 2)), ev(Event::ReferralReceived, d(2026, 11, 2)), ev(Event::Notified, d(2026, 11, 4)), ev(Event::Closed, d(2026, 11, 20))];
        let list = deadlines(&kirklees, cal(), &events, &decided(ThresholdOutcome::Notify, d(2026, 11, 3))).unwrap();
        assert!(!list.is_empty());
        for deadline in &list {
            let s = status(deadline, None, d(2027, 6, 1), cal()).unwrap();
            assert!(!s.is_open(), "{} is {s:?}", deadline.step_key);
        }
        assert_eq!(find(&list, "threshold_decision").not_applicable.as_deref(), Some("Case closed on 20 November 2026"));
        assert_eq!(find(&list, "notify_panel").not_applicable, None, "done steps keep their record");
    }

    /// The path a generated case takes through the process.
    #[derive(Debug, Clone, Copy)]
    struct Path {
        notified: bool,
        placed: bool,
        disputed: bool,
        review: ReviewOption,
    }

    /// A case where every event happens as soon as the playbook allows and
    /// so always on time: the events in process order, and its route.
    fn on_time_case(playbook: &Playbook, start: NaiveDate, path: Path) -> (Vec<RecordedEvent>, Route) {
        use Event::*;
        let mut events: Vec<RecordedEvent> = Vec::new();
        let mut route = Route::default();
        let mut cursor = start;
        // The earliest date an event may happen: after the last one, and not before a window opens.
        let next = |events: &[RecordedEvent], route: &Route, kind: Event, cursor: NaiveDate| -> NaiveDate {
            let list = deadlines(playbook, cal(), events, route).unwrap();
            let steps = playbook.steps.iter().filter(|s| s.done_by == kind);
            let opens = steps.filter_map(|s| list.iter().find(|d| d.step_key == s.key && d.done_on.is_none()).and_then(|d| d.earliest)).max();
            opens.map_or(cursor, |o| o.max(cursor))
        };
        let happen = |events: &mut Vec<RecordedEvent>, route: &Route, kind: Event, cursor: &mut NaiveDate| {
            let on = next(events, route, kind, *cursor);
            events.push(ev(kind, on));
            *cursor = on;
        };
        for kind in [IncidentKnown, Aware, ReferralReceived] {
            events.push(ev(kind, start));
        }
        if path.disputed {
            happen(&mut events, &route, ThresholdDisputed, &mut cursor);
            happen(&mut events, &route, EscalatedToLeadership, &mut cursor);
        }
        let outcome = match (path.notified, path.placed) {
            (true, true) => ThresholdOutcome::PlacingAuthorityInvited,
            (true, false) => ThresholdOutcome::Notify,
            (false, _) => ThresholdOutcome::NotNotifiable,
        };
        route.threshold = Some(ThresholdRoute { outcome, decided_on: cursor, rapid_review_required: Some(path.notified), child_died: Some(false) });
        happen(&mut events, &route, ThresholdDecided, &mut cursor);
        if path.placed {
            happen(&mut events, &route, PlacingAuthorityConfirmed, &mut cursor);
        }
        if path.notified {
            for kind in [Notified, PartnershipManagerInformed, InformationRequested, InformationReturned] {
                happen(&mut events, &route, kind, &mut cursor);
            }
            // The meeting is booked far enough ahead for the papers to go out on time.
            let meeting = next(&events, &route, MeetingHeld, cal().working_days_after(cursor, 6).unwrap());
            events.push(ev(MeetingScheduled, meeting));
            happen(&mut events, &route, PapersSent, &mut cursor);
            cursor = meeting;
            happen(&mut events, &route, MeetingHeld, &mut cursor);
        } else {
            happen(&mut events, &route, ReferralDiscussed, &mut cursor);
        }
        route.review = Some(ReviewRoute { option: path.review, decided_on: cursor });
        happen(&mut events, &route, OutcomeDecided, &mut cursor);
        if path.notified {
            for kind in [RapidReviewSubmitted, PanelResponseReceived, PanelResponseMeetingHeld] {
                happen(&mut events, &route, kind, &mut cursor);
            }
        }
        if path.review == ReviewOption::Lcspr {
            events.push(ev(ReviewDecided, route.review.unwrap().decided_on));
            for kind in [TermsOfReferenceAgreed, ReviewerAppointed, DraftReceived, SubgroupApproved, ExecutiveApproved] {
                happen(&mut events, &route, kind, &mut cursor);
            }
            let publication = cal().working_days_after(cursor, 8).unwrap();
            events.push(ev(PublicationPlanned, publication));
            happen(&mut events, &route, ReportSentToPanel, &mut cursor);
            cursor = publication;
            for kind in [Published, ActionsAgreed, ActionsCompleted] {
                happen(&mut events, &route, kind, &mut cursor);
            }
        }
        (events, route)
    }

    fn path() -> impl Strategy<Value = Path> {
        let review = prop_oneof![Just(ReviewOption::Lcspr), Just(ReviewOption::NoFurtherReview), Just(ReviewOption::SingleAgencyReview)];
        (any::<bool>(), any::<bool>(), any::<bool>(), review).prop_map(|(notified, placed, disputed, review)| Path { notified, placed: placed && notified, disputed, review })
    }

    /// Any day of 2019 to 2027 (the case runs on into the next year).
    fn start_date() -> impl Strategy<Value = NaiveDate> {
        (0u64..(365 * 9)).prop_map(|offset| d(2019, 1, 1) + chrono::Days::new(offset))
    }

    proptest! {
        #[test]
        fn every_deadline_has_exactly_one_status(offset in 0u32..2000, today_offset in 0u32..2000, done in proptest::option::of(0u32..2000)) {
            let base = d(2020, 1, 1);
            let deadline = Deadline {
                step_key: "k".into(), name: "n".into(), owner: Role::PartnershipTeam, statutory: true, source: "s".into(),
                earliest: None, due: base + chrono::Days::new(offset as u64), due_at: None,
                done_on: done.map(|x| base + chrono::Days::new(x as u64)), not_applicable: None,
            };
            let today = base + chrono::Days::new(today_offset as u64);
            let s = status(&deadline, None, today, cal()).unwrap();
            match deadline.done_on {
                Some(done) => prop_assert_eq!(s, if done <= deadline.due { DeadlineStatus::Met } else { DeadlineStatus::Late }),
                None if today > deadline.due => prop_assert_eq!(s, DeadlineStatus::Overdue),
                None => prop_assert!(matches!(s, DeadlineStatus::DueSoon | DeadlineStatus::OnTrack)),
            }
        }

        #[test]
        fn a_case_done_on_time_is_never_late_or_overdue(preset in 0usize..5, start in start_date(), path in path(), later in 0u64..400) {
            let playbook = Playbook::preset(Playbook::PRESETS[preset]).unwrap();
            let (events, route) = on_time_case(&playbook, start, path);
            let today = events.iter().map(|e| e.on).max().unwrap() + chrono::Days::new(later);
            for deadline in deadlines(&playbook, cal(), &events, &route).unwrap() {
                let s = status(&deadline, None, today, cal()).unwrap();
                prop_assert!(!matches!(s, DeadlineStatus::Late | DeadlineStatus::Overdue), "{} {} is {:?} in {:?}", playbook.id, deadline.step_key, s, path);
                prop_assert!(s != DeadlineStatus::Early, "{} {} is early", playbook.id, deadline.step_key);
            }
        }

        #[test]
        fn a_closed_case_has_no_open_step(preset in 0usize..5, start in start_date(), path in path(), cut in 3usize..40, later in 0u64..400) {
            // Closed at any point of its life, however far behind it was.
            let playbook = Playbook::preset(Playbook::PRESETS[preset]).unwrap();
            let (mut events, mut route) = on_time_case(&playbook, start, path);
            events.truncate(cut.min(events.len()));
            if !events.iter().any(|e| e.kind == Event::OutcomeDecided) {
                route.review = None;
            }
            if !events.iter().any(|e| e.kind == Event::ThresholdDecided) {
                route.threshold = None;
            }
            let closed_on = events.iter().map(|e| e.on).max().unwrap() + chrono::Days::new(later);
            events.push(ev(Event::Closed, closed_on));
            for deadline in deadlines(&playbook, cal(), &events, &route).unwrap() {
                let s = status(&deadline, None, closed_on + chrono::Days::new(later), cal()).unwrap();
                prop_assert!(!s.is_open(), "{} {} is {:?}", playbook.id, deadline.step_key, s);
            }
        }

        #[test]
        fn a_case_not_notifiable_owes_no_notification(preset in 0usize..5, start in start_date(), decided_after in 0u64..5, later in 0u64..400) {
            let playbook = Playbook::preset(Playbook::PRESETS[preset]).unwrap();
            let decided_on = start + chrono::Days::new(decided_after);
            let events = vec![ev(Event::Aware, start), ev(Event::ReferralReceived, start), ev(Event::ThresholdDecided, decided_on)];
            let route = decided(ThresholdOutcome::NotNotifiable, decided_on);
            let today = decided_on + chrono::Days::new(later);
            for deadline in deadlines(&playbook, cal(), &events, &route).unwrap() {
                let step = playbook.steps.iter().find(|s| s.key == deadline.step_key).unwrap();
                if matches!(step.applies, Applies::PanelNotified | Applies::RapidReview) {
                    prop_assert_eq!(status(&deadline, None, today, cal()).unwrap(), DeadlineStatus::NotApplicable, "{} {}", playbook.id, deadline.step_key);
                }
            }
        }
    }
}
