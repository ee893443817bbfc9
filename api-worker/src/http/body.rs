//! Reading request bodies at the edge: size limit, content type, JSON.

use futures_util::StreamExt;
use worker::Request;

use crate::http::error::ApiError;

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
    serde_json::from_slice(&read_bounded(req).await?).map_err(|_| ApiError::MalformedJson)
}

/// The body, counted as it streams in: a chunked body with no length is
/// refused as soon as it passes the limit, never read whole first.
async fn read_bounded(req: &mut Request) -> Result<Vec<u8>, ApiError> {
    // No body at all reads as empty (and then fails as JSON, naming the problem).
    let Ok(mut stream) = req.stream() else {
        return Ok(Vec::new());
    };
    let mut bytes = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk?;
        if !fits(bytes.len(), chunk.len()) {
            return Err(ApiError::PayloadTooLarge { limit_bytes: MAX_BODY_BYTES });
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

fn fits(read: usize, next: usize) -> bool {
    read.saturating_add(next) <= MAX_BODY_BYTES
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
    fn a_body_is_refused_at_the_chunk_that_passes_the_limit() {
        assert!(fits(0, MAX_BODY_BYTES));
        assert!(!fits(MAX_BODY_BYTES, 1));
        assert!(!fits(1, usize::MAX), "no overflow");
    }

    #[test]
    fn only_json_is_a_body_the_api_reads() {
        assert!(is_json("application/json"));
        assert!(is_json("Application/JSON; charset=utf-8"));
        for other in ["", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonp", "application/json-seq"] {
            assert!(!is_json(other), "{other}");
        }
    }
}
