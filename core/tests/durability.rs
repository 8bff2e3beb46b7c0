//! Durability of the local store, against the real encrypted file:
//!
//! - nothing a person typed is readable in the database, its WAL or any other
//!   file beside it, while the store is open or after it is closed;
//! - a wrong key is `Error::WrongKey` and leaves the file as it was;
//! - a process killed (SIGKILL) at random moments while writing leaves a sound
//!   database in which every record has its outbox entries and every write that
//!   returned `Ok` before the kill is still there.
//!
//! The crash test runs its writer as a child process: the `#[ignore]`d test
//! `crash_child_writes_until_killed` of this same binary, which does nothing
//! unless `ALONGSIDE_CRASH_CHILD_DB` names a database.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::io::{Read, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use alongside_core::model::{
    CheckIn, Contact, ContactRole, CopingCategory, CopingStrategy, GasLevels, Goal, GoalArea, GoalStatus, Message, Profile, Record,
    RecoveryPeriod,
};
use alongside_core::{Error, Store};
use common::fixtures::{TestResult, date, utc};
use common::{Rng, integrity, lww_model, open_raw};
use serde_json::{Map, Value};

/// Names the child's database; the child test does nothing without it.
const CHILD_DB_ENV: &str = "ALONGSIDE_CRASH_CHILD_DB";
/// The child's random seed, so that each run writes different values.
const CHILD_SEED_ENV: &str = "ALONGSIDE_CRASH_CHILD_SEED";
const CHILD_TEST: &str = "crash_child_writes_until_killed";

const CRASH_KEY: [u8; 32] = [0x5a; 32];
const CRASH_PARTICIPANT: &str = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
const ROUNDS: usize = 50;

/// Every file in `dir` (the database, `-wal`, `-shm`, `-journal`, ...) by name.
fn files_in(dir: &Path) -> TestResult<BTreeMap<String, Vec<u8>>> {
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            files.insert(entry.file_name().to_string_lossy().into_owned(), std::fs::read(entry.path())?);
        }
    }
    Ok(files)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|window| window == needle)
}

/// Fails if any needle's UTF-8 bytes appear in any file of `dir`, or if the
/// database or its WAL looks like plain SQLite.
fn assert_nothing_readable(dir: &Path, db_name: &str, needles: &[String], when: &str) -> TestResult {
    let files = files_in(dir)?;
    if !files.contains_key(db_name) {
        return Err(format!("{when}: no database file among {:?}", files.keys().collect::<Vec<_>>()).into());
    }
    for (name, bytes) in &files {
        for needle in needles {
            if contains(bytes, needle.as_bytes()) {
                return Err(format!("{when}: {needle:?} is readable in {name} ({} bytes)", bytes.len()).into());
            }
        }
        let is_db_or_wal = name == db_name || name.ends_with("-wal") || name.ends_with("-journal");
        if is_db_or_wal && !bytes.is_empty() {
            if bytes.starts_with(b"SQLite format 3\0") {
                return Err(format!("{when}: {name} starts with the plain SQLite header").into());
            }
            // Plain SQLite pages are mostly zeros; encrypted ones look random
            // (only the WAL's frame headers hold a few zeros).
            let zeros = bytes.iter().filter(|b| **b == 0).count();
            if zeros * 50 > bytes.len() {
                return Err(format!("{when}: {name} is {zeros} zero bytes out of {}: not encrypted?", bytes.len()).into());
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Encryption at rest
// ---------------------------------------------------------------------------

#[test]
fn records_are_unreadable_at_rest_and_a_wrong_key_changes_nothing() -> TestResult {
    let dir = tempfile::tempdir()?;
    let db_name = "alongside.db";
    let path = dir.path().join(db_name);
    let mut rng = Rng::from_entropy();
    let key: [u8; 32] = rng.bytes();
    let participant = uuid::Uuid::new_v4().to_string();
    let marker = |label: &str| format!("{label}-{}", uuid::Uuid::new_v4());
    let (note, title, description, level, body, name, steps, unicode) = (
        marker("check-in-note"),
        marker("goal-title"),
        marker("goal-description"),
        marker("gas-level"),
        marker("message-body"),
        marker("contact-name"),
        marker("coping-step"),
        format!("Ünïcödé café ☕ {}", uuid::Uuid::new_v4()),
    );

    let store = Store::open(&path, &key)?;
    let profile = store.create(&Profile {
        participant_id: participant.clone(),
        display_name: "Sam".into(),
        timezone: "America/New_York".into(),
        ..Profile::default()
    })?;
    let check_in = store.create(&CheckIn {
        id: String::new(),
        participant_id: participant.clone(),
        at: utc(2026, 11, 23, 8, 15),
        mood: 3,
        craving: Some(6),
        note: Some(note.clone()),
        deleted: false,
    })?;
    let goal = store.create(&Goal {
        id: String::new(),
        participant_id: participant.clone(),
        title: title.clone(),
        description: Some(description.clone()),
        area: GoalArea::Parenting,
        status: GoalStatus::Active,
        target_date: Some(date(2026, 12, 24)),
        gas_levels: Some(GasLevels { expected: Some(level.clone()), ..GasLevels::default() }),
        gas_score: Some(0),
        gas_weight: Some(2),
        deleted: false,
    })?;
    let message = store.create(&Message {
        id: String::new(),
        participant_id: participant.clone(),
        body: body.clone(),
        sent_at: utc(2026, 11, 23, 9, 15),
        read_at: None,
        deleted: false,
    })?;
    let contact = store.create(&Contact {
        id: String::new(),
        participant_id: participant.clone(),
        name: name.clone(),
        role: ContactRole::Sponsor,
        phone: Some("555-0142".into()),
        can_text: true,
        email: None,
        availability: Some(unicode.clone()),
        is_emergency: true,
        notes: None,
        deleted: false,
    })?;
    let strategy = store.create(&CopingStrategy {
        id: String::new(),
        participant_id: participant.clone(),
        title: "Urge surfing".into(),
        steps: vec![steps.clone(), "Breathe out slowly".into()],
        category: CopingCategory::Craving,
        triggers: vec!["payday".into()],
        favorite: true,
        source: alongside_core::model::StrategySource::Personal,
        deleted: false,
    })?;
    // An edit leaves the earlier value in older pages: neither may be readable.
    let edited_title = marker("goal-title-edited");
    let goal = store.update(&goal, &Goal { title: edited_title.clone(), ..goal.clone() })?;

    let needles = vec![
        note.clone(),
        title.clone(),
        edited_title.clone(),
        description.clone(),
        level.clone(),
        body.clone(),
        name.clone(),
        steps.clone(),
        unicode.clone(),
        participant.clone(),
        goal.id.clone(),
        check_in.id.clone(),
    ];

    // Open: the last commits are in the WAL.
    let wal = dir.path().join(format!("{db_name}-wal"));
    let wal_len = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    if wal_len == 0 {
        return Err(format!("expected the WAL to hold the writes while the store is open, found {wal_len} bytes").into());
    }
    assert_nothing_readable(dir.path(), db_name, &needles, "while the store is open")?;

    drop(store);
    assert_nothing_readable(dir.path(), db_name, &needles, "after the store is closed")?;

    // A wrong key: a typed error, and not one byte of any file changes.
    let before = files_in(dir.path())?;
    let wrong: [u8; 32] = std::array::from_fn(|i| key[i] ^ 0x01);
    match Store::open(&path, &wrong) {
        Err(Error::WrongKey) => {}
        other => return Err(format!("opening with a wrong key: expected Error::WrongKey, got {other:?}").into()),
    }
    let after = files_in(dir.path())?;
    let main_before = before.get(db_name).ok_or("no database file before the wrong key")?;
    let main_after = after.get(db_name).ok_or("the database file is gone after the wrong key")?;
    if main_before != main_after {
        return Err(format!("a wrong key changed the database file: {} bytes before, {} after", main_before.len(), main_after.len()).into());
    }
    if before != after {
        let names = |files: &BTreeMap<String, Vec<u8>>| files.iter().map(|(n, b)| format!("{n} ({} bytes)", b.len())).collect::<Vec<_>>();
        return Err(format!("a wrong key changed the files: {:?} -> {:?}", names(&before), names(&after)).into());
    }

    // The right key: everything reads back as written.
    let store = Store::open(&path, &key)?;
    assert_eq!(store.get::<Profile>(&participant)?, profile);
    assert_eq!(store.get::<CheckIn>(&check_in.id)?, check_in);
    assert_eq!(store.get::<Goal>(&goal.id)?, goal);
    assert_eq!(store.get::<Message>(&message.id)?, message);
    assert_eq!(store.get::<Contact>(&contact.id)?, contact);
    assert_eq!(store.get::<CopingStrategy>(&strategy.id)?, strategy);
    assert_eq!(store.get::<Goal>(&goal.id)?.title, edited_title);
    assert_eq!(store.pending_changes(usize::MAX)?.len(), 7);
    drop(store);
    assert_nothing_readable(dir.path(), db_name, &needles, "after reading back")?;
    Ok(())
}

// ---------------------------------------------------------------------------
// Crash test: the child
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Goal,
    CheckIn,
    Contact,
    Message,
}

const KINDS: [Kind; 4] = [Kind::Goal, Kind::CheckIn, Kind::Contact, Kind::Message];

impl Kind {
    fn collection(self) -> &'static str {
        match self {
            Kind::Goal => Goal::COLLECTION.name(),
            Kind::CheckIn => CheckIn::COLLECTION.name(),
            Kind::Contact => Contact::COLLECTION.name(),
            Kind::Message => Message::COLLECTION.name(),
        }
    }
}

fn live_ids<R: Record>(store: &Store) -> TestResult<Vec<String>> {
    Ok(store.list::<R>(CRASH_PARTICIPANT)?.into_iter().map(|record| record.id().to_owned()).collect())
}

fn child_create(store: &Store, kind: Kind, tag: &str, n: u64) -> TestResult<String> {
    let participant_id = CRASH_PARTICIPANT.to_owned();
    let at = utc(2026, 11, 23, u32::try_from(n % 24).unwrap_or(0), 15);
    let id = match kind {
        Kind::Goal => {
            store
                .create(&Goal {
                    id: String::new(),
                    participant_id,
                    title: format!("goal {tag}"),
                    description: n.is_multiple_of(2).then(|| format!("why {tag}")),
                    area: GoalArea::Recovery,
                    status: GoalStatus::Active,
                    target_date: None,
                    gas_levels: None,
                    gas_score: Some(i64::try_from(n % 5).unwrap_or(0) - 2),
                    gas_weight: None,
                    deleted: false,
                })?
                .id
        }
        Kind::CheckIn => {
            store
                .create(&CheckIn {
                    id: String::new(),
                    participant_id,
                    at,
                    mood: i64::try_from(n % 5).unwrap_or(0) + 1,
                    craving: Some(i64::try_from(n % 11).unwrap_or(0)),
                    note: Some(format!("note {tag}")),
                    deleted: false,
                })?
                .id
        }
        Kind::Contact => {
            store
                .create(&Contact {
                    id: String::new(),
                    participant_id,
                    name: format!("contact {tag}"),
                    role: ContactRole::Friend,
                    phone: Some("555-0100".into()),
                    can_text: n.is_multiple_of(2),
                    email: None,
                    availability: None,
                    is_emergency: n.is_multiple_of(3),
                    notes: None,
                    deleted: false,
                })?
                .id
        }
        Kind::Message => {
            store
                .create(&Message {
                    id: String::new(),
                    participant_id,
                    body: format!("message {tag}"),
                    sent_at: at,
                    read_at: None,
                    deleted: false,
                })?
                .id
        }
    };
    Ok(id)
}

/// Edits one field to a value never written before, so the edit always writes.
fn child_update(store: &Store, kind: Kind, id: &str, tag: &str, n: u64) -> TestResult {
    match kind {
        Kind::Goal => {
            let goal: Goal = store.get(id)?;
            let status = if n.is_multiple_of(2) { GoalStatus::Paused } else { GoalStatus::Active };
            store.update(&goal, &Goal { title: format!("goal {tag}"), status, ..goal.clone() })?;
        }
        Kind::CheckIn => {
            let check_in: CheckIn = store.get(id)?;
            store.update(&check_in, &CheckIn { note: Some(format!("edited {tag}")), ..check_in.clone() })?;
        }
        Kind::Contact => {
            let contact: Contact = store.get(id)?;
            store.update(
                &contact,
                &Contact { notes: Some(format!("edited {tag}")), is_emergency: !contact.is_emergency, ..contact.clone() },
            )?;
        }
        Kind::Message => {
            let message: Message = store.get(id)?;
            store.update(&message, &Message { body: format!("edited {tag}"), ..message.clone() })?;
        }
    }
    Ok(())
}

fn child_delete(store: &Store, kind: Kind, id: &str) -> TestResult {
    match kind {
        Kind::Goal => store.delete::<Goal>(id)?,
        Kind::CheckIn => store.delete::<CheckIn>(id)?,
        Kind::Contact => store.delete::<Contact>(id)?,
        Kind::Message => store.delete::<Message>(id)?,
    }
    Ok(())
}

/// Writes forever: creates, edits and deletes records of several collections,
/// and starts recovery periods (two records in one transaction). After each
/// write returns `Ok` it prints `ACK <op> <collection> <id>` and flushes.
fn child_write_forever(path: &OsStr, seed: u64) -> TestResult {
    let store = Store::open(path, &CRASH_KEY)?;
    store.set_up_participant(&Profile {
        participant_id: CRASH_PARTICIPANT.into(),
        display_name: "Crash test".into(),
        timezone: "America/Chicago".into(),
        ..Profile::default()
    })?;
    let mut rng = Rng::new(seed);
    let mut live: Vec<(Kind, String)> = Vec::new();
    live.extend(live_ids::<Goal>(&store)?.into_iter().map(|id| (Kind::Goal, id)));
    live.extend(live_ids::<CheckIn>(&store)?.into_iter().map(|id| (Kind::CheckIn, id)));
    live.extend(live_ids::<Contact>(&store)?.into_iter().map(|id| (Kind::Contact, id)));
    live.extend(live_ids::<Message>(&store)?.into_iter().map(|id| (Kind::Message, id)));
    let start_date = date(2026, 1, 1);
    let mut stdout = std::io::stdout();
    let mut n = 0u64;
    loop {
        n += 1;
        let tag = format!("{seed:016x}-{n}");
        let roll = rng.below(20);
        let line = if roll >= 18 {
            let current = store.list::<RecoveryPeriod>(CRASH_PARTICIPANT)?.into_iter().find(|period| period.end_date.is_none());
            let period = store.start_recovery_period(CRASH_PARTICIPANT, start_date, Some(format!("period {tag}")))?;
            let mut line = String::new();
            if let Some(current) = current {
                line.push_str(&format!("ACK update recovery_periods {}\n", current.id));
            }
            line.push_str(&format!("ACK create recovery_periods {}\n", period.id));
            line
        } else if roll >= 8 && !live.is_empty() {
            let index = rng.index(live.len());
            let (kind, id) = live[index].clone();
            if roll >= 15 {
                child_delete(&store, kind, &id)?;
                live.swap_remove(index);
                format!("ACK delete {} {id}\n", kind.collection())
            } else {
                child_update(&store, kind, &id, &tag, n)?;
                format!("ACK update {} {id}\n", kind.collection())
            }
        } else {
            let kind = KINDS[rng.index(KINDS.len())];
            let id = child_create(&store, kind, &tag, n)?;
            live.push((kind, id.clone()));
            format!("ACK create {} {id}\n", kind.collection())
        };
        // One write per line (a pipe write this small is atomic), flushed
        // before the next database write starts.
        stdout.write_all(line.as_bytes())?;
        stdout.flush()?;
    }
}

#[test]
#[ignore = "the crash test's writer: runs in a child process, only when ALONGSIDE_CRASH_CHILD_DB is set"]
fn crash_child_writes_until_killed() -> TestResult {
    let Some(path) = std::env::var_os(CHILD_DB_ENV) else { return Ok(()) };
    let seed = std::env::var(CHILD_SEED_ENV).ok().and_then(|seed| seed.parse().ok()).unwrap_or(1);
    child_write_forever(&path, seed)
}

// ---------------------------------------------------------------------------
// Crash test: the parent
// ---------------------------------------------------------------------------

/// What the children acknowledged, over all rounds.
#[derive(Debug, Default)]
struct Acknowledged {
    /// Writes that returned Ok, by (collection, record id).
    writes: BTreeMap<(String, String), usize>,
    deleted: BTreeSet<(String, String)>,
}

impl Acknowledged {
    fn record(&mut self, line: &str) -> TestResult {
        let parts: Vec<&str> = line.split(' ').collect();
        let ["ACK", op, collection, id] = parts.as_slice() else { return Err(format!("unreadable child line {line:?}").into()) };
        let key = ((*collection).to_owned(), (*id).to_owned());
        *self.writes.entry(key.clone()).or_default() += 1;
        if *op == "delete" {
            self.deleted.insert(key);
        }
        Ok(())
    }
}

/// One run of the child: spawned, killed with SIGKILL, reaped. Returns the
/// lines it printed before it died.
fn run_child_and_kill(exe: &Path, db: &Path, rng: &mut Rng, round: usize) -> TestResult<Vec<String>> {
    let mut child = Command::new(exe)
        .args(["--exact", CHILD_TEST, "--ignored", "--nocapture", "--test-threads=1"])
        .env(CHILD_DB_ENV, db)
        .env(CHILD_SEED_ENV, rng.next_u64().to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let mut stdout = child.stdout.take().ok_or("the child has no stdout")?;
    let mut stderr = child.stderr.take().ok_or("the child has no stderr")?;
    // The child's stdout is read as it comes, so the child never blocks on a
    // full pipe; the first line tells the parent the child has written.
    let (first_line, wait_first_line) = mpsc::channel::<()>();
    let out_reader = std::thread::spawn(move || -> std::io::Result<Vec<u8>> {
        let mut all = Vec::new();
        let mut chunk = [0u8; 8192];
        let mut told = false;
        loop {
            let read = stdout.read(&mut chunk)?;
            if read == 0 {
                return Ok(all);
            }
            all.extend_from_slice(&chunk[..read]);
            if !told && all.windows(4).any(|w| w == b"ACK ") && all.ends_with(b"\n") {
                told = first_line.send(()).is_ok();
            }
        }
    });
    let err_reader = std::thread::spawn(move || -> std::io::Result<String> {
        let mut text = String::new();
        stderr.read_to_string(&mut text)?;
        Ok(text)
    });

    if round % 5 == 4 {
        // Now and then, kill it anywhere from start-up on: while it opens the
        // database (recovering the last crash's WAL) or seeds the toolbox.
        std::thread::sleep(Duration::from_millis(rng.range(1, 40)));
    } else {
        // Otherwise once it has written at least once, 5..150 ms later.
        let waited = wait_first_line.recv_timeout(Duration::from_secs(60));
        if waited.is_err() {
            let _ = child.kill();
            let status = child.wait()?;
            let err = err_reader.join().map_err(|_| "stderr reader panicked")??;
            return Err(format!("round {round}: the child never acknowledged a write ({status}); stderr:\n{err}").into());
        }
        std::thread::sleep(Duration::from_millis(rng.range(5, 150)));
    }
    if let Some(status) = child.try_wait()? {
        let err = err_reader.join().map_err(|_| "stderr reader panicked")??;
        return Err(format!("round {round}: the child stopped by itself ({status}); stderr:\n{err}").into());
    }
    child.kill()?; // SIGKILL on Unix
    child.wait()?;
    let out = out_reader.join().map_err(|_| "stdout reader panicked")??;
    let _ = err_reader.join();
    // Only whole lines were acknowledged.
    let text = String::from_utf8(out)?;
    let complete = text.rfind('\n').map_or("", |end| &text[..end]);
    Ok(complete.lines().filter(|line| line.starts_with("ACK ")).map(str::to_owned).collect())
}

fn snapshot(paths: &[PathBuf]) -> TestResult<Vec<Option<Vec<u8>>>> {
    paths
        .iter()
        .map(|path| match std::fs::read(path) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e.into()),
        })
        .collect()
}

/// Checks the database after a kill and writes once more. Returns the number
/// of records and outbox entries.
fn check_after_crash(db: &Path, acknowledged: &mut Acknowledged, round: usize, probe_wrong_key: bool) -> TestResult<(usize, usize)> {
    if probe_wrong_key {
        // The database as the kill left it, hot WAL included: a wrong key is a
        // typed error, and what follows checks that nothing was lost by it.
        match Store::open(db, &[0xa5; 32]) {
            Err(Error::WrongKey) => {}
            other => return Err(format!("round {round}: a wrong key after a crash gave {other:?}, not WrongKey").into()),
        }
    }

    let store = Store::open(db, &CRASH_KEY)?;
    let exported: Value = serde_json::from_str(&store.export_participant(CRASH_PARTICIPANT, utc(2026, 11, 23, 12, 15))?)?;
    let mut records: BTreeMap<(String, String), Map<String, Value>> = BTreeMap::new();
    for (collection, list) in exported.get("collections").and_then(Value::as_object).ok_or("export has no collections")? {
        for record in list.as_array().ok_or("export collection is not a list")? {
            let mut fields = record.as_object().ok_or("exported record is not an object")?.clone();
            let id = fields.remove("id").and_then(|id| id.as_str().map(str::to_owned)).ok_or("exported record has no id")?;
            records.insert((collection.clone(), id), fields);
        }
    }
    let outbox = store.pending_changes(usize::MAX)?;
    let model = lww_model(&outbox);

    // The outbox and the records agree exactly: every record is the per-field
    // merge of its own outbox entries (a record written without its entry, or
    // an entry without its record, would show here).
    for (key, change) in outbox.iter().map(|c| ((c.collection.clone(), c.record_id.clone()), c)) {
        if !records.contains_key(&key) {
            return Err(format!("round {round}: outbox change {} names {key:?}, which is not stored", change.change_id).into());
        }
    }
    for (key, fields) in &records {
        let Some(expected) = model.get(key) else {
            return Err(format!("round {round}: record {key:?} has no outbox entry").into());
        };
        if &expected.fields != fields {
            return Err(format!("round {round}: record {key:?} is {fields:?} but its outbox entries make {:?}", expected.fields).into());
        }
    }
    let mut per_record: BTreeMap<(String, String), usize> = BTreeMap::new();
    for change in &outbox {
        *per_record.entry((change.collection.clone(), change.record_id.clone())).or_default() += 1;
    }

    // Every write acknowledged before a kill survived it.
    for (key, acked) in &acknowledged.writes {
        let found = per_record.get(key).copied().unwrap_or(0);
        if found < *acked {
            return Err(format!("round {round}: {key:?} had {acked} acknowledged writes, the outbox holds {found}").into());
        }
        let Some(fields) = records.get(key) else {
            return Err(format!("round {round}: acknowledged record {key:?} is gone").into());
        };
        let deleted = fields.get("deleted").and_then(Value::as_bool).unwrap_or(false);
        if acknowledged.deleted.contains(key) && !deleted {
            return Err(format!("round {round}: acknowledged deletion of {key:?} is undone").into());
        }
    }

    // Typed reads agree with the stored rows.
    let live =
        |collection: &str| records.iter().filter(|((c, _), f)| c == collection && f.get("deleted") != Some(&Value::Bool(true))).count();
    let typed = [
        (Goal::COLLECTION.name(), store.list::<Goal>(CRASH_PARTICIPANT)?.len()),
        (CheckIn::COLLECTION.name(), store.list::<CheckIn>(CRASH_PARTICIPANT)?.len()),
        (Contact::COLLECTION.name(), store.list::<Contact>(CRASH_PARTICIPANT)?.len()),
        (Message::COLLECTION.name(), store.list::<Message>(CRASH_PARTICIPANT)?.len()),
        (CopingStrategy::COLLECTION.name(), store.list::<CopingStrategy>(CRASH_PARTICIPANT)?.len()),
    ];
    for (collection, listed) in typed {
        if listed != live(collection) {
            return Err(format!("round {round}: list of {collection} gives {listed} records, {} are live", live(collection)).into());
        }
    }
    // Starting a period closes the current one in the same transaction: at
    // most one period is ever open, and once there is one there always is.
    let periods = store.list::<RecoveryPeriod>(CRASH_PARTICIPANT)?;
    let open = periods.iter().filter(|period| period.end_date.is_none()).count();
    if !periods.is_empty() && open != 1 {
        return Err(format!("round {round}: {open} open recovery periods among {}", periods.len()).into());
    }

    // The file is sound, page by page.
    let problems = integrity(&open_raw(db, &CRASH_KEY)?)?;
    if problems != ["ok"] {
        return Err(format!("round {round}: integrity check: {problems:?}").into());
    }

    // And the store still takes a write.
    let written = store.create(&CheckIn {
        id: String::new(),
        participant_id: CRASH_PARTICIPANT.into(),
        at: utc(2026, 11, 23, 13, 15),
        mood: 4,
        craving: None,
        note: Some(format!("after crash {round}")),
        deleted: false,
    })?;
    assert_eq!(store.get::<CheckIn>(&written.id)?, written);
    acknowledged.writes.insert((CheckIn::COLLECTION.name().to_owned(), written.id), 1);
    Ok((records.len() + 1, outbox.len() + 1))
}

#[test]
fn a_store_killed_at_random_moments_stays_sound_and_keeps_acknowledged_writes() -> TestResult {
    let started = Instant::now();
    let seed = Rng::from_entropy().next_u64();
    eprintln!("crash test seed: {seed}");
    let mut rng = Rng::new(seed);
    let exe = std::env::current_exe()?;
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("crash.db");
    let mut acknowledged = Acknowledged::default();
    let mut totals = (0, 0);
    let mut acked_lines = 0;
    for round in 0..ROUNDS {
        let lines = run_child_and_kill(&exe, &db, &mut rng, round)?;
        acked_lines += lines.len();
        for line in &lines {
            acknowledged.record(line)?;
        }
        totals = check_after_crash(&db, &mut acknowledged, round, round % 10 == 7)
            .map_err(|e| format!("{e} (seed {seed}, {} acknowledged lines this round)", lines.len()))?;
    }
    eprintln!(
        "{ROUNDS} kills in {:.1} s: {acked_lines} acknowledged writes, {} records, {} outbox entries",
        started.elapsed().as_secs_f64(),
        totals.0,
        totals.1
    );
    if acked_lines < ROUNDS {
        return Err(format!("the children acknowledged only {acked_lines} writes in {ROUNDS} rounds").into());
    }
    Ok(())
}

#[test]
fn a_wrong_key_leaves_a_crashed_database_byte_for_byte_as_it_was() -> TestResult {
    let seed = Rng::from_entropy().next_u64();
    let mut rng = Rng::new(seed);
    let exe = std::env::current_exe()?;
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("crashed.db");
    // Killed after it has written: the last commits are only in the WAL.
    let acked = run_child_and_kill(&exe, &db, &mut rng, 0)?;
    let files: Vec<PathBuf> = ["", "-wal", "-shm"].iter().map(|suffix| PathBuf::from(format!("{}{suffix}", db.display()))).collect();
    let before = snapshot(&files)?;
    if before.get(1).is_none_or(|wal| wal.as_ref().is_none_or(Vec::is_empty)) {
        return Err("expected a hot WAL after the kill".into());
    }
    match Store::open(&db, &[0xa5; 32]) {
        Err(Error::WrongKey) => {}
        other => return Err(format!("a wrong key gave {other:?}, not WrongKey").into()),
    }
    let after = snapshot(&files)?;
    let sizes = |s: &[Option<Vec<u8>>]| s.iter().map(|f| f.as_ref().map(Vec::len)).collect::<Vec<_>>();
    let changed: Vec<&str> =
        ["database", "-wal"].iter().zip(before.iter().zip(&after)).filter(|(_, (b, a))| b != a).map(|(name, _)| *name).collect();
    // Whatever happened, the acknowledged writes are still there.
    let mut acknowledged = Acknowledged::default();
    for line in &acked {
        acknowledged.record(line)?;
    }
    check_after_crash(&db, &mut acknowledged, 0, false)?;
    if !changed.is_empty() {
        return Err(format!(
            "opening a crashed database with a wrong key changed {changed:?} (the data is intact with the right key): \
             [db, wal, shm] sizes {:?} -> {:?} (seed {seed})",
            sizes(&before),
            sizes(&after)
        )
        .into());
    }
    Ok(())
}

/// A database written before the store's cryptography moved from OpenSSL to
/// `alongside-cipher` (by `cargo run --example today`, key `DEMO_KEY`): same
/// SQLCipher format, so a phone that updates keeps everything it had.
#[test]
fn a_database_written_with_openssl_opens_with_everything_in_it() -> TestResult {
    const DEMO_KEY: [u8; 32] = *b"alongside-example-key-32-bytes!!";
    const PARTICIPANT: &str = "8d3c2b1a-0f9e-4d8c-b7a6-5f4e3d2c1b0a";
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("alongside.db");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/written-with-openssl.db"), &path)?;

    let store = Store::open(&path, &DEMO_KEY)?;
    let mut goals: Vec<String> = store.list::<Goal>(PARTICIPANT)?.into_iter().map(|goal| goal.title).collect();
    goals.sort();
    assert_eq!(goals, ["Go to two meetings a week", "Walk the kids to school every weekday"]);
    let check_ins = store.list::<CheckIn>(PARTICIPANT)?;
    assert_eq!(check_ins.len(), 1);
    assert_eq!(check_ins[0].note.as_deref(), Some("Rough night, kids were up early. Made it to drop-off."));
    assert_eq!(store.list::<RecoveryPeriod>(PARTICIPANT)?.len(), 1);
    assert_eq!(store.pending_count()?, 24, "the changes waiting to sync are still waiting");

    // And it keeps working: a new write lands and survives a reopen.
    store.create(&Goal::new(PARTICIPANT, "Call my sponsor on Sundays", GoalArea::Recovery))?;
    drop(store);
    let store = Store::open(&path, &DEMO_KEY)?;
    assert_eq!(store.list::<Goal>(PARTICIPANT)?.len(), 3);
    assert!(matches!(Store::open(&path, &[0u8; 32]), Err(Error::WrongKey)));
    Ok(())
}
