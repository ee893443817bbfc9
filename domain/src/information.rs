//! Information requests to agencies for a rapid review, and the chronology
//! entries agencies return (merged into one multi-agency chronology).

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use crate::field_error::FieldErrors;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    Chronology,
    InformationGatheringTool,
    AgencyInvolvementSummary,
    Imr,
    FactualSummary,
}

impl RequestKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RequestKind::Chronology => "chronology",
            RequestKind::InformationGatheringTool => "information_gathering_tool",
            RequestKind::AgencyInvolvementSummary => "agency_involvement_summary",
            RequestKind::Imr => "imr",
            RequestKind::FactualSummary => "factual_summary",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RequestKind::Chronology => "Chronology",
            RequestKind::InformationGatheringTool => "Information gathering tool",
            RequestKind::AgencyInvolvementSummary => "Agency involvement summary",
            RequestKind::Imr => "Individual management review",
            RequestKind::FactualSummary => "Factual summary",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RequestInput {
    pub agency_id: Option<String>,
    pub kind: Option<RequestKind>,
    /// Defaults to the playbook's timescale for returns.
    pub due_on: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRequest {
    pub agency_id: String,
    pub kind: RequestKind,
    pub due_on: Option<NaiveDate>,
}

impl RequestInput {
    pub fn parse(&self, today: NaiveDate) -> Result<NewRequest, FieldErrors> {
        let mut e = FieldErrors::default();
        let agency_id = self.agency_id.as_deref().unwrap_or("").trim().to_string();
        if agency_id.is_empty() {
            e.push("agency_id", "Choose the agency to ask");
        }
        if self.kind.is_none() {
            e.push("kind", "Choose what the agency is asked for");
        }
        let due_on = match self.due_on.as_deref().filter(|d| !d.trim().is_empty()) {
            None => None,
            Some(raw) => match crate::date_input::parse_iso_date(raw) {
                Ok(d) if d < today => {
                    e.push("due_on", "The due date must be today or later");
                    None
                }
                Ok(d) => Some(d),
                Err(p) => {
                    e.push("due_on", p.message("due date"));
                    None
                }
            },
        };
        match self.kind {
            Some(kind) if e.is_empty() => Ok(NewRequest { agency_id, kind, due_on }),
            _ => Err(e),
        }
    }
}

pub const MAX_ENTRIES: usize = 500;
pub const ENTRY_MAX_CHARS: usize = 5000;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EntryInput {
    pub occurred_on: Option<String>,
    pub occurred_time: Option<String>,
    pub entry: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReturnInput {
    pub entries: Vec<EntryInput>,
}

/// One line of an agency's chronology: personal data, sealed before storage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChronologyEntry {
    pub occurred_on: NaiveDate,
    pub occurred_time: Option<NaiveTime>,
    pub entry: String,
}

impl ReturnInput {
    pub fn parse(&self, today: NaiveDate) -> Result<Vec<ChronologyEntry>, FieldErrors> {
        let mut e = FieldErrors::default();
        if self.entries.is_empty() {
            e.push("entries", "Add at least one chronology entry");
        } else if self.entries.len() > MAX_ENTRIES {
            e.push("entries", format!("Send at most {MAX_ENTRIES} entries at a time"));
        }
        let mut out = Vec::new();
        for (i, raw) in self.entries.iter().enumerate().take(MAX_ENTRIES) {
            let at = |f: &str| format!("entries[{i}].{f}");
            let on = match crate::date_input::parse_iso_date(raw.occurred_on.as_deref().unwrap_or("")) {
                Ok(d) if d > today => {
                    e.push(&at("occurred_on"), "The date must be today or in the past");
                    None
                }
                Ok(d) => Some(d),
                Err(p) => {
                    e.push(&at("occurred_on"), p.message("date"));
                    None
                }
            };
            let time = match raw.occurred_time.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                None => None,
                Some(t) => match NaiveTime::parse_from_str(t, "%H:%M") {
                    Ok(t) => Some(t),
                    Err(_) => {
                        e.push(&at("occurred_time"), "Give the time as HH:MM on the 24-hour clock");
                        None
                    }
                },
            };
            let entry = raw.entry.as_deref().unwrap_or("").trim().to_string();
            if entry.is_empty() {
                e.push(&at("entry"), "Say what happened");
            } else if entry.chars().count() > ENTRY_MAX_CHARS {
                e.push(&at("entry"), format!("An entry must be {ENTRY_MAX_CHARS} characters or fewer"));
            }
            if let Some(on) = on {
                out.push(ChronologyEntry { occurred_on: on, occurred_time: time, entry });
            }
        }
        e.into_result(|| out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
    }

    #[test]
    fn requests_and_returns_name_their_problems() {
        let ok = RequestInput { agency_id: Some("a".into()), kind: Some(RequestKind::Chronology), due_on: None }.parse(today()).unwrap();
        assert_eq!(ok.kind.as_str(), "chronology");
        let e = RequestInput { due_on: Some("2026-11-01".into()), ..Default::default() }.parse(today()).unwrap_err();
        let named: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(named, vec!["agency_id", "kind", "due_on"]);

        let entries = ReturnInput { entries: vec![EntryInput { occurred_on: Some("2026-10-01".into()), occurred_time: Some("09:30".into()), entry: Some("GP appointment missed".into()) }] }
            .parse(today())
            .unwrap();
        assert_eq!(entries[0].occurred_time, NaiveTime::from_hms_opt(9, 30, 0));
        let e = ReturnInput { entries: vec![EntryInput { occurred_on: Some("2027-01-01".into()), occurred_time: Some("9.30am".into()), entry: None }] }.parse(today()).unwrap_err();
        let named: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(named, vec!["entries[0].occurred_on", "entries[0].occurred_time", "entries[0].entry"]);
        assert!(ReturnInput::default().parse(today()).is_err());
    }
}
