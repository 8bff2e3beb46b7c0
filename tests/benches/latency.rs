//! How fast help arrives: a participant's phone sends an urgent reach-out while
//! both phones are online; the peer worker's phone runs the real sync engine
//! (periodic sync an hour away), first in the foreground (listening to
//! `GET /v1/sync/events`), then in the background, where only the server's
//! Web Push wake-up (to a push service stand-in on loopback, which makes the
//! engine sync as a woken app would) can bring it. Measured: from the
//! participant's tap until the reach-out is in the peer worker's local store,
//! over 100 tries each. Then the time until the participant is offered
//! someone to call, with the server not answering.
//!
//!     cargo bench -p alongside-e2e --bench latency
//!     tests/with-postgres.sh env ALONGSIDE_BENCH_BACKEND=postgres cargo bench -p alongside-e2e --bench latency
//!
//! Target: p95 < 2 s.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use alongside_core::model::{Profile, ReachOut, Urgency};
use alongside_core::sync::{Delivery, SyncConfig, SyncEngine, reach_out};
use alongside_harness::proxy::{Fault, Proxy};
use alongside_harness::wake::{subscription, web_push_to};
use alongside_harness::{Backend, Phone, Server, TestResult, fail};
use alongside_server::store::Role;

const TRIES: usize = 100;
/// Each takes the whole deadline (3 s).
const FALLBACK_TRIES: usize = 5;
const TARGET_P95: Duration = Duration::from_secs(2);
/// A try that takes longer than this counts as lost.
const GIVE_UP: Duration = Duration::from_secs(10);

fn main() -> TestResult {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    runtime.block_on(run())
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len().max(1)) - 1;
    sorted.get(index).copied().unwrap_or_default()
}

async fn run() -> TestResult {
    let backend = match std::env::var("ALONGSIDE_BENCH_BACKEND").as_deref() {
        Ok("postgres") => Backend::Postgres,
        _ => Backend::Sqlite,
    };
    // The peer worker's phone in the background is woken through Web Push:
    // a push service stand-in on loopback syncs it when the server calls.
    let (push_service, origin, woken) = push_service().await?;
    let server = Server::start_with(backend, web_push_to(&origin)?).await?;
    let rosa_id = server.add_user("rosa", Role::Participant).await?;
    let will_id = server.add_user("will", Role::PeerWorker).await?;
    server.assign(&will_id, &rosa_id).await?;
    let rosa = Phone::new(&server, &server.base, &rosa_id, "Rosa's phone").await?;
    let will = Phone::new(&server, &server.base, &will_id, "Will's phone").await?;
    rosa.store.create(&Profile {
        id: String::new(),
        participant_id: rosa_id.clone(),
        display_name: "Rosa".into(),
        pronouns: None,
        timezone: "America/Chicago".into(),
        deleted: false,
    })?;
    rosa.sync().await?;

    let config = SyncConfig {
        debounce: Duration::from_millis(100),
        periodic: Duration::from_secs(3600),
        backoff_base: Duration::from_millis(200),
        backoff_cap: Duration::from_secs(5),
        ..SyncConfig::default()
    };
    let engine = Arc::new(will.engine(config));
    let rosa_engine = rosa.engine(config);
    engine.sync_now().await?;

    // In the foreground: the event stream tells Will's phone.
    engine.set_foreground(true);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (samples, lost) = measure(&rosa, &rosa_engine, &will, TRIES).await?;
    report(
        &format!("urgent reach-out, participant's tap → peer worker's device ({backend:?}, {TRIES} tries, app in the foreground)"),
        samples,
        lost,
    );

    // In the background: no stream; the server's wake-up makes it sync.
    engine.set_foreground(false);
    *woken.lock().map_err(|_| fail("poisoned"))? = Some(Arc::clone(&engine));
    let token = will.store.session()?.ok_or_else(|| fail("Will is not signed in"))?.token;
    let subscription = subscription(&origin, "will")?;
    let (status, _) = server.put("/v1/devices/push", Some(&token), &subscription).await?;
    if status != 200 {
        return Err(fail(format!("registering for wake-ups answered {status}")));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (samples, lost) = measure(&rosa, &rosa_engine, &will, TRIES).await?;
    report(
        &format!(
            "urgent reach-out, participant's tap → wake-up → peer worker's device synced ({backend:?}, {TRIES} tries, app in the background)"
        ),
        samples,
        lost,
    );
    engine.stop();
    push_service.abort();

    // The server does not answer: how soon is Rosa offered someone to call?
    let proxy = Proxy::start(server.addr).await?;
    let stuck = Phone::new(&server, &proxy.url, &rosa_id, "Rosa's tablet").await?;
    proxy.set(Fault::Delay(Duration::from_secs(60)));
    let stuck_engine = stuck.engine(config);
    let mut fallback = Vec::new();
    for _ in 0..FALLBACK_TRIES {
        let started = Instant::now();
        let answer = reach_out(
            &stuck.store,
            &stuck_engine,
            &rosa_id,
            Urgency::Urgent,
            None,
            chrono::Utc::now(),
            alongside_core::i18n::Language::English,
        )
        .await?;
        if answer.delivery != Delivery::Waiting || answer.help.crisis_lines.is_empty() {
            return Err(fail("with no answer from the server, the reach-out waits and help is offered"));
        }
        fallback.push(started.elapsed());
    }
    fallback.sort();
    println!("time to the fallback (call instead), server not answering ({FALLBACK_TRIES} tries)");
    println!(
        "  p50 {:>7.1} ms   max {:>7.1} ms   target < 3500 ms: {}",
        ms(percentile(&fallback, 0.5)),
        ms(fallback.last().copied().unwrap_or_default()),
        if fallback.last().is_some_and(|max| *max < Duration::from_millis(3500)) { "met" } else { "NOT MET" }
    );
    stuck_engine.stop();
    server.stop().await
}

/// From Rosa's tap until the reach-out is in Will's store, `tries` times.
async fn measure(rosa: &Phone, rosa_engine: &SyncEngine, will: &Phone, tries: usize) -> TestResult<(Vec<Duration>, usize)> {
    let mut samples = Vec::with_capacity(tries);
    let mut lost = 0;
    for _ in 0..tries {
        let started = Instant::now();
        let answer = reach_out(
            &rosa.store,
            rosa_engine,
            &rosa.user_id,
            Urgency::Urgent,
            Some("Need to talk".into()),
            chrono::Utc::now(),
            alongside_core::i18n::Language::English,
        )
        .await?;
        let sent = answer.reach_out;
        if answer.delivery != Delivery::Delivered {
            return Err(fail("the participant is online: the reach-out must be delivered"));
        }
        loop {
            if will.store.get::<ReachOut>(&sent.id).is_ok() {
                samples.push(started.elapsed());
                break;
            }
            if started.elapsed() > GIVE_UP {
                lost += 1;
                break;
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    }
    samples.sort();
    Ok((samples, lost))
}

fn report(what: &str, samples: Vec<Duration>, lost: usize) {
    let (p50, p95, max) = (percentile(&samples, 0.50), percentile(&samples, 0.95), samples.last().copied().unwrap_or_default());
    println!("{what}");
    println!("  p50 {:>7.1} ms   p95 {:>7.1} ms   max {:>7.1} ms   lost {lost}", ms(p50), ms(p95), ms(max));
    println!("  target p95 < {} ms: {}", TARGET_P95.as_millis(), if p95 < TARGET_P95 && lost == 0 { "met" } else { "NOT MET" });
}

type Woken = Arc<Mutex<Option<Arc<SyncEngine>>>>;

/// A Web Push service on loopback: each wake-up it is given makes the
/// phone's engine (once set) run a pass, as a woken app would.
async fn push_service() -> TestResult<(tokio::task::JoinHandle<()>, String, Woken)> {
    let woken: Woken = Arc::default();
    let state = Arc::clone(&woken);
    let app = axum::Router::new().route(
        "/push/{device}",
        axum::routing::post(move || {
            let engine = state.lock().ok().and_then(|engine| engine.clone());
            async move {
                if let Some(engine) = engine {
                    tokio::spawn(async move {
                        let _ = engine.sync_now().await;
                    });
                }
                axum::http::StatusCode::CREATED
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let origin = format!("http://{}", listener.local_addr()?);
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok((task, origin, woken))
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}
