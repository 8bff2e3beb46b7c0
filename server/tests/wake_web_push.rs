//! Web Push against a stand-in on loopback that decrypts with Python's
//! `http_ece` and checks VAPID with `py-vapid`: independent of the server's
//! RustCrypto code. What it decrypts is a wake-up and nothing more.

mod wake;

use std::time::Duration;

use alongside_server::wake::{Outcome, Registration, Sender, VapidConfig, VapidKey, WakeConfig, WakeUp};
use serde_json::{Value, json};
use wake::{Endpoint, TestResult, retry_after};

const SUBJECT: &str = "mailto:ops@alongside.example";

/// A sender with the stand-in's VAPID key (`vapid_pem` or `vapid_raw`) and its subscription.
fn sender_and_subscription(endpoint: &Endpoint, key_field: &str) -> TestResult<(Sender, Registration)> {
    let vapid = VapidConfig::new(VapidKey::parse(endpoint.ready_str(key_field)?)?, SUBJECT)?;
    assert_eq!(vapid.key.public_key(), endpoint.ready_str("vapid_public")?);
    let sender = Sender::new(WakeConfig { vapid: Some(vapid), ..endpoint.config() })?;
    let registration = Registration::WebPush {
        endpoint: format!("{}/push/subscription-1", endpoint.origin()),
        p256dh: endpoint.ready_str("p256dh")?.to_owned(),
        auth: endpoint.ready_str("auth")?.to_owned(),
    };
    sender.check(&registration)?;
    Ok((sender, registration))
}

#[tokio::test]
async fn the_device_decrypts_a_wake_up_and_nothing_else() -> TestResult {
    let Some(mut endpoint) = Endpoint::start("web_push", "web push delivery").await? else { return Ok(()) };
    for (key_field, wake, urgency) in [("vapid_pem", WakeUp::reach_out(), "high"), ("vapid_raw", WakeUp::sync(), "normal")] {
        let (sender, registration) = sender_and_subscription(&endpoint, key_field)?;
        assert_eq!(sender.send(&registration, &wake).await, Outcome::Sent);
        let seen = endpoint.clean_push().await?;
        let word = wake.collapse_key.as_str();
        assert_eq!(seen["payload"], json!({"wake": word, "urgency": urgency}), "only the wake-up: {seen}");
        assert_eq!(seen["urgency"], urgency);
        assert_eq!(seen["topic"], word);
        assert_eq!(seen["ttl"], 86400);
        assert_eq!(seen["vapid"]["aud"], Value::from(endpoint.origin()));
        assert_eq!(seen["vapid"]["sub"], SUBJECT);
    }
    Ok(())
}

#[tokio::test]
async fn an_expired_subscription_is_gone_and_other_refusals_fail() -> TestResult {
    let Some(mut endpoint) = Endpoint::start("web_push", "web push refusals").await? else { return Ok(()) };
    let (sender, registration) = sender_and_subscription(&endpoint, "vapid_pem")?;
    let wake = WakeUp::sync();
    for status in [404, 410] {
        endpoint.answer(status, Value::Null, json!({})).await?;
        assert_eq!(sender.send(&registration, &wake).await, Outcome::Gone, "{status}");
        endpoint.clean_push().await?;
    }

    endpoint.answer(500, Value::Null, json!({"Retry-After": "7"})).await?;
    let outcome = sender.send(&registration, &wake).await;
    assert_eq!(outcome, Outcome::Failed { retry_after: Some(Duration::from_secs(7)), reason: "web push: status 500".into() });
    endpoint.clean_push().await?;

    // Retry-After as an HTTP date a minute ahead.
    let later = (chrono::Utc::now() + chrono::Duration::seconds(60)).format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    endpoint.answer(429, Value::Null, json!({"Retry-After": later})).await?;
    let outcome = sender.send(&registration, &wake).await;
    let wait = retry_after(&outcome).ok_or_else(|| format!("no Retry-After: {outcome:?}"))?;
    assert!((Duration::from_secs(55)..=Duration::from_secs(60)).contains(&wait), "{wait:?}");
    endpoint.clean_push().await?;

    endpoint.answer(400, json!({"error": "bad"}), json!({})).await?;
    assert!(matches!(sender.send(&registration, &wake).await, Outcome::Failed { retry_after: None, .. }));
    endpoint.clean_push().await?;
    Ok(())
}
