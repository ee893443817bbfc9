//! Information requests to agencies and the chronologies they return. An
//! agency lead sees and answers only the requests addressed to their agency;
//! returned entries are personal data, sealed, and the merged multi-agency
//! chronology is opened only for roles that may read personal details.

use chrono::NaiveDate;
use domain::access::Capability;
use domain::information::{RequestInput, ReturnInput};
use domain::playbook::{Event, StepUnit};
use domain::api::{Chronology, ChronologyLine, InformationRequest, InformationRequests, ReturnReceipt};
use serde::Deserialize;
use worker::{Env, Request, Response};

use crate::http::error::ApiError;
use crate::handlers::cases::{find_case_ref, random_uuid};
use crate::auth::session::Principal;
use crate::platform::sealed::Sealer;
use crate::handlers::timeline::{Entry, event_statements, rules};
use crate::db::audit;
use crate::http::body;
use crate::platform::clock;
use crate::http::reply;

/// The playbook's timescale for a return (KRSCP 5 working days, Kirklees 48 hours), else 5 working days.
fn default_due(rules: &crate::handlers::timeline::Rules, today: NaiveDate) -> Result<NaiveDate, ApiError> {
    let step = rules.playbook.steps.iter().find(|s| s.anchor == Event::InformationRequested && s.done_by == Event::InformationReturned);
    let due = match step {
        Some(s) if s.unit == StepUnit::Hours => {
            let start = domain::uk_time::from_uk(today.and_time(chrono::NaiveTime::MIN));
            Ok(domain::uk_time::uk_date(domain::uk_time::hours_after(start, s.offset)))
        }
        Some(s) => rules.calendar.due(today, s.offset, s.unit.calendar_unit().unwrap_or(domain::calendar::Unit::WorkingDaysAfter)),
        None => rules.calendar.working_days_after(today, 5),
    };
    due.map_err(|e| ApiError::invalid("due_on", &e.to_string()))
}

pub async fn send(req: &mut Request, env: &Env, who: &Principal, reference: &str) -> Result<Response, ApiError> {
    who.require(Capability::ReadCase)?;
    let json = body::json(req).await?;
    let db = env.d1("DB")?;
    let case = find_case_ref(&db, who, reference).await?;
    who.require(Capability::ManageInformationRequests)?;
    let today = clock::today_in_uk();
    let request = domain::field_error::from_json::<RequestInput>(&json, "an information request")?.parse(today)?;
    #[derive(Deserialize)]
    struct Known {
        #[allow(dead_code)]
        id: String,
    }
    let agency = db
        .prepare("SELECT id FROM agencies WHERE id = ?1 AND partnership_id = ?2")
        .bind(&[request.agency_id.as_str().into(), who.partnership_id.as_str().into()])?
        .first::<Known>(None)
        .await?;
    if agency.is_none() {
        return Err(ApiError::invalid("agency_id", "There is no such agency in this partnership"));
    }
    let already = db
        .prepare("SELECT id FROM information_requests WHERE case_id = ?1 AND agency_id = ?2 AND kind = ?3")
        .bind(&[case.id.as_str().into(), request.agency_id.as_str().into(), request.kind.as_str().into()])?
        .first::<Known>(None)
        .await?;
    if already.is_some() {
        return Err(ApiError::invalid("kind", "This agency has already been asked for this on this case"));
    }
    let rules = rules(&db, &who.partnership_id).await?;
    let due = match request.due_on {
        Some(d) => d,
        None => default_due(&rules, today)?,
    };
    let id = random_uuid();
    let mut statements = vec![db
        .prepare("INSERT INTO information_requests (id, case_id, agency_id, kind, sent_on, due_on) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
        .bind(&[
            id.as_str().into(),
            case.id.as_str().into(),
            request.agency_id.as_str().into(),
            request.kind.as_str().into(),
            today.to_string().into(),
            due.to_string().into(),
        ])?];
    statements.extend(event_statements(&db, who, &case, Entry::of(Event::InformationRequested, today)).await?);
    // The agency's safeguarding lead is told what is needed and by when.
    let facts = domain::notification::MessageFacts {
        reference: case.reference.clone(),
        partnership: who.partnership_name.clone(),
        needed: Some(format!("return your agency's {}", request.kind.label().to_lowercase())),
        due: Some(due),
        link: crate::messaging::notifier::case_link(req, &case.reference),
    };
    statements.push(crate::messaging::notifier::queue_to(
        &db,
        env,
        &who.partnership_id,
        &case.id,
        domain::notification::Template::InformationRequest,
        &facts,
        crate::messaging::notifier::Recipients::AgencyLead(&request.agency_id),
    )?);
    db.batch(statements).await?;
    list(env, who, reference).await.map(|r| r.with_status(201))
}

#[derive(Deserialize)]
struct RequestRow {
    id: String,
    agency_id: String,
    agency_name: String,
    kind: domain::information::RequestKind,
    sent_on: String,
    due_on: String,
    returned_on: Option<String>,
    entries: f64,
}

/// The agency table of the rapid review: who was asked for what, by when, and whether it came back.
pub async fn list(env: &Env, who: &Principal, reference: &str) -> Result<Response, ApiError> {
    who.require(Capability::ReadCase)?;
    let db = env.d1("DB")?;
    let case = find_case_ref(&db, who, reference).await?;
    let whole = who.grants.may(Capability::ManageInformationRequests) || who.grants.may(Capability::ReadPersonalData) && who.agency_id.is_none();
    let rows: Vec<RequestRow> = db
        .prepare(
            "SELECT r.id, r.agency_id, a.name AS agency_name, r.kind, r.sent_on, r.due_on, r.returned_on, \
                    (SELECT count(*) FROM chronology_entries e WHERE e.request_id = r.id) AS entries \
             FROM information_requests r JOIN agencies a ON a.id = r.agency_id WHERE r.case_id = ?1 ORDER BY a.name, r.kind",
        )
        .bind(&[case.id.as_str().into()])?
        .all()
        .await?
        .results()?;
    let requests = rows
        .into_iter()
        .filter(|r| whole || who.agency_id.as_deref() == Some(r.agency_id.as_str()))
        .map(|r| InformationRequest {
            id: r.id,
            agency_id: r.agency_id,
            agency: r.agency_name,
            kind: r.kind,
            sent_on: r.sent_on,
            due_on: r.due_on,
            returned_on: r.returned_on,
            entries: r.entries as u32,
        })
        .collect();
    reply::json(200, &InformationRequests { reference: case.reference, requests })
}

#[derive(Deserialize)]
struct RequestOwner {
    case_id: String,
    agency_id: String,
    reference: String,
    partnership_id: String,
}

/// An agency's return: its chronology entries, sealed. Only that agency's lead (or the partnership team).
pub async fn answer(req: &mut Request, env: &Env, who: &Principal, request_id: &str) -> Result<Response, ApiError> {
    let json = body::json(req).await?;
    let db = env.d1("DB")?;
    let owner = db
        .prepare("SELECT r.case_id, r.agency_id, c.reference, c.partnership_id FROM information_requests r JOIN cases c ON c.id = r.case_id WHERE r.id = ?1")
        .bind(&[request_id.into()])?
        .first::<RequestOwner>(None)
        .await?
        .filter(|o| o.partnership_id == who.partnership_id)
        .ok_or(ApiError::NotFound)?;
    let own_agency = who.grants.may(Capability::AnswerInformationRequest) && who.agency_id.as_deref() == Some(owner.agency_id.as_str());
    if !(own_agency || who.grants.may(Capability::ManageInformationRequests)) {
        return Err(if who.grants.may(Capability::AnswerInformationRequest) { ApiError::NotFound } else { ApiError::Forbidden });
    }
    let today = clock::today_in_uk();
    let entries = domain::field_error::from_json::<ReturnInput>(&json, "a chronology return")?.parse(today)?;
    let sealer = Sealer::from_env(env).await?;
    let now = clock::now_rfc3339();
    let mut statements = Vec::new();
    for entry in &entries {
        statements.push(
            db.prepare(
                "INSERT INTO chronology_entries (id, request_id, case_id, agency_id, occurred_on, occurred_time, entry_sealed, created_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )
            .bind(&[
                random_uuid().into(),
                request_id.into(),
                owner.case_id.as_str().into(),
                owner.agency_id.as_str().into(),
                entry.occurred_on.to_string().into(),
                entry.occurred_time.map_or(wasm_bindgen::JsValue::NULL, |t| t.format("%H:%M").to_string().into()),
                sealer.seal(&entry.entry).await?.into(),
                now.as_str().into(),
            ])?,
        );
    }
    statements.push(
        db.prepare("UPDATE information_requests SET returned_on = coalesce(returned_on, ?1), version = version + 1 WHERE id = ?2")
            .bind(&[today.to_string().into(), request_id.into()])?,
    );
    // The agency lead sees the case through this very request; the return is a timeline event
    // even though recording events by hand is the partnership team's.
    let case = find_case_ref(&db, who, &owner.reference).await?;
    statements.extend(event_statements(&db, who, &case, Entry::of(Event::InformationReturned, today)).await?);
    statements.push(audit::entry(&db, who, Some(&owner.case_id), "chronology_returned", &format!("{} entries", entries.len()))?);
    db.batch(statements).await?;
    reply::json(201, &ReturnReceipt { request_id: request_id.into(), entries: entries.len() as u32, returned_on: today.to_string() })
}

#[derive(Deserialize)]
struct EntryRow {
    agency: String,
    agency_id: String,
    occurred_on: String,
    occurred_time: Option<String>,
    entry_sealed: String,
}

/// One multi-agency chronology, in date and time order. Personal data: opened only for roles that may, and audited.
pub async fn chronology(env: &Env, who: &Principal, reference: &str) -> Result<Response, ApiError> {
    who.require(Capability::ReadCase)?;
    let db = env.d1("DB")?;
    let case = find_case_ref(&db, who, reference).await?;
    who.require(Capability::ReadPersonalData)?;
    let rows: Vec<EntryRow> = db
        .prepare(
            "SELECT a.name AS agency, e.agency_id, e.occurred_on, e.occurred_time, e.entry_sealed FROM chronology_entries e \
             JOIN agencies a ON a.id = e.agency_id WHERE e.case_id = ?1 ORDER BY e.occurred_on, coalesce(e.occurred_time, '99:99'), a.name",
        )
        .bind(&[case.id.as_str().into()])?
        .all()
        .await?
        .results()?;
    let sealer = Sealer::from_env(env).await?;
    let mut merged = Vec::with_capacity(rows.len());
    for row in rows {
        let visible = who.agency_id.is_none() || who.grants.may(Capability::ManageInformationRequests) || who.agency_id.as_deref() == Some(row.agency_id.as_str());
        if !visible {
            continue;
        }
        merged.push(ChronologyLine { agency: row.agency, agency_id: row.agency_id, occurred_on: row.occurred_on, occurred_time: row.occurred_time, entry: sealer.open(&row.entry_sealed).await? });
    }
    audit::entry(&db, who, Some(&case.id), "chronology_read", "")?.run().await?;
    reply::json(200, &Chronology { reference: case.reference, entries: merged })
}

