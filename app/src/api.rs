//! The app's only door to the API: one typed function per operation. Each
//! takes the domain's `*Input` type the worker parses and returns the
//! `domain::api` response the worker writes, so the compiler keeps the two
//! halves in step; failures come back as something a person can act on.

use domain::FieldError;
use domain::access::{SignInInput, SignedIn};
use domain::api::{
    ActionAdded, ActionList, ActionPlan, Agency, CaseView, Chronology, DraftAdded, ErrorBody, InformationRequests, LogEntryAdded, Mailbox,
    Meeting, Meetings, MyWork, NotificationLog, PartnershipSettings, PlannedAction, RapidReviewDecisionRecorded, RapidReviewReport,
    RecommendationAdded, Rejection, ReturnReceipt, Review, ReviewLog, ThresholdDecisionRecorded, Timeline,
};
use domain::action_plan::{ActionInput, ActionUpdateInput, RecommendationInput};
use domain::case::{CaseList, ReferralReceipt};
use domain::deadline::ExtensionInput;
use domain::figures::Figures;
use domain::information::{RequestInput, ReturnInput};
use domain::meeting::{AttendanceInput, MeetingInput};
use domain::rapid_review::RapidReviewDecisionInput;
use domain::rapid_review_report::{SignOffInput, WriteUpInput};
use domain::referral::{PersonalDetails, ReferralInput};
use domain::review::{ApprovalInput, DraftInput, EpisodeInput, FamilyContactInput, ReviewInput};
use domain::settings::{AgencyInput, BankHolidaysInput, ClosureDaysInput, PlaybookChangeInput};
use domain::threshold::ThresholdDecisionInput;
use domain::timeline::EventInput;
use gloo_net::http::{Method, RequestBuilder, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

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
            ApiFailure::Unreachable => "We could not reach the service. Check your connection and try again.".into(),
            ApiFailure::Rejected(rejection) => rejection.message.clone(),
            ApiFailure::Unexpected(status) => format!("The service had a problem (status {status}). Try again in a moment."),
        }
    }

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

    /// The service refused because someone else changed the record first.
    pub fn is_conflict(&self) -> bool {
        matches!(self, ApiFailure::Rejected(r) if r.code == "conflict")
    }

    pub fn is_not_found(&self) -> bool {
        matches!(self, ApiFailure::Rejected(r) if r.code == "not_found")
    }

    pub fn is_forbidden(&self) -> bool {
        matches!(self, ApiFailure::Rejected(r) if r.code == "forbidden")
    }
}

async fn read<T: DeserializeOwned>(response: Response) -> Result<T, ApiFailure> {
    let status = response.status();
    if response.ok() {
        return response.json::<T>().await.map_err(|_| ApiFailure::Unexpected(status));
    }
    match response.json::<ErrorBody>().await {
        // The session ended (idle, or signed out elsewhere) while the app was open.
        Ok(body) if body.error.code == "unauthenticated" => {
            crate::device::session_ended();
            Err(ApiFailure::Rejected(body.error))
        }
        Ok(body) => Err(ApiFailure::Rejected(body.error)),
        Err(_) => Err(ApiFailure::Unexpected(status)),
    }
}

async fn get<T: DeserializeOwned>(url: &str) -> Result<T, ApiFailure> {
    read(RequestBuilder::new(url).send().await.map_err(|_| ApiFailure::Unreachable)?).await
}

/// A write. Creating writes carry an idempotency key so a retry on a bad
/// connection returns the first result instead of a duplicate.
async fn write<B: Serialize, T: DeserializeOwned>(method: Method, url: &str, body: &B, idempotency_key: Option<&str>) -> Result<T, ApiFailure> {
    let builder = RequestBuilder::new(url).method(method);
    let builder = match idempotency_key {
        Some(key) => builder.header("Idempotency-Key", key),
        None => builder,
    };
    let request = builder.json(body).map_err(|_| ApiFailure::Unexpected(0))?;
    read(request.send().await.map_err(|_| ApiFailure::Unreachable)?).await
}

fn encode(segment: &str) -> String {
    js_sys::encode_uri_component(segment).into()
}

/// `/api/v1/cases/{reference}/{rest}`, the reference encoded.
fn case_path(reference: &str, rest: &str) -> String {
    let base = format!("/api/v1/cases/{}", encode(reference));
    if rest.is_empty() { base } else { format!("{base}/{rest}") }
}

/// A fresh key for one creating submission.
pub fn new_key() -> String {
    let mut bytes = [0u8; 16];
    if let Some(crypto) = web_sys::window().and_then(|w| w.crypto().ok()) {
        let _ = crypto.get_random_values_with_u8_array(&mut bytes);
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

// Links the browser follows itself (downloads), not calls the app makes.

/// A document made from the case, e.g. `rapid-review-report.docx`.
pub fn document_url(reference: &str, file: &str) -> String {
    case_path(reference, &format!("documents/{file}"))
}

/// A meeting's calendar invitation.
pub fn invitation_url(reference: &str, meeting_id: &str) -> String {
    case_path(reference, &format!("meetings/{}/invitation.ics", encode(meeting_id)))
}

/// The case matrix as CSV, with the same filters as the list.
pub fn cases_csv_url(query: &str) -> String {
    if query.is_empty() { "/api/v1/cases.csv".into() } else { format!("/api/v1/cases.csv?{query}") }
}

// Session.

pub async fn sign_in(input: SignInInput) -> Result<SignedIn, ApiFailure> {
    write(Method::POST, "/api/v1/session", &input, None).await
}

/// The signed-in person, or `None` when there is no live session.
pub async fn current_session() -> Result<Option<SignedIn>, ApiFailure> {
    let response = RequestBuilder::new("/api/v1/session").send().await.map_err(|_| ApiFailure::Unreachable)?;
    if response.status() == 401 {
        return Ok(None);
    }
    read(response).await.map(Some)
}

/// Ends this device's session (`everywhere`: every session of this person, on every device).
pub async fn sign_out(everywhere: bool) -> Result<(), ApiFailure> {
    let path = if everywhere { "/api/v1/sessions" } else { "/api/v1/session" };
    let response = RequestBuilder::new(path).method(Method::DELETE).send().await.map_err(|_| ApiFailure::Unreachable)?;
    // Signed out already (the session had ended) is as good as signed out.
    if response.ok() || response.status() == 401 { Ok(()) } else { Err(ApiFailure::Unexpected(response.status())) }
}

// Referrals and cases.

pub async fn submit_referral(input: ReferralInput, idempotency_key: String) -> Result<ReferralReceipt, ApiFailure> {
    write(Method::POST, "/api/v1/referrals", &input, Some(&idempotency_key)).await
}

/// The case matrix: `query` is the list's own query string (filters, sort, page).
pub async fn list_cases(query: String) -> Result<CaseList, ApiFailure> {
    if query.is_empty() { get("/api/v1/cases").await } else { get(&format!("/api/v1/cases?{query}")).await }
}

/// The figures over a period: `query` is `from=…&to=…` or empty.
pub async fn figures(query: String) -> Result<Figures, ApiFailure> {
    if query.is_empty() { get("/api/v1/figures").await } else { get(&format!("/api/v1/figures?{query}")).await }
}

pub async fn read_case(reference: String) -> Result<CaseView, ApiFailure> {
    get(&case_path(&reference, "")).await
}

/// The child's and family's details: opened on purpose, and audited.
pub async fn read_personal_details(reference: String) -> Result<PersonalDetails, ApiFailure> {
    get(&case_path(&reference, "personal-details")).await
}

pub async fn my_work() -> Result<MyWork, ApiFailure> {
    get("/api/v1/my-work").await
}

// Decisions.

pub async fn record_threshold_decision(reference: String, input: ThresholdDecisionInput) -> Result<ThresholdDecisionRecorded, ApiFailure> {
    write(Method::POST, &case_path(&reference, "decisions/threshold"), &input, None).await
}

pub async fn record_rapid_review_decision(reference: String, input: RapidReviewDecisionInput) -> Result<RapidReviewDecisionRecorded, ApiFailure> {
    write(Method::POST, &case_path(&reference, "decisions/rapid-review"), &input, None).await
}

// Timeline and deadlines.

/// A case's events and deadlines with their status today.
pub async fn timeline(reference: String) -> Result<Timeline, ApiFailure> {
    get(&case_path(&reference, "timeline")).await
}

/// Records an event (or a correction) on a case's timeline; answers with the timeline.
pub async fn record_event(reference: String, input: EventInput) -> Result<Timeline, ApiFailure> {
    write(Method::POST, &case_path(&reference, "events"), &input, None).await
}

/// Extends one deadline with a reason; answers with the timeline.
pub async fn extend_deadline(reference: String, step_key: String, input: ExtensionInput) -> Result<Timeline, ApiFailure> {
    write(Method::POST, &case_path(&reference, &format!("deadlines/{}/extension", encode(&step_key))), &input, None).await
}

pub async fn case_notifications(reference: String) -> Result<NotificationLog, ApiFailure> {
    get(&case_path(&reference, "notifications")).await
}

// Information from agencies.

pub async fn information_requests(reference: String) -> Result<InformationRequests, ApiFailure> {
    get(&case_path(&reference, "information-requests")).await
}

pub async fn send_information_request(reference: String, input: RequestInput) -> Result<InformationRequests, ApiFailure> {
    write(Method::POST, &case_path(&reference, "information-requests"), &input, None).await
}

pub async fn return_information(request_id: String, input: ReturnInput) -> Result<ReturnReceipt, ApiFailure> {
    write(Method::POST, &format!("/api/v1/information-requests/{}/return", encode(&request_id)), &input, None).await
}

/// The merged chronology: personal data, opened on purpose and audited.
pub async fn chronology(reference: String) -> Result<Chronology, ApiFailure> {
    get(&case_path(&reference, "chronology")).await
}

// Meetings.

pub async fn meetings(reference: String) -> Result<Meetings, ApiFailure> {
    get(&case_path(&reference, "meetings")).await
}

pub async fn book_meeting(reference: String, input: MeetingInput, idempotency_key: String) -> Result<Meeting, ApiFailure> {
    write(Method::POST, &case_path(&reference, "meetings"), &input, Some(&idempotency_key)).await
}

pub async fn record_meeting(reference: String, meeting_id: String, input: AttendanceInput) -> Result<Meeting, ApiFailure> {
    write(Method::PUT, &case_path(&reference, &format!("meetings/{}", encode(&meeting_id))), &input, None).await
}

// The rapid review report.

pub async fn rapid_review_report(reference: String) -> Result<RapidReviewReport, ApiFailure> {
    get(&case_path(&reference, "rapid-review-report")).await
}

pub async fn write_rapid_review_report(reference: String, input: WriteUpInput) -> Result<RapidReviewReport, ApiFailure> {
    write(Method::PUT, &case_path(&reference, "rapid-review-report"), &input, None).await
}

pub async fn sign_off_rapid_review_report(reference: String, input: SignOffInput) -> Result<RapidReviewReport, ApiFailure> {
    write(Method::POST, &case_path(&reference, "rapid-review-report/sign-off"), &input, None).await
}

// The LCSPR.

/// Which sealed log of the review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewLogKind {
    FamilyEngagement,
    Episodes,
}

impl ReviewLogKind {
    fn path(self) -> &'static str {
        match self {
            ReviewLogKind::FamilyEngagement => "review/family-engagement",
            ReviewLogKind::Episodes => "review/episodes",
        }
    }
}

pub async fn review(reference: String) -> Result<Review, ApiFailure> {
    get(&case_path(&reference, "review")).await
}

pub async fn update_review(reference: String, input: ReviewInput) -> Result<Review, ApiFailure> {
    write(Method::PUT, &case_path(&reference, "review"), &input, None).await
}

/// A sealed log, opened on purpose (audited).
pub async fn review_log(reference: String, log: ReviewLogKind) -> Result<ReviewLog, ApiFailure> {
    get(&case_path(&reference, log.path())).await
}

pub async fn add_family_contact(reference: String, input: FamilyContactInput, idempotency_key: String) -> Result<LogEntryAdded, ApiFailure> {
    write(Method::POST, &case_path(&reference, ReviewLogKind::FamilyEngagement.path()), &input, Some(&idempotency_key)).await
}

pub async fn add_episode(reference: String, input: EpisodeInput, idempotency_key: String) -> Result<LogEntryAdded, ApiFailure> {
    write(Method::POST, &case_path(&reference, ReviewLogKind::Episodes.path()), &input, Some(&idempotency_key)).await
}

pub async fn add_draft(reference: String, input: DraftInput, idempotency_key: String) -> Result<DraftAdded, ApiFailure> {
    write(Method::POST, &case_path(&reference, "review/drafts"), &input, Some(&idempotency_key)).await
}

pub async fn approve_draft(reference: String, draft_id: String, input: ApprovalInput) -> Result<Review, ApiFailure> {
    write(Method::POST, &case_path(&reference, &format!("review/drafts/{}/approval", encode(&draft_id))), &input, None).await
}

// Action plans.

pub async fn action_plan(reference: String) -> Result<ActionPlan, ApiFailure> {
    get(&case_path(&reference, "recommendations")).await
}

pub async fn add_recommendation(reference: String, input: RecommendationInput, idempotency_key: String) -> Result<RecommendationAdded, ApiFailure> {
    write(Method::POST, &case_path(&reference, "recommendations"), &input, Some(&idempotency_key)).await
}

pub async fn add_action(reference: String, recommendation_id: String, input: ActionInput, idempotency_key: String) -> Result<ActionAdded, ApiFailure> {
    let url = case_path(&reference, &format!("recommendations/{}/actions", encode(&recommendation_id)));
    write(Method::POST, &url, &input, Some(&idempotency_key)).await
}

pub async fn update_action(action_id: String, input: ActionUpdateInput) -> Result<PlannedAction, ApiFailure> {
    write(Method::PATCH, &format!("/api/v1/actions/{}", encode(&action_id)), &input, None).await
}

/// Actions across cases; only the overdue ones when asked.
pub async fn actions(overdue_only: bool) -> Result<ActionList, ApiFailure> {
    get(if overdue_only { "/api/v1/actions?overdue=1" } else { "/api/v1/actions" }).await
}

// The partnership's settings.

pub async fn settings() -> Result<PartnershipSettings, ApiFailure> {
    get("/api/v1/partnership").await
}

pub async fn add_agency(input: AgencyInput) -> Result<Agency, ApiFailure> {
    write(Method::POST, "/api/v1/partnership/agencies", &input, None).await
}

pub async fn set_closure_days(input: ClosureDaysInput) -> Result<PartnershipSettings, ApiFailure> {
    write(Method::PUT, "/api/v1/partnership/closure-days", &input, None).await
}

pub async fn set_playbook(input: PlaybookChangeInput) -> Result<PartnershipSettings, ApiFailure> {
    write(Method::PUT, "/api/v1/partnership/playbook", &input, None).await
}

pub async fn load_bank_holidays(input: BankHolidaysInput) -> Result<PartnershipSettings, ApiFailure> {
    write(Method::PUT, "/api/v1/partnership/bank-holidays", &input, None).await
}

/// Messages "sent" locally (only where the dev mailbox is on).
pub async fn dev_mailbox() -> Result<Mailbox, ApiFailure> {
    get("/api/v1/dev/mailbox").await
}
