import Alongside
import Foundation

private let goalCollections: Set<Alongside.Collection> = [.goals, .goalProgress]

/// The goals list and how they are going overall.
public struct GoalsState: Equatable, Sendable {
    public var goals: [Goal] = []
    public var tScore: Double?
    public var loaded = false
}

@MainActor
public final class GoalsModel: ScreenModel {
    @Published public private(set) var state = GoalsState()

    public init(store: Store, participantId: String) {
        super.init(store: store)
        let read = store.query(participantId, goalCollections) { core in
            GoalsState(
                // Active first, then by title, as android lists them.
                goals: try core.listGoals(participantId: participantId).sorted {
                    ($0.status != .active ? 1 : 0, $0.title.lowercased()) < ($1.status != .active ? 1 : 0, $1.title.lowercased())
                },
                tScore: try core.gasSummary(participantId: participantId).tScore,
                loaded: true)
        }
        follow(read) { [weak self] in self?.state = $0 }
    }
}

/// One goal: its levels, where it stands, its progress so far; and the person's entry for new progress.
public struct GoalState: Equatable, Sendable {
    public var goal: Goal?
    public var progress: [GoalProgress] = []
    public var level: Int64?
    public var note = ""
    public var problem: Problem?
    public var saved = false
}

/// What the store holds of one goal.
private struct GoalRecord: Equatable, Sendable {
    let goal: Goal?
    let progress: [GoalProgress]
}

@MainActor
public final class GoalModel: ScreenModel {
    @Published public private(set) var state = GoalState()
    private let goalId: String

    public init(store: Store, participantId: String, goalId: String) {
        self.goalId = goalId
        super.init(store: store)
        let read = store.query(participantId, goalCollections) { core in
            GoalRecord(
                goal: try found { try core.getGoal(id: goalId) },
                progress: try core.listGoalProgress(participantId: participantId)
                    .filter { $0.goalId == goalId }
                    .sorted { $0.recordedAt > $1.recordedAt })
        }
        follow(read) { [weak self] record in
            self?.state.goal = record.goal
            self?.state.progress = record.progress
        }
    }

    public func choose(_ level: Int64?) {
        state.level = level
        state.problem = nil
        state.saved = false
    }

    public func editNote(_ note: String) {
        state.note = note
        state.problem = nil
        state.saved = false
    }

    public func record() {
        let level = state.level
        let note = state.note.trimmedOrNil
        if level == nil && note == nil { return }
        let goalId = self.goalId
        act({ [weak self] in self?.state.problem = $0 }) { [weak self] in
            _ = try await self?.store.local { try $0.recordGoalProgress(goalId: goalId, score: level, note: note) }
            self?.state.level = nil
            self?.state.note = ""
            self?.state.saved = true
        }
    }

    public func achieved() {
        let goalId = self.goalId
        act({ [weak self] in self?.state.problem = $0 }) { [weak self] in
            _ = try await self?.store.local { core in
                let goal = try core.getGoal(id: goalId)
                var done = goal
                done.status = .achieved
                return try core.updateGoal(original: goal, edited: done)
            }
        }
    }
}

/// A goal being written or edited.
public struct GoalForm: Equatable, Sendable {
    public var title = ""
    public var description = ""
    public var area = GoalArea.recovery
    public var targetDate = ""
    public var muchLess = ""
    public var less = ""
    public var expected = ""
    public var more = ""
    public var muchMore = ""
    public var problem: Problem?
}

@MainActor
public final class GoalFormModel: ScreenModel {
    @Published public private(set) var form = GoalForm()
    private let participantId: String
    private let session: AppModel
    private var original: Goal?

    public init(session: AppModel, participantId: String, goalId: String?) {
        self.session = session
        self.participantId = participantId
        super.init(store: session.store)
        if let goalId {
            act({ _ in }) { [weak self] in
                guard let goal = try await self?.store.local({ try $0.getGoal(id: goalId) }) else { return }
                let levels = goal.gasLevels ?? GasLevels()
                self?.original = goal
                self?.form = GoalForm(
                    title: goal.title, description: goal.description ?? "", area: goal.area, targetDate: goal.targetDate ?? "",
                    muchLess: levels.muchLess ?? "", less: levels.less ?? "", expected: levels.expected ?? "",
                    more: levels.more ?? "", muchMore: levels.muchMore ?? "")
            }
        }
    }

    public func edit(_ change: (inout GoalForm) -> Void) {
        change(&form)
        form.problem = nil
    }

    public func save() {
        let entered = form
        let before = original
        let participantId = self.participantId
        let reason = session.words.reasons.date
        let navigator = session.navigator
        act({ [weak self] in self?.form.problem = $0 }) { [weak self] in
            let levels = GasLevels(
                muchLess: entered.muchLess.trimmedOrNil, less: entered.less.trimmedOrNil, expected: entered.expected.trimmedOrNil,
                more: entered.more.trimmedOrNil, muchMore: entered.muchMore.trimmedOrNil)
            var edited = before ?? Goal(participantId: participantId, title: "", area: entered.area, status: .active)
            edited.title = entered.title.trimmed
            edited.description = entered.description.trimmedOrNil
            edited.area = entered.area
            edited.targetDate = try typedDate(entered.targetDate, field: "target_date", reason: reason)
            edited.gasLevels = levels == GasLevels() ? nil : levels
            let record = edited
            guard let saved = try await self?.store.local({ core in
                try before.map { try core.updateGoal(original: $0, edited: record) } ?? core.createGoal(record: record)
            }) else { return }
            navigator.back()
            if before == nil { navigator.go(.goal(goalId: saved.id)) }
        }
    }
}

/// The record `read` finds, or nil when it is gone (deleted here, or purged by sync).
func found<T>(_ read: () throws -> T) throws -> T? {
    do {
        return try read()
    } catch AlongsideError.NotFound {
        return nil
    }
}
