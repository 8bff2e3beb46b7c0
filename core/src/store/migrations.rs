//! Versioned schema migrations, run on open in one immediate transaction.
//! The version lives in `PRAGMA user_version`; a database from a newer app is
//! refused before anything is touched.

use rusqlite::{Connection, TransactionBehavior};

use crate::error::{Error, Result};

/// Migration `i` takes the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    // 1: records with per-field clocks, the outbox, device metadata.
    "CREATE TABLE meta (
         key TEXT PRIMARY KEY,
         value TEXT NOT NULL
     ) WITHOUT ROWID;
     CREATE TABLE records (
         collection TEXT NOT NULL,
         record_id TEXT NOT NULL,
         participant_id TEXT NOT NULL,
         fields TEXT NOT NULL,       -- JSON object: field -> value
         clocks TEXT NOT NULL,       -- JSON object: field -> HLC that set it
         status TEXT,                -- copy of the `status` field, for the views' index
         deleted INTEGER NOT NULL DEFAULT 0,
         PRIMARY KEY (collection, record_id)
     ) WITHOUT ROWID;
     CREATE INDEX records_by_participant ON records (participant_id, collection, status);
     CREATE TABLE outbox (
         seq INTEGER PRIMARY KEY,
         change_id TEXT NOT NULL,
         collection TEXT NOT NULL,
         record_id TEXT NOT NULL,
         participant_id TEXT NOT NULL,
         hlc TEXT NOT NULL,
         fields TEXT NOT NULL
     );",
    // 2: the outbox remembers what the server refused, and why, so the person
    // can see it; nothing is dropped.
    "ALTER TABLE outbox ADD COLUMN state TEXT NOT NULL DEFAULT 'pending';
     ALTER TABLE outbox ADD COLUMN error_code TEXT;
     ALTER TABLE outbox ADD COLUMN error_message TEXT;",
    // 3: who wrote each record (the author of its first change), so messages
    // know whose they are. Unknown for records written before this version
    // or before sign-in; signing in fills those in as this device's person.
    "ALTER TABLE records ADD COLUMN author_id TEXT;",
    // 4: pulled changes this version cannot read in full (a collection, field
    // or value a newer app or server knows), kept whole until an update of the
    // app can read them; their known fields are applied meanwhile. Whose and
    // which collection they are, so a purge removes them with the records.
    "CREATE TABLE held_changes (
         change_id TEXT PRIMARY KEY,
         participant_id TEXT NOT NULL,
         collection TEXT NOT NULL,
         change TEXT NOT NULL
     );
     CREATE INDEX held_changes_by_participant ON held_changes (participant_id, collection);",
    // 5: concurrent edits (protocol/README.md, "Concurrent edits"): the value
    // each outbox change's writer saw; the values a list went through in this
    // device's own edits not yet seen elsewhere (to merge against); and this
    // device's edits that lost to a concurrent one, kept for the person.
    "ALTER TABLE outbox ADD COLUMN base TEXT;
     CREATE TABLE list_bases (
         collection TEXT NOT NULL,
         record_id TEXT NOT NULL,
         field TEXT NOT NULL,
         hlc TEXT NOT NULL,          -- '' for no value
         participant_id TEXT NOT NULL,
         value TEXT NOT NULL,
         PRIMARY KEY (collection, record_id, field, hlc)
     ) WITHOUT ROWID;
     CREATE INDEX list_bases_by_participant ON list_bases (participant_id, collection);
     CREATE TABLE conflicts (
         id TEXT PRIMARY KEY,
         participant_id TEXT NOT NULL,
         collection TEXT NOT NULL,
         record_id TEXT NOT NULL,
         field TEXT NOT NULL,
         mine TEXT NOT NULL,
         theirs TEXT NOT NULL,
         their_author_id TEXT,
         their_hlc TEXT NOT NULL
     );
     CREATE INDEX conflicts_by_participant ON conflicts (participant_id, collection);",
    // 6: a server restored from a backup (protocol/README.md, "Restored
    // servers"): this device's own field values the server may have lost,
    // until a pull shows it has them or they are pushed again; the records
    // the server has sent since it said it was restored; and, for each change
    // the server refused, the pull cursor of then (refused before the device
    // heard of a restore, it goes again).
    "ALTER TABLE outbox ADD COLUMN refused_after TEXT;
     CREATE TABLE restore_fields (
         collection TEXT NOT NULL,
         record_id TEXT NOT NULL,
         field TEXT NOT NULL,
         hlc TEXT NOT NULL,          -- this device's, when the restore was heard of
         PRIMARY KEY (collection, record_id, field)
     ) WITHOUT ROWID;
     CREATE TABLE restore_seen (
         collection TEXT NOT NULL,
         record_id TEXT NOT NULL,
         PRIMARY KEY (collection, record_id)
     ) WITHOUT ROWID;",
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

pub(super) fn migrate(conn: &mut Connection) -> Result<()> {
    migrate_to(conn, SCHEMA_VERSION)
}

/// Brings the schema to `target` (tests stop early to build old databases).
pub(super) fn migrate_to(conn: &mut Connection, target: u32) -> Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let found: u32 = tx.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(Error::NewerSchema { found, supported: SCHEMA_VERSION });
    }
    for (version, sql) in MIGRATIONS.iter().enumerate().take(target as usize).skip(found as usize) {
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", version as u32 + 1)?;
    }
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;

    use super::*;
    use crate::model::Goal;
    use crate::store::tests::{KEY, PARTICIPANT, goal};
    use crate::store::{OutboxState, Store, configure, unlock};

    fn raw(path: &std::path::Path) -> Result<Connection> {
        let conn = Connection::open(path)?;
        unlock(&conn, &KEY)?;
        configure(&conn)?;
        Ok(conn)
    }

    fn user_version(conn: &Connection) -> Result<u32> {
        Ok(conn.query_row("PRAGMA user_version", [], |row| row.get(0))?)
    }

    #[test]
    fn version_1_with_data_upgrades_keeping_records_and_outbox() -> Result<()> {
        let dir = tempfile::tempdir().map_err(|e| Error::Storage(e.to_string()))?;
        let path = dir.path().join("old.db");
        let goal_id = "0f5e1c2a-3b4d-4e5f-8a7b-9c0d1e2f3a4b";
        {
            // A database as version 1 of the app left it.
            let mut conn = raw(&path)?;
            migrate_to(&mut conn, 1)?;
            assert_eq!(user_version(&conn)?, 1);
            let fields = r#"{"title":"Walk the kids to school","area":"parenting","status":"active"}"#;
            let hlc = "1763880000000-0000-old-device";
            let clocks = format!(r#"{{"title":"{hlc}","area":"{hlc}","status":"{hlc}"}}"#);
            conn.execute(
                "INSERT INTO records (collection, record_id, participant_id, fields, clocks, status) VALUES ('goals', ?1, ?2, ?3, ?4, 'active')",
                rusqlite::params![goal_id, PARTICIPANT, fields, clocks],
            )?;
            conn.execute(
                "INSERT INTO outbox (change_id, collection, record_id, participant_id, hlc, fields)
                 VALUES ('5d6e7f80-9a1b-4c2d-8e3f-4a5b6c7d8e9f', 'goals', ?1, ?2, ?3, ?4)",
                rusqlite::params![goal_id, PARTICIPANT, hlc, fields],
            )?;
        }
        let store = Store::open(&path, &KEY)?;
        assert_eq!(store.get::<Goal>(goal_id)?.title, "Walk the kids to school");
        let pending = store.outbox()?;
        assert_eq!(pending.len(), 1);
        assert_eq!((pending[0].state, pending[0].change.record_id.as_str()), (OutboxState::Pending, goal_id));
        // The clock resumes past the old device's last change.
        let next = store.create(&goal("Call the school about the reading plan"))?;
        let hlcs: Vec<String> = store.pending_changes(10)?.into_iter().filter(|c| c.record_id == next.id).map(|c| c.hlc).collect();
        assert!(hlcs.iter().all(|hlc| hlc.as_str() > "1763880000000-0000-old-device"), "{hlcs:?}");
        drop(store);
        assert_eq!(user_version(&raw(&path)?)?, SCHEMA_VERSION);
        Ok(())
    }

    #[test]
    fn version_2_with_data_upgrades_and_sign_in_names_the_author() -> Result<()> {
        let dir = tempfile::tempdir().map_err(|e| Error::Storage(e.to_string()))?;
        let path = dir.path().join("v2.db");
        let message_id = "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
        {
            let mut conn = raw(&path)?;
            migrate_to(&mut conn, 2)?;
            let fields = r#"{"body":"Running late, there in ten","sent_at":"2026-11-20T16:05:00Z"}"#;
            let hlc = "1763654700000-0000-v2-device";
            let clocks = format!(r#"{{"body":"{hlc}","sent_at":"{hlc}"}}"#);
            conn.execute(
                "INSERT INTO records (collection, record_id, participant_id, fields, clocks) VALUES ('messages', ?1, ?2, ?3, ?4)",
                rusqlite::params![message_id, PARTICIPANT, fields, clocks],
            )?;
        }
        let store = Store::open(&path, &KEY)?;
        assert_eq!(store.get::<crate::model::Message>(message_id)?.body, "Running late, there in ten");
        // Written on this device before anyone signed in: this device's person's.
        assert!(store.is_mine::<crate::model::Message>(message_id)?);
        store.set_session(Some(&crate::store::Session {
            token: "t".into(),
            device_id: "d".into(),
            user_id: PARTICIPANT.into(),
            role: "participant".into(),
            display_name: "Jess".into(),
        }))?;
        let author: Option<String> =
            raw(&path)?.query_row("SELECT author_id FROM records WHERE record_id = ?1", [message_id], |row| row.get(0))?;
        assert_eq!(author.as_deref(), Some(PARTICIPANT));
        assert_eq!(user_version(&raw(&path)?)?, SCHEMA_VERSION);
        Ok(())
    }

    #[test]
    fn a_database_from_a_newer_app_is_refused_and_left_as_it_was() -> Result<()> {
        let dir = tempfile::tempdir().map_err(|e| Error::Storage(e.to_string()))?;
        let path = dir.path().join("newer.db");
        let id = Store::open(&path, &KEY)?.create(&goal("Finish the GED"))?.id;
        raw(&path)?.pragma_update(None, "user_version", SCHEMA_VERSION + 1)?;
        match Store::open(&path, &KEY) {
            Err(Error::NewerSchema { found, supported }) => assert_eq!((found, supported), (SCHEMA_VERSION + 1, SCHEMA_VERSION)),
            other => panic!("expected NewerSchema, got {other:?}"),
        }
        let conn = raw(&path)?;
        assert_eq!(user_version(&conn)?, SCHEMA_VERSION + 1);
        let title: String =
            conn.query_row("SELECT json_extract(fields, '$.title') FROM records WHERE record_id = ?1", [&id], |row| row.get(0))?;
        assert_eq!(title, "Finish the GED");
        Ok(())
    }

    #[test]
    fn opening_twice_runs_no_migration_again() -> Result<()> {
        let dir = tempfile::tempdir().map_err(|e| Error::Storage(e.to_string()))?;
        let path = dir.path().join("again.db");
        drop(Store::open(&path, &KEY)?);
        let store = Store::open(&path, &KEY)?;
        store.create(&goal("Keep going"))?;
        assert_eq!(store.list::<Goal>(PARTICIPANT)?.len(), 1);
        Ok(())
    }
}
