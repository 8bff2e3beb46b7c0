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
pub struct Contact {
    #[serde(skip)]
    pub id: String,
    #[serde(skip)]
    pub participant_id: String,
    pub name: String,
    pub role: ContactRole,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub can_text: bool,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub availability: Option<String>,
    #[serde(default)]
    pub is_emergency: bool,
    #[serde(default)]
    pub notes: Option<String>,
    #[serde(default)]
    pub deleted: bool,
}
record!(Contact, Collection::Contacts);
