//! Wake-ups without any push service: what a device registers is checked
//! byte by byte and refused with a stable code, configuration is checked as
//! it loads, and a service that never answers costs one timeout.

mod wake;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use alongside_server::wake::{
    APNS_SANDBOX, ApnsConfig, CollapseKey, ConfigError, Outcome, Registration, Sender, ServiceAccount, VapidConfig, VapidKey, WakeConfig,
    WakeUp,
};
use base64::Engine;
use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
use p256::elliptic_curve::Generate;
use p256::pkcs8::{EncodePrivateKey, LineEnding};
use wake::{TestResult, silent_listener};

fn new_key() -> TestResult<p256::SecretKey> {
    Ok(p256::SecretKey::try_generate()?)
}

fn vapid() -> TestResult<VapidConfig> {
    let raw = URL_SAFE_NO_PAD.encode(new_key()?.to_bytes());
    Ok(VapidConfig::new(VapidKey::parse(&raw)?, "mailto:ops@alongside.example")?)
}

fn web_push(endpoint: &str, p256dh: &str, auth: &str) -> Registration {
    Registration::WebPush { endpoint: endpoint.to_owned(), p256dh: p256dh.to_owned(), auth: auth.to_owned() }
}

/// A subscription's keys as a browser gives them.
fn device_keys() -> TestResult<(String, String)> {
    let public = new_key()?.public_key().to_sec1_bytes();
    Ok((URL_SAFE_NO_PAD.encode(public), URL_SAFE_NO_PAD.encode([7_u8; 16])))
}

fn code(sender: &Sender, registration: &Registration) -> &'static str {
    sender.check(registration).err().map_or("accepted", |error| error.code())
}

#[test]
fn registrations_are_read_from_tagged_json() -> TestResult {
    let parsed: Registration = serde_json::from_str(r#"{"kind":"fcm","token":"abc:DEF-1_2"}"#)?;
    assert_eq!(parsed, Registration::Fcm { token: "abc:DEF-1_2".to_owned() });
    let parsed: Registration = serde_json::from_str(r#"{"kind":"apns","device_token":"00ff"}"#)?;
    assert_eq!(parsed, Registration::Apns { device_token: "00ff".to_owned() });
    assert!(serde_json::from_str::<Registration>(r#"{"kind":"sms","token":"x"}"#).is_err());
    assert!(serde_json::from_str::<Registration>(r#"{"kind":"fcm","token":"x","name":"Rosa"}"#).is_err());
    let written = serde_json::to_value(web_push("https://push.example/x", "p", "a"))?;
    assert_eq!(written["kind"], "web_push");
    Ok(())
}

#[tokio::test]
async fn bad_web_push_registrations_are_refused_with_a_code() -> TestResult {
    let sender = Sender::new(WakeConfig { vapid: Some(vapid()?), ..WakeConfig::default() })?;
    let (p256dh, auth) = device_keys()?;
    let check = |endpoint: &str, p256dh: &str, auth: &str| code(&sender, &web_push(endpoint, p256dh, auth));
    let good = "https://push.example.net/wpush/v2/abc";

    assert_eq!(check(good, &p256dh, &auth), "accepted");
    // Padded base64url, as some browsers send it.
    let padded = URL_SAFE.encode(URL_SAFE_NO_PAD.decode(&p256dh)?);
    assert_eq!(check(good, &padded, &auth), "accepted");

    assert_eq!(check("http://push.example.net/x", &p256dh, &auth), "endpoint_not_https");
    for local in ["https://127.0.0.1/x", "https://localhost/x", "https://[::1]/x", "https://10.1.2.3/x", "https://169.254.169.254/x"] {
        assert_eq!(check(local, &p256dh, &auth), "endpoint_not_public", "{local}");
    }
    for invalid in ["push.example.net/x", "https://user:pw@push.example.net/x", "https://push.example.net/x#f", "mailto:a@b"] {
        assert_eq!(check(invalid, &p256dh, &auth), "endpoint_invalid", "{invalid}");
    }
    let long = format!("https://push.example.net/{}", "a".repeat(4000));
    assert_eq!(check(&long, &p256dh, &auth), "endpoint_too_long");

    assert_eq!(check(good, "not base64!", &auth), "key_not_base64url");
    assert_eq!(check(good, &URL_SAFE_NO_PAD.encode([4_u8; 64]), &auth), "key_wrong_length");
    assert_eq!(check(good, &"A".repeat(1 << 20), &auth), "key_wrong_length");
    // The compressed form (33 bytes) is not RFC 8291's.
    assert_eq!(check(good, &URL_SAFE_NO_PAD.encode([2_u8; 33]), &auth), "key_wrong_length");
    let mut off_curve = [1_u8; 65];
    off_curve[0] = 4;
    assert_eq!(check(good, &URL_SAFE_NO_PAD.encode(off_curve), &auth), "key_not_on_curve");
    assert_eq!(check(good, &p256dh, &URL_SAFE_NO_PAD.encode([7_u8; 15])), "key_wrong_length");
    assert_eq!(check(good, &p256dh, "%%%%"), "key_not_base64url");

    // A bad stored registration is dropped rather than retried forever.
    let wake = WakeUp::sync();
    assert_eq!(sender.send(&web_push("http://push.example.net/x", &p256dh, &auth), &wake).await, Outcome::Gone);
    Ok(())
}

#[tokio::test]
async fn bad_tokens_are_refused_and_unconfigured_kinds_are_not_offered() -> TestResult {
    let apns_key = new_key()?.to_pkcs8_pem(LineEnding::LF)?;
    let apns = ApnsConfig::new("TEAM123456", "KEY1234567", &apns_key, "org.alongside.app", APNS_SANDBOX)?;
    let sender = Sender::new(WakeConfig { apns: Some(apns), ..WakeConfig::default() })?;
    let apns = |token: &str| code(&sender, &Registration::Apns { device_token: token.to_owned() });
    assert_eq!(apns(&"ab".repeat(32)), "accepted");
    assert_eq!(apns(""), "token_invalid");
    assert_eq!(apns("zz"), "token_invalid");
    assert_eq!(apns("../../3/device/00"), "token_invalid");
    assert_eq!(apns(&"a".repeat(5000)), "token_too_long");

    // FCM is not configured here: refused, and a stored one is not dropped.
    let fcm = Registration::Fcm { token: "abc".to_owned() };
    assert_eq!(code(&sender, &fcm), "kind_not_offered");
    assert!(matches!(sender.send(&fcm, &WakeUp::sync()).await, Outcome::Failed { .. }));

    let bare = Sender::new(WakeConfig::default())?;
    let fcm = |token: &str| bare.check(&Registration::Fcm { token: token.to_owned() }).err().map(|e| e.code());
    assert_eq!(fcm("abc"), Some("kind_not_offered"));
    assert_eq!(fcm("a b"), Some("token_invalid"));
    assert_eq!(fcm("a\n"), Some("token_invalid"));
    assert_eq!(fcm(&"a".repeat(5000)), Some("token_too_long"));
    Ok(())
}

#[test]
fn logs_show_no_token_key_or_endpoint_path() -> TestResult {
    let shown = format!("{:?}", web_push("https://push.example.net/secret-path", "p256dh-value", "auth-value"));
    assert!(shown.contains("push.example.net") && !shown.contains("secret") && !shown.contains("value"), "{shown}");
    let shown = format!("{:?}", Registration::Fcm { token: "secret-token".to_owned() });
    assert!(!shown.contains("secret"), "{shown}");
    let key = new_key()?;
    let vapid = VapidKey::parse(&URL_SAFE_NO_PAD.encode(key.to_bytes()))?;
    let shown = format!("{:?}", vapid);
    assert!(!shown.contains(&URL_SAFE_NO_PAD.encode(key.to_bytes())), "{shown}");
    Ok(())
}

#[test]
fn collapse_keys_are_words_not_ids() {
    assert_eq!(WakeUp::sync().collapse_key.as_str(), "sync");
    assert_eq!(WakeUp::reach_out().collapse_key.as_str(), "reach_out");
    assert!(CollapseKey::new("goal_changed").is_ok());
    for bad in ["", "Sync", "user42", "0190a1b2c3d4e5f6a7b8c9d0e1f2a3b4", "a-b", &"a".repeat(33)] {
        assert!(CollapseKey::new(bad).is_err(), "{bad}");
    }
}

#[test]
fn bad_configuration_is_refused_with_a_code() -> TestResult {
    let pem = new_key()?.to_pkcs8_pem(LineEnding::LF)?;
    let raw = new_key()?.to_bytes();
    assert_eq!(VapidKey::parse("garbage").err().map(|e| e.code()), Some("vapid_key_invalid"));
    assert_eq!(VapidKey::parse(&URL_SAFE_NO_PAD.encode([0_u8; 32])).err(), Some(ConfigError::VapidKey));
    assert!(VapidKey::parse(&pem).is_ok() && VapidKey::parse(&URL_SAFE_NO_PAD.encode(raw)).is_ok());
    let key = VapidKey::parse(&pem)?;
    assert_eq!(VapidConfig::new(key.clone(), "http://ops.example").err(), Some(ConfigError::VapidSubject));
    assert!(VapidConfig::new(key, "https://alongside.example/contact").is_ok());

    assert_eq!(ServiceAccount::from_json("{}").err(), Some(ConfigError::ServiceAccount));
    let account = serde_json::json!({"project_id": "p", "client_email": "e@x", "private_key": pem.as_str(), "token_uri": "https://t"});
    assert_eq!(ServiceAccount::from_json(&account.to_string()).err(), Some(ConfigError::ServiceAccountKey));

    let apns = |team: &str, key: &str, topic: &str| ApnsConfig::new(team, "KEY1234567", key, topic, APNS_SANDBOX).err();
    assert_eq!(apns("short", &pem, "org.a"), Some(ConfigError::ApnsField { field: "team id" }));
    assert_eq!(apns("TEAM123456", "not a key", "org.a"), Some(ConfigError::ApnsKey));
    assert_eq!(apns("TEAM123456", &pem, "org/a"), Some(ConfigError::ApnsField { field: "topic" }));

    let with = |config: WakeConfig| Sender::new(config).err().map(|e| e.code());
    let insecure = |origin: &str| WakeConfig { insecure_origins: vec![origin.to_owned()], ..WakeConfig::default() };
    assert_eq!(with(insecure("http://example.com")), Some("insecure_origin_invalid"));
    assert_eq!(with(insecure("http://127.0.0.1:9/path")), Some("insecure_origin_invalid"));
    assert_eq!(with(insecure("http://127.0.0.1:9")), None);
    let plain_apns = ApnsConfig::new("TEAM123456", "KEY1234567", &pem, "org.a", "http://apns.example")?;
    assert_eq!(with(WakeConfig { apns: Some(plain_apns), ..WakeConfig::default() }), Some("service_url_invalid"));
    assert_eq!(with(WakeConfig { timeout: Duration::ZERO, ..WakeConfig::default() }), Some("timeout_invalid"));
    Ok(())
}

#[test]
fn configuration_is_read_from_the_environment() -> TestResult {
    let dir = tempfile::tempdir()?;
    let p8 = dir.path().join("AuthKey.p8");
    std::fs::write(&p8, new_key()?.to_pkcs8_pem(LineEnding::LF)?.as_bytes())?;
    let raw = URL_SAFE_NO_PAD.encode(new_key()?.to_bytes());
    let vars = HashMap::from([
        ("ALONGSIDE_WAKE_VAPID_PRIVATE_KEY", raw.clone()),
        ("ALONGSIDE_WAKE_VAPID_SUBJECT", "mailto:ops@alongside.example".to_owned()),
        ("ALONGSIDE_WAKE_APNS_TEAM_ID", "TEAM123456".to_owned()),
        ("ALONGSIDE_WAKE_APNS_KEY_ID", "KEY1234567".to_owned()),
        ("ALONGSIDE_WAKE_APNS_PRIVATE_KEY_FILE", p8.display().to_string()),
        ("ALONGSIDE_WAKE_APNS_TOPIC", "org.alongside.app".to_owned()),
        ("ALONGSIDE_WAKE_APNS_ENVIRONMENT", "sandbox".to_owned()),
        ("ALONGSIDE_WAKE_TIMEOUT_MS", "1500".to_owned()),
    ]);
    let read = |vars: &HashMap<&str, String>| WakeConfig::from_vars(|name| vars.get(name).cloned());
    let config = read(&vars)?;
    assert_eq!(config.apns.as_ref().map(|apns| apns.base_url.as_str()), Some(APNS_SANDBOX));
    assert_eq!(config.timeout, Duration::from_millis(1500));
    assert!(config.vapid.is_some() && config.fcm.is_none());
    assert!(Sender::new(config).is_ok());

    let mut half = vars.clone();
    half.remove("ALONGSIDE_WAKE_APNS_TOPIC");
    assert_eq!(read(&half).err(), Some(ConfigError::Incomplete { service: "APNs" }));
    let mut missing = vars.clone();
    missing.insert("ALONGSIDE_WAKE_FCM_SERVICE_ACCOUNT_FILE", dir.path().join("none.json").display().to_string());
    assert_eq!(read(&missing).err(), Some(ConfigError::Unreadable { variable: "ALONGSIDE_WAKE_FCM_SERVICE_ACCOUNT_FILE" }));
    let mut slow = vars;
    slow.insert("ALONGSIDE_WAKE_TIMEOUT_MS", "0".to_owned());
    assert_eq!(read(&slow).err(), Some(ConfigError::Timeout));
    Ok(())
}

#[tokio::test]
async fn a_service_that_never_answers_fails_within_the_timeout() -> TestResult {
    let (origin, listener) = silent_listener().await?;
    let timeout = Duration::from_millis(800);
    let apns_key = new_key()?.to_pkcs8_pem(LineEnding::LF)?;
    let apns = ApnsConfig::new("TEAM123456", "KEY1234567", &apns_key, "org.alongside.app", &origin)?;
    let config =
        WakeConfig { vapid: Some(vapid()?), apns: Some(apns), timeout, insecure_origins: vec![origin.clone()], ..Default::default() };
    let sender = Sender::new(config)?;
    let (p256dh, auth) = device_keys()?;
    let registrations = [web_push(&format!("{origin}/push/1"), &p256dh, &auth), Registration::Apns { device_token: "ab".repeat(32) }];
    for registration in &registrations {
        let started = Instant::now();
        let outcome = sender.send(registration, &WakeUp::reach_out()).await;
        let Outcome::Failed { reason, retry_after: None } = &outcome else { panic!("{outcome:?}") };
        assert!(reason.ends_with("timed out"), "{reason}");
        assert!(!reason.contains("127.0.0.1"), "the reason names no endpoint: {reason}");
        assert!(started.elapsed() < timeout + Duration::from_secs(2), "{:?}", started.elapsed());
    }
    listener.abort();
    Ok(())
}
