//! The notification threshold engine: must the local authority notify the
//! national Child Safeguarding Practice Review Panel (Children Act 2004 s16C)?
//! It proposes; named people decide, with a recorded rationale.
//!
//! Precedence, first match wins:
//! 1. The person is 18 or over and not a care leaver who died → not a child: not notifiable.
//! 2. A care leaver died before their 25th birthday (and was 18 or over) → information only,
//!    to the Secretary of State and Ofsted; no review.
//! 3. A looked-after child died → notify, whatever is known about abuse or neglect; a rapid
//!    review only if abuse or neglect is known or suspected.
//! 4. A child in a regulated setting died, where the playbook adopts the Kirklees rule →
//!    notifiable to the partnership, whatever is known about abuse or neglect.
//! 5. Died or seriously harmed, abuse or neglect known or suspected: by where it happened —
//!    in the area or outside England while resident → notify (unless the child was placed
//!    here by another authority and the playbook adopts the Kent rule → that authority is
//!    invited to notify); elsewhere in England → the authority where it happened notifies.
//! 6. Harm not serious, no harm, or abuse or neglect not suspected, with every answer that
//!    could still make it notifiable known → not notifiable, with the other routes offered.
//! 7. Anything else → undecided, listing the questions still open. An unknown answer never
//!    yields "not notifiable".

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::{Calendar, CalendarError};
use crate::field_error::FieldErrors;

/// Working days from becoming aware to notifying the national panel.
pub const NOTIFY_WITHIN_WORKING_DAYS: u32 = 5;

const STATUTE: &str = "Children Act 2004 s16C; Working Together to Safeguard Children 2023, chapter 5";
const KENT_HARM: &str = "Kent ICS guidance: isolated bruises or limb fractures are not normally serious unless accompanied by internal injuries or life-threatening or life-changing";
const CARE_LEAVER: &str = "Working Together to Safeguard Children 2023 (from January 2024): deaths of care leavers up to their 25th birthday";
const LOOKED_AFTER: &str = "Working Together to Safeguard Children 2023, chapter 5; KRSCP guidance: a looked after child has died";
const KIRKLEES: &str = "Kirklees serious incident process: a child in a regulated setting or service has died";
const KENT_PLACED: &str = "Kent ICS guidance: the placing local authority is invited to notify and confirm within 24 hours";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChildOutcome {
    Died,
    SeriouslyHarmed,
    HarmedNotSeriously,
    NoHarm,
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AbuseOrNeglect {
    Known,
    Suspected,
    NotSuspected,
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Location {
    InArea,
    OutsideEnglandResident,
    ElsewhereInEnglandResident,
    Unknown,
}

/// The indicators of serious harm (Working Together; the panel's guidance).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SeriousHarm {
    pub life_threatening: bool,
    pub life_changing: bool,
    pub long_term_impairment: bool,
}

/// The answers, exactly as the public API takes them. `None` means "not yet known".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThresholdAnswersInput {
    pub aware_on: Option<String>,
    pub outcome: Option<ChildOutcome>,
    #[serde(default)]
    pub serious_harm: Option<SeriousHarm>,
    pub abuse_or_neglect: Option<AbuseOrNeglect>,
    #[serde(default)]
    pub looked_after: Option<bool>,
    #[serde(default)]
    pub care_leaver: Option<bool>,
    #[serde(default)]
    pub regulated_setting: Option<bool>,
    #[serde(default)]
    pub placed_by_other_authority: Option<bool>,
    #[serde(default)]
    pub unexpected_death: Option<bool>,
    #[serde(default)]
    pub age_years: Option<u32>,
    pub location: Option<Location>,
    #[serde(default)]
    pub playbook: Option<String>,
}

/// The answers, parsed. Booleans stay optional: unknown is an answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThresholdAnswers {
    pub aware_on: NaiveDate,
    pub outcome: ChildOutcome,
    pub serious_harm: Option<SeriousHarm>,
    pub abuse_or_neglect: AbuseOrNeglect,
    pub looked_after: Option<bool>,
    pub care_leaver: Option<bool>,
    pub regulated_setting: Option<bool>,
    pub placed_by_other_authority: Option<bool>,
    pub unexpected_death: Option<bool>,
    pub age_years: Option<u32>,
    pub location: Location,
    pub playbook: String,
}

pub use crate::playbook::ThresholdOptions;

/// The preset playbook's threshold options; `None` for an unknown playbook.
pub fn options_for_playbook(id: &str) -> Option<ThresholdOptions> {
    crate::playbook::Playbook::preset(id).map(|p| p.threshold)
}

impl ThresholdAnswersInput {
    pub fn from_json(body: &serde_json::Value) -> Result<Self, FieldErrors> {
        crate::field_error::from_json(body, "the threshold answers")
    }

    pub fn parse(&self) -> Result<ThresholdAnswers, FieldErrors> {
        let mut e = FieldErrors::default();
        let aware_on = match crate::date_input::parse_iso_date(self.aware_on.as_deref().unwrap_or("")) {
            Ok(date) => Some(date),
            Err(problem) => {
                e.push("aware_on", problem.message("date the agency became aware"));
                None
            }
        };
        if self.outcome.is_none() {
            e.push("outcome", "Say what happened to the child, or unknown");
        }
        if self.abuse_or_neglect.is_none() {
            e.push("abuse_or_neglect", "Say whether abuse or neglect is known or suspected, or unknown");
        }
        if self.location.is_none() {
            e.push("location", "Say where it happened, or unknown");
        }
        if matches!(self.age_years, Some(age) if age > 30) {
            e.push("age_years", "Age must be 30 or under: the rules concern children and care leavers under 25");
        }
        let playbook = self.playbook.clone().unwrap_or_else(|| "national".into());
        if options_for_playbook(&playbook).is_none() {
            e.push("playbook", "Choose a playbook: national, krscp, llr, kent or kirklees");
        }
        match (aware_on, self.outcome, self.abuse_or_neglect, self.location) {
            (Some(aware_on), Some(outcome), Some(abuse_or_neglect), Some(location)) if e.is_empty() => Ok(ThresholdAnswers {
                aware_on,
                outcome,
                serious_harm: self.serious_harm,
                abuse_or_neglect,
                looked_after: self.looked_after,
                care_leaver: self.care_leaver,
                regulated_setting: self.regulated_setting,
                placed_by_other_authority: self.placed_by_other_authority,
                unexpected_death: self.unexpected_death,
                age_years: self.age_years,
                location,
                playbook,
            }),
            _ => Err(e),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThresholdOutcome {
    Notify,
    InformationOnly,
    OtherAuthorityNotifies,
    PlacingAuthorityInvited,
    NotNotifiable,
    Undecided,
}

impl ThresholdOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            ThresholdOutcome::Notify => "notify",
            ThresholdOutcome::InformationOnly => "information_only",
            ThresholdOutcome::OtherAuthorityNotifies => "other_authority_notifies",
            ThresholdOutcome::PlacingAuthorityInvited => "placing_authority_invited",
            ThresholdOutcome::NotNotifiable => "not_notifiable",
            ThresholdOutcome::Undecided => "undecided",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ThresholdOutcome::Notify => "Notify the national panel",
            ThresholdOutcome::InformationOnly => "Notify for information only",
            ThresholdOutcome::OtherAuthorityNotifies => "The authority where it happened notifies",
            ThresholdOutcome::PlacingAuthorityInvited => "Invite the placing authority to notify",
            ThresholdOutcome::NotNotifiable => "Not notifiable",
            ThresholdOutcome::Undecided => "Cannot decide yet",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Recipient {
    NationalPanel,
    Ofsted,
    Dfe,
    SecretaryOfState,
    ChildDeathReviewPartners,
    SafeguardingPartners,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    pub rule: String,
    pub text: String,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThresholdResult {
    pub outcome: ThresholdOutcome,
    pub rapid_review_required: Option<bool>,
    pub notify: Vec<Recipient>,
    pub due: Option<NaiveDate>,
    pub reasons: Vec<Reason>,
    pub open_questions: Vec<String>,
    pub prompts: Vec<String>,
    /// The nodes of the flowchart the answers passed through, for the app to draw.
    #[serde(skip_serializing, default)]
    pub path: Vec<String>,
}

struct Run {
    reasons: Vec<Reason>,
    open: Vec<String>,
    prompts: Vec<String>,
    path: Vec<String>,
}

impl Run {
    fn reason(&mut self, rule: &str, text: impl Into<String>, source: &str) {
        self.reasons.push(Reason { rule: rule.into(), text: text.into(), source: source.into() });
    }
    fn open(&mut self, field: &str) {
        if !self.open.iter().any(|f| f == field) {
            self.open.push(field.into());
        }
    }
    fn at(&mut self, node: &str) {
        self.path.push(node.into());
    }
}

/// Whether the harm counts as serious, or `None` when unknown.
fn serious(answers: &ThresholdAnswers, run: &mut Run) -> Option<bool> {
    match answers.outcome {
        ChildOutcome::Died => Some(true),
        ChildOutcome::SeriouslyHarmed => match answers.serious_harm {
            Some(h) if !(h.life_threatening || h.life_changing || h.long_term_impairment) => {
                run.reason(
                    "harm_not_serious",
                    "Seriously harmed was chosen, but none of the indicators of serious harm applies: treated as harm that is not serious",
                    KENT_HARM,
                );
                Some(false)
            }
            _ => Some(true),
        },
        ChildOutcome::HarmedNotSeriously | ChildOutcome::NoHarm => Some(false),
        ChildOutcome::Unknown => None,
    }
}

fn abuse(answers: &ThresholdAnswers) -> Option<bool> {
    match answers.abuse_or_neglect {
        AbuseOrNeglect::Known | AbuseOrNeglect::Suspected => Some(true),
        AbuseOrNeglect::NotSuspected => Some(false),
        AbuseOrNeglect::Unknown => None,
    }
}

/// The engine under the preset playbook the answers name (the public endpoint).
pub fn decide(answers: &ThresholdAnswers, calendar: &Calendar) -> Result<ThresholdResult, CalendarError> {
    decide_with(answers, options_for_playbook(&answers.playbook).unwrap_or_default(), calendar)
}

/// The engine under a partnership's own options, preset or edited.
pub fn decide_with(answers: &ThresholdAnswers, options: ThresholdOptions, calendar: &Calendar) -> Result<ThresholdResult, CalendarError> {
    let mut run = Run { reasons: Vec::new(), open: Vec::new(), prompts: Vec::new(), path: vec!["start".into()] };
    let died = answers.outcome == ChildOutcome::Died;
    let notify_by = calendar.working_days_after(answers.aware_on, NOTIFY_WITHIN_WORKING_DAYS)?;

    if died {
        match answers.unexpected_death {
            Some(true) => run.prompts.push(
                "Unexpected child death: a joint agency response is due within 72 hours (health-led), and the child death review partners must be told".into(),
            ),
            None => run.open("unexpected_death"),
            Some(false) => {}
        }
    }

    let finish = |outcome: ThresholdOutcome, rapid_review_required: Option<bool>, mut notify: Vec<Recipient>, due: Option<NaiveDate>, mut run: Run| {
        if died && matches!(outcome, ThresholdOutcome::Notify | ThresholdOutcome::PlacingAuthorityInvited) {
            notify.push(Recipient::ChildDeathReviewPartners);
        }
        notify.sort();
        notify.dedup();
        run.at(outcome.as_str());
        ThresholdResult {
            outcome,
            rapid_review_required,
            notify,
            due,
            reasons: run.reasons,
            open_questions: run.open,
            prompts: run.prompts,
            path: run.path,
        }
    };
    let review_if_abuse = |abuse: Option<bool>| abuse;

    // 1 and 2: age, and care leavers.
    run.at("age");
    let adult = matches!(answers.age_years, Some(age) if age >= 18);
    if died && answers.care_leaver == Some(true) {
        run.at("care_leaver_death");
        match answers.age_years {
            Some(age) if (18..25).contains(&age) => {
                run.reason(
                    "care_leaver_death",
                    format!("A care leaver aged {age} has died: the Secretary of State and Ofsted are told for information; there is no review"),
                    CARE_LEAVER,
                );
                return Ok(finish(
                    ThresholdOutcome::InformationOnly,
                    Some(false),
                    vec![Recipient::SecretaryOfState, Recipient::Ofsted],
                    Some(notify_by),
                    run,
                ));
            }
            None => run.open("age_years"),
            Some(_) => {}
        }
    }
    let may_have_died = died || answers.outcome == ChildOutcome::Unknown;
    if adult && may_have_died && answers.care_leaver != Some(false) && answers.age_years.is_some_and(|a| a < 25) {
        run.at("care_leaver_death");
        if !died {
            run.open("outcome");
        }
        if answers.care_leaver.is_none() {
            run.open("care_leaver");
        }
        run.reason(
            "undecided",
            "The person was 18 or over: if they were a care leaver under 25, the Secretary of State and Ofsted must be told",
            CARE_LEAVER,
        );
        return Ok(finish(ThresholdOutcome::Undecided, None, Vec::new(), Some(notify_by), run));
    }
    if adult {
        run.reason("not_a_child", "The person was 18 or over: the notification duty concerns children", STATUTE);
        run.prompts.push("Consider a safeguarding adults review or a domestic homicide review if the circumstances fit".into());
        return Ok(finish(ThresholdOutcome::NotNotifiable, Some(false), Vec::new(), None, run));
    }

    let abuse = abuse(&answers);
    // 3: looked-after child died.
    if died {
        run.at("looked_after_death");
        match answers.looked_after {
            Some(true) => {
                run.reason(
                    "looked_after_death",
                    "A looked after child has died: notify whatever is known about abuse or neglect",
                    LOOKED_AFTER,
                );
                let review = review_if_abuse(abuse);
                match review {
                    Some(true) => run.reason("rapid_review", "Abuse or neglect is known or suspected: a rapid review is required", STATUTE),
                    Some(false) => run.reason("no_rapid_review", "Abuse or neglect is not suspected: no rapid review is required", LOOKED_AFTER),
                    None => run.open("abuse_or_neglect"),
                }
                return Ok(finish(
                    ThresholdOutcome::Notify,
                    review,
                    vec![Recipient::NationalPanel, Recipient::SecretaryOfState, Recipient::Ofsted],
                    Some(notify_by),
                    run,
                ));
            }
            None => run.open("looked_after"),
            Some(false) => {}
        }
        // A care leaver's death (rule 2) needs the age; without it, it cannot be ruled out.
        if answers.care_leaver != Some(false) && answers.age_years.is_none() {
            run.open("age_years");
            if answers.care_leaver.is_none() {
                run.open("care_leaver");
            }
        }
        // 4: regulated setting (Kirklees).
        if options.regulated_setting_death_notifiable {
            run.at("regulated_setting_death");
            match answers.regulated_setting {
                Some(true) => {
                    run.reason(
                        "regulated_setting_death",
                        "A child in a regulated setting or service has died: notifiable to the partnership whatever is known about abuse or neglect",
                        KIRKLEES,
                    );
                    if abuse.is_none() {
                        run.open("abuse_or_neglect");
                    }
                    return Ok(finish(
                        ThresholdOutcome::Notify,
                        abuse,
                        vec![Recipient::SafeguardingPartners, Recipient::Ofsted],
                        Some(notify_by),
                        run,
                    ));
                }
                None => run.open("regulated_setting"),
                Some(false) => {}
            }
        }
    }

    // 5: the statutory definition.
    run.at("harm");
    let serious = serious(answers, &mut run);
    if serious.is_none() {
        run.open("outcome");
    }
    if serious == Some(true) {
        run.at("abuse");
    }
    if abuse.is_none() && serious != Some(false) {
        run.open("abuse_or_neglect");
    }
    if serious == Some(true) && abuse == Some(true) {
        let what = if died { "The child has died" } else { "The child has been seriously harmed" };
        run.reason("serious_child_safeguarding_case", format!("{what} and abuse or neglect is known or suspected"), STATUTE);
        run.at("location");
        match answers.location {
            Location::InArea | Location::OutsideEnglandResident => {
                if answers.location == Location::OutsideEnglandResident {
                    run.reason(
                        "outside_england",
                        "It happened outside England to a child normally resident here: this authority notifies",
                        STATUTE,
                    );
                }
                run.reason(
                    "notify_within_5_working_days",
                    format!("Notify the national panel within {NOTIFY_WITHIN_WORKING_DAYS} working days of becoming aware: by {}", notify_by.format("%-d %B %Y")),
                    STATUTE,
                );
                let recipients = vec![Recipient::NationalPanel, Recipient::Ofsted, Recipient::Dfe, Recipient::SafeguardingPartners];
                if options.placing_authority_invited {
                    run.at("placing_authority");
                    match answers.placed_by_other_authority {
                        Some(true) => {
                            run.reason(
                                "placing_authority_invited",
                                "The child was placed here by another local authority: invite it to notify and to confirm within 24 hours; if it does not confirm, this authority notifies",
                                KENT_PLACED,
                            );
                            run.prompts.push("Ask the placing authority to confirm within 24 hours that it has notified".into());
                            return Ok(finish(ThresholdOutcome::PlacingAuthorityInvited, Some(true), recipients, Some(notify_by), run));
                        }
                        None => run.open("placed_by_other_authority"),
                        Some(false) => {}
                    }
                }
                run.reason("rapid_review", "A rapid review is required", STATUTE);
                return Ok(finish(ThresholdOutcome::Notify, Some(true), recipients, Some(notify_by), run));
            }
            Location::ElsewhereInEnglandResident => {
                run.reason(
                    "other_authority_notifies",
                    "It happened elsewhere in England: the local authority where it happened notifies; this partnership may lead the rapid review",
                    STATUTE,
                );
                run.prompts.push("Contact the authority where it happened and agree who leads the rapid review".into());
                return Ok(finish(ThresholdOutcome::OtherAuthorityNotifies, Some(true), Vec::new(), None, run));
            }
            Location::Unknown => run.open("location"),
        }
    }

    // 6: not notifiable, only when nothing unknown could still make it notifiable.
    let definition_fails = serious == Some(false) || abuse == Some(false);
    let could_still_notify = run.open.iter().any(|f| f != "unexpected_death");
    if definition_fails && !could_still_notify {
        if serious == Some(false) && !run.reasons.iter().any(|r| r.rule == "harm_not_serious") {
            run.reason("harm_not_serious", "The harm is not serious", KENT_HARM);
        }
        if abuse == Some(false) {
            run.reason("abuse_not_suspected", "Abuse or neglect is neither known nor suspected", STATUTE);
        }
        run.prompts.push("Offer the non-notified referral route to the case review group, single-agency learning or an internal review".into());
        return Ok(finish(ThresholdOutcome::NotNotifiable, Some(false), Vec::new(), None, run));
    }

    // 7: cannot decide yet.
    run.reason(
        "undecided",
        format!("Some answers are not known yet; the decision is still due within {NOTIFY_WITHIN_WORKING_DAYS} working days of becoming aware"),
        STATUTE,
    );
    run.open.retain(|f| f != "unexpected_death");
    if died && answers.unexpected_death.is_none() {
        run.open.push("unexpected_death".into());
    }
    Ok(finish(ThresholdOutcome::Undecided, None, Vec::new(), Some(notify_by), run))
}

/// The people's decision on a case: the engine's answers, what they decided,
/// and why. Confirming the engine needs no rationale; overriding it does.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ThresholdDecisionInput {
    pub answers: Option<serde_json::Value>,
    pub outcome: Option<ThresholdOutcome>,
    pub rationale: Option<String>,
    /// When the people decided (blank: today), for a decision recorded after the meeting.
    pub decided_on: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThresholdDecision {
    pub answers: ThresholdAnswers,
    pub engine: ThresholdResult,
    pub outcome: ThresholdOutcome,
    pub overrides_engine: bool,
    pub rationale: String,
    pub decided_on: NaiveDate,
}

pub const RATIONALE_MIN_CHARS: usize = 20;

impl ThresholdDecisionInput {
    /// Parses the decision for a case whose agency became aware on `aware_on`
    /// and whose partnership's playbook adopts `options`; the engine runs here too.
    pub fn parse(&self, aware_on: NaiveDate, options: ThresholdOptions, calendar: &Calendar, today: NaiveDate) -> Result<ThresholdDecision, FieldErrors> {
        let mut e = FieldErrors::default();
        let decided_on = crate::form_input::past_date(&mut e, "decided_on", "date of the decision", &self.decided_on, today, false).unwrap_or(today);
        if decided_on < aware_on {
            e.push("decided_on", "The decision cannot come before the agency became aware");
        }
        let mut answers_json = self.answers.clone().unwrap_or_else(|| serde_json::json!({}));
        if let Some(object) = answers_json.as_object_mut() {
            object.insert("aware_on".into(), aware_on.to_string().into());
            // The partnership's own options decide, not a preset named by the client.
            object.remove("playbook");
        }
        let answers = ThresholdAnswersInput::from_json(&answers_json)
            .and_then(|input| input.parse())
            .map_err(|errors| FieldErrors(errors.0.into_iter().map(|f| crate::FieldError::new(format!("answers.{}", f.field), f.message)).collect()));
        let answers = match answers {
            Ok(a) => Some(a),
            Err(errors) => {
                e.0.extend(errors.0);
                None
            }
        };
        let engine = answers.as_ref().map(|a| decide_with(a, options, calendar));
        let engine = match engine {
            Some(Ok(r)) => Some(r),
            Some(Err(error)) => {
                e.push("answers.aware_on", error.to_string());
                None
            }
            None => None,
        };
        match self.outcome {
            None => e.push("outcome", "Say what was decided"),
            Some(ThresholdOutcome::Undecided) => e.push("outcome", "A decision cannot be undecided: record it when the open questions are answered"),
            Some(_) => {}
        }
        let rationale = self.rationale.as_deref().unwrap_or("").trim().to_string();
        let overrides = matches!((&engine, self.outcome), (Some(r), Some(o)) if r.outcome != o);
        if overrides && rationale.chars().count() < RATIONALE_MIN_CHARS {
            e.push("rationale", format!("The decision differs from the engine's: explain why in at least {RATIONALE_MIN_CHARS} characters"));
        }
        if rationale.chars().count() > 5000 {
            e.push("rationale", "The rationale must be 5000 characters or fewer");
        }
        match (answers, engine, self.outcome) {
            (Some(answers), Some(engine), Some(outcome)) if e.is_empty() => {
                Ok(ThresholdDecision { answers, engine, outcome, overrides_engine: overrides, rationale, decided_on })
            }
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn answers() -> ThresholdAnswers {
        ThresholdAnswers {
            aware_on: d(2026, 12, 24),
            outcome: ChildOutcome::SeriouslyHarmed,
            serious_harm: None,
            abuse_or_neglect: AbuseOrNeglect::Suspected,
            looked_after: Some(false),
            care_leaver: Some(false),
            regulated_setting: Some(false),
            placed_by_other_authority: Some(false),
            unexpected_death: None,
            age_years: Some(4),
            location: Location::InArea,
            playbook: "national".into(),
        }
    }

    fn run(a: &ThresholdAnswers) -> ThresholdResult {
        decide(a, Calendar::england_and_wales()).unwrap()
    }

    fn rules(r: &ThresholdResult) -> Vec<&str> {
        r.reasons.iter().map(|r| r.rule.as_str()).collect()
    }

    #[test]
    fn serious_harm_with_abuse_suspected_in_area_is_notified_within_5_working_days() {
        let r = run(&answers());
        assert_eq!(r.outcome, ThresholdOutcome::Notify);
        assert_eq!(r.rapid_review_required, Some(true));
        assert_eq!(r.due, Some(d(2027, 1, 5)));
        assert_eq!(r.notify, vec![Recipient::NationalPanel, Recipient::Ofsted, Recipient::Dfe, Recipient::SafeguardingPartners]);
        assert!(rules(&r).contains(&"serious_child_safeguarding_case"));
        assert!(r.reasons.iter().all(|reason| !reason.source.is_empty()));
        assert_eq!(r.path.last().map(String::as_str), Some("notify"));
    }

    #[test]
    fn a_death_adds_the_child_death_review_partners_and_prompts_a_joint_response_when_unexpected() {
        let r = run(&ThresholdAnswers { outcome: ChildOutcome::Died, unexpected_death: Some(true), ..answers() });
        assert_eq!(r.outcome, ThresholdOutcome::Notify);
        assert!(r.notify.contains(&Recipient::ChildDeathReviewPartners));
        assert!(r.prompts.iter().any(|p| p.contains("72 hours")));
        let r = run(&ThresholdAnswers { outcome: ChildOutcome::Died, unexpected_death: None, ..answers() });
        assert_eq!(r.open_questions, vec!["unexpected_death"]);
    }

    #[test]
    fn outside_england_while_resident_here_is_notified_here() {
        let r = run(&ThresholdAnswers { location: Location::OutsideEnglandResident, ..answers() });
        assert_eq!(r.outcome, ThresholdOutcome::Notify);
        assert!(rules(&r).contains(&"outside_england"));
    }

    #[test]
    fn elsewhere_in_england_the_other_authority_notifies() {
        let r = run(&ThresholdAnswers { location: Location::ElsewhereInEnglandResident, ..answers() });
        assert_eq!(r.outcome, ThresholdOutcome::OtherAuthorityNotifies);
        assert!(r.notify.is_empty());
        assert_eq!(r.due, None);
        assert!(r.prompts[0].contains("leads the rapid review"));
    }

    #[test]
    fn a_looked_after_childs_death_is_notified_whatever_is_known_of_abuse() {
        let base = ThresholdAnswers { outcome: ChildOutcome::Died, looked_after: Some(true), unexpected_death: Some(false), ..answers() };
        let r = run(&ThresholdAnswers { abuse_or_neglect: AbuseOrNeglect::NotSuspected, ..base.clone() });
        assert_eq!(r.outcome, ThresholdOutcome::Notify);
        assert_eq!(r.rapid_review_required, Some(false));
        assert_eq!(r.notify, vec![Recipient::NationalPanel, Recipient::Ofsted, Recipient::SecretaryOfState, Recipient::ChildDeathReviewPartners]);
        let r = run(&ThresholdAnswers { abuse_or_neglect: AbuseOrNeglect::Unknown, ..base.clone() });
        assert_eq!(r.outcome, ThresholdOutcome::Notify);
        assert_eq!(r.rapid_review_required, None);
        assert_eq!(r.open_questions, vec!["abuse_or_neglect"]);
        let r = run(&ThresholdAnswers { abuse_or_neglect: AbuseOrNeglect::Known, ..base });
        assert_eq!(r.rapid_review_required, Some(true));
    }

    #[test]
    fn a_care_leavers_death_before_25_is_for_information_only() {
        let r = run(&ThresholdAnswers { outcome: ChildOutcome::Died, care_leaver: Some(true), age_years: Some(21), abuse_or_neglect: AbuseOrNeglect::NotSuspected, unexpected_death: Some(false), ..answers() });
        assert_eq!(r.outcome, ThresholdOutcome::InformationOnly);
        assert_eq!(r.notify, vec![Recipient::Ofsted, Recipient::SecretaryOfState]);
        assert_eq!(r.rapid_review_required, Some(false));
        let r = run(&ThresholdAnswers { outcome: ChildOutcome::Died, care_leaver: Some(true), age_years: Some(25), unexpected_death: Some(false), ..answers() });
        assert_eq!(r.outcome, ThresholdOutcome::NotNotifiable, "from the 25th birthday the rule no longer applies");
        let r = run(&ThresholdAnswers { outcome: ChildOutcome::Died, care_leaver: Some(true), age_years: None, abuse_or_neglect: AbuseOrNeglect::NotSuspected, unexpected_death: Some(false), ..answers() });
        assert_eq!(r.outcome, ThresholdOutcome::Undecided);
        assert!(r.open_questions.contains(&"age_years".to_string()));
    }

    #[test]
    fn adults_are_not_children() {
        let r = run(&ThresholdAnswers { age_years: Some(18), ..answers() });
        assert_eq!(r.outcome, ThresholdOutcome::NotNotifiable);
        assert!(rules(&r).contains(&"not_a_child"));
        // Found by the property test: a death at 18 to 24 may be a care leaver's.
        let r = run(&ThresholdAnswers { age_years: Some(18), outcome: ChildOutcome::Died, care_leaver: None, ..answers() });
        assert_eq!(r.outcome, ThresholdOutcome::Undecided);
        assert!(r.open_questions.contains(&"care_leaver".to_string()));
    }

    #[test]
    fn kirklees_regulated_setting_deaths_are_notifiable_to_the_partnership() {
        let base = ThresholdAnswers { outcome: ChildOutcome::Died, regulated_setting: Some(true), abuse_or_neglect: AbuseOrNeglect::NotSuspected, unexpected_death: Some(false), ..answers() };
        let r = run(&ThresholdAnswers { playbook: "kirklees".into(), ..base.clone() });
        assert_eq!(r.outcome, ThresholdOutcome::Notify);
        assert!(rules(&r).contains(&"regulated_setting_death"));
        assert_eq!(r.rapid_review_required, Some(false));
        let r = run(&base);
        assert_eq!(r.outcome, ThresholdOutcome::NotNotifiable, "not a rule of the national playbook");
    }

    #[test]
    fn kent_invites_the_placing_authority() {
        let base = ThresholdAnswers { placed_by_other_authority: Some(true), ..answers() };
        let r = run(&ThresholdAnswers { playbook: "kent".into(), ..base.clone() });
        assert_eq!(r.outcome, ThresholdOutcome::PlacingAuthorityInvited);
        assert!(r.prompts.iter().any(|p| p.contains("24 hours")));
        assert_eq!(run(&base).outcome, ThresholdOutcome::Notify);
        let r = run(&ThresholdAnswers { playbook: "kent".into(), placed_by_other_authority: None, ..answers() });
        assert_eq!(r.outcome, ThresholdOutcome::Notify);
        assert_eq!(r.open_questions, vec!["placed_by_other_authority"]);
    }

    #[test]
    fn harm_that_is_not_serious_or_no_abuse_is_not_notifiable_with_other_routes_offered() {
        let r = run(&ThresholdAnswers { outcome: ChildOutcome::HarmedNotSeriously, ..answers() });
        assert_eq!(r.outcome, ThresholdOutcome::NotNotifiable);
        assert!(r.prompts[0].contains("non-notified referral route"));
        let r = run(&ThresholdAnswers { abuse_or_neglect: AbuseOrNeglect::NotSuspected, ..answers() });
        assert_eq!(r.outcome, ThresholdOutcome::NotNotifiable);
        assert!(rules(&r).contains(&"abuse_not_suspected"));
        // Seriously harmed, but no indicator applies (Kent: an isolated limb fracture).
        let r = run(&ThresholdAnswers { serious_harm: Some(SeriousHarm::default()), ..answers() });
        assert_eq!(r.outcome, ThresholdOutcome::NotNotifiable);
        assert!(r.reasons[0].source.starts_with("Kent"));
        let r = run(&ThresholdAnswers { serious_harm: Some(SeriousHarm { long_term_impairment: true, ..Default::default() }), ..answers() });
        assert_eq!(r.outcome, ThresholdOutcome::Notify);
    }

    #[test]
    fn unknowns_give_undecided_with_the_open_questions() {
        let r = run(&ThresholdAnswers { abuse_or_neglect: AbuseOrNeglect::Unknown, ..answers() });
        assert_eq!(r.outcome, ThresholdOutcome::Undecided);
        assert_eq!(r.open_questions, vec!["abuse_or_neglect"]);
        assert_eq!(r.due, Some(d(2027, 1, 5)), "the decision is still due within 5 working days");
        assert_eq!(r.rapid_review_required, None);
        let r = run(&ThresholdAnswers { location: Location::Unknown, ..answers() });
        assert_eq!((r.outcome, r.open_questions.clone()), (ThresholdOutcome::Undecided, vec!["location".to_string()]));
        // A death with abuse not suspected can still be notifiable if the child was looked after.
        let r = run(&ThresholdAnswers { outcome: ChildOutcome::Died, abuse_or_neglect: AbuseOrNeglect::NotSuspected, looked_after: None, unexpected_death: Some(false), ..answers() });
        assert_eq!(r.outcome, ThresholdOutcome::Undecided);
        assert_eq!(r.open_questions, vec!["looked_after"]);
    }

    #[test]
    fn answers_are_parsed_with_named_errors() {
        let input = ThresholdAnswersInput::from_json(&serde_json::json!({
            "aware_on": "2026-12-24", "outcome": "died", "abuse_or_neglect": "suspected", "location": "in_area",
            "unexpected_death": null, "age_years": 3
        })).unwrap();
        assert_eq!(input.parse().unwrap().playbook, "national");
        let e = ThresholdAnswersInput::from_json(&serde_json::json!({"aware_on": "2026-12-24", "outcome": "dead"})).unwrap_err();
        assert_eq!(e.0[0].field, "outcome");
        let e = ThresholdAnswersInput::from_json(&serde_json::json!({})).unwrap().parse().unwrap_err();
        let named: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(named, vec!["aware_on", "outcome", "abuse_or_neglect", "location"]);
        let e = ThresholdAnswersInput::from_json(&serde_json::json!({"aware_on": "2026-12-24", "outcome": "died", "abuse_or_neglect": "known", "location": "in_area", "playbook": "mars"})).unwrap().parse().unwrap_err();
        assert_eq!(e.0[0].field, "playbook");
    }

    #[test]
    fn a_decision_that_overrides_the_engine_needs_a_rationale() {
        let answers = serde_json::json!({"outcome": "seriously_harmed", "abuse_or_neglect": "suspected", "location": "in_area", "age_years": 4});
        let input = ThresholdDecisionInput { answers: Some(answers.clone()), outcome: Some(ThresholdOutcome::Notify), rationale: None, decided_on: None };
        let decision = input.parse(d(2026, 12, 24), ThresholdOptions::default(), Calendar::england_and_wales(), d(2026, 12, 24)).unwrap();
        assert!(!decision.overrides_engine);
        assert_eq!(decision.engine.due, Some(d(2027, 1, 5)));

        let input = ThresholdDecisionInput { answers: Some(answers.clone()), outcome: Some(ThresholdOutcome::NotNotifiable), rationale: Some("no".into()), decided_on: None };
        let e = input.parse(d(2026, 12, 24), ThresholdOptions::default(), Calendar::england_and_wales(), d(2026, 12, 24)).unwrap_err();
        assert_eq!(e.0[0].field, "rationale");
        let input = ThresholdDecisionInput { answers: Some(answers), outcome: Some(ThresholdOutcome::NotNotifiable), rationale: Some("The injury was accidental: confirmed by the paediatric assessment".into()), decided_on: None };
        assert!(input.parse(d(2026, 12, 24), ThresholdOptions::default(), Calendar::england_and_wales(), d(2026, 12, 24)).unwrap().overrides_engine);

        let e = ThresholdDecisionInput { answers: Some(serde_json::json!({"outcome": "dead"})), outcome: Some(ThresholdOutcome::Undecided), rationale: None, decided_on: None }
            .parse(d(2026, 12, 24), ThresholdOptions::default(), Calendar::england_and_wales(), d(2026, 12, 24))
            .unwrap_err();
        let named: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(named, vec!["answers.outcome", "outcome"]);
    }

    #[test]
    fn an_edited_playbooks_own_options_decide() {
        // A Kent copy saved under the partnership's own id keeps the Kent rule.
        let answers = serde_json::json!({"outcome": "seriously_harmed", "abuse_or_neglect": "suspected", "location": "in_area",
            "looked_after": false, "placed_by_other_authority": true, "age_years": 4, "playbook": "national"});
        let kent = ThresholdOptions { placing_authority_invited: true, ..Default::default() };
        let input = ThresholdDecisionInput { answers: Some(answers), outcome: Some(ThresholdOutcome::PlacingAuthorityInvited), rationale: None, decided_on: None };
        let decision = input.parse(d(2026, 12, 24), kent, Calendar::england_and_wales(), d(2026, 12, 24)).unwrap();
        assert_eq!(decision.engine.outcome, ThresholdOutcome::PlacingAuthorityInvited);
        assert!(!decision.overrides_engine);
        let national = input.parse(d(2026, 12, 24), ThresholdOptions::default(), Calendar::england_and_wales(), d(2026, 12, 24)).unwrap_err();
        assert_eq!(national.0[0].field, "rationale", "without the Kent rule this overrides the engine");
    }

    #[test]
    fn the_json_contract_is_exact() {
        let json = serde_json::to_value(run(&answers())).unwrap();
        let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
        assert_eq!(keys, vec!["due", "notify", "open_questions", "outcome", "prompts", "rapid_review_required", "reasons"]);
        assert_eq!(json["outcome"], "notify");
        assert_eq!(json["due"], "2027-01-05");
        assert_eq!(json["notify"][0], "national_panel");
        assert!(json["reasons"][0].get("rule").is_some() && json["reasons"][0].get("source").is_some());
    }

    fn outcome() -> impl Strategy<Value = ChildOutcome> {
        prop_oneof![Just(ChildOutcome::Died), Just(ChildOutcome::SeriouslyHarmed), Just(ChildOutcome::HarmedNotSeriously), Just(ChildOutcome::NoHarm), Just(ChildOutcome::Unknown)]
    }
    fn abuse_answer() -> impl Strategy<Value = AbuseOrNeglect> {
        prop_oneof![Just(AbuseOrNeglect::Known), Just(AbuseOrNeglect::Suspected), Just(AbuseOrNeglect::NotSuspected), Just(AbuseOrNeglect::Unknown)]
    }
    fn location() -> impl Strategy<Value = Location> {
        prop_oneof![Just(Location::InArea), Just(Location::OutsideEnglandResident), Just(Location::ElsewhereInEnglandResident), Just(Location::Unknown)]
    }
    fn answers_strategy() -> impl Strategy<Value = ThresholdAnswers> {
        (
            outcome(),
            proptest::option::of(any::<(bool, bool, bool)>()),
            abuse_answer(),
            proptest::option::of(any::<bool>()),
            proptest::option::of(any::<bool>()),
            proptest::option::of(any::<bool>()),
            proptest::option::of(any::<bool>()),
            proptest::option::of(any::<bool>()),
            proptest::option::of(0u32..30),
            location(),
            prop_oneof![Just("national"), Just("krscp"), Just("llr"), Just("kent"), Just("kirklees")],
        )
            .prop_map(|(outcome, harm, abuse, la, cl, rs, placed, unexpected, age, location, playbook)| ThresholdAnswers {
                aware_on: d(2026, 11, 24),
                outcome,
                serious_harm: harm.map(|(a, b, c)| SeriousHarm { life_threatening: a, life_changing: b, long_term_impairment: c }),
                abuse_or_neglect: abuse,
                looked_after: la,
                care_leaver: cl,
                regulated_setting: rs,
                placed_by_other_authority: placed,
                unexpected_death: unexpected,
                age_years: age,
                location,
                playbook: playbook.into(),
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]

        /// Filling in any unknown answer can never turn "not notifiable" into
        /// something else: so an unknown answer can never be what made a case
        /// not notifiable.
        #[test]
        fn not_notifiable_never_rests_on_an_unknown(a in answers_strategy()) {
            let r = run(&a);
            if r.outcome == ThresholdOutcome::NotNotifiable {
                prop_assert!(r.open_questions.iter().all(|q| q == "unexpected_death"), "open: {:?}", r.open_questions);
                let worst = ThresholdAnswers {
                    outcome: if a.outcome == ChildOutcome::Unknown { ChildOutcome::Died } else { a.outcome },
                    abuse_or_neglect: if a.abuse_or_neglect == AbuseOrNeglect::Unknown { AbuseOrNeglect::Known } else { a.abuse_or_neglect },
                    looked_after: a.looked_after.or(Some(true)),
                    care_leaver: a.care_leaver.or(Some(true)),
                    regulated_setting: a.regulated_setting.or(Some(true)),
                    placed_by_other_authority: a.placed_by_other_authority.or(Some(false)),
                    location: if a.location == Location::Unknown { Location::InArea } else { a.location },
                    ..a.clone()
                };
                prop_assert_eq!(run(&worst).outcome, ThresholdOutcome::NotNotifiable);
            }
        }

        #[test]
        fn every_result_is_explained(a in answers_strategy()) {
            let r = run(&a);
            prop_assert!(!r.reasons.is_empty());
            prop_assert!(r.reasons.iter().all(|reason| !reason.source.is_empty() && !reason.text.is_empty()));
            prop_assert_eq!(r.outcome == ThresholdOutcome::Undecided, r.rapid_review_required.is_none() && r.outcome == ThresholdOutcome::Undecided);
            if matches!(r.outcome, ThresholdOutcome::Notify | ThresholdOutcome::PlacingAuthorityInvited | ThresholdOutcome::InformationOnly) {
                prop_assert!(!r.notify.is_empty());
                prop_assert!(r.due.is_some());
            }
        }
    }
}
