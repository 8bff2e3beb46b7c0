//! Who is woken after a push, through a real server and a Web Push endpoint
//! the test runs on loopback (the Python stand-ins of the other wake_* tests
//! check what the services receive; this one checks who and when):
//!
//! - an urgent reach-out wakes the peer worker's device and the participant's
//!   other device at once, at high priority, and never the device that pushed;
//! - ordinary changes are coalesced: three messages, one wake-up;
//! - a change the peer worker may not see (an unshared goal) wakes only the
//!   participant's other device;
//! - a device with its event stream open is not woken;
//! - a registration the service calls gone (410) is dropped;
//! - bad registrations are refused with the field at fault, and nothing is kept.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use alongside_harness::wake::{subscription, web_push_to};
use alongside_harness::wire::{change, hlc, new_id};
use alongside_harness::{Backend, Server, TestResult, code, fail, on_every_backend};
use alongside_server::store::{Role, Store};
use alongside_server::wake::COALESCE;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use serde_json::{Value, json};

/// One wake-up as the endpoint got it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Hit {
    device: String,
    urgency: String,
    topic: String,
}

#[derive(Debug, Clone, Default)]
struct Endpoint {
    hits: Arc<Mutex<Vec<Hit>>>,
    /// Devices whose subscription the "service" says is gone.
    gone: Arc<Mutex<Vec<String>>>,
}

impl Endpoint {
    fn hits(&self, device: &str) -> Vec<Hit> {
        self.hits.lock().map(|hits| hits.iter().filter(|h| h.device == device).cloned().collect()).unwrap_or_default()
    }
}

async fn receive(State(endpoint): State<Endpoint>, Path(device): Path<String>, headers: HeaderMap) -> StatusCode {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    if let Ok(mut hits) = endpoint.hits.lock() {
        hits.push(Hit { device: device.clone(), urgency: header("urgency"), topic: header("topic") });
    }
    let gone = endpoint.gone.lock().map(|gone| gone.contains(&device)).unwrap_or(false);
    if gone { StatusCode::GONE } else { StatusCode::CREATED }
}

/// A push service on loopback: `POST /push/<device>`.
async fn start_endpoint() -> TestResult<(Endpoint, String)> {
    let endpoint = Endpoint::default();
    let app = axum::Router::new().route("/push/{device}", axum::routing::post(receive)).with_state(endpoint.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let origin = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok((endpoint, origin))
}

async fn eventually(what: &str, mut done: impl FnMut() -> bool) -> TestResult {
    let started = Instant::now();
    while !done() {
        if started.elapsed() > Duration::from_secs(10) {
            return Err(fail(format!("not within 10 s: {what}")));
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(())
}

fn message(rosa: &str, node: &str, body: &str) -> Value {
    change("messages", &new_id(), rosa, &hlc(0, 0, node), json!({"body": body, "sent_at": "2026-12-03T08:00:00Z"}))
}

async fn wake_ups_go_to_who_may_see_and_nobody_else(backend: Backend) -> TestResult {
    let (endpoint, origin) = start_endpoint().await?;
    let server = Server::start_with(backend, web_push_to(&origin)?).await?;
    let rosa = server.add_user("rosa", Role::Participant).await?;
    let will = server.add_user("will", Role::PeerWorker).await?;
    server.assign(&will, &rosa).await?;
    let (rosa_phone, _) = server.device_token(&rosa, "Rosa's phone").await?;
    let (rosa_tablet, _) = server.device_token(&rosa, "Rosa's tablet").await?;
    let (will_phone, _) = server.device_token(&will, "Will's phone").await?;

    let (status, offered) = server.get("/v1/devices/push", Some(&will_phone)).await?;
    assert_eq!(status, 200);
    assert!(offered["web_push"]["vapid_public_key"].as_str().is_some_and(|key| key.len() == 87), "{offered}");
    for (token, device) in [(&will_phone, "will"), (&rosa_tablet, "rosa-tablet"), (&rosa_phone, "rosa-phone")] {
        assert_eq!(server.put("/v1/devices/push", Some(token), &subscription(&origin, device)?).await?.0, 200);
    }

    // Rosa's phone sends an urgent reach-out: Will's phone and her tablet
    // are woken at once, at high priority; her phone, which sent it, is not.
    let urgent = change(
        "reach_outs",
        &new_id(),
        &rosa,
        &hlc(0, 0, "r"),
        json!({"urgency": "urgent", "created_at": "2026-12-03T08:00:00Z", "status": "open", "message": "Can't do tonight alone"}),
    );
    server.push_ok(&rosa_phone, &[urgent]).await?;
    eventually("Will's phone and Rosa's tablet are woken", || {
        !endpoint.hits("will").is_empty() && !endpoint.hits("rosa-tablet").is_empty()
    })
    .await?;
    let high = Hit { device: "will".into(), urgency: "high".into(), topic: "reach_out".into() };
    assert_eq!(endpoint.hits("will"), vec![high]);
    tokio::time::sleep(COALESCE * 2).await;
    assert!(endpoint.hits("rosa-phone").is_empty(), "the device that pushed is never woken");
    assert_eq!(endpoint.hits("will").len(), 1, "an urgent wake-up is not followed by an ordinary one");

    // Three messages in quick succession: one ordinary wake-up each.
    for n in 0..3 {
        server.push_ok(&rosa_phone, &[message(&rosa, "r", &format!("message {n}"))]).await?;
    }
    eventually("Will's phone is woken for the messages", || endpoint.hits("will").len() == 2).await?;
    tokio::time::sleep(COALESCE * 2).await;
    let will_hits = endpoint.hits("will");
    assert_eq!(will_hits.len(), 2, "three messages, one wake-up: {will_hits:?}");
    assert_eq!((will_hits[1].urgency.as_str(), will_hits[1].topic.as_str()), ("normal", "sync"));

    // A goal is not shared with Will: only Rosa's tablet hears of it.
    let tablet_before = endpoint.hits("rosa-tablet").len();
    let goal = change(
        "goals",
        &new_id(),
        &rosa,
        &hlc(0, 1, "r"),
        json!({"title": "Walk the kids to school", "area": "parenting", "status": "active"}),
    );
    server.push_ok(&rosa_phone, &[goal]).await?;
    eventually("Rosa's tablet is woken for her goal", || endpoint.hits("rosa-tablet").len() == tablet_before + 1).await?;
    tokio::time::sleep(COALESCE * 2).await;
    assert_eq!(endpoint.hits("will").len(), 2, "Will may not see the goal, so he is not woken for it");

    // Will opens the app: his event stream tells him, and no wake-up is sent.
    let stream = server.http.get(server.url("/v1/sync/events")).bearer_auth(&will_phone).send().await?;
    assert_eq!(stream.status(), 200);
    tokio::time::sleep(Duration::from_millis(200)).await;
    server.push_ok(&rosa_phone, &[message(&rosa, "r", "are you there?")]).await?;
    tokio::time::sleep(COALESCE * 2).await;
    assert_eq!(endpoint.hits("will").len(), 2, "a device with its stream open is not woken");
    drop(stream);
    tokio::time::sleep(Duration::from_millis(200)).await;

    // The service says Will's subscription is gone: it is woken no more.
    endpoint.gone.lock().map_err(|_| fail("poisoned"))?.push("will".into());
    server.push_ok(&rosa_phone, &[message(&rosa, "r", "hello?")]).await?;
    let db = server.db.clone();
    let started = Instant::now();
    while !db.push_registrations(std::slice::from_ref(&will)).await?.is_empty() {
        if started.elapsed() > Duration::from_secs(10) {
            return Err(fail("a gone registration was kept"));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(db.push_registrations(std::slice::from_ref(&rosa)).await?.len(), 2, "Rosa's registrations stay");

    // Bad registrations: refused with the field at fault; what was kept stays.
    let kept = db.push_registrations(std::slice::from_ref(&rosa)).await?;
    let mut plain_http = subscription(&origin, "rosa-tablet")?;
    plain_http["endpoint"] = json!("http://push.example.org/x");
    let mut short_key = subscription(&origin, "rosa-tablet")?;
    short_key["p256dh"] = json!("AAAA");
    for (what, body, field) in [
        ("an http endpoint", plain_http, "endpoint"),
        ("a key too short", short_key, "p256dh"),
        ("an APNs token on a server without APNs", json!({"kind": "apns", "device_token": "00ff"}), "kind"),
    ] {
        let (status, answer) = server.put("/v1/devices/push", Some(&rosa_tablet), &body).await?;
        assert_eq!((status.as_u16(), code(&answer), answer["error"]["field"].as_str()), (422, "validation_failed", Some(field)), "{what}");
    }
    let (status, _) = server.put("/v1/devices/push", Some(&rosa_tablet), &json!({"kind": "pigeon"})).await?;
    assert!(status.is_client_error());
    assert_eq!(db.push_registrations(std::slice::from_ref(&rosa)).await?, kept, "nothing refused changed what is kept");

    // Rosa's tablet stops being woken when it asks.
    assert_eq!(server.delete("/v1/devices/push", Some(&rosa_tablet)).await?.0, 200);
    assert_eq!(db.push_registrations(std::slice::from_ref(&rosa)).await?.len(), 1);
    server.stop().await
}

on_every_backend!(wake_ups_go_to_who_may_see_and_nobody_else);
