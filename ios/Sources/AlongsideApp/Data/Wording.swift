import Alongside
import Foundation

// The core's templates, filled (android's data/Wording.kt): `{name}`
// placeholders, and "one|other" forms (the singular for exactly 1), the same
// small language as core/src/i18n. Every word itself comes from the core.

extension String {
    /// This template with each `{name}` replaced.
    public func fill(_ values: (String, Any)...) -> String { filling(values) }

    func filling(_ values: [(String, Any)]) -> String {
        values.reduce(self) { text, pair in text.replacingOccurrences(of: "{\(pair.0)}", with: "\(pair.1)") }
    }

    /// The form of this template for `n`, with `{n}` filled (Kotlin's `count`).
    public func plural(_ n: Int64, _ values: (String, Any)...) -> String {
        let forms = components(separatedBy: "|")
        let form = forms.count == 2 && n != 1 ? forms[1] : forms[0]
        return form.filling([("n", n)] + values)
    }
}

/// The language Alongside speaks for a phone set to `locale`.
public func languageOf(_ locale: Locale) -> Language {
    languageForTag(tag: locale.identifier.replacingOccurrences(of: "_", with: "-"))
}

extension Language {
    /// The locale dates are written in.
    public var locale: Locale {
        switch self {
        case .spanish: return Locale(identifier: "es_US")
        case .english: return Locale(identifier: "en_US")
        }
    }
}

/// An RFC 3339 timestamp of the core as a `Date` (with or without fractions of a second).
public func instant(_ timestamp: Timestamp) -> Date? {
    let plain = ISO8601DateFormatter()
    let fractional = ISO8601DateFormatter()
    fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return plain.date(from: timestamp) ?? fractional.date(from: timestamp)
}

/// Now, as the core writes an instant.
public func timestampNow() -> Timestamp {
    ISO8601DateFormatter().string(from: Date())
}

extension Words {
    /// "just now", "5 min ago", "3 hours ago", "2 days ago".
    public func ago(_ then: Timestamp, now: Date = Date()) -> String {
        guard let date = instant(then) else { return then }
        let minutes = Int64(max(0, now.timeIntervalSince(date)) / 60)
        switch minutes {
        case ..<1: return common.justNow
        case ..<60: return common.minutesAgo.plural(minutes)
        case ..<(24 * 60): return common.hoursAgo.plural(minutes / 60)
        default: return common.daysAgo.plural(minutes / (24 * 60))
        }
    }

    /// The day of an instant, on this phone's clock, as people of this language write it.
    public func day(of timestamp: Timestamp) -> String {
        guard let at = instant(timestamp) else { return timestamp }
        let style = DateFormatter()
        style.locale = language.locale
        style.dateStyle = .medium
        style.timeStyle = .none
        return style.string(from: at)
    }

    /// A calendar date (YYYY-MM-DD) as people of this language write it ("Nov 23, 2026", "23 nov 2026").
    public func date(_ date: CalendarDate) -> String {
        guard let day = calendarDay(date) else { return date }
        let style = DateFormatter()
        style.locale = language.locale
        style.timeZone = TimeZone(identifier: "UTC")
        style.dateStyle = .medium
        style.timeStyle = .none
        return style.string(from: day)
    }
}

/// YYYY-MM-DD as a day (midnight UTC), or nil when it is not one.
func calendarDay(_ text: String) -> Date? {
    let format = DateFormatter()
    format.locale = Locale(identifier: "en_US_POSIX")
    format.timeZone = TimeZone(identifier: "UTC")
    format.dateFormat = "yyyy-MM-dd"
    format.isLenient = false
    guard let day = format.date(from: text), format.string(from: day) == text else { return nil }
    return day
}
