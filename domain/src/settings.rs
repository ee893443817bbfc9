//! What the partnership team configures: agencies, contacts, closure days and
//! the playbook. Inputs parsed here; stored by the worker.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::field_error::FieldErrors;
use crate::rapid_review::AgencyKind;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AgencyInput {
    pub name: Option<String>,
    pub kind: Option<AgencyKind>,
    pub safeguarding_partner: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewAgency {
    pub name: String,
    pub kind: AgencyKind,
    pub safeguarding_partner: bool,
}

impl AgencyInput {
    pub fn parse(&self) -> Result<NewAgency, FieldErrors> {
        let mut e = FieldErrors::default();
        let name = self.name.as_deref().unwrap_or("").trim().to_string();
        if name.is_empty() {
            e.push("name", "Enter the agency's name");
        } else if name.chars().count() > 200 {
            e.push("name", "The name must be 200 characters or fewer");
        }
        if self.kind.is_none() {
            e.push("kind", "Choose the kind of agency");
        }
        let partner = self.safeguarding_partner.unwrap_or(false);
        if partner && !matches!(self.kind, Some(AgencyKind::LocalAuthority | AgencyKind::Police | AgencyKind::Health)) {
            e.push("safeguarding_partner", "Only the local authority, police and health are safeguarding partners");
        }
        match self.kind {
            Some(kind) if e.is_empty() => Ok(NewAgency { name, kind, safeguarding_partner: partner }),
            _ => Err(e),
        }
    }
}

/// What a contact of the partnership receives messages for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactPurpose {
    PartnershipTeam,
    PartnershipManager,
    StrategicLeadership,
    NationalPanel,
    Ofsted,
    Dfe,
    SecretaryOfState,
    ChildDeathReview,
    /// An agency's safeguarding lead: requests to that agency and its actions.
    AgencyLead,
}

impl ContactPurpose {
    pub const ALL: [ContactPurpose; 9] = [
        ContactPurpose::PartnershipTeam,
        ContactPurpose::PartnershipManager,
        ContactPurpose::StrategicLeadership,
        ContactPurpose::NationalPanel,
        ContactPurpose::Ofsted,
        ContactPurpose::Dfe,
        ContactPurpose::SecretaryOfState,
        ContactPurpose::ChildDeathReview,
        ContactPurpose::AgencyLead,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ContactPurpose::PartnershipTeam => "partnership_team",
            ContactPurpose::PartnershipManager => "partnership_manager",
            ContactPurpose::StrategicLeadership => "strategic_leadership",
            ContactPurpose::NationalPanel => "national_panel",
            ContactPurpose::Ofsted => "ofsted",
            ContactPurpose::Dfe => "dfe",
            ContactPurpose::SecretaryOfState => "secretary_of_state",
            ContactPurpose::ChildDeathReview => "child_death_review",
            ContactPurpose::AgencyLead => "agency_lead",
        }
    }

    pub fn parse(raw: &str) -> Option<ContactPurpose> {
        ContactPurpose::ALL.into_iter().find(|p| p.as_str() == raw)
    }

    pub fn label(self) -> &'static str {
        match self {
            ContactPurpose::PartnershipTeam => "Partnership team",
            ContactPurpose::PartnershipManager => "Partnership manager",
            ContactPurpose::StrategicLeadership => "Strategic leadership",
            ContactPurpose::NationalPanel => "National panel",
            ContactPurpose::Ofsted => "Ofsted",
            ContactPurpose::Dfe => "Department for Education",
            ContactPurpose::SecretaryOfState => "Secretary of State",
            ContactPurpose::ChildDeathReview => "Child death review",
            ContactPurpose::AgencyLead => "Agency safeguarding lead",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ContactInput {
    pub purpose: Option<String>,
    pub name: Option<String>,
    pub email: Option<String>,
    pub agency_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewContact {
    pub purpose: ContactPurpose,
    pub name: String,
    pub email: String,
    pub agency_id: Option<String>,
}

impl ContactInput {
    pub fn parse(&self) -> Result<NewContact, FieldErrors> {
        let mut e = FieldErrors::default();
        let purpose = ContactPurpose::parse(self.purpose.as_deref().unwrap_or("").trim());
        if purpose.is_none() {
            e.push("purpose", "Choose who this contact is");
        }
        let name = self.name.as_deref().unwrap_or("").trim().to_string();
        if name.is_empty() || name.chars().count() > 200 {
            e.push("name", "Enter a name of up to 200 characters");
        }
        let email = self.email.as_deref().unwrap_or("").trim().to_lowercase();
        let plausible = plausible_email(&email);
        if !plausible {
            e.push("email", "Enter an email address in the correct format, like name@example.org");
        }
        if purpose == Some(ContactPurpose::AgencyLead) && self.agency_id.as_deref().unwrap_or("").is_empty() {
            e.push("agency_id", "Choose the agency this lead belongs to");
        }
        let agency_id = self.agency_id.clone().filter(|a| !a.is_empty());
        match purpose {
            Some(purpose) if e.is_empty() => Ok(NewContact { purpose, name, email, agency_id }),
            _ => Err(e),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClosureDaysInput {
    pub version: Option<u32>,
    pub days: Vec<String>,
}

impl ClosureDaysInput {
    pub fn parse(&self) -> Result<(Vec<NaiveDate>, u32), FieldErrors> {
        let mut e = FieldErrors::default();
        if self.version.is_none() {
            e.push("version", "Send the version of the settings you are changing");
        }
        if self.days.len() > 100 {
            e.push("days", "Add at most 100 closure days");
        }
        let mut days = Vec::new();
        for (i, raw) in self.days.iter().enumerate() {
            match crate::date_input::parse_iso_date(raw) {
                Ok(d) if !days.contains(&d) => days.push(d),
                Ok(_) => {}
                Err(problem) => e.push(&format!("days[{i}]"), problem.message("closure day")),
            }
        }
        days.sort();
        match self.version {
            Some(v) if e.is_empty() => Ok((days, v)),
            _ => Err(e),
        }
    }
}

/// Switch to a preset, or keep the partnership's own edited copy.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PlaybookChangeInput {
    pub version: Option<u32>,
    pub preset: Option<String>,
    /// An edited playbook, checked field by field (`Playbook::from_json`).
    pub playbook: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PlaybookChange {
    Preset(String),
    Custom(crate::playbook::Playbook),
}

impl PlaybookChangeInput {
    pub fn parse(&self) -> Result<(PlaybookChange, u32), FieldErrors> {
        use crate::playbook::Playbook;
        let Some(version) = self.version else {
            return Err(FieldErrors::one("version", "Send the version of the settings you are changing"));
        };
        let change = match (&self.preset, &self.playbook) {
            (Some(preset), None) if Playbook::preset(preset).is_some() => PlaybookChange::Preset(preset.clone()),
            (Some(_), None) => return Err(FieldErrors::one("preset", "Choose a preset: national, krscp, llr, kent or kirklees")),
            (None, Some(custom)) => PlaybookChange::Custom(Playbook::from_json(custom).map_err(|e| {
                FieldErrors(e.0.into_iter().map(|f| crate::FieldError::new(format!("playbook.{}", f.field), f.message)).collect())
            })?),
            _ => return Err(FieldErrors::one("preset", "Send either a preset or an edited playbook")),
        };
        Ok((change, version))
    }
}

/// A newer gov.uk `bank-holidays.json` loaded by the partnership team.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BankHolidaysInput {
    pub version: Option<u32>,
    /// The file as gov.uk publishes it (its `england-and-wales` division is read).
    pub file: Option<serde_json::Value>,
}

/// A loaded file, checked against the calendar it extends: what to store,
/// and the years that are official once it is loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankHolidaysFile {
    pub json: String,
    pub official_years: (i32, i32),
}

impl BankHolidaysInput {
    pub fn parse(&self, shipped: &crate::calendar::Calendar) -> Result<(BankHolidaysFile, u32), FieldErrors> {
        let mut e = FieldErrors::default();
        if self.version.is_none() {
            e.push("version", "Send the version of the settings you are changing");
        }
        let file = match &self.file {
            None => {
                e.push("file", "Choose the bank-holidays.json file downloaded from gov.uk");
                None
            }
            Some(value) => {
                let json = value.to_string();
                if json.len() > 200_000 {
                    e.push("file", "The file is larger than gov.uk's bank-holidays.json ever is");
                    None
                } else {
                    match shipped.with_newer_gov_uk_json(&json) {
                        Ok(calendar) => Some(BankHolidaysFile { json, official_years: calendar.official_years() }),
                        Err(problem) => {
                            e.push("file", problem.to_string());
                            None
                        }
                    }
                }
            }
        };
        match (file, self.version) {
            (Some(file), Some(version)) if e.is_empty() => Ok((file, version)),
            _ => Err(e),
        }
    }
}

/// A work email address as people type it: one @, a dotted domain, no spaces.
/// Delivery is the real test; this catches slips.
pub fn plausible_email(email: &str) -> bool {
    email.len() <= 254
        && email.split_once('@').is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.') && !domain.contains('@'))
        && !email.contains(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_newer_bank_holiday_file_is_checked_before_it_is_kept() {
        let shipped = crate::calendar::Calendar::england_and_wales();
        let file = serde_json::json!({"england-and-wales": {"division": "england-and-wales", "events": [
            {"title": "New Year's Day", "date": "2029-01-01", "notes": "", "bunting": true},
            {"title": "Christmas Day", "date": "2029-12-25", "notes": "", "bunting": true}]}});
        let (loaded, version) = BankHolidaysInput { version: Some(3), file: Some(file) }.parse(shipped).unwrap();
        assert_eq!((loaded.official_years, version), ((2018, 2029), 3));
        let e = BankHolidaysInput { version: Some(3), file: Some(serde_json::json!({"scotland": {}})) }.parse(shipped).unwrap_err();
        assert_eq!(e.0[0].field, "file");
        let e = BankHolidaysInput::default().parse(shipped).unwrap_err();
        let named: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(named, vec!["version", "file"]);
    }

    #[test]
    fn agencies_and_contacts_are_checked() {
        let a = AgencyInput { name: Some("Kent Police".into()), kind: Some(AgencyKind::Police), safeguarding_partner: Some(true) }.parse().unwrap();
        assert!(a.safeguarding_partner);
        let e = AgencyInput { name: Some(" ".into()), kind: Some(AgencyKind::Education), safeguarding_partner: Some(true) }.parse().unwrap_err();
        let named: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(named, vec!["name", "safeguarding_partner"]);
        assert!(ContactInput { purpose: Some("ofsted".into()), name: Some("Ofsted".into()), email: Some("Enquiries@Ofsted.gov.uk".into()), agency_id: None }.parse().is_ok());
        let e = ContactInput { purpose: Some("agency_lead".into()), name: Some("Lead".into()), email: Some("not-an-email".into()), agency_id: None }.parse().unwrap_err();
        let named: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(named, vec!["email", "agency_id"]);
    }

    #[test]
    fn closure_days_are_dates_sorted_once() {
        let (days, v) = ClosureDaysInput { version: Some(3), days: vec!["2026-12-31".into(), "2026-12-30".into(), "2026-12-31".into()] }.parse().unwrap();
        assert_eq!(v, 3);
        assert_eq!(days.len(), 2);
        assert!(days[0] < days[1]);
        let e = ClosureDaysInput { version: None, days: vec!["31/12/2026".into()] }.parse().unwrap_err();
        let named: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(named, vec!["version", "days[0]"]);
    }
}
