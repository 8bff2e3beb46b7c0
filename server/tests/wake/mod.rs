//! What the wake-up tests share: the Python stand-ins for the push services
//! (endpoint.py beside this file), started on loopback per test.
//!
//! The Python is the venv `setup.sh` makes, named by ALONGSIDE_WAKE_PYTHON.
//! Without it the tests that need it say so and pass, unless
//! ALONGSIDE_REQUIRE_WAKE=1, when they fail.

// Each wake_* test crate uses a part of this.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use alongside_server::wake::{Outcome, Registration, Sender, WakeConfig};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, Lines};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};

pub type TestResult<T = ()> = Result<T, Box<dyn std::error::Error>>;

/// How long a stand-in may take to start or to report a request.
const PATIENCE: Duration = Duration::from_secs(20);

/// The venv's python, or None (after saying why) when the tests should skip.
pub fn python(test: &str) -> Option<PathBuf> {
    match std::env::var_os("ALONGSIDE_WAKE_PYTHON") {
        Some(path) => Some(PathBuf::from(path)),
        None if std::env::var("ALONGSIDE_REQUIRE_WAKE").as_deref() == Ok("1") => {
            panic!("{test}: ALONGSIDE_REQUIRE_WAKE=1 but ALONGSIDE_WAKE_PYTHON is unset (run server/tests/wake/setup.sh)")
        }
        None => {
            eprintln!("{test}: skipped: set ALONGSIDE_WAKE_PYTHON to the venv server/tests/wake/setup.sh makes");
            None
        }
    }
}

/// One running stand-in for a push service.
pub struct Endpoint {
    /// Dropping the child ends it; closing stdin ends it too.
    _child: Child,
    stdin: ChildStdin,
    lines: Lines<BufReader<ChildStdout>>,
    /// What it printed on starting: port and keys.
    pub ready: Value,
}

impl Endpoint {
    /// Starts the stand-in for `service` (web_push, fcm or apns), or None to skip.
    pub async fn start(service: &str, test: &str) -> TestResult<Option<Endpoint>> {
        let Some(python) = python(test) else { return Ok(None) };
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/wake/endpoint.py");
        let mut child = Command::new(python)
            .arg(script)
            .arg(service)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()?;
        let stdin = child.stdin.take().ok_or("no stdin")?;
        let lines = BufReader::new(child.stdout.take().ok_or("no stdout")?).lines();
        let mut endpoint = Endpoint { _child: child, stdin, lines, ready: Value::Null };
        endpoint.ready = endpoint.next("ready").await?;
        Ok(Some(endpoint))
    }

    pub fn origin(&self) -> String {
        format!("http://127.0.0.1:{}", self.ready["port"])
    }

    pub fn ready_str(&self, field: &str) -> TestResult<&str> {
        Ok(self.ready[field].as_str().ok_or_else(|| format!("ready has no {field}"))?)
    }

    /// A config allowing this stand-in's plain-HTTP origin, short timeout.
    pub fn config(&self) -> WakeConfig {
        WakeConfig { insecure_origins: vec![self.origin()], timeout: Duration::from_secs(5), ..WakeConfig::default() }
    }

    /// Sets the answer to the next push: status, JSON body, headers.
    pub async fn answer(&mut self, status: u16, body: Value, headers: Value) -> TestResult {
        let line = json!({"answer": {"status": status, "body": body, "headers": headers}}).to_string() + "\n";
        self.stdin.write_all(line.as_bytes()).await?;
        self.stdin.flush().await?;
        self.next("queued").await.map(drop)
    }

    /// The stand-in's report of the next request it got: `kind`, `errors`, `seen`.
    pub async fn request(&mut self) -> TestResult<Value> {
        self.next("request").await
    }

    /// The next push's report, with no finding against it.
    pub async fn clean_push(&mut self) -> TestResult<Value> {
        let report = self.request().await?;
        assert_eq!(report["kind"], "push", "{report}");
        assert_eq!(report["errors"], json!([]), "the stand-in found: {report}");
        Ok(report["seen"].clone())
    }

    async fn next(&mut self, key: &str) -> TestResult<Value> {
        let line = tokio::time::timeout(PATIENCE, self.lines.next_line()).await?.map_err(|e| format!("stdout: {e}"))?;
        let line = line.ok_or("the stand-in ended")?;
        let mut value: Value = serde_json::from_str(&line)?;
        let inner = value.get_mut(key).ok_or_else(|| format!("expected {key}, got {line}"))?.take();
        Ok(inner)
    }
}

/// Sends and asserts the outcome is `expected`.
pub async fn sends(sender: &Sender, registration: &Registration, wake: &alongside_server::wake::WakeUp, expected: Outcome) {
    assert_eq!(sender.send(registration, wake).await, expected);
}

/// The Retry-After a failure carried, or a note that it did not fail.
pub fn retry_after(outcome: &Outcome) -> Option<Duration> {
    match outcome {
        Outcome::Failed { retry_after, .. } => *retry_after,
        _ => None,
    }
}

/// A listener on loopback that accepts and never answers.
pub async fn silent_listener() -> TestResult<(String, tokio::task::JoinHandle<()>)> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let origin = format!("http://{}", listener.local_addr()?);
    let task = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    Ok((origin, task))
}
