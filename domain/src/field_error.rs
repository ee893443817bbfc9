//! Validation failures that name the field a person must correct.

use serde::{Deserialize, Serialize};

/// One problem with one field, worded so the person filling in the form can act on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into() }
    }
}

/// Every problem found in one submission, in the order of the form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    /// One field's problem.
    pub fn one(field: &str, message: impl Into<String>) -> Self {
        FieldErrors(vec![FieldError::new(field, message)])
    }

    pub fn push(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError::new(field, message));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn for_field(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|e| e.field == field).map(|e| e.message.as_str())
    }

    /// `Ok(value)` when nothing was wrong, otherwise every problem at once.
    pub fn into_result<T>(self, value: impl FnOnce() -> T) -> Result<T, FieldErrors> {
        if self.0.is_empty() { Ok(value()) } else { Err(self) }
    }
}

impl std::fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self.0.iter().map(|e| format!("{}: {}", e.field, e.message)).collect();
        f.write_str(&parts.join("; "))
    }
}

impl std::error::Error for FieldErrors {}

/// Reads a JSON body into an input type, naming the field at fault: a value of
/// the wrong type or an unknown field is reported against its path (e.g.
/// `children[0].name`); serde's own messages name a line and column instead.
/// `what` completes "This field is not part of …".
pub fn from_json<T: serde::de::DeserializeOwned>(body: &serde_json::Value, what: &str) -> Result<T, FieldErrors> {
    let mut errors = FieldErrors::default();
    if !body.is_object() {
        errors.push("body", format!("The body must be a JSON object: {what}"));
        return Err(errors);
    }
    serde_path_to_error::deserialize(body).map_err(|error| {
        let path = error.path().to_string();
        let message = error.into_inner().to_string();
        // For an unknown field the path already ends with its name.
        let (field, message) = if message.starts_with("unknown field") {
            (path, format!("This field is not part of {what}"))
        } else if message.contains("expected a string") {
            (path, "Must be text".to_string())
        } else if message.contains("expected a boolean") {
            (path, "Must be true or false".to_string())
        } else if message.contains("expected a sequence") {
            (path, "Must be a list".to_string())
        } else if message.contains("expected u32") || message.contains("expected u8") || message.contains("expected i64") {
            (path, "Must be a whole number".to_string())
        } else if message.contains("expected struct") || message.contains("expected a map") {
            (path, "Must be an object".to_string())
        } else {
            (if path == "." { "body".into() } else { path }, "This value is not allowed here".to_string())
        };
        errors.push(&field, message);
        errors
    })
}
