//! "I need to talk": a participant reaching their peer worker. The reach-out
//! is always kept on the phone first; then the core tries to deliver it at
//! once. When it cannot, the shell learns it is queued, with the peer worker's
//! own number and the crisis lines to offer instead of waiting.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::client::SyncClient;
use super::pass::{blocking, push};
use crate::error::Result;
use crate::i18n::Language;
use crate::library::crisis::{CrisisResource, crisis_resources};
use crate::model::{Contact, ReachOut, ReachOutStatus, Urgency};
use crate::store::Store;

/// What became of a reach-out.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Delivery {
    /// The server has it; the peer worker's devices get it on their next sync.
    Delivered,
    /// Kept on the phone and sent when there is a connection.
    Queued {
        /// The peer worker among the person's contacts, to call or text now.
        peer_worker: Option<Contact>,
        crisis_lines: &'static [CrisisResource],
    },
}

/// Writes the reach-out and tries to deliver it. An error means it was not
/// even written (invalid input or storage); a network failure is `Queued`.
pub async fn reach_out(
    store: &Arc<Store>,
    client: &SyncClient,
    participant_id: &str,
    urgency: Urgency,
    message: Option<String>,
    now: DateTime<Utc>,
    language: Language,
) -> Result<(ReachOut, Delivery)> {
    let draft = ReachOut {
        id: String::new(),
        participant_id: participant_id.to_owned(),
        urgency,
        message,
        created_at: now,
        status: ReachOutStatus::Open,
        acknowledged_at: None,
        resolved_at: None,
        deleted: false,
    };
    // Written on the blocking pool, keeping the typed error (a validation
    // error names its field).
    let writer = Arc::clone(store);
    let reach_out = tokio::task::spawn_blocking(move || writer.create(&draft))
        .await
        .map_err(|e| crate::Error::Storage(format!("store task ended: {e}")))??;
    let id = reach_out.id.clone();
    let delivered = push(store, client).await.is_ok()
        && !blocking(store, move |s| s.pending_changes(usize::MAX).map(|pending| pending.iter().any(|c| c.record_id == id)))
            .await
            .unwrap_or(true);
    if delivered {
        return Ok((reach_out, Delivery::Delivered));
    }
    let participant = participant_id.to_owned();
    let peer_worker = blocking(store, move |s| s.peer_worker_contact(&participant)).await.unwrap_or_default();
    Ok((reach_out, Delivery::Queued { peer_worker, crisis_lines: crisis_resources(language) }))
}
