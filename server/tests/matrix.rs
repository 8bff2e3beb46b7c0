//! The authorization matrix, through the real HTTP API on both backends:
//! every role (the participant, another participant, their peer worker,
//! another peer worker, an admin) × every collection × create / update / read,
//! before sharing, after sharing, after withdrawal and after expiry.
//!
//! The expected outcome of every cell is computed from [`TABLE`], transcribed
//! here from PROTOCOL.md's Collections table and "who sees what" text, not
//! from the server's policy module, so the two are checked against each other.

use std::collections::{BTreeMap, BTreeSet};

use alongside_harness::wire::{change, new_id};
use alongside_harness::{Backend, Server, TestResult, fail, on_every_backend};
use alongside_server::store::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

on_every_backend!(authorization_matrix);

/// "who writes", as PROTOCOL.md words it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    /// "participant"
    Participant,
    /// "participant, peer"
    ParticipantPeer,
    /// "peer"
    Peer,
    /// "participant creates; peer sets status"
    ParticipantCreatesPeerSetsStatus,
}

/// One row of the Collections table: name, category, who writes, and whether
/// it is one record per participant (record_id = participant_id).
struct Row {
    collection: &'static str,
    category: &'static str,
    who: Who,
    singleton: bool,
}

const fn row(collection: &'static str, category: &'static str, who: Who, singleton: bool) -> Row {
    Row { collection, category, who, singleton }
}

/// PROTOCOL.md, "## Collections".
const TABLE: &[Row] = &[
    row("profile", "always", Who::Participant, true),
    row("sharing", "always", Who::Participant, true),
    row("recovery_periods", "milestones", Who::Participant, false),
    row("goals", "goals", Who::ParticipantPeer, false),
    row("goal_progress", "goals", Who::ParticipantPeer, false),
    row("milestones", "milestones", Who::ParticipantPeer, false),
    row("coping_strategies", "coping", Who::ParticipantPeer, false),
    row("coping_uses", "coping", Who::Participant, false),
    row("contacts", "contacts", Who::ParticipantPeer, false),
    row("check_ins", "check_ins", Who::Participant, false),
    row("safety_plan", "safety_plan", Who::ParticipantPeer, true),
    row("reach_outs", "always", Who::ParticipantCreatesPeerSetsStatus, false),
    row("assessments", "assessments", Who::ParticipantPeer, false),
    row("messages", "always", Who::ParticipantPeer, false),
    row("encounter_notes", "always", Who::Peer, false),
];

/// The sharing record's category fields.
const CATEGORIES: &[&str] = &["goals", "milestones", "check_ins", "coping", "contacts", "safety_plan", "assessments"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Actor {
    Participant,
    OtherParticipant,
    PeerWorker,
    OtherPeerWorker,
    Admin,
}

const ACTORS: [Actor; 5] = [Actor::Participant, Actor::OtherParticipant, Actor::PeerWorker, Actor::OtherPeerWorker, Actor::Admin];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    BeforeSharing,
    AfterSharing,
    AfterWithdrawal,
    AfterExpiry,
}

const PHASES: [Phase; 4] = [Phase::BeforeSharing, Phase::AfterSharing, Phase::AfterWithdrawal, Phase::AfterExpiry];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Create,
    Update,
}

/// Whether the participant's peer worker sees the row's category in `phase`:
/// "profile, reach-outs, messages and encounter notes always; every other
/// category only while the participant shares it" (and not after `expires_on`).
fn peer_sees(row: &Row, phase: Phase) -> bool {
    row.category == "always" || phase == Phase::AfterSharing
}

/// The expected answer to `actor` writing `row` of the participant: `None` for applied, else the rejection code.
fn expected_write(actor: Actor, row: &Row, op: Op, phase: Phase) -> Option<&'static str> {
    let allowed = match actor {
        Actor::Participant => row.who != Who::Peer,
        Actor::PeerWorker => {
            peer_sees(row, phase)
                && match row.who {
                    Who::Participant => false,
                    Who::ParticipantPeer | Who::Peer => true,
                    Who::ParticipantCreatesPeerSetsStatus => op == Op::Update,
                }
        }
        Actor::OtherParticipant | Actor::OtherPeerWorker | Actor::Admin => false,
    };
    if allowed { None } else { Some("forbidden") }
}

/// Whether `actor` reads the participant's records of `row`.
fn expected_read(actor: Actor, row: &Row, phase: Phase) -> bool {
    match actor {
        Actor::Participant => true,
        Actor::PeerWorker => peer_sees(row, phase),
        Actor::OtherParticipant | Actor::OtherPeerWorker | Actor::Admin => false,
    }
}

/// A complete new record of the row's collection.
fn new_fields(collection: &str) -> Value {
    let instant = "2026-11-23T08:15:00Z";
    match collection {
        "profile" => json!({"display_name": "Rosa", "timezone": "America/Chicago"}),
        "sharing" => sharing(false, None),
        "recovery_periods" => json!({"start_date": "2026-01-01"}),
        "goals" => json!({"title": "Walk the kids to school", "area": "parenting", "status": "active"}),
        "goal_progress" => json!({"goal_id": new_id(), "recorded_at": instant}),
        "milestones" => json!({"title": "Regained custody", "kind": "personal"}),
        "coping_strategies" => json!({"title": "Call Ana", "steps": ["Dial"], "category": "craving", "triggers": [], "source": "personal"}),
        "coping_uses" => json!({"strategy_id": new_id(), "used_at": instant}),
        "contacts" => json!({"name": "Ana", "role": "sponsor"}),
        "check_ins" => json!({"at": instant, "mood": 3}),
        "safety_plan" => {
            json!({"warning_signs": ["Not sleeping"], "distractions": [], "environment_steps": [], "reasons_for_living": ["My kids"],
                                "strategy_ids": [], "help_contact_ids": [], "professional_contact_ids": []})
        }
        "reach_outs" => json!({"urgency": "urgent", "created_at": instant, "status": "open"}),
        "assessments" => json!({"instrument": "barc10", "responses": [3, 3, 3, 3, 3, 3, 3, 3, 3, 3], "taken_on": "2026-11-20"}),
        "messages" => json!({"body": "Can we talk?", "sent_at": instant}),
        "encounter_notes" => json!({"status": "draft", "occurred_on": "2026-11-22", "duration_minutes": 30, "mode": "phone",
                                    "location": "office", "service_types": ["recovery_coaching"], "goal_ids": [], "summary": "Talked"}),
        _ => Value::Null,
    }
}

/// An edit of an existing record by `actor`: the participant edits content;
/// anyone else sets what the table lets a non-author set where it says so
/// (a message's `read_at`, a reach-out's status), else content too.
fn update_fields(collection: &str, actor: Actor) -> Value {
    let owner = actor == Actor::Participant;
    match collection {
        "profile" => json!({"pronouns": "she/her"}),
        "sharing" => json!({"signed_at": "2026-11-23T09:00:00Z"}),
        "recovery_periods" | "goal_progress" | "coping_uses" | "check_ins" | "assessments" => json!({"note": "Edited"}),
        "goals" => json!({"description": "Edited"}),
        "milestones" => json!({"note": "Edited"}),
        "coping_strategies" => json!({"favorite": true}),
        "contacts" => json!({"phone": "555-0100"}),
        "safety_plan" => json!({"distractions": ["Walk"]}),
        "reach_outs" if owner => json!({"message": "Please call"}),
        "reach_outs" => json!({"status": "acknowledged", "acknowledged_at": "2026-11-23T09:00:00Z"}),
        "messages" if owner => json!({"body": "Edited"}),
        "messages" => json!({"read_at": "2026-11-23T09:00:00Z"}),
        "encounter_notes" => json!({"summary": "Edited"}),
        _ => Value::Null,
    }
}

fn sharing(shared: bool, expires_on: Option<&str>) -> Value {
    let mut fields: serde_json::Map<String, Value> = CATEGORIES.iter().map(|c| ((*c).to_owned(), Value::Bool(shared))).collect();
    fields.insert("signed_at".into(), json!("2026-11-23T08:00:00Z"));
    fields.insert("expires_on".into(), expires_on.map_or(Value::Null, |d| json!(d)));
    Value::Object(fields)
}

/// The sharing record's fields in each phase (none before sharing).
fn sharing_now_of(phase: Phase) -> Option<Value> {
    match phase {
        Phase::BeforeSharing => None,
        Phase::AfterSharing => Some(sharing(true, None)),
        Phase::AfterWithdrawal => Some(sharing(false, None)),
        Phase::AfterExpiry => Some(sharing(true, Some("2020-01-01"))),
    }
}

/// HLCs that increase through the whole test.
struct Clock(i64);

impl Clock {
    fn next(&mut self, node: &str) -> String {
        self.0 += 1;
        alongside_harness::wire::hlc(-3_600_000 + self.0, 0, node)
    }
}

async fn authorization_matrix(backend: Backend) -> TestResult {
    let server = Server::start(backend).await?;
    let mut ids: BTreeMap<Actor, String> = BTreeMap::new();
    let mut tokens: BTreeMap<Actor, String> = BTreeMap::new();
    for (actor, name, role) in [
        (Actor::Participant, "rosa", Role::Participant),
        (Actor::OtherParticipant, "ana", Role::Participant),
        (Actor::PeerWorker, "will", Role::PeerWorker),
        (Actor::OtherPeerWorker, "jo", Role::PeerWorker),
        (Actor::Admin, "root", Role::Admin),
    ] {
        ids.insert(actor, server.add_user(name, role).await?);
        tokens.insert(actor, server.token(name).await?);
    }
    let id = |actor: Actor| ids.get(&actor).cloned().unwrap_or_default();
    let token = |actor: Actor| tokens.get(&actor).cloned().unwrap_or_default();
    let rosa = id(Actor::Participant);
    server.assign(&id(Actor::PeerWorker), &rosa).await?;
    server.assign(&id(Actor::OtherPeerWorker), &id(Actor::OtherParticipant)).await?;
    let mut clock = Clock(0);

    // Baseline: one record of every collection, written by whoever the table
    // lets write it (encounter notes by the peer worker), so updates have
    // something to update. Ana has records of her own, for leaks the other way.
    let mut baseline: BTreeMap<&str, String> = BTreeMap::new();
    for row in TABLE {
        let record_id = if row.singleton { rosa.clone() } else { new_id() };
        let author = if row.who == Who::Peer { Actor::PeerWorker } else { Actor::Participant };
        let created = change(row.collection, &record_id, &rosa, &clock.next("base"), new_fields(row.collection));
        let statuses = server.push_ok(&token(author), &[created]).await?;
        if statuses != ["applied"] {
            return Err(fail(format!("baseline {}: {statuses:?}", row.collection)));
        }
        baseline.insert(row.collection, record_id);
    }
    let ana = id(Actor::OtherParticipant);
    let ana_records = [
        change("goals", &new_id(), &ana, &clock.next("ana"), new_fields("goals")),
        change("messages", &new_id(), &ana, &clock.next("ana"), new_fields("messages")),
    ];
    assert_eq!(server.push_ok(&token(Actor::OtherParticipant), &ana_records).await?, ["applied"; 2]);

    let mut peer_cursor: Option<String> = None;
    let mut mismatches: Vec<String> = Vec::new();
    let mut cells = 0usize;
    let mut fresh_ids: BTreeSet<String> = BTreeSet::new();
    for phase in PHASES {
        if let Some(fields) = sharing_now_of(phase) {
            let set = change("sharing", &rosa, &rosa, &clock.next("rosa"), fields);
            assert_eq!(server.push_ok(&token(Actor::Participant), &[set]).await?, ["applied"], "{phase:?}");
        }

        // The peer worker's device, pulling on from where it was: purges
        // arrive exactly when something was withdrawn or expired.
        let (purged, cursor) = pull_purges(&server, &token(Actor::PeerWorker), peer_cursor.as_deref()).await?;
        peer_cursor = Some(cursor);
        let shareable: BTreeSet<String> = TABLE.iter().filter(|r| r.category != "always").map(|r| r.collection.to_owned()).collect();
        let purged_rosa: BTreeSet<String> = purged.get(&rosa).cloned().unwrap_or_default();
        let expected_purge = match phase {
            Phase::BeforeSharing | Phase::AfterSharing => BTreeSet::new(),
            Phase::AfterWithdrawal | Phase::AfterExpiry => shareable.clone(),
        };
        if purged_rosa != expected_purge {
            mismatches.push(format!("{phase:?}: peer worker purged {purged_rosa:?}, expected {expected_purge:?}"));
        }

        for actor in ACTORS {
            // Writes: one batch of creates, one of updates; results come back in order.
            for op in [Op::Create, Op::Update] {
                let rows: Vec<&Row> = TABLE.iter().filter(|r| op == Op::Update || !r.singleton).collect();
                let node = format!("{actor:?}");
                let batch: Vec<Value> = rows
                    .iter()
                    .map(|row| match op {
                        Op::Create => change(row.collection, &new_id(), &rosa, &clock.next(&node), new_fields(row.collection)),
                        Op::Update => {
                            let record_id = baseline.get(row.collection).cloned().unwrap_or_default();
                            change(row.collection, &record_id, &rosa, &clock.next(&node), update_fields(row.collection, actor))
                        }
                    })
                    .collect();
                let (status, body) = server.push(&token(actor), &batch).await?;
                if status != StatusCode::OK {
                    return Err(fail(format!("{phase:?} {actor:?} {op:?}: {status} {body}")));
                }
                for (index, row) in rows.iter().enumerate() {
                    cells += 1;
                    let result = &body["results"][index];
                    let got = match result["status"].as_str() {
                        Some("applied") => None,
                        _ => Some(result["error"]["code"].as_str().unwrap_or("?")),
                    };
                    let expected = expected_write(actor, row, op, phase);
                    if got != expected {
                        mismatches.push(format!(
                            "{phase:?} {actor:?} {op:?} {}: got {got:?}, expected {expected:?} ({})",
                            row.collection, result["error"]["message"]
                        ));
                    }
                }
            }
            // Creating the one-per-participant records (profile, sharing,
            // safety plan), which Rosa already has: on a new participant on
            // Will's caseload, in the same consent state.
            let fresh_name = format!("fresh-{phase:?}-{actor:?}").to_lowercase();
            let fresh = server.add_user(&fresh_name, Role::Participant).await?;
            fresh_ids.insert(fresh.clone());
            server.assign(&id(Actor::PeerWorker), &fresh).await?;
            let fresh_token = server.token(&fresh_name).await?;
            if let Some(fields) = sharing_now_of(phase) {
                let set = change("sharing", &fresh, &fresh, &clock.next("fresh"), fields);
                assert_eq!(server.push_ok(&fresh_token, &[set]).await?, ["applied"], "{phase:?}");
            }
            let singletons: Vec<&Row> =
                TABLE.iter().filter(|r| r.singleton && !(r.collection == "sharing" && phase != Phase::BeforeSharing)).collect();
            let node = format!("{actor:?}-fresh");
            let batch: Vec<Value> = singletons
                .iter()
                .map(|row| change(row.collection, &fresh, &fresh, &clock.next(&node), new_fields(row.collection)))
                .collect();
            let creator = if actor == Actor::Participant { fresh_token.clone() } else { token(actor) };
            let (status, body) = server.push(&creator, &batch).await?;
            if status != StatusCode::OK {
                return Err(fail(format!("{phase:?} {actor:?} singletons: {status} {body}")));
            }
            for (index, row) in singletons.iter().enumerate() {
                cells += 1;
                let result = &body["results"][index];
                let got = match result["status"].as_str() {
                    Some("applied") => None,
                    _ => Some(result["error"]["code"].as_str().unwrap_or("?")),
                };
                let expected = expected_write(actor, row, Op::Create, phase);
                if got != expected {
                    mismatches.push(format!("{phase:?} {actor:?} Create {}: got {got:?}, expected {expected:?}", row.collection));
                }
            }

            // Reads: a fresh device of the actor pulls everything it may see.
            let seen = server.pull_all(&token(actor)).await?;
            let seen_of_rosa: BTreeSet<&str> =
                seen.iter().filter(|c| c["participant_id"] == json!(rosa)).filter_map(|c| c["collection"].as_str()).collect();
            for row in TABLE {
                cells += 1;
                let expected = expected_read(actor, row, phase);
                if seen_of_rosa.contains(row.collection) != expected {
                    mismatches.push(format!("{phase:?} {actor:?} read {}: expected {expected}", row.collection));
                }
            }
            // Zero leaks: nothing of anyone the actor may not see.
            for change in &seen {
                let participant = change["participant_id"].as_str().unwrap_or("");
                let allowed = match actor {
                    Actor::Participant => participant == rosa,
                    Actor::PeerWorker => participant == rosa || fresh_ids.contains(participant),
                    Actor::OtherParticipant | Actor::OtherPeerWorker => participant == ana,
                    Actor::Admin => false,
                };
                if !allowed {
                    mismatches.push(format!("{phase:?} {actor:?} leaked {} of {participant}", change["collection"]));
                }
            }
        }
    }
    // Per phase and role: 15 reads, 15 updates, 12 creates on Rosa and the
    // singletons' creates on a new participant (3 before sharing, then 2).
    assert_eq!(cells, 5 * (4 * (15 + 15 + 12) + 3 + 3 * 2), "every cell was checked");
    if !mismatches.is_empty() {
        return Err(fail(format!("{} of {cells} cells differ from PROTOCOL.md:\n{}", mismatches.len(), mismatches.join("\n"))));
    }
    server.stop().await
}

/// Pulls every page after `cursor`; returns the collections purged per participant and the last cursor.
async fn pull_purges(
    server: &Server,
    token: &str,
    cursor: Option<&str>,
) -> Result<(BTreeMap<String, BTreeSet<String>>, String), alongside_harness::BoxError> {
    let mut purged: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut cursor = cursor.map(str::to_owned);
    for _ in 0..1000 {
        let (status, page) = server.pull(token, cursor.as_deref(), Some(7)).await?;
        if status != StatusCode::OK {
            return Err(fail(format!("pull: {status} {page}")));
        }
        for purge in page["purge"].as_array().cloned().unwrap_or_default() {
            let entry = purged.entry(purge["participant_id"].as_str().unwrap_or("").to_owned()).or_default();
            entry.extend(purge["collections"].as_array().cloned().unwrap_or_default().iter().filter_map(|c| c.as_str().map(str::to_owned)));
        }
        cursor = page["cursor"].as_str().map(str::to_owned);
        if page["has_more"] != json!(true) {
            return Ok((purged, cursor.unwrap_or_default()));
        }
    }
    Err(fail("pull never ended"))
}
