//! The schema of PROTOCOL.md's Collections table, as data, and the one validator
//! every write goes through: local writes, merges and (later) the server.

mod collections;
mod reason;
mod validate;

pub use collections::{Category, Collection, FieldKind, FieldSpec};
pub use reason::Reason;
pub use validate::{check_id, validate_change_fields};

use serde_json::{Map, Value};

/// Whether a record in this state takes no more changes: a submitted
/// encounter note is locked (corrections are new notes that amend it).
pub fn is_locked(collection: Collection, fields: &Map<String, Value>) -> bool {
    collection == Collection::EncounterNotes && fields.get("status").and_then(Value::as_str) == Some("submitted")
}

/// Why a change is refused, with the protocol's rejection code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    #[error("{field}: {reason}")]
    Invalid { field: String, reason: Reason },
    #[error("unknown collection {0:?}")]
    UnknownCollection(String),
    #[error("{collection} has no field {field:?}")]
    UnknownField { collection: String, field: String },
    #[error("record {record_id} belongs to another participant")]
    ParticipantMismatch { record_id: String },
}

impl Rejection {
    pub fn invalid(field: impl Into<String>, reason: Reason) -> Self {
        Rejection::Invalid { field: field.into(), reason }
    }

    /// The protocol's rejection code.
    pub fn code(&self) -> &'static str {
        match self {
            Rejection::Invalid { .. } => "validation_failed",
            Rejection::UnknownCollection(_) => "unknown_collection",
            Rejection::UnknownField { .. } => "unknown_field",
            Rejection::ParticipantMismatch { .. } => "participant_mismatch",
        }
    }
}
