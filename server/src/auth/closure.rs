//! Closing an account: a peer worker or admin leaves the program, and what
//! they could see of participants goes with them. An admin closes it; what
//! ends and what stays is in protocol/README.md "Accounts".

use crate::clock::wall_ms;
use crate::error::ApiError;
use crate::store::accounts::{self, Closed};
use crate::store::{Database, Role, User};

/// Closes `account`, in one transaction, for `admin` (`None`: the server's
/// command line). A participant's account is erased, not closed; an admin's
/// own is closed by another admin (or the command line), so a slip never
/// leaves a program with nobody to manage it.
pub async fn close(db: &Database, account: &User, admin: Option<&User>) -> Result<Closed, ApiError> {
    if account.role == Role::Participant {
        return Err(ApiError::validation("user_id", "is a participant: a participant's account is erased, not closed"));
    }
    if admin.is_some_and(|admin| admin.id == account.id) {
        return Err(ApiError::Forbidden("an admin's own account is closed by another admin".into()));
    }
    let (user_id, now) = (account.id.clone(), wall_ms());
    let closed = db.write(move |tx| Box::pin(async move { accounts::close_account(tx, &user_id, now).await })).await?;
    tracing::info!(
        user_id = %account.id,
        admin_id = admin.map_or("command line", |admin| admin.id.as_str()),
        participants = closed.participants.len(),
        devices = closed.devices_signed_out,
        "account closed"
    );
    Ok(closed)
}
