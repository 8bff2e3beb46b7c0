//! Edits of this phone's person that lost to a concurrent edit, as a screen
//! shows them: "Maria also changed this", with both versions in words.

use serde_json::Value;

use rusqlite::OptionalExtension;

use crate::error::Result;
use crate::model::Profile;
use crate::schema::Collection;
use crate::store::{Conflict, Store};

/// One kept edit, ready to show beside the record it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ConflictView {
    pub id: String,
    pub collection: Collection,
    pub record_id: String,
    /// The field, by its wire name (`title`, `warning_signs`, ...).
    pub field: String,
    /// What this person wrote, as text (list items one per line).
    pub mine: String,
    /// What the record holds instead.
    pub theirs: String,
    /// The record's title or name, where it has one: which goal, which contact.
    pub record_title: Option<String>,
    /// The other edit was this person's own, on another phone.
    pub theirs_by_you: bool,
    /// On a participant's phone, the other edit was their peer worker's
    /// (no one else writes a participant's records).
    pub theirs_by_peer_worker: bool,
    pub participant_id: String,
    /// The other person's name, where this phone knows it (a peer worker's
    /// phone knows its participants'); otherwise the shell says "your peer
    /// worker".
    pub their_name: Option<String>,
}

impl Store {
    /// Every kept edit on this phone, oldest first.
    pub fn conflict_views(&self) -> Result<Vec<ConflictView>> {
        let me = self.session()?.map(|session| session.user_id);
        let conflicts = self.all_conflicts()?;
        let mut views = Vec::with_capacity(conflicts.len());
        for conflict in conflicts {
            let author = conflict.their_author_id.as_deref();
            // The other writer is named when it is the participant, whose
            // profile a peer worker's phone holds.
            let their_name = match author {
                Some(author) if author == conflict.participant_id && Some(author) != me.as_deref() => {
                    self.list::<Profile>(author)?.into_iter().next().map(|profile| profile.display_name)
                }
                _ => None,
            };
            let record_title = self.record_title(conflict.collection, &conflict.record_id)?;
            views.push(view(conflict, me.as_deref(), their_name, record_title));
        }
        Ok(views)
    }

    /// The `title` or `name` of a record, as it is now.
    fn record_title(&self, collection: Collection, record_id: &str) -> Result<Option<String>> {
        let fields: Option<String> = self.with_conn(|conn| {
            Ok(conn
                .prepare_cached("SELECT fields FROM records WHERE collection = ?1 AND record_id = ?2")?
                .query_row(rusqlite::params![collection.name(), record_id], |row| row.get(0))
                .optional()?)
        })?;
        let fields: Option<serde_json::Map<String, Value>> = fields.map(|text| serde_json::from_str(&text)).transpose()?;
        Ok(fields.and_then(|fields| ["title", "name"].iter().find_map(|name| fields.get(*name)?.as_str().map(str::to_owned))))
    }
}

fn view(conflict: Conflict, me: Option<&str>, their_name: Option<String>, record_title: Option<String>) -> ConflictView {
    let author = conflict.their_author_id.as_deref();
    let on_their_own_phone = me == Some(conflict.participant_id.as_str());
    ConflictView {
        record_title,
        theirs_by_you: author.is_some() && author == me,
        theirs_by_peer_worker: on_their_own_phone && author.is_some() && author != me,
        participant_id: conflict.participant_id.clone(),
        their_name,
        mine: words(&conflict.mine),
        theirs: words(&conflict.theirs),
        id: conflict.id,
        collection: conflict.collection,
        record_id: conflict.record_id,
        field: conflict.field,
    }
}

/// A field's value as a person reads it.
fn words(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(text) => text.clone(),
        Value::Array(items) if items.iter().all(Value::is_number) => items.iter().map(Value::to_string).collect::<Vec<_>>().join(", "),
        Value::Array(items) => items.iter().map(words).collect::<Vec<_>>().join("\n"),
        // The GAS levels, from much less to much more than expected.
        Value::Object(levels) => ["-2", "-1", "0", "1", "2"]
            .iter()
            .filter_map(|level| levels.get(*level).and_then(Value::as_str).map(|text| format!("{level}: {text}")))
            .collect::<Vec<_>>()
            .join("\n"),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::words;

    #[test]
    fn values_read_as_words() {
        assert_eq!(words(&json!("Walk Maya to school")), "Walk Maya to school");
        assert_eq!(words(&json!(["not sleeping", "payday"])), "not sleeping\npayday");
        assert_eq!(words(&json!([3, 4, 5])), "3, 4, 5");
        assert_eq!(words(&json!({"0": "Three mornings", "-2": "None"})), "-2: None\n0: Three mornings");
        assert_eq!(words(&json!(null)), "");
    }
}
