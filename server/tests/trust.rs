//! Caseloads, consent and trust through the HTTP API, on both backends:
//! invites and registration, `me`, the admin endpoints, per-field rules,
//! purges, the audit trail, the events stream and the security headers.

use std::collections::BTreeSet;
use std::time::Duration;

use alongside_harness::wire::{change, check_in, goal, hlc, new_id};
use alongside_harness::{Backend, BoxError, Server, TestResult, code, fail, on_every_backend};
use alongside_server::store::{NewInvite, Role, Store as _};
use reqwest::StatusCode;
use serde_json::{Value, json};

on_every_backend!(
    invites_register_participants_on_the_caseload,
    invites_and_registrations_are_rate_limited,
    admins_manage_users_and_caseloads,
    messages_are_written_by_their_author_and_read_by_the_other,
    peer_workers_only_follow_up_reach_outs,
    submitted_notes_are_locked_and_amended,
    withdrawal_then_grant_purges_before_redelivering,
    leaving_the_caseload_purges_everything,
    sharing_ends_by_the_servers_clock,
    the_audit_trail_is_readable_and_append_only,
    events_wake_only_those_who_may_see,
    events_reach_streams_on_other_instances,
    every_response_has_security_headers_and_no_cors,
    who_may_manage_whose_account,
);

fn register_body(code: &str, username: &str) -> Value {
    json!({"invite_code": code, "username": username, "password": alongside_harness::PASSWORD, "display_name": "Marisol", "device_name": "phone"})
}

async fn invite(server: &Server, token: &str) -> Result<String, BoxError> {
    let (status, body) = server.post("/v1/invites", Some(token), &json!({"display_name": "Marisol"})).await?;
    if status != StatusCode::CREATED {
        return Err(fail(format!("invite: {status} {body}")));
    }
    body["code"].as_str().map(str::to_owned).ok_or_else(|| fail(format!("no code: {body}")))
}

async fn invites_register_participants_on_the_caseload(backend: Backend) -> TestResult {
    let server = Server::start(backend).await?;
    let will = server.add_user("will", Role::PeerWorker).await?;
    server.add_user("rosa", Role::Participant).await?;
    let (will_token, rosa_token) = (server.token("will").await?, server.token("rosa").await?);

    let (status, body) = server.post("/v1/invites", Some(&will_token), &json!({"display_name": "Marisol"})).await?;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let code = body["code"].as_str().unwrap_or("").to_owned();
    assert_eq!(code.len(), 9, "two groups of four: {code}");
    assert!(code.chars().all(|c| c == '-' || (c.is_ascii_alphanumeric() && !"01OIL".contains(c))), "{code}");
    let expires = chrono::DateTime::parse_from_rfc3339(body["expires_at"].as_str().unwrap_or(""))?;
    let days = (expires.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_hours();
    assert!((167..=168).contains(&days), "expires in 7 days: {days} hours");
    let (status, body) = server.post("/v1/invites", Some(&rosa_token), &json!({"display_name": "x"})).await?;
    assert_eq!((status, code_of(&body)), (StatusCode::FORBIDDEN, "forbidden"), "participants do not invite");

    // Typed as heard: lowercase, a space instead of the hyphen.
    let typed = code.to_lowercase().replace('-', " ");
    let (status, body) = server.post("/v1/auth/register", None, &register_body(&typed, "marisol")).await?;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["user"]["role"], json!("participant"));
    let marisol = body["user"]["id"].as_str().unwrap_or("").to_owned();
    let marisol_token = body["token"].as_str().unwrap_or("").to_owned();
    assert_eq!(server.db.caseload(&will).await?, vec![marisol.clone()], "on the inviting peer worker's caseload");

    let (status, me) = server.get("/v1/me", Some(&marisol_token)).await?;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(me["participants"], json!([{"id": marisol, "display_name": "Marisol", "shared": []}]));
    let sharing = change("sharing", &marisol, &marisol, &hlc(-10, 0, "m"), json!({"goals": true, "check_ins": true}));
    assert_eq!(server.push_ok(&marisol_token, &[sharing]).await?, ["applied"]);
    let (_, me) = server.get("/v1/me", Some(&will_token)).await?;
    assert_eq!(me["user"]["role"], json!("peer_worker"));
    assert_eq!(me["participants"], json!([{"id": marisol, "display_name": "Marisol", "shared": ["goals", "check_ins"]}]));

    // Single use; unknown and expired codes look alike.
    let (status, body) = server.post("/v1/auth/register", None, &register_body(&code, "other")).await?;
    assert_eq!((status, code_of(&body)), (StatusCode::CONFLICT, "conflict"), "{body}");
    let (status, unknown) = server.post("/v1/auth/register", None, &register_body("ABCD-EFGH", "other")).await?;
    assert_eq!((status, code_of(&unknown)), (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"), "{unknown}");
    // The error body names the field, for the form to highlight.
    assert_eq!(unknown["error"]["field"], json!("invite_code"), "{unknown}");
    let expired_code = "WXYZ-2345";
    let now = alongside_harness::wire::now_ms();
    let canonical = alongside_server::auth::spoken_code::normalize(expired_code).ok_or_else(|| fail("normalize"))?;
    server
        .db
        .create_invite(&NewInvite {
            code_hash: alongside_server::auth::spoken_code::digest(alongside_server::auth::spoken_code::Purpose::Invite, &canonical),
            peer_worker_id: will.clone(),
            display_name: "Late".into(),
            created_at_ms: now - 8 * 86_400_000,
            expires_at_ms: now - 86_400_000,
        })
        .await?;
    let (status, expired) = server.post("/v1/auth/register", None, &register_body(expired_code, "late")).await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(expired, unknown, "an expired code says what an unknown one does");
    // A taken username is a conflict and leaves the code usable.
    let fresh = invite(&server, &will_token).await?;
    let (status, body) = server.post("/v1/auth/register", None, &register_body(&fresh, "rosa")).await?;
    assert_eq!((status, code_of(&body)), (StatusCode::CONFLICT, "conflict"));
    let (status, body) = server.post("/v1/auth/register", None, &register_body(&fresh, "dolores")).await?;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = server.post("/v1/auth/register", None, &json!({"invite_code": fresh})).await?;
    assert_eq!((status, code_of(&body)), (StatusCode::BAD_REQUEST, "invalid_request"));
    server.stop().await
}

fn code_of(body: &Value) -> &str {
    code(body)
}

async fn invites_and_registrations_are_rate_limited(backend: Backend) -> TestResult {
    let server = Server::start(backend).await?;
    server.add_user("will", Role::PeerWorker).await?;
    let will_token = server.token("will").await?;
    for _ in 0..alongside_server::auth::invite::MAX_INVITES_PER_WINDOW {
        invite(&server, &will_token).await?;
    }
    let (status, body) = server.post("/v1/invites", Some(&will_token), &json!({"display_name": "One more"})).await?;
    assert_eq!((status, code_of(&body)), (StatusCode::TOO_MANY_REQUESTS, "rate_limited"));
    for attempt in 0..alongside_server::auth::invite::MAX_REGISTER_FAILURES {
        let (status, _) = server.post("/v1/auth/register", None, &register_body("ABCD-EFGH", &format!("guess{attempt}"))).await?;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let response = server.http.post(server.url("/v1/auth/register")).json(&register_body("ABCD-EFGH", "guess")).send().await?;
    assert!(response.headers().contains_key("retry-after"));
    let (status, body) = alongside_harness::answer(response).await?;
    assert_eq!((status, code_of(&body)), (StatusCode::TOO_MANY_REQUESTS, "rate_limited"), "guessing codes is bounded");
    server.stop().await
}

async fn admins_manage_users_and_caseloads(backend: Backend) -> TestResult {
    let server = Server::start(backend).await?;
    server.add_user("root", Role::Admin).await?;
    server.add_user("will", Role::PeerWorker).await?;
    let will = server.db.user_by_username("will").await?.map(|u| u.id).unwrap_or_default();
    let (root, will_token) = (server.token("root").await?, server.token("will").await?);
    let new_user = json!({"username": "rosa", "password": "a long password", "role": "participant", "display_name": "Rosa"});
    let (status, body) = server.post("/v1/admin/users", Some(&will_token), &new_user).await?;
    assert_eq!((status, code_of(&body)), (StatusCode::FORBIDDEN, "forbidden"));
    let (status, body) = server.post("/v1/admin/users", Some(&root), &new_user).await?;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!((body["role"].clone(), body["display_name"].clone()), (json!("participant"), json!("Rosa")));
    let rosa = body["id"].as_str().unwrap_or("").to_owned();
    let (status, body) = server.post("/v1/admin/users", Some(&root), &new_user).await?;
    assert_eq!((status, code_of(&body)), (StatusCode::CONFLICT, "conflict"));
    let mut boss = new_user.clone();
    boss["role"] = json!("boss");
    boss["username"] = json!("boss");
    let (status, body) = server.post("/v1/admin/users", Some(&root), &boss).await?;
    assert_eq!((status, code_of(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"));
    let (status, body) = server.login("rosa", "a long password").await?;
    assert_eq!(status, StatusCode::OK, "the new user signs in: {body}");

    let assign = json!({"peer_worker_id": will, "participant_id": rosa, "assigned": true});
    let (status, _) = server.post("/v1/admin/caseload", Some(&will_token), &assign).await?;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = server.post("/v1/admin/caseload", Some(&root), &assign).await?;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, me) = server.get("/v1/me", Some(&will_token)).await?;
    assert_eq!(me["participants"][0]["id"], json!(rosa));
    let swapped = json!({"peer_worker_id": rosa, "participant_id": will, "assigned": true});
    let (status, body) = server.post("/v1/admin/caseload", Some(&root), &swapped).await?;
    assert_eq!((status, code_of(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"));
    let unknown = json!({"peer_worker_id": will, "participant_id": new_id(), "assigned": true});
    let (status, body) = server.post("/v1/admin/caseload", Some(&root), &unknown).await?;
    assert_eq!((status, code_of(&body)), (StatusCode::NOT_FOUND, "not_found"));
    let (_, me) = server.get("/v1/me", Some(&root)).await?;
    assert_eq!(me["participants"], json!([]));
    server.stop().await
}

/// Rosa and her peer worker Will, signed in; returns (rosa, will, rosa's token, will's token).
async fn rosa_and_will(server: &Server) -> Result<(String, String, String, String), BoxError> {
    let rosa = server.add_user("rosa", Role::Participant).await?;
    let will = server.add_user("will", Role::PeerWorker).await?;
    server.assign(&will, &rosa).await?;
    Ok((rosa, will, server.token("rosa").await?, server.token("will").await?))
}

fn outcome(body: &Value) -> Vec<String> {
    body["results"]
        .as_array()
        .map(|results| {
            results
                .iter()
                .map(|r| r["error"]["code"].as_str().map_or_else(|| r["status"].as_str().unwrap_or("?").to_owned(), str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

async fn messages_are_written_by_their_author_and_read_by_the_other(backend: Backend) -> TestResult {
    let server = Server::start(backend).await?;
    let (rosa, _, rosa_token, will_token) = rosa_and_will(&server).await?;
    let from_rosa = new_id();
    let sent =
        change("messages", &from_rosa, &rosa, &hlc(-100, 0, "r"), json!({"body": "Can we talk?", "sent_at": "2026-11-23T08:00:00Z"}));
    assert_eq!(server.push_ok(&rosa_token, &[sent]).await?, ["applied"]);
    let read_at = json!({"read_at": "2026-11-23T08:05:00Z"});
    let (_, body) = server
        .push(
            &will_token,
            &[
                change("messages", &from_rosa, &rosa, &hlc(-90, 0, "w"), json!({"body": "Rewritten"})),
                change("messages", &from_rosa, &rosa, &hlc(-90, 1, "w"), json!({"sent_at": "2026-11-23T07:00:00Z"})),
                change("messages", &from_rosa, &rosa, &hlc(-90, 2, "w"), json!({"deleted": true})),
                change("messages", &from_rosa, &rosa, &hlc(-90, 3, "w"), read_at.clone()),
            ],
        )
        .await?;
    assert_eq!(outcome(&body), ["forbidden", "forbidden", "forbidden", "applied"], "{body}");
    let (_, body) = server.push(&rosa_token, &[change("messages", &from_rosa, &rosa, &hlc(-80, 0, "r"), read_at.clone())]).await?;
    assert_eq!(outcome(&body), ["forbidden"], "the author does not mark their own message read");
    // A reply from Will: his to edit, Rosa's to mark read.
    let from_will = new_id();
    let reply = change(
        "messages",
        &from_will,
        &rosa,
        &hlc(-70, 0, "w"),
        json!({"body": "At 3?", "sent_at": "2026-11-23T08:10:00Z", "read_at": null}),
    );
    assert_eq!(server.push_ok(&will_token, &[reply]).await?, ["applied"]);
    let pre_read = change(
        "messages",
        &new_id(),
        &rosa,
        &hlc(-70, 1, "w"),
        json!({"body": "x", "sent_at": "2026-11-23T08:10:00Z", "read_at": "2026-11-23T08:10:00Z"}),
    );
    let (_, body) = server.push(&will_token, &[pre_read]).await?;
    assert_eq!(outcome(&body), ["forbidden"], "a new message is not read by its author");
    let (_, body) = server
        .push(
            &rosa_token,
            &[
                change("messages", &from_will, &rosa, &hlc(-60, 0, "r"), json!({"body": "Changed"})),
                change("messages", &from_will, &rosa, &hlc(-60, 1, "r"), read_at),
            ],
        )
        .await?;
    assert_eq!(outcome(&body), ["forbidden", "applied"]);
    server.stop().await
}

async fn peer_workers_only_follow_up_reach_outs(backend: Backend) -> TestResult {
    let server = Server::start(backend).await?;
    let (rosa, _, rosa_token, will_token) = rosa_and_will(&server).await?;
    let fields = json!({"urgency": "urgent", "message": "Need to talk", "created_at": "2026-11-23T08:00:00Z", "status": "open"});
    let (_, body) = server.push(&will_token, &[change("reach_outs", &new_id(), &rosa, &hlc(-100, 0, "w"), fields.clone())]).await?;
    assert_eq!(outcome(&body), ["forbidden"], "only the participant reaches out");
    let id = new_id();
    assert_eq!(server.push_ok(&rosa_token, &[change("reach_outs", &id, &rosa, &hlc(-90, 0, "r"), fields)]).await?, ["applied"]);
    let (_, body) = server
        .push(
            &will_token,
            &[
                change("reach_outs", &id, &rosa, &hlc(-80, 0, "w"), json!({"message": "edited"})),
                change("reach_outs", &id, &rosa, &hlc(-80, 1, "w"), json!({"urgency": "today"})),
                change("reach_outs", &id, &rosa, &hlc(-80, 2, "w"), json!({"deleted": true})),
                change(
                    "reach_outs",
                    &id,
                    &rosa,
                    &hlc(-80, 3, "w"),
                    json!({"status": "acknowledged", "acknowledged_at": "2026-11-23T08:01:00Z"}),
                ),
                change("reach_outs", &id, &rosa, &hlc(-80, 4, "w"), json!({"status": "resolved", "resolved_at": "2026-11-23T08:30:00Z"})),
            ],
        )
        .await?;
    assert_eq!(outcome(&body), ["forbidden", "forbidden", "forbidden", "applied", "applied"], "{body}");
    server.stop().await
}

fn note(status: &str, amends: Option<&str>) -> Value {
    json!({"status": status, "amends": amends, "occurred_on": "2026-11-22", "duration_minutes": 45, "mode": "in_person",
           "location": "court", "service_types": ["advocacy"], "goal_ids": [], "summary": "Went to the hearing together"})
}

async fn submitted_notes_are_locked_and_amended(backend: Backend) -> TestResult {
    let server = Server::start(backend).await?;
    let (rosa, _, rosa_token, will_token) = rosa_and_will(&server).await?;
    let (_, body) =
        server.push(&rosa_token, &[change("encounter_notes", &new_id(), &rosa, &hlc(-100, 0, "r"), note("draft", None))]).await?;
    assert_eq!(outcome(&body), ["forbidden"], "participants do not write encounter notes");
    let id = new_id();
    let batch = [
        change("encounter_notes", &id, &rosa, &hlc(-90, 0, "w"), note("draft", None)),
        change("encounter_notes", &id, &rosa, &hlc(-90, 1, "w"), json!({"summary": "Edited while a draft"})),
        change("encounter_notes", &id, &rosa, &hlc(-90, 2, "w"), json!({"status": "submitted"})),
        change("encounter_notes", &id, &rosa, &hlc(-90, 3, "w"), json!({"summary": "Edited after submitting"})),
        change("encounter_notes", &id, &rosa, &hlc(-90, 4, "w"), json!({"status": "draft"})),
        // A concurrent edit from before the submission, arriving later, is refused too.
        change("encounter_notes", &id, &rosa, &hlc(-95, 0, "tablet"), json!({"next_steps": "Call the lawyer"})),
    ];
    let (_, body) = server.push(&will_token, &batch).await?;
    assert_eq!(outcome(&body), ["applied", "applied", "applied", "locked", "locked", "locked"], "{body}");
    let amendment = change("encounter_notes", &new_id(), &rosa, &hlc(-80, 0, "w"), note("submitted", Some(&id)));
    assert_eq!(server.push_ok(&will_token, &[amendment]).await?, ["applied"]);
    let seen = server.pull_all(&rosa_token).await?;
    let summaries: BTreeSet<&str> = seen.iter().filter_map(|c| c["fields"]["summary"].as_str()).collect();
    assert!(summaries.contains("Edited while a draft") && !summaries.contains("Edited after submitting"), "{summaries:?}");
    server.stop().await
}

/// A device's view: applies pages as the core does (merge, then purge) from
/// `cursor`; returns the (collection, record) pairs held per page order and the cursor.
async fn follow(
    server: &Server,
    token: &str,
    cursor: Option<String>,
    held: &mut BTreeSet<(String, String)>,
) -> Result<(String, Vec<Value>), BoxError> {
    let mut cursor = cursor;
    let mut purges = Vec::new();
    for _ in 0..1000 {
        let (status, page) = server.pull(token, cursor.as_deref(), Some(2)).await?;
        if status != StatusCode::OK {
            return Err(fail(format!("pull: {status} {page}")));
        }
        for change in page["changes"].as_array().cloned().unwrap_or_default() {
            held.insert((change["collection"].as_str().unwrap_or("").to_owned(), change["record_id"].as_str().unwrap_or("").to_owned()));
        }
        for purge in page["purge"].as_array().cloned().unwrap_or_default() {
            let collections: Vec<String> =
                purge["collections"].as_array().cloned().unwrap_or_default().iter().filter_map(|c| c.as_str().map(str::to_owned)).collect();
            held.retain(|(collection, _)| !collections.contains(collection));
            purges.push(purge);
        }
        cursor = page["cursor"].as_str().map(str::to_owned);
        if page["has_more"] != json!(true) {
            return Ok((cursor.unwrap_or_default(), purges));
        }
    }
    Err(fail("pull never ended"))
}

async fn withdrawal_then_grant_purges_before_redelivering(backend: Backend) -> TestResult {
    let server = Server::start(backend).await?;
    let (rosa, _, rosa_token, will_token) = rosa_and_will(&server).await?;
    let walk = goal(&rosa, &hlc(-100, 0, "r"), "Walk");
    let share = |goals: bool, counter: u16| change("sharing", &rosa, &rosa, &hlc(-90, counter, "r"), json!({"goals": goals}));
    assert_eq!(server.push_ok(&rosa_token, &[walk.clone(), check_in(&rosa, &hlc(-100, 1, "r")), share(true, 0)]).await?, ["applied"; 3]);
    let mut held = BTreeSet::new();
    let (cursor, _) = follow(&server, &will_token, None, &mut held).await?;
    let walk_key = ("goals".to_owned(), walk["record_id"].as_str().unwrap_or("").to_owned());
    assert!(held.contains(&walk_key));

    // While Will's phone is away: withdrawn, then granted again, then withdrawn for good.
    assert_eq!(server.push_ok(&rosa_token, &[share(false, 1)]).await?, ["applied"]);
    assert_eq!(server.push_ok(&rosa_token, &[share(true, 2)]).await?, ["applied"]);
    let mut again = held.clone();
    let (later, purges) = follow(&server, &will_token, Some(cursor.clone()), &mut again).await?;
    assert!(!purges.is_empty(), "the withdrawal is purged");
    assert!(again.contains(&walk_key), "the grant after it delivers the goal again: {again:?}");
    assert_eq!(server.push_ok(&rosa_token, &[share(false, 3)]).await?, ["applied"]);
    let (_, purges) = follow(&server, &will_token, Some(later), &mut again).await?;
    assert_eq!(purges.len(), 1, "{purges:?}");
    assert!(!again.contains(&walk_key));
    // A device that missed all of it ends without the goal as well.
    let (_, _) = follow(&server, &will_token, Some(cursor), &mut held).await?;
    assert!(!held.iter().any(|(c, _)| c == "goals"), "{held:?}");
    // And Will's writes to goals are refused now.
    let (_, body) = server.push(&will_token, &[goal(&rosa, &hlc(-10, 0, "w"), "Housing")]).await?;
    assert_eq!(outcome(&body), ["forbidden"]);
    server.stop().await
}

async fn leaving_the_caseload_purges_everything(backend: Backend) -> TestResult {
    let server = Server::start(backend).await?;
    let (rosa, will, rosa_token, will_token) = rosa_and_will(&server).await?;
    let message = change("messages", &new_id(), &rosa, &hlc(-100, 0, "r"), json!({"body": "Hi", "sent_at": "2026-11-23T08:00:00Z"}));
    assert_eq!(server.push_ok(&rosa_token, &[message]).await?, ["applied"]);
    let mut held = BTreeSet::new();
    let (cursor, _) = follow(&server, &will_token, None, &mut held).await?;
    assert!(!held.is_empty());
    server.db.set_caseload(&will, &rosa, false, alongside_harness::wire::now_ms()).await?;
    let (_, purges) = follow(&server, &will_token, Some(cursor), &mut held).await?;
    assert!(held.is_empty(), "{held:?}");
    assert_eq!(purges.len(), 1);
    assert_eq!(purges[0]["participant_id"], json!(rosa));
    assert_eq!(purges[0]["collections"].as_array().map(Vec::len), Some(15), "every collection");
    let more = change("messages", &new_id(), &rosa, &hlc(-50, 0, "r"), json!({"body": "Still there?", "sent_at": "2026-11-23T09:00:00Z"}));
    assert_eq!(server.push_ok(&rosa_token, &[more]).await?, ["applied"]);
    assert!(server.pull_all(&will_token).await?.is_empty(), "nothing more flows");
    let reply = change("messages", &new_id(), &rosa, &hlc(-40, 0, "w"), json!({"body": "Yes", "sent_at": "2026-11-23T09:01:00Z"}));
    let (_, body) = server.push(&will_token, &[reply]).await?;
    assert_eq!(outcome(&body), ["forbidden"]);
    server.stop().await
}

/// Sharing ends by the server's clock: moved past `expires_on`, the same
/// server purges what was shared and sends it no more.
async fn sharing_ends_by_the_servers_clock(backend: Backend) -> TestResult {
    let config = alongside_server::ServerConfig::default();
    let clock = config.clock.clone();
    let server = Server::start_with(backend, config).await?;
    let (rosa, _, rosa_token, will_token) = rosa_and_will(&server).await?;
    let today = chrono::DateTime::from_timestamp_millis(clock.now_ms()).ok_or("no date")?.date_naive().to_string();
    let sharing = change("sharing", &rosa, &rosa, &hlc(-200, 0, "r"), json!({"goals": true, "expires_on": today}));
    assert_eq!(server.push_ok(&rosa_token, &[sharing, goal(&rosa, &hlc(-100, 0, "r"), "Walk")]).await?, ["applied", "applied"]);
    let (_, page) = server.pull(&will_token, None, None).await?;
    assert!(page["changes"].as_array().into_iter().flatten().any(|c| c["collection"] == "goals"), "shared until the end of {today}");
    let cursor = page["cursor"].as_str().ok_or("no cursor")?.to_owned();

    clock.advance(2 * 24 * 60 * 60 * 1000);
    let (_, page) = server.pull(&will_token, Some(&cursor), None).await?;
    let purged = page["purge"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|p| p["participant_id"] == rosa.as_str() && p["collections"].as_array().is_some_and(|c| c.contains(&json!("goals"))));
    assert!(purged, "two days later the goals are purged: {page}");
    let fresh = server.pull_all(&will_token).await?;
    assert!(!fresh.iter().any(|c| c["collection"] == "goals"), "and no longer sent");
    server.stop().await
}

async fn the_audit_trail_is_readable_and_append_only(backend: Backend) -> TestResult {
    let server = Server::start(backend).await?;
    let (rosa, will, rosa_token, will_token) = rosa_and_will(&server).await?;
    server.add_user("ana", Role::Participant).await?;
    server.add_user("root", Role::Admin).await?;
    let (ana_token, root_token) = (server.token("ana").await?, server.token("root").await?);
    let batch = [goal(&rosa, &hlc(-100, 0, "r"), "Walk"), check_in(&rosa, &hlc(-100, 1, "r"))];
    assert_eq!(server.push_ok(&rosa_token, &batch).await?, ["applied"; 2]);
    let message = change("messages", &new_id(), &rosa, &hlc(-90, 0, "w"), json!({"body": "Hi", "sent_at": "2026-11-23T08:00:00Z"}));
    assert_eq!(server.push_ok(&will_token, &[message]).await?, ["applied"]);
    assert_eq!(server.pull_all(&will_token).await?.len(), 1);
    let nothing_new = server.pull_all(&ana_token).await?;
    assert!(nothing_new.is_empty());

    let path = format!("/v1/audit?participant_id={rosa}");
    let (status, body) = server.get(&path, Some(&rosa_token)).await?;
    assert_eq!(status, StatusCode::OK, "{body}");
    let entries = body["entries"].as_array().cloned().unwrap_or_default();
    let summary: Vec<(String, String, String, Value, u64)> = entries
        .iter()
        .map(|e| {
            let text = |k: &str| e[k].as_str().unwrap_or("").to_owned();
            (text("actor_id"), text("actor_role"), text("action"), e["collections"].clone(), e["count"].as_u64().unwrap_or(0))
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (will.clone(), "peer_worker".into(), "pull".into(), json!(["messages"]), 1),
            (will.clone(), "peer_worker".into(), "push".into(), json!(["messages"]), 1),
            (rosa.clone(), "participant".into(), "push".into(), json!(["check_ins", "goals"]), 2),
        ],
        "newest first, one entry per participant per request"
    );
    assert!(entries.iter().all(|e| e["participant_id"] == json!(rosa) && e["at"].as_str().is_some_and(|t| t.ends_with('Z'))));
    let (status, _) = server.get(&path, Some(&root_token)).await?;
    assert_eq!(status, StatusCode::OK, "admins read any trail");
    for token in [&ana_token, &will_token] {
        let (status, body) = server.get(&path, Some(token)).await?;
        assert_eq!((status, code_of(&body)), (StatusCode::FORBIDDEN, "forbidden"));
    }
    let (status, _) = server.get("/v1/audit?participant_id=nope", Some(&root_token)).await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = server.get("/v1/audit", Some(&root_token)).await?;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // Append-only in the database itself.
    match backend {
        Backend::Sqlite => {
            let path = server.database_url.trim_start_matches("sqlite://").to_owned();
            let conn = rusqlite::Connection::open(path)?;
            assert!(conn.execute("UPDATE audit SET count = 0", []).is_err(), "UPDATE is refused");
            assert!(conn.execute("DELETE FROM audit", []).is_err(), "DELETE is refused");
            let rows: i64 = conn.query_row("SELECT COUNT(*) FROM audit", [], |row| row.get(0))?;
            assert_eq!(rows, 3);
        }
        Backend::Postgres => {
            let (client, connection) = tokio_postgres::connect(&server.database_url, tokio_postgres::NoTls).await?;
            let driver = tokio::spawn(connection);
            assert!(client.execute("UPDATE audit SET count = 0", &[]).await.is_err(), "UPDATE is refused");
            assert!(client.execute("DELETE FROM audit", &[]).await.is_err(), "DELETE is refused");
            assert!(client.execute("TRUNCATE audit", &[]).await.is_err(), "TRUNCATE is refused");
            let rows: i64 = client.query_one("SELECT COUNT(*) FROM audit", &[]).await?.try_get(0)?;
            assert_eq!(rows, 3);
            drop(client);
            let _ = driver.await;
        }
    }
    server.stop().await
}

/// An open events stream.
struct Stream(reqwest::Response);

impl Stream {
    async fn open(server: &Server, token: &str) -> Result<Stream, BoxError> {
        let response = server.http.get(server.url("/v1/sync/events")).bearer_auth(token).send().await?;
        if response.status() != StatusCode::OK {
            return Err(fail(format!("events: {}", response.status())));
        }
        let content_type = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
        if !content_type.starts_with("text/event-stream") {
            return Err(fail(format!("events content type {content_type}")));
        }
        Ok(Stream(response))
    }

    /// Everything that arrives within `wait`.
    async fn read_for(&mut self, wait: Duration) -> Result<String, BoxError> {
        let mut text = String::new();
        let deadline = tokio::time::Instant::now() + wait;
        while let Ok(chunk) = tokio::time::timeout_at(deadline, self.0.chunk()).await {
            match chunk? {
                Some(bytes) => text.push_str(&String::from_utf8_lossy(&bytes)),
                None => break,
            }
        }
        Ok(text)
    }
}

async fn events_wake_only_those_who_may_see(backend: Backend) -> TestResult {
    let config = alongside_server::ServerConfig { events_keep_alive: Duration::from_millis(200), ..Default::default() };
    let server = Server::start_with(backend, config).await?;
    let (rosa, _, rosa_token, will_token) = rosa_and_will(&server).await?;
    server.add_user("jo", Role::PeerWorker).await?;
    let jo_token = server.token("jo").await?;
    let (status, _) = alongside_harness::answer(server.http.get(server.url("/v1/sync/events")).send().await?).await?;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let mut will_stream = Stream::open(&server, &will_token).await?;
    let mut jo_stream = Stream::open(&server, &jo_token).await?;
    let mut rosa_stream = Stream::open(&server, &rosa_token).await?;
    let idle = will_stream.read_for(Duration::from_millis(700)).await?;
    assert!(idle.lines().any(|l| l.starts_with(':')) && !idle.contains("event:"), "comments keep it alive: {idle:?}");

    // A check-in Rosa does not share wakes only her own devices.
    assert_eq!(server.push_ok(&rosa_token, &[check_in(&rosa, &hlc(-100, 0, "r"))]).await?, ["applied"]);
    let text = will_stream.read_for(Duration::from_millis(500)).await?;
    assert!(!text.contains("event: changes"), "not shared, not announced: {text:?}");
    assert!(rosa_stream.read_for(Duration::from_millis(500)).await?.contains("event: changes\ndata: {}"));

    let message = change("messages", &new_id(), &rosa, &hlc(-90, 0, "r"), json!({"body": "Call me", "sent_at": "2026-11-23T08:00:00Z"}));
    assert_eq!(server.push_ok(&rosa_token, &[message]).await?, ["applied"]);
    let text = will_stream.read_for(Duration::from_millis(700)).await?;
    assert!(text.contains("event: changes\ndata: {}"), "{text:?}");
    assert!(!text.contains("Call me"), "no record data on the stream");
    let text = jo_stream.read_for(Duration::from_millis(300)).await?;
    assert!(!text.contains("event:"), "another caseload hears nothing: {text:?}");
    server.stop().await
}

async fn events_reach_streams_on_other_instances(backend: Backend) -> TestResult {
    // SQLite is one instance by nature; PostgreSQL shares with LISTEN/NOTIFY.
    if backend == Backend::Sqlite {
        return Ok(());
    }
    let config = alongside_server::ServerConfig { events_keep_alive: Duration::from_millis(200), ..Default::default() };
    let first = Server::start_with(backend, config.clone()).await?;
    let second = first.another_instance(config).await?;
    let (rosa, _, rosa_token, will_token) = rosa_and_will(&first).await?;
    let mut will_stream = Stream::open(&second, &will_token).await?;
    // Let the second instance's LISTEN connection settle.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let message = change("messages", &new_id(), &rosa, &hlc(-90, 0, "r"), json!({"body": "Call me", "sent_at": "2026-11-23T08:00:00Z"}));
    assert_eq!(first.push_ok(&rosa_token, &[message]).await?, ["applied"]);
    let text = will_stream.read_for(Duration::from_millis(1500)).await?;
    assert!(text.contains("event: changes"), "a push on one instance wakes a stream on another: {text:?}");
    // Still filtered by the policy on the receiving instance.
    assert_eq!(first.push_ok(&rosa_token, &[check_in(&rosa, &hlc(-80, 0, "r"))]).await?, ["applied"]);
    let text = will_stream.read_for(Duration::from_millis(700)).await?;
    assert!(!text.contains("event: changes"), "{text:?}");
    second.stop().await?;
    first.stop().await
}

async fn every_response_has_security_headers_and_no_cors(backend: Backend) -> TestResult {
    let server = Server::start(backend).await?;
    server.add_user("rosa", Role::Participant).await?;
    let token = server.token("rosa").await?;
    let requests = [
        server.http.get(server.url("/healthz")),
        server.http.get(server.url("/v1/nowhere")),
        server.http.get(server.url("/v1/sync/pull")).bearer_auth(&token).header("origin", "https://evil.example"),
        server.http.request(reqwest::Method::OPTIONS, server.url("/v1/sync/push")).header("origin", "https://evil.example"),
        server.http.post(server.url("/v1/auth/login")).header("content-type", "application/json").body("{"),
    ];
    for request in requests {
        let response = request.send().await?;
        let headers = response.headers();
        for (name, value) in [
            ("x-content-type-options", "nosniff"),
            ("x-frame-options", "DENY"),
            ("referrer-policy", "no-referrer"),
            ("cache-control", "no-store"),
            ("content-security-policy", "default-src 'none'; frame-ancestors 'none'"),
        ] {
            assert_eq!(headers.get(name).and_then(|v| v.to_str().ok()), Some(value), "{name} on {}", response.url());
        }
        assert!(!headers.keys().any(|k| k.as_str().starts_with("access-control-")), "no CORS: {headers:?}");
        assert!(!response.status().is_server_error());
    }
    // Header limits.
    let response = server.http.get(server.url("/healthz")).header("x-padding", "a".repeat(20_000)).send().await?;
    assert!(response.status().is_client_error(), "{}", response.status());
    server.stop().await
}

/// The account routes' matrix: every role × every kind of person, for
/// listing and signing out devices, reset codes and erasure. A refused cell
/// changes nothing: the person's device still works afterwards.
async fn who_may_manage_whose_account(backend: Backend) -> TestResult {
    let server = Server::start(backend).await?;
    let rosa = server.add_user("rosa", Role::Participant).await?;
    let ana = server.add_user("ana", Role::Participant).await?;
    let will = server.add_user("will", Role::PeerWorker).await?;
    let pat = server.add_user("pat", Role::PeerWorker).await?;
    let admin = server.add_user("admin", Role::Admin).await?;
    let boss = server.add_user("boss", Role::Admin).await?;
    server.assign(&will, &rosa).await?;
    let people = [
        ("rosa", &rosa, Role::Participant),
        ("ana", &ana, Role::Participant),
        ("will", &will, Role::PeerWorker),
        ("pat", &pat, Role::PeerWorker),
        ("admin", &admin, Role::Admin),
        ("boss", &boss, Role::Admin),
    ];
    let mut tokens = std::collections::BTreeMap::new();
    for (name, id, _) in &people {
        tokens.insert(*name, server.device_token(id, &format!("{name}'s phone")).await?.0);
    }
    let works = |token: String| {
        let server = &server;
        async move { server.get("/v1/me", Some(&token)).await.map(|(status, _)| status == StatusCode::OK) }
    };
    for (actor, _, actor_role) in &people {
        let token = &tokens[actor];
        for (target, target_id, target_role) in &people {
            let admin_over = *actor_role == Role::Admin;
            let cell = format!("{actor} → {target}");

            // Listing someone's devices: an admin, a peer worker's only.
            let (status, _) = server.get(&format!("/v1/devices?user_id={target_id}"), Some(token)).await?;
            let may_list = admin_over && *target_role == Role::PeerWorker;
            assert_eq!(status.as_u16(), if may_list { 200 } else { 403 }, "list devices {cell}");

            // Signing a device out: one's own, or an admin a peer worker's.
            let (device_token, device_id) = server.device_token(target_id, "spare phone").await?;
            let (status, body) = server.post("/v1/devices/revoke", Some(token), &json!({"device_id": device_id})).await?;
            let may_revoke = actor == target || may_list;
            assert_eq!(status.as_u16(), if may_revoke { 200 } else { 404 }, "revoke {cell}: {body}");
            assert_eq!(works(device_token).await?, !may_revoke, "revoke {cell} changed only what it said");

            // A reset code: an admin, for anyone but an admin.
            let (status, _) = server.post("/v1/admin/reset-codes", Some(token), &json!({"user_id": target_id})).await?;
            let may_reset = admin_over && *target_role != Role::Admin;
            assert_eq!(status.as_u16(), if may_reset { 201 } else { 403 }, "reset code {cell}");

            // Erasure by an admin: only of a participant (tried on everyone
            // but participants here; a participant's erasure is below).
            if *target_role != Role::Participant {
                let (status, _) = server.post("/v1/admin/erase", Some(token), &json!({"participant_id": target_id})).await?;
                assert_eq!(status.as_u16(), if admin_over { 422 } else { 403 }, "erase {cell}");
            }
        }
        // One's own erasure: participants only.
        if *actor_role != Role::Participant {
            let (status, _) = server.post("/v1/me/erase", Some(token), &json!({"password": alongside_harness::PASSWORD})).await?;
            assert_eq!(status.as_u16(), 403, "{actor} erasing themself");
        }
        // Erasing a participant: admins only.
        if *actor_role != Role::Admin {
            let (status, _) = server.post("/v1/admin/erase", Some(token), &json!({"participant_id": rosa})).await?;
            assert_eq!(status.as_u16(), 403, "{actor} erasing Rosa");
        }
    }
    // Nothing refused above changed anyone: every first phone still works.
    for (name, _, _) in &people {
        assert!(works(tokens[name].clone()).await?, "{name}'s phone still works");
    }
    // An admin erases a participant; the others are untouched.
    let (status, _) = server.post("/v1/admin/erase", Some(&tokens["admin"]), &json!({"participant_id": ana})).await?;
    assert_eq!(status.as_u16(), 200);
    assert_eq!(server.get("/v1/me", Some(&tokens["ana"])).await?.0.as_u16(), 401);
    for name in ["rosa", "will", "pat", "admin", "boss"] {
        assert!(works(tokens[name].clone()).await?, "{name} is untouched by Ana's erasure");
    }
    server.stop().await
}
