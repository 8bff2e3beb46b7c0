//! A coverage-free fuzzer for change decoding, validation and policy: proptest
//! generates arbitrary JSON and mutated valid changes for a fixed time budget
//! (`ALONGSIDE_FUZZ_SECS`, 60 by default; `tests/all.sh` runs it). Each case
//! goes through decoding (`Change`), validation (`Change::check`), the whole
//! push decision (`plan_push`, with the policy) against a snapshot for every
//! role, and, every few cases, a real server over HTTP on each available
//! backend. Nothing may panic, no answer may be a 5xx, and the sync rules'
//! invariants must hold (one result per change; nothing applied that the
//! policy forbids; rejected changes write nothing).
//!
//! `cargo test -p alongside-server --test fuzz -- --ignored` (it is ignored in
//! the ordinary run because it takes its whole budget).

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use alongside_harness::wire::hlc;
use alongside_harness::{Backend, Server};
use alongside_protocol::Change;
use alongside_protocol::protocol::PushStatus;
use alongside_server::policy::Actor;
use alongside_server::store::{PushSnapshot, RecordKey, Role, StoredRecord};
use alongside_server::sync::{PushContext, plan_push};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{Map, Value, json};

const PARTICIPANT: &str = "0b6f6f3e-5d0a-4f57-9c3e-2f0f3c1a2b10";
const OTHER: &str = "1c7e7e4f-6e1b-4068-8d4f-3a1a4d2b3c21";
const PEER: &str = "2d8f8f5a-7f2c-4179-9e5a-4b2b5e3c4d32";
const RECORD: &str = "3e9a9a6b-8a3d-428a-8f6b-5c3c6f4d5e43";

const COLLECTIONS: &[&str] = &[
    "profile",
    "sharing",
    "recovery_periods",
    "goals",
    "goal_progress",
    "milestones",
    "coping_strategies",
    "coping_uses",
    "contacts",
    "check_ins",
    "safety_plan",
    "reach_outs",
    "assessments",
    "messages",
    "encounter_notes",
    "nope",
];

const FIELD_NAMES: &[&str] = &[
    "title",
    "area",
    "status",
    "body",
    "sent_at",
    "read_at",
    "goals",
    "expires_on",
    "deleted",
    "summary",
    "amends",
    "mood",
    "at",
    "responses",
    "steps",
    "gas_levels",
    "urgency",
    "created_at",
    "display_name",
    "timezone",
    "x",
];

fn arbitrary_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        any::<String>().prop_map(Value::String),
        prop::sample::select(vec![
            json!(PARTICIPANT),
            json!(OTHER),
            json!(RECORD),
            json!("2026-11-23"),
            json!("2026-02-30"),
            json!("2026-11-23T08:15:00Z"),
            json!("submitted"),
            json!("draft"),
            json!("active"),
            json!("urgent"),
            json!("America/Chicago"),
            json!("\u{0}"),
            json!("\u{202e}"),
            json!("'; DROP TABLE records; --"),
        ]),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(prop::sample::select(FIELD_NAMES).prop_map(str::to_owned), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A change that is mostly right: valid ids and HLC, a real collection, fields
/// with real names and arbitrary values; sometimes one key replaced by anything.
fn mostly_valid_change() -> impl Strategy<Value = Value> {
    (
        prop::sample::select(COLLECTIONS),
        prop::sample::select(vec![PARTICIPANT, OTHER]),
        any::<bool>(),
        prop::collection::btree_map(prop::sample::select(FIELD_NAMES).prop_map(str::to_owned), arbitrary_json(), 0..5),
        prop::option::of((
            prop::sample::select(vec!["change_id", "collection", "record_id", "participant_id", "hlc", "fields"]),
            arbitrary_json(),
        )),
        0u16..4,
    )
        .prop_map(|(collection, participant, same_record, fields, replace, counter)| {
            let singleton = matches!(collection, "profile" | "sharing" | "safety_plan");
            let record_id = if singleton {
                participant.to_owned()
            } else if same_record {
                RECORD.to_owned()
            } else {
                uuid::Uuid::new_v4().to_string()
            };
            let mut change = json!({
                "change_id": uuid::Uuid::new_v4().to_string(),
                "collection": collection,
                "record_id": record_id,
                "participant_id": participant,
                "hlc": hlc(-60_000, counter, "fuzz"),
                "fields": Value::Object(fields.into_iter().collect::<Map<String, Value>>()),
            });
            if let Some((key, value)) = replace {
                change[key] = value;
            }
            change
        })
}

fn batch() -> impl Strategy<Value = Value> {
    prop_oneof![
        1 => arbitrary_json(),
        6 => prop::collection::vec(mostly_valid_change(), 0..6).prop_map(|changes| json!({"changes": changes})),
    ]
}

/// Existing records the batch may touch: a submitted note, a message, a
/// shared sharing record, a reach-out.
fn snapshot() -> PushSnapshot {
    let record = |collection: &str, record_id: &str, participant: &str, author: &str, fields: Value| {
        let fields: Map<String, Value> = fields.as_object().cloned().unwrap_or_default();
        let clocks = fields.keys().map(|k| (k.clone(), json!(hlc(-120_000, 0, "seed")))).collect();
        let authors = fields.keys().map(|k| (k.clone(), json!(author))).collect();
        StoredRecord {
            collection: collection.into(),
            record_id: record_id.into(),
            participant_id: participant.into(),
            fields,
            clocks,
            authors,
            first_author_id: author.into(),
            seq: 1,
            bases: Map::new(),
        }
    };
    let mut records = HashMap::new();
    for r in [
        record("encounter_notes", RECORD, PARTICIPANT, PEER, json!({"status": "submitted", "summary": "s"})),
        record("messages", RECORD, PARTICIPANT, PARTICIPANT, json!({"body": "b", "sent_at": "2026-11-23T08:15:00Z"})),
        record("reach_outs", RECORD, PARTICIPANT, PARTICIPANT, json!({"urgency": "urgent", "status": "open"})),
        record("sharing", PARTICIPANT, PARTICIPANT, PARTICIPANT, json!({"goals": true, "check_ins": true})),
    ] {
        records.insert(r.key(), r);
    }
    PushSnapshot { applied: HashSet::new(), records, caseload: [PARTICIPANT.to_owned()].into() }
}

/// Decodes, validates and plans `value` for every role; checks the invariants.
fn judge(value: &Value) -> Result<(), TestCaseError> {
    let Ok(request) = serde_json::from_value::<alongside_protocol::protocol::PushRequest>(value.clone()) else { return Ok(()) };
    for change in &request.changes {
        let _ = change.check(true);
        let _ = change.check(false);
    }
    for (user_id, role) in [(PARTICIPANT, Role::Participant), (OTHER, Role::Participant), (PEER, Role::PeerWorker), (PEER, Role::Admin)] {
        let context = PushContext::at(Actor { user_id: user_id.into(), role }, &alongside_server::clock::Clock::default());
        let (results, writes) = plan_push(&context, &request.changes, snapshot());
        prop_assert_eq!(results.len(), request.changes.len());
        let applied: Vec<&Change> =
            request.changes.iter().zip(&results).filter(|(_, r)| r.status == PushStatus::Applied).map(|(c, _)| c).collect();
        for change in &applied {
            prop_assert!(role != Role::Admin, "an admin's change was applied");
            if role == Role::Participant {
                prop_assert_eq!(&change.participant_id, user_id, "a participant wrote another's record");
                prop_assert!(change.collection != "encounter_notes", "a participant wrote an encounter note");
            } else {
                prop_assert_eq!(change.participant_id.as_str(), PARTICIPANT, "a peer worker wrote outside the caseload");
                prop_assert!(
                    !["sharing", "profile", "check_ins", "coping_uses", "recovery_periods"].contains(&change.collection.as_str()),
                    "a peer worker wrote {}",
                    change.collection
                );
            }
            let key = RecordKey::new(change.collection.as_str(), change.record_id.as_str());
            if key == RecordKey::new("encounter_notes", RECORD) {
                return Err(TestCaseError::fail("a submitted note was changed"));
            }
        }
        for record in &writes.records {
            prop_assert!(
                applied.iter().any(|c| c.record_id == record.record_id && c.collection == record.collection),
                "a write without an applied change"
            );
        }
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "runs for its whole time budget; tests/all.sh runs it"]
async fn fuzz_decoding_validation_and_policy() -> alongside_harness::TestResult {
    let budget = Duration::from_secs(std::env::var("ALONGSIDE_FUZZ_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(60));
    let mut servers = Vec::new();
    for backend in Backend::available()? {
        {
            let server = Server::start(backend).await?;
            let participant = server.add_user("rosa", Role::Participant).await?;
            let peer = server.add_user("will", Role::PeerWorker).await?;
            server.assign(&peer, &participant).await?;
            let tokens = [server.token("rosa").await?, server.token("will").await?];
            servers.push((server, tokens));
        }
    }
    let started = Instant::now();
    let mut runner = TestRunner::new(Config { failure_persistence: None, ..Config::default() });
    let strategy = batch();
    let (mut cases, mut over_http) = (0u64, 0u64);
    while started.elapsed() < budget {
        let tree = strategy.new_tree(&mut runner).map_err(|e| alongside_harness::fail(e.to_string()))?;
        let value = tree.current();
        if let Err(error) = judge(&value) {
            return Err(alongside_harness::fail(format!("{error}: {value}")));
        }
        cases += 1;
        if cases % 8 == 0 {
            for (server, tokens) in &servers {
                for token in tokens {
                    let response = server
                        .http
                        .post(server.url("/v1/sync/push"))
                        .bearer_auth(token)
                        .header("content-type", "application/json")
                        .body(value.to_string())
                        .send()
                        .await?;
                    let status = response.status();
                    if status.is_server_error() {
                        return Err(alongside_harness::fail(format!("{status} for {value}: {}", response.text().await?)));
                    }
                    over_http += 1;
                }
            }
        }
    }
    eprintln!("fuzz: {cases} cases in {:.0?}, {over_http} of them over HTTP on {} backend(s)", started.elapsed(), servers.len());
    for (server, _) in servers {
        server.stop().await?;
    }
    Ok(())
}
