//! The messages the product sent: a case's log, and the local dev mailbox.

use serde::{Deserialize, Serialize};

use crate::notification::{MessageStatus, Template};

/// `GET /cases/{reference}/notifications`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationLog {
    pub notifications: Vec<SentMessage>,
}

/// One message about a case: who, what, when, and whether it was delivered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentMessage {
    pub template: Template,
    pub recipient: String,
    pub subject: String,
    pub created_at: String,
    pub status: MessageStatus,
    pub attempts: u32,
    /// Why the last try failed (a transport's words, never personal data).
    pub last_error: Option<String>,
}

/// `GET /dev/mailbox`: every message "sent" locally, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mailbox {
    pub messages: Vec<MailboxMessage>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailboxMessage {
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub template: Template,
    pub created_at: String,
}
