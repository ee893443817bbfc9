//! The case's timeline: events as recorded (and corrected), and the stage the
//! case has reached because of them.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::field_error::FieldErrors;
use crate::playbook::Event;

pub const NOTE_MAX: usize = 2000;

/// An event as submitted: what happened, on which date, optionally exactly when.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EventInput {
    pub kind: Option<String>,
    pub on: Option<String>,
    pub at: Option<String>,
    pub note: Option<String>,
    /// The id of an event this one corrects (e.g. a wrong date).
    pub corrects: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewEvent {
    pub kind: Event,
    pub on: NaiveDate,
    pub at: Option<DateTime<Utc>>,
    pub note: Option<String>,
    pub corrects: Option<String>,
}

impl EventInput {
    pub fn parse(&self, today: NaiveDate) -> Result<NewEvent, FieldErrors> {
        let mut e = FieldErrors::default();
        let kind = match self.kind.as_deref().map(str::trim) {
            None | Some("") => {
                e.push("kind", "Say what happened");
                None
            }
            Some(raw) => match Event::parse(raw) {
                Some(kind) => Some(kind),
                None => {
                    e.push("kind", "This is not an event of the process");
                    None
                }
            },
        };
        let at = match self.at.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(raw) => match DateTime::parse_from_rfc3339(raw) {
                Ok(t) => Some(t.with_timezone(&Utc)),
                Err(_) => {
                    e.push("at", "Give the time as an ISO 8601 timestamp, like 2026-11-24T14:30:00Z");
                    None
                }
            },
        };
        let on = match self.on.as_deref() {
            None | Some("") if at.is_some() => at.map(crate::uk_time::uk_date),
            raw => match crate::date_input::parse_iso_date(raw.unwrap_or("")) {
                Ok(date) if date > today && !kind.is_some_and(is_planned) => {
                    e.push("on", "The date must be today or in the past");
                    None
                }
                Ok(date) => Some(date),
                Err(problem) => {
                    e.push("on", problem.message("date"));
                    None
                }
            },
        };
        let note = self.note.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(str::to_string);
        if note.as_ref().is_some_and(|n| n.chars().count() > NOTE_MAX) {
            e.push("note", format!("The note must be {NOTE_MAX} characters or fewer"));
        }
        match (kind, on) {
            (Some(kind), Some(on)) if e.is_empty() => Ok(NewEvent { kind, on, at, note, corrects: self.corrects.clone() }),
            _ => Err(e),
        }
    }
}

/// Events that name a date in the future (a meeting booked, a publication planned).
pub fn is_planned(kind: Event) -> bool {
    matches!(kind, Event::MeetingScheduled | Event::PublicationPlanned)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    ReferralReceived,
    ThresholdDecided,
    Notified,
    RapidReview,
    AwaitingPanel,
    OutcomeDecided,
    Lcspr,
    Published,
    ActionPlan,
    Closed,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::ReferralReceived => "referral_received",
            Stage::ThresholdDecided => "threshold_decided",
            Stage::Notified => "notified",
            Stage::RapidReview => "rapid_review",
            Stage::AwaitingPanel => "awaiting_panel",
            Stage::OutcomeDecided => "outcome_decided",
            Stage::Lcspr => "lcspr",
            Stage::Published => "published",
            Stage::ActionPlan => "action_plan",
            Stage::Closed => "closed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Stage::ReferralReceived => "Referral received",
            Stage::ThresholdDecided => "Threshold decided",
            Stage::Notified => "Notified",
            Stage::RapidReview => "Rapid review",
            Stage::AwaitingPanel => "Awaiting the panel",
            Stage::OutcomeDecided => "Outcome decided",
            Stage::Lcspr => "LCSPR in progress",
            Stage::Published => "Published",
            Stage::ActionPlan => "Action plan",
            Stage::Closed => "Closed",
        }
    }

    pub const ALL: [Stage; 10] = [
        Stage::ReferralReceived,
        Stage::ThresholdDecided,
        Stage::Notified,
        Stage::RapidReview,
        Stage::AwaitingPanel,
        Stage::OutcomeDecided,
        Stage::Lcspr,
        Stage::Published,
        Stage::ActionPlan,
        Stage::Closed,
    ];

    pub fn parse(raw: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    /// The stage an event takes a case to, if it moves it at all.
    fn reached_by(kind: Event) -> Option<Stage> {
        Some(match kind {
            Event::ThresholdDecided => Stage::ThresholdDecided,
            Event::Notified => Stage::Notified,
            Event::InformationRequested | Event::MeetingScheduled | Event::MeetingHeld | Event::InformationReturned => Stage::RapidReview,
            Event::RapidReviewSubmitted | Event::PanelResponseReceived => Stage::AwaitingPanel,
            Event::OutcomeDecided => Stage::OutcomeDecided,
            Event::ReviewDecided | Event::TermsOfReferenceAgreed | Event::ReviewerAppointed | Event::DraftReceived => Stage::Lcspr,
            Event::Published => Stage::Published,
            Event::ActionsAgreed => Stage::ActionPlan,
            Event::Closed => Stage::Closed,
            _ => return None,
        })
    }
}

/// The furthest stage the recorded events have taken the case to.
pub fn stage_of(events: impl IntoIterator<Item = Event>) -> Stage {
    events.into_iter().filter_map(Stage::reached_by).max().unwrap_or(Stage::ReferralReceived)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
    }

    #[test]
    fn events_parse_with_named_errors() {
        let ok = EventInput { kind: Some("notified".into()), on: Some("2026-11-20".into()), ..Default::default() }.parse(today()).unwrap();
        assert_eq!(ok.kind, Event::Notified);
        let timed = EventInput { kind: Some("information_requested".into()), at: Some("2026-11-20T23:30:00Z".into()), ..Default::default() }.parse(today()).unwrap();
        assert_eq!(timed.on, NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(), "23:30 GMT is still the 20th in the UK");
        let e = EventInput { kind: Some("party".into()), on: Some("2026-11-30".into()), ..Default::default() }.parse(today()).unwrap_err();
        assert_eq!(e.0[0].field, "kind");
        let e = EventInput { kind: Some("notified".into()), on: Some("2026-11-30".into()), ..Default::default() }.parse(today()).unwrap_err();
        assert_eq!(e.0[0].field, "on");
        assert!(EventInput { kind: Some("meeting_scheduled".into()), on: Some("2026-12-03".into()), ..Default::default() }.parse(today()).is_ok(), "meetings are booked ahead");
    }

    #[test]
    fn the_stage_is_the_furthest_reached() {
        assert_eq!(stage_of([]), Stage::ReferralReceived);
        assert_eq!(stage_of([Event::Aware, Event::ThresholdDecided, Event::Notified, Event::InformationRequested]), Stage::RapidReview);
        assert_eq!(stage_of([Event::Notified, Event::RapidReviewSubmitted, Event::InformationReturned]), Stage::AwaitingPanel);
        for stage in Stage::ALL {
            assert_eq!(Stage::parse(stage.as_str()), Some(stage));
        }
    }
}
