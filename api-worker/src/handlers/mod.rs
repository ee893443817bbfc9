//! One module per resource: parse the request, authorise, call the rules, answer.

pub mod action_plans;
pub mod bank_holidays;
pub mod calendar;
pub mod cases;
pub mod decisions;
pub mod documents;
pub mod figures;
pub mod information_requests;
pub mod meetings;
pub mod my_work;
pub mod notification_check;
pub mod notifications;
pub mod rapid_review_report;
pub mod review;
pub mod sealing;
pub mod settings;
pub mod timeline;
