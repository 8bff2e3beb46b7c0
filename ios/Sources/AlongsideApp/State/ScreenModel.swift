import Alongside
import Combine
import Foundation

/// What every screen's state holder shares (android's state/ScreenModel.kt):
/// the `Store` it reads and writes through, and the tasks it started, all
/// cancelled when the screen (and so its holder) goes.
@MainActor
open class ScreenModel: ObservableObject {
    public let store: Store
    private let tasks = TaskBag()

    public init(store: Store) {
        self.store = store
    }

    /// Hands each element of `stream` to `apply` on the main actor while the screen shows,
    /// one at a time. `apply` should hold the model weakly (`[weak self]`), so the screen can go.
    public func follow<T: Sendable>(_ stream: AsyncStream<T>, _ apply: @escaping @MainActor (T) async -> Void) {
        tasks.add(Task { @MainActor in
            for await value in stream { await apply(value) }
        })
    }

    /// Runs what the person asked for; a failure becomes a `Problem` handed to `failed`
    /// (a field's reason under the field, or a message).
    public func act(_ failed: @escaping @MainActor (Problem) -> Void, _ work: @escaping @MainActor () async throws -> Void) {
        tasks.add(Task { @MainActor in
            do {
                try await work()
            } catch is CancellationError {
                // The screen went away.
            } catch {
                failed(Problem(error))
            }
        })
    }
}

/// Tasks cancelled together when the bag goes (with its screen's state holder).
final class TaskBag: @unchecked Sendable {
    private let lock = NSLock()
    private var tasks: [Task<Void, Never>] = []

    func add(_ task: Task<Void, Never>) {
        lock.lock()
        tasks.removeAll { $0.isCancelled }
        tasks.append(task)
        lock.unlock()
    }

    func cancelAll() {
        lock.lock()
        let all = tasks
        tasks = []
        lock.unlock()
        all.forEach { $0.cancel() }
    }

    deinit {
        tasks.forEach { $0.cancel() }
    }
}

/// One task at a time, the one before cancelled; cancelled when the slot goes.
final class TaskSlot: @unchecked Sendable {
    private let lock = NSLock()
    private var task: Task<Void, Never>?

    func replace(_ next: Task<Void, Never>) {
        lock.lock()
        let before = task
        task = next
        lock.unlock()
        before?.cancel()
    }

    deinit {
        task?.cancel()
    }
}
