//! The real `alongside-server serve` process as an operator runs it: logs
//! as JSON lines on request, and on SIGTERM it finishes the requests in
//! flight, ends event streams cleanly and exits 0.

use std::process::Stdio;
use std::time::Duration;

use alongside_harness::{Backend, Server, TestResult, fail};
use alongside_server::store::Role;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader, Lines};
use tokio::process::{Child, ChildStderr};

/// `serve` on the database of `setup`, a free loopback port, and `env`;
/// returns the process, its address and the rest of its log lines.
async fn serve(setup: &Server, env: &[(&str, &str)]) -> TestResult<(Child, String, Lines<BufReader<ChildStderr>>)> {
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_alongside-server"))
        .args(["serve", "--database", &setup.database_url, "--listen", "127.0.0.1:0"])
        .envs(env.iter().copied())
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()?;
    let mut lines = BufReader::new(child.stderr.take().ok_or_else(|| fail("no stderr"))?).lines();
    let address = tokio::time::timeout(Duration::from_secs(20), async {
        while let Some(line) = lines.next_line().await? {
            let address = match serde_json::from_str::<Value>(&line) {
                Ok(object) => object["address"].as_str().map(str::to_owned),
                Err(_) => line.split("address=").nth(1).and_then(|rest| rest.split_whitespace().next()).map(str::to_owned),
            };
            if let Some(address) = address {
                return Ok::<_, alongside_harness::BoxError>(address);
            }
        }
        Err(fail("serve ended before it listened"))
    })
    .await
    .map_err(|_| fail("serve did not listen"))??;
    Ok((child, format!("http://{address}"), lines))
}

async fn terminate(child: &mut Child) -> TestResult<std::process::ExitStatus> {
    let pid = child.id().ok_or_else(|| fail("already ended"))?;
    tokio::process::Command::new("kill").args(["-TERM", &pid.to_string()]).status().await?;
    Ok(tokio::time::timeout(Duration::from_secs(15), child.wait()).await.map_err(|_| fail("serve did not stop on SIGTERM"))??)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_finishes_requests_and_ends_streams() -> TestResult {
    let setup = Server::start(Backend::Sqlite).await?;
    setup.add_user("rosa", Role::Participant).await?;
    let token = setup.token("rosa").await?;
    let (mut child, base, mut lines) = serve(&setup, &[]).await?;
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    let http = reqwest::Client::new();

    let mut stream = http.get(format!("{base}/v1/sync/events")).bearer_auth(&token).send().await?;
    assert_eq!(stream.status(), 200);
    // A login hashes a password (slow on purpose): in flight when SIGTERM comes.
    let login = tokio::spawn({
        let (http, base) = (http.clone(), base.clone());
        async move {
            http.post(format!("{base}/v1/auth/login"))
                .json(&json!({"username": "rosa", "password": alongside_harness::PASSWORD, "device_name": "tablet"}))
                .send()
                .await
        }
    });
    tokio::time::sleep(Duration::from_millis(20)).await;
    let status = terminate(&mut child).await?;
    assert!(status.success(), "serve exited with {status}");
    let answered = login.await?.map_err(|e| fail(format!("the request in flight was cut off: {e}")))?;
    assert_eq!(answered.status(), 200, "the request in flight was answered");
    // The stream ended cleanly: the body finishes instead of breaking off.
    let ended = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            match stream.chunk().await {
                Ok(Some(_)) => continue,
                Ok(None) => return Ok(()),
                Err(error) => return Err(error),
            }
        }
    })
    .await
    .map_err(|_| fail("the stream did not end"))?;
    assert!(ended.is_ok(), "the stream broke off: {ended:?}");
    setup.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_are_json_lines_on_request() -> TestResult {
    let setup = Server::start(Backend::Sqlite).await?;
    let (mut child, base, mut lines) = serve(&setup, &[("ALONGSIDE_LOG_FORMAT", "json")]).await?;
    let (status, _) = alongside_harness::answer(reqwest::get(format!("{base}/healthz")).await?).await?;
    assert_eq!(status, 200);
    assert!(terminate(&mut child).await?.success());
    let mut seen = Vec::new();
    while let Some(line) = lines.next_line().await? {
        let object: Value = serde_json::from_str(&line).map_err(|e| fail(format!("not a JSON line ({e}): {line}")))?;
        assert!(object["level"].is_string() && object["timestamp"].is_string(), "{line}");
        seen.push(object["message"].as_str().unwrap_or_default().to_owned());
    }
    assert!(seen.iter().any(|m| m == "request"), "the request was logged: {seen:?}");
    assert!(seen.iter().any(|m| m == "stopped"), "and the clean stop: {seen:?}");
    setup.stop().await
}
