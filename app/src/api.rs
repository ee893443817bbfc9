//! The app's only door to the API: typed requests, and failures a person can act on.

use domain::FieldError;
use domain::case::{CaseList, CaseSummary, ReferralReceipt};
use domain::referral::ReferralInput;
use gloo_net::http::{Request, Response};
use serde::Deserialize;
use serde::de::DeserializeOwned;

#[derive(Debug, Clone, Deserialize)]
struct ErrorBody {
    error: Rejection,
}

/// The API's error body: what went wrong, and which fields to correct.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Rejection {
    pub code: String,
    pub message: String,
    #[serde(default)]
    pub fields: Vec<FieldError>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ApiFailure {
    /// The request never reached the service (offline, connection dropped).
    Unreachable,
    /// The service refused the request and said why.
    Rejected(Rejection),
    /// The service answered in a way the app does not understand.
    Unexpected(u16),
}

impl ApiFailure {
    pub fn message(&self) -> String {
        match self {
            ApiFailure::Unreachable => {
                "We could not reach the service. Check your connection and try again.".into()
            }
            ApiFailure::Rejected(rejection) => rejection.message.clone(),
            ApiFailure::Unexpected(status) => {
                format!("The service had a problem (status {status}). Try again in a moment.")
            }
        }
    }
}

async fn read<T: DeserializeOwned>(response: Response) -> Result<T, ApiFailure> {
    let status = response.status();
    if response.ok() {
        return response.json::<T>().await.map_err(|_| ApiFailure::Unexpected(status));
    }
    match response.json::<ErrorBody>().await {
        Ok(body) => Err(ApiFailure::Rejected(body.error)),
        Err(_) => Err(ApiFailure::Unexpected(status)),
    }
}

pub async fn submit_referral(input: ReferralInput, idempotency_key: String) -> Result<ReferralReceipt, ApiFailure> {
    let request = Request::post("/api/v1/referrals")
        .header("Idempotency-Key", &idempotency_key)
        .json(&input)
        .map_err(|_| ApiFailure::Unexpected(0))?;
    let response = request.send().await.map_err(|_| ApiFailure::Unreachable)?;
    read(response).await
}

pub async fn list_cases() -> Result<Vec<CaseSummary>, ApiFailure> {
    let response = Request::get("/api/v1/cases").send().await.map_err(|_| ApiFailure::Unreachable)?;
    read::<CaseList>(response).await.map(|list| list.cases)
}
