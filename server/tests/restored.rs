//! A server restored from a backup (protocol/README.md "Restored servers"):
//! a pull whose cursor is of another history, or names a place past what the
//! server holds, starts again from the beginning and says `restored`; a
//! forged cursor is still refused.

use std::collections::BTreeMap;

use alongside_harness::wire::{change, goal, hlc};
use alongside_harness::{Backend, Server, TestResult, code, fail, on_every_backend};
use alongside_server::cursor::{Cursor, Position, Positions};
use alongside_server::store::{Database, Role, Store as _};
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

on_every_backend!(
    a_cursor_of_another_history_starts_again,
    a_cursor_past_the_end_starts_again,
    a_forged_cursor_is_still_refused,
    a_restored_page_purges_what_a_peer_worker_may_not_see_now,
);

/// One page, which must be answered 200.
async fn page(server: &Server, token: &str, cursor: Option<&str>) -> TestResult<Value> {
    let (status, body) = server.pull(token, cursor, None).await?;
    if status != StatusCode::OK {
        return Err(fail(format!("pull: {status} {body}")));
    }
    Ok(body)
}

fn titles(page: &Value) -> Vec<String> {
    let mut titles: Vec<String> =
        page["changes"].as_array().into_iter().flatten().filter_map(|c| c["fields"]["title"].as_str().map(str::to_owned)).collect();
    titles.sort();
    titles
}

fn cursor_of(page: &Value) -> TestResult<String> {
    page["cursor"].as_str().map(str::to_owned).ok_or_else(|| fail(format!("no cursor: {page}")))
}

async fn a_cursor_of_another_history_starts_again(backend: Backend) -> TestResult {
    let server = Server::start(backend).await?;
    let rosa = server.add_user("rosa", Role::Participant).await?;
    let token = server.token("rosa").await?;
    server.push_ok(&token, &[goal(&rosa, &hlc(-10, 0, "r"), "Walk"), goal(&rosa, &hlc(-9, 0, "r"), "Read")]).await?;
    let first = page(&server, &token, None).await?;
    assert_eq!(first.get("restored"), None, "an ordinary page does not say it");
    let cursor = cursor_of(&first)?;

    // Restored by a path that keeps the data (pg_restore, a file copy), then
    // given a new history, as server/README.md says to.
    let url = server.database_url.clone();
    let before = server.db.history();
    let paused = server.pause().await?;
    let history = Database::open(&url).await?.start_new_history().await?;
    assert_ne!(history, before);
    let server = paused.resume().await?;
    assert_eq!(server.db.history(), history, "the new history is kept");

    let again = page(&server, &token, Some(&cursor)).await?;
    assert_eq!(again["restored"], json!(true), "{again}");
    assert_eq!(titles(&again), ["Read", "Walk"], "from the beginning");
    assert_eq!(again["has_more"], json!(false));
    let after = page(&server, &token, Some(&cursor_of(&again)?)).await?;
    assert_eq!((after.get("restored"), titles(&after).len()), (None, 0), "the next cursor is of the new history: {after}");
    server.stop().await
}

async fn a_cursor_past_the_end_starts_again(backend: Backend) -> TestResult {
    let server = Server::start(backend).await?;
    let rosa = server.add_user("rosa", Role::Participant).await?;
    let token = server.token("rosa").await?;
    server.push_ok(&token, &[goal(&rosa, &hlc(-10, 0, "r"), "Walk")]).await?;
    let secret = server.db.cursor_secret().to_vec();
    let encode = |cursor: Cursor| cursor.encode(&secret, &rosa);
    let at = |seq: i64| Positions::Streams(BTreeMap::from([(rosa.clone(), Position::at(seq, 0))]));

    for (what, cursor, restored) in [
        ("this history, past the end", Cursor { history: Some(server.db.history()), positions: at(1_000) }, true),
        ("no history (version 2), past the end", Cursor { history: None, positions: at(1_000) }, true),
        (
            "one global position (version 1), past the end",
            Cursor { history: None, positions: Positions::Legacy(Position::at(1_000, 0)) },
            true,
        ),
        ("no history (version 2), within", Cursor { history: None, positions: at(0) }, false),
        ("no history (version 2), at the end", Cursor { history: None, positions: at(1) }, false),
        ("another history", Cursor { history: Some(Uuid::new_v4()), positions: at(1) }, true),
    ] {
        let body = page(&server, &token, Some(&encode(cursor)?)).await?;
        assert_eq!(body["restored"] == json!(true), restored, "{what}: {body}");
        let expected: &[&str] = if restored || what.ends_with("within") { &["Walk"] } else { &[] };
        assert_eq!(titles(&body), expected, "{what}");
    }
    server.stop().await
}

async fn a_forged_cursor_is_still_refused(backend: Backend) -> TestResult {
    let server = Server::start(backend).await?;
    let rosa = server.add_user("rosa", Role::Participant).await?;
    server.add_user("ana", Role::Participant).await?;
    let (token, ana_token) = (server.token("rosa").await?, server.token("ana").await?);
    let positions = Positions::Streams(BTreeMap::from([(rosa.clone(), Position::at(5, 0))]));
    let elsewhere = Cursor { history: Some(Uuid::new_v4()), positions };
    // Another history, but signed with a key this server never had.
    let forged = elsewhere.encode(b"a key of someone else's", &rosa)?;
    let genuine = elsewhere.encode(server.db.cursor_secret(), &rosa)?;
    let mut tampered = genuine.clone().into_bytes();
    tampered[3] = if tampered[3] == b'A' { b'B' } else { b'A' };
    for (what, token, bad) in
        [("forged", &token, forged), ("tampered", &token, String::from_utf8(tampered)?), ("another user's", &ana_token, genuine.clone())]
    {
        let (status, body) = server.pull(token, Some(&bad), None).await?;
        assert_eq!((status, code(&body)), (StatusCode::BAD_REQUEST, "invalid_request"), "{what} cursor: {body}");
    }
    assert_eq!(page(&server, &token, Some(&genuine)).await?["restored"], json!(true));
    server.stop().await
}

/// A peer worker's devices that start again purge everything of the
/// caseload the peer worker may not see now (a withdrawal the device never
/// heard of, or one the restore brought back), but not on the word of an
/// old purge: goals withdrawn and shared again before the restore are sent,
/// and not purged after.
async fn a_restored_page_purges_what_a_peer_worker_may_not_see_now(backend: Backend) -> TestResult {
    let server = Server::start(backend).await?;
    let rosa = server.add_user("rosa", Role::Participant).await?;
    let will = server.add_user("will", Role::PeerWorker).await?;
    server.assign(&will, &rosa).await?;
    let (rosa_token, will_token) = (server.token("rosa").await?, server.token("will").await?);
    let sharing = |goals: bool, counter: u16| change("sharing", &rosa, &rosa, &hlc(-20, counter, "r"), json!({"goals": goals}));
    server.push_ok(&rosa_token, &[sharing(true, 0), goal(&rosa, &hlc(-10, 0, "r"), "Walk")]).await?;
    server.push_ok(&rosa_token, &[sharing(false, 1)]).await?;
    server.push_ok(&rosa_token, &[sharing(true, 2)]).await?;
    let message = change(
        "messages",
        &uuid::Uuid::new_v4().to_string(),
        &rosa,
        &hlc(-5, 0, "r"),
        json!({"body": "Hi", "sent_at": "2026-11-23T08:00:00Z"}),
    );
    server.push_ok(&rosa_token, &[message]).await?;

    let positions = Positions::Streams(BTreeMap::from([(rosa.clone(), Position::at(1, 0))]));
    let elsewhere = Cursor { history: Some(Uuid::new_v4()), positions }.encode(server.db.cursor_secret(), &will)?;
    let body = page(&server, &will_token, Some(&elsewhere)).await?;
    assert_eq!(body["restored"], json!(true));
    assert_eq!(titles(&body), ["Walk"], "goals are shared now: {body}");
    let purges = body["purge"].as_array().ok_or_else(|| fail("no purge"))?;
    assert_eq!(purges.len(), 1, "one purge, of what is hidden now: {body}");
    let hidden: Vec<&str> = purges[0]["collections"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
    assert_eq!(purges[0]["participant_id"], json!(rosa));
    assert!(hidden.contains(&"check_ins") && hidden.contains(&"contacts"), "{hidden:?}");
    assert!(!hidden.iter().any(|c| ["goals", "goal_progress", "messages", "profile"].contains(c)), "{hidden:?}");
    assert!(body["changes"].as_array().is_some_and(|c| c.iter().any(|c| c["collection"] == "messages")));

    // The withdrawal before the restore is past for this device: its next
    // pages never purge goals.
    let next = page(&server, &will_token, Some(&cursor_of(&body)?)).await?;
    assert_eq!(next["purge"], json!([]), "{next}");
    server.stop().await
}
