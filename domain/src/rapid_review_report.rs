//! The rapid review report (KRSCP appendix 2, "Rapid Review Report"): the
//! partnership team's write-up of the meeting, agreed and signed off by the
//! three safeguarding partners before submission to the national panel
//! within 15 working days of notification. The write-up is personal data
//! (it describes the child's lived experience), sealed at rest.

use serde::{Deserialize, Serialize};

use crate::field_error::FieldErrors;

pub const FIELD_MAX: usize = 10_000;

/// The template's free-text sections, in its order. The decision itself
/// (criteria, outcome, rationale, lines of enquiry) is the recorded rapid
/// review decision, not retyped here.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WriteUp {
    pub additional_information: String,
    pub summary_and_context: String,
    pub information_not_gathered: String,
    pub immediate_safeguarding: String,
    /// The child's lived experience and how their voice can be heard in the review.
    pub lived_experience: String,
    /// Race, culture, faith and ethnicity, and whether cultural consideration affected practice.
    pub race_culture_faith: String,
    /// Disability, physical or mental health, and identity.
    pub disability_and_health: String,
    pub issues_and_learning: String,
    pub good_practice: String,
    /// Relevant local or national reviews.
    pub context_and_related_reviews: String,
    pub national_review_recommended: Option<bool>,
    pub other_review: String,
    /// Learning identified by the rapid review and how it will be shared.
    pub learning_and_sharing: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WriteUpInput {
    pub version: Option<u32>,
    pub write_up: WriteUp,
}

/// A partner's sign-off of the write-up they read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SignOffInput {
    pub partner: Option<String>,
    /// The version of the write-up the partner read: a sign-off is for that text.
    pub version: Option<u32>,
}

impl SignOffInput {
    pub fn parse(&self) -> Result<(Partner, u32), FieldErrors> {
        let mut e = FieldErrors::default();
        let partner = self.partner.as_deref().and_then(Partner::parse);
        if partner.is_none() {
            e.push("partner", "Choose the partner you sign for: local authority, police or health");
        }
        if self.version.is_none() {
            e.push("version", "Send the version of the report you read");
        }
        match (partner, self.version) {
            (Some(partner), Some(version)) => Ok((partner, version)),
            _ => Err(e),
        }
    }
}

impl WriteUpInput {
    pub fn parse(&self) -> Result<(u32, WriteUp), FieldErrors> {
        let mut e = FieldErrors::default();
        if self.version.is_none() {
            e.push("version", "Send the version of the report you are changing");
        }
        let mut w = self.write_up.clone();
        let fields: [(&str, &mut String); 12] = [
            ("additional_information", &mut w.additional_information),
            ("summary_and_context", &mut w.summary_and_context),
            ("information_not_gathered", &mut w.information_not_gathered),
            ("immediate_safeguarding", &mut w.immediate_safeguarding),
            ("lived_experience", &mut w.lived_experience),
            ("race_culture_faith", &mut w.race_culture_faith),
            ("disability_and_health", &mut w.disability_and_health),
            ("issues_and_learning", &mut w.issues_and_learning),
            ("good_practice", &mut w.good_practice),
            ("context_and_related_reviews", &mut w.context_and_related_reviews),
            ("other_review", &mut w.other_review),
            ("learning_and_sharing", &mut w.learning_and_sharing),
        ];
        for (name, value) in fields {
            *value = value.trim().to_string();
            if value.chars().count() > FIELD_MAX {
                e.push(&format!("write_up.{name}"), format!("Must be {FIELD_MAX} characters or fewer"));
            }
        }
        match self.version {
            Some(version) if e.is_empty() => Ok((version, w)),
            _ => Err(e),
        }
    }
}

impl WriteUp {
    /// Sections the partners should see filled before they sign.
    pub fn missing(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.summary_and_context.is_empty() {
            out.push("Summary of serious incident and relevant context");
        }
        if self.lived_experience.is_empty() {
            out.push("The child's lived experience and voice");
        }
        if self.issues_and_learning.is_empty() {
            out.push("Issues and learning identified");
        }
        if self.learning_and_sharing.is_empty() {
            out.push("Learning identified and how it will be shared");
        }
        out
    }
}

/// The three statutory safeguarding partners, each of whom signs the report off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Partner {
    LocalAuthority,
    Police,
    Health,
}

impl Partner {
    pub const ALL: [Partner; 3] = [Partner::LocalAuthority, Partner::Police, Partner::Health];

    pub fn as_str(self) -> &'static str {
        match self {
            Partner::LocalAuthority => "local_authority",
            Partner::Police => "police",
            Partner::Health => "health",
        }
    }

    pub fn parse(raw: &str) -> Option<Partner> {
        Partner::ALL.into_iter().find(|p| p.as_str() == raw)
    }

    pub fn label(self) -> &'static str {
        match self {
            Partner::LocalAuthority => "Local authority",
            Partner::Police => "Police",
            Partner::Health => "Health (integrated care board)",
        }
    }
}

/// Who may sign for which partner: someone whose own agency is a
/// safeguarding partner signs for that partner only; leadership without an
/// agency may sign for any (as a delegated lead).
pub fn may_sign_for(partner: Partner, signer_agency_kind: Option<&str>, signer_agency_is_partner: bool) -> bool {
    match (signer_agency_kind, signer_agency_is_partner) {
        (Some(kind), true) => kind == partner.as_str(),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_write_up_is_trimmed_and_bounded_and_names_the_section_at_fault() {
        let mut input = WriteUpInput { version: Some(2), ..Default::default() };
        input.write_up.summary_and_context = "  Found at home  ".into();
        input.write_up.good_practice = "x".repeat(FIELD_MAX + 1);
        let e = input.parse().unwrap_err();
        assert_eq!(e.0[0].field, "write_up.good_practice");
        input.write_up.good_practice.clear();
        let (version, w) = input.parse().unwrap();
        assert_eq!((version, w.summary_and_context.as_str()), (2, "Found at home"));
        assert_eq!(w.missing().len(), 3);
        assert!(WriteUpInput::default().parse().unwrap_err().for_field("version").is_some());
    }

    #[test]
    fn a_partner_agency_signs_only_for_itself() {
        assert!(may_sign_for(Partner::Police, Some("police"), true));
        assert!(!may_sign_for(Partner::Health, Some("police"), true));
        assert!(may_sign_for(Partner::Health, None, false), "a delegated lead without an agency");
        assert!(may_sign_for(Partner::Health, Some("education"), false));
        assert_eq!(Partner::parse("health"), Some(Partner::Health));
    }
}
