//! The app's only door to the API: typed requests, and failures a person can act on.

use domain::FieldError;
use domain::access::SignedIn;
use domain::case::{CaseList, CaseSummary, ReferralReceipt};
use domain::referral::{PersonalDetails, ReferralInput};
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
    /// What to tell the person: each field's problem, or the general message.
    pub fn problems(&self) -> String {
        match self {
            ApiFailure::Rejected(r) if !r.fields.is_empty() => r.fields.iter().map(|f| f.message.clone()).collect::<Vec<_>>().join(". "),
            other => other.message(),
        }
    }

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

pub async fn sign_in(email: String, password: String) -> Result<SignedIn, ApiFailure> {
    let request = Request::post("/api/v1/session")
        .json(&serde_json::json!({ "email": email, "password": password }))
        .map_err(|_| ApiFailure::Unexpected(0))?;
    read(request.send().await.map_err(|_| ApiFailure::Unreachable)?).await
}

/// The signed-in person, or `None` when there is no live session.
pub async fn current_session() -> Result<Option<SignedIn>, ApiFailure> {
    let response = Request::get("/api/v1/session").send().await.map_err(|_| ApiFailure::Unreachable)?;
    if response.status() == 401 {
        return Ok(None);
    }
    read(response).await.map(Some)
}

pub async fn sign_out() -> Result<(), ApiFailure> {
    let response = Request::delete("/api/v1/session").send().await.map_err(|_| ApiFailure::Unreachable)?;
    if response.ok() { Ok(()) } else { Err(ApiFailure::Unexpected(response.status())) }
}

pub async fn submit_referral(input: ReferralInput, idempotency_key: String) -> Result<ReferralReceipt, ApiFailure> {
    let request = Request::post("/api/v1/referrals")
        .header("Idempotency-Key", &idempotency_key)
        .json(&input)
        .map_err(|_| ApiFailure::Unexpected(0))?;
    let response = request.send().await.map_err(|_| ApiFailure::Unreachable)?;
    read(response).await
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CaseView {
    #[serde(flatten)]
    pub case: CaseSummary,
    pub may_read_personal_details: bool,
}

pub async fn read_case(reference: String) -> Result<CaseView, ApiFailure> {
    let url = format!("/api/v1/cases/{}", js_sys::encode_uri_component(&reference));
    read(Request::get(&url).send().await.map_err(|_| ApiFailure::Unreachable)?).await
}

pub async fn read_personal_details(reference: String) -> Result<PersonalDetails, ApiFailure> {
    let url = format!("/api/v1/cases/{}/personal-details", js_sys::encode_uri_component(&reference));
    read(Request::get(&url).send().await.map_err(|_| ApiFailure::Unreachable)?).await
}

/// Records the people's threshold decision on a case.
pub async fn record_threshold_decision(reference: String, body: serde_json::Value) -> Result<serde_json::Value, ApiFailure> {
    let url = format!("/api/v1/cases/{}/decisions/threshold", js_sys::encode_uri_component(&reference));
    let request = Request::post(&url).json(&body).map_err(|_| ApiFailure::Unexpected(0))?;
    read(request.send().await.map_err(|_| ApiFailure::Unreachable)?).await
}

/// A case's events and deadlines with their status today.
pub async fn timeline(reference: String) -> Result<Timeline, ApiFailure> {
    let url = format!("/api/v1/cases/{}/timeline", js_sys::encode_uri_component(&reference));
    read(Request::get(&url).send().await.map_err(|_| ApiFailure::Unreachable)?).await
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Timeline {
    pub stage: String,
    pub events: Vec<TimelineEvent>,
    pub deadlines: Vec<DeadlineView>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct TimelineEvent {
    pub kind: String,
    pub on: String,
    pub recorded_by: Option<String>,
    pub note: Option<String>,
    pub superseded: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct DeadlineView {
    pub step_key: String,
    pub name: String,
    pub owner: String,
    pub statutory: bool,
    pub original_due: String,
    pub due: String,
    pub extension_reason: Option<String>,
    pub done_on: Option<String>,
    pub status: String,
    pub working_days_left: Option<i64>,
    #[serde(default)]
    pub version: u32,
}

/// One page of the cases the person may see; `query` is the list's query string (without `?`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct MyWork {
    pub deadlines: Vec<WorkItem>,
    pub awaiting_decision: Vec<AwaitingDecision>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct WorkItem {
    pub reference: String,
    pub name: String,
    pub statutory: bool,
    pub due: String,
    pub status: String,
    pub working_days_left: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct AwaitingDecision {
    pub reference: String,
    pub aware_on: String,
    pub referrer_agency: String,
}

pub async fn my_work() -> Result<MyWork, ApiFailure> {
    read(Request::get("/api/v1/my-work").send().await.map_err(|_| ApiFailure::Unreachable)?).await
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Settings {
    pub name: String,
    pub playbook_id: String,
    pub custom_playbook: bool,
    pub playbook: domain::playbook::Playbook,
    pub closure_days: Vec<String>,
    pub version: u32,
    pub agencies: Vec<Agency>,
    pub contacts: Option<Vec<Contact>>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Agency {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub safeguarding_partner: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Contact {
    pub purpose: String,
    pub name: String,
    pub email: String,
}

pub async fn settings() -> Result<Settings, ApiFailure> {
    read(Request::get("/api/v1/partnership").send().await.map_err(|_| ApiFailure::Unreachable)?).await
}

/// Sends a settings change (`method` PUT or POST to `/api/v1/partnership/{what}`).
pub async fn change_settings(what: &'static str, put: bool, body: serde_json::Value) -> Result<serde_json::Value, ApiFailure> {
    let url = format!("/api/v1/partnership/{what}");
    let request = if put { Request::put(&url) } else { Request::post(&url) };
    let request = request.json(&body).map_err(|_| ApiFailure::Unexpected(0))?;
    read(request.send().await.map_err(|_| ApiFailure::Unreachable)?).await
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Notification {
    pub template: String,
    pub recipient: String,
    pub subject: String,
    pub created_at: String,
    pub status: String,
}

pub async fn case_notifications(reference: String) -> Result<Vec<Notification>, ApiFailure> {
    #[derive(Deserialize)]
    struct Log {
        notifications: Vec<Notification>,
    }
    let url = format!("/api/v1/cases/{}/notifications", js_sys::encode_uri_component(&reference));
    read::<Log>(Request::get(&url).send().await.map_err(|_| ApiFailure::Unreachable)?).await.map(|l| l.notifications)
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct MailboxMessage {
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub created_at: String,
}

pub async fn dev_mailbox() -> Result<Vec<MailboxMessage>, ApiFailure> {
    #[derive(Deserialize)]
    struct Mailbox {
        messages: Vec<MailboxMessage>,
    }
    read::<Mailbox>(Request::get("/api/v1/dev/mailbox").send().await.map_err(|_| ApiFailure::Unreachable)?).await.map(|m| m.messages)
}

/// Posts to a case's sub-resource (`events`, `deadlines/{step}/extension`, ...).
pub async fn post_to_case(reference: String, what: String, body: serde_json::Value) -> Result<serde_json::Value, ApiFailure> {
    let url = format!("/api/v1/cases/{}/{what}", js_sys::encode_uri_component(&reference));
    let request = Request::post(&url).json(&body).map_err(|_| ApiFailure::Unexpected(0))?;
    read(request.send().await.map_err(|_| ApiFailure::Unreachable)?).await
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct InformationRequest {
    pub id: String,
    pub agency_id: String,
    pub agency: String,
    pub kind: String,
    pub sent_on: String,
    pub due_on: String,
    pub returned_on: Option<String>,
    pub entries: u32,
}

pub async fn information_requests(reference: String) -> Result<Vec<InformationRequest>, ApiFailure> {
    #[derive(Deserialize)]
    struct List {
        requests: Vec<InformationRequest>,
    }
    let url = format!("/api/v1/cases/{}/information-requests", js_sys::encode_uri_component(&reference));
    read::<List>(Request::get(&url).send().await.map_err(|_| ApiFailure::Unreachable)?).await.map(|l| l.requests)
}

pub async fn return_information(request_id: String, body: serde_json::Value) -> Result<serde_json::Value, ApiFailure> {
    let url = format!("/api/v1/information-requests/{}/return", js_sys::encode_uri_component(&request_id));
    let request = Request::post(&url).json(&body).map_err(|_| ApiFailure::Unexpected(0))?;
    read(request.send().await.map_err(|_| ApiFailure::Unreachable)?).await
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ChronologyLine {
    pub agency: String,
    pub agency_id: String,
    pub occurred_on: String,
    pub occurred_time: Option<String>,
    pub entry: String,
}

pub async fn chronology(reference: String) -> Result<Vec<ChronologyLine>, ApiFailure> {
    #[derive(Deserialize)]
    struct Merged {
        entries: Vec<ChronologyLine>,
    }
    let url = format!("/api/v1/cases/{}/chronology", js_sys::encode_uri_component(&reference));
    read::<Merged>(Request::get(&url).send().await.map_err(|_| ApiFailure::Unreachable)?).await.map(|m| m.entries)
}

pub async fn list_cases(query: String) -> Result<CaseList, ApiFailure> {
    let url = if query.is_empty() { "/api/v1/cases".to_string() } else { format!("/api/v1/cases?{query}") };
    let response = Request::get(&url).send().await.map_err(|_| ApiFailure::Unreachable)?;
    read::<CaseList>(response).await
}
