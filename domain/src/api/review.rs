//! The LCSPR of a case: its details, the sealed logs and the drafts.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::review::{ContactKind, TermsOfReference};

/// `GET /cases/{reference}/review` (and what every change to it answers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    pub reference: String,
    pub pseudonym: Option<String>,
    pub reviewer_user_id: Option<String>,
    pub reviewer_name: Option<String>,
    pub reviewer_independent: bool,
    pub expressions_of_interest: Option<u32>,
    pub conflicts_declared: bool,
    pub methodology: Option<String>,
    /// Free text about the family: for roles that may read personal data (each read audited), else `None`.
    pub terms_of_reference: Option<TermsOfReference>,
    pub key_lines_of_enquiry: Option<Vec<String>>,
    pub decided_on: Option<String>,
    pub planned_publication_on: Option<String>,
    pub published_on: Option<String>,
    /// Six months from the decision to review.
    pub publish_by: Option<NaiveDate>,
    /// The last day to send the final report to the panel, Ofsted and DfE.
    pub notice_by: Option<NaiveDate>,
    pub notice_sent: bool,
    pub warnings: Vec<String>,
    pub family_engagement_count: u32,
    pub episode_count: u32,
    pub drafts: Vec<Draft>,
    /// The people who may be appointed (for those who manage the review).
    pub reviewers: Vec<Person>,
    pub version: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub id: String,
    pub label: String,
    pub received_on: String,
    pub subgroup_approved_on: Option<String>,
    pub executive_approved_on: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: String,
    pub name: String,
}

/// `POST /cases/{reference}/review/drafts`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftAdded {
    pub id: String,
    pub review: Review,
}

/// `GET /cases/{reference}/review/family-engagement` and `…/episodes`: a
/// sealed log, opened for a role that may read it (each read audited).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewLog {
    pub reference: String,
    pub entries: Vec<LogEntry>,
}

/// A family engagement entry (`kind`, `entry`) or a key practice episode
/// (`title`, `analysis`); the other pair is absent on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogEntry {
    pub id: String,
    pub occurred_on: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<ContactKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analysis: Option<String>,
}

/// What adding to a log answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogEntryAdded {
    pub id: String,
    pub occurred_on: NaiveDate,
}
