//! Per-field last-writer-wins: the one merge rule of the protocol, used by the
//! device store and the server alike.
//!
//! A record is a map of field values plus, for each field, the HLC of the
//! change that set it. A change's field wins when its HLC is later; on an exact
//! tie (which distinct devices never produce) the larger JSON text wins, so
//! the outcome never depends on arrival order.

use std::cmp::Ordering;

use serde_json::{Map, Value};

/// Applies `incoming` fields stamped `hlc` to `fields`/`clocks`. Returns
/// whether any field changed.
pub fn apply(fields: &mut Map<String, Value>, clocks: &mut Map<String, Value>, incoming: &Map<String, Value>, hlc: &str) -> bool {
    let mut changed = false;
    for (name, value) in incoming {
        let current_clock = clocks.get(name).and_then(Value::as_str);
        if wins(hlc, value, current_clock, fields.get(name)) {
            fields.insert(name.clone(), value.clone());
            clocks.insert(name.clone(), Value::from(hlc));
            changed = true;
        }
    }
    changed
}

/// Whether a value stamped `incoming_hlc` replaces the current one.
pub fn wins(incoming_hlc: &str, incoming: &Value, current_hlc: Option<&str>, current: Option<&Value>) -> bool {
    let Some(current_hlc) = current_hlc else { return true };
    match incoming_hlc.cmp(current_hlc) {
        Ordering::Greater => true,
        Ordering::Less => false,
        Ordering::Equal => current.is_none_or(|current| json_text(incoming) > json_text(current)),
    }
}

fn json_text(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}
