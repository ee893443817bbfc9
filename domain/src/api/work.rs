//! "Your work": what a signed-in person must do next.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::access::Role;
use crate::action_plan::ActionStatus;
use crate::deadline::DeadlineStatus;
use crate::information::RequestKind;

/// `GET /my-work`: what the signed-in person must do next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyWork {
    /// Open deadlines of their roles (every open one for the partnership team), soonest first.
    pub deadlines: Vec<WorkItem>,
    /// For those who record decisions: cases still waiting for the threshold decision.
    pub awaiting_decision: Vec<CaseWaiting>,
    /// For an agency lead: information requests to their agency not yet returned.
    pub requests: Vec<RequestToMe>,
    /// For an agency lead: their agency's open actions.
    pub actions: Vec<ActionOfMine>,
    /// For those who sign: rapid review reports not yet signed by every partner.
    pub awaiting_sign_off: Vec<CaseWaiting>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkItem {
    pub reference: String,
    pub step_key: String,
    pub name: String,
    pub owner: Role,
    pub statutory: bool,
    pub due: NaiveDate,
    pub status: DeadlineStatus,
    pub working_days_left: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseWaiting {
    pub reference: String,
    pub aware_on: NaiveDate,
    pub referrer_agency: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestToMe {
    pub id: String,
    pub reference: String,
    pub kind: RequestKind,
    pub due_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionOfMine {
    pub id: String,
    pub reference: String,
    pub description: String,
    pub due_on: NaiveDate,
    pub status: ActionStatus,
}

