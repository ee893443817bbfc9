//! Outbound messages. Each message is rendered from a template with facts
//! that hold no personal data (`domain::notification`), addressed to the
//! partnership's contacts for its purpose, and logged on the case in the same
//! batch as the change that caused it, so none is silently lost.
//!
//! Transport: `NOTIFY_TRANSPORT=dev_mailbox` (local builds only, feature
//! `dev-mailbox`) delivers at once into the log, readable by the partnership
//! team at `/api/v1/dev/mailbox` when `DEV_MAILBOX=on`. Otherwise messages stay
//! `pending` for the delivery worker (GOV.UK Notify or Cloudflare Email),
//! visible on the case.

use chrono::NaiveDate;
use domain::notification::{MessageFacts, MessageStatus, Template, render};
use domain::settings::ContactPurpose;
use worker::{D1Database, D1PreparedStatement, Env, Request};

use crate::db::messages;
use crate::http::context::{CaseCtx, Ctx};
use crate::http::error::ApiError;

pub use crate::db::messages::Recipients;

/// Stands for the case reference in a message queued in the same batch as the
/// case itself; the insert replaces it with the stored reference.
pub const REFERENCE: &str = "{reference}";

fn start(env: &Env) -> MessageStatus {
    // A deployed build has no mailbox: there "dev_mailbox" is just an unknown transport, and nothing is marked sent unsent.
    let dev_mailbox = cfg!(feature = "dev-mailbox") && env.var("NOTIFY_TRANSPORT").is_ok_and(|v| v.to_string() == "dev_mailbox");
    if dev_mailbox { MessageStatus::Sent } else { MessageStatus::Pending }
}

/// The link a message carries: the case in this deployment, behind sign-in.
pub fn case_link(req: &Request, reference: &str) -> String {
    let origin = req.url().map(|u| u.origin().ascii_serialization()).unwrap_or_default();
    format!("{origin}/cases/{reference}")
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
    messages::queue(db, partnership_id, case_id, template, render(template, facts), start(env), recipients)
}

/// A message about the case of this request, linking to it.
pub fn about_case(c: &CaseCtx<'_>, req: &Request, template: Template, due: Option<NaiveDate>, recipients: Recipients<'_>) -> Result<D1PreparedStatement, ApiError> {
    let facts = MessageFacts {
        reference: c.case.reference.clone(),
        partnership: c.who.partnership_name.clone(),
        needed: None,
        due,
        link: case_link(req, &c.case.reference),
    };
    queue_to(&c.db, c.env, &c.who.partnership_id, &c.case.id, template, &facts, recipients)
}

/// The partnership team hears of a new referral at once. The reference is
/// only known inside the batch, so the message names it by [`REFERENCE`].
pub fn new_referral(ctx: &Ctx<'_>, req: &Request, case_id: &str, due: Option<NaiveDate>) -> Result<D1PreparedStatement, ApiError> {
    let facts = MessageFacts { reference: REFERENCE.into(), partnership: ctx.who.partnership_name.clone(), needed: None, due, link: case_link(req, REFERENCE) };
    queue_to(&ctx.db, ctx.env, &ctx.who.partnership_id, case_id, Template::NewReferral, &facts, Recipients::Purposes(&[ContactPurpose::PartnershipTeam]))
}
