//! A case's timeline as stored: its events (corrections supersede, never
//! delete), the route its decisions set, and the statements that record an
//! event. Recording (or correcting) an event recomputes the case's deadlines
//! and stage from its partnership's playbook in the same batch, so the
//! deadlines on file always match the events on file.

use chrono::NaiveDate;
use domain::deadline::{self, RecordedEvent, ReviewRoute, Route, ThresholdRoute};
use domain::playbook::Event;
use domain::threshold::ThresholdOutcome;
use domain::timeline::stage_of;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};

use crate::auth::principal::Principal;
use crate::db::cases::{self, CaseRef};
use crate::db::deadlines::{self, Recompute};
use crate::db::partnership::rules;
use crate::db::{audit, text};
use crate::http::error::ApiError;
use crate::platform::clock;
use crate::platform::webcrypto::random_uuid;
use crate::db::Query;

#[derive(Deserialize)]
struct DecisionRow {
    kind: String,
    outcome: String,
    route: Option<String>,
    decided_at: String,
}

/// Facts of a threshold decision that choose the route.
#[derive(Default, Deserialize, Serialize)]
pub struct RouteFacts {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rapid_review_required: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub child_died: Option<bool>,
    /// The date the people decided, which may be before it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_on: Option<NaiveDate>,
}

fn uk_date_of(timestamp: &str) -> Option<NaiveDate> {
    chrono::DateTime::parse_from_rfc3339(timestamp).ok().map(|t| domain::uk_time::uk_date(t.to_utc()))
}

/// The route the case's latest decisions have set (SPEC.md "A step applies by route").
pub async fn case_route(db: &D1Database, case_id: &str) -> Result<Route, ApiError> {
    let rows: Vec<DecisionRow> = db
        .prepare(
            "SELECT kind, outcome, route, decided_at FROM decisions \
             WHERE case_id = ?1 AND kind IN ('threshold', 'rapid_review_outcome') ORDER BY decided_at",
        )
        .bind(&[case_id.into()])?
        .rows()
        .await?;
    Ok(route_from(rows))
}

/// The route from a case's decisions, oldest first: the latest of each kind counts.
fn route_from(rows: Vec<DecisionRow>) -> Route {
    let mut route = Route::default();
    for row in rows {
        // Every decision has its route facts (migration 0007 gave them to the oldest).
        let facts: RouteFacts = row.route.as_deref().and_then(|json| serde_json::from_str(json).ok()).unwrap_or_default();
        let Some(decided_on) = facts.decided_on.or_else(|| uk_date_of(&row.decided_at)) else { continue };
        let outcome = serde_json::Value::String(row.outcome.clone());
        if row.kind == "threshold" {
            let Ok(outcome) = serde_json::from_value::<ThresholdOutcome>(outcome) else { continue };
            route.threshold = Some(ThresholdRoute { outcome, decided_on, rapid_review_required: facts.rapid_review_required, child_died: facts.child_died });
        } else if let Ok(option) = serde_json::from_value(outcome) {
            route.review = Some(ReviewRoute { option, decided_on });
        }
    }
    route
}

#[derive(Deserialize)]
struct PartnershipCase {
    id: String,
    aware_on: String,
    received_at: String,
}

#[derive(Deserialize)]
struct PartnershipEvent {
    case_id: String,
    kind: String,
    occurred_on: String,
    occurred_at: Option<String>,
}

#[derive(Deserialize)]
struct PartnershipDecision {
    case_id: String,
    kind: String,
    outcome: String,
    route: Option<String>,
    decided_at: String,
}

impl PartnershipDecision {
    fn row(&self) -> DecisionRow {
        DecisionRow {
            kind: self.kind.clone(),
            outcome: self.outcome.clone(),
            route: self.route.clone(),
            decided_at: self.decided_at.clone(),
        }
    }
}

/// After the playbook, closure days or bank holidays change: every case's
/// open steps follow the new rules (done steps keep their record), each case
/// audited. Returns how many cases were recomputed.
pub async fn recompute_partnership(db: &D1Database, who: &Principal, why: &str) -> Result<u32, ApiError> {
    recompute_partnership_by(db, Some(&who.user_id), &who.partnership_id, why).await
}

/// As `recompute_partnership`, by a person or (no user) by a scheduled job.
pub async fn recompute_partnership_by(db: &D1Database, user_id: Option<&str>, partnership_id: &str, why: &str) -> Result<u32, ApiError> {
    let rules = rules(db, partnership_id).await?;
    let partnership = [JsValue::from(partnership_id)];
    let cases: Vec<PartnershipCase> =
        db.prepare("SELECT id, aware_on, received_at FROM cases WHERE partnership_id = ?1").bind(&partnership)?.rows().await?;
    let events: Vec<PartnershipEvent> = db
        .prepare(
            "SELECT e.case_id, e.kind, e.occurred_on, e.occurred_at FROM case_events e JOIN cases c ON c.id = e.case_id \
             WHERE c.partnership_id = ?1 AND e.superseded_by IS NULL",
        )
        .bind(&partnership)?
        .rows()
        .await?;
    let decisions: Vec<PartnershipDecision> = db
        .prepare(
            "SELECT d.case_id, d.kind, d.outcome, d.route, d.decided_at FROM decisions d JOIN cases c ON c.id = d.case_id \
             WHERE c.partnership_id = ?1 AND d.kind IN ('threshold', 'rapid_review_outcome') ORDER BY d.decided_at",
        )
        .bind(&partnership)?
        .rows()
        .await?;
    // Grouped once by case: a partnership may hold thousands of cases.
    let mut events_of: std::collections::HashMap<&str, Vec<RecordedEvent>> = std::collections::HashMap::new();
    for e in &events {
        let (Some(kind), Ok(on)) = (Event::parse(&e.kind), domain::date_input::parse_iso_date(&e.occurred_on)) else { continue };
        events_of.entry(e.case_id.as_str()).or_default().push(RecordedEvent { kind, on, at: e.occurred_at.as_deref().and_then(instant) });
    }
    let mut decisions_of: std::collections::HashMap<&str, Vec<DecisionRow>> = std::collections::HashMap::new();
    for d in &decisions {
        decisions_of.entry(d.case_id.as_str()).or_default().push(d.row());
    }
    let mut statements = Vec::new();
    let mut recomputed = 0;
    for case in &cases {
        let (Ok(aware_on), Some(received_on)) = (domain::date_input::parse_iso_date(&case.aware_on), uk_date_of(&case.received_at)) else { continue };
        let live = events_of.remove(case.id.as_str()).unwrap_or_default();
        let route = route_from(decisions_of.remove(case.id.as_str()).unwrap_or_default());
        let Ok(computed) = deadline::deadlines(&rules.playbook, &rules.calendar, &with_referral_dates(aware_on, received_on, live), &route) else { continue };
        statements.extend(deadlines::store(db, &case.id, &computed, Recompute::OpenSteps)?);
        statements.push(audit::entry_by(db, user_id, partnership_id, Some(&case.id), "deadlines_recomputed", why)?);
        recomputed += 1;
    }
    // Each batch is one transaction; a case's statements never straddle two.
    let mut batch = Vec::new();
    for statement in statements {
        batch.push(statement);
        if batch.len() >= 80 {
            db.batch(std::mem::take(&mut batch)).await?;
        }
    }
    if !batch.is_empty() {
        db.batch(batch).await?;
    }
    Ok(recomputed)
}

#[derive(Debug, Clone, Deserialize)]
pub struct EventRow {
    pub id: String,
    pub kind: String,
    pub occurred_on: String,
    pub occurred_at: Option<String>,
    pub recorded_at: String,
    pub recorded_by_name: Option<String>,
    pub note_sealed: Option<String>,
    pub superseded_by: Option<String>,
}

fn instant(rfc3339: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::parse_from_rfc3339(rfc3339).ok().map(|t| t.to_utc())
}

/// The events that count: the referral's own two (awareness and receipt),
/// unless corrected by an explicit event of the same kind, then the rest.
pub fn recorded(case: &CaseRef, rows: &[EventRow]) -> Vec<RecordedEvent> {
    let live: Vec<RecordedEvent> = rows
        .iter()
        .filter(|r| r.superseded_by.is_none())
        .filter_map(|r| {
            Some(RecordedEvent {
                kind: Event::parse(&r.kind)?,
                on: domain::date_input::parse_iso_date(&r.occurred_on).ok()?,
                at: r.occurred_at.as_deref().and_then(instant),
            })
        })
        .collect();
    with_referral_dates(case.aware_on, case.received_on, live)
}

fn with_referral_dates(aware_on: NaiveDate, received_on: NaiveDate, live: Vec<RecordedEvent>) -> Vec<RecordedEvent> {
    let mut events = Vec::new();
    for (kind, on) in [(Event::Aware, aware_on), (Event::ReferralReceived, received_on)] {
        if !live.iter().any(|e| e.kind == kind) {
            events.push(RecordedEvent { kind, on, at: None });
        }
    }
    events.extend(live);
    events
}

pub async fn event_rows(db: &D1Database, case_id: &str) -> Result<Vec<EventRow>, ApiError> {
    db
        .prepare(
            "SELECT e.id, e.kind, e.occurred_on, e.occurred_at, e.recorded_at, u.name AS recorded_by_name, e.note_sealed, e.superseded_by \
             FROM case_events e LEFT JOIN users u ON u.id = e.recorded_by WHERE e.case_id = ?1 ORDER BY e.occurred_on, e.recorded_at",
        )
        .bind(&[case_id.into()])?
        .rows()
        .await
}

/// One event to record on a case's timeline: what, on which date, and optionally
/// exactly when, a sealed note, the event it corrects, and events of the same
/// date recorded with it (an LCSPR outcome is also the decision to review).
pub struct Entry<'a> {
    /// The event's id, when the caller needs it first (a note is sealed to it); else a new one.
    pub id: Option<String>,
    pub kind: Event,
    pub on: NaiveDate,
    pub at: Option<String>,
    pub note_sealed: Option<String>,
    pub corrects: Option<&'a str>,
    pub also: &'a [Event],
}

impl<'a> Entry<'a> {
    pub fn of(kind: Event, on: NaiveDate) -> Self {
        Entry { id: None, kind, on, at: None, note_sealed: None, corrects: None, also: &[] }
    }

    /// Rebooking a meeting or replanning a publication corrects the current event.
    pub fn correcting(self, corrects: Option<&'a str>) -> Self {
        Entry { corrects, ..self }
    }
}

/// The statements that record one event, recompute the deadlines and move the stage.
pub async fn event_statements(db: &D1Database, who: &Principal, case: &CaseRef, entry: Entry<'_>) -> Result<Vec<D1PreparedStatement>, ApiError> {
    let route = case_route(db, &case.id).await?;
    event_statements_on_route(db, who, case, entry, &route).await
}

/// As `event_statements`, for a decision recorded in the same batch that changes the case's route.
pub async fn event_statements_on_route(db: &D1Database, who: &Principal, case: &CaseRef, entry: Entry<'_>, route: &Route) -> Result<Vec<D1PreparedStatement>, ApiError> {
    let Entry { id, kind, on, at, note_sealed, corrects, also } = entry;
    let rows = event_rows(db, &case.id).await?;
    if let Some(corrected) = corrects
        && !rows.iter().any(|r| r.id == corrected && r.superseded_by.is_none()) {
            return Err(ApiError::invalid("corrects", "There is no current event with this id on this case"));
        }
    let id = id.unwrap_or_else(random_uuid);
    let mut events = recorded(case, &rows.iter().filter(|r| Some(r.id.as_str()) != corrects).cloned().collect::<Vec<_>>());
    events.push(RecordedEvent { kind, on, at: at.as_deref().and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok()).map(|t| t.to_utc()) });
    events.extend(also.iter().map(|&kind| RecordedEvent { kind, on, at: None }));
    if matches!(kind, Event::Aware | Event::ReferralReceived) {
        // An explicit awareness or receipt date replaces the referral's own.
        events.retain(|e| e.kind != kind || e.on == on);
    }
    let rules = rules(db, &who.partnership_id).await?;
    let computed = deadline::deadlines(&rules.playbook, &rules.calendar, &events, route).map_err(|error| ApiError::invalid("on", error.to_string()))?;
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
            text(at.as_deref()),
            who.user_id.as_str().into(),
            now.as_str().into(),
            text(note_sealed.as_deref()),
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
    statements.extend(deadlines::store(db, &case.id, &computed, Recompute::All)?);
    statements.push(cases::set_stage(db, &case.id, stage, &now)?);
    if kind == Event::Aware {
        // The case matrix and the figures read the awareness date from the case.
        let aware_on = events.iter().filter(|e| e.kind == Event::Aware).map(|e| e.on).min().unwrap_or(on);
        statements.push(cases::set_aware_on(db, &case.id, aware_on)?);
    }
    let what = if corrects.is_some() { "event_corrected" } else { "event_recorded" };
    statements.push(audit::entry(db, who, Some(&case.id), what, kind.as_str())?);
    Ok(statements)
}


/// The current (uncorrected) event of a kind. Booking or planning again
/// corrects it, so a rescheduled meeting or publication moves the steps
/// counted from it rather than adding a second anchor.
pub async fn current_event(db: &D1Database, case: &CaseRef, kind: Event) -> Result<Option<String>, ApiError> {
    #[derive(Deserialize)]
    struct Id {
        id: String,
    }
    Ok(db
        .prepare("SELECT id FROM case_events WHERE case_id = ?1 AND kind = ?2 AND superseded_by IS NULL ORDER BY occurred_on DESC LIMIT 1")
        .bind(&[case.id.as_str().into(), kind.as_str().into()])?
        .row::<Id>()
        .await?
        .map(|r| r.id))
}
