//! The figures over a period (`domain::figures`), counted in D1 within the
//! cases the person may see. No personal data: counts only.

use domain::access::Capability;
use domain::figures::{Count, Figures, Period, Timeliness, outcome_label, theme_label};
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::{D1Database, Env, Request, Response};

use crate::http::error::ApiError;
use crate::handlers::cases::{Visible, visible};
use crate::auth::session::Principal;
use crate::platform::clock;
use crate::http::reply;

#[derive(Deserialize)]
struct Number {
    n: f64,
}

#[derive(Deserialize)]
struct Keyed {
    key: String,
    n: f64,
}

#[derive(Deserialize)]
struct Judged {
    due: f64,
    on_time: Option<f64>,
    overdue: Option<f64>,
}

/// Binds the scope's parameters then the extra ones, numbered after them.
fn binds(scope: &Visible, extra: &[&str]) -> Vec<JsValue> {
    let mut all = scope.binds.clone();
    all.extend(extra.iter().map(|v| JsValue::from(*v)));
    all
}

async fn number(db: &D1Database, sql: String, binds: Vec<JsValue>) -> Result<u32, ApiError> {
    Ok(db.prepare(sql).bind(&binds)?.first::<Number>(None).await?.map_or(0, |r| r.n as u32))
}

async fn timeliness(db: &D1Database, scope: &Visible, step: &str, from: &str, to: &str, today: &str) -> Result<Timeliness, ApiError> {
    let n = scope.binds.len();
    let (s, f, t, d) = (n + 1, n + 2, n + 3, n + 4);
    // Judged on the original due date: an extension keeps it for reporting. A step
    // counts once it is done or past due; one still running is not yet a figure,
    // and one that does not apply (a route ruled out, a case closed) never is.
    let sql = format!(
        "SELECT count(*) AS due, \
                sum(CASE WHEN x.done_on IS NOT NULL AND x.done_on <= x.original_due THEN 1 ELSE 0 END) AS on_time, \
                sum(CASE WHEN x.done_on IS NULL AND x.original_due < ?{d} THEN 1 ELSE 0 END) AS overdue \
         FROM deadlines x JOIN cases c ON c.id = x.case_id \
         WHERE {clause} AND x.step_key = ?{s} AND x.not_applicable IS NULL AND x.original_due BETWEEN ?{f} AND ?{t} AND (x.done_on IS NOT NULL OR x.original_due < ?{d})",
        clause = scope.clause
    );
    let row = db.prepare(sql).bind(&binds(scope, &[step, from, to, today]))?.first::<Judged>(None).await?;
    Ok(row.map_or_else(Timeliness::default, |r| Timeliness { due: r.due as u32, on_time: r.on_time.unwrap_or(0.0) as u32, overdue: r.overdue.unwrap_or(0.0) as u32 }))
}

async fn counts(db: &D1Database, sql: String, binds: Vec<JsValue>, label: fn(&str) -> String) -> Result<Vec<Count>, ApiError> {
    let rows: Vec<Keyed> = db.prepare(sql).bind(&binds)?.all().await?.results()?;
    Ok(rows.into_iter().map(|r| Count { label: label(&r.key), key: r.key, count: r.n as u32 }).collect())
}

pub async fn figures(req: &Request, env: &Env, who: &Principal) -> Result<Response, ApiError> {
    who.require(Capability::ViewCaseMatrix)?;
    let url = req.url()?;
    let pairs: Vec<(String, String)> = url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    let today = clock::today_in_uk();
    let period = Period::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())), today)?;
    let (from, to, today) = (period.from.to_string(), period.to.to_string(), today.to_string());
    let db = env.d1("DB")?;
    let scope = visible(who);
    let (clause, n) = (&scope.clause, scope.binds.len());
    let (f, t) = (n + 1, n + 2);
    let referrals = number(
        &db,
        format!("SELECT count(*) AS n FROM cases c WHERE {clause} AND substr(c.received_at, 1, 10) BETWEEN ?{f} AND ?{t}"),
        binds(&scope, &[&from, &to]),
    )
    .await?;
    let notified = number(
        &db,
        format!(
            "SELECT count(DISTINCT e.case_id) AS n FROM case_events e JOIN cases c ON c.id = e.case_id \
             WHERE {clause} AND e.kind = 'notified' AND e.superseded_by IS NULL AND e.occurred_on BETWEEN ?{f} AND ?{t}"
        ),
        binds(&scope, &[&from, &to]),
    )
    .await?;
    let outcomes = counts(
        &db,
        format!(
            "SELECT d.outcome AS key, count(*) AS n FROM decisions d JOIN cases c ON c.id = d.case_id \
             WHERE {clause} AND d.kind = 'rapid_review_outcome' AND substr(d.decided_at, 1, 10) BETWEEN ?{f} AND ?{t} \
             GROUP BY d.outcome ORDER BY n DESC, key"
        ),
        binds(&scope, &[&from, &to]),
        outcome_label,
    )
    .await?;
    let themes = counts(
        &db,
        format!(
            "SELECT j.value AS key, count(*) AS n FROM cases c, json_each(c.themes) j \
             WHERE {clause} AND substr(c.received_at, 1, 10) BETWEEN ?{f} AND ?{t} GROUP BY j.value ORDER BY n DESC, key"
        ),
        binds(&scope, &[&from, &to]),
        theme_label,
    )
    .await?;
    let actions_open = number(
        &db,
        format!("SELECT count(*) AS n FROM actions x JOIN cases c ON c.id = x.case_id WHERE {clause} AND x.status <> 'complete'"),
        binds(&scope, &[]),
    )
    .await?;
    let actions_overdue = number(
        &db,
        format!("SELECT count(*) AS n FROM actions x JOIN cases c ON c.id = x.case_id WHERE {clause} AND x.status <> 'complete' AND x.due_on < ?{f}"),
        binds(&scope, &[&today]),
    )
    .await?;
    let result = Figures {
        period,
        referrals,
        notified,
        notification_on_time: timeliness(&db, &scope, "notify_panel", &from, &to, &today).await?,
        rapid_reviews_on_time: timeliness(&db, &scope, "submit_rapid_review", &from, &to, &today).await?,
        lcsprs_within_six_months: timeliness(&db, &scope, "publish_lcspr", &from, &to, &today).await?,
        outcomes,
        themes,
        actions_open,
        actions_overdue,
    };
    reply::json(200, &result)
}
