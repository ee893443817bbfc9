//! Cases in D1: the referral that opens a case, and the list of cases.
//!
//! A new case takes the next reference of its partnership and year
//! (`KRSCP-2026-0007`) in the same D1 batch as the insert: a batch is one
//! transaction, so references are unique and gap-free and a failure leaves
//! nothing half-written.

use crate::api_error::ApiError;
use crate::{body, clock, reply};
use chrono::Datelike;
use domain::referral::{Referral, ReferralInput};
use domain::case::{CaseList, CaseSummary, ReferralReceipt as Receipt};
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::{D1Database, Env, Request, Response};

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = crypto, js_name = randomUUID)]
    fn random_uuid() -> String;
}

#[derive(Debug, Deserialize)]
struct Partnership {
    id: String,
    code: String,
}

const RECEIPT_COLUMNS: &str = "id, reference, stage, received_at";

pub async fn submit_referral(req: &mut Request, env: &Env) -> Result<Response, ApiError> {
    let idempotency_key = body::idempotency_key(req)?;
    let json = body::json(req).await?;
    let referral = ReferralInput::from_json(&json)?.parse(clock::today_in_uk())?;

    let db = env.d1("DB")?;
    let partnership = default_partnership(env, &db).await?;
    if let Some(key) = &idempotency_key {
        if let Some(receipt) = receipt_for_key(&db, &partnership, key).await? {
            return reply::json(201, &receipt);
        }
    }
    match insert_case(&db, &partnership, &referral, idempotency_key.as_deref()).await {
        Ok(receipt) => reply::json(201, &receipt),
        // Two retries racing: the unique index let one in; answer the other with its receipt.
        Err(error) => match &idempotency_key {
            Some(key) => match receipt_for_key(&db, &partnership, key).await? {
                Some(receipt) => reply::json(201, &receipt),
                None => Err(error),
            },
            None => Err(error),
        },
    }
}

pub async fn list_cases(env: &Env) -> Result<Response, ApiError> {
    let db = env.d1("DB")?;
    let partnership = default_partnership(env, &db).await?;
    let cases: Vec<CaseSummary> = db
        .prepare(
            "SELECT reference, stage, referrer_agency, incident_date, aware_on, received_at \
             FROM cases WHERE partnership_id = ?1 ORDER BY received_at DESC, reference DESC LIMIT 500",
        )
        .bind(&[partnership.id.as_str().into()])?
        .all()
        .await?
        .results()?;
    reply::json(200, &CaseList { cases })
}

/// Until sign-in lands, every request acts for the partnership the deployment names.
async fn default_partnership(env: &Env, db: &D1Database) -> Result<Partnership, ApiError> {
    let code = env
        .var("DEFAULT_PARTNERSHIP")
        .map(|v| v.to_string())
        .map_err(|_| ApiError::NotConfigured("DEFAULT_PARTNERSHIP is not set"))?;
    db.prepare("SELECT id, code FROM partnerships WHERE code = ?1")
        .bind(&[code.as_str().into()])?
        .first::<Partnership>(None)
        .await?
        .ok_or(ApiError::NotConfigured("the partnership named by DEFAULT_PARTNERSHIP does not exist"))
}

async fn receipt_for_key(db: &D1Database, partnership: &Partnership, key: &str) -> Result<Option<Receipt>, ApiError> {
    Ok(db
        .prepare(format!("SELECT {RECEIPT_COLUMNS} FROM cases WHERE partnership_id = ?1 AND idempotency_key = ?2"))
        .bind(&[partnership.id.as_str().into(), key.into()])?
        .first::<Receipt>(None)
        .await?)
}

async fn insert_case(
    db: &D1Database,
    partnership: &Partnership,
    referral: &Referral,
    idempotency_key: Option<&str>,
) -> Result<Receipt, ApiError> {
    let now = clock::now();
    // Bound as text: D1 binds JS numbers as REAL, which would print as 2026.0.
    let year = clock::today_in_uk().year().to_string();
    let id = random_uuid();
    let bump_counter = db
        .prepare(
            "INSERT INTO reference_counters (partnership_id, year, last) VALUES (?1, ?2, 1) \
             ON CONFLICT (partnership_id, year) DO UPDATE SET last = last + 1",
        )
        .bind(&[partnership.id.as_str().into(), year.as_str().into()])?;
    let insert = db
        .prepare(
            "INSERT INTO cases (id, partnership_id, reference, stage, referrer_agency, incident_date, aware_on, \
             summary, idempotency_key, received_at) \
             SELECT ?1, ?2, ?3 || '-' || ?4 || '-' || printf('%04d', last), 'referral_received', ?5, ?6, ?7, ?8, ?9, ?10 \
             FROM reference_counters WHERE partnership_id = ?2 AND year = ?4",
        )
        .bind(&[
            id.as_str().into(),
            partnership.id.as_str().into(),
            partnership.code.as_str().into(),
            year.as_str().into(),
            referral.referrer_agency.as_str().into(),
            referral.incident_date.to_string().into(),
            referral.aware_on.to_string().into(),
            referral.summary.as_str().into(),
            idempotency_key.map_or(JsValue::NULL, JsValue::from),
            now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true).into(),
        ])?;
    let read_back = db
        .prepare(format!("SELECT {RECEIPT_COLUMNS} FROM cases WHERE id = ?1"))
        .bind(&[id.as_str().into()])?;
    let results = db.batch(vec![bump_counter, insert, read_back]).await?;
    results
        .get(2)
        .map(|r| r.results::<Receipt>())
        .transpose()?
        .and_then(|mut rows| rows.pop())
        .ok_or_else(|| ApiError::Internal(worker::Error::RustError("case was not stored".into())))
}
