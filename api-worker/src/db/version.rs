//! Optimistic concurrency, one mechanism for every versioned record. A write
//! names the version its author read (`... WHERE id = ? AND version = ?`);
//! the guard right after it aborts the whole batch (one transaction) unless
//! exactly one row changed, so a stale write changes nothing at all, its
//! audit entry and knock-on statements included, and the caller answers 409
//! with the record as it is now.

use worker::{D1Database, D1PreparedStatement};

use crate::http::error::ApiError;

/// Whether a guarded batch was stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use]
pub enum Committed {
    Stored,
    /// Someone changed the record since its version was read: nothing was stored.
    Stale,
}

/// `json()` of a text that is not JSON raises, which is how SQL alone can abort a batch.
const GUARD: &str = "SELECT CASE WHEN changes() = 1 THEN 1 ELSE json('stale version') END";

/// Runs `write`, the guard, then `rest`, as one transaction. A record created
/// at version 0 by someone else first (a unique key taken) is stale too.
pub async fn commit(db: &D1Database, write: D1PreparedStatement, rest: Vec<D1PreparedStatement>) -> Result<Committed, ApiError> {
    let mut statements = vec![write, db.prepare(GUARD)];
    statements.extend(rest);
    match db.batch(statements).await {
        Ok(_) => Ok(Committed::Stored),
        Err(error) if is_stale(&error.to_string()) => Ok(Committed::Stale),
        Err(error) => Err(error.into()),
    }
}

fn is_stale(message: &str) -> bool {
    message.contains("malformed JSON") || message.contains("UNIQUE constraint failed")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_guard_and_a_taken_unique_key_read_as_stale_and_nothing_else_does() {
        assert!(is_stale("D1_ERROR: malformed JSON: SQLITE_ERROR"));
        assert!(is_stale("D1_ERROR: UNIQUE constraint failed: rapid_review_reports.case_id"));
        assert!(!is_stale("D1_ERROR: no such table: meetings"));
        assert!(GUARD.contains("changes() = 1"));
    }
}
