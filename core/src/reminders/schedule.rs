//! The schedule itself: from the person's data, settings and zone, the
//! notifications the shell should have waiting. Pure, so every rule is tested
//! without a store; `Store::reminders` gathers the inputs.

use std::collections::HashSet;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use super::clock::local_instant;
use super::quiet::Quiet;
use super::say::{Say, Text};
use super::settings::ReminderSettings;
use crate::error::Result;
use crate::i18n::Language;
use crate::model::{Goal, GoalStatus, Message, Milestone};
use crate::views::recovery_time::{local_date, milestones};
use crate::views::today::celebrated;

/// How far ahead `Store::reminders` looks. Shells reschedule on every data
/// change and once a day, so two weeks covers a phone left alone for long.
pub const HORIZON_DAYS: u32 = 14;

/// Milestone and goal mornings: the day has started, and is not yet full.
const MORNING: (u32, u32) = (9, 0);
/// The evening before a milestone: before the default check-in at 20:00,
/// and well before the default quiet hours.
const EVENING: (u32, u32) = (19, 0);
/// How long a message waits unread before the nudge: someone reading in the
/// app at that moment is not nudged about it.
const NUDGE_AFTER_MINUTES: i64 = 15;

/// What a reminder is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ReminderKind {
    CheckIn,
    MilestoneTomorrow,
    MilestoneToday,
    GoalTargetDate,
    UnreadMessages,
}

impl ReminderKind {
    /// The kind's name, and the first part of its reminders' ids.
    pub const fn as_str(self) -> &'static str {
        match self {
            ReminderKind::CheckIn => "check_in",
            ReminderKind::MilestoneTomorrow => "milestone_tomorrow",
            ReminderKind::MilestoneToday => "milestone_today",
            ReminderKind::GoalTargetDate => "goal",
            ReminderKind::UnreadMessages => "unread_messages",
        }
    }
}

/// A notification for the shell to schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Reminder {
    /// The same on every call while it means the same thing
    /// (`check_in:2026-12-03`, `goal:<goal id>`), so the shell replaces or
    /// cancels the one it scheduled before.
    pub id: String,
    pub kind: ReminderKind,
    /// When to show it: always after the `now` asked about.
    pub at: DateTime<Utc>,
    pub title: String,
    pub body: String,
    pub participant_id: String,
    /// What to open when it is tapped: the goal, or the newest unread message.
    pub record_id: Option<String>,
}

/// What the schedule is made from (see `Store::reminders`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReminderInputs {
    pub participant_id: String,
    /// When each check-in was made: a day with one needs no reminder.
    pub check_ins: Vec<DateTime<Utc>>,
    /// The first day of the current recovery period, if there is one.
    pub recovery_start: Option<NaiveDate>,
    /// The milestone records, so that one celebrated already is not announced.
    pub milestones: Vec<Milestone>,
    /// Goals; active ones with a target date are reminded.
    pub goals: Vec<Goal>,
    /// Messages from the other person not read yet.
    pub unread: Vec<Message>,
}

/// The reminders due after `now` and at most `horizon_days` days later, in
/// `zone`, in the order they ring (then by id). Refuses settings whose times
/// are out of range, naming the field.
pub fn schedule(
    inputs: &ReminderInputs,
    settings: &ReminderSettings,
    zone: Tz,
    now: DateTime<Utc>,
    horizon_days: u32,
    language: Language,
) -> Result<Vec<Reminder>> {
    let check_in_time = settings.check_in_time.time("check_in_time")?;
    let quiet = settings.quiet_hours.as_ref().map(Quiet::new).transpose()?;
    let plan = Plan { inputs, zone, today: local_date(now, zone), horizon_days, say: Say::new(language, settings.discreet) };
    let mut due = Vec::new();
    if settings.check_in {
        due.extend(plan.check_ins(check_in_time));
    }
    if settings.milestones {
        due.extend(plan.milestones(language));
    }
    if settings.goal_dates {
        due.extend(plan.goals());
    }
    if settings.messages {
        due.extend(plan.unread(now));
    }
    let end = now + Duration::days(horizon_days.into());
    let mut reminders: Vec<Reminder> = due
        .into_iter()
        .filter_map(|due| {
            let at = due.at?;
            let at = match quiet {
                Some(quiet) => quiet.defer(at, zone)?,
                None => at,
            };
            // "Tomorrow is 30 days" held by quiet hours until the day itself
            // would be untrue; that morning's reminder says it instead.
            if due.before.is_some_and(|day| local_date(at, zone) >= day) {
                return None;
            }
            (at > now && at <= end).then(|| Reminder {
                id: due.id,
                kind: due.kind,
                at,
                title: due.text.title,
                body: due.text.body,
                participant_id: inputs.participant_id.clone(),
                record_id: due.record_id,
            })
        })
        .collect();
    reminders.sort_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)));
    Ok(reminders)
}

/// A reminder before quiet hours and the window are applied.
struct Due {
    kind: ReminderKind,
    id: String,
    /// `None` only past the end of the calendar.
    at: Option<DateTime<Utc>>,
    text: Text,
    record_id: Option<String>,
    /// The local date from which it would no longer be true.
    before: Option<NaiveDate>,
}

struct Plan<'a> {
    inputs: &'a ReminderInputs,
    zone: Tz,
    today: NaiveDate,
    horizon_days: u32,
    say: Say,
}

impl Plan<'_> {
    /// The local dates reminders may be meant for: from yesterday (whose
    /// evening reminder quiet hours may have held into today) to the last
    /// day of the horizon.
    fn days(&self) -> impl Iterator<Item = NaiveDate> + use<> {
        let days = usize::try_from(self.horizon_days).unwrap_or(usize::MAX).saturating_add(1);
        self.today.pred_opt().into_iter().chain(self.today.iter_days().take(days))
    }

    fn at(&self, date: NaiveDate, (hour, minute): (u32, u32)) -> Option<DateTime<Utc>> {
        local_instant(self.zone, date, NaiveTime::from_hms_opt(hour, minute, 0)?)
    }

    fn due(&self, kind: ReminderKind, key: &str, at: Option<DateTime<Utc>>, text: Text) -> Due {
        Due { kind, id: format!("{}:{key}", kind.as_str()), at, text, record_id: None, before: None }
    }

    /// One a day at the chosen time, except on local dates with a check-in.
    fn check_ins(&self, time: NaiveTime) -> Vec<Due> {
        let done: HashSet<NaiveDate> = self.inputs.check_ins.iter().map(|at| local_date(*at, self.zone)).collect();
        self.days()
            .filter(|day| !done.contains(day))
            .map(|day| self.due(ReminderKind::CheckIn, &day.to_string(), local_instant(self.zone, day, time), self.say.check_in()))
            .collect()
    }

    /// The recovery-time milestones of the current period (the core's one
    /// definition, `recovery_time::milestones`): the evening before, and the
    /// morning of, unless already celebrated.
    fn milestones(&self, language: Language) -> Vec<Due> {
        let Some(start) = self.inputs.recovery_start else { return Vec::new() };
        let (first, last) = (self.days().next(), self.days().last());
        let Some((first, last)) = first.zip(last) else { return Vec::new() };
        milestones(start, language)
            .skip_while(|m| m.date < first)
            .take_while(|m| m.date.pred_opt().is_some_and(|eve| eve <= last))
            .filter(|m| celebrated(&self.inputs.milestones, m).is_none())
            .flat_map(|m| {
                let key = m.date.to_string();
                let eve = m.date.pred_opt().and_then(|eve| self.at(eve, EVENING));
                let tomorrow = Due {
                    before: Some(m.date),
                    ..self.due(ReminderKind::MilestoneTomorrow, &key, eve, self.say.milestone_tomorrow(&m.label))
                };
                let today = self.due(ReminderKind::MilestoneToday, &key, self.at(m.date, MORNING), self.say.milestone_today(&m.label));
                [tomorrow, today]
            })
            .collect()
    }

    /// The morning of each active goal's target date.
    fn goals(&self) -> Vec<Due> {
        self.inputs
            .goals
            .iter()
            .filter(|goal| goal.status == GoalStatus::Active && !goal.deleted)
            .filter_map(|goal| {
                let at = self.at(goal.target_date?, MORNING);
                Some(Due {
                    record_id: Some(goal.id.clone()),
                    ..self.due(ReminderKind::GoalTargetDate, &goal.id, at, self.say.goal(&goal.title))
                })
            })
            .collect()
    }

    /// One nudge for all unread messages, a little after the newest came in,
    /// or a little after now when that has passed.
    fn unread(&self, now: DateTime<Utc>) -> Option<Due> {
        let newest = self.inputs.unread.iter().max_by(|a, b| (a.sent_at, &a.id).cmp(&(b.sent_at, &b.id)))?;
        let wait = Duration::minutes(NUDGE_AFTER_MINUTES);
        let at = if newest.sent_at + wait > now { newest.sent_at + wait } else { now + wait };
        Some(Due {
            kind: ReminderKind::UnreadMessages,
            id: ReminderKind::UnreadMessages.as_str().to_owned(),
            at: Some(at),
            text: self.say.unread(self.inputs.unread.len()),
            record_id: Some(newest.id.clone()),
            before: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use chrono_tz::America::New_York;

    use super::*;
    use crate::model::GoalArea;
    use crate::reminders::settings::{LocalTime, QuietHours};

    const PID: &str = "2b1f6a3e-4c5d-4e6f-8a9b-0c1d2e3f4a5b";

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).single().unwrap_or_default()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    /// Only the kinds in `on`, no quiet hours.
    fn only(on: &[ReminderKind]) -> ReminderSettings {
        ReminderSettings {
            check_in: on.contains(&ReminderKind::CheckIn),
            milestones: on.contains(&ReminderKind::MilestoneToday),
            goal_dates: on.contains(&ReminderKind::GoalTargetDate),
            messages: on.contains(&ReminderKind::UnreadMessages),
            quiet_hours: None,
            ..ReminderSettings::default()
        }
    }

    fn when(reminders: &[Reminder]) -> Vec<(&str, DateTime<Utc>)> {
        reminders.iter().map(|r| (r.id.as_str(), r.at)).collect()
    }

    fn message(id: &str, sent_at: DateTime<Utc>) -> Message {
        Message { id: id.into(), participant_id: PID.into(), body: "Thinking of you".into(), sent_at, read_at: None, deleted: false }
    }

    #[test]
    fn only_what_is_ahead_and_within_the_horizon() -> Result<()> {
        let inputs = ReminderInputs { participant_id: PID.into(), ..ReminderInputs::default() };
        // Exactly 20:00 EST on 23 Nov: that one is not ahead any more.
        let now = utc(2026, 11, 24, 1, 0);
        let got = schedule(&inputs, &only(&[ReminderKind::CheckIn]), New_York, now, 2, Language::English)?;
        assert_eq!(when(&got), [("check_in:2026-11-24", utc(2026, 11, 25, 1, 0)), ("check_in:2026-11-25", utc(2026, 11, 26, 1, 0))]);
        assert!(got.iter().all(|r| r.participant_id == PID && r.record_id.is_none()));
        Ok(())
    }

    #[test]
    fn a_tomorrow_held_by_quiet_hours_until_the_day_gives_way_to_that_mornings() -> Result<()> {
        // Quiet from 18:00 to 10:00: the 19:00 "tomorrow" would ring on the day itself.
        let quiet = QuietHours { start: LocalTime::new(18, 0), end: LocalTime::new(10, 0) };
        let settings = ReminderSettings { quiet_hours: Some(quiet), ..only(&[ReminderKind::MilestoneToday]) };
        let inputs = ReminderInputs { participant_id: PID.into(), recovery_start: Some(date(2026, 10, 25)), ..ReminderInputs::default() };
        let got = schedule(&inputs, &settings, New_York, utc(2026, 11, 23, 15, 0), 3, Language::English)?;
        assert_eq!(when(&got), [("milestone_today:2026-11-24", utc(2026, 11, 24, 15, 0))]);
        assert_eq!(got.first().map(|r| r.title.as_str()), Some("Today: 30 days"));
        Ok(())
    }

    #[test]
    fn unread_messages_are_one_nudge_after_the_newest() -> Result<()> {
        let now = utc(2026, 11, 23, 15, 0);
        let unread = vec![message("m1", utc(2026, 11, 23, 9, 0)), message("m2", utc(2026, 11, 23, 14, 55))];
        let inputs = ReminderInputs { participant_id: PID.into(), unread, ..ReminderInputs::default() };
        let settings = only(&[ReminderKind::UnreadMessages]);
        let got = schedule(&inputs, &settings, New_York, now, 14, Language::English)?;
        assert_eq!(when(&got), [("unread_messages", utc(2026, 11, 23, 15, 10))]);
        assert_eq!(got.first().map(|r| (r.title.as_str(), r.record_id.as_deref())), Some(("2 new messages", Some("m2"))));
        // Asked again an hour later with both still unread: 15 minutes from then.
        let later = schedule(&inputs, &settings, New_York, now + Duration::hours(1), 14, Language::English)?;
        assert_eq!(when(&later), [("unread_messages", utc(2026, 11, 23, 16, 15))]);
        Ok(())
    }

    #[test]
    fn only_active_goals_with_a_date_are_reminded() -> Result<()> {
        let dated = |id: &str, status| Goal {
            id: id.into(),
            target_date: Some(date(2026, 11, 25)),
            status,
            ..Goal::new(PID, "Walk the kids to school", GoalArea::Parenting)
        };
        let goals = vec![
            dated("active", GoalStatus::Active),
            dated("paused", GoalStatus::Paused),
            dated("achieved", GoalStatus::Achieved),
            Goal { id: "undated".into(), ..Goal::new(PID, "Call my sister", GoalArea::Relationships) },
        ];
        let inputs = ReminderInputs { participant_id: PID.into(), goals, ..ReminderInputs::default() };
        let got = schedule(&inputs, &only(&[ReminderKind::GoalTargetDate]), New_York, utc(2026, 11, 23, 15, 0), 14, Language::English)?;
        assert_eq!(when(&got), [("goal:active", utc(2026, 11, 25, 14, 0))]);
        assert_eq!(got.first().and_then(|r| r.record_id.as_deref()), Some("active"));
        Ok(())
    }

    #[test]
    fn nothing_rings_that_the_person_turned_off() -> Result<()> {
        let inputs = ReminderInputs {
            participant_id: PID.into(),
            recovery_start: Some(date(2026, 10, 25)),
            goals: vec![Goal { target_date: Some(date(2026, 11, 25)), ..Goal::new(PID, "Walk", GoalArea::Parenting) }],
            unread: vec![message("m1", utc(2026, 11, 23, 14, 55))],
            ..ReminderInputs::default()
        };
        assert_eq!(schedule(&inputs, &only(&[]), New_York, utc(2026, 11, 23, 15, 0), 14, Language::English)?, []);
        Ok(())
    }
}
