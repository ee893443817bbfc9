//! Passwords: PBKDF2-HMAC-SHA-256 with a 16-byte salt and 100,000
//! iterations (the most Workers' WebCrypto allows), stored as
//! `pbkdf2-sha256$<iterations>$<salt>$<hash>` so the cost can rise later.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::platform::webcrypto::{CryptoError, pbkdf2_sha256};

pub const ITERATIONS: u32 = 100_000;

pub async fn verify(password: &str, stored: &str) -> Result<bool, CryptoError> {
    let mut parts = stored.split('$');
    let (Some("pbkdf2-sha256"), Some(iterations), Some(salt), Some(expected), None) =
        (parts.next(), parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Ok(false);
    };
    let (Ok(iterations), Ok(salt), Ok(expected)) =
        (iterations.parse::<u32>(), STANDARD.decode(salt), STANDARD.decode(expected))
    else {
        return Ok(false);
    };
    let derived = pbkdf2_sha256(password.as_bytes(), &salt, iterations.min(ITERATIONS)).await?;
    Ok(constant_time_eq(&derived, &expected))
}

/// Spends the same time as a real check, so an unknown email cannot be told
/// from a wrong password by the response time.
pub async fn waste_time(password: &str) {
    let _ = pbkdf2_sha256(password.as_bytes(), &[0u8; 16], ITERATIONS).await;
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
