//! The messages a case has sent, and the local dev mailbox.

use domain::api::NotificationLog;
use worker::Response;

use crate::db::messages;
use crate::http::context::{CaseCtx, Ctx};
use crate::http::error::ApiError;
use crate::http::reply;

/// The messages sent about a case: who, what, when, and whether it was delivered.
pub async fn case_log(c: &CaseCtx<'_>) -> Result<Response, ApiError> {
    reply::json(200, &NotificationLog { notifications: messages::of_case(&c.db, &c.case.id).await? })
}

/// Every message "sent" locally to the team's own partnership, newest first:
/// in local builds (feature `dev-mailbox`) with `DEV_MAILBOX=on`, for the
/// partnership team. A deployed build answers 404: the code is not in it.
#[cfg(feature = "dev-mailbox")]
pub async fn dev_mailbox(ctx: &Ctx<'_>) -> Result<Response, ApiError> {
    if ctx.env.var("DEV_MAILBOX").map(|v| v.to_string() != "on").unwrap_or(true) {
        return Err(ApiError::NotFound);
    }
    ctx.require(domain::access::Capability::ManageSettings)?;
    reply::json(200, &domain::api::Mailbox { messages: messages::dev_mailbox(&ctx.db, &ctx.who.partnership_id).await? })
}

#[cfg(not(feature = "dev-mailbox"))]
pub async fn dev_mailbox(_ctx: &Ctx<'_>) -> Result<Response, ApiError> {
    Err(ApiError::NotFound)
}
