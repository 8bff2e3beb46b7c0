//! A fresh, empty database for one server under test.

use std::sync::Arc;

use crate::{Backend, TestResult, fail};

/// Where a test server keeps its data; the temp folder of a SQLite file lives
/// as long as any instance over it.
#[derive(Debug, Clone)]
pub(crate) struct FreshDatabase {
    pub url: String,
    /// Held so the folder outlives every instance over it.
    pub _dir: Option<Arc<tempfile::TempDir>>,
}

impl FreshDatabase {
    pub(crate) async fn create(backend: Backend) -> TestResult<FreshDatabase> {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir()?;
                let url = format!("sqlite://{}", dir.path().join("server.db").display());
                Ok(FreshDatabase { url, _dir: Some(Arc::new(dir)) })
            }
            Backend::Postgres => Ok(FreshDatabase { url: fresh_postgres_database().await?, _dir: None }),
        }
    }
}

/// A new database on the test PostgreSQL cluster; its URL keeps the query of
/// `ALONGSIDE_TEST_POSTGRES_URL` (host, port, user).
async fn fresh_postgres_database() -> TestResult<String> {
    let base = std::env::var("ALONGSIDE_TEST_POSTGRES_URL").map_err(|_| fail("ALONGSIDE_TEST_POSTGRES_URL is unset"))?;
    let (client, connection) = tokio_postgres::connect(&base, tokio_postgres::NoTls).await?;
    let driver = tokio::spawn(connection);
    let name = format!("alongside_test_{}", uuid::Uuid::new_v4().simple());
    client.batch_execute(&format!("CREATE DATABASE {name}")).await?;
    drop(client);
    let _ = driver.await;
    let (without_query, query) = match base.split_once('?') {
        Some((url, query)) => (url, format!("?{query}")),
        None => (base.as_str(), String::new()),
    };
    let authority_end = without_query.find("://").map_or(0, |i| i + 3);
    let prefix = match without_query[authority_end..].find('/') {
        Some(slash) => &without_query[..authority_end + slash],
        None => without_query,
    };
    Ok(format!("{prefix}/{name}{query}"))
}
