//! Load: 500 simulated devices (participants and peer workers, each with its
//! own HTTP client, token and cursor, speaking the protocol through the core's
//! `SyncClient`) syncing concurrently against the server on loopback: on
//! SQLite, and when `ALONGSIDE_TEST_POSTGRES_URL` is set, on PostgreSQL with
//! one instance and with two (devices split between them, as a load balancer
//! would).
//!
//!     cargo bench -p alongside-e2e --bench load
//!     tests/with-postgres.sh cargo bench -p alongside-e2e --bench load
//!
//! A sync is what a phone does: push what it wrote since (a participant a
//! check-in and a message, a peer worker a message to someone on their
//! caseload), then pull from its cursor until nothing is left. Two runs per
//! backend:
//!
//! - steady: every device syncs every `ALONGSIDE_LOAD_INTERVAL_MS` (2000 by
//!   default, jittered) for `ALONGSIDE_LOAD_SECS` (30): sustained syncs/s and
//!   p50/p99 latency of a sync. Target: p99 < 250 ms at 500 devices.
//! - saturated: every device syncs back to back for 8 s: the most syncs/s.
//!   `ALONGSIDE_LOAD_ROUNDS` (3) rounds, interleaved across the setups; the
//!   median round of each, and its ratio to SQLite's, closes the report.
//!
//! The load generator runs in the same process as the server, on the same
//! 2-core machine, so the figures are conservative. The server has a tokio
//! runtime of its own (as it would in its own process): otherwise its tasks
//! wait in one queue behind 500 devices', and a PostgreSQL transaction stays
//! open, idle, while the task holding it waits its turn.

use std::sync::Arc;
use std::time::{Duration, Instant};

use alongside_core::Change;
use alongside_core::sync::{SyncClient, Timeouts};
use alongside_harness::{Backend, Server, TestResult, fail};
use alongside_server::store::Role;
use serde_json::{Map, Value, json};
use tokio::sync::Mutex;

const DEVICES: usize = 500;
/// One peer worker per this many devices; the rest are participants.
const PARTICIPANTS_PER_PEER: usize = 4;
const TARGET_P99: Duration = Duration::from_millis(250);

fn main() -> TestResult {
    let devices = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    let servers = tokio::runtime::Builder::new_multi_thread().worker_threads(2).thread_name("server").enable_all().build()?;
    let outcome = devices.block_on(run(servers.handle()));
    drop(devices);
    drop(servers);
    outcome
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

async fn run(servers: &tokio::runtime::Handle) -> TestResult {
    let interval = Duration::from_millis(env_u64("ALONGSIDE_LOAD_INTERVAL_MS", 2000));
    let seconds = Duration::from_secs(env_u64("ALONGSIDE_LOAD_SECS", 30));
    let mut setups = vec![(Backend::Sqlite, 1)];
    if std::env::var("ALONGSIDE_TEST_POSTGRES_URL").is_ok() {
        setups.extend([(Backend::Postgres, 1), (Backend::Postgres, 2)]);
    }
    for &(backend, instances) in &setups {
        let steady = measure(servers, backend, instances, Some(interval), seconds).await?;
        report(backend, instances, &format!("steady, each device every {} ms", interval.as_millis()), &steady);
    }
    // Saturation in interleaved rounds, so a slow spell of a shared machine
    // falls on every setup alike; each setup's median round is its figure.
    let rounds = env_u64("ALONGSIDE_LOAD_ROUNDS", 3);
    let mut rates: Vec<Vec<f64>> = vec![Vec::new(); setups.len()];
    for round in 1..=rounds {
        for (index, &(backend, instances)) in setups.iter().enumerate() {
            let saturated = measure(servers, backend, instances, None, Duration::from_secs(8)).await?;
            report(backend, instances, &format!("saturated, back to back, round {round}"), &saturated);
            rates[index].push(saturated.latencies.len() as f64 / saturated.elapsed.as_secs_f64());
        }
    }
    let medians: Vec<f64> = rates
        .iter_mut()
        .map(|rates| {
            rates.sort_by(f64::total_cmp);
            rates.get(rates.len() / 2).copied().unwrap_or(0.0)
        })
        .collect();
    for (&(backend, instances), median) in setups.iter().zip(&medians) {
        let ratio = median / medians[0].max(f64::MIN_POSITIVE);
        println!("{backend:?} ×{instances}, saturated, median of {rounds} rounds: {median:.0} syncs/s = {ratio:.2}× SQLite's");
    }
    Ok(())
}

/// One device: who it is, whose records it writes, its client and cursor.
struct Device {
    user_id: String,
    /// The participant whose records this device writes.
    writes_for: String,
    client: SyncClient,
    token: String,
    cursor: Mutex<Option<String>>,
    node: String,
    counter: std::sync::atomic::AtomicU32,
}

#[derive(Debug, Default)]
struct Outcome {
    latencies: Vec<Duration>,
    elapsed: Duration,
    errors: usize,
    /// Pushes and pull pages answered 200, and the changes those pages held.
    pushes: usize,
    pull_pages: usize,
    pulled: usize,
    /// The servers' own counts of the same, scraped from their metrics.
    scraped: Scraped,
}

/// What the servers' metrics endpoints said.
#[derive(Debug, Default, Clone, Copy)]
struct Scraped {
    pushes: f64,
    pull_pages: f64,
    pulled: f64,
}

impl Scraped {
    async fn from(servers: &[&Server]) -> TestResult<Scraped> {
        let mut scraped = Scraped::default();
        for server in servers {
            scraped.pushes += server.metric("alongside_sync_pushes_total").await?;
            scraped.pull_pages += server.metric("alongside_sync_pulls_total").await?;
            scraped.pulled += server.metric("alongside_sync_pulled_changes_total").await?;
        }
        Ok(scraped)
    }
}

async fn measure(
    servers: &tokio::runtime::Handle,
    backend: Backend,
    instances: usize,
    interval: Option<Duration>,
    duration: Duration,
) -> TestResult<Outcome> {
    // Started on the servers' runtime, so that is where they serve.
    let (server, others) = servers
        .spawn(async move {
            // Every instance serves its metrics, scraped during and after the run.
            let config = || alongside_server::ServerConfig { metrics_listen: "127.0.0.1:0".parse().ok(), ..Default::default() };
            let server = Server::start_with(backend, config()).await?;
            let mut others = Vec::new();
            for _ in 1..instances {
                others.push(server.another_instance(config()).await?);
            }
            Ok::<_, alongside_harness::BoxError>((server, others))
        })
        .await??;
    let urls: Vec<String> = std::iter::once(server.base.clone()).chain(others.iter().map(|o| o.base.clone())).collect();
    let timeouts = Timeouts { request: Duration::from_secs(30), ..Timeouts::default() };
    let mut devices = Vec::with_capacity(DEVICES);
    let peers = DEVICES / (PARTICIPANTS_PER_PEER + 1);
    let mut peer_ids = Vec::new();
    for p in 0..peers {
        peer_ids.push(server.add_user(&format!("peer{p}"), Role::PeerWorker).await?);
    }
    let mut participants = Vec::new();
    for i in 0..DEVICES - peers {
        let id = server.add_user(&format!("participant{i}"), Role::Participant).await?;
        let peer = &peer_ids[i % peers];
        server.assign(peer, &id).await?;
        participants.push((id, peer.clone()));
    }
    for (index, (id, _)) in participants.iter().enumerate() {
        devices.push(device(&server, &urls[index % urls.len()], id, id, timeouts).await?);
    }
    for (index, peer) in peer_ids.iter().enumerate() {
        // A participant on this peer worker's caseload to message.
        let participant = participants.iter().find(|(_, p)| p == peer).map(|(id, _)| id.clone()).unwrap_or_default();
        devices.push(device(&server, &urls[index % urls.len()], peer, &participant, timeouts).await?);
    }
    let devices: Vec<Arc<Device>> = devices.into_iter().map(Arc::new).collect();
    let started = Instant::now();
    let deadline = started + duration;
    let mut tasks = Vec::with_capacity(devices.len());
    for (index, device) in devices.iter().enumerate() {
        let device = Arc::clone(device);
        tasks.push(tokio::spawn(async move {
            let mut outcome = Outcome::default();
            if let Some(interval) = interval {
                // Spread the first syncs over one interval.
                let offset = interval.mul_f64((index as f64 * 0.618_034) % 1.0);
                tokio::time::sleep(offset).await;
            }
            let mut next = Instant::now();
            // Bounded: at most one sync per millisecond of the run.
            for _ in 0..duration.as_millis() {
                if Instant::now() >= deadline {
                    break;
                }
                let began = Instant::now();
                match sync(&device, &mut outcome).await {
                    Ok(()) => outcome.latencies.push(began.elapsed()),
                    Err(_) => outcome.errors += 1,
                }
                if let Some(interval) = interval {
                    next += interval;
                    let now = Instant::now();
                    if next > now {
                        tokio::time::sleep(next - now).await;
                    } else {
                        next = now;
                    }
                }
            }
            outcome
        }));
    }
    // A scrape in the middle of the run, as Prometheus would make: the
    // endpoint answers under load.
    tokio::time::sleep(duration / 2).await;
    let instances: Vec<&Server> = std::iter::once(&server).chain(others.iter()).collect();
    let halfway = Scraped::from(&instances).await?;
    let mut all = Outcome::default();
    for task in tasks {
        let outcome = task.await?;
        all.latencies.extend(outcome.latencies);
        all.errors += outcome.errors;
        all.pushes += outcome.pushes;
        all.pull_pages += outcome.pull_pages;
        all.pulled += outcome.pulled;
    }
    all.elapsed = started.elapsed();
    all.scraped = Scraped::from(&instances).await?;
    if halfway.pushes <= 0.0 || halfway.pushes > all.scraped.pushes {
        return Err(fail(format!("the halfway scrape ({halfway:?}) does not fit the run")));
    }
    for other in others {
        other.stop().await?;
    }
    server.stop().await?;
    Ok(all)
}

async fn device(server: &Server, url: &str, user_id: &str, writes_for: &str, timeouts: Timeouts) -> TestResult<Device> {
    let (token, device_id) = server.device_token(user_id, "load").await?;
    Ok(Device {
        user_id: user_id.to_owned(),
        writes_for: writes_for.to_owned(),
        client: SyncClient::new(url, timeouts)?,
        token,
        cursor: Mutex::new(None),
        node: device_id,
        counter: std::sync::atomic::AtomicU32::new(0),
    })
}

fn change(device: &Device, collection: &str, fields: Value) -> Change {
    let counter = device.counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed) % 0xffff;
    let ms = alongside_core::hlc::wall_clock_ms();
    Change {
        change_id: uuid::Uuid::new_v4().to_string(),
        collection: collection.to_owned(),
        record_id: uuid::Uuid::new_v4().to_string(),
        participant_id: device.writes_for.clone(),
        hlc: format!("{ms:013}-{counter:04x}-{}", device.node),
        fields: fields.as_object().cloned().unwrap_or_else(Map::new),
        base: None,
        author_id: None,
    }
}

/// One sync: push, then pull until done; counts what the server answered.
async fn sync(device: &Device, outcome: &mut Outcome) -> TestResult {
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let mut changes = vec![change(device, "messages", json!({"body": "How are you doing today?", "sent_at": now}))];
    if device.user_id == device.writes_for {
        changes.push(change(device, "check_ins", json!({"at": now, "mood": 4, "craving": 2})));
    }
    let response = device.client.push(&device.token, changes).await?;
    outcome.pushes += 1;
    if response.results.iter().any(|r| r.error.is_some()) {
        return Err(fail(format!("rejected: {:?}", response.results)));
    }
    let mut cursor = device.cursor.lock().await;
    for _ in 0..1000 {
        let page = device.client.pull(&device.token, cursor.as_deref(), 500).await?;
        outcome.pull_pages += 1;
        outcome.pulled += page.changes.len();
        *cursor = Some(page.cursor);
        if !page.has_more {
            return Ok(());
        }
    }
    Err(fail("pull never ended"))
}

fn report(backend: Backend, instances: usize, run: &str, outcome: &Outcome) {
    let mut sorted = outcome.latencies.clone();
    sorted.sort();
    let at = |p: f64| {
        let index = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len().max(1)) - 1;
        sorted.get(index).copied().unwrap_or_default().as_secs_f64() * 1000.0
    };
    let rate = sorted.len() as f64 / outcome.elapsed.as_secs_f64();
    println!(
        "{backend:?} ×{instances}, {DEVICES} devices, {run}: {} syncs in {:.1} s = {rate:.0} syncs/s; p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; \
         {} changes pulled; {} errors{}",
        sorted.len(),
        outcome.elapsed.as_secs_f64(),
        at(0.50),
        at(0.99),
        at(1.0),
        outcome.pulled,
        outcome.errors,
        if run.starts_with("steady") {
            if at(0.99) < TARGET_P99.as_secs_f64() * 1000.0 { "; target p99 < 250 ms met" } else { "; target p99 < 250 ms NOT met" }
        } else {
            ""
        }
    );
    let scraped = outcome.scraped;
    let same = scraped.pushes as usize == outcome.pushes
        && scraped.pull_pages as usize == outcome.pull_pages
        && scraped.pulled as usize == outcome.pulled;
    println!(
        "    metrics scraped: {} pushes, {} pull pages, {} changes pulled; the benchmark counted {}, {}, {}: {}",
        scraped.pushes,
        scraped.pull_pages,
        scraped.pulled,
        outcome.pushes,
        outcome.pull_pages,
        outcome.pulled,
        if same { "the same" } else { "NOT the same (requests cut off by a client timeout still count on the server)" }
    );
}
