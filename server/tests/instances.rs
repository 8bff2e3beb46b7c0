//! Many server instances over one PostgreSQL behave as one server. Each test
//! starts three `alongside-server serve` processes over one throwaway
//! database and sends each device's requests to whichever instance it likes:
//!
//! - a token issued by one works on all, and a sign-out on one ends it on all;
//! - a change pushed to one is pulled from another;
//! - consent granted or withdrawn on one is honoured by pulls from another;
//! - the event stream on one announces pushes made on another within 2 s;
//! - login rate limits are one limit across instances, not one each;
//! - a cursor stays valid whichever instance serves the next page;
//! - a device pulling all the while, from every instance, while participants
//!   push concurrently to every instance, ends with exactly what a fresh
//!   device pulls from scratch.
//!
//! SQLite is one instance by nature: these run on PostgreSQL only.

use std::time::Duration;

use alongside_harness::wire::Replica;
use alongside_harness::wire::{change, hlc, new_id};
use alongside_harness::{Backend, BoxError, PASSWORD, Server, TestResult, code, fail};
use alongside_server::store::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// A database, and three `serve` processes over it.
struct Cluster {
    /// The in-process server that made the database; used for setup only.
    setup: Server,
    instances: Vec<Server>,
}

impl Cluster {
    async fn start() -> Result<Option<Cluster>, BoxError> {
        if !Backend::Postgres.is_available()? {
            return Ok(None);
        }
        let setup = Server::start(Backend::Postgres).await?;
        let mut instances = Vec::new();
        for _ in 0..3 {
            instances.push(setup.serve_process(env!("CARGO_BIN_EXE_alongside-server")).await?);
        }
        Ok(Some(Cluster { setup, instances }))
    }

    fn on(&self, index: usize) -> &Server {
        &self.instances[index % self.instances.len()]
    }

    async fn stop(self) -> TestResult {
        for instance in self.instances {
            instance.stop().await?;
        }
        self.setup.stop().await
    }

    /// Rosa (a participant) on Will's (a peer worker's) caseload; their ids and tokens.
    async fn rosa_and_will(&self) -> Result<(String, String, String, String), BoxError> {
        let rosa = self.setup.add_user("rosa", Role::Participant).await?;
        let will = self.setup.add_user("will", Role::PeerWorker).await?;
        self.setup.assign(&will, &rosa).await?;
        Ok((rosa.clone(), will, self.on(0).token("rosa").await?, self.on(1).token("will").await?))
    }
}

fn sharing(participant_id: &str, goals: bool, offset_ms: i64) -> Value {
    change("sharing", participant_id, participant_id, &hlc(offset_ms, 0, "r"), json!({"goals": goals}))
}

fn goal(participant_id: &str, record_id: &str, offset_ms: i64, title: &str) -> Value {
    change("goals", record_id, participant_id, &hlc(offset_ms, 0, "r"), json!({"title": title, "area": "parenting", "status": "active"}))
}

/// One page from `instance`; the new cursor and whether more waits.
async fn pull_page(
    instance: &Server,
    token: &str,
    cursor: Option<&str>,
    limit: Option<usize>,
    device: &mut Replica,
) -> Result<(Option<String>, bool), BoxError> {
    let (status, page) = instance.pull(token, cursor, limit).await?;
    if status != StatusCode::OK {
        return Err(fail(format!("pull from {}: {status} {page}", instance.base)));
    }
    device.apply(&page)?;
    Ok((page["cursor"].as_str().map(str::to_owned), page["has_more"] == json!(true)))
}

/// Pulls until nothing is left, each page from the next instance.
async fn pull_to_end(cluster: &Cluster, token: &str, mut cursor: Option<String>, device: &mut Replica) -> Result<Option<String>, BoxError> {
    for page in 0..1000 {
        let (next, more) = pull_page(cluster.on(page), token, cursor.as_deref(), Some(3), device).await?;
        cursor = next;
        if !more {
            return Ok(cursor);
        }
    }
    Err(fail("the pull never ended"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_from_one_instance_works_on_all() -> TestResult {
    let Some(cluster) = Cluster::start().await? else { return Ok(()) };
    let rosa = cluster.setup.add_user("rosa", Role::Participant).await?;
    let token = cluster.on(0).token("rosa").await?;
    for index in 0..3 {
        let (status, me) = cluster.on(index).get("/v1/me", Some(&token)).await?;
        assert_eq!((status, me["user"]["id"].as_str()), (StatusCode::OK, Some(rosa.as_str())), "instance {index}: {me}");
    }
    let (status, _) = cluster.on(1).post("/v1/auth/logout", Some(&token), &json!({})).await?;
    assert!(status.is_success(), "sign-out: {status}");
    for index in 0..3 {
        let (status, _) = cluster.on(index).get("/v1/me", Some(&token)).await?;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "instance {index} after sign-out on another");
    }
    cluster.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn consent_given_or_withdrawn_on_one_is_honoured_on_the_others() -> TestResult {
    let Some(cluster) = Cluster::start().await? else { return Ok(()) };
    let (rosa, _, rosa_token, will_token) = cluster.rosa_and_will().await?;
    let goal_id = new_id();
    // Pushed to the first instance, pulled from the second.
    let pushed = cluster.on(0).push_ok(&rosa_token, &[sharing(&rosa, true, -5000), goal(&rosa, &goal_id, -4000, "Walk")]).await?;
    assert_eq!(pushed, ["applied", "applied"]);
    let mut will = Replica::default();
    let (cursor, _) = pull_page(cluster.on(1), &will_token, None, None, &mut will).await?;
    assert_eq!(will.records("goals"), vec![goal_id], "a change pushed to one instance is pulled from another");
    // Withdrawn on the third; the second honours it.
    assert_eq!(cluster.on(2).push_ok(&rosa_token, &[sharing(&rosa, false, -3000)]).await?, ["applied"]);
    pull_page(cluster.on(1), &will_token, cursor.as_deref(), None, &mut will).await?;
    assert!(will.records("goals").is_empty(), "withdrawn on one instance, purged by another");
    let mut fresh = Replica::default();
    pull_to_end(&cluster, &will_token, None, &mut fresh).await?;
    assert!(fresh.records("goals").is_empty(), "no instance serves what was withdrawn");
    cluster.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_event_stream_on_one_announces_pushes_on_another() -> TestResult {
    let Some(cluster) = Cluster::start().await? else { return Ok(()) };
    let (rosa, _, rosa_token, will_token) = cluster.rosa_and_will().await?;
    let mut stream = cluster.on(1).http.get(cluster.on(1).url("/v1/sync/events")).bearer_auth(&will_token).send().await?;
    assert_eq!(stream.status(), StatusCode::OK);
    // Let every instance's LISTEN connection settle.
    tokio::time::sleep(Duration::from_millis(500)).await;
    for pusher in [0, 2] {
        let message =
            change("messages", &new_id(), &rosa, &hlc(-100, 0, "r"), json!({"body": "Call me", "sent_at": "2026-11-23T08:00:00Z"}));
        assert_eq!(cluster.on(pusher).push_ok(&rosa_token, &[message]).await?, ["applied"]);
        let deadline = tokio::time::Instant::now() + Duration::from_secs(2);
        let mut text = String::new();
        while !text.contains("event: changes") {
            match tokio::time::timeout_at(deadline, stream.chunk()).await {
                Ok(Ok(Some(bytes))) => text.push_str(&String::from_utf8_lossy(&bytes)),
                Ok(Ok(None)) => return Err(fail("the event stream ended")),
                Ok(Err(error)) => return Err(error.into()),
                Err(_) => return Err(fail(format!("no announcement within 2 s of a push on instance {pusher}: {text:?}"))),
            }
        }
        assert!(!text.contains("Call me"), "no record content on the stream");
    }
    drop(stream);
    cluster.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_limits_are_one_limit_across_instances() -> TestResult {
    let Some(cluster) = Cluster::start().await? else { return Ok(()) };
    cluster.setup.add_user("rosa", Role::Participant).await?;
    let allowed = alongside_server::auth::rate_limit::MAX_FAILURES;
    for attempt in 0..allowed {
        let (status, _) = cluster.on(attempt).login("rosa", "not the password").await?;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "attempt {attempt}");
    }
    // Spread over three instances, that was the whole allowance: every
    // instance now refuses, the right password too.
    for index in 0..3 {
        let (status, body) = cluster.on(index).login("rosa", PASSWORD).await?;
        assert_eq!((status, code(&body)), (StatusCode::TOO_MANY_REQUESTS, "rate_limited"), "instance {index}");
    }
    cluster.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cursor_works_on_whichever_instance_serves_the_next_page() -> TestResult {
    let Some(cluster) = Cluster::start().await? else { return Ok(()) };
    let (rosa, _, rosa_token, will_token) = cluster.rosa_and_will().await?;
    let mut changes = vec![sharing(&rosa, true, -9000)];
    changes.extend((0..8).map(|i| goal(&rosa, &new_id(), -8000 + i, &format!("Goal {i}"))));
    cluster.on(2).push_ok(&rosa_token, &changes).await?;
    for token in [&rosa_token, &will_token] {
        // Pages of 3, each from the next instance.
        let mut device = Replica::default();
        pull_to_end(&cluster, token, None, &mut device).await?;
        let mut whole = Replica::default();
        let (_, more) = pull_page(cluster.on(0), token, None, Some(1000), &mut whole).await?;
        assert!(!more);
        assert_eq!(device.records("goals").len(), 8);
        assert_eq!(device, whole, "paged across instances = one page from one");
    }
    cluster.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_pushes_on_every_instance_reach_a_device_pulling_all_the_while() -> TestResult {
    let Some(cluster) = Cluster::start().await? else { return Ok(()) };
    let will = cluster.setup.add_user("will", Role::PeerWorker).await?;
    let mut participants = Vec::new();
    for name in ["rosa", "ana", "lu"] {
        let id = cluster.setup.add_user(name, Role::Participant).await?;
        cluster.setup.assign(&will, &id).await?;
        let token = cluster.on(0).token(name).await?;
        assert_eq!(cluster.on(0).push_ok(&token, &[sharing(&id, true, -60_000)]).await?, ["applied"]);
        participants.push((id, token));
    }
    let will_token = cluster.on(1).token("will").await?;
    let shared_goal = new_id();

    // Each participant pushes 12 batches, each to the next instance: a new
    // goal each time, and Rosa also edits one goal of hers, so it is edited
    // from every instance.
    let cluster = std::sync::Arc::new(cluster);
    let mut pushers = Vec::new();
    for (index, (participant, token)) in participants.iter().cloned().enumerate() {
        let cluster = std::sync::Arc::clone(&cluster);
        let shared_goal = shared_goal.clone();
        pushers.push(tokio::spawn(async move {
            for round in 0..12_i64 {
                let mut batch = vec![goal(&participant, &new_id(), -30_000 + round * 10, &format!("Goal {round}"))];
                if index == 0 {
                    batch.push(goal(&participant, &shared_goal, -30_000 + round * 10 + 1, &format!("Edited on round {round}")));
                }
                let instance = cluster.on(usize::try_from(round).unwrap_or(0) + index);
                let statuses = instance.push_ok(&token, &batch).await?;
                if statuses.iter().any(|s| s != "applied") {
                    return Err(fail(format!("{participant}: {statuses:?}")));
                }
            }
            Ok::<(), BoxError>(())
        }));
    }
    // Will's device pulls all the while, each page from the next instance.
    let mut device = Replica::default();
    let mut cursor: Option<String> = None;
    let mut page = 0;
    while pushers.iter().any(|p| !p.is_finished()) {
        let (next, _) = pull_page(cluster.on(page), &will_token, cursor.as_deref(), Some(5), &mut device).await?;
        cursor = next;
        page += 1;
    }
    for pusher in pushers {
        pusher.await??;
    }
    pull_to_end(&cluster, &will_token, cursor, &mut device).await?;

    let mut fresh = Replica::default();
    pull_to_end(&cluster, &will_token, None, &mut fresh).await?;
    assert_eq!(fresh.records("goals").len(), 3 * 12 + 1, "every goal, and Rosa's edited one");
    assert_eq!(device, fresh, "pulling all the while ends with what a fresh device pulls ({page} pages meanwhile)");
    let title = fresh.field("goals", &shared_goal, "title").cloned();
    assert_eq!(title, Some(json!("Edited on round 11")), "the last edit wins, whichever instance took it");
    std::sync::Arc::into_inner(cluster).ok_or_else(|| fail("the cluster is still shared"))?.stop().await
}
