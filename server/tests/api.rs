//! The HTTP API end to end: a real server in-process over a real database,
//! every scenario run against SQLite and PostgreSQL alike.

use std::collections::HashSet;

use alongside_harness::wire::{change, check_in, goal, hlc, new_id};
use alongside_harness::{Backend, PASSWORD, Server, TestResult, code, fail, on_every_backend};
use alongside_server::store::{Role, Store as _};
use reqwest::StatusCode;
use serde_json::{Value, json};

on_every_backend!(
    healthz_answers,
    login_gives_a_device_token,
    wrong_password_and_unknown_user_look_the_same,
    repeated_failures_are_rate_limited,
    logout_revokes_the_token,
    requests_without_a_valid_token_are_401,
    push_answers_each_change_in_order,
    lww_keeps_the_later_value_of_each_field,
    a_fields_base_travels_with_the_value_that_won,
    a_record_keeps_its_participant,
    participants_reach_only_their_own_records,
    peer_workers_see_shared_categories_of_their_caseload,
    newly_visible_records_reach_devices_that_already_pulled,
    only_peer_workers_write_encounter_notes,
    admins_do_not_sync,
    clocks_far_ahead_are_rejected,
    invalid_fields_are_named,
    oversized_pushes_are_413,
    a_refused_body_closes_its_connection,
    a_client_that_writes_its_whole_body_first_reads_the_413,
    malformed_requests_are_400_json,
    unknown_routes_and_methods_are_json,
    pull_pages_deliver_each_change_once,
    forged_tampered_and_foreign_cursors_are_400,
    cli_adds_users_and_assigns_caseloads,
);

async fn healthz_answers(backend: Backend) -> TestResult {
    let server = Server::start(backend).await?;
    let response = server.http.get(server.url("/healthz")).send().await?;
    let (status, body) = alongside_harness::answer(response).await?;
    assert_eq!((status, body), (StatusCode::OK, json!({"status": "ok"})));
    server.stop().await
}

async fn login_gives_a_device_token(backend: Backend) -> TestResult {
    let server = Server::start(backend).await?;
    let id = server.add_user("rosa", Role::Participant).await?;
    let (status, body) = server.login("rosa", PASSWORD).await?;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["user"], json!({"id": id, "role": "participant", "display_name": "rosa name"}));
    let token = body["token"].as_str().ok_or_else(|| fail("no token"))?;
    assert_eq!(token.len(), 43);
    assert!(uuid::Uuid::parse_str(body["device_id"].as_str().unwrap_or("")).is_ok(), "{body}");
    let (status, _) = server.pull(token, None, None).await?;
    assert_eq!(status, StatusCode::OK);
    // A second login is a second device with its own token.
    let (_, second) = server.login("rosa", PASSWORD).await?;
    assert_ne!(second["device_id"], body["device_id"]);
    assert_ne!(second["token"], body["token"]);
    server.stop().await
}

async fn wrong_password_and_unknown_user_look_the_same(backend: Backend) -> TestResult {
    let server = Server::start(backend).await?;
    server.add_user("rosa", Role::Participant).await?;
    let (wrong_status, wrong) = server.login("rosa", "not the password").await?;
    let (unknown_status, unknown) = server.login("nobody", PASSWORD).await?;
    assert_eq!(wrong_status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown_status, StatusCode::UNAUTHORIZED);
    assert_eq!(code(&wrong), "unauthorized");
    assert_eq!(wrong, unknown);
    server.stop().await
}

async fn repeated_failures_are_rate_limited(backend: Backend) -> TestResult {
    let server = Server::start(backend).await?;
    server.add_user("rosa", Role::Participant).await?;
    server.add_user("ana", Role::Participant).await?;
    for _ in 0..5 {
        let (status, _) = server.login("rosa", "not the password").await?;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let response = server
        .http
        .post(server.url("/v1/auth/login"))
        .json(&json!({"username": "rosa", "password": PASSWORD, "device_name": "phone"}))
        .send()
        .await?;
    let retry_after = response.headers().get("retry-after").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let (status, body) = alongside_harness::answer(response).await?;
    assert_eq!((status, code(&body)), (StatusCode::TOO_MANY_REQUESTS, "rate_limited"), "even the right password waits");
    let seconds: u64 = retry_after.ok_or_else(|| fail("no Retry-After"))?.parse()?;
    assert!((1..=900).contains(&seconds), "Retry-After {seconds}");
    // The limit is per username.
    server.token("ana").await?;
    server.stop().await
}

async fn logout_revokes_the_token(backend: Backend) -> TestResult {
    let server = Server::start(backend).await?;
    server.add_user("rosa", Role::Participant).await?;
    let phone = server.token("rosa").await?;
    let tablet = server.token("rosa").await?;
    let response = server.http.post(server.url("/v1/auth/logout")).bearer_auth(&phone).send().await?;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let (status, body) = server.pull(&phone, None, None).await?;
    assert_eq!((status, code(&body)), (StatusCode::UNAUTHORIZED, "unauthorized"));
    let (status, _) = server.pull(&tablet, None, None).await?;
    assert_eq!(status, StatusCode::OK, "other devices keep working");
    server.stop().await
}

async fn requests_without_a_valid_token_are_401(backend: Backend) -> TestResult {
    let server = Server::start(backend).await?;
    let (status, body) = alongside_harness::answer(server.http.get(server.url("/v1/sync/pull")).send().await?).await?;
    assert_eq!((status, code(&body)), (StatusCode::UNAUTHORIZED, "unauthorized"));
    let (status, _) = server.pull("bm90IGEgdG9rZW4", None, None).await?;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = server.push("bm90IGEgdG9rZW4", &[]).await?;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let response = server.http.get(server.url("/v1/sync/pull")).header("authorization", "Basic cm9zYTpwdw==").send().await?;
    assert_eq!(alongside_harness::answer(response).await?.0, StatusCode::UNAUTHORIZED);
    server.stop().await
}

fn statuses(body: &Value) -> Vec<(String, String, String)> {
    body["results"]
        .as_array()
        .map(|results| {
            results
                .iter()
                .map(|r| {
                    let text = |v: &Value| v.as_str().unwrap_or("").to_owned();
                    (text(&r["change_id"]), text(&r["status"]), text(&r["error"]["code"]))
                })
                .collect()
        })
        .unwrap_or_default()
}

async fn push_answers_each_change_in_order(backend: Backend) -> TestResult {
    let server = Server::start(backend).await?;
    let rosa = server.add_user("rosa", Role::Participant).await?;
    let ana = server.add_user("ana", Role::Participant).await?;
    let token = server.token("rosa").await?;
    let first = goal(&rosa, &hlc(-1000, 0, "phone"), "Walk the kids to school");
    let batch = vec![
        first.clone(),
        change("gols", &new_id(), &rosa, &hlc(-1000, 1, "phone"), json!({"title": "x"})),
        goal(&ana, &hlc(-1000, 2, "phone"), "Not mine"),
        change(
            "goals",
            &new_id(),
            &rosa,
            &hlc(-1000, 3, "phone"),
            json!({"title": "x", "area": "health", "status": "active", "colour": "red"}),
        ),
        first.clone(),
        check_in(&rosa, &hlc(-1000, 4, "phone")),
    ];
    let (status, body) = server.push(&token, &batch).await?;
    assert_eq!(status, StatusCode::OK, "{body}");
    let got = statuses(&body);
    let ids: Vec<String> = batch.iter().map(|c| c["change_id"].as_str().unwrap_or("").to_owned()).collect();
    assert_eq!(got.iter().map(|r| r.0.clone()).collect::<Vec<_>>(), ids, "one result per change, in order");
    let kinds: Vec<(&str, &str)> = got.iter().map(|r| (r.1.as_str(), r.2.as_str())).collect();
    assert_eq!(
        kinds,
        vec![
            ("applied", ""),
            ("rejected", "unknown_collection"),
            ("rejected", "forbidden"),
            ("rejected", "unknown_field"),
            ("duplicate", ""),
            ("applied", ""),
        ]
    );
    assert!(body["results"][1]["error"]["message"].is_string());
    // `field` names the one field at fault, and is absent when none is.
    assert_eq!(body["results"][3]["error"]["field"], json!("colour"), "{body}");
    assert_eq!(body["results"][1]["error"].get("field"), None, "{body}");
    assert_eq!(body["results"][2]["error"].get("field"), None, "{body}");
    // Pushing the batch again changes nothing.
    let again = server.push_ok(&token, &batch).await?;
    assert_eq!(again, ["duplicate", "rejected", "rejected", "rejected", "duplicate", "duplicate"]);
    assert_eq!(server.pull_all(&token).await?.len(), 2);
    server.stop().await
}

async fn lww_keeps_the_later_value_of_each_field(backend: Backend) -> TestResult {
    let server = Server::start(backend).await?;
    let rosa = server.add_user("rosa", Role::Participant).await?;
    let token = server.token("rosa").await?;
    let record = new_id();
    let (early, late) = (hlc(-60_000, 0, "tablet"), hlc(-1_000, 0, "phone"));
    let created = change("goals", &record, &rosa, &late, json!({"title": "New title", "area": "health", "status": "active"}));
    // Made earlier, offline on another device: its title loses, its
    // description (a field nobody else set) is kept.
    let concurrent = change("goals", &record, &rosa, &early, json!({"title": "Old title", "description": "Written on the tablet"}));
    assert_eq!(server.push_ok(&token, &[created]).await?, ["applied"]);
    assert_eq!(server.push_ok(&token, &[concurrent]).await?, ["applied"]);
    let changes = server.pull_all(&token).await?;
    assert_eq!(changes.len(), 2, "two HLCs won fields, so two compacted changes: {changes:?}");
    let by_hlc = |h: &str| changes.iter().find(|c| c["hlc"] == json!(h)).cloned().unwrap_or(Value::Null);
    assert_eq!(by_hlc(&late)["fields"], json!({"title": "New title", "area": "health", "status": "active"}));
    assert_eq!(by_hlc(&early)["fields"], json!({"description": "Written on the tablet"}));
    for change in &changes {
        assert_eq!(change["author_id"], json!(rosa));
        assert_eq!(change["record_id"], json!(record));
    }
    // A later change wins again.
    let later = change("goals", &record, &rosa, &hlc(0, 0, "tablet"), json!({"status": "achieved"}));
    assert_eq!(server.push_ok(&token, &[later]).await?, ["applied"]);
    let changes = server.pull_all(&token).await?;
    assert_eq!(changes.len(), 3);
    assert!(changes.iter().any(|c| c["fields"] == json!({"status": "achieved"})));
    server.stop().await
}

/// protocol/README.md, "Concurrent edits": a change says which value its
/// writer saw; the server keeps that beside the winning value and sends it
/// with it, and refuses a `base` that is not one.
async fn a_fields_base_travels_with_the_value_that_won(backend: Backend) -> TestResult {
    let server = Server::start(backend).await?;
    let rosa = server.add_user("rosa", Role::Participant).await?;
    let token = server.token("rosa").await?;
    let (first, phone, tablet) = (hlc(-60_000, 0, "phone"), hlc(-2_000, 0, "phone"), hlc(-1_000, 0, "tablet"));
    let plan = |hlc: &str, fields: Value, base: Value| {
        let mut change = change("safety_plan", &rosa, &rosa, hlc, fields);
        change["base"] = base;
        change
    };
    let whole = json!({"warning_signs": ["no sleep"], "distractions": ["walks"], "environment_steps": [], "reasons_for_living": [],
        "strategy_ids": [], "help_contact_ids": [], "professional_contact_ids": []});
    let created = plan(&first, whole.clone(), json!({"warning_signs": null}));
    // Both edit warning_signs having seen the first value; the tablet's wins.
    let on_phone = plan(&phone, json!({"warning_signs": ["no sleep", "skipping meals"]}), json!({"warning_signs": first}));
    let on_tablet = plan(&tablet, json!({"warning_signs": ["no sleep", "isolating"]}), json!({"warning_signs": first}));
    assert_eq!(server.push_ok(&token, &[created, on_tablet, on_phone]).await?, ["applied", "applied", "applied"]);
    let changes = server.pull_all(&token).await?;
    let by_hlc = |h: &str| changes.iter().find(|c| c["hlc"] == json!(h)).cloned().unwrap_or(Value::Null);
    assert_eq!(by_hlc(&tablet)["fields"], json!({"warning_signs": ["no sleep", "isolating"]}));
    assert_eq!(by_hlc(&tablet)["base"], json!(first), "the winner's base (one HLC for all), for the phone to see it missed its own edit");
    // The other fields won in a change that said nothing of their base.
    let mut rest = whole;
    rest.as_object_mut().map(|fields| fields.remove("warning_signs"));
    assert_eq!(by_hlc(&first)["fields"], rest);
    assert!(by_hlc(&first).get("base").is_none(), "{changes:?}");
    // A change with no base at all replaces the field's base with none.
    let third_party = change("safety_plan", &rosa, &rosa, &hlc(0, 0, "web"), json!({"warning_signs": ["isolating"]}));
    assert_eq!(server.push_ok(&token, &[third_party]).await?, ["applied"]);
    let changes = server.pull_all(&token).await?;
    assert!(changes.iter().all(|c| c.get("base").is_none()), "{changes:?}");

    let bad = [json!({"title": "not an hlc"}), json!({"warning_signs": 7}), json!({"distractions": null}), json!("not an hlc")];
    for base in bad {
        let (_, body) = server.push(&token, &[plan(&hlc(1, 0, "web"), json!({"warning_signs": ["a"]}), base.clone())]).await?;
        let result = &body["results"][0];
        assert_eq!(result["error"]["code"], json!("validation_failed"), "{base}: {result}");
        assert_eq!(result["error"]["field"], json!("base"), "{base}: {result}");
    }
    server.stop().await
}

async fn a_record_keeps_its_participant(backend: Backend) -> TestResult {
    let server = Server::start(backend).await?;
    let rosa = server.add_user("rosa", Role::Participant).await?;
    let ana = server.add_user("ana", Role::Participant).await?;
    let (rosa_token, ana_token) = (server.token("rosa").await?, server.token("ana").await?);
    let record = new_id();
    let created = change("goals", &record, &rosa, &hlc(-1000, 0, "r"), json!({"title": "Mine", "area": "health", "status": "active"}));
    assert_eq!(server.push_ok(&rosa_token, &[created]).await?, ["applied"]);
    let taken = change("goals", &record, &ana, &hlc(0, 0, "a"), json!({"title": "Taken", "area": "health", "status": "active"}));
    let (_, body) = server.push(&ana_token, &[taken]).await?;
    assert_eq!(statuses(&body)[0].2, "participant_mismatch", "{body}");
    assert!(server.pull_all(&ana_token).await?.is_empty());
    let rosa_sees = server.pull_all(&rosa_token).await?;
    assert_eq!(rosa_sees[0]["fields"]["title"], json!("Mine"));
    server.stop().await
}

async fn participants_reach_only_their_own_records(backend: Backend) -> TestResult {
    let server = Server::start(backend).await?;
    let rosa = server.add_user("rosa", Role::Participant).await?;
    let ana = server.add_user("ana", Role::Participant).await?;
    let (rosa_token, ana_token) = (server.token("rosa").await?, server.token("ana").await?);
    assert_eq!(server.push_ok(&ana_token, &[goal(&ana, &hlc(-10, 0, "a"), "Ana's goal")]).await?, ["applied"]);
    let (_, body) = server.push(&rosa_token, &[goal(&ana, &hlc(-5, 0, "r"), "Written for Ana"), check_in(&ana, &hlc(-5, 1, "r"))]).await?;
    let codes: Vec<String> = statuses(&body).into_iter().map(|r| r.2).collect();
    assert_eq!(codes, ["forbidden", "forbidden"]);
    assert_eq!(server.push_ok(&rosa_token, &[goal(&rosa, &hlc(-4, 0, "r"), "Rosa's goal")]).await?, ["applied"]);
    let rosa_sees = server.pull_all(&rosa_token).await?;
    assert_eq!(rosa_sees.len(), 1);
    assert_eq!(rosa_sees[0]["participant_id"], json!(rosa));
    assert_eq!(server.pull_all(&ana_token).await?.len(), 1);
    server.stop().await
}

fn collections(changes: &[Value]) -> HashSet<String> {
    changes.iter().filter_map(|c| c["collection"].as_str().map(str::to_owned)).collect()
}

fn set(names: &[&str]) -> HashSet<String> {
    names.iter().map(|n| (*n).to_owned()).collect()
}

async fn peer_workers_see_shared_categories_of_their_caseload(backend: Backend) -> TestResult {
    let server = Server::start(backend).await?;
    let rosa = server.add_user("rosa", Role::Participant).await?;
    let ana = server.add_user("ana", Role::Participant).await?;
    let will = server.add_user("will", Role::PeerWorker).await?;
    server.add_user("other", Role::PeerWorker).await?;
    server.assign(&will, &rosa).await?;
    let (rosa_token, ana_token) = (server.token("rosa").await?, server.token("ana").await?);
    let (will_token, other_token) = (server.token("will").await?, server.token("other").await?);
    let profile = change("profile", &rosa, &rosa, &hlc(-100, 0, "r"), json!({"display_name": "Rosa", "timezone": "America/Chicago"}));
    let message =
        change("messages", &new_id(), &rosa, &hlc(-100, 1, "r"), json!({"body": "Can we talk?", "sent_at": "2026-11-23T08:15:00Z"}));
    let batch = [profile, message, goal(&rosa, &hlc(-100, 2, "r"), "Walk"), check_in(&rosa, &hlc(-100, 3, "r"))];
    assert_eq!(server.push_ok(&rosa_token, &batch).await?, ["applied"; 4]);
    assert_eq!(server.push_ok(&ana_token, &[goal(&ana, &hlc(-100, 0, "a"), "Ana's")]).await?, ["applied"]);

    assert_eq!(collections(&server.pull_all(&will_token).await?), set(&["profile", "messages"]), "nothing shared yet");
    assert!(server.pull_all(&other_token).await?.is_empty(), "not on their caseload");

    // Rosa shares goals: the peer worker now sees them, check-ins still not.
    let sharing = change("sharing", &rosa, &rosa, &hlc(-50, 0, "r"), json!({"goals": true, "signed_at": "2026-11-23T08:15:00Z"}));
    assert_eq!(server.push_ok(&rosa_token, &[sharing]).await?, ["applied"]);
    let seen = server.pull_all(&will_token).await?;
    assert_eq!(collections(&seen), set(&["profile", "messages", "sharing", "goals"]));
    assert!(seen.iter().all(|c| c["participant_id"] == json!(rosa) && c["author_id"] == json!(rosa)));

    // The peer worker writes shared and always-visible collections of their
    // participants, and nothing else.
    let (_, body) = server
        .push(
            &will_token,
            &[
                goal(&rosa, &hlc(-40, 0, "w"), "Housing application"),
                change("messages", &new_id(), &rosa, &hlc(-40, 1, "w"), json!({"body": "Yes, at 3?", "sent_at": "2026-11-23T09:00:00Z"})),
                check_in(&rosa, &hlc(-40, 2, "w")),
                goal(&ana, &hlc(-40, 3, "w"), "Not on my caseload"),
                change("contacts", &new_id(), &rosa, &hlc(-40, 4, "w"), json!({"name": "Sponsor", "role": "sponsor"})),
                change("sharing", &rosa, &rosa, &hlc(-40, 5, "w"), json!({"check_ins": true})),
            ],
        )
        .await?;
    let got: Vec<(String, String)> = statuses(&body).into_iter().map(|r| (r.1, r.2)).collect();
    let expected = [
        ("applied", ""),
        ("applied", ""),
        ("rejected", "forbidden"),
        ("rejected", "forbidden"),
        ("rejected", "forbidden"),
        ("rejected", "forbidden"),
    ];
    assert_eq!(got, expected.map(|(s, c)| (s.to_owned(), c.to_owned())), "{body}");
    let rosa_sees = server.pull_all(&rosa_token).await?;
    assert!(rosa_sees.iter().any(|c| c["author_id"] == json!(will) && c["collection"] == json!("goals")), "the peer's goal reaches Rosa");

    // Sharing that expired shares nothing.
    let expired = change("sharing", &rosa, &rosa, &hlc(-30, 0, "r"), json!({"expires_on": "2020-01-01"}));
    assert_eq!(server.push_ok(&rosa_token, &[expired]).await?, ["applied"]);
    assert_eq!(collections(&server.pull_all(&will_token).await?), set(&["profile", "messages", "sharing"]));
    server.stop().await
}

/// Pulls every page after `cursor`; returns the changes and the last cursor.
async fn pull_from(server: &Server, token: &str, cursor: &str) -> Result<(Vec<Value>, String), alongside_harness::BoxError> {
    let (mut changes, mut cursor) = (Vec::new(), cursor.to_owned());
    loop {
        let (status, page) = server.pull(token, Some(&cursor), Some(2)).await?;
        assert_eq!(status, StatusCode::OK, "{page}");
        changes.extend(page["changes"].as_array().cloned().unwrap_or_default());
        cursor = page["cursor"].as_str().unwrap_or("").to_owned();
        if page["has_more"] != json!(true) {
            return Ok((changes, cursor));
        }
    }
}

async fn newly_visible_records_reach_devices_that_already_pulled(backend: Backend) -> TestResult {
    let server = Server::start(backend).await?;
    let rosa = server.add_user("rosa", Role::Participant).await?;
    let ana = server.add_user("ana", Role::Participant).await?;
    let will = server.add_user("will", Role::PeerWorker).await?;
    server.assign(&will, &rosa).await?;
    let (rosa_token, ana_token, will_token) = (server.token("rosa").await?, server.token("ana").await?, server.token("will").await?);
    let message = |participant: &str, hlc: &str| {
        change("messages", &new_id(), participant, hlc, json!({"body": "Hello", "sent_at": "2026-11-23T08:15:00Z"}))
    };
    let rosa_goal = goal(&rosa, &hlc(-100, 0, "r"), "Walk");
    assert_eq!(server.push_ok(&rosa_token, &[rosa_goal.clone(), check_in(&rosa, &hlc(-100, 1, "r"))]).await?, ["applied"; 2]);
    assert_eq!(
        server.push_ok(&ana_token, &[message(&ana, &hlc(-100, 0, "a")), goal(&ana, &hlc(-100, 1, "a"), "Ana's")]).await?,
        ["applied"; 2]
    );
    assert_eq!(server.push_ok(&rosa_token, &[message(&rosa, &hlc(-90, 0, "r"))]).await?, ["applied"]);
    let (status, page) = server.pull(&will_token, None, None).await?;
    assert_eq!((status, page["has_more"].clone()), (StatusCode::OK, json!(false)));
    assert_eq!(collections(page["changes"].as_array().map_or(&[][..], Vec::as_slice)), set(&["messages"]));
    let cursor = page["cursor"].as_str().unwrap_or("").to_owned();

    // Rosa shares goals: the goal she made before reaches the peer worker's
    // device, whose cursor is already past it.
    let sharing = change("sharing", &rosa, &rosa, &hlc(-80, 0, "r"), json!({"goals": true}));
    assert_eq!(server.push_ok(&rosa_token, &[sharing]).await?, ["applied"]);
    let (changes, cursor) = pull_from(&server, &will_token, &cursor).await?;
    assert_eq!(collections(&changes), set(&["sharing", "goals"]), "{changes:?}");
    assert!(changes.iter().any(|c| c["record_id"] == rosa_goal["record_id"]));

    // Ana joins the caseload: her always-visible records arrive too.
    server.assign(&will, &ana).await?;
    let (changes, _) = pull_from(&server, &will_token, &cursor).await?;
    assert_eq!(collections(&changes), set(&["messages"]), "{changes:?}");
    assert!(changes.iter().all(|c| c["participant_id"] == json!(ana)));
    server.stop().await
}

fn encounter_note(participant_id: &str, hlc: &str) -> Value {
    change(
        "encounter_notes",
        &new_id(),
        participant_id,
        hlc,
        json!({"status": "draft", "occurred_on": "2026-11-20", "duration_minutes": 45, "mode": "in_person",
               "location": "shelter", "service_types": ["recovery_coaching"], "goal_ids": [], "summary": "Met at the shelter."}),
    )
}

async fn only_peer_workers_write_encounter_notes(backend: Backend) -> TestResult {
    let server = Server::start(backend).await?;
    let rosa = server.add_user("rosa", Role::Participant).await?;
    let will = server.add_user("will", Role::PeerWorker).await?;
    server.assign(&will, &rosa).await?;
    let (rosa_token, will_token) = (server.token("rosa").await?, server.token("will").await?);
    let (_, body) = server.push(&rosa_token, &[encounter_note(&rosa, &hlc(-10, 0, "r"))]).await?;
    assert_eq!(statuses(&body)[0].2, "forbidden");
    assert_eq!(server.push_ok(&will_token, &[encounter_note(&rosa, &hlc(-10, 0, "w"))]).await?, ["applied"]);
    let rosa_sees = server.pull_all(&rosa_token).await?;
    assert_eq!(rosa_sees.len(), 1);
    assert_eq!(rosa_sees[0]["author_id"], json!(will));
    server.stop().await
}

async fn admins_do_not_sync(backend: Backend) -> TestResult {
    let server = Server::start(backend).await?;
    let rosa = server.add_user("rosa", Role::Participant).await?;
    let admin = server.add_user("root", Role::Admin).await?;
    let (rosa_token, admin_token) = (server.token("rosa").await?, server.token("root").await?);
    assert_eq!(server.push_ok(&rosa_token, &[goal(&rosa, &hlc(-10, 0, "r"), "Walk")]).await?, ["applied"]);
    let (_, body) = server.push(&admin_token, &[goal(&rosa, &hlc(-5, 0, "x"), "Admin's"), goal(&admin, &hlc(-5, 1, "x"), "Own")]).await?;
    let codes: Vec<String> = statuses(&body).into_iter().map(|r| r.2).collect();
    assert_eq!(codes, ["forbidden", "forbidden"]);
    let (status, page) = server.pull(&admin_token, None, None).await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page["changes"], json!([]));
    assert_eq!(page["has_more"], json!(false));
    server.stop().await
}

async fn clocks_far_ahead_are_rejected(backend: Backend) -> TestResult {
    let server = Server::start(backend).await?;
    let rosa = server.add_user("rosa", Role::Participant).await?;
    let token = server.token("rosa").await?;
    let hour = 60 * 60 * 1000;
    let (_, body) = server
        .push(&token, &[goal(&rosa, &hlc(25 * hour, 0, "r"), "From the future"), goal(&rosa, &hlc(23 * hour, 0, "r"), "Soon")])
        .await?;
    assert_eq!(body["results"][0]["error"]["code"], json!("validation_failed"), "{body}");
    assert_eq!(body["results"][0]["error"]["field"], json!("hlc"), "{body}");
    assert!(body["results"][0]["error"]["message"].as_str().unwrap_or("").contains("hlc"), "{body}");
    assert_eq!(body["results"][1]["status"], json!("applied"));
    let (_, body) = server.push(&token, &[goal(&rosa, "yesterday", "Bad clock")]).await?;
    assert_eq!(body["results"][0]["error"]["code"], json!("validation_failed"));
    assert!(body["results"][0]["error"]["message"].as_str().unwrap_or("").contains("hlc"));
    server.stop().await
}

async fn invalid_fields_are_named(backend: Backend) -> TestResult {
    let server = Server::start(backend).await?;
    let rosa = server.add_user("rosa", Role::Participant).await?;
    let token = server.token("rosa").await?;
    let record = new_id();
    let too_long =
        change("goals", &new_id(), &rosa, &hlc(-10, 0, "r"), json!({"title": "x".repeat(201), "area": "health", "status": "active"}));
    let missing = change("goals", &record, &rosa, &hlc(-10, 1, "r"), json!({"title": "No area", "status": "active"}));
    let mood = change("check_ins", &new_id(), &rosa, &hlc(-10, 2, "r"), json!({"at": "2026-11-23T08:15:00Z", "mood": 9}));
    let (_, body) = server.push(&token, &[too_long, missing, mood]).await?;
    for (index, field) in ["title", "area", "mood"].iter().enumerate() {
        let result = &body["results"][index];
        assert_eq!(result["error"]["code"], json!("validation_failed"), "{result}");
        assert_eq!(result["error"]["field"], json!(field), "{result}");
        assert!(result["error"]["message"].as_str().unwrap_or("").contains(field), "{result} names {field}");
    }
    // Required fields are required only when the record is created.
    let created = change("goals", &record, &rosa, &hlc(-9, 0, "r"), json!({"title": "Walk", "area": "health", "status": "active"}));
    let updated = change("goals", &record, &rosa, &hlc(-8, 0, "r"), json!({"status": "paused"}));
    assert_eq!(server.push_ok(&token, &[created, updated]).await?, ["applied", "applied"]);
    server.stop().await
}

async fn oversized_pushes_are_413(backend: Backend) -> TestResult {
    let server = Server::start(backend).await?;
    let rosa = server.add_user("rosa", Role::Participant).await?;
    let token = server.token("rosa").await?;
    let many: Vec<Value> = (0..1001).map(|i| check_in(&rosa, &hlc(-10_000 + i, 0, "r"))).collect();
    let (status, body) = server.push(&token, &many).await?;
    assert_eq!((status, code(&body)), (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"));
    let (status, _) = server.push(&token, &many[..1000]).await?;
    assert_eq!(status, StatusCode::OK, "1000 is allowed");
    let note = "n".repeat(2000);
    let big: Vec<Value> = (0..1100)
        .map(|i| {
            change("check_ins", &new_id(), &rosa, &hlc(-5_000 + i, 0, "r"), json!({"at": "2026-11-23T08:15:00Z", "mood": 3, "note": note}))
        })
        .collect();
    let (status, body) = server.push(&token, &big).await?;
    assert_eq!((status, code(&body)), (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"));
    server.stop().await
}

/// A body refused for its size is never read, so the server closes that
/// connection, and says so: a client that reused it would lose its next request.
/// Most clients write their whole body before reading the answer; refused
/// early and closed, they would see a broken pipe or a reset, not the 413.
async fn a_client_that_writes_its_whole_body_first_reads_the_413(backend: Backend) -> TestResult {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let server = Server::start(backend).await?;
    server.add_user("rosa", Role::Participant).await?;
    let token = server.token("rosa").await?;
    // Over the push limit (2 MiB), declared or not.
    let body = format!("{{\"changes\": [], \"padding\": \"{}\"}}", "x".repeat(3 * 1024 * 1024));
    for attempt in 0..50 {
        let declared = attempt % 2 == 0;
        let mut stream = tokio::net::TcpStream::connect(server.addr).await?;
        let mut request = format!(
            "POST /v1/sync/push HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\n",
            server.addr
        );
        if declared {
            request.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
            stream.write_all(request.as_bytes()).await?;
            stream.write_all(body.as_bytes()).await.map_err(|e| fail(format!("attempt {attempt}: writing the body: {e}")))?;
        } else {
            request.push_str("Transfer-Encoding: chunked\r\n\r\n");
            stream.write_all(request.as_bytes()).await?;
            for piece in body.as_bytes().chunks(64 * 1024) {
                stream.write_all(format!("{:x}\r\n", piece.len()).as_bytes()).await?;
                stream.write_all(piece).await.map_err(|e| fail(format!("attempt {attempt}: writing a chunk: {e}")))?;
                stream.write_all(b"\r\n").await?;
            }
            stream.write_all(b"0\r\n\r\n").await?;
        }
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).await.map_err(|e| fail(format!("attempt {attempt}: reading the answer: {e}")))?;
        let answer = String::from_utf8_lossy(&answer);
        assert!(answer.starts_with("HTTP/1.1 413"), "attempt {attempt} (declared: {declared}): {answer}");
        assert!(answer.contains("payload_too_large"), "attempt {attempt}: {answer}");
    }
    server.stop().await
}

async fn a_refused_body_closes_its_connection(backend: Backend) -> TestResult {
    let server = Server::start(backend).await?;
    server.add_user("rosa", Role::Participant).await?;
    let huge = json!({"username": "x".repeat(100_000), "password": "x", "device_name": "x"});
    for _ in 0..20 {
        let response = server.http.post(server.url("/v1/auth/login")).json(&huge).send().await?;
        assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
        let connection = response.headers().get("connection").and_then(|v| v.to_str().ok()).unwrap_or("");
        assert_eq!(connection, "close");
        // The same client goes straight on.
        let (status, _) = server.login("rosa", PASSWORD).await?;
        assert_eq!(status, StatusCode::OK);
    }
    server.stop().await
}

async fn malformed_requests_are_400_json(backend: Backend) -> TestResult {
    let server = Server::start(backend).await?;
    server.add_user("rosa", Role::Participant).await?;
    let token = server.token("rosa").await?;
    let push = |body: &'static str, content_type: Option<&'static str>| {
        let mut request = server.http.post(server.url("/v1/sync/push")).bearer_auth(&token).body(body);
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        request.send()
    };
    let json_type = Some("application/json");
    let cases = [
        ("not json", push("{\"changes\": [", json_type).await?),
        ("wrong type", push("{\"changes\": \"all of them\"}", json_type).await?),
        ("missing changes", push("{}", json_type).await?),
        ("change missing hlc", push(r#"{"changes": [{"change_id": "x", "collection": "goals", "record_id": "x", "participant_id": "x", "fields": {}}]}"#, json_type).await?),
        ("fields not an object", push(r#"{"changes": [{"change_id": "x", "collection": "goals", "record_id": "x", "participant_id": "x", "hlc": "x", "fields": 3}]}"#, json_type).await?),
        ("no content type", push("{\"changes\": []}", None).await?),
        ("text content type", push("{\"changes\": []}", Some("text/plain")).await?),
    ];
    for (what, response) in cases {
        let (status, body) = alongside_harness::answer(response).await?;
        assert_eq!((status, code(&body)), (StatusCode::BAD_REQUEST, "invalid_request"), "{what}: {body}");
    }
    let (status, body) = server.post("/v1/auth/login", None, &json!({"username": "rosa"})).await?;
    assert_eq!((status, code(&body)), (StatusCode::BAD_REQUEST, "invalid_request"), "login without password");
    let (status, body) = server.post("/v1/auth/login", None, &json!({"username": "rosa", "password": 5, "device_name": "x"})).await?;
    assert_eq!((status, code(&body)), (StatusCode::BAD_REQUEST, "invalid_request"), "password of the wrong type");
    let response = server
        .http
        .post(server.url("/v1/auth/login"))
        .body(format!(r#"{{"username":"rosa","password":"{PASSWORD}","device_name":"x"}}"#))
        .send()
        .await?;
    assert_eq!(alongside_harness::answer(response).await?.0, StatusCode::BAD_REQUEST, "login without content type");
    // An empty batch is fine, with a charset too.
    let (status, body) = alongside_harness::answer(push("{\"changes\": []}", Some("application/json; charset=utf-8")).await?).await?;
    assert_eq!((status, body), (StatusCode::OK, json!({"results": []})));
    server.stop().await
}

async fn unknown_routes_and_methods_are_json(backend: Backend) -> TestResult {
    let server = Server::start(backend).await?;
    let (status, body) = alongside_harness::answer(server.http.get(server.url("/v1/nothing")).send().await?).await?;
    assert_eq!((status, code(&body)), (StatusCode::NOT_FOUND, "not_found"));
    let (status, body) = alongside_harness::answer(server.http.get(server.url("/v1/sync/push")).send().await?).await?;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{body}");
    let (status, _) = alongside_harness::answer(server.http.delete(server.url("/v1/auth/login")).send().await?).await?;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    server.stop().await
}

async fn pull_pages_deliver_each_change_once(backend: Backend) -> TestResult {
    let server = Server::start(backend).await?;
    let rosa = server.add_user("rosa", Role::Participant).await?;
    let token = server.token("rosa").await?;
    // Five goals; two of them later get a field at another HLC, so they
    // compact to two changes each: 7 changes in all.
    let goals: Vec<Value> = (0..5).map(|i| goal(&rosa, &hlc(-100_000 + i, 0, "r"), &format!("Goal {i}"))).collect();
    assert_eq!(server.push_ok(&token, &goals).await?, ["applied"; 5]);
    let edits: Vec<Value> = [1, 3]
        .iter()
        .map(|&i| change("goals", goals[i]["record_id"].as_str().unwrap_or(""), &rosa, &hlc(-50_000, 0, "r"), json!({"status": "paused"})))
        .collect();
    assert_eq!(server.push_ok(&token, &edits).await?, ["applied"; 2]);

    for limit in [1, 2, 3] {
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        let mut pages = 0;
        loop {
            let (status, page) = server.pull(&token, cursor.as_deref(), Some(limit)).await?;
            assert_eq!(status, StatusCode::OK, "{page}");
            let changes = page["changes"].as_array().cloned().unwrap_or_default();
            assert!(changes.len() <= limit, "limit {limit}: page of {}", changes.len());
            assert_eq!(page["purge"], json!([]));
            seen.extend(changes.iter().map(|c| c["change_id"].as_str().unwrap_or("").to_owned()));
            cursor = page["cursor"].as_str().map(str::to_owned);
            pages += 1;
            if page["has_more"] == json!(false) {
                break;
            }
            assert_eq!(changes.len(), limit, "a page before the last is full");
            assert!(pages < 20, "pull never ended");
        }
        let unique: HashSet<&String> = seen.iter().collect();
        assert_eq!((seen.len(), unique.len()), (7, 7), "limit {limit}: every change exactly once");
        // The last cursor has nothing more, and says so.
        let (_, page) = server.pull(&token, cursor.as_deref(), Some(limit)).await?;
        assert_eq!((page["changes"].clone(), page["has_more"].clone()), (json!([]), json!(false)));
    }

    // A change after the last page arrives on the next pull, alone.
    let (_, page) = server.pull(&token, None, Some(1000)).await?;
    let cursor = page["cursor"].as_str().unwrap_or("").to_owned();
    let edit = change("goals", goals[0]["record_id"].as_str().unwrap_or(""), &rosa, &hlc(-1, 0, "r"), json!({"title": "Renamed"}));
    assert_eq!(server.push_ok(&token, &[edit]).await?, ["applied"]);
    let (_, page) = server.pull(&token, Some(&cursor), None).await?;
    let changes = page["changes"].as_array().cloned().unwrap_or_default();
    assert!(changes.iter().any(|c| c["fields"] == json!({"title": "Renamed"})), "{page}");
    assert!(changes.iter().all(|c| c["record_id"] == goals[0]["record_id"]), "only the modified record: {page}");
    server.stop().await
}

async fn forged_tampered_and_foreign_cursors_are_400(backend: Backend) -> TestResult {
    let server = Server::start(backend).await?;
    let rosa = server.add_user("rosa", Role::Participant).await?;
    server.add_user("ana", Role::Participant).await?;
    let (rosa_token, ana_token) = (server.token("rosa").await?, server.token("ana").await?);
    assert_eq!(server.push_ok(&rosa_token, &[goal(&rosa, &hlc(-10, 0, "r"), "Walk")]).await?, ["applied"]);
    let (_, page) = server.pull(&rosa_token, None, None).await?;
    let cursor = page["cursor"].as_str().ok_or_else(|| fail("no cursor"))?.to_owned();
    let (status, _) = server.pull(&rosa_token, Some(&cursor), None).await?;
    assert_eq!(status, StatusCode::OK);

    let mut tampered = cursor.clone().into_bytes();
    tampered[5] = if tampered[5] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered)?;
    for (what, token, bad) in [
        ("forged", &rosa_token, "AQAAAAAAAAAAAAAAAA"),
        ("garbage", &rosa_token, "not a cursor!"),
        ("empty", &rosa_token, ""),
        ("tampered", &rosa_token, tampered.as_str()),
        ("another user's", &ana_token, cursor.as_str()),
    ] {
        let (status, body) = server.pull(token, Some(bad), None).await?;
        assert_eq!((status, code(&body)), (StatusCode::BAD_REQUEST, "invalid_request"), "{what} cursor: {body}");
    }
    for limit in ["0", "1001", "-1", "many"] {
        let response = server.http.get(server.url("/v1/sync/pull")).query(&[("limit", limit)]).bearer_auth(&rosa_token).send().await?;
        let (status, body) = alongside_harness::answer(response).await?;
        assert_eq!((status, code(&body)), (StatusCode::BAD_REQUEST, "invalid_request"), "limit {limit}");
    }
    server.stop().await
}

/// Runs the built binary with `args` and `stdin`; returns (success, stdout, stderr).
async fn run_cli(args: &[&str], stdin: &str) -> Result<(bool, String, String), alongside_harness::BoxError> {
    use tokio::io::AsyncWriteExt;
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_alongside-server"))
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()?;
    if let Some(mut input) = child.stdin.take() {
        input.write_all(stdin.as_bytes()).await?;
    }
    let output = child.wait_with_output().await?;
    Ok((output.status.success(), String::from_utf8(output.stdout)?, String::from_utf8(output.stderr)?))
}

async fn cli_adds_users_and_assigns_caseloads(backend: Backend) -> TestResult {
    let server = Server::start(backend).await?;
    let url = server.database_url.clone();
    let add = |username: &'static str, role: &'static str, password: &'static str| {
        let url = url.clone();
        async move {
            run_cli(&["user", "add", "--database", &url, "--username", username, "--role", role, "--display-name", "Shown Name"], password)
                .await
        }
    };
    let (ok, stdout, stderr) = add("marisol", "participant", "a long password\nsecond line ignored\n").await?;
    assert!(ok, "user add failed: {stderr}");
    let participant_id = stdout.trim().to_owned();
    assert!(uuid::Uuid::parse_str(&participant_id).is_ok() && participant_id == participant_id.to_lowercase(), "{stdout:?}");
    let (ok, stdout, stderr) = add("dana", "peer_worker", "another long password\n").await?;
    assert!(ok, "{stderr}");
    let peer_worker_id = stdout.trim().to_owned();

    // The server sees the new user at once, with the password from stdin.
    let (status, body) = server.login("marisol", "a long password").await?;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["user"], json!({"id": participant_id, "role": "participant", "display_name": "Shown Name"}));

    let (ok, _, stderr) = add("marisol", "participant", "a long password\n").await?;
    assert!(!ok && stderr.contains("taken"), "a taken username fails: {stderr}");
    let (ok, _, stderr) = add("x", "boss", "a long password\n").await?;
    assert!(!ok && stderr.contains("role"), "{stderr}");
    let (ok, _, stderr) = add("y", "admin", "").await?;
    assert!(!ok && stderr.contains("standard input"), "{stderr}");

    let caseload = |action: &'static str, peer: &'static str, participant: &'static str| {
        let url = url.clone();
        async move { run_cli(&["caseload", action, "--database", &url, "--peer-worker", peer, "--participant", participant], "").await }
    };
    let (ok, _, stderr) = caseload("assign", "dana", "marisol").await?;
    assert!(ok, "{stderr}");
    assert_eq!(server.db.caseload(&peer_worker_id).await?, vec![participant_id.clone()]);
    let (ok, _, stderr) = caseload("assign", "marisol", "dana").await?;
    assert!(!ok && stderr.contains("not a peer_worker"), "roles are checked: {stderr}");
    let (ok, _, stderr) = caseload("assign", "dana", "nobody").await?;
    assert!(!ok && stderr.contains("nobody"), "{stderr}");
    let (ok, _, stderr) = caseload("unassign", "dana", "marisol").await?;
    assert!(ok, "{stderr}");
    assert!(server.db.caseload(&peer_worker_id).await?.is_empty());

    // Dana leaves the program: her account is closed; a participant's is not closed this way.
    let close = |username: &'static str| {
        let url = url.clone();
        async move { run_cli(&["user", "close", "--database", &url, "--username", username], "").await }
    };
    let (ok, _, stderr) = caseload("assign", "dana", "marisol").await?;
    assert!(ok, "{stderr}");
    let (ok, _, stderr) = close("marisol").await?;
    assert!(!ok && stderr.contains("erased, not closed"), "{stderr}");
    let (ok, stdout, stderr) = close("dana").await?;
    assert!(ok && stdout.contains("participants released: 1;"), "{stdout} {stderr}");
    assert!(server.db.caseload(&peer_worker_id).await?.is_empty(), "off her caseload");
    assert_eq!(server.login("dana", "another long password").await?.0, StatusCode::UNAUTHORIZED);
    let (ok, _, stderr) = close("dana").await?;
    assert!(!ok && stderr.contains("no user named dana"), "closed for good: {stderr}");
    server.stop().await
}
