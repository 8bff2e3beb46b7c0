//! The outbox: changes made on this device that the server has not yet
//! acknowledged. An entry is written in the same transaction as its record.

use std::collections::HashMap;

use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use super::Store;
use super::write::Write;
use crate::change::Change;
use crate::error::Result;
use crate::schema::Collection;

/// Where an outbox entry stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum OutboxState {
    /// Waiting to be pushed.
    Pending,
    /// The server refused it; kept, with its reason, so the person sees it.
    Rejected,
}

/// Whether the server has a record as this device last wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum RecordSync {
    /// Nothing of it waits here: the server took every change made on this
    /// device (or it came from the server).
    Synced,
    /// Changes to it wait for the next sync.
    Waiting,
    /// The server refused a change to it; the person should see why.
    Refused { code: String, reason: String },
}

impl RecordSync {
    /// A refusal outweighs waiting: it needs the person.
    fn worse(self, other: RecordSync) -> RecordSync {
        match (self, other) {
            (refused @ RecordSync::Refused { .. }, _) | (_, refused @ RecordSync::Refused { .. }) => refused,
            (RecordSync::Waiting, _) | (_, RecordSync::Waiting) => RecordSync::Waiting,
            _ => RecordSync::Synced,
        }
    }
}

/// One change in the outbox, with what the server said of it.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxEntry {
    pub change: Change,
    pub state: OutboxState,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
}

/// Queues the change a write made: its record's keys come from `write`.
pub(super) fn insert(conn: &Connection, write: &Write<'_>, change_id: &str, hlc: &str, fields: &str, base: Option<&str>) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO outbox (change_id, collection, record_id, participant_id, hlc, fields, base) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    stmt.execute(params![change_id, write.collection.name(), write.record_id, write.participant_id, hlc, fields, base])?;
    Ok(())
}

/// Queues `changes`, in order, ahead of every change in the outbox: changes
/// older than anything waiting (a restored server's, pushed again), which a
/// pending edit of the same record may build on. With `refused` (code,
/// message), they are kept as refused instead of pending.
pub(super) fn insert_ahead(conn: &Connection, changes: &[Change], refused: Option<(&str, &str)>) -> Result<()> {
    if changes.is_empty() {
        return Ok(());
    }
    let first: i64 = conn.query_row("SELECT coalesce(min(seq), 1) FROM outbox", [], |row| row.get(0))?;
    let count = i64::try_from(changes.len()).unwrap_or(i64::MAX);
    let (state, code, message) = match refused {
        Some((code, message)) => ("rejected", Some(code), Some(message)),
        None => ("pending", None, None),
    };
    let mut stmt = conn.prepare_cached(
        "INSERT INTO outbox (seq, change_id, collection, record_id, participant_id, hlc, fields, base, state, error_code, error_message)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, NULL, ?8, ?9, ?10)",
    )?;
    for (seq, change) in (first.saturating_sub(count)..).zip(changes) {
        stmt.execute(params![
            seq,
            change.change_id,
            change.collection,
            change.record_id,
            change.participant_id,
            change.hlc,
            serde_json::to_string(&change.fields)?,
            state,
            code,
            message
        ])?;
    }
    Ok(())
}

/// The change of an outbox row selected as change_id, collection, record_id,
/// participant_id, hlc, fields (in that order), and base (by name).
pub(super) fn change_from_row(row: &rusqlite::Row<'_>) -> Result<Change> {
    let fields: String = row.get(5)?;
    let base: Option<String> = row.get("base")?;
    Ok(Change {
        change_id: row.get(0)?,
        collection: row.get(1)?,
        record_id: row.get(2)?,
        participant_id: row.get(3)?,
        hlc: row.get(4)?,
        fields: serde_json::from_str(&fields)?,
        base: base.map(|text| serde_json::from_str(&text)).transpose()?,
        author_id: None,
    })
}

fn pending_count(conn: &Connection) -> Result<u64> {
    let mut stmt = conn.prepare_cached("SELECT count(*) FROM outbox WHERE state = 'pending'")?;
    let count: i64 = stmt.query_row([], |row| row.get(0))?;
    Ok(count.unsigned_abs())
}

impl Store {
    /// Changes waiting to be pushed, oldest first, at most `limit`.
    pub fn pending_changes(&self, limit: usize) -> Result<Vec<Change>> {
        Ok(self.outbox_batch(limit)?.changes)
    }

    /// Every outbox entry, pending and rejected, oldest first: what a screen
    /// shows as "not sent yet" and "not accepted".
    pub fn outbox(&self) -> Result<Vec<OutboxEntry>> {
        let inner = self.lock();
        let mut stmt = inner.conn.prepare_cached(
            "SELECT change_id, collection, record_id, participant_id, hlc, fields, state, error_code, error_message, base
             FROM outbox ORDER BY seq",
        )?;
        let mut rows = stmt.query([])?;
        let mut entries = Vec::new();
        while let Some(row) = rows.next()? {
            let state: String = row.get(6)?;
            entries.push(OutboxEntry {
                change: change_from_row(row)?,
                state: if state == "rejected" { OutboxState::Rejected } else { OutboxState::Pending },
                error_code: row.get(7)?,
                error_message: row.get(8)?,
            });
        }
        Ok(entries)
    }

    /// Where the participant's records of `collection` written on this
    /// device stand, by record id; a record missing from the map is `Synced`.
    /// (Screens ask on every refresh: only that collection's rows are read.)
    pub fn record_syncs(&self, participant_id: &str, collection: Collection) -> Result<HashMap<String, RecordSync>> {
        self.fold_syncs(
            "SELECT record_id, state, error_code, error_message FROM outbox WHERE participant_id = ?1 AND collection = ?2",
            &[participant_id, collection.name()],
        )
    }

    /// Where one record written on this device stands.
    pub fn record_sync(&self, record_id: &str) -> Result<RecordSync> {
        let mut syncs =
            self.fold_syncs("SELECT record_id, state, error_code, error_message FROM outbox WHERE record_id = ?1", &[record_id])?;
        Ok(syncs.remove(record_id).unwrap_or(RecordSync::Synced))
    }

    /// Folds outbox rows (record_id, state, error_code, error_message) into
    /// one state per record.
    fn fold_syncs(&self, sql: &str, keys: &[&str]) -> Result<HashMap<String, RecordSync>> {
        let inner = self.lock();
        let mut stmt = inner.conn.prepare_cached(sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(keys))?;
        let mut syncs: HashMap<String, RecordSync> = HashMap::new();
        while let Some(row) = rows.next()? {
            let state: String = row.get(1)?;
            let this = if state == "rejected" {
                RecordSync::Refused {
                    code: row.get::<_, Option<String>>(2)?.unwrap_or_default(),
                    reason: row.get::<_, Option<String>>(3)?.unwrap_or_default(),
                }
            } else {
                RecordSync::Waiting
            };
            let entry = syncs.entry(row.get(0)?).or_insert(RecordSync::Synced);
            *entry = std::mem::replace(entry, RecordSync::Synced).worse(this);
        }
        Ok(syncs)
    }

    /// How many changes the server refused (kept here for the person to see).
    pub fn refused_count(&self) -> Result<u64> {
        let inner = self.lock();
        let count: i64 =
            inner.conn.prepare_cached("SELECT count(*) FROM outbox WHERE state = 'rejected'")?.query_row([], |row| row.get(0))?;
        Ok(count.unsigned_abs())
    }

    /// How many changes wait to be pushed.
    pub fn pending_count(&self) -> Result<u64> {
        let mut inner = self.lock();
        if let Some(count) = inner.pending {
            return Ok(count);
        }
        let count = pending_count(&inner.conn)?;
        inner.pending = Some(count);
        Ok(count)
    }
}
