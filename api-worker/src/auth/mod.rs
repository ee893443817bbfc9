//! Who is asking: passwords, sessions and the principal of a request.

pub mod password;
pub mod principal;
pub mod session;
