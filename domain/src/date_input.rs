//! Dates as people and other systems type them: `YYYY-MM-DD` in the API, and
//! the GOV.UK day / month / year inputs in the forms.

use chrono::NaiveDate;

/// Parses an ISO 8601 calendar date, `YYYY-MM-DD`, and nothing looser:
/// a deadline computed from a misread date is a breach of a statutory duty.
pub fn parse_iso_date(raw: &str) -> Result<NaiveDate, DateProblem> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(DateProblem::Missing);
    }
    let bytes = raw.as_bytes();
    let shaped = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes.iter().enumerate().all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !shaped {
        return Err(DateProblem::NotIso);
    }
    NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| DateProblem::NotReal)
}

/// The three boxes of a GOV.UK date input, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DateParts {
    pub day: String,
    pub month: String,
    pub year: String,
}

impl DateParts {
    pub fn from_date(date: NaiveDate) -> Self {
        use chrono::Datelike;
        Self { day: date.day().to_string(), month: date.month().to_string(), year: date.year().to_string() }
    }

    pub fn is_blank(&self) -> bool {
        self.day.trim().is_empty() && self.month.trim().is_empty() && self.year.trim().is_empty()
    }

    /// Turns the three boxes into a date, or says which part is wrong in the
    /// words of the GOV.UK date input pattern.
    pub fn parse(&self) -> Result<NaiveDate, DateProblem> {
        if self.is_blank() {
            return Err(DateProblem::Missing);
        }
        let part = |s: &str| s.trim().parse::<u32>().ok();
        let (day, month, year) = (part(&self.day), part(&self.month), part(&self.year));
        match (self.day.trim().is_empty(), self.month.trim().is_empty(), self.year.trim().is_empty()) {
            (true, _, _) => return Err(DateProblem::MissingPart("day")),
            (_, true, _) => return Err(DateProblem::MissingPart("month")),
            (_, _, true) => return Err(DateProblem::MissingPart("year")),
            _ => {}
        }
        let (Some(day), Some(month), Some(year)) = (day, month, year) else {
            return Err(DateProblem::NotReal);
        };
        if self.year.trim().len() != 4 {
            return Err(DateProblem::YearNotFourDigits);
        }
        NaiveDate::from_ymd_opt(year as i32, month, day).ok_or(DateProblem::NotReal)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateProblem {
    Missing,
    MissingPart(&'static str),
    NotIso,
    NotReal,
    YearNotFourDigits,
}

impl DateProblem {
    /// A message naming the date by its label, e.g. "Date of the incident".
    pub fn message(self, label: &str) -> String {
        match self {
            DateProblem::Missing => format!("Enter the {label}"),
            DateProblem::MissingPart(part) => format!("The {label} must include a {part}"),
            DateProblem::NotIso => format!("The {label} must be written as YYYY-MM-DD, for example 2026-11-24"),
            DateProblem::NotReal => format!("The {label} must be a real date"),
            DateProblem::YearNotFourDigits => format!("The year of the {label} must have 4 numbers"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn iso_dates_are_strict() {
        assert_eq!(parse_iso_date("2026-12-24"), Ok(d(2026, 12, 24)));
        assert_eq!(parse_iso_date(" 2028-02-29 "), Ok(d(2028, 2, 29)));
        assert_eq!(parse_iso_date(""), Err(DateProblem::Missing));
        assert_eq!(parse_iso_date("2026-2-1"), Err(DateProblem::NotIso));
        assert_eq!(parse_iso_date("24/12/2026"), Err(DateProblem::NotIso));
        assert_eq!(parse_iso_date("+2026-1-01"), Err(DateProblem::NotIso));
        assert_eq!(parse_iso_date("2027-02-29"), Err(DateProblem::NotReal));
        assert_eq!(parse_iso_date("2026-13-01"), Err(DateProblem::NotReal));
    }

    #[test]
    fn date_parts_follow_the_govuk_pattern() {
        let parts = |d: &str, m: &str, y: &str| DateParts { day: d.into(), month: m.into(), year: y.into() };
        assert_eq!(parts("24", "12", "2026").parse(), Ok(d(2026, 12, 24)));
        assert_eq!(parts(" 1", "02 ", "2027").parse(), Ok(d(2027, 2, 1)));
        assert_eq!(parts("", "", "").parse(), Err(DateProblem::Missing));
        assert_eq!(parts("1", "", "2027").parse(), Err(DateProblem::MissingPart("month")));
        assert_eq!(parts("", "3", "2027").parse(), Err(DateProblem::MissingPart("day")));
        assert_eq!(parts("30", "2", "2027").parse(), Err(DateProblem::NotReal));
        assert_eq!(parts("x", "2", "2027").parse(), Err(DateProblem::NotReal));
        assert_eq!(parts("1", "2", "27").parse(), Err(DateProblem::YearNotFourDigits));
        assert_eq!(DateParts::from_date(d(2026, 1, 5)), parts("5", "1", "2026"));
        assert_eq!(
            DateProblem::MissingPart("year").message("date of the incident"),
            "The date of the incident must include a year"
        );
    }
}
