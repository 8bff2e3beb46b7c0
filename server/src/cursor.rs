//! Pull cursors: a position in the global order of record modifications,
//! signed with the server's secret and bound to one user, so a cursor cannot
//! be forged, edited or used by anyone else.
//!
//! Text form: base64url (no padding) of `version | seq (8 bytes) | skip (4 bytes) | mac (32 bytes)`,
//! the MAC being HMAC-SHA256 over a context label, the user id and the payload.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

const VERSION: u8 = 1;
const PAYLOAD_LEN: usize = 1 + 8 + 4;
const MAC_LEN: usize = 32;
const CONTEXT: &[u8] = b"alongside pull cursor v1\0";

/// Where a pull left off: every record up to `seq` was sent, except that of the
/// record at exactly `seq` only its first `skip` compacted changes were
/// (`skip == 0`: all of them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Position {
    pub seq: i64,
    pub skip: u32,
}

/// A cursor that is not one this server gave this user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the cursor is not valid for this user")]
pub struct InvalidCursor;

fn mac(secret: &[u8], user_id: &str, payload: &[u8]) -> Result<Hmac<Sha256>, InvalidCursor> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).map_err(|_| InvalidCursor)?;
    mac.update(CONTEXT);
    mac.update(user_id.as_bytes());
    mac.update(&[0]);
    mac.update(payload);
    Ok(mac)
}

impl Position {
    /// The cursor text for `user_id`.
    pub fn encode(&self, secret: &[u8], user_id: &str) -> Result<String, InvalidCursor> {
        let mut bytes = Vec::with_capacity(PAYLOAD_LEN + MAC_LEN);
        bytes.push(VERSION);
        bytes.extend_from_slice(&self.seq.to_be_bytes());
        bytes.extend_from_slice(&self.skip.to_be_bytes());
        let tag = mac(secret, user_id, &bytes)?.finalize().into_bytes();
        bytes.extend_from_slice(&tag);
        Ok(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// Reads a cursor, checking (in constant time) that this server made it for `user_id`.
    pub fn decode(text: &str, secret: &[u8], user_id: &str) -> Result<Position, InvalidCursor> {
        let bytes = URL_SAFE_NO_PAD.decode(text).map_err(|_| InvalidCursor)?;
        if bytes.len() != PAYLOAD_LEN + MAC_LEN || bytes[0] != VERSION {
            return Err(InvalidCursor);
        }
        let (payload, tag) = bytes.split_at(PAYLOAD_LEN);
        mac(secret, user_id, payload)?.verify_slice(tag).map_err(|_| InvalidCursor)?;
        let seq = i64::from_be_bytes(payload[1..9].try_into().map_err(|_| InvalidCursor)?);
        let skip = u32::from_be_bytes(payload[9..13].try_into().map_err(|_| InvalidCursor)?);
        if seq < 0 {
            return Err(InvalidCursor);
        }
        Ok(Position { seq, skip })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_for_its_user_only() -> Result<(), InvalidCursor> {
        let position = Position { seq: 42, skip: 3 };
        let text = position.encode(b"secret", "user-a")?;
        assert_eq!(Position::decode(&text, b"secret", "user-a"), Ok(position));
        assert_eq!(Position::decode(&text, b"secret", "user-b"), Err(InvalidCursor));
        assert_eq!(Position::decode(&text, b"other secret", "user-a"), Err(InvalidCursor));
        Ok(())
    }

    #[test]
    fn any_edit_is_refused() -> Result<(), InvalidCursor> {
        let text = Position { seq: 7, skip: 0 }.encode(b"secret", "u")?;
        let mut bytes = URL_SAFE_NO_PAD.decode(&text).map_err(|_| InvalidCursor)?;
        bytes[8] ^= 1;
        assert_eq!(Position::decode(&URL_SAFE_NO_PAD.encode(&bytes), b"secret", "u"), Err(InvalidCursor));
        assert_eq!(Position::decode("not a cursor", b"secret", "u"), Err(InvalidCursor));
        assert_eq!(Position::decode("", b"secret", "u"), Err(InvalidCursor));
        Ok(())
    }
}
