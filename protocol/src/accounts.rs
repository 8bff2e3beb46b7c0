//! A person's control over their account (an addition; README.md "Accounts"):
//! changing a password, a reset code an admin reads to them, erasure, and
//! the closing of a peer worker's or admin's account when they leave.
//!
//! Requests that carry a password or code show none of their fields in
//! `Debug`, so none can be logged by accident.

use serde::{Deserialize, Serialize};

crate::redacted_debug!(PasswordChangeRequest, PasswordResetRequest, EraseRequest);

/// `POST /v1/me/password`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PasswordChangeRequest {
    pub current_password: String,
    pub new_password: String,
}

/// The answer to a password change: every other device was signed out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordChangeResponse {
    pub signed_out_devices: u32,
}

/// `POST /v1/admin/reset-codes` (admins): a code for this person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ResetCodeRequest {
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"))]
    pub user_id: String,
}

/// A reset code, shown once, to be read to the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResetCodeResponse {
    /// `XXXX-XXXX`.
    pub code: String,
    /// RFC 3339.
    pub expires_at: String,
}

/// `POST /v1/auth/reset`: a new password with a reset code; signs every
/// device out and this one in (the answer is login's).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PasswordResetRequest {
    pub username: String,
    pub code: String,
    pub new_password: String,
    pub device_name: String,
}

/// `POST /v1/me/erase` (participants): delete my account and everything in it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EraseRequest {
    pub password: String,
}

/// `POST /v1/admin/erase` (admins): a participant's erasure, asked for by them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AdminEraseRequest {
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"))]
    pub participant_id: String,
}

/// What an erasure deleted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErasureResponse {
    pub records_deleted: u64,
}

/// `POST /v1/admin/close` (admins): a peer worker or admin leaves the program.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AdminCloseRequest {
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"))]
    pub user_id: String,
}

/// What closing an account ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClosureResponse {
    /// Participants taken off their caseload.
    pub participants_released: u64,
    /// Devices signed out, each to clear itself at its next contact.
    pub devices_signed_out: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_and_codes_never_show_in_debug() {
        let reset = PasswordResetRequest {
            username: "maria".into(),
            code: "7KQM-X4TB".into(),
            new_password: "a new secret".into(),
            device_name: "Pixel".into(),
        };
        let shown = format!("{reset:?} {:?}", EraseRequest { password: "a new secret".into() });
        assert!(!shown.contains("secret") && !shown.contains("7KQM") && !shown.contains("maria"), "{shown}");
    }
}
