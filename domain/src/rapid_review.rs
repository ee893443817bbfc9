//! The rapid review outcome: which criteria apply, what the options are, and
//! the decision the safeguarding partners record. The engine summarises; the
//! people decide, with a rationale. Meeting the criteria never forces an LCSPR.
//! Also: the quorum of the rapid review meeting, by the playbook's rule.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::field_error::FieldErrors;
use crate::playbook::QuorumRule;

const WT_CRITERIA: &str = "Working Together to Safeguard Children 2023, chapter 5; Child Safeguarding Practice Reviews (England) Regulations 2018";

/// What the partners found at the rapid review, criterion by criterion.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RapidReviewFindings {
    // Criteria the partners must take into account.
    pub improvements_needed: bool,
    pub recurrent_themes: bool,
    pub agencies_working_together_concerns: bool,
    pub panel_suggests_local_review: bool,
    // Circumstances to have regard to.
    pub single_agency_concern: bool,
    pub no_agency_involvement_concern: bool,
    pub more_than_one_area: bool,
    pub institutional_setting: bool,
    // National review criteria (for a recommendation to the panel).
    pub legislative_or_guidance_change: bool,
    pub educated_otherwise_than_at_school: bool,
    pub in_care_or_on_protection_plan: bool,
    pub range_of_abuse_types: bool,
    /// The partners claim learning beyond what existing reviews have found.
    pub additional_learning: bool,
    /// Another statutory review fits (domestic homicide, safeguarding adults, child death).
    pub other_statutory_review_fits: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewOption {
    Lcspr,
    NationalReviewRecommended,
    SingleAgencyReview,
    Audit,
    OtherStatutoryReview,
    NoFurtherReview,
}

impl ReviewOption {
    pub const ALL: [ReviewOption; 6] = [
        ReviewOption::Lcspr,
        ReviewOption::NationalReviewRecommended,
        ReviewOption::SingleAgencyReview,
        ReviewOption::Audit,
        ReviewOption::OtherStatutoryReview,
        ReviewOption::NoFurtherReview,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReviewOption::Lcspr => "lcspr",
            ReviewOption::NationalReviewRecommended => "national_review_recommended",
            ReviewOption::SingleAgencyReview => "single_agency_review",
            ReviewOption::Audit => "audit",
            ReviewOption::OtherStatutoryReview => "other_statutory_review",
            ReviewOption::NoFurtherReview => "no_further_review",
        }
    }

    pub fn parse(raw: &str) -> Option<ReviewOption> {
        ReviewOption::ALL.into_iter().find(|o| o.as_str() == raw)
    }

    pub fn label(self) -> &'static str {
        match self {
            ReviewOption::Lcspr => "Local child safeguarding practice review",
            ReviewOption::NationalReviewRecommended => "Recommend a national review to the panel",
            ReviewOption::SingleAgencyReview => "Single agency or internal review",
            ReviewOption::Audit => "Single or multi-agency audit",
            ReviewOption::OtherStatutoryReview => "Another statutory review (DHR, SAR, child death review)",
            ReviewOption::NoFurtherReview => "No further review: learning identified, action plan",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Criterion {
    pub key: &'static str,
    pub text: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RapidReviewSummary {
    pub local_criteria: Vec<Criterion>,
    pub have_regard_to: Vec<Criterion>,
    pub national_criteria: Vec<Criterion>,
    pub additional_learning: bool,
    /// Options worth considering, most fitting first. Every option stays open to the partners.
    pub proposed: Vec<ReviewOption>,
    pub notes: Vec<String>,
    pub source: &'static str,
}

fn pick(pairs: &[(bool, &'static str, &'static str)]) -> Vec<Criterion> {
    pairs.iter().filter(|(on, _, _)| *on).map(|(_, key, text)| Criterion { key, text }).collect()
}

pub fn summarise(f: &RapidReviewFindings) -> RapidReviewSummary {
    let local_criteria = pick(&[
        (f.improvements_needed, "improvements_needed", "The case highlights or may highlight improvements needed to safeguard children, including ones identified before"),
        (f.recurrent_themes, "recurrent_themes", "The case highlights recurrent themes"),
        (f.agencies_working_together_concerns, "agencies_working_together", "There are concerns about two or more agencies working together effectively"),
        (f.panel_suggests_local_review, "panel_suggests_local_review", "The national panel has concluded that a local review may be more appropriate"),
    ]);
    let have_regard_to = pick(&[
        (f.single_agency_concern, "single_agency_concern", "Concern about the actions of a single agency"),
        (f.no_agency_involvement_concern, "no_agency_involvement", "No agency was involved, and this itself causes concern"),
        (f.more_than_one_area, "more_than_one_area", "More than one local authority, police area or health area is involved"),
        (f.institutional_setting, "institutional_setting", "The case happened in an institutional setting (children's home, custody, detention)"),
    ]);
    let national_criteria = pick(&[
        (f.improvements_needed, "improvements_needed", "Improvements are needed"),
        (f.legislative_or_guidance_change, "legislative_or_guidance_change", "It may highlight a need for change in legislation or guidance"),
        (f.recurrent_themes, "recurrent_themes", "Recurrent themes"),
        (f.educated_otherwise_than_at_school, "educated_otherwise", "The child was educated otherwise than at school"),
        (f.in_care_or_on_protection_plan, "in_care_or_plan", "The child was in care, or on (or recently off) a child protection plan"),
        (f.range_of_abuse_types, "range_of_abuse", "A range of types of abuse"),
        (f.institutional_setting, "institutional_setting", "An institutional setting"),
    ]);
    let mut proposed = Vec::new();
    let mut notes = Vec::new();
    if !local_criteria.is_empty() && f.additional_learning {
        proposed.push(ReviewOption::Lcspr);
    }
    if f.legislative_or_guidance_change || (national_criteria.len() >= 3 && f.additional_learning) {
        proposed.push(ReviewOption::NationalReviewRecommended);
    }
    if f.other_statutory_review_fits {
        proposed.push(ReviewOption::OtherStatutoryReview);
    }
    if f.single_agency_concern && !f.agencies_working_together_concerns {
        proposed.push(ReviewOption::SingleAgencyReview);
    }
    if !local_criteria.is_empty() && !f.additional_learning {
        notes.push("The criteria are met but no learning beyond existing reviews is claimed: an LCSPR may add little".into());
        proposed.push(ReviewOption::Audit);
    }
    proposed.push(ReviewOption::NoFurtherReview);
    proposed.dedup();
    notes.push("Meeting the criteria does not mean an LCSPR must be held: the safeguarding partners decide".into());
    RapidReviewSummary {
        local_criteria,
        have_regard_to,
        national_criteria,
        additional_learning: f.additional_learning,
        proposed,
        notes,
        source: WT_CRITERIA,
    }
}

/// The panel advises no more than three or four key lines of enquiry.
pub const ADVISED_MAX_LINES_OF_ENQUIRY: usize = 4;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RapidReviewDecisionInput {
    pub option: Option<ReviewOption>,
    pub rationale: Option<String>,
    pub key_lines_of_enquiry: Vec<String>,
    /// Working Together 2023: how racism, inequality and protected
    /// characteristics affected the child's experience and the professionals' response.
    pub equality_and_racism: Option<String>,
    pub findings: RapidReviewFindings,
    /// When the partners decided (blank: today), for a decision recorded after the meeting.
    pub decided_on: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RapidReviewDecision {
    pub option: ReviewOption,
    pub rationale: String,
    pub key_lines_of_enquiry: Vec<String>,
    pub equality_and_racism: String,
    pub findings: RapidReviewFindings,
    pub decided_on: NaiveDate,
    /// Advice the people may overrule, e.g. more than four lines of enquiry.
    pub warnings: Vec<String>,
}

/// What a recorded rapid review decision keeps beside its outcome and
/// rationale (`decisions.answers`); older decisions may lack any part.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DecisionAnswers {
    pub findings: Option<RapidReviewFindings>,
    pub key_lines_of_enquiry: Option<Vec<String>>,
    pub equality_and_racism: Option<String>,
}

impl From<&RapidReviewDecision> for DecisionAnswers {
    fn from(d: &RapidReviewDecision) -> Self {
        DecisionAnswers {
            findings: Some(d.findings),
            key_lines_of_enquiry: Some(d.key_lines_of_enquiry.clone()),
            equality_and_racism: Some(d.equality_and_racism.clone()),
        }
    }
}

impl RapidReviewDecisionInput {
    pub fn parse(&self, today: NaiveDate) -> Result<RapidReviewDecision, FieldErrors> {
        let mut e = FieldErrors::default();
        if self.option.is_none() {
            e.push("option", "Choose what the partners decided");
        }
        let decided_on = crate::form_input::past_date(&mut e, "decided_on", "date of the decision", &self.decided_on, today, false).unwrap_or(today);
        let rationale = self.rationale.as_deref().unwrap_or("").trim().to_string();
        if rationale.chars().count() < 20 {
            e.push("rationale", "Explain the decision in at least 20 characters: the rationale is part of the record");
        }
        let equality = self.equality_and_racism.as_deref().unwrap_or("").trim().to_string();
        if equality.is_empty() {
            e.push(
                "equality_and_racism",
                "Say how racism, inequality and protected characteristics affected the child's experience and the professionals' response",
            );
        }
        let lines: Vec<String> = self.key_lines_of_enquiry.iter().map(|l| l.trim().to_string()).filter(|l| !l.is_empty()).collect();
        if self.option == Some(ReviewOption::Lcspr) && lines.is_empty() {
            e.push("key_lines_of_enquiry", "Give at least one key line of enquiry for the review");
        }
        let mut warnings = Vec::new();
        if lines.len() > ADVISED_MAX_LINES_OF_ENQUIRY {
            warnings.push(format!(
                "{} key lines of enquiry: the national panel advises no more than 3 or 4",
                lines.len()
            ));
        }
        match self.option {
            Some(option) if e.is_empty() => Ok(RapidReviewDecision {
                option,
                rationale,
                key_lines_of_enquiry: lines,
                equality_and_racism: equality,
                findings: self.findings,
                decided_on,
                warnings,
            }),
            _ => Err(e),
        }
    }
}

/// Kinds of agency, for the quorum of a meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgencyKind {
    LocalAuthority,
    Police,
    Health,
    Education,
    Probation,
    Voluntary,
    Other,
}

impl AgencyKind {
    pub const ALL: [AgencyKind; 7] = [
        AgencyKind::LocalAuthority,
        AgencyKind::Police,
        AgencyKind::Health,
        AgencyKind::Education,
        AgencyKind::Probation,
        AgencyKind::Voluntary,
        AgencyKind::Other,
    ];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            AgencyKind::LocalAuthority => "local_authority",
            AgencyKind::Police => "police",
            AgencyKind::Health => "health",
            AgencyKind::Education => "education",
            AgencyKind::Probation => "probation",
            AgencyKind::Voluntary => "voluntary",
            AgencyKind::Other => "other",
        }
    }

    pub fn parse(raw: &str) -> Option<AgencyKind> {
        AgencyKind::ALL.into_iter().find(|k| k.as_str() == raw)
    }

    pub fn label(self) -> &'static str {
        match self {
            AgencyKind::LocalAuthority => "Local authority",
            AgencyKind::Police => "Police",
            AgencyKind::Health => "Health",
            AgencyKind::Education => "Education",
            AgencyKind::Probation => "Probation",
            AgencyKind::Voluntary => "Voluntary",
            AgencyKind::Other => "Other",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendee {
    pub agency_kind: AgencyKind,
    /// The agency is one of the three safeguarding partners.
    pub safeguarding_partner: bool,
    pub decision_maker: bool,
    pub present: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quorum {
    pub quorate: bool,
    pub explanation: String,
}

pub fn quorum(rule: QuorumRule, attendees: &[Attendee]) -> Quorum {
    let present: Vec<&Attendee> = attendees.iter().filter(|a| a.present).collect();
    let partners = |need_decision_maker: bool| {
        let mut kinds: Vec<AgencyKind> = present
            .iter()
            .filter(|a| a.safeguarding_partner && (!need_decision_maker || a.decision_maker))
            .map(|a| a.agency_kind)
            .filter(|k| matches!(k, AgencyKind::LocalAuthority | AgencyKind::Police | AgencyKind::Health))
            .collect();
        kinds.sort_by_key(|k| *k as u8);
        kinds.dedup();
        kinds
    };
    match rule {
        QuorumRule::AllThreePartners => {
            let there = partners(true);
            let missing: Vec<&str> = [(AgencyKind::LocalAuthority, "local authority"), (AgencyKind::Police, "police"), (AgencyKind::Health, "health")]
                .into_iter()
                .filter(|(k, _)| !there.contains(k))
                .map(|(_, name)| name)
                .collect();
            if missing.is_empty() {
                Quorum { quorate: true, explanation: "Decision makers from all three safeguarding partners are present".into() }
            } else {
                Quorum { quorate: false, explanation: format!("No decision maker present from: {}", missing.join(", ")) }
            }
        }
        QuorumRule::Representatives { representatives, partners: needed } => {
            let reps = present.len() as u32;
            let there = partners(false).len() as u32;
            let quorate = reps >= representatives && there >= needed;
            let explanation = format!(
                "{reps} partner-agency representative{} present (at least {representatives} needed), {there} of the 3 safeguarding partners (at least {needed} needed)",
                if reps == 1 { "" } else { "s" }
            );
            Quorum { quorate, explanation }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_lists_what_applies_and_never_forces_an_lcspr() {
        let s = summarise(&RapidReviewFindings { improvements_needed: true, agencies_working_together_concerns: true, more_than_one_area: true, additional_learning: true, ..Default::default() });
        assert_eq!(s.local_criteria.iter().map(|c| c.key).collect::<Vec<_>>(), vec!["improvements_needed", "agencies_working_together"]);
        assert_eq!(s.have_regard_to[0].key, "more_than_one_area");
        assert_eq!(s.proposed.first(), Some(&ReviewOption::Lcspr));
        assert!(s.proposed.contains(&ReviewOption::NoFurtherReview), "the partners may always decide otherwise");
        assert!(s.notes.iter().any(|n| n.contains("does not mean an LCSPR must be held")));

        let s = summarise(&RapidReviewFindings { improvements_needed: true, ..Default::default() });
        assert!(!s.proposed.contains(&ReviewOption::Lcspr), "no additional learning claimed");
        assert!(s.proposed.contains(&ReviewOption::Audit));

        let s = summarise(&RapidReviewFindings { legislative_or_guidance_change: true, ..Default::default() });
        assert!(s.proposed.contains(&ReviewOption::NationalReviewRecommended));
        let s = summarise(&RapidReviewFindings::default());
        assert_eq!(s.proposed, vec![ReviewOption::NoFurtherReview]);
    }

    #[test]
    fn the_decision_needs_a_rationale_and_for_an_lcspr_lines_of_enquiry() {
        let e = RapidReviewDecisionInput { option: Some(ReviewOption::Lcspr), ..Default::default() }.parse(NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()).unwrap_err();
        let named: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(named, vec!["rationale", "equality_and_racism", "key_lines_of_enquiry"]);

        let decision = RapidReviewDecisionInput {
            option: Some(ReviewOption::Lcspr),
            rationale: Some("Multi-agency learning about information sharing across borders".into()),
            equality_and_racism: Some("Language barriers delayed the family's access to services".into()),
            key_lines_of_enquiry: vec!["a".into(), "b".into(), "c".into(), "d".into(), "e".into()],
            ..Default::default()
        }
        .parse(NaiveDate::from_ymd_opt(2026, 12, 2).unwrap())
        .unwrap();
        assert_eq!(decision.warnings.len(), 1, "more than 4 lines is a warning, not an error");

        let none = RapidReviewDecisionInput {
            option: Some(ReviewOption::NoFurtherReview),
            rationale: Some("Learning already identified by the 2025 thematic review".into()),
            equality_and_racism: Some("No indication these affected practice".into()),
            ..Default::default()
        }
        .parse(NaiveDate::from_ymd_opt(2026, 12, 2).unwrap())
        .unwrap();
        assert!(none.key_lines_of_enquiry.is_empty() && none.warnings.is_empty());
    }

    fn attendee(kind: AgencyKind, partner: bool, decision_maker: bool) -> Attendee {
        Attendee { agency_kind: kind, safeguarding_partner: partner, decision_maker, present: true }
    }

    #[test]
    fn llr_needs_three_representatives_including_two_partners() {
        let rule = QuorumRule::Representatives { representatives: 3, partners: 2 };
        let q = quorum(rule, &[attendee(AgencyKind::LocalAuthority, true, true), attendee(AgencyKind::Police, true, false), attendee(AgencyKind::Education, false, false)]);
        assert!(q.quorate, "{}", q.explanation);
        let q = quorum(rule, &[attendee(AgencyKind::LocalAuthority, true, true), attendee(AgencyKind::Education, false, false), attendee(AgencyKind::Voluntary, false, false)]);
        assert!(!q.quorate);
        assert!(q.explanation.contains("1 of the 3 safeguarding partners"));
        let q = quorum(rule, &[attendee(AgencyKind::LocalAuthority, true, true), Attendee { present: false, ..attendee(AgencyKind::Police, true, true) }, attendee(AgencyKind::Health, true, true)]);
        assert!(!q.quorate, "absent people do not count");
    }

    #[test]
    fn options_have_stable_names() {
        for option in ReviewOption::ALL {
            assert_eq!(serde_json::to_value(option).unwrap(), option.as_str());
        }
    }

    #[test]
    fn kent_needs_decision_makers_from_all_three() {
        let q = quorum(QuorumRule::AllThreePartners, &[attendee(AgencyKind::LocalAuthority, true, true), attendee(AgencyKind::Police, true, true), attendee(AgencyKind::Health, true, false)]);
        assert!(!q.quorate);
        assert_eq!(q.explanation, "No decision maker present from: health");
        let q = quorum(QuorumRule::AllThreePartners, &[attendee(AgencyKind::LocalAuthority, true, true), attendee(AgencyKind::Police, true, true), attendee(AgencyKind::Health, true, true)]);
        assert!(q.quorate);
    }
}
