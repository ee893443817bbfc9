//! The schema protects the data by itself: the audit trail cannot be
//! rewritten, references and steps are unique, and closed lists are closed.

use storage_tests::migrated;

fn seed_case(db: &rusqlite::Connection, id: &str, reference: &str) -> rusqlite::Result<()> {
    db.execute_batch(&format!(
        "INSERT OR IGNORE INTO partnerships (id, code, name, created_at) VALUES ('p', 'KRSCP', 'K', '2026-01-01');
         INSERT INTO cases (id, partnership_id, reference, stage, referrer_agency, incident_date, aware_on, personal_data, received_at, updated_at)
         VALUES ('{id}', 'p', '{reference}', 'referral_received', 'Hospital', '2026-11-01', '2026-11-02', 'v1.sealed', '2026-11-02T10:00:00Z', '2026-11-02T10:00:00Z');"
    ))
}

#[test]
fn every_migration_applies_and_every_table_the_worker_uses_exists() {
    let db = migrated();
    let tables: Vec<String> = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for table in [
        "partnerships", "agencies", "contacts", "users", "memberships", "reference_counters", "cases", "audit_log",
        "case_events", "deadlines", "decisions", "information_requests", "chronology_entries", "meetings", "meeting_attendees",
        "reviews", "family_engagement", "review_drafts", "recommendations", "actions", "notifications",
        "key_practice_episodes", "idempotency_keys", "rapid_review_reports", "rapid_review_signoffs",
    ] {
        assert!(tables.iter().any(|t| t == table), "missing table {table}");
    }
}

#[test]
fn the_audit_trail_refuses_updates_and_deletes() {
    let db = migrated();
    db.execute("INSERT INTO audit_log (at, action) VALUES ('2026-11-24T10:00:00Z', 'personal_details_read')", []).unwrap();
    let update = db.execute("UPDATE audit_log SET action = 'nothing'", []).unwrap_err();
    assert!(update.to_string().contains("append-only"), "{update}");
    let delete = db.execute("DELETE FROM audit_log", []).unwrap_err();
    assert!(delete.to_string().contains("append-only"), "{delete}");
    let count: i64 = db.query_row("SELECT count(*) FROM audit_log WHERE action = 'personal_details_read'", [], |r| r.get(0)).unwrap();
    assert_eq!(count, 1);
}

#[test]
fn references_and_deadline_steps_are_unique() {
    let db = migrated();
    seed_case(&db, "c1", "KRSCP-2026-0001").unwrap();
    assert!(seed_case(&db, "c2", "KRSCP-2026-0001").is_err(), "a second case with the same reference is refused");
    let deadline = "INSERT INTO deadlines (id, case_id, step_key, name, owner_role, statutory, original_due, due) VALUES (?1, 'c1', 'notify_panel', 'Notify', 'partnership_team', 1, '2026-11-09', '2026-11-09')";
    db.execute(deadline, ["d1"]).unwrap();
    assert!(db.execute(deadline, ["d2"]).is_err(), "one deadline per step per case");
}

#[test]
fn closed_lists_refuse_values_outside_them() {
    let db = migrated();
    seed_case(&db, "c1", "KRSCP-2026-0001").unwrap();
    db.execute_batch(
        "INSERT INTO users (id, email, name, password_hash, created_at) VALUES ('u', 'u@x.org', 'U', 'h', '2026-01-01');
         INSERT INTO agencies (id, partnership_id, name, kind) VALUES ('a', 'p', 'Police', 'police');
         INSERT INTO recommendations (id, case_id, text) VALUES ('r', 'c1', 'Share information');",
    )
    .unwrap();
    let refused = [
        "INSERT INTO decisions (id, case_id, kind, outcome, rationale, decided_by, decided_at) VALUES ('d', 'c1', 'whim', 'x', 'y', 'u', 'now')",
        "INSERT INTO actions (id, recommendation_id, case_id, description, owner_agency_id, due_on, status) VALUES ('x', 'r', 'c1', 'd', 'a', '2027-01-01', 'forgotten')",
        "INSERT INTO information_requests (id, case_id, agency_id, kind, sent_on, due_on) VALUES ('i', 'c1', 'a', 'gossip', '2026-11-01', '2026-11-08')",
        "INSERT INTO meetings (id, case_id, kind, starts_at) VALUES ('m', 'c1', 'party', '2026-12-01T10:00')",
        "INSERT INTO rapid_review_signoffs (case_id, partner, user_id, signed_at) VALUES ('c1', 'education', 'u', 'now')",
        "INSERT INTO agencies (id, partnership_id, name, kind) VALUES ('b', 'p', 'Other', 'church')",
        "INSERT INTO memberships (user_id, partnership_id, role) VALUES ('u', 'p', 'superuser')",
        // A record of a case that does not exist: foreign keys hold.
        "INSERT INTO case_events (id, case_id, kind, occurred_on, recorded_at) VALUES ('e', 'no-such-case', 'notified', '2026-11-03', 'now')",
    ];
    for sql in refused {
        assert!(db.execute(sql, []).is_err(), "accepted: {sql}");
    }
    db.execute(
        "INSERT INTO actions (id, recommendation_id, case_id, description, owner_agency_id, due_on, status) VALUES ('ok', 'r', 'c1', 'd', 'a', '2027-01-01', 'in_progress')",
        [],
    )
    .expect("a listed status is accepted");
}

#[test]
fn one_claim_per_idempotency_key() {
    let db = migrated();
    db.execute("INSERT INTO users (id, email, name, password_hash, created_at) VALUES ('u', 'u@x.org', 'U', 'h', '2026-01-01')", []).unwrap();
    let claim = "INSERT INTO idempotency_keys (user_id, key, route, created_at) VALUES ('u', 'key-12345678', 'meetings:X', 'now')";
    db.execute(claim, []).unwrap();
    assert!(db.execute(claim, []).is_err(), "a second claim of the same key fails, so its batch rolls back");
}
