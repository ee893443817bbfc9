//! The partnership's own configuration: agencies, contacts, closure days and
//! playbook. Anyone in the partnership may read the agencies and the playbook;
//! only the partnership team changes them, and every change is audited.

use domain::FieldErrors;
use domain::access::Capability;
use domain::playbook::Playbook;
use domain::settings::{AgencyInput, ClosureDaysInput, ContactInput};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;
use worker::{D1Database, Env, Request, Response};

use crate::api_error::ApiError;
use crate::case_store::random_uuid;
use crate::identity::Principal;
use crate::timeline_store::{recompute_partnership, rules};
use crate::{audit, body, clock, reply};

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

#[derive(Deserialize, Serialize)]
struct AgencyRow {
    id: String,
    name: String,
    kind: String,
    #[serde(deserialize_with = "flag")]
    safeguarding_partner: bool,
}

#[derive(Deserialize, Serialize)]
struct ContactRow {
    id: String,
    purpose: String,
    name: String,
    email: String,
    agency_id: Option<String>,
}

fn flag<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(f64::deserialize(d)? != 0.0)
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
    let agencies: Vec<AgencyRow> = db
        .prepare("SELECT id, name, kind, safeguarding_partner FROM agencies WHERE partnership_id = ?1 ORDER BY safeguarding_partner DESC, name")
        .bind(&[who.partnership_id.as_str().into()])?
        .all()
        .await?
        .results()?;
    let contacts: Option<Vec<ContactRow>> = if who.grants.may(Capability::ManageSettings) {
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
        &serde_json::json!({
            "code": row.code,
            "name": row.name,
            "playbook_id": row.playbook_id,
            "custom_playbook": row.playbook.is_some(),
            "playbook": effective,
            "presets": Playbook::PRESETS,
            "closure_days": closure_days,
            // Which years' bank holidays are gov.uk's and from when they are projected by rule.
            "bank_holidays": domain::api::BankHolidayYears {
                official_from,
                official_to,
                projected_from: official_to + 1,
                loaded_at: row.bank_holidays_loaded_at,
            },
            "version": row.version as u32,
            "agencies": agencies,
            "contacts": contacts,
        }),
    )
}

fn duplicate(field: &str, message: &str) -> ApiError {
    let mut errors = FieldErrors::default();
    errors.push(field, message);
    ApiError::Validation(errors)
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
        return Err(duplicate("name", "The partnership already has an agency with this name"));
    }
    let id = random_uuid();
    let kind = serde_json::to_value(agency.kind).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default();
    db.batch(vec![
        db.prepare("INSERT INTO agencies (id, partnership_id, name, kind, safeguarding_partner) VALUES (?1, ?2, ?3, ?4, ?5)").bind(&[
            id.as_str().into(),
            who.partnership_id.as_str().into(),
            agency.name.as_str().into(),
            kind.as_str().into(),
            (if agency.safeguarding_partner { "1" } else { "0" }).into(),
        ])?,
        audit::entry(&db, who, None, "agency_added", &id)?,
    ])
    .await?;
    reply::json(201, &AgencyRow { id, name: agency.name, kind, safeguarding_partner: agency.safeguarding_partner })
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
            return Err(duplicate("agency_id", "There is no such agency in this partnership"));
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
    reply::json(201, &ContactRow { id, purpose: contact.purpose, name: contact.name, email: contact.email, agency_id: contact.agency_id })
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

#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct PlaybookChange {
    version: Option<u32>,
    preset: Option<String>,
    playbook: Option<serde_json::Value>,
}

/// Switch to a preset, or keep the partnership's own edited copy.
pub async fn set_playbook(req: &mut Request, env: &Env, who: &Principal) -> Result<Response, ApiError> {
    who.require(Capability::ManageSettings)?;
    let json = body::json(req).await?;
    let change: PlaybookChange = domain::field_error::from_json(&json, "a playbook change")?;
    let Some(version) = change.version else {
        return Err(duplicate("version", "Send the version of the settings you are changing"));
    };
    let db = env.d1("DB")?;
    let changed = match (change.preset, change.playbook) {
        (Some(preset), None) => {
            if Playbook::preset(&preset).is_none() {
                return Err(duplicate("preset", "Choose a preset: national, krscp, llr, kent or kirklees"));
            }
            versioned_update(&db, who, "playbook_id = ?1, playbook = NULL", preset.as_str().into(), version, "playbook_changed").await?
        }
        (None, Some(custom)) => {
            let playbook = Playbook::from_json(&custom).map_err(|e| {
                ApiError::Validation(FieldErrors(e.0.into_iter().map(|f| domain::FieldError::new(format!("playbook.{}", f.field), f.message)).collect()))
            })?;
            let text = serde_json::to_string(&playbook).unwrap_or_default();
            versioned_update(&db, who, "playbook = ?1", text.into(), version, "playbook_changed").await?
        }
        _ => return Err(duplicate("preset", "Send either a preset or an edited playbook")),
    };
    if !changed {
        return Err(ApiError::Conflict { current: serde_json::json!({ "message": "The settings changed: reload them" }) });
    }
    recompute_partnership(&db, who, "playbook changed").await?;
    read(env, who).await
}
