//! The schema of PROTOCOL.md's Collections table, as data, and the one validator
//! every write goes through: local writes, merges and (later) the server.

mod collections;
mod reason;
pub mod sharing;
mod validate;

pub use collections::{Category, Collection, FieldKind, FieldSpec};
pub use reason::Reason;
pub use validate::{check_id, validate_change_fields};

use serde_json::{Map, Value};

use crate::codes::RejectionCode;

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
    /// The record is [`is_locked`]. One wording for the device and the server.
    #[error("this {collection} record was submitted and is locked; write an amendment instead")]
    Locked { collection: Collection },
}

impl Rejection {
    pub fn invalid(field: impl Into<String>, reason: Reason) -> Self {
        Rejection::Invalid { field: field.into(), reason }
    }

    /// Whether a newer version of the protocol could have written what was
    /// refused: a collection, a field or an enumerated value this version
    /// does not know. A device keeps such a pulled change for an update of
    /// the app instead of dropping it.
    pub fn is_from_a_newer_version(&self) -> bool {
        match self {
            Rejection::UnknownCollection(_) | Rejection::UnknownField { .. } => true,
            Rejection::Invalid { reason, .. } => matches!(reason, Reason::OneOf(_) | Reason::OnlyValues(_)),
            Rejection::ParticipantMismatch { .. } | Rejection::Locked { .. } => false,
        }
    }

    /// The protocol's rejection code.
    pub fn code(&self) -> RejectionCode {
        match self {
            Rejection::Invalid { .. } => RejectionCode::ValidationFailed,
            Rejection::UnknownCollection(_) => RejectionCode::UnknownCollection,
            Rejection::UnknownField { .. } => RejectionCode::UnknownField,
            Rejection::ParticipantMismatch { .. } => RejectionCode::ParticipantMismatch,
            Rejection::Locked { .. } => RejectionCode::Locked,
        }
    }

    /// The one field at fault, when there is one (a rejection's `field`).
    pub fn field(&self) -> Option<&str> {
        match self {
            Rejection::Invalid { field, .. } | Rejection::UnknownField { field, .. } => Some(field),
            Rejection::UnknownCollection(_) | Rejection::ParticipantMismatch { .. } | Rejection::Locked { .. } => None,
        }
    }
}
