//! Erasure: a participant leaves, and the server forgets them. They ask
//! themself (confirming their password) or an admin does on their behalf.
//! What is deleted and what the audit keeps, and why, is in
//! protocol/README.md "Accounts".

use crate::clock::wall_ms;
use crate::error::ApiError;
use crate::store::accounts::{self, ErasureRequest};
use crate::store::{Database, Role, User, queries};

/// What an erasure did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Erased {
    pub records_deleted: u64,
    /// The peer workers who had them on their caseload, whose devices now
    /// purge their copies.
    pub peer_workers: Vec<String>,
}

/// Erases `participant` for `asked_by` (the participant or an admin; the
/// caller checks who may), in one transaction.
pub async fn erase(db: &Database, participant: &User, asked_by: &User) -> Result<Erased, ApiError> {
    if participant.role != Role::Participant {
        return Err(ApiError::Forbidden("only a participant's account is erased this way".into()));
    }
    let (participant_id, asked_by_user, now) = (participant.id.clone(), asked_by.clone(), wall_ms());
    let erased = db
        .write(move |tx| {
            Box::pin(async move {
                let peer_workers = queries::peer_workers_of(tx, &participant_id).await?;
                let request = ErasureRequest { participant_id: &participant_id, asked_by: &asked_by_user, now_ms: now };
                let records_deleted = accounts::erase_participant(tx, &request).await?;
                Ok(Erased { records_deleted, peer_workers })
            })
        })
        .await?;
    tracing::info!(participant_id = %participant.id, asked_by = %asked_by.id, records = erased.records_deleted, "participant erased");
    Ok(erased)
}
