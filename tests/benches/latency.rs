//! How fast help arrives: a participant's phone sends an urgent reach-out while
//! both phones are online; the peer worker's phone runs the real sync engine in
//! the foreground (listening to `GET /v1/sync/events`, periodic sync an hour
//! away, so only the event can bring it). Measured: from the participant's tap
//! until the reach-out is in the peer worker's local store, over 100 tries.
//!
//!     cargo bench -p alongside-e2e --bench latency
//!     tests/with-postgres.sh env ALONGSIDE_BENCH_BACKEND=postgres cargo bench -p alongside-e2e --bench latency
//!
//! Target: p95 < 2 s.

use std::time::{Duration, Instant};

use alongside_core::model::{Profile, ReachOut, Urgency};
use alongside_core::sync::{Delivery, SyncConfig, reach_out};
use alongside_harness::{Backend, Phone, Server, TestResult, fail};
use alongside_server::store::Role;

const TRIES: usize = 100;
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
    let server = Server::start(backend).await?;
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
    let engine = will.engine(config);
    engine.set_foreground(true);
    let rosa_engine = rosa.engine(config);
    // Let the first pass and the stream settle.
    engine.sync_now().await?;
    tokio::time::sleep(Duration::from_millis(500)).await;

    let mut samples = Vec::with_capacity(TRIES);
    let mut lost = 0;
    for _ in 0..TRIES {
        let started = Instant::now();
        let answer = reach_out(
            &rosa.store,
            &rosa_engine,
            &rosa_id,
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
    engine.stop();
    samples.sort();
    let (p50, p95, max) = (percentile(&samples, 0.50), percentile(&samples, 0.95), samples.last().copied().unwrap_or_default());
    println!("urgent reach-out, participant's tap → peer worker's device ({backend:?}, {TRIES} tries, engine in the foreground)");
    println!("  p50 {:>7.1} ms   p95 {:>7.1} ms   max {:>7.1} ms   lost {lost}", ms(p50), ms(p95), ms(max));
    println!("  target p95 < {} ms: {}", TARGET_P95.as_millis(), if p95 < TARGET_P95 && lost == 0 { "met" } else { "NOT MET" });
    server.stop().await
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}
