//! A person's devices, end to end through real phones on every backend:
//! listed with which one is asking, signed out from another device, and a
//! lost phone cleared: at its next contact it deletes everything it holds and
//! says so, and its old token opens nothing.

use std::sync::{Arc, Mutex};

use alongside_core::model::Goal;
use alongside_core::sync::{SyncConfig, SyncObserver, SyncState, SyncStatus};
use alongside_harness::{Backend, Phone, Server, TestResult, code, fail, on_every_backend};
use alongside_server::store::Role;
use serde_json::json;

fn goal(participant_id: &str) -> Goal {
    Goal {
        id: String::new(),
        participant_id: participant_id.into(),
        title: "Walk the kids to school".into(),
        area: alongside_core::model::GoalArea::Parenting,
        status: alongside_core::model::GoalStatus::Active,
        description: None,
        target_date: None,
        gas_levels: None,
        gas_score: None,
        gas_weight: None,
        deleted: false,
    }
}

fn token_and_device(phone: &Phone) -> TestResult<(String, String)> {
    let session = phone.store.session()?.ok_or_else(|| fail("not signed in"))?;
    Ok((session.token, session.device_id))
}

#[derive(Default)]
struct States(Mutex<Vec<SyncState>>);

impl SyncObserver for States {
    fn on_status(&self, status: SyncStatus) {
        if let Ok(mut states) = self.0.lock() {
            states.push(status.state);
        }
    }
}

async fn a_lost_phone_is_cleared_at_its_next_contact(backend: Backend) -> TestResult {
    let server = Server::start(backend).await?;
    let rosa = server.add_user("rosa", Role::Participant).await?;
    let lost = Phone::new(&server, &server.base.clone(), &rosa, "Rosa's old phone").await?;
    let new = Phone::new(&server, &server.base.clone(), &rosa, "Rosa's new phone").await?;
    lost.store.create(&goal(&rosa))?;
    lost.sync().await?;
    let (lost_token, lost_device) = token_and_device(&lost)?;
    let (new_token, new_device) = token_and_device(&new)?;

    // Her list, from the new phone: both, this one marked.
    let (status, list) = server.get("/v1/devices", Some(&new_token)).await?;
    assert_eq!(status, 200);
    let devices = list["devices"].as_array().ok_or_else(|| fail("no devices"))?;
    let mut names: Vec<(&str, bool)> = devices.iter().map(|d| (d["name"].as_str().unwrap_or(""), d["this_device"] == true)).collect();
    names.sort();
    assert_eq!(names, vec![("Rosa's new phone", true), ("Rosa's old phone", false)]);
    let old = devices.iter().find(|d| d["id"] == lost_device.as_str()).ok_or_else(|| fail("the old phone is not listed"))?;
    assert!(old["last_seen"].is_string(), "the old phone synced, so it was seen: {old}");

    // She signs the lost phone out and asks for it to be cleared.
    let (status, _) = server.post("/v1/devices/revoke", Some(&new_token), &json!({"device_id": lost_device, "wipe": true})).await?;
    assert_eq!(status, 200);
    let (_, list) = server.get("/v1/devices", Some(&new_token)).await?;
    assert_eq!(list["devices"].as_array().map(Vec::len), Some(1));

    // The lost phone's engine reaches the server: it deletes everything and says why.
    let states = Arc::new(States::default());
    let engine = alongside_core::sync::SyncEngine::start(
        Arc::clone(&lost.store),
        lost.client.clone(),
        SyncConfig::default(),
        states.clone(),
        &tokio::runtime::Handle::current(),
    );
    // (Its first pass starts at once; this one may find the work done.)
    let _ = engine.sync_now().await;
    assert!(states.0.lock().map_err(|_| fail("poisoned"))?.contains(&SyncState::Wiped), "the shell is told the phone was cleared");
    assert!(lost.store.list::<Goal>(&rosa)?.is_empty(), "her goals are gone from the lost phone");
    assert!(lost.store.session()?.is_none(), "so is the sign-in");
    assert!(lost.store.outbox()?.is_empty());
    engine.stop();

    // The old token opens nothing, and keeps saying why.
    let (status, body) = server.get("/v1/sync/pull", Some(&lost_token)).await?;
    assert_eq!((status.as_u16(), code(&body)), (401, "device_wiped"));
    // Her new phone still has everything.
    new.sync().await?;
    assert_eq!(new.store.list::<Goal>(&rosa)?.len(), 1);

    // Signed out without a wipe: the token stops working, nothing is cleared.
    let tablet = Phone::new(&server, &server.base.clone(), &rosa, "Rosa's tablet").await?;
    tablet.sync().await?;
    let (tablet_token, tablet_device) = token_and_device(&tablet)?;
    server.post("/v1/devices/revoke", Some(&new_token), &json!({"device_id": tablet_device})).await?;
    let error = tablet.sync().await.err().ok_or_else(|| fail("a signed-out tablet synced"))?;
    assert!(!error.is_wiped());
    assert_eq!(tablet.store.list::<Goal>(&rosa)?.len(), 1, "a plain sign-out clears nothing");
    let (status, body) = server.get("/v1/sync/pull", Some(&tablet_token)).await?;
    assert_eq!((status.as_u16(), code(&body)), (401, "unauthorized"));
    let _ = new_device;
    server.stop().await
}

/// Who may list and sign out whose devices: a person their own; an admin a
/// peer worker's (a lost phone with a caseload on it); nobody else anyone's.
async fn only_the_person_or_an_admin_for_a_peer_worker(backend: Backend) -> TestResult {
    let server = Server::start(backend).await?;
    let rosa = server.add_user("rosa", Role::Participant).await?;
    let ana = server.add_user("ana", Role::Participant).await?;
    let will = server.add_user("will", Role::PeerWorker).await?;
    let admin = server.add_user("admin", Role::Admin).await?;
    server.assign(&will, &rosa).await?;
    let (rosa_token, rosa_device) = server.device_token(&rosa, "Rosa's phone").await?;
    let (ana_token, _) = server.device_token(&ana, "Ana's phone").await?;
    let (will_token, will_device) = server.device_token(&will, "Will's phone").await?;
    let (admin_token, _) = server.device_token(&admin, "office").await?;

    let revoke = |device: &str| json!({"device_id": device, "wipe": true});
    // Others' devices are "no such device", whoever asks: not even a peer worker for a participant on their caseload.
    for (who, token) in [("Ana", &ana_token), ("Will", &will_token)] {
        let (status, body) = server.post("/v1/devices/revoke", Some(token), &revoke(&rosa_device)).await?;
        assert_eq!((status.as_u16(), code(&body)), (404, "not_found"), "{who} signing out Rosa's phone");
    }
    let (status, _) = server.get(&format!("/v1/devices?user_id={rosa}"), Some(&will_token)).await?;
    assert_eq!(status.as_u16(), 403, "a peer worker does not list a participant's devices");
    // An admin does not manage a participant's devices either.
    let (status, _) = server.get(&format!("/v1/devices?user_id={rosa}"), Some(&admin_token)).await?;
    assert_eq!(status.as_u16(), 403);
    let (status, _) = server.post("/v1/devices/revoke", Some(&admin_token), &revoke(&rosa_device)).await?;
    assert_eq!(status.as_u16(), 404);
    assert_eq!(server.get("/v1/sync/pull", Some(&rosa_token)).await?.0.as_u16(), 200, "Rosa's phone still works");

    // Will's phone is lost: an admin lists his devices and clears it.
    let (status, list) = server.get(&format!("/v1/devices?user_id={will}"), Some(&admin_token)).await?;
    assert_eq!((status.as_u16(), list["devices"][0]["name"].as_str()), (200, Some("Will's phone")));
    assert_eq!(server.post("/v1/devices/revoke", Some(&admin_token), &revoke(&will_device)).await?.0.as_u16(), 200);
    let (status, body) = server.get("/v1/sync/pull", Some(&will_token)).await?;
    assert_eq!((status.as_u16(), code(&body)), (401, "device_wiped"));

    // Bad input: a clear refusal, nothing changed.
    for (body, expect) in [
        (json!({"device_id": "not-a-uuid"}), 422),
        (json!({"device_id": rosa_device, "wipe": "yes"}), 422),
        (json!({"device_id": rosa_device, "everything": true}), 422),
        (json!([]), 422),
    ] {
        let (status, answer) = server.post("/v1/devices/revoke", Some(&rosa_token), &body).await?;
        assert!(status.as_u16() == expect || status.as_u16() == 400, "{body}: {status} {answer}");
    }
    let (status, _) = server.get("/v1/devices?user_id=%00", Some(&admin_token)).await?;
    assert_eq!(status.as_u16(), 422);
    assert_eq!(server.get("/v1/sync/pull", Some(&rosa_token)).await?.0.as_u16(), 200, "nothing refused signed Rosa out");
    server.stop().await
}

on_every_backend!(a_lost_phone_is_cleared_at_its_next_contact, only_the_person_or_an_admin_for_a_peer_worker);
