//! Reading request bodies at the edge: size limit, content type, JSON.

use crate::http::error::ApiError;
use worker::Request;

/// Generous for the longest form (a referral of four children with a long
/// account of what happened) and small enough to refuse abuse early.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

pub async fn json(req: &mut Request) -> Result<serde_json::Value, ApiError> {
    if let Some(length) = req.headers().get("Content-Length")? {
        if length.trim().parse::<usize>().map_or(true, |n| n > MAX_BODY_BYTES) {
            return Err(ApiError::PayloadTooLarge { limit_bytes: MAX_BODY_BYTES });
        }
    }
    let content_type = req.headers().get("Content-Type")?.unwrap_or_default();
    if !content_type.is_empty() && !content_type.to_ascii_lowercase().starts_with("application/json") {
        return Err(ApiError::UnsupportedMediaType);
    }
    let bytes = req.bytes().await?;
    if bytes.len() > MAX_BODY_BYTES {
        return Err(ApiError::PayloadTooLarge { limit_bytes: MAX_BODY_BYTES });
    }
    serde_json::from_slice(&bytes).map_err(|_| ApiError::MalformedJson)
}

/// The `Idempotency-Key` a client sends so that a retried submission returns
/// the first result instead of creating a duplicate.
pub fn idempotency_key(req: &Request) -> Result<Option<String>, ApiError> {
    let Some(key) = req.headers().get("Idempotency-Key")? else {
        return Ok(None);
    };
    let key = key.trim();
    let valid = (8..=100).contains(&key.len())
        && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if valid {
        Ok(Some(key.to_string()))
    } else {
        Err(ApiError::BadHeader {
            header: "Idempotency-Key",
            message: "Must be 8 to 100 letters, digits, '-' or '_', for example a UUID".into(),
        })
    }
}
