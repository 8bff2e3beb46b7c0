//! Caseloads and consent end to end: real phones (encrypted core stores)
//! syncing through a real server, on every available backend.
//!
//! - a parent's urgent reach-out written offline reaches the peer worker's
//!   device on its next sync after she reconnects, first in `caseload()`;
//! - a peer worker writes an encounter note and goal progress offline in the
//!   field; once synced, the participant sees them;
//! - consent withdrawn while the peer worker is offline: on reconnect their
//!   copies are purged and their pending writes come back rejected, not lost;
//! - messages both ways, with read receipts;
//! - a participant leaving the caseload clears the peer worker's phone.

use alongside_core::codes::RejectionCode;
use alongside_core::i18n::Language;
use alongside_core::model::{
    EncounterLocation, EncounterMode, EncounterNote, Goal, GoalArea, GoalProgress, Message, NoteStatus, Profile, ReachOut, ReachOutStatus,
    ServiceType, Sharing, Urgency,
};
use alongside_core::store::OutboxState;
use std::sync::Arc;

use alongside_core::sync::{Delivery, SyncClient, SyncConfig, SyncEngine, Timeouts, reach_out};
use alongside_core::views::caseload::ContactPriority;
use alongside_harness::{Backend, Deaf, Phone, Server, TestResult, fail};
use alongside_server::store::{Role, Store as _};
use chrono::Utc;
use tokio::runtime::Handle;

/// A server, a peer worker (Will) and two participants on his caseload (Rosa, a parent, and Ana).
struct World {
    server: Server,
    rosa: Phone,
    ana: Phone,
    will: Phone,
}

async fn world(backend: Backend) -> TestResult<World> {
    let server = Server::start(backend).await?;
    let rosa_id = server.add_user("rosa", Role::Participant).await?;
    let ana_id = server.add_user("ana", Role::Participant).await?;
    let will_id = server.add_user("will", Role::PeerWorker).await?;
    server.assign(&will_id, &rosa_id).await?;
    server.assign(&will_id, &ana_id).await?;
    let url = server.base.clone();
    let rosa = Phone::new(&server, &url, &rosa_id, "Rosa's phone").await?;
    let ana = Phone::new(&server, &url, &ana_id, "Ana's phone").await?;
    let will = Phone::new(&server, &url, &will_id, "Will's phone").await?;
    for (phone, name) in [(&rosa, "Rosa"), (&ana, "Ana")] {
        phone.store.create(&Profile {
            id: String::new(),
            participant_id: phone.user_id.clone(),
            display_name: name.into(),
            pronouns: None,
            timezone: "America/Chicago".into(),
            deleted: false,
        })?;
        phone.sync().await?;
    }
    will.sync().await?;
    Ok(World { server, rosa, ana, will })
}

/// A client of an address nothing listens on: a phone with no signal.
fn no_signal() -> TestResult<SyncClient> {
    Ok(SyncClient::new("http://127.0.0.1:9", Timeouts::default())?)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_urgent_reach_out_made_offline_comes_first_after_reconnecting() -> TestResult {
    for backend in Backend::available()? {
        let World { server, rosa, ana, will } = world(backend).await?;
        // Ana asks for a call some time today, online: delivered at once.
        let engine = ana.engine(SyncConfig::default());
        let answer = reach_out(&ana.store, &engine, &ana.user_id, Urgency::Today, None, Utc::now(), Language::English).await?;
        assert_eq!(answer.delivery, Delivery::Delivered, "{backend:?}");
        engine.stop();
        // Rosa, with no signal, needs to talk now: kept and waiting, with the crisis lines to offer.
        let engine = SyncEngine::start(Arc::clone(&rosa.store), no_signal()?, SyncConfig::default(), Arc::new(Deaf), &Handle::current());
        engine.set_network_available(false);
        let answer = reach_out(
            &rosa.store,
            &engine,
            &rosa.user_id,
            Urgency::Urgent,
            Some("Can't do tonight alone".into()),
            Utc::now(),
            Language::English,
        )
        .await?;
        engine.stop();
        if answer.delivery != Delivery::Waiting {
            return Err(fail(format!("a reach-out with no signal cannot be {:?}", answer.delivery)));
        }
        assert!(!answer.help.crisis_lines.is_empty());
        let urgent = answer.reach_out;
        will.sync().await?;
        let rows = will.store.caseload(Utc::now())?;
        assert_eq!(rows.first().map(|r| r.participant_id.as_str()), Some(ana.user_id.as_str()), "only Ana's is there yet");

        // Rosa's phone finds a signal and syncs; Will's next sync shows hers first.
        rosa.sync().await?;
        will.sync().await?;
        let rows = will.store.caseload(Utc::now())?;
        let first = rows.first().ok_or_else(|| fail("empty caseload"))?;
        assert_eq!((first.participant_id.as_str(), first.priority), (rosa.user_id.as_str(), ContactPriority::UrgentReachOut));
        assert_eq!(first.open_reach_outs.first().map(|r| r.id.as_str()), Some(urgent.id.as_str()));
        assert_eq!(rows.len(), 2);

        // Will acknowledges; Rosa's phone learns it.
        will.store.acknowledge_reach_out(&urgent.id, Utc::now())?;
        will.sync().await?;
        rosa.sync().await?;
        let seen: ReachOut = rosa.store.get(&urgent.id)?;
        assert_eq!(seen.status, ReachOutStatus::Acknowledged);
        assert!(will.store.outbox()?.is_empty(), "nothing rejected");
        server.stop().await?;
    }
    Ok(())
}

fn goal(participant: &str, title: &str) -> Goal {
    Goal::new(participant, title, GoalArea::Parenting)
}

fn share(goals: bool) -> Sharing {
    Sharing { goals, check_ins: goals, ..Sharing::default() }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn field_notes_and_goal_progress_written_offline_reach_the_participant() -> TestResult {
    for backend in Backend::available()? {
        let World { server, rosa, will, .. } = world(backend).await?;
        rosa.store.set_sharing(&rosa.user_id, &share(true), None, Utc::now())?;
        let school = rosa.store.create(&goal(&rosa.user_id, "Walk the kids to school"))?;
        rosa.sync().await?;
        will.sync().await?;
        assert!(will.store.get::<Goal>(&school.id).is_ok(), "{backend:?}: the shared goal reached Will");

        // At the courthouse, no signal: a note drafted, edited, submitted; progress recorded.
        let note = will.store.draft_encounter_note(&EncounterNote {
            id: String::new(),
            participant_id: rosa.user_id.clone(),
            status: NoteStatus::Draft,
            amends: None,
            occurred_on: Utc::now().date_naive(),
            duration_minutes: 50,
            mode: EncounterMode::InPerson,
            location: EncounterLocation::Court,
            service_types: vec![ServiceType::Advocacy, ServiceType::FamilySupport],
            goal_ids: vec![school.id.clone()],
            summary: "Went to the custody hearing together".into(),
            next_steps: Some("Call the family lawyer".into()),
            deleted: false,
        })?;
        let submitted = will.store.submit_encounter_note(&note.id)?;
        let progress = will.store.create(&GoalProgress {
            id: String::new(),
            participant_id: rosa.user_id.clone(),
            goal_id: school.id.clone(),
            score: Some(1),
            note: Some("Three mornings this week".into()),
            recorded_at: Utc::now(),
            deleted: false,
        })?;

        // Back in the office: synced, nothing rejected; Rosa sees both.
        let report = will.sync().await?;
        assert_eq!(report.rejected, 0, "{backend:?}");
        assert!(will.store.outbox()?.is_empty());
        rosa.sync().await?;
        let seen: EncounterNote = rosa.store.get(&submitted.id)?;
        assert_eq!((seen.status, seen.summary.as_str()), (NoteStatus::Submitted, "Went to the custody hearing together"));
        let seen: GoalProgress = rosa.store.get(&progress.id)?;
        assert_eq!(seen.score, Some(1));
        server.stop().await?;
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn withdrawn_consent_purges_the_peer_workers_copies_and_rejects_their_pending_writes() -> TestResult {
    for backend in Backend::available()? {
        let World { server, rosa, will, .. } = world(backend).await?;
        // Will has two devices: a phone that syncs as usual (push, then pull)
        // and a tablet that hears of the change first (pull, then push).
        let tablet = Phone::new(&server, &server.base, &will.user_id, "Will's tablet").await?;
        rosa.store.set_sharing(&rosa.user_id, &share(true), None, Utc::now())?;
        let school = rosa.store.create(&goal(&rosa.user_id, "Walk the kids to school"))?;
        rosa.sync().await?;
        will.sync().await?;
        tablet.sync().await?;

        // Both offline, each writes to the shared goal.
        for (device, note) in [(&will, "From the phone"), (&tablet, "From the tablet")] {
            device.store.create(&GoalProgress {
                id: String::new(),
                participant_id: rosa.user_id.clone(),
                goal_id: school.id.clone(),
                score: Some(0),
                note: Some(note.into()),
                recorded_at: Utc::now(),
                deleted: false,
            })?;
            let current: Goal = device.store.get(&school.id)?;
            device.store.update(&current, &Goal { description: Some(note.into()), ..current.clone() })?;
        }
        // Meanwhile Rosa withdraws her consent.
        rosa.store.set_sharing(&rosa.user_id, &share(false), None, Utc::now())?;
        rosa.sync().await?;

        will.sync().await?;
        alongside_core::sync::pull(&tablet.store, &tablet.client).await?;
        tablet.sync().await?;
        // Either way round, each write is kept and says why it did not go through.
        for device in [&will, &tablet] {
            assert!(device.store.list::<Goal>(&rosa.user_id)?.is_empty(), "{backend:?}: goals purged");
            assert!(device.store.list::<GoalProgress>(&rosa.user_id)?.is_empty(), "{backend:?}: progress purged");
            let outbox = device.store.outbox()?;
            assert_eq!(outbox.len(), 2, "{backend:?}: both writes kept, not lost: {outbox:?}");
            for entry in outbox {
                assert_eq!(entry.state, OutboxState::Rejected);
                assert_eq!(entry.error_code.as_deref(), Some(RejectionCode::ConsentWithdrawn.as_str()), "{backend:?}: {entry:?}");
            }
        }
        // Rosa's own goal is untouched by any of it.
        let mine: Goal = rosa.store.get(&school.id)?;
        assert_eq!(mine.description, None);
        // Her profile, messages and reach-outs still reach Will.
        rosa.store.send_message(&rosa.user_id, "Still here", Utc::now())?;
        rosa.sync().await?;
        will.sync().await?;
        assert_eq!(will.store.unread_messages(&rosa.user_id)?, 1);
        server.stop().await?;
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messages_go_both_ways_with_read_receipts() -> TestResult {
    for backend in Backend::available()? {
        let World { server, rosa, will, .. } = world(backend).await?;
        let question = rosa.store.send_message(&rosa.user_id, "Can you come to the school meeting?", Utc::now())?;
        rosa.sync().await?;
        will.sync().await?;
        assert_eq!(will.store.unread_messages(&rosa.user_id)?, 1, "{backend:?}");
        let conversation = will.store.conversation(&rosa.user_id)?;
        assert!(conversation.iter().any(|m| m.message.id == question.id && !m.mine));

        will.store.mark_message_read(&question.id, Utc::now())?;
        let answer = will.store.send_message(&rosa.user_id, "Yes, I'll be there at 3", Utc::now())?;
        let report = will.sync().await?;
        assert_eq!(report.rejected, 0);
        rosa.sync().await?;
        let receipt: Message = rosa.store.get(&question.id)?;
        assert!(receipt.read_at.is_some(), "{backend:?}: Rosa sees Will read it");
        assert_eq!(rosa.store.unread_messages(&rosa.user_id)?, 1);
        rosa.store.mark_message_read(&answer.id, Utc::now())?;
        rosa.sync().await?;
        will.sync().await?;
        let receipt: Message = will.store.get(&answer.id)?;
        assert!(receipt.read_at.is_some(), "{backend:?}: Will sees Rosa read his");
        assert_eq!(will.store.unread_messages(&rosa.user_id)?, 0);
        assert!(rosa.store.outbox()?.is_empty() && will.store.outbox()?.is_empty(), "nothing rejected");
        server.stop().await?;
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn leaving_the_caseload_clears_the_peer_workers_phone() -> TestResult {
    for backend in Backend::available()? {
        let World { server, rosa, ana, will } = world(backend).await?;
        rosa.store.send_message(&rosa.user_id, "See you Thursday", Utc::now())?;
        rosa.sync().await?;
        will.sync().await?;
        assert_eq!(will.store.caseload(Utc::now())?.len(), 2, "{backend:?}");
        // Will writes to Rosa offline; meanwhile she moves to another peer worker.
        will.store.send_message(&rosa.user_id, "Thursday at 3", Utc::now())?;
        server.db.set_caseload(&will.user_id, &rosa.user_id, false, 0).await?;
        let report = will.sync().await?;
        // Nothing new came, but much went: the pass says so, so screens refresh.
        assert!(report.purged > 0, "{backend:?}: {report:?}");
        let rows = will.store.caseload(Utc::now())?;
        assert_eq!(rows.iter().map(|r| r.participant_id.as_str()).collect::<Vec<_>>(), [ana.user_id.as_str()], "{backend:?}");
        assert!(will.store.conversation(&rosa.user_id)?.is_empty(), "Rosa's messages are gone from Will's phone");
        let outbox = will.store.outbox()?;
        assert_eq!(outbox.len(), 1, "the reply is kept, refused: {outbox:?}");
        assert_eq!(outbox[0].state, OutboxState::Rejected);
        server.stop().await?;
    }
    Ok(())
}

/// Two days from now, by the system clock: the peer worker's phone after the
/// weekend, with no signal.
fn two_days_later() -> u64 {
    alongside_core::hlc::wall_clock_ms() + 2 * 24 * 60 * 60 * 1000
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sharing_that_expires_leaves_the_peer_workers_phone_even_offline() -> TestResult {
    for backend in Backend::available()? {
        let World { server, rosa, will, .. } = world(backend).await?;
        let today = Utc::now().date_naive();
        rosa.store.set_sharing(&rosa.user_id, &share(true), Some(today), Utc::now())?;
        let school = rosa.store.create(&goal(&rosa.user_id, "Walk the kids to school"))?;
        rosa.store.send_message(&rosa.user_id, "See you Monday", Utc::now())?;
        rosa.sync().await?;
        will.sync().await?;
        assert_eq!(will.store.list::<Goal>(&rosa.user_id)?.len(), 1, "{backend:?}: shared until today");

        // Days pass on Will's phone, which has no signal.
        will.store.set_wall_clock(two_days_later);
        let offline = alongside_core::sync::sync_once(&will.store, &no_signal()?, &|_| {}).await;
        assert!(offline.is_err(), "{backend:?}: no signal, no sync");
        assert!(will.store.list::<Goal>(&rosa.user_id)?.is_empty(), "{backend:?}: the expired goal is gone, offline");
        assert_eq!(will.store.unread_messages(&rosa.user_id)?, 1, "{backend:?}: messages are always shared");
        assert_eq!(will.store.expire_shared()?, 0, "{backend:?}: once gone, nothing more to drop");
        // Rosa's own phone keeps her goal whatever her sharing says.
        rosa.store.set_wall_clock(two_days_later);
        assert!(rosa.store.expire_shared().is_ok());
        assert_eq!(rosa.store.get::<Goal>(&school.id)?.title, "Walk the kids to school", "{backend:?}");
        server.stop().await?;
    }
    Ok(())
}
