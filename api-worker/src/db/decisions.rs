//! The decisions recorded on a case: the threshold decision (the engine's
//! proposal beside the people's decision) and the rapid review outcome, each
//! with the facts that set the case's route.

use worker::{D1Database, D1PreparedStatement};

use crate::db::flag;
use crate::db::timeline::RouteFacts;
use crate::http::error::ApiError;

/// A decision as it is stored. The answers (JSON) and the rationale are free
/// text about the family and arrive sealed; the outcome and the route facts
/// (JSON) stay in clear, as they set the case's route and the figures.
pub struct NewDecision<'a> {
    pub id: &'a str,
    pub case_id: &'a str,
    pub answers_sealed: String,
    pub engine_outcome: Option<&'a str>,
    pub outcome: &'a str,
    pub overrides_engine: bool,
    pub rationale_sealed: String,
    pub decided_by: &'a str,
    pub decided_at: &'a str,
    pub facts: &'a RouteFacts,
}

/// `kind` is `threshold` or `rapid_review_outcome`.
pub fn insert(db: &D1Database, kind: &str, d: NewDecision<'_>) -> Result<D1PreparedStatement, ApiError> {
    Ok(db
        .prepare(
            "INSERT INTO decisions (id, case_id, kind, answers, engine_outcome, outcome, overrides_engine, rationale, decided_by, decided_at, route) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )
        .bind(&[
            d.id.into(),
            d.case_id.into(),
            kind.into(),
            d.answers_sealed.into(),
            crate::db::text(d.engine_outcome),
            d.outcome.into(),
            flag(d.overrides_engine),
            d.rationale_sealed.into(),
            d.decided_by.into(),
            d.decided_at.into(),
            serde_json::to_string(d.facts).unwrap_or_default().into(),
        ])?)
}

/// An LCSPR's record starts with the key lines of enquiry the partners set (sealed JSON).
pub fn start_review(db: &D1Database, case_id: &str, key_lines_of_enquiry_sealed: String, decided_on: chrono::NaiveDate) -> Result<D1PreparedStatement, ApiError> {
    Ok(db
        .prepare(
            "INSERT INTO reviews (case_id, key_lines_of_enquiry, decided_on) VALUES (?1, ?2, ?3) \
             ON CONFLICT (case_id) DO UPDATE SET key_lines_of_enquiry = excluded.key_lines_of_enquiry, decided_on = excluded.decided_on",
        )
        .bind(&[case_id.into(), key_lines_of_enquiry_sealed.into(), decided_on.to_string().into()])?)
}

