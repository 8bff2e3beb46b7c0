//! Who the participant is, and what they share with their peer worker.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::record;
use crate::schema::{Category, Collection};

/// The participant's profile; its id is the participant id.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Profile {
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(skip)]
    pub id: String,
    #[serde(skip)]
    pub participant_id: String,
    pub display_name: String,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub pronouns: Option<String>,
    /// IANA name; days in recovery are counted in this zone.
    pub timezone: String,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub deleted: bool,
}
record!(Profile, Collection::Profile);

/// The participant's consent: which categories their peer worker sees.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Sharing {
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(skip)]
    pub id: String,
    #[serde(skip)]
    pub participant_id: String,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub goals: bool,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub milestones: bool,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub check_ins: bool,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub coping: bool,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub contacts: bool,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub safety_plan: bool,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub assessments: bool,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub signed_at: Option<DateTime<Utc>>,
    /// After this day nothing is shared.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub expires_on: Option<NaiveDate>,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub deleted: bool,
}
record!(Sharing, Collection::Sharing);

impl Sharing {
    /// Whether `category` is shared on `today` (the `always` category is).
    pub fn shares(&self, category: Category, today: NaiveDate) -> bool {
        if category == Category::Always {
            return true;
        }
        if self.deleted || self.expires_on.is_some_and(|last| today > last) {
            return false;
        }
        match category {
            Category::Always => true,
            Category::Goals => self.goals,
            Category::Milestones => self.milestones,
            Category::CheckIns => self.check_ins,
            Category::Coping => self.coping,
            Category::Contacts => self.contacts,
            Category::SafetyPlan => self.safety_plan,
            Category::Assessments => self.assessments,
        }
    }
}
