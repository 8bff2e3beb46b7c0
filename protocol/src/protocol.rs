//! The bodies of PROTOCOL.md's requests and responses, defined once for the
//! client and the server.

use serde::{Deserialize, Serialize};

use crate::change::Change;

/// `{"error": {"code", "message"}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorEnvelope {
    pub error: ErrorBody,
}

/// What went wrong, with a stable code; also the reason of a rejected change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub code: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
    pub device_name: String,
}

/// The answer to login and register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginResponse {
    pub token: String,
    pub device_id: String,
    pub user: UserView,
}

/// A user as the API shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserView {
    pub id: String,
    pub role: String,
    pub display_name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushRequest {
    pub changes: Vec<Change>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushResponse {
    pub results: Vec<PushResult>,
}

/// What the server did with one pushed change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushResult {
    pub change_id: String,
    pub status: PushStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorBody>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PushStatus {
    Applied,
    Duplicate,
    Rejected,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullResponse {
    pub changes: Vec<Change>,
    #[serde(default)]
    pub purge: Vec<Purge>,
    pub cursor: String,
    pub has_more: bool,
}

/// Local copies a device may no longer hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
pub struct InviteRequest {
    pub display_name: String,
}

/// A single-use code, short enough to read aloud, valid for 7 days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteResponse {
    pub code: String,
    pub expires_at: String,
}

/// `POST /v1/auth/register`: answered like login.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterRequest {
    pub invite_code: String,
    pub username: String,
    pub password: String,
    pub display_name: String,
    pub device_name: String,
}

/// `GET /v1/me`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeResponse {
    pub user: UserView,
    /// For a participant, themself; for a peer worker, their caseload.
    pub participants: Vec<ParticipantView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParticipantView {
    pub id: String,
    pub display_name: String,
    /// Categories shared with the peer worker now (for the participant: what
    /// they share).
    pub shared: Vec<String>,
}

/// `POST /v1/admin/users`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminUserRequest {
    pub username: String,
    pub password: String,
    pub role: String,
    pub display_name: String,
}

/// `POST /v1/admin/caseload`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminCaseloadRequest {
    pub peer_worker_id: String,
    pub participant_id: String,
    pub assigned: bool,
}

/// `GET /v1/audit?participant_id=…`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditResponse {
    pub entries: Vec<AuditEntry>,
}

/// Who pushed or pulled which participant's records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: String,
    pub actor_id: String,
    pub actor_role: String,
    /// `push` or `pull`.
    pub action: String,
    pub participant_id: String,
    pub collections: Vec<String>,
    pub count: u64,
}
