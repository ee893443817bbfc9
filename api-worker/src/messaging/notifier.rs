//! Outbound messages. Each message is rendered from a template with facts
//! that hold no personal data (`domain::notification`), addressed to the
//! partnership's contacts for its purpose, and logged on the case in the same
//! batch as the change that caused it, so none is silently lost.
//!
//! Transport: `NOTIFY_TRANSPORT=dev_mailbox` (local) delivers at once into the
//! log, readable at `/api/v1/dev/mailbox` when `DEV_MAILBOX=on`. Any other
//! value leaves messages `pending` for the delivery worker (GOV.UK Notify or
//! Cloudflare Email; see the notifications issue), visible on the case.

use domain::notification::{MessageFacts, Template, render};
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement, Env, Request, Response};

use crate::http::error::ApiError;
use crate::handlers::cases::find_case_ref;
use crate::auth::session::Principal;
use crate::platform::clock;
use crate::http::reply;

/// Stands for the case reference in a message queued in the same batch as the
/// case itself; the insert replaces it with the stored reference.
pub const REFERENCE: &str = "{reference}";

fn dev_mailbox(env: &Env) -> bool {
    env.var("NOTIFY_TRANSPORT").map(|v| v.to_string() == "dev_mailbox").unwrap_or(false)
}

/// The link a message carries: the case in this deployment, behind sign-in.
pub fn case_link(req: &Request, reference: &str) -> String {
    let origin = req.url().map(|u| u.origin().ascii_serialization()).unwrap_or_default();
    format!("{origin}/cases/{reference}")
}

/// Who a message goes to. Recipients always come from the partnership's own
/// records: its contacts by purpose, an agency's safeguarding lead, or the
/// work addresses given for a meeting's attendees.
pub enum Recipients<'a> {
    Purposes(&'a [&'a str]),
    /// The `agency_lead` contacts of one agency.
    AgencyLead(&'a str),
    Addresses(Vec<String>),
}

/// Statements that queue `template` to every contact of the partnership with one of `purposes`.
pub fn queue(
    db: &D1Database,
    env: &Env,
    partnership_id: &str,
    case_id: &str,
    template: Template,
    facts: &MessageFacts,
    purposes: &[&str],
) -> Result<D1PreparedStatement, ApiError> {
    queue_to(db, env, partnership_id, case_id, template, facts, Recipients::Purposes(purposes))
}

/// One statement that queues `template` to each recipient, logged on the case.
pub fn queue_to(
    db: &D1Database,
    env: &Env,
    partnership_id: &str,
    case_id: &str,
    template: Template,
    facts: &MessageFacts,
    recipients: Recipients<'_>,
) -> Result<D1PreparedStatement, ApiError> {
    let message = render(template, facts);
    let (status, attempts) = if dev_mailbox(env) { ("sent", "1") } else { ("pending", "0") };
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
            status.into(),
            attempts.into(),
            selector,
        ])?)
}

#[derive(Deserialize)]
struct Logged {
    template: String,
    recipient: String,
    subject: String,
    created_at: String,
    status: String,
    attempts: f64,
    last_error: Option<String>,
}

/// The messages sent about a case: who, what, when, and whether it was delivered.
pub async fn case_log(env: &Env, who: &Principal, reference: &str) -> Result<Response, ApiError> {
    who.require(domain::access::Capability::ReadCase)?;
    let db = env.d1("DB")?;
    let case = find_case_ref(&db, who, reference).await?;
    let rows: Vec<Logged> = db
        .prepare("SELECT template, recipient, subject, created_at, status, attempts, last_error FROM notifications WHERE case_id = ?1 ORDER BY created_at, recipient")
        .bind(&[case.id.as_str().into()])?
        .all()
        .await?
        .results()?;
    let notifications = rows
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
        .collect();
    reply::json(200, &domain::api::NotificationLog { notifications })
}

/// Every message "sent" locally, newest first: only when `DEV_MAILBOX=on` (never deployed).
pub async fn dev_mailbox_list(env: &Env) -> Result<Response, ApiError> {
    if env.var("DEV_MAILBOX").map(|v| v.to_string() != "on").unwrap_or(true) {
        return Err(ApiError::NotFound);
    }
    let messages: Vec<domain::api::MailboxMessage> = env
        .d1("DB")?
        .prepare("SELECT recipient, subject, body, template, created_at FROM notifications WHERE status = 'sent' ORDER BY created_at DESC LIMIT 500")
        .all()
        .await?
        .results()?;
    reply::json(200, &domain::api::Mailbox { messages })
}
