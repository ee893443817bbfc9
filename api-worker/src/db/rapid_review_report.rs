//! The rapid review report as stored: the sealed write-up (versioned), the
//! partners' sign-offs, and what the report reads from the rest of the case
//! (the recorded outcome, the agencies asked and represented).

use worker::{D1Database, D1PreparedStatement};

use domain::rapid_review_report::Partner;
use serde::Deserialize;

use crate::http::error::ApiError;
use crate::db::Query;

#[derive(Deserialize)]
pub struct ReportRow {
    pub write_up_sealed: String,
    pub updated_at: String,
    pub version: f64,
}

pub async fn of_case(db: &D1Database, case_id: &str) -> Result<Option<ReportRow>, ApiError> {
    db
        .prepare("SELECT write_up_sealed, updated_at, version FROM rapid_review_reports WHERE case_id = ?1")
        .bind(&[case_id.into()])?
        .row::<ReportRow>()
        .await
}

#[derive(Deserialize)]
pub struct SignedRow {
    pub partner: String,
    pub name: String,
    pub signed_at: String,
}

pub async fn signoffs(db: &D1Database, case_id: &str) -> Result<Vec<SignedRow>, ApiError> {
    db
        .prepare("SELECT s.partner, u.name, s.signed_at FROM rapid_review_signoffs s JOIN users u ON u.id = s.user_id WHERE s.case_id = ?1")
        .bind(&[case_id.into()])?
        .rows()
        .await
}

/// The latest rapid review outcome recorded on the case; `answers` and
/// `rationale` as stored: sealed (in clear only if written before they were).
#[derive(Deserialize)]
pub struct OutcomeRow {
    pub id: String,
    pub answers: String,
    pub outcome: String,
    pub rationale: String,
    pub decided_at: String,
}

pub async fn latest_outcome(db: &D1Database, case_id: &str) -> Result<Option<OutcomeRow>, ApiError> {
    db
        .prepare("SELECT id, answers, outcome, rationale, decided_at FROM decisions WHERE case_id = ?1 AND kind = 'rapid_review_outcome' ORDER BY decided_at DESC LIMIT 1")
        .bind(&[case_id.into()])?
        .row::<OutcomeRow>()
        .await
}

/// The template's agency table: every agency asked, whether it returned, whether it came to a rapid review meeting.
#[derive(Deserialize)]
pub struct AgencyLineRow {
    pub agency: String,
    pub submitted: f64,
    pub represented: f64,
}

pub async fn agency_table(db: &D1Database, case_id: &str, partnership_id: &str) -> Result<Vec<AgencyLineRow>, ApiError> {
    db
        .prepare(
            "SELECT a.name AS agency, \
                    max(CASE WHEN r.returned_on IS NOT NULL THEN 1 ELSE 0 END) AS submitted, \
                    (SELECT count(*) FROM meeting_attendees m JOIN meetings g ON g.id = m.meeting_id \
                      WHERE g.case_id = ?1 AND g.kind = 'rapid_review' AND m.present = 1 AND m.agency_id = a.id) AS represented \
             FROM agencies a LEFT JOIN information_requests r ON r.agency_id = a.id AND r.case_id = ?1 \
             WHERE a.partnership_id = ?2 AND (r.id IS NOT NULL OR EXISTS (SELECT 1 FROM meeting_attendees m JOIN meetings g ON g.id = m.meeting_id WHERE g.case_id = ?1 AND m.agency_id = a.id)) \
             GROUP BY a.id ORDER BY a.name",
        )
        .bind(&[case_id.into(), partnership_id.into()])?
        .rows()
        .await
}

/// Saves the write-up as one versioned write (version 0 creates it; for
/// [`crate::db::version::commit`]), then withdraws every sign-off.
pub fn write(db: &D1Database, case_id: &str, version: u32, sealed: String, by: &str, at: &str) -> Result<(D1PreparedStatement, D1PreparedStatement), ApiError> {
    let write = if version == 0 {
        db.prepare("INSERT INTO rapid_review_reports (case_id, write_up_sealed, updated_by, updated_at) VALUES (?1, ?2, ?3, ?4)")
            .bind(&[case_id.into(), sealed.into(), by.into(), at.into()])?
    } else {
        db.prepare("UPDATE rapid_review_reports SET write_up_sealed = ?1, updated_by = ?2, updated_at = ?3, version = version + 1 WHERE case_id = ?4 AND version = ?5")
            .bind(&[sealed.into(), by.into(), at.into(), case_id.into(), version.to_string().into()])?
    };
    let withdraw = db.prepare("DELETE FROM rapid_review_signoffs WHERE case_id = ?1").bind(&[case_id.into()])?;
    Ok((write, withdraw))
}

/// A partner's sign-off, only if the text is still the version the partner read (for [`crate::db::version::commit`]).
pub fn sign(db: &D1Database, case_id: &str, partner: Partner, by: &str, at: &str, version: u32) -> Result<D1PreparedStatement, ApiError> {
    Ok(db
        .prepare(
            "INSERT INTO rapid_review_signoffs (case_id, partner, user_id, signed_at) SELECT ?1, ?2, ?3, ?4 \
             WHERE (SELECT version FROM rapid_review_reports WHERE case_id = ?1) = ?5 \
             ON CONFLICT (case_id, partner) DO UPDATE SET user_id = excluded.user_id, signed_at = excluded.signed_at",
        )
        .bind(&[case_id.into(), partner.as_str().into(), by.into(), at.into(), version.to_string().into()])?)
}
