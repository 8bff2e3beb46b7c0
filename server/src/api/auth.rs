//! `POST /v1/auth/login` and `POST /v1/auth/logout`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use super::AppState;
use super::extract::{ApiJson, Authenticated};
use crate::auth;
use crate::error::ApiError;
use crate::store::User;

#[derive(Debug, Deserialize)]
pub struct LoginRequest {
    username: String,
    password: String,
    device_name: String,
}

#[derive(Debug, Serialize)]
pub struct LoginResponse {
    token: String,
    device_id: String,
    user: UserView,
}

/// A user as the API shows it.
#[derive(Debug, Serialize)]
pub struct UserView {
    id: String,
    role: &'static str,
    display_name: String,
}

impl From<User> for UserView {
    fn from(user: User) -> Self {
        UserView { id: user.id, role: user.role.name(), display_name: user.display_name }
    }
}

pub async fn login(State(state): State<AppState>, ApiJson(request): ApiJson<LoginRequest>) -> Result<Json<LoginResponse>, ApiError> {
    let login = auth::login(&state.db, &request.username, &request.password, &request.device_name).await?;
    Ok(Json(LoginResponse { token: login.token, device_id: login.device_id, user: login.user.into() }))
}

pub async fn logout(State(state): State<AppState>, Authenticated(session): Authenticated) -> Result<StatusCode, ApiError> {
    auth::logout(&state.db, &session).await?;
    Ok(StatusCode::NO_CONTENT)
}
