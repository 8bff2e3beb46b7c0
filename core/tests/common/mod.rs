//! Helpers shared by the integration tests: the fixtures (`fixtures`), a seeded
//! random source, raw access to the encrypted database file, and the per-field
//! last-writer-wins model the store is checked against.

// Each test binary compiles this module and uses only part of it.
#![allow(dead_code)]

pub mod fixtures;

use std::collections::BTreeMap;
use std::hash::{BuildHasher, Hasher};
use std::path::Path;

use alongside_core::Change;
use rusqlite::Connection;
use rusqlite::types::Type;
use serde_json::{Map, Value};

/// A small seeded generator (splitmix64): the seed is printed, so a failing
/// run can be replayed.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// Seeded from the operating system (std's `RandomState` keys come from it)
    /// mixed with the clock and the process id.
    pub fn from_entropy() -> Self {
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
        hasher.write_u128(nanos);
        hasher.write_u32(std::process::id());
        Rng(hasher.finish())
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }

    /// A number in `low..high`.
    pub fn range(&mut self, low: u64, high: u64) -> u64 {
        low + self.below(high.saturating_sub(low))
    }

    /// An index into a slice of `len` items (0 when empty).
    pub fn index(&mut self, len: usize) -> usize {
        usize::try_from(self.below(len as u64)).unwrap_or(0)
    }

    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.index(i + 1);
            items.swap(i, j);
        }
    }

    pub fn bytes<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0u8; N];
        for byte in &mut out {
            *byte = self.next_u64().to_le_bytes()[0];
        }
        out
    }
}

/// The key as SQLCipher's raw key literal, as the core passes it.
pub fn key_literal(key: &[u8]) -> String {
    let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
    format!("x'{hex}'")
}

/// A plain connection to the store's file, unlocked with `key`.
pub fn open_raw(path: &Path, key: &[u8]) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
    conn.execute_batch(&format!("PRAGMA key = \"{}\";", key_literal(key)))?;
    Ok(conn)
}

/// The rows of `PRAGMA integrity_check` (["ok"] when sound) followed by those
/// of SQLCipher's `PRAGMA cipher_integrity_check` (none when every page's MAC
/// verifies).
pub fn integrity(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut problems = Vec::new();
    for pragma in ["PRAGMA integrity_check", "PRAGMA cipher_integrity_check"] {
        let mut stmt = conn.prepare(pragma)?;
        let rows = stmt.query_map([], |row| row.get::<_, String>(0))?;
        for row in rows {
            problems.push(row?);
        }
    }
    Ok(problems)
}

/// One row of the `records` table, decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredRecord {
    pub participant_id: String,
    pub fields: Value,
    pub clocks: Value,
    pub status: Option<String>,
    pub deleted: bool,
}

/// Every stored record by (collection, record id).
pub type Dump = BTreeMap<(String, String), StoredRecord>;

fn json_column(row: &rusqlite::Row<'_>, index: usize) -> rusqlite::Result<Value> {
    let text: String = row.get(index)?;
    serde_json::from_str(&text).map_err(|e| rusqlite::Error::FromSqlConversionFailure(index, Type::Text, Box::new(e)))
}

/// The whole `records` table, fields and per-field clocks included.
pub fn dump_records(conn: &Connection) -> rusqlite::Result<Dump> {
    let mut stmt = conn.prepare("SELECT collection, record_id, participant_id, fields, clocks, status, deleted FROM records")?;
    let rows = stmt.query_map([], |row| {
        Ok((
            (row.get::<_, String>(0)?, row.get::<_, String>(1)?),
            StoredRecord {
                participant_id: row.get(2)?,
                fields: json_column(row, 3)?,
                clocks: json_column(row, 4)?,
                status: row.get(5)?,
                deleted: row.get(6)?,
            },
        ))
    })?;
    rows.collect()
}

/// The `meta` table (device id, clock floor).
pub fn dump_meta(conn: &Connection) -> rusqlite::Result<BTreeMap<String, String>> {
    let mut stmt = conn.prepare("SELECT key, value FROM meta")?;
    let rows = stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
    rows.collect()
}

/// A record as the model computes it: each field's winning value and HLC.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ModelRecord {
    pub participant_id: String,
    pub fields: Map<String, Value>,
    pub clocks: Map<String, Value>,
}

/// Per-field last-writer-wins, written independently of the core: each field
/// takes the value of the change with the greatest HLC; on an exact tie of HLC
/// (which distinct devices never produce) the greater JSON text wins. The first
/// change seen for a record fixes its participant.
pub fn lww_model<'a>(changes: impl IntoIterator<Item = &'a Change>) -> BTreeMap<(String, String), ModelRecord> {
    let mut records: BTreeMap<(String, String), ModelRecord> = BTreeMap::new();
    for change in changes {
        let record = records
            .entry((change.collection.clone(), change.record_id.clone()))
            .or_insert_with(|| ModelRecord { participant_id: change.participant_id.clone(), ..ModelRecord::default() });
        for (name, value) in &change.fields {
            let incoming = (change.hlc.as_str(), value.to_string());
            let current = record.clocks.get(name).and_then(Value::as_str).map(|hlc| (hlc, record.fields.get(name).map(Value::to_string)));
            let wins = match current {
                None => true,
                Some((hlc, current_text)) => incoming > (hlc, current_text.unwrap_or_default()),
            };
            if wins {
                record.fields.insert(name.clone(), value.clone());
                record.clocks.insert(name.clone(), Value::from(change.hlc.clone()));
            }
        }
    }
    records
}
