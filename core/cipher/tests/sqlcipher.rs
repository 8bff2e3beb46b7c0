//! SQLCipher, built as the workspace builds it, running on this crate's
//! provider: real encrypted files on disk.

use rusqlite::Connection;
use std::error::Error;
use std::path::Path;

type TestResult = Result<(), Box<dyn Error>>;

const KEY: &str = "x'000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f'";
const OTHER_KEY: &str = "x'ff0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f'";
const SECRET: &str = "walked past the old corner and kept going";

fn open(path: &Path, key: &str) -> rusqlite::Result<Connection> {
    alongside_cipher::install();
    let conn = Connection::open(path)?;
    conn.execute_batch(&format!("PRAGMA cipher_log_level = NONE; PRAGMA key = \"{key}\";"))?;
    Ok(conn)
}

fn pragma(conn: &Connection, name: &str) -> rusqlite::Result<String> {
    conn.query_row(&format!("PRAGMA {name}"), [], |row| row.get(0))
}

#[test]
fn sqlcipher_runs_on_this_provider() -> TestResult {
    let dir = tempfile::tempdir()?;
    let conn = open(&dir.path().join("a.db"), KEY)?;
    assert_eq!(pragma(&conn, "cipher_provider")?, alongside_cipher::PROVIDER_NAME);
    assert_eq!(pragma(&conn, "cipher")?, "aes-256-cbc");
    Ok(())
}

/// The provider fills SQLCipher's table of function pointers by its C layout,
/// which is SQLCipher 4.10's. A newer bundled SQLCipher must have the layout
/// checked against `struct sqlcipher_provider` before this is moved on.
#[test]
fn sqlcipher_is_the_version_this_table_was_written_for() -> TestResult {
    let dir = tempfile::tempdir()?;
    let conn = open(&dir.path().join("a.db"), KEY)?;
    let version = pragma(&conn, "cipher_version")?;
    assert!(version.starts_with("4.10."), "bundled SQLCipher is {version}: check provider.rs against its sqlcipher_provider");
    Ok(())
}

#[test]
fn what_is_written_is_encrypted_and_reads_back_only_with_its_key() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("a.db");
    {
        let conn = open(&path, KEY)?;
        conn.execute_batch("CREATE TABLE notes (body TEXT); PRAGMA journal_mode = WAL;")?;
        for _ in 0..200 {
            conn.execute("INSERT INTO notes (body) VALUES (?1)", [SECRET])?;
        }
        let on_disk = std::fs::read(&path)?;
        let wal = std::fs::read(dir.path().join("a.db-wal")).unwrap_or_default();
        for bytes in [&on_disk, &wal] {
            assert!(!bytes.windows(SECRET.len()).any(|w| w == SECRET.as_bytes()), "plaintext reached the disk");
        }
        assert!(!on_disk.starts_with(b"SQLite format 3"), "the header is not encrypted");
    }

    let conn = open(&path, KEY)?;
    let count: i64 = conn.query_row("SELECT count(*) FROM notes WHERE body = ?1", [SECRET], |row| row.get(0))?;
    assert_eq!(count, 200);

    let wrong = open(&path, OTHER_KEY)?;
    let refused = wrong.query_row("SELECT count(*) FROM sqlite_master", [], |row| row.get::<_, i64>(0));
    assert_eq!(refused.err().and_then(|e| e.sqlite_error_code()), Some(rusqlite::ErrorCode::NotADatabase));
    Ok(())
}

#[test]
fn a_tampered_page_is_refused_not_read() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("a.db");
    {
        let conn = open(&path, KEY)?;
        conn.execute_batch("CREATE TABLE notes (body TEXT);")?;
        conn.execute("INSERT INTO notes (body) VALUES (?1)", [SECRET])?;
    }
    let mut bytes = std::fs::read(&path)?;
    let page_two = 4096 + 100;
    bytes[page_two] ^= 0x01;
    std::fs::write(&path, bytes)?;

    let conn = open(&path, KEY)?;
    assert!(conn.query_row("SELECT body FROM notes", [], |row| row.get::<_, String>(0)).is_err());
    Ok(())
}

#[test]
fn passphrases_and_rekeying_work() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("a.db");
    {
        // A passphrase goes through PBKDF2 (few rounds here, to stay quick).
        let conn = Connection::open(&path)?;
        alongside_cipher::install();
        conn.execute_batch("PRAGMA key = 'correct horse'; PRAGMA kdf_iter = 1000; CREATE TABLE t (v TEXT);")?;
        conn.execute("INSERT INTO t (v) VALUES (?1)", [SECRET])?;
        conn.execute_batch(&format!("PRAGMA rekey = \"{OTHER_KEY}\";"))?;
    }
    let conn = open(&path, OTHER_KEY)?;
    let value: String = conn.query_row("SELECT v FROM t", [], |row| row.get(0))?;
    assert_eq!(value, SECRET);
    Ok(())
}
