//! Alongside's shared core: the domain of PROTOCOL.md, an encrypted local
//! store that works with no network, and the views the screens need.
//!
//! Data flows one way: a shell calls the API → the core validates → one SQLite
//! transaction writes the record and its outbox entry → sync pushes the outbox
//! later → other devices merge with per-field last-writer-wins.

pub mod actions;
pub mod error;
#[cfg(feature = "uniffi")]
mod ffi;
pub mod i18n;
pub mod ids;
pub mod library;
pub mod model;
pub mod reminders;
pub mod store;
pub mod sync;
pub mod views;

// The protocol's types live in their own crate, shared with the server; these
// paths are where the core, the bindings and the tests have always found them.
pub use alongside_protocol::{accounts, care, change, codes, concurrent, devices, hlc, lww, protocol, push, schema};

pub use change::Change;
pub use error::{Error, Result};
pub use store::Store;

// UniFFI (feature `uniffi`, for the bindings crate): the records and enums
// above derive their FFI types here, once. Dates and instants cross the FFI
// as text in the protocol's formats: `YYYY-MM-DD` and RFC 3339 in UTC.
#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!("alongside_core");

/// A calendar date, `YYYY-MM-DD` across the FFI.
#[cfg(feature = "uniffi")]
pub type CalendarDate = chrono::NaiveDate;

/// An instant, RFC 3339 in UTC across the FFI (`2026-11-23T08:15:00Z`).
#[cfg(feature = "uniffi")]
pub type Timestamp = chrono::DateTime<chrono::Utc>;

#[cfg(feature = "uniffi")]
uniffi::custom_type!(CalendarDate, String, {
    remote,
    lower: |date| date.format("%Y-%m-%d").to_string(),
    try_lift: |text| Ok(text.parse::<chrono::NaiveDate>()?),
});

#[cfg(feature = "uniffi")]
uniffi::custom_type!(Timestamp, String, {
    remote,
    lower: |instant| instant.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
    try_lift: |text| Ok(chrono::DateTime::parse_from_rfc3339(&text)?.with_timezone(&chrono::Utc)),
});
