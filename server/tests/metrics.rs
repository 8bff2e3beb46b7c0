//! Metrics through the real server on both backends: off unless asked for,
//! never on the API's address, counting requests by route template, pushes
//! and pulls with their changes, open event streams and wake-ups, and never
//! naming a person, a device or a token.

use std::time::Duration;

use alongside_harness::wire::{goal, hlc, new_id};
use alongside_harness::{Backend, Server, TestResult, fail, metric_value, on_every_backend};
use alongside_server::ServerConfig;
use alongside_server::store::Role;
use axum::http::StatusCode;

on_every_backend!(metrics_are_off_unless_asked_for, metrics_count_what_the_server_did);

async fn metrics_are_off_unless_asked_for(backend: Backend) -> TestResult {
    let server = Server::start(backend).await?;
    assert!(server.metrics().await.is_err(), "no metrics endpoint by default");
    let (status, _) = server.get("/metrics", None).await?;
    assert_eq!(status, StatusCode::NOT_FOUND, "never on the API's address");
    server.stop().await
}

/// A Web Push service on loopback: it accepts every message but those to
/// `/push/broken`, for which it is unavailable.
async fn push_service() -> TestResult<String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let origin = format!("http://{}", listener.local_addr()?);
    let answer = |axum::extract::Path(device): axum::extract::Path<String>| async move {
        if device == "broken" { StatusCode::SERVICE_UNAVAILABLE } else { StatusCode::CREATED }
    };
    let app = axum::Router::new().route("/push/{device}", axum::routing::post(answer));
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(origin)
}

async fn metrics_count_what_the_server_did(backend: Backend) -> TestResult {
    let origin = push_service().await?;
    let config = ServerConfig { metrics_listen: Some("127.0.0.1:0".parse()?), ..alongside_harness::wake::web_push_to(&origin)? };
    let server = Server::start_with(backend, config).await?;
    let rosa = server.add_user("rosa", Role::Participant).await?;
    let will = server.add_user("will", Role::PeerWorker).await?;
    server.assign(&will, &rosa).await?;
    let (token, rosa_device) = server.device_token(&rosa, "Rosa's phone").await?;
    let (other_token, other_device) = server.device_token(&rosa, "Rosa's tablet").await?;
    // The tablet is woken through the service, a third device at an address the service cannot deliver to.
    let (status, _) =
        server.put("/v1/devices/push", Some(&other_token), &alongside_harness::wake::subscription(&origin, &other_device)?).await?;
    assert_eq!(status, StatusCode::OK);
    let (third_token, third_device) = server.device_token(&rosa, "Rosa's old phone").await?;
    let (status, _) =
        server.put("/v1/devices/push", Some(&third_token), &alongside_harness::wake::subscription(&origin, "broken")?).await?;
    assert_eq!(status, StatusCode::OK);

    let before = server.metrics().await?;
    // Two applied, one rejected (another participant's record), then a duplicate.
    let first = goal(&rosa, &hlc(0, 0, "r"), "Walk the kids to school");
    let changes = [first.clone(), goal(&rosa, &hlc(0, 1, "r"), "Cook on Sundays"), goal(&new_id(), &hlc(0, 2, "r"), "Not mine")];
    let (status, _) = server.push(&token, &changes).await?;
    assert_eq!(status, StatusCode::OK);
    server.push(&token, &[first]).await?;
    let (status, page) = server.pull(&token, None, Some(1)).await?;
    assert_eq!((status, page["changes"].as_array().map(Vec::len)), (StatusCode::OK, Some(1)));
    let (status, _) = server.get(&format!("/v1/nothing/{rosa}"), Some(&token)).await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let stream = server.http.get(server.url("/v1/sync/events")).bearer_auth(&token).send().await?;
    assert_eq!(stream.status(), StatusCode::OK);

    let mut text = server.metrics().await?;
    for _ in 0..100 {
        if metric_value(&text, "alongside_wake_ups_total{service=\"web_push\",outcome=\"sent\"}") >= 1.0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        text = server.metrics().await?;
    }
    let grew = |series: &str| metric_value(&text, series) - metric_value(&before, series);
    assert_eq!(grew("alongside_http_requests_total{method=\"POST\",route=\"/v1/sync/push\",status=\"200\"}"), 2.0, "{text}");
    assert_eq!(grew("alongside_http_requests_total{method=\"GET\",route=\"/v1/sync/pull\",status=\"200\"}"), 1.0);
    assert_eq!(grew("alongside_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"}"), 1.0);
    assert_eq!(grew("alongside_sync_pushes_total"), 2.0);
    assert_eq!(grew("alongside_sync_pushed_changes_total{result=\"applied\"}"), 2.0);
    assert_eq!(grew("alongside_sync_pushed_changes_total{result=\"rejected\"}"), 1.0);
    assert_eq!(grew("alongside_sync_pushed_changes_total{result=\"duplicate\"}"), 1.0);
    assert_eq!(grew("alongside_sync_pulls_total"), 1.0);
    assert_eq!(grew("alongside_sync_pulled_changes_total"), 1.0);
    assert_eq!(metric_value(&text, "alongside_events_open_streams"), 1.0);
    assert!(metric_value(&text, "alongside_http_request_duration_seconds_count{route=\"/v1/sync/push\"}") >= 2.0);
    assert!(metric_value(&text, "alongside_db_connections{state=\"open\"}") >= 1.0);
    assert_eq!(grew("alongside_wake_ups_total{service=\"web_push\",outcome=\"sent\"}"), 1.0, "the tablet was woken: {text}");
    for _ in 0..100 {
        if metric_value(&text, "alongside_wake_ups_total{service=\"web_push\",outcome=\"failed\"}") >= 1.0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        text = server.metrics().await?;
    }
    assert_eq!(
        metric_value(&text, "alongside_wake_ups_total{service=\"web_push\",outcome=\"failed\"}"),
        1.0,
        "the old phone was not: {text}"
    );

    // Nobody in any label.
    for secret in [&rosa, &will, &token, &other_token, &rosa_device, &other_device, &third_device, "rosa", "Walk the kids"] {
        assert!(!text.contains(secret), "{secret} in the metrics");
    }

    // A closed stream is no longer counted.
    drop(stream);
    for _ in 0..100 {
        if metric_value(&text, "alongside_events_open_streams") == 0.0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
        text = server.metrics().await?;
    }
    if metric_value(&text, "alongside_events_open_streams") != 0.0 {
        return Err(fail(format!("the closed stream is still counted: {text}")));
    }
    server.stop().await
}
