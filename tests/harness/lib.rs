//! What the end-to-end tests stand on: a real `alongside-server` on a loopback
//! port over a fresh database (a temp SQLite file, or a new PostgreSQL
//! database from `ALONGSIDE_TEST_POSTGRES_URL`), and phones — real encrypted
//! core stores — signed in to it.

pub mod proxy;

use std::error::Error;
use std::net::SocketAddr;
use std::sync::Arc;

use alongside_core::Store;
use alongside_core::store::Session;
use alongside_core::sync::{SyncClient, SyncError, SyncReport, Timeouts};
use alongside_server::store::{Database, Role, Store as _, User};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub type BoxError = Box<dyn Error + Send + Sync>;
pub type TestResult<T = ()> = Result<T, BoxError>;

pub fn fail(message: impl Into<String>) -> BoxError {
    message.into().into()
}

/// A database key for test phones.
pub const KEY: [u8; 32] = [0x5a; 32];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The backends this run can test: SQLite always, PostgreSQL when the
    /// runner provides it (and must, with `ALONGSIDE_REQUIRE_POSTGRES=1`).
    pub fn available() -> TestResult<Vec<Backend>> {
        if std::env::var("ALONGSIDE_TEST_POSTGRES_URL").is_ok() {
            return Ok(vec![Backend::Sqlite, Backend::Postgres]);
        }
        if std::env::var("ALONGSIDE_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") {
            return Err(fail("ALONGSIDE_REQUIRE_POSTGRES=1 but ALONGSIDE_TEST_POSTGRES_URL is unset"));
        }
        eprintln!("notice: ALONGSIDE_TEST_POSTGRES_URL is unset; testing SQLite only (run under tests/with-postgres.sh)");
        Ok(vec![Backend::Sqlite])
    }
}

/// A running server.
#[derive(Debug)]
pub struct Server {
    pub url: String,
    pub addr: SocketAddr,
    pub database_url: String,
    pub db: Database,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
    dir: Option<Arc<tempfile::TempDir>>,
}

impl Server {
    pub async fn start(backend: Backend) -> TestResult<Server> {
        let (database_url, dir) = match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir()?;
                (format!("sqlite://{}", dir.path().join("server.db").display()), Some(Arc::new(dir)))
            }
            Backend::Postgres => (fresh_postgres_database().await?, None),
        };
        Server::start_on(&database_url, "127.0.0.1:0".parse()?, dir).await
    }

    async fn start_on(database_url: &str, addr: SocketAddr, dir: Option<Arc<tempfile::TempDir>>) -> TestResult<Server> {
        let db = Database::open(database_url).await?;
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let (shutdown, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(alongside_server::serve(db.clone(), listener, async move {
            let _ = stopped.await;
        }));
        Ok(Server {
            url: format!("http://{addr}"),
            addr,
            database_url: database_url.to_owned(),
            db,
            shutdown: Some(shutdown),
            task: Some(task),
            dir,
        })
    }

    /// Another instance on the same database, on a new port (what a load
    /// balancer would put beside this one; PostgreSQL only shares events).
    pub async fn another_instance(&self) -> TestResult<Server> {
        Server::start_on(&self.database_url, "127.0.0.1:0".parse()?, self.dir.clone()).await
    }

    /// Stops the server (finishing requests in flight) and starts it again on
    /// the same database and port.
    pub async fn restart(self) -> TestResult<Server> {
        self.pause().await?.resume().await
    }

    /// Stops the server, keeping its database and port for [`PausedServer::resume`].
    pub async fn pause(mut self) -> TestResult<PausedServer> {
        let paused = PausedServer { database_url: self.database_url.clone(), addr: self.addr, dir: self.dir.take() };
        self.stop().await?;
        Ok(paused)
    }

    pub async fn stop(mut self) -> TestResult {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(task) = self.task.take() {
            task.await??;
        }
        Ok(())
    }

    /// Adds a user; returns their id (a participant's id is their participant id).
    pub async fn add_user(&self, username: &str, role: Role) -> TestResult<String> {
        let user =
            User { id: uuid::Uuid::new_v4().to_string(), username: username.to_owned(), role, display_name: format!("{username} (test)") };
        // No one logs in with it: phones get device tokens directly (Argon2 is
        // slow in debug builds, and login has its own tests in the server).
        self.db.create_user(&user, "$argon2id$v=19$m=19456,t=2,p=1$unused$unused", 0).await?;
        Ok(user.id)
    }

    pub async fn assign(&self, peer_worker_id: &str, participant_id: &str) -> TestResult {
        self.db.set_caseload(peer_worker_id, participant_id, true, 0).await?;
        Ok(())
    }

    /// A device token for `user_id`, as login would issue it.
    pub async fn device_token(&self, user_id: &str, device_name: &str) -> TestResult<(String, String)> {
        let token = alongside_server::auth::token::generate()?;
        let device_id = self.db.create_device(user_id, device_name, &alongside_server::auth::token::digest(&token), 0).await?;
        Ok((token, device_id))
    }
}

/// A stopped server that can start again where it was.
#[derive(Debug)]
pub struct PausedServer {
    database_url: String,
    addr: SocketAddr,
    dir: Option<Arc<tempfile::TempDir>>,
}

impl PausedServer {
    pub async fn resume(self) -> TestResult<Server> {
        Server::start_on(&self.database_url, self.addr, self.dir).await
    }
}

/// A fresh database on the test PostgreSQL cluster.
async fn fresh_postgres_database() -> TestResult<String> {
    let base = std::env::var("ALONGSIDE_TEST_POSTGRES_URL").map_err(|_| fail("ALONGSIDE_TEST_POSTGRES_URL is unset"))?;
    let (client, connection) = tokio_postgres::connect(&base, tokio_postgres::NoTls).await?;
    let driver = tokio::spawn(connection);
    let name = format!("alongside_e2e_{}", uuid::Uuid::new_v4().simple());
    client.batch_execute(&format!("CREATE DATABASE {name}")).await?;
    drop(client);
    let _ = driver.await;
    let (prefix, _) = base.rsplit_once('/').ok_or_else(|| fail("ALONGSIDE_TEST_POSTGRES_URL has no database name"))?;
    Ok(format!("{prefix}/{name}"))
}

/// A phone: an encrypted core store signed in to a server.
#[derive(Debug)]
pub struct Phone {
    pub store: Arc<Store>,
    pub client: SyncClient,
    pub user_id: String,
    pub path: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl Phone {
    /// A new phone of `user_id`, talking to `url` (the server, or a proxy).
    pub async fn new(server: &Server, url: &str, user_id: &str, name: &str) -> TestResult<Phone> {
        Phone::with_timeouts(server, url, user_id, name, Timeouts::default()).await
    }

    pub async fn with_timeouts(server: &Server, url: &str, user_id: &str, name: &str, timeouts: Timeouts) -> TestResult<Phone> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("phone.db");
        let store = Arc::new(Store::open(&path, &KEY)?);
        let (token, device_id) = server.device_token(user_id, name).await?;
        store.set_session(Some(&Session {
            token,
            device_id,
            user_id: user_id.to_owned(),
            role: String::new(),
            display_name: name.to_owned(),
        }))?;
        Ok(Phone { store, client: SyncClient::new(url, timeouts)?, user_id: user_id.to_owned(), path, _dir: dir })
    }

    pub async fn sync(&self) -> Result<SyncReport, SyncError> {
        alongside_core::sync::sync_once(&self.store, &self.client, &|_| {}).await
    }

    /// Everything the phone holds for `participant_id`, as comparable JSON.
    pub fn state(&self, participant_id: &str) -> TestResult<serde_json::Value> {
        let at = chrono::DateTime::UNIX_EPOCH;
        Ok(serde_json::from_str(&self.store.export_participant(participant_id, at)?)?)
    }
}
