//! `alongside-server backup` of a SQLite server that is busy: copies taken
//! while pushes commit are whole (`PRAGMA integrity_check`), consistent (each
//! one snapshot: every record's seq within its participant's sequence, one
//! applied change id per record), of a new history, and a server serves
//! them; the command refuses to overwrite a file, and points PostgreSQL to
//! pg_dump.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use alongside_harness::wire::{goal, hlc};
use alongside_harness::{Backend, Server, TestResult, fail};
use alongside_server::store::Role;
use alongside_server::store::backup::backup;
use rusqlite::Connection;

const WRITERS: usize = 4;
const BACKUPS: usize = 4;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn backups_of_a_busy_server_are_whole_and_consistent() -> TestResult {
    let server = Arc::new(Server::start(Backend::Sqlite).await?);
    let mut writers = Vec::new();
    let stop = Arc::new(AtomicBool::new(false));
    for n in 0..WRITERS {
        let name = format!("writer{n}");
        let id = server.add_user(&name, Role::Participant).await?;
        let token = server.token(&name).await?;
        let (server, stop) = (Arc::clone(&server), Arc::clone(&stop));
        writers.push(tokio::spawn(async move {
            let mut pushed = 0_usize;
            while !stop.load(Ordering::Relaxed) {
                let batch: Vec<_> = (0..20).map(|i| goal(&id, &hlc(-1000, i, "w"), "Walk")).collect();
                let statuses = server.push_ok(&token, &batch).await?;
                if statuses.iter().any(|s| s != "applied") {
                    return Err(fail(format!("push: {statuses:?}")));
                }
                pushed += batch.len();
            }
            Ok::<usize, alongside_harness::BoxError>(pushed)
        }));
    }
    let dir = tempfile::tempdir()?;
    let mut copies = Vec::new();
    for n in 0..BACKUPS {
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
        copies.push(backup(&server.database_url, &dir.path().join(format!("copy{n}.db"))).await?);
    }
    stop.store(true, Ordering::Relaxed);
    let mut pushed = 0;
    for writer in writers {
        pushed += writer.await??;
    }
    assert!(pushed > 0);

    let mut counts = Vec::new();
    for copy in &copies {
        assert_ne!(copy.history, server.db.history());
        let conn = Connection::open(&copy.path)?;
        let check: String = conn.query_row("PRAGMA integrity_check", [], |row| row.get(0))?;
        assert_eq!(check, "ok", "{}", copy.path.display());
        let (records, applied): (i64, i64) =
            conn.query_row("SELECT (SELECT count(*) FROM records), (SELECT count(*) FROM applied_changes)", [], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })?;
        assert_eq!(records, applied, "one snapshot: each record came with its change id");
        let behind: i64 = conn.query_row(
            "SELECT count(*) FROM records r JOIN participant_seq s ON s.participant_id = r.participant_id WHERE r.seq > s.seq",
            [],
            |row| row.get(0),
        )?;
        assert_eq!(behind, 0, "one snapshot: no record past its participant's sequence");
        let journal: String = conn.query_row("PRAGMA journal_mode", [], |row| row.get(0))?;
        assert_eq!(journal, "delete", "a copy is one file");
        counts.push(records);
    }
    assert!(counts.windows(2).all(|w| w[0] <= w[1]), "later copies hold more: {counts:?}");

    // A server serves a copy: the writers' goals up to the copy are there.
    let last = copies.last().ok_or_else(|| fail("no copy"))?;
    let restored = alongside_server::store::Database::open(&format!("sqlite://{}", last.path.display())).await?;
    assert_eq!(restored.history(), last.history);
    let server = Arc::try_unwrap(server).map_err(|_| fail("the server is still shared"))?;
    server.stop().await
}

/// Runs the built binary; returns (success, stdout, stderr).
fn cli(args: &[&str]) -> TestResult<(bool, String, String)> {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_alongside-server")).args(args).output()?;
    Ok((output.status.success(), String::from_utf8(output.stdout)?, String::from_utf8(output.stderr)?))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_backs_up_refuses_to_overwrite_and_points_postgres_to_pg_dump() -> TestResult {
    let server = Server::start(Backend::Sqlite).await?;
    let dir = tempfile::tempdir()?;
    let to = dir.path().join("nightly.db");
    let to_text = to.display().to_string();
    let (ok, out, err) = cli(&["backup", "--database", &server.database_url, "--to", &to_text])?;
    assert!(ok, "{err}");
    assert!(out.contains("backed up to"), "{out}");
    let size = std::fs::metadata(&to)?.len();
    assert!(size > 0);

    let (ok, _, err) = cli(&["backup", "--database", &server.database_url, "--to", &to_text])?;
    assert!(!ok && err.contains("exists"), "{err}");
    assert_eq!(std::fs::metadata(&to)?.len(), size, "the file is untouched");

    let (ok, _, err) =
        cli(&["backup", "--database", "postgres://alongside@127.0.0.1:1/alongside", "--to", &dir.path().join("pg").display().to_string()])?;
    assert!(!ok && err.contains("pg_dump"), "{err}");

    // `restored` gives a database a new history.
    let copy_url = format!("sqlite://{to_text}");
    let before = alongside_server::store::Database::open(&copy_url).await?.history();
    let (ok, out, err) = cli(&["restored", "--database", &copy_url])?;
    assert!(ok, "{err}");
    let after = alongside_server::store::Database::open(&copy_url).await?.history();
    assert_ne!(before, after);
    assert!(out.contains(&after.to_string()), "{out}");
    server.stop().await
}
