//! The protocol crate's enums and records that cross the FFI, declared to
//! UniFFI here rather than derived there: the protocol crate stays free of
//! UniFFI (the server builds it too), and these types stay where the apps
//! have them, among the core's (Kotlin `org.alongside.core.model`, Swift
//! `AlongsideCore`). Each copy must list what its original has; the compiler
//! checks it does.

use alongside_protocol::care::{ContactRequest, Hours};
use alongside_protocol::devices::DeviceView;
use alongside_protocol::protocol::AuditEntry;
use alongside_protocol::push::{Offered, Registration, WebPushOffer};
use alongside_protocol::schema::{Category, Collection};

/// The category a collection belongs to; categories drive sharing.
#[uniffi::remote(Enum)]
pub enum Category {
    /// Visible to the participant's peer worker whatever is shared.
    Always,
    Goals,
    Milestones,
    CheckIns,
    Coping,
    Contacts,
    SafetyPlan,
    Assessments,
}

/// Every collection of the protocol.
#[uniffi::remote(Enum)]
pub enum Collection {
    Profile,
    Sharing,
    RecoveryPeriods,
    Goals,
    GoalProgress,
    Milestones,
    CopingStrategies,
    CopingUses,
    Contacts,
    CheckIns,
    SafetyPlan,
    ReachOuts,
    Assessments,
    Messages,
    EncounterNotes,
}

/// Who pushed or pulled which participant's records.
#[uniffi::remote(Record)]
pub struct AuditEntry {
    pub at: String,
    pub actor_id: String,
    pub actor_role: String,
    /// `push` or `pull`.
    pub action: String,
    pub participant_id: String,
    pub collections: Vec<String>,
    pub count: u64,
}

/// Where a device can be woken (`PUT /v1/devices/push`).
#[uniffi::remote(Enum)]
pub enum Registration {
    /// A Web Push subscription (also what a UnifiedPush distributor gives).
    WebPush {
        endpoint: String,
        p256dh: String,
        auth: String,
    },
    Fcm {
        token: String,
    },
    Apns {
        device_token: String,
    },
}

/// The push services a server wakes devices through.
#[uniffi::remote(Record)]
pub struct Offered {
    pub web_push: Option<WebPushOffer>,
    pub fcm: bool,
    pub apns: bool,
}

#[uniffi::remote(Record)]
pub struct WebPushOffer {
    pub vapid_public_key: String,
}

/// A peer worker's own number and usual hours (`/v1/me/contact`).
#[uniffi::remote(Record)]
pub struct ContactRequest {
    pub phone: Option<String>,
    pub hours: Option<Hours>,
}

/// When someone usually answers: `days` (`mon` … `sun`), `from` and `to`
/// (`HH:MM`) in `time_zone`.
#[uniffi::remote(Record)]
pub struct Hours {
    pub time_zone: String,
    pub days: Vec<String>,
    pub from: String,
    pub to: String,
}

/// One of the person's signed-in devices.
#[uniffi::remote(Record)]
pub struct DeviceView {
    pub id: String,
    pub name: String,
    pub first_seen: String,
    pub last_seen: Option<String>,
    pub this_device: bool,
}
