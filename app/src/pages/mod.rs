//! One module per screen.

pub mod action_plan;
pub mod case_list;
pub mod case_page;
pub mod dev_mailbox;
pub mod figures;
pub mod home;
pub mod lcspr;
pub mod meetings;
pub mod not_found;
pub mod playbook_editor;
pub mod rapid_review;
pub mod rapid_review_report;
pub mod referral;
pub mod settings;
pub mod sign_in;
pub mod threshold;
