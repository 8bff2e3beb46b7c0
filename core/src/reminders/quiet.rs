//! Quiet hours: a reminder due while they last waits until they end. It is
//! moved, never dropped, so nothing the person asked for goes missing.

use chrono::{DateTime, NaiveTime, Utc};
use chrono_tz::Tz;

use super::clock::local_instant;
use super::settings::QuietHours;
use crate::error::Result;

/// Quiet hours as times of day, checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Quiet {
    start: NaiveTime,
    end: NaiveTime,
}

impl Quiet {
    pub fn new(hours: &QuietHours) -> Result<Quiet> {
        Ok(Quiet { start: hours.start.time("quiet_hours.start")?, end: hours.end.time("quiet_hours.end")? })
    }

    /// Whether the wall clock reading `time` is inside: from `start` up to,
    /// not including, `end`, across midnight when `start` is later.
    fn contains(self, time: NaiveTime) -> bool {
        if self.start <= self.end { self.start <= time && time < self.end } else { time >= self.start || time < self.end }
    }

    /// `at`, or the end of the quiet hours it falls in: later the same day,
    /// or the next morning when they wrap midnight and `at` is before it.
    /// The end is a wall-clock time, made an instant the way every reminder
    /// time is (see `clock`). `None` only past the end of the calendar.
    pub fn defer(self, at: DateTime<Utc>, zone: Tz) -> Option<DateTime<Utc>> {
        let local = at.with_timezone(&zone).naive_local();
        if !self.contains(local.time()) {
            return Some(at);
        }
        let wraps_tonight = self.start > self.end && local.time() >= self.start;
        let day = if wraps_tonight { local.date().succ_opt()? } else { local.date() };
        local_instant(zone, day, self.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reminders::settings::LocalTime;
    use chrono::TimeZone;
    use chrono_tz::America::New_York;

    fn quiet(start: (u8, u8), end: (u8, u8)) -> Result<Quiet> {
        Quiet::new(&QuietHours { start: LocalTime::new(start.0, start.1), end: LocalTime::new(end.0, end.1) })
    }

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).single().unwrap_or_default()
    }

    #[test]
    fn night_hours_wrap_midnight_and_end_the_next_morning() -> Result<()> {
        let night = quiet((22, 0), (7, 0))?;
        // 23:30 EST on 23 Nov waits until 07:00 EST on the 24th.
        assert_eq!(night.defer(utc(2026, 11, 24, 4, 30), New_York), Some(utc(2026, 11, 24, 12, 0)));
        // 05:00 EST on the 24th waits until 07:00 the same morning.
        assert_eq!(night.defer(utc(2026, 11, 24, 10, 0), New_York), Some(utc(2026, 11, 24, 12, 0)));
        // 21:59 and 07:00 are outside: unchanged.
        assert_eq!(night.defer(utc(2026, 11, 24, 2, 59), New_York), Some(utc(2026, 11, 24, 2, 59)));
        assert_eq!(night.defer(utc(2026, 11, 24, 12, 0), New_York), Some(utc(2026, 11, 24, 12, 0)));
        Ok(())
    }

    #[test]
    fn hours_within_a_day_end_the_same_day() -> Result<()> {
        let nap = quiet((13, 0), (15, 30))?;
        assert_eq!(nap.defer(utc(2026, 11, 24, 19, 0), New_York), Some(utc(2026, 11, 24, 20, 30)));
        assert_eq!(nap.defer(utc(2026, 11, 24, 17, 59), New_York), Some(utc(2026, 11, 24, 17, 59)));
        Ok(())
    }

    #[test]
    fn the_same_start_and_end_is_no_quiet_time() -> Result<()> {
        let none = quiet((8, 0), (8, 0))?;
        assert_eq!(none.defer(utc(2026, 11, 24, 13, 0), New_York), Some(utc(2026, 11, 24, 13, 0)));
        Ok(())
    }

    #[test]
    fn quiet_hours_that_end_in_the_spring_gap_end_when_the_clocks_jump() -> Result<()> {
        // Quiet until 02:30, which 8 March 2026 skips in New York: 03:00 EDT.
        let late = quiet((23, 0), (2, 30))?;
        assert_eq!(late.defer(utc(2026, 3, 8, 4, 30), New_York), Some(utc(2026, 3, 8, 7, 0)));
        Ok(())
    }

    #[test]
    fn quiet_hours_across_the_autumn_change_end_on_the_new_clock() -> Result<()> {
        // 23:00 EDT on 31 Oct (03:00 UTC) waits until 07:00 EST on 1 Nov (12:00 UTC):
        // nine hours of wall clock, ten of real time.
        let night = quiet((22, 0), (7, 0))?;
        assert_eq!(night.defer(utc(2026, 11, 1, 3, 0), New_York), Some(utc(2026, 11, 1, 12, 0)));
        Ok(())
    }
}
