//! Where a device can be woken (an addition; README.md "Wake-ups"): the body
//! of `PUT /v1/devices/push`. The server checks every byte before it sends
//! anything anywhere (`alongside_server::wake`).

use std::fmt;

use serde::{Deserialize, Serialize};

/// A push registration. The JSON is tagged by `kind`:
/// `{"kind":"web_push","endpoint":…,"p256dh":…,"auth":…}`,
/// `{"kind":"fcm","token":…}`, `{"kind":"apns","device_token":…}`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Registration {
    /// A Web Push subscription (also what a UnifiedPush distributor gives).
    WebPush {
        /// The push resource: https.
        endpoint: String,
        /// The device's P-256 public key, uncompressed, base64url.
        p256dh: String,
        /// The device's 16-byte authentication secret, base64url.
        auth: String,
    },
    Fcm {
        token: String,
    },
    /// APNs; sandbox or production is the server's configuration.
    Apns {
        device_token: String,
    },
}

/// `GET /v1/devices/push`: the services a device may register with.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Offered {
    /// Web Push (and UnifiedPush): subscribe with this key.
    pub web_push: Option<WebPushOffer>,
    pub fcm: bool,
    pub apns: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebPushOffer {
    /// The `applicationServerKey`: uncompressed P-256, base64url.
    pub vapid_public_key: String,
}

impl Registration {
    /// The push service's name, as the server's metrics label it.
    pub fn service(&self) -> &'static str {
        match self {
            Registration::WebPush { .. } => "web_push",
            Registration::Fcm { .. } => "fcm",
            Registration::Apns { .. } => "apns",
        }
    }
}

/// Never the token or the endpoint's path, which are capabilities: only the
/// kind and, for Web Push, the push service's host.
impl fmt::Debug for Registration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Registration::WebPush { endpoint, .. } => {
                let host = endpoint.split_once("://").map(|(_, rest)| rest.split(['/', '?', '#']).next().unwrap_or_default());
                f.debug_struct("WebPush").field("host", &host).finish_non_exhaustive()
            }
            Registration::Fcm { .. } => f.debug_struct("Fcm").finish_non_exhaustive(),
            Registration::Apns { .. } => f.debug_struct("Apns").finish_non_exhaustive(),
        }
    }
}
