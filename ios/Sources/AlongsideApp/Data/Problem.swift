import Alongside

/// What went wrong, as a screen shows it (android's data/Problem.kt).
/// Validation errors name the field to highlight, the reason already in the
/// person's language; the rest are whole-screen messages.
public enum Problem: Equatable, Sendable {
    /// One field of the form is at fault; nothing was written.
    case field(String, reason: String)
    /// No connection: what was typed is kept.
    case offline
    /// Sign in again; nothing written is lost.
    case signedOut
    case wrongCredentials
    case tooManyTries
    /// The core or server refused by a rule (`locked`, `forbidden`, ...).
    case refused(code: String, reason: String)
    /// Anything else: a bug to report, shown as "try again".
    case other(String)

    /// The problem a failed call of the core means to a person.
    public init(_ error: Error) {
        guard let error = error as? AlongsideError else {
            self = .other(String(describing: error))
            return
        }
        switch error {
        case let .Validation(field, reason): self = .field(field, reason: reason)
        case .Offline: self = .offline
        case .NotSignedIn: self = .signedOut
        case .WrongCredentials: self = .wrongCredentials
        case let .Server(_, code, reason, _): self = code == "rate_limited" ? .tooManyTries : .other(reason)
        case let .Forbidden(reason): self = .refused(code: "forbidden", reason: reason)
        case let .Rejected(code, reason): self = .refused(code: code, reason: reason)
        default: self = .other(String(describing: error))
        }
    }

    /// The reason to show under `field`, if the problem is about it.
    public func reason(for field: String) -> String? {
        if case let .field(name, reason) = self, name == field { return reason }
        return nil
    }
}
