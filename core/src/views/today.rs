//! The home screen: where the participant is today.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use super::recovery_time::{self, RecoveryMilestone};
use crate::error::{Error, Result};
use crate::i18n::Language;
use crate::model::{CheckIn, Goal, GoalStatus, Milestone, MilestoneKind, Profile, ReachOut, RecoveryPeriod};
use crate::store::{RecordSync, Store};

/// Everything the home screen shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Today {
    /// The participant's local date.
    pub date: NaiveDate,
    pub time_zone: String,
    pub current_period: Option<RecoveryPeriod>,
    /// Whole days in the current period (0 on its first day).
    pub days_in_recovery: Option<i64>,
    pub next_milestone: Option<UpcomingMilestone>,
    /// Reached and not celebrated yet, newest first.
    pub to_celebrate: Vec<ReachedMilestone>,
    pub active_goals: Vec<Goal>,
    /// Not yet resolved: urgent first, then oldest first.
    pub open_reach_outs: Vec<ReachOut>,
    /// The newest check-in, to show the person what they last said.
    pub last_check_in: Option<CheckIn>,
    /// Open reach-outs the server does not have yet, and why: waiting for
    /// signal, or refused. (Read fresh on every call, like `pending_changes`.)
    pub unsent_reach_outs: Vec<UnsentRecord>,
    /// Changes waiting to be sent.
    pub pending_changes: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct UpcomingMilestone {
    pub milestone: RecoveryMilestone,
    pub days_to_go: i64,
}

/// A record written here that the server does not have yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct UnsentRecord {
    pub record_id: String,
    pub sync: RecordSync,
}

/// A milestone reached and waiting to be celebrated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ReachedMilestone {
    pub title: String,
    pub kind: MilestoneKind,
    /// For recovery time: days into the period.
    pub days: Option<i64>,
    pub achieved_on: NaiveDate,
    /// The personal milestone's record; `None` for recovery time, whose record
    /// is written when it is celebrated.
    pub milestone_id: Option<String>,
}

impl Store {
    /// The home screen for `participant_id` at `now`, milestones named in
    /// `language`.
    ///
    /// Screens ask for this on every refresh, and it changes only when a
    /// record does or the local date turns: the last answer is kept and given
    /// again until then (with the count of changes waiting read fresh).
    pub fn today(&self, participant_id: &str, now: DateTime<Utc>, language: Language) -> Result<Today> {
        let generation = self.generation();
        let reused = {
            let cache = self.today.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            cache.as_ref().and_then(|c| c.reusable(participant_id, generation, now, language).then(|| c.today.clone()))
        };
        let mut today = match reused {
            Some(today) => today,
            None => {
                let today = self.compute_today(participant_id, now, language)?;
                let zone = today.time_zone.parse().unwrap_or(Tz::UTC);
                let cached = CachedToday { participant_id: participant_id.to_owned(), generation, zone, language, today: today.clone() };
                *self.today.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(cached);
                today
            }
        };
        today.pending_changes = self.pending_count()?;
        today.unsent_reach_outs = if today.open_reach_outs.is_empty() {
            Vec::new()
        } else {
            let mut syncs = self.record_syncs(participant_id, crate::schema::Collection::ReachOuts)?;
            today
                .open_reach_outs
                .iter()
                .filter_map(|r| syncs.remove(&r.id).map(|sync| UnsentRecord { record_id: r.id.clone(), sync }))
                .collect()
        };
        Ok(today)
    }

    fn compute_today(&self, participant_id: &str, now: DateTime<Utc>, language: Language) -> Result<Today> {
        let zone = self.time_zone(participant_id)?;
        let date = recovery_time::local_date(now, zone);
        let current_period = current_period(self.list(participant_id)?);
        let milestones: Vec<Milestone> = self.list(participant_id)?;
        let to_celebrate = to_celebrate(current_period.as_ref(), &milestones, date, language);
        let next_milestone = current_period.as_ref().and_then(|period| {
            let milestone = recovery_time::next_milestone(period.start_date, date, language)?;
            Some(UpcomingMilestone { days_to_go: (milestone.date - date).num_days(), milestone })
        });
        let mut active_goals: Vec<Goal> = self.list_with_status(participant_id, &[GoalStatus::Active.as_str()])?;
        active_goals
            .sort_by(|a, b| (a.target_date.is_none(), a.target_date, &a.title).cmp(&(b.target_date.is_none(), b.target_date, &b.title)));
        let open_reach_outs = self.open_reach_outs(participant_id)?;
        Ok(Today {
            date,
            time_zone: zone.name().to_owned(),
            days_in_recovery: current_period.as_ref().map(|p| recovery_time::days_between(p.start_date, date)),
            current_period,
            next_milestone,
            to_celebrate,
            active_goals,
            open_reach_outs,
            last_check_in: self.last_check_in(participant_id)?,
            unsent_reach_outs: Vec::new(),
            pending_changes: self.pending_count()?,
        })
    }

    /// The participant's zone from their profile; UTC until they have one.
    pub(crate) fn time_zone(&self, participant_id: &str) -> Result<Tz> {
        match self.get::<Profile>(participant_id) {
            Ok(profile) => Ok(profile.timezone.parse().unwrap_or(Tz::UTC)),
            Err(Error::NotFound { .. }) => Ok(Tz::UTC),
            Err(other) => Err(other),
        }
    }
}

/// The last `today` computed, with what it depends on.
#[derive(Debug)]
pub(crate) struct CachedToday {
    participant_id: String,
    /// The store's record generation it was computed at.
    generation: u64,
    zone: Tz,
    language: Language,
    today: Today,
}

impl CachedToday {
    /// Whether it still holds: same person and language, no record changed
    /// since, and the same local date.
    fn reusable(&self, participant_id: &str, generation: u64, now: DateTime<Utc>, language: Language) -> bool {
        self.participant_id == participant_id
            && self.language == language
            && self.generation == generation
            && recovery_time::local_date(now, self.zone) == self.today.date
    }
}

/// The open period (no end date) that started last.
pub(crate) fn current_period(periods: Vec<RecoveryPeriod>) -> Option<RecoveryPeriod> {
    periods.into_iter().filter(|p| p.end_date.is_none()).max_by(|a, b| (a.start_date, &a.id).cmp(&(b.start_date, &b.id)))
}

/// The celebrated record of a recovery-time milestone of a period: the one
/// with its day count reached on its date (a record of an earlier period
/// carries that period's date).
pub(crate) fn celebrated<'a>(milestones: &'a [Milestone], reached: &RecoveryMilestone) -> Option<&'a Milestone> {
    milestones.iter().find(|m| {
        m.kind == MilestoneKind::RecoveryTime && m.celebrated && m.days == Some(reached.days) && m.achieved_on == Some(reached.date)
    })
}

/// Recovery-time milestones of the current period with no celebrated record
/// in it, and personal milestones achieved but not celebrated.
fn to_celebrate(period: Option<&RecoveryPeriod>, milestones: &[Milestone], today: NaiveDate, language: Language) -> Vec<ReachedMilestone> {
    let mut reached: Vec<ReachedMilestone> = Vec::new();
    if let Some(period) = period {
        reached.extend(
            recovery_time::reached_milestones(period.start_date, today, language)
                .into_iter()
                .filter(|m| celebrated(milestones, m).is_none())
                .map(|m| ReachedMilestone {
                    title: m.label,
                    kind: MilestoneKind::RecoveryTime,
                    days: Some(m.days),
                    achieved_on: m.date,
                    milestone_id: None,
                }),
        );
    }
    reached.extend(milestones.iter().filter(|m| m.kind == MilestoneKind::Personal && !m.celebrated).filter_map(|m| {
        Some(ReachedMilestone {
            title: m.title.clone(),
            kind: MilestoneKind::Personal,
            days: None,
            achieved_on: m.achieved_on.filter(|on| *on <= today)?,
            milestone_id: Some(m.id.clone()),
        })
    }));
    reached.sort_by(|a, b| b.achieved_on.cmp(&a.achieved_on).then_with(|| b.days.cmp(&a.days)));
    reached
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone, Utc};

    use crate::Result;
    use crate::i18n::Language;
    use crate::model::{Goal, Profile};
    use crate::store::tests::{PARTICIPANT, goal, open_temp};

    #[test]
    fn a_kept_today_gives_way_to_every_write_merge_and_new_day() -> Result<()> {
        let (_dir, store) = open_temp();
        store.create(&Profile {
            participant_id: PARTICIPANT.into(),
            display_name: "Sam".into(),
            timezone: "America/New_York".into(),
            ..Profile::default()
        })?;
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 15, 0, 0).single().unwrap_or_default();
        let first = store.today(PARTICIPANT, now, Language::English)?;
        assert!(first.active_goals.is_empty());
        assert_eq!(store.today(PARTICIPANT, now, Language::English)?, first, "asked again with nothing changed");

        let walk = store.create(&goal("Walk the kids to school"))?;
        let after_write = store.today(PARTICIPANT, now, Language::English)?;
        assert_eq!(after_write.active_goals.len(), 1, "a local write shows at once");
        assert_eq!(after_write.pending_changes, first.pending_changes + 1);

        // The same goal, retitled on another device: a merge shows at once too.
        let mut remote =
            store.pending_changes(100)?.into_iter().find(|c| c.record_id == walk.id).ok_or(crate::Error::Storage("no change".into()))?;
        remote.change_id = crate::ids::new_id();
        remote.hlc = "9999999999999-0000-other-device".into();
        remote.fields = serde_json::Map::from_iter([("title".to_owned(), serde_json::json!("Walk them every day"))]);
        store.apply_remote(&[remote])?;
        assert_eq!(
            store.today(PARTICIPANT, now, Language::English)?.active_goals.first().map(|g: &Goal| g.title.as_str()),
            Some("Walk them every day")
        );

        // A reach-out written here is unsent until the server takes it.
        let asked = store.create(&crate::model::ReachOut {
            id: String::new(),
            participant_id: PARTICIPANT.into(),
            urgency: crate::model::Urgency::Urgent,
            message: None,
            created_at: now,
            status: crate::model::ReachOutStatus::Open,
            acknowledged_at: None,
            resolved_at: None,
            deleted: false,
        })?;
        let unsent = store.today(PARTICIPANT, now, Language::English)?.unsent_reach_outs;
        assert_eq!(unsent, vec![super::UnsentRecord { record_id: asked.id.clone(), sync: crate::store::RecordSync::Waiting }]);
        let batch = store.outbox_batch(1000)?;
        let taken: Vec<crate::protocol::PushResult> = batch
            .changes
            .iter()
            .map(|c| crate::protocol::PushResult {
                change_id: c.change_id.clone(),
                status: crate::protocol::PushStatus::Applied,
                error: None,
            })
            .collect();
        store.record_push(&batch, &taken)?;
        assert!(store.today(PARTICIPANT, now, Language::English)?.unsent_reach_outs.is_empty(), "taken by the server: sent");

        // Midnight in New York (05:00 UTC) starts a new day.
        let next_day = store.today(PARTICIPANT, now + Duration::hours(14), Language::English)?;
        assert_eq!(next_day.date, first.date.succ_opt().unwrap_or_default());
        Ok(())
    }
}
