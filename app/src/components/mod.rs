//! Small GOV.UK Design System components that take plain data.

pub mod checkboxes;
pub mod date_input;
pub mod error_summary;
pub mod flowchart;
pub mod radios;
pub mod reveal;
pub mod text_field;
