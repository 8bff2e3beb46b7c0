//! The queries behind a person's control of their account: a new password,
//! reset codes, other devices signed out, erasure, and closing. Like
//! `queries`, they decide no rule; `auth::account`, `auth::erasure` and
//! `auth::closure` do.

use super::queries::{PRESENT, for_update, user_from};
use super::sql::{Executor, params};
use super::{StoreError, StoreResult, User};

type Tx<'a> = &'a mut dyn Executor;

pub async fn set_password(tx: Tx<'_>, user_id: &str, password_hash: &str) -> StoreResult<()> {
    tx.execute("UPDATE users SET password_hash = $2 WHERE id = $1", &params![user_id, password_hash]).await?;
    // A code issued before is for a password that is no longer the problem.
    tx.execute("DELETE FROM reset_codes WHERE user_id = $1", &params![user_id]).await?;
    Ok(())
}

/// Signs out every signed-in device of `user_id` but `keep`; returns how many.
/// Devices waiting to be told to wipe keep that mark.
pub async fn sign_out_devices(tx: Tx<'_>, user_id: &str, keep: Option<&str>, now_ms: i64) -> StoreResult<u64> {
    let keep = keep.unwrap_or("");
    let ended = tx
        .execute(
            "UPDATE devices SET token_hash = NULL, revoked_at = $3 WHERE user_id = $1 AND id <> $2 AND revoked_at IS NULL",
            &params![user_id, keep, now_ms],
        )
        .await?;
    tx.execute(
        "DELETE FROM push_registrations WHERE user_id = $1 AND device_id IN (SELECT id FROM devices WHERE revoked_at IS NOT NULL)",
        &params![user_id],
    )
    .await?;
    Ok(ended)
}

/// A reset code for `user_id`, replacing any code issued before.
pub async fn put_reset_code(tx: Tx<'_>, user_id: &str, code_hash: &str, issued_by: &str, now_ms: i64, expires_ms: i64) -> StoreResult<()> {
    tx.execute(
        "INSERT INTO reset_codes (user_id, code_hash, issued_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (user_id) DO UPDATE SET code_hash = $2, issued_by = $3, created_at = $4, expires_at = $5",
        &params![user_id, code_hash, issued_by, now_ms, expires_ms],
    )
    .await?;
    Ok(())
}

/// Uses up the reset code `code_hash` of the user named `username`: it is
/// deleted whether or not it is still valid. Returns the user and when the
/// code expires.
pub async fn take_reset_code(tx: Tx<'_>, username: &str, code_hash: &str) -> StoreResult<Option<(User, i64)>> {
    let sql = format!(
        "SELECT u.id, u.username, u.role, u.display_name, r.expires_at FROM reset_codes r JOIN users u ON u.id = r.user_id
         WHERE u.username = $1 AND r.code_hash = $2 AND {PRESENT}{}",
        for_update(tx)
    );
    let Some(row) = tx.query_opt(&sql, &params![username, code_hash]).await? else { return Ok(None) };
    let user = user_from(&row)?;
    tx.execute("DELETE FROM reset_codes WHERE user_id = $1", &params![&user.id]).await?;
    Ok(Some((user, row.int(4)?)))
}

/// Who asked for an erasure.
#[derive(Debug, Clone)]
pub struct ErasureRequest<'a> {
    pub participant_id: &'a str,
    pub asked_by: &'a User,
    pub now_ms: i64,
}

/// Deletes everything about a participant but what the audit must keep
/// (protocol/README.md "Accounts"): their records and everything derived
/// from them, their place on caseloads (so peer workers' devices purge their
/// copies), the invite that named them, their reset code, their devices'
/// names and wake-up registrations, and their name, username and password.
/// Their signed-in devices are marked to wipe themselves. Returns how many
/// records were deleted.
pub async fn erase_participant(tx: Tx<'_>, request: &ErasureRequest<'_>) -> StoreResult<u64> {
    let (id, now) = (request.participant_id, request.now_ms);
    let records = tx.execute("DELETE FROM records WHERE participant_id = $1", &params![id]).await?;
    for statement in [
        "DELETE FROM applied_changes WHERE participant_id = $1",
        "DELETE FROM purges WHERE participant_id = $1",
        "DELETE FROM legacy_revocations WHERE participant_id = $1",
        "DELETE FROM caseload WHERE participant_id = $1",
        "DELETE FROM invites WHERE used_by = $1",
        "DELETE FROM reset_codes WHERE user_id = $1",
        "DELETE FROM push_registrations WHERE user_id = $1",
        "DELETE FROM login_failures WHERE username = (SELECT username FROM users WHERE id = $1)",
        "DELETE FROM login_failures WHERE username = 'confirm ' || $1",
    ] {
        tx.execute(statement, &params![id]).await?;
    }
    // A device still signed in keeps its token's hash only to be told to
    // wipe itself, like a lost phone's; one signed out keeps nothing.
    tx.execute(
        "UPDATE devices SET name = '', wipe_at = CASE WHEN revoked_at IS NULL THEN $2 ELSE wipe_at END,
         revoked_at = COALESCE(revoked_at, $2) WHERE user_id = $1",
        &params![id, now],
    )
    .await?;
    // The username becomes the id, which nobody signs in with and which the
    // audit already holds; nothing else of the person is left.
    tx.execute(
        "UPDATE users SET username = id, display_name = '', password_hash = '', phone = NULL, hours = NULL, erased_at = $2
         WHERE id = $1",
        &params![id, now],
    )
    .await?;
    tx.execute(
        "INSERT INTO erasures (participant_id, asked_by, asked_by_role, at, records_deleted) VALUES ($1, $2, $3, $4, $5)",
        &params![id, &request.asked_by.id, request.asked_by.role.name(), now, i64::try_from(records).unwrap_or(i64::MAX)],
    )
    .await?;
    Ok(records)
}

/// What closing an account ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closed {
    /// The participants taken off the caseload, whose phones now hear whom
    /// they can reach.
    pub participants: Vec<String>,
    pub devices_signed_out: u64,
}

/// Closes the account of a peer worker or admin who leaves the program
/// (protocol/README.md "Accounts"): off every caseload, every signed-in
/// device marked to wipe (what it holds of participants goes at its next
/// contact), invites not yet used, a reset code, wake-up registrations, the
/// phone and hours participants were offered: all gone. The row stays with
/// its name, for the records they wrote; nobody signs in as them again.
pub async fn close_account(tx: Tx<'_>, user_id: &str, now_ms: i64) -> StoreResult<Closed> {
    // First, and locking the row: of two closings at once the second finds
    // nothing, and an assignment or registration waiting on this row comes
    // after, finding the account closed (queries::assign).
    let closing = format!("UPDATE users SET password_hash = '', phone = NULL, hours = NULL, closed_at = $2 WHERE id = $1 AND {PRESENT}");
    if tx.execute(&closing, &params![user_id, now_ms]).await? == 0 {
        return Err(StoreError::Absent("no user with that user_id".into()));
    }
    let released = tx.query("DELETE FROM caseload WHERE peer_worker_id = $1 RETURNING participant_id", &params![user_id]).await?;
    let participants = released.iter().map(|row| row.text(0)).collect::<StoreResult<Vec<String>>>()?;
    for statement in [
        "DELETE FROM invites WHERE peer_worker_id = $1 AND used_at IS NULL",
        "DELETE FROM reset_codes WHERE user_id = $1",
        "DELETE FROM push_registrations WHERE user_id = $1",
    ] {
        tx.execute(statement, &params![user_id]).await?;
    }
    let devices_signed_out = tx
        .execute("UPDATE devices SET revoked_at = $2, wipe_at = $2 WHERE user_id = $1 AND revoked_at IS NULL", &params![user_id, now_ms])
        .await?;
    Ok(Closed { participants, devices_signed_out })
}
