//! Who may read and write which records: the one place permissions are
//! decided, written to read like PROTOCOL.md's Collections table. Push asks
//! [`may_write`] for each change; pull asks [`pull_scopes`] which records a
//! user may see, and [`revoked`] / [`expired`] what their devices must purge;
//! the events stream asks [`may_see`].
//!
//! - A participant reads and writes their own records, except encounter notes,
//!   which only peer workers write.
//! - A peer worker reads and writes the records of participants on their
//!   caseload, in collections of category `always` or of a category the
//!   participant currently shares (their `sharing` record, until `expires_on`
//!   by the server's UTC date), and only collections the protocol lets a peer
//!   write.
//! - Per field: a message's `body`, `sent_at` and `deleted` are set only by its
//!   author and its `read_at` only by someone else; a peer worker sets only the
//!   status fields of a reach-out, which only the participant creates; a
//!   submitted encounter note is locked (`alongside_protocol::schema::is_locked`).
//! - Admins manage users and caseloads; they do not sync records.

use std::collections::HashSet;

use alongside_protocol::codes::RejectionCode;
use alongside_protocol::schema::sharing::{self, is_expired};
use alongside_protocol::schema::{Category, Collection, Rejection, is_locked};
use chrono::NaiveDate;
use serde_json::{Map, Value};

use crate::domain::{Role, Scope};

/// The user a request acts for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: String,
    pub role: Role,
}

/// A refusal, with the protocol's rejection code and words for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Denied {
    /// `forbidden`: this person may not make this change.
    Forbidden(String),
    /// `locked`: nobody may change this record any more.
    Locked(Collection),
}

impl Denied {
    pub fn code(&self) -> RejectionCode {
        match self {
            Denied::Forbidden(_) => RejectionCode::Forbidden,
            Denied::Locked(_) => RejectionCode::Locked,
        }
    }

    pub fn message(&self) -> String {
        match self {
            Denied::Forbidden(message) => message.clone(),
            // The protocol crate's words, which the device uses too.
            Denied::Locked(collection) => Rejection::Locked { collection: *collection }.to_string(),
        }
    }
}

fn forbidden(message: impl Into<String>) -> Result<(), Denied> {
    Err(Denied::Forbidden(message.into()))
}

/// The record a change modifies, as the policy needs it.
#[derive(Debug, Clone, Copy)]
pub struct Existing<'a> {
    /// The author of the record's first change: the record's author.
    pub author_id: &'a str,
    pub fields: &'a Map<String, Value>,
}

/// One change as the policy sees it.
#[derive(Debug)]
pub struct Write<'a> {
    pub collection: Collection,
    pub participant_id: &'a str,
    /// The record before the change; `None` when the change creates it.
    pub existing: Option<Existing<'a>>,
    pub fields: &'a Map<String, Value>,
}

/// Who writes a collection: PROTOCOL.md's "who writes" column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Writers {
    /// "participant"
    Participant,
    /// "participant, peer": the participant, and a peer worker of their
    /// caseload while the category is shared with them.
    ParticipantAndPeer,
    /// "peer"
    Peer,
    /// "participant creates; peer sets status": a peer worker sets only these fields.
    ParticipantCreatesPeerSets(&'static [&'static str]),
}

/// The Collections table's "who writes" column, row by row.
pub const fn writers(collection: Collection) -> Writers {
    match collection {
        Collection::Profile => Writers::Participant,
        Collection::Sharing => Writers::Participant,
        Collection::RecoveryPeriods => Writers::Participant,
        Collection::Goals => Writers::ParticipantAndPeer,
        Collection::GoalProgress => Writers::ParticipantAndPeer,
        Collection::Milestones => Writers::ParticipantAndPeer,
        Collection::CopingStrategies => Writers::ParticipantAndPeer,
        Collection::CopingUses => Writers::Participant,
        Collection::Contacts => Writers::ParticipantAndPeer,
        Collection::CheckIns => Writers::Participant,
        Collection::SafetyPlan => Writers::ParticipantAndPeer,
        Collection::ReachOuts => Writers::ParticipantCreatesPeerSets(&["status", "acknowledged_at", "resolved_at"]),
        Collection::Assessments => Writers::ParticipantAndPeer,
        Collection::Messages => Writers::ParticipantAndPeer,
        Collection::EncounterNotes => Writers::Peer,
    }
}

/// Fields only a record's author, or only someone other than its author, sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldOwners {
    pub author_only: &'static [&'static str],
    pub others_only: &'static [&'static str],
}

/// The table's per-field rules: a message's `body` and `sent_at` "set by the
/// author only" (and so is deleting it), `read_at` "set only by someone other
/// than the author".
pub const fn field_owners(collection: Collection) -> Option<FieldOwners> {
    match collection {
        Collection::Messages => Some(FieldOwners { author_only: &["body", "sent_at", "deleted"], others_only: &["read_at"] }),
        _ => None,
    }
}

/// Whether `actor` may apply `write`. `caseload` is the actor's caseload (for
/// a peer worker) and `sharing` the fields of the participant's sharing record.
pub fn may_write(
    actor: &Actor,
    caseload: &HashSet<String>,
    sharing: Option<&Map<String, Value>>,
    today: NaiveDate,
    write: &Write<'_>,
) -> Result<(), Denied> {
    let collection = write.collection;
    match actor.role {
        Role::Admin => return forbidden("admins do not sync participant records"),
        Role::Participant => {
            if write.participant_id != actor.user_id {
                return forbidden("a participant writes only their own records");
            }
            if writers(collection) == Writers::Peer {
                return forbidden(format!("only peer workers write {collection}"));
            }
        }
        Role::PeerWorker => {
            if !caseload.contains(write.participant_id) {
                return forbidden("the participant is not on your caseload");
            }
            if !visible(collection, sharing, today) {
                return forbidden(format!("the participant does not share {collection} with you"));
            }
            match writers(collection) {
                Writers::Participant => return forbidden(format!("only the participant writes {collection}")),
                Writers::ParticipantCreatesPeerSets(_) if write.existing.is_none() => {
                    return forbidden(format!("only the participant creates {collection}"));
                }
                Writers::ParticipantCreatesPeerSets(allowed) => {
                    if let Some(name) = write.fields.keys().find(|name| !allowed.contains(&name.as_str())) {
                        return forbidden(format!("a peer worker may not set {name} of {collection}"));
                    }
                }
                Writers::ParticipantAndPeer | Writers::Peer => {}
            }
        }
    }
    if let Some(owners) = field_owners(collection) {
        let author = write.existing.map_or(actor.user_id.as_str(), |existing| existing.author_id);
        for (name, value) in write.fields {
            let name = name.as_str();
            if author != actor.user_id && owners.author_only.contains(&name) {
                return forbidden(format!("only the author of the {collection} record sets {name}"));
            }
            // On a new record, or one made again over a deleted one (which
            // starts afresh), null is "not set".
            let afresh = write.existing.is_none_or(|existing| existing.fields.get("deleted") == Some(&Value::Bool(true)));
            if author == actor.user_id && owners.others_only.contains(&name) && !(afresh && value.is_null()) {
                return forbidden(format!("{name} of {collection} is set by someone other than its author"));
            }
        }
    }
    if let Some(existing) = write.existing
        && is_locked(collection, existing.fields)
    {
        return Err(Denied::Locked(collection));
    }
    Ok(())
}

/// The records `actor` may pull. `caseload` pairs each participant on a peer
/// worker's caseload with the fields of their sharing record.
pub fn pull_scopes(actor: &Actor, caseload: &[(String, Option<Map<String, Value>>)], today: NaiveDate) -> Vec<Scope> {
    match actor.role {
        Role::Admin => Vec::new(),
        Role::Participant => vec![Scope { participant_id: actor.user_id.clone(), collections: None }],
        Role::PeerWorker => caseload
            .iter()
            .map(|(participant_id, sharing)| Scope {
                participant_id: participant_id.clone(),
                collections: Some(
                    Collection::ALL.into_iter().filter(|c| visible(*c, sharing.as_ref(), today)).map(Collection::name).collect(),
                ),
            })
            .collect(),
    }
}

/// Whether a peer worker of the participant sees `collection`, given the
/// participant's sharing record.
pub fn visible(collection: Collection, sharing: Option<&Map<String, Value>>, today: NaiveDate) -> bool {
    collection.category() == Category::Always || (granted(collection, sharing) && !is_expired(sharing, today))
}

/// Whether the sharing record grants `collection`'s category, whatever its expiry.
fn granted(collection: Collection, sharing: Option<&Map<String, Value>>) -> bool {
    let Some(field) = sharing_field(collection.category()) else { return true };
    let Some(sharing) = sharing else { return false };
    let is_true = |name: &str| sharing.get(name).and_then(Value::as_bool).unwrap_or(false);
    !is_true("deleted") && is_true(field)
}

/// Whether a change to `collection` of a participant on `actor`'s caseload (or
/// of `actor` themself) is something `actor` may see: what the events stream
/// asks before waking a device.
pub fn may_see(
    actor: &Actor,
    participant_id: &str,
    collection: Collection,
    sharing: Option<&Map<String, Value>>,
    today: NaiveDate,
) -> bool {
    match actor.role {
        Role::Admin => false,
        Role::Participant => participant_id == actor.user_id,
        Role::PeerWorker => visible(collection, sharing, today),
    }
}

/// The collections a change of a sharing record from `before` to `after`
/// makes visible to the participant's peer workers.
pub fn newly_visible(before: &Map<String, Value>, after: &Map<String, Value>, today: NaiveDate) -> Vec<&'static str> {
    let before = (!before.is_empty()).then_some(before);
    Collection::ALL
        .into_iter()
        .filter(|c| c.category() != Category::Always && !visible(*c, before, today) && visible(*c, Some(after), today))
        .map(Collection::name)
        .collect()
}

/// The collections whose copies the participant's peer workers must purge
/// after a change of the sharing record from `before` to `after`: those it
/// granted (expired or not) and that are not visible now. Counting expired
/// grants means a device that missed the expiry still purges when the grant
/// is then withdrawn.
pub fn revoked(before: &Map<String, Value>, after: &Map<String, Value>, today: NaiveDate) -> Vec<&'static str> {
    let before = (!before.is_empty()).then_some(before);
    Collection::ALL
        .into_iter()
        .filter(|c| c.category() != Category::Always && granted(*c, before) && !visible(*c, Some(after), today))
        .map(Collection::name)
        .collect()
}

/// The collections a peer worker's devices purge on every pull while the
/// participant's sharing has expired: expiry is not an event, so it is
/// judged at pull time (by the server's UTC date). The protocol's rule, which
/// the devices apply too.
pub fn expired(sharing: Option<&Map<String, Value>>, today: NaiveDate) -> Vec<&'static str> {
    sharing::expired_collections(sharing, today)
}

/// The collections of a participant on a peer worker's caseload that the
/// peer worker may not see now: what their devices purge when a restored
/// server starts them again from the beginning.
pub fn hidden(sharing: Option<&Map<String, Value>>, today: NaiveDate) -> Vec<&'static str> {
    Collection::ALL.into_iter().filter(|c| !visible(*c, sharing, today)).map(Collection::name).collect()
}

/// What a peer worker's devices purge when the participant leaves their caseload: everything.
pub fn unassigned() -> Vec<&'static str> {
    Collection::ALL.into_iter().map(Collection::name).collect()
}

/// The categories shared now, by their sharing field names (`goals`, `check_ins`, …).
pub fn shared_categories(sharing: Option<&Map<String, Value>>, today: NaiveDate) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for collection in Collection::ALL {
        if let Some(field) = sharing_field(collection.category())
            && visible(collection, sharing, today)
            && !names.iter().any(|n| n == field)
        {
            names.push(field.to_owned());
        }
    }
    names
}

/// The sharing record's field for a category; `None` for `always`.
fn sharing_field(category: Category) -> Option<&'static str> {
    match category {
        Category::Always => None,
        Category::Goals => Some("goals"),
        Category::Milestones => Some("milestones"),
        Category::CheckIns => Some("check_ins"),
        Category::Coping => Some("coping"),
        Category::Contacts => Some("contacts"),
        Category::SafetyPlan => Some("safety_plan"),
        Category::Assessments => Some("assessments"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_default()
    }

    fn object(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn always_collections_are_visible_without_sharing() {
        assert!(visible(Collection::Messages, None, day("2026-11-23")));
        assert!(!visible(Collection::Goals, None, day("2026-11-23")));
    }

    #[test]
    fn sharing_ends_after_its_expiry_day() {
        let record = object(json!({"goals": true, "expires_on": "2026-11-23"}));
        assert!(visible(Collection::GoalProgress, Some(&record), day("2026-11-23")));
        assert!(!visible(Collection::GoalProgress, Some(&record), day("2026-11-24")));
        assert!(!visible(Collection::CheckIns, Some(&record), day("2026-11-23")));
        assert!(expired(Some(&record), day("2026-11-23")).is_empty());
        assert!(expired(Some(&record), day("2026-11-24")).contains(&"check_ins"));
    }

    #[test]
    fn a_deleted_sharing_record_shares_nothing() {
        let record = object(json!({"goals": true, "deleted": true}));
        assert!(!visible(Collection::Goals, Some(&record), day("2026-11-23")));
    }

    #[test]
    fn withdrawing_a_grant_revokes_it_even_after_expiry() {
        let today = day("2026-11-23");
        let granted = object(json!({"goals": true, "check_ins": true}));
        let fewer = object(json!({"goals": true, "check_ins": false}));
        assert_eq!(revoked(&granted, &fewer, today), ["check_ins"]);
        let expired = object(json!({"goals": true, "expires_on": "2026-01-01"}));
        let withdrawn = object(json!({"goals": false, "expires_on": "2030-01-01"}));
        assert_eq!(revoked(&expired, &withdrawn, today), ["goals", "goal_progress"]);
        assert!(revoked(&Map::new(), &granted, today).is_empty());
    }

    #[test]
    fn peers_set_only_the_status_of_reach_outs() {
        let peer = Actor { user_id: "p".into(), role: Role::PeerWorker };
        let caseload: HashSet<String> = ["x".to_owned()].into();
        let record = object(json!({"status": "open"}));
        let status = object(json!({"status": "acknowledged"}));
        let message = object(json!({"message": "hi"}));
        let existing = Some(Existing { author_id: "x", fields: &record });
        let write = |fields, existing| Write { collection: Collection::ReachOuts, participant_id: "x", existing, fields };
        let today = day("2026-11-23");
        assert!(may_write(&peer, &caseload, None, today, &write(&status, existing)).is_ok());
        assert!(may_write(&peer, &caseload, None, today, &write(&status, None)).is_err());
        assert!(may_write(&peer, &caseload, None, today, &write(&message, existing)).is_err());
    }

    #[test]
    fn message_fields_belong_to_author_or_reader() {
        let participant = Actor { user_id: "x".into(), role: Role::Participant };
        let peer = Actor { user_id: "p".into(), role: Role::PeerWorker };
        let caseload: HashSet<String> = ["x".to_owned()].into();
        let record = object(json!({"body": "hi", "sent_at": "2026-11-23T08:00:00Z"}));
        let by_participant = Some(Existing { author_id: "x", fields: &record });
        let body = object(json!({"body": "edited"}));
        let read = object(json!({"read_at": "2026-11-23T09:00:00Z"}));
        let write = |fields, existing| Write { collection: Collection::Messages, participant_id: "x", existing, fields };
        let today = day("2026-11-23");
        assert!(may_write(&participant, &caseload, None, today, &write(&body, by_participant)).is_ok());
        assert!(may_write(&participant, &caseload, None, today, &write(&read, by_participant)).is_err());
        assert!(may_write(&peer, &caseload, None, today, &write(&read, by_participant)).is_ok());
        assert!(may_write(&peer, &caseload, None, today, &write(&body, by_participant)).is_err());
        let unread = object(json!({"body": "new", "sent_at": "2026-11-23T08:00:00Z", "read_at": null}));
        assert!(may_write(&peer, &caseload, None, today, &write(&unread, None)).is_ok());
        assert!(may_write(&peer, &caseload, None, today, &write(&read, None)).is_err());
    }

    #[test]
    fn submitted_notes_are_locked() {
        let peer = Actor { user_id: "p".into(), role: Role::PeerWorker };
        let caseload: HashSet<String> = ["x".to_owned()].into();
        let submitted = object(json!({"status": "submitted"}));
        let edit = object(json!({"summary": "changed"}));
        let write = Write {
            collection: Collection::EncounterNotes,
            participant_id: "x",
            existing: Some(Existing { author_id: "p", fields: &submitted }),
            fields: &edit,
        };
        assert_eq!(may_write(&peer, &caseload, None, day("2026-11-23"), &write).map_err(|d| d.code()), Err(RejectionCode::Locked));
    }
}
