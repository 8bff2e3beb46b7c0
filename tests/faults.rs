//! Sync through a network that fails: phones of one participant talk to the
//! server through a proxy that resets connections mid-request, cuts responses
//! short, answers too late or not at all, and through servers that answer
//! garbage. Whatever happens, the sync call returns an error (never a panic,
//! never `Ok` with something lost), every local change stays in the outbox
//! until the server has acknowledged it, a change the server applied but whose
//! acknowledgement was lost comes back `duplicate` when pushed again, and once
//! the network is good the phones converge with nothing lost and nothing twice.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use alongside_core::model::{CheckIn, Goal, GoalArea, GoalStatus};
use alongside_core::protocol::{PushResponse, PushStatus};
use alongside_core::store::OutboxState;
use alongside_core::sync::{SyncClient, SyncError, Timeouts, sync_once};
use alongside_harness::proxy::{Fault, Proxy};
use alongside_harness::{Backend, Phone, Server, TestResult, fail};
use alongside_server::store::Role;
use chrono::Utc;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};

/// Short timeouts, so a fault costs the test half a second, not thirty.
const TIMEOUTS: Timeouts = Timeouts { connect: Duration::from_secs(1), request: Duration::from_millis(500) };
/// For phones that move hundreds of changes at once and meet no delays: a
/// busy CI machine must not turn a slow answer into a fault.
const PATIENT: Timeouts = Timeouts { connect: Duration::from_secs(1), request: Duration::from_secs(10) };
/// Longer than [`TIMEOUTS`]' request timeout.
const PAST_TIMEOUT: Duration = Duration::from_millis(900);
const PUSH: &str = "/v1/sync/push";
const PULL: &str = "/v1/sync/pull";

fn goal(participant_id: &str, title: &str) -> Goal {
    Goal::new(participant_id, title, GoalArea::Recovery)
}

fn check_in(participant_id: &str, mood: i64, note: &str) -> CheckIn {
    CheckIn {
        id: String::new(),
        participant_id: participant_id.into(),
        at: Utc::now(),
        mood,
        craving: Some(3),
        note: Some(note.into()),
        deleted: false,
    }
}

/// One participant, phones talking through a proxy, and every record id
/// created on any of them.
#[derive(Debug)]
struct World {
    backend: Backend,
    server: Server,
    proxy: Proxy,
    participant: String,
    phones: Vec<Phone>,
    created: BTreeSet<String>,
}

impl World {
    async fn start(backend: Backend, phones: usize) -> TestResult<World> {
        World::start_with(backend, phones, TIMEOUTS).await
    }

    async fn start_with(backend: Backend, phones: usize, timeouts: Timeouts) -> TestResult<World> {
        let server = Server::start(backend).await?;
        let proxy = Proxy::start(server.addr).await?;
        let participant = server.add_user("jess", Role::Participant).await?;
        let mut world = World { backend, server, proxy, participant, phones: Vec::new(), created: BTreeSet::new() };
        for n in 0..phones {
            let phone = Phone::with_timeouts(&world.server, &world.proxy.url, &world.participant, &format!("phone {n}"), timeouts).await?;
            world.phones.push(phone);
        }
        Ok(world)
    }

    /// Restarts the server on the same database and port (the proxy stays).
    async fn restart_server(self) -> TestResult<World> {
        let World { backend, server, proxy, participant, phones, created } = self;
        let server = server.restart().await?;
        Ok(World { backend, server, proxy, participant, phones, created })
    }

    fn phone(&self, n: usize) -> TestResult<&Phone> {
        self.phones.get(n).ok_or_else(|| fail(format!("no phone {n}")))
    }

    /// Creates a check-in and a goal on phone `n`; returns their ids.
    fn write(&mut self, n: usize, note: &str) -> TestResult<Vec<String>> {
        let participant = self.participant.clone();
        let phone = self.phone(n)?;
        let ids = vec![phone.store.create(&check_in(&participant, 3, note))?.id, phone.store.create(&goal(&participant, note))?.id];
        self.created.extend(ids.iter().cloned());
        Ok(ids)
    }

    /// Syncs phone `n` through the current fault and insists that it fails,
    /// that it fails as a network or protocol error, and that every change
    /// the phone had not pushed is still in its outbox.
    async fn sync_fails(&self, n: usize, what: &str) -> TestResult<SyncError> {
        let phone = self.phone(n)?;
        let before = outbox_ids(phone)?;
        let faulted = self.proxy.faulted();
        let error = match phone.sync().await {
            Ok(report) => return Err(fail(format!("{:?} {what}: sync succeeded under the fault: {report:?}", self.backend))),
            Err(error @ (SyncError::Offline(_) | SyncError::Protocol(_))) => error,
            Err(other) => return Err(fail(format!("{:?} {what}: expected a network or protocol error, got {other:?}", self.backend))),
        };
        if self.proxy.faulted() == faulted {
            return Err(fail(format!("{:?} {what}: the sync failed ({error}) but no fault was applied", self.backend)));
        }
        let after = outbox_ids(phone)?;
        if after != before {
            return Err(fail(format!("{:?} {what}: the outbox changed under the fault: {before:?} -> {after:?}", self.backend)));
        }
        Ok(error)
    }

    /// Syncs phone `n` through the proxy as it is set, and returns what the
    /// server said of each change pushed.
    async fn sync_ok(&self, n: usize, what: &str) -> TestResult<Vec<PushStatus>> {
        let seen = self.proxy.exchanges().len();
        self.phone(n)?.sync().await.map_err(|e| fail(format!("{:?} {what}: sync failed: {e}", self.backend)))?;
        push_statuses(&self.proxy, seen)
    }

    /// Lifts every fault, syncs every phone twice, and checks the end state:
    /// nothing lost, nothing twice, outboxes empty, every phone and a fresh
    /// phone that pulls everything from the server alike.
    async fn settle(&self, what: &str) -> TestResult<Value> {
        self.proxy.set(Fault::Pass);
        for _ in 0..2 {
            for n in 0..self.phones.len() {
                for status in self.sync_ok(n, what).await? {
                    if status == PushStatus::Rejected {
                        return Err(fail(format!("{:?} {what}: a change was rejected", self.backend)));
                    }
                }
            }
        }
        let witness = Phone::new(&self.server, &self.server.base, &self.participant, "witness").await?;
        witness.sync().await?;
        let expected = witness.state(&self.participant)?;
        let ids = record_ids(&expected)?;
        if ids.len() != self.created.len() || ids.iter().cloned().collect::<BTreeSet<_>>() != self.created {
            return Err(fail(format!(
                "{:?} {what}: the server holds {} records {ids:?}, {} were created: {:?}",
                self.backend,
                ids.len(),
                self.created.len(),
                self.created
            )));
        }
        for (n, phone) in self.phones.iter().enumerate() {
            let outbox = phone.store.outbox()?;
            if !outbox.is_empty() {
                return Err(fail(format!("{:?} {what}: phone {n}'s outbox is not empty: {outbox:?}", self.backend)));
            }
            if phone.state(&self.participant)? != expected {
                return Err(fail(format!("{:?} {what}: phone {n} differs from the server's copy", self.backend)));
            }
        }
        Ok(expected)
    }
}

/// The change ids in a phone's outbox, oldest first, all pending.
fn outbox_ids(phone: &Phone) -> TestResult<Vec<String>> {
    let mut ids = Vec::new();
    for entry in phone.store.outbox()? {
        if entry.state != OutboxState::Pending {
            return Err(fail(format!("an outbox entry is not pending: {entry:?}")));
        }
        ids.push(entry.change.change_id);
    }
    Ok(ids)
}

/// What the phone heard the server answer, change by change, to the pushes
/// the proxy passed after its first `seen` exchanges.
fn push_statuses(proxy: &Proxy, seen: usize) -> TestResult<Vec<PushStatus>> {
    server_push_statuses(proxy, seen, true)
}

/// What the server answered to the pushes after the proxy's first `seen`
/// exchanges that the proxy passed (`passed`), or faulted (the phone did not
/// hear those).
fn server_push_statuses(proxy: &Proxy, seen: usize, passed: bool) -> TestResult<Vec<PushStatus>> {
    let mut statuses = Vec::new();
    let exchanges = proxy.exchanges().into_iter().skip(seen);
    for exchange in exchanges.filter(|e| e.path == PUSH && e.status == Some(200) && (e.fault == Fault::Pass) == passed) {
        let response: PushResponse = serde_json::from_slice(&exchange.body)?;
        statuses.extend(response.results.iter().map(|r| r.status));
    }
    Ok(statuses)
}

/// Every record id in an exported state, each as often as it appears.
fn record_ids(state: &Value) -> TestResult<Vec<String>> {
    let collections = state.get("collections").and_then(Value::as_object).ok_or_else(|| fail("an export without collections"))?;
    let mut ids = Vec::new();
    for records in collections.values() {
        for record in records.as_array().ok_or_else(|| fail("a collection that is not a list"))? {
            ids.push(record.get("id").and_then(Value::as_str).ok_or_else(|| fail("a record without an id"))?.to_owned());
        }
    }
    Ok(ids)
}

fn all(statuses: &[PushStatus], expected: PushStatus, count: usize) -> bool {
    statuses.len() == count && statuses.iter().all(|s| *s == expected)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_connection_reset_mid_push_applies_nothing_and_loses_nothing() -> TestResult {
    for backend in Backend::available()? {
        let mut world = World::start(backend, 2).await?;
        world.write(0, "Called my sponsor")?;
        world.write(0, "Made the school run")?;
        world.proxy.set(Fault::ResetMidRequest);
        let error = world.sync_fails(0, "reset mid-push").await?;
        assert!(matches!(error, SyncError::Offline(_)), "{backend:?}: a reset is being offline, got {error:?}");

        // The server saw only part of the request: it applied nothing.
        world.proxy.set(Fault::Pass);
        world.sync_ok(1, "the other phone").await?;
        assert_eq!(record_ids(&world.phone(1)?.state(&world.participant)?)?.len(), 0, "{backend:?}: half a push was applied");
        let statuses = world.sync_ok(0, "after the reset").await?;
        assert!(all(&statuses, PushStatus::Applied, 4), "{backend:?}: expected 4 applied, got {statuses:?}");
        world.settle("reset mid-push").await?;
        world.server.stop().await?;
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_connection_reset_mid_pull_keeps_the_cursor_and_loses_nothing() -> TestResult {
    for backend in Backend::available()? {
        let mut world = World::start(backend, 2).await?;
        world.write(1, "Tablet: went to the group")?;
        world.sync_ok(1, "the other phone").await?;

        // Only pulls fail: the phone's push goes through and is acknowledged,
        // its pull is reset.
        world.write(0, "Phone: walked instead of driving past the bar")?;
        world.proxy.set_for(PULL, Fault::ResetMidRequest);
        let seen = world.proxy.exchanges().len();
        let error = match world.phone(0)?.sync().await {
            Ok(report) => return Err(fail(format!("{backend:?}: sync succeeded with every pull reset: {report:?}"))),
            Err(error) => error,
        };
        assert!(matches!(error, SyncError::Offline(_)), "{backend:?}: a reset is being offline, got {error:?}");
        let statuses = push_statuses(&world.proxy, seen)?;
        assert!(all(&statuses, PushStatus::Applied, 2), "{backend:?}: expected 2 applied, got {statuses:?}");
        assert!(world.phone(0)?.store.outbox()?.is_empty(), "{backend:?}: acknowledged changes stayed in the outbox");
        assert_eq!(world.phone(0)?.store.sync_cursor()?, None, "{backend:?}: the cursor moved without a pull");

        // With nothing to push, the first request is the pull.
        world.proxy.set(Fault::ResetMidRequest);
        world.sync_fails(0, "reset mid-pull").await?;
        assert_eq!(record_ids(&world.phone(0)?.state(&world.participant)?)?.len(), 2, "{backend:?}: a reset pull merged something");
        world.settle("reset mid-pull").await?;
        world.server.stop().await?;
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_push_response_cut_short_comes_back_duplicate_and_trims_the_outbox() -> TestResult {
    for backend in Backend::available()? {
        let mut world = World::start(backend, 2).await?;
        // Cut before the first byte, in the status line, in the headers (the
        // head is about 110 bytes), in the body, and one byte short of its end.
        for (round, cut) in [0, 12, 90, 150, usize::MAX].into_iter().enumerate() {
            world.write(0, &format!("Round {round}: cooked dinner with the kids"))?;
            world.proxy.set(Fault::CutResponse(cut));
            world.sync_fails(0, &format!("push cut at {cut}")).await?;
            // The server applied the push; the phone did not hear of it.
            world.proxy.set(Fault::Pass);
            let statuses = world.sync_ok(0, "after the cut").await?;
            assert!(all(&statuses, PushStatus::Duplicate, 2), "{backend:?} cut at {cut}: expected 2 duplicates, got {statuses:?}");
            assert!(world.phone(0)?.store.outbox()?.is_empty(), "{backend:?} cut at {cut}: the duplicates stayed in the outbox");
        }
        // A pull cut short merges nothing and leaves the cursor where it was.
        world.write(1, "Tablet: a quiet evening")?;
        world.sync_ok(1, "the other phone").await?;
        let cursor = world.phone(0)?.store.sync_cursor()?;
        for cut in [20, usize::MAX] {
            world.proxy.set(Fault::CutResponse(cut));
            world.sync_fails(0, &format!("pull cut at {cut}")).await?;
            assert_eq!(world.phone(0)?.store.sync_cursor()?, cursor, "{backend:?}: the cursor moved past a cut pull");
        }
        world.settle("response cut short").await?;
        world.server.stop().await?;
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_answer_later_than_the_timeout_is_an_error_and_the_push_comes_back_duplicate() -> TestResult {
    for backend in Backend::available()? {
        let mut world = World::start(backend, 2).await?;
        world.write(0, "Went to the clinic")?;
        world.proxy.set(Fault::Delay(PAST_TIMEOUT));
        let error = world.sync_fails(0, "push delayed").await?;
        assert!(matches!(error, SyncError::Offline(_)), "{backend:?}: a timeout is being offline, got {error:?}");
        world.proxy.set(Fault::Pass);
        let statuses = world.sync_ok(0, "after the delay").await?;
        assert!(all(&statuses, PushStatus::Duplicate, 2), "{backend:?}: expected 2 duplicates, got {statuses:?}");

        // A pull answered too late.
        world.write(1, "Tablet: read to the kids")?;
        world.sync_ok(1, "the other phone").await?;
        world.proxy.set(Fault::Delay(PAST_TIMEOUT));
        world.sync_fails(0, "pull delayed").await?;
        world.settle("answers too late").await?;
        world.server.stop().await?;
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_server_restart_between_push_and_acknowledgement_loses_nothing() -> TestResult {
    for backend in Backend::available()? {
        let mut world = World::start(backend, 2).await?;
        world.write(0, "Before the restart")?;
        world.write(1, "Tablet, before the restart")?;
        world.proxy.set(Fault::DropResponse);
        world.sync_fails(0, "acknowledgement dropped").await?;
        // The server goes down and comes back on the same database and port.
        let world = world.restart_server().await?;
        world.proxy.set(Fault::Pass);
        let statuses = world.sync_ok(0, "after the restart").await?;
        assert!(all(&statuses, PushStatus::Duplicate, 2), "{backend:?}: expected 2 duplicates, got {statuses:?}");
        let statuses = world.sync_ok(1, "the other phone").await?;
        assert!(all(&statuses, PushStatus::Applied, 2), "{backend:?}: expected 2 applied, got {statuses:?}");
        world.settle("server restart").await?;
        world.server.stop().await?;
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_fault_in_a_later_push_batch_keeps_the_earlier_batches_acknowledged() -> TestResult {
    for backend in Backend::available()? {
        let mut world = World::start_with(backend, 2, PATIENT).await?;
        // Two push batches (500 changes, then the rest): the first goes
        // through, the second meets the fault.
        let participant = world.participant.clone();
        let mut applied_unheard = 0;
        for fault in [Fault::ResetMidRequest, Fault::CutResponse(usize::MAX), Fault::DropResponse] {
            while world.phone(0)?.store.outbox()?.len() < 620 {
                let n = world.created.len();
                let id = world.phone(0)?.store.create(&check_in(&participant, 4, &format!("check-in {n}")))?.id;
                world.created.insert(id);
            }
            let before = outbox_ids(world.phone(0)?)?;
            world.proxy.set_after(1, PUSH, fault.clone());
            let seen = world.proxy.exchanges().len();
            let outcome = world.phone(0)?.sync().await;
            if !matches!(outcome, Err(SyncError::Offline(_) | SyncError::Protocol(_))) {
                return Err(fail(format!("{backend:?} {fault:?}: expected a network or protocol error, got {outcome:?}")));
            }
            // The first batch was acknowledged and left the outbox (what the
            // last fault's batch had applied unheard comes back duplicate);
            // the second batch waits, in order.
            let statuses = push_statuses(&world.proxy, seen)?;
            let duplicates = statuses.iter().filter(|s| **s == PushStatus::Duplicate).count();
            assert_eq!(statuses.len(), 500, "{backend:?} {fault:?}: the first batch: {statuses:?}");
            assert_eq!(duplicates, applied_unheard, "{backend:?} {fault:?}: duplicates in the first batch");
            assert!(!statuses.contains(&PushStatus::Rejected), "{backend:?} {fault:?}: {statuses:?}");
            assert_eq!(outbox_ids(world.phone(0)?)?, before[500..], "{backend:?} {fault:?}: the outbox lost or reordered changes");
            let unheard = server_push_statuses(&world.proxy, seen, false)?;
            applied_unheard = unheard.len();
            match fault {
                Fault::ResetMidRequest => assert_eq!(applied_unheard, 0, "{backend:?}: the server answered a request cut in half"),
                _ => assert!(all(&unheard, PushStatus::Applied, 120), "{backend:?} {fault:?}: the second batch: {unheard:?}"),
            }
        }
        world.proxy.set(Fault::Pass);
        let statuses = world.sync_ok(0, "after the batch faults").await?;
        assert!(all(&statuses, PushStatus::Duplicate, applied_unheard), "{backend:?}: after lost acknowledgements: {statuses:?}");
        world.settle("faults in later push batches").await?;
        world.server.stop().await?;
    }
    Ok(())
}

/// A phone gave up on a slow push and sent it again while the server was
/// still applying the first (or several phones' retries overlap): the same
/// changes arrive in concurrent requests. Each is applied once; every other
/// answer for it is `duplicate`.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn overlapping_retries_of_one_push_apply_each_change_once() -> TestResult {
    for backend in Backend::available()? {
        let mut world = World::start_with(backend, 2, PATIENT).await?;
        let participant = world.participant.clone();
        for n in 0..200 {
            let id = world.phone(0)?.store.create(&check_in(&participant, 5, &format!("check-in {n}")))?.id;
            world.created.insert(id);
        }
        let phone = world.phone(0)?;
        let changes = phone.store.pending_changes(500)?;
        let token = phone.store.session()?.ok_or_else(|| fail("not signed in"))?.token;
        let client = SyncClient::new(&world.server.base, Timeouts::default())?;
        let mut pushes = JoinSet::new();
        for _ in 0..8 {
            let (client, token, changes) = (client.clone(), token.clone(), changes.clone());
            pushes.spawn(async move { client.push(&token, changes).await });
        }
        let mut applied: BTreeMap<String, usize> = BTreeMap::new();
        let mut errors = Vec::new();
        while let Some(outcome) = pushes.join_next().await {
            match outcome? {
                Ok(response) => {
                    for result in response.results {
                        match result.status {
                            PushStatus::Applied => *applied.entry(result.change_id).or_insert(0) += 1,
                            PushStatus::Duplicate => {}
                            PushStatus::Rejected => errors.push(format!("{:?}", result.error)),
                        }
                    }
                }
                Err(error) => errors.push(error.to_string()),
            }
        }
        let twice: Vec<_> = applied.iter().filter(|(_, count)| **count > 1).collect();
        assert!(twice.is_empty(), "{backend:?}: {} changes applied more than once, e.g. {:?}", twice.len(), twice.first());
        assert!(errors.is_empty(), "{backend:?}: overlapping pushes failed: {errors:?}");
        assert_eq!(applied.len(), changes.len(), "{backend:?}: changes never applied");
        let statuses = world.sync_ok(0, "after the overlapping pushes").await?;
        assert!(all(&statuses, PushStatus::Duplicate, 200), "{backend:?}: {statuses:?}");
        world.settle("overlapping pushes").await?;
        world.server.stop().await?;
    }
    Ok(())
}

/// A server that answers every request with the same bytes, or never.
#[derive(Debug)]
struct RawServer {
    url: String,
    task: JoinHandle<()>,
}

impl RawServer {
    async fn start(reply: Option<Vec<u8>>) -> TestResult<RawServer> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}", listener.local_addr()?);
        let task = tokio::spawn(async move {
            let mut connections = JoinSet::new();
            loop {
                tokio::select! {
                    accepted = listener.accept(), if connections.len() < 16 => match accepted {
                        Ok((stream, _)) => drop(connections.spawn(answer(stream, reply.clone()))),
                        Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
                    },
                    Some(_) = connections.join_next(), if !connections.is_empty() => {}
                }
            }
        });
        Ok(RawServer { url, task })
    }
}

impl Drop for RawServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Reads one request (head and `Content-Length` body), then sends `reply` and
/// closes, or holds the connection open without a word.
async fn answer(mut stream: TcpStream, reply: Option<Vec<u8>>) {
    let mut request = Vec::new();
    let mut chunk = [0_u8; 8192];
    loop {
        let text = String::from_utf8_lossy(&request);
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .filter_map(|line| line.split_once(':'))
                .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
                .and_then(|(_, value)| value.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if request.len() >= end + 4 + length {
                break;
            }
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(read) if request.len() < 4 * 1024 * 1024 => request.extend_from_slice(&chunk[..read]),
            Ok(_) => return,
        }
    }
    match reply {
        Some(reply) => {
            let _ = stream.write_all(&reply).await;
            let _ = stream.shutdown().await;
        }
        None => std::future::pending().await,
    }
}

fn http_200(body: &str) -> Option<Vec<u8>> {
    Some(format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}", body.len()).into_bytes())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_server_that_answers_garbage_or_nothing_is_an_error_and_the_outbox_stays() -> TestResult {
    for backend in Backend::available()? {
        let server = Server::start(backend).await?;
        let jess = server.add_user("jess", Role::Participant).await?;
        let html = "<html><body>Welcome to the café Wi-Fi</body></html>";
        let cases: Vec<(&str, Option<Vec<u8>>, bool)> = vec![
            // (what, reply, must be a protocol error rather than offline)
            (
                "an HTML page",
                Some(format!("HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: {}\r\n\r\n{html}", html.len()).into_bytes()),
                true,
            ),
            ("JSON of the wrong shape", http_200(r#"{"ok": true}"#), true),
            ("a JSON list", http_200("[1, 2, 3]"), true),
            ("no results", http_200(r#"{"results": []}"#), true),
            ("results for other changes", http_200(r#"{"results": [{"change_id": "someone-else", "status": "applied"}]}"#), true),
            ("a body shorter than announced", Some(b"HTTP/1.1 200 OK\r\ncontent-length: 500\r\n\r\n{\"results\"".to_vec()), false),
            ("not HTTP at all", Some(b"SSH-2.0-OpenSSH_9.6\r\n".to_vec()), false),
            ("an immediate close", Some(Vec::new()), false),
            ("no answer ever", None, false),
        ];
        for (what, reply, protocol) in cases {
            let raw = RawServer::start(reply).await?;
            let phone = Phone::with_timeouts(&server, &raw.url, &jess, "phone", TIMEOUTS).await?;
            let walk = phone.store.create(&goal(&jess, "Walk the kids to school"))?;
            let before = outbox_ids(&phone)?;
            match phone.sync().await {
                Err(SyncError::Protocol(_)) => {}
                Err(SyncError::Offline(_)) if !protocol => {}
                other => return Err(fail(format!("{backend:?} {what}: expected a protocol error or offline, got {other:?}"))),
            }
            assert_eq!(outbox_ids(&phone)?, before, "{backend:?} {what}: the outbox changed");
            // The real server takes it all.
            let direct = SyncClient::new(&server.base, TIMEOUTS)?;
            let report = sync_once(&phone.store, &direct, &|_| {}).await?;
            assert_eq!((report.pushed, report.rejected), (1, 0), "{backend:?} {what}");
            assert!(phone.store.outbox()?.is_empty(), "{backend:?} {what}: the outbox did not empty");
            assert_eq!(phone.store.get::<Goal>(&walk.id)?.title, "Walk the kids to school");
        }

        // A pull answered with garbage merges nothing and keeps the cursor.
        let pulls: Vec<(&str, Option<Vec<u8>>)> = vec![
            ("a pull with no cursor", http_200(r#"{"changes": [], "purge": [], "cursor": "", "has_more": false}"#)),
            ("a pull of the wrong shape", http_200(r#"{"changes": {"goals": 1}, "cursor": "x", "has_more": false}"#)),
            ("a pull with a change of the wrong shape", http_200(r#"{"changes": [{"record_id": 7}], "cursor": "x", "has_more": false}"#)),
        ];
        let witness = Phone::with_timeouts(&server, &server.base, &jess, "witness", TIMEOUTS).await?;
        witness.sync().await?;
        for (what, reply) in pulls {
            let raw = RawServer::start(reply).await?;
            let client = SyncClient::new(&raw.url, TIMEOUTS)?;
            let before = (witness.store.sync_cursor()?, witness.state(&jess)?);
            match sync_once(&witness.store, &client, &|_| {}).await {
                Err(SyncError::Protocol(_)) => {}
                other => return Err(fail(format!("{backend:?} {what}: expected a protocol error, got {other:?}"))),
            }
            assert_eq!((witness.store.sync_cursor()?, witness.state(&jess)?), before, "{backend:?} {what}: the pull changed the phone");
        }
        assert_eq!(record_ids(&witness.state(&jess)?)?.len(), 9, "{backend:?}: every case's goal reached the server once");
        server.stop().await?;
    }
    Ok(())
}

/// A captive portal or a proxy in front of the server that answers every
/// request with an error page of its own (HTML, not PROTOCOL.md's JSON error
/// body) has not judged any change: nothing may be set aside as rejected.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_error_page_from_a_middlebox_sets_no_change_aside() -> TestResult {
    for backend in Backend::available()? {
        let server = Server::start(backend).await?;
        let jess = server.add_user("jess", Role::Participant).await?;
        let mut failures = Vec::new();
        for status in ["400 Bad Request", "413 Request Entity Too Large", "422 Unprocessable Entity", "502 Bad Gateway"] {
            let page = format!("<html><body><h1>{status}</h1>Sign in to the guest Wi-Fi</body></html>");
            let reply = format!("HTTP/1.1 {status}\r\ncontent-type: text/html\r\ncontent-length: {}\r\n\r\n{page}", page.len());
            let raw = RawServer::start(Some(reply.into_bytes())).await?;
            let phone = Phone::with_timeouts(&server, &raw.url, &jess, "phone", TIMEOUTS).await?;
            for n in 0..3 {
                phone.store.create(&check_in(&jess, 2, &format!("{status}: check-in {n}")))?;
            }
            let before = phone.store.outbox()?;
            let outcome = phone.sync().await;
            let after = phone.store.outbox()?;
            let set_aside: Vec<_> =
                after.iter().filter(|e| e.state != OutboxState::Pending).map(|e| (&e.error_code, &e.error_message)).collect();
            if outcome.is_ok() || !set_aside.is_empty() || after.len() != before.len() {
                failures.push(format!(
                    "{backend:?} {status}: a middlebox's error page set {} of {} changes aside as rejected {:?} (sync returned {outcome:?})",
                    set_aside.len(),
                    before.len(),
                    set_aside.first()
                ));
            }
        }
        server.stop().await?;
        if !failures.is_empty() {
            return Err(fail(failures.join("\n")));
        }
    }
    Ok(())
}

/// splitmix64: a small, good-enough generator for a reproducible soak.
#[derive(Debug)]
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % u64::try_from(n.max(1)).unwrap_or(1)).unwrap_or(0)
    }
}

/// The seed: `ALONGSIDE_SOAK_SEED` to replay a failure, else from the clock.
fn soak_seed() -> TestResult<u64> {
    if let Ok(seed) = std::env::var("ALONGSIDE_SOAK_SEED") {
        return Ok(seed.parse()?);
    }
    let now = SystemTime::now().duration_since(UNIX_EPOCH)?;
    Ok(now.as_secs().wrapping_mul(1_000_000_007) ^ u64::from(now.subsec_nanos()))
}

/// For each (record, field), the newest value written on any phone, by HLC:
/// what every phone must hold at the end.
type Expected = BTreeMap<(String, String), (String, Value)>;

/// One random local edit on `phone`; notes what it wrote in `expected`.
fn random_edit(world: &mut World, n: usize, rng: &mut Rng, expected: &mut Expected, round: usize) -> TestResult {
    let participant = world.participant.clone();
    let phone = world.phone(n)?;
    let before = phone.store.outbox()?.len();
    let mut created = None;
    match rng.below(6) {
        0 | 1 => {
            let mood = i64::try_from(rng.below(5) + 1)?;
            created = Some(phone.store.create(&check_in(&participant, mood, &format!("round {round} on phone {n}")))?.id);
        }
        2 => created = Some(phone.store.create(&goal(&participant, &format!("Goal of round {round}")))?.id),
        choice => {
            let goals = phone.store.list::<Goal>(&participant)?;
            let Some(original) = goals.get(rng.below(goals.len())) else { return Ok(()) };
            match choice {
                3 => {
                    phone.store.update(original, &Goal { title: format!("Renamed in round {round} on phone {n}"), ..original.clone() })?;
                }
                4 => {
                    let status = [GoalStatus::Active, GoalStatus::Achieved, GoalStatus::Paused, GoalStatus::Archived][rng.below(4)];
                    phone.store.update(original, &Goal { status, ..original.clone() })?;
                }
                _ => phone.store.delete::<Goal>(&original.id)?,
            }
        }
    }
    let outbox = phone.store.outbox()?;
    if outbox.len() > before
        && let Some(entry) = outbox.last()
    {
        for (field, value) in &entry.change.fields {
            let key = (entry.change.record_id.clone(), field.clone());
            if expected.get(&key).is_none_or(|(hlc, _)| *hlc < entry.change.hlc) {
                expected.insert(key, (entry.change.hlc.clone(), value.clone()));
            }
        }
    }
    world.created.extend(created);
    Ok(())
}

async fn soak(backend: Backend, seed: u64) -> TestResult {
    let mut rng = Rng(seed);
    let mut world = World::start(backend, 3).await?;
    let mut expected = Expected::new();
    for round in 0..40 {
        let n = rng.below(3);
        for _ in 0..rng.below(4) {
            random_edit(&mut world, n, &mut rng, &mut expected, round)?;
        }
        let fault = match rng.below(6) {
            0 | 1 => Fault::Pass,
            2 => Fault::ResetMidRequest,
            3 => Fault::CutResponse(rng.below(400)),
            4 => Fault::Delay(PAST_TIMEOUT),
            _ => Fault::DropResponse,
        };
        let what = format!("round {round}: phone {n}, {fault:?}");
        world.proxy.set(fault.clone());
        if fault == Fault::Pass {
            world.sync_ok(n, &what).await?;
            let outbox = world.phone(n)?.store.outbox()?;
            if !outbox.is_empty() {
                return Err(fail(format!("{what}: the outbox did not empty: {outbox:?}")));
            }
        } else {
            world.sync_fails(n, &what).await?;
        }
    }
    let state = world.settle("soak").await?;
    // Nothing silently overwritten: every field holds its newest value.
    let collections = state.get("collections").and_then(Value::as_object).ok_or_else(|| fail("an export without collections"))?;
    let records: BTreeMap<&str, &Value> = collections
        .values()
        .filter_map(Value::as_array)
        .flatten()
        .filter_map(|record| Some((record.get("id")?.as_str()?, record)))
        .collect();
    for ((record_id, field), (hlc, value)) in &expected {
        let held = records.get(record_id.as_str()).and_then(|record| record.get(field));
        if held != Some(value) {
            return Err(fail(format!("{backend:?}: {record_id}.{field} is {held:?}, the newest write ({hlc}) was {value}")));
        }
    }
    world.server.stop().await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_soak_of_random_faults_and_edits_on_three_phones_converges() -> TestResult {
    let seed = soak_seed()?;
    eprintln!("soak seed: {seed} (replay with ALONGSIDE_SOAK_SEED={seed})");
    for backend in Backend::available()? {
        soak(backend, seed).await.map_err(|e| fail(format!("{e} (seed {seed}; replay with ALONGSIDE_SOAK_SEED={seed})")))?;
    }
    Ok(())
}
