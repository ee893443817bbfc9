//! How the app writes dates for people and reads which day it is for them,
//! kept in one place so every screen says "24 November 2026" the same way
//! and no page has to borrow a helper from another.

use chrono::NaiveDate;
use domain::date_input::DateParts;

/// Today where the person is: the device's local date, as the forms mean it.
pub fn today_on_this_device() -> NaiveDate {
    let now = js_sys::Date::new_0();
    NaiveDate::from_ymd_opt(now.get_full_year() as i32, now.get_month() + 1, now.get_date()).unwrap_or_default()
}

/// A date as people read it: 24 November 2026.
pub fn long_date_of(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

/// `2026-11-24` as people read it: 24 November 2026. Anything that is not an
/// ISO date is shown as it came, rather than hidden.
pub fn long_date(iso: &str) -> String {
    domain::date_input::parse_iso_date(iso).map(long_date_of).unwrap_or_else(|_| iso.to_string())
}

/// A date that may not be known yet, such as a child's date of birth.
pub fn long_date_or_not_known(date: Option<NaiveDate>) -> String {
    date.map(long_date_of).unwrap_or_else(|| "Not known".into())
}

/// The three date boxes as the API takes them: empty when left blank, and
/// "invalid" when they make no date, so the API rejects them with its own
/// message instead of taking the date as not given.
pub fn iso(parts: &DateParts) -> String {
    if parts.is_blank() { String::new() } else { parts.parse().map(|d| d.to_string()).unwrap_or_else(|_| "invalid".into()) }
}
