//! HTTP for PROTOCOL.md: login, logout, push, pull. Every request has a
//! connect timeout and a whole-request timeout, so a server that hangs is an
//! error like any other, and the outbox keeps every change.

use std::time::Duration;

use reqwest::{Method, RequestBuilder};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::change::Change;
use crate::codes::ErrorCode;
use crate::protocol::{
    AuditResponse, ErrorBody, ErrorEnvelope, InviteRequest, InviteResponse, LoginRequest, LoginResponse, MeResponse, PullResponse,
    PushRequest, PushResponse, RegisterRequest,
};

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
        .and_then(|text| text.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    let body = response.bytes().await.map_err(transport_error)?;
    match serde_json::from_slice::<ErrorEnvelope>(&body) {
        Ok(ErrorEnvelope { error: ErrorBody { code, message, field } }) => {
            Err(SyncError::Server { status: status.as_u16(), code, message, field, retry_after })
        }
        Err(_) => Err(SyncError::Http { status: status.as_u16(), retry_after }),
    }
}

async fn decode<T: DeserializeOwned>(response: reqwest::Response) -> Result<T, SyncError> {
    let body = response.bytes().await.map_err(transport_error)?;
    serde_json::from_slice(&body).map_err(|e| SyncError::Protocol(e.to_string()))
}
