//! The work the benchmarks time, shared by the native example and the wasm
//! build under Node so both measure exactly the same thing.

use chrono::{Days, NaiveDate};

use crate::calendar::{Calendar, Unit};
use crate::threshold::{AbuseOrNeglect, ChildOutcome, Location, ThresholdAnswers, decide};

/// Runs `n` threshold decisions over a spread of answers; returns a checksum.
pub fn threshold_decisions(n: u32) -> u64 {
    let calendar = Calendar::england_and_wales();
    let outcomes = [ChildOutcome::Died, ChildOutcome::SeriouslyHarmed, ChildOutcome::HarmedNotSeriously, ChildOutcome::Unknown];
    let abuse = [AbuseOrNeglect::Known, AbuseOrNeglect::Suspected, AbuseOrNeglect::NotSuspected, AbuseOrNeglect::Unknown];
    let start = NaiveDate::from_ymd_opt(2026, 1, 1).expect("a date");
    let mut checksum = 0u64;
    for i in 0..n {
        let answers = ThresholdAnswers {
            aware_on: start + Days::new((i % 700) as u64),
            outcome: outcomes[(i % 4) as usize],
            serious_harm: None,
            abuse_or_neglect: abuse[((i / 4) % 4) as usize],
            looked_after: Some(i % 7 == 0),
            care_leaver: Some(false),
            regulated_setting: Some(false),
            placed_by_other_authority: Some(false),
            unexpected_death: Some(i % 3 == 0),
            age_years: Some(i % 17),
            location: Location::InArea,
            playbook: "national".into(),
        };
        if let Ok(result) = decide(&answers, calendar) {
            checksum += result.reasons.len() as u64 + result.due.map_or(0, |d| d.to_string().len() as u64);
        }
    }
    checksum
}

/// Runs `n` due-date computations in every unit; returns a checksum.
pub fn due_dates(n: u32) -> u64 {
    let calendar = Calendar::england_and_wales();
    let start = NaiveDate::from_ymd_opt(2019, 1, 1).expect("a date");
    let mut checksum = 0u64;
    for i in 0..n {
        let unit = Unit::ALL[(i % 6) as usize];
        let from = start + Days::new((i % 3000) as u64);
        let count = 1 + i % 15;
        if let Ok(due) = calendar.due(from, count, unit) {
            checksum += due.to_string().len() as u64;
        }
    }
    checksum
}
