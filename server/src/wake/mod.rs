//! Wake-ups: a push that tells a device "sync now", carrying nothing about
//! anyone (issue 11, point 4). Three services: Web Push (RFC 8030, payload
//! encrypted per RFC 8291, VAPID per RFC 8292; UnifiedPush distributors speak
//! it too), FCM HTTP v1, and APNs with token auth.
//!
//! A wake-up carries at most a collapse key (a word such as `sync` or
//! `reach_out`, never an id) and an urgency. [`Sender::send`] answers with an
//! [`Outcome`]: `Gone` means drop the registration. A send is bounded by the
//! configured timeout (5 s by default), so the caller spawns it and never waits
//! on it from a sync request.
//!
//! Configuration ([`WakeConfig::from_env`]); a service is on when its variables are set:
//!
//! | variable | meaning |
//! |---|---|
//! | `ALONGSIDE_WAKE_VAPID_PRIVATE_KEY` | Web Push: P-256 private key, PEM (SEC1 or PKCS#8) or base64url of the 32-byte scalar |
//! | `ALONGSIDE_WAKE_VAPID_SUBJECT` | Web Push: `mailto:` or `https:` contact for push services |
//! | `ALONGSIDE_WAKE_FCM_SERVICE_ACCOUNT_FILE` | FCM: path of the service account JSON (project_id, client_email, private_key, token_uri) |
//! | `ALONGSIDE_WAKE_FCM_BASE_URL` | FCM: default `https://fcm.googleapis.com` |
//! | `ALONGSIDE_WAKE_APNS_TEAM_ID`, `ALONGSIDE_WAKE_APNS_KEY_ID` | APNs: the 10-character team and key ids |
//! | `ALONGSIDE_WAKE_APNS_PRIVATE_KEY_FILE` | APNs: path of the `.p8` key (PKCS#8 PEM, P-256) |
//! | `ALONGSIDE_WAKE_APNS_TOPIC` | APNs: the app's bundle id |
//! | `ALONGSIDE_WAKE_APNS_ENVIRONMENT` | APNs: `production` (default) or `sandbox` |
//! | `ALONGSIDE_WAKE_APNS_BASE_URL` | APNs: overrides the environment's URL |
//! | `ALONGSIDE_WAKE_TIMEOUT_MS` | each request's limit, default 5000 |
//! | `ALONGSIDE_WAKE_INSECURE_ORIGINS` | comma-separated `http://` loopback origins allowed in place of https (tests only) |

mod apns;
mod config;
mod dispatch;
mod env;
mod fcm;
mod http;
mod jwt;
mod public_address;
mod registration;
mod web_push;

use std::sync::Arc;
use std::time::Duration;

pub use alongside_protocol::push::{Offered, WebPushOffer};
pub use config::{
    APNS_PRODUCTION, APNS_SANDBOX, ApnsConfig, ConfigError, FCM_DEFAULT_BASE, FcmConfig, ServiceAccount, VapidConfig, VapidKey, WakeConfig,
};
pub use dispatch::{COALESCE, StreamGuard, Waker};
pub use registration::{Registration, RegistrationError};

use registration::Target;

/// A mutex's contents; a panic while it was held (a bug) leaves what was
/// there, which is still a valid token cache or stream count.
fn lock<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// How soon the device should hear of it (RFC 8030 §5.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    /// An urgent reach-out: delivered at once, even to a dozing device.
    High,
    /// Anything else: the services may delay and coalesce it.
    Normal,
}

impl Urgency {
    fn as_str(self) -> &'static str {
        match self {
            Urgency::High => "high",
            Urgency::Normal => "normal",
        }
    }
}

/// A word naming what kind of change waits: lowercase letters and `_`, 1–32
/// of them. That fits RFC 8030's Topic (≤ 32 base64url characters) and cannot
/// hold a number, so no user or record id slips into a push service's hands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CollapseKey(String);

/// A collapse key that is not 1–32 of `a-z` and `_`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a collapse key is 1 to 32 of a-z and _")]
pub struct BadCollapseKey;

impl CollapseKey {
    pub fn new(key: &str) -> Result<Self, BadCollapseKey> {
        let fits = (1..=32).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
        if fits { Ok(CollapseKey(key.to_owned())) } else { Err(BadCollapseKey) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a device is sent: nothing but these two.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WakeUp {
    pub urgency: Urgency,
    pub collapse_key: CollapseKey,
}

impl WakeUp {
    /// A change to sync, coalesced with the ones before it.
    pub fn sync() -> Self {
        WakeUp { urgency: Urgency::Normal, collapse_key: CollapseKey("sync".to_owned()) }
    }

    /// An urgent reach-out, at high priority.
    pub fn reach_out() -> Self {
        WakeUp { urgency: Urgency::High, collapse_key: CollapseKey("reach_out".to_owned()) }
    }

    /// The one payload every service carries: `{"wake":…,"urgency":…}`.
    fn payload(&self) -> serde_json::Map<String, serde_json::Value> {
        let mut payload = serde_json::Map::new();
        payload.insert("wake".to_owned(), self.collapse_key.as_str().into());
        payload.insert("urgency".to_owned(), self.urgency.as_str().into());
        payload
    }
}

/// How long a service keeps trying to deliver. A device away for longer
/// syncs when it is opened anyway, so an older wake-up is worth nothing.
const TIME_TO_LIVE: Duration = Duration::from_secs(24 * 60 * 60);

/// What became of one send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Sent,
    /// The service says the registration is expired, unregistered or invalid
    /// (404/410 and the like): drop it.
    Gone,
    /// Try again later (after `retry_after` when the service said so). The
    /// reason names a status or service code, never a token, key or endpoint.
    Failed {
        retry_after: Option<Duration>,
        reason: String,
    },
}

impl Outcome {
    fn failed(reason: impl Into<String>) -> Self {
        Outcome::Failed { retry_after: None, reason: reason.into() }
    }
}

/// Sends wake-ups. Cheap to clone: one HTTP client and the services' keys and
/// cached tokens, shared.
#[derive(Debug, Clone)]
pub struct Sender {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    client: reqwest::Client,
    origins: config::Origins,
    web_push: Option<web_push::WebPush>,
    fcm: Option<fcm::Fcm>,
    apns: Option<apns::Apns>,
}

impl Sender {
    pub fn new(config: WakeConfig) -> Result<Self, ConfigError> {
        let origins = config::Origins::new(&config.insecure_origins)?;
        let fcm = config.fcm.map(|fcm| fcm::Fcm::new(fcm, &origins)).transpose()?;
        let apns = config.apns.map(|apns| apns::Apns::new(apns, &origins)).transpose()?;
        let resolver = public_address::PublicAddresses { allowed: origins.hosts() };
        let client = http::client(config.timeout, resolver)?;
        let inner = Inner { client, origins, web_push: config.vapid.map(web_push::WebPush::new), fcm, apns };
        Ok(Sender { inner: Arc::new(inner) })
    }

    /// What this server can wake devices through, for devices to choose.
    pub fn offered(&self) -> Offered {
        let inner = &*self.inner;
        Offered {
            web_push: inner.web_push.as_ref().map(|service| WebPushOffer { vapid_public_key: service.public_key().to_owned() }),
            fcm: inner.fcm.is_some(),
            apns: inner.apns.is_some(),
        }
    }

    /// Whether `registration` can be sent to: every byte checked, and its
    /// service configured here.
    pub fn check(&self, registration: &Registration) -> Result<(), RegistrationError> {
        self.target(registration).map(drop)
    }

    fn target<'r>(&self, registration: &'r Registration) -> Result<Target<'r>, RegistrationError> {
        let target = registration::parse(registration, &self.inner.origins)?;
        let offered = match target {
            Target::WebPush { .. } => self.inner.web_push.is_some(),
            Target::Fcm { .. } => self.inner.fcm.is_some(),
            Target::Apns { .. } => self.inner.apns.is_some(),
        };
        if offered { Ok(target) } else { Err(RegistrationError::KindNotOffered) }
    }

    /// Sends `wake` to the device behind `registration`, within the timeout.
    pub async fn send(&self, registration: &Registration, wake: &WakeUp) -> Outcome {
        let inner = &*self.inner;
        let target = match self.target(registration) {
            Ok(target) => target,
            // Stored before a rule tightened: it can never be sent to.
            Err(RegistrationError::KindNotOffered) => return Outcome::failed("this kind of push is not configured"),
            Err(_) => return Outcome::Gone,
        };
        match (target, &inner.web_push, &inner.fcm, &inner.apns) {
            (Target::WebPush { endpoint, keys }, Some(service), _, _) => service.send(&inner.client, &endpoint, &keys, wake).await,
            (Target::Fcm { token }, _, Some(service), _) => service.send(&inner.client, token, wake).await,
            (Target::Apns { device_token }, _, _, Some(service)) => service.send(&inner.client, device_token, wake).await,
            _ => Outcome::failed("this kind of push is not configured"),
        }
    }
}
