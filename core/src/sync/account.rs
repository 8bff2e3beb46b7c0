//! Signing a device in and out, a new password, and leaving. The token lives
//! only inside the encrypted store, and only its holder ever sees it.

use std::sync::Arc;

use super::client::{SyncClient, SyncError};
use super::pass::{blocking, token};
use crate::accounts::{EraseRequest, PasswordChangeRequest, PasswordResetRequest};
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

/// A new password. The person's other devices are signed out; returns how many.
pub async fn change_password(store: &Arc<Store>, client: &SyncClient, current: &str, new: &str) -> Result<u32, SyncError> {
    let request = PasswordChangeRequest { current_password: current.to_owned(), new_password: new.to_owned() };
    Ok(client.change_password(&token(store).await?, &request).await?.signed_out_devices)
}

/// A new password with the reset code an admin read out: every device of
/// the person is signed out on the server, and this one signed in.
pub async fn reset_password(store: &Arc<Store>, client: &SyncClient, request: &PasswordResetRequest) -> Result<Session, SyncError> {
    keep(store, client.reset_password(request).await?).await
}

/// A participant deletes their account: the server forgets them (and their
/// peer workers' devices purge their copies), then this device deletes
/// everything it holds, as a cleared phone does. Returns how many records
/// the server deleted. Nothing is deleted here unless the server did it.
pub async fn erase_account(store: &Arc<Store>, client: &SyncClient, password: &str) -> Result<u64, SyncError> {
    let request = EraseRequest { password: password.to_owned() };
    let erased = client.erase_account(&token(store).await?, &request).await?;
    blocking(store, |s| s.erase()).await?;
    Ok(erased.records_deleted)
}
