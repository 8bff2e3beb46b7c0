//! Who the participant is, and what they share with their peer worker.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::record;
use crate::schema::{Category, Collection};

/// The participant's profile; its id is the participant id.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Profile {
    #[serde(skip)]
    pub id: String,
    #[serde(skip)]
    pub participant_id: String,
    pub display_name: String,
    #[serde(default)]
    pub pronouns: Option<String>,
    /// IANA name; days in recovery are counted in this zone.
    pub timezone: String,
    #[serde(default)]
    pub deleted: bool,
}
record!(Profile, Collection::Profile);

/// The participant's consent: which categories their peer worker sees.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Sharing {
    #[serde(skip)]
    pub id: String,
    #[serde(skip)]
    pub participant_id: String,
    #[serde(default)]
    pub goals: bool,
    #[serde(default)]
    pub milestones: bool,
    #[serde(default)]
    pub check_ins: bool,
    #[serde(default)]
    pub coping: bool,
    #[serde(default)]
    pub contacts: bool,
    #[serde(default)]
    pub safety_plan: bool,
    #[serde(default)]
    pub assessments: bool,
    #[serde(default)]
    pub signed_at: Option<DateTime<Utc>>,
    /// After this day nothing is shared.
    #[serde(default)]
    pub expires_on: Option<NaiveDate>,
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
