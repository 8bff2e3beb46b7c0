import Alongside
import SwiftUI

/// The ten statements of BARC-10.
func barc10Items(_ w: Words) -> [String] {
    let b = w.barc10
    return [b.item1, b.item2, b.item3, b.item4, b.item5, b.item6, b.item7, b.item8, b.item9, b.item10]
}

/// The six answers, 1 (strongly disagree) to 6 (strongly agree).
func barc10Answer(_ value: Int64, _ w: Words) -> String {
    let b = w.barc10
    switch value {
    case 1: return b.answer1
    case 2: return b.answer2
    case 3: return b.answer3
    case 4: return b.answer4
    case 5: return b.answer5
    default: return b.answer6
    }
}

/// BARC-10: the ten items, the total, and the change since last time.
@MainActor
struct Barc10Screen: View {
    @Environment(\.words) var words
    @StateObject private var model: Barc10Model
    private let nav: Nav

    init(nav: Nav) {
        self.nav = nav
        _model = StateObject(wrappedValue: Barc10Model(store: nav.app.store, participantId: nav.app.participantId))
    }

    var body: some View {
        let barc = words.barc10
        let form = model.form
        ScreenFrame(title: barc.title, back: nav.back, crisis: nav.crisis, mainAction: AnyView(MainButton(barc.save, { model.save() }))) {
            if let summary = model.summary {
                Panel {
                    Text(barc.total.fill(("total", summary.total))).font(.title2)
                    BodyText(change(summary.change, barc))
                    BodyText(barc.takenOn.fill(("date", words.date(summary.takenOn))))
                }
            }
            if form.saved { Note(words.common.saved) }
            BodyText(barc.intro)
            ForEach(Array(barc10Items(words).enumerated()), id: \.offset) { i, statement in
                Panel {
                    Text("\(i + 1). \(statement)").font(.body)
                    Choices(options: [1, 2, 3, 4, 5, 6] as [Int64], selected: form.answers[i], label: { barc10Answer($0, words) }) { model.answer(i, $0) }
                }
            }
            BodyText(barc.answered.fill(("n", form.answers.compactMap { $0 }.count)))
            ProblemNote(form.problem)
        }
    }

    private func change(_ change: Int64?, _ barc: Barc10Words) -> String {
        guard let change else { return barc.first }
        if change > 0 { return barc.up.fill(("n", change)) }
        if change < 0 { return barc.down.fill(("n", -change)) }
        return barc.same
    }
}

/// Consent: what the peer worker sees, per category, until when; and who looked.
@MainActor
struct SharingScreen: View {
    @Environment(\.words) var words
    @StateObject private var model: SharingModel
    private let nav: Nav
    private let me: String
    private let categories = shareableCategories()

    init(nav: Nav) {
        self.nav = nav
        self.me = nav.app.participantId
        _model = StateObject(wrappedValue: SharingModel(session: nav.app, participantId: nav.app.participantId))
    }

    var body: some View {
        let state = model.state
        ScreenFrame(
            title: words.sharing.title, back: nav.back, crisis: nav.crisis,
            mainAction: AnyView(MainButton(words.sharing.save, { model.save() }))
        ) {
            if let sharing = state.sharing {
                BodyText(words.sharing.intro)
                ForEach(categories, id: \.self) { category in
                    Toggled(label(category, words), model.shares(sharing, category)) { _ in model.toggle(category) }
                }
                Field(words.sharing.until, state.until, { v in model.editUntil(v) }, "expires_on", state.problem, hint: words.common.dateHint)
                BodyText(words.sharing.untilHelp)
                ProblemNote(state.problem, ["expires_on"])
                if state.saved { Note(words.sharing.saved) }
                SectionTitle(words.sharing.whoLooked)
                switch state.whoLooked {
                case .notAsked: SecondaryButton(words.sharing.loadWhoLooked, { model.loadWhoLooked() })
                case .asking: BodyText(words.common.loading)
                case .offline: BodyText(words.sharing.whoLookedOffline)
                case let .entries(entries):
                    if entries.isEmpty { BodyText(words.sharing.nobodyYet) }
                    ForEach(Array(entries.enumerated()), id: \.offset) { _, entry in
                        Panel { BodyText(auditLine(entry)) }
                    }
                }
            }
        }
    }

    /// "Your peer worker received Goals and progress (3 items) · 5 min ago".
    private func auditLine(_ entry: AuditEntry) -> String {
        let who: String
        if entry.actorId == me {
            who = words.sharing.you
        } else if entry.actorRole == "peer_worker" {
            who = words.sharing.yourPeerWorker
        } else {
            who = words.sharing.programAdmin
        }
        var what: [String] = []
        for name in entry.collections {
            if let category = categoryOf(collection: name) {
                let named = label(category, words)
                if !what.contains(named) { what.append(named) }
            }
        }
        let template = entry.action == "push" ? words.sharing.auditSent : words.sharing.auditReceived
        return "\(template.fill(("who", who), ("what", what.joined(separator: ", ")))) (\(words.sharing.items.plural(Int64(entry.count)))) · \(words.ago(entry.at))"
    }
}
