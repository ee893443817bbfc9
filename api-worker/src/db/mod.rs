//! Storage mechanisms every write shares: the audit entry and idempotent creation.

pub mod audit;
pub mod idempotency;
