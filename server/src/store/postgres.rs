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
    Credentials, PushSnapshot, PushWrites, RecordKey, Role, Scope, Session, Store, StoreError, StoreResult, StoredRecord, User, decode_map,
    encode_map, hex, new_secret, push_keys, unhex,
};
use crate::sync::{PushContext, plan_push};

const POOL_SIZE: usize = 16;

/// Taken while migrating, so instances starting together migrate once.
const MIGRATION_LOCK: i64 = 0x616c_6f6e_6773;

/// Each entry is one schema version; never edit one that has shipped, add the next.
const MIGRATIONS: &[&str] = &[r"
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
"];

const RECORD_COLUMNS: &str = "collection, record_id, participant_id, fields, clocks, authors, first_author_id, seq";

/// The PostgreSQL backend.
#[derive(Clone)]
pub struct PostgresStore {
    pool: Pool,
    secret: Arc<Vec<u8>>,
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

async fn load_records(client: &impl GenericClient, keys: &[RecordKey]) -> StoreResult<Vec<StoredRecord>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let wanted: HashSet<&RecordKey> = keys.iter().collect();
    let mut record_ids: Vec<&str> = keys.iter().map(|k| k.record_id.as_str()).collect();
    record_ids.sort_unstable();
    record_ids.dedup();
    let rows = client.query(&format!("SELECT {RECORD_COLUMNS} FROM records WHERE record_id = ANY($1)"), &[&record_ids]).await?;
    let mut records = Vec::with_capacity(rows.len());
    for row in &rows {
        let record = record_from(row)?;
        if wanted.contains(&record.key()) {
            records.push(record);
        }
    }
    Ok(records)
}

async fn caseload_of(client: &impl GenericClient, peer_worker_id: &str) -> StoreResult<Vec<String>> {
    let rows =
        client.query("SELECT participant_id FROM caseload WHERE peer_worker_id = $1 ORDER BY participant_id", &[&peer_worker_id]).await?;
    rows.iter().map(|row| row.try_get(0).map_err(StoreError::from)).collect()
}

async fn write_push(client: &impl GenericClient, writes: PushWrites, counter: i64, now_ms: i64) -> StoreResult<()> {
    let mut seq = counter;
    if !writes.records.is_empty() {
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
        let [c0, c1, c2, c3, c4, c5, c6] = &columns;
        client
            .execute(
                &format!(
                    "INSERT INTO records ({RECORD_COLUMNS})
                     SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[])
                     ON CONFLICT (collection, record_id) DO UPDATE SET
                         fields = EXCLUDED.fields, clocks = EXCLUDED.clocks, authors = EXCLUDED.authors, seq = EXCLUDED.seq"
                ),
                &[c0, c1, c2, c3, c4, c5, c6, &seqs],
            )
            .await?;
    }
    for (participant_id, collections) in &writes.redeliver {
        seq = restamp(client, participant_id, Some(collections), seq).await?;
    }
    if seq != counter {
        client.execute("UPDATE sync_counter SET seq = $1 WHERE id = 1", &[&seq]).await?;
    }
    if !writes.applied.is_empty() {
        client
            .execute(
                "INSERT INTO applied_changes (change_id, received_at) SELECT UNNEST($1::text[]), $2 ON CONFLICT (change_id) DO NOTHING",
                &[&writes.applied, &now_ms],
            )
            .await?;
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
        let manager = Manager::from_config(config, NoTls, ManagerConfig { recycling_method: RecyclingMethod::Fast });
        let pool = Pool::builder(manager).max_size(POOL_SIZE).build().map_err(|e| StoreError::Pool(e.to_string()))?;
        let mut client = pool.get().await.map_err(pool_error)?;
        migrate(&mut client, crate::auth::now_ms()).await?;
        let fresh = hex(&new_secret()?);
        client.execute("INSERT INTO server_meta (key, value) VALUES ('cursor_secret', $1) ON CONFLICT (key) DO NOTHING", &[&fresh]).await?;
        let stored: String = client.query_one("SELECT value FROM server_meta WHERE key = 'cursor_secret'", &[]).await?.try_get(0)?;
        let secret = unhex(&stored).ok_or_else(|| StoreError::Corrupt("the cursor secret is not hex".into()))?;
        drop(client);
        Ok(PostgresStore { pool, secret: Arc::new(secret) })
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
        let row = client
            .query_opt(
                "SELECT u.id, u.username, u.role, u.display_name, d.id FROM devices d JOIN users u ON u.id = d.user_id
                 WHERE d.token_hash = $1 AND d.revoked_at IS NULL",
                &[&token_hash],
            )
            .await?;
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
        if assigned && changed > 0 {
            // The peer worker's devices may have pulled past this
            // participant's records already: send them again.
            let counter: i64 = tx.query_one("SELECT seq FROM sync_counter WHERE id = 1 FOR UPDATE", &[]).await?.try_get(0)?;
            let seq = restamp(&*tx, participant_id, None, counter).await?;
            tx.execute("UPDATE sync_counter SET seq = $1 WHERE id = 1", &[&seq]).await?;
        }
        tx.commit().await?;
        Ok(changed > 0)
    }

    async fn caseload(&self, peer_worker_id: &str) -> StoreResult<Vec<String>> {
        let client = self.client().await?;
        caseload_of(&**client, peer_worker_id).await
    }

    async fn records(&self, keys: &[RecordKey]) -> StoreResult<Vec<StoredRecord>> {
        let client = self.client().await?;
        load_records(&**client, keys).await
    }

    async fn push(&self, context: &PushContext, changes: &[Change]) -> StoreResult<Vec<PushResult>> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        // The counter row lock serialises pushes until commit (see module docs).
        let counter: i64 = tx.query_one("SELECT seq FROM sync_counter WHERE id = 1 FOR UPDATE", &[]).await?.try_get(0)?;
        let mut snapshot = PushSnapshot::default();
        let change_ids: Vec<&str> = changes.iter().map(|c| c.change_id.as_str()).collect();
        for row in tx.query("SELECT change_id FROM applied_changes WHERE change_id = ANY($1)", &[&change_ids]).await? {
            snapshot.applied.insert(row.try_get(0)?);
        }
        for record in load_records(&*tx, &push_keys(changes)).await? {
            snapshot.records.insert(record.key(), record);
        }
        if context.actor.role == Role::PeerWorker {
            snapshot.caseload = caseload_of(&*tx, &context.actor.user_id).await?.into_iter().collect();
        }
        let (results, writes) = plan_push(context, changes, snapshot);
        write_push(&*tx, writes, counter, context.now_ms).await?;
        tx.commit().await?;
        Ok(results)
    }

    async fn pull(&self, scopes: &[Scope], after_seq: i64, inclusive: bool, limit: usize) -> StoreResult<Vec<StoredRecord>> {
        let (sql, params) = pull_query(scopes, after_seq, inclusive, limit);
        let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p.as_ref() as &(dyn ToSql + Sync)).collect();
        let client = self.client().await?;
        let rows = client.query(&sql, &refs).await?;
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
