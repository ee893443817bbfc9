//! The public threshold decision: `POST /api/v1/decisions/notification`.
//! The same engine runs in the browser; this answer is the authoritative one.
//! It holds no personal data, so other systems may call it without signing in.

use domain::calendar::Calendar;
use domain::threshold::{ThresholdAnswersInput, decide};
use worker::{Request, Response};

use crate::http::error::ApiError;
use crate::http::body;
use crate::http::reply;

pub async fn answer(req: &mut Request) -> Result<Response, ApiError> {
    let json = body::json(req).await?;
    let answers = ThresholdAnswersInput::from_json(&json)?.parse()?;
    let result = decide(&answers, Calendar::england_and_wales()).map_err(|error| ApiError::invalid("aware_on", error.to_string()))?;
    reply::json(200, &result)
}
