//! A newer app or server may send what this version does not know: a field,
//! a value of a list of choices, a whole collection. Such a pulled change is
//! kept for an update of the app, never dropped, and what this version can
//! read of it is applied now.

mod common;

use alongside_core::Change;
use alongside_core::model::Record;
use alongside_core::model::{Goal, GoalStatus};
use common::fixtures::{KEY, TestResult, goal, new_id, open_store, store_path};
use serde_json::{Map, Value, json};

/// A change from another device (a newer app), stamped a little after now.
fn newer(collection: &str, record_id: &str, participant_id: &str, fields: Value) -> Change {
    let ms = chrono::Utc::now().timestamp_millis() + 1000;
    Change {
        change_id: new_id(),
        collection: collection.into(),
        record_id: record_id.into(),
        participant_id: participant_id.into(),
        hlc: format!("{ms:013}-0000-newer-phone"),
        fields: fields.as_object().cloned().unwrap_or_else(Map::new),
        base: None,
        author_id: None,
    }
}

#[test]
fn a_change_with_a_field_and_a_value_this_version_does_not_know_is_kept_and_its_known_fields_applied() -> TestResult {
    let (dir, store) = open_store()?;
    let pid = new_id();
    let mine = store.create(&goal(&pid, "Walk the kids to school"))?;
    let from_newer = newer(
        Goal::COLLECTION.name(),
        &mine.id,
        &pid,
        json!({"title": "Walk them every day", "status": "archived_for_later", "colour": "teal"}),
    );
    let report = store.apply_remote(&[from_newer])?;
    assert_eq!((report.held, report.rejected.len()), (1, 0), "{report:?}");
    let goal_now = store.get::<Goal>(&mine.id)?;
    assert_eq!(goal_now.title, "Walk them every day", "the known field is applied");
    assert_eq!(goal_now.status, GoalStatus::Active, "the unknown value waits");

    let unknown_collection = newer("dreams", &new_id(), &pid, json!({"text": "A garden"}));
    let report = store.apply_remote(&[unknown_collection])?;
    assert_eq!((report.held, report.rejected.len()), (1, 0), "{report:?}");

    // Kept across a restart, until an update can read them.
    drop(store);
    let store = alongside_core::Store::open(store_path(&dir), &KEY)?;
    assert_eq!(store.held_changes()?, 2, "both changes are still kept");
    assert_eq!(store.get::<Goal>(&mine.id)?.title, "Walk them every day");
    Ok(())
}

#[test]
fn once_the_app_can_read_a_kept_change_it_takes_effect_when_the_store_opens() -> TestResult {
    let (dir, store) = open_store()?;
    let pid = new_id();
    let mine = store.create(&goal(&pid, "Walk the kids to school"))?;
    drop(store);
    // Kept by an older version that could not read it; this one can.
    let readable = newer(Goal::COLLECTION.name(), &mine.id, &pid, json!({"status": "paused"}));
    let raw = common::open_raw(&store_path(&dir), &KEY)?;
    raw.execute(
        "INSERT INTO held_changes (change_id, participant_id, collection, change) VALUES (?1, ?2, ?3, ?4)",
        [readable.change_id.clone(), pid.clone(), readable.collection.clone(), serde_json::to_string(&readable)?],
    )?;
    drop(raw);
    let store = alongside_core::Store::open(store_path(&dir), &KEY)?;
    assert_eq!(store.get::<Goal>(&mine.id)?.status, GoalStatus::Paused, "the update took effect");
    assert_eq!(store.held_changes()?, 0, "and it is let go");
    Ok(())
}

#[test]
fn what_is_kept_for_a_newer_version_goes_with_a_withdrawal() -> TestResult {
    let (_dir, store) = open_store()?;
    let pid = new_id();
    let kept = [
        newer(Goal::COLLECTION.name(), &new_id(), &pid, json!({"title": "A goal", "colour": "teal"})),
        newer("dreams", &new_id(), &pid, json!({"text": "A garden"})),
    ];
    assert_eq!(store.apply_remote(&kept)?.held, 2);
    let purge = alongside_core::protocol::Purge { participant_id: pid.clone(), collections: vec!["goals".into(), "dreams".into()] };
    store.apply_pull(&[], &[purge], "cursor")?;
    assert_eq!(store.held_changes()?, 0, "nothing withdrawn stays on the phone, readable or not");
    Ok(())
}

#[test]
fn a_change_that_is_simply_wrong_is_still_refused() -> TestResult {
    let (_dir, store) = open_store()?;
    let pid = new_id();
    let mine = store.create(&goal(&pid, "Walk the kids to school"))?;
    // Not a newer version's: a title that is not text.
    let report = store.apply_remote(&[newer(Goal::COLLECTION.name(), &mine.id, &pid, json!({"title": 42}))])?;
    assert_eq!((report.held, report.rejected.len()), (0, 1), "{report:?}");
    assert_eq!(store.held_changes()?, 0);
    Ok(())
}
