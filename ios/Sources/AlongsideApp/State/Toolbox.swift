import Alongside
import Foundation

private let coping: Set<Alongside.Collection> = [.copingStrategies, .copingUses]

extension Store {
    /// A strategy in or out of the person's favourites.
    func toggleFavorite(_ strategy: CopingStrategy) async throws {
        var flipped = strategy
        flipped.favorite.toggle()
        let edited = flipped
        _ = try await local { try $0.updateCopingStrategy(original: strategy, edited: edited) }
    }
}

/// The toolbox, ranked by the core: favorites, then what helped most.
@MainActor
public final class ToolboxModel: ScreenModel {
    @Published public private(set) var strategies: [RankedStrategy]? = nil

    public init(store: Store, participantId: String) {
        super.init(store: store)
        follow(store.query(participantId, coping) { try $0.rankedStrategies(participantId: participantId) }) { [weak self] in
            self?.strategies = $0
        }
    }

    public func toggleFavorite(_ strategy: CopingStrategy) {
        let store = self.store
        act({ _ in }) { try await store.toggleFavorite(strategy) }
    }
}

/// Logging a use of a strategy.
public struct UseForm: Equatable, Sendable {
    public var cravingBefore = ""
    public var cravingAfter = ""
    public var helpfulness: Int64?
    public var note = ""
    public var problem: Problem?
    public var saved = false
}

/// One strategy: its steps, what it helps with, and "I used this".
@MainActor
public final class StrategyModel: ScreenModel {
    @Published public private(set) var strategy: RankedStrategy? = nil
    @Published public private(set) var use = UseForm()
    private let participantId: String
    private let strategyId: String

    public init(store: Store, participantId: String, strategyId: String) {
        self.participantId = participantId
        self.strategyId = strategyId
        super.init(store: store)
        let read = store.query(participantId, coping) { core in
            try core.rankedStrategies(participantId: participantId).first { $0.strategy.id == strategyId }
        }
        follow(read) { [weak self] in self?.strategy = $0 }
    }

    public func edit(_ change: (inout UseForm) -> Void) {
        change(&use)
        use.problem = nil
        use.saved = false
    }

    public func toggleFavorite() {
        guard let strategy = strategy?.strategy else { return }
        let store = self.store
        act({ _ in }) { try await store.toggleFavorite(strategy) }
    }

    public func logUse() {
        let entered = use
        let record = CopingUse(
            participantId: participantId, strategyId: strategyId, usedAt: timestampNow(), helpfulness: entered.helpfulness,
            cravingBefore: typedNumber(entered.cravingBefore), cravingAfter: typedNumber(entered.cravingAfter),
            note: entered.note.trimmedOrNil)
        act({ [weak self] in self?.use.problem = $0 }) { [weak self] in
            _ = try await self?.store.local { try $0.createCopingUse(record: record) }
            self?.use = UseForm(saved: true)
        }
    }
}

/// A strategy of the person's own.
public struct StrategyForm: Equatable, Sendable {
    public var title = ""
    public var category = CopingCategory.craving
    public var steps = ""
    public var triggers = ""
    public var problem: Problem?
}

@MainActor
public final class StrategyFormModel: ScreenModel {
    @Published public private(set) var form = StrategyForm()
    private let participantId: String
    private let session: AppModel

    public init(session: AppModel, participantId: String) {
        self.session = session
        self.participantId = participantId
        super.init(store: session.store)
    }

    public func edit(_ change: (inout StrategyForm) -> Void) {
        change(&form)
        form.problem = nil
    }

    public func save() {
        let entered = form
        let record = CopingStrategy(
            participantId: participantId, title: entered.title.trimmed, steps: lines(entered.steps), category: entered.category,
            triggers: lines(entered.triggers), favorite: false, source: .personal)
        let navigator = session.navigator
        act({ [weak self] in self?.form.problem = $0 }) { [weak self] in
            guard let saved = try await self?.store.local({ try $0.createCopingStrategy(record: record) }) else { return }
            navigator.back()
            navigator.go(.strategy(strategyId: saved.id))
        }
    }
}

/// The non-blank lines of `text`, trimmed: one list item per line.
public func lines(_ text: String) -> [String] {
    text.components(separatedBy: .newlines).map { $0.trimmed }.filter { !$0.isEmpty }
}
