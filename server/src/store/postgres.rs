//! The PostgreSQL backend, for production and scale-out: several server
//! instances may share one database. Pushes serialise on the one
//! `sync_counter` row (locked first in each push transaction), so seqs become
//! visible in the order they were handed out and a pull never skips a change
//! that commits late.
//!
//! Connections are made without TLS; run the database on the same host or a
//! private network (a TLS connector is future work).

use std::collections::HashSet;
use std::sync::Arc;

use alongside_core::Change;
use alongside_core::protocol::PushResult;
use deadpool_postgres::{Manager, ManagerConfig, Object, Pool, RecyclingMethod};
use tokio_postgres::error::SqlState;
use tokio_postgres::types::ToSql;
use tokio_postgres::{GenericClient, NoTls, Row};

use super::{
    AuditRecord, Credentials, NewInvite, PushSnapshot, PushWrites, RecordKey, Registered, Registration, Revocation, Role, Scope, Session,
    Store, StoreError, StoreResult, StoredRecord, User, decode_list, decode_map, encode_list, encode_map, has_uuid_ids, hex, new_secret,
    push_keys, unhex,
};
use crate::sync::{PushContext, plan_push};

const POOL_SIZE: usize = 16;

/// Taken while migrating, so instances starting together migrate once.
const MIGRATION_LOCK: i64 = 0x616c_6f6e_6773;

/// Each entry is one schema version; never edit one that has shipped, add the next.
const MIGRATIONS: &[&str] = &[
    r"
CREATE TABLE server_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('participant', 'peer_worker', 'admin')),
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE devices (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT UNIQUE,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX devices_user ON devices (user_id);
CREATE TABLE caseload (
    peer_worker_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    participant_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    assigned_at BIGINT NOT NULL,
    PRIMARY KEY (peer_worker_id, participant_id)
);
CREATE TABLE records (
    collection TEXT NOT NULL,
    record_id TEXT NOT NULL,
    participant_id TEXT NOT NULL,
    fields TEXT NOT NULL,
    clocks TEXT NOT NULL,
    authors TEXT NOT NULL,
    first_author_id TEXT NOT NULL,
    seq BIGINT NOT NULL UNIQUE,
    PRIMARY KEY (collection, record_id)
);
CREATE INDEX records_participant_seq ON records (participant_id, seq);
CREATE INDEX records_record_id ON records (record_id);
CREATE TABLE sync_counter (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL
);
INSERT INTO sync_counter (id, seq) VALUES (1, 0);
CREATE TABLE applied_changes (
    change_id TEXT PRIMARY KEY,
    received_at BIGINT NOT NULL
);
CREATE INDEX applied_changes_received ON applied_changes (received_at);
CREATE TABLE login_failures (
    username TEXT NOT NULL,
    failed_at BIGINT NOT NULL
);
CREATE INDEX login_failures_username ON login_failures (username, failed_at);
CREATE INDEX login_failures_at ON login_failures (failed_at);
",
    r"
CREATE TABLE revocations (
    seq BIGINT NOT NULL,
    peer_worker_id TEXT NOT NULL,
    participant_id TEXT NOT NULL,
    collections TEXT NOT NULL,
    at BIGINT NOT NULL,
    PRIMARY KEY (peer_worker_id, seq, participant_id)
);
CREATE TABLE invites (
    code_hash TEXT PRIMARY KEY,
    peer_worker_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    display_name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    used_by TEXT
);
CREATE INDEX invites_peer_worker ON invites (peer_worker_id, created_at);
CREATE INDEX caseload_participant ON caseload (participant_id);
CREATE TABLE audit (
    id BIGSERIAL PRIMARY KEY,
    at BIGINT NOT NULL,
    actor_id TEXT NOT NULL,
    actor_role TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('push', 'pull')),
    participant_id TEXT NOT NULL,
    collections TEXT NOT NULL,
    count BIGINT NOT NULL
);
CREATE INDEX audit_participant ON audit (participant_id, id);
CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only';
END;
$$;
CREATE TRIGGER audit_no_update_or_delete BEFORE UPDATE OR DELETE ON audit FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
",
];

const RECORD_COLUMNS: &str = "collection, record_id, participant_id, fields, clocks, authors, first_author_id, seq";

/// The `LISTEN`/`NOTIFY` channel that carries event announcements between
/// server instances.
pub const EVENTS_CHANNEL: &str = "alongside_events";

/// The PostgreSQL backend.
#[derive(Clone)]
pub struct PostgresStore {
    pool: Pool,
    secret: Arc<Vec<u8>>,
    config: Arc<tokio_postgres::Config>,
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The secret stays out of debug output.
        f.debug_struct("PostgresStore").field("pool", &self.pool.status()).finish_non_exhaustive()
    }
}

fn pool_error(error: deadpool_postgres::PoolError) -> StoreError {
    StoreError::Pool(error.to_string())
}

async fn migrate(client: &mut Object, now_ms: i64) -> StoreResult<()> {
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK]).await?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)").await?;
    let current: i64 = tx.query_one("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", &[]).await?.try_get(0)?;
    let supported = i64::try_from(MIGRATIONS.len()).unwrap_or(i64::MAX);
    if current > supported {
        return Err(StoreError::NewerSchema { found: current, supported });
    }
    for (version, sql) in (1_i64..).zip(MIGRATIONS).skip(usize::try_from(current).unwrap_or(0)) {
        tx.batch_execute(sql).await?;
        tx.execute("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)", &[&version, &now_ms]).await?;
    }
    tx.commit().await?;
    Ok(())
}

fn user_from(row: &Row) -> StoreResult<User> {
    let role: String = row.try_get(2)?;
    Ok(User {
        id: row.try_get(0)?,
        username: row.try_get(1)?,
        role: role.parse::<Role>().map_err(StoreError::Corrupt)?,
        display_name: row.try_get(3)?,
    })
}

fn record_from(row: &Row) -> StoreResult<StoredRecord> {
    Ok(StoredRecord {
        collection: row.try_get(0)?,
        record_id: row.try_get(1)?,
        participant_id: row.try_get(2)?,
        fields: decode_map(row.try_get(3)?)?,
        clocks: decode_map(row.try_get(4)?)?,
        authors: decode_map(row.try_get(5)?)?,
        first_author_id: row.try_get(6)?,
        seq: row.try_get(7)?,
    })
}

/// Statements of a push, prepared once per connection.
const LOCK_COUNTER: &str = "SELECT seq FROM sync_counter WHERE id = 1 FOR UPDATE";
const SELECT_APPLIED: &str = "SELECT change_id FROM applied_changes WHERE change_id = ANY($1)";
const SELECT_CASELOAD: &str = "SELECT participant_id FROM caseload WHERE peer_worker_id = $1 ORDER BY participant_id";
const UPDATE_COUNTER: &str = "UPDATE sync_counter SET seq = $1 WHERE id = 1";
const INSERT_APPLIED: &str =
    "INSERT INTO applied_changes (change_id, received_at) SELECT UNNEST($1::text[]), $2 ON CONFLICT (change_id) DO NOTHING";
const INSERT_AUDIT: &str = "INSERT INTO audit (at, actor_id, actor_role, action, participant_id, collections, count)
     SELECT * FROM UNNEST($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[])";

fn select_records() -> String {
    format!("SELECT {RECORD_COLUMNS} FROM records WHERE record_id = ANY($1)")
}

fn upsert_records() -> String {
    format!(
        "INSERT INTO records ({RECORD_COLUMNS})
         SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[])
         ON CONFLICT (collection, record_id) DO UPDATE SET
             fields = EXCLUDED.fields, clocks = EXCLUDED.clocks, authors = EXCLUDED.authors, seq = EXCLUDED.seq"
    )
}

/// Writes what a push decided. The statements that always run go out together
/// (tokio-postgres pipelines them), so the counter lock is held for as few
/// round trips as possible; revocations and redeliveries, which are rare, go
/// one by one before them.
async fn write_push(tx: &deadpool_postgres::Transaction<'_>, writes: PushWrites, counter: i64, now_ms: i64) -> StoreResult<()> {
    let mut seq = counter;
    let mut columns: [Vec<String>; 7] = Default::default();
    let mut seqs = Vec::with_capacity(writes.records.len());
    for record in writes.records {
        seq += 1;
        let values = [
            record.collection,
            record.record_id,
            record.participant_id,
            encode_map(&record.fields)?,
            encode_map(&record.clocks)?,
            encode_map(&record.authors)?,
            record.first_author_id,
        ];
        for (column, value) in columns.iter_mut().zip(values) {
            column.push(value);
        }
        seqs.push(seq);
    }
    let upsert_sql = upsert_records();
    let (upsert, counter_update, applied, audit_insert) = tokio::try_join!(
        tx.prepare_cached(&upsert_sql),
        tx.prepare_cached(UPDATE_COUNTER),
        tx.prepare_cached(INSERT_APPLIED),
        tx.prepare_cached(INSERT_AUDIT),
    )?;
    let [c0, c1, c2, c3, c4, c5, c6] = &columns;
    // Redelivery moves records after everything written here, so the
    // records go first then.
    let records_first = !writes.redeliver.is_empty() && !seqs.is_empty();
    if records_first {
        tx.execute(&upsert, &[c0, c1, c2, c3, c4, c5, c6, &seqs]).await?;
    }
    for (participant_id, collections) in &writes.revoke {
        seq += 1;
        revoke(&**tx, participant_id, None, collections, seq, now_ms).await?;
    }
    for (participant_id, collections) in &writes.redeliver {
        seq = restamp(&**tx, participant_id, Some(collections), seq).await?;
    }
    let audit = audit_columns(&writes.audit)?;
    let write_records =
        async { if seqs.is_empty() || records_first { Ok(0) } else { tx.execute(&upsert, &[c0, c1, c2, c3, c4, c5, c6, &seqs]).await } };
    let write_counter = async { if seq == counter { Ok(0) } else { tx.execute(&counter_update, &[&seq]).await } };
    let write_applied = async { if writes.applied.is_empty() { Ok(0) } else { tx.execute(&applied, &[&writes.applied, &now_ms]).await } };
    let write_audit = async {
        if writes.audit.is_empty() {
            Ok(0)
        } else {
            tx.execute(&audit_insert, &[&audit.0, &audit.1, &audit.2, &audit.3, &audit.4, &audit.5, &audit.6]).await
        }
    };
    tokio::try_join!(write_records, write_counter, write_applied, write_audit)?;
    Ok(())
}

type AuditColumns<'a> = (Vec<i64>, Vec<&'a str>, Vec<&'a str>, Vec<&'a str>, Vec<&'a str>, Vec<String>, Vec<i64>);

fn audit_columns(entries: &[AuditRecord]) -> StoreResult<AuditColumns<'_>> {
    let mut columns: AuditColumns<'_> = Default::default();
    for entry in entries {
        columns.0.push(entry.at_ms);
        columns.1.push(&entry.actor_id);
        columns.2.push(entry.actor_role.name());
        columns.3.push(entry.action.name());
        columns.4.push(&entry.participant_id);
        columns.5.push(encode_list(&entry.collections)?);
        columns.6.push(i64::try_from(entry.count).unwrap_or(i64::MAX));
    }
    Ok(columns)
}

/// Records at `seq` that the peer workers of `participant_id` (or only
/// `peer_worker_id`) must purge `collections`.
async fn revoke(
    client: &impl GenericClient,
    participant_id: &str,
    peer_worker_id: Option<&str>,
    collections: &[&str],
    seq: i64,
    now_ms: i64,
) -> StoreResult<()> {
    let collections = encode_list(collections)?;
    match peer_worker_id {
        Some(peer) => {
            client
                .execute(
                    "INSERT INTO revocations (seq, peer_worker_id, participant_id, collections, at) VALUES ($1, $2, $3, $4, $5)
                     ON CONFLICT DO NOTHING",
                    &[&seq, &peer, &participant_id, &collections, &now_ms],
                )
                .await?;
        }
        None => {
            client
                .execute(
                    "INSERT INTO revocations (seq, peer_worker_id, participant_id, collections, at)
                     SELECT $1, peer_worker_id, $2, $3, $4 FROM caseload WHERE participant_id = $2 ON CONFLICT DO NOTHING",
                    &[&seq, &participant_id, &collections, &now_ms],
                )
                .await?;
        }
    }
    Ok(())
}

/// Gives a participant's records (in `collections`, or all) new seqs after
/// `seq`, keeping their order, so every device pulls them again. Returns the
/// last seq used; the caller holds the `sync_counter` lock and stores it.
async fn restamp(client: &impl GenericClient, participant_id: &str, collections: Option<&[&str]>, seq: i64) -> StoreResult<i64> {
    let collections: Option<Vec<&str>> = collections.map(<[&str]>::to_vec);
    let moved = client
        .execute(
            "WITH ordered AS (
                 SELECT collection, record_id, row_number() OVER (ORDER BY seq) AS n FROM records
                 WHERE participant_id = $1 AND ($2::text[] IS NULL OR collection = ANY($2::text[])))
             UPDATE records r SET seq = $3 + ordered.n FROM ordered
             WHERE r.collection = ordered.collection AND r.record_id = ordered.record_id",
            &[&participant_id, &collections, &seq],
        )
        .await?;
    Ok(seq + i64::try_from(moved).unwrap_or(i64::MAX))
}

type Param = Box<dyn ToSql + Sync + Send>;

/// Query text and parameters selecting `scopes` after a seq.
fn pull_query(scopes: &[Scope], after_seq: i64, inclusive: bool, limit: usize) -> (String, Vec<Param>) {
    let mut params: Vec<Param> = vec![Box::new(after_seq)];
    let mut alternatives = Vec::new();
    for scope in scopes {
        match &scope.collections {
            Some(collections) if collections.is_empty() => continue,
            Some(collections) => {
                params.push(Box::new(scope.participant_id.clone()));
                params.push(Box::new(collections.iter().map(|c| (*c).to_owned()).collect::<Vec<String>>()));
                alternatives.push(format!("(participant_id = ${} AND collection = ANY(${}))", params.len() - 1, params.len()));
            }
            None => {
                params.push(Box::new(scope.participant_id.clone()));
                alternatives.push(format!("(participant_id = ${})", params.len()));
            }
        }
    }
    if alternatives.is_empty() {
        alternatives.push("FALSE".into());
    }
    params.push(Box::new(i64::try_from(limit).unwrap_or(i64::MAX)));
    let sql = format!(
        "SELECT {RECORD_COLUMNS} FROM records WHERE seq {} $1 AND ({}) ORDER BY seq LIMIT ${}",
        if inclusive { ">=" } else { ">" },
        alternatives.join(" OR "),
        params.len()
    );
    (sql, params)
}

impl PostgresStore {
    /// Connects to the database at `url` and migrates it.
    pub async fn open(url: &str) -> StoreResult<PostgresStore> {
        let config: tokio_postgres::Config = url.parse()?;
        let manager = Manager::from_config(config.clone(), NoTls, ManagerConfig { recycling_method: RecyclingMethod::Fast });
        let pool = Pool::builder(manager).max_size(POOL_SIZE).build().map_err(|e| StoreError::Pool(e.to_string()))?;
        let mut client = pool.get().await.map_err(pool_error)?;
        migrate(&mut client, crate::auth::now_ms()).await?;
        let fresh = hex(&new_secret()?);
        client.execute("INSERT INTO server_meta (key, value) VALUES ('cursor_secret', $1) ON CONFLICT (key) DO NOTHING", &[&fresh]).await?;
        let stored: String = client.query_one("SELECT value FROM server_meta WHERE key = 'cursor_secret'", &[]).await?.try_get(0)?;
        let secret = unhex(&stored).ok_or_else(|| StoreError::Corrupt("the cursor secret is not hex".into()))?;
        drop(client);
        Ok(PostgresStore { pool, secret: Arc::new(secret), config: Arc::new(config) })
    }

    /// Sends `payload` to every instance listening on [`EVENTS_CHANNEL`] (this one included).
    pub async fn notify(&self, payload: &str) -> StoreResult<()> {
        let client = self.client().await?;
        client.execute("SELECT pg_notify($1, $2)", &[&EVENTS_CHANNEL, &payload]).await?;
        Ok(())
    }

    /// Listens on [`EVENTS_CHANNEL`] on a connection of its own, forwarding
    /// every payload, until `forward` is closed; reconnects after a failure.
    pub async fn listen(&self, forward: tokio::sync::mpsc::UnboundedSender<String>) {
        use futures_util::StreamExt;
        let mut failures: u32 = 0;
        while !forward.is_closed() {
            match self.config.connect(NoTls).await {
                Ok((client, mut connection)) => {
                    let (received, mut payloads) = tokio::sync::mpsc::unbounded_channel::<String>();
                    let driver = tokio::spawn(async move {
                        let mut messages = futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
                        while let Some(Ok(message)) = messages.next().await {
                            if let tokio_postgres::AsyncMessage::Notification(notification) = message
                                && received.send(notification.payload().to_owned()).is_err()
                            {
                                return;
                            }
                        }
                    });
                    match client.batch_execute(&format!("LISTEN {EVENTS_CHANNEL}")).await {
                        Ok(()) => {
                            failures = 0;
                            while let Some(payload) = payloads.recv().await {
                                if forward.send(payload).is_err() {
                                    driver.abort();
                                    return;
                                }
                            }
                            tracing::warn!("the events listener's connection ended; reconnecting");
                        }
                        Err(error) => tracing::warn!(%error, "LISTEN failed; retrying"),
                    }
                    driver.abort();
                }
                Err(error) => tracing::warn!(%error, "the events listener cannot connect; retrying"),
            }
            failures = failures.saturating_add(1);
            tokio::time::sleep(std::time::Duration::from_millis(250 * u64::from(failures.min(20)))).await;
        }
    }

    async fn client(&self) -> StoreResult<Object> {
        self.pool.get().await.map_err(pool_error)
    }
}

impl Store for PostgresStore {
    fn cursor_secret(&self) -> &[u8] {
        &self.secret
    }

    async fn create_user(&self, user: &User, password_hash: &str, now_ms: i64) -> StoreResult<()> {
        let client = self.client().await?;
        let inserted = client
            .execute(
                "INSERT INTO users (id, username, role, display_name, password_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
                &[&user.id, &user.username, &user.role.name(), &user.display_name, &password_hash, &now_ms],
            )
            .await;
        match inserted {
            Ok(_) => Ok(()),
            Err(e) if e.code() == Some(&SqlState::UNIQUE_VIOLATION) => {
                Err(StoreError::Conflict(format!("the username {} is taken", user.username)))
            }
            Err(e) => Err(e.into()),
        }
    }

    async fn credentials(&self, username: &str) -> StoreResult<Option<Credentials>> {
        let client = self.client().await?;
        let row =
            client.query_opt("SELECT id, username, role, display_name, password_hash FROM users WHERE username = $1", &[&username]).await?;
        row.map(|row| Ok(Credentials { user: user_from(&row)?, password_hash: row.try_get(4)? })).transpose()
    }

    async fn user_by_username(&self, username: &str) -> StoreResult<Option<User>> {
        Ok(self.credentials(username).await?.map(|c| c.user))
    }

    async fn create_device(&self, user_id: &str, name: &str, token_hash: &str, now_ms: i64) -> StoreResult<String> {
        let client = self.client().await?;
        let device_id = uuid::Uuid::new_v4().to_string();
        client
            .execute(
                "INSERT INTO devices (id, user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)",
                &[&device_id, &user_id, &name, &token_hash, &now_ms],
            )
            .await?;
        Ok(device_id)
    }

    async fn session(&self, token_hash: &str) -> StoreResult<Option<Session>> {
        let client = self.client().await?;
        let statement = client
            .prepare_cached(
                "SELECT u.id, u.username, u.role, u.display_name, d.id FROM devices d JOIN users u ON u.id = d.user_id
                 WHERE d.token_hash = $1 AND d.revoked_at IS NULL",
            )
            .await?;
        let row = client.query_opt(&statement, &[&token_hash]).await?;
        row.map(|row| Ok(Session { user: user_from(&row)?, device_id: row.try_get(4)? })).transpose()
    }

    async fn revoke_device(&self, device_id: &str, now_ms: i64) -> StoreResult<()> {
        let client = self.client().await?;
        client.execute("UPDATE devices SET token_hash = NULL, revoked_at = $2 WHERE id = $1", &[&device_id, &now_ms]).await?;
        Ok(())
    }

    async fn login_failures(&self, username: &str, since_ms: i64) -> StoreResult<Vec<i64>> {
        let client = self.client().await?;
        let rows = client
            .query(
                "SELECT failed_at FROM login_failures WHERE username = $1 AND failed_at >= $2 ORDER BY failed_at",
                &[&username, &since_ms],
            )
            .await?;
        rows.iter().map(|row| row.try_get(0).map_err(StoreError::from)).collect()
    }

    async fn record_login_failure(&self, username: &str, at_ms: i64, forget_before_ms: i64) -> StoreResult<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        tx.execute("DELETE FROM login_failures WHERE failed_at < $1", &[&forget_before_ms]).await?;
        tx.execute("INSERT INTO login_failures (username, failed_at) VALUES ($1, $2)", &[&username, &at_ms]).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn clear_login_failures(&self, username: &str) -> StoreResult<()> {
        let client = self.client().await?;
        client.execute("DELETE FROM login_failures WHERE username = $1", &[&username]).await?;
        Ok(())
    }

    async fn set_caseload(&self, peer_worker_id: &str, participant_id: &str, assigned: bool, now_ms: i64) -> StoreResult<bool> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let changed = if assigned {
            tx.execute(
                "INSERT INTO caseload (peer_worker_id, participant_id, assigned_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                &[&peer_worker_id, &participant_id, &now_ms],
            )
            .await?
        } else {
            tx.execute("DELETE FROM caseload WHERE peer_worker_id = $1 AND participant_id = $2", &[&peer_worker_id, &participant_id])
                .await?
        };
        if changed > 0 {
            let counter: i64 = tx.query_one("SELECT seq FROM sync_counter WHERE id = 1 FOR UPDATE", &[]).await?.try_get(0)?;
            let seq = if assigned {
                // The peer worker's devices may have pulled past this
                // participant's records already: send them again.
                restamp(&*tx, participant_id, None, counter).await?
            } else {
                // Their devices purge everything of the participant.
                revoke(&*tx, participant_id, Some(peer_worker_id), &crate::policy::unassigned(), counter + 1, now_ms).await?;
                counter + 1
            };
            tx.execute("UPDATE sync_counter SET seq = $1 WHERE id = 1", &[&seq]).await?;
        }
        tx.commit().await?;
        Ok(changed > 0)
    }

    async fn caseload(&self, peer_worker_id: &str) -> StoreResult<Vec<String>> {
        let client = self.client().await?;
        let statement = client.prepare_cached(SELECT_CASELOAD).await?;
        let rows = client.query(&statement, &[&peer_worker_id]).await?;
        rows.iter().map(|row| row.try_get(0).map_err(StoreError::from)).collect()
    }

    async fn peer_workers_of(&self, participant_id: &str) -> StoreResult<Vec<String>> {
        let client = self.client().await?;
        let rows = client
            .query("SELECT peer_worker_id FROM caseload WHERE participant_id = $1 ORDER BY peer_worker_id", &[&participant_id])
            .await?;
        rows.iter().map(|row| row.try_get(0).map_err(StoreError::from)).collect()
    }

    async fn user(&self, id: &str) -> StoreResult<Option<User>> {
        let client = self.client().await?;
        let row = client.query_opt("SELECT id, username, role, display_name FROM users WHERE id = $1", &[&id]).await?;
        row.map(|row| user_from(&row)).transpose()
    }

    async fn create_invite(&self, invite: &NewInvite) -> StoreResult<()> {
        let client = self.client().await?;
        let inserted = client
            .execute(
                "INSERT INTO invites (code_hash, peer_worker_id, display_name, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
                &[&invite.code_hash, &invite.peer_worker_id, &invite.display_name, &invite.created_at_ms, &invite.expires_at_ms],
            )
            .await;
        match inserted {
            Ok(_) => Ok(()),
            Err(e) if e.code() == Some(&SqlState::UNIQUE_VIOLATION) => Err(StoreError::Conflict("the invite code exists".into())),
            Err(e) => Err(e.into()),
        }
    }

    async fn invites_since(&self, peer_worker_id: &str, since_ms: i64) -> StoreResult<u64> {
        let client = self.client().await?;
        let count: i64 = client
            .query_one("SELECT COUNT(*) FROM invites WHERE peer_worker_id = $1 AND created_at >= $2", &[&peer_worker_id, &since_ms])
            .await?
            .try_get(0)?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    async fn register(&self, r: &Registration) -> StoreResult<Registered> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let invite = tx
            .query_opt("SELECT peer_worker_id, expires_at, used_at FROM invites WHERE code_hash = $1 FOR UPDATE", &[&r.code_hash])
            .await?;
        let Some(invite) = invite else { return Ok(Registered::UnknownCode) };
        let (peer_worker_id, expires_at, used_at): (String, i64, Option<i64>) =
            (invite.try_get(0)?, invite.try_get(1)?, invite.try_get(2)?);
        if used_at.is_some() {
            return Ok(Registered::UsedCode);
        }
        if expires_at <= r.now_ms {
            return Ok(Registered::ExpiredCode);
        }
        let user = &r.user;
        let taken = tx.query_opt("SELECT 1 FROM users WHERE username = $1", &[&user.username]).await?;
        if taken.is_some() {
            return Ok(Registered::UsernameTaken);
        }
        let inserted = tx
            .execute(
                "INSERT INTO users (id, username, role, display_name, password_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
                &[&user.id, &user.username, &user.role.name(), &user.display_name, &r.password_hash, &r.now_ms],
            )
            .await;
        match inserted {
            Ok(_) => {}
            Err(e) if e.code() == Some(&SqlState::UNIQUE_VIOLATION) => return Ok(Registered::UsernameTaken),
            Err(e) => return Err(e.into()),
        }
        tx.execute("UPDATE invites SET used_at = $2, used_by = $3 WHERE code_hash = $1", &[&r.code_hash, &r.now_ms, &user.id]).await?;
        tx.execute(
            "INSERT INTO caseload (peer_worker_id, participant_id, assigned_at) VALUES ($1, $2, $3)",
            &[&peer_worker_id, &user.id, &r.now_ms],
        )
        .await?;
        let device_id = uuid::Uuid::new_v4().to_string();
        tx.execute(
            "INSERT INTO devices (id, user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)",
            &[&device_id, &user.id, &r.device_name, &r.token_hash, &r.now_ms],
        )
        .await?;
        tx.commit().await?;
        Ok(Registered::Done { device_id })
    }

    async fn revocations(&self, peer_worker_id: &str, after_seq: i64) -> StoreResult<Vec<Revocation>> {
        let client = self.client().await?;
        let statement = client
            .prepare_cached(
                "SELECT seq, participant_id, collections FROM revocations WHERE peer_worker_id = $1 AND seq > $2 ORDER BY seq, participant_id",
            )
            .await?;
        let rows = client.query(&statement, &[&peer_worker_id, &after_seq]).await?;
        rows.iter()
            .map(|row| Ok(Revocation { seq: row.try_get(0)?, participant_id: row.try_get(1)?, collections: decode_list(row.try_get(2)?)? }))
            .collect()
    }

    async fn append_audit(&self, entries: &[AuditRecord]) -> StoreResult<()> {
        if entries.is_empty() {
            return Ok(());
        }
        let client = self.client().await?;
        let statement = client.prepare_cached(INSERT_AUDIT).await?;
        let c = audit_columns(entries)?;
        client.execute(&statement, &[&c.0, &c.1, &c.2, &c.3, &c.4, &c.5, &c.6]).await?;
        Ok(())
    }

    async fn audit(&self, participant_id: &str, limit: usize) -> StoreResult<Vec<AuditRecord>> {
        let client = self.client().await?;
        let rows = client
            .query(
                "SELECT at, actor_id, actor_role, action, participant_id, collections, count FROM audit
                 WHERE participant_id = $1 ORDER BY id DESC LIMIT $2",
                &[&participant_id, &i64::try_from(limit).unwrap_or(i64::MAX)],
            )
            .await?;
        rows.iter()
            .map(|row| {
                let role: String = row.try_get(2)?;
                let action: String = row.try_get(3)?;
                let count: i64 = row.try_get(6)?;
                Ok(AuditRecord {
                    at_ms: row.try_get(0)?,
                    actor_id: row.try_get(1)?,
                    actor_role: role.parse().map_err(StoreError::Corrupt)?,
                    action: action.parse().map_err(StoreError::Corrupt)?,
                    participant_id: row.try_get(4)?,
                    collections: decode_list(row.try_get(5)?)?,
                    count: u64::try_from(count).unwrap_or(0),
                })
            })
            .collect()
    }

    async fn records(&self, keys: &[RecordKey]) -> StoreResult<Vec<StoredRecord>> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let client = self.client().await?;
        let statement = client.prepare_cached(&select_records()).await?;
        let wanted: HashSet<&RecordKey> = keys.iter().collect();
        let mut record_ids: Vec<&str> = keys.iter().map(|k| k.record_id.as_str()).collect();
        record_ids.sort_unstable();
        record_ids.dedup();
        let mut records = Vec::new();
        for row in client.query(&statement, &[&record_ids]).await? {
            let record = record_from(&row)?;
            if wanted.contains(&record.key()) {
                records.push(record);
            }
        }
        Ok(records)
    }

    async fn push(&self, context: &PushContext, changes: &[Change]) -> StoreResult<Vec<PushResult>> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let records_sql = select_records();
        let (lock, applied, records, caseload) = tokio::try_join!(
            tx.prepare_cached(LOCK_COUNTER),
            tx.prepare_cached(SELECT_APPLIED),
            tx.prepare_cached(&records_sql),
            tx.prepare_cached(SELECT_CASELOAD),
        )?;
        let change_ids: Vec<&str> = changes.iter().filter(|c| has_uuid_ids(c)).map(|c| c.change_id.as_str()).collect();
        let keys = push_keys(changes);
        let wanted: HashSet<&RecordKey> = keys.iter().collect();
        let mut record_ids: Vec<&str> = keys.iter().map(|k| k.record_id.as_str()).collect();
        record_ids.sort_unstable();
        record_ids.dedup();
        let peer = context.actor.role == Role::PeerWorker;
        // The counter row lock serialises pushes until commit (see module
        // docs). The reads are sent with it in one round trip; PostgreSQL runs
        // them in order, so they see everything committed before the lock.
        let read_caseload = async { if peer { tx.query(&caseload, &[&context.actor.user_id]).await } else { Ok(Vec::new()) } };
        let (applied_params, records_params): ([&(dyn ToSql + Sync); 1], [&(dyn ToSql + Sync); 1]) = ([&change_ids], [&record_ids]);
        let (counter_row, applied_rows, record_rows, caseload_rows) = tokio::try_join!(
            tx.query_one(&lock, &[]),
            tx.query(&applied, &applied_params),
            tx.query(&records, &records_params),
            read_caseload,
        )?;
        let counter: i64 = counter_row.try_get(0)?;
        let mut snapshot = PushSnapshot::default();
        for row in applied_rows {
            snapshot.applied.insert(row.try_get(0)?);
        }
        for row in &record_rows {
            let record = record_from(row)?;
            if wanted.contains(&record.key()) {
                snapshot.records.insert(record.key(), record);
            }
        }
        for row in caseload_rows {
            snapshot.caseload.insert(row.try_get(0)?);
        }
        let (results, writes) = plan_push(context, changes, snapshot);
        write_push(&tx, writes, counter, context.now_ms).await?;
        tx.commit().await?;
        Ok(results)
    }

    async fn pull(&self, scopes: &[Scope], after_seq: i64, inclusive: bool, limit: usize) -> StoreResult<Vec<StoredRecord>> {
        let (sql, params) = pull_query(scopes, after_seq, inclusive, limit);
        let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p.as_ref() as &(dyn ToSql + Sync)).collect();
        let client = self.client().await?;
        let statement = client.prepare_cached(&sql).await?;
        let rows = client.query(&statement, &refs).await?;
        rows.iter().map(record_from).collect()
    }

    async fn prune(&self, applied_before_ms: i64, failures_before_ms: i64) -> StoreResult<()> {
        let client = self.client().await?;
        let forgotten = client.execute("DELETE FROM applied_changes WHERE received_at < $1", &[&applied_before_ms]).await?;
        client.execute("DELETE FROM login_failures WHERE failed_at < $1", &[&failures_before_ms]).await?;
        tracing::info!(forgotten, "pruned applied change ids past retention");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A database made by the first schema version, with data in it, migrates
    /// to the current one with its data intact (needs `ALONGSIDE_TEST_POSTGRES_URL`).
    #[tokio::test]
    async fn migrates_from_the_first_version_with_data() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        let Ok(base) = std::env::var("ALONGSIDE_TEST_POSTGRES_URL") else {
            if std::env::var("ALONGSIDE_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") {
                return Err("ALONGSIDE_REQUIRE_POSTGRES=1 but ALONGSIDE_TEST_POSTGRES_URL is unset".into());
            }
            return Ok(());
        };
        let name = format!("alongside_migration_{}", uuid::Uuid::new_v4().simple());
        let (admin, connection) = tokio_postgres::connect(&base, NoTls).await?;
        let driver = tokio::spawn(connection);
        admin.batch_execute(&format!("CREATE DATABASE {name}")).await?;
        drop(admin);
        let _ = driver.await;
        let (prefix, _) = base.rsplit_once('/').ok_or("the URL has no database name")?;
        let url = format!("{prefix}/{name}");
        {
            let (client, connection) = tokio_postgres::connect(&url, NoTls).await?;
            let driver = tokio::spawn(connection);
            client.batch_execute("CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)").await?;
            client.batch_execute(MIGRATIONS[0]).await?;
            client
                .batch_execute(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES (1, 0);
                     INSERT INTO users (id, username, role, display_name, password_hash, created_at) VALUES ('u1', 'rosa', 'participant', 'Rosa', 'x', 0);
                     INSERT INTO records (collection, record_id, participant_id, fields, clocks, authors, first_author_id, seq)
                         VALUES ('goals', 'r1', 'u1', '{\"title\":\"Walk\"}', '{}', '{}', 'u1', 1);",
                )
                .await?;
            drop(client);
            let _ = driver.await;
        }
        let store = PostgresStore::open(&url).await?;
        assert!(store.user("u1").await?.is_some());
        assert_eq!(store.records(&[RecordKey::new("goals", "r1")]).await?.len(), 1);
        let client = store.client().await?;
        let version: i64 = client.query_one("SELECT MAX(version) FROM schema_migrations", &[]).await?.try_get(0)?;
        assert_eq!(version, i64::try_from(MIGRATIONS.len())?);
        client.batch_execute("INSERT INTO audit (at, actor_id, actor_role, action, participant_id, collections, count) VALUES (0, 'u1', 'participant', 'push', 'u1', '[]', 1)").await?;
        assert!(client.batch_execute("DELETE FROM audit").await.is_err());
        drop(client);
        PostgresStore::open(&url).await?;
        Ok(())
    }
}
