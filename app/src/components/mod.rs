//! What screens are made of: small GOV.UK Design System components that take
//! plain data, and the sections of a screen that load and change their own
//! part of it (a case's rapid review and meetings, the case matrix's figures,
//! the playbook editor), so a page is only a screen and no page embeds another.

pub mod checkboxes;
pub mod date_input;
pub mod error_summary;
pub mod figures;
pub mod flowchart;
pub mod meetings;
pub mod playbook_editor;
pub mod radios;
pub mod rapid_review;
pub mod reveal;
pub mod text_field;
