//! Working days in England and Wales: Monday to Friday except bank holidays
//! (the gov.uk list, substitute days included) and any closure days a
//! partnership adds. Statutory timescales are counted here, so a date outside
//! the years the bank-holiday data covers is an error, never a guess.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// The gov.uk `bank-holidays.json` shipped with the product. A newer file in
/// the same format replaces it without a code change (`from_gov_uk_json`).
pub const ENGLAND_AND_WALES_JSON: &str = include_str!("../data/bank-holidays-england-and-wales.json");

/// How an offset is counted from its anchor date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// "Within N working days of X": the Nth working day after X, X not counted.
    WorkingDaysAfter,
    /// "At least N working days before Y": the Nth working day before Y.
    WorkingDaysBefore,
    /// Kirklees "by Day N": Day 1 is the start if a working day, else the next one.
    DayNumber,
    CalendarDays,
    Weeks,
    /// Same day of the month, clamped to the month's last day.
    Months,
}

impl Unit {
    pub const ALL: [Unit; 6] =
        [Unit::WorkingDaysAfter, Unit::WorkingDaysBefore, Unit::DayNumber, Unit::CalendarDays, Unit::Weeks, Unit::Months];

    pub fn as_str(self) -> &'static str {
        match self {
            Unit::WorkingDaysAfter => "working_days_after",
            Unit::WorkingDaysBefore => "working_days_before",
            Unit::DayNumber => "day_number",
            Unit::CalendarDays => "calendar_days",
            Unit::Weeks => "weeks",
            Unit::Months => "months",
        }
    }

    pub fn parse(raw: &str) -> Option<Unit> {
        Unit::ALL.into_iter().find(|u| u.as_str() == raw)
    }

    /// Whether counting in this unit needs the bank-holiday data.
    pub fn counts_working_days(self) -> bool {
        matches!(self, Unit::WorkingDaysAfter | Unit::WorkingDaysBefore | Unit::DayNumber)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CalendarError {
    /// The bank holidays of this date's year are not in the data: counting
    /// working days through it could be silently wrong.
    OutsideCoveredYears { date: NaiveDate, first_year: i32, last_year: i32 },
    /// "Day 0" does not exist: Day 1 is the start.
    DayNumberStartsAtOne,
    /// The result would fall outside the dates the calendar can represent.
    OutOfRange,
}

impl std::fmt::Display for CalendarError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CalendarError::OutsideCoveredYears { date, first_year, last_year } => write!(
                f,
                "{date} is outside the years the bank holiday calendar covers ({first_year} to {last_year}); \
                 load a newer gov.uk bank-holidays.json"
            ),
            CalendarError::DayNumberStartsAtOne => f.write_str("Day numbers start at Day 1"),
            CalendarError::OutOfRange => f.write_str("The date is too far away to count"),
        }
    }
}

impl std::error::Error for CalendarError {}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CalendarDataError {
    NotGovUkFormat(String),
    BadDate(String),
    NoEvents,
}

impl std::fmt::Display for CalendarDataError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CalendarDataError::NotGovUkFormat(why) => {
                write!(f, "Not a gov.uk bank-holidays.json with an england-and-wales division: {why}")
            }
            CalendarDataError::BadDate(raw) => write!(f, "The bank holiday date {raw:?} is not YYYY-MM-DD"),
            CalendarDataError::NoEvents => f.write_str("The england-and-wales division lists no bank holidays"),
        }
    }
}

impl std::error::Error for CalendarDataError {}

#[derive(Deserialize)]
struct GovUkFile {
    #[serde(rename = "england-and-wales")]
    england_and_wales: GovUkDivision,
}

#[derive(Deserialize)]
struct GovUkDivision {
    events: Vec<GovUkEvent>,
}

#[derive(Deserialize)]
struct GovUkEvent {
    date: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    bank_holidays: BTreeSet<NaiveDate>,
    closures: BTreeSet<NaiveDate>,
    first_year: i32,
    last_year: i32,
}

impl Calendar {
    /// The shipped England and Wales calendar, parsed once.
    pub fn england_and_wales() -> &'static Calendar {
        static CALENDAR: OnceLock<Calendar> = OnceLock::new();
        CALENDAR.get_or_init(|| {
            Calendar::from_gov_uk_json(ENGLAND_AND_WALES_JSON).expect("the shipped bank-holidays.json is valid")
        })
    }

    /// Reads a gov.uk `bank-holidays.json` (its `england-and-wales` division).
    /// The covered years run from the first to the last year with an event.
    pub fn from_gov_uk_json(json: &str) -> Result<Calendar, CalendarDataError> {
        let file: GovUkFile =
            serde_json::from_str(json).map_err(|e| CalendarDataError::NotGovUkFormat(e.to_string()))?;
        let mut bank_holidays = BTreeSet::new();
        for event in file.england_and_wales.events {
            let date = crate::date_input::parse_iso_date(&event.date)
                .map_err(|_| CalendarDataError::BadDate(event.date.clone()))?;
            bank_holidays.insert(date);
        }
        let (Some(first), Some(last)) = (bank_holidays.first(), bank_holidays.last()) else {
            return Err(CalendarDataError::NoEvents);
        };
        let (first_year, last_year) = (first.year(), last.year());
        Ok(Calendar { bank_holidays, closures: BTreeSet::new(), first_year, last_year })
    }

    /// This calendar with a partnership's own closure days added.
    pub fn with_closure_days(&self, days: impl IntoIterator<Item = NaiveDate>) -> Calendar {
        let mut calendar = self.clone();
        calendar.closures.extend(days);
        calendar
    }

    pub fn covered_years(&self) -> (i32, i32) {
        (self.first_year, self.last_year)
    }

    pub fn is_bank_holiday(&self, date: NaiveDate) -> bool {
        self.bank_holidays.contains(&date)
    }

    fn check(&self, date: NaiveDate) -> Result<(), CalendarError> {
        if (self.first_year..=self.last_year).contains(&date.year()) {
            Ok(())
        } else {
            Err(CalendarError::OutsideCoveredYears { date, first_year: self.first_year, last_year: self.last_year })
        }
    }

    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        self.check(date)?;
        Ok(!matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
            && !self.bank_holidays.contains(&date)
            && !self.closures.contains(&date))
    }

    fn step(date: NaiveDate, forward: bool) -> Result<NaiveDate, CalendarError> {
        let next = if forward { date.succ_opt() } else { date.pred_opt() };
        next.ok_or(CalendarError::OutOfRange)
    }

    /// The Nth working day after `date` (`date` itself not counted). N = 0 is `date`.
    pub fn working_days_after(&self, date: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        self.count(date, n, true)
    }

    /// The Nth working day before `date` (`date` itself not counted). N = 0 is `date`.
    pub fn working_days_before(&self, date: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        self.count(date, n, false)
    }

    fn count(&self, date: NaiveDate, n: u32, forward: bool) -> Result<NaiveDate, CalendarError> {
        self.check(date)?;
        let mut current = date;
        let mut left = n;
        while left > 0 {
            current = Self::step(current, forward)?;
            if self.is_working_day(current)? {
                left -= 1;
            }
        }
        Ok(current)
    }

    /// Kirklees "Day N": Day 1 is `start` if it is a working day, else the
    /// next working day; Day N is the (N−1)th working day after Day 1.
    pub fn day_number(&self, start: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        if n == 0 {
            return Err(CalendarError::DayNumberStartsAtOne);
        }
        let mut day_one = start;
        while !self.is_working_day(day_one)? {
            day_one = Self::step(day_one, true)?;
        }
        self.working_days_after(day_one, n - 1)
    }

    /// Working days from `from` to `to`: those after `from` up to and
    /// including `to`; negative when `to` is before `from`. The countdown of a
    /// deadline: 0 on the day it is due.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> Result<i64, CalendarError> {
        self.check(from)?;
        self.check(to)?;
        let (low, high, sign) = if from <= to { (from, to, 1) } else { (to, from, -1) };
        let mut count = 0i64;
        let mut current = low;
        while current < high {
            current = Self::step(current, true)?;
            if self.is_working_day(current)? {
                count += 1;
            }
        }
        Ok(sign * count)
    }

    /// The date N units from `from`, in any unit.
    pub fn due(&self, from: NaiveDate, n: u32, unit: Unit) -> Result<NaiveDate, CalendarError> {
        match unit {
            Unit::WorkingDaysAfter => self.working_days_after(from, n),
            Unit::WorkingDaysBefore => self.working_days_before(from, n),
            Unit::DayNumber => self.day_number(from, n),
            Unit::CalendarDays => from.checked_add_days(Days::new(n as u64)).ok_or(CalendarError::OutOfRange),
            Unit::Weeks => from.checked_add_days(Days::new(n as u64 * 7)).ok_or(CalendarError::OutOfRange),
            Unit::Months => add_months(from, n).ok_or(CalendarError::OutOfRange),
        }
    }
}

/// A question to the public calendar endpoint: the date N units from a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueQuery {
    pub from: NaiveDate,
    pub n: u32,
    pub unit: Unit,
}

/// Large enough for any statutory timescale (6 months is about 130 working days).
pub const MAX_N: u32 = 1000;

impl DueQuery {
    /// Parses `from`, `n` and `unit` from query-string pairs, naming each bad one.
    pub fn parse<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<DueQuery, crate::FieldErrors> {
        let (mut from, mut n, mut unit) = (None, None, None);
        for (key, value) in pairs {
            match key {
                "from" => from = Some(value),
                "n" => n = Some(value),
                "unit" => unit = Some(value),
                _ => {}
            }
        }
        let mut e = crate::FieldErrors::default();
        let from = match crate::date_input::parse_iso_date(from.unwrap_or("")) {
            Ok(date) => Some(date),
            Err(problem) => {
                e.push("from", problem.message("start date"));
                None
            }
        };
        let n = match n.map(str::trim) {
            None | Some("") => {
                e.push("n", "Enter how many units to count, for example 5");
                None
            }
            Some(raw) => match raw.parse::<i64>() {
                Ok(v) if v < 0 => {
                    e.push("n", "The number to count must be 0 or more");
                    None
                }
                Ok(v) if v > MAX_N as i64 => {
                    e.push("n", format!("The number to count must be {MAX_N} or less"));
                    None
                }
                Ok(v) => Some(v as u32),
                Err(_) => {
                    e.push("n", "The number to count must be a whole number, for example 5");
                    None
                }
            },
        };
        let unit = match unit.map(str::trim) {
            None | Some("") => {
                e.push("unit", "Enter a unit");
                None
            }
            Some(raw) => match Unit::parse(raw) {
                Some(unit) => Some(unit),
                None => {
                    let names: Vec<&str> = Unit::ALL.iter().map(|u| u.as_str()).collect();
                    e.push("unit", format!("The unit must be one of {}", names.join(", ")));
                    None
                }
            },
        };
        match (from, n, unit) {
            (Some(from), Some(n), Some(unit)) => Ok(DueQuery { from, n, unit }),
            _ => Err(e),
        }
    }
}

/// Same day of the month N months on, clamped to that month's last day
/// (31 August + 6 months = the last day of February).
pub fn add_months(date: NaiveDate, n: u32) -> Option<NaiveDate> {
    date.checked_add_months(Months::new(n))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn cal() -> &'static Calendar {
        Calendar::england_and_wales()
    }

    #[test]
    fn the_shipped_data_covers_2018_to_2028() {
        assert_eq!(cal().covered_years(), (2018, 2028));
    }

    #[test]
    fn christmas_2026_with_the_boxing_day_substitute() {
        // Boxing Day 2026 is a Saturday, so Monday 28 December is the bank holiday.
        assert!(cal().is_bank_holiday(d(2026, 12, 25)));
        assert!(cal().is_bank_holiday(d(2026, 12, 28)));
        assert!(!cal().is_working_day(d(2026, 12, 26)).unwrap());
        assert!(cal().is_working_day(d(2026, 12, 29)).unwrap());
        // SPEC.md's own example: aware Thursday 24 December 2026 + 5 working days.
        assert_eq!(cal().working_days_after(d(2026, 12, 24), 5).unwrap(), d(2027, 1, 5));
        assert!(cal().is_bank_holiday(d(2027, 1, 1)));
        assert_eq!(cal().working_days_after(d(2026, 12, 24), 1).unwrap(), d(2026, 12, 29));
        assert_eq!(cal().working_days_after(d(2026, 12, 24), 15).unwrap(), d(2027, 1, 19));
    }

    #[test]
    fn easter_2027() {
        assert!(cal().is_bank_holiday(d(2027, 3, 26)), "Good Friday");
        assert!(cal().is_bank_holiday(d(2027, 3, 29)), "Easter Monday");
        assert_eq!(cal().working_days_after(d(2027, 3, 25), 1).unwrap(), d(2027, 3, 30));
        assert_eq!(cal().working_days_before(d(2027, 3, 30), 1).unwrap(), d(2027, 3, 25));
        assert_eq!(cal().working_days_before(d(2027, 4, 6), 7).unwrap(), d(2027, 3, 24));
    }

    #[test]
    fn the_one_off_holidays_of_2022_and_2023() {
        for (date, what) in [
            (d(2022, 6, 2), "spring bank holiday moved"),
            (d(2022, 6, 3), "platinum jubilee"),
            (d(2022, 9, 19), "state funeral"),
            (d(2023, 5, 8), "coronation"),
        ] {
            assert!(cal().is_bank_holiday(date), "{what}");
            assert!(!cal().is_working_day(date).unwrap(), "{what}");
        }
        assert!(!cal().is_bank_holiday(d(2022, 5, 30)), "the usual spring date was not a holiday in 2022");
        assert_eq!(cal().working_days_after(d(2022, 6, 1), 1).unwrap(), d(2022, 6, 6));
    }

    #[test]
    fn closure_days_are_not_working_days() {
        let closed = cal().with_closure_days([d(2026, 12, 29), d(2026, 12, 30), d(2026, 12, 31)]);
        assert_eq!(closed.working_days_after(d(2026, 12, 24), 5).unwrap(), d(2027, 1, 8));
        assert!(cal().is_working_day(d(2026, 12, 29)).unwrap(), "the shared calendar is unchanged");
    }

    #[test]
    fn kirklees_day_numbers() {
        // Day 1 is the start when it is a working day.
        assert_eq!(cal().day_number(d(2026, 11, 24), 1).unwrap(), d(2026, 11, 24));
        assert_eq!(cal().day_number(d(2026, 11, 24), 5).unwrap(), d(2026, 11, 30));
        // A Saturday start: Day 1 is Monday.
        assert_eq!(cal().day_number(d(2026, 11, 28), 1).unwrap(), d(2026, 11, 30));
        assert_eq!(cal().day_number(d(2026, 11, 28), 14).unwrap(), d(2026, 12, 17));
        // Christmas Day start: Day 1 is Tuesday 29 December.
        assert_eq!(cal().day_number(d(2026, 12, 25), 1).unwrap(), d(2026, 12, 29));
        assert_eq!(cal().day_number(d(2026, 11, 24), 0), Err(CalendarError::DayNumberStartsAtOne));
    }

    #[test]
    fn months_clamp_to_the_month_end_and_know_leap_years() {
        assert_eq!(cal().due(d(2026, 8, 31), 6, Unit::Months).unwrap(), d(2027, 2, 28));
        assert_eq!(cal().due(d(2027, 8, 31), 6, Unit::Months).unwrap(), d(2028, 2, 29));
        assert_eq!(cal().due(d(2028, 2, 29), 12, Unit::Months).unwrap(), d(2029, 2, 28));
        assert_eq!(cal().due(d(2026, 1, 31), 1, Unit::Months).unwrap(), d(2026, 2, 28));
        assert_eq!(cal().due(d(2026, 11, 24), 12, Unit::Weeks).unwrap(), d(2027, 2, 16));
        assert_eq!(cal().due(d(2026, 11, 24), 30, Unit::CalendarDays).unwrap(), d(2026, 12, 24));
    }

    #[test]
    fn dates_outside_the_data_are_an_error_not_a_guess() {
        let past = cal().working_days_after(d(2017, 12, 20), 5);
        assert_eq!(past, Err(CalendarError::OutsideCoveredYears { date: d(2017, 12, 20), first_year: 2018, last_year: 2028 }));
        // Counting runs into 2029, whose holidays are unknown.
        assert!(matches!(
            cal().working_days_after(d(2028, 12, 27), 5),
            Err(CalendarError::OutsideCoveredYears { date, .. }) if date.year() == 2029
        ));
        assert!(cal().due(d(2029, 1, 1), 6, Unit::Months).is_ok(), "months need no holiday data");
        assert!(CalendarError::OutsideCoveredYears { date: d(2029, 1, 2), first_year: 2018, last_year: 2028 }
            .to_string()
            .contains("bank-holidays.json"));
    }

    #[test]
    fn a_newer_file_loads_without_a_code_change() {
        let json = r#"{"england-and-wales":{"division":"england-and-wales","events":[
            {"title":"New Year's Day","date":"2029-01-01","notes":"","bunting":true},
            {"title":"Christmas Day","date":"2029-12-25","notes":"","bunting":true}]}}"#;
        let newer = Calendar::from_gov_uk_json(json).unwrap();
        assert_eq!(newer.covered_years(), (2029, 2029));
        assert_eq!(newer.working_days_after(d(2028, 12, 29), 1).unwrap_err(), CalendarError::OutsideCoveredYears { date: d(2028, 12, 29), first_year: 2029, last_year: 2029 });
        assert_eq!(newer.working_days_after(d(2029, 12, 24), 1).unwrap(), d(2029, 12, 26));
        assert!(matches!(Calendar::from_gov_uk_json("{}"), Err(CalendarDataError::NotGovUkFormat(_))));
        assert!(matches!(
            Calendar::from_gov_uk_json(r#"{"england-and-wales":{"events":[{"date":"1/1/2029"}]}}"#),
            Err(CalendarDataError::BadDate(_))
        ));
        assert_eq!(Calendar::from_gov_uk_json(r#"{"england-and-wales":{"events":[]}}"#), Err(CalendarDataError::NoEvents));
    }

    #[test]
    fn countdown_in_working_days() {
        assert_eq!(cal().working_days_between(d(2026, 12, 24), d(2027, 1, 5)).unwrap(), 5);
        assert_eq!(cal().working_days_between(d(2027, 1, 5), d(2026, 12, 24)).unwrap(), -5);
        assert_eq!(cal().working_days_between(d(2026, 11, 24), d(2026, 11, 24)).unwrap(), 0);
    }

    #[test]
    fn due_queries_name_each_bad_part() {
        let q = DueQuery::parse([("from", "2026-12-24"), ("n", "5"), ("unit", "working_days_after")]).unwrap();
        assert_eq!(cal().due(q.from, q.n, q.unit).unwrap(), d(2027, 1, 5));
        let e = DueQuery::parse([("from", "24/12/2026"), ("n", "-1"), ("unit", "fortnights")]).unwrap_err();
        let named: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(named, vec!["from", "n", "unit"]);
        let e = DueQuery::parse([("from", "2026-12-24"), ("unit", "weeks")]).unwrap_err();
        assert_eq!(e.0[0].field, "n");
        assert!(DueQuery::parse([("from", "2026-12-24"), ("n", "2.5"), ("unit", "weeks")]).is_err());
        assert!(DueQuery::parse([("from", "2026-12-24"), ("n", "1001"), ("unit", "weeks")]).is_err());
    }

    #[test]
    fn units_have_stable_names() {
        for unit in Unit::ALL {
            assert_eq!(Unit::parse(unit.as_str()), Some(unit));
            assert_eq!(serde_json::to_string(&unit).unwrap(), format!("\"{}\"", unit.as_str()));
        }
        assert_eq!(Unit::parse("fortnights"), None);
    }

    /// A date with a month of covered calendar either side, so that counting
    /// back from a non-working 1 January 2018 never leaves the data.
    fn covered_date() -> impl Strategy<Value = NaiveDate> {
        (0u32..(365 * 10)).prop_map(|offset| d(2018, 2, 1) + Days::new(offset as u64))
    }

    proptest! {
        #[test]
        fn working_days_after_is_a_later_working_day(start in covered_date(), n in 1u32..40) {
            if let Ok(due) = cal().working_days_after(start, n) {
                prop_assert!(due > start);
                prop_assert!(cal().is_working_day(due).unwrap());
                prop_assert_eq!(cal().working_days_between(start, due).unwrap(), n as i64);
            }
        }

        #[test]
        fn after_then_before_returns_no_later_than_the_start(start in covered_date(), n in 0u32..40) {
            if let Ok(due) = cal().working_days_after(start, n) {
                let back = cal().working_days_before(due, n).unwrap();
                prop_assert!(back <= start);
                // ...and is the start itself whenever the start is a working day.
                if cal().is_working_day(start).unwrap() {
                    prop_assert_eq!(back, start);
                }
            }
        }

        #[test]
        fn day_n_is_a_working_day_on_or_after_the_start(start in covered_date(), n in 1u32..30) {
            if let Ok(day) = cal().day_number(start, n) {
                prop_assert!(day >= start);
                prop_assert!(cal().is_working_day(day).unwrap());
                prop_assert_eq!(cal().day_number(start, n + 1).map(|next| next > day), Ok(true));
            }
        }

        #[test]
        fn months_never_overflow_the_month(start in covered_date(), n in 0u32..36) {
            let due = cal().due(start, n, Unit::Months).unwrap();
            prop_assert!(due.day() <= start.day());
            let months = (due.year() - start.year()) * 12 + due.month() as i32 - start.month() as i32;
            prop_assert_eq!(months, n as i32);
        }
    }
}
