//! The server's domain types: who people are, what a record is, what a push
//! reads and decides, what is audited. Every layer uses them; they use
//! nothing of the server's own.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::str::FromStr;

use alongside_protocol::Change;
use alongside_protocol::schema::check_id;
use serde_json::{Map, Value};

/// What a user may do; stored as its wire name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Participant,
    PeerWorker,
    Admin,
}

impl Role {
    pub const fn name(self) -> &'static str {
        match self {
            Role::Participant => "participant",
            Role::PeerWorker => "peer_worker",
            Role::Admin => "admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Role {
    type Err = String;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        match name {
            "participant" => Ok(Role::Participant),
            "peer_worker" => Ok(Role::PeerWorker),
            "admin" => Ok(Role::Admin),
            other => Err(format!("unknown role {other:?}: use participant, peer_worker or admin")),
        }
    }
}

/// A user as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Lowercase UUID; a participant's id is their `participant_id`.
    pub id: String,
    pub username: String,
    pub role: Role,
    pub display_name: String,
}

/// A user with the password hash that login checks (its `Debug` shows neither).
#[derive(Clone)]
pub struct Credentials {
    pub user: User,
    pub password_hash: String,
}

alongside_protocol::redacted_debug!(Credentials);

/// The device a bearer token belongs to, and its user.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub device_id: String,
}

/// What a bearer token opens: a session, or a device signed out with a wipe.
#[derive(Debug, Clone)]
pub enum Access {
    Session { session: Session, last_seen_ms: Option<i64> },
    Wiped,
}

/// A signed-in device as its person sees it in their list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceRecord {
    pub id: String,
    pub user_id: String,
    pub name: String,
    pub created_ms: i64,
    pub last_seen_ms: Option<i64>,
}

/// A signed-in device's push registration, as stored (JSON of
/// `wake::Registration`, read by the wake-up sender).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushDevice {
    pub device_id: String,
    pub user_id: String,
    pub registration: String,
}

/// A record is named by its collection and id: the singletons (profile,
/// sharing, safety_plan) share their record id, the participant id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RecordKey {
    pub collection: String,
    pub record_id: String,
}

impl RecordKey {
    pub fn new(collection: impl Into<String>, record_id: impl Into<String>) -> Self {
        RecordKey { collection: collection.into(), record_id: record_id.into() }
    }

    pub fn of(change: &Change) -> Self {
        RecordKey::new(&change.collection, &change.record_id)
    }
}

/// The current state of one record: per field its winning value, the HLC that
/// set it and the user who wrote it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredRecord {
    pub collection: String,
    pub record_id: String,
    pub participant_id: String,
    pub fields: Map<String, Value>,
    pub clocks: Map<String, Value>,
    pub authors: Map<String, Value>,
    /// The author of the record's first change: the record's author.
    pub first_author_id: String,
    /// Position in its participant's order of modifications; pull pages by it.
    pub seq: i64,
    /// Per field, the value its winning change's writer saw (`Change::base`),
    /// where that change said.
    pub bases: Map<String, Value>,
}

impl StoredRecord {
    pub fn key(&self) -> RecordKey {
        RecordKey::new(&self.collection, &self.record_id)
    }
}

/// Which records of one participant a pull may return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    pub participant_id: String,
    /// `None`: every collection.
    pub collections: Option<Vec<&'static str>>,
}

/// What a push transaction reads before the sync rules decide: the batch's
/// already applied change ids, the records it touches (and the sharing records
/// of the participants it names), and the pusher's caseload.
#[derive(Debug, Default)]
pub struct PushSnapshot {
    pub applied: HashSet<String>,
    pub records: HashMap<RecordKey, StoredRecord>,
    pub caseload: HashSet<String>,
}

/// What a push transaction writes after the sync rules decided.
#[derive(Debug, Default)]
pub struct PushWrites {
    /// Modified records, in the order they were last modified; each gets the
    /// next seq of its participant.
    pub records: Vec<StoredRecord>,
    /// `(participant_id, change_id)` of each change applied.
    pub applied: Vec<(String, String)>,
    /// Collections of a participant that just became visible to their peer
    /// workers: their records get new seqs so devices that already pulled
    /// past them receive them ("when a category becomes visible, the
    /// following pulls deliver its existing records too").
    pub redeliver: Vec<(String, Vec<&'static str>)>,
    /// Collections of a participant their peer workers may no longer hold:
    /// each gets a seq and a purge in the participant's sequence.
    pub revoke: Vec<(String, Vec<&'static str>)>,
    /// One entry per participant whose records the push applied.
    pub audit: Vec<AuditRecord>,
}

/// `push` or `pull`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditAction {
    Push,
    Pull,
}

impl AuditAction {
    pub const fn name(self) -> &'static str {
        match self {
            AuditAction::Push => "push",
            AuditAction::Pull => "pull",
        }
    }
}

impl FromStr for AuditAction {
    type Err = String;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        match name {
            "push" => Ok(AuditAction::Push),
            "pull" => Ok(AuditAction::Pull),
            other => Err(format!("unknown audit action {other:?}")),
        }
    }
}

/// One line of the append-only audit trail: who pushed or pulled how many
/// changes of which participant's records, in which collections.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    pub at_ms: i64,
    pub actor_id: String,
    pub actor_role: Role,
    pub action: AuditAction,
    pub participant_id: String,
    pub collections: Vec<String>,
    pub count: u64,
}

/// A new invite: only the code's hash is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInvite {
    pub code_hash: String,
    pub peer_worker_id: String,
    pub display_name: String,
    pub created_at_ms: i64,
    pub expires_at_ms: i64,
}

/// Everything registration writes, in one transaction (its `Debug` shows none of it).
#[derive(Clone)]
pub struct Registration {
    pub code_hash: String,
    pub user: User,
    pub password_hash: String,
    pub device_name: String,
    pub token_hash: String,
    pub now_ms: i64,
}

alongside_protocol::redacted_debug!(Registration);

/// The keys a push must load: every record the batch names, and the sharing
/// record of every participant it names (peer worker permissions need it).
/// Changes whose ids are not UUIDs are left out: they are rejected anyway, and
/// such text (a NUL, say) need not be valid in the database's text type.
pub fn push_keys(changes: &[Change]) -> Vec<RecordKey> {
    let well_formed: Vec<&Change> = changes.iter().filter(|c| has_uuid_ids(c)).collect();
    let mut keys: Vec<RecordKey> = well_formed.iter().map(|c| RecordKey::of(c)).collect();
    keys.extend(well_formed.iter().map(|c| RecordKey::new("sharing", &c.participant_id)));
    keys.sort();
    keys.dedup();
    keys
}

/// Whether a change's ids are UUIDs, as the protocol writes them.
pub fn has_uuid_ids(change: &Change) -> bool {
    [&change.change_id, &change.record_id, &change.participant_id].iter().all(|id| check_id("id", id).is_ok())
}

/// A stored invite, as registration reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invite {
    pub peer_worker_id: String,
    pub expires_at_ms: i64,
    pub used_at_ms: Option<i64>,
}

/// The database's connections at one moment (for metrics).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PoolUse {
    /// Open now.
    pub open: usize,
    /// Of those, taken by a query now.
    pub in_use: usize,
    /// The most there may be.
    pub max: usize,
    /// Queries waiting for a connection (PostgreSQL's pool only).
    pub waiting: usize,
}
