//! FCM HTTP v1: an OAuth 2.0 access token from the service account (a JWT
//! bearer grant, RFC 7523), kept until shortly before it expires, then
//! `POST {base}/v1/projects/{project}/messages:send` with a data-only message.

use std::time::{Duration, Instant};

use reqwest::Url;
use serde::Deserialize;
use tokio::sync::Mutex;

use super::config::Origins;
use super::http::{self, Answer, unix_now};
use super::{ConfigError, FcmConfig, Outcome, ServiceAccount, TIME_TO_LIVE, Urgency, WakeUp};

const SCOPE: &str = "https://www.googleapis.com/auth/firebase.messaging";
const GRANT_TYPE: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";
/// The grant's JWT may ask for at most an hour.
const ASSERTION_LIFETIME_SECS: u64 = 60 * 60;
/// An access token is replaced this long before Google says it expires.
const REFRESH_EARLY: Duration = Duration::from_secs(5 * 60);

#[derive(Debug)]
pub(super) struct Fcm {
    account: ServiceAccount,
    token_url: Url,
    send_url: Url,
    /// Held across a refresh, so concurrent sends wait for one token request
    /// rather than each making their own.
    access: Mutex<Option<Access>>,
}

struct Access {
    token: String,
    until: Instant,
}

impl std::fmt::Debug for Access {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Access").field("until", &self.until).finish_non_exhaustive()
    }
}

impl Fcm {
    pub fn new(config: FcmConfig, origins: &Origins) -> Result<Self, ConfigError> {
        let token_url = origins.service_url(&config.account.token_uri, "FCM token_uri")?;
        let base = origins.service_url(&config.base_url, "FCM base")?;
        let send = format!("{}/v1/projects/{}/messages:send", base.as_str().trim_end_matches('/'), config.account.project_id);
        let send_url = Url::parse(&send).map_err(|_| ConfigError::ServiceUrl { field: "FCM base" })?;
        Ok(Fcm { account: config.account, token_url, send_url, access: Mutex::new(None) })
    }

    pub async fn send(&self, client: &reqwest::Client, token: &str, wake: &WakeUp) -> Outcome {
        let access = match self.access_token(client).await {
            Ok(access) => access,
            Err(outcome) => return outcome,
        };
        let data = wake.payload();
        let priority = match wake.urgency {
            Urgency::High => "HIGH",
            Urgency::Normal => "NORMAL",
        };
        // Data only: the app builds any notification from its own store.
        let message = serde_json::json!({"message": {
            "token": token,
            "data": data,
            "android": {
                "priority": priority,
                "collapse_key": wake.collapse_key.as_str(),
                "ttl": format!("{}s", TIME_TO_LIVE.as_secs()),
            },
        }});
        let sent = client.post(self.send_url.clone()).bearer_auth(access).json(&message).send().await;
        let answer = match http::answer("fcm", sent).await {
            Ok(answer) => answer,
            Err(outcome) => return outcome,
        };
        if answer.status == reqwest::StatusCode::UNAUTHORIZED {
            // The token was refused: the next send asks for a new one.
            *self.access.lock().await = None;
        }
        let error = FcmError::read(&answer);
        if error.about_the_token() {
            return Outcome::Gone;
        }
        http::outcome("fcm", &answer, error.code().and_then(http::code_word))
    }

    async fn access_token(&self, client: &reqwest::Client) -> Result<String, Outcome> {
        let mut cached = self.access.lock().await;
        if let Some(access) = cached.as_ref().filter(|access| access.until > Instant::now()) {
            return Ok(access.token.clone());
        }
        let now = unix_now();
        let claims = serde_json::json!({
            "iss": self.account.client_email,
            "scope": SCOPE,
            "aud": self.account.token_uri,
            "iat": now,
            "exp": now + ASSERTION_LIFETIME_SECS,
        });
        let kid = self.account.private_key_id.as_deref();
        let assertion = self.account.key.sign(kid, true, &claims).ok_or_else(|| Outcome::failed("fcm: could not sign"))?;
        let form = [("grant_type", GRANT_TYPE), ("assertion", assertion.as_str())];
        let answer = http::answer("fcm token", client.post(self.token_url.clone()).form(&form).send().await).await?;
        if !answer.status.is_success() {
            let retry_after = http::retry_after(&answer.headers, std::time::SystemTime::now());
            return Err(Outcome::Failed { retry_after, reason: format!("fcm token: status {}", answer.status.as_u16()) });
        }
        #[derive(Deserialize)]
        struct Granted {
            access_token: String,
            expires_in: u64,
        }
        let granted: Granted = serde_json::from_slice(&answer.body).map_err(|_| Outcome::failed("fcm token: the answer is not a token"))?;
        let lifetime = Duration::from_secs(granted.expires_in).saturating_sub(REFRESH_EARLY);
        *cached = Some(Access { token: granted.access_token.clone(), until: Instant::now() + lifetime });
        Ok(granted.access_token)
    }
}

/// FCM's error body (google.rpc.Status with FCM's details), as far as it is read.
#[derive(Debug, Default, Deserialize)]
struct FcmError {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    details: Vec<Detail>,
}

#[derive(Debug, Deserialize)]
struct Detail {
    #[serde(rename = "errorCode", default)]
    error_code: Option<String>,
    #[serde(rename = "fieldViolations", default)]
    field_violations: Vec<FieldViolation>,
}

#[derive(Debug, Deserialize)]
struct FieldViolation {
    #[serde(default)]
    field: Option<String>,
}

impl FcmError {
    fn read(answer: &Answer) -> Self {
        #[derive(Deserialize)]
        struct Body {
            error: FcmError,
        }
        serde_json::from_slice::<Body>(&answer.body).map(|body| body.error).unwrap_or_default()
    }

    /// FCM's own code (UNREGISTERED, QUOTA_EXCEEDED…), else the RPC status.
    fn code(&self) -> Option<&str> {
        self.details.iter().find_map(|detail| detail.error_code.as_deref()).or(self.status.as_deref())
    }

    /// UNREGISTERED, or INVALID_ARGUMENT that names the token: the token is
    /// no good. (INVALID_ARGUMENT about anything else is this server's fault.)
    fn about_the_token(&self) -> bool {
        if self.code() == Some("UNREGISTERED") {
            return true;
        }
        let invalid = self.status.as_deref() == Some("INVALID_ARGUMENT") || self.code() == Some("INVALID_ARGUMENT");
        let names_token =
            self.details.iter().flat_map(|detail| &detail.field_violations).any(|v| v.field.as_deref() == Some("message.token"))
                || self.message.as_deref().is_some_and(|message| message.contains("registration token"));
        invalid && names_token
    }
}
