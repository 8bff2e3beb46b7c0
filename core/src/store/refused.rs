//! What the server refused, in the person's hands: send it again (after
//! fixing what the server said), or let it go. Letting go takes back what the
//! change wrote on this device and pulls the server's copy again.

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use serde_json::Value;

use super::write::{Write, WriteKind};
use super::{Store, concurrent, rows};
use crate::change::Change;
use crate::error::{Error, Result};
use crate::schema::Collection;

impl Store {
    /// Sends a refused change again with the next sync, carrying the
    /// record's values as they are now (so an edit the person made to fix
    /// what the server said goes with it), stamped afresh, and saying which
    /// values it replaces as any write does. Returns it.
    pub fn retry_refused(&self, change_id: &str) -> Result<Change> {
        let mut inner = self.lock();
        let inner = &mut *inner;
        let tx = inner.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (seq, mut change) = refused(&tx, change_id)?;
        let collection: Collection = change.collection.parse()?;
        let hlc = inner.clock.tick((inner.wall)()).to_string();
        if let Some(mut row) = rows::read(&tx, collection, &change.record_id)? {
            for (name, value) in &mut change.fields {
                if let Some(now) = row.fields.get(name) {
                    value.clone_from(now);
                }
            }
            let write = Write {
                collection,
                record_id: &change.record_id,
                participant_id: &change.participant_id,
                fields: &change.fields,
                kind: WriteKind::Update,
                pinned: None,
            };
            change.base = concurrent::base_of(&tx, &write, &hlc, Some(&row))?;
            for name in change.fields.keys() {
                row.clocks.insert(name.clone(), Value::from(hlc.as_str()));
            }
            rows::write(&tx, collection, &change.record_id, &row)?;
        }
        tx.prepare_cached(
            "UPDATE outbox SET state = 'pending', error_code = NULL, error_message = NULL, hlc = ?2, fields = ?3, base = ?4
             WHERE seq = ?1",
        )?
        .execute(params![
            seq,
            hlc,
            serde_json::to_string(&change.fields)?,
            change.base.as_ref().map(serde_json::to_string).transpose()?
        ])?;
        tx.commit()?;
        inner.generation += 1;
        inner.pending = None;
        Ok(change)
    }

    /// Lets a refused change go: the values it wrote here (where nothing
    /// later replaced them) are taken back, a record that only it made goes,
    /// and the next sync pulls everything again so the server's copy returns.
    /// Returns the change let go.
    pub fn discard_refused(&self, change_id: &str) -> Result<Change> {
        let mut inner = self.lock();
        let inner = &mut *inner;
        let tx = inner.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (seq, change) = refused(&tx, change_id)?;
        if let Ok(collection) = change.collection.parse::<Collection>()
            && let Some(mut row) = rows::read(&tx, collection, &change.record_id)?
        {
            for name in change.fields.keys() {
                if row.clocks.get(name).and_then(Value::as_str) == Some(change.hlc.as_str()) {
                    row.fields.remove(name);
                    row.clocks.remove(name);
                }
            }
            if row.fields.is_empty() {
                tx.prepare_cached("DELETE FROM records WHERE collection = ?1 AND record_id = ?2")?
                    .execute(params![collection.name(), change.record_id])?;
            } else {
                rows::write(&tx, collection, &change.record_id, &row)?;
            }
        }
        tx.prepare_cached("DELETE FROM outbox WHERE seq = ?1")?.execute([seq])?;
        // Pulls are compacted, so pulling from the start brings the server's
        // value of every field this device no longer has.
        tx.execute("DELETE FROM meta WHERE key = 'sync_cursor'", [])?;
        tx.commit()?;
        inner.generation += 1;
        Ok(change)
    }
}

/// The outbox position and change of a refused entry.
fn refused(conn: &Connection, change_id: &str) -> Result<(i64, Change)> {
    let mut stmt = conn.prepare_cached(
        "SELECT change_id, collection, record_id, participant_id, hlc, fields, seq, base FROM outbox
         WHERE change_id = ?1 AND state = 'rejected'",
    )?;
    let found = stmt.query_row([change_id], |row| Ok((row.get::<_, i64>(6)?, super::outbox::change_from_row(row)))).optional()?;
    match found {
        Some((seq, change)) => Ok((seq, change?)),
        None => Err(Error::NotFound { collection: "outbox".into(), id: change_id.to_owned() }),
    }
}
