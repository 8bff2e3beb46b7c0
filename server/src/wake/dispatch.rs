//! Who is woken, and when: after a push applies changes, every device of
//! every user who may see one of them, that has a push registration and no
//! event stream open on this instance (a stream already tells it), and is
//! not the device that pushed, gets a wake-up.
//!
//! - An urgent reach-out goes at once, at high priority.
//! - Anything else is coalesced: a device owed a wake-up gets one per
//!   [`COALESCE`], however many pushes there were.
//! - A push request never waits: it hands the applied changes to a bounded
//!   queue ([`QUEUE`]; when full, the wake-up is dropped and the next sync or
//!   the app's periodic one brings the change) and the sends run on their own
//!   tasks, each bounded by the sender's timeout.
//! - A registration the service calls gone (404/410, unregistered) is
//!   deleted.
//!
//! A stream open on another instance is not known here: such a device may get
//! a needless wake-up, which costs one pull.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use alongside_protocol::Change;
use alongside_protocol::protocol::{PushResult, PushStatus};
use alongside_protocol::schema::Collection;
use tokio::sync::mpsc;

use super::{Outcome, Registration, Sender, WakeUp, lock};
use crate::metrics::{Metrics, WakeOutcome};
use crate::policy::{self, Actor};
use crate::store::{Database, RecordKey, Role, Store, StoreResult};

/// How long ordinary wake-ups of one device are gathered into one.
pub const COALESCE: Duration = Duration::from_secs(2);
/// Pushes waiting to be turned into wake-ups, at most.
const QUEUE: usize = 1024;

/// What one push applied: for each change, whose and which collection, and
/// whether it is an urgent reach-out.
#[derive(Debug)]
struct Applied {
    changes: Vec<(String, Collection, bool)>,
    pusher_device: String,
}

/// Wakes devices after pushes. Cheap to clone; `Waker::off()` when no push
/// service is configured.
#[derive(Debug, Clone, Default)]
pub struct Waker {
    inner: Option<Arc<Inner>>,
}

#[derive(Debug)]
struct Inner {
    sender: Sender,
    /// Counts what was sent, gone and failed.
    metrics: Metrics,
    queue: mpsc::Sender<Applied>,
    /// Devices with an event stream open on this instance, and how many.
    streams: Mutex<HashMap<String, usize>>,
}

impl Waker {
    /// No push service: nothing is ever sent.
    pub fn off() -> Self {
        Waker { inner: None }
    }

    /// Starts the task that sends wake-ups with `sender`, reading who may see
    /// what from `db`.
    pub fn start(db: Database, sender: Sender, metrics: Metrics) -> Self {
        let (queue, applied) = mpsc::channel(QUEUE);
        let inner = Arc::new(Inner { sender, metrics, queue, streams: Mutex::new(HashMap::new()) });
        tokio::spawn(run(db, Arc::downgrade(&inner), applied));
        Waker { inner: Some(inner) }
    }

    /// The sender, to check a registration before it is stored.
    pub fn sender(&self) -> Option<&Sender> {
        self.inner.as_ref().map(|inner| &inner.sender)
    }

    /// After a push: hands over what it applied (`results[i]` answers
    /// `changes[i]`). Never waits.
    pub fn after_push(&self, changes: &[Change], results: &[PushResult], pusher_device: &str) {
        let Some(inner) = &self.inner else { return };
        let applied: Vec<(String, Collection, bool)> = changes
            .iter()
            .zip(results)
            .filter(|(_, result)| result.status == PushStatus::Applied)
            .filter_map(|(change, _)| {
                let collection = change.collection.parse::<Collection>().ok()?;
                let urgent =
                    collection == Collection::ReachOuts && change.fields.get("urgency").and_then(|value| value.as_str()) == Some("urgent");
                Some((change.participant_id.clone(), collection, urgent))
            })
            .collect();
        if applied.is_empty() {
            return;
        }
        if inner.queue.try_send(Applied { changes: applied, pusher_device: pusher_device.to_owned() }).is_err() {
            tracing::warn!("wake-up queue full; a wake-up was dropped");
        }
    }

    /// A device's event stream opened; it is not woken while the guard lives.
    pub fn stream_opened(&self, device_id: &str) -> StreamGuard {
        if let Some(inner) = &self.inner {
            *lock(&inner.streams).entry(device_id.to_owned()).or_default() += 1;
        }
        StreamGuard { inner: self.inner.clone(), device_id: device_id.to_owned() }
    }
}

/// Held by an open event stream; dropping it lets the device be woken again.
#[derive(Debug)]
pub struct StreamGuard {
    inner: Option<Arc<Inner>>,
    device_id: String,
}

impl Drop for StreamGuard {
    fn drop(&mut self) {
        if let Some(inner) = &self.inner {
            let mut streams = lock(&inner.streams);
            if let Some(count) = streams.get_mut(&self.device_id) {
                *count -= 1;
                if *count == 0 {
                    streams.remove(&self.device_id);
                }
            }
        }
    }
}

/// Turns applied pushes into wake-ups until the waker is dropped.
async fn run(db: Database, inner: std::sync::Weak<Inner>, mut applied: mpsc::Receiver<Applied>) {
    // Devices owed an ordinary wake-up at the next tick.
    let mut owed: HashMap<String, Registration> = HashMap::new();
    let mut tick = tokio::time::interval(COALESCE);
    loop {
        tokio::select! {
            next = applied.recv() => {
                let (Some(next), Some(inner)) = (next, inner.upgrade()) else { return };
                match recipients(&db, &inner, &next).await {
                    Ok(devices) => {
                        for (device_id, registration, urgent) in devices {
                            if urgent {
                                owed.remove(&device_id);
                                send(&db, &inner, device_id, registration, WakeUp::reach_out());
                            } else {
                                owed.insert(device_id, registration);
                            }
                        }
                    }
                    Err(error) => tracing::warn!(%error, "could not read whom to wake"),
                }
            }
            _ = tick.tick() => {
                let Some(inner) = inner.upgrade() else { return };
                for (device_id, registration) in owed.drain() {
                    send(&db, &inner, device_id, registration, WakeUp::sync());
                }
            }
        }
    }
}

/// The devices to wake for `applied`, each with whether it is urgent for them.
async fn recipients(db: &Database, inner: &Inner, applied: &Applied) -> StoreResult<Vec<(String, Registration, bool)>> {
    let today = chrono::Utc::now().date_naive();
    // Per user, whether anything they may see is an urgent reach-out.
    let mut users: HashMap<String, bool> = HashMap::new();
    let participants: HashSet<&str> = applied.changes.iter().map(|(participant, _, _)| participant.as_str()).collect();
    for participant_id in participants {
        let sharing = db.records(&[RecordKey::new("sharing", participant_id)]).await?.pop().map(|record| record.fields);
        let mut people = vec![Actor { user_id: participant_id.to_owned(), role: Role::Participant }];
        people.extend(db.peer_workers_of(participant_id).await?.into_iter().map(|user_id| Actor { user_id, role: Role::PeerWorker }));
        for actor in people {
            for (_, collection, urgent) in applied.changes.iter().filter(|(p, _, _)| p == participant_id) {
                if policy::may_see(&actor, participant_id, *collection, sharing.as_ref(), today) {
                    *users.entry(actor.user_id.clone()).or_default() |= urgent;
                }
            }
        }
    }
    let ids: Vec<String> = users.keys().cloned().collect();
    let streams = lock(&inner.streams).keys().cloned().collect::<HashSet<String>>();
    Ok(db
        .push_registrations(&ids)
        .await?
        .into_iter()
        .filter(|device| device.device_id != applied.pusher_device && !streams.contains(&device.device_id))
        .filter_map(|device| {
            let registration = serde_json::from_str::<Registration>(&device.registration).ok()?;
            Some((device.device_id, registration, users.get(&device.user_id).copied().unwrap_or(false)))
        })
        .collect())
}

/// Sends on its own task; a registration the service calls gone is deleted.
fn send(db: &Database, inner: &Inner, device_id: String, registration: Registration, wake: WakeUp) {
    let (db, sender, metrics) = (db.clone(), inner.sender.clone(), inner.metrics.clone());
    tokio::spawn(async move {
        let service = registration.service();
        match sender.send(&registration, &wake).await {
            Outcome::Sent => metrics.wake_up(service, WakeOutcome::Sent),
            Outcome::Gone => {
                metrics.wake_up(service, WakeOutcome::Gone);
                if let Err(error) = db.forget_push_registration(&device_id).await {
                    tracing::warn!(%error, "could not drop a gone push registration");
                }
            }
            Outcome::Failed { reason, .. } => {
                metrics.wake_up(service, WakeOutcome::Failed);
                tracing::warn!(%reason, "wake-up not sent");
            }
        }
    });
}
