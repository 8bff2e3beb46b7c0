//! A peer worker's caseload: one row per participant, ordered by who needs
//! contact first. What a participant does not share is simply not on the
//! device, so it is not in the row either.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::recovery_time;
use super::today::current_period;
use crate::error::Result;
use crate::model::{CheckIn, Goal, GoalStatus, Profile, ReachOut, ReachOutStatus, Urgency};
use crate::store::Store;

/// One participant, as the caseload screen shows them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseloadRow {
    pub participant_id: String,
    pub display_name: String,
    /// When recovery time is shared.
    pub days_in_recovery: Option<i64>,
    /// Not yet resolved: urgent first, then oldest first.
    pub open_reach_outs: Vec<ReachOut>,
    pub unread_messages: usize,
    /// When check-ins are shared.
    pub last_check_in: Option<CheckIn>,
    /// Active goals scored below what was expected, or past their target date.
    pub goals_needing_attention: Vec<Goal>,
    /// Why this row is where it is, most pressing first.
    pub priority: ContactPriority,
}

/// How soon to reach out, most pressing first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ContactPriority {
    /// An urgent reach-out nobody has acknowledged yet.
    UrgentReachOut,
    /// A reach-out not yet resolved.
    OpenReachOut,
    UnreadMessages,
    GoalsNeedAttention,
    NoneWaiting,
}

impl Store {
    /// Every participant with a profile on this device but the person signed
    /// in, ordered by who needs contact first.
    pub fn caseload(&self, now: DateTime<Utc>) -> Result<Vec<CaseloadRow>> {
        let me = self.session()?.map(|s| s.user_id);
        let participants: Vec<String> = self.with_conn(|conn| {
            let mut stmt = conn.prepare("SELECT record_id FROM records WHERE collection = 'profile' AND deleted = 0")?;
            let ids = stmt.query_map([], |row| row.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(ids)
        })?;
        let mut rows = Vec::new();
        for participant_id in participants.into_iter().filter(|id| Some(id) != me.as_ref()) {
            rows.push(self.caseload_row(&participant_id, now)?);
        }
        rows.sort_by(|a, b| {
            (a.priority, oldest_reach_out(a), std::cmp::Reverse(a.unread_messages), a.display_name.to_lowercase()).cmp(&(
                b.priority,
                oldest_reach_out(b),
                std::cmp::Reverse(b.unread_messages),
                b.display_name.to_lowercase(),
            ))
        });
        Ok(rows)
    }

    fn caseload_row(&self, participant_id: &str, now: DateTime<Utc>) -> Result<CaseloadRow> {
        let profile: Profile = self.get(participant_id)?;
        let today = recovery_time::local_date(now, self.time_zone(participant_id)?);
        let days_in_recovery = self.days_in_recovery(participant_id, today)?;
        let open_reach_outs = self.open_reach_outs(participant_id)?;
        let last_check_in = self.last_check_in(participant_id)?;
        let goals_needing_attention: Vec<Goal> = self
            .list_with_status::<Goal>(participant_id, &[GoalStatus::Active.as_str()])?
            .into_iter()
            .filter(|goal| needs_attention(goal, today))
            .collect();
        let unread_messages = self.unread_messages(participant_id)?;
        let priority = if open_reach_outs.iter().any(|r| r.urgency == Urgency::Urgent && r.status == ReachOutStatus::Open) {
            ContactPriority::UrgentReachOut
        } else if !open_reach_outs.is_empty() {
            ContactPriority::OpenReachOut
        } else if unread_messages > 0 {
            ContactPriority::UnreadMessages
        } else if !goals_needing_attention.is_empty() {
            ContactPriority::GoalsNeedAttention
        } else {
            ContactPriority::NoneWaiting
        };
        Ok(CaseloadRow {
            participant_id: participant_id.to_owned(),
            display_name: profile.display_name,
            days_in_recovery,
            open_reach_outs,
            unread_messages,
            last_check_in,
            goals_needing_attention,
            priority,
        })
    }
}

impl Store {
    /// Whole days in the participant's open recovery period on `today`.
    pub(crate) fn days_in_recovery(&self, participant_id: &str, today: NaiveDate) -> Result<Option<i64>> {
        Ok(current_period(self.list(participant_id)?).map(|p| recovery_time::days_between(p.start_date, today)))
    }

    /// The participant's newest check-in.
    pub(crate) fn last_check_in(&self, participant_id: &str) -> Result<Option<CheckIn>> {
        Ok(self.list::<CheckIn>(participant_id)?.into_iter().max_by_key(|c| c.at))
    }

    /// Reach-outs not yet resolved: urgent first, then oldest first.
    pub(crate) fn open_reach_outs(&self, participant_id: &str) -> Result<Vec<ReachOut>> {
        let mut open: Vec<ReachOut> =
            self.list_with_status(participant_id, &[ReachOutStatus::Open.as_str(), ReachOutStatus::Acknowledged.as_str()])?;
        open.sort_by_key(|r| (r.urgency != Urgency::Urgent, r.created_at));
        Ok(open)
    }
}

fn needs_attention(goal: &Goal, today: NaiveDate) -> bool {
    goal.gas_score.is_some_and(|score| score < 0) || goal.target_date.is_some_and(|target| target < today)
}

/// When the row's oldest open reach-out came in; rows without one sort last.
fn oldest_reach_out(row: &CaseloadRow) -> DateTime<Utc> {
    row.open_reach_outs.iter().map(|r| r.created_at).min().unwrap_or(DateTime::<Utc>::MAX_UTC)
}
