import Alongside
import SwiftUI

/// The participant's home: where they are today (android's TodayScreen).
@MainActor
struct TodayScreen: View {
    @Environment(\.words) var words
    @ObservedObject private var app: AppModel
    @StateObject private var model: TodayModel
    private let nav: Nav

    init(nav: Nav) {
        self.nav = nav
        self.app = nav.app
        _model = StateObject(wrappedValue: TodayModel(store: nav.app.store, participantId: nav.app.participantId))
    }

    var body: some View {
        ScreenFrame(
            title: words.today.greeting.fill(("name", app.account?.displayName ?? "")), back: nil, crisis: nav.crisis,
            mainAction: AnyView(MainButton(words.today.needToTalk, { nav.go(.reachOut) })),
            tabs: AnyView(ParticipantTabs(nav: nav, current: .today))
        ) {
            if let today = model.today {
                content(today)
            }
        }
    }

    @ViewBuilder
    private func content(_ t: Today) -> some View {
        Panel {
            if let days = t.daysInRecovery {
                if days == 0 {
                    Text(words.today.firstDay).font(.title2)
                } else {
                    Text(words.today.daysInRecovery.plural(days)).font(.title).accessibilityAddTraits(.isHeader)
                }
            } else {
                BodyText(words.today.noPeriod)
                SecondaryButton(words.today.addStart, { nav.go(.startAgain) })
            }
            if let next = t.nextMilestone {
                BodyText(words.today.nextMilestone.plural(next.daysToGo, ("milestone", next.milestone.label)))
            }
        }
        if model.celebrated != nil { Note(words.today.celebrated) }
        if let newest = t.toCelebrate.first {
            // The newest milestone, warmly; earlier ones not celebrated yet, quietly.
            SectionTitle(words.today.toCelebrate)
            Panel {
                Text(words.today.reached.fill(("milestone", newest.title))).font(.headline)
                SecondaryButton(words.today.celebrate, { model.celebrate([newest]) })
                let earlier = Array(t.toCelebrate.dropFirst())
                if !earlier.isEmpty {
                    BodyText(words.today.alsoReached.fill(("list", earlier.map(\.title).joined(separator: " · "))))
                    LinkButton(words.today.celebrateAll) { model.celebrate(t.toCelebrate) }
                }
            }
        }
        SectionTitle(words.today.checkIn)
        checkIn(t)
        SectionTitle(words.today.goals)
        if t.activeGoals.isEmpty { BodyText(words.today.noGoals) }
        ForEach(t.activeGoals, id: \.id) { goal in
            GoalRow(goal: goal) { nav.go(.goal(goalId: goal.id)) }
        }
        if !t.openReachOuts.isEmpty {
            SectionTitle(words.today.reachOuts)
            ForEach(t.openReachOuts, id: \.id) { reachOut in
                ReachOutRow(reachOut: reachOut, unsent: t.unsentReachOuts.first { $0.recordId == reachOut.id }?.sync)
            }
        }
        SyncLineView(line: model.sync) { nav.go(.outbox) }
    }

    @ViewBuilder
    private func checkIn(_ t: Today) -> some View {
        let form = model.checkIn
        Panel {
            Text(words.today.mood).font(.subheadline.weight(.semibold))
            Choices(options: [1, 2, 3, 4, 5] as [Int64], selected: form.mood, label: { mood($0, words) }) { m in
                model.editCheckIn { $0.mood = m }
            }
            Field(words.today.craving, form.craving, { v in model.editCheckIn { $0.craving = v } }, "craving", form.problem, .number)
            Field(words.today.note, form.note, { v in model.editCheckIn { $0.note = v } }, "note", form.problem, .multiline)
            ProblemNote(form.problem, ["craving", "note"])
            if form.saved { Note(words.today.checkedIn) }
            if let last = t.lastCheckIn {
                BodyText(
                    ([words.today.lastCheckIn.fill(("when", words.ago(last.at)), ("mood", mood(last.mood, words)))]
                        + (last.craving.map { [words.today.lastCraving.fill(("craving", $0))] } ?? []))
                        .joined(separator: " · ")
                )
            }
            SecondaryButton(words.today.saveCheckIn, { model.saveCheckIn() }, enabled: form.mood != nil)
        }
    }
}

/// A goal with where it stands now; opens the goal.
@MainActor
struct GoalRow: View {
    @Environment(\.words) var words
    let goal: Goal
    let open: () -> Void

    var body: some View {
        Button(action: open) {
            Panel {
                Text(goal.title).font(.headline).foregroundColor(.primary)
                BodyText(goal.gasScore.map { words.goals.now.fill(("level", gasLevel($0, words))) } ?? words.goals.notYet)
            }
        }
        .buttonStyle(.plain)
    }
}

/// A reach-out and where it stands, truthfully, for the person who sent it:
/// `unsent` if the server does not have it yet.
@MainActor
struct ReachOutRow: View {
    @Environment(\.words) var words
    let reachOut: ReachOut
    let unsent: RecordSync?

    var body: some View {
        VStack(alignment: .leading, spacing: 2) {
            Text(reachOut.message ?? words.reachOut.title).font(.body)
            BodyText("\(status) · \(words.ago(reachOut.createdAt))")
        }
        .frame(maxWidth: .infinity, minHeight: target, alignment: .leading)
        .accessibilityElement(children: .combine)
    }

    private var status: String {
        if case .refused? = unsent { return words.reachOut.statusRefused }
        if unsent != nil { return words.reachOut.statusWaiting }
        switch reachOut.status {
        case .open: return words.reachOut.statusOpen
        case .acknowledged: return words.reachOut.statusAcknowledged
        case .resolved: return words.reachOut.statusResolved
        }
    }
}

/// Starting a new recovery period ("starting again"): the current one closes and stays in the history.
@MainActor
struct StartAgainScreen: View {
    @Environment(\.words) var words
    @StateObject private var model: StartAgainModel
    private let nav: Nav

    init(nav: Nav) {
        self.nav = nav
        _model = StateObject(wrappedValue: StartAgainModel(session: nav.app, participantId: nav.app.participantId))
    }

    var body: some View {
        let form = model.form
        ScreenFrame(
            title: words.today.startAgain, back: nav.back, crisis: nav.crisis,
            mainAction: AnyView(MainButton(words.common.save, { model.start() }))
        ) {
            BodyText(words.today.startAgainBody)
            Field(words.today.startDate, form.startDate, { v in model.edit(v) }, "start_date", form.problem, hint: words.common.dateHint)
            ProblemNote(form.problem, ["start_date"])
        }
    }
}
