//! Wake-ups in tests: a server configuration that sends Web Push to a
//! stand-in on loopback, with a VAPID key made for the run, and device
//! subscriptions to it.

use alongside_server::ServerConfig;
use alongside_server::wake::{VapidConfig, VapidKey, WakeConfig};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use p256::elliptic_curve::Generate;
use serde_json::{Value, json};

use crate::TestResult;

/// A server configuration that wakes devices through Web Push, allowing the
/// plain-http stand-in at `origin` (`http://127.0.0.1:<port>`).
pub fn web_push_to(origin: &str) -> TestResult<ServerConfig> {
    let key = URL_SAFE_NO_PAD.encode(p256::SecretKey::try_generate()?.to_bytes());
    let vapid = VapidConfig::new(VapidKey::parse(&key)?, "mailto:ops@alongside.example")?;
    let wake = WakeConfig { vapid: Some(vapid), insecure_origins: vec![origin.to_owned()], ..WakeConfig::default() };
    Ok(ServerConfig { wake, ..ServerConfig::default() })
}

/// The `PUT /v1/devices/push` body of a device woken at `<origin>/push/<device>`.
pub fn subscription(origin: &str, device: &str) -> TestResult<Value> {
    let public = p256::SecretKey::try_generate()?.public_key().to_sec1_bytes();
    Ok(json!({"kind": "web_push", "endpoint": format!("{origin}/push/{device}"),
              "p256dh": URL_SAFE_NO_PAD.encode(public), "auth": URL_SAFE_NO_PAD.encode([9_u8; 16])}))
}
