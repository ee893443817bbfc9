//! Sealing personal data before it reaches D1: AES-256-GCM through WebCrypto,
//! with the key from the `PII_KEY` secret (32 bytes, base64). A sealed value
//! reads `v1.<iv>.<ciphertext>` (base64url): the version names the key, so a
//! rotated key can be introduced beside the old one.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use worker::Env;

use crate::http::error::ApiError;
use crate::platform::webcrypto::{AesKey, random_bytes};

pub struct Sealer {
    key: AesKey,
}

impl Sealer {
    pub async fn from_env(env: &Env) -> Result<Self, ApiError> {
        let raw = env
            .secret("PII_KEY")
            .map(|s| s.to_string())
            .map_err(|_| ApiError::NotConfigured("the PII_KEY secret is not set"))?;
        let bytes = STANDARD
            .decode(raw.trim())
            .map_err(|_| ApiError::NotConfigured("PII_KEY must be 32 bytes in base64"))?;
        let key = AesKey::import(&bytes).await.map_err(|_| ApiError::NotConfigured("PII_KEY must be 32 bytes in base64"))?;
        Ok(Sealer { key })
    }

    pub async fn seal(&self, plaintext: &str) -> Result<String, ApiError> {
        let iv = random_bytes::<12>();
        let ciphertext = self.key.encrypt(&iv, plaintext.as_bytes()).await?;
        Ok(format!("v1.{}.{}", URL_SAFE_NO_PAD.encode(iv), URL_SAFE_NO_PAD.encode(ciphertext)))
    }

    pub async fn open(&self, sealed: &str) -> Result<String, ApiError> {
        let broken = || ApiError::Internal(worker::Error::RustError("a sealed value could not be opened".into()));
        let mut parts = sealed.split('.');
        let (Some("v1"), Some(iv), Some(ciphertext), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
            return Err(broken());
        };
        let iv = URL_SAFE_NO_PAD.decode(iv).map_err(|_| broken())?;
        let ciphertext = URL_SAFE_NO_PAD.decode(ciphertext).map_err(|_| broken())?;
        let plaintext = self.key.decrypt(&iv, &ciphertext).await.map_err(|_| broken())?;
        String::from_utf8(plaintext).map_err(|_| broken())
    }
}
