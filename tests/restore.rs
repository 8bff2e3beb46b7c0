//! A server restored from a backup, end to end on every backend (server/README.md,
//! "Backup and restore"; protocol/README.md, "Restored servers").
//!
//! A participant's phone and tablet and her peer worker's phone work with a
//! server; a backup is taken while it serves (SQLite: `backup`, the library
//! function the command calls; PostgreSQL: `pg_dump -Fc`); they go on editing
//! and syncing; the server is stopped, restored from the backup (PostgreSQL:
//! `pg_restore`, then `restored`) and started. After the phones sync until
//! nothing moves, the phones and the server are equal and every edit made
//! after the backup is there, on the server and on every phone that may see
//! it, and nothing was refused. A device signed in after the backup is not
//! known any more (401).

use std::path::{Path, PathBuf};

use alongside_core::model::{
    CheckIn, Contact, ContactRole, EncounterLocation, EncounterMode, EncounterNote, Goal, GoalArea, GoalStatus, Message, NoteStatus,
    ServiceType, Sharing,
};
use alongside_core::sync::{SyncError, SyncReport};
use alongside_harness::{Backend, PausedServer, Phone, Server, TestResult, fail, on_every_backend};
use alongside_server::store::{Database, Role};
use chrono::Utc;

on_every_backend!(a_restored_server_gets_back_every_edit_made_after_its_backup);

fn check_in(participant_id: &str, mood: i64, note: &str) -> CheckIn {
    CheckIn {
        id: String::new(),
        participant_id: participant_id.into(),
        at: Utc::now(),
        mood,
        craving: None,
        note: Some(note.into()),
        deleted: false,
    }
}

fn note(participant_id: &str, summary: &str, goal_ids: &[&str]) -> EncounterNote {
    EncounterNote {
        id: String::new(),
        participant_id: participant_id.into(),
        status: NoteStatus::Draft,
        amends: None,
        occurred_on: Utc::now().date_naive(),
        duration_minutes: 45,
        mode: EncounterMode::InPerson,
        location: EncounterLocation::Home,
        service_types: vec![ServiceType::RecoveryCoaching],
        goal_ids: goal_ids.iter().map(|id| (*id).to_owned()).collect(),
        summary: summary.into(),
        next_steps: None,
        deleted: false,
    }
}

async fn sync_all(phones: &[&Phone]) -> TestResult<Vec<SyncReport>> {
    let mut reports = Vec::new();
    for phone in phones {
        reports.push(phone.sync().await?);
    }
    Ok(reports)
}

/// A backup of the server's database, taken while it serves.
enum Saved {
    /// The copy `backup` made.
    Sqlite(PathBuf),
    /// A `pg_dump -Fc` archive, and the PostgreSQL programs' folder.
    Postgres { dump: PathBuf, bin: PathBuf },
}

impl Saved {
    async fn take(server: &Server, dir: &Path, bin: Option<&Path>) -> TestResult<Saved> {
        match bin {
            None => {
                let copy = alongside_server::store::backup::backup(&server.database_url, &dir.join("backup.db")).await?;
                Ok(Saved::Sqlite(copy.path))
            }
            Some(bin) => {
                let dump = dir.join("backup.dump");
                run(bin, "pg_dump", &["-Fc", "-f", &dump.display().to_string(), "-d", &server.database_url]).await?;
                Ok(Saved::Postgres { dump, bin: bin.to_owned() })
            }
        }
    }

    /// Puts the backup in place of the stopped server's database, as
    /// server/README.md says to, and starts the server again.
    async fn restore(self, paused: PausedServer, url: &str) -> TestResult<Server> {
        match self {
            Saved::Sqlite(copy) => {
                let path = url.strip_prefix("sqlite://").ok_or_else(|| fail("not a SQLite URL"))?;
                // The stopped server's last connections close as its tasks end.
                tokio::time::sleep(std::time::Duration::from_millis(300)).await;
                for suffix in ["", "-wal", "-shm"] {
                    let file = format!("{path}{suffix}");
                    if Path::new(&file).exists() {
                        std::fs::rename(&file, format!("{file}.before-restore"))?;
                    }
                }
                std::fs::copy(&copy, path)?;
            }
            Saved::Postgres { dump, bin } => {
                let (base, name) = cluster_and_database(url)?;
                let (client, connection) = tokio_postgres::connect(&base, tokio_postgres::NoTls).await?;
                let driver = tokio::spawn(connection);
                // Each on its own: neither runs inside a transaction.
                client.batch_execute(&format!("DROP DATABASE {name} WITH (FORCE)")).await?;
                client.batch_execute(&format!("CREATE DATABASE {name}")).await?;
                drop(client);
                let _ = driver.await;
                run(&bin, "pg_restore", &["--no-owner", "-d", url, &dump.display().to_string()]).await?;
                Database::open(url).await?.start_new_history().await?;
            }
        }
        paused.resume().await
    }
}

/// The cluster's own database URL (`ALONGSIDE_TEST_POSTGRES_URL`) and the
/// name of the test's database in `url`.
fn cluster_and_database(url: &str) -> TestResult<(String, String)> {
    let base = std::env::var("ALONGSIDE_TEST_POSTGRES_URL")?;
    let path = url.split('?').next().unwrap_or(url);
    let name = path.rsplit('/').next().filter(|n| n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
    Ok((base, name.ok_or_else(|| fail(format!("no database name in {url}")))?.to_owned()))
}

/// The folder of the test cluster's `pg_dump` and `pg_restore`
/// (`tests/with-postgres.sh` says which; else the newest installed).
fn postgres_bin() -> Option<PathBuf> {
    if let Some(bin) = std::env::var_os("ALONGSIDE_TEST_POSTGRES_BIN") {
        return Some(PathBuf::from(bin));
    }
    let mut found: Vec<PathBuf> =
        std::fs::read_dir("/usr/lib/postgresql").ok()?.filter_map(|e| e.ok()).map(|e| e.path().join("bin")).collect();
    found.sort_by_key(|bin| bin.parent().and_then(|v| v.file_name()).and_then(|v| v.to_str()).and_then(|v| v.parse::<u32>().ok()));
    found.pop()
}

async fn run(bin: &Path, program: &str, args: &[&str]) -> TestResult {
    let output = tokio::process::Command::new(bin.join(program)).args(args).output().await?;
    if !output.status.success() {
        return Err(fail(format!("{program}: {}", String::from_utf8_lossy(&output.stderr))));
    }
    Ok(())
}

async fn a_restored_server_gets_back_every_edit_made_after_its_backup(backend: Backend) -> TestResult {
    let bin = match backend {
        Backend::Sqlite => None,
        Backend::Postgres => match postgres_bin().filter(|bin| bin.join("pg_dump").exists() && bin.join("pg_restore").exists()) {
            Some(bin) => Some(bin),
            None if std::env::var("ALONGSIDE_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") => {
                return Err(fail("pg_dump and pg_restore are not beside the test cluster"));
            }
            None => {
                eprintln!("notice: no pg_dump and pg_restore; skipping the PostgreSQL restore");
                return Ok(());
            }
        },
    };
    let dir = tempfile::tempdir()?;
    let server = Server::start(backend).await?;
    let rosa = server.add_user("rosa", Role::Participant).await?;
    let will = server.add_user("will", Role::PeerWorker).await?;
    server.assign(&will, &rosa).await?;
    let base = server.base.clone();
    let phone = Phone::new(&server, &base, &rosa, "Rosa's phone").await?;
    let tablet = Phone::new(&server, &base, &rosa, "Rosa's tablet").await?;
    let worker = Phone::new(&server, &base, &will, "Will's phone").await?;
    let all = [&phone, &tablet, &worker];

    // Before the backup.
    phone.store.set_sharing(&rosa, &Sharing { goals: true, ..Sharing::default() }, None, Utc::now())?;
    let walk = phone.store.create(&Goal::new(&rosa, "Walk the kids to school", GoalArea::Parenting))?;
    let morning = tablet.store.create(&check_in(&rosa, 4, "Slept well"))?;
    sync_all(&all).await?;
    let visit = worker.store.draft_encounter_note(&note(&rosa, "Home visit", &[&walk.id]))?;
    worker.store.send_message(&rosa, "See you Thursday", Utc::now())?;
    sync_all(&all).await?;
    sync_all(&all).await?;

    // The backup, while the server serves a sync.
    let (saved, synced) = tokio::join!(Saved::take(&server, dir.path(), bin.as_deref()), phone.sync());
    let saved = saved?;
    synced?;

    // After the backup: every phone edits, in records from before it and
    // records made since, and everyone syncs.
    let walk_here: Goal = phone.store.get(&walk.id)?;
    phone.store.update(&walk_here, &Goal { title: "Walk the kids to school, Mon-Thu".into(), ..walk_here.clone() })?;
    let budget = phone.store.create(&Goal::new(&rosa, "Save for a deposit", GoalArea::Housing))?;
    let ask = phone.store.send_message(&rosa, "Can we meet Friday instead?", Utc::now())?;
    phone.store.set_sharing(&rosa, &Sharing { goals: true, contacts: true, ..Sharing::default() }, None, Utc::now())?;
    let aunt = phone.store.create(&Contact {
        id: String::new(),
        participant_id: rosa.clone(),
        name: "Aunt Dee".into(),
        role: ContactRole::Family,
        phone: Some("+1 312 555 0199".into()),
        can_text: true,
        email: None,
        availability: None,
        is_emergency: true,
        notes: None,
        deleted: false,
    })?;
    let morning_here: CheckIn = tablet.store.get(&morning.id)?;
    tablet.store.update(&morning_here, &CheckIn { note: Some("Slept well, up at six".into()), ..morning_here.clone() })?;
    let evening = tablet.store.create(&check_in(&rosa, 3, "Long day"))?;
    sync_all(&all).await?;
    sync_all(&all).await?;
    let walk_there: Goal = worker.store.get(&walk.id)?;
    worker.store.update(&walk_there, &Goal { status: GoalStatus::Paused, ..walk_there.clone() })?;
    let budget_there: Goal = worker.store.get(&budget.id)?;
    worker.store.update(&budget_there, &Goal { description: Some("Open a savings account first".into()), ..budget_there.clone() })?;
    worker.store.mark_message_read(&ask.id, Utc::now())?;
    worker.store.submit_encounter_note(&visit.id)?;
    let court = worker.store.draft_encounter_note(&note(&rosa, "Went to court together", &[&walk.id]))?;
    worker.store.submit_encounter_note(&court.id)?;
    sync_all(&[&worker, &phone, &tablet]).await?;
    // Waiting on the tablet when the server goes down: never synced.
    let evening_here: CheckIn = tablet.store.get(&evening.id)?;
    tablet.store.update(&evening_here, &CheckIn { craving: Some(2), ..evening_here.clone() })?;
    // A laptop signed in after the backup.
    let laptop = Phone::new(&server, &base, &rosa, "Rosa's laptop").await?;
    laptop.sync().await?;

    // The server is stopped, restored from the backup, and started.
    let url = server.database_url.clone();
    let history_before = server.db.history();
    let server = saved.restore(server.pause().await?, &url).await?;
    assert_ne!(server.db.history(), history_before, "{backend:?}: the restored server follows a new history");

    // The laptop is not known any more: it must sign in again.
    match laptop.sync().await {
        Err(SyncError::Server { status: 401, .. }) => {}
        other => return Err(fail(format!("{backend:?}: the laptop signed in after the backup: {other:?}"))),
    }

    // The peer worker's phone first: it must wait for records others make again.
    let mut rounds = 0;
    loop {
        let reports = sync_all(&[&worker, &tablet, &phone]).await?;
        rounds += 1;
        if rounds == 1 {
            let again: Vec<usize> = reports.iter().map(|r| r.pushed_again).collect();
            assert!(again.iter().all(|n| *n > 0), "{backend:?}: every phone heard of the restore and pushed again: {again:?}");
        }
        if reports.iter().all(|r| r.pushed == 0 && r.pulled == 0 && r.rejected == 0) {
            break;
        }
        if rounds == 6 {
            return Err(fail(format!("{backend:?}: still syncing after {rounds} rounds: {reports:?}")));
        }
    }

    // What the server holds, as fresh devices get it.
    let fresh_rosa = Phone::new(&server, &base, &rosa, "Rosa's new phone").await?;
    let fresh_will = Phone::new(&server, &base, &will, "Will's new phone").await?;
    sync_all(&[&fresh_rosa, &fresh_will]).await?;
    let server_state = fresh_rosa.state(&rosa)?;
    assert_eq!(phone.state(&rosa)?, server_state, "{backend:?}: Rosa's phone and the server differ");
    assert_eq!(tablet.state(&rosa)?, server_state, "{backend:?}: Rosa's tablet and the server differ");
    assert_eq!(worker.state(&rosa)?, fresh_will.state(&rosa)?, "{backend:?}: Will's phone and the server differ");
    for (name, device) in [("Rosa's phone", &phone), ("Rosa's tablet", &tablet), ("Will's phone", &worker)] {
        assert_eq!(device.store.outbox()?, vec![], "{backend:?}: {name} has changes left");
    }

    // Every edit made after the backup, everywhere it may be seen.
    for (name, device) in [("Rosa's phone", &phone), ("Rosa's tablet", &tablet), ("the server", &fresh_rosa)] {
        let at = |what: &str| format!("{backend:?}: {name}: {what}");
        let morning: CheckIn = device.store.get(&morning.id)?;
        assert_eq!(morning.note.as_deref(), Some("Slept well, up at six"), "{}", at("the tablet's edit"));
        let evening: CheckIn = device.store.get(&evening.id)?;
        assert_eq!((evening.note.as_deref(), evening.craving), (Some("Long day"), Some(2)), "{}", at("the tablet's check-in"));
    }
    for (name, device) in [
        ("Rosa's phone", &phone),
        ("Rosa's tablet", &tablet),
        ("the server", &fresh_rosa),
        ("Will's phone", &worker),
        ("the server, for Will", &fresh_will),
    ] {
        let at = |what: &str| format!("{backend:?}: {name}: {what}");
        let walk: Goal = device.store.get(&walk.id)?;
        assert_eq!((walk.title.as_str(), walk.status), ("Walk the kids to school, Mon-Thu", GoalStatus::Paused), "{}", at("the walk"));
        let budget: Goal = device.store.get(&budget.id)?;
        assert_eq!(
            (budget.title.as_str(), budget.description.as_deref()),
            ("Save for a deposit", Some("Open a savings account first")),
            "{}",
            at("the goal made after the backup")
        );
        let ask: Message = device.store.get(&ask.id)?;
        assert!(ask.read_at.is_some(), "{}", at("Will's read receipt"));
        let visit: EncounterNote = device.store.get(&visit.id)?;
        assert_eq!(visit.status, NoteStatus::Submitted, "{}", at("the visit submitted"));
        let court: EncounterNote = device.store.get(&court.id)?;
        assert_eq!((court.status, court.summary.as_str()), (NoteStatus::Submitted, "Went to court together"), "{}", at("the court note"));
        assert!(device.store.sharing(&rosa)?.contacts, "{}", at("contacts shared"));
        let aunt: Contact = device.store.get(&aunt.id)?;
        assert_eq!(aunt.name, "Aunt Dee", "{}", at("the contact"));
    }
    server.stop().await
}
