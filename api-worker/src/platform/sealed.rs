//! Sealing personal data, and free text about a family, before it reaches
//! D1: AES-256-GCM through WebCrypto.
//!
//! A value is sealed to its place: its partnership, table, column and row
//! are the cipher's associated data, and each partnership has its own key,
//! derived (HKDF-SHA-256) from the `PII_KEY` secret and the partnership's id.
//! A value copied to another row, column or partnership does not open there.
//! A sealed value reads `v2.<iv>.<ciphertext>` (base64url). Values sealed
//! before (`v1.`: one key, no place) still open, and the daily job reseals
//! them (`handlers::sealing`), so the change needs no downtime.
//!
//! Sealing is free; opening is not: an [`Opener`] is made only from an
//! [`AuditedRead`], the proof that the read was written to the audit trail
//! (`db::audit::sealed_read`). No handler can open a value without one.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use worker::Env;

use crate::db::audit::AuditedRead;
use crate::http::error::ApiError;
use crate::platform::webcrypto::{AesKey, hkdf_sha256, random_bytes};

/// Where a sealed value is stored: the row's table, column and key.
#[derive(Debug, Clone, Copy)]
pub struct Place<'a> {
    pub table: &'static str,
    pub column: &'static str,
    pub row: &'a str,
}

impl<'a> Place<'a> {
    pub fn of(table: &'static str, column: &'static str, row: &'a str) -> Place<'a> {
        Place { table, column, row }
    }
}

const HKDF_SALT: &[u8] = b"safeguarding-reviews/sealed/v2";

/// The seal and key version of values written now.
const CURRENT: &str = "v2";

pub struct Sealer {
    partnership_id: String,
    key: AesKey,
    /// The one key of `v1.` values, kept to open (and reseal) them.
    legacy: AesKey,
}

fn broken() -> ApiError {
    ApiError::Internal(worker::Error::RustError("a sealed value could not be opened".into()))
}

impl Sealer {
    /// The sealer of one partnership's data.
    pub async fn for_partnership(env: &Env, partnership_id: &str) -> Result<Self, ApiError> {
        let raw = env
            .secret("PII_KEY")
            .map(|s| s.to_string())
            .map_err(|_| ApiError::NotConfigured("the PII_KEY secret is not set"))?;
        let secret = STANDARD.decode(raw.trim()).map_err(|_| ApiError::NotConfigured("PII_KEY must be 32 bytes in base64"))?;
        let legacy = AesKey::import(&secret).await.map_err(|_| ApiError::NotConfigured("PII_KEY must be 32 bytes in base64"))?;
        let derived = hkdf_sha256(&secret, HKDF_SALT, format!("partnership:{partnership_id}").as_bytes()).await?;
        let key = AesKey::import(&derived).await?;
        Ok(Sealer { partnership_id: partnership_id.to_string(), key, legacy })
    }

    /// What the ciphertext is bound to: the partnership and the place, unambiguously joined.
    fn associated(&self, place: Place<'_>) -> Vec<u8> {
        [CURRENT, &self.partnership_id, place.table, place.column, place.row].join("\u{1f}").into_bytes()
    }

    pub async fn seal(&self, place: Place<'_>, plaintext: &str) -> Result<String, ApiError> {
        let iv = random_bytes::<12>();
        let ciphertext = self.key.encrypt(&iv, plaintext.as_bytes(), Some(&self.associated(place))).await?;
        Ok(format!("{CURRENT}.{}.{}", URL_SAFE_NO_PAD.encode(iv), URL_SAFE_NO_PAD.encode(ciphertext)))
    }

    /// The opener, once the read is audited.
    pub fn opener(self, read: AuditedRead) -> Opener {
        Opener { sealer: self, _read: read }
    }

    async fn open(&self, place: Place<'_>, sealed: &str) -> Result<String, ApiError> {
        let mut parts = sealed.split('.');
        let (Some(version), Some(iv), Some(ciphertext), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
            return Err(broken());
        };
        let iv = URL_SAFE_NO_PAD.decode(iv).map_err(|_| broken())?;
        let ciphertext = URL_SAFE_NO_PAD.decode(ciphertext).map_err(|_| broken())?;
        let plaintext = match version {
            "v2" => self.key.decrypt(&iv, &ciphertext, Some(&self.associated(place))).await,
            "v1" => self.legacy.decrypt(&iv, &ciphertext, None).await,
            _ => return Err(broken()),
        };
        String::from_utf8(plaintext.map_err(|_| broken())?).map_err(|_| broken())
    }

    /// A value as it should be stored now: sealed to its place under the
    /// partnership's key, from a `v1.` value or one written in clear before
    /// its column was sealed. The plaintext never leaves this function.
    pub async fn reseal(&self, place: Place<'_>, stored: &str) -> Result<String, ApiError> {
        let plaintext = if is_sealed(stored) { self.open(place, stored).await? } else { stored.to_string() };
        self.seal(place, &plaintext).await
    }
}

/// Whether a stored value is sealed (by any version). Columns sealed after
/// they were first written may hold older values in clear until the daily job
/// seals them.
pub fn is_sealed(value: &str) -> bool {
    value.starts_with("v1.") || value.starts_with("v2.")
}

/// Opens sealed values for one audited read.
pub struct Opener {
    sealer: Sealer,
    _read: AuditedRead,
}

impl Opener {
    pub async fn open(&self, place: Place<'_>, sealed: &str) -> Result<String, ApiError> {
        self.sealer.open(place, sealed).await
    }

    /// A column sealed after it was first written: a value still in clear is returned as it is.
    pub async fn open_or_clear(&self, place: Place<'_>, value: &str) -> Result<String, ApiError> {
        if is_sealed(value) { self.sealer.open(place, value).await } else { Ok(value.to_string()) }
    }
}
