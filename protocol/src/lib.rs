//! PROTOCOL.md as types: what a phone's core and the sync server must agree
//! on, defined once for both. See README.md beside this crate.
//!
//! - `accounts`: password change and reset, erasure (an addition)
//! - `care`: whom a participant can reach for help (an addition)
//! - `change`: a change as it travels, and its check against the schema
//! - `codes`: error and rejection codes, typed
//! - `concurrent`: what becomes of an edit that lost to a concurrent one
//! - `devices`: a person's signed-in devices (an addition)
//! - `hlc`: the hybrid logical clock a change is stamped with
//! - `lww`: per-field last-writer-wins, the one merge rule
//! - `protocol`: request and response bodies, and the protocol's limits
//! - `push`: where a device can be woken (an addition)
//! - `redact`: `Debug` that shows no password, token or code
//! - `schema`: the Collections table as data, the validator, why a value or
//!   change is refused
//!
//! It holds no storage, HTTP or async runtime, so the server does not build
//! the phone's store and the phone does not build the server.

pub mod accounts;
pub mod care;
pub mod change;
pub mod codes;
pub mod concurrent;
pub mod devices;
pub mod hlc;
pub mod lww;
pub mod protocol;
pub mod push;
mod redact;
pub mod schema;

pub use change::{Base, Change};
pub use codes::{ErrorCode, RejectionCode};
