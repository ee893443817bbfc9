//! Who is asking: passwords, sessions, the limits on sign-in attempts, and
//! the principal of a request.

pub mod limiter;
pub mod limits;
pub mod password;
pub mod principal;
pub mod session;
