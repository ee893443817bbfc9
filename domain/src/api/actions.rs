//! Action plans: recommendations and SMART actions, per case and across cases.

use serde::{Deserialize, Serialize};

use crate::action_plan::ActionStatus;

/// An action as listed, on a plan or across cases, judged today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedAction {
    pub id: String,
    pub recommendation_id: String,
    pub reference: String,
    pub pseudonym: Option<String>,
    pub description: String,
    pub measure: Option<String>,
    pub owner_agency_id: String,
    pub owner_agency: String,
    pub due_on: String,
    pub status: ActionStatus,
    pub status_label: String,
    pub overdue: bool,
    pub evidence: Option<String>,
    pub completed_on: Option<String>,
    pub version: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recommendation {
    pub id: String,
    pub text: String,
    pub theme: Option<String>,
    pub actions: Vec<PlannedAction>,
}

/// `GET /cases/{reference}/recommendations`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionPlan {
    pub reference: String,
    pub recommendations: Vec<Recommendation>,
    pub open_actions: u32,
    pub overdue_actions: u32,
}

/// `GET /actions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionList {
    pub actions: Vec<PlannedAction>,
    pub overdue: u32,
    pub total: u32,
}

/// `POST /cases/{reference}/recommendations`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecommendationAdded {
    pub id: String,
    pub plan: ActionPlan,
}

/// `POST /cases/{reference}/recommendations/{id}/actions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionAdded {
    pub id: String,
    /// For example Kirklees's 12 weeks from publication.
    pub warnings: Vec<String>,
    pub plan: ActionPlan,
}
