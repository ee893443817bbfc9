//! A case's action plan: recommendations, the SMART actions under them,
//! and their progress; and actions across cases for the lists.

use chrono::NaiveDate;
use domain::action_plan::{ActionStatus, ActionUpdate, NewAction, Recommendation, is_overdue};
use domain::api::PlannedAction;
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};

use crate::auth::principal::Principal;
use crate::db::cases::{Visible, visible};
use crate::db::text;
use crate::http::error::ApiError;
use crate::platform::clock;
use crate::db::Query;

#[derive(Deserialize)]
pub struct ActionRow {
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
pub fn planned(row: ActionRow, today: NaiveDate) -> PlannedAction {
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

#[derive(Deserialize)]
pub struct RecommendationRow {
    pub id: String,
    pub text: String,
    pub theme: Option<String>,
}

pub async fn recommendations(db: &D1Database, case_id: &str) -> Result<Vec<RecommendationRow>, ApiError> {
    db
        .prepare("SELECT id, text, theme FROM recommendations WHERE case_id = ?1 ORDER BY created_at, rowid")
        .bind(&[case_id.into()])?
        .rows()
        .await
}

pub async fn recommendation_is_on_case(db: &D1Database, recommendation_id: &str, case_id: &str) -> Result<bool, ApiError> {
    Ok(db
        .prepare("SELECT id FROM recommendations WHERE id = ?1 AND case_id = ?2")
        .bind(&[recommendation_id.into(), case_id.into()])?
        .row::<serde_json::Value>()
        .await?
        .is_some())
}

pub fn add_recommendation(db: &D1Database, id: &str, case_id: &str, r: &Recommendation) -> Result<D1PreparedStatement, ApiError> {
    Ok(db
        .prepare("INSERT INTO recommendations (id, case_id, text, theme, created_at) VALUES (?1, ?2, ?3, ?4, ?5)")
        .bind(&[id.into(), case_id.into(), r.text.as_str().into(), text(r.theme.as_deref()), clock::now_rfc3339().into()])?)
}

/// The case's actions, soonest due first.
pub async fn of_case(db: &D1Database, case_id: &str) -> Result<Vec<ActionRow>, ApiError> {
    db
        .prepare(format!(
            "SELECT {ACTION_COLUMNS} FROM actions x JOIN cases c ON c.id = x.case_id JOIN agencies a ON a.id = x.owner_agency_id \
             WHERE x.case_id = ?1 ORDER BY x.due_on, x.rowid"
        ))
        .bind(&[case_id.into()])?
        .rows()
        .await
}

pub async fn one(db: &D1Database, action_id: &str) -> Result<Option<ActionRow>, ApiError> {
    db
        .prepare(format!(
            "SELECT {ACTION_COLUMNS} FROM actions x JOIN cases c ON c.id = x.case_id JOIN agencies a ON a.id = x.owner_agency_id WHERE x.id = ?1"
        ))
        .bind(&[action_id.into()])?
        .row::<ActionRow>()
        .await
}

/// The date Kirklees counts its 12 weeks from: publication, else the planned date.
pub async fn publication_date(db: &D1Database, case_id: &str) -> Result<Option<NaiveDate>, ApiError> {
    #[derive(Deserialize)]
    struct Row {
        on: Option<String>,
    }
    let row = db
        .prepare(
            "SELECT coalesce((SELECT min(occurred_on) FROM case_events WHERE case_id = ?1 AND kind = 'published' AND superseded_by IS NULL), \
                             (SELECT planned_publication_on FROM reviews WHERE case_id = ?1)) AS \"on\"",
        )
        .bind(&[case_id.into()])?
        .row::<Row>()
        .await?;
    Ok(row.and_then(|r| r.on).and_then(|d| d.parse().ok()))
}

pub fn add_action(db: &D1Database, id: &str, recommendation_id: &str, case_id: &str, action: &NewAction) -> Result<D1PreparedStatement, ApiError> {
    Ok(db
        .prepare(
            "INSERT INTO actions (id, recommendation_id, case_id, description, measure, owner_agency_id, due_on, status, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'open', ?8)",
        )
        .bind(&[
            id.into(),
            recommendation_id.into(),
            case_id.into(),
            action.description.as_str().into(),
            action.measure.as_str().into(),
            action.owner_agency_id.as_str().into(),
            action.due_on.to_string().into(),
            clock::now_rfc3339().into(),
        ])?)
}

/// Whose an action is, and where it stands, before it is updated.
#[derive(Deserialize)]
pub struct ActionOwner {
    pub case_id: String,
    pub reference: String,
    pub partnership_id: String,
    pub owner_agency_id: String,
    pub version: f64,
    pub status: String,
}

pub async fn owner(db: &D1Database, action_id: &str) -> Result<Option<ActionOwner>, ApiError> {
    db
        .prepare(
            "SELECT x.case_id, c.reference, c.partnership_id, x.owner_agency_id, x.version, x.status \
             FROM actions x JOIN cases c ON c.id = x.case_id WHERE x.id = ?1",
        )
        .bind(&[action_id.into()])?
        .row::<ActionOwner>()
        .await
}

/// The versioned progress of an action (for [`crate::db::version::commit`]).
pub fn update(db: &D1Database, action_id: &str, update: &ActionUpdate, today: NaiveDate) -> Result<D1PreparedStatement, ApiError> {
    Ok(db
        .prepare(
            "UPDATE actions SET status = ?1, evidence = coalesce(?2, evidence), \
               completed_on = CASE WHEN ?1 = 'complete' THEN coalesce(completed_on, ?3) ELSE NULL END, version = version + 1 \
             WHERE id = ?4 AND version = ?5",
        )
        .bind(&[
            update.status.as_str().into(),
            text(update.evidence.as_deref()),
            today.to_string().into(),
            action_id.into(),
            update.version.to_string().into(),
        ])?)
}

/// How many of the case's other actions are not complete.
pub async fn others_open(db: &D1Database, case_id: &str, action_id: &str) -> Result<u32, ApiError> {
    #[derive(Deserialize)]
    struct Open {
        open: f64,
    }
    Ok(db
        .prepare("SELECT count(*) AS open FROM actions WHERE case_id = ?1 AND id <> ?2 AND status <> 'complete'")
        .bind(&[case_id.into(), action_id.into()])?
        .row::<Open>()
        .await?
        .map_or(0, |o| o.open as u32))
}

/// Which actions a list shows.
pub struct ActionFilter<'a> {
    /// An agency lead's list is their agency's work, whichever case it came from.
    pub owning_agency: Option<&'a str>,
    pub status: Option<ActionStatus>,
    pub agency: Option<&'a str>,
    /// Only those still open after this day's date.
    pub overdue_on: Option<NaiveDate>,
}

/// Up to 1000 actions, open ones first, soonest due first.
pub async fn list(db: &D1Database, who: &Principal, filter: ActionFilter<'_>) -> Result<Vec<ActionRow>, ApiError> {
    let Visible { mut clause, mut binds } = match filter.owning_agency {
        Some(own) => Visible { clause: "c.partnership_id = ?1 AND x.owner_agency_id = ?2".into(), binds: vec![who.partnership_id.as_str().into(), own.into()] },
        None => visible(who),
    };
    if let Some(status) = filter.status {
        binds.push(status.as_str().into());
        clause.push_str(&format!(" AND x.status = ?{}", binds.len()));
    }
    if let Some(agency) = filter.agency {
        binds.push(agency.into());
        clause.push_str(&format!(" AND x.owner_agency_id = ?{}", binds.len()));
    }
    if let Some(today) = filter.overdue_on {
        binds.push(JsValue::from(today.to_string()));
        clause.push_str(&format!(" AND x.status <> 'complete' AND x.due_on < ?{}", binds.len()));
    }
    db
        .prepare(format!(
            "SELECT {ACTION_COLUMNS} FROM actions x JOIN cases c ON c.id = x.case_id JOIN agencies a ON a.id = x.owner_agency_id \
             WHERE {clause} ORDER BY (x.status = 'complete'), x.due_on, c.reference LIMIT 1000"
        ))
        .bind(&binds)?
        .rows()
        .await
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
