import Foundation

/// What the app and its Notification Service Extension share: the database in the
/// app group's container, the Keychain's access group, and when news was last told.
/// Both targets need the App Groups capability with `group` (ios/README.md).
public enum Shared {
    /// The app group (and Keychain access group) of the app and its extension.
    public static let group = "group.org.alongside.app"

    /// The database: in the group's container when the capability is there, else the
    /// app's own Application Support (no extension can then read it).
    public static func databaseURL() throws -> URL {
        let folder = try FileManager.default.containerURL(forSecurityApplicationGroupIdentifier: group)
            ?? FileManager.default.url(for: .applicationSupportDirectory, in: .userDomainMask, appropriateFor: nil, create: true)
        var file = folder.appendingPathComponent("alongside.db")
        var noBackup = URLResourceValues()
        noBackup.isExcludedFromBackup = true
        try? file.setResourceValues(noBackup)
        return file
    }

    private static var defaults: UserDefaults { UserDefaults(suiteName: group) ?? .standard }

    /// When news was last told (RFC 3339), or a day ago the first time.
    public static func newsSince() -> String {
        defaults.string(forKey: "news-since") ?? ISO8601DateFormatter().string(from: Date(timeIntervalSinceNow: -24 * 3600))
    }

    /// Whether a database key replacement is under way (`DatabaseKey.replace`, `DatabaseKey.open`).
    public static var replacingKey: Bool {
        get { defaults.bool(forKey: "replacing-key") }
        set { defaults.set(newValue, forKey: "replacing-key") }
    }

    /// News up to `now` has been told.
    public static func newsTold(until now: String) {
        defaults.set(now, forKey: "news-since")
    }
}
