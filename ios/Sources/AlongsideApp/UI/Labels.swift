import Alongside

// The protocol's enum values as people read them, from the core's words (android's ui/kit/Labels.kt).

/// The five GAS levels, -2..2, as words.
func gasLevel(_ level: Int64, _ w: Words) -> String {
    switch level {
    case -2: return w.labels.levelMuchLess
    case -1: return w.labels.levelLess
    case 0: return w.labels.levelExpected
    case 1: return w.labels.levelMore
    default: return w.labels.levelMuchMore
    }
}

func mood(_ level: Int64, _ w: Words) -> String {
    switch level {
    case 1: return w.labels.mood1
    case 2: return w.labels.mood2
    case 3: return w.labels.mood3
    case 4: return w.labels.mood4
    default: return w.labels.mood5
    }
}

/// The urgencies in the protocol's order.
let urgencies: [Urgency] = [.whenYouCan, .today, .urgent]

func label(_ urgency: Urgency, _ w: Words) -> String {
    switch urgency {
    case .whenYouCan: return w.labels.urgencyWhenYouCan
    case .today: return w.labels.urgencyToday
    case .urgent: return w.labels.urgencyUrgent
    }
}

/// Why the server did not take a change, in the person's language: by its code
/// where the code says it all, else with the server's own words.
func refusal(_ code: String?, _ reason: String?, _ w: Words) -> String {
    switch code {
    case "forbidden": return w.outbox.forbidden
    case "consent_withdrawn": return w.outbox.consentWithdrawn
    case "locked": return w.outbox.locked
    default: return w.outbox.other.replacingOccurrences(of: "{reason}", with: reason ?? "")
    }
}
