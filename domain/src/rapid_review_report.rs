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
        for section in Section::ALL {
            let value = w.section_mut(section);
            *value = value.trim().to_string();
            if value.chars().count() > FIELD_MAX {
                e.push(&format!("write_up.{}", section.key()), format!("Must be {FIELD_MAX} characters or fewer"));
            }
        }
        match self.version {
            Some(version) if e.is_empty() => Ok((version, w)),
            _ => Err(e),
        }
    }
}

/// The write-up's free-text sections, in the template's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    AdditionalInformation,
    SummaryAndContext,
    InformationNotGathered,
    ImmediateSafeguarding,
    LivedExperience,
    RaceCultureFaith,
    DisabilityAndHealth,
    IssuesAndLearning,
    GoodPractice,
    ContextAndRelatedReviews,
    OtherReview,
    LearningAndSharing,
}

impl Section {
    pub const ALL: [Section; 12] = [
        Section::AdditionalInformation,
        Section::SummaryAndContext,
        Section::InformationNotGathered,
        Section::ImmediateSafeguarding,
        Section::LivedExperience,
        Section::RaceCultureFaith,
        Section::DisabilityAndHealth,
        Section::IssuesAndLearning,
        Section::GoodPractice,
        Section::ContextAndRelatedReviews,
        Section::OtherReview,
        Section::LearningAndSharing,
    ];

    /// The field's name in the JSON body (and in a field error, after `write_up.`).
    pub fn key(self) -> &'static str {
        match self {
            Section::AdditionalInformation => "additional_information",
            Section::SummaryAndContext => "summary_and_context",
            Section::InformationNotGathered => "information_not_gathered",
            Section::ImmediateSafeguarding => "immediate_safeguarding",
            Section::LivedExperience => "lived_experience",
            Section::RaceCultureFaith => "race_culture_faith",
            Section::DisabilityAndHealth => "disability_and_health",
            Section::IssuesAndLearning => "issues_and_learning",
            Section::GoodPractice => "good_practice",
            Section::ContextAndRelatedReviews => "context_and_related_reviews",
            Section::OtherReview => "other_review",
            Section::LearningAndSharing => "learning_and_sharing",
        }
    }

    /// The template's question.
    pub fn question(self) -> &'static str {
        match self {
            Section::AdditionalInformation => "Any additional information of note",
            Section::SummaryAndContext => "Summary of serious incident and relevant context",
            Section::InformationNotGathered => "Any information not gathered or included at the time of the rapid review meeting",
            Section::ImmediateSafeguarding => "Immediate safeguarding arrangements of any children involved",
            Section::LivedExperience => "The child's lived experience and how their voice can be heard in the review",
            Section::RaceCultureFaith => {
                "How were the race, culture, faith and ethnicity of the child and family considered, and did cultural consideration affect practice?"
            }
            Section::DisabilityAndHealth => "How did any disability, physical or mental health issues and identity issues affect the child's lived experience?",
            Section::IssuesAndLearning => "What are the issues and learning identifiable?",
            Section::GoodPractice => "Are there examples of good practice?",
            Section::ContextAndRelatedReviews => "Are there any relevant local or national reviews that relate to the potential learning in this case?",
            Section::OtherReview => "Is any other form of review indicated, including where a CSPR is not recommended?",
            Section::LearningAndSharing => "Is there any learning identified by this rapid review and how will it be shared?",
        }
    }

    /// What a reader missing the section is told; `None` for a section the
    /// partners may sign without.
    pub fn needed_as(self) -> Option<&'static str> {
        match self {
            Section::SummaryAndContext => Some("Summary of serious incident and relevant context"),
            Section::LivedExperience => Some("The child's lived experience and voice"),
            Section::IssuesAndLearning => Some("Issues and learning identified"),
            Section::LearningAndSharing => Some("Learning identified and how it will be shared"),
            _ => None,
        }
    }
}

impl WriteUp {
    pub fn section(&self, section: Section) -> &str {
        match section {
            Section::AdditionalInformation => &self.additional_information,
            Section::SummaryAndContext => &self.summary_and_context,
            Section::InformationNotGathered => &self.information_not_gathered,
            Section::ImmediateSafeguarding => &self.immediate_safeguarding,
            Section::LivedExperience => &self.lived_experience,
            Section::RaceCultureFaith => &self.race_culture_faith,
            Section::DisabilityAndHealth => &self.disability_and_health,
            Section::IssuesAndLearning => &self.issues_and_learning,
            Section::GoodPractice => &self.good_practice,
            Section::ContextAndRelatedReviews => &self.context_and_related_reviews,
            Section::OtherReview => &self.other_review,
            Section::LearningAndSharing => &self.learning_and_sharing,
        }
    }

    pub fn section_mut(&mut self, section: Section) -> &mut String {
        match section {
            Section::AdditionalInformation => &mut self.additional_information,
            Section::SummaryAndContext => &mut self.summary_and_context,
            Section::InformationNotGathered => &mut self.information_not_gathered,
            Section::ImmediateSafeguarding => &mut self.immediate_safeguarding,
            Section::LivedExperience => &mut self.lived_experience,
            Section::RaceCultureFaith => &mut self.race_culture_faith,
            Section::DisabilityAndHealth => &mut self.disability_and_health,
            Section::IssuesAndLearning => &mut self.issues_and_learning,
            Section::GoodPractice => &mut self.good_practice,
            Section::ContextAndRelatedReviews => &mut self.context_and_related_reviews,
            Section::OtherReview => &mut self.other_review,
            Section::LearningAndSharing => &mut self.learning_and_sharing,
        }
    }

    /// Sections the partners should see filled before they sign.
    pub fn missing(&self) -> Vec<&'static str> {
        Section::ALL.iter().filter(|s| self.section(**s).is_empty()).filter_map(|s| s.needed_as()).collect()
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

impl Partner {
    /// The partner an agency is, when it is one: a safeguarding partner
    /// agency of the local authority, police or health kind.
    pub fn of_agency(kind: crate::rapid_review::AgencyKind, safeguarding_partner: bool) -> Option<Partner> {
        use crate::rapid_review::AgencyKind;
        if !safeguarding_partner {
            return None;
        }
        match kind {
            AgencyKind::LocalAuthority => Some(Partner::LocalAuthority),
            AgencyKind::Police => Some(Partner::Police),
            AgencyKind::Health => Some(Partner::Health),
            _ => None,
        }
    }
}

/// Who may sign for which partner: a decision maker whose own agency is that
/// safeguarding partner, and nobody else. Denied by default: no agency, an
/// agency that is not a partner, or another partner's agency.
pub fn may_sign_for(partner: Partner, grants: &crate::access::Grants, signer_partner: Option<Partner>) -> bool {
    grants.may(crate::access::Capability::SignForPartner) && signer_partner == Some(partner)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each section's key is its field's name on the wire, and reaches exactly that field.
    #[test]
    fn every_section_names_its_own_field_of_the_write_up() {
        let mut w = WriteUp::default();
        for (i, section) in Section::ALL.into_iter().enumerate() {
            *w.section_mut(section) = format!("text {i}");
        }
        let json = serde_json::to_value(&w).unwrap();
        for (i, section) in Section::ALL.into_iter().enumerate() {
            assert_eq!(json[section.key()].as_str(), Some(format!("text {i}").as_str()), "{section:?}");
            assert_eq!(w.section(section), format!("text {i}"));
        }
        assert_eq!(json.as_object().unwrap().len(), Section::ALL.len() + 1, "12 sections and the national review answer");
        assert!(WriteUp::default().missing().len() == 4 && w.missing().is_empty());
    }

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
        use crate::access::{Grants, Role};
        use crate::rapid_review::AgencyKind;
        let dm = Grants::new(vec![Role::DecisionMaker]);
        let police = Partner::of_agency(AgencyKind::Police, true);
        assert_eq!(police, Some(Partner::Police));
        assert!(may_sign_for(Partner::Police, &dm, police));
        assert!(!may_sign_for(Partner::Health, &dm, police), "another partner's");
        assert!(!may_sign_for(Partner::Health, &dm, None), "no agency: no partner to sign for");
        assert_eq!(Partner::of_agency(AgencyKind::Health, false), None, "a health agency that is not the partner");
        assert_eq!(Partner::of_agency(AgencyKind::Education, true), None);
        for role in Role::ALL.into_iter().filter(|r| *r != Role::DecisionMaker) {
            assert!(!may_sign_for(Partner::Police, &Grants::new(vec![role]), police), "{role:?} signs for no partner");
        }
        assert_eq!(Partner::parse("health"), Some(Partner::Health));
    }
}
