//! Domain behaviour a person would notice, through the public API and the real
//! encrypted store: every collection's lifecycle, validation that names the
//! field and writes nothing, edits that write only what changed, recovery time
//! and milestones, scores, the coping toolbox, contacts, crisis lines, export,
//! and the words the core puts in front of people.

mod common;

use std::collections::BTreeSet;

use alongside_core::codes::RejectionCode;
use alongside_core::i18n::Language;
use alongside_core::library::coping::BUILTIN_STRATEGIES;
use alongside_core::library::crisis::{CrisisChannel, crisis_resources};
use alongside_core::model::{
    Assessment, CheckIn, Contact, ContactRole, CopingCategory, CopingStrategy, CopingUse, EncounterNote, GasLevels, Goal, GoalArea,
    GoalProgress, GoalStatus, Instrument, Message, Milestone, MilestoneKind, NoteStatus, Profile, ReachOut, ReachOutStatus, Record,
    RecoveryPeriod, SafetyPlan, ServiceType, Sharing, StrategySource, Urgency,
};
use alongside_core::schema::Collection;
use alongside_core::views::recovery_time;
use alongside_core::{Change, Error, Store};
use chrono::{DateTime, NaiveDate, Utc};
use common::fixtures::{
    TestResult, check_in, contact, date, encounter_note, goal, last_pending, new_id, open_store, pending, profile, reach_out, utc,
};
use serde_json::{Map, Value, json};

/// Dana: a mother of two in recovery, on Rosa's caseload.
const DANA: &str = "5d0c9a1e-7b2f-4c3d-9e8a-1f2b3c4d5e6f";
/// Jordan: another participant on the same caseload, whose data must never
/// show up in Dana's.
const JORDAN: &str = "8e7d6c5b-4a39-4281-9f0e-d1c2b3a4f5e6";
/// The node of changes made on Rosa's (the peer worker's) phone.
const ROSAS_PHONE: &str = "c0ffee00-1111-4222-8333-944445555666";

/// Words the core must never put in front of a person.
const AVOIDED_WORDS: &[&str] = &["relapse", "failed", "clean", "dirty"];

// ---------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------

fn sharing(pid: &str) -> Sharing {
    Sharing {
        participant_id: pid.into(),
        goals: true,
        milestones: true,
        check_ins: false,
        coping: false,
        contacts: true,
        safety_plan: true,
        assessments: false,
        signed_at: Some(utc(2026, 11, 2, 15, 30)),
        expires_on: Some(date(2027, 5, 2)),
        ..Sharing::default()
    }
}

fn recovery_period(pid: &str) -> RecoveryPeriod {
    RecoveryPeriod {
        participant_id: pid.into(),
        start_date: date(2026, 10, 25),
        note: Some("Started after the detox at St. Vincent's".into()),
        ..RecoveryPeriod::default()
    }
}

fn goal_progress(pid: &str, goal_id: &str) -> GoalProgress {
    GoalProgress {
        id: String::new(),
        participant_id: pid.into(),
        goal_id: goal_id.into(),
        score: Some(1),
        note: Some("Walked them in four days out of five this week".into()),
        recorded_at: utc(2026, 11, 21, 13, 0),
        deleted: false,
    }
}

fn personal_milestone(pid: &str, title: &str, achieved_on: Option<NaiveDate>) -> Milestone {
    Milestone {
        id: String::new(),
        participant_id: pid.into(),
        title: title.into(),
        kind: MilestoneKind::Personal,
        days: None,
        goal_id: None,
        target_date: Some(date(2026, 12, 15)),
        achieved_on,
        celebrated: false,
        note: Some("Family court, Judge Okafor".into()),
        deleted: false,
    }
}

fn strategy(pid: &str, title: &str) -> CopingStrategy {
    CopingStrategy {
        id: String::new(),
        participant_id: pid.into(),
        title: title.into(),
        steps: vec![
            "Text my sister Tanya before I leave for pick-up".into(),
            "Take the long way, past the park, not down Fifth Street".into(),
            "Snack and homework at the kitchen table with the kids".into(),
        ],
        category: CopingCategory::Parenting,
        triggers: vec!["school pick-up".into(), "driving past the old block".into()],
        favorite: false,
        source: StrategySource::Personal,
        deleted: false,
    }
}

fn coping_use(pid: &str, strategy_id: &str, helpfulness: Option<i64>, before: Option<i64>, after: Option<i64>) -> CopingUse {
    CopingUse {
        id: String::new(),
        participant_id: pid.into(),
        strategy_id: strategy_id.into(),
        used_at: utc(2026, 11, 20, 20, 45),
        helpfulness,
        craving_before: before,
        craving_after: after,
        note: Some("After the kids went down".into()),
        deleted: false,
    }
}

fn safety_plan(pid: &str) -> SafetyPlan {
    SafetyPlan {
        participant_id: pid.into(),
        warning_signs: vec!["Skipping meals".into(), "Not answering Rosa's texts".into()],
        distractions: vec!["Take the kids to the library".into()],
        environment_steps: vec!["No cash in the house on payday".into()],
        reasons_for_living: vec!["Maya".into(), "Leo".into()],
        strategy_ids: vec![new_id()],
        help_contact_ids: vec![new_id()],
        professional_contact_ids: vec![new_id()],
        ..SafetyPlan::default()
    }
}

fn assessment(pid: &str, responses: Vec<i64>, taken_on: NaiveDate) -> Assessment {
    Assessment {
        id: String::new(),
        participant_id: pid.into(),
        instrument: Instrument::Barc10,
        responses,
        taken_on,
        note: Some("Taken with Rosa at the library".into()),
        deleted: false,
    }
}

fn message(pid: &str) -> Message {
    Message {
        id: String::new(),
        participant_id: pid.into(),
        body: "Can we meet before Thursday's custody hearing?".into(),
        sent_at: utc(2026, 11, 23, 14, 5),
        read_at: None,
        deleted: false,
    }
}

/// A change as Rosa's phone would have pushed it, `ahead_ms` after now.
fn remote_change(collection: Collection, record_id: &str, pid: &str, fields: Value, ahead_ms: i64) -> Change {
    let fields = match fields {
        Value::Object(fields) => fields,
        other => panic!("fields must be an object, got {other}"),
    };
    let ms = Utc::now().timestamp_millis() + ahead_ms;
    Change {
        change_id: new_id(),
        collection: collection.name().into(),
        record_id: record_id.into(),
        participant_id: pid.into(),
        hlc: format!("{ms:013}-0000-{ROSAS_PHONE}"),
        fields,
        base: None,
        author_id: None,
    }
}

fn assert_kind_words(text: &str) {
    let lower = text.to_lowercase();
    for word in AVOIDED_WORDS {
        assert!(!lower.contains(word), "text shown to people contains {word:?}: {text:?}");
    }
}

fn assert_not_found<T: std::fmt::Debug>(result: alongside_core::Result<T>, what: &str) {
    match result {
        Err(Error::NotFound { .. }) => {}
        other => panic!("{what}: expected NotFound, got {other:?}"),
    }
}

/// The create is refused with a validation error on `field`, and neither the
/// outbox nor the participant's list changed. Returns the error's text.
fn refuses_create<R: Record + PartialEq>(store: &Store, record: &R, field: &str) -> TestResult<String> {
    let pid = record.participant_id().to_owned();
    let outbox = pending(store)?;
    let listed: Vec<R> = store.list(&pid)?;
    let message = match store.create(record) {
        Err(Error::Validation { field: got, reason }) => {
            assert_eq!(got, field, "{}: wrong field named ({reason})", R::COLLECTION);
            format!("{got}: {reason}")
        }
        other => panic!("{}: expected a validation error on {field}, got {other:?}", R::COLLECTION),
    };
    assert_eq!(pending(store)?, outbox, "{}: a refused create must not reach the outbox", R::COLLECTION);
    let after: Vec<R> = store.list(&pid)?;
    assert_eq!(after.len(), listed.len(), "{}: a refused create must not be listed", R::COLLECTION);
    assert!(after.iter().all(|r| listed.contains(r)), "{}: the list changed after a refused create", R::COLLECTION);
    assert_kind_words(&message);
    Ok(message)
}

/// The update is refused with a validation error on `field`; the stored record
/// and the outbox are exactly as they were. Returns the error's text.
fn refuses_update<R: Record + PartialEq>(store: &Store, original: &R, edited: &R, field: &str) -> TestResult<String> {
    let stored: R = store.get(original.id())?;
    let outbox = pending(store)?;
    let message = match store.update(original, edited) {
        Err(Error::Validation { field: got, reason }) => {
            assert_eq!(got, field, "{}: wrong field named ({reason})", R::COLLECTION);
            format!("{got}: {reason}")
        }
        other => panic!("{}: expected a validation error on {field}, got {other:?}", R::COLLECTION),
    };
    assert_eq!(store.get::<R>(original.id())?, stored, "{}: a refused update changed the record", R::COLLECTION);
    assert_eq!(pending(store)?, outbox, "{}: a refused update reached the outbox", R::COLLECTION);
    assert_kind_words(&message);
    Ok(message)
}

// ---------------------------------------------------------------------------
// 1. Every collection: create, get, list, update one field, delete
// ---------------------------------------------------------------------------

fn lifecycle<R: Record + PartialEq>(record: R, field: &str, edit: impl FnOnce(&mut R)) -> TestResult {
    let (_dir, store) = open_store()?;
    let name = R::COLLECTION.name();
    let pid = record.participant_id().to_owned();

    let outbox_before = pending(&store)?.len();
    let created = store.create(&record)?;
    if R::COLLECTION.is_singleton() {
        assert_eq!(created.id(), pid, "{name}: a singleton's id is the participant id");
    } else {
        assert!(uuid::Uuid::parse_str(created.id()).is_ok(), "{name}: created id {:?} is not a UUID", created.id());
    }
    assert_eq!(store.get::<R>(created.id())?, created, "{name}: get differs from what create returned");
    assert!(store.list::<R>(&pid)?.contains(&created), "{name}: list does not hold the new record");
    let outbox = pending(&store)?;
    assert_eq!(outbox.len(), outbox_before + 1, "{name}: create queues one change");
    let first = last_pending(&store)?;
    assert_eq!((first.collection.as_str(), first.record_id.as_str(), first.participant_id.as_str()), (name, created.id(), pid.as_str()));

    let mut edited = created.clone();
    edit(&mut edited);
    assert_ne!(edited, created, "{name}: the fixture edit changes nothing");
    let saved = store.update(&created, &edited)?;
    assert_eq!(saved, edited, "{name}: update returns the edited record");
    assert_eq!(store.get::<R>(created.id())?, edited, "{name}: get shows the edit");
    let after_update = pending(&store)?;
    assert_eq!(after_update.len(), outbox.len() + 1, "{name}: an edit queues exactly one change");
    let change = last_pending(&store)?;
    assert_eq!(change.record_id, created.id());
    assert_eq!(change.fields.keys().map(String::as_str).collect::<Vec<_>>(), [field], "{name}: the change holds only the edited field");
    assert_eq!(change.fields.get(field), serde_json::to_value(&edited)?.get(field), "{name}: the change carries the new value");

    store.delete::<R>(created.id())?;
    assert_not_found(store.get::<R>(created.id()), &format!("{name}: get after delete"));
    assert!(!store.list::<R>(&pid)?.iter().any(|r| r.id() == created.id()), "{name}: a deleted record is still listed");
    let deletion = last_pending(&store)?;
    assert_eq!(deletion.record_id, created.id());
    assert_eq!(deletion.fields.get("deleted"), Some(&Value::Bool(true)), "{name}: no deletion pending");
    assert_eq!(pending(&store)?.len(), after_update.len() + 1);
    Ok(())
}

#[test]
fn profile_lifecycle() -> TestResult {
    lifecycle(profile(DANA, "Dana R."), "display_name", |p| p.display_name = "Dana Reyes".into())
}

#[test]
fn sharing_lifecycle() -> TestResult {
    lifecycle(sharing(DANA), "coping", |s| s.coping = true)
}

#[test]
fn recovery_period_lifecycle() -> TestResult {
    lifecycle(recovery_period(DANA), "note", |p| p.note = Some("Counting from the day I left St. Vincent's".into()))
}

#[test]
fn goal_lifecycle() -> TestResult {
    lifecycle(goal(DANA, "Walk Maya and Leo to school"), "gas_score", |g| g.gas_score = Some(1))
}

#[test]
fn goal_progress_lifecycle() -> TestResult {
    lifecycle(goal_progress(DANA, &new_id()), "note", |p| p.note = None)
}

#[test]
fn milestone_lifecycle() -> TestResult {
    lifecycle(personal_milestone(DANA, "Regained custody of Maya and Leo", Some(date(2026, 11, 20))), "celebrated", |m| {
        m.celebrated = true;
    })
}

#[test]
fn coping_strategy_lifecycle() -> TestResult {
    lifecycle(strategy(DANA, "A bridge routine after pick-up"), "favorite", |s| s.favorite = true)
}

#[test]
fn coping_use_lifecycle() -> TestResult {
    lifecycle(coping_use(DANA, &new_id(), Some(3), Some(7), Some(4)), "helpfulness", |u| u.helpfulness = Some(5))
}

#[test]
fn contact_lifecycle() -> TestResult {
    lifecycle(contact(DANA, "Rosa Alvarez", ContactRole::PeerWorker, false), "availability", |c| {
        c.availability = Some("Weekdays, and Saturday mornings".into());
    })
}

#[test]
fn check_in_lifecycle() -> TestResult {
    lifecycle(check_in(DANA), "mood", |c| c.mood = 4)
}

#[test]
fn safety_plan_lifecycle() -> TestResult {
    lifecycle(safety_plan(DANA), "reasons_for_living", |p| p.reasons_for_living.push("Seeing Leo graduate".into()))
}

#[test]
fn reach_out_lifecycle() -> TestResult {
    lifecycle(reach_out(DANA, Urgency::Today, ReachOutStatus::Open, utc(2026, 11, 23, 13, 0)), "status", |r| {
        r.status = ReachOutStatus::Acknowledged;
    })
}

#[test]
fn assessment_lifecycle() -> TestResult {
    lifecycle(assessment(DANA, vec![4, 5, 3, 4, 4, 5, 3, 4, 5, 4], date(2026, 11, 20)), "note", |a| {
        a.note = Some("Second one, three weeks in".into());
    })
}

#[test]
fn message_lifecycle() -> TestResult {
    lifecycle(message(DANA), "read_at", |m| m.read_at = Some(utc(2026, 11, 23, 14, 30)))
}

#[test]
fn encounter_note_lifecycle() -> TestResult {
    lifecycle(encounter_note(DANA), "next_steps", |n| {
        n.next_steps = Some("Call the caseworker about the supervised visit schedule".into());
    })
}

// ---------------------------------------------------------------------------
// 2. Invalid input: a typed error naming the field, nothing written
// ---------------------------------------------------------------------------

#[test]
fn invalid_profile_is_refused_naming_the_field() -> TestResult {
    let (_dir, store) = open_store()?;
    // 80 scalar values of 4 bytes each are fine; 81 are too many.
    let (_other_dir, other) = open_store()?;
    let ok = other.create(&Profile { display_name: "👶".repeat(80), ..profile(DANA, "Dana R.") })?;
    assert_eq!(other.get::<Profile>(DANA)?.display_name.chars().count(), 80);
    assert_eq!(ok.display_name.len(), 320);
    refuses_create(&store, &Profile { display_name: "👶".repeat(81), ..profile(DANA, "Dana R.") }, "display_name")?;
    refuses_create(&store, &Profile { display_name: "ñ".repeat(81), ..profile(DANA, "Dana R.") }, "display_name")?;
    refuses_create(&store, &Profile { display_name: String::new(), ..profile(DANA, "Dana R.") }, "display_name")?;
    refuses_create(&store, &Profile { pronouns: Some("x".repeat(41)), ..profile(DANA, "Dana R.") }, "pronouns")?;
    refuses_create(&store, &Profile { timezone: "Eastern Time".into(), ..profile(DANA, "Dana R.") }, "timezone")?;
    refuses_create(&store, &Profile { timezone: "America/Gotham".into(), ..profile(DANA, "Dana R.") }, "timezone")?;
    refuses_create(&store, &Profile { participant_id: "dana".into(), ..profile(DANA, "Dana R.") }, "participant_id")?;
    refuses_create(&store, &Profile { id: JORDAN.into(), ..profile(DANA, "Dana R.") }, "id")?;

    let created = store.create(&profile(DANA, "Dana R."))?;
    refuses_update(&store, &created, &Profile { timezone: "Mars/Olympus_Mons".into(), ..created.clone() }, "timezone")?;
    Ok(())
}

#[test]
fn invalid_sharing_is_refused_naming_the_field() -> TestResult {
    let (_dir, store) = open_store()?;
    refuses_create(&store, &Sharing { id: JORDAN.into(), ..sharing(DANA) }, "id")?;
    refuses_create(&store, &Sharing { participant_id: DANA.to_uppercase(), ..sharing(DANA) }, "participant_id")?;
    // A date that cannot be written as YYYY-MM-DD.
    refuses_create(&store, &Sharing { expires_on: Some(NaiveDate::MAX), ..sharing(DANA) }, "expires_on")?;
    let created = store.create(&sharing(DANA))?;
    refuses_update(&store, &created, &Sharing { expires_on: Some(NaiveDate::MIN), ..created.clone() }, "expires_on")?;
    Ok(())
}

#[test]
fn invalid_recovery_period_is_refused_naming_the_field() -> TestResult {
    let (_dir, store) = open_store()?;
    refuses_create(&store, &RecoveryPeriod { note: Some("é".repeat(2001)), ..recovery_period(DANA) }, "note")?;
    refuses_create(&store, &RecoveryPeriod { start_date: NaiveDate::MAX, ..recovery_period(DANA) }, "start_date")?;
    refuses_create(&store, &RecoveryPeriod { id: "period-1".into(), ..recovery_period(DANA) }, "id")?;
    // The same rules hold for the action that starts a period.
    let outbox = pending(&store)?;
    match store.start_recovery_period(DANA, date(2026, 11, 23), Some("x".repeat(2001))) {
        Err(Error::Validation { field, .. }) => assert_eq!(field, "note"),
        other => panic!("expected a validation error on note, got {other:?}"),
    }
    assert_eq!(pending(&store)?, outbox);
    assert!(store.list::<RecoveryPeriod>(DANA)?.is_empty());

    let created = store.create(&recovery_period(DANA))?;
    refuses_update(&store, &created, &RecoveryPeriod { note: Some(String::new()), ..created.clone() }, "note")?;
    Ok(())
}

#[test]
fn invalid_goal_is_refused_naming_the_field() -> TestResult {
    let (_dir, store) = open_store()?;
    let base = goal(DANA, "Walk Maya and Leo to school");
    refuses_create(&store, &Goal { title: "🚸".repeat(201), ..base.clone() }, "title")?;
    refuses_create(&store, &Goal { title: String::new(), ..base.clone() }, "title")?;
    refuses_create(&store, &Goal { description: Some("d".repeat(4001)), ..base.clone() }, "description")?;
    refuses_create(&store, &Goal { gas_score: Some(3), ..base.clone() }, "gas_score")?;
    refuses_create(&store, &Goal { gas_score: Some(-3), ..base.clone() }, "gas_score")?;
    refuses_create(&store, &Goal { gas_weight: Some(0), ..base.clone() }, "gas_weight")?;
    refuses_create(&store, &Goal { gas_weight: Some(11), ..base.clone() }, "gas_weight")?;
    let long_level = GasLevels { more: Some("m".repeat(501)), ..GasLevels::default() };
    refuses_create(&store, &Goal { gas_levels: Some(long_level), ..base.clone() }, "gas_levels")?;
    refuses_create(&store, &Goal { id: "3F2A6B1C-0D4E-4F5A-8B6C-7D8E9F0A1B2C".into(), ..base.clone() }, "id")?;

    let created = store.create(&base)?;
    refuses_update(&store, &created, &Goal { gas_score: Some(5), ..created.clone() }, "gas_score")?;
    // One valid and one invalid field: neither is written.
    refuses_update(&store, &created, &Goal { title: "Walk them every day".into(), gas_weight: Some(99), ..created.clone() }, "gas_weight")?;
    Ok(())
}

#[test]
fn invalid_goal_progress_is_refused_naming_the_field() -> TestResult {
    let (_dir, store) = open_store()?;
    let base = goal_progress(DANA, &new_id());
    refuses_create(&store, &GoalProgress { goal_id: "school-goal".into(), ..base.clone() }, "goal_id")?;
    refuses_create(&store, &GoalProgress { score: Some(-3), ..base.clone() }, "score")?;
    refuses_create(&store, &GoalProgress { note: Some("n".repeat(2001)), ..base.clone() }, "note")?;
    let created = store.create(&base)?;
    refuses_update(&store, &created, &GoalProgress { score: Some(4), ..created.clone() }, "score")?;
    Ok(())
}

#[test]
fn invalid_milestone_is_refused_naming_the_field() -> TestResult {
    let (_dir, store) = open_store()?;
    let base = personal_milestone(DANA, "Finished outpatient treatment", Some(date(2026, 11, 20)));
    refuses_create(&store, &Milestone { title: "t".repeat(201), ..base.clone() }, "title")?;
    refuses_create(&store, &Milestone { kind: MilestoneKind::RecoveryTime, days: Some(0), ..base.clone() }, "days")?;
    refuses_create(&store, &Milestone { goal_id: Some("A1B2".into()), ..base.clone() }, "goal_id")?;
    refuses_create(&store, &Milestone { note: Some("🎉".repeat(2001)), ..base.clone() }, "note")?;
    let created = store.create(&base)?;
    refuses_update(&store, &created, &Milestone { days: Some(-30), ..created.clone() }, "days")?;
    Ok(())
}

#[test]
fn invalid_coping_strategy_is_refused_naming_the_field() -> TestResult {
    let (_dir, store) = open_store()?;
    let base = strategy(DANA, "A bridge routine after pick-up");
    let steps: Vec<String> = (1..=21).map(|i| format!("Step {i}")).collect();
    refuses_create(&store, &CopingStrategy { steps, ..base.clone() }, "steps")?;
    refuses_create(&store, &CopingStrategy { steps: vec!["s".repeat(501)], ..base.clone() }, "steps")?;
    refuses_create(&store, &CopingStrategy { triggers: vec!["t".repeat(101)], ..base.clone() }, "triggers")?;
    refuses_create(&store, &CopingStrategy { triggers: vec![String::new()], ..base.clone() }, "triggers")?;
    refuses_create(&store, &CopingStrategy { title: String::new(), ..base.clone() }, "title")?;
    let created = store.create(&base)?;
    let triggers: Vec<String> = (1..=21).map(|i| format!("trigger {i}")).collect();
    refuses_update(&store, &created, &CopingStrategy { triggers, ..created.clone() }, "triggers")?;
    Ok(())
}

#[test]
fn invalid_coping_use_is_refused_naming_the_field() -> TestResult {
    let (_dir, store) = open_store()?;
    let base = coping_use(DANA, &new_id(), Some(4), Some(7), Some(3));
    refuses_create(&store, &CopingUse { helpfulness: Some(6), ..base.clone() }, "helpfulness")?;
    refuses_create(&store, &CopingUse { helpfulness: Some(0), ..base.clone() }, "helpfulness")?;
    refuses_create(&store, &CopingUse { craving_before: Some(11), ..base.clone() }, "craving_before")?;
    refuses_create(&store, &CopingUse { craving_after: Some(-1), ..base.clone() }, "craving_after")?;
    refuses_create(&store, &CopingUse { strategy_id: String::new(), ..base.clone() }, "strategy_id")?;
    let created = store.create(&base)?;
    refuses_update(&store, &created, &CopingUse { craving_after: Some(12), ..created.clone() }, "craving_after")?;
    Ok(())
}

#[test]
fn invalid_contact_is_refused_naming_the_field() -> TestResult {
    let (_dir, store) = open_store()?;
    let base = contact(DANA, "Rosa Alvarez", ContactRole::PeerWorker, true);
    refuses_create(&store, &Contact { name: "n".repeat(121), ..base.clone() }, "name")?;
    refuses_create(&store, &Contact { name: String::new(), ..base.clone() }, "name")?;
    refuses_create(&store, &Contact { phone: Some("5".repeat(41)), ..base.clone() }, "phone")?;
    refuses_create(&store, &Contact { email: Some(format!("{}@example.org", "r".repeat(190))), ..base.clone() }, "email")?;
    refuses_create(&store, &Contact { notes: Some("n".repeat(2001)), ..base.clone() }, "notes")?;
    let created = store.create(&base)?;
    refuses_update(&store, &created, &Contact { availability: Some("a".repeat(201)), ..created.clone() }, "availability")?;
    Ok(())
}

#[test]
fn invalid_check_in_is_refused_naming_the_field() -> TestResult {
    let (_dir, store) = open_store()?;
    refuses_create(&store, &CheckIn { mood: 0, ..check_in(DANA) }, "mood")?;
    refuses_create(&store, &CheckIn { mood: 6, ..check_in(DANA) }, "mood")?;
    refuses_create(&store, &CheckIn { craving: Some(11), ..check_in(DANA) }, "craving")?;
    refuses_create(&store, &CheckIn { note: Some("🙂".repeat(2001)), ..check_in(DANA) }, "note")?;
    let created = store.create(&check_in(DANA))?;
    refuses_update(&store, &created, &CheckIn { mood: -1, ..created.clone() }, "mood")?;
    Ok(())
}

#[test]
fn invalid_safety_plan_is_refused_naming_the_field() -> TestResult {
    let (_dir, store) = open_store()?;
    let signs: Vec<String> = (1..=21).map(|i| format!("Sign {i}")).collect();
    refuses_create(&store, &SafetyPlan { warning_signs: signs, ..safety_plan(DANA) }, "warning_signs")?;
    refuses_create(&store, &SafetyPlan { distractions: vec!["d".repeat(301)], ..safety_plan(DANA) }, "distractions")?;
    refuses_create(&store, &SafetyPlan { strategy_ids: vec!["box-breathing".into()], ..safety_plan(DANA) }, "strategy_ids")?;
    let ids: Vec<String> = (0..21).map(|_| new_id()).collect();
    refuses_create(&store, &SafetyPlan { help_contact_ids: ids, ..safety_plan(DANA) }, "help_contact_ids")?;
    refuses_create(&store, &SafetyPlan { id: new_id(), ..safety_plan(DANA) }, "id")?;
    let created = store.create(&safety_plan(DANA))?;
    refuses_update(
        &store,
        &created,
        &SafetyPlan { professional_contact_ids: vec!["Dr. Patel".into()], ..created.clone() },
        "professional_contact_ids",
    )?;
    Ok(())
}

#[test]
fn invalid_reach_out_is_refused_naming_the_field() -> TestResult {
    let (_dir, store) = open_store()?;
    let base = reach_out(DANA, Urgency::Urgent, ReachOutStatus::Open, utc(2026, 11, 23, 13, 0));
    refuses_create(&store, &ReachOut { message: Some("m".repeat(1001)), ..base.clone() }, "message")?;
    refuses_create(&store, &ReachOut { message: Some(String::new()), ..base.clone() }, "message")?;
    refuses_create(&store, &ReachOut { participant_id: String::new(), ..base.clone() }, "participant_id")?;
    let created = store.create(&base)?;
    refuses_update(&store, &created, &ReachOut { message: Some("😟".repeat(1001)), ..created.clone() }, "message")?;
    Ok(())
}

#[test]
fn invalid_assessment_is_refused_naming_the_field() -> TestResult {
    let (_dir, store) = open_store()?;
    refuses_create(&store, &assessment(DANA, vec![4; 9], date(2026, 11, 20)), "responses")?;
    refuses_create(&store, &assessment(DANA, vec![4; 11], date(2026, 11, 20)), "responses")?;
    refuses_create(&store, &assessment(DANA, vec![4, 5, 3, 4, 7, 5, 3, 4, 5, 4], date(2026, 11, 20)), "responses")?;
    refuses_create(&store, &assessment(DANA, vec![0, 5, 3, 4, 4, 5, 3, 4, 5, 4], date(2026, 11, 20)), "responses")?;
    refuses_create(&store, &Assessment { note: Some("n".repeat(2001)), ..assessment(DANA, vec![4; 10], date(2026, 11, 20)) }, "note")?;
    let created = store.create(&assessment(DANA, vec![4; 10], date(2026, 11, 20)))?;
    refuses_update(&store, &created, &Assessment { responses: vec![4; 9], ..created.clone() }, "responses")?;
    Ok(())
}

#[test]
fn invalid_message_is_refused_naming_the_field() -> TestResult {
    let (_dir, store) = open_store()?;
    refuses_create(&store, &Message { body: "b".repeat(4001), ..message(DANA) }, "body")?;
    refuses_create(&store, &Message { body: String::new(), ..message(DANA) }, "body")?;
    refuses_create(&store, &Message { id: "msg-1".into(), ..message(DANA) }, "id")?;
    let created = store.create(&message(DANA))?;
    refuses_update(&store, &created, &Message { body: "💬".repeat(4001), ..created.clone() }, "body")?;
    Ok(())
}

#[test]
fn invalid_encounter_note_is_refused_naming_the_field() -> TestResult {
    let (_dir, store) = open_store()?;
    let base = encounter_note(DANA);
    refuses_create(&store, &EncounterNote { service_types: vec![], ..base.clone() }, "service_types")?;
    refuses_create(
        &store,
        &EncounterNote { service_types: vec![ServiceType::Advocacy, ServiceType::Advocacy], ..base.clone() },
        "service_types",
    )?;
    refuses_create(&store, &EncounterNote { duration_minutes: 0, ..base.clone() }, "duration_minutes")?;
    refuses_create(&store, &EncounterNote { duration_minutes: 1441, ..base.clone() }, "duration_minutes")?;
    refuses_create(&store, &EncounterNote { summary: "s".repeat(8001), ..base.clone() }, "summary")?;
    refuses_create(&store, &EncounterNote { goal_ids: vec!["school goal".into()], ..base.clone() }, "goal_ids")?;
    refuses_create(&store, &EncounterNote { amends: Some("last week's note".into()), ..base.clone() }, "amends")?;
    let created = store.create(&base)?;
    refuses_update(&store, &created, &EncounterNote { next_steps: Some("n".repeat(2001)), ..created.clone() }, "next_steps")?;
    Ok(())
}

#[test]
fn an_edit_may_not_change_the_id_or_the_participant() -> TestResult {
    let (_dir, store) = open_store()?;
    let created = store.create(&goal(DANA, "Walk Maya and Leo to school"))?;
    refuses_update(&store, &created, &Goal { id: new_id(), ..created.clone() }, "id")?;
    let contact = store.create(&contact(DANA, "Rosa Alvarez", ContactRole::PeerWorker, true))?;
    let moved = Contact { participant_id: JORDAN.into(), ..contact.clone() };
    let outbox = pending(&store)?;
    match store.update(&contact, &moved) {
        Err(Error::Validation { field, .. }) => assert_eq!(field, "id"),
        other => panic!("expected a validation error on id, got {other:?}"),
    }
    assert_eq!(store.get::<Contact>(&contact.id)?, contact);
    assert_eq!(pending(&store)?, outbox);
    assert!(store.list::<Contact>(JORDAN)?.is_empty());
    Ok(())
}

#[test]
fn a_second_record_with_an_existing_id_is_refused_and_the_first_kept() -> TestResult {
    let (_dir, store) = open_store()?;
    let first = store.create(&goal(DANA, "Walk Maya and Leo to school"))?;
    let copy = Goal { title: "Pack lunches the night before".into(), gas_score: Some(-1), ..first.clone() };
    refuses_create(&store, &copy, "id")?;
    assert_eq!(store.get::<Goal>(&first.id)?, first);

    let dana = store.create(&profile(DANA, "Dana R."))?;
    refuses_create(&store, &profile(DANA, "Someone else"), "id")?;
    assert_eq!(store.get::<Profile>(DANA)?, dana);
    Ok(())
}

#[test]
fn editing_or_deleting_a_record_that_is_not_there_is_not_found() -> TestResult {
    let (_dir, store) = open_store()?;
    let ghost = Goal { id: new_id(), ..goal(DANA, "Walk Maya and Leo to school") };
    let outbox = pending(&store)?;
    assert_not_found(store.update(&ghost, &Goal { gas_score: Some(2), ..ghost.clone() }), "update of a missing goal");
    assert_not_found(store.delete::<Goal>(&ghost.id), "delete of a missing goal");
    assert_not_found(store.get::<Goal>(&ghost.id), "get of a missing goal");
    assert_eq!(pending(&store)?, outbox, "nothing is queued for a record that is not there");
    assert!(store.list::<Goal>(DANA)?.is_empty());
    Ok(())
}

/// An error must mean nothing was written: if saving an edit of a record that
/// was deleted meanwhile (here by Rosa, on her phone) reports NotFound, the
/// edit must not be queued to sync either.
#[test]
fn an_edit_of_a_record_deleted_meanwhile_either_saves_or_writes_nothing() -> TestResult {
    let (_dir, store) = open_store()?;
    let on_screen = store.create(&goal(DANA, "Walk Maya and Leo to school"))?;
    let report = store.apply_remote(&[remote_change(Collection::Goals, &on_screen.id, DANA, json!({"deleted": true}), 1_000)])?;
    assert_eq!(report.applied, 1);
    let outbox = pending(&store)?;
    let result = store.update(&on_screen, &Goal { gas_score: Some(1), ..on_screen.clone() });
    match result {
        Ok(_) => assert_eq!(pending(&store)?.len(), outbox.len() + 1, "a saved edit is queued"),
        Err(ref error) => {
            assert!(matches!(error, Error::NotFound { .. }), "unexpected error {error:?}");
            assert_eq!(pending(&store)?, outbox, "update returned {error} but still queued a change that will sync");
        }
    }
    Ok(())
}

/// DESIGN.md: "a submitted note is locked, and corrections are amendments".
/// Editing a submitted note on the device must be refused there and then, not
/// look saved and diverge from the server when the push is rejected `locked`.
#[test]
fn a_submitted_encounter_note_is_locked_and_corrected_by_an_amendment() -> TestResult {
    let (_dir, store) = open_store()?;
    let draft = store.create(&encounter_note(DANA))?;
    let edited = store.update(&draft, &EncounterNote { duration_minutes: 75, ..draft.clone() })?;
    let submitted = store.update(&edited, &EncounterNote { status: NoteStatus::Submitted, ..edited.clone() })?;
    assert_eq!(submitted.status, NoteStatus::Submitted);

    let amendment = store.create(&EncounterNote {
        amends: Some(submitted.id.clone()),
        summary: "Correction: the review was 75 minutes, and Dana's sister Tanya came too.".into(),
        status: NoteStatus::Submitted,
        ..encounter_note(DANA)
    })?;
    assert_eq!(store.get::<EncounterNote>(&amendment.id)?.amends.as_deref(), Some(submitted.id.as_str()));

    let outbox = pending(&store)?;
    let result = store.update(&submitted, &EncounterNote { summary: "Rewritten after the fact".into(), ..submitted.clone() });
    match &result {
        Err(Error::Rejected { code: RejectionCode::Locked, .. }) => {}
        Err(Error::Validation { .. }) => {}
        other => panic!("editing a submitted note should be refused as locked, got {other:?}"),
    }
    assert_eq!(store.get::<EncounterNote>(&submitted.id)?, submitted, "the submitted note changed");
    assert_eq!(pending(&store)?, outbox);
    Ok(())
}

// ---------------------------------------------------------------------------
// 3. Update writes only what changed
// ---------------------------------------------------------------------------

#[test]
fn a_stale_edit_does_not_undo_another_edit_made_meanwhile() -> TestResult {
    let (_dir, store) = open_store()?;
    let loaded = store.create(&goal(DANA, "Walk Maya and Leo to school"))?;
    // Another screen records this week's progress on the same goal.
    store.update(&loaded, &Goal { gas_score: Some(1), ..loaded.clone() })?;
    // The edit screen, still holding the record as loaded, renames it.
    let saved = store.update(&loaded, &Goal { title: "Walk the kids to school".into(), ..loaded.clone() })?;
    assert_eq!(saved.title, "Walk the kids to school");
    assert_eq!(saved.gas_score, Some(1), "the stale copy overwrote the score");
    let stored: Goal = store.get(&loaded.id)?;
    assert_eq!((stored.title.as_str(), stored.gas_score), ("Walk the kids to school", Some(1)));
    let change = last_pending(&store)?;
    assert_eq!(change.fields.keys().map(String::as_str).collect::<Vec<_>>(), ["title"]);
    Ok(())
}

#[test]
fn a_stale_edit_does_not_undo_a_change_merged_from_the_peer_worker() -> TestResult {
    let (_dir, store) = open_store()?;
    let loaded = store.create(&contact(DANA, "Rosa Alvarez", ContactRole::PeerWorker, false))?;
    // Rosa updates her own number from her phone; it arrives by sync.
    let report =
        store.apply_remote(&[remote_change(Collection::Contacts, &loaded.id, DANA, json!({"phone": "+1 212 555 0199"}), 1_000)])?;
    assert_eq!((report.applied, report.rejected.len()), (1, 0));
    // Dana, on the screen loaded before, marks Rosa as an emergency contact.
    let saved = store.update(&loaded, &Contact { is_emergency: true, ..loaded.clone() })?;
    assert!(saved.is_emergency);
    assert_eq!(saved.phone.as_deref(), Some("+1 212 555 0199"), "the stale copy overwrote the merged phone number");
    assert_eq!(store.get::<Contact>(&loaded.id)?, saved);
    Ok(())
}

// ---------------------------------------------------------------------------
// 4. Recovery time, milestones and the home screen
// ---------------------------------------------------------------------------

/// 22:30 on 23 November in New York: already the 24th in UTC.
fn late_evening_new_york() -> DateTime<Utc> {
    utc(2026, 11, 24, 3, 30)
}

#[test]
fn a_period_started_today_is_day_zero_in_the_participants_zone() -> TestResult {
    let (_dir, store) = open_store()?;
    store.set_up_participant(&profile(DANA, "Dana R."))?;
    store.start_recovery_period(DANA, date(2026, 11, 23), Some("Day one".into()))?;
    let today = store.today(DANA, late_evening_new_york(), Language::English)?;
    assert_eq!(today.date, date(2026, 11, 23));
    assert_eq!(today.time_zone, "America/New_York");
    assert_eq!(today.days_in_recovery, Some(0));
    let next = today.next_milestone.ok_or("no next milestone")?;
    assert_eq!((next.milestone.label.as_str(), next.days_to_go), ("24 hours", 1));
    assert!(today.to_celebrate.is_empty());
    Ok(())
}

#[test]
fn recovery_time_milestones_celebrations_and_a_new_period_keep_the_history() -> TestResult {
    let (_dir, store) = open_store()?;
    store.set_up_participant(&profile(DANA, "Dana R."))?;
    let first = store.start_recovery_period(DANA, date(2026, 10, 25), None)?;
    let now = late_evening_new_york();

    let today = store.today(DANA, now, Language::English)?;
    assert_eq!(today.days_in_recovery, Some(29));
    assert_eq!(today.current_period.as_ref().map(|p| p.id.as_str()), Some(first.id.as_str()));
    let next = today.next_milestone.as_ref().ok_or("no next milestone")?;
    assert_eq!((next.milestone.label.as_str(), next.days_to_go), ("30 days", 1));
    let titles: Vec<&str> = today.to_celebrate.iter().map(|m| m.title.as_str()).collect();
    assert_eq!(titles, ["7 days", "24 hours"], "reached, not celebrated, newest first");

    let seven = today.to_celebrate.iter().find(|m| m.title == "7 days").ok_or("7 days not offered")?;
    let record = store.celebrate(DANA, seven)?;
    let today = store.today(DANA, now, Language::English)?;
    assert_eq!(today.to_celebrate.iter().map(|m| m.title.as_str()).collect::<Vec<_>>(), ["24 hours"]);
    let milestones: Vec<Milestone> = store.list(DANA)?;
    let stored = milestones.iter().find(|m| m.id == record.id).ok_or("the celebrated milestone has no record")?;
    assert_eq!(stored.kind, MilestoneKind::RecoveryTime);
    assert!(stored.celebrated);
    assert_eq!((stored.days, stored.achieved_on), (Some(7), Some(date(2026, 11, 1))));

    // A return to use: a new period starts today; the old one is closed, kept.
    let second = store.start_recovery_period(DANA, date(2026, 11, 23), Some("Starting again, one day at a time".into()))?;
    let periods: Vec<RecoveryPeriod> = store.list(DANA)?;
    assert_eq!(periods.len(), 2, "earlier periods stay in the history");
    let closed = periods.iter().find(|p| p.id == first.id).ok_or("the first period is gone")?;
    assert_eq!((closed.start_date, closed.end_date), (date(2026, 10, 25), Some(date(2026, 11, 23))));
    let today = store.today(DANA, now, Language::English)?;
    assert_eq!(today.current_period.as_ref().map(|p| p.id.as_str()), Some(second.id.as_str()));
    assert_eq!(today.days_in_recovery, Some(0));
    assert_eq!(today.next_milestone.as_ref().map(|n| (n.milestone.label.as_str(), n.days_to_go)), Some(("24 hours", 1)));
    assert!(today.to_celebrate.is_empty(), "nothing of the new period is reached yet: {:?}", today.to_celebrate);
    assert!(store.list::<Milestone>(DANA)?.iter().any(|m| m.id == record.id), "earlier milestones stay in the history");

    // A new period may not start before the current one did.
    let outbox = pending(&store)?;
    match store.start_recovery_period(DANA, date(2026, 11, 20), None) {
        Err(Error::Validation { field, reason }) => {
            assert_eq!(field, "start_date");
            assert_kind_words(&reason.to_string());
        }
        other => panic!("expected a validation error on start_date, got {other:?}"),
    }
    assert_eq!(pending(&store)?, outbox);
    assert_eq!(store.list::<RecoveryPeriod>(DANA)?.len(), 2);

    // A week into the new period, its own 24 hours and 7 days are offered.
    let later = store.today(DANA, utc(2026, 11, 30, 17, 0), Language::English)?;
    assert_eq!(later.days_in_recovery, Some(7));
    assert_eq!(later.to_celebrate.iter().map(|m| m.title.as_str()).collect::<Vec<_>>(), ["7 days", "24 hours"]);
    Ok(())
}

/// Dana reached 7 days on 8 November and celebrated; that evening she used,
/// and started a new period the same day. A week later the new period's own
/// 7 days must be offered: the earlier celebration belongs to the old period.
#[test]
fn a_new_period_offers_its_own_milestones_after_one_celebrated_on_its_first_day() -> TestResult {
    let (_dir, store) = open_store()?;
    store.set_up_participant(&profile(DANA, "Dana R."))?;
    store.start_recovery_period(DANA, date(2026, 11, 1), None)?;
    let on_the_eighth = store.today(DANA, utc(2026, 11, 8, 17, 0), Language::English)?;
    let seven = on_the_eighth.to_celebrate.iter().find(|m| m.title == "7 days").ok_or("7 days not offered on day 7")?;
    store.celebrate(DANA, seven)?;
    store.start_recovery_period(DANA, date(2026, 11, 8), Some("Used last night. Told Rosa. Starting again.".into()))?;

    let a_week_later = store.today(DANA, utc(2026, 11, 15, 17, 0), Language::English)?;
    assert_eq!(a_week_later.days_in_recovery, Some(7));
    let titles: Vec<&str> = a_week_later.to_celebrate.iter().map(|m| m.title.as_str()).collect();
    assert_eq!(titles, ["7 days", "24 hours"], "the new period's 7 days is hidden by the old period's celebration");
    Ok(())
}

/// A double tap on "Celebrate" must not put the same milestone in the history
/// twice.
#[test]
fn celebrating_the_same_milestone_twice_keeps_one_record() -> TestResult {
    let (_dir, store) = open_store()?;
    store.set_up_participant(&profile(DANA, "Dana R."))?;
    store.start_recovery_period(DANA, date(2026, 11, 16), None)?;
    let today = store.today(DANA, late_evening_new_york(), Language::English)?;
    let seven = today.to_celebrate.iter().find(|m| m.title == "7 days").ok_or("7 days not offered")?;
    let first = store.celebrate(DANA, seven)?;
    let second = store.celebrate(DANA, seven);
    let records: Vec<Milestone> = store.list::<Milestone>(DANA)?.into_iter().filter(|m| m.days == Some(7)).collect();
    assert_eq!(records.len(), 1, "the 7-day milestone is recorded twice: {records:#?} (second celebrate returned {second:?})");
    assert_eq!(records.first().map(|m| m.id.as_str()), Some(first.id.as_str()));
    Ok(())
}

#[test]
fn personal_milestones_goals_and_reach_outs_on_the_home_screen() -> TestResult {
    let (_dir, store) = open_store()?;
    store.set_up_participant(&profile(DANA, "Dana R."))?;
    let now = late_evening_new_york();

    let custody = store.create(&personal_milestone(DANA, "Regained custody of Maya and Leo", Some(date(2026, 11, 20))))?;
    store.create(&personal_milestone(DANA, "Finish outpatient treatment", None))?;
    store.create(&personal_milestone(DANA, "First paycheck from the bakery", Some(date(2026, 11, 27))))?;
    let today = store.today(DANA, now, Language::English)?;
    let personal: Vec<&str> = today.to_celebrate.iter().map(|m| m.title.as_str()).collect();
    assert_eq!(personal, ["Regained custody of Maya and Leo"], "only achieved, not future or unachieved, milestones");
    let reached = today.to_celebrate.first().ok_or("nothing to celebrate")?;
    assert_eq!(reached.milestone_id.as_deref(), Some(custody.id.as_str()));
    assert_eq!(reached.kind, MilestoneKind::Personal);
    // Someone else's celebration cannot touch Dana's milestone.
    assert_not_found(store.celebrate(JORDAN, reached), "celebrating another participant's milestone");
    assert!(!store.get::<Milestone>(&custody.id)?.celebrated);
    let celebrated = store.celebrate(DANA, reached)?;
    assert!(celebrated.celebrated);
    assert!(store.get::<Milestone>(&custody.id)?.celebrated);
    assert!(store.today(DANA, now, Language::English)?.to_celebrate.is_empty());

    let school = store.create(&goal(DANA, "Walk Maya and Leo to school"))?;
    let housing =
        store.create(&Goal { area: GoalArea::Housing, target_date: None, ..goal(DANA, "Apply for the two-bedroom on Elm St") })?;
    store.create(&Goal { status: GoalStatus::Paused, ..goal(DANA, "Night classes at the community college") })?;
    store.create(&Goal { status: GoalStatus::Archived, ..goal(DANA, "Old goal from intake") })?;
    store.create(&Goal { status: GoalStatus::Achieved, ..goal(DANA, "Get a state ID") })?;
    let gone = store.create(&goal(DANA, "Duplicate of the school goal"))?;
    store.delete::<Goal>(&gone.id)?;
    let paused_later = store.create(&goal(DANA, "Volunteer at the food bank"))?;
    store.update(&paused_later, &Goal { status: GoalStatus::Paused, ..paused_later.clone() })?;

    let open = store.create(&reach_out(DANA, Urgency::WhenYouCan, ReachOutStatus::Open, utc(2026, 11, 22, 14, 0)))?;
    let acknowledged = store.create(&reach_out(DANA, Urgency::Urgent, ReachOutStatus::Acknowledged, utc(2026, 11, 23, 20, 0)))?;
    let today_urgency = store.create(&reach_out(DANA, Urgency::Today, ReachOutStatus::Open, utc(2026, 11, 21, 9, 0)))?;
    store.create(&reach_out(DANA, Urgency::Urgent, ReachOutStatus::Resolved, utc(2026, 11, 20, 9, 0)))?;
    let withdrawn = store.create(&reach_out(DANA, Urgency::Urgent, ReachOutStatus::Open, utc(2026, 11, 23, 21, 0)))?;
    store.delete::<ReachOut>(&withdrawn.id)?;

    let today = store.today(DANA, now, Language::English)?;
    let goals: BTreeSet<&str> = today.active_goals.iter().map(|g| g.id.as_str()).collect();
    assert_eq!(goals, BTreeSet::from([school.id.as_str(), housing.id.as_str()]));
    let reach_outs: Vec<&str> = today.open_reach_outs.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(reach_outs.len(), 3, "open and acknowledged, not resolved or deleted: {:?}", today.open_reach_outs);
    assert_eq!(reach_outs.first().copied(), Some(acknowledged.id.as_str()), "urgent first");
    assert!(reach_outs.contains(&open.id.as_str()) && reach_outs.contains(&today_urgency.id.as_str()));
    assert_eq!(today.pending_changes, store.pending_count()?);
    assert_eq!(today.pending_changes, u64::try_from(pending(&store)?.len())?);
    Ok(())
}

// ---------------------------------------------------------------------------
// 5. Scores
// ---------------------------------------------------------------------------

#[test]
fn gas_summary_of_two_active_goals_at_plus_one_is_62_40() -> TestResult {
    let (_dir, store) = open_store()?;
    store.create(&Goal { gas_score: Some(1), ..goal(DANA, "Walk Maya and Leo to school") })?;
    let housing = store.create(&Goal { area: GoalArea::Housing, ..goal(DANA, "Apply for the two-bedroom on Elm St") })?;
    store.update(&housing, &Goal { gas_score: Some(1), ..housing.clone() })?;
    // Not counted: paused, unscored, deleted, and another participant's.
    store.create(&Goal { status: GoalStatus::Paused, gas_score: Some(-2), ..goal(DANA, "Night classes") })?;
    store.create(&Goal { gas_score: None, ..goal(DANA, "Learn to drive") })?;
    let gone = store.create(&Goal { gas_score: Some(-2), ..goal(DANA, "Duplicate") })?;
    store.delete::<Goal>(&gone.id)?;
    store.create(&Goal { gas_score: Some(-2), ..goal(JORDAN, "Find a sponsor") })?;

    let summary = store.gas_summary(DANA)?;
    assert_eq!(summary.goals_scored, 2);
    let t = summary.t_score.ok_or("no T-score")?;
    assert!((t - 62.40).abs() < 0.005, "T-score {t}, expected 62.40");
    assert_eq!(store.gas_summary(JORDAN)?.goals_scored, 1);
    Ok(())
}

#[test]
fn barc10_summary_gives_the_total_and_the_change_since_the_previous() -> TestResult {
    let (_dir, store) = open_store()?;
    assert_eq!(store.barc10_summary(DANA)?, None);
    store.create(&assessment(DANA, vec![3, 4, 2, 3, 4, 3, 2, 4, 3, 4], date(2026, 10, 28)))?; // 32
    store.create(&assessment(DANA, vec![4, 5, 3, 4, 4, 5, 3, 4, 5, 4], date(2026, 11, 20)))?; // 41
    let mistaken = store.create(&assessment(DANA, vec![6; 10], date(2026, 11, 22)))?;
    store.delete::<Assessment>(&mistaken.id)?;
    store.create(&assessment(JORDAN, vec![1; 10], date(2026, 11, 23)))?;
    let summary = store.barc10_summary(DANA)?.ok_or("no BARC-10 summary")?;
    assert_eq!((summary.total, summary.previous_total, summary.change), (41, Some(32), Some(9)));
    assert_eq!((summary.taken_on, summary.assessments), (date(2026, 11, 20), 2));
    Ok(())
}

// ---------------------------------------------------------------------------
// 6. Coping toolbox
// ---------------------------------------------------------------------------

fn builtins(store: &Store, pid: &str) -> TestResult<Vec<CopingStrategy>> {
    Ok(store.list::<CopingStrategy>(pid)?.into_iter().filter(|s| s.source == StrategySource::Builtin).collect())
}

#[test]
fn setting_up_a_participant_seeds_the_builtin_strategies_once() -> TestResult {
    let (_dir, store) = open_store()?;
    let set_up = store.set_up_participant(&profile(DANA, "Dana R."))?;
    assert_eq!(set_up.id, DANA);
    assert_eq!(store.get::<Profile>(DANA)?, set_up);
    let seeded = builtins(&store, DANA)?;
    assert!(seeded.len() >= 15, "only {} built-in strategies", seeded.len());
    assert_eq!(seeded.len(), BUILTIN_STRATEGIES.len());
    assert!(seeded.iter().filter(|s| s.category == CopingCategory::Parenting).count() >= 1, "no parenting strategies");
    assert!(seeded.iter().all(|s| !s.favorite && !s.steps.is_empty()));

    let outbox = pending(&store)?;
    let again = store.set_up_participant(&profile(DANA, "Someone else"))?;
    assert_eq!(again, set_up, "setting up again keeps the profile");
    assert_eq!(builtins(&store, DANA)?.len(), seeded.len(), "setting up again adds strategies");
    assert_eq!(pending(&store)?, outbox, "setting up again queues changes");
    assert!(builtins(&store, JORDAN)?.is_empty(), "another participant's toolbox was seeded");
    Ok(())
}

#[test]
fn two_phones_seed_the_same_strategies_and_a_local_edit_survives_the_merge() -> TestResult {
    let (_dir_a, phone_a) = open_store()?;
    let (_dir_b, phone_b) = open_store()?;
    phone_a.set_up_participant(&profile(DANA, "Dana R."))?;
    phone_b.set_up_participant(&profile(DANA, "Dana R."))?;
    let ids = |store: &Store| -> TestResult<BTreeSet<String>> { Ok(builtins(store, DANA)?.into_iter().map(|s| s.id).collect()) };
    assert_eq!(ids(&phone_a)?, ids(&phone_b)?, "the phones seeded different records for the same strategies");

    let box_breathing = builtins(&phone_a, DANA)?.into_iter().find(|s| s.title == "Box breathing").ok_or("no Box breathing")?;
    phone_a.update(&box_breathing, &CopingStrategy { favorite: true, ..box_breathing.clone() })?;

    let from_b = phone_b.pending_changes(usize::MAX)?;
    let report = phone_a.apply_remote(&from_b)?;
    assert!(report.rejected.is_empty(), "phone B's seed was rejected: {:?}", report.rejected);
    assert!(phone_a.get::<CopingStrategy>(&box_breathing.id)?.favorite, "the other phone's seed undid the favorite");
    assert_eq!(builtins(&phone_a, DANA)?.len(), BUILTIN_STRATEGIES.len(), "the merge duplicated strategies");

    let from_a = phone_a.pending_changes(usize::MAX)?;
    let report = phone_b.apply_remote(&from_a)?;
    assert!(report.rejected.is_empty(), "phone A's changes were rejected: {:?}", report.rejected);
    assert!(phone_b.get::<CopingStrategy>(&box_breathing.id)?.favorite, "phone B did not get the favorite");
    let mut on_a = builtins(&phone_a, DANA)?;
    let mut on_b = builtins(&phone_b, DANA)?;
    on_a.sort_by(|x, y| x.id.cmp(&y.id));
    on_b.sort_by(|x, y| x.id.cmp(&y.id));
    assert_eq!(on_a, on_b, "the toolboxes did not converge");
    Ok(())
}

#[test]
fn strategies_rank_favorites_first_then_by_how_much_they_helped() -> TestResult {
    let (_dir, store) = open_store()?;
    let favorite = store.create(&CopingStrategy { favorite: true, ..strategy(DANA, "Call Tanya") })?;
    let walk = store.create(&CopingStrategy { category: CopingCategory::Craving, ..strategy(DANA, "Walk around the block with Leo") })?;
    let tv = store.create(&CopingStrategy { category: CopingCategory::Mood, ..strategy(DANA, "Watch TV") })?;
    let untried = store.create(&CopingStrategy { category: CopingCategory::Sleep, ..strategy(DANA, "A bath after bedtime") })?;
    let unrated = store.create(&CopingStrategy { category: CopingCategory::Stress, ..strategy(DANA, "Journal") })?;

    store.create(&coping_use(DANA, &walk.id, Some(5), Some(8), Some(2)))?;
    store.create(&coping_use(DANA, &walk.id, Some(4), Some(6), Some(3)))?;
    store.create(&coping_use(DANA, &tv.id, Some(2), Some(6), Some(6)))?;
    store.create(&coping_use(DANA, &tv.id, Some(1), None, None))?;
    store.create(&coping_use(DANA, &unrated.id, None, Some(5), None))?;
    // A deleted use that would have made the TV top.
    let mistaken = store.create(&coping_use(DANA, &tv.id, Some(5), Some(10), Some(0)))?;
    store.delete::<CopingUse>(&mistaken.id)?;

    let ranked = store.ranked_strategies(DANA, Language::English)?;
    let order: Vec<&str> = ranked.iter().map(|r| r.strategy.id.as_str()).collect();
    assert_eq!(order.len(), 5);
    assert_eq!(&order[..3], [favorite.id.as_str(), walk.id.as_str(), tv.id.as_str()], "{ranked:#?}");
    let tail: BTreeSet<&str> = order[3..].iter().copied().collect();
    assert_eq!(tail, BTreeSet::from([untried.id.as_str(), unrated.id.as_str()]), "unrated strategies come last");
    assert!(ranked[3..].iter().all(|r| r.score.is_none()));
    let walk_ranked = &ranked[1];
    assert_eq!(walk_ranked.uses, 2);
    assert_eq!(walk_ranked.average_helpfulness, Some(4.5));
    assert_eq!(walk_ranked.average_craving_drop, Some(4.5));
    assert_eq!(ranked[2].uses, 2, "a deleted use is not counted");
    Ok(())
}

// ---------------------------------------------------------------------------
// 7. Contacts
// ---------------------------------------------------------------------------

#[test]
fn contacts_list_emergency_ones_first() -> TestResult {
    let (_dir, store) = open_store()?;
    store.create(&contact(DANA, "Ms. Hughes (Leo's teacher)", ContactRole::Other, false))?;
    store.create(&contact(DANA, "Rosa Alvarez", ContactRole::PeerWorker, false))?;
    let mom = store.create(&contact(DANA, "Mom", ContactRole::Family, true))?;
    store.create(&contact(DANA, "Aunt Bea (childcare)", ContactRole::Childcare, false))?;
    let sponsor = store.create(&contact(DANA, "Keisha (sponsor)", ContactRole::Sponsor, true))?;
    let old = store.create(&contact(DANA, "Old sponsor", ContactRole::Sponsor, true))?;
    store.delete::<Contact>(&old.id)?;
    store.create(&contact(JORDAN, "Jordan's brother", ContactRole::Family, true))?;

    let contacts = store.contacts(DANA)?;
    assert_eq!(contacts.len(), 5);
    let emergency: BTreeSet<&str> = contacts[..2].iter().map(|c| c.id.as_str()).collect();
    assert_eq!(emergency, BTreeSet::from([mom.id.as_str(), sponsor.id.as_str()]), "{contacts:#?}");
    assert!(contacts[2..].iter().all(|c| !c.is_emergency));
    assert_eq!(contacts[2].name, "Rosa Alvarez", "the peer worker comes right after the emergency contacts");
    Ok(())
}

// ---------------------------------------------------------------------------
// 8. Crisis resources
// ---------------------------------------------------------------------------

#[test]
fn crisis_lines_are_built_in_and_need_no_store() {
    let resources = crisis_resources(Language::English);
    let contacts: Vec<(CrisisChannel, String, Option<&str>)> = resources
        .iter()
        .flat_map(|r| r.contacts.iter().map(|c| (c.channel, c.number.chars().filter(char::is_ascii_digit).collect(), c.text_body)))
        .collect();
    let has = |channel: CrisisChannel, digits: &str| contacts.iter().any(|(c, n, _)| *c == channel && n == digits);
    assert!(has(CrisisChannel::Call, "988"), "988 call");
    assert!(has(CrisisChannel::Text, "988"), "988 text");
    assert!(has(CrisisChannel::Call, "18006624357"), "SAMHSA helpline");
    assert!(has(CrisisChannel::Tty, "18004874889"), "SAMHSA TTY");
    assert!(has(CrisisChannel::Call, "911"), "911");
    assert!(
        contacts.iter().any(|(c, n, body)| *c == CrisisChannel::Text && n == "741741" && *body == Some("HOME")),
        "Crisis Text Line: text HOME to 741741"
    );
    assert!(resources.iter().all(|r| !r.name.is_empty() && !r.description.is_empty() && !r.available.is_empty()));
}

// ---------------------------------------------------------------------------
// 9. Export
// ---------------------------------------------------------------------------

/// Every non-null field of `record`, and its id, appear in the exported record.
fn exported<R: Record>(collections: &Map<String, Value>, record: &R) -> TestResult<Map<String, Value>> {
    let name = R::COLLECTION.name();
    let records = collections.get(name).and_then(Value::as_array).ok_or_else(|| format!("export lacks {name}"))?;
    let found = records
        .iter()
        .filter_map(Value::as_object)
        .find(|r| r.get("id").and_then(Value::as_str) == Some(record.id()))
        .ok_or_else(|| format!("{name} {} is not in the export", record.id()))?;
    let Value::Object(fields) = serde_json::to_value(record)? else { return Err(format!("{name} is not an object").into()) };
    for (field, value) in fields.iter().filter(|(_, v)| !v.is_null()) {
        if field != "deleted" {
            assert_eq!(found.get(field), Some(value), "{name}.{field} in the export");
        }
    }
    Ok(found.clone())
}

#[test]
fn export_holds_every_collection_and_only_this_participants_records() -> TestResult {
    let (_dir, store) = open_store()?;
    let p = store.create(&profile(DANA, "Dana R."))?;
    let s = store.create(&sharing(DANA))?;
    let period = store.create(&recovery_period(DANA))?;
    let g = store.create(&goal(DANA, "Walk Maya and Leo to school"))?;
    let gp = store.create(&goal_progress(DANA, &g.id))?;
    let m = store.create(&personal_milestone(DANA, "Regained custody of Maya and Leo", Some(date(2026, 11, 20))))?;
    let cs = store.create(&strategy(DANA, "A bridge routine after pick-up"))?;
    let cu = store.create(&coping_use(DANA, &cs.id, Some(4), Some(7), Some(3)))?;
    let c = store.create(&contact(DANA, "Rosa Alvarez", ContactRole::PeerWorker, true))?;
    let ci = store.create(&check_in(DANA))?;
    let sp = store.create(&safety_plan(DANA))?;
    let r = store.create(&reach_out(DANA, Urgency::Today, ReachOutStatus::Open, utc(2026, 11, 23, 13, 0)))?;
    let a = store.create(&assessment(DANA, vec![4, 5, 3, 4, 4, 5, 3, 4, 5, 4], date(2026, 11, 20)))?;
    let msg = store.create(&message(DANA))?;
    let note = store.create(&EncounterNote { status: NoteStatus::Submitted, ..encounter_note(DANA) })?;
    let deleted = store.create(&check_in(DANA))?;
    store.delete::<CheckIn>(&deleted.id)?;

    let jordan_goal = store.create(&goal(JORDAN, "Find a sponsor"))?;
    let jordan_check_in = store.create(&CheckIn { note: Some("Jordan's private note".into()), ..check_in(JORDAN) })?;
    store.create(&profile(JORDAN, "Jordan"))?;

    let text = store.export_participant(DANA, utc(2026, 11, 23, 18, 0))?;
    let export: Value = serde_json::from_str(&text)?;
    assert_eq!(export.get("participant_id").and_then(Value::as_str), Some(DANA));
    let collections = export.get("collections").and_then(Value::as_object).ok_or("export has no collections")?;
    for collection in Collection::ALL {
        assert!(collections.get(collection.name()).is_some_and(Value::is_array), "export lacks {collection}");
    }
    assert_eq!(collections.len(), 15);

    exported(collections, &p)?;
    exported(collections, &s)?;
    exported(collections, &period)?;
    exported(collections, &g)?;
    exported(collections, &gp)?;
    exported(collections, &m)?;
    exported(collections, &cs)?;
    exported(collections, &cu)?;
    exported(collections, &c)?;
    let live = exported(collections, &ci)?;
    assert_ne!(live.get("deleted"), Some(&Value::Bool(true)));
    exported(collections, &sp)?;
    exported(collections, &r)?;
    exported(collections, &a)?;
    exported(collections, &msg)?;
    exported(collections, &note)?;
    let gone = exported(collections, &deleted)?;
    assert_eq!(gone.get("deleted"), Some(&Value::Bool(true)), "a deleted record is marked deleted in the export");

    for foreign in [JORDAN, jordan_goal.id.as_str(), jordan_check_in.id.as_str(), "Jordan's private note", "Find a sponsor"] {
        assert!(!text.contains(foreign), "Dana's export holds Jordan's data: {foreign}");
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// 10. Language
// ---------------------------------------------------------------------------

#[test]
fn nothing_the_core_shows_uses_shaming_words() -> TestResult {
    for milestone in recovery_time::milestones(date(2024, 2, 29), Language::English).take(40) {
        assert_kind_words(&milestone.label);
    }
    for builtin in BUILTIN_STRATEGIES {
        assert_kind_words(builtin.title);
        builtin.steps.iter().for_each(|s| assert_kind_words(s));
        builtin.triggers.iter().for_each(|t| assert_kind_words(t));
    }
    for resource in crisis_resources(Language::English) {
        assert_kind_words(resource.name);
        assert_kind_words(resource.description);
        assert_kind_words(resource.available);
    }

    let (_dir, store) = open_store()?;
    store.set_up_participant(&profile(DANA, "Dana R."))?;
    for seeded in store.list::<CopingStrategy>(DANA)? {
        assert_kind_words(&seeded.title);
        seeded.steps.iter().chain(&seeded.triggers).for_each(|s| assert_kind_words(s));
    }
    store.start_recovery_period(DANA, date(2024, 11, 1), None)?;
    let today = store.today(DANA, utc(2026, 11, 23, 18, 0), Language::English)?;
    today.to_celebrate.iter().for_each(|m| assert_kind_words(&m.title));
    if let Some(next) = &today.next_milestone {
        assert_kind_words(&next.milestone.label);
    }

    // Errors people may see: every message the validator and store give.
    let errors: Vec<Error> = [
        store.create(&CheckIn { mood: 9, ..check_in(DANA) }).err(),
        store.create(&Goal { title: String::new(), ..goal(DANA, "x") }).err(),
        store.create(&Profile { timezone: "Nowhere".into(), ..profile(JORDAN, "Jordan") }).err(),
        store.create(&assessment(DANA, vec![4; 9], date(2026, 11, 20))).err(),
        store.create(&EncounterNote { service_types: vec![], ..encounter_note(DANA) }).err(),
        store.create(&Message { id: "x".into(), ..message(DANA) }).err(),
        store.create(&profile(DANA, "Dana R.")).err(),
        store.start_recovery_period(DANA, date(2020, 1, 1), None).err(),
        store.get::<Goal>(&new_id()).err(),
        Store::open(_dir.path().join("short-key.db"), &[1, 2, 3]).err(),
    ]
    .into_iter()
    .flatten()
    .collect();
    assert_eq!(errors.len(), 10, "every bad call above is an error");
    errors.iter().for_each(|e| assert_kind_words(&e.to_string()));
    Ok(())
}
