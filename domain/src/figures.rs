//! The partnership's figures over a period, for the case matrix and the
//! annual report: referrals and notifications, timeliness against the
//! statutory limits (judged on the original due date: an extension keeps it
//! for reporting), decisions by outcome, LCSPRs published within 6 months,
//! actions open and overdue, and themes.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::field_error::FieldErrors;

/// Inclusive dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// The twelve months up to and including today.
    pub fn last_twelve_months(today: NaiveDate) -> Period {
        let from = NaiveDate::from_ymd_opt(today.year() - 1, today.month(), 1)
            .and_then(|d| d.checked_add_months(chrono::Months::new(1)))
            .unwrap_or(today);
        Period { from, to: today }
    }

    /// `from` and `to` from a query string; either may be left out.
    pub fn parse<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>, today: NaiveDate) -> Result<Period, FieldErrors> {
        let mut e = FieldErrors::default();
        let default = Period::last_twelve_months(today);
        let (mut from, mut to) = (default.from, default.to);
        for (key, value) in pairs {
            let target = match key {
                "from" => &mut from,
                "to" => &mut to,
                _ => continue,
            };
            if value.is_empty() {
                continue;
            }
            match crate::date_input::parse_iso_date(value) {
                Ok(d) => *target = d,
                Err(p) => e.push(key, p.message(if key == "from" { "start of the period" } else { "end of the period" })),
            }
        }
        if e.is_empty() && from > to {
            e.push("to", "The end of the period must be on or after its start");
        }
        if e.is_empty() && (to - from).num_days() > 366 * 10 {
            e.push("from", "Choose a period of at most ten years");
        }
        e.into_result(|| Period { from, to })
    }
}

/// How many of a step fell due in the period, and how many were done by the original due date.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timeliness {
    pub due: u32,
    pub on_time: u32,
    /// Not done and past due today.
    pub overdue: u32,
}

impl Timeliness {
    /// Percentage on time of those decided (done, or overdue): none when nothing has fallen due.
    pub fn percent_on_time(&self) -> Option<u32> {
        (self.due > 0).then(|| ((self.on_time as f64 / self.due as f64) * 100.0).round() as u32)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count {
    pub key: String,
    pub label: String,
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    pub period: Period,
    pub referrals: u32,
    pub notified: u32,
    pub notification_on_time: Timeliness,
    pub rapid_reviews_on_time: Timeliness,
    pub lcsprs_within_six_months: Timeliness,
    pub outcomes: Vec<Count>,
    pub themes: Vec<Count>,
    pub actions_open: u32,
    pub actions_overdue: u32,
}

/// The label of a rapid review outcome key, or the key itself.
pub fn outcome_label(key: &str) -> String {
    crate::rapid_review::ReviewOption::ALL
        .into_iter()
        .find(|o| o.as_str() == key)
        .map_or_else(|| key.replace('_', " "), |o| o.label().to_string())
}

pub fn theme_label(key: &str) -> String {
    crate::case::THEMES.iter().find(|(k, _)| *k == key).map_or_else(|| key.replace('_', " "), |(_, l)| l.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: NaiveDate = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();

    #[test]
    fn the_default_period_is_the_last_twelve_whole_months_and_this_one() {
        let p = Period::last_twelve_months(TODAY);
        assert_eq!(p.from, NaiveDate::from_ymd_opt(2025, 12, 1).unwrap());
        assert_eq!(p.to, TODAY);
        assert_eq!(Period::parse(std::iter::empty(), TODAY).unwrap(), p);
    }

    #[test]
    fn a_period_runs_forwards_and_names_the_bad_end() {
        let e = Period::parse([("from", "2026-12-01"), ("to", "2026-01-01")].into_iter(), TODAY).unwrap_err();
        assert!(e.for_field("to").is_some());
        let e = Period::parse([("from", "2026-13-01")].into_iter(), TODAY).unwrap_err();
        assert!(e.for_field("from").is_some());
        let p = Period::parse([("from", "2026-04-01"), ("to", "2027-03-31")].into_iter(), TODAY).unwrap();
        assert_eq!(p.to, NaiveDate::from_ymd_opt(2027, 3, 31).unwrap());
    }

    #[test]
    fn percentages_round_and_are_absent_without_anything_due() {
        assert_eq!(Timeliness { due: 3, on_time: 2, overdue: 0 }.percent_on_time(), Some(67));
        assert_eq!(Timeliness::default().percent_on_time(), None);
    }

    #[test]
    fn labels_come_from_the_lists() {
        assert_eq!(outcome_label("lcspr"), crate::rapid_review::ReviewOption::Lcspr.label());
        assert_eq!(theme_label("neglect"), "Neglect");
    }
}
