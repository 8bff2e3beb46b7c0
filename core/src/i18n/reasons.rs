//! Validation reasons in the person's language, for the field a form shows
//! them under.

use super::{Language, ReasonWords, fill};
use crate::codes::ErrorCode;
use crate::schema::Reason;

/// `reason`, said to a person in `language`. Reasons a form cannot cause
/// (malformed ids and clocks, internal consistency) read as "could not be
/// saved": they are bugs to report, not something the person can fix.
pub fn reason(reason: &Reason, language: Language) -> String {
    let words = ReasonWords::new(language);
    let number = |n: i64| n.to_string();
    match reason {
        Reason::Required | Reason::NotNull | Reason::Empty | Reason::NoFields => words.required,
        Reason::TooLong { max } => fill(&words.too_long, &[("max", &max.to_string())]),
        Reason::TimeZone => words.time_zone,
        Reason::Date => words.date,
        Reason::Range { min, max } => fill(&words.range, &[("min", &number(*min)), ("max", &number(*max))]),
        Reason::AtLeast { min } => fill(&words.at_least, &[("min", &number(*min))]),
        Reason::OneOf(_) | Reason::OnlyValues(_) => words.one_of,
        Reason::TooManyItems { max } => fill(&words.too_many, &[("max", &max.to_string())]),
        Reason::MinItems { min, .. } => fill(&words.min_items, &[("min", &min.to_string())]),
        Reason::Repeated => words.repeated,
        Reason::Answers { len, .. } => fill(&words.answers, &[("len", &len.to_string())]),
        Reason::BeforeCurrentPeriod(start) => fill(&words.before_period, &[("date", &start.to_string())]),
        Reason::ReadByRecipient => words.read_by_recipient,
        Reason::AmendsSubmittedOnly => words.amend_draft,
        Reason::NotText
        | Reason::Instant
        | Reason::Bool
        | Reason::Uuid
        | Reason::UuidList
        | Reason::NotList
        | Reason::GasLevelKey(_)
        | Reason::GasLevels
        | Reason::Hlc(_)
        | Reason::HlcAhead
        | Reason::SingletonRecordId { .. }
        | Reason::SingletonId { .. }
        | Reason::KeepsKeys
        | Reason::Exists { .. }
        | Reason::RecoveryTimeDays
        | Reason::PersonalByRecord
        | Reason::BaseField(_) => words.internal,
    }
}

/// A refusal of the sync server's sign-up and invite routes, by its code and
/// field (PROTOCOL.md), in `language`. `None` for what no form field can fix.
pub fn server_reason(code: &ErrorCode, field: &str, language: Language) -> Option<String> {
    let words = ReasonWords::new(language);
    let text = match (code, field) {
        (ErrorCode::ValidationFailed, "invite_code") => words.invite_unknown,
        (ErrorCode::Conflict, "invite_code") => words.invite_used,
        (ErrorCode::ValidationFailed, "username") => words.username,
        (ErrorCode::Conflict, "username") => words.username_taken,
        (ErrorCode::ValidationFailed, "display_name") => words.name,
        // The server's own minimum (server/src/auth/password.rs).
        (ErrorCode::ValidationFailed, "password") => fill(&words.password, &[("min", "8")]),
        _ => return None,
    };
    Some(text)
}
