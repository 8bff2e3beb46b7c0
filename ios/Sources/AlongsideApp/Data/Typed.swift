import Alongside

// What a form's text fields hold, turned into what the core takes (android's
// state/Typed.kt). Anything the core would refuse is left for it to refuse
// (with its own reason), or refused here with the core's own words for it.

/// The date typed as YYYY-MM-DD, or nil when left blank. Anything else is refused
/// as the core refuses a bad date: a validation error on `field` with `reason`.
public func typedDate(_ text: String, field: String, reason: String) throws -> CalendarDate? {
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    if trimmed.isEmpty { return nil }
    guard calendarDay(trimmed) != nil else { throw AlongsideError.Validation(field: field, reason: reason) }
    return trimmed
}

/// A date the record cannot be without: blank is refused as the core refuses a missing field.
public func requiredDate(_ text: String, field: String, words: Words) throws -> CalendarDate {
    guard let date = try typedDate(text, field: field, reason: words.reasons.date) else {
        throw AlongsideError.Validation(field: field, reason: words.reasons.required)
    }
    return date
}

/// A whole number typed in a digits-only field, or nil when blank. A number too long
/// to hold is passed on as the largest one, so the core refuses it with its own reason.
public func typedNumber(_ text: String) -> Int64? {
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    if trimmed.isEmpty { return nil }
    return Int64(trimmed) ?? Int64.max
}

extension String {
    /// Trimmed, or nil when nothing is left (an optional field left blank).
    var trimmedOrNil: String? {
        let trimmed = trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}

/// A time of day typed as H:MM or HH:MM. Numbers out of range go on to the core,
/// which refuses them naming the part; anything else is refused here as a
/// validation error on `field` with `reason`.
public func typedTime(_ text: String, field: String, reason: String) throws -> LocalTime {
    let parts = text.trimmed.components(separatedBy: ":")
    guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
          parts[0].allSatisfy(\.isASCII), parts[1].allSatisfy(\.isASCII),
          let hour = UInt8(parts[0]), let minute = UInt8(parts[1]) else {
        throw AlongsideError.Validation(field: field, reason: reason)
    }
    return LocalTime(hour: hour, minute: minute)
}

extension LocalTime {
    /// How a time of day is typed: 20:00, 7:05.
    public var typed: String { "\(hour):" + (minute < 10 ? "0" : "") + "\(minute)" }
}
