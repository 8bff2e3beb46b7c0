//! One participant as their peer worker's page shows them. Only what the
//! participant shares is on the peer worker's device; the page also says
//! which categories are shared today, so it can say kindly why the rest is
//! empty rather than show nothing.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::recovery_time;
use super::scores::gas_summary;
use crate::error::Result;
use crate::model::{CheckIn, EncounterNote, Goal, GoalStatus, Profile, ReachOut};
use crate::schema::Category;
use crate::store::Store;

/// How many check-ins the page shows, newest first.
const RECENT_CHECK_INS: usize = 10;

/// A participant's page for their peer worker.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ParticipantOverview {
    pub participant_id: String,
    pub display_name: String,
    pub pronouns: Option<String>,
    /// Categories beyond the basics that the participant shares today.
    pub shared: Vec<Category>,
    /// The last day of sharing, if the participant set one.
    pub shared_until: Option<NaiveDate>,
    /// When recovery time is shared today and a period is open.
    pub days_in_recovery: Option<i64>,
    /// Not yet resolved: urgent first, then oldest first.
    pub open_reach_outs: Vec<ReachOut>,
    /// Active goals first (by target date), then the rest; empty when goals
    /// are not shared today.
    pub goals: Vec<Goal>,
    /// The GAS T-score over the active scored goals.
    pub gas_t_score: Option<f64>,
    /// Newest first, at most ten; empty when check-ins are not shared.
    pub recent_check_ins: Vec<CheckIn>,
    /// Newest first.
    pub encounter_notes: Vec<EncounterNote>,
    pub unread_messages: u64,
}

impl Store {
    /// The page of one participant on this (peer worker's) device at `now`.
    pub fn participant_overview(&self, participant_id: &str, now: DateTime<Utc>) -> Result<ParticipantOverview> {
        let profile: Profile = self.get(participant_id)?;
        let today = recovery_time::local_date(now, self.time_zone(participant_id)?);
        let sharing = self.sharing(participant_id)?;
        let shared: Vec<Category> = Category::SHAREABLE.into_iter().filter(|c| sharing.shares(*c, today)).collect();
        // What is still on the device past its sharing (a phone offline when
        // sharing expired) is not shown: the page follows the consent itself.
        let shows = |category| shared.contains(&category);
        let mut goals: Vec<Goal> = if shows(Category::Goals) { self.list(participant_id)? } else { Vec::new() };
        goals.sort_by(|a, b| {
            (a.status != GoalStatus::Active, a.target_date.is_none(), a.target_date, &a.title).cmp(&(
                b.status != GoalStatus::Active,
                b.target_date.is_none(),
                b.target_date,
                &b.title,
            ))
        });
        let mut check_ins: Vec<CheckIn> = if shows(Category::CheckIns) { self.list(participant_id)? } else { Vec::new() };
        check_ins.sort_by_key(|c| std::cmp::Reverse(c.at));
        check_ins.truncate(RECENT_CHECK_INS);
        let mut notes: Vec<EncounterNote> = self.list(participant_id)?;
        notes.sort_by(|a, b| (b.occurred_on, &b.id).cmp(&(a.occurred_on, &a.id)));
        Ok(ParticipantOverview {
            participant_id: participant_id.to_owned(),
            display_name: profile.display_name,
            pronouns: profile.pronouns,
            shared_until: sharing.expires_on,
            days_in_recovery: if shows(Category::Milestones) { self.days_in_recovery(participant_id, today)? } else { None },
            open_reach_outs: self.open_reach_outs(participant_id)?,
            gas_t_score: gas_summary(&goals).t_score,
            goals,
            recent_check_ins: check_ins,
            encounter_notes: notes,
            unread_messages: u64::try_from(self.unread_messages(participant_id)?).unwrap_or(u64::MAX),
            shared,
        })
    }
}
