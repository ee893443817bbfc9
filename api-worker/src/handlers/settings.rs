//! The partnership's own configuration: agencies, contacts, closure days and
//! playbook. Anyone in the partnership may read the agencies and the playbook;
//! only the partnership team changes them, and every change is audited.

use domain::access::Capability;
use domain::api::{Agency, BankHolidayYears, Contact, PartnershipSettings};
use domain::playbook::Playbook;
use domain::settings::{AgencyInput, ClosureDaysInput, ContactInput, PlaybookChange, PlaybookChangeInput};
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::{D1Database, Env, Request, Response};

use crate::http::error::ApiError;
use crate::handlers::cases::random_uuid;
use crate::auth::session::Principal;
use crate::handlers::timeline::{recompute_partnership, rules};
use crate::db::audit;
use crate::http::body;
use crate::platform::clock;
use crate::http::reply;

#[derive(Deserialize)]
struct PartnershipRow {
    code: String,
    name: String,
    playbook_id: String,
    playbook: Option<String>,
    closure_days: String,
    bank_holidays_loaded_at: Option<String>,
    version: f64,
}

#[derive(Deserialize)]
struct AgencyRow {
    id: String,
    name: String,
    kind: domain::rapid_review::AgencyKind,
    safeguarding_partner: f64,
}

pub async fn read(env: &Env, who: &Principal) -> Result<Response, ApiError> {
    who.require(Capability::ListCases)?;
    let db = env.d1("DB")?;
    let row = db
        .prepare("SELECT code, name, playbook_id, playbook, closure_days, bank_holidays_loaded_at, version FROM partnerships WHERE id = ?1")
        .bind(&[who.partnership_id.as_str().into()])?
        .first::<PartnershipRow>(None)
        .await?
        .ok_or(ApiError::NotFound)?;
    let rules = rules(&db, &who.partnership_id).await?;
    let (official_from, official_to) = rules.calendar.official_years();
    let effective = rules.playbook;
    let agencies: Vec<Agency> = db
        .prepare("SELECT id, name, kind, safeguarding_partner FROM agencies WHERE partnership_id = ?1 ORDER BY safeguarding_partner DESC, name")
        .bind(&[who.partnership_id.as_str().into()])?
        .all()
        .await?
        .results::<AgencyRow>()?
        .into_iter()
        .map(|a| Agency { id: a.id, name: a.name, kind: a.kind, safeguarding_partner: a.safeguarding_partner != 0.0 })
        .collect();
    let contacts: Option<Vec<Contact>> = if who.grants.may(Capability::ManageSettings) {
        Some(
            db.prepare("SELECT id, purpose, name, email, agency_id FROM contacts WHERE partnership_id = ?1 ORDER BY purpose, name")
                .bind(&[who.partnership_id.as_str().into()])?
                .all()
                .await?
                .results()?,
        )
    } else {
        None
    };
    let closure_days: Vec<String> = serde_json::from_str(&row.closure_days).unwrap_or_default();
    reply::json(
        200,
        &PartnershipSettings {
            code: row.code,
            name: row.name,
            playbook_id: row.playbook_id,
            custom_playbook: row.playbook.is_some(),
            playbook: effective,
            presets: Playbook::PRESETS.iter().map(|p| p.to_string()).collect(),
            closure_days,
            // Which years' bank holidays are gov.uk's and from when they are projected by rule.
            bank_holidays: BankHolidayYears { official_from, official_to, projected_from: official_to + 1, loaded_at: row.bank_holidays_loaded_at },
            version: row.version as u32,
            agencies,
            contacts,
        },
    )
}

pub async fn add_agency(req: &mut Request, env: &Env, who: &Principal) -> Result<Response, ApiError> {
    who.require(Capability::ManageSettings)?;
    let json = body::json(req).await?;
    let agency = domain::field_error::from_json::<AgencyInput>(&json, "an agency")?.parse()?;
    let db = env.d1("DB")?;
    let exists = db
        .prepare("SELECT id FROM agencies WHERE partnership_id = ?1 AND name = ?2")
        .bind(&[who.partnership_id.as_str().into(), agency.name.as_str().into()])?
        .first::<serde_json::Value>(None)
        .await?;
    if exists.is_some() {
        return Err(ApiError::invalid("name", "The partnership already has an agency with this name"));
    }
    let id = random_uuid();
    db.batch(vec![
        db.prepare("INSERT INTO agencies (id, partnership_id, name, kind, safeguarding_partner) VALUES (?1, ?2, ?3, ?4, ?5)").bind(&[
            id.as_str().into(),
            who.partnership_id.as_str().into(),
            agency.name.as_str().into(),
            agency.kind.as_str().into(),
            (if agency.safeguarding_partner { "1" } else { "0" }).into(),
        ])?,
        audit::entry(&db, who, None, "agency_added", &id)?,
    ])
    .await?;
    reply::json(201, &Agency { id, name: agency.name, kind: agency.kind, safeguarding_partner: agency.safeguarding_partner })
}

pub async fn add_contact(req: &mut Request, env: &Env, who: &Principal) -> Result<Response, ApiError> {
    who.require(Capability::ManageSettings)?;
    let json = body::json(req).await?;
    let contact = domain::field_error::from_json::<ContactInput>(&json, "a contact")?.parse()?;
    let db = env.d1("DB")?;
    if let Some(agency_id) = &contact.agency_id {
        let known = db
            .prepare("SELECT id FROM agencies WHERE id = ?1 AND partnership_id = ?2")
            .bind(&[agency_id.as_str().into(), who.partnership_id.as_str().into()])?
            .first::<serde_json::Value>(None)
            .await?;
        if known.is_none() {
            return Err(ApiError::invalid("agency_id", "There is no such agency in this partnership"));
        }
    }
    let id = random_uuid();
    db.batch(vec![
        db.prepare("INSERT INTO contacts (id, partnership_id, agency_id, purpose, name, email) VALUES (?1, ?2, ?3, ?4, ?5, ?6)").bind(&[
            id.as_str().into(),
            who.partnership_id.as_str().into(),
            contact.agency_id.as_deref().map_or(JsValue::NULL, JsValue::from),
            contact.purpose.as_str().into(),
            contact.name.as_str().into(),
            contact.email.as_str().into(),
        ])?,
        audit::entry(&db, who, None, "contact_added", &id)?,
    ])
    .await?;
    reply::json(201, &Contact { id, purpose: contact.purpose, name: contact.name, email: contact.email, agency_id: contact.agency_id })
}

/// One versioned change to the partnership row, audited only if it happened.
async fn versioned_update(db: &D1Database, who: &Principal, set: &str, value: JsValue, version: u32, action: &str) -> Result<bool, ApiError> {
    let results = db
        .batch(vec![
            db.prepare(format!("UPDATE partnerships SET {set}, version = version + 1 WHERE id = ?2 AND version = ?3"))
                .bind(&[value, who.partnership_id.as_str().into(), version.to_string().into()])?,
            db.prepare(
                "INSERT INTO audit_log (at, user_id, partnership_id, case_id, action, detail) SELECT ?1, ?2, ?3, NULL, ?4, '' WHERE changes() = 1",
            )
            .bind(&[clock::now_rfc3339().into(), who.user_id.as_str().into(), who.partnership_id.as_str().into(), action.into()])?,
        ])
        .await?;
    Ok(results.first().and_then(|r| r.meta().ok().flatten()).and_then(|m| m.changes).unwrap_or(0) == 1)
}

pub async fn set_closure_days(req: &mut Request, env: &Env, who: &Principal) -> Result<Response, ApiError> {
    who.require(Capability::ManageSettings)?;
    let json = body::json(req).await?;
    let (days, version) = domain::field_error::from_json::<ClosureDaysInput>(&json, "closure days")?.parse()?;
    let db = env.d1("DB")?;
    let days: Vec<String> = days.iter().map(|d| d.to_string()).collect();
    let value = serde_json::to_string(&days).unwrap_or_else(|_| "[]".into());
    if !versioned_update(&db, who, "closure_days = ?1", value.into(), version, "closure_days_changed").await? {
        return Err(ApiError::Conflict { current: serde_json::json!({ "message": "The settings changed: reload them" }) });
    }
    recompute_partnership(&db, who, "closure days changed").await?;
    read(env, who).await
}

/// A newer gov.uk bank-holidays.json: its years become official for this
/// partnership, and every case's open steps are counted again.
pub async fn load_bank_holidays(req: &mut Request, env: &Env, who: &Principal) -> Result<Response, ApiError> {
    who.require(Capability::ManageSettings)?;
    let json = body::json(req).await?;
    let input: domain::settings::BankHolidaysInput = domain::field_error::from_json(&json, "a bank holidays file")?;
    let (file, version) = input.parse(domain::calendar::Calendar::england_and_wales())?;
    let db = env.d1("DB")?;
    let results = db
        .batch(vec![
            db.prepare("UPDATE partnerships SET bank_holidays = ?1, bank_holidays_loaded_at = ?2, version = version + 1 WHERE id = ?3 AND version = ?4")
                .bind(&[file.json.as_str().into(), clock::now_rfc3339().into(), who.partnership_id.as_str().into(), version.to_string().into()])?,
            db.prepare(
                "INSERT INTO audit_log (at, user_id, partnership_id, case_id, action, detail) \
                 SELECT ?1, ?2, ?3, NULL, 'bank_holidays_loaded', ?4 WHERE changes() = 1",
            )
            .bind(&[
                clock::now_rfc3339().into(),
                who.user_id.as_str().into(),
                who.partnership_id.as_str().into(),
                format!("official {} to {}", file.official_years.0, file.official_years.1).into(),
            ])?,
        ])
        .await?;
    if results.first().and_then(|r| r.meta().ok().flatten()).and_then(|m| m.changes).unwrap_or(0) != 1 {
        return Err(ApiError::Conflict { current: serde_json::json!({ "message": "The settings changed: reload them" }) });
    }
    recompute_partnership(&db, who, "bank holidays loaded").await?;
    read(env, who).await
}

/// Switch to a preset, or keep the partnership's own edited copy.
pub async fn set_playbook(req: &mut Request, env: &Env, who: &Principal) -> Result<Response, ApiError> {
    who.require(Capability::ManageSettings)?;
    let json = body::json(req).await?;
    let (change, version) = domain::field_error::from_json::<PlaybookChangeInput>(&json, "a playbook change")?.parse()?;
    let db = env.d1("DB")?;
    let changed = match change {
        PlaybookChange::Preset(preset) => {
            versioned_update(&db, who, "playbook_id = ?1, playbook = NULL", preset.as_str().into(), version, "playbook_changed").await?
        }
        PlaybookChange::Custom(playbook) => {
            let text = serde_json::to_string(&playbook).unwrap_or_default();
            versioned_update(&db, who, "playbook = ?1", text.into(), version, "playbook_changed").await?
        }
    };
    if !changed {
        return Err(ApiError::Conflict { current: serde_json::json!({ "message": "The settings changed: reload them" }) });
    }
    recompute_partnership(&db, who, "playbook changed").await?;
    read(env, who).await
}
