import Alongside
import Foundation

/// Keeps the phone's scheduled local notifications equal to what the core
/// computes for the signed-in participant (android's data/Reminders.kt): read
/// again after every change of their records, when the person saves their
/// settings (`refresh`), and every hour as time moves on; handed to the
/// platform only when the set changed. Nobody signed in, or a peer worker:
/// nothing is scheduled.
public final class ReminderKeeper: @unchecked Sendable {
    private let store: Store
    private let platform: Platform
    private let every: UInt64
    private let lock = NSLock()
    private var ask: AsyncStream<Void>.Continuation?

    public init(store: Store, platform: Platform, everySeconds: UInt64 = 3600) {
        self.store = store
        self.platform = platform
        self.every = everySeconds * 1_000_000_000
    }

    /// Reads again now: the person changed their reminder settings.
    public func refresh() {
        lock.lock()
        let ask = self.ask
        lock.unlock()
        ask?.yield()
    }

    /// Runs until cancelled, following whoever `accounts` says is signed in.
    public func keep<S: AsyncSequence>(_ accounts: S) async where S.Element == Account? {
        var following: Task<Void, Never>?
        defer { following?.cancel() }
        do {
            for try await who in accounts {
                following?.cancel()
                following = nil
                guard let who, who.role == .participant else {
                    platform.schedule([])
                    continue
                }
                let participantId = who.userId
                following = Task { await self.follow(participantId) }
            }
        } catch {
            // The account's sequence ended: the app is going.
        }
    }

    private func follow(_ participantId: String) async {
        let store = self.store
        let every = self.every
        let wakeUps = AsyncStream<Void>(bufferingPolicy: .bufferingNewest(1)) { out in
            lock.lock()
            ask = out
            lock.unlock()
            let changes = store.changes(of: participantId)
            let watching = Task { for await _ in changes { out.yield() } }
            let ticking = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(nanoseconds: every)
                    out.yield()
                }
            }
            out.onTermination = { _ in
                watching.cancel()
                ticking.cancel()
            }
            out.yield()
        }
        var scheduled: [Reminder]?
        for await _ in wakeUps {
            // Storage trouble: keep what is scheduled; the next wake-up reads again.
            guard let now = try? await store.local({ try $0.reminders(participantId: participantId) }) else { continue }
            if now != scheduled {
                scheduled = now
                platform.schedule(now)
            }
        }
    }
}
