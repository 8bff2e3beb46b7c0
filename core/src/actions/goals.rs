//! Recording where a goal stands.

use chrono::{DateTime, Utc};

use crate::error::Result;
use crate::model::{Goal, GoalProgress, Record};
use crate::schema::{Collection, validate_change_fields};
use crate::store::Store;
use crate::store::write::{Write, WriteKind, to_fields};

impl Store {
    /// Records progress on a goal: a progress entry, and, when it carries a
    /// GAS level, that level as the goal's current score (what the T-score
    /// counts). Both in one transaction.
    pub fn record_goal_progress(
        &self,
        goal_id: &str,
        score: Option<i64>,
        note: Option<String>,
        now: DateTime<Utc>,
    ) -> Result<GoalProgress> {
        let goal: Goal = self.get(goal_id)?;
        let progress = GoalProgress {
            id: crate::ids::new_id(),
            participant_id: goal.participant_id().to_owned(),
            goal_id: goal.id.clone(),
            score,
            note,
            recorded_at: now,
            deleted: false,
        };
        let mut fields = to_fields(&progress)?;
        fields.retain(|_, value| !value.is_null());
        validate_change_fields(Collection::GoalProgress, &fields, true)?;
        let scored = serde_json::Map::from_iter(score.filter(|s| goal.gas_score != Some(*s)).map(|s| ("gas_score".to_owned(), s.into())));
        let mut writes = vec![Write {
            collection: Collection::GoalProgress,
            record_id: &progress.id,
            participant_id: &progress.participant_id,
            fields: &fields,
            kind: WriteKind::Create,
            pinned: None,
        }];
        if !scored.is_empty() {
            validate_change_fields(Collection::Goals, &scored, false)?;
            writes.push(Write {
                collection: Collection::Goals,
                record_id: &goal.id,
                participant_id: &progress.participant_id,
                fields: &scored,
                kind: WriteKind::Update,
                pinned: None,
            });
        }
        self.write_all(&writes)?;
        Ok(progress)
    }
}
