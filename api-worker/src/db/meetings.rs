//! Meetings about a case and who attended: booked, recorded (versioned) and read back.

use chrono::NaiveDate;
use domain::meeting::{Attendee, NewMeeting};
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};

use crate::db::{flag, text};
use crate::http::error::ApiError;
use crate::db::Query;

/// A yes/no/not judged as SQLite stores it.
fn maybe(value: Option<bool>) -> JsValue {
    value.map_or(JsValue::NULL, flag)
}

#[derive(Deserialize)]
pub struct MeetingRow {
    pub id: String,
    pub kind: String,
    pub starts_at: String,
    pub duration_minutes: f64,
    pub location: Option<String>,
    pub quorate: Option<f64>,
    pub quorum_note: Option<String>,
    pub notes_sealed: Option<String>,
    pub held: f64,
    pub version: f64,
}

#[derive(Deserialize)]
pub struct AttendeeRow {
    pub meeting_id: String,
    pub agency_id: Option<String>,
    pub agency: Option<String>,
    pub name: String,
    pub role_title: String,
    pub decision_maker: f64,
    pub present: f64,
    pub email: Option<String>,
}

/// The case's meetings, earliest first.
pub async fn of_case(db: &D1Database, case_id: &str) -> Result<Vec<MeetingRow>, ApiError> {
    db
        .prepare(
            "SELECT id, kind, starts_at, duration_minutes, location, quorate, quorum_note, notes_sealed, held, version \
             FROM meetings WHERE case_id = ?1 ORDER BY starts_at",
        )
        .bind(&[case_id.into()])?
        .rows()
        .await
}

/// Everyone listed for the case's meetings, in the order they were entered.
pub async fn attendees_of_case(db: &D1Database, case_id: &str) -> Result<Vec<AttendeeRow>, ApiError> {
    db
        .prepare(
            "SELECT m.meeting_id, m.agency_id, a.name AS agency, m.name, m.role_title, m.decision_maker, m.present, m.email \
             FROM meeting_attendees m JOIN meetings g ON g.id = m.meeting_id LEFT JOIN agencies a ON a.id = m.agency_id \
             WHERE g.case_id = ?1 ORDER BY m.rowid",
        )
        .bind(&[case_id.into()])?
        .rows()
        .await
}

/// The work addresses of everyone invited to a meeting not yet held, and the
/// day of the first such meeting: who receives the papers.
pub async fn unheld_invitees(db: &D1Database, case_id: &str) -> Result<(Vec<String>, Option<NaiveDate>), ApiError> {
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
        .bind(&[case_id.into()])?
        .rows()
        .await?;
    let meeting_on = invitees.first().and_then(|i| i.starts_at.get(..10)).and_then(|d| d.parse().ok());
    Ok((invitees.into_iter().map(|i| i.email).collect(), meeting_on))
}

/// A new meeting, with its quorum as judged when booked.
pub fn insert(db: &D1Database, id: &str, case_id: &str, meeting: &NewMeeting, quorate: Option<bool>, quorum_note: Option<&str>) -> Result<D1PreparedStatement, ApiError> {
    Ok(db
        .prepare("INSERT INTO meetings (id, case_id, kind, starts_at, location, quorate, quorum_note, duration_minutes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
        .bind(&[
            id.into(),
            case_id.into(),
            meeting.kind.as_str().into(),
            meeting.starts_at.format("%Y-%m-%dT%H:%M").to_string().into(),
            text(meeting.location.as_deref()),
            maybe(quorate),
            text(quorum_note),
            meeting.duration_minutes.to_string().into(),
        ])?)
}

/// Replaces the meeting's attendees.
pub fn set_attendees(db: &D1Database, meeting_id: &str, attendees: &[Attendee]) -> Result<Vec<D1PreparedStatement>, ApiError> {
    let mut statements = vec![db.prepare("DELETE FROM meeting_attendees WHERE meeting_id = ?1").bind(&[meeting_id.into()])?];
    for a in attendees {
        statements.push(
            db.prepare("INSERT INTO meeting_attendees (meeting_id, agency_id, name, role_title, decision_maker, present, email) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
                .bind(&[
                    meeting_id.into(),
                    text(a.agency_id.as_deref()),
                    a.name.as_str().into(),
                    a.role_title.as_str().into(),
                    flag(a.decision_maker),
                    flag(a.present),
                    text(a.email.as_deref()),
                ])?,
        );
    }
    Ok(statements)
}

/// What was recorded of a meeting, as one versioned write (for [`crate::db::version::commit`]).
pub struct Recorded<'a> {
    pub quorate: Option<bool>,
    pub quorum_note: Option<&'a str>,
    pub notes_sealed: Option<&'a str>,
    pub held: bool,
}

pub fn record(db: &D1Database, meeting_id: &str, version: u32, r: Recorded<'_>) -> Result<D1PreparedStatement, ApiError> {
    Ok(db
        .prepare("UPDATE meetings SET quorate = ?1, quorum_note = ?2, notes_sealed = ?3, held = ?4, version = version + 1 WHERE id = ?5 AND version = ?6")
        .bind(&[maybe(r.quorate), text(r.quorum_note), text(r.notes_sealed), flag(r.held), meeting_id.into(), version.to_string().into()])?)
}
