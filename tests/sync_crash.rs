//! A phone whose process is killed (SIGKILL, as the OS kills an app it needs
//! the memory of) at random points while it writes and syncs, 30 times over,
//! on one store. Nothing it reported as written may be lost, nothing may reach
//! the server twice, and after one good sync it must agree with another phone.
//!
//! The phone runs as a separate process: [`crashing_phone`], an ignored test in
//! this file, which does nothing unless the parent test gives it a store, a
//! server and a token through the environment.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::os::unix::process::ExitStatusExt as _;
use std::process::Stdio;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use alongside_core::Store;
use alongside_core::model::{CheckIn, Goal, GoalArea};
use alongside_core::store::{OutboxState, Session};
use alongside_core::sync::{SyncClient, Timeouts, sync_once};
use alongside_harness::{Backend, KEY, Phone, Server, TestResult, fail};
use alongside_server::store::Role;
use chrono::Utc;
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};

/// The phone process's test name.
const CHILD: &str = "crashing_phone";
const ROUNDS: usize = 30;
const ENV_STORE: &str = "ALONGSIDE_CRASH_STORE";
const ENV_URL: &str = "ALONGSIDE_CRASH_URL";
const ENV_TOKEN: &str = "ALONGSIDE_CRASH_TOKEN";
const ENV_DEVICE: &str = "ALONGSIDE_CRASH_DEVICE";
const ENV_USER: &str = "ALONGSIDE_CRASH_USER";
const ENV_ROUND: &str = "ALONGSIDE_CRASH_ROUND";

/// The phone: writes records and syncs, forever, until killed. It prints
/// `ready` once its store is open, then `created <id>` for each record after
/// the write has returned (so a printed id was committed), and `synced` after
/// each sync that succeeded.
#[tokio::test]
#[ignore = "the phone process of the crash test; it runs only when that test spawns it"]
async fn crashing_phone() -> TestResult {
    let var = |name| std::env::var(name).ok();
    let (Some(path), Some(url), Some(token), Some(device_id), Some(user_id)) =
        (var(ENV_STORE), var(ENV_URL), var(ENV_TOKEN), var(ENV_DEVICE), var(ENV_USER))
    else {
        return Ok(());
    };
    let round = var(ENV_ROUND).unwrap_or_default();
    let store = Arc::new(Store::open(&path, &KEY)?);
    store.set_session(Some(&Session {
        token,
        device_id,
        user_id: user_id.clone(),
        role: "participant".into(),
        display_name: "crashing phone".into(),
    }))?;
    let client = SyncClient::new(&url, Timeouts { connect: Duration::from_secs(1), request: Duration::from_secs(5) })?;
    let say = |line: String| -> TestResult {
        let mut stdout = std::io::stdout();
        stdout.write_all(format!("{line}\n").as_bytes())?;
        stdout.flush()?;
        Ok(())
    };
    say("ready".into())?;
    for n in 0_u64.. {
        for k in 0..=n % 3 {
            let check_in = store.create(&CheckIn {
                id: String::new(),
                participant_id: user_id.clone(),
                at: Utc::now(),
                mood: i64::try_from(k % 5 + 1)?,
                craving: Some(2),
                note: Some(format!("round {round}, pass {n}, check-in {k}")),
                deleted: false,
            })?;
            say(format!("created {}", check_in.id))?;
        }
        // One goal, renamed again and again: edits of a record the server has.
        match store.list::<Goal>(&user_id)?.into_iter().next() {
            Some(goal) => {
                store.update(&goal, &Goal { title: format!("Stay steady (round {round}, pass {n})"), ..goal.clone() })?;
            }
            None => {
                let goal = store.create(&Goal::new(&user_id, "Stay steady", GoalArea::Recovery))?;
                say(format!("created {}", goal.id))?;
            }
        }
        match sync_once(&store, &client, &|_| {}).await {
            Ok(_) => say("synced".into())?,
            Err(error) => say(format!("sync failed: {error}"))?,
        }
    }
    Ok(())
}

/// What one run of the phone process said before it was killed.
#[derive(Debug, Default)]
struct Run {
    created: Vec<String>,
    syncs: usize,
    failures: Vec<String>,
}

/// Runs the phone process once and kills it `after` its store is open.
async fn run_and_kill(server: &Server, env: &[(&str, String)], after: Duration) -> TestResult<Run> {
    let mut child = tokio::process::Command::new(std::env::current_exe()?)
        .args(["--exact", CHILD, "--ignored", "--nocapture", "--test-threads=1"])
        .envs(env.iter().map(|(name, value)| (*name, value.as_str())))
        .env(ENV_URL, &server.base)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()?;
    let stdout = child.stdout.take().ok_or_else(|| fail("the phone process has no stdout"))?;
    let mut stderr = child.stderr.take().ok_or_else(|| fail("the phone process has no stderr"))?;
    let (ready_tx, ready_rx) = tokio::sync::oneshot::channel::<()>();
    let reader = tokio::spawn(async move {
        let mut lines = BufReader::new(stdout).lines();
        let (mut seen, mut ready) = (Vec::new(), Some(ready_tx));
        while let Ok(Some(line)) = lines.next_line().await {
            // The test harness's "test crashing_phone ... " has no newline.
            if line.ends_with("ready")
                && let Some(ready) = ready.take()
            {
                let _ = ready.send(());
            }
            seen.push(line);
        }
        seen
    });
    let errors = tokio::spawn(async move {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text).await;
        text
    });
    let started = tokio::time::timeout(Duration::from_secs(10), ready_rx).await;
    tokio::time::sleep(after).await;
    child.start_kill()?;
    let status = child.wait().await?;
    let lines = reader.await?;
    let errors = errors.await?;
    if !matches!(started, Ok(Ok(()))) || status.signal() != Some(9) {
        let tail = lines.len().saturating_sub(20);
        return Err(fail(format!(
            "the phone process did not run until killed ({status:?}), the last it said:\n{}\n{errors}",
            lines[tail..].join("\n")
        )));
    }
    let mut run = Run::default();
    for line in lines {
        if let Some(id) = line.strip_prefix("created ") {
            // A line cut by the kill is not a whole id: that record was
            // written, but never reported, so it is not held against anyone.
            if uuid::Uuid::parse_str(id).is_ok() && id.len() == 36 {
                run.created.push(id.to_owned());
            }
        } else if line == "synced" {
            run.syncs += 1;
        } else if let Some(reason) = line.strip_prefix("sync failed: ") {
            run.failures.push(reason.to_owned());
        }
    }
    Ok(run)
}

/// Every record id in an exported state, with how often it appears.
fn record_ids(state: &Value) -> TestResult<BTreeMap<String, usize>> {
    let collections = state.get("collections").and_then(Value::as_object).ok_or_else(|| fail("an export without collections"))?;
    let mut ids = BTreeMap::new();
    for records in collections.values() {
        for record in records.as_array().ok_or_else(|| fail("a collection that is not a list"))? {
            let id = record.get("id").and_then(Value::as_str).ok_or_else(|| fail("a record without an id"))?;
            *ids.entry(id.to_owned()).or_insert(0) += 1;
        }
    }
    Ok(ids)
}

/// Kill times: `ALONGSIDE_CRASH_SEED` to replay, else from the clock.
fn seed() -> TestResult<u64> {
    if let Ok(seed) = std::env::var("ALONGSIDE_CRASH_SEED") {
        return Ok(seed.parse()?);
    }
    let now = SystemTime::now().duration_since(UNIX_EPOCH)?;
    Ok(now.as_secs().wrapping_mul(1_000_000_007) ^ u64::from(now.subsec_nanos()))
}

/// splitmix64.
fn next(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

async fn crash_rounds(backend: Backend, seed: u64) -> TestResult {
    let started = Instant::now();
    let server = Server::start(backend).await?;
    let jess = server.add_user("jess", Role::Participant).await?;
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("phone.db");
    let (token, device_id) = server.device_token(&jess, "crashing phone").await?;
    let mut rng = seed;
    let mut printed: Vec<String> = Vec::new();
    let (mut syncs, mut failures) = (0, Vec::new());
    for round in 0..ROUNDS {
        let after = Duration::from_millis(20 + next(&mut rng) % 381);
        let env = [
            (ENV_STORE, path.display().to_string()),
            (ENV_TOKEN, token.clone()),
            (ENV_DEVICE, device_id.clone()),
            (ENV_USER, jess.clone()),
            (ENV_ROUND, round.to_string()),
        ];
        let run = run_and_kill(&server, &env, after).await.map_err(|e| fail(format!("{backend:?} round {round}: {e}")))?;
        printed.extend(run.created);
        syncs += run.syncs;
        failures.extend(run.failures);

        // The store opens after the kill, and holds every record reported.
        let store = Store::open(&path, &KEY).map_err(|e| fail(format!("{backend:?} round {round}: the store does not open: {e}")))?;
        for id in &printed {
            let present = store.get::<CheckIn>(id).is_ok() || store.get::<Goal>(id).is_ok();
            if !present {
                return Err(fail(format!("{backend:?} round {round}: record {id} was reported written, and is gone after the kill")));
            }
        }
        if let Some(entry) = store.outbox()?.into_iter().find(|entry| entry.state != OutboxState::Pending) {
            return Err(fail(format!("{backend:?} round {round}: an outbox entry was rejected: {entry:?}")));
        }
    }
    if !failures.is_empty() {
        return Err(fail(format!("{backend:?}: syncs failed with the server up: {failures:?}")));
    }

    // One good sync on the crashed phone; another phone pulls everything.
    let store = Arc::new(Store::open(&path, &KEY)?);
    let client = SyncClient::new(&server.base, Timeouts::default())?;
    for _ in 0..2 {
        sync_once(&store, &client, &|_| {}).await?;
    }
    let outbox = store.outbox()?;
    if !outbox.is_empty() {
        return Err(fail(format!("{backend:?}: the crashed phone's outbox did not empty: {outbox:?}")));
    }
    let other = Phone::new(&server, &server.base, &jess, "second phone").await?;
    other.sync().await?;
    let theirs = other.state(&jess)?;
    let mine: Value = serde_json::from_str(&store.export_participant(&jess, chrono::DateTime::UNIX_EPOCH)?)?;
    let ids = record_ids(&theirs)?;
    for id in &printed {
        if ids.get(id) != Some(&1) {
            return Err(fail(format!("{backend:?}: record {id} is on the second phone {:?} times", ids.get(id))));
        }
    }
    if mine != theirs {
        return Err(fail(format!("{backend:?}: the crashed phone and the second phone differ")));
    }

    // The server sends each record once: check-ins are never edited, so each
    // comes as exactly one change.
    let token = other.store.session()?.ok_or_else(|| fail("the second phone is not signed in"))?.token;
    let (mut cursor, mut changes) = (None, BTreeMap::<String, usize>::new());
    loop {
        let page = other.client.pull(&token, cursor.as_deref(), 1000).await?;
        for change in &page.changes {
            *changes.entry(change.record_id.clone()).or_insert(0) += 1;
        }
        cursor = Some(page.cursor);
        if !page.has_more {
            break;
        }
    }
    for id in printed.iter().filter(|id| other.store.get::<CheckIn>(id).is_ok()) {
        if changes.get(id) != Some(&1) {
            return Err(fail(format!("{backend:?}: check-in {id} comes from the server as {:?} changes", changes.get(id))));
        }
    }
    eprintln!(
        "{backend:?}: {ROUNDS} kills, {} records reported, {} held, {syncs} syncs completed before the kills, {:.1} s",
        printed.len(),
        ids.len(),
        started.elapsed().as_secs_f64()
    );
    if syncs == 0 {
        return Err(fail(format!("{backend:?}: no sync ever completed before a kill: the test tested nothing")));
    }
    server.stop().await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_killed_mid_sync_again_and_again_loses_nothing_and_sends_nothing_twice() -> TestResult {
    let seed = seed()?;
    eprintln!("crash seed: {seed} (replay with ALONGSIDE_CRASH_SEED={seed})");
    for backend in Backend::available()? {
        crash_rounds(backend, seed).await.map_err(|e| fail(format!("{e} (seed {seed}; replay with ALONGSIDE_CRASH_SEED={seed})")))?;
    }
    Ok(())
}
