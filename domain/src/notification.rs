//! The messages the product sends. A message carries no child's name, date of
//! birth or incident detail: only the case reference, what is needed, by
//! when, and a link that requires sign-in. Templates take [`MessageFacts`],
//! which have no field that could hold personal data, so a template cannot
//! leak it by mistake.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Template {
    NewReferral,
    DecisionToNotify,
    InformationRequest,
    PapersReady,
    DeadlineDueSoon,
    DeadlineOverdue,
    RapidReviewSubmitted,
    PublicationNotice,
}

impl Template {
    pub const ALL: [Template; 8] = [
        Template::NewReferral,
        Template::DecisionToNotify,
        Template::InformationRequest,
        Template::PapersReady,
        Template::DeadlineDueSoon,
        Template::DeadlineOverdue,
        Template::RapidReviewSubmitted,
        Template::PublicationNotice,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Template::NewReferral => "new_referral",
            Template::DecisionToNotify => "decision_to_notify",
            Template::InformationRequest => "information_request",
            Template::PapersReady => "papers_ready",
            Template::DeadlineDueSoon => "deadline_due_soon",
            Template::DeadlineOverdue => "deadline_overdue",
            Template::RapidReviewSubmitted => "rapid_review_submitted",
            Template::PublicationNotice => "publication_notice",
        }
    }
}

/// Where a message stands with delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageStatus {
    /// Waiting for the delivery worker.
    Pending,
    Sent,
    /// Tried and refused; tried again with backoff up to the limit.
    Failed,
}

impl MessageStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MessageStatus::Pending => "pending",
            MessageStatus::Sent => "sent",
            MessageStatus::Failed => "failed",
        }
    }
}

/// Everything a message may say. Free text is limited to the names of steps
/// and agencies, which the partnership configures and which identify no one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageFacts {
    /// The case reference, e.g. KRSCP-2026-0007.
    pub reference: String,
    pub partnership: String,
    /// What is needed: a step of the playbook, e.g. "Return your agency's chronology".
    pub needed: Option<String>,
    pub due: Option<NaiveDate>,
    /// A link into the product; opening it requires sign-in.
    pub link: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub subject: String,
    pub body: String,
}

fn when(due: Option<NaiveDate>) -> String {
    due.map(|d| format!(" by {}", d.format("%A %-d %B %Y"))).unwrap_or_default()
}

pub fn render(template: Template, f: &MessageFacts) -> Message {
    let needed = f.needed.clone().unwrap_or_default();
    let (subject, lead) = match template {
        Template::NewReferral => (
            format!("New serious incident referral {}", f.reference),
            format!("A serious incident notification has been received. The threshold decision is due{}.", when(f.due)),
        ),
        Template::DecisionToNotify => (
            format!("Decision to notify the national panel: {}", f.reference),
            format!("The safeguarding partners have decided to notify the Child Safeguarding Practice Review Panel. The notification is due{}.", when(f.due)),
        ),
        Template::InformationRequest => (
            format!("Information request for case {}", f.reference),
            format!("Your agency is asked to: {needed}. Please return it{}.", when(f.due)),
        ),
        Template::PapersReady => (
            format!("Papers ready for the meeting on case {}", f.reference),
            format!("The papers for the meeting are ready to read{}.", when(f.due)),
        ),
        Template::DeadlineDueSoon => (
            format!("Due soon: {needed} ({})", f.reference),
            format!("{needed} is due{}.", when(f.due)),
        ),
        Template::DeadlineOverdue => (
            format!("Overdue: {needed} ({})", f.reference),
            format!("{needed} was due{} and is now overdue. If it is late for a reason, record an extension with the reason.", when(f.due)),
        ),
        Template::RapidReviewSubmitted => (
            format!("Rapid review submitted: {}", f.reference),
            "The rapid review has been submitted to the national panel.".to_string(),
        ),
        Template::PublicationNotice => (
            format!("Publication notice: local child safeguarding practice review {}", f.reference),
            format!(
                "The partnership intends to publish this review{}. The final report is available to you now, at least 7 working days before publication.",
                f.due.map(|d| format!(" on {}", d.format("%A %-d %B %Y"))).unwrap_or_default()
            ),
        ),
    };
    let body = format!(
        "{lead}\n\nOpen the case (you will be asked to sign in):\n{}\n\nThis message contains no personal details. Do not reply with personal details of children or families.\n\n{}",
        f.link, f.partnership
    );
    Message { subject, body }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_says_what_is_needed_by_when_with_a_link() {
        let facts = MessageFacts {
            reference: "KRSCP-2026-0007".into(),
            partnership: "KRSCP".into(),
            needed: Some("Return your agency's chronology".into()),
            due: NaiveDate::from_ymd_opt(2027, 1, 5),
            link: "https://example.org/cases/KRSCP-2026-0007".into(),
        };
        for template in Template::ALL {
            let m = render(template, &facts);
            assert!(m.subject.contains("KRSCP-2026-0007"), "{template:?}");
            assert!(m.body.contains("https://example.org/cases/KRSCP-2026-0007"), "{template:?}");
            assert!(m.body.contains("no personal details"), "{template:?}");
        }
        assert!(render(Template::InformationRequest, &facts).body.contains("by Tuesday 5 January 2027"));
    }
}
