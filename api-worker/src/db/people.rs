//! People and their memberships: who a user is in each partnership (roles,
//! agency), and the stored password hash sign-in checks. A disabled user
//! has neither: they cannot sign in, and their live sessions stop at once.

use domain::access::{Grants, Role};
use serde::Deserialize;
use worker::D1Database;

use crate::auth::principal::Principal;
use crate::http::error::ApiError;
use crate::db::Query;

/// One role of a user in one partnership.
#[derive(Debug, Deserialize)]
pub(super) struct MembershipRow {
    user_id: String,
    name: String,
    email: String,
    partnership_id: String,
    code: String,
    partnership_name: String,
    playbook_id: String,
    role: String,
    agency_id: Option<String>,
    agency_name: Option<String>,
}

/// A user's roles in one partnership (their first, if none is named), or
/// none when they have no membership there or are disabled.
pub async fn principal(db: &D1Database, user_id: &str, partnership_id: Option<&str>) -> Result<Option<Principal>, ApiError> {
    let rows: Vec<MembershipRow> = db
        .prepare(format!("{MEMBERSHIPS} WHERE u.id = ?1 AND u.disabled_at IS NULL ORDER BY p.code, m.role"))
        .bind(&[user_id.into()])?
        .rows()
        .await?;
    Ok(principal_of(&rows, partnership_id))
}

/// A user's memberships with their partnerships and agencies, as [`MembershipRow`]s.
pub(super) const MEMBERSHIPS: &str = "SELECT u.id AS user_id, u.name, u.email, p.id AS partnership_id, p.code, p.name AS partnership_name, \
     p.playbook_id, m.role, m.agency_id, a.name AS agency_name \
     FROM users u JOIN memberships m ON m.user_id = u.id JOIN partnerships p ON p.id = m.partnership_id \
     LEFT JOIN agencies a ON a.id = m.agency_id";

/// The rows come ordered by partnership code, so "their first" is stable.
pub(super) fn principal_of(rows: &[MembershipRow], partnership_id: Option<&str>) -> Option<Principal> {
    let first = rows.iter().find(|r| partnership_id.is_none_or(|p| p == r.partnership_id))?;
    let partnership_id = first.partnership_id.clone();
    let mine: Vec<&MembershipRow> = rows.iter().filter(|r| r.partnership_id == partnership_id).collect();
    Some(Principal {
        user_id: first.user_id.clone(),
        name: first.name.clone(),
        email: first.email.clone(),
        partnership_id,
        partnership_code: first.code.clone(),
        partnership_name: first.partnership_name.clone(),
        playbook: first.playbook_id.clone(),
        grants: Grants::new(mine.iter().filter_map(|r| Role::parse(&r.role)).collect()),
        agency_id: mine.iter().find_map(|r| r.agency_id.clone()),
        agency_name: mine.iter().find_map(|r| r.agency_name.clone()),
    })
}

/// What sign-in checks a password against.
#[derive(Debug, Deserialize)]
pub struct StoredCredentials {
    pub id: String,
    pub password_hash: String,
}

/// The credentials of the enabled user with this email address.
pub async fn credentials(db: &D1Database, email: &str) -> Result<Option<StoredCredentials>, ApiError> {
    db
        .prepare("SELECT id, password_hash FROM users WHERE email = ?1 AND disabled_at IS NULL")
        .bind(&[email.into()])?
        .row::<StoredCredentials>()
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(partnership: &str, role: &str, agency: Option<&str>) -> MembershipRow {
        MembershipRow {
            user_id: "u1".into(),
            name: "Sam Lead".into(),
            email: "sam@example.org".into(),
            partnership_id: format!("p-{partnership}"),
            code: partnership.into(),
            partnership_name: format!("{partnership} partnership"),
            playbook_id: "national".into(),
            role: role.into(),
            agency_id: agency.map(|a| format!("a-{a}")),
            agency_name: agency.map(String::from),
        }
    }

    fn rows() -> Vec<MembershipRow> {
        vec![row("KENT", "agency_lead", Some("Police")), row("KENT", "reviewer", None), row("LLR", "partnership_team", None)]
    }

    #[test]
    fn without_a_partnership_named_a_user_gets_their_first_with_only_its_roles() {
        let who = principal_of(&rows(), None).expect("a member");
        assert_eq!(who.partnership_code, "KENT");
        assert_eq!(who.grants.roles, Grants::new(vec![Role::AgencyLead, Role::Reviewer]).roles);
        assert_eq!(who.agency_id.as_deref(), Some("a-Police"));
        assert_eq!(who.agency_name.as_deref(), Some("Police"));
    }

    #[test]
    fn a_session_for_another_partnership_gets_that_partnerships_roles_and_agency() {
        let who = principal_of(&rows(), Some("p-LLR")).expect("a member");
        assert_eq!(who.partnership_name, "LLR partnership");
        assert_eq!(who.grants.roles, vec![Role::PartnershipTeam]);
        assert_eq!(who.agency_id, None);
    }

    #[test]
    fn no_membership_in_the_named_partnership_or_at_all_is_no_principal() {
        assert!(principal_of(&rows(), Some("p-KIRKLEES")).is_none());
        assert!(principal_of(&[], None).is_none());
    }
}
