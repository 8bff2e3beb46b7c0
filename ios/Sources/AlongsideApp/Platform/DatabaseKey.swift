import Alongside
import Foundation
import Security

/// The database key: 32 random bytes made once, kept only in the Keychain,
/// readable after the first unlock since boot and never leaving this device
/// (`kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly`: not in backups, not
/// restored to another phone; a background sync can still open the store).
public enum DatabaseKey {
    static let service = "org.alongside.app.database-key"
    static let account = "alongside.db"

    /// The key, made and kept on first use.
    public static func load() throws -> Data {
        if let key = try read() { return key }
        let key = try random()
        try add(key)
        return key
    }

    /// A new key: `rekey` re-encrypts the (empty) database with it, then it replaces the old
    /// one. Should the app stop between the two, the kept key no longer opens the database,
    /// which by then holds nothing: `Shared.replacingKey` marks the replacement under way,
    /// and `open` starts a new database then (android's `openStore`).
    public static func replace(_ rekey: (Data) throws -> Void) throws {
        let key = try random()
        Shared.replacingKey = true
        try rekey(key)
        let status = SecItemUpdate(query() as CFDictionary, [kSecValueData as String: key] as CFDictionary)
        guard status == errSecSuccess else { throw KeychainError(status: status) }
        Shared.replacingKey = false
    }

    /// The store at `path` with the kept key. A key the database refuses while a replacement
    /// was under way means the app stopped half-way: that database held nothing, and a new
    /// one is made. Any other wrong key is refused as it is, and the file left alone.
    public static func open(path: String, serverUrl: String, deviceName: String) throws -> Companion {
        let key = try load()
        let core: Companion
        do {
            core = try Companion.open(path: path, key: key, serverUrl: serverUrl, deviceName: deviceName)
        } catch AlongsideError.WrongKey where Shared.replacingKey {
            removeStore(path: path)
            core = try Companion.open(path: path, key: key, serverUrl: serverUrl, deviceName: deviceName)
        }
        Shared.replacingKey = false
        return core
    }

    /// Starting over: the store at `path` and its key are removed; the next `open` makes new ones.
    public static func forget(path: String) {
        removeStore(path: path)
        SecItemDelete(query() as CFDictionary)
        Shared.replacingKey = false
    }

    /// Whether `error`, from `open`, means the store is there but cannot be read (its key is not
    /// the kept one, or the file is damaged): only then is starting over offered. A Keychain that
    /// is not readable yet (before the first unlock) is no reason to remove anything.
    public static func unreadable(_ error: Error) -> Bool {
        if case AlongsideError.WrongKey = error { return true }
        return false
    }

    /// The database at `path` and the files SQLite keeps beside it.
    static func removeStore(path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            try? FileManager.default.removeItem(atPath: path + suffix)
        }
    }

    /// In the app group's Keychain access group, so the Notification Service Extension
    /// can open the database too (both targets need the App Groups capability).
    static func query() -> [String: Any] {
        var query: [String: Any] = [
            kSecClass as String: kSecClassGenericPassword,
            kSecAttrService as String: service,
            kSecAttrAccount as String: account,
        ]
        query[kSecAttrAccessGroup as String] = Shared.group
        return query
    }

    static func read() throws -> Data? {
        var asked = query()
        asked[kSecReturnData as String] = true
        asked[kSecMatchLimit as String] = kSecMatchLimitOne
        var found: CFTypeRef?
        let status = SecItemCopyMatching(asked as CFDictionary, &found)
        if status == errSecItemNotFound { return nil }
        guard status == errSecSuccess, let key = found as? Data else { throw KeychainError(status: status) }
        return key
    }

    static func add(_ key: Data) throws {
        var item = query()
        item[kSecValueData as String] = key
        item[kSecAttrAccessible as String] = kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly
        let status = SecItemAdd(item as CFDictionary, nil)
        guard status == errSecSuccess else { throw KeychainError(status: status) }
    }

    static func random() throws -> Data {
        var bytes = [UInt8](repeating: 0, count: 32)
        let status = SecRandomCopyBytes(kSecRandomDefault, bytes.count, &bytes)
        guard status == errSecSuccess else { throw KeychainError(status: status) }
        return Data(bytes)
    }
}

/// A Keychain call failed with `status` (an `OSStatus`).
public struct KeychainError: Error, Equatable {
    public let status: OSStatus
}
