//! FCM HTTP v1 against a stand-in on loopback for both Google's token
//! endpoint and messages:send. The stand-in verifies the JWT bearer grant's
//! RS256 signature with PyJWT against the service account's public key, and
//! checks the message: data only, the wake-up and nothing else.

mod wake;

use std::collections::HashMap;
use std::time::Duration;

use alongside_server::wake::{Outcome, Registration, Sender, WakeConfig, WakeUp};
use serde_json::{Value, json};
use wake::{Endpoint, TestResult};

const TOKEN: &str = "dGVzdA:APA91bH-device_token";

/// A stand-in, and a sender configured as the environment would: the service
/// account from a file, FCM's base URL pointed at the stand-in. None to skip.
async fn start(test: &str) -> TestResult<Option<(Endpoint, Sender, Registration)>> {
    let Some(endpoint) = Endpoint::start("fcm", test).await? else { return Ok(None) };
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("service-account.json");
    std::fs::write(&file, endpoint.ready["service_account"].to_string())?;
    let vars = HashMap::from([
        ("ALONGSIDE_WAKE_FCM_SERVICE_ACCOUNT_FILE", file.display().to_string()),
        ("ALONGSIDE_WAKE_FCM_BASE_URL", endpoint.origin()),
        ("ALONGSIDE_WAKE_INSECURE_ORIGINS", endpoint.origin()),
    ]);
    let sender = Sender::new(WakeConfig::from_vars(|name| vars.get(name).cloned())?)?;
    Ok(Some((endpoint, sender, Registration::Fcm { token: TOKEN.to_owned() })))
}

/// The stand-in's report of a clean token request.
async fn token_request(endpoint: &mut Endpoint) -> TestResult {
    let report = endpoint.request().await?;
    assert_eq!(report["kind"], "token", "{report}");
    assert_eq!(report["errors"], json!([]), "the stand-in found: {report}");
    Ok(())
}

fn fcm_error(code: u16, status: &str, message: &str, details: Value) -> Value {
    json!({"error": {"code": code, "status": status, "message": message, "details": details}})
}

#[tokio::test]
async fn a_data_only_wake_up_goes_out_with_one_access_token() -> TestResult {
    let Some((mut endpoint, sender, registration)) = start("fcm delivery").await? else { return Ok(()) };

    assert_eq!(sender.send(&registration, &WakeUp::sync()).await, Outcome::Sent);
    token_request(&mut endpoint).await?;
    let seen = endpoint.clean_push().await?;
    assert_eq!(
        seen["message"],
        json!({"token": TOKEN, "data": {"wake": "sync", "urgency": "normal"},
               "android": {"priority": "NORMAL", "collapse_key": "sync", "ttl": "86400s"}})
    );

    // The access token is kept: no second token request.
    assert_eq!(sender.send(&registration, &WakeUp::reach_out()).await, Outcome::Sent);
    let seen = endpoint.clean_push().await?;
    assert_eq!(seen["message"]["android"]["priority"], "HIGH");
    assert_eq!(seen["message"]["data"], json!({"wake": "reach_out", "urgency": "high"}));
    Ok(())
}

#[tokio::test]
async fn an_unregistered_token_is_gone_and_other_refusals_fail() -> TestResult {
    let Some((mut endpoint, sender, registration)) = start("fcm refusals").await? else { return Ok(()) };
    let wake = WakeUp::reach_out();
    let fcm_detail = |code: &str| json!([{"@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", "errorCode": code}]);
    let bad_field = |field: &str| json!([{"@type": "type.googleapis.com/google.rpc.BadRequest", "fieldViolations": [{"field": field}]}]);

    let gone = [
        (404, fcm_error(404, "NOT_FOUND", "Requested entity was not found.", fcm_detail("UNREGISTERED"))),
        (
            400,
            fcm_error(
                400,
                "INVALID_ARGUMENT",
                "The registration token is not a valid FCM registration token",
                fcm_detail("INVALID_ARGUMENT"),
            ),
        ),
        (400, fcm_error(400, "INVALID_ARGUMENT", "Invalid value", bad_field("message.token"))),
    ];
    let mut first = true;
    for (status, body) in gone {
        endpoint.answer(status, body, json!({})).await?;
        assert_eq!(sender.send(&registration, &wake).await, Outcome::Gone, "{status}");
        if std::mem::take(&mut first) {
            token_request(&mut endpoint).await?;
        }
        endpoint.clean_push().await?;
    }

    // INVALID_ARGUMENT about the message, not the token: this server's fault.
    endpoint.answer(400, fcm_error(400, "INVALID_ARGUMENT", "Invalid value", bad_field("message.android.ttl")), json!({})).await?;
    let outcome = sender.send(&registration, &wake).await;
    assert_eq!(outcome, Outcome::Failed { retry_after: None, reason: "fcm: status 400 (INVALID_ARGUMENT)".into() });
    endpoint.clean_push().await?;

    endpoint.answer(429, fcm_error(429, "RESOURCE_EXHAUSTED", "Quota", fcm_detail("QUOTA_EXCEEDED")), json!({"Retry-After": "30"})).await?;
    let outcome = sender.send(&registration, &wake).await;
    let expected = "fcm: status 429 (QUOTA_EXCEEDED)".to_owned();
    assert_eq!(outcome, Outcome::Failed { retry_after: Some(Duration::from_secs(30)), reason: expected });
    endpoint.clean_push().await?;

    endpoint.answer(503, fcm_error(503, "UNAVAILABLE", "down", json!([])), json!({})).await?;
    assert!(matches!(sender.send(&registration, &wake).await, Outcome::Failed { .. }));
    endpoint.clean_push().await?;

    // A refused access token is replaced on the next send.
    endpoint.answer(401, fcm_error(401, "UNAUTHENTICATED", "expired", json!([])), json!({})).await?;
    assert!(matches!(sender.send(&registration, &wake).await, Outcome::Failed { .. }));
    endpoint.clean_push().await?;
    assert_eq!(sender.send(&registration, &wake).await, Outcome::Sent);
    token_request(&mut endpoint).await?;
    endpoint.clean_push().await?;
    Ok(())
}
