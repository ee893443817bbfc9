//! UK time (Europe/London) for deadlines counted in hours: stored in UTC,
//! shown in UK time. British Summer Time runs from 01:00 UTC on the last
//! Sunday of March to 01:00 UTC on the last Sunday of October (the rule in
//! force since 1996), so no time-zone database is needed in the browser.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

fn last_sunday(year: i32, month: u32) -> NaiveDate {
    let first_of_next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    }
    .expect("a real month");
    let last = first_of_next.pred_opt().expect("a real day");
    let back = last.weekday().num_days_from_sunday();
    last - Duration::days(back as i64)
}

/// The instants BST starts and ends in `year`, in UTC.
pub fn summer_time(year: i32) -> (DateTime<Utc>, DateTime<Utc>) {
    let one_am = NaiveTime::from_hms_opt(1, 0, 0).expect("01:00");
    (
        Utc.from_utc_datetime(&last_sunday(year, 3).and_time(one_am)),
        Utc.from_utc_datetime(&last_sunday(year, 10).and_time(one_am)),
    )
}

pub fn is_summer_time(instant: DateTime<Utc>) -> bool {
    let (starts, ends) = summer_time(instant.year());
    instant >= starts && instant < ends
}

/// The UK wall-clock time of an instant, and "GMT" or "BST".
pub fn to_uk(instant: DateTime<Utc>) -> (NaiveDateTime, &'static str) {
    if is_summer_time(instant) {
        (instant.naive_utc() + Duration::hours(1), "BST")
    } else {
        (instant.naive_utc(), "GMT")
    }
}

/// Today's date in the UK at an instant: where the statutory clocks run.
pub fn uk_date(instant: DateTime<Utc>) -> NaiveDate {
    to_uk(instant).0.date()
}

/// The instant a UK wall-clock time names. In the hour that repeats when the
/// clocks go back, the first (BST) occurrence is taken; in the hour skipped
/// when they go forward, the time is read as GMT (it is an hour later on the clock).
pub fn from_uk(local: NaiveDateTime) -> DateTime<Utc> {
    let as_bst = Utc.from_utc_datetime(&(local - Duration::hours(1)));
    if is_summer_time(as_bst) { as_bst } else { Utc.from_utc_datetime(&local) }
}

/// "Tuesday 5 January 2027, 14:30 GMT".
pub fn format_uk(instant: DateTime<Utc>) -> String {
    let (local, zone) = to_uk(instant);
    format!("{}, {} {zone}", local.format("%A %-d %B %Y"), local.format("%H:%M"))
}

/// An exact deadline N hours after an instant (24, 48 or 72 hours): hours are
/// elapsed time, so a clock change does not stretch or shrink them.
/// A time of day typed on a form ("14:30", "9.05", blank) on `date`, UK
/// time, as the RFC 3339 UTC instant the API takes; blank is no time.
pub fn parse_uk_time_of_day(date: NaiveDate, raw: &str) -> Result<Option<String>, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let problem = || "Enter the time as hours and minutes in the 24-hour clock, for example 14:30".to_string();
    let (h, m) = raw.split_once([':', '.']).ok_or_else(problem)?;
    let (h, m): (u32, u32) = (h.trim().parse().map_err(|_| problem())?, m.trim().parse().map_err(|_| problem())?);
    let time = chrono::NaiveTime::from_hms_opt(h, m, 0).filter(|_| m < 60).ok_or_else(problem)?;
    Ok(Some(from_uk(date.and_time(time)).to_rfc3339()))
}

pub fn hours_after(instant: DateTime<Utc>, hours: u32) -> DateTime<Utc> {
    instant + Duration::hours(hours as i64)
}


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_time_of_day_typed_on_a_form() {
        let day = NaiveDate::from_ymd_opt(2026, 7, 1).unwrap();
        assert_eq!(parse_uk_time_of_day(day, " 14:30 ").unwrap().as_deref(), Some("2026-07-01T13:30:00+00:00"), "BST");
        assert_eq!(parse_uk_time_of_day(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(), "9.05").unwrap().as_deref(), Some("2026-12-01T09:05:00+00:00"));
        assert_eq!(parse_uk_time_of_day(day, "").unwrap(), None);
        for bad in ["25:00", "14", "2pm", "12:60"] {
            assert!(parse_uk_time_of_day(day, bad).is_err(), "{bad}");
        }
    }

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    #[test]
    fn summer_time_2026_and_2027() {
        assert_eq!(summer_time(2026), (utc(2026, 3, 29, 1, 0), utc(2026, 10, 25, 1, 0)));
        assert_eq!(summer_time(2027), (utc(2027, 3, 28, 1, 0), utc(2027, 10, 31, 1, 0)));
        assert!(!is_summer_time(utc(2026, 3, 29, 0, 59)));
        assert!(is_summer_time(utc(2026, 3, 29, 1, 0)));
        assert!(is_summer_time(utc(2026, 10, 25, 0, 59)));
        assert!(!is_summer_time(utc(2026, 10, 25, 1, 0)));
    }

    #[test]
    fn shown_in_uk_time() {
        assert_eq!(format_uk(utc(2027, 1, 5, 14, 30)), "Tuesday 5 January 2027, 14:30 GMT");
        assert_eq!(format_uk(utc(2026, 7, 1, 23, 30)), "Thursday 2 July 2026, 00:30 BST");
        assert_eq!(uk_date(utc(2026, 7, 1, 23, 30)), NaiveDate::from_ymd_opt(2026, 7, 2).unwrap());
    }

    #[test]
    fn wall_clock_times_round_trip() {
        let local = |y, m, d, h, min| NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, min, 0).unwrap();
        assert_eq!(from_uk(local(2026, 7, 1, 9, 0)), utc(2026, 7, 1, 8, 0));
        assert_eq!(from_uk(local(2026, 12, 1, 9, 0)), utc(2026, 12, 1, 9, 0));
        // 01:30 on 25 October 2026 happens twice: the BST one first.
        assert_eq!(from_uk(local(2026, 10, 25, 1, 30)), utc(2026, 10, 25, 0, 30));
        for instant in [utc(2026, 3, 29, 0, 59), utc(2026, 3, 29, 1, 0), utc(2026, 6, 1, 12, 0), utc(2026, 10, 25, 2, 0)] {
            assert_eq!(from_uk(to_uk(instant).0), instant);
        }
    }

    #[test]
    fn hours_are_elapsed_time_across_a_clock_change() {
        // 72 hours from Friday 23 October 2026 10:00 BST: the clocks go back on Sunday.
        let start = from_uk(NaiveDate::from_ymd_opt(2026, 10, 23).unwrap().and_hms_opt(10, 0, 0).unwrap());
        let due = hours_after(start, 72);
        assert_eq!(format_uk(due), "Monday 26 October 2026, 09:00 GMT");
    }
}
