//! A case as the API shows it to lists and to the people working on it, and
//! the changes the partnership team can make to its record. Shared by the
//! worker (which writes these) and the app (which reads them).

use serde::{Deserialize, Serialize};

use crate::field_error::FieldErrors;
use crate::rapid_review::ReviewOption;
use crate::threshold::ThresholdOutcome;
use crate::timeline::Stage;

/// What the referrer is told when their referral is stored: enough to follow it up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralReceipt {
    pub id: String,
    /// `KRSCP-2026-0007`: partnership code, year received, number within the year.
    pub reference: String,
    pub stage: Stage,
    pub received_at: String,
}

/// One row of the case list and the case matrix. It never carries a child's
/// or family's personal data: the review's pseudonym stands in for names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseSummary {
    pub reference: String,
    pub stage: Stage,
    pub referrer_agency: String,
    pub incident_date: String,
    pub aware_on: String,
    pub received_at: String,
    pub children_count: u8,
    pub pseudonym: Option<String>,
    pub outcome: Option<CaseOutcome>,
    /// The national notification reference.
    pub national_reference: Option<String>,
    /// For health: the StEIS serious-incident number.
    pub steis_reference: Option<String>,
    pub themes: Vec<String>,
    pub tags: Vec<String>,
    pub converted_to_review: bool,
    pub version: u32,
    /// The earliest open deadline: what is needed next, by when, and how it stands today.
    pub next_deadline: Option<NextDeadline>,
    /// Open deadlines already past due.
    pub overdue: u32,
    pub open_actions: u32,
    pub lead_officer: Option<String>,
}

/// What was decided about a case, as the case matrix shows it: the threshold
/// decision, then the rapid review's outcome once recorded. On the wire, the
/// decision's own name (`notify`, `lcspr`, …); the two sets share none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum CaseOutcome {
    Review(ReviewOption),
    Threshold(ThresholdOutcome),
}

impl CaseOutcome {
    pub fn parse(raw: &str) -> Option<CaseOutcome> {
        serde_json::from_value(serde_json::Value::String(raw.into())).ok()
    }

    pub fn as_str(self) -> &'static str {
        match self {
            CaseOutcome::Review(option) => option.as_str(),
            CaseOutcome::Threshold(outcome) => outcome.as_str(),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CaseOutcome::Review(option) => option.label(),
            CaseOutcome::Threshold(outcome) => outcome.label(),
        }
    }

    /// The partners decided on a local child safeguarding practice review.
    pub fn is_lcspr(self) -> bool {
        self == CaseOutcome::Review(ReviewOption::Lcspr)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NextDeadline {
    pub name: String,
    pub due: String,
    /// On track, due soon or overdue.
    pub status: crate::deadline::DeadlineStatus,
}

/// One page of the case list, and how many cases match in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseList {
    pub cases: Vec<CaseSummary>,
    #[serde(default)]
    pub total: u64,
    #[serde(default)]
    pub page: u32,
    #[serde(default)]
    pub per_page: u32,
}

/// The case matrix as CSV for the annual report: the same columns people see,
/// never personal data. Cells that a spreadsheet would run as a formula are
/// prefixed with an apostrophe (CSV injection).
pub fn to_csv(cases: &[CaseSummary]) -> String {
    fn cell(value: &str) -> String {
        let guarded = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{value}") } else { value.to_string() };
        if guarded.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", guarded.replace('"', "\"\""))
        } else {
            guarded
        }
    }
    let mut out = String::from(
        "reference,pseudonym,stage,outcome,referred_by,incident_date,aware_on,received_at,children,national_reference,steis_reference,themes,tags,converted_to_review,next_deadline,next_due,next_status,overdue_deadlines,open_actions,lead_officer\r\n",
    );
    for c in cases {
        let row = [
            c.reference.as_str(),
            c.pseudonym.as_deref().unwrap_or(""),
            c.stage.as_str(),
            c.outcome.map_or("", CaseOutcome::as_str),
            c.referrer_agency.as_str(),
            c.incident_date.as_str(),
            c.aware_on.as_str(),
            c.received_at.as_str(),
            &c.children_count.to_string(),
            c.national_reference.as_deref().unwrap_or(""),
            c.steis_reference.as_deref().unwrap_or(""),
            &c.themes.join("; "),
            &c.tags.join("; "),
            if c.converted_to_review { "yes" } else { "no" },
            c.next_deadline.as_ref().map_or("", |n| n.name.as_str()),
            c.next_deadline.as_ref().map_or("", |n| n.due.as_str()),
            c.next_deadline.as_ref().map_or("", |n| n.status.as_str()),
            &c.overdue.to_string(),
            &c.open_actions.to_string(),
            c.lead_officer.as_deref().unwrap_or(""),
        ]
        .map(cell);
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}


/// Abuse and vulnerability themes for thematic analysis, after the NHS
/// Safeguarding Case Review Tracker. A case carries up to three.
pub const THEMES: &[(&str, &str)] = &[
    ("physical_abuse", "Physical abuse"),
    ("non_accidental_head_injury", "Non-accidental head injury"),
    ("neglect", "Neglect"),
    ("sexual_abuse", "Sexual abuse"),
    ("emotional_abuse", "Emotional abuse"),
    ("domestic_abuse", "Domestic abuse"),
    ("child_criminal_exploitation", "Child criminal exploitation"),
    ("child_sexual_exploitation", "Child sexual exploitation"),
    ("online_harm", "Online harm"),
    ("parental_mental_health", "Parental mental health"),
    ("parental_substance_misuse", "Parental substance misuse"),
    ("sudden_unexpected_death_in_infancy", "Sudden unexpected death in infancy"),
    ("suicide_or_self_harm", "Suicide or self-harm"),
    ("serious_youth_violence", "Serious youth violence"),
    ("fabricated_or_induced_illness", "Fabricated or induced illness"),
    ("disability_or_neurodiversity", "Disability or neurodiversity"),
    ("radicalisation", "Radicalisation"),
];
pub const MAX_THEMES: usize = 3;
pub const MAX_TAGS: usize = 10;

/// A change to a case's record by the partnership team. Absent fields stay as
/// they are; `version` is the version the person saw, so a change made on a
/// stale copy is refused rather than silently overwriting someone else's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CaseUpdateInput {
    pub version: Option<u32>,
    pub national_reference: Option<String>,
    pub steis_reference: Option<String>,
    pub themes: Option<Vec<String>>,
    pub tags: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseUpdate {
    pub version: u32,
    pub national_reference: Option<Option<String>>,
    pub steis_reference: Option<Option<String>>,
    pub themes: Option<Vec<String>>,
    pub tags: Option<Vec<String>>,
}

impl CaseUpdateInput {
    pub fn parse(&self) -> Result<CaseUpdate, FieldErrors> {
        let mut e = FieldErrors::default();
        if self.version.is_none() {
            e.push("version", "Send the version of the case you are changing");
        }
        let reference = |e: &mut FieldErrors, field: &str, raw: &Option<String>| {
            raw.as_ref().map(|r| {
                let r = r.trim();
                if r.chars().count() > 50 {
                    e.push(field, "Must be 50 characters or fewer");
                }
                Some(r.to_string()).filter(|r| !r.is_empty())
            })
        };
        let national_reference = reference(&mut e, "national_reference", &self.national_reference);
        let steis_reference = reference(&mut e, "steis_reference", &self.steis_reference);
        let themes = self.themes.as_ref().map(|themes| {
            let mut chosen: Vec<String> = Vec::new();
            for (i, theme) in themes.iter().enumerate() {
                if !THEMES.iter().any(|(key, _)| key == theme) {
                    e.push(&format!("themes[{i}]"), "Choose a theme from the partnership's list");
                } else if !chosen.contains(theme) {
                    chosen.push(theme.clone());
                }
            }
            if chosen.len() > MAX_THEMES {
                e.push("themes", format!("Choose up to {MAX_THEMES} themes; use tags for more"));
            }
            chosen
        });
        let tags = self.tags.as_ref().map(|tags| {
            let mut kept: Vec<String> = Vec::new();
            for (i, tag) in tags.iter().enumerate() {
                let tag = tag.trim().to_lowercase();
                if tag.is_empty() || tag.chars().count() > 40 {
                    e.push(&format!("tags[{i}]"), "A tag must be 1 to 40 characters");
                } else if !kept.contains(&tag) {
                    kept.push(tag);
                }
            }
            if kept.len() > MAX_TAGS {
                e.push("tags", format!("Add up to {MAX_TAGS} tags"));
            }
            kept
        });
        let version = self.version.unwrap_or_default();
        e.into_result(|| CaseUpdate { version, national_reference, steis_reference, themes, tags })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(agency: &str) -> CaseSummary {
        CaseSummary {
            reference: "KRSCP-2026-0001".into(),
            stage: Stage::ReferralReceived,
            referrer_agency: agency.into(),
            incident_date: "2026-11-02".into(),
            aware_on: "2026-11-03".into(),
            received_at: "2026-11-03T10:00:00.000Z".into(),
            children_count: 1,
            pseudonym: None,
            outcome: None,
            national_reference: None,
            steis_reference: None,
            themes: vec!["neglect".into(), "domestic_abuse".into()],
            tags: vec![],
            converted_to_review: false,
            version: 1,
            next_deadline: None,
            overdue: 0,
            open_actions: 0,
            lead_officer: None,
        }
    }

    #[test]
    fn csv_quotes_what_needs_quoting_and_defuses_formulas() {
        let csv = to_csv(&[summary("Smith, Jones & \"Partners\""), summary("=HYPERLINK(\"http://x\")")]);
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert!(lines[0].starts_with("reference,pseudonym,stage"));
        assert!(lines[1].contains(r#""Smith, Jones & ""Partners""""#));
        assert!(lines[1].contains("neglect; domestic_abuse"));
        assert!(lines[2].contains(r#""'=HYPERLINK(""http://x"")""#));
        assert_eq!(lines.len(), 4, "header, two rows, and the final line break");
    }

    #[test]
    fn an_update_needs_the_version_it_was_made_on() {
        let errors = CaseUpdateInput::default().parse().unwrap_err();
        assert_eq!(errors.0[0].field, "version");
    }

    #[test]
    fn themes_come_from_the_list_and_number_at_most_three() {
        let update = CaseUpdateInput {
            version: Some(3),
            themes: Some(vec!["neglect".into(), "neglect".into(), "domestic_abuse".into()]),
            tags: Some(vec![" Cross-Border ".into()]),
            national_reference: Some("  ".into()),
            ..Default::default()
        }
        .parse()
        .unwrap();
        assert_eq!(update.themes.unwrap(), vec!["neglect", "domestic_abuse"]);
        assert_eq!(update.tags.unwrap(), vec!["cross-border"]);
        assert_eq!(update.national_reference, Some(None), "a blank reference clears it");
        assert_eq!(update.steis_reference, None, "an absent field stays as it is");

        let errors = CaseUpdateInput {
            version: Some(1),
            themes: Some(vec!["neglect".into(), "sexual_abuse".into(), "online_harm".into(), "radicalisation".into(), "gangs".into()]),
            ..Default::default()
        }
        .parse()
        .unwrap_err();
        assert!(errors.for_field("themes[4]").is_some());
        assert!(errors.for_field("themes").unwrap().contains("up to 3"));
    }
}
