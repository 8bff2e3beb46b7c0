//! The HTTP API: routes, shared state, request logging, security headers,
//! header limits, and JSON answers for unknown routes and wrong methods.
//! Handlers live in one module per area. There is no CORS layer on purpose:
//! the API is for the apps, not for browsers, so no response carries
//! `Access-Control-*` headers and browsers keep other origins out.

mod account;
mod admin;
mod auth;
mod devices;
mod events;
mod extract;
mod health;
mod me;
pub mod metrics;
mod sync;

use std::time::Instant;

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};

use crate::error::ApiError;
use crate::events::Events;
use crate::store::Database;

/// Largest total size of a request's headers (names and values), in bytes.
pub const MAX_HEADER_BYTES: usize = 16 * 1024;
/// Most headers a request may carry.
pub const MAX_HEADERS: usize = 64;

/// What every handler can reach.
#[derive(Debug, Clone)]
pub struct AppState {
    pub db: Database,
    pub events: Events,
    pub clock: crate::clock::Clock,
    /// Wakes devices with no open stream after pushes they may see.
    pub wake: crate::wake::Waker,
    /// What operators watch.
    pub metrics: crate::metrics::Metrics,
    /// Becomes true when the server begins to shut down.
    pub stopping: tokio::sync::watch::Receiver<bool>,
}

/// The whole API.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/v1/auth/login", post(auth::login))
        .route("/v1/auth/logout", post(auth::logout))
        .route("/v1/auth/register", post(auth::register))
        .route("/v1/auth/reset", post(account::reset_password))
        .route("/v1/invites", post(auth::invite))
        .route("/v1/me", get(me::me))
        .route("/v1/me/contact", get(me::contact).put(me::set_contact))
        .route("/v1/me/password", post(account::change_password))
        .route("/v1/me/erase", post(account::erase_own))
        .route("/v1/audit", get(me::audit))
        .route("/v1/admin/users", post(admin::add_user))
        .route("/v1/admin/caseload", post(admin::caseload))
        .route("/v1/admin/program", put(admin::program))
        .route("/v1/admin/reset-codes", post(account::reset_code))
        .route("/v1/admin/erase", post(account::erase_participant))
        .route("/v1/sync/push", post(sync::push))
        .route("/v1/sync/pull", get(sync::pull))
        .route("/v1/sync/events", get(events::events))
        .route("/v1/devices", get(devices::list))
        .route("/v1/devices/revoke", post(devices::revoke))
        .route("/v1/devices/push", get(devices::offered).put(devices::register).delete(devices::unregister))
        .route_layer(middleware::from_fn(name_route))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn(limit_headers))
        .layer(middleware::from_fn(security_headers))
        .layer(middleware::from_fn_with_state(state.clone(), observe_request))
        .with_state(state)
}

async fn not_found() -> ApiError {
    ApiError::NotFound("no such endpoint".into())
}

async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed("this endpoint does not take that method".into())
}

/// Refuses requests with too many or too large headers (hyper has its own,
/// larger, limits below this).
async fn limit_headers(request: Request, next: Next) -> Response {
    let headers = request.headers();
    let bytes: usize = headers.iter().map(|(name, value)| name.as_str().len() + value.len()).sum();
    if headers.len() > MAX_HEADERS || bytes > MAX_HEADER_BYTES {
        return ApiError::InvalidRequest(format!("at most {MAX_HEADERS} headers of {MAX_HEADER_BYTES} bytes in all")).into_response();
    }
    next.run(request).await
}

/// The same security headers on every response, errors included: nothing
/// is sniffed, framed, cached or sent as a referrer, and no content runs.
async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let set = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::CACHE_CONTROL, "no-store"),
        (header::CONTENT_SECURITY_POLICY, "default-src 'none'; frame-ancestors 'none'"),
    ];
    for (name, value) in set {
        headers.insert::<HeaderName>(name, HeaderValue::from_static(value));
    }
    response
}

/// The route template a request matched, as its response carries it to
/// [`observe_request`] (which runs before routing, so cannot see it).
#[derive(Debug, Clone)]
struct RouteName(String);

async fn name_route(matched: MatchedPath, request: Request, next: Next) -> Response {
    let route = RouteName(matched.as_str().to_owned());
    let mut response = next.run(request).await;
    response.extensions_mut().insert(route);
    response
}

/// One log line and one count per request: method, route, status, time.
/// Never the query, headers or body, which may hold tokens, cursors, invite
/// codes or records; the path is logged, the route template counted (no id
/// ever becomes a metric label).
async fn observe_request(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16();
    let elapsed = started.elapsed();
    let route = response.extensions().get::<RouteName>().map_or(crate::metrics::UNMATCHED_ROUTE, |r| r.0.as_str());
    state.metrics.request(method.as_str(), route, status, elapsed);
    let elapsed_ms = elapsed.as_millis();
    if response.status().is_server_error() {
        tracing::error!(%method, %path, status, elapsed_ms, "request");
    } else {
        tracing::info!(%method, %path, status, elapsed_ms, "request");
    }
    response
}
