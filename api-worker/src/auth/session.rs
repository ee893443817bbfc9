//! Who is asking: sign-in with email and password, sessions in D1 behind an
//! HttpOnly, SameSite=Strict `__Host-` cookie, and the [`Principal`] every
//! handler gets.
//!
//! Why passwords and not emailed links: a link in an email is only as safe as
//! the mailbox and expires in transit on slow NHS and council mail relays;
//! PBKDF2 through WebCrypto costs no wasm CPU. Deployments put single sign-on
//! (Cloudflare Access) in front as well (SECURITY.md).
//!
//! A session ends 8 hours after sign-in whatever happens, after
//! `SESSION_IDLE_SECONDS` (30 minutes unless set) without a request, or at
//! once when it is signed out (one device) or signed out everywhere.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{Duration, SecondsFormat};
use domain::access::{Credentials, SignInInput};
use worker::{Env, Request, Response};

use crate::auth::limits::{PER_ADDRESS, PER_CLIENT};
use crate::auth::principal::Principal;
use crate::auth::{limiter, password};
use crate::db::sessions::{self, NewSession};
use crate::db::{audit, people};
use crate::http::error::ApiError;
use crate::http::{body, reply};
use crate::platform::clock;
use crate::platform::webcrypto::{random_bytes, sha256};

/// `__Host-`: the browser accepts it only with `Secure`, `Path=/` and no
/// `Domain`, so no other site or subdomain can set or overwrite it.
const COOKIE: &str = "__Host-sid";
const SESSION_SECONDS: i64 = 8 * 60 * 60;
const DEFAULT_IDLE_SECONDS: i64 = 30 * 60;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Rows hold a hash of the token, so a copy of the table cannot be replayed as cookies.
async fn token_hash(token: &str) -> Result<String, ApiError> {
    Ok(hex(&sha256(token.as_bytes()).await?))
}

fn cookie_token(req: &Request) -> Option<String> {
    let header = req.headers().get("Cookie").ok()??;
    header.split(';').find_map(|pair| {
        let (name, value) = pair.trim().split_once('=')?;
        (name == COOKIE && !value.is_empty()).then(|| value.to_string())
    })
}

fn cookie(value: &str, max_age: i64) -> String {
    format!("{COOKIE}={value}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age={max_age}")
}

fn idle_seconds(env: &Env) -> i64 {
    env.var("SESSION_IDLE_SECONDS").ok().and_then(|v| v.to_string().parse().ok()).filter(|s| *s > 0).unwrap_or(DEFAULT_IDLE_SECONDS)
}

fn stamp(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// The principal of a request, or 401 when there is no live session. Each
/// request keeps its session alive for another idle period.
pub async fn principal(req: &Request, env: &Env) -> Result<Principal, ApiError> {
    let token = cookie_token(req).ok_or(ApiError::Unauthenticated)?;
    let now = clock::now();
    let idle_since = now - Duration::seconds(idle_seconds(env));
    sessions::live_principal(&env.d1("DB")?, &token_hash(&token).await?, &stamp(now), &stamp(idle_since))
        .await?
        .ok_or(ApiError::Unauthenticated)
}

/// The network address the attempt came from, as Cloudflare reports it.
fn client_key(req: &Request) -> String {
    let ip = req.headers().get("CF-Connecting-IP").ok().flatten().unwrap_or_else(|| "unknown".into());
    format!("client:{ip}")
}

pub async fn sign_in(req: &mut Request, env: &Env) -> Result<Response, ApiError> {
    let json = body::json(req).await?;
    let Credentials { email, password } = domain::field_error::from_json::<SignInInput>(&json, "a sign-in")?.parse()?;

    // Counted before the password is checked: guesses sent at once cannot all pass.
    let address_key = format!("address:{}", hex(&sha256(email.as_bytes()).await?));
    let client_key = client_key(req);
    limiter::attempt(env, (&client_key, PER_CLIENT), (&address_key, PER_ADDRESS)).await?;

    let db = env.d1("DB")?;
    let credentials = people::credentials(&db, &email).await?;
    let verified = match &credentials {
        Some(c) => password::verify(&password, &c.password_hash).await?,
        None => {
            password::waste_time(&password).await;
            false
        }
    };
    let principal = match (verified, credentials) {
        (true, Some(c)) => people::principal(&db, &c.id, None).await?,
        _ => None,
    };
    let Some(principal) = principal else {
        return Err(ApiError::BadCredentials);
    };
    limiter::succeeded(env, &address_key, &client_key).await?;

    let token = URL_SAFE_NO_PAD.encode(random_bytes::<32>());
    let now = clock::now();
    let session = NewSession {
        token_hash: &token_hash(&token).await?,
        user_id: &principal.user_id,
        partnership_id: &principal.partnership_id,
        now: &stamp(now),
        expires_at: &stamp(now + Duration::seconds(SESSION_SECONDS)),
    };
    db.batch(vec![sessions::open(&db, session)?, audit::entry(&db, &principal, None, "signed_in", "")?]).await?;

    let mut response = reply::json(200, &principal.signed_in(idle_seconds(env) as u32))?;
    response.headers_mut().set("Set-Cookie", &cookie(&token, SESSION_SECONDS))?;
    Ok(response)
}

fn signed_out() -> Result<Response, ApiError> {
    let mut response = Response::empty()?.with_status(204);
    response.headers_mut().set("Set-Cookie", &cookie("", 0))?;
    Ok(response)
}

/// Ends this device's session.
pub async fn sign_out(req: &Request, env: &Env) -> Result<Response, ApiError> {
    if let Some(token) = cookie_token(req) {
        let db = env.d1("DB")?;
        sessions::revoke(&db, &token_hash(&token).await?, &clock::now_rfc3339())?.run().await?;
    }
    signed_out()
}

/// Ends every session of the signed-in person, on every device, at once.
pub async fn sign_out_everywhere(db: &worker::D1Database, who: &Principal) -> Result<Response, ApiError> {
    db.batch(vec![
        sessions::revoke_all_of(db, &who.user_id, &clock::now_rfc3339())?,
        audit::entry(db, who, None, "signed_out_everywhere", "")?,
    ])
    .await?;
    signed_out()
}

pub async fn current(req: &Request, env: &Env) -> Result<Response, ApiError> {
    reply::json(200, &principal(req, env).await?.signed_in(idle_seconds(env) as u32))
}

/// The daily job's tidy-up: sessions that ended a day ago or more.
pub async fn forget_ended(env: &Env) -> Result<(), ApiError> {
    let before = stamp(clock::now() - Duration::days(1));
    sessions::forget_ended(&env.d1("DB")?, &before)?.run().await?;
    Ok(())
}
