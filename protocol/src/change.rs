//! A change as it travels: PROTOCOL.md's Change object. The outbox holds these,
//! push sends them, pull returns them (with `author_id`), merge applies them.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::hlc::Hlc;
use crate::schema::{Collection, Reason, Rejection, check_id, validate_change_fields};

/// Sets the listed fields of one record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Change {
    pub change_id: String,
    pub collection: String,
    pub record_id: String,
    pub participant_id: String,
    pub hlc: String,
    /// The fields to set, by name: a free object, checked against the
    /// collection's fields (PROTOCOL.md, Collections).
    pub fields: Map<String, Value>,
    /// The project's addition (protocol/README.md, "Concurrent edits"): for
    /// each text or list field the change sets, the HLC of the value its
    /// writer saw. Absent: unknown, and the change is merged by LWW alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<Base>,
    /// Set by the server on pulled changes: who made the change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author_id: Option<String>,
}

/// Which values a change's writer saw ([`Change::base`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum Base {
    /// Per field: the HLC of the value seen, or null for none.
    Fields(Map<String, Value>),
    /// One HLC seen for every text and list field the change sets: the
    /// usual case (they were last set together), in a third of the bytes.
    All(String),
}

impl Base {
    /// From per-field bases, in the shorter form where one HLC says it all.
    pub fn compact(fields: Map<String, Value>) -> Base {
        let mut seen = fields.values();
        match seen.next().and_then(Value::as_str) {
            Some(first) if seen.all(|other| other.as_str() == Some(first)) => Base::All(first.to_owned()),
            _ => Base::Fields(fields),
        }
    }

    /// What the writer saw of `field` (which `carries_base`): `Some(Some(hlc))`
    /// a value stamped `hlc`, `Some(None)` no value, `None` unknown.
    pub fn seen(&self, field: &str) -> Option<Option<&str>> {
        match self {
            Base::All(hlc) => Some(Some(hlc)),
            Base::Fields(fields) => fields.get(field).map(Value::as_str),
        }
    }
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

    /// `base` is one HLC, or names only fields the change sets, each with
    /// an HLC or null.
    fn check_base(&self) -> Result<(), Rejection> {
        let not_an_hlc = || Rejection::invalid("base", Reason::Hlc("holds a value that is not an HLC"));
        let check = |text: &str| text.parse::<Hlc>().map(|_| ()).map_err(|_| not_an_hlc());
        match &self.base {
            None => Ok(()),
            Some(Base::All(hlc)) => check(hlc),
            Some(Base::Fields(fields)) => fields.iter().try_for_each(|(name, seen)| {
                if !self.fields.contains_key(name) {
                    return Err(Rejection::invalid("base", Reason::BaseField(name.clone())));
                }
                match seen {
                    Value::String(text) => check(text),
                    Value::Null => Ok(()),
                    _ => Err(not_an_hlc()),
                }
            }),
        }
    }
}
