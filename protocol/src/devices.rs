//! A person's signed-in devices (an addition; README.md "Devices"):
//! `GET /v1/devices` and `POST /v1/devices/revoke`.

use serde::{Deserialize, Serialize};

/// `GET /v1/devices`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DevicesResponse {
    pub devices: Vec<DeviceView>,
}

/// One signed-in device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeviceView {
    pub id: String,
    /// What the device called itself at sign-in ("Pixel 7").
    pub name: String,
    /// RFC 3339: when it signed in.
    pub first_seen: String,
    /// RFC 3339, to the minute; absent before its first request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_seen: Option<String>,
    /// The device asking.
    pub this_device: bool,
}

/// `POST /v1/devices/revoke`: signs a device out; with `wipe`, the device
/// also deletes everything it holds the next time it reaches the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RevokeRequest {
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"))]
    pub device_id: String,
    #[serde(default)]
    pub wipe: bool,
}
