//! A case's deadlines as stored: replaced from the domain's computation in
//! the batch that changes what they are counted from, extended with a
//! reason, judged on a day, and remembered once reminded.

use chrono::NaiveDate;
use domain::api::DeadlineView;
use domain::calendar::Calendar;
use domain::deadline::{self, Deadline, DeadlineStatus, Extension, RecordedEvent, Route};
use domain::playbook::Event;
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};

use crate::db::partnership::Rules;
use crate::db::text;
use crate::http::error::ApiError;
use crate::platform::webcrypto::random_uuid;
use crate::db::Query;

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
pub fn store(db: &D1Database, case_id: &str, computed: &[Deadline], scope: Recompute) -> Result<Vec<D1PreparedStatement>, ApiError> {
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
                text(d.not_applicable.as_deref()),
            ])?,
        );
    }
    Ok(statements)
}

/// The deadlines a new referral starts: those counted from awareness and receipt.
/// Also returns when the threshold decision is due (the notification deadline), for the message to the team.
pub fn initial(
    db: &D1Database,
    rules: &Rules,
    case_id: &str,
    aware_on: NaiveDate,
    received_on: NaiveDate,
) -> Result<(Vec<D1PreparedStatement>, Option<NaiveDate>), ApiError> {
    let events = [
        RecordedEvent { kind: Event::Aware, on: aware_on, at: None },
        RecordedEvent { kind: Event::ReferralReceived, on: received_on, at: None },
    ];
    let computed = deadline::deadlines(&rules.playbook, &rules.calendar, &events, &Route::default()).map_err(|error| ApiError::invalid("aware_on", error.to_string()))?;
    let notify_by = computed.iter().find(|d| d.step_key == "notify_panel").map(|d| d.due);
    Ok((store(db, case_id, &computed, Recompute::All)?, notify_by))
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
pub struct DeadlineRow {
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
    pub fn view(self, today: NaiveDate, calendar: &Calendar) -> Option<DeadlineView> {
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


/// Every deadline of a case, soonest first.
pub async fn of_case(db: &D1Database, case_id: &str) -> Result<Vec<DeadlineRow>, ApiError> {
    db
        .prepare(
            "SELECT step_key, name, owner_role, statutory, earliest, original_due, due, extension_reason, done_on, not_applicable, version \
             FROM deadlines WHERE case_id = ?1 ORDER BY due, step_key",
        )
        .bind(&[case_id.into()])?
        .rows()
        .await
}

/// A step's due date and version, before it is extended.
#[derive(Deserialize)]
pub struct DeadlineDue {
    pub due: String,
    pub version: f64,
}

pub async fn due_of(db: &D1Database, case_id: &str, step_key: &str) -> Result<Option<DeadlineDue>, ApiError> {
    db
        .prepare("SELECT due, version FROM deadlines WHERE case_id = ?1 AND step_key = ?2")
        .bind(&[case_id.into(), step_key.into()])?
        .row::<DeadlineDue>()
        .await
}

/// The versioned extension of one step (for [`crate::db::version::commit`]); the original date stays for reporting.
pub fn extend(db: &D1Database, case_id: &str, step_key: &str, extension: &Extension, version: u32, by: &str, at: &str) -> Result<D1PreparedStatement, ApiError> {
    Ok(db
        .prepare(
            "UPDATE deadlines SET due = ?1, extension_reason = ?2, extended_by = ?3, extended_at = ?4, version = version + 1 \
             WHERE case_id = ?5 AND step_key = ?6 AND version = ?7",
        )
        .bind(&[
            extension.due.to_string().into(),
            extension.reason.as_str().into(),
            by.into(),
            at.into(),
            case_id.into(),
            step_key.into(),
            version.to_string().into(),
        ])?)
}

/// An open deadline of an open case, anywhere, with what its reminder needs.
#[derive(Deserialize)]
pub struct OpenDeadline {
    pub id: String,
    pub case_id: String,
    pub partnership_id: String,
    pub partnership_name: String,
    pub reference: String,
    pub name: String,
    pub owner_role: String,
    pub original_due: String,
    pub due: String,
    pub extension_reason: Option<String>,
    pub reminded_state: Option<String>,
}

pub async fn open_everywhere(db: &D1Database) -> Result<Vec<OpenDeadline>, ApiError> {
    db
        .prepare(
            "SELECT d.id, d.case_id, c.partnership_id, p.name AS partnership_name, c.reference, d.name, d.owner_role, \
                    d.original_due, d.due, d.extension_reason, d.reminded_state \
             FROM deadlines d JOIN cases c ON c.id = d.case_id JOIN partnerships p ON p.id = c.partnership_id \
             WHERE d.done_on IS NULL AND d.not_applicable IS NULL AND c.stage <> 'closed'",
        )
        .rows()
        .await
}

/// What a deadline's reminders last said (`due_soon`, `overdue`), stored with the reminder.
pub fn reminded(db: &D1Database, deadline_id: &str, state: &str) -> Result<D1PreparedStatement, ApiError> {
    Ok(db
        .prepare("UPDATE deadlines SET reminded_state = ?1 WHERE id = ?2 AND reminded_state IS NOT ?1")
        .bind(&[state.into(), deadline_id.into()])?)
}
