//! [`WakeConfig`] from environment variables (listed in the module doc of `wake`).

use std::time::Duration;

use super::config::{APNS_PRODUCTION, APNS_SANDBOX, FCM_DEFAULT_BASE};
use super::{ApnsConfig, ConfigError, FcmConfig, ServiceAccount, VapidConfig, VapidKey, WakeConfig};

const VAPID_PRIVATE_KEY: &str = "ALONGSIDE_WAKE_VAPID_PRIVATE_KEY";
const VAPID_SUBJECT: &str = "ALONGSIDE_WAKE_VAPID_SUBJECT";
const FCM_SERVICE_ACCOUNT_FILE: &str = "ALONGSIDE_WAKE_FCM_SERVICE_ACCOUNT_FILE";
const FCM_BASE_URL: &str = "ALONGSIDE_WAKE_FCM_BASE_URL";
const APNS_TEAM_ID: &str = "ALONGSIDE_WAKE_APNS_TEAM_ID";
const APNS_KEY_ID: &str = "ALONGSIDE_WAKE_APNS_KEY_ID";
const APNS_PRIVATE_KEY_FILE: &str = "ALONGSIDE_WAKE_APNS_PRIVATE_KEY_FILE";
const APNS_TOPIC: &str = "ALONGSIDE_WAKE_APNS_TOPIC";
const APNS_ENVIRONMENT: &str = "ALONGSIDE_WAKE_APNS_ENVIRONMENT";
const APNS_BASE_URL: &str = "ALONGSIDE_WAKE_APNS_BASE_URL";
const TIMEOUT_MS: &str = "ALONGSIDE_WAKE_TIMEOUT_MS";
const INSECURE_ORIGINS: &str = "ALONGSIDE_WAKE_INSECURE_ORIGINS";

impl WakeConfig {
    /// Reads the process's environment; a service is on when its variables are set.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// [`WakeConfig::from_env`] over any source of variables.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &str| var(name).map(|value| value.trim().to_owned()).filter(|value| !value.is_empty());
        let vapid = match (get(VAPID_PRIVATE_KEY), get(VAPID_SUBJECT)) {
            (Some(key), Some(subject)) => Some(VapidConfig::new(VapidKey::parse(&key)?, &subject)?),
            (None, None) => None,
            _ => return Err(ConfigError::Incomplete { service: "Web Push" }),
        };

        let fcm = match get(FCM_SERVICE_ACCOUNT_FILE) {
            Some(path) => Some(FcmConfig {
                account: ServiceAccount::from_json(&read(&path, FCM_SERVICE_ACCOUNT_FILE)?)?,
                base_url: get(FCM_BASE_URL).unwrap_or_else(|| FCM_DEFAULT_BASE.to_owned()),
            }),
            None if get(FCM_BASE_URL).is_some() => return Err(ConfigError::Incomplete { service: "FCM" }),
            None => None,
        };

        let apns = [APNS_TEAM_ID, APNS_KEY_ID, APNS_PRIVATE_KEY_FILE, APNS_TOPIC].map(get);
        let apns = match apns {
            [Some(team_id), Some(key_id), Some(path), Some(topic)] => {
                let base_url = match (get(APNS_BASE_URL), get(APNS_ENVIRONMENT).as_deref()) {
                    (Some(url), _) => url,
                    (None, None | Some("production")) => APNS_PRODUCTION.to_owned(),
                    (None, Some("sandbox")) => APNS_SANDBOX.to_owned(),
                    (None, Some(_)) => return Err(ConfigError::ApnsField { field: "environment" }),
                };
                let key = read(&path, APNS_PRIVATE_KEY_FILE)?;
                Some(ApnsConfig::new(&team_id, &key_id, &key, &topic, &base_url)?)
            }
            [None, None, None, None] => None,
            _ => return Err(ConfigError::Incomplete { service: "APNs" }),
        };

        let timeout = match get(TIMEOUT_MS) {
            Some(ms) => Duration::from_millis(ms.parse::<u64>().ok().filter(|ms| *ms > 0).ok_or(ConfigError::Timeout)?),
            None => WakeConfig::default().timeout,
        };
        let insecure_origins = get(INSECURE_ORIGINS)
            .map(|origins| origins.split(',').map(str::trim).filter(|origin| !origin.is_empty()).map(str::to_owned).collect())
            .unwrap_or_default();
        Ok(WakeConfig { vapid, fcm, apns, timeout, insecure_origins })
    }
}

fn read(path: &str, variable: &'static str) -> Result<String, ConfigError> {
    std::fs::read_to_string(path).map_err(|_| ConfigError::Unreadable { variable })
}
