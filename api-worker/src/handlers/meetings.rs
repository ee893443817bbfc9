//! Meetings about a case: booking (which dates the "papers out" step),
//! attendance with the quorum judged by the partnership's playbook, notes
//! (sealed: minutes name children), and the calendar invitation.

use chrono::NaiveDateTime;
use domain::api::{Meeting, MeetingAttendee, Meetings};
use domain::access::Capability;
use domain::meeting::{Attendance, AttendanceInput, Attendee, Invitation, MeetingInput, MeetingKind, invitation_ics};
use domain::rapid_review::{AgencyKind, quorum};
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement, Env, Request, Response};

use crate::http::error::ApiError;
use crate::handlers::cases::{CaseRef, find_case_ref, random_uuid};
use crate::auth::session::Principal;
use crate::db::idempotency::{self, Start};
use crate::platform::sealed::Sealer;
use crate::handlers::timeline::{Entry, current_event, event_statements, rules};
use crate::db::audit;
use crate::http::body;
use crate::platform::clock;
use crate::http::reply;

#[derive(Deserialize)]
struct AgencyRow {
    id: String,
    kind: String,
    safeguarding_partner: f64,
}

fn agency_kind(raw: &str) -> AgencyKind {
    match raw {
        "local_authority" => AgencyKind::LocalAuthority,
        "police" => AgencyKind::Police,
        "health" => AgencyKind::Health,
        "education" => AgencyKind::Education,
        "probation" => AgencyKind::Probation,
        "voluntary" => AgencyKind::Voluntary,
        _ => AgencyKind::Other,
    }
}

async fn agencies(db: &D1Database, partnership_id: &str) -> Result<Vec<AgencyRow>, ApiError> {
    Ok(db
        .prepare("SELECT id, kind, safeguarding_partner FROM agencies WHERE partnership_id = ?1")
        .bind(&[partnership_id.into()])?
        .all()
        .await?
        .results()?)
}

/// Every attendee's agency must be one of the partnership's.
fn check_agencies(attendees: &[Attendee], known: &[AgencyRow]) -> Result<(), ApiError> {
    let mut errors = domain::FieldErrors::default();
    for (i, a) in attendees.iter().enumerate() {
        if let Some(id) = &a.agency_id {
            if !known.iter().any(|k| &k.id == id) {
                errors.push(&format!("attendees[{i}].agency_id"), "There is no such agency in this partnership");
            }
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(ApiError::Validation(errors)) }
}

fn judge_quorum(rules: &crate::handlers::timeline::Rules, kind: MeetingKind, attendees: &[Attendee], known: &[AgencyRow]) -> (Option<bool>, Option<String>) {
    if !kind.needs_quorum() {
        return (None, None);
    }
    let people: Vec<domain::rapid_review::Attendee> = attendees
        .iter()
        .map(|a| {
            let agency = a.agency_id.as_ref().and_then(|id| known.iter().find(|k| &k.id == id));
            domain::rapid_review::Attendee {
                agency_kind: agency.map_or(AgencyKind::Other, |k| agency_kind(&k.kind)),
                safeguarding_partner: agency.is_some_and(|k| k.safeguarding_partner != 0.0),
                decision_maker: a.decision_maker,
                present: a.present,
            }
        })
        .collect();
    let q = quorum(rules.playbook.quorum, &people);
    (Some(q.quorate), Some(q.explanation))
}

fn attendee_statements(db: &D1Database, meeting_id: &str, attendees: &[Attendee]) -> Result<Vec<D1PreparedStatement>, ApiError> {
    let mut statements = vec![db.prepare("DELETE FROM meeting_attendees WHERE meeting_id = ?1").bind(&[meeting_id.into()])?];
    for a in attendees {
        statements.push(
            db.prepare("INSERT INTO meeting_attendees (meeting_id, agency_id, name, role_title, decision_maker, present, email) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
                .bind(&[
                    meeting_id.into(),
                    a.agency_id.as_deref().map_or(JsValue::NULL, JsValue::from),
                    a.name.as_str().into(),
                    a.role_title.as_str().into(),
                    (if a.decision_maker { "1" } else { "0" }).into(),
                    (if a.present { "1" } else { "0" }).into(),
                    a.email.as_deref().map_or(JsValue::NULL, JsValue::from),
                ])?,
        );
    }
    Ok(statements)
}

fn bool_str(b: Option<bool>) -> JsValue {
    b.map_or(JsValue::NULL, |b| JsValue::from(if b { "1" } else { "0" }))
}

pub async fn schedule(req: &mut Request, env: &Env, who: &Principal, reference: &str) -> Result<Response, ApiError> {
    who.require(Capability::ReadCase)?;
    let json = body::json(req).await?;
    let db = env.d1("DB")?;
    let case = find_case_ref(&db, who, reference).await?;
    who.require(Capability::ManageMeetings)?;
    let claim = match idempotency::start(req, &db, who, &format!("meetings:{}", case.reference)).await? {
        Start::Replay(response) => return Ok(response),
        Start::Fresh(claim) => claim,
    };
    let meeting = domain::field_error::from_json::<MeetingInput>(&json, "a meeting")?.parse(clock::today_in_uk())?;
    let known = agencies(&db, &who.partnership_id).await?;
    check_agencies(&meeting.attendees, &known)?;
    let rules = rules(&db, &who.partnership_id).await?;
    let (quorate, note) = judge_quorum(&rules, meeting.kind, &meeting.attendees, &known);
    let id = random_uuid();
    let mut statements = vec![db
        .prepare("INSERT INTO meetings (id, case_id, kind, starts_at, location, quorate, quorum_note, duration_minutes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
        .bind(&[
            id.as_str().into(),
            case.id.as_str().into(),
            meeting.kind.as_str().into(),
            meeting.starts_at.format("%Y-%m-%dT%H:%M").to_string().into(),
            meeting.location.as_deref().map_or(JsValue::NULL, JsValue::from),
            bool_str(quorate),
            note.as_deref().map_or(JsValue::NULL, JsValue::from),
            meeting.duration_minutes.to_string().into(),
        ])?];
    statements.extend(attendee_statements(&db, &id, &meeting.attendees)?);
    if let Some(event) = meeting.kind.scheduled_event() {
        let earlier = current_event(&db, &case, event).await?;
        statements.extend(event_statements(&db, who, &case, Entry::of(event, meeting.starts_at.date()).correcting(earlier.as_deref())).await?);
    }
    statements.push(audit::entry(&db, who, Some(&case.id), "meeting_scheduled", meeting.kind.as_str())?);
    if let Some(replay) = idempotency::batch(&db, who, &claim, statements).await? {
        return Ok(replay);
    }
    let created = read_meetings(env, &db, who, &case).await?;
    let meeting = created.into_iter().find(|m| m.id == id).ok_or(ApiError::NotFound)?;
    idempotency::respond(&db, who, &claim, 201, &meeting).await
}

#[derive(Deserialize)]
struct MeetingRow {
    id: String,
    kind: String,
    starts_at: String,
    duration_minutes: f64,
    location: Option<String>,
    quorate: Option<f64>,
    quorum_note: Option<String>,
    notes_sealed: Option<String>,
    held: f64,
    version: f64,
}

#[derive(Deserialize)]
struct AttendeeRow {
    meeting_id: String,
    agency_id: Option<String>,
    agency: Option<String>,
    name: String,
    role_title: String,
    decision_maker: f64,
    present: f64,
    email: Option<String>,
}

async fn meeting_rows(db: &D1Database, case: &CaseRef) -> Result<Vec<MeetingRow>, ApiError> {
    Ok(db
        .prepare(
            "SELECT id, kind, starts_at, duration_minutes, location, quorate, quorum_note, notes_sealed, held, version \
             FROM meetings WHERE case_id = ?1 ORDER BY starts_at",
        )
        .bind(&[case.id.as_str().into()])?
        .all()
        .await?
        .results()?)
}

async fn read_meetings(env: &Env, db: &D1Database, who: &Principal, case: &CaseRef) -> Result<Vec<Meeting>, ApiError> {
    let rows = meeting_rows(db, case).await?;
    let calendar = rules(db, &who.partnership_id).await?.calendar;
    let attendees: Vec<AttendeeRow> = db
        .prepare(
            "SELECT m.meeting_id, m.agency_id, a.name AS agency, m.name, m.role_title, m.decision_maker, m.present, m.email \
             FROM meeting_attendees m JOIN meetings g ON g.id = m.meeting_id LEFT JOIN agencies a ON a.id = m.agency_id \
             WHERE g.case_id = ?1 ORDER BY m.rowid",
        )
        .bind(&[case.id.as_str().into()])?
        .all()
        .await?
        .results()?;
    let may_read_notes = who.grants.may(Capability::ReadPersonalData);
    let sealer = if may_read_notes && rows.iter().any(|r| r.notes_sealed.is_some()) { Some(Sealer::from_env(env).await?) } else { None };
    let mut out = Vec::with_capacity(rows.len());
    let mut opened = false;
    for row in rows {
        let notes = match (&sealer, &row.notes_sealed) {
            (Some(sealer), Some(sealed)) => {
                opened = true;
                Some(sealer.open(sealed).await?)
            }
            _ => None,
        };
        let Some(kind) = MeetingKind::parse(&row.kind) else { continue };
        let people: Vec<MeetingAttendee> = attendees
            .iter()
            .filter(|a| a.meeting_id == row.id)
            .map(|a| MeetingAttendee {
                agency_id: a.agency_id.clone(),
                agency: a.agency.clone(),
                name: a.name.clone(),
                role_title: a.role_title.clone(),
                decision_maker: a.decision_maker != 0.0,
                present: a.present != 0.0,
                email: a.email.clone(),
            })
            .collect();
        let on = row.starts_at.get(..10).and_then(|d| domain::date_input::parse_iso_date(d).ok());
        let warnings: Vec<String> = on.and_then(|on| calendar.not_a_working_day(on, "The meeting")).into_iter().collect();
        out.push(Meeting {
            has_notes: row.notes_sealed.is_some(),
            id: row.id,
            kind,
            label: kind.label().into(),
            starts_at: row.starts_at,
            duration_minutes: row.duration_minutes as u32,
            location: row.location,
            quorate: row.quorate.map(|q| q != 0.0),
            quorum_note: row.quorum_note,
            held: row.held != 0.0,
            notes,
            version: row.version as u32,
            attendees: people,
            warnings,
        });
    }
    if opened {
        audit::entry(db, who, Some(&case.id), "meeting_notes_read", "")?.run().await?;
    }
    Ok(out)
}

pub async fn list(env: &Env, who: &Principal, reference: &str) -> Result<Response, ApiError> {
    who.require(Capability::ReadCase)?;
    let db = env.d1("DB")?;
    let case = find_case_ref(&db, who, reference).await?;
    let meetings = read_meetings(env, &db, who, &case).await?;
    let rules = rules(&db, &who.partnership_id).await?;
    reply::json(200, &Meetings { reference: case.reference, quorum_rule: rules.playbook.quorum, meetings })
}

async fn find_meeting(db: &D1Database, case: &CaseRef, meeting_id: &str) -> Result<MeetingRow, ApiError> {
    meeting_rows(db, case).await?.into_iter().find(|m| m.id == meeting_id).ok_or(ApiError::NotFound)
}

fn starts(row: &MeetingRow) -> Result<NaiveDateTime, ApiError> {
    NaiveDateTime::parse_from_str(&row.starts_at, "%Y-%m-%dT%H:%M").map_err(|_| ApiError::Internal(worker::Error::RustError("stored meeting time".into())))
}

/// Attendance, notes and "held": versioned, so two people recording the same meeting cannot overwrite each other.
pub async fn record(req: &mut Request, env: &Env, who: &Principal, reference: &str, meeting_id: &str) -> Result<Response, ApiError> {
    who.require(Capability::ReadCase)?;
    let json = body::json(req).await?;
    let db = env.d1("DB")?;
    let case = find_case_ref(&db, who, reference).await?;
    who.require(Capability::ManageMeetings)?;
    let row = find_meeting(&db, &case, meeting_id).await?;
    let kind = MeetingKind::parse(&row.kind).unwrap_or(MeetingKind::Other);
    let today = clock::today_in_uk();
    let starts_at = starts(&row)?;
    let Attendance { version, attendees, notes, held } =
        domain::field_error::from_json::<AttendanceInput>(&json, "a meeting's attendance")?.parse(starts_at.date(), today)?;
    let known = agencies(&db, &who.partnership_id).await?;
    check_agencies(&attendees, &known)?;
    let rules = rules(&db, &who.partnership_id).await?;
    let (quorate, note) = judge_quorum(&rules, kind, &attendees, &known);
    let sealed = match &notes {
        Some(n) => Some(Sealer::from_env(env).await?.seal(n).await?),
        None => None,
    };
    if row.version as u32 != version {
        return Err(conflict(env, &db, who, &case, meeting_id).await);
    }
    let mut statements = vec![
        db.prepare("UPDATE meetings SET quorate = ?1, quorum_note = ?2, notes_sealed = ?3, held = ?4, version = version + 1 WHERE id = ?5 AND version = ?6")
            .bind(&[
                bool_str(quorate),
                note.as_deref().map_or(JsValue::NULL, JsValue::from),
                sealed.as_deref().map_or(JsValue::NULL, JsValue::from),
                (if held || row.held != 0.0 { "1" } else { "0" }).into(),
                meeting_id.into(),
                version.to_string().into(),
            ])?,
        // A concurrent writer got in between the read and this batch: abort the
        // whole transaction (json() of a non-JSON text raises an error).
        db.prepare("SELECT CASE WHEN changes() = 1 THEN 1 ELSE json('stale version') END"),
    ];
    statements.extend(attendee_statements(&db, meeting_id, &attendees)?);
    let newly_held = held && row.held == 0.0;
    if newly_held {
        if let Some(event) = kind.held_event() {
            statements.extend(event_statements(&db, who, &case, Entry::of(event, starts_at.date())).await?);
        }
    }
    statements.push(audit::entry(&db, who, Some(&case.id), if newly_held { "meeting_held" } else { "meeting_updated" }, kind.as_str())?);
    match db.batch(statements).await {
        Ok(_) => {}
        Err(error) if error.to_string().contains("malformed JSON") => return Err(conflict(env, &db, who, &case, meeting_id).await),
        Err(error) => return Err(error.into()),
    }
    let meeting = read_meetings(env, &db, who, &case).await?.into_iter().find(|m| m.id == meeting_id).ok_or(ApiError::NotFound)?;
    reply::json(200, &meeting)
}

/// The invitation as an .ics file: the reference and a sign-in link, nothing about the child.
pub async fn invitation(req: &Request, env: &Env, who: &Principal, reference: &str, meeting_id: &str) -> Result<Response, ApiError> {
    who.require(Capability::ReadCase)?;
    let db = env.d1("DB")?;
    let case = find_case_ref(&db, who, reference).await?;
    let row = find_meeting(&db, &case, meeting_id).await?;
    let kind = MeetingKind::parse(&row.kind).unwrap_or(MeetingKind::Other);
    let uid = format!("{}@{}", row.id, who.partnership_code.to_lowercase());
    let link = crate::messaging::notifier::case_link(req, &case.reference);
    let ics = invitation_ics(&Invitation {
        uid: &uid,
        kind,
        reference: &case.reference,
        starts_at: domain::uk_time::from_uk(starts(&row)?),
        duration_minutes: row.duration_minutes as u32,
        location: row.location.as_deref(),
        link: &link,
        stamped_at: clock::now(),
        sequence: row.version as u32,
    });
    let mut response = Response::ok(ics)?;
    let headers = response.headers_mut();
    headers.set("Content-Type", "text/calendar; charset=utf-8")?;
    headers.set("Content-Disposition", &format!("attachment; filename=\"{}-{}.ics\"", case.reference, kind.as_str()))?;
    Ok(response)
}

async fn conflict(env: &Env, db: &D1Database, who: &Principal, case: &CaseRef, meeting_id: &str) -> ApiError {
    match read_meetings(env, db, who, case).await {
        Ok(meetings) => {
            let current = meetings.into_iter().find(|m| m.id == meeting_id).and_then(|m| serde_json::to_value(m).ok()).unwrap_or_default();
            ApiError::Conflict { current }
        }
        Err(error) => error,
    }
}
