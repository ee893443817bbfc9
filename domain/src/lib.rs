//! The domain of serious child safeguarding case reviews, in its own words.
//!
//! Nothing here does I/O or reads a clock: callers pass "today" in, so the
//! same rules run natively in tests, in the browser and in the worker.

pub mod access;
pub mod api;
pub mod action_plan;
#[cfg(feature = "bench")]
pub mod bench_work;
pub mod calendar;
pub mod case;
pub mod case_query;
pub mod case_scope;
pub mod date_input;
pub mod deadline;
pub mod field_error;
pub mod figures;
pub mod form_input;
pub mod information;
pub mod meeting;
pub mod notification;
pub mod playbook;
pub mod rapid_review;
pub mod rapid_review_report;
pub mod referral;
pub mod review;
pub mod settings;
pub mod threshold;
pub mod timeline;
pub mod uk_time;

pub use field_error::{FieldError, FieldErrors};
