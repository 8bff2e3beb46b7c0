//! Why a value breaks a rule, as data: the English text (what the server
//! sends and logs) is its `Display`, and the core's `i18n::reason` says it in the
//! person's language on their phone.

use std::fmt;

use chrono::NaiveDate;

/// The reason a field's value was refused. The English wording is the
/// protocol's message text; it does not change when a translation does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// A change with no fields.
    NoFields,
    /// A required field missing from the change that creates the record.
    Required,
    NotNull,
    Empty,
    TooLong {
        max: usize,
    },
    NotText,
    TimeZone,
    Date,
    Instant,
    Bool,
    /// A whole number from `min` to `max`.
    Range {
        min: i64,
        max: i64,
    },
    /// A whole number of at least `min`.
    AtLeast {
        min: i64,
    },
    OneOf(&'static [&'static str]),
    Uuid,
    UuidList,
    NotList,
    TooManyItems {
        max: usize,
    },
    MinItems {
        min: usize,
        of: &'static [&'static str],
    },
    OnlyValues(&'static [&'static str]),
    Repeated,
    /// Exactly `len` whole numbers from `min` to `max` (BARC-10's answers).
    Answers {
        len: usize,
        min: i64,
        max: i64,
    },
    GasLevelKey(String),
    GasLevels,
    /// A malformed HLC; the text says which part.
    Hlc(&'static str),
    /// The server's clock is more than a day behind the change's.
    HlcAhead,
    /// `record_id` of a one-per-participant collection in a change.
    SingletonRecordId {
        collection: &'static str,
    },
    /// `id` of a one-per-participant collection in a local write.
    SingletonId {
        collection: &'static str,
    },
    KeepsKeys,
    Exists {
        collection: &'static str,
    },
    BeforeCurrentPeriod(NaiveDate),
    ReadByRecipient,
    AmendsSubmittedOnly,
    RecoveryTimeDays,
    PersonalByRecord,
    /// A change's `base` names a field the change does not set.
    BaseField(String),
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::NoFields => f.write_str("a change sets at least one field"),
            Reason::Required => f.write_str("is required when the record is created"),
            Reason::NotNull => f.write_str("may not be null"),
            Reason::Empty => f.write_str("may not be empty"),
            Reason::TooLong { max } => write!(f, "is longer than {max} characters"),
            Reason::NotText => f.write_str("must be text"),
            Reason::TimeZone => f.write_str("must be an IANA time zone name such as America/New_York"),
            Reason::Date => f.write_str("must be a date as YYYY-MM-DD"),
            Reason::Instant => f.write_str("must be an RFC 3339 instant with offset, such as 2026-11-23T08:15:00Z"),
            Reason::Bool => f.write_str("must be true or false"),
            Reason::Range { min, max } => write!(f, "must be a whole number from {min} to {max}"),
            Reason::AtLeast { min } => write!(f, "must be a whole number of at least {min}"),
            Reason::OneOf(allowed) => write!(f, "must be one of {}", allowed.join(", ")),
            Reason::Uuid => f.write_str("must be a lowercase hyphenated UUID"),
            Reason::UuidList => f.write_str("must hold lowercase hyphenated UUIDs"),
            Reason::NotList => f.write_str("must be a list"),
            Reason::TooManyItems { max } => write!(f, "holds more than {max} items"),
            Reason::MinItems { min, of } => write!(f, "needs at least {min} of {}", of.join(", ")),
            Reason::OnlyValues(values) => write!(f, "may hold only {}", values.join(", ")),
            Reason::Repeated => f.write_str("may not repeat a value"),
            Reason::Answers { len, min, max } => write!(f, "must be a list of exactly {len} whole numbers from {min} to {max}"),
            Reason::GasLevelKey(key) => write!(f, "has level {key:?}; levels are -2, -1, 0, 1, 2"),
            Reason::GasLevels => f.write_str("must be an object with levels -2, -1, 0, 1, 2"),
            Reason::Hlc(detail) => f.write_str(detail),
            Reason::HlcAhead => f.write_str("is more than 24 hours ahead of the server's clock"),
            Reason::SingletonRecordId { collection } => {
                write!(f, "{collection} is one record per participant: record_id must be participant_id")
            }
            Reason::SingletonId { collection } => write!(f, "{collection} is one record per participant: its id is the participant id"),
            Reason::KeepsKeys => f.write_str("an edit keeps the record's id and participant"),
            Reason::Exists { collection } => write!(f, "a {collection} record with this id already exists"),
            Reason::BeforeCurrentPeriod(start) => write!(f, "may not be before the current period's start, {start}"),
            Reason::ReadByRecipient => f.write_str("is set by the person the message was sent to"),
            Reason::AmendsSubmittedOnly => f.write_str("only a submitted note is amended; edit the draft instead"),
            Reason::RecoveryTimeDays => f.write_str("a recovery-time milestone has a day count"),
            Reason::PersonalByRecord => f.write_str("a personal milestone is celebrated by its record"),
            Reason::BaseField(name) => write!(f, "names {name:?}, a field the change does not set"),
        }
    }
}
