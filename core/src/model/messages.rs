//! Messages between a participant and their peer worker.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::record;
use crate::schema::Collection;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Message {
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(skip)]
    pub id: String,
    #[serde(skip)]
    pub participant_id: String,
    pub body: String,
    pub sent_at: DateTime<Utc>,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub read_at: Option<DateTime<Utc>>,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub deleted: bool,
}
record!(Message, Collection::Messages);
