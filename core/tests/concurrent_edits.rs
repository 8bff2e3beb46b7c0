//! Concurrent edits (protocol/README.md, "Concurrent edits"): a participant's
//! phone and their peer worker's edit the same list or text while apart.
//! Additions to a list both survive; a text that lost stays on the phone it
//! was typed on as a conflict the person settles. Changes travel between the
//! two stores as a server would pass them on (the server's own part is
//! tested with it, in the end-to-end suites).

mod common;

use alongside_core::Store;
use alongside_core::model::{Goal, SafetyPlan};
use alongside_core::protocol::{PushResult, PushStatus};
use alongside_core::schema::Collection;
use alongside_core::store::Settle;
use common::fixtures::{TestResult, goal, new_id, open_store};
use serde_json::json;

/// The wall clocks of the two phones: the peer worker's runs a second later,
/// so where both edit at once, the peer worker's edit wins.
fn participant_clock() -> u64 {
    1_800_000_000_000
}
fn peer_clock() -> u64 {
    1_800_000_001_000
}

struct Phone {
    store: Store,
    user_id: String,
    _dir: tempfile::TempDir,
}

fn phone(user_id: &str, wall: fn() -> u64) -> TestResult<Phone> {
    let (dir, store) = open_store()?;
    store.set_wall_clock(wall);
    Ok(Phone { store, user_id: user_id.to_owned(), _dir: dir })
}

/// Pushes `from`'s outbox (the server takes it all) and passes it on to `to`,
/// authored by `from`'s person.
fn send(from: &Phone, to: &Phone) -> TestResult<usize> {
    let batch = from.store.outbox_batch(1000)?;
    let results: Vec<PushResult> =
        batch.changes.iter().map(|c| PushResult { change_id: c.change_id.clone(), status: PushStatus::Applied, error: None }).collect();
    from.store.record_push(&batch, &results)?;
    let changes: Vec<_> =
        batch.changes.iter().cloned().map(|c| alongside_core::Change { author_id: Some(from.user_id.clone()), ..c }).collect();
    to.store.apply_remote(&changes)?;
    Ok(changes.len())
}

/// A goal made on `mine` and passed to `peer`, then edited on each apart:
/// `my_edit` on mine's copy, `their_edit` on peer's. Returns it as made.
fn goal_edited_apart(mine: &Phone, peer: &Phone, my_edit: impl Fn(Goal) -> Goal, their_edit: impl Fn(Goal) -> Goal) -> TestResult<Goal> {
    let made = mine.store.create(&goal(&mine.user_id, "Walk the kids to school"))?;
    send(mine, peer)?;
    mine.store.update(&made, &my_edit(made.clone()))?;
    let theirs = peer.store.get::<Goal>(&made.id)?;
    peer.store.update(&theirs, &their_edit(theirs.clone()))?;
    Ok(made)
}

fn plan(participant_id: &str, warning_signs: &[&str]) -> SafetyPlan {
    SafetyPlan {
        id: participant_id.into(),
        participant_id: participant_id.into(),
        warning_signs: warning_signs.iter().map(|s| (*s).to_owned()).collect(),
        ..SafetyPlan::default()
    }
}

fn signs(store: &Store, participant_id: &str) -> TestResult<Vec<String>> {
    Ok(store.get::<SafetyPlan>(participant_id)?.warning_signs)
}

#[test]
fn warning_signs_added_on_two_phones_at_once_both_survive() -> TestResult {
    let rosa = new_id();
    let (mine, peer) = (phone(&rosa, participant_clock)?, phone(&new_id(), peer_clock)?);
    mine.store.create(&plan(&rosa, &["not sleeping"]))?;
    send(&mine, &peer)?;

    let before = mine.store.get::<SafetyPlan>(&rosa)?;
    mine.store.update(&before, &plan(&rosa, &["not sleeping", "skipping meals"]))?;
    let before = peer.store.get::<SafetyPlan>(&rosa)?;
    peer.store.update(&before, &plan(&rosa, &["not sleeping", "staying in my room"]))?;

    // The participant's edit reaches the peer worker's phone and loses there:
    // nothing to do on the winning side.
    send(&mine, &peer)?;
    assert_eq!(signs(&peer.store, &rosa)?, ["not sleeping", "staying in my room"]);
    assert_eq!(peer.store.outbox()?.len(), 1, "only its own edit waits to be sent");
    // The peer worker's edit beats the participant's on her phone, which
    // writes the two merged; that reaches the peer worker too.
    send(&peer, &mine)?;
    let merged = ["not sleeping", "staying in my room", "skipping meals"];
    assert_eq!(signs(&mine.store, &rosa)?, merged);
    assert_eq!(send(&mine, &peer)?, 1, "one merged change");
    assert_eq!(signs(&peer.store, &rosa)?, merged);
    assert!(mine.store.conflicts(&rosa)?.is_empty() && peer.store.conflicts(&rosa)?.is_empty(), "a merged list is no conflict");
    Ok(())
}

#[test]
fn a_removal_on_one_phone_and_an_addition_on_the_other_both_hold() -> TestResult {
    let rosa = new_id();
    let (mine, peer) = (phone(&rosa, participant_clock)?, phone(&new_id(), peer_clock)?);
    mine.store.create(&plan(&rosa, &["not sleeping", "old friends calling"]))?;
    send(&mine, &peer)?;
    // Edited twice here, the peer worker saw neither.
    let before = mine.store.get::<SafetyPlan>(&rosa)?;
    let once = mine.store.update(&before, &plan(&rosa, &["not sleeping"]))?;
    mine.store.update(&once, &plan(&rosa, &["not sleeping", "payday"]))?;
    let before = peer.store.get::<SafetyPlan>(&rosa)?;
    peer.store.update(&before, &plan(&rosa, &["not sleeping", "old friends calling", "court dates"]))?;
    send(&peer, &mine)?;
    assert_eq!(signs(&mine.store, &rosa)?, ["not sleeping", "court dates", "payday"], "what she removed stays removed");
    send(&mine, &peer)?;
    assert_eq!(signs(&peer.store, &rosa)?, ["not sleeping", "court dates", "payday"]);
    Ok(())
}

#[test]
fn a_title_that_lost_stays_on_the_phone_it_was_typed_on_until_settled() -> TestResult {
    let rosa = new_id();
    let (mine, peer) = (phone(&rosa, participant_clock)?, phone(&new_id(), peer_clock)?);
    let goal = goal_edited_apart(
        &mine,
        &peer,
        |g| Goal { title: "Walk Maya and Leo to school".into(), ..g },
        |g| Goal { title: "Walk the kids to school, weekdays".into(), ..g },
    )?;
    send(&mine, &peer)?;
    send(&peer, &mine)?;

    assert_eq!(mine.store.get::<Goal>(&goal.id)?.title, "Walk the kids to school, weekdays", "the later edit stands");
    let conflicts = mine.store.conflicts(&rosa)?;
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    let conflict = &conflicts[0];
    assert_eq!((conflict.collection, conflict.record_id.as_str(), conflict.field.as_str()), (Collection::Goals, goal.id.as_str(), "title"));
    assert_eq!(conflict.mine, json!("Walk Maya and Leo to school"));
    assert_eq!(conflict.theirs, json!("Walk the kids to school, weekdays"));
    assert_eq!(conflict.their_author_id.as_deref(), Some(peer.user_id.as_str()));
    assert!(peer.store.conflicts(&rosa)?.is_empty(), "the winner's phone has nothing to settle");

    // She keeps hers: a new edit, which reaches the peer worker.
    mine.store.settle_conflict(&conflict.id, Settle::KeepMine)?;
    assert!(mine.store.conflicts(&rosa)?.is_empty());
    send(&mine, &peer)?;
    assert_eq!(peer.store.get::<Goal>(&goal.id)?.title, "Walk Maya and Leo to school");
    assert!(peer.store.conflicts(&rosa)?.is_empty(), "an edit made having seen theirs is no conflict");
    Ok(())
}

#[test]
fn an_edit_made_after_seeing_mine_is_no_conflict_and_nor_is_my_own_echo() -> TestResult {
    let rosa = new_id();
    let (mine, peer) = (phone(&rosa, participant_clock)?, phone(&new_id(), peer_clock)?);
    let goal = mine.store.create(&goal(&rosa, "Walk the kids to school"))?;
    let edited = mine.store.update(&goal, &Goal { title: "Walk Maya and Leo to school".into(), ..goal.clone() })?;
    // My own change comes back to me (as a pull from the server would bring it).
    let echo = mine.store.pending_changes(10)?;
    send(&mine, &peer)?;
    mine.store.apply_remote(&echo)?;
    let theirs = peer.store.get::<Goal>(&goal.id)?;
    assert_eq!(theirs, edited);
    peer.store.update(&theirs, &Goal { title: "Walk Maya and Leo to school, weekdays".into(), ..theirs.clone() })?;
    send(&peer, &mine)?;
    assert_eq!(mine.store.get::<Goal>(&goal.id)?.title, "Walk Maya and Leo to school, weekdays");
    assert!(mine.store.conflicts(&rosa)?.is_empty());
    Ok(())
}

#[test]
fn letting_mine_go_leaves_the_record_as_it_is() -> TestResult {
    let rosa = new_id();
    let (mine, peer) = (phone(&rosa, participant_clock)?, phone(&new_id(), peer_clock)?);
    let goal = goal_edited_apart(
        &mine,
        &peer,
        |g| Goal { description: Some("Mondays first".into()), ..g },
        |g| Goal { description: Some("Every weekday".into()), ..g },
    )?;
    send(&peer, &mine)?;
    let conflict = mine.store.conflicts(&rosa)?.pop().ok_or("a conflict")?;
    mine.store.settle_conflict(&conflict.id, Settle::KeepTheirs)?;
    assert!(mine.store.conflicts(&rosa)?.is_empty());
    assert_eq!(mine.store.get::<Goal>(&goal.id)?.description.as_deref(), Some("Every weekday"));
    // Only the edit that lost is still to send; settling queued nothing.
    assert_eq!(mine.store.pending_changes(10)?.len(), 1);
    Ok(())
}

#[test]
fn what_a_peer_worker_kept_of_a_withdrawn_category_goes_with_it() -> TestResult {
    let rosa = new_id();
    // Here the participant's edit wins, so the peer worker's phone keeps a conflict.
    let (mine, peer) = (phone(&rosa, peer_clock)?, phone(&new_id(), participant_clock)?);
    goal_edited_apart(
        &mine,
        &peer,
        |g| Goal { title: "Walk Maya and Leo to school".into(), ..g },
        |g| Goal { title: "School mornings".into(), ..g },
    )?;
    send(&mine, &peer)?;
    assert_eq!(peer.store.conflicts(&rosa)?.len(), 1);

    let withdrawn = alongside_core::protocol::Purge { participant_id: rosa.clone(), collections: vec!["goals".into()] };
    peer.store.apply_pull(&[], &[withdrawn], "cursor")?;
    assert!(peer.store.conflicts(&rosa)?.is_empty(), "no trace of a withdrawn goal stays");
    Ok(())
}

#[test]
fn a_kept_edit_reads_as_words_with_who_else_changed_it() -> TestResult {
    let rosa = new_id();
    let (mine, peer) = (phone(&rosa, participant_clock)?, phone(&new_id(), peer_clock)?);
    for (phone, name) in [(&mine, "Rosa"), (&peer, "Maria")] {
        phone.store.set_session(Some(&alongside_core::store::Session {
            token: "t".into(),
            device_id: new_id(),
            user_id: phone.user_id.clone(),
            role: String::new(),
            display_name: name.into(),
        }))?;
    }
    goal_edited_apart(
        &mine,
        &peer,
        |g| Goal { description: Some("Mondays first".into()), ..g },
        |g| Goal { description: Some("Every weekday".into()), ..g },
    )?;
    send(&peer, &mine)?;
    let views = mine.store.conflict_views()?;
    assert_eq!(views.len(), 1);
    let view = &views[0];
    assert_eq!(view.record_title.as_deref(), Some("Walk the kids to school"), "which goal");
    assert_eq!((view.mine.as_str(), view.theirs.as_str()), ("Mondays first", "Every weekday"));
    assert!(view.theirs_by_peer_worker && !view.theirs_by_you, "on her phone, the other edit was her peer worker's");
    Ok(())
}
