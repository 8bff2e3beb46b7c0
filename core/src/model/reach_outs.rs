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
pub struct ReachOut {
    #[serde(skip)]
    pub id: String,
    #[serde(skip)]
    pub participant_id: String,
    pub urgency: Urgency,
    #[serde(default)]
    pub message: Option<String>,
    pub created_at: DateTime<Utc>,
    pub status: ReachOutStatus,
    #[serde(default)]
    pub acknowledged_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub resolved_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub deleted: bool,
}
record!(ReachOut, Collection::ReachOuts);
