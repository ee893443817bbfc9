//! The rapid review report: the write-up (sealed; read only by roles that may
//! read personal data, and audited), the recorded decision it concludes with,
//! the agency table with who was represented at the meeting, and the three
//! partners' sign-offs. Any change to the write-up withdraws the sign-offs.

use domain::access::Capability;
use domain::api::{AgencyLine, RapidReviewReport, ReportDecision, SignOff};
use domain::rapid_review::{DecisionAnswers, ReviewOption};
use domain::rapid_review_report::{Partner, SignOffInput, WriteUp, WriteUpInput, may_sign_for};
use serde::Deserialize;
use worker::{D1Database, Env, Request, Response};

use crate::http::error::ApiError;
use crate::handlers::cases::{CaseRef, find_case_ref};
use crate::auth::session::Principal;
use crate::platform::sealed::Sealer;
use crate::db::audit;
use crate::http::body;
use crate::platform::clock;
use crate::http::reply;

#[derive(Deserialize)]
struct ReportRow {
    write_up_sealed: String,
    updated_at: String,
    version: f64,
}

async fn report_row(db: &D1Database, case: &CaseRef) -> Result<Option<ReportRow>, ApiError> {
    Ok(db
        .prepare("SELECT write_up_sealed, updated_at, version FROM rapid_review_reports WHERE case_id = ?1")
        .bind(&[case.id.as_str().into()])?
        .first::<ReportRow>(None)
        .await?)
}

pub(crate) async fn report_json(env: &Env, db: &D1Database, who: &Principal, case: &CaseRef) -> Result<RapidReviewReport, ApiError> {
    let row = report_row(db, case).await?;
    let may_read = who.grants.may(Capability::ReadPersonalData);
    let write_up: Option<WriteUp> = match (&row, may_read) {
        (Some(r), true) => {
            let opened = Sealer::from_env(env).await?.open(&r.write_up_sealed).await?;
            audit::entry(db, who, Some(&case.id), "rapid_review_report_read", "")?.run().await?;
            Some(serde_json::from_str(&opened).unwrap_or_default())
        }
        (None, true) => Some(WriteUp::default()),
        _ => None,
    };
    #[derive(Deserialize)]
    struct Signed {
        partner: String,
        name: String,
        signed_at: String,
    }
    let signed: Vec<Signed> = db
        .prepare("SELECT s.partner, u.name, s.signed_at FROM rapid_review_signoffs s JOIN users u ON u.id = s.user_id WHERE s.case_id = ?1")
        .bind(&[case.id.as_str().into()])?
        .all()
        .await?
        .results()?;
    let signoffs: Vec<SignOff> = Partner::ALL
        .iter()
        .map(|p| {
            let s = signed.iter().find(|s| s.partner == p.as_str());
            SignOff { partner: *p, label: p.label().into(), name: s.map(|s| s.name.clone()), signed_at: s.map(|s| s.signed_at.clone()) }
        })
        .collect();
    #[derive(Deserialize)]
    struct Decision {
        answers: String,
        outcome: String,
        rationale: String,
        decided_at: String,
    }
    let decision = db
        .prepare("SELECT answers, outcome, rationale, decided_at FROM decisions WHERE case_id = ?1 AND kind = 'rapid_review_outcome' ORDER BY decided_at DESC LIMIT 1")
        .bind(&[case.id.as_str().into()])?
        .first::<Decision>(None)
        .await?
        .and_then(|d| {
            let answers: DecisionAnswers = serde_json::from_str(&d.answers).unwrap_or_default();
            let option = ReviewOption::parse(&d.outcome)?;
            Some(ReportDecision {
                option,
                label: option.label().into(),
                rationale: d.rationale,
                decided_at: d.decided_at,
                findings: answers.findings,
                key_lines_of_enquiry: answers.key_lines_of_enquiry,
                equality_and_racism: answers.equality_and_racism,
            })
        });
    // The template's agency table: every agency asked, whether it returned, whether it came to a rapid review meeting.
    #[derive(Deserialize)]
    struct AgencyRow {
        agency: String,
        submitted: f64,
        represented: f64,
    }
    let agencies: Vec<AgencyRow> = db
        .prepare(
            "SELECT a.name AS agency, \
                    max(CASE WHEN r.returned_on IS NOT NULL THEN 1 ELSE 0 END) AS submitted, \
                    (SELECT count(*) FROM meeting_attendees m JOIN meetings g ON g.id = m.meeting_id \
                      WHERE g.case_id = ?1 AND g.kind = 'rapid_review' AND m.present = 1 AND m.agency_id = a.id) AS represented \
             FROM agencies a LEFT JOIN information_requests r ON r.agency_id = a.id AND r.case_id = ?1 \
             WHERE a.partnership_id = ?2 AND (r.id IS NOT NULL OR EXISTS (SELECT 1 FROM meeting_attendees m JOIN meetings g ON g.id = m.meeting_id WHERE g.case_id = ?1 AND m.agency_id = a.id)) \
             GROUP BY a.id ORDER BY a.name",
        )
        .bind(&[case.id.as_str().into(), who.partnership_id.as_str().into()])?
        .all()
        .await?
        .results()?;
    let all_signed = signed.len() == Partner::ALL.len();
    Ok(RapidReviewReport {
        reference: case.reference.clone(),
        missing: write_up.as_ref().map(|w| w.missing().into_iter().map(String::from).collect()).unwrap_or_default(),
        write_up,
        updated_at: row.as_ref().map(|r| r.updated_at.clone()),
        version: row.as_ref().map_or(0, |r| r.version as u32),
        signoffs,
        signed_by_all_partners: all_signed,
        decision,
        agencies: agencies.into_iter().map(|a| AgencyLine { agency: a.agency, submitted: a.submitted > 0.0, represented: a.represented > 0.0 }).collect(),
    })
}

pub async fn read(env: &Env, who: &Principal, reference: &str) -> Result<Response, ApiError> {
    who.require(Capability::ReadCase)?;
    let db = env.d1("DB")?;
    let case = find_case_ref(&db, who, reference).await?;
    reply::json(200, &report_json(env, &db, who, &case).await?)
}

/// Saves the write-up (version 0 creates it). Sign-offs are withdrawn in the same transaction.
pub async fn write(req: &mut Request, env: &Env, who: &Principal, reference: &str) -> Result<Response, ApiError> {
    who.require(Capability::ReadCase)?;
    let json = body::json(req).await?;
    let db = env.d1("DB")?;
    let case = find_case_ref(&db, who, reference).await?;
    who.require(Capability::ManageReview)?;
    let (version, write_up) = domain::field_error::from_json::<WriteUpInput>(&json, "the rapid review report")?.parse()?;
    let current = report_row(&db, &case).await?.map_or(0, |r| r.version as u32);
    if version != current {
        return Err(ApiError::conflict(&report_json(env, &db, who, &case).await?));
    }
    let sealed = Sealer::from_env(env).await?.seal(&serde_json::to_string(&write_up).unwrap_or_default()).await?;
    let now = clock::now_rfc3339();
    let write = if version == 0 {
        db.prepare("INSERT INTO rapid_review_reports (case_id, write_up_sealed, updated_by, updated_at) VALUES (?1, ?2, ?3, ?4)")
            .bind(&[case.id.as_str().into(), sealed.into(), who.user_id.as_str().into(), now.as_str().into()])?
    } else {
        db.prepare("UPDATE rapid_review_reports SET write_up_sealed = ?1, updated_by = ?2, updated_at = ?3, version = version + 1 WHERE case_id = ?4 AND version = ?5")
            .bind(&[sealed.into(), who.user_id.as_str().into(), now.as_str().into(), case.id.as_str().into(), version.to_string().into()])?
    };
    let statements = vec![
        write,
        db.prepare("SELECT CASE WHEN changes() = 1 THEN 1 ELSE json('stale version') END"),
        db.prepare("DELETE FROM rapid_review_signoffs WHERE case_id = ?1").bind(&[case.id.as_str().into()])?,
        audit::entry(&db, who, Some(&case.id), "rapid_review_report_written", "")?,
    ];
    match db.batch(statements).await {
        Ok(_) => {}
        Err(error) if error.to_string().contains("malformed JSON") || error.to_string().contains("UNIQUE") => {
            return Err(ApiError::conflict(&report_json(env, &db, who, &case).await?));
        }
        Err(error) => return Err(error.into()),
    }
    reply::json(200, &report_json(env, &db, who, &case).await?)
}


pub async fn sign_off(req: &mut Request, env: &Env, who: &Principal, reference: &str) -> Result<Response, ApiError> {
    who.require(Capability::ReadCase)?;
    let json = body::json(req).await?;
    let db = env.d1("DB")?;
    let case = find_case_ref(&db, who, reference).await?;
    who.require(Capability::SignOff)?;
    let (partner, version) = domain::field_error::from_json::<SignOffInput>(&json, "a sign-off")?.parse()?;
    let Some(row) = report_row(&db, &case).await? else {
        return Err(ApiError::invalid("partner", "There is no written report to sign off yet"));
    };
    if row.version as u32 != version {
        return Err(ApiError::conflict(&report_json(env, &db, who, &case).await?));
    }
    #[derive(Deserialize)]
    struct Agency {
        kind: String,
        safeguarding_partner: f64,
    }
    let agency = match &who.agency_id {
        Some(id) => db.prepare("SELECT kind, safeguarding_partner FROM agencies WHERE id = ?1").bind(&[id.as_str().into()])?.first::<Agency>(None).await?,
        None => None,
    };
    if !may_sign_for(partner, agency.as_ref().map(|a| a.kind.as_str()), agency.as_ref().is_some_and(|a| a.safeguarding_partner != 0.0)) {
        return Err(ApiError::invalid("partner", "You can sign off only for your own agency's partner"));
    }
    let statements = vec![
        // Only if the text is still the version the partner read.
        db.prepare(
            "INSERT INTO rapid_review_signoffs (case_id, partner, user_id, signed_at) SELECT ?1, ?2, ?3, ?4 \
             WHERE (SELECT version FROM rapid_review_reports WHERE case_id = ?1) = ?5 \
             ON CONFLICT (case_id, partner) DO UPDATE SET user_id = excluded.user_id, signed_at = excluded.signed_at",
        )
        .bind(&[case.id.as_str().into(), partner.as_str().into(), who.user_id.as_str().into(), clock::now_rfc3339().into(), version.to_string().into()])?,
        db.prepare("SELECT CASE WHEN changes() = 1 THEN 1 ELSE json('stale version') END"),
        audit::entry(&db, who, Some(&case.id), "rapid_review_report_signed", partner.as_str())?,
    ];
    match db.batch(statements).await {
        Ok(_) => {}
        Err(error) if error.to_string().contains("malformed JSON") => return Err(ApiError::conflict(&report_json(env, &db, who, &case).await?)),
        Err(error) => return Err(error.into()),
    }
    reply::json(200, &report_json(env, &db, who, &case).await?)
}
