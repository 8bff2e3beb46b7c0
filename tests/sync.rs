//! Phones of one participant syncing through a real server: the basics a
//! person would notice.

use alongside_core::codes::RejectionCode;
use alongside_core::model::{CheckIn, Goal, GoalArea, GoalStatus};
use alongside_core::store::OutboxState;
use alongside_harness::{Backend, Phone, Server, TestResult, fail};
use alongside_server::store::Role;
use chrono::Utc;

fn goal(participant_id: &str, title: &str) -> Goal {
    Goal::new(participant_id, title, GoalArea::Parenting)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_phones_converge_and_the_outbox_empties() -> TestResult {
    for backend in Backend::available()? {
        let server = Server::start(backend).await?;
        let jess = server.add_user("jess", Role::Participant).await?;
        let phone_a = Phone::new(&server, &server.base, &jess, "Jess's phone").await?;
        let phone_b = Phone::new(&server, &server.base, &jess, "Jess's tablet").await?;

        let walk = phone_a.store.create(&goal(&jess, "Walk the kids to school"))?;
        phone_b.store.create(&CheckIn {
            id: String::new(),
            participant_id: jess.clone(),
            at: Utc::now(),
            mood: 4,
            craving: Some(2),
            note: Some("Good morning".into()),
            deleted: false,
        })?;
        let report = phone_a.sync().await?;
        assert_eq!((report.pushed, report.rejected), (1, 0), "{backend:?}");
        phone_b.sync().await?;
        phone_a.sync().await?;
        assert_eq!(phone_a.state(&jess)?, phone_b.state(&jess)?, "{backend:?}: phones differ");
        assert_eq!(phone_b.store.get::<Goal>(&walk.id)?.title, "Walk the kids to school");
        // Acknowledged changes leave the outbox: it does not grow without bound.
        assert_eq!(phone_a.store.outbox()?.len(), 0);
        assert_eq!(phone_b.store.outbox()?.len(), 0);
        server.stop().await?;
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_conflict_on_one_field_resolves_to_the_later_edit_and_keeps_the_other() -> TestResult {
    for backend in Backend::available()? {
        let server = Server::start(backend).await?;
        let jess = server.add_user("jess", Role::Participant).await?;
        let phone_a = Phone::new(&server, &server.base, &jess, "phone").await?;
        let phone_b = Phone::new(&server, &server.base, &jess, "tablet").await?;
        let original = phone_a.store.create(&goal(&jess, "Walk the kids to school"))?;
        phone_a.sync().await?;
        phone_b.sync().await?;

        // Offline, both edit: A the title, B the title and the status.
        let on_b = phone_b.store.get::<Goal>(&original.id)?;
        phone_a.store.update(&original, &Goal { title: "Walk them to school, Mon-Thu".into(), ..original.clone() })?;
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        phone_b.store.update(&on_b, &Goal { title: "Walk them every day".into(), status: GoalStatus::Paused, ..on_b.clone() })?;
        phone_a.sync().await?;
        phone_b.sync().await?;
        phone_a.sync().await?;
        let (a, b) = (phone_a.store.get::<Goal>(&original.id)?, phone_b.store.get::<Goal>(&original.id)?);
        assert_eq!(a, b, "{backend:?}");
        assert_eq!((a.title.as_str(), a.status), ("Walk them every day", GoalStatus::Paused));
        server.stop().await?;
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_change_stays_on_the_phone_with_its_reason_and_blocks_nothing() -> TestResult {
    for backend in Backend::available()? {
        let server = Server::start(backend).await?;
        let jess = server.add_user("jess", Role::Participant).await?;
        let sam = server.add_user("sam", Role::Participant).await?;
        let phone = Phone::new(&server, &server.base, &jess, "phone").await?;
        // A goal filed under another participant: the server refuses it.
        let misfiled = phone.store.create(&goal(&sam, "Not mine to write"))?;
        let mine = phone.store.create(&goal(&jess, "Call the school"))?;
        let report = phone.sync().await?;
        assert_eq!((report.pushed, report.rejected), (1, 1), "{backend:?}");
        let outbox = phone.store.outbox()?;
        let [entry] = outbox.as_slice() else { return Err(fail(format!("expected one entry, got {outbox:?}"))) };
        assert_eq!((entry.state, entry.change.record_id.as_str()), (OutboxState::Rejected, misfiled.id.as_str()));
        assert_eq!(entry.error_code.as_deref(), Some(RejectionCode::Forbidden.as_str()));
        // The person's data is still there, and later changes go through.
        assert_eq!(phone.store.get::<Goal>(&misfiled.id)?.title, "Not mine to write");
        phone.store.update(&mine, &Goal { status: GoalStatus::Achieved, ..mine.clone() })?;
        assert_eq!(phone.sync().await?.pushed, 1);
        server.stop().await?;
    }
    Ok(())
}

/// How far this test's phone's clock is ahead, in milliseconds.
static CLOCK_AHEAD_MS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

fn phone_clock() -> u64 {
    alongside_core::hlc::wall_clock_ms() + CLOCK_AHEAD_MS.load(std::sync::atomic::Ordering::SeqCst)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_whose_clock_ran_days_ahead_recovers_by_itself_and_loses_no_edit() -> TestResult {
    const THREE_DAYS_MS: u64 = 3 * 24 * 60 * 60 * 1000;
    for backend in Backend::available()? {
        let server = Server::start(backend).await?;
        let jess = server.add_user("jess", Role::Participant).await?;
        let phone = Phone::new(&server, &server.base, &jess, "phone").await?;
        phone.store.set_wall_clock(phone_clock);
        let walk = phone.store.create(&goal(&jess, "Walk the kids to school"))?;
        phone.sync().await?;

        // The clock jumps three days ahead; edits made then are refused.
        CLOCK_AHEAD_MS.store(THREE_DAYS_MS, std::sync::atomic::Ordering::SeqCst);
        let walk = phone.store.update(&walk, &Goal { title: "Walk them on Mondays".into(), ..walk.clone() })?;
        let ahead = phone.store.create(&goal(&jess, "Written while the clock was wrong"))?;
        let refused = phone.sync().await?;
        assert_eq!((refused.pushed, refused.rejected), (0, 2), "{backend:?}: the server refuses stamps three days ahead");

        // The clock comes back; the next edit of the same field must win.
        CLOCK_AHEAD_MS.store(0, std::sync::atomic::Ordering::SeqCst);
        phone.store.update(&walk, &Goal { title: "Walk them every day".into(), ..walk.clone() })?;
        let later = phone.store.create(&goal(&jess, "Written once the clock was right"))?;
        let report = phone.sync().await?;
        assert_eq!(report.rejected, 0, "{backend:?}: {report:?}");
        assert!(phone.store.outbox()?.is_empty(), "{backend:?}: nothing stuck: {:?}", phone.store.outbox()?);

        // What the server holds, seen by a fresh phone: every edit, the later one winning.
        let fresh = Phone::new(&server, &server.base, &jess, "fresh").await?;
        fresh.sync().await?;
        assert_eq!(fresh.store.get::<Goal>(&walk.id)?.title, "Walk them every day", "{backend:?}");
        assert_eq!(fresh.store.get::<Goal>(&ahead.id)?.title, "Written while the clock was wrong", "{backend:?}");
        assert_eq!(fresh.store.get::<Goal>(&later.id)?.title, "Written once the clock was right", "{backend:?}");
        assert_eq!(fresh.state(&jess)?, phone.state(&jess)?, "{backend:?}: the phone and the server agree");
        server.stop().await?;
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_phones_starting_a_new_period_offline_agree_on_one_and_keep_both() -> TestResult {
    use alongside_core::model::RecoveryPeriod;
    let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 11, d).ok_or_else(|| fail("a date"));
    for backend in Backend::available()? {
        let server = Server::start(backend).await?;
        let jess = server.add_user("jess", Role::Participant).await?;
        let phone = Phone::new(&server, &server.base, &jess, "Jess's phone").await?;
        let tablet = Phone::new(&server, &server.base, &jess, "Jess's tablet").await?;
        phone.store.start_recovery_period(&jess, day(1)?, None)?;
        phone.sync().await?;
        tablet.sync().await?;
        // Both offline, each starts a new period.
        phone.store.start_recovery_period(&jess, day(20)?, Some("From the phone".into()))?;
        tablet.store.start_recovery_period(&jess, day(18)?, Some("From the tablet".into()))?;
        for _ in 0..2 {
            phone.sync().await?;
            tablet.sync().await?;
        }
        for device in [&phone, &tablet] {
            let periods: Vec<RecoveryPeriod> = device.store.list(&jess)?;
            assert_eq!(periods.len(), 3, "{backend:?}: every period stays in the history");
            let open: Vec<&RecoveryPeriod> = periods.iter().filter(|p| p.end_date.is_none()).collect();
            assert_eq!(open.len(), 1, "{backend:?}: one current period: {periods:?}");
            assert_eq!(open[0].start_date, day(20)?, "{backend:?}: the one that started last");
            let tablets =
                periods.iter().find(|p| p.note.as_deref() == Some("From the tablet")).ok_or_else(|| fail("the tablet's period"))?;
            assert_eq!(tablets.end_date, Some(day(20)?), "{backend:?}: it ends where the current one starts");
        }
        assert_eq!(phone.state(&jess)?, tablet.state(&jess)?, "{backend:?}");
        server.stop().await?;
    }
    Ok(())
}
