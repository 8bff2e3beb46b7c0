//! The store's speed, each figure beside a baseline measured in the same run.
//!
//!     cargo bench -p alongside-core --bench store
//!
//! - write: `Store::create` of one check-in (validation, record, outbox entry,
//!   one encrypted transaction) against a raw rusqlite INSERT of the same row
//!   into the same table of the same encrypted database, as a ratio;
//! - `today` with 10,000 records of a realistic mix in the store, computed
//!   and asked again with nothing changed (kept);
//! - open → first `today` on that existing database.

use std::hint::black_box;
use std::time::{Duration, Instant};

use alongside_core::Store;
use alongside_core::i18n::Language;
use alongside_core::model::*;
use chrono::{Duration as Days, NaiveDate, TimeZone, Utc};
use rusqlite::{Connection, params};

const KEY: [u8; 32] = [42; 32];
const PARTICIPANT: &str = "6c0e4f1a-2b3d-4c5e-9f60-718293a4b5c6";
const ROUNDS: usize = 15;
const WRITES_PER_ROUND: usize = 400;

type Error = Box<dyn std::error::Error>;

fn main() -> Result<(), Error> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("bench.db");
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 15, 0, 0).single().ok_or("time")?;

    let store = Store::open(&path, &KEY)?;
    fill(&store, now)?;
    let raw = raw_connection(&path)?;

    let records = store.export_participant(PARTICIPANT, now)?.matches("\"id\":").count();
    // Computed: alternating between two local dates defeats the kept answer,
    // so every call does the whole work.
    let today = median(
        (0..ROUNDS)
            .map(|_| {
                time_per_op(200, |i| {
                    let at = now + Days::days((i % 2) as i64);
                    store.today(PARTICIPANT, at, Language::English).map(|t| drop(black_box(t))).map_err(Error::from)
                })
            })
            .collect::<Result<Vec<_>, _>>()?,
    );
    // Asked again with nothing changed, as a screen refresh does.
    let today_again = median(
        (0..ROUNDS)
            .map(|_| {
                time_per_op(200, |_| store.today(PARTICIPANT, now, Language::English).map(|t| drop(black_box(t))).map_err(Error::from))
            })
            .collect::<Result<Vec<_>, _>>()?,
    );
    // Interleave rounds so drift (checkpoints, page cache) hits both alike.
    let (mut core_round, mut raw_round) = (Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        core_round.push(time_per_op(WRITES_PER_ROUND, |i| store.create(&check_in(now, i, "core")).map(drop).map_err(Error::from))?);
        raw_round.push(time_per_op(WRITES_PER_ROUND, |i| raw_insert(&raw, now, round * WRITES_PER_ROUND + i))?);
    }
    let (core_write, raw_write) = (median(core_round), median(raw_round));

    drop(store);
    drop(raw);

    let open = median(
        (0..ROUNDS)
            .map(|_| {
                time_per_op(1, |_| {
                    let store = Store::open(&path, &KEY)?;
                    black_box(store.today(PARTICIPANT, now, Language::English)?);
                    Ok(())
                })
            })
            .collect::<Result<Vec<_>, _>>()?,
    );

    println!("alongside-core store benchmark ({ROUNDS} rounds, medians; {records} records in the store)");
    println!("  write: Store::create (record + outbox)   {:>9.1} µs", micros(core_write));
    println!("  write: raw rusqlite INSERT (baseline)    {:>9.1} µs", micros(raw_write));
    println!("  write overhead ratio                     {:>9.2} ×   (target ≤ 1.5)", core_write.as_secs_f64() / raw_write.as_secs_f64());
    println!("  today, {records} records, computed       {:>9.1} µs   (target < 1000)", micros(today));
    println!("  today, asked again, nothing changed      {:>9.1} µs", micros(today_again));
    println!("  open → first today                       {:>9.2} ms   (target < 50)", open.as_secs_f64() * 1e3);
    Ok(())
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn time_per_op(ops: usize, mut op: impl FnMut(usize) -> Result<(), Error>) -> Result<Duration, Error> {
    let start = Instant::now();
    for i in 0..ops {
        op(i)?;
    }
    Ok(start.elapsed() / ops as u32)
}

fn check_in(now: chrono::DateTime<Utc>, i: usize, note: &str) -> CheckIn {
    CheckIn {
        id: String::new(),
        participant_id: PARTICIPANT.into(),
        at: now - Days::minutes(i as i64),
        mood: (i % 5 + 1) as i64,
        craving: Some((i % 11) as i64),
        note: Some(format!("{note} check-in {i}: slept badly, the kids were up early, went for a walk after drop-off")),
        deleted: false,
    }
}

/// A second connection to the same encrypted file, set up as the store sets
/// up its own.
fn raw_connection(path: &std::path::Path) -> Result<Connection, Error> {
    let conn = Connection::open(path)?;
    let hex: String = KEY.iter().map(|b| format!("{b:02x}")).collect();
    conn.execute_batch(&format!("PRAGMA key = \"x'{hex}'\"; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -8000;"))?;
    Ok(conn)
}

/// The same row `Store::create` writes for a check-in, inserted directly.
fn raw_insert(conn: &Connection, now: chrono::DateTime<Utc>, i: usize) -> Result<(), Error> {
    let record = check_in(now, i, "raw");
    let fields = serde_json::to_string(&record)?;
    let hlc = format!("{:013}-0000-bench", 1_763_880_000_000u64 + i as u64);
    let clocks = format!(r#"{{"at":"{hlc}","mood":"{hlc}","craving":"{hlc}","note":"{hlc}","deleted":"{hlc}"}}"#);
    let mut stmt = conn.prepare_cached(
        "INSERT INTO records (collection, record_id, participant_id, fields, clocks, status, deleted) VALUES ('check_ins', ?1, ?2, ?3, ?4, NULL, 0)",
    )?;
    stmt.execute(params![alongside_core::ids::new_id(), PARTICIPANT, fields, clocks])?;
    Ok(())
}

/// About 10,000 records: years of check-ins and coping, a few hundred goals,
/// messages and reach-outs, most of them long resolved.
fn fill(store: &Store, now: chrono::DateTime<Utc>) -> Result<(), Error> {
    let day = |n: i64| -> Result<NaiveDate, Error> { Ok((now - Days::days(n)).date_naive()) };
    store.set_up_participant(&Profile {
        participant_id: PARTICIPANT.into(),
        display_name: "Jordan".into(),
        timezone: "America/Chicago".into(),
        ..Profile::default()
    })?;
    store.start_recovery_period(PARTICIPANT, day(400)?, None)?;
    store.start_recovery_period(PARTICIPANT, day(75)?, Some("Starting again, with more support".into()))?;
    for i in 0..4_500 {
        store.create(&check_in(now, i * 90, "history"))?;
    }
    let strategies: Vec<String> = store.list::<CopingStrategy>(PARTICIPANT)?.into_iter().map(|s| s.id).collect();
    for i in 0..2_500usize {
        store.create(&CopingUse {
            id: String::new(),
            participant_id: PARTICIPANT.into(),
            strategy_id: strategies[i % strategies.len()].clone(),
            used_at: now - Days::hours(i as i64 * 3),
            helpfulness: Some((i % 5 + 1) as i64),
            craving_before: Some(7),
            craving_after: Some((i % 8) as i64),
            note: None,
            deleted: false,
        })?;
    }
    for i in 0..300i64 {
        let status = if i < 12 { GoalStatus::Active } else { GoalStatus::Achieved };
        let goal = store.create(&Goal {
            id: String::new(),
            participant_id: PARTICIPANT.into(),
            title: format!("Goal {i}: get the kids to school on time"),
            description: None,
            area: GoalArea::Parenting,
            status,
            target_date: Some(day(-30 + i)?),
            gas_levels: None,
            gas_score: Some(i % 5 - 2),
            gas_weight: None,
            deleted: false,
        })?;
        for j in 0..3 {
            store.create(&GoalProgress {
                id: String::new(),
                participant_id: PARTICIPANT.into(),
                goal_id: goal.id.clone(),
                score: Some((i + j) % 5 - 2),
                note: Some("Steady week".into()),
                recorded_at: now - Days::days(i * 3 + j),
                deleted: false,
            })?;
        }
    }
    for i in 0..1_200i64 {
        store.create(&Message {
            id: String::new(),
            participant_id: PARTICIPANT.into(),
            body: format!("Message {i}: checking in about Thursday's appointment"),
            sent_at: now - Days::hours(i * 7),
            read_at: Some(now - Days::hours(i * 7 - 1)),
            deleted: false,
        })?;
    }
    for i in 0..300i64 {
        let status = if i < 3 { ReachOutStatus::Open } else { ReachOutStatus::Resolved };
        store.create(&ReachOut {
            id: String::new(),
            participant_id: PARTICIPANT.into(),
            urgency: if i % 7 == 0 { Urgency::Urgent } else { Urgency::Today },
            message: Some("Can we talk today?".into()),
            created_at: now - Days::days(i),
            status,
            acknowledged_at: None,
            resolved_at: None,
            deleted: false,
        })?;
    }
    for i in 0..60i64 {
        store.create(&Milestone {
            id: String::new(),
            participant_id: PARTICIPANT.into(),
            title: format!("Personal milestone {i}"),
            kind: MilestoneKind::Personal,
            days: None,
            goal_id: None,
            target_date: None,
            achieved_on: Some(day(i * 5)?),
            celebrated: i > 2,
            note: None,
            deleted: false,
        })?;
    }
    for i in 0..40i64 {
        store.create(&Assessment {
            id: String::new(),
            participant_id: PARTICIPANT.into(),
            instrument: Instrument::Barc10,
            responses: vec![(i % 6) + 1; 10],
            taken_on: day(i * 30)?,
            note: None,
            deleted: false,
        })?;
    }
    Ok(())
}
