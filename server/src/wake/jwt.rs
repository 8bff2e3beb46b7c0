//! The JWTs the services want (ES256 for VAPID and APNs, RS256 for Google's
//! OAuth grant), signed by `jsonwebtoken` on RustCrypto.

use std::fmt;
use std::sync::Arc;

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use p256::pkcs8::EncodePrivateKey;
use serde::Serialize;

/// A private key and the one algorithm it signs with. Debug shows neither.
#[derive(Clone)]
pub(super) struct SigningKey {
    key: Arc<EncodingKey>,
    algorithm: Algorithm,
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SigningKey({:?})", self.algorithm)
    }
}

impl SigningKey {
    /// An ES256 key from a P-256 secret.
    pub fn es256(secret: &p256::SecretKey) -> Option<Self> {
        let der = secret.to_pkcs8_der().ok()?;
        let key = SigningKey { key: Arc::new(EncodingKey::from_ec_der(der.as_bytes())), algorithm: Algorithm::ES256 };
        key.works().then_some(key)
    }

    /// An RS256 key from PEM (PKCS#1 or PKCS#8, as Google's service accounts have it).
    pub fn rs256_pem(pem: &str) -> Option<Self> {
        let key = EncodingKey::from_rsa_pem(pem.as_bytes()).ok()?;
        let key = SigningKey { key: Arc::new(key), algorithm: Algorithm::RS256 };
        key.works().then_some(key)
    }

    /// `jsonwebtoken` parses the key only when signing: sign once at load, so
    /// a bad key is a configuration error and not a failure at every push.
    fn works(&self) -> bool {
        self.sign(None, true, &serde_json::json!({})).is_some()
    }

    /// `header.payload.signature`, with `kid` when given and `typ: JWT` when asked.
    pub fn sign(&self, kid: Option<&str>, typ: bool, claims: &impl Serialize) -> Option<String> {
        let mut header = Header::new(self.algorithm);
        header.kid = kid.map(str::to_owned);
        if !typ {
            header.typ = None;
        }
        jsonwebtoken::encode(&header, claims, &self.key).ok()
    }
}
