//! A server restored from a backup (protocol/README.md, "Restored servers").
//! The server says so on the pull page that starts again from the
//! beginning; the device then merges everything as usual (its own newer
//! values win here by LWW) and gives the server back what only it knew:
//! each field whose winning value this device wrote, unless the server shows
//! it has that value (or a later one) while the pull goes on.
//!
//! - When the restored page arrives, every field this device wrote is noted
//!   (`restore_fields`), but those of changes still in the outbox: pending
//!   ones go anyway, refused ones were refused. Changes refused since the
//!   last pull go again: the pass pushed them before it heard of the restore,
//!   and an edit of a record the backup lacks is refused until the record is
//!   made again.
//! - Each pulled change crosses off what it shows the server has, and marks
//!   its record as one the server holds (`restore_seen`).
//! - At the end of the pull, what is left goes to the outbox as new changes
//!   with the original HLCs, ahead of pending edits (which are later):
//!   - a record the server holds: those fields, one change per HLC;
//!   - a record the server lacks, made by this device's person: made again,
//!     with the other fields it needs to be made (PROTOCOL.md: a record's
//!     first change has its required fields);
//!   - a record the server lacks, made by someone else: its maker's devices
//!     make it again; the fields wait until a pull brings it.
//! - A purge takes the noted fields of what it purges into the outbox as
//!   refused (`consent_withdrawn`), as it does with pending edits: the person
//!   sees them and can send them again once sharing is back.

use std::collections::{BTreeMap, HashSet};

use rusqlite::{Connection, params};
use serde_json::{Map, Value};

use super::{outbox, rows};
use crate::change::Change;
use crate::error::Result;
use crate::hlc::Hlc;
use crate::schema::{Collection, FieldKind, is_locked};

/// Starts over: changes the restored server refused before the device
/// knew of the restore go again (an edit of a record the backup lacks is
/// refused until the record is made again); every field whose value this
/// device (`node`) wrote is noted, but those of outbox changes. A restore
/// heard of before is forgotten. Returns how many refused changes go again.
pub(super) fn begin(conn: &Connection, node: &str) -> Result<usize> {
    conn.execute_batch("DELETE FROM restore_fields; DELETE FROM restore_seen;")?;
    // Refused since the last pull, whose cursor the restored server just
    // answered: by the restored server (or, harmlessly, by the old one).
    let again = conn.execute(
        "UPDATE outbox SET state = 'pending', error_code = NULL, error_message = NULL, refused_after = NULL
         WHERE state = 'rejected' AND refused_after = (SELECT value FROM meta WHERE key = 'sync_cursor')",
        [],
    )?;
    let in_outbox: HashSet<(String, String)> = conn
        .prepare("SELECT record_id, hlc FROM outbox")?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let records: Vec<(String, String, String)> = conn
        .prepare("SELECT collection, record_id, clocks FROM records")?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut insert =
        conn.prepare_cached("INSERT OR REPLACE INTO restore_fields (collection, record_id, field, hlc) VALUES (?1, ?2, ?3, ?4)")?;
    for (collection, record_id, clocks) in records {
        let clocks: Map<String, Value> = serde_json::from_str(&clocks)?;
        for (field, hlc) in clocks.iter().filter_map(|(field, hlc)| Some((field, hlc.as_str()?))) {
            if Hlc::node_of(hlc) == Some(node) && !in_outbox.contains(&(record_id.clone(), hlc.to_owned())) {
                insert.execute(params![collection, record_id, field, hlc])?;
            }
        }
    }
    Ok(again)
}

/// Whether a restore is being followed through.
pub(super) fn is_active(conn: &Connection) -> Result<bool> {
    Ok(conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM restore_fields)")?.query_row([], |row| row.get(0))?)
}

/// Crosses off what pulled `changes` show the server has, and marks their
/// records as held by the server.
pub(super) fn note_pulled(conn: &Connection, changes: &[Change]) -> Result<()> {
    let mut seen = conn.prepare_cached("INSERT OR IGNORE INTO restore_seen (collection, record_id) VALUES (?1, ?2)")?;
    let mut has =
        conn.prepare_cached("DELETE FROM restore_fields WHERE collection = ?1 AND record_id = ?2 AND field = ?3 AND hlc <= ?4")?;
    for change in changes {
        seen.execute(params![change.collection, change.record_id])?;
        for field in change.fields.keys() {
            has.execute(params![change.collection, change.record_id, field, change.hlc])?;
        }
    }
    Ok(())
}

/// A record's noted fields that still hold this device's value as noted:
/// by name, the value and its HLC.
type Own = BTreeMap<String, (Value, String)>;

/// Noted fields by record (collection, record id): each field and its HLC.
type Noted = BTreeMap<(String, String), Vec<(String, String)>>;

/// The noted fields; with `filter` (collection, participant id), only
/// those of the participant's records of that collection.
fn noted(conn: &Connection, filter: Option<(&str, &str)>) -> Result<Noted> {
    let mut stmt = conn.prepare_cached(
        "SELECT f.collection, f.record_id, f.field, f.hlc FROM restore_fields f
         WHERE ?1 IS NULL OR (f.collection = ?1 AND EXISTS (
             SELECT 1 FROM records r WHERE r.collection = f.collection AND r.record_id = f.record_id AND r.participant_id = ?2))",
    )?;
    let (collection, participant_id) = filter.unzip();
    let mut rows = stmt.query(params![collection, participant_id])?;
    let mut by_record = Noted::new();
    while let Some(row) = rows.next()? {
        by_record.entry((row.get(0)?, row.get(1)?)).or_default().push((row.get(2)?, row.get(3)?));
    }
    Ok(by_record)
}

fn own_fields(row: &rows::Row, noted: &[(String, String)]) -> Own {
    noted
        .iter()
        .filter(|(field, hlc)| row.clocks.get(field).and_then(Value::as_str) == Some(hlc.as_str()))
        .filter_map(|(field, hlc)| Some((field.clone(), (row.fields.get(field)?.clone(), hlc.clone()))))
        .collect()
}

fn forget(conn: &Connection, collection: &str, record_id: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM restore_fields WHERE collection = ?1 AND record_id = ?2")?.execute(params![collection, record_id])?;
    Ok(())
}

/// At the end of a pull: queues what the server lacks (see the module's
/// words), ahead of pending edits. `me` is the signed-in person. Returns how
/// many changes were queued.
pub(super) fn push_again(conn: &Connection, me: Option<&str>) -> Result<usize> {
    let seen: HashSet<(String, String)> = conn
        .prepare("SELECT collection, record_id FROM restore_seen")?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut queued = Vec::new();
    for ((name, record_id), noted) in noted(conn, None)? {
        let Ok(collection) = name.parse::<Collection>() else {
            forget(conn, &name, &record_id)?;
            continue;
        };
        let Some(row) = rows::read(conn, collection, &record_id)? else {
            forget(conn, &name, &record_id)?;
            continue;
        };
        let own = own_fields(&row, &noted);
        let changes = if own.is_empty() {
            Vec::new()
        } else if seen.contains(&(name.clone(), record_id.clone())) {
            by_hlc(own.into_iter().map(|(field, (value, hlc))| (field, value, hlc)))
        } else if row.author_id.is_none() || row.author_id.as_deref() == me {
            // What the outbox will set anyway needs no change of its own.
            let queued: HashSet<String> = conn
                .prepare_cached("SELECT hlc FROM outbox WHERE record_id = ?1")?
                .query_map([&record_id], |row| row.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let mut changes = made_again(collection, &row, own);
            let first = (!changes.is_empty()).then(|| changes.remove(0));
            first.into_iter().chain(changes.into_iter().filter(|(hlc, _)| !queued.contains(hlc))).collect()
        } else {
            // Its maker's devices make it again; a later pull brings it.
            continue;
        };
        queued.extend(changes.into_iter().map(|(hlc, fields)| change(collection, &record_id, &row.participant_id, hlc, fields)));
        forget(conn, &name, &record_id)?;
    }
    // Records still waiting are, by now, ones the server has not sent.
    conn.execute("DELETE FROM restore_seen", [])?;
    outbox::insert_ahead(conn, &queued, None)?;
    Ok(queued.len())
}

/// Before a purge of `collection` of `participant_id`: the noted fields of
/// what it removes go to the outbox as refused with `reason`, so nothing
/// this device's person wrote is lost unseen. Returns how many changes.
pub(super) fn withdrawn(conn: &Connection, participant_id: &str, collection: Collection, reason: (&str, &str)) -> Result<usize> {
    let mut kept = Vec::new();
    for ((name, record_id), noted) in noted(conn, Some((collection.name(), participant_id)))? {
        if let Some(row) = rows::read(conn, collection, &record_id)? {
            let own = own_fields(&row, &noted);
            let groups = by_hlc(own.into_iter().map(|(field, (value, hlc))| (field, value, hlc)));
            kept.extend(groups.into_iter().map(|(hlc, fields)| change(collection, &record_id, &row.participant_id, hlc, fields)));
        }
        forget(conn, &name, &record_id)?;
    }
    outbox::insert_ahead(conn, &kept, Some(reason))?;
    Ok(kept.len())
}

/// Fields grouped into one change per HLC, oldest first.
fn by_hlc(fields: impl Iterator<Item = (String, Value, String)>) -> Vec<(String, Map<String, Value>)> {
    let mut groups: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
    for (field, value, hlc) in fields {
        groups.entry(hlc).or_default().insert(field, value);
    }
    groups.into_iter().collect()
}

/// The changes that make a record the server lacks again. Its first change
/// must carry every required field: it sets them all, as they are now, at
/// the oldest of their HLCs, and the changes after it set each again at its
/// own HLC, so the server ends with every field's true HLC. A submitted
/// note takes no change after its first: it goes whole, at its newest HLC
/// (nobody may edit it any more, so the HLCs of its fields no longer matter).
fn made_again(collection: Collection, row: &rows::Row, own: Own) -> Vec<(String, Map<String, Value>)> {
    let clock = |field: &str| row.clocks.get(field).and_then(Value::as_str).map(str::to_owned);
    if is_locked(collection, &row.fields) {
        let newest = row.fields.keys().filter_map(|field| clock(field)).max();
        return newest.map(|hlc| (hlc, row.fields.clone())).into_iter().collect();
    }
    let mut fields: Vec<(String, Value, String)> = own.into_iter().map(|(field, (value, hlc))| (field, value, hlc)).collect();
    for spec in collection.fields() {
        let needed = !spec.optional && spec.kind != FieldKind::Bool && !fields.iter().any(|(field, _, _)| field == spec.name);
        if let (true, Some(value), Some(hlc)) = (needed, row.fields.get(spec.name).filter(|v| !v.is_null()), clock(spec.name)) {
            fields.push((spec.name.to_owned(), value.clone(), hlc));
        }
    }
    let Some(oldest) = fields.iter().map(|(_, _, hlc)| hlc.clone()).min() else { return Vec::new() };
    let first: Map<String, Value> = fields.iter().map(|(field, value, _)| (field.clone(), value.clone())).collect();
    let mut changes = vec![(oldest.clone(), first)];
    changes.extend(by_hlc(fields.into_iter().filter(|(_, _, hlc)| *hlc != oldest)));
    changes
}

fn change(collection: Collection, record_id: &str, participant_id: &str, hlc: String, fields: Map<String, Value>) -> Change {
    Change {
        change_id: crate::ids::new_id(),
        collection: collection.name().to_owned(),
        record_id: record_id.to_owned(),
        participant_id: participant_id.to_owned(),
        hlc,
        fields,
        // What the writer saw then is not known any more: merged as a change
        // without it (PROTOCOL.md's plain last-writer-wins).
        base: None,
        author_id: None,
    }
}
