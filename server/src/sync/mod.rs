//! Sync: the pure rules of a push ([`plan_push`]: given a snapshot, decide
//! results, writes, purges and audit) and of a pull page, and the services
//! that run them inside one storage transaction ([`push`], [`pull`]).

mod pull;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::Arc;

use alongside_protocol::Change;
use alongside_protocol::lww;
use alongside_protocol::protocol::{PushResult, PushStatus, RejectionBody};
use alongside_protocol::schema::{Reason, Rejection};
use chrono::NaiveDate;
use serde_json::{Map, Value};

pub use pull::{PullPage, compact, pull, read_page};

use crate::clock::Clock;
use crate::policy::{self, Actor, Denied};
use crate::store::queries;
use crate::store::{
    AuditAction, AuditRecord, Database, PushSnapshot, PushWrites, RecordKey, Role, StoreError, StoreResult, StoredRecord, has_uuid_ids,
    push_keys,
};

/// How far ahead of the server's clock an HLC may be (the protocol's rule).
pub const MAX_CLOCK_AHEAD_MS: i64 = alongside_protocol::hlc::MAX_CLOCK_AHEAD_MS as i64;

/// Who pushes, and when by the server's clock.
#[derive(Debug, Clone)]
pub struct PushContext {
    pub actor: Actor,
    pub now_ms: i64,
    /// Sharing expiry is judged by the server's UTC date.
    pub today: NaiveDate,
}

impl PushContext {
    pub fn at(actor: Actor, clock: &Clock) -> Self {
        PushContext { actor, now_ms: clock.now_ms(), today: clock.today() }
    }
}

/// Why one change was rejected, as its push result says it: a protocol
/// rejection code, words for people, the field at fault when it is one.
pub type ChangeRejection = RejectionBody;

impl From<Denied> for ChangeRejection {
    fn from(denied: Denied) -> Self {
        RejectionBody::new(denied.code(), denied.message())
    }
}

/// Applies a pushed batch in one transaction: locks the sequences of the
/// participants it names (pushes for others go on meanwhile), reads a
/// [`PushSnapshot`], lets [`plan_push`] decide, writes the outcome.
///
/// Two pushes for different participants that create the same record id at
/// once do not wait on each other; the second to commit breaks the record's
/// unique key. It is then decided again, once, on a snapshot that holds the
/// first one's record, so its pusher hears `participant_mismatch`, not a
/// server error.
///
/// The batch is shared, not copied: the caller keeps it (to announce what
/// was applied), and a second decision reads the same one.
pub async fn push(db: &Database, context: PushContext, changes: Arc<[Change]>) -> StoreResult<Vec<PushResult>> {
    match push_once(db, context.clone(), Arc::clone(&changes)).await {
        Err(StoreError::Unique) => push_once(db, context, changes).await,
        outcome => outcome,
    }
}

async fn push_once(db: &Database, context: PushContext, changes: Arc<[Change]>) -> StoreResult<Vec<PushResult>> {
    db.write(move |tx| {
        Box::pin(async move {
            let well_formed: Vec<&Change> = changes.iter().filter(|c| has_uuid_ids(c)).collect();
            let participants: Vec<String> = well_formed.iter().map(|c| c.participant_id.clone()).collect();
            let sequences = queries::lock_sequences(tx, &participants).await?;
            let ids: Vec<(String, String)> = well_formed.iter().map(|c| (c.participant_id.clone(), c.change_id.clone())).collect();
            let caseload_of = (context.actor.role == Role::PeerWorker).then_some(context.actor.user_id.as_str());
            let snapshot = queries::push_snapshot(tx, &ids, &push_keys(&changes), caseload_of).await?;
            let (results, writes) = plan_push(&context, &changes, snapshot);
            queries::write_push(tx, writes, sequences, context.now_ms).await?;
            Ok(results)
        })
    })
    .await
}

/// The audit entries of a pull: one per participant whose changes it sent.
pub fn pull_audit(actor: &Actor, changes: &[Change], now_ms: i64) -> Vec<AuditRecord> {
    let mut by_participant: BTreeMap<&str, (BTreeSet<String>, u64)> = BTreeMap::new();
    for change in changes {
        let (collections, count) = by_participant.entry(&change.participant_id).or_default();
        collections.insert(change.collection.clone());
        *count += 1;
    }
    by_participant
        .into_iter()
        .map(|(participant_id, (collections, count))| AuditRecord {
            at_ms: now_ms,
            actor_id: actor.user_id.clone(),
            actor_role: actor.role,
            action: AuditAction::Pull,
            participant_id: participant_id.to_owned(),
            collections: collections.into_iter().collect(),
            count,
        })
        .collect()
}

/// Decides every change of a batch against `snapshot`, in order, so a later
/// change sees what an earlier one of the same batch did. Returns one result
/// per change and what to write.
pub fn plan_push(context: &PushContext, changes: &[Change], snapshot: PushSnapshot) -> (Vec<PushResult>, PushWrites) {
    let PushSnapshot { mut applied, mut records, caseload } = snapshot;
    let mut results = Vec::with_capacity(changes.len());
    let mut modified: Vec<RecordKey> = Vec::new();
    let mut newly_applied = Vec::new();
    let mut redeliver = Vec::new();
    let mut revoke = Vec::new();
    let mut audit: BTreeMap<String, (BTreeSet<String>, u64)> = BTreeMap::new();

    for change in changes {
        let result = |status, error| PushResult { change_id: change.change_id.clone(), status, error };
        if applied.contains(&change.change_id) {
            results.push(result(PushStatus::Duplicate, None));
            continue;
        }
        let key = RecordKey::of(change);
        if let Err(rejection) = judge(context, &caseload, &records, change) {
            results.push(result(PushStatus::Rejected, Some(rejection)));
            continue;
        }
        let author = context.actor.user_id.as_str();
        let record = records.entry(key.clone()).or_insert_with(|| StoredRecord {
            collection: change.collection.clone(),
            record_id: change.record_id.clone(),
            participant_id: change.participant_id.clone(),
            fields: Map::new(),
            clocks: Map::new(),
            authors: Map::new(),
            first_author_id: author.to_owned(),
            seq: 0,
            bases: Map::new(),
        });
        let sharing_before = (key.collection == "sharing").then(|| record.fields.clone());
        if apply_change(record, change, author) {
            if let Some(before) = sharing_before {
                // Purges first, then redelivery: a batch that withdraws and
                // grants again ends with the records delivered.
                let closed = policy::revoked(&before, &record.fields, context.today);
                if !closed.is_empty() {
                    revoke.push((record.participant_id.clone(), closed));
                }
                let opened = policy::newly_visible(&before, &record.fields, context.today);
                if !opened.is_empty() {
                    redeliver.push((record.participant_id.clone(), opened));
                }
            }
            modified.retain(|k| k != &key);
            modified.push(key);
        }
        let (collections, count) = audit.entry(change.participant_id.clone()).or_default();
        collections.insert(change.collection.clone());
        *count += 1;
        applied.insert(change.change_id.clone());
        newly_applied.push((change.participant_id.clone(), change.change_id.clone()));
        results.push(result(PushStatus::Applied, None));
    }

    let records = modified.into_iter().filter_map(|key| records.remove(&key)).collect();
    let audit = audit
        .into_iter()
        .map(|(participant_id, (collections, count))| AuditRecord {
            at_ms: context.now_ms,
            actor_id: context.actor.user_id.clone(),
            actor_role: context.actor.role,
            action: AuditAction::Push,
            participant_id,
            collections: collections.into_iter().collect(),
            count,
        })
        .collect();
    (results, PushWrites { records, applied: newly_applied, redeliver, revoke, audit })
}

/// Every rule a change must pass, in an order that tells the pusher the most
/// useful thing first: shape and values, clock, permission, ownership.
fn judge(
    context: &PushContext,
    caseload: &HashSet<String>,
    records: &std::collections::HashMap<RecordKey, StoredRecord>,
    change: &Change,
) -> Result<(), ChangeRejection> {
    let existing = records.get(&RecordKey::of(change));
    let creating = existing.is_none();
    let checked = change.check(creating)?;
    let ms = i64::try_from(checked.hlc.ms).unwrap_or(i64::MAX);
    if ms > context.now_ms.saturating_add(MAX_CLOCK_AHEAD_MS) {
        return Err(Rejection::invalid("hlc", Reason::HlcAhead).into());
    }
    if let Some(existing) = existing
        && existing.participant_id != change.participant_id
    {
        // Judged before permission: the permission rules would otherwise
        // look at the other participant's record.
        if policy::may_write(&context.actor, caseload, None, context.today, &creating_write(checked.collection, change)).is_err() {
            return Err(Denied::Forbidden("you may not write this participant's records".into()).into());
        }
        return Err(Rejection::ParticipantMismatch { record_id: change.record_id.clone() }.into());
    }
    let sharing = records.get(&RecordKey::new("sharing", &change.participant_id)).map(|r| &r.fields);
    let write = policy::Write {
        collection: checked.collection,
        participant_id: &change.participant_id,
        existing: existing.map(|r| policy::Existing { author_id: &r.first_author_id, fields: &r.fields }),
        fields: &change.fields,
    };
    policy::may_write(&context.actor, caseload, sharing, context.today, &write)?;
    Ok(())
}

/// `change` as if it created its record: for the ownership check of a change
/// naming another participant.
fn creating_write(collection: alongside_protocol::schema::Collection, change: &Change) -> policy::Write<'_> {
    policy::Write { collection, participant_id: &change.participant_id, existing: None, fields: &change.fields }
}

/// Merges `change` into `record` by the protocol's per-field LWW and credits
/// `author` with the fields it won. Returns whether the record changed.
fn apply_change(record: &mut StoredRecord, change: &Change, author: &str) -> bool {
    let before: Vec<(Option<Value>, Option<Value>)> =
        change.fields.keys().map(|name| (record.fields.get(name).cloned(), record.clocks.get(name).cloned())).collect();
    if !lww::apply(&mut record.fields, &mut record.clocks, &change.fields, &change.hlc) {
        return false;
    }
    let collection = change.collection.parse::<alongside_protocol::schema::Collection>().ok();
    let carries_base = |name: &str| collection.is_some_and(|c| c.carries_base(name));
    for (name, (value, clock)) in change.fields.keys().zip(before) {
        if record.fields.get(name) != value.as_ref() || record.clocks.get(name) != clock.as_ref() {
            record.authors.insert(name.clone(), Value::from(author));
            // The field's base travels with the value that won.
            match change.base.as_ref().and_then(|base| base.seen(name)).filter(|_| carries_base(name)) {
                Some(seen) => record.bases.insert(name.clone(), seen.map_or(Value::Null, Value::from)),
                None => record.bases.remove(name),
            };
        }
    }
    true
}
