//! The Stanley–Brown safety plan, pointing at the person's own strategies and
//! contacts. One per participant; its id is the participant id.

use serde::{Deserialize, Serialize};

use super::record;
use crate::schema::Collection;

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SafetyPlan {
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(skip)]
    pub id: String,
    #[serde(skip)]
    pub participant_id: String,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub warning_signs: Vec<String>,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub distractions: Vec<String>,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub environment_steps: Vec<String>,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub reasons_for_living: Vec<String>,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub strategy_ids: Vec<String>,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub help_contact_ids: Vec<String>,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub professional_contact_ids: Vec<String>,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub deleted: bool,
}
record!(SafetyPlan, Collection::SafetyPlan);
