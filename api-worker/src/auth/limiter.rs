//! The sign-in limiter: one Durable Object per key (an address, or a
//! client's network address), so each tally is read and written by one
//! instance at a time: the count is atomic however many guesses arrive at
//! once. The rules are `auth::limits`. If the limiter cannot be reached,
//! sign-in is refused (503), never let through unguarded.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use worker::{DurableObject, Env, Method, Request, RequestInit, Response, State, durable_object};

use crate::auth::limits::{Allowance, FORGET_AFTER_MS, Tally};
use crate::http::error::ApiError;

const BINDING: &str = "SIGN_IN_LIMITER";
const TALLY: &str = "tally";

#[derive(Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
enum Ask {
    Attempt { allowance: Allowance },
    GiveBack,
    Reset,
}

#[derive(Serialize, Deserialize)]
struct Answer {
    retry_after_seconds: Option<u64>,
}

#[durable_object]
pub struct SignInLimiter {
    state: State,
}

impl DurableObject for SignInLimiter {
    fn new(state: State, _env: Env) -> Self {
        SignInLimiter { state }
    }

    async fn fetch(&self, mut req: Request) -> worker::Result<Response> {
        let ask: Ask = req.json().await?;
        let storage = self.state.storage();
        let tally: Tally = storage.get(TALLY).await?.unwrap_or_default();
        let now = crate::platform::clock::now().timestamp_millis() as f64;
        let (next, answer) = match ask {
            Ask::Attempt { allowance } => match tally.attempt(now, allowance) {
                Ok(next) => (Some(next), Answer { retry_after_seconds: None }),
                Err(wait) => (None, Answer { retry_after_seconds: Some(wait) }),
            },
            Ask::GiveBack => (Some(tally.given_back()), Answer { retry_after_seconds: None }),
            Ask::Reset => (Some(Tally::default()), Answer { retry_after_seconds: None }),
        };
        if let Some(next) = next {
            storage.put(TALLY, next).await?;
            // Nothing is kept about an address or a client longer than the tally matters.
            storage.set_alarm(Duration::from_millis(FORGET_AFTER_MS as u64)).await?;
        }
        Response::from_json(&answer)
    }

    async fn alarm(&self) -> worker::Result<Response> {
        self.state.storage().delete_all().await?;
        Response::empty()
    }
}

async fn ask(env: &Env, key: &str, ask: &Ask) -> Result<Answer, ApiError> {
    let unavailable = |_| ApiError::Unavailable("Signing in");
    let stub = env.durable_object(BINDING).and_then(|ns| ns.id_from_name(key)?.get_stub()).map_err(unavailable)?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post).with_body(Some(serde_json::to_string(ask).unwrap_or_default().into()));
    let request = Request::new_with_init("https://sign-in-limiter/", &init).map_err(unavailable)?;
    let mut response = stub.fetch_with_request(request).await.map_err(unavailable)?;
    if response.status_code() != 200 {
        return Err(ApiError::Unavailable("Signing in"));
    }
    response.json().await.map_err(unavailable)
}

/// Counts one attempt, before the password is checked, against the client
/// and then the address: 429 with the wait when either must wait. A client
/// over its limit spends nothing of the address it names; an attempt the
/// address refuses is given back to the client, as no password was checked.
pub async fn attempt(env: &Env, client: (&str, Allowance), address: (&str, Allowance)) -> Result<(), ApiError> {
    if let Some(wait) = ask(env, client.0, &Ask::Attempt { allowance: client.1 }).await?.retry_after_seconds {
        return Err(ApiError::TooManyRequests { retry_after_seconds: wait });
    }
    if let Some(wait) = ask(env, address.0, &Ask::Attempt { allowance: address.1 }).await?.retry_after_seconds {
        ask(env, client.0, &Ask::GiveBack).await?;
        return Err(ApiError::TooManyRequests { retry_after_seconds: wait });
    }
    Ok(())
}

/// After a successful sign-in: the address starts again; the client gets its attempt back.
pub async fn succeeded(env: &Env, address_key: &str, client_key: &str) -> Result<(), ApiError> {
    ask(env, address_key, &Ask::Reset).await?;
    ask(env, client_key, &Ask::GiveBack).await?;
    Ok(())
}
