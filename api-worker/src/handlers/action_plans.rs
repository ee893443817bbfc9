//! Recommendations and SMART actions, per case and across cases. The
//! partnership team writes the plan; an owner agency's lead reports progress
//! and evidence on its own actions. When the last action is complete the case
//! records "actions completed" on its timeline.

use domain::access::Capability;
use domain::action_plan::{ActionInput, ActionStatus, ActionUpdateInput, RecommendationInput};
use domain::api::{ActionAdded, ActionList, ActionPlan, PlannedAction, Recommendation, RecommendationAdded};
use domain::playbook::Event;
use worker::{Request, Response};

use crate::db::action_plans::{self, ActionFilter, ActionOwner, planned};
use crate::db::cases::{self, CaseRef};
use crate::db::idempotency::{self, Start};
use crate::db::timeline::{self, Entry};
use crate::db::version::{self, Committed};
use crate::db::{audit, partnership};
use crate::http::context::{CaseCtx, Ctx};
use crate::http::error::ApiError;
use crate::http::{body, reply};
use crate::platform::webcrypto::random_uuid;

async fn plan_json(c: &CaseCtx<'_>) -> Result<ActionPlan, ApiError> {
    let recommendations = action_plans::recommendations(&c.db, &c.case.id).await?;
    let actions = action_plans::of_case(&c.db, &c.case.id).await?;
    let today = c.today;
    let actions: Vec<PlannedAction> = actions.into_iter().map(|a| planned(a, today)).collect();
    let open_actions = actions.iter().filter(|a| a.status != ActionStatus::Complete).count() as u32;
    let overdue_actions = actions.iter().filter(|a| a.overdue).count() as u32;
    let recommendations = recommendations
        .into_iter()
        .map(|r| {
            let own = actions.iter().filter(|a| a.recommendation_id == r.id).cloned().collect();
            Recommendation { id: r.id, text: r.text, theme: r.theme, actions: own }
        })
        .collect();
    Ok(ActionPlan { reference: c.case.reference.clone(), recommendations, open_actions, overdue_actions })
}

pub async fn read_plan(c: &CaseCtx<'_>) -> Result<Response, ApiError> {
    reply::json(200, &plan_json(c).await?)
}

pub async fn add_recommendation(req: &mut Request, c: &CaseCtx<'_>) -> Result<Response, ApiError> {
    let (db, who, case) = (&c.db, &c.who, &c.case);
    let json = body::json(req).await?;
    c.require(Capability::ManageActions)?;
    let claim = match idempotency::start(req, db, who, &format!("recommendations:{}", case.reference)).await? {
        Start::Replay(response) => return Ok(response),
        Start::Fresh(claim) => claim,
    };
    let recommendation = domain::field_error::from_json::<RecommendationInput>(&json, "a recommendation")?.parse()?;
    let id = random_uuid();
    let statements = vec![
        action_plans::add_recommendation(db, &id, &case.id, &recommendation)?,
        audit::entry(db, who, Some(&case.id), "recommendation_added", "")?,
    ];
    if let Some(replay) = idempotency::batch(db, who, &claim, statements).await? {
        return Ok(replay);
    }
    let plan = plan_json(c).await?;
    idempotency::respond(db, who, &claim, 201, &RecommendationAdded { id, plan }).await
}

pub async fn add_action(req: &mut Request, c: &CaseCtx<'_>, recommendation_id: &str) -> Result<Response, ApiError> {
    let (db, who, case) = (&c.db, &c.who, &c.case);
    let json = body::json(req).await?;
    c.require(Capability::ManageActions)?;
    if !action_plans::recommendation_is_on_case(db, recommendation_id, &case.id).await? {
        return Err(ApiError::NotFound);
    }
    let claim = match idempotency::start(req, db, who, &format!("actions:{recommendation_id}")).await? {
        Start::Replay(response) => return Ok(response),
        Start::Fresh(claim) => claim,
    };
    let rules = partnership::rules(db, &who.partnership_id).await?;
    // Only Kirklees sets the 12-week expectation.
    let twelve_weeks_from = if rules.playbook.id == "kirklees" { action_plans::publication_date(db, &case.id).await? } else { None };
    let action = domain::field_error::from_json::<ActionInput>(&json, "an action")?.parse(c.today, twelve_weeks_from)?;
    if partnership::agency(db, &who.partnership_id, &action.owner_agency_id).await?.is_none() {
        return Err(ApiError::invalid("owner_agency_id", "There is no such agency in this partnership"));
    }
    let id = random_uuid();
    let statements = vec![action_plans::add_action(db, &id, recommendation_id, &case.id, &action)?, audit::entry(db, who, Some(&case.id), "action_added", "")?];
    if let Some(replay) = idempotency::batch(db, who, &claim, statements).await? {
        return Ok(replay);
    }
    let plan = plan_json(c).await?;
    idempotency::respond(db, who, &claim, 201, &ActionAdded { id, warnings: action.warnings, plan }).await
}

/// Progress on an action: the partnership team, or the lead of the agency that owns it.
pub async fn update_action(req: &mut Request, ctx: &Ctx<'_>, action_id: &str) -> Result<Response, ApiError> {
    let (db, who, today) = (&ctx.db, &ctx.who, ctx.today);
    let json = body::json(req).await?;
    let owner = action_plans::owner(db, action_id).await?.filter(|o| o.partnership_id == who.partnership_id).ok_or(ApiError::NotFound)?;
    let owning_lead = who.grants.may(Capability::AnswerInformationRequest) && who.agency_id.as_deref() == Some(owner.owner_agency_id.as_str());
    if !(owning_lead || who.grants.may(Capability::ManageActions)) {
        return Err(ApiError::Forbidden);
    }
    let update = domain::field_error::from_json::<ActionUpdateInput>(&json, "an action's progress")?.parse()?;
    let stale = || async {
        match action_plans::one(db, action_id).await {
            Ok(Some(current)) => ApiError::conflict(&planned(current, today)),
            Ok(None) => ApiError::NotFound,
            Err(error) => error,
        }
    };
    if update.version != owner.version as u32 {
        return Err(stale().await);
    }
    let completing = update.status == ActionStatus::Complete && owner.status != "complete";
    let write = action_plans::update(db, action_id, &update, today)?;
    let mut rest = vec![audit::entry(db, who, Some(&owner.case_id), "action_updated", update.status.as_str())?];
    if completing && action_plans::others_open(db, &owner.case_id, action_id).await? == 0 {
        // The owning agency's lead may see the case only through this action; the plan is theirs to finish.
        let case = case_of(ctx, &owner).await?;
        rest.extend(timeline::event_statements(db, who, &case, Entry::of(Event::ActionsCompleted, today)).await?);
    }
    if version::commit(db, write, rest).await? == Committed::Stale {
        return Err(stale().await);
    }
    let row = action_plans::one(db, action_id).await?.ok_or(ApiError::NotFound)?;
    reply::json(200, &planned(row, today))
}

async fn case_of(ctx: &Ctx<'_>, owner: &ActionOwner) -> Result<CaseRef, ApiError> {
    match cases::find(&ctx.db, &ctx.who, &owner.reference).await {
        Ok(case) => case.case_ref(),
        Err(ApiError::NotFound) => cases::by_id(&ctx.db, &owner.case_id).await,
        Err(other) => Err(other),
    }
}

/// Actions across cases: the partnership's whole plan for the team and
/// leadership; an agency lead's own agency's actions; for others, the actions
/// on the cases they may see.
pub async fn list_actions(req: &Request, ctx: &Ctx<'_>) -> Result<Response, ApiError> {
    let who = &ctx.who;
    ctx.require(Capability::ListCases)?;
    let url = req.url()?;
    let mut overdue_only = false;
    let mut status: Option<ActionStatus> = None;
    let mut agency: Option<String> = None;
    for (key, value) in url.query_pairs() {
        match key.as_ref() {
            "overdue" => overdue_only = matches!(value.as_ref(), "1" | "true" | "yes"),
            "status" if !value.is_empty() => {
                status = Some(ActionStatus::parse(&value).ok_or_else(|| ApiError::invalid("status", "Choose one of: open, in_progress, complete, escalated"))?)
            }
            "agency" if !value.is_empty() => agency = Some(value.into_owned()),
            _ => {}
        }
    }
    let overview = who.grants.may(Capability::ManageActions) || who.grants.may(Capability::ViewCaseMatrix);
    let owning_agency = who.agency_id.as_deref().filter(|_| who.grants.may(Capability::AnswerInformationRequest) && !overview);
    let today = ctx.today;
    let filter = ActionFilter { owning_agency, status, agency: agency.as_deref(), overdue_on: overdue_only.then_some(today) };
    let rows = action_plans::list(&ctx.db, who, filter).await?;
    let actions: Vec<PlannedAction> = rows.into_iter().map(|r| planned(r, today)).collect();
    let overdue = actions.iter().filter(|a| a.overdue).count() as u32;
    reply::json(200, &ActionList { total: actions.len() as u32, overdue, actions })
}
