//! `GET`, `PUT` and `DELETE /v1/devices/push`: where this device is woken
//! (protocol/README.md "Wake-ups").

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

use super::AppState;
use super::extract::{ApiJson, Authenticated};
use crate::error::ApiError;
use crate::store::Store;
use crate::wake::{Offered, Registration};

/// The services this server wakes devices through (none when it has none).
pub async fn offered(State(state): State<AppState>, Authenticated(_): Authenticated) -> Json<Offered> {
    Json(state.wake.sender().map(|sender| sender.offered()).unwrap_or_default())
}

/// Keeps where this device is woken, replacing what it sent before. Every
/// byte is checked first; a kind the server does not send is refused.
pub async fn register(
    State(state): State<AppState>,
    Authenticated(session): Authenticated,
    ApiJson(registration): ApiJson<Registration>,
) -> Result<Json<Value>, ApiError> {
    let sender = state.wake.sender().ok_or_else(|| ApiError::validation("kind", "this server sends no wake-ups"))?;
    sender.check(&registration).map_err(|e| ApiError::validation(e.field(), format!("{} ({})", e, e.code())))?;
    let stored = serde_json::to_string(&registration).map_err(|e| ApiError::internal(e.to_string()))?;
    state.db.set_push_registration(&session.device_id, &session.user.id, &stored, state.clock.now_ms()).await?;
    Ok(Json(json!({})))
}

/// This device is no longer woken.
pub async fn unregister(State(state): State<AppState>, Authenticated(session): Authenticated) -> Result<Json<Value>, ApiError> {
    state.db.forget_push_registration(&session.device_id).await?;
    Ok(Json(json!({})))
}
