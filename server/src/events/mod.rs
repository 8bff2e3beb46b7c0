//! "Changes you may see were applied": the fan-out behind `GET /v1/sync/events`.
//!
//! Every push that applies changes announces which participants' records (and
//! which collections) it touched on a tokio broadcast channel; every open
//! stream filters the announcements through the same policy as pull, so a
//! device is woken only for what its user may see. Caseload changes announce
//! the peer worker directly. No record data ever goes on the channel.
//!
//! The channel is per process. Several instances behind a load balancer need a
//! shared notifier so a push on one wakes streams on the others: on
//! PostgreSQL every announcement is also sent with `NOTIFY` (in chunks under
//! its 8000-byte limit, tagged with the sending instance), and every instance
//! `LISTEN`s and re-broadcasts what other instances announced ([`share`]).
//! Local delivery never waits on the database. On SQLite (one instance by
//! nature) there is nothing to share.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use alongside_protocol::Change;
use alongside_protocol::protocol::{PushResult, PushStatus};
use alongside_protocol::schema::Collection;
use tokio::sync::{broadcast, mpsc};

use crate::policy::{self, Actor};
use crate::store::{Database, RecordKey, Role, Store, StoreResult};

/// How many announcements a slow stream may fall behind before it is told
/// "something changed" without the detail.
const CHANNEL_CAPACITY: usize = 1024;

/// One announcement.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Notice {
    /// (participant id, collection) of applied changes.
    pub changed: Vec<(String, String)>,
    /// Users told directly (a peer worker whose caseload changed).
    pub users: Vec<String>,
    /// Announcements were lost on the way (a queue was full): every stream
    /// is told, as one that falls behind is.
    pub everyone: bool,
}

/// The broadcast side, shared by every handler.
#[derive(Debug, Clone)]
pub struct Events {
    sender: broadcast::Sender<Arc<Notice>>,
    /// Longest silence on a stream: a comment line goes out at least this often.
    pub keep_alive: Duration,
    /// This process, so it can tell its own announcements from others'.
    instance: String,
    /// Announcements for other instances, when they are shared.
    outgoing: Option<Outgoing>,
}

/// The bounded queue of announcements for other instances. A push never
/// waits on it: what does not fit is dropped and the next `NOTIFY` tells
/// every stream instead.
#[derive(Debug, Clone)]
struct Outgoing {
    queue: mpsc::Sender<String>,
    missed: Arc<AtomicBool>,
}

/// Announcements waiting for `NOTIFY`, or for this instance's streams.
const SHARED_QUEUE: usize = 1024;

/// Pairs per `NOTIFY`: well under PostgreSQL's 8000-byte payload limit.
const PAIRS_PER_NOTIFY: usize = 60;

impl Events {
    pub fn new(keep_alive: Duration) -> Self {
        let (sender, _) = broadcast::channel(CHANNEL_CAPACITY);
        Events { sender, keep_alive, instance: uuid::Uuid::new_v4().to_string(), outgoing: None }
    }

    /// Announces the applied changes of a push (`results[i]` answers `changes[i]`).
    pub fn announce(&self, changes: &[Change], results: &[PushResult]) {
        let mut changed: Vec<(String, String)> = changes
            .iter()
            .zip(results)
            .filter(|(_, result)| result.status == PushStatus::Applied)
            .map(|(change, _)| (change.participant_id.clone(), change.collection.clone()))
            .collect();
        changed.sort();
        changed.dedup();
        self.send(Notice { changed, ..Notice::default() });
    }

    /// Wakes `users` directly.
    pub fn announce_users(&self, users: Vec<String>) {
        self.send(Notice { users, ..Notice::default() });
    }

    /// Wakes every stream (what every user's devices hold changed, such as
    /// the program's on-call line).
    pub fn announce_everyone(&self) {
        self.send(Notice { everyone: true, ..Notice::default() });
    }

    fn send(&self, notice: Notice) {
        if let Some(outgoing) = &self.outgoing {
            let users = notice.users.clone();
            let mut chunks: Vec<&[(String, String)]> = notice.changed.chunks(PAIRS_PER_NOTIFY).collect();
            if chunks.is_empty() {
                chunks.push(&[]);
            }
            for (index, chunk) in chunks.into_iter().enumerate() {
                let users = if index == 0 { users.clone() } else { Vec::new() };
                let payload = serde_json::json!({"from": self.instance, "changed": chunk, "users": users, "everyone": notice.everyone});
                if outgoing.queue.try_send(payload.to_string()).is_err() {
                    outgoing.missed.store(true, Ordering::SeqCst);
                }
            }
        }
        self.deliver(notice);
    }

    /// Wakes this instance's streams.
    fn deliver(&self, notice: Notice) {
        // No receivers is not an error: nobody is listening.
        let _ = self.sender.send(Arc::new(notice));
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Notice>> {
        self.sender.subscribe()
    }
}

/// At most this many announcements go in one NOTIFY statement.
const NOTIFIES_PER_STATEMENT: usize = 64;

/// Shares announcements with the other instances on the same PostgreSQL
/// database: sends this instance's with `NOTIFY`, and delivers other
/// instances' to this one's streams. Returns the tasks doing it.
pub fn share(events: &mut Events, store: &crate::store::PostgresEngine) -> Vec<tokio::task::JoinHandle<()>> {
    let (queue, mut to_send) = mpsc::channel::<String>(SHARED_QUEUE);
    let missed = Arc::new(AtomicBool::new(false));
    events.outgoing = Some(Outgoing { queue, missed: Arc::clone(&missed) });
    let sender_store = store.clone();
    let instance = events.instance.clone();
    let sending = tokio::spawn(async move {
        // What queued while the last NOTIFY ran goes in one statement: under
        // load, one round trip carries many announcements.
        let mut payloads = Vec::with_capacity(NOTIFIES_PER_STATEMENT + 1);
        while to_send.recv_many(&mut payloads, NOTIFIES_PER_STATEMENT).await > 0 {
            if missed.swap(false, Ordering::SeqCst) {
                payloads.push(serde_json::json!({"from": instance, "everyone": true}).to_string());
            }
            if let Err(error) = sender_store.notify(&std::mem::take(&mut payloads)).await {
                tracing::warn!(%error, "NOTIFY failed: other instances learn of these changes on their next sync");
            }
        }
    });
    // Bounded: a slow instance holds PostgreSQL's notifications back
    // (PostgreSQL keeps them queued) rather than its own memory growing.
    let (forward, mut received) = mpsc::channel::<String>(SHARED_QUEUE);
    let listener_store = store.clone();
    let listening = tokio::spawn(async move { listener_store.listen(forward).await });
    let local = events.clone();
    let delivering = tokio::spawn(async move {
        while let Some(payload) = received.recv().await {
            let Ok(value) = serde_json::from_str::<serde_json::Value>(&payload) else { continue };
            if value["from"].as_str() == Some(local.instance.as_str()) {
                continue;
            }
            let changed = value["changed"]
                .as_array()
                .map(|pairs| pairs.iter().filter_map(|pair| Some((pair[0].as_str()?.to_owned(), pair[1].as_str()?.to_owned()))).collect())
                .unwrap_or_default();
            let users =
                value["users"].as_array().map(|u| u.iter().filter_map(|u| u.as_str().map(str::to_owned)).collect()).unwrap_or_default();
            local.deliver(Notice { changed, users, everyone: value["everyone"] == serde_json::Value::Bool(true) });
        }
    });
    vec![sending, listening, delivering]
}

/// What one stream knows of its user, to judge announcements quickly.
#[derive(Debug)]
pub struct Listener {
    actor: Actor,
    /// A peer worker's caseload, refreshed when they are told directly.
    caseload: HashSet<String>,
}

impl Listener {
    pub async fn new(db: &Database, actor: Actor) -> StoreResult<Self> {
        let caseload = match actor.role {
            Role::PeerWorker => db.caseload(&actor.user_id).await?.into_iter().collect(),
            Role::Participant | Role::Admin => HashSet::new(),
        };
        Ok(Listener { actor, caseload })
    }

    /// Whether `notice` is about something this user may see.
    pub async fn concerns(&mut self, db: &Database, notice: &Notice) -> StoreResult<bool> {
        if notice.everyone || notice.users.contains(&self.actor.user_id) {
            if self.actor.role == Role::PeerWorker {
                self.caseload = db.caseload(&self.actor.user_id).await?.into_iter().collect();
            }
            return Ok(true);
        }
        let today = chrono::Utc::now().date_naive();
        for (participant_id, collection) in &notice.changed {
            let Ok(collection) = collection.parse::<Collection>() else { continue };
            let sharing = match self.actor.role {
                Role::PeerWorker if self.caseload.contains(participant_id) => {
                    db.records(&[RecordKey::new("sharing", participant_id)]).await?.pop().map(|r| r.fields)
                }
                Role::PeerWorker => continue,
                Role::Participant | Role::Admin => None,
            };
            if policy::may_see(&self.actor, participant_id, collection, sharing.as_ref(), today) {
                return Ok(true);
            }
        }
        Ok(false)
    }
}
