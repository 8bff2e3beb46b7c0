//! Alongside's shared core: the domain of PROTOCOL.md, an encrypted local
//! store that works with no network, and the views the screens need.
//!
//! Data flows one way: a shell calls the API → the core validates → one SQLite
//! transaction writes the record and its outbox entry → sync pushes the outbox
//! later → other devices merge with per-field last-writer-wins.

pub mod actions;
pub mod change;
pub mod error;
pub mod hlc;
pub mod ids;
pub mod library;
pub mod lww;
pub mod model;
pub mod protocol;
pub mod schema;
pub mod store;
pub mod sync;
pub mod views;

pub use change::Change;
pub use error::{Error, Result};
pub use store::Store;
