//! What a participant and their peer worker do together: consent (sharing),
//! encounter notes (draft, submit, amend), and following up reach-outs.

use chrono::{DateTime, NaiveDate, Utc};

use crate::error::{Error, Result};
use crate::model::{EncounterNote, NoteStatus, ReachOut, ReachOutStatus, Sharing};
use crate::schema::Reason;
use crate::store::Store;

impl Store {
    /// Sets what the participant shares with their peer worker, signed now.
    /// Only the participant writes this (the server refuses anyone else).
    pub fn set_sharing(
        &self,
        participant_id: &str,
        shared: &Sharing,
        expires_on: Option<NaiveDate>,
        now: DateTime<Utc>,
    ) -> Result<Sharing> {
        let wanted = Sharing {
            id: participant_id.to_owned(),
            participant_id: participant_id.to_owned(),
            signed_at: Some(now),
            expires_on,
            deleted: false,
            ..shared.clone()
        };
        match self.get::<Sharing>(participant_id) {
            Ok(current) => self.update(&current, &wanted),
            Err(Error::NotFound { .. }) => self.create(&wanted),
            Err(other) => Err(other),
        }
    }

    /// What the participant shares now (nothing until they choose).
    pub fn sharing(&self, participant_id: &str) -> Result<Sharing> {
        match self.get::<Sharing>(participant_id) {
            Ok(sharing) => Ok(sharing),
            Err(Error::NotFound { .. }) => {
                Ok(Sharing { id: participant_id.to_owned(), participant_id: participant_id.to_owned(), ..Sharing::default() })
            }
            Err(other) => Err(other),
        }
    }

    /// Starts an encounter note as a draft, which can still be edited.
    pub fn draft_encounter_note(&self, note: &EncounterNote) -> Result<EncounterNote> {
        self.create(&EncounterNote { status: NoteStatus::Draft, ..note.clone() })
    }

    /// Submits a draft; from then on the note is locked.
    pub fn submit_encounter_note(&self, id: &str) -> Result<EncounterNote> {
        let draft: EncounterNote = self.get(id)?;
        self.update(&draft, &EncounterNote { status: NoteStatus::Submitted, ..draft.clone() })
    }

    /// Corrects a submitted note: a new note that amends it, submitted at once.
    pub fn amend_encounter_note(&self, id: &str, corrected: &EncounterNote) -> Result<EncounterNote> {
        let original: EncounterNote = self.get(id)?;
        if original.status != NoteStatus::Submitted {
            return Err(Error::validation("amends", Reason::AmendsSubmittedOnly));
        }
        self.create(&EncounterNote {
            id: String::new(),
            participant_id: original.participant_id.clone(),
            status: NoteStatus::Submitted,
            amends: Some(original.id),
            ..corrected.clone()
        })
    }

    /// The peer worker has seen the reach-out. Once acknowledged or resolved,
    /// it stays so.
    pub fn acknowledge_reach_out(&self, id: &str, now: DateTime<Utc>) -> Result<ReachOut> {
        let open: ReachOut = self.get(id)?;
        // A second tap, or a stale screen, must not reopen what was followed up.
        if open.status != ReachOutStatus::Open {
            return Ok(open);
        }
        self.update(
            &open,
            &ReachOut { status: ReachOutStatus::Acknowledged, acknowledged_at: open.acknowledged_at.or(Some(now)), ..open.clone() },
        )
    }

    /// The reach-out has been followed up; the first resolution stands.
    pub fn resolve_reach_out(&self, id: &str, now: DateTime<Utc>) -> Result<ReachOut> {
        let open: ReachOut = self.get(id)?;
        if open.status == ReachOutStatus::Resolved {
            return Ok(open);
        }
        self.update(
            &open,
            &ReachOut {
                status: ReachOutStatus::Resolved,
                acknowledged_at: open.acknowledged_at.or(Some(now)),
                resolved_at: Some(now),
                ..open.clone()
            },
        )
    }
}
