//! Authentication: login (password check, rate limit, device token), bearer
//! token lookup and logout. Users are created by the CLI ([`add_user`]).

pub mod account;
pub mod closure;
pub mod erasure;
pub mod invite;
pub mod password;
pub mod rate_limit;
pub mod spoken_code;
pub mod token;

use uuid::Uuid;

use self::spoken_code::Purpose;

use crate::clock::wall_ms;
use crate::error::ApiError;
use crate::store::{Access, Database, NewInvite, Registration, Role, Session, Store, StoreError, User, queries};

/// The one message for a wrong username and a wrong password, so a response
/// never tells which usernames exist.
pub const WRONG_CREDENTIALS: &str = "wrong username or password";

/// Longest device name, in characters.
pub const MAX_DEVICE_NAME_CHARS: usize = 100;

/// A successful login (its `Debug` leaves the token out).
#[derive(Clone)]
pub struct Login {
    /// The bearer token; shown only now.
    pub token: String,
    pub device_id: String,
    pub user: User,
}

alongside_protocol::redacted_debug!(Login { device_id });

/// Checks a username and password and, if they match, registers a device and
/// returns its new token.
pub async fn login(db: &Database, username: &str, password: &str, device_name: &str) -> Result<Login, ApiError> {
    let device_name = check_device_name(device_name)?;
    // A username no user can have (see `check_new_user`) is wrong without
    // asking the database, whose text type may not even hold it (NUL).
    if username.is_empty() || username.chars().count() > 64 || username.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(ApiError::Unauthorized(WRONG_CREDENTIALS.into()));
    }
    let now = wall_ms();
    check_login_rate(db, username, now).await?;
    let credentials = db.credentials(username).await?;
    let matches = password_matches(password, credentials.as_ref().map(|c| c.password_hash.as_str())).await?;
    let user = match credentials {
        Some(credentials) if matches => credentials.user,
        _ => {
            record_failed_attempt(db, username, now).await?;
            tracing::info!("login failed");
            return Err(ApiError::Unauthorized(WRONG_CREDENTIALS.into()));
        }
    };
    db.clear_login_failures(username).await?;
    let token = token::generate().map_err(|e| ApiError::internal(format!("no system randomness: {e}")))?;
    let device_id = db.create_device(&user.id, &device_name, &token::digest(&token), now).await?;
    tracing::info!(user_id = %user.id, device_id = %device_id, "login");
    Ok(Login { token, device_id, user })
}

/// The session a bearer token belongs to.
pub async fn authenticate(db: &Database, token: &str) -> Result<Session, ApiError> {
    match db.session(&token::digest(token)).await? {
        None => Err(ApiError::Unauthorized("the token is missing, unknown or revoked".into())),
        Some(Access::Wiped) => Err(ApiError::DeviceWiped),
        Some(Access::Session { session, last_seen_ms }) => {
            // "Last seen" to the minute is enough for a person's list of
            // devices, and costs one write per device per minute at most.
            let now = wall_ms();
            if last_seen_ms.is_none_or(|seen| now - seen >= LAST_SEEN_RESOLUTION_MS) {
                db.touch_device(&session.device_id, now).await?;
            }
            Ok(session)
        }
    }
}

/// How stale a device's "last seen" may be.
const LAST_SEEN_RESOLUTION_MS: i64 = 60_000;

/// Ends a device's session: its token stops working.
pub async fn logout(db: &Database, session: &Session) -> Result<(), ApiError> {
    db.revoke_device(&session.device_id, wall_ms()).await?;
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

/// Checks a new user's username, display name and password; the error names the field.
pub fn check_new_user(username: &str, display_name: &str, password: &str) -> Result<(), (&'static str, String)> {
    if username.is_empty() || username.chars().count() > 64 || username.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(("username", "a username is 1 to 64 characters without spaces".into()));
    }
    let display_name = display_name.trim();
    if display_name.is_empty() || display_name.chars().count() > 80 || display_name.chars().any(char::is_control) {
        return Err(("display_name", "a display name is 1 to 80 characters".into()));
    }
    check_new_password(password).map_err(|reason| ("password", reason))
}

/// Whether a password may be chosen; the error says what one must be.
pub fn check_new_password(password: &str) -> Result<(), String> {
    if password.chars().count() < password::MIN_PASSWORD_CHARS || password.len() > password::MAX_PASSWORD_BYTES {
        return Err(format!(
            "a password is at least {} characters and at most {} bytes",
            password::MIN_PASSWORD_CHARS,
            password::MAX_PASSWORD_BYTES
        ));
    }
    Ok(())
}

/// A device's name as it signs in, trimmed, or why it cannot be one.
pub fn check_device_name(device_name: &str) -> Result<String, ApiError> {
    let device_name = device_name.trim();
    if device_name.is_empty() || device_name.chars().count() > MAX_DEVICE_NAME_CHARS || device_name.chars().any(char::is_control) {
        return Err(ApiError::validation("device_name", format!("must be 1 to {MAX_DEVICE_NAME_CHARS} characters")));
    }
    Ok(device_name.to_owned())
}

/// Refuses another password attempt under `key` (a username: login and reset
/// codes count together) while too many failed within the window.
pub async fn check_login_rate(db: &Database, key: &str, now_ms: i64) -> Result<(), ApiError> {
    let failures = db.login_failures(key, now_ms - rate_limit::WINDOW_MS).await?;
    rate_limit::check(&failures, now_ms).map_err(|retry_after_secs| ApiError::RateLimited { retry_after_secs })
}

/// Counts a failed attempt under `key` for [`check_login_rate`] (and the
/// registration limit), forgetting those that left the window.
pub async fn record_failed_attempt(db: &Database, key: &str, now_ms: i64) -> Result<(), StoreError> {
    db.record_login_failure(key, now_ms, now_ms - rate_limit::WINDOW_MS).await
}

/// Whether `password` matches `stored_hash` (none: an unknown user, which
/// costs the same time), checked on a blocking thread.
pub async fn password_matches(password: &str, stored_hash: Option<&str>) -> Result<bool, ApiError> {
    if password.len() > password::MAX_PASSWORD_BYTES {
        return Ok(false);
    }
    let (password, stored) = (password.to_owned(), stored_hash.map(str::to_owned));
    tokio::task::spawn_blocking(move || password::verify(&password, stored.as_deref()))
        .await
        .map_err(|e| ApiError::internal(format!("password check did not finish: {e}")))
}

/// Hashes a password on a blocking thread.
pub async fn hash_password(password: &str) -> Result<String, AddUserError> {
    let owned = password.to_owned();
    Ok(tokio::task::spawn_blocking(move || password::hash(&owned))
        .await
        .map_err(|e| AddUserError::Invalid(format!("password hashing did not finish: {e}")))??)
}

/// Creates a user with a new lowercase UUID. Hashing runs on a blocking thread.
pub async fn add_user(db: &Database, username: &str, role: Role, display_name: &str, password: &str) -> Result<User, AddUserError> {
    check_new_user(username, display_name, password).map_err(|(_, reason)| AddUserError::Invalid(reason))?;
    let hash = hash_password(password).await?;
    let user = User { id: Uuid::new_v4().to_string(), username: username.to_owned(), role, display_name: display_name.trim().to_owned() };
    db.create_user(&user, &hash, wall_ms()).await?;
    Ok(user)
}

/// A new invite for `peer_worker`'s caseload; returns the code (shown only
/// now) and when it expires.
pub async fn create_invite(db: &Database, peer_worker_id: &str, display_name: &str) -> Result<(String, i64), ApiError> {
    let display_name = display_name.trim();
    if display_name.is_empty() || display_name.chars().count() > 80 || display_name.chars().any(char::is_control) {
        return Err(ApiError::validation("display_name", "must be 1 to 80 characters"));
    }
    let now = wall_ms();
    if db.invites_since(peer_worker_id, now - invite::INVITE_WINDOW_MS).await? >= invite::MAX_INVITES_PER_WINDOW {
        return Err(ApiError::RateLimited { retry_after_secs: u64::try_from(invite::INVITE_WINDOW_MS / 1000).unwrap_or(3600) });
    }
    let (code, code_hash) = spoken_code::issue(Purpose::Invite).map_err(|e| ApiError::internal(format!("no system randomness: {e}")))?;
    let expires_at = now + invite::VALID_MS;
    let new = NewInvite {
        code_hash,
        peer_worker_id: peer_worker_id.to_owned(),
        display_name: display_name.to_owned(),
        created_at_ms: now,
        expires_at_ms: expires_at,
    };
    db.create_invite(&new).await?;
    tracing::info!(peer_worker_id = %peer_worker_id, "invite created");
    Ok((code, expires_at))
}

/// What registration needs besides the request (its `Debug` shows only the device's name).
#[derive(Clone)]
pub struct RegisterInput<'a> {
    pub invite_code: &'a str,
    pub username: &'a str,
    pub password: &'a str,
    pub display_name: &'a str,
    pub device_name: &'a str,
    /// Rate-limit key: the client's address.
    pub client: String,
}

impl std::fmt::Debug for RegisterInput<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegisterInput").field("device_name", &self.device_name).finish_non_exhaustive()
    }
}

/// Creates a participant from an invite, on the inviting peer worker's
/// caseload, and signs their device in. Failed attempts (unknown, expired or
/// used codes) are rate-limited per client address, in the database so every
/// instance counts them. Returns the login and the inviting peer worker's id.
pub async fn register(db: &Database, input: RegisterInput<'_>) -> Result<Login, ApiError> {
    let now = wall_ms();
    // The key cannot be a username (usernames have no spaces).
    let limit_key = format!("register {}", input.client);
    let failures = db.login_failures(&limit_key, now - rate_limit::WINDOW_MS).await?;
    rate_limit::check_with(&failures, now, invite::MAX_REGISTER_FAILURES)
        .map_err(|retry_after_secs| ApiError::RateLimited { retry_after_secs })?;
    let failed = |db: &Database| {
        let (key, db) = (limit_key.clone(), db.clone());
        async move { record_failed_attempt(&db, &key, now).await }
    };
    let unknown = || ApiError::validation("invite_code", "is unknown or has expired; ask your peer worker for a new one");
    let Some(code) = spoken_code::normalize(input.invite_code) else {
        failed(db).await?;
        return Err(unknown());
    };
    let device_name = check_device_name(input.device_name)?;
    check_new_user(input.username, input.display_name, input.password).map_err(|(field, reason)| ApiError::validation(field, reason))?;
    let password_hash = hash_password(input.password).await.map_err(|e| ApiError::internal(e.to_string()))?;
    let token = token::generate().map_err(|e| ApiError::internal(format!("no system randomness: {e}")))?;
    let user = User {
        id: Uuid::new_v4().to_string(),
        username: input.username.to_owned(),
        role: Role::Participant,
        display_name: input.display_name.trim().to_owned(),
    };
    let registration = Registration {
        code_hash: spoken_code::digest(Purpose::Invite, &code),
        user: user.clone(),
        password_hash,
        device_name,
        token_hash: token::digest(&token),
        now_ms: now,
    };
    match register_in_store(db, registration).await? {
        Registered::Done { device_id } => {
            tracing::info!(user_id = %user.id, device_id = %device_id, "registered");
            Ok(Login { token, device_id, user })
        }
        Registered::UnknownCode | Registered::ExpiredCode => {
            failed(db).await?;
            Err(unknown())
        }
        Registered::UsedCode => {
            failed(db).await?;
            Err(ApiError::Conflict("this invite code was used already; ask your peer worker for a new one".into()))
        }
        Registered::UsernameTaken => Err(ApiError::Conflict("that username is taken; choose another".into())),
    }
}

/// What became of a registration.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Registered {
    /// The user exists, on the inviting peer worker's caseload, with a device.
    Done {
        device_id: String,
    },
    UnknownCode,
    ExpiredCode,
    UsedCode,
    UsernameTaken,
}

/// Uses an invite in one transaction: the invite is locked, judged by
/// [`invite::judge`], and only if it holds are the user, their place on the
/// caseload, the used mark and the device written.
async fn register_in_store(db: &Database, r: Registration) -> Result<Registered, StoreError> {
    db.write(move |tx| {
        Box::pin(async move {
            let invite = queries::invite_for_update(tx, &r.code_hash).await?;
            let peer_worker_id = match invite::judge(invite.as_ref(), r.now_ms) {
                Ok(peer_worker_id) => peer_worker_id.to_owned(),
                Err(invite::Unusable::Unknown) => return Ok(Registered::UnknownCode),
                Err(invite::Unusable::Expired) => return Ok(Registered::ExpiredCode),
                Err(invite::Unusable::Used) => return Ok(Registered::UsedCode),
            };
            // The peer worker who gave it left the program (their account
            // closed): the code opens nothing. Locked, so a closing waits.
            if !queries::present_for_update(tx, &peer_worker_id).await? {
                return Ok(Registered::UnknownCode);
            }
            if queries::username_taken(tx, &r.user.username).await? {
                return Ok(Registered::UsernameTaken);
            }
            match queries::insert_user(tx, &r.user, &r.password_hash, r.now_ms).await {
                // Taken meanwhile by another instance: this transaction is
                // void on PostgreSQL, and nothing else is to be written.
                Err(StoreError::Unique) => return Ok(Registered::UsernameTaken),
                other => other?,
            }
            queries::mark_invite_used(tx, &r.code_hash, &r.user.id, r.now_ms).await?;
            queries::assign(tx, &peer_worker_id, &r.user.id, r.now_ms).await?;
            let device_id = queries::insert_device(tx, &r.user.id, &r.device_name, &r.token_hash, r.now_ms).await?;
            Ok(Registered::Done { device_id })
        })
    })
    .await
}
