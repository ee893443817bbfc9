//! The partnership's own configuration: agencies, contacts, closure days and
//! playbook. Anyone in the partnership may read the agencies and the playbook;
//! only the partnership team changes them, and every change is audited.

use domain::access::Capability;
use domain::api::{Agency, Contact};
use domain::settings::{AgencyInput, BankHolidaysInput, ClosureDaysInput, ContactInput, PlaybookChange, PlaybookChangeInput};
use worker::{D1PreparedStatement, Request, Response};

use crate::db::version::{self, Committed};
use crate::db::{audit, partnership, settings, timeline};
use crate::http::context::Ctx;
use crate::http::error::ApiError;
use crate::http::{body, reply};
use crate::platform::clock;
use crate::platform::webcrypto::random_uuid;

pub async fn read(ctx: &Ctx<'_>) -> Result<Response, ApiError> {
    ctx.require(Capability::ListCases)?;
    let (db, who) = (&ctx.db, &ctx.who);
    let row = settings::partnership(db, &who.partnership_id).await?;
    let rules = partnership::rules(db, &who.partnership_id).await?;
    let agencies = partnership::agencies(db, &who.partnership_id).await?;
    let contacts = if who.grants.may(Capability::ManageSettings) { Some(settings::contacts(db, &who.partnership_id).await?) } else { None };
    reply::json(200, &row.settings(rules, agencies, contacts))
}

pub async fn add_agency(req: &mut Request, ctx: &Ctx<'_>) -> Result<Response, ApiError> {
    ctx.require(Capability::ManageSettings)?;
    let json = body::json(req).await?;
    let agency = domain::field_error::from_json::<AgencyInput>(&json, "an agency")?.parse()?;
    let (db, who) = (&ctx.db, &ctx.who);
    if settings::has_agency_named(db, &who.partnership_id, &agency.name).await? {
        return Err(ApiError::invalid("name", "The partnership already has an agency with this name"));
    }
    let id = random_uuid();
    db.batch(vec![settings::insert_agency(db, &id, &who.partnership_id, &agency)?, audit::entry(db, who, None, "agency_added", &id)?]).await?;
    reply::json(201, &Agency { id, name: agency.name, kind: agency.kind, safeguarding_partner: agency.safeguarding_partner })
}

pub async fn add_contact(req: &mut Request, ctx: &Ctx<'_>) -> Result<Response, ApiError> {
    ctx.require(Capability::ManageSettings)?;
    let json = body::json(req).await?;
    let contact = domain::field_error::from_json::<ContactInput>(&json, "a contact")?.parse()?;
    let (db, who) = (&ctx.db, &ctx.who);
    if let Some(agency_id) = &contact.agency_id
        && partnership::agency(db, &who.partnership_id, agency_id).await?.is_none()
    {
        return Err(ApiError::invalid("agency_id", "There is no such agency in this partnership"));
    }
    let id = random_uuid();
    db.batch(vec![settings::insert_contact(db, &id, &who.partnership_id, &contact)?, audit::entry(db, who, None, "contact_added", &id)?]).await?;
    reply::json(201, &Contact { id, purpose: contact.purpose, name: contact.name, email: contact.email, agency_id: contact.agency_id })
}

/// One versioned change to the partnership row, audited only if it happened;
/// then every case's open steps are counted again under the new rules, and
/// the settings are answered as they now are.
async fn change(ctx: &Ctx<'_>, write: D1PreparedStatement, action: &str, detail: &str, why: &str) -> Result<Response, ApiError> {
    let audit = audit::entry(&ctx.db, &ctx.who, None, action, detail)?;
    if version::commit(&ctx.db, write, vec![audit]).await? == Committed::Stale {
        return Err(ApiError::Conflict { current: serde_json::json!({ "message": "The settings changed: reload them" }) });
    }
    timeline::recompute_partnership(&ctx.db, &ctx.who, why).await?;
    read(ctx).await
}

pub async fn set_closure_days(req: &mut Request, ctx: &Ctx<'_>) -> Result<Response, ApiError> {
    ctx.require(Capability::ManageSettings)?;
    let json = body::json(req).await?;
    let (days, version) = domain::field_error::from_json::<ClosureDaysInput>(&json, "closure days")?.parse()?;
    let write = settings::set_closure_days(&ctx.db, &ctx.who.partnership_id, &days, version)?;
    change(ctx, write, "closure_days_changed", "", "closure days changed").await
}

/// A newer gov.uk bank-holidays.json: its years become official for this
/// partnership, and every case's open steps are counted again.
pub async fn load_bank_holidays(req: &mut Request, ctx: &Ctx<'_>) -> Result<Response, ApiError> {
    ctx.require(Capability::ManageSettings)?;
    let json = body::json(req).await?;
    let input: BankHolidaysInput = domain::field_error::from_json(&json, "a bank holidays file")?;
    let (file, version) = input.parse(domain::calendar::Calendar::england_and_wales())?;
    let write = settings::load_bank_holidays(&ctx.db, &ctx.who.partnership_id, &file.json, &clock::now_rfc3339(), version)?;
    let detail = format!("official {} to {}", file.official_years.0, file.official_years.1);
    change(ctx, write, "bank_holidays_loaded", &detail, "bank holidays loaded").await
}

/// Switch to a preset, or keep the partnership's own edited copy.
pub async fn set_playbook(req: &mut Request, ctx: &Ctx<'_>) -> Result<Response, ApiError> {
    ctx.require(Capability::ManageSettings)?;
    let json = body::json(req).await?;
    let (change_to, version) = domain::field_error::from_json::<PlaybookChangeInput>(&json, "a playbook change")?.parse()?;
    let write = match change_to {
        PlaybookChange::Preset(preset) => settings::set_preset_playbook(&ctx.db, &ctx.who.partnership_id, &preset, version)?,
        PlaybookChange::Custom(playbook) => settings::set_own_playbook(&ctx.db, &ctx.who.partnership_id, &playbook, version)?,
    };
    change(ctx, write, "playbook_changed", "", "playbook changed").await
}
