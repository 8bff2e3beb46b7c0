//! Hybrid logical clock: `<13-digit ms>-<4 hex counter>-<node>`.
//!
//! The text form is the wire form and it sorts in clock order, so stored HLCs are
//! compared as strings. The clock never goes backwards, even when the wall clock
//! does: it keeps the highest time it has issued or seen and counts up from there.

use std::fmt;
use std::str::FromStr;

use crate::schema::{Reason, Rejection};

/// The largest millisecond value that still prints as 13 digits (year 2286).
const MAX_MS: u64 = 9_999_999_999_999;

/// One parsed HLC.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Hlc {
    pub ms: u64,
    pub counter: u16,
    pub node: String,
}

/// Where the node starts in an HLC's text form, after `<13-digit ms>-<4 hex>-`.
const NODE_AT: usize = 19;

impl Hlc {
    pub fn new(ms: u64, counter: u16, node: impl Into<String>) -> Self {
        Hlc { ms, counter, node: node.into() }
    }

    /// The node of an HLC in its text form, read at its fixed place without
    /// checking the rest: for asking "whose stamp is this?" of many HLCs
    /// already checked.
    pub fn node_of(text: &str) -> Option<&str> {
        text.get(NODE_AT..).filter(|node| !node.is_empty())
    }
}

impl fmt::Display for Hlc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:013}-{:04x}-{}", self.ms, self.counter, self.node)
    }
}

impl FromStr for Hlc {
    type Err = Rejection;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let invalid = |detail: &'static str| Rejection::invalid("hlc", Reason::Hlc(detail));
        let bytes = text.as_bytes();
        if bytes.len() < 20 || bytes[13] != b'-' || bytes[18] != b'-' {
            return Err(invalid("must be <13-digit ms>-<4 hex>-<device id>"));
        }
        let (ms, counter, node) = (&text[..13], &text[14..18], &text[NODE_AT..]);
        if !ms.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid("milliseconds must be 13 decimal digits"));
        }
        if !counter.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return Err(invalid("counter must be 4 lowercase hex digits"));
        }
        if node.is_empty() || node.len() > 64 || !node.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(invalid("device id must be 1 to 64 visible ASCII characters"));
        }
        let ms = ms.parse().map_err(|_| invalid("milliseconds out of range"))?;
        let counter = u16::from_str_radix(counter, 16).map_err(|_| invalid("counter out of range"))?;
        Ok(Hlc::new(ms, counter, node))
    }
}

/// How far ahead of the server's clock an HLC may be: a change stamped later
/// is refused (`validation_failed` on `hlc`). A device whose own stamps are
/// further ahead of its wall clock than this made them while its clock was
/// wrong, and stamps them again once it is right.
pub const MAX_CLOCK_AHEAD_MS: u64 = 24 * 60 * 60 * 1000;

/// Issues HLCs for one device.
#[derive(Debug, Clone)]
pub struct HlcClock {
    node: String,
    last_ms: u64,
    last_counter: u16,
}

impl HlcClock {
    /// A clock for `node` that will issue only HLCs above `floor` (if any).
    pub fn new(node: impl Into<String>, floor: Option<&Hlc>) -> Self {
        let mut clock = HlcClock { node: node.into(), last_ms: 0, last_counter: 0 };
        if let Some(floor) = floor {
            clock.observe(floor);
        }
        clock
    }

    pub fn node(&self) -> &str {
        &self.node
    }

    /// The next HLC, given the wall clock in Unix milliseconds.
    pub fn tick(&mut self, wall_ms: u64) -> Hlc {
        let wall_ms = wall_ms.min(MAX_MS);
        if wall_ms > self.last_ms {
            self.last_ms = wall_ms;
            self.last_counter = 0;
        } else if self.last_counter == u16::MAX {
            // The counter is spent for this millisecond: borrow the next one.
            // Later wall readings catch up, so the clock drifts ahead by at most
            // the burst's length.
            self.last_ms = (self.last_ms + 1).min(MAX_MS);
            self.last_counter = 0;
        } else {
            self.last_counter += 1;
        }
        Hlc::new(self.last_ms, self.last_counter, self.node.clone())
    }

    /// The next HLC by the system clock.
    pub fn now(&mut self) -> Hlc {
        self.tick(wall_clock_ms())
    }

    /// Moves the clock past an HLC seen elsewhere, so the next local change
    /// sorts after it.
    pub fn observe(&mut self, seen: &Hlc) {
        if (seen.ms, seen.counter) > (self.last_ms, self.last_counter) {
            self.last_ms = seen.ms.min(MAX_MS);
            self.last_counter = seen.counter;
        }
    }
}

/// The system wall clock in Unix milliseconds (0 if it reads before 1970).
pub fn wall_clock_ms() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| u64::try_from(d.as_millis()).unwrap_or(MAX_MS)).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn text_form_is_the_wire_form() {
        let hlc = Hlc::new(1_763_880_000_000, 10, "dev-1");
        assert_eq!(hlc.to_string(), "1763880000000-000a-dev-1");
        assert_eq!(Hlc::node_of(&hlc.to_string()), Some("dev-1"), "the node reads off its fixed place");
        assert_eq!(Hlc::node_of("1763880000000-000a-"), None);
        assert_eq!("1763880000000-000a-dev-1".parse::<Hlc>(), Ok(hlc));
    }

    #[test]
    fn malformed_text_is_refused_naming_the_field() {
        for bad in [
            "",
            "1763880000000-000a-",
            "176388000000-000a-x",
            "1763880000000-000A-x",
            "1763880000000_000a-x",
            "17638800000x0-000a-x",
            "1763880000000-000a-a b",
        ] {
            let err = bad.parse::<Hlc>().err();
            assert!(matches!(&err, Some(Rejection::Invalid { field, .. }) if field == "hlc"), "{bad:?}: {err:?}");
        }
    }

    #[test]
    fn clock_keeps_going_forward_when_the_wall_clock_goes_back() {
        let mut clock = HlcClock::new("a", None);
        let first = clock.tick(2_000);
        let after_jump_back = clock.tick(1_000);
        assert!(after_jump_back > first);
        assert_eq!(after_jump_back.ms, 2_000);
        let later = clock.tick(3_000);
        assert_eq!((later.ms, later.counter), (3_000, 0));
    }

    #[test]
    fn spent_counter_moves_to_the_next_millisecond() {
        let mut clock = HlcClock::new("a", Some(&Hlc::new(5, u16::MAX, "b")));
        let next = clock.tick(5);
        assert_eq!((next.ms, next.counter), (6, 0));
    }

    #[test]
    fn observed_clock_is_passed() {
        let mut clock = HlcClock::new("a", None);
        clock.observe(&Hlc::new(9_000, 3, "remote"));
        let next = clock.tick(1_000);
        assert!(next > Hlc::new(9_000, 3, "remote"));
        assert!(next.to_string() > Hlc::new(9_000, 3, "remote").to_string());
    }

    proptest! {
        #[test]
        fn issued_clocks_strictly_increase_as_text(walls in proptest::collection::vec(0u64..10_000_000_000_000, 1..200),
                                                   seen in proptest::collection::vec((0u64..10_000_000_000_000, any::<u16>()), 0..20)) {
            let mut clock = HlcClock::new("node-7", None);
            let mut last = String::new();
            for (i, wall) in walls.iter().enumerate() {
                if let Some((ms, counter)) = seen.get(i) {
                    clock.observe(&Hlc::new(*ms, *counter, "other"));
                }
                let text = clock.tick(*wall).to_string();
                prop_assert!(text > last, "{} !> {}", text, last);
                prop_assert_eq!(text.parse::<Hlc>().map(|h| h.to_string()), Ok(text.clone()));
                last = text;
            }
        }
    }
}
