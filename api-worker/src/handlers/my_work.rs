//! What the signed-in person must do next: their open deadlines on the cases
//! they may see, the cases waiting for a threshold decision, the information
//! requests to their agency, their agency's open actions, and rapid review
//! reports waiting for their sign-off.

use domain::access::{Capability, Role};
use domain::api::{ActionOfMine, CaseWaiting, MyWork, RequestToMe, WorkItem};
use serde::Deserialize;
use worker::{Env, Response};

use crate::http::error::ApiError;
use crate::handlers::cases::{Visible, visible};
use crate::auth::session::Principal;
use crate::handlers::timeline::{StoredDeadline, judge, rules};
use crate::platform::clock;
use crate::http::reply;

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
             WHERE {clause} AND d.done_on IS NULL AND d.not_applicable IS NULL{owner_filter} ORDER BY d.due, c.reference LIMIT 100"
        ))
        .bind(&binds)?
        .all()
        .await?
        .results()?;
    let today = clock::today_in_uk();
    let deadlines: Vec<WorkItem> = rows
        .into_iter()
        .filter_map(|row| {
            let stored = StoredDeadline {
                original_due: &row.original_due,
                due: &row.due,
                extension_reason: row.extension_reason.as_deref(),
                earliest: None,
                done_on: None,
                not_applicable: None,
            };
            let (status, left) = judge(&stored, today, &rules.calendar)?;
            Some(WorkItem {
                due: domain::date_input::parse_iso_date(&row.due).ok()?,
                owner: Role::parse(&row.owner_role)?,
                reference: row.reference,
                step_key: row.step_key,
                name: row.name,
                statutory: row.statutory != 0.0,
                status,
                working_days_left: left,
            })
        })
        .collect();
    let awaiting_decision: Vec<CaseWaiting> = if who.grants.may(Capability::RecordDecision) {
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
    // An agency lead's own requests and actions, whichever case they are on.
    let own_agency = who.agency_id.as_deref().filter(|_| who.grants.may(Capability::AnswerInformationRequest));
    let (requests, actions) = match own_agency {
        Some(agency) => {
            let requests: Vec<RequestToMe> = db
                .prepare(
                    "SELECT r.id, c.reference, r.kind, r.due_on FROM information_requests r JOIN cases c ON c.id = r.case_id \
                     WHERE c.partnership_id = ?1 AND r.agency_id = ?2 AND r.returned_on IS NULL ORDER BY r.due_on LIMIT 100",
                )
                .bind(&[who.partnership_id.as_str().into(), agency.into()])?
                .all()
                .await?
                .results()?;
            let actions: Vec<ActionOfMine> = db
                .prepare(
                    "SELECT x.id, c.reference, x.description, x.due_on, x.status FROM actions x JOIN cases c ON c.id = x.case_id \
                     WHERE c.partnership_id = ?1 AND x.owner_agency_id = ?2 AND x.status <> 'complete' ORDER BY x.due_on LIMIT 100",
                )
                .bind(&[who.partnership_id.as_str().into(), agency.into()])?
                .all()
                .await?
                .results()?;
            (requests, actions)
        }
        None => (Vec::new(), Vec::new()),
    };
    // Reports written and not yet signed by every partner, for those who sign.
    let awaiting_sign_off: Vec<CaseWaiting> = if who.grants.may(Capability::SignOff) {
        let Visible { clause, binds } = visible(who);
        db.prepare(format!(
            "SELECT c.reference, c.aware_on, c.referrer_agency FROM cases c JOIN rapid_review_reports r ON r.case_id = c.id \
             WHERE {clause} AND (SELECT count(*) FROM rapid_review_signoffs s WHERE s.case_id = c.id) < 3 ORDER BY c.aware_on LIMIT 50"
        ))
        .bind(&binds)?
        .all()
        .await?
        .results()?
    } else {
        Vec::new()
    };
    reply::json(200, &MyWork { deadlines, awaiting_decision, requests, actions, awaiting_sign_off })
}
