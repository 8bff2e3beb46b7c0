//! Storage: [`Database`] (SQLite or PostgreSQL, picked by URL), the value
//! types that cross it, and the [`Store`] operations that are one query.
//!
//! - `sql`: the executor both databases implement (an open transaction)
//! - `sqlite`, `postgres`: the two engines, and only what truly differs
//!   between them (connections, transactions, LISTEN/NOTIFY)
//! - `schema`: one list of schema versions and its runner
//! - `queries`: every query, written once
//! - `accounts`: the queries of a person's control of their account (passwords, reset codes, erasure)
//! - `backup`: an online copy of a SQLite database (`alongside-server backup`)
//!
//! What the server keeps is bounded: each record's current state (not a change
//! log), the ids of applied changes for a retention window, users, devices,
//! caseloads and recent login failures. Storage never decides a rule: services
//! (`sync`, `auth`) run queries inside one transaction and let the pure rules
//! (`policy`, `sync::plan_push`, `sync::plan`) decide.

pub mod accounts;
pub mod backup;
mod postgres;
pub mod queries;
mod schema;
pub mod sql;
mod sqlite;

use std::future::Future;
use std::sync::Arc;

use alongside_protocol::care::{Care, ContactRequest, OnCall};
use serde_json::{Map, Value};
use uuid::Uuid;

pub use crate::domain::{
    Access, AuditAction, AuditRecord, Credentials, DeviceRecord, Invite, NewInvite, PoolUse, PushDevice, PushSnapshot, PushWrites,
    RecordKey, Registration, Role, Scope, Session, StoredRecord, User, has_uuid_ids, push_keys,
};

pub use postgres::{EVENTS_CHANNEL, PostgresEngine};
pub use sql::{Executor, Work};
pub use sqlite::SqliteEngine;

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
    /// A row with the same unique key exists.
    #[error("a row with the same key exists")]
    Unique,
    /// Someone a write names was erased or closed meanwhile.
    #[error("{0}")]
    Absent(String),
    #[error("stored data does not decode: {0}")]
    Corrupt(String),
    #[error("storage task failed: {0}")]
    Task(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// The database the server runs on, chosen by URL.
#[derive(Debug, Clone)]
pub struct Database {
    engine: Engine,
    /// The key cursors are signed with; kept in the database so restarts and
    /// several instances agree.
    secret: Arc<Vec<u8>>,
    /// Which history of the data this is: new in a copy restored from a
    /// backup, so cursors given before tell (protocol/README.md "Restored servers").
    history: Uuid,
}

/// Where the history id is kept in `server_meta`.
pub(crate) const HISTORY_KEY: &str = "history_id";

#[derive(Debug, Clone)]
enum Engine {
    Sqlite(SqliteEngine),
    Postgres(PostgresEngine),
}

impl Database {
    /// Opens (creating if needed) and migrates the database at `url`:
    /// `sqlite://PATH` or `postgres://…` / `postgresql://…`.
    pub async fn open(url: &str) -> StoreResult<Database> {
        let engine = if let Some(path) = url.strip_prefix("sqlite://") {
            Engine::Sqlite(SqliteEngine::open(path).await?)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Engine::Postgres(PostgresEngine::open(url).await?)
        } else {
            return Err(StoreError::UnsupportedUrl(url.to_owned()));
        };
        let mut db = Database { engine, secret: Arc::new(Vec::new()), history: Uuid::nil() };
        let now_ms = crate::clock::wall_ms();
        db.write(move |tx| Box::pin(schema::migrate(tx, now_ms))).await?;
        let fresh = hex(&new_secret()?);
        let stored = db.write(move |tx| Box::pin(async move { queries::meta_or_insert(tx, "cursor_secret", &fresh).await })).await?;
        db.secret = Arc::new(unhex(&stored).ok_or_else(|| StoreError::Corrupt("the cursor secret is not hex".into()))?);
        let fresh = Uuid::new_v4().to_string();
        let stored = db.write(move |tx| Box::pin(async move { queries::meta_or_insert(tx, HISTORY_KEY, &fresh).await })).await?;
        db.history = parse_history(&stored)?;
        Ok(db)
    }

    /// Which history of the data this database holds (read when it was opened).
    pub fn history(&self) -> Uuid {
        self.history
    }

    /// Starts a new history: for a database just restored from a backup by
    /// other means than `backup` (which gives its copy one), such as
    /// `pg_restore`. Run it while no server serves the database: a running
    /// server keeps the history it read when it started.
    pub async fn start_new_history(&mut self) -> StoreResult<Uuid> {
        let fresh = Uuid::new_v4();
        let text = fresh.to_string();
        self.write(move |tx| Box::pin(async move { queries::set_meta(tx, HISTORY_KEY, Some(&text)).await })).await?;
        self.history = fresh;
        Ok(fresh)
    }

    pub fn backend_name(&self) -> &'static str {
        match &self.engine {
            Engine::Sqlite(_) => "sqlite",
            Engine::Postgres(_) => "postgresql",
        }
    }

    /// The connections open and in use now.
    pub fn pool_use(&self) -> PoolUse {
        match &self.engine {
            Engine::Sqlite(engine) => engine.pool_use(),
            Engine::Postgres(engine) => engine.pool_use(),
        }
    }

    /// The PostgreSQL engine, for sharing events between instances.
    pub fn postgres(&self) -> Option<&PostgresEngine> {
        match &self.engine {
            Engine::Postgres(engine) => Some(engine),
            Engine::Sqlite(_) => None,
        }
    }

    /// Runs `work` in one write transaction: committed if it succeeds, rolled
    /// back if it fails.
    pub async fn write<R: Send + 'static>(&self, work: impl Work<R>) -> StoreResult<R> {
        match &self.engine {
            Engine::Sqlite(engine) => engine.write(true, work).await,
            Engine::Postgres(engine) => engine.write(work).await,
        }
    }

    /// Runs `work` in one read-only transaction that sees one snapshot.
    pub async fn read<R: Send + 'static>(&self, work: impl Work<R>) -> StoreResult<R> {
        match &self.engine {
            Engine::Sqlite(engine) => engine.read(true, work).await,
            Engine::Postgres(engine) => engine.read(work).await,
        }
    }

    /// Runs `work` of one statement that writes, committed on its own.
    async fn write_one<R: Send + 'static>(&self, work: impl Work<R>) -> StoreResult<R> {
        match &self.engine {
            Engine::Sqlite(engine) => engine.write(false, work).await,
            Engine::Postgres(engine) => engine.once(work).await,
        }
    }

    /// Runs `work` of one statement that reads.
    async fn read_one<R: Send + 'static>(&self, work: impl Work<R>) -> StoreResult<R> {
        match &self.engine {
            Engine::Sqlite(engine) => engine.read(false, work).await,
            Engine::Postgres(engine) => engine.once(work).await,
        }
    }
}

/// Runs one query function with owned arguments: `read` and `write` in a
/// transaction, `read_one` and `write_one` (one statement) without:
/// `one!(self, read_one, queries::user(&id))`.
macro_rules! one {
    ($db:expr, $mode:ident, $($call:ident)::+ ($($arg:expr),* $(,)?)) => {{
        $db.$mode(move |tx| Box::pin(async move { $($call)::+(tx, $($arg),*).await })).await
    }};
}

/// The storage operations that are one query each, for the API and the CLI.
pub trait Store: Send + Sync {
    fn cursor_secret(&self) -> &[u8];

    /// A taken username is [`StoreError::Conflict`].
    fn create_user(&self, user: &User, password_hash: &str, now_ms: i64) -> impl Future<Output = StoreResult<()>> + Send;
    fn credentials(&self, username: &str) -> impl Future<Output = StoreResult<Option<Credentials>>> + Send;
    fn user_by_username(&self, username: &str) -> impl Future<Output = StoreResult<Option<User>>> + Send;
    fn user(&self, id: &str) -> impl Future<Output = StoreResult<Option<User>>> + Send;

    fn create_device(&self, user_id: &str, name: &str, token_hash: &str, now_ms: i64) -> impl Future<Output = StoreResult<String>> + Send;
    fn session(&self, token_hash: &str) -> impl Future<Output = StoreResult<Option<Access>>> + Send;
    fn touch_device(&self, device_id: &str, now_ms: i64) -> impl Future<Output = StoreResult<()>> + Send;
    /// The signed-in devices of `user_id`.
    fn devices(&self, user_id: &str) -> impl Future<Output = StoreResult<Vec<DeviceRecord>>> + Send;
    /// A signed-in device.
    fn device(&self, device_id: &str) -> impl Future<Output = StoreResult<Option<DeviceRecord>>> + Send;
    fn wipe_device(&self, device_id: &str, now_ms: i64) -> impl Future<Output = StoreResult<()>> + Send;
    fn revoke_device(&self, device_id: &str, now_ms: i64) -> impl Future<Output = StoreResult<()>> + Send;

    /// Failure times for `username` at or after `since_ms`, oldest first.
    fn login_failures(&self, username: &str, since_ms: i64) -> impl Future<Output = StoreResult<Vec<i64>>> + Send;
    /// Records a failure and forgets every failure before `forget_before_ms`.
    fn record_login_failure(&self, username: &str, at_ms: i64, forget_before_ms: i64) -> impl Future<Output = StoreResult<()>> + Send;
    fn clear_login_failures(&self, username: &str) -> impl Future<Output = StoreResult<()>> + Send;

    /// Adds or removes a participant on a peer worker's caseload; returns
    /// whether anything changed. (Pulls follow from the caseload alone: a
    /// device's cursor names the participants it holds.)
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
    /// Whom a participant can reach for help.
    fn care(&self, participant_id: &str) -> impl Future<Output = StoreResult<Care>> + Send;
    fn set_contact(&self, user_id: &str, contact: &ContactRequest) -> impl Future<Output = StoreResult<()>> + Send;
    fn contact(&self, user_id: &str) -> impl Future<Output = StoreResult<ContactRequest>> + Send;
    fn set_on_call(&self, on_call: Option<&OnCall>) -> impl Future<Output = StoreResult<()>> + Send;

    /// Where a device is woken (a registration as JSON), replacing any before.
    fn set_push_registration(
        &self,
        device_id: &str,
        user_id: &str,
        registration: &str,
        now_ms: i64,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    fn forget_push_registration(&self, device_id: &str) -> impl Future<Output = StoreResult<()>> + Send;
    /// The registrations of the signed-in devices of `user_ids`.
    fn push_registrations(&self, user_ids: &[String]) -> impl Future<Output = StoreResult<Vec<PushDevice>>> + Send;

    /// An existing code is [`StoreError::Conflict`].
    fn create_invite(&self, invite: &NewInvite) -> impl Future<Output = StoreResult<()>> + Send;
    /// How many invites `peer_worker_id` made at or after `since_ms`.
    fn invites_since(&self, peer_worker_id: &str, since_ms: i64) -> impl Future<Output = StoreResult<u64>> + Send;

    fn append_audit(&self, entries: &[AuditRecord]) -> impl Future<Output = StoreResult<()>> + Send;
    /// The newest `limit` entries about `participant_id`, newest first.
    fn audit(&self, participant_id: &str, limit: usize) -> impl Future<Output = StoreResult<Vec<AuditRecord>>> + Send;

    fn records(&self, keys: &[RecordKey]) -> impl Future<Output = StoreResult<Vec<StoredRecord>>> + Send;

    /// Forgets applied change ids received before `applied_before_ms` and
    /// login failures before `failures_before_ms`.
    fn prune(&self, applied_before_ms: i64, failures_before_ms: i64) -> impl Future<Output = StoreResult<()>> + Send;
}

/// A unique-key conflict as the words an API shows.
fn conflict<T>(result: StoreResult<T>, message: impl FnOnce() -> String) -> StoreResult<T> {
    match result {
        Err(StoreError::Unique) => Err(StoreError::Conflict(message())),
        other => other,
    }
}

impl Store for Database {
    fn cursor_secret(&self) -> &[u8] {
        &self.secret
    }

    async fn create_user(&self, user: &User, password_hash: &str, now_ms: i64) -> StoreResult<()> {
        let (owned, hash) = (user.clone(), password_hash.to_owned());
        conflict(one!(self, write, queries::insert_user(&owned, &hash, now_ms)), || format!("the username {} is taken", user.username))
    }

    async fn credentials(&self, username: &str) -> StoreResult<Option<Credentials>> {
        let username = username.to_owned();
        one!(self, read_one, queries::credentials(&username))
    }

    async fn user_by_username(&self, username: &str) -> StoreResult<Option<User>> {
        Ok(self.credentials(username).await?.map(|c| c.user))
    }

    async fn user(&self, id: &str) -> StoreResult<Option<User>> {
        let id = id.to_owned();
        one!(self, read_one, queries::user(&id))
    }

    async fn create_device(&self, user_id: &str, name: &str, token_hash: &str, now_ms: i64) -> StoreResult<String> {
        let (user_id, name, token_hash) = (user_id.to_owned(), name.to_owned(), token_hash.to_owned());
        one!(self, write_one, queries::insert_device(&user_id, &name, &token_hash, now_ms))
    }

    async fn session(&self, token_hash: &str) -> StoreResult<Option<Access>> {
        let token_hash = token_hash.to_owned();
        one!(self, read_one, queries::session(&token_hash))
    }

    async fn touch_device(&self, device_id: &str, now_ms: i64) -> StoreResult<()> {
        let device_id = device_id.to_owned();
        one!(self, write_one, queries::touch_device(&device_id, now_ms))
    }

    async fn devices(&self, user_id: &str) -> StoreResult<Vec<DeviceRecord>> {
        let user_id = user_id.to_owned();
        one!(self, read_one, queries::devices(&user_id))
    }

    async fn device(&self, device_id: &str) -> StoreResult<Option<DeviceRecord>> {
        let device_id = device_id.to_owned();
        one!(self, read_one, queries::device(&device_id))
    }

    async fn wipe_device(&self, device_id: &str, now_ms: i64) -> StoreResult<()> {
        let device_id = device_id.to_owned();
        one!(self, write_one, queries::wipe_device(&device_id, now_ms))
    }

    async fn revoke_device(&self, device_id: &str, now_ms: i64) -> StoreResult<()> {
        let device_id = device_id.to_owned();
        one!(self, write_one, queries::revoke_device(&device_id, now_ms))
    }

    async fn login_failures(&self, username: &str, since_ms: i64) -> StoreResult<Vec<i64>> {
        let username = username.to_owned();
        one!(self, read_one, queries::login_failures(&username, since_ms))
    }

    async fn record_login_failure(&self, username: &str, at_ms: i64, forget_before_ms: i64) -> StoreResult<()> {
        let username = username.to_owned();
        one!(self, write, queries::record_login_failure(&username, at_ms, forget_before_ms))
    }

    async fn clear_login_failures(&self, username: &str) -> StoreResult<()> {
        let username = username.to_owned();
        one!(self, write_one, queries::clear_login_failures(&username))
    }

    async fn set_caseload(&self, peer_worker_id: &str, participant_id: &str, assigned: bool, now_ms: i64) -> StoreResult<bool> {
        let (peer, participant) = (peer_worker_id.to_owned(), participant_id.to_owned());
        if assigned {
            one!(self, write, queries::assign(&peer, &participant, now_ms))
        } else {
            one!(self, write_one, queries::unassign(&peer, &participant))
        }
    }

    async fn caseload(&self, peer_worker_id: &str) -> StoreResult<Vec<String>> {
        let peer = peer_worker_id.to_owned();
        Ok(one!(self, read_one, queries::caseload(&peer))?.into_iter().map(|(id, _)| id).collect())
    }

    async fn peer_workers_of(&self, participant_id: &str) -> StoreResult<Vec<String>> {
        let participant = participant_id.to_owned();
        one!(self, read_one, queries::peer_workers_of(&participant))
    }

    async fn care(&self, participant_id: &str) -> StoreResult<Care> {
        let participant = participant_id.to_owned();
        one!(self, read, queries::care(&participant))
    }

    async fn set_contact(&self, user_id: &str, contact: &ContactRequest) -> StoreResult<()> {
        let (user_id, contact) = (user_id.to_owned(), contact.clone());
        one!(self, write_one, queries::set_contact(&user_id, &contact))
    }

    async fn contact(&self, user_id: &str) -> StoreResult<ContactRequest> {
        let user_id = user_id.to_owned();
        one!(self, read_one, queries::contact(&user_id))
    }

    async fn set_on_call(&self, on_call: Option<&OnCall>) -> StoreResult<()> {
        let on_call = on_call.cloned();
        one!(self, write_one, queries::set_on_call(on_call.as_ref()))
    }

    async fn set_push_registration(&self, device_id: &str, user_id: &str, registration: &str, now_ms: i64) -> StoreResult<()> {
        let (device_id, user_id, registration) = (device_id.to_owned(), user_id.to_owned(), registration.to_owned());
        one!(self, write_one, queries::set_push_registration(&device_id, &user_id, &registration, now_ms))
    }

    async fn forget_push_registration(&self, device_id: &str) -> StoreResult<()> {
        let device_id = device_id.to_owned();
        one!(self, write_one, queries::forget_push_registration(&device_id))
    }

    async fn push_registrations(&self, user_ids: &[String]) -> StoreResult<Vec<PushDevice>> {
        let user_ids = user_ids.to_vec();
        one!(self, read_one, queries::push_registrations(&user_ids))
    }

    async fn create_invite(&self, invite: &NewInvite) -> StoreResult<()> {
        let invite = invite.clone();
        conflict(one!(self, write_one, queries::insert_invite(&invite)), || "the invite code exists".into())
    }

    async fn invites_since(&self, peer_worker_id: &str, since_ms: i64) -> StoreResult<u64> {
        let peer = peer_worker_id.to_owned();
        one!(self, read_one, queries::invites_since(&peer, since_ms))
    }

    async fn append_audit(&self, entries: &[AuditRecord]) -> StoreResult<()> {
        if entries.is_empty() {
            return Ok(());
        }
        let entries = entries.to_vec();
        one!(self, write_one, queries::append_audit(&entries))
    }

    async fn audit(&self, participant_id: &str, limit: usize) -> StoreResult<Vec<AuditRecord>> {
        let participant = participant_id.to_owned();
        one!(self, read_one, queries::audit(&participant, limit))
    }

    async fn records(&self, keys: &[RecordKey]) -> StoreResult<Vec<StoredRecord>> {
        let keys = keys.to_vec();
        one!(self, read_one, queries::records(&keys))
    }

    async fn prune(&self, applied_before_ms: i64, failures_before_ms: i64) -> StoreResult<()> {
        let forgotten = one!(self, write, queries::prune(applied_before_ms, failures_before_ms))?;
        tracing::info!(forgotten, "pruned applied change ids past retention");
        Ok(())
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

/// Encodes a value as a JSON column.
pub(crate) fn encode_json<T: serde::Serialize + ?Sized>(value: &T) -> StoreResult<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// Decodes a JSON column.
pub(crate) fn decode_json<T: serde::de::DeserializeOwned>(text: &str) -> StoreResult<T> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// Encodes a list of names (collections) as a JSON array column.
pub(crate) fn encode_list<S: AsRef<str>>(names: &[S]) -> StoreResult<String> {
    encode_json(&names.iter().map(AsRef::as_ref).collect::<Vec<&str>>())
}

/// Decodes [`encode_list`].
pub(crate) fn decode_list(text: &str) -> StoreResult<Vec<String>> {
    decode_json(text)
}

/// Reads a history id kept as text.
pub(crate) fn parse_history(text: &str) -> StoreResult<Uuid> {
    Uuid::parse_str(text).map_err(|_| StoreError::Corrupt("the history id is not a UUID".into()))
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
