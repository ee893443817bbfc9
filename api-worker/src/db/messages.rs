//! The message log (`notifications`): what was queued to whom about a case,
//! and how delivery went. Queuing is one statement that joins the batch of
//! the change that causes it, so no message is lost and none is sent for a
//! change that did not happen.

use domain::notification::{Message, MessageStatus, Template};
use domain::settings::ContactPurpose;
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};

use crate::http::error::ApiError;
use crate::platform::clock;
use crate::db::Query;

/// Who a message goes to. Recipients always come from the partnership's own
/// records: its contacts by purpose, an agency's safeguarding lead, or the
/// work addresses given for a meeting's attendees.
pub enum Recipients<'a> {
    Purposes(&'a [ContactPurpose]),
    /// The `agency_lead` contacts of one agency.
    AgencyLead(&'a str),
    Addresses(Vec<String>),
}


/// One statement that queues `message` to each recipient, logged on the case,
/// starting as `Pending` (or `Sent`, for the local dev mailbox).
/// `{reference}` in the message becomes the stored case's reference, so a
/// message can be queued in the batch that creates the case.
pub fn queue(
    db: &D1Database,
    partnership_id: &str,
    case_id: &str,
    template: Template,
    message: Message,
    status: MessageStatus,
    recipients: Recipients<'_>,
) -> Result<D1PreparedStatement, ApiError> {
    // A message queued as sent (the local dev mailbox) was delivered on its first try.
    let attempts = if status == MessageStatus::Sent { "1" } else { "0" };
    // (the recipient column, where it comes from, its parameter ?9)
    let (column, from, selector) = match recipients {
        Recipients::Purposes(purposes) => (
            "c.email",
            "contacts c WHERE c.partnership_id = ?1 AND c.purpose IN (SELECT value FROM json_each(?9))",
            JsValue::from(serde_json::to_string(purposes).unwrap_or_else(|_| "[]".into())),
        ),
        Recipients::AgencyLead(agency_id) => (
            "c.email",
            "contacts c WHERE c.partnership_id = ?1 AND c.purpose = 'agency_lead' AND c.agency_id = ?9",
            JsValue::from(agency_id),
        ),
        Recipients::Addresses(mut addresses) => {
            addresses.sort();
            addresses.dedup();
            ("j.value", "json_each(?9) j", JsValue::from(serde_json::to_string(&addresses).unwrap_or_else(|_| "[]".into())))
        }
    };
    Ok(db
        .prepare(format!(
            "INSERT INTO notifications (id, partnership_id, case_id, template, recipient, subject, body, created_at, status, attempts) \
             SELECT lower(hex(randomblob(16))), ?1, ?2, ?3, recipient, subject, body, ?6, ?7, ?8 FROM ( \
               SELECT {column} AS recipient, \
                 replace(?4, '{{reference}}', (SELECT reference FROM cases WHERE id = ?2)) AS subject, \
                 replace(?5, '{{reference}}', (SELECT reference FROM cases WHERE id = ?2)) AS body FROM {from})"
        ))
        .bind(&[
            partnership_id.into(),
            case_id.into(),
            template.as_str().into(),
            message.subject.into(),
            message.body.into(),
            clock::now_rfc3339().into(),
            status.as_str().into(),
            attempts.into(),
            selector,
        ])?)
}

#[derive(Deserialize)]
struct Logged {
    template: Template,
    recipient: String,
    subject: String,
    created_at: String,
    status: MessageStatus,
    attempts: f64,
    last_error: Option<String>,
}

/// The messages about a case, oldest first.
pub async fn of_case(db: &D1Database, case_id: &str) -> Result<Vec<domain::api::SentMessage>, ApiError> {
    let rows: Vec<Logged> = db
        .prepare("SELECT template, recipient, subject, created_at, status, attempts, last_error FROM notifications WHERE case_id = ?1 ORDER BY created_at, recipient")
        .bind(&[case_id.into()])?
        .rows()
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| domain::api::SentMessage {
            template: r.template,
            recipient: r.recipient,
            subject: r.subject,
            created_at: r.created_at,
            status: r.status,
            attempts: r.attempts as u32,
            last_error: r.last_error,
        })
        .collect())
}

/// Every message "sent" locally to the partnership, newest first.
#[cfg(feature = "dev-mailbox")]
pub async fn dev_mailbox(db: &D1Database, partnership_id: &str) -> Result<Vec<domain::api::MailboxMessage>, ApiError> {
    db
        .prepare(
            "SELECT recipient, subject, body, template, created_at FROM notifications \
             WHERE partnership_id = ?1 AND status = 'sent' ORDER BY created_at DESC LIMIT 500",
        )
        .bind(&[partnership_id.into()])?
        .rows()
        .await
}

/// A message waiting for the delivery worker.
#[derive(Deserialize)]
pub struct Pending {
    pub id: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub attempts: f64,
}

/// Claims up to 50 messages due to be tried, oldest first, until `lease_until`:
/// one statement picks and claims them, so two runs at once never both send
/// one message. A run that dies leaves its claims to lapse and be retried.
pub async fn claim_due(db: &D1Database, max_attempts: u32, lease_until: &str) -> Result<Vec<Pending>, ApiError> {
    db
        .prepare(
            "UPDATE notifications SET next_attempt_at = ?3 WHERE id IN ( \
               SELECT id FROM notifications \
               WHERE status IN ('pending', 'failed') AND attempts < ?1 AND (next_attempt_at IS NULL OR next_attempt_at <= ?2) \
               ORDER BY created_at LIMIT 50) \
             RETURNING id, recipient, subject, body, attempts",
        )
        .bind(&[max_attempts.to_string().into(), clock::now_rfc3339().into(), lease_until.into()])?
        .rows()
        .await
}

pub async fn mark_sent(db: &D1Database, id: &str, attempts: u32) -> Result<(), ApiError> {
    db.prepare("UPDATE notifications SET status = 'sent', attempts = ?1, last_error = NULL WHERE id = ?2")
        .bind(&[attempts.to_string().into(), id.into()])?
        .run()
        .await?;
    Ok(())
}

/// `error` names the transport's answer, never the message's content.
pub async fn mark_failed(db: &D1Database, id: &str, attempts: u32, error: &str, next_attempt_at: &str) -> Result<(), ApiError> {
    db.prepare("UPDATE notifications SET status = 'failed', attempts = ?1, last_error = ?2, next_attempt_at = ?3 WHERE id = ?4")
        .bind(&[attempts.to_string().into(), error.into(), next_attempt_at.into(), id.into()])?
        .run()
        .await?;
    Ok(())
}
