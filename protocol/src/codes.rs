//! The protocol's codes as enums: [`ErrorCode`], the code of an error body
//! (PROTOCOL.md, Conventions), and [`RejectionCode`], the code of a rejected
//! change in a push result (PROTOCOL.md, push). Each is its snake_case wire
//! text in JSON, in storage and in `Display`.
//!
//! A code this build does not know is kept, not refused: each enum ends in
//! `Other(String)`, holding the text as it came. PROTOCOL.md lets a newer
//! server add what an older client ignores, and a push response that failed
//! to parse over one new code would lose every other change's result with
//! it; keeping the text (rather than an empty `Unknown`) lets the outbox store
//! and show exactly what the server said. The known codes are variants, so
//! code is matched by the compiler rather than by spelling.
//!
//! Text becomes a code through `From<&str>`/`From<String>`, which never makes
//! `Other` of a known code; build `Other` directly only for a code that is not
//! one of the variants.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Defines a code enum: its variants with their wire text, `Other(String)`,
/// and the conversions to and from text (serde, `Display`, `From`).
macro_rules! wire_codes {
    ($(#[$meta:meta])* $name:ident { $($(#[$variant_meta:meta])* $variant:ident => $wire:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$variant_meta])* $variant,)+
            /// A code this build does not know, as it was sent.
            Other(String),
        }

        impl $name {
            /// Every code this build knows.
            pub const KNOWN: &[$name] = &[$($name::$variant),+];

            /// The wire text.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $wire,)+
                    $name::Other(code) => code,
                }
            }
        }

        impl From<&str> for $name {
            fn from(code: &str) -> Self {
                match code {
                    $($wire => $name::$variant,)+
                    other => $name::Other(other.to_owned()),
                }
            }
        }

        impl From<String> for $name {
            fn from(code: String) -> Self {
                match $name::from(code.as_str()) {
                    $name::Other(_) => $name::Other(code),
                    known => known,
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                Ok($name::from(String::deserialize(deserializer)?))
            }
        }

        /// In the API description: one of the codes this build knows (what
        /// this server sends). `Other` is a reader's tolerance, never sent.
        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some($name::KNOWN.iter().map($name::as_str)))
                    .into()
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $name {}
    };
}

wire_codes! {
    /// The code of an error body, `{"error": {"code", …}}`, each with the
    /// HTTP status PROTOCOL.md gives it.
    ErrorCode {
        /// 400: malformed JSON, wrong types, missing fields.
        InvalidRequest => "invalid_request",
        /// 401: no token, or one the server no longer accepts; wrong password.
        Unauthorized => "unauthorized",
        /// 401: this device was signed out with "clear this phone" (an
        /// addition; README.md "Devices"): the device deletes what it holds.
        DeviceWiped => "device_wiped",
        /// 403: this user may not do that.
        Forbidden => "forbidden",
        /// 404.
        NotFound => "not_found",
        /// 405: a known route with another method. Beyond PROTOCOL.md's list:
        /// the server's own answer, which a client never provokes.
        MethodNotAllowed => "method_not_allowed",
        /// 409: a used invite, a taken username.
        Conflict => "conflict",
        /// 413: a body over the protocol's limits.
        PayloadTooLarge => "payload_too_large",
        /// 422: a value breaks a rule; `field` names it when it is one field.
        ValidationFailed => "validation_failed",
        /// 429, with `Retry-After`.
        RateLimited => "rate_limited",
        /// 500: the server failed.
        Internal => "internal",
    }
}

wire_codes! {
    /// Why one change was rejected: a push result's `error.code`, and what a
    /// device's outbox records for a change that cannot go through.
    RejectionCode {
        /// This person may not make this change.
        Forbidden => "forbidden",
        /// A value breaks a rule of the schema; `field` names it.
        ValidationFailed => "validation_failed",
        UnknownCollection => "unknown_collection",
        /// `field` names the field the collection does not have.
        UnknownField => "unknown_field",
        /// The record belongs to another participant.
        ParticipantMismatch => "participant_mismatch",
        /// The record takes no more changes (a submitted encounter note).
        Locked => "locked",
        /// Device-only, never sent by a server: a change still waiting when a
        /// purge took away what it changes (sharing withdrawn).
        ConsentWithdrawn => "consent_withdrawn",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_codes_are_their_wire_text_both_ways() {
        for code in ErrorCode::KNOWN {
            let json = serde_json::to_value(code).ok();
            assert_eq!(json, Some(serde_json::Value::from(code.as_str())));
            assert_eq!(serde_json::from_value::<ErrorCode>(serde_json::Value::from(code.as_str())).ok().as_ref(), Some(code));
            assert_eq!(ErrorCode::from(code.to_string()), *code);
        }
        for code in RejectionCode::KNOWN {
            assert_eq!(serde_json::from_value::<RejectionCode>(serde_json::Value::from(code.as_str())).ok().as_ref(), Some(code));
            assert_eq!(RejectionCode::from(code.as_str()), *code);
        }
        assert_eq!(RejectionCode::Locked.to_string(), "locked");
        assert_eq!(ErrorCode::PayloadTooLarge.as_str(), "payload_too_large");
    }

    #[test]
    fn an_unknown_code_is_kept_as_sent() -> Result<(), serde_json::Error> {
        let code: RejectionCode = serde_json::from_str(r#""quota_exceeded""#)?;
        assert_eq!(code, RejectionCode::Other("quota_exceeded".into()));
        assert_eq!(serde_json::to_string(&code)?, r#""quota_exceeded""#);
        let code: ErrorCode = serde_json::from_str(r#""maintenance""#)?;
        assert_eq!(code.as_str(), "maintenance");
        Ok(())
    }
}
