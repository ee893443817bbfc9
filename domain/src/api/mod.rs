//! The wire contract: every response the worker writes and the app reads, one
//! type each, so the compiler keeps both halves in step. Field names and
//! formats are the JSON of `docs/openapi.json`; requests are the domain's
//! `*Input` types, next to the rules that parse them. Error bodies are the
//! worker's (`{"error":{"code","message","fields"}}`), read by the app as
//! [`Rejection`].

mod actions;
mod cases;
mod decisions;
mod documents;
mod information;
mod meetings;
mod messages;
mod report;
mod review;
mod settings;
mod timeline;
mod work;

pub use actions::{ActionAdded, ActionList, ActionPlan, PlannedAction, Recommendation, RecommendationAdded};
pub use cases::{CaseView, DueDate, Health};
pub use decisions::{RapidReviewDecisionRecorded, ThresholdDecisionRecorded};
pub use documents::{DocumentFormat, DocumentKind};
pub use information::{Chronology, ChronologyLine, InformationRequest, InformationRequests, ReturnReceipt};
pub use meetings::{Meeting, MeetingAttendee, Meetings};
pub use messages::{Mailbox, MailboxMessage, NotificationLog, SentMessage};
pub use report::{AgencyLine, DecisionTexts, RapidReviewReport, ReportDecision, SignOff};
pub use review::{Draft, DraftAdded, LogEntry, LogEntryAdded, Person, Review, ReviewLog};
pub use settings::{Agency, BankHolidayYears, Contact, PartnershipSettings};
pub use timeline::{DeadlineVersion, DeadlineView, Timeline, TimelineEvent};
pub use work::{ActionOfMine, CaseWaiting, MyWork, RequestToMe, WorkItem};

use serde::{Deserialize, Serialize};

use crate::field_error::FieldError;

/// The error body every failure answers with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: Rejection,
}

/// What went wrong, and which fields to correct.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejection {
    pub code: String,
    pub message: String,
    #[serde(default)]
    pub fields: Vec<FieldError>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deadline::DeadlineStatus;
    use crate::information::RequestKind;
    use crate::meeting::MeetingKind;

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
