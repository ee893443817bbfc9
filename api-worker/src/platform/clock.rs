//! The only place the worker reads the time: the domain takes "today" as a value.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};

pub fn now() -> DateTime<Utc> {
    let millis = worker::Date::now().as_millis() as i64;
    DateTime::from_timestamp_millis(millis).unwrap_or_default()
}

pub fn now_rfc3339() -> String {
    now().to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Today's date in the UK, where the statutory clocks run.
pub fn today_in_uk() -> NaiveDate {
    domain::uk_time::uk_date(now())
}
