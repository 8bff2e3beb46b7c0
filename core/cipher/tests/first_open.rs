//! Many keyed connections opened at once as the first thing a process does
//! (tests on parallel threads, an app and its background work): every one
//! of them opens. SQLite used to run SQLCipher's initialization after
//! marking itself initialized, so a connection on another thread could find
//! SQLCipher not ready and fail its `PRAGMA key`. This file holds one test,
//! so nothing else opened SQLite before it.

use std::sync::{Arc, Barrier};

#[test]
fn keyed_connections_opened_together_at_process_start_all_open() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let threads = 32;
    let start = Arc::new(Barrier::new(threads));
    let handles: Vec<_> = (0..threads)
        .map(|i| {
            let (start, path) = (Arc::clone(&start), dir.path().join(format!("{i}.db")));
            std::thread::spawn(move || -> Result<i64, String> {
                start.wait();
                alongside_cipher::install();
                let conn = rusqlite::Connection::open(&path).map_err(|e| e.to_string())?;
                conn.execute_batch(&format!("PRAGMA key = \"x'{}'\";", "5a".repeat(32))).map_err(|e| e.to_string())?;
                conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);").map_err(|e| e.to_string())?;
                conn.query_row("SELECT count(*) FROM t", [], |row| row.get(0)).map_err(|e| e.to_string())
            })
        })
        .collect();
    for handle in handles {
        let counted = handle.join().map_err(|_| "a thread panicked")??;
        assert_eq!(counted, 1);
    }
    Ok(())
}
