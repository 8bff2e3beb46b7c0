//! Properties of merging (PROTOCOL.md: per-field last-writer-wins by HLC,
//! deletion as a field, a record's participant fixed), checked on real stores:
//!
//! - any order, repetition and batching of the same changes gives the same
//!   state, and that state is the one an independent LWW model computes;
//! - local edits and remote changes merge field by field;
//! - two devices that edit independently and swap their outboxes converge;
//! - a change that reuses a record id with another participant is rejected and
//!   changes nothing.
//!
//! The generators only make values PROTOCOL.md allows: validation has its own
//! tests, here every change must merge.

mod common;

use std::path::PathBuf;

use alongside_core::codes::RejectionCode;
use alongside_core::hlc::{Hlc, wall_clock_ms};
use alongside_core::model::{CheckIn, Contact, Goal, Record};
use alongside_core::schema::{Collection, FieldKind, FieldSpec, Rejection};
use alongside_core::{Change, Error, Store};
use common::fixtures::{KEY, new_id, open_store, store_path, utc};
use common::{Dump, Rng, dump_meta, dump_records, lww_model, open_raw};
use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use proptest::sample::{select, subsequence};
use proptest::test_runner::TestCaseError;
use serde_json::{Map, Value};

type CaseResult<T = ()> = Result<T, TestCaseError>;

const PARTICIPANT: &str = "0b7e3f2c-9a41-4d6e-8f15-3c2a1b0d9e87";
const OTHER_PARTICIPANT: &str = "e4d3c2b1-a098-4765-9432-10fedcba9876";

/// The collections the generated changes touch.
const COLLECTIONS: [Collection; 3] = [Collection::Goals, Collection::CheckIns, Collection::Contacts];
/// A handful of record ids per collection, so that changes collide.
const RECORD_IDS: [[&str; 2]; 3] = [
    ["1a2b3c4d-0000-4000-8000-000000000001", "1a2b3c4d-0000-4000-8000-000000000002"],
    ["2b3c4d5e-0000-4000-8000-000000000001", "2b3c4d5e-0000-4000-8000-000000000002"],
    ["3c4d5e6f-0000-4000-8000-000000000001", "3c4d5e6f-0000-4000-8000-000000000002"],
];
/// Remote devices; equal milliseconds and counters across them are common.
const NODES: [&str; 3] = ["device-a", "device-b", "device-c"];
const BASE_MS: u64 = 1_763_880_000_000;
const UUIDS: [&str; 3] =
    ["5f0c6a7e-1b2d-4e3f-9a8b-7c6d5e4f3a2b", "6a1d7b8f-2c3e-4f50-8b9c-8d7e6f5a4b3c", "7b2e8c90-3d4f-4061-9cad-9e8f7a6b5c4d"];

fn config() -> ProptestConfig {
    // No regression files written into the source tree.
    ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() }
}

fn fail(message: impl Into<String>) -> TestCaseError {
    TestCaseError::fail(message.into())
}

// ---------------------------------------------------------------------------
// Generators of valid values, driven by the schema
// ---------------------------------------------------------------------------

fn text(max: usize) -> BoxedStrategy<Value> {
    let pool = select(vec!["a", "b", "Walk the kids to school", "Café ☕ au lait", "ümlaut \"quoted\"", "call Dana after 5"]);
    prop_oneof![pool.prop_map(str::to_owned), "[a-zA-Z0-9 ]{1,12}"]
        .prop_map(move |text| Value::from(text.chars().take(max.max(1)).collect::<String>()))
        .boxed()
}

fn uuid() -> BoxedStrategy<Value> {
    select(UUIDS.to_vec()).prop_map(Value::from).boxed()
}

fn value(kind: FieldKind) -> BoxedStrategy<Value> {
    match kind {
        FieldKind::Text { max } => text(max),
        FieldKind::TimeZone => select(vec!["America/New_York", "Europe/Berlin", "UTC", "Asia/Kolkata"]).prop_map(Value::from).boxed(),
        FieldKind::Date => {
            (2024i32..=2027, 1u32..=12, 1u32..=28).prop_map(|(y, m, d)| Value::from(format!("{y:04}-{m:02}-{d:02}"))).boxed()
        }
        FieldKind::Instant => (1u32..=28, 0u32..24, 0u32..60, select(vec!["Z", "+02:00", "-05:00"]))
            .prop_map(|(d, h, m, zone)| Value::from(format!("2026-11-{d:02}T{h:02}:{m:02}:00{zone}")))
            .boxed(),
        FieldKind::Bool => any::<bool>().prop_map(Value::from).boxed(),
        FieldKind::Int { min, max } => (min..=max.min(min.saturating_add(100))).prop_map(Value::from).boxed(),
        FieldKind::OneOf(values) => select(values.to_vec()).prop_map(Value::from).boxed(),
        FieldKind::Uuid => uuid(),
        FieldKind::TextList { max, max_items } => vec(text(max), 0..=max_items.min(3)).prop_map(Value::Array).boxed(),
        FieldKind::UuidList { max_items } => vec(uuid(), 0..=max_items.min(3)).prop_map(Value::Array).boxed(),
        FieldKind::OneOfList { values, min_items } => {
            subsequence(values.to_vec(), min_items..=values.len().min(min_items + 3)).prop_map(Value::from).boxed()
        }
        FieldKind::IntList { len, min, max } => vec(min..=max, len).prop_map(Value::from).boxed(),
        FieldKind::GasLevels => btree_map(select(vec!["-2", "-1", "0", "1", "2"]), proptest::option::of(text(500)), 0..=5)
            .prop_map(|levels| {
                Value::Object(levels.into_iter().map(|(level, text)| (level.to_owned(), text.unwrap_or(Value::Null))).collect())
            })
            .boxed(),
    }
}

/// A value for a field: null now and then when the field may be null.
fn field_value(spec: &'static FieldSpec) -> BoxedStrategy<Value> {
    if spec.optional { prop_oneof![1 => Just(Value::Null), 4 => value(spec.kind)].boxed() } else { value(spec.kind) }
}

/// A random non-empty subset of a collection's fields with valid values.
fn some_fields(collection: Collection) -> BoxedStrategy<Map<String, Value>> {
    let parts: Vec<BoxedStrategy<Option<(String, Value)>>> = collection
        .fields()
        .iter()
        .map(|spec| proptest::option::weighted(0.35, field_value(spec).prop_map(move |value| (spec.name.to_owned(), value))).boxed())
        .collect();
    parts
        .prop_map(|parts| parts.into_iter().flatten().collect::<Map<String, Value>>())
        .prop_filter("a change sets at least one field", |fields| !fields.is_empty())
        .boxed()
}

/// Every required field and some optional ones, for a record as a screen would
/// create it (not deleted).
fn full_fields(collection: Collection) -> BoxedStrategy<Map<String, Value>> {
    let parts: Vec<BoxedStrategy<Option<(String, Value)>>> = collection
        .fields()
        .iter()
        .filter(|spec| spec.name != "deleted")
        .map(|spec| {
            let pair = field_value(spec).prop_map(move |value| (spec.name.to_owned(), value));
            if spec.optional || spec.kind == FieldKind::Bool {
                proptest::option::weighted(0.6, pair).boxed()
            } else {
                pair.prop_map(Some).boxed()
            }
        })
        .collect();
    parts.prop_map(|parts| parts.into_iter().flatten().collect::<Map<String, Value>>()).boxed()
}

/// The names of the fields a screen edits (all but `deleted`).
fn editable(collection: Collection) -> Vec<&'static FieldSpec> {
    collection.fields().iter().filter(|spec| spec.name != "deleted").collect()
}

/// A field of `collection` other than `deleted`, with a valid value.
fn edit(collection: Collection) -> BoxedStrategy<(String, Value)> {
    select(editable(collection)).prop_flat_map(|spec| (Just(spec.name.to_owned()), field_value(spec))).boxed()
}

/// One editable field of `collection` and three values for it.
fn three_values(collection: Collection) -> BoxedStrategy<(String, Value, Value, Value)> {
    select(editable(collection))
        .prop_flat_map(|spec| (Just(spec.name.to_owned()), field_value(spec), field_value(spec), field_value(spec)))
        .boxed()
}

/// Two different editable goal fields, each with a value.
fn two_goal_edits() -> BoxedStrategy<((String, Value), (String, Value))> {
    (edit(Collection::Goals), edit(Collection::Goals)).prop_filter("two different fields", |((a, _), (b, _))| a != b).boxed()
}

/// A remote change as generated: which record, which HLC, which fields.
#[derive(Debug, Clone)]
struct Remote {
    collection: usize,
    record: usize,
    ms: u64,
    counter: u16,
    node: usize,
    fields: Map<String, Value>,
}

fn any_remote() -> BoxedStrategy<Remote> {
    (0..COLLECTIONS.len())
        .prop_flat_map(|collection| (Just(collection), 0..2usize, 0u64..3, 0u16..3, 0..NODES.len(), some_fields(COLLECTIONS[collection])))
        .prop_map(|(collection, record, ms, counter, node, fields)| Remote { collection, record, ms, counter, node, fields })
        .boxed()
}

fn change_id(n: usize) -> String {
    format!("c0c0c0c0-0000-4000-8000-{n:012x}")
}

fn to_changes(remotes: &[Remote]) -> Vec<Change> {
    remotes
        .iter()
        .enumerate()
        .map(|(n, remote)| Change {
            change_id: change_id(n),
            collection: COLLECTIONS[remote.collection].name().to_owned(),
            record_id: RECORD_IDS[remote.collection][remote.record].to_owned(),
            participant_id: PARTICIPANT.to_owned(),
            hlc: Hlc::new(BASE_MS + remote.ms, remote.counter, NODES[remote.node]).to_string(),
            fields: remote.fields.clone(),
            base: None,
            author_id: None,
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Stores and their state
// ---------------------------------------------------------------------------

struct TestStore {
    _dir: tempfile::TempDir,
    path: PathBuf,
    store: Store,
}

impl TestStore {
    /// A new store, with the path of its file for `reopen` and the raw reads.
    fn open() -> CaseResult<Self> {
        let (dir, store) = open_store()?;
        Ok(TestStore { path: store_path(&dir), _dir: dir, store })
    }
}

/// Closes the store and opens it again, as after the app restarts.
fn reopen(test: TestStore) -> CaseResult<TestStore> {
    let TestStore { _dir, path, store } = test;
    drop(store);
    let store = Store::open(&path, &KEY)?;
    Ok(TestStore { _dir, path, store })
}

/// Everything two stores must agree on: the participant's export, every stored
/// row with its per-field clocks, and what the typed lists return.
#[derive(Debug, Clone, PartialEq)]
struct State {
    export: Value,
    records: Dump,
    lists: Vec<Vec<(String, Value)>>,
}

fn typed_list<R: Record>(store: &Store, participant_id: &str) -> CaseResult<Vec<(String, Value)>> {
    let mut records = Vec::new();
    for record in store.list::<R>(participant_id)? {
        records.push((record.id().to_owned(), serde_json::to_value(&record)?));
    }
    records.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(records)
}

fn exported(store: &Store, participant_id: &str) -> CaseResult<Value> {
    Ok(serde_json::from_str(&store.export_participant(participant_id, utc(2026, 11, 23, 12, 0))?)?)
}

fn state(test: &TestStore) -> CaseResult<State> {
    Ok(State {
        export: exported(&test.store, PARTICIPANT)?,
        records: dump_records(&open_raw(&test.path, &KEY)?)?,
        lists: vec![
            typed_list::<Goal>(&test.store, PARTICIPANT)?,
            typed_list::<CheckIn>(&test.store, PARTICIPANT)?,
            typed_list::<Contact>(&test.store, PARTICIPANT)?,
        ],
    })
}

/// The stored rows are exactly what the LWW model makes of `changes`: the same
/// records, each field's value and clock, and the indexed copies of `status`
/// and `deleted`.
fn matches_model(records: &Dump, changes: &[Change]) -> CaseResult {
    let model = lww_model(changes);
    let stored: Vec<&(String, String)> = records.keys().collect();
    let modelled: Vec<&(String, String)> = model.keys().collect();
    prop_assert_eq!(stored, modelled, "stored records vs records the changes name");
    for (key, expected) in &model {
        let Some(row) = records.get(key) else { return Err(fail(format!("{key:?} is not stored"))) };
        prop_assert_eq!(&row.participant_id, &expected.participant_id, "participant of {:?}", key);
        prop_assert_eq!(&row.fields, &Value::Object(expected.fields.clone()), "fields of {:?}", key);
        prop_assert_eq!(&row.clocks, &Value::Object(expected.clocks.clone()), "clocks of {:?}", key);
        let status = expected.fields.get("status").and_then(Value::as_str).map(str::to_owned);
        prop_assert_eq!(&row.status, &status, "status column of {:?}", key);
        let deleted = expected.fields.get("deleted") == Some(&Value::Bool(true));
        prop_assert_eq!(row.deleted, deleted, "deleted column of {:?}", key);
    }
    Ok(())
}

/// Delivers `changes` to `store` as pulls would, in a random order, each change
/// one to three times, in random batches. Every change must merge.
fn deliver(store: &Store, changes: &[Change], seed: u64) -> CaseResult {
    let mut rng = Rng::new(seed);
    let mut stream: Vec<&Change> = Vec::new();
    for change in changes {
        for _ in 0..rng.range(1, 4) {
            stream.push(change);
        }
    }
    rng.shuffle(&mut stream);
    let mut batch = Vec::new();
    for (i, change) in stream.iter().enumerate() {
        batch.push((*change).clone());
        if i + 1 == stream.len() || rng.below(3) == 0 {
            let report = store.apply_remote(&batch)?;
            prop_assert!(report.rejected.is_empty(), "valid changes rejected: {:?}", report.rejected);
            prop_assert_eq!(report.applied + report.unchanged, batch.len());
            batch.clear();
        }
    }
    Ok(())
}

/// The outbox entries of one record, oldest first.
fn local_changes(store: &Store, record_id: &str) -> CaseResult<Vec<Change>> {
    Ok(store.pending_changes(usize::MAX)?.into_iter().filter(|change| change.record_id == record_id).collect())
}

/// `record` with one field set to `value`, through its wire form.
fn with_field<R: Record>(record: &R, name: &str, value: Value) -> CaseResult<R> {
    let Value::Object(mut fields) = serde_json::to_value(record)? else { return Err(fail("a record is not a JSON object")) };
    fields.insert(name.to_owned(), value);
    let mut edited: R = serde_json::from_value(Value::Object(fields))?;
    edited.set_keys(record.id().to_owned(), record.participant_id().to_owned());
    Ok(edited)
}

fn typed<R: Record>(fields: Map<String, Value>, participant_id: &str) -> CaseResult<R> {
    let mut record: R = serde_json::from_value(Value::Object(fields))?;
    record.set_keys(String::new(), participant_id.to_owned());
    Ok(record)
}

fn remote(record_id: &str, participant_id: &str, hlc: &Hlc, fields: Map<String, Value>) -> Change {
    Change {
        change_id: new_id(),
        collection: Collection::Goals.name().to_owned(),
        record_id: record_id.to_owned(),
        participant_id: participant_id.to_owned(),
        hlc: hlc.to_string(),
        fields,
        base: None,
        author_id: None,
    }
}

fn one_field(name: &str, value: Value) -> Map<String, Value> {
    Map::from_iter([(name.to_owned(), value)])
}

/// The stored value of one field of one goal (deleted or not).
fn stored_field(test: &TestStore, record_id: &str, name: &str) -> CaseResult<Option<Value>> {
    let records = dump_records(&open_raw(&test.path, &KEY)?)?;
    let row = records.get(&(Collection::Goals.name().to_owned(), record_id.to_owned())).ok_or_else(|| fail("goal not stored"))?;
    Ok(row.fields.get(name).cloned())
}

fn parse_hlc(text: &str) -> CaseResult<Hlc> {
    text.parse().map_err(|rejection: Rejection| fail(format!("stored HLC {text:?}: {rejection}")))
}

/// An HLC just after `after` and before anything this device issues next: the
/// same milliseconds and counter, from a device id that sorts after any UUID.
fn just_after(after: &Hlc) -> Hlc {
    Hlc::new(after.ms, after.counter, "~remote")
}

// ---------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_order_repetition_and_batching_of_changes_gives_the_same_state(
        remotes in vec(any_remote(), 1..16),
        seed_a in any::<u64>(),
        seed_b in any::<u64>(),
    ) {
        let changes = to_changes(&remotes);
        let (a, b) = (TestStore::open()?, TestStore::open()?);
        deliver(&a.store, &changes, seed_a)?;
        deliver(&b.store, &changes, seed_b)?;
        let state_a = state(&a)?;
        prop_assert_eq!(&state_a, &state(&b)?);
        matches_model(&state_a.records, &changes)?;

        // Idempotent: all of it once more changes nothing.
        let again = a.store.apply_remote(&changes)?;
        prop_assert_eq!((again.applied, again.unchanged, again.rejected.len()), (0, changes.len(), 0));
        prop_assert_eq!(&state(&a)?, &state_a);
    }

    #[test]
    fn a_local_edit_and_an_older_remote_edit_of_another_field_are_both_kept(
        initial in full_fields(Collection::Goals),
        ((field_a, value_a), (field_b, value_b)) in two_goal_edits(),
        older_than_create in any::<bool>(),
    ) {
        let test = TestStore::open()?;
        let created = test.store.create(&typed::<Goal>(initial, PARTICIPANT)?)?;
        let edited = with_field(&created, &field_a, value_a)?;
        test.store.update(&created, &edited)?;
        let local = local_changes(&test.store, &created.id)?;
        prop_assume!(local.len() == 2, "the edit changed nothing");
        prop_assert_eq!(local[1].fields.keys().collect::<Vec<_>>(), vec![&field_a], "an edit sends only what changed");
        let (create_hlc, edit_hlc) = (parse_hlc(&local[0].hlc)?, parse_hlc(&local[1].hlc)?);
        let local_a = local[1].fields.get(&field_a).cloned();
        let created_b = local[0].fields.get(&field_b).cloned();

        // Older than the local edit: either older than the create too, or
        // between the create and the edit.
        let remote_hlc = if older_than_create { Hlc::new(create_hlc.ms - 1, 0, "remote") } else { just_after(&create_hlc) };
        prop_assert!(remote_hlc < edit_hlc);
        let change = remote(&created.id, PARTICIPANT, &remote_hlc, one_field(&field_b, value_b.clone()));
        let report = test.store.apply_remote(std::slice::from_ref(&change))?;
        prop_assert!(report.rejected.is_empty(), "{:?}", report.rejected);

        prop_assert_eq!(stored_field(&test, &created.id, &field_a)?, local_a, "the local edit of {} is kept", field_a);
        let expected_b = match (older_than_create, created_b) {
            // The create set B later than the remote change: the create wins.
            (true, Some(created_b)) => created_b,
            _ => value_b,
        };
        prop_assert_eq!(stored_field(&test, &created.id, &field_b)?, Some(expected_b), "field {}", field_b);
        let mut all = local_changes(&test.store, &created.id)?;
        all.push(change);
        matches_model(&state(&test)?.records, &all)?;
        // The typed record shows both.
        let now: Goal = test.store.get(&created.id)?;
        let fields = serde_json::to_value(&now)?;
        let expected = serde_json::to_value(&edited)?;
        prop_assert_eq!(fields.get(&field_a), expected.get(&field_a));
    }

    #[test]
    fn a_remote_edit_with_a_newer_clock_wins_over_a_local_edit_and_the_clock_moves_past_it(
        initial in full_fields(Collection::Goals),
        (field, local_value, remote_value, later_value) in three_values(Collection::Goals),
        ahead_ms in 1_000u64..20 * 3_600_000,
        counter in any::<u16>(),
        restart in any::<bool>(),
    ) {
        let mut test = TestStore::open()?;
        let created = test.store.create(&typed::<Goal>(initial, PARTICIPANT)?)?;
        test.store.update(&created, &with_field(&created, &field, local_value)?)?;

        // A remote edit of the same field, stamped hours ahead (the server
        // accepts up to 24 h).
        let future = Hlc::new(wall_clock_ms() + ahead_ms, counter, "remote-device");
        let change = remote(&created.id, PARTICIPANT, &future, one_field(&field, remote_value.clone()));
        let report = test.store.apply_remote(std::slice::from_ref(&change))?;
        prop_assert_eq!((report.applied, report.rejected.len()), (1, 0));
        prop_assert_eq!(stored_field(&test, &created.id, &field)?, Some(remote_value), "the newer remote value wins");

        // The device's clock moved past the pulled HLC, and stays past it
        // when the app restarts: its next edit wins.
        if restart {
            test = reopen(test)?;
        }
        let current: Goal = test.store.get(&created.id)?;
        test.store.update(&current, &with_field(&current, &field, later_value)?)?;
        let local = local_changes(&test.store, &created.id)?;
        if local.len() == 3 {
            let later = parse_hlc(&local[2].hlc)?;
            prop_assert!(later > future, "local HLC {} is not after the pulled {}", later, future);
            prop_assert_eq!(stored_field(&test, &created.id, &field)?, local[2].fields.get(&field).cloned());
        }
        let mut all = local;
        all.push(change);
        matches_model(&state(&test)?.records, &all)?;
    }

    #[test]
    fn a_concurrent_delete_and_an_edit_of_another_field_both_follow_lww(
        initial in full_fields(Collection::Goals),
        (field, value) in edit(Collection::Goals),
        local_deletes in any::<bool>(),
        // Where the remote change's HLC falls: 0 before the create, 1 between
        // the create and the local write, 2 after the local write.
        when in 0u8..3,
    ) {
        let test = TestStore::open()?;
        let created = test.store.create(&typed::<Goal>(initial, PARTICIPANT)?)?;
        let local_field = if local_deletes {
            test.store.delete::<Goal>(&created.id)?;
            "deleted".to_owned()
        } else {
            test.store.update(&created, &with_field(&created, &field, value.clone())?)?;
            field.clone()
        };
        let local = local_changes(&test.store, &created.id)?;
        prop_assume!(local.len() == 2, "the edit changed nothing");
        let (create_hlc, local_hlc) = (parse_hlc(&local[0].hlc)?, parse_hlc(&local[1].hlc)?);
        let remote_hlc = match when {
            0 => Hlc::new(create_hlc.ms - 1, 0, "remote"),
            1 => just_after(&create_hlc),
            _ => Hlc::new(local_hlc.ms + 60_000, 0, "remote"),
        };
        // The other side did the other thing: deleted, or edited a field.
        let remote_fields = if local_deletes { one_field(&field, value.clone()) } else { one_field("deleted", Value::Bool(true)) };
        let change = remote(&created.id, PARTICIPANT, &remote_hlc, remote_fields);
        let report = test.store.apply_remote(std::slice::from_ref(&change))?;
        prop_assert!(report.rejected.is_empty(), "{:?}", report.rejected);

        // The local write is newer than everything it competes with, except a
        // remote change after it, which touches another field: it is kept.
        prop_assert_eq!(stored_field(&test, &created.id, &local_field)?, local[1].fields.get(&local_field).cloned());
        let remote_wins = when > 0 || !local[0].fields.contains_key(if local_deletes { field.as_str() } else { "deleted" });
        let deleted = stored_field(&test, &created.id, "deleted")? == Some(Value::Bool(true));
        if local_deletes {
            prop_assert!(deleted, "the local delete is kept");
            let expected = if remote_wins { Some(value) } else { local[0].fields.get(&field).cloned() };
            prop_assert_eq!(stored_field(&test, &created.id, &field)?, expected, "the remote edit of {} under the delete", field);
        } else {
            prop_assert_eq!(deleted, remote_wins, "the remote delete at {} vs the create at {}", remote_hlc, create_hlc);
            let expected = if deleted { Err("not_found") } else { Ok(()) };
            prop_assert_eq!(test.store.get::<Goal>(&created.id).map(|_| ()).map_err(|e| e.code().to_owned()), expected.map_err(str::to_owned));
        }
        let listed = test.store.list::<Goal>(PARTICIPANT)?.iter().any(|goal| goal.id == created.id);
        prop_assert_eq!(listed, !deleted);
        let mut all = local_changes(&test.store, &created.id)?;
        all.push(change);
        matches_model(&state(&test)?.records, &all)?;

        // Restored by a later remote change, the record is back with the
        // edited field as it was under the deletion.
        let under_deletion = stored_field(&test, &created.id, &field)?;
        let restore_hlc = Hlc::new(local_hlc.ms + 120_000, 0, "remote");
        let restore = remote(&created.id, PARTICIPANT, &restore_hlc, one_field("deleted", Value::Bool(false)));
        prop_assert_eq!(test.store.apply_remote(std::slice::from_ref(&restore))?.applied, 1);
        prop_assert!(test.store.get::<Goal>(&created.id).is_ok(), "the restored goal reads back");
        prop_assert_eq!(stored_field(&test, &created.id, &field)?, under_deletion);
    }

    #[test]
    fn two_devices_that_swap_their_outboxes_converge(ops in vec(op(), 1..24), final_seed in any::<u64>()) {
        let devices = [TestStore::open()?, TestStore::open()?];
        for op in &ops {
            match op {
                Op::Sync { seed } => swap(&devices, *seed)?,
                Op::Write { device, collection, action } => {
                    let store = &devices[*device].store;
                    match COLLECTIONS[*collection] {
                        Collection::Goals => write::<Goal>(store, action)?,
                        Collection::CheckIns => write::<CheckIn>(store, action)?,
                        _ => write::<Contact>(store, action)?,
                    }
                }
            }
        }
        swap(&devices, final_seed)?;
        let [a, b] = &devices;
        let state_a = state(a)?;
        prop_assert_eq!(&state_a, &state(b)?);
        let mut everything = a.store.pending_changes(usize::MAX)?;
        everything.extend(b.store.pending_changes(usize::MAX)?);
        matches_model(&state_a.records, &everything)?;
    }

    #[test]
    fn a_record_created_again_with_the_id_of_a_deleted_one_reads_back_exactly_as_created(
        first in full_fields(Collection::Goals),
        second in full_fields(Collection::Goals),
        deleted_by_remote in any::<bool>(),
    ) {
        let test = TestStore::open()?;
        let created = test.store.create(&typed::<Goal>(first, PARTICIPANT)?)?;
        if deleted_by_remote {
            let hlc = parse_hlc(&local_changes(&test.store, &created.id)?[0].hlc)?;
            let delete = remote(&created.id, PARTICIPANT, &just_after(&hlc), one_field("deleted", Value::Bool(true)));
            prop_assert_eq!(test.store.apply_remote(&[delete])?.applied, 1);
        } else {
            test.store.delete::<Goal>(&created.id)?;
        }
        let mut again: Goal = typed(second, PARTICIPANT)?;
        again.id = created.id.clone();
        let returned = test.store.create(&again)?;
        prop_assert_eq!(&returned, &again);
        // Nothing of the deleted record shows through: fields the new one
        // leaves empty are empty, as the person typed it.
        prop_assert_eq!(&test.store.get::<Goal>(&created.id)?, &returned, "stored vs returned by create");
    }

    #[test]
    fn a_change_reusing_a_record_id_with_another_participant_is_rejected_and_changes_nothing(
        initial in full_fields(Collection::Goals),
        arrived_by_merge in any::<bool>(),
        deleted_first in any::<bool>(),
        intruder in some_fields(Collection::Goals),
        intruder_ms in prop_oneof![Just(0u64), Just(BASE_MS), Just(9_999_999_999_999u64)],
        other in some_fields(Collection::Contacts),
        with_other in any::<bool>(),
        other_first in any::<bool>(),
    ) {
        let test = TestStore::open()?;
        let record_id = "9d8c7b6a-5f4e-4d3c-8b2a-190817161514";
        if arrived_by_merge {
            let change = remote(record_id, PARTICIPANT, &Hlc::new(BASE_MS, 0, "device-a"), initial);
            prop_assert!(test.store.apply_remote(&[change])?.rejected.is_empty());
        } else {
            let mut goal: Goal = typed(initial, PARTICIPANT)?;
            goal.id = record_id.to_owned();
            test.store.create(&goal)?;
        }
        if deleted_first {
            test.store.delete::<Goal>(record_id)?;
        }
        let records_before = dump_records(&open_raw(&test.path, &KEY)?)?;
        let meta_before = dump_meta(&open_raw(&test.path, &KEY)?)?;
        let exports_before = (exported(&test.store, PARTICIPANT)?, exported(&test.store, OTHER_PARTICIPANT)?);
        let pending_before = test.store.pending_changes(usize::MAX)?;

        let intruder = remote(record_id, OTHER_PARTICIPANT, &Hlc::new(intruder_ms, 0, "device-z"), intruder);
        let valid = Change {
            change_id: new_id(),
            collection: Collection::Contacts.name().to_owned(),
            record_id: "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d".to_owned(),
            participant_id: OTHER_PARTICIPANT.to_owned(),
            hlc: Hlc::new(BASE_MS, 1, "device-z").to_string(),
            fields: other,
            base: None,
            author_id: None,
        };
        let batch = match (with_other, other_first) {
            (false, _) => vec![intruder.clone()],
            (true, true) => vec![valid.clone(), intruder.clone()],
            (true, false) => vec![intruder.clone(), valid.clone()],
        };
        let report = test.store.apply_remote(&batch)?;
        prop_assert_eq!(
            &report.rejected,
            &vec![(intruder.change_id.clone(), Rejection::ParticipantMismatch { record_id: record_id.to_owned() })]
        );
        prop_assert_eq!(report.rejected[0].1.code(), RejectionCode::ParticipantMismatch);
        prop_assert_eq!((report.applied, report.unchanged), (usize::from(with_other), 0));

        let records_after = dump_records(&open_raw(&test.path, &KEY)?)?;
        let key = (Collection::Goals.name().to_owned(), record_id.to_owned());
        prop_assert_eq!(records_after.get(&key), records_before.get(&key), "the record is untouched");
        prop_assert_eq!(exported(&test.store, PARTICIPANT)?, exports_before.0.clone());
        prop_assert_eq!(test.store.pending_changes(usize::MAX)?, pending_before.clone());
        if with_other {
            prop_assert_eq!(records_after.len(), records_before.len() + 1, "the valid change of the batch is applied");
        } else {
            prop_assert_eq!(&records_after, &records_before);
            prop_assert_eq!(&dump_meta(&open_raw(&test.path, &KEY)?)?, &meta_before, "not even the clock moves");
            prop_assert_eq!(exported(&test.store, OTHER_PARTICIPANT)?, exports_before.1.clone());
        }

        // The same through the typed API: a create reusing the id for another
        // participant is refused, and nothing is written.
        let mut stolen: Goal = typed(
            Map::from_iter([
                ("title".to_owned(), Value::from("Not mine")),
                ("area".to_owned(), Value::from("other")),
                ("status".to_owned(), Value::from("active")),
            ]),
            OTHER_PARTICIPANT,
        )?;
        stolen.id = record_id.to_owned();
        match test.store.create(&stolen) {
            Err(Error::Rejected { code, .. }) => prop_assert_eq!(code, RejectionCode::ParticipantMismatch),
            other => return Err(fail(format!("a local create reusing the id for another participant gave {other:?}"))),
        }
        prop_assert_eq!(dump_records(&open_raw(&test.path, &KEY)?)?, records_after);
        prop_assert_eq!(test.store.pending_changes(usize::MAX)?, pending_before);
    }
}

// ---------------------------------------------------------------------------
// Two devices
// ---------------------------------------------------------------------------

/// What a screen does to one record.
#[derive(Debug, Clone)]
enum Action {
    Create(Map<String, Value>),
    /// Edits one field of the `pick`-th live record (by id).
    Update {
        pick: usize,
        field: String,
        value: Value,
    },
    Delete {
        pick: usize,
    },
}

#[derive(Debug, Clone)]
enum Op {
    Write {
        device: usize,
        collection: usize,
        action: Action,
    },
    /// Both devices swap everything in their outboxes.
    Sync {
        seed: u64,
    },
}

fn op() -> BoxedStrategy<Op> {
    let write = (0..2usize, 0..COLLECTIONS.len())
        .prop_flat_map(|(device, collection)| {
            let c = COLLECTIONS[collection];
            let action = prop_oneof![
                3 => full_fields(c).prop_map(Action::Create),
                4 => (any::<usize>(), edit(c)).prop_map(|(pick, (field, value))| Action::Update { pick, field, value }),
                1 => any::<usize>().prop_map(|pick| Action::Delete { pick }),
            ];
            (Just(device), Just(collection), action)
        })
        .prop_map(|(device, collection, action)| Op::Write { device, collection, action });
    prop_oneof![6 => write, 1 => any::<u64>().prop_map(|seed| Op::Sync { seed })].boxed()
}

fn write<R: Record>(store: &Store, action: &Action) -> CaseResult {
    let mut live = store.list::<R>(PARTICIPANT)?;
    live.sort_by(|a, b| a.id().cmp(b.id()));
    match action {
        Action::Create(fields) => {
            store.create(&typed::<R>(fields.clone(), PARTICIPANT)?)?;
        }
        Action::Update { pick, field, value } => {
            if let Some(original) = live.get(pick % live.len().max(1)) {
                store.update(original, &with_field(original, field, value.clone())?)?;
            }
        }
        Action::Delete { pick } => {
            if let Some(record) = live.get(pick % live.len().max(1)) {
                store.delete::<R>(record.id())?;
            }
        }
    }
    Ok(())
}

/// Each device's whole outbox to the other, in a random order of directions,
/// with repeats and random batches.
fn swap(devices: &[TestStore; 2], seed: u64) -> CaseResult {
    let mut rng = Rng::new(seed);
    let outboxes = [devices[0].store.pending_changes(usize::MAX)?, devices[1].store.pending_changes(usize::MAX)?];
    let mut deliveries = vec![(1usize, 0usize), (0, 1)];
    if rng.below(2) == 0 {
        deliveries.push((rng.index(2), rng.index(2)));
    }
    rng.shuffle(&mut deliveries);
    for (to, from) in deliveries {
        deliver(&devices[to].store, &outboxes[from], rng.next_u64())?;
    }
    Ok(())
}
