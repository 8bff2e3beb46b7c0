//! A person's devices: `GET /v1/devices` and `POST /v1/devices/revoke`
//! (protocol/README.md "Devices"), and `GET`, `PUT` and `DELETE
//! /v1/devices/push`: where this device is woken ("Wake-ups").

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

use alongside_protocol::devices::{DeviceView, DevicesResponse, RevokeRequest};
use alongside_protocol::schema::check_id;
use serde::Deserialize;
use utoipa::IntoParams;

use super::AppState;
use super::auth::instant;
use super::extract::{ApiJson, ApiQuery, Authenticated};
use super::failures::{Forbidden, Internal, InvalidRequest, NotFound, PayloadTooLarge, Unauthorized, ValidationFailed};
use crate::error::ApiError;
use crate::store::{Role, Session, Store};
use crate::wake::{Offered, Registration};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DevicesQuery {
    /// An admin's: the peer worker whose devices to list (anyone else, 403;
    /// not a UUID, 422). Without it, the asker's own.
    #[param(value_type = Option<String>, pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
    user_id: Option<String>,
}

/// The signed-in devices of the person asking, or, for an admin, of the
/// peer worker named by `user_id`.
#[utoipa::path(
    get, path = "/v1/devices", tag = "devices", operation_id = "list_devices",
    security(("bearer" = [])),
    params(DevicesQuery),
    responses(
        (status = 200, description = "The signed-in devices, oldest first.", body = DevicesResponse),
        InvalidRequest, Unauthorized, Forbidden, ValidationFailed, Internal,
    ),
)]
pub async fn list(
    State(state): State<AppState>,
    Authenticated(session): Authenticated,
    ApiQuery(query): ApiQuery<DevicesQuery>,
) -> Result<Json<DevicesResponse>, ApiError> {
    let owner = match query.user_id {
        None => session.user.id.clone(),
        Some(user_id) => {
            check_id("user_id", &user_id).map_err(|e| ApiError::validation("user_id", e.to_string()))?;
            admin_may_manage(&state, &session, &user_id).await?;
            user_id
        }
    };
    let devices = state
        .db
        .devices(&owner)
        .await?
        .into_iter()
        .map(|device| DeviceView {
            this_device: device.id == session.device_id,
            first_seen: instant(device.created_ms),
            last_seen: device.last_seen_ms.map(instant),
            id: device.id,
            name: device.name,
        })
        .collect();
    Ok(Json(DevicesResponse { devices }))
}

/// Signs a device out: the person's own, or an admin a peer worker's (a lost
/// phone with a caseload on it). With `wipe`, the device is told to delete
/// what it holds when it next reaches the server.
#[utoipa::path(
    post, path = "/v1/devices/revoke", tag = "devices", operation_id = "revoke_device",
    security(("bearer" = [])),
    request_body = RevokeRequest,
    responses(
        (status = 200, description = "Signed out: `{}`.", body = Object),
        InvalidRequest, Unauthorized, NotFound, PayloadTooLarge, ValidationFailed, Internal,
    ),
)]
pub async fn revoke(
    State(state): State<AppState>,
    Authenticated(session): Authenticated,
    ApiJson(request): ApiJson<RevokeRequest>,
) -> Result<Json<Value>, ApiError> {
    check_id("device_id", &request.device_id).map_err(|e| ApiError::validation("device_id", e.to_string()))?;
    // Someone else's device, or one already signed out, is "no such device":
    // whether it exists is not the asker's to learn.
    let unknown = || ApiError::NotFound("no such signed-in device of yours".into());
    let device = state.db.device(&request.device_id).await?.ok_or_else(unknown)?;
    if device.user_id != session.user.id {
        admin_may_manage(&state, &session, &device.user_id).await.map_err(|_| unknown())?;
    }
    let now = state.clock.now_ms();
    if request.wipe {
        state.db.wipe_device(&device.id, now).await?;
    } else {
        state.db.revoke_device(&device.id, now).await?;
    }
    tracing::info!(user_id = %session.user.id, device_id = %device.id, wipe = request.wipe, "device signed out");
    Ok(Json(json!({})))
}

/// An admin manages a peer worker's devices; nobody else manages another's.
async fn admin_may_manage(state: &AppState, session: &Session, user_id: &str) -> Result<(), ApiError> {
    let owner = state.db.user(user_id).await?;
    match (session.user.role, owner.map(|user| user.role)) {
        (Role::Admin, Some(Role::PeerWorker)) => Ok(()),
        (Role::Admin, _) => Err(ApiError::Forbidden("admins manage peer workers' devices; participants manage their own".into())),
        _ => Err(ApiError::Forbidden("a person manages their own devices".into())),
    }
}

/// The services this server wakes devices through (none when it has none).
#[utoipa::path(
    get, path = "/v1/devices/push", tag = "devices", operation_id = "push_services",
    security(("bearer" = [])),
    responses((status = 200, description = "What a device may register.", body = Offered), InvalidRequest, Unauthorized, Internal),
)]
pub async fn offered(State(state): State<AppState>, Authenticated(_): Authenticated) -> Json<Offered> {
    Json(state.wake.sender().map(|sender| sender.offered()).unwrap_or_default())
}

/// Keeps where this device is woken, replacing what it sent before. Every
/// byte is checked first; a kind the server does not send is refused.
#[utoipa::path(
    put, path = "/v1/devices/push", tag = "devices", operation_id = "set_push_registration",
    security(("bearer" = [])),
    request_body = Registration,
    responses(
        (status = 200, description = "Kept: `{}`.", body = Object),
        InvalidRequest, Unauthorized, PayloadTooLarge, ValidationFailed, Internal,
    ),
)]
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
#[utoipa::path(
    delete, path = "/v1/devices/push", tag = "devices", operation_id = "delete_push_registration",
    security(("bearer" = [])),
    responses((status = 200, description = "Forgotten: `{}`.", body = Object), InvalidRequest, Unauthorized, Internal),
)]
pub async fn unregister(State(state): State<AppState>, Authenticated(session): Authenticated) -> Result<Json<Value>, ApiError> {
    state.db.forget_push_registration(&session.device_id).await?;
    Ok(Json(json!({})))
}
