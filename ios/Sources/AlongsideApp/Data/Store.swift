import Alongside
import Foundation

/// The app's door to the core (android's data/Alongside.kt): local calls run
/// off the calling actor (`local`), network calls are the bindings' own
/// `async` functions on `core`, sync status and "records changed" are
/// `AsyncStream`s, and each screen's data is a stream that reads again
/// whenever the core says its collections changed (`query`).
///
/// One observer of each kind crosses the FFI for the whole app, registered
/// here before any screen reads, so nothing written between a screen's first
/// read and its first event is missed; `close` cancels them.
public final class Store: @unchecked Sendable {
    public let core: Companion

    private let lock = NSLock()
    private var status: SyncStatus
    private var statusListeners: [UUID: AsyncStream<SyncStatus>.Continuation] = [:]
    private var changeListeners: [UUID: (DataChange) -> Void] = [:]
    private var subscriptions: [Subscription] = []
    private var running = 0

    public init(core: Companion) throws {
        self.core = core
        status = core.syncStatus()
        let statuses = try core.observeSync(observer: StatusForwarder { [weak self] in self?.publish($0) })
        let changes = try core.observeChanges(observer: ChangeForwarder { [weak self] in self?.publish($0) })
        subscriptions = [statuses, changes]
    }

    /// Runs a local call (microseconds, but disk) off the calling actor.
    public func local<T: Sendable>(_ call: @escaping @Sendable (Companion) throws -> T) async throws -> T {
        let core = self.core
        locked { running += 1 }
        defer { locked { running -= 1 } }
        return try await Task.detached(priority: .userInitiated) { try call(core) }.value
    }

    /// Whether no local call is running: for UI tests that wait for a screen to finish reading.
    public var isIdle: Bool { locked { running == 0 } }

    /// Where sync stands now, then every new status (only the newest matters: a slow reader skips to it).
    public func syncStatuses() -> AsyncStream<SyncStatus> {
        AsyncStream(bufferingPolicy: .bufferingNewest(1)) { out in
            let id = UUID()
            let now: SyncStatus = locked {
                statusListeners[id] = out
                return status
            }
            out.yield(now)
            out.onTermination = { [weak self] _ in self?.locked { self?.statusListeners[id] = nil } }
        }
    }

    /// One element for each change of records of `participantId` (anyone's when nil) in
    /// `collections` (any when nil). Conflated: a burst while the reader is busy is one element.
    public func changes(of participantId: String? = nil, in collections: Set<Alongside.Collection>? = nil) -> AsyncStream<Void> {
        AsyncStream(bufferingPolicy: .bufferingNewest(1)) { out in
            let id = UUID()
            locked {
                changeListeners[id] = { change in
                    if change.touches(participantId, collections) { out.yield() }
                }
            }
            out.onTermination = { [weak self] _ in self?.locked { self?.changeListeners[id] = nil } }
        }
    }

    /// `read` now, and again whenever records of `collections` of `participantId` change
    /// (see `changes`); a value equal to the last one is not sent again. A failing read
    /// (storage trouble) leaves the screen showing what it last read; the next change reads again.
    public func query<T: Equatable & Sendable>(
        _ participantId: String?,
        _ collections: Set<Alongside.Collection>? = nil,
        read: @escaping @Sendable (Companion) throws -> T
    ) -> AsyncStream<T> {
        AsyncStream(bufferingPolicy: .bufferingNewest(1)) { out in
            // Listening before the first read: nothing written in between is missed.
            let changed = changes(of: participantId, in: collections)
            let task = Task {
                var last: T?
                var pending = true
                var iterator = changed.makeAsyncIterator()
                while pending, !Task.isCancelled {
                    if let value = try? await self.local(read), value != last {
                        last = value
                        out.yield(value)
                    }
                    pending = await iterator.next() != nil
                }
                out.finish()
            }
            out.onTermination = { _ in task.cancel() }
        }
    }

    /// Cancels the core's observers; the streams handed out end.
    public func close() {
        let (subscriptions, statuses): ([Subscription], [AsyncStream<SyncStatus>.Continuation]) = locked {
            defer {
                self.subscriptions = []
                statusListeners = [:]
                changeListeners = [:]
            }
            return (self.subscriptions, Array(statusListeners.values))
        }
        subscriptions.forEach { $0.cancel() }
        statuses.forEach { $0.finish() }
    }

    private func publish(_ status: SyncStatus) {
        let listeners: [AsyncStream<SyncStatus>.Continuation] = locked {
            self.status = status
            return Array(statusListeners.values)
        }
        listeners.forEach { $0.yield(status) }
    }

    private func publish(_ change: DataChange) {
        let listeners = locked { Array(changeListeners.values) }
        listeners.forEach { $0(change) }
    }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}

extension DataChange {
    /// Whether this change may alter what a screen of `participantId` and `collections` shows.
    func touches(_ participantId: String?, _ collections: Set<Alongside.Collection>?) -> Bool {
        let who = participantId == nil || self.participantId == nil || self.participantId == participantId
        let what = collections.map { wanted in self.collections.contains { wanted.contains($0) } } ?? true
        return who && what
    }
}

/// The core's sync statuses, handed on (called on the core's thread).
private final class StatusForwarder: SyncStatusObserver, @unchecked Sendable {
    private let send: (SyncStatus) -> Void
    init(_ send: @escaping (SyncStatus) -> Void) { self.send = send }
    func onStatus(status: SyncStatus) throws { send(status) }
}

/// The core's "records changed" events, handed on (called on the core's thread).
private final class ChangeForwarder: DataChangeObserver, @unchecked Sendable {
    private let send: (DataChange) -> Void
    init(_ send: @escaping (DataChange) -> Void) { self.send = send }
    func onChange(change: DataChange) throws { send(change) }
}
