//! The public calendar: `GET /api/v1/calendar/due?from=&n=&unit=` →
//! `{"due", "projected"}`, `projected` when the count ran through years whose
//! bank holidays are worked out by rule rather than taken from gov.uk's list.
//! It holds no personal data, so other systems may call it without signing in.

use domain::calendar::{Calendar, CalendarError, DueQuery};
use worker::{Request, Response};

use crate::http::error::ApiError;
use crate::http::reply;

pub fn due(req: &Request) -> Result<Response, ApiError> {
    let url = req.url()?;
    let pairs: Vec<(String, String)> = url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    let query = DueQuery::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
    let calendar = Calendar::england_and_wales();
    match calendar.due(query.from, query.n, query.unit) {
        Ok(due) => {
            let projected = query.unit.counts_working_days() && calendar.relies_on_projection(query.from, due);
            reply::json(200, &domain::api::DueDate { due, projected })
        }
        Err(error) => {
            let field = match error {
                CalendarError::DayNumberStartsAtOne => "n",
                CalendarError::OutsideCoveredYears { .. } | CalendarError::OutOfRange => "from",
            };
            Err(ApiError::invalid(field, error.to_string()))
        }
    }
}
