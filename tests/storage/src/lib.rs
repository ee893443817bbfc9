//! A database like the Worker's, in memory: every file of `migrations/`
//! applied in order to SQLite. SQLite is D1's engine, so schema, constraints,
//! triggers and the SQL of `domain::case_scope` behave here as they do there
//! (D1's own limits, such as refusing unused parameters, are the API suite's).

use std::path::PathBuf;

use rusqlite::Connection;

pub fn migrations_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../migrations")
}

/// The migration files in the order wrangler applies them (by name).
pub fn migration_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(migrations_dir())
        .expect("migrations/ exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
        .collect();
    files.sort();
    files
}

/// A fresh in-memory database with every migration applied.
pub fn migrated() -> Connection {
    let db = Connection::open_in_memory().expect("SQLite opens in memory");
    // D1 enforces foreign keys; so must the copy.
    db.execute_batch("PRAGMA foreign_keys = ON;").expect("foreign keys on");
    for file in migration_files() {
        let sql = std::fs::read_to_string(&file).expect("migration readable");
        db.execute_batch(&sql).unwrap_or_else(|e| panic!("{} does not apply: {e}", file.display()));
    }
    db
}

/// Binds the domain's parameters (`None` is NULL) for rusqlite.
pub fn params(binds: &[Option<String>]) -> Vec<&dyn rusqlite::ToSql> {
    binds.iter().map(|b| b as &dyn rusqlite::ToSql).collect()
}
