//! Sessions, kept in D1 so that revoking one takes effect on the next
//! request (no eventually consistent copy): each row is keyed by a hash of
//! the cookie's token, so a copy of the table cannot be replayed as cookies.
//! A session ends at its absolute expiry, after an idle time without a
//! request, or when revoked (signing out, "sign out everywhere").

use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};

use crate::auth::principal::Principal;
use crate::db::people::{MEMBERSHIPS, MembershipRow, principal_of};
use crate::http::error::ApiError;

pub struct NewSession<'a> {
    pub token_hash: &'a str,
    pub user_id: &'a str,
    pub partnership_id: &'a str,
    pub now: &'a str,
    pub expires_at: &'a str,
}

pub fn open(db: &D1Database, s: NewSession<'_>) -> Result<D1PreparedStatement, ApiError> {
    Ok(db
        .prepare(
            "INSERT INTO sessions (token_hash, user_id, partnership_id, created_at, last_seen_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?4, ?5)",
        )
        .bind(&[s.token_hash.into(), s.user_id.into(), s.partnership_id.into(), s.now.into(), s.expires_at.into()])?)
}

/// The principal of a live session, which this request keeps alive (the idle
/// time slides): `None` when the session is unknown, revoked, expired, idle
/// since before `idle_since`, or its user disabled. One round trip: the
/// touch and the read run in one batch.
pub async fn live_principal(db: &D1Database, token_hash: &str, now: &str, idle_since: &str) -> Result<Option<Principal>, ApiError> {
    let touch = db
        .prepare(
            "UPDATE sessions SET last_seen_at = ?2 \
             WHERE token_hash = ?1 AND revoked_at IS NULL AND expires_at > ?2 AND last_seen_at > ?3",
        )
        .bind(&[token_hash.into(), now.into(), idle_since.into()])?;
    let read = db
        .prepare(format!(
            "{MEMBERSHIPS} JOIN sessions s ON s.user_id = u.id AND s.partnership_id = m.partnership_id \
             WHERE s.token_hash = ?1 AND s.last_seen_at = ?2 AND s.revoked_at IS NULL AND u.disabled_at IS NULL ORDER BY m.role"
        ))
        .bind(&[token_hash.into(), now.into()])?;
    let results = db.batch(vec![touch, read]).await?;
    let rows: Vec<MembershipRow> = match results.get(1) {
        Some(result) => result.results()?,
        None => Vec::new(),
    };
    Ok(principal_of(&rows, None))
}

pub fn revoke(db: &D1Database, token_hash: &str, now: &str) -> Result<D1PreparedStatement, ApiError> {
    Ok(db.prepare("UPDATE sessions SET revoked_at = ?2 WHERE token_hash = ?1 AND revoked_at IS NULL").bind(&[token_hash.into(), now.into()])?)
}

/// Every live session of the user, in every partnership and on every device.
pub fn revoke_all_of(db: &D1Database, user_id: &str, now: &str) -> Result<D1PreparedStatement, ApiError> {
    Ok(db.prepare("UPDATE sessions SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at IS NULL").bind(&[user_id.into(), now.into()])?)
}

/// Sessions that ended a day ago or more are of no further use.
pub fn forget_ended(db: &D1Database, before: &str) -> Result<D1PreparedStatement, ApiError> {
    Ok(db
        .prepare("DELETE FROM sessions WHERE expires_at < ?1 OR revoked_at < ?1 OR last_seen_at < ?1")
        .bind(&[JsValue::from(before)])?)
}
