//! A change the server refused is the person's to settle: they see why, send
//! it again (after fixing it), or let it go, and letting go brings the
//! server's copy back.

mod common;

use alongside_core::Store;
use alongside_core::codes::RejectionCode;
use alongside_core::model::Goal;
use alongside_core::protocol::{PushResult, PushStatus, RejectionBody};
use alongside_core::store::OutboxState;
use common::fixtures::{TestResult, goal, new_id, open_store};

/// The server's answer to the whole outbox: `refuse` is refused, the rest taken.
fn answer(store: &Store, refuse: &str) -> TestResult {
    let batch = store.outbox_batch(100)?;
    let results: Vec<PushResult> = batch
        .changes
        .iter()
        .map(|c| match c.change_id == refuse {
            true => PushResult {
                change_id: c.change_id.clone(),
                status: PushStatus::Rejected,
                error: Some(RejectionBody::new(RejectionCode::Forbidden, "you may not write this").with_field("title")),
            },
            false => PushResult { change_id: c.change_id.clone(), status: PushStatus::Applied, error: None },
        })
        .collect();
    store.record_push(&batch, &results)?;
    Ok(())
}

#[test]
fn a_refused_edit_let_go_takes_back_its_value_and_pulls_again() -> TestResult {
    let (_dir, store) = open_store()?;
    let rosa = new_id();
    let made = store.create(&goal(&rosa, "Walk the kids to school"))?;
    answer(&store, "")?;
    store.apply_pull(&[], &[], "after everything")?;
    store.update(&made, &Goal { title: "Walk them every day".into(), ..made.clone() })?;
    let refused = store.pending_changes(10)?.pop().ok_or("an edit")?;
    answer(&store, &refused.change_id)?;
    let entry = store.outbox()?.pop().ok_or("the refusal")?;
    assert_eq!((entry.state, entry.error_code.as_deref()), (OutboxState::Rejected, Some("forbidden")));

    store.discard_refused(&refused.change_id)?;
    assert!(store.outbox()?.is_empty());
    // The title it wrote is taken back; until the server's copy returns the
    // goal waits out of sight rather than show what the server refused.
    assert!(store.get::<Goal>(&made.id).is_err());
    assert_eq!(store.sync_cursor()?, None, "the next sync pulls everything again");
    Ok(())
}

#[test]
fn a_refused_record_let_go_is_gone() -> TestResult {
    let (_dir, store) = open_store()?;
    let made = store.create(&goal(&new_id(), "Walk the kids to school"))?;
    let refused = store.pending_changes(10)?.pop().ok_or("the record")?;
    answer(&store, &refused.change_id)?;
    store.discard_refused(&refused.change_id)?;
    assert!(store.get::<Goal>(&made.id).is_err());
    assert!(store.outbox()?.is_empty());
    assert!(store.discard_refused(&refused.change_id).is_err(), "nothing is left to let go");
    Ok(())
}

#[test]
fn a_refused_edit_fixed_and_sent_again_carries_the_fix() -> TestResult {
    let (_dir, store) = open_store()?;
    let made = store.create(&goal(&new_id(), "Walk the kids to school"))?;
    let refused = store.pending_changes(10)?.pop().ok_or("the record")?;
    answer(&store, &refused.change_id)?;
    assert_eq!(store.pending_count()?, 0);
    store.update(&made, &Goal { title: "Walk Maya to school".into(), ..made.clone() })?;
    let fix = store.pending_changes(10)?.pop().ok_or("the fix")?;
    store.retry_refused(&refused.change_id)?;
    let waiting = store.pending_changes(10)?;
    let retried = waiting.iter().find(|c| c.change_id == refused.change_id).ok_or("sent again")?;
    assert_eq!(retried.fields["title"], "Walk Maya to school");
    assert!(retried.hlc > refused.hlc, "stamped afresh");
    let seen = retried.base.as_ref().and_then(|base| base.seen("title"));
    assert_eq!(seen, Some(Some(fix.hlc.as_str())), "it says it replaces the title as the fix left it");
    assert_eq!(store.outbox()?.iter().filter(|e| e.state == OutboxState::Rejected).count(), 0);
    assert_eq!(store.pending_count()?, 2);
    Ok(())
}
