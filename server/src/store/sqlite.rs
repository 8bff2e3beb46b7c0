//! The SQLite backend: one file, WAL, one writer connection and a few reader
//! connections, each call run on a blocking thread so the async executor never
//! waits on disk. The SQLite engine is the workspace's (bundled SQLCipher),
//! used here without a key: the server's file is protected by the host.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use alongside_core::Change;
use alongside_core::protocol::PushResult;
use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, ErrorCode, OptionalExtension, Row, Transaction, TransactionBehavior, params, params_from_iter};

use super::{
    AuditRecord, Credentials, NewInvite, PushSnapshot, PushWrites, RecordKey, Registered, Registration, Revocation, Role, Scope, Session,
    Store, StoreError, StoreResult, StoredRecord, User, decode_list, decode_map, encode_list, encode_map, hex, new_secret, push_keys,
    unhex,
};
use crate::sync::{PushContext, plan_push};

/// Readers let pulls and token checks go on while a push writes (WAL).
const READERS: usize = 4;

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
    created_at INTEGER NOT NULL
);
CREATE TABLE devices (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT UNIQUE,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE INDEX devices_user ON devices (user_id);
CREATE TABLE caseload (
    peer_worker_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    participant_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    assigned_at INTEGER NOT NULL,
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
    seq INTEGER NOT NULL UNIQUE,
    PRIMARY KEY (collection, record_id)
);
CREATE INDEX records_participant_seq ON records (participant_id, seq);
CREATE TABLE sync_counter (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL
);
INSERT INTO sync_counter (id, seq) VALUES (1, 0);
CREATE TABLE applied_changes (
    change_id TEXT PRIMARY KEY,
    received_at INTEGER NOT NULL
);
CREATE INDEX applied_changes_received ON applied_changes (received_at);
CREATE TABLE login_failures (
    username TEXT NOT NULL,
    failed_at INTEGER NOT NULL
);
CREATE INDEX login_failures_username ON login_failures (username, failed_at);
CREATE INDEX login_failures_at ON login_failures (failed_at);
",
    r"
CREATE TABLE revocations (
    seq INTEGER NOT NULL,
    peer_worker_id TEXT NOT NULL,
    participant_id TEXT NOT NULL,
    collections TEXT NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (peer_worker_id, seq, participant_id)
);
CREATE TABLE invites (
    code_hash TEXT PRIMARY KEY,
    peer_worker_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    display_name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER,
    used_by TEXT
);
CREATE INDEX invites_peer_worker ON invites (peer_worker_id, created_at);
CREATE INDEX caseload_participant ON caseload (participant_id);
CREATE TABLE audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    actor_id TEXT NOT NULL,
    actor_role TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('push', 'pull')),
    participant_id TEXT NOT NULL,
    collections TEXT NOT NULL,
    count INTEGER NOT NULL
);
CREATE INDEX audit_participant ON audit (participant_id, id);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
",
];

const RECORD_COLUMNS: &str = "collection, record_id, participant_id, fields, clocks, authors, first_author_id, seq";

/// The SQLite backend.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    inner: Arc<Inner>,
}

struct Inner {
    writer: Mutex<Connection>,
    readers: Vec<Mutex<Connection>>,
    next_reader: AtomicUsize,
    secret: Vec<u8>,
}

impl std::fmt::Debug for Inner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The secret stays out of debug output.
        f.debug_struct("SqliteStore").field("readers", &self.readers.len()).finish_non_exhaustive()
    }
}

fn connect(path: &str) -> StoreResult<Connection> {
    alongside_cipher::install();
    let conn = Connection::open(path)?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;")?;
    Ok(conn)
}

fn migrate(conn: &mut Connection, now_ms: i64) -> StoreResult<()> {
    conn.execute_batch("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)")?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let current: i64 = tx.query_row("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", [], |row| row.get(0))?;
    let supported = i64::try_from(MIGRATIONS.len()).unwrap_or(i64::MAX);
    if current > supported {
        return Err(StoreError::NewerSchema { found: current, supported });
    }
    for (version, sql) in (1..).zip(MIGRATIONS).skip(usize::try_from(current).unwrap_or(0)) {
        tx.execute_batch(sql)?;
        tx.execute("INSERT INTO schema_migrations (version, applied_at) VALUES (?1, ?2)", params![version, now_ms])?;
    }
    tx.commit()?;
    Ok(())
}

fn load_secret(conn: &Connection) -> StoreResult<Vec<u8>> {
    let fresh = hex(&new_secret()?);
    conn.execute("INSERT OR IGNORE INTO server_meta (key, value) VALUES ('cursor_secret', ?1)", [&fresh])?;
    let stored: String = conn.query_row("SELECT value FROM server_meta WHERE key = 'cursor_secret'", [], |row| row.get(0))?;
    unhex(&stored).ok_or_else(|| StoreError::Corrupt("the cursor secret is not hex".into()))
}

impl SqliteStore {
    /// Opens (creating if needed) the database file at `path` and migrates it.
    pub async fn open(path: &str) -> StoreResult<SqliteStore> {
        let path = path.to_owned();
        tokio::task::spawn_blocking(move || {
            let mut writer = connect(&path)?;
            let mode: String = writer.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
            if !mode.eq_ignore_ascii_case("wal") {
                tracing::warn!(mode = %mode, "sqlite did not switch to WAL");
            }
            migrate(&mut writer, crate::auth::now_ms())?;
            let secret = load_secret(&writer)?;
            let readers = (0..READERS).map(|_| connect(&path).map(Mutex::new)).collect::<StoreResult<Vec<_>>>()?;
            Ok(SqliteStore { inner: Arc::new(Inner { writer: Mutex::new(writer), readers, next_reader: AtomicUsize::new(0), secret }) })
        })
        .await
        .map_err(|e| StoreError::Task(e.to_string()))?
    }

    async fn write<T, F>(&self, work: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> StoreResult<T> + Send + 'static,
    {
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || {
            let mut conn = inner.writer.lock().map_err(|_| StoreError::Task("the sqlite writer failed earlier".into()))?;
            work(&mut conn)
        })
        .await
        .map_err(|e| StoreError::Task(e.to_string()))?
    }

    async fn read<T, F>(&self, work: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
    {
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || {
            let index = inner.next_reader.fetch_add(1, Ordering::Relaxed) % inner.readers.len().max(1);
            let reader = inner.readers.get(index).ok_or_else(|| StoreError::Task("no sqlite reader".into()))?;
            let conn = reader.lock().map_err(|_| StoreError::Task("a sqlite reader failed earlier".into()))?;
            work(&conn)
        })
        .await
        .map_err(|e| StoreError::Task(e.to_string()))?
    }
}

fn parse_role(text: &str) -> StoreResult<Role> {
    text.parse().map_err(StoreError::Corrupt)
}

fn user_from(row: &Row<'_>) -> rusqlite::Result<(String, String, String, String)> {
    Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
}

fn make_user((id, username, role, display_name): (String, String, String, String)) -> StoreResult<User> {
    Ok(User { id, username, role: parse_role(&role)?, display_name })
}

type RecordRow = (String, String, String, String, String, String, String, i64);

fn record_row(row: &Row<'_>) -> rusqlite::Result<RecordRow> {
    Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?, row.get(5)?, row.get(6)?, row.get(7)?))
}

fn make_record(
    (collection, record_id, participant_id, fields, clocks, authors, first_author_id, seq): RecordRow,
) -> StoreResult<StoredRecord> {
    Ok(StoredRecord {
        collection,
        record_id,
        participant_id,
        fields: decode_map(&fields)?,
        clocks: decode_map(&clocks)?,
        authors: decode_map(&authors)?,
        first_author_id,
        seq,
    })
}

fn load_record(conn: &Connection, key: &RecordKey) -> StoreResult<Option<StoredRecord>> {
    let mut statement = conn.prepare_cached(&format!("SELECT {RECORD_COLUMNS} FROM records WHERE collection = ?1 AND record_id = ?2"))?;
    statement.query_row(params![key.collection, key.record_id], record_row).optional()?.map(make_record).transpose()
}

fn caseload_of(conn: &Connection, peer_worker_id: &str) -> StoreResult<Vec<String>> {
    let mut statement = conn.prepare_cached("SELECT participant_id FROM caseload WHERE peer_worker_id = ?1 ORDER BY participant_id")?;
    let ids = statement.query_map([peer_worker_id], |row| row.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(ids)
}

fn snapshot(tx: &Transaction<'_>, context: &PushContext, changes: &[Change]) -> StoreResult<PushSnapshot> {
    let mut snapshot = PushSnapshot::default();
    {
        let mut applied = tx.prepare_cached("SELECT 1 FROM applied_changes WHERE change_id = ?1")?;
        for change in changes {
            if applied.exists([&change.change_id])? {
                snapshot.applied.insert(change.change_id.clone());
            }
        }
    }
    for key in push_keys(changes) {
        if let Some(record) = load_record(tx, &key)? {
            snapshot.records.insert(key, record);
        }
    }
    if context.actor.role == Role::PeerWorker {
        snapshot.caseload = caseload_of(tx, &context.actor.user_id)?.into_iter().collect();
    }
    Ok(snapshot)
}

fn write_push(tx: &Transaction<'_>, writes: PushWrites, now_ms: i64) -> StoreResult<()> {
    let mut seq: i64 = tx.query_row("SELECT seq FROM sync_counter WHERE id = 1", [], |row| row.get(0))?;
    let start = seq;
    {
        let mut upsert = tx.prepare_cached(&format!(
            "INSERT INTO records ({RECORD_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (collection, record_id) DO UPDATE SET
                 fields = excluded.fields, clocks = excluded.clocks, authors = excluded.authors, seq = excluded.seq"
        ))?;
        for record in writes.records {
            seq += 1;
            upsert.execute(params![
                record.collection,
                record.record_id,
                record.participant_id,
                encode_map(&record.fields)?,
                encode_map(&record.clocks)?,
                encode_map(&record.authors)?,
                record.first_author_id,
                seq
            ])?;
        }
    }
    for (participant_id, collections) in &writes.revoke {
        seq += 1;
        revoke(tx, participant_id, None, collections, seq, now_ms)?;
    }
    for (participant_id, collections) in &writes.redeliver {
        seq = restamp(tx, participant_id, Some(collections), seq)?;
    }
    if seq != start {
        tx.execute("UPDATE sync_counter SET seq = ?1 WHERE id = 1", [seq])?;
    }
    insert_audit(tx, &writes.audit)?;
    let mut remember = tx.prepare_cached("INSERT OR IGNORE INTO applied_changes (change_id, received_at) VALUES (?1, ?2)")?;
    for change_id in writes.applied {
        remember.execute(params![change_id, now_ms])?;
    }
    Ok(())
}

/// Records at `seq` that the peer workers of `participant_id` (or only
/// `peer_worker_id`) must purge `collections`.
fn revoke(
    tx: &Transaction<'_>,
    participant_id: &str,
    peer_worker_id: Option<&str>,
    collections: &[&str],
    seq: i64,
    now_ms: i64,
) -> StoreResult<()> {
    let peers = match peer_worker_id {
        Some(id) => vec![id.to_owned()],
        None => peer_workers(tx, participant_id)?,
    };
    let collections = encode_list(collections)?;
    let mut insert = tx.prepare_cached(
        "INSERT OR IGNORE INTO revocations (seq, peer_worker_id, participant_id, collections, at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for peer in peers {
        insert.execute(params![seq, peer, participant_id, collections, now_ms])?;
    }
    Ok(())
}

fn peer_workers(conn: &Connection, participant_id: &str) -> StoreResult<Vec<String>> {
    let mut statement = conn.prepare_cached("SELECT peer_worker_id FROM caseload WHERE participant_id = ?1 ORDER BY peer_worker_id")?;
    let ids = statement.query_map([participant_id], |row| row.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(ids)
}

fn insert_audit(conn: &Connection, entries: &[AuditRecord]) -> StoreResult<()> {
    let mut insert = conn.prepare_cached(
        "INSERT INTO audit (at, actor_id, actor_role, action, participant_id, collections, count) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for entry in entries {
        insert.execute(params![
            entry.at_ms,
            entry.actor_id,
            entry.actor_role.name(),
            entry.action.name(),
            entry.participant_id,
            encode_list(&entry.collections)?,
            i64::try_from(entry.count).unwrap_or(i64::MAX)
        ])?;
    }
    Ok(())
}

/// Gives a participant's records (in `collections`, or all) new seqs after
/// `seq`, keeping their order, so every device pulls them again. Returns the
/// last seq used; the caller stores it in `sync_counter`.
fn restamp(tx: &Transaction<'_>, participant_id: &str, collections: Option<&[&str]>, mut seq: i64) -> StoreResult<i64> {
    let keys: Vec<(String, String)> = {
        let mut select = tx.prepare_cached("SELECT collection, record_id FROM records WHERE participant_id = ?1 ORDER BY seq")?;
        let rows = select.query_map([participant_id], |row| Ok((row.get(0)?, row.get(1)?)))?;
        rows.collect::<rusqlite::Result<Vec<(String, String)>>>()?
    };
    let mut update = tx.prepare_cached("UPDATE records SET seq = ?1 WHERE collection = ?2 AND record_id = ?3")?;
    for (collection, record_id) in keys {
        if collections.is_none_or(|wanted| wanted.contains(&collection.as_str())) {
            seq += 1;
            update.execute(params![seq, collection, record_id])?;
        }
    }
    Ok(seq)
}

/// `WHERE` text and parameters selecting `scopes` after a seq.
fn pull_query(scopes: &[Scope], after_seq: i64, inclusive: bool, limit: usize) -> (String, Vec<SqlValue>) {
    let mut values = vec![SqlValue::Integer(after_seq)];
    let mut alternatives = Vec::new();
    for scope in scopes {
        values.push(SqlValue::Text(scope.participant_id.clone()));
        let mut clause = format!("(participant_id = ?{}", values.len());
        if let Some(collections) = &scope.collections {
            if collections.is_empty() {
                continue;
            }
            let first = values.len() + 1;
            values.extend(collections.iter().map(|c| SqlValue::Text((*c).to_owned())));
            let placeholders: Vec<String> = (first..=values.len()).map(|i| format!("?{i}")).collect();
            clause.push_str(&format!(" AND collection IN ({})", placeholders.join(", ")));
        }
        clause.push(')');
        alternatives.push(clause);
    }
    if alternatives.is_empty() {
        alternatives.push("0".into());
    }
    values.push(SqlValue::Integer(i64::try_from(limit).unwrap_or(i64::MAX)));
    let sql = format!(
        "SELECT {RECORD_COLUMNS} FROM records WHERE seq {} ?1 AND ({}) ORDER BY seq LIMIT ?{}",
        if inclusive { ">=" } else { ">" },
        alternatives.join(" OR "),
        values.len()
    );
    (sql, values)
}

fn is_constraint_violation(error: &rusqlite::Error) -> bool {
    matches!(error, rusqlite::Error::SqliteFailure(e, _) if e.code == ErrorCode::ConstraintViolation)
}

impl Store for SqliteStore {
    fn cursor_secret(&self) -> &[u8] {
        &self.inner.secret
    }

    async fn create_user(&self, user: &User, password_hash: &str, now_ms: i64) -> StoreResult<()> {
        let (user, password_hash) = (user.clone(), password_hash.to_owned());
        self.write(move |conn| {
            let inserted = conn.execute(
                "INSERT INTO users (id, username, role, display_name, password_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![user.id, user.username, user.role.name(), user.display_name, password_hash, now_ms],
            );
            match inserted {
                Ok(_) => Ok(()),
                Err(e) if is_constraint_violation(&e) => Err(StoreError::Conflict(format!("the username {} is taken", user.username))),
                Err(e) => Err(e.into()),
            }
        })
        .await
    }

    async fn credentials(&self, username: &str) -> StoreResult<Option<Credentials>> {
        let username = username.to_owned();
        self.read(move |conn| {
            let row = conn
                .prepare_cached("SELECT id, username, role, display_name, password_hash FROM users WHERE username = ?1")?
                .query_row([&username], |row| Ok((user_from(row)?, row.get::<_, String>(4)?)))
                .optional()?;
            row.map(|(user, password_hash)| Ok(Credentials { user: make_user(user)?, password_hash })).transpose()
        })
        .await
    }

    async fn user_by_username(&self, username: &str) -> StoreResult<Option<User>> {
        Ok(self.credentials(username).await?.map(|c| c.user))
    }

    async fn create_device(&self, user_id: &str, name: &str, token_hash: &str, now_ms: i64) -> StoreResult<String> {
        let (user_id, name, token_hash) = (user_id.to_owned(), name.to_owned(), token_hash.to_owned());
        self.write(move |conn| {
            let device_id = uuid::Uuid::new_v4().to_string();
            conn.execute(
                "INSERT INTO devices (id, user_id, name, token_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![device_id, user_id, name, token_hash, now_ms],
            )?;
            Ok(device_id)
        })
        .await
    }

    async fn session(&self, token_hash: &str) -> StoreResult<Option<Session>> {
        let token_hash = token_hash.to_owned();
        self.read(move |conn| {
            let row = conn
                .prepare_cached(
                    "SELECT u.id, u.username, u.role, u.display_name, d.id FROM devices d JOIN users u ON u.id = d.user_id
                     WHERE d.token_hash = ?1 AND d.revoked_at IS NULL",
                )?
                .query_row([&token_hash], |row| Ok((user_from(row)?, row.get::<_, String>(4)?)))
                .optional()?;
            row.map(|(user, device_id)| Ok(Session { user: make_user(user)?, device_id })).transpose()
        })
        .await
    }

    async fn revoke_device(&self, device_id: &str, now_ms: i64) -> StoreResult<()> {
        let device_id = device_id.to_owned();
        self.write(move |conn| {
            conn.execute("UPDATE devices SET token_hash = NULL, revoked_at = ?2 WHERE id = ?1", params![device_id, now_ms])?;
            Ok(())
        })
        .await
    }

    async fn login_failures(&self, username: &str, since_ms: i64) -> StoreResult<Vec<i64>> {
        let username = username.to_owned();
        self.read(move |conn| {
            let mut statement =
                conn.prepare_cached("SELECT failed_at FROM login_failures WHERE username = ?1 AND failed_at >= ?2 ORDER BY failed_at")?;
            let times = statement.query_map(params![username, since_ms], |row| row.get(0))?.collect::<rusqlite::Result<Vec<i64>>>()?;
            Ok(times)
        })
        .await
    }

    async fn record_login_failure(&self, username: &str, at_ms: i64, forget_before_ms: i64) -> StoreResult<()> {
        let username = username.to_owned();
        self.write(move |conn| {
            let tx = conn.transaction()?;
            tx.execute("DELETE FROM login_failures WHERE failed_at < ?1", [forget_before_ms])?;
            tx.execute("INSERT INTO login_failures (username, failed_at) VALUES (?1, ?2)", params![username, at_ms])?;
            tx.commit()?;
            Ok(())
        })
        .await
    }

    async fn clear_login_failures(&self, username: &str) -> StoreResult<()> {
        let username = username.to_owned();
        self.write(move |conn| {
            conn.execute("DELETE FROM login_failures WHERE username = ?1", [username])?;
            Ok(())
        })
        .await
    }

    async fn set_caseload(&self, peer_worker_id: &str, participant_id: &str, assigned: bool, now_ms: i64) -> StoreResult<bool> {
        let (peer_worker_id, participant_id) = (peer_worker_id.to_owned(), participant_id.to_owned());
        self.write(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let changed = if assigned {
                tx.execute(
                    "INSERT OR IGNORE INTO caseload (peer_worker_id, participant_id, assigned_at) VALUES (?1, ?2, ?3)",
                    params![peer_worker_id, participant_id, now_ms],
                )?
            } else {
                tx.execute(
                    "DELETE FROM caseload WHERE peer_worker_id = ?1 AND participant_id = ?2",
                    params![peer_worker_id, participant_id],
                )?
            };
            if changed > 0 {
                let start: i64 = tx.query_row("SELECT seq FROM sync_counter WHERE id = 1", [], |row| row.get(0))?;
                let seq = if assigned {
                    // The peer worker's devices may have pulled past this
                    // participant's records already: send them again.
                    restamp(&tx, &participant_id, None, start)?
                } else {
                    // Their devices purge everything of the participant.
                    revoke(&tx, &participant_id, Some(&peer_worker_id), &crate::policy::unassigned(), start + 1, now_ms)?;
                    start + 1
                };
                tx.execute("UPDATE sync_counter SET seq = ?1 WHERE id = 1", [seq])?;
            }
            tx.commit()?;
            Ok(changed > 0)
        })
        .await
    }

    async fn caseload(&self, peer_worker_id: &str) -> StoreResult<Vec<String>> {
        let peer_worker_id = peer_worker_id.to_owned();
        self.read(move |conn| caseload_of(conn, &peer_worker_id)).await
    }

    async fn peer_workers_of(&self, participant_id: &str) -> StoreResult<Vec<String>> {
        let participant_id = participant_id.to_owned();
        self.read(move |conn| peer_workers(conn, &participant_id)).await
    }

    async fn user(&self, id: &str) -> StoreResult<Option<User>> {
        let id = id.to_owned();
        self.read(move |conn| {
            let row = conn
                .prepare_cached("SELECT id, username, role, display_name FROM users WHERE id = ?1")?
                .query_row([&id], user_from)
                .optional()?;
            row.map(make_user).transpose()
        })
        .await
    }

    async fn create_invite(&self, invite: &NewInvite) -> StoreResult<()> {
        let invite = invite.clone();
        self.write(move |conn| {
            conn.execute(
                "INSERT INTO invites (code_hash, peer_worker_id, display_name, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![invite.code_hash, invite.peer_worker_id, invite.display_name, invite.created_at_ms, invite.expires_at_ms],
            )
            .map_err(|e| if is_constraint_violation(&e) { StoreError::Conflict("the invite code exists".into()) } else { e.into() })?;
            Ok(())
        })
        .await
    }

    async fn invites_since(&self, peer_worker_id: &str, since_ms: i64) -> StoreResult<u64> {
        let peer_worker_id = peer_worker_id.to_owned();
        self.read(move |conn| {
            let count: i64 = conn
                .prepare_cached("SELECT COUNT(*) FROM invites WHERE peer_worker_id = ?1 AND created_at >= ?2")?
                .query_row(params![peer_worker_id, since_ms], |row| row.get(0))?;
            Ok(u64::try_from(count).unwrap_or(0))
        })
        .await
    }

    async fn register(&self, registration: &Registration) -> StoreResult<Registered> {
        let r = registration.clone();
        self.write(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let invite: Option<(String, i64, Option<i64>)> = tx
                .query_row("SELECT peer_worker_id, expires_at, used_at FROM invites WHERE code_hash = ?1", [&r.code_hash], |row| {
                    Ok((row.get(0)?, row.get(1)?, row.get(2)?))
                })
                .optional()?;
            let peer_worker_id = match invite {
                None => return Ok(Registered::UnknownCode),
                Some((_, _, Some(_))) => return Ok(Registered::UsedCode),
                Some((_, expires_at, None)) if expires_at <= r.now_ms => return Ok(Registered::ExpiredCode),
                Some((peer_worker_id, _, None)) => peer_worker_id,
            };
            let user = &r.user;
            let inserted = tx.execute(
                "INSERT INTO users (id, username, role, display_name, password_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![user.id, user.username, user.role.name(), user.display_name, r.password_hash, r.now_ms],
            );
            match inserted {
                Ok(_) => {}
                Err(e) if is_constraint_violation(&e) => return Ok(Registered::UsernameTaken),
                Err(e) => return Err(e.into()),
            }
            tx.execute("UPDATE invites SET used_at = ?2, used_by = ?3 WHERE code_hash = ?1", params![r.code_hash, r.now_ms, user.id])?;
            tx.execute(
                "INSERT INTO caseload (peer_worker_id, participant_id, assigned_at) VALUES (?1, ?2, ?3)",
                params![peer_worker_id, user.id, r.now_ms],
            )?;
            let device_id = uuid::Uuid::new_v4().to_string();
            tx.execute(
                "INSERT INTO devices (id, user_id, name, token_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![device_id, user.id, r.device_name, r.token_hash, r.now_ms],
            )?;
            tx.commit()?;
            Ok(Registered::Done { device_id })
        })
        .await
    }

    async fn revocations(&self, peer_worker_id: &str, after_seq: i64) -> StoreResult<Vec<Revocation>> {
        let peer_worker_id = peer_worker_id.to_owned();
        self.read(move |conn| {
            let mut statement = conn.prepare_cached(
                "SELECT seq, participant_id, collections FROM revocations WHERE peer_worker_id = ?1 AND seq > ?2 ORDER BY seq, participant_id",
            )?;
            let rows = statement
                .query_map(params![peer_worker_id, after_seq], |row| Ok((row.get(0)?, row.get(1)?, row.get::<_, String>(2)?)))?
                .collect::<rusqlite::Result<Vec<(i64, String, String)>>>()?;
            rows.into_iter()
                .map(|(seq, participant_id, collections)| Ok(Revocation { seq, participant_id, collections: decode_list(&collections)? }))
                .collect()
        })
        .await
    }

    async fn append_audit(&self, entries: &[AuditRecord]) -> StoreResult<()> {
        if entries.is_empty() {
            return Ok(());
        }
        let entries = entries.to_vec();
        self.write(move |conn| insert_audit(conn, &entries)).await
    }

    async fn audit(&self, participant_id: &str, limit: usize) -> StoreResult<Vec<AuditRecord>> {
        let participant_id = participant_id.to_owned();
        self.read(move |conn| {
            let mut statement = conn.prepare_cached(
                "SELECT at, actor_id, actor_role, action, participant_id, collections, count FROM audit
                 WHERE participant_id = ?1 ORDER BY id DESC LIMIT ?2",
            )?;
            type Row = (i64, String, String, String, String, String, i64);
            let rows = statement
                .query_map(params![participant_id, i64::try_from(limit).unwrap_or(i64::MAX)], |row| {
                    Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?, row.get(5)?, row.get(6)?))
                })?
                .collect::<rusqlite::Result<Vec<Row>>>()?;
            rows.into_iter()
                .map(|(at_ms, actor_id, role, action, participant_id, collections, count)| {
                    Ok(AuditRecord {
                        at_ms,
                        actor_id,
                        actor_role: parse_role(&role)?,
                        action: action.parse().map_err(StoreError::Corrupt)?,
                        participant_id,
                        collections: decode_list(&collections)?,
                        count: u64::try_from(count).unwrap_or(0),
                    })
                })
                .collect()
        })
        .await
    }

    async fn records(&self, keys: &[RecordKey]) -> StoreResult<Vec<StoredRecord>> {
        let keys = keys.to_vec();
        self.read(move |conn| {
            Ok(keys.iter().map(|key| load_record(conn, key)).collect::<StoreResult<Vec<_>>>()?.into_iter().flatten().collect())
        })
        .await
    }

    async fn push(&self, context: &PushContext, changes: &[Change]) -> StoreResult<Vec<PushResult>> {
        let (context, changes) = (context.clone(), changes.to_vec());
        self.write(move |conn| {
            // IMMEDIATE takes the write lock first, so the snapshot cannot go
            // stale and seqs are handed out in commit order.
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let snapshot = snapshot(&tx, &context, &changes)?;
            let (results, writes) = plan_push(&context, &changes, snapshot);
            write_push(&tx, writes, context.now_ms)?;
            tx.commit()?;
            Ok(results)
        })
        .await
    }

    async fn pull(&self, scopes: &[Scope], after_seq: i64, inclusive: bool, limit: usize) -> StoreResult<Vec<StoredRecord>> {
        let (sql, values) = pull_query(scopes, after_seq, inclusive, limit);
        self.read(move |conn| {
            let mut statement = conn.prepare_cached(&sql)?;
            let rows = statement.query_map(params_from_iter(values), record_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
            rows.into_iter().map(make_record).collect()
        })
        .await
    }

    async fn prune(&self, applied_before_ms: i64, failures_before_ms: i64) -> StoreResult<()> {
        self.write(move |conn| {
            let forgotten = conn.execute("DELETE FROM applied_changes WHERE received_at < ?1", [applied_before_ms])?;
            conn.execute("DELETE FROM login_failures WHERE failed_at < ?1", [failures_before_ms])?;
            tracing::info!(forgotten, "pruned applied change ids past retention");
            Ok(())
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A database made by the first schema version, with data in it, migrates
    /// to the current one with its data intact and the audit trail append-only.
    #[tokio::test]
    async fn migrates_from_the_first_version_with_data() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("old.db");
        let path_text = path.to_string_lossy().into_owned();
        {
            let conn = Connection::open(&path)?;
            conn.execute_batch("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)")?;
            conn.execute_batch(MIGRATIONS[0])?;
            conn.execute("INSERT INTO schema_migrations (version, applied_at) VALUES (1, 0)", [])?;
            conn.execute(
                "INSERT INTO users (id, username, role, display_name, password_hash, created_at) VALUES ('u1', 'rosa', 'participant', 'Rosa', 'x', 0)",
                [],
            )?;
            conn.execute(
                "INSERT INTO records (collection, record_id, participant_id, fields, clocks, authors, first_author_id, seq)
                 VALUES ('goals', 'r1', 'u1', '{\"title\":\"Walk\"}', '{}', '{}', 'u1', 1)",
                [],
            )?;
        }
        let store = SqliteStore::open(&path_text).await?;
        assert!(store.user("u1").await?.is_some());
        assert_eq!(store.records(&[RecordKey::new("goals", "r1")]).await?.len(), 1);
        let conn = Connection::open(&path)?;
        let version: i64 = conn.query_row("SELECT MAX(version) FROM schema_migrations", [], |row| row.get(0))?;
        assert_eq!(version, i64::try_from(MIGRATIONS.len())?);
        conn.execute(
            "INSERT INTO audit (at, actor_id, actor_role, action, participant_id, collections, count) VALUES (0, 'u1', 'participant', 'push', 'u1', '[]', 1)",
            [],
        )?;
        assert!(conn.execute("DELETE FROM audit", []).is_err());
        // Opening again changes nothing.
        drop(store);
        SqliteStore::open(&path_text).await?;
        Ok(())
    }
}
