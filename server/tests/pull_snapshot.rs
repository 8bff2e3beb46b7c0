//! A pull page is one consistent snapshot. A page reads the caseload, the
//! sharing records, the purges and the records of each participant; a
//! change of sharing that commits while it reads must still reach the peer
//! worker's devices: a withdrawal as a purge, a grant as the records it
//! shares.
//!
//! [`Interleaving`] wraps the page's transaction and commits the sharing
//! change (and one more write after it) from another connection just before
//! the page's k-th statement, for every k. The device then pulls to the end
//! and must hold exactly what a device pulling from scratch gets.
//!
//! When the page's reads were separate transactions, this failed: with the
//! withdrawal committed just before the records were read, the page carried
//! records past the purge and the cursor moved beyond it; the purge never
//! came, and the device kept the withdrawn goal.

use std::future::Future;
use std::pin::Pin;

use alongside_harness::wire::Replica;
use alongside_harness::wire::{change, hlc, new_id};
use alongside_harness::{Backend, BoxError, Server, TestResult, fail, on_every_backend};
use alongside_protocol::Change;
use alongside_protocol::protocol::PushStatus;
use alongside_server::clock::Clock;
use alongside_server::cursor::Cursor;
use alongside_server::policy::Actor;
use alongside_server::store::sql::{BoxFuture, Dialect, Param, Row};
use alongside_server::store::{Database, Executor, Role, Store as _, StoreError, StoreResult, User};
use alongside_server::sync::{self, PullPage, PushContext};
use serde_json::{Value, json};

on_every_backend!(withdrawal_then_message_during_a_page, withdrawal_then_goal_edit_during_a_page, grant_then_message_during_a_page);

type Action = Pin<Box<dyn Future<Output = Result<(), BoxError>> + Send>>;

/// Page size of the device's pulls: large enough for everything in one page,
/// so a page is cut only where the pull itself decides to.
const LIMIT: usize = 100;

/// The page's transaction, with `action` run just before statement `at`.
struct Interleaving<'t> {
    inner: &'t mut dyn Executor,
    at: Option<usize>,
    statements: usize,
    action: Option<Action>,
}

impl Interleaving<'_> {
    async fn before_statement(&mut self) -> StoreResult<()> {
        if Some(self.statements) == self.at
            && let Some(action) = self.action.take()
        {
            action.await.map_err(|e| StoreError::Task(format!("the interleaved write failed: {e}")))?;
        }
        self.statements += 1;
        Ok(())
    }
}

impl Executor for Interleaving<'_> {
    fn dialect(&self) -> Dialect {
        self.inner.dialect()
    }

    fn execute<'a>(&'a mut self, sql: &'a str, params: &'a [Param]) -> BoxFuture<'a, StoreResult<u64>> {
        Box::pin(async move {
            self.before_statement().await?;
            self.inner.execute(sql, params).await
        })
    }

    fn query<'a>(&'a mut self, sql: &'a str, params: &'a [Param]) -> BoxFuture<'a, StoreResult<Vec<Row>>> {
        Box::pin(async move {
            self.before_statement().await?;
            self.inner.query(sql, params).await
        })
    }

    fn batch<'a>(&'a mut self, sql: &'a str) -> BoxFuture<'a, StoreResult<()>> {
        Box::pin(async move {
            self.before_statement().await?;
            self.inner.batch(sql).await
        })
    }
}

/// One page, read as [`sync::pull`] reads it, with `action` committed just
/// before statement `at` of its transaction. Returns the page and how many
/// statements it ran.
async fn interleaved_page(
    db: &Database,
    actor: &Actor,
    cursor: Cursor,
    at: Option<usize>,
    action: Option<Action>,
) -> StoreResult<(PullPage, usize)> {
    let actor = actor.clone();
    let today = Clock::default().today();
    let history = db.history();
    db.read(move |tx| {
        Box::pin(async move {
            let mut interleaved = Interleaving { inner: tx, at, statements: 0, action };
            let page = sync::read_page(&mut interleaved, &actor, history, cursor, LIMIT, today).await?;
            Ok((page, interleaved.statements))
        })
    })
    .await
}

/// Pulls pages from `cursor` until the server says there is no more.
async fn pull_to_end(db: &Database, actor: &Actor, mut cursor: Cursor, device: &mut Replica) -> Result<Cursor, BoxError> {
    for _ in 0..100 {
        let page = sync::pull(db, actor, cursor, LIMIT, Clock::default().today()).await?;
        device.apply(&json!({"changes": page.changes, "purge": page.purge}))?;
        cursor = page.cursor;
        if !page.has_more {
            return Ok(cursor);
        }
    }
    Err(fail("the pull never ended"))
}

/// What commits while the page reads.
#[derive(Debug, Clone, Copy)]
enum Interleaved {
    /// Goals withdrawn, then a message (a collection always shared).
    WithdrawalThenMessage,
    /// Goals withdrawn, then the goal edited.
    WithdrawalThenGoalEdit,
    /// Goals shared, then a message.
    GrantThenMessage,
}

/// A participant with one goal on their peer worker's caseload, and the peer
/// worker's device, which pulled everything there was.
struct World {
    db: Database,
    participant: Actor,
    peer_worker: Actor,
    goal_id: String,
    device: Replica,
    cursor: Cursor,
}

async fn user(db: &Database, username: &str, role: Role) -> Result<Actor, BoxError> {
    let id = new_id();
    let user = User { id: id.clone(), username: username.into(), role, display_name: username.into() };
    db.create_user(&user, "not used: nobody logs in", 0).await?;
    Ok(Actor { user_id: id, role })
}

/// Pushes `changes` as `actor`; each must be applied.
async fn push(db: &Database, actor: &Actor, changes: &[Value]) -> Result<(), BoxError> {
    let changes: Vec<Change> = changes.iter().map(|c| serde_json::from_value(c.clone())).collect::<Result<_, _>>()?;
    let results = sync::push(db, PushContext::at(actor.clone(), &Clock::default()), changes.into()).await?;
    if let Some(refused) = results.iter().find(|r| r.status != PushStatus::Applied) {
        return Err(fail(format!("push refused: {refused:?}")));
    }
    Ok(())
}

impl World {
    async fn new(db: Database, shared: bool) -> Result<World, BoxError> {
        let participant = user(&db, &format!("rosa-{}", new_id()), Role::Participant).await?;
        let peer_worker = user(&db, &format!("will-{}", new_id()), Role::PeerWorker).await?;
        db.set_caseload(&peer_worker.user_id, &participant.user_id, true, 0).await?;
        let p = participant.user_id.clone();
        let goal_id = new_id();
        let share = change("sharing", &p, &p, &hlc(-5000, 0, "r"), json!({"goals": shared}));
        let goal =
            change("goals", &goal_id, &p, &hlc(-5000, 1, "r"), json!({"title": "walk daily", "area": "parenting", "status": "active"}));
        push(&db, &participant, &[share, goal]).await?;
        let mut device = Replica::default();
        let cursor = pull_to_end(&db, &peer_worker, Cursor::default(), &mut device).await?;
        if device.records_of("goals", &p).len() != usize::from(shared) {
            return Err(fail(format!(
                "setup: the device should hold {} goal(s), holds {:?}",
                usize::from(shared),
                device.records("goals")
            )));
        }
        Ok(World { db, participant, peer_worker, goal_id, device, cursor })
    }

    fn action(&self, interleaved: Interleaved) -> Action {
        let (db, participant, goal_id) = (self.db.clone(), self.participant.clone(), self.goal_id.clone());
        Box::pin(async move {
            let p = participant.user_id.clone();
            let shared = matches!(interleaved, Interleaved::GrantThenMessage);
            push(&db, &participant, &[change("sharing", &p, &p, &hlc(-1000, 0, "r"), json!({"goals": shared}))]).await?;
            let later = match interleaved {
                Interleaved::WithdrawalThenMessage | Interleaved::GrantThenMessage => {
                    change("messages", &new_id(), &p, &hlc(-900, 0, "r"), json!({"body": "hi", "sent_at": "2026-11-23T08:15:00Z"}))
                }
                Interleaved::WithdrawalThenGoalEdit => {
                    change("goals", &goal_id, &p, &hlc(-900, 0, "r"), json!({"title": "walk daily, privately"}))
                }
            };
            push(&db, &participant, &[later]).await
        })
    }
}

/// Commits `interleaved` before statement k of a page, for every k (and once
/// after the page); each time the device must end with what a fresh device
/// pulls: for a withdrawal no goal, and a purge received; for a grant the goal.
async fn during_a_page(backend: Backend, interleaved: Interleaved) -> TestResult {
    let server = Server::start(backend).await?;
    let shared_before = !matches!(interleaved, Interleaved::GrantThenMessage);
    let world = World::new(server.db.clone(), shared_before).await?;
    let (_, statements) = interleaved_page(&world.db, &world.peer_worker, world.cursor.clone(), None, None).await?;
    let mut failures = Vec::new();
    for k in 0..=statements {
        let mut world = World::new(server.db.clone(), shared_before).await?;
        let action = world.action(interleaved);
        let (page, _) = interleaved_page(&world.db, &world.peer_worker, world.cursor.clone(), Some(k), Some(action)).await?;
        world.device.apply(&json!({"changes": page.changes, "purge": page.purge}))?;
        if k == statements {
            // Past the last statement: the change commits after the page.
            world.action(interleaved).await?;
        }
        pull_to_end(&world.db, &world.peer_worker, page.cursor, &mut world.device).await?;

        let mut fresh = Replica::default();
        pull_to_end(&world.db, &world.peer_worker, Cursor::default(), &mut fresh).await?;
        let p = &world.participant.user_id;
        let (held, expected) = (world.device.records_of("goals", p), fresh.records_of("goals", p));
        if shared_before && !expected.is_empty() {
            return Err(fail(format!("k = {k}: a fresh pull still returns withdrawn goals {expected:?}")));
        }
        if held != expected || (shared_before && !world.device.purged) {
            failures.push(format!(
                "k = {k}: the device holds goals {held:?}, a fresh device {expected:?}; purge received: {}",
                world.device.purged
            ));
        }
    }
    if !failures.is_empty() {
        return Err(fail(format!("{interleaved:?} during a page of {statements} statements was lost:\n{}", failures.join("\n"))));
    }
    server.stop().await
}

async fn withdrawal_then_message_during_a_page(backend: Backend) -> TestResult {
    during_a_page(backend, Interleaved::WithdrawalThenMessage).await
}

async fn withdrawal_then_goal_edit_during_a_page(backend: Backend) -> TestResult {
    during_a_page(backend, Interleaved::WithdrawalThenGoalEdit).await
}

async fn grant_then_message_during_a_page(backend: Backend) -> TestResult {
    during_a_page(backend, Interleaved::GrantThenMessage).await
}
