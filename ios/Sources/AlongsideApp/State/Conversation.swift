import Alongside
import Foundation

/// What is being written, and the last problem sending it.
public struct MessageDraft: Equatable, Sendable {
    public var body = ""
    public var problem: Problem?
}

/// The conversation between a participant and their peer worker, the same on
/// both phones. Opening it reads what the other person sent (read receipts).
@MainActor
public final class ConversationModel: ScreenModel {
    @Published public private(set) var messages: [ConversationMessage]? = nil
    @Published public private(set) var writing = MessageDraft()
    private let participantId: String

    public init(store: Store, participantId: String) {
        self.participantId = participantId
        super.init(store: store)
        follow(store.query(participantId, [.messages]) { try $0.conversation(participantId: participantId) }) { [weak self] shown in
            self?.messages = shown
            await self?.markRead(shown)
        }
    }

    /// Shown on screen is read: mark what the other person sent.
    private func markRead(_ shown: [ConversationMessage]) async {
        for unread in shown where !unread.mine && unread.message.readAt == nil {
            let id = unread.message.id
            // Purged or refused meanwhile: nothing to mark.
            _ = try? await store.local { try $0.markMessageRead(id: id) }
        }
    }

    public func edit(_ body: String) {
        writing = MessageDraft(body: body)
    }

    public func send() {
        let body = writing.body.trimmed
        if body.isEmpty { return }
        let participantId = self.participantId
        act({ [weak self] in self?.writing.problem = $0 }) { [weak self] in
            _ = try await self?.store.local { try $0.sendMessage(participantId: participantId, body: body) }
            self?.writing = MessageDraft()
        }
    }
}

/// The encounter notes a participant's peer worker submitted about them, newest first.
@MainActor
public final class NotesModel: ScreenModel {
    @Published public private(set) var notes: [EncounterNote]? = nil

    public init(store: Store, participantId: String) {
        super.init(store: store)
        let read = store.query(participantId, [.encounterNotes]) { core in
            try core.listEncounterNotes(participantId: participantId)
                .filter { $0.status == .submitted }
                .sorted { $0.occurredOn > $1.occurredOn }
        }
        follow(read) { [weak self] in self?.notes = $0 }
    }
}

public struct DevicesState: Equatable, Sendable {
    public var devices: [DeviceView]?
    public var problem: Problem?
    public var done = false
}

/// Where the person is signed in, from the server; signing any device out, or clearing a lost one.
@MainActor
public final class DevicesModel: ScreenModel {
    @Published public private(set) var state = DevicesState()

    public init(store: Store) {
        super.init(store: store)
        let core = store.core
        act({ [weak self] in self?.state.problem = $0 }) { [weak self] in
            let devices = try await core.devices()
            self?.state.devices = devices
            self?.state.problem = nil
        }
    }

    public func signOut(_ device: DeviceView, wipe: Bool) {
        let core = store.core
        let id = device.id
        act({ [weak self] in self?.state.problem = $0 }) { [weak self] in
            try await core.signOutDevice(deviceId: id, wipe: wipe)
            self?.state.devices = self?.state.devices?.filter { $0.id != id }
            self?.state.done = true
        }
    }
}
