//! Typed records, one per collection of PROTOCOL.md. Each serializes to exactly
//! the wire fields of its collection (`id` and `participant_id` travel beside
//! them, in the change), so the schema validator judges what they produce.

mod assessments;
mod check_ins;
mod contacts;
mod coping;
mod encounter_notes;
mod goals;
mod messages;
mod person;
mod reach_outs;
mod recovery;
mod safety_plan;

pub use assessments::{Assessment, Instrument};
pub use check_ins::CheckIn;
pub use contacts::{Contact, ContactRole};
pub use coping::{CopingCategory, CopingStrategy, CopingUse, StrategySource};
pub use encounter_notes::{EncounterLocation, EncounterMode, EncounterNote, NoteStatus, ServiceType};
pub use goals::{GasLevels, Goal, GoalArea, GoalProgress, GoalStatus};
pub use messages::Message;
pub use person::{Profile, Sharing};
pub use reach_outs::{ReachOut, ReachOutStatus, Urgency};
pub use recovery::{Milestone, MilestoneKind, RecoveryPeriod};
pub use safety_plan::SafetyPlan;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::schema::Collection;

/// A typed record of one collection.
pub trait Record: Serialize + DeserializeOwned + Clone + std::fmt::Debug {
    const COLLECTION: Collection;
    fn id(&self) -> &str;
    fn participant_id(&self) -> &str;
    fn is_deleted(&self) -> bool;
    /// Sets the envelope fields, which are not among the serialized fields.
    fn set_keys(&mut self, id: String, participant_id: String);
}

/// Implements [`Record`] for a struct with `id`, `participant_id` and `deleted`.
macro_rules! record {
    ($type:ty, $collection:expr) => {
        impl $crate::model::Record for $type {
            const COLLECTION: $crate::schema::Collection = $collection;
            fn id(&self) -> &str {
                &self.id
            }
            fn participant_id(&self) -> &str {
                &self.participant_id
            }
            fn is_deleted(&self) -> bool {
                self.deleted
            }
            fn set_keys(&mut self, id: String, participant_id: String) {
                self.id = id;
                self.participant_id = participant_id;
            }
        }
    };
}
pub(crate) use record;

/// Declares a wire enum: snake_case on the wire, `as_str` for SQL and views.
macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
        pub enum $name {
            $(#[serde(rename = $wire)] $variant),+
        }

        impl $name {
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $wire),+
                }
            }
        }
    };
}
pub(crate) use wire_enum;

#[cfg(test)]
mod tests;
