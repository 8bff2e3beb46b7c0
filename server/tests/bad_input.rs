//! Bad input against a real server on both backends: malformed JSON, wrong
//! types, huge strings, deep nesting, invalid UUIDs and dates, forged cursors
//! and tokens, oversized bodies, SQL metacharacters, every Unicode plane, lone
//! surrogates, NUL and RTL marks. No 5xx, stable error codes, and nothing
//! stored changes (the database is compared before and after).

use alongside_harness::wire::{change, goal, hlc, new_id};
use alongside_harness::{Backend, BoxError, PASSWORD, Server, TestResult, code, fail, on_every_backend};
use alongside_server::store::{Role, StoredRecord, queries};
use reqwest::StatusCode;
use serde_json::{Value, json};

on_every_backend!(bad_input_changes_nothing_and_never_fails_the_server, any_unicode_text_round_trips);

/// Every record of the given participants, as stored.
async fn stored(server: &Server, participants: &[&str]) -> Result<Vec<StoredRecord>, BoxError> {
    let participants: Vec<String> = participants.iter().map(|p| (*p).to_owned()).collect();
    let records = server
        .db
        .read(move |tx| {
            Box::pin(async move {
                let mut all = Vec::new();
                for participant in &participants {
                    all.extend(queries::records_after(tx, participant, None, 0, false, 1_000_000).await?);
                }
                Ok(all)
            })
        })
        .await?;
    Ok(records)
}

/// One raw request and the answers it may get.
struct Case {
    what: String,
    method: reqwest::Method,
    path: String,
    token: Option<String>,
    content_type: Option<&'static str>,
    body: Vec<u8>,
    /// Acceptable (status, code) pairs; the code is empty for success.
    expect: Vec<(u16, &'static str)>,
}

fn push_case(what: impl Into<String>, token: &str, body: impl Into<Vec<u8>>, expect: &[(u16, &'static str)]) -> Case {
    Case {
        what: what.into(),
        method: reqwest::Method::POST,
        path: "/v1/sync/push".into(),
        token: Some(token.to_owned()),
        content_type: Some("application/json"),
        body: body.into(),
        expect: expect.to_vec(),
    }
}

const BAD_REQUEST: (u16, &str) = (400, "invalid_request");
const OK: (u16, &str) = (200, "");

/// A push of one change whose `fields` are `fields`, or whose `key` is replaced by `value`.
fn one_change(participant: &str, key: &str, value: Value) -> Vec<u8> {
    let mut change = goal(participant, &hlc(-1000, 0, "bad"), "Walk");
    change[key] = value;
    json!({"changes": [change]}).to_string().into_bytes()
}

async fn bad_input_changes_nothing_and_never_fails_the_server(backend: Backend) -> TestResult {
    let server = Server::start(backend).await?;
    let rosa = server.add_user("rosa", Role::Participant).await?;
    let will = server.add_user("will", Role::PeerWorker).await?;
    server.assign(&will, &rosa).await?;
    let (token, will_token) = (server.token("rosa").await?, server.token("will").await?);
    let existing = goal(&rosa, &hlc(-5000, 0, "r"), "Walk the kids to school");
    assert_eq!(server.push_ok(&token, std::slice::from_ref(&existing)).await?, ["applied"]);
    let (_, page) = server.pull(&token, None, None).await?;
    let cursor = page["cursor"].as_str().unwrap_or("").to_owned();
    let record_id = existing["record_id"].as_str().unwrap_or("").to_owned();
    let before = stored(&server, &[&rosa, &will]).await?;

    let nested = |depth: usize| format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let rejected = |status_code: &'static str| vec![(200u16, status_code)];
    let mut cases: Vec<Case> = Vec::new();
    // Malformed JSON and wrong shapes.
    for (what, body) in [
        ("truncated", "{\"changes\": [".to_owned()),
        ("trailing garbage", "{\"changes\": []} x".to_owned()),
        ("array", "[]".to_owned()),
        ("null", "null".to_owned()),
        ("number", "42".to_owned()),
        ("empty", String::new()),
        ("byte order mark", "\u{feff}{\"changes\": []}".to_owned()),
        ("deep nesting at the top", nested(10_000)),
        ("deep nesting in a field", format!("{{\"changes\": [{{\"fields\": {}}}]}}", nested(10_000))),
        ("lone leading surrogate", r#"{"changes": [{"change_id": "\ud800"}]}"#.to_owned()),
        ("lone trailing surrogate", r#"{"changes": [{"change_id": "a\udc00"}]}"#.to_owned()),
        ("changes is an object", "{\"changes\": {}}".to_owned()),
        ("change is a string", "{\"changes\": [\"goal\"]}".to_owned()),
        ("duplicate key", "{\"changes\": [], \"changes\": []}".to_owned()),
    ] {
        cases.push(push_case(format!("push: {what}"), &token, body, &[BAD_REQUEST]));
    }
    cases.push(push_case("push: invalid UTF-8", &token, b"{\"changes\": [\"\xff\xfe\"]}".to_vec(), &[BAD_REQUEST]));
    for (key, value) in [
        ("change_id", json!(7)),
        ("fields", json!([1, 2])),
        ("hlc", json!({"ms": 1})),
        ("record_id", Value::Null),
        ("collection", json!(true)),
        ("participant_id", json!(["x"])),
    ] {
        cases.push(push_case(format!("push: {key} of the wrong type"), &token, one_change(&rosa, key, value), &[BAD_REQUEST]));
    }
    // Well-formed JSON, bad values: answered per change, nothing applied.
    let uuid_like = ["ABCDEF01-2345-6789-ABCD-EF0123456789", "{3f2a0000-0000-0000-0000-000000000000}", "3f2a", "", "not-a-uuid"];
    for bad in uuid_like {
        for key in ["change_id", "record_id", "participant_id"] {
            cases.push(push_case(
                format!("push: {key} {bad:?}"),
                &token,
                one_change(&rosa, key, json!(bad)),
                &rejected("validation_failed"),
            ));
        }
    }
    let bad_field = |fields: Value| json!({"changes": [change("goals", &new_id(), &rosa, &hlc(-1000, 0, "bad"), fields)]}).to_string();
    for (what, fields) in [
        ("huge title", json!({"title": "x".repeat(1_900_000), "area": "health", "status": "active"})),
        ("date 2026-02-30", json!({"title": "t", "area": "health", "status": "active", "target_date": "2026-02-30"})),
        ("date 2026-13-01", json!({"title": "t", "area": "health", "status": "active", "target_date": "2026-13-01"})),
        ("date yesterday", json!({"title": "t", "area": "health", "status": "active", "target_date": "yesterday"})),
        ("date as number", json!({"title": "t", "area": "health", "status": "active", "target_date": 20261123})),
        ("score as float", json!({"title": "t", "area": "health", "status": "active", "gas_score": 1.5})),
        ("score huge", json!({"title": "t", "area": "health", "status": "active", "gas_score": 1e300})),
        ("text as object", json!({"title": {"$ne": 1}, "area": "health", "status": "active"})),
        ("SQL in an enum", json!({"title": "t", "area": "health'; DROP TABLE records; --", "status": "active"})),
        ("empty title", json!({"title": "", "area": "health", "status": "active"})),
        ("NUL title over the limit", json!({"title": "\u{0}".repeat(201), "area": "health", "status": "active"})),
    ] {
        cases.push(push_case(format!("push: {what}"), &token, bad_field(fields), &rejected("validation_failed")));
    }
    let instant_cases = ["2026-11-23T25:00:00Z", "2026-11-23 08:15:00", "2026-11-23T08:15:00", "now"];
    for bad in instant_cases {
        let body = json!({"changes": [change("check_ins", &new_id(), &rosa, &hlc(-1000, 0, "bad"), json!({"at": bad, "mood": 3}))]});
        cases.push(push_case(format!("push: instant {bad:?}"), &token, body.to_string(), &rejected("validation_failed")));
    }
    for bad_hlc in ["", "1763880000000-0000", "99999999999999-0000-x", "1763880000000-zzzz-node", "'; DELETE FROM records; --"] {
        cases.push(push_case(
            format!("push: hlc {bad_hlc:?}"),
            &token,
            one_change(&rosa, "hlc", json!(bad_hlc)),
            &rejected("validation_failed"),
        ));
    }
    for collection in ["records; DROP TABLE records", "goals\u{0}", "GOALS", "\u{202e}slaog"] {
        cases.push(push_case(
            format!("push: collection {collection:?}"),
            &token,
            one_change(&rosa, "collection", json!(collection)),
            &rejected("unknown_collection"),
        ));
    }
    let unknown_field = json!({"changes": [change("goals", &record_id, &rosa, &hlc(-900, 0, "bad"), json!({"title'--": "x"}))]});
    cases.push(push_case("push: SQL in a field name", &token, unknown_field.to_string(), &rejected("unknown_field")));
    // NUL in ids must not reach the database's text type.
    for key in ["change_id", "record_id", "participant_id"] {
        cases.push(push_case(
            format!("push: NUL in {key}"),
            &token,
            one_change(&rosa, key, json!(format!("{}\u{0}", new_id()))),
            &rejected("validation_failed"),
        ));
    }
    // Someone else's writes, dressed up.
    let forged = json!({"changes": [change("sharing", &rosa, &rosa, &hlc(-800, 0, "w"), json!({"goals": true}))]});
    cases.push(push_case("push: peer worker writes sharing", &will_token, forged.to_string(), &rejected("forbidden")));
    let future = json!({"changes": [goal(&rosa, &hlc(48 * 3_600_000, 0, "r"), "From the future")]});
    cases.push(push_case("push: HLC two days ahead", &token, future.to_string(), &rejected("validation_failed")));
    // Oversized.
    let oversized = format!("{{\"changes\": [], \"padding\": \"{}\"}}", "x".repeat(3 * 1024 * 1024));
    cases.push(push_case("push: 3 MiB body", &token, oversized, &[(413, "payload_too_large")]));
    let login_big = format!("{{\"username\": \"{}\", \"password\": \"x\", \"device_name\": \"x\"}}", "x".repeat(100_000));
    let mut raw = |what: &str, method: reqwest::Method, path: String, token: Option<&str>, body: String, expect: &[(u16, &'static str)]| {
        cases.push(Case {
            what: what.into(),
            method,
            path,
            token: token.map(str::to_owned),
            content_type: Some("application/json"),
            body: body.into_bytes(),
            expect: expect.to_vec(),
        });
    };
    raw("login: 100 kB body", reqwest::Method::POST, "/v1/auth/login".into(), None, login_big, &[(413, "payload_too_large")]);
    // Forged tokens and cursors.
    for bad_token in ["", "x", "bm90IGEgdG9rZW4", &"A".repeat(4000), "' OR 1=1 --"] {
        raw(
            "push: forged token",
            reqwest::Method::POST,
            "/v1/sync/push".into(),
            Some(bad_token),
            "{\"changes\": []}".into(),
            &[(401, "unauthorized")],
        );
    }
    let mut tampered = cursor.clone().into_bytes();
    if let Some(byte) = tampered.get_mut(3) {
        *byte = if *byte == b'A' { b'B' } else { b'A' };
    }
    let tampered = String::from_utf8(tampered)?;
    for bad_cursor in ["AQAAAAAAAAAAAAAAAA", "%00", "%27%20OR%201%3D1", tampered.as_str(), &"A".repeat(5000)] {
        raw(
            "pull: forged cursor",
            reqwest::Method::GET,
            format!("/v1/sync/pull?cursor={bad_cursor}"),
            Some(&token),
            String::new(),
            &[BAD_REQUEST],
        );
    }
    let (_, will_page) = server.pull(&will_token, None, None).await?;
    let will_cursor = will_page["cursor"].as_str().unwrap_or("").to_owned();
    raw(
        "pull: another user's cursor",
        reqwest::Method::GET,
        format!("/v1/sync/pull?cursor={will_cursor}"),
        Some(&token),
        String::new(),
        &[BAD_REQUEST],
    );
    for limit in ["0", "-1", "1e3", "99999999999999999999", "%00"] {
        raw("pull: bad limit", reqwest::Method::GET, format!("/v1/sync/pull?limit={limit}"), Some(&token), String::new(), &[BAD_REQUEST]);
    }
    // Other endpoints.
    for (what, path, body) in [
        ("login NUL username", "/v1/auth/login", json!({"username": "rosa\u{0}", "password": "x", "device_name": "x"})),
        ("login NUL device", "/v1/auth/login", json!({"username": "rosa", "password": "x", "device_name": "\u{0}"})),
        ("login SQL username", "/v1/auth/login", json!({"username": "' OR '1'='1", "password": "' OR '1'='1", "device_name": "x"})),
        (
            "register NUL code",
            "/v1/auth/register",
            json!({"invite_code": "\u{0}", "username": "a", "password": "long enough", "display_name": "A", "device_name": "x"}),
        ),
        (
            "register wrong types",
            "/v1/auth/register",
            json!({"invite_code": 5, "username": [], "password": {}, "display_name": null, "device_name": 1}),
        ),
    ] {
        raw(
            what,
            reqwest::Method::POST,
            path.into(),
            None,
            body.to_string(),
            &[(401, "unauthorized"), (422, "validation_failed"), BAD_REQUEST],
        );
    }
    raw(
        "invite as participant",
        reqwest::Method::POST,
        "/v1/invites".into(),
        Some(&token),
        json!({"display_name": "x"}).to_string(),
        &[(403, "forbidden")],
    );
    raw(
        "invite NUL name",
        reqwest::Method::POST,
        "/v1/invites".into(),
        Some(&will_token),
        json!({"display_name": "\u{0}"}).to_string(),
        &[(422, "validation_failed")],
    );
    for participant in ["%00", "' OR 1=1 --", "ABCDEF01-2345-6789-ABCD-EF0123456789", &"9".repeat(5000)] {
        raw(
            "audit: bad participant id",
            reqwest::Method::GET,
            format!("/v1/audit?participant_id={participant}"),
            Some(&token),
            String::new(),
            &[(422, "validation_failed"), (403, "forbidden")],
        );
    }
    // Whom to call: hostile numbers and hours, wrong types, wrong people.
    for (what, body) in [
        ("contact: a phone of words", json!({"phone": "call me"})),
        ("contact: a huge phone", json!({"phone": "1".repeat(100_000)})),
        ("contact: a NUL in the phone", json!({"phone": "555\u{0}0100"})),
        ("contact: a phone that is a number", json!({"phone": 5550100})),
        ("contact: hours in no zone", json!({"hours": {"time_zone": "../../etc/passwd", "days": ["mon"], "from": "09:00", "to": "17:00"}})),
        ("contact: hours of no day", json!({"hours": {"time_zone": "UTC", "days": [], "from": "09:00", "to": "17:00"}})),
        ("contact: hours at 25:00", json!({"hours": {"time_zone": "UTC", "days": ["mon"], "from": "25:00", "to": "17:00"}})),
        (
            "contact: hours of a million days",
            json!({"hours": {"time_zone": "UTC", "days": vec!["mon"; 100_000], "from": "09:00", "to": "17:00"}}),
        ),
        ("contact: an unknown key", json!({"phone": "555 0100", "password": "x"})),
        ("contact: not an object", json!("555 0100")),
        ("contact: null", json!(null)),
    ] {
        raw(
            what,
            reqwest::Method::PUT,
            "/v1/me/contact".into(),
            Some(&will_token),
            body.to_string(),
            &[(422, "validation_failed"), (400, "invalid_request"), (413, "payload_too_large")],
        );
    }
    raw(
        "contact as participant",
        reqwest::Method::PUT,
        "/v1/me/contact".into(),
        Some(&token),
        json!({"phone": "555 0100"}).to_string(),
        &[(403, "forbidden")],
    );
    raw(
        "on-call line as peer worker",
        reqwest::Method::PUT,
        "/v1/admin/program".into(),
        Some(&will_token),
        json!({"on_call": {"name": "Me", "phone": "555 0100"}}).to_string(),
        &[(403, "forbidden")],
    );
    // Accounts: hostile passwords, codes and ids change nothing (a wrong
    // password counts toward the rate limit, hence 429).
    for (what, path, body) in [
        ("password: wrong types", "/v1/me/password", json!({"current_password": 5, "new_password": []})),
        ("password: a huge new one", "/v1/me/password", json!({"current_password": "x", "new_password": "a".repeat(100_000)})),
        ("password: NUL", "/v1/me/password", json!({"current_password": "\u{0}", "new_password": "long enough \u{0}"})),
        ("password: an unknown key", "/v1/me/password", json!({"current_password": "x", "new_password": "long enough", "admin": true})),
        ("erase: the wrong password", "/v1/me/erase", json!({"password": "' OR '1'='1"})),
        ("erase: no password", "/v1/me/erase", json!({})),
        ("erase: null", "/v1/me/erase", json!(null)),
        ("reset code as participant", "/v1/admin/reset-codes", json!({"user_id": rosa})),
        ("erase as participant", "/v1/admin/erase", json!({"participant_id": rosa})),
        ("close as participant", "/v1/admin/close", json!({"user_id": rosa})),
    ] {
        raw(
            what,
            reqwest::Method::POST,
            path.into(),
            Some(&token),
            body.to_string(),
            &[(422, "validation_failed"), (400, "invalid_request"), (403, "forbidden"), (413, "payload_too_large"), (429, "rate_limited")],
        );
    }
    for (what, body) in [
        (
            "reset: a code of NULs",
            json!({"username": "rosa", "code": "\u{0}".repeat(8), "new_password": "long enough", "device_name": "x"}),
        ),
        ("reset: SQL", json!({"username": "' OR '1'='1", "code": "' OR '1'='1", "new_password": "long enough", "device_name": "x"})),
        ("reset: a huge code", json!({"username": "rosa", "code": "A".repeat(100_000), "new_password": "long enough", "device_name": "x"})),
        ("reset: wrong types", json!({"username": 1, "code": {}, "new_password": null, "device_name": []})),
    ] {
        raw(
            what,
            reqwest::Method::POST,
            "/v1/auth/reset".into(),
            None,
            body.to_string(),
            &[
                (401, "unauthorized"),
                (422, "validation_failed"),
                (400, "invalid_request"),
                (413, "payload_too_large"),
                (429, "rate_limited"),
            ],
        );
    }
    raw(
        "admin as participant",
        reqwest::Method::POST,
        "/v1/admin/caseload".into(),
        Some(&token),
        json!({"peer_worker_id": will, "participant_id": rosa, "assigned": false}).to_string(),
        &[(403, "forbidden")],
    );
    // serde reads a struct from an array of its fields too; the API takes objects only.
    for (what, method, path, token, body) in [
        ("login: the fields as an array", reqwest::Method::POST, "/v1/auth/login", None, json!(["rosa", PASSWORD, "phone"])),
        ("contact: the fields as an array", reqwest::Method::PUT, "/v1/me/contact", Some(&will_token), json!([null, null])),
        ("push: the fields as an array", reqwest::Method::POST, "/v1/sync/push", Some(&token), json!([[]])),
    ] {
        raw(what, method, path.into(), token.map(String::as_str), body.to_string(), &[BAD_REQUEST]);
    }

    let mut failures = Vec::new();
    for case in &cases {
        let mut request = server.http.request(case.method.clone(), server.url(&case.path)).body(case.body.clone());
        if let Some(content_type) = case.content_type {
            request = request.header("content-type", content_type);
        }
        if let Some(token) = &case.token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        let response = match request.send().await {
            Ok(response) => response,
            // A body refused by its declared length is answered 413 before it
            // is read, and the connection closed: a client still writing sees
            // the close first. That is a refusal too.
            Err(error) if case.expect.contains(&(413, "payload_too_large")) && error.is_request() => continue,
            Err(error) => return Err(fail(format!("{}: the request failed: {error:?}", case.what))),
        };
        let status = response.status();
        let text = response.text().await?;
        if status.is_server_error() {
            failures.push(format!("{}: {status} {text}", case.what));
            continue;
        }
        let body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        let got = if status == StatusCode::OK {
            match body["results"].as_array() {
                Some(results) => {
                    let codes: Vec<&str> = results.iter().map(|r| r["error"]["code"].as_str().unwrap_or("")).collect();
                    (200u16, codes.first().copied().unwrap_or(""))
                }
                None => (200, ""),
            }
        } else {
            (status.as_u16(), code(&body))
        };
        let accepted = case.expect.contains(&got) || (case.expect.contains(&OK) && status == StatusCode::OK);
        if !accepted {
            failures.push(format!("{}: got {got:?}, expected one of {:?}: {}", case.what, case.expect, &text[..text.len().min(300)]));
        }
    }
    let after = stored(&server, &[&rosa, &will]).await?;
    if before != after {
        failures.push(format!("stored records changed: {} before, {} after", before.len(), after.len()));
    }
    if !failures.is_empty() {
        return Err(fail(format!("{} of {} cases failed:\n{}", failures.len(), cases.len(), failures.join("\n"))));
    }
    // The server still works.
    assert_eq!(server.push_ok(&token, &[goal(&rosa, &hlc(-10, 0, "r"), "Still here")]).await?, ["applied"]);
    server.stop().await
}

async fn any_unicode_text_round_trips(backend: Backend) -> TestResult {
    let server = Server::start(backend).await?;
    let rosa = server.add_user("rosa", Role::Participant).await?;
    let token = server.token("rosa").await?;
    // One character from every plane (0 to 16), NUL, RTL marks, combining
    // marks, an emoji ZWJ sequence, and SQL metacharacters.
    let mut texts: Vec<String> = (0u32..=16)
        .map(|plane| {
            let scalar = (plane << 16) | 0x0041;
            char::from_u32(scalar).map(|c| format!("plane {plane}: {c}")).unwrap_or_default()
        })
        .collect();
    texts.extend(
        [
            "NUL \u{0} inside",
            "\u{202e}reversed\u{202c} and \u{200f}RLM",
            "e\u{301}\u{301}\u{301}",
            "👩‍👧‍👦 family",
            "Robert'); DROP TABLE records;--",
            "\\x00 \\\" ' ` $1 ?1 %s {0}",
            "\u{feff}BOM \u{fffd}\u{fffe}\u{ffff}",
        ]
        .map(str::to_owned),
    );
    let changes: Vec<Value> = texts
        .iter()
        .enumerate()
        .map(|(i, text)| {
            change(
                "goals",
                &new_id(),
                &rosa,
                &hlc(-10_000 + i64::try_from(i).unwrap_or(0), 0, "r"),
                json!({"title": text, "area": "other", "status": "active"}),
            )
        })
        .collect();
    let statuses = server.push_ok(&token, &changes).await?;
    assert!(statuses.iter().all(|s| s == "applied"), "{statuses:?}");
    let titles: std::collections::BTreeSet<String> =
        server.pull_all(&token).await?.iter().filter_map(|c| c["fields"]["title"].as_str().map(str::to_owned)).collect();
    for text in &texts {
        assert!(titles.contains(text), "{text:?} did not come back intact");
    }
    server.stop().await
}
