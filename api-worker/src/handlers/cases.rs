//! Cases in D1: the referral that opens a case, the cases a person may see,
//! and a case's personal details for those who may read them.
//!
//! A new case takes the next reference of its partnership and year
//! (`KRSCP-2026-0007`) in the same D1 batch as the insert and its audit entry:
//! a batch is one transaction, so references are unique and gap-free and a
//! failure leaves nothing half-written.

use chrono::{Datelike, NaiveDate};
use domain::calendar::Calendar;
use domain::access::Capability;
use domain::case::{CaseList, CaseSummary, CaseUpdateInput, ReferralReceipt as Receipt, to_csv};
use domain::api::CaseView;
use domain::case_query::CaseQuery;
use domain::referral::{PersonalDetails, ReceivedVia, ReferralInput};
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::{D1Database, Env, Request, Response};

use crate::http::error::ApiError;
use crate::auth::session::Principal;
use crate::platform::sealed::Sealer;
use crate::db::audit;
use crate::http::body;
use crate::platform::clock;
use crate::http::reply;

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = crypto, js_name = randomUUID)]
    pub fn random_uuid() -> String;
}

const RECEIPT_COLUMNS: &str = "id, reference, stage, received_at";
const SUMMARY_COLUMNS: &str = "c.reference, c.stage, c.referrer_agency, c.incident_date, c.aware_on, c.received_at, \
     c.children_count, c.pseudonym, c.outcome, c.national_reference, c.steis_reference, c.themes, c.tags, \
     c.converted_to_review, c.version, \
     (SELECT json_group_array(json_array(d.due, d.name)) FROM deadlines d WHERE d.case_id = c.id AND d.done_on IS NULL AND d.not_applicable IS NULL) AS open_deadlines, \
     (SELECT count(*) FROM actions x WHERE x.case_id = c.id AND x.status <> 'complete') AS open_actions, \
     (SELECT u.name FROM users u WHERE u.id = c.lead_officer_id) AS lead_officer";

/// A case list row as D1 returns it: numbers as floats, lists as JSON text.
#[derive(Debug, Deserialize)]
struct SummaryRow {
    reference: String,
    stage: String,
    referrer_agency: String,
    incident_date: String,
    aware_on: String,
    received_at: String,
    children_count: f64,
    pseudonym: Option<String>,
    outcome: Option<String>,
    national_reference: Option<String>,
    steis_reference: Option<String>,
    themes: String,
    tags: String,
    converted_to_review: f64,
    version: f64,
    open_deadlines: Option<String>,
    open_actions: f64,
    lead_officer: Option<String>,
}

impl SummaryRow {
    /// The row with what is next and how it stands on `today`, judged by the
    /// partnership's calendar (bank holidays and its closure days), as on the case page.
    fn judged(self, today: NaiveDate, calendar: &Calendar) -> CaseSummary {
        use domain::deadline::DeadlineStatus;
        let row = self;
        let mut open: Vec<(String, String)> = row.open_deadlines.as_deref().and_then(|j| serde_json::from_str(j).ok()).unwrap_or_default();
        open.sort();
        let today_iso = today.to_string();
        let overdue = open.iter().filter(|(due, _)| due.as_str() < today_iso.as_str()).count() as u32;
        let soon = calendar.day_number(today, 2).ok().map(|d| d.to_string());
        let next_deadline = open.first().map(|(due, name)| domain::case::NextDeadline {
            name: name.clone(),
            due: due.clone(),
            status: if due.as_str() < today_iso.as_str() {
                DeadlineStatus::Overdue
            } else if soon.as_ref().is_some_and(|s| due <= s) {
                DeadlineStatus::DueSoon
            } else {
                DeadlineStatus::OnTrack
            },
        });
        CaseSummary {
            next_deadline,
            overdue,
            open_actions: row.open_actions as u32,
            lead_officer: row.lead_officer,
            reference: row.reference,
            stage: row.stage,
            referrer_agency: row.referrer_agency,
            incident_date: row.incident_date,
            aware_on: row.aware_on,
            received_at: row.received_at,
            children_count: row.children_count as u8,
            pseudonym: row.pseudonym,
            outcome: row.outcome,
            national_reference: row.national_reference,
            steis_reference: row.steis_reference,
            themes: serde_json::from_str(&row.themes).unwrap_or_default(),
            tags: serde_json::from_str(&row.tags).unwrap_or_default(),
            converted_to_review: row.converted_to_review != 0.0,
            version: row.version as u32,
        }
    }
}

pub async fn submit_referral(req: &mut Request, env: &Env, who: &Principal) -> Result<Response, ApiError> {
    who.require(Capability::SubmitReferral)?;
    let idempotency_key = body::idempotency_key(req)?;
    let json = body::json(req).await?;
    let referral = ReferralInput::from_json(&json)?.parse(clock::today_in_uk())?;
    let facts = &referral.facts;
    if facts.received_via != ReceivedVia::Form && !who.grants.may(Capability::RecordEvent) {
        return Err(ApiError::invalid("received_via", "Only the partnership team enters a referral received by email, phone or post"));
    }

    let db = env.d1("DB")?;
    if let Some(key) = &idempotency_key {
        if let Some(receipt) = receipt_for_key(&db, who, key).await? {
            return reply::json(201, &receipt);
        }
    }
    let personal = serde_json::to_string(&referral.personal).map_err(|e| ApiError::Internal(e.into()))?;
    let sealed = Sealer::from_env(env).await?.seal(&personal).await?;
    let id = random_uuid();
    let now = clock::now_rfc3339();
    // Entered on an agency's behalf: received on the day it arrived (noon, so
    // the date reads the same in UTC and in the UK).
    let received_on = facts.received_on.unwrap_or_else(clock::today_in_uk);
    let received_at = match facts.received_on {
        Some(on) => domain::uk_time::from_uk(on.and_hms_opt(12, 0, 0).unwrap_or_default()).to_rfc3339(),
        None => now.clone(),
    };
    // Bound as text: D1 binds JS numbers as REAL, which would print as 2026.0.
    let year = clock::today_in_uk().year().to_string();
    let statements = vec![
        db.prepare(
            "INSERT INTO reference_counters (partnership_id, year, last) VALUES (?1, ?2, 1) \
             ON CONFLICT (partnership_id, year) DO UPDATE SET last = last + 1",
        )
        .bind(&[who.partnership_id.as_str().into(), year.as_str().into()])?,
        db.prepare(
            "INSERT INTO cases (id, partnership_id, reference, stage, referrer_user_id, referrer_agency, incident_date, \
             aware_on, children_count, personal_data, idempotency_key, received_at, updated_at, received_via) \
             SELECT ?1, ?2, ?3 || '-' || ?4 || '-' || printf('%04d', last), 'referral_received', ?5, ?6, ?7, ?8, ?9, \
             ?10, ?11, ?12, ?13, ?14 FROM reference_counters WHERE partnership_id = ?2 AND year = ?4",
        )
        .bind(&[
            id.as_str().into(),
            who.partnership_id.as_str().into(),
            who.partnership_code.as_str().into(),
            year.as_str().into(),
            who.user_id.as_str().into(),
            facts.referrer_agency.as_str().into(),
            facts.incident_date.to_string().into(),
            facts.aware_on.to_string().into(),
            (facts.children_count as u32).to_string().into(),
            sealed.into(),
            idempotency_key.as_deref().map_or(JsValue::NULL, JsValue::from),
            received_at.as_str().into(),
            now.as_str().into(),
            facts.received_via.as_str().into(),
        ])?,
        audit::entry(&db, who, Some(&id), "referral_submitted", if facts.received_via == ReceivedVia::Form { "" } else { facts.received_via.as_str() })?,
        db.prepare(format!("SELECT {RECEIPT_COLUMNS} FROM cases WHERE id = ?1")).bind(&[id.as_str().into()])?,
    ];
    let mut statements = statements;
    let (deadlines, notify_by) =
        crate::handlers::timeline::initial_deadlines(&db, &who.partnership_id, &id, facts.aware_on, received_on).await?;
    statements.extend(deadlines);
    statements.push(new_referral_message(&db, env, req, who, &id, notify_by)?);
    match db.batch(statements).await {
        Ok(results) => {
            let receipt = results
                .get(3)
                .map(|r| r.results::<Receipt>())
                .transpose()?
                .and_then(|mut rows| rows.pop())
                .ok_or_else(|| ApiError::Internal(worker::Error::RustError("case was not stored".into())))?;
            reply::json(201, &receipt)
        }
        // Two retries racing: the unique index let one in; answer the other with its receipt.
        Err(error) => match &idempotency_key {
            Some(key) => match receipt_for_key(&db, who, key).await? {
                Some(receipt) => reply::json(201, &receipt),
                None => Err(error.into()),
            },
            None => Err(error.into()),
        },
    }
}

/// The partnership team hears of a new referral at once. The reference is
/// only known inside the batch, so the message names it by a placeholder that
/// the insert fills from the stored case (`notifier::REFERENCE`).
fn new_referral_message(
    db: &D1Database,
    env: &Env,
    req: &Request,
    who: &Principal,
    case_id: &str,
    due: Option<chrono::NaiveDate>,
) -> Result<worker::D1PreparedStatement, ApiError> {
    let facts = domain::notification::MessageFacts {
        reference: crate::messaging::notifier::REFERENCE.into(),
        partnership: who.partnership_name.clone(),
        needed: None,
        due,
        link: crate::messaging::notifier::case_link(req, crate::messaging::notifier::REFERENCE),
    };
    crate::messaging::notifier::queue(db, env, &who.partnership_id, case_id, domain::notification::Template::NewReferral, &facts, &["partnership_team"])
}

async fn receipt_for_key(db: &D1Database, who: &Principal, key: &str) -> Result<Option<Receipt>, ApiError> {
    Ok(db
        .prepare(format!("SELECT {RECEIPT_COLUMNS} FROM cases WHERE partnership_id = ?1 AND idempotency_key = ?2"))
        .bind(&[who.partnership_id.as_str().into(), key.into()])?
        .first::<Receipt>(None)
        .await?)
}

/// The SQL condition limiting `c` (cases) to what the principal may see, and
/// its parameters ready to bind. The condition itself is the domain's, shared
/// with the native storage tests.
pub(crate) struct Visible {
    pub clause: String,
    pub binds: Vec<JsValue>,
}

impl From<domain::case_scope::Condition> for Visible {
    fn from(c: domain::case_scope::Condition) -> Self {
        let binds = c.binds.into_iter().map(|b| b.map_or(JsValue::NULL, |v| JsValue::from(v.as_str()))).collect();
        Visible { clause: c.clause, binds }
    }
}

fn viewer(who: &Principal) -> domain::case_scope::Viewer<'_> {
    domain::case_scope::Viewer { partnership_id: &who.partnership_id, user_id: &who.user_id, agency_id: who.agency_id.as_deref() }
}

pub(crate) fn visible(who: &Principal) -> Visible {
    domain::case_scope::visible(viewer(who), &who.grants.scopes()).into()
}

/// The cases matching a query, within what the principal may see.
fn matching(who: &Principal, query: &CaseQuery) -> Visible {
    domain::case_scope::matching(viewer(who), &who.grants.scopes(), query, clock::today_in_uk()).into()
}

async fn query_cases(db: &D1Database, who: &Principal, query: &CaseQuery, limit: u64, offset: u64) -> Result<Vec<CaseSummary>, ApiError> {
    let Visible { clause, binds } = matching(who, query);
    let order = if query.descending { "DESC" } else { "ASC" };
    let rows: Vec<SummaryRow> = db
        .prepare(format!(
            "SELECT {SUMMARY_COLUMNS} FROM cases c WHERE {clause} ORDER BY {col} {order}, c.reference {order} LIMIT {limit} OFFSET {offset}",
            col = query.sort.column()
        ))
        .bind(&binds)?
        .all()
        .await?
        .results()?;
    let calendar = crate::handlers::timeline::rules(db, &who.partnership_id).await?.calendar;
    let today = clock::today_in_uk();
    Ok(rows.into_iter().map(|row| row.judged(today, &calendar)).collect())
}

fn case_query(req: &Request) -> Result<CaseQuery, ApiError> {
    let url = req.url()?;
    let pairs: Vec<(String, String)> = url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    Ok(CaseQuery::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))?)
}

pub async fn list_cases(req: &Request, env: &Env, who: &Principal) -> Result<Response, ApiError> {
    who.require(Capability::ListCases)?;
    let query = case_query(req)?;
    let db = env.d1("DB")?;
    let Visible { clause, binds } = matching(who, &query);
    #[derive(Deserialize)]
    struct Count {
        total: f64,
    }
    let total = db
        .prepare(format!("SELECT count(*) AS total FROM cases c WHERE {clause}"))
        .bind(&binds)?
        .first::<Count>(None)
        .await?
        .map_or(0, |c| c.total as u64);
    let cases = query_cases(&db, who, &query, query.per_page as u64, query.offset()).await?;
    reply::json(200, &CaseList { cases, total, page: query.page, per_page: query.per_page })
}

/// Every matching case as CSV, for the annual report. The matrix holds no personal data.
pub async fn export_cases(req: &Request, env: &Env, who: &Principal) -> Result<Response, ApiError> {
    who.require(Capability::ViewCaseMatrix)?;
    let query = case_query(req)?;
    let db = env.d1("DB")?;
    let cases = query_cases(&db, who, &query, 100_000, 0).await?;
    let mut response = Response::ok(to_csv(&cases))?;
    let headers = response.headers_mut();
    headers.set("Content-Type", "text/csv; charset=utf-8")?;
    headers.set("Content-Disposition", &format!("attachment; filename=\"{}-cases.csv\"", who.partnership_code.to_lowercase()))?;
    Ok(response)
}

#[derive(Debug, Deserialize)]
struct CaseRow {
    id: String,
    #[serde(flatten)]
    summary: SummaryRow,
    personal_data: String,
}

/// A case the principal may see, by reference; 404 for anything else, so
/// nobody learns which references exist in other partnerships.
async fn find_case(db: &D1Database, who: &Principal, reference: &str) -> Result<CaseRow, ApiError> {
    let Visible { clause, mut binds } = visible(who);
    binds.push(reference.into());
    db.prepare(format!(
        "SELECT c.id, {SUMMARY_COLUMNS}, c.personal_data FROM cases c WHERE {clause} AND c.reference = ?{}",
        binds.len()
    ))
    .bind(&binds)?
    .first::<CaseRow>(None)
    .await?
    .ok_or(ApiError::NotFound)
}

/// The facts of a case the timeline needs, found within the principal's scope.
#[derive(Clone)]
pub struct CaseRef {
    pub id: String,
    pub reference: String,
    pub stage: String,
    pub aware_on: chrono::NaiveDate,
    pub received_on: chrono::NaiveDate,
}

pub async fn find_case_ref(db: &D1Database, who: &Principal, reference: &str) -> Result<CaseRef, ApiError> {
    case_ref(find_case(db, who, reference).await?)
}

/// A case by its internal id, outside any person's scope: only for a caller
/// that has already established the right to act on it (an agency lead
/// completing their own agency's action).
pub async fn case_ref_by_id(db: &D1Database, case_id: &str) -> Result<CaseRef, ApiError> {
    let row = db
        .prepare(format!("SELECT c.id, {SUMMARY_COLUMNS}, c.personal_data FROM cases c WHERE c.id = ?1"))
        .bind(&[case_id.into()])?
        .first::<CaseRow>(None)
        .await?
        .ok_or(ApiError::NotFound)?;
    case_ref(row)
}

fn case_ref(case: CaseRow) -> Result<CaseRef, ApiError> {
    let received = chrono::DateTime::parse_from_rfc3339(&case.summary.received_at)
        .map(|t| domain::uk_time::uk_date(t.to_utc()))
        .map_err(|_| ApiError::Internal(worker::Error::RustError("a case's receipt time is not valid".into())))?;
    let aware_on = domain::date_input::parse_iso_date(&case.summary.aware_on)
        .map_err(|_| ApiError::Internal(worker::Error::RustError("a case's awareness date is not valid".into())))?;
    Ok(CaseRef { id: case.id, reference: case.summary.reference, stage: case.summary.stage, aware_on, received_on: received })
}

pub async fn read_case(env: &Env, who: &Principal, reference: &str) -> Result<Response, ApiError> {
    who.require(Capability::ReadCase)?;
    let db = env.d1("DB")?;
    let case = find_case(&db, who, reference).await?;
    let calendar = crate::handlers::timeline::rules(&db, &who.partnership_id).await?.calendar;
    reply::json(200, &case_view(case.summary.judged(clock::today_in_uk(), &calendar), who))
}

fn case_view(case: CaseSummary, who: &Principal) -> CaseView {
    CaseView { case, may_read_personal_details: who.grants.may(Capability::ReadPersonalData) }
}

/// Changes a case's record if nobody changed it since `version`; otherwise 409
/// with the case as it is now, so the person can see what changed and redo theirs.
pub async fn update_case(req: &mut Request, env: &Env, who: &Principal, reference: &str) -> Result<Response, ApiError> {
    who.require(Capability::ReadCase)?;
    let json = body::json(req).await?;
    let db = env.d1("DB")?;
    let case = find_case(&db, who, reference).await?;
    who.require(Capability::EditCase)?;
    let input: CaseUpdateInput = domain::field_error::from_json(&json, "a case update")?;
    let update = input.parse()?;

    let mut sets = vec!["version = version + 1".to_string(), "updated_at = ?1".to_string()];
    let mut binds: Vec<JsValue> = vec![clock::now_rfc3339().into()];
    let mut changed: Vec<&str> = Vec::new();
    let mut set = |column: &'static str, value: JsValue, sets: &mut Vec<String>| {
        binds.push(value);
        sets.push(format!("{column} = ?{}", binds.len()));
        changed.push(column);
    };
    let text = |v: &Option<String>| v.as_deref().map_or(JsValue::NULL, JsValue::from);
    let list = |v: &Vec<String>| JsValue::from(serde_json::to_string(v).unwrap_or_else(|_| "[]".into()));
    if let Some(v) = &update.national_reference {
        set("national_reference", text(v), &mut sets);
    }
    if let Some(v) = &update.steis_reference {
        set("steis_reference", text(v), &mut sets);
    }
    if let Some(v) = &update.themes {
        set("themes", list(v), &mut sets);
    }
    if let Some(v) = &update.tags {
        set("tags", list(v), &mut sets);
    }
    binds.push(case.id.as_str().into());
    let id_at = binds.len();
    binds.push(update.version.to_string().into());
    let sql = format!("UPDATE cases SET {} WHERE id = ?{id_at} AND version = ?{}", sets.join(", "), id_at + 1);
    let detail = format!("changed: {}", changed.join(", "));
    // The audit row is written only if the update happened (changes() = 1), in the same transaction.
    let audit = db
        .prepare(
            "INSERT INTO audit_log (at, user_id, partnership_id, case_id, action, detail)              SELECT ?1, ?2, ?3, ?4, 'case_updated', ?5 WHERE changes() = 1",
        )
        .bind(&[
            clock::now_rfc3339().into(),
            who.user_id.as_str().into(),
            who.partnership_id.as_str().into(),
            case.id.as_str().into(),
            detail.into(),
        ])?;
    let results = db.batch(vec![db.prepare(sql).bind(&binds)?, audit]).await?;
    let updated = results.first().and_then(|r| r.meta().ok().flatten()).and_then(|m| m.changes).unwrap_or(0);
    let calendar = crate::handlers::timeline::rules(&db, &who.partnership_id).await?.calendar;
    let now = find_case(&db, who, reference).await?.summary.judged(clock::today_in_uk(), &calendar);
    if updated == 0 {
        return Err(ApiError::conflict(&case_view(now, who)));
    }
    reply::json(200, &case_view(now, who))
}

/// The child's, family's and referrer's details: opened only for roles that
/// may read them, and every opening is audited.
pub async fn read_personal_details(env: &Env, who: &Principal, reference: &str) -> Result<Response, ApiError> {
    who.require(Capability::ReadCase)?;
    let db = env.d1("DB")?;
    let case = find_case(&db, who, reference).await?;
    who.require(Capability::ReadPersonalData)?;
    let opened = Sealer::from_env(env).await?.open(&case.personal_data).await?;
    let details: PersonalDetails = serde_json::from_str(&opened).map_err(|e| ApiError::Internal(e.into()))?;
    audit::entry(&db, who, Some(&case.id), "personal_details_read", "")?.run().await?;
    reply::json(200, &details)
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::deadline::DeadlineStatus;

    fn row(open_deadlines: Option<&str>) -> SummaryRow {
        SummaryRow {
            reference: "KRSCP-2026-0001".into(),
            stage: "referral_received".into(),
            referrer_agency: "Police".into(),
            incident_date: "2026-11-20".into(),
            aware_on: "2026-11-23".into(),
            received_at: "2026-11-23T12:00:00.000Z".into(),
            children_count: 2.0,
            pseudonym: None,
            outcome: None,
            national_reference: None,
            steis_reference: None,
            themes: r#"["neglect"]"#.into(),
            tags: "[]".into(),
            converted_to_review: 1.0,
            version: 4.0,
            open_deadlines: open_deadlines.map(String::from),
            open_actions: 2.0,
            lead_officer: None,
        }
    }

    /// Thursday 3 December 2026: working day 2 is Friday the 4th.
    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 3).unwrap()
    }

    #[test]
    fn a_row_becomes_a_summary_with_the_soonest_open_deadline_judged_today() {
        let calendar = Calendar::england_and_wales();
        let case = row(Some(r#"[["2026-12-10","Rapid review"],["2026-12-04","Notify the panel"],["2026-12-01","Papers out"]]"#)).judged(today(), &calendar);
        let next = case.next_deadline.clone().expect("a next deadline");
        assert_eq!((next.name.as_str(), next.status), ("Papers out", DeadlineStatus::Overdue));
        assert_eq!((case.overdue, case.open_actions, case.children_count, case.version), (1, 2, 2, 4));
        assert_eq!((case.themes, case.converted_to_review), (vec!["neglect".to_string()], true));
    }

    #[test]
    fn due_soon_means_within_two_working_days_and_nothing_open_means_no_next_deadline() {
        let calendar = Calendar::england_and_wales();
        let soon = row(Some(r#"[["2026-12-04","Notify the panel"]]"#)).judged(today(), &calendar);
        assert_eq!(soon.next_deadline.map(|d| d.status), Some(DeadlineStatus::DueSoon));
        let later = row(Some(r#"[["2026-12-08","Rapid review"]]"#)).judged(today(), &calendar);
        assert_eq!(later.next_deadline.map(|d| d.status), Some(DeadlineStatus::OnTrack));
        let none = row(None).judged(today(), &calendar);
        assert_eq!((none.next_deadline, none.overdue), (None, 0));
    }
}
