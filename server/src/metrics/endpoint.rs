//! `GET /metrics` on a listen address of its own (ALONGSIDE_METRICS_LISTEN),
//! so it is never reachable where the API is published. It has no
//! authentication: bind it to a private address that only the scraper
//! reaches.

use std::net::SocketAddr;

use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

use super::Metrics;
use crate::store::Database;

/// The content type of the OpenMetrics text format, which Prometheus reads.
const OPENMETRICS: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

#[derive(Debug, Clone)]
struct MetricsState {
    metrics: Metrics,
    db: Database,
}

async fn render(State(state): State<MetricsState>) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, OPENMETRICS)], state.metrics.render(state.db.pool_use()))
}

/// Binds `address` and serves `/metrics` there until `stopping` turns true
/// (or the task is aborted). The address taken is noted in `metrics`.
pub async fn serve(
    address: SocketAddr,
    metrics: Metrics,
    db: Database,
    mut stopping: tokio::sync::watch::Receiver<bool>,
) -> std::io::Result<tokio::task::JoinHandle<()>> {
    let listener = tokio::net::TcpListener::bind(address).await?;
    let bound = listener.local_addr()?;
    metrics.set_listening(bound);
    tracing::info!(address = %bound, "serving metrics");
    let app = Router::new().route("/metrics", get(render)).with_state(MetricsState { metrics, db });
    Ok(tokio::spawn(async move {
        let served = axum::serve(listener, app).with_graceful_shutdown(async move {
            let _ = stopping.wait_for(|stop| *stop).await;
        });
        if let Err(error) = served.await {
            tracing::warn!(%error, "the metrics endpoint stopped");
        }
    }))
}
