//! Versioned schema migrations, run on open in one immediate transaction.
//! The version lives in `PRAGMA user_version`; a database from a newer app is
//! refused before anything is touched.

use rusqlite::{Connection, TransactionBehavior};

use crate::error::{Error, Result};

/// Migration `i` takes the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    // 1: records with per-field clocks, the outbox, device metadata.
    "CREATE TABLE meta (
         key TEXT PRIMARY KEY,
         value TEXT NOT NULL
     ) WITHOUT ROWID;
     CREATE TABLE records (
         collection TEXT NOT NULL,
         record_id TEXT NOT NULL,
         participant_id TEXT NOT NULL,
         fields TEXT NOT NULL,       -- JSON object: field -> value
         clocks TEXT NOT NULL,       -- JSON object: field -> HLC that set it
         status TEXT,                -- copy of the `status` field, for the views' index
         deleted INTEGER NOT NULL DEFAULT 0,
         PRIMARY KEY (collection, record_id)
     ) WITHOUT ROWID;
     CREATE INDEX records_by_participant ON records (participant_id, collection, status);
     CREATE TABLE outbox (
         seq INTEGER PRIMARY KEY,
         change_id TEXT NOT NULL,
         collection TEXT NOT NULL,
         record_id TEXT NOT NULL,
         participant_id TEXT NOT NULL,
         hlc TEXT NOT NULL,
         fields TEXT NOT NULL
     );",
    // 2: the outbox remembers what the server refused, and why, so the person
    // can see it; nothing is dropped.
    "ALTER TABLE outbox ADD COLUMN state TEXT NOT NULL DEFAULT 'pending';
     ALTER TABLE outbox ADD COLUMN error_code TEXT;
     ALTER TABLE outbox ADD COLUMN error_message TEXT;",
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

pub(super) fn migrate(conn: &mut Connection) -> Result<()> {
    migrate_to(conn, SCHEMA_VERSION)
}

/// Brings the schema to `target` (tests stop early to build old databases).
pub(super) fn migrate_to(conn: &mut Connection, target: u32) -> Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let found: u32 = tx.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(Error::NewerSchema { found, supported: SCHEMA_VERSION });
    }
    for (version, sql) in MIGRATIONS.iter().enumerate().take(target as usize).skip(found as usize) {
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", version as u32 + 1)?;
    }
    tx.commit()?;
    Ok(())
}
