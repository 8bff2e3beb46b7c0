//! APNs against a stand-in on loopback that verifies the provider token's
//! ES256 signature with PyJWT, its header and claims, the apns-* headers and
//! the payload: a background push for a sync, a neutral alert for a
//! reach-out, and nothing about anyone in either.

mod wake;

use std::time::Duration;

use alongside_server::wake::{ApnsConfig, Outcome, Registration, Sender, WakeConfig, WakeUp};
use serde_json::{Value, json};
use wake::{Endpoint, TestResult};

fn sender(endpoint: &Endpoint) -> TestResult<Sender> {
    let field = |name| endpoint.ready_str(name);
    let apns = ApnsConfig::new(field("team_id")?, field("key_id")?, field("p8")?, field("topic")?, &endpoint.origin())?;
    Ok(Sender::new(WakeConfig { apns: Some(apns), ..endpoint.config() })?)
}

fn device() -> Registration {
    Registration::Apns { device_token: "5a".repeat(32) }
}

#[tokio::test]
async fn a_sync_is_silent_and_a_reach_out_is_a_neutral_alert() -> TestResult {
    let Some(mut endpoint) = Endpoint::start("apns", "apns delivery").await? else { return Ok(()) };
    let sender = sender(&endpoint)?;

    assert_eq!(sender.send(&device(), &WakeUp::sync()).await, Outcome::Sent);
    let sync = endpoint.clean_push().await?;
    assert_eq!((&sync["push_type"], &sync["priority"]), (&json!("background"), &json!("5")));
    assert_eq!(sync["aps"], json!({"content-available": 1}));
    assert_eq!(sync["payload"], json!({"wake": "sync", "urgency": "normal"}));
    assert_eq!(sync["collapse_id"], "sync");

    assert_eq!(sender.send(&device(), &WakeUp::reach_out()).await, Outcome::Sent);
    let urgent = endpoint.clean_push().await?;
    assert_eq!((&urgent["push_type"], &urgent["priority"]), (&json!("alert"), &json!("10")));
    assert_eq!(urgent["aps"]["mutable-content"], 1);
    assert_eq!(urgent["aps"]["alert"]["title"], "Alongside");
    assert_eq!(urgent["payload"], json!({"wake": "reach_out", "urgency": "high"}));
    // One provider token, reused.
    assert_eq!(sync["jwt"], urgent["jwt"]);
    Ok(())
}

#[tokio::test]
async fn an_unregistered_device_is_gone_and_other_refusals_fail() -> TestResult {
    let Some(mut endpoint) = Endpoint::start("apns", "apns refusals").await? else { return Ok(()) };
    let sender = sender(&endpoint)?;
    let wake = WakeUp::sync();
    let reason = |reason: &str| json!({"reason": reason});

    for (status, body) in [(410, reason("Unregistered")), (400, reason("BadDeviceToken")), (404, Value::Null)] {
        endpoint.answer(status, body, json!({})).await?;
        assert_eq!(sender.send(&device(), &wake).await, Outcome::Gone, "{status}");
        endpoint.clean_push().await?;
    }

    endpoint.answer(429, reason("TooManyRequests"), json!({"retry-after": "12"})).await?;
    let outcome = sender.send(&device(), &wake).await;
    let expected = "apns: status 429 (TooManyRequests)".to_owned();
    assert_eq!(outcome, Outcome::Failed { retry_after: Some(Duration::from_secs(12)), reason: expected });
    endpoint.clean_push().await?;

    endpoint.answer(500, reason("InternalServerError"), json!({})).await?;
    assert!(matches!(sender.send(&device(), &wake).await, Outcome::Failed { .. }));
    endpoint.clean_push().await?;

    // An expired provider token fails this push; the next one is signed anew
    // (same claims within the same second, so only the outcome is checked).
    endpoint.answer(403, reason("ExpiredProviderToken"), json!({})).await?;
    assert!(matches!(sender.send(&device(), &wake).await, Outcome::Failed { .. }));
    endpoint.clean_push().await?;
    assert_eq!(sender.send(&device(), &wake).await, Outcome::Sent);
    endpoint.clean_push().await?;
    Ok(())
}
