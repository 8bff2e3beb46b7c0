//! A participant's own data, whole, as JSON: their right of access.

use rusqlite::params;
use serde_json::{Map, Value, json};

use crate::error::Result;
use crate::schema::Collection;
use crate::store::Store;

impl Store {
    /// Every record this device holds for the participant, deleted ones
    /// included (marked), grouped by collection, as pretty JSON.
    pub fn export_participant(&self, participant_id: &str, exported_at: chrono::DateTime<chrono::Utc>) -> Result<String> {
        let mut collections = Map::new();
        for collection in Collection::ALL {
            collections.insert(collection.name().to_owned(), Value::Array(Vec::new()));
        }
        self.with_conn(|conn| {
            let mut stmt =
                conn.prepare("SELECT collection, record_id, fields FROM records WHERE participant_id = ?1 ORDER BY collection, record_id")?;
            let mut rows = stmt.query(params![participant_id])?;
            while let Some(row) = rows.next()? {
                let collection: String = row.get(0)?;
                let mut record = Map::new();
                record.insert("id".into(), Value::String(row.get(1)?));
                let fields: Map<String, Value> = serde_json::from_str(&row.get::<_, String>(2)?)?;
                record.extend(fields);
                if let Some(Value::Array(records)) = collections.get_mut(&collection) {
                    records.push(Value::Object(record));
                }
            }
            Ok(())
        })?;
        let export = json!({
            "format": "alongside-export-1",
            "participant_id": participant_id,
            "exported_at": exported_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "collections": collections,
        });
        Ok(serde_json::to_string_pretty(&export)?)
    }
}
