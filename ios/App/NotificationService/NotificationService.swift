import Alongside
import AlongsideApp
import Foundation
import UIKit
import UserNotifications

// The Notification Service Extension (a second target in the Xcode project,
// depending on the package's `AlongsideApp`): an urgent wake-up arrives as an
// alert with neutral text ("Something new is waiting for you"); here, on the
// phone, it is worded from the local store after a sync. No record content
// passes through Apple.

/// Where the sync server is: the `AlongsideServer` key of the extension's Info.plist.
private let serverURL = Bundle.main.object(forInfoDictionaryKey: "AlongsideServer") as? String ?? "https://sync.example.org"

final class NotificationService: UNNotificationServiceExtension {
    private let lock = NSLock()
    private var deliver: ((UNNotificationContent) -> Void)?
    private var neutral: UNNotificationContent?
    private var work: Task<Void, Never>?

    override func didReceive(_ request: UNNotificationRequest, withContentHandler contentHandler: @escaping (UNNotificationContent) -> Void) {
        deliver = contentHandler
        neutral = request.content
        work = Task {
            let content = (await Self.worded()).map { notice -> UNNotificationContent in
                let content = UNMutableNotificationContent()
                content.title = notice.title
                content.body = notice.body
                content.sound = .default
                return content
            }
            self.finish(content ?? request.content)
        }
    }

    /// Out of time: the neutral text goes out as it came.
    override func serviceExtensionTimeWillExpire() {
        work?.cancel()
        if let neutral { finish(neutral) }
    }

    /// Delivers once, whichever comes first: the worded text or the deadline.
    private func finish(_ content: UNNotificationContent) {
        lock.lock()
        let deliver = self.deliver
        self.deliver = nil
        lock.unlock()
        deliver?(content)
    }

    /// The newest urgent notice (else the newest) of what arrived since news was last told.
    private static func worded() async -> Notice? {
        let name = await UIDevice.current.name
        do {
            let core = try DatabaseKey.open(path: try Shared.databaseURL().path, serverUrl: serverURL, deviceName: name)
            let store = try Store(core: core)
            defer { store.close() }
            let now = ISO8601DateFormatter().string(from: Date())
            let notices = try await store.afterWakeUp(since: Shared.newsSince())
            Shared.newsTold(until: now)
            return notices.last { $0.urgent } ?? notices.last
        } catch {
            return nil
        }
    }
}
