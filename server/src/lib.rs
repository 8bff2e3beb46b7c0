//! Alongside's sync server: PROTOCOL.md over HTTP (axum on tokio), with its
//! state in SQLite (embedded default) or PostgreSQL.
//!
//! Start it in-process with [`Database::open`] and [`serve`]; the binary is a
//! thin CLI over the same functions (`cli`).
//!
//! - `api`: routes, extractors, handlers, security headers, limits
//! - `auth`: passwords, tokens, invites and registration, rate limits
//! - `domain`: the types every layer shares (users, records, what a push reads and writes, audit)
//! - `policy`: who may read and write which records, and what to purge
//! - `clock`: the server's time, which tests can move
//! - `sync`: push (per-field LWW, as the protocol crate defines it), compacted pull with purges, audit entries
//! - `cursor`: signed pull cursors
//! - `events`: the fan-out behind the Server-Sent Events stream (LISTEN/NOTIFY between instances on PostgreSQL)
//! - `store`: storage: queries written once over SQLite and PostgreSQL
//! - `metrics`: counters and histograms for operators (Prometheus text), no person in any label
//! - `wake`: wake-ups through Web Push, FCM and APNs, and who is woken after a push

pub mod api;
pub mod auth;
pub mod cli;
pub mod clock;
pub mod cursor;
pub mod domain;
pub mod error;
pub mod events;
pub mod metrics;
pub mod policy;
pub mod store;
pub mod sync;
pub mod wake;

use std::future::{Future, IntoFuture};
use std::time::Duration;

pub use error::ApiError;
pub use store::{Database, Role, Store, StoreError, User};

/// How often a running server forgets expired change ids and login failures.
const PRUNE_INTERVAL: Duration = Duration::from_secs(6 * 60 * 60);

/// What a running server can be tuned with.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Longest silence on an events stream: a comment goes out at least this often.
    pub events_keep_alive: Duration,
    /// What the server takes the time to be.
    pub clock: clock::Clock,
    /// The push services devices are woken through (none by default).
    pub wake: wake::WakeConfig,
    /// What the server counts; kept whether or not it is served.
    pub metrics: metrics::Metrics,
    /// Where to serve `/metrics` (Prometheus text), apart from the API; off
    /// by default. The address it took is `metrics.listening()`.
    pub metrics_listen: Option<std::net::SocketAddr>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            events_keep_alive: Duration::from_secs(25),
            clock: clock::Clock::default(),
            wake: wake::WakeConfig::default(),
            metrics: metrics::Metrics::new(),
            metrics_listen: None,
        }
    }
}

/// Serves the API on `listener` until `shutdown` completes, then finishes the
/// requests in flight and returns.
pub async fn serve(
    db: Database,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with(db, listener, ServerConfig::default(), shutdown).await
}

/// [`serve`] with a configuration.
pub async fn serve_with(
    db: Database,
    listener: tokio::net::TcpListener,
    config: ServerConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let maintenance = tokio::spawn(prune_periodically(db.clone()));
    let mut events = events::Events::new(config.events_keep_alive);
    let sharing = match db.postgres() {
        Some(engine) => events::share(&mut events, engine),
        None => Vec::new(),
    };
    // Event streams end when shutdown begins, so graceful shutdown only waits
    // for ordinary requests; those get SHUTDOWN_GRACE at most.
    let (stop, stopping) = tokio::sync::watch::channel(false);
    let wake = if config.wake.is_configured() {
        wake::Waker::start(db.clone(), wake::Sender::new(config.wake).map_err(std::io::Error::other)?, config.metrics.clone())
    } else {
        wake::Waker::off()
    };
    let metrics_endpoint = match config.metrics_listen {
        Some(address) => Some(metrics::endpoint::serve(address, config.metrics.clone(), db.clone(), stopping.clone()).await?),
        None => None,
    };
    let app = api::router(api::AppState { db, events, clock: config.clock, wake, metrics: config.metrics, stopping: stopping.clone() });
    // Connection info gives the rate limits a client address.
    let served =
        axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>()).with_graceful_shutdown(async move {
            shutdown.await;
            let _ = stop.send(true);
        });
    let served = tokio::spawn(served.into_future());
    let mut stopping = stopping;
    let outcome = tokio::select! {
        result = served => result.map_err(std::io::Error::other)?,
        () = async {
            let _ = stopping.wait_for(|stop| *stop).await;
            tokio::time::sleep(SHUTDOWN_GRACE).await;
        } => Ok(()),
    };
    maintenance.abort();
    if let Some(endpoint) = metrics_endpoint {
        endpoint.abort();
    }
    for task in sharing {
        task.abort();
    }
    outcome
}

/// How long shutdown waits for requests (and event streams) in flight.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// Prunes at once (the "prune on start") and then every [`PRUNE_INTERVAL`].
async fn prune_periodically(db: Database) {
    let mut interval = tokio::time::interval(PRUNE_INTERVAL);
    loop {
        interval.tick().await;
        let now = clock::wall_ms();
        let pruned = db.prune(now - store::APPLIED_CHANGE_RETENTION_MS, now - auth::rate_limit::WINDOW_MS).await;
        if let Err(error) = pruned {
            tracing::warn!(%error, "pruning expired change ids failed; will retry");
        }
    }
}
