//! A person's password: changed by them (every other device signed out), or
//! replaced with a single-use reset code an admin reads to them (every device
//! signed out, this one signed in). Codes are spoken codes
//! (`spoken_code`), valid for a day, and guessing is bounded by the login
//! rate limit of the username they are for.

use super::spoken_code::{self, Purpose};
use super::{
    Login, check_device_name, check_login_rate, check_new_password, hash_password, password_matches, record_failed_attempt, token,
};
use crate::clock::wall_ms;
use crate::error::ApiError;
use crate::store::accounts;
use crate::store::{Database, Session, Store, StoreError, User, queries};

/// How long a reset code works.
pub const RESET_CODE_VALID_MS: i64 = 24 * 60 * 60 * 1000;

/// The one answer to a reset with a wrong username or code, so it never
/// tells which usernames exist or have a code.
pub const WRONG_RESET_CODE: &str = "that code does not work for this username; ask for a new one";

/// Checks the password of the person signed in. Wrong ones are limited
/// like login's (five per window), but on a count of their own: someone
/// guessing on an unlocked phone must not lock its owner out of signing in
/// elsewhere. `field` is the request's name for the password.
pub async fn confirm_password(db: &Database, user: &User, password: &str, field: &'static str) -> Result<(), ApiError> {
    let now = wall_ms();
    // The key cannot be a username (usernames have no spaces).
    let limit_key = format!("confirm {}", user.id);
    check_login_rate(db, &limit_key, now).await?;
    let stored = db.credentials(&user.username).await?.map(|c| c.password_hash);
    if password_matches(password, stored.as_deref()).await? {
        return Ok(());
    }
    record_failed_attempt(db, &limit_key, now).await?;
    Err(ApiError::validation(field, "is not your current password"))
}

/// Changes the password of the person signed in; every other device of
/// theirs is signed out. Returns how many.
pub async fn change_password(db: &Database, session: &Session, current: &str, new: &str) -> Result<u32, ApiError> {
    check_new_password(new).map_err(|reason| ApiError::validation("new_password", reason))?;
    confirm_password(db, &session.user, current, "current_password").await?;
    let hash = hash_password(new).await.map_err(|e| ApiError::internal(e.to_string()))?;
    let (user_id, device_id, now) = (session.user.id.clone(), session.device_id.clone(), wall_ms());
    let ended = db
        .write(move |tx| {
            Box::pin(async move {
                accounts::set_password(tx, &user_id, &hash).await?;
                accounts::sign_out_devices(tx, &user_id, Some(&device_id), now).await
            })
        })
        .await?;
    tracing::info!(user_id = %session.user.id, signed_out = ended, "password changed");
    Ok(u32::try_from(ended).unwrap_or(u32::MAX))
}

/// A new reset code for `user`, replacing any before; returns the code
/// (shown only now) and when it expires. Who may ask is the caller's rule.
pub async fn issue_reset_code(db: &Database, user: &User, issued_by: &str) -> Result<(String, i64), ApiError> {
    let (code, hash) = spoken_code::issue(Purpose::PasswordReset).map_err(|e| ApiError::internal(format!("no system randomness: {e}")))?;
    let now = wall_ms();
    let expires = now + RESET_CODE_VALID_MS;
    let (user_id, issued_by) = (user.id.clone(), issued_by.to_owned());
    db.write(move |tx| Box::pin(async move { accounts::put_reset_code(tx, &user_id, &hash, &issued_by, now, expires).await })).await?;
    tracing::info!(user_id = %user.id, "reset code issued");
    Ok((code, expires))
}

/// What a reset needs (its `Debug` shows none of it).
pub struct ResetInput<'a> {
    pub username: &'a str,
    pub code: &'a str,
    pub new_password: &'a str,
    pub device_name: &'a str,
}

impl std::fmt::Debug for ResetInput<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResetInput").finish_non_exhaustive()
    }
}

/// Sets a new password with a reset code, which is used up; every device of
/// the person is signed out and this one signed in.
pub async fn reset_password(db: &Database, input: ResetInput<'_>) -> Result<Login, ApiError> {
    let now = wall_ms();
    check_login_rate(db, input.username, now).await?;
    let device_name = check_device_name(input.device_name)?;
    check_new_password(input.new_password).map_err(|reason| ApiError::validation("new_password", reason))?;
    let failed = || async {
        record_failed_attempt(db, input.username, now).await?;
        tracing::info!("password reset refused");
        Err::<Login, ApiError>(ApiError::Unauthorized(WRONG_RESET_CODE.into()))
    };
    let Some(code) = spoken_code::normalize(input.code) else { return failed().await };
    let hash = hash_password(input.new_password).await.map_err(|e| ApiError::internal(e.to_string()))?;
    let token = token::generate().map_err(|e| ApiError::internal(format!("no system randomness: {e}")))?;
    let (username, code_hash, token_hash) =
        (input.username.to_owned(), spoken_code::digest(Purpose::PasswordReset, &code), token::digest(&token));
    let reset = db
        .write(move |tx| {
            Box::pin(async move {
                let Some((user, expires_ms)) = accounts::take_reset_code(tx, &username, &code_hash).await? else { return Ok(None) };
                if expires_ms <= now {
                    return Ok(None);
                }
                accounts::set_password(tx, &user.id, &hash).await?;
                accounts::sign_out_devices(tx, &user.id, None, now).await?;
                let device_id = queries::insert_device(tx, &user.id, &device_name, &token_hash, now).await?;
                Ok::<_, StoreError>(Some((user, device_id)))
            })
        })
        .await?;
    let Some((user, device_id)) = reset else { return failed().await };
    db.clear_login_failures(input.username).await?;
    tracing::info!(user_id = %user.id, device_id = %device_id, "password reset");
    Ok(Login { token, device_id, user })
}
