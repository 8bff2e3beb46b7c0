import Alongside
import SwiftUI

/// Everything else a participant has: messages, plan, check, sharing, export, signing out.
@MainActor
struct MoreScreen: View {
    @Environment(\.words) var words
    @ObservedObject private var app: AppModel
    private let nav: Nav

    init(nav: Nav) {
        self.nav = nav
        self.app = nav.app
    }

    var body: some View {
        let me = app.participantId
        ScreenFrame(title: words.common.moreTitle, back: nil, crisis: nav.crisis, tabs: AnyView(ParticipantTabs(nav: nav, current: .more))) {
            Group {
                Item(words.messages.title) { nav.go(.conversation(participantId: me)) }
                Item(words.note.fromPeerWorker) { nav.go(.notes) }
                Item(words.safetyPlan.title) { nav.go(.safetyPlan) }
                Item(words.barc10.title) { nav.go(.barc10) }
            }
            Group {
                Item(words.sharing.title) { nav.go(.sharing) }
                Item(words.reminders.title) { nav.go(.reminders) }
                Item(words.devices.title) { nav.go(.devices) }
                Item(words.account.title) { nav.go(.account) }
                Item(words.today.startAgain) { nav.go(.startAgain) }
            }
            Item(words.export.title) { nav.go(.export) }
            Item(words.outbox.title) { nav.go(.outbox) }
            if let account = app.account { BodyText(words.common.signedInAs.fill(("name", account.displayName))) }
            Item(words.common.signOut) { app.signOut() }
        }
    }
}

@MainActor
struct ExportScreen: View {
    @Environment(\.words) var words
    @StateObject private var model: ExportModel
    private let nav: Nav

    init(nav: Nav) {
        self.nav = nav
        _model = StateObject(wrappedValue: ExportModel(store: nav.app.store, participantId: nav.app.participantId, platform: nav.app.platform))
    }

    var body: some View {
        ScreenFrame(
            title: words.export.title, back: nav.back, crisis: nav.crisis,
            mainAction: AnyView(MainButton(words.export.export, { model.export() }))
        ) {
            BodyText(words.export.body)
            if let path = model.state.savedTo { Note(words.export.done.fill(("path", path))) }
            ProblemNote(model.state.problem)
        }
    }
}

/// Changes not yet taken: waiting for signal, or refused with what to do.
@MainActor
struct OutboxScreen: View {
    @Environment(\.words) var words
    @StateObject private var model: OutboxModel
    private let nav: Nav

    init(nav: Nav) {
        self.nav = nav
        _model = StateObject(wrappedValue: OutboxModel(store: nav.app.store))
    }

    var body: some View {
        ScreenFrame(title: words.outbox.title, back: nav.back, crisis: nav.crisis) {
            BodyText(words.outbox.intro)
            ForEach(model.conflicts ?? [], id: \.id) { conflict in
                Panel {
                    Text(words.conflicts.title + " · " + (conflict.recordTitle ?? label(conflict.collection, words))).font(.subheadline.weight(.semibold))
                    BodyText(who(conflict))
                    Note(words.conflicts.yours + ": " + conflict.mine)
                    Note(words.conflicts.now + ": " + conflict.theirs)
                    LinkButton(words.conflicts.keepMine) { model.keepMine(conflict) }
                    LinkButton(words.conflicts.keepTheirs) { model.keepTheirs(conflict) }
                }
            }
            if model.items?.isEmpty == true && model.conflicts?.isEmpty == true { BodyText(words.outbox.empty) }
            ForEach(model.items ?? [], id: \.changeId) { item in
                Panel {
                    Text(label(item.collection, words)).font(.subheadline.weight(.semibold))
                    if item.state == .pending {
                        BodyText(words.outbox.waiting)
                    } else {
                        BodyText(refusal(item.errorCode, item.errorReason, words))
                        LinkButton(words.outbox.sendAgain) { model.sendAgain(item) }
                        LinkButton(words.outbox.letGo) { model.letGo(item) }
                        Note(words.outbox.letGoNote)
                    }
                }
            }
            ProblemNote(model.problem)
        }
    }

    private func who(_ conflict: ConflictView) -> String {
        if conflict.theirsByYou { return words.conflicts.byYou }
        if conflict.theirsByPeerWorker { return words.conflicts.byPeerWorker }
        if let name = conflict.theirName { return words.conflicts.byName.fill(("name", name)) }
        return words.conflicts.bySomeone
    }
}
