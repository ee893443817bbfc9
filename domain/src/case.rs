//! A case as the API shows it to the case list and to the person who referred it.
//! Shared by the worker (which writes these) and the app (which reads them).

use serde::{Deserialize, Serialize};

/// What the referrer is told when their referral is stored: enough to follow it up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralReceipt {
    pub id: String,
    /// `KRSCP-2026-0007`: partnership code, year received, number within the year.
    pub reference: String,
    pub stage: String,
    pub received_at: String,
}

/// One row of the case list. It never carries a child's or family's personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseSummary {
    pub reference: String,
    pub stage: String,
    pub referrer_agency: String,
    pub incident_date: String,
    pub aware_on: String,
    pub received_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseList {
    pub cases: Vec<CaseSummary>,
}

/// The stage a case is at, as people in the partnership say it.
pub fn stage_label(stage: &str) -> &str {
    match stage {
        "referral_received" => "Referral received",
        other => other,
    }
}
