//! An LCSPR's record: its details, the drafts and their approvals, and the
//! two sealed logs (family engagement and key practice episodes). Sealed
//! columns arrive sealed; opening them is the handler's, with its audit entry.

use chrono::NaiveDate;
use domain::api::{Draft, Person};
use domain::review::{ContactKind, ReviewDetails};
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};

use crate::db::{flag, text};
use crate::http::error::ApiError;
use crate::db::Query;

#[derive(Deserialize)]
pub struct ReviewRow {
    pub pseudonym: Option<String>,
    pub reviewer_user_id: Option<String>,
    pub reviewer_name: Option<String>,
    pub reviewer_independent: f64,
    pub expressions_of_interest: Option<f64>,
    pub conflicts_declared: f64,
    pub methodology: Option<String>,
    pub terms_of_reference: String,
    pub key_lines_of_enquiry: String,
    pub decided_on: Option<String>,
    pub planned_publication_on: Option<String>,
    pub published_on: Option<String>,
    pub version: f64,
}

/// The case's review; `None` when no LCSPR was decided for it.
pub async fn of_case(db: &D1Database, case_id: &str) -> Result<Option<ReviewRow>, ApiError> {
    db
        .prepare(
            "SELECT pseudonym, reviewer_user_id, reviewer_name, reviewer_independent, expressions_of_interest, conflicts_declared, \
                    methodology, terms_of_reference, key_lines_of_enquiry, decided_on, planned_publication_on, published_on, version \
             FROM reviews WHERE case_id = ?1",
        )
        .bind(&[case_id.into()])?
        .row::<ReviewRow>()
        .await
}

/// The date the publication is planned for, once planned.
pub async fn planned_publication(db: &D1Database, case_id: &str) -> Result<Option<NaiveDate>, ApiError> {
    Ok(of_case(db, case_id).await?.and_then(|r| r.planned_publication_on).and_then(|d| d.parse().ok()))
}

pub async fn drafts(db: &D1Database, case_id: &str) -> Result<Vec<Draft>, ApiError> {
    db
        .prepare("SELECT id, label, received_on, subgroup_approved_on, executive_approved_on FROM review_drafts WHERE case_id = ?1 ORDER BY received_on, rowid")
        .bind(&[case_id.into()])?
        .rows()
        .await
}

/// How far the review has come: entries in its logs, and the publication events.
#[derive(Deserialize)]
pub struct Progress {
    pub family: f64,
    pub episodes: f64,
    pub notice_sent: f64,
    pub published_on: Option<String>,
}

pub async fn progress(db: &D1Database, case_id: &str) -> Result<Progress, ApiError> {
    Ok(db
        .prepare(
            "SELECT (SELECT count(*) FROM family_engagement WHERE case_id = ?1) AS family, \
                    (SELECT count(*) FROM key_practice_episodes WHERE case_id = ?1) AS episodes, \
                    (SELECT count(*) FROM case_events WHERE case_id = ?1 AND kind = 'report_sent_to_panel' AND superseded_by IS NULL) AS notice_sent, \
                    (SELECT min(occurred_on) FROM case_events WHERE case_id = ?1 AND kind = 'published' AND superseded_by IS NULL) AS published_on",
        )
        .bind(&[case_id.into()])?
        .row::<Progress>()
        .await?
        .unwrap_or(Progress { family: 0.0, episodes: 0.0, notice_sent: 0.0, published_on: None }))
}

/// The people who may be appointed: the partnership's users with the reviewer role.
pub async fn reviewers(db: &D1Database, partnership_id: &str) -> Result<Vec<Person>, ApiError> {
    db
        .prepare("SELECT u.id, u.name FROM users u JOIN memberships m ON m.user_id = u.id WHERE m.partnership_id = ?1 AND m.role = 'reviewer' ORDER BY u.name")
        .bind(&[partnership_id.into()])?
        .rows()
        .await
}

/// A reviewer's name, when they have an account in the partnership with that role.
pub async fn reviewer_name(db: &D1Database, partnership_id: &str, user_id: &str) -> Result<Option<String>, ApiError> {
    #[derive(Deserialize)]
    struct Named {
        name: String,
    }
    Ok(db
        .prepare("SELECT u.name FROM users u JOIN memberships m ON m.user_id = u.id WHERE u.id = ?1 AND m.partnership_id = ?2 AND m.role = 'reviewer'")
        .bind(&[user_id.into(), partnership_id.into()])?
        .row::<Named>()
        .await?
        .map(|n| n.name))
}

/// The review's free text about the family, sealed: the terms of reference and the key lines of enquiry (each JSON).
pub struct SealedTerms {
    pub terms_of_reference: String,
    pub key_lines_of_enquiry: String,
}

/// The versioned change of the review's details (for [`crate::db::version::commit`]).
pub fn update(db: &D1Database, case_id: &str, details: &ReviewDetails, reviewer_name: Option<&str>, sealed: SealedTerms) -> Result<D1PreparedStatement, ApiError> {
    Ok(db
        .prepare(
            "UPDATE reviews SET pseudonym = ?1, reviewer_user_id = ?2, reviewer_name = ?3, reviewer_independent = ?4, expressions_of_interest = ?5, \
                conflicts_declared = ?6, methodology = ?7, terms_of_reference = ?8, key_lines_of_enquiry = ?9, planned_publication_on = ?10, \
                version = version + 1 WHERE case_id = ?11 AND version = ?12",
        )
        .bind(&[
            text(details.pseudonym.as_deref()),
            text(details.reviewer_user_id.as_deref()),
            text(reviewer_name),
            flag(details.reviewer_independent),
            details.expressions_of_interest.map_or(JsValue::NULL, |n| JsValue::from(n.to_string())),
            flag(details.conflicts_declared),
            text(details.methodology.as_deref()),
            sealed.terms_of_reference.into(),
            sealed.key_lines_of_enquiry.into(),
            details.planned_publication_on.map_or(JsValue::NULL, |d| JsValue::from(d.to_string())),
            case_id.into(),
            details.version.to_string().into(),
        ])?)
}

/// Who recorded an entry, and when.
pub struct Recorded<'a> {
    pub id: &'a str,
    pub case_id: &'a str,
    pub by: &'a str,
    pub at: &'a str,
}

pub fn add_family_contact(db: &D1Database, r: Recorded<'_>, occurred_on: NaiveDate, kind: ContactKind, entry_sealed: String) -> Result<D1PreparedStatement, ApiError> {
    Ok(db
        .prepare("INSERT INTO family_engagement (id, case_id, occurred_on, kind, entry_sealed, recorded_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
        .bind(&[r.id.into(), r.case_id.into(), occurred_on.to_string().into(), kind.as_str().into(), entry_sealed.into(), r.by.into(), r.at.into()])?)
}

pub fn add_episode(db: &D1Database, r: Recorded<'_>, occurred_on: NaiveDate, title_sealed: String, analysis_sealed: String) -> Result<D1PreparedStatement, ApiError> {
    Ok(db
        .prepare("INSERT INTO key_practice_episodes (id, case_id, occurred_on, title_sealed, analysis_sealed, recorded_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
        .bind(&[r.id.into(), r.case_id.into(), occurred_on.to_string().into(), title_sealed.into(), analysis_sealed.into(), r.by.into(), r.at.into()])?)
}

#[derive(Deserialize)]
pub struct FamilyContactRow {
    pub id: String,
    pub occurred_on: String,
    pub kind: ContactKind,
    pub entry_sealed: String,
}

pub async fn family_contacts(db: &D1Database, case_id: &str) -> Result<Vec<FamilyContactRow>, ApiError> {
    db
        .prepare("SELECT id, occurred_on, kind, entry_sealed FROM family_engagement WHERE case_id = ?1 ORDER BY occurred_on, created_at")
        .bind(&[case_id.into()])?
        .rows()
        .await
}

#[derive(Deserialize)]
pub struct EpisodeRow {
    pub id: String,
    pub occurred_on: String,
    pub title_sealed: String,
    pub analysis_sealed: String,
}

pub async fn episodes(db: &D1Database, case_id: &str) -> Result<Vec<EpisodeRow>, ApiError> {
    db
        .prepare("SELECT id, occurred_on, title_sealed, analysis_sealed FROM key_practice_episodes WHERE case_id = ?1 ORDER BY occurred_on, created_at")
        .bind(&[case_id.into()])?
        .rows()
        .await
}

pub fn add_draft(db: &D1Database, id: &str, case_id: &str, label: &str, received_on: NaiveDate) -> Result<D1PreparedStatement, ApiError> {
    Ok(db
        .prepare("INSERT INTO review_drafts (id, case_id, label, received_on) VALUES (?1, ?2, ?3, ?4)")
        .bind(&[id.into(), case_id.into(), label.into(), received_on.to_string().into()])?)
}

/// Which approval a draft receives; each is given once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Approval {
    Subgroup,
    Executive,
}

impl Approval {
    /// The columns of `review_drafts` that hold the date and who approved.
    fn columns(self) -> (&'static str, &'static str) {
        match self {
            Approval::Subgroup => ("subgroup_approved_on", "subgroup_approved_by"),
            Approval::Executive => ("executive_approved_on", "executive_approved_by"),
        }
    }

    /// The audit action: `subgroup_approved`, `executive_approved`.
    pub fn action(self) -> &'static str {
        self.columns().0.trim_end_matches("_on")
    }
}

/// Approves a draft if it was not approved at this level yet (for [`crate::db::version::commit`]).
pub fn approve(db: &D1Database, draft_id: &str, approval: Approval, on: NaiveDate, by: &str) -> Result<D1PreparedStatement, ApiError> {
    let (column, by_column) = approval.columns();
    Ok(db
        .prepare(format!("UPDATE review_drafts SET {column} = ?1, {by_column} = ?2, version = version + 1 WHERE id = ?3 AND {column} IS NULL"))
        .bind(&[on.to_string().into(), by.into(), draft_id.into()])?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_approval_writes_its_own_columns_and_audits_under_its_name() {
        assert_eq!(Approval::Subgroup.columns(), ("subgroup_approved_on", "subgroup_approved_by"));
        assert_eq!(Approval::Executive.action(), "executive_approved");
        assert_eq!(Approval::Subgroup.action(), "subgroup_approved");
    }
}

