//! Cases: the referral that opens one, the cases a person may see, and one
//! case by reference within that scope.
//!
//! A new case takes the next reference of its partnership and year
//! (`KRSCP-2026-0007`) in the same D1 batch as the insert and its audit entry:
//! a batch is one transaction, so references are unique and gap-free and a
//! failure leaves nothing half-written.

use chrono::NaiveDate;
use domain::calendar::Calendar;
use domain::case::{CaseOutcome, CaseSummary, CaseUpdate, ReferralReceipt as Receipt};
use domain::timeline::Stage;
use domain::case_query::CaseQuery;
use domain::referral::ReferralFacts;
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};

use crate::auth::principal::Principal;
use crate::db::{audit, text};
use crate::http::error::ApiError;
use crate::db::Query;

const RECEIPT_COLUMNS: &str = "id, reference, stage, received_at";
const SUMMARY_COLUMNS: &str = "c.reference, c.stage, c.referrer_agency, c.incident_date, c.aware_on, c.received_at, \
     c.children_count, c.pseudonym, c.outcome, c.national_reference, c.steis_reference, c.themes, c.tags, \
     c.converted_to_review, c.version, \
     (SELECT json_group_array(json_array(d.due, d.name)) FROM deadlines d WHERE d.case_id = c.id AND d.done_on IS NULL AND d.not_applicable IS NULL) AS open_deadlines, \
     (SELECT count(*) FROM actions x WHERE x.case_id = c.id AND x.status <> 'complete') AS open_actions, \
     (SELECT u.name FROM users u WHERE u.id = c.lead_officer_id) AS lead_officer";

/// A case list row as D1 returns it: numbers as floats, lists as JSON text.
#[derive(Debug, Clone, Deserialize)]
pub struct SummaryRow {
    reference: String,
    stage: Stage,
    referrer_agency: String,
    incident_date: String,
    aware_on: String,
    received_at: String,
    children_count: f64,
    pseudonym: Option<String>,
    outcome: Option<CaseOutcome>,
    national_reference: Option<String>,
    steis_reference: Option<String>,
    themes: String,
    tags: String,
    converted_to_review: f64,
    version: f64,
    open_deadlines: Option<String>,
    open_actions: f64,
    lead_officer: Option<String>,
}

impl SummaryRow {
    /// The row with what is next and how it stands on `today`, judged by the
    /// partnership's calendar (bank holidays and its closure days), as on the case page.
    pub fn judged(self, today: NaiveDate, calendar: &Calendar) -> CaseSummary {
        use domain::deadline::DeadlineStatus;
        let row = self;
        let mut open: Vec<(String, String)> = row.open_deadlines.as_deref().and_then(|j| serde_json::from_str(j).ok()).unwrap_or_default();
        open.sort();
        let today_iso = today.to_string();
        let overdue = open.iter().filter(|(due, _)| due.as_str() < today_iso.as_str()).count() as u32;
        let soon = calendar.day_number(today, 2).ok().map(|d| d.to_string());
        let next_deadline = open.first().map(|(due, name)| domain::case::NextDeadline {
            name: name.clone(),
            due: due.clone(),
            status: if due.as_str() < today_iso.as_str() {
                DeadlineStatus::Overdue
            } else if soon.as_ref().is_some_and(|s| due <= s) {
                DeadlineStatus::DueSoon
            } else {
                DeadlineStatus::OnTrack
            },
        });
        CaseSummary {
            next_deadline,
            overdue,
            open_actions: row.open_actions as u32,
            lead_officer: row.lead_officer,
            reference: row.reference,
            stage: row.stage,
            referrer_agency: row.referrer_agency,
            incident_date: row.incident_date,
            aware_on: row.aware_on,
            received_at: row.received_at,
            children_count: row.children_count as u8,
            pseudonym: row.pseudonym,
            outcome: row.outcome,
            national_reference: row.national_reference,
            steis_reference: row.steis_reference,
            themes: serde_json::from_str(&row.themes).unwrap_or_default(),
            tags: serde_json::from_str(&row.tags).unwrap_or_default(),
            converted_to_review: row.converted_to_review != 0.0,
            version: row.version as u32,
        }
    }
}

/// The SQL condition limiting `c` (cases) to what the principal may see, and
/// its parameters ready to bind. The condition itself is the domain's, shared
/// with the native storage tests.
pub struct Visible {
    pub clause: String,
    pub binds: Vec<JsValue>,
}

impl From<domain::case_scope::Condition> for Visible {
    fn from(c: domain::case_scope::Condition) -> Self {
        let binds = c.binds.into_iter().map(|b| b.map_or(JsValue::NULL, |v| JsValue::from(v.as_str()))).collect();
        Visible { clause: c.clause, binds }
    }
}

fn viewer(who: &Principal) -> domain::case_scope::Viewer<'_> {
    domain::case_scope::Viewer { partnership_id: &who.partnership_id, user_id: &who.user_id, agency_id: who.agency_id.as_deref() }
}

pub fn visible(who: &Principal) -> Visible {
    domain::case_scope::visible(viewer(who), &who.grants.scopes()).into()
}

#[derive(Debug, Clone, Deserialize)]
pub struct StoredCase {
    pub id: String,
    #[serde(flatten)]
    pub summary: SummaryRow,
    /// Sealed: opened only for roles that may read personal data.
    pub personal_data: String,
}

/// A case the principal may see, by reference; 404 for anything else, so
/// nobody learns which references exist in other partnerships.
pub async fn find(db: &D1Database, who: &Principal, reference: &str) -> Result<StoredCase, ApiError> {
    let Visible { clause, mut binds } = visible(who);
    binds.push(reference.into());
    db.prepare(format!(
        "SELECT c.id, {SUMMARY_COLUMNS}, c.personal_data FROM cases c WHERE {clause} AND c.reference = ?{}",
        binds.len()
    ))
    .bind(&binds)?
    .row::<StoredCase>()
    .await?
    .ok_or(ApiError::NotFound)
}

/// The facts of a case the timeline needs, found within the principal's scope.
#[derive(Clone)]
pub struct CaseRef {
    pub id: String,
    pub reference: String,
    pub stage: Stage,
    pub aware_on: chrono::NaiveDate,
    pub received_on: chrono::NaiveDate,
}

/// A case by its internal id, outside any person's scope: only for a caller
/// that has already established the right to act on it (an agency lead
/// completing their own agency's action).
pub async fn by_id(db: &D1Database, case_id: &str) -> Result<CaseRef, ApiError> {
    let row = db
        .prepare(format!("SELECT c.id, {SUMMARY_COLUMNS}, c.personal_data FROM cases c WHERE c.id = ?1"))
        .bind(&[case_id.into()])?
        .row::<StoredCase>()
        .await?
        .ok_or(ApiError::NotFound)?;
    row.case_ref()
}

impl StoredCase {
    /// The facts the timeline needs, parsed.
    pub fn case_ref(&self) -> Result<CaseRef, ApiError> {
        let case = self;
        let received = chrono::DateTime::parse_from_rfc3339(&case.summary.received_at)
            .map(|t| domain::uk_time::uk_date(t.to_utc()))
            .map_err(|_| ApiError::Internal(worker::Error::RustError("a case's receipt time is not valid".into())))?;
        let aware_on = domain::date_input::parse_iso_date(&case.summary.aware_on)
            .map_err(|_| ApiError::Internal(worker::Error::RustError("a case's awareness date is not valid".into())))?;
        Ok(CaseRef { id: case.id.clone(), reference: case.summary.reference.clone(), stage: case.summary.stage, aware_on, received_on: received })
    }
}


/// A new referral's statements, in order: the reference counter, the case,
/// its audit entry and (at [`RECEIPT_AT`]) the receipt read back.
pub struct NewCase<'a> {
    pub id: &'a str,
    pub facts: &'a ReferralFacts,
    pub sealed_personal: String,
    pub idempotency_key: Option<&'a str>,
    pub received_at: &'a str,
    pub now: &'a str,
    /// Bound as text: D1 binds JS numbers as REAL, which would print as 2026.0.
    pub year: String,
}

/// Where the receipt is among [`insert`]'s statements.
pub const RECEIPT_AT: usize = 3;

pub fn insert(db: &D1Database, who: &Principal, case: NewCase<'_>) -> Result<Vec<D1PreparedStatement>, ApiError> {
    let NewCase { id, facts, sealed_personal, idempotency_key, received_at, now, year } = case;
    Ok(vec![
        db.prepare(
            "INSERT INTO reference_counters (partnership_id, year, last) VALUES (?1, ?2, 1) \
             ON CONFLICT (partnership_id, year) DO UPDATE SET last = last + 1",
        )
        .bind(&[who.partnership_id.as_str().into(), year.as_str().into()])?,
        db.prepare(
            "INSERT INTO cases (id, partnership_id, reference, stage, referrer_user_id, referrer_agency, incident_date, \
             aware_on, children_count, personal_data, idempotency_key, received_at, updated_at, received_via) \
             SELECT ?1, ?2, ?3 || '-' || ?4 || '-' || printf('%04d', last), 'referral_received', ?5, ?6, ?7, ?8, ?9, \
             ?10, ?11, ?12, ?13, ?14 FROM reference_counters WHERE partnership_id = ?2 AND year = ?4",
        )
        .bind(&[
            id.into(),
            who.partnership_id.as_str().into(),
            who.partnership_code.as_str().into(),
            year.as_str().into(),
            who.user_id.as_str().into(),
            facts.referrer_agency.as_str().into(),
            facts.incident_date.to_string().into(),
            facts.aware_on.to_string().into(),
            (facts.children_count as u32).to_string().into(),
            sealed_personal.into(),
            text(idempotency_key),
            received_at.into(),
            now.into(),
            facts.received_via.as_str().into(),
        ])?,
        audit::entry(db, who, Some(id), "referral_submitted", if facts.received_via == domain::referral::ReceivedVia::Form { "" } else { facts.received_via.as_str() })?,
        db.prepare(format!("SELECT {RECEIPT_COLUMNS} FROM cases WHERE id = ?1")).bind(&[id.into()])?,
    ])
}

/// The receipt of the referral a client sent before with this idempotency key.
pub async fn receipt_for_key(db: &D1Database, who: &Principal, key: &str) -> Result<Option<Receipt>, ApiError> {
    db
        .prepare(format!("SELECT {RECEIPT_COLUMNS} FROM cases WHERE partnership_id = ?1 AND idempotency_key = ?2"))
        .bind(&[who.partnership_id.as_str().into(), key.into()])?
        .row::<Receipt>()
        .await
}

/// The cases matching a query, within what the principal may see.
fn matching(who: &Principal, query: &CaseQuery, today: NaiveDate) -> Visible {
    domain::case_scope::matching(viewer(who), &who.grants.scopes(), query, today).into()
}

/// How many cases match.
pub async fn count(db: &D1Database, who: &Principal, query: &CaseQuery, today: NaiveDate) -> Result<u64, ApiError> {
    let Visible { clause, binds } = matching(who, query, today);
    #[derive(Deserialize)]
    struct Count {
        total: f64,
    }
    Ok(db
        .prepare(format!("SELECT count(*) AS total FROM cases c WHERE {clause}"))
        .bind(&binds)?
        .row::<Count>()
        .await?
        .map_or(0, |c| c.total as u64))
}

/// One page of the matching cases, in the query's order.
pub async fn page(db: &D1Database, who: &Principal, query: &CaseQuery, today: NaiveDate, limit: u64, offset: u64) -> Result<Vec<SummaryRow>, ApiError> {
    let Visible { clause, binds } = matching(who, query, today);
    let order = if query.descending { "DESC" } else { "ASC" };
    db
        .prepare(format!(
            "SELECT {SUMMARY_COLUMNS} FROM cases c WHERE {clause} ORDER BY {col} {order}, c.reference {order} LIMIT {limit} OFFSET {offset}",
            col = query.sort.column()
        ))
        .bind(&binds)?
        .rows()
        .await
}

/// The versioned change of a case's record (for [`crate::db::version::commit`]),
/// and the names of the columns it changes, for the audit entry.
pub fn update(db: &D1Database, case_id: &str, update: &CaseUpdate, now: &str) -> Result<(D1PreparedStatement, Vec<&'static str>), ApiError> {
    let mut sets = vec!["version = version + 1".to_string(), "updated_at = ?1".to_string()];
    let mut binds: Vec<JsValue> = vec![now.into()];
    let mut changed: Vec<&'static str> = Vec::new();
    let mut set = |column: &'static str, value: JsValue| {
        binds.push(value);
        sets.push(format!("{column} = ?{}", binds.len()));
        changed.push(column);
    };
    let list = |v: &Vec<String>| JsValue::from(serde_json::to_string(v).unwrap_or_else(|_| "[]".into()));
    if let Some(v) = &update.national_reference {
        set("national_reference", text(v.as_deref()));
    }
    if let Some(v) = &update.steis_reference {
        set("steis_reference", text(v.as_deref()));
    }
    if let Some(v) = &update.themes {
        set("themes", list(v));
    }
    if let Some(v) = &update.tags {
        set("tags", list(v));
    }
    binds.push(case_id.into());
    let id_at = binds.len();
    binds.push(update.version.to_string().into());
    let sql = format!("UPDATE cases SET {} WHERE id = ?{id_at} AND version = ?{}", sets.join(", "), id_at + 1);
    Ok((db.prepare(sql).bind(&binds)?, changed))
}

/// The case's stage (and its version, so that open forms see the change).
pub fn set_stage(db: &D1Database, case_id: &str, stage: domain::timeline::Stage, now: &str) -> Result<D1PreparedStatement, ApiError> {
    Ok(db
        .prepare("UPDATE cases SET stage = ?1, updated_at = ?2, version = version + 1 WHERE id = ?3")
        .bind(&[stage.as_str().into(), now.into(), case_id.into()])?)
}

/// The awareness date the case matrix and the figures read.
pub fn set_aware_on(db: &D1Database, case_id: &str, aware_on: NaiveDate) -> Result<D1PreparedStatement, ApiError> {
    Ok(db.prepare("UPDATE cases SET aware_on = ?1 WHERE id = ?2").bind(&[aware_on.to_string().into(), case_id.into()])?)
}

/// The outcome the case matrix shows, and whether it became a review.
pub fn set_outcome(db: &D1Database, case_id: &str, outcome: &str, converted_to_review: Option<bool>) -> Result<D1PreparedStatement, ApiError> {
    Ok(match converted_to_review {
        Some(converted) => db
            .prepare("UPDATE cases SET outcome = ?1, converted_to_review = ?2 WHERE id = ?3")
            .bind(&[outcome.into(), crate::db::flag(converted), case_id.into()])?,
        None => db.prepare("UPDATE cases SET outcome = ?1 WHERE id = ?2").bind(&[outcome.into(), case_id.into()])?,
    })
}

/// The pseudonym the case matrix shows instead of the child's name.
pub fn set_pseudonym(db: &D1Database, case_id: &str, pseudonym: Option<&str>) -> Result<D1PreparedStatement, ApiError> {
    Ok(db.prepare("UPDATE cases SET pseudonym = ?1 WHERE id = ?2").bind(&[text(pseudonym), case_id.into()])?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::deadline::DeadlineStatus;

    fn row(open_deadlines: Option<&str>) -> SummaryRow {
        SummaryRow {
            reference: "KRSCP-2026-0001".into(),
            stage: Stage::ReferralReceived,
            referrer_agency: "Police".into(),
            incident_date: "2026-11-20".into(),
            aware_on: "2026-11-23".into(),
            received_at: "2026-11-23T12:00:00.000Z".into(),
            children_count: 2.0,
            pseudonym: None,
            outcome: None,
            national_reference: None,
            steis_reference: None,
            themes: r#"["neglect"]"#.into(),
            tags: "[]".into(),
            converted_to_review: 1.0,
            version: 4.0,
            open_deadlines: open_deadlines.map(String::from),
            open_actions: 2.0,
            lead_officer: None,
        }
    }

    /// Thursday 3 December 2026: working day 2 is Friday the 4th.
    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 3).unwrap()
    }

    #[test]
    fn a_row_becomes_a_summary_with_the_soonest_open_deadline_judged_today() {
        let calendar = Calendar::england_and_wales();
        let case = row(Some(r#"[["2026-12-10","Rapid review"],["2026-12-04","Notify the panel"],["2026-12-01","Papers out"]]"#)).judged(today(), &calendar);
        let next = case.next_deadline.clone().expect("a next deadline");
        assert_eq!((next.name.as_str(), next.status), ("Papers out", DeadlineStatus::Overdue));
        assert_eq!((case.overdue, case.open_actions, case.children_count, case.version), (1, 2, 2, 4));
        assert_eq!((case.themes, case.converted_to_review), (vec!["neglect".to_string()], true));
    }

    #[test]
    fn due_soon_means_within_two_working_days_and_nothing_open_means_no_next_deadline() {
        let calendar = Calendar::england_and_wales();
        let soon = row(Some(r#"[["2026-12-04","Notify the panel"]]"#)).judged(today(), &calendar);
        assert_eq!(soon.next_deadline.map(|d| d.status), Some(DeadlineStatus::DueSoon));
        let later = row(Some(r#"[["2026-12-08","Rapid review"]]"#)).judged(today(), &calendar);
        assert_eq!(later.next_deadline.map(|d| d.status), Some(DeadlineStatus::OnTrack));
        let none = row(None).judged(today(), &calendar);
        assert_eq!((none.next_deadline, none.overdue), (None, 0));
    }
}
