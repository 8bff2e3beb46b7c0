//! Signing a device in and out. The token lives only inside the encrypted
//! store, and only its holder ever sees it.

use std::sync::Arc;

use super::client::{SyncClient, SyncError};
use super::pass::blocking;
use crate::protocol::{LoginRequest, LoginResponse, RegisterRequest};
use crate::store::{Session, Store};

/// Signs this device in and keeps the session in the store.
pub async fn sign_in(
    store: &Arc<Store>,
    client: &SyncClient,
    username: &str,
    password: &str,
    device_name: &str,
) -> Result<Session, SyncError> {
    let request = LoginRequest { username: username.to_owned(), password: password.to_owned(), device_name: device_name.to_owned() };
    keep(store, client.login(&request).await?).await
}

/// Creates a participant's account from their peer worker's invite code and
/// signs this device in.
pub async fn register(store: &Arc<Store>, client: &SyncClient, request: &RegisterRequest) -> Result<Session, SyncError> {
    keep(store, client.register(request).await?).await
}

/// Keeps a login's session in the store.
async fn keep(store: &Arc<Store>, response: LoginResponse) -> Result<Session, SyncError> {
    let session = Session {
        token: response.token,
        device_id: response.device_id,
        user_id: response.user.id,
        role: response.user.role,
        display_name: response.user.display_name,
    };
    let stored = session.clone();
    blocking(store, move |s| s.set_session(Some(&stored))).await?;
    Ok(session)
}

/// Signs out: the server revokes the token and the device forgets it. Changes
/// not yet sent stay in the outbox for the next sign-in. Offline, the token is
/// forgotten here all the same (it is useless without the device).
pub async fn sign_out(store: &Arc<Store>, client: &SyncClient) -> Result<(), SyncError> {
    if let Some(session) = blocking(store, |s| s.session()).await? {
        match client.logout(&session.token).await {
            Ok(()) | Err(SyncError::Offline(_) | SyncError::Server { status: 401, .. }) => {}
            Err(other) => return Err(other),
        }
    }
    blocking(store, |s| s.set_session(None)).await
}
