//! Extractors that fail with the protocol's JSON errors instead of axum's
//! plain-text rejections: a JSON body with a size limit, a query string, and
//! the bearer-token session.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Query, Request};
use axum::http::header;
use axum::http::request::Parts;
use futures_util::StreamExt;
use serde::de::DeserializeOwned;

use super::AppState;
use crate::auth;
use crate::error::ApiError;
use crate::store::Session;

/// Default largest JSON body, in bytes: every body but a push is small.
pub const DEFAULT_BODY_LIMIT: usize = 16 * 1024;

/// A JSON body of at most `LIMIT` bytes, sent as `application/json`.
#[derive(Debug)]
pub struct ApiJson<T, const LIMIT: usize = DEFAULT_BODY_LIMIT>(pub T);

impl<S, T, const LIMIT: usize> FromRequest<S> for ApiJson<T, LIMIT>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, _state: &S) -> Result<Self, ApiError> {
        let content_type = request.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
        let media_type = content_type.split(';').next().unwrap_or("").trim();
        if !media_type.eq_ignore_ascii_case("application/json") {
            return Err(ApiError::InvalidRequest("send the body as application/json".into()));
        }
        let too_large = || ApiError::PayloadTooLarge(format!("the body is larger than {LIMIT} bytes"));
        let declared = request.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
        let mut body = request.into_body().into_data_stream();
        if declared.is_some_and(|length| length > LIMIT as u64) {
            discard(&mut body).await;
            return Err(too_large());
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = body.next().await {
            let chunk = chunk.map_err(|e| ApiError::InvalidRequest(format!("the body could not be read: {e}")))?;
            if bytes.len() + chunk.len() > LIMIT {
                discard(&mut body).await;
                return Err(too_large());
            }
            bytes.extend_from_slice(&chunk);
        }
        // Every body of the API is a JSON object, but serde also reads a
        // struct from an array of its fields (`["rosa", "secret", "phone"]`
        // would sign in): a wrong type, which the protocol answers with 400.
        if bytes.iter().find(|byte| !matches!(byte, b' ' | b'\t' | b'\n' | b'\r')) != Some(&b'{') {
            return Err(ApiError::InvalidRequest("the body is not a JSON object".into()));
        }
        serde_json::from_slice(&bytes).map(ApiJson).map_err(|e| ApiError::InvalidRequest(format!("the body is not valid: {e}")))
    }
}

/// How much of a refused body is read and thrown away, and for how long.
const DISCARD_BYTES: usize = 16 * 1024 * 1024;
const DISCARD_TIME: std::time::Duration = std::time::Duration::from_secs(10);

/// Reads a refused body to its end, up to a bound, and throws it away: a
/// client that writes its whole body before reading (most do) then reads the
/// 413 instead of a broken pipe. Past the bound the connection just closes
/// (every 413 says `Connection: close`).
async fn discard(body: &mut axum::body::BodyDataStream) {
    let mut read = 0usize;
    let _ = tokio::time::timeout(DISCARD_TIME, async {
        while let Some(Ok(chunk)) = body.next().await {
            read = read.saturating_add(chunk.len());
            if read > DISCARD_BYTES {
                return;
            }
        }
    })
    .await;
}

/// A query string.
#[derive(Debug)]
pub struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        Query::try_from_uri(&parts.uri)
            .map(|Query(value)| ApiQuery(value))
            .map_err(|e| ApiError::InvalidRequest(format!("the query string is not valid: {}", e.body_text())))
    }
}

/// The client's address, as the rate limits key it (`unknown` when the
/// server runs without connection info). Behind a proxy this is the proxy.
#[derive(Debug)]
pub struct ClientAddr(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        let address = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(address)| address.ip().to_string());
        Ok(ClientAddr(address.unwrap_or_else(|| "unknown".to_owned())))
    }
}

/// The session of the request's `Authorization: Bearer` token.
#[derive(Debug)]
pub struct Authenticated(pub Session);

impl FromRequestParts<AppState> for Authenticated {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let missing = || ApiError::Unauthorized("send Authorization: Bearer <token>".into());
        let value = parts.headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).ok_or_else(missing)?;
        let (scheme, token) = value.trim().split_once(' ').ok_or_else(missing)?;
        let token = token.trim();
        if !scheme.eq_ignore_ascii_case("bearer") || token.is_empty() {
            return Err(missing());
        }
        auth::authenticate(&state.db, token).await.map(Authenticated)
    }
}
