//! Cases: the referral that opens one, the cases a person may see, a case's
//! record, and its personal details for those who may read them.

use chrono::Datelike;
use domain::access::Capability;
use domain::api::CaseView;
use domain::case::{CaseList, CaseSummary, CaseUpdateInput, to_csv};
use domain::case_query::CaseQuery;
use domain::referral::{PersonalDetails, ReceivedVia, ReferralInput};
use worker::{Request, Response};

use crate::db::audit::SealedRead;
use crate::db::cases::{self, NewCase, RECEIPT_AT};
use crate::db::version::{self, Committed};
use crate::db::{audit, deadlines, partnership, sealing};
use crate::http::context::{CaseCtx, Ctx};
use crate::http::error::ApiError;
use crate::http::{body, reply};
use crate::messaging::notifier;
use crate::platform::clock;
use crate::platform::sealed::Sealer;
use crate::platform::webcrypto::random_uuid;

pub async fn submit_referral(req: &mut Request, ctx: &Ctx<'_>) -> Result<Response, ApiError> {
    let Ctx { db, who, today, env } = ctx;
    ctx.require(Capability::SubmitReferral)?;
    let idempotency_key = body::idempotency_key(req)?;
    let json = body::json(req).await?;
    let referral = ReferralInput::from_json(&json)?.parse(*today)?;
    let facts = &referral.facts;
    if facts.received_via != ReceivedVia::Form && !who.grants.may(Capability::RecordEvent) {
        return Err(ApiError::invalid("received_via", "Only the partnership team enters a referral received by email, phone or post"));
    }
    if let Some(key) = &idempotency_key
        && let Some(receipt) = cases::receipt_for_key(db, who, key).await? {
            return reply::json(201, &receipt);
        }
    let personal = serde_json::to_string(&referral.personal).map_err(|e| ApiError::Internal(e.into()))?;
    let id = random_uuid();
    let sealed_personal = Sealer::for_partnership(env, &who.partnership_id).await?.seal(sealing::PERSONAL_DATA.at(&id), &personal).await?;
    let now = clock::now_rfc3339();
    // Entered on an agency's behalf: received on the day it arrived (noon, so
    // the date reads the same in UTC and in the UK).
    let received_on = facts.received_on.unwrap_or(*today);
    let received_at = match facts.received_on {
        Some(on) => domain::uk_time::from_uk(on.and_hms_opt(12, 0, 0).unwrap_or_default()).to_rfc3339(),
        None => now.clone(),
    };
    let new_case = NewCase {
        id: &id,
        facts,
        sealed_personal,
        idempotency_key: idempotency_key.as_deref(),
        received_at: &received_at,
        now: &now,
        year: today.year().to_string(),
    };
    let mut statements = cases::insert(db, who, new_case)?;
    let rules = partnership::rules(db, &who.partnership_id).await?;
    let (initial, notify_by) = deadlines::initial(db, &rules, &id, facts.aware_on, received_on)?;
    statements.extend(initial);
    statements.push(notifier::new_referral(ctx, req, &id, notify_by)?);
    match db.batch(statements).await {
        Ok(results) => {
            let receipt = results
                .get(RECEIPT_AT)
                .map(|r| r.results::<domain::case::ReferralReceipt>())
                .transpose()?
                .and_then(|mut rows| rows.pop())
                .ok_or_else(|| ApiError::Internal(worker::Error::RustError("case was not stored".into())))?;
            reply::json(201, &receipt)
        }
        // Two retries racing: the unique index let one in; answer the other with its receipt.
        Err(error) => match &idempotency_key {
            Some(key) => match cases::receipt_for_key(db, who, key).await? {
                Some(receipt) => reply::json(201, &receipt),
                None => Err(error.into()),
            },
            None => Err(error.into()),
        },
    }
}

/// The matching cases, judged on today by the partnership's calendar.
async fn summaries(ctx: &Ctx<'_>, query: &CaseQuery, limit: u64, offset: u64) -> Result<Vec<CaseSummary>, ApiError> {
    let rows = cases::page(&ctx.db, &ctx.who, query, ctx.today, limit, offset).await?;
    let calendar = partnership::rules(&ctx.db, &ctx.who.partnership_id).await?.calendar;
    Ok(rows.into_iter().map(|row| row.judged(ctx.today, &calendar)).collect())
}

fn case_query(req: &Request) -> Result<CaseQuery, ApiError> {
    let url = req.url()?;
    let pairs: Vec<(String, String)> = url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    Ok(CaseQuery::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))?)
}

pub async fn list_cases(req: &Request, ctx: &Ctx<'_>) -> Result<Response, ApiError> {
    ctx.require(Capability::ListCases)?;
    let query = case_query(req)?;
    let total = cases::count(&ctx.db, &ctx.who, &query, ctx.today).await?;
    let cases = summaries(ctx, &query, query.per_page as u64, query.offset()).await?;
    reply::json(200, &CaseList { cases, total, page: query.page, per_page: query.per_page })
}

/// Every matching case as CSV, for the annual report. The matrix holds no personal data.
pub async fn export_cases(req: &Request, ctx: &Ctx<'_>) -> Result<Response, ApiError> {
    ctx.require(Capability::ViewCaseMatrix)?;
    let query = case_query(req)?;
    let cases = summaries(ctx, &query, 100_000, 0).await?;
    let mut response = Response::ok(to_csv(&cases))?;
    let headers = response.headers_mut();
    headers.set("Content-Type", "text/csv; charset=utf-8")?;
    headers.set("Content-Disposition", &format!("attachment; filename=\"{}-cases.csv\"", ctx.who.partnership_code.to_lowercase()))?;
    Ok(response)
}

/// The case as its reader sees it now.
async fn view(c: &CaseCtx<'_>, stored: cases::StoredCase) -> Result<CaseView, ApiError> {
    let calendar = partnership::rules(&c.db, &c.who.partnership_id).await?.calendar;
    Ok(CaseView { case: stored.summary.judged(c.today, &calendar), may_read_personal_details: c.who.grants.may(Capability::ReadPersonalData) })
}

pub async fn read_case(c: &CaseCtx<'_>) -> Result<Response, ApiError> {
    reply::json(200, &view(c, c.stored.clone()).await?)
}

/// Changes a case's record if nobody changed it since `version`; otherwise 409
/// with the case as it is now, so the person can see what changed and redo theirs.
pub async fn update_case(req: &mut Request, c: &CaseCtx<'_>) -> Result<Response, ApiError> {
    let json = body::json(req).await?;
    c.require(Capability::EditCase)?;
    let update = domain::field_error::from_json::<CaseUpdateInput>(&json, "a case update")?.parse()?;
    let (write, changed) = cases::update(&c.db, &c.case.id, &update, &clock::now_rfc3339())?;
    let detail = format!("changed: {}", changed.join(", "));
    let committed = version::commit(&c.db, write, vec![audit::entry(&c.db, &c.who, Some(&c.case.id), "case_updated", &detail)?]).await?;
    let now = view(c, cases::find(&c.db, &c.who, &c.case.reference).await?).await?;
    match committed {
        Committed::Stored => reply::json(200, &now),
        Committed::Stale => Err(ApiError::conflict(&now)),
    }
}

/// The child's, family's and referrer's details: opened only for roles that
/// may read them, and every opening is audited.
pub async fn read_personal_details(c: &CaseCtx<'_>) -> Result<Response, ApiError> {
    let opened = c.opener(SealedRead::PersonalDetails).await?.open(sealing::PERSONAL_DATA.at(&c.case.id), &c.stored.personal_data).await?;
    let details: PersonalDetails = serde_json::from_str(&opened).map_err(|e| ApiError::Internal(e.into()))?;
    reply::json(200, &details)
}
