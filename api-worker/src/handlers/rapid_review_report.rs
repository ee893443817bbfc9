//! The rapid review report: the write-up (sealed; read only by roles that may
//! read personal data, and audited), the recorded decision it concludes with,
//! the agency table with who was represented at the meeting, and the three
//! partners' sign-offs. Any change to the write-up withdraws the sign-offs.

use domain::access::Capability;
use domain::api::{AgencyLine, DecisionTexts, RapidReviewReport, ReportDecision, SignOff};
use domain::rapid_review::{DecisionAnswers, ReviewOption};
use domain::rapid_review_report::{Partner, SignOffInput, WriteUp, WriteUpInput, may_sign_for};
use worker::{Request, Response};

use crate::db::audit::SealedRead;
use crate::db::sealing;
use crate::db::rapid_review_report as report;
use crate::db::version::{self, Committed};
use crate::db::{audit, partnership};
use crate::http::context::CaseCtx;
use crate::http::error::ApiError;
use crate::http::{body, reply};
use crate::platform::clock;
use crate::platform::sealed::Sealer;

pub async fn report_json(c: &CaseCtx<'_>) -> Result<RapidReviewReport, ApiError> {
    let (db, who, case) = (&c.db, &c.who, &c.case);
    let row = report::of_case(db, &case.id).await?;
    let may_read = c.may_read_sealed();
    let write_up: Option<WriteUp> = match (&row, may_read) {
        (Some(r), true) => {
            let opened = c.opener(SealedRead::RapidReviewReport).await?.open(sealing::REPORT_WRITE_UP.at(&case.id), &r.write_up_sealed).await?;
            Some(serde_json::from_str(&opened).unwrap_or_default())
        }
        (None, true) => Some(WriteUp::default()),
        _ => None,
    };
    let signed = report::signoffs(db, &case.id).await?;
    let signoffs: Vec<SignOff> = Partner::ALL
        .iter()
        .map(|p| {
            let s = signed.iter().find(|s| s.partner == p.as_str());
            SignOff { partner: *p, label: p.label().into(), name: s.map(|s| s.name.clone()), signed_at: s.map(|s| s.signed_at.clone()) }
        })
        .collect();
    let decision = match report::latest_outcome(db, &case.id).await?.and_then(|d| Some((ReviewOption::parse(&d.outcome)?, d))) {
        None => None,
        Some((option, d)) => {
            let texts = if may_read { Some(decision_texts(c, &d).await?) } else { None };
            Some(ReportDecision { option, label: option.label().into(), decided_at: d.decided_at, texts })
        }
    };
    let agencies = report::agency_table(db, &case.id, &who.partnership_id).await?;
    let all_signed = signed.len() == Partner::ALL.len();
    let signs_for = if who.grants.may(Capability::SignForPartner) { signer_partner(c).await? } else { None };
    Ok(RapidReviewReport {
        reference: case.reference.clone(),
        missing: write_up.as_ref().map(|w| w.missing().into_iter().map(String::from).collect()).unwrap_or_default(),
        write_up,
        updated_at: row.as_ref().map(|r| r.updated_at.clone()),
        version: row.as_ref().map_or(0, |r| r.version as u32),
        signoffs,
        signed_by_all_partners: all_signed,
        signs_for,
        decision,
        agencies: agencies.into_iter().map(|a| AgencyLine { agency: a.agency, submitted: a.submitted > 0.0, represented: a.represented > 0.0 }).collect(),
    })
}

/// The decision's rationale, answers and lines of enquiry, opened for one audited read.
async fn decision_texts(c: &CaseCtx<'_>, d: &report::OutcomeRow) -> Result<DecisionTexts, ApiError> {
    let opener = c.opener(SealedRead::DecisionTexts).await?;
    let answers: DecisionAnswers = serde_json::from_str(&opener.open_or_clear(sealing::DECISION_ANSWERS.at(&d.id), &d.answers).await?).unwrap_or_default();
    Ok(DecisionTexts {
        rationale: opener.open_or_clear(sealing::DECISION_RATIONALE.at(&d.id), &d.rationale).await?,
        findings: answers.findings,
        key_lines_of_enquiry: answers.key_lines_of_enquiry,
        equality_and_racism: answers.equality_and_racism,
    })
}

pub async fn read(c: &CaseCtx<'_>) -> Result<Response, ApiError> {
    reply::json(200, &report_json(c).await?)
}

/// Saves the write-up (version 0 creates it). Sign-offs are withdrawn in the same transaction.
pub async fn write(req: &mut Request, c: &CaseCtx<'_>) -> Result<Response, ApiError> {
    let (db, who, case) = (&c.db, &c.who, &c.case);
    let json = body::json(req).await?;
    c.require(Capability::ManageReview)?;
    let (version, write_up) = domain::field_error::from_json::<WriteUpInput>(&json, "the rapid review report")?.parse()?;
    let current = report::of_case(db, &case.id).await?.map_or(0, |r| r.version as u32);
    if version != current {
        return Err(ApiError::conflict(&report_json(c).await?));
    }
    let sealer = Sealer::for_partnership(c.env, &who.partnership_id).await?;
    let sealed = sealer.seal(sealing::REPORT_WRITE_UP.at(&case.id), &serde_json::to_string(&write_up).unwrap_or_default()).await?;
    let (write, withdraw_signoffs) = report::write(db, &case.id, version, sealed, &who.user_id, &clock::now_rfc3339())?;
    let rest = vec![withdraw_signoffs, audit::entry(db, who, Some(&case.id), "rapid_review_report_written", "")?];
    if version::commit(db, write, rest).await? == Committed::Stale {
        return Err(ApiError::conflict(&report_json(c).await?));
    }
    reply::json(200, &report_json(c).await?)
}

/// The safeguarding partner the signer's own agency is, if it is one.
pub async fn signer_partner(c: &crate::http::context::Ctx<'_>) -> Result<Option<Partner>, ApiError> {
    let agency = match &c.who.agency_id {
        Some(id) => partnership::agency(&c.db, &c.who.partnership_id, id).await?,
        None => None,
    };
    Ok(agency.and_then(|a| Partner::of_agency(a.kind, a.safeguarding_partner)))
}

pub async fn sign_off(req: &mut Request, c: &CaseCtx<'_>) -> Result<Response, ApiError> {
    let (db, who, case) = (&c.db, &c.who, &c.case);
    let json = body::json(req).await?;
    c.require(Capability::SignForPartner)?;
    let (partner, version) = domain::field_error::from_json::<SignOffInput>(&json, "a sign-off")?.parse()?;
    let Some(row) = report::of_case(db, &case.id).await? else {
        return Err(ApiError::invalid("partner", "There is no written report to sign off yet"));
    };
    if row.version as u32 != version {
        return Err(ApiError::conflict(&report_json(c).await?));
    }
    if !may_sign_for(partner, &who.grants, signer_partner(c).await?) {
        return Err(ApiError::invalid("partner", "You can sign off only for the safeguarding partner your own agency is"));
    }
    let signed = report::sign(db, &case.id, partner, &who.user_id, &clock::now_rfc3339(), version)?;
    let audit = audit::entry(db, who, Some(&case.id), "rapid_review_report_signed", partner.as_str())?;
    if version::commit(db, signed, vec![audit]).await? == Committed::Stale {
        return Err(ApiError::conflict(&report_json(c).await?));
    }
    reply::json(200, &report_json(c).await?)
}
