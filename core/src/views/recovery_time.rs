//! Recovery time: days counted in the participant's own time zone, and the
//! recovery-time milestones (24 hours, 7, 30, 60, 90 days, 6 and 9 months,
//! 1 year, 18 months, then every year).
//!
//! A recovery period starts on a date, not an instant: the day it starts is
//! day 0, and the 24-hour milestone is the next calendar day. Counting whole
//! calendar days in the local zone is what makes DST changes and midnight come
//! out right: a 23- or 25-hour day is still one day.

use chrono::{DateTime, Months, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use crate::i18n::{Language, MilestoneWords, count};

/// The calendar date `now` falls on in `zone`.
pub fn local_date(now: DateTime<Utc>, zone: Tz) -> NaiveDate {
    now.with_timezone(&zone).date_naive()
}

/// Whole days from `start` to `today` (0 on the first day; never negative).
pub fn days_between(start: NaiveDate, today: NaiveDate) -> i64 {
    (today - start).num_days().max(0)
}

/// One recovery-time milestone of a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RecoveryMilestone {
    /// "24 hours", "7 days", "6 months", "1 year", "2 years", …
    pub label: String,
    /// Days from the period's start; the `days` of the milestone record.
    pub days: i64,
    /// The date it is reached.
    pub date: NaiveDate,
}

#[derive(Clone, Copy)]
enum Step {
    Days(u64),
    Months(u32),
}

const SCHEDULE: &[Step] = &[
    Step::Days(1),
    Step::Days(7),
    Step::Days(30),
    Step::Days(60),
    Step::Days(90),
    Step::Months(6),
    Step::Months(9),
    Step::Months(12),
    Step::Months(18),
];

/// The milestone's name in `language`: "24 hours", "7 days", "6 months", "1 year".
fn label(step: &Step, words: &MilestoneWords) -> String {
    match *step {
        Step::Days(1) => words.hours_24.clone(),
        Step::Days(days) => count(&words.days, i64::try_from(days).unwrap_or(i64::MAX)),
        Step::Months(months) if months % 12 == 0 => count(&words.years, i64::from(months / 12)),
        Step::Months(months) => count(&words.months, i64::from(months)),
    }
}

/// The milestones of a period that started on `start`, in order, endless
/// (yearly after 18 months), named in `language`. Month steps follow the
/// calendar: a start on 31 August reaches 6 months on 28 or 29 February.
pub fn milestones(start: NaiveDate, language: Language) -> impl Iterator<Item = RecoveryMilestone> {
    let words = MilestoneWords::new(language);
    let yearly = (2u32..).map(|years| Step::Months(12 * years));
    SCHEDULE.iter().copied().chain(yearly).map_while(move |step| {
        let date = match step {
            Step::Days(days) => start.checked_add_days(chrono::Days::new(days)),
            Step::Months(months) => start.checked_add_months(Months::new(months)),
        }?;
        Some(RecoveryMilestone { label: label(&step, &words), days: (date - start).num_days(), date })
    })
}

/// The first milestone after `today`.
pub fn next_milestone(start: NaiveDate, today: NaiveDate, language: Language) -> Option<RecoveryMilestone> {
    milestones(start, language).find(|m| m.date > today)
}

/// Milestones reached by `today`, oldest first.
pub fn reached_milestones(start: NaiveDate, today: NaiveDate, language: Language) -> Vec<RecoveryMilestone> {
    milestones(start, language).take_while(|m| m.date <= today).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).single().unwrap_or_default()
    }

    #[test]
    fn a_period_starting_today_is_day_zero() {
        let now = utc(2026, 11, 23, 15, 0);
        let today = local_date(now, chrono_tz::America::New_York);
        assert_eq!(days_between(date(2026, 11, 23), today), 0);
        assert_eq!(
            next_milestone(date(2026, 11, 23), today, Language::English).map(|m| (m.label, m.days)),
            Some(("24 hours".to_owned(), 1))
        );
    }

    #[test]
    fn new_york_dst_change_day_counts_as_one_day() {
        // 2026-11-01: clocks fall back at 02:00 in New York, a 25-hour day.
        let zone = chrono_tz::America::New_York;
        let start = date(2026, 10, 31);
        // 23:30 local on 1 Nov is 04:30 UTC on 2 Nov (UTC-5 after the change).
        assert_eq!(local_date(utc(2026, 11, 2, 4, 30), zone), date(2026, 11, 1));
        assert_eq!(days_between(start, local_date(utc(2026, 11, 2, 4, 30), zone)), 1);
        // 00:30 local on 2 Nov.
        assert_eq!(days_between(start, local_date(utc(2026, 11, 2, 5, 30), zone)), 2);
        // Spring forward, 2027-03-14 is a 23-hour day: 23:59 local is 03:59 UTC next day.
        let spring = date(2027, 3, 13);
        assert_eq!(days_between(spring, local_date(utc(2027, 3, 15, 3, 59), zone)), 1);
        assert_eq!(days_between(spring, local_date(utc(2027, 3, 15, 4, 0), zone)), 2);
    }

    #[test]
    fn auckland_is_a_day_ahead_of_utc() {
        let zone = chrono_tz::Pacific::Auckland;
        // 11:00 UTC on 23 Nov is 00:00 on 24 Nov in Auckland (NZDT, UTC+13).
        let start = date(2026, 11, 17);
        assert_eq!(days_between(start, local_date(utc(2026, 11, 23, 10, 59), zone)), 6);
        assert_eq!(days_between(start, local_date(utc(2026, 11, 23, 11, 0), zone)), 7);
        let reached = reached_milestones(start, local_date(utc(2026, 11, 23, 11, 0), zone), Language::English);
        assert_eq!(reached.iter().map(|m| m.label.as_str()).collect::<Vec<_>>(), ["24 hours", "7 days"]);
    }

    #[test]
    fn the_schedule_runs_days_then_months_then_years() {
        let start = date(2025, 8, 31);
        let labels: Vec<(String, NaiveDate)> = milestones(start, Language::English).take(12).map(|m| (m.label, m.date)).collect();
        let expected = [
            ("24 hours", date(2025, 9, 1)),
            ("7 days", date(2025, 9, 7)),
            ("30 days", date(2025, 9, 30)),
            ("60 days", date(2025, 10, 30)),
            ("90 days", date(2025, 11, 29)),
            ("6 months", date(2026, 2, 28)),
            ("9 months", date(2026, 5, 31)),
            ("1 year", date(2026, 8, 31)),
            ("18 months", date(2027, 2, 28)),
            ("2 years", date(2027, 8, 31)),
            ("3 years", date(2028, 8, 31)),
            ("4 years", date(2029, 8, 31)),
        ];
        assert_eq!(labels, expected.map(|(l, d)| (l.to_owned(), d)));
    }

    #[test]
    fn milestones_are_named_in_spanish() {
        let names: Vec<String> = milestones(date(2025, 8, 31), Language::Spanish).take(11).map(|m| m.label).collect();
        assert_eq!(
            names,
            ["24 horas", "7 días", "30 días", "60 días", "90 días", "6 meses", "9 meses", "1 año", "18 meses", "2 años", "3 años"]
        );
    }

    #[test]
    fn next_milestone_counts_days_to_go() {
        let start = date(2026, 1, 1);
        let next = next_milestone(start, date(2026, 1, 25), Language::English);
        assert_eq!(next.map(|m| (m.label, m.days, m.date)), Some(("30 days".to_owned(), 30, date(2026, 1, 31))));
    }
}
