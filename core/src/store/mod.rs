//! The encrypted local store: one SQLCipher database per device.
//!
//! Layout: `records` holds every record of every collection as JSON fields plus
//! the HLC that set each field (for per-field last-writer-wins); `outbox` holds
//! the changes not yet acknowledged by the server; `meta` holds the device id
//! and the clock floor. Every write is one transaction: record and outbox entry
//! together, or neither.

mod concurrent;
mod erase;
mod merge;
mod migrations;
mod outbox;
mod refused;
mod reminders;
mod restamp;
mod restore;
mod rows;
mod sync_state;
pub(crate) mod write;

pub use concurrent::{Conflict, Settle};
pub use merge::MergeReport;
pub use migrations::SCHEMA_VERSION;
pub use outbox::{OutboxEntry, OutboxState, RecordSync};
pub use sync_state::{OutboxBatch, PushOutcome, Session};

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use rusqlite::config::DbConfig;
use rusqlite::{Connection, ErrorCode, OptionalExtension};

use crate::error::{Error, Result};
use crate::hlc::{Hlc, HlcClock, wall_clock_ms};

/// A database key: 32 bytes from the platform keystore.
pub const KEY_LEN: usize = 32;

/// The device's store. Cheap to share behind an `Arc`; calls are serialized on
/// one connection.
#[derive(Debug)]
pub struct Store {
    inner: Mutex<Inner>,
    device_id: String,
    /// The last `today` computed, reused while nothing changed (see views::today).
    pub(crate) today: Mutex<Option<crate::views::today::CachedToday>>,
}

#[derive(Debug)]
struct Inner {
    conn: Connection,
    clock: HlcClock,
    /// Outbox entries waiting to be pushed, counted once and then kept up to
    /// date by each write, so `today` never scans the outbox.
    pending: Option<u64>,
    /// The signed-in user: the author of what this device writes.
    me: Option<String>,
    /// Counts committed changes to records, so views computed from them can
    /// be reused until the next one.
    generation: u64,
    /// The wall clock changes are stamped by: the system's, or a test's.
    wall: fn() -> u64,
}

impl Inner {
    /// The connection, and what changes written in a transaction on it are
    /// stamped with, borrowed apart.
    fn split(&mut self) -> (&mut Connection, write::Stamp<'_>) {
        (&mut self.conn, write::Stamp { clock: &mut self.clock, wall: self.wall, me: self.me.as_deref() })
    }

    /// After a commit that changed records and queued `queued` changes.
    fn committed(&mut self, queued: u64) {
        self.generation += 1;
        if let Some(pending) = self.pending.as_mut() {
            *pending += queued;
        }
    }
}

impl Store {
    /// Opens (or creates) the database at `path` with a 32-byte key, and brings
    /// its schema up to date.
    pub fn open(path: impl AsRef<Path>, key: &[u8]) -> Result<Store> {
        alongside_cipher::install();
        let mut conn = Connection::open(path)?;
        unlock(&conn, key)?;
        configure(&conn)?;
        migrations::migrate(&mut conn)?;
        let device_id = device_id(&conn)?;
        let floor = clock_floor(&conn)?;
        let mut clock = HlcClock::new(device_id.clone(), floor.as_ref());
        let me = sync_state::session(&conn)?.map(|session| session.user_id);
        merge::retry_held(&mut conn, &mut write::Stamp { clock: &mut clock, wall: wall_clock_ms, me: me.as_deref() })?;
        let inner = Inner { conn, clock, pending: None, me, generation: 0, wall: wall_clock_ms };
        let store = Store { inner: Mutex::new(inner), device_id, today: Mutex::default() };
        // Sharing that expired while the app was closed is gone before any screen reads.
        store.expire_shared()?;
        Ok(store)
    }

    /// Sets the wall clock (Unix milliseconds) this store stamps changes by:
    /// for tests and simulators of a phone whose clock is wrong.
    pub fn set_wall_clock(&self, wall: fn() -> u64) {
        self.lock().wall = wall;
    }

    /// This device's id: the node of every HLC it issues.
    pub fn device_id(&self) -> &str {
        &self.device_id
    }

    /// Re-encrypts the database under a new 32-byte key.
    pub fn rekey(&self, new_key: &[u8]) -> Result<()> {
        let key = key_literal(new_key)?;
        self.lock().conn.execute_batch(&format!("PRAGMA rekey = \"{key}\";"))?;
        Ok(())
    }

    /// Runs a read on the connection.
    pub(crate) fn with_conn<T>(&self, read: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        read(&self.lock().conn)
    }

    /// The number of record changes committed so far (by this `Store`).
    pub(crate) fn generation(&self) -> u64 {
        self.lock().generation
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock cannot leave SQLite half-written (each
        // write is a transaction), so a poisoned lock is still safe to use.
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn key_literal(key: &[u8]) -> Result<String> {
    if key.len() != KEY_LEN {
        return Err(Error::InvalidKey { len: key.len() });
    }
    // A raw key (x'…') skips SQLCipher's passphrase derivation: the key already
    // comes from the keystore, and opening stays fast.
    let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
    Ok(format!("x'{hex}'"))
}

pub(crate) fn unlock(conn: &Connection, key: &[u8]) -> Result<()> {
    let key = key_literal(key)?;
    // SQLCipher would print its own errors (a wrong key, say) to stderr, which
    // lands in app logs; the typed error says all a shell needs.
    conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
    // Closing a connection checkpoints the WAL into the file, even one that
    // never proved its key: after a crash that would rewrite the database on a
    // wrong-key attempt. No checkpoint on close until the key is known good.
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
    conn.execute_batch(&format!("PRAGMA key = \"{key}\";"))?;
    // The key is only checked when the first page is read.
    match conn.query_row("SELECT count(*) FROM sqlite_master", [], |row| row.get::<_, i64>(0)) {
        Ok(_) => {
            conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, false)?;
            Ok(())
        }
        Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == ErrorCode::NotADatabase => Err(Error::WrongKey),
        Err(e) => Err(e.into()),
    }
}

pub(crate) fn configure(conn: &Connection) -> Result<()> {
    // WAL: readers never block the writer, and a commit appends instead of
    // rewriting pages. synchronous = NORMAL: in WAL mode a commit survives the
    // app being killed (the common case on phones: OOM, swipe-away); only a
    // power cut or OS crash can lose the last commits, and never corrupts the
    // file. FULL would fsync every write, many milliseconds on cheap flash.
    // temp_store = MEMORY keeps sorts and temp tables off disk.
    // cache_size = 8 MiB: every page read from the file costs SQLCipher an AES
    // decryption and an HMAC check, so a cache that holds a typical person's
    // whole database (a few MiB for years of use) halves the cost of a write
    // against the 2 MiB default (see the store benchmark).
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = NORMAL;
         PRAGMA foreign_keys = ON;
         PRAGMA temp_store = MEMORY;
         PRAGMA cache_size = -8000;",
    )?;
    Ok(())
}

fn device_id(conn: &Connection) -> Result<String> {
    conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('device_id', ?1)", [uuid::Uuid::new_v4().to_string()])?;
    Ok(conn.query_row("SELECT value FROM meta WHERE key = 'device_id'", [], |row| row.get(0))?)
}

/// The highest HLC this device has issued or seen: the floor recorded at each
/// merge, or the newest change still in the outbox.
fn clock_floor(conn: &Connection) -> Result<Option<Hlc>> {
    let recorded: Option<String> = conn.query_row("SELECT value FROM meta WHERE key = 'hlc_floor'", [], |row| row.get(0)).optional()?;
    let outbox: Option<String> = conn.query_row("SELECT max(hlc) FROM outbox", [], |row| row.get(0))?;
    Ok(recorded.into_iter().chain(outbox).max().and_then(|text| text.parse().ok()))
}

#[cfg(test)]
pub(crate) mod tests;
