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
pub mod sealing;
pub mod reviews;
pub mod sessions;
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

/// Reading rows as the domain's types: D1's calls, with its errors as the API's.
pub trait Query {
    /// Every row the statement returns.
    async fn rows<T: serde::de::DeserializeOwned>(self) -> Result<Vec<T>, crate::http::error::ApiError>;
    /// The first row, if there is one.
    async fn row<T: serde::de::DeserializeOwned>(self) -> Result<Option<T>, crate::http::error::ApiError>;
}

impl Query for worker::D1PreparedStatement {
    async fn rows<T: serde::de::DeserializeOwned>(self) -> Result<Vec<T>, crate::http::error::ApiError> {
        Ok(self.all().await?.results()?)
    }

    async fn row<T: serde::de::DeserializeOwned>(self) -> Result<Option<T>, crate::http::error::ApiError> {
        Ok(self.first::<T>(None).await?)
    }
}
