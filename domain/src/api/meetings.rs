//! Meetings on a case.

use serde::{Deserialize, Serialize};

use crate::meeting::MeetingKind;
use crate::playbook::QuorumRule;

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

