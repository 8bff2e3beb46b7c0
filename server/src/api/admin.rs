//! `POST /v1/admin/users`, `POST /v1/admin/caseload` and
//! `PUT /v1/admin/program`: admins only.

use alongside_protocol::care::ProgramRequest;
use alongside_protocol::protocol::{AdminCaseloadRequest, AdminUserRequest, UserView};
use alongside_protocol::schema::check_id;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use super::AppState;
use super::auth::user_view;
use super::extract::{ApiJson, Authenticated};
use super::failures::{Conflict, Forbidden, Internal, InvalidRequest, NotFound, PayloadTooLarge, Unauthorized, ValidationFailed};
use crate::auth::{self, AddUserError};
use crate::error::ApiError;
use crate::store::{Role, Session, Store, StoreError};

pub(super) fn require_admin(session: &Session) -> Result<(), ApiError> {
    if session.user.role == Role::Admin { Ok(()) } else { Err(ApiError::Forbidden("only admins manage users and caseloads".into())) }
}

/// A new user of any role.
#[utoipa::path(
    post, path = "/v1/admin/users", tag = "admin", operation_id = "add_user",
    security(("bearer" = [])),
    request_body = AdminUserRequest,
    responses(
        (status = 201, description = "The user.", body = UserView),
        InvalidRequest, Unauthorized, Forbidden, PayloadTooLarge, Conflict, ValidationFailed, Internal,
    ),
)]
pub async fn add_user(
    State(state): State<AppState>,
    Authenticated(session): Authenticated,
    ApiJson(request): ApiJson<AdminUserRequest>,
) -> Result<(StatusCode, Json<UserView>), ApiError> {
    require_admin(&session)?;
    let role: Role = request.role.parse().map_err(|reason: String| ApiError::validation("role", reason))?;
    auth::check_new_user(&request.username, &request.display_name, &request.password)
        .map_err(|(field, reason)| ApiError::validation(field, reason))?;
    match auth::add_user(&state.db, &request.username, role, &request.display_name, &request.password).await {
        Ok(user) => {
            tracing::info!(admin_id = %session.user.id, user_id = %user.id, "user added");
            Ok((StatusCode::CREATED, Json(user_view(user))))
        }
        Err(AddUserError::Store(StoreError::Conflict(_))) => Err(ApiError::Conflict("that username is taken".into())),
        Err(AddUserError::Invalid(reason)) => Err(ApiError::validation("user", reason)),
        Err(other) => Err(ApiError::internal(other.to_string())),
    }
}

/// Puts a participant on a peer worker's caseload, or takes them off.
#[utoipa::path(
    post, path = "/v1/admin/caseload", tag = "admin", operation_id = "set_caseload",
    security(("bearer" = [])),
    request_body = AdminCaseloadRequest,
    responses(
        (status = 200, description = "Done; the body as sent.", body = AdminCaseloadRequest),
        InvalidRequest, Unauthorized, Forbidden, NotFound, PayloadTooLarge, ValidationFailed, Internal,
    ),
)]
pub async fn caseload(
    State(state): State<AppState>,
    Authenticated(session): Authenticated,
    ApiJson(request): ApiJson<AdminCaseloadRequest>,
) -> Result<Json<AdminCaseloadRequest>, ApiError> {
    require_admin(&session)?;
    for (field, id) in [("peer_worker_id", &request.peer_worker_id), ("participant_id", &request.participant_id)] {
        check_id(field, id).map_err(|e| ApiError::validation(field, e.to_string()))?;
    }
    for (field, id, role) in
        [("peer_worker_id", &request.peer_worker_id, Role::PeerWorker), ("participant_id", &request.participant_id, Role::Participant)]
    {
        match state.db.user(id).await? {
            None => return Err(ApiError::NotFound(format!("no user with {field} {id}"))),
            Some(user) if user.role != role => return Err(ApiError::validation(field, format!("is a {}, not a {role}", user.role))),
            Some(_) => {}
        }
    }
    let changed = state.db.set_caseload(&request.peer_worker_id, &request.participant_id, request.assigned, state.clock.now_ms()).await?;
    if changed {
        tracing::info!(admin_id = %session.user.id, assigned = request.assigned, "caseload changed");
        state.events.announce_users(vec![request.peer_worker_id.clone()]);
    }
    Ok(Json(request))
}

/// The program's on-call line, offered to participants when their peer
/// worker is off hours.
#[utoipa::path(
    put, path = "/v1/admin/program", tag = "admin", operation_id = "set_program",
    security(("bearer" = [])),
    request_body = ProgramRequest,
    responses(
        (status = 200, description = "Kept; the body as sent.", body = ProgramRequest),
        InvalidRequest, Unauthorized, Forbidden, PayloadTooLarge, ValidationFailed, Internal,
    ),
)]
pub async fn program(
    State(state): State<AppState>,
    Authenticated(session): Authenticated,
    ApiJson(request): ApiJson<ProgramRequest>,
) -> Result<Json<ProgramRequest>, ApiError> {
    require_admin(&session)?;
    if let Some(on_call) = &request.on_call {
        on_call.check().map_err(|e| ApiError::validation(e.field, e.reason))?;
    }
    state.db.set_on_call(request.on_call.as_ref()).await?;
    tracing::info!(admin_id = %session.user.id, set = request.on_call.is_some(), "on-call line changed");
    state.events.announce_everyone();
    Ok(Json(request))
}
