//! Working days in England and Wales: Monday to Friday except bank holidays
//! and any closure days a partnership adds. Statutory timescales are counted
//! here. For the years the gov.uk list covers, its dates are official (one-off
//! holidays included). Beyond them the calendar never expires: bank holidays
//! follow their standing rules (`rule_bank_holidays`) and are marked
//! projected, because a one-off holiday may still be declared and whoever
//! relies on a projected year should be able to say so. A newer gov.uk file
//! loaded at run time makes its years official.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// The gov.uk `bank-holidays.json` shipped with the product. A newer file in
/// the same format replaces it without a code change (`from_gov_uk_json`,
/// or `with_newer_gov_uk_json` to keep the shipped years and closures).
pub const ENGLAND_AND_WALES_JSON: &str = include_str!("../data/bank-holidays-england-and-wales.json");

/// The first year the rules can stand in for gov.uk data: the early May bank
/// holiday was first held in 1978, so earlier years had different holidays.
pub const FIRST_RULE_YEAR: i32 = 1978;
/// Far beyond any statutory timescale; it only bounds the holidays projected
/// when a calendar is built, so that counting never has to work one out.
pub const LAST_RULE_YEAR: i32 = 2199;

/// England and Wales bank holidays of `year` by their standing rules, sorted:
/// New Year's Day, Good Friday, Easter Monday, the early May, spring and
/// summer bank holidays, Christmas Day and Boxing Day, with the substitute
/// Mondays (and Tuesday) when a fixed day falls at a weekend. One-off
/// holidays and moved days cannot be foreseen, so they are never included.
/// Empty for a year chrono cannot represent.
pub fn rule_bank_holidays(year: i32) -> Vec<NaiveDate> {
    rule_bank_holidays_checked(year).unwrap_or_default()
}

fn rule_bank_holidays_checked(year: i32) -> Option<Vec<NaiveDate>> {
    let on = |month, day| NaiveDate::from_ymd_opt(year, month, day);
    let new_year = match on(1, 1)? {
        jan1 if is_weekend(jan1) => monday_on_or_after(jan1)?,
        jan1 => jan1,
    };
    let easter = easter_sunday(year)?;
    let (christmas, boxing_day) = match on(12, 25)?.weekday() {
        Weekday::Sat => (on(12, 27)?, on(12, 28)?),
        Weekday::Sun => (on(12, 26)?, on(12, 27)?),
        Weekday::Fri => (on(12, 25)?, on(12, 28)?),
        _ => (on(12, 25)?, on(12, 26)?),
    };
    // Built in calendar order: Easter Monday is at the latest 26 April.
    Some(vec![
        new_year,
        easter.checked_sub_days(Days::new(2))?,
        easter.checked_add_days(Days::new(1))?,
        monday_on_or_after(on(5, 1)?)?,
        monday_on_or_before(on(5, 31)?)?,
        monday_on_or_before(on(8, 31)?)?,
        christmas,
        boxing_day,
    ])
}

/// Gregorian Easter Sunday by the anonymous (Meeus/Jones/Butcher) computus.
/// Euclidean division keeps it total for any year chrono accepts.
fn easter_sunday(year: i32) -> Option<NaiveDate> {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let (d, e) = (b / 4, b % 4);
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let (i, k) = (c / 4, c % 4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l) / 451;
    let n = h + l - 7 * m + 114;
    NaiveDate::from_ymd_opt(year, (n / 31) as u32, (n % 31 + 1) as u32)
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

fn monday_on_or_after(date: NaiveDate) -> Option<NaiveDate> {
    date.checked_add_days(Days::new(((7 - date.weekday().num_days_from_monday()) % 7) as u64))
}

fn monday_on_or_before(date: NaiveDate) -> Option<NaiveDate> {
    date.checked_sub_days(Days::new(date.weekday().num_days_from_monday() as u64))
}

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
    /// This date's year is neither in the gov.uk data nor one the rules can
    /// stand in for (`first_year` to `last_year` are the years that can be
    /// counted): counting through it would be a guess.
    OutsideCoveredYears { date: NaiveDate, first_year: i32, last_year: i32 },
    /// "Day 0" does not exist: Day 1 is the start.
    DayNumberStartsAtOne,
    /// The result would fall outside the dates the calendar can represent.
    OutOfRange,
}

impl std::fmt::Display for CalendarError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CalendarError::OutsideCoveredYears { date, first_year, last_year } => {
                write!(f, "{date} is outside the years the calendar can count ({first_year} to {last_year})")
            }
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
    /// A newer file whose years neither overlap nor adjoin the official ones:
    /// the years between would be projected while official years lie on
    /// both sides, which no reader of a deadline would expect.
    Gap { file_years: (i32, i32), official_years: (i32, i32) },
}

impl std::fmt::Display for CalendarDataError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CalendarDataError::NotGovUkFormat(why) => {
                write!(f, "Not a gov.uk bank-holidays.json with an england-and-wales division: {why}")
            }
            CalendarDataError::BadDate(raw) => write!(f, "The bank holiday date {raw:?} is not YYYY-MM-DD"),
            CalendarDataError::NoEvents => f.write_str("The england-and-wales division lists no bank holidays"),
            CalendarDataError::Gap { file_years: (file_first, file_last), official_years: (first, last) } => {
                if file_first > last {
                    write!(
                        f,
                        "The bank holiday file covers {file_first} to {file_last}, but the calendar's gov.uk data \
                         ends in {last}; load a file that starts in {} or earlier",
                        last + 1
                    )
                } else {
                    write!(
                        f,
                        "The bank holiday file covers {file_first} to {file_last}, but the calendar's gov.uk data \
                         starts in {first}; load a file that runs to {} or later",
                        first - 1
                    )
                }
            }
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
    /// Official and projected holidays together.
    bank_holidays: BTreeSet<NaiveDate>,
    closures: BTreeSet<NaiveDate>,
    /// Bank holidays and closures of the countable years, one bit a day
    /// from 1 January of the first: counting tests a bit rather than
    /// searching some 1,800 projected dates, whichever kind the year is.
    closed_days: Vec<u64>,
    first_countable_day: i32,
    /// The gov.uk years. Kept contiguous (`with_newer_gov_uk_json` refuses
    /// a gap), so "projected" is simply a year outside this range.
    first_year: i32,
    last_year: i32,
    /// Every year with holidays in the set: the official years and the rule
    /// years together.
    first_countable_year: i32,
    last_countable_year: i32,
}

/// The england-and-wales dates of a gov.uk file; never empty.
fn parse_gov_uk_json(json: &str) -> Result<BTreeSet<NaiveDate>, CalendarDataError> {
    let file: GovUkFile = serde_json::from_str(json).map_err(|e| CalendarDataError::NotGovUkFormat(e.to_string()))?;
    let mut dates = BTreeSet::new();
    for event in file.england_and_wales.events {
        let date =
            crate::date_input::parse_iso_date(&event.date).map_err(|_| CalendarDataError::BadDate(event.date.clone()))?;
        dates.insert(date);
    }
    if dates.is_empty() {
        return Err(CalendarDataError::NoEvents);
    }
    Ok(dates)
}

fn years_of(dates: &BTreeSet<NaiveDate>) -> (i32, i32) {
    match (dates.first(), dates.last()) {
        (Some(first), Some(last)) => (first.year(), last.year()),
        _ => unreachable!("gov.uk dates are checked to be non-empty"),
    }
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
    /// The official years run from the first to the last year with an event;
    /// the other years are projected by rule.
    pub fn from_gov_uk_json(json: &str) -> Result<Calendar, CalendarDataError> {
        let official = parse_gov_uk_json(json)?;
        let (first_year, last_year) = years_of(&official);
        Ok(Calendar::assemble(official, first_year, last_year, BTreeSet::new()))
    }

    /// Projects every countable year outside the official ones up front:
    /// about eight dates a year, cheap next to a lookup that could not
    /// fill in a year lazily behind `&self`.
    fn assemble(official: BTreeSet<NaiveDate>, first_year: i32, last_year: i32, closures: BTreeSet<NaiveDate>) -> Calendar {
        // Official data outside the rule years is still counted, so the
        // countable years span both; a year between is then projected.
        let first_countable_year = first_year.min(FIRST_RULE_YEAR);
        let last_countable_year = last_year.max(LAST_RULE_YEAR);
        let mut bank_holidays = official;
        for year in first_countable_year..=last_countable_year {
            if !(first_year..=last_year).contains(&year) {
                bank_holidays.extend(rule_bank_holidays(year));
            }
        }
        let first_countable_day = NaiveDate::from_ymd_opt(first_countable_year, 1, 1)
            .expect("the countable years are within chrono's")
            .num_days_from_ce();
        let days = NaiveDate::from_ymd_opt(last_countable_year, 12, 31)
            .expect("the countable years are within chrono's")
            .num_days_from_ce()
            - first_countable_day
            + 1;
        let mut calendar = Calendar {
            bank_holidays,
            closures,
            closed_days: vec![0; (days as usize).div_ceil(64)],
            first_countable_day,
            first_year,
            last_year,
            first_countable_year,
            last_countable_year,
        };
        let closed: Vec<NaiveDate> = calendar.bank_holidays.iter().chain(&calendar.closures).copied().collect();
        calendar.mark_closed(closed);
        calendar
    }

    /// The bit of a countable date; `None` outside the countable years, where
    /// closure days may be listed but are never counted.
    fn day_bit(&self, date: NaiveDate) -> Option<(usize, u64)> {
        let day = usize::try_from(date.num_days_from_ce() - self.first_countable_day).ok()?;
        (day / 64 < self.closed_days.len()).then_some((day / 64, 1 << (day % 64)))
    }

    fn mark_closed(&mut self, dates: impl IntoIterator<Item = NaiveDate>) {
        for date in dates {
            if let Some((word, bit)) = self.day_bit(date) {
                self.closed_days[word] |= bit;
            }
        }
    }

    /// This calendar with a newer gov.uk file loaded at run time: the file's
    /// years become official, replacing whatever this calendar had for them
    /// (one-off holidays appear, projected ones it did not list go), and
    /// closure days are kept. The file must overlap or adjoin the official
    /// years, so that no projected year sits between official ones.
    pub fn with_newer_gov_uk_json(&self, json: &str) -> Result<Calendar, CalendarDataError> {
        let file = parse_gov_uk_json(json)?;
        let (file_first, file_last) = years_of(&file);
        let (first_year, last_year) = self.official_years();
        if file_first > last_year.saturating_add(1) || file_last < first_year.saturating_sub(1) {
            return Err(CalendarDataError::Gap {
                file_years: (file_first, file_last),
                official_years: (first_year, last_year),
            });
        }
        let mut official: BTreeSet<NaiveDate> = self
            .bank_holidays
            .iter()
            .filter(|d| (first_year..=last_year).contains(&d.year()) && !(file_first..=file_last).contains(&d.year()))
            .copied()
            .collect();
        official.extend(file);
        Ok(Calendar::assemble(official, first_year.min(file_first), last_year.max(file_last), self.closures.clone()))
    }

    /// This calendar with a partnership's own closure days added.
    pub fn with_closure_days(&self, days: impl IntoIterator<Item = NaiveDate>) -> Calendar {
        let mut calendar = self.clone();
        let days: Vec<NaiveDate> = days.into_iter().collect();
        calendar.closures.extend(days.iter().copied());
        calendar.mark_closed(days);
        calendar
    }

    /// The years whose bank holidays come from gov.uk data, first and last.
    pub fn official_years(&self) -> (i32, i32) {
        (self.first_year, self.last_year)
    }

    /// The same as `official_years`, under the name existing callers use.
    pub fn covered_years(&self) -> (i32, i32) {
        self.official_years()
    }

    /// The years working days can be counted in at all: the official years
    /// and the years the rules stand in for.
    pub fn countable_years(&self) -> (i32, i32) {
        (self.first_countable_year, self.last_countable_year)
    }

    /// Whether this date's year has no gov.uk data, so its bank holidays are
    /// the rules' (or, beyond the countable years, unknown).
    pub fn is_projected(&self, date: NaiveDate) -> bool {
        !(self.first_year..=self.last_year).contains(&date.year())
    }

    /// Whether counting between these dates (in either order) passes through
    /// a projected year, so a deadline computed across them should say so.
    pub fn relies_on_projection(&self, from: NaiveDate, to: NaiveDate) -> bool {
        let (low, high) = if from <= to { (from, to) } else { (to, from) };
        low.year() < self.first_year || high.year() > self.last_year
    }

    /// The bank holidays of `year`, each with whether it is projected. Empty
    /// for a year the calendar cannot count.
    pub fn bank_holidays_in(&self, year: i32) -> Vec<(NaiveDate, bool)> {
        let (Some(start), Some(end)) = (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31)) else {
            return Vec::new();
        };
        let projected = self.is_projected(start);
        self.bank_holidays.range(start..=end).map(|&date| (date, projected)).collect()
    }

    /// A warning for a meeting or a publication set on a day that is not a
    /// working day, naming why; `None` on a working day (or one it cannot count).
    pub fn not_a_working_day(&self, date: NaiveDate, what: &str) -> Option<String> {
        if self.is_working_day(date).unwrap_or(true) {
            return None;
        }
        let why = if matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
            "a weekend"
        } else if self.is_bank_holiday(date) {
            "a bank holiday"
        } else {
            "one of the partnership's closure days"
        };
        Some(format!("{what} is on {}, which is {why}, not a working day", date.format("%A %-d %B %Y")))
    }

    pub fn is_bank_holiday(&self, date: NaiveDate) -> bool {
        self.bank_holidays.contains(&date)
    }

    fn check(&self, date: NaiveDate) -> Result<(), CalendarError> {
        if (self.first_countable_year..=self.last_countable_year).contains(&date.year()) {
            Ok(())
        } else {
            Err(CalendarError::OutsideCoveredYears {
                date,
                first_year: self.first_countable_year,
                last_year: self.last_countable_year,
            })
        }
    }

    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        self.check(date)?;
        let closed = self.day_bit(date).is_some_and(|(word, bit)| self.closed_days[word] & bit != 0);
        Ok(!is_weekend(date) && !closed)
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
    fn a_day_that_is_not_a_working_day_is_named_with_why() {
        let closed = cal().with_closure_days([d(2026, 12, 29)]);
        assert_eq!(closed.not_a_working_day(d(2026, 11, 29), "The meeting").unwrap(), "The meeting is on Sunday 29 November 2026, which is a weekend, not a working day");
        assert!(closed.not_a_working_day(d(2026, 12, 28), "It").unwrap().contains("a bank holiday"));
        assert!(closed.not_a_working_day(d(2026, 12, 29), "It").unwrap().contains("closure days"));
        assert_eq!(closed.not_a_working_day(d(2026, 12, 30), "It"), None);
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
    fn dates_beyond_the_data_are_projected_and_only_far_dates_are_an_error() {
        // 2017: Christmas Monday 25 and Boxing Day 26 by rule; 1 January 2018 is official.
        assert_eq!(cal().working_days_after(d(2017, 12, 20), 5).unwrap(), d(2017, 12, 29));
        assert!(cal().is_projected(d(2017, 12, 20)));
        // Counting runs into 2029, whose New Year's Day (a Monday) is projected.
        assert_eq!(cal().working_days_after(d(2028, 12, 27), 5).unwrap(), d(2029, 1, 4));
        assert!(cal().relies_on_projection(d(2028, 12, 27), d(2029, 1, 4)));
        assert_eq!(cal().countable_years(), (1978, 2199));
        let far = CalendarError::OutsideCoveredYears { date: d(1970, 6, 1), first_year: 1978, last_year: 2199 };
        assert_eq!(cal().working_days_after(d(1970, 6, 1), 5), Err(far.clone()));
        assert!(matches!(cal().is_working_day(d(1970, 6, 1)), Err(CalendarError::OutsideCoveredYears { .. })));
        // Counting that walks off either end of the countable years stops there.
        assert!(matches!(
            cal().working_days_before(d(1978, 1, 3), 1),
            Err(CalendarError::OutsideCoveredYears { date, .. }) if date == d(1977, 12, 31)
        ));
        assert!(matches!(
            cal().working_days_after(d(2199, 12, 30), 5),
            Err(CalendarError::OutsideCoveredYears { date, .. }) if date.year() == 2200
        ));
        assert!(cal().working_days_between(d(2199, 1, 1), d(2200, 1, 1)).is_err());
        assert!(cal().due(d(1970, 1, 1), 6, Unit::Months).is_ok(), "months need no holiday data");
        assert_eq!(far.to_string(), "1970-06-01 is outside the years the calendar can count (1978 to 2199)");
    }

    #[test]
    fn a_newer_file_loads_without_a_code_change() {
        let json = r#"{"england-and-wales":{"division":"england-and-wales","events":[
            {"title":"New Year's Day","date":"2029-01-01","notes":"","bunting":true},
            {"title":"Christmas Day","date":"2029-12-25","notes":"","bunting":true}]}}"#;
        let newer = Calendar::from_gov_uk_json(json).unwrap();
        assert_eq!(newer.covered_years(), (2029, 2029));
        // Without the shipped file 2028 is projected; 1 January 2029 comes from the file.
        assert!(newer.is_projected(d(2028, 12, 29)));
        assert_eq!(newer.working_days_after(d(2028, 12, 29), 1).unwrap(), d(2029, 1, 2));
        assert_eq!(newer.working_days_after(d(2029, 12, 24), 1).unwrap(), d(2029, 12, 26));
        // An official year is the file's alone: rules never fill in what it leaves out.
        assert!(newer.is_working_day(d(2029, 3, 30)).unwrap(), "this file lists no Good Friday");
        assert!(matches!(Calendar::from_gov_uk_json("{}"), Err(CalendarDataError::NotGovUkFormat(_))));
        assert!(matches!(
            Calendar::from_gov_uk_json(r#"{"england-and-wales":{"events":[{"date":"1/1/2029"}]}}"#),
            Err(CalendarDataError::BadDate(_))
        ));
        assert_eq!(Calendar::from_gov_uk_json(r#"{"england-and-wales":{"events":[]}}"#), Err(CalendarDataError::NoEvents));
    }

    /// A gov.uk file listing these dates, in its own shape.
    fn gov_uk_json(dates: &[NaiveDate]) -> String {
        let events: Vec<serde_json::Value> = dates
            .iter()
            .map(|date| serde_json::json!({"title": "Bank holiday", "date": date.to_string(), "notes": "", "bunting": true}))
            .collect();
        serde_json::json!({"england-and-wales": {"division": "england-and-wales", "events": events}}).to_string()
    }

    fn official_dates(calendar: &Calendar, year: i32) -> BTreeSet<NaiveDate> {
        calendar
            .bank_holidays_in(year)
            .into_iter()
            .map(|(date, projected)| {
                assert!(!projected, "{date} should be official");
                date
            })
            .collect()
    }

    #[test]
    fn the_rules_reproduce_the_shipped_file_apart_from_its_known_one_offs() {
        for year in 2018..=2028 {
            let by_rule: BTreeSet<NaiveDate> = rule_bank_holidays(year).into_iter().collect();
            let shipped = official_dates(cal(), year);
            let moved_away: Vec<NaiveDate> = by_rule.difference(&shipped).copied().collect();
            let added: Vec<NaiveDate> = shipped.difference(&by_rule).copied().collect();
            let expected: (Vec<NaiveDate>, Vec<NaiveDate>) = match year {
                // VE day: the early May bank holiday moved to Friday 8 May.
                2020 => (vec![d(2020, 5, 4)], vec![d(2020, 5, 8)]),
                // Platinum jubilee: spring bank holiday moved to 2 June, 3 June
                // added; the Queen's state funeral on 19 September.
                2022 => (vec![d(2022, 5, 30)], vec![d(2022, 6, 2), d(2022, 6, 3), d(2022, 9, 19)]),
                // The coronation.
                2023 => (vec![], vec![d(2023, 5, 8)]),
                _ => (vec![], vec![]),
            };
            assert_eq!((moved_away, added), expected, "{year}: rule days missing from the file, file days not by rule");
        }
    }

    #[test]
    fn years_beyond_the_data_follow_the_rules_and_are_marked_projected() {
        assert_eq!(
            rule_bank_holidays(2029),
            vec![
                d(2029, 1, 1),
                d(2029, 3, 30), // Easter Sunday is 1 April 2029.
                d(2029, 4, 2),
                d(2029, 5, 7),
                d(2029, 5, 28),
                d(2029, 8, 27),
                d(2029, 12, 25),
                d(2029, 12, 26),
            ]
        );
        let projected_2029: Vec<(NaiveDate, bool)> = rule_bank_holidays(2029).into_iter().map(|date| (date, true)).collect();
        assert_eq!(cal().bank_holidays_in(2029), projected_2029);
        assert!(cal().is_bank_holiday(d(2029, 3, 30)));
        assert!(!cal().is_working_day(d(2029, 4, 2)).unwrap());
        assert!(cal().is_projected(d(2029, 1, 1)));
        assert!(!cal().is_projected(d(2028, 12, 31)));
        assert!(!cal().is_projected(d(2018, 1, 1)));
        assert!(cal().is_projected(d(2017, 12, 31)));
        assert_eq!(cal().official_years(), (2018, 2028));
        assert!(cal().bank_holidays_in(1970).is_empty(), "beyond the countable years nothing is claimed");

        // Friday 22 December 2028 + 5: 25 and 26 December 2028 from the file,
        // Monday 1 January 2029 by rule.
        assert_eq!(cal().due(d(2028, 12, 22), 5, Unit::WorkingDaysAfter).unwrap(), d(2029, 1, 3));
        assert!(cal().relies_on_projection(d(2028, 12, 22), d(2029, 1, 3)));
        assert!(cal().relies_on_projection(d(2029, 1, 3), d(2028, 12, 22)), "either order");
        assert!(cal().relies_on_projection(d(2017, 12, 29), d(2018, 1, 5)));
        assert!(!cal().relies_on_projection(d(2018, 1, 1), d(2028, 12, 31)));
        assert!(!cal().relies_on_projection(d(2028, 12, 31), d(2026, 1, 1)));
    }

    #[test]
    fn every_year_beyond_the_data_is_exactly_its_rule_days() {
        for year in (FIRST_RULE_YEAR..=LAST_RULE_YEAR).filter(|year| !(2018..=2028).contains(year)) {
            let expected: Vec<(NaiveDate, bool)> = rule_bank_holidays(year).into_iter().map(|date| (date, true)).collect();
            assert_eq!(cal().bank_holidays_in(year), expected, "{year}");
        }
    }

    #[test]
    fn fixed_days_at_a_weekend_have_substitutes() {
        // Christmas Day 2032 is a Saturday: Monday 27 and Tuesday 28.
        let y2032 = rule_bank_holidays(2032);
        assert_eq!(y2032[6..], [d(2032, 12, 27), d(2032, 12, 28)]);
        assert!(cal().is_working_day(d(2032, 12, 24)).unwrap());
        assert_eq!(cal().working_days_after(d(2032, 12, 24), 1).unwrap(), d(2032, 12, 29));
        // Christmas Day 2033 is a Sunday: Monday 26 and Tuesday 27.
        assert_eq!(rule_bank_holidays(2033)[6..], [d(2033, 12, 26), d(2033, 12, 27)]);
        assert!(!cal().is_bank_holiday(d(2033, 12, 25)), "the Sunday itself is not the holiday");
        // Christmas Day 2037 is a Friday: Boxing Day moves to Monday 28.
        assert_eq!(rule_bank_holidays(2037)[6..], [d(2037, 12, 25), d(2037, 12, 28)]);
        // New Year's Day 2034 is a Sunday: Monday 2 January; 2033's is a Saturday: Monday 3rd.
        assert_eq!(rule_bank_holidays(2034)[0], d(2034, 1, 2));
        assert_eq!(rule_bank_holidays(2033)[0], d(2033, 1, 3));
        assert!(cal().is_bank_holiday(d(2034, 1, 2)));
        assert!(!cal().is_bank_holiday(d(2034, 1, 1)));
    }

    #[test]
    fn a_newer_file_makes_its_years_official() {
        let mut dates = rule_bank_holidays(2029);
        dates.push(d(2029, 6, 15)); // A one-off the rules could not know.
        let newer = cal().with_newer_gov_uk_json(&gov_uk_json(&dates)).unwrap();
        assert_eq!(newer.official_years(), (2018, 2029));
        assert!(!newer.is_projected(d(2029, 6, 15)));
        assert!(newer.is_bank_holiday(d(2029, 6, 15)));
        assert!(!newer.is_working_day(d(2029, 6, 15)).unwrap());
        assert_eq!(official_dates(&newer, 2029).len(), 9);
        assert!(newer.is_projected(d(2030, 1, 1)), "later years are still projected");
        assert_eq!(official_dates(&newer, 2022), official_dates(cal(), 2022), "earlier official years are kept");
        assert!(!newer.relies_on_projection(d(2028, 12, 22), d(2029, 1, 3)));
        assert_eq!(cal().official_years(), (2018, 2028), "the shipped calendar is unchanged");
        assert!(cal().is_working_day(d(2029, 6, 15)).unwrap());

        // The file's years replace what was there, official or projected.
        let mut without_summer_2028 = rule_bank_holidays(2028);
        without_summer_2028.retain(|&date| date != d(2028, 8, 28));
        let mut replaced_json = without_summer_2028;
        replaced_json.extend(rule_bank_holidays(2029));
        let replaced = cal().with_newer_gov_uk_json(&gov_uk_json(&replaced_json)).unwrap();
        assert!(!replaced.is_bank_holiday(d(2028, 8, 28)));
        assert!(replaced.is_bank_holiday(d(2028, 5, 29)));

        // Closure days survive loading a file; a file for earlier years extends backwards.
        let closed = cal().with_closure_days([d(2029, 12, 27)]);
        let closed = closed.with_newer_gov_uk_json(&gov_uk_json(&rule_bank_holidays(2017))).unwrap();
        assert_eq!(closed.official_years(), (2017, 2028));
        assert!(!closed.is_working_day(d(2029, 12, 27)).unwrap());
    }

    #[test]
    fn a_newer_file_is_checked_before_it_is_used() {
        assert!(matches!(cal().with_newer_gov_uk_json("{}"), Err(CalendarDataError::NotGovUkFormat(_))));
        assert!(matches!(
            cal().with_newer_gov_uk_json(r#"{"england-and-wales":{"events":[{"date":"2029-02-30"}]}}"#),
            Err(CalendarDataError::BadDate(_))
        ));
        assert_eq!(cal().with_newer_gov_uk_json(r#"{"england-and-wales":{"events":[]}}"#), Err(CalendarDataError::NoEvents));
        // 2029 and 2030 would be projected between official years.
        let gap = cal().with_newer_gov_uk_json(&gov_uk_json(&rule_bank_holidays(2031))).unwrap_err();
        assert_eq!(gap, CalendarDataError::Gap { file_years: (2031, 2031), official_years: (2018, 2028) });
        assert_eq!(
            gap.to_string(),
            "The bank holiday file covers 2031 to 2031, but the calendar's gov.uk data ends in 2028; \
             load a file that starts in 2029 or earlier"
        );
        let early = cal().with_newer_gov_uk_json(&gov_uk_json(&rule_bank_holidays(2015))).unwrap_err();
        assert!(early.to_string().contains("starts in 2018; load a file that runs to 2017 or later"), "{early}");
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
        fn rule_years_have_eight_weekday_holidays_in_order(year in FIRST_RULE_YEAR..=LAST_RULE_YEAR) {
            let days = rule_bank_holidays(year);
            prop_assert_eq!(days.len(), 8);
            prop_assert!(days.windows(2).all(|pair| pair[0] < pair[1]), "sorted and distinct: {:?}", days);
            for day in &days {
                prop_assert_eq!(day.year(), year);
                prop_assert!(!is_weekend(*day), "{} is a {}", day, day.weekday());
            }
            // Good Friday and Easter Monday bracket an Easter Sunday within its possible dates.
            prop_assert_eq!(days[2] - days[1], chrono::TimeDelta::days(3));
            prop_assert!(days[1] >= d(year, 3, 20) && days[2] <= d(year, 4, 26));
        }

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
