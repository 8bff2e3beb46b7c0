//! APNs with token-based auth: an ES256 JWT (`kid` = key id, `iss` = team
//! id, `iat`), reused and replaced every 40 minutes (Apple refuses one older
//! than an hour and throttles ones renewed more often than every 20), on
//! `POST {base}/3/device/{token}`.
//!
//! Apple serves only HTTP/2: reqwest's `http2` feature negotiates it by ALPN
//! over rustls. The tests' stand-in is plain HTTP/1.1 on loopback, allowed
//! only through the configured insecure origins.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use reqwest::Url;
use serde::Deserialize;

use super::config::Origins;
use super::http::{self, unix_now};
use super::jwt::SigningKey;
use super::{ApnsConfig, ConfigError, Outcome, TIME_TO_LIVE, Urgency, WakeUp};

const TOKEN_LIFETIME: Duration = Duration::from_secs(40 * 60);

/// Shown only if the app's Notification Service Extension cannot replace it
/// from the local store: says nothing of anyone.
const NEUTRAL_TITLE: &str = "Alongside";
const NEUTRAL_BODY: &str = "Something new is waiting for you.";

pub(super) struct Apns {
    team_id: String,
    key_id: String,
    topic: String,
    key: SigningKey,
    base: Url,
    token: Mutex<Option<(String, Instant)>>,
}

/// Not the provider token, which is a credential for an hour.
impl std::fmt::Debug for Apns {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Apns").field("topic", &self.topic).field("base", &self.base.as_str()).finish_non_exhaustive()
    }
}

impl Apns {
    pub fn new(config: ApnsConfig, origins: &Origins) -> Result<Self, ConfigError> {
        let base = origins.service_url(&config.base_url, "APNs base")?;
        Ok(Apns { team_id: config.team_id, key_id: config.key_id, topic: config.topic, key: config.key, base, token: Mutex::new(None) })
    }

    pub async fn send(&self, client: &reqwest::Client, device_token: &str, wake: &WakeUp) -> Outcome {
        let Some(jwt) = self.provider_token() else {
            return Outcome::failed("apns: could not sign");
        };
        let Ok(url) = self.base.join(&format!("/3/device/{device_token}")) else {
            return Outcome::failed("apns: bad device path");
        };
        let mut payload = wake.payload();
        // Normal: a silent background push (priority 5, as Apple requires for
        // those). Urgent: an alert at once, its text replaced on the device.
        let (push_type, priority, aps) = match wake.urgency {
            Urgency::Normal => ("background", "5", serde_json::json!({"content-available": 1})),
            Urgency::High => {
                ("alert", "10", serde_json::json!({"alert": {"title": NEUTRAL_TITLE, "body": NEUTRAL_BODY}, "mutable-content": 1}))
            }
        };
        payload.insert("aps".to_owned(), aps);
        let sent = client
            .post(url)
            .header("authorization", format!("bearer {jwt}"))
            .header("apns-topic", &self.topic)
            .header("apns-push-type", push_type)
            .header("apns-priority", priority)
            .header("apns-collapse-id", wake.collapse_key.as_str())
            .header("apns-expiration", unix_now() + TIME_TO_LIVE.as_secs())
            .json(&payload)
            .send()
            .await;
        let answer = match http::answer("apns", sent).await {
            Ok(answer) => answer,
            Err(outcome) => return outcome,
        };
        #[derive(Deserialize)]
        struct Refusal {
            reason: String,
        }
        let reason = serde_json::from_slice::<Refusal>(&answer.body).ok().map(|refusal| refusal.reason);
        match reason.as_deref() {
            // The token is not one this app can use here (wrong environment, another app).
            Some("BadDeviceToken" | "DeviceTokenNotForTopic" | "Unregistered") => return Outcome::Gone,
            Some("ExpiredProviderToken" | "InvalidProviderToken") => self.forget_token(),
            _ => {}
        }
        http::outcome("apns", &answer, reason.as_deref().and_then(http::code_word))
    }

    /// The current provider token, signed anew when it is 40 minutes old.
    fn provider_token(&self) -> Option<String> {
        let mut cached = super::lock(&self.token);
        if let Some((token, made)) = cached.as_ref()
            && made.elapsed() < TOKEN_LIFETIME
        {
            return Some(token.clone());
        }
        let claims = serde_json::json!({"iss": self.team_id, "iat": unix_now()});
        // Apple's header is exactly {alg, kid}.
        let token = self.key.sign(Some(&self.key_id), false, &claims)?;
        *cached = Some((token.clone(), Instant::now()));
        Some(token)
    }

    fn forget_token(&self) {
        *super::lock(&self.token) = None;
    }
}
