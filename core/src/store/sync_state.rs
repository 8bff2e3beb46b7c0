//! What sync keeps in the store: the outbox's fate after a push, the pull
//! cursor (committed with the data it covers), purges, and the sign-in.

use rusqlite::{OptionalExtension, TransactionBehavior, params};
use serde::{Deserialize, Serialize};

use super::{Store, merge, restore};
use crate::care::Care;
use crate::change::Change;
use crate::codes::{ErrorCode, RejectionCode};
use crate::error::Result;
use crate::protocol::{PullResponse, Purge, PushResult, PushStatus};
use crate::schema::Collection;
use crate::schema::sharing::expired_collections;

/// A batch of outbox entries to push, with their outbox positions.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxBatch {
    pub seqs: Vec<i64>,
    pub changes: Vec<Change>,
}

/// Who this device is signed in as (its `Debug` leaves the token out).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub token: String,
    pub device_id: String,
    pub user_id: String,
    pub role: String,
    pub display_name: String,
}

alongside_protocol::redacted_debug!(Session { device_id, user_id, role });

/// Where a pulled page stands in its pull.
#[derive(Debug, Clone, Copy)]
struct PageIs {
    /// The server has nothing more (`has_more: false`).
    last: bool,
    /// The server was restored from a backup: the pull starts again.
    restored: bool,
}

/// How one push went, for status and logs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PushOutcome {
    pub accepted: usize,
    pub rejected: usize,
}

impl Store {
    /// The oldest pending changes, at most `limit`.
    pub fn outbox_batch(&self, limit: usize) -> Result<OutboxBatch> {
        self.outbox_batch_after(i64::MIN, limit, None)
    }

    /// The oldest pending changes after outbox position `after_seq`, at most
    /// `limit`: the next batch while the one before it is still being recorded.
    /// With `record_id`, only that record's (an urgent reach-out goes alone).
    pub fn outbox_batch_after(&self, after_seq: i64, limit: usize, record_id: Option<&str>) -> Result<OutboxBatch> {
        let inner = self.lock();
        let mut stmt = inner.conn.prepare_cached(
            "SELECT change_id, collection, record_id, participant_id, hlc, fields, seq, base FROM outbox
             WHERE state = 'pending' AND seq > ?1 AND (?3 IS NULL OR record_id = ?3) ORDER BY seq LIMIT ?2",
        )?;
        let mut rows = stmt.query(rusqlite::params![after_seq, i64::try_from(limit).unwrap_or(i64::MAX), record_id])?;
        let mut batch = OutboxBatch { seqs: Vec::new(), changes: Vec::new() };
        while let Some(row) = rows.next()? {
            batch.changes.push(super::outbox::change_from_row(row)?);
            batch.seqs.push(row.get(6)?);
        }
        Ok(batch)
    }

    /// Records what the server said of a pushed batch: accepted entries
    /// (applied or duplicate) leave the outbox; rejected ones stay, marked, with
    /// the server's code and message. `results[i]` answers `batch.changes[i]`.
    pub fn record_push(&self, batch: &OutboxBatch, results: &[PushResult]) -> Result<PushOutcome> {
        let mut inner = self.lock();
        let inner = &mut *inner;
        let tx = inner.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // The clock must stay past the HLCs leaving the outbox (see clock_floor).
        let floor = inner.clock.tick((inner.wall)()).to_string();
        merge::raise_clock_floor(&tx, &floor)?;
        let mut outcome = PushOutcome::default();
        // Kept with each refusal: a restore the next pull tells of may be why.
        let cursor: Option<String> =
            tx.prepare_cached("SELECT value FROM meta WHERE key = 'sync_cursor'")?.query_row([], |row| row.get(0)).optional()?;
        for (seq, result) in batch.seqs.iter().zip(results) {
            match result.status {
                PushStatus::Applied | PushStatus::Duplicate => {
                    tx.prepare_cached("DELETE FROM outbox WHERE seq = ?1")?.execute([seq])?;
                    outcome.accepted += 1;
                }
                PushStatus::Rejected => {
                    let (code, message) = result.error.as_ref().map(|e| (e.code.as_str(), e.message.as_str())).unwrap_or(("rejected", ""));
                    mark_rejected(&tx, *seq, code, message, cursor.as_deref())?;
                    outcome.rejected += 1;
                }
            }
        }
        tx.commit()?;
        inner.pending = None;
        Ok(outcome)
    }

    /// Keeps one change out of every later push, with a reason: for a change
    /// the server cannot take whatever is retried (too large on its own, say).
    pub fn reject_locally(&self, seq: i64, code: &ErrorCode, message: &str) -> Result<()> {
        let mut inner = self.lock();
        mark_rejected(&inner.conn, seq, code.as_str(), message, None)?;
        inner.pending = None;
        Ok(())
    }

    /// Merges a pulled page, applies its purges, and stores the cursor after
    /// it, all in one transaction: the cursor never runs ahead of the data.
    /// (A page on its own: the last of its pull, of no restored server.)
    pub fn apply_pull(&self, changes: &[Change], purges: &[Purge], cursor: &str) -> Result<merge::MergeReport> {
        self.apply_page(changes, purges, cursor, PageIs { last: true, restored: false })
    }

    /// [`Store::apply_pull`] of a page as the server sent it: after a page
    /// that says the server was restored from a backup, what the server
    /// lacks of this device's goes to the outbox again at the end of the
    /// pull (protocol/README.md, "Restored servers"; `restore.rs`).
    pub fn apply_pull_page(&self, page: &PullResponse) -> Result<merge::MergeReport> {
        self.apply_page(&page.changes, &page.purge, &page.cursor, PageIs { last: !page.has_more, restored: page.restored })
    }

    fn apply_page(&self, changes: &[Change], purges: &[Purge], cursor: &str, page: PageIs) -> Result<merge::MergeReport> {
        let mut inner = self.lock();
        let (conn, mut stamp) = inner.split();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut again = 0;
        if page.restored {
            again = restore::begin(&tx, stamp.clock.node())?;
        }
        let restoring = restore::is_active(&tx)?;
        if restoring {
            restore::note_pulled(&tx, changes)?;
        }
        let mut report = merge::merge_into(&tx, &mut stamp, changes)?;
        for purge in purges {
            report.purged += purge_local(&tx, purge)?;
        }
        report.pushed_again = again;
        if restoring && page.last {
            report.pushed_again += restore::push_again(&tx, stamp.me)?;
        }
        set_meta(&tx, "sync_cursor", cursor)?;
        tx.commit()?;
        inner.pending = None;
        inner.generation += 1;
        Ok(report)
    }

    /// The cursor after the last pulled page, if any.
    pub fn sync_cursor(&self) -> Result<Option<String>> {
        self.meta("sync_cursor")
    }

    pub fn session(&self) -> Result<Option<Session>> {
        session(&self.lock().conn)
    }

    /// Stores the sign-in (inside the encrypted database), or forgets it.
    /// Signing in also names the author of what was written here before.
    pub fn set_session(&self, session: Option<&Session>) -> Result<()> {
        let mut inner = self.lock();
        let inner = &mut *inner;
        let tx = inner.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        match session {
            Some(session) => {
                set_meta(&tx, "session", &serde_json::to_string(session)?)?;
                tx.execute("UPDATE records SET author_id = ?1 WHERE author_id IS NULL", [&session.user_id])?;
            }
            None => {
                // Whom the last person could reach goes with them.
                tx.execute("DELETE FROM meta WHERE key IN ('session', 'care')", [])?;
            }
        }
        tx.commit()?;
        inner.me = session.map(|s| s.user_id.clone());
        Ok(())
    }

    /// Whom the signed-in participant can reach for help, as the server last
    /// said (protocol/README.md "Reaching help"); `None` before the first
    /// pull that said it.
    pub fn care(&self) -> Result<Option<Care>> {
        Ok(self.meta("care")?.and_then(|json| serde_json::from_str(&json).ok()))
    }

    pub fn set_care(&self, care: &Care) -> Result<()> {
        set_meta(&self.lock().conn, "care", &serde_json::to_string(care)?)
    }

    pub(super) fn meta(&self, key: &str) -> Result<Option<String>> {
        let inner = self.lock();
        Ok(inner.conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |row| row.get(0)).optional()?)
    }
}

/// Sets the value under `key` in the device's own key-value table.
pub(super) fn set_meta(conn: &rusqlite::Connection, key: &str, value: &str) -> Result<()> {
    conn.prepare_cached("INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")?
        .execute([key, value])?;
    Ok(())
}

pub(super) fn session(conn: &rusqlite::Connection) -> Result<Option<Session>> {
    let json: Option<String> = conn.query_row("SELECT value FROM meta WHERE key = 'session'", [], |row| row.get(0)).optional()?;
    Ok(json.and_then(|json| serde_json::from_str(&json).ok()))
}

/// Marks an outbox entry refused; `cursor` is the pull cursor when the
/// server refused it (`None`: refused here).
fn mark_rejected(conn: &rusqlite::Connection, seq: i64, code: &str, message: &str, cursor: Option<&str>) -> Result<()> {
    conn.prepare_cached("UPDATE outbox SET state = 'rejected', error_code = ?2, error_message = ?3, refused_after = ?4 WHERE seq = ?1")?
        .execute(params![seq, code, message, cursor])?;
    Ok(())
}

impl Store {
    /// On a peer worker's device: drops what each participant shared once
    /// their sharing has expired (by the protocol's rule, on today's UTC date
    /// by this device's clock), as the server's next pull would, so it goes
    /// at the expiry even while the device is offline. A participant's own
    /// records on their own devices are theirs and stay. Returns how many
    /// rows went; once they are gone, later calls change nothing and leave
    /// the views' caches be.
    pub fn expire_shared(&self) -> Result<usize> {
        let mut inner = self.lock();
        let inner = &mut *inner;
        let Some(me) = inner.me.clone() else { return Ok(0) };
        let today =
            chrono::DateTime::from_timestamp_millis(i64::try_from((inner.wall)()).unwrap_or(i64::MAX)).unwrap_or_default().date_naive();
        let sharings: Vec<(String, String)> = inner
            .conn
            .prepare_cached("SELECT participant_id, fields FROM records WHERE collection = 'sharing' AND participant_id <> ?1")?
            .query_map([&me], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut purges = Vec::new();
        for (participant_id, fields) in sharings {
            let fields: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&fields)?;
            let collections = expired_collections(Some(&fields), today);
            if !collections.is_empty() {
                purges.push(Purge { participant_id, collections: collections.into_iter().map(str::to_owned).collect() });
            }
        }
        if purges.is_empty() {
            return Ok(0);
        }
        let tx = inner.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut changed = 0;
        for purge in &purges {
            changed += purge_local(&tx, purge)?;
        }
        tx.commit()?;
        if changed > 0 {
            inner.pending = None;
            inner.generation += 1;
        }
        Ok(changed)
    }
}

/// Why a change to what a purge removed cannot go through.
const WITHDRAWN: &str = "the participant no longer shares this with you";

/// Deletes the local copies a purge names. Changes to them still waiting to be
/// sent can no longer go through: they stay in the outbox as rejected with
/// `consent_withdrawn`, so the person sees what did not go through. A pass
/// pushes before it pulls, so changes the server refused as `forbidden` just
/// before this purge were refused for the same reason, and say so too.
/// Returns how many rows it changed.
fn purge_local(conn: &rusqlite::Connection, purge: &Purge) -> Result<usize> {
    let mut changed = 0;
    for name in &purge.collections {
        // Kept for a newer version or not, what was withdrawn goes (a newer
        // server may name a collection this version does not know).
        changed +=
            conn.execute("DELETE FROM held_changes WHERE participant_id = ?1 AND collection = ?2", params![purge.participant_id, name])?;
        let Ok(collection) = name.parse::<Collection>() else { continue };
        changed += restore::withdrawn(conn, &purge.participant_id, collection, (RejectionCode::ConsentWithdrawn.as_str(), WITHDRAWN))?;
        changed += super::concurrent::purge(conn, &purge.participant_id, collection)?;
        changed += conn.execute(
            "DELETE FROM records WHERE participant_id = ?1 AND collection = ?2",
            params![purge.participant_id, collection.name()],
        )?;
        changed += conn.execute(
            "UPDATE outbox SET state = 'rejected', error_code = ?3, error_message = ?4
             WHERE participant_id = ?1 AND collection = ?2
               AND (state = 'pending' OR (state = 'rejected' AND error_code = ?5))",
            params![
                purge.participant_id,
                collection.name(),
                RejectionCode::ConsentWithdrawn.as_str(),
                WITHDRAWN,
                RejectionCode::Forbidden.as_str(),
            ],
        )?;
    }
    Ok(changed)
}
