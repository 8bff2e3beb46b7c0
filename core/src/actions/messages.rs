//! Messages between a participant and their peer worker, written offline and
//! delivered on the next sync, with read receipts.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::model::Message;
use crate::schema::Reason;
use crate::store::{RecordSync, Store};

/// A message as a conversation screen shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ConversationMessage {
    pub message: Message,
    /// Written by this device's person.
    pub mine: bool,
    /// For a message of one's own: sent, still waiting for signal, or refused.
    pub sync: RecordSync,
}

impl Store {
    /// Writes a message in the participant's conversation, sent now.
    pub fn send_message(&self, participant_id: &str, body: &str, now: DateTime<Utc>) -> Result<Message> {
        self.create(&Message {
            id: String::new(),
            participant_id: participant_id.to_owned(),
            body: body.to_owned(),
            sent_at: now,
            read_at: None,
            deleted: false,
        })
    }

    /// The participant's conversation, oldest first.
    pub fn conversation(&self, participant_id: &str) -> Result<Vec<ConversationMessage>> {
        let mut syncs = self.record_syncs(participant_id, crate::schema::Collection::Messages)?;
        let mut messages: Vec<ConversationMessage> = self
            .list_with_mine::<Message>(participant_id)?
            .into_iter()
            .map(|(message, mine)| {
                let sync = syncs.remove(&message.id).unwrap_or(RecordSync::Synced);
                ConversationMessage { message, mine, sync }
            })
            .collect();
        messages.sort_by(|a, b| (a.message.sent_at, &a.message.id).cmp(&(b.message.sent_at, &b.message.id)));
        Ok(messages)
    }

    /// How many messages from the other person are not yet read here.
    pub fn unread_messages(&self, participant_id: &str) -> Result<usize> {
        Ok(self.unread(participant_id)?.len())
    }

    /// Messages from the other person not yet read here.
    pub(crate) fn unread(&self, participant_id: &str) -> Result<Vec<Message>> {
        let messages = self.list_with_mine::<Message>(participant_id)?;
        Ok(messages.into_iter().filter(|(message, mine)| !mine && message.read_at.is_none()).map(|(message, _)| message).collect())
    }

    /// Marks a message from the other person read (a read receipt once it
    /// syncs). Only the person it was sent to sets this.
    pub fn mark_message_read(&self, id: &str, now: DateTime<Utc>) -> Result<Message> {
        let original: Message = self.get(id)?;
        if self.is_mine::<Message>(id)? {
            return Err(Error::validation("read_at", Reason::ReadByRecipient));
        }
        if original.read_at.is_some() {
            return Ok(original);
        }
        self.update(&original, &Message { read_at: Some(now), ..original.clone() })
    }
}
