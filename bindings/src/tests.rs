//! The wrapper on its own, from Rust: error mapping, the per-collection
//! functions, events. The Kotlin tests (bindings/kotlin) cover the same through
//! the generated bindings and a real server.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use alongside_core::codes::{ErrorCode, RejectionCode};
use alongside_core::i18n::Language;
use alongside_core::model::{CheckIn, Goal, GoalArea};
use alongside_core::schema::{Collection, Reason};
use alongside_core::sync::SyncError;

use crate::{AlongsideError, Companion, DataChange, DataChangeObserver, SyncStatus, SyncStatusObserver};

const ME: &str = "6d3f4c1e-8a52-4b7e-9c1d-2f0a7b5e9d31";

fn open(dir: &tempfile::TempDir, name: &str) -> Arc<Companion> {
    // Port 9 (discard) on loopback: nothing listens, so sync fails fast as offline.
    let path = dir.path().join(name).to_string_lossy().into_owned();
    match Companion::open(path, vec![7; 32], "http://127.0.0.1:9".into(), "test".into()) {
        Ok(companion) => companion,
        Err(error) => panic!("open: {error}"),
    }
}

fn goal(title: &str) -> Goal {
    Goal::new(ME, title, GoalArea::Parenting)
}

fn wait_until(what: &str, condition: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if condition() {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("timed out waiting until {what}");
}

#[test]
fn core_and_sync_errors_map_to_the_public_variants() {
    use alongside_core::Error as Core;
    let _english = speaking(Language::English);
    let cases: Vec<(AlongsideError, AlongsideError)> = vec![
        (
            Core::Validation { field: "mood".into(), reason: Reason::Range { min: 1, max: 5 } }.into(),
            AlongsideError::Validation { field: "mood".into(), reason: "Choose a whole number from 1 to 5.".into() },
        ),
        (Core::WrongKey.into(), AlongsideError::WrongKey),
        (
            Core::InvalidKey { len: 16 }.into(),
            AlongsideError::Validation { field: "key".into(), reason: "a database key is 32 bytes, got 16".into() },
        ),
        (
            Core::Rejected { code: RejectionCode::Locked, message: "m".into() }.into(),
            AlongsideError::Rejected { code: "locked".into(), reason: "m".into() },
        ),
        (SyncError::Offline("reset".into()).into(), AlongsideError::Offline { reason: "reset".into() }),
        (SyncError::NotSignedIn.into(), AlongsideError::NotSignedIn),
        (server(401, ErrorCode::Unauthorized, "m", None).into(), AlongsideError::NotSignedIn),
        (server(403, ErrorCode::Forbidden, "not shared", None).into(), AlongsideError::Forbidden { reason: "not shared".into() }),
        (
            SyncError::Server {
                status: 429,
                code: ErrorCode::RateLimited,
                message: "m".into(),
                field: None,
                retry_after: Some(Duration::from_secs(30)),
            }
            .into(),
            AlongsideError::Server { status: 429, code: "rate_limited".into(), reason: "m".into(), retry_after_seconds: Some(30) },
        ),
        (
            // The field comes from the error body; the words, where the app has
            // its own for that field, from the app.
            server(422, ErrorCode::ValidationFailed, "invite_code: not a code we issued", Some("invite_code")).into(),
            AlongsideError::Validation {
                field: "invite_code".into(),
                reason: "That code didn't work. Check it with your peer worker, or ask for a new one.".into(),
            },
        ),
        (
            // Where it has none, the server's reason, without the field it begins with.
            server(422, ErrorCode::ValidationFailed, "user: already exists", Some("user")).into(),
            AlongsideError::Validation { field: "user".into(), reason: "already exists".into() },
        ),
        (
            // A 422 that names no field stays what the server said, even when
            // its message looks like "field: reason".
            server(422, ErrorCode::ValidationFailed, "Too weak: add words", None).into(),
            AlongsideError::Server {
                status: 422,
                code: "validation_failed".into(),
                reason: "Too weak: add words".into(),
                retry_after_seconds: None,
            },
        ),
        (
            // A code this app does not know yet still reaches the screen as sent.
            server(503, ErrorCode::from("maintenance"), "back soon", None).into(),
            AlongsideError::Server { status: 503, code: "maintenance".into(), reason: "back soon".into(), retry_after_seconds: None },
        ),
        (SyncError::Store("disk full".into()).into(), AlongsideError::Storage { reason: "disk full".into() }),
    ];
    for (mapped, expected) in cases {
        assert_eq!(mapped, expected);
    }
    assert!(matches!(Core::NewerSchema { found: 9, supported: 3 }.into(), AlongsideError::Rejected { code, .. } if code == "newer_schema"));
}

/// A server's error answer, as the sync client reads it.
fn server(status: u16, code: ErrorCode, message: &str, field: Option<&str>) -> SyncError {
    SyncError::Server { status, code, message: message.into(), field: field.map(str::to_owned), retry_after: None }
}

#[test]
fn every_collection_function_goes_through_the_store_and_announces_the_change() -> Result<(), AlongsideError> {
    let dir = tempfile::tempdir().map_err(AlongsideError::internal)?;
    let phone = open(&dir, "phone.db");
    phone.set_network_available(false);
    let changes: Arc<Mutex<Vec<DataChange>>> = Arc::default();
    let _watching = phone.observe_changes(Arc::new(Recorder(Arc::clone(&changes))))?;

    let created = phone.create_goal(goal("Walk the kids to school"))?;
    assert!(!created.id.is_empty(), "an empty id gets a fresh one");
    let edited = phone.update_goal(created.clone(), Goal { gas_score: Some(1), ..created.clone() })?;
    assert_eq!(edited.gas_score, Some(1));
    assert_eq!(phone.list_goals(ME.into())?, vec![edited.clone()]);
    phone.delete_goal(edited.id.clone())?;
    assert!(matches!(phone.get_goal(edited.id), Err(AlongsideError::NotFound { .. })));
    assert_eq!(phone.pending_count()?, 3);
    assert_eq!(phone.outbox()?.len(), 3);

    let invalid = phone.create_check_in(CheckIn {
        id: String::new(),
        participant_id: ME.into(),
        at: chrono::Utc::now(),
        mood: 0,
        craving: None,
        note: None,
        deleted: false,
    });
    assert!(matches!(invalid, Err(AlongsideError::Validation { field, .. }) if field == "mood"));

    wait_until("three changes are announced", || changes.lock().map(|c| c.len() >= 3).unwrap_or(false));
    let seen = changes.lock().map(|c| c.clone()).unwrap_or_default();
    assert!(seen.iter().all(|c| c.participant_id.as_deref() == Some(ME) && c.collections == [Collection::Goals] && !c.remote));
    Ok(())
}

#[test]
fn a_failing_observer_harms_nothing_and_cancel_stops_the_events() -> Result<(), AlongsideError> {
    let dir = tempfile::tempdir().map_err(AlongsideError::internal)?;
    let phone = open(&dir, "phone.db");
    let statuses: Arc<Mutex<Vec<SyncStatus>>> = Arc::default();
    let _failing = phone.observe_sync(Arc::new(Failing))?;
    let watching = phone.observe_sync(Arc::new(Recorder(Arc::clone(&statuses))))?;

    phone.set_network_available(false);
    wait_until("the offline status arrives", || {
        statuses.lock().map(|s| s.iter().any(|s| s.state == alongside_core::sync::SyncState::Offline)).unwrap_or(false)
    });
    watching.cancel();
    watching.cancel();
    let heard = statuses.lock().map(|s| s.len()).unwrap_or_default();
    phone.create_goal(goal("After cancel"))?;
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(statuses.lock().map(|s| s.len()).unwrap_or_default(), heard);
    Ok(())
}

#[test]
fn an_observer_that_comes_late_hears_where_sync_stands_first() -> Result<(), AlongsideError> {
    let dir = tempfile::tempdir().map_err(AlongsideError::internal)?;
    let phone = open(&dir, "phone.db");
    phone.set_network_available(false);
    wait_until("the phone knows it is offline", || phone.sync_status().state == alongside_core::sync::SyncState::Offline);

    // Nothing more happens: a screen that subscribes now still learns it is offline.
    let statuses: Arc<Mutex<Vec<SyncStatus>>> = Arc::default();
    let _watching = phone.observe_sync(Arc::new(Recorder(Arc::clone(&statuses))))?;
    wait_until("the status now arrives", || statuses.lock().is_ok_and(|s| !s.is_empty()));
    let first = statuses.lock().map_err(AlongsideError::internal)?.first().cloned();
    assert_eq!(first.map(|s| s.state), Some(alongside_core::sync::SyncState::Offline));
    Ok(())
}

#[test]
fn passes_that_brought_something_in_tell_the_screens_once_they_end() -> Result<(), AlongsideError> {
    use alongside_core::sync::{SyncObserver, SyncProgress, SyncState};
    let runtime = tokio::runtime::Runtime::new().map_err(AlongsideError::internal)?;
    let events = crate::events::Events::new();
    let observer = crate::events::EngineObserver(Arc::clone(&events));
    let heard: Arc<Mutex<Vec<DataChange>>> = Arc::default();
    let recorder = Recorder(Arc::clone(&heard));
    let _subscription = events.changes.subscribe(runtime.handle(), None, move |change| {
        let _ = recorder.on_change(change);
    });
    let status = |state: SyncState, pulled: usize| alongside_core::sync::SyncStatus {
        state,
        pending: 0,
        last_success: None,
        progress: SyncProgress { pushed: 0, pulled, purged: 0 },
    };
    // A pass merges a page, is set aside for a reach-out, and the pass that
    // takes over brings nothing more: the screens still read again.
    observer.on_status(status(SyncState::Syncing, 0));
    observer.on_status(status(SyncState::Syncing, 40));
    observer.on_status(status(SyncState::Syncing, 0));
    observer.on_status(status(SyncState::Idle, 0));
    wait_until("the screens hear of it", || heard.lock().is_ok_and(|h| h.len() == 1));
    // Idle again, repeating the last progress: nothing new, nothing said.
    observer.on_status(status(SyncState::Idle, 40));
    observer.on_status(status(SyncState::Syncing, 0));
    observer.on_status(status(SyncState::Idle, 0));
    std::thread::sleep(Duration::from_millis(100));
    let heard = heard.lock().map_err(AlongsideError::internal)?.clone();
    assert_eq!(heard.len(), 1, "{heard:?}");
    assert!(heard[0].remote && heard[0].participant_id.is_none());
    Ok(())
}

#[test]
fn crisis_lines_cross_as_owned_records() {
    let _english = speaking(Language::English);
    let lines = crate::crisis_resources();
    assert_eq!(lines.len(), alongside_core::library::crisis::crisis_resources(Language::English).len());
    assert!(lines.iter().flat_map(|l| &l.contacts).any(|c| c.number == "741741" && c.text_body.as_deref() == Some("HOME")));
}

#[test]
fn in_spanish_the_library_speaks_spanish() {
    let _spanish = speaking(Language::Spanish);
    let lines = crate::crisis_resources();
    assert!(lines.iter().flat_map(|l| &l.contacts).any(|c| c.number == "741741" && c.text_body.as_deref() == Some("AYUDA")));
    let refused: AlongsideError =
        alongside_core::Error::Validation { field: "craving".into(), reason: Reason::Range { min: 0, max: 10 } }.into();
    assert_eq!(refused, AlongsideError::Validation { field: "craving".into(), reason: "Elige un número entero del 0 al 10.".into() });
    assert_eq!(crate::words(Language::Spanish).today.title, "Hoy");
    assert_eq!(crate::language_for_tag("es-MX".into()), Language::Spanish);
}

/// Holds the process's language for one test (tests run in parallel).
fn speaking(language: Language) -> std::sync::MutexGuard<'static, ()> {
    static HELD: Mutex<()> = Mutex::new(());
    let guard = HELD.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    crate::set_language(language);
    guard
}

struct Recorder<T>(Arc<Mutex<Vec<T>>>);

impl SyncStatusObserver for Recorder<SyncStatus> {
    fn on_status(&self, status: SyncStatus) -> Result<(), AlongsideError> {
        self.0.lock().map_err(AlongsideError::internal)?.push(status);
        Ok(())
    }
}

impl DataChangeObserver for Recorder<DataChange> {
    fn on_change(&self, change: DataChange) -> Result<(), AlongsideError> {
        self.0.lock().map_err(AlongsideError::internal)?.push(change);
        Ok(())
    }
}

struct Failing;

impl SyncStatusObserver for Failing {
    fn on_status(&self, _status: SyncStatus) -> Result<(), AlongsideError> {
        Err(AlongsideError::internal("a screen with a bug"))
    }
}

#[test]
fn an_observer_that_stalls_holds_a_bounded_queue_and_then_hears_that_anything_may_have_changed() -> Result<(), AlongsideError> {
    let runtime = tokio::runtime::Runtime::new().map_err(AlongsideError::internal)?;
    let hub: Arc<crate::events::Hub<DataChange>> = crate::events::Hub::new();
    let gate = Arc::new(Mutex::new(()));
    let heard: Arc<Mutex<Vec<DataChange>>> = Arc::default();
    let stalled = gate.lock().map_err(AlongsideError::internal)?;
    let (gate_in, heard_in) = (Arc::clone(&gate), Arc::clone(&heard));
    let _subscription = hub.subscribe(runtime.handle(), None, move |change| {
        let _open = gate_in.lock();
        heard_in.lock().map(|mut heard| heard.push(change)).unwrap_or_default();
    });
    let change =
        |participant: &str| DataChange { participant_id: Some(participant.into()), collections: vec![Collection::Goals], remote: false };
    for i in 0..1000 {
        hub.publish(&change(&format!("p{i}")));
    }
    drop(stalled);
    let count = || heard.lock().map(|h| h.len()).unwrap_or_default();
    wait_until("the queued events are delivered", || count() >= 60);
    std::thread::sleep(Duration::from_millis(100));
    assert!(count() <= 66, "at most the queue and the one in hand: {}", count());
    hub.publish(&change("after"));
    wait_until("the catch-up arrives", || heard.lock().is_ok_and(|h| h.last().is_some_and(|c| c.participant_id.is_none())));
    let last = heard.lock().map_err(AlongsideError::internal)?.last().cloned();
    assert_eq!(last.map(|c| c.collections.len()), Some(Collection::ALL.len()), "missed events become one 'anything may have changed'");
    Ok(())
}
