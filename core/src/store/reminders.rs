//! Reminders from the store: the settings, kept in `meta` on this device
//! only (never synced: each phone rings as its owner set it), and the
//! schedule computed from the person's records.

use chrono::{DateTime, Utc};

use super::Store;
use crate::error::Result;
use crate::i18n::Language;
use crate::model::{CheckIn, GoalStatus};
use crate::reminders::{HORIZON_DAYS, Reminder, ReminderInputs, ReminderSettings, schedule};
use crate::views::today::current_period;

/// The `meta` key of the settings, as JSON.
const SETTINGS: &str = "reminder_settings";

impl Store {
    /// This device's reminder settings: the defaults until the person saves some.
    pub fn reminder_settings(&self) -> Result<ReminderSettings> {
        match self.meta(SETTINGS)? {
            Some(json) => Ok(serde_json::from_str(&json)?),
            None => Ok(ReminderSettings::default()),
        }
    }

    /// Saves the reminder settings; a time out of range is refused (naming
    /// the field) and nothing is saved. No record changes, so nothing syncs.
    pub fn set_reminder_settings(&self, settings: &ReminderSettings) -> Result<()> {
        settings.validate()?;
        let json = serde_json::to_string(settings)?;
        super::sync_state::set_meta(&self.lock().conn, SETTINGS, &json)
    }

    /// The reminders the shell should have waiting for `participant_id`
    /// after `now`, for the next `HORIZON_DAYS` days, in the zone of their
    /// profile and in `language`, sorted by when they ring.
    pub fn reminders(&self, participant_id: &str, now: DateTime<Utc>, language: Language) -> Result<Vec<Reminder>> {
        let inputs = ReminderInputs {
            participant_id: participant_id.to_owned(),
            check_ins: self.list::<CheckIn>(participant_id)?.into_iter().map(|check_in| check_in.at).collect(),
            recovery_start: current_period(self.list(participant_id)?).map(|period| period.start_date),
            milestones: self.list(participant_id)?,
            goals: self.list_with_status(participant_id, &[GoalStatus::Active.as_str()])?,
            unread: self.unread(participant_id)?,
        };
        schedule(&inputs, &self.reminder_settings()?, self.time_zone(participant_id)?, now, HORIZON_DAYS, language)
    }
}
