//! A clock that ran ahead: changes this device stamped while its wall clock
//! was days fast are refused by the server (an HLC may be at most
//! [`MAX_CLOCK_AHEAD_MS`] ahead of its clock), and the HLC never goes back, so
//! without this every later change would be refused too. Once the wall clock
//! is right again, every stamp of this device's that lies beyond the limit is
//! given a new one, in the old order, above every stamp the device holds from
//! anyone else; what waited in the outbox is then pushed as usual.

use std::collections::BTreeMap;

use rusqlite::{TransactionBehavior, params};
use serde_json::{Map, Value};

use super::Store;
use crate::error::Result;
use crate::hlc::{Hlc, HlcClock, MAX_CLOCK_AHEAD_MS};

impl Store {
    /// Stamps again, in order, this device's changes stamped more than
    /// [`MAX_CLOCK_AHEAD_MS`] ahead of the wall clock (in the outbox, and in
    /// the field clocks of its records), and lets changes the server refused
    /// for their clock go again. Returns how many stamps changed; costs
    /// nothing when the device's clock never ran ahead.
    pub fn restamp_future_changes(&self) -> Result<usize> {
        let mut inner = self.lock();
        let inner = &mut *inner;
        let limit = (inner.wall)().saturating_add(MAX_CLOCK_AHEAD_MS);
        // The clock has issued or seen its highest stamp: if that is within
        // the limit, so is every stamp in the store.
        if inner.clock.clone().tick(0).ms <= limit {
            return Ok(0);
        }
        let node = inner.clock.node().to_owned();
        let tx = inner.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;

        let mut future: Vec<Hlc> = Vec::new();
        let mut highest_kept: Option<Hlc> = None;
        let mut keep_highest = |hlc: Hlc| {
            if highest_kept.as_ref().is_none_or(|h| hlc > *h) {
                highest_kept = Some(hlc);
            }
        };
        let outbox: Vec<(i64, String)> = tx
            .prepare("SELECT seq, hlc FROM outbox")?
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (_, text) in &outbox {
            let Ok(hlc) = text.parse::<Hlc>() else { continue };
            if hlc.ms > limit && hlc.node == node { future.push(hlc) } else { keep_highest(hlc) }
        }
        let records: Vec<(String, String, String)> = tx
            .prepare("SELECT collection, record_id, clocks FROM records")?
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut touched: Vec<(String, String, Map<String, Value>)> = Vec::new();
        for (collection, record_id, clocks) in records {
            let clocks: Map<String, Value> = serde_json::from_str(&clocks)?;
            let mut is_touched = false;
            for hlc in clocks.values().filter_map(Value::as_str).filter_map(|t| t.parse::<Hlc>().ok()) {
                if hlc.ms > limit && hlc.node == node {
                    future.push(hlc);
                    is_touched = true;
                } else {
                    keep_highest(hlc);
                }
            }
            if is_touched {
                touched.push((collection, record_id, clocks));
            }
        }
        future.sort();
        future.dedup();

        // New stamps by today's wall clock, above everything kept, in the old order.
        let mut clock = HlcClock::new(node, highest_kept.as_ref());
        let wall = (inner.wall)();
        let renamed: BTreeMap<String, String> = future.iter().map(|old| (old.to_string(), clock.tick(wall).to_string())).collect();
        let rename = |text: &str| renamed.get(text).cloned();

        for (seq, text) in &outbox {
            if let Some(new) = rename(text) {
                tx.prepare_cached("UPDATE outbox SET hlc = ?2 WHERE seq = ?1")?.execute(params![seq, new])?;
                // Refused for its clock, it may go again now.
                tx.prepare_cached(
                    "UPDATE outbox SET state = 'pending', error_code = NULL, error_message = NULL
                     WHERE seq = ?1 AND state = 'rejected' AND error_code = 'validation_failed'",
                )?
                .execute([seq])?;
            }
        }
        for (collection, record_id, mut clocks) in touched {
            for value in clocks.values_mut() {
                if let Some(new) = value.as_str().and_then(rename) {
                    *value = Value::from(new);
                }
            }
            tx.prepare_cached("UPDATE records SET clocks = ?3 WHERE collection = ?1 AND record_id = ?2")?.execute(params![
                collection,
                record_id,
                serde_json::to_string(&clocks)?
            ])?;
        }
        // The floor comes down with the stamps: it only ever rose before.
        let floor = clock.tick(wall).to_string();
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('hlc_floor', ?1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [&floor],
        )?;
        tx.commit()?;
        inner.clock = clock;
        inner.pending = None;
        inner.generation += 1;
        Ok(renamed.len())
    }
}
