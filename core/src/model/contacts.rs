//! The people a participant leans on.

use serde::{Deserialize, Serialize};

use super::{record, wire_enum};
use crate::schema::Collection;

wire_enum!(ContactRole {
    PeerWorker = "peer_worker",
    Sponsor = "sponsor",
    Counselor = "counselor",
    Family = "family",
    Friend = "friend",
    Medical = "medical",
    Childcare = "childcare",
    CrisisLine = "crisis_line",
    Other = "other",
});

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Contact {
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(skip)]
    pub id: String,
    #[serde(skip)]
    pub participant_id: String,
    pub name: String,
    pub role: ContactRole,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub phone: Option<String>,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub can_text: bool,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub email: Option<String>,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub availability: Option<String>,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub is_emergency: bool,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub notes: Option<String>,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub deleted: bool,
}
record!(Contact, Collection::Contacts);
