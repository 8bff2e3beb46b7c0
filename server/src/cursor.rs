//! Pull cursors: where a device is in each participant's order of record
//! modifications, signed with the server's secret and bound to one user, so a
//! cursor cannot be forged, edited or used by anyone else.
//!
//! Text form: base64url (no padding) of `version | payload | mac (32 bytes)`,
//! the MAC being HMAC-SHA256 over a context label, the user id and
//! `version | payload`.
//!
//! - Version 3 (written now): `history (16 bytes) | count (4)`, then per
//!   participant `uuid (16) | seq (8) | skip (4) | purges_after (8)`, by
//!   participant id. The history is the server's (`Database::history`): a
//!   server restored from a backup follows a new one, so a cursor of the one
//!   before is known for what it is (protocol/README.md "Restored servers").
//! - Version 2 (read, from before histories): `count (4 bytes)`, then per
//!   participant `uuid (16 bytes) | seq (8) | skip (4)`, by participant id. A
//!   participant the cursor does not name is at the start. Read as of the
//!   current history.
//! - Version 1 (read, from before per-participant sequences): one position
//!   in the one global order, `seq (8) | skip (4)`. Every seq of that order is
//!   below every seq handed out since, so the position holds for each
//!   participant the device had then. Read as of the current history.

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use uuid::Uuid;

const LEGACY: u8 = 1;
const STREAMS: u8 = 2;
const HISTORY_STREAMS: u8 = 3;
const MAC_LEN: usize = 32;
const ENTRY_LEN: usize = 16 + 8 + 4;
const HISTORY_ENTRY_LEN: usize = ENTRY_LEN + 8;
/// More participants than any caseload holds; bounds what a decode allocates.
const MAX_ENTRIES: usize = 10_000;
const CONTEXT: &[u8] = b"alongside pull cursor v1\0";

/// Where a pull left off in one participant's order: every record up to
/// `seq` was sent, except that of the record at exactly `seq` only its first
/// `skip` compacted changes were (`skip == 0`: all of them). Purges are sent
/// only after `seq` and after `purges_after`: a pull that started again from
/// the beginning (a restored server) purged what the device may not hold at
/// once, and the purges of the order up to then are past.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Position {
    pub seq: i64,
    pub skip: u32,
    pub purges_after: i64,
}

impl Position {
    /// `seq` and `skip`, with no purges held back.
    pub fn at(seq: i64, skip: u32) -> Position {
        Position { seq, skip, purges_after: 0 }
    }

    /// Where purges resume: the later of `seq` and `purges_after`.
    pub fn purged_to(&self) -> i64 {
        self.seq.max(self.purges_after)
    }
}

/// A decoded cursor: which history of the server it was given in, and where
/// in it the device is.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cursor {
    /// `None` for a cursor from before histories (versions 1 and 2), which
    /// is read as of the current one.
    pub history: Option<Uuid>,
    pub positions: Positions,
}

/// Where a device is, in each participant's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Positions {
    /// One position for every participant the device had (version 1).
    Legacy(Position),
    /// A position per participant the device holds; absent means the start.
    Streams(BTreeMap<String, Position>),
}

impl Default for Positions {
    fn default() -> Self {
        Positions::Streams(BTreeMap::new())
    }
}

impl Cursor {
    /// Positions in `history`, as a page's next cursor.
    pub fn in_history(history: Uuid, positions: BTreeMap<String, Position>) -> Cursor {
        Cursor { history: Some(history), positions: Positions::Streams(positions) }
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
    Ok(Position::at(seq, skip))
}

impl Cursor {
    /// The cursor text for `user_id`, in the version its shape is (a page's
    /// next cursor is version 3). Fails for a participant id that is not a
    /// UUID (every user id is one), and for one global position in a history
    /// (no server ever made one).
    pub fn encode(&self, secret: &[u8], user_id: &str) -> Result<String, InvalidCursor> {
        let mut bytes = Vec::new();
        match (&self.history, &self.positions) {
            (None, Positions::Legacy(position)) => {
                bytes.push(LEGACY);
                bytes.extend_from_slice(&position.seq.to_be_bytes());
                bytes.extend_from_slice(&position.skip.to_be_bytes());
            }
            (Some(_), Positions::Legacy(_)) => return Err(InvalidCursor),
            (history, Positions::Streams(entries)) => {
                match history {
                    Some(history) => {
                        bytes.push(HISTORY_STREAMS);
                        bytes.extend_from_slice(history.as_bytes());
                    }
                    None => bytes.push(STREAMS),
                }
                bytes.extend_from_slice(&u32::try_from(entries.len()).map_err(|_| InvalidCursor)?.to_be_bytes());
                for (participant_id, position) in entries {
                    bytes.extend_from_slice(Uuid::parse_str(participant_id).map_err(|_| InvalidCursor)?.as_bytes());
                    bytes.extend_from_slice(&position.seq.to_be_bytes());
                    bytes.extend_from_slice(&position.skip.to_be_bytes());
                    match history {
                        Some(_) => bytes.extend_from_slice(&position.purges_after.to_be_bytes()),
                        // Version 2 cannot say it; only tests write version 2.
                        None if position.purges_after != 0 => return Err(InvalidCursor),
                        None => {}
                    }
                }
            }
        }
        let tag = mac(secret, user_id, &bytes)?.finalize().into_bytes();
        bytes.extend_from_slice(&tag);
        Ok(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// Reads a cursor, checking (in constant time) that this server made it for `user_id`.
    pub fn decode(text: &str, secret: &[u8], user_id: &str) -> Result<Cursor, InvalidCursor> {
        if text.len() > (MAX_ENTRIES * HISTORY_ENTRY_LEN + 64) * 4 / 3 + 4 {
            return Err(InvalidCursor);
        }
        let bytes = URL_SAFE_NO_PAD.decode(text).map_err(|_| InvalidCursor)?;
        let payload_len = bytes.len().checked_sub(MAC_LEN).ok_or(InvalidCursor)?;
        let (payload, tag) = bytes.split_at(payload_len);
        mac(secret, user_id, payload)?.verify_slice(tag).map_err(|_| InvalidCursor)?;
        let (&version, body) = payload.split_first().ok_or(InvalidCursor)?;
        match version {
            LEGACY if body.len() == 12 => Ok(Cursor { history: None, positions: Positions::Legacy(position(body)?) }),
            STREAMS => Ok(Cursor { history: None, positions: Positions::Streams(streams(body, ENTRY_LEN)?) }),
            HISTORY_STREAMS => {
                let history = Uuid::from_slice(body.get(..16).ok_or(InvalidCursor)?).map_err(|_| InvalidCursor)?;
                Ok(Cursor { history: Some(history), positions: Positions::Streams(streams(&body[16..], HISTORY_ENTRY_LEN)?) })
            }
            _ => Err(InvalidCursor),
        }
    }
}

/// Reads `count (4 bytes)` and that many entries of `entry_len` bytes:
/// `uuid | seq | skip`, and `purges_after` when they are long enough.
fn streams(body: &[u8], entry_len: usize) -> Result<BTreeMap<String, Position>, InvalidCursor> {
    let count = u32::from_be_bytes(body.get(..4).and_then(|b| b.try_into().ok()).ok_or(InvalidCursor)?);
    let count = usize::try_from(count).map_err(|_| InvalidCursor)?;
    let entries = &body[4..];
    if count > MAX_ENTRIES || entries.len() != count * entry_len {
        return Err(InvalidCursor);
    }
    let mut streams = BTreeMap::new();
    for entry in entries.chunks_exact(entry_len) {
        let id = Uuid::from_slice(&entry[..16]).map_err(|_| InvalidCursor)?;
        let mut position = position(&entry[16..ENTRY_LEN])?;
        if let Some(after) = entry.get(ENTRY_LEN..HISTORY_ENTRY_LEN) {
            position.purges_after = i64::from_be_bytes(after.try_into().map_err(|_| InvalidCursor)?);
            if position.purges_after < 0 {
                return Err(InvalidCursor);
            }
        }
        streams.insert(id.to_string(), position);
    }
    Ok(streams)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HISTORY: Uuid = Uuid::from_u128(0x6f1c_2d3e_0000_4000_8000_0000_0000_00aa);

    fn streams() -> Cursor {
        Cursor::in_history(
            HISTORY,
            BTreeMap::from([
                ("6f1c2d3e-0000-4000-8000-000000000001".to_owned(), Position::at(42, 3)),
                ("6f1c2d3e-0000-4000-8000-000000000002".to_owned(), Position { seq: 0, skip: 0, purges_after: 7 }),
            ]),
        )
    }

    #[test]
    fn round_trips_for_its_user_only() -> Result<(), InvalidCursor> {
        let version_2 = Cursor {
            history: None,
            positions: Positions::Streams(BTreeMap::from([("6f1c2d3e-0000-4000-8000-000000000001".to_owned(), Position::at(42, 3))])),
        };
        let version_1 = Cursor { history: None, positions: Positions::Legacy(Position::at(9, 1)) };
        for cursor in [streams(), Cursor::in_history(HISTORY, BTreeMap::new()), Cursor::default(), version_2, version_1] {
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
        assert_eq!(Cursor::decode(&text, b"secret", "u"), Ok(Cursor { history: None, positions: Positions::Legacy(Position::at(42, 2)) }));
        Ok(())
    }

    /// A version 2 cursor (positions, no history) reads as of no history:
    /// the pull takes it as the current one.
    #[test]
    fn a_cursor_from_before_histories_still_reads() -> Result<(), InvalidCursor> {
        let mut bytes = vec![STREAMS];
        bytes.extend_from_slice(&1_u32.to_be_bytes());
        bytes.extend_from_slice(Uuid::from_u128(1).as_bytes());
        bytes.extend_from_slice(&42_i64.to_be_bytes());
        bytes.extend_from_slice(&0_u32.to_be_bytes());
        let tag = mac(b"secret", "u", &bytes)?.finalize().into_bytes();
        bytes.extend_from_slice(&tag);
        let decoded = Cursor::decode(&URL_SAFE_NO_PAD.encode(bytes), b"secret", "u")?;
        assert_eq!(decoded.history, None);
        assert_eq!(decoded.positions, Positions::Streams(BTreeMap::from([(Uuid::from_u128(1).to_string(), Position::at(42, 0))])));
        Ok(())
    }

    #[test]
    fn older_versions_cannot_say_what_they_never_said() {
        let cursor = Cursor { history: Some(HISTORY), positions: Positions::Legacy(Position::default()) };
        assert_eq!(cursor.encode(b"secret", "u"), Err(InvalidCursor));
        assert_eq!(Cursor { history: None, ..streams() }.encode(b"secret", "u"), Err(InvalidCursor));
    }
}
