//! Alongside's sync server: PROTOCOL.md over HTTP (axum on tokio), with its
//! state in SQLite (embedded default) or PostgreSQL.
//!
//! Start it in-process with [`Database::open`] and [`serve`]; the binary is a
//! thin CLI over the same functions (`cli`).
//!
//! - `api`: routes, extractors, handlers
//! - `auth`: passwords, tokens, login rate limit
//! - `policy`: who may read and write which records
//! - `sync`: push (per-field LWW via the core) and compacted pull
//! - `cursor`: signed pull cursors
//! - `demo`: devices converging through a server, told as a story
//! - `store`: the storage trait and its SQLite and PostgreSQL backends

pub mod api;
pub mod auth;
pub mod cli;
pub mod cursor;
pub mod demo;
pub mod error;
pub mod policy;
pub mod store;
pub mod sync;

use std::future::Future;
use std::time::Duration;

pub use error::ApiError;
pub use store::{Database, Role, Store, StoreError, User};

/// How often a running server forgets expired change ids and login failures.
const PRUNE_INTERVAL: Duration = Duration::from_secs(6 * 60 * 60);

/// Serves the API on `listener` until `shutdown` completes, then finishes the
/// requests in flight and returns.
pub async fn serve(
    db: Database,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let maintenance = tokio::spawn(prune_periodically(db.clone()));
    let app = api::router(api::AppState { db });
    let served = axum::serve(listener, app).with_graceful_shutdown(shutdown).await;
    maintenance.abort();
    served
}

/// Prunes at once (the "prune on start") and then every [`PRUNE_INTERVAL`].
async fn prune_periodically(db: Database) {
    let mut interval = tokio::time::interval(PRUNE_INTERVAL);
    loop {
        interval.tick().await;
        let now = auth::now_ms();
        let pruned = db.prune(now - store::APPLIED_CHANGE_RETENTION_MS, now - auth::rate_limit::WINDOW_MS).await;
        if let Err(error) = pruned {
            tracing::warn!(%error, "pruning expired change ids failed; will retry");
        }
    }
}
