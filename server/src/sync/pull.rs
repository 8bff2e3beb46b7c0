//! Pull: pages of compacted changes from the records a user may see, in the
//! order they were last modified.

use std::collections::BTreeMap;

use alongside_core::Change;
use alongside_core::protocol::Purge;
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::cursor::Position;
use crate::policy::{self, Actor};
use crate::store::{Database, RecordKey, Role, Store, StoreResult, StoredRecord};

/// Namespace of the UUIDv5 ids of compacted changes.
const COMPACTED_CHANGE_NAMESPACE: Uuid = Uuid::from_u128(0x5e0f_7d2c_91a4_4b8e_a3c6_0d1f_2e9b_7c45);

/// One page of a pull.
#[derive(Debug, Clone, PartialEq)]
pub struct PullPage {
    pub changes: Vec<Change>,
    pub purge: Vec<Purge>,
    pub position: Position,
    pub has_more: bool,
}

/// The changes after `position` that `actor` may see, at most `limit` of them,
/// and what their devices must purge.
///
/// Purges: a revocation (sharing withdrawn, participant unassigned) has a seq
/// in the same order as records, and a page never crosses one: the page ends
/// with the records before it and carries the purge, so a device merges what
/// came before, purges, and only then receives records made visible again
/// later (which have later seqs). Expiry is no event: while a participant's
/// sharing has expired, every pull carries a purge of every shareable
/// collection of theirs (idempotent; nothing of them is sent meanwhile).
pub async fn pull(db: &Database, actor: &Actor, position: Position, limit: usize) -> StoreResult<PullPage> {
    let today = chrono::Utc::now().date_naive();
    let (caseload, revocations) = match actor.role {
        Role::PeerWorker => {
            let participants = db.caseload(&actor.user_id).await?;
            let keys: Vec<RecordKey> = participants.iter().map(|id| RecordKey::new("sharing", id)).collect();
            let mut sharing: BTreeMap<String, Map<String, Value>> =
                db.records(&keys).await?.into_iter().map(|r| (r.participant_id, r.fields)).collect();
            let caseload: Vec<(String, Option<Map<String, Value>>)> =
                participants.into_iter().map(|id| (id.clone(), sharing.remove(&id))).collect();
            (caseload, db.revocations(&actor.user_id, position.seq).await?)
        }
        Role::Participant | Role::Admin => (Vec::new(), Vec::new()),
    };
    let mut purge: Vec<Purge> = caseload
        .iter()
        .filter_map(|(participant_id, sharing)| {
            let collections = policy::expired(sharing.as_ref(), today);
            (!collections.is_empty()).then(|| Purge {
                participant_id: participant_id.clone(),
                collections: collections.into_iter().map(str::to_owned).collect(),
            })
        })
        .collect();
    let scopes = policy::pull_scopes(actor, &caseload, today);
    let rows =
        if scopes.is_empty() || limit == 0 { Vec::new() } else { db.pull(&scopes, position.seq, position.skip > 0, limit + 1).await? };
    let Some(first_revocation) = revocations.first().map(|r| r.seq) else {
        let (page, _) = page(&rows, position, limit);
        return Ok(with_purge(page, purge));
    };
    let before: Vec<StoredRecord> = rows.iter().filter(|r| r.seq < first_revocation).cloned().collect();
    let (mut page, complete) = page(&before, position, limit);
    if !complete {
        return Ok(with_purge(page, purge));
    }
    // Every record before the revocation is in this page: add the revocation
    // and any that follow it with no record between them.
    let next_record = rows.iter().map(|r| r.seq).find(|&seq| seq > first_revocation);
    let mut last = first_revocation;
    for revocation in revocations.iter().take_while(|r| next_record.is_none_or(|next| r.seq < next)) {
        purge.push(Purge { participant_id: revocation.participant_id.clone(), collections: revocation.collections.clone() });
        last = revocation.seq;
    }
    page.position = Position { seq: last, skip: 0 };
    page.has_more = next_record.is_some() || revocations.iter().any(|r| r.seq > last);
    Ok(with_purge(page, purge))
}

fn with_purge(page: PullPage, purge: Vec<Purge>) -> PullPage {
    PullPage { purge, ..page }
}

/// Cuts a page of at most `limit` changes from `rows` (ordered by seq, the
/// first possibly the partly sent record at `position`). Also says whether
/// every row went into the page.
fn page(rows: &[StoredRecord], position: Position, limit: usize) -> (PullPage, bool) {
    let mut changes = Vec::new();
    let mut last = position;
    for record in rows {
        let skip = if record.seq == position.seq { position.skip as usize } else { 0 };
        let groups = compact(record);
        let total = groups.len();
        for (index, change) in groups.into_iter().enumerate().skip(skip) {
            if changes.len() == limit {
                return (PullPage { changes, purge: Vec::new(), position: last, has_more: true }, false);
            }
            changes.push(change);
            let sent = u32::try_from(index + 1).unwrap_or(u32::MAX);
            last = Position { seq: record.seq, skip: if index + 1 == total { 0 } else { sent } };
        }
        if skip >= total {
            last = Position { seq: record.seq, skip: 0 };
        }
    }
    let has_more = rows.len() > limit;
    (PullPage { changes, purge: Vec::new(), position: last, has_more }, !has_more)
}

/// A record as changes: one per (HLC, author) among its winning fields, so every
/// field keeps the HLC it won with. Ordered by HLC, with deterministic ids.
pub fn compact(record: &StoredRecord) -> Vec<Change> {
    let mut groups: BTreeMap<(&str, &str), Map<String, Value>> = BTreeMap::new();
    for (name, value) in &record.fields {
        let Some(hlc) = record.clocks.get(name).and_then(Value::as_str) else {
            tracing::warn!(collection = %record.collection, field = %name, "stored field has no clock; not sent");
            continue;
        };
        let author = record.authors.get(name).and_then(Value::as_str).unwrap_or(&record.first_author_id);
        groups.entry((hlc, author)).or_default().insert(name.clone(), value.clone());
    }
    groups
        .into_iter()
        .map(|((hlc, author), fields)| {
            let name = format!("{}/{}/{}/{}", record.collection, record.record_id, hlc, author);
            Change {
                change_id: Uuid::new_v5(&COMPACTED_CHANGE_NAMESPACE, name.as_bytes()).to_string(),
                collection: record.collection.clone(),
                record_id: record.record_id.clone(),
                participant_id: record.participant_id.clone(),
                hlc: hlc.to_owned(),
                fields,
                author_id: Some(author.to_owned()),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record(seq: i64, fields: Value, clocks: Value) -> StoredRecord {
        let object = |v: Value| v.as_object().cloned().unwrap_or_default();
        let authors = object(clocks.clone()).keys().map(|k| (k.clone(), Value::from("author"))).collect();
        StoredRecord {
            collection: "goals".into(),
            record_id: format!("r{seq}"),
            participant_id: "p".into(),
            fields: object(fields),
            clocks: object(clocks),
            authors,
            first_author_id: "author".into(),
            seq,
        }
    }

    #[test]
    fn fields_that_won_at_different_clocks_stay_apart() {
        let r =
            record(1, json!({"title": "a", "status": "active", "area": "health"}), json!({"title": "h2", "status": "h1", "area": "h2"}));
        let changes = compact(&r);
        assert_eq!(changes.len(), 2);
        assert_eq!(changes[0].hlc, "h1");
        assert_eq!(changes[0].fields.len(), 1);
        assert_eq!(changes[1].hlc, "h2");
        assert_eq!(changes[1].fields.len(), 2);
        assert_eq!(compact(&r), changes, "ids are deterministic");
    }

    #[test]
    fn a_record_can_be_split_across_pages() {
        let rows = vec![
            record(5, json!({"title": "a", "status": "active"}), json!({"title": "h2", "status": "h1"})),
            record(6, json!({"title": "b"}), json!({"title": "h1"})),
        ];
        let (first, _) = page(&rows, Position::default(), 1);
        assert_eq!((first.changes.len(), first.position, first.has_more), (1, Position { seq: 5, skip: 1 }, true));
        let (second, _) = page(&rows, first.position, 1);
        assert_eq!((second.changes[0].hlc.as_str(), second.position, second.has_more), ("h2", Position { seq: 5, skip: 0 }, true));
        let (third, _) = page(&rows[1..], second.position, 1);
        assert_eq!((third.changes.len(), third.position, third.has_more), (1, Position { seq: 6, skip: 0 }, false));
    }
}
