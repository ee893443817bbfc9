//! A case as its page reads it, and the public endpoints' answers.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::case::CaseSummary;

/// `GET /cases/{reference}` and `PATCH /cases/{reference}`: the case's facts
/// (no personal data) and whether the reader may open its personal details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseView {
    #[serde(flatten)]
    pub case: CaseSummary,
    pub may_read_personal_details: bool,
}

/// `GET /health`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    pub status: String,
}

/// `GET /calendar/due`: a due date, and whether it was counted through bank
/// holidays projected by rule beyond the gov.uk data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueDate {
    pub due: NaiveDate,
    pub projected: bool,
}
