//! Reminders as a person would notice them, through the real encrypted
//! store: when each one rings (exact instants, across the DST changes of New
//! York and Auckland, in a skipped or repeated hour, through quiet hours),
//! which are left out (a day already checked in, a milestone celebrated, a
//! goal put away), the words in English and Spanish or none when discreet,
//! and settings that stay on this phone.

mod common;

use alongside_core::Error;
use alongside_core::i18n::{self, Language};
use alongside_core::model::{Goal, GoalStatus, Profile};
use alongside_core::reminders::{LocalTime, QuietHours, Reminder, ReminderKind, ReminderSettings};
use alongside_core::schema::Reason;
use alongside_core::store::Session;
use alongside_core::{Change, Store};
use chrono::{DateTime, Utc};
use common::fixtures::{KEY, TestResult, check_in, date, goal, new_id, open_store, pending, profile, store_path, utc};

/// Dana: a mother of two in recovery.
const DANA: &str = "5d0c9a1e-7b2f-4c3d-9e8a-1f2b3c4d5e6f";
/// Rosa: Dana's peer worker.
const ROSA: &str = "a1b2c3d4-0000-4e5f-8a9b-0c1d2e3f4a5b";

/// Dana's phone, signed in as her, her profile in `zone`.
fn danas_phone(zone: &str, settings: &ReminderSettings) -> TestResult<(tempfile::TempDir, Store)> {
    let (dir, store) = open_store()?;
    store.set_session(Some(&session(DANA, "participant")))?;
    store.create(&Profile { timezone: zone.into(), ..profile(DANA, "Dana R.") })?;
    store.set_reminder_settings(settings)?;
    Ok((dir, store))
}

fn session(user_id: &str, role: &str) -> Session {
    Session {
        token: format!("token-of-{user_id}"),
        device_id: new_id(),
        user_id: user_id.into(),
        role: role.into(),
        display_name: "".into(),
    }
}

/// Only the daily check-in, at `hour:minute`, with `quiet` hours.
fn check_in_at(hour: u8, minute: u8, quiet: Option<QuietHours>) -> ReminderSettings {
    ReminderSettings { check_in_time: LocalTime::new(hour, minute), quiet_hours: quiet, ..ReminderSettings::default() }
}

fn quiet(start: (u8, u8), end: (u8, u8)) -> Option<QuietHours> {
    Some(QuietHours { start: LocalTime::new(start.0, start.1), end: LocalTime::new(end.0, end.1) })
}

/// Each reminder's id and instant, in order.
fn when(reminders: &[Reminder]) -> Vec<(String, DateTime<Utc>)> {
    reminders.iter().map(|r| (r.id.clone(), r.at)).collect()
}

fn of_kind(reminders: &[Reminder], kind: ReminderKind) -> Vec<Reminder> {
    reminders.iter().filter(|r| r.kind == kind).cloned().collect()
}

fn expected(rows: &[(&str, DateTime<Utc>)]) -> Vec<(String, DateTime<Utc>)> {
    rows.iter().map(|(id, at)| ((*id).to_owned(), *at)).collect()
}

/// Dana's first reminders asked at `now` are `rows` (id and instant); returns them all.
fn first_ring(dana: &Store, now: DateTime<Utc>, rows: &[(&str, DateTime<Utc>)]) -> TestResult<Vec<Reminder>> {
    let reminders = dana.reminders(DANA, now, Language::English)?;
    assert_eq!(when(&reminders).get(..rows.len()), Some(expected(rows).as_slice()), "asked at {now}");
    Ok(reminders)
}

/// Messages Rosa wrote to Dana, arrived on Dana's phone as a pull would bring them.
fn rosa_writes(dana: &Store, sent: &[DateTime<Utc>]) -> TestResult<Vec<String>> {
    let (_dir, rosa) = open_store()?;
    rosa.set_session(Some(&session(ROSA, "peer_worker")))?;
    let ids = sent.iter().map(|at| Ok(rosa.send_message(DANA, "How did the hearing go?", *at)?.id)).collect::<TestResult<Vec<_>>>()?;
    let changes: Vec<Change> = pending(&rosa)?.into_iter().map(|c| Change { author_id: Some(ROSA.into()), ..c }).collect();
    dana.apply_remote(&changes)?;
    Ok(ids)
}

// ---------------------------------------------------------------------------
// The daily check-in, in the person's own time zone
// ---------------------------------------------------------------------------

#[test]
fn the_check_in_stays_at_eight_in_the_evening_across_new_yorks_changes() -> TestResult {
    let (_dir, dana) = danas_phone("America/New_York", &ReminderSettings::default())?;

    // Spring forward on Sunday 8 March 2026: 20:00 EST is 01:00Z, 20:00 EDT is 00:00Z.
    let spring = first_ring(
        &dana,
        utc(2026, 3, 6, 12, 0),
        &[
            ("check_in:2026-03-06", utc(2026, 3, 7, 1, 0)),
            ("check_in:2026-03-07", utc(2026, 3, 8, 1, 0)),
            ("check_in:2026-03-08", utc(2026, 3, 9, 0, 0)),
            ("check_in:2026-03-09", utc(2026, 3, 10, 0, 0)),
        ],
    )?;
    // Fourteen days ahead: one a day, the last on 19 March.
    assert_eq!(spring.len(), 14);
    assert_eq!(when(&spring).last(), Some(&("check_in:2026-03-19".to_owned(), utc(2026, 3, 20, 0, 0))));

    // Fall back on Sunday 1 November 2026: 20:00 EDT is 00:00Z, 20:00 EST is 01:00Z.
    let autumn = first_ring(
        &dana,
        utc(2026, 10, 30, 12, 0),
        &[
            ("check_in:2026-10-30", utc(2026, 10, 31, 0, 0)),
            ("check_in:2026-10-31", utc(2026, 11, 1, 0, 0)),
            ("check_in:2026-11-01", utc(2026, 11, 2, 1, 0)),
            ("check_in:2026-11-02", utc(2026, 11, 3, 1, 0)),
        ],
    )?;
    let first = autumn.first().ok_or("no reminder")?;
    assert_eq!((first.kind, first.title.as_str()), (ReminderKind::CheckIn, "How are you today?"));
    assert_eq!(first.body, "Take a moment to check in, whenever you're ready.");
    assert_eq!((first.participant_id.as_str(), first.record_id.as_deref()), (DANA, None));
    Ok(())
}

#[test]
fn in_auckland_the_check_in_follows_the_southern_changes_and_the_local_date() -> TestResult {
    let (_dir, dana) = danas_phone("Pacific/Auckland", &ReminderSettings::default())?;

    // Daylight time ends on 5 April 2026: 20:00 NZDT is 07:00Z, 20:00 NZST is 08:00Z.
    first_ring(
        &dana,
        utc(2026, 4, 3, 0, 0),
        &[
            ("check_in:2026-04-03", utc(2026, 4, 3, 7, 0)),
            ("check_in:2026-04-04", utc(2026, 4, 4, 7, 0)),
            ("check_in:2026-04-05", utc(2026, 4, 5, 8, 0)),
            ("check_in:2026-04-06", utc(2026, 4, 6, 8, 0)),
        ],
    )?;

    // Daylight time starts on 27 September 2026: back to 07:00Z.
    first_ring(
        &dana,
        utc(2026, 9, 25, 0, 0),
        &[
            ("check_in:2026-09-25", utc(2026, 9, 25, 8, 0)),
            ("check_in:2026-09-26", utc(2026, 9, 26, 8, 0)),
            ("check_in:2026-09-27", utc(2026, 9, 27, 7, 0)),
            ("check_in:2026-09-28", utc(2026, 9, 28, 7, 0)),
        ],
    )?;

    // 11:30Z on 23 November is already 00:30 on the 24th in Auckland: the
    // first reminder is for the 24th, at 20:00 there.
    let ahead = dana.reminders(DANA, utc(2026, 11, 23, 11, 30), Language::English)?;
    assert_eq!(when(&ahead).first(), Some(&("check_in:2026-11-24".to_owned(), utc(2026, 11, 24, 7, 0))));
    Ok(())
}

#[test]
fn a_check_in_time_the_clocks_skip_or_repeat_rings_once() -> TestResult {
    // 02:30 does not exist in New York on 8 March 2026: it rings at 03:00 EDT.
    let (_dir, dana) = danas_phone("America/New_York", &check_in_at(2, 30, None))?;
    first_ring(
        &dana,
        utc(2026, 3, 7, 0, 0),
        &[
            ("check_in:2026-03-07", utc(2026, 3, 7, 7, 30)),
            ("check_in:2026-03-08", utc(2026, 3, 8, 7, 0)),
            ("check_in:2026-03-09", utc(2026, 3, 9, 6, 30)),
        ],
    )?;

    // 01:30 happens twice on 1 November 2026: it rings the first time, in EDT.
    dana.set_reminder_settings(&check_in_at(1, 30, None))?;
    first_ring(
        &dana,
        utc(2026, 10, 31, 0, 0),
        &[
            ("check_in:2026-10-31", utc(2026, 10, 31, 5, 30)),
            ("check_in:2026-11-01", utc(2026, 11, 1, 5, 30)),
            ("check_in:2026-11-02", utc(2026, 11, 2, 6, 30)),
        ],
    )?;
    Ok(())
}

#[test]
fn quiet_hours_across_midnight_hold_reminders_until_morning_and_drop_none() -> TestResult {
    // Check-in at 23:30, quiet from 22:00 to 07:00: each rings at 07:00 the
    // next morning, on whichever clock is in force then.
    let (_dir, dana) = danas_phone("America/New_York", &check_in_at(23, 30, quiet((22, 0), (7, 0))))?;
    let held = first_ring(
        &dana,
        utc(2026, 10, 30, 12, 0),
        &[
            ("check_in:2026-10-30", utc(2026, 10, 31, 11, 0)),
            ("check_in:2026-10-31", utc(2026, 11, 1, 12, 0)),
            ("check_in:2026-11-01", utc(2026, 11, 2, 12, 0)),
        ],
    )?;
    // One for each of the fourteen days ahead, the last held to the edge of the horizon.
    assert_eq!(held.len(), 14);
    assert_eq!(when(&held).last(), Some(&("check_in:2026-11-12".to_owned(), utc(2026, 11, 13, 12, 0))));

    // A message that comes in at 22:10 is nudged about at 07:00, not at night.
    dana.set_reminder_settings(&ReminderSettings { check_in: false, ..check_in_at(23, 30, quiet((22, 0), (7, 0))) })?;
    rosa_writes(&dana, &[utc(2026, 11, 24, 3, 10)])?;
    let nudged = dana.reminders(DANA, utc(2026, 11, 24, 3, 11), Language::English)?;
    assert_eq!(when(&nudged), expected(&[("unread_messages", utc(2026, 11, 24, 12, 0))]));
    Ok(())
}

#[test]
fn a_day_already_checked_in_on_its_local_date_is_skipped() -> TestResult {
    let (_dir, dana) = danas_phone("America/New_York", &ReminderSettings::default())?;
    // 12:40Z on 23 Nov is 07:40 in New York: today is done.
    dana.create(&check_in(DANA))?;
    // 03:30Z on 25 Nov is 22:30 on the 24th in New York: the 24th is done too,
    // though in UTC it is the 25th.
    dana.create(&alongside_core::model::CheckIn { at: utc(2026, 11, 25, 3, 30), ..check_in(DANA) })?;
    let reminders = dana.reminders(DANA, utc(2026, 11, 23, 15, 0), Language::English)?;
    assert_eq!(
        when(&reminders)[..2],
        expected(&[("check_in:2026-11-25", utc(2026, 11, 26, 1, 0)), ("check_in:2026-11-26", utc(2026, 11, 27, 1, 0))])
    );
    assert_eq!(reminders.len(), 12, "fourteen days ahead, less the two done");
    Ok(())
}

// ---------------------------------------------------------------------------
// Milestones, goals, messages
// ---------------------------------------------------------------------------

fn no_check_ins() -> ReminderSettings {
    ReminderSettings { check_in: false, ..ReminderSettings::default() }
}

#[test]
fn a_milestone_is_told_the_evening_before_and_the_morning_of_until_celebrated() -> TestResult {
    let (_dir, dana) = danas_phone("America/New_York", &no_check_ins())?;
    // Started on 25 October: 30 days on 24 November, 60 days past the horizon.
    dana.start_recovery_period(DANA, date(2026, 10, 25), None)?;
    let reminders = dana.reminders(DANA, utc(2026, 11, 23, 15, 0), Language::English)?;
    assert_eq!(
        when(&reminders),
        expected(&[("milestone_tomorrow:2026-11-24", utc(2026, 11, 24, 0, 0)), ("milestone_today:2026-11-24", utc(2026, 11, 24, 14, 0)),])
    );
    let words: Vec<(&str, &str)> = reminders.iter().map(|r| (r.title.as_str(), r.body.as_str())).collect();
    assert_eq!(
        words,
        [("Tomorrow: 30 days", "Tomorrow is 30 days. That matters."), ("Today: 30 days", "Today is 30 days. This one is yours.")]
    );
    assert_eq!(reminders.iter().map(|r| r.kind).collect::<Vec<_>>(), [ReminderKind::MilestoneTomorrow, ReminderKind::MilestoneToday]);

    // At 07:00 on the day, the morning one is still to come...
    let morning = utc(2026, 11, 24, 12, 0);
    assert_eq!(
        when(&dana.reminders(DANA, morning, Language::English)?),
        expected(&[("milestone_today:2026-11-24", utc(2026, 11, 24, 14, 0))])
    );
    // ...until Dana celebrates it.
    let thirty = dana.today(DANA, morning, Language::English)?.to_celebrate.into_iter().find(|m| m.days == Some(30)).ok_or("no 30 days")?;
    dana.celebrate(DANA, &thirty)?;
    assert_eq!(dana.reminders(DANA, morning, Language::English)?, []);
    Ok(())
}

#[test]
fn an_active_goal_is_reminded_the_morning_of_its_date() -> TestResult {
    let (_dir, dana) = danas_phone("America/New_York", &no_check_ins())?;
    let walk = dana.create(&Goal { target_date: Some(date(2026, 11, 30)), ..goal(DANA, "Walk the kids to school") })?;
    dana.create(&Goal { target_date: Some(date(2026, 11, 27)), status: GoalStatus::Paused, ..goal(DANA, "Finish the GED") })?;
    let reminders = dana.reminders(DANA, utc(2026, 11, 23, 15, 0), Language::English)?;
    assert_eq!(when(&reminders), expected(&[(&format!("goal:{}", walk.id), utc(2026, 11, 30, 14, 0))]));
    let reminder = reminders.first().ok_or("no reminder")?;
    assert_eq!((reminder.kind, reminder.record_id.as_deref()), (ReminderKind::GoalTargetDate, Some(walk.id.as_str())));
    assert_eq!(reminder.title, "The day you chose");
    assert_eq!(reminder.body, "Today is the date you set for “Walk the kids to school”. However it's going, it's worth a look.");

    dana.update(&walk, &Goal { status: GoalStatus::Achieved, ..walk.clone() })?;
    assert_eq!(dana.reminders(DANA, utc(2026, 11, 23, 15, 0), Language::English)?, [], "an achieved goal needs no reminder");
    Ok(())
}

#[test]
fn unread_messages_from_the_peer_worker_make_one_gentle_nudge() -> TestResult {
    let (_dir, dana) = danas_phone("America/New_York", &no_check_ins())?;
    let ids = rosa_writes(&dana, &[utc(2026, 11, 23, 14, 0), utc(2026, 11, 23, 14, 50)])?;
    dana.send_message(DANA, "Okay, see you Thursday", utc(2026, 11, 23, 14, 55))?;

    let now = utc(2026, 11, 23, 15, 0);
    let reminders = dana.reminders(DANA, now, Language::English)?;
    assert_eq!(when(&reminders), expected(&[("unread_messages", utc(2026, 11, 23, 15, 5))]), "15 minutes after the newest");
    let nudge = reminders.first().ok_or("no nudge")?;
    assert_eq!((nudge.title.as_str(), nudge.body.as_str()), ("2 new messages", "Read them whenever you're ready."));
    assert_eq!(nudge.record_id.as_deref(), ids.last().map(String::as_str));

    let first = ids.first().ok_or("no message")?;
    dana.mark_message_read(first, now)?;
    let one = dana.reminders(DANA, now, Language::English)?;
    assert_eq!(one.iter().map(|r| (r.id.as_str(), r.title.as_str())).collect::<Vec<_>>(), [("unread_messages", "1 new message")]);
    for id in &ids {
        dana.mark_message_read(id, now)?;
    }
    assert_eq!(dana.reminders(DANA, now, Language::English)?, []);
    Ok(())
}

// ---------------------------------------------------------------------------
// Words: discreet, and in Spanish
// ---------------------------------------------------------------------------

/// Dana with a milestone, a goal date and a message waiting.
fn dana_with_everything(settings: &ReminderSettings) -> TestResult<(tempfile::TempDir, Store)> {
    let (dir, dana) = danas_phone("America/New_York", settings)?;
    dana.start_recovery_period(DANA, date(2026, 10, 25), None)?;
    dana.create(&Goal { target_date: Some(date(2026, 11, 30)), ..goal(DANA, "Walk the kids to school") })?;
    rosa_writes(&dana, &[utc(2026, 11, 23, 14, 50), utc(2026, 11, 23, 14, 55)])?;
    Ok((dir, dana))
}

#[test]
fn discreet_reminders_ring_at_the_same_times_and_show_nothing_of_their_content() -> TestResult {
    let now = utc(2026, 11, 23, 15, 0);
    let (_open_dir, open) = dana_with_everything(&ReminderSettings::default())?;
    let (_dir, discreet) = dana_with_everything(&ReminderSettings { discreet: true, ..ReminderSettings::default() })?;
    let shown = open.reminders(DANA, now, Language::English)?;
    let hidden = discreet.reminders(DANA, now, Language::English)?;

    assert_eq!(when(&hidden).iter().map(|(_, at)| *at).collect::<Vec<_>>(), when(&shown).iter().map(|(_, at)| *at).collect::<Vec<_>>());
    assert_eq!(hidden.len(), 18, "a nudge, two for the milestone, the goal, and fourteen check-ins");
    for reminder in &hidden {
        assert_eq!((reminder.title.as_str(), reminder.body.as_str()), ("Alongside", "You have something new."), "{}", reminder.id);
    }
    let spanish = discreet.reminders(DANA, now, Language::Spanish)?;
    assert!(spanish.iter().all(|r| r.title == "Alongside" && r.body == "Tienes algo nuevo."));
    Ok(())
}

#[test]
fn reminders_speak_spanish() -> TestResult {
    let (_dir, dana) = dana_with_everything(&ReminderSettings::default())?;
    let reminders = dana.reminders(DANA, utc(2026, 11, 23, 15, 0), Language::Spanish)?;
    let said = |kind| of_kind(&reminders, kind).first().map(|r| (r.title.clone(), r.body.clone()));
    let pair = |title: &str, body: &str| Some((title.to_owned(), body.to_owned()));
    assert_eq!(said(ReminderKind::CheckIn), pair("¿Cómo estás hoy?", "Tómate un momento para contar cómo estás, cuando quieras."));
    assert_eq!(said(ReminderKind::MilestoneTomorrow), pair("Mañana: 30 días", "Mañana cumples 30 días. Eso importa."));
    assert_eq!(said(ReminderKind::MilestoneToday), pair("Hoy: 30 días", "Hoy cumples 30 días. Este logro es tuyo."));
    assert_eq!(
        said(ReminderKind::GoalTargetDate),
        pair("El día que elegiste", "Hoy es la fecha que pusiste para “Walk the kids to school”. Vaya como vaya, vale la pena mirarla.")
    );
    assert_eq!(said(ReminderKind::UnreadMessages), pair("2 mensajes nuevos", "Léelos cuando quieras."));
    Ok(())
}

// ---------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------

#[test]
fn settings_are_kept_on_this_phone_and_steer_the_schedule() -> TestResult {
    let (dir, store) = open_store()?;
    assert_eq!(store.reminder_settings()?, ReminderSettings::default(), "the defaults until the person chooses");
    store.create(&profile(DANA, "Dana R."))?;
    let before = pending(&store)?.len();

    let chosen = ReminderSettings {
        check_in_time: LocalTime::new(7, 15),
        milestones: false,
        quiet_hours: quiet((23, 0), (6, 30)),
        discreet: true,
        ..ReminderSettings::default()
    };
    store.set_reminder_settings(&chosen)?;
    assert_eq!(store.reminder_settings()?, chosen);
    assert_eq!(pending(&store)?.len(), before, "settings are this phone's own: nothing to sync");

    drop(store);
    let reopened = Store::open(store_path(&dir), &KEY)?;
    assert_eq!(reopened.reminder_settings()?, chosen, "kept in the encrypted file");
    let first = reopened.reminders(DANA, utc(2026, 11, 23, 15, 0), Language::English)?;
    assert_eq!(when(&first).first(), Some(&("check_in:2026-11-24".to_owned(), utc(2026, 11, 24, 12, 15))), "07:15 in New York");
    Ok(())
}

#[test]
fn a_time_out_of_range_is_refused_naming_the_field_and_nothing_is_saved() -> TestResult {
    let (_dir, store) = open_store()?;
    let kept = check_in_at(21, 0, quiet((22, 0), (8, 0)));
    store.set_reminder_settings(&kept)?;

    let refusal = |settings: &ReminderSettings| match store.set_reminder_settings(settings) {
        Err(Error::Validation { field, reason }) => Some((field, reason)),
        _ => None,
    };
    assert_eq!(refusal(&check_in_at(25, 0, None)), Some(("check_in_time.hour".to_owned(), Reason::Range { min: 0, max: 23 })));
    assert_eq!(
        refusal(&check_in_at(20, 0, quiet((22, 61), (8, 0)))),
        Some(("quiet_hours.start.minute".to_owned(), Reason::Range { min: 0, max: 59 }))
    );
    assert_eq!(
        refusal(&check_in_at(20, 0, quiet((22, 0), (24, 0)))),
        Some(("quiet_hours.end.hour".to_owned(), Reason::Range { min: 0, max: 23 }))
    );
    assert_eq!(i18n::reason(&Reason::Range { min: 0, max: 23 }, Language::English), "Choose a whole number from 0 to 23.");
    assert_eq!(store.reminder_settings()?, kept, "a refused change saves nothing");
    Ok(())
}
