//! The partnership's own configuration, as `GET /partnership` answers it and
//! every settings change answers with the settings as they now are.

use serde::{Deserialize, Serialize};

use crate::playbook::Playbook;
use crate::rapid_review::AgencyKind;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnershipSettings {
    pub code: String,
    pub name: String,
    pub playbook_id: String,
    /// The partnership edited its own copy of the preset.
    pub custom_playbook: bool,
    /// The playbook in force: the custom copy, else the preset.
    pub playbook: Playbook,
    /// The ids of the presets a partnership may switch to.
    pub presets: Vec<String>,
    /// ISO dates the partnership's offices are closed (beyond bank holidays).
    pub closure_days: Vec<String>,
    pub bank_holidays: BankHolidayYears,
    pub version: u32,
    pub agencies: Vec<Agency>,
    /// Only for those who manage the settings.
    pub contacts: Option<Vec<Contact>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agency {
    pub id: String,
    pub name: String,
    pub kind: AgencyKind,
    pub safeguarding_partner: bool,
}

/// Who the product tells what: a named address for a purpose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub id: String,
    pub purpose: crate::settings::ContactPurpose,
    pub name: String,
    pub email: String,
    pub agency_id: Option<String>,
}

/// Which years' bank holidays are gov.uk's (official) and from which year
/// they are projected by rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankHolidayYears {
    pub official_from: i32,
    pub official_to: i32,
    pub projected_from: i32,
    /// When a newer gov.uk file was loaded, if one was.
    pub loaded_at: Option<String>,
}
