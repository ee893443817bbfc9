//! A case's timeline and deadlines in D1. Recording (or correcting) an event
//! recomputes the case's deadlines from its partnership's playbook in the same
//! batch, so the deadlines on file always match the events on file.

use chrono::NaiveDate;
use domain::access::Capability;
use domain::calendar::Calendar;
use domain::api::{DeadlineView, Timeline, TimelineEvent};
use domain::deadline::{self, Deadline, DeadlineStatus, Extension, ExtensionInput, RecordedEvent, ReviewRoute, Route, ThresholdRoute};
use domain::playbook::{Event, Playbook};
use domain::threshold::{ThresholdDecisionInput, ThresholdOutcome};
use domain::timeline::{EventInput, stage_of};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement, Env, Request, Response};

use crate::http::error::ApiError;
use crate::handlers::cases::{CaseRef, find_case_ref, random_uuid};
use crate::auth::session::Principal;
use crate::platform::sealed::Sealer;
use crate::db::audit;
use crate::http::body;
use crate::platform::clock;
use crate::http::reply;

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
    bank_holidays: Option<String>,
}

pub async fn rules(db: &D1Database, partnership_id: &str) -> Result<Rules, ApiError> {
    let row = db
        .prepare("SELECT playbook_id, playbook, closure_days, bank_holidays FROM partnerships WHERE id = ?1")
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
    let shipped = Calendar::england_and_wales();
    // A newer gov.uk file loaded in settings (validated when loaded) adds official years.
    let calendar = match row.bank_holidays.as_deref().map(|json| shipped.with_newer_gov_uk_json(json)) {
        Some(Ok(newer)) => newer,
        Some(Err(_)) => return Err(broken("bank holidays")),
        None => shipped.clone(),
    };
    Ok(Rules { playbook, calendar: calendar.with_closure_days(closures) })
}

#[derive(Deserialize)]
struct DecisionRow {
    kind: String,
    outcome: String,
    route: Option<String>,
    answers: String,
    decided_at: String,
}

/// Facts of a threshold decision that choose the route; older rows without
/// them fall back to the stored answers.
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
            "SELECT kind, outcome, route, answers, decided_at FROM decisions \
             WHERE case_id = ?1 AND kind IN ('threshold', 'rapid_review_outcome') ORDER BY decided_at",
        )
        .bind(&[case_id.into()])?
        .all()
        .await?
        .results()?;
    Ok(route_from(rows))
}

/// The route from a case's decisions, oldest first: the latest of each kind counts.
fn route_from(rows: Vec<DecisionRow>) -> Route {
    let mut route = Route::default();
    for row in rows {
        let facts: RouteFacts = match row.route.as_deref() {
            Some(json) => serde_json::from_str(json).unwrap_or_default(),
            None => {
                let answers: serde_json::Value = serde_json::from_str(&row.answers).unwrap_or_default();
                RouteFacts { child_died: answers.get("outcome").and_then(|o| o.as_str()).map(|o| o == "died"), ..RouteFacts::default() }
            }
        };
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
    answers: String,
    decided_at: String,
}

impl PartnershipDecision {
    fn row(&self) -> DecisionRow {
        DecisionRow {
            kind: self.kind.clone(),
            outcome: self.outcome.clone(),
            route: self.route.clone(),
            answers: self.answers.clone(),
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
        db.prepare("SELECT id, aware_on, received_at FROM cases WHERE partnership_id = ?1").bind(&partnership)?.all().await?.results()?;
    let events: Vec<PartnershipEvent> = db
        .prepare(
            "SELECT e.case_id, e.kind, e.occurred_on, e.occurred_at FROM case_events e JOIN cases c ON c.id = e.case_id \
             WHERE c.partnership_id = ?1 AND e.superseded_by IS NULL",
        )
        .bind(&partnership)?
        .all()
        .await?
        .results()?;
    let decisions: Vec<PartnershipDecision> = db
        .prepare(
            "SELECT d.case_id, d.kind, d.outcome, d.route, d.answers, d.decided_at FROM decisions d JOIN cases c ON c.id = d.case_id \
             WHERE c.partnership_id = ?1 AND d.kind IN ('threshold', 'rapid_review_outcome') ORDER BY d.decided_at",
        )
        .bind(&partnership)?
        .all()
        .await?
        .results()?;
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
        statements.extend(store_deadlines(db, &case.id, &computed, Recompute::OpenSteps)?);
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

fn instant(rfc3339: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::parse_from_rfc3339(rfc3339).ok().map(|t| t.to_utc())
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

/// Which stored deadlines a recomputation may change.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Recompute {
    /// Everything: the case's own events changed.
    All,
    /// Only steps not yet done: the playbook changed, and a met step keeps its record.
    OpenSteps,
}

/// Statements that replace the case's deadlines with `computed`, keeping each
/// step's extension (when it is later than the new date) and reminder state.
pub fn store_deadlines(db: &D1Database, case_id: &str, computed: &[Deadline], scope: Recompute) -> Result<Vec<D1PreparedStatement>, ApiError> {
    let mut statements = Vec::new();
    let keys: Vec<String> = computed.iter().map(|d| d.step_key.clone()).collect();
    let keys_json = serde_json::to_string(&keys).unwrap_or_else(|_| "[]".into());
    let only_open = if scope == Recompute::OpenSteps { " AND done_on IS NULL" } else { "" };
    statements.push(
        db.prepare(format!("DELETE FROM deadlines WHERE case_id = ?1 AND step_key NOT IN (SELECT value FROM json_each(?2)){only_open}"))
            .bind(&[case_id.into(), keys_json.into()])?,
    );
    let only_open = if scope == Recompute::OpenSteps { " WHERE deadlines.done_on IS NULL" } else { "" };
    for d in computed {
        statements.push(
            db.prepare(format!(
                "INSERT INTO deadlines (id, case_id, step_key, name, owner_role, statutory, original_due, due, done_on, earliest, not_applicable) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8, ?9, ?10) \
                 ON CONFLICT (case_id, step_key) DO UPDATE SET name = excluded.name, owner_role = excluded.owner_role, \
                   statutory = excluded.statutory, original_due = excluded.original_due, done_on = excluded.done_on, \
                   earliest = excluded.earliest, not_applicable = excluded.not_applicable, \
                   due = CASE WHEN deadlines.extension_reason IS NOT NULL AND deadlines.due > excluded.original_due \
                              THEN deadlines.due ELSE excluded.original_due END, \
                   version = deadlines.version + (deadlines.original_due IS NOT excluded.original_due OR deadlines.done_on IS NOT excluded.done_on \
                              OR deadlines.not_applicable IS NOT excluded.not_applicable OR deadlines.earliest IS NOT excluded.earliest){only_open}",
            ))
            .bind(&[
                random_uuid().into(),
                case_id.into(),
                d.step_key.as_str().into(),
                d.name.as_str().into(),
                d.owner.as_str().into(),
                (if d.statutory { "1" } else { "0" }).into(),
                d.due.to_string().into(),
                d.done_on.map_or(JsValue::NULL, |x| x.to_string().into()),
                d.earliest.map_or(JsValue::NULL, |x| x.to_string().into()),
                d.not_applicable.as_deref().map_or(JsValue::NULL, JsValue::from),
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
    let computed = deadline::deadlines(&rules.playbook, &rules.calendar, &events, &Route::default()).map_err(|error| ApiError::invalid("aware_on", error.to_string()))?;
    let notify_by = computed.iter().find(|d| d.step_key == "notify_panel").map(|d| d.due);
    Ok((store_deadlines(db, case_id, &computed, Recompute::All)?, notify_by))
}

/// A deadline as stored: the original date, the extended date and its reason,
/// a window's earliest date, the date it was done, and why it no longer applies.
pub struct StoredDeadline<'a> {
    pub original_due: &'a str,
    pub due: &'a str,
    pub extension_reason: Option<&'a str>,
    pub earliest: Option<&'a str>,
    pub done_on: Option<&'a str>,
    pub not_applicable: Option<&'a str>,
}

/// A stored deadline judged on `today`: its status, and working days left while open.
pub fn judge(stored: &StoredDeadline, today: NaiveDate, calendar: &Calendar) -> Option<(DeadlineStatus, Option<i64>)> {
    let parse = |s: &str| domain::date_input::parse_iso_date(s).ok();
    let optional = |s: Option<&str>| match s {
        Some(d) => parse(d).map(Some),
        None => Some(None),
    };
    let (original, due) = (parse(stored.original_due)?, parse(stored.due)?);
    let (earliest, done_on) = (optional(stored.earliest)?, optional(stored.done_on)?);
    let subject = Deadline {
        step_key: String::new(),
        name: String::new(),
        owner: domain::access::Role::PartnershipTeam,
        statutory: false,
        source: String::new(),
        earliest,
        due: original,
        due_at: None,
        done_on,
        not_applicable: stored.not_applicable.map(String::from),
    };
    let extension = stored.extension_reason.map(|reason| Extension { due, reason: reason.into() });
    let status = deadline::status(&subject, extension.as_ref(), today, calendar).ok()?;
    let left = if status.is_open() { deadline::working_days_left(&subject, extension.as_ref(), today, calendar).ok() } else { None };
    Some((status, left))
}

#[derive(Debug, Deserialize)]
struct DeadlineRow {
    step_key: String,
    name: String,
    owner_role: String,
    statutory: f64,
    earliest: Option<String>,
    original_due: String,
    due: String,
    extension_reason: Option<String>,
    done_on: Option<String>,
    not_applicable: Option<String>,
    version: f64,
}

impl DeadlineRow {
    /// The row as the timeline shows it, judged on `today`.
    fn view(self, today: NaiveDate, calendar: &Calendar) -> Option<DeadlineView> {
        let stored = StoredDeadline {
            original_due: &self.original_due,
            due: &self.due,
            extension_reason: self.extension_reason.as_deref(),
            earliest: self.earliest.as_deref(),
            done_on: self.done_on.as_deref(),
            not_applicable: self.not_applicable.as_deref(),
        };
        let (status, working_days_left) = judge(&stored, today, calendar)?;
        let parse = |s: &str| domain::date_input::parse_iso_date(s).ok();
        let (original_due, due) = (parse(&self.original_due)?, parse(&self.due)?);
        Some(DeadlineView {
            step_key: self.step_key,
            name: self.name,
            owner: domain::access::Role::parse(&self.owner_role)?,
            statutory: self.statutory != 0.0,
            earliest: self.earliest.as_deref().and_then(parse),
            original_due,
            due,
            extension_reason: self.extension_reason,
            done_on: self.done_on.as_deref().and_then(parse),
            status,
            not_applicable: self.not_applicable,
            working_days_left,
            projected: calendar.is_projected(due) || calendar.is_projected(original_due),
            version: self.version as u32,
        })
    }
}

pub async fn timeline(env: &Env, who: &Principal, reference: &str) -> Result<Response, ApiError> {
    who.require(Capability::ReadCase)?;
    let db = env.d1("DB")?;
    let case = find_case_ref(&db, who, reference).await?;
    let rules = rules(&db, &who.partnership_id).await?;
    let rows = event_rows(&db, &case.id).await?;
    let may_read_notes = who.grants.may(Capability::ReadPersonalData);
    let sealer = if may_read_notes && rows.iter().any(|r| r.note_sealed.is_some()) { Some(Sealer::from_env(env).await?) } else { None };
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
        let note = match (&sealer, &row.note_sealed) {
            (Some(sealer), Some(sealed)) => Some(sealer.open(sealed).await?),
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
    let today = clock::today_in_uk();
    let deadline_rows: Vec<DeadlineRow> = db
        .prepare(
            "SELECT step_key, name, owner_role, statutory, earliest, original_due, due, extension_reason, done_on, not_applicable, version \
             FROM deadlines WHERE case_id = ?1 ORDER BY due, step_key",
        )
        .bind(&[case.id.as_str().into()])?
        .all()
        .await?
        .results()?;
    let deadlines = deadline_rows.into_iter().filter_map(|row| row.view(today, &rules.calendar)).collect();
    let stage = domain::timeline::Stage::parse(&case.stage).unwrap_or(domain::timeline::Stage::ReferralReceived);
    reply::json(200, &Timeline { reference: case.reference, stage, events, deadlines })
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
    let entry = Entry { at: event.at.map(|t| t.to_rfc3339()), note_sealed: note, corrects: event.corrects.as_deref(), ..Entry::of(event.kind, event.on) };
    let mut statements = event_statements(&db, who, &case, entry).await?;
    if event.corrects.is_none() {
        statements.extend(event_messages(&db, env, req, who, &case, event.kind).await?);
    }
    db.batch(statements).await?;
    timeline(env, who, reference).await.map(|r| r.with_status(201))
}

/// The messages an event sends (SPEC.md "Notifications"), queued in the batch
/// that records it. A correction of an event sends nothing again.
async fn event_messages(db: &D1Database, env: &Env, req: &Request, who: &Principal, case: &CaseRef, kind: Event) -> Result<Vec<D1PreparedStatement>, ApiError> {
    use crate::messaging::notifier::{Recipients, case_link, queue_to};
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

/// One event to record on a case's timeline: what, on which date, and optionally
/// exactly when, a sealed note, the event it corrects, and events of the same
/// date recorded with it (an LCSPR outcome is also the decision to review).
pub struct Entry<'a> {
    pub kind: Event,
    pub on: NaiveDate,
    pub at: Option<String>,
    pub note_sealed: Option<String>,
    pub corrects: Option<&'a str>,
    pub also: &'a [Event],
}

impl<'a> Entry<'a> {
    pub fn of(kind: Event, on: NaiveDate) -> Self {
        Entry { kind, on, at: None, note_sealed: None, corrects: None, also: &[] }
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
    let Entry { kind, on, at, note_sealed, corrects, also } = entry;
    let rows = event_rows(db, &case.id).await?;
    if let Some(corrected) = corrects {
        if !rows.iter().any(|r| r.id == corrected && r.superseded_by.is_none()) {
            return Err(ApiError::invalid("corrects", "There is no current event with this id on this case"));
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
    statements.extend(store_deadlines(db, &case.id, &computed, Recompute::All)?);
    statements.push(
        db.prepare("UPDATE cases SET stage = ?1, updated_at = ?2, version = version + 1 WHERE id = ?3")
            .bind(&[stage.as_str().into(), now.as_str().into(), case.id.as_str().into()])?,
    );
    if kind == Event::Aware {
        // The case matrix and the figures read the awareness date from the case.
        let aware_on = events.iter().filter(|e| e.kind == Event::Aware).map(|e| e.on).min().unwrap_or(on);
        statements.push(db.prepare("UPDATE cases SET aware_on = ?1 WHERE id = ?2").bind(&[aware_on.to_string().into(), case.id.as_str().into()])?);
    }
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
    let decision = input.parse(aware_on, rules.playbook.threshold, &rules.calendar, clock::today_in_uk())?;
    let decided_on = decision.decided_on;
    let now = clock::now_rfc3339();
    let id = random_uuid();
    // The facts that choose the case's route. Overriding the engine leaves the
    // rapid review to the route the people chose.
    let facts = RouteFacts {
        rapid_review_required: if decision.overrides_engine { None } else { decision.engine.rapid_review_required },
        child_died: match decision.answers.outcome {
            domain::threshold::ChildOutcome::Died => Some(true),
            domain::threshold::ChildOutcome::Unknown => None,
            _ => Some(false),
        },
        decided_on: Some(decided_on),
    };
    let mut route = case_route(&db, &case.id).await?;
    route.threshold = Some(ThresholdRoute { outcome: decision.outcome, decided_on, rapid_review_required: facts.rapid_review_required, child_died: facts.child_died });
    let mut statements = vec![db
        .prepare(
            "INSERT INTO decisions (id, case_id, kind, answers, engine_outcome, outcome, overrides_engine, rationale, decided_by, decided_at, route) \
             VALUES (?1, ?2, 'threshold', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
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
            now.as_str().into(),
            serde_json::to_string(&facts).unwrap_or_default().into(),
        ])?];
    // Timed when decided today, so that steps counted in hours from the decision (Kent's 24 hours) start now.
    let at = (decided_on == clock::today_in_uk()).then(|| now.clone());
    statements.extend(event_statements_on_route(&db, who, &case, Entry { at, ..Entry::of(Event::ThresholdDecided, decided_on) }, &route).await?);
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
            link: crate::messaging::notifier::case_link(req, &case.reference),
        };
        statements.push(crate::messaging::notifier::queue(
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
        &domain::api::ThresholdDecisionRecorded {
            id,
            outcome: decision.outcome,
            overrides_engine: decision.overrides_engine,
            rationale: decision.rationale,
            engine: decision.engine,
        },
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
    let decision = input.parse(clock::today_in_uk())?;
    let option = decision.option.as_str();
    let decided_on = decision.decided_on;
    let id = random_uuid();
    let mut statements = vec![db
        .prepare(
            "INSERT INTO decisions (id, case_id, kind, answers, engine_outcome, outcome, overrides_engine, rationale, decided_by, decided_at, route) \
             VALUES (?1, ?2, 'rapid_review_outcome', ?3, NULL, ?4, 0, ?5, ?6, ?7, ?8)",
        )
        .bind(&[
            id.as_str().into(),
            case.id.as_str().into(),
            serde_json::to_string(&domain::rapid_review::DecisionAnswers::from(&decision)).unwrap_or_default().into(),
            option.into(),
            decision.rationale.as_str().into(),
            who.user_id.as_str().into(),
            clock::now_rfc3339().into(),
            serde_json::to_string(&RouteFacts { decided_on: Some(decided_on), ..RouteFacts::default() }).unwrap_or_default().into(),
        ])?];
    let lcspr = decision.option == domain::rapid_review::ReviewOption::Lcspr;
    // An LCSPR starts its own clock: publication within 6 months of the decision to review.
    let also: &[Event] = if lcspr { &[Event::ReviewDecided] } else { &[] };
    let mut route = case_route(&db, &case.id).await?;
    route.review = Some(ReviewRoute { option: decision.option, decided_on });
    statements.extend(event_statements_on_route(&db, who, &case, Entry { also, ..Entry::of(Event::OutcomeDecided, decided_on) }, &route).await?);
    if lcspr {
        statements.push(
            db.prepare("INSERT INTO reviews (case_id, key_lines_of_enquiry, decided_on) VALUES (?1, ?2, ?3) ON CONFLICT (case_id) DO UPDATE SET key_lines_of_enquiry = excluded.key_lines_of_enquiry, decided_on = excluded.decided_on")
                .bind(&[case.id.as_str().into(), serde_json::to_string(&decision.key_lines_of_enquiry).unwrap_or_default().into(), decided_on.to_string().into()])?,
        );
    }
    statements.push(
        db.prepare("UPDATE cases SET outcome = ?1, converted_to_review = ?2 WHERE id = ?3")
            .bind(&[option.into(), (if lcspr { "1" } else { "0" }).into(), case.id.as_str().into()])?,
    );
    db.batch(statements).await?;
    reply::json(201, &domain::api::RapidReviewDecisionRecorded { id, option: decision.option, warnings: decision.warnings })
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
