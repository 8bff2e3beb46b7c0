//! Notes peer workers write about an encounter. A submitted note is locked;
//! corrections are new notes that `amends` it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{record, wire_enum};
use crate::schema::Collection;

wire_enum!(NoteStatus {
    Draft = "draft",
    Submitted = "submitted",
});

wire_enum!(EncounterMode {
    InPerson = "in_person",
    Phone = "phone",
    Video = "video",
    Text = "text",
});

wire_enum!(EncounterLocation {
    Home = "home",
    Community = "community",
    Office = "office",
    Hospital = "hospital",
    Court = "court",
    Shelter = "shelter",
    Other = "other",
});

wire_enum!(ServiceType {
    RecoveryCoaching = "recovery_coaching",
    ResourceNavigation = "resource_navigation",
    CrisisSupport = "crisis_support",
    Group = "group",
    Advocacy = "advocacy",
    FamilySupport = "family_support",
    Other = "other",
});

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct EncounterNote {
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(skip)]
    pub id: String,
    #[serde(skip)]
    pub participant_id: String,
    pub status: NoteStatus,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub amends: Option<String>,
    pub occurred_on: NaiveDate,
    pub duration_minutes: i64,
    pub mode: EncounterMode,
    pub location: EncounterLocation,
    pub service_types: Vec<ServiceType>,
    pub goal_ids: Vec<String>,
    pub summary: String,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub next_steps: Option<String>,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub deleted: bool,
}
record!(EncounterNote, Collection::EncounterNotes);
