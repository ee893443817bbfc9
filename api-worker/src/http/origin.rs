//! Writes only from this service's own pages. SameSite cookies already keep
//! a session out of most cross-site requests; the browser's Fetch Metadata
//! (`Sec-Fetch-Site`) and `Origin` say where a request came from, and a write
//! that another site started is refused whatever cookies it carries. Clients
//! that are not browsers send neither header and are judged by their session.

use worker::Request;

use crate::http::error::ApiError;

/// 403 for a write another site started.
pub fn require_same_origin(req: &Request) -> Result<(), ApiError> {
    let headers = req.headers();
    let own = req.url()?.origin().ascii_serialization();
    if from_here(headers.get("Sec-Fetch-Site")?.as_deref(), headers.get("Origin")?.as_deref(), &own) {
        Ok(())
    } else {
        Err(ApiError::CrossSite)
    }
}

/// Fetch Metadata when the browser sends it (`same-origin`, or `none` for
/// what the person did themselves); else the `Origin`, which must be ours.
fn from_here(fetch_site: Option<&str>, origin: Option<&str>, own: &str) -> bool {
    match (fetch_site, origin) {
        (Some(site), _) => matches!(site.trim().to_ascii_lowercase().as_str(), "same-origin" | "none"),
        (None, Some(origin)) => origin.trim().eq_ignore_ascii_case(own),
        (None, None) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OWN: &str = "https://reviews.krscp.org.uk";

    #[test]
    fn a_page_of_this_service_may_write_and_a_page_elsewhere_may_not() {
        assert!(from_here(Some("same-origin"), Some(OWN), OWN));
        assert!(from_here(Some("none"), None, OWN));
        assert!(!from_here(Some("cross-site"), Some("https://evil.example"), OWN));
        assert!(!from_here(Some("same-site"), Some("https://blog.krscp.org.uk"), OWN), "a sibling subdomain is another site's page");
    }

    #[test]
    fn without_fetch_metadata_the_origin_decides_and_without_either_the_session_does() {
        assert!(from_here(None, Some(OWN), OWN));
        assert!(!from_here(None, Some("https://evil.example"), OWN));
        assert!(!from_here(None, Some("null"), OWN), "a sandboxed or file page");
        assert!(from_here(None, None, OWN), "a script or server: no browser headers");
    }
}
