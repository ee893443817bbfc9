//! The figures over a period (`domain::figures`), counted in D1 within the
//! cases the person may see. No personal data: counts only.

use domain::access::Capability;
use domain::figures::{Figures, Period};
use worker::{Request, Response};

use crate::db::cases::visible;
use crate::db::figures;
use crate::http::context::Ctx;
use crate::http::error::ApiError;
use crate::http::reply;

pub async fn figures(req: &Request, ctx: &Ctx<'_>) -> Result<Response, ApiError> {
    ctx.require(Capability::ViewCaseMatrix)?;
    let url = req.url()?;
    let pairs: Vec<(String, String)> = url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    let period = Period::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())), ctx.today)?;
    let (db, scope, today) = (&ctx.db, visible(&ctx.who), ctx.today);
    let result = Figures {
        referrals: figures::referrals(db, &scope, &period).await?,
        notified: figures::notified(db, &scope, &period).await?,
        outcomes: figures::outcomes(db, &scope, &period).await?,
        themes: figures::themes(db, &scope, &period).await?,
        actions_open: figures::open_actions(db, &scope).await?,
        actions_overdue: figures::overdue_actions(db, &scope, today).await?,
        notification_on_time: figures::timeliness(db, &scope, "notify_panel", &period, today).await?,
        rapid_reviews_on_time: figures::timeliness(db, &scope, "submit_rapid_review", &period, today).await?,
        lcsprs_within_six_months: figures::timeliness(db, &scope, "publish_lcspr", &period, today).await?,
        period,
    };
    reply::json(200, &result)
}
