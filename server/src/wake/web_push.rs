//! Web Push: RFC 8030's request, its body encrypted per RFC 8291 (one
//! aes128gcm record of RFC 8188), signed for the push service per RFC 8292.
//!
//! Composed here from RustCrypto's primitives (p256's ECDH, hkdf, aes-gcm)
//! rather than taken from a crate: `ece` and `web-push` link OpenSSL, and
//! `web-push-native` pulls an older RustCrypto generation beside this one plus
//! a second JWT library. The key schedule is a dozen lines, pinned below by
//! RFC 8291's own example and in the tests by Python's `http_ece` decrypting.

use aes_gcm::aead::Aead;
use aes_gcm::{Aes128Gcm, KeyInit};
use hkdf::Hkdf;
use p256::elliptic_curve::Generate;
use reqwest::Url;
use reqwest::header::{AUTHORIZATION, CONTENT_ENCODING, CONTENT_TYPE};
use sha2_next::Sha256;

use super::http::{self, unix_now};
use super::jwt::SigningKey;
use super::registration::WebPushKeys;
use super::{Outcome, TIME_TO_LIVE, VapidConfig, WakeUp};

/// RFC 8188's record size; a wake-up is one short record.
const RECORD_SIZE: u32 = 4096;

/// A VAPID token lives this long (RFC 8292 §2: at most 24 hours).
const VAPID_LIFETIME_SECS: u64 = 12 * 60 * 60;

#[derive(Debug)]
pub(super) struct WebPush {
    key: SigningKey,
    public: String,
    subject: String,
}

impl WebPush {
    /// The VAPID public key devices subscribe with.
    pub fn public_key(&self) -> &str {
        &self.public
    }

    pub fn new(config: VapidConfig) -> Self {
        WebPush { public: config.key.public_key().to_owned(), key: config.key.signing, subject: config.subject }
    }

    pub async fn send(&self, client: &reqwest::Client, endpoint: &Url, keys: &WebPushKeys, wake: &WakeUp) -> Outcome {
        let payload = serde_json::Value::Object(wake.payload());
        let Some(body) = encrypt(payload.to_string().as_bytes(), keys) else {
            return Outcome::failed("web push: could not encrypt");
        };
        let Some(authorization) = self.authorization(endpoint) else {
            return Outcome::failed("web push: could not sign");
        };
        let sent = client
            .post(endpoint.clone())
            .header("TTL", TIME_TO_LIVE.as_secs())
            .header("Urgency", wake.urgency.as_str())
            .header("Topic", wake.collapse_key.as_str())
            .header(CONTENT_ENCODING, "aes128gcm")
            .header(CONTENT_TYPE, "application/octet-stream")
            .header(AUTHORIZATION, authorization)
            .body(body)
            .send()
            .await;
        match http::answer("web push", sent).await {
            Ok(answer) => http::outcome("web push", &answer, None),
            Err(outcome) => outcome,
        }
    }

    /// RFC 8292 §3: `vapid t=<JWT for the endpoint's origin>, k=<public key>`.
    fn authorization(&self, endpoint: &Url) -> Option<String> {
        let claims = serde_json::json!({
            "aud": endpoint.origin().ascii_serialization(),
            "exp": unix_now() + VAPID_LIFETIME_SECS,
            "sub": self.subject,
        });
        let token = self.key.sign(None, true, &claims)?;
        Some(format!("vapid t={token}, k={}", self.public))
    }
}

/// The body for `keys`, with a fresh sender key and salt.
fn encrypt(plaintext: &[u8], keys: &WebPushKeys) -> Option<Vec<u8>> {
    let sender = p256::SecretKey::try_generate().ok()?;
    let mut salt = [0_u8; 16];
    getrandom::fill(&mut salt).ok()?;
    encrypt_with(plaintext, keys, &sender, &salt)
}

fn encrypt_with(plaintext: &[u8], keys: &WebPushKeys, sender: &p256::SecretKey, salt: &[u8; 16]) -> Option<Vec<u8>> {
    let sender_public = sender.public_key().to_sec1_bytes();
    let shared = sender.diffie_hellman(&keys.p256dh);

    // RFC 8291 §3.3: IKM from the ECDH secret, keyed by the auth secret and
    // bound to both public keys.
    let mut key_info = b"WebPush: info\0".to_vec();
    key_info.extend_from_slice(&keys.p256dh.to_sec1_bytes());
    key_info.extend_from_slice(&sender_public);
    let mut ikm = [0_u8; 32];
    Hkdf::<Sha256>::new(Some(&keys.auth), shared.raw_secret_bytes()).expand(&key_info, &mut ikm).ok()?;

    // RFC 8188 §2.2–2.3: the content key and nonce from the salt.
    let prk = Hkdf::<Sha256>::new(Some(salt), &ikm);
    let (mut cek, mut nonce) = ([0_u8; 16], [0_u8; 12]);
    prk.expand(b"Content-Encoding: aes128gcm\0", &mut cek).ok()?;
    prk.expand(b"Content-Encoding: nonce\0", &mut nonce).ok()?;

    // One record, marked last by the delimiter 0x02 and not padded (RFC 8291
    // §4); its sequence number is 0, so the nonce is used as derived.
    let mut record = plaintext.to_vec();
    record.push(2);
    if record.len() + 16 > RECORD_SIZE as usize {
        return None;
    }
    let sealed = Aes128Gcm::new_from_slice(&cek).ok()?.encrypt(&nonce.into(), record.as_slice()).ok()?;

    // RFC 8188 §2.1's header: salt, record size, and the sender's key as key id.
    let key_id_length = u8::try_from(sender_public.len()).ok()?;
    let mut body = Vec::with_capacity(16 + 4 + 1 + sender_public.len() + sealed.len());
    body.extend_from_slice(salt);
    body.extend_from_slice(&RECORD_SIZE.to_be_bytes());
    body.push(key_id_length);
    body.extend_from_slice(&sender_public);
    body.extend_from_slice(&sealed);
    Some(body)
}

#[cfg(test)]
mod tests {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    use super::*;

    type Result = std::result::Result<(), Box<dyn std::error::Error>>;

    /// RFC 8291 §5 and Appendix A, to the byte.
    #[test]
    fn encrypts_rfc_8291_example() -> Result {
        let decode = |text| URL_SAFE_NO_PAD.decode(text);
        let keys = WebPushKeys {
            p256dh: p256::PublicKey::from_sec1_bytes(&decode(
                "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4",
            )?)?,
            auth: decode("BTBZMqHH6r4Tts7J_aSIgg")?.try_into().map_err(|_| "16 bytes")?,
        };
        let sender = p256::SecretKey::from_slice(&decode("yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw")?)?;
        let salt = decode("DGv6ra1nlYgDCS1FRnbzlw")?.try_into().map_err(|_| "16 bytes")?;
        let body = encrypt_with(b"When I grow up, I want to be a watermelon", &keys, &sender, &salt).ok_or("not encrypted")?;
        assert_eq!(
            URL_SAFE_NO_PAD.encode(body),
            "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN"
        );
        Ok(())
    }
}
