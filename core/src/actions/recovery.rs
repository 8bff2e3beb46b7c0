//! Starting a new recovery period and celebrating milestones.

use chrono::NaiveDate;
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::model::{Milestone, MilestoneKind, Record, RecoveryPeriod};
use crate::schema::{Collection, Reason, check_id, validate_change_fields};
use crate::store::Store;
use crate::store::write::{Write, WriteKind, to_fields};
use crate::views::ReachedMilestone;
use crate::views::recovery_time::RecoveryMilestone;
use crate::views::today::{celebrated, current_period};

impl Store {
    /// Starts a new recovery period on `start_date`. The current period, if
    /// any, ends that day; it and its milestones stay in the history.
    pub fn start_recovery_period(&self, participant_id: &str, start_date: NaiveDate, note: Option<String>) -> Result<RecoveryPeriod> {
        check_id("participant_id", participant_id)?;
        let current = current_period(self.list(participant_id)?);
        if let Some(current) = &current
            && start_date < current.start_date
        {
            return Err(Error::validation("start_date", Reason::BeforeCurrentPeriod(current.start_date)));
        }
        let period = RecoveryPeriod {
            id: crate::ids::new_id(),
            participant_id: participant_id.to_owned(),
            start_date,
            end_date: None,
            note,
            deleted: false,
        };
        let mut fields = to_fields(&period)?;
        fields.retain(|_, value| !value.is_null());
        validate_change_fields(Collection::RecoveryPeriods, &fields, true)?;
        let close = Map::from_iter([("end_date".to_owned(), Value::from(start_date.to_string()))]);
        let mut writes = Vec::new();
        if let Some(current) = &current {
            writes.push(Write {
                collection: Collection::RecoveryPeriods,
                record_id: &current.id,
                participant_id,
                fields: &close,
                kind: WriteKind::Update,
                pinned: None,
            });
        }
        writes.push(Write {
            collection: Collection::RecoveryPeriods,
            record_id: &period.id,
            participant_id,
            fields: &fields,
            kind: WriteKind::Create,
            pinned: None,
        });
        self.write_all(&writes)?;
        Ok(period)
    }

    /// Resolves periods started at once on two phones (both offline): the
    /// open period that started last (then by id) is the current one, and
    /// every other open period ends the day it started. Each phone that sees
    /// them writes the same ends, so they agree; the periods stay in the
    /// history. Only the participant's own phones write it (their peer worker
    /// may not). Returns how many periods it closed.
    pub fn settle_recovery_periods(&self) -> Result<usize> {
        let Some(session) = self.session()? else { return Ok(0) };
        let periods: Vec<RecoveryPeriod> = self.list(&session.user_id)?;
        let Some(current) = current_period(periods.clone()) else { return Ok(0) };
        let end = Map::from_iter([("end_date".to_owned(), Value::from(current.start_date.to_string()))]);
        let writes: Vec<Write<'_>> = periods
            .iter()
            .filter(|p| p.end_date.is_none() && p.id != current.id)
            .map(|p| Write {
                collection: Collection::RecoveryPeriods,
                record_id: &p.id,
                participant_id: &session.user_id,
                fields: &end,
                kind: WriteKind::Update,
                pinned: None,
            })
            .collect();
        if !writes.is_empty() {
            self.write_all(&writes)?;
        }
        Ok(writes.len())
    }

    /// Marks a reached milestone celebrated: a recovery-time milestone gets its
    /// record now; a personal one is updated.
    pub fn celebrate(&self, participant_id: &str, reached: &ReachedMilestone) -> Result<Milestone> {
        match (&reached.milestone_id, reached.kind) {
            (Some(id), _) => {
                let original: Milestone = self.get(id)?;
                if original.participant_id() != participant_id {
                    return Err(Error::NotFound { collection: Collection::Milestones.name().into(), id: id.clone() });
                }
                self.update(&original, &Milestone { celebrated: true, ..original.clone() })
            }
            (None, MilestoneKind::RecoveryTime) => {
                let days = reached.days.ok_or_else(|| Error::validation("days", Reason::RecoveryTimeDays))?;
                let reached_on = RecoveryMilestone { label: reached.title.clone(), days, date: reached.achieved_on };
                // A second tap celebrates what is already celebrated.
                if let Some(existing) = celebrated(&self.list(participant_id)?, &reached_on) {
                    return Ok(existing.clone());
                }
                self.create(&Milestone {
                    id: String::new(),
                    participant_id: participant_id.to_owned(),
                    title: reached.title.clone(),
                    kind: MilestoneKind::RecoveryTime,
                    days: reached.days,
                    goal_id: None,
                    target_date: None,
                    achieved_on: Some(reached.achieved_on),
                    celebrated: true,
                    note: None,
                    deleted: false,
                })
            }
            (None, MilestoneKind::Personal) => Err(Error::validation("milestone_id", Reason::PersonalByRecord)),
        }
    }
}
