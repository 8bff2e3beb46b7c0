import Alongside

/// "I need to talk", and what became of it, told truthfully (the core decides which).
public enum ReachOutState: Equatable, Sendable {
    case writing(urgency: Urgency, message: String, problem: Problem?)
    case sending
    /// The server has it and a peer worker will see it; someone sooner is offered all the same.
    case delivered(Help)
    /// The server has it, but no peer worker is assigned yet: say so, and offer the lines.
    case noPeerWorker(Help)
    /// Not through yet (no signal, or no answer in time): offer a call and the crisis lines now.
    case waiting(Help)
    /// The server refused it: say so, with its code and reason, and offer a call and the lines.
    case refused(code: String, reason: String, help: Help)

    static let blank = ReachOutState.writing(urgency: .today, message: "", problem: nil)

    /// The screen's state for what the core answered.
    init(_ sent: ReachOutSent) {
        switch sent.delivery {
        case .delivered: self = .delivered(sent.help)
        case .noPeerWorker: self = .noPeerWorker(sent.help)
        case .waiting: self = .waiting(sent.help)
        case let .refused(code, reason): self = .refused(code: code, reason: reason, help: sent.help)
        }
    }

    var isWaiting: Bool {
        if case .waiting = self { return true }
        return false
    }
}

@MainActor
public final class ReachOutModel: ScreenModel {
    @Published public private(set) var state = ReachOutState.blank
    private let participantId: String

    public init(store: Store, participantId: String) {
        self.participantId = participantId
        super.init(store: store)
    }

    public func edit(urgency: Urgency? = nil, message: String? = nil) {
        guard case let .writing(oldUrgency, oldMessage, _) = state else { return }
        state = .writing(urgency: urgency ?? oldUrgency, message: message ?? oldMessage, problem: nil)
    }

    public func send() {
        guard case let .writing(urgency, message, _) = state else { return }
        state = .sending
        let participantId = self.participantId
        let core = store.core
        act({ [weak self] problem in self?.state = .writing(urgency: urgency, message: message, problem: problem) }) { [weak self] in
            let sent = try await core.reachOut(participantId: participantId, urgency: urgency, message: message.trimmedOrNil)
            self?.state = ReachOutState(sent)
            if self?.state.isWaiting == true { self?.followAnswer(sent.reachOut.id) }
        }
    }

    /// While it waits, each sync may carry it: ask the core again after each.
    private func followAnswer(_ reachOutId: String) {
        follow(store.syncStatuses()) { [weak self] _ in await self?.askAgain(reachOutId) }
    }

    private func askAgain(_ reachOutId: String) async {
        guard state.isWaiting else { return }
        if let answer = try? await store.local({ try $0.reachOutAnswer(id: reachOutId) }) {
            state = ReachOutState(answer)
        }
    }
}
