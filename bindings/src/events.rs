//! Events for the shells: sync status and "data changed". The shell hands in an
//! observer (a foreign trait) and gets a [`Subscription`] back; `cancel()` on
//! it, or dropping it, stops the events.
//!
//! Each subscriber has its own queue and its own task on the library's
//! runtime, which calls the shell's code off the async workers, one event at a
//! time: events arrive in the order they happened, and a slow screen never
//! holds up sync.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Weak};

use alongside_core::schema::Collection;
use alongside_core::sync::{SyncObserver, SyncState};
use tokio::sync::mpsc;

use crate::error::AlongsideError;
use crate::views::SyncStatus;

/// Hears how sync is going: each status in the order the engine reported it.
#[uniffi::export(with_foreign)]
pub trait SyncStatusObserver: Send + Sync {
    fn on_status(&self, status: SyncStatus) -> Result<(), AlongsideError>;
}

/// Hears that records changed, so a screen showing them can reload.
#[uniffi::export(with_foreign)]
pub trait DataChangeObserver: Send + Sync {
    fn on_change(&self, change: DataChange) -> Result<(), AlongsideError>;
}

/// Records of these collections changed.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DataChange {
    /// Whose records; `None` when it may be anyone's (what a sync brought in).
    pub participant_id: Option<String>,
    pub collections: Vec<Collection>,
    /// Written on this device (`false`), or brought in by sync (`true`).
    pub remote: bool,
}

/// A live subscription to events. Keep it as long as the screen wants them.
#[derive(uniffi::Object)]
pub struct Subscription {
    cancel: Mutex<Option<Box<dyn FnOnce() + Send>>>,
}

impl std::fmt::Debug for Subscription {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Subscription").field("active", &lock(&self.cancel).is_some()).finish()
    }
}

#[uniffi::export]
impl Subscription {
    /// Stops the events. Calling it again does nothing.
    pub fn cancel(&self) {
        if let Some(cancel) = lock(&self.cancel).take() {
            cancel();
        }
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        self.cancel();
    }
}

/// Events waiting for one subscriber, at most. A subscriber whose observer
/// has fallen that far behind misses the events that do not fit, and its next
/// one says all they would have ([`Event::catch_up`]).
const QUEUED_PER_SUBSCRIBER: usize = 64;

/// An event a [`Hub`] fans out.
pub(crate) trait Event: Clone + Send + 'static {
    /// `latest`, said so that a subscriber who missed events before it still
    /// learns everything they said.
    fn catch_up(latest: &Self) -> Self;
}

impl Event for SyncStatus {
    /// A status says all there is: the latest stands for those before it.
    fn catch_up(latest: &Self) -> Self {
        latest.clone()
    }
}

impl Event for DataChange {
    /// Missed changes could have touched anything.
    fn catch_up(latest: &Self) -> Self {
        DataChange { participant_id: None, collections: Collection::ALL.to_vec(), remote: latest.remote }
    }
}

struct Subscriber<T> {
    id: u64,
    sender: mpsc::Sender<T>,
    /// Whether an event did not fit: the next one that does is a catch-up.
    missed: bool,
}

/// Fans one stream of events out to every subscriber.
pub(crate) struct Hub<T> {
    subscribers: Mutex<Vec<Subscriber<T>>>,
    next_id: AtomicU64,
}

impl<T> std::fmt::Debug for Hub<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hub").field("subscribers", &lock(&self.subscribers).len()).finish()
    }
}

impl<T: Event> Hub<T> {
    pub(crate) fn new() -> Arc<Self> {
        Arc::new(Hub { subscribers: Mutex::new(Vec::new()), next_id: AtomicU64::new(0) })
    }

    /// Queues `event` for every subscriber, never waiting on a slow one.
    pub(crate) fn publish(&self, event: &T) {
        lock(&self.subscribers).retain_mut(|subscriber| {
            let sent = if subscriber.missed { T::catch_up(event) } else { event.clone() };
            match subscriber.sender.try_send(sent) {
                Ok(()) => {
                    subscriber.missed = false;
                    true
                }
                Err(mpsc::error::TrySendError::Full(_)) => {
                    subscriber.missed = true;
                    true
                }
                Err(mpsc::error::TrySendError::Closed(_)) => false,
            }
        });
    }

    /// Delivers `first` (when given), then every later event, to `deliver`,
    /// in order, on a blocking thread.
    pub(crate) fn subscribe(
        self: &Arc<Self>,
        runtime: &tokio::runtime::Handle,
        first: Option<T>,
        deliver: impl Fn(T) + Send + Sync + 'static,
    ) -> Arc<Subscription> {
        let (sender, mut receiver) = mpsc::channel::<T>(QUEUED_PER_SUBSCRIBER);
        if let Some(first) = first {
            // The queue is new and empty: this always fits.
            let _ = sender.try_send(first);
        }
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        lock(&self.subscribers).push(Subscriber { id, sender, missed: false });
        let deliver = Arc::new(deliver);
        let task = runtime.spawn(async move {
            while let Some(event) = receiver.recv().await {
                let deliver = Arc::clone(&deliver);
                // The shell's code may block; it runs on the blocking pool, and
                // the next event waits for it, so the order holds.
                if tokio::task::spawn_blocking(move || deliver(event)).await.is_err() {
                    return;
                }
            }
        });
        let hub: Weak<Hub<T>> = Arc::downgrade(self);
        let cancel = move || {
            if let Some(hub) = hub.upgrade() {
                lock(&hub.subscribers).retain(|subscriber| subscriber.id != id);
            }
            task.abort();
        };
        Arc::new(Subscription { cancel: Mutex::new(Some(Box::new(cancel))) })
    }
}

/// The events of one `Companion`, and the observer its sync engine reports to.
#[derive(Debug)]
pub(crate) struct Events {
    pub status: Arc<Hub<SyncStatus>>,
    pub changes: Arc<Hub<DataChange>>,
    last: Mutex<Last>,
}

/// The last status reported, and what the passes running since the last
/// idle moment did.
#[derive(Debug)]
struct Last {
    status: SyncStatus,
    /// Whether a pass was running.
    syncing: bool,
    /// Whether a pass since the last idle moment pulled or removed
    /// something: also one the engine gave up (for a reach-out) after it
    /// had merged a page, whose progress the next pass does not carry.
    news: bool,
}

impl Events {
    pub(crate) fn new() -> Arc<Self> {
        let initial = SyncStatus { state: SyncState::Idle, pending: 0, last_success: None, pushed: 0, pulled: 0 };
        let last = Last { status: initial, syncing: false, news: false };
        Arc::new(Events { status: Hub::new(), changes: Hub::new(), last: Mutex::new(last) })
    }

    pub(crate) fn last_status(&self) -> SyncStatus {
        lock(&self.last).status.clone()
    }

    /// Delivers the status now, then every later one, to `deliver`. Under the
    /// lock the engine's observer reports under, so no status falls between
    /// the one read now and the first one delivered: a shell that reads the
    /// status and subscribes a moment later would miss one, and show
    /// "Syncing" after the pass had ended.
    pub(crate) fn observe_status(
        &self,
        runtime: &tokio::runtime::Handle,
        deliver: impl Fn(SyncStatus) + Send + Sync + 'static,
    ) -> Arc<Subscription> {
        let last = lock(&self.last);
        self.status.subscribe(runtime, Some(last.status.clone()), deliver)
    }

    /// Something was written on this device.
    pub(crate) fn local_change(&self, participant_id: &str, collections: &[Collection]) {
        self.changes.publish(&DataChange {
            participant_id: Some(participant_id.to_owned()),
            collections: collections.to_vec(),
            remote: false,
        });
    }

    /// Sync brought changes in (or purged some): any screen may be stale.
    pub(crate) fn remote_change(&self) {
        self.changes.publish(&DataChange { participant_id: None, collections: Collection::ALL.to_vec(), remote: true });
    }
}

/// The engine's observer: keeps the last status, fans it out, and turns the end
/// of passes that pulled or removed something into a "data changed" event.
#[derive(Debug)]
pub(crate) struct EngineObserver(pub Arc<Events>);

impl SyncObserver for EngineObserver {
    fn on_status(&self, status: alongside_core::sync::SyncStatus) {
        let news = status.progress.pulled > 0 || status.progress.purged > 0;
        let status = SyncStatus::from(status);
        let syncing = status.state == SyncState::Syncing;
        let pass_ended_with_news = {
            let mut last = lock(&self.0.last);
            let ended = last.syncing && !syncing;
            // A status outside a pass repeats the last pass's progress: not news.
            if syncing || ended {
                last.news |= news;
            }
            let told = ended && last.news;
            if ended {
                last.news = false;
            }
            last.status = status.clone();
            last.syncing = syncing;
            // Published under the lock, so a new subscriber's first status
            // and this one come in the order they happened.
            self.0.status.publish(&status);
            told
        };
        if pass_ended_with_news {
            self.0.remote_change();
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // The guarded values stay consistent even if a holder panicked.
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
