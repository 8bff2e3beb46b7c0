//! The protocol's changes as the JSON a client sends, for tests that speak
//! HTTP directly.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::{BoxError, fail};

/// Unix milliseconds now.
pub fn now_ms() -> i64 {
    i64::try_from(alongside_protocol::hlc::wall_clock_ms()).unwrap_or(0)
}

/// An HLC `offset_ms` from now on `node`.
pub fn hlc(offset_ms: i64, counter: u16, node: &str) -> String {
    format!("{:013}-{:04x}-{node}", now_ms() + offset_ms, counter)
}

pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A change with a fresh change id.
pub fn change(collection: &str, record_id: &str, participant_id: &str, hlc: &str, fields: Value) -> Value {
    json!({"change_id": new_id(), "collection": collection, "record_id": record_id,
           "participant_id": participant_id, "hlc": hlc, "fields": fields})
}

/// A complete new goal.
pub fn goal(participant_id: &str, hlc: &str, title: &str) -> Value {
    change("goals", &new_id(), participant_id, hlc, json!({"title": title, "area": "parenting", "status": "active"}))
}

/// A complete new check-in.
pub fn check_in(participant_id: &str, hlc: &str) -> Value {
    change("check_ins", &new_id(), participant_id, hlc, json!({"at": "2026-11-23T08:15:00Z", "mood": 4}))
}

/// What a device holds after merging pull pages as a device does, kept as
/// plain JSON so suites can follow the protocol without the phone's core: per
/// record and field, the value with the latest HLC; a purge drops the
/// participant's collections it names.
#[derive(Debug, Default, PartialEq)]
pub struct Replica {
    /// (collection, record id, field) → (HLC, value, participant id).
    fields: BTreeMap<(String, String, String), (String, Value, String)>,
    /// Whether any page carried a purge.
    pub purged: bool,
}

impl Replica {
    /// Merges one page (`{"changes": [...], "purge": [...]}`): its changes,
    /// then its purges.
    pub fn apply(&mut self, page: &Value) -> Result<(), BoxError> {
        for change in page["changes"].as_array().ok_or_else(|| fail(format!("a page without changes: {page}")))? {
            let text = |name: &str| change[name].as_str().unwrap_or_default().to_owned();
            let hlc = text("hlc");
            for (field, value) in change["fields"].as_object().into_iter().flatten() {
                let key = (text("collection"), text("record_id"), field.clone());
                if self.fields.get(&key).is_none_or(|(held, _, _)| *held < hlc) {
                    self.fields.insert(key, (hlc.clone(), value.clone(), text("participant_id")));
                }
            }
        }
        for purge in page["purge"].as_array().into_iter().flatten() {
            self.purged = true;
            let participant = purge["participant_id"].as_str().unwrap_or_default();
            let collections: Vec<&str> = purge["collections"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
            self.fields.retain(|(collection, _, _), (_, _, owner)| owner != participant || !collections.contains(&collection.as_str()));
        }
        Ok(())
    }

    /// The value held of one field of a record.
    pub fn field(&self, collection: &str, record_id: &str, field: &str) -> Option<&Value> {
        self.fields.get(&(collection.to_owned(), record_id.to_owned(), field.to_owned())).map(|(_, value, _)| value)
    }

    /// The ids of the records held in `collection`, in order.
    pub fn records(&self, collection: &str) -> Vec<String> {
        let mut ids: Vec<String> = self.fields.keys().filter(|(c, _, _)| c == collection).map(|(_, id, _)| id.clone()).collect();
        ids.dedup();
        ids
    }

    /// The ids of the records held in `collection` of `participant_id`.
    pub fn records_of(&self, collection: &str, participant_id: &str) -> Vec<String> {
        let mut ids: Vec<String> = self
            .fields
            .iter()
            .filter(|((c, _, _), (_, _, owner))| c == collection && owner == participant_id)
            .map(|((_, id, _), _)| id.clone())
            .collect();
        ids.dedup();
        ids
    }
}
