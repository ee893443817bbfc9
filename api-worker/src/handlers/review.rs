//! The LCSPR of a case: its details (pseudonym, reviewer, terms of reference,
//! key lines of enquiry, publication plan), the family engagement log and the
//! key practice episodes (both sealed), and the drafts with their approvals.
//! A reviewer reaches only the reviews they were commissioned for: the case
//! scope (`domain::case_scope`) joins on `reviews.reviewer_user_id`.

use chrono::NaiveDate;
use domain::access::Capability;
use domain::api::{Draft, DraftAdded, LogEntry, LogEntryAdded, Person, Review, ReviewLog};
use domain::playbook::Event;
use domain::referral::PersonalDetails;
use domain::review::{ApprovalInput, ApprovalLevel, DraftInput, EpisodeInput, FamilyContactInput, ReviewDetails, ReviewInput, TermsOfReference};
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::{D1Database, Env, Request, Response};

use crate::http::error::ApiError;
use crate::handlers::cases::{CaseRef, find_case_ref, random_uuid};
use crate::auth::session::Principal;
use crate::db::idempotency::{self, Start};
use crate::platform::sealed::Sealer;
use crate::handlers::timeline::{Entry, current_event, event_statements, rules};
use crate::db::audit;
use crate::http::body;
use crate::platform::clock;
use crate::http::reply;

fn opt(v: &Option<String>) -> JsValue {
    v.as_deref().map_or(JsValue::NULL, JsValue::from)
}

fn flag(b: bool) -> JsValue {
    JsValue::from(if b { "1" } else { "0" })
}

fn date(raw: &Option<String>) -> Option<NaiveDate> {
    raw.as_deref().and_then(|d| d.parse().ok())
}

#[derive(Deserialize)]
struct ReviewRow {
    pseudonym: Option<String>,
    reviewer_user_id: Option<String>,
    reviewer_name: Option<String>,
    reviewer_independent: f64,
    expressions_of_interest: Option<f64>,
    conflicts_declared: f64,
    methodology: Option<String>,
    terms_of_reference: String,
    key_lines_of_enquiry: String,
    decided_on: Option<String>,
    planned_publication_on: Option<String>,
    published_on: Option<String>,
    version: f64,
}

async fn review_row(db: &D1Database, case: &CaseRef) -> Result<ReviewRow, ApiError> {
    db.prepare(
        "SELECT pseudonym, reviewer_user_id, reviewer_name, reviewer_independent, expressions_of_interest, conflicts_declared, \
                methodology, terms_of_reference, key_lines_of_enquiry, decided_on, planned_publication_on, published_on, version \
         FROM reviews WHERE case_id = ?1",
    )
    .bind(&[case.id.as_str().into()])?
    .first::<ReviewRow>(None)
    .await?
    // No LCSPR was decided for this case.
    .ok_or(ApiError::NotFound)
}

async fn drafts(db: &D1Database, case: &CaseRef) -> Result<Vec<Draft>, ApiError> {
    Ok(db
        .prepare("SELECT id, label, received_on, subgroup_approved_on, executive_approved_on FROM review_drafts WHERE case_id = ?1 ORDER BY received_on, rowid")
        .bind(&[case.id.as_str().into()])?
        .all()
        .await?
        .results()?)
}

async fn review_json(db: &D1Database, who: &Principal, case: &CaseRef) -> Result<Review, ApiError> {
    let row = review_row(db, case).await?;
    let rules = rules(db, &who.partnership_id).await?;
    #[derive(Deserialize)]
    struct Count {
        family: f64,
        episodes: f64,
        notice_sent: f64,
        published_on: Option<String>,
    }
    let counts = db
        .prepare(
            "SELECT (SELECT count(*) FROM family_engagement WHERE case_id = ?1) AS family, \
                    (SELECT count(*) FROM key_practice_episodes WHERE case_id = ?1) AS episodes, \
                    (SELECT count(*) FROM case_events WHERE case_id = ?1 AND kind = 'report_sent_to_panel' AND superseded_by IS NULL) AS notice_sent, \
                    (SELECT min(occurred_on) FROM case_events WHERE case_id = ?1 AND kind = 'published' AND superseded_by IS NULL) AS published_on",
        )
        .bind(&[case.id.as_str().into()])?
        .first::<Count>(None)
        .await?
        .unwrap_or(Count { family: 0.0, episodes: 0.0, notice_sent: 0.0, published_on: None });
    let plan = domain::review::publication_plan(
        date(&row.decided_on),
        date(&row.planned_publication_on),
        counts.notice_sent > 0.0,
        clock::today_in_uk(),
        &rules.calendar,
    );
    let terms: TermsOfReference = serde_json::from_str(&row.terms_of_reference).unwrap_or_default();
    let lines: Vec<String> = serde_json::from_str(&row.key_lines_of_enquiry).unwrap_or_default();
    let drafts = drafts(db, case).await?;
    // The people who may be appointed: the partnership's users with the reviewer role.
    let reviewers: Vec<Person> = if who.grants.may(Capability::ManageReview) {
        db
            .prepare("SELECT u.id, u.name FROM users u JOIN memberships m ON m.user_id = u.id WHERE m.partnership_id = ?1 AND m.role = 'reviewer' ORDER BY u.name")
            .bind(&[who.partnership_id.as_str().into()])?
            .all()
            .await?
            .results()?
    } else {
        Vec::new()
    };
    let mut warnings = plan.warnings.clone();
    if lines.len() > domain::review::KLOE_ADVISED_MAX {
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
        terms_of_reference: terms,
        key_lines_of_enquiry: lines,
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

pub async fn read(env: &Env, who: &Principal, reference: &str) -> Result<Response, ApiError> {
    who.require(Capability::ReadCase)?;
    let db = env.d1("DB")?;
    let case = find_case_ref(&db, who, reference).await?;
    reply::json(200, &review_json(&db, who, &case).await?)
}

/// Every name in the referral, to keep the pseudonym from giving one away.
async fn names_in_case(db: &D1Database, env: &Env, case: &CaseRef) -> Result<Vec<String>, ApiError> {
    #[derive(Deserialize)]
    struct Sealed {
        personal_data: String,
    }
    let Some(row) = db.prepare("SELECT personal_data FROM cases WHERE id = ?1").bind(&[case.id.as_str().into()])?.first::<Sealed>(None).await? else {
        return Ok(Vec::new());
    };
    let opened = Sealer::from_env(env).await?.open(&row.personal_data).await?;
    let details: PersonalDetails = serde_json::from_str(&opened).map_err(|e| ApiError::Internal(e.into()))?;
    let mut names: Vec<String> = details.children.into_iter().map(|c| c.name).collect();
    names.extend(details.parents.into_iter().map(|p| p.name));
    names.extend(details.household.into_iter().filter_map(|h| h.name));
    Ok(names)
}

pub async fn update(req: &mut Request, env: &Env, who: &Principal, reference: &str) -> Result<Response, ApiError> {
    who.require(Capability::ReadCase)?;
    let json = body::json(req).await?;
    let db = env.d1("DB")?;
    let case = find_case_ref(&db, who, reference).await?;
    who.require(Capability::ManageReview)?;
    let row = review_row(&db, &case).await?;
    let today = clock::today_in_uk();
    let details: ReviewDetails = domain::field_error::from_json::<ReviewInput>(&json, "the review's details")?.parse(today, date(&row.planned_publication_on))?;
    if details.version != row.version as u32 {
        return Err(ApiError::conflict(&review_json(&db, who, &case).await?));
    }
    if let Some(pseudonym) = &details.pseudonym {
        let names = names_in_case(&db, env, &case).await?;
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        if domain::review::pseudonym_reveals(pseudonym, &names) {
            return Err(ApiError::invalid("pseudonym", "The pseudonym uses a name from the case; choose one that identifies nobody, like \"Child Q\""));
        }
    }
    let mut reviewer_name = details.reviewer_name.clone();
    if let Some(id) = &details.reviewer_user_id {
        #[derive(Deserialize)]
        struct Person {
            name: String,
        }
        let person = db
            .prepare("SELECT u.name FROM users u JOIN memberships m ON m.user_id = u.id WHERE u.id = ?1 AND m.partnership_id = ?2 AND m.role = 'reviewer'")
            .bind(&[id.as_str().into(), who.partnership_id.as_str().into()])?
            .first::<Person>(None)
            .await?
            .ok_or_else(|| ApiError::invalid("reviewer_user_id", "Choose a lead reviewer with an account in this partnership"))?;
        reviewer_name = reviewer_name.or(Some(person.name));
    }
    let known: Vec<String> = {
        #[derive(Deserialize)]
        struct Id {
            id: String,
        }
        let rows: Vec<Id> = db.prepare("SELECT id FROM agencies WHERE partnership_id = ?1").bind(&[who.partnership_id.as_str().into()])?.all().await?.results()?;
        rows.into_iter().map(|r| r.id).collect()
    };
    if let Some(unknown) = details.terms_of_reference.agencies.iter().find(|a| !known.contains(a)) {
        return Err(ApiError::invalid("terms_of_reference.agencies", &format!("There is no agency \"{unknown}\" in this partnership")));
    }
    let appointed = (details.reviewer_user_id.is_some() || reviewer_name.is_some())
        && (details.reviewer_user_id != row.reviewer_user_id || reviewer_name != row.reviewer_name);
    let planned_changed = details.planned_publication_on.is_some() && details.planned_publication_on != date(&row.planned_publication_on);
    let mut statements = vec![
        db.prepare(
            "UPDATE reviews SET pseudonym = ?1, reviewer_user_id = ?2, reviewer_name = ?3, reviewer_independent = ?4, expressions_of_interest = ?5, \
                conflicts_declared = ?6, methodology = ?7, terms_of_reference = ?8, key_lines_of_enquiry = ?9, planned_publication_on = ?10, \
                version = version + 1 WHERE case_id = ?11 AND version = ?12",
        )
        .bind(&[
            opt(&details.pseudonym),
            opt(&details.reviewer_user_id),
            opt(&reviewer_name),
            flag(details.reviewer_independent),
            details.expressions_of_interest.map_or(JsValue::NULL, |n| JsValue::from(n.to_string())),
            flag(details.conflicts_declared),
            opt(&details.methodology),
            serde_json::to_string(&details.terms_of_reference).unwrap_or_default().into(),
            serde_json::to_string(&details.key_lines_of_enquiry).unwrap_or_default().into(),
            details.planned_publication_on.map_or(JsValue::NULL, |d| JsValue::from(d.to_string())),
            case.id.as_str().into(),
            details.version.to_string().into(),
        ])?,
        db.prepare("SELECT CASE WHEN changes() = 1 THEN 1 ELSE json('stale version') END"),
        // The case matrix shows the pseudonym, never the child's name.
        db.prepare("UPDATE cases SET pseudonym = ?1 WHERE id = ?2").bind(&[opt(&details.pseudonym), case.id.as_str().into()])?,
    ];
    if appointed {
        statements.extend(event_statements(&db, who, &case, Entry::of(Event::ReviewerAppointed, today)).await?);
    }
    if let (true, Some(planned)) = (planned_changed, details.planned_publication_on) {
        // Planning again corrects the earlier plan, so the 7-working-day notice moves with the date.
        let earlier = current_event(&db, &case, Event::PublicationPlanned).await?;
        statements.extend(event_statements(&db, who, &case, Entry::of(Event::PublicationPlanned, planned).correcting(earlier.as_deref())).await?);
    }
    statements.push(audit::entry(&db, who, Some(&case.id), "review_updated", "")?);
    match db.batch(statements).await {
        Ok(_) => {}
        Err(error) if error.to_string().contains("malformed JSON") => {
            return Err(ApiError::conflict(&review_json(&db, who, &case).await?));
        }
        Err(error) => return Err(error.into()),
    }
    let mut review = review_json(&db, who, &case).await?;
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

pub async fn add_to_log(req: &mut Request, env: &Env, who: &Principal, reference: &str, log: Log) -> Result<Response, ApiError> {
    who.require(Capability::ReadCase)?;
    let json = body::json(req).await?;
    let db = env.d1("DB")?;
    let case = find_case_ref(&db, who, reference).await?;
    require_review_writer(who)?;
    review_row(&db, &case).await?;
    let route = match log {
        Log::FamilyEngagement => "family-engagement",
        Log::Episodes => "episodes",
    };
    let claim = match idempotency::start(req, &db, who, &format!("{route}:{}", case.reference)).await? {
        Start::Replay(response) => return Ok(response),
        Start::Fresh(claim) => claim,
    };
    let today = clock::today_in_uk();
    let sealer = Sealer::from_env(env).await?;
    let id = random_uuid();
    let now = clock::now_rfc3339();
    let (statement, occurred_on) = match log {
        Log::FamilyEngagement => {
            let contact = domain::field_error::from_json::<FamilyContactInput>(&json, "a family engagement entry")?.parse(today)?;
            let statement = db
                .prepare("INSERT INTO family_engagement (id, case_id, occurred_on, kind, entry_sealed, recorded_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
                .bind(&[
                    id.as_str().into(),
                    case.id.as_str().into(),
                    contact.occurred_on.to_string().into(),
                    contact.kind.as_str().into(),
                    sealer.seal(&contact.entry).await?.into(),
                    who.user_id.as_str().into(),
                    now.as_str().into(),
                ])?;
            (statement, contact.occurred_on)
        }
        Log::Episodes => {
            let episode = domain::field_error::from_json::<EpisodeInput>(&json, "a key practice episode")?.parse(today)?;
            let statement = db
                .prepare("INSERT INTO key_practice_episodes (id, case_id, occurred_on, title_sealed, analysis_sealed, recorded_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
                .bind(&[
                    id.as_str().into(),
                    case.id.as_str().into(),
                    episode.occurred_on.to_string().into(),
                    sealer.seal(&episode.title).await?.into(),
                    sealer.seal(&episode.analysis).await?.into(),
                    who.user_id.as_str().into(),
                    now.as_str().into(),
                ])?;
            (statement, episode.occurred_on)
        }
    };
    let statements = vec![statement, audit::entry(&db, who, Some(&case.id), &format!("{}_added", route.replace('-', "_")), "")?];
    if let Some(replay) = idempotency::batch(&db, who, &claim, statements).await? {
        return Ok(replay);
    }
    idempotency::respond(&db, who, &claim, 201, &LogEntryAdded { id, occurred_on }).await
}

/// A sealed log, opened: personal data, so only for roles that may read it, and audited.
pub async fn read_log(env: &Env, who: &Principal, reference: &str, log: Log) -> Result<Response, ApiError> {
    who.require(Capability::ReadCase)?;
    let db = env.d1("DB")?;
    let case = find_case_ref(&db, who, reference).await?;
    who.require(Capability::ReadPersonalData)?;
    review_row(&db, &case).await?;
    let sealer = Sealer::from_env(env).await?;
    let mut entries = Vec::new();
    match log {
        Log::FamilyEngagement => {
            #[derive(Deserialize)]
            struct Row {
                id: String,
                occurred_on: String,
                kind: domain::review::ContactKind,
                entry_sealed: String,
            }
            let rows: Vec<Row> = db
                .prepare("SELECT id, occurred_on, kind, entry_sealed FROM family_engagement WHERE case_id = ?1 ORDER BY occurred_on, created_at")
                .bind(&[case.id.as_str().into()])?
                .all()
                .await?
                .results()?;
            for r in rows {
                entries.push(LogEntry {
                    id: r.id,
                    occurred_on: r.occurred_on,
                    kind: Some(r.kind),
                    entry: Some(sealer.open(&r.entry_sealed).await?),
                    title: None,
                    analysis: None,
                });
            }
            audit::entry(&db, who, Some(&case.id), "family_engagement_read", "")?.run().await?;
        }
        Log::Episodes => {
            #[derive(Deserialize)]
            struct Row {
                id: String,
                occurred_on: String,
                title_sealed: String,
                analysis_sealed: String,
            }
            let rows: Vec<Row> = db
                .prepare("SELECT id, occurred_on, title_sealed, analysis_sealed FROM key_practice_episodes WHERE case_id = ?1 ORDER BY occurred_on, created_at")
                .bind(&[case.id.as_str().into()])?
                .all()
                .await?
                .results()?;
            for r in rows {
                entries.push(LogEntry {
                    id: r.id,
                    occurred_on: r.occurred_on,
                    kind: None,
                    entry: None,
                    title: Some(sealer.open(&r.title_sealed).await?),
                    analysis: Some(sealer.open(&r.analysis_sealed).await?),
                });
            }
            audit::entry(&db, who, Some(&case.id), "episodes_read", "")?.run().await?;
        }
    }
    reply::json(200, &ReviewLog { reference: case.reference, entries })
}

pub async fn add_draft(req: &mut Request, env: &Env, who: &Principal, reference: &str) -> Result<Response, ApiError> {
    who.require(Capability::ReadCase)?;
    let json = body::json(req).await?;
    let db = env.d1("DB")?;
    let case = find_case_ref(&db, who, reference).await?;
    require_review_writer(who)?;
    review_row(&db, &case).await?;
    let claim = match idempotency::start(req, &db, who, &format!("drafts:{}", case.reference)).await? {
        Start::Replay(response) => return Ok(response),
        Start::Fresh(claim) => claim,
    };
    let draft = domain::field_error::from_json::<DraftInput>(&json, "a draft report")?.parse(clock::today_in_uk())?;
    let id = random_uuid();
    let mut statements = vec![db
        .prepare("INSERT INTO review_drafts (id, case_id, label, received_on) VALUES (?1, ?2, ?3, ?4)")
        .bind(&[id.as_str().into(), case.id.as_str().into(), draft.label.as_str().into(), draft.received_on.to_string().into()])?];
    statements.extend(event_statements(&db, who, &case, Entry::of(Event::DraftReceived, draft.received_on)).await?);
    statements.push(audit::entry(&db, who, Some(&case.id), "draft_received", "")?);
    if let Some(replay) = idempotency::batch(&db, who, &claim, statements).await? {
        return Ok(replay);
    }
    let review = review_json(&db, who, &case).await?;
    idempotency::respond(&db, who, &claim, 201, &DraftAdded { id, review }).await
}

/// Subgroup approval is the partnership team's to record; the executive's is a sign-off.
pub async fn approve_draft(req: &mut Request, env: &Env, who: &Principal, reference: &str, draft_id: &str) -> Result<Response, ApiError> {
    who.require(Capability::ReadCase)?;
    let json = body::json(req).await?;
    let db = env.d1("DB")?;
    let case = find_case_ref(&db, who, reference).await?;
    if !(who.grants.may(Capability::ManageReview) || who.grants.may(Capability::SignOff)) {
        return Err(ApiError::Forbidden);
    }
    let draft = drafts(&db, &case).await?.into_iter().find(|d| d.id == draft_id).ok_or(ApiError::NotFound)?;
    let input: ApprovalInput = domain::field_error::from_json(&json, "an approval")?;
    let received_on = date(&Some(draft.received_on.clone())).unwrap_or(NaiveDate::MIN);
    let approval = input.parse(clock::today_in_uk(), received_on, date(&draft.subgroup_approved_on))?;
    let (column, by, event, needed) = match approval.level {
        ApprovalLevel::Subgroup => ("subgroup_approved_on", "subgroup_approved_by", Event::SubgroupApproved, Capability::ManageReview),
        ApprovalLevel::Executive => ("executive_approved_on", "executive_approved_by", Event::ExecutiveApproved, Capability::SignOff),
    };
    who.require(needed)?;
    let already = match approval.level {
        ApprovalLevel::Subgroup => draft.subgroup_approved_on.is_some(),
        ApprovalLevel::Executive => draft.executive_approved_on.is_some(),
    };
    if already {
        return Err(ApiError::conflict(&review_json(&db, who, &case).await?));
    }
    let mut statements = vec![
        db.prepare(format!("UPDATE review_drafts SET {column} = ?1, {by} = ?2, version = version + 1 WHERE id = ?3 AND {column} IS NULL"))
            .bind(&[approval.approved_on.to_string().into(), who.user_id.as_str().into(), draft_id.into()])?,
        db.prepare("SELECT CASE WHEN changes() = 1 THEN 1 ELSE json('stale version') END"),
    ];
    statements.extend(event_statements(&db, who, &case, Entry::of(event, approval.approved_on)).await?);
    statements.push(audit::entry(&db, who, Some(&case.id), column.trim_end_matches("_on"), "")?);
    match db.batch(statements).await {
        Ok(_) => {}
        Err(error) if error.to_string().contains("malformed JSON") => return Err(ApiError::conflict(&review_json(&db, who, &case).await?)),
        Err(error) => return Err(error.into()),
    }
    reply::json(200, &review_json(&db, who, &case).await?)
}
