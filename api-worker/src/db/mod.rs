//! Every SQL statement of the worker, one module per record, with the row
//! types D1 returns and their mapping to the domain's types. Handlers call
//! these functions and never write SQL; the audit entry and the version guard
//! are one mechanism each, shared by every write.

pub mod action_plans;
pub mod audit;
pub mod cases;
pub mod deadlines;
pub mod decisions;
pub mod documents;
pub mod figures;
pub mod idempotency;
pub mod information_requests;
pub mod meetings;
pub mod messages;
pub mod my_work;
pub mod partnership;
pub mod people;
pub mod rapid_review_report;
pub mod reviews;
pub mod settings;
pub mod timeline;
pub mod version;

use wasm_bindgen::JsValue;

/// An optional text as a bound parameter (`NULL` when absent).
pub fn text(value: Option<&str>) -> JsValue {
    value.map_or(JsValue::NULL, JsValue::from)
}

/// A yes/no as SQLite stores it.
pub fn flag(value: bool) -> JsValue {
    JsValue::from(if value { "1" } else { "0" })
}
