//! Invite codes: 8 characters from an alphabet without look-alikes (no 0/O,
//! 1/I/L), shown in two groups (`7KQM-X4TB`) so they can be read aloud over
//! the phone. Only a SHA-256 of the code is stored; the code is single-use,
//! expires after 7 days, and guessing is bounded by the registration rate
//! limit (31⁸ ≈ 8.5·10¹¹ codes).

use sha2::{Digest, Sha256};

use crate::domain::Invite;

/// The characters of a code.
pub const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// Characters in a code, without the separator.
pub const CODE_LEN: usize = 8;
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

/// A new code, as shown: `XXXX-XXXX`.
pub fn generate() -> Result<String, getrandom::Error> {
    let mut code = String::with_capacity(CODE_LEN + 1);
    let mut taken = 0;
    // Rejection sampling keeps every character equally likely.
    let limit = u8::try_from(256 - 256 % ALPHABET.len()).unwrap_or(u8::MAX);
    while taken < CODE_LEN {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes)?;
        for byte in bytes {
            if taken == CODE_LEN {
                break;
            }
            if byte >= limit {
                continue;
            }
            if taken == CODE_LEN / 2 {
                code.push('-');
            }
            code.push(char::from(ALPHABET[usize::from(byte) % ALPHABET.len()]));
            taken += 1;
        }
    }
    Ok(code)
}

/// The code as typed (any case, spaces or hyphens anywhere) in its one
/// canonical form, or `None` when it cannot be a code.
pub fn normalize(typed: &str) -> Option<String> {
    let code: String = typed.chars().filter(|c| !c.is_whitespace() && *c != '-').map(|c| c.to_ascii_uppercase()).collect();
    (code.len() == CODE_LEN && code.bytes().all(|b| ALPHABET.contains(&b))).then_some(code)
}

/// What the database keeps of a normalized code.
pub fn digest(code: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"alongside invite v1\0");
    hasher.update(code.as_bytes());
    hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_aloud_and_normalize() -> Result<(), getrandom::Error> {
        let code = generate()?;
        assert_eq!(code.len(), 9);
        assert_eq!(code.as_bytes()[4], b'-');
        let canonical = normalize(&code);
        assert_eq!(canonical.as_deref().map(str::len), Some(8));
        assert_eq!(normalize(&code.to_lowercase().replace('-', " ")), canonical);
        assert_eq!(normalize("0000-0000"), None, "look-alikes are not in the alphabet");
        assert_eq!(normalize("ABC"), None);
        assert_ne!(generate()?, code);
        Ok(())
    }
}
