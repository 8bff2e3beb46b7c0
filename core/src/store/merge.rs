//! Applies changes from elsewhere (pulled from the server) with per-field
//! last-writer-wins. Idempotent and order-independent: any permutation or
//! repetition of the same changes leaves the same state.

use rusqlite::{Connection, TransactionBehavior};

use super::{Store, rows};
use crate::change::Change;
use crate::error::Result;
use crate::hlc::{Hlc, HlcClock};
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
}

impl Store {
    /// Merges remote changes in one transaction, and moves the clock past
    /// every HLC merged.
    pub fn apply_remote(&self, changes: &[Change]) -> Result<MergeReport> {
        let mut inner = self.lock();
        let inner = &mut *inner;
        let tx = inner.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let report = merge_into(&tx, &mut inner.clock, changes)?;
        tx.commit()?;
        inner.generation += 1;
        Ok(report)
    }
}

/// Merges `changes` inside the caller's transaction.
pub(super) fn merge_into(conn: &Connection, clock: &mut HlcClock, changes: &[Change]) -> Result<MergeReport> {
    let mut report = MergeReport::default();
    let mut highest: Option<Hlc> = None;
    for change in changes {
        // Required fields are not checked: a record may arrive in several
        // changes, and is listed once it is complete.
        let checked = match change.check(false) {
            Ok(checked) => checked,
            Err(rejection) => {
                report.rejected.push((change.change_id.clone(), rejection));
                continue;
            }
        };
        let mut row = match rows::read(conn, checked.collection, &change.record_id)? {
            Some(row) if row.participant_id != change.participant_id => {
                report.rejected.push((change.change_id.clone(), Rejection::ParticipantMismatch { record_id: change.record_id.clone() }));
                continue;
            }
            Some(row) => row,
            None => rows::Row::new(&change.participant_id, change.author_id.as_deref()),
        };
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
        clock.observe(&high);
        raise_clock_floor(conn, &high.to_string())?;
    }
    Ok(report)
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
