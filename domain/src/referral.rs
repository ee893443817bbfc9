//! The Serious Incident Notification (referral) an agency sends when an
//! incident may meet the threshold. Raw input from the form or the API is
//! parsed here into a [`Referral`], or into field errors a person can act on.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::date_input::parse_iso_date;
use crate::field_error::FieldErrors;

pub const SUMMARY_MIN_CHARS: usize = 10;
pub const SUMMARY_MAX_CHARS: usize = 10_000;
pub const AGENCY_MAX_CHARS: usize = 120;

/// A referral exactly as submitted: every field optional and untrusted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReferralInput {
    pub referrer_agency: Option<String>,
    pub incident_date: Option<String>,
    pub aware_on: Option<String>,
    pub summary: Option<String>,
}

/// A referral that has passed every rule: the only kind that is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Referral {
    pub referrer_agency: String,
    pub incident_date: NaiveDate,
    /// The date the referrer's agency became aware: the statutory clocks start here.
    pub aware_on: NaiveDate,
    pub summary: String,
}

/// Field names as the API and the form use them.
pub mod fields {
    pub const REFERRER_AGENCY: &str = "referrer_agency";
    pub const INCIDENT_DATE: &str = "incident_date";
    pub const AWARE_ON: &str = "aware_on";
    pub const SUMMARY: &str = "summary";
}

impl ReferralInput {
    /// Reads a referral from a JSON body, naming any field that is not text
    /// (serde's own messages name a line and column, not a field).
    pub fn from_json(value: &serde_json::Value) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let Some(object) = value.as_object() else {
            errors.push("body", "The referral must be a JSON object");
            return Err(errors);
        };
        let mut text = |field: &str| match object.get(field) {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::String(s)) => Some(s.clone()),
            Some(_) => {
                errors.push(field, "Must be text");
                None
            }
        };
        let input = ReferralInput {
            referrer_agency: text(fields::REFERRER_AGENCY),
            incident_date: text(fields::INCIDENT_DATE),
            aware_on: text(fields::AWARE_ON),
            summary: text(fields::SUMMARY),
        };
        errors.into_result(|| input)
    }

    /// Parses the input as of `today` (dates in the future are refused).
    pub fn parse(&self, today: NaiveDate) -> Result<Referral, FieldErrors> {
        let mut errors = FieldErrors::default();

        let agency = self.referrer_agency.as_deref().unwrap_or("").trim().to_string();
        if agency.is_empty() {
            errors.push(fields::REFERRER_AGENCY, "Enter the name of your agency");
        } else if agency.chars().count() > AGENCY_MAX_CHARS {
            errors.push(fields::REFERRER_AGENCY, format!("Agency name must be {AGENCY_MAX_CHARS} characters or fewer"));
        }

        let incident_date = past_date(&mut errors, fields::INCIDENT_DATE, "date of the incident", &self.incident_date, today);
        let aware_on = past_date(&mut errors, fields::AWARE_ON, "date your agency became aware", &self.aware_on, today);
        if let (Some(incident), Some(aware)) = (incident_date, aware_on) {
            if aware < incident {
                errors.push(fields::AWARE_ON, "The date your agency became aware must be the same as or after the date of the incident");
            }
        }

        let summary = self.summary.as_deref().unwrap_or("").trim().to_string();
        let summary_chars = summary.chars().count();
        if summary.is_empty() {
            errors.push(fields::SUMMARY, "Enter what happened");
        } else if summary_chars < SUMMARY_MIN_CHARS {
            errors.push(fields::SUMMARY, format!("Describe what happened in at least {SUMMARY_MIN_CHARS} characters"));
        } else if summary_chars > SUMMARY_MAX_CHARS {
            errors.push(fields::SUMMARY, format!("What happened must be {SUMMARY_MAX_CHARS} characters or fewer"));
        }

        match (incident_date, aware_on) {
            (Some(incident_date), Some(aware_on)) if errors.is_empty() => {
                Ok(Referral { referrer_agency: agency, incident_date, aware_on, summary })
            }
            _ => Err(errors),
        }
    }
}

fn past_date(
    errors: &mut FieldErrors,
    field: &str,
    label: &str,
    raw: &Option<String>,
    today: NaiveDate,
) -> Option<NaiveDate> {
    match parse_iso_date(raw.as_deref().unwrap_or("")) {
        Ok(date) if date > today => {
            errors.push(field, format!("The {label} must be today or in the past"));
            None
        }
        Ok(date) => Some(date),
        Err(problem) => {
            errors.push(field, problem.message(label));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
    }

    fn valid() -> ReferralInput {
        ReferralInput {
            referrer_agency: Some("Kingston Hospital".into()),
            incident_date: Some("2026-11-20".into()),
            aware_on: Some("2026-11-21".into()),
            summary: Some("Infant admitted with unexplained head injury.".into()),
        }
    }

    #[test]
    fn a_complete_referral_parses() {
        let referral = valid().parse(today()).unwrap();
        assert_eq!(referral.referrer_agency, "Kingston Hospital");
        assert_eq!(referral.aware_on, NaiveDate::from_ymd_opt(2026, 11, 21).unwrap());
    }

    #[test]
    fn an_empty_referral_names_every_field() {
        let errors = ReferralInput::default().parse(today()).unwrap_err();
        let named: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(named, vec!["referrer_agency", "incident_date", "aware_on", "summary"]);
    }

    #[test]
    fn future_dates_and_awareness_before_the_incident_are_refused() {
        let mut input = valid();
        input.incident_date = Some("2026-11-25".into());
        let errors = input.parse(today()).unwrap_err();
        assert_eq!(errors.for_field("incident_date"), Some("The date of the incident must be today or in the past"));

        let mut input = valid();
        input.aware_on = Some("2026-11-19".into());
        let errors = input.parse(today()).unwrap_err();
        assert!(errors.for_field("aware_on").unwrap().contains("after the date of the incident"));
        assert_eq!(errors.0.len(), 1);
    }

    #[test]
    fn summary_length_is_bounded() {
        let mut input = valid();
        input.summary = Some("short".into());
        assert!(input.parse(today()).unwrap_err().for_field("summary").is_some());
        input.summary = Some("x".repeat(SUMMARY_MAX_CHARS + 1));
        assert!(input.parse(today()).unwrap_err().for_field("summary").is_some());
    }

    #[test]
    fn json_of_the_wrong_shape_names_the_field() {
        let errors = ReferralInput::from_json(&serde_json::json!({"summary": 5, "aware_on": "2026-11-21"})).unwrap_err();
        assert_eq!(errors.for_field("summary"), Some("Must be text"));
        assert_eq!(errors.0.len(), 1);
        assert!(ReferralInput::from_json(&serde_json::json!([1])).unwrap_err().for_field("body").is_some());
        let input = ReferralInput::from_json(&serde_json::json!({"summary": "abc", "extra": 1})).unwrap();
        assert_eq!(input.summary.as_deref(), Some("abc"));
    }

    #[test]
    fn input_tolerates_missing_keys_but_not_wrong_dates() {
        let input: ReferralInput = serde_json::from_str(r#"{"incident_date":"20/11/2026"}"#).unwrap();
        let errors = input.parse(today()).unwrap_err();
        assert!(errors.for_field("incident_date").unwrap().contains("YYYY-MM-DD"));
    }
}
