//! The client side of sync: an HTTP client for PROTOCOL.md, one sync pass
//! (push the outbox, pull until done), and an engine that decides when to run
//! a pass and reports status to the shell.

mod account;
pub mod client;
pub mod engine;
mod events;
mod pass;
mod reach_out;

pub use account::{change_password, erase_account, register, reset_password, sign_in, sign_out};
pub use client::{SyncClient, SyncError, Timeouts};
pub use engine::{SyncConfig, SyncEngine, SyncObserver, SyncState, SyncStatus};
pub use pass::{SyncProgress, SyncReport, pull, push, sync_once};
pub use reach_out::{Callable, Delivery, Help, ReachOutAnswer, reach_out};
