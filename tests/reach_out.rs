//! A reach-out tells the truth, at once: real phones (encrypted core stores
//! and their sync engines) and a real server, on every available backend.
//!
//! - delivered only when the server applied it and a peer worker has the
//!   participant on their caseload; "no peer worker yet" otherwise;
//! - the server refuses it: the parent is told it was not sent, and why, with
//!   someone to call;
//! - the server does not answer: the fallback comes within the deadline;
//! - the shell says offline: the answer is immediate, with no attempt;
//! - a pass stuck on a slow pull does not hold it back: it goes at once;
//! - whom to call comes through sync: the peer worker's own number and
//!   hours, and the program's on-call line when they are off hours.

use std::time::{Duration, Instant};

use alongside_core::i18n::Language;
use alongside_core::model::{ReachOut, Urgency};
use alongside_core::sync::{Callable, Delivery, ReachOutAnswer, SyncConfig, SyncEngine, Timeouts, reach_out};
use alongside_harness::proxy::{Fault, Proxy};
use alongside_harness::{Backend, Phone, Server, TestResult, code, fail, on_every_backend};
use alongside_server::store::Role;
use chrono::{DateTime, Utc};
use serde_json::json;

/// The engine's timings, the reach-out's deadline as shipped.
fn config() -> SyncConfig {
    SyncConfig { debounce: Duration::from_millis(50), periodic: Duration::from_secs(3600), ..SyncConfig::default() }
}

async fn ask(phone: &Phone, engine: &SyncEngine, participant_id: &str) -> TestResult<(ReachOutAnswer, Duration)> {
    let started = Instant::now();
    let answer =
        reach_out(&phone.store, engine, participant_id, Urgency::Urgent, Some("I need to talk".into()), Utc::now(), Language::English)
            .await?;
    Ok((answer, started.elapsed()))
}

fn crisis_lines_offered(answer: &ReachOutAnswer) -> bool {
    answer.help.crisis_lines.iter().any(|line| line.contacts.iter().any(|c| c.number == "988"))
}

/// A server with a participant (Rosa) and, unless `assigned` is false, her
/// peer worker Will on it; Rosa's phone has synced once.
async fn rosa_and_will(backend: Backend, assigned: bool) -> TestResult<(Server, Phone, String)> {
    let server = Server::start(backend).await?;
    let rosa = server.add_user("rosa", Role::Participant).await?;
    let will = server.add_user("will", Role::PeerWorker).await?;
    if assigned {
        server.assign(&will, &rosa).await?;
    }
    let phone = Phone::new(&server, &server.base.clone(), &rosa, "Rosa's phone").await?;
    phone.sync().await?;
    Ok((server, phone, will))
}

async fn delivered_only_with_a_peer_worker(backend: Backend) -> TestResult {
    let (server, rosa, will) = rosa_and_will(backend, false).await?;
    let engine = rosa.engine(config());
    let (answer, _) = ask(&rosa, &engine, &rosa.user_id).await?;
    assert_eq!(answer.delivery, Delivery::NoPeerWorker, "nobody has Rosa on their caseload: never \"delivered\"");
    assert!(crisis_lines_offered(&answer));
    assert!(rosa.store.outbox()?.is_empty(), "the server has it all the same");

    // Will takes her on; her phone has not synced since, and still the next
    // answer is true: the reach-out path asks the server whom she has.
    server.assign(&will, &rosa.user_id).await?;
    let (answer, _) = ask(&rosa, &engine, &rosa.user_id).await?;
    assert_eq!(answer.delivery, Delivery::Delivered);
    server.stop().await
}

async fn a_refused_reach_out_says_so_and_offers_help(backend: Backend) -> TestResult {
    let (server, rosa, _will) = rosa_and_will(backend, true).await?;
    let other = server.add_user("ana", Role::Participant).await?;
    let engine = rosa.engine(config());
    // Written on Rosa's phone for someone who is not her: the server refuses it.
    let (answer, _) = ask(&rosa, &engine, &other).await?;
    match &answer.delivery {
        Delivery::Refused { code, reason } => {
            assert_eq!(code, "forbidden");
            assert!(!reason.is_empty(), "the reason is kept to show");
        }
        other => return Err(fail(format!("the server refused it, yet the parent is told {other:?}"))),
    }
    assert!(crisis_lines_offered(&answer), "refused: the crisis lines are offered");
    let kept: ReachOut = rosa.store.get(&answer.reach_out.id)?;
    assert_eq!(kept.message.as_deref(), Some("I need to talk"), "what she typed is kept");
    server.stop().await
}

/// Rosa, on Will's caseload, her phone (synced once) reaching the server
/// through a proxy the test controls; it gives up on a request after
/// `request_timeout`.
async fn rosa_behind_a_proxy(backend: Backend, request_timeout: Duration) -> TestResult<(Server, Proxy, Phone)> {
    let (server, _, will) = rosa_and_will(backend, true).await?;
    let rosa_id = server.add_user("rosa2", Role::Participant).await?;
    server.assign(&will, &rosa_id).await?;
    let proxy = Proxy::start(server.addr).await?;
    let timeouts = Timeouts { connect: Duration::from_secs(5), request: request_timeout };
    let rosa = Phone::with_timeouts(&server, &proxy.url, &rosa_id, "Rosa's phone", timeouts).await?;
    rosa.sync().await?;
    Ok((server, proxy, rosa))
}

async fn no_answer_from_the_server_offers_help_within_the_deadline(backend: Backend) -> TestResult {
    // Between her phone and the server, a network that holds every answer
    // far past the deadline; her phone gives up on a request after 5 s.
    let (server, proxy, rosa) = rosa_behind_a_proxy(backend, Duration::from_secs(5)).await?;
    let rosa_id = rosa.user_id.clone();
    proxy.set(Fault::Delay(Duration::from_secs(60)));
    let engine = rosa.engine(SyncConfig { backoff_base: Duration::from_millis(200), ..config() });
    let (answer, waited) = ask(&rosa, &engine, &rosa_id).await?;
    assert_eq!(answer.delivery, Delivery::Waiting);
    assert!(crisis_lines_offered(&answer));
    assert!(waited < Duration::from_millis(3500), "the fallback came after {waited:?}, not within 3.5 s");
    // The network recovers: the engine delivers it without being asked again.
    proxy.set(Fault::Pass);
    let id = answer.reach_out.id.clone();
    eventually(|| Ok(rosa.store.outbox()?.iter().all(|entry| entry.change.record_id != id))).await?;
    let later = rosa.store.reach_out_answer(answer.reach_out, Utc::now(), Language::English)?;
    assert_eq!(later.delivery, Delivery::Delivered, "asked again after the sync, it is delivered");
    server.stop().await
}

async fn a_pass_stuck_on_a_slow_pull_does_not_hold_it_back(backend: Backend) -> TestResult {
    let (server, proxy, rosa) = rosa_behind_a_proxy(backend, Duration::from_secs(30)).await?;
    let rosa_id = rosa.user_id.clone();
    // A long backlog over bad signal: the engine's first pass waits 20 s on
    // its pull while everything else passes.
    proxy.set_for("/v1/sync/pull", Fault::Delay(Duration::from_secs(20)));
    let engine = rosa.engine(config());
    let asking = async {
        let started = Instant::now();
        while proxy.faulted() == 0 {
            if started.elapsed() > Duration::from_secs(10) {
                return Err(fail("the engine's first pass never reached its pull"));
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let asked = ask(&rosa, &engine, &rosa_id).await;
        proxy.set(Fault::Pass);
        asked
    };
    // Someone also pulled to refresh: that waits, and is answered after.
    let (refreshed, asked) = tokio::join!(engine.sync_now(), asking);
    let (answer, waited) = asked?;
    // Behind the pass it would have missed the deadline, and been "waiting".
    assert_eq!(answer.delivery, Delivery::Delivered, "the reach-out went ahead of the pass (answered after {waited:?})");
    refreshed?;
    server.stop().await
}

async fn offline_the_answer_is_immediate(backend: Backend) -> TestResult {
    let (server, rosa, _will) = rosa_and_will(backend, true).await?;
    // A server that would hang: any attempt would take the whole deadline.
    let paused = server.pause().await?;
    let engine = rosa.engine(config());
    engine.set_network_available(false);
    let (answer, waited) = ask(&rosa, &engine, &rosa.user_id).await?;
    assert_eq!(answer.delivery, Delivery::Waiting);
    assert!(crisis_lines_offered(&answer));
    assert!(waited < Duration::from_millis(50), "offline, the answer took {waited:?}");
    paused.resume().await?.stop().await
}

/// Rosa's phone learns whom to call through sync: Will's number and hours,
/// and the program's on-call line, offered when Will is off hours.
async fn whom_to_call_comes_through_sync(backend: Backend) -> TestResult {
    let (server, rosa, will) = rosa_and_will(backend, true).await?;
    let admin = server.add_user("admin", Role::Admin).await?;
    let (admin_token, _) = server.device_token(&admin, "office").await?;
    let (will_token, _) = server.device_token(&will, "Will's phone").await?;
    let hours = json!({"time_zone": "America/New_York", "days": ["mon", "tue", "wed", "thu", "fri"], "from": "09:00", "to": "17:00"});
    let (status, _) = server.put("/v1/me/contact", Some(&will_token), &json!({"phone": "+1 555 010 2030", "hours": hours})).await?;
    assert_eq!(status, 200);
    let on_call = json!({"on_call": {"name": "Program on-call", "phone": "+1 555 010 9999"}});
    assert_eq!(server.put("/v1/admin/program", Some(&admin_token), &on_call).await?.0, 200);
    rosa.sync().await?;

    let will_card =
        |available_now| Callable { name: "will name".into(), phone: "+1 555 010 2030".into(), available_now: Some(available_now) };
    let line = Callable { name: "Program on-call".into(), phone: "+1 555 010 9999".into(), available_now: None };
    // Thursday 2026-12-03: 10:00 and 22:00 in New York.
    let (office, night) = (at("2026-12-03T15:00:00Z")?, at("2026-12-04T03:00:00Z")?);
    let reach = rosa.store.create(&ReachOut {
        id: String::new(),
        participant_id: rosa.user_id.clone(),
        urgency: Urgency::Today,
        message: None,
        created_at: office,
        status: alongside_core::model::ReachOutStatus::Open,
        acknowledged_at: None,
        resolved_at: None,
        deleted: false,
    })?;
    let answer = rosa.store.reach_out_answer(reach.clone(), office, Language::English)?;
    assert_eq!(answer.help.peer_worker, Some(will_card(true)));
    assert_eq!(answer.help.on_call, None, "Will is answering: no need for the on-call line");
    let answer = rosa.store.reach_out_answer(reach, night, Language::English)?;
    assert_eq!(answer.help.peer_worker, Some(will_card(false)));
    assert_eq!(answer.help.on_call, Some(line), "Will is off hours: the on-call line is offered");

    // Only peer workers share a number; only admins set the on-call line;
    // bad input is refused with the field at fault and changes nothing.
    let (rosa_token, _) = server.device_token(&rosa.user_id, "Rosa's tablet").await?;
    let (status, body) = server.put("/v1/me/contact", Some(&rosa_token), &json!({"phone": "555 0100"})).await?;
    assert_eq!((status.as_u16(), code(&body)), (403, "forbidden"));
    let (status, body) = server.put("/v1/admin/program", Some(&will_token), &on_call).await?;
    assert_eq!((status.as_u16(), code(&body)), (403, "forbidden"));
    let (status, body) = server.put("/v1/me/contact", Some(&will_token), &json!({"phone": "call me maybe"})).await?;
    assert_eq!((status.as_u16(), code(&body), body["error"]["field"].as_str()), (422, "validation_failed", Some("phone")));
    let bad_hours = json!({"hours": {"time_zone": "Nowhere/Else", "days": ["mon"], "from": "09:00", "to": "17:00"}});
    let (status, body) = server.put("/v1/me/contact", Some(&will_token), &bad_hours).await?;
    assert_eq!((status.as_u16(), body["error"]["field"].as_str()), (422, Some("hours.time_zone")));
    let (status, _) = server.put("/v1/me/contact", Some(&will_token), &json!({"phone": "1", "surprise": true})).await?;
    assert_eq!(status.as_u16(), 400, "unknown fields are refused");
    let (status, mine) = server.get("/v1/me/contact", Some(&will_token)).await?;
    assert_eq!((status.as_u16(), mine["phone"].as_str(), mine["hours"]["from"].as_str()), (200, Some("+1 555 010 2030"), Some("09:00")));
    assert_eq!(server.get("/v1/me/contact", Some(&rosa_token)).await?.0.as_u16(), 403);
    let (_, me) = server.get("/v1/me", Some(&rosa_token)).await?;
    assert_eq!(me["care"]["peer_workers"][0]["phone"], "+1 555 010 2030", "nothing refused changed what Rosa is told");
    assert_eq!(me["care"]["on_call"]["name"], "Program on-call");
    server.stop().await
}

fn at(text: &str) -> TestResult<DateTime<Utc>> {
    Ok(DateTime::parse_from_rfc3339(text)?.to_utc())
}

async fn eventually(mut done: impl FnMut() -> TestResult<bool>) -> TestResult {
    let started = Instant::now();
    while !done()? {
        if started.elapsed() > Duration::from_secs(20) {
            return Err(fail("the engine did not deliver the reach-out within 20 s of the server's return"));
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(())
}

on_every_backend!(
    delivered_only_with_a_peer_worker,
    a_refused_reach_out_says_so_and_offers_help,
    no_answer_from_the_server_offers_help_within_the_deadline,
    a_pass_stuck_on_a_slow_pull_does_not_hold_it_back,
    offline_the_answer_is_immediate,
    whom_to_call_comes_through_sync,
);
