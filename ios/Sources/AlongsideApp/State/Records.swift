import Alongside
import Foundation

/// Export of everything about the person: where the file went, or what stopped it.
public struct ExportState: Equatable, Sendable {
    public var savedTo: String?
    public var problem: Problem?
}

@MainActor
public final class ExportModel: ScreenModel {
    @Published public private(set) var state = ExportState()
    private let participantId: String
    private let platform: Platform

    public init(store: Store, participantId: String, platform: Platform) {
        self.participantId = participantId
        self.platform = platform
        super.init(store: store)
    }

    public func export() {
        let participantId = self.participantId
        let platform = self.platform
        act({ [weak self] problem in self?.state = ExportState(problem: problem) }) { [weak self] in
            let json = try await self?.store.local { try $0.exportParticipant(participantId: participantId) } ?? ""
            let day = String(timestampNow().prefix(10))
            let savedTo = try platform.export(fileName: "alongside-\(day).json", json: json)
            self?.state = ExportState(savedTo: savedTo)
        }
    }
}

/// Changes not yet taken by the server: waiting, or refused with its reason; and
/// edits made here that lost to another made at the same time, kept for the person.
@MainActor
public final class OutboxModel: ScreenModel {
    @Published public private(set) var items: [OutboxItem]? = nil
    @Published public private(set) var conflicts: [ConflictView]? = nil
    @Published public private(set) var problem: Problem? = nil

    public init(store: Store) {
        super.init(store: store)
        // Read again after every sync status (a push changes the outbox without changing
        // records) and every change (sending again or letting go does).
        let statuses = store.syncStatuses()
        let changes = store.changes()
        follow(statuses) { [weak self] _ in await self?.readOutbox() }
        follow(changes) { [weak self] _ in await self?.readOutbox() }
        follow(store.query(nil) { try $0.conflicts() }) { [weak self] in self?.conflicts = $0 }
    }

    private func readOutbox() async {
        if let items = try? await store.local({ try $0.outbox() }) { self.items = items }
    }

    /// Sends a refused change again, with the record as it is now.
    public func sendAgain(_ item: OutboxItem) {
        let id = item.changeId
        act({ [weak self] in self?.problem = $0 }) { [weak self] in _ = try await self?.store.local { try $0.retryRefused(changeId: id) } }
    }

    /// Lets a refused change go; the server's copy comes back with the next sync.
    public func letGo(_ item: OutboxItem) {
        let id = item.changeId
        act({ [weak self] in self?.problem = $0 }) { [weak self] in _ = try await self?.store.local { try $0.discardRefused(changeId: id) } }
    }

    public func keepMine(_ conflict: ConflictView) { settle(conflict, .keepMine) }

    public func keepTheirs(_ conflict: ConflictView) { settle(conflict, .keepTheirs) }

    private func settle(_ conflict: ConflictView, _ settle: Settle) {
        let id = conflict.id
        act({ [weak self] in self?.problem = $0 }) { [weak self] in
            _ = try await self?.store.local { try $0.settleConflict(id: id, settle: settle) }
        }
    }
}
