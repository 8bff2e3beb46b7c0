//! The sync engine's schedule, against a real server: what the shell sees
//! (status in order), when it syncs (after a write, when the network comes
//! back, after a failure without waiting for another write), and that it
//! waits as long as the server asks.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use alongside_core::model::CheckIn;
use alongside_core::sync::{SyncConfig, SyncEngine, SyncObserver, SyncState, SyncStatus};
use alongside_harness::proxy::{Fault, Proxy};
use alongside_harness::{Backend, Phone, Server, TestResult, fail};
use alongside_server::store::Role;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[derive(Default)]
struct Recorder(Mutex<Vec<SyncStatus>>);

impl SyncObserver for Recorder {
    fn on_status(&self, status: SyncStatus) {
        if let Ok(mut seen) = self.0.lock() {
            seen.push(status);
        }
    }
}

impl Recorder {
    fn states(&self) -> Vec<SyncState> {
        self.0.lock().map(|seen| seen.iter().map(|s| s.state.clone()).collect()).unwrap_or_default()
    }

    fn all(&self) -> Vec<SyncStatus> {
        self.0.lock().map(|seen| seen.clone()).unwrap_or_default()
    }

    fn last(&self) -> Option<SyncStatus> {
        self.0.lock().ok().and_then(|seen| seen.last().cloned())
    }
}

fn quick() -> SyncConfig {
    SyncConfig {
        debounce: Duration::from_millis(50),
        periodic: Duration::from_secs(3600),
        backoff_base: Duration::from_millis(50),
        backoff_cap: Duration::from_millis(200),
        ..SyncConfig::default()
    }
}

fn check_in(participant: &str, note: &str) -> CheckIn {
    CheckIn {
        id: String::new(),
        participant_id: participant.into(),
        at: chrono::Utc::now(),
        mood: 3,
        craving: None,
        note: Some(note.into()),
        deleted: false,
    }
}

/// A server, Jess's phone, and its engine after its first pass.
struct Running {
    server: Server,
    jess: String,
    phone: Phone,
    recorder: Arc<Recorder>,
    engine: SyncEngine,
}

impl Running {
    async fn start() -> TestResult<Running> {
        let server = Server::start(Backend::Sqlite).await?;
        let jess = server.add_user("jess", Role::Participant).await?;
        let phone = Phone::new(&server, &server.base, &jess, "phone").await?;
        let recorder = Arc::new(Recorder::default());
        let engine = SyncEngine::start(
            Arc::clone(&phone.store),
            phone.client.clone(),
            quick(),
            recorder.clone(),
            &tokio::runtime::Handle::current(),
        );
        eventually("the first pass is done", || Ok(recorder.last().is_some_and(|s| s.state == SyncState::Idle))).await?;
        Ok(Running { server, jess, phone, recorder, engine })
    }
}

/// Waits (bounded) until `done` holds.
async fn eventually(what: &str, mut done: impl FnMut() -> TestResult<bool>) -> TestResult {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if done()? {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Err(fail(format!("timed out waiting until {what}")))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_syncs_by_itself_and_status_reports_each_step_in_order() -> TestResult {
    let Running { server, jess, phone, recorder, engine } = Running::start().await?;
    let other = Phone::new(&server, &server.base, &jess, "tablet").await?;
    let written = phone.store.create(&check_in(&jess, "Slept better"))?;
    engine.notify_local_write();
    eventually("the write is sent", || Ok(phone.store.pending_count()? == 0)).await?;
    other.sync().await?;
    assert_eq!(other.store.get::<CheckIn>(&written.id)?.note.as_deref(), Some("Slept better"));

    // Each pass reports syncing (with progress that only grows) and ends idle.
    let statuses = recorder.all();
    assert_eq!(statuses.first().map(|s| &s.state), Some(&SyncState::Syncing), "{:?}", recorder.states());
    let mut pass: Option<(usize, usize)> = None;
    for status in &statuses {
        match &status.state {
            SyncState::Syncing => {
                let now = (status.progress.pushed, status.progress.pulled);
                if let Some(before) = pass {
                    assert!(now.0 >= before.0 && now.1 >= before.1, "progress went back: {:?}", recorder.states());
                }
                pass = Some(now);
            }
            SyncState::Idle => pass = None,
            other => return Err(fail(format!("unexpected {other:?} in {:?}", recorder.states()))),
        }
    }
    assert_eq!(pass, None, "a pass never ended: {:?}", recorder.states());
    let last = recorder.last().ok_or_else(|| fail("no status"))?;
    assert_eq!((last.state, last.pending), (SyncState::Idle, 0));
    assert!(last.last_success.is_some());
    engine.stop();
    server.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_writes_wait_and_go_when_the_network_comes_back() -> TestResult {
    let Running { server, jess, phone, recorder, engine } = Running::start().await?;

    engine.set_network_available(false);
    eventually("the shell sees offline", || Ok(recorder.last().is_some_and(|s| s.state == SyncState::Offline))).await?;
    phone.store.create(&check_in(&jess, "Written on the bus"))?;
    engine.notify_local_write();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(phone.store.pending_count()?, 1, "nothing is sent while offline");
    assert_eq!(recorder.last().map(|s| (s.state, s.pending)), Some((SyncState::Offline, 1)));

    engine.set_network_available(true);
    eventually("the change is sent when the network is back", || Ok(phone.store.pending_count()? == 0)).await?;
    engine.stop();
    server.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_failure_the_queue_retries_without_waiting_for_another_write() -> TestResult {
    let Running { server, jess, phone, recorder, engine } = Running::start().await?;

    // The server goes away; a write fails to go out.
    let paused = server.pause().await?;
    phone.store.create(&check_in(&jess, "During the outage"))?;
    engine.notify_local_write();
    eventually("the engine has failed to reach the server", || {
        Ok(recorder.last().is_some_and(|s| matches!(s.state, SyncState::Offline | SyncState::Error { .. }) && s.pending == 1))
    })
    .await?;
    let server = paused.resume().await?;
    // No further write, no network event: the backoff alone brings it home.
    eventually("the change goes out once the server is back", || Ok(phone.store.pending_count()? == 0)).await?;
    engine.stop();
    server.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_busy_server_is_not_asked_again_sooner_than_it_said() -> TestResult {
    // A stand-in for an overloaded server: every request gets 503 with
    // Retry-After: 1. It records when each request arrived.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    let arrivals = Arc::new(Mutex::new(Vec::<Instant>::new()));
    let seen = Arc::clone(&arrivals);
    let busy = tokio::spawn(async move {
        for _ in 0..10 {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            if let Ok(mut times) = seen.lock() {
                times.push(Instant::now());
            }
            let mut buffer = [0u8; 4096];
            let _ = socket.read(&mut buffer).await;
            let body = r#"{"error":{"code":"rate_limited","message":"busy"}}"#;
            let answer = format!(
                "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = socket.write_all(answer.as_bytes()).await;
        }
    });
    let server = Server::start(Backend::Sqlite).await?;
    let jess = server.add_user("jess", Role::Participant).await?;
    let phone = Phone::new(&server, &url, &jess, "phone").await?;
    phone.store.create(&check_in(&jess, "Waiting politely"))?;
    let recorder = Arc::new(Recorder::default());
    let engine =
        SyncEngine::start(Arc::clone(&phone.store), phone.client.clone(), quick(), recorder.clone(), &tokio::runtime::Handle::current());
    // Two attempts, and the second one's answer heard (the engine reports it
    // after the request arrives; stopping sooner would catch it mid-pass).
    eventually("two attempts were made and answered", || {
        let errors = recorder.states().iter().filter(|state| matches!(state, SyncState::Error { .. })).count();
        Ok(arrivals.lock().map(|a| a.len() >= 2).unwrap_or(false) && errors >= 2)
    })
    .await?;
    engine.stop();
    busy.abort();
    let times = arrivals.lock().map(|a| a.clone()).map_err(|_| fail("lock"))?;
    // Backoff alone would retry after 25-50 ms; the server asked for 1 s.
    assert!(times[1] - times[0] >= Duration::from_secs(1), "retried after {:?}", times[1] - times[0]);
    assert!(matches!(recorder.last().map(|s| s.state), Some(SyncState::Error { .. })), "{:?}", recorder.states());
    assert_eq!(phone.store.pending_count()?, 1, "the change waits on the phone");
    server.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_the_foreground_a_reach_out_arrives_without_waiting_and_again_after_the_stream_drops() -> TestResult {
    let server = Server::start(Backend::Sqlite).await?;
    let rosa = server.add_user("rosa", Role::Participant).await?;
    let will = server.add_user("will", Role::PeerWorker).await?;
    server.assign(&will, &rosa).await?;
    let parent = Phone::new(&server, &server.base, &rosa, "Rosa's phone").await?;
    let peer = Phone::new(&server, &server.base, &will, "Will's phone").await?;
    // No periodic sync to lean on: only the event stream can bring it.
    let config = SyncConfig { periodic: Duration::from_secs(3600), ..quick() };
    let recorder = Arc::new(Recorder::default());
    let engine =
        SyncEngine::start(Arc::clone(&peer.store), peer.client.clone(), config, recorder.clone(), &tokio::runtime::Handle::current());
    engine.set_foreground(true);
    eventually("the first pass is done", || Ok(recorder.last().is_some_and(|s| s.state == SyncState::Idle))).await?;
    // Give the stream a moment to open before the reach-out is sent.
    tokio::time::sleep(Duration::from_millis(300)).await;

    let parent_engine = parent.engine(quick());
    let reach = |note: &'static str| {
        let parent = &parent;
        let parent_engine = &parent_engine;
        let rosa = rosa.clone();
        async move {
            let answer = alongside_core::sync::reach_out(
                &parent.store,
                parent_engine,
                &rosa,
                alongside_core::model::Urgency::Urgent,
                Some(note.into()),
                chrono::Utc::now(),
                alongside_core::i18n::Language::English,
            )
            .await?;
            TestResult::Ok(answer.reach_out.id)
        }
    };
    let first = reach("Can you call me?").await?;
    eventually("the reach-out is on the peer worker's phone", || Ok(peer.store.get::<alongside_core::model::ReachOut>(&first).is_ok()))
        .await?;

    // The server goes down and comes back: the stream drops and reconnects.
    let server = server.pause().await?.resume().await?;
    let second = reach("Still here, please call").await?;
    eventually("the next reach-out arrives after the stream reconnects", || {
        Ok(peer.store.get::<alongside_core::model::ReachOut>(&second).is_ok())
    })
    .await?;
    engine.stop();
    server.stop().await
}

/// What a captive portal, a broken proxy or a hostile network may answer in
/// the server's place.
fn hostile_answers() -> Vec<(&'static str, Fault)> {
    let busy = |retry_after: &str| {
        let body = r#"{"error":{"code":"rate_limited","message":"busy"}}"#;
        let head = format!(
            "HTTP/1.1 503 Service Unavailable\r\nRetry-After: {retry_after}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        Fault::Answer(head.into_bytes().into())
    };
    vec![
        ("Retry-After: 0", busy("0")),
        ("Retry-After: -1", busy("-1")),
        ("Retry-After: huge", busy("18446744073709551615")),
        ("Retry-After: more digits than any integer", busy("99999999999999999999999999999999")),
        ("Retry-After: a date", busy("Fri, 31 Dec 9999 23:59:59 GMT")),
        ("Retry-After: garbage", busy("soon, maybe")),
        ("a status line cut short", Fault::Answer(b"HTTP/1.1 2".to_vec().into())),
        ("headers cut short", Fault::Answer(b"HTTP/1.1 200 OK\r\nContent-Type: appl".to_vec().into())),
        ("a status that is not a number", Fault::Answer(b"HTTP/1.1 abc OK\r\nContent-Length: 0\r\n\r\n".to_vec().into())),
        ("a body that is not JSON", Fault::Answer(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n{{{{{".to_vec().into())),
        (
            "a body of 100 MB",
            Fault::Endless(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 104857600\r\n\r\n".to_vec().into()),
        ),
        (
            "a body without end",
            Fault::Endless(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{\"results\": [\"".to_vec().into()),
        ),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_answers_never_stop_the_engine_and_it_syncs_once_the_network_behaves() -> TestResult {
    let server = Server::start(Backend::Sqlite).await?;
    let jess = server.add_user("jess", Role::Participant).await?;
    let proxy = Proxy::start(server.addr).await?;
    let phone = Phone::new(&server, &proxy.url, &jess, "phone").await?;
    let recorder = Arc::new(Recorder::default());
    let engine =
        SyncEngine::start(Arc::clone(&phone.store), phone.client.clone(), quick(), recorder.clone(), &tokio::runtime::Handle::current());
    for (what, fault) in hostile_answers() {
        proxy.set(fault);
        phone.store.create(&check_in(&jess, what))?;
        let refused =
            tokio::time::timeout(Duration::from_secs(60), engine.sync_now()).await.map_err(|_| fail(format!("{what}: no answer")))?;
        assert!(refused.is_err(), "{what}: a pass through a hostile answer cannot succeed: {refused:?}");
        proxy.set(Fault::Pass);
        let report = engine.sync_now().await.map_err(|e| fail(format!("{what}: the engine did not sync after it: {e}")))?;
        assert!(report.pushed >= 1, "{what}: {report:?}");
        assert_eq!(phone.store.pending_count()?, 0, "{what}: the check-in reached the server");
    }
    engine.stop();
    server.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_stream_of_one_endless_line_is_dropped_and_listened_to_again() -> TestResult {
    let server = Server::start(Backend::Sqlite).await?;
    let jess = server.add_user("jess", Role::Participant).await?;
    let proxy = Proxy::start(server.addr).await?;
    proxy.set_for("/v1/sync/events", Fault::Endless(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\ndata: ".to_vec().into()));
    let phone = Phone::new(&server, &proxy.url, &jess, "phone").await?;
    let engine = SyncEngine::start(
        Arc::clone(&phone.store),
        phone.client.clone(),
        quick(),
        Arc::new(Recorder::default()),
        &tokio::runtime::Handle::current(),
    );
    engine.set_foreground(true);
    // Each endless line is cut off at the bound and the stream opened again.
    let streams = || proxy.exchanges().iter().filter(|e| e.path.starts_with("/v1/sync/events")).count();
    eventually("the stream was opened again after an endless line", || Ok(streams() >= 3)).await?;
    phone.store.create(&check_in(&jess, "still syncing"))?;
    engine.sync_now().await?;
    assert_eq!(phone.store.pending_count()?, 0);
    engine.stop();
    server.stop().await
}
