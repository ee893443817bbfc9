//! The runtime's WebCrypto (`crypto.subtle`), which runs natively outside the
//! wasm sandbox: slow password hashing and AES-GCM cost no wasm CPU time.

use js_sys::{Array, ArrayBuffer, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    type Subtle;

    #[wasm_bindgen(thread_local_v2, js_namespace = crypto, js_name = subtle)]
    static SUBTLE: Subtle;

    /// Ids of new records: random, so they say nothing about order or count.
    #[wasm_bindgen(js_namespace = crypto, js_name = randomUUID)]
    pub fn random_uuid() -> String;

    #[wasm_bindgen(js_namespace = crypto, js_name = getRandomValues)]
    fn get_random_values(array: &Uint8Array);

    #[wasm_bindgen(method, catch, js_name = importKey)]
    fn import_key(this: &Subtle, format: &str, data: &Uint8Array, algorithm: &JsValue, extractable: bool, usages: &Array) -> Result<Promise, JsValue>;

    #[wasm_bindgen(method, catch, js_name = deriveBits)]
    fn derive_bits(this: &Subtle, algorithm: &JsValue, key: &JsValue, length: u32) -> Result<Promise, JsValue>;

    #[wasm_bindgen(method, catch)]
    fn encrypt(this: &Subtle, algorithm: &JsValue, key: &JsValue, data: &Uint8Array) -> Result<Promise, JsValue>;

    #[wasm_bindgen(method, catch)]
    fn decrypt(this: &Subtle, algorithm: &JsValue, key: &JsValue, data: &Uint8Array) -> Result<Promise, JsValue>;

    #[wasm_bindgen(method, catch)]
    fn sign(this: &Subtle, algorithm: &str, key: &JsValue, data: &Uint8Array) -> Result<Promise, JsValue>;

    #[wasm_bindgen(method, catch)]
    fn digest(this: &Subtle, algorithm: &str, data: &Uint8Array) -> Result<Promise, JsValue>;
}

#[derive(Debug)]
pub struct CryptoError(pub &'static str);

impl From<CryptoError> for worker::Error {
    fn from(error: CryptoError) -> Self {
        worker::Error::RustError(error.0.to_string())
    }
}

pub fn random_bytes<const N: usize>() -> [u8; N] {
    let array = Uint8Array::new_with_length(N as u32);
    get_random_values(&array);
    let mut out = [0u8; N];
    array.copy_to(&mut out);
    out
}

fn object(pairs: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (key, value) in pairs {
        let _ = Reflect::set(&object, &JsValue::from_str(key), value);
    }
    object.into()
}

async fn bytes_of(promise: Result<Promise, JsValue>, what: &'static str) -> Result<Vec<u8>, CryptoError> {
    let value = JsFuture::from(promise.map_err(|_| CryptoError(what))?).await.map_err(|_| CryptoError(what))?;
    let buffer: ArrayBuffer = value.dyn_into().map_err(|_| CryptoError(what))?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

async fn key_of(promise: Result<Promise, JsValue>, what: &'static str) -> Result<JsValue, CryptoError> {
    JsFuture::from(promise.map_err(|_| CryptoError(what))?).await.map_err(|_| CryptoError(what))
}

fn usages(list: &[&str]) -> Array {
    list.iter().map(|u| JsValue::from_str(u)).collect()
}

/// PBKDF2-HMAC-SHA-256; Workers accept at most 100,000 iterations.
pub async fn pbkdf2_sha256(password: &[u8], salt: &[u8], iterations: u32) -> Result<Vec<u8>, CryptoError> {
    let key = SUBTLE.with(|s| {
        s.import_key("raw", &Uint8Array::from(password), &JsValue::from_str("PBKDF2"), false, &usages(&["deriveBits"]))
    });
    let key = key_of(key, "could not import the password").await?;
    let algorithm = object(&[
        ("name", "PBKDF2".into()),
        ("hash", "SHA-256".into()),
        ("salt", Uint8Array::from(salt).into()),
        ("iterations", iterations.into()),
    ]);
    bytes_of(SUBTLE.with(|s| s.derive_bits(&algorithm, &key, 256)), "could not hash the password").await
}

pub async fn sha256(data: &[u8]) -> Result<Vec<u8>, CryptoError> {
    bytes_of(SUBTLE.with(|s| s.digest("SHA-256", &Uint8Array::from(data))), "could not hash").await
}

/// HMAC-SHA-256 of `data` under `secret` (signs GOV.UK Notify's API tokens).
pub async fn hmac_sha256(secret: &[u8], data: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let algorithm = object(&[("name", "HMAC".into()), ("hash", "SHA-256".into())]);
    let key = SUBTLE.with(|s| s.import_key("raw", &Uint8Array::from(secret), &algorithm, false, &usages(&["sign"])));
    let key = key_of(key, "could not import the signing key").await?;
    bytes_of(SUBTLE.with(|s| s.sign("HMAC", &key, &Uint8Array::from(data))), "could not sign").await
}

/// An AES-256-GCM key held by the runtime, never exported.
pub struct AesKey(JsValue);

impl AesKey {
    pub async fn import(raw: &[u8]) -> Result<Self, CryptoError> {
        if raw.len() != 32 {
            return Err(CryptoError("the encryption key must be 32 bytes"));
        }
        let key = SUBTLE.with(|s| {
            s.import_key("raw", &Uint8Array::from(raw), &object(&[("name", "AES-GCM".into())]), false, &usages(&["encrypt", "decrypt"]))
        });
        Ok(AesKey(key_of(key, "could not import the encryption key").await?))
    }

    /// `associated`: data the ciphertext is bound to without containing it (decrypting needs the same).
    pub async fn encrypt(&self, iv: &[u8; 12], plaintext: &[u8], associated: Option<&[u8]>) -> Result<Vec<u8>, CryptoError> {
        let algorithm = gcm(iv, associated);
        bytes_of(SUBTLE.with(|s| s.encrypt(&algorithm, &self.0, &Uint8Array::from(plaintext))), "could not encrypt").await
    }

    pub async fn decrypt(&self, iv: &[u8], ciphertext: &[u8], associated: Option<&[u8]>) -> Result<Vec<u8>, CryptoError> {
        let algorithm = gcm(iv, associated);
        bytes_of(SUBTLE.with(|s| s.decrypt(&algorithm, &self.0, &Uint8Array::from(ciphertext))), "could not decrypt").await
    }
}

fn gcm(iv: &[u8], associated: Option<&[u8]>) -> JsValue {
    let mut pairs = vec![("name", JsValue::from("AES-GCM")), ("iv", Uint8Array::from(iv).into())];
    if let Some(data) = associated {
        pairs.push(("additionalData", Uint8Array::from(data).into()));
    }
    object(&pairs)
}

/// HKDF-SHA-256 (RFC 5869) for one 32-byte key: extract with `salt`, expand with `info`.
pub async fn hkdf_sha256(ikm: &[u8], salt: &[u8], info: &[u8]) -> Result<[u8; 32], CryptoError> {
    let prk = hmac_sha256(salt, ikm).await?;
    let mut block = info.to_vec();
    block.push(1);
    let okm = hmac_sha256(&prk, &block).await?;
    okm.try_into().map_err(|_| CryptoError("could not derive a key"))
}
