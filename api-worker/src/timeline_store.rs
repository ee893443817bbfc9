//! A case's timeline and deadlines in D1. Recording (or correcting) an event
//! recomputes the case's deadlines from its partnership's playbook in the same
//! batch, so the deadlines on file always match the events on file.

use chrono::NaiveDate;
use domain::access::Capability;
use domain::calendar::Calendar;
use domain::deadline::{self, Deadline, Extension, ExtensionInput, RecordedEvent};
use domain::playbook::{Event, Playbook};
use domain::threshold::ThresholdDecisionInput;
use domain::timeline::{EventInput, stage_of};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement, Env, Request, Response};

use crate::api_error::ApiError;
use crate::case_store::{CaseRef, find_case_ref, random_uuid};
use crate::identity::Principal;
use crate::sealed::Sealer;
use crate::{audit, body, clock, reply};

/// What recomputing a case's deadlines needs: its partnership's rules.
pub struct Rules {
    pub playbook: Playbook,
    pub calendar: Calendar,
}

#[derive(Deserialize)]
struct PartnershipRules {
    playbook_id: String,
    playbook: Option<String>,
    closure_days: String,
}

pub async fn rules(db: &D1Database, partnership_id: &str) -> Result<Rules, ApiError> {
    let row = db
        .prepare("SELECT playbook_id, playbook, closure_days FROM partnerships WHERE id = ?1")
        .bind(&[partnership_id.into()])?
        .first::<PartnershipRules>(None)
        .await?
        .ok_or(ApiError::NotFound)?;
    let broken = |what: &str| ApiError::Internal(worker::Error::RustError(format!("the partnership's {what} is not valid")));
    let playbook = match row.playbook {
        Some(json) => {
            let value: serde_json::Value = serde_json::from_str(&json).map_err(|_| broken("playbook"))?;
            Playbook::from_json(&value).map_err(|_| broken("playbook"))?
        }
        None => Playbook::preset(&row.playbook_id).ok_or_else(|| broken("playbook"))?,
    };
    let closures: Vec<NaiveDate> = serde_json::from_str(&row.closure_days).map_err(|_| broken("closure days"))?;
    Ok(Rules { playbook, calendar: Calendar::england_and_wales().with_closure_days(closures) })
}

#[derive(Debug, Deserialize)]
struct EventRow {
    id: String,
    kind: String,
    occurred_on: String,
    occurred_at: Option<String>,
    recorded_at: String,
    recorded_by_name: Option<String>,
    note_sealed: Option<String>,
    superseded_by: Option<String>,
}

/// The events that count: the referral's own two (awareness and receipt),
/// unless corrected by an explicit event of the same kind, then the rest.
fn recorded(case: &CaseRef, rows: &[EventRow]) -> Vec<RecordedEvent> {
    let live: Vec<RecordedEvent> = rows
        .iter()
        .filter(|r| r.superseded_by.is_none())
        .filter_map(|r| {
            Some(RecordedEvent {
                kind: Event::parse(&r.kind)?,
                on: domain::date_input::parse_iso_date(&r.occurred_on).ok()?,
                at: r.occurred_at.as_deref().and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok()).map(|t| t.to_utc()),
            })
        })
        .collect();
    let mut events = Vec::new();
    for (kind, on) in [(Event::Aware, case.aware_on), (Event::ReferralReceived, case.received_on)] {
        if !live.iter().any(|e| e.kind == kind) {
            events.push(RecordedEvent { kind, on, at: None });
        }
    }
    events.extend(live);
    events
}

async fn event_rows(db: &D1Database, case_id: &str) -> Result<Vec<EventRow>, ApiError> {
    Ok(db
        .prepare(
            "SELECT e.id, e.kind, e.occurred_on, e.occurred_at, e.recorded_at, u.name AS recorded_by_name, e.note_sealed, e.superseded_by \
             FROM case_events e LEFT JOIN users u ON u.id = e.recorded_by WHERE e.case_id = ?1 ORDER BY e.occurred_on, e.recorded_at",
        )
        .bind(&[case_id.into()])?
        .all()
        .await?
        .results()?)
}

/// Statements that replace the case's deadlines with `computed`, keeping each
/// step's extension (when it is later than the new date) and reminder state.
pub fn store_deadlines(db: &D1Database, case_id: &str, computed: &[Deadline]) -> Result<Vec<D1PreparedStatement>, ApiError> {
    let mut statements = Vec::new();
    let keys: Vec<String> = computed.iter().map(|d| d.step_key.clone()).collect();
    let keys_json = serde_json::to_string(&keys).unwrap_or_else(|_| "[]".into());
    statements.push(
        db.prepare("DELETE FROM deadlines WHERE case_id = ?1 AND step_key NOT IN (SELECT value FROM json_each(?2))")
            .bind(&[case_id.into(), keys_json.into()])?,
    );
    for d in computed {
        statements.push(
            db.prepare(
                "INSERT INTO deadlines (id, case_id, step_key, name, owner_role, statutory, original_due, due, done_on) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8) \
                 ON CONFLICT (case_id, step_key) DO UPDATE SET name = excluded.name, owner_role = excluded.owner_role, \
                   statutory = excluded.statutory, original_due = excluded.original_due, done_on = excluded.done_on, \
                   due = CASE WHEN deadlines.extension_reason IS NOT NULL AND deadlines.due > excluded.original_due \
                              THEN deadlines.due ELSE excluded.original_due END, \
                   version = deadlines.version + (deadlines.original_due IS NOT excluded.original_due OR deadlines.done_on IS NOT excluded.done_on)",
            )
            .bind(&[
                random_uuid().into(),
                case_id.into(),
                d.step_key.as_str().into(),
                d.name.as_str().into(),
                d.owner.as_str().into(),
                (if d.statutory { "1" } else { "0" }).into(),
                d.due.to_string().into(),
                d.done_on.map_or(JsValue::NULL, |x| x.to_string().into()),
            ])?,
        );
    }
    Ok(statements)
}

/// The deadlines a new referral starts: those counted from awareness and receipt.
/// Also returns when the threshold decision is due (the notification deadline), for the message to the team.
pub async fn initial_deadlines(
    db: &D1Database,
    partnership_id: &str,
    case_id: &str,
    aware_on: NaiveDate,
    received_on: NaiveDate,
) -> Result<(Vec<D1PreparedStatement>, Option<NaiveDate>), ApiError> {
    let rules = rules(db, partnership_id).await?;
    let events = [
        RecordedEvent { kind: Event::Aware, on: aware_on, at: None },
        RecordedEvent { kind: Event::ReferralReceived, on: received_on, at: None },
    ];
    let computed = deadline::deadlines(&rules.playbook, &rules.calendar, &events).map_err(|error| {
        let mut errors = domain::FieldErrors::default();
        errors.push("aware_on", error.to_string());
        ApiError::Validation(errors)
    })?;
    let notify_by = computed.iter().find(|d| d.step_key == "notify_panel").map(|d| d.due);
    Ok((store_deadlines(db, case_id, &computed)?, notify_by))
}

pub fn status_name(status: domain::deadline::DeadlineStatus) -> String {
    serde_json::to_value(status).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
}

/// A deadline as stored (original date, the extended date and its reason, the
/// date it was done), judged on `today`: its status, and working days left when open.
pub fn judge(
    original_due: &str,
    due: &str,
    extension_reason: Option<String>,
    done_on: Option<&str>,
    today: NaiveDate,
    calendar: &Calendar,
) -> Option<(domain::deadline::DeadlineStatus, Option<i64>)> {
    let parse = |s: &str| domain::date_input::parse_iso_date(s).ok();
    let (original, due) = (parse(original_due)?, parse(due)?);
    let done_on = match done_on {
        Some(d) => Some(parse(d)?),
        None => None,
    };
    let subject = Deadline {
        step_key: String::new(),
        name: String::new(),
        owner: domain::access::Role::PartnershipTeam,
        statutory: false,
        source: String::new(),
        due: original,
        due_at: None,
        done_on,
    };
    let extension = extension_reason.map(|reason| Extension { due, reason });
    let status = deadline::status(&subject, extension.as_ref(), today, calendar).ok()?;
    let left = if done_on.is_none() { deadline::working_days_left(&subject, extension.as_ref(), today, calendar).ok() } else { None };
    Some((status, left))
}

#[derive(Debug, Serialize)]
struct EventView {
    id: Option<String>,
    kind: String,
    on: String,
    at: Option<String>,
    recorded_at: Option<String>,
    recorded_by: Option<String>,
    has_note: bool,
    note: Option<String>,
    superseded: bool,
}

#[derive(Debug, Deserialize)]
struct DeadlineRow {
    step_key: String,
    name: String,
    owner_role: String,
    statutory: f64,
    original_due: String,
    due: String,
    extension_reason: Option<String>,
    done_on: Option<String>,
    version: f64,
}

#[derive(Debug, Serialize)]
struct DeadlineView {
    step_key: String,
    name: String,
    owner: String,
    statutory: bool,
    original_due: String,
    due: String,
    extension_reason: Option<String>,
    done_on: Option<String>,
    status: String,
    working_days_left: Option<i64>,
    version: u32,
}

pub async fn timeline(env: &Env, who: &Principal, reference: &str) -> Result<Response, ApiError> {
    who.require(Capability::ReadCase)?;
    let db = env.d1("DB")?;
    let case = find_case_ref(&db, who, reference).await?;
    let rules = rules(&db, &who.partnership_id).await?;
    let rows = event_rows(&db, &case.id).await?;
    let may_read_notes = who.grants.may(Capability::ReadPersonalData);
    let sealer = if may_read_notes && rows.iter().any(|r| r.note_sealed.is_some()) { Some(Sealer::from_env(env).await?) } else { None };
    let mut events = vec![
        EventView { id: None, kind: "aware".into(), on: case.aware_on.to_string(), at: None, recorded_at: None, recorded_by: None, has_note: false, note: None, superseded: rows.iter().any(|r| r.kind == "aware" && r.superseded_by.is_none()) },
        EventView { id: None, kind: "referral_received".into(), on: case.received_on.to_string(), at: None, recorded_at: None, recorded_by: None, has_note: false, note: None, superseded: rows.iter().any(|r| r.kind == "referral_received" && r.superseded_by.is_none()) },
    ];
    for row in &rows {
        let note = match (&sealer, &row.note_sealed) {
            (Some(sealer), Some(sealed)) => Some(sealer.open(sealed).await?),
            _ => None,
        };
        events.push(EventView {
            id: Some(row.id.clone()),
            kind: row.kind.clone(),
            on: row.occurred_on.clone(),
            at: row.occurred_at.clone(),
            recorded_at: Some(row.recorded_at.clone()),
            recorded_by: row.recorded_by_name.clone(),
            has_note: row.note_sealed.is_some(),
            note,
            superseded: row.superseded_by.is_some(),
        });
    }
    events.sort_by(|a, b| a.on.cmp(&b.on));
    let today = clock::today_in_uk();
    let deadline_rows: Vec<DeadlineRow> = db
        .prepare("SELECT step_key, name, owner_role, statutory, original_due, due, extension_reason, done_on, version FROM deadlines WHERE case_id = ?1 ORDER BY due, step_key")
        .bind(&[case.id.as_str().into()])?
        .all()
        .await?
        .results()?;
    let deadlines: Vec<DeadlineView> = deadline_rows
        .into_iter()
        .filter_map(|row| {
            let (status, left) = judge(&row.original_due, &row.due, row.extension_reason.clone(), row.done_on.as_deref(), today, &rules.calendar)?;
            Some(DeadlineView {
                step_key: row.step_key,
                name: row.name,
                owner: row.owner_role,
                statutory: row.statutory != 0.0,
                original_due: row.original_due,
                due: row.due,
                extension_reason: row.extension_reason,
                done_on: row.done_on,
                status: status_name(status),
                working_days_left: left,
                version: row.version as u32,
            })
        })
        .collect();
    reply::json(200, &serde_json::json!({ "reference": case.reference, "stage": case.stage, "events": events, "deadlines": deadlines }))
}

/// Stores a new event (or a correction) and brings the case's deadlines and stage up to date.
pub async fn record_event(req: &mut Request, env: &Env, who: &Principal, reference: &str) -> Result<Response, ApiError> {
    who.require(Capability::ReadCase)?;
    let json = body::json(req).await?;
    let db = env.d1("DB")?;
    let case = find_case_ref(&db, who, reference).await?;
    who.require(Capability::RecordEvent)?;
    let input: EventInput = domain::field_error::from_json(&json, "an event")?;
    let event = input.parse(clock::today_in_uk())?;
    let note = match &event.note {
        Some(note) => Some(Sealer::from_env(env).await?.seal(note).await?),
        None => None,
    };
    let mut statements = event_statements(&db, env, who, &case, event.kind, event.on, event.at.map(|t| t.to_rfc3339()), note, event.corrects.as_deref(), &[]).await?;
    if event.corrects.is_none() {
        statements.extend(event_messages(&db, env, req, who, &case, event.kind).await?);
    }
    db.batch(statements).await?;
    timeline(env, who, reference).await.map(|r| r.with_status(201))
}

/// The messages an event sends (SPEC.md "Notifications"), queued in the batch
/// that records it. A correction of an event sends nothing again.
async fn event_messages(db: &D1Database, env: &Env, req: &Request, who: &Principal, case: &CaseRef, kind: Event) -> Result<Vec<D1PreparedStatement>, ApiError> {
    use crate::notifier::{Recipients, case_link, queue_to};
    use domain::notification::{MessageFacts, Template};
    let facts = |due: Option<NaiveDate>| MessageFacts {
        reference: case.reference.clone(),
        partnership: who.partnership_name.clone(),
        needed: None,
        due,
        link: case_link(req, &case.reference),
    };
    let mut out = Vec::new();
    match kind {
        Event::PapersSent => {
            // To everyone invited to a meeting not yet held who gave a work address.
            #[derive(Deserialize)]
            struct Invitee {
                email: String,
                starts_at: String,
            }
            let invitees: Vec<Invitee> = db
                .prepare(
                    "SELECT a.email, m.starts_at FROM meeting_attendees a JOIN meetings m ON m.id = a.meeting_id \
                     WHERE m.case_id = ?1 AND m.held = 0 AND a.email IS NOT NULL ORDER BY m.starts_at",
                )
                .bind(&[case.id.as_str().into()])?
                .all()
                .await?
                .results()?;
            let meeting_on = invitees.first().and_then(|i| i.starts_at.get(..10)).and_then(|d| d.parse().ok());
            let addresses: Vec<String> = invitees.into_iter().map(|i| i.email).collect();
            if !addresses.is_empty() {
                out.push(queue_to(db, env, &who.partnership_id, &case.id, Template::PapersReady, &facts(meeting_on), Recipients::Addresses(addresses))?);
            }
        }
        Event::RapidReviewSubmitted => {
            out.push(queue_to(db, env, &who.partnership_id, &case.id, Template::RapidReviewSubmitted, &facts(None), Recipients::Purposes(&["partnership_manager", "strategic_leadership"]))?);
        }
        Event::ReportSentToPanel => {
            #[derive(Deserialize)]
            struct Planned {
                planned_publication_on: Option<String>,
            }
            let planned = db
                .prepare("SELECT planned_publication_on FROM reviews WHERE case_id = ?1")
                .bind(&[case.id.as_str().into()])?
                .first::<Planned>(None)
                .await?
                .and_then(|p| p.planned_publication_on)
                .and_then(|d| d.parse().ok());
            out.push(queue_to(db, env, &who.partnership_id, &case.id, Template::PublicationNotice, &facts(planned), Recipients::Purposes(&["national_panel", "ofsted", "dfe"]))?);
        }
        _ => {}
    }
    Ok(out)
}

/// The statements that record one event, recompute the deadlines and move the stage.
#[allow(clippy::too_many_arguments)]
pub async fn event_statements(
    db: &D1Database,
    _env: &Env,
    who: &Principal,
    case: &CaseRef,
    kind: Event,
    on: NaiveDate,
    at: Option<String>,
    note_sealed: Option<String>,
    corrects: Option<&str>,
    also: &[Event],
) -> Result<Vec<D1PreparedStatement>, ApiError> {
    let rows = event_rows(db, &case.id).await?;
    if let Some(corrected) = corrects {
        if !rows.iter().any(|r| r.id == corrected && r.superseded_by.is_none()) {
            let mut errors = domain::FieldErrors::default();
            errors.push("corrects", "There is no current event with this id on this case");
            return Err(ApiError::Validation(errors));
        }
    }
    let id = random_uuid();
    let mut events = recorded(case, &rows.iter().filter(|r| Some(r.id.as_str()) != corrects).map(clone_row).collect::<Vec<_>>());
    events.push(RecordedEvent { kind, on, at: at.as_deref().and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok()).map(|t| t.to_utc()) });
    events.extend(also.iter().map(|&kind| RecordedEvent { kind, on, at: None }));
    if matches!(kind, Event::Aware | Event::ReferralReceived) {
        // An explicit awareness or receipt date replaces the referral's own.
        events.retain(|e| e.kind != kind || e.on == on);
    }
    let rules = rules(db, &who.partnership_id).await?;
    let computed = deadline::deadlines(&rules.playbook, &rules.calendar, &events).map_err(|error| {
        let mut errors = domain::FieldErrors::default();
        errors.push("on", error.to_string());
        ApiError::Validation(errors)
    })?;
    let stage = stage_of(events.iter().map(|e| e.kind));
    let now = clock::now_rfc3339();
    let mut statements = vec![db
        .prepare(
            "INSERT INTO case_events (id, case_id, kind, occurred_on, occurred_at, recorded_by, recorded_at, note_sealed) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )
        .bind(&[
            id.as_str().into(),
            case.id.as_str().into(),
            kind.as_str().into(),
            on.to_string().into(),
            at.map_or(JsValue::NULL, JsValue::from),
            who.user_id.as_str().into(),
            now.as_str().into(),
            note_sealed.map_or(JsValue::NULL, JsValue::from),
        ])?];
    for &other in also {
        statements.push(
            db.prepare("INSERT INTO case_events (id, case_id, kind, occurred_on, recorded_by, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)").bind(&[
                random_uuid().into(),
                case.id.as_str().into(),
                other.as_str().into(),
                on.to_string().into(),
                who.user_id.as_str().into(),
                now.as_str().into(),
            ])?,
        );
    }
    if let Some(corrected) = corrects {
        statements.push(
            db.prepare("UPDATE case_events SET superseded_by = ?1 WHERE id = ?2 AND case_id = ?3")
                .bind(&[id.as_str().into(), corrected.into(), case.id.as_str().into()])?,
        );
    }
    statements.extend(store_deadlines(db, &case.id, &computed)?);
    statements.push(
        db.prepare("UPDATE cases SET stage = ?1, updated_at = ?2, version = version + 1 WHERE id = ?3")
            .bind(&[stage.as_str().into(), now.as_str().into(), case.id.as_str().into()])?,
    );
    let what = if corrects.is_some() { "event_corrected" } else { "event_recorded" };
    statements.push(audit::entry(db, who, Some(&case.id), what, kind.as_str())?);
    Ok(statements)
}

fn clone_row(r: &EventRow) -> EventRow {
    EventRow {
        id: r.id.clone(),
        kind: r.kind.clone(),
        occurred_on: r.occurred_on.clone(),
        occurred_at: r.occurred_at.clone(),
        recorded_at: r.recorded_at.clone(),
        recorded_by_name: r.recorded_by_name.clone(),
        note_sealed: r.note_sealed.clone(),
        superseded_by: r.superseded_by.clone(),
    }
}

#[derive(Deserialize)]
struct DeadlineDue {
    due: String,
    version: f64,
}

/// A new due date with a reason; the original stays for reporting. Versioned: a stale extension gets 409.
pub async fn extend_deadline(req: &mut Request, env: &Env, who: &Principal, reference: &str, step_key: &str) -> Result<Response, ApiError> {
    who.require(Capability::ReadCase)?;
    let json = body::json(req).await?;
    let db = env.d1("DB")?;
    let case = find_case_ref(&db, who, reference).await?;
    who.require(Capability::ExtendDeadline)?;
    let current = db
        .prepare("SELECT due, version FROM deadlines WHERE case_id = ?1 AND step_key = ?2")
        .bind(&[case.id.as_str().into(), step_key.into()])?
        .first::<DeadlineDue>(None)
        .await?
        .ok_or(ApiError::NotFound)?;
    let current_due = domain::date_input::parse_iso_date(&current.due).map_err(|_| ApiError::NotFound)?;
    let input: ExtensionInput = domain::field_error::from_json(&json, "a deadline extension")?;
    let (extension, version) = input.parse(current_due)?;
    let results = db
        .batch(vec![
            db.prepare(
                "UPDATE deadlines SET due = ?1, extension_reason = ?2, extended_by = ?3, extended_at = ?4, version = version + 1 \
                 WHERE case_id = ?5 AND step_key = ?6 AND version = ?7",
            )
            .bind(&[
                extension.due.to_string().into(),
                extension.reason.as_str().into(),
                who.user_id.as_str().into(),
                clock::now_rfc3339().into(),
                case.id.as_str().into(),
                step_key.into(),
                version.to_string().into(),
            ])?,
            db.prepare(
                "INSERT INTO audit_log (at, user_id, partnership_id, case_id, action, detail) \
                 SELECT ?1, ?2, ?3, ?4, 'deadline_extended', ?5 WHERE changes() = 1",
            )
            .bind(&[clock::now_rfc3339().into(), who.user_id.as_str().into(), who.partnership_id.as_str().into(), case.id.as_str().into(), step_key.into()])?,
        ])
        .await?;
    let changed = results.first().and_then(|r| r.meta().ok().flatten()).and_then(|m| m.changes).unwrap_or(0);
    if changed == 0 {
        return Err(ApiError::Conflict {
            current: serde_json::json!({ "step_key": step_key, "due": current.due, "version": current.version as u32 }),
        });
    }
    timeline(env, who, reference).await
}

/// The threshold decision: the engine's proposal and the people's decision, with rationale.
pub async fn record_threshold_decision(req: &mut Request, env: &Env, who: &Principal, reference: &str) -> Result<Response, ApiError> {
    who.require(Capability::ReadCase)?;
    let json = body::json(req).await?;
    let db = env.d1("DB")?;
    let case = find_case_ref(&db, who, reference).await?;
    who.require(Capability::RecordDecision)?;
    let rules = rules(&db, &who.partnership_id).await?;
    let rows = event_rows(&db, &case.id).await?;
    let aware_on = recorded(&case, &rows).iter().filter(|e| e.kind == Event::Aware).map(|e| e.on).min().unwrap_or(case.aware_on);
    let input: ThresholdDecisionInput = domain::field_error::from_json(&json, "a threshold decision")?;
    let decision = input.parse(aware_on, &rules.playbook.id, &rules.calendar)?;
    let today = clock::today_in_uk();
    let id = random_uuid();
    let mut statements = vec![db
        .prepare(
            "INSERT INTO decisions (id, case_id, kind, answers, engine_outcome, outcome, overrides_engine, rationale, decided_by, decided_at) \
             VALUES (?1, ?2, 'threshold', ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )
        .bind(&[
            id.as_str().into(),
            case.id.as_str().into(),
            serde_json::to_string(&decision.answers).unwrap_or_default().into(),
            decision.engine.outcome.as_str().into(),
            decision.outcome.as_str().into(),
            (if decision.overrides_engine { "1" } else { "0" }).into(),
            decision.rationale.as_str().into(),
            who.user_id.as_str().into(),
            clock::now_rfc3339().into(),
        ])?];
    statements.extend(event_statements(&db, env, who, &case, Event::ThresholdDecided, today, None, None, None, &[]).await?);
    statements.push(
        db.prepare("UPDATE cases SET outcome = ?1 WHERE id = ?2").bind(&[decision.outcome.as_str().into(), case.id.as_str().into()])?,
    );
    if decision.outcome == domain::threshold::ThresholdOutcome::Notify {
        // KRSCP: the partnership manager is told the same day; the strategic leadership too.
        let facts = domain::notification::MessageFacts {
            reference: case.reference.clone(),
            partnership: who.partnership_name.clone(),
            needed: None,
            due: decision.engine.due,
            link: crate::notifier::case_link(req, &case.reference),
        };
        statements.push(crate::notifier::queue(
            &db,
            env,
            &who.partnership_id,
            &case.id,
            domain::notification::Template::DecisionToNotify,
            &facts,
            &["partnership_manager", "strategic_leadership"],
        )?);
    }
    db.batch(statements).await?;
    reply::json(
        201,
        &serde_json::json!({
            "id": id,
            "outcome": decision.outcome,
            "overrides_engine": decision.overrides_engine,
            "rationale": decision.rationale,
            "engine": decision.engine,
        }),
    )
}

/// The rapid review outcome: the partners' decision with its rationale (and, for
/// an LCSPR, its key lines of enquiry). An LCSPR starts the review's own clock.
pub async fn record_rapid_review_decision(req: &mut Request, env: &Env, who: &Principal, reference: &str) -> Result<Response, ApiError> {
    who.require(Capability::ReadCase)?;
    let json = body::json(req).await?;
    let db = env.d1("DB")?;
    let case = find_case_ref(&db, who, reference).await?;
    who.require(Capability::RecordDecision)?;
    let input: domain::rapid_review::RapidReviewDecisionInput = domain::field_error::from_json(&json, "a rapid review decision")?;
    let decision = input.parse()?;
    let option = decision.option.as_str();
    let today = clock::today_in_uk();
    let id = random_uuid();
    let mut statements = vec![db
        .prepare(
            "INSERT INTO decisions (id, case_id, kind, answers, engine_outcome, outcome, overrides_engine, rationale, decided_by, decided_at) \
             VALUES (?1, ?2, 'rapid_review_outcome', ?3, NULL, ?4, 0, ?5, ?6, ?7)",
        )
        .bind(&[
            id.as_str().into(),
            case.id.as_str().into(),
            serde_json::to_string(&serde_json::json!({
                "findings": decision.findings,
                "key_lines_of_enquiry": decision.key_lines_of_enquiry,
                "equality_and_racism": decision.equality_and_racism,
            }))
            .unwrap_or_default()
            .into(),
            option.into(),
            decision.rationale.as_str().into(),
            who.user_id.as_str().into(),
            clock::now_rfc3339().into(),
        ])?];
    let lcspr = decision.option == domain::rapid_review::ReviewOption::Lcspr;
    // An LCSPR starts its own clock: publication within 6 months of the decision to review.
    let also: &[Event] = if lcspr { &[Event::ReviewDecided] } else { &[] };
    statements.extend(event_statements(&db, env, who, &case, Event::OutcomeDecided, today, None, None, None, also).await?);
    if lcspr {
        statements.push(
            db.prepare("INSERT INTO reviews (case_id, key_lines_of_enquiry, decided_on) VALUES (?1, ?2, ?3) ON CONFLICT (case_id) DO UPDATE SET key_lines_of_enquiry = excluded.key_lines_of_enquiry, decided_on = excluded.decided_on")
                .bind(&[case.id.as_str().into(), serde_json::to_string(&decision.key_lines_of_enquiry).unwrap_or_default().into(), today.to_string().into()])?,
        );
    }
    statements.push(
        db.prepare("UPDATE cases SET outcome = ?1, converted_to_review = ?2 WHERE id = ?3")
            .bind(&[option.into(), (if lcspr { "1" } else { "0" }).into(), case.id.as_str().into()])?,
    );
    db.batch(statements).await?;
    reply::json(201, &serde_json::json!({ "id": id, "option": decision.option, "warnings": decision.warnings }))
}

/// The current (uncorrected) event of a kind. Booking or planning again
/// corrects it, so a rescheduled meeting or publication moves the steps
/// counted from it rather than adding a second anchor.
pub(crate) async fn current_event(db: &D1Database, case: &CaseRef, kind: Event) -> Result<Option<String>, ApiError> {
    #[derive(Deserialize)]
    struct Id {
        id: String,
    }
    Ok(db
        .prepare("SELECT id FROM case_events WHERE case_id = ?1 AND kind = ?2 AND superseded_by IS NULL ORDER BY occurred_on DESC LIMIT 1")
        .bind(&[case.id.as_str().into(), kind.as_str().into()])?
        .first::<Id>(None)
        .await?
        .map(|r| r.id))
}
