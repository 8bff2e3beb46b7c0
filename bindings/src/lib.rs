//! alongside-ffi: the one library the Alongside apps load (`cdylib` for
//! Android and the JVM tests, `staticlib` for the iOS XCFramework).
//!
//! It holds no domain logic: the core's records, enums and views cross the FFI
//! as the core defines them (derived behind its `uniffi` feature), and this
//! crate adds the `Companion` object that owns a store, a sync engine and a
//! tokio runtime; the per-collection functions; the events; and the one error
//! enum. Kotlin: package `org.alongside.core`; Swift: module `Alongside`.

uniffi::setup_scaffolding!("alongside");

// Dates and instants are custom types (text) defined by the core; the
// functions here that take or return them use the core's converters.
use alongside_core::{CalendarDate, Timestamp};
uniffi::use_remote_type!(alongside_core::CalendarDate);
uniffi::use_remote_type!(alongside_core::Timestamp);

// So are the protocol crate's enums and records that cross the FFI: the core
// declares them to UniFFI (they live in the protocol crate, which has no UniFFI).
use alongside_core::care::{ContactRequest, Hours};
use alongside_core::devices::DeviceView;
use alongside_core::push::{Offered, Registration, WebPushOffer};
use alongside_core::schema::{Category, Collection};
uniffi::use_remote_type!(alongside_core::Category);
uniffi::use_remote_type!(alongside_core::Collection);
uniffi::use_remote_type!(alongside_core::AuditEntry);
uniffi::use_remote_type!(alongside_core::Registration);
uniffi::use_remote_type!(alongside_core::Offered);
uniffi::use_remote_type!(alongside_core::WebPushOffer);
uniffi::use_remote_type!(alongside_core::ContactRequest);
uniffi::use_remote_type!(alongside_core::Hours);
uniffi::use_remote_type!(alongside_core::DeviceView);

mod collections;
mod companion;
mod error;
mod events;
mod language;
mod views;

pub use alongside_core::protocol::AuditEntry;
pub use companion::Companion;
pub use error::AlongsideError;
pub use events::{DataChange, DataChangeObserver, Subscription, SyncStatusObserver};
pub use language::{language_for_tag, set_language, words};
pub use views::{
    Account, Barc10Summary, Callable, CaseloadEntry, CrisisContact, CrisisResource, Delivery, GasSummary, Help, Invite, OutboxItem,
    ParticipantSummary, RankedStrategy, ReachOutSent, Role, SyncReport, SyncStatus,
};

/// The built-in crisis lines: 988, SAMHSA's helpline, Crisis Text Line, 911,
/// in the language set last. Needs no database, so a shell can show them before anything is set up.
#[uniffi::export]
pub fn crisis_resources() -> Vec<CrisisResource> {
    views::crisis_lines()
}

/// The categories a participant chooses to share, in the order a sharing
/// screen lists them (the rest is always visible to their peer worker).
#[uniffi::export]
pub fn shareable_categories() -> Vec<alongside_core::schema::Category> {
    alongside_core::schema::Category::SHAREABLE.to_vec()
}

/// The sharing category of a collection named as on the wire (`check_ins`),
/// as PROTOCOL.md's table gives it; `None` for a name it does not know.
#[uniffi::export]
pub fn category_of(collection: String) -> Option<alongside_core::schema::Category> {
    collection.parse::<alongside_core::schema::Collection>().ok().map(|c| c.category())
}

/// The library's version, for bug reports.
#[uniffi::export]
pub fn library_version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

#[cfg(test)]
mod tests;
