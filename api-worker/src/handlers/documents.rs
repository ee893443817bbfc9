//! Documents generated from a case (`documents` crate) as HTML or .docx:
//! `GET /api/v1/cases/{reference}/documents/{kind}.{html|docx}`. Personal
//! data goes into a document only for roles that may read it; every
//! generation is audited (which document, which format, never its content).

use chrono::NaiveDate;
use documents::{
    AgencyReturn, ChildDetails, Document, FamilyLetter, HouseholdMember, PanelNotification, PublicationNotice, RapidReviewOutcome, RapidReviewReport,
    SignOffLine, TermsOfReferenceDocument,
};
use domain::access::Capability;
use domain::api::{DecisionTexts, DocumentFormat, DocumentKind};
use domain::meeting::MeetingKind;
use domain::referral::PersonalDetails;
use worker::Response;

use crate::db::reviews::ReviewRow;
use crate::db::{audit, documents as facts, meetings, partnership, reviews, sealing};
use crate::db::audit::SealedRead;
use crate::handlers::rapid_review_report::report_json;
use crate::handlers::review::open_terms;
use crate::http::context::CaseCtx;
use crate::http::error::ApiError;

/// In place of a decision text, for a reader who may not read it.
const WITHHELD: &str = "Shown only to those who may read personal data";

fn not_ready(message: &str) -> ApiError {
    ApiError::invalid("kind", message)
}

fn date(raw: Option<&str>) -> Option<NaiveDate> {
    raw.and_then(|d| d.get(..10)).and_then(|d| d.parse().ok())
}

async fn personal_details(c: &CaseCtx<'_>) -> Result<PersonalDetails, ApiError> {
    let opened = c.opener(SealedRead::PersonalDetails).await?.open(sealing::PERSONAL_DATA.at(&c.case.id), &c.stored.personal_data).await?;
    serde_json::from_str(&opened).map_err(|e| ApiError::Internal(e.into()))
}

async fn review(c: &CaseCtx<'_>) -> Result<ReviewRow, ApiError> {
    reviews::of_case(&c.db, &c.case.id).await?.ok_or_else(|| not_ready("There is no local review on this case yet"))
}

async fn build(c: &CaseCtx<'_>, kind: DocumentKind) -> Result<Document, ApiError> {
    let (db, who, case, today) = (&c.db, &c.who, &c.case, c.today);
    let may_read = who.grants.may(Capability::ReadPersonalData);
    Ok(match kind {
        DocumentKind::RapidReviewReport => {
            let report = report_json(c).await?;
            let meeting = meetings::of_case(db, &case.id)
                .await?
                .into_iter()
                .find(|m| MeetingKind::parse(&m.kind) == Some(MeetingKind::RapidReview))
                .map(|m| (m.starts_at, m.location));
            let details = if may_read { Some(personal_details(c).await?) } else { None };
            documents::rapid_review_report(&RapidReviewReport {
                reference: case.reference.clone(),
                partnership: who.partnership_name.clone(),
                meeting_on: meeting.as_ref().and_then(|(s, _)| date(Some(s))),
                meeting_time: meeting.as_ref().and_then(|(s, _)| s.get(11..16).map(String::from)),
                meeting_location: meeting.and_then(|(_, l)| l),
                children: details.as_ref().map(|d| {
                    d.children
                        .iter()
                        .map(|c| ChildDetails {
                            name: c.name.clone(),
                            date_of_birth: c.date_of_birth,
                            date_of_death: c.date_of_death,
                            gender: c.gender.clone(),
                            ethnicity: c.ethnicity.clone(),
                            needs: c.needs.clone(),
                        })
                        .collect()
                }),
                household: details.as_ref().map(|d| {
                    d.household.iter().map(|h| HouseholdMember { name: h.name.clone(), relationship: h.relationship.clone(), age_or_date_of_birth: h.age_or_date_of_birth.clone() }).collect()
                }),
                // The write-up reaches the report only for roles that may read it (`write_up` is `None` otherwise).
                write_up: report.write_up,
                agencies: report.agencies.into_iter().map(|a| AgencyReturn { agency: a.agency, submitted: a.submitted, represented: a.represented }).collect(),
                // The texts reach the document only for roles that may read them (`texts` is `None` otherwise).
                outcome: report.decision.map(|d| {
                    let texts = d.texts.unwrap_or(DecisionTexts { rationale: WITHHELD.into(), findings: None, key_lines_of_enquiry: None, equality_and_racism: Some(WITHHELD.into()) });
                    RapidReviewOutcome {
                        option_label: d.label,
                        lcspr: d.option == domain::rapid_review::ReviewOption::Lcspr,
                        rationale: texts.rationale,
                        equality_and_racism: texts.equality_and_racism.unwrap_or_default(),
                        key_lines_of_enquiry: texts.key_lines_of_enquiry.unwrap_or_default(),
                        findings: texts.findings.unwrap_or_default(),
                        decided_on: date(Some(&d.decided_at)).unwrap_or(today),
                    }
                }),
                signoffs: report
                    .signoffs
                    .into_iter()
                    .map(|s| SignOffLine { partner: s.label, name: s.name, signed_on: date(s.signed_at.as_deref()) })
                    .collect(),
            })
        }
        DocumentKind::TermsOfReference => {
            let r = review(c).await?;
            // The terms are free text about the family: this document is for those who may read them.
            let (terms, key_lines_of_enquiry) = open_terms(c, &r).await?;
            let mut agencies = partnership::agencies(db, &who.partnership_id).await?;
            agencies.sort_by(|a, b| a.name.cmp(&b.name));
            let decided_on = date(r.decided_on.as_deref());
            documents::terms_of_reference(&TermsOfReferenceDocument {
                partnership: who.partnership_name.clone(),
                pseudonym: r.pseudonym.clone().ok_or_else(|| not_ready("Choose the review's pseudonym first: the terms of reference name the review by it"))?,
                decided_on,
                publish_by: decided_on.and_then(|d| domain::calendar::add_months(d, 6)),
                reviewer: r.reviewer_name,
                methodology: r.methodology,
                agencies: agencies.into_iter().filter(|a| terms.agencies.contains(&a.id)).map(|a| a.name).collect(),
                terms,
                key_lines_of_enquiry,
            })
        }
        DocumentKind::FamilyLetter => {
            let r = review(c).await?;
            let addressee = if may_read { personal_details(c).await?.parents.first().map(|p| p.name.clone()) } else { None };
            documents::family_letter(&FamilyLetter {
                partnership: who.partnership_name.clone(),
                date: today,
                addressee,
                about: r.pseudonym.clone().map_or_else(|| "a child known to you".into(), |p| format!("{p} (the name we use for the review)")),
                reviewer: r.reviewer_name.clone(),
                contact: format!("{} ({})", who.name, who.email),
                signatory: who.name.clone(),
            })
        }
        DocumentKind::PanelNotification => {
            let f = facts::panel_facts(db, &case.id).await?.ok_or(ApiError::NotFound)?;
            documents::panel_notification(&PanelNotification {
                reference: case.reference.clone(),
                partnership: who.partnership_name.clone(),
                incident_on: date(Some(&f.incident_date)).unwrap_or(case.aware_on),
                aware_on: case.aware_on,
                notify_by: date(f.notify_by.as_deref()),
                notified_on: date(f.notified_on.as_deref()).unwrap_or(today),
                national_reference: f.national_reference,
                rapid_review_due: date(f.rapid_review_due.as_deref()),
            })
        }
        DocumentKind::PublicationNotice => {
            let r = review(c).await?;
            let planned = date(r.planned_publication_on.as_deref()).ok_or_else(|| not_ready("Plan the publication date first"))?;
            let rules = partnership::rules(db, &who.partnership_id).await?;
            documents::publication_notice(&PublicationNotice {
                partnership: who.partnership_name.clone(),
                pseudonym: r.pseudonym.clone().ok_or_else(|| not_ready("Choose the review's pseudonym first: a published review is known by it"))?,
                decided_on: date(r.decided_on.as_deref()).unwrap_or(today),
                planned_publication_on: planned,
                notice_on: today,
                notice_due_by: rules.calendar.working_days_before(planned, domain::review::NOTICE_WORKING_DAYS).unwrap_or(planned),
            })
        }
    })
}

pub async fn generate(c: &CaseCtx<'_>, file: &str) -> Result<Response, ApiError> {
    let (who, case) = (&c.who, &c.case);
    let (kind, format) = DocumentFormat::parse_file(file).ok_or(ApiError::NotFound)?;
    let (name, format) = (kind.as_str(), format.as_str());
    // The team and the partners work with these; a referrer or agency lead does not.
    if !(who.grants.may(Capability::ManageReview) || who.grants.may(Capability::SignOff) || who.grants.may(Capability::SubmitReviewDraft) || who.grants.may(Capability::RecordDecision)) {
        return Err(ApiError::Forbidden);
    }
    let document = build(c, kind).await?;
    let personal = if who.grants.may(Capability::ReadPersonalData) { "with personal data if any" } else { "without personal data" };
    audit::entry(&c.db, who, Some(&case.id), "document_generated", &format!("{name}.{format}, {personal}"))?.run().await?;
    let filename = format!("{}-{name}.{format}", case.reference);
    let mut response = match format {
        "html" => Response::ok(document.to_html())?,
        _ => Response::from_bytes(document.to_docx().map_err(|e| ApiError::Internal(worker::Error::RustError(e.to_string())))?)?,
    };
    let headers = response.headers_mut();
    headers.set(
        "Content-Type",
        if format == "html" { "text/html; charset=utf-8" } else { "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
    )?;
    headers.set("Content-Disposition", &format!("{}; filename=\"{filename}\"", if format == "html" { "inline" } else { "attachment" }))?;
    if format == "html" {
        // No script at all; the one stylesheet by its hash.
        let hash = crate::platform::webcrypto::sha256(documents::STYLE.as_bytes()).await.map_err(|_| ApiError::Internal(worker::Error::RustError("sha256".into())))?;
        use base64::Engine as _;
        let csp = format!("default-src 'none'; style-src 'sha256-{}'; frame-ancestors 'none'", base64::engine::general_purpose::STANDARD.encode(hash));
        headers.set("Content-Security-Policy", &csp)?;
    }
    Ok(response)
}
