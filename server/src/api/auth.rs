//! `POST /v1/auth/login` and `POST /v1/auth/logout`.

use alongside_core::protocol::{LoginRequest, LoginResponse, UserView};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use super::AppState;
use super::extract::{ApiJson, Authenticated};
use crate::auth;
use crate::error::ApiError;
use crate::store::User;

/// A user as the API shows them.
fn user_view(user: User) -> UserView {
    UserView { id: user.id, role: user.role.name().to_owned(), display_name: user.display_name }
}

pub async fn login(State(state): State<AppState>, ApiJson(request): ApiJson<LoginRequest>) -> Result<Json<LoginResponse>, ApiError> {
    let login = auth::login(&state.db, &request.username, &request.password, &request.device_name).await?;
    Ok(Json(LoginResponse { token: login.token, device_id: login.device_id, user: user_view(login.user) }))
}

pub async fn logout(State(state): State<AppState>, Authenticated(session): Authenticated) -> Result<StatusCode, ApiError> {
    auth::logout(&state.db, &session).await?;
    Ok(StatusCode::NO_CONTENT)
}
