//! Information requests to agencies, their returns, and the merged chronology.

use serde::{Deserialize, Serialize};

use crate::information::RequestKind;

/// `GET /cases/{reference}/information-requests` (and what sending one answers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InformationRequests {
    pub reference: String,
    pub requests: Vec<InformationRequest>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InformationRequest {
    pub id: String,
    pub agency_id: String,
    pub agency: String,
    pub kind: RequestKind,
    pub sent_on: String,
    pub due_on: String,
    pub returned_on: Option<String>,
    /// Chronology entries returned so far.
    pub entries: u32,
}

/// `POST /information-requests/{id}/return`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnReceipt {
    pub request_id: String,
    pub entries: u32,
    pub returned_on: String,
}

/// `GET /cases/{reference}/chronology`: one multi-agency chronology in date and time order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chronology {
    pub reference: String,
    pub entries: Vec<ChronologyLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChronologyLine {
    pub agency: String,
    pub agency_id: String,
    pub occurred_on: String,
    /// `HH:MM`, UK time, where the agency knows it.
    pub occurred_time: Option<String>,
    /// Personal data: opened only for roles that may read it.
    pub entry: String,
}
