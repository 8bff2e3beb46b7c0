import Alongside
import Foundation

/// The steps of a Stanley–Brown plan that are the person's own words.
public enum PlanList: CaseIterable, Sendable {
    case warningSigns, distractions, environment, reasons

    var items: WritableKeyPath<SafetyPlan, [String]> {
        switch self {
        case .warningSigns: return \.warningSigns
        case .distractions: return \.distractions
        case .environment: return \.environmentSteps
        case .reasons: return \.reasonsForLiving
        }
    }

    /// The name its field carries (android's `list.name.lowercase()`).
    var field: String {
        switch self {
        case .warningSigns: return "warning_signs"
        case .distractions: return "distractions"
        case .environment: return "environment"
        case .reasons: return "reasons"
        }
    }
}

/// The steps that point at the person's strategies and contacts.
public enum PlanPick: Sendable {
    case strategies, helpContacts, professionalContacts

    var ids: WritableKeyPath<SafetyPlan, [String]> {
        switch self {
        case .strategies: return \.strategyIds
        case .helpContacts: return \.helpContactIds
        case .professionalContacts: return \.professionalContactIds
        }
    }
}

/// The plan being edited, and what it can point at.
public struct SafetyPlanState: Equatable, Sendable {
    public var plan: SafetyPlan?
    public var strategies: [RankedStrategy] = []
    public var contacts: [Contact] = []
    public var problem: Problem?
    public var saved = false
}

private struct PlanRecords: Sendable {
    let plan: SafetyPlan?
    let strategies: [RankedStrategy]
    let contacts: [Contact]
}

@MainActor
public final class SafetyPlanModel: ScreenModel {
    @Published public private(set) var state = SafetyPlanState()
    private let participantId: String
    private var original: SafetyPlan?

    public init(store: Store, participantId: String) {
        self.participantId = participantId
        super.init(store: store)
        act({ _ in }) { [weak self] in
            guard let loaded = try await self?.store.local({ core in
                PlanRecords(
                    plan: try core.listSafetyPlans(participantId: participantId).first,
                    strategies: try core.rankedStrategies(participantId: participantId),
                    contacts: try core.contacts(participantId: participantId))
            }) else { return }
            self?.original = loaded.plan
            self?.state = SafetyPlanState(
                plan: loaded.plan ?? SafetyPlan(participantId: participantId), strategies: loaded.strategies, contacts: loaded.contacts)
        }
    }

    public func items(_ plan: SafetyPlan, _ list: PlanList) -> [String] { plan[keyPath: list.items] }

    public func picked(_ plan: SafetyPlan, _ pick: PlanPick) -> [String] { plan[keyPath: pick.ids] }

    public func add(_ list: PlanList, _ line: String) {
        guard let text = line.trimmedOrNil else { return }
        change { $0[keyPath: list.items].append(text) }
    }

    public func remove(_ list: PlanList, at index: Int) {
        change { plan in
            if plan[keyPath: list.items].indices.contains(index) { plan[keyPath: list.items].remove(at: index) }
        }
    }

    public func toggle(_ pick: PlanPick, _ id: String) {
        change { plan in
            if plan[keyPath: pick.ids].contains(id) {
                plan[keyPath: pick.ids].removeAll { $0 == id }
            } else {
                plan[keyPath: pick.ids].append(id)
            }
        }
    }

    public func save() {
        guard let plan = state.plan else { return }
        let before = original
        act({ [weak self] in self?.state.problem = $0 }) { [weak self] in
            guard let saved = try await self?.store.local({ core in
                try before.map { try core.updateSafetyPlan(original: $0, edited: plan) } ?? core.createSafetyPlan(record: plan)
            }) else { return }
            self?.original = saved
            self?.state.plan = saved
            self?.state.saved = true
        }
    }

    private func change(_ edit: (inout SafetyPlan) -> Void) {
        guard var plan = state.plan else { return }
        edit(&plan)
        state.plan = plan
        state.problem = nil
        state.saved = false
    }
}
