//! What one person must do next, as D1 finds it: open deadlines of the cases
//! they may see, cases waiting for a decision or a sign-off, and what their
//! agency has been asked for or owns. Lists are capped: this is a to-do
//! list, not a report.

use chrono::NaiveDate;
use domain::access::Role;
use domain::api::{ActionOfMine, CaseWaiting, RequestToMe, WorkItem};
use domain::calendar::Calendar;
use domain::rapid_review_report::Partner;
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::D1Database;

use crate::auth::principal::Principal;
use crate::db::cases::{Visible, visible};
use crate::db::deadlines::{StoredDeadline, judge};
use crate::http::error::ApiError;
use crate::db::Query;

#[derive(Deserialize)]
pub struct OpenDeadline {
    reference: String,
    step_key: String,
    name: String,
    owner_role: String,
    statutory: f64,
    original_due: String,
    due: String,
    extension_reason: Option<String>,
}

impl OpenDeadline {
    /// The deadline as a to-do, judged on `today`; none for a row the domain
    /// cannot read (an unknown role, a malformed date), rather than failing the list.
    pub fn item(self, today: NaiveDate, calendar: &Calendar) -> Option<WorkItem> {
        let stored = StoredDeadline {
            original_due: &self.original_due,
            due: &self.due,
            extension_reason: self.extension_reason.as_deref(),
            earliest: None,
            done_on: None,
            not_applicable: None,
        };
        let (status, left) = judge(&stored, today, calendar)?;
        Some(WorkItem {
            due: domain::date_input::parse_iso_date(&self.due).ok()?,
            owner: Role::parse(&self.owner_role)?,
            reference: self.reference,
            step_key: self.step_key,
            name: self.name,
            statutory: self.statutory != 0.0,
            status,
            working_days_left: left,
        })
    }
}

/// Open deadlines of the cases the principal may see, soonest first: of
/// every owner, or (`owners`) only of those roles.
pub async fn open_deadlines(db: &D1Database, who: &Principal, owners: Option<&[Role]>) -> Result<Vec<OpenDeadline>, ApiError> {
    let Visible { clause, mut binds } = visible(who);
    let owner_filter = match owners {
        None => String::new(),
        Some(roles) => {
            let roles: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
            binds.push(serde_json::to_string(&roles).unwrap_or_default().into());
            format!(" AND d.owner_role IN (SELECT value FROM json_each(?{}))", binds.len())
        }
    };
    db
        .prepare(format!(
            "SELECT c.reference, d.step_key, d.name, d.owner_role, d.statutory, d.original_due, d.due, d.extension_reason \
             FROM deadlines d JOIN cases c ON c.id = d.case_id \
             WHERE {clause} AND d.done_on IS NULL AND d.not_applicable IS NULL{owner_filter} ORDER BY d.due, c.reference LIMIT 100"
        ))
        .bind(&binds)?
        .rows()
        .await
}

/// Cases the principal may see still waiting for the threshold decision, longest known first.
pub async fn awaiting_decision(db: &D1Database, who: &Principal) -> Result<Vec<CaseWaiting>, ApiError> {
    let Visible { clause, binds } = visible(who);
    db
        .prepare(format!(
            "SELECT c.reference, c.aware_on, c.referrer_agency FROM cases c WHERE {clause} AND c.stage = 'referral_received' ORDER BY c.aware_on LIMIT 50"
        ))
        .bind(&binds)?
        .rows()
        .await
}

/// Rapid review reports written and not yet signed for this partner.
pub async fn awaiting_sign_off(db: &D1Database, who: &Principal, partner: Partner) -> Result<Vec<CaseWaiting>, ApiError> {
    let Visible { clause, mut binds } = visible(who);
    binds.push(partner.as_str().into());
    let partner_bind = binds.len();
    db
        .prepare(format!(
            "SELECT c.reference, c.aware_on, c.referrer_agency FROM cases c JOIN rapid_review_reports r ON r.case_id = c.id \
             WHERE {clause} AND NOT EXISTS (SELECT 1 FROM rapid_review_signoffs s WHERE s.case_id = c.id AND s.partner = ?{partner_bind}) \
             ORDER BY c.aware_on LIMIT 50"
        ))
        .bind(&binds)?
        .rows()
        .await
}

/// Information requests to the agency not yet returned, on any of the partnership's cases.
pub async fn requests_to_agency(db: &D1Database, partnership_id: &str, agency_id: &str) -> Result<Vec<RequestToMe>, ApiError> {
    db
        .prepare(
            "SELECT r.id, c.reference, r.kind, r.due_on FROM information_requests r JOIN cases c ON c.id = r.case_id \
             WHERE c.partnership_id = ?1 AND r.agency_id = ?2 AND r.returned_on IS NULL ORDER BY r.due_on LIMIT 100",
        )
        .bind(&[JsValue::from(partnership_id), agency_id.into()])?
        .rows()
        .await
}

/// The agency's actions not yet complete, on any of the partnership's cases.
pub async fn actions_of_agency(db: &D1Database, partnership_id: &str, agency_id: &str) -> Result<Vec<ActionOfMine>, ApiError> {
    db
        .prepare(
            "SELECT x.id, c.reference, x.description, x.due_on, x.status FROM actions x JOIN cases c ON c.id = x.case_id \
             WHERE c.partnership_id = ?1 AND x.owner_agency_id = ?2 AND x.status <> 'complete' ORDER BY x.due_on LIMIT 100",
        )
        .bind(&[JsValue::from(partnership_id), agency_id.into()])?
        .rows()
        .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::deadline::DeadlineStatus;

    fn row(owner_role: &str, due: &str) -> OpenDeadline {
        OpenDeadline {
            reference: "KRSCP-2026-0001".into(),
            step_key: "notify_panel".into(),
            name: "Notify the national panel".into(),
            owner_role: owner_role.into(),
            statutory: 1.0,
            original_due: due.into(),
            due: due.into(),
            extension_reason: None,
        }
    }

    /// Thursday 3 December 2026.
    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 3).unwrap()
    }

    #[test]
    fn a_deadline_past_its_date_is_overdue_on_the_list() {
        let item = row("partnership_team", "2026-12-01").item(today(), Calendar::england_and_wales()).expect("a readable row");
        assert_eq!(item.status, DeadlineStatus::Overdue);
        assert_eq!(item.owner, Role::PartnershipTeam);
        assert!(item.statutory);
        assert_eq!(item.due, NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
        // Wednesday 2 and Thursday 3 December have passed since it was due.
        assert_eq!(item.working_days_left, Some(-2));
    }

    #[test]
    fn a_row_with_a_role_or_date_the_domain_cannot_read_is_left_off() {
        assert!(row("caretaker", "2026-12-10").item(today(), Calendar::england_and_wales()).is_none());
        assert!(row("partnership_team", "10/12/2026").item(today(), Calendar::england_and_wales()).is_none());
    }
}
