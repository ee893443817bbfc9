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
