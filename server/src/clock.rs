//! The server's clock. The app state holds one, so a test can move time
//! (sharing expiry, invites, rate limits) without waiting for it.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::NaiveDate;

/// Milliseconds since the Unix epoch by the system clock (the protocol's wall clock).
pub fn wall_ms() -> i64 {
    i64::try_from(alongside_protocol::hlc::wall_clock_ms()).unwrap_or(i64::MAX)
}

/// The system clock, moved by an offset tests may set.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset_ms: Arc<AtomicI64>,
}

impl Clock {
    pub fn now_ms(&self) -> i64 {
        wall_ms().saturating_add(self.offset_ms.load(Ordering::Relaxed))
    }

    /// The UTC date: sharing expiry is judged by it.
    pub fn today(&self) -> NaiveDate {
        chrono::DateTime::from_timestamp_millis(self.now_ms()).unwrap_or_default().date_naive()
    }

    /// Moves this clock (and every clone of it) by `ms`.
    pub fn advance(&self, ms: i64) {
        self.offset_ms.fetch_add(ms, Ordering::Relaxed);
    }
}
