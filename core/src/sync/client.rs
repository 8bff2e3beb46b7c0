//! HTTP for PROTOCOL.md: login, logout, push, pull. Every request has a
//! connect timeout and a whole-request timeout, so a server that hangs is an
//! error like any other, and the outbox keeps every change.

use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::{Method, RequestBuilder};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::accounts::{EraseRequest, ErasureResponse, PasswordChangeRequest, PasswordChangeResponse, PasswordResetRequest};
use crate::care::ContactRequest;
use crate::change::Change;
use crate::codes::ErrorCode;
use crate::devices::{DevicesResponse, RevokeRequest};
use crate::protocol::{
    AuditResponse, ErrorBody, ErrorEnvelope, InviteRequest, InviteResponse, LoginRequest, LoginResponse, MeResponse, PullResponse,
    PushRequest, PushResponse, RegisterRequest,
};
use crate::push::{Offered, Registration};

/// Why a sync request did not go through.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SyncError {
    /// No connection, a reset, or no answer in time. Try again later.
    #[error("offline: {0}")]
    Offline(String),
    /// The server answered with the protocol's error body; `field` is the
    /// one field of the request at fault, when the server named one.
    #[error("the server answered {status} {code}: {message}")]
    Server { status: u16, code: ErrorCode, message: String, field: Option<String>, retry_after: Option<Duration> },
    /// An HTTP error without the protocol's error body: a captive portal, a
    /// proxy, a load balancer. It says nothing about any change, so no change
    /// is set aside for it; the pass fails and is tried again.
    #[error("HTTP {status} from something other than the sync server")]
    Http { status: u16, retry_after: Option<Duration> },
    /// The server's answer made no sense (cut short, not JSON, wrong shape).
    #[error("the server's answer could not be read: {0}")]
    Protocol(String),
    /// There is no sign-in on this device. (A sign-in the server no longer
    /// accepts comes back as `Server` with status 401.)
    #[error("not signed in")]
    NotSignedIn,
    /// The local store failed.
    #[error("{0}")]
    Store(String),
}

impl SyncError {
    /// The server says this device was signed out with a wipe.
    pub fn is_wiped(&self) -> bool {
        matches!(self, SyncError::Server { code: ErrorCode::DeviceWiped, .. })
    }
}

impl From<crate::Error> for SyncError {
    fn from(error: crate::Error) -> Self {
        SyncError::Store(error.to_string())
    }
}

/// How long to wait for a connection and for a whole request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    pub connect: Duration,
    pub request: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts { connect: Duration::from_secs(10), request: Duration::from_secs(30) }
    }
}

/// A client of one server.
#[derive(Debug, Clone)]
pub struct SyncClient {
    http: reqwest::Client,
    pub(super) base_url: String,
    pub(super) timeouts: Timeouts,
}

impl SyncClient {
    /// A client of the server at `base_url` (e.g. `https://sync.example.org`).
    pub fn new(base_url: &str, timeouts: Timeouts) -> Result<Self, SyncError> {
        let http = reqwest::Client::builder()
            .connect_timeout(timeouts.connect)
            .timeout(timeouts.request)
            .build()
            .map_err(|e| SyncError::Protocol(format!("cannot set up HTTP: {e}")))?;
        Ok(SyncClient { http, base_url: base_url.trim_end_matches('/').to_owned(), timeouts })
    }

    pub async fn login(&self, request: &LoginRequest) -> Result<LoginResponse, SyncError> {
        self.call(Method::POST, "/v1/auth/login", None, Some(request)).await
    }

    /// Creates an account from a peer worker's invite code; answered like login.
    pub async fn register(&self, request: &RegisterRequest) -> Result<LoginResponse, SyncError> {
        self.call(Method::POST, "/v1/auth/register", None, Some(request)).await
    }

    /// A peer worker invites a participant.
    pub async fn invite(&self, token: &str, display_name: &str) -> Result<InviteResponse, SyncError> {
        self.call(Method::POST, "/v1/invites", Some(token), Some(&InviteRequest { display_name: display_name.to_owned() })).await
    }

    /// Who this is, and whose records they see.
    pub async fn me(&self, token: &str) -> Result<MeResponse, SyncError> {
        self.call::<(), _>(Method::GET, "/v1/me", Some(token), None).await
    }

    /// Who pushed and pulled the participant's records.
    pub async fn audit(&self, token: &str, participant_id: &str) -> Result<AuditResponse, SyncError> {
        let request = self.request(Method::GET, "/v1/audit", Some(token)).query(&[("participant_id", participant_id)]);
        let response = check_status(self.send(request).await?).await?;
        decode(response).await
    }

    /// The person's signed-in devices (this one marked).
    pub async fn devices(&self, token: &str) -> Result<DevicesResponse, SyncError> {
        self.call::<(), _>(Method::GET, "/v1/devices", Some(token), None).await
    }

    /// Signs a device out; with `wipe`, it clears itself at its next contact.
    pub async fn revoke_device(&self, token: &str, request: &RevokeRequest) -> Result<(), SyncError> {
        let _: serde_json::Value = self.call(Method::POST, "/v1/devices/revoke", Some(token), Some(request)).await?;
        Ok(())
    }

    /// A peer worker's own number and hours, as their participants' phones offer them.
    pub async fn contact(&self, token: &str) -> Result<ContactRequest, SyncError> {
        self.call::<(), _>(Method::GET, "/v1/me/contact", Some(token), None).await
    }

    pub async fn set_contact(&self, token: &str, contact: &ContactRequest) -> Result<ContactRequest, SyncError> {
        self.call(Method::PUT, "/v1/me/contact", Some(token), Some(contact)).await
    }

    /// The push services the server wakes devices through.
    pub async fn push_offer(&self, token: &str) -> Result<Offered, SyncError> {
        self.call::<(), _>(Method::GET, "/v1/devices/push", Some(token), None).await
    }

    /// Where this device is woken (replacing what it sent before), or, with
    /// `None`, that it is woken no more.
    pub async fn set_push_registration(&self, token: &str, registration: Option<&Registration>) -> Result<(), SyncError> {
        let _: serde_json::Value = match registration {
            Some(registration) => self.call(Method::PUT, "/v1/devices/push", Some(token), Some(registration)).await?,
            None => self.call::<(), _>(Method::DELETE, "/v1/devices/push", Some(token), None).await?,
        };
        Ok(())
    }

    /// A new password; the person's other devices are signed out.
    pub async fn change_password(&self, token: &str, request: &PasswordChangeRequest) -> Result<PasswordChangeResponse, SyncError> {
        self.call(Method::POST, "/v1/me/password", Some(token), Some(request)).await
    }

    /// A new password with a reset code an admin read out; signs this device in.
    pub async fn reset_password(&self, request: &PasswordResetRequest) -> Result<LoginResponse, SyncError> {
        self.call(Method::POST, "/v1/auth/reset", None, Some(request)).await
    }

    /// Deletes the participant's account and everything in it on the server.
    pub async fn erase_account(&self, token: &str, request: &EraseRequest) -> Result<ErasureResponse, SyncError> {
        self.call(Method::POST, "/v1/me/erase", Some(token), Some(request)).await
    }

    pub async fn logout(&self, token: &str) -> Result<(), SyncError> {
        let response = self.send(self.request(Method::POST, "/v1/auth/logout", Some(token))).await?;
        check_status(response).await.map(drop)
    }

    pub async fn push(&self, token: &str, changes: Vec<Change>) -> Result<PushResponse, SyncError> {
        self.call(Method::POST, "/v1/sync/push", Some(token), Some(&PushRequest { changes })).await
    }

    pub async fn pull(&self, token: &str, cursor: Option<&str>, limit: usize) -> Result<PullResponse, SyncError> {
        let mut request = self.request(Method::GET, "/v1/sync/pull", Some(token)).query(&[("limit", limit.to_string())]);
        if let Some(cursor) = cursor {
            request = request.query(&[("cursor", cursor)]);
        }
        let response = check_status(self.send(request).await?).await?;
        decode(response).await
    }

    async fn call<B: Serialize, T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&B>,
    ) -> Result<T, SyncError> {
        let mut request = self.request(method, path, token);
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = check_status(self.send(request).await?).await?;
        decode(response).await
    }

    fn request(&self, method: Method, path: &str, token: Option<&str>) -> RequestBuilder {
        let request = self.http.request(method, format!("{}{path}", self.base_url));
        match token {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
    }

    async fn send(&self, request: RequestBuilder) -> Result<reqwest::Response, SyncError> {
        request.send().await.map_err(transport_error)
    }
}

fn transport_error(error: reqwest::Error) -> SyncError {
    if error.is_decode() { SyncError::Protocol(error.to_string()) } else { SyncError::Offline(error.to_string()) }
}

pub(super) async fn check_status(response: reqwest::Response) -> Result<reqwest::Response, SyncError> {
    let status = response.status();
    if status.is_success() {
        return Ok(response);
    }
    let retry_after = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|value| value.to_str().ok())
        .and_then(|text| retry_after(text, Utc::now()));
    let body = read_body(response, MAX_ERROR_BYTES).await?;
    match serde_json::from_slice::<ErrorEnvelope>(&body) {
        Ok(ErrorEnvelope { error: ErrorBody { code, message, field } }) => {
            Err(SyncError::Server { status: status.as_u16(), code, message, field, retry_after })
        }
        Err(_) => Err(SyncError::Http { status: status.as_u16(), retry_after }),
    }
}

/// The longest wait a `Retry-After` is trusted for: a captive portal or a
/// broken proxy may send anything, and a phone must not give up on syncing.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60 * 60);

/// A `Retry-After` value (RFC 9110: seconds, or an HTTP date) as a wait from
/// `now`, at most [`MAX_RETRY_AFTER`]; `None` when it is neither.
pub fn retry_after(text: &str, now: DateTime<Utc>) -> Option<Duration> {
    let text = text.trim();
    let wait = if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        // Too many digits for a u64 is still "a very long time".
        text.parse::<u64>().map_or(MAX_RETRY_AFTER, Duration::from_secs)
    } else {
        let at = DateTime::parse_from_rfc2822(text).ok()?.with_timezone(&Utc);
        (at - now).to_std().unwrap_or(Duration::ZERO)
    };
    Some(wait.min(MAX_RETRY_AFTER))
}

/// The largest answer read: a pull page of the most changes the protocol
/// allows, with room to spare. A body past it is bad input, not memory to
/// fill.
pub const MAX_RESPONSE_BYTES: usize = 64 * 1024 * 1024;
/// The largest error answer read; the protocol's are a few hundred bytes.
const MAX_ERROR_BYTES: usize = 64 * 1024;

/// The body of `response`, refused (and not read further) past `limit`.
async fn read_body(mut response: reqwest::Response, limit: usize) -> Result<Vec<u8>, SyncError> {
    let too_large = || SyncError::Protocol(format!("the server's answer is larger than {limit} bytes"));
    if response.content_length().is_some_and(|length| length > limit as u64) {
        return Err(too_large());
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(transport_error)? {
        if body.len() + chunk.len() > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

async fn decode<T: DeserializeOwned>(response: reqwest::Response) -> Result<T, SyncError> {
    let body = read_body(response, MAX_RESPONSE_BYTES).await?;
    serde_json::from_slice(&body).map_err(|e| SyncError::Protocol(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_is_seconds_or_a_date_and_never_more_than_an_hour() -> Result<(), chrono::ParseError> {
        let now = DateTime::parse_from_rfc3339("2026-12-02T10:00:00Z")?.with_timezone(&Utc);
        assert_eq!(retry_after("0", now), Some(Duration::ZERO));
        assert_eq!(retry_after(" 120 ", now), Some(Duration::from_secs(120)));
        assert_eq!(retry_after("18446744073709551615", now), Some(MAX_RETRY_AFTER));
        assert_eq!(retry_after("99999999999999999999999999", now), Some(MAX_RETRY_AFTER));
        assert_eq!(retry_after("Wed, 02 Dec 2026 10:02:00 GMT", now), Some(Duration::from_secs(120)));
        assert_eq!(retry_after("Tue, 01 Dec 2026 10:00:00 GMT", now), Some(Duration::ZERO), "a date past is now");
        assert_eq!(retry_after("Fri, 31 Dec 9999 23:59:59 GMT", now), Some(MAX_RETRY_AFTER));
        for garbage in ["-5", "", "soon", "1.5", "12abc", "\u{0}"] {
            assert_eq!(retry_after(garbage, now), None, "{garbage:?}");
        }
        Ok(())
    }
}
