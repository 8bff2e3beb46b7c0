//! Create, update, delete, get and list for every collection of the protocol.
//! The core's store is generic over the record type; UniFFI exports concrete
//! functions, so one macro writes the five for each collection.
//!
//! - `create_x(record)`: an empty `id` gets a fresh one (profile, sharing and
//!   safety plan take the participant id). Returns the record as stored.
//! - `update_x(original, edited)`: writes only the fields where `edited`
//!   differs from `original`, the record as the screen loaded it, so what
//!   someone else changed meanwhile is not overwritten with a stale copy.
//! - `delete_x(id)`: the deletion syncs like any edit.
//! - `get_x(id)`: `NotFound` if there is none (or it was deleted).
//! - `list_x(participant_id)`: the participant's live records.

use alongside_core::model::{
    Assessment, CheckIn, Contact, CopingStrategy, CopingUse, EncounterNote, Goal, GoalProgress, Message, Milestone, Profile, ReachOut,
    Record, RecoveryPeriod, SafetyPlan, Sharing,
};

use crate::companion::Companion;
use crate::error::Result;

impl Companion {
    fn create_record<R: Record>(&self, record: R) -> Result<R> {
        let stored = self.store.create(&record)?;
        self.wrote(stored.participant_id(), &[R::COLLECTION]);
        Ok(stored)
    }

    fn update_record<R: Record>(&self, original: R, edited: R) -> Result<R> {
        let stored = self.store.update(&original, &edited)?;
        self.wrote(stored.participant_id(), &[R::COLLECTION]);
        Ok(stored)
    }

    fn delete_record<R: Record>(&self, id: String) -> Result<()> {
        let participant_id = self.store.get::<R>(&id)?.participant_id().to_owned();
        self.store.delete::<R>(&id)?;
        self.wrote(&participant_id, &[R::COLLECTION]);
        Ok(())
    }
}

macro_rules! collections {
    ($($record:ty => $create:ident, $update:ident, $delete:ident, $get:ident, $list:ident;)+) => {$(
        #[uniffi::export]
        impl Companion {
            /// Stores a new record and returns it as stored.
            pub fn $create(&self, record: $record) -> Result<$record> {
                self.create_record(record)
            }

            /// Saves an edit: only the fields where `edited` differs from `original`.
            pub fn $update(&self, original: $record, edited: $record) -> Result<$record> {
                self.update_record(original, edited)
            }

            /// Deletes the record (the deletion syncs like any edit).
            pub fn $delete(&self, id: String) -> Result<()> {
                self.delete_record::<$record>(id)
            }

            /// One live record, or `NotFound`.
            pub fn $get(&self, id: String) -> Result<$record> {
                Ok(self.store.get::<$record>(&id)?)
            }

            /// The participant's live records of this collection.
            pub fn $list(&self, participant_id: String) -> Result<Vec<$record>> {
                Ok(self.store.list::<$record>(&participant_id)?)
            }
        }
    )+};
}

collections! {
    Profile => create_profile, update_profile, delete_profile, get_profile, list_profiles;
    Sharing => create_sharing, update_sharing, delete_sharing, get_sharing, list_sharing;
    RecoveryPeriod => create_recovery_period, update_recovery_period, delete_recovery_period, get_recovery_period, list_recovery_periods;
    Goal => create_goal, update_goal, delete_goal, get_goal, list_goals;
    GoalProgress => create_goal_progress, update_goal_progress, delete_goal_progress, get_goal_progress, list_goal_progress;
    Milestone => create_milestone, update_milestone, delete_milestone, get_milestone, list_milestones;
    CopingStrategy => create_coping_strategy, update_coping_strategy, delete_coping_strategy, get_coping_strategy, list_coping_strategies;
    CopingUse => create_coping_use, update_coping_use, delete_coping_use, get_coping_use, list_coping_uses;
    Contact => create_contact, update_contact, delete_contact, get_contact, list_contacts;
    CheckIn => create_check_in, update_check_in, delete_check_in, get_check_in, list_check_ins;
    SafetyPlan => create_safety_plan, update_safety_plan, delete_safety_plan, get_safety_plan, list_safety_plans;
    ReachOut => create_reach_out, update_reach_out, delete_reach_out, get_reach_out, list_reach_outs;
    Assessment => create_assessment, update_assessment, delete_assessment, get_assessment, list_assessments;
    Message => create_message, update_message, delete_message, get_message, list_messages;
    EncounterNote => create_encounter_note, update_encounter_note, delete_encounter_note, get_encounter_note, list_encounter_notes;
}
