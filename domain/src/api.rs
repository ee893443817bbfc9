//! The wire contract: responses the worker writes and the app reads, one type
//! each, so the compiler keeps both halves in step. Field names and formats
//! are the JSON of `docs/openapi.json`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::access::Role;
use crate::action_plan::ActionStatus;
use crate::deadline::DeadlineStatus;
use crate::information::RequestKind;
use crate::meeting::MeetingKind;
use crate::playbook::QuorumRule;
use crate::playbook::Event;
use crate::timeline::Stage;

/// `GET /cases/{reference}/timeline`: what happened, and what is due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timeline {
    pub reference: String,
    pub stage: Stage,
    pub events: Vec<TimelineEvent>,
    pub deadlines: Vec<DeadlineView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEvent {
    /// `None` for the referral's own awareness and receipt dates.
    pub id: Option<String>,
    pub kind: Event,
    pub on: NaiveDate,
    pub at: Option<String>,
    pub recorded_at: Option<String>,
    pub recorded_by: Option<String>,
    pub has_note: bool,
    /// The sealed note, opened only for roles that may read personal data.
    pub note: Option<String>,
    pub superseded: bool,
}

/// A deadline as stored, judged today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineView {
    pub step_key: String,
    pub name: String,
    pub owner: Role,
    pub statutory: bool,
    /// A window's first on-time date.
    pub earliest: Option<NaiveDate>,
    pub original_due: NaiveDate,
    pub due: NaiveDate,
    pub extension_reason: Option<String>,
    pub done_on: Option<NaiveDate>,
    pub status: DeadlineStatus,
    /// Why the step no longer applies (with `status` = `not_applicable`).
    pub not_applicable: Option<String>,
    /// Working days left while the step is open: 0 on the day, negative when overdue.
    pub working_days_left: Option<i64>,
    /// True when the due date was counted through bank holidays projected by
    /// rule, beyond the gov.uk data.
    pub projected: bool,
    pub version: u32,
}

impl DeadlineView {
    /// "between 11 November and 19 November 2026", or "by 19 November 2026".
    pub fn when(&self) -> String {
        let long = |d: NaiveDate| d.format("%-d %B %Y").to_string();
        match self.earliest {
            Some(earliest) => format!("between {} and {}", long(earliest), long(self.due)),
            None => format!("by {}", long(self.due)),
        }
    }
}

/// `GET /my-work`: what the signed-in person must do next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyWork {
    /// Open deadlines of their roles (every open one for the partnership team), soonest first.
    pub deadlines: Vec<WorkItem>,
    /// For those who record decisions: cases still waiting for the threshold decision.
    pub awaiting_decision: Vec<CaseWaiting>,
    /// For an agency lead: information requests to their agency not yet returned.
    pub requests: Vec<RequestToMe>,
    /// For an agency lead: their agency's open actions.
    pub actions: Vec<ActionOfMine>,
    /// For those who sign: rapid review reports not yet signed by every partner.
    pub awaiting_sign_off: Vec<CaseWaiting>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkItem {
    pub reference: String,
    pub step_key: String,
    pub name: String,
    pub owner: Role,
    pub statutory: bool,
    pub due: NaiveDate,
    pub status: DeadlineStatus,
    pub working_days_left: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseWaiting {
    pub reference: String,
    pub aware_on: NaiveDate,
    pub referrer_agency: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestToMe {
    pub id: String,
    pub reference: String,
    pub kind: RequestKind,
    pub due_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionOfMine {
    pub id: String,
    pub reference: String,
    pub description: String,
    pub due_on: NaiveDate,
    pub status: ActionStatus,
}

/// `GET /cases/{reference}/meetings`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meetings {
    pub reference: String,
    /// The partnership's rule a rapid review meeting is judged quorate by.
    pub quorum_rule: QuorumRule,
    pub meetings: Vec<Meeting>,
}

/// A meeting on a case, as listed, booked or updated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    pub id: String,
    pub kind: MeetingKind,
    pub label: String,
    /// UK local time, `YYYY-MM-DDTHH:MM`.
    pub starts_at: String,
    pub duration_minutes: u32,
    pub location: Option<String>,
    /// Judged by the playbook's quorum rule on every save; `None` for meetings without one.
    pub quorate: Option<bool>,
    pub quorum_note: Option<String>,
    pub held: bool,
    pub has_notes: bool,
    /// The sealed notes, opened only for roles that may read personal data.
    pub notes: Option<String>,
    pub version: u32,
    pub attendees: Vec<MeetingAttendee>,
    /// For example a meeting booked on a day that is not a working day.
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingAttendee {
    pub agency_id: Option<String>,
    pub agency: Option<String>,
    pub name: String,
    pub role_title: String,
    pub decision_maker: bool,
    pub present: bool,
    /// A work address, for the papers-ready message.
    pub email: Option<String>,
}

/// Which years' bank holidays are gov.uk's (official) and from which year
/// they are projected by rule; part of `GET /partnership`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankHolidayYears {
    pub official_from: i32,
    pub official_to: i32,
    pub projected_from: i32,
    /// When a newer gov.uk file was loaded, if one was.
    pub loaded_at: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deadline_reads_on_the_wire_as_before_with_its_new_fields() {
        let json = serde_json::json!({
            "step_key": "rapid_review_meeting", "name": "Hold the rapid review meeting", "owner": "partnership_team",
            "statutory": false, "earliest": "2026-11-11", "original_due": "2026-11-19", "due": "2026-11-19",
            "extension_reason": null, "done_on": null, "status": "not_applicable",
            "not_applicable": "Not notifiable: decision of 4 November 2026", "working_days_left": null, "projected": false, "version": 2
        });
        let view: DeadlineView = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(view.status, DeadlineStatus::NotApplicable);
        assert_eq!(view.when(), "between 11 November 2026 and 19 November 2026");
        assert_eq!(serde_json::to_value(&view).unwrap(), json);
    }

    #[test]
    fn a_meeting_and_your_work_keep_their_wire_names() {
        let meeting: Meeting = serde_json::from_value(serde_json::json!({
            "id": "m1", "kind": "rapid_review", "label": "Rapid review meeting", "starts_at": "2026-12-08T10:00", "duration_minutes": 120,
            "location": null, "quorate": false, "quorum_note": null, "held": false, "has_notes": false, "notes": null, "version": 1,
            "attendees": [{"agency_id": "a", "agency": "Police", "name": "DCI Grey", "role_title": "DCI", "decision_maker": true, "present": false, "email": null}],
            "warnings": []
        }))
        .unwrap();
        assert_eq!(meeting.kind, MeetingKind::RapidReview);
        let work: MyWork = serde_json::from_value(serde_json::json!({
            "deadlines": [{"reference": "KRSCP-2026-0001", "step_key": "notify_panel", "name": "Notify", "owner": "partnership_team",
                "statutory": true, "due": "2026-11-10", "status": "overdue", "working_days_left": -3}],
            "awaiting_decision": [], "requests": [{"id": "r", "reference": "KRSCP-2026-0001", "kind": "imr", "due_on": "2026-12-09"}],
            "actions": [], "awaiting_sign_off": []
        }))
        .unwrap();
        assert_eq!((work.deadlines[0].status, work.requests[0].kind), (DeadlineStatus::Overdue, RequestKind::Imr));
    }
}
