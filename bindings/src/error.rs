//! The one error the apps see. Every failure of the core, of sync and of the
//! shell's own callbacks is mapped here, in one place, to a handful of variants a
//! shell can act on. Kotlin sees `AlongsideException.Validation(field, reason)`
//! and so on; Swift sees `AlongsideError.Validation(field:reason:)`.

use alongside_core::codes::ErrorCode;
use alongside_core::i18n;
use alongside_core::sync::SyncError;

use crate::language;

/// What went wrong, in variants a screen can act on. The variants are stable:
/// new failures are mapped onto them, not added beside them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum AlongsideError {
    /// Input broke a rule of the protocol; nothing was written. `field` names the
    /// field to highlight on the form.
    #[error("{field}: {reason}")]
    Validation { field: String, reason: String },

    /// No record with that id (or it was deleted, or purged).
    #[error("no {collection} record with id {id}")]
    NotFound { collection: String, id: String },

    /// The key does not open this database; the file was left untouched.
    #[error("the key does not open this database")]
    WrongKey,

    /// The server did not accept this username and password.
    #[error("wrong username or password: {reason}")]
    WrongCredentials { reason: String },

    /// No sign-in on this device, or the server no longer accepts it: ask the
    /// person to sign in again. Nothing written is lost.
    #[error("not signed in")]
    NotSignedIn,

    /// The server could not be reached. Anything written is kept and sent on
    /// the next sync.
    #[error("offline: {reason}")]
    Offline { reason: String },

    /// The server refused: this person may not do that (for example, a peer
    /// worker writing what the participant no longer shares).
    #[error("forbidden: {reason}")]
    Forbidden { reason: String },

    /// The server answered with another error, `code` being the protocol's
    /// (`rate_limited`, `conflict`, ...); `status` is 0 when its answer could not
    /// be read at all. `retry_after_seconds` is the server's word on when to retry.
    #[error("the server answered {status} {code}: {reason}")]
    Server { status: u16, code: String, reason: String, retry_after_seconds: Option<u64> },

    /// The core refused the change by the protocol's rules: `code` is `locked`
    /// (a submitted note: write an amendment), `participant_mismatch`, or
    /// `newer_schema` (the database comes from a newer app: update the app).
    #[error("{code}: {reason}")]
    Rejected { code: String, reason: String },

    /// The local database or file system failed.
    #[error("storage: {reason}")]
    Storage { reason: String },

    /// A callback the shell implemented failed, or the library's own machinery
    /// did (a stopped sync engine). A bug to report, not something to show.
    #[error("internal: {reason}")]
    Internal { reason: String },
}

impl From<alongside_core::Error> for AlongsideError {
    fn from(error: alongside_core::Error) -> Self {
        use alongside_core::Error as Core;
        match error {
            Core::Validation { field, reason } => AlongsideError::Validation { field, reason: i18n::reason(&reason, language::current()) },
            Core::NotFound { collection, id } => AlongsideError::NotFound { collection, id },
            Core::WrongKey => AlongsideError::WrongKey,
            invalid @ Core::InvalidKey { .. } => AlongsideError::Validation { field: "key".into(), reason: invalid.to_string() },
            newer @ Core::NewerSchema { .. } => AlongsideError::Rejected { code: newer.code().to_owned(), reason: newer.to_string() },
            Core::Rejected { code, message } => AlongsideError::Rejected { code: code.to_string(), reason: message },
            Core::Storage(reason) => AlongsideError::Storage { reason },
        }
    }
}

impl From<SyncError> for AlongsideError {
    fn from(error: SyncError) -> Self {
        match error {
            SyncError::Offline(reason) => AlongsideError::Offline { reason },
            SyncError::NotSignedIn | SyncError::Server { status: 401, .. } => AlongsideError::NotSignedIn,
            SyncError::Server { status: 403, message, .. } => AlongsideError::Forbidden { reason: message },
            SyncError::Server { status: 422, code: ErrorCode::ValidationFailed, message, field: Some(field), .. } => {
                let reason = i18n::server_reason(&ErrorCode::ValidationFailed, &field, language::current())
                    .unwrap_or_else(|| without_field(&message, &field).to_owned());
                AlongsideError::Validation { field, reason }
            }
            SyncError::Server { status, code, message, retry_after, .. } => AlongsideError::Server {
                status,
                code: code.to_string(),
                reason: message,
                retry_after_seconds: retry_after.map(|after| after.as_secs()),
            },
            SyncError::Http { status, retry_after } => AlongsideError::Server {
                status,
                code: "http_error".into(),
                reason: format!("HTTP {status} from something other than the sync server"),
                retry_after_seconds: retry_after.map(|after| after.as_secs()),
            },
            SyncError::Protocol(reason) => {
                AlongsideError::Server { status: 0, code: "bad_response".into(), reason, retry_after_seconds: None }
            }
            SyncError::Store(reason) => AlongsideError::Storage { reason },
        }
    }
}

/// The server's message without the field it begins with ("invite_code: …"):
/// the form shows the reason under the field already.
fn without_field<'a>(message: &'a str, field: &str) -> &'a str {
    message.strip_prefix(field).and_then(|rest| rest.strip_prefix(": ")).unwrap_or(message)
}

impl From<uniffi::UnexpectedUniFFICallbackError> for AlongsideError {
    fn from(error: uniffi::UnexpectedUniFFICallbackError) -> Self {
        AlongsideError::Internal { reason: format!("a callback failed: {}", error.reason) }
    }
}

impl AlongsideError {
    /// A failure of the library's own machinery.
    pub(crate) fn internal(reason: impl std::fmt::Display) -> Self {
        AlongsideError::Internal { reason: reason.to_string() }
    }
}

pub type Result<T, E = AlongsideError> = std::result::Result<T, E>;
