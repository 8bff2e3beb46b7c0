//! What the concurrent-edit rules cost (protocol/README.md, "Concurrent
//! edits"): the same edits pushed, pulled and first synced with `base` (the
//! rules at work: the server keeps each field's base, a device checks every
//! pulled text and list field against its own edits) and without it (merged
//! by LWW alone, as before the rules), in one run, rounds interleaved.
//!
//!     cargo bench -p alongside-e2e --bench rules
//!
//! Each round and variant, on a fresh SQLite server on loopback: a loader
//! phone makes 5,000 goals and pushes them; a second phone pulls them and
//! pauses every goal (its own edits, for the checks to look at: the usual
//! case, where no one edited the same text at once); the loader
//! edits each goal's title and description twice (10,000 edits, each with a
//! base) and pushes them (**push**, batches of 500); the second phone pulls
//! them (**pull and merge**, against its own edits); a fresh phone pulls
//! everything (**initial sync**). Target: each within 10 % of the old way.

use std::time::{Duration, Instant};

use alongside_core::Change;
use alongside_core::model::{Goal, GoalArea, GoalStatus};
use alongside_core::sync::pull;
use alongside_harness::{Backend, Phone, Server, TestResult, fail};
use alongside_server::store::Role;

const GOALS: usize = 5_000;
const EDITS_PER_GOAL: usize = 2;
const BATCH: usize = 500;
const ROUNDS: usize = 5;
const TARGET: f64 = 1.10;

#[derive(Debug, Default)]
struct Timings {
    push: Vec<Duration>,
    pull: Vec<Duration>,
    initial: Vec<Duration>,
}

fn main() -> TestResult {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    runtime.block_on(async {
        let (mut with_rules, mut without) = (Timings::default(), Timings::default());
        for _ in 0..ROUNDS {
            round(true, &mut with_rules).await?;
            round(false, &mut without).await?;
        }
        report(&with_rules, &without);
        Ok(())
    })
}

async fn round(rules: bool, timings: &mut Timings) -> TestResult {
    let server = Server::start(Backend::Sqlite).await?;
    let jess = server.add_user("jess", Role::Participant).await?;
    let loader = Phone::new(&server, &server.base, &jess, "loader").await?;
    let other = Phone::new(&server, &server.base, &jess, "other phone").await?;
    let mut goals = Vec::with_capacity(GOALS);
    for i in 0..GOALS {
        goals.push(loader.store.create(&Goal::new(&jess, &format!("Goal {i}"), GoalArea::Parenting))?);
    }
    push_all(&loader, loader.store.pending_changes(GOALS)?).await?;
    clear_outbox(&loader)?;
    pull(&other.store, &other.client).await?;
    for goal in &goals {
        let seen: Goal = other.store.get(&goal.id)?;
        other.store.update(&seen, &Goal { status: GoalStatus::Paused, ..seen.clone() })?;
    }

    for round in 0..EDITS_PER_GOAL {
        for goal in &mut goals {
            let edited =
                Goal { title: format!("{} edited {round}", goal.title), description: Some(format!("Step {round}")), ..goal.clone() };
            *goal = loader.store.update(goal, &edited)?;
        }
    }
    let mut edits = loader.store.pending_changes(GOALS * EDITS_PER_GOAL)?;
    if edits.len() != GOALS * EDITS_PER_GOAL {
        return Err(fail(format!("{} edits queued", edits.len())));
    }
    if edits.iter().any(|c| c.base.is_none()) {
        return Err(fail("an edit of a text field carries no base"));
    }
    if !rules {
        for change in &mut edits {
            change.base = None;
        }
    }

    let started = Instant::now();
    push_all(&loader, edits).await?;
    timings.push.push(started.elapsed());

    let started = Instant::now();
    let report = pull(&other.store, &other.client).await?;
    timings.pull.push(started.elapsed());
    if report.pulled == 0 {
        return Err(fail("the other phone pulled nothing"));
    }

    let fresh = Phone::new(&server, &server.base, &jess, "fresh phone").await?;
    let started = Instant::now();
    pull(&fresh.store, &fresh.client).await?;
    timings.initial.push(started.elapsed());
    server.stop().await
}

/// Pushes `changes` in the core's batches, every one applied.
async fn push_all(phone: &Phone, changes: Vec<Change>) -> TestResult {
    let token = phone.store.session()?.ok_or_else(|| fail("not signed in"))?.token;
    for batch in changes.chunks(BATCH) {
        let response = phone.client.push(&token, batch.to_vec()).await?;
        if let Some(refused) = response.results.iter().find(|r| r.error.is_some()) {
            return Err(fail(format!("refused: {refused:?}")));
        }
    }
    Ok(())
}

/// What was pushed by hand leaves the loader's outbox, so later edits go alone.
fn clear_outbox(phone: &Phone) -> TestResult {
    let batch = phone.store.outbox_batch(usize::MAX)?;
    let results: Vec<_> = batch
        .changes
        .iter()
        .map(|c| alongside_core::protocol::PushResult {
            change_id: c.change_id.clone(),
            status: alongside_core::protocol::PushStatus::Duplicate,
            error: None,
        })
        .collect();
    phone.store.record_push(&batch, &results)?;
    Ok(())
}

fn median(samples: &[Duration]) -> Duration {
    let mut sorted = samples.to_vec();
    sorted.sort();
    sorted[sorted.len() / 2]
}

fn report(with_rules: &Timings, without: &Timings) {
    println!();
    println!(
        "alongside concurrent-edit rules: {GOALS} goals, {} edits, SQLite on loopback, medians of {ROUNDS} interleaved rounds",
        GOALS * EDITS_PER_GOAL
    );
    println!("{:<36} {:>12} {:>14} {:>8}   target", "figure", "with rules", "LWW alone", "ratio");
    for (name, with, old) in [
        ("push (10,000 edits)", &with_rules.push, &without.push),
        ("pull and merge, against own edits", &with_rules.pull, &without.pull),
        ("initial sync of a fresh phone", &with_rules.initial, &without.initial),
    ] {
        let (with, old) = (median(with), median(old));
        let ratio = with.as_secs_f64() / old.as_secs_f64();
        let verdict = if ratio <= TARGET { "met" } else { "MISSED" };
        println!("{name:<36} {:>10.3} s {:>12.3} s {ratio:>8.2}   ≤ {TARGET:.2} {verdict}", with.as_secs_f64(), old.as_secs_f64());
    }
}
