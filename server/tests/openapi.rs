//! The OpenAPI description at `GET /v1/openapi.json`: served without a
//! token, whole (every reference resolves), and true to the rules every route
//! follows: a route with a token lists 401, one with a JSON body 413, each
//! 400 (the header limits) and every error status of theirs with the error
//! body. Routes are added only through `routes!`, which takes their
//! description with them. (schemathesis checks the answers against it: see
//! server/tests/openapi/run.sh.)

use std::collections::BTreeSet;
use std::path::Path;

use alongside_harness::{Backend, Server, TestResult, answer, fail};
use alongside_protocol::protocol::MAX_PULL_LIMIT;
use reqwest::StatusCode;
use serde_json::Value;

const METHODS: [&str; 5] = ["get", "put", "post", "delete", "patch"];

async fn description(server: &Server) -> TestResult<Value> {
    let (status, document) = answer(server.http.get(server.url("/v1/openapi.json")).send().await?).await?;
    assert_eq!(status, StatusCode::OK, "{document}");
    Ok(document)
}

/// Every operation: (path, method, the operation).
fn operations(document: &Value) -> Vec<(String, String, Value)> {
    let mut found = Vec::new();
    for (path, item) in document["paths"].as_object().into_iter().flatten() {
        for method in METHODS {
            if let Some(operation) = item.get(method) {
                found.push((path.clone(), method.to_owned(), operation.clone()));
            }
        }
    }
    found
}

/// Every `$ref` anywhere in `value`.
fn references(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                match (key.as_str(), inner) {
                    ("$ref", Value::String(target)) => found.push(target.clone()),
                    _ => references(inner, found),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|inner| references(inner, found)),
        _ => {}
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_description_is_served_whole() -> TestResult {
    let server = Server::start(Backend::Sqlite).await?;
    let document = description(&server).await?;
    assert!(document["openapi"].as_str().is_some_and(|version| version.starts_with("3.1")), "{}", document["openapi"]);
    let mut targets = Vec::new();
    references(&document, &mut targets);
    assert!(!targets.is_empty());
    for target in targets {
        let pointer = target.strip_prefix('#').ok_or_else(|| fail(format!("an outside reference: {target}")))?;
        assert!(document.pointer(pointer).is_some(), "{target} does not resolve");
    }
    let ids: Vec<&str> = document["paths"]
        .as_object()
        .into_iter()
        .flatten()
        .flat_map(|(_, item)| METHODS.iter().filter_map(|method| item[*method]["operationId"].as_str()))
        .collect();
    assert_eq!(ids.len(), ids.iter().collect::<BTreeSet<_>>().len(), "operation ids repeat: {ids:?}");
    server.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_lists_the_answers_every_route_of_its_kind_gives() -> TestResult {
    let server = Server::start(Backend::Sqlite).await?;
    let document = description(&server).await?;
    let schemes = document["components"]["securitySchemes"].as_object().cloned().unwrap_or_default();
    assert_eq!(schemes.get("bearer").map(|s| (s["type"].clone(), s["scheme"].clone())), Some(("http".into(), "bearer".into())));
    let public = ["/healthz", "/v1/openapi.json", "/v1/auth/login", "/v1/auth/register", "/v1/auth/reset"];
    for (path, method, operation) in operations(&document) {
        let what = format!("{method} {path}");
        let responses = operation["responses"].as_object().ok_or_else(|| fail(format!("{what}: no responses")))?;
        let lists = |status: &str| responses.contains_key(status);
        assert!(responses.keys().any(|status| status.starts_with('2')), "{what}: no success");
        // The header limits answer 400 before any route is reached.
        assert!(lists("400"), "{what}: no 400");
        let signed_in = operation["security"].as_array().is_some_and(|s| s.iter().any(|r| r.get("bearer").is_some()));
        assert_eq!(signed_in, !public.contains(&path.as_str()), "{what}: security");
        // Login and a reset answer a wrong password or code with 401.
        let checks_credentials = ["/v1/auth/login", "/v1/auth/reset"].contains(&path.as_str());
        assert_eq!(lists("401"), signed_in || checks_credentials, "{what}: 401 iff a token is asked for (or credentials checked)");
        assert_eq!(lists("413"), operation.get("requestBody").is_some(), "{what}: 413 iff a JSON body is read");
        if operation.get("requestBody").is_some() {
            let content = &operation["requestBody"]["content"];
            assert!(content.get("application/json").is_some(), "{what}: a body other than JSON");
        }
        // Everything that reaches the database may fail.
        assert_eq!(lists("500"), path != "/healthz", "{what}: 500");
        for (status, response) in responses.iter().filter(|(status, _)| !status.starts_with('2')) {
            let target = response["$ref"].as_str().unwrap_or_default();
            assert!(target.starts_with("#/components/responses/"), "{what} {status}: not one of the error answers");
        }
    }
    server.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn error_answers_carry_the_error_body_and_their_headers() -> TestResult {
    let server = Server::start(Backend::Sqlite).await?;
    let document = description(&server).await?;
    let answers = document["components"]["responses"].as_object().cloned().unwrap_or_default();
    for name in ["InvalidRequest", "Unauthorized", "Forbidden", "NotFound", "MethodNotAllowed", "Conflict"] {
        assert!(answers.contains_key(name), "{name}");
    }
    for (name, answer) in &answers {
        let schema = &answer["content"]["application/json"]["schema"];
        assert_eq!(schema["allOf"][0]["$ref"], "#/components/schemas/ErrorEnvelope", "{name}");
        assert!(schema["allOf"][1]["properties"]["error"]["properties"]["code"]["enum"].is_array(), "{name}");
    }
    assert_eq!(answers["RateLimited"]["headers"]["Retry-After"]["required"], true);
    assert_eq!(answers["Unauthorized"]["headers"]["WWW-Authenticate"]["required"], true);
    let codes = &answers["Unauthorized"]["content"]["application/json"]["schema"]["allOf"][1]["properties"]["error"]["properties"]["code"];
    assert_eq!(codes["enum"], serde_json::json!(["unauthorized", "device_wiped"]));
    server.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn query_parameters_carry_their_bounds() -> TestResult {
    let server = Server::start(Backend::Sqlite).await?;
    let document = description(&server).await?;
    let parameter = |path: &str, name: &str| {
        document["paths"][path]["get"]["parameters"]
            .as_array()
            .and_then(|all| all.iter().find(|p| p["name"] == name && p["in"] == "query"))
            .cloned()
            .unwrap_or(Value::Null)
    };
    let limit = parameter("/v1/sync/pull", "limit");
    assert_eq!((limit["schema"]["minimum"].as_u64(), limit["schema"]["maximum"].as_u64()), (Some(1), Some(MAX_PULL_LIMIT as u64)));
    assert_eq!(parameter("/v1/sync/pull", "cursor")["required"], false);
    assert_eq!(parameter("/v1/audit", "participant_id")["required"], true);
    assert_eq!(parameter("/v1/devices", "user_id")["required"], false);
    server.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_described_operation_is_served() -> TestResult {
    let server = Server::start(Backend::Sqlite).await?;
    let document = description(&server).await?;
    for (path, method, _) in operations(&document) {
        let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes())?;
        let response = server.http.request(method.clone(), server.url(&path)).send().await?;
        // Without a token or a body: refused, but by the route, not the fallbacks.
        let status = response.status();
        assert!(![StatusCode::NOT_FOUND, StatusCode::METHOD_NOT_ALLOWED].contains(&status), "{method} {path}: {status}");
    }
    server.stop().await
}

/// What in `text` adds a route other than `routes!`, which would leave it undescribed.
fn undescribed_routes(text: &str) -> Vec<&'static str> {
    [".route(", ".route_service(", ".nest(", ".nest_service(", ".merge(", "Router::new("]
        .into_iter()
        .filter(|needle| text.contains(needle))
        .collect()
}

#[test]
fn routes_are_added_only_with_their_description() -> std::io::Result<()> {
    let api = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/api");
    let mut read = 0;
    for entry in std::fs::read_dir(api)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path)?;
            assert_eq!(undescribed_routes(&text), Vec::<&str>::new(), "{}", path.display());
            read += 1;
        }
    }
    assert!(read > 5, "the API's source was read");
    assert_eq!(undescribed_routes("Router::new().route(\"/x\", get(x))"), [".route(", "Router::new("]);
    Ok(())
}
