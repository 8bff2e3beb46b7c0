//! `POST /v1/sync/push` and `GET /v1/sync/pull`.

use std::sync::Arc;

use alongside_protocol::Change;
use alongside_protocol::protocol::{MAX_PULL_LIMIT, MAX_PUSH_BYTES, MAX_PUSH_CHANGES, PullResponse, PushRequest, PushResponse, PushStatus};
use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use utoipa::IntoParams;

use super::AppState;
use super::extract::{ApiJson, ApiQuery, Authenticated};
use super::failures::{Internal, InvalidRequest, PayloadTooLarge, Unauthorized};
use crate::cursor::Cursor;
use crate::error::ApiError;
use crate::policy::Actor;
use crate::store::{Session, Store};
use crate::sync;

/// Pull page size when the client names none.
pub const DEFAULT_PULL_LIMIT: usize = 500;

fn actor(session: &Session) -> Actor {
    Actor { user_id: session.user.id.clone(), role: session.user.role }
}

/// Applies changes by per-field last-writer-wins; one result per change, in
/// order. A change the server refuses is a result (`rejected`), not an error.
#[utoipa::path(
    post, path = "/v1/sync/push", tag = "sync", operation_id = "push",
    security(("bearer" = [])),
    request_body = PushRequest,
    responses(
        (status = 200, description = "One result per change, in order.", body = PushResponse),
        InvalidRequest, Unauthorized, PayloadTooLarge, Internal,
    ),
)]
pub async fn push(
    State(state): State<AppState>,
    Authenticated(session): Authenticated,
    ApiJson(request): ApiJson<PushRequest, MAX_PUSH_BYTES>,
) -> Result<Json<PushResponse>, ApiError> {
    if request.changes.len() > MAX_PUSH_CHANGES {
        return Err(ApiError::PayloadTooLarge(format!("a push carries at most {MAX_PUSH_CHANGES} changes")));
    }
    let context = sync::PushContext::at(actor(&session), &state.clock);
    let changes: Arc<[Change]> = request.changes.into();
    let results = sync::push(&state.db, context, Arc::clone(&changes)).await?;
    let count = |status: PushStatus| results.iter().filter(|r| r.status == status).count();
    let applied = count(PushStatus::Applied);
    state.metrics.push(applied, count(PushStatus::Duplicate), count(PushStatus::Rejected));
    if applied > 0 {
        state.events.announce(&changes, &results);
        state.wake.after_push(&changes, &results, &session.device_id);
    }
    tracing::info!(user_id = %session.user.id, changes = results.len(), applied, "push");
    Ok(Json(PushResponse { results }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PullQuery {
    /// Where the last page ended (opaque, this user's only); none means from the beginning.
    cursor: Option<String>,
    /// Most changes in the page; 500 when not given.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 1000)]
    limit: Option<String>,
}

/// The next page of the changes this user may see, oldest first, compacted,
/// with what to purge.
#[utoipa::path(
    get, path = "/v1/sync/pull", tag = "sync", operation_id = "pull",
    security(("bearer" = [])),
    params(PullQuery),
    responses(
        (status = 200, description = "A page; pull again with its cursor while `has_more`.", body = PullResponse),
        InvalidRequest, Unauthorized, Internal,
    ),
)]
pub async fn pull(
    State(state): State<AppState>,
    Authenticated(session): Authenticated,
    ApiQuery(query): ApiQuery<PullQuery>,
) -> Result<Json<PullResponse>, ApiError> {
    let limit = match query.limit.as_deref() {
        None => DEFAULT_PULL_LIMIT,
        Some(text) => match text.parse::<usize>() {
            Ok(limit) if (1..=MAX_PULL_LIMIT).contains(&limit) => limit,
            _ => return Err(ApiError::InvalidRequest(format!("limit must be a whole number from 1 to {MAX_PULL_LIMIT}"))),
        },
    };
    let secret = state.db.cursor_secret();
    let user_id = session.user.id.as_str();
    let cursor = match query.cursor.as_deref() {
        None => Cursor::default(),
        Some(text) => Cursor::decode(text, secret, user_id).map_err(|e| ApiError::InvalidRequest(e.to_string()))?,
    };
    let page = sync::pull(&state.db, &actor(&session), cursor, limit, state.clock.today()).await?;
    let cursor = page.cursor.encode(secret, user_id).map_err(|e| ApiError::internal(e.to_string()))?;
    tracing::info!(
        user_id = %user_id,
        changes = page.changes.len(),
        purges = page.purge.len(),
        has_more = page.has_more,
        restored = page.restored,
        "pull"
    );
    state.db.append_audit(&sync::pull_audit(&actor(&session), &page.changes, state.clock.now_ms())).await?;
    state.metrics.pull(page.changes.len(), page.purge.len());
    Ok(Json(PullResponse {
        changes: page.changes,
        purge: page.purge,
        cursor,
        has_more: page.has_more,
        care: page.care,
        restored: page.restored,
    }))
}
