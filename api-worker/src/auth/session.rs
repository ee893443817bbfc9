//! Who is asking: sign-in with email and password, sessions in KV behind an
//! HttpOnly, SameSite=Strict cookie, and the [`Principal`] every handler gets.
//!
//! Why passwords and not emailed links: a link in an email is only as safe as
//! the mailbox and expires in transit on slow NHS and council mail relays;
//! PBKDF2 through WebCrypto costs no wasm CPU. Deployments put single sign-on
//! (Cloudflare Access) in front as well (SECURITY.md).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use domain::access::{Credentials, SignInInput};
use serde::{Deserialize, Serialize};
use worker::{Env, Request, Response};

use crate::auth::password;
use crate::auth::principal::Principal;
use crate::db::people;
use crate::http::error::ApiError;
use crate::http::{body, reply};
use crate::platform::clock;
use crate::platform::webcrypto::{random_bytes, sha256};

const COOKIE: &str = "sid";
const SESSION_SECONDS: u64 = 8 * 60 * 60;
const FAILURE_WINDOW_SECONDS: u64 = 15 * 60;
const MAX_FAILURES: u32 = 10;

#[derive(Debug, Serialize, Deserialize)]
struct Session {
    user_id: String,
    partnership_id: String,
    created_at: String,
}

fn kv_error(error: worker::kv::KvError) -> ApiError {
    ApiError::Internal(error.into())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// KV keys hold a hash of the token, so a copy of KV cannot be replayed as cookies.
async fn session_key(token: &str) -> Result<String, ApiError> {
    Ok(format!("session:{}", hex(&sha256(token.as_bytes()).await?)))
}

fn cookie_token(req: &Request) -> Option<String> {
    let header = req.headers().get("Cookie").ok()??;
    header.split(';').find_map(|pair| {
        let (name, value) = pair.trim().split_once('=')?;
        (name == COOKIE && !value.is_empty()).then(|| value.to_string())
    })
}

fn is_local(req: &Request) -> bool {
    req.url().ok().and_then(|u| u.host_str().map(|h| h == "localhost" || h == "127.0.0.1")).unwrap_or(false)
}

fn cookie(req: &Request, value: &str, max_age: u64) -> String {
    let secure = if is_local(req) { "" } else { "; Secure" };
    format!("{COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}")
}

/// The principal of a request, or 401 when there is no live session.
pub async fn principal(req: &Request, env: &Env) -> Result<Principal, ApiError> {
    let token = cookie_token(req).ok_or(ApiError::Unauthenticated)?;
    let kv = env.kv("KV")?;
    let session: Session = kv
        .get(&session_key(&token).await?)
        .json()
        .await
        .map_err(kv_error)?
        .ok_or(ApiError::Unauthenticated)?;
    people::principal(&env.d1("DB")?, &session.user_id, Some(&session.partnership_id)).await?.ok_or(ApiError::Unauthenticated)
}

pub async fn sign_in(req: &mut Request, env: &Env) -> Result<Response, ApiError> {
    let json = body::json(req).await?;
    let Credentials { email, password } = domain::field_error::from_json::<SignInInput>(&json, "a sign-in")?.parse()?;

    let kv = env.kv("KV")?;
    let failures_key = format!("signin-failures:{}", hex(&sha256(email.as_bytes()).await?));
    let failures: u32 = kv.get(&failures_key).text().await.ok().flatten().and_then(|s| s.parse().ok()).unwrap_or(0);
    if failures >= MAX_FAILURES {
        return Err(ApiError::TooManyRequests { retry_after_seconds: FAILURE_WINDOW_SECONDS });
    }

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
        kv.put(&failures_key, (failures + 1).to_string())
            .map_err(kv_error)?
            .expiration_ttl(FAILURE_WINDOW_SECONDS)
            .execute()
            .await
            .map_err(kv_error)?;
        return Err(ApiError::BadCredentials);
    };

    let token = URL_SAFE_NO_PAD.encode(random_bytes::<32>());
    let session = Session {
        user_id: principal.user_id.clone(),
        partnership_id: principal.partnership_id.clone(),
        created_at: clock::now_rfc3339(),
    };
    kv.put(&session_key(&token).await?, &session)
        .map_err(kv_error)?
        .expiration_ttl(SESSION_SECONDS)
        .execute()
        .await
        .map_err(kv_error)?;
    let _ = kv.delete(&failures_key).await;
    let audit = crate::db::audit::entry(&db, &principal, None, "signed_in", "")?;
    audit.run().await?;

    let mut response = reply::json(200, &principal.signed_in())?;
    response.headers_mut().set("Set-Cookie", &cookie(req, &token, SESSION_SECONDS))?;
    Ok(response)
}

pub async fn sign_out(req: &Request, env: &Env) -> Result<Response, ApiError> {
    if let Some(token) = cookie_token(req) {
        env.kv("KV")?.delete(&session_key(&token).await?).await.map_err(kv_error)?;
    }
    let mut response = Response::empty()?.with_status(204);
    response.headers_mut().set("Set-Cookie", &cookie(req, "", 0))?;
    Ok(response)
}

pub async fn current(req: &Request, env: &Env) -> Result<Response, ApiError> {
    reply::json(200, &principal(req, env).await?.signed_in())
}
