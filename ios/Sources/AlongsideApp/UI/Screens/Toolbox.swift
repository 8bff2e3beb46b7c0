import Alongside
import Foundation
import SwiftUI

@MainActor
struct ToolboxScreen: View {
    @Environment(\.words) var words
    @StateObject private var model: ToolboxModel
    private let nav: Nav

    init(nav: Nav) {
        self.nav = nav
        _model = StateObject(wrappedValue: ToolboxModel(store: nav.app.store, participantId: nav.app.participantId))
    }

    var body: some View {
        ScreenFrame(
            title: words.toolbox.title, back: nil, crisis: nav.crisis,
            mainAction: AnyView(MainButton(words.toolbox.addOwn, { nav.go(.strategyForm) })),
            tabs: AnyView(ParticipantTabs(nav: nav, current: .toolbox))
        ) {
            BodyText(words.toolbox.intro)
            ForEach(model.strategies ?? [], id: \.strategy.id) { ranked in
                Panel {
                    HStack(alignment: .center) {
                        Button { nav.go(.strategy(strategyId: ranked.strategy.id)) } label: {
                            VStack(alignment: .leading, spacing: 4) {
                                Text(ranked.strategy.title).font(.headline).foregroundColor(.primary)
                                BodyText("\(label(ranked.strategy.category, words)) · \(label(ranked.strategy.source, words))")
                                if let used = usedLine(ranked, words) { BodyText(used) }
                            }
                            .frame(maxWidth: .infinity, minHeight: target, alignment: .leading)
                            .contentShape(Rectangle())
                        }
                        .buttonStyle(.plain)
                        FavoriteButton(strategy: ranked.strategy) { model.toggleFavorite(ranked.strategy) }
                    }
                }
            }
        }
    }
}

/// "Used 3 times · Helped 4.5 out of 5", when it has been used.
func usedLine(_ ranked: RankedStrategy, _ words: Words) -> String? {
    if ranked.uses == 0 { return nil }
    var parts = [words.toolbox.used.plural(Int64(ranked.uses))]
    if let helped = ranked.averageHelpfulness { parts.append(words.toolbox.helped.fill(("score", oneDecimal(helped, words)))) }
    if let drop = ranked.averageCravingDrop, drop > 0 { parts.append(words.toolbox.cravingDrop.fill(("n", oneDecimal(drop, words)))) }
    return parts.joined(separator: " · ")
}

/// 4 as "4", 4.5 as "4.5" (or "4,5" where that is how decimals are written).
func oneDecimal(_ value: Double, _ words: Words) -> String {
    if value.truncatingRemainder(dividingBy: 1) == 0 { return String(Int64(value)) }
    return oneDecimalAlways(value, words)
}

@MainActor
struct FavoriteButton: View {
    @Environment(\.words) var words
    let strategy: CopingStrategy
    let toggle: () -> Void

    var body: some View {
        IconAction(
            systemImage: strategy.favorite ? "heart.fill" : "heart",
            label: strategy.favorite ? words.toolbox.removeFavorite : words.toolbox.addFavorite,
            action: toggle)
    }
}

@MainActor
struct StrategyScreen: View {
    @Environment(\.words) var words
    @StateObject private var model: StrategyModel
    private let nav: Nav

    init(nav: Nav, strategyId: String) {
        self.nav = nav
        _model = StateObject(wrappedValue: StrategyModel(store: nav.app.store, participantId: nav.app.participantId, strategyId: strategyId))
    }

    var body: some View {
        let use = model.use
        ScreenFrame(
            title: model.strategy?.strategy.title ?? words.toolbox.title, back: nav.back, crisis: nav.crisis,
            mainAction: AnyView(MainButton(words.toolbox.logUse, { model.logUse() })),
            actions: model.strategy.map { ranked in AnyView(FavoriteButton(strategy: ranked.strategy) { model.toggleFavorite() }) }
        ) {
            if let ranked = model.strategy {
                Group {
                    if let used = usedLine(ranked, words) { BodyText(used) }
                    SectionTitle(words.toolbox.steps)
                    ForEach(Array(ranked.strategy.steps.enumerated()), id: \.offset) { i, step in
                        Text("\(i + 1). \(step)").font(.body)
                    }
                    if !ranked.strategy.triggers.isEmpty {
                        SectionTitle(words.toolbox.helpsWith)
                        BodyText(ranked.strategy.triggers.joined(separator: " · "))
                    }
                }
                SectionTitle(words.toolbox.logUse)
                Field(words.toolbox.cravingBefore, use.cravingBefore, { v in model.edit { $0.cravingBefore = v } }, "craving_before", use.problem, .number)
                Field(words.toolbox.cravingAfter, use.cravingAfter, { v in model.edit { $0.cravingAfter = v } }, "craving_after", use.problem, .number)
                Text(words.toolbox.helpfulness).font(.subheadline.weight(.semibold))
                Choices(options: [1, 2, 3, 4, 5] as [Int64], selected: use.helpfulness, label: { String($0) }) { h in model.edit { $0.helpfulness = h } }
                ProblemNote(use.problem, ["craving_before", "craving_after"])
                if use.saved { Note(words.toolbox.useSaved) }
            }
        }
    }
}

@MainActor
struct StrategyFormScreen: View {
    @Environment(\.words) var words
    @StateObject private var model: StrategyFormModel
    private let nav: Nav

    init(nav: Nav) {
        self.nav = nav
        _model = StateObject(wrappedValue: StrategyFormModel(session: nav.app, participantId: nav.app.participantId))
    }

    var body: some View {
        let form = model.form
        ScreenFrame(
            title: words.toolbox.addOwn, back: nav.back, crisis: nav.crisis,
            mainAction: AnyView(MainButton(words.common.save, { model.save() }))
        ) {
            Field(words.toolbox.name, form.title, { v in model.edit { $0.title = v } }, "title", form.problem)
            Text(words.toolbox.kind).font(.subheadline.weight(.semibold))
            Choices(options: copingCategories, selected: form.category, label: { label($0, words) }) { c in model.edit { $0.category = c } }
            Field(words.toolbox.steps, form.steps, { v in model.edit { $0.steps = v } }, "steps", form.problem, .multiline, hint: words.toolbox.stepsHint)
            Field(words.toolbox.helpsWith, form.triggers, { v in model.edit { $0.triggers = v } }, "triggers", form.problem, .multiline,
                  hint: words.toolbox.triggersHint)
            ProblemNote(form.problem, ["title", "steps", "triggers"])
        }
    }
}
