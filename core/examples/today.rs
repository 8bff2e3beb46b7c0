//! A parent in recovery, offline: sets up an encrypted store, adds a recovery
//! period, goals, a check-in and a reach-out, and prints the home screen.
//!
//!     cargo run -p alongside-core --example today [-- PATH]
//!
//! With PATH the store is kept there (run it twice to see it reopen); without,
//! it lives in a temporary folder.

use alongside_core::i18n::Language;
use alongside_core::model::*;
use alongside_core::views::Today;
use alongside_core::{Store, library::crisis::crisis_resources};
use chrono::{Duration, Utc};

type Error = Box<dyn std::error::Error>;

const PARTICIPANT: &str = "8d3c2b1a-0f9e-4d8c-b7a6-5f4e3d2c1b0a";
/// In the app this comes from the Android Keystore or iOS Keychain.
const DEMO_KEY: [u8; 32] = *b"alongside-example-key-32-bytes!!";

fn main() -> Result<(), Error> {
    let temp = tempfile::tempdir()?;
    let path = std::env::args().nth(1).map(std::path::PathBuf::from).unwrap_or_else(|| temp.path().join("alongside.db"));
    let store = Store::open(&path, &DEMO_KEY)?;
    let now = Utc::now();

    if store.list::<RecoveryPeriod>(PARTICIPANT)?.is_empty() {
        store.set_up_participant(&Profile {
            participant_id: PARTICIPANT.into(),
            display_name: "Jess".into(),
            pronouns: Some("she/her".into()),
            timezone: "America/New_York".into(),
            ..Profile::default()
        })?;
        store.start_recovery_period(PARTICIPANT, (now - Duration::days(29)).date_naive(), None)?;
        for (title, area, score) in
            [("Walk the kids to school every weekday", GoalArea::Parenting, 1), ("Go to two meetings a week", GoalArea::Recovery, 0)]
        {
            store.create(&Goal { gas_score: Some(score), ..Goal::new(PARTICIPANT, title, area) })?;
        }
        store.create(&CheckIn {
            id: String::new(),
            participant_id: PARTICIPANT.into(),
            at: now,
            mood: 3,
            craving: Some(4),
            note: Some("Rough night, kids were up early. Made it to drop-off.".into()),
            deleted: false,
        })?;
        store.create(&ReachOut {
            id: String::new(),
            participant_id: PARTICIPANT.into(),
            urgency: Urgency::Today,
            message: Some("Court date moved. Can we talk today?".into()),
            created_at: now,
            status: ReachOutStatus::Open,
            acknowledged_at: None,
            resolved_at: None,
            deleted: false,
        })?;
    }

    print_today(&store.today(PARTICIPANT, now, Language::English)?);
    if let Some(t) = store.gas_summary(PARTICIPANT)?.t_score {
        println!("Goal progress (GAS T-score): {t:.1}  (50 means as expected)");
    }
    if let Some(top) = store.ranked_strategies(PARTICIPANT, Language::English)?.first() {
        println!(
            "Toolbox: {} strategies, first up: {}",
            store.ranked_strategies(PARTICIPANT, Language::English)?.len(),
            top.strategy.title
        );
    }
    println!("\nIf it gets worse, always here, no signal needed:");
    for line in crisis_resources(Language::English) {
        println!("  {:<32} {}", line.name, line.description);
    }
    println!("\nStore: {} (encrypted)", path.display());
    Ok(())
}

fn print_today(today: &Today) {
    println!("Today, {} ({})", today.date, today.time_zone);
    if let Some(days) = today.days_in_recovery {
        println!("  {days} days in recovery");
    }
    if let Some(next) = &today.next_milestone {
        println!("  next milestone: {} in {} day(s)", next.milestone.label, next.days_to_go);
    }
    for reached in &today.to_celebrate {
        println!("  reached, ready to celebrate: {} ({})", reached.title, reached.achieved_on);
    }
    for goal in &today.active_goals {
        println!("  goal: {}", goal.title);
    }
    for reach_out in &today.open_reach_outs {
        println!("  reach-out ({}): {}", reach_out.urgency.as_str().replace('_', " "), reach_out.message.as_deref().unwrap_or(""));
    }
    println!("  {} change(s) waiting to sync", today.pending_changes);
}
