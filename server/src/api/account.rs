//! A person's control of their account (protocol/README.md "Accounts"):
//! `POST /v1/me/password`, `POST /v1/auth/reset`, `POST /v1/me/erase`, and
//! for admins `POST /v1/admin/reset-codes`, `POST /v1/admin/erase` and
//! `POST /v1/admin/close`.

use alongside_protocol::accounts::{
    AdminCloseRequest, AdminEraseRequest, ClosureResponse, EraseRequest, ErasureResponse, PasswordChangeRequest, PasswordChangeResponse,
    PasswordResetRequest, ResetCodeRequest, ResetCodeResponse,
};
use alongside_protocol::protocol::LoginResponse;
use alongside_protocol::schema::check_id;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use super::AppState;
use super::admin::require_admin;
use super::auth::{instant, login_response};
use super::extract::{ApiJson, Authenticated};
use super::failures::{Forbidden, Internal, InvalidRequest, NotFound, PayloadTooLarge, RateLimited, Unauthorized, ValidationFailed};
use crate::auth::account::{self, ResetInput};
use crate::auth::closure;
use crate::auth::erasure::{self, Erased};
use crate::error::ApiError;
use crate::store::{Role, Store, User};

/// A new password for the person signed in; their other devices are signed out.
#[utoipa::path(
    post, path = "/v1/me/password", tag = "accounts", operation_id = "change_password",
    security(("bearer" = [])),
    request_body = PasswordChangeRequest,
    responses(
        (status = 200, description = "Changed; how many other devices were signed out.", body = PasswordChangeResponse),
        InvalidRequest, Unauthorized, PayloadTooLarge, ValidationFailed, RateLimited, Internal,
    ),
)]
pub async fn change_password(
    State(state): State<AppState>,
    Authenticated(session): Authenticated,
    ApiJson(request): ApiJson<PasswordChangeRequest>,
) -> Result<Json<PasswordChangeResponse>, ApiError> {
    let signed_out_devices = account::change_password(&state.db, &session, &request.current_password, &request.new_password).await?;
    Ok(Json(PasswordChangeResponse { signed_out_devices }))
}

/// A new password with a reset code: every device signed out, this one in.
#[utoipa::path(
    post, path = "/v1/auth/reset", tag = "accounts", operation_id = "reset_password",
    request_body = PasswordResetRequest,
    responses(
        (status = 200, description = "Signed in with the new password; the token is shown only now.", body = LoginResponse),
        InvalidRequest, Unauthorized, PayloadTooLarge, ValidationFailed, RateLimited, Internal,
    ),
)]
pub async fn reset_password(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<PasswordResetRequest>,
) -> Result<Json<LoginResponse>, ApiError> {
    let input = ResetInput {
        username: &request.username,
        code: &request.code,
        new_password: &request.new_password,
        device_name: &request.device_name,
    };
    Ok(Json(login_response(account::reset_password(&state.db, input).await?)))
}

/// An admin's reset code for a participant or peer worker, to read to them.
/// (An admin's own is issued by the server's command line.)
#[utoipa::path(
    post, path = "/v1/admin/reset-codes", tag = "accounts", operation_id = "issue_reset_code",
    security(("bearer" = [])),
    request_body = ResetCodeRequest,
    responses(
        (status = 201, description = "The code, shown only now, to read to the person.", body = ResetCodeResponse),
        InvalidRequest, Unauthorized, Forbidden, NotFound, PayloadTooLarge, ValidationFailed, Internal,
    ),
)]
pub async fn reset_code(
    State(state): State<AppState>,
    Authenticated(session): Authenticated,
    ApiJson(request): ApiJson<ResetCodeRequest>,
) -> Result<(StatusCode, Json<ResetCodeResponse>), ApiError> {
    require_admin(&session)?;
    let user = existing_user(&state, "user_id", &request.user_id).await?;
    if user.role == Role::Admin {
        return Err(ApiError::Forbidden("an admin's reset code comes from the server's command line".into()));
    }
    let (code, expires_at) = account::issue_reset_code(&state.db, &user, &session.user.id).await?;
    tracing::info!(admin_id = %session.user.id, user_id = %user.id, "reset code given");
    Ok((StatusCode::CREATED, Json(ResetCodeResponse { code, expires_at: instant(expires_at) })))
}

/// A participant deletes their own account, confirming their password.
#[utoipa::path(
    post, path = "/v1/me/erase", tag = "accounts", operation_id = "erase_own_account",
    security(("bearer" = [])),
    request_body = EraseRequest,
    responses(
        (status = 200, description = "Erased (protocol/README.md, \"Accounts\").", body = ErasureResponse),
        InvalidRequest, Unauthorized, Forbidden, PayloadTooLarge, ValidationFailed, RateLimited, Internal,
    ),
)]
pub async fn erase_own(
    State(state): State<AppState>,
    Authenticated(session): Authenticated,
    ApiJson(request): ApiJson<EraseRequest>,
) -> Result<Json<ErasureResponse>, ApiError> {
    if session.user.role != Role::Participant {
        return Err(ApiError::Forbidden("a peer worker's or admin's account is closed by an admin".into()));
    }
    account::confirm_password(&state.db, &session.user, &request.password, "password").await?;
    let erased = erasure::erase(&state.db, &session.user, &session.user).await?;
    Ok(Json(announce(&state, &session.user, erased)))
}

/// An admin erases a participant's account on their request.
#[utoipa::path(
    post, path = "/v1/admin/erase", tag = "accounts", operation_id = "erase_participant",
    security(("bearer" = [])),
    request_body = AdminEraseRequest,
    responses(
        (status = 200, description = "Erased (protocol/README.md, \"Accounts\").", body = ErasureResponse),
        InvalidRequest, Unauthorized, Forbidden, NotFound, PayloadTooLarge, ValidationFailed, Internal,
    ),
)]
pub async fn erase_participant(
    State(state): State<AppState>,
    Authenticated(session): Authenticated,
    ApiJson(request): ApiJson<AdminEraseRequest>,
) -> Result<Json<ErasureResponse>, ApiError> {
    require_admin(&session)?;
    let participant = existing_user(&state, "participant_id", &request.participant_id).await?;
    if participant.role != Role::Participant {
        return Err(ApiError::validation("participant_id", format!("is a {}, not a participant", participant.role)));
    }
    let erased = erasure::erase(&state.db, &participant, &session.user).await?;
    Ok(Json(announce(&state, &participant, erased)))
}

/// An admin closes the account of a peer worker or admin who leaves the program.
#[utoipa::path(
    post, path = "/v1/admin/close", tag = "accounts", operation_id = "close_account",
    security(("bearer" = [])),
    request_body = AdminCloseRequest,
    responses(
        (status = 200, description = "Closed (protocol/README.md, \"Accounts\").", body = ClosureResponse),
        InvalidRequest, Unauthorized, Forbidden, NotFound, PayloadTooLarge, ValidationFailed, Internal,
    ),
)]
pub async fn close_account(
    State(state): State<AppState>,
    Authenticated(session): Authenticated,
    ApiJson(request): ApiJson<AdminCloseRequest>,
) -> Result<Json<ClosureResponse>, ApiError> {
    require_admin(&session)?;
    let account = existing_user(&state, "user_id", &request.user_id).await?;
    let closed = closure::close(&state.db, &account, Some(&session.user)).await?;
    let participants_released = u64::try_from(closed.participants.len()).unwrap_or(u64::MAX);
    // Their devices come to hear they must clear themselves; their
    // participants' phones, whom they can reach now.
    let mut users = closed.participants;
    users.push(account.id);
    state.events.announce_users(users);
    Ok(Json(ClosureResponse { participants_released, devices_signed_out: closed.devices_signed_out }))
}

/// Tells the erased participant's devices (to wipe themselves) and their
/// former peer workers' devices (to purge) to come and hear it.
fn announce(state: &AppState, participant: &User, erased: Erased) -> ErasureResponse {
    let mut users = erased.peer_workers;
    users.push(participant.id.clone());
    state.events.announce_users(users);
    ErasureResponse { records_deleted: erased.records_deleted }
}

/// The user `id` names; an unknown or erased one is 404.
async fn existing_user(state: &AppState, field: &'static str, id: &str) -> Result<User, ApiError> {
    check_id(field, id).map_err(|e| ApiError::validation(field, e.to_string()))?;
    state.db.user(id).await?.ok_or_else(|| ApiError::NotFound(format!("no user with that {field}")))
}
