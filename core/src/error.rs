//! The one error type of the core. Every variant says what went wrong in words a
//! shell can show, and carries what a caller needs to act on it.

use crate::codes::{ErrorCode, RejectionCode};
use crate::schema::{Reason, Rejection};

/// Everything the core can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Input broke a rule of PROTOCOL.md; nothing was written.
    #[error("{field}: {reason}")]
    Validation { field: String, reason: Reason },

    /// No record with that id in that collection (or it was deleted).
    #[error("no {collection} record with id {id}")]
    NotFound { collection: String, id: String },

    /// The key does not open this database. The file is left untouched.
    #[error("the key does not open this database")]
    WrongKey,

    /// The key is not 32 bytes.
    #[error("a database key is 32 bytes, got {len}")]
    InvalidKey { len: usize },

    /// The database was written by a newer version of the app.
    #[error("the database has schema version {found}; this app knows up to {supported}. Update the app")]
    NewerSchema { found: u32, supported: u32 },

    /// A change was refused by the rules of the protocol (participant mismatch,
    /// unknown collection, ...). `code` is the protocol's rejection code.
    #[error("{code}: {message}")]
    Rejected { code: RejectionCode, message: String },

    /// SQLite or the file system failed.
    #[error("storage: {0}")]
    Storage(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub(crate) fn validation(field: impl Into<String>, reason: Reason) -> Self {
        Error::Validation { field: field.into(), reason }
    }

    /// The stable snake_case code of this error, as the protocol names it where
    /// it has a name (the others are the device's own).
    pub fn code(&self) -> &str {
        match self {
            Error::Validation { .. } => ErrorCode::ValidationFailed.as_str(),
            Error::NotFound { .. } => ErrorCode::NotFound.as_str(),
            Error::WrongKey => "wrong_key",
            Error::InvalidKey { .. } => "invalid_key",
            Error::NewerSchema { .. } => "newer_schema",
            Error::Rejected { code, .. } => code.as_str(),
            Error::Storage(_) => "storage",
        }
    }
}

impl From<Rejection> for Error {
    fn from(rejection: Rejection) -> Self {
        match rejection {
            Rejection::Invalid { field, reason } => Error::Validation { field, reason },
            other => Error::Rejected { code: other.code(), message: other.to_string() },
        }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(error: rusqlite::Error) -> Self {
        Error::Storage(error.to_string())
    }
}

impl From<serde_json::Error> for Error {
    fn from(error: serde_json::Error) -> Self {
        // Stored JSON that no longer parses is a storage fault, not the caller's.
        Error::Storage(format!("stored record does not decode: {error}"))
    }
}
