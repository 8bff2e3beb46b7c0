//! Pull: pages of compacted changes from the records a user may see, each
//! page read from one snapshot of the database.
//!
//! Every participant's records and purges form one order (their sequence); a
//! cursor holds a position in each order the device follows. A page walks the
//! participants by id and takes from each what comes next, until it is full.

use std::collections::{BTreeMap, HashMap};

use alongside_protocol::care::Care;
use alongside_protocol::protocol::Purge;
use alongside_protocol::schema::Collection;
use alongside_protocol::{Base, Change};
use chrono::NaiveDate;
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::cursor::{Cursor, Position, Positions};
use crate::policy::{self, Actor};
use crate::store::queries::{self, PurgeRow};
use crate::store::{Database, Executor, Role, StoreResult, StoredRecord};

/// Namespace of the UUIDv5 ids of compacted changes.
const COMPACTED_CHANGE_NAMESPACE: Uuid = Uuid::from_u128(0x5e0f_7d2c_91a4_4b8e_a3c6_0d1f_2e9b_7c45);

/// The schema version that began per-participant orders; a version 1 cursor
/// is read against when it was reached.
const PER_PARTICIPANT_SCHEMA: i64 = 3;

/// One page of a pull.
#[derive(Debug, Clone, PartialEq)]
pub struct PullPage {
    pub changes: Vec<Change>,
    pub purge: Vec<Purge>,
    pub cursor: Cursor,
    pub has_more: bool,
    /// For a participant, on the last page: whom they can reach for help.
    pub care: Option<Care>,
    /// The cursor was of a history this server does not hold (it was
    /// restored from a backup since): the page starts again from the
    /// beginning (protocol/README.md "Restored servers").
    pub restored: bool,
}

/// The changes after `cursor` that `actor` may see, at most `limit` of them,
/// and what their devices must purge, read in one snapshot: a withdrawal of
/// sharing commits wholly before the page or wholly after it.
///
/// Purges:
/// - Sharing withdrawn: a purge has a seq in the participant's order, and a
///   page never crosses one: that participant's part of the page ends with
///   the records before it and carries the purge, so a device merges what came
///   before, purges, and only then receives records shared again later
///   (which have later seqs).
/// - Left the caseload: the cursor names a participant who is not on the
///   caseload any more; the page purges everything of theirs and the next
///   cursor forgets them.
/// - Expiry is no event: while a participant's sharing has expired, every
///   pull carries a purge of every shareable collection of theirs
///   (idempotent; nothing of them is sent meanwhile).
/// - Restored: the server may have lost a withdrawal the device heard of, or
///   hold one the device never heard of; the page that starts again purges
///   every collection the peer worker may not see now.
pub async fn pull(db: &Database, actor: &Actor, cursor: Cursor, limit: usize, today: NaiveDate) -> StoreResult<PullPage> {
    let actor = actor.clone();
    let history = db.history();
    db.read(move |tx| Box::pin(async move { read_page(tx, &actor, history, cursor, limit, today).await })).await
}

/// What a page is cut from, for one participant the actor follows.
struct Stream {
    participant_id: String,
    /// `None`: every collection.
    collections: Option<Vec<&'static str>>,
    position: Position,
}

/// One page, read on `tx`, of the server whose history is `history`.
pub async fn read_page(
    tx: &mut dyn Executor,
    actor: &Actor,
    history: Uuid,
    cursor: Cursor,
    limit: usize,
    today: NaiveDate,
) -> StoreResult<PullPage> {
    let assigned = match actor.role {
        Role::PeerWorker => queries::caseload_with_sharing(tx, &actor.user_id).await?,
        Role::Participant | Role::Admin => Vec::new(),
    };
    let mut positions = match (actor.role, cursor.positions) {
        (Role::Admin, _) => BTreeMap::new(),
        (_, Positions::Streams(positions)) => positions,
        (Role::PeerWorker, Positions::Legacy(position)) => legacy_positions(tx, actor, &assigned, position).await?,
        (Role::Participant, Positions::Legacy(position)) => BTreeMap::from([(actor.user_id.clone(), position)]),
    };
    let restored = cursor.history.is_some_and(|given| given != history) || is_beyond_the_end(tx, &positions).await?;
    if restored {
        // From the beginning, still naming whom the device holds, so that
        // someone no longer on the caseload is purged. The order's purges so
        // far are past: this page purges whatever is hidden now, and a purge
        // of a collection shared again since would drop the device's own
        // edits before it could push them again.
        let ids: Vec<String> = positions.keys().cloned().collect();
        let last = queries::last_seqs(tx, &ids).await?;
        for (id, position) in &mut positions {
            *position = Position { seq: 0, skip: 0, purges_after: last.get(id).copied().unwrap_or(0) };
        }
    }
    let mut purge = Vec::new();
    let caseload: Vec<(String, Option<Map<String, Value>>)> = assigned.into_iter().map(|row| (row.participant_id, row.sharing)).collect();
    if actor.role == Role::PeerWorker {
        for participant_id in positions.keys().filter(|id| !caseload.iter().any(|(c, _)| c == *id)) {
            purge.push(Purge { participant_id: participant_id.clone(), collections: names(policy::unassigned()) });
        }
        for (participant_id, sharing) in &caseload {
            let unseen = if restored { policy::hidden(sharing.as_ref(), today) } else { policy::expired(sharing.as_ref(), today) };
            if !unseen.is_empty() {
                purge.push(Purge { participant_id: participant_id.clone(), collections: names(unseen) });
            }
        }
    }
    let streams: Vec<Stream> = policy::pull_scopes(actor, &caseload, today)
        .into_iter()
        .map(|scope| Stream {
            position: positions.get(&scope.participant_id).copied().unwrap_or_default(),
            participant_id: scope.participant_id,
            collections: scope.collections,
        })
        .collect();
    let ids: Vec<String> = streams.iter().map(|s| s.participant_id.clone()).collect();
    let lowest = streams.iter().map(|s| s.position.seq).min().unwrap_or(0);
    // Purges are what a participant's peer workers must drop; the
    // participant's own devices keep their records.
    let mut purges: HashMap<String, Vec<PurgeRow>> = HashMap::new();
    if actor.role == Role::PeerWorker {
        for row in queries::purges_after(tx, &ids, lowest).await? {
            purges.entry(row.participant_id.clone()).or_default().push(row);
        }
    }

    let mut changes = Vec::new();
    let mut next = BTreeMap::new();
    let mut has_more = false;
    for stream in &streams {
        let pending: Vec<PurgeRow> =
            purges.remove(&stream.participant_id).unwrap_or_default().into_iter().filter(|p| p.seq > stream.position.purged_to()).collect();
        let room = limit.saturating_sub(changes.len());
        let position = stream.position;
        let collections = stream.collections.as_deref();
        if room == 0 {
            // The page is full: only whether more waits is still to learn.
            if !has_more {
                let more = queries::records_after(tx, &stream.participant_id, collections, position.seq, position.skip > 0, 1).await?;
                has_more = !pending.is_empty() || more.iter().any(|r| r.seq > position.seq || position.skip > 0);
            }
            next.insert(stream.participant_id.clone(), position);
            continue;
        }
        let rows = queries::records_after(tx, &stream.participant_id, collections, position.seq, position.skip > 0, room + 1).await?;
        let part = stream_page(&rows, &pending, position, room);
        changes.extend(part.changes);
        purge.extend(part.purge);
        has_more |= !part.complete;
        next.insert(stream.participant_id.clone(), part.position);
    }
    // Read in the same snapshot, so a phone never hears of a peer worker
    // newer than the records it holds.
    let care = if actor.role == Role::Participant && !has_more { Some(queries::care(tx, &actor.user_id).await?) } else { None };
    Ok(PullPage { changes, purge, cursor: Cursor::in_history(history, next), has_more, care, restored })
}

/// Whether a position lies past the last seq the participant's order has
/// handed out: the device followed a history this database does not hold
/// (restored from a backup by a path that gave it no new history).
async fn is_beyond_the_end(tx: &mut dyn Executor, positions: &BTreeMap<String, Position>) -> StoreResult<bool> {
    let named: Vec<String> = positions.iter().filter(|(_, p)| p.purged_to() > 0).map(|(id, _)| id.clone()).collect();
    if named.is_empty() {
        return Ok(false);
    }
    let last = queries::last_seqs(tx, &named).await?;
    Ok(positions.iter().any(|(id, position)| position.purged_to() > last.get(id).copied().unwrap_or(0)))
}

fn names(collections: Vec<&'static str>) -> Vec<String> {
    collections.into_iter().map(str::to_owned).collect()
}

/// Reads a version 1 cursor: its position holds for each participant the
/// device had then (on the caseload from before the upgrade, or told to purge
/// since), and a participant assigned since starts at the beginning.
async fn legacy_positions(
    tx: &mut dyn Executor,
    actor: &Actor,
    assigned: &[queries::CaseloadRow],
    position: Position,
) -> StoreResult<BTreeMap<String, Position>> {
    let upgraded_at = queries::migrated_at(tx, PER_PARTICIPANT_SCHEMA).await?.unwrap_or(i64::MAX);
    let mut positions: BTreeMap<String, Position> =
        assigned.iter().filter(|row| row.assigned_at_ms <= upgraded_at).map(|row| (row.participant_id.clone(), position)).collect();
    for participant_id in queries::legacy_revoked(tx, &actor.user_id, position.seq).await? {
        positions.entry(participant_id).or_insert(position);
    }
    Ok(positions)
}

/// One participant's part of a page.
#[derive(Debug)]
struct StreamPage {
    changes: Vec<Change>,
    purge: Vec<Purge>,
    position: Position,
    /// Everything of this participant up to now is in the page.
    complete: bool,
}

/// Cuts one participant's part of a page from `rows` (by seq, after
/// `position`, one more than `limit` if there are that many) and `purges`
/// (by seq, after `position`): the records before the first purge, then, if
/// they all fit, the purges up to the next record.
fn stream_page(rows: &[StoredRecord], purges: &[PurgeRow], position: Position, limit: usize) -> StreamPage {
    let Some(first_purge) = purges.first().map(|p| p.seq) else {
        let (changes, position, complete) = page(rows, position, limit);
        return StreamPage { changes, purge: Vec::new(), position, complete };
    };
    let before: Vec<StoredRecord> = rows.iter().filter(|r| r.seq < first_purge).cloned().collect();
    let (changes, mut position, complete) = page(&before, position, limit);
    if !complete {
        return StreamPage { changes, purge: Vec::new(), position, complete };
    }
    let next_record = rows.iter().map(|r| r.seq).find(|&seq| seq > first_purge);
    let mut purge = Vec::new();
    for row in purges.iter().take_while(|p| next_record.is_none_or(|next| p.seq < next)) {
        purge.push(Purge { participant_id: row.participant_id.clone(), collections: row.collections.clone() });
        position = Position { seq: row.seq, skip: 0, ..position };
    }
    let complete = next_record.is_none() && purges.iter().all(|p| p.seq <= position.seq);
    StreamPage { changes, purge, position, complete }
}

/// Cuts at most `limit` changes from `rows` (ordered by seq, the first
/// possibly the partly sent record at `position`). Returns them, the position
/// after them, and whether every row went in.
fn page(rows: &[StoredRecord], position: Position, limit: usize) -> (Vec<Change>, Position, bool) {
    let mut changes = Vec::new();
    let mut last = position;
    for record in rows {
        let skip = if record.seq == position.seq { position.skip as usize } else { 0 };
        let groups = compact(record);
        let total = groups.len();
        for (index, change) in groups.into_iter().enumerate().skip(skip) {
            if changes.len() == limit {
                return (changes, last, false);
            }
            changes.push(change);
            let sent = u32::try_from(index + 1).unwrap_or(u32::MAX);
            last = Position { seq: record.seq, skip: if index + 1 == total { 0 } else { sent }, ..position };
        }
        if skip >= total {
            last = Position { seq: record.seq, skip: 0, ..position };
        }
    }
    (changes, last, rows.len() <= limit)
}

/// A record as changes: one per (HLC, author) among its winning fields, so every
/// field keeps the HLC it won with. Ordered by HLC, with deterministic ids.
pub fn compact(record: &StoredRecord) -> Vec<Change> {
    let collection = record.collection.parse::<Collection>().ok();
    let carries_base = |name: &str| collection.is_some_and(|c| c.carries_base(name));
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
            let base: Map<String, Value> =
                fields.keys().filter_map(|name| record.bases.get(name).map(|seen| (name.clone(), seen.clone()))).collect();
            // One HLC may stand for all only when every field that carries a
            // base has one.
            let every_base_known = fields.keys().all(|name| record.bases.contains_key(name) || !carries_base(name));
            let name = format!("{}/{}/{}/{}", record.collection, record.record_id, hlc, author);
            Change {
                change_id: Uuid::new_v5(&COMPACTED_CHANGE_NAMESPACE, name.as_bytes()).to_string(),
                collection: record.collection.clone(),
                record_id: record.record_id.clone(),
                participant_id: record.participant_id.clone(),
                hlc: hlc.to_owned(),
                fields,
                base: (!base.is_empty()).then(|| if every_base_known { Base::compact(base) } else { Base::Fields(base) }),
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
            bases: Map::new(),
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
        let (first, at, complete) = page(&rows, Position::default(), 1);
        assert_eq!((first.len(), at, complete), (1, Position::at(5, 1), false));
        let (second, at, complete) = page(&rows, at, 1);
        assert_eq!((second[0].hlc.as_str(), at, complete), ("h2", Position::at(5, 0), false));
        let (third, at, complete) = page(&rows[1..], at, 1);
        assert_eq!((third.len(), at, complete), (1, Position::at(6, 0), true));
    }
}
