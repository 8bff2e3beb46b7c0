//! One sync pass: push the outbox in batches, then pull until the server has
//! nothing more. Store calls run on tokio's blocking pool, off the caller's
//! executor.

use std::sync::Arc;

use super::client::{SyncClient, SyncError};
use crate::protocol::{MAX_PULL_LIMIT, MAX_PUSH_BYTES, PushResult};
use crate::store::{OutboxBatch, Store};

/// Changes per push (PROTOCOL.md allows 1000).
const PUSH_BATCH: usize = 500;
/// Room left under the 2 MiB push limit for the envelope.
const PUSH_BUDGET: usize = MAX_PUSH_BYTES - 64 * 1024;

/// How far a pass has got.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyncProgress {
    pub pushed: usize,
    pub pulled: usize,
    /// Local rows removed because sharing ended (purges, expiry): a pass
    /// that only removed still changed what screens show.
    pub purged: usize,
}

/// What a pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Changes the server took (applied or already had).
    pub pushed: usize,
    /// Changes the server refused; they stay on the device with its reason.
    pub rejected: usize,
    /// Changes pulled and merged.
    pub pulled: usize,
    /// Participants' data purged on the server's word.
    pub purges: usize,
    /// Local rows those purges and sharing expiry removed.
    pub purged: usize,
    /// Changes of this device's queued again for a server restored from a
    /// backup that lacks them (pushed in the same pass).
    pub pushed_again: usize,
}

impl SyncReport {
    pub(crate) fn progress(&self) -> SyncProgress {
        SyncProgress { pushed: self.pushed, pulled: self.pulled, purged: self.purged }
    }
}

/// Runs one pass. On an error the pass stops; nothing local is lost, and
/// what was acknowledged before the error stays acknowledged.
pub async fn sync_once(
    store: &Arc<Store>,
    client: &SyncClient,
    on_progress: &(dyn Fn(SyncProgress) + Send + Sync),
) -> Result<SyncReport, SyncError> {
    let result = push_then_pull(store, client, on_progress).await;
    erase_if_wiped(store, &result).await?;
    result
}

/// Signed out with a wipe (a lost phone): nothing stays here.
pub(super) async fn erase_if_wiped<T>(store: &Arc<Store>, result: &Result<T, SyncError>) -> Result<(), SyncError> {
    if let Err(error) = result
        && error.is_wiped()
    {
        blocking(store, |s| s.erase()).await?;
    }
    Ok(())
}

/// A pass but for what a wipe asks ([`erase_if_wiped`]): the sync engine may
/// give this up half-way, never an erase.
pub(super) async fn push_then_pull(
    store: &Arc<Store>,
    client: &SyncClient,
    on_progress: &(dyn Fn(SyncProgress) + Send + Sync),
) -> Result<SyncReport, SyncError> {
    // Expired sharing goes by this device's clock first, reachable server or not.
    let expired = blocking(store, |s| s.expire_shared()).await?;
    let token = token(store).await?;
    let mut report = SyncReport { purged: expired, ..SyncReport::default() };
    push_all(store, client, &token, None, &mut report, on_progress).await?;
    pull_all(store, client, &token, &mut report, on_progress).await?;
    if report.pushed_again > 0 {
        // The server was restored from a backup: what it lacks goes now.
        push_all(store, client, &token, None, &mut report, on_progress).await?;
    }
    // Two phones that each started a new period offline: one stays current
    // (what this writes goes with the next pass).
    blocking(store, |s| s.settle_recovery_periods()).await?;
    Ok(report)
}

/// The push half of a pass alone.
pub async fn push(store: &Arc<Store>, client: &SyncClient) -> Result<SyncReport, SyncError> {
    let mut report = SyncReport::default();
    push_all(store, client, &token(store).await?, None, &mut report, &|_| {}).await?;
    Ok(report)
}

/// Pushes one record's changes alone (an urgent reach-out, ahead of any
/// backlog), then asks the server whom the participant can reach now, so
/// "delivered" is said only while someone is assigned to read it.
pub(super) async fn push_record(store: &Arc<Store>, client: &SyncClient, record_id: &str) -> Result<SyncReport, SyncError> {
    let token = token(store).await?;
    let mut report = SyncReport::default();
    push_all(store, client, &token, Some(record_id), &mut report, &|_| {}).await?;
    if let Some(care) = client.me(&token).await?.care {
        blocking(store, move |s| s.set_care(&care)).await?;
    }
    Ok(report)
}

/// The pull half of a pass alone.
pub async fn pull(store: &Arc<Store>, client: &SyncClient) -> Result<SyncReport, SyncError> {
    let mut report = SyncReport::default();
    pull_all(store, client, &token(store).await?, &mut report, &|_| {}).await?;
    Ok(report)
}

/// The signed-in session's token, or `NotSignedIn`.
pub(super) async fn token(store: &Arc<Store>) -> Result<String, SyncError> {
    Ok(blocking(store, |s| s.session()).await?.ok_or(SyncError::NotSignedIn)?.token)
}

async fn push_all(
    store: &Arc<Store>,
    client: &SyncClient,
    token: &str,
    only: Option<&str>,
    report: &mut SyncReport,
    on_progress: &(dyn Fn(SyncProgress) + Send + Sync),
) -> Result<(), SyncError> {
    // Changes stamped while the phone's clock ran days ahead get new stamps
    // once it is right, or the server would refuse them (and all after them).
    blocking(store, |s| s.restamp_future_changes()).await?;
    let mut batch_size = PUSH_BATCH;
    // Batches go one at a time, each only after the server answered the one
    // before (a later change may build on an earlier one). What the device
    // records of an answer is written while the next batch is on its way.
    let mut answered: Option<(OutboxBatch, Vec<PushResult>)> = None;
    let mut after_seq = i64::MIN;
    loop {
        let record = only.map(str::to_owned);
        let batch = fit_budget(blocking(store, move |s| s.outbox_batch_after(after_seq, batch_size, record.as_deref())).await?);
        let Some((&first_seq, &last_seq)) = batch.seqs.first().zip(batch.seqs.last()) else {
            return record_answer(store, answered.take(), report, on_progress).await;
        };
        let (recorded, pushed) =
            tokio::join!(record_answer(store, answered.take(), report, on_progress), client.push(token, batch.changes.clone()));
        recorded?;
        match pushed {
            Ok(response) => {
                check_results(&batch, &response.results)?;
                after_seq = last_seq;
                answered = Some((batch, response.results));
                batch_size = PUSH_BATCH;
            }
            // The server refused the batch as a whole (too large, or a change
            // it cannot even read). Halve it until the change at fault stands
            // alone, then set that one aside so it cannot block the others.
            Err(SyncError::Server { status: status @ (400 | 413 | 422), code, message, .. }) => {
                if batch.seqs.len() > 1 {
                    batch_size = batch.seqs.len() / 2;
                } else {
                    let reason = format!("{message} (HTTP {status})");
                    blocking(store, move |s| s.reject_locally(first_seq, &code, &reason)).await?;
                    report.rejected += 1;
                }
            }
            Err(other) => return Err(other),
        }
    }
}

/// Records the server's answer to a pushed batch, if there is one waiting.
async fn record_answer(
    store: &Arc<Store>,
    answered: Option<(OutboxBatch, Vec<PushResult>)>,
    report: &mut SyncReport,
    on_progress: &(dyn Fn(SyncProgress) + Send + Sync),
) -> Result<(), SyncError> {
    let Some((batch, results)) = answered else { return Ok(()) };
    let outcome = blocking(store, move |s| s.record_push(&batch, &results)).await?;
    report.pushed += outcome.accepted;
    report.rejected += outcome.rejected;
    on_progress(report.progress());
    Ok(())
}

/// Drops changes from the end of a batch until it fits the push size limit
/// (always keeping the first, which is judged alone if it is too large).
fn fit_budget(mut batch: OutboxBatch) -> OutboxBatch {
    let mut size = 0;
    let mut keep = 0;
    for change in &batch.changes {
        size += serde_json::to_string(change).map(|text| text.len() + 1).unwrap_or(PUSH_BUDGET);
        if size > PUSH_BUDGET && keep > 0 {
            break;
        }
        keep += 1;
    }
    batch.changes.truncate(keep);
    batch.seqs.truncate(keep);
    batch
}

/// One result per change, in order, or the answer is not trusted at all.
fn check_results(batch: &OutboxBatch, results: &[PushResult]) -> Result<(), SyncError> {
    let matches = results.len() == batch.changes.len() && results.iter().zip(&batch.changes).all(|(r, c)| r.change_id == c.change_id);
    if matches { Ok(()) } else { Err(SyncError::Protocol("push results do not match the changes sent".into())) }
}

async fn pull_all(
    store: &Arc<Store>,
    client: &SyncClient,
    token: &str,
    report: &mut SyncReport,
    on_progress: &(dyn Fn(SyncProgress) + Send + Sync),
) -> Result<(), SyncError> {
    let cursor = blocking(store, |s| s.sync_cursor()).await?;
    let mut page = client.pull(token, cursor.as_deref(), MAX_PULL_LIMIT).await?;
    loop {
        if page.cursor.is_empty() {
            return Err(SyncError::Protocol("pull returned no cursor".into()));
        }
        let has_more = page.has_more;
        let (pulled, purges) = (page.changes.len(), page.purge.len());
        if let Some(care) = page.care.take() {
            blocking(store, move |s| s.set_care(&care)).await?;
        }
        // The next page is fetched while this one is merged; each is still
        // merged (and its cursor stored) in order, one transaction each.
        let next_cursor = has_more.then(|| page.cursor.clone());
        let merge = blocking(store, move |s| s.apply_pull_page(&page));
        let fetch = async {
            match &next_cursor {
                Some(cursor) => client.pull(token, Some(cursor), MAX_PULL_LIMIT).await.map(Some),
                None => Ok(None),
            }
        };
        let (merged, fetched) = tokio::join!(merge, fetch);
        let merged = merged?;
        report.purged += merged.purged;
        report.pushed_again += merged.pushed_again;
        report.pulled += pulled;
        report.purges += purges;
        on_progress(report.progress());
        match fetched? {
            Some(next) => page = next,
            None => return Ok(()),
        }
    }
}

/// Runs a store call on the blocking pool, as a sync error.
pub(crate) async fn blocking<T: Send + 'static>(
    store: &Arc<Store>,
    call: impl FnOnce(&Store) -> crate::Result<T> + Send + 'static,
) -> Result<T, SyncError> {
    on_store(store, call).await.map_err(SyncError::from)
}

/// Runs a store call on the blocking pool, keeping the core's typed error (a
/// validation error names its field).
pub(crate) async fn on_store<T: Send + 'static>(
    store: &Arc<Store>,
    call: impl FnOnce(&Store) -> crate::Result<T> + Send + 'static,
) -> crate::Result<T> {
    let store = Arc::clone(store);
    tokio::task::spawn_blocking(move || call(&store)).await.map_err(|e| crate::Error::Storage(format!("store task ended: {e}")))?
}
