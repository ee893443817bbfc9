//! Who sees which cases, run as the Worker runs it: the SQL condition of
//! `domain::case_scope` against the real schema, for every role.

use domain::access::{CaseScope, Grants, Role};
use domain::case_query::CaseQuery;
use domain::case_scope::{Condition, Viewer, matching, visible};
use proptest::prelude::*;
use rusqlite::Connection;
use storage_tests::{migrated, params};

/// Two partnerships. In KRSCP: a referrer's own case (own), someone else's
/// referral with an information request to the police (asked), a case whose
/// review the reviewer was commissioned for (reviewed), and one nobody but
/// the partnership sees (quiet). LLR has one case nobody in KRSCP may see.
fn fixture() -> Connection {
    let db = migrated();
    db.execute_batch(
        "INSERT INTO partnerships (id, code, name, created_at) VALUES ('krscp', 'KRSCP', 'K', '2026-01-01'), ('llr', 'LLR', 'L', '2026-01-01');
         INSERT INTO agencies (id, partnership_id, name, kind, safeguarding_partner) VALUES
           ('police', 'krscp', 'Police', 'police', 1), ('hospital', 'krscp', 'Hospital', 'health', 0), ('llr-police', 'llr', 'Police', 'police', 1);
         INSERT INTO users (id, email, name, password_hash, created_at) VALUES
           ('referrer', 'r@k.org', 'R', 'h', '2026-01-01'), ('other-referrer', 'o@k.org', 'O', 'h', '2026-01-01'),
           ('reviewer', 'v@k.org', 'V', 'h', '2026-01-01'), ('someone', 's@k.org', 'S', 'h', '2026-01-01');
         INSERT INTO cases (id, partnership_id, reference, stage, referrer_user_id, referrer_agency, incident_date, aware_on, personal_data, received_at, updated_at, themes, outcome, pseudonym, tags) VALUES
           ('own', 'krscp', 'KRSCP-2026-0001', 'referral_received', 'referrer', 'Hospital', '2026-11-01', '2026-11-02', 'v1.x', '2026-11-02T09:00:00Z', 'now', '[\"neglect\"]', NULL, NULL, '[]'),
           ('asked', 'krscp', 'KRSCP-2026-0002', 'rapid_review', 'other-referrer', 'School', '2026-10-01', '2026-10-02', 'v1.x', '2026-10-02T09:00:00Z', 'now', '[\"domestic_abuse\",\"neglect\"]', NULL, NULL, '[\"50%_off\"]'),
           ('reviewed', 'krscp', 'KRSCP-2025-0003', 'lcspr', 'other-referrer', 'Police', '2025-06-01', '2025-06-02', 'v1.x', '2025-06-02T09:00:00Z', 'now', '[]', 'lcspr', 'Child Q', '[]'),
           ('quiet', 'krscp', 'KRSCP-2026-0004', 'closed', 'someone', 'GP', '2026-01-01', '2026-01-02', 'v1.x', '2026-01-02T09:00:00Z', 'now', '[]', 'no_further_review', NULL, '[\"500 off\"]'),
           ('elsewhere', 'llr', 'LLR-2026-0001', 'referral_received', 'referrer', 'Hospital', '2026-11-01', '2026-11-02', 'v1.x', '2026-11-02T09:00:00Z', 'now', '[\"neglect\"]', NULL, NULL, '[]');
         INSERT INTO information_requests (id, case_id, agency_id, kind, sent_on, due_on) VALUES
           ('r1', 'asked', 'police', 'chronology', '2026-10-03', '2026-10-10'), ('r2', 'elsewhere', 'llr-police', 'chronology', '2026-11-03', '2026-11-10');
         INSERT INTO reviews (case_id, reviewer_user_id) VALUES ('reviewed', 'reviewer');
         INSERT INTO deadlines (id, case_id, step_key, name, owner_role, statutory, original_due, due, done_on) VALUES
           ('d1', 'asked', 'submit_rapid_review', 'Submit', 'partnership_team', 1, '2026-10-20', '2026-10-20', NULL),
           ('d2', 'own', 'notify_panel', 'Notify', 'partnership_team', 1, '2026-11-30', '2026-11-30', NULL),
           ('d3', 'quiet', 'notify_panel', 'Notify', 'partnership_team', 1, '2026-01-09', '2026-01-09', '2026-01-08');",
    )
    .expect("fixture loads");
    db
}

fn run(db: &Connection, condition: &Condition) -> Vec<String> {
    let sql = format!("SELECT c.id FROM cases c WHERE {} ORDER BY c.id", condition.clause);
    let mut statement = db.prepare(&sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
    statement.query_map(params(&condition.binds).as_slice(), |r| r.get(0)).unwrap().map(Result::unwrap).collect()
}

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

fn viewer(user: &'static str, agency: Option<&'static str>) -> Viewer<'static> {
    Viewer { partnership_id: "krscp", user_id: user, agency_id: agency }
}

#[test]
fn every_role_sees_exactly_its_cases() {
    let db = fixture();
    for role in Role::ALL {
        let scopes = Grants::new(vec![role]).scopes();
        let (who, expected): (Viewer, &[&str]) = match role {
            Role::Referrer => (viewer("referrer", Some("hospital")), &["own"]),
            Role::AgencyLead => (viewer("someone", Some("police")), &["asked"]),
            Role::Reviewer => (viewer("reviewer", None), &["reviewed"]),
            Role::PartnershipTeam | Role::DecisionMaker | Role::Scrutineer | Role::StrategicLeadership => {
                (viewer("someone", None), &["asked", "own", "quiet", "reviewed"])
            }
        };
        assert_eq!(run(&db, &visible(who, &scopes)), expected, "{role:?}");
    }
}

#[test]
fn roles_add_up_and_never_cross_partnerships() {
    let db = fixture();
    let both = Grants::new(vec![Role::Referrer, Role::AgencyLead]).scopes();
    assert_eq!(run(&db, &visible(viewer("referrer", Some("police")), &both)), ["asked", "own"]);
    // The LLR partnership team, and a KRSCP-id user looking at LLR: each sees only its own partnership.
    let llr = Viewer { partnership_id: "llr", user_id: "referrer", agency_id: None };
    assert_eq!(run(&db, &visible(llr, &[CaseScope::WholePartnership])), ["elsewhere"]);
    assert_eq!(run(&db, &visible(llr, &[CaseScope::OwnReferrals])), ["elsewhere"]);
    assert!(!run(&db, &visible(viewer("referrer", None), &[CaseScope::OwnReferrals])).contains(&"elsewhere".to_string()));
}

#[test]
fn an_agency_lead_without_an_agency_and_a_role_without_scope_see_nothing() {
    let db = fixture();
    assert!(run(&db, &visible(viewer("someone", None), &[CaseScope::RequestsToOwnAgency])).is_empty(), "NULL matches no agency");
    assert!(run(&db, &visible(viewer("someone", Some("police")), &[])).is_empty());
}

#[test]
fn the_case_list_filters_within_the_scope() {
    let db = fixture();
    let team = viewer("someone", None);
    let all = [CaseScope::WholePartnership];
    let q = |query: CaseQuery| run(&db, &matching(team, &all, &query, today()));
    assert_eq!(q(CaseQuery { theme: Some("neglect".into()), ..Default::default() }), ["asked", "own"]);
    assert_eq!(q(CaseQuery { stage: Some("lcspr".into()), ..Default::default() }), ["reviewed"]);
    assert_eq!(q(CaseQuery { outcome: Some("no_further_review".into()), ..Default::default() }), ["quiet"]);
    assert_eq!(q(CaseQuery { year: Some(2025), ..Default::default() }), ["reviewed"]);
    assert_eq!(q(CaseQuery { overdue: true, ..Default::default() }), ["asked"], "past due and not done; done or not yet due is not overdue");
    assert_eq!(q(CaseQuery { search: Some("child q".into()), ..Default::default() }), ["reviewed"], "the pseudonym, case-insensitively");
    // `%` and `_` are matched as themselves, not as wildcards: "50%_off" is one tag, "500 off" another.
    assert_eq!(q(CaseQuery { search: Some("50%_".into()), ..Default::default() }), ["asked"]);
    assert_eq!(q(CaseQuery { search: Some("0_o".into()), ..Default::default() }), Vec::<String>::new(), "`_` would match the space of \"500 off\"");
    assert_eq!(q(CaseQuery { search: Some("KRSCP-2026".into()), ..Default::default() }), ["asked", "own", "quiet"]);
    // A referrer's search never reaches beyond their own case.
    let referrer = Grants::new(vec![Role::Referrer]).scopes();
    assert_eq!(run(&db, &matching(viewer("referrer", None), &referrer, &CaseQuery { search: Some("KRSCP".into()), ..Default::default() }, today())), ["own"]);
}

fn any_role() -> impl Strategy<Value = Role> {
    proptest::sample::select(Role::ALL.to_vec())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Whatever is asked of the list, the answer is within what the person may
    /// see, and within their partnership.
    #[test]
    fn matching_never_widens_what_is_visible(
        roles in proptest::collection::vec(any_role(), 0..3),
        user in proptest::sample::select(vec!["referrer", "other-referrer", "reviewer", "someone"]),
        agency in proptest::option::of(proptest::sample::select(vec!["police", "hospital", "llr-police"])),
        theme in proptest::option::of(proptest::sample::select(vec!["neglect", "domestic_abuse"])),
        stage in proptest::option::of(proptest::sample::select(vec!["lcspr", "closed", "rapid_review"])),
        year in proptest::option::of(2024i32..2028),
        overdue in any::<bool>(),
        search in proptest::option::of("[a-zA-Z0-9 %_\\-]{0,6}"),
    ) {
        let db = fixture();
        let who = Viewer { partnership_id: "krscp", user_id: user, agency_id: agency };
        let scopes = Grants::new(roles).scopes();
        let seen = run(&db, &visible(who, &scopes));
        let query = CaseQuery {
            theme: theme.map(String::from),
            stage: stage.map(String::from),
            year,
            search: search.filter(|s| !s.trim().is_empty()),
            overdue,
            ..Default::default()
        };
        let found = run(&db, &matching(who, &scopes, &query, today()));
        prop_assert!(found.iter().all(|c| seen.contains(c)), "{found:?} not within {seen:?}");
        prop_assert!(!found.contains(&"elsewhere".to_string()));
    }
}
