//! Store tests against the real encrypted file.

use super::*;
use crate::model::{CheckIn, Goal, GoalArea, GoalProgress, Profile};
use chrono::{TimeZone, Utc};

pub(crate) const KEY: [u8; 32] = [7; 32];
pub(crate) const PARTICIPANT: &str = "2b1f6a3e-4c5d-4e6f-8a9b-0c1d2e3f4a5b";

pub(crate) fn open_temp() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let store = Store::open(dir.path().join("alongside.db"), &KEY).unwrap_or_else(|e| panic!("open: {e}"));
    (dir, store)
}

pub(crate) fn goal(title: &str) -> Goal {
    Goal::new(PARTICIPANT, title, GoalArea::Parenting)
}

fn check_in(note: &str) -> CheckIn {
    CheckIn {
        id: String::new(),
        participant_id: PARTICIPANT.into(),
        at: Utc.with_ymd_and_hms(2026, 11, 23, 8, 15, 0).single().unwrap_or_default(),
        mood: 4,
        craving: Some(2),
        note: Some(note.into()),
        deleted: false,
    }
}

#[test]
fn a_record_and_its_outbox_entry_are_written_together() -> Result<()> {
    let (_dir, store) = open_temp();
    let created = store.create(&goal("Walk the kids to school"))?;
    assert_eq!(store.get::<Goal>(&created.id)?, created);
    let pending = store.pending_changes(10)?;
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].record_id, created.id);
    assert_eq!(pending[0].collection, "goals");
    assert_eq!(pending[0].fields.get("title"), Some(&serde_json::json!("Walk the kids to school")));
    assert!(!pending[0].fields.contains_key("description"), "nulls are not sent on create");
    Ok(())
}

#[test]
fn wrong_key_is_a_typed_error_and_the_data_survives() -> Result<()> {
    let dir = tempfile::tempdir().map_err(|e| Error::Storage(e.to_string()))?;
    let path = dir.path().join("alongside.db");
    let id = {
        let store = Store::open(&path, &KEY)?;
        store.create(&check_in("marker"))?.id
    };
    let wrong = [8u8; 32];
    assert!(matches!(Store::open(&path, &wrong), Err(Error::WrongKey)));
    assert!(matches!(Store::open(&path, &[1, 2, 3]), Err(Error::InvalidKey { len: 3 })));
    let store = Store::open(&path, &KEY)?;
    assert_eq!(store.get::<CheckIn>(&id)?.note.as_deref(), Some("marker"));
    Ok(())
}

#[test]
fn rekey_moves_the_database_to_the_new_key() -> Result<()> {
    let dir = tempfile::tempdir().map_err(|e| Error::Storage(e.to_string()))?;
    let path = dir.path().join("alongside.db");
    let new_key = [9u8; 32];
    let id = {
        let store = Store::open(&path, &KEY)?;
        let id = store.create(&check_in("before rekey"))?.id;
        store.rekey(&new_key)?;
        store.create(&check_in("after rekey"))?;
        id
    };
    assert!(matches!(Store::open(&path, &KEY), Err(Error::WrongKey)));
    let store = Store::open(&path, &new_key)?;
    assert_eq!(store.get::<CheckIn>(&id)?.note.as_deref(), Some("before rekey"));
    assert_eq!(store.list::<CheckIn>(PARTICIPANT)?.len(), 2);
    Ok(())
}

#[test]
fn profile_round_trips() -> Result<()> {
    let (_dir, store) = open_temp();
    let profile = Profile {
        participant_id: PARTICIPANT.into(),
        display_name: "Sam".into(),
        timezone: "America/New_York".into(),
        ..Profile::default()
    };
    let created = store.create(&profile)?;
    assert_eq!(created.id, PARTICIPANT);
    assert_eq!(store.get::<Profile>(PARTICIPANT)?.display_name, "Sam");
    Ok(())
}

#[test]
fn each_record_says_whether_it_was_sent_waits_or_was_refused() -> Result<()> {
    use crate::codes::RejectionCode;
    use crate::protocol::{ErrorBody, PushResult, PushStatus};
    let (_dir, store) = open_temp();
    let sent = store.create(&goal("Sent"))?;
    let refused = store.create(&goal("Refused"))?;
    let waiting = store.create(&goal("Waiting"))?;
    let batch = store.outbox_batch(2)?;
    let results = [
        PushResult { change_id: batch.changes[0].change_id.clone(), status: PushStatus::Applied, error: None },
        PushResult {
            change_id: batch.changes[1].change_id.clone(),
            status: PushStatus::Rejected,
            error: Some(ErrorBody::new(RejectionCode::Forbidden, "not shared")),
        },
    ];
    store.record_push(&batch, &results)?;
    assert_eq!(store.record_sync(&sent.id)?, RecordSync::Synced);
    assert_eq!(store.record_sync(&waiting.id)?, RecordSync::Waiting);
    assert_eq!(
        store.record_sync(&refused.id)?,
        RecordSync::Refused { code: RejectionCode::Forbidden.to_string(), reason: "not shared".into() }
    );

    // A later edit of a refused record still shows the refusal: it needs the person.
    store.update(&refused, &Goal { title: "Refused, edited".into(), ..refused.clone() })?;
    assert!(matches!(store.record_sync(&refused.id)?, RecordSync::Refused { .. }));
    let all = store.record_syncs(PARTICIPANT, crate::schema::Collection::Goals)?;
    assert_eq!(all.len(), 2, "only records with something in the outbox are listed: {all:?}");
    Ok(())
}

#[test]
fn progress_with_a_level_moves_the_goal_and_its_t_score_in_one_write() -> Result<()> {
    let (_dir, store) = open_temp();
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 8, 15, 0).single().unwrap_or_default();
    let walk = store.create(&goal("Walk the kids to school"))?;
    let meetings = store.create(&goal("Two meetings a week"))?;
    assert_eq!(store.gas_summary(PARTICIPANT)?.t_score, None);
    let outbox = store.pending_count()?;

    store.record_goal_progress(&walk.id, Some(1), Some("Four days out of five".into()), now)?;
    store.record_goal_progress(&meetings.id, Some(1), None, now)?;
    let t = store.gas_summary(PARTICIPANT)?.t_score.unwrap_or_default();
    assert!((t - 62.40).abs() < 0.01, "two goals at +1: T = 62.40, got {t}");
    assert_eq!(store.get::<Goal>(&walk.id)?.gas_score, Some(1));
    assert_eq!(store.pending_count()?, outbox + 4, "each progress entry and each goal's new score");
    assert_eq!(store.list::<GoalProgress>(PARTICIPANT)?.len(), 2);

    // The same level again, or a note alone, adds an entry but leaves the goal.
    store.record_goal_progress(&walk.id, Some(1), None, now)?;
    store.record_goal_progress(&walk.id, None, Some("Rainy week".into()), now)?;
    assert_eq!(store.pending_count()?, outbox + 6);

    // A level out of range writes nothing at all.
    let before = store.pending_count()?;
    assert!(matches!(store.record_goal_progress(&walk.id, Some(3), None, now), Err(Error::Validation { field, .. }) if field == "score"));
    assert_eq!(store.pending_count()?, before);
    assert_eq!(store.get::<Goal>(&walk.id)?.gas_score, Some(1));
    Ok(())
}
