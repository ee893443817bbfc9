//! A partnership's playbook: the steps of the process, each with the event it
//! is counted from, the offset and unit, who is responsible, whether it is a
//! statutory duty, and where the figure comes from. Playbooks are data: a
//! partnership copies a preset and edits it as JSON.

use serde::{Deserialize, Serialize};

use crate::access::Role;
use crate::calendar::Unit;
use crate::field_error::FieldErrors;
use crate::threshold::ThresholdOptions;

/// Events on a case's timeline that steps are counted from or completed by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// The referrer's agency became aware of the incident.
    Aware,
    IncidentKnown,
    ReferralReceived,
    PartnershipManagerInformed,
    ThresholdDecided,
    EscalatedToLeadership,
    Notified,
    PlacingAuthorityConfirmed,
    InformationRequested,
    InformationReturned,
    MeetingScheduled,
    PapersSent,
    MeetingHeld,
    RapidReviewSubmitted,
    PanelResponseReceived,
    PanelResponseMeetingHeld,
    ReferralDiscussed,
    OutcomeDecided,
    ReviewDecided,
    TermsOfReferenceAgreed,
    ReviewerAppointed,
    DraftReceived,
    SubgroupApproved,
    ExecutiveApproved,
    PublicationPlanned,
    ReportSentToPanel,
    Published,
    ActionsAgreed,
    ActionsCompleted,
    Closed,
}

impl Event {
    pub const ALL: [Event; 30] = [
        Event::Aware,
        Event::IncidentKnown,
        Event::ReferralReceived,
        Event::PartnershipManagerInformed,
        Event::ThresholdDecided,
        Event::EscalatedToLeadership,
        Event::Notified,
        Event::PlacingAuthorityConfirmed,
        Event::InformationRequested,
        Event::InformationReturned,
        Event::MeetingScheduled,
        Event::PapersSent,
        Event::MeetingHeld,
        Event::RapidReviewSubmitted,
        Event::PanelResponseReceived,
        Event::PanelResponseMeetingHeld,
        Event::ReferralDiscussed,
        Event::OutcomeDecided,
        Event::ReviewDecided,
        Event::TermsOfReferenceAgreed,
        Event::ReviewerAppointed,
        Event::DraftReceived,
        Event::SubgroupApproved,
        Event::ExecutiveApproved,
        Event::PublicationPlanned,
        Event::ReportSentToPanel,
        Event::Published,
        Event::ActionsAgreed,
        Event::ActionsCompleted,
        Event::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        EVENT_NAMES[Event::ALL.iter().position(|e| *e == self).expect("every event is in ALL")]
    }

    pub fn parse(raw: &str) -> Option<Event> {
        EVENT_NAMES.iter().position(|n| *n == raw).map(|i| Event::ALL[i])
    }
}

const EVENT_NAMES: [&str; 30] = [
    "aware",
    "incident_known",
    "referral_received",
    "partnership_manager_informed",
    "threshold_decided",
    "escalated_to_leadership",
    "notified",
    "placing_authority_confirmed",
    "information_requested",
    "information_returned",
    "meeting_scheduled",
    "papers_sent",
    "meeting_held",
    "rapid_review_submitted",
    "panel_response_received",
    "panel_response_meeting_held",
    "referral_discussed",
    "outcome_decided",
    "review_decided",
    "terms_of_reference_agreed",
    "reviewer_appointed",
    "draft_received",
    "subgroup_approved",
    "executive_approved",
    "publication_planned",
    "report_sent_to_panel",
    "published",
    "actions_agreed",
    "actions_completed",
    "closed",
];

/// How a step's offset is counted: any calendar unit, or exact hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepUnit {
    WorkingDaysAfter,
    WorkingDaysBefore,
    DayNumber,
    CalendarDays,
    Weeks,
    Months,
    Hours,
}

impl StepUnit {
    pub fn calendar_unit(self) -> Option<Unit> {
        Some(match self {
            StepUnit::WorkingDaysAfter => Unit::WorkingDaysAfter,
            StepUnit::WorkingDaysBefore => Unit::WorkingDaysBefore,
            StepUnit::DayNumber => Unit::DayNumber,
            StepUnit::CalendarDays => Unit::CalendarDays,
            StepUnit::Weeks => Unit::Weeks,
            StepUnit::Months => Unit::Months,
            StepUnit::Hours => return None,
        })
    }

    /// "5 working days after", "7 working days before", "by Day 14", "6 months after".
    pub fn describe(self, n: u32) -> String {
        match self {
            StepUnit::WorkingDaysAfter => format!("{n} working days after"),
            StepUnit::WorkingDaysBefore => format!("{n} working days before"),
            StepUnit::DayNumber => format!("by Day {n} from"),
            StepUnit::CalendarDays => format!("{n} days after"),
            StepUnit::Weeks => format!("{n} weeks after"),
            StepUnit::Months => format!("{n} months after"),
            StepUnit::Hours => format!("{n} hours after"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub key: String,
    pub name: String,
    /// The event the offset is counted from.
    pub anchor: Event,
    pub offset: u32,
    pub unit: StepUnit,
    /// The event that completes the step.
    pub done_by: Event,
    pub owner: Role,
    pub statutory: bool,
    /// Where the figure comes from.
    pub source: String,
}

/// Who must be present for a rapid review meeting to be quorate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "rule")]
pub enum QuorumRule {
    /// A decision maker from each of the three safeguarding partners (Kent).
    AllThreePartners,
    /// At least `representatives` partner-agency representatives, including at
    /// least `partners` of the three safeguarding partners (LLR: 3 and 2).
    Representatives { representatives: u32, partners: u32 },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Playbook {
    pub id: String,
    pub name: String,
    pub steps: Vec<Step>,
    pub quorum: QuorumRule,
    #[serde(default)]
    pub threshold: ThresholdOptions,
}

fn step(key: &str, name: &str, anchor: Event, offset: u32, unit: StepUnit, done_by: Event, owner: Role, statutory: bool, source: &str) -> Step {
    Step { key: key.into(), name: name.into(), anchor, offset, unit, done_by, owner, statutory, source: source.into() }
}

/// The statutory minimum every partnership must meet.
fn statutory_steps() -> Vec<Step> {
    use Event::*;
    use StepUnit::*;
    vec![
        step("notify_panel", "Notify the national panel", Aware, 5, WorkingDaysAfter, Notified, Role::PartnershipTeam, true,
            "Children Act 2004 s16C; Working Together 2023: within 5 working days of becoming aware"),
        step("submit_rapid_review", "Submit the rapid review to the national panel", Notified, 15, WorkingDaysAfter, RapidReviewSubmitted, Role::PartnershipTeam, true,
            "Working Together 2023; SPEC.md: within 15 working days of the notification being sent"),
        step("panel_response", "National panel responds", RapidReviewSubmitted, 15, WorkingDaysAfter, PanelResponseReceived, Role::PartnershipTeam, false,
            "Child Safeguarding Practice Review Panel: aims to reply within 15 working days of submission"),
        step("publish_lcspr", "Publish the local child safeguarding practice review", ReviewDecided, 6, Months, Published, Role::PartnershipTeam, true,
            "Working Together 2023: publication within 6 months of the decision to review"),
        step("report_to_panel", "Send the final report to the national panel, Ofsted and DfE", PublicationPlanned, 7, WorkingDaysBefore, ReportSentToPanel, Role::PartnershipTeam, true,
            "Working Together 2023: at least 7 working days before publication"),
    ]
}

impl Playbook {
    pub const PRESETS: [&'static str; 5] = ["national", "krscp", "llr", "kent", "kirklees"];

    pub fn preset(id: &str) -> Option<Playbook> {
        use Event::*;
        use StepUnit::*;
        let mut steps = statutory_steps();
        let (name, quorum, threshold) = match id {
            "national" => (
                "National statutory minimum",
                QuorumRule::Representatives { representatives: 3, partners: 3 },
                ThresholdOptions::default(),
            ),
            "krscp" => {
                // Seed: krscp-guidance.txt, "Notification" and "Rapid review".
                let krscp = "KRSCP guidance for the review of serious child safeguarding cases";
                steps.extend([
                    step("inform_partnership_manager", "Tell the partnership manager", ThresholdDecided, 0, CalendarDays, PartnershipManagerInformed, Role::PartnershipTeam, false,
                        &format!("{krscp}: the partnership manager is told the same day")),
                    step("escalate_disagreement", "Escalate a disagreement about notifying to the SLG", ReferralReceived, 5, WorkingDaysAfter, ThresholdDecided, Role::PartnershipTeam, false,
                        &format!("{krscp}: disagreement escalated to the SLG urgently, within 5 working days")),
                    step("chronologies_returned", "Agencies return chronologies", InformationRequested, 5, WorkingDaysAfter, InformationReturned, Role::AgencyLead, false,
                        &format!("{krscp}: chronologies returned within 5 working days")),
                    step("rapid_review_meeting", "Hold the rapid review meeting", Notified, 10, WorkingDaysAfter, MeetingHeld, Role::PartnershipTeam, false,
                        &format!("{krscp}: meeting 10 working days from the notification")),
                    step("papers_out", "Share chronologies with attendees", MeetingScheduled, 5, WorkingDaysBefore, PapersSent, Role::PartnershipTeam, false,
                        &format!("{krscp}: chronologies shared 5 working days before the meeting")),
                ]);
                ("Kingston and Richmond (KRSCP)", QuorumRule::Representatives { representatives: 3, partners: 3 }, ThresholdOptions::default())
            }
            "llr" => {
                // Seed: llr-lcspr-framework.txt, sections 3, 4 and 10.
                let llr = "LLR LCSPR framework";
                steps.extend([
                    step("information_requests_sent", "Send information requests to agencies", ReferralReceived, 2, WorkingDaysAfter, InformationRequested, Role::PartnershipTeam, false,
                        &format!("{llr} 4.3.3: within 2 working days of receiving the referral")),
                    step("rapid_review_meeting_earliest", "Rapid review meeting, not before", Notified, 7, WorkingDaysAfter, MeetingHeld, Role::PartnershipTeam, false,
                        &format!("{llr} 4.4.2: between 7 and 13 working days")),
                    step("rapid_review_meeting", "Hold the rapid review meeting", Notified, 13, WorkingDaysAfter, MeetingHeld, Role::PartnershipTeam, false,
                        &format!("{llr} 4.4.2: between 7 and 13 working days")),
                    step("discuss_referral", "Case review group discusses a referral without notification", ReferralReceived, 1, Months, ReferralDiscussed, Role::PartnershipTeam, false,
                        &format!("{llr}: within one month of receiving the referral")),
                    step("decide_referral", "Decide on a referral without notification", ReferralReceived, 2, Months, OutcomeDecided, Role::DecisionMaker, false,
                        &format!("{llr}: within two months of receiving the referral")),
                ]);
                ("Leicester, Leicestershire and Rutland (LLR)", QuorumRule::Representatives { representatives: 3, partners: 2 }, ThresholdOptions::default())
            }
            "kent" => {
                // Seed: kent-ics-guidance.txt, "Notification" and "Membership of the Rapid Review".
                let kent = "Kent ICS guidance";
                steps.extend([
                    step("placing_authority_confirms", "Placing authority confirms it has notified", ReferralReceived, 24, Hours, PlacingAuthorityConfirmed, Role::PartnershipTeam, false,
                        &format!("{kent}: the placing authority confirms within 24 hours")),
                    step("rapid_review_meeting", "Convene the rapid review", Notified, 15, WorkingDaysAfter, MeetingHeld, Role::PartnershipTeam, false,
                        &format!("{kent}: convene a rapid review within 15 days of notification")),
                ]);
                ("Kent", QuorumRule::AllThreePartners, ThresholdOptions { placing_authority_invited: true, ..Default::default() })
            }
            "kirklees" => {
                // Seeds: kirklees-serious-incident-process.txt (steps and days) and kirklees-review-process-2019.txt.
                let kirklees = "Kirklees serious incident process";
                steps.extend([
                    step("submit_notification_form", "Submit the serious incident notification", IncidentKnown, 24, Hours, ReferralReceived, Role::Referrer, false,
                        &format!("{kirklees}: within 24 hours of the incident being known")),
                    step("threshold_decision", "Partners decide whether to notify", ReferralReceived, 5, DayNumber, ThresholdDecided, Role::DecisionMaker, false,
                        &format!("{kirklees}: steps 1 to 4, Day 1 to 5")),
                    step("information_returned", "Agencies return the information gathering tool", InformationRequested, 48, Hours, InformationReturned, Role::AgencyLead, false,
                        "Kirklees review process 2019: returned within 48 hours"),
                    step("rapid_review_meeting_earliest", "Rapid review meeting, not before", ReferralReceived, 7, DayNumber, MeetingHeld, Role::PartnershipTeam, false,
                        &format!("{kirklees}: step 6, between Day 7 and Day 14")),
                    step("rapid_review_meeting", "Hold the rapid review meeting", ReferralReceived, 14, DayNumber, MeetingHeld, Role::PartnershipTeam, false,
                        &format!("{kirklees}: step 6, the meeting has taken place by Day 14")),
                    step("panel_response_meeting", "Meet on the national panel's response", PanelResponseReceived, 10, WorkingDaysAfter, PanelResponseMeetingHeld, Role::PartnershipTeam, false,
                        &format!("{kirklees}: within 10 working days of receipt of the panel's response")),
                    step("actions_complete", "Complete the action plan", Published, 12, Weeks, ActionsCompleted, Role::AgencyLead, false,
                        "Kirklees review process 2019: actions achievable within 12 weeks of publication, otherwise escalated"),
                ]);
                ("Kirklees", QuorumRule::AllThreePartners, ThresholdOptions { regulated_setting_death_notifiable: true, ..Default::default() })
            }
            _ => return None,
        };
        Some(Playbook { id: id.into(), name: name.into(), steps, quorum, threshold })
    }

    pub fn presets() -> Vec<Playbook> {
        Self::PRESETS.iter().filter_map(|id| Self::preset(id)).collect()
    }

    /// Reads a partnership's edited playbook, naming the step at fault.
    pub fn from_json(body: &serde_json::Value) -> Result<Playbook, FieldErrors> {
        let playbook: Playbook = crate::field_error::from_json(body, "a playbook")?;
        let mut e = FieldErrors::default();
        if playbook.name.trim().is_empty() {
            e.push("name", "Give the playbook a name");
        }
        if playbook.steps.is_empty() {
            e.push("steps", "A playbook needs at least one step");
        }
        let mut keys = std::collections::BTreeSet::new();
        for (i, step) in playbook.steps.iter().enumerate() {
            if step.key.is_empty() || !step.key.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') {
                e.push(&format!("steps[{i}].key"), "Use lower-case letters, digits and underscores");
            } else if !keys.insert(step.key.clone()) {
                e.push(&format!("steps[{i}].key"), "Another step has this key");
            }
            if step.name.trim().is_empty() {
                e.push(&format!("steps[{i}].name"), "Give the step a name");
            }
            if step.unit == StepUnit::DayNumber && step.offset == 0 {
                e.push(&format!("steps[{i}].offset"), "Day numbers start at Day 1");
            }
            if step.offset > 1000 {
                e.push(&format!("steps[{i}].offset"), "The offset must be 1000 or less");
            }
        }
        for statutory in statutory_steps() {
            let kept = playbook.steps.iter().find(|s| s.key == statutory.key);
            match kept {
                Some(s) if s.statutory && !within_statutory(s, &statutory) => e.push(
                    "steps",
                    format!("The statutory step {} cannot be given longer than the law allows", statutory.key),
                ),
                None => e.push("steps", format!("The statutory step {} cannot be removed", statutory.key)),
                _ => {}
            }
        }
        match playbook.quorum {
            QuorumRule::Representatives { partners, .. } if partners > 3 => {
                e.push("quorum.partners", "There are three safeguarding partners")
            }
            _ => {}
        }
        e.into_result(|| playbook)
    }
}

/// A statutory step may be made stricter by a partnership, never looser.
fn within_statutory(edited: &Step, statutory: &Step) -> bool {
    edited.anchor == statutory.anchor
        && edited.unit == statutory.unit
        && match statutory.unit {
            StepUnit::WorkingDaysBefore => edited.offset >= statutory.offset,
            _ => edited.offset <= statutory.offset,
        }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_presets_each_with_the_statutory_steps() {
        let presets = Playbook::presets();
        assert_eq!(presets.len(), 5);
        for playbook in &presets {
            for key in ["notify_panel", "submit_rapid_review", "publish_lcspr", "report_to_panel"] {
                let s = playbook.steps.iter().find(|s| s.key == key).unwrap();
                assert!(s.statutory, "{} {key}", playbook.id);
            }
            assert!(playbook.steps.iter().all(|s| !s.source.is_empty()));
        }
        assert!(Playbook::preset("narnia").is_none());
    }

    #[test]
    fn the_seeds_figures() {
        let find = |id: &str, key: &str| Playbook::preset(id).unwrap().steps.into_iter().find(|s| s.key == key).unwrap();
        let s = find("krscp", "rapid_review_meeting");
        assert_eq!((s.anchor, s.offset, s.unit), (Event::Notified, 10, StepUnit::WorkingDaysAfter));
        let s = find("krscp", "papers_out");
        assert_eq!((s.anchor, s.offset, s.unit), (Event::MeetingScheduled, 5, StepUnit::WorkingDaysBefore));
        assert_eq!(find("llr", "information_requests_sent").offset, 2);
        assert_eq!(find("llr", "rapid_review_meeting").offset, 13);
        assert_eq!(find("llr", "decide_referral").unit, StepUnit::Months);
        assert_eq!((find("kirklees", "rapid_review_meeting").offset, find("kirklees", "rapid_review_meeting").unit), (14, StepUnit::DayNumber));
        assert_eq!(find("kirklees", "information_returned").unit, StepUnit::Hours);
        assert_eq!(find("kirklees", "actions_complete").offset, 12);
        assert_eq!(find("kent", "placing_authority_confirms").offset, 24);
        assert_eq!(Playbook::preset("llr").unwrap().quorum, QuorumRule::Representatives { representatives: 3, partners: 2 });
        assert_eq!(Playbook::preset("kent").unwrap().quorum, QuorumRule::AllThreePartners);
        assert!(Playbook::preset("kirklees").unwrap().threshold.regulated_setting_death_notifiable);
    }

    #[test]
    fn a_copied_preset_round_trips_as_json_and_can_be_edited() {
        let mut copy = Playbook::preset("krscp").unwrap();
        copy.id = "my-partnership".into();
        copy.steps.iter_mut().find(|s| s.key == "rapid_review_meeting").unwrap().offset = 8;
        let json = serde_json::to_value(&copy).unwrap();
        assert_eq!(json["steps"][0]["unit"], "working_days_after");
        assert_eq!(Playbook::from_json(&json).unwrap(), copy);
    }

    #[test]
    fn edits_that_break_the_law_or_the_format_are_named() {
        let mut json = serde_json::to_value(Playbook::preset("national").unwrap()).unwrap();
        json["steps"][0]["offset"] = 10.into();
        let e = Playbook::from_json(&json).unwrap_err();
        assert!(e.for_field("steps").unwrap().contains("notify_panel"));

        let mut json = serde_json::to_value(Playbook::preset("national").unwrap()).unwrap();
        json["steps"][1]["anchor"] = "lunch".into();
        assert_eq!(Playbook::from_json(&json).unwrap_err().0[0].field, "steps[1].anchor");

        let mut json = serde_json::to_value(Playbook::preset("national").unwrap()).unwrap();
        json["steps"][2]["key"] = "notify_panel".into();
        assert!(Playbook::from_json(&json).unwrap_err().for_field("steps[2].key").is_some());

        let mut json = serde_json::to_value(Playbook::preset("national").unwrap()).unwrap();
        json["steps"][4]["offset"] = 10.into();
        assert!(Playbook::from_json(&json).is_ok(), "more than 7 working days' notice is stricter, so allowed");
    }

    #[test]
    fn every_event_has_a_stable_name() {
        for event in Event::ALL {
            assert_eq!(serde_json::to_value(event).unwrap(), event.as_str());
            assert_eq!(Event::parse(event.as_str()), Some(event));
        }
    }
}
