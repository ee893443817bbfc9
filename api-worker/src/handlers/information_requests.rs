//! Information requests to agencies and the chronologies they return. An
//! agency lead sees and answers only the requests addressed to their agency;
//! returned entries are personal data, sealed, and the merged multi-agency
//! chronology is opened only for roles that may read personal details.

use chrono::NaiveDate;
use domain::access::Capability;
use domain::api::{Chronology, ChronologyLine, InformationRequest, InformationRequests, ReturnReceipt};
use domain::information::{RequestInput, ReturnInput};
use domain::notification::Template;
use domain::playbook::{Event, StepUnit};
use worker::{Request, Response};

use crate::db::audit::SealedRead;
use crate::db::information_requests::{self as requests};
use crate::db::partnership::{self, Rules};
use crate::db::timeline::{self, Entry};
use crate::db::{audit, cases, sealing};
use crate::http::context::{CaseCtx, Ctx};
use crate::http::error::ApiError;
use crate::http::{body, reply};
use crate::messaging::notifier::{self, Recipients};
use crate::platform::clock;
use crate::platform::sealed::Sealer;
use crate::platform::webcrypto::random_uuid;

/// The playbook's timescale for a return (KRSCP 5 working days, Kirklees 48 hours), else 5 working days.
fn default_due(rules: &Rules, today: NaiveDate) -> Result<NaiveDate, ApiError> {
    let step = rules.playbook.steps.iter().find(|s| s.anchor == Event::InformationRequested && s.done_by == Event::InformationReturned);
    let due = match step {
        Some(s) if s.unit == StepUnit::Hours => {
            let start = domain::uk_time::from_uk(today.and_time(chrono::NaiveTime::MIN));
            Ok(domain::uk_time::uk_date(domain::uk_time::hours_after(start, s.offset)))
        }
        Some(s) => rules.calendar.due(today, s.offset, s.unit.calendar_unit().unwrap_or(domain::calendar::Unit::WorkingDaysAfter)),
        None => rules.calendar.working_days_after(today, 5),
    };
    due.map_err(|e| ApiError::invalid("due_on", e.to_string()))
}

pub async fn send(req: &mut Request, c: &CaseCtx<'_>) -> Result<Response, ApiError> {
    let (db, who, case, today) = (&c.db, &c.who, &c.case, c.today);
    let json = body::json(req).await?;
    c.require(Capability::ManageInformationRequests)?;
    let request = domain::field_error::from_json::<RequestInput>(&json, "an information request")?.parse(today)?;
    if partnership::agency(db, &who.partnership_id, &request.agency_id).await?.is_none() {
        return Err(ApiError::invalid("agency_id", "There is no such agency in this partnership"));
    }
    if requests::already_asked(db, &case.id, &request.agency_id, request.kind).await? {
        return Err(ApiError::invalid("kind", "This agency has already been asked for this on this case"));
    }
    let rules = partnership::rules(db, &who.partnership_id).await?;
    let due = match request.due_on {
        Some(d) => d,
        None => default_due(&rules, today)?,
    };
    let id = random_uuid();
    let mut statements = vec![requests::send(db, &id, &case.id, &request, today, due)?];
    statements.extend(timeline::event_statements(db, who, case, Entry::of(Event::InformationRequested, today)).await?);
    // The agency's safeguarding lead is told what is needed and by when.
    let facts = domain::notification::MessageFacts {
        reference: case.reference.clone(),
        partnership: who.partnership_name.clone(),
        needed: Some(format!("return your agency's {}", request.kind.label().to_lowercase())),
        due: Some(due),
        link: notifier::case_link(req, &case.reference),
    };
    statements.push(notifier::queue_to(db, c.env, &who.partnership_id, &case.id, Template::InformationRequest, &facts, Recipients::AgencyLead(&request.agency_id))?);
    db.batch(statements).await?;
    list(c).await.map(|r| r.with_status(201))
}

/// The agency table of the rapid review: who was asked for what, by when, and whether it came back.
pub async fn list(c: &CaseCtx<'_>) -> Result<Response, ApiError> {
    let (who, case) = (&c.who, &c.case);
    let whole = who.grants.may(Capability::ManageInformationRequests) || who.grants.may(Capability::ReadPersonalData) && who.agency_id.is_none();
    let rows = requests::of_case(&c.db, &case.id).await?;
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
    reply::json(200, &InformationRequests { reference: case.reference.clone(), requests })
}

/// An agency's return: its chronology entries, sealed. Only that agency's lead (or the partnership team).
pub async fn answer(req: &mut Request, ctx: &Ctx<'_>, request_id: &str) -> Result<Response, ApiError> {
    let (db, who, today) = (&ctx.db, &ctx.who, ctx.today);
    let json = body::json(req).await?;
    let owner = requests::owner(db, request_id)
        .await?
        .filter(|o| o.partnership_id == who.partnership_id)
        .ok_or(ApiError::NotFound)?;
    let own_agency = who.grants.may(Capability::AnswerInformationRequest) && who.agency_id.as_deref() == Some(owner.agency_id.as_str());
    if !(own_agency || who.grants.may(Capability::ManageInformationRequests)) {
        return Err(if who.grants.may(Capability::AnswerInformationRequest) { ApiError::NotFound } else { ApiError::Forbidden });
    }
    let entries = domain::field_error::from_json::<ReturnInput>(&json, "a chronology return")?.parse(today)?;
    let sealer = Sealer::for_partnership(ctx.env, &who.partnership_id).await?;
    let now = clock::now_rfc3339();
    let mut statements = Vec::new();
    for entry in &entries {
        let id = random_uuid();
        let sealed = sealer.seal(sealing::CHRONOLOGY_ENTRY.at(&id), &entry.entry).await?;
        statements.push(requests::add_entry(db, &id, request_id, &owner, entry, sealed, &now)?);
    }
    statements.push(requests::returned(db, request_id, today)?);
    // The agency lead sees the case through this very request; the return is a timeline event
    // even though recording events by hand is the partnership team's.
    let case = cases::find(db, who, &owner.reference).await?.case_ref()?;
    statements.extend(timeline::event_statements(db, who, &case, Entry::of(Event::InformationReturned, today)).await?);
    statements.push(audit::entry(db, who, Some(&owner.case_id), "chronology_returned", &format!("{} entries", entries.len()))?);
    db.batch(statements).await?;
    reply::json(201, &ReturnReceipt { request_id: request_id.into(), entries: entries.len() as u32, returned_on: today.to_string() })
}

/// One multi-agency chronology, in date and time order. Personal data: opened only for roles that may, and audited.
pub async fn chronology(c: &CaseCtx<'_>) -> Result<Response, ApiError> {
    let (db, who, case) = (&c.db, &c.who, &c.case);
    let opener = c.opener(SealedRead::Chronology).await?;
    let rows = requests::chronology(db, &case.id).await?;
    let mut merged = Vec::with_capacity(rows.len());
    for row in rows {
        let visible = who.agency_id.is_none() || who.grants.may(Capability::ManageInformationRequests) || who.agency_id.as_deref() == Some(row.agency_id.as_str());
        if !visible {
            continue;
        }
        merged.push(ChronologyLine { agency: row.agency, agency_id: row.agency_id, occurred_on: row.occurred_on, occurred_time: row.occurred_time, entry: opener.open(sealing::CHRONOLOGY_ENTRY.at(&row.id), &row.entry_sealed).await? });
    }
    reply::json(200, &Chronology { reference: case.reference.clone(), entries: merged })
}

