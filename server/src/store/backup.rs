//! `alongside-server backup`: an online copy of a SQLite server's database,
//! taken through SQLite's backup API while the server serves. The copy is
//! read in one step, so it is one snapshot (WAL: the server's writer goes on
//! meanwhile); it is checked, and it is given a history of its own
//! (protocol/README.md "Restored servers"), so that the devices of a server
//! restored from it know to pull everything again and push what it lacks.
//!
//! The copy is written beside its destination under a temporary name and
//! linked into place only once it is whole and checked: a crash leaves no
//! half-written file under the name an operator would restore from, and an
//! existing file is never overwritten.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags, params};
use uuid::Uuid;

use super::HISTORY_KEY;

/// How often a busy source is tried before the backup gives up.
const BUSY_TRIES: u32 = 200;
const BUSY_PAUSE: Duration = Duration::from_millis(50);

/// A finished backup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupCopy {
    pub path: PathBuf,
    /// The history the copy starts when it is restored.
    pub history: Uuid,
}

/// Why a backup was not made.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(
        "backup copies a SQLite database (sqlite://PATH); for PostgreSQL use pg_dump -Fc, and after pg_restore run \
         `alongside-server restored` (server/README.md, \"Backup and restore\")"
    )]
    NotSqlite,
    #[error("{} exists; a backup never overwrites a file", .0.display())]
    Exists(PathBuf),
    #[error("{} is not an Alongside server database", .0.display())]
    NotAServerDatabase(PathBuf),
    #[error("the database stayed busy; try again")]
    Busy,
    #[error("the copy failed its integrity check: {0}")]
    Damaged(String),
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("backup task failed: {0}")]
    Task(String),
}

/// Backs up the database at `database_url` (`sqlite://PATH`) to the new file
/// `to`, while a server may be serving it.
pub async fn backup(database_url: &str, to: &Path) -> Result<BackupCopy, BackupError> {
    let source = database_url.strip_prefix("sqlite://").ok_or(BackupError::NotSqlite)?.to_owned();
    let to = to.to_owned();
    tokio::task::spawn_blocking(move || backup_file(Path::new(&source), &to)).await.map_err(|e| BackupError::Task(e.to_string()))?
}

/// Copies the SQLite database `source` to the new file `to`.
pub fn backup_file(source: &Path, to: &Path) -> Result<BackupCopy, BackupError> {
    if to.exists() {
        return Err(BackupError::Exists(to.to_owned()));
    }
    alongside_cipher::install();
    let from = Connection::open_with_flags(source, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    from.busy_timeout(Duration::from_secs(10))?;
    let is_server: bool =
        from.query_row("SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'server_meta')", [], |row| row.get(0))?;
    if !is_server {
        return Err(BackupError::NotAServerDatabase(source.to_owned()));
    }
    let partial = Partial::beside(to);
    let history = Uuid::new_v4();
    {
        let mut copy = Connection::open(&partial.0)?;
        copy_all(&from, &mut copy)?;
        // A file of its own: no WAL beside it to lose when it is moved.
        copy.query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))?;
        copy.execute(
            "INSERT INTO server_meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![HISTORY_KEY, history.to_string()],
        )?;
        check(&copy)?;
    }
    partial.keep_as(to)?;
    Ok(BackupCopy { path: to.to_owned(), history })
}

/// Copies every page in one step: one read transaction, one snapshot.
fn copy_all(from: &Connection, copy: &mut Connection) -> Result<(), BackupError> {
    let backup = Backup::new(from, copy)?;
    for _ in 0..BUSY_TRIES {
        match backup.step(-1)? {
            StepResult::Done => return Ok(()),
            // Another step goes on from where this one was (only when the
            // source cannot be read at once, which WAL makes rare).
            _ => std::thread::sleep(BUSY_PAUSE),
        }
    }
    Err(BackupError::Busy)
}

/// Runs `PRAGMA integrity_check` on the copy.
fn check(copy: &Connection) -> Result<(), BackupError> {
    let mut statement = copy.prepare("PRAGMA integrity_check")?;
    let findings: Vec<String> = statement.query_map([], |row| row.get(0))?.collect::<rusqlite::Result<_>>()?;
    if findings == ["ok"] { Ok(()) } else { Err(BackupError::Damaged(findings.into_iter().take(5).collect::<Vec<_>>().join("; "))) }
}

/// A copy being written under a temporary name; removed unless kept.
struct Partial(PathBuf);

impl Partial {
    fn beside(to: &Path) -> Partial {
        let name = to.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        Partial(to.with_file_name(format!(".{name}.partial-{}", Uuid::new_v4().simple())))
    }

    /// Gives the copy its name; refuses (and removes the copy) if a file of
    /// that name appeared meanwhile.
    fn keep_as(self, to: &Path) -> Result<(), BackupError> {
        match std::fs::hard_link(&self.0, to) {
            Ok(()) => Ok(()),
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => Err(BackupError::Exists(to.to_owned())),
            // A file system without hard links: check, then rename.
            Err(_) if to.exists() => Err(BackupError::Exists(to.to_owned())),
            Err(_) => {
                std::fs::rename(&self.0, to)?;
                Ok(())
            }
        }
    }
}

impl Drop for Partial {
    fn drop(&mut self) {
        for suffix in ["", "-journal", "-wal", "-shm"] {
            let mut path = self.0.clone().into_os_string();
            path.push(suffix);
            let _ = std::fs::remove_file(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Database, Store, User};

    type TestResult = Result<(), Box<dyn std::error::Error + Send + Sync>>;

    #[tokio::test]
    async fn a_copy_is_whole_checked_and_of_a_new_history() -> TestResult {
        let dir = tempfile::tempdir()?;
        let url = format!("sqlite://{}", dir.path().join("server.db").display());
        let db = Database::open(&url).await?;
        let user = User {
            id: Uuid::new_v4().to_string(),
            username: "rosa".into(),
            role: crate::store::Role::Participant,
            display_name: "Rosa".into(),
        };
        db.create_user(&user, "x", 0).await?;
        let to = dir.path().join("backup.db");
        let copy = backup(&url, &to).await?;
        assert_ne!(copy.history, db.history());
        let restored = Database::open(&format!("sqlite://{}", to.display())).await?;
        assert_eq!(restored.history(), copy.history, "the copy starts the history the backup gave it");
        assert_eq!(restored.cursor_secret(), db.cursor_secret(), "cursors from before still verify");
        assert!(restored.user(&user.id).await?.is_some());
        let leftovers: Vec<String> = std::fs::read_dir(dir.path())?
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("partial"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
        Ok(())
    }

    #[tokio::test]
    async fn refuses_to_overwrite_and_refuses_postgres() -> TestResult {
        let dir = tempfile::tempdir()?;
        let url = format!("sqlite://{}", dir.path().join("server.db").display());
        Database::open(&url).await?;
        let to = dir.path().join("taken.db");
        std::fs::write(&to, b"precious")?;
        assert!(matches!(backup(&url, &to).await, Err(BackupError::Exists(_))));
        assert_eq!(std::fs::read(&to)?, b"precious");
        let error = backup("postgres://alongside@127.0.0.1/alongside", &dir.path().join("pg.db")).await;
        assert!(matches!(&error, Err(BackupError::NotSqlite)));
        assert!(error.err().is_some_and(|e| e.to_string().contains("pg_dump")));
        Ok(())
    }

    #[tokio::test]
    async fn refuses_a_file_that_is_not_a_server_database() -> TestResult {
        let dir = tempfile::tempdir()?;
        let other = dir.path().join("other.db");
        Connection::open(&other)?.execute_batch("CREATE TABLE t (x INTEGER)")?;
        let result = backup(&format!("sqlite://{}", other.display()), &dir.path().join("copy.db")).await;
        assert!(matches!(result, Err(BackupError::NotAServerDatabase(_))));
        assert!(!dir.path().join("copy.db").exists());
        Ok(())
    }
}
