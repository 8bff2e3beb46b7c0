//! The SQLite engine: one file, WAL, one writer connection and a few reader
//! connections. A transaction runs on a blocking thread so the async executor
//! never waits on disk; its body's statements complete at once there. The
//! SQLite engine is the workspace's (bundled SQLCipher), used here without a
//! key: the server's file is protected by the host.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use rusqlite::types::{Value as SqlValue, ValueRef};
use rusqlite::{Connection, ErrorCode, params_from_iter};

use super::sql::{BoxFuture, Cell, Dialect, Executor, Param, Row, Work};
use super::{PoolUse, StoreError, StoreResult};

/// Readers let pulls and token checks go on while a push writes (WAL).
const READERS: usize = 4;

#[derive(Debug, Clone)]
pub struct SqliteEngine {
    inner: Arc<Inner>,
}

struct Inner {
    writer: Mutex<Connection>,
    readers: Vec<Mutex<Connection>>,
    next_reader: AtomicUsize,
}

impl std::fmt::Debug for Inner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteEngine").field("readers", &self.readers.len()).finish_non_exhaustive()
    }
}

fn connect(path: &str) -> StoreResult<Connection> {
    alongside_cipher::install();
    let conn = Connection::open(path)?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    // Batches of different sizes are different statements; keep them all prepared.
    conn.set_prepared_statement_cache_capacity(256);
    // secure_delete: what an erasure deletes is overwritten, not left in free pages.
    conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA secure_delete = ON;")?;
    Ok(conn)
}

impl SqliteEngine {
    /// Opens (creating if needed) the database file at `path`.
    pub async fn open(path: &str) -> StoreResult<SqliteEngine> {
        let path = path.to_owned();
        tokio::task::spawn_blocking(move || {
            let writer = connect(&path)?;
            let mode: String = writer.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
            if !mode.eq_ignore_ascii_case("wal") {
                tracing::warn!(mode = %mode, "sqlite did not switch to WAL");
            }
            let readers = (0..READERS).map(|_| connect(&path).map(Mutex::new)).collect::<StoreResult<Vec<_>>>()?;
            Ok(SqliteEngine { inner: Arc::new(Inner { writer: Mutex::new(writer), readers, next_reader: AtomicUsize::new(0) }) })
        })
        .await
        .map_err(|e| StoreError::Task(e.to_string()))?
    }

    /// The writer and the readers, and how many are taken now.
    pub fn pool_use(&self) -> PoolUse {
        let taken = |conn: &Mutex<Connection>| usize::from(matches!(conn.try_lock(), Err(std::sync::TryLockError::WouldBlock)));
        let open = 1 + self.inner.readers.len();
        let in_use = taken(&self.inner.writer) + self.inner.readers.iter().map(taken).sum::<usize>();
        PoolUse { open, in_use, max: open, waiting: 0 }
    }

    /// Runs `work` in a write transaction: `BEGIN IMMEDIATE` takes the write
    /// lock first, so what the body reads cannot go stale before it commits.
    /// Without `transaction`, each statement commits on its own (for work of
    /// one statement, which needs no more).
    pub async fn write<R: Send + 'static>(&self, transaction: bool, work: impl Work<R>) -> StoreResult<R> {
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || {
            let mut conn = inner.writer.lock().map_err(|_| StoreError::Task("the sqlite writer failed earlier".into()))?;
            run(&mut conn, transaction.then_some("BEGIN IMMEDIATE"), work)
        })
        .await
        .map_err(|e| StoreError::Task(e.to_string()))?
    }

    /// Runs `work` on a reader; in a transaction, it reads one snapshot of
    /// the database from its first statement to its last (WAL).
    pub async fn read<R: Send + 'static>(&self, transaction: bool, work: impl Work<R>) -> StoreResult<R> {
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || {
            let index = inner.next_reader.fetch_add(1, Ordering::Relaxed) % inner.readers.len().max(1);
            let reader = inner.readers.get(index).ok_or_else(|| StoreError::Task("no sqlite reader".into()))?;
            let mut conn = reader.lock().map_err(|_| StoreError::Task("a sqlite reader failed earlier".into()))?;
            run(&mut conn, transaction.then_some("BEGIN DEFERRED"), work)
        })
        .await
        .map_err(|e| StoreError::Task(e.to_string()))?
    }
}

fn run<R>(conn: &mut Connection, begin: Option<&str>, work: impl Work<R>) -> StoreResult<R> {
    let Some(begin) = begin else {
        return futures_executor::block_on(work(&mut SqliteExecutor { conn: &mut *conn }));
    };
    conn.prepare_cached(begin)?.execute([])?;
    // Every statement of the body completes when called, so this never waits.
    let outcome = futures_executor::block_on(work(&mut SqliteExecutor { conn: &mut *conn }));
    match outcome {
        Ok(value) => {
            conn.prepare_cached("COMMIT")?.execute([])?;
            Ok(value)
        }
        Err(error) => {
            if let Err(rollback) = conn.execute_batch("ROLLBACK") {
                tracing::warn!(error = %rollback, "sqlite rollback failed");
            }
            Err(error)
        }
    }
}

struct SqliteExecutor<'c> {
    conn: &'c mut Connection,
}

/// `$1` → `?1`: queries are written once in PostgreSQL's style.
fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('?');
        } else {
            out.push(c);
        }
    }
    out
}

fn values(params: &[Param]) -> impl Iterator<Item = SqlValue> + '_ {
    params.iter().map(|param| match param {
        Param::Int(value) => SqlValue::Integer(*value),
        Param::Text(value) => SqlValue::Text(value.clone()),
        Param::Null => SqlValue::Null,
    })
}

fn cell(value: ValueRef<'_>) -> StoreResult<Cell> {
    match value {
        ValueRef::Null => Ok(Cell::Null),
        ValueRef::Integer(value) => Ok(Cell::Int(value)),
        ValueRef::Text(bytes) => Ok(Cell::Text(String::from_utf8(bytes.to_vec()).map_err(|e| StoreError::Corrupt(e.to_string()))?)),
        ValueRef::Real(_) | ValueRef::Blob(_) => Err(StoreError::Corrupt("a column holds neither integer nor text".into())),
    }
}

impl SqliteExecutor<'_> {
    fn execute_now(&mut self, sql: &str, params: &[Param]) -> StoreResult<u64> {
        let mut statement = self.conn.prepare_cached(&numbered(sql))?;
        let changed = statement.execute(params_from_iter(values(params))).map_err(constraint)?;
        Ok(u64::try_from(changed).unwrap_or(u64::MAX))
    }

    fn query_now(&mut self, sql: &str, params: &[Param]) -> StoreResult<Vec<Row>> {
        let mut statement = self.conn.prepare_cached(&numbered(sql))?;
        let width = statement.column_count();
        // A statement with RETURNING, or one of a batch, may write: a broken
        // unique key is the same typed conflict as from `execute`.
        let mut rows = statement.query(params_from_iter(values(params))).map_err(constraint)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(constraint)? {
            out.push(Row((0..width).map(|i| cell(row.get_ref(i)?)).collect::<StoreResult<Vec<Cell>>>()?));
        }
        Ok(out)
    }
}

/// A broken uniqueness constraint is a typed conflict; other errors stay themselves.
fn constraint(error: rusqlite::Error) -> StoreError {
    match &error {
        rusqlite::Error::SqliteFailure(e, _)
            if e.code == ErrorCode::ConstraintViolation
                && matches!(e.extended_code, rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE | rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY) =>
        {
            StoreError::Unique
        }
        _ => StoreError::Sqlite(error),
    }
}

impl Executor for SqliteExecutor<'_> {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn execute<'a>(&'a mut self, sql: &'a str, params: &'a [Param]) -> BoxFuture<'a, StoreResult<u64>> {
        let result = self.execute_now(sql, params);
        Box::pin(std::future::ready(result))
    }

    fn query<'a>(&'a mut self, sql: &'a str, params: &'a [Param]) -> BoxFuture<'a, StoreResult<Vec<Row>>> {
        let result = self.query_now(sql, params);
        Box::pin(std::future::ready(result))
    }

    fn batch<'a>(&'a mut self, sql: &'a str) -> BoxFuture<'a, StoreResult<()>> {
        let result = self.conn.execute_batch(sql).map_err(StoreError::from);
        Box::pin(std::future::ready(result))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_become_numbered_parameters() {
        assert_eq!(numbered("SELECT a FROM t WHERE b = $1 AND c IN ($2, $10)"), "SELECT a FROM t WHERE b = ?1 AND c IN (?2, ?10)");
        assert_eq!(numbered("SELECT '$' || x"), "SELECT '$' || x");
    }
}
