import Alongside
import SwiftUI
#if canImport(UIKit)
import UIKit
#endif

/// "I need to talk" (android's ReachOutScreen). The answer is the truth, as the
/// core tells it: the peer worker has it; or the server has it but nobody is
/// assigned yet; or it is not through yet; or it was refused (said so).
/// Whenever it is not with a peer worker, someone to call and the crisis lines
/// are offered at once.
@MainActor
struct ReachOutScreen: View {
    @Environment(\.words) var words
    @StateObject private var model: ReachOutModel
    private let nav: Nav

    init(nav: Nav) {
        self.nav = nav
        _model = StateObject(wrappedValue: ReachOutModel(store: nav.app.store, participantId: nav.app.participantId))
    }

    var body: some View {
        let writing: Bool = { if case .writing = model.state { return true } else { return false } }()
        ScreenFrame(
            title: words.reachOut.title, back: nav.back, crisis: nav.crisis,
            mainAction: writing ? AnyView(MainButton(words.reachOut.send, { model.send() })) : nil
        ) {
            switch model.state {
            case let .writing(urgency, message, problem):
                BodyText(words.reachOut.intro)
                Text(words.reachOut.urgency).font(.subheadline.weight(.semibold))
                Choices(options: urgencies, selected: urgency, label: { label($0, words) }) { u in model.edit(urgency: u) }
                Field("\(words.reachOut.message) (\(words.common.optional))", message, { v in model.edit(message: v) }, "message", problem, .multiline)
                ProblemNote(problem, ["message"])
            case .sending:
                Answer(text: words.reachOut.sending)
            case let .delivered(help):
                Answer(text: words.reachOut.delivered.fill(("name", help.peerWorker?.name ?? words.reachOut.yourPeerWorker)))
                BodyText(words.reachOut.deliveredBody)
                CrisisLines(lines: help.crisisLines, platform: nav.app.platform)
            case let .noPeerWorker(help):
                Answer(text: words.reachOut.unassigned)
                BodyText(words.reachOut.unassignedBody)
                Offers(help: help, platform: nav.app.platform)
            case let .waiting(help):
                Answer(text: words.reachOut.waiting)
                BodyText(words.reachOut.waitingBody)
                Offers(help: help, platform: nav.app.platform)
            case let .refused(code, reason, help):
                Answer(text: words.reachOut.statusRefused)
                BodyText(refusal(code, reason, words))
                BodyText(words.reachOut.waitingBody)
                Offers(help: help, platform: nav.app.platform)
            }
        }
    }
}

/// The answer, announced by VoiceOver as it appears.
@MainActor
private struct Answer: View {
    let text: String

    var body: some View {
        Panel {
            Text(text).font(.title2)
        }
        .onAppear { announce(text) }
    }
}

/// Says `text` aloud to a VoiceOver user (the live region of the Compose screen).
func announce(_ text: String) {
    #if os(iOS)
    UIAccessibility.post(notification: .announcement, argument: text)
    #endif
}

/// Whom to reach instead of waiting: the peer worker (said plainly whether they
/// usually answer now), the program's on-call line when they may not, and the
/// crisis lines, always.
@MainActor
private struct Offers: View {
    @Environment(\.words) var words
    let help: Help
    let platform: Platform

    var body: some View {
        if let peerWorker = help.peerWorker {
            Panel {
                Text(peerWorker.name).font(.headline)
                switch peerWorker.availableNow {
                case true?: BodyText(words.reachOut.answeringNow)
                case false?: BodyText(words.reachOut.offHours)
                case nil: EmptyView()
                }
                CallAndText(name: peerWorker.name, phone: peerWorker.phone, canText: true, platform: platform)
            }
        } else {
            BodyText(words.reachOut.noPeerWorker)
        }
        if let line = help.onCall {
            Panel {
                Text(line.name).font(.headline)
                BodyText(words.reachOut.onCall)
                CallAndText(name: line.name, phone: line.phone, canText: false, platform: platform)
            }
        }
        CrisisLines(lines: help.crisisLines, platform: platform)
    }
}
