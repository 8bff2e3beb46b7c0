//! The typed API over records: create, update (only what changed), delete,
//! get and list. Each write validates, then commits the record and its outbox
//! entry in one transaction.

use rusqlite::{Connection, TransactionBehavior};
use serde_json::{Map, Value};

use super::{Store, concurrent, outbox, rows};
use crate::error::{Error, Result};
use crate::hlc::{Hlc, HlcClock};
use crate::model::Record;
use crate::schema::{Collection, FieldKind, Reason, Rejection, check_id, is_locked, validate_change_fields};

impl Store {
    /// Stores a new record. An empty `id` gets a fresh one; singleton
    /// collections (profile, sharing, safety plan) take the participant id.
    /// Returns the record as stored.
    pub fn create<R: Record>(&self, record: &R) -> Result<R> {
        let collection = R::COLLECTION;
        let participant_id = record.participant_id().to_owned();
        check_id("participant_id", &participant_id)?;
        let id = match record.id() {
            "" if collection.is_singleton() => participant_id.clone(),
            "" => crate::ids::new_id(),
            id if collection.is_singleton() && id != participant_id => {
                return Err(Error::validation("id", Reason::SingletonId { collection: collection.name() }));
            }
            id => {
                check_id("id", id)?;
                id.to_owned()
            }
        };
        let mut record = record.clone();
        record.set_keys(id.clone(), participant_id.clone());
        let mut fields = to_fields(&record)?;
        // Absent and null mean the same for a new record; send less.
        fields.retain(|_, value| !value.is_null());
        validate_change_fields(collection, &fields, true)?;
        self.write(collection, &id, &participant_id, &fields, WriteKind::Create)?;
        Ok(record)
    }

    /// Saves an edit: writes only the fields where `edited` differs from
    /// `original` (the record as the screen loaded it), so a field someone
    /// else changed meanwhile is not overwritten with a stale copy.
    pub fn update<R: Record>(&self, original: &R, edited: &R) -> Result<R> {
        if original.id() != edited.id() || original.participant_id() != edited.participant_id() {
            return Err(Error::validation("id", Reason::KeepsKeys));
        }
        let before = to_fields(original)?;
        let changed: Map<String, Value> = to_fields(edited)?.into_iter().filter(|(name, value)| before.get(name) != Some(value)).collect();
        if !changed.is_empty() {
            validate_change_fields(R::COLLECTION, &changed, false)?;
            self.write(R::COLLECTION, edited.id(), edited.participant_id(), &changed, WriteKind::Update)?;
        }
        self.get(edited.id())
    }

    /// Deletes a record (sets `deleted`; the deletion syncs like any edit).
    pub fn delete<R: Record>(&self, id: &str) -> Result<()> {
        let participant_id = self.get::<R>(id)?.participant_id().to_owned();
        let fields = Map::from_iter([("deleted".to_owned(), Value::Bool(true))]);
        self.write(R::COLLECTION, id, &participant_id, &fields, WriteKind::Update)
    }

    /// One live record.
    pub fn get<R: Record>(&self, id: &str) -> Result<R> {
        let not_found = || Error::NotFound { collection: R::COLLECTION.name().to_owned(), id: id.to_owned() };
        let row = rows::read(&self.lock().conn, R::COLLECTION, id)?.ok_or_else(not_found)?;
        if row.is_deleted() {
            return Err(not_found());
        }
        row.decode(id).ok_or_else(not_found)
    }

    /// The participant's live records of one collection.
    pub fn list<R: Record>(&self, participant_id: &str) -> Result<Vec<R>> {
        rows::list(&self.lock().conn, participant_id, None)
    }

    /// The participant's live records of one collection, each marked whether
    /// this device's person wrote it (records written here before sign-in
    /// count as theirs).
    pub fn list_with_mine<R: Record>(&self, participant_id: &str) -> Result<Vec<(R, bool)>> {
        let inner = self.lock();
        let records = rows::list_authored(&inner.conn, participant_id)?;
        Ok(records.into_iter().map(|(record, author)| (record, written_by(author.as_deref(), inner.me.as_deref()))).collect())
    }

    /// Whether this device's person wrote the record.
    pub fn is_mine<R: Record>(&self, id: &str) -> Result<bool> {
        let inner = self.lock();
        let row = rows::read(&inner.conn, R::COLLECTION, id)?
            .ok_or_else(|| Error::NotFound { collection: R::COLLECTION.name().to_owned(), id: id.to_owned() })?;
        Ok(written_by(row.author_id.as_deref(), inner.me.as_deref()))
    }

    /// Live records whose `status` is one of `statuses`, found by index.
    pub(crate) fn list_with_status<R: Record>(&self, participant_id: &str, statuses: &[&str]) -> Result<Vec<R>> {
        rows::list(&self.lock().conn, participant_id, Some(statuses))
    }

    /// Writes one record's fields with its outbox entry, in one transaction.
    pub(crate) fn write(
        &self,
        collection: Collection,
        record_id: &str,
        participant_id: &str,
        fields: &Map<String, Value>,
        kind: WriteKind,
    ) -> Result<()> {
        self.write_all(&[Write { collection, record_id, participant_id, fields, kind, pinned: None }])
    }

    /// Writes several records, each with its outbox entry, in one transaction:
    /// all of them or none.
    pub(crate) fn write_all(&self, writes: &[Write<'_>]) -> Result<()> {
        let mut inner = self.lock();
        let (conn, mut stamp) = inner.split();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut queued = 0;
        for write in writes {
            queued += u64::from(write_one(&tx, &mut stamp, write)?);
        }
        tx.commit()?;
        inner.committed(queued);
        Ok(())
    }
}

/// What the changes a write queues are stamped with, and by whom.
pub(super) struct Stamp<'a> {
    pub clock: &'a mut HlcClock,
    pub wall: fn() -> u64,
    pub me: Option<&'a str>,
}

/// Writes one record's fields with its outbox entry, inside the caller's
/// transaction. Returns whether a change was queued (seeding skips records
/// that exist). An error means nothing was written.
pub(super) fn write_one(tx: &Connection, stamp: &mut Stamp<'_>, write: &Write<'_>) -> Result<bool> {
    let existing = rows::read(tx, write.collection, write.record_id)?;
    if write.kind == WriteKind::IfAbsent && existing.is_some() {
        return Ok(false);
    }
    check_target(write.collection, write.record_id, write.participant_id, existing.as_ref(), write.kind)?;
    let (hlc, change_id) = match write.pinned {
        Some((hlc, change_id)) => (hlc.to_string(), change_id.to_owned()),
        None => (stamp.clock.tick((stamp.wall)()).to_string(), crate::ids::new_id()),
    };
    // A record made again with the id of a deleted one starts afresh: what
    // the new one leaves out is cleared, here and on every device.
    let (cleared, recreated);
    let write = match (&existing, write.kind) {
        (Some(_), WriteKind::Create) => {
            cleared = cleared_except(write.collection, write.fields);
            recreated = Write { fields: &cleared, ..*write };
            &recreated
        }
        _ => write,
    };
    let base = concurrent::base_of(tx, write, &hlc, existing.as_ref())?.map(|base| serde_json::to_string(&base)).transpose()?;
    let change_fields = serde_json::to_string(write.fields)?;
    write_row(tx, write, existing, stamp.me, &hlc, &change_fields)?;
    outbox::insert(tx, write, &change_id, &hlc, &change_fields, base.as_deref())?;
    Ok(true)
}

/// One record's part of a write.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Write<'a> {
    pub collection: Collection,
    pub record_id: &'a str,
    pub participant_id: &'a str,
    pub fields: &'a Map<String, Value>,
    pub kind: WriteKind,
    /// Pins the HLC and change id (seeding uses the lowest HLC, so any edit of
    /// the person's wins over it); otherwise the clock ticks.
    pub pinned: Option<(&'a Hlc, &'a str)>,
}

/// Whether a record by `author` is this device's person's: theirs when they
/// wrote it, or when it was written here before anyone signed in.
fn written_by(author: Option<&str>, me: Option<&str>) -> bool {
    author.is_none() || author == me
}

/// Whether a write makes a record or changes one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WriteKind {
    Create,
    Update,
    /// Create if absent; if the record exists, write nothing (seeding).
    IfAbsent,
    /// A merged list written back by a merge: the record exists, and may be
    /// deleted (restoring it brings the list back whole).
    Merge,
}

fn check_target(
    collection: Collection,
    record_id: &str,
    participant_id: &str,
    existing: Option<&rows::Row>,
    kind: WriteKind,
) -> Result<()> {
    match (existing, kind) {
        (Some(row), _) if row.participant_id != participant_id => {
            Err(Rejection::ParticipantMismatch { record_id: record_id.to_owned() }.into())
        }
        (Some(row), WriteKind::Create) if !row.is_deleted() => {
            Err(Error::validation("id", Reason::Exists { collection: collection.name() }))
        }
        (None, WriteKind::Update | WriteKind::Merge) => {
            Err(Error::NotFound { collection: collection.name().to_owned(), id: record_id.to_owned() })
        }
        // Deleted while the edit screen was open (by a merge, say): refuse
        // before writing, so an error always means nothing was written.
        (Some(row), WriteKind::Update) if row.is_deleted() => {
            Err(Error::NotFound { collection: collection.name().to_owned(), id: record_id.to_owned() })
        }
        (Some(row), _) if is_locked(collection, &row.fields) => Err(Rejection::Locked { collection }.into()),
        _ => Ok(()),
    }
}

fn write_row(
    conn: &Connection,
    write: &Write<'_>,
    existing: Option<rows::Row>,
    me: Option<&str>,
    hlc: &str,
    encoded_fields: &str,
) -> Result<()> {
    let Write { collection, record_id, participant_id, fields, .. } = *write;
    match existing {
        Some(mut row) => {
            row.apply(fields, hlc);
            rows::write(conn, collection, record_id, &row)
        }
        None => {
            // A new record is exactly its first change: reuse its encoding.
            let row = rows::Row { fields: fields.clone(), ..rows::Row::new(participant_id, me) };
            let clocks: Map<String, Value> = fields.keys().map(|name| (name.clone(), Value::from(hlc))).collect();
            rows::write_encoded(conn, collection, record_id, &row, encoded_fields, &serde_json::to_string(&clocks)?)
        }
    }
}

/// `fields`, plus every other field of the collection cleared: null, or
/// false for a bool.
fn cleared_except(collection: Collection, fields: &Map<String, Value>) -> Map<String, Value> {
    let mut all = fields.clone();
    for spec in collection.fields() {
        let cleared = if spec.kind == FieldKind::Bool { Value::Bool(false) } else { Value::Null };
        all.entry(spec.name).or_insert(cleared);
    }
    all
}

pub(crate) fn to_fields<R: Record>(record: &R) -> Result<Map<String, Value>> {
    match serde_json::to_value(record)? {
        Value::Object(fields) => Ok(fields),
        _ => Err(Error::Storage(format!("{} does not encode as an object", R::COLLECTION))),
    }
}
