//! Sync throughput, end to end: phones (the core, encrypted stores) and a real
//! server on loopback over SQLite, each figure beside a baseline measured in
//! the same run.
//!
//!     cargo bench -p alongside-e2e --bench sync
//!
//! - push: one phone with 10,000 local changes (check-ins and goals made
//!   through the typed API) pushes its outbox (`sync::push`, batches of 500);
//! - pull and merge: a second phone of the same participant pulls and merges
//!   them (`sync::pull`);
//! - initial sync: a fresh phone pulls 100,000 changes already on the server;
//! - baselines: the same 10,000 changes applied by the server store's own push
//!   (no HTTP, no JSON), and the same rows as raw rusqlite INSERTs into the
//!   server's tables, one transaction per batch.

use std::time::{Duration, Instant};

use alongside_core::Change;
use alongside_core::hlc::wall_clock_ms;
use alongside_core::model::{CheckIn, Goal, GoalArea, GoalStatus};
use alongside_core::protocol::MAX_PULL_LIMIT;
use alongside_core::sync::{SyncReport, pull, push};
use alongside_harness::{Backend, Phone, Server, TestResult, fail};
use alongside_server::clock::Clock;
use alongside_server::policy::Actor;
use alongside_server::store::{Database, Role};
use alongside_server::sync::PushContext;
use chrono::{Duration as Span, Utc};
use rusqlite::{Connection, params};
use serde_json::{Map, Value};

/// Changes one phone pushes, and a second pulls.
const CHANGES: usize = 10_000;
/// Changes on the server before a fresh device's first sync.
const INITIAL: usize = 100_000;
/// Repetitions of the 10,000-change figures, and of the initial sync.
const REPS: usize = 5;
const INITIAL_REPS: usize = 3;
/// The core's push batch, used by the baselines too.
const BATCH: usize = 500;
/// Batch of the server-side load of the initial-sync data (the protocol's maximum).
const LOAD_BATCH: usize = 1000;

const PUSH_TARGET: f64 = 30_000.0;
const INITIAL_TARGET: Duration = Duration::from_secs(2);

fn main() -> TestResult {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    runtime.block_on(run())
}

/// Medians of each figure.
#[derive(Debug, Default)]
struct Samples {
    create: Vec<Duration>,
    push: Vec<Duration>,
    pull: Vec<Duration>,
    store_push: Vec<Duration>,
    raw_insert: Vec<Duration>,
    initial_load: Vec<Duration>,
    initial_sync: Vec<Duration>,
    initial_fetch: Vec<Duration>,
    phone_raw: Vec<Duration>,
}

/// `cargo bench -p alongside-e2e --bench sync -- initial` runs only the
/// initial sync (`push` only the 10,000-change figures), for profiling.
async fn run() -> TestResult {
    let only: Vec<String> = std::env::args().skip(1).filter(|arg| !arg.starts_with("--")).collect();
    let wanted = |part: &str| only.is_empty() || only.iter().any(|o| o == part);
    let mut samples = Samples::default();
    if wanted("push") {
        for rep in 0..REPS {
            push_and_pull(rep, &mut samples).await?;
        }
    }
    if wanted("initial") {
        initial_sync(&mut samples).await?;
    }
    report(&samples);
    Ok(())
}

/// One repetition on a fresh server: create, push, pull; then both baselines
/// with the same changes, each on a fresh database of its own.
async fn push_and_pull(rep: usize, samples: &mut Samples) -> TestResult {
    let server = Server::start(Backend::Sqlite).await?;
    let jess = server.add_user("jess", Role::Participant).await?;
    let phone_a = Phone::new(&server, &server.base, &jess, "phone").await?;
    let phone_b = Phone::new(&server, &server.base, &jess, "tablet").await?;

    let started = Instant::now();
    let now = Utc::now();
    for i in 0..CHANGES {
        if i % 4 == 3 {
            phone_a.store.create(&goal(&jess, i))?;
        } else {
            phone_a.store.create(&check_in(&jess, now, i))?;
        }
    }
    samples.create.push(started.elapsed());
    let changes = phone_a.store.pending_changes(CHANGES)?;

    let started = Instant::now();
    let pushed = push(&phone_a.store, &phone_a.client).await?;
    samples.push.push(started.elapsed());
    expect(&pushed, CHANGES, 0, "push")?;

    let started = Instant::now();
    let pulled = pull(&phone_b.store, &phone_b.client).await?;
    samples.pull.push(started.elapsed());
    if pulled.pulled != CHANGES {
        return Err(fail(format!("rep {rep}: pulled {} changes, expected {CHANGES}", pulled.pulled)));
    }
    server.stop().await?;

    samples.store_push.push(store_push(&jess, &changes).await?);
    samples.raw_insert.push(raw_insert(&jess, &changes).await?);
    Ok(())
}

/// The same changes through the server store's push, batch by batch: the
/// sync rules and the storage, without HTTP or JSON.
async fn store_push(user_id: &str, changes: &[Change]) -> TestResult<Duration> {
    let dir = tempfile::tempdir()?;
    let db = Database::open(&format!("sqlite://{}", dir.path().join("store.db").display())).await?;
    let actor = Actor { user_id: user_id.to_owned(), role: Role::Participant };
    let started = Instant::now();
    for batch in changes.chunks(BATCH) {
        let results = alongside_server::sync::push(&db, PushContext::at(actor.clone(), &Clock::default()), batch.into()).await?;
        if results.len() != batch.len() {
            return Err(fail("the store answered a batch with the wrong number of results"));
        }
    }
    Ok(started.elapsed())
}

/// The rows the server's push writes for the same changes (one `records` row
/// and one `applied_changes` row each), as raw INSERTs into the server's own
/// tables: one transaction and one prepared statement per batch. The row
/// texts are made beforehand; this is the storage floor.
async fn raw_insert(user_id: &str, changes: &[Change]) -> TestResult<Duration> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("raw.db");
    // Opening it as the server does creates the tables.
    drop(Database::open(&format!("sqlite://{}", path.display())).await?);
    let rows = changes.iter().map(|change| RawRow::of(change, user_id)).collect::<TestResult<Vec<_>>>()?;
    let now_ms = i64::try_from(wall_clock_ms())?;
    tokio::task::spawn_blocking(move || -> TestResult<Duration> {
        let mut conn = Connection::open(&path)?;
        conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")?;
        let started = Instant::now();
        let mut seq = 0i64;
        for batch in rows.chunks(BATCH) {
            let tx = conn.transaction()?;
            {
                let mut record = tx.prepare_cached(
                    "INSERT INTO records (collection, record_id, participant_id, fields, clocks, authors, first_author_id, seq)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )?;
                let mut applied =
                    tx.prepare_cached("INSERT INTO applied_changes (participant_id, change_id, received_at) VALUES (?1, ?2, ?3)")?;
                for row in batch {
                    seq += 1;
                    record.execute(params![
                        row.collection,
                        row.record_id,
                        row.participant_id,
                        row.fields,
                        row.clocks,
                        row.authors,
                        row.author,
                        seq
                    ])?;
                    applied.execute(params![row.participant_id, row.change_id, now_ms])?;
                }
                // One participant's sequence, as the server's push keeps it.
                if let Some(row) = batch.first() {
                    tx.execute(
                        "INSERT INTO participant_seq (participant_id, seq) VALUES (?1, ?2)
                         ON CONFLICT (participant_id) DO UPDATE SET seq = excluded.seq",
                        params![row.participant_id, seq],
                    )?;
                }
            }
            tx.commit()?;
        }
        Ok(started.elapsed())
    })
    .await?
}

/// One server row, encoded.
struct RawRow {
    change_id: String,
    collection: String,
    record_id: String,
    participant_id: String,
    fields: String,
    clocks: String,
    authors: String,
    author: String,
}

impl RawRow {
    fn of(change: &Change, author: &str) -> TestResult<RawRow> {
        let stamp = |value: &str| -> Map<String, Value> { change.fields.keys().map(|name| (name.clone(), Value::from(value))).collect() };
        Ok(RawRow {
            change_id: change.change_id.clone(),
            collection: change.collection.clone(),
            record_id: change.record_id.clone(),
            participant_id: change.participant_id.clone(),
            fields: serde_json::to_string(&change.fields)?,
            clocks: serde_json::to_string(&stamp(&change.hlc))?,
            authors: serde_json::to_string(&stamp(author))?,
            author: author.to_owned(),
        })
    }
}

/// 100,000 changes loaded straight into the server store, then fresh phones
/// of the participant sync for the first time.
async fn initial_sync(samples: &mut Samples) -> TestResult {
    let server = Server::start(Backend::Sqlite).await?;
    let sam = server.add_user("sam", Role::Participant).await?;
    let actor = Actor { user_id: sam.clone(), role: Role::Participant };
    let now = Utc::now();
    // HLCs in the recent past, one millisecond apart, from one loader device.
    let first_ms = wall_clock_ms().saturating_sub(INITIAL as u64 + 60_000);
    let started = Instant::now();
    for start in (0..INITIAL).step_by(LOAD_BATCH) {
        let batch = (start..(start + LOAD_BATCH).min(INITIAL))
            .map(|i| loaded_check_in(&sam, now, first_ms + i as u64, i))
            .collect::<TestResult<Vec<_>>>()?;
        let results = alongside_server::sync::push(&server.db, PushContext::at(actor.clone(), &Clock::default()), batch.into()).await?;
        if let Some(refused) = results.iter().find(|r| r.error.is_some()) {
            return Err(fail(format!("the load was refused: {refused:?}")));
        }
    }
    samples.initial_load.push(started.elapsed());

    for rep in 0..INITIAL_REPS {
        let phone = Phone::new(&server, &server.base, &sam, &format!("new phone {rep}")).await?;
        let started = Instant::now();
        let report = pull(&phone.store, &phone.client).await?;
        samples.initial_sync.push(started.elapsed());
        if report.pulled != INITIAL {
            return Err(fail(format!("initial sync pulled {} changes, expected {INITIAL}", report.pulled)));
        }
        // The same pages fetched and decoded only: the server's and HTTP's share.
        let token = phone.store.session()?.ok_or_else(|| fail("the phone is not signed in"))?.token;
        let started = Instant::now();
        let (mut cursor, mut fetched) = (None, 0);
        loop {
            let page = phone.client.pull(&token, cursor.as_deref(), MAX_PULL_LIMIT).await?;
            fetched += page.changes.len();
            cursor = Some(page.cursor);
            if !page.has_more {
                break;
            }
        }
        samples.initial_fetch.push(started.elapsed());
        if fetched != INITIAL {
            return Err(fail(format!("fetching the pages gave {fetched} changes, expected {INITIAL}")));
        }
    }
    server.stop().await?;
    for _ in 0..INITIAL_REPS {
        samples.phone_raw.push(phone_raw_insert(&sam, now, first_ms)?);
    }
    Ok(())
}

/// The rows an initial sync leaves in a phone's store, as raw INSERTs into a
/// fresh encrypted store's `records` table, 1000 per transaction (a pull
/// page), with the store's own settings: the phone's storage floor.
fn phone_raw_insert(participant_id: &str, now: chrono::DateTime<Utc>, first_ms: u64) -> TestResult<Duration> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("phone.db");
    drop(alongside_core::Store::open(&path, &alongside_harness::KEY)?);
    let mut conn = Connection::open(&path)?;
    let key: String = alongside_harness::KEY.iter().map(|b| format!("{b:02x}")).collect();
    conn.execute_batch(&format!(
        "PRAGMA key = \"x'{key}'\"; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;
         PRAGMA temp_store = MEMORY; PRAGMA cache_size = -8000;"
    ))?;
    let mut took = Duration::ZERO;
    for start in (0..INITIAL).step_by(MAX_PULL_LIMIT) {
        // Rows are encoded before the clock starts: only the storage is timed.
        let mut rows = Vec::with_capacity(MAX_PULL_LIMIT);
        for i in start..(start + MAX_PULL_LIMIT).min(INITIAL) {
            let change = loaded_check_in(participant_id, now, first_ms + i as u64, i)?;
            let clocks: Map<String, Value> = change.fields.keys().map(|name| (name.clone(), Value::from(change.hlc.as_str()))).collect();
            rows.push((change.record_id, serde_json::to_string(&change.fields)?, serde_json::to_string(&clocks)?));
        }
        let started = Instant::now();
        let tx = conn.transaction()?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO records (collection, record_id, participant_id, fields, clocks, status, deleted)
                 VALUES ('check_ins', ?1, ?2, ?3, ?4, NULL, 0)",
            )?;
            for (record_id, fields, clocks) in &rows {
                insert.execute(params![record_id, participant_id, fields, clocks])?;
            }
        }
        tx.commit()?;
        took += started.elapsed();
    }
    Ok(took)
}

fn check_in(participant_id: &str, now: chrono::DateTime<Utc>, i: usize) -> CheckIn {
    CheckIn {
        id: String::new(),
        participant_id: participant_id.to_owned(),
        at: now - Span::minutes(i as i64),
        mood: (i % 5 + 1) as i64,
        craving: Some((i % 11) as i64),
        note: Some(format!("check-in {i}: slept badly, the kids were up early, went for a walk after drop-off")),
        deleted: false,
    }
}

fn goal(participant_id: &str, i: usize) -> Goal {
    Goal {
        id: String::new(),
        participant_id: participant_id.to_owned(),
        title: format!("Goal {i}: get the kids to school on time"),
        description: Some("Leave by 7:40, bags packed the night before".into()),
        area: GoalArea::Parenting,
        status: GoalStatus::Active,
        target_date: None,
        gas_levels: None,
        gas_score: Some((i % 5) as i64 - 2),
        gas_weight: None,
        deleted: false,
    }
}

/// A check-in change as a device would have pushed it (with the core's ids).
fn loaded_check_in(participant_id: &str, now: chrono::DateTime<Utc>, ms: u64, i: usize) -> TestResult<Change> {
    let record = check_in(participant_id, now, i);
    let Value::Object(fields) = serde_json::to_value(&record)? else { return Err(fail("a check-in is not a JSON object")) };
    Ok(Change {
        change_id: alongside_core::ids::new_id(),
        collection: "check_ins".into(),
        record_id: alongside_core::ids::new_id(),
        participant_id: participant_id.to_owned(),
        hlc: format!("{ms:013}-0000-bench-loader"),
        fields,
        base: None,
        author_id: None,
    })
}

fn expect(report: &SyncReport, pushed: usize, rejected: usize, what: &str) -> TestResult {
    if (report.pushed, report.rejected) == (pushed, rejected) {
        Ok(())
    } else {
        Err(fail(format!("{what}: {} pushed and {} rejected, expected {pushed} and {rejected}", report.pushed, report.rejected)))
    }
}

fn median(samples: &[Duration]) -> Duration {
    let mut sorted = samples.to_vec();
    sorted.sort();
    sorted.get(sorted.len() / 2).copied().unwrap_or_default()
}

fn rate(count: usize, took: Duration) -> f64 {
    count as f64 / took.as_secs_f64().max(f64::MIN_POSITIVE)
}

fn report(samples: &Samples) {
    let met = |ok: bool| if ok { "met" } else { "MISSED" };
    println!();
    println!(
        "alongside sync benchmark: SQLite server on loopback, 2 tokio workers, medians of {REPS} runs ({INITIAL_REPS} for initial sync)"
    );
    let row = |name: &str, value: String, target: &str, verdict: &str, ratio: String| {
        println!("{name:<50} {value:>16}   {target:<12} {verdict:<8} {ratio}");
    };
    row("figure", "value".into(), "target", "", "ratio".into());
    if !samples.push.is_empty() {
        let push = rate(CHANGES, median(&samples.push));
        let pull = rate(CHANGES, median(&samples.pull));
        let store_push = rate(CHANGES, median(&samples.store_push));
        let raw = rate(CHANGES, median(&samples.raw_insert));
        row(
            "push end to end (10,000 changes)",
            format!("{push:.0} ch/s"),
            "≥ 30000 ch/s",
            met(push >= PUSH_TARGET),
            format!("{:.2} × target; {:.2} × store push; {:.2} × raw INSERT", push / PUSH_TARGET, push / store_push, push / raw),
        );
        row("pull and merge (10,000 changes)", format!("{pull:.0} ch/s"), "", "", format!("{:.2} × push", pull / push));
        row(
            "baseline: server store push, no HTTP/JSON",
            format!("{store_push:.0} ch/s"),
            "",
            "",
            format!("{:.2} × raw INSERT", store_push / raw),
        );
        row("baseline: raw rusqlite INSERT, server tables", format!("{raw:.0} ch/s"), "", "", String::new());
    }
    if !samples.initial_sync.is_empty() {
        let initial = median(&samples.initial_sync);
        let fetch = median(&samples.initial_fetch);
        row(
            "initial sync of a fresh device (100,000 changes)",
            format!("{:.2} s", initial.as_secs_f64()),
            "< 2 s",
            met(initial < INITIAL_TARGET),
            format!("{:.2} × target; {:.0} ch/s", initial.as_secs_f64() / INITIAL_TARGET.as_secs_f64(), rate(INITIAL, initial)),
        );
        let phone_raw = median(&samples.phone_raw);
        row(
            "  for comparison: the same pages over HTTP, no merge",
            format!("{:.2} s", fetch.as_secs_f64()),
            "",
            "",
            format!("{:.2} × initial sync", fetch.as_secs_f64() / initial.as_secs_f64()),
        );
        row(
            "baseline: raw INSERT of those rows, phone store",
            format!("{:.2} s", phone_raw.as_secs_f64()),
            "",
            "",
            format!("initial sync is {:.2} × this", initial.as_secs_f64() / phone_raw.as_secs_f64()),
        );
    }
    println!(
        "(no target: medians of 10,000 local creates {}; of loading 100,000 changes into the server store {})",
        seconds(&samples.create),
        seconds(&samples.initial_load)
    );
}

fn seconds(samples: &[Duration]) -> String {
    if samples.is_empty() { "not run".into() } else { format!("{:.2} s", median(samples).as_secs_f64()) }
}
