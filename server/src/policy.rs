//! Who may read and write which records: the one place permissions are
//! decided. Push asks [`may_write`] for each change; pull asks [`pull_scopes`]
//! which records a user may see.
//!
//! - A participant reads and writes their own records, except encounter notes,
//!   which only peer workers write.
//! - A peer worker reads and writes the records of participants on their
//!   caseload, in collections of category `always` or of a category the
//!   participant currently shares (their `sharing` record, until `expires_on`),
//!   and only collections the protocol lets a peer write: reach-outs are
//!   created by the participant and a peer sets only their status.
//! - Admins manage users and caseloads; they do not sync records.

use std::collections::HashSet;

use alongside_core::schema::{Category, Collection};
use chrono::NaiveDate;
use serde_json::{Map, Value};

use crate::store::{Role, Scope};

/// The user a request acts for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: String,
    pub role: Role,
}

/// A refusal, in words for people; the protocol code is `forbidden`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Denied(pub String);

/// One change as the policy sees it.
#[derive(Debug)]
pub struct Write<'a> {
    pub collection: Collection,
    pub participant_id: &'a str,
    /// Whether the change creates the record.
    pub creating: bool,
    pub fields: &'a Map<String, Value>,
}

/// Who writes a collection, per the protocol's "who writes" column.
enum Writers {
    Participant,
    ParticipantAndPeer,
    Peer,
    /// The participant creates; a peer worker sets only these fields.
    ParticipantCreatesPeerSets(&'static [&'static str]),
}

fn writers(collection: Collection) -> Writers {
    match collection {
        Collection::Profile | Collection::Sharing | Collection::RecoveryPeriods | Collection::CopingUses | Collection::CheckIns => {
            Writers::Participant
        }
        Collection::Goals
        | Collection::GoalProgress
        | Collection::Milestones
        | Collection::CopingStrategies
        | Collection::Contacts
        | Collection::SafetyPlan
        | Collection::Assessments
        | Collection::Messages => Writers::ParticipantAndPeer,
        Collection::EncounterNotes => Writers::Peer,
        Collection::ReachOuts => Writers::ParticipantCreatesPeerSets(&["status", "acknowledged_at", "resolved_at"]),
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
        Role::Admin => Err(Denied("admins do not sync participant records".into())),
        Role::Participant => {
            if write.participant_id != actor.user_id {
                Err(Denied("a participant writes only their own records".into()))
            } else if matches!(writers(collection), Writers::Peer) {
                Err(Denied(format!("only peer workers write {collection}")))
            } else {
                Ok(())
            }
        }
        Role::PeerWorker => {
            if !caseload.contains(write.participant_id) {
                return Err(Denied("the participant is not on your caseload".into()));
            }
            if !visible(collection, sharing, today) {
                return Err(Denied(format!("the participant does not share {collection} with you")));
            }
            match writers(collection) {
                Writers::Participant => Err(Denied(format!("only the participant writes {collection}"))),
                Writers::ParticipantCreatesPeerSets(_) if write.creating => {
                    Err(Denied(format!("only the participant creates {collection}")))
                }
                Writers::ParticipantCreatesPeerSets(allowed) => match write.fields.keys().find(|name| !allowed.contains(&name.as_str())) {
                    Some(name) => Err(Denied(format!("a peer worker may not set {name} of {collection}"))),
                    None => Ok(()),
                },
                Writers::ParticipantAndPeer | Writers::Peer => Ok(()),
            }
        }
    }
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
    let Some(field) = sharing_field(collection.category()) else { return true };
    let Some(sharing) = sharing else { return false };
    let is_true = |name: &str| sharing.get(name).and_then(Value::as_bool).unwrap_or(false);
    if is_true("deleted") {
        return false;
    }
    // "After it, nothing is shared": the expiry day itself still is.
    let expired = sharing
        .get("expires_on")
        .and_then(Value::as_str)
        .and_then(|date| NaiveDate::parse_from_str(date, "%Y-%m-%d").ok())
        .is_some_and(|expires_on| today > expires_on);
    !expired && is_true(field)
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

    fn sharing(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn always_collections_are_visible_without_sharing() {
        assert!(visible(Collection::Messages, None, day("2026-11-23")));
        assert!(!visible(Collection::Goals, None, day("2026-11-23")));
    }

    #[test]
    fn sharing_ends_after_its_expiry_day() {
        let record = sharing(json!({"goals": true, "expires_on": "2026-11-23"}));
        assert!(visible(Collection::GoalProgress, Some(&record), day("2026-11-23")));
        assert!(!visible(Collection::GoalProgress, Some(&record), day("2026-11-24")));
        assert!(!visible(Collection::CheckIns, Some(&record), day("2026-11-23")));
    }

    #[test]
    fn a_deleted_sharing_record_shares_nothing() {
        let record = sharing(json!({"goals": true, "deleted": true}));
        assert!(!visible(Collection::Goals, Some(&record), day("2026-11-23")));
    }

    #[test]
    fn peers_set_only_the_status_of_reach_outs() {
        let peer = Actor { user_id: "p".into(), role: Role::PeerWorker };
        let caseload: HashSet<String> = ["x".to_owned()].into();
        let status = sharing(json!({"status": "acknowledged"}));
        let message = sharing(json!({"message": "hi"}));
        let write = |fields, creating| Write { collection: Collection::ReachOuts, participant_id: "x", creating, fields };
        let today = day("2026-11-23");
        assert!(may_write(&peer, &caseload, None, today, &write(&status, false)).is_ok());
        assert!(may_write(&peer, &caseload, None, today, &write(&status, true)).is_err());
        assert!(may_write(&peer, &caseload, None, today, &write(&message, false)).is_err());
    }
}
