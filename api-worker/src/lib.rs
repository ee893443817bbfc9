//! The Worker: the JSON API under `/api/v1` and its persistence in D1.
//!
//! Static assets (the SPA) are served by the Workers runtime before this code
//! runs; `wrangler.toml` sends only `/api/*` here (`run_worker_first`).

mod api_error;
mod audit;
mod body;
mod calendar_api;
mod case_store;
mod clock;
mod decision_api;
mod identity;
mod my_work;
mod notifier;
mod password;
mod reminders;
mod reply;
mod routes;
mod sealed;
mod settings_store;
mod timeline_store;
mod webcrypto;

use worker::{Context, Env, Request, Response, ScheduleContext, ScheduledEvent, event};

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> worker::Result<Response> {
    let response = match routes::handle(req, &env).await {
        Ok(response) => response,
        Err(error) => error.into_response(),
    };
    reply::with_security_headers(response)
}

/// The daily reminder run (cron in wrangler.toml). Links point at `PUBLIC_ORIGIN`.
#[event(scheduled)]
async fn scheduled(_event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    let origin = env.var("PUBLIC_ORIGIN").map(|v| v.to_string()).unwrap_or_else(|_| "http://127.0.0.1:8787".into());
    match reminders::run(&env, &origin).await {
        Ok(sent) => worker::console_log!("reminders: {sent} queued"),
        Err(error) => worker::console_error!("reminders failed: {error:?}"),
    }
}
