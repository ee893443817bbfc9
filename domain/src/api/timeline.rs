//! A case's timeline: what happened, and what is due.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::access::Role;
use crate::deadline::DeadlineStatus;
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


/// A deadline's date and version as they are now: the `current` of a 409
/// when an extension was made from an older version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineVersion {
    pub step_key: String,
    pub due: String,
    pub version: u32,
}
