//! The LCSPR of a case: its details (pseudonym, reviewer, terms of reference,
//! key lines of enquiry, publication plan), the family engagement log and the
//! key practice episodes (both sealed), and the drafts with their approvals.
//! A reviewer reaches only the reviews they were commissioned for: the case
//! scope (`domain::case_scope`) joins on `reviews.reviewer_user_id`.

use chrono::NaiveDate;
use domain::access::Capability;
use domain::api::{DraftAdded, LogEntry, LogEntryAdded, Review, ReviewLog};
use domain::playbook::Event;
use domain::referral::PersonalDetails;
use domain::review::{ApprovalInput, ApprovalLevel, DraftInput, EpisodeInput, FamilyContactInput, ReviewDetails, ReviewInput, TermsOfReference};
use worker::{Request, Response};

use crate::auth::principal::Principal;
use crate::db::idempotency::{self, Start};
use crate::db::audit::SealedRead;
use crate::db::sealing;
use crate::db::reviews::{self, Approval, Recorded, ReviewRow, SealedTerms};
use crate::db::timeline::{self, Entry};
use crate::db::version::{self, Committed};
use crate::db::{audit, partnership};
use crate::http::context::CaseCtx;
use crate::http::error::ApiError;
use crate::http::{body, reply};
use crate::platform::clock;
use crate::platform::sealed::Sealer;
use crate::platform::webcrypto::random_uuid;

fn date(raw: &Option<String>) -> Option<NaiveDate> {
    raw.as_deref().and_then(|d| d.parse().ok())
}

/// The case's review: 404 when no LCSPR was decided for it.
async fn review_row(c: &CaseCtx<'_>) -> Result<ReviewRow, ApiError> {
    reviews::of_case(&c.db, &c.case.id).await?.ok_or(ApiError::NotFound)
}

async fn review_json(c: &CaseCtx<'_>) -> Result<Review, ApiError> {
    let (db, who, case) = (&c.db, &c.who, &c.case);
    let row = review_row(c).await?;
    let rules = partnership::rules(db, &who.partnership_id).await?;
    let counts = reviews::progress(db, &case.id).await?;
    let plan = domain::review::publication_plan(
        date(&row.decided_on),
        date(&row.planned_publication_on),
        counts.notice_sent > 0.0,
        c.today,
        &rules.calendar,
    );
    // The terms of reference and lines of enquiry are free text about the family: opened (audited) for those who may read them.
    let sealed_terms = if c.may_read_sealed() { Some(open_terms(c, &row).await?) } else { None };
    let drafts = reviews::drafts(db, &case.id).await?;
    // The people who may be appointed: the partnership's users with the reviewer role.
    let reviewers = if who.grants.may(Capability::ManageReview) { reviews::reviewers(db, &who.partnership_id).await? } else { Vec::new() };
    let mut warnings = plan.warnings.clone();
    if sealed_terms.as_ref().is_some_and(|(_, lines)| lines.len() > domain::review::KLOE_ADVISED_MAX) {
        warnings.push("The national panel advises no more than 3 or 4 key lines of enquiry".into());
    }
    Ok(Review {
        reference: case.reference.clone(),
        pseudonym: row.pseudonym,
        reviewer_user_id: row.reviewer_user_id,
        reviewer_name: row.reviewer_name,
        reviewer_independent: row.reviewer_independent != 0.0,
        expressions_of_interest: row.expressions_of_interest.map(|n| n as u32),
        conflicts_declared: row.conflicts_declared != 0.0,
        methodology: row.methodology,
        terms_of_reference: sealed_terms.as_ref().map(|(terms, _)| terms.clone()),
        key_lines_of_enquiry: sealed_terms.map(|(_, lines)| lines),
        decided_on: row.decided_on,
        planned_publication_on: row.planned_publication_on,
        published_on: counts.published_on.or(row.published_on),
        publish_by: plan.publish_by,
        notice_by: plan.notice_by,
        notice_sent: counts.notice_sent > 0.0,
        warnings,
        family_engagement_count: counts.family as u32,
        episode_count: counts.episodes as u32,
        drafts,
        reviewers,
        version: row.version as u32,
    })
}

pub async fn read(c: &CaseCtx<'_>) -> Result<Response, ApiError> {
    reply::json(200, &review_json(c).await?)
}

/// The review's terms of reference and key lines of enquiry, opened for one audited read.
pub async fn open_terms(c: &CaseCtx<'_>, row: &ReviewRow) -> Result<(TermsOfReference, Vec<String>), ApiError> {
    let opener = c.opener(SealedRead::TermsOfReference).await?;
    let case_id = &c.case.id;
    let terms = serde_json::from_str(&opener.open_or_clear(sealing::TERMS_OF_REFERENCE.at(case_id), &row.terms_of_reference).await?).unwrap_or_default();
    let lines = serde_json::from_str(&opener.open_or_clear(sealing::LINES_OF_ENQUIRY.at(case_id), &row.key_lines_of_enquiry).await?).unwrap_or_default();
    Ok((terms, lines))
}

/// Every name in the referral, to keep the pseudonym from giving one away.
async fn names_in_case(c: &CaseCtx<'_>) -> Result<Vec<String>, ApiError> {
    let opened = c.opener(SealedRead::PersonalDetailsChecked).await?.open(sealing::PERSONAL_DATA.at(&c.case.id), &c.stored.personal_data).await?;
    let details: PersonalDetails = serde_json::from_str(&opened).map_err(|e| ApiError::Internal(e.into()))?;
    let mut names: Vec<String> = details.children.into_iter().map(|c| c.name).collect();
    names.extend(details.parents.into_iter().map(|p| p.name));
    names.extend(details.household.into_iter().filter_map(|h| h.name));
    Ok(names)
}

pub async fn update(req: &mut Request, c: &CaseCtx<'_>) -> Result<Response, ApiError> {
    let (db, who, case) = (&c.db, &c.who, &c.case);
    let json = body::json(req).await?;
    c.require(Capability::ManageReview)?;
    let row = review_row(c).await?;
    let today = c.today;
    let details: ReviewDetails = domain::field_error::from_json::<ReviewInput>(&json, "the review's details")?.parse(today, date(&row.planned_publication_on))?;
    if details.version != row.version as u32 {
        return Err(ApiError::conflict(&review_json(c).await?));
    }
    if let Some(pseudonym) = &details.pseudonym {
        let names = names_in_case(c).await?;
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        if domain::review::pseudonym_reveals(pseudonym, &names) {
            return Err(ApiError::invalid("pseudonym", "The pseudonym uses a name from the case; choose one that identifies nobody, like \"Child Q\""));
        }
    }
    let mut reviewer_name = details.reviewer_name.clone();
    if let Some(id) = &details.reviewer_user_id {
        let person = reviews::reviewer_name(db, &who.partnership_id, id)
            .await?
            .ok_or_else(|| ApiError::invalid("reviewer_user_id", "Choose a lead reviewer with an account in this partnership"))?;
        reviewer_name = reviewer_name.or(Some(person));
    }
    let known: Vec<String> = partnership::agencies(db, &who.partnership_id).await?.into_iter().map(|a| a.id).collect();
    if let Some(unknown) = details.terms_of_reference.agencies.iter().find(|a| !known.contains(a)) {
        return Err(ApiError::invalid("terms_of_reference.agencies", format!("There is no agency \"{unknown}\" in this partnership")));
    }
    let appointed = (details.reviewer_user_id.is_some() || reviewer_name.is_some())
        && (details.reviewer_user_id != row.reviewer_user_id || reviewer_name != row.reviewer_name);
    let planned_changed = details.planned_publication_on.is_some() && details.planned_publication_on != date(&row.planned_publication_on);
    let sealer = Sealer::for_partnership(c.env, &who.partnership_id).await?;
    let sealed = SealedTerms {
        terms_of_reference: sealer.seal(sealing::TERMS_OF_REFERENCE.at(&case.id), &serde_json::to_string(&details.terms_of_reference).unwrap_or_default()).await?,
        key_lines_of_enquiry: sealer.seal(sealing::LINES_OF_ENQUIRY.at(&case.id), &serde_json::to_string(&details.key_lines_of_enquiry).unwrap_or_default()).await?,
    };
    let write = reviews::update(db, &case.id, &details, reviewer_name.as_deref(), sealed)?;
    // The case matrix shows the pseudonym, never the child's name.
    let mut statements = vec![crate::db::cases::set_pseudonym(db, &case.id, details.pseudonym.as_deref())?];
    if appointed {
        statements.extend(timeline::event_statements(db, who, case, Entry::of(Event::ReviewerAppointed, today)).await?);
    }
    if let (true, Some(planned)) = (planned_changed, details.planned_publication_on) {
        // Planning again corrects the earlier plan, so the 7-working-day notice moves with the date.
        let earlier = timeline::current_event(db, case, Event::PublicationPlanned).await?;
        statements.extend(timeline::event_statements(db, who, case, Entry::of(Event::PublicationPlanned, planned).correcting(earlier.as_deref())).await?);
    }
    statements.push(audit::entry(db, who, Some(&case.id), "review_updated", "")?);
    if version::commit(db, write, statements).await? == Committed::Stale {
        return Err(ApiError::conflict(&review_json(c).await?));
    }
    let mut review = review_json(c).await?;
    for warning in details.warnings {
        if !review.warnings.contains(&warning) {
            review.warnings.push(warning);
        }
    }
    reply::json(200, &review)
}

/// The review's own people write to it: the partnership team, or the commissioned reviewer.
fn require_review_writer(who: &Principal) -> Result<(), ApiError> {
    if who.grants.may(Capability::ManageReview) || who.grants.may(Capability::SubmitReviewDraft) {
        Ok(())
    } else {
        Err(ApiError::Forbidden)
    }
}

/// Which sealed log of the review: both hold personal data about the family.
#[derive(Clone, Copy)]
pub enum Log {
    FamilyEngagement,
    Episodes,
}

pub async fn add_to_log(req: &mut Request, c: &CaseCtx<'_>, log: Log) -> Result<Response, ApiError> {
    let (db, who, case) = (&c.db, &c.who, &c.case);
    let json = body::json(req).await?;
    require_review_writer(who)?;
    review_row(c).await?;
    let route = match log {
        Log::FamilyEngagement => "family-engagement",
        Log::Episodes => "episodes",
    };
    let claim = match idempotency::start(req, db, who, &format!("{route}:{}", case.reference)).await? {
        Start::Replay(response) => return Ok(response),
        Start::Fresh(claim) => claim,
    };
    let today = c.today;
    let sealer = Sealer::for_partnership(c.env, &who.partnership_id).await?;
    let id = random_uuid();
    let now = clock::now_rfc3339();
    let recorded = Recorded { id: &id, case_id: &case.id, by: &who.user_id, at: &now };
    let (statement, occurred_on) = match log {
        Log::FamilyEngagement => {
            let contact = domain::field_error::from_json::<FamilyContactInput>(&json, "a family engagement entry")?.parse(today)?;
            let statement = reviews::add_family_contact(db, recorded, contact.occurred_on, contact.kind, sealer.seal(sealing::FAMILY_ENGAGEMENT.at(&id), &contact.entry).await?)?;
            (statement, contact.occurred_on)
        }
        Log::Episodes => {
            let episode = domain::field_error::from_json::<EpisodeInput>(&json, "a key practice episode")?.parse(today)?;
            let title = sealer.seal(sealing::EPISODE_TITLE.at(&id), &episode.title).await?;
            let analysis = sealer.seal(sealing::EPISODE_ANALYSIS.at(&id), &episode.analysis).await?;
            let statement = reviews::add_episode(db, recorded, episode.occurred_on, title, analysis)?;
            (statement, episode.occurred_on)
        }
    };
    let statements = vec![statement, audit::entry(db, who, Some(&case.id), &format!("{}_added", route.replace('-', "_")), "")?];
    if let Some(replay) = idempotency::batch(db, who, &claim, statements).await? {
        return Ok(replay);
    }
    idempotency::respond(db, who, &claim, 201, &LogEntryAdded { id, occurred_on }).await
}

/// A sealed log, opened: personal data, so only for roles that may read it, and audited.
pub async fn read_log(c: &CaseCtx<'_>, log: Log) -> Result<Response, ApiError> {
    let (db, case) = (&c.db, &c.case);
    c.require(Capability::ReadPersonalData)?;
    review_row(c).await?;
    let opener = c.opener(match log {
        Log::FamilyEngagement => SealedRead::FamilyEngagement,
        Log::Episodes => SealedRead::Episodes,
    })
    .await?;
    let mut entries = Vec::new();
    match log {
        Log::FamilyEngagement => {
            let rows = reviews::family_contacts(db, &case.id).await?;
            for r in rows {
                let entry = opener.open(sealing::FAMILY_ENGAGEMENT.at(&r.id), &r.entry_sealed).await?;
                entries.push(LogEntry {
                    id: r.id,
                    occurred_on: r.occurred_on,
                    kind: Some(r.kind),
                    entry: Some(entry),
                    title: None,
                    analysis: None,
                });
            }
        }
        Log::Episodes => {
            let rows = reviews::episodes(db, &case.id).await?;
            for r in rows {
                let title = opener.open(sealing::EPISODE_TITLE.at(&r.id), &r.title_sealed).await?;
                let analysis = opener.open(sealing::EPISODE_ANALYSIS.at(&r.id), &r.analysis_sealed).await?;
                entries.push(LogEntry {
                    id: r.id,
                    occurred_on: r.occurred_on,
                    kind: None,
                    entry: None,
                    title: Some(title),
                    analysis: Some(analysis),
                });
            }
        }
    }
    reply::json(200, &ReviewLog { reference: case.reference.clone(), entries })
}

pub async fn add_draft(req: &mut Request, c: &CaseCtx<'_>) -> Result<Response, ApiError> {
    let (db, who, case) = (&c.db, &c.who, &c.case);
    let json = body::json(req).await?;
    require_review_writer(who)?;
    review_row(c).await?;
    let claim = match idempotency::start(req, db, who, &format!("drafts:{}", case.reference)).await? {
        Start::Replay(response) => return Ok(response),
        Start::Fresh(claim) => claim,
    };
    let draft = domain::field_error::from_json::<DraftInput>(&json, "a draft report")?.parse(c.today)?;
    let id = random_uuid();
    let mut statements = vec![reviews::add_draft(db, &id, &case.id, &draft.label, draft.received_on)?];
    statements.extend(timeline::event_statements(db, who, case, Entry::of(Event::DraftReceived, draft.received_on)).await?);
    statements.push(audit::entry(db, who, Some(&case.id), "draft_received", "")?);
    if let Some(replay) = idempotency::batch(db, who, &claim, statements).await? {
        return Ok(replay);
    }
    let review = review_json(c).await?;
    idempotency::respond(db, who, &claim, 201, &DraftAdded { id, review }).await
}

/// Subgroup approval is the partnership team's to record; the executive's is a sign-off.
pub async fn approve_draft(req: &mut Request, c: &CaseCtx<'_>, draft_id: &str) -> Result<Response, ApiError> {
    let (db, who, case) = (&c.db, &c.who, &c.case);
    let json = body::json(req).await?;
    if !(who.grants.may(Capability::ManageReview) || who.grants.may(Capability::SignOff)) {
        return Err(ApiError::Forbidden);
    }
    let draft = reviews::drafts(db, &case.id).await?.into_iter().find(|d| d.id == draft_id).ok_or(ApiError::NotFound)?;
    let input: ApprovalInput = domain::field_error::from_json(&json, "an approval")?;
    let received_on = date(&Some(draft.received_on.clone())).unwrap_or(NaiveDate::MIN);
    let approval = input.parse(c.today, received_on, date(&draft.subgroup_approved_on))?;
    let (level, event, needed) = match approval.level {
        ApprovalLevel::Subgroup => (Approval::Subgroup, Event::SubgroupApproved, Capability::ManageReview),
        ApprovalLevel::Executive => (Approval::Executive, Event::ExecutiveApproved, Capability::SignOff),
    };
    who.require(needed)?;
    let already = match approval.level {
        ApprovalLevel::Subgroup => draft.subgroup_approved_on.is_some(),
        ApprovalLevel::Executive => draft.executive_approved_on.is_some(),
    };
    if already {
        return Err(ApiError::conflict(&review_json(c).await?));
    }
    let write = reviews::approve(db, draft_id, level, approval.approved_on, &who.user_id)?;
    let mut rest = timeline::event_statements(db, who, case, Entry::of(event, approval.approved_on)).await?;
    rest.push(audit::entry(db, who, Some(&case.id), level.action(), "")?);
    if version::commit(db, write, rest).await? == Committed::Stale {
        return Err(ApiError::conflict(&review_json(c).await?));
    }
    reply::json(200, &review_json(c).await?)
}
