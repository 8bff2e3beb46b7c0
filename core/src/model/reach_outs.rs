//! "I need to talk": a participant reaching their peer worker.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{record, wire_enum};
use crate::schema::Collection;

wire_enum!(Urgency {
    WhenYouCan = "when_you_can",
    Today = "today",
    Urgent = "urgent",
});

wire_enum!(ReachOutStatus {
    Open = "open",
    Acknowledged = "acknowledged",
    Resolved = "resolved",
});

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ReachOut {
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(skip)]
    pub id: String,
    #[serde(skip)]
    pub participant_id: String,
    pub urgency: Urgency,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub message: Option<String>,
    pub created_at: DateTime<Utc>,
    pub status: ReachOutStatus,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub acknowledged_at: Option<DateTime<Utc>>,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub resolved_at: Option<DateTime<Utc>>,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub deleted: bool,
}
record!(ReachOut, Collection::ReachOuts);
