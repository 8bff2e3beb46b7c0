//! Reminders: the local notifications a shell should schedule, computed in
//! the person's own time zone from their data and settings. The shells only
//! schedule what this returns (AlarmManager/WorkManager,
//! UNUserNotificationCenter), and ask again on every data change and daily.
//!
//! - `settings`: what the person chose, with the defaults;
//! - `schedule`: the pure rule from data to reminders;
//! - `clock`: wall-clock times made instants, exactly across DST changes;
//! - `quiet`: quiet hours, which move a reminder and never drop it;
//! - `say`: the words, English and Spanish, or none on a discreet lock screen.

mod clock;
mod quiet;
mod say;
mod schedule;
mod settings;

pub use schedule::{HORIZON_DAYS, Reminder, ReminderInputs, ReminderKind, schedule};
pub use settings::{LocalTime, QuietHours, ReminderSettings};
