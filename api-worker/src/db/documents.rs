//! What the generated documents read from a case beyond its other records.

use serde::Deserialize;
use worker::D1Database;

use crate::http::error::ApiError;
use crate::db::Query;

/// The facts of the notification to the national panel.
#[derive(Deserialize)]
pub struct PanelFacts {
    pub incident_date: String,
    pub national_reference: Option<String>,
    pub notified_on: Option<String>,
    pub notify_by: Option<String>,
    pub rapid_review_due: Option<String>,
}

pub async fn panel_facts(db: &D1Database, case_id: &str) -> Result<Option<PanelFacts>, ApiError> {
    db
        .prepare(
            "SELECT c.incident_date, c.national_reference, \
               (SELECT min(occurred_on) FROM case_events WHERE case_id = c.id AND kind = 'notified' AND superseded_by IS NULL) AS notified_on, \
               (SELECT original_due FROM deadlines WHERE case_id = c.id AND step_key = 'notify_panel') AS notify_by, \
               (SELECT due FROM deadlines WHERE case_id = c.id AND step_key = 'submit_rapid_review') AS rapid_review_due \
             FROM cases c WHERE c.id = ?1",
        )
        .bind(&[case_id.into()])?
        .row::<PanelFacts>()
        .await
}
