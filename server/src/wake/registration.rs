//! A device's push registration, as it sends it, and the checks of every
//! byte of it before the server sends anything anywhere.

use std::net::IpAddr;

use base64::Engine;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use reqwest::Url;

pub use alongside_protocol::push::Registration;

use super::config::Origins;
use super::public_address::is_public;

/// Why a registration is refused. [`RegistrationError::code`] is stable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegistrationError {
    #[error("the endpoint is longer than {ENDPOINT_LIMIT} bytes")]
    EndpointTooLong,
    #[error("the endpoint is not an absolute URL with a host, without credentials or fragment")]
    EndpointInvalid,
    #[error("the endpoint is not https")]
    EndpointNotHttps,
    #[error("the endpoint's host is a loopback, private or local address")]
    EndpointNotPublic,
    #[error("{field} is not base64url")]
    KeyNotBase64url { field: &'static str },
    #[error("{field} is not {expected} bytes")]
    KeyWrongLength { field: &'static str, expected: usize },
    #[error("p256dh is not a point on P-256")]
    KeyNotOnCurve,
    #[error("the token is empty or has characters a token never has")]
    TokenInvalid,
    #[error("the token is longer than {TOKEN_LIMIT} bytes")]
    TokenTooLong,
    #[error("this server sends no pushes of this kind")]
    KindNotOffered,
}

impl RegistrationError {
    pub fn code(&self) -> &'static str {
        match self {
            RegistrationError::EndpointTooLong => "endpoint_too_long",
            RegistrationError::EndpointInvalid => "endpoint_invalid",
            RegistrationError::EndpointNotHttps => "endpoint_not_https",
            RegistrationError::EndpointNotPublic => "endpoint_not_public",
            RegistrationError::KeyNotBase64url { .. } => "key_not_base64url",
            RegistrationError::KeyWrongLength { .. } => "key_wrong_length",
            RegistrationError::KeyNotOnCurve => "key_not_on_curve",
            RegistrationError::TokenInvalid => "token_invalid",
            RegistrationError::TokenTooLong => "token_too_long",
            RegistrationError::KindNotOffered => "kind_not_offered",
        }
    }

    /// The field of the registration at fault, for the API's error body.
    pub fn field(&self) -> &'static str {
        match self {
            RegistrationError::EndpointTooLong
            | RegistrationError::EndpointInvalid
            | RegistrationError::EndpointNotHttps
            | RegistrationError::EndpointNotPublic => "endpoint",
            RegistrationError::KeyNotBase64url { field } | RegistrationError::KeyWrongLength { field, .. } => field,
            RegistrationError::KeyNotOnCurve => "p256dh",
            RegistrationError::TokenInvalid | RegistrationError::TokenTooLong => "token",
            RegistrationError::KindNotOffered => "kind",
        }
    }
}

/// Push services' endpoints run to a few hundred bytes.
const ENDPOINT_LIMIT: usize = 2048;
/// FCM tokens run to about 160 bytes, APNs tokens to 64 hex digits (Apple
/// warns they may grow).
const TOKEN_LIMIT: usize = 1024;

/// A Web Push subscription's keys, decoded and checked.
pub(super) struct WebPushKeys {
    pub p256dh: p256::PublicKey,
    pub auth: [u8; 16],
}

/// A registration that passed every check.
pub(super) enum Target<'r> {
    WebPush { endpoint: Url, keys: WebPushKeys },
    Fcm { token: &'r str },
    Apns { device_token: &'r str },
}

/// Checks every byte of `registration`: where and how it can be sent to.
pub(super) fn parse<'r>(registration: &'r Registration, origins: &Origins) -> Result<Target<'r>, RegistrationError> {
    match registration {
        Registration::WebPush { endpoint, p256dh, auth } => {
            let endpoint = endpoint_url(endpoint, origins)?;
            let p256dh: [u8; 65] = decode_exact(p256dh, "p256dh")?;
            // Uncompressed (0x04) only: RFC 8291 §3.1 fixes that form for key_info.
            if p256dh[0] != 4 {
                return Err(RegistrationError::KeyNotOnCurve);
            }
            let p256dh = p256::PublicKey::from_sec1_bytes(&p256dh).map_err(|_| RegistrationError::KeyNotOnCurve)?;
            let auth = decode_exact(auth, "auth")?;
            Ok(Target::WebPush { endpoint, keys: WebPushKeys { p256dh, auth } })
        }
        // FCM tokens: letters, digits, `-`, `_` and `:`.
        Registration::Fcm { token } => {
            check_token(token, |b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':'))?;
            Ok(Target::Fcm { token })
        }
        // APNs device tokens: hex, and they go into the request's path.
        Registration::Apns { device_token } => {
            check_token(device_token, |b| b.is_ascii_hexdigit())?;
            Ok(Target::Apns { device_token })
        }
    }
}

fn check_token(token: &str, allowed: impl Fn(u8) -> bool) -> Result<(), RegistrationError> {
    if token.len() > TOKEN_LIMIT {
        return Err(RegistrationError::TokenTooLong);
    }
    if token.is_empty() || !token.bytes().all(allowed) {
        return Err(RegistrationError::TokenInvalid);
    }
    Ok(())
}

fn endpoint_url(endpoint: &str, origins: &Origins) -> Result<Url, RegistrationError> {
    if endpoint.len() > ENDPOINT_LIMIT {
        return Err(RegistrationError::EndpointTooLong);
    }
    let url = Url::parse(endpoint).map_err(|_| RegistrationError::EndpointInvalid)?;
    let clean = url.host().is_some() && url.username().is_empty() && url.password().is_none() && url.fragment().is_none();
    if !clean {
        return Err(RegistrationError::EndpointInvalid);
    }
    if origins.allows(&url) {
        return Ok(url);
    }
    if url.scheme() != "https" {
        return Err(RegistrationError::EndpointNotHttps);
    }
    // The server posts wherever a device says: not into its own network.
    // (A name that resolves to a private address is refused when connecting:
    // public_address.rs.)
    let local = match url.host() {
        Some(url::Host::Domain(name)) => name == "localhost" || name.ends_with(".localhost"),
        Some(url::Host::Ipv4(ip)) => !is_public(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => !is_public(IpAddr::V6(ip)),
        None => true,
    };
    if local { Err(RegistrationError::EndpointNotPublic) } else { Ok(url) }
}

/// base64url, padded or not (browsers differ), of exactly `N` bytes.
fn decode_exact<const N: usize>(text: &str, field: &'static str) -> Result<[u8; N], RegistrationError> {
    const LENIENT: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::URL_SAFE,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    // Longer text cannot be N bytes; refuse it before decoding anything.
    if text.len() > N.div_ceil(3) * 4 {
        return Err(RegistrationError::KeyWrongLength { field, expected: N });
    }
    let bytes = LENIENT.decode(text).map_err(|_| RegistrationError::KeyNotBase64url { field })?;
    bytes.try_into().map_err(|_| RegistrationError::KeyWrongLength { field, expected: N })
}
