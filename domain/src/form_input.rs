//! Answers as people type them into forms and the API receives them: text
//! trimmed (blank is no answer), bounded in length, required or optional, and
//! dates that must not be in the future. Every problem is pushed against the
//! field it concerns.

use chrono::NaiveDate;

use crate::date_input::parse_iso_date;
use crate::field_error::FieldErrors;

/// One of a closed list, by its wire name (a select's or radio's value):
/// `None` for a blank or unknown choice, which the parser then names.
pub fn choice<T: serde::de::DeserializeOwned>(raw: &str) -> Option<T> {
    let raw = raw.trim();
    if raw.is_empty() { None } else { serde_json::from_value(serde_json::Value::String(raw.into())).ok() }
}

pub fn text(raw: &Option<String>) -> Option<String> {
    raw.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

fn too_long(e: &mut FieldErrors, field: &str, value: &str, max: usize) -> bool {
    let long = value.chars().count() > max;
    if long {
        e.push(field, format!("Must be {max} characters or fewer"));
    }
    long
}

pub fn required(e: &mut FieldErrors, field: &str, raw: &Option<String>, missing: &str, max: usize) -> Option<String> {
    match text(raw) {
        None => {
            e.push(field, missing);
            None
        }
        Some(value) if too_long(e, field, &value, max) => None,
        Some(value) => Some(value),
    }
}

pub fn optional(e: &mut FieldErrors, field: &str, raw: &Option<String>, max: usize) -> Option<String> {
    text(raw).filter(|value| !too_long(e, field, value, max))
}

pub fn past_date(
    e: &mut FieldErrors,
    field: &str,
    label: &str,
    raw: &Option<String>,
    today: NaiveDate,
    is_required: bool,
) -> Option<NaiveDate> {
    let raw = raw.as_deref().unwrap_or("");
    if raw.trim().is_empty() && !is_required {
        return None;
    }
    match parse_iso_date(raw) {
        Ok(date) if date > today => {
            e.push(field, format!("The {label} must be today or in the past"));
            None
        }
        Ok(date) => Some(date),
        Err(problem) => {
            e.push(field, problem.message(label));
            None
        }
    }
}
