//! A partnership's own rules and settings: its playbook, calendar, agencies
//! and contacts, and the versioned changes to them.

use chrono::NaiveDate;
use domain::calendar::Calendar;
use domain::playbook::Playbook;
use serde::Deserialize;
use worker::D1Database;

use crate::http::error::ApiError;

/// What recomputing a case's deadlines needs: its partnership's rules.
pub struct Rules {
    pub playbook: Playbook,
    pub calendar: Calendar,
}

#[derive(Deserialize)]
struct PartnershipRules {
    playbook_id: String,
    playbook: Option<String>,
    closure_days: String,
    bank_holidays: Option<String>,
}

pub async fn rules(db: &D1Database, partnership_id: &str) -> Result<Rules, ApiError> {
    let row = db
        .prepare("SELECT playbook_id, playbook, closure_days, bank_holidays FROM partnerships WHERE id = ?1")
        .bind(&[partnership_id.into()])?
        .first::<PartnershipRules>(None)
        .await?
        .ok_or(ApiError::NotFound)?;
    let broken = |what: &str| ApiError::Internal(worker::Error::RustError(format!("the partnership's {what} is not valid")));
    let playbook = match row.playbook {
        Some(json) => {
            let value: serde_json::Value = serde_json::from_str(&json).map_err(|_| broken("playbook"))?;
            Playbook::from_json(&value).map_err(|_| broken("playbook"))?
        }
        None => Playbook::preset(&row.playbook_id).ok_or_else(|| broken("playbook"))?,
    };
    let closures: Vec<NaiveDate> = serde_json::from_str(&row.closure_days).map_err(|_| broken("closure days"))?;
    let shipped = Calendar::england_and_wales();
    // A newer gov.uk file loaded in settings (validated when loaded) adds official years.
    let calendar = match row.bank_holidays.as_deref().map(|json| shipped.with_newer_gov_uk_json(json)) {
        Some(Ok(newer)) => newer,
        Some(Err(_)) => return Err(broken("bank holidays")),
        None => shipped.clone(),
    };
    Ok(Rules { playbook, calendar: calendar.with_closure_days(closures) })
}


/// An agency of the partnership: its name, and what the quorum and sign-off rules need.
#[derive(Deserialize)]
pub struct AgencyRow {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub safeguarding_partner: f64,
}

pub async fn agencies(db: &D1Database, partnership_id: &str) -> Result<Vec<AgencyRow>, ApiError> {
    Ok(db
        .prepare("SELECT id, name, kind, safeguarding_partner FROM agencies WHERE partnership_id = ?1 ORDER BY name")
        .bind(&[partnership_id.into()])?
        .all()
        .await?
        .results()?)
}

/// One agency by id, when it is the partnership's.
pub async fn agency(db: &D1Database, partnership_id: &str, agency_id: &str) -> Result<Option<AgencyRow>, ApiError> {
    Ok(db
        .prepare("SELECT id, name, kind, safeguarding_partner FROM agencies WHERE id = ?1 AND partnership_id = ?2")
        .bind(&[agency_id.into(), partnership_id.into()])?
        .first::<AgencyRow>(None)
        .await?)
}
