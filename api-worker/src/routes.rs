//! The API's routes: one table from method and path to handler, so that an
//! unknown path is a JSON 404 and a known path with the wrong method a 405.
//! Everything but health, the calendar and the threshold decision needs a session.

use worker::{Env, Method, Request, Response};

use crate::api_error::ApiError;
use crate::identity::{self, principal};
use crate::review_store::Log;
use crate::{action_plans, calendar_api, case_store, decision_api, documents_api, figures, information_requests, meetings, my_work, notifier, rapid_review_report, reply, review_store, settings_store, timeline_store};

pub async fn handle(mut req: Request, env: &Env) -> Result<Response, ApiError> {
    let path = req.path();
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
    let method = req.method();
    let Some(["api", "v1", rest @ ..]) = Some(segments.as_slice()) else {
        return Err(ApiError::NotFound);
    };
    match (rest, method) {
        (["health"], Method::Get | Method::Head) => reply::json(200, &domain::api::Health { status: "ok".into() }),
        (["health"], _) => Err(ApiError::MethodNotAllowed { allowed: &["GET"] }),

        (["calendar", "due"], Method::Get) => calendar_api::due(&req),
        (["calendar", "due"], _) => Err(ApiError::MethodNotAllowed { allowed: &["GET"] }),

        (["decisions", "notification"], Method::Post) => decision_api::notification(&mut req).await,
        (["decisions", "notification"], _) => Err(ApiError::MethodNotAllowed { allowed: &["POST"] }),

        (["session"], Method::Post) => identity::sign_in(&mut req, env).await,
        (["session"], Method::Get) => identity::current(&req, env).await,
        (["session"], Method::Delete) => identity::sign_out(&req, env).await,
        (["session"], _) => Err(ApiError::MethodNotAllowed { allowed: &["GET", "POST", "DELETE"] }),

        (["referrals"], Method::Post) => {
            let who = principal(&req, env).await?;
            case_store::submit_referral(&mut req, env, &who).await
        }
        (["referrals"], _) => Err(ApiError::MethodNotAllowed { allowed: &["POST"] }),

        (["partnership"], Method::Get) => settings_store::read(env, &principal(&req, env).await?).await,
        (["partnership"], _) => Err(ApiError::MethodNotAllowed { allowed: &["GET"] }),
        (["partnership", "agencies"], Method::Post) => {
            let who = principal(&req, env).await?;
            settings_store::add_agency(&mut req, env, &who).await
        }
        (["partnership", "agencies"], _) => Err(ApiError::MethodNotAllowed { allowed: &["POST"] }),
        (["partnership", "contacts"], Method::Post) => {
            let who = principal(&req, env).await?;
            settings_store::add_contact(&mut req, env, &who).await
        }
        (["partnership", "contacts"], _) => Err(ApiError::MethodNotAllowed { allowed: &["POST"] }),
        (["partnership", "closure-days"], Method::Put) => {
            let who = principal(&req, env).await?;
            settings_store::set_closure_days(&mut req, env, &who).await
        }
        (["partnership", "closure-days"], _) => Err(ApiError::MethodNotAllowed { allowed: &["PUT"] }),
        (["partnership", "playbook"], Method::Put) => {
            let who = principal(&req, env).await?;
            settings_store::set_playbook(&mut req, env, &who).await
        }
        (["partnership", "playbook"], _) => Err(ApiError::MethodNotAllowed { allowed: &["PUT"] }),
        (["partnership", "bank-holidays"], Method::Put) => {
            let who = principal(&req, env).await?;
            settings_store::load_bank_holidays(&mut req, env, &who).await
        }
        (["partnership", "bank-holidays"], _) => Err(ApiError::MethodNotAllowed { allowed: &["PUT"] }),

        (["dev", "mailbox"], Method::Get) => notifier::dev_mailbox_list(env).await,
        (["dev", "mailbox"], _) => Err(ApiError::MethodNotAllowed { allowed: &["GET"] }),

        (["my-work"], Method::Get) => my_work::my_work(env, &principal(&req, env).await?).await,
        (["my-work"], _) => Err(ApiError::MethodNotAllowed { allowed: &["GET"] }),

        (["cases"], Method::Get) => case_store::list_cases(&req, env, &principal(&req, env).await?).await,
        (["cases"], _) => Err(ApiError::MethodNotAllowed { allowed: &["GET"] }),

        (["figures"], Method::Get) => figures::figures(&req, env, &principal(&req, env).await?).await,
        (["figures"], _) => Err(ApiError::MethodNotAllowed { allowed: &["GET"] }),

        (["cases.csv"], Method::Get) => case_store::export_cases(&req, env, &principal(&req, env).await?).await,
        (["cases.csv"], _) => Err(ApiError::MethodNotAllowed { allowed: &["GET"] }),

        (["cases", reference], Method::Get) => case_store::read_case(env, &principal(&req, env).await?, reference).await,
        (["cases", reference], Method::Patch) => {
            let who = principal(&req, env).await?;
            case_store::update_case(&mut req, env, &who, reference).await
        }
        (["cases", _], _) => Err(ApiError::MethodNotAllowed { allowed: &["GET", "PATCH"] }),

        (["cases", reference, "timeline"], Method::Get) => {
            timeline_store::timeline(env, &principal(&req, env).await?, reference).await
        }
        (["cases", _, "timeline"], _) => Err(ApiError::MethodNotAllowed { allowed: &["GET"] }),

        (["cases", reference, "events"], Method::Post) => {
            let who = principal(&req, env).await?;
            timeline_store::record_event(&mut req, env, &who, reference).await
        }
        (["cases", _, "events"], _) => Err(ApiError::MethodNotAllowed { allowed: &["POST"] }),

        (["cases", reference, "deadlines", step, "extension"], Method::Post) => {
            let who = principal(&req, env).await?;
            timeline_store::extend_deadline(&mut req, env, &who, reference, step).await
        }
        (["cases", _, "deadlines", _, "extension"], _) => Err(ApiError::MethodNotAllowed { allowed: &["POST"] }),

        (["cases", reference, "decisions", "threshold"], Method::Post) => {
            let who = principal(&req, env).await?;
            timeline_store::record_threshold_decision(&mut req, env, &who, reference).await
        }
        (["cases", _, "decisions", "threshold"], _) => Err(ApiError::MethodNotAllowed { allowed: &["POST"] }),
        (["cases", reference, "decisions", "rapid-review"], Method::Post) => {
            let who = principal(&req, env).await?;
            timeline_store::record_rapid_review_decision(&mut req, env, &who, reference).await
        }
        (["cases", _, "decisions", "rapid-review"], _) => Err(ApiError::MethodNotAllowed { allowed: &["POST"] }),

        (["cases", reference, "notifications"], Method::Get) => {
            notifier::case_log(env, &principal(&req, env).await?, reference).await
        }
        (["cases", _, "notifications"], _) => Err(ApiError::MethodNotAllowed { allowed: &["GET"] }),

        (["cases", reference, "information-requests"], Method::Get) => {
            information_requests::list(env, &principal(&req, env).await?, reference).await
        }
        (["cases", reference, "information-requests"], Method::Post) => {
            let who = principal(&req, env).await?;
            information_requests::send(&mut req, env, &who, reference).await
        }
        (["cases", _, "information-requests"], _) => Err(ApiError::MethodNotAllowed { allowed: &["GET", "POST"] }),
        (["information-requests", id, "return"], Method::Post) => {
            let who = principal(&req, env).await?;
            information_requests::answer(&mut req, env, &who, id).await
        }
        (["information-requests", _, "return"], _) => Err(ApiError::MethodNotAllowed { allowed: &["POST"] }),
        (["cases", reference, "chronology"], Method::Get) => {
            information_requests::chronology(env, &principal(&req, env).await?, reference).await
        }
        (["cases", _, "chronology"], _) => Err(ApiError::MethodNotAllowed { allowed: &["GET"] }),

        (["cases", reference, "rapid-review-report"], Method::Get) => {
            rapid_review_report::read(env, &principal(&req, env).await?, reference).await
        }
        (["cases", reference, "rapid-review-report"], Method::Put) => {
            let who = principal(&req, env).await?;
            rapid_review_report::write(&mut req, env, &who, reference).await
        }
        (["cases", _, "rapid-review-report"], _) => Err(ApiError::MethodNotAllowed { allowed: &["GET", "PUT"] }),
        (["cases", reference, "rapid-review-report", "sign-off"], Method::Post) => {
            let who = principal(&req, env).await?;
            rapid_review_report::sign_off(&mut req, env, &who, reference).await
        }
        (["cases", _, "rapid-review-report", "sign-off"], _) => Err(ApiError::MethodNotAllowed { allowed: &["POST"] }),

        (["cases", reference, "documents", file], Method::Get) => {
            documents_api::generate(env, &principal(&req, env).await?, reference, file).await
        }
        (["cases", _, "documents", _], _) => Err(ApiError::MethodNotAllowed { allowed: &["GET"] }),

        (["cases", reference, "meetings"], Method::Get) => meetings::list(env, &principal(&req, env).await?, reference).await,
        (["cases", reference, "meetings"], Method::Post) => {
            let who = principal(&req, env).await?;
            meetings::schedule(&mut req, env, &who, reference).await
        }
        (["cases", _, "meetings"], _) => Err(ApiError::MethodNotAllowed { allowed: &["GET", "POST"] }),
        (["cases", reference, "meetings", id], Method::Put) => {
            let who = principal(&req, env).await?;
            meetings::record(&mut req, env, &who, reference, id).await
        }
        (["cases", _, "meetings", _], _) => Err(ApiError::MethodNotAllowed { allowed: &["PUT"] }),
        (["cases", reference, "meetings", id, "invitation.ics"], Method::Get) => {
            meetings::invitation(&req, env, &principal(&req, env).await?, reference, id).await
        }
        (["cases", _, "meetings", _, "invitation.ics"], _) => Err(ApiError::MethodNotAllowed { allowed: &["GET"] }),

        (["cases", reference, "review"], Method::Get) => review_store::read(env, &principal(&req, env).await?, reference).await,
        (["cases", reference, "review"], Method::Put) => {
            let who = principal(&req, env).await?;
            review_store::update(&mut req, env, &who, reference).await
        }
        (["cases", _, "review"], _) => Err(ApiError::MethodNotAllowed { allowed: &["GET", "PUT"] }),
        (["cases", reference, "review", "family-engagement"], Method::Get) => {
            review_store::read_log(env, &principal(&req, env).await?, reference, Log::FamilyEngagement).await
        }
        (["cases", reference, "review", "family-engagement"], Method::Post) => {
            let who = principal(&req, env).await?;
            review_store::add_to_log(&mut req, env, &who, reference, Log::FamilyEngagement).await
        }
        (["cases", _, "review", "family-engagement"], _) => Err(ApiError::MethodNotAllowed { allowed: &["GET", "POST"] }),
        (["cases", reference, "review", "episodes"], Method::Get) => {
            review_store::read_log(env, &principal(&req, env).await?, reference, Log::Episodes).await
        }
        (["cases", reference, "review", "episodes"], Method::Post) => {
            let who = principal(&req, env).await?;
            review_store::add_to_log(&mut req, env, &who, reference, Log::Episodes).await
        }
        (["cases", _, "review", "episodes"], _) => Err(ApiError::MethodNotAllowed { allowed: &["GET", "POST"] }),
        (["cases", reference, "review", "drafts"], Method::Post) => {
            let who = principal(&req, env).await?;
            review_store::add_draft(&mut req, env, &who, reference).await
        }
        (["cases", _, "review", "drafts"], _) => Err(ApiError::MethodNotAllowed { allowed: &["POST"] }),
        (["cases", reference, "review", "drafts", id, "approval"], Method::Post) => {
            let who = principal(&req, env).await?;
            review_store::approve_draft(&mut req, env, &who, reference, id).await
        }
        (["cases", _, "review", "drafts", _, "approval"], _) => Err(ApiError::MethodNotAllowed { allowed: &["POST"] }),

        (["cases", reference, "recommendations"], Method::Get) => action_plans::read_plan(env, &principal(&req, env).await?, reference).await,
        (["cases", reference, "recommendations"], Method::Post) => {
            let who = principal(&req, env).await?;
            action_plans::add_recommendation(&mut req, env, &who, reference).await
        }
        (["cases", _, "recommendations"], _) => Err(ApiError::MethodNotAllowed { allowed: &["GET", "POST"] }),
        (["cases", reference, "recommendations", id, "actions"], Method::Post) => {
            let who = principal(&req, env).await?;
            action_plans::add_action(&mut req, env, &who, reference, id).await
        }
        (["cases", _, "recommendations", _, "actions"], _) => Err(ApiError::MethodNotAllowed { allowed: &["POST"] }),
        (["actions"], Method::Get) => action_plans::list_actions(&req, env, &principal(&req, env).await?).await,
        (["actions"], _) => Err(ApiError::MethodNotAllowed { allowed: &["GET"] }),
        (["actions", id], Method::Patch) => {
            let who = principal(&req, env).await?;
            action_plans::update_action(&mut req, env, &who, id).await
        }
        (["actions", _], _) => Err(ApiError::MethodNotAllowed { allowed: &["PATCH"] }),

        (["cases", reference, "personal-details"], Method::Get) => {
            case_store::read_personal_details(env, &principal(&req, env).await?, reference).await
        }
        (["cases", _, "personal-details"], _) => Err(ApiError::MethodNotAllowed { allowed: &["GET"] }),

        _ => Err(ApiError::NotFound),
    }
}
