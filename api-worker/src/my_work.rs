//! What the signed-in person must do next: their open deadlines on the cases
//! they may see, and the cases waiting for a threshold decision.

use domain::access::Capability;
use serde::{Deserialize, Serialize};
use worker::{Env, Response};

use crate::api_error::ApiError;
use crate::case_store::{Visible, visible};
use crate::identity::Principal;
use crate::timeline_store::{judge, rules, status_name};
use crate::{clock, reply};

#[derive(Deserialize)]
struct OpenDeadline {
    reference: String,
    step_key: String,
    name: String,
    owner_role: String,
    statutory: f64,
    original_due: String,
    due: String,
    extension_reason: Option<String>,
}

#[derive(Serialize)]
struct WorkItem {
    reference: String,
    step_key: String,
    name: String,
    owner: String,
    statutory: bool,
    due: String,
    status: String,
    working_days_left: Option<i64>,
}

#[derive(Deserialize, Serialize)]
struct Waiting {
    reference: String,
    aware_on: String,
    referrer_agency: String,
}

pub async fn my_work(env: &Env, who: &Principal) -> Result<Response, ApiError> {
    who.require(Capability::ListCases)?;
    let db = env.d1("DB")?;
    let rules = rules(&db, &who.partnership_id).await?;
    let Visible { clause, mut binds } = visible(who);
    // The partnership team owns the process: it sees every open deadline; others see their role's.
    let owner_filter = if who.grants.may(Capability::ManageSettings) {
        String::new()
    } else {
        let roles: Vec<&str> = who.grants.roles.iter().map(|r| r.as_str()).collect();
        binds.push(serde_json::to_string(&roles).unwrap_or_default().into());
        format!(" AND d.owner_role IN (SELECT value FROM json_each(?{}))", binds.len())
    };
    let rows: Vec<OpenDeadline> = db
        .prepare(format!(
            "SELECT c.reference, d.step_key, d.name, d.owner_role, d.statutory, d.original_due, d.due, d.extension_reason \
             FROM deadlines d JOIN cases c ON c.id = d.case_id \
             WHERE {clause} AND d.done_on IS NULL{owner_filter} ORDER BY d.due, c.reference LIMIT 100"
        ))
        .bind(&binds)?
        .all()
        .await?
        .results()?;
    let today = clock::today_in_uk();
    let deadlines: Vec<WorkItem> = rows
        .into_iter()
        .filter_map(|row| {
            let (status, left) = judge(&row.original_due, &row.due, row.extension_reason, None, today, &rules.calendar)?;
            Some(WorkItem {
                reference: row.reference,
                step_key: row.step_key,
                name: row.name,
                owner: row.owner_role,
                statutory: row.statutory != 0.0,
                due: row.due,
                status: status_name(status),
                working_days_left: left,
            })
        })
        .collect();
    let awaiting_decision: Vec<Waiting> = if who.grants.may(Capability::RecordDecision) {
        let Visible { clause, binds } = visible(who);
        db.prepare(format!(
            "SELECT c.reference, c.aware_on, c.referrer_agency FROM cases c WHERE {clause} AND c.stage = 'referral_received' ORDER BY c.aware_on LIMIT 50"
        ))
        .bind(&binds)?
        .all()
        .await?
        .results()?
    } else {
        Vec::new()
    };
    reply::json(200, &serde_json::json!({ "deadlines": deadlines, "awaiting_decision": awaiting_decision }))
}
