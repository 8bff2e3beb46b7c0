import Alongside
import SwiftUI

@MainActor
struct GoalsScreen: View {
    @Environment(\.words) var words
    @StateObject private var model: GoalsModel
    private let nav: Nav

    init(nav: Nav) {
        self.nav = nav
        _model = StateObject(wrappedValue: GoalsModel(store: nav.app.store, participantId: nav.app.participantId))
    }

    var body: some View {
        let state = model.state
        ScreenFrame(
            title: words.goals.title, back: nil, crisis: nav.crisis,
            mainAction: AnyView(MainButton(words.goals.add, { nav.go(.goalForm(goalId: nil)) })),
            tabs: AnyView(ParticipantTabs(nav: nav, current: .goals))
        ) {
            if state.loaded {
                Panel {
                    if let t = state.tScore {
                        Text(words.goals.overall.fill(("score", Int(t.rounded())))).font(.title2)
                        BodyText(words.goals.overallHelp)
                    } else {
                        BodyText(words.goals.overallNone)
                    }
                }
                if state.goals.isEmpty { BodyText(words.goals.empty) }
                ForEach(state.goals, id: \.id) { goal in
                    GoalRow(goal: goal) { nav.go(.goal(goalId: goal.id)) }
                }
            }
        }
    }
}

@MainActor
struct GoalScreen: View {
    @Environment(\.words) var words
    @StateObject private var model: GoalModel
    private let nav: Nav
    private let goalId: String

    init(nav: Nav, goalId: String) {
        self.nav = nav
        self.goalId = goalId
        _model = StateObject(wrappedValue: GoalModel(store: nav.app.store, participantId: nav.app.participantId, goalId: goalId))
    }

    var body: some View {
        let state = model.state
        ScreenFrame(
            title: state.goal?.title ?? words.goals.title, back: nav.back, crisis: nav.crisis,
            mainAction: AnyView(MainButton(words.goals.record, { model.record() }, enabled: state.level != nil || !state.note.trimmed.isEmpty)),
            actions: AnyView(IconAction(systemImage: "pencil", label: words.common.edit) { nav.go(.goalForm(goalId: goalId)) })
        ) {
            if let goal = state.goal {
                Group {
                    BodyText(([label(goal.area, words), label(goal.status, words)]
                        + [goal.targetDate.map { words.goals.byDate.fill(("date", words.date($0))) }].compactMap { $0 })
                        .joined(separator: " · "))
                    if let description = goal.description { BodyText(description) }
                    Panel {
                        Text(goal.gasScore.map { words.goals.now.fill(("level", gasLevel($0, words))) } ?? words.goals.notYet).font(.headline)
                    }
                    SectionTitle(words.goals.whereNow)
                }
                // +2 at the top, as Goal Attainment Scaling writes its levels.
                let levels = goal.gasLevels
                RadioRows(
                    options: [2, 1, 0, -1, -2] as [Int64], selected: state.level, title: { gasLevel($0, words) },
                    detail: { level in [levels?.muchLess, levels?.less, levels?.expected, levels?.more, levels?.muchMore][Int(level + 2)] }
                ) { model.choose($0) }
                Field(words.goals.progressNote, state.note, { v in model.editNote(v) }, "note", state.problem, .multiline)
                ProblemNote(state.problem, ["note"])
                if state.saved { Note(words.goals.progressSaved) }
                if goal.status == .active {
                    SecondaryButton(words.goals.markAchieved, { model.achieved() })
                }
                if !state.progress.isEmpty {
                    SectionTitle(words.goals.history)
                    ForEach(state.progress, id: \.id) { entry in
                        Panel {
                            Text(entry.score.map { gasLevel($0, words) } ?? "—").font(.subheadline.weight(.semibold))
                            if let note = entry.note { BodyText(note) }
                            BodyText(words.day(of: entry.recordedAt))
                        }
                    }
                }
            }
        }
    }
}

@MainActor
struct GoalFormScreen: View {
    @Environment(\.words) var words
    @StateObject private var model: GoalFormModel
    private let nav: Nav
    private let goalId: String?

    init(nav: Nav, goalId: String?) {
        self.nav = nav
        self.goalId = goalId
        _model = StateObject(wrappedValue: GoalFormModel(session: nav.app, participantId: nav.app.participantId, goalId: goalId))
    }

    var body: some View {
        let form = model.form
        ScreenFrame(
            title: goalId == nil ? words.goals.add : words.common.edit, back: nav.back, crisis: nav.crisis,
            mainAction: AnyView(MainButton(words.common.save, { model.save() }))
        ) {
            Group {
                Field(words.goals.goalTitle, form.title, { v in model.edit { $0.title = v } }, "title", form.problem)
                Field(words.goals.description, form.description, { v in model.edit { $0.description = v } }, "description", form.problem, .multiline)
                Text(words.goals.area).font(.subheadline.weight(.semibold))
                Choices(options: goalAreas, selected: form.area, label: { label($0, words) }) { a in model.edit { $0.area = a } }
                Field("\(words.goals.targetDate) (\(words.common.optional))", form.targetDate, { v in model.edit { $0.targetDate = v } },
                      "target_date", form.problem, hint: words.common.dateHint)
                SectionTitle(words.goals.levels)
                BodyText(words.goals.levelsHelp)
            }
            Field(words.labels.levelMuchMore, form.muchMore, { v in model.edit { $0.muchMore = v } }, "gas_levels", form.problem)
            Field(words.labels.levelMore, form.more, { v in model.edit { $0.more = v } }, "gas_levels", nil)
            Field(words.labels.levelExpected, form.expected, { v in model.edit { $0.expected = v } }, "gas_levels", nil)
            Field(words.labels.levelLess, form.less, { v in model.edit { $0.less = v } }, "gas_levels", nil)
            Field(words.labels.levelMuchLess, form.muchLess, { v in model.edit { $0.muchLess = v } }, "gas_levels", nil)
            ProblemNote(form.problem, ["title", "description", "target_date", "gas_levels"])
        }
    }
}
