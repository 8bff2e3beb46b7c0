//! Record rows. Local writes and merged remote changes both change a row with
//! [`lww::apply`]; a local write simply carries the newest HLC, so it wins.

use rusqlite::{Connection, OptionalExtension, params};
use serde_json::{Map, Value};

use crate::error::Result;
use crate::lww;
use crate::model::Record;
use crate::schema::Collection;

/// A record as stored: field values and the HLC that set each.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Row {
    pub participant_id: String,
    pub fields: Map<String, Value>,
    pub clocks: Map<String, Value>,
    /// The author of the record's first change, where known.
    pub author_id: Option<String>,
}

impl Row {
    pub fn new(participant_id: &str, author_id: Option<&str>) -> Self {
        Row { participant_id: participant_id.to_owned(), author_id: author_id.map(str::to_owned), ..Row::default() }
    }

    pub fn is_deleted(&self) -> bool {
        self.fields.get("deleted").and_then(Value::as_bool).unwrap_or(false)
    }

    /// Sets each field whose incoming HLC wins. Returns whether any changed.
    pub fn apply(&mut self, fields: &Map<String, Value>, hlc: &str) -> bool {
        lww::apply(&mut self.fields, &mut self.clocks, fields, hlc)
    }

    /// The typed record, or `None` while a required field has not arrived yet
    /// (a remote record can come in several changes).
    pub fn decode<R: Record>(&self, record_id: &str) -> Option<R> {
        let mut record: R = serde_json::from_value(Value::Object(self.fields.clone())).ok()?;
        record.set_keys(record_id.to_owned(), self.participant_id.clone());
        Some(record)
    }
}

pub(super) fn read(conn: &Connection, collection: Collection, record_id: &str) -> Result<Option<Row>> {
    let mut stmt =
        conn.prepare_cached("SELECT participant_id, fields, clocks, author_id FROM records WHERE collection = ?1 AND record_id = ?2")?;
    let raw = stmt
        .query_row(params![collection.name(), record_id], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?, row.get::<_, String>(2)?, row.get::<_, Option<String>>(3)?))
        })
        .optional()?;
    let Some((participant_id, fields, clocks, author_id)) = raw else { return Ok(None) };
    Ok(Some(Row { participant_id, fields: serde_json::from_str(&fields)?, clocks: serde_json::from_str(&clocks)?, author_id }))
}

/// Writes a row whose fields and clocks are already serialized (a new record's
/// fields are the text of its first change, so they are encoded once).
pub(super) fn write_encoded(
    conn: &Connection,
    collection: Collection,
    record_id: &str,
    row: &Row,
    fields: &str,
    clocks: &str,
) -> Result<()> {
    let status = row.fields.get("status").and_then(Value::as_str);
    let mut stmt = conn.prepare_cached(
        "INSERT INTO records (collection, record_id, participant_id, fields, clocks, status, deleted, author_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (collection, record_id) DO UPDATE SET
             fields = excluded.fields, clocks = excluded.clocks, status = excluded.status, deleted = excluded.deleted,
             author_id = coalesce(records.author_id, excluded.author_id)",
    )?;
    stmt.execute(params![collection.name(), record_id, row.participant_id, fields, clocks, status, row.is_deleted(), row.author_id])?;
    Ok(())
}

pub(super) fn write(conn: &Connection, collection: Collection, record_id: &str, row: &Row) -> Result<()> {
    let fields = serde_json::to_string(&row.fields)?;
    let clocks = serde_json::to_string(&row.clocks)?;
    write_encoded(conn, collection, record_id, row, &fields, &clocks)
}

/// Live records of one collection for one participant, optionally only those
/// whose `status` is one of `statuses`. Records still missing a required field
/// are left out.
pub(super) fn list<R: Record>(conn: &Connection, participant_id: &str, statuses: Option<&[&str]>) -> Result<Vec<R>> {
    let collection = R::COLLECTION.name();
    let mut records = Vec::new();
    let mut push = |record_id: String, fields: String| {
        if let Ok(mut record) = serde_json::from_str::<R>(&fields) {
            record.set_keys(record_id, participant_id.to_owned());
            records.push(record);
        }
    };
    match statuses {
        None => {
            let mut stmt =
                conn.prepare_cached("SELECT record_id, fields FROM records WHERE participant_id = ?1 AND collection = ?2 AND deleted = 0")?;
            let mut rows = stmt.query(params![participant_id, collection])?;
            while let Some(row) = rows.next()? {
                push(row.get(0)?, row.get(1)?);
            }
        }
        Some(statuses) => {
            let mut stmt = conn.prepare_cached(
                "SELECT record_id, fields FROM records WHERE participant_id = ?1 AND collection = ?2 AND status = ?3 AND deleted = 0",
            )?;
            for status in statuses {
                let mut rows = stmt.query(params![participant_id, collection, status])?;
                while let Some(row) = rows.next()? {
                    push(row.get(0)?, row.get(1)?);
                }
            }
        }
    }
    Ok(records)
}

/// Live records of one collection for one participant, each with its author
/// (where known).
pub(super) fn list_authored<R: Record>(conn: &Connection, participant_id: &str) -> Result<Vec<(R, Option<String>)>> {
    let mut stmt = conn
        .prepare_cached("SELECT record_id, fields, author_id FROM records WHERE participant_id = ?1 AND collection = ?2 AND deleted = 0")?;
    let mut rows = stmt.query(params![participant_id, R::COLLECTION.name()])?;
    let mut records = Vec::new();
    while let Some(row) = rows.next()? {
        let fields: String = row.get(1)?;
        if let Ok(mut record) = serde_json::from_str::<R>(&fields) {
            record.set_keys(row.get(0)?, participant_id.to_owned());
            records.push((record, row.get(2)?));
        }
    }
    Ok(records)
}
