//! A partnership's own rules and settings: its playbook, calendar, agencies
//! and contacts, and the versioned changes to them.

use chrono::NaiveDate;
use domain::calendar::Calendar;
use domain::playbook::Playbook;
use serde::Deserialize;
use worker::D1Database;

use domain::api::Agency;
use domain::rapid_review::AgencyKind;

use crate::db::Query;
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
        .row::<PartnershipRules>()
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


#[derive(Deserialize)]
struct AgencyRow {
    id: String,
    name: String,
    kind: AgencyKind,
    safeguarding_partner: f64,
}

impl AgencyRow {
    fn agency(self) -> Agency {
        Agency { id: self.id, name: self.name, kind: self.kind, safeguarding_partner: self.safeguarding_partner != 0.0 }
    }
}

/// The partnership's agencies, safeguarding partners first, then by name.
pub async fn agencies(db: &D1Database, partnership_id: &str) -> Result<Vec<Agency>, ApiError> {
    Ok(db
        .prepare("SELECT id, name, kind, safeguarding_partner FROM agencies WHERE partnership_id = ?1 ORDER BY safeguarding_partner DESC, name")
        .bind(&[partnership_id.into()])?
        .rows::<AgencyRow>()
        .await?
        .into_iter()
        .map(AgencyRow::agency)
        .collect())
}

/// One agency by id, when it is the partnership's.
pub async fn agency(db: &D1Database, partnership_id: &str, agency_id: &str) -> Result<Option<Agency>, ApiError> {
    Ok(db
        .prepare("SELECT id, name, kind, safeguarding_partner FROM agencies WHERE id = ?1 AND partnership_id = ?2")
        .bind(&[agency_id.into(), partnership_id.into()])?
        .row::<AgencyRow>()
        .await?
        .map(AgencyRow::agency))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_nonzero_flag_makes_an_agency_a_safeguarding_partner() {
        let agency = |flag: f64| AgencyRow { id: "a".into(), name: "Police".into(), kind: AgencyKind::Police, safeguarding_partner: flag }.agency();
        assert!(agency(1.0).safeguarding_partner);
        assert!(!agency(0.0).safeguarding_partner);
    }
}
