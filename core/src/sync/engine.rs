//! When to sync, and what the shell sees of it.
//!
//! One task owns the schedule. It syncs shortly after a local write
//! (debounced), when the shell says the network is back, periodically while
//! online, and on demand. After a failure it tries again with exponential
//! backoff and jitter, capped, and never sooner than a `Retry-After`; a failure
//! never waits for the next local write to be retried. Status goes to an
//! observer the shell implements.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;

use super::client::{SyncClient, SyncError};
use super::pass::{SyncProgress, SyncReport, blocking, erase_if_wiped, push_record, push_then_pull};
use crate::store::Store;

/// Where sync stands.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum SyncState {
    Idle,
    Syncing,
    /// The shell said there is no network, or the server could not be reached.
    Offline,
    /// The last pass failed; it will be tried again.
    Error {
        reason: String,
    },
    /// No sign-in, or the server no longer accepts it.
    SignedOut,
    /// Signed out from another device with "clear this phone": everything
    /// this device held is deleted. The shell replaces the database's key
    /// (`Companion::rekey`), so no key to what it held remains.
    Wiped,
}

/// What the shell shows: state, changes waiting, last success, progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncStatus {
    pub state: SyncState,
    pub pending: u64,
    pub last_success: Option<DateTime<Utc>>,
    pub progress: SyncProgress,
}

/// Implemented by the shell to hear about sync.
pub trait SyncObserver: Send + Sync {
    fn on_status(&self, status: SyncStatus);
}

/// Timings of the engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyncConfig {
    /// Quiet time after a local write before syncing it.
    pub debounce: Duration,
    /// Between passes while online and idle.
    pub periodic: Duration,
    /// First retry delay after a failure; doubles each time.
    pub backoff_base: Duration,
    /// Longest retry delay.
    pub backoff_cap: Duration,
    /// How long a person waits to learn whether a reach-out got through
    /// before they are offered someone to call instead.
    pub reach_out_deadline: Duration,
}

impl Default for SyncConfig {
    fn default() -> Self {
        SyncConfig {
            debounce: Duration::from_secs(2),
            periodic: Duration::from_secs(15 * 60),
            backoff_base: Duration::from_secs(2),
            backoff_cap: Duration::from_secs(10 * 60),
            reach_out_deadline: Duration::from_secs(3),
        }
    }
}

/// Commands waiting for the engine, at most. The queue is bounded: a command
/// that finds it full is dropped where that loses nothing (a write or an
/// announcement while a pass is due anyway), and what the shell said about
/// network and foreground is kept beside it ([`Wanted`]), so the latest word
/// always counts.
const COMMANDS: usize = 64;

enum Command {
    LocalWrite,
    /// [`Wanted`] changed.
    Wanted,
    /// The server's event stream announced changes.
    RemoteChanges,
    SyncNow(Reply),
    /// Push this record's changes now, alone, ahead of the rest.
    Urgent(String, Reply),
}

/// Where a command's caller waits for how it went.
type Reply = oneshot::Sender<Result<SyncReport, SyncError>>;

/// What the shell last said, read by the engine on every command.
#[derive(Debug)]
struct Wanted {
    online: AtomicBool,
    foreground: AtomicBool,
    /// The shell said the network is back: sync now, even if it never left.
    network_back: AtomicBool,
}

/// A running engine. Dropping it (or [`SyncEngine::stop`]) ends its task.
#[derive(Debug)]
pub struct SyncEngine {
    commands: mpsc::Sender<Command>,
    wanted: Arc<Wanted>,
    config: SyncConfig,
    task: tokio::task::JoinHandle<()>,
}

impl SyncEngine {
    /// Starts the engine on `runtime`, online, with a first pass right away.
    pub fn start(
        store: Arc<Store>,
        client: SyncClient,
        config: SyncConfig,
        observer: Arc<dyn SyncObserver>,
        runtime: &tokio::runtime::Handle,
    ) -> Self {
        let (commands, receiver) = mpsc::channel(COMMANDS);
        let wanted =
            Arc::new(Wanted { online: AtomicBool::new(true), foreground: AtomicBool::new(false), network_back: AtomicBool::new(false) });
        let worker = Worker {
            wanted: Arc::clone(&wanted),
            store,
            client,
            config,
            observer,
            online: true,
            foreground: false,
            failures: 0,
            last_success: None,
            progress: SyncProgress::default(),
            listener: None,
            commands: commands.downgrade(),
        };
        let task = runtime.spawn(worker.run(receiver));
        SyncEngine { commands, wanted, config, task }
    }

    /// A local write happened: sync it soon. (A full queue already holds
    /// reasons to sync.)
    pub fn notify_local_write(&self) {
        let _ = self.commands.try_send(Command::LocalWrite);
    }

    /// The shell's word on connectivity.
    pub fn set_network_available(&self, available: bool) {
        self.wanted.online.store(available, Ordering::SeqCst);
        if available {
            self.wanted.network_back.store(true, Ordering::SeqCst);
        }
        // Full: the engine reads `wanted` with each of the commands queued.
        let _ = self.commands.try_send(Command::Wanted);
    }

    /// The app came to the foreground (listen for the server's events, so
    /// what others send arrives within seconds) or went to the background
    /// (stop listening; periodic sync goes on).
    pub fn set_foreground(&self, foreground: bool) {
        self.wanted.foreground.store(foreground, Ordering::SeqCst);
        let _ = self.commands.try_send(Command::Wanted);
    }

    /// Runs a pass now and returns how it went.
    pub async fn sync_now(&self) -> Result<SyncReport, SyncError> {
        self.ask(Command::SyncNow).await
    }

    /// Pushes one record's changes now, alone and ahead of any backlog, then
    /// the rest follows in a pass. Through the engine, so it never races a
    /// pass.
    pub async fn push_now(&self, record_id: &str) -> Result<SyncReport, SyncError> {
        self.ask(|reply| Command::Urgent(record_id.to_owned(), reply)).await
    }

    /// Queues a command that answers, and waits for the answer.
    async fn ask(&self, command: impl FnOnce(Reply) -> Command) -> Result<SyncReport, SyncError> {
        let (reply, answer) = oneshot::channel();
        let stopped = || SyncError::Store("the sync engine has stopped".into());
        self.commands.send(command(reply)).await.map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }

    /// What the shell last said about the network.
    pub fn network_available(&self) -> bool {
        self.wanted.online.load(Ordering::SeqCst)
    }

    pub fn config(&self) -> SyncConfig {
        self.config
    }

    pub fn stop(&self) {
        self.task.abort();
    }
}

impl Drop for SyncEngine {
    fn drop(&mut self) {
        self.task.abort();
    }
}

struct Worker {
    wanted: Arc<Wanted>,
    store: Arc<Store>,
    client: SyncClient,
    config: SyncConfig,
    observer: Arc<dyn SyncObserver>,
    online: bool,
    foreground: bool,
    failures: u32,
    last_success: Option<DateTime<Utc>>,
    progress: SyncProgress,
    /// The task listening to the server's events, while in the foreground.
    listener: Option<tokio::task::JoinHandle<()>>,
    /// For the listener to reach the worker; weak, so it never keeps the
    /// engine alive.
    commands: mpsc::WeakSender<Command>,
}

impl Drop for Worker {
    fn drop(&mut self) {
        if let Some(listener) = self.listener.take() {
            listener.abort();
        }
    }
}

impl Worker {
    async fn run(mut self, mut commands: mpsc::Receiver<Command>) {
        let mut next: Option<Instant> = Some(Instant::now());
        // Commands that came while a pass ran, in order (an urgent one first).
        let mut waiting: VecDeque<Command> = VecDeque::new();
        loop {
            // A command to obey, or none: the next pass is due.
            let command = match waiting.pop_front() {
                Some(command) => Some(command),
                None => {
                    let wake = async {
                        match next {
                            Some(at) => tokio::time::sleep_until(at).await,
                            None => std::future::pending().await,
                        }
                    };
                    tokio::select! {
                        command = commands.recv() => match command {
                            None => return,
                            Some(command) => Some(command),
                        },
                        () = wake => None,
                    }
                }
            };
            match command {
                Some(command) => {
                    self.follow_the_shell(&mut next).await;
                    self.obey(command, &mut next, &mut commands, &mut waiting).await;
                }
                None => {
                    next = match self.pass_unless_urgent(&mut commands, &mut waiting).await {
                        Some((_, after)) => after,
                        // Set aside for a reach-out: taken up again right after it.
                        None => Some(Instant::now()),
                    };
                }
            }
        }
    }

    /// Runs a pass, keeping what the shell says meanwhile for after it, but
    /// gives the pass up for an urgent push (a reach-out must not wait behind
    /// a long pull on bad signal): `None` then, with the urgent command first
    /// in `waiting`. Giving a pass up is safe wherever it stands, as a
    /// dropped connection is: each batch's answer and each pulled page is
    /// recorded in one transaction, and what the server took twice it
    /// answers as a duplicate. What ends a pass (a wipe's erase, the status)
    /// is never given up.
    async fn pass_unless_urgent(
        &mut self,
        commands: &mut mpsc::Receiver<Command>,
        waiting: &mut VecDeque<Command>,
    ) -> Option<(Result<SyncReport, SyncError>, Option<Instant>)> {
        self.progress = SyncProgress::default();
        let before = self.report(Some(SyncState::Syncing)).await;
        let observer = Arc::clone(&self.observer);
        let last_success = self.last_success;
        // No store call here: this runs on the async worker. What waits is
        // what waited at the start, less what the server has taken since.
        let on_progress = move |progress: SyncProgress| {
            let pending = before.saturating_sub(u64::try_from(progress.pushed).unwrap_or(u64::MAX));
            observer.on_status(SyncStatus { state: SyncState::Syncing, pending, last_success, progress });
        };
        let result = {
            let exchange = push_then_pull(&self.store, &self.client, &on_progress);
            tokio::pin!(exchange);
            loop {
                tokio::select! {
                    result = &mut exchange => break result,
                    Some(command) = commands.recv() => match command {
                        Command::Urgent(..) => {
                            waiting.push_front(command);
                            return None;
                        }
                        // One of each says all a burst of them would: the
                        // queue stays as bounded as the channel it drains.
                        Command::LocalWrite | Command::Wanted | Command::RemoteChanges
                            if waiting.iter().any(|held| std::mem::discriminant(held) == std::mem::discriminant(&command)) => {}
                        command => waiting.push_back(command),
                    },
                }
            }
        };
        let result = erase_if_wiped(&self.store, &result).await.and(result);
        Some(self.end_pass(result).await)
    }

    /// Applies what the shell last said about network and foreground.
    async fn follow_the_shell(&mut self, next: &mut Option<Instant>) {
        let online = self.wanted.online.load(Ordering::SeqCst);
        let network_back = self.wanted.network_back.swap(false, Ordering::SeqCst);
        if online && (network_back || !self.online) {
            self.online = true;
            self.failures = 0;
            *next = Some(Instant::now());
        } else if !online && self.online {
            self.online = false;
            *next = None;
            self.report(Some(SyncState::Offline)).await;
        }
        self.foreground = self.wanted.foreground.load(Ordering::SeqCst);
        self.keep_listening();
    }

    async fn obey(
        &mut self,
        command: Command,
        next: &mut Option<Instant>,
        commands: &mut mpsc::Receiver<Command>,
        waiting: &mut VecDeque<Command>,
    ) {
        match command {
            Command::LocalWrite if self.online => {
                // Debounce, but never pull a pending retry earlier.
                let soon = Instant::now() + self.config.debounce;
                *next = Some(next.map_or(soon, |at| if self.failures > 0 { at.max(soon) } else { soon }));
                self.report(None).await;
            }
            Command::LocalWrite => {
                self.report(None).await;
            }
            Command::Wanted => {}
            Command::RemoteChanges if self.online => *next = Some(Instant::now()),
            Command::RemoteChanges => {}
            Command::SyncNow(reply) => match self.pass_unless_urgent(commands, waiting).await {
                Some((result, after)) => {
                    *next = after;
                    let _ = reply.send(result);
                }
                // Asked again right after the urgent push, so the caller still hears of a whole pass.
                None => waiting.insert(1, Command::SyncNow(reply)),
            },
            Command::Urgent(record_id, reply) => {
                let result = if self.online {
                    // The rest of the outbox, and what others sent, come right after.
                    *next = Some(Instant::now());
                    push_record(&self.store, &self.client, &record_id).await
                } else {
                    Err(SyncError::Offline("the shell said there is no network".into()))
                };
                let _ = reply.send(result);
            }
        }
    }

    /// Tells how a pass ended; returns its result and when to run the next one.
    async fn end_pass(&mut self, result: Result<SyncReport, SyncError>) -> (Result<SyncReport, SyncError>, Option<Instant>) {
        let now = Instant::now();
        let next = match &result {
            Ok(report) => {
                self.failures = 0;
                self.last_success = Some(Utc::now());
                self.progress = report.progress();
                self.report(Some(SyncState::Idle)).await;
                self.online.then(|| now + self.config.periodic)
            }
            Err(error) => {
                self.failures = self.failures.saturating_add(1);
                let state = match error {
                    wiped if wiped.is_wiped() => SyncState::Wiped,
                    SyncError::Offline(_) => SyncState::Offline,
                    SyncError::NotSignedIn | SyncError::Server { status: 401, .. } => SyncState::SignedOut,
                    other => SyncState::Error { reason: other.to_string() },
                };
                self.report(Some(state.clone())).await;
                let retry_after = match error {
                    SyncError::Server { retry_after, .. } | SyncError::Http { retry_after, .. } => *retry_after,
                    _ => None,
                };
                // Signed out (or cleared): nothing to do until the person signs in again.
                let stopped = matches!(state, SyncState::SignedOut | SyncState::Wiped);
                (self.online && !stopped).then(|| now + retry_delay(&self.config, self.failures, retry_after))
            }
        };
        (result, next)
    }

    /// Starts or stops listening to the server's events: only while online
    /// and in the foreground.
    fn keep_listening(&mut self) {
        let wanted = self.online && self.foreground;
        let running = self.listener.as_ref().is_some_and(|task| !task.is_finished());
        if wanted && !running {
            let (store, client, config, commands) = (Arc::clone(&self.store), self.client.clone(), self.config, self.commands.clone());
            self.listener = Some(tokio::spawn(listen(store, client, config, commands)));
        } else if !wanted && let Some(listener) = self.listener.take() {
            listener.abort();
        }
    }

    /// Tells the observer where sync stands; returns how many changes wait.
    async fn report(&self, state: Option<SyncState>) -> u64 {
        let pending = blocking(&self.store, |s| s.pending_count()).await.unwrap_or(0);
        let state = state.unwrap_or(if self.online { SyncState::Idle } else { SyncState::Offline });
        self.observer.on_status(SyncStatus { state, pending, last_success: self.last_success, progress: self.progress });
        pending
    }
}

/// Listens to the server's events until aborted, reconnecting with backoff
/// when the stream drops. Each reconnection also asks for a pass, for what
/// was announced while it was down.
async fn listen(store: Arc<Store>, client: SyncClient, config: SyncConfig, commands: mpsc::WeakSender<Command>) {
    // A full queue already holds reasons to sync: only a stopped engine counts.
    let send = |command: Command| {
        commands.upgrade().is_some_and(|sender| !matches!(sender.try_send(command), Err(mpsc::error::TrySendError::Closed(_))))
    };
    let mut failures = 0u32;
    loop {
        let token = blocking(&store, |s| s.session()).await.ok().flatten().map(|session| session.token);
        let outcome = match token {
            Some(token) => {
                client
                    .listen(&token, || {
                        send(Command::RemoteChanges);
                    })
                    .await
            }
            None => Err(SyncError::NotSignedIn),
        };
        failures = if outcome.is_ok() { 1 } else { failures.saturating_add(1) };
        tokio::time::sleep(retry_delay(&config, failures, None)).await;
        if !send(Command::RemoteChanges) {
            return;
        }
    }
}

/// Exponential backoff with "equal jitter": half the step, plus a random
/// part of the other half, capped; never sooner than the server asked.
pub fn retry_delay(config: &SyncConfig, failures: u32, retry_after: Option<Duration>) -> Duration {
    let exponent = failures.saturating_sub(1).min(20);
    let step = config.backoff_base.saturating_mul(1 << exponent).min(config.backoff_cap);
    let jitter = step.mul_f64(random_unit() / 2.0);
    // Bounded again here: whatever a server asked, the engine retries within
    // an hour, and the sum with an `Instant` cannot overflow.
    (step / 2 + jitter).max(retry_after.unwrap_or_default().min(super::client::MAX_RETRY_AFTER))
}

/// A random number in [0, 1).
fn random_unit() -> f64 {
    (uuid::Uuid::new_v4().as_u128() >> 75) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_is_capped_and_honours_retry_after() {
        let config = SyncConfig { backoff_base: Duration::from_secs(2), backoff_cap: Duration::from_secs(60), ..SyncConfig::default() };
        for failures in 1..30 {
            let delay = retry_delay(&config, failures, None);
            let step = Duration::from_secs(2u64.saturating_mul(1 << (failures - 1).min(20))).min(Duration::from_secs(60));
            assert!(delay >= step / 2 && delay <= step, "failure {failures}: {delay:?} outside {:?}..{step:?}", step / 2);
        }
        assert!(retry_delay(&config, 1, Some(Duration::from_secs(120))) >= Duration::from_secs(120));
        // A huge Retry-After (a captive portal's) is an hour, not a panic.
        assert_eq!(retry_delay(&config, 1, Some(Duration::MAX)), super::super::client::MAX_RETRY_AFTER);
        let _ = std::time::Instant::now() + retry_delay(&config, 1, Some(Duration::MAX));
        let delays: std::collections::HashSet<Duration> = (0..20).map(|_| retry_delay(&config, 5, None)).collect();
        assert!(delays.len() > 1, "jitter spreads retries");
    }
}
