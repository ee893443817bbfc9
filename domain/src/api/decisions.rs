//! What recording a decision answers.

use serde::{Deserialize, Serialize};

use crate::rapid_review::ReviewOption;
use crate::threshold::{ThresholdOutcome, ThresholdResult};

/// `POST /cases/{reference}/decisions/threshold`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThresholdDecisionRecorded {
    pub id: String,
    pub outcome: ThresholdOutcome,
    pub overrides_engine: bool,
    pub rationale: String,
    /// The engine's proposal the decision was made against.
    pub engine: ThresholdResult,
}

/// `POST /cases/{reference}/decisions/rapid-review`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RapidReviewDecisionRecorded {
    pub id: String,
    pub option: ReviewOption,
    pub warnings: Vec<String>,
}
