//! Safe retries for writes that create records. The client's Idempotency-Key
//! is claimed by a row inserted in the same batch (one transaction) as the
//! record itself, so of two concurrent identical requests exactly one
//! creates; the other, and every later retry, gets the first response again.

use serde::Deserialize;
use worker::{D1Database, D1PreparedStatement, Request, Response};

use crate::http::error::ApiError;
use crate::auth::principal::Principal;
use crate::http::body;
use crate::platform::clock;
use crate::http::reply;
use crate::db::Query;

pub struct Claim {
    key: String,
    route: String,
}

pub enum Start {
    /// Go ahead; with a claim when the client sent a key.
    Fresh(Option<Claim>),
    /// The same request was handled before: here is its response.
    Replay(Response),
}

#[derive(Deserialize)]
struct Stored {
    route: String,
    status: Option<f64>,
    body: Option<String>,
}

async fn stored(db: &D1Database, who: &Principal, key: &str, route: &str) -> Result<Option<Response>, ApiError> {
    let Some(row) = db
        .prepare("SELECT route, status, body FROM idempotency_keys WHERE user_id = ?1 AND key = ?2")
        .bind(&[who.user_id.as_str().into(), key.into()])?
        .row::<Stored>()
        .await?
    else {
        return Ok(None);
    };
    if row.route != route {
        return Err(ApiError::BadHeader {
            header: "Idempotency-Key",
            message: "This key was already used for a different request; send a new key for each new submission".into(),
        });
    }
    match (row.status, row.body) {
        (Some(status), Some(body)) => {
            let value: serde_json::Value = serde_json::from_str(&body).unwrap_or(serde_json::Value::Null);
            let mut response = reply::json(status as u16, &value)?;
            response.headers_mut().set("Idempotent-Replayed", "true")?;
            Ok(Some(response))
        }
        // Claimed by a request still in flight (or one that failed after its batch): nothing to replay yet.
        _ => Err(ApiError::Conflict { current: serde_json::json!({ "idempotency_key": "in progress; retry shortly" }) }),
    }
}

/// `route` names the operation and its target (e.g. "meetings:KRSCP-2026-0007")
/// so that a key reused for something else is refused rather than replayed.
pub async fn start(req: &Request, db: &D1Database, who: &Principal, route: &str) -> Result<Start, ApiError> {
    let Some(key) = body::idempotency_key(req)? else {
        return Ok(Start::Fresh(None));
    };
    if let Some(response) = stored(db, who, &key, route).await? {
        return Ok(Start::Replay(response));
    }
    Ok(Start::Fresh(Some(Claim { key, route: route.to_string() })))
}

impl Claim {
    fn statement(&self, db: &D1Database, who: &Principal) -> Result<D1PreparedStatement, ApiError> {
        Ok(db
            .prepare("INSERT INTO idempotency_keys (user_id, key, route, created_at) VALUES (?1, ?2, ?3, ?4)")
            .bind(&[who.user_id.as_str().into(), self.key.as_str().into(), self.route.as_str().into(), clock::now_rfc3339().into()])?)
    }
}

/// Runs the batch with the claim first. `Ok(Some(response))` means a
/// concurrent twin won the race and this is its response.
pub async fn batch(db: &D1Database, who: &Principal, claim: &Option<Claim>, mut statements: Vec<D1PreparedStatement>) -> Result<Option<Response>, ApiError> {
    if let Some(claim) = claim {
        statements.insert(0, claim.statement(db, who)?);
    }
    match db.batch(statements).await {
        Ok(_) => Ok(None),
        Err(error) => match claim {
            Some(claim) => match stored(db, who, &claim.key, &claim.route).await {
                Ok(Some(response)) => Ok(Some(response)),
                Ok(None) => Err(error.into()),
                Err(conflict) => Err(conflict),
            },
            None => Err(error.into()),
        },
    }
}

/// Records the response so that retries get it; then sends it.
pub async fn respond<T: serde::Serialize>(db: &D1Database, who: &Principal, claim: &Option<Claim>, status: u16, body: &T) -> Result<Response, ApiError> {
    let value = serde_json::to_value(body).map_err(|e| ApiError::Internal(e.into()))?;
    if let Some(claim) = claim {
        db.prepare("UPDATE idempotency_keys SET status = ?1, body = ?2 WHERE user_id = ?3 AND key = ?4")
            .bind(&[status.to_string().into(), value.to_string().into(), who.user_id.as_str().into(), claim.key.as_str().into()])?
            .run()
            .await?;
    }
    reply::json(status, &value)
}
