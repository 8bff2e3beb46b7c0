//! Pull cursors: where a device is in each participant's order of record
//! modifications, signed with the server's secret and bound to one user, so a
//! cursor cannot be forged, edited or used by anyone else.
//!
//! Text form: base64url (no padding) of `version | payload | mac (32 bytes)`,
//! the MAC being HMAC-SHA256 over a context label, the user id and
//! `version | payload`.
//!
//! - Version 2 (written now): `count (4 bytes)`, then per participant
//!   `uuid (16 bytes) | seq (8) | skip (4)`, by participant id. A participant
//!   the cursor does not name is at the start.
//! - Version 1 (read, from before per-participant sequences): one position
//!   in the one global order, `seq (8) | skip (4)`. Every seq of that order is
//!   below every seq handed out since, so the position holds for each
//!   participant the device had then.

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use uuid::Uuid;

const LEGACY: u8 = 1;
const STREAMS: u8 = 2;
const MAC_LEN: usize = 32;
const ENTRY_LEN: usize = 16 + 8 + 4;
/// More participants than any caseload holds; bounds what a decode allocates.
const MAX_ENTRIES: usize = 10_000;
const CONTEXT: &[u8] = b"alongside pull cursor v1\0";

/// Where a pull left off in one participant's order: every record up to
/// `seq` was sent, except that of the record at exactly `seq` only its first
/// `skip` compacted changes were (`skip == 0`: all of them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Position {
    pub seq: i64,
    pub skip: u32,
}

/// A decoded cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cursor {
    /// One position for every participant the device had (version 1).
    Legacy(Position),
    /// A position per participant the device holds; absent means the start.
    Streams(BTreeMap<String, Position>),
}

impl Default for Cursor {
    fn default() -> Self {
        Cursor::Streams(BTreeMap::new())
    }
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

fn position(bytes: &[u8]) -> Result<Position, InvalidCursor> {
    let seq = i64::from_be_bytes(bytes.get(..8).and_then(|b| b.try_into().ok()).ok_or(InvalidCursor)?);
    let skip = u32::from_be_bytes(bytes.get(8..12).and_then(|b| b.try_into().ok()).ok_or(InvalidCursor)?);
    if seq < 0 {
        return Err(InvalidCursor);
    }
    Ok(Position { seq, skip })
}

impl Cursor {
    /// The cursor text for `user_id`. Fails only for a participant id that is
    /// not a UUID (every user id is one).
    pub fn encode(&self, secret: &[u8], user_id: &str) -> Result<String, InvalidCursor> {
        let mut bytes = Vec::new();
        match self {
            Cursor::Legacy(position) => {
                bytes.push(LEGACY);
                bytes.extend_from_slice(&position.seq.to_be_bytes());
                bytes.extend_from_slice(&position.skip.to_be_bytes());
            }
            Cursor::Streams(entries) => {
                bytes.push(STREAMS);
                bytes.extend_from_slice(&u32::try_from(entries.len()).map_err(|_| InvalidCursor)?.to_be_bytes());
                for (participant_id, position) in entries {
                    bytes.extend_from_slice(Uuid::parse_str(participant_id).map_err(|_| InvalidCursor)?.as_bytes());
                    bytes.extend_from_slice(&position.seq.to_be_bytes());
                    bytes.extend_from_slice(&position.skip.to_be_bytes());
                }
            }
        }
        let tag = mac(secret, user_id, &bytes)?.finalize().into_bytes();
        bytes.extend_from_slice(&tag);
        Ok(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// Reads a cursor, checking (in constant time) that this server made it for `user_id`.
    pub fn decode(text: &str, secret: &[u8], user_id: &str) -> Result<Cursor, InvalidCursor> {
        if text.len() > (MAX_ENTRIES * ENTRY_LEN + 64) * 4 / 3 + 4 {
            return Err(InvalidCursor);
        }
        let bytes = URL_SAFE_NO_PAD.decode(text).map_err(|_| InvalidCursor)?;
        let payload_len = bytes.len().checked_sub(MAC_LEN).ok_or(InvalidCursor)?;
        let (payload, tag) = bytes.split_at(payload_len);
        mac(secret, user_id, payload)?.verify_slice(tag).map_err(|_| InvalidCursor)?;
        let (&version, body) = payload.split_first().ok_or(InvalidCursor)?;
        match version {
            LEGACY if body.len() == 12 => Ok(Cursor::Legacy(position(body)?)),
            STREAMS => {
                let count = u32::from_be_bytes(body.get(..4).and_then(|b| b.try_into().ok()).ok_or(InvalidCursor)?);
                let count = usize::try_from(count).map_err(|_| InvalidCursor)?;
                let entries = &body[4..];
                if count > MAX_ENTRIES || entries.len() != count * ENTRY_LEN {
                    return Err(InvalidCursor);
                }
                let mut streams = BTreeMap::new();
                for entry in entries.chunks_exact(ENTRY_LEN) {
                    let id = Uuid::from_slice(&entry[..16]).map_err(|_| InvalidCursor)?;
                    streams.insert(id.to_string(), position(&entry[16..])?);
                }
                Ok(Cursor::Streams(streams))
            }
            _ => Err(InvalidCursor),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn streams() -> Cursor {
        Cursor::Streams(BTreeMap::from([
            ("6f1c2d3e-0000-4000-8000-000000000001".to_owned(), Position { seq: 42, skip: 3 }),
            ("6f1c2d3e-0000-4000-8000-000000000002".to_owned(), Position { seq: 7, skip: 0 }),
        ]))
    }

    #[test]
    fn round_trips_for_its_user_only() -> Result<(), InvalidCursor> {
        for cursor in [streams(), Cursor::default(), Cursor::Legacy(Position { seq: 9, skip: 1 })] {
            let text = cursor.encode(b"secret", "user-a")?;
            assert_eq!(Cursor::decode(&text, b"secret", "user-a"), Ok(cursor));
            assert_eq!(Cursor::decode(&text, b"secret", "user-b"), Err(InvalidCursor));
            assert_eq!(Cursor::decode(&text, b"other secret", "user-a"), Err(InvalidCursor));
        }
        Ok(())
    }

    #[test]
    fn any_edit_is_refused() -> Result<(), InvalidCursor> {
        let text = streams().encode(b"secret", "u")?;
        let bytes = URL_SAFE_NO_PAD.decode(&text).map_err(|_| InvalidCursor)?;
        for index in 0..bytes.len() {
            let mut edited = bytes.clone();
            edited[index] ^= 1;
            assert_eq!(Cursor::decode(&URL_SAFE_NO_PAD.encode(&edited), b"secret", "u"), Err(InvalidCursor), "byte {index}");
        }
        assert_eq!(Cursor::decode("not a cursor", b"secret", "u"), Err(InvalidCursor));
        assert_eq!(Cursor::decode("", b"secret", "u"), Err(InvalidCursor));
        Ok(())
    }

    /// A version 1 cursor a device kept from before the upgrade still reads.
    #[test]
    fn a_cursor_from_before_the_upgrade_still_reads() -> Result<(), InvalidCursor> {
        let mut bytes = vec![LEGACY];
        bytes.extend_from_slice(&42_i64.to_be_bytes());
        bytes.extend_from_slice(&2_u32.to_be_bytes());
        let tag = mac(b"secret", "u", &bytes)?.finalize().into_bytes();
        bytes.extend_from_slice(&tag);
        let text = URL_SAFE_NO_PAD.encode(bytes);
        assert_eq!(Cursor::decode(&text, b"secret", "u"), Ok(Cursor::Legacy(Position { seq: 42, skip: 2 })));
        Ok(())
    }
}
