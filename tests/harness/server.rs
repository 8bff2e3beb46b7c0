//! A real server under test, in this process or as the `serve` binary, and
//! its HTTP API as helpers that refuse any 5xx and any error body that is not
//! the protocol's.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::OnceLock;

use alongside_server::ServerConfig;
use alongside_server::store::{Database, Role, Store, User};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::database::FreshDatabase;
use crate::{Backend, BoxError, TestResult, fail};

/// The password of every test user.
pub const PASSWORD: &str = "correct horse battery";

/// One hash for all test users: Argon2 is slow on purpose.
fn password_hash() -> TestResult<String> {
    static HASH: OnceLock<String> = OnceLock::new();
    if let Some(hash) = HASH.get() {
        return Ok(hash.clone());
    }
    let hash = alongside_server::auth::password::hash(PASSWORD)?;
    Ok(HASH.get_or_init(|| hash).clone())
}

/// The value of the series `name{labels}` (exactly as rendered) in a
/// metrics text, or 0 when it is not there.
pub fn metric_value(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|line| line.strip_prefix(series).and_then(|rest| rest.strip_prefix(' ')).and_then(|v| v.trim().parse().ok()))
        .unwrap_or(0.0)
}

/// A running server and what a test needs to talk to it.
#[derive(Debug)]
pub struct Server {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    pub addr: SocketAddr,
    pub http: reqwest::Client,
    /// The server's database, opened beside it for setting up and checking.
    pub db: Database,
    pub database_url: String,
    config: ServerConfig,
    database: FreshDatabase,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
    /// A `serve` process, for an instance of the real binary.
    process: Option<tokio::process::Child>,
}

impl Server {
    /// Starts a server on a fresh database (an error when the backend is not
    /// available in this run: see [`Backend::is_available`]).
    pub async fn start(backend: Backend) -> TestResult<Server> {
        Server::start_with(backend, ServerConfig::default()).await
    }

    /// [`Server::start`] with a server configuration.
    pub async fn start_with(backend: Backend, config: ServerConfig) -> TestResult<Server> {
        Server::start_on(FreshDatabase::create(backend).await?, "127.0.0.1:0".parse()?, config).await
    }

    async fn start_on(database: FreshDatabase, addr: SocketAddr, config: ServerConfig) -> TestResult<Server> {
        let db = Database::open(&database.url).await?;
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let (shutdown, stop) = oneshot::channel::<()>();
        let task = tokio::spawn(alongside_server::serve_with(db.clone(), listener, config.clone(), async move {
            let _ = stop.await;
        }));
        Ok(Server {
            base: format!("http://{addr}"),
            addr,
            http: reqwest::Client::new(),
            db,
            database_url: database.url.clone(),
            config,
            database,
            shutdown: Some(shutdown),
            task: Some(task),
            process: None,
        })
    }

    /// Another instance on the same database, on a new port (what a load
    /// balancer would put beside this one; only PostgreSQL shares events).
    pub async fn another_instance(&self, config: ServerConfig) -> TestResult<Server> {
        Server::start_on(self.database.clone(), "127.0.0.1:0".parse()?, config).await
    }

    /// Another instance on the same database as its own process: the real
    /// `alongside-server serve` (`binary`, from `CARGO_BIN_EXE_alongside-server`)
    /// on a free loopback port.
    pub async fn serve_process(&self, binary: impl AsRef<Path>) -> TestResult<Server> {
        use tokio::io::AsyncBufReadExt;
        let mut child = tokio::process::Command::new(binary.as_ref())
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
                    return Ok::<String, BoxError>(address.to_owned());
                }
            }
            Err(fail("serve ended before it listened"))
        })
        .await
        .map_err(|_| fail("serve did not listen within 20 s"))??;
        // Keep reading, or a full pipe would stop the process.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Ok(Server {
            base: format!("http://{address}"),
            addr: address.parse()?,
            http: reqwest::Client::new(),
            db: Database::open(&self.database_url).await?,
            database_url: self.database_url.clone(),
            config: self.config.clone(),
            database: self.database.clone(),
            shutdown: None,
            task: None,
            process: Some(child),
        })
    }

    /// Stops the server (finishing requests in flight) and starts it again on
    /// the same database and port.
    pub async fn restart(self) -> TestResult<Server> {
        self.pause().await?.resume().await
    }

    /// Stops the server, keeping its database and port for [`PausedServer::resume`].
    pub async fn pause(mut self) -> TestResult<PausedServer> {
        let paused = PausedServer { database: self.database.clone(), addr: self.addr, config: self.config.clone() };
        self.shut_down().await?;
        Ok(paused)
    }

    /// Stops the server, checking it shut down cleanly.
    pub async fn stop(mut self) -> TestResult {
        self.shut_down().await
    }

    async fn shut_down(&mut self) -> TestResult {
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

    /// Creates a user (password [`PASSWORD`]) directly in the database;
    /// returns their id (a participant's id is their participant id).
    pub async fn add_user(&self, username: &str, role: Role) -> TestResult<String> {
        let user = User { id: uuid::Uuid::new_v4().to_string(), username: username.into(), role, display_name: format!("{username} name") };
        self.db.create_user(&user, &password_hash()?, 0).await?;
        Ok(user.id)
    }

    pub async fn assign(&self, peer_worker_id: &str, participant_id: &str) -> TestResult {
        self.db.set_caseload(peer_worker_id, participant_id, true, 0).await?;
        Ok(())
    }

    /// A device token for `user_id`, as login would issue it, without the
    /// round trip; returns the token and the device id.
    pub async fn device_token(&self, user_id: &str, device_name: &str) -> TestResult<(String, String)> {
        let token = alongside_server::auth::token::generate()?;
        let device_id = self.db.create_device(user_id, device_name, &alongside_server::auth::token::digest(&token), 0).await?;
        Ok((token, device_id))
    }

    /// Scrapes this server's metrics endpoint (started with
    /// `ServerConfig::metrics_listen`); returns the text.
    pub async fn metrics(&self) -> TestResult<String> {
        let mut address = self.config.metrics.listening();
        for _ in 0..100 {
            if address.is_some() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            address = self.config.metrics.listening();
        }
        let address = address.ok_or_else(|| fail("the metrics endpoint is not listening"))?;
        let response = self.http.get(format!("http://{address}/metrics")).send().await?;
        if !response.status().is_success() {
            return Err(fail(format!("metrics: {}", response.status())));
        }
        Ok(response.text().await?)
    }

    /// The value of one series (`name{labels}`, exactly as rendered) in
    /// this server's metrics, 0 when it is not there yet.
    pub async fn metric(&self, series: &str) -> TestResult<f64> {
        Ok(metric_value(&self.metrics().await?, series))
    }

    /// GETs a path; returns the status and the JSON answer.
    pub async fn get(&self, path: &str, token: Option<&str>) -> TestResult<(StatusCode, Value)> {
        let mut request = self.http.get(self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        answer(request.send().await?).await
    }

    /// POSTs a JSON body; returns the status and the JSON answer.
    pub async fn post(&self, path: &str, token: Option<&str>, body: &Value) -> TestResult<(StatusCode, Value)> {
        self.send_json(reqwest::Method::POST, path, token, body).await
    }

    /// PUTs a JSON body; returns the status and the JSON answer.
    pub async fn put(&self, path: &str, token: Option<&str>, body: &Value) -> TestResult<(StatusCode, Value)> {
        self.send_json(reqwest::Method::PUT, path, token, body).await
    }

    /// DELETEs a path; returns the status and the JSON answer.
    pub async fn delete(&self, path: &str, token: Option<&str>) -> TestResult<(StatusCode, Value)> {
        let mut request = self.http.delete(self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        answer(request.send().await?).await
    }

    async fn send_json(&self, method: reqwest::Method, path: &str, token: Option<&str>, body: &Value) -> TestResult<(StatusCode, Value)> {
        let mut request = self.http.request(method, self.url(path)).json(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        answer(request.send().await?).await
    }

    pub async fn login(&self, username: &str, password: &str) -> TestResult<(StatusCode, Value)> {
        self.post("/v1/auth/login", None, &json!({"username": username, "password": password, "device_name": "test phone"})).await
    }

    /// Logs in with the test password; returns the token.
    pub async fn token(&self, username: &str) -> TestResult<String> {
        let (status, body) = self.login(username, PASSWORD).await?;
        if status != StatusCode::OK {
            return Err(fail(format!("login of {username}: {status} {body}")));
        }
        body["token"].as_str().map(str::to_owned).ok_or_else(|| fail(format!("login answer has no token: {body}")))
    }

    /// Pushes changes; returns the status and the answer.
    pub async fn push(&self, token: &str, changes: &[Value]) -> TestResult<(StatusCode, Value)> {
        self.post("/v1/sync/push", Some(token), &json!({ "changes": changes })).await
    }

    /// Pushes changes that must all be answered; returns each status.
    pub async fn push_ok(&self, token: &str, changes: &[Value]) -> TestResult<Vec<String>> {
        let (status, body) = self.push(token, changes).await?;
        if status != StatusCode::OK {
            return Err(fail(format!("push: {status} {body}")));
        }
        let results = body["results"].as_array().ok_or_else(|| fail(format!("push answer has no results: {body}")))?;
        Ok(results.iter().map(|r| r["status"].as_str().unwrap_or("?").to_owned()).collect())
    }

    /// One pull page.
    pub async fn pull(&self, token: &str, cursor: Option<&str>, limit: Option<usize>) -> TestResult<(StatusCode, Value)> {
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
    pub async fn pull_all(&self, token: &str) -> TestResult<Vec<Value>> {
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

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}

/// A stopped server that can start again where it was.
#[derive(Debug)]
pub struct PausedServer {
    database: FreshDatabase,
    addr: SocketAddr,
    config: ServerConfig,
}

impl PausedServer {
    pub async fn resume(self) -> TestResult<Server> {
        Server::start_on(self.database, self.addr, self.config).await
    }
}

/// The status and JSON body of a response, refusing any 5xx and any error
/// that is not the protocol's JSON error.
pub async fn answer(response: reqwest::Response) -> TestResult<(StatusCode, Value)> {
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
