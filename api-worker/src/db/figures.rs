//! The counts behind the figures (`domain::figures`), each asked in D1 within
//! the cases the person may see ([`Visible`]) and counting rows, never
//! reading them out: no personal data leaves the database.

use chrono::NaiveDate;
use domain::figures::{Count, Period, Timeliness, outcome_label, theme_label};
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::D1Database;

use crate::db::cases::Visible;
use crate::http::error::ApiError;
use crate::db::Query;

#[derive(Deserialize)]
struct Number {
    n: f64,
}

#[derive(Deserialize)]
struct Keyed {
    key: String,
    n: f64,
}

impl Keyed {
    fn count(self, label: fn(&str) -> String) -> Count {
        Count { label: label(&self.key), key: self.key, count: self.n as u32 }
    }
}

/// `sum()` over no rows is NULL, read as none.
#[derive(Deserialize)]
struct Judged {
    due: f64,
    on_time: Option<f64>,
    overdue: Option<f64>,
}

impl Judged {
    fn timeliness(self) -> Timeliness {
        Timeliness { due: self.due as u32, on_time: self.on_time.unwrap_or(0.0) as u32, overdue: self.overdue.unwrap_or(0.0) as u32 }
    }
}

/// Binds the scope's parameters then the extra ones, numbered after them.
fn binds(scope: &Visible, extra: &[&str]) -> Vec<JsValue> {
    let mut all = scope.binds.clone();
    all.extend(extra.iter().map(|v| JsValue::from(*v)));
    all
}

/// The period's bounds as the ISO text D1 compares.
fn bounds(period: &Period) -> (String, String) {
    (period.from.to_string(), period.to.to_string())
}

async fn number(db: &D1Database, sql: String, binds: Vec<JsValue>) -> Result<u32, ApiError> {
    Ok(db.prepare(sql).bind(&binds)?.row::<Number>().await?.map_or(0, |r| r.n as u32))
}

async fn counts(db: &D1Database, sql: String, binds: Vec<JsValue>, label: fn(&str) -> String) -> Result<Vec<Count>, ApiError> {
    let rows: Vec<Keyed> = db.prepare(sql).bind(&binds)?.rows().await?;
    Ok(rows.into_iter().map(|r| r.count(label)).collect())
}

/// Cases received in the period.
pub async fn referrals(db: &D1Database, scope: &Visible, period: &Period) -> Result<u32, ApiError> {
    let (from, to) = bounds(period);
    let (clause, n) = (&scope.clause, scope.binds.len());
    let (f, t) = (n + 1, n + 2);
    number(
        db,
        format!("SELECT count(*) AS n FROM cases c WHERE {clause} AND substr(c.received_at, 1, 10) BETWEEN ?{f} AND ?{t}"),
        binds(scope, &[&from, &to]),
    )
    .await
}

/// Cases notified to the national panel in the period, each once however often corrected.
pub async fn notified(db: &D1Database, scope: &Visible, period: &Period) -> Result<u32, ApiError> {
    let (from, to) = bounds(period);
    let (clause, n) = (&scope.clause, scope.binds.len());
    let (f, t) = (n + 1, n + 2);
    number(
        db,
        format!(
            "SELECT count(DISTINCT e.case_id) AS n FROM case_events e JOIN cases c ON c.id = e.case_id \
             WHERE {clause} AND e.kind = 'notified' AND e.superseded_by IS NULL AND e.occurred_on BETWEEN ?{f} AND ?{t}"
        ),
        binds(scope, &[&from, &to]),
    )
    .await
}

/// Rapid review outcomes decided in the period, most frequent first.
pub async fn outcomes(db: &D1Database, scope: &Visible, period: &Period) -> Result<Vec<Count>, ApiError> {
    let (from, to) = bounds(period);
    let (clause, n) = (&scope.clause, scope.binds.len());
    let (f, t) = (n + 1, n + 2);
    counts(
        db,
        format!(
            "SELECT d.outcome AS key, count(*) AS n FROM decisions d JOIN cases c ON c.id = d.case_id \
             WHERE {clause} AND d.kind = 'rapid_review_outcome' AND substr(d.decided_at, 1, 10) BETWEEN ?{f} AND ?{t} \
             GROUP BY d.outcome ORDER BY n DESC, key"
        ),
        binds(scope, &[&from, &to]),
        outcome_label,
    )
    .await
}

/// The themes of the cases received in the period, most frequent first.
pub async fn themes(db: &D1Database, scope: &Visible, period: &Period) -> Result<Vec<Count>, ApiError> {
    let (from, to) = bounds(period);
    let (clause, n) = (&scope.clause, scope.binds.len());
    let (f, t) = (n + 1, n + 2);
    counts(
        db,
        format!(
            "SELECT j.value AS key, count(*) AS n FROM cases c, json_each(c.themes) j \
             WHERE {clause} AND substr(c.received_at, 1, 10) BETWEEN ?{f} AND ?{t} GROUP BY j.value ORDER BY n DESC, key"
        ),
        binds(scope, &[&from, &to]),
        theme_label,
    )
    .await
}

/// Actions not complete, whatever the period: what is open now.
pub async fn open_actions(db: &D1Database, scope: &Visible) -> Result<u32, ApiError> {
    let clause = &scope.clause;
    number(db, format!("SELECT count(*) AS n FROM actions x JOIN cases c ON c.id = x.case_id WHERE {clause} AND x.status <> 'complete'"), binds(scope, &[])).await
}

/// Actions not complete and past their due date on `today`.
pub async fn overdue_actions(db: &D1Database, scope: &Visible, today: NaiveDate) -> Result<u32, ApiError> {
    let today = today.to_string();
    let (clause, n) = (&scope.clause, scope.binds.len());
    let f = n + 1;
    number(
        db,
        format!("SELECT count(*) AS n FROM actions x JOIN cases c ON c.id = x.case_id WHERE {clause} AND x.status <> 'complete' AND x.due_on < ?{f}"),
        binds(scope, &[&today]),
    )
    .await
}

/// How one step fell due in the period: on time, and overdue on `today`.
pub async fn timeliness(db: &D1Database, scope: &Visible, step: &str, period: &Period, today: NaiveDate) -> Result<Timeliness, ApiError> {
    let ((from, to), today) = (bounds(period), today.to_string());
    let n = scope.binds.len();
    let (s, f, t, d) = (n + 1, n + 2, n + 3, n + 4);
    // Judged on the original due date: an extension keeps it for reporting. A step
    // counts once it is done or past due; one still running is not yet a figure,
    // and one that does not apply (a route ruled out, a case closed) never is.
    let sql = format!(
        "SELECT count(*) AS due, \
                sum(CASE WHEN x.done_on IS NOT NULL AND x.done_on <= x.original_due THEN 1 ELSE 0 END) AS on_time, \
                sum(CASE WHEN x.done_on IS NULL AND x.original_due < ?{d} THEN 1 ELSE 0 END) AS overdue \
         FROM deadlines x JOIN cases c ON c.id = x.case_id \
         WHERE {clause} AND x.step_key = ?{s} AND x.not_applicable IS NULL AND x.original_due BETWEEN ?{f} AND ?{t} AND (x.done_on IS NOT NULL OR x.original_due < ?{d})",
        clause = scope.clause
    );
    let row = db.prepare(sql).bind(&binds(scope, &[step, &from, &to, &today]))?.row::<Judged>().await?;
    Ok(row.map_or_else(Timeliness::default, Judged::timeliness))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_with_nothing_on_time_or_overdue_counts_zero_of_each_not_a_failure() {
        let judged = Judged { due: 3.0, on_time: None, overdue: None }.timeliness();
        assert_eq!((judged.due, judged.on_time, judged.overdue), (3, 0, 0));
        let judged = Judged { due: 5.0, on_time: Some(4.0), overdue: Some(1.0) }.timeliness();
        assert_eq!((judged.due, judged.on_time, judged.overdue), (5, 4, 1));
    }

    #[test]
    fn a_count_keeps_its_key_and_takes_the_domains_label() {
        let count = Keyed { key: "neglect".into(), n: 2.0 }.count(theme_label);
        assert_eq!(count.key, "neglect");
        assert_eq!(count.label, "Neglect");
        assert_eq!(count.count, 2);
    }

    #[test]
    fn the_period_is_compared_as_iso_dates() {
        let period = Period { from: NaiveDate::from_ymd_opt(2025, 12, 1).unwrap(), to: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap() };
        assert_eq!(bounds(&period), ("2025-12-01".to_string(), "2026-11-30".to_string()));
    }
}
