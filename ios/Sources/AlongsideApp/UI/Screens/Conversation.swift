import Alongside
import SwiftUI

/// Messages between a participant and their peer worker, written offline, with read receipts.
@MainActor
struct ConversationScreen: View {
    @Environment(\.words) var words
    @StateObject private var model: ConversationModel
    private let nav: Nav

    init(nav: Nav, participantId: String) {
        self.nav = nav
        _model = StateObject(wrappedValue: ConversationModel(store: nav.app.store, participantId: participantId))
    }

    var body: some View {
        let draft = model.writing
        ScreenFrame(
            title: words.messages.title, back: nav.back, crisis: nav.crisis,
            mainAction: AnyView(
                HStack(alignment: .bottom) {
                    Field(words.messages.write, draft.body, { v in model.edit(v) }, "body", draft.problem)
                    Button { model.send() } label: {
                        Image(systemName: "paperplane.fill").frame(minWidth: target, minHeight: target)
                    }
                    .accessibilityLabel(words.messages.send)
                }
            )
        ) {
            if model.messages?.isEmpty == true { BodyText(words.messages.empty) }
            ForEach(model.messages ?? [], id: \.message.id) { entry in
                Bubble(entry: entry)
            }
        }
    }
}

@MainActor
private struct Bubble: View {
    @Environment(\.words) var words
    let entry: ConversationMessage

    var body: some View {
        HStack {
            if entry.mine { Spacer(minLength: 48) }
            VStack(alignment: .leading, spacing: 4) {
                Text(entry.message.body).font(.body)
                Text(([words.ago(entry.message.sentAt)] + [status].compactMap { $0 }).joined(separator: " · ")).font(.caption)
            }
            .padding(12)
            .background(RoundedRectangle(cornerRadius: 16).fill(entry.mine ? Color.accentColor.opacity(0.15) : Color.secondary.opacity(0.12)))
            .accessibilityElement(children: .combine)
            if !entry.mine { Spacer(minLength: 48) }
        }
    }

    private var status: String? {
        if !entry.mine { return nil }
        if case .waiting = entry.sync { return words.messages.waiting }
        if entry.message.readAt != nil { return words.messages.read }
        return words.messages.sent
    }
}

/// The notes a participant's peer worker submitted about their meetings (read only).
@MainActor
struct NotesScreen: View {
    @Environment(\.words) var words
    @StateObject private var model: NotesModel
    private let nav: Nav

    init(nav: Nav) {
        self.nav = nav
        _model = StateObject(wrappedValue: NotesModel(store: nav.app.store, participantId: nav.app.participantId))
    }

    var body: some View {
        ScreenFrame(title: words.note.fromPeerWorker, back: nav.back, crisis: nav.crisis) {
            if model.notes?.isEmpty == true { BodyText(words.note.noneYet) }
            ForEach(model.notes ?? [], id: \.id) { note in
                Panel {
                    Text(words.note.noteRow.fill(
                        ("date", words.date(note.occurredOn)), ("minutes", note.durationMinutes), ("mode", label(note.mode, words))
                    )).font(.subheadline.weight(.semibold))
                    if note.amends != nil { BodyText(words.note.amendment) }
                    Text(note.summary).font(.body)
                    if let next = note.nextSteps { BodyText("\(words.note.nextSteps): \(next)") }
                }
            }
        }
    }
}

/// Where the person is signed in: sign any device out, or clear a lost phone.
@MainActor
struct DevicesScreen: View {
    @Environment(\.words) var words
    @StateObject private var model: DevicesModel
    private let nav: Nav

    init(nav: Nav) {
        self.nav = nav
        _model = StateObject(wrappedValue: DevicesModel(store: nav.app.store))
    }

    var body: some View {
        let state = model.state
        ScreenFrame(title: words.devices.title, back: nav.back, crisis: nav.crisis) {
            BodyText(words.devices.intro)
            if state.problem == .offline { BodyText(words.devices.offline) }
            if state.done { Note(words.devices.done) }
            ForEach(state.devices ?? [], id: \.id) { device in
                Panel {
                    Text(device.thisDevice ? "\(device.name) · \(words.devices.thisDevice)" : device.name).font(.headline)
                    BodyText(words.devices.signedIn.fill(("when", words.ago(device.firstSeen))))
                    if let last = device.lastSeen { BodyText(words.devices.lastUsed.fill(("when", words.ago(last)))) }
                    if !device.thisDevice {
                        SecondaryButton(words.devices.signOut, { model.signOut(device, wipe: false) })
                        LinkButton(words.devices.clear) { model.signOut(device, wipe: true) }
                        BodyText(words.devices.clearHelp)
                    }
                }
            }
        }
    }
}
