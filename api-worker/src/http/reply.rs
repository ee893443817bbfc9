//! Successful JSON replies, and the headers every API response carries.

use serde::Serialize;
use worker::Response;

pub fn json<T: Serialize>(status: u16, body: &T) -> Result<Response, crate::http::error::ApiError> {
    Ok(Response::from_json(body)?.with_status(status))
}

/// API responses are data, never pages: nothing may frame, sniff or cache them.
pub fn with_security_headers(mut response: Response) -> worker::Result<Response> {
    let headers = response.headers_mut();
    // A handler may set a narrower policy of its own (a printable document allows its one stylesheet).
    if headers.get("Content-Security-Policy")?.is_none() {
        headers.set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")?;
    }
    headers.set("X-Content-Type-Options", "nosniff")?;
    headers.set("X-Frame-Options", "DENY")?;
    headers.set("Referrer-Policy", "no-referrer")?;
    headers.set("Cache-Control", "no-store")?;
    // Two years of HTTPS only (browsers ignore it over plain-HTTP localhost).
    headers.set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")?;
    Ok(response)
}
