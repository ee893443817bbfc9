//! Delivering queued messages. The dev mailbox delivers at queue time; the
//! two real transports are called here, after the response (`wait_until`) and
//! on a 5-minute cron for retries: GOV.UK Notify (the public sector's
//! notification service; `NOTIFY_TRANSPORT=govuk_notify`) or Cloudflare's
//! `send_email` binding (`NOTIFY_TRANSPORT=cloudflare_email`, binding `EMAIL`,
//! sender `NOTIFY_FROM`). A failure is retried with backoff (2, 4, 8, 16
//! minutes) and after 5 attempts stays `failed`, visible on the case: never
//! silently lost.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use futures_util::future::{Either, select};
use worker::{AbortController, Delay, Env, Fetch, Headers, Method, Request, RequestInit};

use crate::db::messages::{self, Pending};
use crate::http::error::ApiError;
use crate::platform::clock;
use crate::platform::webcrypto::hmac_sha256;

pub const MAX_ATTEMPTS: u32 = 5;

/// How long one delivery may wait for the transport to answer.
const TRANSPORT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(20);
/// How long a run holds the messages it claimed: longer than a batch of 50 at the timeout.
const CLAIM_SECONDS: i64 = 20 * 60;

/// A GOV.UK Notify API key: `{key name}-{service id}-{secret key}`, both ids UUIDs.
pub struct NotifyKey {
    pub service_id: String,
    pub secret: String,
}

impl NotifyKey {
    pub fn parse(raw: &str) -> Option<NotifyKey> {
        let raw = raw.trim();
        if raw.len() < 74 || !raw.is_char_boundary(raw.len() - 73) {
            return None;
        }
        let secret = &raw[raw.len() - 36..];
        let service_id = &raw[raw.len() - 73..raw.len() - 37];
        Some(NotifyKey { service_id: service_id.into(), secret: secret.into() })
    }

    /// The bearer token Notify expects: a JWT (HS256) with `iss` = service id and `iat` = now.
    pub async fn token(&self, now_seconds: i64) -> Result<String, ApiError> {
        let header = URL_SAFE_NO_PAD.encode(br#"{"typ":"JWT","alg":"HS256"}"#);
        let claims = URL_SAFE_NO_PAD.encode(serde_json::json!({ "iss": self.service_id, "iat": now_seconds }).to_string());
        let signing_input = format!("{header}.{claims}");
        let signature = hmac_sha256(self.secret.as_bytes(), signing_input.as_bytes()).await?;
        Ok(format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature)))
    }
}

fn var(env: &Env, name: &str) -> Option<String> {
    env.var(name).ok().map(|v| v.to_string()).or_else(|| env.secret(name).ok().map(|v| v.to_string()))
}

/// How messages leave the Worker.
enum Transport {
    Notify { key: NotifyKey, template_id: String, base: String },
    CloudflareEmail { from: String },
}

impl Transport {
    fn from_env(env: &Env) -> Result<Option<Transport>, ApiError> {
        match var(env, "NOTIFY_TRANSPORT").as_deref() {
            Some("govuk_notify") => {
                let (Some(key), Some(template_id)) = (var(env, "NOTIFY_API_KEY").and_then(|k| NotifyKey::parse(&k)), var(env, "NOTIFY_TEMPLATE_ID")) else {
                    return Err(ApiError::NotConfigured("GOV.UK Notify needs NOTIFY_API_KEY and NOTIFY_TEMPLATE_ID"));
                };
                let base = var(env, "NOTIFY_BASE_URL").unwrap_or_else(|| "https://api.notifications.service.gov.uk".into());
                Ok(Some(Transport::Notify { key, template_id, base }))
            }
            Some("cloudflare_email") => {
                let Some(from) = var(env, "NOTIFY_FROM") else {
                    return Err(ApiError::NotConfigured("Cloudflare Email needs NOTIFY_FROM, the sending address"));
                };
                Ok(Some(Transport::CloudflareEmail { from }))
            }
            _ => Ok(None),
        }
    }

    async fn send(&self, env: &Env, message: &Pending, now_seconds: i64) -> Result<(), String> {
        match self {
            Transport::Notify { key, template_id, base } => {
                let token = key.token(now_seconds).await.map_err(|_| "could not sign the GOV.UK Notify token".to_string())?;
                let body = serde_json::json!({
                    "email_address": message.recipient,
                    "template_id": template_id,
                    "personalisation": { "subject": message.subject, "body": message.body },
                    "reference": message.id,
                });
                let headers = Headers::new();
                let init_headers = headers.set("Authorization", &format!("Bearer {token}")).and_then(|_| headers.set("Content-Type", "application/json"));
                init_headers.map_err(|_| "could not build the request".to_string())?;
                let mut init = RequestInit::new();
                init.with_method(Method::Post).with_headers(headers).with_body(Some(body.to_string().into()));
                let request = Request::new_with_init(&format!("{}/v2/notifications/email", base.trim_end_matches('/')), &init)
                    .map_err(|_| "could not build the request".to_string())?;
                // A transport that never answers must not hold the run: the attempt fails and is retried.
                let controller = AbortController::default();
                let signal = controller.signal();
                let fetch = Fetch::Request(request);
                let send = Box::pin(fetch.send_with_signal(&signal));
                match select(send, Box::pin(Delay::from(TRANSPORT_TIMEOUT))).await {
                    Either::Left((Ok(response), _)) if response.status_code() == 201 => Ok(()),
                    Either::Left((Ok(response), _)) => Err(format!("GOV.UK Notify answered {}", response.status_code())),
                    Either::Left((Err(_), _)) => Err("GOV.UK Notify could not be reached".to_string()),
                    Either::Right(_) => {
                        controller.abort();
                        Err(format!("GOV.UK Notify did not answer within {} seconds", TRANSPORT_TIMEOUT.as_secs()))
                    }
                }
            }
            Transport::CloudflareEmail { from } => {
                let raw = mime(from, &message.recipient, &message.subject, &message.body, &message.id, now_seconds);
                let binding = env.send_email("EMAIL").map_err(|_| "the EMAIL binding is missing".to_string())?;
                let email = worker::EmailMessage::new(from, &message.recipient, &raw).map_err(|_| "the message was refused".to_string())?;
                binding.send(&email).await.map(|_| ()).map_err(|e| format!("Cloudflare Email refused the message: {}", e.as_string().unwrap_or_default()))
            }
        }
    }
}

/// A plain-text RFC 5322 message. Subjects are ASCII-safe by construction
/// (references, step names); anything else is sent as UTF-8 with an encoded word.
fn mime(from: &str, to: &str, subject: &str, body: &str, id: &str, now_seconds: i64) -> String {
    let date = chrono::DateTime::from_timestamp(now_seconds, 0).unwrap_or_default().format("%a, %d %b %Y %H:%M:%S +0000");
    let subject = if subject.is_ascii() {
        subject.replace(['\r', '\n'], " ")
    } else {
        format!("=?UTF-8?B?{}?=", base64::engine::general_purpose::STANDARD.encode(subject.replace(['\r', '\n'], " ")))
    };
    let domain = from.rsplit_once('@').map_or("localhost", |(_, d)| d);
    let body = body.replace("\r\n", "\n").replace('\n', "\r\n");
    format!(
        "From: {from}\r\nTo: {to}\r\nSubject: {subject}\r\nDate: {date}\r\nMessage-ID: <{id}@{domain}>\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{body}\r\n"
    )
}

/// Sends what is due to be sent. Returns (sent, failed).
pub async fn deliver_pending(env: &Env) -> Result<(u32, u32), ApiError> {
    let Some(transport) = Transport::from_env(env)? else {
        return Ok((0, 0));
    };
    // Seconds before the first retry, doubling each time (60: 2, 4, 8, 16 minutes). Tests set 0.
    let retry_base: i64 = var(env, "NOTIFY_RETRY_BASE_SECONDS").and_then(|s| s.parse().ok()).unwrap_or(60);
    let db = env.d1("DB")?;
    let now = clock::now();
    let lease_until = now + chrono::Duration::seconds(CLAIM_SECONDS);
    let due = messages::claim_due(&db, MAX_ATTEMPTS, &lease_until.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)).await?;
    let (mut sent, mut failed) = (0, 0);
    for message in due {
        let outcome = transport.send(env, &message, now.timestamp()).await;
        let attempts = message.attempts as u32 + 1;
        match outcome {
            Ok(()) => {
                sent += 1;
                messages::mark_sent(&db, &message.id, attempts).await?;
            }
            Err(error) => {
                failed += 1;
                let next = now + chrono::Duration::seconds(retry_base * 2i64.pow(attempts));
                messages::mark_failed(&db, &message.id, attempts, &error, &next.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)).await?;
            }
        }
    }
    Ok((sent, failed))
}
