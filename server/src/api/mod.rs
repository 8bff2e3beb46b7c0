//! The HTTP API: routes, shared state, request logging, security headers,
//! header limits, and JSON answers for unknown routes and wrong methods.
//! Handlers live in one module per area, each with its OpenAPI description
//! (`#[utoipa::path]`; `openapi`, `failures`). There is no CORS layer on purpose:
//! the API is for the apps, not for browsers, so no response carries
//! `Access-Control-*` headers and browsers keep other origins out.

mod account;
mod admin;
mod auth;
mod devices;
mod events;
mod extract;
mod failures;
mod health;
mod me;
mod openapi;
mod sync;

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Router};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

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
    let (routes, description) = routes().split_for_parts();
    routes
        .route_layer(middleware::from_fn(name_route))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(Extension(openapi::Description(Arc::new(description))))
        .layer(middleware::from_fn(limit_headers))
        .layer(middleware::from_fn(security_headers))
        .layer(middleware::from_fn_with_state(state.clone(), observe_request))
        .with_state(state)
}

/// Every route with its description: `routes!` takes a handler together
/// with its `#[utoipa::path]` (method, path, parameters, every response), so
/// a route cannot be served undescribed. Handlers of one path go in one
/// `routes!`.
fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(openapi::base())
        .routes(routes!(health::healthz))
        .routes(routes!(openapi::document))
        .routes(routes!(auth::login))
        .routes(routes!(auth::logout))
        .routes(routes!(auth::register))
        .routes(routes!(account::reset_password))
        .routes(routes!(auth::invite))
        .routes(routes!(me::me))
        .routes(routes!(me::contact, me::set_contact))
        .routes(routes!(account::change_password))
        .routes(routes!(account::erase_own))
        .routes(routes!(me::audit))
        .routes(routes!(admin::add_user))
        .routes(routes!(admin::caseload))
        .routes(routes!(admin::program))
        .routes(routes!(account::reset_code))
        .routes(routes!(account::erase_participant))
        .routes(routes!(account::close_account))
        .routes(routes!(sync::push))
        .routes(routes!(sync::pull))
        .routes(routes!(events::events))
        .routes(routes!(devices::list))
        .routes(routes!(devices::revoke))
        .routes(routes!(devices::offered, devices::register, devices::unregister))
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
