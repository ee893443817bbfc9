//! Reading request bodies at the edge: size limit, content type, JSON.

use crate::http::error::ApiError;
use worker::Request;

/// Generous for the longest form (a referral of four children with a long
/// account of what happened) and small enough to refuse abuse early.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

pub async fn json(req: &mut Request) -> Result<serde_json::Value, ApiError> {
    if let Some(length) = req.headers().get("Content-Length")?
        && length.trim().parse::<usize>().map_or(true, |n| n > MAX_BODY_BYTES) {
            return Err(ApiError::PayloadTooLarge { limit_bytes: MAX_BODY_BYTES });
        }
    // Required, not assumed: a page on another site can send a "simple" POST
    // without a preflight only as form data or plain text, never as JSON.
    let content_type = req.headers().get("Content-Type")?.unwrap_or_default();
    if !is_json(&content_type) {
        return Err(ApiError::UnsupportedMediaType);
    }
    let bytes = req.bytes().await?;
    if bytes.len() > MAX_BODY_BYTES {
        return Err(ApiError::PayloadTooLarge { limit_bytes: MAX_BODY_BYTES });
    }
    serde_json::from_slice(&bytes).map_err(|_| ApiError::MalformedJson)
}

/// `application/json`, with or without parameters (`; charset=utf-8`).
fn is_json(content_type: &str) -> bool {
    content_type.split(';').next().is_some_and(|media| media.trim().eq_ignore_ascii_case("application/json"))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_json_is_a_body_the_api_reads() {
        assert!(is_json("application/json"));
        assert!(is_json("Application/JSON; charset=utf-8"));
        for other in ["", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonp", "application/json-seq"] {
            assert!(!is_json(other), "{other}");
        }
    }
}
