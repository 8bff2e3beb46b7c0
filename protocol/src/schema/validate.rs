//! Checks field values against the schema. The same function judges a local
//! write, a merged remote change and (later) a change pushed to the server.

use serde_json::{Map, Value};

use super::{Collection, FieldKind, FieldSpec, Reason, Rejection};

/// Checks `fields` of one change to `collection`. With `creating`, every
/// required field must be present (bools excepted).
pub fn validate_change_fields(collection: Collection, fields: &Map<String, Value>, creating: bool) -> Result<(), Rejection> {
    if fields.is_empty() {
        return Err(Rejection::invalid("fields", Reason::NoFields));
    }
    for (name, value) in fields {
        let spec = collection
            .field(name)
            .ok_or_else(|| Rejection::UnknownField { collection: collection.name().to_owned(), field: name.clone() })?;
        check_field(spec, value)?;
    }
    if creating {
        let missing = collection
            .fields()
            .iter()
            .find(|spec| !spec.optional && spec.kind != FieldKind::Bool && !matches!(fields.get(spec.name), Some(v) if !v.is_null()));
        if let Some(spec) = missing {
            return Err(Rejection::invalid(spec.name, Reason::Required));
        }
    }
    Ok(())
}

/// A UUID in lowercase hyphenated form, as the protocol writes ids.
pub fn check_id(field: &str, id: &str) -> Result<(), Rejection> {
    if is_uuid(id) { Ok(()) } else { Err(Rejection::invalid(field, Reason::Uuid)) }
}

fn is_uuid(text: &str) -> bool {
    text.len() == 36
        && text.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => matches!(b, b'0'..=b'9' | b'a'..=b'f'),
        })
}

fn check_field(spec: &FieldSpec, value: &Value) -> Result<(), Rejection> {
    let field = spec.name;
    let fail = |reason: Reason| Err(Rejection::invalid(field, reason));
    if value.is_null() {
        return if spec.optional { Ok(()) } else { fail(Reason::NotNull) };
    }
    match spec.kind {
        FieldKind::Text { max } => check_text(field, value, max),
        FieldKind::TimeZone => match value.as_str() {
            Some(name) if name.parse::<chrono_tz::Tz>().is_ok() => Ok(()),
            _ => fail(Reason::TimeZone),
        },
        FieldKind::Date => match value.as_str() {
            Some(text) if is_date(text) => Ok(()),
            _ => fail(Reason::Date),
        },
        FieldKind::Instant => match value.as_str() {
            Some(text) if is_instant(text) => Ok(()),
            _ => fail(Reason::Instant),
        },
        FieldKind::Bool => match value {
            Value::Bool(_) => Ok(()),
            _ => fail(Reason::Bool),
        },
        FieldKind::Int { min, max } => match value.as_i64() {
            Some(n) if (min..=max).contains(&n) => Ok(()),
            _ if max == i64::MAX => fail(Reason::AtLeast { min }),
            _ => fail(Reason::Range { min, max }),
        },
        FieldKind::OneOf(allowed) => match value.as_str() {
            Some(text) if allowed.contains(&text) => Ok(()),
            _ => fail(Reason::OneOf(allowed)),
        },
        FieldKind::Uuid => match value.as_str() {
            Some(text) => check_id(field, text),
            None => fail(Reason::Uuid),
        },
        FieldKind::TextList { max, max_items } => {
            let items = list(field, value, max_items)?;
            items.iter().try_for_each(|item| check_text(field, item, max))
        }
        FieldKind::UuidList { max_items } => {
            let items = list(field, value, max_items)?;
            items.iter().try_for_each(|item| match item.as_str() {
                Some(text) => check_id(field, text),
                None => fail(Reason::UuidList),
            })
        }
        FieldKind::OneOfList { values, min_items } => {
            let items = list(field, value, values.len())?;
            if items.len() < min_items {
                return fail(Reason::MinItems { min: min_items, of: values });
            }
            if items.iter().any(|item| !matches!(item.as_str(), Some(text) if values.contains(&text))) {
                return fail(Reason::OnlyValues(values));
            }
            if items.iter().enumerate().any(|(i, item)| items[..i].contains(item)) {
                return fail(Reason::Repeated);
            }
            Ok(())
        }
        FieldKind::IntList { len, min, max } => match value.as_array() {
            Some(items) if items.len() == len && items.iter().all(|item| matches!(item.as_i64(), Some(n) if (min..=max).contains(&n))) => {
                Ok(())
            }
            _ => fail(Reason::Answers { len, min, max }),
        },
        FieldKind::GasLevels => match value.as_object() {
            Some(levels) => levels.iter().try_for_each(|(key, text)| {
                if !["-2", "-1", "0", "1", "2"].contains(&key.as_str()) {
                    return fail(Reason::GasLevelKey(key.clone()));
                }
                if text.is_null() { Ok(()) } else { check_text(field, text, 500) }
            }),
            None => fail(Reason::GasLevels),
        },
    }
}

fn check_text(field: &str, value: &Value, max: usize) -> Result<(), Rejection> {
    match value.as_str() {
        Some(text) if !text.is_empty() && text.chars().count() <= max => Ok(()),
        Some("") => Err(Rejection::invalid(field, Reason::Empty)),
        Some(_) => Err(Rejection::invalid(field, Reason::TooLong { max })),
        None => Err(Rejection::invalid(field, Reason::NotText)),
    }
}

fn list<'a>(field: &str, value: &'a Value, max_items: usize) -> Result<&'a Vec<Value>, Rejection> {
    match value.as_array() {
        Some(items) if items.len() <= max_items => Ok(items),
        Some(_) => Err(Rejection::invalid(field, Reason::TooManyItems { max: max_items })),
        None => Err(Rejection::invalid(field, Reason::NotList)),
    }
}

/// Exactly `DDDD-DD-DD` and a real day (chrono alone would take " 1" or "+202").
fn is_date(text: &str) -> bool {
    let digits_at = |range: std::ops::Range<usize>| text.get(range).is_some_and(|part| part.bytes().all(|b| b.is_ascii_digit()));
    text.len() == 10
        && digits_at(0..4)
        && digits_at(5..7)
        && digits_at(8..10)
        && chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok()
}

fn is_instant(text: &str) -> bool {
    chrono::DateTime::parse_from_rfc3339(text).is_ok()
}

#[cfg(test)]
mod tests;
