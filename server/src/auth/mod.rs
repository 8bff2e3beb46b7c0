//! Authentication: login (password check, rate limit, device token), bearer
//! token lookup and logout. Users are created by the CLI ([`add_user`]).

pub mod password;
pub mod rate_limit;
pub mod token;

use alongside_core::hlc::wall_clock_ms;
use uuid::Uuid;

use crate::error::ApiError;
use crate::store::{Database, Role, Session, Store, StoreError, User};

/// The one message for a wrong username and a wrong password, so a response
/// never tells which usernames exist.
pub const WRONG_CREDENTIALS: &str = "wrong username or password";

/// Longest device name, in characters.
pub const MAX_DEVICE_NAME_CHARS: usize = 100;

/// A successful login.
#[derive(Debug, Clone)]
pub struct Login {
    /// The bearer token; shown only now.
    pub token: String,
    pub device_id: String,
    pub user: User,
}

pub(crate) fn now_ms() -> i64 {
    i64::try_from(wall_clock_ms()).unwrap_or(i64::MAX)
}

/// Checks a username and password and, if they match, registers a device and
/// returns its new token.
pub async fn login(db: &Database, username: &str, password: &str, device_name: &str) -> Result<Login, ApiError> {
    let device_name = device_name.trim();
    if device_name.is_empty() || device_name.chars().count() > MAX_DEVICE_NAME_CHARS {
        return Err(ApiError::validation("device_name", format!("must be 1 to {MAX_DEVICE_NAME_CHARS} characters")));
    }
    let now = now_ms();
    let failures = db.login_failures(username, now - rate_limit::WINDOW_MS).await?;
    rate_limit::check(&failures, now).map_err(|retry_after_secs| ApiError::RateLimited { retry_after_secs })?;

    let credentials = db.credentials(username).await?;
    let matches = if password.len() > password::MAX_PASSWORD_BYTES {
        false
    } else {
        let stored = credentials.as_ref().map(|c| c.password_hash.clone());
        let password = password.to_owned();
        tokio::task::spawn_blocking(move || password::verify(&password, stored.as_deref()))
            .await
            .map_err(|e| ApiError::internal(format!("password check did not finish: {e}")))?
    };
    let user = match credentials {
        Some(credentials) if matches => credentials.user,
        _ => {
            db.record_login_failure(username, now, now - rate_limit::WINDOW_MS).await?;
            tracing::info!("login failed");
            return Err(ApiError::Unauthorized(WRONG_CREDENTIALS.into()));
        }
    };
    db.clear_login_failures(username).await?;
    let token = token::generate().map_err(|e| ApiError::internal(format!("no system randomness: {e}")))?;
    let device_id = db.create_device(&user.id, device_name, &token::digest(&token), now).await?;
    tracing::info!(user_id = %user.id, device_id = %device_id, "login");
    Ok(Login { token, device_id, user })
}

/// The session a bearer token belongs to.
pub async fn authenticate(db: &Database, token: &str) -> Result<Session, ApiError> {
    db.session(&token::digest(token)).await?.ok_or_else(|| ApiError::Unauthorized("the token is missing, unknown or revoked".into()))
}

/// Ends a device's session: its token stops working.
pub async fn logout(db: &Database, session: &Session) -> Result<(), ApiError> {
    db.revoke_device(&session.device_id, now_ms()).await?;
    tracing::info!(user_id = %session.user.id, device_id = %session.device_id, "logout");
    Ok(())
}

/// Why a user could not be added.
#[derive(Debug, thiserror::Error)]
pub enum AddUserError {
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Password(#[from] password::PasswordError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Creates a user with a new lowercase UUID. Hashing runs on a blocking thread.
pub async fn add_user(db: &Database, username: &str, role: Role, display_name: &str, password: &str) -> Result<User, AddUserError> {
    if username.is_empty() || username.chars().count() > 64 || username.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(AddUserError::Invalid("a username is 1 to 64 characters without spaces".into()));
    }
    let display_name = display_name.trim();
    if display_name.is_empty() || display_name.chars().count() > 80 {
        return Err(AddUserError::Invalid("a display name is 1 to 80 characters".into()));
    }
    if password.chars().count() < password::MIN_PASSWORD_CHARS || password.len() > password::MAX_PASSWORD_BYTES {
        return Err(AddUserError::Invalid(format!(
            "a password is at least {} characters and at most {} bytes",
            password::MIN_PASSWORD_CHARS,
            password::MAX_PASSWORD_BYTES
        )));
    }
    let owned = password.to_owned();
    let hash = tokio::task::spawn_blocking(move || password::hash(&owned))
        .await
        .map_err(|e| AddUserError::Invalid(format!("password hashing did not finish: {e}")))??;
    let user = User { id: Uuid::new_v4().to_string(), username: username.to_owned(), role, display_name: display_name.to_owned() };
    db.create_user(&user, &hash, now_ms()).await?;
    Ok(user)
}
