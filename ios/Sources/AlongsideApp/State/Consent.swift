import Alongside
import Foundation

/// The ten answers being given (1..6 each, or not yet).
public struct Barc10Form: Equatable, Sendable {
    public var answers: [Int64?] = Array(repeating: nil, count: 10)
    public var problem: Problem?
    public var saved = false
}

/// BARC-10: the ten statements, the total the core adds up, and its change since last time.
@MainActor
public final class Barc10Model: ScreenModel {
    @Published public private(set) var summary: Barc10Summary? = nil
    @Published public private(set) var form = Barc10Form()
    private let participantId: String

    public init(store: Store, participantId: String) {
        self.participantId = participantId
        super.init(store: store)
        follow(store.query(participantId, [.assessments]) { try $0.barc10Summary(participantId: participantId) }) { [weak self] in
            self?.summary = $0
        }
    }

    public func answer(_ item: Int, _ value: Int64) {
        guard form.answers.indices.contains(item) else { return }
        form.answers[item] = value
        form.problem = nil
        form.saved = false
    }

    public func save() {
        // Unanswered statements are left out: the core refuses fewer than ten and says so.
        let assessment = Assessment(
            participantId: participantId, instrument: .barc10, responses: form.answers.compactMap { $0 }, takenOn: NoteForm.today())
        act({ [weak self] in self?.form.problem = $0 }) { [weak self] in
            _ = try await self?.store.local { try $0.createAssessment(record: assessment) }
            self?.form = Barc10Form(saved: true)
        }
    }
}

/// Who looked at the participant's records, from the server's audit trail.
public enum WhoLooked: Equatable, Sendable {
    case notAsked, asking, offline
    case entries([AuditEntry])
}

public struct SharingState: Equatable, Sendable {
    public var sharing: Sharing?
    public var until = ""
    public var problem: Problem?
    public var saved = false
    public var whoLooked = WhoLooked.notAsked
}

/// Consent: what the peer worker sees, per category, until when; and who looked.
@MainActor
public final class SharingModel: ScreenModel {
    @Published public private(set) var state = SharingState()
    private let participantId: String
    private let session: AppModel

    public init(session: AppModel, participantId: String) {
        self.session = session
        self.participantId = participantId
        super.init(store: session.store)
        act({ _ in }) { [weak self] in
            guard let sharing = try await self?.store.local({ try $0.sharing(participantId: participantId) }) else { return }
            self?.state = SharingState(sharing: sharing, until: sharing.expiresOn ?? "")
        }
    }

    private static func flag(_ category: Alongside.Category) -> WritableKeyPath<Sharing, Bool>? {
        switch category {
        case .goals: return \.goals
        case .milestones: return \.milestones
        case .checkIns: return \.checkIns
        case .coping: return \.coping
        case .contacts: return \.contacts
        case .safetyPlan: return \.safetyPlan
        case .assessments: return \.assessments
        case .always: return nil
        }
    }

    public func shares(_ sharing: Sharing, _ category: Alongside.Category) -> Bool {
        Self.flag(category).map { sharing[keyPath: $0] } ?? true
    }

    public func toggle(_ category: Alongside.Category) {
        guard var sharing = state.sharing, let flag = Self.flag(category) else { return }
        sharing[keyPath: flag].toggle()
        state.sharing = sharing
        state.problem = nil
        state.saved = false
    }

    public func editUntil(_ text: String) {
        state.until = text
        state.problem = nil
        state.saved = false
    }

    public func save() {
        guard let sharing = state.sharing else { return }
        let until = state.until
        let reason = session.words.reasons.date
        let participantId = self.participantId
        act({ [weak self] in self?.state.problem = $0 }) { [weak self] in
            let expires = try typedDate(until, field: "expires_on", reason: reason)
            guard let saved = try await self?.store.local({ try $0.setSharing(participantId: participantId, shared: sharing, expiresOn: expires) })
            else { return }
            self?.state.sharing = saved
            self?.state.saved = true
        }
    }

    /// Asks the server who looked (it needs a connection).
    public func loadWhoLooked() {
        state.whoLooked = .asking
        let core = store.core
        let participantId = self.participantId
        act({ [weak self] _ in self?.state.whoLooked = .offline }) { [weak self] in
            let entries = try await core.audit(participantId: participantId).sorted { $0.at > $1.at }
            self?.state.whoLooked = .entries(entries)
        }
    }
}
