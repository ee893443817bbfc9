//! Meetings about a case (the rapid review meeting above all): when and
//! where, who came for which agency, whether it was quorate by the playbook's
//! rule, and the calendar invitation that goes with it.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

use crate::field_error::FieldErrors;
use crate::form_input::text;
use crate::playbook::Event;

pub const MAX_ATTENDEES: usize = 60;
pub const TEXT_MAX: usize = 200;
pub const NOTES_MAX: usize = 10_000;
pub const DEFAULT_MINUTES: u32 = 120;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeetingKind {
    ThresholdDiscussion,
    RapidReview,
    PanelResponse,
    CaseReviewGroup,
    LearningEvent,
    Other,
}

impl MeetingKind {
    pub const ALL: [MeetingKind; 6] = [
        MeetingKind::RapidReview,
        MeetingKind::ThresholdDiscussion,
        MeetingKind::PanelResponse,
        MeetingKind::CaseReviewGroup,
        MeetingKind::LearningEvent,
        MeetingKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MeetingKind::ThresholdDiscussion => "threshold_discussion",
            MeetingKind::RapidReview => "rapid_review",
            MeetingKind::PanelResponse => "panel_response",
            MeetingKind::CaseReviewGroup => "case_review_group",
            MeetingKind::LearningEvent => "learning_event",
            MeetingKind::Other => "other",
        }
    }

    pub fn parse(raw: &str) -> Option<MeetingKind> {
        MeetingKind::ALL.into_iter().find(|k| k.as_str() == raw)
    }

    pub fn label(self) -> &'static str {
        match self {
            MeetingKind::ThresholdDiscussion => "Threshold discussion",
            MeetingKind::RapidReview => "Rapid review meeting",
            MeetingKind::PanelResponse => "Meeting on the national panel's response",
            MeetingKind::CaseReviewGroup => "Case review group",
            MeetingKind::LearningEvent => "Practitioner learning event",
            MeetingKind::Other => "Meeting",
        }
    }

    /// The timeline event that booking this meeting records; its date is the
    /// meeting's, because steps such as "papers out 5 working days before" count from it.
    pub fn scheduled_event(self) -> Option<Event> {
        matches!(self, MeetingKind::RapidReview).then_some(Event::MeetingScheduled)
    }

    /// The timeline event that holding this meeting records.
    pub fn held_event(self) -> Option<Event> {
        match self {
            MeetingKind::RapidReview => Some(Event::MeetingHeld),
            MeetingKind::PanelResponse => Some(Event::PanelResponseMeetingHeld),
            MeetingKind::CaseReviewGroup => Some(Event::ReferralDiscussed),
            MeetingKind::ThresholdDiscussion | MeetingKind::LearningEvent | MeetingKind::Other => None,
        }
    }

    /// Only meetings that decide something on behalf of the partners need a quorum.
    pub fn needs_quorum(self) -> bool {
        matches!(self, MeetingKind::RapidReview | MeetingKind::PanelResponse | MeetingKind::CaseReviewGroup)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AttendeeInput {
    pub agency_id: Option<String>,
    pub name: Option<String>,
    pub role_title: Option<String>,
    pub decision_maker: bool,
    /// Defaults to present; an invitee who sent apologies is `false`.
    pub present: Option<bool>,
    /// A work address, to be told when the papers are ready.
    pub email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendee {
    pub agency_id: Option<String>,
    pub name: String,
    pub role_title: String,
    pub decision_maker: bool,
    pub present: bool,
    pub email: Option<String>,
}

/// Booking a meeting: the date and time are UK local time, as people say them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MeetingInput {
    pub kind: Option<String>,
    pub on: Option<String>,
    pub time: Option<String>,
    pub duration_minutes: Option<u32>,
    pub location: Option<String>,
    pub attendees: Vec<AttendeeInput>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMeeting {
    pub kind: MeetingKind,
    pub starts_at: NaiveDateTime,
    pub duration_minutes: u32,
    pub location: Option<String>,
    pub attendees: Vec<Attendee>,
}

/// Recording what happened at a meeting: who came, the notes, and that it was held.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AttendanceInput {
    pub version: Option<u32>,
    pub attendees: Vec<AttendeeInput>,
    pub notes: Option<String>,
    pub held: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attendance {
    pub version: u32,
    pub attendees: Vec<Attendee>,
    pub notes: Option<String>,
    pub held: bool,
}

fn parse_attendees(raw: &[AttendeeInput], e: &mut FieldErrors) -> Vec<Attendee> {
    if raw.len() > MAX_ATTENDEES {
        e.push("attendees", format!("A meeting can list at most {MAX_ATTENDEES} people"));
        return Vec::new();
    }
    let mut out = Vec::with_capacity(raw.len());
    for (i, a) in raw.iter().enumerate() {
        let name = text(&a.name);
        let role_title = text(&a.role_title);
        if name.is_none() {
            e.push(&format!("attendees[{i}].name"), "Enter the attendee's name");
        }
        if role_title.is_none() {
            e.push(&format!("attendees[{i}].role_title"), "Enter the attendee's job title");
        }
        for (field, value) in [("name", &name), ("role_title", &role_title)] {
            if value.as_ref().is_some_and(|v| v.chars().count() > TEXT_MAX) {
                e.push(&format!("attendees[{i}].{field}"), format!("Must be {TEXT_MAX} characters or fewer"));
            }
        }
        let email = text(&a.email).map(|e| e.to_lowercase());
        if email.as_deref().is_some_and(|e| !crate::settings::plausible_email(e)) {
            e.push(&format!("attendees[{i}].email"), "Enter a work email address in the correct format, like name@example.org");
        }
        if let (Some(name), Some(role_title)) = (name, role_title) {
            out.push(Attendee { agency_id: text(&a.agency_id), name, role_title, decision_maker: a.decision_maker, present: a.present.unwrap_or(true), email });
        }
    }
    out
}

pub fn parse_time(raw: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(raw.trim(), "%H:%M").ok()
}

impl MeetingInput {
    /// A meeting may be booked for any day from a year ago (recording one
    /// already held) to a year ahead.
    pub fn parse(&self, today: NaiveDate) -> Result<NewMeeting, FieldErrors> {
        let mut e = FieldErrors::default();
        let kind = match text(&self.kind) {
            None => {
                e.push("kind", "Choose the kind of meeting");
                None
            }
            Some(raw) => MeetingKind::parse(&raw).or_else(|| {
                e.push("kind", "This is not a kind of meeting the process knows");
                None
            }),
        };
        let on = match crate::date_input::parse_iso_date(self.on.as_deref().unwrap_or("")) {
            Ok(d) if d < today - Duration::days(366) || d > today + Duration::days(366) => {
                e.push("on", "The meeting date must be within a year of today");
                None
            }
            Ok(d) => Some(d),
            Err(p) => {
                e.push("on", p.message("meeting date"));
                None
            }
        };
        let time = match text(&self.time) {
            None => {
                e.push("time", "Enter the start time, like 14:30");
                None
            }
            Some(raw) => parse_time(&raw).or_else(|| {
                e.push("time", "Enter the start time as hours and minutes, like 14:30");
                None
            }),
        };
        let duration_minutes = self.duration_minutes.unwrap_or(DEFAULT_MINUTES);
        if !(15..=600).contains(&duration_minutes) {
            e.push("duration_minutes", "A meeting lasts between 15 minutes and 10 hours");
        }
        let location = text(&self.location);
        if location.as_ref().is_some_and(|l| l.chars().count() > TEXT_MAX) {
            e.push("location", format!("The location must be {TEXT_MAX} characters or fewer"));
        }
        let attendees = parse_attendees(&self.attendees, &mut e);
        match (kind, on, time) {
            (Some(kind), Some(on), Some(time)) if e.is_empty() => {
                Ok(NewMeeting { kind, starts_at: on.and_time(time), duration_minutes, location, attendees })
            }
            _ => Err(e),
        }
    }
}

impl AttendanceInput {
    pub fn parse(&self, starts_on: NaiveDate, today: NaiveDate) -> Result<Attendance, FieldErrors> {
        let mut e = FieldErrors::default();
        if self.version.is_none() {
            e.push("version", "Send the version of the meeting you are changing");
        }
        let attendees = parse_attendees(&self.attendees, &mut e);
        let notes = text(&self.notes);
        if notes.as_ref().is_some_and(|n| n.chars().count() > NOTES_MAX) {
            e.push("notes", format!("The notes must be {NOTES_MAX} characters or fewer"));
        }
        if self.held && starts_on > today {
            e.push("held", "A meeting booked for a future date cannot have been held yet");
        }
        if self.held && !attendees.iter().any(|a| a.present) {
            e.push("attendees", "Record who attended before marking the meeting held");
        }
        match self.version {
            Some(version) if e.is_empty() => Ok(Attendance { version, attendees, notes, held: self.held }),
            _ => Err(e),
        }
    }
}

/// What a calendar invitation says. No child's name or incident detail: the
/// reference and a link that needs signing in, as for every message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation<'a> {
    pub uid: &'a str,
    pub kind: MeetingKind,
    pub reference: &'a str,
    pub starts_at: DateTime<Utc>,
    pub duration_minutes: u32,
    pub location: Option<&'a str>,
    pub link: &'a str,
    pub stamped_at: DateTime<Utc>,
    pub sequence: u32,
}

fn ics_text(raw: &str) -> String {
    raw.replace('\\', "\\\\").replace(';', "\\;").replace(',', "\\,").replace("\r\n", "\\n").replace('\n', "\\n").replace('\r', "")
}

/// Lines longer than 75 octets are folded with CRLF and a space (RFC 5545 §3.1),
/// never inside a UTF-8 character.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for ch in line.chars() {
        let len = ch.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(ch);
        width += len;
    }
    out
}

/// An iCalendar (RFC 5545) file for one meeting, for a calendar to import.
pub fn invitation_ics(invite: &Invitation<'_>) -> String {
    let stamp = |t: DateTime<Utc>| t.format("%Y%m%dT%H%M%SZ").to_string();
    let ends_at = invite.starts_at + Duration::minutes(invite.duration_minutes as i64);
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".into(),
        "PRODID:-//Safeguarding case reviews//EN".into(),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
        "BEGIN:VEVENT".into(),
        format!("UID:{}", ics_text(invite.uid)),
        format!("SEQUENCE:{}", invite.sequence),
        format!("DTSTAMP:{}", stamp(invite.stamped_at)),
        format!("DTSTART:{}", stamp(invite.starts_at)),
        format!("DTEND:{}", stamp(ends_at)),
        format!("SUMMARY:{}", ics_text(&format!("{}: {}", invite.kind.label(), invite.reference))),
        format!("DESCRIPTION:{}", ics_text(&format!("Case {}. Sign in to read the papers: {}", invite.reference, invite.link))),
        format!("URL:{}", ics_text(invite.link)),
        "CLASS:CONFIDENTIAL".into(),
    ];
    if let Some(location) = invite.location {
        lines.push(format!("LOCATION:{}", ics_text(location)));
    }
    lines.push("END:VEVENT".into());
    lines.push("END:VCALENDAR".into());
    lines.iter().map(|l| fold(l)).collect::<Vec<_>>().join("\r\n") + "\r\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn person(name: &str) -> AttendeeInput {
        AttendeeInput { agency_id: Some("police".into()), name: Some(name.into()), role_title: Some("DCI".into()), decision_maker: true, present: None, email: None }
    }

    #[test]
    fn a_booking_needs_kind_date_and_time() {
        let e = MeetingInput::default().parse(day(2026, 11, 24)).unwrap_err();
        for field in ["kind", "on", "time"] {
            assert!(e.for_field(field).is_some(), "{field}");
        }
        let ok = MeetingInput { kind: Some("rapid_review".into()), on: Some("2026-12-03".into()), time: Some("10:00".into()), attendees: vec![person("A")], ..Default::default() }
            .parse(day(2026, 11, 24))
            .unwrap();
        assert_eq!(ok.starts_at, day(2026, 12, 3).and_hms_opt(10, 0, 0).unwrap());
        assert_eq!(ok.duration_minutes, DEFAULT_MINUTES);
        assert!(ok.attendees[0].present);
    }

    #[test]
    fn attendee_errors_name_the_row() {
        let input = MeetingInput {
            kind: Some("rapid_review".into()),
            on: Some("2026-12-03".into()),
            time: Some("25:00".into()),
            attendees: vec![person("A"), AttendeeInput { name: Some("B".into()), email: Some("b at example".into()), ..Default::default() }],
            ..Default::default()
        };
        let e = input.parse(day(2026, 11, 24)).unwrap_err();
        assert!(e.for_field("attendees[1].role_title").is_some());
        assert!(e.for_field("attendees[1].email").is_some());
        assert!(e.for_field("time").is_some());
    }

    #[test]
    fn a_future_meeting_cannot_be_held_and_a_held_one_needs_someone_there() {
        let input = AttendanceInput { version: Some(1), attendees: vec![], notes: None, held: true };
        let e = input.parse(day(2026, 12, 3), day(2026, 11, 24)).unwrap_err();
        assert!(e.for_field("held").is_some());
        assert!(e.for_field("attendees").is_some());
        let ok = AttendanceInput { version: Some(1), attendees: vec![person("A")], notes: Some(" minutes ".into()), held: true }
            .parse(day(2026, 11, 20), day(2026, 11, 24))
            .unwrap();
        assert_eq!(ok.notes.as_deref(), Some("minutes"));
    }

    #[test]
    fn held_meetings_move_the_timeline() {
        assert_eq!(MeetingKind::RapidReview.held_event(), Some(Event::MeetingHeld));
        assert_eq!(MeetingKind::RapidReview.scheduled_event(), Some(Event::MeetingScheduled));
        assert_eq!(MeetingKind::LearningEvent.held_event(), None);
        assert!(!MeetingKind::LearningEvent.needs_quorum());
    }

    #[test]
    fn the_invitation_is_valid_icalendar_without_personal_data() {
        let starts = DateTime::parse_from_rfc3339("2026-12-03T10:00:00Z").unwrap().to_utc();
        let ics = invitation_ics(&Invitation {
            uid: "m1@krscp",
            kind: MeetingKind::RapidReview,
            reference: "KRSCP-2026-0007",
            starts_at: starts,
            duration_minutes: 90,
            location: Some("Guildhall, Room 3; Kingston"),
            link: "https://example.org/cases/KRSCP-2026-0007",
            stamped_at: starts,
            sequence: 2,
        });
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(ics.contains("DTSTART:20261203T100000Z\r\n"));
        assert!(ics.contains("DTEND:20261203T113000Z\r\n"));
        assert!(ics.contains("LOCATION:Guildhall\\, Room 3\\; Kingston"));
        assert!(ics.contains("SEQUENCE:2"));
        assert!(ics.lines().all(|l| l.len() <= 76), "{ics}");
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
    }

    #[test]
    fn folding_never_splits_a_character() {
        let folded = fold(&"é".repeat(100));
        for line in folded.split("\r\n") {
            assert!(line.len() <= 76);
        }
        assert_eq!(folded.replace("\r\n ", ""), "é".repeat(100));
    }
}
