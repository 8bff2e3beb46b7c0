import Alongside
import Foundation

extension Store {
    /// A push woke the phone (android's data/WakeUps.kt). It carried nothing about
    /// anyone: sync, then ask the core what arrived after `since` (the last time news
    /// was shown) and return it for the platform to post. Offline or refused, what is
    /// already on the phone is still told.
    public func afterWakeUp(since: Timestamp) async throws -> [Notice] {
        // The next wake-up or periodic sync brings what did not come now.
        _ = try? await core.syncNow()
        return try await local { try $0.news(since: since) }
    }
}
