//! The Rust half of the FFI benchmark: the same operations the Kotlin harness
//! (bindings/kotlin/src/test/kotlin/org/alongside/core/FfiBenchmark.kt) times
//! through the generated bindings, called here on the same `Companion` API
//! without the FFI. Prints one JSON object of medians, in microseconds.
//! Run by bindings/bench.sh; not a test.

use std::time::Instant;

use alongside_core::model::{CheckIn, Goal, GoalArea, GoalStatus, Profile};
use alongside_core::views::Today;
use alongside_ffi::{AlongsideError, Companion};

/// The participant with a typical amount of data, whose `today` is timed.
const TYPICAL: &str = "0b7e2a61-3c4d-4e5f-8a9b-0c1d2e3f4a5b";
/// The participant with 1,000 goals, whose goals are listed.
const MANY: &str = "1c8f3b72-4d5e-4f60-9bac-1d2e3f4a5b6c";

fn main() -> Result<(), AlongsideError> {
    let dir = std::env::temp_dir().join(format!("alongside-ffi-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| AlongsideError::Storage { reason: e.to_string() })?;
    let result = run(&dir);
    let _ = std::fs::remove_dir_all(&dir);
    let timings = result?;
    let fields: Vec<String> = timings.iter().map(|(name, micros)| format!("\"{name}\": {micros:.3}")).collect();
    println!("{{{}}}", fields.join(", "));
    Ok(())
}

fn run(dir: &std::path::Path) -> Result<Vec<(&'static str, f64)>, AlongsideError> {
    let path = dir.join("bench.db").to_string_lossy().into_owned();
    let phone = Companion::open(path, vec![42; 32], "http://127.0.0.1:9".into(), "bench".into())?;
    phone.set_network_available(false);
    seed(&phone)?;

    let mut timings = vec![(
        "noop",
        median_micros(15, 10_000, || {
            std::hint::black_box(alongside_ffi::library_version());
            Ok(())
        })?,
    )];
    timings.push(("pending_count", median_micros(15, 10_000, || phone.pending_count().map(drop))?));
    timings.push(("today", median_micros(15, 1000, || phone.today(TYPICAL.into()).map(drop))?));
    // The Rust half of what crosses the FFI: the same call, and the `Today` it
    // returns written into the buffer the generated function hands to Kotlin.
    timings.push((
        "today_lowered",
        median_micros(15, 1000, || {
            let today = phone.today(TYPICAL.into())?;
            <Today as uniffi::Lower<alongside_ffi::UniFfiTag>>::lower(today).destroy();
            Ok(())
        })?,
    ));
    timings.push(("write", median_micros(15, 100, || phone.create_check_in(check_in(3)).map(drop))?));
    timings.push(("list_1000_goals", median_micros(15, 20, || phone.list_goals(MANY.into()).map(drop))?));
    Ok(timings)
}

/// The same data the Kotlin harness makes.
fn seed(phone: &Companion) -> Result<(), AlongsideError> {
    phone.set_up_participant(Profile {
        id: String::new(),
        participant_id: TYPICAL.into(),
        display_name: "Rosa".into(),
        pronouns: None,
        timezone: "America/Chicago".into(),
        deleted: false,
    })?;
    let start = chrono::Utc::now().date_naive() - chrono::Days::new(40);
    phone.start_recovery_period(TYPICAL.into(), start, None)?;
    for i in 0..5 {
        phone.create_goal(goal(TYPICAL, i))?;
    }
    for i in 0..20 {
        phone.create_check_in(check_in(1 + i % 5))?;
    }
    for i in 0..1000 {
        phone.create_goal(goal(MANY, i))?;
    }
    Ok(())
}

fn goal(participant_id: &str, i: i64) -> Goal {
    Goal {
        id: String::new(),
        participant_id: participant_id.into(),
        title: format!("Goal number {i}"),
        description: Some("A goal with a description of ordinary length.".into()),
        area: GoalArea::Parenting,
        status: GoalStatus::Active,
        target_date: None,
        gas_levels: None,
        gas_score: Some(i % 5 - 2),
        gas_weight: None,
        deleted: false,
    }
}

fn check_in(mood: i64) -> CheckIn {
    CheckIn {
        id: String::new(),
        participant_id: TYPICAL.into(),
        at: chrono::Utc::now(),
        mood,
        craving: Some(2),
        note: Some("Slept well".into()),
        deleted: false,
    }
}

/// The median over `rounds` of the mean time of one call in a round of `calls`.
fn median_micros(rounds: usize, calls: usize, mut call: impl FnMut() -> Result<(), AlongsideError>) -> Result<f64, AlongsideError> {
    for _ in 0..calls {
        call()?; // warm-up
    }
    let mut means = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let started = Instant::now();
        for _ in 0..calls {
            call()?;
        }
        means.push(started.elapsed().as_secs_f64() * 1e6 / calls as f64);
    }
    means.sort_by(f64::total_cmp);
    Ok(means[rounds / 2])
}
