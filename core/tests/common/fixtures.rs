//! The fixtures the integration tests share: a fresh encrypted store, dates and
//! instants, the outbox, and a typical record of each kind that more than one
//! test file writes. A test that cares about a field sets it with struct update
//! (`Goal { gas_score: Some(1), ..goal(pid, title) }`).

use std::error::Error as StdError;
use std::path::PathBuf;

use alongside_core::model::{
    CheckIn, Contact, ContactRole, EncounterLocation, EncounterMode, EncounterNote, GasLevels, Goal, GoalArea, GoalStatus, NoteStatus,
    Profile, ReachOut, ReachOutStatus, ServiceType, Urgency,
};
use alongside_core::{Change, Error, Store};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};

pub type TestResult<T = ()> = Result<T, Box<dyn StdError>>;

/// The key of every store `open_store` opens.
pub const KEY: [u8; 32] = [0x5a; 32];

/// The database file of a store `open_store` opened in `dir`.
pub fn store_path(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("alongside.db")
}

/// A new encrypted store (key `KEY`) in a temporary folder of its own, which
/// goes when the returned `TempDir` is dropped. The error is the core's, so
/// that both `TestResult` and proptest's `TestCaseError` take it with `?`.
pub fn open_store() -> alongside_core::Result<(tempfile::TempDir, Store)> {
    let dir = tempfile::tempdir().map_err(|e| Error::Storage(format!("a temporary folder: {e}")))?;
    let store = Store::open(store_path(&dir), &KEY)?;
    Ok((dir, store))
}

pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_else(|| panic!("{y}-{m}-{d} is not a date"))
}

pub fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).single().unwrap_or_else(|| panic!("{y}-{mo}-{d} {h}:{mi} is not an instant"))
}

/// The store's whole outbox, oldest first.
pub fn pending(store: &Store) -> TestResult<Vec<Change>> {
    Ok(store.pending_changes(usize::MAX)?)
}

/// The newest change in the store's outbox.
pub fn last_pending(store: &Store) -> TestResult<Change> {
    pending(store)?.pop().ok_or_else(|| "the outbox is empty".into())
}

pub fn profile(participant_id: &str, display_name: &str) -> Profile {
    Profile {
        id: String::new(),
        participant_id: participant_id.into(),
        display_name: display_name.into(),
        pronouns: Some("she/her".into()),
        timezone: "America/New_York".into(),
        deleted: false,
    }
}

/// An active goal at the expected level (GAS score 0), with all five levels.
pub fn goal(participant_id: &str, title: &str) -> Goal {
    Goal {
        id: String::new(),
        participant_id: participant_id.into(),
        title: title.into(),
        description: Some("Maya and Leo at Lincoln Elementary by 8:10, every weekday".into()),
        area: GoalArea::Parenting,
        status: GoalStatus::Active,
        target_date: Some(date(2027, 1, 31)),
        gas_levels: Some(GasLevels {
            much_less: Some("We miss most school days".into()),
            less: Some("One or two mornings a week".into()),
            expected: Some("Three mornings a week".into()),
            more: Some("Four mornings a week".into()),
            much_more: Some("Every morning, on time".into()),
        }),
        gas_score: Some(0),
        gas_weight: None,
        deleted: false,
    }
}

/// A check-in at 12:40 UTC on 23 November 2026, mood 3.
pub fn check_in(participant_id: &str) -> CheckIn {
    CheckIn {
        id: String::new(),
        participant_id: participant_id.into(),
        at: utc(2026, 11, 23, 12, 40),
        mood: 3,
        craving: Some(4),
        note: Some("Rough morning getting the kids out the door".into()),
        deleted: false,
    }
}

pub fn contact(participant_id: &str, name: &str, role: ContactRole, is_emergency: bool) -> Contact {
    Contact {
        id: String::new(),
        participant_id: participant_id.into(),
        name: name.into(),
        role,
        phone: Some("+1 212 555 0142".into()),
        can_text: true,
        email: None,
        availability: Some("Weekdays 9 to 5".into()),
        is_emergency,
        notes: None,
        deleted: false,
    }
}

pub fn reach_out(participant_id: &str, urgency: Urgency, status: ReachOutStatus, created_at: DateTime<Utc>) -> ReachOut {
    ReachOut {
        id: String::new(),
        participant_id: participant_id.into(),
        urgency,
        message: Some("Court moved to Thursday and I have no one for the kids".into()),
        created_at,
        status,
        acknowledged_at: None,
        resolved_at: None,
        deleted: false,
    }
}

/// A draft note of a court visit, linked to one goal.
pub fn encounter_note(participant_id: &str) -> EncounterNote {
    EncounterNote {
        id: String::new(),
        participant_id: participant_id.into(),
        status: NoteStatus::Draft,
        amends: None,
        occurred_on: date(2026, 11, 19),
        duration_minutes: 90,
        mode: EncounterMode::InPerson,
        location: EncounterLocation::Court,
        service_types: vec![ServiceType::Advocacy, ServiceType::FamilySupport],
        goal_ids: vec![new_id()],
        summary: "Went with Dana to the custody review. Helped her explain her recovery plan.".into(),
        next_steps: None,
        deleted: false,
    }
}
