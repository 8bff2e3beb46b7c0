//! Storage: the one [`Store`] trait every backend implements, the value types
//! that cross it, and [`Database`], which picks a backend from a URL.
//!
//! What the server keeps is bounded: each record's current state (not a change
//! log), the ids of applied changes for a retention window, users, devices,
//! caseloads and recent login failures. Sync logic (LWW, permissions) lives in
//! `sync` and `policy`; a backend only loads, writes and orders rows.

mod postgres;
mod sqlite;

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::future::Future;
use std::str::FromStr;

use alongside_core::Change;
use alongside_core::protocol::PushResult;
use alongside_core::schema::check_id;
use serde_json::{Map, Value};

pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

use crate::sync::PushContext;

/// How long applied change ids are remembered so a re-push answers `duplicate`.
/// A device that retries a batch after longer than this gets `applied` again,
/// which merges to the same state (LWW is idempotent), so this only bounds
/// growth; it never changes data.
pub const APPLIED_CHANGE_RETENTION_MS: i64 = 90 * 24 * 60 * 60 * 1000;

/// Everything storage can fail with.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("unsupported database URL {0:?}: use sqlite://PATH or postgres://…")]
    UnsupportedUrl(String),
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("postgresql: {0}")]
    Postgres(#[from] tokio_postgres::Error),
    #[error("postgresql connection pool: {0}")]
    Pool(String),
    #[error("the database has schema version {found}; this server knows up to {supported}. Upgrade the server")]
    NewerSchema { found: i64, supported: i64 },
    #[error("{0}")]
    Conflict(String),
    #[error("stored data does not decode: {0}")]
    Corrupt(String),
    #[error("storage task failed: {0}")]
    Task(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

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

/// A user with the password hash that login checks.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub user: User,
    pub password_hash: String,
}

/// The device a bearer token belongs to, and its user.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub device_id: String,
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
    /// Position in the global order of modifications; pull pages by it.
    pub seq: i64,
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
    /// next seq.
    pub records: Vec<StoredRecord>,
    pub applied: Vec<String>,
    /// Collections of a participant that just became visible to their peer
    /// workers: their records get new seqs so devices that already pulled
    /// past them receive them ("when a category becomes visible, the
    /// following pulls deliver its existing records too").
    pub redeliver: Vec<(String, Vec<&'static str>)>,
    /// Collections of a participant their peer workers may no longer hold:
    /// each gets a seq and a [`Revocation`] per peer worker of the participant.
    pub revoke: Vec<(String, Vec<&'static str>)>,
    /// One entry per participant whose records the push applied.
    pub audit: Vec<AuditRecord>,
}

/// What a peer worker's devices must purge, at a seq in the global order, so
/// each device gets it once its cursor passes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revocation {
    pub seq: i64,
    pub participant_id: String,
    pub collections: Vec<String>,
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

/// Everything registration writes, in one transaction.
#[derive(Debug, Clone)]
pub struct Registration {
    pub code_hash: String,
    pub user: User,
    pub password_hash: String,
    pub device_name: String,
    pub token_hash: String,
    pub now_ms: i64,
}

/// What became of a registration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Registered {
    /// The user exists, on the inviting peer worker's caseload, with a device.
    Done {
        device_id: String,
    },
    UnknownCode,
    ExpiredCode,
    UsedCode,
    UsernameTaken,
}

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

/// The storage a server runs on. Every method is one transaction.
pub trait Store: Send + Sync {
    /// The key cursors are signed with; kept in the database so restarts and
    /// several instances agree.
    fn cursor_secret(&self) -> &[u8];

    fn create_user(&self, user: &User, password_hash: &str, now_ms: i64) -> impl Future<Output = StoreResult<()>> + Send;
    fn credentials(&self, username: &str) -> impl Future<Output = StoreResult<Option<Credentials>>> + Send;
    fn user_by_username(&self, username: &str) -> impl Future<Output = StoreResult<Option<User>>> + Send;

    fn create_device(&self, user_id: &str, name: &str, token_hash: &str, now_ms: i64) -> impl Future<Output = StoreResult<String>> + Send;
    fn session(&self, token_hash: &str) -> impl Future<Output = StoreResult<Option<Session>>> + Send;
    fn revoke_device(&self, device_id: &str, now_ms: i64) -> impl Future<Output = StoreResult<()>> + Send;

    /// Failure times for `username` at or after `since_ms`, oldest first.
    fn login_failures(&self, username: &str, since_ms: i64) -> impl Future<Output = StoreResult<Vec<i64>>> + Send;
    /// Records a failure and forgets every failure before `forget_before_ms`.
    fn record_login_failure(&self, username: &str, at_ms: i64, forget_before_ms: i64) -> impl Future<Output = StoreResult<()>> + Send;
    fn clear_login_failures(&self, username: &str) -> impl Future<Output = StoreResult<()>> + Send;

    /// Adds or removes a participant on a peer worker's caseload; returns
    /// whether anything changed.
    fn set_caseload(
        &self,
        peer_worker_id: &str,
        participant_id: &str,
        assigned: bool,
        now_ms: i64,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
    fn caseload(&self, peer_worker_id: &str) -> impl Future<Output = StoreResult<Vec<String>>> + Send;
    /// The peer workers who have `participant_id` on their caseload.
    fn peer_workers_of(&self, participant_id: &str) -> impl Future<Output = StoreResult<Vec<String>>> + Send;
    fn user(&self, id: &str) -> impl Future<Output = StoreResult<Option<User>>> + Send;

    fn create_invite(&self, invite: &NewInvite) -> impl Future<Output = StoreResult<()>> + Send;
    /// How many invites `peer_worker_id` made at or after `since_ms`.
    fn invites_since(&self, peer_worker_id: &str, since_ms: i64) -> impl Future<Output = StoreResult<u64>> + Send;
    /// Uses an invite: creates the user, puts them on the inviting peer
    /// worker's caseload, marks the code used and registers a device.
    fn register(&self, registration: &Registration) -> impl Future<Output = StoreResult<Registered>> + Send;

    /// `peer_worker_id`'s revocations after `after_seq`, by seq.
    fn revocations(&self, peer_worker_id: &str, after_seq: i64) -> impl Future<Output = StoreResult<Vec<Revocation>>> + Send;

    fn append_audit(&self, entries: &[AuditRecord]) -> impl Future<Output = StoreResult<()>> + Send;
    /// The newest `limit` entries about `participant_id`, newest first.
    fn audit(&self, participant_id: &str, limit: usize) -> impl Future<Output = StoreResult<Vec<AuditRecord>>> + Send;

    fn records(&self, keys: &[RecordKey]) -> impl Future<Output = StoreResult<Vec<StoredRecord>>> + Send;

    /// Applies a batch in one transaction: loads a [`PushSnapshot`], lets
    /// [`crate::sync::plan_push`] decide, writes the outcome.
    fn push(&self, context: &PushContext, changes: &[Change]) -> impl Future<Output = StoreResult<Vec<PushResult>>> + Send;

    /// Records in `scopes` with seq above `after_seq` (or at it, when
    /// `inclusive`), by seq, at most `limit`.
    fn pull(
        &self,
        scopes: &[Scope],
        after_seq: i64,
        inclusive: bool,
        limit: usize,
    ) -> impl Future<Output = StoreResult<Vec<StoredRecord>>> + Send;

    /// Forgets applied change ids received before `applied_before_ms` and
    /// login failures before `failures_before_ms`.
    fn prune(&self, applied_before_ms: i64, failures_before_ms: i64) -> impl Future<Output = StoreResult<()>> + Send;
}

/// The database the server runs on, chosen by URL.
#[derive(Debug, Clone)]
pub enum Database {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

impl Database {
    /// Opens (creating if needed) and migrates the database at `url`:
    /// `sqlite://PATH` or `postgres://…` / `postgresql://…`.
    pub async fn open(url: &str) -> StoreResult<Database> {
        if let Some(path) = url.strip_prefix("sqlite://") {
            Ok(Database::Sqlite(SqliteStore::open(path).await?))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Database::Postgres(PostgresStore::open(url).await?))
        } else {
            Err(StoreError::UnsupportedUrl(url.to_owned()))
        }
    }

    pub fn backend_name(&self) -> &'static str {
        match self {
            Database::Sqlite(_) => "sqlite",
            Database::Postgres(_) => "postgresql",
        }
    }
}

macro_rules! delegate {
    ($self:ident, $store:ident => $call:expr) => {
        match $self {
            Database::Sqlite($store) => $call.await,
            Database::Postgres($store) => $call.await,
        }
    };
}

impl Store for Database {
    fn cursor_secret(&self) -> &[u8] {
        match self {
            Database::Sqlite(store) => store.cursor_secret(),
            Database::Postgres(store) => store.cursor_secret(),
        }
    }

    async fn create_user(&self, user: &User, password_hash: &str, now_ms: i64) -> StoreResult<()> {
        delegate!(self, s => s.create_user(user, password_hash, now_ms))
    }

    async fn credentials(&self, username: &str) -> StoreResult<Option<Credentials>> {
        delegate!(self, s => s.credentials(username))
    }

    async fn user_by_username(&self, username: &str) -> StoreResult<Option<User>> {
        delegate!(self, s => s.user_by_username(username))
    }

    async fn create_device(&self, user_id: &str, name: &str, token_hash: &str, now_ms: i64) -> StoreResult<String> {
        delegate!(self, s => s.create_device(user_id, name, token_hash, now_ms))
    }

    async fn session(&self, token_hash: &str) -> StoreResult<Option<Session>> {
        delegate!(self, s => s.session(token_hash))
    }

    async fn revoke_device(&self, device_id: &str, now_ms: i64) -> StoreResult<()> {
        delegate!(self, s => s.revoke_device(device_id, now_ms))
    }

    async fn login_failures(&self, username: &str, since_ms: i64) -> StoreResult<Vec<i64>> {
        delegate!(self, s => s.login_failures(username, since_ms))
    }

    async fn record_login_failure(&self, username: &str, at_ms: i64, forget_before_ms: i64) -> StoreResult<()> {
        delegate!(self, s => s.record_login_failure(username, at_ms, forget_before_ms))
    }

    async fn clear_login_failures(&self, username: &str) -> StoreResult<()> {
        delegate!(self, s => s.clear_login_failures(username))
    }

    async fn set_caseload(&self, peer_worker_id: &str, participant_id: &str, assigned: bool, now_ms: i64) -> StoreResult<bool> {
        delegate!(self, s => s.set_caseload(peer_worker_id, participant_id, assigned, now_ms))
    }

    async fn caseload(&self, peer_worker_id: &str) -> StoreResult<Vec<String>> {
        delegate!(self, s => s.caseload(peer_worker_id))
    }

    async fn peer_workers_of(&self, participant_id: &str) -> StoreResult<Vec<String>> {
        delegate!(self, s => s.peer_workers_of(participant_id))
    }

    async fn user(&self, id: &str) -> StoreResult<Option<User>> {
        delegate!(self, s => s.user(id))
    }

    async fn create_invite(&self, invite: &NewInvite) -> StoreResult<()> {
        delegate!(self, s => s.create_invite(invite))
    }

    async fn invites_since(&self, peer_worker_id: &str, since_ms: i64) -> StoreResult<u64> {
        delegate!(self, s => s.invites_since(peer_worker_id, since_ms))
    }

    async fn register(&self, registration: &Registration) -> StoreResult<Registered> {
        delegate!(self, s => s.register(registration))
    }

    async fn revocations(&self, peer_worker_id: &str, after_seq: i64) -> StoreResult<Vec<Revocation>> {
        delegate!(self, s => s.revocations(peer_worker_id, after_seq))
    }

    async fn append_audit(&self, entries: &[AuditRecord]) -> StoreResult<()> {
        delegate!(self, s => s.append_audit(entries))
    }

    async fn audit(&self, participant_id: &str, limit: usize) -> StoreResult<Vec<AuditRecord>> {
        delegate!(self, s => s.audit(participant_id, limit))
    }

    async fn records(&self, keys: &[RecordKey]) -> StoreResult<Vec<StoredRecord>> {
        delegate!(self, s => s.records(keys))
    }

    async fn push(&self, context: &PushContext, changes: &[Change]) -> StoreResult<Vec<PushResult>> {
        delegate!(self, s => s.push(context, changes))
    }

    async fn pull(&self, scopes: &[Scope], after_seq: i64, inclusive: bool, limit: usize) -> StoreResult<Vec<StoredRecord>> {
        delegate!(self, s => s.pull(scopes, after_seq, inclusive, limit))
    }

    async fn prune(&self, applied_before_ms: i64, failures_before_ms: i64) -> StoreResult<()> {
        delegate!(self, s => s.prune(applied_before_ms, failures_before_ms))
    }
}

/// Encodes a JSON object column.
pub(crate) fn encode_map(map: &Map<String, Value>) -> StoreResult<String> {
    serde_json::to_string(map).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// Decodes a JSON object column.
pub(crate) fn decode_map(text: &str) -> StoreResult<Map<String, Value>> {
    match serde_json::from_str(text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(StoreError::Corrupt("a record column is not a JSON object".into())),
        Err(error) => Err(StoreError::Corrupt(error.to_string())),
    }
}

/// Encodes a list of names (collections) as a JSON array column.
pub(crate) fn encode_list<S: AsRef<str>>(names: &[S]) -> StoreResult<String> {
    serde_json::to_string(&names.iter().map(AsRef::as_ref).collect::<Vec<&str>>()).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// Decodes [`encode_list`].
pub(crate) fn decode_list(text: &str) -> StoreResult<Vec<String>> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// A fresh random 32-byte secret, for the cursor key.
pub(crate) fn new_secret() -> StoreResult<Vec<u8>> {
    let mut secret = vec![0u8; 32];
    getrandom::fill(&mut secret).map_err(|e| StoreError::Task(format!("no system randomness: {e}")))?;
    Ok(secret)
}

/// Lowercase hex, for secrets kept as text.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads [`hex`] text.
pub(crate) fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| text.get(i..i + 2).and_then(|pair| u8::from_str_radix(pair, 16).ok())).collect()
}
