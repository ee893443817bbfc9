//! The API's routes: one table from method and path to handler, so that an
//! unknown path is a JSON 404 and a known path with the wrong method a 405.

use crate::api_error::ApiError;
use crate::{case_store, reply};
use serde_json::json;
use worker::{Env, Method, Request, Response};

pub async fn handle(mut req: Request, env: &Env) -> Result<Response, ApiError> {
    let path = req.path();
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
    let method = req.method();
    match segments.as_slice() {
        ["api", "v1", "health"] => match method {
            Method::Get | Method::Head => reply::json(200, &json!({ "status": "ok" })),
            _ => Err(ApiError::MethodNotAllowed { allowed: &["GET"] }),
        },
        ["api", "v1", "referrals"] => match method {
            Method::Post => case_store::submit_referral(&mut req, env).await,
            _ => Err(ApiError::MethodNotAllowed { allowed: &["POST"] }),
        },
        ["api", "v1", "cases"] => match method {
            Method::Get => case_store::list_cases(env).await,
            _ => Err(ApiError::MethodNotAllowed { allowed: &["GET"] }),
        },
        _ => Err(ApiError::NotFound),
    }
}
