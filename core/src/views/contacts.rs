//! Contacts in the order a person in trouble needs them.

use crate::error::Result;
use crate::model::{Contact, ContactRole};
use crate::store::Store;

/// Emergency contacts first, then the peer worker, then by name.
pub fn order_contacts(mut contacts: Vec<Contact>) -> Vec<Contact> {
    contacts.retain(|c| !c.deleted);
    contacts.sort_by_cached_key(|c| (!c.is_emergency, c.role != ContactRole::PeerWorker, c.name.to_lowercase()));
    contacts
}

impl Store {
    pub fn contacts(&self, participant_id: &str) -> Result<Vec<Contact>> {
        Ok(order_contacts(self.list(participant_id)?))
    }

    /// The participant's peer worker, as they keep them among their contacts:
    /// whom a reach-out goes to, and whom to call when it cannot go yet.
    pub fn peer_worker_contact(&self, participant_id: &str) -> Result<Option<Contact>> {
        Ok(self.contacts(participant_id)?.into_iter().find(|c| c.role == ContactRole::PeerWorker))
    }
}
