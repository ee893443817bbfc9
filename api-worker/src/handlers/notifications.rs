//! The messages a case has sent, and the local dev mailbox.

use domain::api::{Mailbox, NotificationLog};
use worker::{Env, Response};

use crate::db::messages;
use crate::http::context::CaseCtx;
use crate::http::error::ApiError;
use crate::http::reply;

/// The messages sent about a case: who, what, when, and whether it was delivered.
pub async fn case_log(c: &CaseCtx<'_>) -> Result<Response, ApiError> {
    reply::json(200, &NotificationLog { notifications: messages::of_case(&c.db, &c.case.id).await? })
}

/// Every message "sent" locally, newest first: only when `DEV_MAILBOX=on` (never deployed).
pub async fn dev_mailbox(env: &Env) -> Result<Response, ApiError> {
    if env.var("DEV_MAILBOX").map(|v| v.to_string() != "on").unwrap_or(true) {
        return Err(ApiError::NotFound);
    }
    reply::json(200, &Mailbox { messages: messages::dev_mailbox(&env.d1("DB")?).await? })
}
