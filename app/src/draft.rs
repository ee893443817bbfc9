//! The referral being written, kept in this browser tab's session storage so
//! that a reload or a dropped connection loses nothing. Session (not local)
//! storage: the answers are sensitive and must not outlive the tab. A draft
//! belongs to the person who wrote it: another person signing in on the same
//! browser starts a new one, and signing out clears everything stored here
//! (`device::forget_everything`).

use domain::date_input::DateParts;
use gloo_storage::{SessionStorage, Storage};
use serde::{Deserialize, Serialize};

const KEY: &str = "referral-draft";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReferralDraft {
    /// The address of the person writing it.
    pub author: String,
    pub referrer_name: String,
    pub referrer_agency: String,
    pub referrer_role: String,
    pub referrer_contact: String,
    /// One to four children (the national notification system's limit).
    pub children: Vec<ChildDraft>,
    pub incident_date: DateParts,
    pub incident_time: String,
    pub incident_place: String,
    pub incident_borough: String,
    pub aware_on: DateParts,
    pub summary: String,
    pub immediate_safeguarding: String,
    /// The partnership team entering a referral received by email, phone or
    /// post: how it came (blank: this form) and the date it arrived.
    pub received_via: String,
    pub received_on: DateParts,
    /// Sent as `Idempotency-Key`: fixed for the life of the draft, so every
    /// retry of the same referral is recognised by the API as the same one.
    pub idempotency_key: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ChildDraft {
    pub name: String,
    pub date_of_birth: DateParts,
    pub nhs_number: String,
    pub legal_status: Vec<String>,
}

impl ReferralDraft {
    /// The draft `author` was writing, or a new one (another person's is discarded, unread).
    pub fn load_or_new(author: &str) -> Self {
        let mut draft: ReferralDraft = SessionStorage::get(KEY).unwrap_or_default();
        if draft.author != author {
            draft = ReferralDraft { author: author.to_string(), ..ReferralDraft::default() };
            Self::discard();
        }
        if draft.idempotency_key.is_empty() {
            draft.idempotency_key = new_key();
        }
        if draft.children.is_empty() {
            draft.children.push(ChildDraft::default());
        }
        draft
    }

    pub fn save(&self) {
        // Storage can be full or disabled (private browsing); the form still works.
        let _ = SessionStorage::set(KEY, self);
    }

    pub fn discard() {
        SessionStorage::delete(KEY);
    }
}

fn new_key() -> String {
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.random_uuid())
        .unwrap_or_else(|| format!("draft-{}", js_sys::Date::now() as u64))
}
