//! Every query the server runs, written once for both databases. Each takes
//! the open transaction it runs in; services decide which run together.
//! Nothing here decides a rule: it reads, writes and orders rows.

use std::collections::{BTreeMap, HashSet};

use alongside_protocol::care::{Care, ContactRequest, OnCall, PeerWorkerCard};
use serde_json::{Map, Value};

use super::sql::{Dialect, Executor, Param, Row, Statement, params, placeholders};
use super::{
    Access, AuditAction, AuditRecord, Credentials, DeviceRecord, Invite, NewInvite, PushDevice, PushSnapshot, PushWrites, RecordKey, Role,
    Session, StoreError, StoreResult, StoredRecord, User, decode_json, decode_list, decode_map, encode_json, encode_list, encode_map,
};

type Tx<'a> = &'a mut dyn Executor;

const RECORD_COLUMNS: &str = "collection, record_id, participant_id, fields, clocks, authors, first_author_id, seq, bases";
const USER_COLUMNS: &str = "id, username, role, display_name";
const DEVICE_COLUMNS: &str = "id, user_id, name, created_at, last_seen_at";

/// `FOR UPDATE` where the database has row locks; SQLite's write transaction
/// already holds the one write lock.
pub(super) fn for_update(tx: &dyn Executor) -> &'static str {
    match tx.dialect() {
        Dialect::Sqlite => "",
        Dialect::Postgres => " FOR UPDATE",
    }
}

pub(super) fn user_from(row: &Row) -> StoreResult<User> {
    Ok(User {
        id: row.text(0)?,
        username: row.text(1)?,
        role: row.text(2)?.parse::<Role>().map_err(StoreError::Corrupt)?,
        display_name: row.text(3)?,
    })
}

fn record_from(row: &Row) -> StoreResult<StoredRecord> {
    Ok(StoredRecord {
        collection: row.text(0)?,
        record_id: row.text(1)?,
        participant_id: row.text(2)?,
        fields: decode_map(&row.text(3)?)?,
        clocks: decode_map(&row.text(4)?)?,
        authors: decode_map(&row.text(5)?)?,
        first_author_id: row.text(6)?,
        seq: row.int(7)?,
        bases: decode_map(&row.text(8)?)?,
    })
}

fn count(changed: u64) -> i64 {
    i64::try_from(changed).unwrap_or(i64::MAX)
}

// --- server meta ---------------------------------------------------------------

/// The value kept under `key`, storing `fresh` first if there is none.
pub async fn meta_or_insert(tx: Tx<'_>, key: &str, fresh: &str) -> StoreResult<String> {
    tx.execute("INSERT INTO server_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING", &params![key, fresh]).await?;
    meta(tx, key).await?.ok_or_else(|| StoreError::Corrupt(format!("{key} is missing just after it was stored")))
}

/// When the schema reached `version` (ms), if it has.
pub async fn migrated_at(tx: Tx<'_>, version: i64) -> StoreResult<Option<i64>> {
    Ok(match tx.query_opt("SELECT applied_at FROM schema_migrations WHERE version = $1", &params![version]).await? {
        Some(row) => Some(row.int(0)?),
        None => None,
    })
}

/// Sets or (with `None`) clears the value under `key`.
pub async fn set_meta(tx: Tx<'_>, key: &str, value: Option<&str>) -> StoreResult<()> {
    match value {
        Some(value) => {
            let sql = "INSERT INTO server_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value";
            tx.execute(sql, &params![key, value]).await?;
        }
        None => {
            tx.execute("DELETE FROM server_meta WHERE key = $1", &params![key]).await?;
        }
    }
    Ok(())
}

/// The value under `key`, if any.
pub async fn meta(tx: Tx<'_>, key: &str) -> StoreResult<Option<String>> {
    tx.query_opt("SELECT value FROM server_meta WHERE key = $1", &params![key]).await?.map(|row| row.text(0)).transpose()
}

// --- users and devices ---------------------------------------------------------

/// Inserts a user (a participant with their own sequence); a taken username is [`StoreError::Unique`].
pub async fn insert_user(tx: Tx<'_>, user: &User, password_hash: &str, now_ms: i64) -> StoreResult<()> {
    tx.execute(
        "INSERT INTO users (id, username, role, display_name, password_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        &params![&user.id, &user.username, user.role.name(), &user.display_name, password_hash, now_ms],
    )
    .await?;
    if user.role == Role::Participant {
        tx.execute("INSERT INTO participant_seq (participant_id, seq) VALUES ($1, 0) ON CONFLICT DO NOTHING", &params![&user.id]).await?;
    }
    Ok(())
}

pub async fn username_taken(tx: Tx<'_>, username: &str) -> StoreResult<bool> {
    Ok(tx.query_opt("SELECT 1 FROM users WHERE username = $1", &params![username]).await?.is_some())
}

/// A user who is still someone: not erased, account not closed (the
/// columns are the users table's alone, so it reads the same in a join).
pub(super) const PRESENT: &str = "erased_at IS NULL AND closed_at IS NULL";

pub async fn credentials(tx: Tx<'_>, username: &str) -> StoreResult<Option<Credentials>> {
    let sql = format!("SELECT {USER_COLUMNS}, password_hash FROM users WHERE username = $1 AND {PRESENT}");
    let row = tx.query_opt(&sql, &params![username]).await?;
    row.map(|row| Ok(Credentials { user: user_from(&row)?, password_hash: row.text(4)? })).transpose()
}

/// Whether `id` is present (not erased, not closed), its row locked until
/// the transaction ends (PostgreSQL; SQLite writes one at a time anyway).
pub async fn present_for_update(tx: Tx<'_>, id: &str) -> StoreResult<bool> {
    let sql = format!("SELECT 1 FROM users WHERE id = $1 AND {PRESENT}{}", for_update(tx));
    Ok(tx.query_opt(&sql, &params![id]).await?.is_some())
}

pub async fn user(tx: Tx<'_>, id: &str) -> StoreResult<Option<User>> {
    // An erased participant, or a closed account, is nobody: no admin action or lookup finds them.
    let row = tx.query_opt(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1 AND {PRESENT}"), &params![id]).await?;
    row.as_ref().map(user_from).transpose()
}

/// Registers a device with its token's hash; returns the device id.
pub async fn insert_device(tx: Tx<'_>, user_id: &str, name: &str, token_hash: &str, now_ms: i64) -> StoreResult<String> {
    let device_id = uuid::Uuid::new_v4().to_string();
    tx.execute(
        "INSERT INTO devices (id, user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)",
        &params![&device_id, user_id, name, token_hash, now_ms],
    )
    .await?;
    Ok(device_id)
}

pub async fn session(tx: Tx<'_>, token_hash: &str) -> StoreResult<Option<Access>> {
    let row = tx
        .query_opt(
            "SELECT u.id, u.username, u.role, u.display_name, d.id, d.revoked_at, d.last_seen_at,
             COALESCE(u.closed_at, u.erased_at) FROM devices d
             JOIN users u ON u.id = d.user_id WHERE d.token_hash = $1",
            &params![token_hash],
        )
        .await?;
    let Some(row) = row else { return Ok(None) };
    // Only a device signed out with a wipe keeps its token's hash; one
    // signed in as the account was closed (or erased) is told the same.
    if row.opt_int(5)?.is_some() || row.opt_int(7)?.is_some() {
        return Ok(Some(Access::Wiped));
    }
    Ok(Some(Access::Session { session: Session { user: user_from(&row)?, device_id: row.text(4)? }, last_seen_ms: row.opt_int(6)? }))
}

pub async fn touch_device(tx: Tx<'_>, device_id: &str, now_ms: i64) -> StoreResult<()> {
    tx.execute("UPDATE devices SET last_seen_at = $2 WHERE id = $1", &params![device_id, now_ms]).await?;
    Ok(())
}

/// The signed-in devices of `user_id`, oldest first.
pub async fn devices(tx: Tx<'_>, user_id: &str) -> StoreResult<Vec<DeviceRecord>> {
    let sql = format!("SELECT {DEVICE_COLUMNS} FROM devices WHERE user_id = $1 AND revoked_at IS NULL ORDER BY created_at, id");
    tx.query(&sql, &params![user_id]).await?.iter().map(device_from).collect()
}

pub async fn device(tx: Tx<'_>, device_id: &str) -> StoreResult<Option<DeviceRecord>> {
    let sql = format!("SELECT {DEVICE_COLUMNS} FROM devices WHERE id = $1 AND revoked_at IS NULL");
    tx.query_opt(&sql, &params![device_id]).await?.as_ref().map(device_from).transpose()
}

fn device_from(row: &Row) -> StoreResult<DeviceRecord> {
    Ok(DeviceRecord { id: row.text(0)?, user_id: row.text(1)?, name: row.text(2)?, created_ms: row.int(3)?, last_seen_ms: row.opt_int(4)? })
}

/// Signs a device out with a wipe: its token stops working, and is kept
/// only to tell the device to clear itself.
pub async fn wipe_device(tx: Tx<'_>, device_id: &str, now_ms: i64) -> StoreResult<()> {
    tx.execute("UPDATE devices SET revoked_at = $2, wipe_at = $2 WHERE id = $1", &params![device_id, now_ms]).await?;
    Ok(())
}

pub async fn revoke_device(tx: Tx<'_>, device_id: &str, now_ms: i64) -> StoreResult<()> {
    tx.execute("UPDATE devices SET token_hash = NULL, revoked_at = $2 WHERE id = $1", &params![device_id, now_ms]).await?;
    Ok(())
}

// --- login failures ------------------------------------------------------------

pub async fn login_failures(tx: Tx<'_>, username: &str, since_ms: i64) -> StoreResult<Vec<i64>> {
    let rows = tx
        .query(
            "SELECT failed_at FROM login_failures WHERE username = $1 AND failed_at >= $2 ORDER BY failed_at",
            &params![username, since_ms],
        )
        .await?;
    rows.iter().map(|row| row.int(0)).collect()
}

pub async fn record_login_failure(tx: Tx<'_>, username: &str, at_ms: i64, forget_before_ms: i64) -> StoreResult<()> {
    tx.execute("DELETE FROM login_failures WHERE failed_at < $1", &params![forget_before_ms]).await?;
    tx.execute("INSERT INTO login_failures (username, failed_at) VALUES ($1, $2)", &params![username, at_ms]).await?;
    Ok(())
}

pub async fn clear_login_failures(tx: Tx<'_>, username: &str) -> StoreResult<()> {
    tx.execute("DELETE FROM login_failures WHERE username = $1", &params![username]).await?;
    Ok(())
}

// --- caseloads -------------------------------------------------------------------

/// Puts a participant on a peer worker's caseload; returns whether it was not there.
pub async fn assign(tx: Tx<'_>, peer_worker_id: &str, participant_id: &str, now_ms: i64) -> StoreResult<bool> {
    // Locked, so a closing or erasure either comes first (and nobody is put
    // on a closed account's caseload) or waits and then takes this row away.
    for id in [peer_worker_id, participant_id] {
        if !present_for_update(tx, id).await? {
            return Err(StoreError::Absent("that account was closed or erased".into()));
        }
    }
    let inserted = tx
        .execute(
            "INSERT INTO caseload (peer_worker_id, participant_id, assigned_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            &params![peer_worker_id, participant_id, now_ms],
        )
        .await?;
    Ok(inserted > 0)
}

/// Takes a participant off a peer worker's caseload; returns whether they were on it.
pub async fn unassign(tx: Tx<'_>, peer_worker_id: &str, participant_id: &str) -> StoreResult<bool> {
    let deleted = tx
        .execute("DELETE FROM caseload WHERE peer_worker_id = $1 AND participant_id = $2", &params![peer_worker_id, participant_id])
        .await?;
    Ok(deleted > 0)
}

/// A peer worker's participants, by id, with when each was assigned.
pub async fn caseload(tx: Tx<'_>, peer_worker_id: &str) -> StoreResult<Vec<(String, i64)>> {
    let statement = caseload_statement(peer_worker_id);
    caseload_from(&tx.query(&statement.sql, &statement.params).await?)
}

fn caseload_statement(peer_worker_id: &str) -> Statement {
    Statement::new(
        "SELECT participant_id, assigned_at FROM caseload WHERE peer_worker_id = $1 ORDER BY participant_id",
        params![peer_worker_id],
    )
}

fn caseload_from(rows: &[Row]) -> StoreResult<Vec<(String, i64)>> {
    rows.iter().map(|row| Ok((row.text(0)?, row.int(1)?))).collect()
}

pub async fn peer_workers_of(tx: Tx<'_>, participant_id: &str) -> StoreResult<Vec<String>> {
    let rows =
        tx.query("SELECT peer_worker_id FROM caseload WHERE participant_id = $1 ORDER BY peer_worker_id", &params![participant_id]).await?;
    rows.iter().map(|row| row.text(0)).collect()
}

// --- reaching help ---------------------------------------------------------------

/// Where the program's on-call line is kept, as JSON.
const ON_CALL_KEY: &str = "on_call";

/// A user's own number and hours (JSON), for their participants' phones.
pub async fn set_contact(tx: Tx<'_>, user_id: &str, contact: &ContactRequest) -> StoreResult<()> {
    let hours = contact.hours.as_ref().map(encode_json).transpose()?;
    tx.execute("UPDATE users SET phone = $1, hours = $2 WHERE id = $3", &params![contact.phone.as_deref(), hours, user_id]).await?;
    Ok(())
}

/// A user's own number and hours, as they set them (nothing when unset).
pub async fn contact(tx: Tx<'_>, user_id: &str) -> StoreResult<ContactRequest> {
    let Some(row) = tx.query_opt("SELECT phone, hours FROM users WHERE id = $1", &params![user_id]).await? else {
        return Ok(ContactRequest::default());
    };
    Ok(ContactRequest { phone: row.opt_text(0)?, hours: opt_json(row.opt_text(1)?)? })
}

pub async fn set_on_call(tx: Tx<'_>, on_call: Option<&OnCall>) -> StoreResult<()> {
    let value = on_call.map(encode_json).transpose()?;
    set_meta(tx, ON_CALL_KEY, value.as_deref()).await
}

/// Whom a participant can reach: their peer workers, longest assigned
/// first, and the on-call line.
pub async fn care(tx: Tx<'_>, participant_id: &str) -> StoreResult<Care> {
    let sql = format!(
        "SELECT u.id, u.display_name, u.phone, u.hours FROM caseload c JOIN users u ON u.id = c.peer_worker_id \
         WHERE c.participant_id = $1 AND {PRESENT} ORDER BY c.assigned_at, u.id"
    );
    let rows = tx.query(&sql, &params![participant_id]).await?;
    let peer_workers = rows
        .iter()
        .map(|row| {
            Ok(PeerWorkerCard { id: row.text(0)?, display_name: row.text(1)?, phone: row.opt_text(2)?, hours: opt_json(row.opt_text(3)?)? })
        })
        .collect::<StoreResult<_>>()?;
    let on_call = opt_json(meta(tx, ON_CALL_KEY).await?)?;
    Ok(Care { peer_workers, on_call })
}

/// A JSON column that may be empty.
fn opt_json<T: serde::de::DeserializeOwned>(text: Option<String>) -> StoreResult<Option<T>> {
    text.map(|text| decode_json(&text)).transpose()
}

// --- push registrations ---------------------------------------------------------

/// Keeps `registration` (JSON) as where `device_id` is woken, replacing any before.
pub async fn set_push_registration(tx: Tx<'_>, device_id: &str, user_id: &str, registration: &str, now_ms: i64) -> StoreResult<()> {
    let sql = "INSERT INTO push_registrations (device_id, user_id, registration, updated_at) VALUES ($1, $2, $3, $4) \
               ON CONFLICT (device_id) DO UPDATE SET registration = excluded.registration, updated_at = excluded.updated_at";
    tx.execute(sql, &params![device_id, user_id, registration, now_ms]).await?;
    Ok(())
}

pub async fn forget_push_registration(tx: Tx<'_>, device_id: &str) -> StoreResult<()> {
    tx.execute("DELETE FROM push_registrations WHERE device_id = $1", &params![device_id]).await?;
    Ok(())
}

/// The registrations of the signed-in devices of `user_ids`.
pub async fn push_registrations(tx: Tx<'_>, user_ids: &[String]) -> StoreResult<Vec<PushDevice>> {
    if user_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT p.device_id, p.user_id, p.registration FROM push_registrations p JOIN devices d ON d.id = p.device_id \
         WHERE d.revoked_at IS NULL AND p.user_id IN ({}) ORDER BY p.device_id",
        placeholders(1, user_ids.len())
    );
    let params: Vec<Param> = user_ids.iter().map(Param::from).collect();
    let rows = tx.query(&sql, &params).await?;
    rows.iter().map(|row| Ok(PushDevice { device_id: row.text(0)?, user_id: row.text(1)?, registration: row.text(2)? })).collect()
}

// --- invites -------------------------------------------------------------------

/// Inserts an invite; an existing code is [`StoreError::Unique`].
pub async fn insert_invite(tx: Tx<'_>, invite: &NewInvite) -> StoreResult<()> {
    tx.execute(
        "INSERT INTO invites (code_hash, peer_worker_id, display_name, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        &params![&invite.code_hash, &invite.peer_worker_id, &invite.display_name, invite.created_at_ms, invite.expires_at_ms],
    )
    .await?;
    Ok(())
}

pub async fn invites_since(tx: Tx<'_>, peer_worker_id: &str, since_ms: i64) -> StoreResult<u64> {
    let row = tx
        .query_one("SELECT COUNT(*) FROM invites WHERE peer_worker_id = $1 AND created_at >= $2", &params![peer_worker_id, since_ms])
        .await?;
    Ok(u64::try_from(row.int(0)?).unwrap_or(0))
}

/// The invite with this code, locked until the transaction ends.
pub async fn invite_for_update(tx: Tx<'_>, code_hash: &str) -> StoreResult<Option<Invite>> {
    let sql = format!("SELECT peer_worker_id, expires_at, used_at FROM invites WHERE code_hash = $1{}", for_update(tx));
    let row = tx.query_opt(&sql, &params![code_hash]).await?;
    row.map(|row| Ok(Invite { peer_worker_id: row.text(0)?, expires_at_ms: row.int(1)?, used_at_ms: row.opt_int(2)? })).transpose()
}

pub async fn mark_invite_used(tx: Tx<'_>, code_hash: &str, user_id: &str, now_ms: i64) -> StoreResult<()> {
    tx.execute("UPDATE invites SET used_at = $2, used_by = $3 WHERE code_hash = $1", &params![code_hash, now_ms, user_id]).await?;
    Ok(())
}

// --- audit -----------------------------------------------------------------------

pub async fn append_audit(tx: Tx<'_>, entries: &[AuditRecord]) -> StoreResult<()> {
    if let Some(statement) = audit_statement(entries)? {
        tx.execute(&statement.sql, &statement.params).await?;
    }
    Ok(())
}

fn audit_statement(entries: &[AuditRecord]) -> StoreResult<Option<Statement>> {
    if entries.is_empty() {
        return Ok(None);
    }
    let mut values = Vec::with_capacity(entries.len() * 7);
    let mut tuples = Vec::with_capacity(entries.len());
    for entry in entries {
        tuples.push(format!("({})", placeholders(values.len() + 1, 7)));
        values.extend(params![
            entry.at_ms,
            &entry.actor_id,
            entry.actor_role.name(),
            entry.action.name(),
            &entry.participant_id,
            encode_list(&entry.collections)?,
            i64::try_from(entry.count).unwrap_or(i64::MAX)
        ]);
    }
    let sql =
        format!("INSERT INTO audit (at, actor_id, actor_role, action, participant_id, collections, count) VALUES {}", tuples.join(", "));
    Ok(Some(Statement::new(sql, values)))
}

/// The newest `limit` entries about `participant_id`, newest first.
pub async fn audit(tx: Tx<'_>, participant_id: &str, limit: usize) -> StoreResult<Vec<AuditRecord>> {
    let rows = tx
        .query(
            "SELECT at, actor_id, actor_role, action, participant_id, collections, count FROM audit
             WHERE participant_id = $1 ORDER BY id DESC LIMIT $2",
            &params![participant_id, i64::try_from(limit).unwrap_or(i64::MAX)],
        )
        .await?;
    rows.iter()
        .map(|row| {
            Ok(AuditRecord {
                at_ms: row.int(0)?,
                actor_id: row.text(1)?,
                actor_role: row.text(2)?.parse().map_err(StoreError::Corrupt)?,
                action: row.text(3)?.parse::<AuditAction>().map_err(StoreError::Corrupt)?,
                participant_id: row.text(4)?,
                collections: decode_list(&row.text(5)?)?,
                count: u64::try_from(row.int(6)?).unwrap_or(0),
            })
        })
        .collect()
}

// --- records -------------------------------------------------------------------

/// The records named by `keys` that exist (whoever they belong to).
pub async fn records(tx: Tx<'_>, keys: &[RecordKey]) -> StoreResult<Vec<StoredRecord>> {
    let Some(statement) = records_statement(keys) else { return Ok(Vec::new()) };
    records_from(keys, &tx.query(&statement.sql, &statement.params).await?)
}

fn records_statement(keys: &[RecordKey]) -> Option<Statement> {
    if keys.is_empty() {
        return None;
    }
    let mut record_ids: Vec<&str> = keys.iter().map(|k| k.record_id.as_str()).collect();
    record_ids.sort_unstable();
    record_ids.dedup();
    let sql = format!("SELECT {RECORD_COLUMNS} FROM records WHERE record_id IN ({})", placeholders(1, record_ids.len()));
    Some(Statement::new(sql, record_ids.into_iter().map(Param::from).collect::<Vec<_>>()))
}

/// The rows of [`records_statement`] that `keys` name.
fn records_from(keys: &[RecordKey], rows: &[Row]) -> StoreResult<Vec<StoredRecord>> {
    let wanted: HashSet<&RecordKey> = keys.iter().collect();
    let mut found = Vec::new();
    for row in rows {
        let record = record_from(row)?;
        if wanted.contains(&record.key()) {
            found.push(record);
        }
    }
    Ok(found)
}

/// A participant on a peer worker's caseload.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseloadRow {
    pub participant_id: String,
    pub assigned_at_ms: i64,
    /// Their `sharing` record's fields, if they have one.
    pub sharing: Option<Map<String, Value>>,
}

/// A peer worker's participants, by id, each with their `sharing` record (a
/// singleton: its record id is the participant's), in one statement.
pub async fn caseload_with_sharing(tx: Tx<'_>, peer_worker_id: &str) -> StoreResult<Vec<CaseloadRow>> {
    let rows = tx
        .query(
            "SELECT c.participant_id, c.assigned_at, r.fields FROM caseload c
             LEFT JOIN records r ON r.participant_id = c.participant_id AND r.collection = 'sharing' AND r.record_id = c.participant_id
             WHERE c.peer_worker_id = $1 ORDER BY c.participant_id",
            &params![peer_worker_id],
        )
        .await?;
    rows.iter()
        .map(|row| {
            let sharing = row.opt_text(2)?.map(|fields| decode_map(&fields)).transpose()?;
            Ok(CaseloadRow { participant_id: row.text(0)?, assigned_at_ms: row.int(1)?, sharing })
        })
        .collect()
}

/// Locks the sequences of `participant_ids` (in id order, so pushes never
/// deadlock) and returns each one's last seq. Until this transaction ends,
/// other pushes for these participants wait, and only those: so each
/// participant's seqs become visible in the order they were handed out.
pub async fn lock_sequences(tx: Tx<'_>, participant_ids: &[String]) -> StoreResult<BTreeMap<String, i64>> {
    let mut ids = participant_ids.to_vec();
    ids.sort();
    ids.dedup();
    if ids.is_empty() {
        return Ok(BTreeMap::new());
    }
    let sql = format!(
        "SELECT participant_id, seq FROM participant_seq WHERE participant_id IN ({}) ORDER BY participant_id{}",
        placeholders(1, ids.len()),
        for_update(tx)
    );
    let values: Vec<Param> = ids.into_iter().map(Param::from).collect();
    let rows = tx.query(&sql, &values).await?;
    rows.iter().map(|row| Ok((row.text(0)?, row.int(1)?))).collect()
}

/// What a push decides on: which of its changes were applied before, the
/// records it names (and the sharing record of each participant it names),
/// and, for a peer worker, their caseload. The reads go together.
pub async fn push_snapshot(
    tx: Tx<'_>,
    changes: &[(String, String)],
    keys: &[RecordKey],
    caseload_of: Option<&str>,
) -> StoreResult<PushSnapshot> {
    let reads: Vec<Statement> =
        [applied_statement(changes), records_statement(keys), caseload_of.map(caseload_statement)].into_iter().flatten().collect();
    let mut answers = tx.query_all(&reads).await?.into_iter();
    let mut snapshot = PushSnapshot::default();
    if !changes.is_empty() {
        let wanted: HashSet<&(String, String)> = changes.iter().collect();
        for row in answers.next().unwrap_or_default() {
            let pair = (row.text(0)?, row.text(1)?);
            if wanted.contains(&pair) {
                snapshot.applied.insert(pair.1);
            }
        }
    }
    if !keys.is_empty() {
        for record in records_from(keys, &answers.next().unwrap_or_default())? {
            snapshot.records.insert(record.key(), record);
        }
    }
    if caseload_of.is_some() {
        snapshot.caseload = caseload_from(&answers.next().unwrap_or_default())?.into_iter().map(|(id, _)| id).collect();
    }
    Ok(snapshot)
}

/// Which of `changes` (participant id, change id) were applied before.
fn applied_statement(changes: &[(String, String)]) -> Option<Statement> {
    if changes.is_empty() {
        return None;
    }
    // Two IN lists rather than one condition per change: SQLite bounds the
    // depth of an expression, not the length of a list.
    let mut participants: Vec<&str> = changes.iter().map(|(p, _)| p.as_str()).collect();
    participants.sort_unstable();
    participants.dedup();
    let sql = format!(
        "SELECT participant_id, change_id FROM applied_changes WHERE participant_id IN ({}) AND change_id IN ({})",
        placeholders(1, participants.len()),
        placeholders(participants.len() + 1, changes.len())
    );
    let mut values: Vec<Param> = participants.into_iter().map(Param::from).collect();
    values.extend(changes.iter().map(|(_, c)| Param::from(c)));
    Some(Statement::new(sql, values))
}

/// Writes what a push decided, handing each participant's modifications the
/// next seqs of that participant (whose sequence [`lock_sequences`] holds):
/// modified records in order, then a purge per withdrawal, then the records
/// of newly shared collections again.
pub async fn write_push(tx: Tx<'_>, writes: PushWrites, mut sequences: BTreeMap<String, i64>, now_ms: i64) -> StoreResult<()> {
    let before = sequences.clone();
    let mut next = |participant_id: &str| {
        let seq = sequences.entry(participant_id.to_owned()).or_insert(0);
        *seq += 1;
        *seq
    };
    let mut values = Vec::with_capacity(writes.records.len() * 9);
    let mut tuples = Vec::with_capacity(writes.records.len());
    for record in &writes.records {
        tuples.push(format!("({})", placeholders(values.len() + 1, 9)));
        values.extend(params![
            &record.collection,
            &record.record_id,
            &record.participant_id,
            encode_map(&record.fields)?,
            encode_map(&record.clocks)?,
            encode_map(&record.authors)?,
            &record.first_author_id,
            next(&record.participant_id),
            encode_map(&record.bases)?
        ]);
    }
    let mut purges = Vec::new();
    for (participant_id, collections) in &writes.revoke {
        purges.push((participant_id.clone(), next(participant_id), encode_list(collections)?));
    }
    // The writes go together; only redelivery, which renumbers records and
    // so needs to know how many, runs on its own between them.
    let mut batch = Vec::new();
    if !tuples.is_empty() {
        let sql = format!(
            "INSERT INTO records ({RECORD_COLUMNS}) VALUES {}
             ON CONFLICT (participant_id, collection, record_id) DO UPDATE SET
                 fields = excluded.fields, clocks = excluded.clocks, authors = excluded.authors, seq = excluded.seq,
                 bases = excluded.bases",
            tuples.join(", ")
        );
        batch.push(Statement::new(sql, values));
    }
    for (participant_id, seq, collections) in purges {
        batch.push(Statement::new(
            "INSERT INTO purges (participant_id, seq, collections, at) VALUES ($1, $2, $3, $4)",
            params![participant_id, seq, collections, now_ms],
        ));
    }
    if !writes.redeliver.is_empty() {
        tx.query_all(&std::mem::take(&mut batch)).await?;
    }
    for (participant_id, collections) in &writes.redeliver {
        let from = sequences.get(participant_id).copied().unwrap_or(0);
        let last = restamp(tx, participant_id, collections, from).await?;
        sequences.insert(participant_id.clone(), last);
    }
    for (participant_id, seq) in &sequences {
        if before.get(participant_id) != Some(seq) {
            batch.push(Statement::new(
                "INSERT INTO participant_seq (participant_id, seq) VALUES ($1, $2)
                 ON CONFLICT (participant_id) DO UPDATE SET seq = excluded.seq",
                params![participant_id, *seq],
            ));
        }
    }
    batch.extend(remember_applied_statement(&writes.applied, now_ms));
    batch.extend(audit_statement(&writes.audit)?);
    tx.query_all(&batch).await?;
    Ok(())
}

/// Remembers applied change ids, so a re-push answers `duplicate`.
fn remember_applied_statement(applied: &[(String, String)], now_ms: i64) -> Option<Statement> {
    if applied.is_empty() {
        return None;
    }
    let tuples: Vec<String> = (0..applied.len()).map(|i| format!("(${}, ${}, $1)", 2 * i + 2, 2 * i + 3)).collect();
    let mut values = Vec::from(params![now_ms]);
    values.extend(applied.iter().flat_map(|(p, c)| [Param::from(p), Param::from(c)]));
    let sql =
        format!("INSERT INTO applied_changes (participant_id, change_id, received_at) VALUES {} ON CONFLICT DO NOTHING", tuples.join(", "));
    Some(Statement::new(sql, values))
}

/// Gives a participant's records in `collections` new seqs after `seq`,
/// keeping their order, so every device that pulled past them gets them
/// again. Returns the last seq used.
async fn restamp(tx: Tx<'_>, participant_id: &str, collections: &[&str], seq: i64) -> StoreResult<i64> {
    if collections.is_empty() {
        return Ok(seq);
    }
    let sql = format!(
        "WITH ordered AS (
             SELECT collection, record_id, row_number() OVER (ORDER BY seq) AS n FROM records
             WHERE participant_id = $1 AND collection IN ({}))
         UPDATE records AS r SET seq = $2 + ordered.n FROM ordered
         WHERE r.participant_id = $1 AND r.collection = ordered.collection AND r.record_id = ordered.record_id",
        placeholders(3, collections.len())
    );
    let mut values = Vec::from(params![participant_id, seq]);
    values.extend(collections.iter().map(|c| Param::from(*c)));
    let moved = tx.execute(&sql, &values).await?;
    Ok(seq + count(moved))
}

// --- pull ------------------------------------------------------------------------

/// A participant's records after `after_seq` (or at it, when `inclusive`), in
/// `collections` (or all), by seq, at most `limit`.
pub async fn records_after(
    tx: Tx<'_>,
    participant_id: &str,
    collections: Option<&[&str]>,
    after_seq: i64,
    inclusive: bool,
    limit: usize,
) -> StoreResult<Vec<StoredRecord>> {
    let mut values = Vec::from(params![participant_id, after_seq, i64::try_from(limit).unwrap_or(i64::MAX)]);
    let filter = match collections {
        Some([]) => return Ok(Vec::new()),
        Some(collections) => {
            values.extend(collections.iter().map(|c| Param::from(*c)));
            format!(" AND collection IN ({})", placeholders(4, collections.len()))
        }
        None => String::new(),
    };
    let comparison = if inclusive { ">=" } else { ">" };
    let sql =
        format!("SELECT {RECORD_COLUMNS} FROM records WHERE participant_id = $1 AND seq {comparison} $2{filter} ORDER BY seq LIMIT $3");
    tx.query(&sql, &values).await?.iter().map(record_from).collect()
}

/// The last seq handed out in each of `participant_ids`' sequences; a
/// participant with none is left out.
pub async fn last_seqs(tx: Tx<'_>, participant_ids: &[String]) -> StoreResult<BTreeMap<String, i64>> {
    if participant_ids.is_empty() {
        return Ok(BTreeMap::new());
    }
    let sql =
        format!("SELECT participant_id, seq FROM participant_seq WHERE participant_id IN ({})", placeholders(1, participant_ids.len()));
    let values: Vec<Param> = participant_ids.iter().map(Param::from).collect();
    tx.query(&sql, &values).await?.iter().map(|row| Ok((row.text(0)?, row.int(1)?))).collect()
}

/// A purge in a participant's sequence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurgeRow {
    pub participant_id: String,
    pub seq: i64,
    pub collections: Vec<String>,
}

/// The purges of `participant_ids` after `after_seq` (at most; the caller
/// filters by each participant's own position), by participant and seq.
pub async fn purges_after(tx: Tx<'_>, participant_ids: &[String], after_seq: i64) -> StoreResult<Vec<PurgeRow>> {
    if participant_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT participant_id, seq, collections FROM purges WHERE seq > $1 AND participant_id IN ({}) ORDER BY participant_id, seq",
        placeholders(2, participant_ids.len())
    );
    let mut values = Vec::from(params![after_seq]);
    values.extend(participant_ids.iter().map(Param::from));
    let rows = tx.query(&sql, &values).await?;
    rows.iter()
        .map(|row| Ok(PurgeRow { participant_id: row.text(0)?, seq: row.int(1)?, collections: decode_list(&row.text(2)?)? }))
        .collect()
}

/// The participants a peer worker was told to purge, before version 3 of
/// the schema, after `after_seq`: for reading a cursor from back then.
pub async fn legacy_revoked(tx: Tx<'_>, peer_worker_id: &str, after_seq: i64) -> StoreResult<Vec<String>> {
    let rows = tx
        .query(
            "SELECT DISTINCT participant_id FROM legacy_revocations WHERE peer_worker_id = $1 AND seq > $2 ORDER BY participant_id",
            &params![peer_worker_id, after_seq],
        )
        .await?;
    rows.iter().map(|row| row.text(0)).collect()
}

// --- maintenance -------------------------------------------------------------------

/// Forgets applied change ids received before `applied_before_ms` and login
/// failures before `failures_before_ms`; returns how many change ids.
pub async fn prune(tx: Tx<'_>, applied_before_ms: i64, failures_before_ms: i64) -> StoreResult<u64> {
    let forgotten = tx.execute("DELETE FROM applied_changes WHERE received_at < $1", &params![applied_before_ms]).await?;
    tx.execute("DELETE FROM login_failures WHERE failed_at < $1", &params![failures_before_ms]).await?;
    Ok(forgotten)
}
