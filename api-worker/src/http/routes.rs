//! The API's routes as data: one table of method, path pattern and operation.
//! The table answers an unknown path with a JSON 404 and a known path with the
//! wrong method with a 405 whose `Allow` header it lists; a native test checks
//! it against `docs/openapi.json`. Everything but health, the calendar, the
//! public threshold decision, the session itself and the dev mailbox needs a
//! session.

use domain::access::Capability;
use worker::{Env, Method, Request, Response};

use crate::auth::session;
use crate::handlers::review::Log;
use crate::handlers::{
    action_plans, calendar, cases, decisions, documents, figures, information_requests, meetings, my_work, notification_check, notifications,
    rapid_review_report, review, settings, timeline,
};
use crate::http::context::{CaseCtx, Ctx};
use crate::http::error::ApiError;
use crate::http::origin;
use crate::http::reply;

/// The methods the API answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    Get,
    Head,
    Post,
    Put,
    Patch,
    Delete,
}

impl Verb {
    pub fn as_str(self) -> &'static str {
        match self {
            Verb::Get => "GET",
            Verb::Head => "HEAD",
            Verb::Post => "POST",
            Verb::Put => "PUT",
            Verb::Patch => "PATCH",
            Verb::Delete => "DELETE",
        }
    }

    fn of(method: &Method) -> Option<Verb> {
        Some(match method {
            Method::Get => Verb::Get,
            Method::Head => Verb::Head,
            Method::Post => Verb::Post,
            Method::Put => Verb::Put,
            Method::Patch => Verb::Patch,
            Method::Delete => Verb::Delete,
            _ => return None,
        })
    }
}

/// Every operation of the API, named for what it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Health,
    CalendarDue,
    DecideNotification,
    SignIn,
    CurrentSession,
    SignOut,
    SignOutEverywhere,
    SubmitReferral,
    ReadSettings,
    AddAgency,
    AddContact,
    SetClosureDays,
    SetPlaybook,
    LoadBankHolidays,
    DevMailbox,
    MyWork,
    ListCases,
    Figures,
    ExportCases,
    ReadCase,
    UpdateCase,
    Timeline,
    RecordEvent,
    ExtendDeadline,
    ThresholdDecision,
    RapidReviewDecision,
    Notifications,
    ListInformationRequests,
    SendInformationRequest,
    ReturnInformation,
    Chronology,
    ReadReport,
    WriteReport,
    SignOffReport,
    Document,
    ListMeetings,
    BookMeeting,
    RecordMeeting,
    MeetingInvitation,
    ReadReview,
    UpdateReview,
    ReadFamilyEngagement,
    AddFamilyEngagement,
    ReadEpisodes,
    AddEpisode,
    AddDraft,
    ApproveDraft,
    ReadActionPlan,
    AddRecommendation,
    AddAction,
    ListActions,
    UpdateAction,
    PersonalDetails,
}

impl Op {
    /// Answered without a session: nothing behind them is personal or the partnership's.
    pub fn is_public(self) -> bool {
        matches!(self, Op::Health | Op::CalendarDue | Op::DecideNotification | Op::SignIn | Op::CurrentSession | Op::SignOut)
    }
}

/// One row of the table. `path` is under `/api/v1`; `{name}` captures a segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    pub verb: Verb,
    pub path: &'static str,
    pub op: Op,
}

impl Route {
    /// Under `/cases/{reference}`: the handler gets the case, found and authorised.
    pub fn is_about_a_case(&self) -> bool {
        self.path.starts_with("/cases/{reference}")
    }
}

const fn route(verb: Verb, path: &'static str, op: Op) -> Route {
    Route { verb, path, op }
}

use Verb::{Delete, Get, Head, Patch, Post, Put};

pub const ROUTES: &[Route] = &[
    route(Get, "/health", Op::Health),
    route(Head, "/health", Op::Health),
    route(Get, "/calendar/due", Op::CalendarDue),
    route(Post, "/decisions/notification", Op::DecideNotification),
    route(Get, "/session", Op::CurrentSession),
    route(Post, "/session", Op::SignIn),
    route(Delete, "/session", Op::SignOut),
    route(Delete, "/sessions", Op::SignOutEverywhere),
    route(Post, "/referrals", Op::SubmitReferral),
    route(Get, "/partnership", Op::ReadSettings),
    route(Post, "/partnership/agencies", Op::AddAgency),
    route(Post, "/partnership/contacts", Op::AddContact),
    route(Put, "/partnership/closure-days", Op::SetClosureDays),
    route(Put, "/partnership/playbook", Op::SetPlaybook),
    route(Put, "/partnership/bank-holidays", Op::LoadBankHolidays),
    route(Get, "/dev/mailbox", Op::DevMailbox),
    route(Get, "/my-work", Op::MyWork),
    route(Get, "/cases", Op::ListCases),
    route(Get, "/figures", Op::Figures),
    route(Get, "/cases.csv", Op::ExportCases),
    route(Get, "/cases/{reference}", Op::ReadCase),
    route(Patch, "/cases/{reference}", Op::UpdateCase),
    route(Get, "/cases/{reference}/timeline", Op::Timeline),
    route(Post, "/cases/{reference}/events", Op::RecordEvent),
    route(Post, "/cases/{reference}/deadlines/{step}/extension", Op::ExtendDeadline),
    route(Post, "/cases/{reference}/decisions/threshold", Op::ThresholdDecision),
    route(Post, "/cases/{reference}/decisions/rapid-review", Op::RapidReviewDecision),
    route(Get, "/cases/{reference}/notifications", Op::Notifications),
    route(Get, "/cases/{reference}/information-requests", Op::ListInformationRequests),
    route(Post, "/cases/{reference}/information-requests", Op::SendInformationRequest),
    route(Post, "/information-requests/{id}/return", Op::ReturnInformation),
    route(Get, "/cases/{reference}/chronology", Op::Chronology),
    route(Get, "/cases/{reference}/rapid-review-report", Op::ReadReport),
    route(Put, "/cases/{reference}/rapid-review-report", Op::WriteReport),
    route(Post, "/cases/{reference}/rapid-review-report/sign-off", Op::SignOffReport),
    route(Get, "/cases/{reference}/documents/{file}", Op::Document),
    route(Get, "/cases/{reference}/meetings", Op::ListMeetings),
    route(Post, "/cases/{reference}/meetings", Op::BookMeeting),
    route(Put, "/cases/{reference}/meetings/{id}", Op::RecordMeeting),
    route(Get, "/cases/{reference}/meetings/{id}/invitation.ics", Op::MeetingInvitation),
    route(Get, "/cases/{reference}/review", Op::ReadReview),
    route(Put, "/cases/{reference}/review", Op::UpdateReview),
    route(Get, "/cases/{reference}/review/family-engagement", Op::ReadFamilyEngagement),
    route(Post, "/cases/{reference}/review/family-engagement", Op::AddFamilyEngagement),
    route(Get, "/cases/{reference}/review/episodes", Op::ReadEpisodes),
    route(Post, "/cases/{reference}/review/episodes", Op::AddEpisode),
    route(Post, "/cases/{reference}/review/drafts", Op::AddDraft),
    route(Post, "/cases/{reference}/review/drafts/{id}/approval", Op::ApproveDraft),
    route(Get, "/cases/{reference}/recommendations", Op::ReadActionPlan),
    route(Post, "/cases/{reference}/recommendations", Op::AddRecommendation),
    route(Post, "/cases/{reference}/recommendations/{id}/actions", Op::AddAction),
    route(Get, "/actions", Op::ListActions),
    route(Patch, "/actions/{id}", Op::UpdateAction),
    route(Get, "/cases/{reference}/personal-details", Op::PersonalDetails),
];

/// What the table says about a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Matched<'a> {
    /// The route, with the captured segments in the pattern's order.
    Found(&'static Route, Vec<&'a str>),
    /// The path exists, with these methods only (the `Allow` header).
    WrongMethod(Vec<&'static str>),
    NotFound,
}

/// The captured segments when `pattern` matches `segments`.
fn captures<'a>(pattern: &str, segments: &[&'a str]) -> Option<Vec<&'a str>> {
    let parts: Vec<&str> = pattern.trim_start_matches('/').split('/').collect();
    if parts.len() != segments.len() {
        return None;
    }
    let mut captured = Vec::new();
    for (part, segment) in parts.iter().zip(segments) {
        if part.starts_with('{') {
            captured.push(*segment);
        } else if part != segment {
            return None;
        }
    }
    Some(captured)
}

/// Finds the route for a method (`None`: one the API never answers) and a
/// full request path (`/api/v1/...`).
pub fn find(verb: Option<Verb>, path: &str) -> Matched<'_> {
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
    let Some(["api", "v1", rest @ ..]) = Some(segments.as_slice()) else {
        return Matched::NotFound;
    };
    let mut allowed: Vec<&'static str> = Vec::new();
    for route in ROUTES {
        if let Some(captured) = captures(route.path, rest) {
            if Some(route.verb) == verb {
                return Matched::Found(route, captured);
            }
            // HEAD is answered where the table says so; Allow names the methods a client would send.
            if route.verb != Verb::Head && !allowed.contains(&route.verb.as_str()) {
                allowed.push(route.verb.as_str());
            }
        }
    }
    if allowed.is_empty() { Matched::NotFound } else { Matched::WrongMethod(allowed) }
}

/// Whether the request is a change by a signed-in person: only those may
/// queue messages, so only those start a delivery run after the response
/// (an anonymous request never makes the worker call out).
pub fn is_signed_in_change(req: &Request) -> bool {
    match find(Verb::of(&req.method()), &req.path()) {
        Matched::Found(route, _) => !matches!(route.verb, Verb::Get | Verb::Head) && !route.op.is_public(),
        _ => false,
    }
}

pub async fn handle(mut req: Request, env: &Env) -> Result<Response, ApiError> {
    let path = req.path();
    let (route, params) = match find(Verb::of(&req.method()), &path) {
        Matched::Found(route, params) => (route, params.into_iter().map(String::from).collect::<Vec<_>>()),
        Matched::WrongMethod(allowed) => return Err(ApiError::MethodNotAllowed { allowed }),
        Matched::NotFound => return Err(ApiError::NotFound),
    };
    let req = &mut req;
    if !matches!(route.verb, Verb::Get | Verb::Head) {
        origin::require_same_origin(req)?;
    }
    let op = route.op;
    if op.is_public() {
        return public(op, req, env).await;
    }
    let p = |i: usize| params.get(i).map_or("", String::as_str);
    let ctx = &Ctx::signed_in(req, env).await?;
    if route.is_about_a_case() {
        let case = &ctx.case(p(0)).await?;
        return about_a_case(op, req, case, p(1)).await;
    }
    match op {
        Op::SubmitReferral => cases::submit_referral(req, ctx).await,
        Op::ReadSettings => settings::read(ctx).await,
        Op::AddAgency => settings::add_agency(req, ctx).await,
        Op::AddContact => settings::add_contact(req, ctx).await,
        Op::SetClosureDays => settings::set_closure_days(req, ctx).await,
        Op::SetPlaybook => settings::set_playbook(req, ctx).await,
        Op::LoadBankHolidays => settings::load_bank_holidays(req, ctx).await,
        Op::MyWork => my_work::my_work(ctx).await,
        Op::SignOutEverywhere => session::sign_out_everywhere(&ctx.db, &ctx.who).await,
        Op::DevMailbox => notifications::dev_mailbox(ctx).await,
        Op::ListCases => cases::list_cases(req, ctx).await,
        Op::Figures => figures::figures(req, ctx).await,
        Op::ExportCases => cases::export_cases(req, ctx).await,
        Op::ReturnInformation => information_requests::answer(req, ctx, p(0)).await,
        Op::ListActions => action_plans::list_actions(req, ctx).await,
        Op::UpdateAction => action_plans::update_action(req, ctx, p(0)).await,
        // The public operations and those about a case were answered above.
        _ => Err(ApiError::NotFound),
    }
}

/// The operations under `/cases/{reference}`; `id` is the segment after it
/// where the path has one (a step, a meeting, a draft, a recommendation, a file).
async fn about_a_case(op: Op, req: &mut Request, c: &CaseCtx<'_>, id: &str) -> Result<Response, ApiError> {
    // The stage and dates (the case and its timeline) are for everyone who may
    // see the case; the rest of its record is not (a referrer's, for one).
    if !matches!(op, Op::ReadCase | Op::Timeline) {
        c.require(Capability::ReadCaseRecord)?;
    }
    match op {
        Op::ReadCase => cases::read_case(c).await,
        Op::UpdateCase => cases::update_case(req, c).await,
        Op::PersonalDetails => cases::read_personal_details(c).await,
        Op::Timeline => timeline::timeline(c).await,
        Op::RecordEvent => timeline::record_event(req, c).await,
        Op::ExtendDeadline => timeline::extend_deadline(req, c, id).await,
        Op::ThresholdDecision => decisions::record_threshold_decision(req, c).await,
        Op::RapidReviewDecision => decisions::record_rapid_review_decision(req, c).await,
        Op::Notifications => notifications::case_log(c).await,
        Op::ListInformationRequests => information_requests::list(c).await,
        Op::SendInformationRequest => information_requests::send(req, c).await,
        Op::Chronology => information_requests::chronology(c).await,
        Op::ReadReport => rapid_review_report::read(c).await,
        Op::WriteReport => rapid_review_report::write(req, c).await,
        Op::SignOffReport => rapid_review_report::sign_off(req, c).await,
        Op::Document => documents::generate(c, id).await,
        Op::ListMeetings => meetings::list(c).await,
        Op::BookMeeting => meetings::schedule(req, c).await,
        Op::RecordMeeting => meetings::record(req, c, id).await,
        Op::MeetingInvitation => meetings::invitation(req, c, id).await,
        Op::ReadReview => review::read(c).await,
        Op::UpdateReview => review::update(req, c).await,
        Op::ReadFamilyEngagement => review::read_log(c, Log::FamilyEngagement).await,
        Op::AddFamilyEngagement => review::add_to_log(req, c, Log::FamilyEngagement).await,
        Op::ReadEpisodes => review::read_log(c, Log::Episodes).await,
        Op::AddEpisode => review::add_to_log(req, c, Log::Episodes).await,
        Op::AddDraft => review::add_draft(req, c).await,
        Op::ApproveDraft => review::approve_draft(req, c, id).await,
        Op::ReadActionPlan => action_plans::read_plan(c).await,
        Op::AddRecommendation => action_plans::add_recommendation(req, c).await,
        Op::AddAction => action_plans::add_action(req, c, id).await,
        _ => Err(ApiError::NotFound),
    }
}

/// The operations answered before anyone is known.
async fn public(op: Op, req: &mut Request, env: &Env) -> Result<Response, ApiError> {
    match op {
        Op::Health => reply::json(200, &domain::api::Health { status: "ok".into() }),
        Op::CalendarDue => calendar::due(req),
        Op::DecideNotification => notification_check::answer(req).await,
        Op::SignIn => session::sign_in(req, env).await,
        Op::CurrentSession => session::current(req, env).await,
        Op::SignOut => session::sign_out(req, env).await,
        _ => Err(ApiError::Unauthenticated),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_known_path_finds_its_operation_and_captures_in_order() {
        let op = |m: Matched<'_>| match m {
            Matched::Found(route, captured) => Some((route.op, captured.into_iter().map(String::from).collect::<Vec<_>>())),
            _ => None,
        };
        assert_eq!(op(find(Some(Get), "/api/v1/health")), Some((Op::Health, vec![])));
        assert_eq!(op(find(Some(Head), "/api/v1/health/")), Some((Op::Health, vec![])));
        assert_eq!(
            op(find(Some(Post), "/api/v1/cases/KRSCP-2026-0001/deadlines/notify_panel/extension")),
            Some((Op::ExtendDeadline, vec!["KRSCP-2026-0001".into(), "notify_panel".into()]))
        );
        assert_eq!(op(find(Some(Get), "/api/v1/cases.csv")), Some((Op::ExportCases, vec![])));
        assert_eq!(op(find(Some(Get), "/api/v1/cases/KRSCP-2026-0001")), Some((Op::ReadCase, vec!["KRSCP-2026-0001".into()])));
    }

    #[test]
    fn a_wrong_method_lists_what_the_path_allows_and_an_unknown_path_is_not_found() {
        assert_eq!(find(Some(Delete), "/api/v1/cases/KRSCP-2026-0001"), Matched::WrongMethod(vec!["GET", "PATCH"]));
        assert_eq!(find(Some(Post), "/api/v1/health"), Matched::WrongMethod(vec!["GET"]));
        assert_eq!(find(None, "/api/v1/session"), Matched::WrongMethod(vec!["GET", "POST", "DELETE"]));
        assert_eq!(find(Some(Get), "/api/v1/nowhere"), Matched::NotFound);
        assert_eq!(find(Some(Get), "/api/v2/health"), Matched::NotFound);
        assert_eq!(find(Some(Get), "/health"), Matched::NotFound);
    }

    #[test]
    fn no_two_routes_claim_the_same_method_and_path() {
        for (i, a) in ROUTES.iter().enumerate() {
            for b in &ROUTES[i + 1..] {
                assert!(!(a.verb == b.verb && a.path == b.path), "{} {} twice", a.verb.as_str(), a.path);
            }
        }
    }

    #[test]
    fn only_the_public_operations_are_answered_without_a_session() {
        let public: Vec<&str> = ROUTES.iter().filter(|r| r.op.is_public()).map(|r| r.path).collect();
        assert!(public.iter().all(|p| ["/health", "/calendar/due", "/decisions/notification", "/session"].contains(p)), "{public:?}");
        assert!(!Op::ReadCase.is_public() && !Op::SubmitReferral.is_public());
    }

    /// Every operation under `/cases/{reference}` is given the case, and no other is.
    #[test]
    fn the_case_is_loaded_for_exactly_the_routes_under_a_case() {
        let about: Vec<Op> = ROUTES.iter().filter(|r| r.is_about_a_case()).map(|r| r.op).collect();
        assert!(about.contains(&Op::ReadCase) && about.contains(&Op::Document) && about.contains(&Op::AddAction));
        for outside in [Op::ListCases, Op::ExportCases, Op::UpdateAction, Op::ReturnInformation, Op::SubmitReferral] {
            assert!(!about.contains(&outside), "{outside:?}");
        }
        assert!(ROUTES.iter().filter(|r| r.path.contains("{reference}")).all(|r| r.is_about_a_case()));
    }

    /// `docs/openapi.json` describes exactly the table (HEAD is implied by GET there).
    #[test]
    fn the_openapi_document_describes_exactly_the_route_table() {
        let spec: serde_json::Value = serde_json::from_str(include_str!("../../../docs/openapi.json")).expect("openapi.json is JSON");
        let shape = |path: &str| {
            path.split('/')
                .map(|s| if s.starts_with('{') { "{}" } else { s })
                .collect::<Vec<_>>()
                .join("/")
        };
        let mut documented: Vec<String> = Vec::new();
        for (path, item) in spec["paths"].as_object().expect("paths") {
            for method in ["get", "post", "put", "patch", "delete"] {
                if item.get(method).is_some() {
                    documented.push(format!("{} {}", method.to_uppercase(), shape(path.trim_start_matches("/api/v1"))));
                }
            }
        }
        let mut served: Vec<String> = ROUTES.iter().filter(|r| r.verb != Head).map(|r| format!("{} {}", r.verb.as_str(), shape(r.path))).collect();
        documented.sort();
        served.sort();
        assert_eq!(served, documented);
    }
}
