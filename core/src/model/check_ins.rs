//! How the participant is doing, in a moment.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::record;
use crate::schema::Collection;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CheckIn {
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(skip)]
    pub id: String,
    #[serde(skip)]
    pub participant_id: String,
    pub at: DateTime<Utc>,
    /// 1 (very low) .. 5 (very good).
    pub mood: i64,
    /// 0 (none) .. 10 (overwhelming).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub craving: Option<i64>,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub note: Option<String>,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub deleted: bool,
}
record!(CheckIn, Collection::CheckIns);
