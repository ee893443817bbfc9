//! Every way a request can fail, and the JSON body each becomes:
//! `{"error":{"code","message","fields":[{"field","message"}]}}`.

use domain::FieldErrors;
use serde_json::json;
use worker::Response;

#[derive(Debug)]
pub enum ApiError {
    /// The body was readable but some fields were wrong.
    Validation(FieldErrors),
    /// The body was not JSON at all.
    MalformedJson,
    /// A request header was wrong; the field is the header's name.
    BadHeader { header: &'static str, message: String },
    /// No live session: sign in first.
    Unauthenticated,
    /// Signed in, but this role may not do this (or the thing is not theirs to see).
    Forbidden,
    /// A write that a page on another site started.
    CrossSite,
    BadCredentials,
    TooManyRequests { retry_after_seconds: u64 },
    /// The record changed since the caller read it; `current` is what it is now.
    Conflict { current: serde_json::Value },
    NotFound,
    MethodNotAllowed { allowed: Vec<&'static str> },
    PayloadTooLarge { limit_bytes: usize },
    UnsupportedMediaType,
    /// The deployment is missing configuration it needs (not the caller's fault).
    NotConfigured(&'static str),
    /// A part the request needs could not be reached; refused rather than done unguarded.
    Unavailable(&'static str),
    /// Anything else: logged without request data, reported without detail.
    Internal(worker::Error),
}

impl From<worker::Error> for ApiError {
    fn from(error: worker::Error) -> Self {
        ApiError::Internal(error)
    }
}

impl From<crate::platform::webcrypto::CryptoError> for ApiError {
    fn from(error: crate::platform::webcrypto::CryptoError) -> Self {
        ApiError::Internal(error.into())
    }
}

impl From<FieldErrors> for ApiError {
    fn from(errors: FieldErrors) -> Self {
        ApiError::Validation(errors)
    }
}

impl ApiError {
    /// 409 with the record as it is now, in its response type, so the person
    /// can see what changed and redo theirs.
    pub fn conflict<T: serde::Serialize>(current: &T) -> ApiError {
        match serde_json::to_value(current) {
            Ok(current) => ApiError::Conflict { current },
            Err(error) => ApiError::Internal(error.into()),
        }
    }

    /// 400 naming one field.
    pub fn invalid(field: &str, message: impl Into<String>) -> ApiError {
        ApiError::Validation(FieldErrors::one(field, message))
    }

    fn status(&self) -> u16 {
        match self {
            ApiError::Validation(_) | ApiError::MalformedJson | ApiError::BadHeader { .. } => 400,
            ApiError::Unauthenticated | ApiError::BadCredentials => 401,
            ApiError::Forbidden | ApiError::CrossSite => 403,
            ApiError::TooManyRequests { .. } => 429,
            ApiError::Conflict { .. } => 409,
            ApiError::NotFound => 404,
            ApiError::MethodNotAllowed { .. } => 405,
            ApiError::PayloadTooLarge { .. } => 413,
            ApiError::UnsupportedMediaType => 415,
            ApiError::NotConfigured(_) | ApiError::Unavailable(_) => 503,
            ApiError::Internal(_) => 500,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            ApiError::Validation(_) => "validation_failed",
            ApiError::MalformedJson => "malformed_json",
            ApiError::BadHeader { .. } => "bad_header",
            ApiError::Unauthenticated => "unauthenticated",
            ApiError::Forbidden => "forbidden",
            ApiError::CrossSite => "cross_site_request",
            ApiError::BadCredentials => "bad_credentials",
            ApiError::TooManyRequests { .. } => "too_many_requests",
            ApiError::Conflict { .. } => "conflict",
            ApiError::NotFound => "not_found",
            ApiError::MethodNotAllowed { .. } => "method_not_allowed",
            ApiError::PayloadTooLarge { .. } => "payload_too_large",
            ApiError::UnsupportedMediaType => "unsupported_media_type",
            ApiError::NotConfigured(_) => "not_configured",
            ApiError::Unavailable(_) => "unavailable",
            ApiError::Internal(_) => "internal",
        }
    }

    fn message(&self) -> String {
        match self {
            ApiError::Validation(errors) if errors.0.len() == 1 => "There is a problem with one answer".into(),
            ApiError::Validation(errors) => format!("There is a problem with {} answers", errors.0.len()),
            ApiError::MalformedJson => "The request body is not valid JSON".into(),
            ApiError::BadHeader { header, message } => format!("{header}: {message}"),
            ApiError::Unauthenticated => "Sign in to continue".into(),
            ApiError::Forbidden => "Your role does not allow this".into(),
            ApiError::CrossSite => "This change came from a page on another site, so it was refused. Make it from this service's own pages".into(),
            ApiError::BadCredentials => "The email address or password is not right".into(),
            ApiError::TooManyRequests { retry_after_seconds: s @ 0..=1 } => format!("Too many attempts. Try again in {} second", s.max(&1)),
            ApiError::TooManyRequests { retry_after_seconds: s @ 2..=90 } => format!("Too many attempts. Try again in {s} seconds"),
            ApiError::TooManyRequests { retry_after_seconds } => {
                format!("Too many attempts. Try again in {} minutes", retry_after_seconds.div_ceil(60))
            }
            ApiError::Conflict { .. } => {
                "Someone else changed this since you opened it. Check their changes, then make yours again".into()
            }
            ApiError::NotFound => "There is nothing at this address".into(),
            ApiError::MethodNotAllowed { allowed } => format!("This address accepts {}", allowed.join(", ")),
            ApiError::PayloadTooLarge { limit_bytes } => {
                format!("The request body is larger than the limit of {limit_bytes} bytes")
            }
            ApiError::UnsupportedMediaType => "Send the request body as application/json".into(),
            ApiError::NotConfigured(what) => format!("This service is not set up yet: {what}"),
            ApiError::Unavailable(what) => format!("{what} is unavailable for a moment. Try again in a minute"),
            ApiError::Internal(_) => {
                "Something went wrong on our side. Nothing you sent before was lost; try again in a moment".into()
            }
        }
    }

    fn fields(&self) -> serde_json::Value {
        match self {
            ApiError::Validation(errors) => json!(errors.0),
            ApiError::BadHeader { header, message } => json!([{ "field": header, "message": message }]),
            _ => json!([]),
        }
    }

    pub fn into_response(self) -> Response {
        if let ApiError::Internal(error) = &self {
            // The error's text comes from the runtime (D1, bindings), never from the
            // request body, so it carries no personal data.
            worker::console_error!("internal error: {error}");
        }
        let mut body = json!({ "error": { "code": self.code(), "message": self.message(), "fields": self.fields() } });
        if let ApiError::Conflict { current } = &self {
            body["error"]["current"] = current.clone();
        }
        let mut response = Response::from_json(&body)
            .unwrap_or_else(|_| Response::error("internal", 500).expect("static response"))
            .with_status(self.status());
        match &self {
            ApiError::MethodNotAllowed { allowed } => {
                let _ = response.headers_mut().set("Allow", &allowed.join(", "));
            }
            ApiError::TooManyRequests { retry_after_seconds } => {
                let _ = response.headers_mut().set("Retry-After", &retry_after_seconds.to_string());
            }
            _ => {}
        }
        response
    }
}
