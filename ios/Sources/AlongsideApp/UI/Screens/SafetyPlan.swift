import Alongside
import SwiftUI

/// The Stanley–Brown safety plan, in the person's own words, pointing at their own tools and people.
@MainActor
struct SafetyPlanScreen: View {
    @Environment(\.words) var words
    @StateObject private var model: SafetyPlanModel
    @State private var typing: [PlanList: String] = [:]
    @State private var choosing = false
    private let nav: Nav

    init(nav: Nav) {
        self.nav = nav
        _model = StateObject(wrappedValue: SafetyPlanModel(store: nav.app.store, participantId: nav.app.participantId))
    }

    var body: some View {
        let w = words.safetyPlan
        let state = model.state
        ScreenFrame(title: w.title, back: nav.back, crisis: nav.crisis, mainAction: AnyView(MainButton(words.common.save, { model.save() }))) {
            if let plan = state.plan {
                Group {
                    BodyText(w.intro)
                    lines(plan, .warningSigns, w.warningSigns, help: w.warningSignsHelp)
                    SectionTitle(w.strategies)
                    // The toolbox is long: the chosen tools show, the rest on asking.
                    let chosen = Set(model.picked(plan, .strategies))
                    ManyChoices(
                        options: state.strategies.map(\.strategy.id).filter { choosing || chosen.contains($0) }, selected: chosen,
                        label: { id in state.strategies.first { $0.strategy.id == id }?.strategy.title ?? "" }
                    ) { model.toggle(.strategies, $0) }
                    if !choosing { SecondaryButton(w.choose, { choosing = true }) }
                }
                Group {
                    lines(plan, .distractions, w.distractions)
                    SectionTitle(w.helpContacts)
                    contactPicks(state.contacts, Set(model.picked(plan, .helpContacts))) { model.toggle(.helpContacts, $0) }
                    SectionTitle(w.professionalContacts)
                    contactPicks(state.contacts, Set(model.picked(plan, .professionalContacts))) { model.toggle(.professionalContacts, $0) }
                }
                BodyText(w.crisisLines)
                lines(plan, .environment, w.environment)
                lines(plan, .reasons, w.reasons)
                ProblemNote(state.problem)
                if state.saved { Note(w.saved) }
            }
        }
    }

    @ViewBuilder
    private func lines(_ plan: SafetyPlan, _ list: PlanList, _ title: String, help: String? = nil) -> some View {
        let items = model.items(plan, list)
        SectionTitle(title)
        if let help { BodyText(help) }
        if items.isEmpty { BodyText(words.safetyPlan.nothingYet) }
        ForEach(Array(items.enumerated()), id: \.offset) { i, item in
            HStack {
                Text(item).font(.body)
                Spacer()
                IconAction(systemImage: "xmark", label: "\(words.common.remove): \(item)") { model.remove(list, at: i) }
            }
        }
        Field(words.safetyPlan.addLine, typing[list] ?? "", { typing[list] = $0 }, list.field, model.state.problem)
        SecondaryButton(words.common.add, {
            model.add(list, typing[list] ?? "")
            typing[list] = ""
        })
    }

    @ViewBuilder
    private func contactPicks(_ contacts: [Contact], _ picked: Set<String>, _ toggle: @escaping (String) -> Void) -> some View {
        if contacts.isEmpty {
            BodyText(words.people.empty)
        } else {
            ManyChoices(options: contacts.map(\.id), selected: picked, label: { id in contacts.first { $0.id == id }?.name ?? "" }, onToggle: toggle)
        }
    }
}
