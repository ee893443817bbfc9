//! The only place the worker reads the time: the domain takes "today" as a value.

use chrono::{DateTime, NaiveDate, Utc};

pub fn now() -> DateTime<Utc> {
    let millis = worker::Date::now().as_millis() as i64;
    DateTime::from_timestamp_millis(millis).unwrap_or_default()
}

/// Today's date in the UK, where the statutory clocks run.
pub fn today_in_uk() -> NaiveDate {
    now().date_naive()
}
