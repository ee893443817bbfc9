//! Every sealed column, where its rows' partnership is found, and the two
//! statements the daily job needs to bring each value to the current seal:
//! find values not yet `v2.` (in clear, or `v1.`), and replace one only if
//! it is still what was read. Handlers name a value's place with
//! [`Column::at`], so the place a value is sealed to is written once here.

use serde::Deserialize;
use worker::{D1Database, D1PreparedStatement};

use crate::db::Query;
use crate::http::error::ApiError;
use crate::platform::sealed::Place;

pub struct Column {
    pub table: &'static str,
    pub column: &'static str,
    /// The row's key column.
    key: &'static str,
    /// How a row reaches its partnership (`t` is the row).
    partnership: &'static str,
}

impl Column {
    /// The place of this column's value in one row.
    pub fn at<'a>(&self, row: &'a str) -> Place<'a> {
        Place::of(self.table, self.column, row)
    }
}

const VIA_CASE: &str = "(SELECT c.partnership_id FROM cases c WHERE c.id = t.case_id)";

const fn on_case(table: &'static str, column: &'static str, key: &'static str) -> Column {
    Column { table, column, key, partnership: VIA_CASE }
}

pub const PERSONAL_DATA: Column = Column { table: "cases", column: "personal_data", key: "id", partnership: "t.partnership_id" };
pub const EVENT_NOTE: Column = on_case("case_events", "note_sealed", "id");
pub const CHRONOLOGY_ENTRY: Column = on_case("chronology_entries", "entry_sealed", "id");
pub const MEETING_NOTES: Column = on_case("meetings", "notes_sealed", "id");
pub const FAMILY_ENGAGEMENT: Column = on_case("family_engagement", "entry_sealed", "id");
pub const EPISODE_TITLE: Column = on_case("key_practice_episodes", "title_sealed", "id");
pub const EPISODE_ANALYSIS: Column = on_case("key_practice_episodes", "analysis_sealed", "id");
pub const REPORT_WRITE_UP: Column = on_case("rapid_review_reports", "write_up_sealed", "case_id");
pub const DECISION_RATIONALE: Column = on_case("decisions", "rationale", "id");
pub const DECISION_ANSWERS: Column = on_case("decisions", "answers", "id");
pub const TERMS_OF_REFERENCE: Column = on_case("reviews", "terms_of_reference", "case_id");
pub const LINES_OF_ENQUIRY: Column = on_case("reviews", "key_lines_of_enquiry", "case_id");

pub const ALL: [&Column; 12] = [
    &PERSONAL_DATA,
    &EVENT_NOTE,
    &CHRONOLOGY_ENTRY,
    &MEETING_NOTES,
    &FAMILY_ENGAGEMENT,
    &EPISODE_TITLE,
    &EPISODE_ANALYSIS,
    &REPORT_WRITE_UP,
    &DECISION_RATIONALE,
    &DECISION_ANSWERS,
    &TERMS_OF_REFERENCE,
    &LINES_OF_ENQUIRY,
];

/// A stored value not yet under the current seal.
#[derive(Deserialize)]
pub struct Stale {
    pub row: String,
    pub partnership_id: String,
    pub value: String,
}

pub async fn stale(db: &D1Database, c: &Column, limit: u32) -> Result<Vec<Stale>, ApiError> {
    db.prepare(format!(
        "SELECT t.{key} AS row, {partnership} AS partnership_id, t.{column} AS value FROM {table} t \
         WHERE t.{column} IS NOT NULL AND substr(t.{column}, 1, 3) <> 'v2.' LIMIT ?1",
        key = c.key,
        partnership = c.partnership,
        column = c.column,
        table = c.table,
    ))
    .bind(&[limit.into()])?
    .rows()
    .await
}

/// Replaces the value read with its resealed form, only if it has not changed since.
pub fn replace(db: &D1Database, c: &Column, read: &Stale, resealed: String) -> Result<D1PreparedStatement, ApiError> {
    Ok(db
        .prepare(format!("UPDATE {table} SET {column} = ?1 WHERE {key} = ?2 AND {column} = ?3", table = c.table, column = c.column, key = c.key))
        .bind(&[resealed.into(), read.row.as_str().into(), read.value.as_str().into()])?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sealed_column_is_listed_once() {
        let mut places: Vec<(&str, &str)> = ALL.iter().map(|c| (c.table, c.column)).collect();
        places.sort();
        places.dedup();
        assert_eq!(places.len(), ALL.len());
        let migrations: String = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../migrations"))
            .unwrap()
            .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
            .collect();
        for column in migrations.split(|c: char| !(c.is_alphanumeric() || c == '_')).filter(|w| w.ends_with("_sealed") && !w.starts_with('_')) {
            assert!(ALL.iter().any(|c| c.column == column), "{column} is sealed but not listed");
        }
    }
}
