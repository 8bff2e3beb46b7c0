//! What an operator watches: counters, gauges and histograms in the
//! Prometheus text format (OpenMetrics), served on a listen address of their
//! own (`endpoint`), off by default.
//!
//! No label carries a user id, a device id, a token or anything a person
//! wrote: requests are labelled by route *template* (`/v1/sync/pull`), method
//! and status; wake-ups by push service and outcome.

use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

pub use crate::domain::PoolUse;

pub mod endpoint;

/// Request latency buckets, in seconds: 1 ms to 10 s.
const LATENCY_BUCKETS: [f64; 13] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

/// The label of a request that matched no route (404s, probes).
pub const UNMATCHED_ROUTE: &str = "unmatched";

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: u16,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ResultLabels {
    result: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct WakeLabels {
    service: &'static str,
    outcome: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabels {
    state: &'static str,
}

type LatencyFamily = Family<RouteLabels, Histogram, fn() -> Histogram>;

fn latency_histogram() -> Histogram {
    Histogram::new(LATENCY_BUCKETS)
}

/// How a wake-up went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WakeOutcome {
    Sent,
    /// The push service said the registration is gone (it is dropped).
    Gone,
    Failed,
}

/// Every metric the server keeps; cheap to clone (one registry behind).
#[derive(Clone)]
pub struct Metrics {
    inner: Arc<Inner>,
}

struct Inner {
    /// Where the metrics endpoint listens, once it does.
    listening: OnceLock<SocketAddr>,
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: LatencyFamily,
    pushes: Counter,
    pushed_changes: Family<ResultLabels, Counter>,
    pulls: Counter,
    pulled_changes: Counter,
    purges: Counter,
    open_streams: Gauge,
    wake_ups: Family<WakeLabels, Counter>,
    pool: Family<PoolLabels, Gauge>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("alongside");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register("http_requests", "HTTP requests answered, by method, route template and status", requests.clone());
        let latency: LatencyFamily = Family::new_with_constructor(latency_histogram);
        registry.register("http_request_duration_seconds", "Time to answer a request, by route template", latency.clone());
        let pushes = Counter::default();
        registry.register("sync_pushes", "Pushes answered 200", pushes.clone());
        let pushed_changes = Family::<ResultLabels, Counter>::default();
        registry.register("sync_pushed_changes", "Changes pushed, by result (applied, duplicate, rejected)", pushed_changes.clone());
        let pulls = Counter::default();
        registry.register("sync_pulls", "Pull pages answered 200", pulls.clone());
        let pulled_changes = Counter::default();
        registry.register("sync_pulled_changes", "Changes sent in pull pages", pulled_changes.clone());
        let purges = Counter::default();
        registry.register("sync_purges", "Purges sent in pull pages", purges.clone());
        let open_streams = Gauge::default();
        registry.register("events_open_streams", "Event streams open on this instance", open_streams.clone());
        let wake_ups = Family::<WakeLabels, Counter>::default();
        registry.register("wake_ups", "Wake-ups, by push service and outcome (sent, gone, failed)", wake_ups.clone());
        let pool = Family::<PoolLabels, Gauge>::default();
        registry.register("db_connections", "Database connections (open, in_use, max, waiting for one)", pool.clone());
        Metrics {
            inner: Arc::new(Inner {
                listening: OnceLock::new(),
                registry,
                requests,
                latency,
                pushes,
                pushed_changes,
                pulls,
                pulled_changes,
                purges,
                open_streams,
                wake_ups,
                pool,
            }),
        }
    }

    /// Notes where the metrics endpoint listens (for whoever started it on
    /// port 0).
    pub fn set_listening(&self, address: SocketAddr) {
        let _ = self.inner.listening.set(address);
    }

    /// Where the metrics endpoint listens, if it was started.
    pub fn listening(&self) -> Option<SocketAddr> {
        self.inner.listening.get().copied()
    }

    /// One request answered. `route` is the matched template, or
    /// [`UNMATCHED_ROUTE`].
    pub fn request(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        let labels = RequestLabels { method: method.to_owned(), route: route.to_owned(), status };
        self.inner.requests.get_or_create(&labels).inc();
        self.inner.latency.get_or_create(&RouteLabels { route: route.to_owned() }).observe(elapsed.as_secs_f64());
    }

    /// One push answered, with how many changes were applied, were
    /// duplicates and were rejected.
    pub fn push(&self, applied: usize, duplicate: usize, rejected: usize) {
        self.inner.pushes.inc();
        for (result, count) in [("applied", applied), ("duplicate", duplicate), ("rejected", rejected)] {
            self.inner.pushed_changes.get_or_create(&ResultLabels { result }).inc_by(count as u64);
        }
    }

    /// One pull page answered.
    pub fn pull(&self, changes: usize, purges: usize) {
        self.inner.pulls.inc();
        self.inner.pulled_changes.inc_by(changes as u64);
        self.inner.purges.inc_by(purges as u64);
    }

    /// An event stream opened; it counts as open until the guard is dropped.
    pub fn stream_opened(&self) -> OpenStream {
        self.inner.open_streams.inc();
        OpenStream { gauge: self.inner.open_streams.clone() }
    }

    /// One wake-up through `service` (`web_push`, `fcm`, `apns`).
    pub fn wake_up(&self, service: &'static str, outcome: WakeOutcome) {
        let outcome = match outcome {
            WakeOutcome::Sent => "sent",
            WakeOutcome::Gone => "gone",
            WakeOutcome::Failed => "failed",
        };
        self.inner.wake_ups.get_or_create(&WakeLabels { service, outcome }).inc();
    }

    /// Everything, in the text format, with the pool as it is now.
    pub fn render(&self, pool: PoolUse) -> String {
        for (state, value) in [("open", pool.open), ("in_use", pool.in_use), ("max", pool.max), ("waiting", pool.waiting)] {
            self.inner.pool.get_or_create(&PoolLabels { state }).set(i64::try_from(value).unwrap_or(i64::MAX));
        }
        let mut text = String::new();
        // Writing to a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut text, &self.inner.registry);
        text
    }
}

/// An open event stream, counted until dropped.
#[derive(Debug)]
pub struct OpenStream {
    gauge: Gauge,
}

impl Drop for OpenStream {
    fn drop(&mut self) {
        self.gauge.dec();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_show_in_the_text_format_and_streams_close() {
        let metrics = Metrics::new();
        metrics.request("GET", "/v1/sync/pull", 200, Duration::from_millis(3));
        metrics.push(2, 1, 0);
        let stream = metrics.stream_opened();
        let text = metrics.render(PoolUse { open: 3, in_use: 1, max: 5, waiting: 0 });
        assert!(text.contains("alongside_http_requests_total{method=\"GET\",route=\"/v1/sync/pull\",status=\"200\"} 1"), "{text}");
        assert!(text.contains("alongside_sync_pushed_changes_total{result=\"applied\"} 2"), "{text}");
        assert!(text.contains("alongside_events_open_streams 1"), "{text}");
        assert!(text.contains("alongside_db_connections{state=\"in_use\"} 1"), "{text}");
        assert!(text.contains("alongside_http_request_duration_seconds_bucket{le=\"0.005\",route=\"/v1/sync/pull\"} 1"), "{text}");
        drop(stream);
        assert!(metrics.render(PoolUse::default()).contains("alongside_events_open_streams 0"));
    }
}
