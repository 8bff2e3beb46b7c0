//! Concurrent edits on this device (protocol/README.md, "Concurrent edits"):
//! what a write says its writer saw, and what a merge does when this device's
//! own edit of a text or a list lost to one made without seeing it. Lists are
//! merged and written again; text is kept as a [`Conflict`] the person sees
//! and settles.

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use serde_json::{Map, Value};

use super::write::{Stamp, Write, WriteKind, write_one};
use super::{Store, rows};
use crate::change::{Base, Change};
use crate::concurrent::{OnConcurrentEdit, merge_lists, missed};
use crate::error::{Error, Result};
use crate::hlc::Hlc;
use crate::lww;
use crate::schema::{Collection, is_locked, validate_change_fields};

/// This device's edit of one field that lost to a concurrent one, kept.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub id: String,
    pub participant_id: String,
    pub collection: Collection,
    pub record_id: String,
    pub field: String,
    /// What this device's person wrote.
    pub mine: Value,
    /// What the record holds instead.
    pub theirs: Value,
    /// Who wrote `theirs`, where known.
    pub their_author_id: Option<String>,
}

/// How the person settles a conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Settle {
    /// Put my version back (a new edit, which syncs like any other).
    KeepMine,
    /// Leave the record as it is; let mine go.
    KeepTheirs,
}

/// Whether `clock` (a field's HLC) was issued by the device `node`. Asked of
/// every pulled text and list field, so it reads the node without parsing
/// the whole HLC.
fn is_own(clock: Option<&Value>, node: &str) -> bool {
    clock.and_then(Value::as_str).and_then(Hlc::node_of).is_some_and(|own| own == node)
}

/// The `base` of the change `write` (stamped `hlc`) queues: for each field that carries one, the HLC of the value it replaces (null:
/// none). None for a new record of a fresh id, which no one else can have
/// edited. Notes too the values each list goes through, for a later merge.
pub(super) fn base_of(conn: &Connection, write: &Write<'_>, hlc: &str, existing: Option<&rows::Row>) -> Result<Option<Base>> {
    if existing.is_none() && !write.collection.is_singleton() {
        return Ok(None);
    }
    let mut base = Map::new();
    for (name, value) in write.fields {
        let Some(spec) = write.collection.field(name) else { continue };
        if !spec.kind.carries_base() {
            continue;
        }
        let clock = existing.and_then(|row| row.clocks.get(name));
        base.insert(name.clone(), clock.cloned().unwrap_or(Value::Null));
        if spec.kind.on_concurrent_edit() == OnConcurrentEdit::MergeLists {
            let before = existing.and_then(|row| row.fields.get(name)).filter(|v| v.is_array()).cloned().unwrap_or(Value::Array(vec![]));
            let key = |clock: Option<&Value>| clock.and_then(Value::as_str).unwrap_or("").to_owned();
            note_list(conn, write, name, &key(clock), &before)?;
            note_list(conn, write, name, hlc, value)?;
        }
    }
    Ok((!base.is_empty()).then(|| Base::compact(base)))
}

/// Notes that `field` of the record held `value` at `hlc` (kept if noted before).
fn note_list(conn: &Connection, write: &Write<'_>, field: &str, hlc: &str, value: &Value) -> Result<()> {
    conn.prepare_cached(
        "INSERT OR IGNORE INTO list_bases (collection, record_id, field, hlc, participant_id, value) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![write.collection.name(), write.record_id, field, hlc, write.participant_id, serde_json::to_string(value)?])?;
    Ok(())
}

/// A list this device writes again, merged, after its own edit lost.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct ListMerge {
    pub collection: Collection,
    pub record_id: String,
    pub participant_id: String,
    pub fields: Map<String, Value>,
}

/// Looks at a pulled `change` before it is merged into `row` (its record
/// here): for each field where it beats an edit of this device's that its
/// writer had not seen, keeps that edit as a conflict (text) or returns the
/// merged list to write (lists). Counts the conflicts kept in `kept`.
pub(super) fn before_merge(
    conn: &Connection,
    node: &str,
    collection: Collection,
    row: &rows::Row,
    change: &Change,
    kept: &mut usize,
) -> Result<Option<ListMerge>> {
    let Some(base) = change.base.as_ref() else { return Ok(None) };
    let mut merged = Map::new();
    // A note this change submits takes no more edits: keep mine instead.
    let status = change.fields.get("status").or_else(|| row.fields.get("status"));
    let locked_after = is_locked(collection, &status.map(|status| ("status".to_owned(), status.clone())).into_iter().collect());
    for (name, theirs) in &change.fields {
        let (Some(spec), Some(seen)) = (collection.field(name), base.seen(name)) else { continue };
        let rule = spec.kind.on_concurrent_edit();
        let clock = row.clocks.get(name);
        let local = clock.and_then(Value::as_str);
        let lost = rule != OnConcurrentEdit::LaterWins
            && is_own(clock, node)
            && local != Some(change.hlc.as_str())
            && missed(seen, local)
            && lww::wins(&change.hlc, theirs, local, row.fields.get(name));
        if rule == OnConcurrentEdit::MergeLists && !lost && lww::wins(&change.hlc, theirs, local, row.fields.get(name)) {
            // A value written having seen this device's: its list history is done.
            forget_lists(conn, collection, &change.record_id, name)?;
        }
        let Some(mine) = row.fields.get(name).filter(|mine| lost && *mine != theirs) else { continue };
        if rule == OnConcurrentEdit::MergeLists {
            let list = merged_list(conn, collection, &change.record_id, name, seen, mine, theirs)?;
            if list == *theirs {
                continue;
            }
            if !locked_after && validate_change_fields(collection, &Map::from_iter([(name.clone(), list.clone())]), false).is_ok() {
                merged.insert(name.clone(), list);
                continue;
            }
            // Too long or too short once merged, or locked: the winner stands, mine is kept.
        }
        keep(conn, collection, change, name, mine, theirs)?;
        *kept += 1;
    }
    Ok((!merged.is_empty()).then(|| ListMerge {
        collection,
        record_id: change.record_id.clone(),
        participant_id: change.participant_id.clone(),
        fields: merged,
    }))
}

/// The merge of `mine` and `theirs` against the value theirs was written
/// from (`seen`), as this device knew it; failing that, the value its own
/// edits started from; failing that, nothing (every item of both stays).
fn merged_list(
    conn: &Connection,
    collection: Collection,
    record_id: &str,
    field: &str,
    seen: Option<&str>,
    mine: &Value,
    theirs: &Value,
) -> Result<Value> {
    let ancestor: Option<String> = conn
        .prepare_cached(
            "SELECT value FROM list_bases WHERE collection = ?1 AND record_id = ?2 AND field = ?3
             ORDER BY hlc = ?4 DESC, hlc LIMIT 1",
        )?
        .query_row(params![collection.name(), record_id, field, seen.unwrap_or("")], |row| row.get(0))
        .optional()?;
    let ancestor: Vec<Value> = ancestor.map(|text| serde_json::from_str(&text)).transpose()?.unwrap_or_default();
    let items = |value: &Value| value.as_array().cloned().unwrap_or_default();
    Ok(Value::Array(merge_lists(&ancestor, &items(mine), &items(theirs))))
}

fn forget_lists(conn: &Connection, collection: Collection, record_id: &str, field: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM list_bases WHERE collection = ?1 AND record_id = ?2 AND field = ?3")?.execute(params![
        collection.name(),
        record_id,
        field
    ])?;
    Ok(())
}

fn keep(conn: &Connection, collection: Collection, change: &Change, field: &str, mine: &Value, theirs: &Value) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO conflicts (id, participant_id, collection, record_id, field, mine, theirs, their_author_id, their_hlc)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        crate::ids::new_id(),
        change.participant_id,
        collection.name(),
        change.record_id,
        field,
        serde_json::to_string(mine)?,
        serde_json::to_string(theirs)?,
        change.author_id,
        change.hlc,
    ])?;
    Ok(())
}

/// Writes the merged lists, each as a new edit of this device's (its HLC
/// later than everything merged, its base the value it merged with).
pub(super) fn write_merges(conn: &Connection, stamp: &mut Stamp<'_>, merges: &[ListMerge]) -> Result<usize> {
    let mut written = 0;
    for merge in merges {
        let write = Write {
            collection: merge.collection,
            record_id: &merge.record_id,
            participant_id: &merge.participant_id,
            fields: &merge.fields,
            kind: WriteKind::Merge,
            pinned: None,
        };
        written += usize::from(write_one(conn, stamp, &write)?);
    }
    Ok(written)
}

/// Removes what concurrent edits kept of withdrawn records.
pub(super) fn purge(conn: &Connection, participant_id: &str, collection: Collection) -> Result<usize> {
    let mut removed = 0;
    for table in ["conflicts", "list_bases"] {
        removed += conn.execute(
            &format!("DELETE FROM {table} WHERE participant_id = ?1 AND collection = ?2"),
            params![participant_id, collection.name()],
        )?;
    }
    Ok(removed)
}

const CONFLICT_COLUMNS: &str = "id, participant_id, collection, record_id, field, mine, theirs, their_author_id";

/// A conflict selected as [`CONFLICT_COLUMNS`]; `None` for a collection this
/// version does not know.
fn conflict_from_row(row: &rusqlite::Row<'_>) -> Result<Option<Conflict>> {
    let Ok(collection) = row.get::<_, String>(2)?.parse::<Collection>() else { return Ok(None) };
    Ok(Some(Conflict {
        id: row.get(0)?,
        participant_id: row.get(1)?,
        collection,
        record_id: row.get(3)?,
        field: row.get(4)?,
        mine: serde_json::from_str(&row.get::<_, String>(5)?)?,
        theirs: serde_json::from_str(&row.get::<_, String>(6)?)?,
        their_author_id: row.get(7)?,
    }))
}

impl Store {
    /// The participant's edits made on this device that lost to a concurrent
    /// edit, oldest first.
    pub fn conflicts(&self, participant_id: &str) -> Result<Vec<Conflict>> {
        Ok(self.all_conflicts()?.into_iter().filter(|conflict| conflict.participant_id == participant_id).collect())
    }

    /// Every edit made on this device that lost to a concurrent edit (of
    /// every participant whose records it holds), oldest first.
    pub fn all_conflicts(&self) -> Result<Vec<Conflict>> {
        let inner = self.lock();
        let mut stmt = inner.conn.prepare_cached(&format!("SELECT {CONFLICT_COLUMNS} FROM conflicts ORDER BY rowid"))?;
        let mut rows = stmt.query([])?;
        let mut conflicts = Vec::new();
        while let Some(row) = rows.next()? {
            conflicts.extend(conflict_from_row(row)?);
        }
        Ok(conflicts)
    }

    /// Settles a conflict: keeping mine writes it back as a new edit; either
    /// way the conflict is gone. Returns whose record and which collection.
    pub fn settle_conflict(&self, id: &str, settle: Settle) -> Result<(String, Collection)> {
        let mut inner = self.lock();
        let (conn, mut stamp) = inner.split();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let not_found = || Error::NotFound { collection: "conflicts".into(), id: id.to_owned() };
        let conflict = tx
            .query_row(&format!("SELECT {CONFLICT_COLUMNS} FROM conflicts WHERE id = ?1"), [id], |row| Ok(conflict_from_row(row)))
            .optional()?
            .transpose()?
            .flatten()
            .ok_or_else(not_found)?;
        let mut queued = 0;
        if settle == Settle::KeepMine {
            let fields = Map::from_iter([(conflict.field, conflict.mine)]);
            validate_change_fields(conflict.collection, &fields, false)?;
            let write = Write {
                collection: conflict.collection,
                record_id: &conflict.record_id,
                participant_id: &conflict.participant_id,
                fields: &fields,
                kind: WriteKind::Update,
                pinned: None,
            };
            queued += u64::from(write_one(&tx, &mut stamp, &write)?);
        }
        tx.execute("DELETE FROM conflicts WHERE id = ?1", [id])?;
        tx.commit()?;
        inner.committed(queued);
        Ok((conflict.participant_id, conflict.collection))
    }
}
