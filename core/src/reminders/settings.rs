//! What the person chose about reminders. Kept on this device only (see
//! `store::reminders`): each phone may ring differently, and a peer worker
//! has no business knowing when someone's phone is quiet.

use chrono::NaiveTime;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::schema::Reason;

/// A time of day on the person's own clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct LocalTime {
    /// 0..23.
    pub hour: u8,
    /// 0..59.
    pub minute: u8,
}

impl LocalTime {
    pub const fn new(hour: u8, minute: u8) -> LocalTime {
        LocalTime { hour, minute }
    }

    /// The time of day, or the validation error that names `field` and the
    /// part out of range (`check_in_time.hour`).
    pub(crate) fn time(self, field: &str) -> Result<NaiveTime> {
        let part = |name: &str, max: i64| Error::validation(format!("{field}.{name}"), Reason::Range { min: 0, max });
        if self.hour > 23 {
            return Err(part("hour", 23));
        }
        NaiveTime::from_hms_opt(self.hour.into(), self.minute.into(), 0).ok_or_else(|| part("minute", 59))
    }
}

/// When nothing rings. `start` after `end` wraps midnight (22:00–08:00);
/// `start` equal to `end` is no quiet time at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct QuietHours {
    pub start: LocalTime,
    pub end: LocalTime,
}

/// Which reminders the person wants, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
// Settings saved by an older version lack newer fields: those take their default.
#[serde(default)]
pub struct ReminderSettings {
    /// A daily "How are you today?", on days with no check-in yet.
    pub check_in: bool,
    pub check_in_time: LocalTime,
    /// A recovery-time milestone the evening before and the morning of.
    pub milestones: bool,
    /// The morning of an active goal's target date.
    pub goal_dates: bool,
    /// A gentle nudge when messages wait unread.
    pub messages: bool,
    /// Reminders that fall in them wait until they end; `None`: ring any time.
    pub quiet_hours: Option<QuietHours>,
    /// The lock screen shows only "Alongside: You have something new."
    pub discreet: bool,
}

impl Default for ReminderSettings {
    /// 20:00 for the check-in: after the workday and the children's dinner,
    /// with time left to answer before bed. Quiet from 22:00 to 08:00: a
    /// phone that rings at night can wake a child or a partner who should not
    /// see it, and sleep matters in early recovery; 08:00 is after the school
    /// run has started, not before the house is up. Discretion is offered, not
    /// imposed: the words say nothing of substances, and the person chooses.
    fn default() -> Self {
        ReminderSettings {
            check_in: true,
            check_in_time: LocalTime::new(20, 0),
            milestones: true,
            goal_dates: true,
            messages: true,
            quiet_hours: Some(QuietHours { start: LocalTime::new(22, 0), end: LocalTime::new(8, 0) }),
            discreet: false,
        }
    }
}

impl ReminderSettings {
    /// Refuses a time out of range, naming the field (`quiet_hours.end.minute`).
    pub fn validate(&self) -> Result<()> {
        self.check_in_time.time("check_in_time")?;
        if let Some(quiet) = &self.quiet_hours {
            quiet.start.time("quiet_hours.start")?;
            quiet.end.time("quiet_hours.end")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(settings: &ReminderSettings) -> Option<(String, Reason)> {
        match settings.validate() {
            Err(Error::Validation { field, reason }) => Some((field, reason)),
            _ => None,
        }
    }

    #[test]
    fn the_defaults_are_valid_and_ring_at_eight_in_the_evening() {
        let settings = ReminderSettings::default();
        assert!(settings.validate().is_ok());
        assert_eq!(settings.check_in_time.time("t").ok(), NaiveTime::from_hms_opt(20, 0, 0));
    }

    #[test]
    fn a_time_out_of_range_names_its_field_and_part() {
        let hour = ReminderSettings { check_in_time: LocalTime::new(24, 0), ..ReminderSettings::default() };
        assert_eq!(refused(&hour), Some(("check_in_time.hour".into(), Reason::Range { min: 0, max: 23 })));
        let quiet = QuietHours { start: LocalTime::new(22, 0), end: LocalTime::new(7, 60) };
        let minute = ReminderSettings { quiet_hours: Some(quiet), ..ReminderSettings::default() };
        assert_eq!(refused(&minute), Some(("quiet_hours.end.minute".into(), Reason::Range { min: 0, max: 59 })));
        let no_quiet = ReminderSettings { quiet_hours: None, ..ReminderSettings::default() };
        assert_eq!(refused(&no_quiet), None);
    }

    #[test]
    fn settings_saved_by_an_older_version_take_defaults_for_what_they_lack() -> Result<()> {
        let old: ReminderSettings = serde_json::from_str(r#"{"check_in":false,"check_in_time":{"hour":9,"minute":30}}"#)?;
        assert_eq!(old, ReminderSettings { check_in: false, check_in_time: LocalTime::new(9, 30), ..ReminderSettings::default() });
        Ok(())
    }
}
