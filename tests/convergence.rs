//! Convergence, as a property, over every collection: three phones of one
//! participant and their peer worker's phone edit the same records (text,
//! lists, choices, deletes, sharing granted and withdrawn) in random
//! interleavings of edits, pushes and pulls, with pushes duplicated,
//! reordered and lost, on SQLite and on PostgreSQL. When everyone is online
//! again:
//!
//! - every phone holds what the server gives a phone that never synced;
//! - every edit the server took is still there, or was replaced by someone
//!   who had seen it, or is kept as a conflict on the phone it was made on
//!   (text); no list item is gone unless someone who had it removed it;
//! - nothing withdrawn is left on the peer worker's phone.

use std::collections::{BTreeMap, HashMap, HashSet};

use alongside_core::Change;
use alongside_core::concurrent::OnConcurrentEdit;
use alongside_core::model::{
    Assessment, CheckIn, Contact, CopingStrategy, CopingUse, EncounterNote, Goal, GoalProgress, Message, Milestone, Profile, ReachOut,
    Record, RecoveryPeriod, SafetyPlan, Sharing,
};
use alongside_core::schema::{Category, Collection, FieldKind, FieldSpec};
use alongside_core::{Store, sync};
use alongside_harness::{Backend, Phone, Server, TestResult, fail};
use alongside_server::store::Role;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{Map, Value, json};

/// Three phones of the participant, then the peer worker's.
const PHONES: usize = 4;
const PEER: usize = 3;
/// Record ids per collection (singletons have one: the participant's id).
const SLOTS: usize = 2;
const CASES: u32 = 300;

#[derive(Debug, Clone)]
enum Op {
    /// Sets one field of one record (making the record first if no phone has).
    Edit {
        phone: usize,
        collection: usize,
        slot: usize,
        field: usize,
        seed: u16,
    },
    Push(usize),
    Pull(usize),
    Sync(usize),
    /// Sends one of the phone's earlier batches again: a network that
    /// duplicates and reorders requests.
    Replay {
        phone: usize,
        batch: usize,
    },
    /// Pushes, but the answer is lost: the phone sends it all again later.
    Lost(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        8 => (0..PHONES, 0..Collection::ALL.len(), 0..SLOTS, 0..16usize, any::<u16>())
            .prop_map(|(phone, collection, slot, field, seed)| Op::Edit { phone, collection, slot, field, seed }),
        2 => (0..PHONES).prop_map(Op::Push),
        2 => (0..PHONES).prop_map(Op::Pull),
        2 => (0..PHONES).prop_map(Op::Sync),
        1 => (0..PHONES, 0..8usize).prop_map(|(phone, batch)| Op::Replay { phone, batch }),
        1 => (0..PHONES).prop_map(Op::Lost),
    ]
}

#[test]
fn phones_and_server_converge_on_sqlite() -> TestResult {
    converge(Backend::Sqlite)
}

#[test]
fn phones_and_server_converge_on_postgres() -> TestResult {
    if !Backend::Postgres.is_available()? {
        return Ok(());
    }
    converge(Backend::Postgres)
}

fn converge(backend: Backend) -> TestResult {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    let server = runtime.block_on(Server::start(backend))?;
    let mut runner = TestRunner::new(Config { cases: CASES, failure_persistence: None, ..Config::default() });
    let result = runner.run(&proptest::collection::vec(op(), 1..40), |ops| {
        runtime.block_on(run_case(&server, ops)).map_err(|e| TestCaseError::fail(e.to_string()))
    });
    runtime.block_on(server.stop())?;
    result.map_err(|e| fail(e.to_string()))
}

/// One run: the people, their phones, and what was sent.
struct Case {
    participant: String,
    phones: Vec<Phone>,
    /// Every change any phone queued, by id, with the phone that made it.
    queued: HashMap<String, (usize, Change)>,
    /// Each phone's push batches, for replaying.
    sent: Vec<Vec<Vec<Change>>>,
    /// Records some phone has made.
    made: HashSet<(Collection, String)>,
    /// Changes the server refused (and their phones let go).
    refused: HashSet<String>,
    counter: u64,
}

impl Case {
    /// Notes what the phone has queued and not yet sent.
    fn note_outbox(&mut self, phone: usize) -> TestResult<Vec<Change>> {
        let pending = self.phones[phone].store.pending_changes(1000)?;
        for change in &pending {
            self.queued.entry(change.change_id.clone()).or_insert_with(|| (phone, change.clone()));
        }
        Ok(pending)
    }

    fn record_id(&self, collection: Collection, slot: usize) -> String {
        if collection.is_singleton() {
            return self.participant.clone();
        }
        // Stable per case, collection and slot, and unique across cases.
        let name = format!("{}/{}/{slot}", self.participant, collection.name());
        uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, name.as_bytes()).to_string()
    }
}

async fn run_case(server: &Server, ops: Vec<Op>) -> TestResult {
    let participant = server.add_user(&format!("p{}", uuid::Uuid::new_v4().simple()), Role::Participant).await?;
    let peer_worker = server.add_user(&format!("w{}", uuid::Uuid::new_v4().simple()), Role::PeerWorker).await?;
    server.assign(&peer_worker, &participant).await?;
    let mut phones = Vec::new();
    for i in 0..PEER {
        phones.push(Phone::new(server, &server.base, &participant, &format!("phone {i}")).await?);
    }
    phones.push(Phone::new(server, &server.base, &peer_worker, "peer worker's phone").await?);
    let mut case = Case {
        participant,
        phones,
        queued: HashMap::new(),
        sent: vec![Vec::new(); PHONES],
        made: HashSet::new(),
        refused: HashSet::new(),
        counter: 0,
    };

    for op in ops {
        match op {
            Op::Edit { phone, collection, slot, field, seed } => {
                let collection = Collection::ALL[collection];
                edit(&mut case, phone, collection, slot, field, seed)?;
            }
            Op::Push(phone) => {
                let batch = case.note_outbox(phone)?;
                case.sent[phone].push(batch);
                sync::push(&case.phones[phone].store, &case.phones[phone].client).await?;
            }
            Op::Pull(phone) => {
                sync::pull(&case.phones[phone].store, &case.phones[phone].client).await?;
            }
            Op::Sync(phone) => {
                let batch = case.note_outbox(phone)?;
                case.sent[phone].push(batch);
                case.phones[phone].sync().await?;
            }
            Op::Replay { phone, batch } => {
                let batches = &case.sent[phone];
                if let Some(changes) = batches.get(batch % batches.len().max(1)).filter(|c| !c.is_empty()) {
                    push_raw(&case.phones[phone], changes.clone()).await?;
                }
            }
            Op::Lost(phone) => {
                let changes = case.note_outbox(phone)?;
                if !changes.is_empty() {
                    push_raw(&case.phones[phone], changes).await?;
                }
            }
        }
        // Merges written by a pull wait in the outbox: note them too.
        for phone in 0..PHONES {
            case.note_outbox(phone)?;
        }
    }

    // Everyone comes online until nothing waits (a pull may write merged lists).
    // Done after a round in which no one sent anything and nothing waits:
    // everyone then pulled the same last state.
    for _ in 0..8 {
        let mut moved = 0;
        for phone in 0..PHONES {
            case.note_outbox(phone)?;
            moved += case.phones[phone].sync().await?.pushed;
        }
        for phone in 0..PHONES {
            moved += case.note_outbox(phone)?.len();
        }
        if moved == 0 {
            break;
        }
    }
    // What the server refused, each phone lets go; the server's copy returns.
    for phone in &case.phones {
        for entry in phone.store.outbox()?.into_iter().filter(|e| e.state == alongside_core::store::OutboxState::Rejected) {
            case.refused.insert(entry.change.change_id.clone());
            phone.store.discard_refused(&entry.change.change_id)?;
        }
        phone.sync().await?;
    }
    check(server, &case).await
}

/// Pushes `changes` as the phone would, without telling the phone the answer.
async fn push_raw(phone: &Phone, changes: Vec<Change>) -> TestResult {
    let token = phone.store.session()?.ok_or_else(|| fail("phone is not signed in"))?.token;
    let count = changes.len();
    let response = phone.client.push(&token, changes).await?;
    if response.results.len() != count {
        return Err(fail("a push did not answer every change"));
    }
    Ok(())
}

// --- edits ----------------------------------------------------------------------

fn edit(case: &mut Case, phone: usize, collection: Collection, slot: usize, field: usize, seed: u16) -> TestResult {
    let id = case.record_id(collection, slot);
    case.counter += 1;
    let counter = case.counter;
    let store = &case.phones[phone].store;
    let participant = case.participant.clone();
    let held = holds(store, &participant, collection, &id)?;
    if !held && case.made.contains(&(collection, id.clone())) && !collection.is_singleton() {
        // Made on another phone and not here yet: nothing to edit.
        return Ok(());
    }
    let specs: Vec<&FieldSpec> =
        collection.fields().iter().filter(|spec| collection != Collection::Sharing || spec.name != "signed_at").collect();
    let spec = specs[field % specs.len()];
    let current = current_value(store, &participant, collection, &id, spec.name)?;
    let value = value_for(spec, seed, counter, current.as_ref());
    // Refusals here (a rule of the record, a list grown too long) mean the
    // edit did not happen; the property is about what did.
    let _ = on_record(collection, store, &id, &participant, spec.name, value, counter);
    if !held && holds(store, &participant, collection, &id)? {
        case.made.insert((collection, id));
    }
    Ok(())
}

/// Whether the phone has the record at all (deleted or not).
fn holds(store: &Store, participant: &str, collection: Collection, id: &str) -> TestResult<bool> {
    Ok(stored_fields(store, participant, collection, id)?.is_some())
}

fn current_value(store: &Store, participant: &str, collection: Collection, id: &str, field: &str) -> TestResult<Option<Value>> {
    Ok(stored_fields(store, participant, collection, id)?.and_then(|fields| fields.get(field).cloned()))
}

/// The fields of a record as the phone stores them (deleted ones too), from
/// the participant's export.
fn stored_fields(store: &Store, participant: &str, collection: Collection, id: &str) -> TestResult<Option<Map<String, Value>>> {
    let export: Value = serde_json::from_str(&store.export_participant(participant, chrono::DateTime::UNIX_EPOCH)?)?;
    let records = export["collections"][collection.name()].as_array().cloned().unwrap_or_default();
    Ok(records.into_iter().find(|r| r["id"] == json!(id)).and_then(|r| r.as_object().cloned()))
}

/// Runs `body` with `R` the record type of `collection`.
macro_rules! with_record_type {
    ($collection:expr, $r:ident => $body:expr) => {
        match $collection {
            Collection::Profile => {
                type $r = Profile;
                $body
            }
            Collection::Sharing => {
                type $r = Sharing;
                $body
            }
            Collection::RecoveryPeriods => {
                type $r = RecoveryPeriod;
                $body
            }
            Collection::Goals => {
                type $r = Goal;
                $body
            }
            Collection::GoalProgress => {
                type $r = GoalProgress;
                $body
            }
            Collection::Milestones => {
                type $r = Milestone;
                $body
            }
            Collection::CopingStrategies => {
                type $r = CopingStrategy;
                $body
            }
            Collection::CopingUses => {
                type $r = CopingUse;
                $body
            }
            Collection::Contacts => {
                type $r = Contact;
                $body
            }
            Collection::CheckIns => {
                type $r = CheckIn;
                $body
            }
            Collection::SafetyPlan => {
                type $r = SafetyPlan;
                $body
            }
            Collection::ReachOuts => {
                type $r = ReachOut;
                $body
            }
            Collection::Assessments => {
                type $r = Assessment;
                $body
            }
            Collection::Messages => {
                type $r = Message;
                $body
            }
            Collection::EncounterNotes => {
                type $r = EncounterNote;
                $body
            }
        }
    };
}

fn on_record(collection: Collection, store: &Store, id: &str, participant: &str, field: &str, value: Value, counter: u64) -> TestResult {
    with_record_type!(collection, R => edit_as::<R>(store, id, participant, field, value, counter))
}

/// Edits through the typed API, as a screen does: update the record if the
/// phone shows it, make it (whole) otherwise.
fn edit_as<R: Record>(store: &Store, id: &str, participant: &str, field: &str, value: Value, counter: u64) -> TestResult {
    let record = |fields: Value| -> TestResult<R> {
        let mut record: R = serde_json::from_value(fields)?;
        record.set_keys(id.to_owned(), participant.to_owned());
        Ok(record)
    };
    match store.get::<R>(id) {
        Ok(original) => {
            let mut fields = serde_json::to_value(&original)?;
            fields[field] = value;
            store.update(&original, &record(fields)?)?;
        }
        Err(_) => {
            let mut fields = whole_record(R::COLLECTION, counter);
            fields.insert(field.to_owned(), value);
            store.create(&record(Value::Object(fields))?)?;
        }
    }
    Ok(())
}

/// A value of every field a new record must have.
fn whole_record(collection: Collection, counter: u64) -> Map<String, Value> {
    collection
        .fields()
        .iter()
        .filter(|spec| !spec.optional && spec.name != "deleted")
        .map(|spec| (spec.name.to_owned(), value_for(spec, 1, counter, None)))
        .collect()
}

const UUIDS: [&str; 4] = [
    "0f5e1c2a-3b4d-4e5f-8a7b-9c0d1e2f3a4b",
    "1f5e1c2a-3b4d-4e5f-8a7b-9c0d1e2f3a4b",
    "2f5e1c2a-3b4d-4e5f-8a7b-9c0d1e2f3a4b",
    "3f5e1c2a-3b4d-4e5f-8a7b-9c0d1e2f3a4b",
];

/// A valid value for `spec`: text unique to this edit; a list with an item
/// added or one removed; a choice from `seed`.
fn value_for(spec: &FieldSpec, seed: u16, counter: u64, current: Option<&Value>) -> Value {
    let pick = usize::from(seed);
    let items = || current.and_then(Value::as_array).cloned().unwrap_or_default();
    let add_or_remove = |new: Value| {
        let mut list = items();
        if pick % 3 == 0 && !list.is_empty() {
            list.remove(pick % list.len());
        } else if !list.contains(&new) {
            list.push(new);
        }
        Value::Array(list)
    };
    match spec.kind {
        FieldKind::Text { max } => Value::from(format!("{} {counter}", spec.name).chars().take(max).collect::<String>()),
        FieldKind::TimeZone => json!(["America/New_York", "America/Chicago", "Europe/Madrid"][pick % 3]),
        // Sharing's expiry is in the future, or sharing would end at once.
        FieldKind::Date if spec.name == "expires_on" => {
            if pick % 2 == 0 {
                Value::Null
            } else {
                json!("2031-01-01")
            }
        }
        FieldKind::Date => json!(format!("2026-11-{:02}", 1 + pick % 28)),
        FieldKind::Instant => json!(format!("2026-11-{:02}T08:{:02}:00Z", 1 + pick % 28, pick % 60)),
        FieldKind::Bool => Value::Bool(pick % 2 == 0),
        FieldKind::Int { min, max } => {
            let span = u64::try_from(max.saturating_sub(min)).unwrap_or(u64::MAX).min(100) + 1;
            json!(min + i64::try_from(u64::from(seed) % span).unwrap_or(0))
        }
        FieldKind::OneOf(values) => json!(values[pick % values.len()]),
        FieldKind::Uuid => json!(UUIDS[pick % UUIDS.len()]),
        FieldKind::TextList { max, .. } => add_or_remove(Value::from(format!("item {counter}").chars().take(max).collect::<String>())),
        FieldKind::UuidList { .. } => add_or_remove(json!(uuid::Uuid::new_v4().to_string())),
        FieldKind::OneOfList { values, min_items } => {
            let list = add_or_remove(json!(values[pick % values.len()]));
            if list.as_array().is_some_and(|l| l.len() >= min_items) { list } else { json!([values[pick % values.len()]]) }
        }
        FieldKind::IntList { len, min, max } => {
            let span = max - min + 1;
            Value::Array((0..len).map(|i| json!(min + (i64::from(seed) + i64::try_from(i).unwrap_or(0)) % span)).collect())
        }
        FieldKind::GasLevels => json!({"-2": format!("level {counter}"), "0": "as planned"}),
    }
}

// --- the checker ----------------------------------------------------------------

async fn check(server: &Server, case: &Case) -> TestResult {
    let participant = &case.participant;
    for (i, phone) in case.phones.iter().enumerate() {
        let waiting = phone.store.outbox()?;
        if !waiting.is_empty() {
            return Err(fail(format!("phone {i} still has changes waiting: {waiting:?}")));
        }
    }
    // The server's state, as a participant's and a peer worker's phone that
    // never synced receive it.
    let fresh = Phone::new(server, &server.base, participant, "fresh").await?;
    fresh.sync().await?;
    let expected = fresh.state(participant)?;
    for (i, phone) in case.phones[..PEER].iter().enumerate() {
        if phone.state(participant)? != expected {
            return Err(fail(format!("phone {i} differs from the server:\n{}\nvs\n{expected}", phone.state(participant)?)));
        }
    }
    let peer = &case.phones[PEER];
    let fresh_peer = Phone::new(server, &server.base, &peer.user_id, "fresh peer").await?;
    fresh_peer.sync().await?;
    if peer.state(participant)? != fresh_peer.state(participant)? {
        return Err(fail(format!(
            "the peer worker's phone differs from what the server shares:\n{}\nvs\n{}",
            peer.state(participant)?,
            fresh_peer.state(participant)?
        )));
    }
    // Nothing of a category the participant does not share stays with the peer worker.
    let sharing = stored_fields(&fresh.store, participant, Collection::Sharing, participant)?;
    let shared = |collection: Collection| {
        let category = serde_json::to_value(collection.category()).unwrap_or_default();
        let granted = |sharing: &Map<String, Value>| {
            category.as_str().is_some_and(|name| sharing.get(name) == Some(&Value::Bool(true)))
                && sharing.get("deleted") != Some(&Value::Bool(true))
        };
        collection.category() == Category::Always
            || (sharing.as_ref().is_some_and(granted)
                && !alongside_core::schema::sharing::is_expired(sharing.as_ref(), chrono::Utc::now().date_naive()))
    };
    for conflict in peer.store.conflicts(participant)? {
        if !shared(conflict.collection) {
            return Err(fail(format!("the peer worker's phone keeps a conflict of withdrawn {}", conflict.collection)));
        }
    }
    kept_every_acknowledged_edit(case, &fresh.store)
}

/// Every edit the server took is present, replaced by someone who had seen
/// it, or kept as a conflict on its phone; a list item is gone only where
/// someone who had it removed it.
fn kept_every_acknowledged_edit(case: &Case, server_copy: &Store) -> TestResult {
    let participant = &case.participant;
    let taken: Vec<&(usize, Change)> = case.queued.values().filter(|(_, c)| !case.refused.contains(&c.change_id)).collect();
    // (record, field) -> HLC -> value, of every change the server took.
    let mut history: HashMap<(String, String, String), BTreeMap<String, Value>> = HashMap::new();
    for (_, change) in &taken {
        for (name, value) in &change.fields {
            history
                .entry((change.collection.clone(), change.record_id.clone(), name.clone()))
                .or_default()
                .insert(change.hlc.clone(), value.clone());
        }
    }
    let seen_by_someone = |change: &Change, name: &str| {
        taken.iter().any(|(_, other)| {
            other.record_id == change.record_id
                && other.fields.contains_key(name)
                && other.base.as_ref().and_then(|b| b.seen(name)).flatten() == Some(change.hlc.as_str())
        })
    };
    let removed_by_someone_who_had_it = |change: &Change, name: &str, item: &Value| {
        taken.iter().any(|(_, other)| {
            let Some(seen) = other.base.as_ref().and_then(|b| b.seen(name)) else { return false };
            let before = seen.and_then(|hlc| history.get(&(other.collection.clone(), other.record_id.clone(), name.to_owned()))?.get(hlc));
            other.record_id == change.record_id
                && other.fields.get(name).and_then(Value::as_array).is_some_and(|after| !after.contains(item))
                && before.and_then(Value::as_array).is_some_and(|before| before.contains(item))
        })
    };
    // Sharing withdrawn ends the peer worker's part in what is no longer
    // shared: an edit of theirs that lost to a concurrent one there cannot be
    // merged by their phone, which no longer holds the record.
    let sharing: Option<alongside_core::model::Sharing> = server_copy.get(participant).ok();
    let withdrawn_from_peer = |phone: usize, collection: Collection| {
        phone == PEER && !sharing.as_ref().is_some_and(|s| s.shares(collection.category(), chrono::Utc::now().date_naive()))
    };
    let conflicts: Vec<Vec<alongside_core::store::Conflict>> =
        case.phones.iter().map(|p| p.store.conflicts(participant)).collect::<Result<_, _>>()?;
    for (phone, change) in &taken {
        let Ok(collection) = change.collection.parse::<Collection>() else { continue };
        let stored = stored_fields(server_copy, participant, collection, &change.record_id)?.unwrap_or_default();
        for (name, value) in &change.fields {
            let Some(spec) = collection.field(name) else { continue };
            let now = stored.get(name).unwrap_or(&Value::Null);
            let kept_here = || conflicts[*phone].iter().any(|c| c.record_id == change.record_id && c.field == *name && c.mine == *value);
            match spec.kind.on_concurrent_edit() {
                OnConcurrentEdit::LaterWins => {}
                OnConcurrentEdit::KeepLoser => {
                    if now != value && !seen_by_someone(change, name) && !kept_here() && !withdrawn_from_peer(*phone, collection) {
                        return Err(fail(format!(
                            "phone {phone}'s {collection}.{name} = {value} is gone (now {now}), and no one saw it and no conflict keeps it"
                        )));
                    }
                }
                OnConcurrentEdit::MergeLists => {
                    let now = now.as_array().cloned().unwrap_or_default();
                    for item in value.as_array().into_iter().flatten() {
                        if !now.contains(item)
                            && !removed_by_someone_who_had_it(change, name, item)
                            && !kept_here()
                            && !withdrawn_from_peer(*phone, collection)
                        {
                            return Err(fail(format!(
                                "phone {phone} added {item} to {collection}.{name}; it is gone and no one who had it removed it"
                            )));
                        }
                    }
                }
            }
        }
    }
    Ok(())
}

/// Cases the property once found, kept so they run every time.
#[test]
fn cases_found_before_still_converge() -> TestResult {
    let edit = |phone, collection, field, seed| Op::Edit { phone, collection, slot: 0, field, seed };
    let cases = vec![
        vec![edit(2, 13, 3, 3404), edit(2, 13, 0, 0), edit(2, 13, 12, 0)],
        vec![edit(2, 1, 14, 7478), Op::Lost(2), edit(0, 0, 0, 0), edit(3, 10, 0, 0), edit(0, 10, 0, 0), Op::Lost(3), edit(0, 1, 0, 0)],
    ];
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    let server = runtime.block_on(Server::start(Backend::Sqlite))?;
    for ops in cases {
        for _ in 0..20 {
            runtime.block_on(run_case(&server, ops.clone()))?;
        }
    }
    runtime.block_on(server.stop())
}
