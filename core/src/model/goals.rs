//! Goals with Goal Attainment Scaling, and progress entries over time.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{record, wire_enum};
use crate::schema::Collection;

wire_enum!(GoalArea {
    Recovery = "recovery",
    Parenting = "parenting",
    Health = "health",
    Housing = "housing",
    Employment = "employment",
    Education = "education",
    Legal = "legal",
    Relationships = "relationships",
    Finances = "finances",
    Other = "other",
});

wire_enum!(GoalStatus {
    Active = "active",
    Achieved = "achieved",
    Paused = "paused",
    Archived = "archived",
});

/// The five written GAS levels, -2 (much less than expected) to +2.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct GasLevels {
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(rename = "-2", default, skip_serializing_if = "Option::is_none")]
    pub much_less: Option<String>,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(rename = "-1", default, skip_serializing_if = "Option::is_none")]
    pub less: Option<String>,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(rename = "0", default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(rename = "1", default, skip_serializing_if = "Option::is_none")]
    pub more: Option<String>,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(rename = "2", default, skip_serializing_if = "Option::is_none")]
    pub much_more: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Goal {
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(skip)]
    pub id: String,
    #[serde(skip)]
    pub participant_id: String,
    pub title: String,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub description: Option<String>,
    pub area: GoalArea,
    pub status: GoalStatus,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub target_date: Option<NaiveDate>,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub gas_levels: Option<GasLevels>,
    /// The level reached now, -2..2.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub gas_score: Option<i64>,
    /// 1..10; absent means 1.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub gas_weight: Option<i64>,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub deleted: bool,
}
record!(Goal, Collection::Goals);

impl Goal {
    /// An active goal with only its title and area, the rest to fill in later.
    pub fn new(participant_id: &str, title: &str, area: GoalArea) -> Goal {
        Goal {
            id: String::new(),
            participant_id: participant_id.to_owned(),
            title: title.to_owned(),
            description: None,
            area,
            status: GoalStatus::Active,
            target_date: None,
            gas_levels: None,
            gas_score: None,
            gas_weight: None,
            deleted: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct GoalProgress {
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(skip)]
    pub id: String,
    #[serde(skip)]
    pub participant_id: String,
    pub goal_id: String,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub score: Option<i64>,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub note: Option<String>,
    pub recorded_at: DateTime<Utc>,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub deleted: bool,
}
record!(GoalProgress, Collection::GoalProgress);
