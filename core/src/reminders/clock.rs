//! Wall-clock times in a time zone, made into instants. Twice a year a local
//! time does not exist (clocks spring forward over it) or happens twice
//! (they fall back through it); a reminder still rings exactly once.

use chrono::offset::LocalResult;
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// The instant `time` on `date` names in `zone`. A time that happens twice
/// is the earlier; a time the clocks skip is the first instant after the gap
/// (02:30 on a spring-forward night rings at 03:00, when the clock reads it
/// first). `None` only past the end of the calendar.
pub(super) fn local_instant(zone: Tz, date: NaiveDate, time: NaiveTime) -> Option<DateTime<Utc>> {
    let wall = date.and_time(time);
    match zone.from_local_datetime(&wall) {
        LocalResult::Single(instant) => Some(instant.to_utc()),
        LocalResult::Ambiguous(earlier, _) => Some(earlier.to_utc()),
        LocalResult::None => after_gap(zone, wall),
    }
}

/// The first instant whose wall clock in `zone` reads later than `wall`, a
/// time in a gap: the instant the clocks jumped.
fn after_gap(zone: Tz, wall: NaiveDateTime) -> Option<DateTime<Utc>> {
    const DAY: i64 = 24 * 60 * 60;
    let reads_later =
        |seconds: i64| DateTime::from_timestamp(seconds, 0).is_some_and(|instant| instant.with_timezone(&zone).naive_local() > wall);
    // No zone is a day or more from UTC, and none falls back within a day of
    // springing forward: over these two days the wall clock only rises, so
    // the jump is found by halving (transitions fall on whole seconds).
    let (mut before, mut after) = (wall.and_utc().timestamp() - DAY, wall.and_utc().timestamp() + DAY);
    if reads_later(before) || !reads_later(after) {
        return None;
    }
    while after - before > 1 {
        let middle = before + (after - before) / 2;
        if reads_later(middle) {
            after = middle;
        } else {
            before = middle;
        }
    }
    DateTime::from_timestamp(after, 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::{America, Pacific};

    fn at(zone: Tz, y: i32, m: u32, d: u32, h: u32, mi: u32) -> Option<String> {
        let date = NaiveDate::from_ymd_opt(y, m, d)?;
        let time = NaiveTime::from_hms_opt(h, mi, 0)?;
        local_instant(zone, date, time).map(|instant| instant.to_rfc3339())
    }

    #[test]
    fn an_ordinary_time_is_its_one_instant() {
        assert_eq!(at(America::New_York, 2026, 3, 7, 20, 0).as_deref(), Some("2026-03-08T01:00:00+00:00"));
        assert_eq!(at(America::New_York, 2026, 3, 8, 20, 0).as_deref(), Some("2026-03-09T00:00:00+00:00"));
    }

    #[test]
    fn a_skipped_time_rings_when_the_clocks_jump() {
        // New York, 8 March 2026: 02:00 EST becomes 03:00 EDT (07:00 UTC).
        assert_eq!(at(America::New_York, 2026, 3, 8, 2, 30).as_deref(), Some("2026-03-08T07:00:00+00:00"));
        assert_eq!(at(America::New_York, 2026, 3, 8, 2, 0).as_deref(), Some("2026-03-08T07:00:00+00:00"));
        assert_eq!(at(America::New_York, 2026, 3, 8, 3, 0).as_deref(), Some("2026-03-08T07:00:00+00:00"));
        // Auckland, 27 September 2026: 02:00 NZST becomes 03:00 NZDT (14:00 UTC the day before).
        assert_eq!(at(Pacific::Auckland, 2026, 9, 27, 2, 59).as_deref(), Some("2026-09-26T14:00:00+00:00"));
    }

    #[test]
    fn a_time_that_happens_twice_rings_the_first_time() {
        // New York, 1 November 2026: 01:30 EDT (05:30 UTC), then 01:30 EST (06:30 UTC).
        assert_eq!(at(America::New_York, 2026, 11, 1, 1, 30).as_deref(), Some("2026-11-01T05:30:00+00:00"));
        // Auckland, 5 April 2026: 02:30 NZDT (13:30 UTC on the 4th), then 02:30 NZST.
        assert_eq!(at(Pacific::Auckland, 2026, 4, 5, 2, 30).as_deref(), Some("2026-04-04T13:30:00+00:00"));
    }
}
