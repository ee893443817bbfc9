//! One module per screen.

pub mod case_list;
pub mod case_page;
pub mod dev_mailbox;
pub mod home;
pub mod not_found;
pub mod rapid_review;
pub mod referral;
pub mod settings;
pub mod sign_in;
pub mod threshold;
