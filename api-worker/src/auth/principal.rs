//! The person behind a request and what their roles let them do. Nothing
//! here reads storage: sessions find the principal, everything else asks it.

use domain::access::{Capability, Grants, SignedIn};

use crate::http::error::ApiError;

/// The person behind a request, in the one partnership their session is for.
#[derive(Debug, Clone)]
pub struct Principal {
    pub user_id: String,
    pub name: String,
    pub email: String,
    pub partnership_id: String,
    pub partnership_code: String,
    pub partnership_name: String,
    pub playbook: String,
    pub grants: Grants,
    pub agency_id: Option<String>,
    pub agency_name: Option<String>,
}

impl Principal {
    pub fn require(&self, capability: Capability) -> Result<(), ApiError> {
        if self.grants.may(capability) { Ok(()) } else { Err(ApiError::Forbidden) }
    }

    /// What the app is told of the person; `idle_timeout_seconds` is the session's.
    pub fn signed_in(&self, idle_timeout_seconds: u32) -> SignedIn {
        SignedIn {
            name: self.name.clone(),
            email: self.email.clone(),
            partnership_code: self.partnership_code.clone(),
            partnership_name: self.partnership_name.clone(),
            playbook: self.playbook.clone(),
            roles: self.grants.roles.clone(),
            agency_name: self.agency_name.clone(),
            idle_timeout_seconds,
        }
    }
}

