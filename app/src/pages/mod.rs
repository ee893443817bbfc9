//! One module per screen, that is, what a route in `app.rs` shows. No page
//! imports another: what two screens share is in `ui` or `components`.

pub mod account;
pub mod action_plan;
pub mod case_list;
pub mod case_page;
pub mod dev_mailbox;
pub mod home;
pub mod lcspr;
pub mod not_found;
pub mod rapid_review_report;
pub mod referral;
pub mod settings;
pub mod sign_in;
pub mod threshold;
