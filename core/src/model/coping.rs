//! The coping toolbox and the log of how each strategy helped.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{record, wire_enum};
use crate::schema::Collection;

wire_enum!(CopingCategory {
    Craving = "craving",
    Stress = "stress",
    Mood = "mood",
    Parenting = "parenting",
    Sleep = "sleep",
    Anger = "anger",
    Other = "other",
});

wire_enum!(StrategySource {
    Builtin = "builtin",
    Personal = "personal",
    Peer = "peer",
});

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CopingStrategy {
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(skip)]
    pub id: String,
    #[serde(skip)]
    pub participant_id: String,
    pub title: String,
    pub steps: Vec<String>,
    pub category: CopingCategory,
    pub triggers: Vec<String>,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub favorite: bool,
    pub source: StrategySource,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub deleted: bool,
}
record!(CopingStrategy, Collection::CopingStrategies);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CopingUse {
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(skip)]
    pub id: String,
    #[serde(skip)]
    pub participant_id: String,
    pub strategy_id: String,
    pub used_at: DateTime<Utc>,
    /// 1 (did not help) .. 5 (helped a lot).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub helpfulness: Option<i64>,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub craving_before: Option<i64>,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub craving_after: Option<i64>,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub note: Option<String>,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub deleted: bool,
}
record!(CopingUse, Collection::CopingUses);
