//! A change as it travels: PROTOCOL.md's Change object. The outbox holds these,
//! push sends them, pull returns them (with `author_id`), merge applies them.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::hlc::Hlc;
use crate::schema::{Collection, Reason, Rejection, check_id, validate_change_fields};

/// Sets the listed fields of one record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub change_id: String,
    pub collection: String,
    pub record_id: String,
    pub participant_id: String,
    pub hlc: String,
    pub fields: Map<String, Value>,
    /// The project's addition (protocol/README.md, "Concurrent edits"): for
    /// each text or list field the change sets, the HLC of the value its
    /// writer saw (null: none). Absent: unknown, and the change is merged by
    /// LWW alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<Map<String, Value>>,
    /// Set by the server on pulled changes: who made the change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author_id: Option<String>,
}

/// A change that passed [`Change::check`]: known collection, well-formed ids,
/// HLC and field values.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedChange<'a> {
    pub change: &'a Change,
    pub collection: Collection,
    pub hlc: Hlc,
}

impl Change {
    /// Checks the change's shape and every field value against the schema.
    /// Whether required fields are present depends on whether the record
    /// exists, so `creating` says so.
    pub fn check(&self, creating: bool) -> Result<CheckedChange<'_>, Rejection> {
        check_id("change_id", &self.change_id)?;
        check_id("record_id", &self.record_id)?;
        check_id("participant_id", &self.participant_id)?;
        let collection: Collection = self.collection.parse()?;
        if collection.is_singleton() && self.record_id != self.participant_id {
            return Err(Rejection::invalid("record_id", Reason::SingletonRecordId { collection: collection.name() }));
        }
        let hlc: Hlc = self.hlc.parse()?;
        validate_change_fields(collection, &self.fields, creating)?;
        self.check_base()?;
        Ok(CheckedChange { change: self, collection, hlc })
    }

    /// `base` names only fields the change sets, each with an HLC or null.
    fn check_base(&self) -> Result<(), Rejection> {
        for (name, seen) in self.base.iter().flatten() {
            if !self.fields.contains_key(name) {
                return Err(Rejection::invalid("base", Reason::BaseField(name.clone())));
            }
            if let Some(text) = seen.as_str() {
                text.parse::<Hlc>().map_err(|_| Rejection::invalid("base", Reason::Hlc("holds a value that is not an HLC")))?;
            } else if !seen.is_null() {
                return Err(Rejection::invalid("base", Reason::Hlc("holds a value that is not an HLC")));
            }
        }
        Ok(())
    }
}
