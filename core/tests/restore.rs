//! A server restored from a backup tells the device on the pull page that
//! starts again (protocol/README.md, "Restored servers"); the device gives it
//! back what only it knew: fields it wrote that the pull shows the server
//! lacks, as changes with their original HLCs, ahead of pending edits. Here
//! the server's pages are written by hand; `tests/restore.rs` of the
//! workspace runs it with a real server.

mod common;

use alongside_core::codes::RejectionCode;
use alongside_core::model::{Goal, Record};
use alongside_core::protocol::{PullResponse, Purge, PushResult, PushStatus};
use alongside_core::store::{OutboxState, Session};
use alongside_core::{Change, Store};
use common::fixtures::{KEY, TestResult, goal, new_id, open_store, pending, store_path};
use serde_json::{Map, Value, json};

/// The server takes the whole outbox.
fn taken(store: &Store) -> TestResult {
    let batch = store.outbox_batch(1000)?;
    let results: Vec<PushResult> =
        batch.changes.iter().map(|c| PushResult { change_id: c.change_id.clone(), status: PushStatus::Applied, error: None }).collect();
    store.record_push(&batch, &results)?;
    Ok(())
}

fn page(changes: Vec<Change>, purge: Vec<Purge>, restored: bool, has_more: bool) -> PullResponse {
    PullResponse { changes, purge, cursor: new_id(), has_more, care: None, restored }
}

/// A change from someone else's device, stamped a little after now.
fn from_elsewhere(record: &Goal, fields: Value, node: &str) -> Change {
    let ms = chrono::Utc::now().timestamp_millis() + 1000;
    Change {
        change_id: new_id(),
        collection: Goal::COLLECTION.name().into(),
        record_id: record.id.clone(),
        participant_id: record.participant_id.clone(),
        hlc: format!("{ms:013}-0000-{node}"),
        fields: fields.as_object().cloned().unwrap_or_else(Map::new),
        base: None,
        author_id: Some(node.into()),
    }
}

/// The record's fields and clocks as this device holds them, as the server
/// would send them: one change per HLC.
fn as_the_server_sends(store: &Store, record: &Goal) -> TestResult<Vec<Change>> {
    let sent = pending(store)?;
    Ok(sent.into_iter().filter(|c| c.record_id == record.id).map(|c| Change { change_id: new_id(), ..c }).collect())
}

fn signed_in(store: &Store, user_id: &str) -> TestResult {
    let session = Session {
        token: "t".into(),
        device_id: store.device_id().into(),
        user_id: user_id.into(),
        role: String::new(),
        display_name: "Someone".into(),
    };
    store.set_session(Some(&session))?;
    Ok(())
}

#[test]
fn what_the_restored_server_shows_it_has_is_not_pushed_again() -> TestResult {
    let (_dir, store) = open_store()?;
    let rosa = new_id();
    signed_in(&store, &rosa)?;
    let walk = store.create(&goal(&rosa, "Walk the kids to school"))?;
    let as_sent = as_the_server_sends(&store, &walk)?;
    taken(&store)?;
    let report = store.apply_pull_page(&page(as_sent, vec![], true, false))?;
    assert_eq!(report.pushed_again, 0);
    assert!(store.outbox()?.is_empty());
    Ok(())
}

#[test]
fn a_record_the_backup_lacks_is_made_again_with_its_required_fields_ahead_of_pending_edits() -> TestResult {
    let (_dir, store) = open_store()?;
    let rosa = new_id();
    signed_in(&store, &rosa)?;
    let walk = store.create(&goal(&rosa, "Walk the kids to school"))?;
    let made = pending(&store)?.pop().ok_or("the goal")?;
    taken(&store)?;
    // Her peer worker retitled it; she has that, and edits the status (pending).
    let retitled = from_elsewhere(&walk, json!({"title": "Walk them every day"}), "wills-phone");
    store.apply_pull(std::slice::from_ref(&retitled), &[], "before")?;
    let here: Goal = store.get(&walk.id)?;
    store.update(&here, &Goal { status: alongside_core::model::GoalStatus::Paused, ..here.clone() })?;
    let waiting = pending(&store)?.pop().ok_or("the pending edit")?;

    // The restored server sends nothing of it: it never had it.
    let report = store.apply_pull_page(&page(vec![], vec![], true, false))?;
    assert_eq!(report.pushed_again, 2);
    let queued = pending(&store)?;
    assert_eq!(queued.len(), 3);
    // First: every required field as it is now, at her oldest HLC, the title
    // (someone else's) and the status (her pending edit's) included; then
    // the title at its own HLC; then her edit, which sets the status at its own.
    assert_eq!(queued[0].hlc, made.hlc);
    assert_eq!(queued[0].fields["title"], "Walk them every day");
    assert_eq!(queued[0].fields["area"], made.fields["area"]);
    assert_eq!(queued[0].fields["status"], "paused");
    assert_eq!((queued[1].hlc.as_str(), queued[1].fields.len()), (retitled.hlc.as_str(), 1));
    assert_eq!(queued[2].change_id, waiting.change_id, "the pending edit is untouched, after them");
    assert!(queued[..2].iter().all(|c| c.change_id != made.change_id && c.base.is_none()), "new change ids, no base");
    Ok(())
}

#[test]
fn a_record_someone_else_made_waits_until_it_is_back() -> TestResult {
    let (_dir, store) = open_store()?;
    let (rosa, will) = (new_id(), new_id());
    signed_in(&store, &will)?;
    let walk = Goal { id: new_id(), ..goal(&rosa, "Walk the kids to school") };
    let made = Change {
        author_id: Some(rosa.clone()),
        ..from_elsewhere(&walk, json!({"title": "Walk the kids to school", "area": "parenting", "status": "active"}), "rosas-phone")
    };
    store.apply_pull(std::slice::from_ref(&made), &[], "before")?;
    let here: Goal = store.get(&walk.id)?;
    store.update(&here, &Goal { description: Some("Start with Mondays".into()), ..here.clone() })?;
    let described = pending(&store)?.pop().ok_or("the edit")?;
    taken(&store)?;

    let report = store.apply_pull_page(&page(vec![], vec![], true, false))?;
    assert_eq!(report.pushed_again, 0, "not his to make again");
    // Her phone makes it again; his next pull brings it.
    let back = Change { change_id: new_id(), ..made };
    let report = store.apply_pull_page(&page(vec![back], vec![], false, false))?;
    assert_eq!(report.pushed_again, 1);
    let queued = pending(&store)?;
    assert_eq!((queued.len(), queued[0].hlc.as_str()), (1, described.hlc.as_str()));
    assert_eq!(queued[0].fields, described.fields);
    Ok(())
}

#[test]
fn a_purge_keeps_what_it_removes_of_this_devices_as_refused() -> TestResult {
    let (_dir, store) = open_store()?;
    let (rosa, will) = (new_id(), new_id());
    signed_in(&store, &will)?;
    let walk = Goal { id: new_id(), ..goal(&rosa, "Walk the kids to school") };
    let made = from_elsewhere(&walk, json!({"title": "Walk the kids to school", "area": "parenting", "status": "active"}), "rosas-phone");
    store.apply_pull(&[made], &[], "before")?;
    let here: Goal = store.get(&walk.id)?;
    store.update(&here, &Goal { description: Some("Start with Mondays".into()), ..here.clone() })?;
    let described = pending(&store)?.pop().ok_or("the edit")?;
    taken(&store)?;

    // The restored server does not know goals are shared.
    let purge = Purge { participant_id: rosa.clone(), collections: vec!["goals".into(), "goal_progress".into()] };
    let report = store.apply_pull_page(&page(vec![], vec![purge], true, false))?;
    assert_eq!(report.pushed_again, 0);
    assert!(store.get::<Goal>(&walk.id).is_err(), "purged");
    let kept = store.outbox()?;
    assert_eq!(kept.len(), 1);
    assert_eq!((kept[0].state, kept[0].error_code.as_deref()), (OutboxState::Rejected, Some(RejectionCode::ConsentWithdrawn.as_str())));
    assert_eq!((kept[0].change.hlc.as_str(), &kept[0].change.fields), (described.hlc.as_str(), &described.fields));
    Ok(())
}

#[test]
fn a_change_the_restored_server_refused_before_the_device_knew_goes_again() -> TestResult {
    let (_dir, store) = open_store()?;
    let rosa = new_id();
    signed_in(&store, &rosa)?;
    let walk = store.create(&goal(&rosa, "Walk the kids to school"))?;
    taken(&store)?;
    store.apply_pull(&[], &[], "after the goal")?;
    let here: Goal = store.get(&walk.id)?;
    store.update(&here, &Goal { title: "Walk them every day".into(), ..here.clone() })?;
    // The restored server lacks the goal: the edit is refused (a title alone
    // cannot make it), before the pull says why.
    let batch = store.outbox_batch(10)?;
    let refused = alongside_core::protocol::RejectionBody::new(RejectionCode::ValidationFailed, "area is required").with_field("area");
    let results: Vec<PushResult> = batch
        .changes
        .iter()
        .map(|c| PushResult { change_id: c.change_id.clone(), status: PushStatus::Rejected, error: Some(refused.clone()) })
        .collect();
    store.record_push(&batch, &results)?;
    assert_eq!(store.outbox()?[0].state, OutboxState::Rejected);

    let report = store.apply_pull_page(&page(vec![], vec![], true, false))?;
    assert_eq!(report.pushed_again, 2, "the goal made again, and the edit let go again");
    let queued = store.outbox()?;
    assert!(queued.iter().all(|e| e.state == OutboxState::Pending), "{queued:?}");
    assert_eq!(queued.last().map(|e| e.change.fields["title"].clone()), Some(json!("Walk them every day")));
    Ok(())
}

#[test]
fn a_restore_followed_over_several_pages_decides_at_the_last() -> TestResult {
    let (dir, store) = open_store()?;
    let rosa = new_id();
    signed_in(&store, &rosa)?;
    let walk = store.create(&goal(&rosa, "Walk the kids to school"))?;
    let read = store.create(&goal(&rosa, "Read at bedtime"))?;
    let walk_sent = as_the_server_sends(&store, &walk)?;
    taken(&store)?;
    let first = store.apply_pull_page(&page(walk_sent, vec![], true, true))?;
    assert_eq!(first.pushed_again, 0, "the pull goes on");
    // A store reopened between pages (the app killed) goes on where it was.
    drop(store);
    let store = Store::open(store_path(&dir), &KEY)?;
    let last = store.apply_pull_page(&page(vec![], vec![], false, false))?;
    assert_eq!(last.pushed_again, 1, "only the goal the server did not send");
    assert_eq!(pending(&store)?[0].record_id, read.id);
    Ok(())
}
