//! What the runtime provides: the clock, WebCrypto and sealing personal data.

pub mod clock;
pub mod sealed;
pub mod webcrypto;
