//! The partnership's configuration as settings shows and changes it: the
//! partnership row, its agencies and contacts, and the versioned changes to
//! its closure days, playbook and bank holidays (each for
//! [`crate::db::version::commit`], so a stale change stores nothing). The
//! daily gov.uk refresh writes the bank holidays too, unversioned: it only
//! ever adds official years.

use chrono::NaiveDate;
use domain::api::{Agency, BankHolidayYears, Contact, PartnershipSettings};
use domain::playbook::Playbook;
use domain::settings::{NewAgency, NewContact};
use serde::Deserialize;
use worker::{D1Database, D1PreparedStatement};

use crate::db::partnership::Rules;
use crate::db::{flag, text};
use crate::http::error::ApiError;
use crate::db::Query;

/// The partnership's own row, as settings reads it.
#[derive(Deserialize)]
pub struct PartnershipRow {
    code: String,
    name: String,
    playbook_id: String,
    playbook: Option<String>,
    closure_days: String,
    bank_holidays_loaded_at: Option<String>,
    version: f64,
}

impl PartnershipRow {
    /// What settings answers: the row with the rules in force (the effective
    /// playbook, which bank-holiday years are official), the agencies and,
    /// for those who manage them, the contacts.
    pub fn settings(self, rules: Rules, agencies: Vec<Agency>, contacts: Option<Vec<Contact>>) -> PartnershipSettings {
        let (official_from, official_to) = rules.calendar.official_years();
        PartnershipSettings {
            code: self.code,
            name: self.name,
            playbook_id: self.playbook_id,
            custom_playbook: self.playbook.is_some(),
            playbook: rules.playbook,
            presets: Playbook::PRESETS.iter().map(|p| p.to_string()).collect(),
            closure_days: serde_json::from_str(&self.closure_days).unwrap_or_default(),
            // Which years' bank holidays are gov.uk's and from when they are projected by rule.
            bank_holidays: BankHolidayYears { official_from, official_to, projected_from: official_to + 1, loaded_at: self.bank_holidays_loaded_at },
            version: self.version as u32,
            agencies,
            contacts,
        }
    }
}

pub async fn partnership(db: &D1Database, partnership_id: &str) -> Result<PartnershipRow, ApiError> {
    db.prepare("SELECT code, name, playbook_id, playbook, closure_days, bank_holidays_loaded_at, version FROM partnerships WHERE id = ?1")
        .bind(&[partnership_id.into()])?
        .row::<PartnershipRow>()
        .await?
        .ok_or(ApiError::NotFound)
}

pub async fn contacts(db: &D1Database, partnership_id: &str) -> Result<Vec<Contact>, ApiError> {
    db
        .prepare("SELECT id, purpose, name, email, agency_id FROM contacts WHERE partnership_id = ?1 ORDER BY purpose, name")
        .bind(&[partnership_id.into()])?
        .rows()
        .await
}

/// Agency names are unique within a partnership: people pick agencies by name.
pub async fn has_agency_named(db: &D1Database, partnership_id: &str, name: &str) -> Result<bool, ApiError> {
    Ok(db
        .prepare("SELECT id FROM agencies WHERE partnership_id = ?1 AND name = ?2")
        .bind(&[partnership_id.into(), name.into()])?
        .row::<serde_json::Value>()
        .await?
        .is_some())
}

pub fn insert_agency(db: &D1Database, id: &str, partnership_id: &str, agency: &NewAgency) -> Result<D1PreparedStatement, ApiError> {
    Ok(db
        .prepare("INSERT INTO agencies (id, partnership_id, name, kind, safeguarding_partner) VALUES (?1, ?2, ?3, ?4, ?5)")
        .bind(&[id.into(), partnership_id.into(), agency.name.as_str().into(), agency.kind.as_str().into(), flag(agency.safeguarding_partner)])?)
}

pub fn insert_contact(db: &D1Database, id: &str, partnership_id: &str, contact: &NewContact) -> Result<D1PreparedStatement, ApiError> {
    Ok(db
        .prepare("INSERT INTO contacts (id, partnership_id, agency_id, purpose, name, email) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
        .bind(&[
            id.into(),
            partnership_id.into(),
            text(contact.agency_id.as_deref()),
            contact.purpose.as_str().into(),
            contact.name.as_str().into(),
            contact.email.as_str().into(),
        ])?)
}

/// Stored as a JSON list of ISO dates, which [`crate::db::partnership::rules`] reads back.
pub fn set_closure_days(db: &D1Database, partnership_id: &str, days: &[NaiveDate], version: u32) -> Result<D1PreparedStatement, ApiError> {
    let days: Vec<String> = days.iter().map(|d| d.to_string()).collect();
    let value = serde_json::to_string(&days).unwrap_or_else(|_| "[]".into());
    Ok(db
        .prepare("UPDATE partnerships SET closure_days = ?1, version = version + 1 WHERE id = ?2 AND version = ?3")
        .bind(&[value.into(), partnership_id.into(), version.to_string().into()])?)
}

/// Switching to a preset drops the partnership's own edited copy.
pub fn set_preset_playbook(db: &D1Database, partnership_id: &str, preset: &str, version: u32) -> Result<D1PreparedStatement, ApiError> {
    Ok(db
        .prepare("UPDATE partnerships SET playbook_id = ?1, playbook = NULL, version = version + 1 WHERE id = ?2 AND version = ?3")
        .bind(&[preset.into(), partnership_id.into(), version.to_string().into()])?)
}

/// The partnership's own edited copy, kept beside the preset it started from.
pub fn set_own_playbook(db: &D1Database, partnership_id: &str, playbook: &Playbook, version: u32) -> Result<D1PreparedStatement, ApiError> {
    let value = serde_json::to_string(playbook).unwrap_or_default();
    Ok(db
        .prepare("UPDATE partnerships SET playbook = ?1, version = version + 1 WHERE id = ?2 AND version = ?3")
        .bind(&[value.into(), partnership_id.into(), version.to_string().into()])?)
}

/// A gov.uk file the partnership team loaded (validated by the domain first).
pub fn load_bank_holidays(db: &D1Database, partnership_id: &str, json: &str, loaded_at: &str, version: u32) -> Result<D1PreparedStatement, ApiError> {
    Ok(db
        .prepare("UPDATE partnerships SET bank_holidays = ?1, bank_holidays_loaded_at = ?2, version = version + 1 WHERE id = ?3 AND version = ?4")
        .bind(&[json.into(), loaded_at.into(), partnership_id.into(), version.to_string().into()])?)
}

/// A partnership's loaded gov.uk file, if it has one.
#[derive(Deserialize)]
pub struct StoredBankHolidays {
    pub id: String,
    pub bank_holidays: Option<String>,
}

/// Every partnership's file, for the daily refresh.
pub async fn bank_holidays_everywhere(db: &D1Database) -> Result<Vec<StoredBankHolidays>, ApiError> {
    db.prepare("SELECT id, bank_holidays FROM partnerships").rows().await
}

/// The daily refresh's newer file. Unversioned: it neither races a person's
/// change nor makes their open settings form stale.
pub fn refresh_bank_holidays(db: &D1Database, partnership_id: &str, json: &str, loaded_at: &str) -> Result<D1PreparedStatement, ApiError> {
    Ok(db
        .prepare("UPDATE partnerships SET bank_holidays = ?1, bank_holidays_loaded_at = ?2 WHERE id = ?3")
        .bind(&[json.into(), loaded_at.into(), partnership_id.into()])?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::calendar::Calendar;

    fn row(playbook: Option<&str>, closure_days: &str) -> PartnershipRow {
        PartnershipRow {
            code: "KRSCP".into(),
            name: "Kent and Medway".into(),
            playbook_id: "national".into(),
            playbook: playbook.map(String::from),
            closure_days: closure_days.into(),
            bank_holidays_loaded_at: None,
            version: 7.0,
        }
    }

    fn rules() -> Rules {
        Rules { playbook: Playbook::preset("national").unwrap(), calendar: Calendar::england_and_wales().clone() }
    }

    #[test]
    fn settings_project_from_the_year_after_the_last_official_one_and_read_the_stored_closure_days() {
        let (_, official_to) = Calendar::england_and_wales().official_years();
        let settings = row(None, r#"["2026-12-29","2026-12-30"]"#).settings(rules(), Vec::new(), None);
        assert_eq!(settings.bank_holidays.official_to, official_to);
        assert_eq!(settings.bank_holidays.projected_from, official_to + 1);
        assert_eq!(settings.closure_days, vec!["2026-12-29".to_string(), "2026-12-30".to_string()]);
        assert_eq!(settings.version, 7);
        assert!(!settings.custom_playbook);
        assert!(settings.presets.contains(&"national".to_string()));
    }

    #[test]
    fn an_edited_copy_is_custom_and_unreadable_closure_days_read_as_none() {
        let settings = row(Some("{}"), "not json").settings(rules(), Vec::new(), Some(Vec::new()));
        assert!(settings.custom_playbook);
        assert!(settings.closure_days.is_empty());
        assert_eq!(settings.contacts, Some(Vec::new()));
    }
}
