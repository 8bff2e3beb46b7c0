import Alongside
import Foundation

/// What only the platform can do (android's data/Platform.kt), handed in by
/// the iOS app (`ApplePlatform`) or by tests.
public protocol Platform: Sendable {
    /// Opens the phone's dialer on `number` (`tel:`).
    func call(_ number: String)

    /// Opens a text message to `number` (`sms:`), with `body` typed in where the platform allows.
    func text(_ number: String, body: String?)

    /// Saves the person's exported data; returns where it went, to tell them.
    func export(fileName: String, json: String) throws -> String

    /// Makes `reminders` (the core's, each with a stable id) the phone's whole set of
    /// scheduled local notifications: new ones added, changed ones replaced, and any
    /// scheduled before that is not in the list cancelled.
    func schedule(_ reminders: [Reminder])

    /// This phone was signed out and cleared: the core has deleted everything the
    /// database held. Make a new database key, have `rekey` re-encrypt the (empty)
    /// database with it, then keep it and destroy the old one.
    func replaceDatabaseKey(_ rekey: (Data) throws -> Void) throws
}
