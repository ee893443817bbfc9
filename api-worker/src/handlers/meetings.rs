//! Meetings about a case: booking (which dates the "papers out" step),
//! attendance with the quorum judged by the partnership's playbook, notes
//! (sealed: minutes name children), and the calendar invitation.

use chrono::NaiveDateTime;
use domain::access::Capability;
use domain::api::{Meeting, MeetingAttendee, Meetings};
use domain::meeting::{Attendance, AttendanceInput, Attendee, Invitation, MeetingInput, MeetingKind, invitation_ics};
use domain::rapid_review::{AgencyKind, quorum};
use worker::{Request, Response};

use crate::db::sealing;
use crate::db::audit::SealedRead;
use crate::db::idempotency::{self, Start};
use crate::db::meetings::{self, MeetingRow};
use crate::db::partnership::{self, Rules};
use domain::api::Agency;
use crate::db::timeline::{self, Entry};
use crate::db::version::{self, Committed};
use crate::db::audit;
use crate::http::context::CaseCtx;
use crate::http::error::ApiError;
use crate::http::{body, reply};
use crate::platform::clock;
use crate::platform::sealed::Sealer;
use crate::platform::webcrypto::random_uuid;

/// Every attendee's agency must be one of the partnership's.
fn check_agencies(attendees: &[Attendee], known: &[Agency]) -> Result<(), ApiError> {
    let mut errors = domain::FieldErrors::default();
    for (i, a) in attendees.iter().enumerate() {
        if let Some(id) = &a.agency_id
            && !known.iter().any(|k| &k.id == id) {
                errors.push(&format!("attendees[{i}].agency_id"), "There is no such agency in this partnership");
            }
    }
    if errors.is_empty() { Ok(()) } else { Err(ApiError::Validation(errors)) }
}

fn judge_quorum(rules: &Rules, kind: MeetingKind, attendees: &[Attendee], known: &[Agency]) -> (Option<bool>, Option<String>) {
    if !kind.needs_quorum() {
        return (None, None);
    }
    let people: Vec<domain::rapid_review::Attendee> = attendees
        .iter()
        .map(|a| {
            let agency = a.agency_id.as_ref().and_then(|id| known.iter().find(|k| &k.id == id));
            domain::rapid_review::Attendee {
                agency_kind: agency.map_or(AgencyKind::Other, |k| k.kind),
                safeguarding_partner: agency.is_some_and(|k| k.safeguarding_partner),
                decision_maker: a.decision_maker,
                present: a.present,
            }
        })
        .collect();
    let q = quorum(rules.playbook.quorum, &people);
    (Some(q.quorate), Some(q.explanation))
}

pub async fn schedule(req: &mut Request, c: &CaseCtx<'_>) -> Result<Response, ApiError> {
    let (db, who, case) = (&c.db, &c.who, &c.case);
    let json = body::json(req).await?;
    c.require(Capability::ManageMeetings)?;
    let claim = match idempotency::start(req, db, who, &format!("meetings:{}", case.reference)).await? {
        Start::Replay(response) => return Ok(response),
        Start::Fresh(claim) => claim,
    };
    let meeting = domain::field_error::from_json::<MeetingInput>(&json, "a meeting")?.parse(c.today)?;
    let known = partnership::agencies(db, &who.partnership_id).await?;
    check_agencies(&meeting.attendees, &known)?;
    let rules = partnership::rules(db, &who.partnership_id).await?;
    let (quorate, note) = judge_quorum(&rules, meeting.kind, &meeting.attendees, &known);
    let id = random_uuid();
    let mut statements = vec![meetings::insert(db, &id, &case.id, &meeting, quorate, note.as_deref())?];
    statements.extend(meetings::set_attendees(db, &id, &meeting.attendees)?);
    if let Some(event) = meeting.kind.scheduled_event() {
        let earlier = timeline::current_event(db, case, event).await?;
        statements.extend(timeline::event_statements(db, who, case, Entry::of(event, meeting.starts_at.date()).correcting(earlier.as_deref())).await?);
    }
    statements.push(audit::entry(db, who, Some(&case.id), "meeting_scheduled", meeting.kind.as_str())?);
    if let Some(replay) = idempotency::batch(db, who, &claim, statements).await? {
        return Ok(replay);
    }
    let created = read_meetings(c).await?;
    let meeting = created.into_iter().find(|m| m.id == id).ok_or(ApiError::NotFound)?;
    idempotency::respond(db, who, &claim, 201, &meeting).await
}

async fn read_meetings(c: &CaseCtx<'_>) -> Result<Vec<Meeting>, ApiError> {
    let (db, who, case) = (&c.db, &c.who, &c.case);
    let rows = meetings::of_case(db, &case.id).await?;
    let calendar = partnership::rules(db, &who.partnership_id).await?.calendar;
    let attendees = meetings::attendees_of_case(db, &case.id).await?;
    let opener = if c.may_read_sealed() && rows.iter().any(|r| r.notes_sealed.is_some()) { Some(c.opener(SealedRead::MeetingNotes).await?) } else { None };
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let notes = match (&opener, &row.notes_sealed) {
            (Some(opener), Some(sealed)) => Some(opener.open(sealing::MEETING_NOTES.at(&row.id), sealed).await?),
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
    Ok(out)
}

pub async fn list(c: &CaseCtx<'_>) -> Result<Response, ApiError> {
    let meetings = read_meetings(c).await?;
    let rules = partnership::rules(&c.db, &c.who.partnership_id).await?;
    reply::json(200, &Meetings { reference: c.case.reference.clone(), quorum_rule: rules.playbook.quorum, meetings })
}

async fn find_meeting(c: &CaseCtx<'_>, meeting_id: &str) -> Result<MeetingRow, ApiError> {
    meetings::of_case(&c.db, &c.case.id).await?.into_iter().find(|m| m.id == meeting_id).ok_or(ApiError::NotFound)
}

fn starts(row: &MeetingRow) -> Result<NaiveDateTime, ApiError> {
    NaiveDateTime::parse_from_str(&row.starts_at, "%Y-%m-%dT%H:%M").map_err(|_| ApiError::Internal(worker::Error::RustError("stored meeting time".into())))
}

/// Attendance, notes and "held": versioned, so two people recording the same meeting cannot overwrite each other.
pub async fn record(req: &mut Request, c: &CaseCtx<'_>, meeting_id: &str) -> Result<Response, ApiError> {
    let (db, who, case) = (&c.db, &c.who, &c.case);
    let json = body::json(req).await?;
    c.require(Capability::ManageMeetings)?;
    let row = find_meeting(c, meeting_id).await?;
    let kind = MeetingKind::parse(&row.kind).unwrap_or(MeetingKind::Other);
    let today = c.today;
    let starts_at = starts(&row)?;
    let Attendance { version, attendees, notes, held } =
        domain::field_error::from_json::<AttendanceInput>(&json, "a meeting's attendance")?.parse(starts_at.date(), today)?;
    let known = partnership::agencies(db, &who.partnership_id).await?;
    check_agencies(&attendees, &known)?;
    let rules = partnership::rules(db, &who.partnership_id).await?;
    let (quorate, note) = judge_quorum(&rules, kind, &attendees, &known);
    let sealed = match &notes {
        Some(n) => Some(Sealer::for_partnership(c.env, &who.partnership_id).await?.seal(sealing::MEETING_NOTES.at(meeting_id), n).await?),
        None => None,
    };
    if row.version as u32 != version {
        return Err(conflict(c, meeting_id).await);
    }
    let recorded = meetings::Recorded { quorate, quorum_note: note.as_deref(), notes_sealed: sealed.as_deref(), held: held || row.held != 0.0 };
    let write = meetings::record(db, meeting_id, version, recorded)?;
    let mut rest = meetings::set_attendees(db, meeting_id, &attendees)?;
    let newly_held = held && row.held == 0.0;
    if newly_held
        && let Some(event) = kind.held_event() {
            rest.extend(timeline::event_statements(db, who, case, Entry::of(event, starts_at.date())).await?);
        }
    rest.push(audit::entry(db, who, Some(&case.id), if newly_held { "meeting_held" } else { "meeting_updated" }, kind.as_str())?);
    if version::commit(db, write, rest).await? == Committed::Stale {
        return Err(conflict(c, meeting_id).await);
    }
    let meeting = read_meetings(c).await?.into_iter().find(|m| m.id == meeting_id).ok_or(ApiError::NotFound)?;
    reply::json(200, &meeting)
}

/// The invitation as an .ics file: the reference and a sign-in link, nothing about the child.
pub async fn invitation(req: &Request, c: &CaseCtx<'_>, meeting_id: &str) -> Result<Response, ApiError> {
    let case = &c.case;
    let row = find_meeting(c, meeting_id).await?;
    let kind = MeetingKind::parse(&row.kind).unwrap_or(MeetingKind::Other);
    let uid = format!("{}@{}", row.id, c.who.partnership_code.to_lowercase());
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

async fn conflict(c: &CaseCtx<'_>, meeting_id: &str) -> ApiError {
    match read_meetings(c).await {
        Ok(meetings) => {
            let current = meetings.into_iter().find(|m| m.id == meeting_id).and_then(|m| serde_json::to_value(m).ok()).unwrap_or_default();
            ApiError::Conflict { current }
        }
        Err(error) => error,
    }
}
