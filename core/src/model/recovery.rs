//! Recovery time and milestones.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{record, wire_enum};
use crate::schema::Collection;

/// A stretch of recovery time. A return to use closes the current period
/// (`end_date`) and a new one starts; earlier periods stay as history.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RecoveryPeriod {
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(skip)]
    pub id: String,
    #[serde(skip)]
    pub participant_id: String,
    pub start_date: NaiveDate,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub end_date: Option<NaiveDate>,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub note: Option<String>,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub deleted: bool,
}
record!(RecoveryPeriod, Collection::RecoveryPeriods);

wire_enum!(MilestoneKind {
    RecoveryTime = "recovery_time",
    Personal = "personal",
});

/// A recovery-time milestone (`days` into a period) or a personal one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Milestone {
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(skip)]
    pub id: String,
    #[serde(skip)]
    pub participant_id: String,
    pub title: String,
    pub kind: MilestoneKind,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub days: Option<i64>,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub goal_id: Option<String>,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub target_date: Option<NaiveDate>,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub achieved_on: Option<NaiveDate>,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub celebrated: bool,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub note: Option<String>,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub deleted: bool,
}
record!(Milestone, Collection::Milestones);
