//! The one test harness of the workspace: a real `alongside-server` on a
//! loopback port over a fresh database (a temp SQLite file, or a new
//! PostgreSQL database from `ALONGSIDE_TEST_POSTGRES_URL`), its HTTP API as
//! test helpers, the protocol's changes as JSON, a fault-injecting proxy, and
//! (feature `phone`) phones — real encrypted core stores — signed in to it.
//! The server's own suites and the end-to-end suites both stand on it.

mod database;
#[cfg(feature = "phone")]
mod phone;
pub mod proxy;
mod server;
pub mod wake;
pub mod wire;

use std::error::Error;

#[cfg(feature = "phone")]
pub use phone::{Deaf, KEY, Phone};
pub use server::{PASSWORD, PausedServer, Server, answer, code, metric_value};

pub type BoxError = Box<dyn Error + Send + Sync>;
pub type TestResult<T = ()> = Result<T, BoxError>;

/// Fails the test with `message`.
pub fn fail(message: impl Into<String>) -> BoxError {
    message.into().into()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// Whether this run can test the backend: SQLite always, PostgreSQL when
    /// the runner provides it (and must, with `ALONGSIDE_REQUIRE_POSTGRES=1`).
    pub fn is_available(self) -> TestResult<bool> {
        if self == Backend::Sqlite || std::env::var("ALONGSIDE_TEST_POSTGRES_URL").is_ok() {
            return Ok(true);
        }
        if std::env::var("ALONGSIDE_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") {
            return Err(fail("ALONGSIDE_REQUIRE_POSTGRES=1 but ALONGSIDE_TEST_POSTGRES_URL is unset"));
        }
        eprintln!("notice: ALONGSIDE_TEST_POSTGRES_URL is unset; skipping PostgreSQL (run under tests/with-postgres.sh)");
        Ok(false)
    }

    /// The backends this run can test.
    pub fn available() -> TestResult<Vec<Backend>> {
        let mut backends = Vec::new();
        for backend in [Backend::Sqlite, Backend::Postgres] {
            if backend.is_available()? {
                backends.push(backend);
            }
        }
        Ok(backends)
    }
}

/// Runs each scenario `name(backend)` of the calling file as the tests
/// `sqlite::name` and `postgres::name` (skipped when this run has no
/// PostgreSQL).
#[macro_export]
macro_rules! on_every_backend {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() -> $crate::TestResult { super::$name($crate::Backend::Sqlite).await })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() -> $crate::TestResult {
                if !$crate::Backend::Postgres.is_available()? {
                    return Ok(());
                }
                super::$name($crate::Backend::Postgres).await
            })*
        }
    };
}
