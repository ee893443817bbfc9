//! Information requests to agencies and the chronology entries they return
//! (sealed: they are the family's history).

use chrono::NaiveDate;
use domain::information::{ChronologyEntry, NewRequest, RequestKind};
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};

use crate::http::error::ApiError;
use crate::db::Query;

/// Whether this agency was already asked for this on the case.
pub async fn already_asked(db: &D1Database, case_id: &str, agency_id: &str, kind: RequestKind) -> Result<bool, ApiError> {
    Ok(db
        .prepare("SELECT id FROM information_requests WHERE case_id = ?1 AND agency_id = ?2 AND kind = ?3")
        .bind(&[case_id.into(), agency_id.into(), kind.as_str().into()])?
        .row::<serde_json::Value>()
        .await?
        .is_some())
}

pub fn send(db: &D1Database, id: &str, case_id: &str, request: &NewRequest, sent_on: NaiveDate, due_on: NaiveDate) -> Result<D1PreparedStatement, ApiError> {
    Ok(db
        .prepare("INSERT INTO information_requests (id, case_id, agency_id, kind, sent_on, due_on) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
        .bind(&[id.into(), case_id.into(), request.agency_id.as_str().into(), request.kind.as_str().into(), sent_on.to_string().into(), due_on.to_string().into()])?)
}

#[derive(Deserialize)]
pub struct RequestRow {
    pub id: String,
    pub agency_id: String,
    pub agency_name: String,
    pub kind: RequestKind,
    pub sent_on: String,
    pub due_on: String,
    pub returned_on: Option<String>,
    pub entries: f64,
}

/// The case's requests, by agency then kind, with how many entries came back.
pub async fn of_case(db: &D1Database, case_id: &str) -> Result<Vec<RequestRow>, ApiError> {
    db
        .prepare(
            "SELECT r.id, r.agency_id, a.name AS agency_name, r.kind, r.sent_on, r.due_on, r.returned_on, \
                    (SELECT count(*) FROM chronology_entries e WHERE e.request_id = r.id) AS entries \
             FROM information_requests r JOIN agencies a ON a.id = r.agency_id WHERE r.case_id = ?1 ORDER BY a.name, r.kind",
        )
        .bind(&[case_id.into()])?
        .rows()
        .await
}

/// Whose a request is: its case and the agency asked.
#[derive(Deserialize)]
pub struct RequestOwner {
    pub case_id: String,
    pub agency_id: String,
    pub reference: String,
    pub partnership_id: String,
}

pub async fn owner(db: &D1Database, request_id: &str) -> Result<Option<RequestOwner>, ApiError> {
    db
        .prepare("SELECT r.case_id, r.agency_id, c.reference, c.partnership_id FROM information_requests r JOIN cases c ON c.id = r.case_id WHERE r.id = ?1")
        .bind(&[request_id.into()])?
        .row::<RequestOwner>()
        .await
}

/// One returned entry (`id`), its text already sealed to it.
pub fn add_entry(
    db: &D1Database,
    id: &str,
    request_id: &str,
    owner: &RequestOwner,
    entry: &ChronologyEntry,
    entry_sealed: String,
    now: &str,
) -> Result<D1PreparedStatement, ApiError> {
    Ok(db
        .prepare(
            "INSERT INTO chronology_entries (id, request_id, case_id, agency_id, occurred_on, occurred_time, entry_sealed, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )
        .bind(&[
            id.into(),
            request_id.into(),
            owner.case_id.as_str().into(),
            owner.agency_id.as_str().into(),
            entry.occurred_on.to_string().into(),
            entry.occurred_time.map_or(JsValue::NULL, |t| t.format("%H:%M").to_string().into()),
            entry_sealed.into(),
            now.into(),
        ])?)
}

/// The first return dates the request; later ones add entries.
pub fn returned(db: &D1Database, request_id: &str, on: NaiveDate) -> Result<D1PreparedStatement, ApiError> {
    Ok(db
        .prepare("UPDATE information_requests SET returned_on = coalesce(returned_on, ?1), version = version + 1 WHERE id = ?2")
        .bind(&[on.to_string().into(), request_id.into()])?)
}

#[derive(Deserialize)]
pub struct EntryRow {
    pub id: String,
    pub agency: String,
    pub agency_id: String,
    pub occurred_on: String,
    pub occurred_time: Option<String>,
    pub entry_sealed: String,
}

/// Every returned entry of the case, in date and time order (untimed last in a day).
pub async fn chronology(db: &D1Database, case_id: &str) -> Result<Vec<EntryRow>, ApiError> {
    db
        .prepare(
            "SELECT e.id, a.name AS agency, e.agency_id, e.occurred_on, e.occurred_time, e.entry_sealed FROM chronology_entries e \
             JOIN agencies a ON a.id = e.agency_id WHERE e.case_id = ?1 ORDER BY e.occurred_on, coalesce(e.occurred_time, '99:99'), a.name",
        )
        .bind(&[case_id.into()])?
        .rows()
        .await
}
