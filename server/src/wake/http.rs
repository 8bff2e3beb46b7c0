//! What the three services share over HTTP: the client, reading an answer
//! within bounds, and turning statuses into an [`Outcome`].

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};

use super::public_address::PublicAddresses;
use super::{ConfigError, Outcome};

/// Longest answer body read from a service: theirs are a few hundred bytes.
const BODY_LIMIT: usize = 16 * 1024;

/// Longest wait a service may ask for that is taken at its word.
const RETRY_AFTER_LIMIT: Duration = Duration::from_secs(24 * 60 * 60);

/// The client every service is sent to with: names resolve to public
/// addresses only (`resolver`), and no redirect is followed.
pub(super) fn client(timeout: Duration, resolver: PublicAddresses) -> Result<reqwest::Client, ConfigError> {
    if timeout.is_zero() {
        return Err(ConfigError::Timeout);
    }
    reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout)
        .dns_resolver(Arc::new(resolver))
        // A push service never redirects; following one would let a
        // device-chosen endpoint steer the server's requests elsewhere.
        .redirect(reqwest::redirect::Policy::none())
        .user_agent("alongside-server")
        .build()
        .map_err(|_| ConfigError::HttpClient)
}

/// A request that got no answer: the reason names the kind of failure only
/// (reqwest's own message carries the URL, which may hold a token).
pub(super) fn unanswered(service: &str, error: &reqwest::Error) -> Outcome {
    let what = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "could not connect"
    } else {
        "request failed"
    };
    Outcome::failed(format!("{service}: {what}"))
}

/// The answer's status, headers and (bounded) body.
pub(super) struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

pub(super) async fn answer(service: &str, sent: Result<reqwest::Response, reqwest::Error>) -> Result<Answer, Outcome> {
    let mut response = sent.map_err(|error| unanswered(service, &error))?;
    let (status, headers) = (response.status(), response.headers().clone());
    let mut body = Vec::new();
    while body.len() < BODY_LIMIT {
        match response.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk[..chunk.len().min(BODY_LIMIT - body.len())]),
            Ok(None) => break,
            Err(error) if status.is_success() => return Err(unanswered(service, &error)),
            // The status already says what happened; a cut body only loses detail.
            Err(_) => break,
        }
    }
    Ok(Answer { status, headers, body })
}

/// The outcome every service shares for a status: 2xx sent, 404/410 gone,
/// anything else failed (with the service's Retry-After). `code` is the
/// service's word for the failure, when it gave one.
pub(super) fn outcome(service: &str, answer: &Answer, code: Option<&str>) -> Outcome {
    let status = answer.status;
    if status.is_success() {
        return Outcome::Sent;
    }
    if status == StatusCode::NOT_FOUND || status == StatusCode::GONE {
        return Outcome::Gone;
    }
    let reason = match code {
        Some(code) => format!("{service}: status {} ({code})", status.as_u16()),
        None => format!("{service}: status {}", status.as_u16()),
    };
    Outcome::Failed { retry_after: retry_after(&answer.headers, SystemTime::now()), reason }
}

/// A service's code word, if it is one: letters, digits and `_` only, short.
/// Anything else (free text that might echo a token) is left out of reasons.
pub(super) fn code_word(text: &str) -> Option<&str> {
    let fits = (1..=48).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    fits.then_some(text)
}

/// Retry-After (RFC 9110 §10.2.3): seconds, or an HTTP date.
pub(super) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    let wait = match value.parse::<u64>() {
        Ok(seconds) => Duration::from_secs(seconds),
        Err(_) => {
            let at: SystemTime = chrono::DateTime::parse_from_rfc2822(value).ok()?.into();
            at.duration_since(now).unwrap_or(Duration::ZERO)
        }
    };
    Some(wait.min(RETRY_AFTER_LIMIT))
}

/// Seconds since the epoch, for JWT claims and APNs' expiration.
pub(super) fn unix_now() -> u64 {
    SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |since| since.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777); // Sun, 06 Nov 1994 08:49:37 GMT
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_static("120"));
        assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(120)));
        headers.insert(RETRY_AFTER, HeaderValue::from_static("Sun, 06 Nov 1994 08:50:37 GMT"));
        assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(60)));
        headers.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&headers, now), None);
        headers.insert(RETRY_AFTER, HeaderValue::from_static("99999999"));
        assert_eq!(retry_after(&headers, now), Some(RETRY_AFTER_LIMIT));
    }
}
