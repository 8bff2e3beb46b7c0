//! Test harness: a real server on 127.0.0.1:0 over a fresh database (a temp
//! SQLite file, or a new PostgreSQL database per test from
//! `ALONGSIDE_TEST_POSTGRES_URL`), and HTTP helpers.

#![allow(dead_code)]

use std::error::Error;
use std::sync::OnceLock;

use alongside_server::store::{Database, Role, Store, User};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// Runs each scenario `name(backend)` of the including file as the tests
/// `sqlite::name` and `postgres::name`. (Not every test file needs it.)
#[allow(unused_macros)]
macro_rules! on_every_backend {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() -> super::TestResult { super::$name(super::Backend::Sqlite).await })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() -> super::TestResult { super::$name(super::Backend::Postgres).await })*
        }
    };
}

pub type TestResult = Result<(), Box<dyn Error + Send + Sync>>;

/// The password of every test user.
pub const PASSWORD: &str = "correct horse battery";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Fails the test with `message`.
pub fn fail(message: impl Into<String>) -> Box<dyn Error + Send + Sync> {
    message.into().into()
}

/// One hash for all test users: Argon2 is slow in debug builds.
fn password_hash() -> Result<String, Box<dyn Error + Send + Sync>> {
    static HASH: OnceLock<String> = OnceLock::new();
    if let Some(hash) = HASH.get() {
        return Ok(hash.clone());
    }
    let hash = alongside_server::auth::password::hash(PASSWORD)?;
    Ok(HASH.get_or_init(|| hash).clone())
}

/// A running server and what a test needs to talk to it.
#[derive(Debug)]
pub struct TestServer {
    pub base: String,
    pub http: reqwest::Client,
    pub db: Database,
    pub database_url: String,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
    /// A `serve` process, for an instance of the real binary.
    process: Option<tokio::process::Child>,
    _dir: Option<tempfile::TempDir>,
}

/// A database URL of a fresh PostgreSQL database, or `None` when the suite
/// runs without PostgreSQL.
async fn fresh_postgres_url() -> Result<Option<String>, Box<dyn Error + Send + Sync>> {
    let Ok(base) = std::env::var("ALONGSIDE_TEST_POSTGRES_URL") else {
        if std::env::var("ALONGSIDE_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") {
            return Err(fail("ALONGSIDE_REQUIRE_POSTGRES=1 but ALONGSIDE_TEST_POSTGRES_URL is unset"));
        }
        eprintln!("notice: ALONGSIDE_TEST_POSTGRES_URL is unset; skipping the PostgreSQL variant (run under tests/with-postgres.sh)");
        return Ok(None);
    };
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
    Ok(Some(format!("{prefix}/{name}{query}")))
}

impl TestServer {
    /// Starts a server on a fresh database; `None` when the backend is not
    /// available in this run (PostgreSQL without its URL).
    pub async fn start(backend: Backend) -> Result<Option<TestServer>, Box<dyn Error + Send + Sync>> {
        TestServer::start_with(backend, alongside_server::ServerConfig::default()).await
    }

    /// [`TestServer::start`] with a server configuration.
    pub async fn start_with(
        backend: Backend,
        config: alongside_server::ServerConfig,
    ) -> Result<Option<TestServer>, Box<dyn Error + Send + Sync>> {
        let (database_url, dir) = match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir()?;
                (format!("sqlite://{}", dir.path().join("server.db").display()), Some(dir))
            }
            Backend::Postgres => match fresh_postgres_url().await? {
                Some(url) => (url, None),
                None => return Ok(None),
            },
        };
        let db = Database::open(&database_url).await?;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let base = format!("http://{}", listener.local_addr()?);
        let (shutdown, stop) = oneshot::channel::<()>();
        let task = tokio::spawn(alongside_server::serve_with(db.clone(), listener, config, async move {
            let _ = stop.await;
        }));
        Ok(Some(TestServer {
            base,
            http: reqwest::Client::new(),
            db,
            database_url,
            shutdown: Some(shutdown),
            task: Some(task),
            process: None,
            _dir: dir,
        }))
    }

    /// Another server instance on the same database (what a load balancer
    /// would put beside this one).
    pub async fn another_instance(&self, config: alongside_server::ServerConfig) -> Result<TestServer, Box<dyn Error + Send + Sync>> {
        let db = Database::open(&self.database_url).await?;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let base = format!("http://{}", listener.local_addr()?);
        let (shutdown, stop) = oneshot::channel::<()>();
        let task = tokio::spawn(alongside_server::serve_with(db.clone(), listener, config, async move {
            let _ = stop.await;
        }));
        Ok(TestServer {
            base,
            http: reqwest::Client::new(),
            db,
            database_url: self.database_url.clone(),
            shutdown: Some(shutdown),
            task: Some(task),
            process: None,
            _dir: None,
        })
    }

    /// Another instance on the same database, as its own process: the real
    /// `alongside-server serve`, on a free loopback port.
    pub async fn serve_process(&self) -> Result<TestServer, Box<dyn Error + Send + Sync>> {
        use tokio::io::AsyncBufReadExt;
        let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_alongside-server"))
            .args(["serve", "--database", &self.database_url, "--listen", "127.0.0.1:0"])
            .env("RUST_LOG", "info")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .kill_on_drop(true)
            .spawn()?;
        let stderr = child.stderr.take().ok_or_else(|| fail("serve: no stderr"))?;
        let mut lines = tokio::io::BufReader::new(stderr).lines();
        // It logs `serving address=127.0.0.1:PORT` once it listens.
        let address = tokio::time::timeout(std::time::Duration::from_secs(20), async {
            while let Some(line) = lines.next_line().await? {
                if let Some(address) = line.split("address=").nth(1).and_then(|rest| rest.split_whitespace().next()) {
                    return Ok::<String, Box<dyn Error + Send + Sync>>(address.to_owned());
                }
            }
            Err(fail("serve ended before it listened"))
        })
        .await
        .map_err(|_| fail("serve did not listen within 20 s"))??;
        // Keep reading, or a full pipe would stop the process.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Ok(TestServer {
            base: format!("http://{address}"),
            http: reqwest::Client::new(),
            db: Database::open(&self.database_url).await?,
            database_url: self.database_url.clone(),
            shutdown: None,
            task: None,
            process: Some(child),
            _dir: None,
        })
    }

    /// Stops the server, checking it shut down cleanly.
    pub async fn stop(mut self) -> TestResult {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(task) = self.task.take() {
            task.await??;
        }
        if let Some(mut child) = self.process.take() {
            // SIGTERM: the server finishes what is in flight and exits cleanly.
            let pid = child.id().ok_or_else(|| fail("the serve process already ended"))?;
            tokio::process::Command::new("kill").args(["-TERM", &pid.to_string()]).status().await?;
            let status =
                tokio::time::timeout(std::time::Duration::from_secs(15), child.wait()).await.map_err(|_| fail("serve did not stop"))??;
            if !status.success() {
                return Err(fail(format!("serve exited with {status}")));
            }
        }
        Ok(())
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Creates a user directly in the database; returns their id.
    pub async fn add_user(&self, username: &str, role: Role) -> Result<String, Box<dyn Error + Send + Sync>> {
        let user = User { id: uuid::Uuid::new_v4().to_string(), username: username.into(), role, display_name: format!("{username} name") };
        self.db.create_user(&user, &password_hash()?, 0).await?;
        Ok(user.id)
    }

    pub async fn assign(&self, peer_worker_id: &str, participant_id: &str) -> TestResult {
        self.db.set_caseload(peer_worker_id, participant_id, true, 0).await?;
        Ok(())
    }

    /// GETs a path; returns the status and the JSON answer.
    pub async fn get(&self, path: &str, token: Option<&str>) -> Result<(StatusCode, Value), Box<dyn Error + Send + Sync>> {
        let mut request = self.http.get(self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        answer(request.send().await?).await
    }

    /// POSTs a JSON body; returns the status and the JSON answer.
    pub async fn post(&self, path: &str, token: Option<&str>, body: &Value) -> Result<(StatusCode, Value), Box<dyn Error + Send + Sync>> {
        let mut request = self.http.post(self.url(path)).json(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        answer(request.send().await?).await
    }

    pub async fn login(&self, username: &str, password: &str) -> Result<(StatusCode, Value), Box<dyn Error + Send + Sync>> {
        self.post("/v1/auth/login", None, &json!({"username": username, "password": password, "device_name": "test phone"})).await
    }

    /// Logs in with the test password; returns the token.
    pub async fn token(&self, username: &str) -> Result<String, Box<dyn Error + Send + Sync>> {
        let (status, body) = self.login(username, PASSWORD).await?;
        if status != StatusCode::OK {
            return Err(fail(format!("login of {username}: {status} {body}")));
        }
        body["token"].as_str().map(str::to_owned).ok_or_else(|| fail(format!("login answer has no token: {body}")))
    }

    /// Pushes changes; returns the status and the answer.
    pub async fn push(&self, token: &str, changes: &[Value]) -> Result<(StatusCode, Value), Box<dyn Error + Send + Sync>> {
        self.post("/v1/sync/push", Some(token), &json!({ "changes": changes })).await
    }

    /// Pushes changes that must all be answered; returns each status.
    pub async fn push_ok(&self, token: &str, changes: &[Value]) -> Result<Vec<String>, Box<dyn Error + Send + Sync>> {
        let (status, body) = self.push(token, changes).await?;
        if status != StatusCode::OK {
            return Err(fail(format!("push: {status} {body}")));
        }
        let results = body["results"].as_array().ok_or_else(|| fail(format!("push answer has no results: {body}")))?;
        Ok(results.iter().map(|r| r["status"].as_str().unwrap_or("?").to_owned()).collect())
    }

    /// One pull page.
    pub async fn pull(
        &self,
        token: &str,
        cursor: Option<&str>,
        limit: Option<usize>,
    ) -> Result<(StatusCode, Value), Box<dyn Error + Send + Sync>> {
        let mut query: Vec<(&str, String)> = Vec::new();
        if let Some(cursor) = cursor {
            query.push(("cursor", cursor.to_owned()));
        }
        if let Some(limit) = limit {
            query.push(("limit", limit.to_string()));
        }
        let request = self.http.get(self.url("/v1/sync/pull")).query(&query).bearer_auth(token);
        answer(request.send().await?).await
    }

    /// Every change visible from the start, following pages.
    pub async fn pull_all(&self, token: &str) -> Result<Vec<Value>, Box<dyn Error + Send + Sync>> {
        let mut changes = Vec::new();
        let mut cursor: Option<String> = None;
        for _ in 0..1000 {
            let (status, body) = self.pull(token, cursor.as_deref(), None).await?;
            if status != StatusCode::OK {
                return Err(fail(format!("pull: {status} {body}")));
            }
            changes.extend(body["changes"].as_array().cloned().unwrap_or_default());
            cursor = body["cursor"].as_str().map(str::to_owned);
            if body["has_more"] != json!(true) {
                return Ok(changes);
            }
        }
        Err(fail("pull never ended"))
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}

/// The status and JSON body of a response, refusing any 5xx and any error
/// that is not the protocol's JSON error.
pub async fn answer(response: reqwest::Response) -> Result<(StatusCode, Value), Box<dyn Error + Send + Sync>> {
    let status = response.status();
    let text = response.text().await?;
    if status.is_server_error() {
        return Err(fail(format!("server error {status}: {text}")));
    }
    let body: Value = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).map_err(|e| fail(format!("{status}: not JSON ({e}): {text}")))?
    };
    let is_error_body = body["error"]["code"].is_string() && body["error"]["message"].is_string();
    if !status.is_success() && !is_error_body {
        return Err(fail(format!("{status}: error body is not {{\"error\": {{code, message}}}}: {text}")));
    }
    Ok((status, body))
}

/// The error code of an error answer.
pub fn code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or("")
}

/// Unix milliseconds now.
pub fn now_ms() -> i64 {
    i64::try_from(alongside_protocol::hlc::wall_clock_ms()).unwrap_or(0)
}

/// An HLC `offset_ms` from now on `node`.
pub fn hlc(offset_ms: i64, counter: u16, node: &str) -> String {
    format!("{:013}-{:04x}-{node}", now_ms() + offset_ms, counter)
}

pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A change with a fresh change id.
pub fn change(collection: &str, record_id: &str, participant_id: &str, hlc: &str, fields: Value) -> Value {
    json!({"change_id": new_id(), "collection": collection, "record_id": record_id,
           "participant_id": participant_id, "hlc": hlc, "fields": fields})
}

/// A complete new goal.
pub fn goal(participant_id: &str, hlc: &str, title: &str) -> Value {
    change("goals", &new_id(), participant_id, hlc, json!({"title": title, "area": "parenting", "status": "active"}))
}

/// A complete new check-in.
pub fn check_in(participant_id: &str, hlc: &str) -> Value {
    change("check_ins", &new_id(), participant_id, hlc, json!({"at": "2026-11-23T08:15:00Z", "mood": 4}))
}
