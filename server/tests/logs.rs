//! The server's logs never hold record contents, tokens, passwords, cursors or
//! invite codes: everything a request carries goes through a server whose log
//! output is captured, and none of it shows up there.

use std::io::Write;
use std::sync::{Arc, Mutex};

use alongside_harness::wire::{change, hlc, new_id};
use alongside_harness::{Backend, Server, TestResult};
use alongside_server::store::Role;
use serde_json::json;

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut buffer) = self.0.lock() {
            buffer.extend_from_slice(bytes);
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_hold_no_secrets_or_record_contents() -> TestResult {
    // Global: the server logs from tokio's worker threads. This file holds one test.
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber =
        tracing_subscriber::fmt().with_max_level(tracing::Level::TRACE).with_ansi(false).with_writer(move || writer.clone()).finish();
    tracing::subscriber::set_global_default(subscriber)?;

    let server = Server::start(Backend::Sqlite).await?;
    let rosa = server.add_user("rosa", Role::Participant).await?;
    server.add_user("will", Role::PeerWorker).await?;
    let (token, will_token) = (server.token("rosa").await?, server.token("will").await?);
    let secret_text = "MARKER-my-sponsor-is-Dolores";
    let message = change("messages", &new_id(), &rosa, &hlc(-100, 0, "r"), json!({"body": secret_text, "sent_at": "2026-11-23T08:00:00Z"}));
    server.push_ok(&token, &[message]).await?;
    let bad = change("goals", &new_id(), &rosa, &hlc(-100, 1, "r"), json!({"title": secret_text, "area": "nowhere", "status": "active"}));
    server.push(&token, &[bad]).await?;
    let (_, page) = server.pull(&token, None, None).await?;
    let cursor = page["cursor"].as_str().unwrap_or("").to_owned();
    server.pull(&token, Some(&cursor), None).await?;
    let (_, invite) = server.post("/v1/invites", Some(&will_token), &json!({"display_name": secret_text})).await?;
    let code = invite["code"].as_str().unwrap_or("").to_owned();
    let (_, registered) = server
        .post(
            "/v1/auth/register",
            None,
            &json!({"invite_code": code, "username": "marisol", "password": "MARKER-password-123", "display_name": "M", "device_name": "p"}),
        )
        .await?;
    server.login("rosa", "MARKER-wrong-password").await?;
    server.post("/v1/sync/push", Some(&token), &json!({"changes": [{"change_id": secret_text}]})).await?;
    server.stop().await?;

    let text = String::from_utf8(captured.0.lock().map(|b| b.clone()).unwrap_or_default())?;
    assert!(text.contains("request"), "logging was captured: {text}");
    let new_token = registered["token"].as_str().unwrap_or("").to_owned();
    for secret in [secret_text, "MARKER", token.as_str(), will_token.as_str(), cursor.as_str(), code.as_str(), new_token.as_str()] {
        assert!(!secret.is_empty() && !text.contains(secret), "{secret:?} is in the logs:\n{text}");
    }
    Ok(())
}
