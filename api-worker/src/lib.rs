//! The Worker: the JSON API under `/api/v1` and its persistence in D1.
//!
//! Static assets (the SPA) are served by the Workers runtime before this code
//! runs; `wrangler.toml` sends only `/api/*` here (`run_worker_first`).

mod auth;
mod db;
mod handlers;
mod http;
mod messaging;
mod platform;

use worker::{Context, Env, Request, Response, ScheduleContext, ScheduledEvent, event};

/// The Durable Object that counts sign-in attempts (wrangler.toml `SIGN_IN_LIMITER`).
pub use auth::limiter::SignInLimiter;

#[event(fetch)]
async fn fetch(req: Request, env: Env, ctx: Context) -> worker::Result<Response> {
    let changes_state = http::routes::is_signed_in_change(&req);
    let response = match http::routes::handle(req, &env).await {
        Ok(response) => response,
        Err(error) => error.into_response(),
    };
    // Messages a change queued go out after the response, without delaying it.
    if changes_state && (200..300).contains(&response.status_code()) {
        ctx.wait_until(async move {
            if let Err(error) = messaging::delivery::deliver_pending(&env).await {
                worker::console_error!("delivery failed: {error:?}");
            }
        });
    }
    http::reply::with_security_headers(response)
}

/// The cron triggers of wrangler.toml. Links in reminders point at `PUBLIC_ORIGIN`.
#[event(scheduled)]
async fn scheduled(event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    if event.cron() == REMINDER_CRON {
        let origin = env.var("PUBLIC_ORIGIN").map(|v| v.to_string()).unwrap_or_else(|_| "http://127.0.0.1:8787".into());
        // First the calendar, so that reminders judge by the newest bank holidays.
        match handlers::bank_holidays::refresh(&env).await {
            Ok(updated) => worker::console_log!("bank holidays: {updated} partnerships updated"),
            Err(error) => worker::console_error!("bank holidays refresh failed: {error:?}"),
        }
        if let Err(error) = auth::session::forget_ended(&env).await {
            worker::console_error!("forgetting ended sessions failed: {error:?}");
        }
        // Values in clear or under an older seal, resealed to their place (platform::sealed).
        match handlers::sealing::reseal_stale(&env).await {
            Ok(resealed) => worker::console_log!("sealing: {resealed} values resealed"),
            Err(error) => worker::console_error!("sealing failed: {error:?}"),
        }
        match messaging::reminders::run(&env, &origin).await {
            Ok(queued) => worker::console_log!("reminders: {queued} queued"),
            Err(error) => worker::console_error!("reminders failed: {error:?}"),
        }
    }
    // Every run also retries deliveries that are due.
    match messaging::delivery::deliver_pending(&env).await {
        Ok((sent, failed)) => worker::console_log!("delivery: {sent} sent, {failed} failed"),
        Err(error) => worker::console_error!("delivery failed: {error:?}"),
    }
}

/// The daily reminder run; the other cron (every 5 minutes) only retries deliveries.
const REMINDER_CRON: &str = "0 7 * * *";
