//! `POST /v1/auth/login`, `/v1/auth/logout`, `/v1/auth/register` and `POST /v1/invites`.

use alongside_protocol::protocol::{InviteRequest, InviteResponse, LoginRequest, LoginResponse, RegisterRequest, UserView};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use super::AppState;
use super::extract::{ApiJson, Authenticated, ClientAddr};
use super::failures::{Conflict, Forbidden, Internal, InvalidRequest, PayloadTooLarge, RateLimited, Unauthorized, ValidationFailed};
use crate::auth::{self, Login, RegisterInput};
use crate::error::ApiError;
use crate::store::{Role, Store, User};

/// A user as the API shows them.
pub fn user_view(user: User) -> UserView {
    UserView { id: user.id, role: user.role.name().to_owned(), display_name: user.display_name }
}

pub(super) fn login_response(login: Login) -> LoginResponse {
    LoginResponse { token: login.token, device_id: login.device_id, user: user_view(login.user) }
}

/// Signs a device in: a new token for it. Wrong username and wrong password
/// are the same 401; repeated failures for a username are 429.
#[utoipa::path(
    post, path = "/v1/auth/login", tag = "auth", operation_id = "login",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in; the token is shown only now.", body = LoginResponse),
        InvalidRequest, Unauthorized, PayloadTooLarge, ValidationFailed, RateLimited, Internal,
    ),
)]
pub async fn login(State(state): State<AppState>, ApiJson(request): ApiJson<LoginRequest>) -> Result<Json<LoginResponse>, ApiError> {
    let login = auth::login(&state.db, &request.username, &request.password, &request.device_name).await?;
    Ok(Json(login_response(login)))
}

/// Signs this device out: its token stops working.
#[utoipa::path(
    post, path = "/v1/auth/logout", tag = "auth", operation_id = "logout",
    security(("bearer" = [])),
    responses((status = 204, description = "Signed out."), InvalidRequest, Unauthorized, Internal),
)]
pub async fn logout(State(state): State<AppState>, Authenticated(session): Authenticated) -> Result<StatusCode, ApiError> {
    auth::logout(&state.db, &session).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Creates a participant from a peer worker's invite code, on their
/// caseload, and signs the device in. Failed attempts are rate-limited per
/// client address.
#[utoipa::path(
    post, path = "/v1/auth/register", tag = "auth", operation_id = "register",
    request_body = RegisterRequest,
    responses(
        (status = 201, description = "Registered and signed in.", body = LoginResponse),
        InvalidRequest, PayloadTooLarge, Conflict, ValidationFailed, RateLimited, Internal,
    ),
)]
pub async fn register(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    ApiJson(request): ApiJson<RegisterRequest>,
) -> Result<(StatusCode, Json<LoginResponse>), ApiError> {
    let input = RegisterInput {
        invite_code: &request.invite_code,
        username: &request.username,
        password: &request.password,
        display_name: &request.display_name,
        device_name: &request.device_name,
        client,
    };
    let login = auth::register(&state.db, input).await?;
    // The inviting peer worker's devices learn of their new participant.
    let peers = state.db.peer_workers_of(&login.user.id).await?;
    state.events.announce_users(peers);
    Ok((StatusCode::CREATED, Json(login_response(login))))
}

/// A single-use code for a new participant of this peer worker's caseload.
#[utoipa::path(
    post, path = "/v1/invites", tag = "auth", operation_id = "create_invite",
    security(("bearer" = [])),
    request_body = InviteRequest,
    responses(
        (status = 201, description = "The code, shown only now, and when it expires.", body = InviteResponse),
        InvalidRequest, Unauthorized, Forbidden, PayloadTooLarge, ValidationFailed, RateLimited, Internal,
    ),
)]
pub async fn invite(
    State(state): State<AppState>,
    Authenticated(session): Authenticated,
    ApiJson(request): ApiJson<InviteRequest>,
) -> Result<(StatusCode, Json<InviteResponse>), ApiError> {
    if session.user.role != Role::PeerWorker {
        return Err(ApiError::Forbidden("only peer workers invite participants".into()));
    }
    let (code, expires_at) = auth::create_invite(&state.db, &session.user.id, &request.display_name).await?;
    Ok((StatusCode::CREATED, Json(InviteResponse { code, expires_at: instant(expires_at) })))
}

/// Unix milliseconds as an RFC 3339 instant in UTC.
pub fn instant(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
