//! What a wake-up brought, said from the local store. A wake-up carries
//! nothing about anyone; once the sync it asked for is done, the shell asks
//! here what to show, and posts it as a notification (or nothing).

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::error::Result;
use crate::i18n::{Language, NewsWords, ReminderWords, count, fill};
use crate::model::{Message, Profile, ReachOut, ReachOutStatus, Urgency};
use crate::store::Store;

/// One notification to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Notice {
    /// The same while it means the same (`reach_out:<id>`,
    /// `messages:<participant id>`, `news` when discreet), so the shell
    /// replaces a notification instead of stacking another.
    pub id: String,
    /// An urgent reach-out: the shell's high-importance channel.
    pub urgent: bool,
    pub title: String,
    pub body: String,
    /// Whose records to open when it is tapped.
    pub participant_id: String,
}

impl Store {
    /// What arrived after `since` that the signed-in person should hear of:
    /// for a peer worker, reach-outs nobody has acknowledged yet and unread
    /// messages, per participant; for a participant, unread messages from
    /// their peer worker. In discreet mode (the person's reminder setting),
    /// one neutral notice instead, which names nobody and says nothing.
    pub fn news(&self, since: DateTime<Utc>, language: Language) -> Result<Vec<Notice>> {
        let Some(session) = self.session()? else { return Ok(Vec::new()) };
        let words = NewsWords::new(language);
        let mut notices = Vec::new();
        if session.role == "peer_worker" {
            // From what is in the store, not the caseload view: a reach-out
            // can arrive before the participant's profile does.
            for participant_id in self.reaching_me(&session.user_id)? {
                let name = self.get::<Profile>(&participant_id).map(|p| p.display_name).unwrap_or_else(|_| words.someone.clone());
                let mut open: Vec<ReachOut> = self
                    .list::<ReachOut>(&participant_id)?
                    .into_iter()
                    .filter(|r| r.status == ReachOutStatus::Open && r.created_at > since)
                    .collect();
                open.sort_by_key(|r| (r.urgency != Urgency::Urgent, r.created_at));
                for reach_out in open {
                    let urgent = reach_out.urgency == Urgency::Urgent;
                    let title = if urgent { &words.urgent_reach_out } else { &words.reach_out };
                    notices.push(Notice {
                        id: format!("reach_out:{}", reach_out.id),
                        urgent,
                        title: fill(title, &[("name", &name)]),
                        body: reach_out.message.clone().unwrap_or_else(|| words.no_message.clone()),
                        participant_id: participant_id.clone(),
                    });
                }
                notices.extend(self.message_notice(&participant_id, &name, since, &words)?);
            }
        } else {
            let name = words.your_peer_worker.clone();
            notices.extend(self.message_notice(&session.user_id, &name, since, &words)?);
        }
        if self.reminder_settings()?.discreet && !notices.is_empty() {
            let urgent = notices.iter().any(|n| n.urgent);
            let participant_id = notices.first().map(|n| n.participant_id.clone()).unwrap_or_default();
            let neutral = ReminderWords::new(language);
            return Ok(vec![Notice { id: "news".into(), urgent, title: words.app_name, body: neutral.discreet_body, participant_id }]);
        }
        Ok(notices)
    }

    /// The participants with reach-outs or messages on this phone, other than `me`, by id.
    fn reaching_me(&self, me: &str) -> Result<Vec<String>> {
        self.with_conn(|conn| {
            let mut stmt = conn.prepare(
                "SELECT DISTINCT participant_id FROM records
                 WHERE collection IN ('reach_outs', 'messages') AND deleted = 0 AND participant_id <> ?1 ORDER BY participant_id",
            )?;
            let ids = stmt.query_map([me], |row| row.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(ids)
        })
    }

    /// "2 new messages from Rosa", with the newest, when any arrived after `since`.
    fn message_notice(&self, participant_id: &str, name: &str, since: DateTime<Utc>, words: &NewsWords) -> Result<Option<Notice>> {
        let unread = self.unread(participant_id)?;
        let Some(newest) = unread.iter().filter(|m| m.sent_at > since).max_by_key(|m| m.sent_at).map(|m: &Message| m.body.clone()) else {
            return Ok(None);
        };
        let title = fill(&count(&words.messages, i64::try_from(unread.len()).unwrap_or(i64::MAX)), &[("name", name)]);
        Ok(Some(Notice {
            id: format!("messages:{participant_id}"),
            urgent: false,
            title,
            body: newest,
            participant_id: participant_id.to_owned(),
        }))
    }
}
