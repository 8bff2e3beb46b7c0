//! "I need to talk": a participant reaching their peer worker. The reach-out
//! is always kept on the phone first. Then, when the shell says there is a
//! network, the engine pushes it alone, ahead of anything else waiting; the
//! person hears within a deadline (3 s) what became of it, told truthfully,
//! and always with someone to call instead or as well.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::engine::SyncEngine;
use super::pass::on_store;
use crate::care::{Care, PeerWorkerCard};
use crate::error::Result;
use crate::i18n::Language;
use crate::library::crisis::{CrisisResource, crisis_resources};
use crate::model::{ReachOut, ReachOutStatus, Urgency};
use crate::store::{RecordSync, Store};

/// What became of a reach-out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Delivery {
    /// The server applied it and a peer worker has the participant on their
    /// caseload: their devices get it on their next sync.
    Delivered,
    /// The server has it, but no peer worker is assigned to read it yet.
    NoPeerWorker,
    /// The server refused it; it stays on the phone with the reason.
    Refused { code: String, reason: String },
    /// Not through yet: no network, or no answer within the deadline. It is
    /// kept, and goes with the next sync.
    Waiting,
}

/// Someone to call or text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Callable {
    pub name: String,
    pub phone: String,
    /// Within the hours they usually answer; `None` when they gave none.
    pub available_now: Option<bool>,
}

/// Whom to reach instead of waiting, or as well: the peer worker's own
/// number, the program's on-call line when the peer worker may not answer
/// now, and the crisis lines, always.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Help {
    pub peer_worker: Option<Callable>,
    pub on_call: Option<Callable>,
    pub crisis_lines: &'static [CrisisResource],
}

/// A reach-out as written, what became of it, and whom else to reach.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReachOutAnswer {
    pub reach_out: ReachOut,
    pub delivery: Delivery,
    pub help: Help,
}

/// Writes the reach-out and tries to deliver it through `engine`. An error
/// means it was not even written (invalid input or storage); anything that
/// happens on the network is an answer, never an error.
pub async fn reach_out(
    store: &Arc<Store>,
    engine: &SyncEngine,
    participant_id: &str,
    urgency: Urgency,
    message: Option<String>,
    now: DateTime<Utc>,
    language: Language,
) -> Result<ReachOutAnswer> {
    let draft = ReachOut {
        id: String::new(),
        participant_id: participant_id.to_owned(),
        urgency,
        message,
        created_at: now,
        status: ReachOutStatus::Open,
        acknowledged_at: None,
        resolved_at: None,
        deleted: false,
    };
    let reach_out = on_store(store, move |s| s.create(&draft)).await?;
    // Offline, the answer is at once: no attempt, no wait.
    if engine.network_available() {
        // Past the deadline the push goes on in the engine; the person is
        // offered someone to call meanwhile.
        let _ = tokio::time::timeout(engine.config().reach_out_deadline, engine.push_now(&reach_out.id)).await;
    }
    on_store(store, move |s| s.reach_out_answer(reach_out, Utc::now(), language)).await
}

impl Store {
    /// What became of `reach_out` as this phone knows it now, and whom else
    /// to reach. Shells ask again after each sync while it is waiting.
    pub fn reach_out_answer(&self, reach_out: ReachOut, now: DateTime<Utc>, language: Language) -> Result<ReachOutAnswer> {
        let care = self.care()?;
        let delivery = match self.record_sync(&reach_out.id)? {
            RecordSync::Waiting => Delivery::Waiting,
            RecordSync::Refused { code, reason } => Delivery::Refused { code, reason },
            // Taken by the server; whether anyone reads it is what the server
            // last said. A phone that never heard cannot say "delivered".
            RecordSync::Synced => match &care {
                Some(care) if !care.peer_workers.is_empty() => Delivery::Delivered,
                Some(_) => Delivery::NoPeerWorker,
                None => Delivery::Waiting,
            },
        };
        let help = self.help(&reach_out.participant_id, care.as_ref(), now, language)?;
        Ok(ReachOutAnswer { reach_out, delivery, help })
    }

    /// Whom to offer: the peer worker the server named (with a number), else
    /// the one the participant keeps among their contacts; the on-call line
    /// unless the peer worker is known to be answering now; the crisis lines.
    fn help(&self, participant_id: &str, care: Option<&Care>, now: DateTime<Utc>, language: Language) -> Result<Help> {
        let named = care.and_then(|care| care.peer_workers.iter().find_map(|card| callable(card, now)));
        let peer_worker = match named {
            Some(named) => Some(named),
            None => self
                .peer_worker_contact(participant_id)?
                .and_then(|contact| contact.phone.map(|phone| Callable { name: contact.name, phone, available_now: None })),
        };
        let answering = peer_worker.as_ref().and_then(|p| p.available_now) == Some(true);
        let on_call = care.and_then(|care| care.on_call.as_ref()).filter(|_| !answering).map(|line| Callable {
            name: line.name.clone(),
            phone: line.phone.clone(),
            available_now: None,
        });
        Ok(Help { peer_worker, on_call, crisis_lines: crisis_resources(language) })
    }
}

fn callable(card: &PeerWorkerCard, now: DateTime<Utc>) -> Option<Callable> {
    let phone = card.phone.clone()?;
    Some(Callable { name: card.display_name.clone(), phone, available_now: card.hours.as_ref().map(|hours| hours.contains(now)) })
}
