//! What a participant and their peer worker do together, seen from their two
//! phones: messages and read receipts, the peer worker's caseload, encounter
//! notes (draft, submit, amend), consent to share, and reaching out while
//! offline. Each phone is a real encrypted store; changes travel between them
//! as the server would carry them (`pending_changes` → `apply_remote`, with
//! `author_id` set to the writer).

mod common;

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use alongside_core::codes::RejectionCode;
use alongside_core::i18n::Language;
use alongside_core::model::{
    CheckIn, Contact, ContactRole, EncounterLocation, EncounterNote, Goal, Message, NoteStatus, ReachOut, ReachOutStatus, RecoveryPeriod,
    Sharing, Urgency,
};
use alongside_core::schema::Category;
use alongside_core::store::Session;
use alongside_core::sync::{Delivery, ReachOutAnswer, SyncClient, SyncConfig, SyncEngine, SyncObserver, SyncStatus, Timeouts};
use alongside_core::views::{CaseloadRow, ContactPriority};
use alongside_core::{Change, Error, Store};
use chrono::{DateTime, Utc};
use common::fixtures::{
    KEY, TestResult, check_in, contact, date, encounter_note, goal, new_id, open_store, profile, reach_out, store_path, utc,
};
use serde_json::Value;
use tokio::runtime::Handle;

/// Dana: a mother of two in recovery, on Rosa's caseload. A participant's
/// user id is their participant id.
const DANA: &str = "5d0c9a1e-7b2f-4c3d-9e8a-1f2b3c4d5e6f";
/// Rosa: Dana's peer worker.
const ROSA: &str = "a1b2c3d4-0000-4e5f-8a9b-0c1d2e3f4a5b";

/// Four more participants on Rosa's caseload. Their names sort the opposite
/// way of who needs contact first, so ordering by name alone cannot pass.
const ZOE: &str = "11111111-1111-4111-8111-111111111111";
const YARA: &str = "22222222-2222-4222-8222-222222222222";
const XAVI: &str = "33333333-3333-4333-8333-333333333333";
const WREN: &str = "44444444-4444-4444-8444-444444444444";

// ---------------------------------------------------------------------------
// Fixtures: phones, and the server between them
// ---------------------------------------------------------------------------

/// One person's phone.
struct Phone {
    _dir: tempfile::TempDir,
    store: Store,
    user_id: String,
    /// The participants whose records reach this phone (a participant: only
    /// their own; a peer worker: their caseload).
    sees: Vec<String>,
}

impl Phone {
    fn sees(&self, participant_id: &str) -> bool {
        self.sees.iter().any(|p| p == participant_id)
    }

    fn pending(&self) -> TestResult<Vec<Change>> {
        common::fixtures::pending(&self.store)
    }

    fn pending_count(&self) -> TestResult<usize> {
        Ok(self.pending()?.len())
    }

    fn last_pending(&self) -> TestResult<Change> {
        common::fixtures::last_pending(&self.store)
    }
}

fn session(user_id: &str, role: &str, display_name: &str) -> Session {
    Session {
        token: format!("token-of-{user_id}"),
        device_id: new_id(),
        user_id: user_id.into(),
        role: role.into(),
        display_name: display_name.into(),
    }
}

/// A participant's phone, signed in as them.
fn participant_phone(participant_id: &str, name: &str) -> TestResult<Phone> {
    let (dir, store) = open_store()?;
    store.set_session(Some(&session(participant_id, "participant", name)))?;
    Ok(Phone { _dir: dir, store, user_id: participant_id.into(), sees: vec![participant_id.into()] })
}

/// Rosa's phone, signed in as her, with `caseload` on it.
fn peer_phone(caseload: &[&str]) -> TestResult<Phone> {
    let (dir, store) = open_store()?;
    store.set_session(Some(&session(ROSA, "peer_worker", "Rosa M.")))?;
    Ok(Phone { _dir: dir, store, user_id: ROSA.into(), sees: caseload.iter().map(|p| (*p).to_owned()).collect() })
}

/// What the server does between two phones: every change `from` has made
/// that `to` may see, stamped with its author, merged on `to`. Delivering
/// again is harmless (merge is idempotent). Returns how many changes set a
/// field on `to`.
fn deliver(from: &Phone, to: &Phone) -> TestResult<usize> {
    let changes: Vec<Change> = from
        .pending()?
        .into_iter()
        .filter(|c| to.sees(&c.participant_id))
        .map(|c| Change { author_id: Some(from.user_id.clone()), ..c })
        .collect();
    let report = to.store.apply_remote(&changes)?;
    assert!(report.rejected.is_empty(), "the merge refused changes: {:?}", report.rejected);
    Ok(report.applied)
}

fn field_names(change: &Change) -> BTreeSet<&str> {
    change.fields.keys().map(String::as_str).collect()
}

/// The one message of a conversation, with whether it is mine.
fn only_message(store: &Store, participant_id: &str) -> TestResult<(Message, bool)> {
    let mut conversation = store.conversation(participant_id)?;
    assert_eq!(conversation.len(), 1, "expected one message, got {conversation:?}");
    let entry = conversation.pop().ok_or("no message")?;
    Ok((entry.message, entry.mine))
}

// ---------------------------------------------------------------------------
// 1. Messages and read receipts
// ---------------------------------------------------------------------------

#[test]
fn a_message_written_offline_reaches_the_peer_worker_as_theirs_to_read() -> TestResult {
    let dana = participant_phone(DANA, "Dana R.")?;
    let rosa = peer_phone(&[DANA])?;

    let sent = dana.store.send_message(DANA, "Can we meet before Thursday's hearing?", utc(2026, 11, 23, 14, 5))?;
    assert_eq!(dana.pending_count()?, 1, "the message waits in the outbox while offline");
    assert!(rosa.store.conversation(DANA)?.is_empty(), "nothing reaches Rosa before a sync");

    assert_eq!(deliver(&dana, &rosa)?, 1);

    let (on_rosas, mine) = only_message(&rosa.store, DANA)?;
    assert_eq!(on_rosas, sent, "Rosa sees the message as Dana wrote it");
    assert!(!mine, "on Rosa's phone, Dana's message is not Rosa's");
    let (on_danas, mine) = only_message(&dana.store, DANA)?;
    assert_eq!(on_danas, sent);
    assert!(mine, "on Dana's phone, her message is hers");

    assert_eq!(rosa.store.unread_messages(DANA)?, 1, "Rosa has one message to read");
    assert_eq!(dana.store.unread_messages(DANA)?, 0, "Dana's own message is not unread for her");
    Ok(())
}

#[test]
fn marking_a_message_read_sends_a_receipt_back() -> TestResult {
    let dana = participant_phone(DANA, "Dana R.")?;
    let rosa = peer_phone(&[DANA])?;
    let sent = dana.store.send_message(DANA, "Can we meet before Thursday's hearing?", utc(2026, 11, 23, 14, 5))?;
    deliver(&dana, &rosa)?;

    let before = rosa.pending_count()?;
    let read_at = utc(2026, 11, 23, 14, 30);
    let read = rosa.store.mark_message_read(&sent.id, read_at)?;
    assert_eq!(read.read_at, Some(read_at));
    assert_eq!(rosa.store.get::<Message>(&sent.id)?.read_at, Some(read_at), "the store keeps the read time");
    assert_eq!(rosa.store.unread_messages(DANA)?, 0, "the unread count drops once read");
    assert_eq!(rosa.pending_count()?, before + 1, "the receipt is one change");
    let receipt = rosa.last_pending()?;
    assert_eq!(receipt.record_id, sent.id);
    assert_eq!(field_names(&receipt), BTreeSet::from(["read_at"]), "the receipt carries only read_at");

    deliver(&rosa, &dana)?;
    let (on_danas, mine) = only_message(&dana.store, DANA)?;
    assert!(mine, "the receipt does not change who wrote the message");
    assert_eq!(on_danas.read_at, Some(read_at), "Dana sees when Rosa read it");
    assert_eq!(on_danas.body, sent.body);
    assert_eq!(dana.store.unread_messages(DANA)?, 0);
    Ok(())
}

#[test]
fn marking_ones_own_message_read_is_refused_and_writes_nothing() -> TestResult {
    let dana = participant_phone(DANA, "Dana R.")?;
    let rosa = peer_phone(&[DANA])?;
    let sent = dana.store.send_message(DANA, "Can we meet before Thursday's hearing?", utc(2026, 11, 23, 14, 5))?;
    let reply = rosa.store.send_message(DANA, "Yes, Wednesday at 10 at the library?", utc(2026, 11, 23, 14, 40))?;

    for (phone, own) in [(&dana, &sent), (&rosa, &reply)] {
        let outbox = phone.pending()?;
        match phone.store.mark_message_read(&own.id, utc(2026, 11, 23, 15, 0)) {
            Err(Error::Validation { field, .. }) => assert_eq!(field, "read_at", "the error names read_at"),
            other => panic!("marking one's own message read: expected a validation error on read_at, got {other:?}"),
        }
        assert_eq!(phone.pending()?, outbox, "a refused receipt must not reach the outbox");
        assert_eq!(phone.store.get::<Message>(&own.id)?, *own, "a refused receipt must not change the message");
    }
    Ok(())
}

#[test]
fn marking_a_message_read_twice_keeps_the_first_time() -> TestResult {
    let dana = participant_phone(DANA, "Dana R.")?;
    let rosa = peer_phone(&[DANA])?;
    let sent = dana.store.send_message(DANA, "Can we meet before Thursday's hearing?", utc(2026, 11, 23, 14, 5))?;
    deliver(&dana, &rosa)?;

    let first = utc(2026, 11, 23, 14, 30);
    rosa.store.mark_message_read(&sent.id, first)?;
    let outbox = rosa.pending()?;
    let again = rosa.store.mark_message_read(&sent.id, utc(2026, 11, 24, 9, 0))?;
    assert_eq!(again.read_at, Some(first), "the second tap returns the first read time");
    assert_eq!(rosa.store.get::<Message>(&sent.id)?.read_at, Some(first), "the store keeps the first read time");
    assert_eq!(rosa.pending()?, outbox, "the second tap writes nothing");
    Ok(())
}

#[test]
fn a_conversation_both_ways_shows_whose_each_message_is_on_both_phones() -> TestResult {
    let dana = participant_phone(DANA, "Dana R.")?;
    let rosa = peer_phone(&[DANA])?;
    let question = dana.store.send_message(DANA, "Can we meet before Thursday's hearing?", utc(2026, 11, 23, 14, 5))?;
    deliver(&dana, &rosa)?;
    let answer = rosa.store.send_message(DANA, "Yes, Wednesday at 10 at the library?", utc(2026, 11, 23, 14, 40))?;
    let thanks = dana.store.send_message(DANA, "Perfect, thank you", utc(2026, 11, 23, 14, 50))?;
    deliver(&rosa, &dana)?;
    deliver(&dana, &rosa)?;

    let expected_on_dana = vec![(question.id.clone(), true), (answer.id.clone(), false), (thanks.id.clone(), true)];
    let expected_on_rosa = vec![(question.id.clone(), false), (answer.id.clone(), true), (thanks.id.clone(), false)];
    for (phone, expected) in [(&dana, expected_on_dana), (&rosa, expected_on_rosa)] {
        let got: Vec<(String, bool)> = phone.store.conversation(DANA)?.into_iter().map(|m| (m.message.id, m.mine)).collect();
        assert_eq!(got, expected, "{}: oldest first, each marked whose it is", phone.user_id);
    }
    assert_eq!(dana.store.unread_messages(DANA)?, 1, "Dana has Rosa's answer to read");
    assert_eq!(rosa.store.unread_messages(DANA)?, 2, "Rosa has Dana's two messages to read");
    Ok(())
}

#[test]
fn messages_written_before_sign_in_are_mine_before_and_after_it() -> TestResult {
    let (dir, store) = open_store()?;
    let dana = Phone { _dir: dir, store, user_id: DANA.into(), sees: vec![DANA.into()] };
    let rosa = peer_phone(&[DANA])?;

    let offline = dana.store.send_message(DANA, "Written before I signed in", utc(2026, 11, 23, 8, 0))?;
    let (_, mine) = only_message(&dana.store, DANA)?;
    assert!(mine, "a message written on this phone before sign-in is mine");
    assert_eq!(dana.store.unread_messages(DANA)?, 0);

    // Rosa's message arrives before Dana signs in: it is Rosa's, not Dana's.
    let from_rosa = rosa.store.send_message(DANA, "Welcome to Alongside, Dana", utc(2026, 11, 23, 9, 0))?;
    deliver(&rosa, &dana)?;
    assert_eq!(dana.store.unread_messages(DANA)?, 1, "Rosa's message is unread before sign-in");

    dana.store.set_session(Some(&session(DANA, "participant", "Dana R.")))?;
    let whose: Vec<(String, bool)> = dana.store.conversation(DANA)?.into_iter().map(|m| (m.message.id, m.mine)).collect();
    assert_eq!(whose, vec![(offline.id.clone(), true), (from_rosa.id.clone(), false)], "sign-in keeps who wrote what");
    assert_eq!(dana.store.unread_messages(DANA)?, 1);
    assert!(dana.store.is_mine::<Message>(&offline.id)?);
    assert!(!dana.store.is_mine::<Message>(&from_rosa.id)?);

    // Still hers after the phone is reopened.
    let path = store_path(&dana._dir);
    drop(dana.store);
    let reopened = Store::open(&path, &KEY)?;
    assert!(reopened.is_mine::<Message>(&offline.id)?, "after reopening, the pre-sign-in message is still mine");
    assert!(!reopened.is_mine::<Message>(&from_rosa.id)?);
    assert_eq!(reopened.unread_messages(DANA)?, 1);
    Ok(())
}

// ---------------------------------------------------------------------------
// 2. The caseload
// ---------------------------------------------------------------------------

/// Rosa's phone with four participants merged in, and their phones.
struct Caseload {
    rosa: Phone,
    zoe: Phone,
    yara: Phone,
    reach_out_id: String,
    now: DateTime<Utc>,
}

/// Zoe has an urgent reach-out nobody acknowledged and recovery time on the
/// phone; Yara has only an unread message; Xavi has a goal scored -1; Wren has
/// nothing waiting (a goal above expected, two check-ins, and a message from
/// Rosa, which is not unread for Rosa).
fn caseload_fixture() -> TestResult<Caseload> {
    let now = utc(2026, 11, 23, 15, 0);
    let rosa = peer_phone(&[ZOE, YARA, XAVI, WREN])?;

    let zoe = participant_phone(ZOE, "Zoe")?;
    zoe.store.create(&profile(ZOE, "Zoe"))?;
    zoe.store.create(&RecoveryPeriod { participant_id: ZOE.into(), start_date: date(2026, 10, 25), ..RecoveryPeriod::default() })?;
    let reach_out = zoe.store.create(&reach_out(ZOE, Urgency::Urgent, ReachOutStatus::Open, utc(2026, 11, 23, 13, 0)))?;

    let yara = participant_phone(YARA, "Yara")?;
    yara.store.create(&profile(YARA, "Yara"))?;
    yara.store.send_message(YARA, "The shelter found us a room!", utc(2026, 11, 23, 11, 0))?;

    let xavi = participant_phone(XAVI, "Xavi")?;
    xavi.store.create(&profile(XAVI, "Xavi"))?;
    xavi.store.create(&Goal { gas_score: Some(-1), ..goal(XAVI, "Keep the apartment") })?;

    let wren = participant_phone(WREN, "Wren")?;
    wren.store.create(&profile(WREN, "Wren"))?;
    wren.store.create(&Goal { gas_score: Some(1), ..goal(WREN, "Get my GED") })?;
    wren.store.create(&CheckIn { at: utc(2026, 11, 22, 20, 0), mood: 4, ..check_in(WREN) })?;
    wren.store.create(&CheckIn { at: utc(2026, 11, 20, 9, 0), mood: 2, ..check_in(WREN) })?;

    for phone in [&zoe, &yara, &xavi, &wren] {
        deliver(phone, &rosa)?;
    }
    rosa.store.send_message(WREN, "Proud of you for Tuesday", utc(2026, 11, 23, 10, 0))?;
    Ok(Caseload { rosa, zoe, yara, reach_out_id: reach_out.id, now })
}

fn row_order(rows: &[CaseloadRow]) -> Vec<(&str, ContactPriority)> {
    rows.iter().map(|r| (r.display_name.as_str(), r.priority)).collect()
}

fn row<'a>(rows: &'a [CaseloadRow], participant_id: &str) -> TestResult<&'a CaseloadRow> {
    rows.iter().find(|r| r.participant_id == participant_id).ok_or_else(|| format!("{participant_id} has no caseload row").into())
}

#[test]
fn caseload_puts_who_needs_contact_first() -> TestResult {
    let c = caseload_fixture()?;
    let rows = c.rosa.store.caseload(c.now)?;
    assert_eq!(
        row_order(&rows),
        vec![
            ("Zoe", ContactPriority::UrgentReachOut),
            ("Yara", ContactPriority::UnreadMessages),
            ("Xavi", ContactPriority::GoalsNeedAttention),
            ("Wren", ContactPriority::NoneWaiting),
        ]
    );

    let zoe = row(&rows, ZOE)?;
    assert_eq!(zoe.open_reach_outs.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), [c.reach_out_id.as_str()]);
    let yara = row(&rows, YARA)?;
    assert_eq!(yara.unread_messages, 1);
    assert!(yara.open_reach_outs.is_empty());
    let xavi = row(&rows, XAVI)?;
    assert_eq!(xavi.goals_needing_attention.iter().map(|g| g.title.as_str()).collect::<Vec<_>>(), ["Keep the apartment"]);
    let wren = row(&rows, WREN)?;
    assert_eq!(wren.unread_messages, 0, "Rosa's own message to Wren is not unread for her");
    assert!(wren.goals_needing_attention.is_empty(), "a goal above expected needs no attention");
    assert!(wren.open_reach_outs.is_empty());
    Ok(())
}

#[test]
fn acknowledging_then_resolving_an_urgent_reach_out_moves_it_down_the_caseload() -> TestResult {
    let c = caseload_fixture()?;

    let acknowledged_at = utc(2026, 11, 23, 15, 5);
    let acknowledged = c.rosa.store.acknowledge_reach_out(&c.reach_out_id, acknowledged_at)?;
    assert_eq!(acknowledged.status, ReachOutStatus::Acknowledged);
    assert_eq!(acknowledged.acknowledged_at, Some(acknowledged_at));
    let ack = c.rosa.last_pending()?;
    assert_eq!(field_names(&ack), BTreeSet::from(["acknowledged_at", "status"]), "a peer worker sends only the status fields");

    let rows = c.rosa.store.caseload(c.now)?;
    assert_eq!(
        row_order(&rows)[..2],
        [("Zoe", ContactPriority::OpenReachOut), ("Yara", ContactPriority::UnreadMessages)],
        "an acknowledged reach-out is still open, and above unread messages"
    );
    assert_eq!(row(&rows, ZOE)?.open_reach_outs.len(), 1);

    deliver(&c.rosa, &c.zoe)?;
    let on_zoes = c.zoe.store.today(ZOE, c.now, Language::English)?.open_reach_outs;
    assert_eq!(
        on_zoes.iter().map(|r| (r.id.as_str(), r.status)).collect::<Vec<_>>(),
        [(c.reach_out_id.as_str(), ReachOutStatus::Acknowledged)]
    );

    let resolved_at = utc(2026, 11, 23, 16, 0);
    let resolved = c.rosa.store.resolve_reach_out(&c.reach_out_id, resolved_at)?;
    assert_eq!(resolved.status, ReachOutStatus::Resolved);
    assert_eq!(resolved.resolved_at, Some(resolved_at));
    assert_eq!(resolved.acknowledged_at, Some(acknowledged_at), "resolving keeps when it was acknowledged");

    let rows = c.rosa.store.caseload(c.now)?;
    assert_eq!(
        row_order(&rows),
        vec![
            ("Yara", ContactPriority::UnreadMessages),
            ("Xavi", ContactPriority::GoalsNeedAttention),
            ("Wren", ContactPriority::NoneWaiting),
            ("Zoe", ContactPriority::NoneWaiting),
        ],
        "a resolved reach-out no longer holds Zoe up"
    );
    assert!(row(&rows, ZOE)?.open_reach_outs.is_empty());

    deliver(&c.rosa, &c.zoe)?;
    assert!(c.zoe.store.today(ZOE, c.now, Language::English)?.open_reach_outs.is_empty(), "Zoe sees her reach-out followed up");
    Ok(())
}

#[test]
fn reading_the_message_takes_a_participant_out_of_unread() -> TestResult {
    let c = caseload_fixture()?;
    let message = c.rosa.store.conversation(YARA)?.into_iter().next().ok_or("Yara's message did not arrive")?;
    c.rosa.store.mark_message_read(&message.message.id, utc(2026, 11, 23, 15, 10))?;
    let rows = c.rosa.store.caseload(c.now)?;
    assert_eq!(row(&rows, YARA)?.priority, ContactPriority::NoneWaiting);
    assert_eq!(row(&rows, YARA)?.unread_messages, 0);
    deliver(&c.rosa, &c.yara)?;
    assert_eq!(c.yara.store.conversation(YARA)?.first().and_then(|m| m.message.read_at), Some(utc(2026, 11, 23, 15, 10)));
    Ok(())
}

#[test]
fn the_signed_in_peer_worker_is_never_a_caseload_row() -> TestResult {
    let c = caseload_fixture()?;
    // A profile under Rosa's own id on her phone (as if she were also enrolled).
    c.rosa.store.create(&profile(ROSA, "Rosa M."))?;
    let rows = c.rosa.store.caseload(c.now)?;
    assert!(rows.iter().all(|r| r.participant_id != ROSA), "Rosa is listed on her own caseload: {:?}", row_order(&rows));
    assert_eq!(rows.len(), 4, "every participant is still there");
    Ok(())
}

#[test]
fn caseload_rows_show_recovery_time_only_when_on_the_phone_and_the_latest_check_in() -> TestResult {
    let c = caseload_fixture()?;
    let rows = c.rosa.store.caseload(c.now)?;
    // 15:00 UTC on 23 November is 10:00 in New York: 29 days since 25 October.
    assert_eq!(row(&rows, ZOE)?.days_in_recovery, Some(29), "Zoe's recovery period is on Rosa's phone");
    for participant_id in [YARA, XAVI, WREN] {
        assert_eq!(row(&rows, participant_id)?.days_in_recovery, None, "{participant_id}: no recovery period on the phone");
    }
    // 03:00 UTC on 24 November is still the 23rd in New York, where Zoe lives.
    let late_evening = c.rosa.store.caseload(utc(2026, 11, 24, 3, 0))?;
    assert_eq!(row(&late_evening, ZOE)?.days_in_recovery, Some(29), "days are counted in the participant's time zone");
    let wren = row(&rows, WREN)?;
    let latest = wren.last_check_in.as_ref().ok_or("Wren's check-ins are on the phone but not in the row")?;
    assert_eq!((latest.at, latest.mood), (utc(2026, 11, 22, 20, 0), 4), "the latest check-in, not the last written");
    for participant_id in [ZOE, YARA, XAVI] {
        assert!(row(&rows, participant_id)?.last_check_in.is_none(), "{participant_id}: no check-ins on the phone");
    }
    Ok(())
}

#[test]
fn acknowledging_a_resolved_reach_out_keeps_it_resolved() -> TestResult {
    // A second tap from a screen that still shows the reach-out as open (or
    // Rosa's other phone) must not reopen what was already followed up.
    let c = caseload_fixture()?;
    c.rosa.store.resolve_reach_out(&c.reach_out_id, utc(2026, 11, 23, 16, 0))?;
    let late = c.rosa.store.acknowledge_reach_out(&c.reach_out_id, utc(2026, 11, 23, 16, 5))?;
    assert_eq!(late.status, ReachOutStatus::Resolved, "acknowledging a resolved reach-out reopened it");
    let rows = c.rosa.store.caseload(c.now)?;
    assert!(row(&rows, ZOE)?.open_reach_outs.is_empty(), "Zoe is back on the caseload with a reach-out already resolved");
    Ok(())
}

#[test]
fn resolving_twice_keeps_the_first_resolved_at() -> TestResult {
    // Like a read receipt and an acknowledgement, a second tap keeps the
    // first time and writes nothing.
    let c = caseload_fixture()?;
    let first = utc(2026, 11, 23, 16, 0);
    c.rosa.store.resolve_reach_out(&c.reach_out_id, first)?;
    let outbox = c.rosa.pending()?;
    let again = c.rosa.store.resolve_reach_out(&c.reach_out_id, utc(2026, 11, 24, 9, 0))?;
    assert_eq!(again.resolved_at, Some(first), "a second resolve moved resolved_at");
    assert_eq!(c.rosa.pending()?, outbox, "a second resolve wrote a change");
    Ok(())
}

// ---------------------------------------------------------------------------
// 3. Encounter notes
// ---------------------------------------------------------------------------

#[test]
fn a_draft_note_can_be_edited_until_it_is_submitted_then_it_is_locked() -> TestResult {
    let rosa = peer_phone(&[DANA])?;
    let draft = rosa.store.draft_encounter_note(&encounter_note(DANA))?;
    assert_eq!(draft.status, NoteStatus::Draft);

    let edited = EncounterNote { next_steps: Some("Call the caseworker about supervised visits".into()), ..draft.clone() };
    let saved = rosa.store.update(&draft, &edited)?;
    assert_eq!(saved, edited, "a draft takes edits");
    assert_eq!(field_names(&rosa.last_pending()?), BTreeSet::from(["next_steps"]));

    let submitted = rosa.store.submit_encounter_note(&draft.id)?;
    assert_eq!(submitted.status, NoteStatus::Submitted);
    assert_eq!(submitted.next_steps, edited.next_steps, "submitting keeps the edits");
    assert_eq!(field_names(&rosa.last_pending()?), BTreeSet::from(["status"]));

    let outbox = rosa.pending()?;
    let late = EncounterNote { summary: "Rewritten after the fact".into(), ..submitted.clone() };
    match rosa.store.update(&submitted, &late) {
        Err(Error::Rejected { code, .. }) => assert_eq!(code, RejectionCode::Locked),
        other => panic!("editing a submitted note: expected Rejected locked, got {other:?}"),
    }
    let back_to_draft = EncounterNote { status: NoteStatus::Draft, ..submitted.clone() };
    match rosa.store.update(&submitted, &back_to_draft) {
        Err(Error::Rejected { code, .. }) => assert_eq!(code, RejectionCode::Locked),
        other => panic!("reopening a submitted note: expected Rejected locked, got {other:?}"),
    }
    match rosa.store.delete::<EncounterNote>(&submitted.id) {
        Err(Error::Rejected { code, .. }) => assert_eq!(code, RejectionCode::Locked),
        other => panic!("deleting a submitted note: expected Rejected locked, got {other:?}"),
    }
    assert_eq!(rosa.pending()?, outbox, "nothing reaches the outbox once the note is locked");
    assert_eq!(rosa.store.get::<EncounterNote>(&submitted.id)?, submitted, "the locked note is unchanged");
    Ok(())
}

#[test]
fn a_note_submitted_on_one_phone_is_locked_on_another() -> TestResult {
    let phone = peer_phone(&[DANA])?;
    let tablet = peer_phone(&[DANA])?;
    let draft = phone.store.draft_encounter_note(&encounter_note(DANA))?;
    let submitted = phone.store.submit_encounter_note(&draft.id)?;
    deliver(&phone, &tablet)?;

    assert_eq!(tablet.store.get::<EncounterNote>(&submitted.id)?, submitted);
    let outbox = tablet.pending()?;
    let late = EncounterNote { duration_minutes: 120, ..submitted.clone() };
    match tablet.store.update(&submitted, &late) {
        Err(Error::Rejected { code, .. }) => assert_eq!(code, RejectionCode::Locked),
        other => panic!("editing a merged submitted note: expected Rejected locked, got {other:?}"),
    }
    assert_eq!(tablet.pending()?, outbox);
    Ok(())
}

#[test]
fn a_submitted_note_is_corrected_by_an_amendment() -> TestResult {
    let rosa = peer_phone(&[DANA])?;
    let draft = rosa.store.draft_encounter_note(&encounter_note(DANA))?;
    let original = rosa.store.submit_encounter_note(&draft.id)?;
    let before = rosa.pending_count()?;

    let correction = EncounterNote { duration_minutes: 120, location: EncounterLocation::Office, ..encounter_note(DANA) };
    let amendment = rosa.store.amend_encounter_note(&original.id, &correction)?;
    assert_ne!(amendment.id, original.id, "an amendment is a new note");
    assert!(uuid::Uuid::parse_str(&amendment.id).is_ok());
    assert_eq!(amendment.status, NoteStatus::Submitted, "an amendment is submitted at once");
    assert_eq!(amendment.amends.as_deref(), Some(original.id.as_str()));
    assert_eq!(amendment.participant_id, DANA);
    assert_eq!((amendment.duration_minutes, amendment.location), (120, EncounterLocation::Office));
    assert_eq!(rosa.store.get::<EncounterNote>(&amendment.id)?, amendment);
    assert_eq!(rosa.store.get::<EncounterNote>(&original.id)?, original, "the original stays as it was");
    assert_eq!(rosa.pending_count()?, before + 1, "an amendment is one change");
    let change = rosa.last_pending()?;
    assert_eq!(change.record_id, amendment.id);
    assert_eq!(change.fields.get("status"), Some(&Value::from("submitted")));
    assert_eq!(change.fields.get("amends"), Some(&Value::from(original.id.clone())));
    assert_eq!(rosa.store.list::<EncounterNote>(DANA)?.len(), 2);
    Ok(())
}

#[test]
fn amending_a_draft_is_refused_and_writes_nothing() -> TestResult {
    let rosa = peer_phone(&[DANA])?;
    let draft = rosa.store.draft_encounter_note(&encounter_note(DANA))?;
    let outbox = rosa.pending()?;
    match rosa.store.amend_encounter_note(&draft.id, &encounter_note(DANA)) {
        Err(Error::Validation { field, .. }) => assert_eq!(field, "amends"),
        other => panic!("amending a draft: expected a validation error, got {other:?}"),
    }
    assert_eq!(rosa.pending()?, outbox, "a refused amendment must not reach the outbox");
    assert_eq!(rosa.store.list::<EncounterNote>(DANA)?, vec![draft], "only the draft is there");
    Ok(())
}

// ---------------------------------------------------------------------------
// 4. Sharing
// ---------------------------------------------------------------------------

fn chosen(goals: bool, check_ins: bool) -> Sharing {
    Sharing { goals, milestones: true, check_ins, contacts: true, safety_plan: true, ..Sharing::default() }
}

#[test]
fn before_any_choice_nothing_is_shared() -> TestResult {
    let dana = participant_phone(DANA, "Dana R.")?;
    let sharing = dana.store.sharing(DANA)?;
    assert_eq!(sharing.participant_id, DANA);
    assert_eq!(sharing.signed_at, None, "nothing was signed");
    let today = date(2026, 11, 23);
    for category in Category::SHAREABLE {
        assert!(!sharing.shares(category, today), "{category:?} is shared before any choice");
    }
    assert!(sharing.shares(Category::Always, today));
    assert_eq!(dana.pending_count()?, 0, "reading the choice writes nothing");

    // Consent withdrawn altogether (the record deleted) is nothing shared again.
    dana.store.set_sharing(DANA, &chosen(true, true), None, utc(2026, 11, 2, 15, 30))?;
    dana.store.delete::<Sharing>(DANA)?;
    let withdrawn = dana.store.sharing(DANA)?;
    assert!(!withdrawn.shares(Category::Goals, today) && !withdrawn.shares(Category::CheckIns, today));
    assert!(withdrawn.shares(Category::Always, today));
    Ok(())
}

#[test]
fn set_sharing_signs_the_consent_now() -> TestResult {
    let dana = participant_phone(DANA, "Dana R.")?;
    let rosa = peer_phone(&[DANA])?;
    let signed_at = utc(2026, 11, 2, 15, 30);
    let expires_on = Some(date(2027, 5, 2));

    let sharing = dana.store.set_sharing(DANA, &chosen(true, false), expires_on, signed_at)?;
    assert_eq!((sharing.id.as_str(), sharing.participant_id.as_str()), (DANA, DANA), "one sharing record per participant");
    assert_eq!(sharing.signed_at, Some(signed_at));
    assert_eq!(sharing.expires_on, expires_on);
    assert!(sharing.goals && !sharing.check_ins);
    assert_eq!(dana.store.sharing(DANA)?, sharing);
    assert_eq!(dana.pending_count()?, 1);
    let change = dana.last_pending()?;
    assert_eq!((change.collection.as_str(), change.record_id.as_str()), ("sharing", DANA));
    assert_eq!(change.fields.get("signed_at"), Some(&serde_json::to_value(signed_at)?));
    assert_eq!(change.fields.get("expires_on"), Some(&Value::from("2027-05-02")));

    deliver(&dana, &rosa)?;
    assert_eq!(rosa.store.sharing(DANA)?, sharing, "Rosa's phone knows what Dana shares");
    Ok(())
}

#[test]
fn changing_sharing_sends_only_what_changed_with_a_new_signature() -> TestResult {
    let dana = participant_phone(DANA, "Dana R.")?;
    let expires_on = Some(date(2027, 5, 2));
    dana.store.set_sharing(DANA, &chosen(true, false), expires_on, utc(2026, 11, 2, 15, 30))?;

    let signed_again = utc(2026, 11, 20, 10, 0);
    let sharing = dana.store.set_sharing(DANA, &chosen(true, true), expires_on, signed_again)?;
    assert!(sharing.check_ins && sharing.goals);
    assert_eq!(sharing.signed_at, Some(signed_again), "the new choice is signed when made");
    assert_eq!(dana.pending_count()?, 2);
    let change = dana.last_pending()?;
    assert_eq!(field_names(&change), BTreeSet::from(["check_ins", "signed_at"]), "only what changed, and the signature");

    // Withdrawing goals and moving the expiry.
    let later = utc(2026, 12, 1, 9, 0);
    let sharing = dana.store.set_sharing(DANA, &chosen(false, true), Some(date(2027, 1, 31)), later)?;
    assert!(!sharing.goals);
    let change = dana.last_pending()?;
    assert_eq!(field_names(&change), BTreeSet::from(["expires_on", "goals", "signed_at"]));
    assert_eq!(change.fields.get("goals"), Some(&Value::Bool(false)));
    assert_eq!(dana.store.sharing(DANA)?, sharing);
    Ok(())
}

#[test]
fn sharing_ends_after_its_expiry_and_for_withdrawn_categories() -> TestResult {
    let dana = participant_phone(DANA, "Dana R.")?;
    let last_day = date(2027, 5, 2);
    let sharing = dana.store.set_sharing(DANA, &chosen(false, true), Some(last_day), utc(2026, 11, 2, 15, 30))?;

    assert!(sharing.shares(Category::CheckIns, date(2026, 11, 23)));
    assert!(sharing.shares(Category::CheckIns, last_day), "the expiry day itself is still shared");
    assert!(!sharing.shares(Category::CheckIns, date(2027, 5, 3)), "after expires_on nothing is shared");
    assert!(!sharing.shares(Category::Milestones, date(2027, 5, 3)));
    assert!(!sharing.shares(Category::Goals, date(2026, 11, 23)), "a withdrawn category is not shared");
    assert!(!sharing.shares(Category::Coping, date(2026, 11, 23)), "a category never chosen is not shared");
    for day in [date(2026, 11, 23), last_day, date(2027, 5, 3), date(2030, 1, 1)] {
        assert!(sharing.shares(Category::Always, day), "the always category is shared on {day}");
    }

    let open_ended = dana.store.set_sharing(DANA, &chosen(true, true), None, utc(2026, 12, 1, 9, 0))?;
    assert!(open_ended.shares(Category::Goals, date(2030, 1, 1)), "with no expiry, sharing goes on");
    Ok(())
}

#[test]
fn the_participant_page_says_what_is_shared_and_empties_when_sharing_ends() -> TestResult {
    let dana = participant_phone(DANA, "Dana R.")?;
    let rosa = peer_phone(&[DANA])?;
    dana.store.create(&profile(DANA, "Dana R."))?;
    dana.store.set_sharing(DANA, &chosen(true, true), Some(date(2027, 5, 2)), utc(2026, 11, 2, 15, 30))?;
    dana.store.create(&Goal { gas_score: Some(1), ..goal(DANA, "Walk the kids to school") })?;
    dana.store.create(&Goal { gas_score: Some(1), ..goal(DANA, "Two meetings a week") })?;
    dana.store.create(&CheckIn { at: utc(2026, 11, 22, 20, 0), mood: 4, ..check_in(DANA) })?;
    dana.store.create(&CheckIn { at: utc(2026, 11, 23, 8, 0), mood: 3, ..check_in(DANA) })?;
    deliver(&dana, &rosa)?;

    let page = rosa.store.participant_overview(DANA, utc(2026, 11, 23, 15, 0))?;
    assert_eq!(page.display_name, "Dana R.");
    assert!(page.shared.contains(&Category::Goals) && page.shared.contains(&Category::CheckIns));
    assert!(!page.shared.contains(&Category::Coping), "never chosen, never shown as shared");
    assert_eq!(page.shared_until, Some(date(2027, 5, 2)));
    assert_eq!(page.goals.len(), 2);
    assert!(page.gas_t_score.is_some_and(|t| (t - 62.40).abs() < 0.01));
    assert_eq!(page.recent_check_ins.iter().map(|c| c.mood).collect::<Vec<_>>(), [3, 4], "newest first");

    // Dana withdraws goals; the server's next pull purges them from Rosa's phone.
    let before = dana.store.sharing(DANA)?;
    dana.store.set_sharing(DANA, &Sharing { goals: false, ..before }, Some(date(2027, 5, 2)), utc(2026, 11, 24, 9, 0))?;
    deliver(&dana, &rosa)?;
    let purge = alongside_core::protocol::Purge { participant_id: DANA.into(), collections: vec!["goals".into(), "goal_progress".into()] };
    rosa.store.apply_pull(&[], &[purge], "after-withdrawal")?;
    let page = rosa.store.participant_overview(DANA, utc(2026, 11, 24, 15, 0))?;
    assert!(!page.shared.contains(&Category::Goals), "the page knows goals are not shared, to say so");
    assert!(page.goals.is_empty() && page.gas_t_score.is_none());
    assert!(page.shared.contains(&Category::CheckIns));

    // After the last day nothing beyond the basics is shared.
    let page = rosa.store.participant_overview(DANA, utc(2027, 5, 4, 15, 0))?;
    assert!(page.shared.is_empty(), "{:?}", page.shared);
    assert!(page.recent_check_ins.is_empty(), "check-ins still on an offline phone are not shown past the consent");
    assert_eq!(page.days_in_recovery, None);
    Ok(())
}

// ---------------------------------------------------------------------------
// 5. Reaching out while offline
// ---------------------------------------------------------------------------

/// A client of a server that is not there: a loopback port nobody listens on.
fn offline_client() -> TestResult<SyncClient> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let port = listener.local_addr()?.port();
    drop(listener);
    let timeouts = Timeouts { connect: Duration::from_millis(500), request: Duration::from_secs(2) };
    Ok(SyncClient::new(&format!("http://127.0.0.1:{port}"), timeouts)?)
}

/// Dana's phone, signed in, with her profile and Rosa among her contacts.
fn danas_phone_for_reach_out(signed_in: bool) -> TestResult<(tempfile::TempDir, Arc<Store>, Contact)> {
    let (dir, store) = open_store()?;
    if signed_in {
        store.set_session(Some(&session(DANA, "participant", "Dana R.")))?;
    }
    store.create(&profile(DANA, "Dana R."))?;
    let rosa = store.create(&contact(DANA, "Rosa M.", ContactRole::PeerWorker, false))?;
    store.create(&contact(DANA, "Tanya (sister)", ContactRole::Family, true))?;
    Ok((dir, Arc::new(store), rosa))
}

/// A reach-out through a sync engine whose server is not there (the shell
/// still says it is online, so the engine tries).
async fn reach_out_offline(
    store: &Arc<Store>,
    message: Option<String>,
    now: DateTime<Utc>,
) -> TestResult<alongside_core::Result<(ReachOut, ReachOutAnswer)>> {
    let engine = SyncEngine::start(Arc::clone(store), offline_client()?, SyncConfig::default(), Arc::new(Deaf), &Handle::current());
    let attempt = alongside_core::sync::reach_out(store, &engine, DANA, Urgency::Urgent, message, now, Language::English);
    Ok(tokio::time::timeout(Duration::from_secs(20), attempt).await?.map(|answer| (answer.reach_out.clone(), answer)))
}

struct Deaf;

impl SyncObserver for Deaf {
    fn on_status(&self, _: SyncStatus) {}
}

fn assert_queued_with_help(answer: &ReachOutAnswer, rosa: &Contact) {
    assert_eq!(answer.delivery, Delivery::Waiting, "nothing listens on the port: the reach-out waits");
    let offered = answer.help.peer_worker.as_ref().map(|p| (p.name.as_str(), Some(p.phone.as_str())));
    assert_eq!(offered, Some((rosa.name.as_str(), rosa.phone.as_deref())), "the shell is offered Rosa's own number");
    assert!(
        answer.help.crisis_lines.iter().any(|line| line.contacts.iter().any(|c| c.number == "988")),
        "the crisis lines offered include 988"
    );
}

#[tokio::test]
async fn an_offline_reach_out_is_kept_and_offers_the_peer_worker_and_crisis_lines() -> TestResult {
    let (_dir, store, rosa) = danas_phone_for_reach_out(true)?;
    let now = utc(2026, 11, 23, 21, 15);
    let before = store.pending_changes(usize::MAX)?.len();

    let (stored, delivery) = reach_out_offline(&store, Some("I need to talk tonight".into()), now).await??;
    assert_queued_with_help(&delivery, &rosa);
    assert!(uuid::Uuid::parse_str(&stored.id).is_ok());
    assert_eq!((stored.urgency, stored.status, stored.created_at), (Urgency::Urgent, ReachOutStatus::Open, now));
    assert_eq!(stored.message.as_deref(), Some("I need to talk tonight"));
    assert_eq!(store.get::<ReachOut>(&stored.id)?, stored, "the reach-out is kept on the phone");

    let today = store.today(DANA, now, Language::English)?;
    assert_eq!(today.open_reach_outs, vec![stored.clone()], "the home screen shows it open");
    let pending = store.pending_changes(usize::MAX)?;
    assert_eq!(pending.len(), before + 1, "one change waits to be sent");
    assert!(pending.iter().any(|c| c.collection == "reach_outs" && c.record_id == stored.id), "the reach-out waits in the outbox");
    assert_eq!(today.pending_changes, u64::try_from(pending.len())?);
    Ok(())
}

#[tokio::test]
async fn a_reach_out_before_sign_in_is_queued_too() -> TestResult {
    let (_dir, store, rosa) = danas_phone_for_reach_out(false)?;
    let now = utc(2026, 11, 23, 21, 15);
    let (stored, delivery) = reach_out_offline(&store, None, now).await??;
    assert_queued_with_help(&delivery, &rosa);
    assert_eq!(store.today(DANA, now, Language::English)?.open_reach_outs, vec![stored]);
    Ok(())
}

#[tokio::test]
async fn an_overlong_reach_out_message_is_refused_and_nothing_is_written() -> TestResult {
    let (_dir, store, _rosa) = danas_phone_for_reach_out(true)?;
    let now = utc(2026, 11, 23, 21, 15);
    let outbox = store.pending_changes(usize::MAX)?;

    match reach_out_offline(&store, Some("a".repeat(1001)), now).await? {
        Err(Error::Validation { field, .. }) => assert_eq!(field, "message"),
        other => panic!("a 1001-character message: expected a validation error on message, got {other:?}"),
    }
    assert_eq!(store.pending_changes(usize::MAX)?, outbox, "a refused reach-out must not reach the outbox");
    assert!(store.today(DANA, now, Language::English)?.open_reach_outs.is_empty(), "a refused reach-out must not be shown open");
    assert!(store.list::<ReachOut>(DANA)?.is_empty());
    Ok(())
}

#[tokio::test]
async fn a_reach_out_message_of_1000_characters_in_any_script_is_kept() -> TestResult {
    // The limit counts characters, not bytes: 1000 two-byte characters fit.
    let (_dir, store, rosa) = danas_phone_for_reach_out(true)?;
    let now = utc(2026, 11, 23, 21, 15);
    let message = "é".repeat(1000);
    let (stored, delivery) = reach_out_offline(&store, Some(message.clone()), now).await??;
    assert_queued_with_help(&delivery, &rosa);
    assert_eq!(store.get::<ReachOut>(&stored.id)?.message, Some(message));
    Ok(())
}

#[tokio::test]
async fn a_removed_peer_worker_contact_is_not_offered() -> TestResult {
    let (_dir, store, rosa) = danas_phone_for_reach_out(true)?;
    store.delete::<Contact>(&rosa.id)?;
    let (_, answer) = reach_out_offline(&store, None, utc(2026, 11, 23, 21, 15)).await??;
    assert_eq!(answer.delivery, Delivery::Waiting, "nothing listens on the port, yet the reach-out was not reported waiting");
    assert_eq!(answer.help.peer_worker, None, "a deleted contact is offered to call");
    assert!(!answer.help.crisis_lines.is_empty(), "the crisis lines are offered whatever the contacts");
    Ok(())
}

// ---------------------------------------------------------------------------
// 6. After a wake-up: what to show, from the phone's own store
// ---------------------------------------------------------------------------

#[test]
fn after_a_wake_up_the_peer_worker_is_told_who_needs_them_in_their_own_words() -> TestResult {
    let dana = participant_phone(DANA, "Dana R.")?;
    let rosa = peer_phone(&[DANA])?;
    dana.store.create(&profile(DANA, "Dana R."))?;
    let mut urgent = reach_out(DANA, Urgency::Urgent, ReachOutStatus::Open, utc(2026, 12, 3, 21, 0));
    urgent.message = Some("Can't do tonight alone".into());
    let urgent = dana.store.create(&urgent)?;
    dana.store.send_message(DANA, "Are you around?", utc(2026, 12, 3, 21, 1))?;
    deliver(&dana, &rosa)?;
    let (before, now) = (utc(2026, 12, 3, 20, 0), utc(2026, 12, 3, 21, 5));

    let news = rosa.store.news(before, Language::English)?;
    let said: Vec<(&str, bool, &str, &str)> = news.iter().map(|n| (n.id.as_str(), n.urgent, n.title.as_str(), n.body.as_str())).collect();
    let reach_id = format!("reach_out:{}", urgent.id);
    let messages_id = format!("messages:{DANA}");
    assert_eq!(
        said,
        vec![
            (reach_id.as_str(), true, "Dana R. needs to talk now", "Can't do tonight alone"),
            (messages_id.as_str(), false, "1 new message from Dana R.", "Are you around?"),
        ]
    );
    assert!(rosa.store.news(now, Language::English)?.is_empty(), "nothing new since the last look");
    let spanish = rosa.store.news(before, Language::Spanish)?;
    assert_eq!(spanish.first().map(|n| n.title.as_str()), Some("Dana R. necesita hablar ahora"));

    // Discreet: one notice that names nobody and says nothing.
    rosa.store.set_reminder_settings(&alongside_core::reminders::ReminderSettings { discreet: true, ..Default::default() })?;
    let discreet = rosa.store.news(before, Language::English)?;
    assert_eq!(discreet.len(), 1);
    assert_eq!((discreet[0].urgent, discreet[0].title.as_str(), discreet[0].body.as_str()), (true, "Alongside", "You have something new."));
    rosa.store.set_reminder_settings(&alongside_core::reminders::ReminderSettings::default())?;

    // Acknowledged: the reach-out is no longer news.
    rosa.store.acknowledge_reach_out(&urgent.id, now)?;
    let news = rosa.store.news(before, Language::English)?;
    assert_eq!(news.iter().map(|n| n.id.as_str()).collect::<Vec<_>>(), vec![messages_id.as_str()]);

    // A reach-out that arrives before its participant's profile is still news.
    let wren = participant_phone(WREN, "Wren")?;
    let rosa_too = peer_phone(&[DANA, WREN])?;
    wren.store.create(&reach_out(WREN, Urgency::Today, ReachOutStatus::Open, utc(2026, 12, 3, 21, 2)))?;
    deliver(&wren, &rosa_too)?;
    let titles: Vec<String> = rosa_too.store.news(before, Language::English)?.into_iter().map(|n| n.title).collect();
    assert_eq!(titles, vec!["Someone on your caseload reached out".to_owned()]);

    // Dana hears of Rosa's answer.
    rosa.store.send_message(DANA, "Calling you in 5", utc(2026, 12, 3, 21, 6))?;
    deliver(&rosa, &dana)?;
    let news = dana.store.news(now, Language::English)?;
    let said: Vec<(&str, &str)> = news.iter().map(|n| (n.title.as_str(), n.body.as_str())).collect();
    assert_eq!(said, vec![("1 new message from your peer worker", "Calling you in 5")]);
    Ok(())
}
