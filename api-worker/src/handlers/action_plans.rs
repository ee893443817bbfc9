//! Recommendations and SMART actions, per case and across cases. The
//! partnership team writes the plan; an owner agency's lead reports progress
//! and evidence on its own actions. When the last action is complete the case
//! records "actions completed" on its timeline.

use chrono::NaiveDate;
use domain::access::Capability;
use domain::api::{ActionAdded, ActionList, ActionPlan, PlannedAction, Recommendation, RecommendationAdded};
use domain::action_plan::{ActionInput, ActionStatus, ActionUpdateInput, RecommendationInput, is_overdue};
use domain::playbook::Event;
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::{D1Database, Env, Request, Response};

use crate::http::error::ApiError;
use crate::handlers::cases::{CaseRef, Visible, find_case_ref, random_uuid, visible};
use crate::auth::session::Principal;
use crate::db::idempotency::{self, Start};
use crate::handlers::timeline::{Entry, event_statements};
use crate::db::audit;
use crate::http::body;
use crate::platform::clock;
use crate::http::reply;

#[derive(Deserialize)]
struct ActionRow {
    id: String,
    recommendation_id: String,
    reference: String,
    pseudonym: Option<String>,
    description: String,
    measure: Option<String>,
    owner_agency_id: String,
    owner_agency: String,
    due_on: String,
    status: ActionStatus,
    evidence: Option<String>,
    completed_on: Option<String>,
    version: f64,
}

const ACTION_COLUMNS: &str = "x.id, x.recommendation_id, c.reference, c.pseudonym, x.description, x.measure, x.owner_agency_id, \
     a.name AS owner_agency, x.due_on, x.status, x.evidence, x.completed_on, x.version";

/// The action as listed, judged overdue or not on `today`.
fn planned(row: ActionRow, today: NaiveDate) -> PlannedAction {
    let overdue = row.due_on.parse::<NaiveDate>().is_ok_and(|due| is_overdue(row.status, due, today));
    PlannedAction {
        id: row.id,
        recommendation_id: row.recommendation_id,
        reference: row.reference,
        pseudonym: row.pseudonym,
        description: row.description,
        measure: row.measure,
        owner_agency_id: row.owner_agency_id,
        owner_agency: row.owner_agency,
        due_on: row.due_on,
        status: row.status,
        status_label: row.status.label().into(),
        overdue,
        evidence: row.evidence,
        completed_on: row.completed_on,
        version: row.version as u32,
    }
}

async fn plan_json(db: &D1Database, case: &CaseRef) -> Result<ActionPlan, ApiError> {
    #[derive(Deserialize)]
    struct RecommendationRow {
        id: String,
        text: String,
        theme: Option<String>,
    }
    let recommendations: Vec<RecommendationRow> = db
        .prepare("SELECT id, text, theme FROM recommendations WHERE case_id = ?1 ORDER BY created_at, rowid")
        .bind(&[case.id.as_str().into()])?
        .all()
        .await?
        .results()?;
    let actions: Vec<ActionRow> = db
        .prepare(format!(
            "SELECT {ACTION_COLUMNS} FROM actions x JOIN cases c ON c.id = x.case_id JOIN agencies a ON a.id = x.owner_agency_id \
             WHERE x.case_id = ?1 ORDER BY x.due_on, x.rowid"
        ))
        .bind(&[case.id.as_str().into()])?
        .all()
        .await?
        .results()?;
    let today = clock::today_in_uk();
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
    Ok(ActionPlan { reference: case.reference.clone(), recommendations, open_actions, overdue_actions })
}

pub async fn read_plan(env: &Env, who: &Principal, reference: &str) -> Result<Response, ApiError> {
    who.require(Capability::ReadCase)?;
    let db = env.d1("DB")?;
    let case = find_case_ref(&db, who, reference).await?;
    reply::json(200, &plan_json(&db, &case).await?)
}

pub async fn add_recommendation(req: &mut Request, env: &Env, who: &Principal, reference: &str) -> Result<Response, ApiError> {
    who.require(Capability::ReadCase)?;
    let json = body::json(req).await?;
    let db = env.d1("DB")?;
    let case = find_case_ref(&db, who, reference).await?;
    who.require(Capability::ManageActions)?;
    let claim = match idempotency::start(req, &db, who, &format!("recommendations:{}", case.reference)).await? {
        Start::Replay(response) => return Ok(response),
        Start::Fresh(claim) => claim,
    };
    let recommendation = domain::field_error::from_json::<RecommendationInput>(&json, "a recommendation")?.parse()?;
    let id = random_uuid();
    let statements = vec![
        db.prepare("INSERT INTO recommendations (id, case_id, text, theme, created_at) VALUES (?1, ?2, ?3, ?4, ?5)").bind(&[
            id.as_str().into(),
            case.id.as_str().into(),
            recommendation.text.as_str().into(),
            recommendation.theme.as_deref().map_or(JsValue::NULL, JsValue::from),
            clock::now_rfc3339().into(),
        ])?,
        audit::entry(&db, who, Some(&case.id), "recommendation_added", "")?,
    ];
    if let Some(replay) = idempotency::batch(&db, who, &claim, statements).await? {
        return Ok(replay);
    }
    let plan = plan_json(&db, &case).await?;
    idempotency::respond(&db, who, &claim, 201, &RecommendationAdded { id, plan }).await
}

/// The date Kirklees counts its 12 weeks from: publication, else the planned date.
async fn publication_date(db: &D1Database, case: &CaseRef) -> Result<Option<NaiveDate>, ApiError> {
    #[derive(Deserialize)]
    struct Row {
        on: Option<String>,
    }
    let row = db
        .prepare(
            "SELECT coalesce((SELECT min(occurred_on) FROM case_events WHERE case_id = ?1 AND kind = 'published' AND superseded_by IS NULL), \
                             (SELECT planned_publication_on FROM reviews WHERE case_id = ?1)) AS \"on\"",
        )
        .bind(&[case.id.as_str().into()])?
        .first::<Row>(None)
        .await?;
    Ok(row.and_then(|r| r.on).and_then(|d| d.parse().ok()))
}

pub async fn add_action(req: &mut Request, env: &Env, who: &Principal, reference: &str, recommendation_id: &str) -> Result<Response, ApiError> {
    who.require(Capability::ReadCase)?;
    let json = body::json(req).await?;
    let db = env.d1("DB")?;
    let case = find_case_ref(&db, who, reference).await?;
    who.require(Capability::ManageActions)?;
    #[derive(Deserialize)]
    struct Id {
        #[allow(dead_code)]
        id: String,
    }
    db.prepare("SELECT id FROM recommendations WHERE id = ?1 AND case_id = ?2")
        .bind(&[recommendation_id.into(), case.id.as_str().into()])?
        .first::<Id>(None)
        .await?
        .ok_or(ApiError::NotFound)?;
    let claim = match idempotency::start(req, &db, who, &format!("actions:{recommendation_id}")).await? {
        Start::Replay(response) => return Ok(response),
        Start::Fresh(claim) => claim,
    };
    let rules = crate::handlers::timeline::rules(&db, &who.partnership_id).await?;
    // Only Kirklees sets the 12-week expectation.
    let twelve_weeks_from = if rules.playbook.id == "kirklees" { publication_date(&db, &case).await? } else { None };
    let action = domain::field_error::from_json::<ActionInput>(&json, "an action")?.parse(clock::today_in_uk(), twelve_weeks_from)?;
    let agency = db
        .prepare("SELECT id FROM agencies WHERE id = ?1 AND partnership_id = ?2")
        .bind(&[action.owner_agency_id.as_str().into(), who.partnership_id.as_str().into()])?
        .first::<Id>(None)
        .await?;
    if agency.is_none() {
        return Err(ApiError::invalid("owner_agency_id", "There is no such agency in this partnership"));
    }
    let id = random_uuid();
    let statements = vec![
        db.prepare(
            "INSERT INTO actions (id, recommendation_id, case_id, description, measure, owner_agency_id, due_on, status, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'open', ?8)",
        )
        .bind(&[
            id.as_str().into(),
            recommendation_id.into(),
            case.id.as_str().into(),
            action.description.as_str().into(),
            action.measure.as_str().into(),
            action.owner_agency_id.as_str().into(),
            action.due_on.to_string().into(),
            clock::now_rfc3339().into(),
        ])?,
        audit::entry(&db, who, Some(&case.id), "action_added", "")?,
    ];
    if let Some(replay) = idempotency::batch(&db, who, &claim, statements).await? {
        return Ok(replay);
    }
    let plan = plan_json(&db, &case).await?;
    idempotency::respond(&db, who, &claim, 201, &ActionAdded { id, warnings: action.warnings, plan }).await
}

#[derive(Deserialize)]
struct ActionOwner {
    case_id: String,
    reference: String,
    partnership_id: String,
    owner_agency_id: String,
    version: f64,
    status: String,
}

async fn one_action(db: &D1Database, action_id: &str) -> Result<Option<ActionRow>, ApiError> {
    Ok(db
        .prepare(format!(
            "SELECT {ACTION_COLUMNS} FROM actions x JOIN cases c ON c.id = x.case_id JOIN agencies a ON a.id = x.owner_agency_id WHERE x.id = ?1"
        ))
        .bind(&[action_id.into()])?
        .first::<ActionRow>(None)
        .await?)
}

/// Progress on an action: the partnership team, or the lead of the agency that owns it.
pub async fn update_action(req: &mut Request, env: &Env, who: &Principal, action_id: &str) -> Result<Response, ApiError> {
    let json = body::json(req).await?;
    let db = env.d1("DB")?;
    let owner = db
        .prepare(
            "SELECT x.case_id, c.reference, c.partnership_id, x.owner_agency_id, x.version, x.status \
             FROM actions x JOIN cases c ON c.id = x.case_id WHERE x.id = ?1",
        )
        .bind(&[action_id.into()])?
        .first::<ActionOwner>(None)
        .await?
        .filter(|o| o.partnership_id == who.partnership_id)
        .ok_or(ApiError::NotFound)?;
    let owning_lead = who.grants.may(Capability::AnswerInformationRequest) && who.agency_id.as_deref() == Some(owner.owner_agency_id.as_str());
    if !(owning_lead || who.grants.may(Capability::ManageActions)) {
        return Err(ApiError::Forbidden);
    }
    let update = domain::field_error::from_json::<ActionUpdateInput>(&json, "an action's progress")?.parse()?;
    let today = clock::today_in_uk();
    if update.version != owner.version as u32 {
        let current = one_action(&db, action_id).await?.ok_or(ApiError::NotFound)?;
        return Err(ApiError::conflict(&planned(current, today)));
    }
    let completing = update.status == ActionStatus::Complete && owner.status != "complete";
    let mut statements = vec![
        db.prepare(
            "UPDATE actions SET status = ?1, evidence = coalesce(?2, evidence), \
               completed_on = CASE WHEN ?1 = 'complete' THEN coalesce(completed_on, ?3) ELSE NULL END, version = version + 1 \
             WHERE id = ?4 AND version = ?5",
        )
        .bind(&[
            update.status.as_str().into(),
            update.evidence.as_deref().map_or(JsValue::NULL, JsValue::from),
            today.to_string().into(),
            action_id.into(),
            update.version.to_string().into(),
        ])?,
        db.prepare("SELECT CASE WHEN changes() = 1 THEN 1 ELSE json('stale version') END"),
        audit::entry(&db, who, Some(&owner.case_id), "action_updated", update.status.as_str())?,
    ];
    if completing {
        #[derive(Deserialize)]
        struct Open {
            open: f64,
        }
        let others_open = db
            .prepare("SELECT count(*) AS open FROM actions WHERE case_id = ?1 AND id <> ?2 AND status <> 'complete'")
            .bind(&[owner.case_id.as_str().into(), action_id.into()])?
            .first::<Open>(None)
            .await?
            .map_or(0.0, |o| o.open);
        if others_open == 0.0 {
            // The owning agency's lead may see the case only through this action; the plan is theirs to finish.
            let case = case_of(&db, who, &owner).await?;
            statements.extend(event_statements(&db, who, &case, Entry::of(Event::ActionsCompleted, today)).await?);
        }
    }
    match db.batch(statements).await {
        Ok(_) => {}
        Err(error) if error.to_string().contains("malformed JSON") => {
            let current = one_action(&db, action_id).await?.ok_or(ApiError::NotFound)?;
            return Err(ApiError::conflict(&planned(current, today)));
        }
        Err(error) => return Err(error.into()),
    }
    let row = one_action(&db, action_id).await?.ok_or(ApiError::NotFound)?;
    reply::json(200, &planned(row, today))
}

async fn case_of(db: &D1Database, who: &Principal, owner: &ActionOwner) -> Result<CaseRef, ApiError> {
    match find_case_ref(db, who, &owner.reference).await {
        Ok(case) => Ok(case),
        Err(ApiError::NotFound) => crate::handlers::cases::case_ref_by_id(db, &owner.case_id).await,
        Err(other) => Err(other),
    }
}

/// Actions across cases: the partnership's whole plan for the team and
/// leadership; an agency lead's own agency's actions; for others, the actions
/// on the cases they may see.
pub async fn list_actions(req: &Request, env: &Env, who: &Principal) -> Result<Response, ApiError> {
    who.require(Capability::ListCases)?;
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
    let db = env.d1("DB")?;
    let overview = who.grants.may(Capability::ManageActions) || who.grants.may(Capability::ViewCaseMatrix);
    let owning_agency = who.agency_id.as_deref().filter(|_| who.grants.may(Capability::AnswerInformationRequest) && !overview);
    let Visible { mut clause, mut binds } = match owning_agency {
        // An agency lead's list is their agency's work, whichever case it came from.
        Some(own) => Visible { clause: "c.partnership_id = ?1 AND x.owner_agency_id = ?2".into(), binds: vec![who.partnership_id.as_str().into(), own.into()] },
        None => visible(who),
    };
    if let Some(status) = status {
        binds.push(status.as_str().into());
        clause.push_str(&format!(" AND x.status = ?{}", binds.len()));
    }
    if let Some(agency) = &agency {
        binds.push(agency.as_str().into());
        clause.push_str(&format!(" AND x.owner_agency_id = ?{}", binds.len()));
    }
    let today = clock::today_in_uk();
    if overdue_only {
        binds.push(today.to_string().into());
        clause.push_str(&format!(" AND x.status <> 'complete' AND x.due_on < ?{}", binds.len()));
    }
    let rows: Vec<ActionRow> = db
        .prepare(format!(
            "SELECT {ACTION_COLUMNS} FROM actions x JOIN cases c ON c.id = x.case_id JOIN agencies a ON a.id = x.owner_agency_id \
             WHERE {clause} ORDER BY (x.status = 'complete'), x.due_on, c.reference LIMIT 1000"
        ))
        .bind(&binds)?
        .all()
        .await?
        .results()?;
    let actions: Vec<PlannedAction> = rows.into_iter().map(|r| planned(r, today)).collect();
    let overdue = actions.iter().filter(|a| a.overdue).count() as u32;
    reply::json(200, &ActionList { total: actions.len() as u32, overdue, actions })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(status: ActionStatus, due_on: &str) -> ActionRow {
        ActionRow {
            id: "a1".into(),
            recommendation_id: "r1".into(),
            reference: "KRSCP-2026-0001".into(),
            pseudonym: Some("Child Q".into()),
            description: "Train staff".into(),
            measure: None,
            owner_agency_id: "police".into(),
            owner_agency: "Police".into(),
            due_on: due_on.into(),
            status,
            evidence: None,
            completed_on: None,
            version: 3.0,
        }
    }

    #[test]
    fn an_action_past_its_date_is_overdue_until_it_is_complete() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let late = planned(row(ActionStatus::InProgress, "2026-12-02"), today);
        assert!(late.overdue);
        assert_eq!((late.status_label.as_str(), late.version), (ActionStatus::InProgress.label(), 3));
        assert!(!planned(row(ActionStatus::Complete, "2026-12-02"), today).overdue);
        assert!(!planned(row(ActionStatus::Open, "2026-12-03"), today).overdue, "due today is not yet overdue");
    }

    #[test]
    fn an_action_reads_on_the_wire_with_its_status_by_name() {
        let json = serde_json::to_value(planned(row(ActionStatus::Open, "2027-01-10"), NaiveDate::from_ymd_opt(2026, 12, 3).unwrap())).unwrap();
        assert_eq!((json["status"].as_str(), json["due_on"].as_str(), json["overdue"].as_bool()), (Some("open"), Some("2027-01-10"), Some(false)));
    }
}
