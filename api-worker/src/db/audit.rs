//! The append-only audit trail: who did what, when, to which case. Entries are
//! prepared statements so they join the batch of the change they record: the
//! change and its record are stored together or not at all.

use worker::{D1Database, D1PreparedStatement};

use crate::http::error::ApiError;
use crate::platform::clock;
use crate::auth::principal::Principal;

/// `detail` must never hold personal data: name the kind of thing, not its content.
pub fn entry(
    db: &D1Database,
    who: &Principal,
    case_id: Option<&str>,
    action: &str,
    detail: &str,
) -> Result<D1PreparedStatement, ApiError> {
    entry_by(db, Some(&who.user_id), &who.partnership_id, case_id, action, detail)
}

/// An entry by a person, or by the scheduled jobs (no user).
pub fn entry_by(
    db: &D1Database,
    user_id: Option<&str>,
    partnership_id: &str,
    case_id: Option<&str>,
    action: &str,
    detail: &str,
) -> Result<D1PreparedStatement, ApiError> {
    Ok(db
        .prepare("INSERT INTO audit_log (at, user_id, partnership_id, case_id, action, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
        .bind(&[
            clock::now_rfc3339().into(),
            user_id.map_or(wasm_bindgen::JsValue::NULL, Into::into),
            partnership_id.into(),
            case_id.map_or(wasm_bindgen::JsValue::NULL, Into::into),
            action.into(),
            detail.into(),
        ])?)
}

/// What a read of sealed data opened: its name is the audit action. Detail
/// beyond the kind is never recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SealedRead {
    PersonalDetails,
    /// The referral's names, read by the worker to keep a pseudonym from revealing one.
    PersonalDetailsChecked,
    EventNotes,
    Chronology,
    MeetingNotes,
    RapidReviewReport,
    DecisionTexts,
    TermsOfReference,
    FamilyEngagement,
    Episodes,
}

impl SealedRead {
    pub fn action(self) -> &'static str {
        match self {
            SealedRead::PersonalDetails => "personal_details_read",
            SealedRead::PersonalDetailsChecked => "personal_details_checked",
            SealedRead::EventNotes => "event_notes_read",
            SealedRead::Chronology => "chronology_read",
            SealedRead::MeetingNotes => "meeting_notes_read",
            SealedRead::RapidReviewReport => "rapid_review_report_read",
            SealedRead::DecisionTexts => "decision_texts_read",
            SealedRead::TermsOfReference => "terms_of_reference_read",
            SealedRead::FamilyEngagement => "family_engagement_read",
            SealedRead::Episodes => "episodes_read",
        }
    }
}

/// The proof that a read of sealed data is in the audit trail: the only way
/// to get an `Opener` (`platform::sealed`). Made only here.
pub struct AuditedRead(());

/// Records the read, then hands over the proof.
pub async fn sealed_read(db: &D1Database, who: &Principal, case_id: &str, what: SealedRead) -> Result<AuditedRead, ApiError> {
    entry(db, who, Some(case_id), what.action(), "")?.run().await?;
    Ok(AuditedRead(()))
}
