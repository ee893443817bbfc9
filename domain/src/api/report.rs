//! The rapid review report (KRSCP appendix 2) and its sign-offs.

use serde::{Deserialize, Serialize};

use crate::rapid_review::{RapidReviewFindings, ReviewOption};
use crate::rapid_review_report::{Partner, WriteUp};

/// `GET /cases/{reference}/rapid-review-report`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RapidReviewReport {
    pub reference: String,
    /// The sealed write-up, for roles that may read personal data (each read audited).
    pub write_up: Option<WriteUp>,
    /// The template's required sections still empty.
    pub missing: Vec<String>,
    pub updated_at: Option<String>,
    /// 0 before the first save.
    pub version: u32,
    /// One per safeguarding partner, signed or not.
    pub signoffs: Vec<SignOff>,
    pub signed_by_all_partners: bool,
    /// The partner the reader signs for: their own agency's, when they are its decision maker.
    pub signs_for: Option<Partner>,
    /// The recorded rapid review decision the report concludes with.
    pub decision: Option<ReportDecision>,
    /// Every agency asked, whether it returned, whether it was at the meeting.
    pub agencies: Vec<AgencyLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignOff {
    pub partner: Partner,
    pub label: String,
    pub name: Option<String>,
    pub signed_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgencyLine {
    pub agency: String,
    pub submitted: bool,
    pub represented: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportDecision {
    pub option: ReviewOption,
    pub label: String,
    pub decided_at: String,
    /// What the partners wrote: for roles that may read personal data (each read audited), else `None`.
    pub texts: Option<DecisionTexts>,
}

/// The free text of a rapid review decision, and the findings recorded with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionTexts {
    pub rationale: String,
    pub findings: Option<RapidReviewFindings>,
    pub key_lines_of_enquiry: Option<Vec<String>>,
    pub equality_and_racism: Option<String>,
}
