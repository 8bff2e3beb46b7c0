//! Applies changes from elsewhere (pulled from the server) with per-field
//! last-writer-wins. Idempotent and order-independent: any permutation or
//! repetition of the same changes leaves the same state.

use rusqlite::{Connection, TransactionBehavior};

use super::write::Stamp;
use super::{Store, concurrent, rows};
use crate::change::Change;
use crate::error::Result;
use crate::hlc::Hlc;
use crate::schema::Rejection;

/// What a merge did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MergeReport {
    /// Changes that set at least one field.
    pub applied: usize,
    /// Changes every field of which had already lost to a later write.
    pub unchanged: usize,
    /// Changes refused, by change id, with why.
    pub rejected: Vec<(String, Rejection)>,
    /// Changes kept for a newer version of the app: this one cannot read them
    /// in full (a collection, field or value it does not know). What it can
    /// read of them is applied.
    pub held: usize,
    /// Edits of this device's that lost to a concurrent edit and are kept as
    /// conflicts for the person (see [`Store::conflicts`]).
    pub conflicts: usize,
    /// Lists this device wrote again, merged, after its own edit lost to a
    /// concurrent one; each is a new change in the outbox.
    pub merged_lists: usize,
    /// Local rows removed by the page's purges.
    pub purged: usize,
    /// Changes of this device's queued again because the server was restored
    /// from a backup that lacks them (protocol/README.md, "Restored servers").
    pub pushed_again: usize,
}

impl Store {
    /// Merges remote changes in one transaction, and moves the clock past
    /// every HLC merged.
    pub fn apply_remote(&self, changes: &[Change]) -> Result<MergeReport> {
        let mut inner = self.lock();
        let (conn, mut stamp) = inner.split();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let report = merge_into(&tx, &mut stamp, changes)?;
        tx.commit()?;
        inner.committed(report.merged_lists as u64);
        Ok(report)
    }

    /// How many pulled changes are kept for a newer version of the app.
    pub fn held_changes(&self) -> Result<usize> {
        let count: i64 = self.lock().conn.query_row("SELECT count(*) FROM held_changes", [], |row| row.get(0))?;
        Ok(usize::try_from(count).unwrap_or(0))
    }
}

/// Merges `changes` inside the caller's transaction.
pub(super) fn merge_into(conn: &Connection, stamp: &mut Stamp<'_>, changes: &[Change]) -> Result<MergeReport> {
    let mut report = MergeReport::default();
    let mut highest: Option<Hlc> = None;
    let mut merges = Vec::new();
    let node = stamp.clock.node().to_owned();
    for change in changes {
        // Required fields are not checked: a record may arrive in several
        // changes, and is listed once it is complete.
        let readable;
        let checked = match change.check(false) {
            Ok(checked) => checked,
            Err(rejection) if rejection.is_from_a_newer_version() => {
                // Kept whole for an app that can read it; what this one can
                // read goes in now.
                conn.prepare_cached(
                    "INSERT OR IGNORE INTO held_changes (change_id, participant_id, collection, change) VALUES (?1, ?2, ?3, ?4)",
                )?
                .execute(rusqlite::params![
                    change.change_id,
                    change.participant_id,
                    change.collection,
                    serde_json::to_string(change)?
                ])?;
                report.held += 1;
                readable = known_part(change);
                match readable.as_ref().map(|c| c.check(false)) {
                    Some(Ok(checked)) => checked,
                    _ => continue,
                }
            }
            Err(rejection) => {
                report.rejected.push((change.change_id.clone(), rejection));
                continue;
            }
        };
        // What is merged is what was checked (of a held change, its known part).
        let change = checked.change;
        let mut row = match rows::read(conn, checked.collection, &change.record_id)? {
            Some(row) if row.participant_id != change.participant_id => {
                report.rejected.push((change.change_id.clone(), Rejection::ParticipantMismatch { record_id: change.record_id.clone() }));
                continue;
            }
            Some(row) => row,
            None => rows::Row::new(&change.participant_id, change.author_id.as_deref()),
        };
        merges.extend(concurrent::before_merge(conn, &node, checked.collection, &row, change, &mut report.conflicts)?);
        if row.apply(&change.fields, &change.hlc) {
            rows::write(conn, checked.collection, &change.record_id, &row)?;
            report.applied += 1;
        } else {
            report.unchanged += 1;
        }
        if highest.as_ref().is_none_or(|high| checked.hlc > *high) {
            highest = Some(checked.hlc);
        }
    }
    if let Some(high) = highest {
        stamp.clock.observe(&high);
        raise_clock_floor(conn, &high.to_string())?;
    }
    // After the clock has seen every merged HLC, so each merged list wins.
    report.merged_lists = concurrent::write_merges(conn, stamp, &merges)?;
    Ok(report)
}

/// The part of `change` this version can read: the fields that pass on their
/// own. `None` when its collection is unknown or no field is left.
fn known_part(change: &Change) -> Option<Change> {
    let fields: serde_json::Map<String, serde_json::Value> = change
        .fields
        .iter()
        .filter(|(name, value)| {
            let alone = Change { fields: serde_json::Map::from_iter([((*name).clone(), (*value).clone())]), ..change.clone() };
            alone.check(false).is_ok()
        })
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect();
    (!fields.is_empty()).then(|| Change { fields, ..change.clone() })
}

/// Merges again the changes held for a newer version: those this version can
/// now read in full (the app was updated) take effect and are let go. Called
/// when the store opens; merging is idempotent, so a change applied in part
/// before is applied whole now.
pub(super) fn retry_held(conn: &mut Connection, stamp: &mut Stamp<'_>) -> Result<usize> {
    let held: Vec<String> =
        conn.prepare("SELECT change FROM held_changes")?.query_map([], |row| row.get(0))?.collect::<rusqlite::Result<_>>()?;
    if held.is_empty() {
        return Ok(0);
    }
    let readable: Vec<Change> =
        held.iter().filter_map(|text| serde_json::from_str::<Change>(text).ok()).filter(|change| change.check(false).is_ok()).collect();
    if readable.is_empty() {
        return Ok(0);
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    merge_into(&tx, stamp, &readable)?;
    for change in &readable {
        tx.prepare_cached("DELETE FROM held_changes WHERE change_id = ?1")?.execute([&change.change_id])?;
    }
    tx.commit()?;
    Ok(readable.len())
}

/// Records that the clock has reached `hlc`, so a reopened store resumes past
/// it even when no outbox entry carries it any more.
pub(super) fn raise_clock_floor(conn: &Connection, hlc: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('hlc_floor', ?1)
         ON CONFLICT (key) DO UPDATE SET value = max(value, excluded.value)",
        [hlc],
    )?;
    Ok(())
}
