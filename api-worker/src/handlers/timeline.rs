//! A case's timeline: its events and deadlines, recording an event (or a
//! correction) and extending a deadline with a reason.

use chrono::NaiveDate;
use domain::access::Capability;
use domain::api::{Timeline, TimelineEvent};
use domain::deadline::ExtensionInput;
use domain::notification::Template;
use domain::playbook::Event;
use domain::timeline::EventInput;
use domain::settings::ContactPurpose;
use worker::{D1PreparedStatement, Request, Response};

use crate::db::audit::SealedRead;
use crate::db::timeline::{self, Entry};
use crate::db::version::{self, Committed};
use crate::db::{audit, cases, deadlines, meetings, partnership, reviews, sealing};
use crate::platform::webcrypto::random_uuid;
use crate::http::context::CaseCtx;
use crate::http::error::ApiError;
use crate::http::{body, reply};
use crate::messaging::notifier::{self, Recipients};
use crate::platform::clock;
use crate::platform::sealed::Sealer;

pub async fn timeline(c: &CaseCtx<'_>) -> Result<Response, ApiError> {
    answer(c, &c.case).await
}

/// The timeline after a change: the case read again, since recording an
/// event moves its stage (and a corrected awareness date moves its dates).
async fn changed(c: &CaseCtx<'_>) -> Result<Response, ApiError> {
    answer(c, &cases::find(&c.db, &c.who, &c.case.reference).await?.case_ref()?).await
}

async fn answer(c: &CaseCtx<'_>, case: &cases::CaseRef) -> Result<Response, ApiError> {
    let (db, who) = (&c.db, &c.who);
    let rules = partnership::rules(db, &who.partnership_id).await?;
    let rows = timeline::event_rows(db, &case.id).await?;
    // Notes are opened (and the opening audited) only when there are notes and the reader may read them.
    let opener = if c.may_read_sealed() && rows.iter().any(|r| r.note_sealed.is_some()) { Some(c.opener(SealedRead::EventNotes).await?) } else { None };
    let own = |kind: Event, on: NaiveDate| TimelineEvent {
        id: None,
        kind,
        on,
        at: None,
        recorded_at: None,
        recorded_by: None,
        has_note: false,
        note: None,
        superseded: rows.iter().any(|r| r.kind == kind.as_str() && r.superseded_by.is_none()),
    };
    let mut events = vec![own(Event::Aware, case.aware_on), own(Event::ReferralReceived, case.received_on)];
    for row in &rows {
        let (Some(kind), Ok(on)) = (Event::parse(&row.kind), domain::date_input::parse_iso_date(&row.occurred_on)) else { continue };
        let note = match (&opener, &row.note_sealed) {
            (Some(opener), Some(sealed)) => Some(opener.open(sealing::EVENT_NOTE.at(&row.id), sealed).await?),
            _ => None,
        };
        events.push(TimelineEvent {
            id: Some(row.id.clone()),
            kind,
            on,
            at: row.occurred_at.clone(),
            recorded_at: Some(row.recorded_at.clone()),
            recorded_by: row.recorded_by_name.clone(),
            has_note: row.note_sealed.is_some(),
            note,
            superseded: row.superseded_by.is_some(),
        });
    }
    // In the order things happened; on one day, in the order of the process.
    events.sort_by_key(|e| (e.on, Event::ALL.iter().position(|k| *k == e.kind)));
    let deadlines = deadlines::of_case(db, &case.id).await?.into_iter().filter_map(|row| row.view(c.today, &rules.calendar)).collect();
    reply::json(200, &Timeline { reference: case.reference.clone(), stage: case.stage, events, deadlines })
}

/// Stores a new event (or a correction) and brings the case's deadlines and stage up to date.
pub async fn record_event(req: &mut Request, c: &CaseCtx<'_>) -> Result<Response, ApiError> {
    let json = body::json(req).await?;
    c.require(Capability::RecordEvent)?;
    let input: EventInput = domain::field_error::from_json(&json, "an event")?;
    let event = input.parse(c.today)?;
    let id = random_uuid();
    let note = match &event.note {
        Some(note) => Some(Sealer::for_partnership(c.env, &c.who.partnership_id).await?.seal(sealing::EVENT_NOTE.at(&id), note).await?),
        None => None,
    };
    let entry = Entry {
        id: Some(id),
        at: event.at.map(|t| t.to_rfc3339()),
        note_sealed: note,
        corrects: event.corrects.as_deref(),
        ..Entry::of(event.kind, event.on)
    };
    let mut statements = timeline::event_statements(&c.db, &c.who, &c.case, entry).await?;
    if event.corrects.is_none() {
        statements.extend(event_messages(c, req, event.kind).await?);
    }
    c.db.batch(statements).await?;
    changed(c).await.map(|r| r.with_status(201))
}

/// The messages an event sends (SPEC.md "Notifications"), queued in the batch
/// that records it. A correction of an event sends nothing again.
async fn event_messages(c: &CaseCtx<'_>, req: &Request, kind: Event) -> Result<Vec<D1PreparedStatement>, ApiError> {
    Ok(match kind {
        Event::PapersSent => {
            // To everyone invited to a meeting not yet held who gave a work address.
            let (addresses, meeting_on) = meetings::unheld_invitees(&c.db, &c.case.id).await?;
            if addresses.is_empty() {
                vec![]
            } else {
                vec![notifier::about_case(c, req, Template::PapersReady, meeting_on, Recipients::Addresses(addresses))?]
            }
        }
        Event::RapidReviewSubmitted => {
            vec![notifier::about_case(c, req, Template::RapidReviewSubmitted, None, Recipients::Purposes(&[ContactPurpose::PartnershipManager, ContactPurpose::StrategicLeadership]))?]
        }
        Event::ReportSentToPanel => {
            let planned = reviews::planned_publication(&c.db, &c.case.id).await?;
            vec![notifier::about_case(c, req, Template::PublicationNotice, planned, Recipients::Purposes(&[ContactPurpose::NationalPanel, ContactPurpose::Ofsted, ContactPurpose::Dfe]))?]
        }
        _ => vec![],
    })
}

/// A new due date with a reason; the original stays for reporting. Versioned: a stale extension gets 409.
pub async fn extend_deadline(req: &mut Request, c: &CaseCtx<'_>, step_key: &str) -> Result<Response, ApiError> {
    let json = body::json(req).await?;
    c.require(Capability::ExtendDeadline)?;
    let current = deadlines::due_of(&c.db, &c.case.id, step_key).await?.ok_or(ApiError::NotFound)?;
    let current_due = domain::date_input::parse_iso_date(&current.due).map_err(|_| ApiError::NotFound)?;
    let input: ExtensionInput = domain::field_error::from_json(&json, "a deadline extension")?;
    let (extension, version) = input.parse(current_due)?;
    let write = deadlines::extend(&c.db, &c.case.id, step_key, &extension, version, &c.who.user_id, &clock::now_rfc3339())?;
    let audit = audit::entry(&c.db, &c.who, Some(&c.case.id), "deadline_extended", step_key)?;
    if version::commit(&c.db, write, vec![audit]).await? == Committed::Stale {
        return Err(ApiError::conflict(&domain::api::DeadlineVersion { step_key: step_key.into(), due: current.due, version: current.version as u32 }));
    }
    changed(c).await
}
