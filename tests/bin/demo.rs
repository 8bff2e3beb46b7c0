//! `cargo run -p alongside-e2e --bin demo`: a participant's phone and tablet
//! edit offline, reconnect, and converge through a real server; their peer
//! worker's phone receives the reach-out. Prints the story; exits 0 only if the
//! devices end with the same state. (It lives with the end-to-end tests, where
//! phones and a server meet: the server does not build the phone's store.)

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use alongside_core::Store as DeviceStore;
use alongside_core::model::{CheckIn, Goal, GoalArea, Profile, ReachOut, ReachOutStatus, Urgency};
use alongside_core::sync::{self, SyncClient, SyncReport, Timeouts};
use alongside_server::auth;
use alongside_server::store::{Database, Role, Store};
use chrono::Utc;

type DemoResult<T = ()> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            eprintln!("demo: the devices did not converge");
            ExitCode::FAILURE
        }
        Err(error) => {
            eprintln!("demo: {error}");
            ExitCode::FAILURE
        }
    }
}

/// A key for the demo's throwaway stores; on a phone it comes from the keystore.
const DEMO_KEY: [u8; 32] = [0x42; 32];
const PASSWORD: &str = "demo password, not for real use";

/// Runs the demo. `Ok(true)` when the devices converged.
async fn run() -> DemoResult<bool> {
    let dir = tempfile::tempdir()?;
    let db = Database::open(&format!("sqlite://{}", dir.path().join("server.db").display())).await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(alongside_server::serve(db.clone(), listener, async move {
        let _ = stopped.await;
    }));
    say("server", &format!("listening on {url} (SQLite, a temporary database)"));

    let maria = auth::add_user(&db, "maria", Role::PeerWorker, "Maria", PASSWORD).await?;
    let jess = auth::add_user(&db, "jess", Role::Participant, "Jess", PASSWORD).await?;
    db.set_caseload(&maria.id, &jess.id, true, Utc::now().timestamp_millis()).await?;
    say("server", "users: Maria (peer worker) and Jess (participant, on Maria's caseload)");

    let phone = Device::sign_in(&url, dir.path(), "phone", "jess", "Jess's phone").await?;
    let tablet = Device::sign_in(&url, dir.path(), "tablet", "jess", "Jess's tablet").await?;
    let marias_phone = Device::sign_in(&url, dir.path(), "maria", "maria", "Maria's phone").await?;

    let today = Utc::now().date_naive();
    phone.store.set_up_participant(&Profile {
        participant_id: jess.id.clone(),
        display_name: "Jess".into(),
        timezone: "America/New_York".into(),
        ..Profile::default()
    })?;
    phone.store.start_recovery_period(&jess.id, today - chrono::Days::new(29), None)?;
    let goal = phone.store.create(&Goal { gas_score: Some(0), ..Goal::new(&jess.id, "Walk the kids to school", GoalArea::Parenting) })?;
    say("phone", "Jess sets up: profile, the built-in coping toolbox, 29 days of recovery, a goal \"Walk the kids to school\"");
    phone.sync().await?;
    tablet.sync().await?;

    println!("\n  --- the phone and the tablet both lose signal ---\n");
    let on_phone = phone.store.get::<Goal>(&goal.id)?;
    phone.store.update(&on_phone, &Goal { title: "Walk the kids to school, Monday to Thursday".into(), ..on_phone.clone() })?;
    say("phone", "offline: renames the goal \"Walk the kids to school, Monday to Thursday\"");
    phone.store.create(&CheckIn {
        id: String::new(),
        participant_id: jess.id.clone(),
        at: Utc::now(),
        mood: 4,
        craving: Some(2),
        note: Some("Made it to drop-off on time".into()),
        deleted: false,
    })?;
    say("phone", "offline: checks in, mood 4 of 5, craving 2 of 10");
    // A moment later, on the tablet: the later edit of the title wins.
    tokio::time::sleep(Duration::from_millis(20)).await;
    let on_tablet = tablet.store.get::<Goal>(&goal.id)?;
    tablet.store.update(&on_tablet, &Goal { title: "Walk them to school every day".into(), gas_score: Some(1), ..on_tablet.clone() })?;
    say("tablet", "offline, a moment later: renames it \"Walk them to school every day\" and scores it +1");
    let reach_out = tablet.store.create(&ReachOut {
        id: String::new(),
        participant_id: jess.id.clone(),
        urgency: Urgency::Today,
        message: Some("Court date moved to Friday. Can we talk today?".into()),
        created_at: Utc::now(),
        status: ReachOutStatus::Open,
        acknowledged_at: None,
        resolved_at: None,
        deleted: false,
    })?;
    say("tablet", "offline: reaches out to Maria, \"Court date moved to Friday. Can we talk today?\" (queued)");
    say("phone", &format!("{} changes waiting", phone.store.pending_count()?));
    say("tablet", &format!("{} changes waiting", tablet.store.pending_count()?));

    println!("\n  --- signal comes back ---\n");
    phone.sync().await?;
    tablet.sync().await?;
    phone.sync().await?;
    marias_phone.sync().await?;

    let (title_phone, title_tablet) = (phone.store.get::<Goal>(&goal.id)?, tablet.store.get::<Goal>(&goal.id)?);
    println!();
    say(
        "merge",
        &format!(
            "the title was edited on both: the later edit wins on both devices, \"{}\"; the phone's check-in and the tablet's score and reach-out are all kept",
            title_phone.title
        ),
    );
    match marias_phone.store.get::<ReachOut>(&reach_out.id) {
        Ok(received) => say("maria", &format!("Maria's phone has Jess's reach-out: \"{}\"", received.message.unwrap_or_default())),
        Err(_) => say("maria", "Maria's phone did not receive the reach-out"),
    }

    let (state_phone, state_tablet) = (phone.state(&jess.id)?, tablet.state(&jess.id)?);
    let records = state_phone.matches("\"id\":").count();
    let converged = state_phone == state_tablet && title_phone == title_tablet;
    let reached_maria = marias_phone.store.get::<ReachOut>(&reach_out.id).is_ok();
    println!();
    if converged && reached_maria {
        say("result", &format!("the phone and the tablet hold the same {records} records, and nothing waits to be sent"));
    } else {
        say("result", "the devices did NOT converge");
    }
    let _ = stop.send(());
    server.await??;
    Ok(converged && reached_maria && phone.store.pending_count()? == 0 && tablet.store.pending_count()? == 0)
}

fn say(who: &str, what: &str) {
    println!("  {who:<7} {what}");
}

struct Device {
    name: &'static str,
    store: Arc<DeviceStore>,
    client: SyncClient,
}

impl Device {
    async fn sign_in(url: &str, dir: &std::path::Path, name: &'static str, username: &str, device_name: &str) -> DemoResult<Device> {
        let store = Arc::new(DeviceStore::open(dir.join(format!("{name}.db")), &DEMO_KEY)?);
        let client = SyncClient::new(url, Timeouts::default())?;
        sync::sign_in(&store, &client, username, PASSWORD, device_name).await?;
        say(name, &format!("{device_name}: signed in, with its own encrypted store"));
        Ok(Device { name, store, client })
    }

    async fn sync(&self) -> DemoResult<SyncReport> {
        let report = sync::sync_once(&self.store, &self.client, &|_| {}).await?;
        let refused = if report.rejected > 0 { format!(", {} refused (kept on the device)", report.rejected) } else { String::new() };
        say(self.name, &format!("sync: sent {}, received {}{refused}", report.pushed, report.pulled));
        Ok(report)
    }

    fn state(&self, participant_id: &str) -> DemoResult<String> {
        Ok(self.store.export_participant(participant_id, chrono::DateTime::UNIX_EPOCH)?)
    }
}
