//! What a person asks of the case list and the case matrix: filters, search,
//! sort and page, parsed from the query string into values the store can use
//! without further checks.

use crate::case::THEMES;
use crate::field_error::FieldErrors;

pub const MAX_PER_PAGE: u32 = 200;
/// D1 refuses LIKE patterns longer than 50 bytes; the search's pattern is
/// `%` + the escaped text + `%`.
pub const MAX_PATTERN_BYTES: usize = 50;

/// The LIKE pattern that finds `search` anywhere, with `%`, `_` and `\` matched as themselves.
pub fn like_pattern(search: &str) -> String {
    let escaped = search.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}
pub const DEFAULT_PER_PAGE: u32 = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortBy {
    Received,
    Reference,
    Incident,
    Stage,
}

impl SortBy {
    /// The column it sorts on: a closed set, so it can go into SQL as text.
    pub fn column(self) -> &'static str {
        match self {
            SortBy::Received => "c.received_at",
            SortBy::Reference => "c.reference",
            SortBy::Incident => "c.incident_date",
            SortBy::Stage => "c.stage",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseQuery {
    pub stage: Option<String>,
    pub outcome: Option<String>,
    pub theme: Option<String>,
    pub year: Option<i32>,
    /// Matches references, pseudonym, referring agency and tags; never personal data, which is sealed.
    pub search: Option<String>,
    /// Only cases with a deadline past due and not done.
    pub overdue: bool,
    pub sort: SortBy,
    pub descending: bool,
    pub page: u32,
    pub per_page: u32,
}

impl Default for CaseQuery {
    fn default() -> Self {
        CaseQuery {
            stage: None,
            outcome: None,
            theme: None,
            year: None,
            search: None,
            overdue: false,
            sort: SortBy::Received,
            descending: true,
            page: 1,
            per_page: DEFAULT_PER_PAGE,
        }
    }
}

fn word(raw: &str) -> bool {
    !raw.is_empty() && raw.len() <= 40 && raw.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
}

impl CaseQuery {
    /// Parses `key=value` pairs (already URL-decoded). Unknown keys are refused
    /// so that a misspelt filter is not silently ignored.
    pub fn parse<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<CaseQuery, FieldErrors> {
        let mut q = CaseQuery::default();
        let mut e = FieldErrors::default();
        for (key, value) in pairs {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            match key {
                "stage" if word(value) => q.stage = Some(value.into()),
                "outcome" if word(value) => q.outcome = Some(value.into()),
                "stage" | "outcome" => e.push(key, "Use the stage or outcome name, like referral_received"),
                "theme" if THEMES.iter().any(|(k, _)| *k == value) => q.theme = Some(value.into()),
                "theme" => e.push(key, "Choose a theme from the partnership's list"),
                "year" => match value.parse::<i32>() {
                    Ok(y) if (2000..=2100).contains(&y) => q.year = Some(y),
                    _ => e.push(key, "Enter a year like 2026"),
                },
                "q" if like_pattern(value).len() <= MAX_PATTERN_BYTES => q.search = Some(value.into()),
                "q" => e.push(key, "Search for fewer characters: a reference, pseudonym, agency or tag is enough (at most 48 letters or digits)"),
                "overdue" => match value {
                    "1" | "true" | "yes" => q.overdue = true,
                    "0" | "false" | "no" => q.overdue = false,
                    _ => e.push(key, "Overdue is 1 (only overdue cases) or 0"),
                },
                "sort" => match value {
                    "received" => q.sort = SortBy::Received,
                    "reference" => q.sort = SortBy::Reference,
                    "incident" => q.sort = SortBy::Incident,
                    "stage" => q.sort = SortBy::Stage,
                    _ => e.push(key, "Sort by received, reference, incident or stage"),
                },
                "order" => match value {
                    "asc" => q.descending = false,
                    "desc" => q.descending = true,
                    _ => e.push(key, "Order is asc or desc"),
                },
                "page" => match value.parse::<u32>() {
                    Ok(p) if p >= 1 => q.page = p,
                    _ => e.push(key, "Page is a whole number from 1"),
                },
                "per_page" => match value.parse::<u32>() {
                    Ok(n) if (1..=MAX_PER_PAGE).contains(&n) => q.per_page = n,
                    _ => e.push(key, format!("Show between 1 and {MAX_PER_PAGE} cases a page")),
                },
                other => e.push(other, "This is not a filter of the case list"),
            }
        }
        e.into_result(|| q)
    }

    pub fn offset(&self) -> u64 {
        (self.page as u64 - 1) * self.per_page as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_list_the_newest_first() {
        let q = CaseQuery::parse([]).unwrap();
        assert_eq!((q.sort, q.descending, q.page, q.per_page), (SortBy::Received, true, 1, DEFAULT_PER_PAGE));
    }

    #[test]
    fn filters_are_read_and_bad_ones_named() {
        let q = CaseQuery::parse([("stage", "rapid_review"), ("theme", "neglect"), ("year", "2026"), ("q", " KRSCP "), ("sort", "reference"), ("order", "asc"), ("page", "3"), ("per_page", "20")]).unwrap();
        assert_eq!(q.stage.as_deref(), Some("rapid_review"));
        assert_eq!(q.search.as_deref(), Some("KRSCP"));
        assert_eq!(q.offset(), 40);
        assert!(!q.descending);

        let e = CaseQuery::parse([("stage", "'; DROP TABLE cases"), ("theme", "gangs"), ("year", "26"), ("page", "0"), ("per_page", "1000"), ("sort", "name"), ("colour", "red")]).unwrap_err();
        let named: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(named, vec!["stage", "theme", "year", "page", "per_page", "sort", "colour"]);
    }

    #[test]
    fn blank_values_are_no_filter() {
        assert_eq!(CaseQuery::parse([("stage", ""), ("q", "  ")]).unwrap(), CaseQuery::default());
    }

    #[test]
    fn a_search_fits_the_databases_pattern_limit() {
        assert_eq!(like_pattern("50%_off"), "%50\\%\\_off%");
        let long = "0".repeat(48);
        assert!(CaseQuery::parse([("q", long.as_str())]).is_ok());
        let longer = "0".repeat(49);
        assert!(CaseQuery::parse([("q", longer.as_str())]).unwrap_err().for_field("q").is_some());
        let escapes = "%".repeat(30);
        assert!(CaseQuery::parse([("q", escapes.as_str())]).is_err(), "escaping doubles the bytes");
    }
}
