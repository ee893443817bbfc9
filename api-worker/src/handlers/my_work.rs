//! What the signed-in person must do next: their open deadlines on the cases
//! they may see, the cases waiting for a threshold decision, the information
//! requests to their agency, their agency's open actions, and rapid review
//! reports waiting for their sign-off.

use domain::access::Capability;
use domain::api::{CaseWaiting, MyWork, WorkItem};
use worker::Response;

use crate::db::{my_work, partnership};
use crate::handlers::rapid_review_report::signer_partner;
use crate::http::context::Ctx;
use crate::http::error::ApiError;
use crate::http::reply;

pub async fn my_work(ctx: &Ctx<'_>) -> Result<Response, ApiError> {
    ctx.require(Capability::ListCases)?;
    let (db, who) = (&ctx.db, &ctx.who);
    let rules = partnership::rules(db, &who.partnership_id).await?;
    // The partnership team owns the process: it sees every open deadline; others see their role's.
    let owners = (!who.grants.may(Capability::ManageSettings)).then_some(who.grants.roles.as_slice());
    let deadlines: Vec<WorkItem> =
        my_work::open_deadlines(db, who, owners).await?.into_iter().filter_map(|row| row.item(ctx.today, &rules.calendar)).collect();
    let awaiting_decision: Vec<CaseWaiting> =
        if who.grants.may(Capability::RecordDecision) { my_work::awaiting_decision(db, who).await? } else { Vec::new() };
    // An agency lead's own requests and actions, whichever case they are on.
    let own_agency = who.agency_id.as_deref().filter(|_| who.grants.may(Capability::AnswerInformationRequest));
    let (requests, actions) = match own_agency {
        Some(agency) => (
            my_work::requests_to_agency(db, &who.partnership_id, agency).await?,
            my_work::actions_of_agency(db, &who.partnership_id, agency).await?,
        ),
        None => (Vec::new(), Vec::new()),
    };
    // Reports written and not yet signed for the partner this person signs for.
    let signs_for = if who.grants.may(Capability::SignForPartner) { signer_partner(ctx).await? } else { None };
    let awaiting_sign_off: Vec<CaseWaiting> = match signs_for {
        Some(partner) => my_work::awaiting_sign_off(db, who, partner).await?,
        None => Vec::new(),
    };
    reply::json(200, &MyWork { deadlines, awaiting_decision, requests, actions, awaiting_sign_off })
}
