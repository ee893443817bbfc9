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

pub use domain::api::{DeadlineView, Timeline, TimelineEvent};

pub use domain::api::{ActionOfMine, CaseWaiting, MyWork, RequestToMe, WorkItem};

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
    pub bank_holidays: domain::api::BankHolidayYears,
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
    #[serde(default)]
    pub attempts: f64,
    #[serde(default)]
    pub last_error: Option<String>,
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

/// Records an event (or a correction) on a case's timeline; answers with the timeline.
pub async fn record_event(reference: String, input: domain::timeline::EventInput) -> Result<Timeline, ApiFailure> {
    let url = case_path(&reference, "events");
    let request = Request::post(&url).json(&input).map_err(|_| ApiFailure::Unexpected(0))?;
    read(request.send().await.map_err(|_| ApiFailure::Unreachable)?).await
}

/// Extends one deadline with a reason; answers with the timeline.
pub async fn extend_deadline(reference: String, step_key: String, input: domain::deadline::ExtensionInput) -> Result<Timeline, ApiFailure> {
    let url = case_path(&reference, &format!("deadlines/{}/extension", js_sys::encode_uri_component(&step_key)));
    let request = Request::post(&url).json(&input).map_err(|_| ApiFailure::Unexpected(0))?;
    read(request.send().await.map_err(|_| ApiFailure::Unreachable)?).await
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

impl ApiFailure {
    /// The API's message for one field, to show next to it.
    pub fn for_field(&self, field: &str) -> Option<String> {
        match self {
            ApiFailure::Rejected(r) => r.fields.iter().find(|f| f.field == field).map(|f| f.message.clone()),
            _ => None,
        }
    }

    /// Every field problem, for the error summary.
    pub fn fields(&self) -> Vec<FieldError> {
        match self {
            ApiFailure::Rejected(r) if !r.fields.is_empty() => r.fields.clone(),
            other => vec![FieldError::new("form", other.message())],
        }
    }
}

/// `/api/v1/cases/{reference}/{rest}`, the reference encoded.
pub fn case_path(reference: &str, rest: &str) -> String {
    let base = format!("/api/v1/cases/{}", js_sys::encode_uri_component(reference));
    if rest.is_empty() { base } else { format!("{base}/{rest}") }
}

pub async fn get<T: DeserializeOwned>(url: String) -> Result<T, ApiFailure> {
    read(Request::get(&url).send().await.map_err(|_| ApiFailure::Unreachable)?).await
}

/// A write. Creating writes carry an idempotency key so a retry on a bad
/// connection returns the first result instead of a duplicate.
pub async fn send(method: &'static str, url: String, body: serde_json::Value, idempotency_key: Option<String>) -> Result<serde_json::Value, ApiFailure> {
    let builder = match method {
        "PUT" => gloo_net::http::RequestBuilder::new(&url).method(gloo_net::http::Method::PUT),
        "PATCH" => gloo_net::http::RequestBuilder::new(&url).method(gloo_net::http::Method::PATCH),
        _ => gloo_net::http::RequestBuilder::new(&url).method(gloo_net::http::Method::POST),
    };
    let builder = match &idempotency_key {
        Some(key) => builder.header("Idempotency-Key", key),
        None => builder,
    };
    let request = builder.json(&body).map_err(|_| ApiFailure::Unexpected(0))?;
    read(request.send().await.map_err(|_| ApiFailure::Unreachable)?).await
}

/// A fresh key for one creating submission.
pub fn new_key() -> String {
    let mut bytes = [0u8; 16];
    if let Some(crypto) = web_sys::window().and_then(|w| w.crypto().ok()) {
        let _ = crypto.get_random_values_with_u8_array(&mut bytes);
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub use domain::api::{Meeting, Meetings};

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Draft {
    pub id: String,
    pub label: String,
    pub received_on: String,
    pub subgroup_approved_on: Option<String>,
    pub executive_approved_on: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Person {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Review {
    pub reference: String,
    pub pseudonym: Option<String>,
    pub reviewer_user_id: Option<String>,
    pub reviewer_name: Option<String>,
    pub reviewer_independent: bool,
    pub expressions_of_interest: Option<u32>,
    pub conflicts_declared: bool,
    pub methodology: Option<String>,
    pub terms_of_reference: domain::review::TermsOfReference,
    pub key_lines_of_enquiry: Vec<String>,
    pub decided_on: Option<String>,
    pub planned_publication_on: Option<String>,
    pub published_on: Option<String>,
    pub publish_by: Option<String>,
    pub notice_by: Option<String>,
    pub notice_sent: bool,
    pub warnings: Vec<String>,
    pub family_engagement_count: u32,
    pub episode_count: u32,
    pub drafts: Vec<Draft>,
    pub reviewers: Vec<Person>,
    pub version: u32,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct LogEntry {
    pub id: String,
    pub occurred_on: String,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub entry: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub analysis: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Log {
    pub entries: Vec<LogEntry>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PlannedAction {
    pub id: String,
    pub reference: String,
    pub pseudonym: Option<String>,
    pub description: String,
    pub measure: Option<String>,
    pub owner_agency_id: String,
    pub owner_agency: String,
    pub due_on: String,
    pub status: String,
    pub status_label: String,
    pub overdue: bool,
    pub evidence: Option<String>,
    pub completed_on: Option<String>,
    pub version: u32,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Recommendation {
    pub id: String,
    pub text: String,
    pub theme: Option<String>,
    pub actions: Vec<PlannedAction>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ActionPlan {
    pub reference: String,
    pub recommendations: Vec<Recommendation>,
    pub open_actions: u32,
    pub overdue_actions: u32,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ActionList {
    pub actions: Vec<PlannedAction>,
    pub overdue: u32,
    pub total: u32,
}
