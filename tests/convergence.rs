//! Convergence, as a property: three phones of one participant and the
//! server, random interleavings of local edits (the same records, the same
//! fields, deletes), pushes, pulls, and duplicated and reordered pushes. At the
//! end every phone and the server hold the same state.

use std::sync::Arc;

use alongside_core::Change;
use alongside_core::model::{Goal, GoalArea, GoalStatus};
use alongside_core::sync;
use alongside_harness::{Backend, Phone, Server, TestResult, fail};
use alongside_server::store::Role;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

const PHONES: usize = 3;
const RECORDS: usize = 3;
const TITLES: [&str; 4] = ["Walk the kids to school", "Two meetings a week", "Call the caseworker", "Cook dinner together"];
const STATUSES: [GoalStatus; 3] = [GoalStatus::Active, GoalStatus::Paused, GoalStatus::Achieved];

#[derive(Debug, Clone)]
enum Edit {
    Title(usize),
    Status(usize),
    Score(Option<i64>),
    Delete,
}

#[derive(Debug, Clone)]
enum Op {
    Edit {
        phone: usize,
        record: usize,
        edit: Edit,
    },
    Push(usize),
    Pull(usize),
    Sync(usize),
    /// Sends one of the phone's earlier push batches again, as a network that
    /// duplicates and reorders requests would.
    Replay {
        phone: usize,
        batch: usize,
    },
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0..TITLES.len()).prop_map(Edit::Title),
        (0..STATUSES.len()).prop_map(Edit::Status),
        proptest::option::of(-2i64..=2).prop_map(Edit::Score),
        Just(Edit::Delete),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        5 => (0..PHONES, 0..RECORDS, edit()).prop_map(|(phone, record, edit)| Op::Edit { phone, record, edit }),
        2 => (0..PHONES).prop_map(Op::Push),
        2 => (0..PHONES).prop_map(Op::Pull),
        1 => (0..PHONES).prop_map(Op::Sync),
        2 => (0..PHONES, 0..8usize).prop_map(|(phone, batch)| Op::Replay { phone, batch }),
    ]
}

#[test]
fn phones_and_server_converge_whatever_the_interleaving() -> TestResult {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    let server = runtime.block_on(Server::start(Backend::Sqlite))?;
    let mut runner = TestRunner::new(Config { cases: 300, failure_persistence: None, ..Config::default() });
    let result = runner.run(&proptest::collection::vec(op(), 1..40), |ops| {
        runtime.block_on(run_case(&server, ops)).map_err(|e| TestCaseError::fail(e.to_string()))
    });
    runtime.block_on(server.stop())?;
    result.map_err(|e| fail(e.to_string()))
}

async fn run_case(server: &Server, ops: Vec<Op>) -> TestResult {
    let participant = server.add_user(&format!("p{}", uuid::Uuid::new_v4().simple()), Role::Participant).await?;
    let mut phones = Vec::new();
    for i in 0..PHONES {
        phones.push(Phone::new(server, &server.base, &participant, &format!("phone {i}")).await?);
    }
    let ids: Vec<String> = (0..RECORDS).map(|_| uuid::Uuid::new_v4().to_string()).collect();
    let mut sent: Vec<Vec<Vec<Change>>> = vec![Vec::new(); PHONES];

    for op in ops {
        match op {
            Op::Edit { phone, record, edit } => apply_edit(&phones[phone], &participant, &ids[record], &edit)?,
            Op::Push(phone) => {
                sent[phone].push(phones[phone].store.pending_changes(1000)?);
                sync::push(&phones[phone].store, &phones[phone].client).await?;
            }
            Op::Pull(phone) => {
                sync::pull(&phones[phone].store, &phones[phone].client).await?;
            }
            Op::Sync(phone) => {
                sent[phone].push(phones[phone].store.pending_changes(1000)?);
                phones[phone].sync().await?;
            }
            Op::Replay { phone, batch } => {
                let batches = &sent[phone];
                if let Some(changes) = batches.get(batch % batches.len().max(1)).filter(|c| !c.is_empty()) {
                    let token = token(&phones[phone].store)?;
                    let response = phones[phone].client.push(&token, changes.clone()).await?;
                    if response.results.len() != changes.len() {
                        return Err(fail("a replayed push did not answer every change"));
                    }
                }
            }
        }
    }

    // Everyone comes online: two rounds carry every change everywhere.
    for _ in 0..2 {
        for phone in &phones {
            phone.sync().await?;
        }
    }
    // The server's state, as a device that has never synced receives it.
    let fresh = Phone::new(server, &server.base, &participant, "fresh").await?;
    fresh.sync().await?;
    let expected = fresh.state(&participant)?;
    for (i, phone) in phones.iter().enumerate() {
        if phone.state(&participant)? != expected {
            return Err(fail(format!("phone {i} differs from the server:\n{}\nvs\n{expected}", phone.state(&participant)?)));
        }
        if !phone.store.outbox()?.is_empty() {
            return Err(fail(format!("phone {i} still has changes waiting: {:?}", phone.store.outbox()?)));
        }
    }
    Ok(())
}

fn apply_edit(phone: &Phone, participant: &str, id: &str, edit: &Edit) -> TestResult {
    let store = &phone.store;
    let Ok(original) = store.get::<Goal>(id) else {
        // Not on this phone (never seen, or deleted): make it here.
        if matches!(edit, Edit::Delete) {
            return Ok(());
        }
        let mut goal = Goal { id: id.to_owned(), ..Goal::new(participant, TITLES[0], GoalArea::Parenting) };
        change(&mut goal, edit);
        store.create(&goal)?;
        return Ok(());
    };
    if matches!(edit, Edit::Delete) {
        store.delete::<Goal>(id)?;
        return Ok(());
    }
    let mut edited = original.clone();
    change(&mut edited, edit);
    store.update(&original, &edited)?;
    Ok(())
}

fn change(goal: &mut Goal, edit: &Edit) {
    match edit {
        Edit::Title(i) => goal.title = TITLES[*i].into(),
        Edit::Status(i) => goal.status = STATUSES[*i],
        Edit::Score(score) => goal.gas_score = *score,
        Edit::Delete => goal.deleted = true,
    }
}

fn token(store: &Arc<alongside_core::Store>) -> TestResult<String> {
    Ok(store.session()?.ok_or_else(|| fail("phone is not signed in"))?.token)
}
