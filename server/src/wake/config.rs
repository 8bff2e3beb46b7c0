//! The services' configuration, from code or from environment variables
//! (named in the module doc of `wake`).

use std::fmt;
use std::net::IpAddr;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::Url;
use serde::Deserialize;

use super::jwt::SigningKey;

pub const APNS_PRODUCTION: &str = "https://api.push.apple.com";
pub const APNS_SANDBOX: &str = "https://api.sandbox.push.apple.com";
pub const FCM_DEFAULT_BASE: &str = "https://fcm.googleapis.com";

/// Why the configuration is refused. [`ConfigError::code`] is stable; no
/// message repeats a key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("the VAPID key is not a P-256 private key (PEM, or base64url of 32 bytes)")]
    VapidKey,
    #[error("the VAPID subject is not a mailto: or https: URI")]
    VapidSubject,
    #[error("the FCM service account is not JSON with project_id, client_email, private_key and token_uri")]
    ServiceAccount,
    #[error("the FCM service account's private key is not an RSA key in PEM")]
    ServiceAccountKey,
    #[error("the APNs key is not a P-256 private key in PEM (.p8)")]
    ApnsKey,
    #[error("the APNs {field} is not valid")]
    ApnsField { field: &'static str },
    #[error("the {field} URL is neither https nor an allowed loopback origin")]
    ServiceUrl { field: &'static str },
    #[error("an insecure origin is not an http:// origin on a loopback address")]
    InsecureOrigin,
    #[error("{service} is half configured: set all of its variables or none")]
    Incomplete { service: &'static str },
    #[error("the file named by {variable} cannot be read")]
    Unreadable { variable: &'static str },
    #[error("the timeout is not a positive number of milliseconds")]
    Timeout,
    #[error("the HTTP client cannot be built")]
    HttpClient,
}

impl ConfigError {
    pub fn code(&self) -> &'static str {
        match self {
            ConfigError::VapidKey => "vapid_key_invalid",
            ConfigError::VapidSubject => "vapid_subject_invalid",
            ConfigError::ServiceAccount => "service_account_invalid",
            ConfigError::ServiceAccountKey => "service_account_key_invalid",
            ConfigError::ApnsKey => "apns_key_invalid",
            ConfigError::ApnsField { .. } => "apns_field_invalid",
            ConfigError::ServiceUrl { .. } => "service_url_invalid",
            ConfigError::InsecureOrigin => "insecure_origin_invalid",
            ConfigError::Incomplete { .. } => "incomplete",
            ConfigError::Unreadable { .. } => "file_unreadable",
            ConfigError::Timeout => "timeout_invalid",
            ConfigError::HttpClient => "http_client",
        }
    }
}

/// Which services are on, and how to reach them.
#[derive(Debug, Clone)]
pub struct WakeConfig {
    pub vapid: Option<VapidConfig>,
    pub fcm: Option<FcmConfig>,
    pub apns: Option<ApnsConfig>,
    /// Each request's limit (connect and answer).
    pub timeout: Duration,
    /// `http://` origins on loopback allowed in place of https: the tests'
    /// stand-ins for the services. Empty in production.
    pub insecure_origins: Vec<String>,
}

impl WakeConfig {
    /// Whether any push service is configured.
    pub fn is_configured(&self) -> bool {
        self.vapid.is_some() || self.fcm.is_some() || self.apns.is_some()
    }
}

impl Default for WakeConfig {
    fn default() -> Self {
        WakeConfig { vapid: None, fcm: None, apns: None, timeout: Duration::from_secs(5), insecure_origins: Vec::new() }
    }
}

/// The server's VAPID key pair (RFC 8292).
#[derive(Clone)]
pub struct VapidKey {
    pub(super) signing: SigningKey,
    public: String,
}

impl VapidKey {
    /// PEM (SEC1 or PKCS#8), or base64url of the 32-byte private scalar.
    pub fn parse(text: &str) -> Result<Self, ConfigError> {
        let text = text.trim();
        let secret = if text.starts_with("-----BEGIN") {
            p256::SecretKey::from_pem(text).ok()
        } else {
            URL_SAFE_NO_PAD.decode(text.trim_end_matches('=')).ok().and_then(|raw| p256::SecretKey::from_slice(&raw).ok())
        };
        let secret = secret.ok_or(ConfigError::VapidKey)?;
        let public = URL_SAFE_NO_PAD.encode(secret.public_key().to_sec1_bytes());
        Ok(VapidKey { signing: SigningKey::es256(&secret).ok_or(ConfigError::VapidKey)?, public })
    }

    /// The public key, uncompressed and base64url: the `applicationServerKey`
    /// a device subscribes with, and VAPID's `k`.
    pub fn public_key(&self) -> &str {
        &self.public
    }
}

impl fmt::Debug for VapidKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VapidKey").field("public", &self.public).finish_non_exhaustive()
    }
}

#[derive(Debug, Clone)]
pub struct VapidConfig {
    pub key: VapidKey,
    /// `mailto:` or `https:`, for push services to reach the operator.
    pub subject: String,
}

impl VapidConfig {
    pub fn new(key: VapidKey, subject: &str) -> Result<Self, ConfigError> {
        let scheme_fits = subject.starts_with("mailto:") || subject.starts_with("https:");
        if !scheme_fits || subject.len() > 256 || Url::parse(subject).is_err() {
            return Err(ConfigError::VapidSubject);
        }
        Ok(VapidConfig { key, subject: subject.to_owned() })
    }
}

/// A Google service account (the JSON its console hands out).
#[derive(Clone)]
pub struct ServiceAccount {
    pub project_id: String,
    pub client_email: String,
    pub private_key_id: Option<String>,
    pub token_uri: String,
    pub(super) key: SigningKey,
}

impl ServiceAccount {
    pub fn from_json(text: &str) -> Result<Self, ConfigError> {
        #[derive(Deserialize)]
        struct Json {
            project_id: String,
            client_email: String,
            private_key_id: Option<String>,
            private_key: String,
            token_uri: String,
        }
        let json: Json = serde_json::from_str(text).map_err(|_| ConfigError::ServiceAccount)?;
        // The project id goes into the send URL's path.
        let id_fits = (1..=100).contains(&json.project_id.len())
            && json.project_id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'.' | b':'));
        if !id_fits || json.client_email.is_empty() {
            return Err(ConfigError::ServiceAccount);
        }
        let key = SigningKey::rs256_pem(&json.private_key).ok_or(ConfigError::ServiceAccountKey)?;
        Ok(ServiceAccount {
            project_id: json.project_id,
            client_email: json.client_email,
            private_key_id: json.private_key_id,
            token_uri: json.token_uri,
            key,
        })
    }
}

impl fmt::Debug for ServiceAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceAccount").field("project_id", &self.project_id).finish_non_exhaustive()
    }
}

#[derive(Debug, Clone)]
pub struct FcmConfig {
    pub account: ServiceAccount,
    /// `https://fcm.googleapis.com`, or a test's stand-in.
    pub base_url: String,
}

/// APNs with token-based auth.
#[derive(Debug, Clone)]
pub struct ApnsConfig {
    pub team_id: String,
    pub key_id: String,
    /// The app's bundle id (`apns-topic`).
    pub topic: String,
    /// [`APNS_PRODUCTION`], [`APNS_SANDBOX`], or a test's stand-in.
    pub base_url: String,
    pub(super) key: SigningKey,
}

impl ApnsConfig {
    pub fn new(team_id: &str, key_id: &str, p8_pem: &str, topic: &str, base_url: &str) -> Result<Self, ConfigError> {
        let ten_alphanumerics = |id: &str| id.len() == 10 && id.bytes().all(|b| b.is_ascii_alphanumeric());
        if !ten_alphanumerics(team_id) {
            return Err(ConfigError::ApnsField { field: "team id" });
        }
        if !ten_alphanumerics(key_id) {
            return Err(ConfigError::ApnsField { field: "key id" });
        }
        let topic_fits =
            (1..=255).contains(&topic.len()) && topic.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
        if !topic_fits {
            return Err(ConfigError::ApnsField { field: "topic" });
        }
        let secret = p256::SecretKey::from_pem(p8_pem.trim()).map_err(|_| ConfigError::ApnsKey)?;
        Ok(ApnsConfig {
            team_id: team_id.to_owned(),
            key_id: key_id.to_owned(),
            topic: topic.to_owned(),
            base_url: base_url.to_owned(),
            key: SigningKey::es256(&secret).ok_or(ConfigError::ApnsKey)?,
        })
    }
}

/// The loopback origins allowed without TLS, and the check every URL passes.
#[derive(Debug, Clone, Default)]
pub(super) struct Origins(Vec<String>);

impl Origins {
    pub fn new(list: &[String]) -> Result<Self, ConfigError> {
        let mut origins = Vec::new();
        for text in list {
            let url = Url::parse(text).map_err(|_| ConfigError::InsecureOrigin)?;
            let loopback = match url.host() {
                Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
                Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
                Some(url::Host::Domain(name)) => name == "localhost",
                None => false,
            };
            if url.scheme() != "http" || !loopback || url.path() != "/" || url.query().is_some() {
                return Err(ConfigError::InsecureOrigin);
            }
            origins.push(url.origin().ascii_serialization());
        }
        Ok(Origins(origins))
    }

    /// The host names of the allowed origins (`localhost`), resolved to loopback as they are.
    pub fn hosts(&self) -> Vec<String> {
        self.0.iter().filter_map(|origin| Url::parse(origin).ok()?.host_str().map(str::to_owned)).collect()
    }

    /// Whether `url` is plain http to one of the allowed origins.
    pub fn allows(&self, url: &Url) -> bool {
        url.scheme() == "http" && self.0.contains(&url.origin().ascii_serialization())
    }

    /// A service's URL from configuration: https, or an allowed origin.
    pub fn service_url(&self, text: &str, field: &'static str) -> Result<Url, ConfigError> {
        let url = Url::parse(text).map_err(|_| ConfigError::ServiceUrl { field })?;
        if url.scheme() == "https" && url.host().is_some() || self.allows(&url) { Ok(url) } else { Err(ConfigError::ServiceUrl { field }) }
    }
}
