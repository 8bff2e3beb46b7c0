//! The API's error answers as its OpenAPI description shows them: one
//! response per status, each the protocol's error body
//! `{"error": {"code", "message", "field"?}}` narrowed to the codes that
//! status carries, with the headers it sends.
//!
//! A handler lists the ones it can give by name in its
//! `#[utoipa::path(responses(...))]` (`InvalidRequest`, `Unauthorized`, …);
//! the document holds each once, under `components.responses`, and the
//! operations refer to it.

use std::collections::BTreeMap;

use alongside_protocol::codes::ErrorCode;
use axum::http::StatusCode;
use serde_json::{Value, json};
use utoipa::openapi::{Ref, RefOr, response::Response};

/// An error answer of the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    InvalidRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    MethodNotAllowed,
    Conflict,
    PayloadTooLarge,
    ValidationFailed,
    RateLimited,
    Internal,
}

impl Failure {
    pub const ALL: [Failure; 10] = [
        Failure::InvalidRequest,
        Failure::Unauthorized,
        Failure::Forbidden,
        Failure::NotFound,
        Failure::MethodNotAllowed,
        Failure::Conflict,
        Failure::PayloadTooLarge,
        Failure::ValidationFailed,
        Failure::RateLimited,
        Failure::Internal,
    ];

    pub fn status(self) -> StatusCode {
        match self {
            Failure::InvalidRequest => StatusCode::BAD_REQUEST,
            Failure::Unauthorized => StatusCode::UNAUTHORIZED,
            Failure::Forbidden => StatusCode::FORBIDDEN,
            Failure::NotFound => StatusCode::NOT_FOUND,
            Failure::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Failure::Conflict => StatusCode::CONFLICT,
            Failure::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Failure::ValidationFailed => StatusCode::UNPROCESSABLE_ENTITY,
            Failure::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            Failure::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The codes an answer with this status carries.
    pub fn codes(self) -> &'static [ErrorCode] {
        match self {
            Failure::InvalidRequest => &[ErrorCode::InvalidRequest],
            Failure::Unauthorized => &[ErrorCode::Unauthorized, ErrorCode::DeviceWiped],
            Failure::Forbidden => &[ErrorCode::Forbidden],
            Failure::NotFound => &[ErrorCode::NotFound],
            Failure::MethodNotAllowed => &[ErrorCode::MethodNotAllowed],
            Failure::Conflict => &[ErrorCode::Conflict],
            Failure::PayloadTooLarge => &[ErrorCode::PayloadTooLarge],
            Failure::ValidationFailed => &[ErrorCode::ValidationFailed],
            Failure::RateLimited => &[ErrorCode::RateLimited],
            Failure::Internal => &[ErrorCode::Internal],
        }
    }

    /// Its name under `components.responses`.
    pub fn name(self) -> &'static str {
        match self {
            Failure::InvalidRequest => "InvalidRequest",
            Failure::Unauthorized => "Unauthorized",
            Failure::Forbidden => "Forbidden",
            Failure::NotFound => "NotFound",
            Failure::MethodNotAllowed => "MethodNotAllowed",
            Failure::Conflict => "Conflict",
            Failure::PayloadTooLarge => "PayloadTooLarge",
            Failure::ValidationFailed => "ValidationFailed",
            Failure::RateLimited => "RateLimited",
            Failure::Internal => "Internal",
        }
    }

    fn description(self) -> &'static str {
        match self {
            Failure::InvalidRequest => {
                "The request is malformed: a body that is not the JSON asked for (or not sent as application/json), \
                 a bad query string, or more than 64 headers or 16 KiB of them."
            }
            Failure::Unauthorized => {
                "No bearer token, or one the server no longer accepts (`unauthorized`); or this device was signed out \
                 with a wipe (`device_wiped`), and must delete what it holds."
            }
            Failure::Forbidden => "This user may not do that.",
            Failure::NotFound => "Nothing of the asker's by that id.",
            Failure::MethodNotAllowed => "A route of the API, with a method it does not take (any operation not listed).",
            Failure::Conflict => "The request conflicts with what exists: a used invite code, a taken username.",
            Failure::PayloadTooLarge => "The body is over its limit (16 KiB; a push 2 MiB or 1000 changes). The connection is then closed.",
            Failure::ValidationFailed => "A value breaks a rule; `field` names it.",
            Failure::RateLimited => "Too many attempts in a short time; `Retry-After` says how many seconds to wait.",
            Failure::Internal => "The server failed; try again later. The detail is in the server's log, never here.",
        }
    }

    /// The operation's entry: its status, referring to the component.
    fn reference(self) -> (String, RefOr<Response>) {
        (self.status().as_u16().to_string(), RefOr::Ref(Ref::from_response_name(self.name())))
    }

    /// The response object under `components.responses`.
    fn component(self) -> Value {
        let mut error = json!({
            "type": "object",
            "properties": {"code": {"type": "string", "enum": self.codes().iter().map(ErrorCode::as_str).collect::<Vec<_>>()}},
        });
        if self == Failure::ValidationFailed {
            error["required"] = json!(["field"]);
        }
        let body = json!({
            "allOf": [
                {"$ref": "#/components/schemas/ErrorEnvelope"},
                {"type": "object", "properties": {"error": error}},
            ]
        });
        let mut response = json!({
            "description": self.description(),
            "content": {"application/json": {"schema": body}},
        });
        let headers = match self {
            Failure::Unauthorized => json!({"WWW-Authenticate": {
                "required": true, "schema": {"type": "string", "enum": ["Bearer"]},
                "description": "The scheme to authenticate with."}}),
            Failure::RateLimited => json!({"Retry-After": {
                "required": true, "schema": {"type": "integer", "minimum": 1},
                "description": "Seconds to wait before trying again."}}),
            Failure::PayloadTooLarge => json!({"Connection": {
                "required": true, "schema": {"type": "string", "enum": ["close"]},
                "description": "A refused body may be left unread, so the connection carries no other request."}}),
            _ => Value::Null,
        };
        if !headers.is_null() {
            response["headers"] = headers;
        }
        response
    }
}

/// Every error answer, as the document's `components.responses`. Written as
/// JSON rather than with utoipa's types, which cannot say a header is
/// required.
pub fn components() -> Value {
    Value::Object(Failure::ALL.iter().map(|failure| (failure.name().to_owned(), failure.component())).collect())
}

/// Types a handler names in `responses(...)`, one per status it can give.
macro_rules! failure_responses {
    ($($name:ident),+ $(,)?) => {
        $(
            #[doc = concat!("`", stringify!($name), "` in an operation's responses.")]
            #[derive(Debug)]
            pub struct $name;

            impl utoipa::IntoResponses for $name {
                fn responses() -> BTreeMap<String, RefOr<Response>> {
                    BTreeMap::from([Failure::$name.reference()])
                }
            }
        )+
    };
}

failure_responses!(InvalidRequest, Unauthorized, Forbidden, NotFound, Conflict, PayloadTooLarge, ValidationFailed, RateLimited, Internal);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ApiError;

    /// One error of each kind the server has; a new kind must be placed here.
    fn each_error() -> Vec<ApiError> {
        let all = vec![
            ApiError::InvalidRequest("x".into()),
            ApiError::Unauthorized("x".into()),
            ApiError::DeviceWiped,
            ApiError::Forbidden("x".into()),
            ApiError::NotFound("x".into()),
            ApiError::MethodNotAllowed("x".into()),
            ApiError::Conflict("x".into()),
            ApiError::PayloadTooLarge("x".into()),
            ApiError::validation("f", "x"),
            ApiError::RateLimited { retry_after_secs: 1 },
            ApiError::internal("x"),
        ];
        for error in &all {
            // Exhaustive: adding a kind of error fails to compile until it is listed above.
            match error {
                ApiError::InvalidRequest(_)
                | ApiError::Unauthorized(_)
                | ApiError::DeviceWiped
                | ApiError::Forbidden(_)
                | ApiError::NotFound(_)
                | ApiError::MethodNotAllowed(_)
                | ApiError::Conflict(_)
                | ApiError::PayloadTooLarge(_)
                | ApiError::Validation { .. }
                | ApiError::RateLimited { .. }
                | ApiError::Internal(_) => {}
            }
        }
        all
    }

    #[test]
    fn every_error_the_server_sends_is_described_with_its_status_and_code() {
        for error in each_error() {
            let described = Failure::ALL.iter().find(|failure| failure.status() == error.status());
            let Some(failure) = described else { panic!("{error:?}: status {} is not described", error.status()) };
            assert!(failure.codes().contains(&error.code()), "{error:?}: code {} is not described", error.code());
        }
    }

    #[test]
    fn each_status_is_described_once() {
        let statuses: std::collections::BTreeSet<u16> = Failure::ALL.iter().map(|failure| failure.status().as_u16()).collect();
        assert_eq!(statuses.len(), Failure::ALL.len());
    }
}
