//! Accounts people control, end to end through real phones on every backend:
//! a new password ends the person's other sessions; a reset code an admin
//! reads out works once; and a participant who leaves is erased: their
//! records and sign-ins are gone from the server, their peer worker's phone
//! drops its copies, their own phones clear themselves, and the audit keeps
//! what protocol/README.md "Accounts" promises and nothing more; a peer
//! worker who leaves the program takes nothing of anyone with them.

use alongside_core::model::{Goal, GoalArea, GoalStatus, Sharing};
use alongside_core::sync::{self, SyncError};
use alongside_harness::{Backend, PASSWORD, Phone, Server, TestResult, code, fail, on_every_backend};
use alongside_server::Store as _;
use alongside_server::store::Role;
use chrono::Utc;
use serde_json::{Value, json};

const GOAL_TITLE: &str = "Read to Lila every night";

fn goal(participant_id: &str) -> Goal {
    Goal {
        id: String::new(),
        participant_id: participant_id.into(),
        title: GOAL_TITLE.into(),
        area: GoalArea::Parenting,
        status: GoalStatus::Active,
        description: Some("after bath time".into()),
        target_date: None,
        gas_levels: None,
        gas_score: None,
        gas_weight: None,
        deleted: false,
    }
}

fn token_of(phone: &Phone) -> TestResult<String> {
    Ok(phone.store.session()?.ok_or_else(|| fail("not signed in"))?.token)
}

fn is_unauthorized(result: Result<impl std::fmt::Debug, SyncError>) -> bool {
    matches!(result, Err(SyncError::Server { status: 401, .. }))
}

async fn a_new_password_ends_the_other_sessions(backend: Backend) -> TestResult {
    let server = Server::start(backend).await?;
    let rosa = server.add_user("rosa", Role::Participant).await?;
    let phone = Phone::new(&server, &server.base.clone(), &rosa, "Rosa's phone").await?;
    let tablet = Phone::new(&server, &server.base.clone(), &rosa, "Rosa's tablet").await?;
    tablet.store.create(&goal(&rosa))?;
    tablet.sync().await?;

    // A wrong current password or a short new one: refused on that field, nothing changed.
    let wrong = sync::change_password(&phone.store, &phone.client, "not my password", "a brand new secret").await;
    assert!(matches!(&wrong, Err(SyncError::Server { status: 422, field: Some(f), .. }) if f == "current_password"), "{wrong:?}");
    let short = sync::change_password(&phone.store, &phone.client, PASSWORD, "short").await;
    assert!(matches!(&short, Err(SyncError::Server { status: 422, field: Some(f), .. }) if f == "new_password"), "{short:?}");
    tablet.sync().await?;

    let ended = sync::change_password(&phone.store, &phone.client, PASSWORD, "a brand new secret").await?;
    assert_eq!(ended, 1, "the tablet was signed out");
    assert!(is_unauthorized(tablet.sync().await), "the tablet's old sign-in opens nothing");
    assert_eq!(tablet.store.list::<Goal>(&rosa)?.len(), 1, "a sign-out clears nothing from the tablet");
    phone.sync().await?;
    assert_eq!(phone.store.list::<Goal>(&rosa)?.len(), 1, "the phone that changed it goes on");

    assert_eq!(server.login("rosa", PASSWORD).await?.0.as_u16(), 401, "the old password is gone");

    // Guessing on her unlocked phone is cut short, and never locks her out of signing in.
    for _ in 0..5 {
        let _ = sync::change_password(&phone.store, &phone.client, "a guess", "a brand new secret").await;
    }
    let limited = sync::change_password(&phone.store, &phone.client, "a brand new secret", "yet another secret").await;
    assert!(matches!(limited, Err(SyncError::Server { status: 429, .. })), "{limited:?}");
    assert_eq!(server.login("rosa", "a brand new secret").await?.0.as_u16(), 200);
    server.stop().await
}

async fn a_reset_code_works_once(backend: Backend) -> TestResult {
    let server = Server::start(backend).await?;
    let rosa = server.add_user("rosa", Role::Participant).await?;
    let will = server.add_user("will", Role::PeerWorker).await?;
    let admin = server.add_user("admin", Role::Admin).await?;
    server.assign(&will, &rosa).await?;
    let old_phone = Phone::new(&server, &server.base.clone(), &rosa, "Rosa's old phone").await?;
    let admin_token = server.token("admin").await?;
    let will_token = server.token("will").await?;

    // Only an admin gives codes, and not for an admin.
    let for_rosa = json!({"user_id": rosa});
    for token in [&will_token, &token_of(&old_phone)?] {
        let (status, body) = server.post("/v1/admin/reset-codes", Some(token), &for_rosa).await?;
        assert_eq!((status.as_u16(), code(&body)), (403, "forbidden"));
    }
    let (status, _) = server.post("/v1/admin/reset-codes", Some(&admin_token), &json!({"user_id": admin})).await?;
    assert_eq!(status.as_u16(), 403);
    let (status, _) =
        server.post("/v1/admin/reset-codes", Some(&admin_token), &json!({"user_id": uuid::Uuid::new_v4().to_string()})).await?;
    assert_eq!(status.as_u16(), 404);

    let (status, issued) = server.post("/v1/admin/reset-codes", Some(&admin_token), &for_rosa).await?;
    assert_eq!(status.as_u16(), 201);
    let code_text = issued["code"].as_str().ok_or_else(|| fail("no code"))?.to_owned();
    assert_eq!(code_text.len(), 9, "read aloud as XXXX-XXXX: {code_text}");

    // On a new phone she signs in with it (typed in lowercase with a space).
    let dir = tempfile::tempdir()?;
    let new_store = std::sync::Arc::new(alongside_core::Store::open(dir.path().join("new.db"), &alongside_harness::KEY)?);
    let request = |code: &str, username: &str| alongside_core::accounts::PasswordResetRequest {
        username: username.into(),
        code: code.into(),
        new_password: "my own new words".into(),
        device_name: "Rosa's new phone".into(),
    };
    let typed = code_text.to_lowercase().replace('-', " ");
    let wrong_user = sync::reset_password(&new_store, &old_phone.client, &request(&typed, "will")).await;
    assert!(is_unauthorized(wrong_user), "a code is for one person");
    let session = sync::reset_password(&new_store, &old_phone.client, &request(&typed, "rosa")).await?;
    assert_eq!(session.user_id, rosa);
    assert!(is_unauthorized(old_phone.sync().await), "every earlier sign-in ended");

    // Once only.
    let again = sync::reset_password(&new_store, &old_phone.client, &request(&code_text, "rosa")).await;
    assert!(is_unauthorized(again), "a used code is refused");
    assert_eq!(server.login("rosa", "my own new words").await?.0.as_u16(), 200);

    // A code past its day is refused; a new code replaces the one before.
    let (_, first) = server.post("/v1/admin/reset-codes", Some(&admin_token), &for_rosa).await?;
    let (_, second) = server.post("/v1/admin/reset-codes", Some(&admin_token), &for_rosa).await?;
    let first_code = first["code"].as_str().unwrap_or_default().to_owned();
    let (status, _) = server.post("/v1/auth/reset", None, &reset_body(&first_code)).await?;
    assert_eq!(status.as_u16(), 401, "a replaced code is refused");
    let expired = alongside_server::auth::account::issue_reset_code(&server.db, &user(&server, &rosa).await?, "test").await?.0;
    let canonical = alongside_server::auth::spoken_code::normalize(&expired).ok_or_else(|| fail("normalize"))?;
    let hash = alongside_server::auth::spoken_code::digest(alongside_server::auth::spoken_code::Purpose::PasswordReset, &canonical);
    let rosa_id = rosa.clone();
    server
        .db
        .write(move |tx| {
            Box::pin(async move { alongside_server::store::accounts::put_reset_code(tx, &rosa_id, &hash, "test", 0, 1).await })
        })
        .await?;
    let (status, _) = server.post("/v1/auth/reset", None, &reset_body(&expired)).await?;
    assert_eq!(status.as_u16(), 401, "an expired code is refused");
    let _ = second;

    // Bad input: a clear 4xx, nothing changed.
    for body in [json!({"username": "rosa"}), json!({"username": "rosa", "code": 7, "new_password": "x", "device_name": "p"}), json!([])] {
        let (status, answer) = server.post("/v1/auth/reset", None, &body).await?;
        assert!(matches!(status.as_u16(), 400 | 422), "{body}: {status} {answer}");
    }
    assert_eq!(server.login("rosa", "my own new words").await?.0.as_u16(), 200);
    server.stop().await
}

fn reset_body(code: &str) -> Value {
    json!({"username": "rosa", "code": code, "new_password": "yet another one", "device_name": "p"})
}

async fn user(server: &Server, id: &str) -> TestResult<alongside_server::User> {
    server.db.user(id).await?.ok_or_else(|| fail("no such user"))
}

/// Every text value in every table of the server's database.
async fn every_text(server: &Server) -> TestResult<Vec<String>> {
    let texts = server
        .db
        .read(|tx| {
            Box::pin(async move {
                let list = match tx.dialect() {
                    alongside_server::store::sql::Dialect::Sqlite => {
                        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                    }
                    alongside_server::store::sql::Dialect::Postgres => "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public'",
                };
                let tables: Vec<String> = tx.query(list, &[]).await?.iter().map(|row| row.text(0)).collect::<Result<_, _>>()?;
                let mut texts = Vec::new();
                for table in tables {
                    for row in tx.query(&format!("SELECT * FROM {table}"), &[]).await? {
                        for cell in row.0 {
                            if let alongside_server::store::sql::Cell::Text(text) = cell {
                                texts.push(format!("{table}: {text}"));
                            }
                        }
                    }
                }
                Ok(texts)
            })
        })
        .await?;
    Ok(texts)
}

async fn a_participant_who_leaves_is_erased_everywhere(backend: Backend) -> TestResult {
    let server = Server::start(backend).await?;
    let rosa = server.add_user("rosa", Role::Participant).await?;
    let ana = server.add_user("ana", Role::Participant).await?;
    let will = server.add_user("will", Role::PeerWorker).await?;
    let admin = server.add_user("admin", Role::Admin).await?;
    server.assign(&will, &rosa).await?;
    server.assign(&will, &ana).await?;
    let phone = Phone::new(&server, &server.base.clone(), &rosa, "Rosa's phone").await?;
    let tablet = Phone::new(&server, &server.base.clone(), &rosa, "Rosa's tablet").await?;
    let will_phone = Phone::new(&server, &server.base.clone(), &will, "Will's phone").await?;
    phone.store.set_sharing(&rosa, &Sharing { goals: true, ..Sharing::default() }, None, Utc::now())?;
    phone.store.create(&goal(&rosa))?;
    phone.sync().await?;
    tablet.sync().await?;
    will_phone.sync().await?;
    assert_eq!(will_phone.store.list::<Goal>(&rosa)?.len(), 1, "Will holds Rosa's shared goal");
    let ana_phone = Phone::new(&server, &server.base.clone(), &ana, "Ana's phone").await?;
    ana_phone.store.set_sharing(&ana, &Sharing { goals: true, ..Sharing::default() }, None, Utc::now())?;
    let ana_goal = ana_phone.store.create(&Goal { title: "Ana's own goal".into(), description: None, ..goal(&ana) })?;
    ana_phone.sync().await?;
    will_phone.sync().await?;
    assert!(will_phone.store.get::<Goal>(&ana_goal.id).is_ok(), "Will holds Ana's shared goal");

    // Who may erase whom: not a peer worker, not another participant, not for a peer worker.
    let will_token = token_of(&will_phone)?;
    let admin_token = server.token("admin").await?;
    let ana_token = token_of(&ana_phone)?;
    for (token, path, body) in [
        (&will_token, "/v1/me/erase", json!({"password": PASSWORD})),
        (&will_token, "/v1/admin/erase", json!({"participant_id": rosa})),
        (&ana_token, "/v1/admin/erase", json!({"participant_id": rosa})),
    ] {
        let (status, answer) = server.post(path, Some(token), &body).await?;
        assert_eq!((status.as_u16(), code(&answer)), (403, "forbidden"), "{path}");
    }
    let (status, _) = server.post("/v1/admin/erase", Some(&admin_token), &json!({"participant_id": will})).await?;
    assert_eq!(status.as_u16(), 422, "a peer worker is not erased this way");
    // A wrong password erases nothing.
    let wrong = sync::erase_account(&phone.store, &phone.client, "not my password").await;
    assert!(matches!(&wrong, Err(SyncError::Server { status: 422, field: Some(f), .. }) if f == "password"), "{wrong:?}");
    assert_eq!(phone.store.list::<Goal>(&rosa)?.len(), 1, "nothing was deleted on the phone");

    // Rosa leaves, from her phone.
    let deleted = sync::erase_account(&phone.store, &phone.client, PASSWORD).await?;
    assert_eq!(deleted, 2, "her sharing and her goal");
    assert!(phone.store.list::<Goal>(&rosa)?.is_empty() && phone.store.session()?.is_none(), "her phone holds nothing");

    // Her tablet clears itself at its next contact; Will's phone drops its copies.
    assert!(tablet.sync().await.err().is_some_and(|e| e.is_wiped()));
    assert!(tablet.store.list::<Goal>(&rosa)?.is_empty());
    will_phone.sync().await?;
    assert!(will_phone.store.list::<Goal>(&rosa)?.is_empty(), "Will's phone purged Rosa's goal");
    assert!(will_phone.store.get::<Goal>(&ana_goal.id).is_ok(), "and kept Ana's");
    let (_, me) = server.get("/v1/me", Some(&will_token)).await?;
    let caseload: Vec<&str> =
        me["participants"].as_array().map(|p| p.iter().filter_map(|p| p["id"].as_str()).collect()).unwrap_or_default();
    assert_eq!(caseload, vec![ana.as_str()]);

    // The server holds nothing about her but the audit's ids and counts.
    assert_eq!(server.login("rosa", PASSWORD).await?.0.as_u16(), 401);
    let texts = every_text(&server).await?;
    for secret in ["rosa name", "\"rosa\"", GOAL_TITLE, "after bath time", "Rosa's phone", "Rosa's tablet"] {
        assert!(!texts.iter().any(|t| t.contains(secret)), "{secret:?} is still kept: {:?}", texts.iter().find(|t| t.contains(secret)));
    }
    let (status, audit) = server.get(&format!("/v1/audit?participant_id={rosa}"), Some(&admin_token)).await?;
    let entries = audit["entries"].as_array().cloned().unwrap_or_default();
    assert_eq!(status.as_u16(), 200);
    assert!(entries.iter().any(|e| e["action"] == "pull" && e["actor_id"] == will.as_str()), "Will's pulls stay accounted for");
    assert!(entries.iter().all(|e| e.as_object().is_some_and(|o| {
        o.keys().all(|k| ["at", "actor_id", "actor_role", "action", "participant_id", "collections", "count"].contains(&k.as_str()))
    })));
    assert!(texts.iter().any(|t| t.starts_with("erasures: ") && t.contains(&rosa)), "the erasure itself is recorded");

    // An admin erases a participant on their request; erased is gone for good.
    let (status, body) = server.post("/v1/admin/erase", Some(&admin_token), &json!({"participant_id": ana})).await?;
    assert_eq!((status.as_u16(), body["records_deleted"].as_u64()), (200, Some(2)));
    assert!(ana_phone.sync().await.err().is_some_and(|e| e.is_wiped()), "Ana's phone clears itself");
    let (status, _) = server.post("/v1/admin/erase", Some(&admin_token), &json!({"participant_id": ana})).await?;
    assert_eq!(status.as_u16(), 404);
    let (status, _) = server
        .post("/v1/admin/caseload", Some(&admin_token), &json!({"peer_worker_id": will, "participant_id": rosa, "assigned": true}))
        .await?;
    assert_eq!(status.as_u16(), 404, "nobody is put back on a caseload after erasure");
    will_phone.sync().await?;
    assert!(will_phone.store.get::<Goal>(&ana_goal.id).is_err(), "Ana's goal left Will's phone too");
    let _ = admin;
    server.stop().await
}

async fn a_peer_worker_who_leaves_takes_nothing_with_them(backend: Backend) -> TestResult {
    let server = Server::start(backend).await?;
    let rosa = server.add_user("rosa", Role::Participant).await?;
    let will = server.add_user("will", Role::PeerWorker).await?;
    let nina = server.add_user("nina", Role::PeerWorker).await?;
    let admin = server.add_user("admin", Role::Admin).await?;
    server.assign(&will, &rosa).await?;
    server.assign(&nina, &rosa).await?;
    let phone = Phone::new(&server, &server.base.clone(), &rosa, "Rosa's phone").await?;
    phone.store.set_sharing(&rosa, &Sharing { goals: true, ..Sharing::default() }, None, Utc::now())?;
    phone.store.create(&goal(&rosa))?;
    phone.sync().await?;
    let will_phone = Phone::new(&server, &server.base.clone(), &will, "Will's phone").await?;
    will_phone.sync().await?;
    assert_eq!(will_phone.store.list::<Goal>(&rosa)?.len(), 1, "Will holds Rosa's shared goal");
    let will_token = token_of(&will_phone)?;
    let (status, invite) = server.post("/v1/invites", Some(&will_token), &json!({"display_name": "Sam"})).await?;
    assert_eq!(status.as_u16(), 201, "an invite Will gave and nobody has used yet");

    // Who may close what: only an admin, never a participant's account, never their own.
    let admin_token = server.token("admin").await?;
    let (status, _) = server.post("/v1/admin/close", Some(&will_token), &json!({"user_id": nina})).await?;
    assert_eq!(status.as_u16(), 403, "a peer worker closes nobody");
    let (status, answer) = server.post("/v1/admin/close", Some(&admin_token), &json!({"user_id": rosa})).await?;
    assert_eq!((status.as_u16(), code(&answer)), (422, "validation_failed"), "a participant's account is erased, not closed");
    let (status, _) = server.post("/v1/admin/close", Some(&admin_token), &json!({"user_id": admin})).await?;
    assert_eq!(status.as_u16(), 403, "an admin does not close their own account");

    // Will leaves the program.
    let (status, closed) = server.post("/v1/admin/close", Some(&admin_token), &json!({"user_id": will})).await?;
    assert_eq!(status.as_u16(), 200, "{closed}");
    assert_eq!((closed["participants_released"].as_u64(), closed["devices_signed_out"].as_u64()), (Some(1), Some(1)));

    // His phone clears itself at its next contact; he cannot sign in again,
    // and his invite opens nothing.
    assert!(will_phone.sync().await.err().is_some_and(|e| e.is_wiped()), "Will's phone is told to clear itself");
    assert!(will_phone.store.list::<Goal>(&rosa)?.is_empty() && will_phone.store.session()?.is_none(), "nothing of Rosa's stays");
    assert_eq!(server.login("will", PASSWORD).await?.0.as_u16(), 401);
    let register =
        json!({"invite_code": invite["code"], "username": "sam", "password": PASSWORD, "display_name": "Sam", "device_name": "p"});
    let (status, answer) = server.post("/v1/auth/register", None, &register).await?;
    assert_eq!((status.as_u16(), code(&answer)), (422, "validation_failed"), "{answer}");

    // Rosa keeps everything, and her phone learns she can reach Nina, not Will.
    phone.sync().await?;
    let care = phone.store.care()?.ok_or_else(|| fail("Rosa's phone heard nothing of whom she can reach"))?;
    let names: Vec<&str> = care.peer_workers.iter().map(|card| card.display_name.as_str()).collect();
    assert_eq!(names, vec!["nina name"]);
    assert_eq!(phone.store.list::<Goal>(&rosa)?.len(), 1);

    // Closed is for good: no second closing, no caseload, and the name is not handed out again.
    let (status, _) = server.post("/v1/admin/close", Some(&admin_token), &json!({"user_id": will})).await?;
    assert_eq!(status.as_u16(), 404);
    let (status, _) = server
        .post("/v1/admin/caseload", Some(&admin_token), &json!({"peer_worker_id": will, "participant_id": rosa, "assigned": true}))
        .await?;
    assert_eq!(status.as_u16(), 404, "nobody is put on a closed account's caseload");
    // Had a sign-in or an assignment raced the closing, it would open nothing either.
    let (late_token, _) = server.device_token(&will, "signed in as it closed").await?;
    let (status, answer) = server.get("/v1/me", Some(&late_token)).await?;
    assert_eq!((status.as_u16(), code(&answer)), (401, "device_wiped"), "{answer}");
    assert!(server.db.set_caseload(&will, &rosa, true, 0).await.is_err(), "the store itself refuses a closed account's caseload");
    let new_will = json!({"username": "will", "role": "peer_worker", "display_name": "Another Will", "password": PASSWORD});
    let (status, _) = server.post("/v1/admin/users", Some(&admin_token), &new_will).await?;
    assert_eq!(status.as_u16(), 409, "his username stays his, so the audit's names never mix two people");
    server.stop().await
}

on_every_backend!(
    a_new_password_ends_the_other_sessions,
    a_reset_code_works_once,
    a_participant_who_leaves_is_erased_everywhere,
    a_peer_worker_who_leaves_takes_nothing_with_them,
);
