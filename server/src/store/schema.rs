//! The schema, one list of versions for both databases, and the runner
//! that brings a database up to date. Versions 1 and 2 shipped written once
//! per dialect; from version 3 on a version is one text for both, with a
//! per-dialect part only where the dialects differ.
//!
//! Never edit a version that has shipped; add the next.

use super::sql::{Dialect, Executor, params};
use super::{StoreError, StoreResult};

/// One schema version.
struct Migration {
    /// Runs on both databases.
    shared: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

impl Migration {
    fn text(&self, dialect: Dialect) -> [&'static str; 2] {
        match dialect {
            Dialect::Sqlite => [self.sqlite, self.shared],
            Dialect::Postgres => [self.postgres, self.shared],
        }
    }
}

const V1_SQLITE: &str = r"
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
";

const V1_POSTGRES: &str = r"
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
";

const V2_SQLITE: &str = r"
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
";

const V2_POSTGRES: &str = r"
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
";

/// Version 3: no row that every push must lock, and participant-owned tables
/// that lead with `participant_id`.
///
/// - `participant_seq`: each participant's own sequence of modifications,
///   replacing the one global `sync_counter`. Existing participants continue
///   from the global value, so every seq handed out before stays below every
///   seq handed out after, and cursors from before the upgrade stay valid.
/// - `records` and `applied_changes` lead with `participant_id`; seqs are
///   unique per participant.
/// - `purges`: what a participant's peer workers must purge, in the
///   participant's sequence (sharing withdrawn). Leaving a caseload needs no
///   row any more: a cursor names the participants it has seen. The old
///   per-peer-worker rows stay as `legacy_revocations`, read only for a cursor
///   from before the upgrade.
/// - Applied change ids cannot be kept (they had no participant): a device
///   retrying a batch from before the upgrade gets `applied` again, which
///   merges to the same state.
const V3_SHARED: &str = r"
CREATE TABLE participant_seq (
    participant_id TEXT PRIMARY KEY,
    seq BIGINT NOT NULL
);
INSERT INTO participant_seq (participant_id, seq)
    SELECT id, (SELECT seq FROM sync_counter WHERE id = 1) FROM users WHERE role = 'participant';
INSERT INTO participant_seq (participant_id, seq)
    SELECT DISTINCT participant_id, (SELECT seq FROM sync_counter WHERE id = 1) FROM records
    WHERE participant_id NOT IN (SELECT participant_id FROM participant_seq);
DROP TABLE sync_counter;
CREATE TABLE records_v3 (
    participant_id TEXT NOT NULL,
    collection TEXT NOT NULL,
    record_id TEXT NOT NULL,
    fields TEXT NOT NULL,
    clocks TEXT NOT NULL,
    authors TEXT NOT NULL,
    first_author_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    PRIMARY KEY (participant_id, collection, record_id)
);
INSERT INTO records_v3 (participant_id, collection, record_id, fields, clocks, authors, first_author_id, seq)
    SELECT participant_id, collection, record_id, fields, clocks, authors, first_author_id, seq FROM records;
DROP TABLE records;
ALTER TABLE records_v3 RENAME TO records;
CREATE UNIQUE INDEX records_by_seq ON records (participant_id, seq);
CREATE UNIQUE INDEX records_by_key ON records (collection, record_id);
CREATE INDEX records_by_record_id ON records (record_id);
CREATE TABLE purges (
    participant_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    collections TEXT NOT NULL,
    at BIGINT NOT NULL,
    PRIMARY KEY (participant_id, seq)
);
INSERT INTO purges (participant_id, seq, collections, at)
    SELECT r.participant_id, r.seq, MIN(r.collections), MIN(r.at) FROM revocations r
    WHERE EXISTS (SELECT 1 FROM caseload c WHERE c.peer_worker_id = r.peer_worker_id AND c.participant_id = r.participant_id)
    GROUP BY r.participant_id, r.seq;
ALTER TABLE revocations RENAME TO legacy_revocations;
DROP TABLE applied_changes;
CREATE TABLE applied_changes (
    participant_id TEXT NOT NULL,
    change_id TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    PRIMARY KEY (participant_id, change_id)
);
CREATE INDEX applied_changes_by_time ON applied_changes (received_at);
";

/// 4: per field, the value its winning change's writer saw (`Change::base`,
/// protocol/README.md "Concurrent edits").
const V4_SHARED: &str = "ALTER TABLE records ADD COLUMN bases TEXT NOT NULL DEFAULT '{}';";

/// 5: a peer worker's number and usual hours, for their participants'
/// phones (protocol/README.md "Reaching help"). The program's on-call line is
/// one value in `server_meta`.
const V5_SHARED: &str = "ALTER TABLE users ADD COLUMN phone TEXT; ALTER TABLE users ADD COLUMN hours TEXT;";

/// 6: where each device can be woken (a push registration, as the device
/// sent it, JSON); gone with the device.
const V6_SHARED: &str = r"
CREATE TABLE push_registrations (
    device_id TEXT PRIMARY KEY REFERENCES devices (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    registration TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX push_registrations_by_user ON push_registrations (user_id);
";

/// 7: when each device was last seen, and a wipe asked for when it was
/// signed out (its token is kept only to answer `device_wiped`).
const V7_SHARED: &str = "ALTER TABLE devices ADD COLUMN last_seen_at BIGINT; ALTER TABLE devices ADD COLUMN wipe_at BIGINT;";

/// 8: accounts people control (protocol/README.md "Accounts"): one reset
/// code per person at most (its hash), and erasures. An erased participant
/// keeps a row with nothing about them (`erased_at`), so the audit's ids and
/// their wiped devices still have a referent; `erasures` is the minimal
/// record that the request was honored.
const V8_SHARED: &str = r"
ALTER TABLE users ADD COLUMN erased_at BIGINT;
CREATE TABLE reset_codes (
    user_id TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL UNIQUE,
    issued_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE TABLE erasures (
    participant_id TEXT PRIMARY KEY,
    asked_by TEXT NOT NULL,
    asked_by_role TEXT NOT NULL,
    at BIGINT NOT NULL,
    records_deleted BIGINT NOT NULL
);
";

/// 9: accounts closed when a peer worker or admin leaves the program
/// (protocol/README.md "Accounts"): the row stays, with its name, for the
/// records they wrote; nobody signs in as them.
const V9_SHARED: &str = "ALTER TABLE users ADD COLUMN closed_at BIGINT;";

const MIGRATIONS: &[Migration] = &[
    Migration { shared: "", sqlite: V1_SQLITE, postgres: V1_POSTGRES },
    Migration { shared: "", sqlite: V2_SQLITE, postgres: V2_POSTGRES },
    Migration { shared: V3_SHARED, sqlite: "", postgres: "" },
    Migration { shared: V4_SHARED, sqlite: "", postgres: "" },
    Migration { shared: V5_SHARED, sqlite: "", postgres: "" },
    Migration { shared: V6_SHARED, sqlite: "", postgres: "" },
    Migration { shared: V7_SHARED, sqlite: "", postgres: "" },
    Migration { shared: V8_SHARED, sqlite: "", postgres: "" },
    Migration { shared: V9_SHARED, sqlite: "", postgres: "" },
];

/// The schema version this server writes.
pub fn latest() -> i64 {
    i64::try_from(MIGRATIONS.len()).unwrap_or(i64::MAX)
}

/// Taken while migrating PostgreSQL, so instances starting together migrate once.
const MIGRATION_LOCK: i64 = 0x616c_6f6e_6773;

/// Brings the database up to date inside the caller's transaction.
pub async fn migrate(tx: &mut dyn Executor, now_ms: i64) -> StoreResult<()> {
    let dialect = tx.dialect();
    if dialect == Dialect::Postgres {
        tx.execute("SELECT pg_advisory_xact_lock($1)", &params![MIGRATION_LOCK]).await?;
    }
    tx.batch("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)").await?;
    let current = tx.query_one("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", &[]).await?.int(0)?;
    let supported = latest();
    if current > supported {
        return Err(StoreError::NewerSchema { found: current, supported });
    }
    for (version, migration) in (1_i64..).zip(MIGRATIONS).skip(usize::try_from(current).unwrap_or(0)) {
        for text in migration.text(dialect) {
            if !text.is_empty() {
                tx.batch(text).await?;
            }
        }
        tx.execute("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)", &params![version, now_ms]).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Database, RecordKey, Store};

    type TestResult = Result<(), Box<dyn std::error::Error + Send + Sync>>;

    /// Data in the shape versions 1 and 2 wrote: a participant with a record
    /// at seq 3 of the one global order, on a peer worker's caseload, with a
    /// withdrawal at seq 5, and the counter at 7.
    const OLD_DATA: &str = "
        INSERT INTO schema_migrations (version, applied_at) VALUES (1, 0), (2, 0);
        INSERT INTO users (id, username, role, display_name, password_hash, created_at) VALUES
            ('u1', 'rosa', 'participant', 'Rosa', 'x', 0), ('w1', 'will', 'peer_worker', 'Will', 'x', 0);
        INSERT INTO caseload (peer_worker_id, participant_id, assigned_at) VALUES ('w1', 'u1', 0);
        INSERT INTO records (collection, record_id, participant_id, fields, clocks, authors, first_author_id, seq)
            VALUES ('goals', 'r1', 'u1', '{\"title\":\"Walk\"}', '{}', '{}', 'u1', 3);
        INSERT INTO revocations (seq, peer_worker_id, participant_id, collections, at) VALUES (5, 'w1', 'u1', '[\"goals\"]', 0);
        UPDATE sync_counter SET seq = 7 WHERE id = 1;";

    /// A database made by versions 1 and 2 with [`OLD_DATA`]: its URL, and
    /// the folder it lives in (SQLite).
    async fn old_database(
        dialect: Dialect,
    ) -> Result<Option<(String, Option<tempfile::TempDir>)>, Box<dyn std::error::Error + Send + Sync>> {
        let create = "CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)";
        match dialect {
            Dialect::Sqlite => {
                let dir = tempfile::tempdir()?;
                let path = dir.path().join("old.db");
                let conn = rusqlite::Connection::open(&path)?;
                conn.execute_batch(&[create, V1_SQLITE, V2_SQLITE, OLD_DATA].join(";\n"))?;
                Ok(Some((format!("sqlite://{}", path.display()), Some(dir))))
            }
            Dialect::Postgres => {
                let Ok(base) = std::env::var("ALONGSIDE_TEST_POSTGRES_URL") else {
                    if std::env::var("ALONGSIDE_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") {
                        return Err("ALONGSIDE_REQUIRE_POSTGRES=1 but ALONGSIDE_TEST_POSTGRES_URL is unset".into());
                    }
                    return Ok(None);
                };
                let name = format!("alongside_migration_{}", uuid::Uuid::new_v4().simple());
                let (admin, connection) = tokio_postgres::connect(&base, tokio_postgres::NoTls).await?;
                let driver = tokio::spawn(connection);
                admin.batch_execute(&format!("CREATE DATABASE {name}")).await?;
                drop(admin);
                let _ = driver.await;
                let (prefix, _) = base.rsplit_once('/').ok_or("the URL has no database name")?;
                let url = format!("{prefix}/{name}");
                let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await?;
                let driver = tokio::spawn(connection);
                client.batch_execute(&[create, V1_POSTGRES, V2_POSTGRES, OLD_DATA].join(";\n")).await?;
                drop(client);
                let _ = driver.await;
                Ok(Some((url, None)))
            }
        }
    }

    /// A database made by versions 1 and 2, with records, a caseload and a
    /// withdrawal in the one global order, migrates with its data intact:
    /// every participant's sequence continues above every seq handed out
    /// before, the withdrawal is a purge in its participant's order, and the
    /// audit trail stays append-only.
    async fn migrates_a_version_2_database_with_data(dialect: Dialect) -> TestResult {
        let Some((url, _dir)) = old_database(dialect).await? else { return Ok(()) };
        let db = Database::open(&url).await?;
        assert!(db.user("u1").await?.is_some());
        assert_eq!(db.records(&[RecordKey::new("goals", "r1")]).await?.len(), 1);
        let (version, seq, purge) = db
            .read(|tx| {
                Box::pin(async move {
                    let version = tx.query_one("SELECT MAX(version) FROM schema_migrations", &[]).await?.int(0)?;
                    let seq = tx.query_one("SELECT seq FROM participant_seq WHERE participant_id = 'u1'", &[]).await?.int(0)?;
                    let purge = tx.query_one("SELECT seq, collections FROM purges WHERE participant_id = 'u1'", &[]).await?;
                    Ok((version, seq, (purge.int(0)?, purge.text(1)?)))
                })
            })
            .await?;
        assert_eq!(version, latest());
        assert_eq!(seq, 7, "Rosa's order continues above every seq handed out before");
        assert_eq!(purge, (5, "[\"goals\"]".to_owned()));
        let insert = "INSERT INTO audit (at, actor_id, actor_role, action, participant_id, collections, count) VALUES (0, 'u1', 'participant', 'push', 'u1', '[]', 1)";
        db.write(move |tx| Box::pin(async move { tx.execute(insert, &[]).await })).await?;
        let deleted = db.write(|tx| Box::pin(async move { tx.execute("DELETE FROM audit", &[]).await })).await;
        assert!(deleted.is_err(), "the audit trail is append-only");
        // Opening again changes nothing.
        drop(db);
        Database::open(&url).await?;
        Ok(())
    }

    #[tokio::test]
    async fn migrates_a_version_2_sqlite_database_with_data() -> TestResult {
        migrates_a_version_2_database_with_data(Dialect::Sqlite).await
    }

    #[tokio::test]
    async fn migrates_a_version_2_postgres_database_with_data() -> TestResult {
        migrates_a_version_2_database_with_data(Dialect::Postgres).await
    }

    /// A device that kept a cursor from before the upgrade (one position in
    /// the global order) goes on where it was: a peer worker gets what came
    /// after it of each participant they had, the withdrawal made before the
    /// upgrade as a purge, and a purge of everything of a participant who left
    /// their caseload before the upgrade; the participant gets their own
    /// records after it and no purge.
    #[tokio::test]
    async fn a_cursor_from_before_the_upgrade_goes_on_where_it_was() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        use crate::cursor::{Cursor, Position, Positions};
        use crate::policy::Actor;
        use crate::store::Role;

        let (rosa, ana, will) =
            ("6f1c2d3e-0000-4000-8000-00000000000a", "6f1c2d3e-0000-4000-8000-00000000000b", "6f1c2d3e-0000-4000-8000-00000000000c");
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("old.db");
        {
            let conn = rusqlite::Connection::open(&path)?;
            conn.execute_batch("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)")?;
            conn.execute_batch(V1_SQLITE)?;
            conn.execute_batch(V2_SQLITE)?;
            // Seq 1: Rosa's profile; 2: her goal; 3: her sharing record,
            // goals withdrawn, and at 4 the revocation; 5: Ana leaves Will's
            // caseload; 6: Rosa's check-in.
            let record = |collection: &str, id: &str, fields: &str, seq: i64| -> rusqlite::Result<usize> {
                conn.execute(
                    "INSERT INTO records (collection, record_id, participant_id, fields, clocks, authors, first_author_id, seq)
                     VALUES (?1, ?2, ?3, ?4, ?5, '{}', ?3, ?6)",
                    rusqlite::params![collection, id, rosa, fields, clocks(fields), seq],
                )
            };
            fn clocks(fields: &str) -> String {
                let names: Vec<String> = serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(fields)
                    .unwrap_or_default()
                    .keys()
                    .map(|name| format!("\"{name}\":\"0001700000000-0000-r\""))
                    .collect();
                format!("{{{}}}", names.join(","))
            }
            conn.execute_batch(&format!(
                "INSERT INTO schema_migrations (version, applied_at) VALUES (1, 0), (2, 0);
                 INSERT INTO users (id, username, role, display_name, password_hash, created_at) VALUES
                     ('{rosa}', 'rosa', 'participant', 'Rosa', 'x', 0), ('{ana}', 'ana', 'participant', 'Ana', 'x', 0),
                     ('{will}', 'will', 'peer_worker', 'Will', 'x', 0);
                 INSERT INTO caseload (peer_worker_id, participant_id, assigned_at) VALUES ('{will}', '{rosa}', 0);
                 INSERT INTO revocations (seq, peer_worker_id, participant_id, collections, at) VALUES
                     (4, '{will}', '{rosa}', '[\"goals\",\"goal_progress\"]', 0), (5, '{will}', '{ana}', '[\"goals\"]', 0);
                 UPDATE sync_counter SET seq = 6 WHERE id = 1;"
            ))?;
            record("profile", rosa, r#"{"display_name":"Rosa","timezone":"America/Chicago"}"#, 1)?;
            record("goals", "6f1c2d3e-0000-4000-8000-0000000000f1", r#"{"title":"Walk"}"#, 2)?;
            record("sharing", rosa, r#"{"goals":false}"#, 3)?;
            record("check_ins", "6f1c2d3e-0000-4000-8000-0000000000f2", r#"{"mood":4}"#, 6)?;
        }
        let db = Database::open(&format!("sqlite://{}", path.display())).await?;
        let today = chrono::Utc::now().date_naive();
        let legacy = Cursor { history: None, positions: Positions::Legacy(Position::at(1, 0)) };

        let will_actor = Actor { user_id: will.into(), role: Role::PeerWorker };
        let page = crate::sync::pull(&db, &will_actor, legacy.clone(), 100, today).await?;
        let sent: Vec<&str> = page.changes.iter().map(|c| c.collection.as_str()).collect();
        assert_eq!(sent, ["sharing"], "after seq 1, only what Will may see: the sharing record (goals withdrawn, check-ins never shared)");
        let mut purges: Vec<(String, bool)> =
            page.purge.iter().map(|p| (p.participant_id.clone(), p.collections.iter().any(|c| c == "profile"))).collect();
        purges.sort();
        assert_eq!(purges, [(rosa.to_owned(), false), (ana.to_owned(), true)], "Rosa's withdrawal, and everything of Ana");
        assert!(!page.has_more);
        let Positions::Streams(next) = &page.cursor.positions else { return Err("the next cursor is per participant".into()) };
        assert_eq!(next.keys().collect::<Vec<_>>(), [rosa], "Ana is forgotten once purged");

        let rosa_actor = Actor { user_id: rosa.into(), role: Role::Participant };
        let page = crate::sync::pull(&db, &rosa_actor, legacy, 100, today).await?;
        let sent: Vec<&str> = page.changes.iter().map(|c| c.collection.as_str()).collect();
        assert_eq!(sent, ["goals", "sharing", "check_ins"], "Rosa's own records after seq 1, in order");
        assert!(page.purge.is_empty(), "a participant is never told to purge their own records");
        Ok(())
    }
}
