//! Which cases a person may see, as an SQL condition on `cases c`. It lives
//! here, not in the worker, so that the very same condition runs against
//! SQLite in the native storage tests and against D1 in the worker.
//!
//! Parameters are numbered from ?1 and only the ones a scope needs are bound,
//! because D1 refuses a bound value the SQL does not use.

use crate::access::CaseScope;
use crate::case_query::CaseQuery;

/// Who is looking, in the terms the scopes need.
#[derive(Debug, Clone, Copy)]
pub struct Viewer<'a> {
    pub partnership_id: &'a str,
    pub user_id: &'a str,
    pub agency_id: Option<&'a str>,
}

/// A WHERE condition and its parameters in order; `None` binds NULL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    pub clause: String,
    pub binds: Vec<Option<String>>,
}

impl Condition {
    /// Adds `AND sql`, where `{}` in `sql` stands for the new parameter's number.
    pub fn and(&mut self, sql: &str, value: Option<String>) {
        self.binds.push(value);
        self.clause.push_str(" AND ");
        self.clause.push_str(&sql.replace("{}", &self.binds.len().to_string()));
    }

    /// The number the next parameter will take, for SQL that follows the condition.
    pub fn next_param(&self) -> usize {
        self.binds.len() + 1
    }
}

/// The cases the viewer may see: always within their partnership, and within
/// the union of their roles' scopes.
pub fn visible(viewer: Viewer<'_>, scopes: &[CaseScope]) -> Condition {
    let mut binds = vec![Some(viewer.partnership_id.to_string())];
    if scopes.contains(&CaseScope::WholePartnership) {
        return Condition { clause: "c.partnership_id = ?1".into(), binds };
    }
    let mut any: Vec<String> = Vec::new();
    for scope in scopes {
        let (sql, value) = match scope {
            CaseScope::OwnReferrals => ("c.referrer_user_id = ?{}", Some(viewer.user_id.to_string())),
            CaseScope::RequestsToOwnAgency => (
                "EXISTS (SELECT 1 FROM information_requests r WHERE r.case_id = c.id AND r.agency_id = ?{})",
                viewer.agency_id.map(str::to_string),
            ),
            CaseScope::CommissionedReviews => (
                "EXISTS (SELECT 1 FROM reviews v WHERE v.case_id = c.id AND v.reviewer_user_id = ?{})",
                Some(viewer.user_id.to_string()),
            ),
            CaseScope::WholePartnership => unreachable!("handled above"),
        };
        binds.push(value);
        any.push(sql.replace("{}", &binds.len().to_string()));
    }
    let clause = if any.is_empty() {
        "c.partnership_id = ?1 AND 0".to_string()
    } else {
        format!("c.partnership_id = ?1 AND ({})", any.join(" OR "))
    };
    Condition { clause, binds }
}

/// The visible cases that also match what was asked of the case list.
/// `today` (the UK date) decides what is overdue.
pub fn matching(viewer: Viewer<'_>, scopes: &[CaseScope], query: &CaseQuery, today: chrono::NaiveDate) -> Condition {
    let mut condition = visible(viewer, scopes);
    if query.overdue {
        condition.and("EXISTS (SELECT 1 FROM deadlines d WHERE d.case_id = c.id AND d.done_on IS NULL AND d.not_applicable IS NULL AND d.due < ?{})", Some(today.to_string()));
    }
    if let Some(stage) = &query.stage {
        condition.and("c.stage = ?{}", Some(stage.clone()));
    }
    if let Some(outcome) = &query.outcome {
        condition.and("c.outcome = ?{}", Some(outcome.clone()));
    }
    if let Some(theme) = &query.theme {
        condition.and("EXISTS (SELECT 1 FROM json_each(c.themes) WHERE value = ?{})", Some(theme.clone()));
    }
    if let Some(year) = query.year {
        condition.and("substr(c.received_at, 1, 4) = ?{}", Some(year.to_string()));
    }
    if let Some(search) = &query.search {
        condition.and(
            "(c.reference LIKE ?{} ESCAPE '\\' OR c.national_reference LIKE ?{} ESCAPE '\\' \
             OR c.steis_reference LIKE ?{} ESCAPE '\\' OR c.pseudonym LIKE ?{} ESCAPE '\\' \
             OR c.referrer_agency LIKE ?{} ESCAPE '\\' OR c.tags LIKE ?{} ESCAPE '\\')",
            Some(crate::case_query::like_pattern(search)),
        );
    }
    condition
}

#[cfg(test)]
mod tests {
    use super::*;

    const VIEWER: Viewer<'static> = Viewer { partnership_id: "p", user_id: "u", agency_id: Some("a") };

    #[test]
    fn whole_partnership_binds_only_the_partnership() {
        let c = visible(VIEWER, &[CaseScope::OwnReferrals, CaseScope::WholePartnership]);
        assert_eq!(c.clause, "c.partnership_id = ?1");
        assert_eq!(c.binds, vec![Some("p".to_string())]);
    }

    #[test]
    fn scopes_are_a_union_numbered_in_order() {
        let c = visible(VIEWER, &[CaseScope::OwnReferrals, CaseScope::RequestsToOwnAgency]);
        assert!(c.clause.contains("c.referrer_user_id = ?2 OR EXISTS"));
        assert!(c.clause.contains("r.agency_id = ?3"));
        assert_eq!(c.binds.len(), 3);
    }

    #[test]
    fn no_scope_sees_nothing() {
        assert!(visible(VIEWER, &[]).clause.ends_with("AND 0"));
    }

    #[test]
    fn every_search_placeholder_uses_the_one_parameter() {
        let query = CaseQuery { search: Some("50%_off".into()), year: Some(2026), ..CaseQuery::default() };
        let c = matching(VIEWER, &[CaseScope::WholePartnership], &query, chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap());
        assert_eq!(c.binds.len(), 3);
        assert_eq!(c.binds[2].as_deref(), Some("%50\\%\\_off%"));
        assert_eq!(c.clause.matches("?3").count(), 6);
        assert_eq!(c.next_param(), 4);
    }
}
