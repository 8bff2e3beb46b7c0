//! Invites: spoken codes (`spoken_code`) a peer worker gives a new
//! participant. A code is single-use, expires after 7 days, and guessing is
//! bounded by the registration rate limit (31⁸ ≈ 8.5·10¹¹ codes).

use crate::domain::Invite;

/// How long a code is valid.
pub const VALID_MS: i64 = 7 * 24 * 60 * 60 * 1000;
/// Invites a peer worker may make per [`INVITE_WINDOW_MS`].
pub const MAX_INVITES_PER_WINDOW: u64 = 20;
pub const INVITE_WINDOW_MS: i64 = 60 * 60 * 1000;
/// Failed registrations allowed per client address per 15 minutes.
pub const MAX_REGISTER_FAILURES: usize = 10;

/// Why an invite cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unusable {
    Unknown,
    Expired,
    Used,
}

/// Whether `invite` can be used at `now_ms`; if so, the inviting peer worker.
pub fn judge(invite: Option<&Invite>, now_ms: i64) -> Result<&str, Unusable> {
    let invite = invite.ok_or(Unusable::Unknown)?;
    if invite.used_at_ms.is_some() {
        return Err(Unusable::Used);
    }
    if invite.expires_at_ms <= now_ms {
        return Err(Unusable::Expired);
    }
    Ok(&invite.peer_worker_id)
}
