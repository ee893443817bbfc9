//! The local child safeguarding practice review (LCSPR) of a case: its terms
//! of reference, pseudonym, reviewer, key lines of enquiry, family engagement,
//! key practice episodes, drafts and approvals, and the publication plan
//! (SPEC.md "LCSPR"; Working Together 2023 ch. 5).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::{Calendar, add_months};
use crate::field_error::FieldErrors;
use crate::form_input::{optional, past_date, required, text};

/// The national panel advises no more than 3 or 4 key lines of enquiry.
pub const KLOE_ADVISED_MAX: usize = 4;
pub const KLOE_MAX: usize = 12;
pub const TEXT_MAX: usize = 4000;
pub const ENTRY_MAX: usize = 10_000;
/// Expressions of interest sought where the reviewer is independent.
pub const EXPRESSIONS_OF_INTEREST_MIN: u32 = 3;
/// The full report reaches the panel, Ofsted and DfE this many working days before publication.
pub const NOTICE_WORKING_DAYS: u32 = 7;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TermsOfReferenceInput {
    pub period_from: Option<String>,
    pub period_to: Option<String>,
    /// Ids of the partnership's agencies taking part.
    pub agencies: Vec<String>,
    pub parallel_processes: Option<String>,
    pub family_involvement: Option<String>,
    pub timetable: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermsOfReference {
    pub period_from: Option<NaiveDate>,
    pub period_to: Option<NaiveDate>,
    pub agencies: Vec<String>,
    pub parallel_processes: Option<String>,
    pub family_involvement: Option<String>,
    pub timetable: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReviewInput {
    pub version: Option<u32>,
    pub pseudonym: Option<String>,
    pub reviewer_user_id: Option<String>,
    pub reviewer_name: Option<String>,
    pub reviewer_independent: bool,
    pub expressions_of_interest: Option<u32>,
    pub conflicts_declared: bool,
    pub methodology: Option<String>,
    pub terms_of_reference: TermsOfReferenceInput,
    pub key_lines_of_enquiry: Vec<String>,
    pub planned_publication_on: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewDetails {
    pub version: u32,
    pub pseudonym: Option<String>,
    pub reviewer_user_id: Option<String>,
    pub reviewer_name: Option<String>,
    pub reviewer_independent: bool,
    pub expressions_of_interest: Option<u32>,
    pub conflicts_declared: bool,
    pub methodology: Option<String>,
    pub terms_of_reference: TermsOfReference,
    pub key_lines_of_enquiry: Vec<String>,
    pub planned_publication_on: Option<NaiveDate>,
    /// Advice that does not stop saving: too many lines of enquiry, few expressions of interest.
    pub warnings: Vec<String>,
}

fn optional_date(field: &str, raw: &Option<String>, what: &str, e: &mut FieldErrors) -> Option<NaiveDate> {
    let raw = text(raw)?;
    crate::date_input::parse_iso_date(&raw)
        .map_err(|p| e.push(field, p.message(what)))
        .ok()
}

/// A review's pseudonym is how it is known in public: a short name such as
/// "Child Q" or "Baby R", never the child's own name (the store checks that).
pub fn parse_pseudonym(raw: &str) -> Result<String, &'static str> {
    let p = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    let n = p.chars().count();
    if !(2..=40).contains(&n) {
        return Err("The pseudonym must be between 2 and 40 characters");
    }
    if !p.chars().all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '\'')) {
        return Err("The pseudonym may use letters, numbers, spaces, hyphens and apostrophes");
    }
    Ok(p)
}

/// Whether a pseudonym gives away a name from the case: any word of two or
/// more letters shared with the child's, parents' or household's names.
pub fn pseudonym_reveals(pseudonym: &str, names: &[&str]) -> bool {
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric()).filter(|w| w.chars().count() >= 2).map(str::to_lowercase).collect()
    };
    let public = words(pseudonym);
    names.iter().flat_map(|n| words(n)).any(|w| public.contains(&w))
}

impl ReviewInput {
    /// `already_planned` is the stored publication date: keeping a date that has
    /// since passed is not an error, choosing a past date is.
    pub fn parse(&self, today: NaiveDate, already_planned: Option<NaiveDate>) -> Result<ReviewDetails, FieldErrors> {
        let mut e = FieldErrors::default();
        let mut warnings = Vec::new();
        if self.version.is_none() {
            e.push("version", "Send the version of the review you are changing");
        }
        let pseudonym = text(&self.pseudonym).and_then(|p| parse_pseudonym(&p).map_err(|m| e.push("pseudonym", m)).ok());
        let reviewer_user_id = text(&self.reviewer_user_id);
        let reviewer_name = text(&self.reviewer_name);
        if reviewer_name.as_ref().is_some_and(|n| n.chars().count() > 200) {
            e.push("reviewer_name", "Must be 200 characters or fewer");
        }
        let named = reviewer_user_id.is_some() || reviewer_name.is_some();
        if named && !self.conflicts_declared {
            e.push("conflicts_declared", "Record that the reviewer has declared any conflicts of interest before appointing them");
        }
        if named && self.reviewer_independent && self.expressions_of_interest.is_some_and(|n| n < EXPRESSIONS_OF_INTEREST_MIN) {
            warnings.push(format!(
                "Expressions of interest are sought from at least {EXPRESSIONS_OF_INTEREST_MIN} independent reviewers; record why fewer were sought"
            ));
        }
        let methodology = optional(&mut e, "methodology", &self.methodology, TEXT_MAX);
        let tor = &self.terms_of_reference;
        let period_from = optional_date("terms_of_reference.period_from", &tor.period_from, "start of the period", &mut e);
        let period_to = optional_date("terms_of_reference.period_to", &tor.period_to, "end of the period", &mut e);
        if let (Some(from), Some(to)) = (period_from, period_to) {
            if from > to {
                e.push("terms_of_reference.period_to", "The end of the period must be on or after its start");
            }
        }
        if tor.agencies.len() > 60 {
            e.push("terms_of_reference.agencies", "List at most 60 agencies");
        }
        let mut agencies: Vec<String> = tor.agencies.iter().map(|a| a.trim().to_string()).filter(|a| !a.is_empty()).collect();
        agencies.sort();
        agencies.dedup();
        let terms_of_reference = TermsOfReference {
            period_from,
            period_to,
            agencies,
            parallel_processes: optional(&mut e, "terms_of_reference.parallel_processes", &tor.parallel_processes, TEXT_MAX),
            family_involvement: optional(&mut e, "terms_of_reference.family_involvement", &tor.family_involvement, TEXT_MAX),
            timetable: optional(&mut e, "terms_of_reference.timetable", &tor.timetable, TEXT_MAX),
        };
        let key_lines_of_enquiry: Vec<String> = self.key_lines_of_enquiry.iter().map(|l| l.trim().to_string()).filter(|l| !l.is_empty()).collect();
        if key_lines_of_enquiry.len() > KLOE_MAX {
            e.push("key_lines_of_enquiry", format!("List at most {KLOE_MAX} key lines of enquiry"));
        } else if key_lines_of_enquiry.len() > KLOE_ADVISED_MAX {
            warnings.push("The national panel advises no more than 3 or 4 key lines of enquiry".into());
        }
        for (i, line) in key_lines_of_enquiry.iter().enumerate() {
            if line.chars().count() > 500 {
                e.push(&format!("key_lines_of_enquiry[{i}]"), "Each line of enquiry must be 500 characters or fewer");
            }
        }
        let planned_publication_on = optional_date("planned_publication_on", &self.planned_publication_on, "planned publication date", &mut e);
        if let Some(planned) = planned_publication_on {
            if planned < today && Some(planned) != already_planned {
                e.push("planned_publication_on", "The planned publication date must be today or later");
            }
        }
        match self.version {
            Some(version) if e.is_empty() => Ok(ReviewDetails {
                version,
                pseudonym,
                reviewer_user_id,
                reviewer_name,
                reviewer_independent: self.reviewer_independent,
                expressions_of_interest: self.expressions_of_interest,
                conflicts_declared: self.conflicts_declared,
                methodology,
                terms_of_reference,
                key_lines_of_enquiry,
                planned_publication_on,
                warnings,
            }),
            _ => Err(e),
        }
    }
}

/// Where the publication plan stands against the two statutory limits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicationPlan {
    /// Six months from the decision to review.
    pub publish_by: Option<NaiveDate>,
    /// The last day to send the final report to the panel, Ofsted and DfE.
    pub notice_by: Option<NaiveDate>,
    pub warnings: Vec<String>,
}

pub fn publication_plan(decided_on: Option<NaiveDate>, planned: Option<NaiveDate>, notice_sent: bool, today: NaiveDate, calendar: &Calendar) -> PublicationPlan {
    let publish_by = decided_on.and_then(|d| add_months(d, 6));
    let notice_by = planned.and_then(|p| calendar.working_days_before(p, NOTICE_WORKING_DAYS).ok());
    let mut warnings = Vec::new();
    if let (Some(limit), Some(planned)) = (publish_by, planned) {
        if planned > limit {
            warnings.push(format!(
                "Publication is planned after the 6-month limit ({limit}): tell the national panel and the Secretary of State the reasons for the delay"
            ));
        }
    }
    if let Some(warning) = planned.and_then(|p| calendar.not_a_working_day(p, "Publication")) {
        warnings.push(warning);
    }
    if let Some(notice_by) = notice_by {
        if !notice_sent && notice_by < today {
            warnings.push(format!(
                "The final report had to reach the national panel, Ofsted and DfE by {notice_by}, {NOTICE_WORKING_DAYS} working days before publication: move the date or send it now"
            ));
        }
    }
    PublicationPlan { publish_by, notice_by, warnings }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactKind {
    Letter,
    Meeting,
    Call,
    /// The family chose not to take part; the reason is recorded.
    Declined,
    Other,
}

impl ContactKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ContactKind::Letter => "letter",
            ContactKind::Meeting => "meeting",
            ContactKind::Call => "call",
            ContactKind::Declined => "declined",
            ContactKind::Other => "other",
        }
    }
}

/// A line of the family engagement log: personal data, sealed before storage.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FamilyContactInput {
    pub occurred_on: Option<String>,
    pub kind: Option<ContactKind>,
    pub entry: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FamilyContact {
    pub occurred_on: NaiveDate,
    pub kind: ContactKind,
    pub entry: String,
}



impl FamilyContactInput {
    pub fn parse(&self, today: NaiveDate) -> Result<FamilyContact, FieldErrors> {
        let mut e = FieldErrors::default();
        let occurred_on = past_date(&mut e, "occurred_on", "date of the contact", &self.occurred_on, today, true);
        if self.kind.is_none() {
            e.push("kind", "Choose how the family was contacted");
        }
        let missing = if self.kind == Some(ContactKind::Declined) { "Record the reason the family gave for not taking part" } else { "Describe the contact" };
        let entry = required(&mut e, "entry", &self.entry, missing, ENTRY_MAX);
        match (occurred_on, self.kind, entry) {
            (Some(occurred_on), Some(kind), Some(entry)) if e.is_empty() => Ok(FamilyContact { occurred_on, kind, entry }),
            _ => Err(e),
        }
    }
}

/// A key practice episode: a moment in the case the review analyses. Its analysis is sealed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EpisodeInput {
    pub occurred_on: Option<String>,
    pub title: Option<String>,
    pub analysis: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Episode {
    pub occurred_on: NaiveDate,
    pub title: String,
    pub analysis: String,
}

impl EpisodeInput {
    pub fn parse(&self, today: NaiveDate) -> Result<Episode, FieldErrors> {
        let mut e = FieldErrors::default();
        let occurred_on = past_date(&mut e, "occurred_on", "date of the episode", &self.occurred_on, today, true);
        let title = required(&mut e, "title", &self.title, "Give the episode a short title", 200);
        let analysis = required(&mut e, "analysis", &self.analysis, "Write what happened and what it shows about practice", ENTRY_MAX);
        match (occurred_on, title, analysis) {
            (Some(occurred_on), Some(title), Some(analysis)) if e.is_empty() => Ok(Episode { occurred_on, title, analysis }),
            _ => Err(e),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DraftInput {
    pub label: Option<String>,
    pub received_on: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub label: String,
    pub received_on: NaiveDate,
}

impl DraftInput {
    pub fn parse(&self, today: NaiveDate) -> Result<Draft, FieldErrors> {
        let mut e = FieldErrors::default();
        let label = required(&mut e, "label", &self.label, "Name the draft, like \"Draft 2\"", 100);
        let received_on = past_date(&mut e, "received_on", "date the draft was received", &self.received_on, today, true);
        match (label, received_on) {
            (Some(label), Some(received_on)) if e.is_empty() => Ok(Draft { label, received_on }),
            _ => Err(e),
        }
    }
}

/// Drafts are approved first by the subgroup, then by the executive (the safeguarding partners).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApprovalLevel {
    Subgroup,
    Executive,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ApprovalInput {
    pub level: Option<ApprovalLevel>,
    pub approved_on: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approval {
    pub level: ApprovalLevel,
    pub approved_on: NaiveDate,
}

impl ApprovalInput {
    /// `subgroup_approved_on` is the draft's subgroup approval, if any: the
    /// executive cannot approve before the subgroup, nor on an earlier date.
    pub fn parse(&self, today: NaiveDate, received_on: NaiveDate, subgroup_approved_on: Option<NaiveDate>) -> Result<Approval, FieldErrors> {
        let mut e = FieldErrors::default();
        if self.level.is_none() {
            e.push("level", "Choose who approved the draft");
        }
        let approved_on = past_date(&mut e, "approved_on", "approval date", &self.approved_on, today, true);
        if let Some(on) = approved_on {
            if on < received_on {
                e.push("approved_on", "A draft cannot be approved before it was received");
            }
            if self.level == Some(ApprovalLevel::Executive) {
                match subgroup_approved_on {
                    None => e.push("level", "The subgroup approves a draft before the executive"),
                    Some(s) if on < s => e.push("approved_on", "The executive's approval cannot be dated before the subgroup's"),
                    Some(_) => {}
                }
            }
        }
        match (self.level, approved_on) {
            (Some(level), Some(approved_on)) if e.is_empty() => Ok(Approval { level, approved_on }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    const TODAY: NaiveDate = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();

    #[test]
    fn pseudonyms_are_short_public_names() {
        assert_eq!(parse_pseudonym("  Child   Q ").unwrap(), "Child Q");
        assert!(parse_pseudonym("Q").is_err());
        assert!(parse_pseudonym("<script>").is_err());
        assert_eq!(parse_pseudonym("Baby O'Neill-2").unwrap(), "Baby O'Neill-2");
    }

    #[test]
    fn a_pseudonym_must_not_give_away_a_name() {
        assert!(pseudonym_reveals("Child Amelia", &["Amelia Smith"]));
        assert!(pseudonym_reveals("Baby SMITH", &["Amelia Smith"]));
        assert!(!pseudonym_reveals("Child A", &["Amelia Smith", "A B"]));
        assert!(!pseudonym_reveals("Child Q", &[]));
    }

    #[test]
    fn appointing_a_reviewer_needs_conflicts_declared() {
        let input = ReviewInput { version: Some(1), reviewer_name: Some("A Reviewer".into()), ..Default::default() };
        let e = input.parse(TODAY, None).unwrap_err();
        assert!(e.for_field("conflicts_declared").is_some());
        let ok = ReviewInput { conflicts_declared: true, reviewer_independent: true, expressions_of_interest: Some(2), ..input }.parse(TODAY, None).unwrap();
        assert_eq!(ok.warnings.len(), 1);
    }

    #[test]
    fn more_than_four_lines_of_enquiry_is_advice_more_than_twelve_an_error() {
        let lines = |n: usize| (0..n).map(|i| format!("Line {i}")).collect::<Vec<_>>();
        let five = ReviewInput { version: Some(3), key_lines_of_enquiry: lines(5), ..Default::default() }.parse(TODAY, None).unwrap();
        assert!(five.warnings.iter().any(|w| w.contains("3 or 4")));
        let four = ReviewInput { version: Some(3), key_lines_of_enquiry: lines(4), ..Default::default() }.parse(TODAY, None).unwrap();
        assert!(four.warnings.is_empty());
        assert!(ReviewInput { version: Some(3), key_lines_of_enquiry: lines(13), ..Default::default() }.parse(TODAY, None).is_err());
    }

    #[test]
    fn the_period_runs_forwards_and_publication_is_not_in_the_past() {
        let input = ReviewInput {
            version: Some(1),
            terms_of_reference: TermsOfReferenceInput { period_from: Some("2026-05-01".into()), period_to: Some("2026-01-01".into()), ..Default::default() },
            planned_publication_on: Some("2026-11-01".into()),
            ..Default::default()
        };
        let e = input.parse(TODAY, None).unwrap_err();
        assert!(e.for_field("terms_of_reference.period_to").is_some());
        assert!(e.for_field("planned_publication_on").is_some());
        let kept = ReviewInput { terms_of_reference: TermsOfReferenceInput::default(), ..input };
        assert!(kept.parse(TODAY, Some(day(2026, 11, 1))).is_ok(), "a stored date that has passed can be kept");
    }

    #[test]
    fn the_publication_plan_checks_six_months_and_the_seven_day_notice() {
        let calendar = Calendar::england_and_wales();
        let plan = publication_plan(Some(day(2026, 6, 1)), Some(day(2026, 12, 15)), false, TODAY, calendar);
        assert_eq!(plan.publish_by, Some(day(2026, 12, 1)));
        assert_eq!(plan.notice_by, Some(day(2026, 12, 4)));
        assert!(plan.warnings[0].contains("6-month"));
        let late = publication_plan(Some(day(2026, 6, 1)), Some(day(2026, 11, 27)), false, TODAY, calendar);
        assert!(late.warnings.iter().any(|w| w.contains("7 working days")));
        let sent = publication_plan(Some(day(2026, 6, 1)), Some(day(2026, 11, 27)), true, TODAY, calendar);
        assert!(sent.warnings.is_empty());
    }

    #[test]
    fn a_family_that_declines_has_its_reason_recorded() {
        let e = FamilyContactInput { occurred_on: Some("2026-11-20".into()), kind: Some(ContactKind::Declined), entry: None }.parse(TODAY).unwrap_err();
        assert!(e.for_field("entry").unwrap().contains("reason"));
        assert!(FamilyContactInput { occurred_on: Some("2026-12-20".into()), kind: Some(ContactKind::Letter), entry: Some("Letter sent".into()) }.parse(TODAY).is_err());
    }

    #[test]
    fn the_executive_approves_after_the_subgroup() {
        let input = ApprovalInput { level: Some(ApprovalLevel::Executive), approved_on: Some("2026-11-20".into()) };
        assert!(input.parse(TODAY, day(2026, 11, 1), None).unwrap_err().for_field("level").is_some());
        assert!(input.parse(TODAY, day(2026, 11, 1), Some(day(2026, 11, 21))).unwrap_err().for_field("approved_on").is_some());
        assert!(input.parse(TODAY, day(2026, 11, 1), Some(day(2026, 11, 18))).is_ok());
        let early = ApprovalInput { level: Some(ApprovalLevel::Subgroup), approved_on: Some("2026-10-01".into()) };
        assert!(early.parse(TODAY, day(2026, 11, 1), None).is_err());
    }

    #[test]
    fn episodes_and_drafts_need_their_parts() {
        let e = EpisodeInput::default().parse(TODAY).unwrap_err();
        for f in ["occurred_on", "title", "analysis"] {
            assert!(e.for_field(f).is_some(), "{f}");
        }
        let d = DraftInput { label: Some(" Draft 1 ".into()), received_on: Some("2026-11-23".into()) }.parse(TODAY).unwrap();
        assert_eq!(d.label, "Draft 1");
    }
}
