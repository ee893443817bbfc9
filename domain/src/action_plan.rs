//! Recommendations and the SMART actions that carry them out: Specific (what
//! is done), Measurable (how we will know), Achievable by an owner agency,
//! Relevant to a recommendation, Time-bound (a due date). Progress and
//! evidence of impact are tracked until every action is complete.

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::field_error::FieldErrors;
use crate::form_input::{required, text};

pub const TEXT_MAX: usize = 2000;
pub const EVIDENCE_MAX: usize = 5000;
/// Kirklees: actions should be achievable within 12 weeks of publication, otherwise escalated.
pub const KIRKLEES_WEEKS: i64 = 12;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    Open,
    InProgress,
    Complete,
    Escalated,
}

impl ActionStatus {
    pub const ALL: [ActionStatus; 4] = [ActionStatus::Open, ActionStatus::InProgress, ActionStatus::Complete, ActionStatus::Escalated];

    pub fn as_str(self) -> &'static str {
        match self {
            ActionStatus::Open => "open",
            ActionStatus::InProgress => "in_progress",
            ActionStatus::Complete => "complete",
            ActionStatus::Escalated => "escalated",
        }
    }

    pub fn parse(raw: &str) -> Option<ActionStatus> {
        ActionStatus::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    pub fn label(self) -> &'static str {
        match self {
            ActionStatus::Open => "Not started",
            ActionStatus::InProgress => "In progress",
            ActionStatus::Complete => "Complete",
            ActionStatus::Escalated => "Escalated",
        }
    }
}

/// An action not complete by its due date is overdue, escalated or not.
pub fn is_overdue(status: ActionStatus, due_on: NaiveDate, today: NaiveDate) -> bool {
    status != ActionStatus::Complete && due_on < today
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RecommendationInput {
    pub text: Option<String>,
    /// A learning theme from the partnership's list, for thematic analysis.
    pub theme: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recommendation {
    pub text: String,
    pub theme: Option<String>,
}

impl RecommendationInput {
    pub fn parse(&self) -> Result<Recommendation, FieldErrors> {
        let mut e = FieldErrors::default();
        let text = required(&mut e, "text", &self.text, "Write the recommendation", TEXT_MAX);
        let theme = text_theme(&self.theme, &mut e);
        match text {
            Some(text) if e.is_empty() => Ok(Recommendation { text, theme }),
            _ => Err(e),
        }
    }
}

fn text_theme(raw: &Option<String>, e: &mut FieldErrors) -> Option<String> {
    let theme = text(raw)?;
    if crate::case::THEMES.iter().any(|(key, _)| *key == theme) {
        Some(theme)
    } else {
        e.push("theme", "Choose a theme from the list");
        None
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ActionInput {
    pub description: Option<String>,
    /// How the partnership will know the action worked: the evidence of impact sought.
    pub measure: Option<String>,
    pub owner_agency_id: Option<String>,
    pub due_on: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAction {
    pub description: String,
    pub measure: String,
    pub owner_agency_id: String,
    pub due_on: NaiveDate,
    pub warnings: Vec<String>,
}

impl ActionInput {
    /// `published_on` (or the planned date) lets the Kirklees rule warn of actions beyond 12 weeks.
    pub fn parse(&self, today: NaiveDate, twelve_week_rule_from: Option<NaiveDate>) -> Result<NewAction, FieldErrors> {
        let mut e = FieldErrors::default();
        let description = required(&mut e, "description", &self.description, "Say what will be done", TEXT_MAX);
        if description.as_ref().is_some_and(|d| d.chars().count() < 10) {
            e.push("description", "Say specifically what will be done, in a sentence");
        }
        let measure = required(&mut e, "measure", &self.measure, "Say how you will know the action has made a difference", TEXT_MAX);
        let owner_agency_id = required(&mut e, "owner_agency_id", &self.owner_agency_id, "Choose the agency that owns the action", 100);
        let due_on = match crate::date_input::parse_iso_date(self.due_on.as_deref().unwrap_or("")) {
            Ok(d) if d < today => {
                e.push("due_on", "The due date must be today or later");
                None
            }
            Ok(d) if d > today + Duration::days(3 * 366) => {
                e.push("due_on", "The due date must be within 3 years");
                None
            }
            Ok(d) => Some(d),
            Err(p) => {
                e.push("due_on", p.message("due date"));
                None
            }
        };
        let mut warnings = Vec::new();
        if let (Some(due), Some(from)) = (due_on, twelve_week_rule_from) {
            if due > from + Duration::weeks(KIRKLEES_WEEKS) {
                warnings.push(format!(
                    "Due more than {KIRKLEES_WEEKS} weeks after publication: the guidance expects such actions to be escalated"
                ));
            }
        }
        match (description, measure, owner_agency_id, due_on) {
            (Some(description), Some(measure), Some(owner_agency_id), Some(due_on)) if e.is_empty() => {
                Ok(NewAction { description, measure, owner_agency_id, due_on, warnings })
            }
            _ => Err(e),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ActionUpdateInput {
    pub version: Option<u32>,
    pub status: Option<String>,
    pub evidence: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionUpdate {
    pub version: u32,
    pub status: ActionStatus,
    pub evidence: Option<String>,
}

impl ActionUpdateInput {
    /// A complete action must say what shows it is complete; a complete
    /// action can be reopened (evidence found wanting) but keeps its evidence.
    pub fn parse(&self) -> Result<ActionUpdate, FieldErrors> {
        let mut e = FieldErrors::default();
        if self.version.is_none() {
            e.push("version", "Send the version of the action you are changing");
        }
        let status = match text(&self.status) {
            None => {
                e.push("status", "Choose the action's status");
                None
            }
            Some(raw) => ActionStatus::parse(&raw).or_else(|| {
                e.push("status", "Choose one of: open, in_progress, complete, escalated");
                None
            }),
        };
        let evidence = text(&self.evidence);
        if evidence.as_ref().is_some_and(|v| v.chars().count() > EVIDENCE_MAX) {
            e.push("evidence", format!("The evidence must be {EVIDENCE_MAX} characters or fewer"));
        }
        if status == Some(ActionStatus::Complete) && evidence.is_none() {
            e.push("evidence", "Give the evidence that the action is complete and made a difference");
        }
        match (self.version, status) {
            (Some(version), Some(status)) if e.is_empty() => Ok(ActionUpdate { version, status, evidence }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: NaiveDate = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();

    fn action() -> ActionInput {
        ActionInput {
            description: Some("Audit 20 strategy discussions for health attendance".into()),
            measure: Some("Health attends 90% of strategy discussions".into()),
            owner_agency_id: Some("health".into()),
            due_on: Some("2027-03-01".into()),
        }
    }

    #[test]
    fn an_action_is_smart_or_it_is_refused() {
        assert!(action().parse(TODAY, None).is_ok());
        let e = ActionInput::default().parse(TODAY, None).unwrap_err();
        for f in ["description", "measure", "owner_agency_id", "due_on"] {
            assert!(e.for_field(f).is_some(), "{f}");
        }
        let vague = ActionInput { description: Some("Do better".into()), due_on: Some("2026-11-01".into()), ..action() };
        let e = vague.parse(TODAY, None).unwrap_err();
        assert!(e.for_field("description").is_some());
        assert!(e.for_field("due_on").is_some());
    }

    #[test]
    fn twelve_weeks_after_publication_is_flagged() {
        let published = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        assert_eq!(action().parse(TODAY, Some(published)).unwrap().warnings.len(), 1);
        assert!(action().parse(TODAY, Some(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap())).unwrap().warnings.is_empty());
    }

    #[test]
    fn completion_needs_evidence() {
        let done = ActionUpdateInput { version: Some(2), status: Some("complete".into()), evidence: None };
        assert!(done.parse().unwrap_err().for_field("evidence").is_some());
        let ok = ActionUpdateInput { evidence: Some("Audit report, January".into()), ..done }.parse().unwrap();
        assert_eq!(ok.status, ActionStatus::Complete);
        assert!(ActionUpdateInput { version: Some(1), status: Some("finished".into()), evidence: None }.parse().is_err());
    }

    #[test]
    fn overdue_means_past_due_and_not_complete() {
        let yesterday = TODAY - Duration::days(1);
        assert!(is_overdue(ActionStatus::Escalated, yesterday, TODAY));
        assert!(!is_overdue(ActionStatus::Complete, yesterday, TODAY));
        assert!(!is_overdue(ActionStatus::Open, TODAY, TODAY));
    }

    #[test]
    fn recommendation_themes_come_from_the_list() {
        assert!(RecommendationInput { text: Some("Improve".into()), theme: Some("made_up".into()) }.parse().is_err());
        assert!(RecommendationInput { text: Some("Improve".into()), theme: Some("neglect".into()) }.parse().is_ok());
    }
}
