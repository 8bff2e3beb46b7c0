//! The bodies of PROTOCOL.md's requests and responses, defined once for the
//! client and the server.

use serde::{Deserialize, Serialize};

use crate::care::Care;
use crate::change::Change;
use crate::codes::{ErrorCode, RejectionCode};
use crate::schema::Rejection;

crate::redacted_debug!(
    LoginRequest,
    LoginResponse { device_id },
    RegisterRequest,
    AdminUserRequest { role },
    InviteResponse { expires_at }
);

/// `{"error": {"code", "message", "field"?}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorEnvelope {
    // Inline in the API description: `ErrorBody` is generic, and its two
    // forms (this one, `RejectionBody`) would otherwise share one name there.
    #[cfg_attr(feature = "openapi", schema(inline))]
    pub error: ErrorBody,
}

/// What went wrong, with a stable code: an error body's inner object and,
/// with a [`RejectionCode`] ([`RejectionBody`]), the reason of a rejected
/// change, which has the same shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody<C = ErrorCode> {
    #[cfg_attr(feature = "openapi", schema(inline))]
    pub code: C,
    /// For people (in English, the server's words).
    pub message: String,
    /// The one field of the request or change at fault, when there is one:
    /// what a form highlights.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// A rejected change's `error`.
pub type RejectionBody = ErrorBody<RejectionCode>;

impl<C> ErrorBody<C> {
    pub fn new(code: C, message: impl Into<String>) -> Self {
        ErrorBody { code, message: message.into(), field: None }
    }

    /// The same body, naming the field at fault.
    #[must_use]
    pub fn with_field(self, field: impl Into<String>) -> Self {
        ErrorBody { field: Some(field.into()), ..self }
    }
}

impl From<&Rejection> for RejectionBody {
    fn from(rejection: &Rejection) -> Self {
        ErrorBody { code: rejection.code(), message: rejection.to_string(), field: rejection.field().map(str::to_owned) }
    }
}

impl From<Rejection> for RejectionBody {
    fn from(rejection: Rejection) -> Self {
        RejectionBody::from(&rejection)
    }
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
    pub device_name: String,
}

/// The answer to login and register.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginResponse {
    pub token: String,
    pub device_id: String,
    pub user: UserView,
}

/// A user as the API shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserView {
    pub id: String,
    /// `participant`, `peer_worker` or `admin`.
    #[cfg_attr(feature = "openapi", schema(pattern = "^(participant|peer_worker|admin)$"))]
    pub role: String,
    pub display_name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushRequest {
    pub changes: Vec<Change>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushResponse {
    pub results: Vec<PushResult>,
}

/// What the server did with one pushed change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushResult {
    pub change_id: String,
    pub status: PushStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(inline))]
    pub error: Option<RejectionBody>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PushStatus {
    Applied,
    Duplicate,
    Rejected,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PullResponse {
    pub changes: Vec<Change>,
    #[serde(default)]
    pub purge: Vec<Purge>,
    pub cursor: String,
    pub has_more: bool,
    /// For a participant, on the last page: whom they can reach for help
    /// (an addition; README.md "Reaching help").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub care: Option<Care>,
    /// The cursor was of a history the server no longer holds (it was
    /// restored from a backup): this page starts again from the beginning
    /// (an addition; README.md "Restored servers"). Sent only when true.
    #[serde(default, skip_serializing_if = "is_false")]
    pub restored: bool,
}

fn is_false(value: &bool) -> bool {
    !*value
}

/// Local copies a device may no longer hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Purge {
    pub participant_id: String,
    pub collections: Vec<String>,
}

/// Limits of PROTOCOL.md.
pub const MAX_PUSH_CHANGES: usize = 1000;
pub const MAX_PUSH_BYTES: usize = 2 * 1024 * 1024;
pub const MAX_PULL_LIMIT: usize = 1000;

/// `POST /v1/invites` (peer workers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InviteRequest {
    pub display_name: String,
}

/// A single-use code, short enough to read aloud, valid for 7 days.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InviteResponse {
    pub code: String,
    pub expires_at: String,
}

/// `POST /v1/auth/register`: answered like login.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegisterRequest {
    pub invite_code: String,
    /// 1 to 64 characters, no spaces.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 64))]
    pub username: String,
    /// At least 8 characters, at most 1024 bytes.
    #[cfg_attr(feature = "openapi", schema(min_length = 8))]
    pub password: String,
    pub display_name: String,
    pub device_name: String,
}

/// `GET /v1/me`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeResponse {
    pub user: UserView,
    /// For a participant, themself; for a peer worker, their caseload.
    pub participants: Vec<ParticipantView>,
    /// For a participant: whom they can reach for help (an addition).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub care: Option<Care>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ParticipantView {
    pub id: String,
    pub display_name: String,
    /// Categories shared with the peer worker now (for the participant: what
    /// they share).
    pub shared: Vec<String>,
}

/// `POST /v1/admin/users`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminUserRequest {
    /// 1 to 64 characters, no spaces.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 64))]
    pub username: String,
    /// At least 8 characters, at most 1024 bytes.
    #[cfg_attr(feature = "openapi", schema(min_length = 8))]
    pub password: String,
    /// `participant`, `peer_worker` or `admin`.
    #[cfg_attr(feature = "openapi", schema(pattern = "^(participant|peer_worker|admin)$"))]
    pub role: String,
    pub display_name: String,
}

/// `POST /v1/admin/caseload`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminCaseloadRequest {
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"))]
    pub peer_worker_id: String,
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"))]
    pub participant_id: String,
    pub assigned: bool,
}

/// `GET /v1/audit?participant_id=…`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditResponse {
    pub entries: Vec<AuditEntry>,
}

/// Who pushed or pulled which participant's records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub at: String,
    pub actor_id: String,
    #[cfg_attr(feature = "openapi", schema(pattern = "^(participant|peer_worker|admin)$"))]
    pub actor_role: String,
    /// `push` or `pull`.
    #[cfg_attr(feature = "openapi", schema(pattern = "^(push|pull)$"))]
    pub action: String,
    pub participant_id: String,
    pub collections: Vec<String>,
    pub count: u64,
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::schema::Reason;

    #[test]
    fn field_is_sent_only_when_one_field_is_at_fault() -> Result<(), serde_json::Error> {
        let plain = ErrorEnvelope { error: ErrorBody::new(ErrorCode::Conflict, "that username is taken") };
        assert_eq!(serde_json::to_value(&plain)?, json!({"error": {"code": "conflict", "message": "that username is taken"}}));
        let named = ErrorBody::new(ErrorCode::ValidationFailed, "invite_code: is unknown").with_field("invite_code");
        assert_eq!(
            serde_json::to_value(&named)?,
            json!({"code": "validation_failed", "message": "invite_code: is unknown", "field": "invite_code"})
        );
        // An older server's body, without `field`, still reads.
        let old: ErrorEnvelope = serde_json::from_value(json!({"error": {"code": "forbidden", "message": "no"}}))?;
        assert_eq!(old.error, ErrorBody::new(ErrorCode::Forbidden, "no"));
        Ok(())
    }

    #[test]
    fn a_rejection_carries_its_code_and_field() {
        let body = RejectionBody::from(Rejection::invalid("mood", Reason::Range { min: 1, max: 5 }));
        assert_eq!(body.code, RejectionCode::ValidationFailed);
        assert_eq!(body.field.as_deref(), Some("mood"));
        assert_eq!(body.message, "mood: must be a whole number from 1 to 5");
        let body = RejectionBody::from(Rejection::ParticipantMismatch { record_id: "r".into() });
        assert_eq!((body.code, body.field), (RejectionCode::ParticipantMismatch, None));
    }

    #[test]
    fn a_push_response_with_a_code_from_a_newer_server_still_reads() -> Result<(), serde_json::Error> {
        let response: PushResponse = serde_json::from_value(json!({"results": [
            {"change_id": "a", "status": "applied"},
            {"change_id": "b", "status": "rejected", "error": {"code": "quota_exceeded", "message": "too many", "field": "fields"}},
        ]}))?;
        let error = response.results[1].error.as_ref().map(|e| (e.code.as_str(), e.field.as_deref()));
        assert_eq!(error, Some(("quota_exceeded", Some("fields"))));
        Ok(())
    }
}
